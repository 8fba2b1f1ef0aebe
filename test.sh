#!/usr/bin/env bash
# Runs the whole TaskFlow test suite: unit tests, MongoDB stand-in tests and the distributed tests, which
# start the real system in local mode (local PostgreSQL, Redis, RabbitMQ, MongoDB stand-in) on free ports
# with throw-away data. Installs the local-mode packages first when they are missing.
#
# Usage: ./test.sh [--unit] [dotnet test options...]
#   (no option)  everything: unit, distributed and deployment tests
#   --unit       only the fast suite (dotnet test --filter Category=Unit): no AppHost, no local servers
#   e.g.         ./test.sh --filter "FullyQualifiedName~Gateway"
set -euo pipefail
cd "$(dirname "$0")"
unit=false
if [ "${1:-}" = "--unit" ]; then
  unit=true
  shift
fi
if [ "$unit" = false ]; then
  TASKFLOW_INFRASTRUCTURE=local scripts/install-prerequisites.sh --tests
fi
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
# The npm tools of the external checks (Spectral, Portman, Newman, openid-client, eventsource, @asyncapi/parser: the
# distributed Edge/OpenApiContractTests and Standards/* tests), pinned by tests/contract/package-lock.json; the unit
# suite does not need them.
if [ "$unit" = false ]; then
  npm ci --prefix tests/contract --no-audit --no-fund --loglevel=error || { echo "npm ci in tests/contract failed" >&2; status=1; }
  # graphql-js for the GraphQL introspection test (TaskFlow.Tests/Graph/GraphQLStandardClientTests), pinned by tests/graphql/package-lock.json.
  npm ci --prefix tests/graphql --no-audit --no-fund --loglevel=error || { echo "npm ci in tests/graphql failed" >&2; status=1; }
fi
dotnet build TaskFlow.sln -c Debug -nologo -v q || exit 1
run_tests() {
  dotnet test TaskFlow.sln --no-build -c Debug --logger "trx" --results-directory "$results" \
    --logger "console;verbosity=normal" "$@" || status=$?
}
if [ "$unit" = true ]; then
  run_tests --filter "Category=Unit" "$@"
elif [ $# -gt 0 ]; then
  run_tests "$@"
else
  # The unit tests first, then the distributed and deployment tests: run together, the unit suites (both test
  # projects, ~60 CPU-seconds) competed on 2 cores with the AppHost's cold start of a dozen services, and a service
  # starved for seconds timed its first connections out (CleanStartLogTests).
  run_tests --filter "Category=Unit"
  run_tests --filter "Category!=Unit"
fi
# The web client's JavaScript modules (SSE parsing, problem mapping, session): node's built-in test runner.
node --test --test-reporter=tap TaskFlow.Web/ClientTests/ > "$results/client.tap" || status=$?
echo "Web client JavaScript tests: $(grep -E '^# (pass|fail) ' "$results/client.tap" | tr '\n' ' ')"
scripts/test-summary.sh "$results"
exit $status
