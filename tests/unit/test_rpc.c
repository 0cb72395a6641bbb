// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the gRPC server's parts that need no gRPC:
 *   - api/evqueue.c: a stream's bounded queue (order, bounds by count and
 *     by bytes, drops counted, shared messages referenced and released);
 *   - api/rpc.c: the method table against the service's descriptor, a
 *     unary call run from request bytes to response bytes, status codes
 *     from handler errors, and status messages cut to fit a trailer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evqueue.h"
#include "rpc.h"

/* --- evqueue ------------------------------------------------------------------ */

static struct vigil_evmsg *msg_of(const char *node)
{
	Tetragon__GetVersionResponse r = TETRAGON__GET_VERSION_RESPONSE__INIT;

	r.version = (char *)node;
	return vigil_evmsg_pack(&r.base);
}

static void test_queue_fifo_and_refs(void **state)
{
	struct vigil_evqueue q;
	struct vigil_evmsg *a = msg_of("a"), *b = msg_of("bb"), *m;

	(void)state;
	assert_int_equal(vigil_evqueue_init(&q, 4, 0), 0);
	assert_int_equal(vigil_evqueue_push(&q, a), 0);
	assert_int_equal(vigil_evqueue_push(&q, b), 0);
	assert_int_equal(vigil_evqueue_push(&q, a), 0);
	/* the queue holds a reference per entry */
	assert_int_equal(atomic_load(&a->refs), 3);
	assert_int_equal(q.n, 3);
	assert_int_equal(q.bytes, 2 * a->len + b->len);
	m = vigil_evqueue_pop(&q);
	assert_ptr_equal(m, a);
	vigil_evmsg_put(m);
	m = vigil_evqueue_pop(&q);
	assert_ptr_equal(m, b);
	vigil_evmsg_put(m);
	assert_int_equal(q.queued, 3);
	assert_int_equal(q.dropped, 0);
	/* what is left is released with the queue */
	vigil_evqueue_free(&q);
	assert_int_equal(atomic_load(&a->refs), 1);
	assert_int_equal(atomic_load(&b->refs), 1);
	vigil_evmsg_put(a);
	vigil_evmsg_put(b);
}

static void test_queue_full_by_count_drops_and_counts(void **state)
{
	struct vigil_evqueue q;
	struct vigil_evmsg *a = msg_of("a"), *m;
	int i;

	(void)state;
	assert_int_equal(vigil_evqueue_init(&q, 3, 0), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(vigil_evqueue_push(&q, a), 0);
	assert_int_equal(vigil_evqueue_push(&q, a), -ENOBUFS);
	assert_int_equal(vigil_evqueue_push(&q, a), -ENOBUFS);
	assert_int_equal(q.dropped, 2);
	assert_int_equal(q.unreported, 2);
	assert_int_equal(q.n, 3);
	/* a dropped event takes no reference */
	assert_int_equal(atomic_load(&a->refs), 4);
	/* room again after a pop, around the ring's end */
	m = vigil_evqueue_pop(&q);
	vigil_evmsg_put(m);
	assert_int_equal(vigil_evqueue_push(&q, a), 0);
	assert_int_equal(q.n, 3);
	for (i = 0; i < 3; i++) {
		m = vigil_evqueue_pop(&q);
		assert_non_null(m);
		vigil_evmsg_put(m);
	}
	assert_null(vigil_evqueue_pop(&q));
	assert_int_equal(q.bytes, 0);
	vigil_evqueue_free(&q);
	vigil_evmsg_put(a);
}

static void test_queue_full_by_bytes(void **state)
{
	struct vigil_evqueue q;
	struct vigil_evmsg *small = msg_of("x"), *big;
	char text[200];

	(void)state;
	memset(text, 'y', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	big = msg_of(text);
	assert_int_equal(vigil_evqueue_init(&q, 100, 250), 0);
	assert_int_equal(vigil_evqueue_push(&q, big), 0);
	assert_int_equal(vigil_evqueue_push(&q, big), -ENOBUFS);
	/* a smaller event still fits */
	assert_int_equal(vigil_evqueue_push(&q, small), 0);
	assert_int_equal(q.dropped, 1);
	assert_true(vigil_evqueue_fits(&q, 1, small->len));
	assert_false(vigil_evqueue_fits(&q, 1, big->len));
	vigil_evqueue_free(&q);
	vigil_evmsg_put(small);
	vigil_evmsg_put(big);
}

static void test_queue_defaults(void **state)
{
	struct vigil_evqueue q;

	(void)state;
	assert_int_equal(vigil_evqueue_init(&q, 0, 0), 0);
	assert_int_equal(q.max_msgs, VIGIL_EVQUEUE_MSGS);
	assert_int_equal(q.max_bytes, VIGIL_EVQUEUE_BYTES);
	vigil_evqueue_free(&q);
}

/* --- rpc ----------------------------------------------------------------------- */

static void test_methods_are_the_services(void **state)
{
	const ProtobufCServiceDescriptor *svc = &tetragon__fine_guidance_sensors__descriptor;
	unsigned i, j;

	(void)state;
	assert_string_equal(svc->name, "tetragon.FineGuidanceSensors");
	for (i = 0; i < VIGIL_RPC_COUNT; i++) {
		char path[128];
		bool found = false;

		snprintf(path, sizeof(path), "/%s/%s", svc->name, vigil_rpcs[i].name);
		assert_string_equal(vigil_rpcs[i].path, path);
		for (j = 0; j < svc->n_methods; j++) {
			if (strcmp(svc->methods[j].name, vigil_rpcs[i].name))
				continue;
			found = true;
			assert_ptr_equal(svc->methods[j].input, vigil_rpcs[i].req);
			assert_ptr_equal(svc->methods[j].output, vigil_rpcs[i].resp);
		}
		assert_true(found);
	}
	/* every method of the .proto is served */
	assert_int_equal(svc->n_methods, VIGIL_RPC_COUNT);
	assert_true(vigil_rpcs[VIGIL_RPC_GET_EVENTS].streaming);
	assert_false(vigil_rpcs[VIGIL_RPC_GET_VERSION].streaming);
}

struct fake {
	int calls;
	int ret;
	char name[64];
};

static int fake_delete(void *ctx, struct vigil_rpc_ctx *rc,
		       const Tetragon__DeleteTracingPolicyRequest *req,
		       Tetragon__DeleteTracingPolicyResponse *resp)
{
	struct fake *f = ctx;

	(void)resp;
	f->calls++;
	snprintf(f->name, sizeof(f->name), "%s", req->name);
	if (f->ret)
		snprintf(rc->err, rc->errsz, "tracing policy %s is not loaded", req->name);
	return f->ret;
}

static int fake_version(void *ctx, struct vigil_rpc_ctx *rc, const Tetragon__GetVersionRequest *req,
			Tetragon__GetVersionResponse *resp)
{
	struct fake *f = ctx;

	(void)req;
	f->calls++;
	resp->version = vigil_arena_strdup(rc->arena, "9.9.9");
	return 0;
}

static int fake_health(void *ctx, struct vigil_rpc_ctx *rc,
		       const Tetragon__GetHealthStatusRequest *req,
		       Tetragon__GetHealthStatusResponse *resp)
{
	(void)ctx;
	(void)req;
	(void)resp;
	/* the stats reach the handler; an error without a message */
	return rc->stats && rc->stats->streams == 7 ? -EIO : -EINVAL;
}

static struct vigil_api_ops fake_ops(struct fake *f)
{
	return (struct vigil_api_ops){
		.ctx = f,
		.delete_tracing_policy = fake_delete,
		.get_version = fake_version,
		.get_health = fake_health,
	};
}

static void test_unary_success(void **state)
{
	Tetragon__GetVersionRequest req = TETRAGON__GET_VERSION_REQUEST__INIT;
	Tetragon__GetVersionResponse *resp;
	struct fake f = { 0 };
	struct vigil_api_ops ops = fake_ops(&f);
	struct vigil_rpc_result r;
	uint8_t buf[16];
	size_t len = tetragon__get_version_request__pack(&req, buf);

	(void)state;
	vigil_rpc_run(&ops, VIGIL_RPC_GET_VERSION, buf, len, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	assert_string_equal(r.msg, "");
	assert_int_equal(f.calls, 1);
	resp = tetragon__get_version_response__unpack(NULL, r.resp_len, r.resp);
	assert_non_null(resp);
	assert_string_equal(resp->version, "9.9.9");
	tetragon__get_version_response__free_unpacked(resp, NULL);
	vigil_rpc_result_free(&r);
}

static void test_unary_handler_error_is_its_status(void **state)
{
	Tetragon__DeleteTracingPolicyRequest req = TETRAGON__DELETE_TRACING_POLICY_REQUEST__INIT;
	struct fake f = { .ret = -ENOENT };
	struct vigil_api_ops ops = fake_ops(&f);
	struct vigil_rpc_result r;
	uint8_t buf[64];
	size_t len;

	(void)state;
	req.name = (char *)"p1";
	len = tetragon__delete_tracing_policy_request__pack(&req, buf);
	vigil_rpc_run(&ops, VIGIL_RPC_DELETE_TRACING_POLICY, buf, len, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_NOT_FOUND);
	assert_string_equal(r.msg, "tracing policy p1 is not loaded");
	assert_string_equal(f.name, "p1");
	assert_null(r.resp);
	vigil_rpc_result_free(&r);
}

static void test_unary_error_without_message(void **state)
{
	struct fake f = { 0 };
	struct vigil_api_ops ops = fake_ops(&f);
	struct vigil_server_stats st = { .streams = 7 };
	struct vigil_rpc_result r;

	(void)state;
	/* an empty request is a valid one (every field default) */
	vigil_rpc_run(&ops, VIGIL_RPC_GET_HEALTH, (const uint8_t *)"", 0, &st, &r);
	assert_int_equal(r.status, VIGIL_STATUS_INTERNAL);
	assert_string_equal(r.msg, "GetHealth: Input/output error");
	vigil_rpc_result_free(&r);
}

static void test_malformed_request(void **state)
{
	static const uint8_t junk[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 'x' };
	struct fake f = { 0 };
	struct vigil_api_ops ops = fake_ops(&f);
	struct vigil_rpc_result r;

	(void)state;
	vigil_rpc_run(&ops, VIGIL_RPC_DELETE_TRACING_POLICY, junk, sizeof(junk), NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_INVALID_ARGUMENT);
	assert_string_equal(r.msg, "DeleteTracingPolicy: the request is not a valid "
				   "tetragon.DeleteTracingPolicyRequest message");
	assert_int_equal(f.calls, 0);
	vigil_rpc_result_free(&r);
}

static void test_unimplemented(void **state)
{
	struct fake f = { 0 };
	struct vigil_api_ops ops = fake_ops(&f);
	struct vigil_rpc_result r;

	(void)state;
	vigil_rpc_run(&ops, VIGIL_RPC_GET_INFO, NULL, 0, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_UNIMPLEMENTED);
	assert_string_equal(r.msg, "GetInfo is not implemented by vigild");
	vigil_rpc_result_free(&r);
	/* the streaming method is not a unary one */
	vigil_rpc_run(&ops, VIGIL_RPC_GET_EVENTS, NULL, 0, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_UNIMPLEMENTED);
	vigil_rpc_result_free(&r);
	vigil_rpc_run(&ops, VIGIL_RPC_COUNT, NULL, 0, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_UNIMPLEMENTED);
	vigil_rpc_result_free(&r);
}

static void test_status_of_errno(void **state)
{
	(void)state;
	assert_int_equal(vigil_rpc_status(0), VIGIL_STATUS_OK);
	assert_int_equal(vigil_rpc_status(-EINVAL), VIGIL_STATUS_INVALID_ARGUMENT);
	assert_int_equal(vigil_rpc_status(-ENOENT), VIGIL_STATUS_NOT_FOUND);
	assert_int_equal(vigil_rpc_status(-EEXIST), VIGIL_STATUS_ALREADY_EXISTS);
	assert_int_equal(vigil_rpc_status(-EFBIG), VIGIL_STATUS_RESOURCE_EXHAUSTED);
	assert_int_equal(vigil_rpc_status(-ENOSPC), VIGIL_STATUS_RESOURCE_EXHAUSTED);
	assert_int_equal(vigil_rpc_status(-EPERM), VIGIL_STATUS_PERMISSION_DENIED);
	assert_int_equal(vigil_rpc_status(-EOPNOTSUPP), VIGIL_STATUS_FAILED_PRECONDITION);
	assert_int_equal(vigil_rpc_status(-ENOSYS), VIGIL_STATUS_UNIMPLEMENTED);
	assert_int_equal(vigil_rpc_status(-EIO), VIGIL_STATUS_INTERNAL);
	assert_string_equal(vigil_status_name(VIGIL_STATUS_UNAVAILABLE), "UNAVAILABLE");
	assert_string_equal(vigil_status_name(99), "UNKNOWN");
	assert_string_equal(vigil_status_name(-1), "UNKNOWN");
}

static void test_long_message_cut_at_a_line(void **state)
{
	struct vigil_rpc_result *r = calloc(1, sizeof(*r));
	char *text = malloc(20000);
	size_t o = 0;
	int i;

	(void)state;
	for (i = 0; i < 400; i++)
		o += (size_t)sprintf(text + o, "%s<grpc>:%d:1: spec: message %d", i ? "\n" : "", i,
				     i);
	vigil_rpc_set_msg(r, text);
	assert_true(strlen(r->msg) <= VIGIL_RPC_MSG_MAX);
	/* whole lines, then how many were left out */
	assert_non_null(strstr(r->msg, "<grpc>:0:1: spec: message 0\n"));
	assert_non_null(strstr(r->msg, " more lines)"));
	assert_null(strstr(r->msg, "message 399"));
	assert_int_equal(strncmp(strrchr(r->msg, '\n'), "\n(", 2), 0);
	/* a short one is kept whole */
	vigil_rpc_set_msg(r, "short");
	assert_string_equal(r->msg, "short");
	/* one long line: cut at a character, never inside one */
	memset(text, 0, 20000);
	for (o = 0; o < 6000; o += 2)
		memcpy(text + o, "\xc3\xa9", 2);
	vigil_rpc_set_msg(r, text);
	assert_true(strlen(r->msg) <= VIGIL_RPC_MSG_MAX);
	assert_non_null(strstr(r->msg, "... ("));
	assert_int_equal((strstr(r->msg, "... (") - r->msg) % 2, 0);
	free(text);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_fifo_and_refs),
		cmocka_unit_test(test_queue_full_by_count_drops_and_counts),
		cmocka_unit_test(test_queue_full_by_bytes),
		cmocka_unit_test(test_queue_defaults),
		cmocka_unit_test(test_methods_are_the_services),
		cmocka_unit_test(test_unary_success),
		cmocka_unit_test(test_unary_handler_error_is_its_status),
		cmocka_unit_test(test_unary_error_without_message),
		cmocka_unit_test(test_malformed_request),
		cmocka_unit_test(test_unimplemented),
		cmocka_unit_test(test_status_of_errno),
		cmocka_unit_test(test_long_message_cut_at_a_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
