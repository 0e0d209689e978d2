#!/usr/bin/env bash
# Proves that a change did not change what readers get: builds the server
# at two revisions, serves the same articles with both (the bundled ones,
# and a generated library of 2,000 articles for the lists, search and a
# generated complaint), asks both for every kind of page and response (each
# page of the table, its errors, old links, redirects, the site files), and
# compares status, headers (but Date) and body byte for byte.
#
# Usage: scripts/compare-pages.sh BEFORE [AFTER]
#   BEFORE, AFTER: git revisions; AFTER defaults to the working tree.
# Exit status 1 when any response differs, with the first differences shown.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run
source scripts/lib.sh
require_tools compare-pages curl python3 git

before=${1:?usage: scripts/compare-pages.sh BEFORE [AFTER]}
after=${2:-}
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
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  git worktree remove --force "$work/src-before" 2>/dev/null || true
  git worktree remove --force "$work/src-after" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# build REV OUT builds the command at REV ("" for the working tree).
build() {
  local rev=$1 out=$2 src=.
  if [[ -n $rev ]]; then
    src="$work/src-$(basename "$out")"
    git worktree add --quiet --detach "$src" "$rev"
  fi
  (cd "$src" && go build -o "$out" ./cmd/healthsite)
}
build "$before" "$work/before"
build "$after" "$work/after"

# The same content for both: this tree's articles, and a generated library.
cp -r articles "$work/bundled"
go run ./cmd/healthsite-gen -n 2000 -o "$work/library" >/dev/null
cp articles/synonyms.yaml "$work/library/"

# serve NAME BINARY ARTICLES starts a server; its origin goes in $origin.
serve() {
  local port
  port=$(free_port)
  "$2" -addr "127.0.0.1:$port" -articles "$3" -base-url http://compare.example -rate-limit 0 \
    -search-dir "$work/search-$1" 2>"$work/$1.log" &
  pids+=($!)
  origin="http://127.0.0.1:$port"
  wait_up "$origin/healthz"
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$origin/search?q=neck") == 200 ]] && return 0
    sleep 0.1
  done
  echo "compare-pages: search on $1 did not get ready" >&2
  exit 1
}
mkdir -p "$work/search-before-bundled" "$work/search-after-bundled" "$work/search-before-library" "$work/search-after-library"
serve before-bundled "$work/before" "$work/bundled"; before_bundled=$origin
serve after-bundled "$work/after" "$work/bundled"; after_bundled=$origin
serve before-library "$work/before" "$work/library"; before_library=$origin
serve after-library "$work/after" "$work/library"; after_library=$origin

css=$(curl -fsS "$after_bundled/" | grep -o '/static/site\.[^"]*\.css' | head -1)
long=$(python3 -c 'print("neck+" * 60)')
many=$(python3 -c 'print("&".join("symptom=x%d" % i for i in range(60)))')
complaint=$(ls "$work/library/complaints" | grep -v cases | head -1)
complaint=${complaint%.yaml}
sign=generated-sign-1
# A letter and a topic with more than one page, from the lists themselves.
letter_page2=$(curl -fsS "$after_library/articles" | grep -o '/a-z/[a-z0-9-]*?page=2' | head -1)
topic=$(curl -fsS "$after_library/" | grep -o '/topics/[a-z0-9-]*' | head -1) # home lists the biggest first

# METHOD PATH, one per line, for the bundled site (B) and the library (L).
requests=$(cat <<EOF
B GET /
B GET /about
B GET /about/
B GET /articles
B GET /articles/neck-pain-after-cervical-massage
B GET /articles/neck-pain-after-cervical-massage/
B GET /articles/no-such-article
B GET /articles/no-such-article/
B GET /a-z/n
B GET /a-z/n?page=2
B GET /a-z/zz
B GET /topics
B GET /topics/neck
B GET /topics/no-such-topic
B GET /symptoms
B GET /symptoms/
B GET /symptoms?symptom=dizziness&symptom=stiff-neck
B GET /symptoms?symptom=gone
B GET /symptoms?symptom=dizziness&symptom=gone
B GET /symptoms/neck-pain
B GET /symptoms/neck-pain?symptom=dizziness&symptom=swelling
B GET /symptoms/neck-pain/?symptom=dizziness
B GET /symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck&symptom=tender-when-pressed
B GET /symptoms/neck-pain/results?symptom=swelling
B GET /symptoms/neck-pain/results?symptom=none&symptom=dizziness
B GET /symptoms/neck-pain/results?symptom=none
B GET /symptoms/neck-pain/results?
B GET /symptoms/neck-pain/results?symptom=stiff-neck&symptom=gone
B GET /symptoms/neck-pain/results?$many&symptom=dizziness
B GET /symptoms/neck-pain/results?symptom=%ff
B GET /symptoms/no-such-complaint
B GET /symptoms/no-such-complaint/results?symptom=dizziness
B GET /symptoms/results?symptom=dizziness&symptom=stiff-neck
B GET /symptoms/results?symptom=gone
B GET /symptoms/results?symptom=arm-numbness&symptom=gone
B GET /search?q=neck+pain
B GET /search?q=nekc+pian
B GET /search?q=why+does+my+back+hurt
B GET /search?q=xyzzy+qwerty
B GET /search?q=sore+throat
B GET /search?q=$long
B GET /search?q=neck&page=2
B GET /search
B GET /sitemap.xml
B GET /feed.xml
B GET /robots.txt
B GET /opensearch.xml
B GET /healthz
B GET /favicon.ico
B GET $css
B GET /static/no-such-file.css
B HEAD /
B HEAD /articles/neck-pain-after-cervical-massage
B POST /about
B DELETE /symptoms/neck-pain/results?symptom=dizziness
B FOO /
B GET /%ff
L GET /
L GET /articles
L GET /a-z/a
L GET $letter_page2
L GET /a-z/a?page=99
L GET /topics
L GET $topic
L GET $topic?page=2
L GET /search?q=shoulder+massage
L GET /search?q=pain
L GET /search?q=pain&page=3
L GET /symptoms
L GET /symptoms/$complaint
L GET /symptoms/$complaint/results?symptom=$sign
L GET /sitemap.xml
L GET /feed.xml
EOF
)

# fetch ORIGIN METHOD PATH OUT writes status, headers (sorted, but Date)
# and the body, as the client sent no Accept-Encoding.
fetch() {
  local method_flag=(-X "$2") body=$4.body
  if [[ $2 == HEAD ]]; then
    method_flag=(-I) body=/dev/null
    : >"$4.body"
  fi
  curl -s "${method_flag[@]}" -D "$4.head" -o "$body" --path-as-is "$1$3" || true
  { head -1 "$4.head" | tr -d '\r'; tail -n +2 "$4.head" | tr -d '\r' | grep -iv '^date:' | grep -v '^$' | sort; echo; cat "$4.body" 2>/dev/null; } >"$4"
}

printf '%-4s %-6s %-70s %s\n' site method path result
differ=0
n=0
while read -r site method path; do
  n=$((n + 1))
  if [[ $site == B ]]; then b=$before_bundled a=$after_bundled; else b=$before_library a=$after_library; fi
  fetch "$b" "$method" "$path" "$work/$n.before"
  fetch "$a" "$method" "$path" "$work/$n.after"
  status=$(head -1 "$work/$n.after" | cut -d' ' -f2)
  if cmp -s "$work/$n.before" "$work/$n.after"; then
    result="same ($status, $(wc -c <"$work/$n.after") bytes)"
  else
    result="DIFFERENT"
    differ=$((differ + 1))
  fi
  printf '%-4s %-6s %-70s %s\n' "$site" "$method" "${path:0:70}" "$result"
  if [[ $result == DIFFERENT ]] && ((differ <= 3)); then
    diff <(fold -w 200 "$work/$n.before") <(fold -w 200 "$work/$n.after") | head -20 || true
  fi
done <<<"$requests"
echo
if ((differ)); then
  echo "compare-pages: $differ of $n responses differ between $before and ${after:-the working tree}"
  exit 1
fi
echo "compare-pages: all $n responses are the same, byte for byte, from $before and ${after:-the working tree}"
