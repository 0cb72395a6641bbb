// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_watch.c - the list-then-watch state machine of one resource (see
 * k8s_watch.h).  Pure: the responses come in as bytes, the changes go out
 * through ops.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "k8s_watch.h"

struct vigil_k8s_known {
	char *key; /* "ns/name" */
	char rv[VIGIL_K8S_RV_MAX];
	bool seen; /* in the list being applied */
};

int vigil_k8s_watch_init(struct vigil_k8s_watch *w, const char *kind, const char *what,
			 const char *path, const char *selector,
			 const struct vigil_k8s_watch_ops *ops, void *ctx)
{
	memset(w, 0, sizeof(*w));
	w->ops = ops;
	w->ctx = ctx;
	w->kind = strdup(kind);
	w->what = strdup(what);
	w->path = strdup(path);
	w->selector = selector ? strdup(selector) : NULL;
	if (!w->kind || !w->what || !w->path || (selector && !w->selector)) {
		vigil_k8s_watch_fini(w);
		return -ENOMEM;
	}
	w->state = VIGIL_K8S_LIST;
	return 0;
}

void vigil_k8s_watch_fini(struct vigil_k8s_watch *w)
{
	size_t i;

	for (i = 0; i < w->nknown; i++)
		free(w->known[i].key);
	free(w->known);
	free(w->kind);
	free(w->what);
	free(w->path);
	free(w->selector);
	memset(w, 0, sizeof(*w));
}

static void say(struct vigil_k8s_watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct vigil_k8s_watch *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->ops->say(w->ctx, msg);
}

/* --- the known objects, sorted by key ---------------------------------- */

static int key_of(struct json_object *obj, char *ns, size_t nssz, char *name, size_t namesz,
		  char *rv)
{
	struct json_object *md, *v;

	if (!json_object_object_get_ex(obj, "metadata", &md) ||
	    !json_object_is_type(md, json_type_object))
		return -EINVAL;
	if (!json_object_object_get_ex(md, "name", &v) || !json_object_is_type(v, json_type_string))
		return -EINVAL;
	if ((size_t)snprintf(name, namesz, "%s", json_object_get_string(v)) >= namesz || !name[0])
		return -EINVAL;
	ns[0] = 0;
	if (json_object_object_get_ex(md, "namespace", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    (size_t)snprintf(ns, nssz, "%s", json_object_get_string(v)) >= nssz)
		return -EINVAL;
	rv[0] = 0;
	if (json_object_object_get_ex(md, "resourceVersion", &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(rv, VIGIL_K8S_RV_MAX, "%s", json_object_get_string(v));
	return 0;
}

/* The index of key, or where it would go (*found false). */
static size_t known_find(const struct vigil_k8s_watch *w, const char *key, bool *found)
{
	size_t lo = 0, hi = w->nknown;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(w->known[mid].key, key);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

#define KEY_MAX 512

static void make_key(char *key, const char *ns, const char *name)
{
	snprintf(key, KEY_MAX, "%s/%s", ns, name);
}

/* Record ns/name at rv; true when it is new or its rv changed. */
static bool known_note(struct vigil_k8s_watch *w, const char *ns, const char *name, const char *rv,
		       bool *oom)
{
	char key[KEY_MAX];
	bool found;
	size_t i;

	make_key(key, ns, name);
	i = known_find(w, key, &found);
	if (found) {
		w->known[i].seen = true;
		if (rv[0] && !strcmp(w->known[i].rv, rv))
			return false;
		snprintf(w->known[i].rv, sizeof(w->known[i].rv), "%s", rv);
		return true;
	}
	if (w->nknown == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct vigil_k8s_known *k = realloc(w->known, cap * sizeof(*k));

		if (!k) {
			*oom = true;
			return true;
		}
		w->known = k;
		w->cap = cap;
	}
	memmove(&w->known[i + 1], &w->known[i], (w->nknown - i) * sizeof(w->known[0]));
	w->known[i].key = strdup(key);
	if (!w->known[i].key) {
		memmove(&w->known[i], &w->known[i + 1], (w->nknown - i) * sizeof(w->known[0]));
		*oom = true;
		return true;
	}
	snprintf(w->known[i].rv, sizeof(w->known[i].rv), "%s", rv);
	w->known[i].seen = true;
	w->nknown++;
	return true;
}

static bool known_drop(struct vigil_k8s_watch *w, const char *ns, const char *name)
{
	char key[KEY_MAX];
	bool found;
	size_t i;

	make_key(key, ns, name);
	i = known_find(w, key, &found);
	if (!found)
		return false;
	free(w->known[i].key);
	memmove(&w->known[i], &w->known[i + 1], (w->nknown - i - 1) * sizeof(w->known[0]));
	w->nknown--;
	return true;
}

size_t vigil_k8s_watch_count(const struct vigil_k8s_watch *w)
{
	return w->nknown;
}

bool vigil_k8s_watch_knows(const struct vigil_k8s_watch *w, const char *ns, const char *name)
{
	char key[KEY_MAX];
	bool found;

	make_key(key, ns, name);
	known_find(w, key, &found);
	return found;
}

/* --- requests -------------------------------------------------------------- */

static size_t put_escaped(char *out, size_t outsz, size_t at, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || strchr("-._~", c);

		if (at + 4 >= outsz)
			break;
		if (plain) {
			out[at++] = (char)c;
		} else {
			out[at++] = '%';
			out[at++] = hex[c >> 4];
			out[at++] = hex[c & 15];
		}
	}
	out[at < outsz ? at : outsz - 1] = 0;
	return at;
}

enum vigil_k8s_req vigil_k8s_watch_next(struct vigil_k8s_watch *w, uint64_t now_ms, char *url,
					size_t urlsz)
{
	size_t at;

	if (w->running || now_ms < w->due_ms)
		return VIGIL_K8S_REQ_NONE;
	w->running = true;
	w->started_ms = now_ms;
	w->got_line = false;
	if (w->state == VIGIL_K8S_LIST) {
		at = (size_t)snprintf(url, urlsz, "%s?", w->path);
		w->lists++;
	} else {
		at = (size_t)snprintf(url, urlsz,
				      "%s?watch=1&allowWatchBookmarks=true&timeoutSeconds=%d&"
				      "resourceVersion=",
				      w->path, VIGIL_K8S_WATCH_TIMEOUT_S);
		if (at < urlsz)
			at = put_escaped(url, urlsz, at, w->rv);
		if (at < urlsz)
			at += (size_t)snprintf(url + at, urlsz - at, "&");
		w->watches++;
	}
	if (w->selector && at < urlsz) {
		at += (size_t)snprintf(url + at, urlsz - at, "fieldSelector=");
		if (at < urlsz)
			at = put_escaped(url, urlsz, at, w->selector);
	}
	if (at < urlsz && at > 0 && (url[at - 1] == '&' || url[at - 1] == '?'))
		url[at - 1] = 0;
	return w->state == VIGIL_K8S_LIST ? VIGIL_K8S_REQ_LIST : VIGIL_K8S_REQ_WATCH;
}

int64_t vigil_k8s_watch_wait_ms(const struct vigil_k8s_watch *w, uint64_t now_ms)
{
	if (w->running)
		return -1;
	return now_ms >= w->due_ms ? 0 : (int64_t)(w->due_ms - now_ms);
}

/* The message of a Kubernetes Status body, or "". */
static void status_message(const char *body, size_t len, char *out, size_t outsz)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj = NULL, *m;
	size_t i;

	out[0] = 0;
	if (tok && body && len)
		obj = json_tokener_parse_ex(tok, body, (int)(len > 65536 ? 65536 : len));
	if (obj && json_object_object_get_ex(obj, "message", &m) &&
	    json_object_is_type(m, json_type_string))
		snprintf(out, outsz, ": %s", json_object_get_string(m));
	/* the message goes to a terminal: no control bytes */
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	json_object_put(obj);
	if (tok)
		json_tokener_free(tok);
}

/* A request failed: wait, then try again (a list again when a list
 * failed, else the watch from the same version). */
static void failed(struct vigil_k8s_watch *w, uint64_t now_ms, long status, const char *body,
		   size_t len, const char *why)
{
	char msg[256], detail[200];

	w->failures++;
	w->backoff_ms = w->backoff_ms ? w->backoff_ms * 2 : VIGIL_K8S_BACKOFF_MIN_MS;
	if (w->backoff_ms > VIGIL_K8S_BACKOFF_MAX_MS)
		w->backoff_ms = VIGIL_K8S_BACKOFF_MAX_MS;
	w->due_ms = now_ms + w->backoff_ms;
	if (status == 0) {
		snprintf(msg, sizeof(msg), "%s", why && why[0] ? why : "no answer");
	} else {
		status_message(body, len, detail, sizeof(detail));
		if (status == 404 && w->path[1] == 'a' && w->path[2] == 'p' && w->path[3] == 'i' &&
		    w->path[4] == 's')
			snprintf(msg, sizeof(msg),
				 "HTTP 404%s (is the %s CRD installed? kubectl apply -f crds/)",
				 detail, w->kind);
		else
			snprintf(msg, sizeof(msg), "HTTP %ld%s", status, detail);
	}
	if (strcmp(msg, w->last_fail)) {
		say(w, "%s: %s failed: %s; retrying, at most %u s apart", w->what,
		    w->state == VIGIL_K8S_LIST ? "list" : "watch", msg,
		    VIGIL_K8S_BACKOFF_MAX_MS / 1000);
		snprintf(w->last_fail, sizeof(w->last_fail), "%s", msg);
	}
}

static void recovered(struct vigil_k8s_watch *w)
{
	w->backoff_ms = 0;
	if (w->last_fail[0]) {
		say(w, "%s: API server answers again", w->what);
		w->last_fail[0] = 0;
	}
}

void vigil_k8s_watch_list_done(struct vigil_k8s_watch *w, uint64_t now_ms, long status,
			       const char *body, size_t len, const char *why)
{
	struct json_tokener *tok = NULL;
	struct json_object *list = NULL, *items, *md, *rv;
	size_t i, n, added = 0, gone = 0;
	char ns[256], name[256], orv[VIGIL_K8S_RV_MAX];
	bool oom = false, first = !w->synced;

	w->running = false;
	if (status != 200) {
		failed(w, now_ms, status, body, len, why);
		return;
	}
	tok = json_tokener_new();
	if (tok && len <= (size_t)INT32_MAX)
		list = json_tokener_parse_ex(tok, body, (int)len);
	if (!list || !json_object_object_get_ex(list, "items", &items) ||
	    !(json_object_is_type(items, json_type_array) ||
	      json_object_is_type(items, json_type_null)) ||
	    !json_object_object_get_ex(list, "metadata", &md) ||
	    !json_object_object_get_ex(md, "resourceVersion", &rv) ||
	    !json_object_is_type(rv, json_type_string)) {
		failed(w, now_ms, 0, NULL, 0, "the list response is not a Kubernetes list");
		goto cleanup;
	}
	recovered(w);
	for (i = 0; i < w->nknown; i++)
		w->known[i].seen = false;
	n = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(items, i);

		if (key_of(it, ns, sizeof(ns), name, sizeof(name), orv))
			continue;
		if (known_note(w, ns, name, orv, &oom)) {
			added++;
			w->ops->upsert(w->ctx, w->kind, it);
		}
	}
	/* what the list no longer has went away while we were not watching */
	for (i = w->nknown; i-- > 0;) {
		char *key;

		if (w->known[i].seen)
			continue;
		key = w->known[i].key;
		w->known[i].key = NULL;
		memmove(&w->known[i], &w->known[i + 1], (w->nknown - i - 1) * sizeof(w->known[0]));
		w->nknown--;
		*strchr(key, '/') = 0;
		w->ops->remove(w->ctx, w->kind, key, key + strlen(key) + 1);
		free(key);
		gone++;
	}
	snprintf(w->rv, sizeof(w->rv), "%s", json_object_get_string(rv));
	w->state = VIGIL_K8S_WATCHING;
	w->due_ms = now_ms;
	w->synced = true;
	if (first)
		say(w, "%s: listed %zu", w->what, n);
	else
		say(w, "%s: listed again: %zu, %zu new or changed, %zu gone", w->what, n, added,
		    gone);
	if (oom)
		say(w, "%s: out of memory: some objects are not tracked", w->what);
	w->ops->synced(w->ctx, w->kind);
cleanup:
	json_object_put(list);
	if (tok)
		json_tokener_free(tok);
}

static void relist(struct vigil_k8s_watch *w, uint64_t now_ms, const char *why)
{
	w->expired++;
	say(w, "%s: %s: listing again", w->what, why);
	w->state = VIGIL_K8S_LIST;
	w->due_ms = now_ms;
}

void vigil_k8s_watch_line(struct vigil_k8s_watch *w, uint64_t now_ms, const char *line, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *ev = NULL, *type, *obj, *code;
	char ns[256], name[256], rv[VIGIL_K8S_RV_MAX];
	const char *t;
	bool oom = false;

	if (!w->running || w->state != VIGIL_K8S_WATCHING)
		goto cleanup;
	if (tok && len <= (size_t)INT32_MAX)
		ev = json_tokener_parse_ex(tok, line, (int)len);
	if (!ev || !json_object_object_get_ex(ev, "type", &type) ||
	    !json_object_is_type(type, json_type_string) ||
	    !json_object_object_get_ex(ev, "object", &obj) ||
	    !json_object_is_type(obj, json_type_object)) {
		say(w, "%s: a watch line is not a watch event; ignored", w->what);
		goto cleanup;
	}
	if (!w->got_line)
		recovered(w);
	w->got_line = true;
	t = json_object_get_string(type);
	if (!strcmp(t, "ERROR")) {
		char msg[200];
		int c = json_object_object_get_ex(obj, "code", &code) ? json_object_get_int(code)
								      : 0;

		if (c == 410) {
			/* the stream ends after this; watch_ended starts the list */
			w->state = VIGIL_K8S_LIST;
			relist(w, now_ms, "the watch expired (410 Gone)");
		} else {
			status_message(json_object_to_json_string(obj),
				       strlen(json_object_to_json_string(obj)), msg, sizeof(msg));
			say(w, "%s: the watch reported error %d%s: listing again", w->what, c, msg);
			w->state = VIGIL_K8S_LIST;
		}
		goto cleanup;
	}
	if (!strcmp(t, "BOOKMARK")) {
		/* only a version: the server's progress, to resume from */
		struct json_object *md, *v;

		if (json_object_object_get_ex(obj, "metadata", &md) &&
		    json_object_object_get_ex(md, "resourceVersion", &v) &&
		    json_object_is_type(v, json_type_string))
			snprintf(w->rv, sizeof(w->rv), "%s", json_object_get_string(v));
		goto cleanup;
	}
	if (key_of(obj, ns, sizeof(ns), name, sizeof(name), rv)) {
		say(w, "%s: a %s event without metadata; ignored", w->what, t);
		goto cleanup;
	}
	if (rv[0])
		snprintf(w->rv, sizeof(w->rv), "%s", rv);
	if (!strcmp(t, "ADDED") || !strcmp(t, "MODIFIED")) {
		if (known_note(w, ns, name, rv, &oom))
			w->ops->upsert(w->ctx, w->kind, obj);
		if (oom)
			say(w, "%s: out of memory: %s is not tracked", w->what, name);
	} else if (!strcmp(t, "DELETED")) {
		if (known_drop(w, ns, name))
			w->ops->remove(w->ctx, w->kind, ns, name);
	} else {
		say(w, "%s: unknown watch event type; ignored", w->what);
	}
cleanup:
	json_object_put(ev);
	if (tok)
		json_tokener_free(tok);
}

void vigil_k8s_watch_ended(struct vigil_k8s_watch *w, uint64_t now_ms, long status,
			   const char *body, size_t len, const char *why)
{
	if (!w->running)
		return;
	w->running = false;
	if (w->state == VIGIL_K8S_LIST) {
		/* an ERROR event asked for a new list */
		w->due_ms = now_ms;
		return;
	}
	if (status == 410) {
		relist(w, now_ms, "the watch's version is too old (410 Gone)");
		return;
	}
	if (status != 200) {
		failed(w, now_ms, status, body, len, why);
		return;
	}
	/* A clean end: the server's timeout, or a server going away.  A
	 * stream that ends at once, empty, is a failure, else this spins. */
	if (!w->got_line && now_ms - w->started_ms < 1000) {
		failed(w, now_ms, 0, NULL, 0, why && why[0] ? why : "the watch ended at once");
		return;
	}
	w->due_ms = now_ms;
}
