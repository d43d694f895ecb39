#!/usr/bin/env bash
# Runs before `npm test` (the `pretest` script): installs what the tests need and is missing on a fresh Debian
# machine, starts the local servers they use when one is down, and says what it did. Cheap when all is there.
#   Debian packages: chromium (browser tests), docker-compose (the compose file is validated), redis-server.
#   Servers: Redis on 127.0.0.1:6379 (the only local server the tests use today).
# OUTRUN_TEST_SETUP=off skips it (for machines managed another way).
set -euo pipefail
[ "${OUTRUN_TEST_SETUP:-}" = "off" ] && exit 0
say() { printf '[test setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else say "needs root to run: $*"; return 1
  fi
}

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  say "installing Debian packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  say "installed ${need[*]}"
fi

# Redis: the machine usually starts it; start a non-persistent one if nothing answers on 6379.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "Redis is not answering on 127.0.0.1:6379: starting redis-server (no persistence)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { say "Redis did not start"; exit 1; }
fi
