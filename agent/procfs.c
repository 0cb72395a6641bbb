// SPDX-License-Identifier: Apache-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "exec_desc.h"
#include "log.h"
#include "ns_names.h"
#include "procfs.h"

/* Read a whole small file; returns bytes read or a negative errno. */
static ssize_t read_file(const char *root, uint32_t pid, const char *name, char *buf, size_t len)
{
	char path[512];
	ssize_t n, total = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%" PRIu32 "/%s", root, pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total < len - 1) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

static int read_link(const char *root, uint32_t pid, const char *name, char *buf, size_t len)
{
	char path[512];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%" PRIu32 "/%s", root, pid, name);
	n = readlink(path, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int vigil_procfs_ns(const char *proc_root, uint32_t pid, uint32_t ns[VIGIL_NS_COUNT])
{
	char name[64], link[128];
	int i, found = 0;

	for (i = 0; i < VIGIL_NS_COUNT; i++) {
		const char *open_br;

		ns[i] = 0;
		snprintf(name, sizeof(name), "ns/%s", vigil_ns_name(i));
		if (read_link(proc_root, pid, name, link, sizeof(link)))
			continue;
		/* "uts:[4026531838]" */
		open_br = strchr(link, '[');
		if (open_br) {
			ns[i] = (uint32_t)strtoul(open_br + 1, NULL, 10);
			found++;
		}
	}
	return found ? 0 : -ENOENT;
}

/* "Uid:\t0\t0\t0\t0" -> four values */
static void parse_ids(const char *status, const char *key, uint32_t *a, uint32_t *b, uint32_t *c,
		      uint32_t *d)
{
	const char *line = strstr(status, key);
	unsigned int v[4] = { 0, 0, 0, 0 };

	if (line && sscanf(line + strlen(key), "%u %u %u %u", &v[0], &v[1], &v[2], &v[3]) == 4) {
		*a = v[0];
		*b = v[1];
		*c = v[2];
		*d = v[3];
	}
}

static uint64_t parse_hex(const char *status, const char *key)
{
	const char *line = strstr(status, key);

	return line ? strtoull(line + strlen(key), NULL, 16) : 0;
}

/* Fields of /proc/PID/stat after the ")" that ends comm. */
static int parse_stat(const char *stat, uint32_t *ppid, uint64_t *starttime)
{
	const char *p = strrchr(stat, ')');
	unsigned long long st = 0;
	unsigned int pp = 0;
	int field;

	if (!p)
		return -EINVAL;
	p++;
	/* field 3 is state; ppid is 4, starttime is 22 */
	for (field = 3; *p && field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (field == 4)
			pp = (unsigned int)strtoul(p, NULL, 10);
		if (field == 22)
			st = strtoull(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	if (field <= 22)
		return -EINVAL;
	*ppid = pp;
	*starttime = st;
	return 0;
}

static void parse_cgroup(const char *text, char *out, size_t len)
{
	const char *v2 = strstr(text, "0::");
	const char *start, *end;

	out[0] = '\0';
	if (v2 && (v2 == text || v2[-1] == '\n'))
		start = v2 + 3;
	else if ((start = strstr(text, ":/")) != NULL)
		start += 1;
	else
		return;
	end = strchr(start, '\n');
	snprintf(out, len, "%.*s", (int)(end ? end - start : (long)strlen(start)), start);
}

int vigil_procfs_read(const char *root, uint32_t pid, long ticks_per_sec,
		      struct vigil_procfs_info *out)
{
	char buf[8192];
	uint64_t start_ticks = 0;
	ssize_t n;
	int err;

	memset(out, 0, sizeof(*out));
	out->pid = pid;

	n = read_file(root, pid, "stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	err = parse_stat(buf, &out->ppid, &start_ticks);
	if (err)
		return err;
	if (ticks_per_sec <= 0)
		ticks_per_sec = 100;
	out->start_ticks = start_ticks;
	out->ktime = start_ticks * (1000000000ULL / (uint64_t)ticks_per_sec);

	/* Kernel threads have no exe: they are not seeded. */
	err = read_link(root, pid, "exe", out->binary, sizeof(out->binary));
	if (err)
		return -ENOENT;
	if (read_link(root, pid, "cwd", out->cwd, sizeof(out->cwd)))
		out->cwd[0] = '\0';

	n = read_file(root, pid, "cmdline", buf, sizeof(buf));
	if (n > 0 && (vigil_join_args(buf, (size_t)n, out->args, sizeof(out->args)) ||
		      (size_t)n == sizeof(buf) - 1))
		out->args_truncated = true;

	out->creds.auid = (uint32_t)-1;
	n = read_file(root, pid, "status", buf, sizeof(buf));
	if (n > 0) {
		struct vigil_creds *c = &out->creds;

		parse_ids(buf, "\nUid:", &c->uid, &c->euid, &c->suid, &c->fsuid);
		parse_ids(buf, "\nGid:", &c->gid, &c->egid, &c->sgid, &c->fsgid);
		c->cap_inheritable = parse_hex(buf, "\nCapInh:");
		c->cap_permitted = parse_hex(buf, "\nCapPrm:");
		c->cap_effective = parse_hex(buf, "\nCapEff:");
	}
	n = read_file(root, pid, "loginuid", buf, sizeof(buf));
	if (n > 0)
		out->creds.auid = (uint32_t)strtoul(buf, NULL, 10);

	vigil_procfs_ns(root, pid, out->ns);

	n = read_file(root, pid, "cgroup", buf, sizeof(buf));
	if (n > 0)
		parse_cgroup(buf, out->cgroup, sizeof(out->cgroup));
	return 0;
}

struct seeded {
	struct vigil_process *p;
	struct vigil_proc_key parent;
	uint64_t start_boottime;
	bool adopted, stale;
};

/* The kernel table's entry for pid, if it describes this very process. */
static bool adopt(const struct vigil_seed_ops *ops, const struct vigil_procfs_info *info,
		  uint64_t ns_per_tick, struct vigil_proc_entry *e, bool *stale)
{
	*stale = false;
	if (!ops || !ops->lookup || ops->lookup(ops->arg, info->pid, e))
		return false;
	if (e->start_boottime / ns_per_tick == info->start_ticks)
		return true;
	*stale = true; /* the pid was reused while no agent ran */
	return false;
}

/* Describe the image /proc shows, or the one an earlier agent saved for the
 * same process image (its strings are those exec reported, which /proc may
 * no longer show).  Returns true when restored from the saved record. */
static bool describe(const struct vigil_seed_ops *ops, const struct vigil_procfs_info *info,
		     bool adopted, uint64_t ktime, struct vigil_exec_desc *d)
{
	struct vigil_process *saved =
		adopted && ops->saved ? vigil_cache_find(ops->saved, info->pid) : NULL;
	struct vigil_exec_source src = {
		.origin = VIGIL_PF_PROCFS,
		.exec_flags = info->args_truncated ? VIGIL_EXEC_F_TRUNC_ARGS : 0,
		.pid = info->pid,
		.tid = info->pid,
		.ktime = ktime,
		.binary = info->binary,
		.args = info->args,
		.cwd = info->cwd,
		.cgroup = info->cgroup,
		.creds = &info->creds,
		.ns = info->ns,
	};

	vigil_exec_desc_build(d, &src);
	if (!saved || saved->ktime != ktime)
		return false;
	d->tid = saved->tid;
	d->flags = saved->flags;
	d->binary = saved->binary;
	d->args = saved->args;
	d->cwd = saved->cwd;
	return true;
}

int vigil_procfs_seed(struct vigil_cache *c, const char *root, const struct vigil_seed_ops *ops,
		      struct vigil_seed_result *res)
{
	struct vigil_procfs_info *info = NULL;
	struct seeded *list = NULL;
	struct vigil_seed_result r = { 0 };
	size_t n = 0, cap = 0, i;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t ns_per_tick = 1000000000ULL / (uint64_t)(hz > 0 ? hz : 100);
	struct dirent *de;
	DIR *dir;
	int err = 0;

	dir = opendir(root);
	if (!dir) {
		err = -errno;
		vigil_err("seed: cannot open %s: %s", root, strerror(-err));
		return err;
	}
	info = malloc(sizeof(*info));
	if (!info) {
		err = -ENOMEM;
		goto cleanup;
	}
	while ((de = readdir(dir))) {
		struct vigil_exec_desc d;
		struct vigil_proc_entry e;
		struct vigil_process *p;
		bool adopted, stale;
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (!isdigit((unsigned char)de->d_name[0]) || *end || pid == 0)
			continue;
		if (vigil_procfs_read(root, (uint32_t)pid, hz, info))
			continue; /* exited meanwhile, or a kernel thread */
		if (n == cap) {
			struct seeded *grown;

			cap = cap ? cap * 2 : 256;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				err = -ENOMEM;
				goto cleanup;
			}
			list = grown;
		}
		adopted = adopt(ops, info, ns_per_tick, &e, &stale);
		if (describe(ops, info, adopted, adopted ? e.ktime : info->ktime, &d))
			r.restored++;
		p = vigil_cache_exec(c, &d);
		if (!p) {
			err = -ENOMEM;
			goto cleanup;
		}
		list[n].p = p; /* keeps the caller reference until the end */
		list[n].parent = adopted ? e.parent : (struct vigil_proc_key){ .pid = info->ppid };
		list[n].start_boottime = info->start_ticks * ns_per_tick;
		list[n].adopted = adopted;
		list[n].stale = stale;
		r.adopted += adopted;
		n++;
	}
	for (i = 0; i < n; i++)
		vigil_cache_link_parent(c, list[i].p, &list[i].parent);
	for (i = 0; i < n && ops && ops->mirror; i++)
		if (!list[i].adopted)
			ops->mirror(ops->arg, list[i].p, list[i].start_boottime, list[i].stale);
	r.seeded = (int)n;
	if (res)
		*res = r;

cleanup:
	for (i = 0; i < n; i++)
		vigil_process_put(c, list[i].p);
	free(list);
	free(info);
	closedir(dir);
	return err;
}

void vigil_host_ns(uint32_t ns[VIGIL_NS_COUNT])
{
	if (vigil_procfs_ns("/proc", 1, ns)) {
		vigil_dbg("cannot read /proc/1/ns: host namespaces taken from vigild's own");
		vigil_procfs_ns("/proc", (uint32_t)getpid(), ns);
	}
}
