# tests/bench/lib/bpftrace.sh - hooks for configurations that run a bpftrace one-liner
# (sourced by a .conf).
#
# The configuration sets BPFTRACE_PROG_<workload>: the probe(s) to run, printing one line per
# event in the normalized form of bench_count_events ("exec PID PPID BINARY", "open PID PATH",
# "connect PID").  They are run as
#   bpftrace --unsafe -o FILE PROGFILE     (PROGFILE: BEGIN { system("touch READY"); } PROG)
# with bpftrace's default (full) output buffering, the way `bpftrace -o FILE -e ...` is used.
# --unsafe is only for system() in BEGIN: BEGIN runs once every probe is attached, so the file
# it creates tells us bpftrace is ready (its output file is not flushed until exit).
# Only tracepoints: kprobes and fentry are not available on every kernel we bench.

BPFTRACE_READY_TIMEOUT=${BPFTRACE_READY_TIMEOUT:-120}

cfg_check() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root"; return 1; }
	command -v bpftrace >/dev/null 2>&1 || { echo "bpftrace not installed (scripts/install-deps.sh --bench)"; return 1; }
	[ -d /sys/kernel/tracing/events/syscalls ] || [ -d /sys/kernel/debug/tracing/events/syscalls ] ||
		{ echo "no tracefs with syscall tracepoints"; return 1; }
	return 0
}

cfg_start() {
	local d=$RUN_DIR/bpftrace var rc
	var="BPFTRACE_PROG_${WORKLOAD}"
	[ -n "${!var:-}" ] || { echo "no bpftrace program for workload $WORKLOAD ($var)"; return 1; }
	mkdir -p "$d"
	# bpftrace strings are 64 bytes at most: the ready file gets a short name.
	BT_READY=/tmp/vigil-bench-bt.$BASHPID
	rm -f "$d"/out "$BT_READY"
	printf 'BEGIN { system("touch %s"); }\n%s\n' "$BT_READY" "${!var}" >"$d/prog.bt"
	bpftrace --unsafe -o "$d/out" "$d/prog.bt" >"$d/stdout" 2>"$d/stderr" </dev/null &
	AGENT_PID=$!
	echo "$AGENT_PID" >"$RUN_DIR/agent.pids"
	bench_wait_until "$BPFTRACE_READY_TIMEOUT" "$AGENT_PID" test -e "$BT_READY"
	rc=$?
	rm -f "$BT_READY"
	if [ "$rc" -ne 0 ]; then
		[ "$rc" -eq 2 ] && wait "$AGENT_PID"
		echo "bpftrace not ready (rc $rc): $(grep -v RLIMIT_MEMLOCK "$d/stderr" | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
	return 0
}

cfg_stop() {
	kill -INT "$AGENT_PID" 2>/dev/null
	if ! bench_wait_until 60 "" eval "! kill -0 $AGENT_PID 2>/dev/null"; then
		kill -KILL "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
		echo "bpftrace did not exit within 60s of SIGINT (killed)"
		return 1
	fi
	wait "$AGENT_PID" 2>/dev/null
	return 0
}

cfg_events() {
	local f=$RUN_DIR/bpftrace/out
	[ -f "$f" ] || return 0
	grep -E '^(exec|open|connect) ' "$f"
}

# bpftrace reports perf-buffer loss as "Lost N events" lines.
cfg_lost() {
	local d=$RUN_DIR/bpftrace
	cat "$d/out" "$d/stdout" "$d/stderr" 2>/dev/null |
		awk '/^Lost [0-9]+ events/ { n += $2 } END { printf "{\"total\":%d}\n", n }'
}

cfg_output_bytes() { stat -c %s "$RUN_DIR/bpftrace/out" 2>/dev/null || echo null; }

cfg_cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$RUN_DIR/bpftrace/out"; }
