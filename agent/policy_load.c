// SPDX-License-Identifier: Apache-2.0
/*
 * policy_load.c - plan -> loaded programs and filled maps.
 *
 * One policy.bpf.o instance per hook: its struct vigil_hook_cfg goes into
 * rodata, only the entry program that fits the attach kind is loaded (a
 * return probe: the kprobe and the kretprobe), and every map is either the
 * process sensor's or one that all policy programs share (scratch,
 * rateLimit memory, return probes' arguments: created by the first,
 * reused after).  Once attached, only the links are kept: they hold the
 * programs, so a hook costs one file descriptor (two for a return probe),
 * and hundreds of policies fit any fd limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "policy_load.h"
#include "probe.h"
#include "policy.skel.h"
#include "log.h"

struct vigil_loaded {
	uint32_t policy_id;
	struct bpf_link **links; /* one per hook, two for a return probe, up to four
				  * for the cgroup connect hooks */
	size_t nlinks;
	size_t prog_bytes; /* jited and translated size of every program */
	size_t nhooks;
	struct vigil_str_key *strs;
	size_t nstrs;
	struct vigil_num_key *nums;
	size_t nnums;
	size_t set_bytes;
};

/* Maps of policy.bpf.c that every policy program shares (per-CPU scratch,
 * rateLimit memory, return probes' arguments), created by the first
 * program loaded and reused after: memory per agent, not per policy. */
static struct {
	const char *name;
	int fd;
} shared[] = { { "pol_scratch", -1 }, { "rate_limit", -1 }, { "ret_stash", -1 } };

static int reuse_shared(struct policy_bpf *skel)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(skel->obj, shared[i].name);

		if (!map)
			return -ENOENT;
		if (shared[i].fd < 0)
			continue;
		ret = bpf_map__reuse_fd(map, shared[i].fd);
		if (ret)
			return ret;
	}
	return 0;
}

static int keep_shared(struct policy_bpf *skel)
{
	size_t i;

	for (i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(skel->obj, shared[i].name);

		if (shared[i].fd >= 0 || !map)
			continue;
		shared[i].fd = dup(bpf_map__fd(map));
		if (shared[i].fd < 0)
			return -errno;
	}
	return 0;
}

int vigil_reuse_shared_maps(struct bpf_object *obj, const struct vigil_shared_maps *m)
{
	const struct {
		const char *name;
		int fd;
	} maps[] = {
		{ "events", m->events },
		{ "proc_table", m->proc_table },
		{ "proc_bins", m->proc_bins },
		{ "stats", m->stats },
		{ "str_sets", m->str_sets },
		{ "num_sets", m->num_sets },
		{ "policy_state", m->policy_state },
		{ "policy_scope", m->policy_scope },
	};
	size_t i;
	int ret;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(obj, maps[i].name);

		if (!map)
			return -ENOENT;
		ret = bpf_map__reuse_fd(map, maps[i].fd);
		if (ret)
			return ret;
	}
	return 0;
}

static struct bpf_program *entry_program(struct policy_bpf *skel, enum vigil_attach a)
{
	switch (a) {
	case VIGIL_ATTACH_LSM:
		return skel->progs.vigil_lsm;
	case VIGIL_ATTACH_KPROBE:
	case VIGIL_ATTACH_KPROBE_SYSCALL:
		return skel->progs.vigil_kprobe;
	case VIGIL_ATTACH_EXEC_TRACEPOINT:
		return skel->progs.vigil_exec_tp;
	case VIGIL_ATTACH_TRACEPOINT:
		return skel->progs.vigil_tp;
	case VIGIL_ATTACH_RAW_TRACEPOINT:
		return skel->progs.vigil_raw_tp;
	case VIGIL_ATTACH_CGROUP_CONNECT:
		return skel->progs.vigil_connect4; /* and vigil_connect6 */
	}
	return NULL;
}

/* The kernel memory of a loaded program: its jited and translated code. */
static size_t prog_size(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return (size_t)info.jited_prog_len + info.xlated_prog_len;
}

/* target is "subsystem/event" */
static struct bpf_link *attach_tracepoint(struct bpf_program *prog, const char *target)
{
	char sub[128];
	const char *slash = strchr(target, '/');

	if (!slash || (size_t)(slash - target) >= sizeof(sub)) {
		errno = EINVAL;
		return NULL;
	}
	memcpy(sub, target, (size_t)(slash - target));
	sub[slash - target] = 0;
	return bpf_program__attach_tracepoint(prog, sub, slash + 1);
}

/* connect4 at the cgroup root, returned (or NULL, errno set); connect6 and,
 * for socket_connect, sendmsg4 and sendmsg6 (UDP sends to an address) kept
 * in l. */
static struct bpf_link *attach_connect(struct policy_bpf *skel, const struct vigil_hook_cfg *cfg,
				       struct vigil_loaded *l)
{
	struct bpf_program *more[] = { skel->progs.vigil_connect6, skel->progs.vigil_sendmsg4,
				       skel->progs.vigil_sendmsg6 };
	size_t i, n = cfg->flags & VIGIL_HOOK_F_TCP ? 1 : 3, first = l->nlinks;
	struct bpf_link *link = NULL;
	int cg = vigil_cgroup2_fd(), err = 0;

	if (cg < 0) {
		errno = -cg;
		return NULL;
	}
	for (i = 0; i < n && !err; i++) {
		link = bpf_program__attach_cgroup(more[i], cg);
		if (!link) {
			err = -errno;
			break;
		}
		l->links[l->nlinks++] = link;
		l->prog_bytes += prog_size(bpf_program__fd(more[i]));
	}
	link = err ? NULL : bpf_program__attach_cgroup(skel->progs.vigil_connect4, cg);
	if (!link && !err)
		err = -errno;
	close(cg);
	if (err) { /* nothing of the hook stays */
		while (l->nlinks > first)
			bpf_link__destroy(l->links[--l->nlinks]);
		errno = -err;
		return NULL;
	}
	return link;
}

static int load_hook(const struct vigil_plan_hook *ph, const struct vigil_shared_maps *m,
		     struct vigil_loaded *l, char *err, size_t errsz)
{
	struct policy_bpf *skel = policy_bpf__open();
	bool ret_probe = ph->cfg.flags & VIGIL_HOOK_F_RETURN;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	int ret;

	if (!skel) {
		ret = -errno;
		snprintf(err, errsz, "open the policy program: %s", strerror(-ret));
		return ret;
	}
	prog = entry_program(skel, ph->attach);
	bpf_program__set_autoload(skel->progs.vigil_lsm, prog == skel->progs.vigil_lsm);
	bpf_program__set_autoload(skel->progs.vigil_kprobe, prog == skel->progs.vigil_kprobe);
	bpf_program__set_autoload(skel->progs.vigil_exec_tp, prog == skel->progs.vigil_exec_tp);
	bpf_program__set_autoload(skel->progs.vigil_tp, prog == skel->progs.vigil_tp);
	bpf_program__set_autoload(skel->progs.vigil_raw_tp, prog == skel->progs.vigil_raw_tp);
	bpf_program__set_autoload(skel->progs.vigil_kretprobe, ret_probe);
	bpf_program__set_autoload(skel->progs.vigil_connect4, prog == skel->progs.vigil_connect4);
	bpf_program__set_autoload(skel->progs.vigil_connect6, prog == skel->progs.vigil_connect4);
	bpf_program__set_autoload(skel->progs.vigil_sendmsg4,
				  prog == skel->progs.vigil_connect4 &&
					  !(ph->cfg.flags & VIGIL_HOOK_F_TCP));
	bpf_program__set_autoload(skel->progs.vigil_sendmsg6,
				  prog == skel->progs.vigil_connect4 &&
					  !(ph->cfg.flags & VIGIL_HOOK_F_TCP));
	memcpy((void *)&skel->rodata->cfg, &ph->cfg, sizeof(ph->cfg));
	ret = 0;
	if (ph->attach == VIGIL_ATTACH_LSM)
		ret = bpf_program__set_attach_target(prog, 0, ph->target);
	if (!ret)
		ret = vigil_reuse_shared_maps(skel->obj, m);
	if (!ret)
		ret = reuse_shared(skel);
	if (ret) {
		snprintf(err, errsz, "prepare the program for %s: %s", ph->target, strerror(-ret));
		goto fail;
	}
	ret = policy_bpf__load(skel);
	if (ret) {
		snprintf(err, errsz, "load the program for %s (%s): %s", ph->target, ph->how,
			 strerror(-ret));
		goto fail;
	}
	ret = keep_shared(skel);
	if (ret) {
		snprintf(err, errsz, "keep the maps policy programs share: %s", strerror(-ret));
		goto fail;
	}
	switch (ph->attach) {
	case VIGIL_ATTACH_LSM:
		link = bpf_program__attach_lsm(prog);
		break;
	case VIGIL_ATTACH_KPROBE:
	case VIGIL_ATTACH_KPROBE_SYSCALL:
		link = bpf_program__attach_kprobe(prog, false, ph->target);
		break;
	case VIGIL_ATTACH_EXEC_TRACEPOINT:
		link = bpf_program__attach_trace(prog);
		break;
	case VIGIL_ATTACH_TRACEPOINT:
		link = attach_tracepoint(prog, ph->target);
		break;
	case VIGIL_ATTACH_RAW_TRACEPOINT:
		link = bpf_program__attach_raw_tracepoint(prog, ph->target);
		break;
	case VIGIL_ATTACH_CGROUP_CONNECT:
		link = attach_connect(skel, &ph->cfg, l);
		break;
	}
	if (!link) {
		ret = -errno;
		snprintf(err, errsz, "attach to %s (%s): %s", ph->target, ph->how, strerror(-ret));
		goto fail;
	}
	l->links[l->nlinks++] = link;
	l->prog_bytes += prog_size(bpf_program__fd(prog));
	if (ret_probe) { /* and where the call returns */
		prog = skel->progs.vigil_kretprobe;
		link = bpf_program__attach_kprobe(prog, true, ph->target);
		if (!link) {
			ret = -errno;
			snprintf(err, errsz, "attach to the return of %s (%s): %s", ph->target,
				 ph->how, strerror(-ret));
			goto fail;
		}
		l->links[l->nlinks++] = link;
		l->prog_bytes += prog_size(bpf_program__fd(prog));
	}
	/* The links hold the programs; the object's descriptors can go. */
	policy_bpf__destroy(skel);
	return 0;
fail:
	policy_bpf__destroy(skel);
	return ret ? ret : -EINVAL;
}

static void delete_sets(struct vigil_loaded *l, const struct vigil_shared_maps *m)
{
	size_t i;

	for (i = 0; i < l->nstrs; i++)
		bpf_map_delete_elem(m->str_sets, &l->strs[i]);
	for (i = 0; i < l->nnums; i++)
		bpf_map_delete_elem(m->num_sets, &l->nums[i]);
}

int vigil_plan_insert_sets(const struct vigil_plan *plan, const struct vigil_shared_maps *m,
			   char *err, size_t errsz)
{
	struct vigil_set_val v = { 0 };
	size_t i;
	int ret;

	for (i = 0; i < plan->nstrs; i++) {
		v.len = (plan->strs[i].prefixlen - 32) / 8;
		if (bpf_map_update_elem(m->str_sets, &plan->strs[i], &v, BPF_ANY)) {
			ret = -errno;
			snprintf(err, errsz, "insert string value %zu of %zu: %s", i + 1,
				 plan->nstrs, strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < plan->nnums; i++) {
		v.len = (plan->nums[i].prefixlen - 32) / 8;
		if (bpf_map_update_elem(m->num_sets, &plan->nums[i], &v, BPF_ANY)) {
			ret = -errno;
			snprintf(err, errsz, "insert number value %zu of %zu: %s", i + 1,
				 plan->nnums, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int vigil_policy_load(const struct vigil_plan *plan, const struct vigil_shared_maps *m,
		      struct vigil_loaded **out, char *err, size_t errsz)
{
	struct vigil_loaded *l = calloc(1, sizeof(*l));
	size_t i;
	int ret = -ENOMEM;

	if (!l)
		goto fail;
	l->policy_id = plan->policy_id;
	l->links = calloc(plan->nhooks ? 4 * plan->nhooks : 1, sizeof(*l->links));
	l->strs = malloc((plan->nstrs ? plan->nstrs : 1) * sizeof(*l->strs));
	l->nums = malloc((plan->nnums ? plan->nnums : 1) * sizeof(*l->nums));
	if (!l->links || !l->strs || !l->nums)
		goto fail;
	memcpy(l->strs, plan->strs, plan->nstrs * sizeof(*l->strs));
	memcpy(l->nums, plan->nums, plan->nnums * sizeof(*l->nums));
	l->nstrs = plan->nstrs;
	l->nnums = plan->nnums;
	l->set_bytes = vigil_plan_set_bytes(plan);

	ret = vigil_policy_set_state(m, plan->policy_id, false, false);
	if (ret) {
		snprintf(err, errsz, "reset the policy state: %s", strerror(-ret));
		goto fail;
	}
	ret = vigil_plan_insert_sets(plan, m, err, errsz);
	if (ret)
		goto fail;
	for (i = 0; i < plan->nhooks; i++) {
		ret = load_hook(&plan->hooks[i], m, l, err, errsz);
		if (ret)
			goto fail;
		l->nhooks++;
	}
	*out = l;
	return 0;
fail:
	if (ret == -ENOMEM && err[0] == 0)
		snprintf(err, errsz, "out of memory");
	if (l)
		vigil_policy_unload(l, m);
	return ret;
}

int vigil_policy_set_state(const struct vigil_shared_maps *m, uint32_t policy_id, bool enabled,
			   bool monitor)
{
	struct vigil_policy_state st = {
		.flags =
			(enabled ? VIGIL_POLICY_ENABLED : 0) | (monitor ? VIGIL_POLICY_MONITOR : 0),
	};

	return bpf_map_update_elem(m->policy_state, &policy_id, &st, BPF_ANY) ? -errno : 0;
}

void vigil_policy_unload(struct vigil_loaded *l, const struct vigil_shared_maps *m)
{
	size_t i;

	if (!l)
		return;
	vigil_policy_set_state(m, l->policy_id, false, false);
	for (i = 0; i < l->nlinks; i++)
		bpf_link__destroy(l->links[i]);
	if (l->strs && l->nums)
		delete_sets(l, m);
	free(l->links);
	free(l->strs);
	free(l->nums);
	free(l);
}

size_t vigil_policy_kernel_bytes(const struct vigil_loaded *l)
{
	/* the programs, their configurations (rodata) and the value sets */
	return l->prog_bytes + l->nhooks * sizeof(struct vigil_hook_cfg) + l->set_bytes;
}
