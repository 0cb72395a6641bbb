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
	uint64_t start_ticks; /* starttime of /proc/PID/stat, clock ticks since boot */
	uint64_t ktime;	      /* the same in ns */
	char binary[4096];
	char args[VIGIL_ARGS_MAX * 2];
	bool args_truncated;
	char cwd[4096];
	struct vigil_creds creds;
	uint32_t ns[VIGIL_NS_COUNT];
	char cgroup[4096]; /* the cgroup v2 path, or the first v1 path */
};

/* Read one process.  Returns 0, -ENOENT (gone, or a kernel thread: no exe),
 * or another negative errno. */
int vigil_procfs_read(const char *proc_root, uint32_t pid, long ticks_per_sec,
		      struct vigil_procfs_info *out);

/* Namespace inode numbers of one process (pid 1 gives the host's). */
int vigil_procfs_ns(const char *proc_root, uint32_t pid, uint32_t ns[VIGIL_NS_COUNT]);

/* The host's namespaces: pid 1's; where those are hidden (a sandbox), the
 * caller's own, since vigild runs in the host namespaces by design. */
void vigil_host_ns(uint32_t ns[VIGIL_NS_COUNT]);

/*
 * How seeding meets the kernel's process table (all optional):
 *   lookup  - the table's entry for a pid (0 or -ENOENT).  An entry whose
 *             start time is the /proc one describes the same process, left
 *             by an earlier agent: its identity (ktime, parent) is adopted.
 *   mirror  - called for each process that was not adopted, once its parent
 *             is known, to write it into the table; replace is set when the
 *             table held a stale entry for that pid.
 *   saved   - records an earlier agent saved at exit: one whose pid and
 *             ktime match an adopted process gives back its binary,
 *             arguments, cwd and flags.
 */
struct vigil_seed_ops {
	int (*lookup)(void *arg, uint32_t pid, struct vigil_proc_entry *e);
	void (*mirror)(void *arg, const struct vigil_process *p, uint64_t start_boottime,
		       bool replace);
	struct vigil_cache *saved;
	void *arg;
};

struct vigil_seed_result {
	int seeded;   /* processes read from /proc */
	int adopted;  /* of those, identity kept from the kernel table */
	int restored; /* of those, strings restored from the saved records */
};

/* Seed every user-space process of proc_root into the cache.  Returns 0 or
 * a negative errno; ops may be NULL. */
int vigil_procfs_seed(struct vigil_cache *c, const char *proc_root,
		      const struct vigil_seed_ops *ops, struct vigil_seed_result *res);

#endif
