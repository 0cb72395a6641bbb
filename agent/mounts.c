// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "log.h"
#include "mounts.h"

static const struct {
	const char *type;
	const char *dir;
	long magic;
} wanted[] = {
	{ "securityfs", "/sys/kernel/security", 0x73636673 },
	{ "bpf", "/sys/fs/bpf", 0xcafe4a11 },
	{ "tracefs", "/sys/kernel/tracing", 0x74726163 },
};

void vigil_ensure_mounts(void)
{
	size_t i;

	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		struct statfs st;

		if (statfs(wanted[i].dir, &st) == 0 && st.f_type == wanted[i].magic)
			continue;
		mkdir(wanted[i].dir, 0755);
		if (mount(wanted[i].type, wanted[i].dir, wanted[i].type, 0, NULL))
			vigil_err("cannot mount %s at %s: %s", wanted[i].type, wanted[i].dir,
				  strerror(errno));
		else
			vigil_dbg("mounted %s at %s", wanted[i].type, wanted[i].dir);
	}
}
