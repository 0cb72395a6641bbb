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

struct compiled {
	struct vigil_policy *p;
	struct vigil_plan plan;
	struct vigil_diags ds;
	int ret;
};

static void compile_text(const char *yaml, const struct vigil_kernel_features *f,
			 struct compiled *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(vigil_policy_parse("p.yaml", yaml, strlen(yaml), &c->p, &c->ds), 0);
	assert_int_equal(vigil_policy_validate(c->p, NULL, &c->ds), 0);
	c->ret = vigil_policy_compile(c->p, f, 7, &c->plan, &c->ds);
}

static void compiled_free(struct compiled *c)
{
	vigil_plan_free(&c->plan);
	vigil_policy_free(c->p);
	vigil_diags_free(&c->ds);
}

static const char *first_error(struct compiled *c, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < c->ds.n; i++)
		if (c->ds.d[i].sev == VIGIL_DIAG_ERROR) {
			vigil_diag_format(&c->ds.d[i], buf, n);
			return buf;
		}
	return "";
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
	assert_int_equal(c.plan.nstrs, 10000);
	assert_int_equal(c.plan.hooks[0].cfg.sel[0].nargs, 1);
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
	/* three strings: bash's directory is no link in this fake */
	assert_int_equal(c.plan.nstrs, 3);
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
		cmocka_unit_test(test_values_also_match_with_resolved_dirs),
		cmocka_unit_test(test_lsm_hook_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
