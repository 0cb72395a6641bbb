// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/api_ops.c: vigild's answers to the unary calls,
 * run as the server runs them (vigil_rpc_run(): request bytes in, status
 * and response bytes out) over a fake policy lifecycle that records its
 * calls.  Add's diagnostics come from the real parser, so a broken policy
 * is reported at <grpc>:LINE:COLUMN as vigil policy lint reports it.
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

#include "api_ops.h"
#include "version.h"

#include "google/protobuf/wrappers.pb-c.h"

#define MAXP 8

struct fake {
	struct vigil_policy_info p[MAXP];
	char names[MAXP][64];
	size_t n;
	char calls[16][96];
	size_t ncalls;
	int fail; /* the next add, enable or set_mode fails with it */
};

static struct fake fk;

static void record(const char *fmt, const char *a, const char *b)
{
	assert_true(fk.ncalls < 16);
	snprintf(fk.calls[fk.ncalls++], sizeof(fk.calls[0]), fmt, a, b);
}

static struct vigil_policy_info *fake_find(const char *name)
{
	size_t i;

	for (i = 0; i < fk.n; i++)
		if (!strcmp(fk.p[i].name, name))
			return &fk.p[i];
	return NULL;
}

static void fake_load(const char *name, uint32_t id)
{
	struct vigil_policy_info *p = &fk.p[fk.n];

	snprintf(fk.names[fk.n], sizeof(fk.names[0]), "%s", name);
	memset(p, 0, sizeof(*p));
	p->name = fk.names[fk.n];
	p->file = "/etc/p.yaml";
	p->id = id;
	p->kernel_bytes = 12345;
	fk.n++;
}

static int fake_add(void *ctx, const char *file, const char *text, size_t len, char *errs,
		    size_t errsz)
{
	(void)ctx;
	(void)len;
	record("add %s %s", file, strstr(text, "name: ") ? "text" : "?");
	if (fk.fail) {
		snprintf(errs, errsz, "%s: policy x: load: the kernel said no", file);
		return fk.fail;
	}
	fake_load("new-one", 9);
	return 0;
}

static int fake_del(void *ctx, const char *name)
{
	(void)ctx;
	record("del %s%s", name, "");
	return 0;
}

static int fake_enable(void *ctx, const char *name, bool on)
{
	(void)ctx;
	record("enable %s %s", name, on ? "on" : "off");
	if (fk.fail)
		return fk.fail;
	fake_find(name)->status = on ? VIGIL_POLICY_LOADED_ENABLED : VIGIL_POLICY_LOADED_DISABLED;
	return 0;
}

static int fake_set_mode(void *ctx, const char *name, enum vigil_policy_mode mode)
{
	(void)ctx;
	record("mode %s %s", name, mode == VIGIL_MODE_MONITOR ? "monitor" : "enforce");
	fake_find(name)->mode = mode;
	return 0;
}

static size_t fake_count(const void *ctx)
{
	(void)ctx;
	return fk.n;
}

static int fake_info(const void *ctx, size_t i, struct vigil_policy_info *out)
{
	(void)ctx;
	if (i >= fk.n)
		return -ENOENT;
	*out = fk.p[i];
	return 0;
}

static const struct vigil_api_lifecycle fake_lc = {
	.add = fake_add,
	.del = fake_del,
	.enable = fake_enable,
	.set_mode = fake_set_mode,
	.count = fake_count,
	.info = fake_info,
};

static struct vigil_policy_counts counts[VIGIL_POLICIES_MAX];
static struct vigil_features feats;
static uint64_t events = 1234, lost = 5;
static struct vigil_api_agent agent;
static struct vigil_api_ops ops;

static int setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	memset(counts, 0, sizeof(counts));
	memset(&feats, 0, sizeof(feats));
	snprintf(feats.kernel, sizeof(feats.kernel), "6.1.0-test");
	feats.f[VIGIL_FEAT_BTF].available = true;
	snprintf(feats.f[VIGIL_FEAT_KPROBE].reason, sizeof(feats.f[0].reason),
		 "attach: No such file or directory");
	fake_load("p1", 1);
	fake_load("p2", 2);
	agent = (struct vigil_api_agent){
		.lc = &fake_lc,
		.feats = &feats,
		.counts = counts,
		.node_name = "node1",
		.events = &events,
		.kernel_lost = &lost,
	};
	vigil_api_ops_init(&ops, &agent);
	return 0;
}

/* Run method m on req; the unpacked answer (free it) or NULL, and r. */
static ProtobufCMessage *run(enum vigil_rpc_method m, const ProtobufCMessage *req,
			     const struct vigil_server_stats *st, struct vigil_rpc_result *r)
{
	size_t len = protobuf_c_message_get_packed_size(req);
	uint8_t *buf = malloc(len + 1);
	ProtobufCMessage *resp = NULL;

	protobuf_c_message_pack(req, buf);
	vigil_rpc_run(&ops, m, buf, len, st, r);
	free(buf);
	if (r->status == VIGIL_STATUS_OK) {
		resp = protobuf_c_message_unpack(vigil_rpcs[m].resp, NULL, r->resp_len, r->resp);
		assert_non_null(resp);
	}
	vigil_rpc_result_free(r);
	return resp;
}

static void test_add_bad_policy_names_line_and_column(void **state)
{
	Tetragon__AddTracingPolicyRequest req = TETRAGON__ADD_TRACING_POLICY_REQUEST__INIT;
	struct vigil_rpc_result r;

	(void)state;
	req.yaml = (char *)"apiVersion: cilium.io/v1alpha1\n"
			   "kind: TracingPolicy\n"
			   "metadata:\n"
			   "  name: \"bad\"\n"
			   "spec:\n"
			   "  kprobes:\n"
			   "  - call: \"security_bprm_check\"\n"
			   "    args:\n"
			   "    - index: 0\n"
			   "      type: \"linux_binprm\"\n"
			   "      typo: 1\n";
	assert_null(run(VIGIL_RPC_ADD_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_INVALID_ARGUMENT);
	assert_non_null(strstr(r.msg, "<grpc>:11:7: spec.kprobes[0].args[0]: unknown field "
				      "\"typo\""));
	/* nothing reached the lifecycle */
	assert_int_equal(fk.ncalls, 0);
}

static void test_add_existing_name_refused(void **state)
{
	Tetragon__AddTracingPolicyRequest req = TETRAGON__ADD_TRACING_POLICY_REQUEST__INIT;
	struct vigil_rpc_result r;

	(void)state;
	req.yaml = (char *)"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"
			   "metadata:\n  name: p1\nspec:\n  kprobes: []\n";
	assert_null(run(VIGIL_RPC_ADD_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_ALREADY_EXISTS);
	assert_string_equal(r.msg, "tracing policy \"p1\" is loaded already (from /etc/p.yaml); "
				   "delete it first");
	assert_int_equal(fk.ncalls, 0);
}

static void test_add_goes_to_the_lifecycle(void **state)
{
	Tetragon__AddTracingPolicyRequest req = TETRAGON__ADD_TRACING_POLICY_REQUEST__INIT;
	struct vigil_rpc_result r;
	ProtobufCMessage *resp;

	(void)state;
	req.yaml = (char *)"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"
			   "metadata:\n  name: new-one\nspec:\n  kprobes: []\n";
	resp = run(VIGIL_RPC_ADD_TRACING_POLICY, &req.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	assert_int_equal(fk.ncalls, 1);
	assert_string_equal(fk.calls[0], "add <grpc> text");
	/* a load failure comes back as the lifecycle said it */
	fk.fail = -EPERM;
	req.yaml = (char *)"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"
			   "metadata:\n  name: other\nspec:\n  kprobes: []\n";
	assert_null(run(VIGIL_RPC_ADD_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_PERMISSION_DENIED);
	assert_string_equal(r.msg, "<grpc>: policy x: load: the kernel said no");
}

static void test_add_too_large(void **state)
{
	Tetragon__AddTracingPolicyRequest req = TETRAGON__ADD_TRACING_POLICY_REQUEST__INIT;
	struct vigil_rpc_result r;
	size_t n = 10u << 20;

	(void)state;
	req.yaml = malloc(n + 1);
	memset(req.yaml, '#', n);
	req.yaml[n] = 0;
	assert_null(run(VIGIL_RPC_ADD_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_RESOURCE_EXHAUSTED);
	assert_string_equal(r.msg, "<grpc>: the policy is 10485760 bytes; at most 4194304 are "
				   "accepted");
	assert_int_equal(fk.ncalls, 0);
	free(req.yaml);
}

static void test_delete_enable_disable(void **state)
{
	Tetragon__DeleteTracingPolicyRequest del = TETRAGON__DELETE_TRACING_POLICY_REQUEST__INIT;
	Tetragon__EnableTracingPolicyRequest en = TETRAGON__ENABLE_TRACING_POLICY_REQUEST__INIT;
	Tetragon__DisableTracingPolicyRequest dis = TETRAGON__DISABLE_TRACING_POLICY_REQUEST__INIT;
	struct vigil_rpc_result r;
	ProtobufCMessage *resp;

	(void)state;
	del.name = (char *)"nope\x1b[2J";
	assert_null(run(VIGIL_RPC_DELETE_TRACING_POLICY, &del.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_NOT_FOUND);
	/* the name comes back quoted and escaped */
	assert_string_equal(r.msg, "tracing policy \"nope\\x1b[2J\" is not loaded");
	del.name = (char *)"";
	assert_null(run(VIGIL_RPC_DELETE_TRACING_POLICY, &del.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_INVALID_ARGUMENT);
	assert_string_equal(r.msg, "DeleteTracingPolicy: the request names no policy");
	del.name = (char *)"p2";
	resp = run(VIGIL_RPC_DELETE_TRACING_POLICY, &del.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	dis.name = (char *)"p1";
	resp = run(VIGIL_RPC_DISABLE_TRACING_POLICY, &dis.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	en.name = (char *)"p1";
	resp = run(VIGIL_RPC_ENABLE_TRACING_POLICY, &en.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	assert_int_equal(fk.ncalls, 3);
	assert_string_equal(fk.calls[0], "del p2");
	assert_string_equal(fk.calls[1], "enable p1 off");
	assert_string_equal(fk.calls[2], "enable p1 on");
	en.name = (char *)"zz";
	assert_null(run(VIGIL_RPC_ENABLE_TRACING_POLICY, &en.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_NOT_FOUND);
}

static void test_configure(void **state)
{
	Tetragon__ConfigureTracingPolicyRequest req =
		TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST__INIT;
	struct vigil_rpc_result r;
	ProtobufCMessage *resp;

	(void)state;
	req.name = (char *)"p1";
	/* an enum value the proto does not name */
	req._mode_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___MODE_MODE;
	req.mode = 99;
	assert_null(run(VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_INVALID_ARGUMENT);
	assert_string_equal(r.msg, "ConfigureTracingPolicy: mode 99 is not a TracingPolicyMode");
	req.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR_ONLY;
	assert_null(run(VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_INVALID_ARGUMENT);
	assert_non_null(strstr(r.msg, "TP_MODE_MONITOR_ONLY cannot be set"));
	assert_int_equal(fk.ncalls, 0);
	/* switched off before the mode changes */
	req.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR;
	req._enable_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___ENABLE_ENABLE;
	req.enable = false;
	resp = run(VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	assert_int_equal(fk.ncalls, 2);
	assert_string_equal(fk.calls[0], "enable p1 off");
	assert_string_equal(fk.calls[1], "mode p1 monitor");
	/* switched on after it */
	req.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE;
	req.enable = true;
	resp = run(VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	assert_int_equal(fk.ncalls, 4);
	assert_string_equal(fk.calls[2], "mode p1 enforce");
	assert_string_equal(fk.calls[3], "enable p1 on");
	/* only what is set changes */
	req._mode_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___MODE__NOT_SET;
	req._enable_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___ENABLE__NOT_SET;
	resp = run(VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	protobuf_c_message_free_unpacked(resp, NULL);
	assert_int_equal(fk.ncalls, 4);
	req.name = (char *)"zz";
	assert_null(run(VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, NULL, &r));
	assert_int_equal(r.status, VIGIL_STATUS_NOT_FOUND);
}

static void test_list(void **state)
{
	Tetragon__ListTracingPoliciesRequest req = TETRAGON__LIST_TRACING_POLICIES_REQUEST__INIT;
	Tetragon__ListTracingPoliciesResponse *resp;
	const Tetragon__TracingPolicyStatus *s;
	struct vigil_rpc_result r;

	(void)state;
	fk.p[1].status = VIGIL_POLICY_LOADED_DISABLED;
	fk.p[1].mode = VIGIL_MODE_MONITOR;
	counts[1] = (struct vigil_policy_counts){
		.owner = fk.p[0].name, .post = 3, .signal = 2, .monitor_override = 1
	};
	/* counts of an earlier policy in p2's slot are not p2's */
	counts[2] = (struct vigil_policy_counts){ .owner = "gone", .post = 7 };
	resp = (Tetragon__ListTracingPoliciesResponse *)run(VIGIL_RPC_LIST_TRACING_POLICIES,
							    &req.base, NULL, &r);
	assert_int_equal(r.status, VIGIL_STATUS_OK);
	assert_int_equal(resp->n_policies, 2);
	s = resp->policies[0];
	assert_int_equal(s->id, 1);
	assert_string_equal(s->name, "p1");
	assert_int_equal(s->state, TETRAGON__TRACING_POLICY_STATE__TP_STATE_ENABLED);
	assert_true(s->enabled);
	assert_int_equal(s->mode, TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE);
	assert_int_equal(s->kernel_memory_bytes, 12345);
	assert_non_null(s->stats);
	assert_int_equal(s->stats->action_counters->post, 3);
	assert_int_equal(s->stats->action_counters->signal, 2);
	assert_int_equal(s->stats->action_counters->monitor_override, 1);
	s = resp->policies[1];
	assert_int_equal(s->state, TETRAGON__TRACING_POLICY_STATE__TP_STATE_DISABLED);
	assert_false(s->enabled);
	assert_int_equal(s->mode, TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR);
	assert_int_equal(s->stats->action_counters->post, 0);
	tetragon__list_tracing_policies_response__free_unpacked(resp, NULL);
	/* no policy: an empty list */
	fk.n = 0;
	resp = (Tetragon__ListTracingPoliciesResponse *)run(VIGIL_RPC_LIST_TRACING_POLICIES,
							    &req.base, NULL, &r);
	assert_int_equal(resp->n_policies, 0);
	tetragon__list_tracing_policies_response__free_unpacked(resp, NULL);
}

static void test_health_version_info(void **state)
{
	Tetragon__GetHealthStatusRequest hreq = TETRAGON__GET_HEALTH_STATUS_REQUEST__INIT;
	Tetragon__GetVersionRequest vreq = TETRAGON__GET_VERSION_REQUEST__INIT;
	Tetragon__GetInfoRequest ireq = TETRAGON__GET_INFO_REQUEST__INIT;
	struct vigil_server_stats st = { .streams = 3, .events_dropped = 17 };
	Tetragon__GetHealthStatusResponse *h;
	Tetragon__GetVersionResponse *v;
	Tetragon__GetInfoResponse *info;
	struct vigil_rpc_result r;
	bool kprobe_reason = false;
	size_t i;

	(void)state;
	h = (Tetragon__GetHealthStatusResponse *)run(VIGIL_RPC_GET_HEALTH, &hreq.base, &st, &r);
	assert_int_equal(h->n_health_status, 1);
	assert_int_equal(h->health_status[0]->status,
			 TETRAGON__HEALTH_STATUS_RESULT__HEALTH_STATUS_RUNNING);
	assert_string_equal(h->health_status[0]->details,
			    "running; 1234 events, 5 lost in the kernel; 3 GetEvents streams, 17 "
			    "events dropped for slow streams");
	tetragon__get_health_status_response__free_unpacked(h, NULL);
	v = (Tetragon__GetVersionResponse *)run(VIGIL_RPC_GET_VERSION, &vreq.base, NULL, &r);
	assert_string_equal(v->version, VIGIL_VERSION);
	tetragon__get_version_response__free_unpacked(v, NULL);
	info = (Tetragon__GetInfoResponse *)run(VIGIL_RPC_GET_INFO, &ireq.base, NULL, &r);
	assert_string_equal(info->name, "vigild");
	assert_int_equal(info->n_probes, VIGIL_FEAT_COUNT);
	assert_string_equal(info->probes[VIGIL_FEAT_BTF]->name, "btf");
	assert_true(info->probes[VIGIL_FEAT_BTF]->enabled->value);
	assert_false(info->probes[VIGIL_FEAT_KPROBE]->enabled->value);
	for (i = 0; i < info->n_conf; i++) {
		Google__Protobuf__StringValue *sv;

		assert_string_equal(info->conf[i]->value->type_url,
				    "type.googleapis.com/google.protobuf.StringValue");
		sv = google__protobuf__string_value__unpack(NULL, info->conf[i]->value->value.len,
							    info->conf[i]->value->value.data);
		assert_non_null(sv);
		if (!strcmp(info->conf[i]->key, "node-name"))
			assert_string_equal(sv->value, "node1");
		if (!strcmp(info->conf[i]->key, "kernel"))
			assert_string_equal(sv->value, "6.1.0-test");
		if (!strcmp(info->conf[i]->key, "probe-reason.kprobe")) {
			assert_string_equal(sv->value, "attach: No such file or directory");
			kprobe_reason = true;
		}
		google__protobuf__string_value__free_unpacked(sv, NULL);
	}
	assert_true(kprobe_reason);
	tetragon__get_info_response__free_unpacked(info, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_bad_policy_names_line_and_column, setup),
		cmocka_unit_test_setup(test_add_existing_name_refused, setup),
		cmocka_unit_test_setup(test_add_goes_to_the_lifecycle, setup),
		cmocka_unit_test_setup(test_add_too_large, setup),
		cmocka_unit_test_setup(test_delete_enable_disable, setup),
		cmocka_unit_test_setup(test_configure, setup),
		cmocka_unit_test_setup(test_list, setup),
		cmocka_unit_test_setup(test_health_version_info, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
