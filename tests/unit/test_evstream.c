// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for api/evstream.c, what a GetEvents stream does with the
 * events it is offered, apart from gRPC: the request compiled (and refused
 * with the field named), each event packed once for every stream that
 * takes it whole, filters and field filters per stream, a full queue
 * dropping and counting, and the loss reports ahead of the queue at the
 * right times, with the right counts.
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

#include "evstream.h"

#define SEC 1000000000ULL

/* A GetEventsRequest's bytes: one allow filter with binary_regex re (when
 * given) and a field filter keeping only process.pid (when ff). */
static size_t request(uint8_t *buf, const char *re, bool ff)
{
	Tetragon__GetEventsRequest r = TETRAGON__GET_EVENTS_REQUEST__INIT;
	Tetragon__Filter f = TETRAGON__FILTER__INIT, *fp = &f;
	Tetragon__FieldFilter fld = TETRAGON__FIELD_FILTER__INIT, *fldp = &fld;
	Google__Protobuf__FieldMask mask = GOOGLE__PROTOBUF__FIELD_MASK__INIT;
	char *regex[1] = { (char *)re }, *paths[1] = { (char *)"process.pid" };

	if (re) {
		f.binary_regex = regex;
		f.n_binary_regex = 1;
		r.allow_list = &fp;
		r.n_allow_list = 1;
	}
	if (ff) {
		mask.paths = paths;
		mask.n_paths = 1;
		fld.fields = &mask;
		fld.action = TETRAGON__FIELD_FILTER_ACTION__INCLUDE;
		r.field_filters = &fldp;
		r.n_field_filters = 1;
	}
	return tetragon__get_events_request__pack(&r, buf);
}

/* An exec event of binary (pid 42), in m's storage. */
struct exec_ev {
	Tetragon__GetEventsResponse r;
	Tetragon__ProcessExec e;
	Tetragon__Process p;
	Google__Protobuf__UInt32Value pid;
};

static const Tetragon__GetEventsResponse *exec_of(struct exec_ev *m, const char *binary)
{
	tetragon__get_events_response__init(&m->r);
	tetragon__process_exec__init(&m->e);
	tetragon__process__init(&m->p);
	google__protobuf__uint32_value__init(&m->pid);
	m->pid.value = 42;
	m->p.pid = &m->pid;
	m->p.binary = (char *)binary;
	m->p.cwd = (char *)"/root";
	m->e.process = &m->p;
	m->r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	m->r.process_exec = &m->e;
	m->r.node_name = (char *)"node1";
	return &m->r;
}

static Tetragon__GetEventsResponse *unpack(const struct vigil_evmsg *m)
{
	Tetragon__GetEventsResponse *r =
		tetragon__get_events_response__unpack(NULL, m->len, m->data);

	assert_non_null(r);
	return r;
}

static void test_open_refuses_with_the_field(void **state)
{
	struct vigil_evstream s;
	uint8_t buf[256];
	char err[512];
	size_t len;

	(void)state;
	assert_int_equal(vigil_evstream_open(&s, (const uint8_t *)"\xff\xff", 2, 0, 0, "n", err,
					     sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "the request is not a valid tetragon.GetEventsRequest");
	len = request(buf, "(", false);
	assert_int_equal(vigil_evstream_open(&s, buf, len, 0, 0, "n", err, sizeof(err)), -EINVAL);
	assert_int_equal(strncmp(err, "allow_list[0].binary_regex", 26), 0);
	/* an empty request is a stream of everything */
	assert_int_equal(vigil_evstream_open(&s, buf, 0, 0, 0, "n", err, sizeof(err)), 0);
	assert_null(s.allow);
	assert_null(s.ff);
	vigil_evstream_close(&s);
}

static void test_packed_once_and_shared(void **state)
{
	struct vigil_evstream a, b, c;
	struct exec_ev m;
	struct vigil_evoffer o = { 0 };
	struct vigil_evmsg *ma, *mb;
	uint8_t buf[256];
	char err[256];
	size_t len = request(buf, "curl$", false);

	(void)state;
	assert_int_equal(vigil_evstream_open(&a, buf, 0, 0, 0, "n", err, sizeof(err)), 0);
	assert_int_equal(vigil_evstream_open(&b, buf, 0, 0, 0, "n", err, sizeof(err)), 0);
	assert_int_equal(vigil_evstream_open(&c, buf, len, 0, 0, "n", err, sizeof(err)), 0);
	o.msg = exec_of(&m, "/usr/bin/wget");
	assert_int_equal(vigil_evstream_offer(&a, &o), 1);
	assert_int_equal(vigil_evstream_offer(&b, &o), 1);
	/* c's filter leaves it out */
	assert_int_equal(vigil_evstream_offer(&c, &o), 0);
	assert_int_equal(c.filtered, 1);
	ma = vigil_evstream_next(&a, SEC);
	mb = vigil_evstream_next(&b, SEC);
	/* the same bytes, packed once: the offer's reference and two queues' */
	assert_ptr_equal(ma, mb);
	assert_ptr_equal(ma, o.packed);
	assert_int_equal(atomic_load(&ma->refs), 3);
	vigil_evoffer_done(&o);
	vigil_evmsg_put(ma);
	vigil_evmsg_put(mb);
	o = (struct vigil_evoffer){ .msg = exec_of(&m, "/usr/bin/curl") };
	assert_int_equal(vigil_evstream_offer(&c, &o), 1);
	vigil_evoffer_done(&o);
	mb = vigil_evstream_next(&c, SEC);
	assert_non_null(mb);
	vigil_evmsg_put(mb);
	assert_null(vigil_evstream_next(&a, SEC));
	vigil_evstream_close(&a);
	vigil_evstream_close(&b);
	vigil_evstream_close(&c);
}

static void test_field_filters_make_a_copy(void **state)
{
	struct vigil_evstream s;
	struct exec_ev m;
	struct vigil_evoffer o = { 0 };
	Tetragon__GetEventsResponse *r;
	struct vigil_evmsg *got;
	uint8_t buf[256];
	char err[256];
	size_t len = request(buf, NULL, true);

	(void)state;
	assert_int_equal(vigil_evstream_open(&s, buf, len, 0, 0, "n", err, sizeof(err)), 0);
	o.msg = exec_of(&m, "/usr/bin/curl");
	assert_int_equal(vigil_evstream_offer(&s, &o), 1);
	got = vigil_evstream_next(&s, SEC);
	assert_ptr_not_equal(got, o.packed);
	r = unpack(got);
	assert_int_equal(r->process_exec->process->pid->value, 42);
	assert_string_equal(r->process_exec->process->binary, "");
	assert_string_equal(r->node_name, "node1");
	tetragon__get_events_response__free_unpacked(r, NULL);
	/* the shared message is untouched */
	r = unpack(o.packed);
	assert_string_equal(r->process_exec->process->binary, "/usr/bin/curl");
	tetragon__get_events_response__free_unpacked(r, NULL);
	vigil_evmsg_put(got);
	vigil_evoffer_done(&o);
	vigil_evstream_close(&s);
}

/* Offer n exec events to s; how many were queued. */
static int offer_n(struct vigil_evstream *s, int n)
{
	struct exec_ev m;
	int i, queued = 0;

	for (i = 0; i < n; i++) {
		struct vigil_evoffer o = { .msg = exec_of(&m, "/bin/true") };

		if (vigil_evstream_offer(s, &o) == 1)
			queued++;
		vigil_evoffer_done(&o);
	}
	return queued;
}

/* The next message: a loss report's count, or -1 for an event, -2 for none. */
static long long next_kind(struct vigil_evstream *s, uint64_t now)
{
	struct vigil_evmsg *m = vigil_evstream_next(s, now);
	Tetragon__GetEventsResponse *r;
	long long v;

	if (!m)
		return -2;
	r = unpack(m);
	if (r->event_case == TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO) {
		v = (long long)r->rate_limit_info->number_of_dropped_process_events;
		assert_string_equal(r->node_name, "node1");
		assert_non_null(r->time);
		assert_true(r->time->seconds > 0);
	} else {
		v = -1;
	}
	tetragon__get_events_response__free_unpacked(r, NULL);
	vigil_evmsg_put(m);
	return v;
}

static void test_full_queue_drops_and_reports(void **state)
{
	struct vigil_evstream s;
	char err[256];
	int i;

	(void)state;
	assert_int_equal(vigil_evstream_open(&s, NULL, 0, 4, 0, "node1", err, sizeof(err)), 0);
	/* 4 fit, 6 are dropped */
	assert_int_equal(offer_n(&s, 10), 4);
	assert_int_equal(s.q.dropped, 6);
	assert_int_equal(s.q.unreported, 6);
	/* the first report goes ahead of the queue at once */
	assert_int_equal(next_kind(&s, 10 * SEC), 6);
	assert_int_equal(s.reported, 6);
	assert_int_equal(s.q.unreported, 0);
	assert_int_equal(next_kind(&s, 10 * SEC), -1);
	/* more losses: reported 2 s after the last report while events wait */
	assert_int_equal(offer_n(&s, 3), 1);
	assert_int_equal(next_kind(&s, 11 * SEC), -1);
	assert_int_equal(next_kind(&s, 12 * SEC - 1), -1);
	assert_int_equal(next_kind(&s, 12 * SEC), 2);
	/* and at once when the queue has drained */
	assert_int_equal(offer_n(&s, 6), 2);
	for (i = 0; i < 4; i++)
		assert_int_equal(next_kind(&s, 12 * SEC), -1);
	assert_int_equal(s.q.n, 0);
	assert_int_equal(s.q.unreported, 4);
	assert_int_equal(next_kind(&s, 12 * SEC), 4);
	assert_int_equal(next_kind(&s, 12 * SEC), -2);
	/* every loss told, exactly once */
	assert_int_equal(s.reported, s.q.dropped);
	assert_int_equal(s.q.dropped, 12);
	vigil_evstream_close(&s);
}

static void test_full_by_bytes(void **state)
{
	struct vigil_evstream s;
	struct exec_ev m;
	struct vigil_evoffer o = { 0 };
	char err[256];
	size_t one;

	(void)state;
	o.msg = exec_of(&m, "/bin/true");
	one = tetragon__get_events_response__get_packed_size(o.msg);
	assert_int_equal(vigil_evstream_open(&s, NULL, 0, 0, 3 * one, "node1", err, sizeof(err)),
			 0);
	assert_int_equal(offer_n(&s, 5), 3);
	assert_int_equal(s.q.dropped, 2);
	vigil_evstream_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_refuses_with_the_field),
		cmocka_unit_test(test_packed_once_and_shared),
		cmocka_unit_test(test_field_filters_make_a_copy),
		cmocka_unit_test(test_full_queue_drops_and_reports),
		cmocka_unit_test(test_full_by_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
