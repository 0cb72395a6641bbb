/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_watch.h - list-then-watch of one Kubernetes resource, as a state
 * machine with no I/O: the HTTP client (k8s_client.c) asks it which
 * request to make and feeds it what came back; it tells its owner which
 * objects appeared, changed or went away.
 *
 *   LIST ──200──► WATCH(rv) ──line──► ADDED/MODIFIED: upsert, rv = object's
 *    ▲              │                 DELETED: remove, rv = object's
 *    │              │                 BOOKMARK: rv = object's
 *    │              │                 ERROR 410 (Expired) ──► LIST at once
 *    │              ├─ stream ended cleanly (timeoutSeconds) ──► WATCH(rv)
 *    │              └─ failed (connect, TLS, 5xx, 401...) ──► WAIT ──► WATCH(rv)
 *    └── failed ──► WAIT (backoff 0.5 s doubling to 30 s) ──► LIST
 *
 * A relist is diffed against the objects known before it: what is gone is
 * removed, what is new or carries another resourceVersion is upserted, and
 * what is unchanged is left alone, so a dropped watch or a 410 costs no
 * policy reload.  Every change of state that a user should know of (the
 * server unreachable, the watch expired, back again) is said once through
 * ops->say; repeated identical failures are not said again.
 */
#ifndef VIGIL_K8S_WATCH_H
#define VIGIL_K8S_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

struct vigil_k8s_watch_ops {
	/* An object appeared or changed.  kind is the resource's kind (list
	 * items do not carry it). */
	void (*upsert)(void *ctx, const char *kind, struct json_object *obj);
	/* The object ns/name (ns "" when cluster-scoped) went away. */
	void (*remove)(void *ctx, const char *kind, const char *ns, const char *name);
	/* A list was applied: the owner's view is complete. */
	void (*synced)(void *ctx, const char *kind);
	/* One line for the log. */
	void (*say)(void *ctx, const char *msg);
};

enum vigil_k8s_wstate {
	VIGIL_K8S_LIST,	    /* a list is due (or running) */
	VIGIL_K8S_WATCHING, /* a watch is due (or running) */
};

enum vigil_k8s_req {
	VIGIL_K8S_REQ_NONE = 0,
	VIGIL_K8S_REQ_LIST,
	VIGIL_K8S_REQ_WATCH,
};

#define VIGIL_K8S_RV_MAX	  64
#define VIGIL_K8S_BACKOFF_MIN_MS  500
#define VIGIL_K8S_BACKOFF_MAX_MS  30000
#define VIGIL_K8S_WATCH_TIMEOUT_S 290

struct vigil_k8s_known;

struct vigil_k8s_watch {
	const struct vigil_k8s_watch_ops *ops;
	void *ctx;
	char *kind;	/* "TracingPolicy" */
	char *what;	/* "tracingpolicies": in messages */
	char *path;	/* "/apis/cilium.io/v1alpha1/tracingpolicies" */
	char *selector; /* fieldSelector, or NULL */

	enum vigil_k8s_wstate state;
	bool running;	     /* a request is out */
	uint64_t due_ms;     /* not before (backoff) */
	uint32_t backoff_ms; /* the next wait after a failure; 0 after success */
	uint64_t started_ms; /* of the running request */
	bool got_line;	     /* the running watch delivered something */
	bool synced;	     /* a list has succeeded once */
	char rv[VIGIL_K8S_RV_MAX];
	char last_fail[256]; /* the failure last said, to say each once */

	struct vigil_k8s_known *known;
	size_t nknown, cap;

	/* for the log and the tests */
	uint64_t lists, watches, expired, failures;
};

int vigil_k8s_watch_init(struct vigil_k8s_watch *w, const char *kind, const char *what,
			 const char *path, const char *selector,
			 const struct vigil_k8s_watch_ops *ops, void *ctx);
void vigil_k8s_watch_fini(struct vigil_k8s_watch *w);

/* The request to start now, with its path and query in url (relative to
 * the server), or NONE (one is running, or the backoff is not over).  The
 * request counts as running until list_done/watch_ended. */
enum vigil_k8s_req vigil_k8s_watch_next(struct vigil_k8s_watch *w, uint64_t now_ms, char *url,
					size_t urlsz);

/* The list answered: status is the HTTP status (0: no answer, why says
 * what failed), body the response. */
void vigil_k8s_watch_list_done(struct vigil_k8s_watch *w, uint64_t now_ms, long status,
			       const char *body, size_t len, const char *why);

/* One line of a running watch (status 200). */
void vigil_k8s_watch_line(struct vigil_k8s_watch *w, uint64_t now_ms, const char *line, size_t len);

/* The watch ended: status 200 when it ended cleanly, else as for
 * list_done (body: the error response, if any). */
void vigil_k8s_watch_ended(struct vigil_k8s_watch *w, uint64_t now_ms, long status,
			   const char *body, size_t len, const char *why);

/* The number of objects known, and whether name (in ns) is one. */
size_t vigil_k8s_watch_count(const struct vigil_k8s_watch *w);
bool vigil_k8s_watch_knows(const struct vigil_k8s_watch *w, const char *ns, const char *name);

/* ms until the next request is due (0: now), or -1 when one is running. */
int64_t vigil_k8s_watch_wait_ms(const struct vigil_k8s_watch *w, uint64_t now_ms);

#endif
