#!/usr/bin/env bash
# Benchmarks the MongoDB stand-in through MongoDB.Driver: N single-document acknowledged inserts, then N finds by _id,
# then N task inserts (the Tasks indexes, one pending event each) and the outbox relay's N clears (findAndModify).
# Usage: bench/mongo-standin/run.sh [N] [concurrency...]
# Env: MONGO_BENCH_FSYNC=0 runs the stand-in with --no-fsync for comparison.
#      MONGO_BENCH_BASELINE=<git ref> also builds that commit's stand-in and runs both, alternating, side by side.
set -euo pipefail

N="${1:-5000}"
shift || true
CONCURRENCY=("$@")
if [ ${#CONCURRENCY[@]} -eq 0 ]; then CONCURRENCY=(1 8); fi

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/mongo-standin"
OUT="$(mktemp -d)"
PID=""

cleanup() {
  stop_standin
  if [ -n "${MONGO_BENCH_BASELINE:-}" ]; then git -C "$ROOT" worktree remove --force "$OUT/baseline-src" >/dev/null 2>&1 || true; fi
  rm -rf "$OUT"
}
stop_standin() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=""
}
trap cleanup EXIT

dotnet build "$ROOT/dev/TaskFlow.MongoStandIn/TaskFlow.MongoStandIn.csproj" -c Release -o "$OUT/standin-current" -v q -nologo >/dev/null
dotnet build "$HERE/Bench/Bench.csproj" -c Release -o "$OUT/bench" -v q -nologo >/dev/null
VARIANTS=(current)
if [ -n "${MONGO_BENCH_BASELINE:-}" ]; then
  git -C "$ROOT" worktree add --detach "$OUT/baseline-src" "$MONGO_BENCH_BASELINE" >/dev/null 2>&1
  dotnet build "$OUT/baseline-src/dev/TaskFlow.MongoStandIn/TaskFlow.MongoStandIn.csproj" -c Release -o "$OUT/standin-baseline" -v q -nologo >/dev/null
  VARIANTS=(baseline current baseline current)
fi

# the runtime settings the AppHost gives the stand-in (RuntimeSettingsExtensions: a 32 MiB gen0 budget)
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}"
EXTRA=()
if [ "${MONGO_BENCH_FSYNC:-1}" = "0" ]; then EXTRA+=(--no-fsync); fi

for VARIANT in "${VARIANTS[@]}"; do
  DATA="$OUT/data-$RANDOM"
  LOG="$OUT/standin.log"
  dotnet "$OUT/standin-$VARIANT/TaskFlow.MongoStandIn.dll" --port 0 --data "$DATA" "${EXTRA[@]}" >"$LOG" 2>&1 &
  PID=$!
  PORT=""
  for _ in $(seq 1 300); do
    PORT="$(sed -n 's/^MongoStandIn listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$LOG" | head -n1)"
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "stand-in exited" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$PORT" ] || { echo "stand-in did not start" >&2; exit 1; }

  echo "== stand-in: $VARIANT${MONGO_BENCH_BASELINE:+ (baseline = $MONGO_BENCH_BASELINE)}, port $PORT, fsync=${MONGO_BENCH_FSYNC:-1}"
  for C in "${CONCURRENCY[@]}"; do
    dotnet "$OUT/bench/Bench.dll" "mongodb://127.0.0.1:$PORT/?directConnection=true" "$N" "$C" "$PID"
  done
  stop_standin
  rm -rf "$DATA"
done
