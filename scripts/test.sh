#!/usr/bin/env bash
# Builds vigil twice (gcc, and clang with ASan+UBSan) with warnings as errors and runs every
# test in both: unit tests, fuzz regression corpora, and the integration tests that load the
# BPF sensor and start runc and Docker containers (those need root: under CI=true they fail
# instead of skipping). Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1

# Meson prints per-test lines; the totals from both builds are summed at the end.
logs=()
status=0

build_and_test() {
	local dir=$1
	shift
	echo "=== $dir: configure and build"
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" -Dwerror_ci=true "$@" || return 1
	else
		meson configure "$dir" -Dwerror_ci=true "$@" >/dev/null || return 1
	fi
	ninja -C "$dir" || return 1
	echo "=== $dir: tests"
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
	logs+=("$dir/meson-logs/testlog.json")
	return 0
}

build_and_test build-ci --buildtype=debugoptimized || status=1
CC=clang build_and_test build-ci-asan --buildtype=debug -Db_sanitize=address,undefined \
	-Db_lundef=false || status=1

python3 tools/summarize-tests.py "${logs[@]}" || status=1
exit $status
