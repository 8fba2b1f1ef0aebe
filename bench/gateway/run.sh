#!/usr/bin/env bash
# Gateway overhead: requests/s and latency of GET /tasks/{id} through the gateway vs. directly to Tasks, in one run.
# Starts the whole system in local mode on free ports with throw-away data, measures, and stops it again.
# Usage: bench/gateway/run.sh [--requests N] [--concurrency C] [--rounds R]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
TASKFLOW_INFRASTRUCTURE=local "$root/scripts/install-prerequisites.sh"
# The AppHost starts the services with --no-build, so they must be built first (Debug, as the AppHost runs them).
dotnet build "$root/TaskFlow.sln" -v q -nologo
dotnet build "$here/TaskFlow.Bench.Gateway.csproj" -c Release -v q -nologo
dotnet "$here/bin/Release/net10.0/TaskFlow.Bench.Gateway.dll" "$@"
