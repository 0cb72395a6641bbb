// SPDX-License-Identifier: Apache-2.0
/*
 * k8s.c - the Kubernetes side of vigild (see k8s.h): configuration, the
 * watches, and each resource through the policy lifecycle.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "k8s.h"
#include "k8s_client.h"
#include "k8s_config.h"
#include "k8s_pod.h"
#include "k8s_policy.h"
#include "k8s_scope.h"
#include "k8s_watch.h"
#include "log.h"
#include "policies.h"
#include "probe.h"

#define ERRS_MAX 16384

/* A resource seen, and the policy text last tried for it. */
struct res {
	const char *kind;
	char *ns, *name;
	char *text;  /* what was last given to the loader */
	bool loaded; /* some version of it is loaded */
};

struct vigil_k8s {
	struct vigil_k8s_config cfg;
	struct vigil_k8s_client *client;
	struct vigil_k8s_watch tp, tpn, pods;
	struct vigil_policies *policies;
	struct vigil_pod_store *store;
	struct vigil_k8s_scope *scope;
	char node[256];
	struct res *res;
	size_t nres;
	char *errs;
	bool event_fail_said;
};

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	vigil_err("kubernetes: %s", msg);
}

static struct res *res_find(struct vigil_k8s *k, const char *kind, const char *ns, const char *name)
{
	size_t i;

	for (i = 0; i < k->nres; i++)
		if (!strcmp(k->res[i].kind, kind) && !strcmp(k->res[i].ns, ns) &&
		    !strcmp(k->res[i].name, name))
			return &k->res[i];
	return NULL;
}

static struct res *res_add(struct vigil_k8s *k, const char *kind, const char *ns, const char *name)
{
	struct res *grown = realloc(k->res, (k->nres + 1) * sizeof(*grown)), *r;

	if (!grown)
		return NULL;
	k->res = grown;
	r = &k->res[k->nres];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->ns = strdup(ns);
	r->name = strdup(name);
	if (!r->ns || !r->name) {
		free(r->ns);
		free(r->name);
		return NULL;
	}
	k->nres++;
	return r;
}

static void res_drop(struct vigil_k8s *k, struct res *r)
{
	free(r->ns);
	free(r->name);
	free(r->text);
	*r = k->res[--k->nres];
}

/* --- Events ---------------------------------------------------------------- */

static void event_sent(void *arg, long status, const char *body, size_t len, const char *why)
{
	struct vigil_k8s *k = arg;

	(void)body;
	(void)len;
	/* 409: this very report was posted before (the name is its hash) */
	if (status == 201 || status == 200 || status == 409) {
		k->event_fail_said = false;
		return;
	}
	if (k->event_fail_said)
		return;
	k->event_fail_said = true;
	if (status)
		vigil_err("kubernetes: cannot post an Event: HTTP %ld (may vigil create events?)",
			  status);
	else
		vigil_err("kubernetes: cannot post an Event: %s", why);
}

/* FNV-1a over the strings: an Event's name suffix.  The same report on
 * the same version of a resource from the same node (a vigild restarted)
 * has the same name, and the API server keeps the first (409). */
static unsigned long long event_stamp(const char *const *s, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		for (const char *c = s[i]; *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static void post_event(struct vigil_k8s *k, const struct vigil_k8s_resource *r, const char *type,
		       const char *reason, const char *message)
{
	const char *parts[] = { r->uid, r->rv, k->node, reason, message };
	char when[32], path[256];
	const char *ns;
	struct tm tm;
	time_t now = time(NULL);
	char *body;
	int err;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	body = vigil_k8s_event_json(r, type, reason, message, k->node, when,
				    event_stamp(parts, sizeof(parts) / sizeof(parts[0])), &ns);
	if (!body) {
		vigil_err("kubernetes: cannot make an Event: %s", strerror(ENOMEM));
		return;
	}
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events", ns);
	err = vigil_k8s_client_send(k->client, "POST", path, "application/json", body, event_sent,
				    k);
	if (err)
		vigil_err("kubernetes: cannot post an Event: %s", strerror(-err));
	free(body);
}

/* --- resources through the lifecycle ------------------------------------- */

static void load_failed(struct vigil_k8s *k, const struct vigil_k8s_resource *r, bool old_stays)
{
	char *msg = NULL;

	vigil_k8s_strip_positions(r->label, k->errs);
	vigil_err("kubernetes: %s not loaded%s:\n%s", r->label,
		  old_stays ? " (its previous version stays loaded)" : "", k->errs);
	if (vigil_policies_note_failed(k->policies, r->ns, r->name, r->label, k->errs))
		vigil_err("kubernetes: %s: cannot list its error: %s", r->label, strerror(ENOMEM));
	if (asprintf(&msg, "vigil: %s", k->errs) < 0)
		return;
	/* one Event of many lines reads as one message */
	if (msg[0] && msg[strlen(msg) - 1] == '\n')
		msg[strlen(msg) - 1] = 0;
	post_event(k, r, "Warning", "PolicyLoadFailed", msg);
	free(msg);
}

static void upsert(void *ctx, const char *kind, struct json_object *obj)
{
	struct vigil_k8s *k = ctx;
	struct vigil_k8s_resource r;
	char why[256];
	struct res *e;
	bool recovered;
	int err;

	err = vigil_k8s_policy_text(kind, obj, &r, why, sizeof(why));
	if (err) {
		vigil_err("kubernetes: a %s that is not a policy: %s", kind, why);
		return;
	}
	e = res_find(k, r.kind, r.ns, r.name);
	if (e && e->text && !strcmp(e->text, r.text)) {
		/* metadata or status changed, not the policy */
		vigil_k8s_resource_fini(&r);
		return;
	}
	if (!e && !(e = res_add(k, r.kind, r.ns, r.name))) {
		vigil_err("kubernetes: %s: %s", r.label, strerror(ENOMEM));
		vigil_k8s_resource_fini(&r);
		return;
	}
	recovered = e->text && !e->loaded;
	free(e->text);
	e->text = r.text;
	r.text = NULL;
	err = vigil_policies_add(k->policies, r.label, e->text, strlen(e->text), -1, k->errs,
				 ERRS_MAX);
	if (err) {
		load_failed(k, &r, e->loaded);
		return;
	}
	vigil_policies_forget_failed(k->policies, r.ns, r.name);
	vigil_err("kubernetes: %s loaded", r.label);
	if (recovered)
		post_event(k, &r, "Normal", "PolicyLoaded", "vigil: the policy loaded");
	e->loaded = true;
}

static void removed(void *ctx, const char *kind, const char *ns, const char *name)
{
	struct vigil_k8s *k = ctx;
	const char *kd = !strcmp(kind, VIGIL_K8S_KIND_TPN) ? VIGIL_K8S_KIND_TPN : VIGIL_K8S_KIND_TP;
	struct res *e = res_find(k, kd, ns, name);

	if (!e)
		return;
	vigil_policies_forget_failed(k->policies, ns, name);
	if (e->loaded)
		vigil_policies_delete_in(k->policies, ns, name);
	if (!strcmp(kd, VIGIL_K8S_KIND_TPN))
		vigil_err("kubernetes: tracingpolicynamespaced/%s/%s deleted", ns, name);
	else
		vigil_err("kubernetes: tracingpolicy/%s deleted", name);
	res_drop(k, e);
}

static void synced(void *ctx, const char *kind)
{
	(void)ctx;
	(void)kind;
}

static const struct vigil_k8s_watch_ops ops = {
	.upsert = upsert,
	.remove = removed,
	.synced = synced,
	.say = say,
};

/* --- pods ------------------------------------------------------------------ */

static void pod_upsert(void *ctx, const char *kind, struct json_object *obj)
{
	struct vigil_k8s *k = ctx;
	char why[256];

	(void)kind;
	if (vigil_pod_store_upsert_json(k->store, obj, why, sizeof(why)))
		vigil_err("kubernetes: a pod vigild cannot read: %s", why);
}

static void pod_removed(void *ctx, const char *kind, const char *ns, const char *name)
{
	struct vigil_k8s *k = ctx;

	(void)kind;
	vigil_pod_store_delete_name(k->store, ns, name);
}

static const struct vigil_k8s_watch_ops pod_ops = {
	.upsert = pod_upsert,
	.remove = pod_removed,
	.synced = synced,
	.say = say,
};

int vigil_k8s_start(const struct vigil_k8s_opts *o, struct vigil_k8s **out)
{
	struct vigil_k8s *k = calloc(1, sizeof(*k));
	char why[512];
	int err;

	if (!k)
		return -ENOMEM;
	k->policies = o->policies;
	k->store = o->pods;
	snprintf(k->node, sizeof(k->node), "%s", o->node);
	k->errs = malloc(ERRS_MAX);
	if (!k->errs) {
		free(k);
		return -ENOMEM;
	}
	err = o->kubeconfig ? vigil_k8s_config_kubeconfig(o->kubeconfig, &k->cfg, why, sizeof(why))
			    : vigil_k8s_config_in_cluster(NULL, &k->cfg, why, sizeof(why));
	if (err) {
		vigil_err("kubernetes: %s", why);
		goto fail;
	}
	err = vigil_k8s_client_new(&k->cfg, &k->client);
	if (!err)
		err = vigil_k8s_watch_init(&k->tp, VIGIL_K8S_KIND_TP, "tracingpolicies",
					   "/apis/cilium.io/v1alpha1/tracingpolicies", NULL, &ops,
					   k);
	if (!err)
		err = vigil_k8s_watch_init(&k->tpn, VIGIL_K8S_KIND_TPN, "tracingpoliciesnamespaced",
					   "/apis/cilium.io/v1alpha1/tracingpoliciesnamespaced",
					   NULL, &ops, k);
	if (!err && k->store)
		err = vigil_k8s_scope_new(o->scope_map, vigil_cgroup2_fd(), &k->scope);
	if (!err && k->store) {
		char sel[300];

		snprintf(sel, sizeof(sel), "spec.nodeName=%s", k->node);
		err = vigil_k8s_watch_init(&k->pods, "Pod", "pods", "/api/v1/pods", sel, &pod_ops,
					   k);
		if (!err)
			err = vigil_k8s_client_watch(k->client, &k->pods);
	}
	if (!err)
		err = vigil_k8s_client_watch(k->client, &k->tp);
	if (!err)
		err = vigil_k8s_client_watch(k->client, &k->tpn);
	if (err) {
		vigil_err("kubernetes: %s", strerror(-err));
		goto fail;
	}
	vigil_err("kubernetes: API server %s (%s), node %s", k->cfg.server, k->cfg.source, k->node);
	*out = k;
	return 0;
fail:
	vigil_k8s_stop(k);
	return err;
}

void vigil_k8s_poll(struct vigil_k8s *k, uint64_t now_ms)
{
	if (!k)
		return;
	vigil_k8s_client_poll(k->client, now_ms);
	if (k->scope)
		vigil_k8s_scope_sync(k->scope, k->policies, k->store, now_ms);
}

void vigil_k8s_stop(struct vigil_k8s *k)
{
	size_t i;

	if (!k)
		return;
	vigil_k8s_client_free(k->client);
	vigil_k8s_scope_free(k->scope);
	if (k->tp.kind)
		vigil_k8s_watch_fini(&k->tp);
	if (k->tpn.kind)
		vigil_k8s_watch_fini(&k->tpn);
	if (k->pods.kind)
		vigil_k8s_watch_fini(&k->pods);
	for (i = 0; i < k->nres; i++) {
		free(k->res[i].ns);
		free(k->res[i].name);
		free(k->res[i].text);
	}
	free(k->res);
	free(k->errs);
	vigil_k8s_config_free(&k->cfg);
	free(k);
}
