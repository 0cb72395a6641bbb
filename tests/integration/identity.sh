#!/bin/sh
# Process identity an attacker cannot hide and a restart cannot change:
# - a binary run through an fd, /proc/self/fd, /dev/fd, /proc/self/exe,
#   execveat or a memfd is reported as the real file, not as the name given
#   to exec; fileless and setuid execution fill binary_properties;
# - a binary deeper than the path walk keeps its leaf, cut on the root side;
# - an exec whose paths fill the event's data area exactly is still reported;
# - an orphan that execs after its parent exited keeps its parent;
# - a process keeps exec_id, binary and start_time across an agent restart
#   (and exec_id and start_time across a crash);
# - records whose exit event was lost are dropped by the cache sweep.
set -u
. "$(dirname "$0")/common.inc"

X="$VIGIL_TEST_BIN/execer"
EV="$T/events.json"
chmod 755 "$T" # the setuid case runs as nobody
cp /bin/true "$T/suid-true"
chmod 4755 "$T/suid-true"
TRUE_REAL=$(readlink -f /bin/true)

start_vigild --export-filename "$EV" || { finish; exit 1; }
"$X" fd /bin/true true vigil-id-fd
"$X" procfd /bin/true true vigil-id-procfd
"$X" devfd /bin/true true vigil-id-devfd
"$X" at /bin true true vigil-id-at
"$X" memfd /bin/true true vigil-id-memfd
"$X" deleted /bin/true "$T/gone" true vigil-id-deleted
"$X" selfexe execer selfexe
"$X" asuser 65534 "$T/suid-true" true vigil-id-suid
"$X" asuser 65534 /bin/true true vigil-id-nosuid
# A binary 60 directories of 100-character names deep, run as ./true.
DEEP=$(printf 'd%099d' 0)
(cd "$T" && "$X" deep 60 "$DEEP" true /bin/true true vigil-id-deep)
# 255-character names all the way: the walked binary and cwd fill the data
# area to its last byte (no room is left for the arguments).
FULL_D=$(printf 'f%0254d' 0)
FULL_L=$(printf 'l%0254d' 0)
(cd "$T" && "$X" deep 50 "$FULL_D" "$FULL_L" /bin/true true vigil-id-full)
# An orphan: its parent is gone when it execs.
/bin/sh -c 'echo $$ > '"$T"'/orphan-parent; ( sleep 0.3; exec /bin/true vigil-id-orphan ) & exit 0'
sleep 1
stop_vigild

ex() { echo "map(select(.process_exec.process.arguments == \"$1\"))[0].process_exec.process"; }
for how in fd procfd devfd at; do
	check "exec through $how reports the real file" \
		"$(ex vigil-id-$how) | .binary == \"$TRUE_REAL\" and (has(\"binary_properties\") | not)" "$EV"
done
check "exec of /proc/self/exe reports the real file" \
	"map(select(.process_exec.process.arguments == \"execer selfexe\"))[0].process_exec.process.binary == \"$X\"" "$EV"
check "a memfd exec is reported as the memfd, marked fileless (links 0)" \
	"$(ex vigil-id-memfd) | (.binary | startswith(\"/memfd:vigil-memfd\")) and .binary_properties.file.inode.links == 0 and (.binary_properties.file.inode.number | tonumber > 0)" "$EV"
check "a deleted binary is reported by its path, marked links 0" \
	"$(ex vigil-id-deleted) | .binary == \"$T/gone\" and .binary_properties.file.inode.links == 0" "$EV"
check "a setuid-root binary run by nobody reports setuid 0 and the raised privilege" \
	"$(ex vigil-id-suid) | .binary_properties.setuid == 0 and .binary_properties.privileges_changed == [\"PRIVILEGES_RAISED_EXEC_FILE_SETUID\"] and .uid == 65534 and .process_credentials.euid == 0" "$EV"
check "a plain binary run by nobody has no binary_properties" \
	"$(ex vigil-id-nosuid) | .uid == 65534 and (has(\"binary_properties\") | not)" "$EV"
check "a binary deeper than the walk keeps its leaf, is cut on the root side and flagged" \
	"$(ex vigil-id-deep) | (.binary | startswith(\".../\") and endswith(\"/$DEEP/true\")) and (.flags | test(\"errorFilename\"))" "$EV"
check "an exec whose paths fill the data area is reported, leaf kept, arguments flagged" \
	"map(select(.process_exec.process.binary // \"\" | endswith(\"/$FULL_D/$FULL_L\")))[0].process_exec.process | (.cwd | endswith(\"/$FULL_D\")) and (.flags | test(\"truncArgs\"))" "$EV"
check "no event was malformed" '.[0].malformed == 0' "$T/stats.json"
OP=$(cat "$T/orphan-parent")
check "an orphan's exec names the parent that exited before it" \
	"$(ex vigil-id-orphan) as \$p | map(select(.process_exec.process.arguments == \"vigil-id-orphan\"))[0].process_exec.parent | .pid == $OP and .binary == \"/bin/sh\" and .exec_id == \$p.parent_exec_id" "$EV"
check "an orphan's exit names that parent too" \
	"map(select(.process_exit.process.arguments == \"vigil-id-orphan\"))[0].process_exit.parent.pid == $OP" "$EV"

# Restart: the same process, the same identity.
start_vigild --export-filename "$T/r1.json" || { finish; exit 1; }
/bin/sleep 600 &
SLEEP=$!
sleep 0.3
stop_vigild
start_vigild --export-filename "$T/r2.json" || { kill "$SLEEP"; finish; exit 1; }
kill "$SLEEP"
wait "$SLEEP" 2>/dev/null
stop_vigild
# same_identity NAME EXEC_FILE EXIT_FILE PID JQ_CONDITION ($e: the exec's process)
same_identity() {
	if jq -e -n --slurpfile e "$2" --slurpfile x "$3" \
		"[\$e[] | select(.process_exec.process.pid == $4)][0].process_exec.process as \$e | [\$x[] | select(.process_exit.process.pid == $4)][0].process_exit.process | $5" >/dev/null 2>&1; then
		ok "$1"
	else
		not_ok "$1" "jq condition '$5' false for pid $4 in $2 and $3"
	fi
}
same_identity "after a restart the exit carries the exec's exec_id, binary, start_time and parent" \
	"$T/r1.json" "$T/r2.json" "$SLEEP" \
	'.exec_id == $e.exec_id and .binary == "/bin/sleep" and .start_time == $e.start_time and .parent_exec_id == $e.parent_exec_id and .arguments == "600"'

# Crash: no records saved, but the pinned table keeps exec_id and start_time.
start_vigild --export-filename "$T/c1.json" || { finish; exit 1; }
/bin/sleep 601 &
SLEEP=$!
sleep 0.3
kill -KILL "$VPID"
wait "$VPID" 2>/dev/null
start_vigild --export-filename "$T/c2.json" || { kill "$SLEEP"; finish; exit 1; }
kill "$SLEEP"
wait "$SLEEP" 2>/dev/null
stop_vigild
same_identity "after a crash the exit still carries the exec's exec_id and start_time" \
	"$T/c1.json" "$T/c2.json" "$SLEEP" '.exec_id == $e.exec_id and .start_time == $e.start_time'

# Lost exits: long-lived processes whose exit events cannot fit in a full
# ring buffer leave records that the sweep must drop, and only those.
start_vigild --export-filename "$T/gc.json" --rb-size 32768 --process-cache-gc-interval 200ms ||
	{ finish; exit 1; }
KEEP=
i=0
while [ $i -lt 20 ]; do
	/bin/sleep 300 &
	KEEP="$KEEP $!"
	i=$((i + 1))
done
/bin/sleep 301 &
SURVIVOR=$!
sleep 0.5
kill -STOP "$VPID"
i=0
while [ $i -lt 300 ]; do
	/bin/true vigil-gc-filler
	i=$((i + 1))
done
# shellcheck disable=SC2086 # a list of pids
kill $KEEP
for p in $KEEP; do wait "$p" 2>/dev/null; done
kill -CONT "$VPID"
sleep 1.5
kill "$SURVIVOR"
wait "$SURVIVOR" 2>/dev/null
sleep 0.3
stop_vigild
check "records of processes whose exit was lost are swept" '.[0].cache.swept >= 20' "$T/stats.json"
check "a live process is not swept: its exit still names it" \
	"map(select(.process_exit.process.pid == $SURVIVOR))[0].process_exit.process | .binary == \"/bin/sleep\" and .arguments == \"301\"" "$T/gc.json"
finish
