/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec_desc.h - the one place where what a source reports about a new
 * process image becomes the description the process cache records
 * (vigil_cache_exec()): the origin and error flags, the root-cwd flag, and
 * the container id and pod UID parsed from the cgroup.  Its sources are an
 * exec message (agent/pipeline.c) and /proc (agent/procfs.c).
 */
#ifndef VIGIL_EXEC_DESC_H
#define VIGIL_EXEC_DESC_H

#include <stdint.h>

#include "process.h"

/* What a source knows of a new process image, before interpretation. */
struct vigil_exec_source {
	uint32_t origin;     /* VIGIL_PF_EXECVE (an exec message) or VIGIL_PF_PROCFS */
	uint32_t exec_flags; /* VIGIL_EXEC_F_* the source reported (cut or failed reads) */
	uint32_t pid, tid;
	uint64_t ktime;
	struct vigil_proc_key parent; /* zero when unknown */
	const char *binary, *args, *cwd;
	/*
	 * The cgroup: a path as /proc/PID/cgroup shows it, with cgroup_parent
	 * NULL; or, as an exec message carries it, the leaf's name in cgroup
	 * and its parent's name in cgroup_parent (joined "parent/leaf").  NULL
	 * or "" when unknown.
	 */
	const char *cgroup, *cgroup_parent;
	const struct vigil_creds *creds;    /* may be NULL */
	const struct vigil_exec_file *file; /* may be NULL (not seen at exec) */
	const uint32_t *ns;		    /* may be NULL */
	uint64_t cgroup_id;
};

/*
 * Describe the image src reports into d (every field of d is set).  Strings
 * and arrays are not copied: d points into src's until vigil_cache_exec()
 * has recorded it.  Flags:
 *   origin                                     as given
 *   VIGIL_EXEC_F_TRUNC_ARGS                    VIGIL_PF_TRUNC_ARGS
 *   VIGIL_EXEC_F_ERR_ARGS                      VIGIL_PF_ERR_ARGS
 *   VIGIL_EXEC_F_TRUNC_FILENAME, _TRUNC_PATH   VIGIL_PF_ERR_FILENAME
 *   VIGIL_EXEC_F_ERR_CWD, _TRUNC_CWD           VIGIL_PF_ERR_CWD
 *   cwd "/"                                    VIGIL_PF_ROOTCWD
 * Container id and pod UID are vigil_cgroup_ids() of the cgroup path ("" when
 * there is none, or when the joined names do not fit VIGIL_CGROUP_PATH_MAX).
 */
void vigil_exec_desc_build(struct vigil_exec_desc *d, const struct vigil_exec_source *src);

#endif
