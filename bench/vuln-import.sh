#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Importing Go-all.zip (4,291 OSV records) into a fresh database must take at most 2 s.
# Prints the import time and its ratio to a baseline measured in the same run: reading and
# unzipping the same archive (unzip -p ... > /dev/null). Best of RUNS (default 5).
# Usage: bench/vuln-import.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
data=${VG_DATA_DIR:-$here/../../shared/data}
zip=$data/osv/Go-all.zip
vigil=$build/src/cli/vigil
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best wall time of RUNS runs of a shell command, in seconds (fresh database each time)
best() {
	python3 - "$runs" "$tmp" "$1" <<'PY'
import glob, os, subprocess, sys, time
runs, tmp, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3]
b = float("inf")
for _ in range(runs):
    for f in glob.glob(os.path.join(tmp, "vuln.db*")):
        os.unlink(f)
    s = time.perf_counter()
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    b = min(b, time.perf_counter() - s)
print("%.4f" % b)
PY
}

imp=$(best "'$vigil' db import --db '$tmp/vuln.db' '$zip'")
base=$(best "unzip -p '$zip' > /dev/null")
python3 - "$imp" "$base" "$runs" <<'PY'
import sys
imp, base, runs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print("import Go-all.zip: %.3f s (best of %d)" % (imp, runs))
print("baseline unzip -p > /dev/null: %.3f s" % base)
print("ratio: %.2fx the baseline" % (imp / base))
if imp > 2:
    print("FAIL: more than 2 s", file=sys.stderr)
    sys.exit(1)
PY
