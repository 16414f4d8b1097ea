#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/engine.sh — rules-engine throughput on a replayed capture, against a no-rules pass
# over the same capture, with the built-in ruleset and with Falco's three rule files.
#
#   sudo bench/engine.sh [CAPTURE]
#
# Without CAPTURE, records one first (needs root): 12 s of `vigil watch --events` over a mixed
# workload (openat at 40k/s, fork+exec, TCP connects, open/close). Then prints three views:
#   engine-only  bench/engine-bench: the capture held in memory, decode -> state -> rules;
#   full replay  `vigil replay --stats`: the same plus reading and checking the capture file;
#   threads      `vigil replay --threads N` with Falco's files: wall-clock events/s for 1, 2 and
#                4 evaluation threads (the reader thread decodes and dispatches; it only helps
#                with more cores than threads, and says nothing on a loaded machine).
# Goal (rules issue): >= 1M events/s per core, and >= 50% of the no-rules pass.
#
# Environment: BUILD (build dir, default build), FALCO_RULES (dir with falco_rules.yaml,
# falco-incubating_rules.yaml, falco-sandbox_rules.yaml; default ../shared/data/falco-rules).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${BUILD:-$root/build}
VIGIL=$BUILD/src/cli/vigil
FALCO_RULES=${FALCO_RULES:-$root/../shared/data/falco-rules}
cap=${1:-}

die() { echo "bench/engine: $*" >&2; exit 1; }
[ -x "$VIGIL" ] && [ -x "$BUILD/bench/engine-bench" ] || die "build first (ninja -C $BUILD)"
falco=("$FALCO_RULES/falco_rules.yaml" "$FALCO_RULES/falco-incubating_rules.yaml"
       "$FALCO_RULES/falco-sandbox_rules.yaml")

if [ -z "$cap" ]; then
	[ "$(id -u)" = 0 ] || die "recording a capture needs root (or pass CAPTURE)"
	work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
	cap=$work/bench.vgcap
	cc -O2 -o "$work/loops" "$here/loops.c" && cc -O2 -pthread -o "$work/evgen" "$here/evgen.c" ||
		die "cannot build the workload"
	( sleep 2
	  "$work/evgen" -r 40000 -d 6 -t 1 >/dev/null 2>&1 &
	  "$work/loops" fork-exec 1500 >/dev/null
	  "$work/loops" tcp-connect 20000 >/dev/null
	  "$work/loops" open-close 100000 >/dev/null
	  wait ) &
	"$VIGIL" watch --events --no-rules -o /dev/null -w "$cap" --duration 12 2>/dev/null ||
		die "recording failed"
	wait
fi

echo "# engine-only (capture in memory)"
"$BUILD/bench/engine-bench" "$cap" "${falco[@]}"

echo "# full replay (vigil replay --stats, best of 3)"
best() { # args: label, replay options...
	local label=$1 b=0 eps; shift
	for _ in 1 2 3; do
		eps=$("$VIGIL" replay "$cap" --stats --alert-rate 0 -o /dev/null "$@" 2>&1 |
			sed -n 's/.*s: \([0-9]*\) events\/s.*/\1/p')
		[ -n "$eps" ] && [ "$eps" -gt "$b" ] && b=$eps
	done
	echo "$b"
}
base=$(best none --no-rules)
builtin=$(best builtin)
files=$(best falco -r "${falco[0]}" -r "${falco[1]}" -r "${falco[2]}")
for row in "no rules:$base" "built-in rules:$builtin" "Falco's 3 files:$files"; do
	name=${row%%:*} eps=${row#*:}
	pct=$(awk -v a="$eps" -v b="$base" 'BEGIN { printf "%.1f", b ? 100 * a / b : 0 }')
	verdict=""
	[ "$name" != "no rules" ] && verdict=$(awk -v a="$eps" -v p="$pct" \
		'BEGIN { print (a >= 1000000 && p >= 50) ? "[goal: PASS]" : "[goal: FAIL]" }')
	printf '%-16s %9s events/s per core, %5s%% of the no-rules pass %s\n' "$name" "$eps" "$pct" "$verdict"
done

echo "# several evaluation threads (vigil replay --threads N, Falco's 3 files, best of 3)"
ncpu=$(nproc)
for n in 1 2 4; do
	eps=$(best "threads $n" --threads "$n" -r "${falco[0]}" -r "${falco[1]}" -r "${falco[2]}")
	pct=$(awk -v a="$eps" -v b="$files" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
	printf '%d thread(s)       %9s events/s, %sx one thread (%d CPUs)\n' "$n" "$eps" "$pct" "$ncpu"
done
