#!/usr/bin/env bash
# Measures searches nobody made before against the running server, on N
# generated articles plus the bundled ones (default 100,000): the server
# keeps no search pages (-search-cache-mb 0) and has no rate limit, and wrk
# (one thread, 8 connections, D seconds, default 20) asks for the queries
# of internal/search/testdata/queries.txt in turn, page 1 each
# (scripts/search-queries.lua). Prints requests a second, latencies, how
# long the index took to build, and the server's resident memory when
# search was ready and after the run. wrk and the server share the cores:
# the load average is printed before and after.
#
# REV=<git revision> measures that revision's server first, in the same
# sitting (built from `git archive` of it), for figures before and after
# a change. CORPUS=<folder> serves a folder that cmd/healthsite-gen wrote
# (and the bundled articles copied in) instead of writing one.
#
# Usage: [REV=rev] [CORPUS=folder] scripts/search-load.sh [N] [D]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
n=${1:-100000}
duration=${2:-20}
[[ $n =~ ^[1-9][0-9]*$ && $duration =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/search-load.sh [N] [SECONDS]" >&2; exit 2; }

source scripts/lib.sh
require_tools search-load wrk curl go git

work=$(mktemp -d)
# Packs of the articles folder are kept in the run, not the user's cache.
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# rss_mb PID: resident memory, and of it the process's own (not the
# index file's pages, which the system may take back), in MB.
rss_mb() { awk '/^VmRSS:/ { rss = $2 } /^RssAnon:/ { anon = $2 } END { printf "%.0f (%.0f)", rss / 1024, anon / 1024 }' "/proc/$1/status"; }

echo "\$ ${REV:+REV=$REV }${CORPUS:+CORPUS=$CORPUS }scripts/search-load.sh $n $duration"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
builds=()
if [[ -n ${REV:-} ]]; then
  mkdir "$work/rev"
  git archive "$REV" | tar -x -C "$work/rev"
  (cd "$work/rev" && go build -o "$work/healthsite-rev" ./cmd/healthsite)
  builds+=("$(git rev-parse --short "$REV")|$work/healthsite-rev")
fi
go build -o "$work/healthsite" ./cmd/healthsite
head=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain -- cmd internal web articles) ]] || head+="+changes"
builds+=("$head|$work/healthsite")
corpus=${CORPUS:-}
if [[ -z $corpus ]]; then
  corpus=$work/corpus
  go run ./cmd/healthsite-gen -n "$n" -o "$corpus" >/dev/null
  cp articles/*.md articles/*.yaml "$corpus/"
fi

printf '%-16s %8s %9s %9s %9s %14s %17s %17s  %s\n' server "req/s" p50 p90 p99 "index built" "RSS (own) ready" "RSS (own) after" "load average before; after"
for build in "${builds[@]}"; do
  name=${build%%|*} bin=${build#*|}
  port=$(free_port)
  base="http://127.0.0.1:$port"
  rm -rf "$work/index" && mkdir "$work/index"
  "$bin" -addr "127.0.0.1:$port" -articles "$corpus" -rate-limit 0 -search-cache-mb 0 -search-dir "$work/index" 2>"$work/server.log" &
  pid=$!
  for _ in $(seq 1200); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/search?q=neck") == 200 ]] && break
    sleep 0.5
  done
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/search?q=neck") == 200 ]] || { echo "search-load: $name: search not ready in 10 minutes" >&2; exit 1; }
  # The server logs how long the index took just after search serves.
  for _ in $(seq 100); do grep -q '"msg":"search ready"' "$work/server.log" && break; sleep 0.1; done
  built=$(grep -o '"msg":"search ready","took":"[^"]*"' "$work/server.log" | sed 's/.*"took":"\([^"]*\)"/\1/' || true)
  rss_ready=$(rss_mb "$pid")
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  wrk -t1 -c8 -d"${duration}s" --timeout 10s --latency -s scripts/search-queries.lua "$base" -- internal/search/testdata/queries.txt >"$work/wrk.txt"
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  rss_after=$(rss_mb "$pid")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
  pct() { awk -v p="$1" '$1 == p { print $2 }' "$work/wrk.txt"; }
  printf '%-16s %8s %9s %9s %9s %14s %14s MB %14s MB  %s; %s\n' "$name" "$rps" "$(pct 50%)" "$(pct 90%)" "$(pct 99%)" "$built" "$rss_ready" "$rss_after" "$load_before" "$load_after"
  grep -E 'Non-2xx|Socket errors' "$work/wrk.txt" | sed "s/^/  $name: /" || true
  if grep -q '"level":"ERROR"' "$work/server.log"; then
    echo "  $name: the server logged errors:" && grep '"level":"ERROR"' "$work/server.log" | head -3
  fi
done
