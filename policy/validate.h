/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.h - stage 3: semantic checks of a parsed policy.
 *
 * Pure C: what the running kernel has is asked through vigil_kernel_facts
 * (cli/kernel_facts.c answers from BTF and tracefs; vigild will answer the
 * same way), so the checks run without privileges and in unit tests.
 *
 * Checked: matchArgs refer to declared args; operators fit the argument
 * types (string operators on string-like args, numeric ones on integers,
 * socket ones on sock/sockaddr/skb); every value parses for its type
 * (values.h); matchPIDs, matchNamespaces, matchCapabilities values;
 * Override's argError (-4095..-1, kprobes on system calls or security_
 * functions and LSM hooks only), Signal's argSig (1..64), rateLimit only on
 * Post; at most 5 selectors and 8 args per hook; message 2..256 bytes; at
 * most 16 tags of 2..128 bytes; the kernel target exists and arg indexes
 * are below its argument count, when the facts know.  No limit on the
 * number of values but a sanity cap (VIGIL_MAX_VALUES).  Warnings: values
 * and binaries that are symbolic links on this host, flags that do
 * nothing.
 */
#ifndef VIGIL_POLICY_VALIDATE_H
#define VIGIL_POLICY_VALIDATE_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

#define VIGIL_MAX_SELECTORS 5 /* per hook: Tetragon's limit too */
#define VIGIL_MAX_ARGS	    8 /* per hook (Tetragon: 5) */
#define VIGIL_MAX_TAGS	    16
#define VIGIL_TAG_MIN	    2
#define VIGIL_TAG_MAX	    128
#define VIGIL_MESSAGE_MIN   2
#define VIGIL_MESSAGE_MAX   256
#define VIGIL_MAX_VALUES    1000000 /* per filter: a sanity cap, not a design limit */
#define VIGIL_MAX_STRING    4096    /* bytes of one string value (PATH_MAX) */

/* Each callback may be NULL (the check is skipped) and returns 1 yes, 0 no,
 * -1 unknown (the check is skipped). */
struct vigil_kernel_facts {
	void *ctx;
	/* A kernel function a kprobe can attach to.  For a system call the
	 * validator asks for "__x64_sys_NAME", "__arm64_sys_NAME" and
	 * "sys_NAME" in turn (NAME without any arch or sys_ prefix). */
	int (*has_function)(void *ctx, const char *name);
	/* An LSM hook, such as "file_open" (BTF has bpf_lsm_file_open). */
	int (*has_lsm_hook)(void *ctx, const char *hook);
	int (*has_tracepoint)(void *ctx, const char *subsys, const char *event);
	/* A raw tracepoint (raw: true), by its event name alone. */
	int (*has_raw_tracepoint)(void *ctx, const char *event);
	/* The number of arguments of a function (for LSM hooks it is asked
	 * with "bpf_lsm_HOOK", for raw tracepoints with "btf_trace_EVENT"),
	 * or -1 when unknown. */
	int (*function_nargs)(void *ctx, const char *name);
	/* When path is, or goes through, a symbolic link: 1 and the resolved
	 * path in out; 0 when it is not; -1 when unknown (missing file). */
	int (*readlink)(void *ctx, const char *path, char *out, size_t outsz);
	/* A close existing name for a missing target, as has_function or
	 * has_lsm_hook were asked (tracepoints: "subsys/event"): 1 and the
	 * name in out, or 0.  Only when the names can be enumerated. */
	int (*suggest)(void *ctx, enum vigil_hook_kind kind, const char *name, char *out,
		       size_t outsz);
};

/* Check p.  k may be NULL: no kernel checks.  Diagnostics (in document
 * order) go to ds.  Returns 0 when no error was found, else -EINVAL. */
int vigil_policy_validate(const struct vigil_policy *p, const struct vigil_kernel_facts *k,
			  struct vigil_diags *ds);

#endif
