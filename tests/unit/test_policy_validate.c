// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the policy validator (policy/validate.c) with fake kernel
 * facts: a table of policies that parse but are wrong (or earn warnings),
 * each with every diagnostic it must produce, formatted exactly, in order;
 * then valid policies, the facts being absent or unknown, and the
 * Tetragon-style fixtures validating cleanly.
 * VIGIL_TEST_DUMP=1 prints each case's diagnostics instead of checking.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy_cases.h"

#include "diag.h"
#include "parse.h"
#include "suggest.h"
#include "validate.h"

#define H "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n"

/* --- a fake kernel ---------------------------------------------------------- */

struct named {
	const char *name;
	int nargs;
};

static const struct named functions[] = {
	{ "security_bprm_check", 1 },
	{ "security_file_open", 1 },
	{ "security_inode_copy_up_xattr", 1 },
	{ "tcp_connect", 1 },
	{ "fd_install", 2 },
	{ "commit_creds", 1 },
	{ "__x64_sys_write", 3 },
	{ "__x64_sys_openat", 4 },
	{ "__x64_sys_dup", 1 },
	{ "__x64_sys_dup2", 2 },
	{ "__x64_sys_dup3", 3 },
	{ "bpf_lsm_file_open", 1 },
	{ "bpf_lsm_bprm_check_security", 1 },
	{ "bpf_lsm_socket_connect", 3 },
	{ "btf_trace_sched_process_exec", 3 }, /* a raw tracepoint's prototype */
};

static const char *const lsm_hooks[] = { "file_open", "bprm_check_security", "socket_connect" };

static const char *const tracepoints[] = { "syscalls/sys_enter_openat", "syscalls/sys_enter_write",
					   "sched/sched_process_exec", "raw_syscalls/sys_enter" };

static int fake_has_function(void *ctx, const char *name)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (strcmp(functions[i].name, name) == 0)
			return 1;
	return 0;
}

static int fake_has_lsm_hook(void *ctx, const char *hook)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(lsm_hooks) / sizeof(lsm_hooks[0]); i++)
		if (strcmp(lsm_hooks[i], hook) == 0)
			return 1;
	return 0;
}

static int fake_has_tracepoint(void *ctx, const char *subsys, const char *event)
{
	char name[256];
	size_t i;

	(void)ctx;
	snprintf(name, sizeof(name), "%s/%s", subsys, event);
	for (i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
		if (strcmp(tracepoints[i], name) == 0)
			return 1;
	return 0;
}

static int fake_has_raw_tracepoint(void *ctx, const char *event)
{
	(void)ctx;
	return strcmp(event, "sched_process_exec") == 0 || strcmp(event, "sys_enter") == 0;
}

static int fake_nargs(void *ctx, const char *name)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (strcmp(functions[i].name, name) == 0)
			return functions[i].nargs;
	return -1;
}

static int fake_readlink(void *ctx, const char *path, char *out, size_t outsz)
{
	(void)ctx;
	if (strcmp(path, "/bin/sh") == 0) {
		snprintf(out, outsz, "/usr/bin/dash");
		return 1;
	}
	if (strcmp(path, "/bin/bash") == 0) {
		snprintf(out, outsz, "/usr/bin/bash");
		return 1;
	}
	return strncmp(path, "/usr/", 5) == 0 ? 0 : -1;
}

static int fake_suggest(void *ctx, enum vigil_hook_kind kind, const char *name, char *out,
			size_t outsz)
{
	const char *cands[32], *best;
	size_t i, n = 0;

	(void)ctx;
	if (kind == VIGIL_HOOK_LSM) {
		for (i = 0; i < sizeof(lsm_hooks) / sizeof(lsm_hooks[0]); i++)
			cands[n++] = lsm_hooks[i];
	} else if (kind == VIGIL_HOOK_TRACEPOINT) {
		for (i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
			cands[n++] = tracepoints[i];
	} else {
		for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
			cands[n++] = functions[i].name;
	}
	best = vigil_suggest(name, cands, n);
	if (!best)
		return 0;
	snprintf(out, outsz, "%s", best);
	return 1;
}

static const struct vigil_kernel_facts fake = {
	.ctx = NULL,
	.has_function = fake_has_function,
	.has_lsm_hook = fake_has_lsm_hook,
	.has_tracepoint = fake_has_tracepoint,
	.has_raw_tracepoint = fake_has_raw_tracepoint,
	.function_nargs = fake_nargs,
	.readlink = fake_readlink,
	.suggest = fake_suggest,
};

static int unknown_name(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return -1;
}

static int unknown_tp(void *ctx, const char *subsys, const char *event)
{
	(void)ctx;
	(void)subsys;
	(void)event;
	return -1;
}

/* A kernel whose facts are all unknown (no BTF, no tracefs). */
static const struct vigil_kernel_facts unknown = {
	.has_function = unknown_name,
	.has_lsm_hook = unknown_name,
	.has_tracepoint = unknown_tp,
	.function_nargs = unknown_name,
};

/* --- the harness ------------------------------------------------------------ */

/* Expand the placeholders MSGn, TAGn, STRn into n repeated letters. */
static char *expand(const char *yaml)
{
	size_t cap = strlen(yaml) + 8192, len = 0;
	char *out = malloc(cap);
	const char *p = yaml;
	char *end;
	long n;

	assert_non_null(out);
	while (*p) {
		if ((!strncmp(p, "MSG", 3) || !strncmp(p, "TAG", 3) || !strncmp(p, "STR", 3)) &&
		    p[3] >= '0' && p[3] <= '9') {
			n = strtol(p + 3, &end, 10);
			assert_true(n > 0 && (size_t)n < cap - len - strlen(end) - 1);
			memset(out + len, p[0] == 'S' ? '/' : 'm', (size_t)n);
			len += (size_t)n;
			p = end;
			continue;
		}
		out[len++] = *p++;
	}
	out[len] = '\0';
	return out;
}

static void dump(const char *name, const char *text)
{
	const char *p;

	printf("CASE\t%s\t", name);
	for (p = text; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\\')
			fputs("\\\\", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
}

static void run_case(void **state)
{
	const struct policy_case *c = *state;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *yaml = expand(c->yaml), *text;
	int rc;

	rc = vigil_policy_parse("t.yaml", yaml, strlen(yaml), &p, &ds);
	if (rc) {
		text = format_all(&ds);
		fprintf(stderr, "the case does not parse:\n%s\n", text);
		free(text);
	}
	assert_int_equal(rc, 0);
	rc = vigil_policy_validate(p, &fake, &ds);
	text = format_all(&ds);
	if (getenv("VIGIL_TEST_DUMP")) {
		dump(c->name, text);
	} else {
		assert_int_equal(rc, ds.nerrors ? -EINVAL : 0);
		assert_non_null(c->want);
		assert_string_equal(text, c->want);
	}
	free(text);
	free(yaml);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static const struct policy_case cases[] = {
	{ "match_arg_undeclared_index",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 1\n        operator: "
	    "Equal\n        values: [\"3\"]\n",
	  "t.yaml:14:16: spec.kprobes[0].selectors[0].matchArgs[0].index: no argument with index 1 "
	  "in args (indexes: 0)" },
	{ "match_arg_no_args",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    selectors:\n    - "
	    "matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"3\"]\n",
	  "t.yaml:11:16: spec.kprobes[0].selectors[0].matchArgs[0].index: no argument with index "
	  "0: the hook has no args" },
	{ "prefix_on_int",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Prefix\n        values: [\"3\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"Prefix\" "
	  "does not apply to an argument of type \"int\" (it applies to string, char_buf, fd, "
	  "file, path, dentry, linux_binprm)" },
	{ "postfix_on_sock",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: sock\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "NotPostfix\n        values: [\".local\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"NotPostfix\" does not apply to an argument of type \"sock\" (it applies to string, "
	  "char_buf, fd, file, path, dentry, linux_binprm)" },
	{ "gt_on_string",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 1\n     "
	    " type: file\n    selectors:\n    - matchArgs:\n      - index: 1\n        operator: "
	    "GreaterThan\n        values: [\"5\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"GT\" does "
	  "not apply to an argument of type \"file\" (it applies to int, int8..int64, "
	  "uint8..uint64, long, ulong, size_t)" },
	{ "mask_on_capability",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: capability\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Mask\n        values: [\"1\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"Mask\" "
	  "does not apply to an argument of type \"capability\" (it applies to int, int8..int64, "
	  "uint8..uint64, long, ulong, size_t)" },
	{ "in_range_on_char_buf",
	  H "  kprobes:\n  - call: sys_write\n    args:\n    - index: 1\n      type: char_buf\n    "
	    "selectors:\n    - matchArgs:\n      - index: 1\n        operator: InRange\n        "
	    "values: [\"1:2\"]\n",
	  "t.yaml:14:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"InRange\" "
	  "does not apply to an argument of type \"char_buf\" (it applies to int, int8..int64, "
	  "uint8..uint64, long, ulong, size_t)" },
	{ "saddr_on_int",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "SAddr\n        values: [\"10.0.0.1\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"SAddr\" "
	  "does not apply to an argument of type \"int\" (it applies to sock, socket, sockaddr, "
	  "skb)" },
	{ "daddr_on_sockaddr",
	  H "  lsmhooks:\n  - hook: socket_connect\n    args:\n    - index: 1\n      type: "
	    "sockaddr\n    selectors:\n    - matchArgs:\n      - index: 1\n        operator: "
	    "DAddr\n        values: [\"10.0.0.1\"]\n",
	  "t.yaml:14:19: spec.lsmhooks[0].selectors[0].matchArgs[0].operator: operator \"DAddr\" "
	  "does not apply to an argument of type \"sockaddr\" (it applies to sock, socket, skb)" },
	{ "dport_on_sockaddr",
	  H "  lsmhooks:\n  - hook: socket_connect\n    args:\n    - index: 1\n      type: "
	    "sockaddr\n    selectors:\n    - matchArgs:\n      - index: 1\n        operator: "
	    "NotDPort\n        values: [\"53\"]\n",
	  "t.yaml:14:19: spec.lsmhooks[0].selectors[0].matchArgs[0].operator: operator "
	  "\"NotDPort\" does not apply to an argument of type \"sockaddr\" (it applies to sock, "
	  "socket, skb)" },
	{ "protocol_on_sockaddr",
	  H "  lsmhooks:\n  - hook: socket_connect\n    args:\n    - index: 1\n      type: "
	    "sockaddr\n    selectors:\n    - matchArgs:\n      - index: 1\n        operator: "
	    "Protocol\n        values: [\"IPPROTO_TCP\"]\n",
	  "t.yaml:14:19: spec.lsmhooks[0].selectors[0].matchArgs[0].operator: operator "
	  "\"Protocol\" does not apply to an argument of type \"sockaddr\" (it applies to sock, "
	  "socket, skb)" },
	{ "sport_on_file",
	  H "  lsmhooks:\n  - hook: file_open\n    args:\n    - index: 0\n      type: file\n    "
	    "selectors:\n    - matchArgs:\n      - index: 0\n        operator: SPort\n        "
	    "values: [\"22\"]\n",
	  "t.yaml:14:19: spec.lsmhooks[0].selectors[0].matchArgs[0].operator: operator \"SPort\" "
	  "does not apply to an argument of type \"file\" (it applies to sock, socket, sockaddr, "
	  "skb)" },
	{ "equal_on_sock",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: sock\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: [\"x\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"Equal\" "
	  "does not apply to an argument of type \"sock\" (it applies to string, char_buf, fd, "
	  "file, path, dentry, linux_binprm, capability and integer types)" },
	{ "equal_on_cred",
	  H "  kprobes:\n  - call: commit_creds\n    syscall: false\n    args:\n    - index: 0\n   "
	    "   type: cred\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: [\"0\"]\n",
	  "t.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"Equal\" "
	  "does not apply to an argument of type \"cred\" (it applies to string, char_buf, fd, "
	  "file, path, dentry, linux_binprm, capability and integer types)" },
	{ "int_not_a_number",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: [\"3\", \"three\", \"0x1g\", \"1_000\", \"1__0\"]\n",
	  "t.yaml:16:23: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: \"three\" is not an "
	  "integer\nt.yaml:16:32: spec.kprobes[0].selectors[0].matchArgs[0].values[2]: \"0x1g\" is "
	  "not an integer\nt.yaml:16:49: spec.kprobes[0].selectors[0].matchArgs[0].values[4]: "
	  "\"1__0\" is not an integer" },
	{ "uint8_out_of_range",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: uint8\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: [\"255\", \"256\", \"0xff\", \"0x100\"]\n",
	  "t.yaml:16:25: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: \"256\" is out of "
	  "range for \"uint8\" (0 to 255)\nt.yaml:16:40: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[3]: \"0x100\" is out of range for "
	  "\"uint8\" (0 to 255)" },
	{ "int8_out_of_range",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int8\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "NotEqual\n        values: [\"-128\", \"-129\", \"127\", \"128\"]\n",
	  "t.yaml:16:26: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: \"-129\" is out of "
	  "range for \"int8\" (-128 to 127)\nt.yaml:16:41: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[3]: \"128\" is out of range for "
	  "\"int8\" (-128 to 127)" },
	{ "uint32_negative",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: uint32\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: [\"-1\"]\n",
	  "t.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"-1\" is out of "
	  "range for \"uint32\" (0 to 4294967295)" },
	{ "int_is_32_bits",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: [\"2147483647\", \"0x80000000\", \"-2147483648\", "
	    "\"-2147483649\"]\n",
	  "t.yaml:16:32: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: \"0x80000000\" is "
	  "out of range for \"int\" (-2147483648 to 2147483647)\nt.yaml:16:61: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[3]: \"-2147483649\" is out of range "
	  "for \"int\" (-2147483648 to 2147483647)" },
	{ "uint64_overflow",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: uint64\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "LessThan\n        values: [\"18446744073709551615\", \"18446744073709551616\"]\n",
	  "t.yaml:16:42: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: "
	  "\"18446744073709551616\" is out of range for \"uint64\" (0 to 18446744073709551615)" },
	{ "int64_limits",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: long\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "GT\n        values: [\"-9223372036854775808\", \"9223372036854775808\"]\n",
	  "t.yaml:16:42: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: "
	  "\"9223372036854775808\" is out of range for \"long\" (-9223372036854775808 to "
	  "9223372036854775807)" },
	{ "gt_float",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: size_t\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "GT\n        values: [\"1.5\"]\n",
	  "t.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"1.5\" is not an "
	  "integer" },
	{ "in_range_single",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "InRange\n        values: [\"5\", \"1:2:3\", \"a:b\"]\n",
	  "t.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"5\" is not a range "
	  "\"min:max\" of integers\nt.yaml:16:23: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[1]: \"1:2:3\" is not a range "
	  "\"min:max\" of integers\nt.yaml:16:32: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[2]: \"a:b\" is not a range \"min:max\" "
	  "of integers" },
	{ "in_range_reversed",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "NotInRange\n        values: [\"9:1\", \"-5:5\"]\n",
	  "t.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: range \"9:1\" has "
	  "its minimum above its maximum" },
	{ "in_range_out_of_type",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int8\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "InRange\n        values: [\"0:200\"]\n",
	  "t.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"0:200\" is out of "
	  "range for \"int8\" (-128 to 127)" },
	{ "in_map_bad_values",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: uint32\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "InMap\n        values: [\"1\", \"2:9\", \"x\", \"1:x\", \"9:2\"]\n",
	  "t.yaml:16:30: spec.kprobes[0].selectors[0].matchArgs[0].values[2]: \"x\" is not an "
	  "integer\nt.yaml:16:35: spec.kprobes[0].selectors[0].matchArgs[0].values[3]: \"1:x\" is "
	  "not a range \"min:max\" of integers\nt.yaml:16:42: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[4]: range \"9:2\" has its minimum "
	  "above its maximum" },
	{ "in_map_list",
	  H "  lists:\n  - name: dups\n    type: syscalls\n    values: [sys_dup]\n  tracepoints:\n "
	    " - subsystem: raw_syscalls\n    event: sys_enter\n    args:\n    - index: 4\n      "
	    "type: uint64\n    selectors:\n    - matchArgs:\n      - index: 4\n        operator: "
	    "NotInMap\n        values: [\"list:dups\"]\n",
	  "t.yaml:20:18: spec.tracepoints[0].selectors[0].matchArgs[0].values[0]: \"list:dups\": "
	  "list values are for syscall64 arguments, which vigil does not support" },
	{ "saddr_bad_addresses",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: sock\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "SAddr\n        values: [\"10.0.0.300\", \"10.0.0\", \"010.0.0.1\", \"fe80::1%eth0\", "
	    "\"1.2.3.4/\", \"::1/129\", \"10.0.0.0/33\", \"10.0.0.0/08\", \"host.example\"]\n",
	  "t.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"10.0.0.300\" is "
	  "not an IPv4 or IPv6 address or CIDR\nt.yaml:16:32: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[1]: \"10.0.0\" is not an IPv4 or IPv6 "
	  "address or CIDR\nt.yaml:16:42: spec.kprobes[0].selectors[0].matchArgs[0].values[2]: "
	  "\"010.0.0.1\" is not an IPv4 or IPv6 address or CIDR\nt.yaml:16:55: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[3]: \"fe80::1%eth0\" is not an IPv4 or "
	  "IPv6 address or CIDR\nt.yaml:16:71: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[4]: \"1.2.3.4/\" is not an IPv4 or "
	  "IPv6 address or CIDR\nt.yaml:16:83: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[5]: \"::1/129\": the prefix is longer "
	  "than the address\nt.yaml:16:94: spec.kprobes[0].selectors[0].matchArgs[0].values[6]: "
	  "\"10.0.0.0/33\": the prefix is longer than the address\nt.yaml:16:109: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[7]: \"10.0.0.0/08\" is not an IPv4 or "
	  "IPv6 address or CIDR\nt.yaml:16:124: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[8]: \"host.example\" is not an IPv4 or "
	  "IPv6 address or CIDR" },
	{ "daddr_good_addresses",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: skb\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "NotDAddr\n        values: [\"0.0.0.0/0\", \"255.255.255.255\", \"10.1.2.3/8\", "
	    "\"::\", \"::ffff:10.0.0.1\", \"2001:db8::/32\", \"fe80::1/64\"]\n",
	  "" },
	{ "port_bad_values",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: sock\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "DPort\n        values: [\"0\", \"65535\", \"65536\", \"100:50\", \"http\", \"-1\"]\n",
	  "t.yaml:16:32: spec.kprobes[0].selectors[0].matchArgs[0].values[2]: \"65536\" is not a "
	  "port (0 to 65535) or a port range \"N:M\"\nt.yaml:16:41: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[3]: range \"100:50\" has its minimum "
	  "above its maximum\nt.yaml:16:51: spec.kprobes[0].selectors[0].matchArgs[0].values[4]: "
	  "\"http\" is not a port (0 to 65535) or a port range \"N:M\"\nt.yaml:16:59: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[5]: \"-1\" is not a port (0 to 65535) "
	  "or a port range \"N:M\"" },
	{ "protocol_bad_values",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: sock\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Protocol\n        values: [\"IPPROTO_TCP\", \"17\", \"IPPROTO_MPTCP\", \"6:17\", "
	    "\"IPPROTO_TPC\", \"tcp\", \"70000\"]\n",
	  "t.yaml:16:64: spec.kprobes[0].selectors[0].matchArgs[0].values[4]: \"IPPROTO_TPC\" is "
	  "not a protocol: an IPPROTO_* name such as IPPROTO_TCP, or a number from 0 to "
	  "65535\nt.yaml:16:79: spec.kprobes[0].selectors[0].matchArgs[0].values[5]: \"tcp\" is "
	  "not a protocol: an IPPROTO_* name such as IPPROTO_TCP, or a number from 0 to "
	  "65535\nt.yaml:16:86: spec.kprobes[0].selectors[0].matchArgs[0].values[6]: \"70000\" is "
	  "not a protocol: an IPPROTO_* name such as IPPROTO_TCP, or a number from 0 to 65535" },
	{ "family_bad_values",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    args:\n    - index: 0\n    "
	    "  type: sock\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Family\n        values: [\"AF_INET\", \"AF_INET6\", \"10\", \"AF_UNIX\", "
	    "\"AF_INET7\", \"af_inet\", \"10:2\"]\n",
	  "t.yaml:16:58: spec.kprobes[0].selectors[0].matchArgs[0].values[4]: \"AF_INET7\" is not "
	  "an address family: an AF_* name such as AF_INET, or a number from 0 to "
	  "65535\nt.yaml:16:70: spec.kprobes[0].selectors[0].matchArgs[0].values[5]: \"af_inet\" "
	  "is not an address family: an AF_* name such as AF_INET, or a number from 0 to "
	  "65535\nt.yaml:16:81: spec.kprobes[0].selectors[0].matchArgs[0].values[6]: range "
	  "\"10:2\" has its minimum above its maximum" },
	{ "values_empty",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: int\n    selectors:\n    - matchArgs:\n      - index: 0\n        operator: "
	    "Equal\n        values: []\n      - index: 0\n        operator: NotEqual\n",
	  "t.yaml:14:9: spec.kprobes[0].selectors[0].matchArgs[0]: needs at least one "
	  "value\nt.yaml:17:9: spec.kprobes[0].selectors[0].matchArgs[1]: needs at least one "
	  "value" },
	{ "capability_arg_values",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    args:\n    - index: 0\n     "
	    " type: capability\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Equal\n        values: [\"CAP_SYS_ADMIN\", \"cap_net_raw\", \"21\", "
	    "\"CAP_SYS_ADMN\", \"CAP_NOPE\", \"41\"]\n",
	  "t.yaml:16:56: spec.kprobes[0].selectors[0].matchArgs[0].values[3]: \"CAP_SYS_ADMN\" is "
	  "not a capability (did you mean \"CAP_SYS_ADMIN\"?)\nt.yaml:16:72: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[4]: \"CAP_NOPE\" is not a capability: "
	  "a CAP_* name or a number from 0 to 40\nt.yaml:16:84: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[5]: \"41\" is not a capability: a "
	  "CAP_* name or a number from 0 to 40" },
	{ "match_capabilities_values",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    selectors:\n    - "
	    "matchCapabilities:\n      - type: Permitted\n        operator: In\n        "
	    "isNamespaceCapability: true\n        values: [\"CAP_CHECKPOINT_RESTORE\", \" CAP_BPF "
	    "\", \"0\", \"40\", \"CAP_PERFMOM\", \"41\", \"-1\", \"00\"]\n",
	  "t.yaml:14:68: spec.kprobes[0].selectors[0].matchCapabilities[0].values[4]: "
	  "\"CAP_PERFMOM\" is not a capability (did you mean \"CAP_PERFMON\"?)\nt.yaml:14:83: "
	  "spec.kprobes[0].selectors[0].matchCapabilities[0].values[5]: \"41\" is not a "
	  "capability: a CAP_* name or a number from 0 to 40\nt.yaml:14:89: "
	  "spec.kprobes[0].selectors[0].matchCapabilities[0].values[6]: \"-1\" is not a "
	  "capability: a CAP_* name or a number from 0 to 40\nt.yaml:14:95: "
	  "spec.kprobes[0].selectors[0].matchCapabilities[0].values[7]: \"00\" is not a "
	  "capability: a CAP_* name or a number from 0 to 40" },
	{ "match_capabilities_empty",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    selectors:\n    - "
	    "matchCapabilities:\n      - operator: NotIn\n        values: []\n",
	  "t.yaml:11:9: spec.kprobes[0].selectors[0].matchCapabilities[0]: needs at least one "
	  "value" },
	{ "match_namespaces_values",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    selectors:\n    - "
	    "matchNamespaces:\n      - namespace: Mnt\n        operator: In\n        values: "
	    "[\"host_ns\", \"4026531840\", \"hostns\", \"4294967296\", \"-1\", \"0x10\"]\n",
	  "t.yaml:13:43: spec.kprobes[0].selectors[0].matchNamespaces[0].values[2]: \"hostns\" is "
	  "not a namespace: an inode number (0 to 4294967295) or \"host_ns\"\nt.yaml:13:53: "
	  "spec.kprobes[0].selectors[0].matchNamespaces[0].values[3]: \"4294967296\" is not a "
	  "namespace: an inode number (0 to 4294967295) or \"host_ns\"\nt.yaml:13:67: "
	  "spec.kprobes[0].selectors[0].matchNamespaces[0].values[4]: \"-1\" is not a namespace: "
	  "an inode number (0 to 4294967295) or \"host_ns\"\nt.yaml:13:73: "
	  "spec.kprobes[0].selectors[0].matchNamespaces[0].values[5]: \"0x10\" is not a namespace: "
	  "an inode number (0 to 4294967295) or \"host_ns\"" },
	{ "match_pids_values",
	  H "  kprobes:\n  - call: fd_install\n    syscall: false\n    selectors:\n    - "
	    "matchPIDs:\n      - operator: NotIn\n        values: [1, 0x10, 4294967295, "
	    "4294967296, -1]\n",
	  "t.yaml:12:39: spec.kprobes[0].selectors[0].matchPIDs[0].values[3]: \"4294967296\" is "
	  "not a process id (0 to 4294967295)\nt.yaml:12:51: "
	  "spec.kprobes[0].selectors[0].matchPIDs[0].values[4]: \"-1\" is not a process id (0 to "
	  "4294967295)" },
	{ "override_without_arg_error",
	  H "  lsmhooks:\n  - hook: file_open\n    selectors:\n    - matchActions:\n      - "
	    "action: Override\n",
	  "t.yaml:10:9: spec.lsmhooks[0].selectors[0].matchActions[0]: Override needs argError, an "
	  "errno from -4095 to -1" },
	{ "override_arg_error_range",
	  H
	  "  lsmhooks:\n  - hook: file_open\n    selectors:\n    - matchActions:\n      - action: "
	  "Override\n        argError: 0\n    - matchActions:\n      - action: Override\n        "
	  "argError: 1\n    - matchActions:\n      - action: Override\n        argError: -4096\n   "
	  " - matchActions:\n      - action: Override\n        argError: -4095\n",
	  "t.yaml:11:19: spec.lsmhooks[0].selectors[0].matchActions[0].argError: 0 is not an "
	  "errno: -4095 to -1 (such as -1 for EPERM)\nt.yaml:14:19: "
	  "spec.lsmhooks[0].selectors[1].matchActions[0].argError: 1 is not an errno: -4095 to -1 "
	  "(such as -1 for EPERM)\nt.yaml:17:19: "
	  "spec.lsmhooks[0].selectors[2].matchActions[0].argError: -4096 is not an errno: -4095 to "
	  "-1 (such as -1 for EPERM)" },
	{ "override_on_tracepoint",
	  H "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n    "
	    "selectors:\n    - matchActions:\n      - action: Override\n        argError: -1\n",
	  "t.yaml:11:9: spec.tracepoints[0].selectors[0].matchActions[0]: Override is not allowed "
	  "on tracepoints (only on kprobes and lsmhooks)" },
	{ "override_on_plain_kprobe",
	  H "  kprobes:\n  - call: tcp_connect\n    syscall: false\n    selectors:\n    - "
	    "matchActions:\n      - action: Override\n        argError: -1\n",
	  "t.yaml:11:9: spec.kprobes[0].selectors[0].matchActions[0]: Override on a kprobe needs a "
	  "system call (syscall: true) or a security_ function" },
	{ "override_allowed",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n    selectors:\n    - "
	    "matchActions:\n      - action: Override\n        argError: -1\n  - call: sys_write\n  "
	    "  selectors:\n    - matchActions:\n      - action: Override\n        argError: -9\n",
	  "" },
	{ "signal_without_arg_sig",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchActions:\n      - action: "
	    "Signal\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchActions[0]: Signal needs argSig, a "
	  "signal number from 1 to 64" },
	{ "signal_arg_sig_range",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchActions:\n      - action: "
	    "Signal\n        argSig: 0\n      - action: Signal\n        argSig: 65\n      - "
	    "action: Signal\n        argSig: 64\n",
	  "t.yaml:11:17: spec.kprobes[0].selectors[0].matchActions[0].argSig: 0 is not a signal "
	  "number: 1 to 64\nt.yaml:13:17: spec.kprobes[0].selectors[0].matchActions[1].argSig: 65 "
	  "is not a signal number: 1 to 64" },
	{ "ignored_action_arguments",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchActions:\n      - action: "
	    "Sigkill\n        argError: -1\n      - action: Post\n        argSig: 9\n",
	  "t.yaml:11:19: warning: spec.kprobes[0].selectors[0].matchActions[0].argError: ignored: "
	  "only Override uses argError, not Sigkill\nt.yaml:13:17: warning: "
	  "spec.kprobes[0].selectors[0].matchActions[1].argSig: ignored: only Signal uses argSig, "
	  "not Post" },
	{ "rate_limit_not_on_post",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchActions:\n      - action: "
	    "Sigkill\n        rateLimit: 1m\n      - action: NoPost\n        rateLimit: \"0\"\n",
	  "t.yaml:11:20: spec.kprobes[0].selectors[0].matchActions[0].rateLimit: rateLimit applies "
	  "only to the Post action, not to Sigkill\nt.yaml:13:20: "
	  "spec.kprobes[0].selectors[0].matchActions[1].rateLimit: rateLimit applies only to the "
	  "Post action, not to NoPost" },
	{ "too_many_selectors",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchPIDs: [{operator: In, "
	    "values: [1]}]\n    - matchPIDs: [{operator: In, values: [2]}]\n    - matchPIDs: "
	    "[{operator: In, values: [3]}]\n    - matchPIDs: [{operator: In, values: [4]}]\n    - "
	    "matchPIDs: [{operator: In, values: [5]}]\n    - matchPIDs: [{operator: In, values: "
	    "[6]}]\n",
	  "t.yaml:14:7: spec.kprobes[0].selectors: at most 5 selectors per hook" },
	{ "five_selectors_ok",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchPIDs: [{operator: In, "
	    "values: [1]}]\n    - matchPIDs: [{operator: In, values: [2]}]\n    - matchPIDs: "
	    "[{operator: In, values: [3]}]\n    - matchPIDs: [{operator: In, values: [4]}]\n    - "
	    "matchPIDs: [{operator: In, values: [5]}]\n",
	  "" },
	{ "too_many_args",
	  H "  tracepoints:\n  - subsystem: sched\n    event: sched_process_exec\n    args:\n    - "
	    "{index: 0, type: int}\n    - {index: 1, type: int}\n    - {index: 2, type: int}\n    "
	    "- {index: 3, type: int}\n    - {index: 4, type: int}\n    - {index: 5, type: int}\n   "
	    " - {index: 6, type: int}\n    - {index: 7, type: int}\n    - {index: 8, type: int}\n",
	  "t.yaml:18:7: spec.tracepoints[0].args: at most 8 args per hook" },
	{ "message_too_short", H "  lsmhooks:\n  - hook: file_open\n    message: \"x\"\n",
	  "t.yaml:8:14: spec.lsmhooks[0].message: the message is 1 byte long: at least 2" },
	{ "message_too_long", H "  lsmhooks:\n  - hook: file_open\n    message: \"MSG257\"\n",
	  "t.yaml:8:14: spec.lsmhooks[0].message: the message is 257 bytes long: at most 256" },
	{ "message_limits_ok",
	  H "  lsmhooks:\n  - hook: file_open\n    message: \"ok\"\n  - hook: "
	    "bprm_check_security\n    message: \"MSG256\"\n",
	  "" },
	{ "too_many_tags",
	  H "  lsmhooks:\n  - hook: file_open\n    tags: [t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, "
	    "t11, t12, t13, t14, t15, t16, t17]\n",
	  "t.yaml:8:83: spec.lsmhooks[0].tags: at most 16 tags per hook" },
	{ "tag_lengths",
	  H "  lsmhooks:\n  - hook: file_open\n    tags: [\"x\", \"ok\", \"TAG129\", \"TAG128\"]\n",
	  "t.yaml:8:12: spec.lsmhooks[0].tags[0]: the tag is 1 byte long: at least 2\nt.yaml:8:23: "
	  "spec.lsmhooks[0].tags[2]: the tag is 129 bytes long: at most 128" },
	{ "return_without_return_arg",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n    return: true\n",
	  "t.yaml:7:5: spec.kprobes[0]: return: true needs a returnArg (the type of the return "
	  "value)" },
	{ "return_arg_without_return",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n    returnArg:\n      "
	    "index: 0\n      type: int\n",
	  "t.yaml:10:7: warning: spec.kprobes[0].returnArg: ignored without return: true" },
	{ "match_return_args_without_return",
	  H
	  "  kprobes:\n  - call: security_file_open\n    syscall: false\n    selectors:\n    - "
	  "matchReturnArgs:\n      - index: 0\n        operator: Equal\n        values: [\"0\"]\n",
	  "t.yaml:11:9: spec.kprobes[0].selectors[0].matchReturnArgs: matchReturnArgs needs "
	  "return: true and a returnArg" },
	{ "match_return_args_index",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n    return: true\n    "
	    "returnArg:\n      index: 0\n      type: int\n    selectors:\n    - matchReturnArgs:\n "
	    "     - index: 1\n        operator: Equal\n        values: [\"0\"]\n      - index: 0\n "
	    "       operator: Equal\n        values: [\"zero\"]\n",
	  "t.yaml:15:16: spec.kprobes[0].selectors[0].matchReturnArgs[0].index: index 1 is not the "
	  "returnArg's index (0)\nt.yaml:20:18: "
	  "spec.kprobes[0].selectors[0].matchReturnArgs[1].values[0]: \"zero\" is not an integer" },
	{ "match_return_args_on_lsm",
	  H "  lsmhooks:\n  - hook: file_open\n    selectors:\n    - matchReturnArgs:\n      - "
	    "index: 0\n        operator: Equal\n        values: [\"0\"]\n",
	  "t.yaml:10:9: spec.lsmhooks[0].selectors[0].matchReturnArgs: matchReturnArgs applies "
	  "only to kprobes (with return: true)" },
	{ "binaries_follow_children_prefix",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchBinaries:\n      - "
	    "operator: Prefix\n        followChildren: true\n        values: [\"/usr/\"]\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchBinaries[0]: followChildren works only "
	  "with the In and NotIn operators" },
	{ "binaries_relative_path",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchBinaries:\n      - "
	    "operator: In\n        values: [\"bash\", \"/usr/bin/bash\"]\n      "
	    "matchParentBinaries:\n      - operator: Postfix\n        values: [\"sh\"]\n",
	  "t.yaml:11:18: warning: spec.kprobes[0].selectors[0].matchBinaries[0].values[0]: "
	  "\"bash\" is not an absolute path: In and NotIn compare the whole path of the "
	  "executable" },
	{ "binaries_empty",
	  H "  kprobes:\n  - call: sys_write\n    selectors:\n    - matchBinaries:\n      - "
	    "operator: NotIn\n        values: []\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchBinaries[0]: needs at least one value" },
	{ "string_too_long",
	  H "  lsmhooks:\n  - hook: file_open\n    args:\n    - index: 0\n      type: file\n    "
	    "selectors:\n    - matchArgs:\n      - index: 0\n        operator: Prefix\n        "
	    "values: [\"STR4097\"]\n",
	  "t.yaml:15:18: spec.lsmhooks[0].selectors[0].matchArgs[0].values[0]: the value is 4097 "
	  "bytes long: at most 4096" },
	{ "lsm_hook_missing", H "  lsmhooks:\n  - hook: file_opn\n",
	  "t.yaml:7:11: spec.lsmhooks[0].hook: LSM hook \"file_opn\" does not exist in this kernel "
	  "(did you mean \"file_open\"?)" },
	{ "lsm_hook_missing_no_suggestion", H "  lsmhooks:\n  - hook: totally_made_up\n",
	  "t.yaml:7:11: spec.lsmhooks[0].hook: LSM hook \"totally_made_up\" does not exist in this "
	  "kernel" },
	{ "kprobe_missing", H "  kprobes:\n  - call: tcp_conect\n    syscall: false\n",
	  "t.yaml:7:11: spec.kprobes[0].call: function \"tcp_conect\" does not exist in this "
	  "kernel (did you mean \"tcp_connect\"?)" },
	{ "syscall_missing",
	  H "  kprobes:\n  - call: sys_wrte\n  - call: __x64_sys_opnat\n  - call: dupp\n",
	  "t.yaml:7:11: spec.kprobes[0].call: system call \"sys_wrte\" does not exist in this "
	  "kernel (did you mean \"sys_write\"?)\nt.yaml:8:11: spec.kprobes[1].call: system call "
	  "\"__x64_sys_opnat\" does not exist in this kernel (did you mean "
	  "\"__x64_sys_openat\"?)\nt.yaml:9:11: spec.kprobes[2].call: system call \"dupp\" does "
	  "not exist in this kernel (did you mean \"dup\"?)" },
	{ "syscall_forms_found",
	  H "  kprobes:\n  - call: sys_write\n  - call: __x64_sys_write\n  - call: write\n", "" },
	{ "kprobe_missing_ignored",
	  H "  kprobes:\n  - call: tcp_conect\n    syscall: false\n    ignore:\n      "
	    "callNotFound: true\n",
	  "t.yaml:7:11: warning: spec.kprobes[0].call: function \"tcp_conect\" does not exist in "
	  "this kernel; ignored (ignore.callNotFound)" },
	{ "tracepoint_missing",
	  H "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_opnat\n  - subsystem: "
	    "shed\n    event: sched_process_exec\n",
	  "t.yaml:8:12: spec.tracepoints[0].event: tracepoint \"syscalls/sys_enter_opnat\" does "
	  "not exist in this kernel (did you mean \"syscalls/sys_enter_openat\"?)\nt.yaml:10:12: "
	  "spec.tracepoints[1].event: tracepoint \"shed/sched_process_exec\" does not exist in "
	  "this kernel (did you mean \"sched/sched_process_exec\"?)" },
	{ "arg_index_beyond_function",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n    args:\n    - index: "
	    "0\n      type: file\n    - index: 1\n      type: int\n",
	  "t.yaml:12:14: spec.kprobes[0].args[1].index: index 1 is out of range: "
	  "\"security_file_open\" has 1 argument" },
	{ "arg_index_beyond_syscall",
	  H "  kprobes:\n  - call: sys_write\n    args:\n    - index: 2\n      type: size_t\n    - "
	    "index: 3\n      type: int\n",
	  "t.yaml:11:14: spec.kprobes[0].args[1].index: index 3 is out of range: \"sys_write\" has "
	  "3 arguments" },
	{ "arg_index_beyond_lsm_hook",
	  H "  lsmhooks:\n  - hook: socket_connect\n    args:\n    - index: 3\n      type: int\n",
	  "t.yaml:9:14: spec.lsmhooks[0].args[0].index: index 3 is out of range: "
	  "\"socket_connect\" has 3 arguments" },
	{ "arg_index_beyond_raw_tracepoint",
	  H
	  "  tracepoints:\n  - subsystem: sched\n    event: sched_process_exec\n    raw: true\n"
	  "    args:\n    - index: 2\n      type: linux_binprm\n    - index: 3\n      type: int\n",
	  "t.yaml:13:14: spec.tracepoints[0].args[1].index: index 3 is out of range: "
	  "\"sched_process_exec\" has 3 arguments (a raw tracepoint's, numbered from 0)" },
	{ "raw_tracepoint_missing",
	  H "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n    raw: true\n",
	  "t.yaml:8:12: spec.tracepoints[0].event: raw tracepoint \"sys_enter_openat\" does not "
	  "exist in this kernel" },
	{ "size_arg_index",
	  H "  kprobes:\n  - call: sys_write\n    args:\n    - index: 1\n      type: char_buf\n    "
	    "  sizeArgIndex: 4\n    - index: 0\n      type: int\n      sizeArgIndex: 1\n",
	  "t.yaml:9:7: spec.kprobes[0].args[0]: sizeArgIndex 4 is out of range: \"sys_write\" has "
	  "3 arguments\nt.yaml:12:7: warning: spec.kprobes[0].args[1]: sizeArgIndex is ignored: "
	  "only char_buf arguments use it" },
	{ "return_copy_on_lsm",
	  H "  lsmhooks:\n  - hook: file_open\n    args:\n    - index: 0\n      type: file\n      "
	    "returnCopy: true\n",
	  "t.yaml:9:7: spec.lsmhooks[0].args[0]: returnCopy needs a kprobe (it reads the argument "
	  "on return)" },
	{ "return_copy_and_max_data_ignored",
	  H "  kprobes:\n  - call: sys_write\n    args:\n    - index: 0\n      type: int\n      "
	    "returnCopy: true\n      maxData: true\n    - index: 1\n      type: char_buf\n      "
	    "returnCopy: true\n      maxData: true\n",
	  "t.yaml:9:7: warning: spec.kprobes[0].args[0]: returnCopy is ignored: only char_buf "
	  "arguments use it\nt.yaml:9:7: warning: spec.kprobes[0].args[0]: maxData is ignored: "
	  "only char_buf arguments use it" },
	{ "resolve_syntax",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n    args:\n    - index: "
	    "0\n      type: string\n      resolve: \"f_path..dentry\"\n    - index: 0\n      type: "
	    "int\n      resolve: \"f_inode.i_ino\"\n    - index: 0\n      type: int\n      "
	    "resolve: \"f_ops[2]x\"\n",
	  "t.yaml:10:7: spec.kprobes[0].args[0].resolve: invalid resolve \"f_path..dentry\": field "
	  "names separated by '.', such as \"mm.owner.comm\" or \"f_path.dentry\"\nt.yaml:16:7: "
	  "spec.kprobes[0].args[2].resolve: invalid resolve \"f_ops[2]x\": field names separated "
	  "by '.', such as \"mm.owner.comm\" or \"f_path.dentry\"" },
	{ "list_function_missing",
	  H "  lists:\n  - name: fns\n    values: [tcp_connect, tcp_conect, fd_install]\n  "
	    "kprobes:\n  - call: list:fns\n    syscall: false\n    args:\n    - index: 1\n      "
	    "type: int\n    selectors:\n    - matchArgs:\n      - index: 1\n        operator: "
	    "Equal\n        values: [\"x\"]\n",
	  "t.yaml:8:27: spec.lists[0].values[1]: function \"tcp_conect\" does not exist in this "
	  "kernel (did you mean \"tcp_connect\"?)\nt.yaml:13:14: spec.kprobes[0].args[0].index: "
	  "index 1 is out of range: \"tcp_connect\" has 1 argument\nt.yaml:19:18: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"x\" is not an integer" },
	{ "symlink_binprm_value",
	  H "  kprobes:\n  - call: security_bprm_check\n    syscall: false\n    args:\n    - "
	    "index: 0\n      type: linux_binprm\n    selectors:\n    - matchArgs:\n      - index: "
	    "0\n        operator: Equal\n        values: [\"/bin/sh\", \"/usr/bin/bash\", "
	    "\"/bin/bash\"]\n      matchActions:\n      - action: Sigkill\n",
	  "t.yaml:16:18: warning: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: \"/bin/sh\" "
	  "is a symbolic link to \"/usr/bin/dash\"; vigil matches both the path as invoked and the "
	  "resolved path\nt.yaml:16:46: warning: "
	  "spec.kprobes[0].selectors[0].matchArgs[0].values[2]: \"/bin/bash\" is a symbolic link "
	  "to \"/usr/bin/bash\"; vigil matches both the path as invoked and the resolved path" },
	{ "symlink_binaries",
	  H "  lsmhooks:\n  - hook: file_open\n    selectors:\n    - matchBinaries:\n      - "
	    "operator: In\n        values: [\"/bin/sh\"]\n      matchParentBinaries:\n      - "
	    "operator: NotIn\n        values: [\"/bin/bash\"]\n",
	  "t.yaml:11:18: warning: spec.lsmhooks[0].selectors[0].matchBinaries[0].values[0]: "
	  "\"/bin/sh\" is a symbolic link to \"/usr/bin/dash\"; vigil matches both the path as "
	  "invoked and the resolved path\nt.yaml:14:18: warning: "
	  "spec.lsmhooks[0].selectors[0].matchParentBinaries[0].values[0]: \"/bin/bash\" is a "
	  "symbolic link to \"/usr/bin/bash\"; vigil matches both the path as invoked and the "
	  "resolved path" },
	{ "no_hooks", H "  options:\n  - name: policy-mode\n    value: monitor\n",
	  "t.yaml:1:1: warning: spec: the policy has no kprobes, tracepoints or lsmhooks" },
	{ "errors_in_document_order",
	  H "  lsmhooks:\n  - hook: file_opn\n    message: \"x\"\n    selectors:\n    - "
	    "matchActions:\n      - action: Signal\n  kprobes:\n  - call: tcp_conect\n    syscall: "
	    "false\n",
	  "t.yaml:7:11: spec.lsmhooks[0].hook: LSM hook \"file_opn\" does not exist in this kernel "
	  "(did you mean \"file_open\"?)\nt.yaml:8:14: spec.lsmhooks[0].message: the message is 1 "
	  "byte long: at least 2\nt.yaml:11:9: spec.lsmhooks[0].selectors[0].matchActions[0]: "
	  "Signal needs argSig, a signal number from 1 to 64\nt.yaml:13:11: spec.kprobes[0].call: "
	  "function \"tcp_conect\" does not exist in this kernel (did you mean \"tcp_connect\"?)" },
	{ "function_with_default_syscall",
	  H
	  "  kprobes:\n  - call: security_file_open\n    args:\n    - index: 0\n      type: file\n",
	  "t.yaml:7:11: spec.kprobes[0].call: system call \"security_file_open\" does not exist in "
	  "this kernel; it is a kernel function: set syscall: false (Tetragon's default is true)" },
	{ "lsm_hook_as_security_function",
	  H "  lsmhooks:\n  - hook: security_file_open\n  - hook: bpf_lsm_bprm_check_security\n",
	  "t.yaml:7:11: spec.lsmhooks[0].hook: LSM hook \"security_file_open\" does not exist in "
	  "this kernel (did you mean \"file_open\"?)\nt.yaml:8:11: spec.lsmhooks[1].hook: LSM hook "
	  "\"bpf_lsm_bprm_check_security\" does not exist in this kernel (did you mean "
	  "\"bprm_check_security\"?)" },
};

/* --- valid policies ----------------------------------------------------------- */

static void expect_clean(const char *file, const char *yaml, size_t len,
			 const struct vigil_kernel_facts *k, const char *want)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;

	assert_int_equal(vigil_policy_parse(file, yaml, len, &p, &ds), 0);
	assert_int_equal(vigil_policy_validate(p, k, &ds), 0);
	assert_int_equal(ds.nerrors, 0);
	text = format_all(&ds);
	assert_string_equal(text, want);
	free(text);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static const char wrong_kernel[] = H "  lsmhooks:\n"
				     "  - hook: file_opn\n"
				     "    args:\n"
				     "    - index: 7\n"
				     "      type: file\n"
				     "  kprobes:\n"
				     "  - call: sys_nope\n"
				     "  tracepoints:\n"
				     "  - subsystem: a\n"
				     "    event: b\n";

/* No facts: the policy's own checks only. */
static void test_no_facts_no_kernel_checks(void **state)
{
	(void)state;
	expect_clean("t.yaml", wrong_kernel, sizeof(wrong_kernel) - 1, NULL, "");
}

/* Facts that answer "unknown" skip the kernel checks too. */
static void test_unknown_facts_skip_checks(void **state)
{
	(void)state;
	expect_clean("t.yaml", wrong_kernel, sizeof(wrong_kernel) - 1, &unknown, "");
}

static void test_every_operator_on_its_type(void **state)
{
	static const char yaml[] =
		H "  kprobes:\n"
		  "  - call: fd_install\n"
		  "    syscall: false\n"
		  "    args:\n"
		  "    - {index: 0, type: int}\n"
		  "    - {index: 1, type: file}\n"
		  "    selectors:\n"
		  "    - matchArgs:\n"
		  "      - {index: 0, operator: Equal, values: [\"-1\", \"0x10\", \"0o17\", "
		  "\"017\", \"0b101\", \"1_000\"]}\n"
		  "      - {index: 0, operator: NotEqual, values: [\"2\"]}\n"
		  "      - {index: 0, operator: GT, values: [\"2\"]}\n"
		  "      - {index: 0, operator: GreaterThan, values: [\"2\"]}\n"
		  "      - {index: 0, operator: LT, values: [\"2\"]}\n"
		  "      - {index: 0, operator: LessThan, values: [\"2\"]}\n"
		  "      - {index: 0, operator: Mask, values: [\"0xff\"]}\n"
		  "      - {index: 0, operator: InMap, values: [\"1\", \"5:9\", \"-3:-1\"]}\n"
		  "      - {index: 0, operator: NotInMap, values: [\"7\"]}\n"
		  "      - {index: 0, operator: InRange, values: [\"-10:10\"]}\n"
		  "      - {index: 0, operator: NotInRange, values: [\"0:0\"]}\n"
		  "      - {index: 1, operator: Equal, values: [\"/etc/passwd\", \"\"]}\n"
		  "      - {index: 1, operator: NotEqual, values: [\"/etc/shadow\"]}\n"
		  "      - {index: 1, operator: Prefix, values: [\"/etc/\"]}\n"
		  "      - {index: 1, operator: NotPrefix, values: [\"/tmp/\"]}\n"
		  "      - {index: 1, operator: Postfix, values: [\".key\"]}\n"
		  "      - {index: 1, operator: NotPostfix, values: [\".pub\"]}\n"
		  "  - call: tcp_connect\n"
		  "    syscall: false\n"
		  "    args:\n"
		  "    - {index: 0, type: sock}\n"
		  "    selectors:\n"
		  "    - matchArgs:\n"
		  "      - {index: 0, operator: SAddr, values: [\"10.0.0.0/8\", \"::1\"]}\n"
		  "      - {index: 0, operator: NotSAddr, values: [\"192.168.1.1\"]}\n"
		  "      - {index: 0, operator: DAddr, values: [\"fd00::/8\"]}\n"
		  "      - {index: 0, operator: NotDAddr, values: [\"0.0.0.0/0\"]}\n"
		  "      - {index: 0, operator: SPort, values: [\"1024:65535\"]}\n"
		  "      - {index: 0, operator: NotSPort, values: [\"22\"]}\n"
		  "      - {index: 0, operator: DPort, values: [\"443\"]}\n"
		  "      - {index: 0, operator: NotDPort, values: [\"0:1023\"]}\n"
		  "      - {index: 0, operator: Protocol, values: [IPPROTO_UDP, \"6\"]}\n"
		  "      - {index: 0, operator: Family, values: [AF_INET6, \"2\"]}\n";

	(void)state;
	expect_clean("t.yaml", yaml, sizeof(yaml) - 1, &fake, "");
}

static void test_ten_thousand_values_validate(void **state)
{
	static const char head[] = H "  lsmhooks:\n"
				     "  - hook: file_open\n"
				     "    args:\n"
				     "    - index: 0\n"
				     "      type: file\n"
				     "    selectors:\n"
				     "    - matchArgs:\n"
				     "      - index: 0\n"
				     "        operator: Equal\n"
				     "        values:\n";
	size_t cap = sizeof(head) + 10000 * 32, len;
	char *buf = malloc(cap);
	int i;

	(void)state;
	len = (size_t)snprintf(buf, cap, "%s", head);
	for (i = 0; i < 10000; i++)
		len += (size_t)snprintf(buf + len, cap - len, "        - /srv/data/file-%05d\n", i);
	expect_clean("t.yaml", buf, len, &fake, "");
	free(buf);
}

static void expect_fixture(const char *name, const char *want)
{
	char path[512], *buf;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "tests/policy/tetragon/%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open (run from the repository root)", path);
	buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	len = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	expect_clean(name, buf, len, &fake, want);
	free(buf);
}

static void test_fixtures_validate(void **state)
{
	(void)state;
	expect_fixture(
		"block-shell-exec.yaml",
		"block-shell-exec.yaml:20:11: warning: spec.kprobes[0].selectors[0].matchArgs[0]"
		".values[0]: \"/bin/bash\" is a symbolic link to \"/usr/bin/bash\"; vigil "
		"matches both the path as invoked and the resolved path\n"
		"block-shell-exec.yaml:21:11: warning: spec.kprobes[0].selectors[0].matchArgs[0]"
		".values[1]: \"/bin/sh\" is a symbolic link to \"/usr/bin/dash\"; vigil matches "
		"both the path as invoked and the resolved path");
	expect_fixture("lsm-bprm-check.yaml", "");
	expect_fixture("lsm-file-open-shadow.yaml", "");
	expect_fixture("file-open-override.yaml", "");
	expect_fixture("sys-write-pids.yaml", "");
	expect_fixture("tcp-connect.yaml", "");
	expect_fixture("tracepoint-openat.yaml", "");
	expect_fixture("list-syscalls.yaml", "");
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_no_facts_no_kernel_checks),
		cmocka_unit_test(test_unknown_facts_skip_checks),
		cmocka_unit_test(test_every_operator_on_its_type),
		cmocka_unit_test(test_ten_thousand_values_validate),
		cmocka_unit_test(test_fixtures_validate),
	};
	return run_case_table("policy_validate", cases, sizeof(cases) / sizeof(cases[0]), run_case,
			      fixed, sizeof(fixed) / sizeof(fixed[0]));
}
