// SPDX-License-Identifier: Apache-2.0
/*
 * server.c - the gRPC server over the C core (server.h).
 *
 * One completion queue, drained by one thread.  Every operation in flight
 * carries a tag naming what completes: a new call of a method (or of an
 * unknown one), a stream's send, a call's close, a unary call's answer,
 * the server's shutdown.  A call lives as long as it has a batch in flight
 * or sits in a list (refs, under the server's lock).
 *
 *   GetEvents:  new call → request compiled (evstream.h) → RECV_CLOSE batch,
 *               SEND_INITIAL_METADATA → the stream is listed; publish()
 *               queues, one SEND_MESSAGE at a time, the next started when
 *               the last completes; the close completes when the client
 *               goes (or at the end) and unlists it.
 *   unary:      new call → request bytes copied → pending list, eventfd →
 *               dispatch() on the agent's thread: vigil_rpc_run() → one
 *               batch with the answer and the status → freed when done.
 *   unknown:    UNIMPLEMENTED at once.
 *
 * grpc_call_start_batch() on a call is serialised by the server's lock
 * (streams) or by the call being owned by one thread (unary).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

#include "evstream.h"
#include "grpc_glue.h"
#include "log.h"
#include "server.h"

enum tag_kind {
	TAG_NEW,	 /* a registered method's call arrived */
	TAG_NEW_UNKNOWN, /* a call of a method vigild does not serve */
	TAG_SEND,	 /* a stream's send (initial metadata or a message) */
	TAG_CLOSE,	 /* a stream's RECV_CLOSE_ON_SERVER */
	TAG_DONE,	 /* a call's final batch (status sent) */
	TAG_SHUTDOWN,	 /* the server shut down */
};

struct tag {
	enum tag_kind kind;
	void *p;
};

/* The outstanding request for one registered method's next call. */
struct waiting {
	struct tag tag;
	enum vigil_rpc_method m;
	grpc_call *call;
	gpr_timespec deadline;
	grpc_metadata_array md;
	grpc_byte_buffer *payload;
};

struct waiting_unknown {
	struct tag tag;
	grpc_call *call;
	grpc_call_details details;
	grpc_metadata_array md;
};

struct call {
	struct vigil_server *srv;
	grpc_call *call;
	enum vigil_rpc_method m;
	unsigned refs; /* under srv->lock */
	struct tag t_send, t_close, t_done;
	int cancelled;
	grpc_slice status_msg;
	bool has_status_msg;
	grpc_byte_buffer *bb; /* the answer, or the message being sent */
	struct call *next;    /* in streams or pending */
	/* unary */
	uint8_t *req;
	size_t req_len;
	int req_err; /* no readable request */
	/* GetEvents */
	struct vigil_evstream es;
	bool es_open, sending, closed;
};

struct vigil_server {
	grpc_server *server;
	grpc_completion_queue *cq;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool server_down; /* the shutdown tag completed */
	bool stopping;	  /* no new call is taken */
	bool ending;	  /* no new send is started */
	int efd;
	char *node_name;
	char *unix_path; /* the socket, removed at stop */
	const struct vigil_api_ops *ops;
	size_t queue_msgs, queue_bytes;
	unsigned max_streams;
	void *methods[VIGIL_RPC_COUNT];
	struct waiting waits[VIGIL_RPC_COUNT];
	struct waiting_unknown unknown;
	struct tag shutdown_tag;
	struct call *streams;
	struct call *pending, **pending_tail; /* in arrival order */
	unsigned npending;
	size_t pending_bytes;
	atomic_uint nstreams;
	struct vigil_server_stats st; /* streams_total, events_queued, unary_calls */
	uint64_t closed_dropped;      /* events_dropped of the streams that ended */
};

/* --- calls ------------------------------------------------------------------- */

static struct call *call_new(struct vigil_server *s, grpc_call *gc, enum vigil_rpc_method m)
{
	struct call *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->srv = s;
	c->call = gc;
	c->m = m;
	c->t_send = (struct tag){ TAG_SEND, c };
	c->t_close = (struct tag){ TAG_CLOSE, c };
	c->t_done = (struct tag){ TAG_DONE, c };
	return c;
}

static void call_free(struct call *c)
{
	if (c->es_open)
		vigil_evstream_close(&c->es);
	if (c->bb)
		grpc_byte_buffer_destroy(c->bb);
	if (c->has_status_msg)
		grpc_slice_unref(c->status_msg);
	if (c->call)
		grpc_call_unref(c->call);
	free(c->req);
	free(c);
}

/* Drop a reference (under the lock, or on a call no other thread sees). */
static void call_put(struct call *c)
{
	if (--c->refs == 0)
		call_free(c);
}

/*
 * End a call that has sent nothing yet with status and msg: one batch
 * (initial metadata, status, close), freed when it completes.  On a call
 * no other thread sees.
 */
static void call_finish(struct call *c, int status, const char *msg, grpc_byte_buffer *answer)
{
	grpc_op ops[4];
	size_t n = 0;

	memset(ops, 0, sizeof(ops));
	c->status_msg = grpc_slice_from_copied_string(msg);
	c->has_status_msg = true;
	ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
	if (answer) {
		c->bb = answer;
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = answer;
	}
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.status = (grpc_status_code)status;
	ops[n++].data.send_status_from_server.status_details = &c->status_msg;
	ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[n++].data.recv_close_on_server.cancelled = &c->cancelled;
	c->refs = 1;
	if (grpc_call_start_batch(c->call, ops, n, &c->t_done, NULL) != GRPC_CALL_OK) {
		grpc_call_cancel_with_status(c->call, (grpc_status_code)status, msg, NULL);
		call_free(c);
	}
}

/* A call that cannot even be answered (out of memory, stopping). */
static void call_drop(grpc_call *gc, grpc_status_code status, const char *msg)
{
	grpc_call_cancel_with_status(gc, status, msg, NULL);
	grpc_call_unref(gc);
}

/* --- GetEvents streams ------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void evmsg_release(void *m)
{
	vigil_evmsg_put(m);
}

/* Start sending the stream's next message, when it is idle (locked). */
static void stream_send(struct call *c)
{
	struct vigil_evmsg *m;
	grpc_slice sl;
	grpc_op op;

	if (c->sending || c->closed)
		return;
	m = vigil_evstream_next(&c->es, now_ns());
	if (!m)
		return;
	/* The message's bytes go out as they are: gRPC drops the reference
	 * when it has sent them. */
	sl = grpc_slice_new_with_user_data(m->data, m->len, evmsg_release, m);
	c->bb = grpc_raw_byte_buffer_create(&sl, 1);
	grpc_slice_unref(sl);
	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_SEND_MESSAGE;
	op.data.send_message.send_message = c->bb;
	c->refs++;
	c->sending = true;
	if (grpc_call_start_batch(c->call, &op, 1, &c->t_send, NULL) != GRPC_CALL_OK) {
		grpc_byte_buffer_destroy(c->bb);
		c->bb = NULL;
		c->sending = false;
		c->closed = true;
		c->refs--;
		grpc_call_cancel(c->call, NULL);
	}
}

static void stream_open(struct vigil_server *s, grpc_call *gc, grpc_byte_buffer *payload)
{
	struct call *c = call_new(s, gc, VIGIL_RPC_GET_EVENTS);
	char err[600], msg[700];
	grpc_op ops[1];
	uint8_t *req = NULL;
	size_t len = 0;
	int ret;

	if (!c) {
		call_drop(gc, GRPC_STATUS_RESOURCE_EXHAUSTED, "GetEvents: out of memory");
		return;
	}
	ret = payload ? vigil_grpc_read(payload, &req, &len) : -ENODATA;
	if (ret) {
		call_finish(c, VIGIL_STATUS_INVALID_ARGUMENT,
			    ret == -ENODATA ? "GetEvents: no request message"
					    : "GetEvents: the request cannot be read",
			    NULL);
		return;
	}
	ret = vigil_evstream_open(&c->es, req, len, s->queue_msgs, s->queue_bytes, s->node_name,
				  err, sizeof(err));
	free(req);
	if (ret) {
		snprintf(msg, sizeof(msg), "GetEvents: %s", err);
		call_finish(c, vigil_rpc_status(ret), msg, NULL);
		return;
	}
	c->es_open = true;
	pthread_mutex_lock(&s->lock);
	if (s->stopping || atomic_load(&s->nstreams) >= s->max_streams) {
		bool stop = s->stopping;

		pthread_mutex_unlock(&s->lock);
		if (stop) {
			/* No headers: the client must not take it for a stream. */
			call_drop(gc, GRPC_STATUS_UNAVAILABLE, "vigild is stopping");
			c->call = NULL;
			call_free(c);
			return;
		}
		snprintf(msg, sizeof(msg), "GetEvents: %u streams are open, the most vigild serves",
			 s->max_streams);
		call_finish(c, VIGIL_STATUS_RESOURCE_EXHAUSTED, msg, NULL);
		return;
	}
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[0].data.recv_close_on_server.cancelled = &c->cancelled;
	if (grpc_call_start_batch(gc, ops, 1, &c->t_close, NULL) != GRPC_CALL_OK) {
		pthread_mutex_unlock(&s->lock);
		call_drop(gc, GRPC_STATUS_INTERNAL, "GetEvents: cannot start the stream");
		c->call = NULL;
		call_free(c);
		return;
	}
	c->refs = 2; /* the close batch and the list */
	c->next = s->streams;
	s->streams = c;
	atomic_fetch_add(&s->nstreams, 1);
	s->st.streams_total++;
	/* Headers now: the client knows the stream is open. */
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	c->refs++;
	c->sending = true;
	if (grpc_call_start_batch(gc, ops, 1, &c->t_send, NULL) != GRPC_CALL_OK) {
		c->refs--;
		c->sending = false;
		c->closed = true;
		grpc_call_cancel(gc, NULL);
	}
	pthread_mutex_unlock(&s->lock);
}

static void stream_sent(struct call *c, bool ok)
{
	struct vigil_server *s = c->srv;

	pthread_mutex_lock(&s->lock);
	if (c->bb) {
		grpc_byte_buffer_destroy(c->bb);
		c->bb = NULL;
	}
	c->sending = false;
	if (!ok)
		c->closed = true;
	if (!c->closed && !s->ending)
		stream_send(c);
	call_put(c);
	if (s->stopping)
		pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void stream_closed(struct call *c)
{
	struct vigil_server *s = c->srv;
	struct call **pp;

	pthread_mutex_lock(&s->lock);
	c->closed = true;
	for (pp = &s->streams; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			atomic_fetch_sub(&s->nstreams, 1);
			s->closed_dropped += c->es.q.dropped;
			call_put(c); /* the list's */
			break;
		}
	call_put(c); /* the close batch's */
	pthread_mutex_unlock(&s->lock);
}

bool vigil_server_wants_events(const struct vigil_server *s)
{
	return s && atomic_load_explicit(&s->nstreams, memory_order_relaxed) > 0;
}

void vigil_server_publish(struct vigil_server *s, const Tetragon__GetEventsResponse *ev)
{
	struct vigil_evoffer o = { .msg = ev };
	struct call *c;

	if (!vigil_server_wants_events(s))
		return;
	pthread_mutex_lock(&s->lock);
	for (c = s->streams; c; c = c->next) {
		if (c->closed)
			continue;
		if (vigil_evstream_offer(&c->es, &o) == 1) {
			s->st.events_queued++;
			stream_send(c);
		}
	}
	pthread_mutex_unlock(&s->lock);
	vigil_evoffer_done(&o);
}

/* --- unary calls --------------------------------------------------------------- */

static void unary_queue(struct vigil_server *s, grpc_call *gc, enum vigil_rpc_method m,
			grpc_byte_buffer *payload)
{
	struct call *c = call_new(s, gc, m);
	uint64_t one = 1;
	char msg[160];

	if (!c) {
		call_drop(gc, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	c->req_err = payload ? vigil_grpc_read(payload, &c->req, &c->req_len) : -ENODATA;
	pthread_mutex_lock(&s->lock);
	if (s->stopping || s->npending >= VIGIL_SERVER_MAX_PENDING ||
	    s->pending_bytes + c->req_len > VIGIL_SERVER_MAX_PENDING_BYTES) {
		bool stop = s->stopping;
		unsigned n = s->npending;

		pthread_mutex_unlock(&s->lock);
		if (stop)
			snprintf(msg, sizeof(msg), "vigild is stopping");
		else
			snprintf(msg, sizeof(msg),
				 "%s: %u calls wait for vigild already; try again",
				 vigil_rpcs[m].name, n);
		call_finish(c, stop ? VIGIL_STATUS_UNAVAILABLE : VIGIL_STATUS_RESOURCE_EXHAUSTED,
			    msg, NULL);
		return;
	}
	*s->pending_tail = c;
	s->pending_tail = &c->next;
	s->npending++;
	s->pending_bytes += c->req_len;
	pthread_mutex_unlock(&s->lock);
	if (write(s->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		vigil_err("gRPC: waking the agent: %s", strerror(errno));
}

int vigil_server_fd(const struct vigil_server *s)
{
	return s ? s->efd : -1;
}

static void unary_run(struct vigil_server *s, struct call *c)
{
	struct vigil_rpc_result *r = malloc(sizeof(*r));
	struct vigil_server_stats st;
	grpc_byte_buffer *answer = NULL;
	char msg[160];

	if (!r) {
		call_finish(c, VIGIL_STATUS_RESOURCE_EXHAUSTED, "out of memory", NULL);
		return;
	}
	if (c->req_err) {
		snprintf(msg, sizeof(msg), "%s: %s", vigil_rpcs[c->m].name,
			 c->req_err == -ENODATA ? "no request message"
						: "the request cannot be read");
		memset(r, 0, sizeof(*r));
		r->status = VIGIL_STATUS_INVALID_ARGUMENT;
		vigil_rpc_set_msg(r, msg);
	} else {
		vigil_server_get_stats(s, &st);
		vigil_rpc_run(s->ops, c->m, c->req, c->req_len, &st, r);
	}
	free(c->req);
	c->req = NULL;
	if (r->status == VIGIL_STATUS_OK) {
		answer = vigil_grpc_buffer(r->resp, r->resp_len);
		if (!answer) {
			r->status = VIGIL_STATUS_RESOURCE_EXHAUSTED;
			vigil_rpc_set_msg(r, "out of memory");
		}
	}
	call_finish(c, r->status, r->msg, answer);
	vigil_rpc_result_free(r);
	free(r);
}

void vigil_server_dispatch(struct vigil_server *s)
{
	struct call *list, *c;
	uint64_t n;

	if (!s)
		return;
	if (read(s->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		vigil_err("gRPC: reading the wakeup: %s", strerror(errno));
	pthread_mutex_lock(&s->lock);
	list = s->pending;
	s->pending = NULL;
	s->pending_tail = &s->pending;
	s->npending = 0;
	s->pending_bytes = 0;
	pthread_mutex_unlock(&s->lock);
	while ((c = list)) {
		list = c->next;
		c->next = NULL;
		unary_run(s, c);
		pthread_mutex_lock(&s->lock);
		s->st.unary_calls++;
		pthread_mutex_unlock(&s->lock);
	}
}

void vigil_server_get_stats(struct vigil_server *s, struct vigil_server_stats *st)
{
	struct call *c;

	pthread_mutex_lock(&s->lock);
	*st = s->st;
	st->streams = atomic_load(&s->nstreams);
	st->events_dropped = s->closed_dropped;
	for (c = s->streams; c; c = c->next)
		st->events_dropped += c->es.q.dropped;
	pthread_mutex_unlock(&s->lock);
}

/* --- new calls ------------------------------------------------------------------ */

static bool stopping(struct vigil_server *s)
{
	bool stop;

	pthread_mutex_lock(&s->lock);
	stop = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

static int request(struct vigil_server *s, struct waiting *w)
{
	w->call = NULL;
	w->payload = NULL;
	grpc_metadata_array_init(&w->md);
	if (grpc_server_request_registered_call(s->server, s->methods[w->m], &w->call, &w->deadline,
						&w->md, &w->payload, s->cq, s->cq,
						&w->tag) != GRPC_CALL_OK) {
		grpc_metadata_array_destroy(&w->md);
		return -EIO;
	}
	return 0;
}

static int request_unknown(struct vigil_server *s)
{
	struct waiting_unknown *u = &s->unknown;

	u->call = NULL;
	grpc_call_details_init(&u->details);
	grpc_metadata_array_init(&u->md);
	if (grpc_server_request_call(s->server, &u->call, &u->details, &u->md, s->cq, s->cq,
				     &u->tag) != GRPC_CALL_OK) {
		grpc_call_details_destroy(&u->details);
		grpc_metadata_array_destroy(&u->md);
		return -EIO;
	}
	return 0;
}

static void on_new(struct vigil_server *s, struct waiting *w, bool ok)
{
	grpc_call *gc = w->call;
	grpc_byte_buffer *payload = w->payload;

	grpc_metadata_array_destroy(&w->md);
	if (ok && gc && !stopping(s)) {
		if (request(s, w))
			vigil_err("gRPC: cannot wait for more %s calls", vigil_rpcs[w->m].name);
		if (w->m == VIGIL_RPC_GET_EVENTS)
			stream_open(s, gc, payload);
		else
			unary_queue(s, gc, w->m, payload);
	} else if (gc) {
		call_drop(gc, GRPC_STATUS_UNAVAILABLE, "vigild is stopping");
	}
	if (payload)
		grpc_byte_buffer_destroy(payload);
}

static void on_new_unknown(struct vigil_server *s, bool ok)
{
	struct waiting_unknown *u = &s->unknown;
	grpc_call *gc = u->call;
	struct call *c;
	char msg[400], *method;

	if (ok && gc && !stopping(s)) {
		method = grpc_slice_to_c_string(u->details.method);
		snprintf(msg, sizeof(msg), "vigild does not implement the method %.300s",
			 method ? method : "?");
		gpr_free(method);
		grpc_call_details_destroy(&u->details);
		grpc_metadata_array_destroy(&u->md);
		if (request_unknown(s))
			vigil_err("gRPC: cannot wait for more calls of unknown methods");
		c = call_new(s, gc, VIGIL_RPC_COUNT);
		if (c)
			call_finish(c, VIGIL_STATUS_UNIMPLEMENTED, msg, NULL);
		else
			call_drop(gc, GRPC_STATUS_UNIMPLEMENTED, msg);
		return;
	}
	grpc_call_details_destroy(&u->details);
	grpc_metadata_array_destroy(&u->md);
	if (gc)
		call_drop(gc, GRPC_STATUS_UNAVAILABLE, "vigild is stopping");
}

static void *cq_main(void *arg)
{
	struct vigil_server *s = arg;

	for (;;) {
		grpc_event ev = grpc_completion_queue_next(
			s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
		struct tag *t = ev.tag;
		struct call *c;

		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			break;
		if (ev.type != GRPC_OP_COMPLETE)
			continue;
		switch (t->kind) {
		case TAG_NEW:
			on_new(s, t->p, ev.success);
			break;
		case TAG_NEW_UNKNOWN:
			on_new_unknown(s, ev.success);
			break;
		case TAG_SEND:
			stream_sent(t->p, ev.success);
			break;
		case TAG_CLOSE:
			stream_closed(t->p);
			break;
		case TAG_DONE:
			c = t->p;
			pthread_mutex_lock(&s->lock);
			call_put(c);
			pthread_mutex_unlock(&s->lock);
			break;
		case TAG_SHUTDOWN:
			pthread_mutex_lock(&s->lock);
			s->server_down = true;
			pthread_cond_signal(&s->cond);
			pthread_mutex_unlock(&s->lock);
			break;
		}
	}
	return NULL;
}

/* --- start and stop ------------------------------------------------------------- */

/* The unix socket's path: its directory made (0755) when missing and not
 * writable by others; a socket left by an earlier agent removed, one that
 * another process serves refused. */
static int prepare_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(sa.sun_path)], *slash;
	struct stat st;
	int fd, ret;

	if (!path[0] || strlen(path) >= sizeof(sa.sun_path)) {
		vigil_err("gRPC API: unix socket path '%s' is empty or longer than %zu bytes", path,
			  sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir(dir, 0755) && errno != EEXIST) {
			ret = -errno;
			vigil_err("gRPC API: cannot make directory %s: %s", dir, strerror(errno));
			return ret;
		}
		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			vigil_err("gRPC API: %s is not a directory", dir);
			return -ENOTDIR;
		}
		if ((st.st_mode & 0022) && !(st.st_mode & S_ISVTX)) {
			vigil_err("gRPC API: directory %s is writable by others (mode %04o); the "
				  "socket would not be safe there",
				  dir, st.st_mode & 07777);
			return -EPERM;
		}
	}
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		vigil_err("gRPC API: %s: %s", path, strerror(errno));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode)) {
		vigil_err("gRPC API: %s exists and is not a socket; not replacing it", path);
		return -EEXIST;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	close(fd);
	if (!ret) {
		vigil_err("gRPC API: another process serves %s (is vigild running already?)", path);
		return -EADDRINUSE;
	}
	if (unlink(path) && errno != ENOENT) {
		ret = -errno;
		vigil_err("gRPC API: cannot remove the old socket %s: %s", path, strerror(errno));
		return ret;
	}
	return 0;
}

/* "unix:PATH" or "unix:///PATH" -> PATH; NULL for a TCP address. */
static const char *unix_path(const char *addr)
{
	if (strncmp(addr, "unix:", 5))
		return NULL;
	addr += 5;
	if (!strncmp(addr, "//", 2))
		addr += 2;
	return addr;
}

static bool loopback(const char *addr)
{
	static const char *const local[] = { "localhost:", "127.", "[::1]:", "ip6-localhost:" };
	size_t i;

	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (!strncmp(addr, local[i], strlen(local[i])))
			return true;
	return false;
}

static int listen_on(struct vigil_server *s, const char *addr)
{
	grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
	const char *path = unix_path(addr);
	char why[512], uri[sizeof(((struct sockaddr_un *)0)->sun_path) + 16];
	mode_t old = 0;
	int port, ret;

	if (path) {
		ret = prepare_unix(path);
		if (ret) {
			grpc_server_credentials_release(creds);
			return ret;
		}
		s->unix_path = strdup(path);
		snprintf(uri, sizeof(uri), "unix:%s", path);
		addr = uri;
		/* Born 0600: no other user can connect before the chmod. */
		old = umask(0177);
	} else if (!strchr(addr, ':')) {
		grpc_server_credentials_release(creds);
		vigil_err("gRPC API: '%s' is neither unix:PATH nor HOST:PORT", addr);
		return -EINVAL;
	}
	port = grpc_server_add_http2_port(s->server, addr, creds);
	if (path)
		umask(old);
	grpc_server_credentials_release(creds);
	if (!port) {
		vigil_grpc_last_error(why, sizeof(why));
		vigil_err("gRPC API: cannot listen on %s%s%s", addr, why[0] ? ": " : "", why);
		return -EADDRNOTAVAIL;
	}
	if (path && chmod(path, 0600)) {
		ret = -errno;
		vigil_err("gRPC API: chmod 0600 %s: %s", path, strerror(errno));
		return ret;
	}
	if (!path && !loopback(addr))
		vigil_err("gRPC API on %s: reachable from other hosts, without authentication",
			  addr);
	return 0;
}

int vigil_server_start(const struct vigil_server_cfg *cfg, struct vigil_server **out)
{
	grpc_arg args[2];
	grpc_channel_args ca = { .num_args = 2, .args = args };
	struct vigil_server *s;
	unsigned i;
	int ret;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->pending_tail = &s->pending;
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->node_name = strdup(cfg->node_name ? cfg->node_name : "");
	s->ops = cfg->ops;
	s->queue_msgs = cfg->queue_msgs;
	s->queue_bytes = cfg->queue_bytes;
	s->max_streams = cfg->max_streams ? cfg->max_streams : VIGIL_SERVER_MAX_STREAMS;
	if (s->efd < 0 || !s->node_name) {
		ret = s->efd < 0 ? -errno : -ENOMEM;
		vigil_err("gRPC API: %s", strerror(-ret));
		goto fail_early;
	}
	vigil_grpc_init("vigild", 1);
	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[0].value.integer = VIGIL_SERVER_MAX_REQUEST;
	/* A second vigild must not share the port. */
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = (char *)GRPC_ARG_ALLOW_REUSEPORT;
	args[1].value.integer = 0;
	s->server = grpc_server_create(&ca, NULL);
	s->cq = grpc_completion_queue_create_for_next(NULL);
	grpc_server_register_completion_queue(s->server, s->cq, NULL);
	for (i = 0; i < VIGIL_RPC_COUNT; i++) {
		s->methods[i] =
			grpc_server_register_method(s->server, vigil_rpcs[i].path, NULL,
						    GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER, 0);
		s->waits[i] = (struct waiting){ .tag = { TAG_NEW, &s->waits[i] }, .m = i };
	}
	s->unknown.tag = (struct tag){ TAG_NEW_UNKNOWN, &s->unknown };
	s->shutdown_tag = (struct tag){ TAG_SHUTDOWN, s };
	ret = listen_on(s, cfg->address);
	if (ret)
		goto fail;
	grpc_server_start(s->server);
	ret = -pthread_create(&s->thread, NULL, cq_main, s);
	s->thread_started = !ret;
	for (i = 0; !ret && i < VIGIL_RPC_COUNT; i++)
		if (request(s, &s->waits[i]))
			ret = -EIO;
	if (!ret && request_unknown(s))
		ret = -EIO;
	if (ret) {
		vigil_err("gRPC API: cannot start serving: %s", strerror(-ret));
		vigil_server_stop(s);
		return ret;
	}
	*out = s;
	return 0;
fail:
	/* Nothing was requested: the server can go at once. */
	grpc_server_shutdown_and_notify(s->server, s->cq, &s->shutdown_tag);
	grpc_server_cancel_all_calls(s->server);
	grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
	grpc_server_destroy(s->server);
	grpc_completion_queue_shutdown(s->cq);
	while (grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type !=
	       GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(s->cq);
	vigil_grpc_shutdown();
fail_early:
	if (s->efd >= 0)
		close(s->efd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->unix_path);
	free(s->node_name);
	free(s);
	return ret;
}

/* Whether a stream still has events to send (locked). */
static bool unsent(const struct vigil_server *s)
{
	const struct call *c;

	for (c = s->streams; c; c = c->next)
		if (!c->closed && (c->sending || c->es.q.n))
			return true;
	return false;
}

void vigil_server_stop(struct vigil_server *s)
{
	struct call *c, *pending;
	struct timespec until;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	/* What is queued goes out first, for a second at most: a client
	 * that does not read is not waited for longer. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	while (s->thread_started && unsent(s) &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
		;
	s->ending = true;
	for (c = s->streams; c; c = c->next)
		grpc_call_cancel_with_status(c->call, GRPC_STATUS_UNAVAILABLE, "vigild is stopping",
					     NULL);
	pending = s->pending;
	s->pending = NULL;
	s->pending_tail = &s->pending;
	s->npending = 0;
	s->pending_bytes = 0;
	pthread_mutex_unlock(&s->lock);
	while ((c = pending)) {
		pending = c->next;
		grpc_call_cancel_with_status(c->call, GRPC_STATUS_UNAVAILABLE, "vigild is stopping",
					     NULL);
		call_free(c);
	}
	grpc_server_shutdown_and_notify(s->server, s->cq, &s->shutdown_tag);
	grpc_server_cancel_all_calls(s->server);
	if (s->thread_started) {
		pthread_mutex_lock(&s->lock);
		while (!s->server_down)
			pthread_cond_wait(&s->cond, &s->lock);
		pthread_mutex_unlock(&s->lock);
	}
	grpc_server_destroy(s->server);
	grpc_completion_queue_shutdown(s->cq);
	if (s->thread_started)
		pthread_join(s->thread, NULL);
	else
		while (grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL)
			       .type != GRPC_QUEUE_SHUTDOWN)
			;
	grpc_completion_queue_destroy(s->cq);
	/* Every stream's close has completed: none is left. */
	while ((c = s->streams)) {
		s->streams = c->next;
		call_free(c);
	}
	vigil_grpc_shutdown();
	if (s->unix_path)
		unlink(s->unix_path);
	close(s->efd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->unix_path);
	free(s->node_name);
	free(s);
}
