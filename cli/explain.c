// SPDX-License-Identifier: Apache-2.0
/*
 * explain.c - vigil policy lint --explain: what a valid policy becomes on
 * this kernel.  For each hook: what it attaches to (with the fallback and
 * why), its arguments, each selector's filters and actions; then the
 * value-set entries and the kernel memory they take.
 *
 * The kernel's features come from vigild's own probe, which loads small
 * programs and so needs root; without root the explanation assumes a
 * kernel with BPF-LSM and kprobes, and says so.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "plan.h"
#include "policies.h"
#include "probe.h"
#include "procfs.h"

static const char *const arg_names[VIGIL_AT_COUNT] = {
	[VIGIL_AT_INT] = "integer",
	[VIGIL_AT_LINUX_BINPRM] = "linux_binprm (resolved path and name as invoked)",
	[VIGIL_AT_FILE] = "file (path)",
	[VIGIL_AT_PATH] = "path",
	[VIGIL_AT_STRING] = "string",
	[VIGIL_AT_FD] = "fd (its file's path)",
	[VIGIL_AT_DENTRY] = "dentry (path within its file system)",
	[VIGIL_AT_CRED] = "cred (ids and capabilities)",
	[VIGIL_AT_CAPABILITY] = "capability",
	[VIGIL_AT_CHAR_BUF] = "char_buf (bytes)",
	[VIGIL_AT_SOCK] = "sock (family, protocol, addresses, ports)",
	[VIGIL_AT_SOCKADDR] = "sockaddr (family, address, port)",
	[VIGIL_AT_SKB] = "skb (IP addresses, protocol, ports)",
};

static const char *const match_names[VIGIL_MK_COUNT] = {
	[VIGIL_MK_STR_EQ] = "equal to a value of",
	[VIGIL_MK_STR_PREFIX] = "starts with a value of",
	[VIGIL_MK_STR_POSTFIX] = "ends with a value of",
	[VIGIL_MK_INT_EQ] = "equal to a value of",
	[VIGIL_MK_INT_GT] = "greater than",
	[VIGIL_MK_INT_LT] = "less than",
	[VIGIL_MK_INT_MASK] = "has a bit of",
	[VIGIL_MK_SADDR] = "source address in",
	[VIGIL_MK_DADDR] = "destination address in",
	[VIGIL_MK_SPORT] = "source port in",
	[VIGIL_MK_DPORT] = "destination port in",
	[VIGIL_MK_PROTOCOL] = "protocol in",
	[VIGIL_MK_FAMILY] = "family in",
};

static const char *const attach_names[] = {
	[VIGIL_ATTACH_LSM] = "BPF-LSM",
	[VIGIL_ATTACH_KPROBE] = "kprobe",
	[VIGIL_ATTACH_KPROBE_SYSCALL] = "kprobe (syscall)",
	[VIGIL_ATTACH_EXEC_TRACEPOINT] = "exec tracepoint",
	[VIGIL_ATTACH_TRACEPOINT] = "tracepoint",
	[VIGIL_ATTACH_RAW_TRACEPOINT] = "raw tracepoint",
	[VIGIL_ATTACH_CGROUP_CONNECT] = "cgroup connect",
};

void explain_features(struct vigil_kernel_features *kf, char *desc, size_t descsz)
{
	struct vigil_features feats;
	uint32_t host_ns[VIGIL_NS_COUNT] = { 0 };
	int i;

	if (geteuid() != 0) {
		memset(&feats, 0, sizeof(feats));
		for (i = 0; i < VIGIL_FEAT_COUNT; i++)
			feats.f[i].available = true;
		snprintf(desc, descsz,
			 "assumed: a kernel with BPF-LSM and kprobes (probing this one needs "
			 "root)");
	} else {
		vigil_probe_kernel(&feats);
		snprintf(desc, descsz, "kernel %s, as vigild probes it", feats.kernel);
	}
	vigil_host_ns(host_ns);
	vigil_policy_features(&feats, host_ns, kf);
}

static void print_set(FILE *out, const struct vigil_plan *plan, uint32_t set)
{
	size_t i, n = 0;

	for (i = 0; i < plan->nstrs; i++)
		n += plan->strs[i].set == set;
	for (i = 0; i < plan->nnums; i++)
		n += plan->nums[i].set == set;
	fprintf(out, "set %#x (%zu value%s)", set, n, n == 1 ? "" : "s");
}

static void print_actions(FILE *out, const struct vigil_sel_cfg *sel)
{
	const char *sep = "";

	fprintf(out, "        actions: ");
	if (sel->actions & VIGIL_ACTION_SIGKILL) {
		fprintf(out, "%sSigkill", sep);
		sep = ", ";
	}
	if (sel->actions & VIGIL_ACTION_SIGNAL) {
		fprintf(out, "%sSignal %u", sep, sel->signal);
		sep = ", ";
	}
	if (sel->actions & VIGIL_ACTION_OVERRIDE) {
		fprintf(out, "%sOverride (return %d)", sep, sel->error);
		sep = ", ";
	}
	fprintf(out, "%s%s\n", sep,
		(sel->actions & VIGIL_ACTION_POST) ? "Post (one event)" : "NoPost");
}

static void print_selector(FILE *out, const struct vigil_plan *plan, const struct vigil_hook *src,
			   const struct vigil_hook_cfg *cfg, unsigned s)
{
	const struct vigil_sel_cfg *sel = &cfg->sel[s];
	unsigned i;

	fprintf(out, "      selector %u (first to match acts):\n", s);
	for (i = 0; i < sel->nargs; i++) {
		const struct vigil_sel_arg *f = &sel->args[i];

		fprintf(out, "        arg %u (index %u) %s%s ", f->slot, src->args[f->slot].index,
			f->negate ? "not " : "",
			f->kind < VIGIL_MK_COUNT ? match_names[f->kind] : "?");
		if (f->kind == VIGIL_MK_INT_GT || f->kind == VIGIL_MK_INT_LT ||
		    f->kind == VIGIL_MK_INT_MASK)
			fprintf(out, "%#llx", (unsigned long long)f->value);
		else
			print_set(out, plan, f->set);
		fputc('\n', out);
	}
	if (sel->bin.kind) {
		fprintf(out, "        binary %s%s ", sel->bin.negate ? "not " : "",
			match_names[sel->bin.kind]);
		print_set(out, plan, sel->bin.set);
		fputc('\n', out);
	}
	if (sel->pbin.kind) {
		fprintf(out, "        parent binary %s%s ", sel->pbin.negate ? "not " : "",
			match_names[sel->pbin.kind]);
		print_set(out, plan, sel->pbin.set);
		fputc('\n', out);
	}
	for (i = 0; i < VIGIL_NS_COUNT; i++)
		if (sel->ns.mask & (1U << i)) {
			fprintf(out, "        namespace %u %s ", i,
				(sel->ns.negate & (1U << i)) ? "not in" : "in");
			print_set(out, plan, sel->ns.set[i]);
			fputc('\n', out);
		}
	if (sel->flags & VIGIL_SEL_F_PID) {
		fprintf(out, "        pid %s ",
			(sel->flags & VIGIL_SEL_F_PID_NOT) ? "not in" : "in");
		print_set(out, plan, sel->pid_set);
		fputc('\n', out);
	}
	print_actions(out, sel);
}

void explain_plan(FILE *out, const struct vigil_policy *p, const struct vigil_plan *plan,
		  const char *kernel)
{
	size_t h, i;

	fprintf(out, "policy %s (%s mode) on %s\n", p->name,
		p->mode == VIGIL_MODE_MONITOR ? "monitor" : "enforce", kernel);
	for (h = 0; h < plan->nhooks; h++) {
		const struct vigil_plan_hook *ph = &plan->hooks[h];
		const struct vigil_hook_cfg *cfg = &ph->cfg;

		fprintf(out, "  hook %zu: %s\n", h, ph->src->call);
		fprintf(out, "    runs as: %s on %s: %s\n",
			ph->attach <= VIGIL_ATTACH_CGROUP_CONNECT ? attach_names[ph->attach] : "?",
			ph->target, ph->how);
		for (i = 0; i < cfg->nargs; i++) {
			const struct vigil_hook_arg *ha = &cfg->args[i];

			fprintf(out, "    arg %zu: index %u, %s", i, ph->src->args[i].index,
				ha->type < VIGIL_AT_COUNT ? arg_names[ha->type] : "?");
			if (ph->src->args[i].resolve && cfg->res[i].n)
				fprintf(out, ", resolve \"%s\": %u step%s, then %u bytes",
					ph->src->args[i].resolve, cfg->res[i].n,
					cfg->res[i].n == 1 ? "" : "s", cfg->res[i].size);
			if (ph->attach == VIGIL_ATTACH_TRACEPOINT)
				fprintf(out, ", %u bytes at offset %u of the record%s%s", ha->width,
					ha->off,
					ha->flags & VIGIL_ARG_F_USER ? ", user memory" : "",
					ha->flags & VIGIL_ARG_F_DATALOC ? ", __data_loc" : "");
			fputc('\n', out);
		}
		if (!cfg->nsel)
			fprintf(out, "    no selectors: every call is reported\n");
		for (i = 0; i < cfg->nsel; i++)
			print_selector(out, plan, ph->src, cfg, (unsigned)i);
	}
	fprintf(out,
		"  value sets: %zu string%s, %zu number%s; about %zu KiB of kernel memory "
		"(LPM trie nodes), the same per event for 1 value or 10,000\n",
		plan->nstrs, plan->nstrs == 1 ? "" : "s", plan->nnums, plan->nnums == 1 ? "" : "s",
		(vigil_plan_set_bytes(plan) + 1023) / 1024);
	fprintf(out,
		"  programs: %zu (one per hook, each with %zu bytes of configuration); vigild "
		"reports their size when it loads them\n",
		plan->nhooks, sizeof(struct vigil_hook_cfg));
}
