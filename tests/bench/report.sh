#!/bin/bash
# tests/bench/report.sh [--markdown] RESULTS.json - print the bench table from results.json
# (written by tests/bench/run.sh).  Plain text by default; --markdown for docs/BENCHMARKS.md.
set -uo pipefail
export LC_ALL=C

md=0
if [ "${1:-}" = --markdown ]; then
	md=1
	shift
fi
[ $# -eq 1 ] && [ -f "$1" ] || {
	echo "usage: tests/bench/report.sh [--markdown] BUILD/bench/results.json" >&2
	exit 2
}
R=$1

# One TSV row per summary entry, raw numbers ("null" when absent); awk formats them.
# Fields: 1 workload, 2 config, 3-5 wall ratio med/min/max, 6 bare wall median, 7 event kind,
# 8-9 delivered min/max, 10-11 expected min/max, 12-14 CPU s/1k med/min/max, 15 CPU s median,
# 16-18 RSS kB med/min/max, 19-21 BPF ns/run med/min/max, 22 BPF runs median,
# 23-25 ready s med/min/max, 26 runs ok, 27 runs, 28 agent-reported loss max,
# 29-30 wall s min/max.
rows() {
	jq -r 'def m3(x): [(x.median // "null"), (x.min // "null"), (x.max // "null")];
	.summary[] | [.workload, .config] + m3(.wall_ratio) + [(.wall_s.median // "null"),
		(.events.kind // "null"),
		(.events.delivered.min // "null"), (.events.delivered.max // "null"),
		(.events.expected.min // "null"), (.events.expected.max // "null")] +
		m3(.agent_cpu_s_per_1k_events) + [(.agent_cpu_s.median // "null")] +
		m3(.agent_hwm_kb) + m3(.bpf_ns_per_run) + [(.bpf_runs.median // "null")] +
		m3(.ready_s) + [.runs_ok, .runs, (.agent_lost.max // "null"),
		(.wall_s.min // "null"), (.wall_s.max // "null")]
	| map(tostring) | join("\t")' "$R"
}

# Shared by the tables' awk programs: number formats, and table(nc) that prints the header
# h[1..nc] and the cells c[1..nr, 1..nc] (plain: aligned columns; md: a markdown table), the
# first nl columns left-aligned (text), the others right-aligned (numbers).
AWK_LIB='
	function sig(x) {
		if (x == "null") return "n/a"
		if (x >= 100) return sprintf("%.0f", x)
		if (x >= 10) return sprintf("%.1f", x)
		if (x >= 1) return sprintf("%.2f", x)
		return sprintf("%.3f", x)
	}
	# median (min-max), each through sig() or scaled and fixed decimals
	function m3(a, b, c, scale, d) {
		if (a == "null") return "n/a"
		if (d == "") return sig(a / scale) " (" sig(b / scale) "-" sig(c / scale) ")"
		return sprintf("%." d "f (%." d "f-%." d "f)", a / scale, b / scale, c / scale)
	}
	function k(x) { return x >= 10000 ? sprintf("%.0fk", x / 1000) : (x >= 1000 ? sprintf("%.1fk", x / 1000) : sprintf("%d", x)) }
	function table(nc, nl,    i, j, q, s, line, sep, w) {
		for (j = 1; j <= nc; j++) {
			w[j] = length(h[j])
			for (i = 1; i <= nr; i++) if (length(c[i, j]) > w[j]) w[j] = length(c[i, j])
		}
		if (md) {
			line = "|"; sep = "|"
			for (j = 1; j <= nc; j++) { line = line " " h[j] " |"; sep = sep (j <= nl ? " --- |" : " ---: |") }
			print line; print sep
			for (i = 1; i <= nr; i++) {
				line = "|"
				for (j = 1; j <= nc; j++) line = line " " c[i, j] " |"
				print line
			}
		} else {
			for (j = 1; j <= nc; j++) printf "%-" w[j] "s%s", h[j], (j < nc ? "  " : "\n")
			for (j = 1; j <= nc; j++) { s = ""; for (q = 0; q < w[j]; q++) s = s "-"; printf "%s%s", s, (j < nc ? "  " : "\n") }
			for (i = 1; i <= nr; i++)
				for (j = 1; j <= nc; j++)
					printf (j <= nl ? "%-" : "%") w[j] "s%s", c[i, j], (j < nc ? "  " : "\n")
		}
	}
'

format() {
	awk -F'\t' -v md="$md" "$AWK_LIB"'
	BEGIN {
		h[1] = "workload"; h[2] = "config"; h[3] = "wall vs bare"
		h[4] = "events delivered/expected"; h[5] = "agent CPU s/1k events"
		h[6] = "agent peak RSS MiB"; h[7] = "BPF ns/run [runs]"; h[8] = "ready s"
		nc = 8; nr = 0
	}
	{
		nr++
		c[nr, 1] = $1; c[nr, 2] = $2
		if ($2 == "bare")
			c[nr, 3] = "1 = " m3($6, $29, $30, 1, 3) " s"
		else
			c[nr, 3] = m3($3, $4, $5, 1, 2)
		if ($2 == "bare") c[nr, 4] = "-"
		else if ($7 == "null") c[nr, 4] = "n/a"
		else {
			d = ($8 == $9) ? $8 : $8 ".." $9
			e = ($10 == $11) ? $10 : $10 ".." $11
			c[nr, 4] = d "/" e " " $7
			if ($28 != "null" && $28 > 0) c[nr, 4] = c[nr, 4] " (agent lost <=" $28 ")"
		}
		if ($2 == "bare") c[nr, 5] = "-"
		else if ($12 != "null") c[nr, 5] = m3($12, $13, $14, 1, "")
		else if ($15 != "null") c[nr, 5] = "n/a (" sig($15) " s total)"
		else c[nr, 5] = "n/a"
		c[nr, 6] = ($2 == "bare") ? "-" : m3($16, $17, $18, 1024, 1)
		if ($2 == "bare") c[nr, 7] = "-"
		else if ($19 == "null") c[nr, 7] = "n/a"
		else c[nr, 7] = m3($19, $20, $21, 1, 0) " [" k($22) "]"
		c[nr, 8] = ($2 == "bare") ? "-" : m3($23, $24, $25, 1, 2)
		if ($26 != $27) c[nr, 2] = c[nr, 2] " [" $26 "/" $27 " ok]"
	}
	END { table(nc, 2) }'
}

jq -r '"vigil bench \(.date) on \(.machine.hostname): \(.machine.os), kernel \(.machine.kernel), " +
	"\(.machine.cpus) x \(.machine.cpu), \(.machine.mem_kb / 1048576 | floor) GiB" +
	(if (.machine.virtualization // "none") != "none" then ", VM: \(.machine.virtualization)" else "" end) +
	(if (.machine.container // "none") != "none" then ", container: \(.machine.container)" else "" end) +
	"; vigil \(.machine.vigil_commit), auditd \(.machine.auditd), bpftrace \(.machine.bpftrace)"' "$R"
# policy_rows host|vm: the policy rows, one TSV row per summary entry with a policy, plus the
# vigil row (no policy) of the same workload (and kernel).  Fields: 1 kernel ("-" on the host),
# 2 workload, 3 config, 4 hook, 5 policy programs, 6 values, 7 match, 8-10 wall ratio
# med/min/max, 11-12 policy events delivered min/max, 13-14 expected min/max, 15 killed max,
# 16 denied max, 17-19 policy BPF ns/run med/min/max, 20 policy runs median, 21-23 sensor BPF
# ns/run med/min/max, 24 sensor runs median, 25-27 KiB med/min/max, 28 runs ok, 29 runs,
# 30 policy events the agent lost, max.
policy_rows() {
	jq -r --arg src "$1" 'def m3(x): [(x.median // "null"), (x.min // "null"), (x.max // "null")];
	(if $src == "vm" then .vm.summary // [] else .summary end) as $s |
	[$s[] | select(.policy != null) | "\(.kernel)/\(.workload)"] as $pw |
	$s[] | select(.policy != null or (.config == "vigil" and ("\(.kernel)/\(.workload)" as $w | $pw | index($w)))) |
	[(.kernel // "-"), .workload, .config, (.policy.hook // "-"), (.policy.progs // [] | join(",")),
	 (.policy.values // "null"), (.policy.match // "null")] + m3(.wall_ratio) +
	[(.policy.events.delivered.min // "null"), (.policy.events.delivered.max // "null"),
	 (.policy.events.expected.min // "null"), (.policy.events.expected.max // "null"),
	 (.policy.killed.max // "null"), (.policy.denied.max // "null")] +
	m3(.bpf_policy_ns_per_run) + [(.bpf_policy_runs.median // "null")] +
	m3(.bpf_sensor_ns_per_run) + [(.bpf_sensor_runs.median // "null")] +
	m3(.policy.kib // {}) + [.runs_ok, .runs, (.policy.lost.max // "null")]
	| map(tostring) | join("\t")' "$R"
}

# policy_format host|vm: print policy_rows (the VM's with a kernel column first).
policy_format() {
	awk -F'\t' -v md="$md" -v vm="$([ "$1" = vm ] && echo 1 || echo 0)" "$AWK_LIB"'
	BEGIN {
		h[1] = "workload"; h[2] = "config"; h[3] = "policy hook [programs]"; h[4] = "values"
		h[5] = "selector"; h[6] = "wall vs bare"; h[7] = "policy events delivered/expected"
		h[8] = "policy BPF ns/call [calls]"; h[9] = "sensor BPF ns/run [runs]"
		h[10] = "policy kernel KiB"
		nc = 10; nr = 0
		sel["never"] = "never matches"; sel["post"] = "matches: Post"
		sel["kill"] = "matches: Sigkill"; sel["deny"] = "matches: Override -1"
	}
	{
		# one field list for both: drop the kernel, keep it for the first column of the VM
		kern = $1
		for (i = 1; i < NF; i++) $i = $(i + 1)
		NF--
		nr++
		c[nr, 1] = $1; c[nr, 2] = $2
		c[nr, 3] = ($3 == "-") ? "none" : $3 ($4 != "" ? " [" $4 "]" : "")
		c[nr, 4] = ($5 == "null") ? "-" : k($5)
		c[nr, 5] = ($6 == "null") ? "-" : (($6 in sel) ? sel[$6] : $6)
		c[nr, 6] = m3($7, $8, $9, 1, 2)
		if ($10 == "null") c[nr, 7] = ($3 == "-") ? "-" : "n/a"
		else {
			d = ($10 == $11) ? $10 : $10 ".." $11
			e = ($12 == $13) ? $12 : $12 ".." $13
			c[nr, 7] = d "/" e
			if ($14 != "null" && $14 > 0) c[nr, 7] = c[nr, 7] ", killed " $14
			if ($15 != "null" && $15 > 0) c[nr, 7] = c[nr, 7] ", denied " $15
			if ($29 != "null" && $29 > 0) c[nr, 7] = c[nr, 7] " (agent lost <=" $29 ")"
		}
		if ($16 == "null") c[nr, 8] = ($3 == "-") ? "-" : "n/a"
		else c[nr, 8] = m3($16, $17, $18, 1, 0) " [" k($19) "]"
		c[nr, 9] = ($20 == "null") ? "n/a" : m3($20, $21, $22, 1, 0) " [" k($23) "]"
		if ($24 == "null") c[nr, 10] = "-"
		else if ($25 == $26) c[nr, 10] = sprintf("%d", $24)
		else c[nr, 10] = m3($24, $25, $26, 1, 0)
		if ($27 != $28) c[nr, 2] = c[nr, 2] " [" $27 "/" $28 " ok]"
		if (vm) { for (j = nc; j >= 1; j--) c[nr, j + 1] = c[nr, j]; c[nr, 1] = kern }
	}
	END {
		if (vm) { for (j = nc; j >= 1; j--) h[j + 1] = h[j]; h[1] = "kernel"; nc++ }
		table(nc, vm ? 6 : 5)
	}'
}

jq -r '"\(.params.reps) interleaved rounds" + (if .params.conforming then "" else " (FEWER THAN 5: not a conforming result)" end) +
	"; N: " + (.params.n | to_entries | map("\(.key) \(.value)") | join(", ")) +
	"; kernel.bpf_stats_enabled=" + (if .params.bpf_stats_enabled then "1" else "0 (BPF ns/run n/a)" end) +
	"\nEvery cell: median (min-max) over the rounds; wall vs bare = wall time / the bare run of the same round."' "$R"
[ "$md" = 1 ] && echo
rows | format
[ "$md" = 1 ] && echo
jq -r '.configs[] | select(.available | not) | "skipped: \(.name): \(.reason)"' "$R"

# Policy rows.
if [ "$(jq '[.summary[] | select(.policy != null)] | length' "$R")" -gt 0 ]; then
	[ "$md" = 1 ] && echo
	echo "Policy hooks (BPF figures from kernel.bpf_stats_enabled: the policy's programs, vigil_*, and the process sensor's apart; a call is one run of the policy's program):"
	[ "$md" = 1 ] && echo
	policy_rows host | policy_format host
fi

# Loss ramp.
jq -r 'if .ramp == null then "loss ramp: not run"
	else .ramp as $r |
	def f: floor | tostring;
	"vigil loss ramp (exec_storm at rising --rate, \($r.steps | length) steps): " +
	(if $r.max_lossfree_rate == null then "no loss-free step"
	 else "highest loss-free rate \($r.max_lossfree_rate | f) execs/s" end) +
	(if $r.first_loss != null then
		"; first loss at \($r.first_loss.rate_achieved | f) execs/s" +
		(if $r.first_loss.rate_target > 0 then " (target \($r.first_loss.rate_target)/s)" else " (flat out, \($r.first_loss.jobs) in flight)" end) +
		": delivered \($r.first_loss.delivered)/\($r.first_loss.expected), agent lost \($r.first_loss.agent_lost)"
	 elif $r.saturated != null then
		"; no loss: the machine tops out at \($r.saturated.rate_achieved | f) execs/s (target \($r.saturated.rate_target)/s)" +
		(if $r.flat_out != null and $r.flat_out.ok then
			", and flat out (\($r.flat_out.jobs) in flight) at \($r.flat_out.rate_achieved | f) execs/s vigil delivered \($r.flat_out.delivered)/\($r.flat_out.expected)"
		 else "" end)
	 else "; no loss at any tried rate" end) +
	([$r.steps[] | select(.ok | not) | "; step \(.rate_target)/s FAILED: \(.error)"] | join(""))
	end' "$R"

# VM part.
if [ "$(jq -r '.vm.summary // [] | length' "$R")" -gt 0 ]; then
	[ "$md" = 1 ] && echo
	echo "VM (QEMU TCG; wall ratios vs bare of the same round, median (min-max)):"
	[ "$md" = 1 ] && echo
	jq -r '.vm.summary[] | [.kernel, .workload, .config,
		(if .config == "bare" then "1" elif .wall_ratio == null then "n/a"
		 else "\(.wall_ratio.median * 100 | round / 100) (\(.wall_ratio.min * 100 | round / 100)-\(.wall_ratio.max * 100 | round / 100))" end),
		(if .events == null then "n/a" else "\(.events.delivered.min)/\(.events.expected.min)" end),
		(.bpf_ns_per_run.median // "null"), (.bpf_ns_per_run.min // "null"),
		(.bpf_ns_per_run.max // "null"), (.bpf_runs.median // "null"),
		"\(.runs_ok)/\(.runs)"] | map(tostring) | join("\t")' "$R" |
		awk -F'\t' -v md="$md" "$AWK_LIB"'
		BEGIN {
			h[1] = "kernel"; h[2] = "workload"; h[3] = "config"; h[4] = "wall vs bare"
			h[5] = "events"; h[6] = "BPF ns/run [runs]"; h[7] = "runs ok"
			nr = 0
		}
		{
			nr++
			c[nr, 1] = $1; c[nr, 2] = $2; c[nr, 3] = $3; c[nr, 4] = $4; c[nr, 5] = $5
			if ($3 == "bare") c[nr, 6] = "-"
			else if ($6 == "null") c[nr, 6] = "n/a"
			else c[nr, 6] = m3($6, $7, $8, 1, 0) " [" k($9) "]"
			c[nr, 7] = $10
		}
		END { table(7, 3) }'
	if [ "$(jq '[.vm.summary[] | select(.policy != null)] | length' "$R")" -gt 0 ]; then
		[ "$md" = 1 ] && echo
		echo "VM policy hooks (BPF ns per call as the guest kernel measures it under TCG: compare rows, not with the host):"
		[ "$md" = 1 ] && echo
		policy_rows vm | policy_format vm
	fi
	jq -r '.vm.kernels[]? | select(.status != "ok") | "VM kernel \(.kernel): \(.status): \(.reason)"' "$R"
else
	jq -r '"VM rows: NOT PRODUCED: \(.vm.reason // "unknown")"' "$R"
fi
