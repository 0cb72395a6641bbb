// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <string.h>

#include "container.h"
#include "exec_desc.h"

static uint32_t image_flags(uint32_t origin, uint32_t raw, const char *cwd)
{
	uint32_t f = origin;

	if (raw & VIGIL_EXEC_F_TRUNC_ARGS)
		f |= VIGIL_PF_TRUNC_ARGS;
	if (raw & VIGIL_EXEC_F_ERR_ARGS)
		f |= VIGIL_PF_ERR_ARGS;
	if (raw & (VIGIL_EXEC_F_TRUNC_FILENAME | VIGIL_EXEC_F_TRUNC_PATH))
		f |= VIGIL_PF_ERR_FILENAME;
	if (raw & (VIGIL_EXEC_F_ERR_CWD | VIGIL_EXEC_F_TRUNC_CWD))
		f |= VIGIL_PF_ERR_CWD;
	if (cwd && strcmp(cwd, "/") == 0)
		f |= VIGIL_PF_ROOTCWD;
	return f;
}

/* The container id and pod UID of the source's cgroup, each "" when none. */
static void cgroup_ids(struct vigil_exec_desc *d, const struct vigil_exec_source *src)
{
	char path[VIGIL_CGROUP_PATH_MAX];
	const char *cg = src->cgroup ? src->cgroup : "";
	int n;

	d->container_id[0] = d->pod_uid[0] = '\0';
	if (src->cgroup_parent) {
		n = snprintf(path, sizeof(path), "%s/%s", src->cgroup_parent, cg);
		if (n < 0 || (size_t)n >= sizeof(path))
			return; /* vigil_cgroup_ids() refuses such a path too */
		cg = path;
	}
	vigil_cgroup_ids(cg, d->container_id, d->pod_uid);
}

void vigil_exec_desc_build(struct vigil_exec_desc *d, const struct vigil_exec_source *src)
{
	memset(d, 0, sizeof(*d));
	d->pid = src->pid;
	d->tid = src->tid;
	d->ktime = src->ktime;
	d->parent = src->parent;
	d->flags = image_flags(src->origin, src->exec_flags, src->cwd);
	d->binary = src->binary;
	d->args = src->args;
	d->cwd = src->cwd;
	d->creds = src->creds;
	d->file = src->file;
	d->ns = src->ns;
	d->cgroup_id = src->cgroup_id;
	cgroup_ids(d, src);
}
