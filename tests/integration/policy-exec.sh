#!/bin/sh
# Exec policies enforce in the kernel:
# - the block-shell-exec example, loaded unchanged, kills /bin/sh before it
#   runs anything (a shell that would create a file creates nothing), lets
#   other programs run, and reports one process_kprobe event per kill;
# - in monitor mode the same policy reports and kills nothing;
# - a policy that cannot run on this kernel is refused at start with the
#   missing kernel feature named, and nothing is left loaded;
# - where BPF-LSM exists (the VM), a file_open Override denies one binary
#   the open with EPERM and lets another open the same file.
# While a policy that kills shells is loaded, this script execs no shell.
set -u
. "$(dirname "$0")/common.inc"

: "${VIGIL_EXAMPLES:?VIGIL_EXAMPLES must name the examples directory}"
EV="$T/events.json"
SH_REAL=$(readlink -f /bin/sh)

# run_shell SHELL NAME: run SHELL (a path, or a name for a PATH search by
# the C library: a shell's own lookup may run a busybox applet without an
# exec) to create $T/NAME; sets ST (exit status) and SPID (its pid, which
# the policy's event names)
run_shell() {
	case $1 in
	/*) "$1" -c "touch $T/$2" 2>/dev/null & ;;
	*) "$VIGIL_TEST_BIN/execer" path "$1" "$1" -c "touch $T/$2" 2>/dev/null & ;;
	esac
	SPID=$!
	wait "$SPID"
	ST=$?
}

start_vigild --export-filename "$EV" --tracing-policy "$VIGIL_EXAMPLES/policies/block-shell-exec.yaml" ||
	{ finish; exit 1; }
run_shell /bin/sh created-by-shell
st=$ST
pid1=$SPID
# By its PATH name: /usr/bin/sh on merged-/usr systems, where /bin is a link.
run_shell sh created-by-path-shell
path_st=$ST
pid2=$SPID
/bin/true vigil-policy-other
other=$?
stop_vigild
if [ "$st" -eq 137 ] && [ ! -e "$T/created-by-shell" ]; then
	ok "block-shell-exec kills /bin/sh before it runs: no file created"
else
	not_ok "block-shell-exec kills /bin/sh before it runs: no file created" \
		"status $st, file $(ls "$T/created-by-shell" 2>&1)"
fi
if [ "$path_st" -eq 137 ] && [ ! -e "$T/created-by-path-shell" ]; then
	ok "block-shell-exec kills sh found through PATH too"
else
	not_ok "block-shell-exec kills sh found through PATH too" \
		"status $path_st"
fi
if [ "$other" -eq 0 ]; then
	ok "other programs run under block-shell-exec"
else
	not_ok "other programs run under block-shell-exec" "/bin/true exited $other"
fi
for pid in $pid1 $pid2; do
	check "the kill of pid $pid is reported once, as Tetragon's process_kprobe with the binprm path" \
		"[.[] | select(.process_kprobe.policy_name == \"block-shell-exec\" and .process_kprobe.process.pid == $pid)] | length == 1 and
		 (.[0].process_kprobe | .function_name == \"security_bprm_check\" and
		  .action == \"KPROBE_ACTION_SIGKILL\" and
		  .args[0].linux_binprm_arg.path == \"$SH_REAL\")" "$EV"
	check "the exit of pid $pid reports SIGKILL" \
		"map(select(.process_exit.process.pid == $pid))[0].process_exit.signal == \"SIGKILL\"" "$EV"
done

# Monitor mode: the same policy with policy-mode monitor.
awk '{ print } /^spec:$/ { print "  options:"; print "  - name: policy-mode"; print "    value: monitor" }' \
	"$VIGIL_EXAMPLES/policies/block-shell-exec.yaml" >"$T/monitor.yaml"
start_vigild --export-filename "$T/m.json" --tracing-policy "$T/monitor.yaml" || { finish; exit 1; }
run_shell /bin/sh created-by-shell
st=$ST
stop_vigild
if [ "$st" -eq 0 ] && [ -e "$T/created-by-shell" ]; then
	ok "in monitor mode the shell runs"
else
	not_ok "in monitor mode the shell runs" "status $st"
fi
rm -f "$T/created-by-shell"
check "in monitor mode the event says what would have been done" \
	"[.[] | select(.process_kprobe.policy_name == \"block-shell-exec\" and .process_kprobe.process.pid == $SPID)] | length == 1 and .[0].process_kprobe.action == \"KPROBE_ACTION_SIGKILL\"" \
	"$T/m.json"

# File open: deny by path for one binary.
cat >"$T/deny-open.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "deny-open"
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "$T/secret"
      matchBinaries:
      - operator: "In"
        values:
        - "/bin/cat"
      matchActions:
      - action: Override
        argError: -1
EOF
echo secret >"$T/secret"
if [ "$VIGIL_ENV" = vm ]; then
	start_vigild --export-filename "$T/o.json" --tracing-policy "$T/deny-open.yaml" ||
		{ finish; exit 1; }
	cat_out=$(/bin/cat "$T/secret" 2>&1)
	cat_st=$?
	head_out=$(head -n 1 "$T/secret" 2>&1)
	stop_vigild
	case $cat_out in
	*"Operation not permitted"*) cat_eperm=1 ;;
	*) cat_eperm=0 ;;
	esac
	if [ "$cat_st" -ne 0 ] && [ "$cat_eperm" -eq 1 ]; then
		ok "file_open Override denies /bin/cat the open with EPERM"
	else
		not_ok "file_open Override denies /bin/cat the open with EPERM" "status $cat_st: $cat_out"
	fi
	if [ "$head_out" = secret ]; then
		ok "another binary opens the same file"
	else
		not_ok "another binary opens the same file" "head printed: $head_out"
	fi
	check "the denial is reported once, as process_lsm with the file path" \
		"[.[] | select(.process_lsm.policy_name == \"deny-open\")] | length == 1 and
		 (.[0].process_lsm | .function_name == \"file_open\" and .action == \"KPROBE_ACTION_OVERRIDE\" and
		  .args[0].file_arg.path == \"$T/secret\" and .process.binary == \"/bin/cat\")" "$T/o.json"
else
	# No BPF-LSM here: the policy is refused at start, naming what is missing.
	"$VIGILD" --node-name "$NODE" --output none --export-filename "$T/r.json" \
		--tracing-policy "$T/deny-open.yaml" >"$T/r.out" 2>"$T/r.err" &
	rpid=$!
	i=0
	while kill -0 "$rpid" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$rpid" 2>/dev/null; then
		kill -KILL "$rpid"
		not_ok "a policy that needs BPF-LSM is refused at start" "vigild still runs"
	else
		wait "$rpid"
		rst=$?
		if [ "$rst" -ne 0 ] && grep -q "deny-open.yaml:[0-9]*:[0-9]*: spec.lsmhooks\[0\]: .*BPF-LSM" "$T/r.err"; then
			ok "a policy that needs BPF-LSM is refused at start, naming the file, hook and BPF-LSM"
		else
			not_ok "a policy that needs BPF-LSM is refused at start, naming the file, hook and BPF-LSM" \
				"status $rst: $(cat "$T/r.err")"
		fi
	fi
fi
# A syscall kprobe with a string argument (user memory): kill cat when it
# opens a file whose name ends in vigil-secret-open.
cat >"$T/openat.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "openat-kill"
spec:
  kprobes:
  - call: "sys_openat"
    args:
    - index: 1
      type: "string"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Postfix"
        values:
        - "vigil-secret-open"
      matchBinaries:
      - operator: "In"
        values:
        - "/bin/cat"
      matchActions:
      - action: Sigkill
EOF
echo x >"$T/vigil-secret-open"
if [ "$VIGIL_ENV" = vm ]; then
	start_vigild --export-filename "$T/s.json" --tracing-policy "$T/openat.yaml" ||
		{ finish; exit 1; }
	/bin/cat "$T/vigil-secret-open" >/dev/null 2>&1 &
	cpid=$!
	wait "$cpid"
	cst=$?
	other_out=$(head -n 1 "$T/vigil-secret-open" 2>&1)
	stop_vigild
	if [ "$cst" -eq 137 ] && [ "$other_out" = x ]; then
		ok "a sys_openat kprobe with a string Postfix kills cat opening the file, not head"
	else
		not_ok "a sys_openat kprobe with a string Postfix kills cat opening the file, not head" \
			"cat status $cst, head printed: $other_out"
	fi
	check "the kill names the syscall and the file name as string_arg" \
		"[.[] | select(.process_kprobe.policy_name == \"openat-kill\" and .process_kprobe.process.pid == $cpid)] | length == 1 and
		 (.[0].process_kprobe | .function_name == \"sys_openat\" and .args[0].string_arg == \"$T/vigil-secret-open\")" "$T/s.json"
else
	"$VIGILD" --node-name "$NODE" --output none --export-filename "$T/r2.json" \
		--tracing-policy "$T/openat.yaml" >"$T/r2.out" 2>"$T/r2.err"
	rst=$?
	if [ "$rst" -ne 0 ] && grep -q "openat.yaml:[0-9]*:[0-9]*: spec.kprobes\[0\]: kprobe on sys_openat cannot run here: this kernel has no kprobes" "$T/r2.err"; then
		ok "a syscall kprobe is refused at start where kprobes are missing, naming them"
	else
		not_ok "a syscall kprobe is refused at start where kprobes are missing, naming them" \
			"status $rst: $(cat "$T/r2.err")"
	fi
fi
finish
