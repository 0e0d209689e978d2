#!/usr/bin/env bash
# Measures healthsite against Hugo (Debian's 0.111) on the same Markdown, in
# one sitting, since only ratios mean anything on a shared machine. The
# corpus is N generated articles (cmd/healthsite-gen) plus the bundled ones;
# Hugo gets a minimal site (scripts/vs-hugo/) that renders the same fields
# as our article page. Prints one table row per target:
#
#   ready        ours: exec to /healthz 200 and then one article 200
#                hugo: a full build to tmpfs (hugo --quiet -d /dev/shm/...)
#   cold crawl   ours: every article once from a fresh server, 2 at a time,
#                compressed as a browser asks (curl -Z --compressed);
#                against Hugo's build time
#   memory       ours: VmRSS after the crawl; hugo: the build's max RSS.
#                Also ours with only the bundled articles
#   build        ours: healthsite build (validate, index, write the pack);
#                hugo: its build
#   from a pack  ours -pack: ready (exec to an article and a search 200),
#                the cold crawl and the memory after it, as above
#   edit         one article file appended to in place, until the page shows
#                it: ours -dev (once /readyz says search is indexed) against hugo server (once it serves); median of 5
#   100,000      with SCALE100K=1 and N >= 10000: a pack of 100,000
#                generated articles, built, then served: ready time and RSS
#
# Goals are reported as pass or fail; the script exits non-zero only when a
# measurement could not be made, and then prints no number for it.
# Installs nothing, and says what is missing.
#
# Usage: scripts/vs-hugo.sh [N]                 (default 10000)
#        SCALE100K=1 scripts/vs-hugo.sh 10000   adds the 100,000-article rows (a few minutes more)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
n=${1:-10000}
if [[ ! $n =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/vs-hugo.sh [N]   (N articles to generate, default 10000)" >&2
  exit 2
fi
scale100k=${SCALE100K:-}

source scripts/lib.sh
require_tools vs-hugo hugo curl python3 go
[[ -x /usr/bin/time ]] || { echo "vs-hugo: missing /usr/bin/time (Debian: apt-get install -y time)" >&2; exit 1; }

work=$(mktemp -d)
# Every server started here keeps its feedback database in a folder of the
# run, never data/ in the repository.
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
out=$(mktemp -d /dev/shm/vs-hugo.XXXXXX) # Hugo builds to memory, as ours serves from it
pids=()
# alive PID: running, not exited (a zombie counts as exited).
alive() {
  local state
  state=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}
# stop PID: SIGTERM, then SIGKILL after 10 s. Servers started by the probe
# are not this shell's children, so wait cannot tell when they are gone.
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 200); do alive "$1" || return 0; sleep 0.05; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  rm -rf "$work" "$out"
}
trap cleanup EXIT

probe() { python3 scripts/vs-hugo/probe.py "$@"; }

rows=()
row() { rows+=("$(IFS='|'; echo "$*")"); }
print_table() {
  echo
  echo "| target | ours | hugo | ratio | goal | result |"
  echo "|---|---|---|---|---|---|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
}
# cannot MESSAGE: a measurement failed. Print what was measured, no
# number for the rest, and exit 1.
cannot() {
  ((${#rows[@]})) && print_table
  echo "vs-hugo: could not measure: $*" >&2
  exit 1
}

secs() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# verdict VALUE LIMIT: pass when VALUE <= LIMIT.
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "pass" : "fail" }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
median() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

cmdline="scripts/vs-hugo.sh $*"
[[ -n $scale100k ]] && cmdline="SCALE100K=$scale100k $cmdline"
echo "\$ $cmdline"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(go env GOVERSION), $(hugo version | awk '{print $1, $2}')"

go build -o "$work/healthsite" ./cmd/healthsite
go build -o "$work/healthsite-gen" ./cmd/healthsite-gen
corpus=$work/corpus
"$work/healthsite-gen" -n "$n" -o "$corpus" >/dev/null
cp articles/*.md "$corpus/"
mkdir -p "$corpus/complaints" && cp articles/complaints/*.yaml "$corpus/complaints/"
cp articles/synonyms.yaml "$corpus/"
# A file's name is its slug: neither the generated nor the bundled
# articles set "slug" in front matter.
slugs=()
for f in "$corpus"/*.md; do slugs+=("$(basename "$f" .md)"); done
count=${#slugs[@]}
bundled=neck-pain-after-cervical-massage
echo "corpus: $n generated + $((count - n)) bundled = $count articles, $(du -sh "$corpus" | cut -f1)"

# Hugo's site: our layouts, and the corpus itself as content/articles, so
# both read the same files (and the edits below land in both).
site=$work/hugo
mkdir -p "$site/content"
cp -r scripts/vs-hugo/config.toml scripts/vs-hugo/layouts "$site/"
ln -s "$corpus" "$site/content/articles"

# 1. ready
port=$(free_port)
read -r pid ours_ready < <(probe start --log "$work/ours.log" 600 "http://127.0.0.1:$port/healthz" "http://127.0.0.1:$port/articles/$bundled" \
  -- "$work/healthsite" -addr "127.0.0.1:$port" -articles "$corpus") || cannot "ours did not start on $count articles (log: $(tail -3 "$work/ours.log"))"
pids+=("$pid")

# 2. cold crawl of the server that just started: every article once.
urls=$work/urls.curl
for s in "${slugs[@]}"; do printf 'url = "http://127.0.0.1:%s/articles/%s"\noutput = "/dev/null"\n' "$port" "$s"; done >"$urls"
start_ns=$(date +%s%N)
curl --no-progress-meter -Z --parallel-max 2 --compressed -K "$urls" -w '%{http_code}\n' >"$work/codes" || cannot "the crawl: curl failed"
end_ns=$(date +%s%N)
ok=$(grep -c '^200$' "$work/codes" || true)
((ok == count)) || cannot "the crawl: $ok of $count articles answered 200 ($(sort "$work/codes" | uniq -c | tr '\n' ' '))"
ours_crawl=$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')

# 3. memory after the crawl
ours_rss=$(rss_kb "$pid") || cannot "ours' RSS after the crawl"
stop "$pid"

# Hugo's full build; its output must hold every article, so that a page
# Hugo skipped (a draft, a date in the future) cannot make it look fast.
/usr/bin/time -f "%e %M" -o "$work/hugo.time" hugo --quiet -s "$site" -d "$out/public" >"$work/hugo.log" 2>&1 ||
  cannot "hugo's build failed: $(tail -5 "$work/hugo.log")"
read -r hugo_build hugo_rss <"$work/hugo.time"
built=$(find "$out/public/articles" -mindepth 2 -maxdepth 2 -name index.html | wc -l)
((built == count)) || cannot "hugo built $built of $count articles"
rm -rf "$out/public"

row "from the Markdown: ready ($count articles)" "$(secs "$ours_ready")" "$(secs "$hugo_build") (build)" "$(ratio "$ours_ready" "$hugo_build")" "-" "-"
row "from the Markdown: cold crawl" "$(secs "$ours_crawl")" "$(secs "$hugo_build") (build)" "$(ratio "$ours_crawl" "$hugo_build")" "-" "-"
row "from the Markdown: memory after the crawl" "$(mb "$ours_rss")" "$(mb "$hugo_rss") (build max)" "$(ratio "$ours_rss" "$hugo_rss")" "-" "-"

# The pack: built once, then served with nothing to parse or index.
/usr/bin/time -f "%e %M" -o "$work/build.time" "$work/healthsite" build -articles "$corpus" -o "$work/pack" >"$work/build.log" 2>&1 ||
  cannot "healthsite build failed: $(tail -5 "$work/build.log")"
read -r ours_build ours_build_rss <"$work/build.time"
row "healthsite build" "$(secs "$ours_build")" "$(secs "$hugo_build") (build)" "$(ratio "$ours_build" "$hugo_build")" "<= 0.5" "$(verdict "$(ratio "$ours_build" "$hugo_build")" 0.5)"
port=$(free_port)
read -r pid pack_ready < <(probe start --log "$work/ours-pack.log" --then "http://127.0.0.1:$port/search?q=pain" 600 "http://127.0.0.1:$port/healthz" "http://127.0.0.1:$port/articles/$bundled" \
  -- "$work/healthsite" -addr "127.0.0.1:$port" -pack "$work/pack") || cannot "ours did not start from the pack (log: $(tail -3 "$work/ours-pack.log"))"
pids+=("$pid")
for s in "${slugs[@]}"; do printf 'url = "http://127.0.0.1:%s/articles/%s"\noutput = "/dev/null"\n' "$port" "$s"; done >"$urls"
start_ns=$(date +%s%N)
curl --no-progress-meter -Z --parallel-max 2 --compressed -K "$urls" -w '%{http_code}\n' >"$work/codes" || cannot "the crawl from the pack: curl failed"
end_ns=$(date +%s%N)
ok=$(grep -c '^200$' "$work/codes" || true)
((ok == count)) || cannot "the crawl from the pack: $ok of $count articles answered 200"
pack_crawl=$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
pack_rss=$(rss_kb "$pid") || cannot "ours' RSS after the crawl from the pack"
stop "$pid"
row "from the pack: ready, search answering" "$(secs "$pack_ready")" "$(secs "$hugo_build") (build)" "$(ratio "$pack_ready" "$hugo_build")" "<= 0.05" "$(verdict "$(ratio "$pack_ready" "$hugo_build")" 0.05)"
row "from the pack: cold crawl, 2 at a time, compressed" "$(secs "$pack_crawl")" "$(secs "$hugo_build") (build)" "$(ratio "$pack_crawl" "$hugo_build")" "<= 0.5" "$(verdict "$(ratio "$pack_crawl" "$hugo_build")" 0.5)"
row "from the pack: memory after the crawl" "$(mb "$pack_rss")" "$(mb "$hugo_rss") (build max)" "$(ratio "$pack_rss" "$hugo_rss")" "<= 0.08" "$(verdict "$(ratio "$pack_rss" "$hugo_rss")" 0.08)"

# Memory with only the bundled articles, after serving one.
port=$(free_port)
read -r pid bundled_ready < <(probe start --log "$work/ours-bundled.log" 60 "http://127.0.0.1:$port/healthz" "http://127.0.0.1:$port/articles/$bundled" \
  -- "$work/healthsite" -addr "127.0.0.1:$port") || cannot "ours did not start with the bundled articles"
pids+=("$pid")
bundled_rss=$(rss_kb "$pid") || cannot "ours' RSS with the bundled articles"
stop "$pid"
row "memory, bundled articles only" "$(mb "$bundled_rss")" "-" "-" "< 40 MB" "$(verdict "$bundled_rss" $((40 * 1024 - 1)))"

# 4. edit to served. The same five articles for both, spread over the
# corpus; each edit follows as soon as the last is served, as an author
# saves again after a look.
edited=()
for k in 0 1 2 3 4; do edited+=("${slugs[$(((2 * k + 1) * count / 10))]}"); done
# edits SERVER URL_PREFIX URL_SUFFIX: sets edit_times to the five times.
edits() {
  local k=0 s t
  edit_times=()
  for s in "${edited[@]}"; do
    k=$((k + 1))
    t=$(probe edit 120 "$corpus/$s.md" "$2/articles/$s$3" "vshugo-$1-$k-$(date +%s%N)") ||
      cannot "the $1 edit of $s was not served"
    edit_times+=("$t")
  done
}
port=$(free_port)
"$work/healthsite" -dev -addr "127.0.0.1:$port" -articles "$corpus" 2>"$work/ours-dev.log" &
pids+=("$!")
probe wait 600 "http://127.0.0.1:$port/articles/$bundled" || cannot "ours -dev did not start"
# Edits start once the preview is whole, search indexed (/readyz), as
# hugo server's start once it has built every page: an edit while the
# index is built shares the two cores with it.
probe wait 600 "http://127.0.0.1:$port/readyz" || cannot "ours -dev did not become ready"
edits ours "http://127.0.0.1:$port" ""
ours_edits=("${edit_times[@]}")
stop "${pids[-1]}"

port=$(free_port)
hugo server -s "$site" --port "$port" --bind 127.0.0.1 --disableLiveReload >"$work/hugo-server.log" 2>&1 &
pids+=("$!")
probe wait 900 "http://127.0.0.1:$port/articles/$bundled/" || cannot "hugo server did not start: $(tail -5 "$work/hugo-server.log")"
edits hugo "http://127.0.0.1:$port" "/"
hugo_edits=("${edit_times[@]}")
stop "${pids[-1]}"
ours_edit=$(median "${ours_edits[@]}")
hugo_edit=$(median "${hugo_edits[@]}")
row "edit to served, median of 5 (ours -dev, hugo server)" "$(secs "$ours_edit")" "$(secs "$hugo_edit")" "$(ratio "$ours_edit" "$hugo_edit")" "<= 0.1" "$(verdict "$(ratio "$ours_edit" "$hugo_edit")" 0.1)"

# 5. 100,000 articles, on request.
if [[ -n $scale100k ]] && ((n >= 10000)); then
  rm -rf "$corpus" # room on the disk and in the page cache
  big=$work/corpus100k
  "$work/healthsite-gen" -n 100000 -o "$big" >/dev/null
  cp articles/*.md "$big/"
  mkdir -p "$big/complaints" && cp articles/complaints/*.yaml "$big/complaints/"
  cp articles/synonyms.yaml "$big/"
  /usr/bin/time -f "%e %M" -o "$work/build100k.time" "$work/healthsite" build -articles "$big" -o "$work/pack100k" >"$work/build100k.log" 2>&1 ||
    cannot "healthsite build of 100,000 articles failed: $(tail -5 "$work/build100k.log")"
  read -r big_build _ <"$work/build100k.time"
  port=$(free_port)
  read -r pid big_ready < <(probe start --log "$work/ours-100k.log" --then "http://127.0.0.1:$port/search?q=pain" 600 "http://127.0.0.1:$port/healthz" "http://127.0.0.1:$port/articles/$bundled" \
    -- "$work/healthsite" -addr "127.0.0.1:$port" -pack "$work/pack100k") || cannot "ours did not start from the pack of 100,000 articles (log: $(tail -3 "$work/ours-100k.log"))"
  pids+=("$pid")
  big_rss=$(rss_kb "$pid") || cannot "ours' RSS with 100,000 articles"
  stop "$pid"
  row "100,000 articles: healthsite build" "$(secs "$big_build")" "-" "-" "-" "-"
  row "100,000 articles from the pack: ready, search answering" "$(secs "$big_ready")" "-" "-" "< 2 s" "$(verdict "$big_ready" 1.9999)"
  row "100,000 articles from the pack: RSS" "$(mb "$big_rss")" "-" "-" "< 400 MB" "$(verdict "$big_rss" $((400 * 1024 - 1)))"
fi

print_table
echo
echo "edit times (s): ours ${ours_edits[*]}; hugo ${hugo_edits[*]}"
