/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipeline.h - what happens to one ring-buffer message: decode it, update the
 * process cache, encode the event to every output.  One handler per message
 * type (a new event type is one decoder plus one encoder); no BPF, no file
 * descriptors of its own, so it is unit-tested with crafted messages.
 */
#ifndef VIGIL_PIPELINE_H
#define VIGIL_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "options.h"
#include "output.h"
#include "process.h"
#include "policies.h"

struct vigil_pipeline {
	struct vigil_cache *cache;
	struct vigil_encode_ctx enc;
	struct vigil_output *export;		/* JSON lines, or NULL */
	struct vigil_output *out;		/* stdout, or NULL */
	enum vigil_stdout_mode out_mode;	/* JSON or COMPACT when out is set */
	uint64_t handled[VIGIL_MSG_TYPE_COUNT]; /* by message type */
	uint64_t bad;				/* malformed messages */
	uint64_t oom;				/* events lost to memory exhaustion */
	bool out_closed;			/* stdout's reader went away: out unused */
	const struct vigil_policies *policies;	/* hooks of policy events, or NULL */
	uint64_t stale;				/* policy events of a deleted policy */
};

/*
 * The ring-buffer callback (arg: the pipeline).  Returns 0, or -EPIPE when
 * stdout was the only output and its reader went away: the caller stops.
 * A malformed message is counted, never fatal; so is an event that could
 * not be written (the outputs count those).
 */
int vigil_pipeline_msg(void *arg, const void *data, size_t size);

/* Write what every output has pending.  -EPIPE as above. */
int vigil_pipeline_flush(struct vigil_pipeline *p);

#endif
