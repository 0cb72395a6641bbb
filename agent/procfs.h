/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procfs.h - seed the process cache from /proc so that processes older than
 * the agent have identity and ancestry.  The proc root is a parameter so the
 * tests can point it at a fixture tree.
 */
#ifndef VIGIL_PROCFS_H
#define VIGIL_PROCFS_H

#include <stdbool.h>
#include <stdint.h>

#include "process.h"

struct vigil_procfs_info {
	uint32_t pid, ppid;
	uint64_t ktime; /* start time, ns since boot */
	char binary[4096];
	char args[VIGIL_ARGS_MAX * 2];
	bool args_truncated;
	char cwd[4096];
	struct vigil_creds creds;
	uint32_t ns[VIGIL_NS_COUNT];
	char cgroup[4096]; /* the cgroup v2 path, or the first v1 path */
	char container_id[VIGIL_CONTAINER_ID_LEN + 1];
	char pod_uid[40];
};

/* Read one process.  Returns 0, -ENOENT (gone, or a kernel thread: no exe),
 * or another negative errno. */
int vigil_procfs_read(const char *proc_root, uint32_t pid, long ticks_per_sec,
		      struct vigil_procfs_info *out);

/* Namespace inode numbers of one process (pid 1 gives the host's). */
int vigil_procfs_ns(const char *proc_root, uint32_t pid, uint32_t ns[VIGIL_NS_COUNT]);

/* Called for each seeded process once its parent is known, so the caller can
 * mirror it into the kernel's process table. */
typedef void (*vigil_seed_fn)(void *arg, const struct vigil_process *p);

/* Seed every user-space process of proc_root into the cache.  Returns the
 * number seeded or a negative errno. */
int vigil_procfs_seed(struct vigil_cache *c, const char *proc_root, vigil_seed_fn fn, void *arg);

#endif
