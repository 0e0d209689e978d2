#!/usr/bin/env bash
# Measures what search costs at start-up on N generated articles plus the
# bundled ones (default 10,000): time from exec until the server answers
# (/healthz then an article, 200) and until search answers (/search 200,
# polled every 10 ms, after the index is built in the background), the server's own figure
# for building the index, and resident memory once search is ready and a
# few seconds later. Once with the index in a file (the default,
# -search-dir under the system's temporary folder) and once in memory
# (-search-dir ''). The machine is shared: the load average is printed.
#
# Usage: scripts/search-startup.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
n=${1:-10000}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/search-startup.sh [N]" >&2; exit 2; }

source scripts/lib.sh
require_tools search-startup curl python3 go

work=$(mktemp -d)
# Every server started here keeps its feedback database in a folder of the
# run, never data/ in the repository.
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
probe() { python3 scripts/vs-hugo/probe.py "$@"; }
# searchable PID BASE: seconds from the probe's start of PID until BASE's
# search answers 200, polled every 10 ms. The probe reports time from
# just before exec; this adds the time since then, measured the same way.
searchable() {
  python3 - "$@" <<'PY'
import http.client, sys, time
pid, port, since = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
t0 = time.monotonic()
deadline = t0 + 120
while time.monotonic() < deadline:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/search?q=neck+massage")
        r = c.getresponse()
        r.read()
        if r.status == 200:
            print(f"{since + time.monotonic() - t0:.4f}")
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
sys.exit("search did not answer 200 within 120 s")
PY
}
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 200); do [[ -e /proc/$1 ]] || return 0; sleep 0.05; done
}

echo "\$ scripts/search-startup.sh $n"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o "$work/healthsite" ./cmd/healthsite
go run ./cmd/healthsite-gen -n "$n" -o "$work/corpus" >/dev/null
cp articles/*.md articles/*.yaml "$work/corpus/"
article=neck-pain-after-cervical-massage

printf '%-7s %9s %13s %14s %14s %11s\n' index ready "search ready" "index built" "RSS at ready" "RSS +5 s"
for where in file memory; do
  dir_flag=()
  [[ $where == memory ]] && dir_flag=(-search-dir "")
  port=$(free_port)
  base="http://127.0.0.1:$port"
  read -r pid ready < <(probe start --log "$work/$where.log" 120 "$base/healthz" "$base/articles/$article" \
    -- "$work/healthsite" -addr "127.0.0.1:$port" -rate-limit -1 -articles "$work/corpus" "${dir_flag[@]}")
  search_ready=$(searchable "$pid" "$port" "$ready")
  rss_ready=$(rss_mb "$pid")
  sleep 5
  rss_later=$(rss_mb "$pid")
  built=$(grep -o '"msg":"search ready","took":"[^"]*"' "$work/$where.log" | sed 's/.*"took":"\([^"]*\)"/\1/')
  stop "$pid"
  pid=""
  printf '%-7s %8.2fs %12.2fs %14s %11s MB %8s MB\n' "$where" "$ready" "$search_ready" "$built" "$rss_ready" "$rss_later"
done
