#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Matching 1,000 packages against a database of the shared feeds (DSA + DLA lists, Go-all.zip,
# Alpine secdb) must take at most 50 ms. Prints the time and the ratio to a plain query loop
# measured in the same run (bench/vuln-match-bench.c). Usage: bench/vuln-match.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
data=${VG_DATA_DIR:-$here/../../shared/data}
vigil=$build/src/cli/vigil
bench=$build/bench/vuln-match-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$vigil" db import --db "$tmp/vuln.db" "$data/debian-security/DSA-list" \
	"$data/debian-security/DLA-list" "$data/osv/Go-all.zip" "$data/alpine-secdb" >/dev/null
rc=0
echo "== every package below every fix (worst case: every row is a finding)"
"$bench" "$tmp/vuln.db" "${N:-1000}" "${RUNS:-7}" || rc=$?
echo "== every package newer than every fix (few findings)"
LATEST=1 "$bench" "$tmp/vuln.db" "${N:-1000}" "${RUNS:-7}" || rc=$?
if [ "$rc" -eq 3 ]; then
	echo "FAIL: more than 50 ms" >&2
fi
exit "$rc"
