#!/usr/bin/env bash
# Brings up the whole TaskFlow system with the Aspire dashboard: installs what the infrastructure mode needs,
# builds, and runs the AppHost. Gateway: http://localhost:8080 — dashboard: http://localhost:15080.
# Prints "ready" once register, login, create-task, notifications and webhooks work through the gateway (scripts/wait-until-ready.sh).
# Data of local-mode servers lives in ./.data (git-ignored); delete that folder to reset.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
mode="$(cat .taskflow-mode)"
dotnet build TaskFlow.AppHost -c Debug -nologo -v q
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
export TaskFlow__Infrastructure="${TASKFLOW_INFRASTRUCTURE:-$mode}"
gateway="http://localhost:${TaskFlow__GatewayPort:-8080}"
dotnet run --project TaskFlow.AppHost --no-build --launch-profile http "$@" &
apphost=$!
# Ctrl+C or a stop reaches the AppHost, which stops every resource it started.
trap 'kill -INT "$apphost" 2>/dev/null; wait "$apphost"' INT TERM
scripts/wait-until-ready.sh "$gateway" 300 || echo "TaskFlow is still starting; see the dashboard" >&2
wait "$apphost"
