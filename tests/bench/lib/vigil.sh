# tests/bench/lib/vigil.sh - hooks for configurations that run vigild (sourced by a .conf).
#
# The agent runs the way users run it in audit mode: JSON events appended to a file,
# nothing on stdout:
#   vigild --export-filename FILE --output none --ready-file F --stats-file S [VIGIL_ARGS...]
# A configuration sets VIGIL_ARGS (a bash array) for anything more, e.g. a policy:
#   VIGIL_ARGS=(--tracing-policy "$RUN_DIR/policy.yaml")
# (lib/policy.sh writes the policies of the policy rows and sets that).

VIGIL_ARGS=()
VIGIL_READY_TIMEOUT=${VIGIL_READY_TIMEOUT:-120}

cfg_check() {
	[ -x "$BUILD/vigild" ] || { echo "$BUILD/vigild not built"; return 1; }
	[ "$(id -u)" -eq 0 ] || { echo "needs root (BPF)"; return 1; }
	return 0
}

cfg_start() {
	local d=$RUN_DIR/vigil rc
	mkdir -p "$d"
	rm -f "$d"/events.json "$d"/ready "$d"/stats.json
	"$BUILD/vigild" --export-filename "$d/events.json" --output none \
		--ready-file "$d/ready" --stats-file "$d/stats.json" "${VIGIL_ARGS[@]}" \
		>"$d/stdout" 2>"$d/stderr" </dev/null &
	AGENT_PID=$!
	echo "$AGENT_PID" >"$RUN_DIR/agent.pids"
	bench_wait_until "$VIGIL_READY_TIMEOUT" "$AGENT_PID" test -s "$d/ready"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		if [ "$rc" -eq 2 ]; then
			wait "$AGENT_PID"
			echo "vigild exited ($?) before it was ready: $(tail -n 3 "$d/stderr" | tr '\n' ' ')"
		else
			echo "vigild not ready after ${VIGIL_READY_TIMEOUT}s: $(tail -n 3 "$d/stderr" | tr '\n' ' ')"
		fi
		return 1
	fi
	return 0
}

cfg_stop() {
	local d=$RUN_DIR/vigil rc
	kill -TERM "$AGENT_PID" 2>/dev/null
	if ! bench_wait_until 60 "" eval "! kill -0 $AGENT_PID 2>/dev/null"; then
		kill -KILL "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
		echo "vigild did not exit within 60s of SIGTERM (killed)"
		return 1
	fi
	wait "$AGENT_PID"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "vigild exited $rc on SIGTERM: $(tail -n 3 "$d/stderr" | tr '\n' ' ')"
		return 1
	fi
	[ -s "$d/stats.json" ] || { echo "vigild wrote no stats file"; return 1; }
	return 0
}

# Normalized events (see bench_count_events): every process_exec of the export file, every
# event a policy posted (process_kprobe, process_lsm, process_tracepoint), and the network
# sensor's connects (its tcp_connect events) also as "connect PID".
cfg_events() {
	local f=$RUN_DIR/vigil/events.json
	[ -f "$f" ] || return 0
	jq -r 'if .process_exec != null then .process_exec |
		"exec \(.process.pid) \(.parent.pid // 0) \(.process.binary // "")"
	       else (.process_kprobe // .process_lsm // .process_tracepoint) |
		select(. != null) | ("policy \(.process.pid) \(.parent.pid // 0) \(.policy_name // "")",
		(select(.policy_name == "connect" and .function_name == "tcp_connect") |
		 "connect \(.process.pid)"))
	       end' "$f"
}

# Events vigild itself says it lost (BPF ring buffer full, per kind, plus user-space loss).
cfg_lost() {
	local f=$RUN_DIR/vigil/stats.json
	[ -s "$f" ] || { echo null; return; }
	jq -c '{exec: (.lost.exec // 0), clone: (.lost.clone // 0), exit: (.lost.exit // 0),
		policy: (.lost.policy // 0), ringbuf: (.ringbuf_lost // 0),
		total: ((.lost.exec // 0) + (.lost.clone // 0) + (.lost.exit // 0) +
			(.lost.policy // 0))}' "$f" 2>/dev/null ||
		echo null
}

# Kernel memory of the loaded policies, KiB (vigild logs "tracing policy NAME loaded (...,
# N KiB of kernel memory)" for each), or null if it loaded none.
cfg_policy_kib() {
	sed -n 's/.*tracing policy .* loaded (.*, \([0-9]*\) KiB of kernel memory).*/\1/p' \
		"$RUN_DIR/vigil/stderr" 2>/dev/null | awk '{ s += $1; n++ } END { print n ? s : "null" }'
}

# Bytes the agent wrote (its output file).
cfg_output_bytes() { stat -c %s "$RUN_DIR/vigil/events.json" 2>/dev/null || echo null; }

cfg_cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$RUN_DIR/vigil/events.json"; }
