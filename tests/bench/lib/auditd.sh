# tests/bench/lib/auditd.sh - hooks for configurations that run Debian's auditd (sourced by a
# .conf).
#
# auditd runs with Debian's stock /etc/audit/auditd.conf (log_format ENRICHED, flush
# INCREMENTAL_ASYNC, freq 50, ...) except for two lines: log_file is the run directory (local
# disk) and max_log_file_action is IGNORE, because the stock ROTATE at 8 MB with 5 logs would
# delete records of a large run before we count them.  The kernel side gets Debian's stock
# /etc/audit/rules.d/audit.rules settings (-b 8192 --backlog_wait_time 60000 -f 1) and then the
# configuration's rules for the workload (AUDIT_RULES_<workload>, one auditctl rule per line,
# written as in a rules file; every rule should carry -k vigil-bench).
#
# Between runs the harness keeps the audit subsystem neutral (bench_audit_neutral): no rules
# but "-a task,never", auditing disabled; otherwise every process would carry a syscall audit
# context once auditd has been started once, and the bare baseline would pay for it.

AUDIT_PRE_RULES=("-b 8192" "--backlog_wait_time 60000" "-f 1")
AUDIT_READY_TIMEOUT=${AUDIT_READY_TIMEOUT:-30}

audit_status() { auditctl -s 2>/dev/null | awk -v k="$1" '$1 == k { print $2 }'; }

cfg_check() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root"; return 1; }
	command -v auditd >/dev/null 2>&1 && command -v auditctl >/dev/null 2>&1 ||
		{ echo "auditd not installed (scripts/install-deps.sh --bench)"; return 1; }
	auditctl -s >/dev/null 2>&1 || { echo "auditctl -s fails: no kernel audit support?"; return 1; }
	[ "${BENCH_AUDIT_OWNED:-0}" = 1 ] ||
		{ echo "another auditd is running (pid $(audit_status pid)); stop it to bench auditd"; return 1; }
	return 0
}

cfg_start() {
	local d=$RUN_DIR/auditd rule var kpid rc
	var="AUDIT_RULES_${WORKLOAD}"
	[ -n "${!var:-}" ] || { echo "no audit rules for workload $WORKLOAD ($var)"; return 1; }
	mkdir -p "$d"
	chmod 0750 "$d"
	rm -f "$d"/audit.log*
	sed -e "s|^log_file *=.*|log_file = $d/audit.log|" \
		-e 's|^max_log_file_action *=.*|max_log_file_action = IGNORE|' \
		/etc/audit/auditd.conf >"$d/auditd.conf" || { echo "cannot write $d/auditd.conf"; return 1; }
	chmod 0640 "$d/auditd.conf"
	auditctl -D >/dev/null || { echo "auditctl -D failed"; return 1; }
	auditd -c "$d" -n >"$d/stdout" 2>"$d/stderr" </dev/null &
	AGENT_PID=$!
	bench_wait_until "$AUDIT_READY_TIMEOUT" "$AGENT_PID" eval '[ "$(audit_status pid)" = "$AGENT_PID" ]'
	rc=$?
	if [ "$rc" -ne 0 ]; then
		[ "$rc" -eq 2 ] && wait "$AGENT_PID"
		echo "auditd did not register with the kernel (rc $rc): $(tail -n 3 "$d/stderr" | tr '\n' ' ')"
		return 1
	fi
	for rule in "${AUDIT_PRE_RULES[@]}"; do
		# shellcheck disable=SC2086
		auditctl $rule >/dev/null || { echo "auditctl $rule failed"; return 1; }
	done
	while IFS= read -r rule; do
		rule=${rule%%#*}
		[ -n "${rule// /}" ] || continue
		# shellcheck disable=SC2086
		auditctl $rule >>"$d/rules.out" 2>&1 || { echo "auditctl $rule failed: $(tail -n 1 "$d/rules.out")"; return 1; }
	done <<<"${!var}"
	auditctl -l >"$d/rules.loaded"
	audit_status lost >"$d/lost.before"
	kpid=$(pgrep -x kauditd | head -n 1)
	# CPU is charged to auditd and to the kernel thread that feeds it.
	echo "$AGENT_PID${kpid:+ $kpid}" >"$RUN_DIR/agent.pids"
	return 0
}

cfg_settle() {
	# The kernel backlog must be empty, then auditd idle.
	bench_wait_until 60 "" eval '[ "$(audit_status backlog)" = 0 ]' ||
		bench_warn "audit backlog not empty after 60s"
	bench_settle "$AGENT_PID"
}

cfg_stop() {
	local d=$RUN_DIR/auditd rc=0
	audit_status lost >"$d/lost.after"
	auditctl -D >/dev/null
	kill -TERM "$AGENT_PID" 2>/dev/null
	if ! bench_wait_until 60 "" eval "! kill -0 $AGENT_PID 2>/dev/null"; then
		kill -KILL "$AGENT_PID" 2>/dev/null
		echo "auditd did not exit within 60s of SIGTERM (killed)"
		rc=1
	fi
	wait "$AGENT_PID" 2>/dev/null
	bench_audit_neutral
	return "$rc"
}

# Normalized events from the audit log: SYSCALL records (execve 59 / execveat 322 that
# succeeded; connect 42) and, for open (2) / openat (257) / openat2 (437), the name of the
# PATH record item=0 of the same event (same serial).
cfg_events() {
	local f=$RUN_DIR/auditd/audit.log
	[ -f "$f" ] || return 0
	awk '
	function field(k,   i, n, a) {
		for (i = 2; i <= NF; i++)
			if (index($i, k "=") == 1)
				return substr($i, length(k) + 2)
		return ""
	}
	function serial(   s) {
		s = $2; sub(/^msg=audit\([0-9.]+:/, "", s); sub(/\).*$/, "", s); return s
	}
	$1 == "type=SYSCALL" {
		sc = field("syscall")
		if (sc == 59 || sc == 322) {
			if (field("success") == "yes") print "exec", field("pid"), field("ppid"), field("exe")
		} else if (sc == 42) {
			print "connect", field("pid")
		} else if (sc == 2 || sc == 257 || sc == 437) {
			pend[serial()] = field("pid")
		}
		next
	}
	$1 == "type=PATH" && field("item") == "0" {
		s = serial()
		if (s in pend) {
			n = field("name"); gsub(/"/, "", n)
			print "open", pend[s], n
			delete pend[s]
		}
	}' "$f"
}

cfg_lost() {
	local d=$RUN_DIR/auditd a b
	a=$(cat "$d/lost.before" 2>/dev/null)
	b=$(cat "$d/lost.after" 2>/dev/null)
	[ -n "$a" ] && [ -n "$b" ] || { echo null; return; }
	echo "{\"total\":$((b - a))}"
}

cfg_output_bytes() { stat -c %s "$RUN_DIR/auditd/audit.log" 2>/dev/null || echo null; }

cfg_cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$RUN_DIR"/auditd/audit.log*; }
