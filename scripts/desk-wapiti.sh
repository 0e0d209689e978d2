#!/usr/bin/env bash
# An outside scanner against the editors' desk, signed in as an editor.
#
# Builds the server, writes a small corpus and feedback about it into a new
# SQLite database, adds an editor, starts the server with the desk on a
# loopback port, signs in with curl, and runs Debian's wapiti against
# /desk with the session cookie, every module that works offline; then a
# second pass without it, at the sign-in page (which a signed-in crawler
# is sent past). Left out: the modules that need the internet (ssrf's
# callback service, wapp's database) or brute-force paths from a
# dictionary (nikto, buster). The sign-out form is excluded (-x): the
# crawler submits the forms it finds, and posting this one ended the
# session half way through the first run. wapiti 3.0.4's -x crashes on
# Python 3.11 (its patterns put regex flags last), so wapiti runs through
# a few lines that replace that one function. The script checks afterwards
# that the session survived the scan. Then it prints wapiti's findings and every 500 the server logged.
# doc/desk-security.md says what each finding of the last run means. Not
# run by CI: it takes minutes.
#
# Usage: scripts/desk-wapiti.sh [OUTPUT_DIR]   (default: a temporary folder, printed)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.26.10 # the toolchain go.mod names; see .ci/run

source scripts/lib.sh
require_tools desk-wapiti wapiti curl python3

work=$(mktemp -d)
# Packs of the articles folder are kept in the run, not the user's cache.
export HEALTHSITE_PACK_CACHE="$work/packs"
export HEALTHSITE_DRAIN=0 # servers here are stopped with SIGTERM, and no load balancer probes them
out=${1:-$work/report}
mkdir -p "$out"
pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT

go build -o "$work/healthsite" ./cmd/healthsite
go run ./cmd/healthsite-gen -n 30 -o "$work/corpus" >/dev/null
go run ./cmd/healthsite-feedbackgen -data-dir "$work/data" -articles 30 -answers 3000 -comments 300 -days 60 2>/dev/null
pass='wapiti may scan this desk today'
printf '%s\n' "$pass" | "$work/healthsite" editors add -role editor -data-dir "$work/data" scanner@example.org >/dev/null

port=$(free_port)
base="http://127.0.0.1:$port"
"$work/healthsite" -addr 127.0.0.1:0 -articles "$work/corpus" -desk-addr "127.0.0.1:$port" -desk-base-url "$base" \
  -data-dir "$work/data" 2>"$out/server.log" &
pid=$!
wait_up "$base/desk/sign-in"
curl -fsS -o /dev/null -c "$work/cookies" --data-urlencode email=scanner@example.org --data-urlencode "password=$pass" "$base/desk/sign-in"
session=$(awk '$6 == "desk_session" {print $7}' "$work/cookies")
[[ -n $session ]] || { echo "desk-wapiti: signing in failed" >&2; exit 1; }

# wapiti, with its URL exclusion patterns fixed for Python 3.11.
wapiti_fixed() {
  "$(head -1 "$(command -v wapiti)" | sed "s/^#!//")" - "$@" <<'EOF'
import re, sys
import wapitiCore.net.crawler as crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z")
crawler.wildcard_translate = wildcard_translate
from wapitiCore.main.wapiti import wapiti_main
sys.argv = ["wapiti"] + sys.argv[1:]
sys.exit(wapiti_main())
EOF
}

modules=backup,blindsql,brute_login_form,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,shellshock,sql,xss,xxe
echo "wapiti $(wapiti --version 2>&1 | tail -1) against $base/desk as scanner@example.org (editor), modules: $modules"
wapiti_fixed -u "$base/desk" --scope folder -H "Cookie: desk_session=$session" -x "$base/desk/sign-out" \
  -m "$modules" --flush-session --max-attack-time 300 \
  -f json -o "$out/signed-in.json" --store-session "$work/session1" >"$out/signed-in.txt" 2>&1 || true
wapiti_fixed -u "$base/desk/sign-in" --scope folder \
  -m "$modules" --flush-session --max-attack-time 300 \
  -f json -o "$out/signed-out.json" --store-session "$work/session2" >"$out/signed-out.txt" 2>&1 || true

for pass in signed-in signed-out; do
  echo "== $pass"
  python3 - "$out/$pass.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
found = 0
for kind in ("vulnerabilities", "anomalies", "additionals"):
    for name, items in sorted(r.get(kind, {}).items()):
        for it in items:
            found += 1
            print(f"{kind[:-1]}: {name}: {it.get('method', '')} {it.get('path', '')} [{it.get('parameter', '')}] {it.get('info', '')}")
print(f"{found} findings")
EOF
done
echo "server errors (status 500) while scanning:"
grep -c '"status":500' "$out/server.log" || true
curl -fsS -o /dev/null -w 'the session still works after the scan: %{http_code}\n' -b "desk_session=$session" "$base/desk" || true
echo "report: $out"
