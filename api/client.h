/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.h - the CLI's side of the gRPC API: calls to vigild (or to any
 * server of tetragon.FineGuidanceSensors) over the gRPC C core, with
 * protobuf-c messages in and out.  Nothing of gRPC shows here.
 *
 * Errors come back as a negative errno and a message: the server's status
 * message, after the status's name ("NOT_FOUND: tracing policy x is not
 * loaded").  The errno says which status it was:
 *   UNAVAILABLE (vigild is not there, stopped, restarting)  -ECONNREFUSED
 *   DEADLINE_EXCEEDED -ETIMEDOUT, INVALID_ARGUMENT -EINVAL, NOT_FOUND
 *   -ENOENT, ALREADY_EXISTS -EEXIST, RESOURCE_EXHAUSTED -ENOSPC,
 *   UNIMPLEMENTED -ENOSYS, PERMISSION_DENIED and UNAUTHENTICATED -EACCES,
 *   FAILED_PRECONDITION -EOPNOTSUPP, CANCELLED -ECANCELED, others -EIO.
 * The message is the server's text: escape it before a terminal sees it.
 */
#ifndef VIGIL_CLIENT_H
#define VIGIL_CLIENT_H

#include <signal.h>
#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include "arena.h"
#include "rpc.h"

struct vigil_client;

/*
 * A client of the server at address: "unix:PATH" or "HOST:PORT" (or any
 * target gRPC takes).  Connects on the first call.  0, or -EINVAL /
 * -ENOMEM with err set.
 */
int vigil_client_open(const char *address, struct vigil_client **out, char *err, size_t errsz);

void vigil_client_close(struct vigil_client *c);

/* The errno a status stands for (see above). */
int vigil_client_errno(int status);

/*
 * Call unary method m with req and wait at most timeout_ms for the answer,
 * unpacked into a (which owns it) at *resp.  0 or a negative errno.
 */
int vigil_client_call(struct vigil_client *c, enum vigil_rpc_method m, const ProtobufCMessage *req,
		      struct vigil_arena *a, ProtobufCMessage **resp, long timeout_ms, char *err,
		      size_t errsz);

struct vigil_client_stream_ops {
	/* The server answered: the stream is open.  May be NULL. */
	void (*on_open)(void *arg);
	/* One message, unpacked (freed after the call); non-zero ends the
	 * stream (the call then returns 0). */
	int (*on_msg)(void *arg, const ProtobufCMessage *msg);
	void *arg;
	/* Polled ten times a second; when it becomes non-zero the stream is
	 * cancelled and the call returns -EINTR.  May be NULL. */
	const volatile sig_atomic_t *stop;
};

/*
 * Call server-streaming method m with req and hand every message to ops
 * until the server ends the stream (0 for an OK status, else the status's
 * errno), on_msg asks to stop (0) or *stop is set (-EINTR).
 */
int vigil_client_stream(struct vigil_client *c, enum vigil_rpc_method m,
			const ProtobufCMessage *req, const struct vigil_client_stream_ops *ops,
			char *err, size_t errsz);

#endif
