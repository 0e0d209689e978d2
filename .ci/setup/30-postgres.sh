# A throwaway PostgreSQL cluster for the store tests: every test of the
# feedback store runs against SQLite and PostgreSQL, and with CI set a
# missing PostgreSQL fails them instead of skipping. The cluster lives in a
# temporary folder, listens only on a Unix socket there (no TCP port to
# clash with another run), trusts local connections (it holds nothing but
# test databases), and is stopped and removed when the run ends.
pg_bin=/usr/lib/postgresql/15/bin
if [[ ! -x $pg_bin/initdb ]]; then
  command -v apt-get >/dev/null || fail "PostgreSQL 15 is missing and apt-get is not available to install it"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
[[ -x $pg_bin/initdb ]] || fail "apt-get did not install $pg_bin/initdb"
command -v runuser >/dev/null || fail "runuser is missing (initdb refuses to run as root, so it runs as the postgres user)"
id postgres >/dev/null 2>&1 || fail "there is no postgres user (Debian's postgresql package makes it)"

pg_dir=$(mktemp -d)
# initdb and the server run as postgres and write here; root (the tests)
# can still reach the socket, nobody else can.
chown postgres: "$pg_dir"
chmod 700 "$pg_dir"
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1 ||
  { cat "$pg_dir/initdb.log" >&2; fail "initdb failed"; }

# Stop the cluster when .ci/run exits, then run whatever EXIT trap was
# already set (with the same exit status), rather than replacing it.
pg_trap_command() { [[ $# -ge 3 ]] && printf '%s' "$2"; }
pg_previous_exit_trap=$(eval "pg_trap_command $(trap -p EXIT | sed 's/^trap //')" || true)
pg_status() { return "$1"; }
pg_stop() {
  local status=$?
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  # `status || trap` gives the previous trap the exit status in $?
  # without set -e ending this one first.
  if ((status == 0)); then eval "$pg_previous_exit_trap"; else pg_status "$status" || eval "$pg_previous_exit_trap"; fi
}
trap pg_stop EXIT

runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -o "-k $pg_dir -c listen_addresses=''" -w start -l "$pg_dir/server.log" >/dev/null ||
  { cat "$pg_dir/server.log" >&2; fail "PostgreSQL did not start"; }
export HEALTHSITE_TEST_POSTGRES="postgres://postgres@/postgres?host=$pg_dir"
"$pg_bin/postgres" --version
