/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evqueue.h - the bounded queue of one GetEvents stream, and the packed
 * messages it holds.
 *
 * An event is packed once (struct vigil_evmsg, reference counted) and the
 * same bytes are queued on every stream that sends it.  A queue holds at
 * most max_msgs messages and max_bytes bytes; an event that does not fit
 * is dropped for that stream alone and counted, so a slow client never
 * holds up the agent or the other clients.  Drops not yet reported to the
 * client are counted apart (the stream reports them, evstream.h).
 *
 * No locking here: the server calls these under its own lock.  References
 * are atomic, because gRPC may release a message it sent from any thread.
 */
#ifndef VIGIL_EVQUEUE_H
#define VIGIL_EVQUEUE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/* Defaults of the server: about 18 MB of exec events at the most. */
#define VIGIL_EVQUEUE_MSGS  4096
#define VIGIL_EVQUEUE_BYTES (16u << 20)

struct vigil_evmsg {
	atomic_uint refs;
	size_t len;
	uint8_t data[];
};

/* m packed into a new message with one reference, or NULL (ENOMEM). */
struct vigil_evmsg *vigil_evmsg_pack(const ProtobufCMessage *m);

static inline struct vigil_evmsg *vigil_evmsg_get(struct vigil_evmsg *m)
{
	atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
	return m;
}

/* Drop a reference; the last one frees it.  NULL is a no-op. */
void vigil_evmsg_put(struct vigil_evmsg *m);

struct vigil_evqueue {
	struct vigil_evmsg **ring;
	size_t max_msgs, max_bytes;
	size_t head, n;	     /* oldest at ring[head] */
	size_t bytes;	     /* of the messages queued */
	uint64_t queued;     /* messages accepted */
	uint64_t dropped;    /* events that did not fit */
	uint64_t unreported; /* of dropped, not yet told to the client */
};

/* An empty queue of the given bounds (0: the defaults).  0 or -ENOMEM. */
int vigil_evqueue_init(struct vigil_evqueue *q, size_t max_msgs, size_t max_bytes);

/* Release every message still queued and the ring. */
void vigil_evqueue_free(struct vigil_evqueue *q);

/* Whether n more messages of len bytes in all would fit. */
int vigil_evqueue_fits(const struct vigil_evqueue *q, size_t n, size_t len);

/*
 * Queue m (the queue takes a reference of its own): 0, or -ENOBUFS when it
 * does not fit, counted in dropped and unreported.
 */
int vigil_evqueue_push(struct vigil_evqueue *q, struct vigil_evmsg *m);

/* The oldest message (its reference passes to the caller), or NULL. */
struct vigil_evmsg *vigil_evqueue_pop(struct vigil_evqueue *q);

#endif
