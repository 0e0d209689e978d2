#!/usr/bin/env bash
# Three replicas behind Debian's nginx, under load, with one killed half way.
#
# Builds the server, starts three replicas on free loopback ports, puts
# nginx in front (a generated config that retries idempotent requests on
# the next replica), runs wrk against nginx for DURATION seconds, sends
# SIGKILL to one replica half way, then reports total requests, non-2xx
# responses and socket errors as the client saw them. Target: zero failed
# requests. It stops everything it started, and installs nothing: it says
# what is missing.
#
# Usage: scripts/replicas.sh [DURATION_SECONDS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
duration=${1:-10}

source scripts/lib.sh
require_tools replicas nginx wrk python3 curl

work=$(mktemp -d)
# Every server started here keeps its feedback database in a folder of the
# run, never data/ in the repository.
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
pids=()
cleanup() {
  [[ -f $work/nginx.pid ]] && nginx -p "$work" -c "$work/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT


go build -o "$work/healthsite" ./cmd/healthsite
lb_port=$(free_port)
upstreams=""
for i in 1 2 3; do
  port=$(free_port)
  "$work/healthsite" -addr "127.0.0.1:$port" -base-url "http://127.0.0.1:$lb_port" 2>"$work/replica$i.log" &
  pids+=($!)
  upstreams+="    server 127.0.0.1:$port max_fails=1 fail_timeout=30s;"$'\n'
  wait_up "http://127.0.0.1:$port/healthz"
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

url="http://127.0.0.1:$lb_port/articles/neck-pain-after-cervical-massage"
echo "load: wrk -t1 -c20 -d${duration}s $url; SIGKILL to replica 2 after $((duration / 2))s"
( sleep $((duration / 2)); kill -9 "${pids[1]}" 2>/dev/null; echo "killed replica 2 (pid ${pids[1]})" ) &
killer=$!
wrk -t1 -c20 -d"${duration}s" "$url" >"$work/wrk.txt"
wait "$killer" || true

total=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' "$work/wrk.txt")
socket=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/wrk.txt")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
echo
printf '%-22s %s\n' "total requests" "${total:-0}" "non-2xx responses" "${non2xx:-0}" "socket errors" "${socket:-none}" "requests/s" "${rps:-?}"
if [[ -n ${non2xx:-} || -n ${socket:-} ]]; then
  echo "replicas: the client saw failures" >&2
  exit 1
fi
echo "replicas: no failed requests"
