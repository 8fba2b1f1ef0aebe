#!/usr/bin/env bash
# Benchmarks the Users service on this machine: PBKDF2 hashing cost in isolation, then register and login
# throughput over HTTP (direct to the Users service) with a fixed number of concurrent clients.
# Without --url it starts the AppHost in local mode on free ports with throw-away data, like the tests, and stops
# it afterwards. Every phase is bounded (--seconds per phase, --max-requests per phase) and targets loopback only.
# Usage: bench/users/run.sh [--url http://127.0.0.1:PORT] [--seconds 20] [--concurrency 4] [--max-requests 5000]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/users"

dotnet build "$HERE/UsersBench/UsersBench.csproj" -c Release -v q -nologo >/dev/null
dotnet run --no-build -c Release --project "$HERE/UsersBench/UsersBench.csproj" -- "$@"
