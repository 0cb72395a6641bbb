#!/bin/bash
# tests/bench/run.sh BUILD_DIR - vigil's benchmarks (`make bench`; not part of `make check`).
#
# Runs every workload (tests/bench/workloads/) under every configuration
# (tests/bench/configs/*.conf: bare, vigil, auditd, bpftrace, ...) that applies to it,
# BENCH_REPS times interleaved (round 1: bare vigil auditd bpftrace, round 2: the same, ...),
# then ramps the exec storm's rate until vigil loses events, then (unless BENCH_VM=0) runs the
# VM part (tests/bench/vm.sh).  Prints one table and writes BUILD_DIR/bench/results.json
# (raw runs and summary) and BUILD_DIR/bench/table.{txt,md}.
#
# Every figure is the median over the repetitions with min and max; every slowdown is the
# ratio of a run's workload wall time to the bare run of the same round.  The policy rows
# (configurations with CFG_POLICY, lib/policy.sh) get a second table: the BPF time per call of
# the policy's programs (vigil_*) apart from the process sensor's, the events the policy
# posted, and the kernel memory vigild says the policy takes.  See docs/BENCHMARKS.md for the
# method.
#
# Environment (defaults in brackets):
#   BENCH_REPS        interleaved repetitions [5]; fewer are allowed for a quick look, but
#                     the results are then flagged as not conforming
#   BENCH_WORKLOADS   workloads to run ["exec_storm open_storm connect_storm mixed"]
#   BENCH_CONFIGS     configuration names to run [all of configs/*.conf]; bare is always run
#   BENCH_N_EXEC      exec_storm: fork+exec of a copy of /bin/true [2500]
#   BENCH_N_OPEN      open_storm: open+close [400000]
#   BENCH_N_CONNECT   connect_storm: loopback TCP connections [40000]
#   BENCH_CONNECT_CPU connect_storm runs pinned to this CPU (see its --cpu) [0]
#   BENCH_N_MIXED     mixed.sh iterations [150]
#   BENCH_RAMP        1 to run vigil's loss ramp [1]
#   BENCH_RAMP_SECS   seconds per ramp step [2]
#   BENCH_RAMP_RATES  exec rates (per second) to try, in order ["250 500 750 1000 1500 2000 3000
#                     4000 6000 8000 12000 16000"], nproc children in flight; the ramp stops
#                     at the first loss (then bisects twice between the last clean rate and
#                     it) or when the machine cannot reach 90% of the rate (then runs one
#                     last step flat out with 4 x nproc children in flight)
#   BENCH_BPF_STATS   1 to enable kernel.bpf_stats_enabled for the whole bench [1]
#   BENCH_VM          1 to run the VM part (tests/bench/vm.sh) [1]
#   BENCH_KEEP        1 to keep the agents' raw outputs (event files, audit logs) [0]
# Exit status: 0 if every run of every available configuration succeeded, 1 otherwise.
# Configurations that cannot run here (e.g. auditd not installed) are listed as skipped
# with the reason, and do not fail the bench; neither does the VM part.
set -uo pipefail
export LC_ALL=C

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: tests/bench/run.sh BUILD_DIR   (BUILD_DIR: the make BUILD directory)" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/../.." && pwd)
OUT=$BUILD/bench
BIN=$BUILD/bench-bin
SCRATCH=$OUT/scratch
# The files the workloads exec and open: the harness's own, so that a policy that kills or
# denies them (lib/policy.sh) touches nothing else on the machine.
EXEC_TARGET=$SCRATCH/exec-target
OPEN_TARGET=$SCRATCH/open-target
export BUILD BENCH_DIR REPO OUT BIN SCRATCH EXEC_TARGET OPEN_TARGET
# shellcheck source=lib/common.sh
. "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/policy.sh
. "$BENCH_DIR/lib/policy.sh"

REPS=${BENCH_REPS:-5}
WORKLOADS=${BENCH_WORKLOADS:-exec_storm open_storm connect_storm mixed}
N_EXEC=${BENCH_N_EXEC:-2500}
N_OPEN=${BENCH_N_OPEN:-400000}
N_CONNECT=${BENCH_N_CONNECT:-40000}
CONNECT_CPU=${BENCH_CONNECT_CPU:-0}
N_MIXED=${BENCH_N_MIXED:-150}
RAMP=${BENCH_RAMP:-1}
RAMP_SECS=${BENCH_RAMP_SECS:-2}
RAMP_RATES=${BENCH_RAMP_RATES:-250 500 750 1000 1500 2000 3000 4000 6000 8000 12000 16000}
BPF_STATS=${BENCH_BPF_STATS:-1}
VM=${BENCH_VM:-1}

die() {
	echo "bench: error: $*" >&2
	exit 1
}

case "$REPS" in '' | *[!0-9]* | 0) die "BENCH_REPS must be a positive integer" ;; esac
[ "$REPS" -ge 5 ] || bench_warn "BENCH_REPS=$REPS < 5: results are flagged non-conforming"
for t in jq awk bpftool; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found (run scripts/install-deps.sh --bench)"
done
for w in exec_storm open_storm connect_storm; do
	[ -x "$BIN/$w" ] || die "$BIN/$w not built (run 'make bench', which builds \$(BENCH_BINS))"
done

# --- the workloads (a table: name -> command, expected events) ------------------------------
# workload_cmd NAME [EXTRA_ARGS...]: set WL_CMD to the command line of the workload.
workload_cmd() {
	local w=$1
	shift
	case "$w" in
	exec_storm) WL_CMD=("$BIN/exec_storm" -n "$N_EXEC" --bin "$EXEC_TARGET" "$@") ;;
	open_storm) WL_CMD=("$BIN/open_storm" -n "$N_OPEN" "$@" "$OPEN_TARGET") ;;
	connect_storm) WL_CMD=("$BIN/connect_storm" -n "$N_CONNECT" --cpu "$CONNECT_CPU" "$@") ;;
	mixed) WL_CMD=(/bin/sh "$BENCH_DIR/workloads/mixed.sh" -n "$N_MIXED" --bin "$BIN" --dir "$SCRATCH/mixed" "$@") ;;
	*) return 1 ;;
	esac
}
# workload_expected NAME KIND < workload JSON line: "COUNT [PATH]" of events of KIND the
# workload made, or nothing if it makes none of that kind that we can count.
workload_expected() {
	case "$1:$2" in
	exec_storm:exec | connect_storm:connect | exec_storm:policy | open_storm:policy) jq -r '.done' ;;
	open_storm:open) jq -r '"\(.done) \(.file)"' ;;
	mixed:exec) jq -r '.execs' ;;
	*) cat >/dev/null ;;
	esac
}
for w in $WORKLOADS; do
	workload_cmd "$w" || die "unknown workload '$w' in BENCH_WORKLOADS"
done

# --- the configurations (data: configs/*.conf) ----------------------------------------------
CONFS=()
for f in "$BENCH_DIR"/configs/*.conf; do
	[ -f "$f" ] || continue
	name=$( (. "$f" && echo "$CFG_NAME") 2>/dev/null) || die "$f: cannot be sourced or sets no CFG_NAME"
	if [ "$name" != bare ] && [ -n "${BENCH_CONFIGS:-}" ]; then
		case " $BENCH_CONFIGS " in *" $name "*) ;; *) continue ;; esac
	fi
	CONFS+=("$f")
done
[ "${#CONFS[@]}" -gt 0 ] && [ "$( (. "${CONFS[0]}" && echo "$CFG_NAME"))" = bare ] ||
	die "configs/ must hold a 'bare' configuration, sorted first (10-bare.conf)"

# (RUN_DIR unset: a configuration writes its run's files only for a run.)
conf_get() { (unset RUN_DIR; . "$1" && eval "echo \"\${$2:-}\""); }
# conf_events CONF WORKLOAD: the kind of event the configuration reports for the workload
# ("" = n/a).
conf_events() {
	local kv
	for kv in $(conf_get "$1" CFG_EVENTS); do
		[ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return; }
	done
}

# --- global machine state: set for the bench, restored at exit --------------------------------
mkdir -p "$OUT" "$SCRATCH" "$SCRATCH/mixed" || die "cannot create $OUT"
# open_storm's target exists beforehand: the workload's only opens of it are the timed ones.
echo "vigil bench open target" >"$OPEN_TARGET" || die "cannot write $OPEN_TARGET"
# exec_storm execs a copy of /bin/true that nothing else runs (every row, bare included).
if ! cp /bin/true "$EXEC_TARGET.tmp" || ! mv "$EXEC_TARGET.tmp" "$EXEC_TARGET"; then
	die "cannot copy /bin/true to $EXEC_TARGET"
fi
RESTORE=()
cleanup() {
	local i
	for ((i = ${#RESTORE[@]} - 1; i >= 0; i--)); do
		eval "${RESTORE[$i]}" >/dev/null 2>&1
	done
	RESTORE=()
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
[ "$IS_ROOT" = 1 ] || bench_warn "not root: only configurations that need no privilege can run"

if [ "$IS_ROOT" = 1 ] && [ ! -d /sys/kernel/tracing/events ]; then
	if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
		RESTORE+=("umount /sys/kernel/tracing")
		bench_note "mounted tracefs on /sys/kernel/tracing (unmounted at exit)"
	else
		bench_warn "cannot mount tracefs on /sys/kernel/tracing; bpftrace tracepoints may not attach"
	fi
fi

BPF_STATS_ON=0
if [ "$IS_ROOT" = 1 ] && [ "$BPF_STATS" = 1 ]; then
	old=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null)
	if [ -n "$old" ] && sysctl -q -w kernel.bpf_stats_enabled=1 2>/dev/null; then
		BPF_STATS_ON=1
		RESTORE+=("sysctl -q -w kernel.bpf_stats_enabled=$old")
	else
		bench_warn "cannot enable kernel.bpf_stats_enabled: BPF run times will be n/a"
	fi
fi

# Audit: if no auditd runs, we own the audit subsystem for the bench.  Keep it neutral between
# auditd runs (see lib/auditd.sh) and put the original rules and enabled flag back at exit.
export BENCH_AUDIT_OWNED=0
bench_audit_neutral() { :; }
if [ "$IS_ROOT" = 1 ] && command -v auditctl >/dev/null 2>&1 && auditctl -s >/dev/null 2>&1; then
	apid=$(auditctl -s | awk '$1 == "pid" { print $2 }')
	if [ "${apid:-0}" = 0 ]; then
		BENCH_AUDIT_OWNED=1
		aen=$(auditctl -s | awk '$1 == "enabled" { print $2 }')
		auditctl -l 2>/dev/null | grep -v '^No rules' >"$OUT/audit-rules.saved"
		bench_audit_neutral() {
			auditctl -D >/dev/null 2>&1
			auditctl -a task,never >/dev/null 2>&1
			auditctl -e 0 >/dev/null 2>&1
		}
		RESTORE+=("auditctl -D; while IFS= read -r r; do auditctl \$r; done <'$OUT/audit-rules.saved'; auditctl -e ${aen:-0}")
		bench_audit_neutral
	fi
fi
export -f bench_audit_neutral

# --- one run ------------------------------------------------------------------------------
# run_one LABEL WORKLOAD CONF REP [EXTRA_WORKLOAD_ARGS...]: writes $RUN_DIR/result.json and
# prints a one-line progress report.  Each run is a subshell: a configuration's variables and
# hooks never leak into the next run.
run_one() {
	local label=$1 wl=$2 conf=$3 rep=$4 cfg kind
	shift 4
	cfg=$(conf_get "$conf" CFG_NAME)
	kind=$(conf_events "$conf" "$wl")
	RUN_DIR=$OUT/runs/$label/$wl/$cfg/$rep
	rm -rf "$RUN_DIR"
	mkdir -p "$RUN_DIR"
	(
		export RUN_DIR WORKLOAD=$wl
		AGENT_PID=""
		# shellcheck disable=SC1090
		. "$conf"
		trap '[ -n "$AGENT_PID" ] && kill -KILL $AGENT_PID 2>/dev/null' EXIT
		# shellcheck disable=SC2046  # the policy's workload arguments, split
		workload_cmd "$wl" $(bench_policy_wl_args "${CFG_POLICY:-}" "$wl") "$@"
		err="" ready="null" cpu0="" cpu1="" hwm="null" ids="[]" bpf0="[]" bpf1="[]"
		lost="null" bytes="null" pids="" wrc=0 kib="null" pol_del=
		if [ "$CFG_AGENT" != none ]; then
			t0=$(bench_now)
			if cfg_start >"$RUN_DIR/start.msg"; then
				ready=$(bench_elapsed "$t0")
				pids=$(cat "$RUN_DIR/agent.pids")
				ids=$(bench_bpf_prog_ids "$AGENT_PID" | jq -sc .)
				[ "$BPF_STATS_ON" = 1 ] && bpf0=$(bench_bpf_stats "$ids")
				# shellcheck disable=SC2086
				cpu0=$(bench_cpu_ns $pids)
			else
				err="start: $(cat "$RUN_DIR/start.msg")"
			fi
		fi
		if [ -z "$err" ]; then
			"${WL_CMD[@]}" >"$RUN_DIR/workload.json" 2>"$RUN_DIR/workload.err" </dev/null
			wrc=$?
			[ "$wrc" -eq 0 ] || err="workload exited $wrc: $(tail -n 2 "$RUN_DIR/workload.err" | tr '\n' ' ')"
		fi
		if [ "$CFG_AGENT" != none ] && [ -n "$pids" ]; then
			if declare -F cfg_settle >/dev/null; then cfg_settle; else bench_settle $pids; fi
			# shellcheck disable=SC2086
			cpu1=$(bench_cpu_ns $pids)
			hwm=$(bench_hwm_kb "$AGENT_PID")
			[ "$BPF_STATS_ON" = 1 ] && bpf1=$(bench_bpf_stats "$ids")
			if ! cfg_stop >"$RUN_DIR/stop.msg"; then
				[ -n "$err" ] || err="stop: $(cat "$RUN_DIR/stop.msg")"
			fi
			AGENT_PID=""
			cfg_events >"$RUN_DIR/events.txt"
			lost=$(cfg_lost)
			bytes=$(cfg_output_bytes)
			[ -n "${CFG_POLICY:-}" ] && declare -F cfg_policy_kib >/dev/null && kib=$(cfg_policy_kib)
			cfg_cleanup
		fi
		wjson=$(head -n 1 "$RUN_DIR/workload.json" 2>/dev/null)
		[ -n "$wjson" ] && echo "$wjson" | jq -e . >/dev/null 2>&1 || {
			[ -n "$err" ] || err="workload printed no JSON line"
			wjson=null
		}
		expected="" epath="" delivered=""
		if [ -n "$kind" ] && [ "$wjson" != null ]; then
			read -r expected epath < <(echo "$wjson" | workload_expected "$wl" "$kind")
			if [ -n "$expected" ]; then
				root=$(echo "$wjson" | jq -r .pid)
				delivered=$(bench_count_events "$kind" "$root" "$epath" <"$RUN_DIR/events.txt")
			fi
		fi
		# A policy row: the events its policy posted for the workload (expected: none for a
		# policy that never matches, one per operation otherwise).
		if [ -n "${CFG_POLICY:-}" ] && [ "$wjson" != null ] && [ -f "$RUN_DIR/events.txt" ]; then
			pol_del=$(bench_count_events policy "$(echo "$wjson" | jq -r .pid)" <"$RUN_DIR/events.txt")
		fi
		[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$RUN_DIR/events.txt"
		cpu_s=null
		[ -n "$cpu0" ] && [ -n "$cpu1" ] && [ "$cpu0" != null ] && [ "$cpu1" != null ] &&
			cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
		jq -n --arg lbl "$label" --arg wl "$wl" --arg cfg "$cfg" --arg rep "$rep" \
			--arg err "$err" --argjson w "$wjson" --argjson ready "$ready" \
			--argjson cpu "$cpu_s" --argjson hwm "$hwm" --argjson b0 "$bpf0" --argjson b1 "$bpf1" \
			--arg kind "$kind" --arg exp "$expected" --arg del "$delivered" \
			--argjson lost "$lost" --argjson bytes "$bytes" --argjson bpfon "$BPF_STATS_ON" \
			--arg pol "${CFG_POLICY:-}" --argjson kib "$kib" --arg poldel "$pol_del" \
			--argjson args "$(printf '%s\n' "${WL_CMD[@]}" | jq -R . | jq -sc .)" '
			def sum(p): if (p | length) == 0 then null else
				(p | map(.run_time_ns) | add) as $t | (p | map(.run_cnt) | add) as $c |
				{run_time_ns: $t, run_cnt: $c, ns_per_run: (if $c > 0 then $t / $c else null end)} end;
			($b1 | map({key: (.id | tostring), value: .}) | from_entries) as $after |
			[$b0[] | . as $p | $after[$p.id | tostring] as $q | select($q != null) |
			 {id, name, type, run_time_ns: ($q.run_time_ns - $p.run_time_ns),
			  run_cnt: ($q.run_cnt - $p.run_cnt)}] as $progs |
			{"label": $lbl, workload: $wl, config: $cfg, rep: ($rep | tonumber? // $rep), ok: ($err == ""),
			 error: (if $err == "" then null else $err end), command: $args,
			 wall_s: ($w.wall_s // null), workload_out: $w, ready_s: $ready,
			 agent_cpu_s: $cpu, agent_hwm_kb: $hwm, agent_lost: $lost, output_bytes: $bytes,
			 bpf: (if $bpfon == 1 and ($progs | length) > 0 then
				{progs: $progs} + sum($progs) +
				# the policy programs (vigil_lsm, vigil_kprobe, vigil_tp, ...) and the rest
				# (the process sensor)
				{policy: sum([$progs[] | select(.name | startswith("vigil_"))]),
				 sensor: sum([$progs[] | select(.name | startswith("vigil_") | not)])}
			       else null end),
			 policy: (if $pol == "" then null else
				($pol | split(":")) as $p |
				{spec: $pol, hook: $p[0], values: ($p[1] | tonumber), match: $p[2], kib: $kib,
				 events: {kind: "policy",
					  expected: (if $p[2] == "never" then 0 else ($w.done // null) end),
					  delivered: ($poldel | if . == "" then null else tonumber end)}} end),
			 events: (if $kind == "" or $exp == "" then null else
				{kind: $kind, expected: ($exp | tonumber),
				 delivered: ($del | if . == "" then null else tonumber end)} end)}' \
			>"$RUN_DIR/result.json"
	)
	progress "$RUN_DIR/result.json"
}

progress() {
	jq -r '"  \(.label) \(.workload) #\(.rep) \(.config): " +
		(if .ok then "\(.wall_s) s" else "FAILED: \(.error)" end) +
		(if .events then ", events \(.events.delivered)/\(.events.expected)" else "" end) +
		(if .agent_lost and (.agent_lost.total // 0) > 0 then ", agent lost \(.agent_lost.total)" else "" end) +
		(if .ready_s then ", ready \(.ready_s * 1000 | floor) ms" else "" end)' "$1"
}

# --- machine description ------------------------------------------------------------------
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }
machine_json() {
	jq -n --arg host "$(hostname)" --arg kernel "$(uname -r)" --arg arch "$(uname -m)" \
		--arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
		--argjson ncpu "$(nproc)" \
		--argjson mem "$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" \
		--arg os "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")" \
		--arg virt "$(systemd-detect-virt --vm 2>/dev/null || echo none)" \
		--arg cont "$(systemd-detect-virt --container 2>/dev/null || echo none)" \
		--arg auditd "$(pkgver auditd)" --arg bpftrace "$(pkgver bpftrace)" \
		--arg git "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)" \
		--arg dirty "$(git -C "$REPO" status --porcelain 2>/dev/null | head -c1)" \
		'{hostname: $host, kernel: $kernel, arch: $arch, cpu: $cpu, cpus: $ncpu, mem_kb: $mem,
		  os: $os, virtualization: $virt, container: $cont, auditd: $auditd, bpftrace: $bpftrace,
		  vigil_commit: ($git + (if $dirty != "" then "+dirty" else "" end))}'
}

# --- main matrix ---------------------------------------------------------------------------
T_START=$(bench_now)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rm -rf "$OUT/runs"
echo "bench: $REPS interleaved rounds; workloads: $WORKLOADS"

CFG_META=()
RUN_CONFS=()
for c in "${CONFS[@]}"; do
	name=$(conf_get "$c" CFG_NAME)
	reason=$( (. "$c"; if declare -F cfg_check >/dev/null; then cfg_check; fi) 2>&1)
	if [ $? -eq 0 ]; then
		RUN_CONFS+=("$c")
		echo "bench: config $name: $(conf_get "$c" CFG_DESC)"
		CFG_META+=("$(jq -nc --arg n "$name" --arg d "$(conf_get "$c" CFG_DESC)" \
			--arg f "${c#"$REPO"/}" '{name: $n, desc: $d, file: $f, available: true}')")
	else
		echo "bench: config $name: SKIPPED: $reason"
		CFG_META+=("$(jq -nc --arg n "$name" --arg d "$(conf_get "$c" CFG_DESC)" \
			--arg f "${c#"$REPO"/}" --arg r "$reason" \
			'{name: $n, desc: $d, file: $f, available: false, reason: $r}')")
	fi
done

for wl in $WORKLOADS; do
	echo "bench: $wl: warm-up (bare, not counted)"
	run_one warmup "$wl" "${RUN_CONFS[0]}" 1 >/dev/null
	for ((rep = 1; rep <= REPS; rep++)); do
		for c in "${RUN_CONFS[@]}"; do
			case " $(conf_get "$c" CFG_WORKLOADS) " in *" $wl "*) ;; *) continue ;; esac
			run_one main "$wl" "$c" "$rep"
		done
	done
done

# --- loss ramp: exec storm at increasing rates until vigil loses an event ------------------------
RAMP_JSON=null
VIGIL_CONF=""
for c in "${RUN_CONFS[@]}"; do
	[ "$(conf_get "$c" CFG_NAME)" = vigil ] && VIGIL_CONF=$c
done
if [ "$RAMP" = 1 ] && [ -n "$VIGIL_CONF" ]; then
	J=$(nproc)
	echo "bench: loss ramp: exec_storm under vigil, ${RAMP_SECS}s per step, $J children in flight"
	steps=()
	# ramp_step LABEL ARGS...: one exec_storm run under vigil; sets STEP (its result file) and
	# returns 0 if it was clean: ran, lost nothing, and reached 90% of its target rate (or
	# had none); 1 on loss or failure; 2 if clean but the machine could not keep up.
	ramp_step() {
		local tag=$1
		shift
		run_one ramp exec_storm "$VIGIL_CONF" "$tag" "$@"
		STEP=$OUT/runs/ramp/exec_storm/vigil/$tag/result.json
		steps+=("$STEP")
		jq -e '.ok and .events.delivered >= .events.expected and ((.agent_lost.total // 0) == 0)' \
			"$STEP" >/dev/null || return 1
		jq -e '.workload_out.rate_target == 0 or
			.workload_out.rate_achieved >= 0.9 * .workload_out.rate_target' "$STEP" >/dev/null || return 2
		return 0
	}
	good=0 bad=0 st=0
	for r in $RAMP_RATES; do
		ramp_step "$r" --rate "$r" --jobs "$J" -n $((r * RAMP_SECS))
		st=$?
		if [ "$st" -eq 0 ]; then good=$r; else break; fi
	done
	if [ "$st" -eq 1 ] && [ "$good" -gt 0 ]; then
		# Loss at $r: two bisection steps between the last clean rate and it.
		bad=$r
		for _ in 1 2; do
			m=$(((good + bad) / 2))
			[ $((bad - good)) -gt $((good / 10)) ] || break
			ramp_step "$m" --rate "$m" --jobs "$J" -n $((m * RAMP_SECS))
			case $? in 0) good=$m ;; 1) bad=$m ;; *) break ;; esac
		done
	elif [ "$st" -eq 2 ]; then
		# The machine tops out before vigil loses anything: one last step flat out, with
		# twice as long and 4x the children in flight, to look for loss under overload.
		sat=$(jq -r '.workload_out.rate_achieved | floor' "$STEP")
		ramp_step max --rate 0 --jobs $((4 * J)) -n $((sat * RAMP_SECS * 2))
	fi
	RAMP_JSON=$(jq -s '
		map({rate_target: .workload_out.rate_target, rate_achieved: .workload_out.rate_achieved,
		     jobs: .workload_out.jobs, n: .workload_out.n, ok, error,
		     expected: .events.expected, delivered: .events.delivered,
		     agent_lost: (.agent_lost.total // null),
		     loss: (.ok and (.events.delivered < .events.expected or (.agent_lost.total // 0) > 0))}) |
		. as $s |
		{steps: $s,
		 first_loss: ([$s[] | select(.loss)] | sort_by(.rate_achieved) | first // null),
		 saturated: ([$s[] | select(.ok and (.loss | not) and .rate_target > 0 and
			.rate_achieved < 0.9 * .rate_target)] | first // null),
		 flat_out: ([$s[] | select(.rate_target == 0)] | first // null),
		 max_lossfree_rate: ([$s[] | select(.ok and (.loss | not)) | .rate_achieved] | max // null)}' "${steps[@]}")
elif [ "$RAMP" = 1 ]; then
	echo "bench: loss ramp: not run (vigil configuration not available)"
fi

# --- VM part -----------------------------------------------------------------------------
VM_JSON=null
if [ "$VM" = 1 ]; then
	echo "bench: VM part: tests/bench/vm.sh (QEMU, ratios only)"
	rm -f "$OUT/vm.json"
	"$BENCH_DIR/vm.sh" "$BUILD"
	vrc=$?
	if [ -s "$OUT/vm.json" ]; then
		VM_JSON=$(cat "$OUT/vm.json")
	else
		VM_JSON=$(jq -nc --arg r "tests/bench/vm.sh exited $vrc without writing $OUT/vm.json" \
			'{status: "not produced", reason: $r}')
	fi
else
	VM_JSON='{"status":"not produced","reason":"BENCH_VM=0"}'
fi

# --- results ------------------------------------------------------------------------------
ELAPSED=$(bench_elapsed "$T_START")
find "$OUT/runs/main" "$OUT/runs/ramp" -name result.json 2>/dev/null | sort |
	xargs -r cat | jq -s . >"$OUT/runs.json"
jq -n --slurpfile runs "$OUT/runs.json" --argjson machine "$(machine_json)" \
	--argjson configs "$(printf '%s\n' "${CFG_META[@]}" | jq -sc .)" \
	--argjson ramp "$RAMP_JSON" --argjson vm "$VM_JSON" \
	--arg started "$STARTED" --argjson elapsed "$ELAPSED" --argjson reps "$REPS" \
	--arg workloads "$WORKLOADS" --argjson bpfstats "$BPF_STATS_ON" \
	--argjson n "$(jq -nc --argjson e "$N_EXEC" --argjson o "$N_OPEN" --argjson c "$N_CONNECT" \
		--argjson m "$N_MIXED" '{exec_storm: $e, open_storm: $o, connect_storm: $c, mixed: $m}')" \
	'{schema: 1, date: $started, elapsed_s: $elapsed, machine: $machine,
	  params: {reps: $reps, conforming: ($reps >= 5), n: $n, bpf_stats_enabled: ($bpfstats == 1),
		   workloads: ($workloads | split(" ") | map(select(. != "")))},
	  configs: $configs, runs: $runs[0], ramp: $ramp, vm: $vm}' |
	jq -f "$BENCH_DIR/lib/summary.jq" >"$OUT/results.json.tmp" &&
	mv "$OUT/results.json.tmp" "$OUT/results.json" || die "cannot write $OUT/results.json"
rm -f "$OUT/runs.json"

"$BENCH_DIR/report.sh" "$OUT/results.json" | tee "$OUT/table.txt"
"$BENCH_DIR/report.sh" --markdown "$OUT/results.json" >"$OUT/table.md"
echo "bench: results in $OUT/results.json (table: $OUT/table.txt, $OUT/table.md), ${ELAPSED%.*} s"

failed=$(jq '[.runs[] | select(.label == "main" and (.ok | not))] | length' "$OUT/results.json")
if [ "$failed" -gt 0 ]; then
	echo "bench: $failed run(s) failed:"
	jq -r '.runs[] | select(.label == "main" and (.ok | not)) |
		"  \(.workload) \(.config) #\(.rep): \(.error)"' "$OUT/results.json" | sort | uniq -c | head -n 20
	exit 1
fi
exit 0
