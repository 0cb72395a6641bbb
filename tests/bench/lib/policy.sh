# tests/bench/lib/policy.sh - the policies of the policy rows (sourced by a .conf, and by
# tests/bench/vm.sh for the guest's).
#
# A policy row is described by one spec, HOOK:N:MATCH (CFG_POLICY of a .conf, the POLICY
# column of tests/bench/vm-configs):
#   HOOK   exec       security_bprm_check on linux_binprm (the shape of block-shell-exec)
#          openat     the tracepoint syscalls/sys_enter_openat, its filename as a string
#          file_open  the LSM hook file_open on its file (BPF-LSM only)
#   N      values in the selector's Equal list (1, 10000, ...)
#   MATCH  never  none of the values is the workload's file: the hook runs on every call and
#                 never matches (exec: Sigkill, as block-shell-exec; otherwise Post)
#          post   the last value is the workload's file; Post
#          kill   the last value is the workload's file; Sigkill (exec: the workload counts
#                 killed children as done, exec_storm --killed-ok)
#          deny   the last value is the workload's file; Override argError -1, the call fails
#                 with EPERM (open: open_storm --deny-ok)
#
# Each writer takes N ACTION FILE [MATCH] and writes a TracingPolicy with one selector whose
# Equal list holds N values: N values that nothing opens or execs (under /opt/vigil-bench/never/,
# with last components that are not the workload's), or, with MATCH, N-1 of those and MATCH
# last (the value that matters is the last one, as in tests/integration/policy-scale.sh).
# ACTION: Post, Sigkill, or Override (argError -1: the operation fails with EPERM).
#
#   bench_exec_policy     security_bprm_check, linux_binprm (BPF-LSM, a kprobe or the exec
#                         tracepoint, whichever the kernel offers)
#   bench_tp_open_policy  tracepoint syscalls/sys_enter_openat, field 6 (filename) as a string
#   bench_lsm_open_policy lsmhooks file_open, argument 0 as a file (BPF-LSM only)
#
# The policy's name is bench-HOOK-N; what it matches is the caller's business: a policy that
# kills or denies must name a file only the workload uses (a copy), never a common binary.

# bench_policy_values N NEVER_FMT [MATCH]: the value lines of the Equal list.
bench_policy_values() {
	local n=$1 fmt=$2 match=${3:-}
	[ -n "$match" ] && n=$((n - 1))
	[ "$n" -gt 0 ] && seq -f "        - \"$fmt\"" 0 $((n - 1))
	[ -n "$match" ] && printf '        - "%s"\n' "$match"
	return 0
}

# bench_policy_actions ACTION: the matchActions of the selector.
bench_policy_actions() {
	printf '%s\n' '      matchActions:' "      - action: $1"
	[ "$1" = Override ] && printf '%s\n' '        argError: -1'
	return 0
}

# bench_exec_policy N ACTION FILE [MATCH]
bench_exec_policy() {
	{
		printf '%s\n' 'apiVersion: cilium.io/v1alpha1' 'kind: TracingPolicy' 'metadata:' \
			"  name: \"bench-exec-$1\"" 'spec:' '  kprobes:' '  - call: "security_bprm_check"' \
			'    syscall: false' '    args:' '    - index: 0' '      type: "linux_binprm"' \
			'    selectors:' '    - matchArgs:' '      - index: 0' '        operator: "Equal"' \
			'        values:'
		bench_policy_values "$1" /opt/vigil-bench/never/tool%05g "${4:-}"
		bench_policy_actions "$2"
	} >"$3"
}

# bench_tp_open_policy N ACTION FILE [MATCH]
bench_tp_open_policy() {
	{
		printf '%s\n' 'apiVersion: cilium.io/v1alpha1' 'kind: TracingPolicy' 'metadata:' \
			"  name: \"bench-openat-$1\"" 'spec:' '  tracepoints:' '  - subsystem: "syscalls"' \
			'    event: "sys_enter_openat"' '    args:' '    - index: 6' '      type: "string"' \
			'    selectors:' '    - matchArgs:' '      - index: 6' '        operator: "Equal"' \
			'        values:'
		bench_policy_values "$1" /opt/vigil-bench/never/file%05g "${4:-}"
		bench_policy_actions "$2"
	} >"$3"
}

# bench_lsm_open_policy N ACTION FILE [MATCH]
bench_lsm_open_policy() {
	{
		printf '%s\n' 'apiVersion: cilium.io/v1alpha1' 'kind: TracingPolicy' 'metadata:' \
			"  name: \"bench-file-open-$1\"" 'spec:' '  lsmhooks:' '  - hook: "file_open"' \
			'    args:' '    - index: 0' '      type: "file"' \
			'    selectors:' '    - matchArgs:' '      - index: 0' '        operator: "Equal"' \
			'        values:'
		bench_policy_values "$1" /opt/vigil-bench/never/file%05g "${4:-}"
		bench_policy_actions "$2"
	} >"$3"
}

# bench_policy_write SPEC FILE EXEC_TARGET OPEN_TARGET: write the policy of SPEC (HOOK:N:MATCH)
# to FILE; the workload's file is EXEC_TARGET for exec, OPEN_TARGET otherwise.
bench_policy_write() {
	local hook n match action target="" rest
	IFS=: read -r hook n match rest <<<"$1"
	case "$n" in '' | *[!0-9]* | 0)
		echo "bench: policy spec '$1': N must be a positive integer" >&2
		return 1 ;;
	esac
	case "$hook" in exec) target=$3 ;; openat | file_open) target=$4 ;; *)
		echo "bench: policy spec '$1': unknown hook '$hook' (exec, openat, file_open)" >&2
		return 1 ;;
	esac
	case "$match" in
	never) target="" action=Post; [ "$hook" = exec ] && action=Sigkill ;;
	post) action=Post ;;
	kill) action=Sigkill ;;
	deny) action=Override ;;
	*)
		echo "bench: policy spec '$1': unknown match '$match' (never, post, kill, deny)" >&2
		return 1 ;;
	esac
	case "$hook" in
	exec) bench_exec_policy "$n" "$action" "$2" "$target" ;;
	openat) bench_tp_open_policy "$n" "$action" "$2" "$target" ;;
	file_open) bench_lsm_open_policy "$n" "$action" "$2" "$target" ;;
	esac
}

# bench_policy_wl_args SPEC WORKLOAD: the workload's extra arguments under the policy.
bench_policy_wl_args() {
	case "${1##*:}:$2" in
	kill:exec_storm) echo --killed-ok ;;
	deny:open_storm) echo --deny-ok ;;
	esac
}

# bench_policy_conf: called at the end of a .conf that sets CFG_POLICY (and sources
# lib/vigil.sh): for a run (RUN_DIR set, not when the harness only reads CFG_*), write the
# policy and pass it to vigild.  The workload's files are EXEC_TARGET and OPEN_TARGET
# (tests/bench/run.sh).
bench_policy_conf() {
	[ -n "${RUN_DIR:-}" ] || return 0
	bench_policy_write "$CFG_POLICY" "$RUN_DIR/policy.yaml" "$EXEC_TARGET" "$OPEN_TARGET" &&
		VIGIL_ARGS+=(--tracing-policy "$RUN_DIR/policy.yaml")
}
