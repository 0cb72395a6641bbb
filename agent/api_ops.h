/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_ops.h - vigild's answers to the unary calls of the gRPC API: the
 * tracing-policy lifecycle (add from YAML text, delete, enable, disable,
 * set the mode, list), health, version and agent information.  They run on
 * the agent's thread (api/server.h dispatches them there), over the
 * lifecycle of agent/policies.c, which goes through a table of calls so
 * that the unit tests can put a fake behind it.
 */
#ifndef VIGIL_API_OPS_H
#define VIGIL_API_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"
#include "policies.h"
#include "probe.h"
#include "rpc.h"

/* The file name a policy added through the API has in its messages. */
#define VIGIL_API_POLICY_FILE "<grpc>"

struct vigil_api_lifecycle {
	/* Load YAML text; errs gets every diagnostic, one per line. */
	int (*add)(void *ctx, const char *file, const char *text, size_t len, char *errs,
		   size_t errsz);
	int (*del)(void *ctx, const char *name);
	int (*enable)(void *ctx, const char *name, bool on);
	int (*set_mode)(void *ctx, const char *name, enum vigil_policy_mode mode);
	size_t (*count)(const void *ctx);
	int (*info)(const void *ctx, size_t i, struct vigil_policy_info *out);
};

/* agent/policies.c behind the table; ctx is a struct vigil_policies. */
extern const struct vigil_api_lifecycle vigil_api_policies;

/* What the handlers read and act on.  Pointers may be NULL (tests). */
struct vigil_api_agent {
	const struct vigil_api_lifecycle *lc;
	void *lc_ctx;
	const struct vigil_features *feats;	  /* GetInfo's probes */
	const struct vigil_policy_counts *counts; /* by policy id (VIGIL_POLICIES_MAX) */
	const char *node_name;
	const uint64_t *events;	     /* events handled so far */
	const uint64_t *kernel_lost; /* events the ring buffer lost */
};

/* The handlers, with ctx pointing at agent (which must outlive them). */
void vigil_api_ops_init(struct vigil_api_ops *ops, struct vigil_api_agent *agent);

#endif
