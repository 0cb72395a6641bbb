#!/bin/sh
# Pods on events (host, against the API server emulator): vigild --k8s
# watches the pods of its node; a process in a cgroup laid out as the
# kubelet lays out a CRI container of a pod the emulator lists is reported
# with Tetragon's pod message: namespace, name, uid, labels, the
# container's id, name, image and start time, and the workload derived from
# the controlling owner (a ReplicaSet of a Deployment here).
# - a container whose pod is listed before the exec: pod on exec and exit;
# - a container whose pod is reported after its first exec (the kubelet's
#   usual lag): the events wait and still carry the pod;
# - a pod container vigild never learns of: its event goes out, without a
#   pod, once the bounded wait is over;
# - host processes carry no pod;
# - vigil getevents --namespace and --pod select those events.
set -u
. "$(dirname "$0")/../integration/common.inc"
. "$(dirname "$0")/k8s.inc"

VIGIL="$(dirname "$VIGILD")/vigil"
SOCK=$T/vigil.sock
EV=$T/events.json
UID3=1f4e2d3c-0000-4a5b-8c9d-000000000003
CID1=aaaa000000000000000000000000000000000000000000000000000000000001
CID2=aaaa000000000000000000000000000000000000000000000000000000000002
CID3=aaaa000000000000000000000000000000000000000000000000000000000003

# pod NAME NAMESPACE: a pod of a Deployment's ReplicaSet scheduled on this
# node, its container not started yet
pod() {
	cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  generateName: web-7d4b9c8f5-
  namespace: $2
  labels: {app: web, pod-template-hash: 7d4b9c8f5, tier: front}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c8f5, uid: rs-1, controller: true}
spec:
  nodeName: $NODE
  containers:
  - {name: nginx, image: "docker.io/library/nginx:1.27"}
EOF
}

# started NAME CID: the kubelet reports the pod's container running as CID
# (the pod's status subresource, as the kubelet writes it)
started() {
	curl -sk -m 10 -X PATCH -H "Authorization: Bearer $(cat "$TOKEN_FILE")" \
		-H 'Content-Type: application/merge-patch+json' \
		"$EMU/api/v1/namespaces/team-a/pods/$1/status" -d '{"status":{"phase":"Running",
		"containerStatuses":[{"name":"nginx","containerID":"containerd://'"$2"'",
		"image":"docker.io/library/nginx:1.27","imageID":"docker.io/library/nginx@sha256:0123abcd",
		"ready":true,"restartCount":0,"state":{"running":{"startedAt":"2026-11-22T10:00:00Z"}}}]}}' \
		>/dev/null
}

uid_of() { kc get pod -n team-a "$1" -o jsonpath='{.metadata.uid}'; }

# in_container UID CID MARKER: exec /bin/true MARKER in the pod's container
# cgroup
in_container() {
	_d=$(container_cgroup "$1" "$2")
	/bin/sh -c 'echo $$ > '"$_d"'/cgroup.procs && exec /bin/true '"$3"
}

k8s_setup || { k8s_finish; finish; exit 1; }
kubelet_mount || { k8s_finish; finish; exit 1; }
kc create namespace team-a >/dev/null 2>&1
pod web-7d4b9c8f5-abcde team-a | kc apply -f - >/dev/null
started web-7d4b9c8f5-abcde "$CID1"
UID1=$(uid_of web-7d4b9c8f5-abcde)
# a pod of another node: not vigild's
pod elsewhere team-a | sed "s/nodeName: $NODE/nodeName: other-node/" | kc apply -f - >/dev/null
started elsewhere "$CID3"
start_vigild --kubeconfig "$VKC" --server-address "unix:$SOCK" --export-filename "$EV" \
	--output compact || { kubelet_unmount; k8s_finish; finish; exit 1; }
wait_log "pods: listed 1$" 100 && ok "vigild lists the pods of its node only" ||
	not_ok "vigild lists the pods of its node only" "$(grep pods "$T/stderr")"

"$VIGIL" getevents --server-address "unix:$SOCK" --namespace team-a >"$T/ns.json" 2>"$T/ns.err" &
GE1=$!
"$VIGIL" getevents --server-address "unix:$SOCK" --pod '^web-7d4b9c8f5-late$' >"$T/pod.json" \
	2>"$T/pod.err" &
GE2=$!
"$VIGIL" getevents --server-address "unix:$SOCK" -o compact --namespace team-a >"$T/c.txt" \
	2>"$T/c.err" &
GE3=$!
sleep 1

in_container "$UID1" "$CID1" vigil-pod-known
/bin/true vigil-host-process
# the container of a new pod runs a second before the kubelet reports it
pod web-7d4b9c8f5-late team-a | kc apply -f - >/dev/null
UID2=$(uid_of web-7d4b9c8f5-late)
in_container "$UID2" "$CID2" vigil-pod-late &
LATE=$!
sleep 1
started web-7d4b9c8f5-late "$CID2"
wait "$LATE"
# a container of a pod vigild never learns of
in_container "$UID3" "$CID3" vigil-pod-unknown
sleep 3
kill "$GE1" "$GE2" "$GE3" 2>/dev/null
wait "$GE1" "$GE2" "$GE3" 2>/dev/null
stop_vigild

P='(map(select(.process_exec.process.arguments == "vigil-pod-known"))[0].process_exec.process)'
check "an exec in a pod's container carries the pod's namespace, name and uid" \
	"$P.pod.namespace == \"team-a\" and $P.pod.name == \"web-7d4b9c8f5-abcde\" and $P.pod.uid == \"$UID1\"" "$EV"
check "... its labels, sorted as protojson writes a map" \
	"($P.pod.pod_labels | keys_unsorted) == [\"app\",\"pod-template-hash\",\"tier\"] and $P.pod.pod_labels.tier == \"front\"" "$EV"
check "... the workload its ReplicaSet belongs to (Deployment web)" \
	"$P.pod.workload == \"web\" and $P.pod.workload_kind == \"Deployment\"" "$EV"
check "... the container's id, name, image and start time" \
	"$P.pod.container.id == \"containerd://$CID1\" and $P.pod.container.name == \"nginx\" and $P.pod.container.image.name == \"docker.io/library/nginx:1.27\" and $P.pod.container.image.id == \"docker.io/library/nginx@sha256:0123abcd\" and $P.pod.container.start_time == \"2026-11-22T10:00:00Z\"" "$EV"
check "... and the pod comes before docker, in Tetragon's field order" \
	"($P | keys_unsorted | index(\"pod\")) < ($P | keys_unsorted | index(\"docker\"))" "$EV"
X='(map(select(.process_exit.process.arguments == "vigil-pod-known"))[0].process_exit.process)'
check "its exit carries the pod too" "$X.pod.name == \"web-7d4b9c8f5-abcde\"" "$EV"
L='(map(select(.process_exec.process.arguments == "vigil-pod-late"))[0].process_exec.process)'
check "an exec before its pod was reported waits and carries the pod" \
	"$L.pod.name == \"web-7d4b9c8f5-late\" and $L.pod.container.id == \"containerd://$CID2\"" "$EV"
U='(map(select(.process_exec.process.arguments == "vigil-pod-unknown"))[0].process_exec.process)'
check "a container whose pod never comes: the event goes out without a pod" \
	"$U != null and ($U | has(\"pod\") | not) and $U.docker == \"$CID3\"" "$EV"
H='(map(select(.process_exec.process.arguments == "vigil-host-process"))[0].process_exec.process)'
check "a host process carries no pod" "$H != null and ($H | has(\"pod\") | not)" "$EV"
check "getevents --namespace team-a: the pods' events and no other" \
	'length >= 4 and all(.[]; (.process_exec // .process_exit).process.pod.namespace == "team-a")' \
	"$T/ns.json"
check "getevents --pod REGEX: that pod's events only" \
	'length >= 1 and all(.[]; (.process_exec // .process_exit).process.pod.name == "web-7d4b9c8f5-late")' \
	"$T/pod.json"
if grep -q "process team-a/web-7d4b9c8f5-abcde /bin/true vigil-pod-known" "$T/stdout" &&
	grep -q "process team-a/web-7d4b9c8f5-abcde /bin/true vigil-pod-known" "$T/c.txt"; then
	ok "compact lines name the pod (namespace/name), from vigild and from getevents"
else
	not_ok "compact lines name the pod (namespace/name), from vigild and from getevents" \
		"$(grep vigil-pod-known "$T/stdout" "$T/c.txt")"
fi

kubelet_unmount
k8s_finish
finish
