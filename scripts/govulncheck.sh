#!/usr/bin/env bash
# Runs govulncheck against a vulnerability database built here from the
# golang.org/x/vulndb module (fetched through the Go module proxy), since
# the machines this runs on cannot reach vuln.go.dev. Fails on any known
# vulnerability that the code can reach.
set -euo pipefail
cd "$(dirname "$0")/.."
# The toolchain go.mod names (see .ci/run); GOTOOLCHAIN_FIXED=local checks
# the installed Go instead, to see what the upgrade fixes.
export GOTOOLCHAIN="${GOTOOLCHAIN_FIXED:-go1.26.10}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The newest database; indexdb from the same module version reads it.
info=$(go mod download -json golang.org/x/vulndb@latest)
version=$(sed -n 's/^[[:space:]]*"Version": "\(.*\)",$/\1/p' <<<"$info")
dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$info")
[[ -n $version && -d $dir/data/osv ]] || { echo "govulncheck: could not fetch golang.org/x/vulndb" >&2; exit 1; }
echo "vulnerability database: golang.org/x/vulndb $version"

GOBIN="$work/bin" go install "golang.org/x/vulndb/cmd/indexdb@$version"
GOBIN="$work/bin" go install golang.org/x/vuln/cmd/govulncheck@v1.9.0
"$work/bin/indexdb" -vulns "$dir/data/osv" -out "$work/db" >/dev/null

go version
"$work/bin/govulncheck" -db "file://$work/db" ./...
