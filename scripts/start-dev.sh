#!/usr/bin/env bash
# Development mode (the seed's `scripts/start-dev.sh`): every service in watch mode.
# Embedded (no REDIS_URL): one process serves api, listener and runner, restarting on change, plus `next dev`.
# Distributed (REDIS_URL set): api, listener and runner run as separate watched processes.
set -euo pipefail
cd "$(dirname "$0")/.."
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -n "${REDIS_URL:-}" ]; then
  for svc in api listener runner; do
    npx tsx watch "services/$svc/src/main.ts" & pids+=($!)
  done
  npm run dev -w apps/web & pids+=($!)
else
  OUTRUN_WEB_MODE=dev npx tsx watch --exclude 'apps/**' scripts/start.ts & pids+=($!)
fi
wait -n
