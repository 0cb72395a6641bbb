// SPDX-License-Identifier: Apache-2.0
/*
 * Compiler: where each hook runs on kernels with different features (the
 * fallback chain), the typed selector configuration, the value-set keys,
 * and the refusals that name the missing kernel feature.
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
#include "policy_harness.h"
#include "plan.h"
#include "parse.h"
#include "validate.h"

static const struct vigil_kernel_features vm_kernel = {
	.lsm = true,
	.kprobes = true,
	.exec_tracepoint = true,
	.signal = true,
	.host_ns = { [VIGIL_NS_PID] = 4026531836U },
	.syscall_prefix = "__x64_sys_",
};
static const struct vigil_kernel_features lsm_only = {
	.lsm = true,
	.exec_tracepoint = true,
	.signal = true,
};
static const struct vigil_kernel_features tp_only = {
	.exec_tracepoint = true,
	.signal = true,
};

#define BLOCK_SHELL                              \
	"apiVersion: cilium.io/v1alpha1\n"       \
	"kind: TracingPolicy\n"                  \
	"metadata:\n"                            \
	"  name: block-shell-exec\n"             \
	"spec:\n"                                \
	"  kprobes:\n"                           \
	"  - call: security_bprm_check\n"        \
	"    syscall: false\n"                   \
	"    args:\n"                            \
	"    - index: 0\n"                       \
	"      type: linux_binprm\n"             \
	"    selectors:\n"                       \
	"    - matchArgs:\n"                     \
	"      - index: 0\n"                     \
	"        operator: Equal\n"              \
	"        values: [/bin/bash, /bin/sh]\n" \
	"      matchNamespaces:\n"               \
	"      - namespace: Pid\n"               \
	"        operator: NotIn\n"              \
	"        values: [host_ns]\n"            \
	"      matchActions:\n"                  \
	"      - action: Sigkill\n"

#define FILE_OPEN_DENY                        \
	"apiVersion: cilium.io/v1alpha1\n"    \
	"kind: TracingPolicy\n"               \
	"metadata:\n"                         \
	"  name: deny\n"                      \
	"spec:\n"                             \
	"  lsmhooks:\n"                       \
	"  - hook: file_open\n"               \
	"    args:\n"                         \
	"    - index: 0\n"                    \
	"      type: file\n"                  \
	"    selectors:\n"                    \
	"    - matchArgs:\n"                  \
	"      - index: 0\n"                  \
	"        operator: Postfix\n"         \
	"        values: [shadow]\n"          \
	"      matchBinaries:\n"              \
	"      - operator: NotIn\n"           \
	"        values: [/usr/bin/passwd]\n" \
	"      matchActions:\n"               \
	"      - action: Override\n"          \
	"        argError: -1\n"              \
	"      - action: NoPost\n"

static void compile_text(const char *yaml, const struct vigil_kernel_features *f,
			 struct compiled *c)
{
	compile_as("p.yaml", 7, yaml, f, c);
}

static bool has_str(const struct vigil_plan *pl, uint32_t set, const char *s, uint32_t prefixlen)
{
	size_t i;

	for (i = 0; i < pl->nstrs; i++)
		if (pl->strs[i].set == set && pl->strs[i].prefixlen == prefixlen &&
		    !memcmp(pl->strs[i].s, s, (prefixlen - 32) / 8))
			return true;
	return false;
}

static void test_kprobe_where_kprobes_exist(void **state)
{
	struct compiled c;
	const struct vigil_sel_cfg *sel;

	(void)state;
	compile_text(BLOCK_SHELL, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.nhooks, 1);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_KPROBE);
	assert_string_equal(c.plan.hooks[0].target, "security_bprm_check");
	assert_int_equal(c.plan.hooks[0].cfg.hook, 7U << 12);
	assert_int_equal(c.plan.hooks[0].cfg.policy, 7);
	assert_int_equal(c.plan.hooks[0].cfg.nargs, 1);
	assert_int_equal(c.plan.hooks[0].cfg.args[0].type, VIGIL_AT_LINUX_BINPRM);
	sel = &c.plan.hooks[0].cfg.sel[0];
	assert_int_equal(c.plan.hooks[0].cfg.nsel, 1);
	assert_int_equal(sel->nargs, 1);
	assert_int_equal(sel->args[0].kind, VIGIL_MK_STR_EQ);
	assert_int_equal(sel->args[0].negate, 0);
	assert_int_equal(sel->args[0].set >> 16, 7);
	/* Equality keys carry the NUL: prefixlen covers it. */
	assert_true(has_str(&c.plan, sel->args[0].set, "/bin/sh", 32 + 8 * 8));
	assert_true(has_str(&c.plan, sel->args[0].set, "/bin/bash", 32 + 8 * 10));
	/* Sigkill is reported too. */
	assert_int_equal(sel->actions, VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST);
	/* host_ns became the host's pid namespace inode, negated. */
	assert_int_equal(sel->ns.mask, 1U << VIGIL_NS_PID);
	assert_int_equal(sel->ns.negate, 1U << VIGIL_NS_PID);
	assert_int_equal(c.plan.nnums, 1);
	assert_int_equal(c.plan.nums[0].set, sel->ns.set[VIGIL_NS_PID]);
	assert_int_equal(c.plan.nums[0].v[3], 0x00);
	assert_int_equal(c.plan.nums[0].v[4], 0xef);
	assert_int_equal(c.plan.nums[0].v[7], 0xfc);
	compiled_free(&c);
}

static void test_kprobe_falls_back_to_lsm_hook(void **state)
{
	struct compiled c;

	(void)state;
	compile_text(BLOCK_SHELL, &lsm_only, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_LSM);
	assert_string_equal(c.plan.hooks[0].target, "bprm_check_security");
	assert_non_null(strstr(c.plan.hooks[0].how, "no kprobes"));
	compiled_free(&c);
}

static void test_exec_hook_falls_back_to_tracepoint(void **state)
{
	struct compiled c;

	(void)state;
	compile_text(BLOCK_SHELL, &tp_only, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_EXEC_TRACEPOINT);
	assert_string_equal(c.plan.hooks[0].target, "sched_process_exec");
	compiled_free(&c);
}

static void test_lsm_override_refused_without_lsm(void **state)
{
	struct compiled c;
	char buf[512];

	(void)state;
	compile_text(FILE_OPEN_DENY, &tp_only, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_int_equal(c.plan.nhooks, 0);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:7:5: spec.lsmhooks[0]: LSM hook file_open cannot run here: "
			    "this kernel does not offer BPF-LSM (boot with lsm=...,bpf)");
	compiled_free(&c);
}

static void test_lsm_override_postfix_nopost(void **state)
{
	struct compiled c;
	const struct vigil_sel_cfg *sel;

	(void)state;
	compile_text(FILE_OPEN_DENY, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_LSM);
	assert_string_equal(c.plan.hooks[0].target, "file_open");
	sel = &c.plan.hooks[0].cfg.sel[0];
	assert_int_equal(sel->args[0].kind, VIGIL_MK_STR_POSTFIX);
	/* Postfix values are stored reversed, without a NUL. */
	assert_true(has_str(&c.plan, sel->args[0].set, "wodahs", 32 + 8 * 6));
	assert_int_equal(sel->bin.kind, VIGIL_MK_STR_EQ);
	assert_int_equal(sel->bin.negate, 1);
	assert_true(has_str(&c.plan, sel->bin.set, "/usr/bin/passwd", 32 + 8 * 16));
	/* NoPost: the deny is not reported. */
	assert_int_equal(sel->actions, VIGIL_ACTION_OVERRIDE);
	assert_int_equal(sel->error, -1);
	compiled_free(&c);
}

static void test_kprobe_override_refused_without_lsm(void **state)
{
	static const char *yaml = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: x\n"
				  "spec:\n"
				  "  kprobes:\n"
				  "  - call: security_file_open\n"
				  "    syscall: false\n"
				  "    args:\n"
				  "    - index: 0\n"
				  "      type: file\n"
				  "    selectors:\n"
				  "    - matchActions:\n"
				  "      - action: Override\n"
				  "        argError: -1\n";
	static const struct vigil_kernel_features kprobes_only = { .kprobes = true };
	struct compiled c;
	char buf[512];

	(void)state;
	compile_text(yaml, &kprobes_only, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(
		first_error(&c, buf, sizeof(buf)),
		"p.yaml:7:5: spec.kprobes[0]: Override on a kprobe on security_file_open "
		"cannot run here: this kernel has no bpf_override_return "
		"(CONFIG_BPF_KPROBE_OVERRIDE) and no BPF-LSM hook stands in for it");
	/* With BPF-LSM the same policy runs as the file_open hook. */
	compiled_free(&c);
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_LSM);
	assert_string_equal(c.plan.hooks[0].target, "file_open");
	compiled_free(&c);
}

static void test_integers_gt_mask_and_set(void **state)
{
	static const char *yaml = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: x\n"
				  "spec:\n"
				  "  kprobes:\n"
				  "  - call: sys_setuid\n"
				  "    args:\n"
				  "    - index: 0\n"
				  "      type: int\n"
				  "    selectors:\n"
				  "    - matchArgs:\n"
				  "      - index: 0\n"
				  "        operator: GT\n"
				  "        values: ['10', '-3', '7']\n"
				  "      - index: 0\n"
				  "        operator: Mask\n"
				  "        values: ['1', '4']\n"
				  "      - index: 0\n"
				  "        operator: NotEqual\n"
				  "        values: ['0']\n";
	struct compiled c;
	const struct vigil_sel_cfg *sel;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_KPROBE_SYSCALL);
	assert_string_equal(c.plan.hooks[0].target, "__x64_sys_setuid");
	assert_int_equal(c.plan.hooks[0].cfg.args[0].flags, VIGIL_ARG_F_SIGNED);
	assert_int_equal(c.plan.hooks[0].cfg.args[0].width, 4);
	sel = &c.plan.hooks[0].cfg.sel[0];
	assert_int_equal(sel->nargs, 3);
	/* Greater than any of 10, -3, 7: greater than -3 (signed). */
	assert_int_equal(sel->args[0].kind, VIGIL_MK_INT_GT);
	assert_int_equal((int64_t)sel->args[0].value, -3);
	assert_int_equal(sel->args[1].kind, VIGIL_MK_INT_MASK);
	assert_int_equal(sel->args[1].value, 5);
	assert_int_equal(sel->args[2].kind, VIGIL_MK_INT_EQ);
	assert_int_equal(sel->args[2].negate, 1);
	assert_int_equal(c.plan.nnums, 1);
	compiled_free(&c);
}

static void test_syscall_string_argument(void **state)
{
	static const char *yaml = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: x\n"
				  "spec:\n"
				  "  kprobes:\n"
				  "  - call: sys_openat\n"
				  "    args:\n"
				  "    - index: 1\n"
				  "      type: string\n"
				  "    selectors:\n"
				  "    - matchArgs:\n"
				  "      - index: 1\n"
				  "        operator: Prefix\n"
				  "        values: [/etc/]\n";
	struct compiled c;
	const struct vigil_sel_cfg *sel;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_KPROBE_SYSCALL);
	assert_string_equal(c.plan.hooks[0].target, "__x64_sys_openat");
	assert_int_equal(c.plan.hooks[0].cfg.args[0].type, VIGIL_AT_STRING);
	assert_int_equal(c.plan.hooks[0].cfg.args[0].index, 1);
	sel = &c.plan.hooks[0].cfg.sel[0];
	assert_int_equal(sel->args[0].kind, VIGIL_MK_STR_PREFIX);
	assert_true(has_str(&c.plan, sel->args[0].set, "/etc/", 32 + 8 * 5));
	/* Without kprobes a syscall hook has nowhere to run. */
	compiled_free(&c);
	compile_text(yaml, &tp_only, &c);
	assert_int_equal(c.ret, -EINVAL);
	compiled_free(&c);
}

/* Would an LPM lookup of the 16-byte key v find an entry of set? */
static bool set_holds(const struct vigil_plan *pl, uint32_t set, const uint8_t v[16])
{
	size_t i;
	unsigned b;

	for (i = 0; i < pl->nnums; i++) {
		const struct vigil_num_key *k = &pl->nums[i];
		bool all = true;

		if (k->set != set)
			continue;
		for (b = 0; b < k->prefixlen - 32 && all; b++)
			all = ((k->v[b / 8] ^ v[b / 8]) & (0x80 >> (b % 8))) == 0;
		if (all)
			return true;
	}
	return false;
}

static bool set_holds_num(const struct vigil_plan *pl, uint32_t set, uint64_t n)
{
	uint8_t v[16] = { 0 };
	int i;

	for (i = 0; i < 8; i++)
		v[i] = (uint8_t)(n >> (56 - 8 * i));
	return set_holds(pl, set, v);
}

static bool set_holds_v4(const struct vigil_plan *pl, uint32_t set, uint8_t a, uint8_t b,
			 uint8_t c3, uint8_t d)
{
	uint8_t v[16] = { [10] = 0xff, [11] = 0xff, [12] = a, [13] = b, [14] = c3, [15] = d };

	return set_holds(pl, set, v);
}

#define POLICY_HEAD                        \
	"apiVersion: cilium.io/v1alpha1\n" \
	"kind: TracingPolicy\n"            \
	"metadata:\n"                      \
	"  name: p\n"                      \
	"spec:\n"

static void test_ranges_are_prefix_blocks(void **state)
{
	const char *yaml = POLICY_HEAD
		"  kprobes:\n  - call: sys_write\n    args:\n    - index: 2\n      type: size_t\n"
		"    - index: 0\n      type: int\n    selectors:\n"
		"    - matchArgs:\n      - index: 2\n        operator: InRange\n"
		"        values: [\"5:64\", \"1000:1000\"]\n"
		"      - index: 0\n        operator: NotInMap\n        values: [\"-2:1\"]\n";
	const struct vigil_sel_arg *r, *m;
	struct compiled c;
	int64_t v;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	r = &c.plan.hooks[0].cfg.sel[0].args[0];
	m = &c.plan.hooks[0].cfg.sel[0].args[1];
	assert_int_equal(r->kind, VIGIL_MK_INT_EQ);
	assert_int_equal(r->negate, 0);
	for (v = 0; v < 1100; v++)
		assert_int_equal(set_holds_num(&c.plan, r->set, (uint64_t)v),
				 (v >= 5 && v <= 64) || v == 1000);
	/* a signed range across zero: negative values are sign-extended */
	assert_int_equal(m->kind, VIGIL_MK_INT_EQ);
	assert_int_equal(m->negate, 1);
	for (v = -5; v < 5; v++)
		assert_int_equal(set_holds_num(&c.plan, m->set, (uint64_t)v), v >= -2 && v <= 1);
	assert_false(set_holds_num(&c.plan, m->set, UINT64_MAX / 2));
	compiled_free(&c);
}

static void test_socket_filters(void **state)
{
	const char *yaml = POLICY_HEAD
		"  kprobes:\n  - call: security_socket_connect\n    syscall: false\n    args:\n"
		"    - index: 0\n      type: socket\n    - index: 1\n      type: sockaddr\n"
		"    selectors:\n    - matchArgs:\n"
		"      - index: 0\n        operator: Protocol\n        values: [IPPROTO_TCP]\n"
		"      - index: 1\n        operator: NotSAddr\n"
		"        values: [10.0.0.0/8, \"fd00::/8\", 192.168.1.7]\n"
		"      - index: 1\n        operator: SPort\n        values: [\"1000:1003\", "
		"\"25\"]\n"
		"      - index: 1\n        operator: Family\n        values: [AF_INET6]\n";
	const struct vigil_hook_cfg *cfg;
	const struct vigil_sel_arg *f;
	uint8_t v6[16] = { 0xfd, 0x12 }, other6[16] = { 0xfe };
	struct compiled c;
	unsigned p;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	cfg = &c.plan.hooks[0].cfg;
	assert_int_equal(cfg->args[0].type, VIGIL_AT_SOCK);
	assert_true(cfg->args[0].flags & VIGIL_ARG_F_SOCKET);
	assert_int_equal(cfg->args[1].type, VIGIL_AT_SOCKADDR);
	f = cfg->sel[0].args;
	assert_int_equal(f[0].kind, VIGIL_MK_PROTOCOL);
	assert_true(set_holds_num(&c.plan, f[0].set, 6));
	assert_false(set_holds_num(&c.plan, f[0].set, 17));
	assert_int_equal(f[1].kind, VIGIL_MK_SADDR);
	assert_int_equal(f[1].negate, 1);
	assert_true(set_holds_v4(&c.plan, f[1].set, 10, 200, 3, 4));
	assert_true(set_holds_v4(&c.plan, f[1].set, 192, 168, 1, 7));
	assert_false(set_holds_v4(&c.plan, f[1].set, 192, 168, 1, 8));
	assert_false(set_holds_v4(&c.plan, f[1].set, 11, 0, 0, 1));
	assert_true(set_holds(&c.plan, f[1].set, v6));
	assert_false(set_holds(&c.plan, f[1].set, other6));
	assert_int_equal(f[2].kind, VIGIL_MK_SPORT);
	for (p = 990; p < 1010; p++)
		assert_int_equal(set_holds_num(&c.plan, f[2].set, p), p >= 1000 && p <= 1003);
	assert_true(set_holds_num(&c.plan, f[2].set, 25));
	assert_int_equal(f[3].kind, VIGIL_MK_FAMILY);
	assert_true(set_holds_num(&c.plan, f[3].set, 10));
	assert_false(set_holds_num(&c.plan, f[3].set, 2));
	compiled_free(&c);
}

/* An skb is read for its IP header; the socket filters test it. */
static void test_skb_filters(void **state)
{
	const char *yaml = POLICY_HEAD
		"  kprobes:\n  - call: ip_local_out\n    syscall: false\n    args:\n"
		"    - index: 2\n      type: skb\n"
		"    selectors:\n    - matchArgs:\n"
		"      - index: 2\n        operator: DAddr\n        values: [127.0.0.0/8]\n"
		"      - index: 2\n        operator: NotDPort\n        values: [\"53\"]\n";
	const struct vigil_hook_cfg *cfg;
	const struct vigil_sel_arg *f;
	struct compiled c;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	cfg = &c.plan.hooks[0].cfg;
	assert_int_equal(cfg->args[0].type, VIGIL_AT_SKB);
	assert_int_equal(cfg->args[0].index, 2);
	assert_int_equal(cfg->args[0].flags, 0);
	f = cfg->sel[0].args;
	assert_int_equal(f[0].kind, VIGIL_MK_DADDR);
	assert_true(set_holds_v4(&c.plan, f[0].set, 127, 0, 0, 1));
	assert_false(set_holds_v4(&c.plan, f[0].set, 10, 0, 0, 1));
	assert_int_equal(f[1].kind, VIGIL_MK_DPORT);
	assert_int_equal(f[1].negate, 1);
	assert_true(set_holds_num(&c.plan, f[1].set, 53));
	compiled_free(&c);
}

static void test_caps_rate_and_buffers(void **state)
{
	const char *yaml =
		POLICY_HEAD "  kprobes:\n  - call: sys_write\n    args:\n"
			    "    - index: 0\n      type: fd\n"
			    "    - index: 1\n      type: char_buf\n      sizeArgIndex: 3\n"
			    "    - index: 2\n      type: size_t\n"
			    "    selectors:\n    - matchCapabilities:\n      - type: Permitted\n"
			    "        operator: NotIn\n        isNamespaceCapability: true\n"
			    "        values: [CAP_SYS_ADMIN, CAP_NET_RAW]\n"
			    "      matchArgs:\n      - index: 0\n        operator: Equal\n"
			    "        values: [/etc/shadow, /run/]\n"
			    "      matchActions:\n      - action: Post\n        rateLimit: 2m\n"
			    "        rateLimitScope: process\n";
	const struct vigil_hook_cfg *cfg;
	const struct vigil_sel_cfg *sel;
	struct compiled c;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	cfg = &c.plan.hooks[0].cfg;
	sel = &cfg->sel[0];
	assert_int_equal(cfg->args[0].type, VIGIL_AT_FD);
	assert_int_equal(cfg->args[1].type, VIGIL_AT_CHAR_BUF);
	assert_true(cfg->args[1].flags & VIGIL_ARG_F_USER); /* a syscall's buffer */
	assert_int_equal(cfg->args[1].size_slot, 3);	    /* 1 + slot of index 2 */
	assert_int_equal(sel->caps.set, VIGIL_CAPS_PERMITTED);
	assert_int_equal(sel->caps.negate, 1);
	assert_int_equal(sel->caps.mask, (1ULL << 21) | (1ULL << 13));
	assert_int_equal(sel->caps.host_userns, vm_kernel.host_ns[VIGIL_NS_USER]);
	assert_int_equal(sel->rate_ns, 120ULL * 1000000000ULL);
	assert_int_equal(sel->rate_scope, VIGIL_RS_PROCESS);
	/* Equal on a path: the last components, for the name test before a
	 * walk; a value ending in '/' names no file and has none */
	assert_int_not_equal(sel->args[0].value, 0);
	assert_true(has_str(&c.plan, (uint32_t)sel->args[0].value, "shadow", 32 + 8 * 7));
	assert_false(has_str(&c.plan, (uint32_t)sel->args[0].value, "", 32 + 8));
	compiled_free(&c);
}

static void test_char_buf_needs_its_size(void **state)
{
	const char *yaml = POLICY_HEAD "  kprobes:\n  - call: sys_write\n    args:\n"
				       "    - index: 1\n      type: char_buf\n";
	const char *bad_index =
		POLICY_HEAD "  kprobes:\n  - call: sys_write\n    args:\n"
			    "    - index: 1\n      type: char_buf\n      sizeArgIndex: 3\n";
	struct compiled c;
	char buf[512];

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:9:7: spec.kprobes[0]: a char_buf argument needs sizeArgIndex "
			    "(the 1-based index of the argument holding its size)");
	compiled_free(&c);
	compile_text(bad_index, &vm_kernel, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:9:7: spec.kprobes[0]: sizeArgIndex 3 names no integer argument "
			    "of this hook: declare argument index 2 with an integer type");
	compiled_free(&c);
}

/* An error names the hook by its place in its own list. */
static void test_error_path_counts_per_list(void **state)
{
	const char *yaml =
		POLICY_HEAD "  kprobes:\n  - call: security_bprm_check\n    syscall: false\n"
			    "  lsmhooks:\n  - hook: file_open\n";
	struct compiled c;
	char buf[512];

	(void)state;
	compile_text(yaml, &tp_only, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(
		first_error(&c, buf, sizeof(buf)),
		"p.yaml:10:5: spec.lsmhooks[0]: LSM hook file_open cannot run here: this "
		"kernel does not offer BPF-LSM (boot with lsm=...,bpf)");
	compiled_free(&c);
}

/* return: true is a kretprobe; returnArg one more slot, read from the
 * return value; matchReturnArgs filters it. */
static void test_return_probe(void **state)
{
	const char *yaml =
		POLICY_HEAD "  kprobes:\n  - call: sys_openat\n    return: true\n    args:\n"
			    "    - index: 1\n      type: string\n    returnArg:\n      index: 0\n  "
			    "    type: int\n"
			    "    selectors:\n    - matchReturnArgs:\n      - index: 0\n        "
			    "operator: Equal\n"
			    "        values: [\"-2\"]\n";
	const char *lsm_ret = POLICY_HEAD
		"  kprobes:\n  - call: security_file_open\n    syscall: false\n    return: true\n"
		"    args:\n    - index: 0\n      type: file\n"
		"    returnArg:\n      index: 0\n      type: int\n";
	const struct vigil_hook_cfg *cfg;
	struct compiled c;
	char buf[512];

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	cfg = &c.plan.hooks[0].cfg;
	assert_true(cfg->flags & VIGIL_HOOK_F_RETURN);
	assert_int_equal(cfg->nargs, 2);
	assert_int_equal(cfg->args[1].index, VIGIL_RAW_RET);
	assert_true(cfg->args[1].flags & VIGIL_ARG_F_RETURN);
	assert_true(cfg->args[1].flags & VIGIL_ARG_F_SIGNED);
	assert_int_equal(cfg->sel[0].args[0].slot, 1);
	assert_int_equal(cfg->sel[0].args[0].kind, VIGIL_MK_INT_EQ);
	assert_true(set_holds_num(&c.plan, cfg->sel[0].args[0].set, (uint64_t)-2));
	compiled_free(&c);
	/* a kretprobe needs kprobes: an LSM hook cannot stand in for one */
	compile_text(lsm_ret, &lsm_only, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:7:5: spec.kprobes[0]: return: true cannot run here: it needs "
			    "kprobes (a kretprobe), and this hook runs as BPF-LSM hook file_open, "
			    "standing in for a kprobe on security_file_open (this kernel has no "
			    "kprobes)");
	compiled_free(&c);
}

static void test_follow_flags(void **state)
{
	const char *yaml = POLICY_HEAD
		"  lsmhooks:\n  - hook: file_open\n    selectors:\n"
		"    - matchPIDs:\n      - operator: In\n        followForks: true\n"
		"        values: [1]\n"
		"      matchBinaries:\n      - operator: In\n        followChildren: true\n"
		"        values: [/usr/sbin/nginx]\n"
		"    - matchPIDs:\n      - operator: NotIn\n        isNamespacePID: true\n"
		"        values: [1]\n";
	const char *both =
		POLICY_HEAD "  lsmhooks:\n  - hook: file_open\n    selectors:\n"
			    "    - matchPIDs:\n      - operator: In\n        followForks: true\n"
			    "        isNamespacePID: true\n        values: [1]\n";
	const struct vigil_hook_cfg *cfg;
	struct compiled c;

	(void)state;
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	cfg = &c.plan.hooks[0].cfg;
	assert_int_equal(cfg->sel[0].flags, VIGIL_SEL_F_PID | VIGIL_SEL_F_PID_FOLLOW);
	assert_int_equal(cfg->sel[0].bin.follow, 1);
	assert_int_equal(cfg->sel[1].flags,
			 VIGIL_SEL_F_PID | VIGIL_SEL_F_PID_NOT | VIGIL_SEL_F_PID_NS);
	assert_int_equal(cfg->sel[1].bin.follow, 0);
	compiled_free(&c);
	compile_text(both, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].cfg.sel[0].flags,
			 VIGIL_SEL_F_PID | VIGIL_SEL_F_PID_FOLLOW | VIGIL_SEL_F_PID_NS);
	compiled_free(&c);
}

static void test_ten_thousand_values(void **state)
{
	size_t cap = 64 + 10000 * 24, o;
	char *yaml = malloc(cap);
	struct compiled c;
	int i;

	(void)state;
	assert_non_null(yaml);
	o = (size_t)snprintf(yaml, cap,
			     "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"
			     "metadata:\n  name: big\nspec:\n  lsmhooks:\n  - hook: file_open\n"
			     "    args:\n    - index: 0\n      type: file\n    selectors:\n"
			     "    - matchArgs:\n      - index: 0\n        operator: Equal\n"
			     "        values:\n");
	for (i = 0; i < 10000; i++)
		o += (size_t)snprintf(yaml + o, cap - o, "        - /srv/f%05d\n", i);
	compile_text(yaml, &vm_kernel, &c);
	assert_int_equal(c.ret, 0);
	/* each value, and its last component for the name test before a walk */
	assert_int_equal(c.plan.nstrs, 20000);
	assert_int_equal(c.plan.hooks[0].cfg.sel[0].nargs, 1);
	assert_true(has_str(&c.plan, c.plan.hooks[0].cfg.sel[0].args[0].set, "/srv/f09999",
			    32 + 8 * 12));
	assert_true(has_str(&c.plan, (uint32_t)c.plan.hooks[0].cfg.sel[0].args[0].value, "f09999",
			    32 + 8 * 7));
	compiled_free(&c);
	free(yaml);
}

static int fake_resolve(void *ctx, const char *path, char *out, size_t outsz)
{
	(void)ctx;
	if (strcmp(path, "/bin/sh"))
		return 0;
	snprintf(out, outsz, "/usr/bin/sh");
	return 1;
}

static void test_values_also_match_with_resolved_dirs(void **state)
{
	struct vigil_kernel_features f = vm_kernel;
	struct compiled c;
	uint32_t set;

	(void)state;
	f.resolve = fake_resolve;
	compile_text(BLOCK_SHELL, &f, &c);
	assert_int_equal(c.ret, 0);
	set = c.plan.hooks[0].cfg.sel[0].args[0].set;
	assert_true(has_str(&c.plan, set, "/bin/sh", 32 + 8 * 8));
	assert_true(has_str(&c.plan, set, "/usr/bin/sh", 32 + 8 * 12));
	assert_true(has_str(&c.plan, set, "/bin/bash", 32 + 8 * 10));
	/* and the last components, tested before the path is walked: one
	 * "sh" for both spellings of /bin/sh */
	set = (uint32_t)c.plan.hooks[0].cfg.sel[0].args[0].value;
	assert_true(has_str(&c.plan, set, "sh", 32 + 8 * 3));
	assert_true(has_str(&c.plan, set, "bash", 32 + 8 * 5));
	/* five strings: bash's directory is no link in this fake */
	assert_int_equal(c.plan.nstrs, 5);
	compiled_free(&c);
}

/* Where neither BPF-LSM nor kprobes exist, socket_connect and tcp_connect
 * run as the cgroup connect hooks; their arguments and limits. */
static void test_cgroup_connect_fallback(void **state)
{
	static const char deny[] = POLICY_HEAD
		"  kprobes:\n  - call: security_socket_connect\n    syscall: false\n    args:\n"
		"    - index: 0\n      type: socket\n    - index: 1\n      type: sockaddr\n"
		"    - index: 2\n      type: int\n"
		"    selectors:\n    - matchArgs:\n"
		"      - index: 1\n        operator: SAddr\n        values: [10.0.0.0/8]\n"
		"      matchActions:\n      - action: Override\n        argError: %d\n"
		"  - call: tcp_connect\n    syscall: false\n    args:\n"
		"    - index: 0\n      type: sock\n";
	struct vigil_kernel_features f = tp_only;
	const struct vigil_hook_cfg *cfg;
	struct compiled c;
	char yaml[1024], buf[512];

	(void)state;
	f.cgroup_connect = true;
	snprintf(yaml, sizeof(yaml), deny, -1);
	compile_text(yaml, &f, &c);
	assert_int_equal(c.ret, 0);
	cfg = &c.plan.hooks[0].cfg;
	assert_int_equal(c.plan.hooks[0].attach, VIGIL_ATTACH_CGROUP_CONNECT);
	/* the socket is read as its sock, which the hook has itself */
	assert_int_equal(cfg->args[0].type, VIGIL_AT_SOCK);
	assert_int_equal(cfg->args[0].flags, 0);
	assert_int_equal(cfg->args[1].type, VIGIL_AT_SOCKADDR);
	assert_int_equal(cfg->args[1].flags, 0);
	assert_int_equal(cfg->flags, 0);
	assert_true(cfg->sel[0].actions & VIGIL_ACTION_OVERRIDE);
	assert_int_equal(cfg->sel[0].error, -1);
	/* tcp_connect: TCP only, and its sock's peer is the address asked for */
	cfg = &c.plan.hooks[1].cfg;
	assert_int_equal(c.plan.hooks[1].attach, VIGIL_ATTACH_CGROUP_CONNECT);
	assert_int_equal(cfg->flags, VIGIL_HOOK_F_TCP);
	assert_int_equal(cfg->args[0].flags, VIGIL_ARG_F_DEST);
	compiled_free(&c);

	snprintf(yaml, sizeof(yaml), deny, -13);
	compile_text(yaml, &f, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(
		first_error(&c, buf, sizeof(buf)),
		"p.yaml:22:9: spec.kprobes[0]: Override on security_socket_connect runs "
		"here as the cgroup connect hook, whose deny is always EPERM: argError "
		"must be -1 (EPERM), not -13");
	compiled_free(&c);

	/* an argument the hook does not have */
	compile_text(POLICY_HEAD "  kprobes:\n  - call: tcp_connect\n    syscall: false\n"
				 "    args:\n    - index: 1\n      type: int\n",
		     &f, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:7:5: spec.kprobes[0]: tcp_connect cannot run here: the cgroup "
			    "connect hook gives argument 0 (sock), not argument 1 of type \"int\" "
			    "(no kprobes and no BPF-LSM on this kernel)");
	compiled_free(&c);

	/* without the cgroup hook: refused as before */
	snprintf(yaml, sizeof(yaml), deny, -1);
	compile_text(yaml, &tp_only, &c);
	assert_int_equal(c.ret, -EINVAL);
	compiled_free(&c);
}

static int fake_resolve_arg(void *ctx, const struct vigil_hook *h, unsigned index, const char *path,
			    struct vigil_resolve *out, char *why, size_t whysz)
{
	(void)ctx;
	assert_string_equal(h->call, "security_file_open");
	assert_int_equal(index, 0);
	if (strcmp(path, "f_path.dentry")) {
		snprintf(why, whysz, "no member \"%s\" in struct file", path);
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	out->n = 1;
	out->off[0] = 16;
	out->size = 8;
	return 0;
}

/* resolve: the offsets come from the kernel's types (a callback here); a
 * path they cannot follow, or no types at all, is refused at the arg. */
static void test_resolve(void **state)
{
	static const char head[] = POLICY_HEAD
		"  kprobes:\n  - call: security_file_open\n    syscall: false\n    args:\n"
		"    - index: 0\n      type: dentry\n      resolve: ";
	struct vigil_kernel_features f = vm_kernel;
	char yaml[512], buf[512];
	struct compiled c;

	(void)state;
	f.resolve_arg = fake_resolve_arg;
	snprintf(yaml, sizeof(yaml), "%s%s\n", head, "f_path.dentry");
	compile_text(yaml, &f, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.plan.hooks[0].cfg.res[0].n, 1);
	assert_int_equal(c.plan.hooks[0].cfg.res[0].off[0], 16);
	assert_int_equal(c.plan.hooks[0].cfg.res[0].size, 8);
	compiled_free(&c);
	snprintf(yaml, sizeof(yaml), "%s%s\n", head, "f_pth");
	compile_text(yaml, &f, &c);
	assert_int_equal(c.ret, -EINVAL);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:10:7: spec.kprobes[0].args[0].resolve: resolve \"f_pth\": no "
			    "member \"f_pth\" "
			    "in struct file");
	compiled_free(&c);
	compile_text(yaml, &vm_kernel, &c);
	assert_string_equal(first_error(&c, buf, sizeof(buf)),
			    "p.yaml:10:7: spec.kprobes[0].args[0].resolve: resolve \"f_pth\" "
			    "cannot be followed "
			    "here: the kernel's types (BTF) are not available");
	compiled_free(&c);
}

static void test_lsm_hook_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(vigil_lsm_hook_for("security_bprm_check", buf, sizeof(buf)),
			    "bprm_check_security");
	assert_string_equal(vigil_lsm_hook_for("security_socket_connect", buf, sizeof(buf)),
			    "socket_connect");
	assert_null(vigil_lsm_hook_for("tcp_connect", buf, sizeof(buf)));
	assert_null(vigil_lsm_hook_for("security_", buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kprobe_where_kprobes_exist),
		cmocka_unit_test(test_kprobe_falls_back_to_lsm_hook),
		cmocka_unit_test(test_exec_hook_falls_back_to_tracepoint),
		cmocka_unit_test(test_lsm_override_refused_without_lsm),
		cmocka_unit_test(test_lsm_override_postfix_nopost),
		cmocka_unit_test(test_kprobe_override_refused_without_lsm),
		cmocka_unit_test(test_integers_gt_mask_and_set),
		cmocka_unit_test(test_syscall_string_argument),
		cmocka_unit_test(test_ten_thousand_values),
		cmocka_unit_test(test_ranges_are_prefix_blocks),
		cmocka_unit_test(test_socket_filters),
		cmocka_unit_test(test_skb_filters),
		cmocka_unit_test(test_caps_rate_and_buffers),
		cmocka_unit_test(test_char_buf_needs_its_size),
		cmocka_unit_test(test_error_path_counts_per_list),
		cmocka_unit_test(test_return_probe),
		cmocka_unit_test(test_follow_flags),
		cmocka_unit_test(test_values_also_match_with_resolved_dirs),
		cmocka_unit_test(test_cgroup_connect_fallback),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_lsm_hook_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
