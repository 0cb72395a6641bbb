#!/bin/sh
# Policies of --tracing-policy-dir are applied live, and a replacement
# leaves no window in which neither version enforces:
# - an exec-kill policy for one binary (a copy of the execer helper, named
#   "victim", that would create a marker file if it ran) is rewritten 20
#   times while a loop execs the victim: in place, renamed over from an
#   editor's temporary file, and once under a new name; no run gets
#   through, every run is killed and reported, and vigild logs each
#   replacement;
# - a broken edit keeps the loaded version enforcing and is reported with
#   file:line:column;
# - removing the file deletes the policy: the victim runs again.
# The policy matches only the victim's path; nothing else is killed.
# Every wait is for a count (log lines, loop runs), bounded; no timing is
# asserted.
set -u
. "$(dirname "$0")/common.inc"

PD="$T/policies"
P="$PD/victim.yaml"
EV="$T/events.json"
VICTIM="$T/victim"
LOOP=
mkdir "$PD"
cp "$VIGIL_TEST_BIN/execer" "$VICTIM"

# write_policy FILE NAME MESSAGE [MATCH_ACTIONS_KEY]: the victim-kill
# policy (line 19 holds the matchActions key)
write_policy() {
	cat >"$1" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "$2"
spec:
  kprobes:
  - call: "security_bprm_check"
    syscall: false
    message: "$3"
    args:
    - index: 0
      type: "linux_binprm"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "$VICTIM"
      ${4:-matchActions}:
      - action: Sigkill
EOF
}

# run_victim NAME: run the victim, which creates $T/NAME when it runs; ST
# is its exit status
run_victim() {
	"$VICTIM" path touch touch "$T/$1" 2>/dev/null
	ST=$?
}

# count PATTERN: lines of vigild's stderr matching PATTERN
count() {
	n=$(grep -c -E "$1" "$T/stderr" 2>/dev/null)
	echo "${n:-0}"
}

runs() {
	if [ -f "$T/statuses" ]; then wc -l <"$T/statuses"; else echo 0; fi
}

# wait_for CONDITION: until the shell condition holds (60 s at most)
wait_for() {
	w=0
	while ! eval "$1"; do
		w=$((w + 1))
		[ $w -gt 600 ] && return 1
		sleep 0.1
	done
}

stop_loop() {
	[ -n "$LOOP" ] || return 0
	touch "$T/stop"
	wait "$LOOP"
	LOOP=
}

write_policy "$P" victim-kill v0
# Lean events: the checks read thousands of them.
start_vigild --output none --export-filename "$EV" --enable-process-cred=false \
	--enable-process-ns=false --tracing-policy-dir "$PD" ||
	{ finish; exit 1; }
run_victim first
if [ "$ST" -eq 137 ] && [ ! -e "$T/first" ]; then
	ok "the policy of the directory kills the victim at start"
else
	not_ok "the policy of the directory kills the victim at start" "status $ST"
fi

# The exec loop: one status line per run.
(
	i=0
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		"$VICTIM" path touch touch "$T/ran.$i"
		echo "$?" >>"$T/statuses"
	done
) 2>/dev/null &
LOOP=$!

# 20 replacements: 1-9 in place, 10 renamed over from an editor's
# temporary file, 11 under a new name, 12-20 in place again.  Each waits
# until vigild has applied it and the loop has run once more.
applied=0
failed_wait=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	name=victim-kill
	[ "$i" -ge 11 ] && name=victim-kill-b
	before=$(runs)
	if [ "$i" -eq 10 ]; then
		write_policy "$PD/.victim.yaml.swp" "$name" "v$i"
		mv "$PD/.victim.yaml.swp" "$P"
	else
		write_policy "$P" "$name" "v$i"
	fi
	applied=$((applied + 1))
	if ! wait_for "[ \$(count 'tracing policy victim-kill(-b)? (replaced|loaded) from $P\$') -ge $applied ] && [ \$(runs) -gt $before ]"; then
		failed_wait="replacement $i: $(count "from $P") applied, $(runs) runs"
		break
	fi
done
if [ -z "$failed_wait" ]; then
	ok "vigild applies 20 replacements while the exec loop runs"
else
	not_ok "vigild applies 20 replacements while the exec loop runs" "$failed_wait"
fi

# A broken edit: reported with file:line:column, the loaded version stays.
write_policy "$P" victim-kill-b broken matchActons
if wait_for "[ \$(count 'not loaded; tracing policy victim-kill-b keeps its earlier version') -ge 1 ]"; then
	ok "a broken edit is reported and the earlier version kept"
else
	not_ok "a broken edit is reported and the earlier version kept" "$(cat "$T/stderr")"
fi
if [ "$(count "^vigild: $P:19:7: .*matchActons.*matchActions")" -eq 1 ]; then
	ok "the broken edit is reported once, at file:line:column with the valid spelling"
else
	not_ok "the broken edit is reported once, at file:line:column with the valid spelling" \
		"$(grep "$P" "$T/stderr")"
fi
before=$(runs)
wait_for "[ \$(runs) -ge $((before + 3)) ]"
stop_loop

N=$(runs)
killed=$(grep -c '^137$' "$T/statuses")
ran=$(ls "$T" | grep -c '^ran\.')
if [ "$ran" -eq 0 ]; then
	ok "no run of the victim got through the replacements ($N runs)"
else
	not_ok "no run of the victim got through the replacements ($N runs)" "$ran runs created their file"
fi
if [ "$N" -ge 20 ] && [ "$killed" -eq "$N" ]; then
	ok "every run of the loop was killed ($killed of $N, at least 20)"
else
	not_ok "every run of the loop was killed ($killed of $N, at least 20)" \
		"statuses: $(sort "$T/statuses" | uniq -c | tr '\n' ' ')"
fi
r_a=$(count "^vigild: tracing policy victim-kill replaced from $P\$")
r_b=$(count "^vigild: tracing policy victim-kill-b replaced from $P\$")
renamed=$(count "^vigild: tracing policy victim-kill deleted: $P holds victim-kill-b now\$")
if [ "$r_a" -eq 10 ] && [ "$r_b" -eq 9 ] && [ "$renamed" -eq 1 ]; then
	ok "each replacement is logged; the new name deletes the old policy after it loads"
else
	not_ok "each replacement is logged; the new name deletes the old policy after it loads" \
		"replaced: $r_a + $r_b, renamed: $renamed"
fi

# Removing the file deletes the policy.
rm "$P"
if wait_for "[ \$(count 'tracing policy victim-kill-b deleted: $P is gone') -ge 1 ]"; then
	ok "removing the file deletes its policy"
else
	not_ok "removing the file deletes its policy" "$(tail -n 5 "$T/stderr")"
fi
run_victim after
if [ "$ST" -eq 0 ] && [ -e "$T/after" ]; then
	ok "after the removal the victim runs"
else
	not_ok "after the removal the victim runs" "status $ST"
fi
stop_vigild

# Each killed run is reported (the first one, the loop's; once per process).
check "every kill is reported as process_kprobe of the victim, by one of the two names ($((N + 1)) processes)" \
	"[.[] | select(.process_kprobe.action == \"KPROBE_ACTION_SIGKILL\") | .process_kprobe |
	  select((.policy_name == \"victim-kill\" or .policy_name == \"victim-kill-b\") and
	         .args[0].linux_binprm_arg.path == \"$VICTIM\") | .process.pid] | unique | length == $((N + 1))" "$EV"
check "no other process was killed" \
	"[.[] | select(.process_kprobe) | .process_kprobe.args[0].linux_binprm_arg.path] | unique == [\"$VICTIM\"]" "$EV"
finish
