#!/bin/sh
# /vigil/bench/guest-bench.sh - the benchmark inside the VM (see tests/bench/vm.sh).
# POSIX sh (busybox ash): runs every workload under every configuration of
# /vigil/bench/vm-configs, REPS rounds interleaved (round r: bare: all workloads; vigil: one
# agent start, all workloads, stop; ...), and prints one
#   VIGIL-BENCH-RESULT {"kernel":..,"workload":..,"config":..,"rep":..,"ok":..,"wall_s":..,...}
# line per run on stdout.  Parameters come from /vigil/bench/params (REPS, WORKLOADS, N_EXEC,
# N_OPEN, N_CONNECT, N_MIXED, READY_TIMEOUT).  Under emulation absolute times mean nothing:
# the host keeps only the ratios.
set -u

B=${VIGIL_BENCH_DIR:-/vigil/bench}
REPS=5
WORKLOADS="exec_storm open_storm connect_storm mixed"
N_EXEC=300 N_OPEN=50000 N_CONNECT=4000 N_MIXED=15 READY_TIMEOUT=300
# shellcheck disable=SC1091
[ -f "$B/params" ] && . "$B/params"
KERNEL=$(uname -r)
# mixed.sh counts one exec per external command.  busybox ash runs many applets in-process
# (no exec), so the count is only right under a shell that always execs: bash (the VM suite's
# initramfs has it) or dash.
MIXED_SH=/bin/sh
for s in /bin/bash /usr/bin/bash /bin/dash; do
	if [ -x "$s" ]; then MIXED_SH=$s; break; fi
done

uptime_s() { read -r u _ </proc/uptime; echo "$u"; }

workload_cmd() {
	case "$1" in
	exec_storm) echo "$B/bin/exec_storm -n $N_EXEC" ;;
	open_storm) echo "$B/bin/open_storm -n $N_OPEN /tmp/bench-open-target" ;;
	connect_storm) echo "$B/bin/connect_storm -n $N_CONNECT --cpu 0" ;;
	mixed) echo "$MIXED_SH $B/mixed.sh -n $N_MIXED --bin $B/bin --dir /tmp/bench-mixed" ;;
	esac
}
# expected count of KIND events from the workload JSON (empty: not countable)
workload_expected() { # WORKLOAD KIND FILE
	case "$1:$2" in
	exec_storm:exec) jq -r .done "$3" ;;
	mixed:exec) jq -r .execs "$3" ;;
	esac
}

echo "vigil bench data" >/tmp/bench-open-target
mkdir -p /tmp/bench-mixed

# emit WORKLOAD CONFIG REP ERR WALL READY KIND EXPECTED DELIVERED LOST: one result line
emit() {
	echo "VIGIL-BENCH-RESULT $(jq -nc --arg k "$KERNEL" --arg w "$1" --arg c "$2" --argjson rep "$3" \
		--arg err "$4" --arg wall "$5" --arg ready "$6" --arg kind "$7" --arg exp "$8" \
		--arg del "$9" --arg lost "${10}" \
		'def n: if . == "" then null else tonumber end;
		 {kernel: $k, workload: $w, config: $c, rep: $rep, ok: ($err == ""),
		  error: (if $err == "" then null else $err end), wall_s: ($wall | n),
		  ready_s: ($ready | n), agent_lost: ($lost | n),
		  events: (if $kind == "" or $exp == "" then null
			   else {kind: $kind, expected: ($exp | n), delivered: ($del | n)} end)}')"
}

# agent_start ROUNDDIR COMMAND...: start the agent, wait for its ready file.  Sets pid and
# ready (seconds) or err.
agent_start() {
	ad=$1
	shift
	cmd=$(echo "$*" | sed -e "s|@OUT@|$ad/events.json|g" -e "s|@READY@|$ad/ready|g" \
		-e "s|@STATS@|$ad/stats.json|g")
	t0=$(uptime_s)
	# shellcheck disable=SC2086
	$cmd >"$ad/agent.out" 2>"$ad/agent.err" </dev/null &
	pid=$!
	i=0
	# vigild creates its ready file at start and writes its pid into it once ready.
	while [ ! -s "$ad/ready" ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			err="agent exited before ready: $(tail -n 2 "$ad/agent.err" | tr '\n' ' ')"
			pid=""
			return 1
		fi
		i=$((i + 1))
		if [ "$i" -gt $((READY_TIMEOUT * 20)) ]; then
			err="agent not ready after ${READY_TIMEOUT}s"
			kill -KILL "$pid" 2>/dev/null
			pid=""
			return 1
		fi
		sleep 0.05
	done
	ready=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }')
}

# One round of one configuration: start its agent once, run every workload, stop it, then
# count each workload's events in the agent's output (a process tree per workload pid).
# Emulated agent start-up is slow (BPF verification under TCG), hence one start per round
# rather than per run; the rounds still alternate bare / agent / bare / agent.
round() { # REP NAME EVENTS COMMAND...
	rep=$1 name=$2 events=$3
	shift 3
	ad=/tmp/run/$name.$rep
	rm -rf "$ad"
	mkdir -p "$ad"
	err="" ready="" pid="" lost=""
	[ "$1" != - ] && agent_start "$ad" "$@"
	agent_err=$err
	for wl in $WORKLOADS; do
		err=$agent_err
		if [ -z "$err" ]; then
			# shellcheck disable=SC2091
			$(workload_cmd "$wl") >"$ad/$wl.json" 2>"$ad/$wl.err" </dev/null ||
				err="workload failed: $(tail -n 2 "$ad/$wl.err" | tr '\n' ' ')"
		fi
		echo "$err" >"$ad/$wl.status"
	done
	if [ -n "$pid" ]; then
		sleep 1
		kill -TERM "$pid" 2>/dev/null
		if ! wait "$pid"; then
			agent_err="agent did not exit 0 on SIGTERM: $(tail -n 2 "$ad/agent.err" | tr '\n' ' ')"
		fi
		[ -s "$ad/stats.json" ] && lost=$(jq -r '((.lost.exec // 0) + (.lost.clone // 0) + (.lost.exit // 0) + (.ringbuf_lost // 0))' "$ad/stats.json" 2>/dev/null)
		[ -f "$ad/events.json" ] && jq -r 'select(.process_exec != null) | .process_exec |
			"exec \(.process.pid) \(.parent.pid // 0)"' "$ad/events.json" >"$ad/events.txt"
	fi
	fails=0
	for wl in $WORKLOADS; do
		err=$(cat "$ad/$wl.status")
		[ -n "$err" ] || err=$agent_err
		wall="" kind="" exp="" del=""
		if [ -z "$err" ]; then
			wall=$(jq -r .wall_s "$ad/$wl.json" 2>/dev/null) || err="workload printed no JSON"
			kind=$(echo "$events" | tr ',' '\n' | sed -n "s/^$wl=//p")
			if [ -n "$kind" ] && [ -f "$ad/events.txt" ]; then
				exp=$(workload_expected "$wl" "$kind" "$ad/$wl.json")
				[ -n "$exp" ] && del=$(awk -v kind="$kind" -v root="$(jq -r .pid "$ad/$wl.json")" \
					-f "$B/count_events.awk" "$ad/events.txt")
			fi
		fi
		emit "$wl" "$name" "$rep" "$err" "$wall" "$ready" "$kind" "$exp" "$del" "$lost"
		[ -z "$err" ] || fails=$((fails + 1))
	done
	rm -rf "$ad"
	[ "$fails" -eq 0 ]
}

echo "guest-bench: kernel $KERNEL, $REPS rounds, workloads: $WORKLOADS"
for wl in $WORKLOADS; do
	# warm-up, not reported
	# shellcheck disable=SC2091
	$(workload_cmd "$wl") >/dev/null 2>&1 </dev/null
done
rc=0
r=1
while [ "$r" -le "$REPS" ]; do
	while read -r name events cmd; do
		case "$name" in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2086
		round "$r" "$name" "$events" $cmd || rc=1
	done <"$B/vm-configs"
	r=$((r + 1))
done
exit "$rc"
