#!/bin/sh
# vigild --k8s with TracingPolicy resources, against the API server
# emulator and Debian's kubectl (host; the emulator needs Python):
# - `kubectl apply -f` of the block-shell-exec example (its binary paths
#   pointed at a copy of a test binary, so that the machine's shells live):
#   vigild loads it and the binary is killed at exec; `kubectl apply` of a
#   modified version replaces it without a gap (every run during the
#   replace is killed) and the new value is enforced; `kubectl delete` ends
#   the enforcement;
# - a policy vigild cannot load (a kernel function this kernel lacks,
#   which no schema can say): a Warning Event that `kubectl describe`
#   shows with the field path, and LOAD_ERROR with the error in `vigil tp
#   list`; fixed by a new apply: it loads and the error goes;
# - watch resilience: the watch dropped, compacted history (410 Gone), a
#   restart with a new resourceVersion, the server unreachable, changes
#   made while vigild could not see them: vigild says what happened and
#   converges to the resources that exist;
# - a rotated token: vigild's requests are refused (401, said once), and
#   the new token in its token file is used without a restart.
set -u
. "$(dirname "$0")/../integration/common.inc"
. "$(dirname "$0")/k8s.inc"

VIGIL="$(dirname "$VIGILD")/vigil"
SOCK=$T/vigil.sock
VICTIM=$T/victim
VICTIM2=$T/victim2
cp "$VIGIL_TEST_BIN/execer" "$VICTIM"
cp "$VIGIL_TEST_BIN/execer" "$VICTIM2"

# the example, with its shells replaced by the victims (extra: more values)
example() {
	sed -e "s|\"/bin/bash\"|\"$VICTIM\"|" -e "s|- \"/bin/sh\"|$1|" \
		"$VIGIL_EXAMPLES/policies/block-shell-exec.yaml"
}

# run_victim PATH: its exit status (137: killed)
run_victim() {
	"$1" >/dev/null 2>&1
	echo $?
}

k8s_setup || { k8s_finish; finish; exit 1; }
start_vigild --kubeconfig "$VKC" --server-address "unix:$SOCK" --export-filename "$T/events.json" \
	--output none || { k8s_finish; finish; exit 1; }

# --- apply, modify, delete ------------------------------------------------
example "" >"$T/bse.yaml"
kc apply -f "$T/bse.yaml" >/dev/null
if wait_log "tracingpolicy/block-shell-exec loaded" 100; then
	ok "kubectl apply: vigild loads the block-shell-exec example"
else
	not_ok "kubectl apply: vigild loads the block-shell-exec example" "$(tail -n 5 "$T/stderr")"
fi
rc=$(run_victim "$VICTIM")
[ "$rc" = 137 ] && ok "the policy from Kubernetes kills the exec" ||
	not_ok "the policy from Kubernetes kills the exec" "exit status $rc"
[ "$(run_victim "$VICTIM2")" != 137 ] && ok "a binary the policy does not name runs" ||
	not_ok "a binary the policy does not name runs" "killed"

# modified: one more value; the victim keeps being killed during the replace
: >"$T/loop.rc"
(while [ ! -e "$T/loop.stop" ]; do run_victim "$VICTIM" >>"$T/loop.rc"; done) &
LOOP=$!
sleep 0.5
example "- \"$VICTIM2\"" >"$T/bse2.yaml"
kc apply -f "$T/bse2.yaml" >/dev/null
_i=0
while [ "$(count_log 'tracingpolicy/block-shell-exec loaded')" -lt 2 ] && [ $_i -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
sleep 0.5
touch "$T/loop.stop"
wait "$LOOP"
runs=$(wc -l <"$T/loop.rc")
bad=$(grep -vc '^137$' "$T/loop.rc")
if [ "$(count_log 'tracingpolicy/block-shell-exec loaded')" -eq 2 ] && [ "$runs" -ge 3 ] &&
	[ "$bad" -eq 0 ]; then
	ok "kubectl apply of a modified policy replaces it without a gap ($runs runs, all killed)"
else
	not_ok "kubectl apply of a modified policy replaces it without a gap" \
		"$(count_log 'tracingpolicy/block-shell-exec loaded') loads, $runs runs, $bad not killed"
fi
rc=$(run_victim "$VICTIM2")
[ "$rc" = 137 ] && ok "the modified policy's new value is enforced" ||
	not_ok "the modified policy's new value is enforced" "exit status $rc"
kc delete tracingpolicy block-shell-exec >/dev/null
if wait_log "tracingpolicy/block-shell-exec deleted" 100 && [ "$(run_victim "$VICTIM")" != 137 ]; then
	ok "kubectl delete: the enforcement goes"
else
	not_ok "kubectl delete: the enforcement goes" "$(tail -n 3 "$T/stderr")"
fi
if jq -e -s '[.[] | select(.process_kprobe.policy_name == "block-shell-exec")] | length >= 3' \
	"$T/events.json" >/dev/null 2>&1; then
	ok "the kills are reported as process_kprobe events of the policy"
else
	not_ok "the kills are reported as process_kprobe events of the policy" \
		"$(grep -c process_kprobe "$T/events.json") process_kprobe lines"
fi

# --- a policy that does not load ------------------------------------------
cat >"$T/bad.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: needs-a-missing-function
spec:
  kprobes:
  - call: vigil_no_such_kernel_function
    syscall: false
EOF
# another failure first, gone before the restart below: an Event name that
# counted failures would then differ after the restart (the name must come
# from what failed, so that a restarted vigild finds its Event)
sed 's/name: needs-a-missing-function/name: fails-first/' "$T/bad.yaml" | kc apply -f - >/dev/null
wait_log "fails-first not loaded" 100
kc apply -f "$T/bad.yaml" >/dev/null
wait_log "needs-a-missing-function not loaded" 100
_i=0
while ! kc describe tracingpolicy needs-a-missing-function >"$T/describe.out" 2>&1 ||
	! grep -q PolicyLoadFailed "$T/describe.out"; do
	_i=$((_i + 1))
	[ $_i -gt 50 ] && break
	sleep 0.1
done
if grep -q 'Warning *PolicyLoadFailed .*vigil: tracingpolicy/needs-a-missing-function: spec.kprobes\[0\].call: ' \
	"$T/describe.out"; then
	ok "kubectl describe shows a Warning Event with the field path and vigil's message"
else
	not_ok "kubectl describe shows a Warning Event with the field path and vigil's message" \
		"$(tail -n 4 "$T/describe.out")"
fi
# a restarted vigild says the same again: the same Event, not a second one
kc delete tracingpolicy fails-first >/dev/null
wait_log "fails-first deleted" 100
stop_vigild
start_vigild --kubeconfig "$VKC" --server-address "unix:$SOCK" --export-filename "$T/events.json" \
	--output none
wait_log "needs-a-missing-function not loaded" 100
sleep 1
n=$(kc describe tracingpolicy needs-a-missing-function 2>&1 | grep -c 'Warning *PolicyLoadFailed')
[ "$n" = 1 ] && ok "a restarted vigild does not post the same Event twice" ||
	not_ok "a restarted vigild does not post the same Event twice" "$n Events"
"$VIGIL" tp list --server-address "unix:$SOCK" >"$T/list.out" 2>&1
if grep -q 'needs-a-missing-function.*load_error.*spec.kprobes\[0\].call' "$T/list.out"; then
	ok "vigil tp list shows the resource as LOAD_ERROR with its error"
else
	not_ok "vigil tp list shows the resource as LOAD_ERROR with its error" "$(cat "$T/list.out")"
fi
# fixed: an existing function
sed 's/vigil_no_such_kernel_function/security_bprm_check/' "$T/bad.yaml" >"$T/fixed.yaml"
kc apply -f "$T/fixed.yaml" >/dev/null
if wait_log "tracingpolicy/needs-a-missing-function loaded" 100; then
	"$VIGIL" tp list --server-address "unix:$SOCK" >"$T/list.out" 2>&1
	if grep -q load_error "$T/list.out"; then
		not_ok "a fixed resource loads and its error goes" "$(cat "$T/list.out")"
	else
		ok "a fixed resource loads and its error goes"
	fi
else
	not_ok "a fixed resource loads and its error goes" "$(tail -n 3 "$T/stderr")"
fi
kc delete tracingpolicy needs-a-missing-function >/dev/null

# --- watch resilience -----------------------------------------------------
# converged NAME...: vigild has loaded exactly these policies
converged() {
	_want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	_i=0
	while [ $_i -lt 150 ]; do
		_got=$("$VIGIL" tp list --server-address "unix:$SOCK" -o json 2>/dev/null |
			jq -r '[.policies[]?.name] | sort | .[]' | tr '\n' ' ')
		[ "$_got" = "$_want" ] && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	echo "$_got"
	return 1
}
policy() { # policy NAME: a harmless policy called NAME
	printf 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: %s\n' "$1"
	printf 'spec:\n  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_getppid\n'
}
policy keep-a | kc apply -f - >/dev/null
policy keep-b | kc apply -f - >/dev/null
got=$(converged keep-a keep-b) && ok "two resources applied: both loaded" ||
	not_ok "two resources applied: both loaded" "loaded: $got"

emu POST drop-watches >/dev/null
wait_log "tracingpolicies: watch failed" 50 && ok "a dropped watch is said" ||
	not_ok "a dropped watch is said" "$(tail -n 3 "$T/stderr")"
policy keep-c | kc apply -f - >/dev/null
got=$(converged keep-a keep-b keep-c) && ok "after a dropped watch, a new resource is loaded" ||
	not_ok "after a dropped watch, a new resource is loaded" "loaded: $got"

# the watch fails while changes happen, and the history is compacted
# (the rule matches vigild's watch requests only: kubectl does not watch)
emu POST 'fail?path=tracingpolicies%5C%3F.%2Awatch%3D1&code=500&count=3' >/dev/null
emu POST drop-watches >/dev/null
kc delete tracingpolicy keep-a >/dev/null
policy keep-d | kc apply -f - >/dev/null
emu POST compact >/dev/null
wait_log "tracingpolicies: watch failed: HTTP 500" 50 && ok "a failing watch (HTTP 500) is said" ||
	not_ok "a failing watch (HTTP 500) is said" "$(grep kubernetes "$T/stderr" | tail -n 3)"
got=$(converged keep-b keep-c keep-d) &&
	ok "changes made while the watch failed, then 410 Gone: a relist converges" ||
	not_ok "changes made while the watch failed, then 410 Gone: a relist converges" "loaded: $got"
wait_log "the watch (expired|'s version is too old) \(410 Gone\): listing again" 10 &&
	wait_log "tracingpolicies: listed again: 3, 1 new or changed, 1 gone" 10 &&
	ok "vigild says the watch expired and what the relist changed" ||
	not_ok "vigild says the watch expired and what the relist changed" "$(grep kubernetes "$T/stderr" | tail -n 5)"

emu POST restart >/dev/null
kc delete tracingpolicy keep-b >/dev/null
got=$(converged keep-c keep-d) && ok "after an API server restart (new resourceVersion), vigild converges" ||
	not_ok "after an API server restart (new resourceVersion), vigild converges" "loaded: $got"

emu POST 'unreachable?seconds=3' >/dev/null
wait_log "Couldn't connect to server|Connection refused" 60 &&
	ok "an unreachable API server is said" ||
	not_ok "an unreachable API server is said" "$(grep kubernetes "$T/stderr" | tail -n 3)"
sleep 3
kc delete tracingpolicy keep-c >/dev/null
got=$(converged keep-d) && ok "the API server back: vigild converges" ||
	not_ok "the API server back: vigild converges" "loaded: $got"
wait_log "API server answers again" 10 && ok "vigild says the API server answers again" ||
	not_ok "vigild says the API server answers again" "$(grep kubernetes "$T/stderr" | tail -n 3)"

# --- token rotation ---------------------------------------------------------
echo "kubectl-token-2" >"$TOKEN_FILE.new" && mv "$TOKEN_FILE.new" "$TOKEN_FILE"
emu POST drop-watches >/dev/null
wait_log "HTTP 401" 60 && ok "a token the server no longer takes: 401, said" ||
	not_ok "a token the server no longer takes: 401, said" "$(grep kubernetes "$T/stderr" | tail -n 3)"
[ "$(count_log 'HTTP 401')" -le 2 ] && ok "the 401 is said once per watch, not per retry" ||
	not_ok "the 401 is said once per watch, not per retry" "$(count_log 'HTTP 401') times"
cp "$TOKEN_FILE" "$VTOKEN.new" && mv "$VTOKEN.new" "$VTOKEN"
policy keep-e | kc apply -f - >/dev/null
got=$(converged keep-d keep-e) && ok "the rotated token in vigild's token file is used without a restart" ||
	not_ok "the rotated token in vigild's token file is used without a restart" "loaded: $got"
if emu GET requests | jq -e '[.[] | select(.token == "kubectl-token-2" and (.path | startswith("/apis/cilium.io")) and .code == 200)] | length > 0' >/dev/null; then
	ok "the emulator saw vigild's requests with the new token"
else
	not_ok "the emulator saw vigild's requests with the new token" "no such request"
fi

stop_vigild
k8s_finish
finish
