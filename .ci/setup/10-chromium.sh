# Debian's Chromium for the browser tests and Lighthouse.
if ! command -v /usr/bin/chromium >/dev/null; then
  command -v apt-get >/dev/null || fail "Chromium is missing and apt-get is not available to install it"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null | grep -q Chromium || fail "Chromium does not run"
/usr/bin/chromium --version 2>/dev/null
