#!/bin/sh
# Run cmocka test binaries; print their output and one line
# "<suite>: N passed, M failed".  Exit 1 if any test failed or a binary
# crashed or printed no cmocka summary.
set -u
suite=$1
shift
passed=0
failed=0
for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "$suite: $bin exited $rc without a cmocka failure count (crash or sanitizer report)"
		failed=$((failed + 1))
	fi
	if [ -z "$p" ] && [ -z "$f" ] && [ "$rc" -eq 0 ]; then
		echo "$suite: $bin ran no test"
		failed=$((failed + 1))
	fi
done
echo "$suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
