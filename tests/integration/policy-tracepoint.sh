#!/bin/sh
# Tracepoint hooks (spec.tracepoints), Tetragon's policies unchanged, on
# syscalls/sys_enter_openat (field 6 the file name, user memory; 7 the
# flags; 5 the directory fd), all in one vigild:
# - Sigkill on a file name prefix kills the opener before the open;
# - a Post-only policy reports exactly one process_tracepoint event with
#   subsys, event and the typed args (string, signed int, flags);
# - integer filters on the flags: Mask (O_CREAT) and Equal (0, read-only);
# - with matchBinaries, only the named binary is killed;
# - a __data_loc string (sched/sched_process_exec's filename) is read from
#   the record;
# - a raw tracepoint (raw: true, sched_process_exec) reads its prototype's
#   arguments by index: the task's tgid through resolve, old_pid as an
#   int, the binprm as its path;
# - policies that cannot load (an event the kernel lacks, a type that does
#   not fit its field) are refused with file:line:column, the field path
#   and the reason, and `vigil policy lint` says the same.
# Every action is scoped to files under this test's directory, and the
# binaries killed are this test's copy of cat.
set -u
. "$(dirname "$0")/common.inc"

VIGIL="$(dirname "$VIGILD")/vigil"
EV="$T/events.json"
CAT="$T/bin/cat" # a copy: its name stays cat (busybox picks the applet by it)
# the system's cat, by path (busybox ash's `command -v` names an applet)
for SYSCAT in /usr/bin/cat /bin/cat; do
	[ -x "$SYSCAT" ] && break
done

mkdir -p "$T/bin" "$T/kill" "$T/post" "$T/mask" "$T/eq" "$T/bins" "$T/bad"
cp "$SYSCAT" "$CAT" || { not_ok "copy cat" "cp $SYSCAT failed"; finish; exit 1; }
for f in kill/file post/file mask/read eq/read bins/file other; do
	echo "$f" >"$T/$f"
done

# policy NAME ARGS SELECTOR: a sys_enter_openat policy in $T/NAME.yaml
policy() {
	cat >"$T/$1.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "$1"
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
$2
    selectors:
$3
EOF
}

policy tp-kill "    - index: 6
      type: \"string\"" "    - matchArgs:
      - index: 6
        operator: \"Prefix\"
        values:
        - \"$T/kill/\"
      matchActions:
      - action: Sigkill"
policy tp-post "    - index: 6
      type: \"string\"
    - index: 5
      type: \"int\"
    - index: 7
      type: \"int32\"" "    - matchArgs:
      - index: 6
        operator: \"Equal\"
        values:
        - \"$T/post/file\""
policy tp-mask "    - index: 6
      type: \"string\"
    - index: 7
      type: \"int\"" "    - matchArgs:
      - index: 6
        operator: \"Prefix\"
        values:
        - \"$T/mask/\"
      - index: 7
        operator: \"Mask\"
        values:
        - \"0x40\""
policy tp-eq "    - index: 7
      type: \"int\"
    - index: 6
      type: \"string\"" "    - matchArgs:
      - index: 6
        operator: \"Prefix\"
        values:
        - \"$T/eq/\"
      - index: 7
        operator: \"Equal\"
        values:
        - \"0\""
policy tp-bins "    - index: 6
      type: \"string\"" "    - matchArgs:
      - index: 6
        operator: \"Prefix\"
        values:
        - \"$T/bins/\"
      matchBinaries:
      - operator: \"In\"
        values:
        - \"$CAT\"
      matchActions:
      - action: Sigkill"
# A __data_loc string: the exec's file name, kept in the record itself.
cat >"$T/tp-exec.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "tp-exec"
spec:
  tracepoints:
  - subsystem: "sched"
    event: "sched_process_exec"
    args:
    - index: 4
      type: "string"
    - index: 5
      type: "int"
    selectors:
    - matchArgs:
      - index: 4
        operator: "Prefix"
        values:
        - "$T/bin/"
EOF
# Tetragon's rawtp example (the task's tgid by resolve, the binprm) with
# old_pid too, filtered on the binprm.
cat >"$T/tp-raw.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "tp-raw"
spec:
  tracepoints:
  - subsystem: "sched"
    event: "sched_process_exec"
    raw: true
    args:
    - index: 0
      type: "int"
      resolve: "tgid"
    - index: 1
      type: "int"
    - index: 2
      type: "linux_binprm"
    selectors:
    - matchArgs:
      - index: 2
        operator: "Prefix"
        values:
        - "$T/bin/"
EOF
# Refused: loaded from a directory, each reported and skipped.
sed 's/sys_enter_openat/sys_enter_nope/; s/"tp-post"/"bad-event"/' "$T/tp-post.yaml" \
	>"$T/bad/bad-event.yaml"
sed 's/type: "int32"/type: "string"/; s/"tp-post"/"bad-type"/' "$T/tp-post.yaml" \
	>"$T/bad/bad-type.yaml"
sed 's/index: 1$/index: 3/; s/"tp-raw"/"bad-raw"/' "$T/tp-raw.yaml" >"$T/bad/bad-raw.yaml"

start_vigild --export-filename "$EV" --tracing-policy-dir "$T/bad" \
	--tracing-policy "$T/tp-kill.yaml" --tracing-policy "$T/tp-post.yaml" \
	--tracing-policy "$T/tp-mask.yaml" --tracing-policy "$T/tp-eq.yaml" \
	--tracing-policy "$T/tp-bins.yaml" --tracing-policy "$T/tp-exec.yaml" \
	--tracing-policy "$T/tp-raw.yaml" || { finish; exit 1; }
"$CAT" "$T/kill/file" >/dev/null 2>&1 &
kpid=$!
{ wait "$kpid"; } 2>/dev/null # no "Killed" from the shell
kst=$?
other=$("$CAT" "$T/other" 2>&1)
"$CAT" "$T/post/file" >/dev/null 2>&1 &
ppid_=$!
wait "$ppid_"
pst=$?
: >"$T/mask/created"
"$CAT" "$T/mask/read" >/dev/null 2>&1
"$CAT" "$T/eq/read" >/dev/null 2>&1 &
epid=$!
wait "$epid"
: >"$T/eq/created"
"$CAT" "$T/bins/file" >/dev/null 2>&1 &
bpid=$!
{ wait "$bpid"; } 2>/dev/null # no "Killed" from the shell
bst=$?
sysout=$("$SYSCAT" "$T/bins/file" 2>&1)
stop_vigild

if [ "$kst" -eq 137 ]; then
	ok "Sigkill on a sys_enter_openat file name prefix kills the opener"
else
	not_ok "Sigkill on a sys_enter_openat file name prefix kills the opener" "status $kst"
fi
if [ "$other" = other ]; then
	ok "the same binary opens other files"
else
	not_ok "the same binary opens other files" "cat printed: $other"
fi
check "the kill is one process_tracepoint event with subsys, event, the file name and SIGKILL" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-kill\")] | length == 1 and
	 (.[0].process_tracepoint | .subsys == \"syscalls\" and .event == \"sys_enter_openat\" and
	  (has(\"function_name\") | not) and .action == \"KPROBE_ACTION_SIGKILL\" and
	  .process.pid == $kpid and .process.binary == \"$CAT\" and
	  .args == [{\"string_arg\": \"$T/kill/file\"}])" "$EV"
check "the killed opener's exit reports SIGKILL" \
	"map(select(.process_exit.process.pid == $kpid))[0].process_exit.signal == \"SIGKILL\"" "$EV"
if [ "$pst" -eq 0 ]; then
	ok "a Post-only tracepoint policy lets the open happen"
else
	not_ok "a Post-only tracepoint policy lets the open happen" "status $pst"
fi
check "a Post-only policy reports exactly one event: file name, AT_FDCWD as a signed int, flags" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-post\")] | length == 1 and
	 (.[0].process_tracepoint | .action == \"KPROBE_ACTION_POST\" and .process.pid == $ppid_ and
	  .args == [{\"string_arg\": \"$T/post/file\"}, {\"int_arg\": -100}, {\"int_arg\": 0}])" "$EV"
check "Mask on the flags: the create (O_CREAT) is reported, the read is not" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-mask\") | .process_tracepoint.args[0].string_arg] ==
	 [\"$T/mask/created\"]" "$EV"
check "Equal on the flags: the read-only open is reported, the create is not" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-eq\") | .process_tracepoint] | length == 1 and
	 .[0].process.pid == $epid and .[0].args == [{\"int_arg\": 0}, {\"string_arg\": \"$T/eq/read\"}]" "$EV"
if [ "$bst" -eq 137 ] && [ "$sysout" = bins/file ]; then
	ok "with matchBinaries only the named binary is killed"
else
	not_ok "with matchBinaries only the named binary is killed" "copy: status $bst; $SYSCAT printed: $sysout"
fi
check "the matchBinaries kill is reported for the named binary only" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-bins\") | .process_tracepoint] | length == 1 and
	 .[0].process.pid == $bpid and .[0].action == \"KPROBE_ACTION_SIGKILL\"" "$EV"
check "a __data_loc field (sched_process_exec's filename) reads as a string" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-exec\" and .process_tracepoint.process.pid == $ppid_) |
	  .process_tracepoint] | length == 1 and
	 (.[0] | .subsys == \"sched\" and .event == \"sched_process_exec\" and
	  .args == [{\"string_arg\": \"$CAT\"}, {\"int_arg\": $ppid_}])" "$EV"
check "a raw tracepoint reads its prototype's arguments: the task's tgid (resolve), old_pid, the binprm" \
	"[.[] | select(.process_tracepoint.policy_name == \"tp-raw\" and .process_tracepoint.process.pid == $ppid_) |
	  .process_tracepoint] | length == 1 and
	 (.[0] | .subsys == \"sched\" and .event == \"sched_process_exec\" and
	  .args == [{\"int_arg\": $ppid_}, {\"int_arg\": $ppid_},
	            {\"linux_binprm_arg\": {\"path\": \"$CAT\"}}])" "$EV"

want_event="bad-event.yaml:8:12: spec.tracepoints[0].event: tracepoint \"syscalls/sys_enter_nope\" does not exist in this kernel"
want_type="bad-type.yaml:15:13: spec.tracepoints[0].args[2].type: type \"string\" does not fit field 7 \"flags\" (int): a string is read from a char * or __data_loc char[] field"
if grep -qF "$T/bad/$want_event" "$T/stderr"; then
	ok "vigild refuses a tracepoint the kernel lacks, with file:line:column and field path"
else
	not_ok "vigild refuses a tracepoint the kernel lacks, with file:line:column and field path" \
		"$(cat "$T/stderr")"
fi
if grep -qF "$T/bad/$want_type" "$T/stderr"; then
	ok "vigild refuses a type that does not fit the tracepoint field, naming field and type"
else
	not_ok "vigild refuses a type that does not fit the tracepoint field, naming field and type" \
		"$(cat "$T/stderr")"
fi
want_raw="bad-raw.yaml:14:14: spec.tracepoints[0].args[1].index: index 3 is out of range: \"sched_process_exec\" has 3 arguments (a raw tracepoint's, numbered from 0)"
if grep -qF "$T/bad/$want_raw" "$T/stderr"; then
	ok "vigild refuses a raw tracepoint index beyond its prototype, from the kernel's BTF"
else
	not_ok "vigild refuses a raw tracepoint index beyond its prototype, from the kernel's BTF" \
		"$(cat "$T/stderr")"
fi
check "nothing of a refused policy reports" \
	"[.[] | select(.process_tracepoint.policy_name | . != null and test(\"^bad\"))] | length == 0" "$EV"

# lint: the same verdicts without an agent.
"$VIGIL" policy lint "$T/tp-kill.yaml" "$T/tp-post.yaml" "$T/tp-mask.yaml" "$T/tp-eq.yaml" \
	"$T/tp-bins.yaml" >"$T/lint.out" 2>"$T/lint.err"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c ': ok$' "$T/lint.out")" -eq 5 ] && [ ! -s "$T/lint.err" ]; then
	ok "vigil policy lint passes the tracepoint policies"
else
	not_ok "vigil policy lint passes the tracepoint policies" "status $rc: $(cat "$T/lint.err")"
fi
"$VIGIL" policy lint "$T/bad/bad-type.yaml" >"$T/lint.out" 2>"$T/lint.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qxF "$T/bad/$want_type" "$T/lint.err"; then
	ok "vigil policy lint refuses the type that does not fit, with the same message"
else
	not_ok "vigil policy lint refuses the type that does not fit, with the same message" \
		"status $rc: $(cat "$T/lint.err")"
fi
"$VIGIL" policy lint --explain "$T/tp-post.yaml" >"$T/lint.out" 2>"$T/lint.err"
if grep -q "runs as: tracepoint on syscalls/sys_enter_openat" "$T/lint.out" &&
	grep -q "arg 0: index 6, string, 8 bytes at offset [0-9]* of the record, user memory" "$T/lint.out"; then
	ok "--explain shows the tracepoint and where each field is read"
else
	not_ok "--explain shows the tracepoint and where each field is read" "$(cat "$T/lint.out" "$T/lint.err")"
fi
"$VIGIL" policy lint --explain "$T/tp-raw.yaml" >"$T/lint.out" 2>"$T/lint.err"
if grep -q "runs as: raw tracepoint on sched_process_exec" "$T/lint.out" &&
	grep -q "arg 0: index 0, integer, resolve \"tgid\": 1 step" "$T/lint.out" &&
	grep -q "arg 2: index 2, linux_binprm" "$T/lint.out"; then
	ok "--explain shows the raw tracepoint and its arguments"
else
	not_ok "--explain shows the raw tracepoint and its arguments" "$(cat "$T/lint.out" "$T/lint.err")"
fi
finish
