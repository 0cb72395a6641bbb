# tests/bench/lib/policy.sh - exec policies for the policy rows (sourced by a .conf).
#
# bench_exec_policy N FILE: write a kill-on-exec policy (security_bprm_check, Sigkill) whose
# linux_binprm list holds N values, none of them a binary that exists, so that it runs on
# every exec of the workload and never fires (nothing of the harness is killed).
bench_exec_policy() {
	{
		printf '%s\n' 'apiVersion: cilium.io/v1alpha1' 'kind: TracingPolicy' 'metadata:' \
			"  name: \"bench-$1\"" 'spec:' '  kprobes:' '  - call: "security_bprm_check"' \
			'    syscall: false' '    args:' '    - index: 0' '      type: "linux_binprm"' \
			'    selectors:' '    - matchArgs:' '      - index: 0' '        operator: "Equal"' \
			'        values:'
		seq -f '        - "/opt/vigil-bench/never/tool%05g"' 0 $(($1 - 1))
		printf '%s\n' '      matchActions:' '      - action: Sigkill'
	} >"$2"
}
