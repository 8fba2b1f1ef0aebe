#!/usr/bin/env bash
# Brings up the whole TaskFlow system with the Aspire dashboard: installs what the infrastructure mode needs,
# builds, and runs the AppHost. Gateway: http://localhost:8080 — dashboard: http://localhost:15080.
# Data of local-mode servers lives in ./.data (git-ignored); delete that folder to reset.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
mode="$(cat .taskflow-mode)"
dotnet build TaskFlow.AppHost -c Debug -nologo -v q
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
export TaskFlow__Infrastructure="${TASKFLOW_INFRASTRUCTURE:-$mode}"
exec dotnet run --project TaskFlow.AppHost --no-build --launch-profile http "$@"
