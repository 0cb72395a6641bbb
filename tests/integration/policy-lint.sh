#!/bin/sh
# vigil policy lint: the example policies pass; a mistake is reported at its
# file:line:column with the field path and a suggestion, exit status 1;
# what vigil does not implement is refused on any kernel; --explain says
# where each hook runs on this kernel.
set -u
. "$(dirname "$0")/common.inc"

: "${VIGIL_EXAMPLES:?VIGIL_EXAMPLES must name the examples directory}"
VIGIL="$(dirname "$VIGILD")/vigil"

if "$VIGIL" policy lint "$VIGIL_EXAMPLES"/policies/*.yaml >"$T/out" 2>"$T/err"; then
	ok "the example policies pass lint"
else
	not_ok "the example policies pass lint" "$(cat "$T/err")"
fi

sed 's/operator: "Equal"/operator: "Equals"/' "$VIGIL_EXAMPLES/policies/block-shell-exec.yaml" \
	>"$T/typo.yaml"
"$VIGIL" policy lint "$T/typo.yaml" >"$T/out" 2>"$T/err"
rc=$?
want="$T/typo.yaml:17:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator \"Equals\" (did you mean \"Equal\"?)"
if [ "$rc" -eq 1 ] && grep -qxF "$want" "$T/err"; then
	ok "a misspelt operator is reported at file:line:column with a suggestion, status 1"
else
	not_ok "a misspelt operator is reported at file:line:column with a suggestion, status 1" \
		"status $rc: $(cat "$T/err")"
fi

cat >"$T/tp.yaml" <<'YAML'
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "tp"
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
    - index: 6
      type: "string"
    - index: 7
      type: "int32"
YAML
"$VIGIL" policy lint "$T/tp.yaml" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -qxF "$T/tp.yaml: ok" "$T/out"; then
	ok "a tracepoint policy passes, its fields checked against this host's tracefs"
else
	not_ok "a tracepoint policy passes, its fields checked against this host's tracefs" \
		"status $rc: $(cat "$T/err")"
fi
sed 's/^    event: .*/&\n    raw: true/' "$T/tp.yaml" >"$T/raw.yaml"
"$VIGIL" policy lint "$T/raw.yaml" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qxF "$T/raw.yaml:8:12: spec.tracepoints[0].event: raw tracepoint \"sys_enter_openat\" does not exist in this kernel" "$T/err"; then
	ok "a raw tracepoint the kernel lacks (a system call's event) is refused, with its place"
else
	not_ok "a raw tracepoint the kernel lacks (a system call's event) is refused, with its place" \
		"status $rc: $(cat "$T/err")"
fi
cat >"$T/bpf-attr.yaml" <<'YAML'
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "bpf-attr"
spec:
  kprobes:
  - call: "security_bpf"
    syscall: false
    args:
    - index: 1
      type: "bpf_attr"
YAML
"$VIGIL" policy lint "$T/bpf-attr.yaml" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qxF "$T/bpf-attr.yaml:11:13: spec.kprobes[0].args[0].type: type \"bpf_attr\" is not supported by vigil" "$T/err"; then
	ok "what vigil does not implement is refused, with its place"
else
	not_ok "what vigil does not implement is refused, with its place" \
		"status $rc: $(cat "$T/err")"
fi

"$VIGIL" policy lint --explain "$VIGIL_EXAMPLES/policies/block-shell-exec.yaml" >"$T/out" 2>"$T/err"
if grep -q "runs as: .* on .*sched_process_exec\|runs as: kprobe on security_bprm_check" "$T/out" &&
	grep -q "value sets: [0-9]* strings" "$T/out"; then
	ok "--explain says where the hook runs on this kernel and what the value sets take"
else
	not_ok "--explain says where the hook runs on this kernel and what the value sets take" \
		"$(cat "$T/out" "$T/err")"
fi
finish
