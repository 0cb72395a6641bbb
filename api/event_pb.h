/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event_pb.h - an agent event as the API's GetEventsResponse message
 * (protobuf-c), the form GetEvents streams carry.
 *
 * The message holds exactly what the JSON export (agent/encode_json.c)
 * writes for the same event and context: process and parent (identity,
 * creds, capabilities, namespaces, container, binary properties), the exit's
 * status or signal, a policy event's typed arguments, return value, action,
 * policy name, message and tags, the node name and the time.  Written with
 * protojson.h, it is the JSON export's text; the few places where the two
 * differ are listed in the unit tests (tests/unit/test_event_pb.c).
 */
#ifndef VIGIL_EVENT_PB_H
#define VIGIL_EVENT_PB_H

#include "arena.h"
#include "encode.h"

#include "tetragon/events.pb-c.h"

struct vigil_event_pb {
	struct vigil_arena arena; /* owns every part of msg */
	Tetragon__GetEventsResponse *msg;
};

/*
 * Build ev's message into pb (which needs no initialisation).  Every part
 * the encoder makes is in pb->arena; strings that the event already holds
 * (paths, arguments, policy names, tags, the node name) are pointed to, not
 * copied, so the message must be packed or written before ev's records,
 * its policy and ctx change.  0 or -ENOMEM; either way
 * vigil_event_pb_free() releases it (after an error pb->msg is NULL).
 */
int vigil_event_pb(struct vigil_event_pb *pb, const struct vigil_encode_ctx *ctx,
		   const struct vigil_out_event *ev);

void vigil_event_pb_free(struct vigil_event_pb *pb);

#endif
