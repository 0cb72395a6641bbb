/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plan.h - what a validated policy becomes on one kernel: hook instances,
 * each with its attach point and its configuration (struct vigil_hook_cfg
 * of bpf-lsm/vigil_abi.h), and the value-set entries to insert.  Plain
 * records: agent/policy_load.c turns a plan into loaded programs and filled
 * maps; `vigil policy lint --explain` prints it.
 *
 * Ids: a policy gets an id from the agent (< VIGIL_POLICIES_MAX); its value
 * sets are (id << 16 | n) and its hooks (id << 12 | n), so plans of
 * different policies never collide in the shared maps.
 */
#ifndef VIGIL_POLICY_PLAN_H
#define VIGIL_POLICY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "vigil_abi.h"
#include "model.h"
#include "diag.h"

#define VIGIL_PLAN_SETS_PER_POLICY  (1U << 16)
#define VIGIL_PLAN_HOOKS_PER_POLICY (1U << 12)

/* One field of a tracepoint's record, as its tracefs format file describes
 * it ("field:const char * filename;\toffset:24;\tsize:8;\tsigned:0;"). */
struct vigil_tp_field {
	char name[64];	 /* "filename" */
	char type[96];	 /* the C type, an array's size appended: "const char *",
			  * "char[16]", "__data_loc char[]" */
	unsigned offset; /* bytes from the start of the record */
	unsigned size;
	bool is_signed;
	bool data_loc;	  /* __data_loc: a u32 of offset | length << 16 */
	unsigned nfields; /* how many fields the event has (common_* included) */
};

/* What the running kernel offers (from the agent's probe, or assumed by
 * lint when it explains for another kernel). */
struct vigil_kernel_features {
	bool lsm;	      /* BPF-LSM programs load and attach */
	bool kprobes;	      /* kprobe programs load and attach */
	bool override_return; /* bpf_override_return (error injection) */
	bool exec_tracepoint; /* tp_btf/sched_process_exec loads */
	bool signal;	      /* bpf_send_signal */
	bool cgroup_connect;  /* cgroup connect4/6 at the root, with task and signal helpers */
	/* the host's namespace inode numbers, for "host_ns" */
	uint32_t host_ns[VIGIL_NS_COUNT];
	/* prefix of syscall wrappers, e.g. "__x64_sys_" */
	const char *syscall_prefix;
	/* Another name exec may see for a path value on this host (its
	 * directories resolved when they are symbolic links): 1 and out
	 * filled, 0 when there is none, negative on error.  NULL: values are
	 * taken as written. */
	int (*resolve)(void *ctx, const char *path, char *out, size_t outsz);
	void *resolve_ctx;
	/* Field number index of tracepoint subsys/event, numbered as its
	 * format file lists them, common_* fields included (Tetragon's
	 * numbering): 0 and out filled; -ENOENT when there is no such
	 * tracepoint; -ERANGE when it has no field index (out->nfields says
	 * how many it has); another negative errno when its format cannot be
	 * read (-ENODEV: no tracefs).  NULL: formats are unknown. */
	int (*tracepoint_field)(void *ctx, const char *subsys, const char *event, unsigned index,
				struct vigil_tp_field *out);
	void *tracepoint_ctx;
	/* A format that cannot be read is a warning, and the arguments are laid
	 * out from their types alone (lint without root); else an error. */
	bool tracepoint_unknown_ok;
	/* An argument's resolve: path from the kernel's types: 0 and out
	 * filled; -EINVAL with why filled.  NULL: resolve is refused. */
	int (*resolve_arg)(void *ctx, const struct vigil_hook *h, unsigned index, const char *path,
			   struct vigil_resolve *out, char *why, size_t whysz);
	void *resolve_arg_ctx;
};

struct vigil_plan_hook {
	const struct vigil_hook *src; /* in the policy the plan was made from */
	enum vigil_attach attach;
	char target[128]; /* LSM hook, kernel function or tracepoint it attaches to */
	char how[512];	  /* why this attach point, for --explain and the log */
	struct vigil_hook_cfg cfg;
};

struct vigil_plan {
	uint32_t policy_id;
	struct vigil_plan_hook *hooks;
	size_t nhooks;
	struct vigil_str_key *strs;
	size_t nstrs;
	struct vigil_num_key *nums;
	size_t nnums;
	uint32_t nsets;
	bool scoped; /* VIGIL_HOOK_F_SCOPED on every hook: pods only */
};

/*
 * Compile a validated policy for a kernel with features f.  Returns 0, or
 * -EINVAL with a diagnostic for each part that cannot run on this kernel or
 * that vigil does not implement yet (and then no plan), or -ENOMEM.
 */
int vigil_policy_compile(const struct vigil_policy *p, const struct vigil_kernel_features *f,
			 uint32_t policy_id, struct vigil_plan *plan, struct vigil_diags *ds);

void vigil_plan_free(struct vigil_plan *plan);

/* Kernel memory the plan's value-set entries take (bytes, an estimate of
 * LPM trie nodes); programs are measured once loaded. */
size_t vigil_plan_set_bytes(const struct vigil_plan *plan);

/* The LSM hook that a kprobe on function fn stands for ("security_file_open"
 * -> "file_open"), or NULL. */
const char *vigil_lsm_hook_for(const char *fn, char *buf, size_t bufsz);

#endif
