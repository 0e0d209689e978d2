#!/usr/bin/env bash
# Replicas behind Debian's nginx, under load: one started during the load
# from a site pack, one killed.
#
# Builds the server and a site pack of N generated articles and the
# bundled ones (healthsite build), starts three replicas from the pack on
# free loopback ports, puts nginx in front (a generated config that retries
# idempotent requests on the next replica), and runs wrk against nginx for
# DURATION seconds, asking in turn for articles and searches. nginx knows
# a fourth replica from the start, down until then (refused connections
# are retried on another, and it is tried again every second): a third of
# the way in it starts from the pack, and takes requests as soon as it
# listens, with no reload of nginx (whose old worker would close the
# client's kept-alive connections); two thirds in, replica 2 gets
# SIGKILL. It reports total requests, non-2xx responses and socket errors
# as the client saw them (target: none), and the 503s the new replica
# answered itself (nginx retries those elsewhere, so the client would not
# see them; a replica that had to index search would answer searches 503
# for seconds: target none). It stops everything it started, and installs
# nothing: it says what is missing.
#
# Usage: scripts/replicas.sh [DURATION_SECONDS [N]]   (defaults 15, 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
duration=${1:-15}
n=${2:-10000}

source scripts/lib.sh
require_tools replicas nginx wrk python3 curl

work=$(mktemp -d)
# Every server started here keeps its feedback database in a folder of the
# run, never data/ in the repository.
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
pids=()
cleanup() {
  [[ -f $work/nginx.pid ]] && nginx -p "$work" -c "$work/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT


go build -o "$work/healthsite" ./cmd/healthsite
go run ./cmd/healthsite-gen -n "$n" -o "$work/corpus" >/dev/null
cp -r articles/. "$work/corpus/"
"$work/healthsite" build -articles "$work/corpus" -o "$work/pack"
lb_port=$(free_port)
ports=()
for i in 1 2 3 4; do ports+=("$(free_port)"); done
start_replica() { # start_replica I: replica I from the pack, on its port
  "$work/healthsite" -addr "127.0.0.1:${ports[$1 - 1]}" -base-url "http://127.0.0.1:$lb_port" -rate-limit 0 \
    -pack "$work/pack" 2>"$work/replica$1.log" &
  pids+=($!)
}
for i in 1 2 3; do
  start_replica "$i"
  wait_up "http://127.0.0.1:${ports[$i - 1]}/healthz"
done

# upstreams: nginx's upstream lines, the fourth replica's tried again
# every second while it is down.
upstreams() {
  for i in 1 2 3; do
    echo "    server 127.0.0.1:${ports[$i - 1]} max_fails=1 fail_timeout=30s;"
  done
  echo "    server 127.0.0.1:${ports[3]} max_fails=1 fail_timeout=1s;"
}

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
$(upstreams)
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://healthsite;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      # A replica that dies mid-request: try the next one. Only GET and
      # HEAD reach these routes, so a retry is always safe.
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 1s;
    }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"
wait_up "http://127.0.0.1:$lb_port/healthz"

# Articles and searches in turn: the searches are ones a new replica could
# answer only once its index is ready.
cat >"$work/mix.lua" <<'LUA'
local paths = {
  "/articles/neck-pain-after-cervical-massage",
  "/search?q=neck+pain",
  "/articles",
  "/search?q=stiff+knee",
  "/symptoms/neck-pain",
  "/search?q=pain",
  "/search?q=headache+after+running",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
echo "load: wrk -t1 -c20 -d${duration}s, articles and searches in turn; replica 4 starts from the pack after $((duration / 3))s (nginx sends it requests once it listens), replica 2 gets SIGKILL after $((2 * duration / 3))s"
(
  sleep $((duration / 3))
  start=$(date +%s%N)
  "$work/healthsite" -addr "127.0.0.1:${ports[3]}" -base-url "http://127.0.0.1:$lb_port" -rate-limit 0 -pack "$work/pack" 2>"$work/replica4.log" &
  echo $! >"$work/replica4.pid"
  wait_up "http://127.0.0.1:${ports[3]}/healthz"
  up=$(date +%s%N)
  echo "replica 4 answered /healthz $(((up - start) / 1000000)) ms after exec"
  sleep $((duration / 3))
  kill -9 "${pids[1]}" 2>/dev/null
  echo "killed replica 2 (pid ${pids[1]})"
) &
changer=$!
wrk -t1 -c20 -d"${duration}s" -s "$work/mix.lua" "http://127.0.0.1:$lb_port" >"$work/wrk.txt"
wait "$changer" || true
[[ -f $work/replica4.pid ]] && pids+=("$(cat "$work/replica4.pid")")

total=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' "$work/wrk.txt")
socket=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/wrk.txt")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
served4=$(grep -c '"msg":"request"' "$work/replica4.log" || true)
unavailable4=$(grep -c '"status":503' "$work/replica4.log" || true)
echo
printf '%-34s %s\n' "total requests" "${total:-0}" "non-2xx responses" "${non2xx:-0}" "socket errors" "${socket:-none}" "requests/s" "${rps:-?}" \
  "replica 4: requests answered" "$served4" "replica 4: 503s it answered" "$unavailable4"
if [[ -n ${non2xx:-} || -n ${socket:-} ]]; then
  echo "replicas: the client saw failures" >&2
  exit 1
fi
if ((served4 == 0)); then
  echo "replicas: the new replica answered nothing" >&2
  exit 1
fi
if ((unavailable4 > 0)); then
  echo "replicas: the new replica answered 503 (nginx retried them elsewhere)" >&2
  exit 1
fi
echo "replicas: no failed requests"
