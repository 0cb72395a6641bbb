// SPDX-License-Identifier: Apache-2.0
/*
 * evqueue.c - packed, shared event messages and the bounded queue of one
 * stream (evqueue.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "evqueue.h"

struct vigil_evmsg *vigil_evmsg_pack(const ProtobufCMessage *m)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	struct vigil_evmsg *e = malloc(sizeof(*e) + (len ? len : 1));

	if (!e)
		return NULL;
	atomic_init(&e->refs, 1);
	e->len = protobuf_c_message_pack(m, e->data);
	return e;
}

void vigil_evmsg_put(struct vigil_evmsg *m)
{
	if (m && atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1)
		free(m);
}

int vigil_evqueue_init(struct vigil_evqueue *q, size_t max_msgs, size_t max_bytes)
{
	*q = (struct vigil_evqueue){
		.max_msgs = max_msgs ? max_msgs : VIGIL_EVQUEUE_MSGS,
		.max_bytes = max_bytes ? max_bytes : VIGIL_EVQUEUE_BYTES,
	};
	q->ring = calloc(q->max_msgs, sizeof(*q->ring));
	return q->ring ? 0 : -ENOMEM;
}

void vigil_evqueue_free(struct vigil_evqueue *q)
{
	struct vigil_evmsg *m;

	if (!q->ring)
		return;
	while ((m = vigil_evqueue_pop(q)))
		vigil_evmsg_put(m);
	free(q->ring);
	q->ring = NULL;
}

int vigil_evqueue_fits(const struct vigil_evqueue *q, size_t n, size_t len)
{
	return q->n + n <= q->max_msgs && q->bytes + len <= q->max_bytes;
}

int vigil_evqueue_push(struct vigil_evqueue *q, struct vigil_evmsg *m)
{
	if (!vigil_evqueue_fits(q, 1, m->len)) {
		q->dropped++;
		q->unreported++;
		return -ENOBUFS;
	}
	q->ring[(q->head + q->n) % q->max_msgs] = vigil_evmsg_get(m);
	q->n++;
	q->bytes += m->len;
	q->queued++;
	return 0;
}

struct vigil_evmsg *vigil_evqueue_pop(struct vigil_evqueue *q)
{
	struct vigil_evmsg *m;

	if (!q->n)
		return NULL;
	m = q->ring[q->head];
	q->ring[q->head] = NULL;
	q->head = (q->head + 1) % q->max_msgs;
	q->n--;
	q->bytes -= m->len;
	return m;
}
