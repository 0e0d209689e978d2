#!/usr/bin/env bash
# Measures the server against Debian's nginx serving the same bytes from
# disk (gzip_static), in one sitting, since only ratios mean anything on a
# shared machine. For each page: wrk -t1 -c50 -d${DURATION}s --latency
# -H 'Accept-Encoding: gzip' against ours (full production middleware and
# access log written to a file) and against nginx with worker_processes 1
# and auto (the faster one is the reference). Prints a table; installs
# nothing, and says what is missing.
#
# Usage: scripts/loadtest.sh [DURATION_SECONDS]   (default 10)
#        PROFILE=1 scripts/loadtest.sh   also prints the top of a CPU profile of ours under load
#        CORPUS=10000 scripts/loadtest.sh   adds a row for a result of a generated
#            complaint, from a second server serving that many generated articles
#            (cmd/healthsite-gen; about 20 s more and 0.5 GB at 10,000), and
#            measures search and the lists on that server (and a third, keeping
#            no pages), as the search and browse targets are set at 10,000
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
duration=${1:-10}

source scripts/lib.sh
require_tools loadtest nginx wrk curl gzip python3

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
# Every server started here keeps its feedback database in a folder of the
# run, never data/ in the repository.
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
ours_pid=""
cleanup() {
  [[ -f $work/nginx.pid ]] && nginx -p "$work" -c "$work/nginx.conf" -s quit 2>/dev/null || true
  [[ -n $ours_pid ]] && kill "$ours_pid" 2>/dev/null && wait "$ours_pid" 2>/dev/null || true
  [[ -n ${bare_pid:-} ]] && kill "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null || true
  [[ -n ${nocache_pid:-} ]] && kill "$nocache_pid" 2>/dev/null && wait "$nocache_pid" 2>/dev/null || true
  [[ -n ${corpus_pid:-} ]] && kill "$corpus_pid" 2>/dev/null && wait "$corpus_pid" 2>/dev/null || true
  [[ -n ${corpus_nc_pid:-} ]] && kill "$corpus_nc_pid" 2>/dev/null && wait "$corpus_nc_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT


go build -o "$work/healthsite" ./cmd/healthsite
port=$(free_port)
profile_flag=()
[[ ${PROFILE:-} == 1 ]] && profile_flag=(-cpuprofile "$work/cpu.prof")
# The rate limit is off: wrk is one client asking far faster than a person.
"$work/healthsite" -addr "127.0.0.1:$port" -rate-limit 0 "${profile_flag[@]}" 2>"$work/access.log" &
ours_pid=$!
ours="http://127.0.0.1:$port"
wait_up "$ours/healthz"
# The same server keeping no pages: every article, result and search is
# made, rendered and compressed for its request, as for a page nobody has
# asked for since it last changed, or answers or words nobody else has sent
# lately.
nocache_port=$(free_port)
"$work/healthsite" -addr "127.0.0.1:$nocache_port" -rate-limit 0 -page-cache-mb 0 -answer-cache-mb 0 -search-cache-mb 0 2>/dev/null &
nocache_pid=$!
nocache="http://127.0.0.1:$nocache_port"
wait_up "$nocache/healthz"
# Search answers 503 until its index is built, in the background.
wait_search() {
  for _ in $(seq 600); do [[ $(curl -s -o /dev/null -w '%{http_code}' "$1/search?q=neck") == 200 ]] && return 0; sleep 0.1; done
  echo "loadtest: search at $1 not ready within 60s" >&2
  return 1
}

# page name | path | file nginx serves it from | which of ours serves it |
# the path nginx and bare are asked for (default: path), when path cannot be
# a file next to the others (/articles is a folder of files here) | a wrk
# script that varies the request
result_path="/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck&symptom=tender-when-pressed"
pages=(
  "article|/articles/neck-pain-after-cervical-massage|articles/neck-pain-after-cervical-massage|$ours"
  "home|/|index.html|$ours"
  "result|$result_path|symptoms/neck-pain/results|$ours"
  "result-nc|$result_path|symptoms/neck-pain/results|$nocache"
  "article-nc|/articles/neck-pain-after-cervical-massage|articles/neck-pain-after-cervical-massage|$nocache"
  # The article again while readers' feedback is written all the time, at
  # the 1,000 answers a second the feedback target asks the server to take
  # (cmd/healthsite-feedbackload, 16 clients): writes must not slow reads.
  "article-w|/articles/neck-pain-after-cervical-massage|articles/neck-pain-after-cervical-massage|$ours"
)
if [[ -n ${CORPUS:-} ]]; then
  # A generated complaint's result on a site of $CORPUS generated articles:
  # the middle complaint, with its first red flag and first two symptoms.
  go run ./cmd/healthsite-gen -n "$CORPUS" -o "$work/corpus" >/dev/null
  corpus_port=$(free_port)
  "$work/healthsite" -addr "127.0.0.1:$corpus_port" -rate-limit -1 -articles "$work/corpus" 2>/dev/null &
  corpus_pid=$!
  corpus="http://127.0.0.1:$corpus_port"
  for _ in $(seq 600); do curl -fsS "$corpus/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
  wait_up "$corpus/healthz"
  complaint="generated-$(( (CORPUS + 99) / 100 / 2 + 1 ))"
  answers=$(curl -fsS "$corpus/symptoms/$complaint" | grep -o 'name="symptom" value="[a-z0-9-]*"' | sed 's/.*value="\(.*\)"/\1/' | grep -v '^none$')
  query=$( (echo "$answers" | grep '^generated-sign-' | head -1; echo "$answers" | grep -v '^generated-sign-' | head -2) | sed 's/^/symptom=/' | paste -sd'&')
  pages+=("result-${CORPUS}|/symptoms/$complaint/results?$query|symptoms/$complaint/results|$corpus")
  # The same site again, keeping no pages, for search-nc.
  corpus_nc_port=$(free_port)
  "$work/healthsite" -addr "127.0.0.1:$corpus_nc_port" -rate-limit 0 -page-cache-mb 0 -answer-cache-mb 0 -search-cache-mb 0 -articles "$work/corpus" 2>/dev/null &
  corpus_nc_pid=$!
  corpus_nc="http://127.0.0.1:$corpus_nc_port"
  wait_up "$corpus_nc/healthz"
  # Generated articles never say "neck" (no complaint's words in code),
  # so the generated site is searched for words it uses together.
  big=$corpus big_nc=$corpus_nc letter=s topic=muscles-and-joints words=shoulder+massage
else
  big=$ours big_nc=$nocache letter=n topic=neck words=neck+massage
fi
wait_search "$big"
wait_search "$big_nc"
# Search and the lists, on the generated site when there is one.
search_path="/search?q=$words"
pages+=(
  "search|$search_path|search|$big"
  "search-nc|$search_path|search|$big_nc||$work/distinct-searches.lua"
  "a-to-z|/articles|a-to-z.html|$big|/a-to-z.html"
  "letter|/a-z/$letter|a-z/$letter|$big"
  "topic|/topics/$topic|topics/$topic|$big"
)
# The uncached server still makes a page once for requests that arrive
# together for it (single-flight), and wrk sends the same request fifty at
# a time: search-nc asks for a different query each time instead, the same
# words followed by common words that search drops, so every request makes
# the same search on its own.
sed "s/@WORDS@/$words/" >"$work/distinct-searches.lua" <<'LUA'
local common = {"a", "an", "the", "of", "to", "in", "on", "my", "your", "with",
  "for", "and", "is", "it", "do", "does", "how", "why", "what", "when"}
local n = 0
request = function()
  n = n + 1
  local a = common[n % #common + 1]
  local b = common[math.floor(n / #common) % #common + 1]
  local c = common[math.floor(n / (#common * #common)) % #common + 1]
  return wrk.format("GET", "/search?q=@WORDS@+" .. a .. "+" .. b .. "+" .. c)
end
LUA
mkdir -p "$work/www" "$work/tmp"
for entry in "${pages[@]}"; do
  IFS='|' read -r name path file server ref script <<<"$entry"
  [[ -f $work/www/$file ]] && continue
  mkdir -p "$work/www/$(dirname "$file")"
  curl -fsS "$server$path" -o "$work/www/$file"
  gzip -9 -k "$work/www/$file"
done
# The ceiling for net/http: the same gzipped bytes from a bare handler.
go build -o "$work/bare" ./cmd/healthsite-bare
bare_port=$(free_port)
"$work/bare" -addr "127.0.0.1:$bare_port" -root "$work/www" &
bare_pid=$!
wait_up "http://127.0.0.1:$bare_port/"

# nginx's workers run as an unprivileged user: let them read the pages.
chmod 755 "$work"
chmod -R a+rX "$work/www"

run_wrk() { # url [wrk script] -> "requests/s p99"
  local script=()
  [[ -n ${2:-} ]] && script=(-s "$2")
  wrk -t1 -c50 -d"${duration}s" --latency -H 'Accept-Encoding: gzip' "${script[@]}" "$1" >"$work/wrk.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  grep -q "Non-2xx" "$work/wrk.txt" && { echo "loadtest: non-2xx responses from $1" >&2; cat "$work/wrk.txt" >&2; exit 1; }
  echo "$rps $p99"
}

nginx_port=$(free_port)
start_nginx() { # workers
  cat >"$work/nginx.conf" <<CONF
worker_processes $1;
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
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    index index.html;
    default_type "text/html; charset=utf-8";
    gzip_static on;
  }
}
CONF
  nginx -p "$work" -c "$work/nginx.conf"
  wait_up "http://127.0.0.1:$nginx_port/"
}
stop_nginx() {
  nginx -p "$work" -c "$work/nginx.conf" -s quit
  for _ in $(seq 100); do [[ -f $work/nginx.pid ]] || break; sleep 0.05; done
}

# The references (bare and nginx) are keyed by path: two rows serving the
# same page share one measurement of it.
declare -A ours_rps ours_p99 bare_rps bare_p99 nginx_rps nginx_p99 nginx_setting
go build -o "$work/feedbackload" ./cmd/healthsite-feedbackload
for entry in "${pages[@]}"; do
  IFS='|' read -r name path file server ref script <<<"$entry"
  if [[ $name == article-w ]]; then
    "$work/feedbackload" -url "$server" -clients 16 -rate 1000 -duration "$((duration + 1))s" >"$work/writes.txt" &
    writes_pid=$!
    sleep 0.5
  fi
  read -r ours_rps[$name] ours_p99[$name] < <(run_wrk "$server$path" "$script")
  [[ $name == article-w ]] && wait "$writes_pid"
  path=${ref:-$path}
  [[ -n ${bare_rps[$path]:-} ]] && continue
  read -r "bare_rps[$path]" "bare_p99[$path]" < <(run_wrk "http://127.0.0.1:$bare_port$path")
done
kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true; bare_pid=""
for workers in 1 auto; do
  start_nginx "$workers"
  declare -A measured=()
  for entry in "${pages[@]}"; do
    IFS='|' read -r name path file server ref script <<<"$entry"
    path=${ref:-$path}
    [[ -n ${measured[$path]:-} ]] && continue
    measured[$path]=1
    read -r rps p99 < <(run_wrk "http://127.0.0.1:$nginx_port$path")
    if [[ -z ${nginx_rps[$path]:-} ]] || python3 -c "import sys; sys.exit(0 if float('$rps') > float('${nginx_rps[$path]}') else 1)"; then
      nginx_rps[$path]=$rps nginx_p99[$path]=$p99 nginx_setting[$path]=$workers
    fi
  done
  unset measured
  stop_nginx
done

gz_size() { stat -c %s "$work/www/$1.gz"; }
echo
echo "wrk -t1 -c50 -d${duration}s --latency -H 'Accept-Encoding: gzip'; nginx: the faster of worker_processes 1 and auto"
echo "bare: the same gzipped bytes from a bare net/http handler (cmd/healthsite-bare), net/http's ceiling"
printf '%-10s %11s %11s %11s %6s %6s %9s %9s %9s %7s %8s\n' page "ours req/s" "bare req/s" "nginx req/s" ratio "bare" "ours p99" "bare p99" "nginx p99" workers "gzip size"
for entry in "${pages[@]}"; do
  IFS='|' read -r name path file server ref script <<<"$entry"
  path=${ref:-$path}
  ratio=$(python3 -c "print(f'{float(\"${ours_rps[$name]}\") / float(\"${nginx_rps[$path]}\"):.2f}x')")
  bratio=$(python3 -c "print(f'{float(\"${bare_rps[$path]}\") / float(\"${nginx_rps[$path]}\"):.2f}x')")
  printf '%-10s %11s %11s %11s %6s %6s %9s %9s %9s %7s %8s\n' "$name" "${ours_rps[$name]}" "${bare_rps[$path]}" "${nginx_rps[$path]}" "$ratio" "$bratio" "${ours_p99[$name]}" "${bare_p99[$path]}" "${nginx_p99[$path]}" "${nginx_setting[$path]}" "$(gz_size "$file")"
done
echo "ratio and bare: requests/s against nginx's; -nc rows: ours keeping no pages (-page-cache-mb 0 -answer-cache-mb 0 -search-cache-mb 0), every page made for its request;"
echo "  search-nc asks for 8,000 different queries that make the same search (${words/+/ }, then common words it drops), so each request makes its own"
echo "search and the lists: ${CORPUS:+on $CORPUS generated articles}${CORPUS:-on the bundled articles}; load average before: $load_before"
echo "article-w: the article while 16 clients wrote feedback at 1,000 answers/s: $(head -1 "$work/writes.txt")"
lines=$(wc -l <"$work/access.log")
echo "access log lines written by ours: $lines"

if [[ ${PROFILE:-} == 1 ]]; then
  kill -TERM "$ours_pid"; wait "$ours_pid" || true; ours_pid=""
  echo
  go tool pprof -top -nodecount=25 "$work/healthsite" "$work/cpu.prof" 2>/dev/null | sed -n '1,35p'
fi
