#!/bin/sh
# Output faults must not switch monitoring off: a full file system under the
# export file, stdout on /dev/full, a reader that goes away, log rotation with
# SIGHUP, a symlink planted at the export path, private file modes and a
# stats file that cannot be written.  vigild keeps running, names the real
# error once, counts what it could not write, never leaves a torn line, and
# says when it writes again.
set -u
. "$(dirname "$0")/common.inc"

M="$T/full"
MOUNTED=

# Nothing may stay mounted, whatever happens: vigild first (it holds the
# export file open), then the tmpfs.
cleanup() {
	if [ -n "$VPID" ]; then
		kill -KILL "$VPID" 2>/dev/null
		wait "$VPID" 2>/dev/null
		VPID=
	fi
	if [ -n "$MOUNTED" ]; then
		umount "$M" 2>/dev/null || umount -l "$M"
		MOUNTED=
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds
wait_until() {
	n=$(($1 * 10))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# has_event ARGUMENTS FILE: FILE holds an event of a process with these arguments
has_event() {
	[ -f "$2" ] && grep -qF "\"arguments\":\"$1\"" "$2"
}

# whole_lines NAME FILE: FILE ends with a newline and every line is a JSON object
whole_lines() {
	if jq -R -s -e 'endswith("\n") and (split("\n")[:-1] | length > 0 and
	    (map(try (fromjson | type == "object") catch false) | all))' "$2" >/dev/null 2>&1; then
		ok "$1"
	else
		not_ok "$1" "a torn or unparsable line, or no final newline, in $2: $(tail -c 300 "$2")"
	fi
}

# run_to_exit ARGS...: run vigild, which must end by itself before it is
# ready; RC is its exit status, or "ready" / "timeout" (then it was killed)
run_to_exit() {
	"$VIGILD" --node-name "$NODE" "$@" >"$T/run.out" 2>"$T/run.err" &
	pid=$!
	i=0
	RC=
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if grep -q '^vigild: ready$' "$T/run.err"; then
			RC=ready
		elif [ $i -gt 1200 ]; then
			RC=timeout
		fi
		if [ -n "$RC" ]; then
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return
		fi
		sleep 0.1
	done
	wait "$pid"
	RC=$?
}

# (a) The export file's file system fills up, then space returns.  A filler
# file made first takes all but 16 KiB; removing it gives 4 MiB back, room
# for thousands of events, so that other activity on the machine cannot fill
# it again before the marker is written.
part_full_file_system() {
	mkdir "$M"
	if ! mount -t tmpfs -o size=4m tmpfs "$M"; then
		not_ok "a 4 MiB tmpfs for the export file is mounted" "mount -t tmpfs failed"
		return
	fi
	MOUNTED=1
	if ! dd if=/dev/zero of="$M/filler" bs=4096 count=1020 2>/dev/null; then
		not_ok "a filler file takes all but 16 KiB of the tmpfs" "dd failed"
		return
	fi
	EV="$M/x.json"
	start_vigild --export-filename "$EV" || return
	i=0
	while [ $i -lt 300 ]; do
		/bin/true vigil-full-marker
		i=$((i + 1))
	done
	sleep 1
	if kill -0 "$VPID" 2>/dev/null; then
		ok "vigild keeps running when the export file system is full"
	else
		not_ok "vigild keeps running when the export file system is full" \
			"vigild exited: $(cat "$T/stderr")"
	fi
	n=$(grep -cF "No space left on device" "$T/stderr")
	if [ "$n" -eq 1 ] && grep -qF "export file $EV: No space left on device" "$T/stderr"; then
		ok "vigild names ENOSPC and the export file once"
	else
		not_ok "vigild names ENOSPC and the export file once" \
			"$n such lines in: $(tail -c 1500 "$T/stderr")"
	fi
	whole_lines "on a full file system the export file holds only whole lines" "$EV"

	rm -f "$M/filler"
	i=0
	while [ $i -lt 50 ] && ! has_event vigil-after-full "$EV"; do
		/bin/true vigil-after-full
		sleep 0.2
		i=$((i + 1))
	done
	if has_event vigil-after-full "$EV"; then
		ok "events reach the export file again once space returns"
	else
		not_ok "events reach the export file again once space returns" \
			"no vigil-after-full event in $EV"
	fi
	# The line goes to stderr just after the write that succeeded: wait for it.
	if wait_until 10 grep -q "export file .*: writing again after [1-9][0-9]* events* dropped" "$T/stderr"; then
		ok "vigild says it writes again, with the number of events dropped"
	else
		not_ok "vigild says it writes again, with the number of events dropped" \
			"stderr: $(tail -c 1500 "$T/stderr")"
	fi
	stop_vigild
	whole_lines "after the outage the export file still holds only whole lines" "$EV"
	check "the stats file counts the events the export file could not take" \
		'.[0].output.export.dropped > 0' "$T/stats.json"
	cleanup
}

# (b) stdout is /dev/full; the export file must still get every event.
part_stdout_dev_full() {
	EV="$T/b.json"
	# start_vigild sends stdout to $T/stdout: make that /dev/full.
	rm -f "$T/stdout"
	ln -s /dev/full "$T/stdout"
	start_vigild --output json --export-filename "$EV" || {
		rm -f "$T/stdout"
		return
	}
	/bin/true vigil-devfull-marker
	if wait_until 10 has_event vigil-devfull-marker "$EV"; then
		ok "with stdout on /dev/full the export file gets the events"
	else
		not_ok "with stdout on /dev/full the export file gets the events" "not in $EV"
	fi
	/bin/true vigil-devfull-marker-2
	wait_until 10 has_event vigil-devfull-marker-2 "$EV"
	if kill -0 "$VPID" 2>/dev/null; then
		ok "vigild keeps running with stdout on /dev/full"
	else
		not_ok "vigild keeps running with stdout on /dev/full" \
			"vigild exited: $(cat "$T/stderr")"
	fi
	n=$(grep -cF "stdout: No space left on device" "$T/stderr")
	if [ "$n" -eq 1 ]; then
		ok "vigild names ENOSPC on stdout once"
	else
		not_ok "vigild names ENOSPC on stdout once" \
			"$n such lines in: $(tail -c 1500 "$T/stderr")"
	fi
	# How vigild exits after dropping events is not asserted here.
	kill -TERM "$VPID" 2>/dev/null
	wait "$VPID"
	VPID=
	rm -f "$T/stdout"
	whole_lines "with stdout on /dev/full the export file holds only whole lines" "$EV"
	check "the stats file counts the events stdout could not take" \
		'.[0].output.stdout.dropped > 0 and .[0].output.export.dropped == 0' "$T/stats.json"
}

# (c) vigild | head -n 3: stdout is the only output, so vigild ends, cleanly.
part_reader_gone() {
	rm -f "$T/c.pid" "$T/c.rc" "$T/c.ready"
	(
		"$VIGILD" --node-name "$NODE" --output json --ready-file "$T/c.ready" \
			2>"$T/c.err" &
		echo $! >"$T/c.pid"
		wait $!
		echo $? >"$T/c.rc"
	) | head -n 3 >"$T/c.out" &
	HPID=$!
	i=0
	while [ ! -s "$T/c.ready" ] && [ ! -f "$T/c.rc" ] && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	i=0
	while [ ! -f "$T/c.rc" ] && [ $i -lt 50 ]; do
		/bin/true vigil-head-marker
		sleep 0.2
		i=$((i + 1))
	done
	if [ -f "$T/c.rc" ] && [ "$(cat "$T/c.rc")" = 0 ]; then
		ok "vigild | head -n 3 ends vigild with status 0 once head is gone"
	elif [ -f "$T/c.rc" ]; then
		not_ok "vigild | head -n 3 ends vigild with status 0 once head is gone" \
			"exit status $(cat "$T/c.rc"): $(head -c 1000 "$T/c.err")"
	else
		not_ok "vigild | head -n 3 ends vigild with status 0 once head is gone" \
			"vigild still runs 10 s after head exited"
		[ -s "$T/c.pid" ] && kill -KILL "$(cat "$T/c.pid")" 2>/dev/null
	fi
	wait "$HPID"
	if [ "$(wc -l <"$T/c.out")" -eq 3 ]; then
		ok "head got three lines"
	else
		not_ok "head got three lines" "got $(wc -l <"$T/c.out")"
	fi
}

# (d) log rotation: the file is moved aside, SIGHUP opens the path again;
# (f) every export file vigild creates is mode 600, whatever the umask.
part_rotation() {
	EV="$T/d.json"
	um=$(umask)
	umask 000
	start_vigild --export-filename "$EV" || {
		umask "$um"
		return
	}
	umask "$um"
	if [ "$(stat -c %a "$EV")" = 600 ]; then
		ok "the export file is created mode 600"
	else
		not_ok "the export file is created mode 600" "mode $(stat -c %a "$EV")"
	fi
	/bin/true vigil-hup-before
	wait_until 10 has_event vigil-hup-before "$EV"
	mv "$EV" "$EV.1"
	kill -HUP "$VPID"
	if ! wait_until 10 test -e "$EV"; then
		not_ok "SIGHUP creates a new export file at the path" "no $EV after 10 s"
	fi
	/bin/true vigil-hup-after
	if wait_until 10 has_event vigil-hup-after "$EV"; then
		ok "after SIGHUP the new export file gets the events"
	else
		not_ok "after SIGHUP the new export file gets the events" "not in $EV"
	fi
	if has_event vigil-hup-before "$EV.1"; then
		ok "events before SIGHUP stay in the file moved aside"
	else
		not_ok "events before SIGHUP stay in the file moved aside" "not in $EV.1"
	fi
	if kill -0 "$VPID" 2>/dev/null; then
		ok "vigild keeps running after SIGHUP"
	else
		not_ok "vigild keeps running after SIGHUP" "vigild exited: $(cat "$T/stderr")"
	fi
	if [ -e "$EV" ] && [ "$(stat -c %a "$EV")" = 600 ]; then
		ok "the export file reopened on SIGHUP is mode 600"
	else
		not_ok "the export file reopened on SIGHUP is mode 600" "no $EV, or another mode"
	fi
	stop_vigild
}

# (e) a symlink planted at the export path is refused at start.
part_symlink() {
	ln -s "$T/e-target" "$T/e.json"
	run_to_exit --export-filename "$T/e.json" --output none --ready-file "$T/e.ready"
	if [ "$RC" != ready ] && [ "$RC" != timeout ] && [ "$RC" -ne 0 ] &&
		grep -qF "$T/e.json" "$T/run.err" && grep -q "symbolic link" "$T/run.err"; then
		ok "a symlink at the export path is refused at start, naming the path"
	else
		not_ok "a symlink at the export path is refused at start, naming the path" \
			"status $RC: $(head -c 1000 "$T/run.err")"
	fi
	if [ -e "$T/e-target" ]; then
		not_ok "the symlink at the export path is not followed" "$T/e-target exists"
	else
		ok "the symlink at the export path is not followed"
	fi
}

# (g) a stats file that cannot be created stops vigild before it is ready.
part_stats_unwritable() {
	run_to_exit --stats-file "$T/nodir/stats.json" --output json --ready-file "$T/g.ready"
	if [ "$RC" != ready ] && [ "$RC" != timeout ] && [ "$RC" -ne 0 ] &&
		grep -qF "$T/nodir/stats.json" "$T/run.err"; then
		ok "a stats file in a missing directory fails the start, naming the path"
	else
		not_ok "a stats file in a missing directory fails the start, naming the path" \
			"status $RC: $(head -c 1000 "$T/run.err")"
	fi
}

part_full_file_system
part_stdout_dev_full
part_reader_gone
part_rotation
part_symlink
part_stats_unwritable
cleanup
finish
