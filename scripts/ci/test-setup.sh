#!/usr/bin/env bash
# Runs before `npm test` (the `pretest` script): installs what the tests need and is missing on a fresh Debian
# machine, starts the local servers they use when one is down, and says what it did. Cheap when all is there.
#   Debian packages: chromium (browser tests), docker-compose (the compose file is validated), redis-server.
#   Servers: Redis 6379, PostgreSQL 5432, MariaDB 3306, RabbitMQ 5672, Mosquitto 1883, NATS (JetStream) 4222.
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

# The connector tests (connectors/*, services/listener event sources) use the real servers below; start any that
# does not answer (the machine normally runs them), then wait until it does. Never stopped or reconfigured here.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  local name=$1 port=$2
  for _ in $(seq 1 300); do port_open "$port" && return 0; sleep 0.2; done
  say "$name did not start on 127.0.0.1:$port"; return 1
}
start_if_down() {
  local name=$1 port=$2; shift 2
  port_open "$port" && return 0
  if ! command -v "$1" >/dev/null 2>&1; then say "$name is not answering on $port and $1 is not installed: its tests will fail"; return 0; fi
  say "$name is not answering on 127.0.0.1:$port: starting it"
  as_root "$@" >/dev/null 2>&1 || say "starting $name failed: $*"
  wait_port "$name" "$port"
}
start_if_down PostgreSQL 5432 pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql 2>/dev/null | head -1)" main start
start_if_down MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
start_if_down RabbitMQ 5672 rabbitmq-server -detached
start_if_down Mosquitto 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf
start_if_down NATS 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server
