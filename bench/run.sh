#!/usr/bin/env bash
# The TaskFlow benchmark, one command: builds Release, starts the whole system once in local mode, and prints one
# table (hello, Tasks direct, nginx, gateway, POST /tasks, login, event latency at 20/50/200 tasks/s, CPU per created
# task, spans per created task, idle traces and CPU), every row measured side by side in the same run.
# Usage: bench/run.sh [--seconds 10] [--connections 16] [--idle-seconds 60] [--profile (dotnet-trace, see docs/BENCHMARKS.md)] [--startup-only] [--post-only] [--get-only] [--events-only] [--env KEY=VALUE (every service)] [--notifier-stage] [--webhooks-stage] [--schema-stage]
# On a machine shared with other work, run it through the CPU slot: /work/slot bench/run.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# The load generator and the reference proxy (Debian packages).
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
TASKFLOW_INFRASTRUCTURE=local "$root/scripts/install-prerequisites.sh"
# dotnet-trace and dotnet-counters (for --profile) are local tools pinned in .config/dotnet-tools.json.
(cd "$root" && dotnet tool restore >/dev/null)

# The AppHost runs the services with --no-build in its own configuration: Release, built here.
dotnet build "$root/TaskFlow.sln" -c Release -v q -nologo
cd "$root"
exec dotnet "$root/bench/TaskFlow.Bench/bin/Release/net10.0/TaskFlow.Bench.dll" --root "$root" "$@"
