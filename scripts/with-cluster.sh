#!/usr/bin/env bash
# Run a command (the app) beside a local PostgreSQL and Redis: `make run-cluster` uses it.
#
# Installs Debian's postgresql and redis-server when they are missing (as root), starts both on
# 127.0.0.1 with passwords generated once, keeps their data under $PRAXIS_CLUSTER_DIR (default
# data/cluster/), applies the migrations to PostgreSQL, then runs the command with
# PRAXIS_DATABASE_URL, REFLEX_REDIS_URL and GRANIAN_WORKERS set. Both servers stop when the
# command ends, Ctrl-C included; their data stays for the next run.
#
# Settings (environment): WORKERS (backend worker processes, 2), PRAXIS_CLUSTER_DIR,
# PRAXIS_CLUSTER_PG_PORT (55432), PRAXIS_CLUSTER_REDIS_PORT (56379), PRAXIS_CLUSTER_PG_DIR
# (PostgreSQL's files; as root they belong to the `postgres` user, who cannot enter the private
# data/ folder, so they default to ~postgres/praxis-cluster there).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cluster=${PRAXIS_CLUSTER_DIR:-$root/data/cluster}
pg_port=${PRAXIS_CLUSTER_PG_PORT:-55432}
redis_port=${PRAXIS_CLUSTER_REDIS_PORT:-56379}
workers=${WORKERS:-2}
python=${PYTHON_BIN:-$root/.venv/bin/python}
is_root=false
if [ "$(id -u)" = 0 ]; then is_root=true; fi

# ---- packages ---------------------------------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if ! $is_root; then
    echo "Please install ${missing[*]} (e.g. sudo apt-get install ${missing[*]}), then run this again." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} from Debian's packages…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# ---- folders and secrets ----------------------------------------------------------------------
umask 077
mkdir -p "$cluster/redis"
if $is_root; then
  pg_dir=${PRAXIS_CLUSTER_PG_DIR:-$(getent passwd postgres | cut -d: -f6)/praxis-cluster}
else
  pg_dir=${PRAXIS_CLUSTER_PG_DIR:-$cluster/postgres}
fi
mkdir -p "$pg_dir"

as_postgres() {
  if $is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}
if $is_root; then
  chown postgres "$pg_dir"
  if ! runuser -u postgres -- test -w "$pg_dir"; then
    echo "The postgres user cannot write to $pg_dir (set PRAXIS_CLUSTER_PG_DIR to a folder it reaches)." >&2
    exit 1
  fi
fi

secret() {  # a password generated once into the file $1 (0600)
  [ -s "$1" ] || "$python" -c 'import secrets; print(secrets.token_urlsafe(24))' >"$1"
  cat "$1"
}
# Each password is kept beside the data it opens (PostgreSQL's folder may be elsewhere, see above).
pg_password=$(secret "$pg_dir/praxis-password")
redis_password=$(secret "$cluster/redis-password")

# ---- start, and stop on the way out -----------------------------------------------------------
pg_started=false
redis_started=false
stop_servers() {
  if $redis_started; then
    echo "Stopping Redis…"
    REDISCLI_AUTH=$redis_password redis-cli -h 127.0.0.1 -p "$redis_port" shutdown >/dev/null 2>&1 ||
      kill "$(cat "$cluster/redis/redis.pid" 2>/dev/null)" 2>/dev/null || true
  fi
  if $pg_started; then
    echo "Stopping PostgreSQL…"
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  fi
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -s "$pg_dir/data/PG_VERSION" ]; then
  pwfile="$pg_dir/initdb-password"
  (umask 077 && printf '%s\n' "$pg_password" >"$pwfile")
  if $is_root; then chown postgres "$pwfile"; fi
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U praxis -A scram-sha-256 --pwfile="$pwfile" >/dev/null
  rm -f "$pwfile"
fi
# setsid: Ctrl-C in the terminal reaches the app only; the servers are stopped by the trap above.
as_postgres setsid -w "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
  -o "-p $pg_port -k '' -c listen_addresses=127.0.0.1" start >/dev/null
pg_started=true
export PGPASSWORD=$pg_password
if [ "$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U praxis -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'praxis'")" != 1 ]; then
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U praxis praxis
fi
unset PGPASSWORD

cat >"$cluster/redis/redis.conf" <<EOF
bind 127.0.0.1
port $redis_port
requirepass $redis_password
dir $cluster/redis
pidfile $cluster/redis/redis.pid
logfile $cluster/redis/redis.log
daemonize yes
EOF
redis-server "$cluster/redis/redis.conf"
redis_started=true
for _ in $(seq 50); do
  if REDISCLI_AUTH=$redis_password redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
    break
  fi
  sleep 0.1
done

export PRAXIS_DATABASE_URL="postgresql+psycopg://praxis:$pg_password@127.0.0.1:$pg_port/praxis"
export REFLEX_REDIS_URL="redis://:$redis_password@127.0.0.1:$redis_port/0"
export GRANIAN_WORKERS=$workers
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port," \
  "$workers backend workers"

(cd "$root" && "$python" -m alembic upgrade head)
"$@"
