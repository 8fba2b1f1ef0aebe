#!/usr/bin/env bash
# Runs the whole TaskFlow test suite: unit tests, MongoDB stand-in tests and the distributed tests, which
# start the real system in local mode (local PostgreSQL, Redis, RabbitMQ, MongoDB stand-in) on free ports
# with throw-away data. Installs the local-mode packages first when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
TASKFLOW_INFRASTRUCTURE=local scripts/install-prerequisites.sh --tests
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet build TaskFlow.sln -c Debug -nologo -v q || exit 1
dotnet test TaskFlow.sln --no-build -c Debug --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=normal" "$@" || status=$?
# The web client's JavaScript modules (SSE parsing, problem mapping, session): node's built-in test runner.
node --test --test-reporter=tap TaskFlow.Web/ClientTests/ > "$results/client.tap" || status=$?
echo "Web client JavaScript tests: $(grep -E '^# (pass|fail) ' "$results/client.tap" | tr '\n' ' ')"
scripts/test-summary.sh "$results"
exit $status
