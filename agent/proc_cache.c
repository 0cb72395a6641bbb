// SPDX-License-Identifier: Apache-2.0
/*
 * proc_cache.c - the process cache.  Reference rules:
 *   - a record reachable by pid holds one "alive" reference on itself;
 *   - every record holds one reference on its parent;
 *   - functions that return a record give the caller one more.
 * A record is freed when its count reaches zero, then its parent is put.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_pod.h"
#include "process.h"
#include "utf8.h"

#define BUCKETS 16384

struct vigil_cache {
	struct vigil_process *bucket[BUCKETS];
	size_t live;
	size_t total;
};

struct vigil_cache *vigil_cache_new(void)
{
	return calloc(1, sizeof(struct vigil_cache));
}

static struct vigil_process **slot(struct vigil_cache *c, uint32_t pid)
{
	return &c->bucket[pid % BUCKETS];
}

struct vigil_process *vigil_cache_find(struct vigil_cache *c, uint32_t pid)
{
	struct vigil_process *p;

	for (p = *slot(c, pid); p; p = p->hnext)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void unlink_pid(struct vigil_cache *c, struct vigil_process *p)
{
	struct vigil_process **pp;

	for (pp = slot(c, p->pid); *pp; pp = &(*pp)->hnext) {
		if (*pp == p) {
			*pp = p->hnext;
			p->hnext = NULL;
			p->in_table = false;
			c->live--;
			return;
		}
	}
}

static void link_pid(struct vigil_cache *c, struct vigil_process *p)
{
	struct vigil_process **s = slot(c, p->pid);

	p->hnext = *s;
	*s = p;
	p->in_table = true;
	c->live++;
}

void vigil_process_get(struct vigil_process *p)
{
	p->refcnt++;
}

static void free_record(struct vigil_process *p)
{
	free(p->binary);
	free(p->args);
	free(p->cwd);
	free(p->json);
	vigil_pod_put(p->pod);
	free(p);
}

void vigil_process_put(struct vigil_cache *c, struct vigil_process *p)
{
	while (p && --p->refcnt == 0) {
		struct vigil_process *parent = p->parent;

		free_record(p);
		c->total--;
		p = parent;
	}
}

static struct vigil_process *new_record(struct vigil_cache *c, uint32_t pid, uint32_t tid,
					uint64_t ktime)
{
	struct vigil_process *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	p->tid = tid;
	p->ktime = ktime;
	p->creds.auid = (uint32_t)-1;
	c->total++;
	return p;
}

/* Every string a record holds is valid UTF-8 (invalid bytes become
 * U+FFFD), so every line made from it is too. */
static int set_str(char **dst, const char *src)
{
	*dst = vigil_utf8_strdup(src);
	return *dst ? 0 : -ENOMEM;
}

static bool key_names(const struct vigil_proc_key *key, const struct vigil_process *p)
{
	return p && p->pid == key->pid && (!key->ktime || p->ktime == key->ktime);
}

/* Attach p to the parent identified by key; when the parent's record is
 * gone the key still names it.  known: a record that may be that parent
 * although it left the pid table (the parent of the image p replaces: an
 * orphan that execs after its parent exited). */
static void attach_parent(struct vigil_cache *c, struct vigil_process *p,
			  const struct vigil_proc_key *key, struct vigil_process *known)
{
	struct vigil_process *parent = key->pid ? vigil_cache_find(c, key->pid) : NULL;

	if (!key_names(key, parent))
		parent = NULL; /* the pid now names another process */
	if (!parent && key->pid && key_names(key, known))
		parent = known;
	if (parent) {
		vigil_process_get(parent);
		p->parent = parent;
		p->parent_key.pid = parent->pid;
		p->parent_key.ktime = parent->ktime;
	} else if (key->pid && key->ktime) {
		p->parent_key = *key;
	}
}

/* Replace whatever image pid had with p; p gets its alive reference. */
static void install(struct vigil_cache *c, struct vigil_process *p)
{
	struct vigil_process *old = vigil_cache_find(c, p->pid);

	if (old) {
		unlink_pid(c, old);
		old->exited = true;
		vigil_process_put(c, old);
	}
	p->refcnt = 2; /* alive + caller */
	link_pid(c, p);
}

struct vigil_process *vigil_cache_exec(struct vigil_cache *c, const struct vigil_exec_desc *d)
{
	struct vigil_process *p = new_record(c, d->pid, d->tid, d->ktime), *old;

	if (!p)
		return NULL;
	p->refcnt = 1;
	if (set_str(&p->binary, d->binary) || set_str(&p->args, d->args) ||
	    set_str(&p->cwd, d->cwd)) {
		vigil_process_put(c, p);
		return NULL;
	}
	p->flags = d->flags;
	if (d->creds)
		p->creds = *d->creds;
	if (d->file)
		p->file = *d->file;
	if (d->ns)
		memcpy(p->ns, d->ns, sizeof(p->ns));
	p->cgroup_id = d->cgroup_id;
	memcpy(p->container_id, d->container_id, sizeof(p->container_id));
	p->container_id[VIGIL_CONTAINER_ID_LEN] = '\0';
	memcpy(p->pod_uid, d->pod_uid, sizeof(p->pod_uid));
	p->pod_uid[VIGIL_POD_UID_LEN] = '\0';
	old = vigil_cache_find(c, d->pid);
	attach_parent(c, p, &d->parent, old ? old->parent : NULL);
	install(c, p);
	return p;
}

struct vigil_process *vigil_cache_clone(struct vigil_cache *c, uint32_t pid, uint32_t tid,
					uint64_t ktime, const struct vigil_proc_key *parent)
{
	struct vigil_process *p = new_record(c, pid, tid, ktime);
	const struct vigil_process *src;

	if (!p)
		return NULL;
	p->refcnt = 1;
	attach_parent(c, p, parent, NULL);
	src = p->parent;
	if (set_str(&p->binary, src ? src->binary : "") ||
	    set_str(&p->args, src ? src->args : "") || set_str(&p->cwd, src ? src->cwd : "")) {
		vigil_process_put(c, p);
		return NULL;
	}
	p->flags = VIGIL_PF_CLONE | (src ? 0 : VIGIL_PF_MISS);
	if (src) {
		p->creds = src->creds;
		memcpy(p->ns, src->ns, sizeof(p->ns));
		p->cgroup_id = src->cgroup_id;
		memcpy(p->container_id, src->container_id, sizeof(p->container_id));
		memcpy(p->pod_uid, src->pod_uid, sizeof(p->pod_uid));
		p->file = src->file;
	}
	install(c, p);
	return p;
}

struct vigil_process *vigil_cache_exit(struct vigil_cache *c, uint32_t pid, uint64_t ktime)
{
	struct vigil_process *p = vigil_cache_find(c, pid);

	if (p && (ktime == 0 || p->ktime == ktime)) {
		/* The alive reference becomes the caller's. */
		unlink_pid(c, p);
		p->exited = true;
		return p;
	}
	p = new_record(c, pid, pid, ktime);
	if (!p)
		return NULL;
	p->refcnt = 1;
	p->exited = true;
	p->flags = VIGIL_PF_MISS;
	if (set_str(&p->binary, "") || set_str(&p->args, "") || set_str(&p->cwd, "")) {
		vigil_process_put(c, p);
		return NULL;
	}
	return p;
}

void vigil_cache_link_parent(struct vigil_cache *c, struct vigil_process *p,
			     const struct vigil_proc_key *key)
{
	if (p->parent || key->pid == p->pid)
		return;
	attach_parent(c, p, key, NULL);
}

void vigil_cache_for_each(struct vigil_cache *c, void (*fn)(void *arg, struct vigil_process *p),
			  void *arg)
{
	struct vigil_process *p;
	size_t i;

	for (i = 0; i < BUCKETS; i++)
		for (p = c->bucket[i]; p; p = p->hnext)
			fn(arg, p);
}

size_t vigil_cache_sweep(struct vigil_cache *c,
			 bool (*alive)(void *arg, const struct vigil_process *p), void *arg)
{
	struct vigil_process **pp, *p;
	size_t i, dropped = 0;

	for (i = 0; i < BUCKETS; i++) {
		pp = &c->bucket[i];
		while ((p = *pp)) {
			if (alive(arg, p)) {
				p->suspect = false;
			} else if (!p->suspect) {
				p->suspect = true;
			} else {
				unlink_pid(c, p); /* *pp is now the next record */
				p->exited = true;
				vigil_process_put(c, p);
				dropped++;
				continue;
			}
			pp = &p->hnext;
		}
	}
	return dropped;
}

size_t vigil_cache_live(const struct vigil_cache *c)
{
	return c->live;
}

size_t vigil_cache_total(const struct vigil_cache *c)
{
	return c->total;
}

void vigil_cache_free(struct vigil_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < BUCKETS; i++) {
		while (c->bucket[i]) {
			struct vigil_process *p = c->bucket[i];

			unlink_pid(c, p);
			vigil_process_put(c, p);
		}
	}
	free(c);
}
