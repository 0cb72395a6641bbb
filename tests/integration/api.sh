#!/bin/sh
# The gRPC API (Tetragon's FineGuidanceSensors) and the vigil CLI against a
# running vigild:
# - vigild serves on the default unix socket, root only (0600);
# - `vigil getevents` streams the events of commands as they run, as
#   protojson lines byte for byte the export file's and as compact lines,
#   with its filter flags applied by vigild;
# - `vigil tp add` of an exec-kill policy scoped to a test binary makes the
#   kill happen (and appear in the stream), `tp delete` makes it go; a bad
#   policy's errors reach the CLI as FILE:LINE:COLUMN, the lines `vigil
#   policy lint` prints; `tp list` shows state, mode, kernel memory and
#   counters; enable, disable, set-mode and add --mode work; in the VM,
#   where BPF-LSM exists, a file_open Override added the same way denies an
#   open with EPERM until deleted;
# - status, version, probe (the same table as `vigild --probe`), --help on
#   every command, one clear message and a non-zero status on failure;
# - host only (Python's grpcio): a client generated from vigil's own .proto
#   streams, adds, lists and deletes; a client reading one message a second
#   while 10,000 events are produced loses events, is told exactly how many
#   in its stream (and GetHealth counts the same), while the CLI streaming
#   beside it loses none and vigild's memory stays bounded; malformed
#   requests, a 10 MB policy, an unknown enum value, garbage on the socket,
#   a stream never read, 100 clients at once: clear errors, no crash;
# - when vigild stops, streams end with UNAVAILABLE "vigild is stopping";
#   getevents says so, waits, and says when it is connected again (host);
# - --export-allowlist / --export-denylist filter the export file, not the
#   API's streams; a filter that does not parse stops vigild at start.
set -u
. "$(dirname "$0")/common.inc"

: "${VIGIL_EXAMPLES:?VIGIL_EXAMPLES must name the examples directory}"
VIGIL="$(dirname "$VIGILD")/vigil"
SOCK=/run/vigil/vigil.sock
EV="$T/events.json"
GE="$T/ge.json"
VICTIM="$T/victim"
MARK="$T/marker"
GPID=
CPID=
cp "$VIGIL_TEST_BIN/execer" "$VICTIM"
cp "$VIGIL_TEST_BIN/execer" "$MARK"

cleanup() {
	for p in $GPID $CPID; do kill "$p" 2>/dev/null; done
	finish
}

# wait_for FILE JQ_FILTER SECONDS: until jq -s FILTER holds on FILE
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		jq -e -s "$2" "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# mark NAME: run the marker (it runs `true NAME`)
mark() {
	"$MARK" path true true "$1" 2>/dev/null
}

# run_victim NAME: run the victim, which creates $T/NAME when it runs; ST
# is its exit status
run_victim() {
	rm -f "$T/$1"
	"$VICTIM" path touch touch "$T/$1" 2>/dev/null
	ST=$?
}

# expect NAME STATUS COMMAND...: the command exits STATUS
expect() {
	name=$1
	want=$2
	shift 2
	"$@" >"$T/cmd.out" 2>"$T/cmd.err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$name"
	else
		not_ok "$name" "exit $got, not $want: $(head -c 600 "$T/cmd.err")"
	fi
}

list_json() {
	"$VIGIL" tp list -o json >"$T/list.json" 2>"$T/list.err"
}

policy() { # policy FILE NAME [BINARY]: the exec-kill policy for the victim only
	cat >"$1" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "$2"
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
        - "${3:-$VICTIM}"
      matchActions:
      - action: Sigkill
EOF
}
policy "$T/kill.yaml" api-kill
cat >"$T/bad.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "api-bad"
spec:
  kprobes:
  - call: "security_bprm_check"
    syscall: false
    args:
    - index: 0
      type: "linux_binprm"
      typo: 1
    selectors:
    - matchActions:
      - action: Sigkill
        argSig: "nine"
EOF

# --- the default socket ------------------------------------------------------------
rm -f "$SOCK"
start_vigild --export-filename "$EV" || { cleanup; exit 1; }
dmode=$(stat -c '%a' "$(dirname "$SOCK")")
if [ -S "$SOCK" ] && [ "$(stat -c '%a %u' "$SOCK")" = "600 0" ] &&
	[ "$(stat -c '%u' "$(dirname "$SOCK")")" = 0 ] && [ $((0$dmode & 022)) -eq 0 ]; then
	ok "vigild serves on $SOCK, a socket only root may use, in a directory only root may write"
else
	not_ok "vigild serves on $SOCK, a socket only root may use, in a directory only root may write" \
		"$(ls -ld "$SOCK" "$(dirname "$SOCK")" 2>&1)"
fi

# --- streaming ---------------------------------------------------------------------
"$VIGIL" getevents -o json >"$GE" 2>"$T/ge.err" &
GPID=$!
"$VIGIL" getevents -o compact --event-types PROCESS_EXEC --process "$MARK" >"$T/gc.txt" \
	2>"$T/gc.err" &
CPID=$!
i=0
while [ $i -lt 100 ]; do
	mark ready
	grep -q "$MARK" "$T/gc.txt" 2>/dev/null && grep -q "$MARK" "$GE" 2>/dev/null && break
	sleep 0.1
	i=$((i + 1))
done
mark hello-api
if wait_for "$GE" "any(.[]; .process_exec.process.binary == \"$MARK\" and
	.process_exec.process.arguments == \"path true true hello-api\")" 10 &&
	wait_for "$GE" "any(.[]; .process_exit.process.arguments == \"hello-api\")" 10; then
	ok "vigil getevents streams the exec and exit of a command as it runs"
else
	not_ok "vigil getevents streams the exec and exit of a command as it runs" \
		"$(tail -c 600 "$GE") $(cat "$T/ge.err")"
fi
i=0
while [ $i -lt 100 ] && ! grep -q "hello-api" "$T/gc.txt"; do
	sleep 0.1
	i=$((i + 1))
done
if grep -q "^🚀 process $NODE $MARK path true true hello-api\$" "$T/gc.txt" &&
	! grep -qv "^🚀 process $NODE $MARK " "$T/gc.txt"; then
	ok "getevents -o compact --event-types PROCESS_EXEC --process shows the command's exec line, and only such lines"
else
	not_ok "getevents -o compact --event-types PROCESS_EXEC --process shows the command's exec line, and only such lines" \
		"$(head -c 600 "$T/gc.txt") $(cat "$T/gc.err")"
fi

# --- policies through the API ----------------------------------------------------------
"$VIGIL" tp add "$T/bad.yaml" >"$T/bad.out" 2>"$T/bad.err"
rc=$?
"$VIGIL" policy lint "$T/bad.yaml" >/dev/null 2>"$T/lint.err"
all=1
while IFS= read -r line; do
	grep -qF "$line" "$T/bad.err" || all=0
done <"$T/lint.err"
if [ "$rc" -eq 1 ] && [ -s "$T/lint.err" ] && [ "$all" -eq 1 ] &&
	grep -qF "vigil tp add: $T/bad.yaml:12:7: spec.kprobes[0].args[0]: unknown field \"typo\"" "$T/bad.err"; then
	ok "a bad policy's errors reach the CLI at FILE:LINE:COLUMN, every line vigil policy lint prints"
else
	not_ok "a bad policy's errors reach the CLI at FILE:LINE:COLUMN, every line vigil policy lint prints" \
		"exit $rc: $(cat "$T/bad.err") / lint: $(cat "$T/lint.err")"
fi

run_victim before
before=$ST
expect "vigil tp add loads an exec-kill policy" 0 "$VIGIL" tp add "$T/kill.yaml"
run_victim killed
if [ "$before" -eq 0 ] && [ "$ST" -eq 137 ] && [ ! -e "$T/killed" ]; then
	ok "the added policy kills its binary before it runs (it ran before the add)"
else
	not_ok "the added policy kills its binary before it runs (it ran before the add)" \
		"before: $before, after: $ST"
fi
if wait_for "$GE" "[.[] | select(.process_kprobe.policy_name == \"api-kill\")] | length == 1 and
	.[0].process_kprobe.action == \"KPROBE_ACTION_SIGKILL\" and
	.[0].process_kprobe.args[0].linux_binprm_arg.path == \"$VICTIM\"" 10; then
	ok "the kill is in the stream as process_kprobe, once"
else
	not_ok "the kill is in the stream as process_kprobe, once" "$(grep api-kill "$GE" | head -c 600)"
fi
list_json
check "tp list: api-kill enabled, enforcing, with kernel memory and the kill counted" \
	'.[0].policies | map(select(.name == "api-kill")) | length == 1 and
	 (.[0] | .state == "TP_STATE_ENABLED" and .mode == "TP_MODE_ENFORCE" and
	  (.kernel_memory_bytes | tonumber) > 0 and (.stats.action_counters.signal | tonumber) == 1 and
	  (.stats.action_counters.post | tonumber) == 1)' "$T/list.json"
"$VIGIL" tp list >"$T/list.txt" 2>&1
if head -n 1 "$T/list.txt" | grep -q "NAME.*STATE.*MODE" &&
	grep -q "api-kill .* enabled *enforce" "$T/list.txt"; then
	ok "tp list prints a table with the policy's state and mode"
else
	not_ok "tp list prints a table with the policy's state and mode" "$(cat "$T/list.txt")"
fi
expect "adding a policy of a loaded name is refused" 1 "$VIGIL" tp add "$T/kill.yaml"
if grep -q 'ALREADY_EXISTS: tracing policy "api-kill" is loaded already' "$T/cmd.err"; then
	ok "... saying ALREADY_EXISTS and the name"
else
	not_ok "... saying ALREADY_EXISTS and the name" "$(cat "$T/cmd.err")"
fi

expect "tp set-mode monitor" 0 "$VIGIL" tp set-mode api-kill monitor
run_victim monitored
mon=$ST
list_json
if [ "$mon" -eq 0 ] && [ -e "$T/monitored" ] &&
	jq -e '.policies[0].mode == "TP_MODE_MONITOR" and
	(.policies[0].stats.action_counters.monitor_signal | tonumber) == 1' "$T/list.json" >/dev/null; then
	ok "in monitor mode the binary runs, the list says monitor and counts what would have been done"
else
	not_ok "in monitor mode the binary runs, the list says monitor and counts what would have been done" \
		"status $mon: $(cat "$T/list.json")"
fi
expect "tp set-mode enforce" 0 "$VIGIL" tp set-mode api-kill enforce
expect "tp disable" 0 "$VIGIL" tp disable api-kill
run_victim disabled
dis=$ST
list_json
if [ "$dis" -eq 0 ] && jq -e '.policies[0].state == "TP_STATE_DISABLED"' "$T/list.json" >/dev/null; then
	ok "a disabled policy is listed disabled and does nothing"
else
	not_ok "a disabled policy is listed disabled and does nothing" "status $dis: $(cat "$T/list.json")"
fi
expect "tp enable" 0 "$VIGIL" tp enable api-kill
run_victim enabled
if [ "$ST" -eq 137 ]; then
	ok "enabled again, it kills again"
else
	not_ok "enabled again, it kills again" "status $ST"
fi
expect "tp delete" 0 "$VIGIL" tp delete api-kill
run_victim deleted
list_json
if [ "$ST" -eq 0 ] && [ -e "$T/deleted" ] && jq -e '.policies // [] | length == 0' "$T/list.json" >/dev/null; then
	ok "after tp delete the binary runs and the list is empty"
else
	not_ok "after tp delete the binary runs and the list is empty" "status $ST: $(cat "$T/list.json")"
fi
expect "deleting it again fails" 1 "$VIGIL" tp delete api-kill
if [ "$(wc -l <"$T/cmd.err")" -eq 1 ] &&
	grep -q '^vigil tp delete: NOT_FOUND: tracing policy "api-kill" is not loaded$' "$T/cmd.err"; then
	ok "... with one line: NOT_FOUND and the name"
else
	not_ok "... with one line: NOT_FOUND and the name" "$(cat "$T/cmd.err")"
fi
expect "tp add --mode monitor" 0 "$VIGIL" tp add --mode monitor "$T/kill.yaml"
run_victim added-monitor
list_json
if [ "$ST" -eq 0 ] && jq -e '.policies[0].mode == "TP_MODE_MONITOR"' "$T/list.json" >/dev/null; then
	ok "a policy added with --mode monitor monitors"
else
	not_ok "a policy added with --mode monitor monitors" "status $ST: $(cat "$T/list.json")"
fi
expect "tp delete of the monitored policy" 0 "$VIGIL" tp delete api-kill

if [ "$VIGIL_ENV" = vm ]; then
	# A real deny: file_open Override, BPF-LSM.
	cat >"$T/deny.yaml" <<EOF
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "api-deny"
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "$T/secret"
      matchActions:
      - action: Override
        argError: -1
EOF
	echo secret >"$T/secret"
	before=$(cat "$T/secret" 2>&1)
	expect "tp add of a file_open Override policy" 0 "$VIGIL" tp add "$T/deny.yaml"
	during=$(cat "$T/secret" 2>&1)
	expect "tp delete of the Override policy" 0 "$VIGIL" tp delete api-deny
	after=$(cat "$T/secret" 2>&1)
	case $during in *"Operation not permitted"*) denied=1 ;; *) denied=0 ;; esac
	if [ "$before" = secret ] && [ "$denied" -eq 1 ] && [ "$after" = secret ]; then
		ok "a policy added through the API denies an open with EPERM; deleted, the open works"
	else
		not_ok "a policy added through the API denies an open with EPERM; deleted, the open works" \
			"before: $before; during: $during; after: $after"
	fi
	if wait_for "$GE" "any(.[]; .process_lsm.policy_name == \"api-deny\" and
		.process_lsm.action == \"KPROBE_ACTION_OVERRIDE\" and
		.process_lsm.args[0].file_arg.path == \"$T/secret\")" 10; then
		ok "the denial is in the stream as process_lsm"
	else
		not_ok "the denial is in the stream as process_lsm" "$(grep api-deny "$GE" | head -c 600)"
	fi
fi

# --- the other commands ----------------------------------------------------------------
expect "vigil status" 0 "$VIGIL" status
if grep -q "^vigild: HEALTH_STATUS_RUNNING: running; [0-9]* events" "$T/cmd.out"; then
	ok "vigil status says vigild runs, with its counters"
else
	not_ok "vigil status says vigild runs, with its counters" "$(cat "$T/cmd.out")"
fi
expect "vigil version" 0 "$VIGIL" version
if [ "$(sed -n 1p "$T/cmd.out")" = "$(sed -n 2p "$T/cmd.out" | sed 's/^vigild/vigil/')" ] &&
	grep -q "^vigild [0-9]" "$T/cmd.out"; then
	ok "vigil version prints the CLI's version and vigild's"
else
	not_ok "vigil version prints the CLI's version and vigild's" "$(cat "$T/cmd.out")"
fi
"$VIGIL" probe >"$T/probe.cli" 2>&1
"$VIGILD" --probe >"$T/probe.agent" 2>&1
if cmp -s "$T/probe.cli" "$T/probe.agent"; then
	ok "vigil probe prints vigild's feature table, as vigild --probe does"
else
	not_ok "vigil probe prints vigild's feature table, as vigild --probe does" \
		"$(diff "$T/probe.cli" "$T/probe.agent" | head -c 600)"
fi
helps=0
for cmd in "getevents" "tp" "tracingpolicy" "tp add" "tp delete" "tp list" "tp enable" \
	"tp disable" "tp set-mode" "status" "version" "probe" "policy" "policy lint"; do
	# shellcheck disable=SC2086 # the command's words
	if "$VIGIL" $cmd --help >"$T/help" 2>&1 && grep -q "^usage: vigil" "$T/help"; then
		helps=$((helps + 1))
	else
		not_ok "vigil $cmd --help" "$(head -c 300 "$T/help")"
	fi
done
[ $helps -eq 14 ] && ok "--help works on every command (14)"
bad=0
for cmd in "frob" "tp frob" "getevents --bogus" "tp delete" "tp set-mode x sideways" \
	"getevents -o yaml" "status extra"; do
	# shellcheck disable=SC2086
	"$VIGIL" $cmd >"$T/usage.out" 2>"$T/usage.err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/usage.err")" -eq 1 ] && [ ! -s "$T/usage.out" ]; then
		bad=$((bad + 1))
	else
		not_ok "vigil $cmd: status 2 and one line on stderr" "status $rc: $(cat "$T/usage.err")"
	fi
done
[ $bad -eq 7 ] && ok "usage errors exit 2 with one line on stderr (7 cases)"
expect "a command with vigild not there fails" 1 "$VIGIL" status --server-address "unix:$T/nope.sock"
if [ "$(wc -l <"$T/cmd.err")" -eq 1 ] && grep -q "^vigil status: cannot reach vigild at unix:$T/nope.sock" "$T/cmd.err"; then
	ok "... with one line naming the address"
else
	not_ok "... with one line naming the address" "$(cat "$T/cmd.err")"
fi
expect "a stream filter that does not compile fails the stream" 1 "$VIGIL" getevents --process '('
if grep -q "^vigil getevents: INVALID_ARGUMENT: GetEvents: allow_list" "$T/cmd.err"; then
	ok "... with INVALID_ARGUMENT and the filter's field"
else
	not_ok "... with INVALID_ARGUMENT and the filter's field" "$(cat "$T/cmd.err")"
fi

# --- an independent client, slow clients, bad input (Python's grpcio: host only) ----------
if [ "$VIGIL_ENV" = host ]; then
	PY=/usr/bin/python3
	HERE=$(cd "$(dirname "$0")" && pwd)
	mkdir "$T/py"
	if "$PY" -m grpc_tools.protoc -I"$HERE/../../api" --python_out="$T/py" --grpc_python_out="$T/py" \
		"$HERE"/../../api/tetragon/*.proto 2>"$T/protoc.err"; then
		ok "grpc_tools.protoc generates a Python client from vigil's .proto"
	else
		not_ok "grpc_tools.protoc generates a Python client from vigil's .proto" "$(cat "$T/protoc.err")"
	fi
	cp /bin/true "$T/py-victim"
	policy "$T/py-kill.yaml" api-py-kill "$T/py-victim"
	"$PY" "$HERE/api_client.py" "$T/py" interop "unix:$SOCK" "$T/py-kill.yaml" api-py-kill \
		"$T/py-victim"

	# 10,000 events (5,000 execs and exits) while a client reads one
	# message a second; the CLI streams beside it (GE).
	cp /bin/true "$T/storm"
	VPID_RSS=$(awk '/^VmRSS/ { print $2 }' "/proc/$VPID/status")
	t0=$(date +%s)
	"$PY" "$HERE/api_client.py" "$T/py" slow "unix:$SOCK" 15 "$MARK" "$T/slow.json" &
	SPID=$!
	sleep 1
	(while kill -0 "$SPID" 2>/dev/null; do
		awk '/^VmRSS/ { print $2 }' "/proc/$VPID/status"
		sleep 0.2
	done) >"$T/rss" &
	RPID=$!
	"$VIGIL_TEST_BIN/spawner" 5000 "$T/storm" storm
	# the slow client reads one a second for 15 s, then catches up to this
	while [ $(($(date +%s) - t0)) -lt 17 ]; do sleep 0.5; done
	mark storm-done
	wait "$SPID"
	wait "$RPID"
	"$VIGIL" status >"$T/health" 2>&1
	wait_for "$GE" "any(.[]; .process_exec.process.binary == \"$MARK\" and
		.process_exec.process.arguments == \"path true true storm-done\")" 20
	n_exec=$(jq -c "select(.process_exec.process.binary == \"$T/storm\")" "$GE" | wc -l)
	n_exit=$(jq -c "select(.process_exit.process.binary == \"$T/storm\")" "$GE" | wc -l)
	e_exec=$(jq -c "select(.process_exec.process.binary == \"$T/storm\")" "$EV" | wc -l)
	# (a loss report is a key; grep would find its own exec's arguments)
	n_lost=$(jq -c 'select(.rate_limit_info)' "$GE" | wc -l)
	if [ "$n_exec" -eq 5000 ] && [ "$n_exit" -eq 5000 ] && [ "$e_exec" -eq 5000 ] &&
		[ "$n_lost" -eq 0 ]; then
		ok "the CLI streaming beside a slow client gets all 10,000 events, as the export does"
	else
		not_ok "the CLI streaming beside a slow client gets all 10,000 events, as the export does" \
			"stream: $n_exec execs, $n_exit exits; export: $e_exec execs; $n_lost loss reports"
	fi
	slow_lost=$(jq -s 'map(.dropped // 0) | add' "$T/slow.json")
	slow_read=$(jq -s 'map(select(.slow)) | length' "$T/slow.json")
	health_lost=$(sed -n 's/.* \([0-9]*\) events dropped for slow streams.*/\1/p' "$T/health")
	if [ "${slow_lost:-0}" -gt 0 ] && [ "$slow_lost" = "$health_lost" ] && [ "$slow_read" -le 20 ]; then
		ok "the slow client ($slow_read messages at one a second) is told in its stream it lost $slow_lost events; GetHealth counts the same"
	else
		not_ok "the slow client is told in its stream what it lost; GetHealth counts the same" \
			"reported $slow_lost, health: $(cat "$T/health"), read slowly: $slow_read"
	fi
	max_rss=$(sort -n "$T/rss" | tail -n 1)
	if [ -n "$max_rss" ] && [ $((max_rss - VPID_RSS)) -lt 65536 ]; then
		ok "vigild's memory stays bounded with a slow client: $VPID_RSS kB before, at most $max_rss kB"
	else
		not_ok "vigild's memory stays bounded with a slow client" "$VPID_RSS kB before, $max_rss kB at most"
	fi

	( printf 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: big\nspec:\n  kprobes: []\n'
	  head -c 10485760 /dev/zero | tr '\0' '#' ) >"$T/big.yaml"
	"$PY" "$HERE/api_client.py" "$T/py" bad "unix:$SOCK" "$T/big.yaml"
	expect "vigil tp add of a 10 MB policy fails" 1 "$VIGIL" tp add "$T/big.yaml"
	if grep -q "the policy is 10485[0-9]* bytes; at most 4194304 are accepted" "$T/cmd.err"; then
		ok "... saying its size and the limit"
	else
		not_ok "... saying its size and the limit" "$(cat "$T/cmd.err")"
	fi
	if kill -0 "$VPID" 2>/dev/null; then
		ok "vigild runs on after the bad input"
	else
		not_ok "vigild runs on after the bad input" "$(tail -n 5 "$T/stderr")"
	fi
else
	echo "# host only: the Python grpcio client, the slow-client storm and the bad-input client"
fi

# --- stop, and the stream's end ---------------------------------------------------------
mark before-stop
wait_for "$GE" "any(.[]; .process_exec.process.arguments == \"path true true before-stop\")" 10
stop_vigild
sleep 0.5
cp "$GE" "$T/ge1.json"
first=$(head -n 1 "$T/ge1.json")
n=$(grep -nxF "$first" "$EV" | head -n 1 | cut -d: -f1)
if [ -n "$n" ] && tail -n +"$n" "$EV" | head -n "$(wc -l <"$T/ge1.json")" | cmp -s - "$T/ge1.json"; then
	ok "the stream carried the export file's events, byte for byte and in order ($(wc -l <"$T/ge1.json") lines)"
else
	not_ok "the stream carried the export file's events, byte for byte and in order" \
		"first stream line at export line '$n'"
fi
if grep -q "^vigil getevents: UNAVAILABLE: vigild is stopping$" "$T/ge.err" &&
	grep -q "^vigil getevents: reconnecting to vigild$" "$T/ge.err"; then
	ok "when vigild stops the stream ends with UNAVAILABLE \"vigild is stopping\"; getevents says it reconnects"
else
	not_ok "when vigild stops the stream ends with UNAVAILABLE \"vigild is stopping\"; getevents says it reconnects" \
		"$(cat "$T/ge.err")"
fi
if [ ! -e "$SOCK" ]; then
	ok "the socket is removed at exit"
else
	not_ok "the socket is removed at exit" "$(ls -l "$SOCK")"
fi

# --- export filters, and getevents back after the restart ------------------------------------
cp "$VIGIL_TEST_BIN/execer" "$T/deny-me"
start_vigild --export-filename "$T/filtered.json" \
	--export-allowlist '{"event_set":["PROCESS_EXIT"]}
{"event_set":["PROCESS_EXEC"],"binary_regex":["deny-me$"]}' \
	--export-denylist '{"arguments_regex":["secret"]}' || { cleanup; exit 1; }
i=0
while [ $i -lt 100 ] && ! grep -q "connected to vigild again" "$T/ge.err"; do
	mark reconnect
	sleep 0.1
	i=$((i + 1))
done
mark after-restart
"$T/deny-me" path true true exported
"$T/deny-me" path true true secret
if wait_for "$GE" "any(.[]; .process_exec.process.arguments == \"path true true after-restart\")" 10 &&
	grep -q "^vigil getevents: connected to vigild again$" "$T/ge.err"; then
	ok "getevents says it is connected again after the restart and streams on"
else
	not_ok "getevents says it is connected again after the restart and streams on" "$(cat "$T/ge.err")"
fi
wait_for "$GE" "any(.[]; .process_exit.process.arguments == \"secret\")" 10
stop_vigild
check "--export-allowlist and --export-denylist: only exits, and the execs of deny-me, none with 'secret'" \
	"length > 0 and all(.[]; (.process_exit != null or .process_exec.process.binary == \"$T/deny-me\") and
	 ((.process_exec // .process_exit).process.arguments // \"\" | test(\"secret\") | not)) and
	 any(.[]; .process_exec.process.arguments == \"path true true exported\") and
	 any(.[]; .process_exit.process.arguments == \"after-restart\")" "$T/filtered.json"
check "the API's stream is not filtered by the export filters" \
	"any(.[]; .process_exec.process.arguments == \"path true true secret\")" "$GE"
"$VIGILD" --export-filename "$T/x.json" --export-allowlist '{"event_set":["PROCESS_EXIT"],"bogus":1}' \
	>/dev/null 2>"$T/badfilter.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^vigild: --export-allowlist: line 1: .*bogus" "$T/badfilter.err"; then
	ok "a filter that does not parse stops vigild at start, naming the option, the line and the field"
else
	not_ok "a filter that does not parse stops vigild at start, naming the option, the line and the field" \
		"status $rc: $(cat "$T/badfilter.err")"
fi
kill "$GPID" "$CPID" 2>/dev/null
wait "$GPID"
rc=$?
GPID=
CPID=
if [ "$rc" -eq 0 ]; then
	ok "getevents ends with status 0 on SIGTERM"
else
	not_ok "getevents ends with status 0 on SIGTERM" "status $rc"
fi
cleanup
