// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * policy_test.bpf.c - the policy program with one more entry, for
 * tests/bpf/test_policy_match.c: the matcher code that runs is the
 * production code, included whole, unchanged.
 *
 * vigil_test_call runs under BPF_PROG_TEST_RUN (a raw tracepoint program,
 * so no hook and no kernel feature beyond BPF is needed): it takes the
 * arguments of one call from the test_args map, numbers as they are and
 * strings as kernel pointers into the map value, and returns what the hook
 * would (0 or the Override errno).
 */
#include "policy.bpf.c"
#include "policy_test.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_test_args);
} test_args SEC(".maps");

/* Returned when the input is missing: neither 0 nor an errno. */
#define TEST_NO_INPUT 1

SEC("raw_tp")
int vigil_test_call(void *ctx)
{
	__u64 raw[RAW_ARGS] = {};
	struct vigil_test_args *in;
	__u32 zero = 0;
	int i;

	in = bpf_map_lookup_elem(&test_args, &zero);
	if (!in)
		return TEST_NO_INPUT;
	for (i = 0; i < RAW_ARGS; i++) {
		if (!(in->str_mask & (1U << i))) {
			raw[i] = in->num[i];
			continue;
		}
		/* The address goes through the map and comes back a plain
		 * number, as a hook's pointer arguments are. */
		in->addr[i] = (__u64)in->str[i];
		raw[i] = *(volatile __u64 *)&in->addr[i];
	}
	return run_hook(raw);
}
