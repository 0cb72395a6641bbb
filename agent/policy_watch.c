// SPDX-License-Identifier: Apache-2.0
/*
 * policy_watch.c - the tracing policy directory, applied live (see
 * policy_watch.h): inotify events -> the names to look at again -> the
 * lifecycle calls, with a table of which file loaded which policy.  What a
 * file holds now decides, not the event that named it: a name written and
 * then deleted within one read is simply gone.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "diag.h"
#include "log.h"
#include "policies.h"
#include "policy_watch.h"
#include "readfile.h"
#include "yaml_doc.h"

#define DIR_MASK                                                                     \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | \
	 IN_MOVE_SELF | IN_ONLYDIR)
#define ANC_MASK  (IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define ERRS_SIZE 65536
/* How long a file gone is given to come back before its policy is deleted:
 * up to SETTLE_ROUNDS waits of SETTLE_MS while events keep coming. */
#define SETTLE_MS     25
#define SETTLE_ROUNDS 4

/* One policy file of the directory. */
struct file {
	char *name;    /* in the directory */
	char *policy;  /* the policy it loaded and still holds, or NULL */
	uint64_t hash; /* of the content last tried */
	bool tried;    /* hash is set */
	int read_err;  /* the read error last reported, or 0 */
	bool seen;     /* rescan: listed */
};

/* A name to look at again. */
struct pending {
	char *name;
	bool done; /* looked at since it was last named */
	bool gone; /* and it was not there */
};

struct vigil_policy_watch {
	const struct vigil_policy_watch_ops *ops;
	void *ctx;
	char *dir;	/* as given, without trailing slashes */
	char *shown;	/* dir, escaped for messages */
	int fd;		/* inotify, or -1 */
	int wd;		/* the directory's watch, or -1 */
	int anc_wd;	/* the ancestor waited on, or -1 */
	char *anc_next; /* the name the directory's path continues with under it */
	struct file *files;
	size_t nfiles;
	struct pending *pending;
	size_t npending;
	bool rescan, rearm;
	bool quiet; /* the load at start: vigild lists what loaded */
};

bool vigil_watch_policy_name(const char *name)
{
	size_t l = strlen(name);

	return name[0] != '.' && ((l > 5 && !strcmp(name + l - 5, ".yaml")) ||
				  (l > 4 && !strcmp(name + l - 4, ".yml")));
}

enum vigil_watch_action vigil_watch_decide(bool on_dir, uint32_t mask, const char *name,
					   const char *next)
{
	if (mask & IN_Q_OVERFLOW)
		return VIGIL_WATCH_RESCAN;
	if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT))
		return VIGIL_WATCH_REARM;
	if (!name || !name[0])
		return VIGIL_WATCH_NONE;
	if (!on_dir)
		return (mask & (IN_CREATE | IN_MOVED_TO)) && next && !strcmp(name, next)
			       ? VIGIL_WATCH_REARM
			       : VIGIL_WATCH_NONE;
	if (mask & IN_ISDIR)
		return VIGIL_WATCH_NONE;
	if ((mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)) &&
	    vigil_watch_policy_name(name))
		return VIGIL_WATCH_FILE;
	return VIGIL_WATCH_NONE;
}

/* --- the table ------------------------------------------------------------ */

static uint64_t content_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct file *find_file(const struct vigil_policy_watch *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++)
		if (!strcmp(w->files[i].name, name))
			return &w->files[i];
	return NULL;
}

static struct file *new_file(struct vigil_policy_watch *w, const char *name)
{
	struct file *f = realloc(w->files, (w->nfiles + 1) * sizeof(*f));

	if (!f)
		return NULL;
	w->files = f;
	f = &w->files[w->nfiles];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	if (!f->name)
		return NULL;
	w->nfiles++;
	return f;
}

static void drop_file(struct vigil_policy_watch *w, struct file *f)
{
	free(f->name);
	free(f->policy);
	*f = w->files[--w->nfiles];
}

/* dir/name, escaped for messages; NULL without memory. */
static char *shown_path(const struct vigil_policy_watch *w, const char *name)
{
	char *esc = vigil_escape_dup(name), *out = NULL;

	if (esc && asprintf(&out, "%s/%s", w->shown, esc) < 0)
		out = NULL;
	free(esc);
	return out;
}

/* f now holds policy (its load replaced any policy of that name). */
static void claim(struct vigil_policy_watch *w, struct file *f, const char *policy,
		  const char *shown)
{
	char *old = f->policy, *other;
	bool taken = false;
	size_t i;
	int ret;

	for (i = 0; i < w->nfiles; i++) {
		struct file *g = &w->files[i];

		if (g == f || !g->policy || strcmp(g->policy, policy))
			continue;
		other = shown_path(w, g->name);
		vigil_err("tracing policy %s replaced from %s (it was loaded from %s)", policy,
			  shown, other ? other : w->shown);
		free(other);
		free(g->policy);
		g->policy = NULL;
		taken = true;
	}
	f->policy = strdup(policy);
	if (!f->policy)
		vigil_err("tracing policy %s from %s: %s; deleting the file will not delete it",
			  policy, shown, strerror(ENOMEM));
	if (old && !strcmp(old, policy)) {
		vigil_err("tracing policy %s replaced from %s", policy, shown);
	} else {
		if (!w->quiet && !taken)
			vigil_err("tracing policy %s loaded from %s", policy, shown);
		/* Only now that the new policy enforces does the old one go. */
		if (old) {
			ret = w->ops->del(w->ctx, old);
			if (!ret)
				vigil_err("tracing policy %s deleted: %s holds %s now", old, shown,
					  policy);
			else if (ret != -ENOENT)
				vigil_err("tracing policy %s: delete: %s", old, strerror(-ret));
		}
	}
	free(old);
}

/* The content of name is text: load it unless it is what was tried last. */
static void file_changed(struct vigil_policy_watch *w, const char *name, const char *text,
			 size_t len)
{
	struct file *f = find_file(w, name);
	uint64_t h = content_hash(text, len);
	char *shown = NULL, *errs = NULL, policy[256];
	int ret;

	if (f && f->tried && f->hash == h) {
		f->read_err = 0;
		return; /* unchanged; or the same broken text, reported already */
	}
	if (!f)
		f = new_file(w, name);
	shown = shown_path(w, name);
	errs = malloc(ERRS_SIZE);
	if (!f || !shown || !errs) {
		vigil_err("tracing policy directory %s: %s", w->shown, strerror(ENOMEM));
		goto cleanup;
	}
	f->tried = true;
	f->hash = h;
	f->read_err = 0;
	errs[0] = 0;
	ret = w->ops->add(w->ctx, shown, text, len, policy, sizeof(policy), errs, ERRS_SIZE);
	if (ret) {
		if (errs[0])
			vigil_err("%s", errs);
		if (f->policy)
			vigil_err("%s not loaded; tracing policy %s keeps its earlier version",
				  shown, f->policy);
		else
			vigil_err("%s not loaded", shown);
		goto cleanup;
	}
	claim(w, f, policy, shown);
cleanup:
	free(errs);
	free(shown);
}

static void read_failed(struct vigil_policy_watch *w, const char *name, int err)
{
	struct file *f = find_file(w, name);
	char *shown;

	if (!f)
		f = new_file(w, name);
	if (f && f->read_err == err)
		return; /* said already */
	if (f)
		f->read_err = err;
	shown = shown_path(w, name);
	if (err == -EINVAL || err == -EFBIG)
		vigil_err("%s: not a regular file of at most %u bytes", shown ? shown : w->shown,
			  VIGIL_YAML_MAX_BYTES);
	else
		vigil_err("%s: %s", shown ? shown : w->shown, strerror(-err));
	if (f && f->policy)
		vigil_err("%s not loaded; tracing policy %s keeps its earlier version",
			  shown ? shown : w->shown, f->policy);
	free(shown);
}

static void file_gone(struct vigil_policy_watch *w, const char *name)
{
	struct file *f = find_file(w, name);
	char *shown;
	int ret;

	if (!f)
		return;
	if (f->policy) {
		shown = shown_path(w, name);
		ret = w->ops->del(w->ctx, f->policy);
		if (!ret)
			vigil_err("tracing policy %s deleted: %s is gone", f->policy,
				  shown ? shown : w->shown);
		else if (ret != -ENOENT)
			vigil_err("tracing policy %s: delete: %s", f->policy, strerror(-ret));
		free(shown);
	}
	drop_file(w, f);
}

/* Load name as it is now.  Returns 1 when it is not there (any more). */
static int sync_present(struct vigil_policy_watch *w, const char *name)
{
	char *path = NULL, *text = NULL;
	size_t len = 0;
	int ret;

	if (asprintf(&path, "%s/%s", w->dir, name) < 0) {
		vigil_err("tracing policy directory %s: %s", w->shown, strerror(ENOMEM));
		return 0;
	}
	ret = vigil_read_file(path, VIGIL_YAML_MAX_BYTES, true, &text, &len);
	free(path);
	if (ret == -ENOENT || ret == -ENOTDIR)
		return 1;
	if (ret)
		read_failed(w, name, ret);
	else
		file_changed(w, name, text, len);
	free(text);
	return 0;
}

static int policy_dirent(const struct dirent *d)
{
	return vigil_watch_policy_name(d->d_name);
}

/* Compare the whole directory with the table: load what is there (in name
 * order), then forget what is not. */
static void rescan(struct vigil_policy_watch *w)
{
	struct dirent **names = NULL;
	struct file *f;
	size_t i;
	int n, j;

	w->rescan = false;
	n = scandir(w->dir, &names, policy_dirent, alphasort);
	if (n < 0 && errno != ENOENT && errno != ENOTDIR) {
		vigil_err("tracing policy directory %s: %s", w->shown, strerror(errno));
		return;
	}
	for (i = 0; i < w->nfiles; i++)
		w->files[i].seen = false;
	for (j = 0; j < n; j++) {
		if (!sync_present(w, names[j]->d_name)) {
			f = find_file(w, names[j]->d_name);
			if (f)
				f->seen = true;
		}
		free(names[j]);
	}
	free(names);
	for (i = w->nfiles; i-- > 0;)
		if (!w->files[i].seen)
			file_gone(w, w->files[i].name);
}

static void clear_pending(struct vigil_policy_watch *w)
{
	size_t i;

	for (i = 0; i < w->npending; i++)
		free(w->pending[i].name);
	free(w->pending);
	w->pending = NULL;
	w->npending = 0;
}

void vigil_policy_watch_note(struct vigil_policy_watch *w, uint32_t mask, const char *name)
{
	struct pending *p;
	size_t i;

	switch (vigil_watch_decide(true, mask, name, NULL)) {
	case VIGIL_WATCH_RESCAN:
		w->rescan = true;
		return;
	case VIGIL_WATCH_REARM:
		w->rearm = true;
		return;
	case VIGIL_WATCH_FILE:
		break;
	default:
		return;
	}
	for (i = 0; i < w->npending; i++)
		if (!strcmp(w->pending[i].name, name)) {
			w->pending[i].done = false; /* look again */
			return;
		}
	p = realloc(w->pending, (w->npending + 1) * sizeof(*p));
	if (p) {
		w->pending = p;
		p += w->npending;
		memset(p, 0, sizeof(*p));
		p->name = strdup(name);
		if (p->name) {
			w->npending++;
			return;
		}
	}
	w->rescan = true; /* out of memory: compare everything next */
}

static bool more_events(struct vigil_policy_watch *w, int timeout_ms);

void vigil_policy_watch_apply(struct vigil_policy_watch *w)
{
	struct pending *p;
	bool any_gone;
	int rounds = 0;
	size_t i;

	for (;;) {
		if (w->rescan) {
			rescan(w);
			goto cleanup;
		}
		/* Files that are there are loaded now, in event order. */
		any_gone = false;
		for (i = 0; i < w->npending; i++) {
			p = &w->pending[i];
			if (!p->done || p->gone)
				p->gone = sync_present(w, p->name);
			p->done = true;
			any_gone |= p->gone;
		}
		/* A file gone may be back in a moment (an editor that moves the
		 * old version away before writing the new): give it one. */
		if (!any_gone || rounds++ == SETTLE_ROUNDS || !more_events(w, SETTLE_MS))
			break;
	}
	for (i = 0; i < w->npending; i++)
		if (w->pending[i].gone)
			file_gone(w, w->pending[i].name);
cleanup:
	clear_pending(w);
}

const char *vigil_policy_watch_policy(const struct vigil_policy_watch *w, const char *file)
{
	const struct file *f = find_file(w, file);

	return f ? f->policy : NULL;
}

/* --- inotify -------------------------------------------------------------- */

static void set_wd(struct vigil_policy_watch *w, int *slot, int wd)
{
	if (*slot >= 0 && *slot != wd)
		inotify_rm_watch(w->fd, *slot); /* EINVAL when the kernel dropped it */
	*slot = wd;
}

/* Watch the nearest existing ancestor of the directory, for its next path
 * component to appear. */
static int watch_ancestor(struct vigil_policy_watch *w)
{
	char *cur = strdup(w->dir), *slash, *next;
	const char *anc, *base;
	int wd, ret = 0;

	if (!cur)
		return -ENOMEM;
	for (;;) {
		slash = strrchr(cur, '/');
		if (!slash) {
			anc = ".";
			base = cur;
		} else {
			*slash = 0;
			base = slash + 1;
			anc = slash == cur ? "/" : cur;
		}
		wd = inotify_add_watch(w->fd, anc, ANC_MASK);
		if (wd >= 0)
			break;
		if ((errno != ENOENT && errno != ENOTDIR) || !slash || slash == cur) {
			ret = -errno;
			goto cleanup;
		}
	}
	next = strdup(base);
	if (!next) {
		inotify_rm_watch(w->fd, wd);
		ret = -ENOMEM;
		goto cleanup;
	}
	set_wd(w, &w->anc_wd, wd);
	free(w->anc_next);
	w->anc_next = next;
cleanup:
	free(cur);
	return ret;
}

static void drop_ancestor(struct vigil_policy_watch *w)
{
	set_wd(w, &w->anc_wd, -1);
	free(w->anc_next);
	w->anc_next = NULL;
}

/* Watch the directory, or wait for it.  0 when watched, 1 when waiting. */
static int arm(struct vigil_policy_watch *w)
{
	int wd, ret;

	wd = inotify_add_watch(w->fd, w->dir, DIR_MASK);
	if (wd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		ret = watch_ancestor(w);
		if (ret)
			return ret;
		/* It may have appeared before the ancestor was watched. */
		wd = inotify_add_watch(w->fd, w->dir, DIR_MASK);
		if (wd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
			set_wd(w, &w->wd, -1);
			return 1;
		}
	}
	if (wd < 0)
		return -errno;
	set_wd(w, &w->wd, wd);
	drop_ancestor(w);
	return 0;
}

static void stop_watching(struct vigil_policy_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = w->wd = w->anc_wd = -1;
	free(w->anc_next);
	w->anc_next = NULL;
}

/* The directory (or the ancestor waited on) changed: watch what is there. */
static void rearm(struct vigil_policy_watch *w)
{
	bool was_watched = w->wd >= 0;
	int ret = arm(w);

	w->rearm = false;
	w->rescan = true;
	if (ret < 0) {
		vigil_err("tracing policy directory %s: not watched any more: %s", w->shown,
			  strerror(-ret));
		stop_watching(w);
	} else if (ret == 0 && !was_watched) {
		vigil_err("tracing policy directory %s appeared: loading it", w->shown);
	} else if (ret == 1 && was_watched) {
		vigil_err("tracing policy directory %s is gone: its policies are deleted; "
			  "waiting for it to appear again",
			  w->shown);
	}
}

int vigil_policy_watch_new(const char *dir, const struct vigil_policy_watch_ops *ops, void *ctx,
			   struct vigil_policy_watch **out)
{
	struct vigil_policy_watch *w = calloc(1, sizeof(*w));
	size_t l;

	if (!w)
		return -ENOMEM;
	w->ops = ops;
	w->ctx = ctx;
	w->fd = w->wd = w->anc_wd = -1;
	w->dir = strdup(dir);
	w->shown = vigil_escape_dup(dir);
	if (!w->dir || !w->shown) {
		vigil_policy_watch_free(w);
		return -ENOMEM;
	}
	l = strlen(w->dir);
	while (l > 1 && w->dir[l - 1] == '/')
		w->dir[--l] = 0;
	*out = w;
	return 0;
}

void vigil_policy_watch_free(struct vigil_policy_watch *w)
{
	if (!w)
		return;
	stop_watching(w);
	clear_pending(w);
	while (w->nfiles)
		drop_file(w, &w->files[0]);
	free(w->files);
	free(w->dir);
	free(w->shown);
	free(w);
}

int vigil_policy_watch_start(struct vigil_policy_watch *w, bool missing_ok)
{
	int ret;

	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		ret = -errno;
		vigil_err("tracing policy directory %s: not watched (inotify: %s); changes to it "
			  "need a restart",
			  w->shown, strerror(-ret));
	} else {
		ret = arm(w);
		if (ret < 0) {
			vigil_err("tracing policy directory %s: not watched (%s); changes to it "
				  "need a restart",
				  w->shown, strerror(-ret));
			stop_watching(w);
		} else if (ret == 1 && !missing_ok) {
			vigil_err("tracing policy directory %s does not exist: its policies are "
				  "loaded when it appears",
				  w->shown);
		} else if (ret == 1) {
			vigil_dbg("tracing policy directory %s does not exist; waiting for it",
				  w->shown);
		}
	}
	/* Watched first, then read: nothing written meanwhile is missed. */
	w->quiet = true;
	rescan(w);
	w->quiet = false;
	return 0;
}

int vigil_policy_watch_fd(const struct vigil_policy_watch *w)
{
	return w ? w->fd : -1;
}

/* Note every event the descriptor holds.  Returns how many were read. */
static size_t read_events(struct vigil_policy_watch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	size_t count = 0;
	ssize_t n;
	char *p;

	while (w->fd >= 0) {
		n = read(w->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			vigil_err("tracing policy directory %s: not watched any more: read: %s",
				  w->shown, n < 0 ? strerror(errno) : "end of file");
			stop_watching(w);
			break;
		}
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			count++;
			if (ev->mask & IN_Q_OVERFLOW)
				w->rescan = true;
			else if (ev->wd == w->wd && w->wd >= 0)
				vigil_policy_watch_note(w, ev->mask, ev->len ? ev->name : "");
			else if (ev->wd == w->anc_wd && w->anc_wd >= 0 &&
				 vigil_watch_decide(false, ev->mask, ev->len ? ev->name : "",
						    w->anc_next) == VIGIL_WATCH_REARM)
				w->rearm = true;
		}
	}
	return count;
}

/* Wait up to timeout_ms for more events and note them.  False when none
 * came, or the directory itself changed (the caller compares it whole). */
static bool more_events(struct vigil_policy_watch *w, int timeout_ms)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

	if (w->fd < 0 || poll(&pfd, 1, timeout_ms) <= 0)
		return false;
	return read_events(w) > 0 && !w->rearm;
}

int vigil_policy_watch_handle(struct vigil_policy_watch *w)
{
	if (!w || w->fd < 0)
		return 0;
	read_events(w);
	do {
		if (w->rearm && w->fd >= 0)
			rearm(w);
		vigil_policy_watch_apply(w);
	} while (w->rearm && w->fd >= 0);
	return 0;
}

/* --- the lifecycle of agent/policies.c ------------------------------------- */

static int lifecycle_add(void *ctx, const char *file, const char *text, size_t len, char *name,
			 size_t namesz, char *errs, size_t errsz)
{
	const char *n;
	int ret = vigil_policies_add(ctx, file, text, len, -1, errs, errsz);

	if (ret)
		return ret;
	n = vigil_policies_last_added(ctx);
	snprintf(name, namesz, "%s", n ? n : "");
	return 0;
}

static int lifecycle_del(void *ctx, const char *name)
{
	return vigil_policies_delete(ctx, name);
}

const struct vigil_policy_watch_ops vigil_policy_watch_lifecycle = {
	.add = lifecycle_add,
	.del = lifecycle_del,
};
