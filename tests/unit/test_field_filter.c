// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for api/field_filter.c: Tetragon's FieldFilter on the
 * messages of agent events (api/event_pb.c) of each kind: INCLUDE and
 * EXCLUDE, event_set and invert_event_set, paths below paths, the oneof of
 * an argument, maps, several filters in order, what is refused, and that a
 * trimmed message is still a valid one (it packs, unpacks and writes the
 * same protojson).  The filters are read from Tetragon's JSON form with
 * api/protojson_read.c (FieldMask as comma-joined paths).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "encode.h"
#include "event_pb.h"
#include "filter.h"
#include "protojson.h"
#include "protojson_read.h"

struct fixture {
	struct vigil_cache *cache;
	struct vigil_encode_ctx ctx;
	struct vigil_process *parent, *child;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vigil_creds cr = { .uid = 1000, .cap_effective = 1ULL << 21 };
	struct vigil_exec_desc d = { 0 };

	if (!f)
		return -1;
	f->cache = vigil_cache_new();
	assert_non_null(f->cache);
	f->ctx.node_name = "node1";
	f->ctx.boot_wall_ns = 1700000000000000000ULL;
	f->ctx.no_ns = true;
	d.pid = d.tid = 100;
	d.ktime = 1000000000ULL;
	d.binary = "/bin/bash";
	d.cwd = "/";
	d.creds = &cr;
	f->parent = vigil_cache_exec(f->cache, &d);
	d.pid = d.tid = 200;
	d.ktime = 2000000000ULL;
	d.parent.pid = 100;
	d.parent.ktime = 1000000000ULL;
	d.binary = "/usr/bin/curl";
	d.args = "-s https://example.com";
	f->child = vigil_cache_exec(f->cache, &d);
	assert_non_null(f->parent);
	assert_non_null(f->child);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vigil_process_put(f->cache, f->parent);
	vigil_process_put(f->cache, f->child);
	vigil_cache_free(f->cache);
	free(f);
	return 0;
}

/* Field filters from JSON objects, one per line (Tetragon's
 * --field-filters form); ret and err of vigil_field_filters_new(). */
static struct vigil_field_filters *read_ffs(const char *text, int *ret, char *err, size_t errsz)
{
	Tetragon__FieldFilter *list[8];
	struct vigil_field_filters *out = NULL;
	struct vigil_arena a;
	char *copy = strdup(text), *save = NULL, *line;
	size_t n = 0;

	assert_non_null(copy);
	vigil_arena_init(&a);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);
		ProtobufCMessage *m;
		char msg[256];

		assert_non_null(o);
		if (vigil_protojson_read(o, &tetragon__field_filter__descriptor, &a, &m, msg,
					 sizeof(msg)))
			fail_msg("%s: %s", line, msg);
		json_object_put(o);
		assert_true(n < 8);
		list[n++] = (Tetragon__FieldFilter *)m;
	}
	*ret = vigil_field_filters_new(list, n, &out, err, errsz);
	vigil_arena_free(&a);
	free(copy);
	return out;
}

/* The protojson text of ev after the field filters of text. */
static char *filtered(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev,
		      const char *text)
{
	struct vigil_field_filters *ff;
	struct vigil_event_pb pb;
	char err[256], *json;
	int ret;

	ff = read_ffs(text, &ret, err, sizeof(err));
	if (ret)
		fail_msg("%s: %s", text, err);
	assert_int_equal(vigil_event_pb(&pb, ctx, ev), 0);
	assert_int_equal(vigil_field_filters_apply(ff, pb.msg), 0);
	assert_int_equal(vigil_protojson(&pb.msg->base, &json, NULL), 0);
	vigil_event_pb_free(&pb);
	vigil_field_filters_free(ff);
	return json;
}

static void expect_json(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev,
			const char *filters, const char *want)
{
	char *json = filtered(ctx, ev, filters);

	assert_string_equal(json, want);
	free(json);
}

static void expect_has(const char *json, const char *part, bool want)
{
	if ((strstr(json, part) != NULL) != want)
		fail_msg("%s\n  should %scontain\n%s", json, want ? "" : "not ", part);
}

#define TIME "\"time\":\"2023-11-14T22:13:20.000000005Z\""

static void test_include_on_exec(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = f->child, .ktime = 5 };

	/* Only the binary of the process; node_name and time stay. */
	expect_json(&f->ctx, &ev, "{\"fields\":\"process.binary\",\"action\":\"INCLUDE\"}",
		    "{\"process_exec\":{\"process\":{\"binary\":\"/usr/bin/curl\"}},"
		    "\"node_name\":\"node1\"," TIME "}");
	/* Two paths, one a lowerCamelCase name; the parent whole. */
	expect_json(&f->ctx, &ev, "{\"fields\":\"process.pid,process.startTime,parent.uid\"}",
		    "{\"process_exec\":{\"process\":{\"pid\":200,"
		    "\"start_time\":\"2023-11-14T22:13:22Z\"},\"parent\":{\"uid\":1000}},"
		    "\"node_name\":\"node1\"," TIME "}");
	/* A path below another narrows it, as in Tetragon's tree. */
	expect_json(&f->ctx, &ev, "{\"fields\":\"process,process.pid\"}",
		    "{\"process_exec\":{\"process\":{\"pid\":200}},\"node_name\":\"node1\"," TIME
		    "}");
	/* No path: everything; a part no message has: nothing. */
	expect_json(&f->ctx, &ev, "{\"fields\":\"nothing\"}",
		    "{\"process_exec\":{},\"node_name\":\"node1\"," TIME "}");
	{
		char *all = filtered(&f->ctx, &ev, "{\"action\":\"INCLUDE\"}");

		expect_has(all, "\"parent\":{\"exec_id\":", true);
		expect_has(all, "\"arguments\":\"-s https://example.com\"", true);
		free(all);
	}
}

static void test_exclude_on_exit(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_EXIT, .proc = f->child, .ktime = 5, .exit_code = 9
	};
	char *json = filtered(&f->ctx, &ev,
			      "{\"fields\":\"parent,process.cap,process.process_credentials,"
			      "process.exec_id\",\"action\":\"EXCLUDE\"}");

	expect_has(json, "\"parent\"", false);
	expect_has(json, "\"cap\"", false);
	expect_has(json, "\"process_credentials\"", false);
	expect_has(json, "\"exec_id\"", false);
	expect_has(json, "\"binary\":\"/usr/bin/curl\"", true);
	expect_has(json, "\"parent_exec_id\"", true); /* not named */
	expect_has(json, "\"signal\":\"SIGKILL\"", true);
	free(json);
	/* An unknown part excludes nothing. */
	json = filtered(&f->ctx, &ev, "{\"fields\":\"nothing.at.all\",\"action\":\"EXCLUDE\"}");
	expect_has(json, "\"parent\":{", true);
	free(json);
}

/* The arguments of a policy event: the oneof is "arg" (as Go names it),
 * the label its own field. */
static void test_arguments_oneof(void **state)
{
	struct fixture *f = *state;
	struct vigil_sock_info sock = { .family = AF_INET,
					.protocol = 6,
					.sport = 1,
					.dport = 443,
					.saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
					.daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 } };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "tcp_connect",
		.action = VIGIL_ACTION_POST,
		.nargs = 2,
		.args = { { .type = VIGIL_AT_SOCK,
			    .bin = &sock,
			    .bin_len = sizeof(sock),
			    .label = "sk" },
			  { .type = VIGIL_AT_STRING, .str = "x", .label = "name" } },
	};
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_POLICY, .proc = f->child, .ktime = 5, .pol = &pol
	};
	char *json;

	expect_json(&f->ctx, &ev, "{\"fields\":\"args.label,function_name\"}",
		    "{\"process_kprobe\":{\"function_name\":\"tcp_connect\","
		    "\"args\":[{\"label\":\"sk\"},{\"label\":\"name\"}]},"
		    "\"node_name\":\"node1\"," TIME "}");
	json = filtered(&f->ctx, &ev, "{\"fields\":\"args.arg\"}");
	expect_has(json, "\"args\":[{\"sock_arg\":{\"family\":\"AF_INET\"", true);
	expect_has(json, "{\"string_arg\":\"x\"}]}", true);
	expect_has(json, "label", false);
	free(json);
	/* one member of the oneof: the other argument's value goes */
	json = filtered(&f->ctx, &ev, "{\"fields\":\"args.arg.sock_arg.dport,args.label\"}");
	expect_has(json,
		   "\"args\":[{\"sock_arg\":{\"dport\":443},\"label\":\"sk\"},"
		   "{\"label\":\"name\"}]",
		   true);
	free(json);
	json = filtered(&f->ctx, &ev, "{\"fields\":\"args.arg\",\"action\":\"EXCLUDE\"}");
	expect_has(json, "\"args\":[{\"label\":\"sk\"},{\"label\":\"name\"}]", true);
	free(json);
	/* A member's name directly below args is no field of KprobeArgument. */
	json = filtered(&f->ctx, &ev, "{\"fields\":\"args.sock_arg,policy_name\"}");
	expect_has(json, "{\"process_kprobe\":{\"args\":[{},{}],\"policy_name\":\"p\"}", true);
	free(json);
}

/* event_set picks the kinds a filter applies to; invert_event_set the
 * others; a list applies in order. */
static void test_event_set_and_order(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_TRACEPOINT,
		.policy_name = "p",
		.subsys = "syscalls",
		.function_name = "sys_enter_openat",
		.action = VIGIL_ACTION_POST,
	};
	struct vigil_out_event exec = { .kind = VIGIL_OUT_EXEC, .proc = f->child, .ktime = 5 };
	struct vigil_out_event tp = {
		.kind = VIGIL_OUT_POLICY, .proc = f->child, .ktime = 5, .pol = &pol
	};
	const char *only_tp = "{\"event_set\":[\"PROCESS_TRACEPOINT\"],\"fields\":\"event\","
			      "\"action\":\"INCLUDE\"}";
	const char *not_tp = "{\"event_set\":[\"PROCESS_TRACEPOINT\"],\"invert_event_set\":true,"
			     "\"fields\":\"process.pid\"}";
	char *json;

	expect_json(&f->ctx, &tp, only_tp,
		    "{\"process_tracepoint\":{\"event\":\"sys_enter_openat\"},"
		    "\"node_name\":\"node1\"," TIME "}");
	json = filtered(&f->ctx, &exec, only_tp);
	expect_has(json, "\"binary\":\"/usr/bin/curl\"", true); /* untouched */
	free(json);
	expect_json(&f->ctx, &exec, not_tp,
		    "{\"process_exec\":{\"process\":{\"pid\":200}},\"node_name\":\"node1\"," TIME
		    "}");
	json = filtered(&f->ctx, &tp, not_tp);
	expect_has(json, "\"subsys\":\"syscalls\"", true); /* untouched */
	free(json);
	/* In order: keep the process, then drop its binary. */
	expect_json(&f->ctx, &exec,
		    "{\"fields\":\"process.binary,process.pid\"}\n"
		    "{\"fields\":\"process.binary\",\"action\":\"EXCLUDE\"}",
		    "{\"process_exec\":{\"process\":{\"pid\":200}},\"node_name\":\"node1\"," TIME
		    "}");
}

/* LSM events and a map: a map is one value (Go copies it whole). */
static void test_lsm_and_map(void **state)
{
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	Tetragon__ProcessLsm lsm = TETRAGON__PROCESS_LSM__INIT;
	Tetragon__Process p = TETRAGON__PROCESS__INIT;
	Tetragon__Pod pod = TETRAGON__POD__INIT;
	Tetragon__Pod__PodLabelsEntry l1 = TETRAGON__POD__POD_LABELS_ENTRY__INIT;
	Tetragon__Pod__PodLabelsEntry l2 = TETRAGON__POD__POD_LABELS_ENTRY__INIT;
	Tetragon__Pod__PodLabelsEntry *labels[] = { &l1, &l2 };
	struct vigil_field_filters *ff;
	char err[256], *json;
	int ret;

	(void)state;
	l1.key = "app";
	l1.value = "web";
	l2.key = "tier";
	l2.value = "front";
	pod.namespace_ = "default";
	pod.name = "web";
	pod.n_pod_labels = 2;
	pod.pod_labels = labels;
	p.binary = "/bin/x";
	p.pod = &pod;
	lsm.process = &p;
	lsm.function_name = "file_open";
	lsm.policy_name = "deny";
	lsm.action = TETRAGON__KPROBE_ACTION__KPROBE_ACTION_OVERRIDE;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM;
	r.process_lsm = &lsm;
	r.node_name = "node1";
	ff = read_ffs("{\"fields\":\"process.pod.pod_labels.key,action\"}", &ret, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_int_equal(vigil_field_filters_apply(ff, &r), 0);
	assert_int_equal(vigil_protojson(&r.base, &json, NULL), 0);
	assert_string_equal(json,
			    "{\"process_lsm\":{\"process\":{\"pod\":{\"pod_labels\":"
			    "{\"app\":\"web\",\"tier\":\"front\"}}},"
			    "\"action\":\"KPROBE_ACTION_OVERRIDE\"},\"node_name\":\"node1\"}");
	/* cleared as protobuf-c clears: strings "", not NULL */
	assert_string_equal(lsm.function_name, "");
	assert_string_equal(p.binary, "");
	assert_null(p.pod->container);
	free(json);
	vigil_field_filters_free(ff);
}

/* What is left is a valid message: it packs, unpacks and writes the same. */
static void test_result_round_trips(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = f->child, .ktime = 5 };
	struct vigil_field_filters *ff;
	Tetragon__GetEventsResponse *back;
	struct vigil_event_pb pb;
	struct vigil_arena a;
	char err[256], *j1, *j2;
	uint8_t *buf;
	size_t n;
	int ret;

	ff = read_ffs(
		"{\"fields\":\"process.binary,process.cwd,parent.cap\",\"action\":\"EXCLUDE\"}",
		&ret, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_int_equal(vigil_event_pb(&pb, &f->ctx, &ev), 0);
	assert_int_equal(vigil_field_filters_apply(ff, pb.msg), 0);
	assert_int_equal(vigil_field_filters_apply(NULL, pb.msg), 0);
	n = tetragon__get_events_response__get_packed_size(pb.msg);
	buf = malloc(n);
	assert_non_null(buf);
	assert_int_equal(tetragon__get_events_response__pack(pb.msg, buf), n);
	vigil_arena_init(&a);
	back = tetragon__get_events_response__unpack(vigil_arena_allocator(&a), n, buf);
	assert_non_null(back);
	assert_int_equal(vigil_protojson(&pb.msg->base, &j1, NULL), 0);
	assert_int_equal(vigil_protojson(&back->base, &j2, NULL), 0);
	assert_string_equal(j1, j2);
	/* the process without cwd and binary, the parent without cap */
	expect_has(j1, "\"pid\":200,\"uid\":1000,\"arguments\":\"-s https://example.com\"", true);
	expect_has(j1,
		   "\"binary\":\"/bin/bash\",\"start_time\":\"2023-11-14T22:13:21Z\","
		   "\"auid\":0,\"tid\":100",
		   true);
	free(j1);
	free(j2);
	free(buf);
	vigil_arena_free(&a);
	vigil_event_pb_free(&pb);
	vigil_field_filters_free(ff);
}

static void expect_refused(const char *text, int want, const char *msg)
{
	struct vigil_field_filters *ff;
	char err[256] = "";
	int ret;

	ff = read_ffs(text, &ret, err, sizeof(err));
	assert_int_equal(ret, want);
	assert_null(ff);
	assert_string_equal(err, msg);
}

static void test_refused(void **state)
{
	Tetragon__FieldFilter f = TETRAGON__FIELD_FILTER__INIT;
	Tetragon__FieldFilter *list[] = { &f };
	ProtobufCMessageUnknownField unknown = { .tag = 9,
						 .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT };
	struct vigil_field_filters *ff;
	uint8_t one = 1;
	char err[256];

	(void)state;
	expect_refused("{\"fields\":\"process\"}\n{\"action\":7}", -EINVAL,
		       "[1].action: 7 is not INCLUDE or EXCLUDE");
	expect_refused("{\"fields\":\"process..binary\"}", -EINVAL,
		       "[0].fields: invalid path \"process..binary\": a part is empty");
	expect_refused("{\"fields\":\"process.\"}", -EINVAL,
		       "[0].fields: invalid path \"process.\": a part is empty");
	expect_refused("{\"event_set\":[3]}", -EINVAL, "[0].event_set[0]: 3 is not an EventType");
	unknown.len = 1;
	unknown.data = &one;
	f.base.n_unknown_fields = 1;
	f.base.unknown_fields = &unknown;
	assert_int_equal(vigil_field_filters_new(list, 1, &ff, err, sizeof(err)), -EOPNOTSUPP);
	assert_string_equal(err, "[0].field number 9 of FieldFilter is not supported by vigil");
	/* an empty list is valid and changes nothing */
	assert_int_equal(vigil_field_filters_new(NULL, 0, &ff, err, sizeof(err)), 0);
	vigil_field_filters_free(ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_include_on_exec), cmocka_unit_test(test_exclude_on_exit),
		cmocka_unit_test(test_arguments_oneof), cmocka_unit_test(test_event_set_and_order),
		cmocka_unit_test(test_lsm_and_map),	cmocka_unit_test(test_result_round_trips),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
