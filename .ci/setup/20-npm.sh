# axe-core and Lighthouse, at the versions pinned in package-lock.json.
command -v npm >/dev/null || fail "npm is not installed (Node.js is needed for axe-core and Lighthouse)"
npm ci --no-audit --no-fund --loglevel=error
[[ -f node_modules/axe-core/axe.min.js ]] || fail "npm ci did not install axe-core"
