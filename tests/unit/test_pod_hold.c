// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/pod_hold.c: which messages wait for their pod, that
 * everything after a waiting message waits behind it (ring-buffer order),
 * that the head goes when its pod comes or when its time is up (then the
 * container does not wait again until the pod store changes), and the
 * FIFO's bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "k8s_pod.h"
#include "pod_hold.h"

#define CID1 "c000000000000000000000000000000000000000000000000000000000000001"
#define CID2 "c000000000000000000000000000000000000000000000000000000000000002"
#define UID1 "11111111-2222-3333-4444-555555555555"

static void add_pod(struct vigil_pod_store *s, const char *name, const char *cid)
{
	char js[1024], err[256];
	struct json_object *o;

	snprintf(js, sizeof(js),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"ns\",\"uid\":\"%s-u\"},"
		 "\"status\":{\"containerStatuses\":[{\"name\":\"c\",\"containerID\":"
		 "\"containerd://%s\",\"state\":{\"running\":{}}}]}}",
		 name, name, cid);
	o = json_tokener_parse(js);
	assert_non_null(o);
	assert_int_equal(vigil_pod_store_upsert_json(s, o, err, sizeof(err)), 0);
	json_object_put(o);
}

static void test_who_waits(void **state)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	struct vigil_pod_hold *h;

	(void)state;
	assert_int_equal(vigil_pod_hold_new(s, 2000, &h), 0);
	/* the host, and a container outside any pod: never */
	assert_false(vigil_pod_hold_needs(h, "", ""));
	assert_false(vigil_pod_hold_needs(h, CID1, ""));
	/* a pod's container not known yet: waits; once known: not */
	assert_true(vigil_pod_hold_needs(h, CID1, UID1));
	add_pod(s, "p1", CID1);
	assert_false(vigil_pod_hold_needs(h, CID1, UID1));
	vigil_pod_hold_free(h);
	vigil_pod_store_free(s);
}

static void test_order_and_release_when_the_pod_comes(void **state)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	struct vigil_pod_hold *h;
	const char *d;
	size_t size;
	bool late;

	(void)state;
	assert_int_equal(vigil_pod_hold_new(s, 2000, &h), 0);
	assert_int_equal(vigil_pod_hold_push(h, "exec", 5, CID1, UID1, 100), 0);
	/* a host message behind it waits too */
	assert_int_equal(vigil_pod_hold_push(h, "host", 5, "", "", 150), 0);
	assert_null(vigil_pod_hold_ready(h, 1000, &size, &late));
	add_pod(s, "p1", CID1);
	d = vigil_pod_hold_ready(h, 1000, &size, &late);
	assert_string_equal(d, "exec");
	assert_false(late);
	vigil_pod_hold_pop(h);
	d = vigil_pod_hold_ready(h, 1000, &size, &late);
	assert_string_equal(d, "host");
	vigil_pod_hold_pop(h);
	assert_true(vigil_pod_hold_empty(h));
	assert_int_equal(vigil_pod_hold_timeouts(h), 0);
	assert_int_equal(vigil_pod_hold_held(h), 2);
	vigil_pod_hold_free(h);
	vigil_pod_store_free(s);
}

static void test_timeout_then_no_more_waits_until_the_store_changes(void **state)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	struct vigil_pod_hold *h;
	size_t size;
	bool late;

	(void)state;
	assert_int_equal(vigil_pod_hold_new(s, 2000, &h), 0);
	assert_int_equal(vigil_pod_hold_push(h, "a", 2, CID2, UID1, 100), 0);
	assert_null(vigil_pod_hold_ready(h, 2099, &size, &late));
	assert_non_null(vigil_pod_hold_ready(h, 2100, &size, &late));
	assert_true(late);
	vigil_pod_hold_pop(h);
	assert_int_equal(vigil_pod_hold_timeouts(h), 1);
	/* the container gave up: its next message does not wait */
	assert_false(vigil_pod_hold_needs(h, CID2, UID1));
	/* the store changed (another pod): it may come now, so wait again */
	add_pod(s, "other", CID1);
	assert_true(vigil_pod_hold_needs(h, CID2, UID1));
	vigil_pod_hold_free(h);
	vigil_pod_store_free(s);
}

static void test_bounds(void **state)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	struct vigil_pod_hold *h;
	size_t size, i;
	bool late;

	(void)state;
	assert_int_equal(vigil_pod_hold_new(s, 2000, &h), 0);
	for (i = 0; i <= VIGIL_POD_HOLD_MAX; i++)
		assert_int_equal(vigil_pod_hold_push(h, "m", 2, CID1, UID1, 0), 0);
	/* over the count: the head goes at once, without its pod */
	assert_non_null(vigil_pod_hold_ready(h, 1, &size, &late));
	assert_true(late);
	vigil_pod_hold_pop(h);
	/* back within the bound, and the container gave up: all go */
	for (i = 0; i < VIGIL_POD_HOLD_MAX; i++) {
		assert_non_null(vigil_pod_hold_ready(h, 1, &size, &late));
		vigil_pod_hold_pop(h);
	}
	assert_true(vigil_pod_hold_empty(h));
	vigil_pod_hold_free(h);
	vigil_pod_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_waits),
		cmocka_unit_test(test_order_and_release_when_the_pod_comes),
		cmocka_unit_test(test_timeout_then_no_more_waits_until_the_store_changes),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests_name("pod_hold", tests, NULL, NULL);
}
