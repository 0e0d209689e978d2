#!/usr/bin/env bash
# The editors' desk at scale: how long its "Needs attention" page and a
# filtered comment queue take with 1,000,000 answers and 100,000 comments,
# on SQLite and on PostgreSQL. Target: under 200 ms each.
#
# Builds the server and the generators, writes a corpus of ARTICLES
# articles, fills a SQLite file (and, when HEALTHSITE_TEST_POSTGRES names a
# PostgreSQL server, a new database in it, dropped afterwards) with
# cmd/healthsite-feedbackgen, adds an editor, starts the server with the
# desk on a loopback port, signs in with curl, then times REQUESTS requests
# of each page one after another and prints p50 and max, with the load
# average (the machine is shared: read the figures beside it). Filling
# takes a few minutes per database; set KEEP=DIR to keep (and on the next
# run reuse) the corpus and SQLite file in DIR. It stops what it started
# and installs nothing.
#
# Usage: scripts/desk-scale.sh [REQUESTS]   (default 10; env ARTICLES=2000 ANSWERS=1000000 COMMENTS=100000)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
requests=${1:-10}
articles=${ARTICLES:-2000}
answers=${ANSWERS:-1000000}
comments=${COMMENTS:-100000}

source scripts/lib.sh
require_tools desk-scale curl python3

work=$(mktemp -d)
# Packs of the articles folder are kept in the run, not the user's cache.
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
keep=${KEEP:-$work/keep}
mkdir -p "$keep"
pid=""
pgdb=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  if [[ -n $pgdb ]]; then
    psql -q "$HEALTHSITE_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/healthsite" ./cmd/healthsite
go build -o "$work/gen" ./cmd/healthsite-gen
go build -o "$work/feedbackgen" ./cmd/healthsite-feedbackgen
[[ -d $keep/corpus ]] || "$work/gen" -n "$articles" -o "$keep/corpus" >/dev/null

# time_page NAME URL: REQUESTS sequential requests with the session cookie,
# after one to warm the connection pool; prints p50 and max in ms.
time_page() {
  local name=$1 url=$2 times=()
  curl -fsS -o /dev/null -b "$work/cookies" "$url"
  for _ in $(seq "$requests"); do
    times+=("$(curl -fsS -o /dev/null -b "$work/cookies" -w '%{time_total}' "$url")")
  done
  printf '%s\n' "${times[@]}" | python3 -c '
import sys, statistics
t = sorted(float(x) * 1000 for x in sys.stdin)
print(f"  {sys.argv[1]:<34} p50 {statistics.median(t):6.1f} ms   max {max(t):6.1f} ms   ({len(t)} requests)")' "$name"
}

measure() {
  local label=$1 dsn=$2
  if [[ $label == sqlite && -f $keep/sqlite/healthsite.db ]]; then
    echo "$label: reusing $keep/sqlite"
  else
    echo "$label: filling ($answers answers, $comments comments)..."
    "$work/feedbackgen" -database "$dsn" -articles "$articles" -answers "$answers" -comments "$comments" 2>/dev/null
  fi
  printf 'a passphrase for the scale test\n' | "$work/healthsite" editors add -role editor -database "$dsn" measurer@example.org >/dev/null 2>&1 || true
  local port
  port=$(free_port)
  "$work/healthsite" -addr 127.0.0.1:0 -articles "$keep/corpus" -desk-addr "127.0.0.1:$port" -database "$dsn" 2>"$work/$label.log" &
  pid=$!
  wait_up "http://127.0.0.1:$port/desk/sign-in"
  rm -f "$work/cookies"
  curl -fsS -o /dev/null -c "$work/cookies" --data-urlencode email=measurer@example.org \
    --data-urlencode 'password=a passphrase for the scale test' "http://127.0.0.1:$port/desk/sign-in"
  local base="http://127.0.0.1:$port/desk"
  local from
  from=$(date -u -d '30 days ago' +%F)
  local busiest
  busiest=$(curl -fsS -b "$work/cookies" "$base" | grep -o 'href="/desk/pages/articles/[^"]*"' | head -1 | sed 's|href="/desk/pages||; s|"||')
  echo "$label: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  time_page "Needs attention" "$base"
  time_page "Needs attention, page 3" "$base?page=3"
  time_page "queue: state new, last 30 days" "$base/comments?state=new&from=$from"
  time_page "queue: one page ($busiest)" "$base/comments?page=$busiest"
  time_page "queue: everything" "$base/comments"
  time_page "queue: spam, second page" "$base/comments?state=spam&after=$(date -u +%F)~$(printf 'A%.0s' $(seq 43))"
  time_page "a page's feedback" "$base/pages$busiest"
  echo "$label: load average $(cut -d' ' -f1-3 /proc/loadavg) after"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

mkdir -p "$keep/sqlite"
measure sqlite "sqlite:$keep/sqlite/healthsite.db"
if [[ -n ${HEALTHSITE_TEST_POSTGRES:-} ]]; then
  require_tools desk-scale psql
  pgdb=healthsite_scale_$$
  psql -q "$HEALTHSITE_TEST_POSTGRES" -c "CREATE DATABASE $pgdb"
  pgdsn=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$HEALTHSITE_TEST_POSTGRES" "$pgdb")
  measure postgres "$pgdsn"
else
  echo "postgres: skipped (set HEALTHSITE_TEST_POSTGRES to a server's URL)"
fi
