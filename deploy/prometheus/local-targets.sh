#!/usr/bin/env bash
# Local mode: Prometheus scrapes every replica, not Aspire's proxy (which hands each scrape to a random one).
# Finds the running TaskFlow service processes (TaskFlow.<Name>), every TCP port each one listens on, keeps the
# ports that serve Prometheus metrics at /metrics (the gateway: its management port), and writes them as a
# file_sd target list that deploy/prometheus/prometheus.yml reads (re-read by Prometheus on change):
#
#   deploy/prometheus/local-targets.sh            write deploy/prometheus/targets/taskflow.json once
#   deploy/prometheus/local-targets.sh --watch    rewrite it every 15 s (replicas restart on new ports)
#   deploy/prometheus/local-targets.sh --output FILE
#   deploy/prometheus/local-targets.sh --timeout 30   seconds a process may take to answer /metrics (default 5)
#
# Each target is labelled service=<name> (TaskFlow.Users -> users) and replica=<pid>. Linux (ss from iproute2).
set -euo pipefail
cd "$(dirname "$0")"

output="targets/taskflow.json"
watch=false
timeout=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --watch) watch=true; shift ;;
    --output) output="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

discover() {
  local probes pid args name port file
  probes="$(mktemp -d)"
  # One line per listening socket: "<port> <pid>". Every port is probed at once, so a port that never answers costs
  # one timeout in all, not one each. The body goes to a file before it is searched: a large scrape piped into
  # `grep -q` would end curl with SIGPIPE, which pipefail reports as a failed probe.
  while read -r port pid; do
    args="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$args" =~ TaskFlow\.([A-Za-z]+) ]] || continue
    name="${BASH_REMATCH[1],,}"
    [[ "$name" == apphost ]] && continue
    (
      if curl -fsS --max-time "$timeout" -o "$probes/$port.body" "http://127.0.0.1:$port/metrics" 2>/dev/null &&
        grep -q '^# TYPE ' "$probes/$port.body"; then
        printf '{"targets":["127.0.0.1:%s"],"labels":{"service":"%s","replica":"%s"}}' "$port" "$name" "$pid" > "$probes/$port.target"
      fi
    ) &
  done < <(ss -ltnpH 2>/dev/null | sed -nE 's/^\S+\s+\S+\s+\S+\s+(\S+):([0-9]+)\s.*pid=([0-9]+).*/\2 \3/p' | sort -u)
  wait

  local entries=()
  for file in "$probes"/*.target; do
    [[ -e "$file" ]] && entries+=("$(cat "$file")")
  done
  rm -rf "$probes"

  mkdir -p "$(dirname "$output")"
  local joined
  joined="$(IFS=,; echo "${entries[*]-}")"
  printf '[%s]\n' "$joined" > "$output.tmp"
  mv "$output.tmp" "$output"
  echo "$(date +%T) ${#entries[@]} targets -> $output"
}

discover
while $watch; do
  sleep 15
  discover
done
