/* SPDX-License-Identifier: Apache-2.0 */
/*
 * process.h - the agent's process cache: one record per process image,
 * found by pid, holding a reference on its parent so that ancestry outlives
 * exits while children still need it (Tetragon's refcnt model).
 */
#ifndef VIGIL_PROCESS_H
#define VIGIL_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

#include "container.h"

struct vigil_pod;
#include "vigil_abi.h"

/* Origin and error flags, printed as Tetragon's "flags" words. */
#define VIGIL_PF_EXECVE	      (1U << 0)
#define VIGIL_PF_PROCFS	      (1U << 1)
#define VIGIL_PF_TRUNC_ARGS   (1U << 2)
#define VIGIL_PF_MISS	      (1U << 3) /* not seen at exec, nor seeded */
#define VIGIL_PF_ERR_FILENAME (1U << 4)
#define VIGIL_PF_ERR_ARGS     (1U << 5)
#define VIGIL_PF_ROOTCWD      (1U << 6)
#define VIGIL_PF_ERR_CWD      (1U << 7)
#define VIGIL_PF_CLONE	      (1U << 8)

/* The longest node name; an exec_id made with it fits VIGIL_EXEC_ID_MAX
 * (encode.h). */
#define VIGIL_NODE_NAME_MAX 255

struct vigil_process {
	struct vigil_process *hnext;  /* pid hash chain */
	struct vigil_process *parent; /* reference held */
	uint32_t refcnt;
	bool exited;
	bool in_table; /* reachable by pid */
	bool suspect;  /* the last sweep found no live process behind it */

	uint32_t pid;
	uint32_t tid;
	uint64_t ktime; /* exec (or clone) CLOCK_MONOTONIC ns: identity */
	/* The parent's identity, kept even when its record is gone; pid 0 when
	 * unknown.  exec_id and parent_exec_id derive from these keys. */
	struct vigil_proc_key parent_key;
	uint32_t flags;

	char *binary;
	char *args;
	char *cwd;

	struct vigil_creds creds;
	struct vigil_exec_file file; /* what exec ran; ino 0 when unknown (/proc) */
	uint32_t ns[VIGIL_NS_COUNT];
	uint64_t cgroup_id;
	char container_id[VIGIL_CONTAINER_ID_LEN + 1];
	char pod_uid[VIGIL_POD_UID_LEN + 1];
	/* With --k8s: the pod of the container (a reference, put when the
	 * record goes) and the container's index in it; NULL when unknown.
	 * Set once, before the record is first encoded. */
	struct vigil_pod *pod;
	uint32_t pod_container;

	/* This record as a serialized Process message, made by the JSON encoder
	 * on first use: a record does not change once the cache has made it. */
	char *json;
};

struct vigil_cache;

/* What a new process image looks like, for vigil_cache_exec().  The agent
 * makes it with vigil_exec_desc_build() (exec_desc.h); the cache records what
 * it is given. */
struct vigil_exec_desc {
	uint32_t pid, tid;
	uint64_t ktime;
	struct vigil_proc_key parent;
	uint32_t flags;			    /* VIGIL_PF_* */
	const char *binary, *args, *cwd;    /* NULL is "" */
	const struct vigil_creds *creds;    /* may be NULL */
	const struct vigil_exec_file *file; /* may be NULL */
	const uint32_t *ns;		    /* may be NULL */
	uint64_t cgroup_id;
	char container_id[VIGIL_CONTAINER_ID_LEN + 1]; /* "" when none */
	char pod_uid[VIGIL_POD_UID_LEN + 1];	       /* "" when none */
};

struct vigil_cache *vigil_cache_new(void);
void vigil_cache_free(struct vigil_cache *c);

/* Record a new image for desc->pid (replacing any older one in the pid
 * table).  Returns the record with one reference for the caller, or NULL
 * on allocation failure. */
struct vigil_process *vigil_cache_exec(struct vigil_cache *c, const struct vigil_exec_desc *desc);

/* Record a clone: the child inherits its parent's image.  Returns the record
 * with one reference for the caller, or NULL. */
struct vigil_process *vigil_cache_clone(struct vigil_cache *c, uint32_t pid, uint32_t tid,
					uint64_t ktime, const struct vigil_proc_key *parent);

/* A process exited: returns its record (one reference for the caller) and
 * drops it from the pid table; a process never seen gets a "miss" record. */
struct vigil_process *vigil_cache_exit(struct vigil_cache *c, uint32_t pid, uint64_t ktime);

/* The live record for pid (no reference taken), or NULL. */
struct vigil_process *vigil_cache_find(struct vigil_cache *c, uint32_t pid);

/* Link p to the live record its parent key names (used by /proc seeding,
 * where parents are known only after every process has been read).  A key
 * with ktime 0 takes whatever lives at key->pid. */
void vigil_cache_link_parent(struct vigil_cache *c, struct vigil_process *p,
			     const struct vigil_proc_key *key);

/* Call fn on every live record (reachable by pid). */
void vigil_cache_for_each(struct vigil_cache *c, void (*fn)(void *arg, struct vigil_process *p),
			  void *arg);

/*
 * Bound the records of processes whose exit was never seen (its event lost):
 * a live record that alive() rejects in two consecutive sweeps is dropped
 * from the pid table.  Two sweeps, so that an exit still on its way is never
 * raced.  Returns the number dropped.
 */
size_t vigil_cache_sweep(struct vigil_cache *c,
			 bool (*alive)(void *arg, const struct vigil_process *p), void *arg);

void vigil_process_get(struct vigil_process *p);
void vigil_process_put(struct vigil_cache *c, struct vigil_process *p);

size_t vigil_cache_live(const struct vigil_cache *c);  /* records reachable by pid */
size_t vigil_cache_total(const struct vigil_cache *c); /* all allocated records */

#endif
