#!/bin/sh
# The Kubernetes API server emulator (apiserver.py) itself, with a real
# kubectl and curl, over HTTPS with a bearer token:
# - kubectl apply of a CRD, get crd, wait for Established; apply of a CR
#   (cluster-scoped, as TracingPolicy), get by short name, defaults applied;
#   apply of a changed CR (a merge patch), generation bumped; a schema
#   violation refused with the field path in kubectl's message; describe
#   shows an event posted with curl; apply --dry-run=client and
#   --dry-run=server of a DaemonSet store nothing; delete;
# - the project's crds/*.yaml, when there are any, apply;
# - with curl: unknown fields pruned with a warning, the status
#   subresource, 409 on a stale resourceVersion, 404/409 Status objects,
#   field and label selectors;
# - watches: replay from a resourceVersion, ADDED events for "0", a
#   bookmark, timeoutSeconds ends the stream cleanly, 410 Expired after
#   compact and after restart, drop-watches cuts the stream, unreachable
#   refuses connections then listens again on the same port, a rotated
#   token makes the old one 401, injected failures, deleting a CRD ends its
#   watches and removes its objects.
# KUBECTL names the kubectl to use (else Debian's 1.20 is fetched into a
# temporary directory); KUBECTL2, if set, names a second one (e.g. a newer
# kubectl) that runs the kubectl part again.
set -u
K8S_HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/vigil-k8s.XXXXXX)
PASSES=0
FAILS=0
ok() { echo "ok - $1"; PASSES=$((PASSES + 1)); }
not_ok() { echo "not ok - $1: $2"; FAILS=$((FAILS + 1)); }
finish() {
	k8s_stop
	rm -rf "$T"
	echo "k8s-selftest: $PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
	exit
}

if [ -z "${KUBECTL:-}" ]; then
	if ! sh "$K8S_HERE/fetch-kubectl.sh" "$T/bin"; then
		not_ok "fetch kubectl" "fetch-kubectl.sh failed"
		finish
	fi
	KUBECTL=$T/bin/kubectl
fi
. "$K8S_HERE/emulator.inc"
if ! k8s_start "$T/k8s" --bookmark-interval 0.3 --history 50; then
	not_ok "emulator starts" "see above"
	finish
fi
ok "emulator starts on port $K8S_PORT"

# check NAME JQ_FILTER FILE...: ok when the jq filter, on the files' JSON
# values in one array, outputs true
check() {
	_n=$1
	_f=$2
	shift 2
	if jq -e -s "$_f" "$@" >/dev/null 2>&1; then
		ok "$_n"
	else
		not_ok "$_n" "jq -s '$_f' was not true on $(cat "$@" | head -c 600)"
	fi
}
# has NAME FILE TEXT: ok when FILE contains TEXT (fixed string)
has() {
	if grep -qF -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1" "no '$3' in: $(head -c 600 "$2")"
	fi
}
rv_now() { k8s_curl "$K8S_URL/api/v1/namespaces" | jq -r .metadata.resourceVersion; }

cat >"$T/crd.yaml" <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: probes.example.com
spec:
  group: example.com
  scope: Cluster
  names: {plural: probes, singular: probe, kind: Probe, shortNames: [prb]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [rules]
            properties:
              mode: {type: string, enum: [enforce, monitor], default: monitor}
              tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
              rules:
                type: array
                minItems: 1
                items:
                  type: object
                  required: [call]
                  properties:
                    call: {type: string, pattern: '^[a-z_0-9]+$'}
                    match:
                      type: array
                      items:
                        type: object
                        properties:
                          operator: {type: string, enum: [Equal, NotEqual, Prefix]}
                          values: {type: array, items: {type: string}}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
EOF
cat >"$T/ds.yaml" <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: vigil
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: vigil}
  template:
    metadata:
      labels: {app: vigil}
    spec:
      containers:
      - name: vigild
        image: vigil:test
EOF

# probe NAME OPERATOR CALL: a Probe manifest
probe() {
	printf 'apiVersion: example.com/v1alpha1\nkind: Probe\nmetadata:\n  name: %s\nspec:\n' "$1"
	printf '  rules:\n  - call: %s\n    match:\n    - operator: %s\n      values: [/etc]\n' "$3" "$2"
}

# kubectl_part LABEL KUBECTL: the kubectl flows, objects named after LABEL
kubectl_part() {
	L=$1
	K=$2
	k() { "$K" --kubeconfig "$K8S_KUBECONFIG" --cache-dir "$T/cache-$L" "$@"; }
	O=$T/out-$L
	V=$(k version --client 2>/dev/null | sed -n 's/.*GitVersion:"\([^"]*\)".*/\1/p; s/^Client Version: //p' | head -n 1)

	if k apply -f "$T/crd.yaml" >"$O" 2>&1; then
		has "$L ($V): apply -f of a CRD" "$O" "customresourcedefinition.apiextensions.k8s.io/probes.example.com"
	else
		not_ok "$L ($V): apply -f of a CRD" "$(cat "$O")"
	fi
	k get crd >"$O" 2>&1
	has "$L: get crd lists it" "$O" "probes.example.com"
	k wait --for=condition=established --timeout=5s crd/probes.example.com >"$O" 2>&1
	has "$L: wait --for=condition=established" "$O" "condition met"

	probe "$L" Prefix sys_openat >"$T/p.yaml"
	k apply -f "$T/p.yaml" >"$O" 2>&1
	has "$L: apply -f of a CR" "$O" "probe.example.com/$L created"
	k get prb >"$O" 2>&1
	has "$L: get by short name" "$O" "$L"
	k get probe "$L" -o json >"$O" 2>&1
	check "$L: defaults applied, generation 1" \
		'.[0].spec.mode == "monitor" and .[0].metadata.generation == 1' "$O"

	k8s_curl "$K8S_URL/_emulator/requests?clear=1" >/dev/null
	probe "$L" Equal sys_openat >"$T/p.yaml"
	k apply -f "$T/p.yaml" >"$O" 2>&1
	has "$L: apply of a changed CR" "$O" "probe.example.com/$L configured"
	k get probe "$L" -o json >"$O" 2>&1
	check "$L: the change is stored, generation 2" \
		'.[0].spec.rules[0].match[0].operator == "Equal" and .[0].metadata.generation == 2' "$O"
	k8s_curl "$K8S_URL/_emulator/requests" >"$O"
	check "$L: apply of a CR sends a merge patch" \
		'[.[0][] | select(.method == "PATCH")] | length == 1 and
		 .[0].contentType == "application/merge-patch+json"' "$O"

	probe "$L-bad" Foo sys_openat >"$T/bad.yaml"
	if k apply -f "$T/bad.yaml" >"$O" 2>&1; then
		not_ok "$L: a schema violation is refused" "kubectl apply succeeded"
	else
		has "$L: a schema violation is refused, with the field path" "$O" \
			"The Probe \"$L-bad\" is invalid: spec.rules[0].match[0].operator: Unsupported value: \"Foo\": supported values: \"Equal\", \"NotEqual\", \"Prefix\""
	fi
	probe "$L-bad" Foo 'Bad-Call' >"$T/bad.yaml"
	k apply -f "$T/bad.yaml" >"$O" 2>&1
	has "$L: two violations are both listed" "$O" \
		"spec.rules[0].call: Invalid value: \"Bad-Call\": spec.rules[0].call in body should match '^[a-z_0-9]+\$'"

	uid=$(k get probe "$L" -o jsonpath='{.metadata.uid}')
	ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	k8s_curl -H 'Content-Type: application/json' -o /dev/null -d "{
		\"metadata\": {\"name\": \"$L.1\"}, \"reason\": \"PolicyLoaded\",
		\"message\": \"probe $L loaded\", \"type\": \"Normal\", \"count\": 1,
		\"source\": {\"component\": \"vigild\"}, \"firstTimestamp\": \"$ts\", \"lastTimestamp\": \"$ts\",
		\"involvedObject\": {\"apiVersion\": \"example.com/v1alpha1\", \"kind\": \"Probe\",
		                     \"name\": \"$L\", \"uid\": \"$uid\"}}" \
		"$K8S_URL/api/v1/namespaces/default/events"
	k describe probe "$L" >"$O" 2>&1
	if sed -n '/^Events:/,$p' "$O" | grep -q "PolicyLoaded.*vigild.*probe $L loaded"; then
		ok "$L: describe shows the posted event"
	else
		not_ok "$L: describe shows the posted event" "$(cat "$O")"
	fi

	k apply --dry-run=client -f "$T/ds.yaml" >"$O" 2>&1
	has "$L: apply --dry-run=client of a DaemonSet" "$O" "daemonset.apps/vigil created (dry run)"
	k apply --dry-run=server -f "$T/ds.yaml" >"$O" 2>&1
	has "$L: apply --dry-run=server of a DaemonSet" "$O" "daemonset.apps/vigil created (server dry run)"
	k get ds -A -o json >"$O" 2>&1
	check "$L: dry runs store nothing" '.[0].items == []' "$O"

	k delete probe "$L" >"$O" 2>&1
	has "$L: delete" "$O" "probe.example.com \"$L\" deleted"
	k get probe "$L" >"$O" 2>&1
	has "$L: get after delete says NotFound" "$O" "probes.example.com \"$L\" not found"
}

kubectl_part k1 "$KUBECTL"
[ -n "${KUBECTL2:-}" ] && kubectl_part k2 "$KUBECTL2"

# the project's own CRDs
for f in "$K8S_HERE"/../../crds/*.yaml; do
	[ -f "$f" ] || continue
	if "$KUBECTL" --kubeconfig "$K8S_KUBECONFIG" --cache-dir "$T/cache-k1" apply -f "$f" >"$T/out" 2>&1; then
		ok "apply -f crds/$(basename "$f")"
	else
		not_ok "apply -f crds/$(basename "$f")" "$(cat "$T/out")"
	fi
done

# ---- with curl ----
P=$K8S_URL/apis/example.com/v1alpha1/probes
O=$T/out
k8s_curl -D "$T/hdr" -H 'Content-Type: application/json' -o "$O" -d '{"metadata": {"name": "c1"},
	"spec": {"rules": [{"call": "x", "junk": 1}], "junk": 2}, "status": {"s": 1}}' "$P"
check "POST prunes unknown fields, drops status, sets metadata" \
	'.[0].spec == {"mode": "monitor", "rules": [{"call": "x"}]} and (.[0] | has("status") | not) and
	 (.[0].metadata | .uid != null and .creationTimestamp != null and .generation == 1)' "$O"
has "unknown fields are warned about" "$T/hdr" 'Warning: 299 - "unknown field \"spec.junk\""'
k8s_curl -H 'Content-Type: application/json' -o "$O" -d '{"metadata": {"name": "c1"}, "spec": {"rules": [{"call": "x"}]}}' "$P"
check "POST of an existing name: 409 AlreadyExists" \
	'.[0] | .kind == "Status" and .code == 409 and .reason == "AlreadyExists" and
	 .message == "probes.example.com \"c1\" already exists"' "$O"
k8s_curl -o "$O" "$P/nope"
check "GET of a missing name: 404 NotFound" \
	'.[0] | .code == 404 and .reason == "NotFound" and .message == "probes.example.com \"nope\" not found"' "$O"
k8s_curl -X PUT -H 'Content-Type: application/json' -o "$O" \
	-d '{"metadata": {"name": "c1", "resourceVersion": "1"}, "spec": {"rules": [{"call": "y"}]}}' "$P/c1"
check "PUT with a stale resourceVersion: 409 Conflict" '.[0] | .code == 409 and .reason == "Conflict"' "$O"
k8s_curl -X PATCH -H 'Content-Type: application/merge-patch+json' -o "$O" -d '{"status": {"loaded": true}}' "$P/c1/status"
check "PATCH of /status sets the status only" \
	'.[0].status == {"loaded": true} and .[0].metadata.generation == 1' "$O"
k8s_curl -X PATCH -H 'Content-Type: application/merge-patch+json' -o "$O" \
	-d '{"spec": {"mode": "enforce"}, "status": {"loaded": false}}' "$P/c1"
check "PATCH of the object ignores its status, bumps generation" \
	'.[0].status == {"loaded": true} and .[0].spec.mode == "enforce" and .[0].metadata.generation == 2' "$O"
k8s_curl -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' -o "$O" -d '{}' "$P/c1"
check "strategic merge patch of a CR: 415" '.[0].code == 415' "$O"
k8s_curl -H 'Content-Type: application/json' -o "$O" -d '{"metadata": {"name": "c2"}, "spec": {"rules": []}}' "$P?dryRun=All"
check "dryRun=All validates" '.[0].code == 422 and .[0].details.causes[0].field == "spec.rules"' "$O"
k8s_curl -H 'Content-Type: application/json' -o "$O" -d '{"metadata": {"name": "c2"}, "spec": {"rules": [{"call": "z"}]}}' "$P?dryRun=All"
k8s_curl -o "$T/out2" "$P/c2"
check "dryRun=All answers without storing" '.[0].metadata.name == "c2" and .[1].code == 404' "$O" "$T/out2"
k8s_curl -H 'Content-Type: application/json' -o "$O" \
	-d '{"metadata": {"name": "c3"}, "spec": {"rules": [{"call": "z"}], "tags": ["a", "b", "a"]}}' "$P"
check "x-kubernetes-list-type set: a duplicate is refused" \
	'.[0].code == 422 and .[0].message == "Probe.example.com \"c3\" is invalid: spec.tags[2]: Duplicate value: \"a\""' "$O"

NS=$K8S_URL/api/v1/namespaces/default/pods
for p in a:n1:x b:n2:x c:n1:y; do
	IFS=: read -r n node app <<EOF
$p
EOF
	k8s_curl -H 'Content-Type: application/json' -o /dev/null \
		-d "{\"metadata\": {\"name\": \"$n\", \"labels\": {\"app\": \"$app\"}}, \"spec\": {\"nodeName\": \"$node\"}}" "$NS"
done
k8s_curl -o "$O" "$K8S_URL/api/v1/pods?fieldSelector=spec.nodeName%3Dn1"
check "pods: fieldSelector spec.nodeName" '[.[0].items[].metadata.name] == ["a", "c"]' "$O"
k8s_curl -o "$O" "$K8S_URL/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,metadata.name!%3Da&labelSelector=app+in+(x,y),!nope"
check "pods: != and label selectors" '[.[0].items[].metadata.name] == ["c"]' "$O"
k8s_curl -o "$O" "$K8S_URL/api/v1/pods?fieldSelector=spec.bogus%3D1"
check "an unknown field selector: 400" '.[0].code == 400' "$O"

# ---- watches ----
RV=$(rv_now)
k8s_curl -H 'Content-Type: application/json' -o /dev/null -d '{"metadata": {"name": "w1"}, "spec": {"rules": [{"call": "a"}]}}' "$P"
k8s_curl -X PATCH -H 'Content-Type: application/merge-patch+json' -o /dev/null -d '{"spec": {"mode": "enforce"}}' "$P/w1"
k8s_curl -X DELETE -o /dev/null "$P/w1"
k8s_curl -N -o "$O" "$P?watch=1&resourceVersion=$RV&timeoutSeconds=1"
check "watch from a resourceVersion replays what followed" \
	'[.[] | [.type, .object.metadata.name]] == [["ADDED", "w1"], ["MODIFIED", "w1"], ["DELETED", "w1"]] and
	 ([.[].object.metadata.resourceVersion | tonumber] | . == sort and .[0] > '"$RV"')' "$O"
k8s_curl -N -o "$O" "$NS?watch=true&resourceVersion=0&timeoutSeconds=1&labelSelector=app%3Dx"
check "watch from 0 starts with the current objects as ADDED" \
	'[.[] | [.type, .object.metadata.name, .object.kind]] == [["ADDED", "a", "Pod"], ["ADDED", "b", "Pod"]]' "$O"

start=$(date +%s)
k8s_curl -N -o "$O" "$NS?watch=1&resourceVersion=$(rv_now)&allowWatchBookmarks=true&timeoutSeconds=1"
rc=$?
end=$(date +%s)
check "an idle watch gets bookmarks" \
	'length >= 2 and all(.type == "BOOKMARK" and .object.kind == "Pod" and .object.metadata.resourceVersion != null)' "$O"
if [ $rc -eq 0 ] && [ $((end - start)) -le 3 ]; then
	ok "timeoutSeconds ends the stream cleanly"
else
	not_ok "timeoutSeconds ends the stream cleanly" "curl exit $rc after $((end - start)) s"
fi

(k8s_curl -N -o "$T/live" "$NS?watch=1&fieldSelector=spec.nodeName%3Dn2" 2>/dev/null; echo $? >"$T/live.rc") &
sleep 0.5
k8s_curl -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' -o /dev/null -d '{"spec": {"nodeName": "n1"}}' "$NS/b"
k8s_curl -X PATCH -H 'Content-Type: application/merge-patch+json' -o /dev/null -d '{"spec": {"nodeName": "n2"}}' "$NS/c"
sleep 0.5
k8s_ctl drop-watches -o "$T/drop"
sleep 0.5
check "drop-watches says how many it dropped" '.[0].dropped == 1' "$T/drop"
check "a pod leaving or entering a watch's field selector comes as DELETED / ADDED" \
	'[.[] | [.type, .object.metadata.name]] == [["ADDED", "b"], ["DELETED", "b"], ["ADDED", "c"]]' "$T/live"
if [ "$(cat "$T/live.rc" 2>/dev/null)" = 18 ]; then
	ok "drop-watches cuts the stream (no clean end)"
else
	not_ok "drop-watches cuts the stream (no clean end)" "curl exit $(cat "$T/live.rc" 2>/dev/null)"
fi

OLD=$(rv_now)
k8s_curl -X DELETE -o /dev/null "$NS/a"
k8s_ctl compact -o /dev/null
k8s_curl -N -o "$O" "$NS?watch=1&resourceVersion=$OLD&timeoutSeconds=1"
check "after compact, an older resourceVersion gets 410 Expired" \
	'length == 1 and .[0].type == "ERROR" and .[0].object.code == 410 and .[0].object.reason == "Expired" and
	 (.[0].object.message | startswith("too old resource version: '"$OLD"' ("))' "$O"
NOW=$(rv_now)
k8s_curl -N -o "$O" "$NS?watch=1&resourceVersion=$NOW&timeoutSeconds=1"
check "after compact, the current resourceVersion still watches" 'all(.type != "ERROR")' "$O"
k8s_ctl restart -o /dev/null
k8s_curl -N -o "$O" "$NS?watch=1&resourceVersion=$NOW&timeoutSeconds=1"
check "after restart, the resourceVersion jumped and the old one gets 410" \
	'.[0].type == "ERROR" and .[0].object.code == 410' "$O"
if [ "$(rv_now)" -ge $((NOW + 1000)) ]; then
	ok "restart bumps the resourceVersion by 1000"
else
	not_ok "restart bumps the resourceVersion by 1000" "$NOW then $(rv_now)"
fi

k8s_curl -X POST -o /dev/null "$K8S_URL/_emulator/requests?clear=1"
k8s_ctl 'fail?path=^/api/v1/namespaces$&code=503&count=2' -o /dev/null
a=$(k8s_curl "$K8S_URL/api/v1/namespaces" | jq -c '[.code, .reason]')
b=$(k8s_curl "$K8S_URL/api/v1/namespaces" | jq -r .code)
c=$(k8s_curl "$K8S_URL/api/v1/namespaces" | jq -r .kind)
if [ "$a/$b/$c" = '[503,"ServiceUnavailable"]/503/NamespaceList' ]; then
	ok "fail injects K failures"
else
	not_ok "fail injects K failures" "$a/$b/$c"
fi
k8s_curl -o "$O" "$K8S_URL/_emulator/requests"
check "requests lists the requests with their tokens and codes" \
	'[.[0][] | [.method, .path, .code, .token]] == [["GET", "/api/v1/namespaces", 503, "token-1"],
	 ["GET", "/api/v1/namespaces", 503, "token-1"], ["GET", "/api/v1/namespaces", 200, "token-1"]]' "$O"

k8s_ctl 'unreachable?seconds=1' -o /dev/null
sleep 0.2
if curl -sS --cacert "$K8S_DIR/ca.crt" -o /dev/null "$K8S_URL/version" 2>/dev/null; then
	not_ok "unreachable refuses connections" "a request succeeded"
else
	ok "unreachable refuses connections"
fi
sleep 1.2
k8s_curl -o "$O" "$K8S_URL/version"
check "then listens again on the same port" '.[0].gitVersion != null' "$O"

echo token-2 >"$K8S_DIR/token"
curl -sS --cacert "$K8S_DIR/ca.crt" -H "Authorization: Bearer token-1" -o "$O" "$K8S_URL/api"
check "a rotated token: the old one gets 401" '.[0].kind == "Status" and .[0].code == 401' "$O"
k8s_curl -o "$O" "$K8S_URL/api"
check "a rotated token: the new one works" '.[0].kind == "APIVersions"' "$O"
"$KUBECTL" --kubeconfig "$K8S_KUBECONFIG" --cache-dir "$T/cache-k1" get ns >"$O" 2>&1
has "kubectl with the old token is refused" "$O" "Unauthorized"
"$KUBECTL" --kubeconfig "$K8S_DIR/kubeconfig.tokenfile" --cache-dir "$T/cache-k1" get ns >"$O" 2>&1
has "kubectl with tokenFile reads the new one" "$O" "kube-system"

(k8s_curl -N -o "$T/live" "$P?watch=1"; echo $? >"$T/live.rc") &
sleep 0.5
k8s_curl -X DELETE -o /dev/null "$K8S_URL/apis/apiextensions.k8s.io/v1/customresourcedefinitions/probes.example.com"
sleep 0.5
check "deleting a CRD deletes its objects and ends its watches" \
	'[.[] | [.type, .object.metadata.name]] == [["ADDED", "c1"], ["DELETED", "c1"]]' "$T/live"
if [ "$(cat "$T/live.rc" 2>/dev/null)" = 0 ]; then
	ok "the CR watch ended cleanly"
else
	not_ok "the CR watch ended cleanly" "curl exit $(cat "$T/live.rc" 2>/dev/null)"
fi
k8s_curl -o "$O" "$K8S_URL/apis"
check "and removes its group from discovery" '[.[0].groups[].name] | index("example.com") == null' "$O"

finish
