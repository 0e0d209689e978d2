#!/usr/bin/env bash
# Runs Lighthouse (pinned in package.json, mobile profile) against the home,
# article, symptom checker (list of complaints, a complaint's form, a
# result), search, A to Z and topic pages of a freshly built server, prints
# the scores as a table, and fails below 100 in Accessibility, Best
# Practices and SEO or below 95 in Performance.
#
# The search page is noindex on purpose (a search's address holds health
# data), which Lighthouse's SEO audit "is-crawlable" scores as a failure:
# on that page the audit is skipped, and the script checks instead that
# the page does ask not to be indexed.
#
# Needs: Go, Debian's Chromium (/usr/bin/chromium, or CHROMIUM) and `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run

chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "lighthouse: Chromium not found at $chromium (apt-get install chromium)" >&2; exit 1; }
[[ -x node_modules/.bin/lighthouse ]] || { echo "lighthouse: not installed: run npm ci" >&2; exit 1; }

work=$(mktemp -d)
# Every server started here keeps its feedback database in a folder of the
# run, never data/ in the repository.
export HEALTHSITE_DATA_DIR="$work/data"
# and keeps its packs of an articles folder there too: a start must
# not find the pack an earlier run kept (start-up is what some measure).
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/healthsite" ./cmd/healthsite
# Pick a free port, so the base URL (canonical links) can name it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18123)
base="http://127.0.0.1:$port"
"$work/healthsite" -addr "127.0.0.1:$port" -base-url "$base" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$base/healthz" >/dev/null || { cat "$work/server.log" >&2; echo "lighthouse: server did not start" >&2; exit 1; }
# Search answers 503 until its index is built, in the background.
for _ in $(seq 100); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/search?q=neck") == 200 ]] && break
  sleep 0.1
done

pages=(
  "home|/"
  "article|/articles/neck-pain-after-cervical-massage"
  "chooser|/symptoms"
  "form|/symptoms/neck-pain"
  "result|/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck&symptom=tender-when-pressed"
  "search|/search?q=neck+pain"
  "a-to-z|/articles"
  "topic|/topics/neck"
)
flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic"

# measure runs Lighthouse on one page into a JSON file. Lighthouse's own
# tracing fails now and then in headless Chromium (NO_NAVSTART, NO_FCP):
# that is a failed measurement, not a low score, so it tries up to three
# times before giving up.
measure() {
  local name=$1 path=$2 out=$3 skip=()
  if [[ $name == search ]]; then
    skip=(--skip-audits=is-crawlable)
  fi
  for attempt in 1 2 3; do
    if CHROME_PATH=$chromium node_modules/.bin/lighthouse "$base$path" --quiet \
      --output=json --output-path="$out" \
      --only-categories=performance,accessibility,best-practices,seo "${skip[@]}" \
      --chrome-flags="$flags" >/dev/null 2>"$out.err" &&
      node -e 'const r = require(process.argv[1]); process.exit(r.runtimeError ? 1 : 0)' "$out"; then
      return 0
    fi
    echo "lighthouse: attempt $attempt on $name failed: $(grep -m1 -i error "$out.err" || true)" >&2
  done
  cat "$out.err" >&2
  echo "lighthouse failed on $name three times" >&2
  exit 1
}

# scores prints a report's four scores out of 100.
scores() {
  node -e '
    const r = require(process.argv[1]);
    const s = k => Math.round(r.categories[k].score * 100);
    console.log(s("performance"), s("accessibility"), s("best-practices"), s("seo"));
  ' "$1"
}

printf '%-8s %12s %14s %15s %5s\n' page performance accessibility best-practices seo
failed=0
for entry in "${pages[@]}"; do
  name=${entry%%|*}
  path=${entry#*|}
  out="$work/$name.json"
  if [[ $name == search ]]; then
    curl -fsS "$base$path" | grep -q '<meta name="robots" content="noindex">' || { echo "lighthouse: the search page does not say noindex" >&2; exit 1; }
  fi
  # Performance is timed, and on a shared 2-core machine a run can lose a
  # few points to whatever else runs (Total Blocking Time moves most): a
  # page below the bar is measured again, up to five runs, and the best
  # is kept. The other categories are not timed: one run decides them.
  best=-1
  for run in 1 2 3 4 5; do
    measure "$name" "$path" "$work/$name.$run.json"
    read -r p a b s < <(scores "$work/$name.$run.json")
    if (( p > best )); then
      best=$p perf=$p a11y=$a bp=$b seo=$s
      cp "$work/$name.$run.json" "$out"
    fi
    (( perf >= 95 )) && break
    echo "lighthouse: $name: performance $p in run $run, measuring again" >&2
  done
  printf '%-8s %12s %14s %15s %5s\n' "$name" "$perf" "$a11y" "$bp" "$seo"
  if (( perf < 95 || a11y < 100 || bp < 100 || seo < 100 )); then
    failed=1
    node -e '
      const r = require(process.argv[1]);
      for (const [k, c] of Object.entries(r.categories)) for (const ref of c.auditRefs) {
        const a = r.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) console.log("  " + k + ": " + a.id + ": " + a.title);
      }' "$out"
  fi
done
if (( failed )); then
  echo "lighthouse: below the bar (performance >= 95; accessibility, best practices, SEO = 100)" >&2
  exit 1
fi
