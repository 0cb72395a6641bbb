// SPDX-License-Identifier: Apache-2.0
/*
 * output.c - line sinks: events are encoded into an in-memory buffer through
 * a fopencookie() stream and written with write(2), whole lines only.  A
 * failed or short write drops and counts what could not be written, cuts a
 * torn line off a regular file, and is reported once per outage; vigild
 * keeps running.  See output.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "log.h"
#include "output.h"

struct vigil_output {
	char *path;   /* file sinks, opened again by vigil_output_reopen(); else NULL */
	char *label;  /* "export file PATH" or the fd's name, for messages */
	int fd;	      /* -1 while a file sink cannot be opened again */
	bool own_fd;  /* closed by vigil_output_close() */
	bool regular; /* a regular file: a torn line can be cut off */
	bool append;  /* O_APPEND: every write lands at the end of the file */
	FILE *stream; /* what the encoders write into */
	bool oom;     /* the stream could not take the current event's bytes */

	/* Pending bytes: the complete events, then the event being encoded. */
	char *buf;
	size_t len, cap;
	size_t *ends; /* end offset in buf of each complete event */
	size_t nev, evcap;
	bool carry; /* ends[0] is the rest of an event already partly written */

	int outage;	      /* errno while writing fails, else 0 */
	bool announced;	      /* the outage was reported on stderr */
	uint64_t outage_base; /* dropped when the outage began */
	uint64_t dropped, written;
};

int vigil_open_private(const char *path, int extra_flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | extra_flags, 0600);

	return fd < 0 ? -errno : fd;
}

/* The export file, without hanging on a FIFO that has no reader. */
static int open_export(const char *path)
{
	int fd = vigil_open_private(path, O_APPEND | O_NONBLOCK);
	int fl, err;

	if (fd < 0)
		return fd;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* One message for a failed open of the export file; what is "" or "reopen: ". */
static void report_open(const char *path, const char *what, int err, const char *after)
{
	struct stat st;

	if (err == -ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		vigil_err("export file %s: %sis a symbolic link, which is refused (%s)%s", path,
			  what, strerror(-err), after);
	else
		vigil_err("export file %s: %s%s%s", path, what, strerror(-err), after);
}

static void set_fd(struct vigil_output *o, int fd)
{
	struct stat st;
	int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;

	o->fd = fd;
	o->regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	o->append = fl >= 0 && (fl & O_APPEND);
}

static int reserve(struct vigil_output *o, size_t more)
{
	size_t cap = o->cap ? o->cap : 4096;
	char *p;

	if (more <= o->cap - o->len)
		return 0;
	if (more > SIZE_MAX / 4 - o->len)
		return -ENOMEM;
	while (cap < o->len + more)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p)
		return -ENOMEM;
	o->buf = p;
	o->cap = cap;
	return 0;
}

static int reserve_event(struct vigil_output *o)
{
	size_t cap = o->evcap ? 2 * o->evcap : 64;
	size_t *p;

	if (o->nev < o->evcap)
		return 0;
	p = reallocarray(o->ends, cap, sizeof(*p));
	if (!p)
		return -ENOMEM;
	o->ends = p;
	o->evcap = cap;
	return 0;
}

/* fopencookie write: append to the pending bytes.  0 (errno set) on failure. */
static ssize_t stream_write(void *cookie, const char *data, size_t size)
{
	struct vigil_output *o = cookie;

	if (reserve(o, size)) {
		o->oom = true;
		errno = ENOMEM;
		return 0;
	}
	memcpy(o->buf + o->len, data, size);
	o->len += size;
	return (ssize_t)size;
}

static struct vigil_output *sink_new(const char *path, const char *name, int fd, bool own_fd)
{
	static const cookie_io_functions_t io = { .write = stream_write };
	struct vigil_output *o = calloc(1, sizeof(*o));

	if (!o)
		goto cleanup;
	if (path) {
		o->path = strdup(path);
		if (!o->path || asprintf(&o->label, "export file %s", path) < 0) {
			o->label = NULL;
			goto cleanup;
		}
	} else {
		o->label = strdup(name);
		if (!o->label)
			goto cleanup;
	}
	o->stream = fopencookie(o, "w", io);
	if (!o->stream || setvbuf(o->stream, NULL, _IONBF, 0))
		goto cleanup;
	set_fd(o, fd);
	o->own_fd = own_fd;
	return o;

cleanup:
	if (o) {
		if (o->stream)
			fclose(o->stream);
		free(o->label);
		free(o->path);
		free(o);
	}
	errno = ENOMEM;
	return NULL;
}

int vigil_output_open_file(const char *path, struct vigil_output **out)
{
	int fd = open_export(path);

	if (fd < 0) {
		report_open(path, "", fd, "");
		return fd;
	}
	*out = sink_new(path, NULL, fd, true);
	if (!*out) {
		close(fd);
		vigil_err("export file %s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	return 0;
}

struct vigil_output *vigil_output_fd(int fd, const char *name)
{
	return sink_new(NULL, name, fd, false);
}

FILE *vigil_output_stream(struct vigil_output *o)
{
	return o->stream;
}

static size_t complete_bytes(const struct vigil_output *o)
{
	return o->nev ? o->ends[o->nev - 1] : 0;
}

int vigil_output_end_event(struct vigil_output *o, int encode_err)
{
	size_t done = complete_bytes(o);
	bool failed;

	fflush(o->stream); /* unbuffered: a no-op, unless glibc held a byte back */
	clearerr(o->stream);
	failed = encode_err || o->oom;
	o->oom = false;
	if (!failed && o->len == done)
		return 0; /* nothing was encoded: no event */
	if (!failed && o->buf[o->len - 1] != '\n') {
		failed = reserve(o, 1) != 0;
		if (!failed)
			o->buf[o->len++] = '\n';
	}
	if (!failed)
		failed = reserve_event(o) != 0;
	if (failed) {
		o->len = done;
		o->dropped++;
		return 0;
	}
	o->ends[o->nev++] = o->len;
	return o->len > VIGIL_OUTPUT_FLUSH_AT ? vigil_output_flush(o) : 0;
}

/* write(2) buf[*off, n), advancing *off.  0 or a negative errno. */
static int write_all(int fd, const char *buf, size_t n, size_t *off)
{
	while (*off < n) {
		ssize_t w = write(fd, buf + *off, n - *off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		*off += (size_t)w;
	}
	return 0;
}

/* Where the next write lands in a regular file, or -1 when a torn line
 * there could not be cut off (not a regular file, or writing inside it). */
static off_t write_pos(const struct vigil_output *o)
{
	struct stat st;
	off_t pos;

	if (!o->regular || fstat(o->fd, &st))
		return -1;
	if (o->append)
		return st.st_size;
	pos = lseek(o->fd, 0, SEEK_CUR);
	return pos == st.st_size ? pos : -1;
}

/* Cut the file back to at, where the last whole line ends. */
static int cut_at(const struct vigil_output *o, off_t at)
{
	if (ftruncate(o->fd, at))
		return -errno;
	if (!o->append && lseek(o->fd, at, SEEK_SET) < 0)
		return -errno;
	return 0;
}

/* Forget the complete events, keeping buf[from, to) as one carried event
 * (none when from == to) and the bytes of the event being encoded. */
static void settle(struct vigil_output *o, size_t from, size_t to)
{
	size_t done = complete_bytes(o), rest = o->len - done, kept = to - from;

	if (kept)
		memmove(o->buf, o->buf + from, kept);
	if (rest)
		memmove(o->buf + kept, o->buf + done, rest);
	o->len = kept + rest;
	o->nev = kept ? 1 : 0;
	if (kept)
		o->ends[0] = kept;
	o->carry = kept != 0;
}

static void outage_begins(struct vigil_output *o, int err, uint64_t dropped_before)
{
	if (!o->outage)
		o->outage_base = dropped_before;
	o->outage = -err;
	if (!o->announced && err != -EPIPE) {
		vigil_err("%s: %s; events are counted as dropped until writing succeeds", o->label,
			  strerror(-err));
		o->announced = true;
	}
}

static void outage_ends(struct vigil_output *o)
{
	uint64_t n = o->dropped - o->outage_base;

	if (o->announced)
		vigil_err("%s: writing again after %llu event%s dropped", o->label,
			  (unsigned long long)n, n == 1 ? "" : "s");
	o->outage = 0;
	o->announced = false;
}

int vigil_output_flush(struct vigil_output *o)
{
	size_t done = complete_bytes(o), off = 0, whole, i = 0, from = 0, to = 0;
	uint64_t before = o->dropped, lost;
	off_t base = -1;
	int err = 0, fd;

	if (!o->nev)
		return 0;
	if (o->fd < 0) {
		/* A reopen failed: try the path again, quietly (it was reported). */
		fd = o->path ? open_export(o->path) : -EBADF;
		if (fd < 0)
			err = fd;
		else
			set_fd(o, fd);
	}
	if (!err) {
		base = write_pos(o);
		err = write_all(o->fd, o->buf, done, &off);
	}
	while (i < o->nev && o->ends[i] <= off)
		i++;
	whole = i ? o->ends[i - 1] : 0;
	o->written += i;
	if (!err) {
		settle(o, 0, 0);
		if (o->outage)
			outage_ends(o);
		return 0;
	}

	/* Events i.. were not written whole.  Event i may have reached the
	 * output in part: cut it off a regular file, else keep its rest so
	 * that the line is completed first when writing works again.  The rest
	 * of a line carried from an earlier flush is never cut (its start is
	 * in the file before base). */
	lost = o->nev - i;
	if (off > whole || (o->carry && i == 0)) {
		bool carried = o->carry && i == 0;

		if (carried || base < 0 || cut_at(o, base + (off_t)whole)) {
			from = off;
			to = o->ends[i];
			lost--;
		}
	}
	o->dropped += lost;
	settle(o, from, to);
	outage_begins(o, err, before);
	return err == -EPIPE ? -EPIPE : 0;
}

int vigil_output_reopen(struct vigil_output *o)
{
	int err = vigil_output_flush(o), fd;

	if (!o->path)
		return err;
	fd = open_export(o->path);
	if (o->fd >= 0 && close(o->fd))
		vigil_err("%s: close: %s", o->label, strerror(errno));
	set_fd(o, fd);
	if (fd < 0) {
		report_open(o->path, "reopen: ", fd,
			    "; events are counted as dropped until writing succeeds");
		if (!o->outage)
			o->outage_base = o->dropped;
		o->outage = -fd;
		o->announced = true;
		return fd;
	}
	return 0;
}

uint64_t vigil_output_dropped(const struct vigil_output *o)
{
	return o->dropped;
}

uint64_t vigil_output_written(const struct vigil_output *o)
{
	return o->written;
}

int vigil_output_error(const struct vigil_output *o)
{
	return o->outage;
}

void vigil_output_close(struct vigil_output *o)
{
	if (!o)
		return;
	vigil_output_flush(o);
	fclose(o->stream);
	if (o->own_fd && o->fd >= 0 && close(o->fd))
		vigil_err("%s: close: %s", o->label, strerror(errno));
	free(o->ends);
	free(o->buf);
	free(o->label);
	free(o->path);
	free(o);
}
