#!/bin/sh
# make check: every suite, then one summary line "check: N passed, M failed".
# Suites: unit (cmocka), unit under ASan+UBSan, fuzz (libFuzzer, briefly),
# host integration (this
# machine's kernel), VM (Debian 6.1 and 6.12 kernels under QEMU).
set -u
build=${1:?usage: tests/check.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 1
log="$build/check"
mkdir -p "$log"

total_p=0
total_f=0
failed_suites=""

run_suite() {
	name=$1
	shift
	echo "=== $name"
	"$@" >"$log/$name.log" 2>&1
	rc=$?
	cat "$log/$name.log"
	line=$(grep -E "^[a-z-]+: [0-9]+ passed, [0-9]+ failed\$" "$log/$name.log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed/\1/p')
	if [ -z "$line" ]; then
		echo "$name: no summary line: the suite did not run"
		p=0
		f=1
	elif [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "$name: exited $rc"
		f=1
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	[ "$f" -eq 0 ] || failed_suites="$failed_suites $name"
}

run_suite unit tests/run-suite.sh unit "$build"/tests/test_*
run_suite unit-san tests/run-suite.sh unit-san "$build"/tests-san/test_*
run_suite fuzz tests/fuzz/run.sh smoke "$build" 20
run_suite host tests/host/run.sh "$build"
run_suite vm tests/vm/run.sh "$build"

echo "==="
[ -z "$failed_suites" ] || echo "failed suites:$failed_suites (logs in $log/)"
echo "check: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
