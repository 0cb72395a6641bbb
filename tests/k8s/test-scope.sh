#!/bin/sh
# Pod-scoped policies in the kernel (host, against the API server emulator):
# - a TracingPolicyNamespaced kills the exec it names in its namespace's
#   pods only: not in another namespace's pod, not on the host; in its pods
#   that includes a container the kubelet has not reported yet (through the
#   pod's cgroup) and a cgroup nested below a container's;
# - a TracingPolicy with a podSelector (matchLabels) kills in the pods whose
#   labels match; relabelling the pod takes it out of scope and back in,
#   with no policy reload; a containerSelector (name) narrows it the same
#   (an unreported container is then out of scope, a nested cgroup in);
# - without --k8s, such a policy is refused, not loaded unscoped;
# - hundreds of namespaced policies at once load and are listed.
set -u
. "$(dirname "$0")/../integration/common.inc"
. "$(dirname "$0")/k8s.inc"

VIGIL="$(dirname "$VIGILD")/vigil"
SOCK=$T/vigil.sock
VICTIM=$T/victim
cp "$VIGIL_TEST_BIN/execer" "$VICTIM"
CIDA=bbbb00000000000000000000000000000000000000000000000000000000000a
CIDB=bbbb00000000000000000000000000000000000000000000000000000000000b
CIDC=bbbb00000000000000000000000000000000000000000000000000000000000c
NPOL=${VIGIL_K8S_SCALE:-200}

# pod NAME NAMESPACE APP CID: a running pod on this node, container "app"
pod() {
	printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: %s\n' "$1" "$2"
	printf '  labels: {app: %s}\nspec:\n  nodeName: %s\n' "$3" "$NODE"
	printf '  containers: [{name: app, image: "example/app:1"}]\n'
	printf 'status:\n  phase: Running\n  containerStatuses:\n  - name: app\n'
	printf '    containerID: containerd://%s\n    image: example/app:1\n' "$4"
	printf '    state: {running: {startedAt: "2026-11-22T10:00:00Z"}}\n'
}
uid_of() { kc get pod -n "$1" "$2" -o jsonpath='{.metadata.uid}'; }


# kill_policy KIND NAME [NAMESPACE] [SCOPE_YAML]: Sigkill the victim's exec
kill_policy() {
	printf 'apiVersion: cilium.io/v1alpha1\nkind: %s\nmetadata:\n  name: %s\n' "$1" "$2"
	[ -n "${3:-}" ] && printf '  namespace: %s\n' "$3"
	printf 'spec:\n%s' "${4:-}"
	printf '  kprobes:\n  - call: security_bprm_check\n    syscall: false\n'
	printf '    args: [{index: 0, type: linux_binprm}]\n    selectors:\n'
	printf '    - matchArgs: [{index: 0, operator: Equal, values: ["%s"]}]\n' "$VICTIM"
	printf '      matchActions: [{action: Sigkill}]\n'
}

# run_cg DIR: the victim's exit status in cgroup DIR
run_cg() {
	/bin/sh -c 'echo $$ > '"$1"'/cgroup.procs && exec '"$VICTIM" >/dev/null 2>&1
	echo $?
}

# run_in NS NAME CID: the victim's exit status in the pod's container cgroup
run_in() { run_cg "$(container_cgroup "$(uid_of "$1" "$2")" "$3")"; }

# expect_cg NAME WANT DIR: the victim's exit status in cgroup DIR is WANT
expect_cg() {
	_s=$(run_cg "$3")
	[ "$_s" = "$2" ] && ok "$1" || not_ok "$1" "exit status $_s (wanted $2; 137 is killed)"
}

# expect NAME WANT_A WANT_B WANT_HOST: exit statuses in pod a, pod b, host
expect() {
	_a=$(run_in team-a pa "$CIDA")
	_b=$(run_in team-b pb "$CIDB")
	"$VICTIM" >/dev/null 2>&1
	_h=$?
	if [ "$_a $_b $_h" = "$2 $3 $4" ]; then
		ok "$1"
	else
		not_ok "$1" "pod a $_a, pod b $_b, host $_h (wanted $2 $3 $4; 137 is killed)"
	fi
}

# without --k8s: refused
kill_policy TracingPolicy scoped-no-k8s "" "  podSelector: {matchLabels: {app: web}}
" >"$T/nok8s.yaml"
"$VIGILD" --node-name "$NODE" --tracing-policy "$T/nok8s.yaml" --output none \
	--export-filename /dev/null --server-address "" --no-seed >"$T/nok8s.out" 2>&1 &
NPID=$!
wait "$NPID"
rc=$?
if [ "$rc" -ne 0 ] && grep -q 'nok8s.yaml: spec: this policy applies to pods.*needs --k8s' \
	"$T/nok8s.out"; then
	ok "without --k8s a podSelector policy is refused, not loaded for every process"
else
	not_ok "without --k8s a podSelector policy is refused" "exit $rc: $(tail -n 3 "$T/nok8s.out")"
fi

k8s_setup || { k8s_finish; finish; exit 1; }
kubelet_mount || { k8s_finish; finish; exit 1; }
kc create namespace team-a >/dev/null
kc create namespace team-b >/dev/null
pod pa team-a web "$CIDA" | kc apply -f - >/dev/null
pod pb team-b db "$CIDB" | kc apply -f - >/dev/null
container_cgroup "$(uid_of team-a pa)" "$CIDA" >/dev/null
container_cgroup "$(uid_of team-b pb)" "$CIDB" >/dev/null
# pc: a pod of team-a (label app=web) whose container runs but the kubelet
# has not reported yet (no status)
pod pc team-a web "$CIDC" | sed '/^status:/,$d' | kc apply -f - >/dev/null
UNREPORTED=$(container_cgroup "$(uid_of team-a pc)" "$CIDC")
# nested NAME: a cgroup made now below pa's container's, which no walk of
# vigild's has seen
nested() {
	_n=$(container_cgroup "$(uid_of team-a pa)" "$CIDA")/$1
	mkdir -p "$_n" && echo "$_n"
}
start_vigild --kubeconfig "$VKC" --server-address "unix:$SOCK" --export-filename "$T/ev.json" \
	--output none || { kubelet_unmount; k8s_finish; finish; exit 1; }
expect "no policy: nothing is killed" 2 2 2

kill_policy TracingPolicyNamespaced only-team-a team-a | kc apply -f - >/dev/null
wait_log "tracingpolicynamespaced/team-a/only-team-a loaded" 100
sleep 0.5
expect "a TracingPolicyNamespaced kills in its namespace's pod only (not another's, not the host)" \
	137 2 2
expect_cg "... and in a container the kubelet has not reported yet, through its pod's cgroup" \
	137 "$UNREPORTED"
expect_cg "... and in a cgroup nested below a container's, made after the policy loaded" \
	137 "$(nested late-1)"
kc delete tracingpolicynamespaced -n team-a only-team-a >/dev/null
wait_log "tracingpolicynamespaced/team-a/only-team-a deleted" 100

kill_policy TracingPolicy db-pods "" "  podSelector:
    matchExpressions: [{key: app, operator: In, values: [db]}]
" | kc apply -f - >/dev/null
wait_log "tracingpolicy/db-pods loaded" 100
sleep 0.5
expect "a podSelector policy kills in the pods whose labels match only" 2 137 2
loads=$(count_log "tracingpolicy/db-pods loaded")
kc label pod -n team-b pb app=other --overwrite >/dev/null
sleep 1
expect "the pod relabelled out of the selector: out of scope" 2 2 2
kc label pod -n team-b pb app=db --overwrite >/dev/null
sleep 1
expect "relabelled back: in scope again" 2 137 2
[ "$(count_log "tracingpolicy/db-pods loaded")" -eq "$loads" ] &&
	ok "scope changes with labels need no policy reload" ||
	not_ok "scope changes with labels need no policy reload" "reloaded"
kc delete tracingpolicy db-pods >/dev/null
wait_log "tracingpolicy/db-pods deleted" 100

kill_policy TracingPolicy web-app-container "" "  podSelector: {matchLabels: {app: web}}
  containerSelector:
    matchExpressions: [{key: name, operator: In, values: [app]}]
" | kc apply -f - >/dev/null
kill_policy TracingPolicy no-such-container "" "  containerSelector:
    matchExpressions: [{key: name, operator: In, values: [sidecar]}]
" | kc apply -f - >/dev/null
wait_log "tracingpolicy/no-such-container loaded" 100
sleep 0.5
expect "podSelector and containerSelector together; a container name no pod has selects none" \
	137 2 2
expect_cg "with a containerSelector, a container the kubelet has not reported is not in scope" \
	2 "$UNREPORTED"
expect_cg "with a containerSelector, a cgroup nested below a selected container's is in scope" \
	137 "$(nested late-2)"
kc delete tracingpolicy web-app-container no-such-container >/dev/null

# many namespaced policies at once
i=0
: >"$T/many.yaml"
while [ $i -lt "$NPOL" ]; do
	kill_policy TracingPolicyNamespaced "many-$i" team-b >>"$T/many.yaml"
	echo "---" >>"$T/many.yaml"
	i=$((i + 1))
done
start=$(date +%s)
kc apply -f "$T/many.yaml" >/dev/null
_i=0
while [ "$(count_log 'tracingpolicynamespaced/team-b/many-[0-9]+ loaded')" -lt "$NPOL" ] &&
	[ $_i -lt 1800 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
took=$(($(date +%s) - start))
n=$("$VIGIL" tp list --server-address "unix:$SOCK" -o json |
	jq '[.policies[] | select(.namespace == "team-b" and (.name | startswith("many-")) and .state == "TP_STATE_ENABLED")] | length')
[ "$n" = "$NPOL" ] && ok "$NPOL namespaced policies at once are loaded and listed ($took s)" ||
	not_ok "$NPOL namespaced policies at once are loaded and listed" "$n listed after $took s"
sleep 0.5
expect "... and each applies in its namespace only" 2 137 2

stop_vigild
kubelet_unmount
k8s_finish
finish
