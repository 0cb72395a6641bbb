// SPDX-License-Identifier: Apache-2.0
/*
 * The network sensor's event names: each hook is the event a Tetragon
 * example policy gives (policy name, function, argument types and labels),
 * found through the policy hook table (policy id 0) with or without loaded
 * policies; nothing else is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "network.h"

static void expect(uint32_t n, const char *policy, const char *fn, size_t nargs)
{
	const struct vigil_hook_meta *m = vigil_policies_hook(NULL, VIGIL_NET_HOOK(n));

	assert_non_null(m);
	assert_ptr_equal(m, vigil_network_hook(VIGIL_NET_HOOK(n)));
	assert_string_equal(m->policy_name, policy);
	assert_string_equal(m->function_name, fn);
	assert_int_equal(m->kind, VIGIL_HOOK_KPROBE);
	assert_int_equal(m->nargs, nargs);
	assert_int_equal(m->args[0].type, VIGIL_ARG_SOCK);
	assert_string_equal(m->args[0].type_name, "sock");
	assert_null(m->ret);
}

static void test_each_event_is_named_as_the_example_policies_name_it(void **state)
{
	const struct vigil_hook_meta *m;

	(void)state;
	expect(VIGIL_NET_CONNECT, "connect", "tcp_connect", 1);
	expect(VIGIL_NET_LISTEN, "tcp-listen", "inet_csk_listen_start", 1);
	expect(VIGIL_NET_ACCEPT, "accept", "tcp_set_state", 2);
	expect(VIGIL_NET_CLOSE, "connect", "tcp_close", 3);
	expect(VIGIL_NET_DATAGRAM, "datagram", "__cgroup_bpf_run_filter_skb", 3);
	m = vigil_network_hook(VIGIL_NET_HOOK(VIGIL_NET_ACCEPT));
	assert_string_equal(m->args[1].label, "state");
	m = vigil_network_hook(VIGIL_NET_HOOK(VIGIL_NET_CLOSE));
	/* 64-bit counters: size_arg in the JSON */
	assert_string_equal(m->args[1].type_name, "uint64");
	assert_string_equal(m->args[1].label, "bytes_acked");
	assert_string_equal(m->args[2].label, "bytes_received");
	m = vigil_network_hook(VIGIL_NET_HOOK(VIGIL_NET_DATAGRAM));
	assert_int_equal(m->args[1].type, VIGIL_ARG_SKB);
}

static void test_other_hooks_are_not_the_sensors(void **state)
{
	(void)state;
	assert_null(vigil_network_hook(0));
	assert_null(vigil_network_hook(VIGIL_NET_HOOK_COUNT));
	assert_null(vigil_network_hook(1U << 12 | VIGIL_NET_CONNECT)); /* policy 1's */
	assert_null(vigil_policies_hook(NULL, 0));
	assert_null(vigil_policies_hook(NULL, 1U << 12 | 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_event_is_named_as_the_example_policies_name_it),
		cmocka_unit_test(test_other_hooks_are_not_the_sensors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
