# Helpers shared by the scripts that start servers on loopback ports.
# Source it after `cd` to the repository root.

# require_tools NAME TOOL... exits with one line naming every missing tool:
# the scripts install nothing themselves.
require_tools() {
  local name=$1 missing=()
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    echo "$name: missing ${missing[*]} (Debian: apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
}

# free_port prints a loopback port nobody is listening on.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_up URL waits up to 10 s for URL to answer 2xx.
wait_up() {
  for _ in $(seq 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "$1 did not come up within 10s" >&2
  return 1
}
