/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evstream.h - what one GetEvents stream does with the events it is
 * offered, apart from gRPC: its request (allow_list, deny_list,
 * field_filters) compiled once, each event tested against it, and the
 * bytes to send queued (evqueue.h).
 *
 * An event is offered to every stream with one struct vigil_evoffer: the
 * message is packed the first time a stream takes it, and every stream
 * without field filters queues those same bytes.  A stream with field
 * filters queues a copy cleared as its filters say.
 *
 * Losses are told to the client in its own stream, as Tetragon tells
 * them: a GetEventsResponse holding a RateLimitInfo with the number of
 * events dropped since the last report.  It is never queued (it needs no
 * room): vigil_evstream_next() makes it when the next message is to be
 * sent, ahead of the queue, at most every VIGIL_EVSTREAM_REPORT_NS while
 * events are queued and at once when the queue has drained, so that even a
 * client reading one message a second learns of its losses within seconds.
 */
#ifndef VIGIL_EVSTREAM_H
#define VIGIL_EVSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evqueue.h"
#include "tetragon/events.pb-c.h"

struct vigil_filters;
struct vigil_field_filters;

#define VIGIL_EVSTREAM_REPORT_NS 2000000000ULL

struct vigil_evstream {
	struct vigil_filters *allow, *deny; /* NULL: no such list */
	struct vigil_field_filters *ff;	    /* NULL: the events whole */
	struct vigil_evqueue q;
	const char *node_name; /* of the loss reports; not owned */
	uint64_t filtered;     /* events its filters left out */
	uint64_t reported;     /* losses told to the client */
	uint64_t last_report;  /* when (CLOCK_MONOTONIC ns), 0: never */
};

/* One event offered to every stream. */
struct vigil_evoffer {
	const Tetragon__GetEventsResponse *msg;
	struct vigil_evmsg *packed; /* on first need */
};

/*
 * Compile the GetEventsRequest in req[0..len) into s, with a queue of the
 * given bounds (0: the defaults).  0; -EINVAL when the bytes are not a
 * GetEventsRequest or a filter does not compile, with err saying which;
 * -ENOMEM.  On error s holds nothing to free.
 */
int vigil_evstream_open(struct vigil_evstream *s, const uint8_t *req, size_t len, size_t max_msgs,
			size_t max_bytes, const char *node_name, char *err, size_t errsz);

void vigil_evstream_close(struct vigil_evstream *s);

/*
 * Offer an event: 1 queued, 0 left out by the stream's filters, -ENOBUFS
 * dropped (the queue is full; counted), -ENOMEM (counted as dropped too).
 */
int vigil_evstream_offer(struct vigil_evstream *s, struct vigil_evoffer *o);

/*
 * The next message to send (the caller owns its reference), or NULL when
 * there is none: a report of the losses not told yet when one is due at
 * now_ns (CLOCK_MONOTONIC), else the oldest queued event.  A report that
 * cannot be made for want of memory is tried again on the next call.
 */
struct vigil_evmsg *vigil_evstream_next(struct vigil_evstream *s, uint64_t now_ns);

/* Release what the offer packed. */
void vigil_evoffer_done(struct vigil_evoffer *o);

#endif
