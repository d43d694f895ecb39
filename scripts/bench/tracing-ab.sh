#!/usr/bin/env bash
# Tracing on vs off, A/B interleaved, three runs each, on bench:ingest and bench:runner (BullMQ, 1 runner
# process). "on" exports every span over OTLP/HTTP to a local sink that discards them. Short phases
# (BENCH_SECONDS, default 5): compare the two columns of one invocation, not with other machines.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_PHASE="${BENCH_SECONDS:-5}"
OUT="${BENCH_OUT:-/tmp/outrun-tracing-ab}"
mkdir -p "$OUT"
PORT=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
node scripts/bench/otlp-discard-sink.mjs "$PORT" > "$OUT/sink.txt" &
SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT
for i in 1 2 3; do
  for mode in off on; do
    endpoint=""
    [ "$mode" = on ] && endpoint="http://127.0.0.1:$PORT"
    OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" BENCH_SECONDS="$SECONDS_PER_PHASE" npx tsx services/listener/bench/ingest.bench.ts > "$OUT/ingest-$mode-$i.txt" 2>&1
    OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" BENCH_SECONDS="$SECONDS_PER_PHASE" BENCH_MODES=bullmq1 npx tsx services/runner/bench/runner.bench.ts > "$OUT/runner-$mode-$i.txt" 2>&1
    echo "run $i $mode done"
  done
done
kill $SINK; wait $SINK || true
echo "sink (requests bytes): $(cat "$OUT/sink.txt")"
