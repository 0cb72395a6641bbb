// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_client.c - libcurl multi transfers for the watch state machines and
 * one-off requests (see k8s_client.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "k8s_client.h"
#include "log.h"

#define WATCHES_MAX  8
#define SENDS_MAX    64
#define LIST_MAX     (256u << 20) /* a list's body */
#define LINE_MAX_    (16u << 20)  /* one watch event */
#define ERRBODY_MAX  (64u << 10)  /* an error response kept for its message */
#define CONNECT_S    10L
#define LIST_TIMEOUT 120L
#define TOKEN_BUF    (64u << 10)

enum xfer_kind { X_LIST, X_WATCH, X_SEND };

struct xfer {
	struct vigil_k8s_client *c;
	struct xfer *next, **pprev; /* X_SEND: the list of those out */
	enum xfer_kind kind;
	CURL *h;
	struct curl_slist *hdrs;
	struct vigil_k8s_watch *w; /* X_LIST, X_WATCH */
	vigil_k8s_done_fn done;	   /* X_SEND */
	void *arg;
	char *body; /* X_SEND: the request body, owned */
	char *buf;  /* the response, or the partial watch line */
	size_t len, cap, max;
	bool too_big;
	bool pending; /* X_SEND: not yet added to the multi handle */
	char err[CURL_ERROR_SIZE];
};

struct vigil_k8s_client {
	const struct vigil_k8s_config *cfg;
	CURLM *multi;
	struct vigil_k8s_watch *watches[WATCHES_MAX];
	struct xfer *running[WATCHES_MAX]; /* the request of each watch, or NULL */
	size_t nwatches;
	struct xfer *sends; /* one-off requests out */
	size_t nsends;
	char *token;
	uint64_t now_ms;
};

static bool curl_ready;

int vigil_k8s_client_new(const struct vigil_k8s_config *cfg, struct vigil_k8s_client **out)
{
	struct vigil_k8s_client *c;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT))
			return -ENOMEM;
		curl_ready = true;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->cfg = cfg;
	c->multi = curl_multi_init();
	c->token = malloc(TOKEN_BUF);
	if (!c->multi || !c->token) {
		vigil_k8s_client_free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

static void xfer_free(struct vigil_k8s_client *c, struct xfer *x)
{
	if (!x)
		return;
	if (x->h) {
		curl_multi_remove_handle(c->multi, x->h);
		curl_easy_cleanup(x->h);
	}
	curl_slist_free_all(x->hdrs);
	free(x->body);
	free(x->buf);
	free(x);
}

void vigil_k8s_client_free(struct vigil_k8s_client *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nwatches; i++)
		xfer_free(c, c->running[i]);
	/* one-off requests still out are abandoned, their callbacks told */
	while (c->sends) {
		struct xfer *x = c->sends;

		c->sends = x->next;
		if (x->done)
			x->done(x->arg, 0, NULL, 0, "vigild is stopping");
		xfer_free(c, x);
	}
	if (c->multi)
		curl_multi_cleanup(c->multi);
	free(c->token);
	free(c);
}

int vigil_k8s_client_watch(struct vigil_k8s_client *c, struct vigil_k8s_watch *w)
{
	if (c->nwatches == WATCHES_MAX)
		return -ENOSPC;
	c->watches[c->nwatches++] = w;
	return 0;
}

static bool grow(struct xfer *x, size_t need)
{
	size_t cap;
	char *b;

	if (x->len + need + 1 <= x->cap)
		return true;
	if (x->len + need + 1 > x->max) {
		x->too_big = true;
		return false;
	}
	cap = x->cap ? x->cap : 4096;
	while (cap < x->len + need + 1)
		cap *= 2;
	if (cap > x->max + 1)
		cap = x->max + 1;
	b = realloc(x->buf, cap);
	if (!b) {
		x->too_big = true;
		return false;
	}
	x->buf = b;
	x->cap = cap;
	return true;
}

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = sz * n, start = 0, i;
	long status = 0;

	if (x->kind == X_WATCH)
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	if (x->kind != X_WATCH || status != 200) {
		if (x->kind == X_WATCH && x->max != ERRBODY_MAX)
			x->max = ERRBODY_MAX;
		if (!grow(x, len))
			return x->kind == X_LIST ? 0 : len; /* an error body: keep the start */
		memcpy(x->buf + x->len, p, len);
		x->len += len;
		x->buf[x->len] = 0;
		return len;
	}
	/* a watch: one event per line, handed over as each line completes */
	for (i = 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		if (x->len) {
			if (!grow(x, i - start))
				return 0;
			memcpy(x->buf + x->len, p + start, i - start);
			vigil_k8s_watch_line(x->w, x->c->now_ms, x->buf, x->len + i - start);
			x->len = 0;
		} else if (i > start) {
			vigil_k8s_watch_line(x->w, x->c->now_ms, p + start, i - start);
		}
		start = i + 1;
	}
	if (start < len) {
		if (!grow(x, len - start))
			return 0;
		memcpy(x->buf + x->len, p + start, len - start);
		x->len += len - start;
	}
	return len;
}

/* A new transfer of path with the configuration's TLS and credentials. */
static struct xfer *xfer_new(struct vigil_k8s_client *c, enum xfer_kind kind, const char *path,
			     char *why, size_t whysz)
{
	const struct vigil_k8s_config *cfg = c->cfg;
	struct xfer *x = calloc(1, sizeof(*x));
	char *url = NULL, *auth = NULL;
	int err;

	if (!x)
		goto oom;
	x->c = c;
	x->kind = kind;
	x->max = kind == X_LIST ? LIST_MAX : kind == X_WATCH ? LINE_MAX_ : ERRBODY_MAX;
	err = vigil_k8s_token(cfg, c->token, TOKEN_BUF, why, whysz);
	if (err) {
		free(x);
		return NULL;
	}
	x->h = curl_easy_init();
	if (!x->h || asprintf(&url, "%s%s", cfg->server, path) < 0)
		goto oom;
	x->hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (c->token[0]) {
		if (asprintf(&auth, "Authorization: Bearer %s", c->token) < 0)
			goto oom;
		x->hdrs = curl_slist_append(x->hdrs, auth);
		free(auth);
	}
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	free(url);
	url = NULL;
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->err);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT, CONNECT_S);
	curl_easy_setopt(x->h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT,
			 kind == X_WATCH ? (long)VIGIL_K8S_WATCH_TIMEOUT_S + 60 : LIST_TIMEOUT);
	if (cfg->insecure) {
		curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cfg->ca_file)
		curl_easy_setopt(x->h, CURLOPT_CAINFO, cfg->ca_file);
	if (cfg->ca_pem) {
		struct curl_blob b = { cfg->ca_pem, cfg->ca_pem_len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(x->h, CURLOPT_CAINFO_BLOB, &b);
	}
	if (cfg->cert_file)
		curl_easy_setopt(x->h, CURLOPT_SSLCERT, cfg->cert_file);
	if (cfg->key_file)
		curl_easy_setopt(x->h, CURLOPT_SSLKEY, cfg->key_file);
	if (cfg->cert_pem) {
		struct curl_blob b = { cfg->cert_pem, cfg->cert_pem_len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(x->h, CURLOPT_SSLCERT_BLOB, &b);
	}
	if (cfg->key_pem) {
		struct curl_blob b = { cfg->key_pem, cfg->key_pem_len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(x->h, CURLOPT_SSLKEY_BLOB, &b);
	}
	return x;
oom:
	snprintf(why, whysz, "%s", strerror(ENOMEM));
	if (x) {
		if (x->h)
			curl_easy_cleanup(x->h);
		curl_slist_free_all(x->hdrs);
		free(x);
	}
	return NULL;
}

int vigil_k8s_client_send(struct vigil_k8s_client *c, const char *method, const char *path,
			  const char *content_type, const char *body, vigil_k8s_done_fn done,
			  void *arg)
{
	char why[256], *ct = NULL;
	struct xfer *x;

	if (c->nsends >= SENDS_MAX)
		return -EBUSY;
	x = xfer_new(c, X_SEND, path, why, sizeof(why));
	if (!x) {
		if (done)
			done(arg, 0, NULL, 0, why);
		return 0;
	}
	x->done = done;
	x->arg = arg;
	x->body = strdup(body);
	if (!x->body || asprintf(&ct, "Content-Type: %s", content_type) < 0) {
		xfer_free(c, x);
		return -ENOMEM;
	}
	x->hdrs = curl_slist_append(x->hdrs, ct);
	free(ct);
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(x->h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
	/* added to the multi handle by the next poll: this may be called from
	 * inside a transfer's callback, where libcurl refuses that */
	x->pending = true;
	x->next = c->sends;
	if (c->sends)
		c->sends->pprev = &x->next;
	x->pprev = &c->sends;
	c->sends = x;
	c->nsends++;
	return 0;
}

static void complete(struct vigil_k8s_client *c, struct xfer *x, CURLcode res, uint64_t now_ms);

static void start_due(struct vigil_k8s_client *c, uint64_t now_ms)
{
	char url[2048], why[256];
	size_t i;

	for (i = 0; i < c->nwatches; i++) {
		struct vigil_k8s_watch *w = c->watches[i];
		enum vigil_k8s_req r = vigil_k8s_watch_next(w, now_ms, url, sizeof(url));
		struct xfer *x;

		if (r == VIGIL_K8S_REQ_NONE)
			continue;
		x = xfer_new(c, r == VIGIL_K8S_REQ_LIST ? X_LIST : X_WATCH, url, why, sizeof(why));
		if (x && curl_multi_add_handle(c->multi, x->h)) {
			xfer_free(c, x);
			x = NULL;
			snprintf(why, sizeof(why), "%s", strerror(ENOMEM));
		}
		if (!x) {
			if (r == VIGIL_K8S_REQ_LIST)
				vigil_k8s_watch_list_done(w, now_ms, 0, NULL, 0, why);
			else
				vigil_k8s_watch_ended(w, now_ms, 0, NULL, 0, why);
			continue;
		}
		x->w = w;
		c->running[i] = x;
	}
}

static void start_sends(struct vigil_k8s_client *c)
{
	struct xfer *x, *next;

	for (x = c->sends; x; x = next) {
		next = x->next;
		if (!x->pending)
			continue;
		x->pending = false;
		if (curl_multi_add_handle(c->multi, x->h)) {
			curl_easy_cleanup(x->h);
			x->h = NULL;
			complete(c, x, CURLE_OUT_OF_MEMORY, c->now_ms);
		}
	}
}

static void complete(struct vigil_k8s_client *c, struct xfer *x, CURLcode res, uint64_t now_ms)
{
	long status = 0;
	const char *why = x->err[0] ? x->err : curl_easy_strerror(res);
	size_t i;

	if (res == CURLE_OK)
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	if (x->too_big)
		why = x->kind == X_WATCH ? "a watch event over 16 MiB" : "a response over 256 MiB";
	if (x->kind == X_SEND) {
		*x->pprev = x->next;
		if (x->next)
			x->next->pprev = x->pprev;
		c->nsends--;
		if (x->done)
			x->done(x->arg, status, x->buf, x->len, why);
		xfer_free(c, x);
		return;
	}
	for (i = 0; i < c->nwatches; i++)
		if (c->running[i] == x)
			c->running[i] = NULL;
	if (x->kind == X_LIST)
		vigil_k8s_watch_list_done(x->w, now_ms, x->too_big ? 0 : status, x->buf, x->len,
					  why);
	else
		vigil_k8s_watch_ended(x->w, now_ms, x->too_big ? 0 : status, x->buf, x->len, why);
	xfer_free(c, x);
}

void vigil_k8s_client_poll(struct vigil_k8s_client *c, uint64_t now_ms)
{
	CURLMsg *m;
	int running, left;

	c->now_ms = now_ms;
	start_due(c, now_ms);
	start_sends(c);
	curl_multi_perform(c->multi, &running);
	while ((m = curl_multi_info_read(c->multi, &left))) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		complete(c, x, m->data.result, now_ms);
	}
}
