#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/run.sh — vigil's overhead on syscall-heavy loops, and its drop behaviour under load.
# Not part of the test suite: prints ratios against a baseline measured in the same run.
#
#   sudo bench/run.sh [overhead|drops|all]      (default: all)
#
# overhead: each loop (bench/loops.c) runs with no vigil (baseline), under `vigil watch`
#   (default syscall set) and under `vigil watch --events`, interleaved round by round
#   (A B C A B C ...), ROUNDS times; medians are compared. Goals (default set): open-close
#   <= 5 %, fork-exec <= 10 %.
# drops: bench/evgen.c makes RATE openat/s on 2 threads for DURATION s while
#   `vigil watch --events` runs; reports events seen vs generated and vigil's `drops:` count.
#
# Environment: VIGIL (binary; default build/src/cli/vigil), ROUNDS (5), SCALE (1.0, multiplies
# iteration counts), RATE (100000), DURATION (10), BENCH_OUT (build dir for the C loops).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
VIGIL=${VIGIL:-}
if [ -z "$VIGIL" ]; then
	for c in "$root/build/src/cli/vigil" "$root/build-it/src/cli/vigil"; do
		[ -x "$c" ] && VIGIL=$c && break
	done
fi
ROUNDS=${ROUNDS:-5}
SCALE=${SCALE:-1.0}
RATE=${RATE:-100000}
DURATION=${DURATION:-10}
BENCH_OUT=${BENCH_OUT:-${TMPDIR:-/tmp}/vigil-bench}
what=${1:-all}

# loop name, iterations (about 1 s each on a small VM), goal % for `watch` or "-"
LOOPS=(
	"open-close 300000 5"
	"stat 500000 -"
	"fork-exec 700 10"
	"tcp-connect 20000 -"
)

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

build() {
	mkdir -p "$BENCH_OUT" || die "cannot create $BENCH_OUT"
	local cc=${CC:-cc}
	if [ ! -x "$BENCH_OUT/loops" ] || [ "$here/loops.c" -nt "$BENCH_OUT/loops" ]; then
		$cc -O2 -Wall -o "$BENCH_OUT/loops" "$here/loops.c" || die "building loops failed"
	fi
	if [ ! -x "$BENCH_OUT/evgen" ] || [ "$here/evgen.c" -nt "$BENCH_OUT/evgen" ]; then
		$cc -O2 -Wall -pthread -o "$BENCH_OUT/evgen" "$here/evgen.c" || die "building evgen failed"
	fi
}

# vigil_start LOGFILE ARGS... : start `vigil watch ARGS` in the background and wait for
# "ready" on its stderr; sets VPID. Returns non-zero when it did not get ready in 60 s.
VPID=
vigil_start() {
	local logf=$1; shift
	: >"$logf"
	"$VIGIL" watch "$@" 2>"$logf" >/dev/null &
	VPID=$!
	local i
	for ((i = 0; i < 600; i++)); do
		grep -q ready "$logf" 2>/dev/null && return 0
		kill -0 "$VPID" 2>/dev/null || { wait "$VPID"; VPID=; return 1; }
		sleep 0.1
	done
	vigil_stop
	return 1
}

# vigil_stop: SIGTERM, wait; returns vigil's exit code
vigil_stop() {
	[ -n "$VPID" ] || return 0
	kill -TERM "$VPID" 2>/dev/null
	local rc=0
	wait "$VPID" || rc=$?
	VPID=
	return $rc
}

trap 'vigil_stop' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit}
	if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }

overhead() {
	local modes=(baseline)
	if [ "$(id -u)" = 0 ] && [ -n "$VIGIL" ] && [ -x "$VIGIL" ]; then
		modes+=(watch events)
	else
		log "bench: not root or no vigil binary ($VIGIL): baseline only"
	fi
	local res="$BENCH_OUT/overhead.$$"
	: >"$res"
	local r m l name iters goal n out
	for ((r = 1; r <= ROUNDS; r++)); do
		for m in "${modes[@]}"; do
			case $m in
			watch) vigil_start "$BENCH_OUT/vigil-watch.log" ||
				{ log "bench: vigil watch did not get ready:"; tail -5 "$BENCH_OUT/vigil-watch.log" >&2; return 1; } ;;
			events) vigil_start "$BENCH_OUT/vigil-events.log" --events -o /dev/null ||
				{ log "bench: vigil watch --events did not get ready:"; tail -5 "$BENCH_OUT/vigil-events.log" >&2; return 1; } ;;
			esac
			for l in "${LOOPS[@]}"; do
				read -r name iters goal <<<"$l"
				n=$(awk -v i="$iters" -v s="$SCALE" 'BEGIN {n = int(i * s); print (n < 1 ? 1 : n)}')
				out=$("$BENCH_OUT/loops" "$name" "$n") || { log "bench: loop $name failed"; return 1; }
				echo "$m $out" >>"$res"
			done
			if [ "$m" != baseline ]; then
				vigil_stop || log "bench: vigil ($m) exited non-zero"
			fi
		done
		log "bench: round $r/$ROUNDS done"
	done
	echo "# overhead: medians of $ROUNDS interleaved rounds; vigil=$VIGIL"
	local base w e ow oe verdict
	for l in "${LOOPS[@]}"; do
		read -r name iters goal <<<"$l"
		base=$(awk -v n="$name" '$1 == "baseline" && $2 == n {print $4}' "$res" | median)
		if [ ${#modes[@]} -eq 1 ]; then
			printf '%s: baseline %s ns/op\n' "$name" "$base"
			continue
		fi
		w=$(awk -v n="$name" '$1 == "watch" && $2 == n {print $4}' "$res" | median)
		e=$(awk -v n="$name" '$1 == "events" && $2 == n {print $4}' "$res" | median)
		ow=$(awk -v a="$base" -v b="$w" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
		oe=$(awk -v a="$base" -v b="$e" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
		verdict=""
		if [ "$goal" != - ]; then
			if awk -v o="$ow" -v g="$goal" 'BEGIN {exit !(o <= g)}'; then
				verdict=" [goal <= ${goal}%: PASS]"
			else
				verdict=" [goal <= ${goal}%: FAIL]"
			fi
		fi
		printf '%s: baseline %.0f ns/op, watch %.0f ns/op, overhead %s%%%s; --events %.0f ns/op, overhead %s%%\n' \
			"$name" "$base" "$w" "$ow" "$verdict" "$e" "$oe"
	done
	rm -f "$res"
}

drops() {
	if [ "$(id -u)" != 0 ] || [ -z "$VIGIL" ] || [ ! -x "$VIGIL" ]; then
		log "bench: drop test needs root and a vigil binary"
		return 1
	fi
	local marker="vgevgen$$" fifo="$BENCH_OUT/events.fifo" cnt="$BENCH_OUT/seen.count"
	local logf="$BENCH_OUT/vigil-drops.log" gen seen drops rc
	rm -f "$fifo" "$cnt" && mkfifo "$fifo" || return 1
	# the counter reads vigil's text output through a FIFO: no disk, and the formatting
	# cost is the same as writing to /dev/null
	grep -c -F "/nonexistent-$marker/" <"$fifo" >"$cnt" &
	local gpid=$!
	vigil_start "$logf" --events --format text -o "$fifo" || {
		log "bench: vigil did not get ready:"; tail -5 "$logf" >&2; kill $gpid 2>/dev/null; return 1; }
	gen=$("$BENCH_OUT/evgen" -r "$RATE" -d "$DURATION" -t 2 -m "$marker")
	sleep 1
	rc=0; vigil_stop || rc=$?
	wait $gpid
	seen=$(cat "$cnt" 2>/dev/null || echo 0)
	drops=$(grep -o 'drops: *[0-9]*' "$logf" | tail -1 | grep -o '[0-9]*$')
	local n=${gen#generated=}; n=${n%% *}
	echo "# drops: evgen -r $RATE -d $DURATION -t 2 under vigil watch --events (exit $rc)"
	awk -v g="$n" -v s="$seen" -v d="${drops:-n/a}" -v line="$gen" 'BEGIN {
		printf "drops: %s; seen %d of %d generated (%.1f%%), vigil drops: %s\n",
			line, s, g, g ? s * 100 / g : 0, d }'
	rm -f "$fifo" "$cnt"
}

[ -n "$VIGIL" ] || log "bench: no vigil binary found (set VIGIL=...)"
build
case $what in
overhead) overhead ;;
drops) drops ;;
all) overhead; drops ;;
*) die "usage: $0 [overhead|drops|all]" ;;
esac
