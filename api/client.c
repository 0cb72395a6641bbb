// SPDX-License-Identifier: Apache-2.0
/*
 * client.c - unary and server-streaming calls over the gRPC C core
 * (client.h).  One channel and one pluck completion queue per client; one
 * call at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

#include "client.h"
#include "grpc_glue.h"
#include "server.h"

struct vigil_client {
	grpc_channel *ch;
	grpc_completion_queue *cq;
	char *address;
};

int vigil_client_errno(int status)
{
	switch (status) {
	case VIGIL_STATUS_OK:
		return 0;
	case VIGIL_STATUS_UNAVAILABLE:
		return -ECONNREFUSED;
	case VIGIL_STATUS_DEADLINE_EXCEEDED:
		return -ETIMEDOUT;
	case VIGIL_STATUS_INVALID_ARGUMENT:
		return -EINVAL;
	case VIGIL_STATUS_NOT_FOUND:
		return -ENOENT;
	case VIGIL_STATUS_ALREADY_EXISTS:
		return -EEXIST;
	case VIGIL_STATUS_RESOURCE_EXHAUSTED:
		return -ENOSPC;
	case VIGIL_STATUS_UNIMPLEMENTED:
		return -ENOSYS;
	case VIGIL_STATUS_PERMISSION_DENIED:
	case VIGIL_STATUS_UNAUTHENTICATED:
		return -EACCES;
	case VIGIL_STATUS_FAILED_PRECONDITION:
		return -EOPNOTSUPP;
	case VIGIL_STATUS_CANCELLED:
		return -ECANCELED;
	default:
		return -EIO;
	}
}

int vigil_client_open(const char *address, struct vigil_client **out, char *err, size_t errsz)
{
	grpc_channel_credentials *creds;
	struct vigil_client *c;
	grpc_arg args[2];
	grpc_channel_args ca = { .num_args = 2, .args = args };

	*out = NULL;
	if (!address[0]) {
		snprintf(err, errsz, "no server address");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->address = strdup(address))) {
		free(c);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	vigil_grpc_init("vigil", 0);
	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[0].value.integer = VIGIL_SERVER_MAX_REQUEST;
	/* A server that went away is tried again soon. */
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = (char *)GRPC_ARG_MAX_RECONNECT_BACKOFF_MS;
	args[1].value.integer = 1000;
	creds = grpc_insecure_credentials_create();
	c->ch = grpc_channel_create(address, creds, &ca);
	grpc_channel_credentials_release(creds);
	c->cq = grpc_completion_queue_create_for_pluck(NULL);
	*out = c;
	return 0;
}

void vigil_client_close(struct vigil_client *c)
{
	if (!c)
		return;
	grpc_channel_destroy(c->ch);
	grpc_completion_queue_shutdown(c->cq);
	while (grpc_completion_queue_pluck(c->cq, NULL, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL)
		       .type != GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(c->cq);
	free(c->address);
	free(c);
	vigil_grpc_shutdown();
}

static grpc_call *new_call(struct vigil_client *c, enum vigil_rpc_method m, long timeout_ms)
{
	grpc_slice method = grpc_slice_from_static_string(vigil_rpcs[m].path);

	return grpc_channel_create_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, c->cq, method, NULL,
					vigil_grpc_deadline(timeout_ms), NULL);
}

/* The error of a finished call: its status's name and message. */
static int call_error(const struct vigil_client *c, grpc_status_code status, grpc_slice details,
		      char *err, size_t errsz)
{
	char *msg = grpc_slice_to_c_string(details);

	if (status == GRPC_STATUS_UNAVAILABLE && msg &&
	    (strstr(msg, "failed to connect") || strstr(msg, "Connection refused") ||
	     strstr(msg, "No such file")))
		snprintf(err, errsz, "cannot reach vigild at %s: %s", c->address, msg);
	else
		snprintf(err, errsz, "%s: %s", vigil_status_name(status), msg ? msg : "");
	gpr_free(msg);
	return vigil_client_errno(status);
}

static grpc_event pluck(struct vigil_client *c, void *tag)
{
	return grpc_completion_queue_pluck(c->cq, tag, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
}

/* req packed into a byte buffer (NULL when out of memory). */
static grpc_byte_buffer *pack(const ProtobufCMessage *req)
{
	size_t len = protobuf_c_message_get_packed_size(req);
	uint8_t *buf = malloc(len ? len : 1);
	grpc_byte_buffer *bb;

	if (!buf)
		return NULL;
	protobuf_c_message_pack(req, buf);
	bb = vigil_grpc_buffer(buf, len);
	free(buf);
	return bb;
}

static int unpack(const ProtobufCMessageDescriptor *d, grpc_byte_buffer *bb, struct vigil_arena *a,
		  ProtobufCMessage **out, char *err, size_t errsz)
{
	uint8_t *bytes;
	size_t len;
	int ret = vigil_grpc_read(bb, &bytes, &len);

	if (ret) {
		snprintf(err, errsz, "the answer cannot be read: %s", strerror(-ret));
		return ret;
	}
	*out = protobuf_c_message_unpack(d, vigil_arena_allocator(a), len, bytes);
	free(bytes);
	if (!*out) {
		snprintf(err, errsz, "the answer is not a valid %s message", d->name);
		return -EBADMSG;
	}
	return 0;
}

int vigil_client_call(struct vigil_client *c, enum vigil_rpc_method m, const ProtobufCMessage *req,
		      struct vigil_arena *a, ProtobufCMessage **resp, long timeout_ms, char *err,
		      size_t errsz)
{
	grpc_metadata_array md_in, trailers;
	grpc_byte_buffer *out, *in = NULL;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice();
	grpc_call *call;
	grpc_op ops[6];
	int ret;

	*resp = NULL;
	out = pack(req);
	call = out ? new_call(c, m, timeout_ms) : NULL;
	if (!call) {
		if (out)
			grpc_byte_buffer_destroy(out);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	grpc_metadata_array_init(&md_in);
	grpc_metadata_array_init(&trailers);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = out;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &md_in;
	ops[4].op = GRPC_OP_RECV_MESSAGE;
	ops[4].data.recv_message.recv_message = &in;
	ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[5].data.recv_status_on_client.trailing_metadata = &trailers;
	ops[5].data.recv_status_on_client.status = &status;
	ops[5].data.recv_status_on_client.status_details = &details;
	if (grpc_call_start_batch(call, ops, 6, call, NULL) != GRPC_CALL_OK) {
		snprintf(err, errsz, "cannot start the call");
		ret = -EIO;
		goto cleanup;
	}
	pluck(c, call);
	if (status != GRPC_STATUS_OK)
		ret = call_error(c, status, details, err, errsz);
	else if (in)
		ret = unpack(vigil_rpcs[m].resp, in, a, resp, err, errsz);
	else
		ret = -EBADMSG;
	if (ret == -EBADMSG && !in)
		snprintf(err, errsz, "the server sent no answer");
cleanup:
	if (in)
		grpc_byte_buffer_destroy(in);
	grpc_byte_buffer_destroy(out);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&md_in);
	grpc_metadata_array_destroy(&trailers);
	grpc_call_unref(call);
	return ret;
}

/* Wait for tag, cancelling the call once *stop is set. */
static grpc_event wait_stream(struct vigil_client *c, grpc_call *call, void *tag,
			      const volatile sig_atomic_t *stop, bool *cancelled)
{
	for (;;) {
		grpc_event ev =
			grpc_completion_queue_pluck(c->cq, tag, vigil_grpc_deadline(100), NULL);

		if (ev.type != GRPC_QUEUE_TIMEOUT)
			return ev;
		if (stop && *stop && !*cancelled) {
			grpc_call_cancel(call, NULL);
			*cancelled = true;
		}
	}
}

int vigil_client_stream(struct vigil_client *c, enum vigil_rpc_method m,
			const ProtobufCMessage *req, const struct vigil_client_stream_ops *o,
			char *err, size_t errsz)
{
	grpc_metadata_array md_in, trailers;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice();
	grpc_byte_buffer *out, *in = NULL;
	int t_send, t_md, t_msg, t_status; /* their addresses are the tags */
	bool cancelled = false, ended = false;
	grpc_call *call;
	grpc_op ops[3];
	grpc_event ev;
	int ret = 0;

	out = pack(req);
	call = out ? new_call(c, m, -1) : NULL;
	if (!call) {
		if (out)
			grpc_byte_buffer_destroy(out);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	grpc_metadata_array_init(&md_in);
	grpc_metadata_array_init(&trailers);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = out;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	if (grpc_call_start_batch(call, ops, 3, &t_send, NULL) != GRPC_CALL_OK)
		goto fail_start;
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[0].data.recv_status_on_client.trailing_metadata = &trailers;
	ops[0].data.recv_status_on_client.status = &status;
	ops[0].data.recv_status_on_client.status_details = &details;
	if (grpc_call_start_batch(call, ops, 1, &t_status, NULL) != GRPC_CALL_OK)
		goto fail_start;
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[0].data.recv_initial_metadata.recv_initial_metadata = &md_in;
	if (grpc_call_start_batch(call, ops, 1, &t_md, NULL) != GRPC_CALL_OK)
		goto fail_start;
	wait_stream(c, call, &t_send, o->stop, &cancelled);
	ev = wait_stream(c, call, &t_md, o->stop, &cancelled);
	if (ev.success && o->on_open && !cancelled)
		o->on_open(o->arg);
	while (!ended) {
		ProtobufCMessage *msg;
		struct vigil_arena a;

		memset(ops, 0, sizeof(ops));
		ops[0].op = GRPC_OP_RECV_MESSAGE;
		ops[0].data.recv_message.recv_message = &in;
		if (grpc_call_start_batch(call, ops, 1, &t_msg, NULL) != GRPC_CALL_OK)
			break;
		ev = wait_stream(c, call, &t_msg, o->stop, &cancelled);
		if (!ev.success || !in)
			break; /* the stream ended: the status says how */
		vigil_arena_init(&a);
		ret = unpack(vigil_rpcs[m].resp, in, &a, &msg, err, errsz);
		grpc_byte_buffer_destroy(in);
		in = NULL;
		if (!ret && o->on_msg(o->arg, msg))
			ended = true;
		vigil_arena_free(&a);
		if (ret || ended) {
			grpc_call_cancel(call, NULL);
			cancelled = true;
		}
	}
	wait_stream(c, call, &t_status, o->stop, &cancelled);
	if (ended)
		ret = 0;
	else if (!ret && cancelled && o->stop && *o->stop) {
		ret = -EINTR;
		snprintf(err, errsz, "interrupted");
	} else if (!ret && status != GRPC_STATUS_OK)
		ret = call_error(c, status, details, err, errsz);
	goto cleanup;
fail_start:
	grpc_call_cancel(call, NULL);
	snprintf(err, errsz, "cannot start the call");
	ret = -EIO;
cleanup:
	if (in)
		grpc_byte_buffer_destroy(in);
	grpc_byte_buffer_destroy(out);
	grpc_slice_unref(details);
	grpc_metadata_array_destroy(&md_in);
	grpc_metadata_array_destroy(&trailers);
	grpc_call_unref(call);
	return ret;
}
