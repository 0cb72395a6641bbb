// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for api/protojson.c, rule by rule (protojson.h): defaults left
 * out, 64-bit integers as strings, enums by name, bytes in base64, oneofs,
 * maps, the well-known types, floats, string escaping, and the messages the
 * API's clients send (GetEventsRequest, ConfigureTracingPolicyRequest).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protojson.h"

#include "google/protobuf/any.pb-c.h"
#include "google/protobuf/field_mask.pb-c.h"
#include "google/protobuf/timestamp.pb-c.h"
#include "google/protobuf/wrappers.pb-c.h"
#include "tetragon/events.pb-c.h"
#include "tetragon/sensors.pb-c.h"
#include "tetragon/tetragon.pb-c.h"

static void expect_json(const void *msg, const char *want)
{
	char *s = NULL;
	size_t len;

	assert_int_equal(vigil_protojson(msg, &s, &len), 0);
	assert_non_null(s);
	assert_string_equal(s, want);
	assert_int_equal(len, strlen(want));
	free(s);
}

static void expect_error(const void *msg, int err)
{
	char *s = (char *)"x";

	assert_int_equal(vigil_protojson(msg, &s, NULL), err);
	assert_null(s);
}

static void test_defaults_are_left_out(void **state)
{
	Tetragon__Process p = TETRAGON__PROCESS__INIT;
	Tetragon__ProcessExit e = TETRAGON__PROCESS_EXIT__INIT;
	Tetragon__Namespace ns = TETRAGON__NAMESPACE__INIT;
	Tetragon__Capabilities cap = TETRAGON__CAPABILITIES__INIT;

	(void)state;
	expect_json(&p, "{}");
	expect_json(&e, "{}");
	/* A message field that is set is written, however empty. */
	p.cap = &cap;
	expect_json(&p, "{\"cap\":{}}");
	/* Zero, false and "" are defaults; NULL strings too. */
	ns.inum = 0;
	ns.is_host = 0;
	expect_json(&ns, "{}");
	ns.is_host = 1;
	expect_json(&ns, "{\"is_host\":true}");
	e.signal = NULL;
	e.status = 0;
	expect_json(&e, "{}");
	e.status = 4294967295U;
	expect_json(&e, "{\"status\":4294967295}");
}

static void test_integers_enums_bytes(void **state)
{
	Tetragon__KprobeSock s = TETRAGON__KPROBE_SOCK__INIT;
	Tetragon__InodeProperties i = TETRAGON__INODE_PROPERTIES__INIT;
	Tetragon__TracingPolicyStatus st = TETRAGON__TRACING_POLICY_STATUS__INIT;
	Tetragon__KprobeTruncatedBytes tb = TETRAGON__KPROBE_TRUNCATED_BYTES__INIT;
	Tetragon__Capabilities cap = TETRAGON__CAPABILITIES__INIT;
	Tetragon__CapabilitiesType caps[] = { 0, 1, 40, 41, -3 };
	uint8_t bytes[] = { 0xfb, 0xff, 0x00, 'a' };

	(void)state;
	s.cookie = 18446744073709551615ULL;
	s.sport = 1;
	expect_json(&s, "{\"sport\":1,\"cookie\":\"18446744073709551615\"}");
	i.number = 1;
	expect_json(&i, "{\"number\":\"1\"}");

	st.id = 3;
	st.state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_LOAD_ERROR;
	st.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR;
	st.kernel_memory_bytes = 123456789012ULL;
	st.enabled = 1;
	expect_json(&st, "{\"id\":\"3\",\"enabled\":true,\"state\":\"TP_STATE_LOAD_ERROR\","
			 "\"kernel_memory_bytes\":\"123456789012\",\"mode\":\"TP_MODE_MONITOR\"}");
	/* A value the enum does not name is written as a number. */
	st.state = 77;
	st.mode = 0;
	st.enabled = 0;
	st.kernel_memory_bytes = 0;
	expect_json(&st, "{\"id\":\"3\",\"state\":77}");

	/* Repeated enums, each element written, zero included. */
	cap.permitted = caps;
	cap.n_permitted = 5;
	expect_json(&cap, "{\"permitted\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\","
			  "\"CAP_CHECKPOINT_RESTORE\",41,-3]}");

	/* Bytes: base64 with padding; empty bytes are the default. */
	tb.bytes_arg.data = bytes;
	tb.bytes_arg.len = 0;
	expect_json(&tb, "{}");
	tb.bytes_arg.len = 1;
	expect_json(&tb, "{\"bytes_arg\":\"+w==\"}");
	tb.bytes_arg.len = 2;
	expect_json(&tb, "{\"bytes_arg\":\"+/8=\"}");
	tb.bytes_arg.len = 4;
	tb.orig_size = 4;
	expect_json(&tb, "{\"bytes_arg\":\"+/8AYQ==\",\"orig_size\":\"4\"}");
}

static void test_oneof_is_written_when_set(void **state)
{
	Tetragon__KprobeArgument a = TETRAGON__KPROBE_ARGUMENT__INIT;
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	Tetragon__ProcessExec exec = TETRAGON__PROCESS_EXEC__INIT;
	Tetragon__RateLimitInfo rl = TETRAGON__RATE_LIMIT_INFO__INIT;

	(void)state;
	expect_json(&a, "{}");
	a.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG;
	a.int_arg = 0;
	expect_json(&a, "{\"int_arg\":0}");
	a.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SIZE_ARG;
	a.size_arg = 0;
	expect_json(&a, "{\"size_arg\":\"0\"}");
	a.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_STRING_ARG;
	a.string_arg = (char *)"";
	a.label = (char *)"l";
	expect_json(&a, "{\"string_arg\":\"\",\"label\":\"l\"}");
	a.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BYTES_ARG;
	a.bytes_arg.len = 0;
	expect_json(&a, "{\"bytes_arg\":\"\",\"label\":\"l\"}");
	a.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BPF_CMD_ARG;
	a.bpf_cmd_arg = TETRAGON__BPF_CMD__BPF_MAP_CREATE;
	expect_json(&a, "{\"label\":\"l\",\"bpf_cmd_arg\":\"BPF_MAP_CREATE\"}");

	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	r.process_exec = &exec;
	r.node_name = (char *)"n";
	expect_json(&r, "{\"process_exec\":{},\"node_name\":\"n\"}");
	/* The oneof comes in field-number order too (40001 after 1000). */
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO;
	r.rate_limit_info = &rl;
	rl.number_of_dropped_process_events = 12;
	expect_json(&r, "{\"node_name\":\"n\",\"rate_limit_info\":"
			"{\"number_of_dropped_process_events\":\"12\"}}");
}

static void test_wrappers_and_timestamps(void **state)
{
	Tetragon__Process p = TETRAGON__PROCESS__INIT;
	Google__Protobuf__UInt32Value zero = GOOGLE__PROTOBUF__UINT32_VALUE__INIT;
	Google__Protobuf__Timestamp t = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
	Tetragon__Filter f = TETRAGON__FILTER__INIT;
	Google__Protobuf__BoolValue no = GOOGLE__PROTOBUF__BOOL_VALUE__INIT;

	(void)state;
	/* A wrapper's value is written bare, zero included. */
	p.pid = &zero;
	expect_json(&p, "{\"pid\":0}");
	f.health_check = &no;
	expect_json(&f, "{\"health_check\":false}");

	p.pid = NULL;
	p.start_time = &t;
	expect_json(&p, "{\"start_time\":\"1970-01-01T00:00:00Z\"}");
	t.seconds = 1700000000;
	t.nanos = 500000000;
	expect_json(&p, "{\"start_time\":\"2023-11-14T22:13:20.500Z\"}");
	t.nanos = 123456000;
	expect_json(&p, "{\"start_time\":\"2023-11-14T22:13:20.123456Z\"}");
	t.nanos = 10;
	expect_json(&p, "{\"start_time\":\"2023-11-14T22:13:20.000000010Z\"}");
	/* Before 1970, and the ends of the range. */
	t.seconds = -1;
	t.nanos = 0;
	expect_json(&p, "{\"start_time\":\"1969-12-31T23:59:59Z\"}");
	t.seconds = -62135596800LL;
	expect_json(&p, "{\"start_time\":\"0001-01-01T00:00:00Z\"}");
	t.seconds = 253402300799LL;
	t.nanos = 999999999;
	expect_json(&p, "{\"start_time\":\"9999-12-31T23:59:59.999999999Z\"}");
	/* Out of range: refused, as protojson refuses it. */
	t.seconds = 253402300800LL;
	t.nanos = 0;
	expect_error(&p, -EINVAL);
	t.seconds = -62135596801LL;
	expect_error(&p, -EINVAL);
	t.seconds = 0;
	t.nanos = -1;
	expect_error(&p, -EINVAL);
	t.nanos = 1000000000;
	expect_error(&p, -EINVAL);
}

static void test_field_mask(void **state)
{
	char *paths[] = { (char *)"process_exec.process.binary", (char *)"node_name",
			  (char *)"time" };
	Google__Protobuf__FieldMask m = GOOGLE__PROTOBUF__FIELD_MASK__INIT;
	Tetragon__FieldFilter ff = TETRAGON__FIELD_FILTER__INIT;
	Tetragon__EventType types[] = { TETRAGON__EVENT_TYPE__PROCESS_EXEC,
					TETRAGON__EVENT_TYPE__PROCESS_KPROBE };

	(void)state;
	ff.fields = &m;
	expect_json(&ff, "{\"fields\":\"\"}");
	m.paths = paths;
	m.n_paths = 3;
	ff.event_set = types;
	ff.n_event_set = 2;
	ff.action = TETRAGON__FIELD_FILTER_ACTION__EXCLUDE;
	expect_json(&ff, "{\"event_set\":[\"PROCESS_EXEC\",\"PROCESS_KPROBE\"],"
			 "\"fields\":\"processExec.process.binary,nodeName,time\","
			 "\"action\":\"EXCLUDE\"}");
	/* A path with no lowerCamelCase form that reads back the same. */
	m.n_paths = 1;
	paths[0] = (char *)"processExec";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"a__b";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"a_1";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"a.";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"a.1b";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"a b";
	expect_error(&ff, -EINVAL);
	paths[0] = (char *)"_a.b_c9";
	expect_json(&ff, "{\"event_set\":[\"PROCESS_EXEC\",\"PROCESS_KPROBE\"],"
			 "\"fields\":\"A.bC9\",\"action\":\"EXCLUDE\"}");
}

/* An Any of a well-known type; others are refused. */
static void test_any(void **state)
{
	Tetragon__GetInfoResponse__ConfVal cv = TETRAGON__GET_INFO_RESPONSE__CONF_VAL__INIT;
	Google__Protobuf__Any any = GOOGLE__PROTOBUF__ANY__INIT;
	Google__Protobuf__BoolValue bv = GOOGLE__PROTOBUF__BOOL_VALUE__INIT;
	Google__Protobuf__StringValue sv = GOOGLE__PROTOBUF__STRING_VALUE__INIT;
	uint8_t buf[64];

	(void)state;
	cv.key = (char *)"k";
	cv.value = &any;
	expect_json(&cv, "{\"key\":\"k\",\"value\":{}}");
	bv.value = 1;
	any.type_url = (char *)"type.googleapis.com/google.protobuf.BoolValue";
	any.value.data = buf;
	any.value.len = google__protobuf__bool_value__pack(&bv, buf);
	expect_json(&cv, "{\"key\":\"k\",\"value\":{\"@type\":"
			 "\"type.googleapis.com/google.protobuf.BoolValue\",\"value\":true}}");
	sv.value = (char *)"a\"b";
	any.type_url = (char *)"type.googleapis.com/google.protobuf.StringValue";
	any.value.len = google__protobuf__string_value__pack(&sv, buf);
	expect_json(&cv, "{\"key\":\"k\",\"value\":{\"@type\":"
			 "\"type.googleapis.com/google.protobuf.StringValue\","
			 "\"value\":\"a\\\"b\"}}");
	/* A type not known, and bytes that are not the type. */
	any.type_url = (char *)"type.googleapis.com/tetragon.Process";
	expect_error(&cv, -EINVAL);
	any.type_url = (char *)"type.googleapis.com/google.protobuf.BoolValue";
	buf[0] = 0xff;
	any.value.len = 1;
	expect_error(&cv, -EINVAL);
}

/* Maps: an object, keys sorted. */
static void test_map(void **state)
{
	Tetragon__Pod pod = TETRAGON__POD__INIT;
	Tetragon__Pod__PodLabelsEntry e[3] = { TETRAGON__POD__POD_LABELS_ENTRY__INIT,
					       TETRAGON__POD__POD_LABELS_ENTRY__INIT,
					       TETRAGON__POD__POD_LABELS_ENTRY__INIT };
	Tetragon__Pod__PodLabelsEntry *ep[3] = { &e[0], &e[1], &e[2] };

	(void)state;
	e[0].key = (char *)"b";
	e[0].value = (char *)"2";
	e[1].key = (char *)"a";
	e[1].value = (char *)"";
	e[2].key = (char *)"app.kubernetes.io/name";
	e[2].value = (char *)"x\ny";
	pod.pod_labels = ep;
	pod.n_pod_labels = 3;
	pod.name = (char *)"p";
	expect_json(&pod, "{\"name\":\"p\",\"pod_labels\":{\"a\":\"\","
			  "\"app.kubernetes.io/name\":\"x\\ny\",\"b\":\"2\"}}");
}

static void expect_number(double v, bool single, const char *want)
{
	Google__Protobuf__DoubleValue d = GOOGLE__PROTOBUF__DOUBLE_VALUE__INIT;
	Google__Protobuf__FloatValue f = GOOGLE__PROTOBUF__FLOAT_VALUE__INIT;

	if (single) {
		f.value = (float)v;
		expect_json(&f, want);
	} else {
		d.value = v;
		expect_json(&d, want);
	}
}

/* Floats: the shortest text that reads back the same. */
static void test_floats(void **state)
{
	(void)state;
	expect_number(0, false, "0");
	expect_number(-0.0, false, "-0");
	expect_number(0.1, false, "0.1");
	expect_number(100, false, "100");
	expect_number(123.456, false, "123.456");
	expect_number(-2.5, false, "-2.5");
	expect_number(1e20, false, "100000000000000000000");
	expect_number(1e21, false, "1e+21");
	expect_number(1.5e300, false, "1.5e+300");
	expect_number(0.000001, false, "0.000001");
	expect_number(1e-7, false, "1e-7");
	expect_number(1.25e-300, false, "1.25e-300");
	expect_number(0.1 + 0.2, false, "0.30000000000000004");
	expect_number(NAN, false, "\"NaN\"");
	expect_number(INFINITY, false, "\"Infinity\"");
	expect_number(-INFINITY, false, "\"-Infinity\"");
	expect_number(0.1, true, "0.1");
	expect_number(16777217.0, true, "16777216");
	expect_number(3.4028234663852886e38, true, "3.4028235e+38");
}

/* Strings: escaped as json-c escapes them; invalid UTF-8 as U+FFFD. */
static void test_string_escaping(void **state)
{
	Tetragon__Process p = TETRAGON__PROCESS__INIT;

	(void)state;
	p.binary = (char *)"a\"b\\c/d\b\f\n\r\t\x01\x1f\x7f "
			   "\xc3\xa9\xe2\x80\xae\xf0\x9f\x98\x80";
	expect_json(&p, "{\"binary\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\\u001f\x7f "
			"\xc3\xa9\xe2\x80\xae\xf0\x9f\x98\x80\"}");
	p.binary = (char *)"x\xff\xc3(\xed\xa0\x80y\xf0\x9f\x98";
	expect_json(&p, "{\"binary\":\"x\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd"
			"\xef\xbf\xbdy\xef\xbf\xbd\"}");
}

/* The requests of the API's clients. */
static void test_requests(void **state)
{
	Tetragon__GetEventsRequest req = TETRAGON__GET_EVENTS_REQUEST__INIT;
	Tetragon__Filter allow = TETRAGON__FILTER__INIT, deny = TETRAGON__FILTER__INIT;
	Tetragon__Filter *al[] = { &allow }, *dl[] = { &deny };
	Tetragon__CapFilter cf = TETRAGON__CAP_FILTER__INIT;
	Tetragon__CapFilterSet cs = TETRAGON__CAP_FILTER_SET__INIT;
	Tetragon__CapabilitiesType any[] = { TETRAGON__CAPABILITIES_TYPE__CAP_SYS_ADMIN };
	Tetragon__EventType ev[] = { TETRAGON__EVENT_TYPE__PROCESS_EXEC };
	Tetragon__ConfigureTracingPolicyRequest c =
		TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST__INIT;
	char *bins[] = { (char *)"^/usr/bin/(curl|wget)$" }, *ns[] = { (char *)"kube-system" };
	uint32_t pids[] = { 1, 4294967295U };

	(void)state;
	allow.binary_regex = bins;
	allow.n_binary_regex = 1;
	allow.pid_set = pids;
	allow.n_pid_set = 2;
	allow.event_set = ev;
	allow.n_event_set = 1;
	cs.any = any;
	cs.n_any = 1;
	cf.effective = &cs;
	allow.capabilities = &cf;
	deny.namespace_ = ns;
	deny.n_namespace_ = 1;
	req.allow_list = al;
	req.n_allow_list = 1;
	req.deny_list = dl;
	req.n_deny_list = 1;
	expect_json(&req, "{\"allow_list\":[{\"binary_regex\":[\"^/usr/bin/(curl|wget)$\"],"
			  "\"pid_set\":[1,4294967295],\"event_set\":[\"PROCESS_EXEC\"],"
			  "\"capabilities\":{\"effective\":{\"any\":[\"CAP_SYS_ADMIN\"]}}}],"
			  "\"deny_list\":[{\"namespace\":[\"kube-system\"]}]}");

	/* Optional fields: written when set, even to their zero value. */
	c.name = (char *)"p";
	expect_json(&c, "{\"name\":\"p\"}");
	c._enable_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___ENABLE_ENABLE;
	c.enable = 0;
	c._mode_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___MODE_MODE;
	c.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_UNKNOWN;
	expect_json(&c, "{\"name\":\"p\",\"enable\":false,\"mode\":\"TP_MODE_UNKNOWN\"}");
}

static void test_write_adds_newline(void **state)
{
	Tetragon__GetVersionResponse v = TETRAGON__GET_VERSION_RESPONSE__INIT;
	Tetragon__Process p = TETRAGON__PROCESS__INIT;
	Google__Protobuf__Timestamp t = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(out);
	v.version = (char *)"0.1.0";
	assert_int_equal(vigil_protojson_write(out, &v.base), 0);
	/* A message that cannot be written writes nothing. */
	t.nanos = -5;
	p.start_time = &t;
	assert_int_equal(vigil_protojson_write(out, &p.base), -EINVAL);
	assert_int_equal(vigil_protojson_write(out, NULL), -EINVAL);
	assert_int_equal(fclose(out), 0);
	assert_string_equal(buf, "{\"version\":\"0.1.0\"}\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_left_out),
		cmocka_unit_test(test_integers_enums_bytes),
		cmocka_unit_test(test_oneof_is_written_when_set),
		cmocka_unit_test(test_wrappers_and_timestamps),
		cmocka_unit_test(test_field_mask),
		cmocka_unit_test(test_any),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_write_adds_newline),
	};

	return cmocka_run_group_tests_name("protojson", tests, NULL, NULL);
}
