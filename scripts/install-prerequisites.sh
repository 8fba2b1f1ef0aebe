#!/usr/bin/env bash
# Installs what the chosen infrastructure mode needs on a Debian/Ubuntu machine with the .NET 10 SDK:
# - local mode (no healthy container engine): PostgreSQL, Redis and RabbitMQ server packages;
# - containers mode: nothing (the images are pulled by Aspire).
# Idempotent: installs only what is missing. Set TASKFLOW_INFRASTRUCTURE=local|containers to force a mode.
# --tests (test.sh): also what the tests need: Debian's chromium for the web client's browser tests (Playwright
# cannot download browsers here) and nodejs for the client's JavaScript unit tests.
set -euo pipefail
with_tests=false
[ "${1:-}" = --tests ] && with_tests=true

mode="${TASKFLOW_INFRASTRUCTURE:-auto}"
if [ "$mode" = auto ]; then
  if command -v docker >/dev/null 2>&1 && timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
    mode=containers
  else
    mode=local
  fi
fi
echo "TaskFlow infrastructure mode: $mode"

command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is required (dotnet not found on PATH)." >&2; exit 1; }

if [ "$mode" = local ]; then
  missing=()
  ls -d /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
  command -v npm >/dev/null 2>&1 || missing+=(npm) # Spectral, for the OpenAPI contract tests
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} ..."
    $sudo apt-get update -qq
    # The packages' own services stay stopped: the AppHost runs each server as its own process.
    echo exit 101 | $sudo tee /usr/sbin/policy-rc.d >/dev/null; $sudo chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    $sudo rm -f /usr/sbin/policy-rc.d
  fi
  # Debian starts these as system services on install where it can; TaskFlow runs its own instances.
  for svc in postgresql redis-server rabbitmq-server; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
      echo "note: the system service $svc is running; TaskFlow starts its own instance on a free port."
    fi
  done
fi
if $with_tests; then
  tools=()
  [ -x /usr/bin/chromium ] || tools+=(chromium)
  command -v node >/dev/null 2>&1 || tools+=(nodejs)
  if [ ${#tools[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing ${tools[*]} (for the web client's tests) ..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null
  fi
fi
# The deployment tests check the alert rules with promtool (Debian's prometheus package) and the Alertmanager
# configuration with amtool (prometheus-alertmanager); their services stay stopped.
if $with_tests && { ! command -v promtool >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1; }; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing prometheus prometheus-alertmanager (promtool, amtool) ..."
  $sudo apt-get update -qq
  echo exit 101 | $sudo tee /usr/sbin/policy-rc.d >/dev/null; $sudo chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
  $sudo rm -f /usr/sbin/policy-rc.d
fi
echo "$mode" > "$(dirname "$0")/../.taskflow-mode"
