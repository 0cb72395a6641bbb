#!/bin/sh
# Selector matching as BPF code: test_policy_match compiles each policy of its
# table with the real compiler, loads the policy program (with a test entry)
# and runs calls under BPF_PROG_TEST_RUN, checking the return value (0 or the
# Override errno) and the event.  One line per call.  Needs root.
set -u
. "$(dirname "$0")/common.inc"

"$VIGIL_TEST_BIN/test_policy_match" >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out"
FAILS=$((FAILS + $(grep -c '^not ok - ' "$T/out")))
if [ "$rc" -ne 0 ] && ! grep -q '^not ok - ' "$T/out"; then
	not_ok "test_policy_match runs" "exit status $rc: $(tail -n 5 "$T/err")"
elif ! grep -q '^ok - ' "$T/out"; then
	not_ok "test_policy_match runs" "no case ran: $(tail -n 5 "$T/err")"
fi
finish
