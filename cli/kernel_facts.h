/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kernel_facts.h - answers to the validator's questions about this host
 * (policy/validate.h) from the kernel's BTF, tracefs, /proc/kallsyms and
 * the file system.  No privileges needed: what cannot be read is unknown.
 */
#ifndef VIGIL_CLI_KERNEL_FACTS_H
#define VIGIL_CLI_KERNEL_FACTS_H

#include "validate.h"

struct host_facts;

/* Open the host's sources (BTF from /sys/kernel/btf/vmlinux via libbpf;
 * tracefs at /sys/kernel/tracing or /sys/kernel/debug/tracing).  Never
 * fails for a missing source; NULL only when memory runs out. */
struct host_facts *host_facts_open(void);
void host_facts_close(struct host_facts *hf);

/* The callbacks, bound to hf. */
const struct vigil_kernel_facts *host_facts_get(struct host_facts *hf);

#endif
