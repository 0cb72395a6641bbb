#!/bin/sh
# /vigil/bench/guest-bench.sh - the benchmark inside the VM (see tests/bench/vm.sh).
# POSIX sh (busybox ash): runs the workloads of every configuration of /vigil/bench/vm-configs,
# REPS rounds interleaved (round r: bare: all workloads; vigil: one agent start, its workloads,
# stop; ...), and prints one
#   VIGIL-BENCH-RESULT {"kernel":..,"workload":..,"config":..,"rep":..,"ok":..,"wall_s":..,...}
# line per run on stdout.  Parameters come from /vigil/bench/params (REPS, WORKLOADS, N_EXEC,
# N_OPEN, N_CONNECT, N_MIXED, READY_TIMEOUT, OPEN_TARGET).  Under emulation absolute times mean
# nothing: the host keeps only the ratios, and the BPF time per program run, which the kernel
# measures itself: kernel.bpf_stats_enabled is 1 for the bench, and bpftool reads run_time_ns
# and run_cnt of the agent's programs before and after each workload (the policy's programs,
# named vigil_*, apart from the process sensor's).  A policy row (POLICY column, see
# vm-configs) also reports the events its policy posted for the workload and the kernel
# memory vigild says the policy takes.
set -u

B=${VIGIL_BENCH_DIR:-/vigil/bench}
REPS=5
WORKLOADS="exec_storm open_storm connect_storm mixed"
N_EXEC=300 N_OPEN=50000 N_CONNECT=4000 N_MIXED=15 READY_TIMEOUT=300
OPEN_TARGET=/tmp/bench-open-target
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

workload_cmd() { # WORKLOAD [EXTRA_ARGS]
	case "$1" in
	exec_storm) echo "$B/bin/exec_storm -n $N_EXEC ${2:-}" ;;
	open_storm) echo "$B/bin/open_storm -n $N_OPEN ${2:-} $OPEN_TARGET" ;;
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
# the workload's extra arguments under a policy (MATCH of HOOK:N:MATCH, see vm-configs)
policy_wl_args() { # SPEC WORKLOAD
	case "${1##*:}:$2" in
	kill:exec_storm) echo --killed-ok ;;
	deny:open_storm) echo --deny-ok ;;
	esac
}

echo "vigil bench data" >"$OPEN_TARGET"
mkdir -p /tmp/bench-mixed

# BPF run times: on for the whole bench, put back at the end.
BPF_STATS_OLD=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)
BPF_STATS=0
if command -v bpftool >/dev/null 2>&1 && echo 1 >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null; then
	BPF_STATS=1
else
	echo "guest-bench: BPF run times n/a (no bpftool, or kernel.bpf_stats_enabled cannot be set)"
fi

# bpf_snap PID: [{id,name,run_time_ns,run_cnt}] of the programs PID holds (its fdinfo's
# prog_id lines), or [] when BPF stats are off.
bpf_snap() {
	if [ "$BPF_STATS" != 1 ]; then echo '[]'; return; fi
	ids=$(cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' | sort -un |
		jq -sc .)
	bpftool prog show -j 2>/dev/null | jq -c --argjson ids "${ids:-[]}" \
		'[.[] | select(.id as $i | $ids | index($i)) |
		  {id, name: (.name // ""), run_time_ns: (.run_time_ns // 0), run_cnt: (.run_cnt // 0)}]' \
		2>/dev/null || echo '[]'
}
# bpf_delta BEFORE AFTER: {progs, run_time_ns, run_cnt, ns_per_run, policy, sensor}
# (per-program differences, their sums, and the sums of the policy programs, vigil_*, and of
# the others), or null.
bpf_delta() {
	jq -nc --argjson a "$1" --argjson b "$2" '
		def sum(p): if (p | length) == 0 then null else
			(p | map(.run_time_ns) | add) as $t | (p | map(.run_cnt) | add) as $c |
			{run_time_ns: $t, run_cnt: $c, ns_per_run: (if $c > 0 then $t / $c else null end)} end;
		($b | map({key: (.id | tostring), value: .}) | from_entries) as $after |
		[$a[] | . as $p | $after[$p.id | tostring] as $q | select($q != null) |
		 {id, name, run_time_ns: ($q.run_time_ns - $p.run_time_ns),
		  run_cnt: ($q.run_cnt - $p.run_cnt)}] as $progs |
		if ($progs | length) == 0 then null else
		{progs: $progs} + sum($progs) +
		{policy: sum([$progs[] | select(.name | startswith("vigil_"))]),
		 sensor: sum([$progs[] | select(.name | startswith("vigil_") | not)])} end'
}

# emit WORKLOAD CONFIG REP ERR WALL READY KIND EXPECTED DELIVERED LOST EXTRA: one result line
# (EXTRA: a JSON object merged into it)
emit() {
	extra=${11:-}
	[ -n "$extra" ] || extra='{}'
	echo "VIGIL-BENCH-RESULT $(jq -nc --arg k "$KERNEL" --arg w "$1" --arg c "$2" --argjson rep "$3" \
		--arg err "$4" --arg wall "$5" --arg ready "$6" --arg kind "$7" --arg exp "$8" \
		--arg del "$9" --arg lost "${10}" --argjson extra "$extra" \
		'def n: if . == "" then null else tonumber end;
		 {kernel: $k, workload: $w, config: $c, rep: $rep, ok: ($err == ""),
		  error: (if $err == "" then null else $err end), wall_s: ($wall | n),
		  ready_s: ($ready | n), agent_lost: ($lost | n),
		  events: (if $kind == "" or $exp == "" then null
			   else {kind: $kind, expected: ($exp | n), delivered: ($del | n)} end)} + $extra')"
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

# config_workloads LIST: the workloads of a configuration (its WORKLOADS column: "*" or a
# comma-separated list) that this bench runs, in the order of WORKLOADS.
config_workloads() {
	for w in $WORKLOADS; do
		case ",$1," in ",*," | *",$w,"*) echo "$w" ;; esac
	done
}

# One round of one configuration: start its agent once, run its workloads, stop it, then
# count each workload's events in the agent's output (a process tree per workload pid).
# Emulated agent start-up is slow (BPF verification under TCG), hence one start per round
# rather than per run; the rounds still alternate bare / agent / bare / agent.
round() { # REP NAME WORKLOADS EVENTS POLICY COMMAND...
	rep=$1 name=$2 wls=$(config_workloads "$3") events=$4 policy=$5
	shift 5
	[ -n "$wls" ] || return 0
	ad=/tmp/run/$name.$rep
	rm -rf "$ad"
	mkdir -p "$ad"
	err="" ready="" pid="" lost=""
	[ "$1" != - ] && agent_start "$ad" "$@"
	agent_err=$err
	for wl in $wls; do
		err=$agent_err
		echo null >"$ad/$wl.bpf"
		if [ -z "$err" ]; then
			[ -n "$pid" ] && b0=$(bpf_snap "$pid")
			# shellcheck disable=SC2091
			$(workload_cmd "$wl" "$([ "$policy" != - ] && policy_wl_args "$policy" "$wl")") \
				>"$ad/$wl.json" 2>"$ad/$wl.err" </dev/null ||
				err="workload failed: $(tail -n 2 "$ad/$wl.err" | tr '\n' ' ')"
			[ -n "$pid" ] && bpf_delta "$b0" "$(bpf_snap "$pid")" >"$ad/$wl.bpf"
		fi
		echo "$err" >"$ad/$wl.status"
	done
	if [ -n "$pid" ]; then
		sleep 1
		kill -TERM "$pid" 2>/dev/null
		if ! wait "$pid"; then
			agent_err="agent did not exit 0 on SIGTERM: $(tail -n 2 "$ad/agent.err" | tr '\n' ' ')"
		fi
		[ -s "$ad/stats.json" ] && lost=$(jq -r '((.lost.exec // 0) + (.lost.clone // 0) + (.lost.exit // 0) + (.lost.policy // 0) + (.ringbuf_lost // 0))' "$ad/stats.json" 2>/dev/null)
		# exec events, and the events a policy posted (as tests/bench/lib/vigil.sh)
		[ -f "$ad/events.json" ] && jq -r 'if .process_exec != null then .process_exec |
			"exec \(.process.pid) \(.parent.pid // 0)"
		       else (.process_kprobe // .process_lsm // .process_tracepoint) |
			select(. != null) | "policy \(.process.pid) \(.parent.pid // 0)" end' \
			"$ad/events.json" >"$ad/events.txt"
	fi
	# the policy's kernel memory, as vigild logs it
	kib=null
	if [ "$policy" != - ]; then
		kib=$(sed -n 's/.*tracing policy .* loaded (.*, \([0-9]*\) KiB of kernel memory).*/\1/p' \
			"$ad/agent.err" 2>/dev/null | awk '{ s += $1; n++ } END { print n ? s : "null" }')
	fi
	fails=0
	for wl in $wls; do
		err=$(cat "$ad/$wl.status")
		[ -n "$err" ] || err=$agent_err
		wall="" kind="" exp="" del="" pol=null
		if [ -z "$err" ]; then
			wall=$(jq -r .wall_s "$ad/$wl.json" 2>/dev/null) || err="workload printed no JSON"
			kind=$(echo "$events" | tr ',' '\n' | sed -n "s/^$wl=//p")
			if [ -n "$kind" ] && [ -f "$ad/events.txt" ]; then
				exp=$(workload_expected "$wl" "$kind" "$ad/$wl.json")
				[ -n "$exp" ] && del=$(awk -v kind="$kind" -v root="$(jq -r .pid "$ad/$wl.json")" \
					-f "$B/count_events.awk" "$ad/events.txt")
			fi
			if [ "$policy" != - ] && [ -f "$ad/events.txt" ]; then
				pdel=$(awk -v kind=policy -v root="$(jq -r .pid "$ad/$wl.json")" \
					-f "$B/count_events.awk" "$ad/events.txt")
				pol=$(jq -c --arg spec "$policy" --argjson kib "$kib" --argjson del "$pdel" '
					($spec | split(":")) as $p |
					{spec: $spec, hook: $p[0], values: ($p[1] | tonumber), match: $p[2], kib: $kib,
					 events: {kind: "policy", expected: (if $p[2] == "never" then 0 else .done end),
						  delivered: $del}}' "$ad/$wl.json")
			fi
		fi
		emit "$wl" "$name" "$rep" "$err" "$wall" "$ready" "$kind" "$exp" "$del" "$lost" \
			"$(jq -nc --argjson bpf "$(cat "$ad/$wl.bpf" 2>/dev/null || echo null)" --argjson pol "$pol" \
				--argjson w "$(cat "$ad/$wl.json" 2>/dev/null || echo null)" \
				'{bpf: $bpf, policy: $pol, killed: ($w.killed? // null), denied: ($w.denied? // null)}' 2>/dev/null)"
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
	while read -r name wls events policy cmd; do
		case "$name" in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2046  # the command line, split
		round "$r" "$name" "$wls" "$events" "$policy" $(echo "$cmd" | sed "s|@POLICY@|$B/policies/$name.yaml|g") || rc=1
	done <"$B/vm-configs"
	r=$((r + 1))
done
[ -n "$BPF_STATS_OLD" ] && echo "$BPF_STATS_OLD" >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null
exit "$rc"
