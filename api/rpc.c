// SPDX-License-Identifier: Apache-2.0
/*
 * rpc.c - the method table of tetragon.FineGuidanceSensors and the run of
 * one unary call, apart from gRPC (rpc.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc.h"

#define SVC "/tetragon.FineGuidanceSensors/"

const struct vigil_rpc_desc vigil_rpcs[VIGIL_RPC_COUNT] = {
	[VIGIL_RPC_GET_EVENTS] = { SVC "GetEvents", "GetEvents",
				   &tetragon__get_events_request__descriptor,
				   &tetragon__get_events_response__descriptor, true },
	[VIGIL_RPC_GET_HEALTH] = { SVC "GetHealth", "GetHealth",
				   &tetragon__get_health_status_request__descriptor,
				   &tetragon__get_health_status_response__descriptor, false },
	[VIGIL_RPC_ADD_TRACING_POLICY] = { SVC "AddTracingPolicy", "AddTracingPolicy",
					   &tetragon__add_tracing_policy_request__descriptor,
					   &tetragon__add_tracing_policy_response__descriptor,
					   false },
	[VIGIL_RPC_DELETE_TRACING_POLICY] = { SVC "DeleteTracingPolicy", "DeleteTracingPolicy",
					      &tetragon__delete_tracing_policy_request__descriptor,
					      &tetragon__delete_tracing_policy_response__descriptor,
					      false },
	[VIGIL_RPC_LIST_TRACING_POLICIES] = { SVC "ListTracingPolicies", "ListTracingPolicies",
					      &tetragon__list_tracing_policies_request__descriptor,
					      &tetragon__list_tracing_policies_response__descriptor,
					      false },
	[VIGIL_RPC_CONFIGURE_TRACING_POLICY] = { SVC "ConfigureTracingPolicy",
						 "ConfigureTracingPolicy",
						 &tetragon__configure_tracing_policy_request__descriptor,
						 &tetragon__configure_tracing_policy_response__descriptor,
						 false },
	[VIGIL_RPC_ENABLE_TRACING_POLICY] = { SVC "EnableTracingPolicy", "EnableTracingPolicy",
					      &tetragon__enable_tracing_policy_request__descriptor,
					      &tetragon__enable_tracing_policy_response__descriptor,
					      false },
	[VIGIL_RPC_DISABLE_TRACING_POLICY] = { SVC "DisableTracingPolicy", "DisableTracingPolicy",
					       &tetragon__disable_tracing_policy_request__descriptor,
					       &tetragon__disable_tracing_policy_response__descriptor,
					       false },
	[VIGIL_RPC_GET_VERSION] = { SVC "GetVersion", "GetVersion",
				    &tetragon__get_version_request__descriptor,
				    &tetragon__get_version_response__descriptor, false },
	[VIGIL_RPC_GET_INFO] = { SVC "GetInfo", "GetInfo", &tetragon__get_info_request__descriptor,
				 &tetragon__get_info_response__descriptor, false },
};

static const char *const status_names[] = {
	"OK",
	"CANCELLED",
	"UNKNOWN",
	"INVALID_ARGUMENT",
	"DEADLINE_EXCEEDED",
	"NOT_FOUND",
	"ALREADY_EXISTS",
	"PERMISSION_DENIED",
	"RESOURCE_EXHAUSTED",
	"FAILED_PRECONDITION",
	"ABORTED",
	"OUT_OF_RANGE",
	"UNIMPLEMENTED",
	"INTERNAL",
	"UNAVAILABLE",
	"DATA_LOSS",
	"UNAUTHENTICATED",
};

const char *vigil_status_name(int status)
{
	if (status < 0 || (size_t)status >= sizeof(status_names) / sizeof(status_names[0]))
		return "UNKNOWN";
	return status_names[status];
}

int vigil_rpc_status(int err)
{
	switch (err) {
	case 0:
		return VIGIL_STATUS_OK;
	case -EINVAL:
	case -EBADMSG:
		return VIGIL_STATUS_INVALID_ARGUMENT;
	case -ENOENT:
		return VIGIL_STATUS_NOT_FOUND;
	case -EEXIST:
		return VIGIL_STATUS_ALREADY_EXISTS;
	case -EPERM:
	case -EACCES:
		return VIGIL_STATUS_PERMISSION_DENIED;
	case -ENOSPC:
	case -ENOMEM:
	case -EFBIG:
	case -E2BIG:
	case -EMFILE:
		return VIGIL_STATUS_RESOURCE_EXHAUSTED;
	case -EOPNOTSUPP:
		return VIGIL_STATUS_FAILED_PRECONDITION;
	case -ENOSYS:
		return VIGIL_STATUS_UNIMPLEMENTED;
	case -EAGAIN:
	case -ESHUTDOWN:
		return VIGIL_STATUS_UNAVAILABLE;
	case -ETIMEDOUT:
		return VIGIL_STATUS_DEADLINE_EXCEEDED;
	default:
		return VIGIL_STATUS_INTERNAL;
	}
}

void vigil_rpc_set_msg(struct vigil_rpc_result *r, const char *text)
{
	size_t len = strlen(text), keep, lines = 0, i;
	char tail[64];

	if (len <= VIGIL_RPC_MSG_MAX) {
		memcpy(r->msg, text, len + 1);
		return;
	}
	/* Room for the note at the end; cut at the last whole line that
	 * fits, else at a character boundary. */
	keep = VIGIL_RPC_MSG_MAX - sizeof(tail);
	for (i = keep; i > keep / 2 && text[i] != '\n'; i--)
		;
	if (text[i] == '\n')
		keep = i;
	else
		while (keep && ((unsigned char)text[keep] & 0xc0) == 0x80)
			keep--;
	for (i = keep; i < len; i++)
		lines += text[i] == '\n';
	if (text[keep] == '\n')
		snprintf(tail, sizeof(tail), "\n(%zu more line%s)", lines, lines == 1 ? "" : "s");
	else
		snprintf(tail, sizeof(tail), "... (%zu more bytes)", len - keep);
	memcpy(r->msg, text, keep);
	snprintf(r->msg + keep, sizeof(r->msg) - keep, "%s", tail);
}

static void fail(struct vigil_rpc_result *r, int status, const char *fmt, const char *name)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, name);
	r->status = status;
	vigil_rpc_set_msg(r, msg);
}

/* Call the handler of m with the typed request and response. */
static int call(const struct vigil_api_ops *ops, enum vigil_rpc_method m, struct vigil_rpc_ctx *rc,
		const void *req, void *resp)
{
#define CASE(M, fn, Req, Resp) \
	case M:                \
		return ops->fn ? ops->fn(ops->ctx, rc, (const Req *)req, (Resp *)resp) : -ENOSYS
	switch (m) {
		CASE(VIGIL_RPC_GET_HEALTH, get_health, Tetragon__GetHealthStatusRequest,
		     Tetragon__GetHealthStatusResponse);
		CASE(VIGIL_RPC_ADD_TRACING_POLICY, add_tracing_policy,
		     Tetragon__AddTracingPolicyRequest, Tetragon__AddTracingPolicyResponse);
		CASE(VIGIL_RPC_DELETE_TRACING_POLICY, delete_tracing_policy,
		     Tetragon__DeleteTracingPolicyRequest, Tetragon__DeleteTracingPolicyResponse);
		CASE(VIGIL_RPC_LIST_TRACING_POLICIES, list_tracing_policies,
		     Tetragon__ListTracingPoliciesRequest, Tetragon__ListTracingPoliciesResponse);
		CASE(VIGIL_RPC_CONFIGURE_TRACING_POLICY, configure_tracing_policy,
		     Tetragon__ConfigureTracingPolicyRequest,
		     Tetragon__ConfigureTracingPolicyResponse);
		CASE(VIGIL_RPC_ENABLE_TRACING_POLICY, enable_tracing_policy,
		     Tetragon__EnableTracingPolicyRequest, Tetragon__EnableTracingPolicyResponse);
		CASE(VIGIL_RPC_DISABLE_TRACING_POLICY, disable_tracing_policy,
		     Tetragon__DisableTracingPolicyRequest, Tetragon__DisableTracingPolicyResponse);
		CASE(VIGIL_RPC_GET_VERSION, get_version, Tetragon__GetVersionRequest,
		     Tetragon__GetVersionResponse);
		CASE(VIGIL_RPC_GET_INFO, get_info, Tetragon__GetInfoRequest,
		     Tetragon__GetInfoResponse);
	default:
		return -ENOSYS;
	}
#undef CASE
}

void vigil_rpc_run(const struct vigil_api_ops *ops, enum vigil_rpc_method m, const uint8_t *req,
		   size_t len, const struct vigil_server_stats *stats, struct vigil_rpc_result *out)
{
	const struct vigil_rpc_desc *d;
	struct vigil_rpc_ctx rc = { 0 };
	struct vigil_arena a;
	ProtobufCMessage *rq, *rs;
	char *err = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	if ((unsigned)m >= VIGIL_RPC_COUNT || vigil_rpcs[m].streaming) {
		fail(out, VIGIL_STATUS_UNIMPLEMENTED, "%s is not a unary method of vigild",
		     (unsigned)m < VIGIL_RPC_COUNT ? vigil_rpcs[m].name : "this");
		return;
	}
	d = &vigil_rpcs[m];
	vigil_arena_init(&a);
	rq = protobuf_c_message_unpack(d->req, vigil_arena_allocator(&a), len, req);
	if (!rq) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s: the request is not a valid %s message", d->name,
			 d->req->name);
		out->status = VIGIL_STATUS_INVALID_ARGUMENT;
		vigil_rpc_set_msg(out, msg);
		goto cleanup;
	}
	rs = vigil_arena_alloc(&a, d->resp->sizeof_message);
	err = calloc(1, 65536);
	if (!rs || !err) {
		fail(out, VIGIL_STATUS_RESOURCE_EXHAUSTED, "%s: out of memory", d->name);
		goto cleanup;
	}
	d->resp->message_init(rs);
	rc.arena = &a;
	rc.stats = stats;
	rc.err = err;
	rc.errsz = 65536;
	ret = call(ops, m, &rc, rq, rs);
	if (ret == -ENOSYS && !err[0])
		snprintf(err, 65536, "%s is not implemented by vigild", d->name);
	if (ret) {
		out->status = vigil_rpc_status(ret);
		if (!err[0])
			snprintf(err, 65536, "%s: %s", d->name, strerror(-ret));
		vigil_rpc_set_msg(out, err);
		goto cleanup;
	}
	out->resp_len = protobuf_c_message_get_packed_size(rs);
	out->resp = malloc(out->resp_len ? out->resp_len : 1);
	if (!out->resp) {
		fail(out, VIGIL_STATUS_RESOURCE_EXHAUSTED, "%s: out of memory", d->name);
		goto cleanup;
	}
	protobuf_c_message_pack(rs, out->resp);
	out->status = VIGIL_STATUS_OK;
cleanup:
	free(err);
	vigil_arena_free(&a);
}

void vigil_rpc_result_free(struct vigil_rpc_result *r)
{
	free(r->resp);
	r->resp = NULL;
	r->resp_len = 0;
}
