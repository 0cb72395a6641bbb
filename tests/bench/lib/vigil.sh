# tests/bench/lib/vigil.sh - hooks for configurations that run vigild (sourced by a .conf).
#
# The agent runs the way users run it in audit mode: JSON events appended to a file,
# nothing on stdout:
#   vigild --export-filename FILE --output none --ready-file F --stats-file S [VIGIL_ARGS...]
# A configuration sets VIGIL_ARGS (a bash array) for anything more, e.g. a policy:
#   VIGIL_ARGS=(--policy "$BENCH_DIR/policies/never-match.yaml")

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

# Normalized events (see bench_count_events): every process_exec of the export file.
cfg_events() {
	local f=$RUN_DIR/vigil/events.json
	[ -f "$f" ] || return 0
	jq -r 'select(.process_exec != null) | .process_exec |
		"exec \(.process.pid) \(.parent.pid // 0) \(.process.binary // "")"' "$f"
}

# Events vigild itself says it lost (BPF ring buffer full, per kind, plus user-space loss).
cfg_lost() {
	local f=$RUN_DIR/vigil/stats.json
	[ -s "$f" ] || { echo null; return; }
	jq -c '{exec: (.lost.exec // 0), clone: (.lost.clone // 0), exit: (.lost.exit // 0),
		ringbuf: (.ringbuf_lost // 0),
		total: ((.lost.exec // 0) + (.lost.clone // 0) + (.lost.exit // 0))}' "$f" 2>/dev/null ||
		echo null
}

# Bytes the agent wrote (its output file).
cfg_output_bytes() { stat -c %s "$RUN_DIR/vigil/events.json" 2>/dev/null || echo null; }

cfg_cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$RUN_DIR/vigil/events.json"; }
