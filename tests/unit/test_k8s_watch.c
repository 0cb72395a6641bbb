// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/k8s_watch.c, the list-then-watch state machine:
 * which request it asks for, what a list and each watch event change, a
 * relist diffed against what was known, 410 Gone, clean and failed ends,
 * backoff, bad input.  A fake owner records the upserts and removes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "k8s_watch.h"

struct fake {
	char calls[2048];
	char said[2048];
	int nsynced;
};

static struct fake fk;

static void add_call(const char *fmt, const char *a, const char *b)
{
	size_t at = strlen(fk.calls);

	snprintf(fk.calls + at, sizeof(fk.calls) - at, fmt, a, b);
}

static void fake_upsert(void *ctx, const char *kind, struct json_object *obj)
{
	struct json_object *md, *name, *rv;

	(void)ctx;
	assert_string_equal(kind, "Thing");
	assert_true(json_object_object_get_ex(obj, "metadata", &md));
	assert_true(json_object_object_get_ex(md, "name", &name));
	assert_true(json_object_object_get_ex(md, "resourceVersion", &rv));
	add_call("+%s@%s ", json_object_get_string(name), json_object_get_string(rv));
}

static void fake_remove(void *ctx, const char *kind, const char *ns, const char *name)
{
	(void)ctx;
	assert_string_equal(kind, "Thing");
	add_call("-%s/%s ", ns, name);
}

static void fake_synced(void *ctx, const char *kind)
{
	(void)ctx;
	(void)kind;
	fk.nsynced++;
}

static void fake_say(void *ctx, const char *msg)
{
	size_t at = strlen(fk.said);

	(void)ctx;
	snprintf(fk.said + at, sizeof(fk.said) - at, "%s\n", msg);
}

static const struct vigil_k8s_watch_ops ops = { fake_upsert, fake_remove, fake_synced, fake_say };

static const char *calls(void)
{
	static char out[2048];

	snprintf(out, sizeof(out), "%s", fk.calls);
	fk.calls[0] = 0;
	return out;
}

static void init(struct vigil_k8s_watch *w, const char *selector)
{
	memset(&fk, 0, sizeof(fk));
	assert_int_equal(vigil_k8s_watch_init(w, "Thing", "things", "/apis/x/v1/things", selector,
					      &ops, NULL),
			 0);
}

static void list(struct vigil_k8s_watch *w, uint64_t now, const char *body)
{
	char url[512];

	assert_int_equal(vigil_k8s_watch_next(w, now, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_list_done(w, now, 200, body, strlen(body), NULL);
}

static void line(struct vigil_k8s_watch *w, const char *l)
{
	vigil_k8s_watch_line(w, 5000, l, strlen(l));
}

#define LIST_AB                                                                         \
	"{\"kind\":\"ThingList\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[" \
	"{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}},"                    \
	"{\"metadata\":{\"name\":\"b\",\"namespace\":\"ns1\",\"resourceVersion\":\"7\"}}]}"

static void test_list_then_watch_requests(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];

	(void)state;
	init(&w, "spec.nodeName=node 1");
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	assert_string_equal(url, "/apis/x/v1/things?fieldSelector=spec.nodeName%3Dnode%201");
	/* one request at a time */
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_NONE);
	assert_int_equal(vigil_k8s_watch_wait_ms(&w, 0), -1);
	vigil_k8s_watch_list_done(&w, 0, 200, LIST_AB, strlen(LIST_AB), NULL);
	assert_string_equal(calls(), "+a@5 +b@7 ");
	assert_int_equal(fk.nsynced, 1);
	assert_int_equal(vigil_k8s_watch_count(&w), 2);
	assert_true(vigil_k8s_watch_knows(&w, "ns1", "b"));
	assert_false(vigil_k8s_watch_knows(&w, "", "b"));
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	assert_string_equal(url, "/apis/x/v1/things?watch=1&allowWatchBookmarks=true&"
				 "timeoutSeconds=290&resourceVersion=10&fieldSelector=spec."
				 "nodeName%3Dnode%201");
	vigil_k8s_watch_fini(&w);
}

static void test_watch_events(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];

	(void)state;
	init(&w, NULL);
	list(&w, 0, LIST_AB);
	calls();
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	line(&w, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"c\","
		 "\"resourceVersion\":\"11\"}}}");
	line(&w, "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\","
		 "\"resourceVersion\":\"12\"}}}");
	line(&w, "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"b\","
		 "\"namespace\":\"ns1\",\"resourceVersion\":\"13\"}}}");
	/* a delete of what was never known says nothing */
	line(&w, "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"zz\","
		 "\"resourceVersion\":\"14\"}}}");
	line(&w, "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"20\"}}}");
	assert_string_equal(calls(), "+c@11 +a@12 -ns1/b ");
	/* a bookmark (only a version) moves the version */
	assert_string_equal(w.rv, "20");
	line(&w, "not json");
	line(&w, "{\"type\":\"WHAT\",\"object\":{\"metadata\":{\"name\":\"q\"}}}");
	assert_string_equal(calls(), "");
	assert_non_null(strstr(fk.said, "not a watch event"));
	assert_non_null(strstr(fk.said, "unknown watch event type"));
	/* a clean end (the server's timeout) watches again from the version */
	vigil_k8s_watch_ended(&w, 5000, 200, NULL, 0, NULL);
	assert_int_equal(vigil_k8s_watch_next(&w, 5000, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	assert_non_null(strstr(url, "resourceVersion=20"));
	vigil_k8s_watch_fini(&w);
}

static void test_bookmark_moves_the_version(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];

	(void)state;
	init(&w, NULL);
	list(&w, 0, LIST_AB);
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	/* a bookmark is the kind's object with only a version */
	line(&w, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Thing\",\"metadata\":{"
		 "\"resourceVersion\":\"99\",\"creationTimestamp\":null}}}");
	assert_string_equal(w.rv, "99");
	assert_string_equal(calls(), "+a@5 +b@7 ");
	vigil_k8s_watch_fini(&w);
}

static void test_410_relists_and_diffs(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];
	const char *relist = "{\"metadata\":{\"resourceVersion\":\"30\"},\"items\":["
			     "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}},"
			     "{\"metadata\":{\"name\":\"d\",\"resourceVersion\":\"25\"}}]}";

	(void)state;
	init(&w, NULL);
	list(&w, 0, LIST_AB);
	calls();
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	line(&w, "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
		 "\"reason\":\"Expired\",\"message\":\"too old resource version: 10 (20)\"}}");
	assert_non_null(strstr(fk.said, "410 Gone"));
	vigil_k8s_watch_ended(&w, 6000, 200, NULL, 0, NULL);
	/* a list at once, no backoff */
	assert_int_equal(vigil_k8s_watch_wait_ms(&w, 6000), 0);
	list(&w, 6000, relist);
	/* a unchanged: nothing; b gone while not watching; d new */
	assert_string_equal(calls(), "+d@25 -ns1/b ");
	assert_non_null(strstr(fk.said, "listed again: 2, 1 new or changed, 1 gone"));
	assert_int_equal(fk.nsynced, 2);
	assert_int_equal(w.expired, 1);
	vigil_k8s_watch_fini(&w);
}

static void test_http_410_on_watch_relists(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];

	(void)state;
	init(&w, NULL);
	list(&w, 0, LIST_AB);
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	vigil_k8s_watch_ended(&w, 100, 410, "{}", 2, NULL);
	assert_int_equal(vigil_k8s_watch_next(&w, 100, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_fini(&w);
}

static void test_failures_back_off_and_are_said_once(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];
	const char *st = "{\"kind\":\"Status\",\"message\":\"forbidden\\u0007 here\",\"code\":403}";

	(void)state;
	init(&w, NULL);
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_list_done(&w, 0, 0, NULL, 0, "Couldn't connect to server");
	assert_int_equal(vigil_k8s_watch_wait_ms(&w, 0), 500);
	assert_int_equal(vigil_k8s_watch_next(&w, 499, url, sizeof(url)), VIGIL_K8S_REQ_NONE);
	assert_int_equal(vigil_k8s_watch_next(&w, 500, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_list_done(&w, 500, 0, NULL, 0, "Couldn't connect to server");
	assert_int_equal(vigil_k8s_watch_wait_ms(&w, 500), 1000);
	/* said once */
	assert_non_null(strstr(fk.said, "things: list failed: Couldn't connect to server"));
	assert_null(strstr(strstr(fk.said, "Couldn't") + 1, "Couldn't"));
	/* doubling to 30 s, no further */
	for (int i = 0; i < 10; i++) {
		uint64_t t = 1000000 * (uint64_t)(i + 1);

		assert_int_equal(vigil_k8s_watch_next(&w, t, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
		vigil_k8s_watch_list_done(&w, t, 0, NULL, 0, "Couldn't connect to server");
	}
	assert_int_equal(w.backoff_ms, 30000);
	/* an HTTP error is said with the Status message, control bytes masked */
	assert_int_equal(vigil_k8s_watch_next(&w, 99000000, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_list_done(&w, 99000000, 403, st, strlen(st), NULL);
	assert_non_null(strstr(fk.said, "HTTP 403: forbidden? here"));
	/* success resets the backoff and says so */
	assert_int_equal(vigil_k8s_watch_next(&w, 99100000, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_list_done(&w, 99100000, 200, LIST_AB, strlen(LIST_AB), NULL);
	assert_int_equal(w.backoff_ms, 0);
	assert_non_null(strstr(fk.said, "API server answers again"));
	vigil_k8s_watch_fini(&w);
}

static void test_404_names_the_crd(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];

	(void)state;
	init(&w, NULL);
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
	vigil_k8s_watch_list_done(&w, 0, 404, "", 0, NULL);
	assert_non_null(strstr(fk.said, "is the Thing CRD installed?"));
	vigil_k8s_watch_fini(&w);
}

static void test_watch_failure_keeps_the_version(void **state)
{
	struct vigil_k8s_watch w;
	char url[512];

	(void)state;
	init(&w, NULL);
	list(&w, 0, LIST_AB);
	calls();
	assert_int_equal(vigil_k8s_watch_next(&w, 0, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	/* the stream broke after delivering: a new watch from the version
	 * after the backoff, no list, no change to the objects */
	line(&w, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"c\","
		 "\"resourceVersion\":\"11\"}}}");
	vigil_k8s_watch_ended(&w, 3000, 0, NULL, 0, "transfer closed");
	assert_int_equal(vigil_k8s_watch_next(&w, 3000, url, sizeof(url)), VIGIL_K8S_REQ_NONE);
	assert_int_equal(vigil_k8s_watch_next(&w, 3500, url, sizeof(url)), VIGIL_K8S_REQ_WATCH);
	assert_non_null(strstr(url, "resourceVersion=11"));
	/* a stream that ends at once and empty is a failure, not a spin */
	vigil_k8s_watch_ended(&w, 3600, 200, NULL, 0, NULL);
	assert_true(vigil_k8s_watch_wait_ms(&w, 3600) > 0);
	assert_string_equal(calls(), "+c@11 ");
	vigil_k8s_watch_fini(&w);
}

static void test_bad_lists(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"items\":[]}",
		"{\"metadata\":{},\"items\":[]}",
		"{\"metadata\":{\"resourceVersion\":5},\"items\":[]}",
		"{\"metadata\":{\"resourceVersion\":\"5\"},\"items\":{}}",
		"{\"metadata\":",
	};
	struct vigil_k8s_watch w;
	char url[512];
	size_t i;

	(void)state;
	init(&w, NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t t = 100000 * (uint64_t)(i + 1);

		assert_int_equal(vigil_k8s_watch_next(&w, t, url, sizeof(url)), VIGIL_K8S_REQ_LIST);
		vigil_k8s_watch_list_done(&w, t, 200, bad[i], strlen(bad[i]), NULL);
		assert_int_equal(w.state, VIGIL_K8S_LIST);
	}
	assert_non_null(strstr(fk.said, "not a Kubernetes list"));
	/* items without names are skipped, the rest applied */
	list(&w, 10000000,
	     "{\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[{\"metadata\":{}},7,"
	     "{\"metadata\":{\"name\":\"ok\",\"resourceVersion\":\"2\"}}]}");
	assert_string_equal(calls(), "+ok@2 ");
	vigil_k8s_watch_fini(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_then_watch_requests),
		cmocka_unit_test(test_watch_events),
		cmocka_unit_test(test_bookmark_moves_the_version),
		cmocka_unit_test(test_410_relists_and_diffs),
		cmocka_unit_test(test_http_410_on_watch_relists),
		cmocka_unit_test(test_failures_back_off_and_are_said_once),
		cmocka_unit_test(test_404_names_the_crd),
		cmocka_unit_test(test_watch_failure_keeps_the_version),
		cmocka_unit_test(test_bad_lists),
	};

	return cmocka_run_group_tests_name("k8s_watch", tests, NULL, NULL);
}
