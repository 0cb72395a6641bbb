// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_scope.c - the policy_scope map kept true (see k8s_scope.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "container.h"
#include "k8s_pod.h"
#include "k8s_scope.h"
#include "log.h"
#include "model.h"
#include "pod_selector.h"
#include "policies.h"
#include "vigil_abi.h"

#define WALK_DEPTH   12
#define RETRY_MS     250 /* after a change, while a cgroup is missing; doubling */
#define RETRY_MAX_MS 8000

/* A cgroup found in the tree: a container's (id: the container id), or a
 * pod's (pod: id is the pod's UID). */
struct ccg {
	char id[VIGIL_CONTAINER_ID_LEN + 1];
	bool pod;
	uint64_t cgroup;
};
_Static_assert(VIGIL_CONTAINER_ID_LEN >= VIGIL_POD_UID_LEN, "a pod UID fits in ccg.id");

struct keys {
	struct vigil_scope_key *k;
	size_t n, cap;
};

struct vigil_k8s_scope {
	int map_fd, cgroup_fd;
	struct keys cur; /* in the map now, sorted */
	uint64_t pods_gen, policies_gen, retry_at, retry_ms;
	bool synced_once, missing;
	struct ccg *ccg;
	size_t nccg, capccg;
};

int vigil_k8s_scope_new(int map_fd, int cgroup_fd, struct vigil_k8s_scope **out)
{
	struct vigil_k8s_scope *s = calloc(1, sizeof(*s));

	if (!s) {
		if (cgroup_fd >= 0)
			close(cgroup_fd);
		return -ENOMEM;
	}
	s->map_fd = map_fd;
	s->cgroup_fd = cgroup_fd;
	*out = s;
	return 0;
}

void vigil_k8s_scope_free(struct vigil_k8s_scope *s)
{
	if (!s)
		return;
	if (s->cgroup_fd >= 0)
		close(s->cgroup_fd);
	free(s->cur.k);
	free(s->ccg);
	free(s);
}

size_t vigil_k8s_scope_entries(const struct vigil_k8s_scope *s)
{
	return s->cur.n;
}

/* --- the cgroup tree ------------------------------------------------------ */

/* Note the cgroup at path (name: its last component) if it is a
 * container's, or a pod's own directory (pod<UID>, kubepods-...-pod<UID>.slice). */
static void note_cgroup(struct vigil_k8s_scope *s, const char *path, const char *name, uint64_t ino)
{
	char id[VIGIL_CONTAINER_ID_LEN + 1], own[NAME_MAX + 2];
	enum vigil_runtime rt;
	struct ccg *grown;
	bool pod = false;

	if (vigil_container_id(path, id, sizeof(id), &rt) || !id[0]) {
		snprintf(own, sizeof(own), "/%s", name);
		if (vigil_pod_uid(own, id, sizeof(id)))
			return;
		pod = true;
	}
	if (s->nccg == s->capccg) {
		size_t cap = s->capccg ? s->capccg * 2 : 64;

		grown = realloc(s->ccg, cap * sizeof(*grown));
		if (!grown)
			return;
		s->ccg = grown;
		s->capccg = cap;
	}
	memcpy(s->ccg[s->nccg].id, id, sizeof(id));
	s->ccg[s->nccg].pod = pod;
	s->ccg[s->nccg++].cgroup = ino;
}

/* Every directory under dirfd (path names it), depth-first, bounded. */
static void walk(struct vigil_k8s_scope *s, int dirfd, char *path, size_t len, int depth)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (depth > WALK_DEPTH)
		return;
	/* a description of its own: a dup() would share the read offset */
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		int sub;
		size_t n;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		n = strlen(de->d_name);
		if (len + 1 + n >= VIGIL_CGROUP_PATH_MAX)
			continue;
		sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, n + 1);
		if (!fstat(sub, &st))
			note_cgroup(s, path, de->d_name, (uint64_t)st.st_ino);
		walk(s, sub, path, len + 1 + n, depth + 1);
		path[len] = 0;
		close(sub);
	}
	closedir(d);
}

static void scan_cgroups(struct vigil_k8s_scope *s)
{
	char *path = malloc(VIGIL_CGROUP_PATH_MAX);

	s->nccg = 0;
	if (!path || s->cgroup_fd < 0) {
		free(path);
		return;
	}
	path[0] = 0;
	walk(s, s->cgroup_fd, path, 0, 0);
	free(path);
}

/* --- the wanted entries ----------------------------------------------------- */

static int key_cmp(const void *a, const void *b)
{
	const struct vigil_scope_key *x = a, *y = b;

	if (x->policy != y->policy)
		return x->policy < y->policy ? -1 : 1;
	return x->cgroup < y->cgroup ? -1 : x->cgroup > y->cgroup;
}

static int keys_add(struct keys *ks, uint32_t policy, uint64_t cgroup)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 64;
		struct vigil_scope_key *k = realloc(ks->k, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		ks->k = k;
		ks->cap = cap;
	}
	ks->k[ks->n++] = (struct vigil_scope_key){ .policy = policy, .cgroup = cgroup };
	return 0;
}

/* Add the entries of the cgroups named id (a pod's when pod); false when
 * there is none. */
static bool want_cgroups(struct vigil_k8s_scope *s, struct keys *want, uint32_t policy,
			 const char *id, bool pod, int *err)
{
	bool found = false;

	for (size_t c = 0; c < s->nccg; c++)
		if (s->ccg[c].pod == pod && !strcmp(s->ccg[c].id, id)) {
			found = true;
			if (keys_add(want, policy, s->ccg[c].cgroup))
				*err = -ENOMEM;
		}
	return found;
}

/* Is the pod starting or running: a container runs, or none has an id yet? */
static bool pod_live(const struct vigil_pod *pod)
{
	bool reported = false;

	for (size_t j = 0; j < pod->ncontainers; j++) {
		if (pod->containers[j].running)
			return true;
		if (pod->containers[j].id[0])
			reported = true;
	}
	return !reported;
}

/* The entries of one policy: the cgroups of the pods it selects, whole
 * when it has no containerSelector (so a container is in scope from its
 * first exec, before the kubelet reports its id), and of the containers it
 * selects. */
static int want_policy(struct vigil_k8s_scope *s, struct keys *want, uint32_t id,
		       const struct vigil_policy *model, struct vigil_pod **pods, size_t npods)
{
	bool whole_pod = !model->container_selector.present;
	int err = 0;
	size_t i, j;

	for (i = 0; i < npods; i++) {
		struct vigil_pod *pod = pods[i];

		if (!vigil_policy_selects_pod(model, pod->ns, vigil_pod_label, pod))
			continue;
		if (whole_pod && !want_cgroups(s, want, id, pod->uid, true, &err) && pod_live(pod))
			s->missing = true;
		for (j = 0; j < pod->ncontainers; j++) {
			struct vigil_pod_container *ct = &pod->containers[j];

			if (!ct->id[0] ||
			    !vigil_policy_selects_container(model, vigil_pod_container_field, ct))
				continue;
			if (!want_cgroups(s, want, id, ct->id, false, &err) && ct->running)
				s->missing = true;
		}
	}
	return err;
}

/* Make the map hold want: new entries first, then the stale ones go, so a
 * container that stays in scope is never out of it. */
static void apply(struct vigil_k8s_scope *s, struct keys *want)
{
	const __u8 one = 1;
	size_t i;

	qsort(want->k, want->n, sizeof(*want->k), key_cmp);
	for (i = 0; i < want->n; i++) {
		if (i && !key_cmp(&want->k[i], &want->k[i - 1]))
			continue;
		if (bsearch(&want->k[i], s->cur.k, s->cur.n, sizeof(*s->cur.k), key_cmp))
			continue;
		if (bpf_map_update_elem(s->map_fd, &want->k[i], &one, BPF_ANY))
			vigil_err("kubernetes: policy %u: cannot scope it to cgroup %llu: %s",
				  want->k[i].policy, (unsigned long long)want->k[i].cgroup,
				  strerror(errno));
	}
	for (i = 0; i < s->cur.n; i++)
		if (!bsearch(&s->cur.k[i], want->k, want->n, sizeof(*want->k), key_cmp))
			bpf_map_delete_elem(s->map_fd, &s->cur.k[i]);
	free(s->cur.k);
	s->cur = *want;
	memset(want, 0, sizeof(*want));
}

void vigil_k8s_scope_sync(struct vigil_k8s_scope *s, struct vigil_policies *ps,
			  struct vigil_pod_store *store, uint64_t now_ms)
{
	uint64_t pgen = vigil_pod_store_generation(store), lgen = vigil_policies_generation(ps);
	struct vigil_pod **pods = NULL;
	struct keys want = { 0 };
	const struct vigil_policy *model;
	size_t npods = 0, i, n;
	uint32_t id;

	if (s->synced_once && pgen == s->pods_gen && lgen == s->policies_gen) {
		if (!(s->missing && now_ms >= s->retry_at))
			return;
		/* still missing: look again less often, down to one walk in 8 s */
		s->retry_ms = s->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : s->retry_ms * 2;
	} else {
		s->retry_ms = RETRY_MS;
	}
	s->synced_once = true;
	s->pods_gen = pgen;
	s->policies_gen = lgen;
	s->missing = false;
	n = vigil_policies_count(ps);
	if (vigil_pod_store_list(store, &pods, &npods, NULL)) {
		vigil_err("kubernetes: policy scopes: %s", strerror(ENOMEM));
		s->missing = true;
		s->retry_at = now_ms + s->retry_ms;
		return;
	}
	scan_cgroups(s);
	for (i = 0; i < n; i++)
		if (!vigil_policies_scoped(ps, i, &id, &model) &&
		    want_policy(s, &want, id, model, pods, npods)) {
			vigil_err("kubernetes: policy scopes: %s", strerror(ENOMEM));
			free(want.k);
			vigil_pod_list_free(pods, npods);
			s->missing = true;
			s->retry_at = now_ms + s->retry_ms;
			return;
		}
	apply(s, &want);
	vigil_pod_list_free(pods, npods);
	if (s->missing)
		s->retry_at = now_ms + s->retry_ms;
}
