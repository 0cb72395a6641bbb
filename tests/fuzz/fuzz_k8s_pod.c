// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_k8s_pod.c - libFuzzer target for Pod JSON as the Kubernetes API
 * server sends it to vigild --k8s: json-c's parser, then agent/k8s_pod.c
 * (vigil_pod_parse(), the workload, the store).
 *
 * One input is JSON text: a Pod, a watch event ({"type": ..., "object":
 * Pod}) or a list ({"items": [Pod...]}).  It is copied into a heap buffer
 * of exactly its size plus a NUL.  Every pod is parsed and upserted into
 * one store, then looked up by each of its container ids (whole and as a
 * 12-character prefix) and by its UID, matched against a pod and a
 * container selector, and the pods are deleted by UID and by name, half
 * of them, then listed and cleared.  Besides the sanitizers (LeakSanitizer
 * included: nothing is kept across inputs), the target checks what
 * k8s_pod.h promises and calls abort() when a promise is broken:
 *   - 0 with a pod, or -EINVAL/-ENOMEM with none and a reason that is
 *     clean text (valid UTF-8, no control or bidi character);
 *   - a pod has its required fields, labels sorted without repeats, a
 *     workload and a kind, each container id a tail of its full_id;
 *   - a pod upserted is found by its UID and by each of its container
 *     ids (the pod found holds that id), an upsert of an equal pod keeps
 *     the generation, a delete bumps it, and snapshots outlive the store.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag.h"
#include "k8s_pod.h"
#include "pod_selector.h"

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "fuzz_k8s_pod: %s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                                                \
			abort();                                                                 \
		}                                                                                \
	} while (0)

#define MAX_PODS 64

/* podSelector: {app In [web], tier NotIn [back], canary DoesNotExist} and
 * containerSelector: {name Exists}, built by hand (no YAML here). */
static struct vigil_value web = { .s = "web" }, back = { .s = "back" };
static struct vigil_label_expr pod_exprs[] = {
	{ .key = "app", .op = VIGIL_LABEL_IN, .values = { &web, 1 } },
	{ .key = "tier", .op = VIGIL_LABEL_NOT_IN, .values = { &back, 1 } },
	{ .key = VIGIL_POD_NAMESPACE_LABEL, .op = VIGIL_LABEL_EXISTS },
	{ .key = "canary", .op = VIGIL_LABEL_DOES_NOT_EXIST },
};
static const struct vigil_label_selector_spec pod_sel = { .present = true,
							  .exprs = pod_exprs,
							  .nexprs = 4 };
static struct vigil_label_expr ctr_exprs[] = {
	{ .key = "name", .op = VIGIL_LABEL_EXISTS },
	{ .key = "repo", .op = VIGIL_LABEL_NOT_IN, .values = { &web, 1 } },
};
static const struct vigil_label_selector_spec ctr_sel = { .present = true,
							  .exprs = ctr_exprs,
							  .nexprs = 2 };

static void check_pod(const struct vigil_pod *pod)
{
	const struct vigil_pod_container *k;
	size_t i, n;

	CHECK(pod->refcnt >= 1);
	CHECK(pod->ns && pod->ns[0] && pod->name && pod->name[0] && pod->uid && pod->uid[0]);
	CHECK(pod->node_name && pod->workload && pod->workload[0] && pod->workload_kind);
	for (i = 1; i < pod->nlabels; i++)
		CHECK(strcmp(pod->labels[i - 1].key, pod->labels[i].key) < 0);
	for (i = 1; i < pod->nannotations; i++)
		CHECK(strcmp(pod->annotations[i - 1].key, pod->annotations[i].key) < 0);
	for (i = 0; i < pod->nlabels; i++)
		CHECK(vigil_pod_label((void *)pod, pod->labels[i].key) == pod->labels[i].value);
	CHECK(vigil_pod_label((void *)pod, VIGIL_POD_NAMESPACE_LABEL));
	for (i = 0; i < pod->ncontainers; i++) {
		k = &pod->containers[i];
		n = strlen(k->full_id);
		CHECK(k->id >= k->full_id && k->id <= k->full_id + n);
		CHECK(k->name && k->image && k->image_id && k->repo);
		CHECK(strncmp(k->repo, k->image_id, strlen(k->repo)) == 0);
		CHECK(!k->start_time_ns || k->running);
		(void)vigil_label_selector_spec_match(&ctr_sel, vigil_pod_container_field,
						      (void *)k);
	}
	(void)vigil_label_selector_spec_match(&pod_sel, vigil_pod_label, (void *)pod);
}

/* Parse one candidate pod; a good one goes into pods[]. */
static void one(struct json_object *obj, struct vigil_pod_store *s, struct vigil_pod **pods,
		size_t *npods)
{
	struct vigil_pod *pod = NULL, *found;
	char err[512];
	uint64_t gen;
	size_t i, idx;
	int ret;

	ret = vigil_pod_parse(obj, &pod, err, sizeof(err));
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENOMEM);
		CHECK(!pod);
		CHECK(err[0] && vigil_text_is_clean(err, strlen(err)));
		return;
	}
	CHECK(pod);
	check_pod(pod);
	if (vigil_pod_store_upsert(s, pod)) {
		vigil_pod_put(pod);
		return;
	}
	gen = vigil_pod_store_generation(s);
	CHECK(vigil_pod_store_upsert(s, pod) == 0); /* the same pod: no change */
	CHECK(vigil_pod_store_generation(s) == gen);
	CHECK(vigil_pod_store_find_uid(s, pod->uid, &found) == 0);
	CHECK(found && !strcmp(found->uid, pod->uid));
	vigil_pod_put(found);
	for (i = 0; i < pod->ncontainers; i++) {
		const char *id = pod->containers[i].id;

		if (!id[0]) {
			CHECK(vigil_pod_store_find_container(s, id, &found, &idx) == -EINVAL);
			continue;
		}
		CHECK(vigil_pod_store_find_container(s, id, &found, &idx) == 0);
		CHECK(idx < found->ncontainers && !strcmp(found->containers[idx].id, id));
		vigil_pod_put(found);
		if (strlen(id) > 12) {
			char prefix[13];

			memcpy(prefix, id, 12);
			prefix[12] = '\0';
			CHECK(vigil_pod_store_find_container(s, prefix, &found, &idx) == 0);
			CHECK(!strncmp(found->containers[idx].id, prefix, 12));
			vigil_pod_put(found);
		}
	}
	if (*npods < MAX_PODS)
		pods[(*npods)++] = pod;
	else
		vigil_pod_put(pod);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vigil_pod *pods[MAX_PODS], **list;
	struct json_object *root, *v;
	struct vigil_pod_store *s;
	size_t npods = 0, i, n;
	uint64_t gen;
	char *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	root = json_tokener_parse(text);
	free(text);
	s = vigil_pod_store_new();
	if (!s) {
		json_object_put(root);
		return 0;
	}
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "items", &v) &&
	    json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (i = 0; i < n && i < 4 * MAX_PODS; i++)
			one(json_object_array_get_idx(v, i), s, pods, &npods);
	} else if (json_object_is_type(root, json_type_object) &&
		   json_object_object_get_ex(root, "object", &v)) {
		one(v, s, pods, &npods);
	} else {
		one(root, s, pods, &npods);
	}
	json_object_put(root);

	/* delete half by UID, half by name; a pod of a later UID may have
	 * replaced an earlier one, so -ENOENT is fine */
	for (i = 0; i < npods; i++) {
		gen = vigil_pod_store_generation(s);
		if (i % 2 == 0) {
			if (vigil_pod_store_delete(s, pods[i]->uid) == 0)
				CHECK(vigil_pod_store_generation(s) > gen);
		} else if (vigil_pod_store_delete_name(s, pods[i]->ns, pods[i]->name) == 0) {
			CHECK(vigil_pod_store_generation(s) > gen);
		}
	}
	if (vigil_pod_store_list(s, &list, &n, &gen) == 0) {
		for (i = 0; i < n; i++)
			check_pod(list[i]);
		vigil_pod_list_free(list, n);
	}
	vigil_pod_store_clear(s);
	CHECK(vigil_pod_store_count(s) == 0);
	vigil_pod_store_free(s);
	/* the snapshots outlive the store */
	for (i = 0; i < npods; i++) {
		check_pod(pods[i]);
		vigil_pod_put(pods[i]);
	}
	return 0;
}
