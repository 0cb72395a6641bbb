// SPDX-License-Identifier: Apache-2.0
/*
 * container.c - container id and pod UID extraction from cgroup paths.
 *
 * See container.h for the layouts recognised.  Everything here works on
 * (pointer, length) slices of the caller's string; nothing is copied until a
 * match has been validated.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "container.h"

struct slice {
	const char *s;
	size_t n;
};

static bool slice_eq(struct slice c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n == n && memcmp(c.s, lit, n) == 0;
}

static bool slice_has_prefix(struct slice c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && memcmp(c.s, lit, n) == 0;
}

static bool slice_has_suffix(struct slice c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && memcmp(c.s + c.n - n, lit, n) == 0;
}

static struct slice slice_skip(struct slice c, size_t n)
{
	return (struct slice){ .s = c.s + n, .n = c.n - n };
}

/* Runtimes write ids in lowercase; uppercase is deliberately not hex here. */
static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool is_container_id(struct slice c)
{
	if (c.n != VIGIL_CONTAINER_ID_LEN)
		return false;
	for (size_t i = 0; i < c.n; i++)
		if (!is_lower_hex(c.s[i]))
			return false;
	return true;
}

/* 8-4-4-4-12 lowercase hex groups separated by sep. */
static bool is_uuid(struct slice c, char sep)
{
	if (c.n != VIGIL_POD_UID_LEN)
		return false;
	for (size_t i = 0; i < c.n; i++) {
		bool sep_pos = i == 8 || i == 13 || i == 18 || i == 23;

		if (sep_pos ? c.s[i] != sep : !is_lower_hex(c.s[i]))
			return false;
	}
	return true;
}

/*
 * Validate arguments and return the meaningful part of the path: without a
 * trailing newline (a line read from /proc/PID/cgroup) and without the
 * " (deleted)" marker the kernel appends for a removed cgroup v2 directory.
 */
static int path_slice(const char *path, const char *out, size_t outsz, size_t need, struct slice *p)
{
	size_t n;

	if (!path || !out || outsz < need)
		return -EINVAL;
	n = strnlen(path, VIGIL_CGROUP_PATH_MAX);
	if (n >= VIGIL_CGROUP_PATH_MAX)
		return -EINVAL;
	*p = (struct slice){ .s = path, .n = n };
	if (p->n && p->s[p->n - 1] == '\n')
		p->n--;
	if (slice_has_suffix(*p, " (deleted)"))
		p->n -= strlen(" (deleted)");
	return 0;
}

/*
 * Step to the component just above *end in path: skips slashes, returns the
 * component and moves *end to its start.  False when nothing is left.
 */
static bool prev_component(struct slice path, size_t *end, struct slice *c)
{
	size_t e = *end, b;

	while (e > 0 && path.s[e - 1] == '/')
		e--;
	if (e == 0)
		return false;
	for (b = e; b > 0 && path.s[b - 1] != '/'; b--)
		;
	*c = (struct slice){ .s = path.s + b, .n = e - b };
	*end = b;
	return true;
}

/*
 * Prefixed container scopes.  The conmon monitor scopes, crio-conmon-<id> and
 * libpod-conmon-<id>, start with a prefix listed here but what follows is
 * "conmon-<id>", which is not an id, so they never match.
 */
static const struct {
	const char *prefix;
	enum vigil_runtime rt;
} id_prefixes[] = {
	{ "docker-", VIGIL_RT_DOCKER },
	{ "cri-containerd-", VIGIL_RT_CONTAINERD },
	{ "crio-", VIGIL_RT_CRIO },
	{ "libpod-", VIGIL_RT_PODMAN },
};

/*
 * Does this one component carry a container id?  Sets *hex to the id; *rt is
 * VIGIL_RT_NONE for a bare id, whose runtime depends on the parent.
 */
static bool component_id(struct slice c, struct slice *hex, enum vigil_runtime *rt)
{
	if (is_container_id(c)) {
		*hex = c;
		*rt = VIGIL_RT_NONE;
		return true;
	}
	for (size_t i = 0; i < sizeof(id_prefixes) / sizeof(id_prefixes[0]); i++) {
		struct slice rest;

		if (!slice_has_prefix(c, id_prefixes[i].prefix))
			continue;
		rest = slice_skip(c, strlen(id_prefixes[i].prefix));
		if (slice_has_suffix(rest, ".scope"))
			rest.n -= strlen(".scope");
		if (is_container_id(rest)) {
			*hex = rest;
			*rt = id_prefixes[i].rt;
			return true;
		}
	}
	return false;
}

int vigil_container_id(const char *cgroup_path, char *id, size_t idsz, enum vigil_runtime *rt)
{
	struct slice path, c, hex, parent;
	enum vigil_runtime found;
	size_t end;
	int err;

	err = path_slice(cgroup_path, id, idsz, VIGIL_CONTAINER_ID_LEN + 1, &path);
	if (err)
		return err;

	end = path.n;
	while (prev_component(path, &end, &c)) {
		if (!component_id(c, &hex, &found))
			continue;
		if (found == VIGIL_RT_NONE) {
			/* Bare id: docker's cgroupfs layout, else containerd. */
			size_t pend = end;
			bool docker =
				prev_component(path, &pend, &parent) && slice_eq(parent, "docker");

			found = docker ? VIGIL_RT_DOCKER : VIGIL_RT_CONTAINERD;
		}
		memcpy(id, hex.s, hex.n);
		id[hex.n] = '\0';
		if (rt)
			*rt = found;
		return 0;
	}
	return -ENOENT;
}

const char *vigil_runtime_name(enum vigil_runtime rt)
{
	switch (rt) {
	case VIGIL_RT_DOCKER:
		return "docker";
	case VIGIL_RT_CONTAINERD:
		return "containerd";
	case VIGIL_RT_CRIO:
		return "cri-o";
	case VIGIL_RT_PODMAN:
		return "podman";
	case VIGIL_RT_NONE:
		break;
	}
	return "";
}

/*
 * Does this component name a pod?  Sets *u to the UUID and *sep to the
 * separator used in it ('-' for cgroupfs, '_' for systemd slices).
 */
static bool component_pod(struct slice c, struct slice *u, char *sep)
{
	static const char *const qos[] = { "burstable-", "besteffort-" };
	struct slice rest;

	/* cgroupfs: pod<uid> */
	if (slice_has_prefix(c, "pod")) {
		rest = slice_skip(c, strlen("pod"));
		if (is_uuid(rest, '-')) {
			*u = rest;
			*sep = '-';
			return true;
		}
	}

	/* systemd: kubepods[-<qos>]-pod<uid_with_underscores>.slice */
	if (!slice_has_prefix(c, "kubepods-") || !slice_has_suffix(c, ".slice"))
		return false;
	rest = slice_skip(c, strlen("kubepods-"));
	rest.n -= strlen(".slice");
	for (size_t i = 0; i < sizeof(qos) / sizeof(qos[0]); i++) {
		if (slice_has_prefix(rest, qos[i])) {
			rest = slice_skip(rest, strlen(qos[i]));
			break;
		}
	}
	if (!slice_has_prefix(rest, "pod"))
		return false;
	rest = slice_skip(rest, strlen("pod"));
	if (!is_uuid(rest, '_'))
		return false;
	*u = rest;
	*sep = '_';
	return true;
}

int vigil_pod_uid(const char *cgroup_path, char *uid, size_t uidsz)
{
	struct slice path, c, u;
	size_t end;
	char sep;
	int err;

	err = path_slice(cgroup_path, uid, uidsz, VIGIL_POD_UID_LEN + 1, &path);
	if (err)
		return err;

	end = path.n;
	while (prev_component(path, &end, &c)) {
		if (!component_pod(c, &u, &sep))
			continue;
		for (size_t i = 0; i < u.n; i++)
			uid[i] = u.s[i] == sep ? '-' : u.s[i];
		uid[u.n] = '\0';
		return 0;
	}
	return -ENOENT;
}

void vigil_cgroup_ids(const char *cgroup_path, char cid[VIGIL_CONTAINER_ID_LEN + 1],
		      char pod[VIGIL_POD_UID_LEN + 1])
{
	if (vigil_container_id(cgroup_path, cid, VIGIL_CONTAINER_ID_LEN + 1, NULL))
		cid[0] = '\0';
	if (vigil_pod_uid(cgroup_path, pod, VIGIL_POD_UID_LEN + 1))
		pod[0] = '\0';
}
