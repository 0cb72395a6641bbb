#!/bin/sh
# Process lifecycle events end to end: exec, fork (clone without exec) and
# exit, with binary, arguments, parent, exit status and signal, on whatever
# kernel this runs on.
set -u
. "$(dirname "$0")/common.inc"

EV="$T/events.json"
# 0. a process older than vigild: known only through /proc seeding
sleep 300 &
OLD=$!
start_vigild --export-filename "$EV" || { kill "$OLD"; finish; exit 1; }
kill "$OLD"
wait "$OLD" 2>/dev/null

# 1. exec with arguments, from a known parent (": " keeps a shell such as
#    busybox ash from exec-ing its last command in place of forking it)
/bin/sh -c 'echo $$ > '"$T"'/p1; /bin/true vigil-marker-1 "two words"; :'
# 2. exit status
/bin/sh -c 'echo $$ > '"$T"'/p2; exit 7'
# 3. killed by a signal
/bin/sh -c 'echo $$ > '"$T"'/p3; kill -9 $$' 2>/dev/null
# 4. a child that forks and never execs
/bin/sh -c 'echo $$ > '"$T"'/p4; (echo fork-only > /dev/null; exit 5); exit 0'
stop_vigild

P1=$(cat "$T/p1"); P2=$(cat "$T/p2"); P3=$(cat "$T/p3"); P4=$(cat "$T/p4")

if jq -e . "$EV" >/dev/null 2>&1 && [ -s "$EV" ]; then
	ok "every line of the export file parses as JSON"
else
	not_ok "every line of the export file parses as JSON" "jq rejected $EV"
fi

check "a process older than vigild exits with its /proc-seeded identity and parent" \
	"map(select(.process_exit.process.pid == $OLD)) | length == 1 and (.[0].process_exit | (.process.flags | test(\"procFS\")) and .signal == \"SIGTERM\" and (.process.binary | length > 0) and .process.arguments == \"300\" and .parent.pid == $$ and .process.parent_exec_id == .parent.exec_id)" "$EV"

E1='map(select(.process_exec.process.binary == "/bin/true" and .process_exec.process.arguments == "vigil-marker-1 \"two words\""))'
check "exec event names binary and arguments" "$E1 | length == 1" "$EV"
check "exec event names the parent by pid and binary" \
	"$E1 | .[0].process_exec.parent | .pid == $P1 and .binary == \"/bin/sh\"" "$EV"
check "exec event carries pid, tid, exec_id, start_time, cwd, creds and flags" \
	"$E1 | .[0].process_exec.process | (.pid > 0) and .tid == .pid and (.exec_id | length > 0) and (.start_time | test(\"^[0-9]{4}-\")) and (.cwd | startswith(\"/\")) and .uid == 0 and .process_credentials.euid == 0 and (.flags | test(\"execve\"))" "$EV"
check "exec_id is base64 of node:ktime:pid" \
	"$E1 | .[0].process_exec.process | (.exec_id | @base64d | split(\":\")) as \$f | \$f[0] == \"$NODE\" and (\$f[2] | tonumber) == .pid" "$EV"
check "parent_exec_id is the parent's exec_id" \
	"$E1 | .[0].process_exec | .process.parent_exec_id == .parent.exec_id" "$EV"
check "exec event carries namespaces marked is_host and capabilities" \
	"$E1 | .[0].process_exec.process | .ns.pid.is_host == true and .ns.mnt.is_host == true and (.ns.net.inum > 0) and (.cap.effective | index(\"CAP_SYS_ADMIN\") != null)" "$EV"
check "exec event has node_name and time" \
	"$E1 | .[0] | .node_name == \"$NODE\" and (.time | test(\"Z\$\"))" "$EV"
check "exit event matches the exec by exec_id with status 0" \
	"($E1 | .[0].process_exec.process.exec_id) as \$id | map(select(.process_exit.process.exec_id == \$id)) | length == 1 and (.[0].process_exit | has(\"status\") | not) and .[0].process_exit.signal == null" "$EV"
check "exit event reports exit status 7" \
	"map(select(.process_exit.process.pid == $P2)) | length == 1 and .[0].process_exit.status == 7 and .[0].process_exit.process.binary == \"/bin/sh\"" "$EV"
check "exit event reports SIGKILL" \
	"map(select(.process_exit.process.pid == $P3)) | length == 1 and .[0].process_exit.signal == \"SIGKILL\"" "$EV"
check "a forked child that never execs is reported with its parent" \
	"map(select(.process_exit.parent.pid == $P4 and (.process_exit.process.flags | test(\"clone\")))) | length == 1 and .[0].process_exit.status == 5 and .[0].process_exit.process.binary == \"/bin/sh\" and .[0].process_exit.process.pid != $P4" "$EV"
check "no exec event for the fork-only child" \
	"map(select(.process_exec.parent.pid == $P4)) | length == 0" "$EV"
check "stats file counts events and no loss" \
	'.[0] | .events.exec > 0 and .events.exit > 0 and .ringbuf_lost == 0' "$T/stats.json"

# Compact output: one human line per event on stdout.
start_vigild --output compact || { finish; exit 1; }
/bin/true vigil-compact-marker
/bin/sh -c 'exit 3'
stop_vigild
if grep -qx "🚀 process $NODE /bin/true vigil-compact-marker" "$T/stdout"; then
	ok "compact output prints the exec line"
else
	not_ok "compact output prints the exec line" "no such line in: $(head -c 2000 "$T/stdout")"
fi
if grep -q "^💥 exit    $NODE /bin/sh -c \"exit 3\" 3\$" "$T/stdout"; then
	ok "compact output prints the exit line with its status"
else
	not_ok "compact output prints the exit line with its status" "no such line in: $(head -c 2000 "$T/stdout")"
fi

# Lean lines: Tetragon's flags turn credentials and namespaces off.  With an
# export file and --output compact, both get every event.
start_vigild --export-filename "$T/lean.json" --output compact --enable-process-cred=false \
	--enable-process-ns=false || { finish; exit 1; }
/bin/true vigil-lean-marker
stop_vigild
check "--enable-process-cred=false and --enable-process-ns=false drop cap, process_credentials and ns" \
	'map(select(.process_exec.process.arguments == "vigil-lean-marker"))[0].process_exec | (.process | has("cap") or has("process_credentials") or has("ns") | not) and (.parent | has("ns") | not) and .process.binary == "/bin/true"' "$T/lean.json"
if grep -qx "🚀 process $NODE /bin/true vigil-lean-marker" "$T/stdout"; then
	ok "an export file and --output compact both get the event"
else
	not_ok "an export file and --output compact both get the event" "no compact line on stdout"
fi

finish
