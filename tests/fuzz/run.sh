#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run the libFuzzer targets built from tests/fuzz/fuzz_*.c.
#
#   tests/fuzz/run.sh smoke BUILD [TOTAL_SECONDS]   (make check: about 20 s for all)
#   tests/fuzz/run.sh long BUILD SECONDS [NAME...]  (make fuzz: SECONDS per target)
#
# Target NAME is BUILD/fuzz/fuzz_NAME; its corpus is BUILD/fuzz/corpus-NAME,
# seeded by the Makefile.  smoke reads the corpus and writes what it finds to
# a scratch directory; long grows the corpus itself.  A target passes when
# libFuzzer exits 0 having run at least one input.  A crash fails it, and the
# input that crashed is kept in BUILD/fuzz/artifacts/ and named here.  The
# last line is "fuzz: N passed, M failed".
#
# tests/fuzz/fuzz_NAME.options, when present, holds more libFuzzer flags for
# that target ('#' starts a comment).
#
# Environment: FUZZ_MAX_LEN (input size limit, default 20000: more than the
# largest exec message), FUZZ_ARGS (more libFuzzer flags, e.g. -jobs=4).
set -u
mode=${1:-}
build=${2:-}
case $mode in
smoke) secs=${3:-20} ;;
long) secs=${3:?usage: tests/fuzz/run.sh long BUILD SECONDS [NAME...]} ;;
*)
	echo "usage: tests/fuzz/run.sh smoke|long BUILD [SECONDS] [NAME...]" >&2
	exit 2
	;;
esac
[ -n "$build" ] || {
	echo "usage: tests/fuzz/run.sh smoke|long BUILD [SECONDS] [NAME...]" >&2
	exit 2
}
if [ $# -ge 3 ]; then
	shift 3
else
	shift $#
fi
cd "$(dirname "$0")/../.." || exit 1

# Targets: the ones named, else one per tests/fuzz/fuzz_*.c.
names="$*"
if [ -z "$names" ]; then
	for src in tests/fuzz/fuzz_*.c; do
		[ -e "$src" ] || continue
		n=${src#tests/fuzz/fuzz_}
		names="$names ${n%.c}"
	done
fi
count=0
for n in $names; do
	count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
	echo "fuzz: no target in tests/fuzz/"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
# smoke: the time is shared; libFuzzer counts whole seconds.
if [ "$mode" = smoke ]; then
	each=$((secs / count))
	[ "$each" -ge 1 ] || each=1
else
	each=$secs
fi

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
logs="$build/fuzz/logs"
artifacts="$build/fuzz/artifacts"
mkdir -p "$logs" "$artifacts" || exit 1
passed=0
failed=0

# final_stat NAME LOG: a value of libFuzzer's -print_final_stats.
final_stat() {
	sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -n 1
}

for n in $names; do
	bin="$build/fuzz/fuzz_$n"
	corpus="$build/fuzz/corpus-$n"
	log="$logs/$n.log"
	if [ ! -x "$bin" ]; then
		echo "fuzz_$n: FAILED: $bin not built (make BUILD=$build fuzz-build)"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$corpus" || exit 1
	scratch=""
	if [ "$mode" = smoke ]; then
		scratch=$(mktemp -d) || exit 1
		set -- "$scratch" "$corpus"
	else
		set -- "$corpus"
	fi
	opts=""
	[ ! -f "tests/fuzz/fuzz_$n.options" ] ||
		opts=$(sed 's/#.*//' "tests/fuzz/fuzz_$n.options" | tr -s '\n\t' '  ')
	echo "fuzz_$n: ${each}s, corpus $corpus, options:$opts"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$each" -max_len="${FUZZ_MAX_LEN:-20000}" -timeout=25 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$n-" $opts ${FUZZ_ARGS:-} "$@" \
		>"$log" 2>&1 &
	pid=$!
	if [ "$mode" = long ]; then
		# Show progress as it comes (libFuzzer prints a status line on
		# each new coverage and each power-of-two run count).
		tail -n +1 -f "$log" --pid="$pid" 2>/dev/null &
		tailpid=$!
	fi
	wait "$pid"
	rc=$?
	[ "$mode" = long ] && wait "$tailpid"
	[ -z "$scratch" ] || rm -rf "$scratch"

	runs=$(final_stat number_of_executed_units "$log")
	eps=$(final_stat average_exec_per_sec "$log")
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ "${runs:-0}" -ge 1 ]; then
		echo "fuzz_$n: ok: ${runs} runs, ${eps:-?} exec/s, cov ${cov:-?}"
		passed=$((passed + 1))
	else
		[ "$mode" = long ] || tail -n 80 "$log"
		echo "fuzz_$n: FAILED: libFuzzer exited $rc after ${runs:-0} runs (log $log)"
		[ -z "$crash" ] || echo "fuzz_$n: crash input: $crash (replay: $bin $crash)"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
