#!/bin/sh
# The manifests users apply (host; the emulator needs Python):
# - Debian's kubectl takes every file of crds/ and deploy/ with
#   `kubectl apply --dry-run=client`, and applies the CRDs for real;
# - the CRD schemas (crds/check-schema.py): structural, every key and enum
#   as vigil's parser has it, the fixtures of crds/testdata accepted or
#   refused at the path they name, the example policies accepted; with the
#   CRDs installed in the emulator, every example policy applies and an
#   invalid one is refused by the API server with the field path;
# - the Helm chart (deploy/helm/check.sh): helm template when helm exists,
#   else the chart's own renderer (Debian 12 has no helm), compared with
#   deploy/vigil.yaml.
set -u
. "$(dirname "$0")/../integration/common.inc"
. "$(dirname "$0")/k8s.inc"

k8s_setup || { k8s_finish; finish; exit 1; }
for f in "$REPO"/crds/*.yaml "$REPO"/deploy/*.yaml; do
	name=${f#"$REPO"/}
	if kc apply --dry-run=client -f "$f" >"$T/dry.out" 2>&1; then
		ok "kubectl apply --dry-run=client -f $name"
	else
		not_ok "kubectl apply --dry-run=client -f $name" "$(cat "$T/dry.out")"
	fi
done
for f in "$REPO"/examples/policies/*.yaml; do
	name=${f#"$REPO"/}
	if kc apply -f "$f" >"$T/apply.out" 2>&1; then
		ok "the API server takes $name"
	else
		not_ok "the API server takes $name" "$(cat "$T/apply.out")"
	fi
done
cat >"$T/bad-op.yaml" <<EOT
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata: {name: bad-operator}
spec:
  kprobes:
  - call: security_bprm_check
    syscall: false
    args: [{index: 0, type: linux_binprm}]
    selectors:
    - matchArgs: [{index: 0, operator: Foo, values: [/bin/sh]}]
EOT
if kc apply -f "$T/bad-op.yaml" >"$T/bad.out" 2>&1; then
	not_ok "the API server refuses an unknown operator" "it took it"
elif grep -q 'spec.kprobes\[0\].selectors\[0\].matchArgs\[0\].operator: Unsupported value: "Foo"' "$T/bad.out"; then
	ok "the API server refuses an unknown operator, naming the field"
else
	not_ok "the API server refuses an unknown operator, naming the field" "$(cat "$T/bad.out")"
fi
k8s_finish
python3 "$REPO/crds/check-schema.py" --vigil "$(dirname "$VIGILD")/vigil" >"$T/schema.out" 2>&1
rc=$?
grep -E '^(not )?ok - ' "$T/schema.out" | sed 's/^\(not \)\{0,1\}ok - /&crds: /'
[ $rc -eq 0 ] || grep -q '^not ok - ' "$T/schema.out" || not_ok "crds/check-schema.py" "exit $rc: $(tail -n 3 "$T/schema.out")"
sh "$REPO/deploy/helm/check.sh" >"$T/helm.out" 2>&1
rc=$?
grep -E '^(not )?ok - ' "$T/helm.out" | sed 's/^\(not \)\{0,1\}ok - /&helm: /'
[ $rc -eq 0 ] || grep -q '^not ok - ' "$T/helm.out" || not_ok "deploy/helm/check.sh" "exit $rc: $(tail -n 3 "$T/helm.out")"
grep -q '^not ok - ' "$T/schema.out" "$T/helm.out" && FAILS=$((FAILS + 1))
finish
