/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policies.h - the loaded tracing policies and their lifecycle: add (from
 * a file or YAML text), delete, enable, disable, set mode, list.  The gRPC
 * API and the file and directory options all go through it.  Each policy is
 * parsed, validated, compiled for this kernel and loaded whole, or not at
 * all.
 */
#ifndef VIGIL_POLICIES_H
#define VIGIL_POLICIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "plan.h"
#include "probe.h"
#include "sensor.h"

struct vigil_policies;

/* What an event of a hook needs from its policy. */
struct vigil_hook_meta {
	const char *policy_name;
	const char *function_name; /* as the policy names it (call, hook or event) */
	const char *subsys;	   /* tracepoint: its subsystem, else NULL */
	enum vigil_hook_kind kind; /* process_kprobe, process_lsm, process_tracepoint */
	const char *message;
	char *const *tags;
	size_t ntags;
	const struct vigil_arg *args;
	size_t nargs;
	const struct vigil_arg *ret; /* returnArg: the record of slot nargs; else NULL */
};

enum vigil_policy_status {
	VIGIL_POLICY_LOADED_ENABLED = 0,
	VIGIL_POLICY_LOADED_DISABLED,
	VIGIL_POLICY_LOAD_ERROR,
};

struct vigil_policy_info {
	const char *name;
	const char *namespace_; /* "" for a cluster-wide policy */
	const char *file;
	enum vigil_policy_status status;
	enum vigil_policy_mode mode;
	const char *error; /* status LOAD_ERROR: what failed */
	size_t nhooks;
	size_t kernel_bytes;
	uint32_t id;
};

/* What the probed kernel offers to compiled policies. */
void vigil_policy_features(const struct vigil_features *feats,
			   const uint32_t host_ns[VIGIL_NS_COUNT],
			   struct vigil_kernel_features *out);

int vigil_policies_new(const struct vigil_kernel_features *f, const struct vigil_shared_maps *m,
		       struct vigil_policies **out);
void vigil_policies_free(struct vigil_policies *ps);

/*
 * Add a policy from YAML text (file names it in messages).  mode_override
 * < 0 keeps the policy's own mode.  On failure every diagnostic is written
 * to errs (one per line, file:line:column: path: message) and nothing of
 * the policy stays loaded.  A policy of the same name is replaced: the new
 * one is switched on before the old one is switched off.
 */
int vigil_policies_add(struct vigil_policies *ps, const char *file, const char *text, size_t len,
		       int mode_override, char *errs, size_t errsz);
int vigil_policies_add_file(struct vigil_policies *ps, const char *path, int mode_override,
			    char *errs, size_t errsz);
/* Every *.yaml / *.yml file of dir, in name order.  A missing dir is not an
 * error when missing_ok.  Failures are logged; returns how many failed. */
int vigil_policies_add_dir(struct vigil_policies *ps, const char *dir, bool missing_ok);

/* Delete the policy name of namespace ns ("" or NULL: cluster-wide). */
int vigil_policies_delete_in(struct vigil_policies *ps, const char *ns, const char *name);

/* A policy that failed to load from a source that keeps it (a Kubernetes
 * resource) is listed, with status LOAD_ERROR and its error, after the
 * loaded ones, until forgotten (it loaded, or went away).  A loaded
 * policy of the same name (an older version) is listed beside it. */
int vigil_policies_note_failed(struct vigil_policies *ps, const char *ns, const char *name,
			       const char *file, const char *error);
void vigil_policies_forget_failed(struct vigil_policies *ps, const char *ns, const char *name);

/* A policy deleted or replaced is switched off at once; its hooks stay
 * known, for the events already in the ring buffer, until the second
 * vigil_policies_reap() after: call it after each read of the ring. */
int vigil_policies_delete(struct vigil_policies *ps, const char *name);
void vigil_policies_reap(struct vigil_policies *ps);
/* The name of the policy the last successful add loaded, or NULL when it
 * is not loaded any more. */
const char *vigil_policies_last_added(const struct vigil_policies *ps);
int vigil_policies_enable(struct vigil_policies *ps, const char *name, bool enabled);
int vigil_policies_set_mode(struct vigil_policies *ps, const char *name,
			    enum vigil_policy_mode mode);

size_t vigil_policies_count(const struct vigil_policies *ps);
int vigil_policies_info(const struct vigil_policies *ps, size_t i, struct vigil_policy_info *out);

/* Pod-scoped policies (podSelector, containerSelector, namespaced) are
 * refused until this is called: with --k8s, whose k8s_scope.c keeps them
 * scoped. */
void vigil_policies_allow_pods(struct vigil_policies *ps);
/* Bumped each time a policy is switched on or retired. */
uint64_t vigil_policies_generation(const struct vigil_policies *ps);
/* The i-th live policy (as vigil_policies_info() counts them), when it is
 * pod-scoped: its id and model.  0 or -ENOENT. */
struct vigil_policy;
int vigil_policies_scoped(const struct vigil_policies *ps, size_t i, uint32_t *id,
			  const struct vigil_policy **model);

/* The hook an event names, or NULL (its policy was deleted meanwhile). */
const struct vigil_hook_meta *vigil_policies_hook(const struct vigil_policies *ps, uint32_t hook);

#endif
