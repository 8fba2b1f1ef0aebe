#!/usr/bin/env bash
# End-to-end Notifier latency (task saved -> notification stored), p50/p90/p99 at a steady load.
# Starts the whole TaskFlow app in local mode (PostgreSQL, MongoDB stand-in, Redis, RabbitMQ as processes).
# Usage: bench/notifier/run.sh [--rate 20] [--seconds 30] [--warmup 20]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
exec dotnet run --project "$HERE/TaskFlow.Bench.Notifier.csproj" -c Release -- "$@"
