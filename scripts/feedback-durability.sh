#!/usr/bin/env bash
# Readers' feedback is the site's first write: is every answer a reader was
# thanked for (a 303) kept, once, whatever fails? And how fast?
#
#   1. SQLite: a burst of answers from many clients to one server, which is
#      SIGKILLed part way and started again on the same file.
#   2. PostgreSQL: the same through nginx in front of three replicas that
#      share a throwaway cluster; one replica is SIGKILLed part way, then
#      the database itself is restarted.
#   3. Throughput: acknowledged answers a second and p99, one server on
#      each database, with nothing failing.
# After each burst, every acknowledged answer's token is looked up in the
# database (healthsite-feedbackload -verify): sent, acknowledged and
# stored are reported, and the script fails if one acknowledged answer is
# missing or stored twice. Installs nothing; says what is missing. As root
# it runs PostgreSQL as the postgres user.
#
# Usage: scripts/feedback-durability.sh [SECONDS_PER_BURST] [CLIENTS]   (default 12, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
seconds=${1:-12}
clients=${2:-32}

source scripts/lib.sh
require_tools feedback-durability nginx curl python3 runuser
pg_bin=/usr/lib/postgresql/15/bin
[[ -x $pg_bin/initdb ]] || { echo "feedback-durability: PostgreSQL 15 is missing (Debian: apt-get install -y postgresql)" >&2; exit 1; }

work=$(mktemp -d)
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
pids=()
cleanup() {
  [[ -f $work/nginx.pid ]] && nginx -p "$work" -c "$work/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [[ -d $work/pg/data ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/healthsite" ./cmd/healthsite
go build -o "$work/load" ./cmd/healthsite-feedbackload
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# start NAME PORT ARGS... starts a server and waits for it.
start() {
  local name=$1 port=$2
  shift 2
  "$work/healthsite" -addr "127.0.0.1:$port" -rate-limit 0 "$@" 2>>"$work/$name.log" &
  last_pid=$!
  pids+=("$last_pid")
  wait_up "http://127.0.0.1:$port/healthz"
}

echo "== 1. SQLite: $clients clients for ${seconds}s; the server SIGKILLed after $((seconds / 3))s and started again"
port=$(free_port)
mkdir -p "$work/sqlite" "$work/throughput"
db="sqlite:$work/sqlite/healthsite.db"
start sqlite "$port" -database "$db"
"$work/load" -url "http://127.0.0.1:$port" -clients "$clients" -duration "${seconds}s" -tokens "$work/sqlite.tokens" >"$work/sqlite.out" &
load_pid=$!
sleep $((seconds / 3))
kill -9 "$last_pid"
sleep 1
start sqlite "$port" -database "$db"
wait "$load_pid"
cat "$work/sqlite.out"
"$work/load" -verify -database "$db" -tokens "$work/sqlite.tokens"

echo
echo "== 2. PostgreSQL: three replicas behind nginx, $clients clients for ${seconds}s; replica 2 SIGKILLed after $((seconds / 4))s, the database restarted after $((seconds / 2))s"
chmod 755 "$work" # the postgres user must reach its folder inside
mkdir -p "$work/pg"
chown postgres: "$work/pg"
chmod 700 "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
pg_start() { runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -o "-k $work/pg -c listen_addresses=''" -w start -l "$work/pg/log" >/dev/null; }
pg_start
pg="postgres://postgres@/postgres?host=$work/pg"
lb_port=$(free_port)
upstreams=""
replica_pids=()
for i in 1 2 3; do
  p=$(free_port)
  start "pg-replica$i" "$p" -database "$pg" -base-url "http://127.0.0.1:$lb_port"
  replica_pids+=("$last_pid")
  upstreams+="    server 127.0.0.1:$p max_fails=1 fail_timeout=30s;"$'\n'
done
mkdir -p "$work/tmp"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp/body;
  proxy_temp_path $work/tmp/proxy;
  fastcgi_temp_path $work/tmp/fastcgi;
  uwsgi_temp_path $work/tmp/uwsgi;
  scgi_temp_path $work/tmp/scgi;
  upstream healthsite {
$upstreams    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://healthsite;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      # A POST is never sent again to another replica (nginx's default
      # for requests that are not idempotent): an answer sent twice could
      # be stored twice. A replica that refuses the connection is safe to
      # skip: it never got the request.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 1s;
    }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"
wait_up "http://127.0.0.1:$lb_port/healthz"
"$work/load" -url "http://127.0.0.1:$lb_port" -clients "$clients" -duration "${seconds}s" -tokens "$work/pg.tokens" >"$work/pg.out" &
load_pid=$!
sleep $((seconds / 4))
kill -9 "${replica_pids[1]}"
sleep $((seconds / 4))
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w restart -o "-k $work/pg -c listen_addresses=''" -l "$work/pg/log" >/dev/null
wait "$load_pid"
cat "$work/pg.out"
"$work/load" -verify -database "$pg" -tokens "$work/pg.tokens"
nginx -p "$work" -c "$work/nginx.conf" -s quit
for pid in "${replica_pids[@]}"; do kill "$pid" 2>/dev/null || true; done

echo
echo "== 3. Throughput: $((clients * 2)) clients for ${seconds}s, one server, nothing failing"
for kind in sqlite postgres; do
  port=$(free_port)
  if [[ $kind == sqlite ]]; then dsn="sqlite:$work/throughput/healthsite.db"; else dsn=$pg; fi
  start "throughput-$kind" "$port" -database "$dsn"
  printf '%-9s ' "$kind"
  "$work/load" -url "http://127.0.0.1:$port" -clients $((clients * 2)) -duration "${seconds}s"
  kill "$last_pid"
done
echo
echo "load average before: $load_before; 2 cores shared by the servers, the database, nginx and the clients"
