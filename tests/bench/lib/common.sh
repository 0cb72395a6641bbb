# tests/bench/lib/common.sh - helpers shared by tests/bench/run.sh and the configurations
# (tests/bench/configs/*.conf).  Sourced by bash; defines functions only.

bench_note() { echo "# bench: $*" >&2; }
bench_warn() { echo "bench: warning: $*" >&2; }

# Seconds since the epoch with microseconds (bash 5 $EPOCHREALTIME).
bench_now() { echo "$EPOCHREALTIME"; }

# bench_elapsed T0: seconds since T0 (a bench_now value), 6 decimals.
bench_elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f", b - a }'; }

# bench_wait_until TIMEOUT_S PID CMD...: run CMD every 10 ms until it succeeds (return 0),
# PID (if not empty) is gone (return 2) or TIMEOUT_S passes (return 1).
bench_wait_until() {
	local timeout=$1 pid=$2 deadline
	shift 2
	deadline=$(awk -v t="$EPOCHREALTIME" -v d="$timeout" 'BEGIN { printf "%.6f", t + d }')
	while :; do
		"$@" && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			"$@" && return 0
			return 2
		fi
		awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t > d) }' && return 1
		sleep 0.01
	done
}

# bench_cpu_ns PID...: CPU time used so far by the processes, in ns: the sum of the first field
# of /proc/PID/task/*/schedstat (run time, ns) over every thread, or utime+stime of
# /proc/PID/stat (clock ticks) where schedstat is missing.  Prints "null" if a PID is gone.
bench_cpu_ns() {
	local pid total=0 v t hz
	for pid in "$@"; do
		[ -d "/proc/$pid" ] || { echo null; return; }
		if [ -r "/proc/$pid/schedstat" ]; then
			v=0
			for t in /proc/"$pid"/task/*/schedstat; do
				read -r s _ <"$t" 2>/dev/null || continue
				v=$((v + s))
			done
		else
			hz=$(getconf CLK_TCK)
			v=$(awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1e9 / hz }' \
				"/proc/$pid/stat") || { echo null; return; }
		fi
		total=$((total + v))
	done
	echo "$total"
}

# bench_hwm_kb PID: peak resident set size (VmHWM) in KiB, or "null".
bench_hwm_kb() {
	local v
	v=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status" 2>/dev/null)
	echo "${v:-null}"
}

# bench_settle PID...: wait until the processes stop using CPU (less than 2 ms over two
# consecutive 100 ms windows), at most BENCH_SETTLE_MAX seconds (default 20), so that an agent
# has drained what the workload made it do before we measure and stop it.
bench_settle() {
	local a b n=0 quiet=0 max=$((${BENCH_SETTLE_MAX:-20} * 10))
	a=$(bench_cpu_ns "$@")
	while [ "$n" -lt "$max" ]; do
		sleep 0.1
		b=$(bench_cpu_ns "$@")
		[ "$a" = null ] || [ "$b" = null ] && return 0
		if [ $((b - a)) -lt 2000000 ]; then
			quiet=$((quiet + 1))
			[ "$quiet" -ge 2 ] && return 0
		else
			quiet=0
		fi
		a=$b
		n=$((n + 1))
	done
	bench_warn "agent ($*) still busy after ${BENCH_SETTLE_MAX:-20}s; measuring anyway"
}

# bench_bpf_prog_ids PID: ids of the BPF programs PID holds a file descriptor to, one per line
# (from /proc/PID/fdinfo/*: "prog_id:" lines; bpftool's pid column needs BPF iterators that
# not every kernel offers).
bench_bpf_prog_ids() {
	local f
	for f in /proc/"$1"/fdinfo/*; do
		awk '$1 == "prog_id:" { print $2 }' "$f" 2>/dev/null
	done | sort -un
}

# bench_bpf_stats IDS_JSON: [{id,name,type,run_time_ns,run_cnt}] of the given program ids
# (a JSON array), from `bpftool prog show -j`.  run_time_ns/run_cnt are only counted while
# kernel.bpf_stats_enabled=1.
bench_bpf_stats() {
	bpftool prog show -j 2>/dev/null | jq -c --argjson ids "$1" \
		'[.[] | select(.id as $i | $ids | index($i)) |
		  {id, name: (.name // ""), type, run_time_ns: (.run_time_ns // 0), run_cnt: (.run_cnt // 0)}]' \
		2>/dev/null || echo '[]'
}

# bench_kill_wait PID TIMEOUT_S SIG: send SIG, wait up to TIMEOUT_S for the process to go,
# then SIGKILL it.  Returns 0 if it went on SIG, 1 if it had to be killed.
bench_kill_wait() {
	local pid=$1 timeout=$2 sig=${3:-TERM}
	kill -"$sig" "$pid" 2>/dev/null || return 0
	if bench_wait_until "$timeout" "" eval "! kill -0 $pid 2>/dev/null"; then
		wait "$pid" 2>/dev/null
		return 0
	fi
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 1
}

# bench_count_events KIND ROOT_PID [PATH] < normalized events: how many events of KIND the
# workload whose main process is ROOT_PID produced, as seen by a configuration (see
# lib/count_events.awk for the event lines and the rules).
bench_count_events() {
	awk -v kind="$1" -v root="$2" -v path="${3:-}" -f "$BENCH_DIR/lib/count_events.awk"
}
