#!/usr/bin/env bash
# Benchmarks the MongoDB stand-in through MongoDB.Driver: N single-document acknowledged inserts,
# then N finds by _id. Usage: bench/mongo-standin/run.sh [N] [concurrency...]
# Env: MONGO_BENCH_FSYNC=0 runs the stand-in with --no-fsync for comparison.
set -euo pipefail

N="${1:-5000}"
shift || true
CONCURRENCY=("$@")
if [ ${#CONCURRENCY[@]} -eq 0 ]; then CONCURRENCY=(1 8); fi

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/mongo-standin"
OUT="$(mktemp -d)"
DATA="$OUT/data"
LOG="$OUT/standin.log"

cleanup() {
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet build "$ROOT/dev/TaskFlow.MongoStandIn/TaskFlow.MongoStandIn.csproj" -c Release -o "$OUT/standin" -v q -nologo >/dev/null
dotnet build "$HERE/Bench/Bench.csproj" -c Release -o "$OUT/bench" -v q -nologo >/dev/null

EXTRA=()
if [ "${MONGO_BENCH_FSYNC:-1}" = "0" ]; then EXTRA+=(--no-fsync); fi

dotnet "$OUT/standin/TaskFlow.MongoStandIn.dll" --port 0 --data "$DATA" "${EXTRA[@]}" >"$LOG" 2>&1 &
PID=$!

PORT=""
for _ in $(seq 1 300); do
  PORT="$(sed -n 's/^MongoStandIn listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$LOG" | head -n1)"
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "stand-in exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "stand-in did not start" >&2; exit 1; }

echo "MongoStandIn on port $PORT, data dir $DATA, fsync=${MONGO_BENCH_FSYNC:-1}"
for C in "${CONCURRENCY[@]}"; do
  dotnet "$OUT/bench/Bench.dll" "mongodb://127.0.0.1:$PORT/?directConnection=true" "$N" "$C"
done
