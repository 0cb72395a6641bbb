# tests/bench/lib/summary.jq - add .summary to the bench results (input: results.json without
# summary; see tests/bench/run.sh).  One entry per (workload, configuration) that ran, in the
# order of params.workloads and of the configuration files.
#
# wall_ratio: per round r, wall(config, r) / wall(bare, r) (the bare run of the same round),
# then median/min/max over the rounds.  Other figures: median/min/max over the runs.

def median: sort | if length == 0 then null
	elif length % 2 == 1 then .[(length - 1) / 2]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def stats: map(select(. != null)) |
	if length == 0 then null else {median: median, min: min, max: max, n: length} end;

. as $r
| [$r.runs[] | select(.label == "main")] as $main
| ($main | map(select(.config == "bare" and .ok and .wall_s != null)
	| {key: "\(.workload)/\(.rep)", value: .wall_s}) | from_entries) as $bare
| .summary = [
	$r.params.workloads[] as $w
	| $r.configs[] | select(.available) | .name as $c
	| [$main[] | select(.workload == $w and .config == $c)] as $all
	| select($all | length > 0)
	| [$all[] | select(.ok)] as $ok
	| {workload: $w, config: $c, runs: ($all | length), runs_ok: ($ok | length),
	   errors: ([$all[] | select(.ok | not) | .error] | unique),
	   wall_s: ([$ok[].wall_s] | stats),
	   wall_ratio: (if $c == "bare" then null else
		[$ok[] | $bare["\($w)/\(.rep)"] as $b | select($b != null and $b > 0) | .wall_s / $b] | stats end),
	   events: ([$ok[] | select(.events != null)] as $e |
		if ($e | length) == 0 then null else
		{kind: $e[0].events.kind,
		 expected: ([$e[].events.expected] | stats),
		 delivered: ([$e[].events.delivered] | stats),
		 runs_with_loss: ([$e[] | select(.events.delivered < .events.expected)] | length),
		 total_expected: ([$e[].events.expected] | add),
		 total_delivered: ([$e[].events.delivered // 0] | add)} end),
	   agent_lost: ([$ok[].agent_lost.total // null] | stats),
	   agent_cpu_s: ([$ok[].agent_cpu_s] | stats),
	   agent_cpu_s_per_1k_events: ([$ok[] | select(.events != null and .events.expected > 0
		and .agent_cpu_s != null) | .agent_cpu_s / .events.expected * 1000] | stats),
	   agent_hwm_kb: ([$ok[].agent_hwm_kb] | stats),
	   bpf_ns_per_run: ([$ok[].bpf.ns_per_run // null] | stats),
	   bpf_runs: ([$ok[].bpf.run_cnt // null] | stats),
	   # the policy programs (names vigil_*) and the process sensor's, apart
	   bpf_policy_ns_per_run: ([$ok[].bpf.policy.ns_per_run // null] | stats),
	   bpf_policy_runs: ([$ok[].bpf.policy.run_cnt // null] | stats),
	   bpf_sensor_ns_per_run: ([$ok[].bpf.sensor.ns_per_run // null] | stats),
	   bpf_sensor_runs: ([$ok[].bpf.sensor.run_cnt // null] | stats),
	   policy: ([$all[] | select(.policy != null)] as $p | if ($p | length) == 0 then null else
		($p[0].policy | {spec, hook, values, match}) +
		{progs: ([$ok[].bpf.progs[]? | select(.name | startswith("vigil_")) | .name] | unique),
		 kib: ([$ok[].policy.kib] | stats),
		 events: {kind: "policy", expected: ([$ok[].policy.events.expected] | stats),
			  delivered: ([$ok[].policy.events.delivered] | stats)},
		 lost: ([$ok[].agent_lost.policy // null] | stats),
		 killed: ([$ok[].workload_out.killed // null] | stats),
		 denied: ([$ok[].workload_out.denied // null] | stats)} end),
	   ready_s: ([$ok[].ready_s] | stats),
	   output_bytes: ([$ok[].output_bytes] | stats)}
  ]
