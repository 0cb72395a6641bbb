#!/bin/bash
# tests/bench/vm.sh BUILD_DIR - the VM part of the benchmarks (called by tests/bench/run.sh;
# can be run alone).
#
# Boots each kernel of the VM suite (tests/vm/kernels.sh: Debian 6.1 and 6.12 cloud kernels) in
# QEMU with the VM suite's initramfs (tests/vm/mkinitramfs.sh) plus a bench overlay (the
# workloads, tests/bench/guest-bench.sh, tests/bench/vm-configs), booted with
# rdinit=/vigil/bench/guest-init.sh instead of the test /init.  The guest prints one
#   VIGIL-BENCH-RESULT {json}
# line per run; this script collects them into BUILD_DIR/bench/vm.json with, per kernel,
# workload and configuration, the wall-time ratio against the bare run of the same round
# (median, min, max).  Only ratios: under TCG emulation absolute times mean nothing.  Also
# the BPF time per program run (kernel.bpf_stats_enabled in the guest, read with bpftool;
# the policy's programs apart from the process sensor's): the kernel measures it around each
# program run, which makes it less wrong than wall times under TCG, but it is still emulated
# code: compare rows, not against the host.  The policy rows of tests/bench/vm-configs
# (POLICY column) get their policy written here (tests/bench/lib/policy.sh) into the overlay.
#
# Never fails `make bench`: if the VM part cannot run (no QEMU, VM harness missing, kernel not
# available, guest crashed), vm.json says so ("status": "not produced" with the reason, or a
# per-kernel status) and the exit status is 0.  Exit 2 only on bad usage.
#
# Environment:
#   BENCH_VM_KERNELS   kernels to boot [VM_KERNELS or "6.1 6.12"]
#   BENCH_VM_REPS      interleaved rounds in the guest [5]
#   BENCH_VM_CONFIGS   configuration names of tests/bench/vm-configs to run [all]; bare is
#                      always run
#   BENCH_WORKLOADS    workloads (as for tests/bench/run.sh) [all four]
#   BENCH_VM_N_EXEC, BENCH_VM_N_OPEN, BENCH_VM_N_CONNECT, BENCH_VM_N_MIXED
#                      workload sizes in the guest [300 30000 3000 10]
#   BENCH_VM_TIMEOUT   seconds per VM boot, benchmark included [600 + 120 per round and
#                      configuration with an agent: an emulated vigild start, and the JSON of
#                      a row that posts on every open, take tens of seconds each]
#   BENCH_VM_APPEND    extra kernel command-line arguments
# The guest kernel runs with softlockup_panic=1: a soft lockup ends that kernel's VM at once
# (reported, with the stack, as "incomplete") instead of hanging until the timeout.
# Logs: BUILD_DIR/bench/vm/<kernel>.log (the serial console).
set -uo pipefail
export LC_ALL=C

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: tests/bench/vm.sh BUILD_DIR" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/../.." && pwd)
OUT=$BUILD/bench
V=$OUT/vm
VMH=$REPO/tests/vm
. "$VMH/qemu.inc"
# shellcheck source=lib/policy.sh
. "$BENCH_DIR/lib/policy.sh"
KERNELS=${BENCH_VM_KERNELS:-${VM_KERNELS:-6.1 6.12}}
REPS=${BENCH_VM_REPS:-5}
TIMEOUT=${BENCH_VM_TIMEOUT:-}
QEMU=${QEMU:-qemu-system-x86_64}
mkdir -p "$V" || exit 0

note() { echo "# bench-vm: $*"; }
not_produced() {
	jq -n --arg r "$1" '{status: "not produced", reason: $r}' >"$OUT/vm.json"
	echo "bench-vm: VM rows NOT produced: $1"
	exit 0
}

# --- prerequisites ---------------------------------------------------------------------
for f in mkinitramfs.sh kernels.sh; do
	[ -x "$VMH/$f" ] || not_produced "the VM harness is not there yet (tests/vm/$f missing)"
done
command -v "$QEMU" >/dev/null 2>&1 || not_produced "'$QEMU' not found (scripts/install-deps.sh installs qemu-system-x86)"
for t in cpio gzip timeout jq ldd; do
	command -v "$t" >/dev/null 2>&1 || not_produced "'$t' not found"
done
[ -x "$BUILD/vigild" ] || not_produced "$BUILD/vigild not built"
for w in exec_storm open_storm connect_storm; do
	[ -x "$BUILD/bench-bin/$w" ] || not_produced "$BUILD/bench-bin/$w not built"
done

# --- initramfs: the VM suite's (plus bpftool for the BPF run times), plus the bench overlay ----
base=$V/base.cpio.gz
extra_bins=${VM_EXTRA_BINS-bash}
if command -v bpftool >/dev/null 2>&1; then
	extra_bins="$extra_bins bpftool"
else
	note "bpftool not found: no BPF run times in the VM rows (scripts/install-deps.sh installs it)"
fi
if ! VM_EXTRA_BINS=$extra_bins "$VMH/mkinitramfs.sh" "$BUILD" "$base" >"$V/mkinitramfs.log" 2>&1; then
	not_produced "tests/vm/mkinitramfs.sh failed: $(tail -n 2 "$V/mkinitramfs.log" | tr '\n' ' ')"
fi
stage=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-overlay.XXXXXX") || not_produced "mktemp failed"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/vigil/bench/bin"
for w in exec_storm open_storm connect_storm; do
	cp "$BUILD/bench-bin/$w" "$stage/vigil/bench/bin/"
	# Their libraries (libc) are in the base image already (vigild needs them too); copy them
	# anyway so that the overlay never depends on that.
	ldd "$BUILD/bench-bin/$w" 2>/dev/null |
		sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' |
		while read -r lib; do
			mkdir -p "$stage$(dirname "$lib")"
			cp -L "$lib" "$stage$lib"
		done
done
cp "$BENCH_DIR/workloads/mixed.sh" "$BENCH_DIR/guest-bench.sh" "$BENCH_DIR/guest-init.sh" \
	"$BENCH_DIR/lib/count_events.awk" "$stage/vigil/bench/"
chmod 755 "$stage/vigil/bench/"*.sh
# The configurations (BENCH_VM_CONFIGS: a selection; bare always), and their policies.
OPEN_TARGET=/tmp/bench-open-target
mkdir -p "$stage/vigil/bench/policies"
while read -r name wls events policy cmd; do
	case "$name" in '' | '#'*) continue ;; esac
	if [ "$name" != bare ] && [ -n "${BENCH_VM_CONFIGS:-}" ]; then
		case " $BENCH_VM_CONFIGS " in *" $name "*) ;; *) continue ;; esac
	fi
	if [ "$policy" != - ]; then
		case "$policy" in exec:*:never) ;; exec:*)
			note "vm-configs: $name: an exec policy that matches is not offered in the guest; skipped"
			continue ;;
		esac
		bench_policy_write "$policy" "$stage/vigil/bench/policies/$name.yaml" /nonexistent \
			"$OPEN_TARGET" || not_produced "vm-configs: $name: bad policy '$policy'"
	fi
	printf '%s %s %s %s %s\n' "$name" "$wls" "$events" "$policy" "$cmd"
done <"$BENCH_DIR/vm-configs" >"$stage/vigil/bench/vm-configs"
CONFIG_ORDER=$(awk '{ print $1 }' "$stage/vigil/bench/vm-configs" | jq -R . | jq -sc .)
if [ -z "$TIMEOUT" ]; then
	nagent=$(awk '$5 != "-"' "$stage/vigil/bench/vm-configs" | wc -l)
	TIMEOUT=$((600 + 120 * REPS * nagent))
fi
cat >"$stage/vigil/bench/params" <<EOF
REPS=$REPS
OPEN_TARGET=$OPEN_TARGET
WORKLOADS="${BENCH_WORKLOADS:-exec_storm open_storm connect_storm mixed}"
N_EXEC=${BENCH_VM_N_EXEC:-300}
N_OPEN=${BENCH_VM_N_OPEN:-30000}
N_CONNECT=${BENCH_VM_N_CONNECT:-3000}
N_MIXED=${BENCH_VM_N_MIXED:-10}
EOF
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$V/overlay.cpio.gz" ||
	not_produced "packing the bench overlay failed"
# The kernel unpacks concatenated archives in order; the overlay only adds files.
cat "$base" "$V/overlay.cpio.gz" >"$V/initramfs.cpio.gz"

# --- one VM per kernel --------------------------------------------------------------------

: >"$V/runs.jsonl"
: >"$V/kernels.jsonl"
for k in $KERNELS; do
	log=$V/$k.log
	rm -f "$log"
	kstat() { jq -nc --arg k "$k" --arg s "$1" --arg r "$2" --arg u "${3:-}" --argjson t "${4:-null}" \
		'{kernel: $k, status: $s, reason: $r, uname: $u, seconds: $t}' >>"$V/kernels.jsonl"; }
	if ! vmlinuz=$(VM_KERNELS=$k "$VMH/kernels.sh" "$BUILD" 2>"$V/kernels-$k.log") || [ ! -f "$vmlinuz" ]; then
		kstat "no kernel" "tests/vm/kernels.sh could not provide the $k kernel: $(tail -n 1 "$V/kernels-$k.log")"
		note "$k: no kernel (see $V/kernels-$k.log)"
		continue
	fi
	note "$k: booting $(basename "$vmlinuz") (QEMU TCG, $REPS rounds; timeout ${TIMEOUT}s)"
	t0=$EPOCHREALTIME
	rc=0
	# The VM suite's machine; only the init differs.
	vm_boot "$TIMEOUT" "$vmlinuz" "$V/initramfs.cpio.gz" "$log" \
		"softlockup_panic=1 rdinit=/vigil/bench/guest-init.sh ${BENCH_VM_APPEND:-}" || rc=$?
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
	uname_r=$(vm_clean_log "$log" | sed -n 's/^.*VIGIL-BENCH-KERNEL //p' | head -n 1)
	vm_clean_log "$log" | sed -n 's/^.*VIGIL-BENCH-RESULT //p' |
		jq -c --arg k "$k" '. + {vm_kernel: $k}' >>"$V/runs.jsonl" 2>/dev/null
	n=$(vm_clean_log "$log" | grep -c 'VIGIL-BENCH-RESULT ')
	nfail=$(vm_clean_log "$log" | grep 'VIGIL-BENCH-RESULT ' | grep -c '"ok":false')
	if ! vm_clean_log "$log" | grep -q '^VIGIL-BENCH-DONE'; then
		case $rc in
		124 | 137) why="timed out after ${TIMEOUT}s" ;;
		*) why="qemu exited $rc" ;;
		esac
		if grep -a -q 'Kernel panic' "$log"; then
			why="$why, kernel panic: $(vm_clean_log "$log" | grep -a -m 1 'Kernel panic' | cut -c1-120)"
			lockup=$(vm_clean_log "$log" | grep -a -m 1 -E 'soft lockup|hung task' | cut -c1-120)
			[ -n "$lockup" ] && why="$why; $lockup"
		fi
		kstat "incomplete" "no VIGIL-BENCH-DONE line ($why) after $n results; see $log" "$uname_r" "$secs"
		note "$k: incomplete ($why), $n results; last lines of $log:"
		vm_clean_log "$log" | tail -n 8 | sed 's/^/#   /'
	else
		kstat ok "$n runs, $nfail failed" "$uname_r" "$secs"
		note "$k: $n runs ($nfail failed) in ${secs}s; log $log"
	fi
done

# --- summary ----------------------------------------------------------------------------------
jq -n --slurpfile runs "$V/runs.jsonl" --slurpfile kernels "$V/kernels.jsonl" --argjson reps "$REPS" \
	--rawfile params "$stage/vigil/bench/params" --argjson order "$CONFIG_ORDER" '
	def median: sort | if length == 0 then null
		elif length % 2 == 1 then .[(length - 1) / 2]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	def stats: map(select(. != null)) |
		if length == 0 then null else {median: median, min: min, max: max, n: length} end;
	($runs | map(select(.config == "bare" and .ok)) |
	 map({key: "\(.vm_kernel)/\(.workload)/\(.rep)", value: .wall_s}) | from_entries) as $bare |
	{status: (if ($runs | length) == 0 then "not produced"
		  elif ($kernels | all(.status == "ok")) then "ok" else "partial" end),
	 reason: (if ($runs | length) == 0 then
		([$kernels[] | "\(.kernel): \(.status): \(.reason)"] | join("; ")) else null end),
	 reps: $reps, params: $params, kernels: $kernels, runs: $runs,
	 summary: [$runs | group_by(.vm_kernel)[] | group_by(.workload)[] | group_by(.config)[] |
		. as $g | $g[0] as $f | [$g[] | select(.ok)] as $ok |
		{kernel: $f.vm_kernel, uname: $f.kernel, workload: $f.workload, config: $f.config,
		 runs: ($g | length), runs_ok: ($ok | length),
		 errors: ([$g[] | select(.ok | not) | .error] | unique),
		 wall_ratio: (if $f.config == "bare" then null else
			[$ok[] | $bare["\(.vm_kernel)/\(.workload)/\(.rep)"] as $b |
			 select($b != null and $b > 0) | .wall_s / $b] | stats end),
		 events: ([$ok[] | select(.events != null)] as $e | if ($e | length) == 0 then null else
			{kind: $e[0].events.kind, expected: ([$e[].events.expected] | stats),
			 delivered: ([$e[].events.delivered] | stats)} end),
		 # BPF time per program run: every program of the agent, the policy programs
		 # (vigil_*) and the process sensor
		 bpf_ns_per_run: ([$ok[].bpf.ns_per_run // null] | stats),
		 bpf_runs: ([$ok[].bpf.run_cnt // null] | stats),
		 bpf_policy_ns_per_run: ([$ok[].bpf.policy.ns_per_run // null] | stats),
		 bpf_policy_runs: ([$ok[].bpf.policy.run_cnt // null] | stats),
		 bpf_sensor_ns_per_run: ([$ok[].bpf.sensor.ns_per_run // null] | stats),
		 bpf_sensor_runs: ([$ok[].bpf.sensor.run_cnt // null] | stats),
		 policy: ([$g[] | select(.policy != null)] as $p | if ($p | length) == 0 then null else
			($p[0].policy | {spec, hook, values, match}) +
			{progs: ([$ok[].bpf.progs[]? | select(.name | startswith("vigil_")) | .name] | unique),
			 kib: ([$ok[].policy.kib] | stats),
			 events: {kind: "policy", expected: ([$ok[].policy.events.expected] | stats),
				  delivered: ([$ok[].policy.events.delivered] | stats)},
			 lost: ([$ok[].agent_lost] | stats),
			 killed: ([$ok[].killed] | stats), denied: ([$ok[].denied] | stats)} end)}] |
		# the order of the guest run: kernel, workload as in params, configurations as in
		# vm-configs (bare first)
		sort_by(.kernel, (.workload as $w | ["exec_storm", "open_storm", "connect_storm", "mixed"] |
			index($w) // 99), (.config as $c | $order | index($c) // 99), .config)}' >"$OUT/vm.json.tmp" &&
	mv "$OUT/vm.json.tmp" "$OUT/vm.json"
status=$(jq -r .status "$OUT/vm.json" 2>/dev/null)
[ "$status" = ok ] || echo "bench-vm: VM rows: $status: $(jq -r '.reason // ([.kernels[] | select(.status != "ok") | "\(.kernel): \(.reason)"] | join("; "))' "$OUT/vm.json" 2>/dev/null)"
exit 0
