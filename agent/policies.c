// SPDX-License-Identifier: Apache-2.0
/*
 * policies.c - the policy lifecycle: YAML -> model -> validated -> plan ->
 * loaded, whole or not at all; and the hook table events are decoded with.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include "kernel_facts.h"
#include "network.h"
#include "policies.h"
#include "policy_load.h"
#include "parse.h"
#include "readfile.h"
#include "tracefs.h"
#include "yaml_doc.h"
#include "validate.h"
#include "log.h"

struct entry {
	bool used;
	uint32_t id;
	struct vigil_policy *model;
	struct vigil_plan plan;
	struct vigil_loaded *loaded;
	struct vigil_hook_meta *metas; /* one per plan hook */
	bool enabled;
	enum vigil_policy_mode mode;
	/* Deleted or replaced: switched off, its hooks kept for the events
	 * still in the ring buffer.  1, then 2 after the first reap; the
	 * second reap frees it. */
	int retired;
};

/* A policy from another source (a Kubernetes resource) that failed to
 * load: listed with its error until it loads or goes away. */
struct failed {
	char *ns, *name, *file, *error;
};

static void failed_clear(struct failed *f)
{
	free(f->ns);
	free(f->name);
	free(f->file);
	free(f->error);
}

/* The kernel's facts (the parsed BTF: megabytes, ~20 ms to read) are kept
 * while policies keep coming (a directory, a Kubernetes list) and closed
 * once none came for this long. */
#define FACTS_IDLE_NS (2ULL * 1000000000ULL)

struct vigil_policies {
	struct host_facts *hf;
	uint64_t hf_used_ns;
	uint64_t generation; /* bumped when a policy is switched on or retired */
	bool pods;	     /* pod-scoped policies can be kept scoped (--k8s) */
	struct failed *failed;
	size_t nfailed;
	struct vigil_kernel_features f;
	struct vigil_shared_maps m;
	struct entry *e;     /* indexed by policy id */
	uint32_t last_added; /* policy id */
	bool switched_on;    /* a policy was switched on since the last wait_running() */
};

#if defined(__x86_64__)
#define SYSCALL_PREFIX "__x64_sys_"
#elif defined(__aarch64__)
#define SYSCALL_PREFIX "__arm64_sys_"
#else
#define SYSCALL_PREFIX "sys_"
#endif

/*
 * A path value whose directories go through a symbolic link, with those
 * resolved and the last name kept: "/bin/sh" -> "/usr/bin/sh" on a
 * merged-/usr system, which is what exec sees when sh is found through
 * PATH.  The last name is not followed: on a multi-call system /bin/sh
 * leads to /bin/busybox, and every applet must not match.
 */
static int resolve_dirs(void *ctx, const char *path, char *out, size_t outsz)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real;
	int ret = 0;

	(void)ctx;
	if (path[0] != '/' || !slash || slash == path || !slash[1])
		return 0;
	dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	real = realpath(dir, NULL);
	if (real && strcmp(real, dir) &&
	    (size_t)snprintf(out, outsz, "%s%s", strcmp(real, "/") ? real : "", slash) < outsz)
		ret = 1;
	free(real);
	free(dir);
	return ret;
}

void vigil_policy_features(const struct vigil_features *feats,
			   const uint32_t host_ns[VIGIL_NS_COUNT],
			   struct vigil_kernel_features *out)
{
	memset(out, 0, sizeof(*out));
	out->lsm = feats->f[VIGIL_FEAT_BPF_LSM].available;
	out->kprobes = feats->f[VIGIL_FEAT_KPROBE].available;
	/* Debian's kernels have no function error injection; vigil does not
	 * use bpf_override_return (Override runs as an LSM hook). */
	out->override_return = false;
	out->exec_tracepoint = feats->f[VIGIL_FEAT_TP_BTF].available;
	out->signal = feats->f[VIGIL_FEAT_SEND_SIGNAL].available;
	out->cgroup_connect = feats->f[VIGIL_FEAT_CGROUP].available;
	memcpy(out->host_ns, host_ns, sizeof(out->host_ns));
	out->syscall_prefix = SYSCALL_PREFIX;
	out->resolve = resolve_dirs;
	out->tracepoint_field = vigil_tracefs_field; /* the host's tracefs */
}

int vigil_policies_new(const struct vigil_kernel_features *f, const struct vigil_shared_maps *m,
		       struct vigil_policies **out)
{
	struct vigil_policies *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	ps->e = calloc(VIGIL_POLICIES_MAX, sizeof(*ps->e));
	if (!ps->e) {
		free(ps);
		return -ENOMEM;
	}
	ps->f = *f;
	ps->m = *m;
	*out = ps;
	return 0;
}

static void entry_clear(struct vigil_policies *ps, struct entry *e)
{
	vigil_policy_unload(e->loaded, &ps->m);
	vigil_plan_free(&e->plan);
	vigil_policy_free(e->model);
	free(e->metas);
	memset(e, 0, sizeof(*e));
}

void vigil_policies_free(struct vigil_policies *ps)
{
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < VIGIL_POLICIES_MAX; i++)
		if (ps->e[i].used)
			entry_clear(ps, &ps->e[i]);
	for (i = 0; i < ps->nfailed; i++)
		failed_clear(&ps->failed[i]);
	free(ps->failed);
	host_facts_close(ps->hf);
	free(ps->e);
	free(ps);
}

static bool same_ns(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

/* The live policy called name in namespace ns ("" or NULL: cluster-wide);
 * any_ns: in any namespace (the first found). */
static struct entry *find_in(const struct vigil_policies *ps, const char *ns, const char *name,
			     bool any_ns)
{
	size_t i;

	for (i = 1; i < VIGIL_POLICIES_MAX; i++)
		if (ps->e[i].used && !ps->e[i].retired && !strcmp(ps->e[i].model->name, name) &&
		    (any_ns || same_ns(ps->e[i].model->namespace_, ns)))
			return &ps->e[i];
	return NULL;
}

static struct entry *find(const struct vigil_policies *ps, const char *name)
{
	return find_in(ps, NULL, name, true);
}

/*
 * Wait until every policy program running now has returned: they run under
 * RCU (a kprobe, a tracepoint or a trampoline), and membarrier's global
 * command is a grace period.  Without it, sleep: such a run is short.
 */
static void wait_running(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		usleep(50000);
}

/* Switch the policy off now; free it once its events are read (reap). */
static void entry_retire(struct vigil_policies *ps, struct entry *e)
{
	ps->generation++;
	/* Programs of one hook run one after the other, the newest first
	 * for kprobes and LSM hooks: a run that found a policy switched on
	 * since still off must find this one on.  Let such runs end first. */
	if (ps->switched_on) {
		wait_running();
		ps->switched_on = false;
	}
	if (vigil_policy_set_state(&ps->m, e->id, false, false))
		entry_clear(ps, e); /* unloading switches it off too */
	else
		e->retired = 1;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The kernel's facts, opened once for a run of adds. */
static struct host_facts *facts(struct vigil_policies *ps)
{
	if (!ps->hf)
		ps->hf = host_facts_open();
	ps->hf_used_ns = mono_ns();
	return ps->hf;
}

void vigil_policies_reap(struct vigil_policies *ps)
{
	size_t i;

	for (i = 1; ps && i < VIGIL_POLICIES_MAX; i++)
		if (ps->e[i].used && ps->e[i].retired && ps->e[i].retired++ == 2)
			entry_clear(ps, &ps->e[i]);
	if (ps && ps->hf && mono_ns() - ps->hf_used_ns > FACTS_IDLE_NS) {
		host_facts_close(ps->hf);
		ps->hf = NULL;
	}
}

static struct entry *free_slot(struct vigil_policies *ps)
{
	size_t i;

	for (i = 1; i < VIGIL_POLICIES_MAX; i++)
		if (!ps->e[i].used) {
			ps->e[i].id = (uint32_t)i;
			return &ps->e[i];
		}
	return NULL;
}

/* Append every diagnostic, one per line, to errs. */
static void format_diags(const struct vigil_diags *ds, char *errs, size_t errsz)
{
	size_t i, o = strlen(errs);
	char line[1024];

	for (i = 0; i < ds->n && o + 1 < errsz; i++) {
		vigil_diag_format(&ds->d[i], line, sizeof(line));
		o += (size_t)snprintf(errs + o, errsz - o, "%s%s", o ? "\n" : "", line);
		if (o >= errsz)
			o = errsz - 1;
	}
}

static int make_metas(struct entry *e)
{
	size_t i;

	e->metas = calloc(e->plan.nhooks ? e->plan.nhooks : 1, sizeof(*e->metas));
	if (!e->metas)
		return -ENOMEM;
	for (i = 0; i < e->plan.nhooks; i++) {
		const struct vigil_hook *h = e->plan.hooks[i].src;
		struct vigil_hook_meta *mt = &e->metas[i];

		mt->policy_name = e->model->name;
		mt->function_name = h->call;
		mt->subsys = h->subsystem;
		mt->kind = h->kind;
		mt->message = h->message;
		mt->tags = h->tags;
		mt->ntags = h->ntags;
		mt->args = h->args;
		mt->nargs = h->nargs;
		mt->ret = h->has_return && h->has_return_arg ? &h->return_arg : NULL;
	}
	return 0;
}

int vigil_policies_add(struct vigil_policies *ps, const char *file, const char *text, size_t len,
		       int mode_override, char *errs, size_t errsz)
{
	struct vigil_diags ds = { 0 };
	struct entry *e = NULL, *old;
	struct host_facts *hf;
	int ret;

	errs[0] = 0;
	e = free_slot(ps);
	if (!e) {
		snprintf(errs, errsz, "%s: %u policies are loaded already", file,
			 VIGIL_POLICIES_MAX - 1);
		return -ENOSPC;
	}
	ret = vigil_policy_parse(file, text, len, &e->model, &ds);
	if (!ret) {
		/* the kernel's facts (BTF, tracefs), as lint has them: kept
		 * across a run of adds, closed by reap when idle */
		struct vigil_kernel_features f = ps->f;

		hf = facts(ps);
		f.resolve_arg = hf ? host_facts_resolve_arg : NULL;
		f.resolve_arg_ctx = hf;
		ret = vigil_policy_validate(e->model, hf ? host_facts_get(hf) : NULL, &ds);
		if (!ret)
			ret = vigil_policy_compile(e->model, &f, e->id, &e->plan, &ds);
	}
	if (!ret && e->plan.scoped && !ps->pods) {
		snprintf(errs, errsz,
			 "%s: spec: this policy applies to pods (podSelector, containerSelector "
			 "or a TracingPolicyNamespaced): vigild needs --k8s to know them",
			 file);
		ret = -EINVAL;
		goto fail;
	}
	if (ret) {
		format_diags(&ds, errs, errsz);
		if (!errs[0])
			snprintf(errs, errsz, "%s: %s", file, strerror(-ret));
		goto fail;
	}
	e->mode = mode_override >= 0 ? (enum vigil_policy_mode)mode_override : e->model->mode;
	ret = make_metas(e);
	if (!ret)
		ret = vigil_policy_load(&e->plan, &ps->m, &e->loaded, errs, errsz);
	if (ret) {
		char why[512];

		snprintf(why, sizeof(why), "%s", errs);
		snprintf(errs, errsz, "%s: policy %s: %s", file, e->model->name, why);
		goto fail;
	}
	/* Gap-free replace: the new policy enforces before the old stops. */
	old = find_in(ps, e->model->namespace_, e->model->name, false);
	ret = vigil_policy_set_state(&ps->m, e->id, true, e->mode == VIGIL_MODE_MONITOR);
	if (ret) {
		snprintf(errs, errsz, "%s: policy %s: switch on: %s", file, e->model->name,
			 strerror(-ret));
		goto fail;
	}
	e->used = true;
	e->enabled = true;
	ps->switched_on = true;
	ps->generation++;
	ps->last_added = e->id;
	if (old)
		entry_retire(ps, old);
	for (size_t i = 0; i < e->plan.nhooks; i++)
		vigil_err("tracing policy %s: %s runs as %s", e->model->name,
			  e->plan.hooks[i].src->call, e->plan.hooks[i].how);
	vigil_diags_free(&ds);
	return 0;
fail:
	vigil_diags_free(&ds);
	entry_clear(ps, e);
	return ret;
}

int vigil_policies_add_file(struct vigil_policies *ps, const char *path, int mode_override,
			    char *errs, size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	ret = vigil_read_file(path, VIGIL_YAML_MAX_BYTES, true, &text, &len);
	if (ret == -EINVAL || ret == -EFBIG) {
		snprintf(errs, errsz, "%s: not a regular file of at most %u bytes", path,
			 VIGIL_YAML_MAX_BYTES);
		return -EINVAL;
	}
	if (ret) {
		snprintf(errs, errsz, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = vigil_policies_add(ps, path, text, len, mode_override, errs, errsz);
	free(text);
	return ret;
}

static int yaml_name(const struct dirent *d)
{
	size_t l = strlen(d->d_name);

	return d->d_name[0] != '.' && ((l > 5 && !strcmp(d->d_name + l - 5, ".yaml")) ||
				       (l > 4 && !strcmp(d->d_name + l - 4, ".yml")));
}

int vigil_policies_add_dir(struct vigil_policies *ps, const char *dir, bool missing_ok)
{
	struct dirent **names = NULL;
	char path[4096], errs[8192];
	int n, i, failed = 0;

	n = scandir(dir, &names, yaml_name, alphasort);
	if (n < 0) {
		if (errno == ENOENT && missing_ok)
			return 0;
		vigil_err("tracing policy directory %s: %s", dir, strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (vigil_policies_add_file(ps, path, -1, errs, sizeof(errs))) {
			vigil_err("%s", errs);
			failed++;
		}
		free(names[i]);
	}
	free(names);
	return failed;
}

int vigil_policies_delete_in(struct vigil_policies *ps, const char *ns, const char *name)
{
	struct entry *e = find_in(ps, ns, name, false);

	if (!e)
		return -ENOENT;
	entry_retire(ps, e);
	return 0;
}

int vigil_policies_note_failed(struct vigil_policies *ps, const char *ns, const char *name,
			       const char *file, const char *error)
{
	struct failed *f, *grown;
	size_t i;

	for (i = 0; i < ps->nfailed; i++)
		if (!strcmp(ps->failed[i].name, name) && same_ns(ps->failed[i].ns, ns))
			break;
	if (i == ps->nfailed) {
		grown = realloc(ps->failed, (ps->nfailed + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		ps->failed = grown;
		memset(&grown[i], 0, sizeof(*grown));
		ps->nfailed++;
	}
	f = &ps->failed[i];
	failed_clear(f);
	f->ns = strdup(ns ? ns : "");
	f->name = strdup(name);
	f->file = strdup(file);
	f->error = strdup(error);
	if (!f->ns || !f->name || !f->file || !f->error) {
		vigil_policies_forget_failed(ps, ns, name);
		return -ENOMEM;
	}
	return 0;
}

void vigil_policies_forget_failed(struct vigil_policies *ps, const char *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ps->nfailed; i++)
		if (ps->failed[i].name && !strcmp(ps->failed[i].name, name) &&
		    same_ns(ps->failed[i].ns, ns)) {
			failed_clear(&ps->failed[i]);
			ps->failed[i] = ps->failed[--ps->nfailed];
			return;
		}
}

int vigil_policies_delete(struct vigil_policies *ps, const char *name)
{
	struct entry *e = find(ps, name);

	if (!e)
		return -ENOENT;
	entry_retire(ps, e);
	return 0;
}

const char *vigil_policies_last_added(const struct vigil_policies *ps)
{
	const struct entry *e = &ps->e[ps->last_added];

	return ps->last_added && e->used && !e->retired ? e->model->name : NULL;
}

int vigil_policies_enable(struct vigil_policies *ps, const char *name, bool enabled)
{
	struct entry *e = find(ps, name);
	int ret;

	if (!e)
		return -ENOENT;
	ret = vigil_policy_set_state(&ps->m, e->id, enabled, e->mode == VIGIL_MODE_MONITOR);
	if (!ret)
		e->enabled = enabled;
	if (!ret && enabled)
		ps->switched_on = true;
	return ret;
}

int vigil_policies_set_mode(struct vigil_policies *ps, const char *name,
			    enum vigil_policy_mode mode)
{
	struct entry *e = find(ps, name);
	int ret;

	if (!e)
		return -ENOENT;
	ret = vigil_policy_set_state(&ps->m, e->id, e->enabled, mode == VIGIL_MODE_MONITOR);
	if (!ret)
		e->mode = mode;
	return ret;
}

size_t vigil_policies_count(const struct vigil_policies *ps)
{
	size_t i, n = 0;

	for (i = 1; i < VIGIL_POLICIES_MAX; i++)
		n += ps->e[i].used && !ps->e[i].retired;
	return n + ps->nfailed;
}

int vigil_policies_info(const struct vigil_policies *ps, size_t idx, struct vigil_policy_info *out)
{
	size_t i, n = 0;

	for (i = 1; i < VIGIL_POLICIES_MAX; i++) {
		const struct entry *e = &ps->e[i];

		if (!e->used || e->retired || n++ != idx)
			continue;
		memset(out, 0, sizeof(*out));
		out->name = e->model->name;
		out->namespace_ = e->model->namespace_ ? e->model->namespace_ : "";
		out->file = e->model->file;
		out->status =
			e->enabled ? VIGIL_POLICY_LOADED_ENABLED : VIGIL_POLICY_LOADED_DISABLED;
		out->mode = e->mode;
		out->nhooks = e->plan.nhooks;
		out->kernel_bytes = vigil_policy_kernel_bytes(e->loaded);
		out->id = e->id;
		return 0;
	}
	if (idx >= n && idx - n < ps->nfailed) {
		const struct failed *f = &ps->failed[idx - n];

		memset(out, 0, sizeof(*out));
		out->name = f->name;
		out->namespace_ = f->ns;
		out->file = f->file;
		out->status = VIGIL_POLICY_LOAD_ERROR;
		out->error = f->error;
		return 0;
	}
	return -ENOENT;
}

void vigil_policies_allow_pods(struct vigil_policies *ps)
{
	ps->pods = true;
}

uint64_t vigil_policies_generation(const struct vigil_policies *ps)
{
	return ps->generation;
}

int vigil_policies_scoped(const struct vigil_policies *ps, size_t idx, uint32_t *id,
			  const struct vigil_policy **model)
{
	size_t i, n = 0;

	for (i = 1; i < VIGIL_POLICIES_MAX; i++) {
		const struct entry *e = &ps->e[i];

		if (!e->used || e->retired || n++ != idx)
			continue;
		if (!e->plan.scoped)
			return -ENOENT;
		*id = e->id;
		*model = e->model;
		return 0;
	}
	return -ENOENT;
}

const struct vigil_hook_meta *vigil_policies_hook(const struct vigil_policies *ps, uint32_t hook)
{
	uint32_t id = hook >> 12, n = hook & (VIGIL_PLAN_HOOKS_PER_POLICY - 1);
	const struct entry *e;

	if (id == 0) /* the built-in network sensor's */
		return vigil_network_hook(hook);
	if (!ps || id >= VIGIL_POLICIES_MAX)
		return NULL;
	e = &ps->e[id];
	if (!e->used || n >= e->plan.nhooks)
		return NULL;
	return &e->metas[n];
}
