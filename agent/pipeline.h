/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipeline.h - what happens to one ring-buffer message: decode it, update the
 * process cache, encode the event to every output: the JSON export, stdout
 * and, as a GetEventsResponse built only when a client streams, the API.  One handler per message
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
#include "tetragon/events.pb-c.h"

/* What a policy's events reported (ListTracingPolicies' counters), by
 * policy id; owner tells a policy from the next one in the same slot. */
struct vigil_policy_counts {
	const char *owner; /* the policy's name, as its hooks hold it */
	uint64_t post, signal, monitor_signal, override, monitor_override;
};

struct vigil_filters;

/* Where events go as GetEventsResponse messages: the gRPC server. */
struct vigil_pipeline_api {
	bool (*wants)(void *arg); /* is a message worth building now? */
	void (*publish)(void *arg, const Tetragon__GetEventsResponse *ev);
	void *arg;
};

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
	struct vigil_pipeline_api api;		/* publish NULL: no API */
	uint64_t pb_failed;			/* events not built as messages (memory) */
	struct vigil_policy_counts *counts;	/* VIGIL_POLICIES_MAX, or NULL */
	/* --export-allowlist / --export-denylist, for the export file and
	 * stdout (the API's streams have their own); NULL: none. */
	struct vigil_filters *export_allow, *export_deny;
	uint64_t export_filtered; /* events the export filters left out */
	/* --k8s: pods named on events (NULL: none), and the messages waiting
	 * for theirs (pod_hold.h); NULL: none wait. */
	struct vigil_pod_store *pods;
	struct vigil_pod_hold *hold;
	uint64_t now_ms; /* CLOCK_MONOTONIC, set by the caller before each read */
	bool releasing;	 /* handling a message that waited: it does not wait again */
};

/*
 * The ring-buffer callback (arg: the pipeline).  Returns 0, or -EPIPE when
 * stdout was the only output and its reader went away: the caller stops.
 * A malformed message is counted, never fatal; so is an event that could
 * not be written (the outputs count those).
 */
int vigil_pipeline_msg(void *arg, const void *data, size_t size);

/* Handle the messages held for their pods that may go now (see
 * pod_hold.h).  -EPIPE as above. */
int vigil_pipeline_release(struct vigil_pipeline *p, uint64_t now_ms);

/* Write what every output has pending.  -EPIPE as above. */
int vigil_pipeline_flush(struct vigil_pipeline *p);

/*
 * Compile the export filters (Tetragon's filter JSON, one object per line;
 * NULL for none) into p.  0, or -EINVAL after one message on stderr naming
 * the option, the line and the field.  A capabilities filter needs the
 * creds in events (no_creds false), as in Tetragon.
 */
int vigil_pipeline_export_filters(struct vigil_pipeline *p, const char *allow, const char *deny,
				  bool no_creds);

/* Free what vigil_pipeline_export_filters() made. */
void vigil_pipeline_free_filters(struct vigil_pipeline *p);

#endif
