/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kernel_facts.h - answers to the validator's questions about this host
 * (policy/validate.h) from the kernel's BTF, tracefs, /proc/kallsyms and
 * the file system.  No privileges needed: what cannot be read is unknown.
 */
#ifndef VIGIL_KERNEL_FACTS_H
#define VIGIL_KERNEL_FACTS_H

#include "plan.h"
#include "validate.h"

struct host_facts;

/* Open the host's sources (BTF from /sys/kernel/btf/vmlinux via libbpf;
 * tracefs at /sys/kernel/tracing or /sys/kernel/debug/tracing).  Never
 * fails for a missing source; NULL only when memory runs out. */
struct host_facts *host_facts_open(void);
void host_facts_close(struct host_facts *hf);

/* The callbacks, bound to hf. */
const struct vigil_kernel_facts *host_facts_get(struct host_facts *hf);

/* struct vigil_kernel_features.resolve_arg, ctx a struct host_facts: the
 * argument's type from the hook's prototype in BTF (a kernel function,
 * bpf_lsm_HOOK, a raw tracepoint's btf_trace_EVENT), then
 * vigil_btf_resolve(). */
int host_facts_resolve_arg(void *ctx, const struct vigil_hook *h, unsigned index, const char *path,
			   struct vigil_resolve *out, char *why, size_t whysz);

#endif
