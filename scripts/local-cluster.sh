#!/usr/bin/env bash
# A local Rosetta cluster from nothing: a throwaway PostgreSQL and Redis (Debian's binaries:
# `apt-get install postgresql redis-server`) in one folder, and three instances on them, each on its own
# port with the same master key and admin key. Ctrl-C (or SIGTERM) stops everything; the folder is
# removed if this script made it. Needs a build (`npm run build`). See docs/cluster.md.
#
#   bash scripts/local-cluster.sh
#
# Settings (environment): PORTS ("3001 3002 3003"), PG_PORT (55432), REDIS_PORT (56379),
# CLUSTER_DIR (default: a new temp folder), NUXT_MASTER_KEY and NUXT_ADMIN_KEY (default: generated;
# the admin key is written to $CLUSTER_DIR/admin.key, mode 0600, never printed). Any other NUXT_*
# variable (NUXT_CONFIG_FILE, NUXT_LOG_LEVEL, …) reaches the three instances as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

PORTS=${PORTS:-"3001 3002 3003"}
PG_PORT=${PG_PORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
ENTRY=.output/server/index.mjs
[ -f "$ENTRY" ] || { echo "no build: run npm run build first" >&2; exit 1; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "Redis is not installed: apt-get install redis-server" >&2; exit 1; }

made_dir=""
if [ -z "${CLUSTER_DIR:-}" ]; then
  CLUSTER_DIR=$(mktemp -d -t rosetta-cluster-XXXXXX)
  made_dir=1
fi
mkdir -p "$CLUSTER_DIR"
# initdb and postgres refuse to run as root: then the cluster belongs to the postgres OS user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$CLUSTER_DIR"

pids=()
# Stops what was started, whatever happened; Ctrl-C and SIGTERM are a normal end (exit 0).
stop() {
  local code=$1
  trap - INT TERM EXIT
  echo "stopping the cluster"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  as_pg "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [ -n "$made_dir" ]; then rm -rf "$CLUSTER_DIR"; fi
  exit "$code"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

echo "PostgreSQL on 127.0.0.1:$PG_PORT, data in $CLUSTER_DIR/pg"
as_pg "$PG_BIN/initdb" -D "$CLUSTER_DIR/pg" -U postgres -A trust -E UTF8 --no-locale >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/pg" -o "-p $PG_PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1" -l "$CLUSTER_DIR/pg.log" -w start >/dev/null
# The role owns its database and is not a superuser, as in production.
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE ROLE rosetta LOGIN PASSWORD 'rosetta'" -c "CREATE DATABASE rosetta OWNER rosetta"

echo "Redis on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$CLUSTER_DIR" >"$CLUSTER_DIR/redis.log" 2>&1 &
pids+=($!)

export NUXT_DATABASE_URL="postgres://rosetta:rosetta@127.0.0.1:$PG_PORT/rosetta"
export NUXT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
random() { node -e "process.stdout.write(require('node:crypto').randomBytes($1).toString('$2'))"; }
export NUXT_MASTER_KEY=${NUXT_MASTER_KEY:-$(random 32 base64)}
if [ -z "${NUXT_ADMIN_KEY:-}" ]; then
  NUXT_ADMIN_KEY="rsk-$(random 24 hex)"
  (umask 077 && printf '%s\n' "$NUXT_ADMIN_KEY" >"$CLUSTER_DIR/admin.key")
  echo "admin key: in $CLUSTER_DIR/admin.key"
fi
export NUXT_ADMIN_KEY

# All three at once on the empty database: the migration lock lets exactly one apply the schema.
n=0
nodes=()
for port in $PORTS; do
  n=$((n + 1))
  PORT=$port HOST=127.0.0.1 NUXT_INSTANCE_ID="node$n" node "$ENTRY" >"$CLUSTER_DIR/node$n.log" 2>&1 &
  pids+=($!)
  nodes+=("$!:$port:node$n")
done
# /health answers 200 once an instance's boot has finished (a busy machine: up to 3 minutes).
healthy() { node -e "fetch('http://127.0.0.1:$1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }
for node in "${nodes[@]}"; do
  IFS=: read -r pid port name <<<"$node"
  for _ in $(seq 1 360); do
    healthy "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! healthy "$port"; then
    # Its log goes with the folder: show the end of it now.
    echo "$name (port $port) did not start; the end of its log:" >&2
    tail -n 15 "$CLUSTER_DIR/$name.log" >&2
    exit 1
  fi
done
echo "cluster ready: $(for p in $PORTS; do printf 'http://127.0.0.1:%s ' "$p"; done)(logs in $CLUSTER_DIR)"
# Until Ctrl-C, or until an instance exits.
wait -n "${pids[@]}" || true
echo "a process of the cluster exited: see $CLUSTER_DIR" >&2
exit 1
