// SPDX-License-Identifier: Apache-2.0
/*
 * evstream.c - one GetEvents stream's filters, field filters, queue and
 * loss reports (evstream.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "evstream.h"
#include "filter.h"

int vigil_evstream_open(struct vigil_evstream *s, const uint8_t *req, size_t len, size_t max_msgs,
			size_t max_bytes, const char *node_name, char *err, size_t errsz)
{
	struct vigil_arena a;
	Tetragon__GetEventsRequest *r;
	char why[512] = "";
	int ret;

	memset(s, 0, sizeof(*s));
	s->node_name = node_name;
	vigil_arena_init(&a);
	r = tetragon__get_events_request__unpack(vigil_arena_allocator(&a), len, req);
	if (!r) {
		snprintf(err, errsz, "the request is not a valid tetragon.GetEventsRequest");
		ret = -EINVAL;
		goto cleanup;
	}
	if (r->n_allow_list) {
		ret = vigil_filters_new(r->allow_list, r->n_allow_list, &s->allow, why,
					sizeof(why));
		if (ret) {
			snprintf(err, errsz, "allow_list%s", why);
			goto cleanup;
		}
	}
	if (r->n_deny_list) {
		ret = vigil_filters_new(r->deny_list, r->n_deny_list, &s->deny, why, sizeof(why));
		if (ret) {
			snprintf(err, errsz, "deny_list%s", why);
			goto cleanup;
		}
	}
	if (r->n_field_filters) {
		ret = vigil_field_filters_new(r->field_filters, r->n_field_filters, &s->ff, why,
					      sizeof(why));
		if (ret) {
			snprintf(err, errsz, "field_filters%s", why);
			goto cleanup;
		}
	}
	ret = vigil_evqueue_init(&s->q, max_msgs, max_bytes);
	if (ret)
		snprintf(err, errsz, "%s", strerror(-ret));
cleanup:
	vigil_arena_free(&a);
	if (ret)
		vigil_evstream_close(s);
	return ret;
}

void vigil_evstream_close(struct vigil_evstream *s)
{
	vigil_filters_free(s->allow);
	vigil_filters_free(s->deny);
	vigil_field_filters_free(s->ff);
	vigil_evqueue_free(&s->q);
	s->allow = s->deny = NULL;
	s->ff = NULL;
}

/* The event as this stream's field filters leave it: unpacked from the
 * shared bytes, cleared, packed again. */
static struct vigil_evmsg *filtered_copy(const struct vigil_evstream *s,
					 const struct vigil_evmsg *packed)
{
	struct vigil_evmsg *m = NULL;
	Tetragon__GetEventsResponse *ev;
	struct vigil_arena a;

	vigil_arena_init(&a);
	ev = tetragon__get_events_response__unpack(vigil_arena_allocator(&a), packed->len,
						   packed->data);
	if (ev && !vigil_field_filters_apply(s->ff, ev))
		m = vigil_evmsg_pack(&ev->base);
	vigil_arena_free(&a);
	return m;
}

int vigil_evstream_offer(struct vigil_evstream *s, struct vigil_evoffer *o)
{
	struct vigil_evmsg *m;
	int ret;

	if ((s->allow || s->deny) && !vigil_filters_pass(s->allow, s->deny, o->msg)) {
		s->filtered++;
		return 0;
	}
	if (!o->packed)
		o->packed = vigil_evmsg_pack(&o->msg->base);
	if (!o->packed)
		goto oom;
	if (!s->ff)
		return vigil_evqueue_push(&s->q, o->packed) ? -ENOBUFS : 1;
	if (!vigil_evqueue_fits(&s->q, 1, o->packed->len)) {
		s->q.dropped++;
		s->q.unreported++;
		return -ENOBUFS;
	}
	m = filtered_copy(s, o->packed);
	if (!m)
		goto oom;
	ret = vigil_evqueue_push(&s->q, m);
	vigil_evmsg_put(m);
	return ret ? -ENOBUFS : 1;
oom:
	s->q.dropped++;
	s->q.unreported++;
	return -ENOMEM;
}

/* A GetEventsResponse that reports n lost events, at the current time. */
static struct vigil_evmsg *loss_report(const char *node_name, uint64_t n)
{
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	Tetragon__RateLimitInfo rl = TETRAGON__RATE_LIMIT_INFO__INIT;
	Google__Protobuf__Timestamp t = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	t.seconds = now.tv_sec;
	t.nanos = (int32_t)now.tv_nsec;
	rl.number_of_dropped_process_events = n;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO;
	r.rate_limit_info = &rl;
	r.node_name = (char *)(node_name ? node_name : "");
	r.time = &t;
	return vigil_evmsg_pack(&r.base);
}

struct vigil_evmsg *vigil_evstream_next(struct vigil_evstream *s, uint64_t now_ns)
{
	uint64_t n = s->q.unreported;
	struct vigil_evmsg *m;

	if (n &&
	    (!s->q.n || !s->last_report || now_ns - s->last_report >= VIGIL_EVSTREAM_REPORT_NS)) {
		m = loss_report(s->node_name, n);
		if (m) {
			s->q.unreported -= n;
			s->reported += n;
			s->last_report = now_ns ? now_ns : 1;
			return m;
		}
	}
	return vigil_evqueue_pop(&s->q);
}

void vigil_evoffer_done(struct vigil_evoffer *o)
{
	vigil_evmsg_put(o->packed);
	o->packed = NULL;
}
