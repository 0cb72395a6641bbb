/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h - vigild's gRPC server: tetragon.FineGuidanceSensors on a unix
 * socket (root only) or a TCP address.  The one adapter over the gRPC C
 * core on the agent side; nothing else sees a completion queue, a call or
 * a batch.
 *
 * Threads: gRPC's own, plus one completion-queue thread that accepts calls
 * and moves bytes.  The agent's thread
 *   - publishes each event once (vigil_server_publish()): the message is
 *     packed once and queued on every stream that wants it; a stream whose
 *     queue is full loses the event, counted and reported in its own
 *     stream and in GetHealth; a send is started when the stream is idle,
 *     the next one from the completion of the last, so a slow client slows
 *     nobody;
 *   - runs the unary calls (policies, health, version, info): the
 *     completion-queue thread queues them and makes vigil_server_fd()
 *     readable, and vigil_server_dispatch() runs the handlers
 *     (struct vigil_api_ops, rpc.h) and sends their answers.
 * vigil_server_stop() ends every stream with UNAVAILABLE "vigild is
 * stopping", shuts the server down, drains the queue and frees it all.
 */
#ifndef VIGIL_SERVER_H
#define VIGIL_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "rpc.h"
#include "tetragon/events.pb-c.h"

#define VIGIL_SERVER_DEFAULT_ADDRESS "unix:/run/vigil/vigil.sock"
/* The largest request accepted (a policy's YAML is the large one). */
#define VIGIL_SERVER_MAX_REQUEST (16u << 20)
#define VIGIL_SERVER_MAX_STREAMS 128
/* Unary calls waiting for the agent's thread, and their requests' bytes;
 * more are refused (RESOURCE_EXHAUSTED). */
#define VIGIL_SERVER_MAX_PENDING       1024
#define VIGIL_SERVER_MAX_PENDING_BYTES (64u << 20)

struct vigil_server;

struct vigil_server_cfg {
	/* "unix:PATH" (the directory is made 0755 when missing, the socket
	 * is 0600) or "HOST:PORT" */
	const char *address;
	const char *node_name; /* of the loss reports; copied */
	const struct vigil_api_ops *ops;
	size_t queue_msgs, queue_bytes; /* per stream; 0: evqueue.h's defaults */
	unsigned max_streams;		/* 0: VIGIL_SERVER_MAX_STREAMS */
};

/*
 * Listen and start serving.  0, or a negative errno after one message on
 * stderr naming the address and the reason.
 */
int vigil_server_start(const struct vigil_server_cfg *cfg, struct vigil_server **out);

/* Readable when unary calls wait for vigil_server_dispatch(). */
int vigil_server_fd(const struct vigil_server *s);

/* Run the unary calls that wait, on the caller's (the agent's) thread. */
void vigil_server_dispatch(struct vigil_server *s);

/* True when at least one GetEvents stream is open: only then is an event
 * worth building as a message.  Any thread; NULL is false. */
bool vigil_server_wants_events(const struct vigil_server *s);

/* Offer one event to every stream (the agent's thread). */
void vigil_server_publish(struct vigil_server *s, const Tetragon__GetEventsResponse *ev);

void vigil_server_get_stats(struct vigil_server *s, struct vigil_server_stats *st);

/* End the streams, shut down, drain, free.  NULL is a no-op. */
void vigil_server_stop(struct vigil_server *s);

#endif
