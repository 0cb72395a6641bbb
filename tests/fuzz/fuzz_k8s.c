// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_k8s.c - libFuzzer target for what vigild reads from a Kubernetes
 * API server and a kubeconfig.  The first byte picks the parser, the rest
 * is its input (a heap buffer of exactly its size):
 *   0: a list response, then the same bytes as watch lines, split at
 *      newlines, through the list-then-watch state machine
 *      (agent/k8s_watch.c), whose upserts turn each object into the
 *      policy loader's text (agent/k8s_policy.c) and parse that text;
 *   1: a kubeconfig (agent/k8s_config.c).
 * Promises checked (abort() when broken): the state machine asks for at
 * most one request at a time; an object upserted and not removed since
 * is known by its key; a made policy text is valid JSON whose metadata.name is the
 * resource's; the loader's diagnostics with positions stripped keep no
 * "LABEL:N:N:" prefix; a parsed kubeconfig has an https:// server.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag.h"
#include "k8s_config.h"
#include "k8s_policy.h"
#include "k8s_watch.h"
#include "model.h"
#include "parse.h"

/* the keys upserted and not removed since */
static struct {
	char ns[256], name[256];
} seen[64];
static size_t nseen;

static void forget(const char *ns, const char *name)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (!strcmp(seen[i].ns, ns) && !strcmp(seen[i].name, name))
			seen[i--] = seen[--nseen];
}

static void note(struct json_object *obj)
{
	struct json_object *md, *v;
	const char *ns = "", *name;

	if (!json_object_object_get_ex(obj, "metadata", &md) ||
	    !json_object_object_get_ex(md, "name", &v))
		abort(); /* the machine upserts only what has a name */
	name = json_object_get_string(v);
	if (json_object_object_get_ex(md, "namespace", &v) &&
	    json_object_is_type(v, json_type_string))
		ns = json_object_get_string(v);
	forget(ns, name);
	if (nseen < sizeof(seen) / sizeof(seen[0]) && strlen(ns) < 256 && strlen(name) < 256) {
		strcpy(seen[nseen].ns, ns);
		strcpy(seen[nseen].name, name);
		nseen++;
	}
}

static void upsert(void *ctx, const char *kind, struct json_object *obj)
{
	struct vigil_k8s_resource r;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	struct json_object *back;
	char why[256], errs[4096];
	size_t i, at = 0;

	(void)ctx;
	note(obj);
	if (vigil_k8s_policy_text(kind, obj, &r, why, sizeof(why)))
		return;
	back = json_tokener_parse(r.text);
	if (!back)
		abort();
	json_object_put(back);
	vigil_policy_parse(r.label, r.text, r.len, &p, &ds);
	for (i = 0; i < ds.n && at < sizeof(errs) - 1; i++) {
		at += (size_t)vigil_diag_format(&ds.d[i], errs + at, sizeof(errs) - at);
		if (at < sizeof(errs) - 1)
			errs[at++] = '\n';
		errs[at < sizeof(errs) ? at : sizeof(errs) - 1] = 0;
	}
	errs[at < sizeof(errs) ? at : sizeof(errs) - 1] = 0;
	vigil_k8s_strip_positions(r.label, errs);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	vigil_k8s_resource_fini(&r);
}

static void removed(void *ctx, const char *kind, const char *ns, const char *name)
{
	(void)ctx;
	(void)kind;
	forget(ns, name);
}

static void synced(void *ctx, const char *kind)
{
	(void)ctx;
	(void)kind;
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static const struct vigil_k8s_watch_ops ops = { upsert, removed, synced, say };

static void run_watch(const char *buf, size_t len)
{
	struct vigil_k8s_watch w;
	const char *p = buf, *end = buf + len;
	char url[1024];
	size_t i;

	nseen = 0;
	if (vigil_k8s_watch_init(&w, VIGIL_K8S_KIND_TP, "tp", "/apis/cilium.io/v1alpha1/x", NULL,
				 &ops, NULL))
		return;
	if (vigil_k8s_watch_next(&w, 0, url, sizeof(url)) != VIGIL_K8S_REQ_LIST)
		abort();
	if (vigil_k8s_watch_next(&w, 0, url, sizeof(url)) != VIGIL_K8S_REQ_NONE)
		abort();
	vigil_k8s_watch_list_done(&w, 0, 200, buf, len, NULL);
	if (vigil_k8s_watch_next(&w, 100000, url, sizeof(url)) != VIGIL_K8S_REQ_NONE) {
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

			vigil_k8s_watch_line(&w, 100000, p, l);
			p += l + 1;
		}
		vigil_k8s_watch_ended(&w, 100000, 200, NULL, 0, NULL);
	}
	/* every object upserted and not removed is known by its key */
	for (i = 0; i < nseen; i++)
		if (!vigil_k8s_watch_knows(&w, seen[i].ns, seen[i].name))
			abort();
	vigil_k8s_watch_fini(&w);
}

static void run_kubeconfig(const char *buf, size_t len)
{
	struct vigil_k8s_config c;
	char why[512];

	if (vigil_k8s_config_parse("kc", "/d", buf, len, &c, why, sizeof(why)))
		return;
	if (strncmp(c.server, "https://", 8))
		abort();
	vigil_k8s_config_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;

	if (!size)
		return 0;
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1)
		run_kubeconfig(buf, size - 1);
	else
		run_watch(buf, size - 1);
	free(buf);
	return 0;
}
