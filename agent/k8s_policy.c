// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_policy.c - a TracingPolicy resource's JSON to the policy loader's
 * text, and Events about it (see k8s_policy.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "k8s_policy.h"

#define EVENT_MESSAGE_MAX 1024

static const char *str_at(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int copy(char *dst, size_t dstsz, const char *s, const char *what, char *why, size_t whysz)
{
	if (!s)
		s = "";
	if (strlen(s) >= dstsz) {
		snprintf(why, whysz, "%s longer than %zu bytes", what, dstsz - 1);
		return -EINVAL;
	}
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

void vigil_k8s_resource_fini(struct vigil_k8s_resource *r)
{
	free(r->text);
	r->text = NULL;
	r->len = 0;
}

int vigil_k8s_policy_text(const char *kind, struct json_object *obj, struct vigil_k8s_resource *r,
			  char *why, size_t whysz)
{
	struct json_object *md = NULL, *spec = NULL, *doc = NULL, *m = NULL;
	const char *av, *text;
	bool namespaced = !strcmp(kind, VIGIL_K8S_KIND_TPN);
	int err;

	memset(r, 0, sizeof(*r));
	r->kind = namespaced ? VIGIL_K8S_KIND_TPN : VIGIL_K8S_KIND_TP;
	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "metadata", &md) ||
	    !json_object_is_type(md, json_type_object)) {
		snprintf(why, whysz, "a %s without metadata", kind);
		return -EINVAL;
	}
	err = copy(r->name, sizeof(r->name), str_at(md, "name"), "metadata.name", why, whysz);
	if (!err)
		err = copy(r->ns, sizeof(r->ns), namespaced ? str_at(md, "namespace") : "",
			   "metadata.namespace", why, whysz);
	if (!err)
		err = copy(r->uid, sizeof(r->uid), str_at(md, "uid"), "metadata.uid", why, whysz);
	if (!err)
		err = copy(r->rv, sizeof(r->rv), str_at(md, "resourceVersion"),
			   "metadata.resourceVersion", why, whysz);
	if (err)
		return err;
	if (!r->name[0] || (namespaced && !r->ns[0])) {
		snprintf(why, whysz, "a %s without metadata.name%s", kind,
			 namespaced ? " and metadata.namespace" : "");
		return -EINVAL;
	}
	if (namespaced)
		snprintf(r->label, sizeof(r->label), "tracingpolicynamespaced/%s/%s", r->ns,
			 r->name);
	else
		snprintf(r->label, sizeof(r->label), "tracingpolicy/%s", r->name);

	av = str_at(obj, "apiVersion");
	doc = json_object_new_object();
	m = json_object_new_object();
	if (!doc || !m)
		goto oom;
	if (json_object_object_add(doc, "apiVersion",
				   json_object_new_string(av ? av : "cilium.io/v1alpha1")) ||
	    json_object_object_add(doc, "kind", json_object_new_string(r->kind)) ||
	    json_object_object_add(m, "name", json_object_new_string(r->name)) ||
	    (namespaced && json_object_object_add(m, "namespace", json_object_new_string(r->ns))))
		goto oom;
	if (json_object_object_add(doc, "metadata", m))
		goto oom;
	m = NULL;
	if (json_object_object_get_ex(obj, "spec", &spec) &&
	    json_object_object_add(doc, "spec", json_object_get(spec)))
		goto oom;
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		goto oom;
	r->len = strlen(text);
	r->text = strdup(text);
	if (!r->text)
		goto oom;
	json_object_put(doc);
	return 0;
oom:
	json_object_put(m);
	json_object_put(doc);
	snprintf(why, whysz, "%s", strerror(ENOMEM));
	return -ENOMEM;
}

void vigil_k8s_strip_positions(const char *label, char *errs)
{
	size_t ll = strlen(label);
	char *line = errs;

	while (line && *line) {
		char *nl = strchr(line, '\n'), *p = line + ll, *q;

		if (!strncmp(line, label, ll) && p[0] == ':' && isdigit((unsigned char)p[1])) {
			q = p + 1;
			while (isdigit((unsigned char)*q))
				q++;
			if (q[0] == ':' && isdigit((unsigned char)q[1])) {
				q++;
				while (isdigit((unsigned char)*q))
					q++;
				if (q[0] == ':') {
					memmove(p, q, strlen(q) + 1);
					nl = strchr(line, '\n');
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* s cut to at most max bytes, at a UTF-8 character boundary. */
static struct json_object *capped_string(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return json_object_new_string(s);
	while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return json_object_new_string_len(s, (int)max);
}

char *vigil_k8s_event_json(const struct vigil_k8s_resource *r, const char *type, const char *reason,
			   const char *message, const char *node, const char *time_rfc3339,
			   unsigned long long stamp, const char **ns_out)
{
	struct json_object *ev = json_object_new_object(), *md = json_object_new_object(),
			   *io = json_object_new_object(), *src = json_object_new_object();
	const char *ns = r->ns[0] ? r->ns : "default";
	char name[260];
	char *out = NULL;

	*ns_out = ns;
	if (!ev || !md || !io || !src) {
		json_object_put(md);
		json_object_put(io);
		json_object_put(src);
		goto cleanup;
	}
	/* an Event's name is a DNS subdomain: the object's, cut, and a stamp */
	snprintf(name, sizeof(name), "%.200s.%llx", r->name, stamp);
	json_object_object_add(md, "name", json_object_new_string(name));
	json_object_object_add(md, "namespace", json_object_new_string(ns));
	json_object_object_add(io, "apiVersion", json_object_new_string("cilium.io/v1alpha1"));
	json_object_object_add(io, "kind", json_object_new_string(r->kind));
	json_object_object_add(io, "name", json_object_new_string(r->name));
	if (r->ns[0])
		json_object_object_add(io, "namespace", json_object_new_string(r->ns));
	if (r->uid[0])
		json_object_object_add(io, "uid", json_object_new_string(r->uid));
	if (r->rv[0])
		json_object_object_add(io, "resourceVersion", json_object_new_string(r->rv));
	json_object_object_add(src, "component", json_object_new_string("vigil"));
	json_object_object_add(src, "host", json_object_new_string(node));
	json_object_object_add(ev, "apiVersion", json_object_new_string("v1"));
	json_object_object_add(ev, "kind", json_object_new_string("Event"));
	json_object_object_add(ev, "metadata", md);
	json_object_object_add(ev, "involvedObject", io);
	json_object_object_add(ev, "reason", json_object_new_string(reason));
	json_object_object_add(ev, "message", capped_string(message, EVENT_MESSAGE_MAX));
	json_object_object_add(ev, "type", json_object_new_string(type));
	json_object_object_add(ev, "source", src);
	json_object_object_add(ev, "firstTimestamp", json_object_new_string(time_rfc3339));
	json_object_object_add(ev, "lastTimestamp", json_object_new_string(time_rfc3339));
	json_object_object_add(ev, "count", json_object_new_int(1));
	json_object_object_add(ev, "reportingComponent", json_object_new_string("vigil"));
	json_object_object_add(ev, "reportingInstance", json_object_new_string(node));
	out = strdup(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
								JSON_C_TO_STRING_NOSLASHESCAPE));
cleanup:
	json_object_put(ev);
	return out;
}
