/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpc.h - the methods of tetragon.FineGuidanceSensors that vigild serves,
 * and the unary ones run apart from gRPC: request bytes in, handler,
 * response bytes and a status out.
 *
 * The agent implements the handlers (struct vigil_api_ops); the server
 * (server.h) calls vigil_rpc_run() on the agent's thread and sends what
 * it returns.  Handlers return 0 or a negative errno and say what went
 * wrong in rc->err; the errno picks the gRPC status (vigil_rpc_status()).
 */
#ifndef VIGIL_RPC_H
#define VIGIL_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "tetragon/sensors.pb-c.h"
#include "tetragon/tetragon.pb-c.h"

enum vigil_rpc_method {
	VIGIL_RPC_GET_EVENTS = 0, /* server streaming: served by the server itself */
	VIGIL_RPC_GET_HEALTH,
	VIGIL_RPC_ADD_TRACING_POLICY,
	VIGIL_RPC_DELETE_TRACING_POLICY,
	VIGIL_RPC_LIST_TRACING_POLICIES,
	VIGIL_RPC_CONFIGURE_TRACING_POLICY,
	VIGIL_RPC_ENABLE_TRACING_POLICY,
	VIGIL_RPC_DISABLE_TRACING_POLICY,
	VIGIL_RPC_GET_VERSION,
	VIGIL_RPC_GET_INFO,
	VIGIL_RPC_COUNT,
};

struct vigil_rpc_desc {
	const char *path; /* "/tetragon.FineGuidanceSensors/GetEvents" */
	const char *name; /* "GetEvents" */
	const ProtobufCMessageDescriptor *req, *resp;
	bool streaming;
};

extern const struct vigil_rpc_desc vigil_rpcs[VIGIL_RPC_COUNT];

/* gRPC status codes (the protocol's numbers). */
enum vigil_status {
	VIGIL_STATUS_OK = 0,
	VIGIL_STATUS_CANCELLED = 1,
	VIGIL_STATUS_UNKNOWN = 2,
	VIGIL_STATUS_INVALID_ARGUMENT = 3,
	VIGIL_STATUS_DEADLINE_EXCEEDED = 4,
	VIGIL_STATUS_NOT_FOUND = 5,
	VIGIL_STATUS_ALREADY_EXISTS = 6,
	VIGIL_STATUS_PERMISSION_DENIED = 7,
	VIGIL_STATUS_RESOURCE_EXHAUSTED = 8,
	VIGIL_STATUS_FAILED_PRECONDITION = 9,
	VIGIL_STATUS_ABORTED = 10,
	VIGIL_STATUS_OUT_OF_RANGE = 11,
	VIGIL_STATUS_UNIMPLEMENTED = 12,
	VIGIL_STATUS_INTERNAL = 13,
	VIGIL_STATUS_UNAVAILABLE = 14,
	VIGIL_STATUS_DATA_LOSS = 15,
	VIGIL_STATUS_UNAUTHENTICATED = 16,
};

/* "INVALID_ARGUMENT" for 3, "UNKNOWN" for what gRPC does not define. */
const char *vigil_status_name(int status);

/* The status a handler's -errno stands for (0 is OK). */
int vigil_rpc_status(int err);

/* What the server counts, for GetHealth. */
struct vigil_server_stats {
	uint32_t streams;	 /* GetEvents streams open */
	uint64_t streams_total;	 /* opened since start */
	uint64_t events_queued;	 /* messages queued for streams */
	uint64_t events_dropped; /* events streams lost to a full queue */
	uint64_t unary_calls;	 /* unary calls run */
};

/* What a handler has besides its request and response. */
struct vigil_rpc_ctx {
	struct vigil_arena *arena; /* the response's parts: freed after it is sent */
	const struct vigil_server_stats *stats;
	char *err; /* the status message when the handler fails */
	size_t errsz;
};

#define VIGIL_RPC_HANDLER(fn, Req, Resp) \
	int (*fn)(void *ctx, struct vigil_rpc_ctx *rc, const Req *req, Resp *resp)

/* The agent's handlers; a NULL one answers UNIMPLEMENTED. */
struct vigil_api_ops {
	void *ctx;
	VIGIL_RPC_HANDLER(get_health, Tetragon__GetHealthStatusRequest,
			  Tetragon__GetHealthStatusResponse);
	VIGIL_RPC_HANDLER(add_tracing_policy, Tetragon__AddTracingPolicyRequest,
			  Tetragon__AddTracingPolicyResponse);
	VIGIL_RPC_HANDLER(delete_tracing_policy, Tetragon__DeleteTracingPolicyRequest,
			  Tetragon__DeleteTracingPolicyResponse);
	VIGIL_RPC_HANDLER(list_tracing_policies, Tetragon__ListTracingPoliciesRequest,
			  Tetragon__ListTracingPoliciesResponse);
	VIGIL_RPC_HANDLER(configure_tracing_policy, Tetragon__ConfigureTracingPolicyRequest,
			  Tetragon__ConfigureTracingPolicyResponse);
	VIGIL_RPC_HANDLER(enable_tracing_policy, Tetragon__EnableTracingPolicyRequest,
			  Tetragon__EnableTracingPolicyResponse);
	VIGIL_RPC_HANDLER(disable_tracing_policy, Tetragon__DisableTracingPolicyRequest,
			  Tetragon__DisableTracingPolicyResponse);
	VIGIL_RPC_HANDLER(get_version, Tetragon__GetVersionRequest, Tetragon__GetVersionResponse);
	VIGIL_RPC_HANDLER(get_info, Tetragon__GetInfoRequest, Tetragon__GetInfoResponse);
};

/* The most of a status message that is sent: it travels in an HTTP/2
 * trailer, which clients cap (8 KiB by default, percent-encoded). */
#define VIGIL_RPC_MSG_MAX 3072

struct vigil_rpc_result {
	int status;			 /* enum vigil_status */
	char msg[VIGIL_RPC_MSG_MAX + 1]; /* the status message ("" for OK) */
	uint8_t *resp;			 /* the packed response (malloc'd), status OK only */
	size_t resp_len;
};

/*
 * Run unary method m on the request bytes req[0..len): unpack (a request
 * that is not the method's message is INVALID_ARGUMENT), call the handler,
 * pack its response.  Always fills out; free it with
 * vigil_rpc_result_free().  A streaming or unknown m is UNIMPLEMENTED.
 */
void vigil_rpc_run(const struct vigil_api_ops *ops, enum vigil_rpc_method m, const uint8_t *req,
		   size_t len, const struct vigil_server_stats *stats,
		   struct vigil_rpc_result *out);

void vigil_rpc_result_free(struct vigil_rpc_result *r);

/* A status message of at most VIGIL_RPC_MSG_MAX bytes from text: a longer
 * text is cut at a line (or character) boundary and says how much was
 * left out. */
void vigil_rpc_set_msg(struct vigil_rpc_result *r, const char *text);

#endif
