#!/bin/sh
# Guest test: a TracingPolicy applied with kubectl kills the shell through the
# kernel's own hook (a kprobe on security_bprm_check here; the host, which has
# no kprobes, proves the same flow on the exec-tracepoint fallback in
# tests/k8s/test-policies.sh).  Debian's kubectl runs in the guest against the
# API server emulator on the host, at 10.0.2.2 on QEMU's user-mode network:
# tests/vm/run.sh starts the emulator and puts this guest's kubeconfig in
# /vigil/k8s.
# - kubectl installs the CRDs and applies Tetragon's block-shell-exec example,
#   unchanged; vigild --kubeconfig loads it as a kprobe, and /bin/sh is killed
#   before it runs (the file it would create is not there), reported as the
#   policy's process_kprobe event;
# - kubectl apply of a modified version (one more binary) replaces it without
#   a gap: every /bin/sh run during the replace is killed, and so is the new
#   binary afterwards;
# - kubectl delete: the shell runs again;
# - a TracingPolicyNamespaced (the kprobe with the scope check) kills /bin/sh
#   in a pod of its namespace (a cgroup laid out as the kubelet lays out a CRI
#   container of a pod kubectl created), also in a container of the pod the
#   kubelet has not reported yet (through the pod's cgroup), and not outside
#   it; the kill carries the pod.
# While the policy is loaded, this script execs no shell but those it expects
# to be killed.
set -u
. "$(dirname "$0")/../integration/common.inc"

: "${VIGIL_EXAMPLES:?VIGIL_EXAMPLES must name the examples directory}"
KUBECTL=$VIGIL_TEST_BIN/kubectl
KC=/vigil/k8s/kubeconfig
EV=$T/events.json
VICTIM=$T/victim
POLICY=tracingpolicy/block-shell-exec
CID=cccc00000000000000000000000000000000000000000000000000000000000a
NSPOL=tracingpolicynamespaced/team-a/shells-in-team-a

kc() { "$KUBECTL" --kubeconfig "$KC" --request-timeout 60s "$@"; }

# shell NAME: run /bin/sh to create $T/NAME; sets ST (its exit status) and
# SPID (its pid)
shell() {
	/bin/sh -c "touch $T/$1" 2>/dev/null &
	SPID=$!
	wait "$SPID"
	ST=$?
}

# --- the way to the emulator ------------------------------------------------
why=
if [ ! -x "$KUBECTL" ]; then
	why="no kubectl in the initramfs (tests/k8s/fetch-kubectl.sh failed on the host)"
elif [ ! -s "$KC" ]; then
	why="no $KC: the host did not start the API server emulator (see tests/vm/run.sh's output)"
elif ! ip addr show eth0 2>/dev/null | grep -q 'inet 10\.0\.2\.15/'; then
	why="eth0 has no address 10.0.2.15 (see init's lines on the network): $(ip addr show eth0 2>&1 | head -n 1)"
elif ! kc apply -f /vigil/crds/ >"$T/crds.out" 2>&1; then
	why="kubectl apply -f /vigil/crds/: $(tail -n 2 "$T/crds.out" | tr '\n' ' ')"
fi
if [ -n "$why" ]; then
	not_ok "kubectl in the VM installs the CRDs on the API server emulator on the host" "$why"
	finish
	exit 1
fi
ok "kubectl in the VM installs the CRDs on the API server emulator on the host"

# a running pod of this node, and its container's cgroup
cat >"$T/pod.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata: {name: pa, namespace: team-a, labels: {app: web}}
spec:
  nodeName: $NODE
  containers: [{name: app, image: "example/app:1"}]
status:
  phase: Running
  containerStatuses:
  - name: app
    containerID: containerd://$CID
    image: example/app:1
    state: {running: {startedAt: "2026-11-22T10:00:00Z"}}
EOF
kc create namespace team-a >/dev/null 2>&1
if kc apply -f "$T/pod.yaml" >"$T/pod.out" 2>&1 &&
	uid=$(kc get pod -n team-a pa -o jsonpath='{.metadata.uid}') && [ -n "$uid" ]; then
	POD_CG=/sys/fs/cgroup/kubepods/besteffort/pod$uid/$CID
	mkdir -p "$POD_CG"
else
	not_ok "kubectl creates a pod" "$(cat "$T/pod.out")"
	POD_CG=
fi

# remove_pod_cgroups: what this test made in the cgroup tree
remove_pod_cgroups() {
	[ -n "$POD_CG" ] &&
		rmdir "$POD_CG" "${POD_CG%/*}" /sys/fs/cgroup/kubepods/besteffort /sys/fs/cgroup/kubepods
}

start_vigild --kubeconfig "$KC" --export-filename "$EV" --output none ||
	{ remove_pod_cgroups; finish; exit 1; }

# --- apply: the shell is killed ---------------------------------------------
if ! kc apply -f "$VIGIL_EXAMPLES/policies/block-shell-exec.yaml" >"$T/apply.out" 2>&1; then
	not_ok "kubectl apply -f block-shell-exec.yaml" "$(cat "$T/apply.out")"
fi
if wait_log "kubernetes: $POLICY loaded" 600; then
	ok "kubectl apply: vigild loads the block-shell-exec example"
else
	not_ok "kubectl apply: vigild loads the block-shell-exec example" "$(tail -n 5 "$T/stderr")"
fi
if grep -q 'tracing policy block-shell-exec: security_bprm_check runs as kprobe on security_bprm_check' \
	"$T/stderr"; then
	ok "the policy from Kubernetes runs as a kprobe on security_bprm_check"
else
	not_ok "the policy from Kubernetes runs as a kprobe on security_bprm_check" \
		"$(grep 'block-shell-exec: security_bprm_check runs as' "$T/stderr")"
fi
shell created-by-shell
killed_pid=$SPID
if [ "$ST" -eq 137 ] && [ ! -e "$T/created-by-shell" ]; then
	ok "the policy from Kubernetes kills /bin/sh before it runs"
else
	not_ok "the policy from Kubernetes kills /bin/sh before it runs" \
		"status $ST, file $(ls "$T/created-by-shell" 2>&1)"
fi

# --- a modified policy replaces it without a gap ------------------------------
cp "$VIGIL_TEST_BIN/execer" "$VICTIM"
awk -v v="$VICTIM" '{ print } /- "\/bin\/sh"/ { sub(/-.*/, "- \"" v "\""); print }' \
	"$VIGIL_EXAMPLES/policies/block-shell-exec.yaml" >"$T/modified.yaml"
: >"$T/loop.rc"
(while [ ! -e "$T/loop.stop" ]; do
	/bin/sh -c : 2>/dev/null
	echo $? >>"$T/loop.rc"
done) &
LOOP=$!
sleep 1
kc apply -f "$T/modified.yaml" >"$T/apply.out" 2>&1 ||
	not_ok "kubectl apply -f of the modified policy" "$(cat "$T/apply.out")"
i=0
while [ "$(count_log "kubernetes: $POLICY loaded")" -lt 2 ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
touch "$T/loop.stop"
wait "$LOOP"
loads=$(count_log "kubernetes: $POLICY loaded")
runs=$(wc -l <"$T/loop.rc")
bad=$(grep -vc '^137$' "$T/loop.rc")
if [ "$loads" -eq 2 ] && [ "$runs" -ge 3 ] && [ "$bad" -eq 0 ]; then
	ok "kubectl apply of a modified policy replaces it without a gap ($runs shells, all killed)"
else
	not_ok "kubectl apply of a modified policy replaces it without a gap" \
		"$loads loads, $runs shells, $bad not killed"
fi
"$VICTIM" >/dev/null 2>&1
st=$?
[ "$st" -eq 137 ] && ok "the modified policy's new binary is killed" ||
	not_ok "the modified policy's new binary is killed" "exit status $st"

# --- delete: the shell runs -------------------------------------------------
kc delete tracingpolicy block-shell-exec >"$T/delete.out" 2>&1 ||
	not_ok "kubectl delete tracingpolicy block-shell-exec" "$(cat "$T/delete.out")"
if wait_log "kubernetes: $POLICY deleted" 600; then
	shell created-after-delete
	if [ "$ST" -eq 0 ] && [ -e "$T/created-after-delete" ]; then
		ok "kubectl delete: the shell runs again"
	else
		not_ok "kubectl delete: the shell runs again" "status $ST"
	fi
else
	not_ok "kubectl delete: the shell runs again" "not deleted: $(tail -n 3 "$T/stderr")"
fi
# --- a namespaced policy: its pod's shell only --------------------------------
# in_pod NAME [CGROUP]: /bin/sh in the pod's container cgroup (or CGROUP), to
# create $T/NAME; sets ST and SPID.  As in a container, the process that execs
# the shell was itself exec'd inside the cgroup (so vigild knows it as the
# pod's): bash moves itself in and execs execer, which execs the shell.
in_pod() {
	bash -c 'echo $$ >"$1/cgroup.procs" && exec "$3" path /bin/sh sh -c "touch $2"' - \
		"${2:-$POD_CG}" "$T/$1" "$VIGIL_TEST_BIN/execer" 2>/dev/null &
	SPID=$!
	wait "$SPID"
	ST=$?
}
cat >"$T/namespaced.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicyNamespaced
metadata: {name: shells-in-team-a, namespace: team-a}
spec:
  kprobes:
  - call: security_bprm_check
    syscall: false
    args: [{index: 0, type: linux_binprm}]
    selectors:
    - matchArgs: [{index: 0, operator: Equal, values: ["/bin/sh"]}]
      matchActions: [{action: Sigkill}]
EOF
pod_pid=
what="a TracingPolicyNamespaced kills /bin/sh in its namespace's pod, not outside"
if [ -z "$POD_CG" ]; then
	not_ok "$what" "no pod"
elif ! kc apply -f "$T/namespaced.yaml" >"$T/apply.out" 2>&1 ||
	! wait_log "kubernetes: $NSPOL loaded" 600; then
	not_ok "$what" "not loaded: $(cat "$T/apply.out") $(tail -n 3 "$T/stderr")"
else
	# the pod's cgroup enters the policy's scope once vigild has seen the pod
	# and the cgroup: wait for that (a shell that runs meanwhile only creates
	# a file)
	i=0
	in_pod in-pod-0
	while [ "$ST" -ne 137 ] && [ $i -lt 20 ]; do
		sleep 0.5
		i=$((i + 1))
		in_pod in-pod-$i
	done
	pod_st=$ST
	pod_pid=$SPID
	shell outside-pod
	if [ "$pod_st" -eq 137 ] && [ ! -e "$T/in-pod-$i" ] && [ "$ST" -eq 0 ] &&
		[ -e "$T/outside-pod" ]; then
		ok "$what (in scope after $i retries)"
	else
		not_ok "$what" "in the pod: status $pod_st; outside: status $ST"
	fi
	# a second container of the pod, which the kubelet has not reported:
	# in scope through the pod's cgroup, from its first exec
	LATE_CG=${POD_CG%/*}/$(echo "$CID" | tr a c)
	mkdir -p "$LATE_CG"
	in_pod in-late-container "$LATE_CG"
	if [ "$ST" -eq 137 ] && [ ! -e "$T/in-late-container" ]; then
		ok "... and in a container of the pod the kubelet has not reported yet"
	else
		not_ok "... and in a container of the pod the kubelet has not reported yet" "status $ST"
	fi
	rmdir "$LATE_CG"
	kc delete -f "$T/namespaced.yaml" >/dev/null 2>&1
fi
stop_vigild
remove_pod_cgroups

check "the kill is reported as the policy's process_kprobe event, with the action" \
	"[.[] | select(.process_kprobe.policy_name == \"block-shell-exec\" and
	   .process_kprobe.process.pid == $killed_pid)] | length == 1 and
	 (.[0].process_kprobe | .function_name == \"security_bprm_check\" and
	  .action == \"KPROBE_ACTION_SIGKILL\")" "$EV"
if [ -n "$pod_pid" ]; then
	check "the kill in the pod names the pod and the namespaced policy" \
		"[.[] | select(.process_kprobe.process.pid == $pod_pid)] | length == 1 and
		 (.[0].process_kprobe | .policy_name == \"shells-in-team-a\" and
		  .process.pod.namespace == \"team-a\" and .process.pod.name == \"pa\" and
		  .process.pod.container.id == \"containerd://$CID\")" "$EV"
fi
finish
