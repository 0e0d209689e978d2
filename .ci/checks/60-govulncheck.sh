# Known vulnerabilities the code can reach, from a database built offline.
scripts/govulncheck.sh
