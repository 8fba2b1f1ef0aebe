#!/usr/bin/env bash
# Tasks benchmark: GET-by-id throughput with the cache cold and warm, and list latency with 10,000 tasks.
# Starts the whole system in local mode (MongoDB stand-in, Redis, RabbitMQ, PostgreSQL as processes), seeds the
# tasks, measures through the Tasks service's endpoint (both replicas, behind Aspire's proxy), and stops it again.
# Usage: bench/tasks/run.sh [--tasks N] [--concurrency C] [--list-samples S]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# The AppHost starts the services with --no-build in its own configuration, so build everything in Release first.
dotnet build "$root/TaskFlow.sln" -c Release -v q -nologo
dotnet build "$here/TaskFlow.Bench.Tasks.csproj" -c Release -v q -nologo
dotnet "$here/bin/Release/net10.0/TaskFlow.Bench.Tasks.dll" "$@"
