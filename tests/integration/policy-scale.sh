#!/bin/sh
# Policies at scale and in namespaces:
# - the container-scoped block-shell-exec (matchNamespaces Pid NotIn host_ns)
#   kills a shell in a new pid namespace and leaves the host's shells alone;
# - a list of 10,000 values works (the value that matters is the last);
# - 100 policies load from a directory, each within 512 KiB of kernel
#   memory, and the one that kills still kills.
# While a policy that kills shells is loaded, this script execs no shell of
# its own but the ones it means to be killed.
set -u
. "$(dirname "$0")/common.inc"

: "${VIGIL_EXAMPLES:?VIGIL_EXAMPLES must name the examples directory}"
X="$VIGIL_TEST_BIN/execer"

# policy NAME VALUES_FILE: a block-shell-exec policy named NAME whose
# linux_binprm list is the lines of VALUES_FILE
policy() {
	cat <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "$1"
spec:
  kprobes:
  - call: "security_bprm_check"
    syscall: false
    args:
    - index: 0
      type: "linux_binprm"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
EOF
	sed 's/^/        - "/; s/$/"/' "$2"
	cat <<EOF
      matchActions:
      - action: Sigkill
EOF
}

# --- containers only ---------------------------------------------------------
start_vigild --export-filename "$T/c.json" \
	--tracing-policy "$VIGIL_EXAMPLES/policies/block-shell-exec-in-containers.yaml" ||
	{ finish; exit 1; }
unshare -p -f /bin/sh -c "touch $T/in-container" 2>/dev/null
/bin/sh -c "touch $T/on-host" 2>/dev/null
stop_vigild
if [ ! -e "$T/in-container" ]; then
	ok "the container-scoped policy kills a shell in a new pid namespace"
else
	not_ok "the container-scoped policy kills a shell in a new pid namespace" "the file was created"
fi
if [ -e "$T/on-host" ]; then
	ok "the container-scoped policy leaves the host's shells alone"
else
	not_ok "the container-scoped policy leaves the host's shells alone" "the host's shell did not run"
fi
check "the kill in the container is reported once" \
	'[.[] | select(.process_kprobe.policy_name == "block-shell-exec-in-containers")] | length == 1' \
	"$T/c.json"

# --- 10,000 values -------------------------------------------------------------
i=0
while [ $i -lt 9999 ]; do
	echo "/opt/nothing/bin/tool$i"
	i=$((i + 1))
done >"$T/values"
echo /bin/sh >>"$T/values"
policy big "$T/values" >"$T/big.yaml"
start_vigild --output none --export-filename "$T/b.json" --tracing-policy "$T/big.yaml" ||
	{ finish; exit 1; }
"$X" path true true
tst=$?
/bin/sh -c "touch $T/big-shell" 2>/dev/null
stop_vigild
if [ "$tst" -eq 0 ] && [ ! -e "$T/big-shell" ]; then
	ok "a list of 10,000 values kills on its last value and lets the rest run"
else
	not_ok "a list of 10,000 values kills on its last value and lets the rest run" \
		"true exited $tst; shell file $(ls "$T/big-shell" 2>&1)"
fi
kib=$(sed -n 's/.*tracing policy big loaded (.*, \([0-9]*\) KiB of kernel memory).*/\1/p' "$T/stderr")
if [ -n "$kib" ] && [ "$kib" -gt 0 ]; then
	ok "the 10,000-value policy reports its kernel memory ($kib KiB)"
else
	not_ok "the 10,000-value policy reports its kernel memory" "$(cat "$T/stderr")"
fi

# --- 100 policies --------------------------------------------------------------
mkdir "$T/dir"
n=0
while [ $n -lt 99 ]; do
	echo "/opt/nothing/bin/p$n" >"$T/v"
	policy "p$n" "$T/v" >"$T/dir/p$n.yaml"
	n=$((n + 1))
done
echo /bin/sh >"$T/v"
policy p99 "$T/v" >"$T/dir/p99.yaml"
start_vigild --output none --export-filename "$T/h.json" --tracing-policy-dir "$T/dir" ||
	{ finish; exit 1; }
/bin/sh -c "touch $T/hundred-shell" 2>/dev/null
stop_vigild
loaded=$(grep -c "tracing policy p[0-9]* loaded (enforce mode, 1 hook, [0-9]* KiB" "$T/stderr")
over=$(sed -n 's/.*tracing policy p[0-9]* loaded (.*, \([0-9]*\) KiB of kernel memory).*/\1/p' \
	"$T/stderr" | awk '$1 > 512' | wc -l)
if [ "$loaded" -eq 100 ] && [ "$over" -eq 0 ]; then
	ok "100 policies load, each within 512 KiB of kernel memory"
else
	not_ok "100 policies load, each within 512 KiB of kernel memory" \
		"$loaded loaded, $over over 512 KiB: $(tail -c 2000 "$T/stderr")"
fi
if [ ! -e "$T/hundred-shell" ]; then
	ok "with 100 policies loaded the one that kills still kills"
else
	not_ok "with 100 policies loaded the one that kills still kills" "the shell ran"
fi
check "with 100 policies the kill is reported once, by its policy" \
	'[.[] | select(.process_kprobe)] | length == 1 and .[0].process_kprobe.policy_name == "p99"' \
	"$T/h.json"
finish
