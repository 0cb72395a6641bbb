// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/output.c, the line sinks: whole lines only, encoder
 * failures leave nothing, private files, symlinks refused, and write
 * failures (/dev/full, a closed pipe, RLIMIT_FSIZE, a full pipe) dropped,
 * counted, reported once and recovered from, with no torn line left behind.
 * Each test works in its own mkdtemp() directory; stderr is captured into a
 * file where a message is asserted.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "encode.h"
#include "output.h"

struct fixture {
	char dir[64];
	char path[128]; /* dir/x.json */
	int saved_stderr;
	char errpath[128];
	struct rlimit fsize; /* restored by teardown, should a test fail */
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-output.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/x.json", f->dir);
	snprintf(f->errpath, sizeof(f->errpath), "%s/stderr", f->dir);
	f->saved_stderr = -1;
	if (getrlimit(RLIMIT_FSIZE, &f->fsize)) {
		rmdir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char buf[4096];
	ssize_t n;
	int fd;

	setrlimit(RLIMIT_FSIZE, &f->fsize);
	if (f->saved_stderr >= 0) {
		/* A test failed with stderr captured: put it back and show it. */
		dup2(f->saved_stderr, STDERR_FILENO);
		close(f->saved_stderr);
		fd = open(f->errpath, O_RDONLY | O_CLOEXEC);
		while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			if (write(STDERR_FILENO, buf, (size_t)n) < 0)
				break;
		if (fd >= 0)
			close(fd);
	}
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Send stderr (vigil_err) to dir/stderr until stderr_text(). */
static void capture_stderr(struct fixture *f)
{
	int fd = open(f->errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	fflush(stderr);
	f->saved_stderr = dup(STDERR_FILENO);
	assert_true(f->saved_stderr >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

/* Whole contents of a file, NUL-terminated; *len its size. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(fp);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 20) - 1, fp);
	fclose(fp);
	if (len)
		*len = n;
	return buf;
}

/* Restore stderr and return what was written to it (caller frees). */
static char *stderr_text(struct fixture *f)
{
	fflush(stderr);
	assert_int_equal(dup2(f->saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(f->saved_stderr);
	f->saved_stderr = -1;
	return slurp(f->errpath, NULL);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* One event: "{"n":N,"pad":"xxx..."}\n", len bytes in all (len >= 32),
 * written in several pieces as an encoder does. */
static void put_event(struct vigil_output *o, int n, size_t len)
{
	FILE *s = vigil_output_stream(o);
	char head[32];
	size_t i, pad;

	snprintf(head, sizeof(head), "{\"n\":%05d,\"pad\":\"", n);
	pad = len - strlen(head) - 3;
	assert_int_not_equal(fputs(head, s), EOF);
	for (i = 0; i < pad; i++)
		assert_int_not_equal(fputc('x', s), EOF);
	assert_int_not_equal(fputs("\"}", s), EOF);
	assert_int_not_equal(fputc('\n', s), EOF);
	assert_int_equal(vigil_output_end_event(o, 0), 0);
}

/* buf holds only whole lines as put_event() writes them; returns how many. */
static int whole_lines(const char *buf, size_t len)
{
	const char *p = buf, *nl;
	int n = 0;

	if (len)
		assert_int_equal(buf[len - 1], '\n');
	while (p < buf + len) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		assert_non_null(nl);
		assert_memory_equal(p, "{\"n\":", 5);
		assert_memory_equal(nl - 2, "\"}", 2);
		assert_null(memchr(p, '\0', (size_t)(nl - p)));
		p = nl + 1;
		n++;
	}
	return n;
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void test_lines_written_whole(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char *buf;
	size_t len;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	put_event(o, 1, 100);
	put_event(o, 2, 200);
	put_event(o, 3, 50);
	assert_int_equal(file_size(f->path), 0); /* nothing before the flush */
	assert_int_equal(vigil_output_flush(o), 0);
	buf = slurp(f->path, &len);
	assert_int_equal(len, 350);
	assert_int_equal(whole_lines(buf, len), 3);
	assert_memory_equal(buf, "{\"n\":00001,", 11);
	assert_memory_equal(buf + 100, "{\"n\":00002,", 11);
	assert_memory_equal(buf + 300, "{\"n\":00003,", 11);
	assert_int_equal(vigil_output_written(o), 3);
	assert_int_equal(vigil_output_dropped(o), 0);
	assert_int_equal(vigil_output_error(o), 0);
	free(buf);
	vigil_output_close(o);
}

static void test_close_flushes(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char *buf;
	size_t len;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	put_event(o, 1, 64);
	vigil_output_close(o);
	buf = slurp(f->path, &len);
	assert_int_equal(len, 64);
	assert_int_equal(whole_lines(buf, len), 1);
	free(buf);
}

static void test_json_encoder_writes_through_stream(void **state)
{
	struct fixture *f = *state;
	struct vigil_cache *cache = vigil_cache_new();
	struct vigil_encode_ctx ctx = { .node_name = "node" };
	struct vigil_exec_desc d = { 0 };
	struct vigil_out_event ev = { 0 };
	struct vigil_output *o = NULL;
	struct json_object *obj, *v;
	char *buf;
	size_t len;

	assert_non_null(cache);
	d.pid = d.tid = 4242;
	d.ktime = 1000;
	d.binary = "/usr/bin/curl";
	d.args = "https://example.com";
	d.cwd = "/";
	ev.proc = vigil_cache_exec(cache, &d);
	assert_non_null(ev.proc);
	ev.kind = VIGIL_OUT_EXEC;
	ev.ktime = 2000;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	assert_int_equal(vigil_write_json(vigil_output_stream(o), &ctx, &ev), 0);
	assert_int_equal(vigil_output_end_event(o, 0), 0);
	assert_int_equal(vigil_write_compact(vigil_output_stream(o), &ctx, &ev), 0);
	assert_int_equal(vigil_output_end_event(o, 0), 0);
	vigil_output_close(o);

	buf = slurp(f->path, &len);
	assert_true(len > 0);
	assert_non_null(strchr(buf, '\n'));
	*strchr(buf, '\n') = '\0';
	obj = json_tokener_parse(buf);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "process_exec", &v));
	assert_true(json_object_object_get_ex(v, "process", &v));
	assert_true(json_object_object_get_ex(v, "binary", &v));
	assert_string_equal(json_object_get_string(v), "/usr/bin/curl");
	json_object_put(obj);
	/* the compact line follows, whole */
	assert_non_null(strstr(buf + strlen(buf) + 1, "/usr/bin/curl https://example.com\n"));
	assert_int_equal(buf[len - 1], '\n');
	free(buf);
	vigil_process_put(cache, ev.proc);
	vigil_cache_free(cache);
}

static void test_encoder_failure_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char *buf;
	size_t len;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	fputs("{\"process_exec\":{\"process\":", vigil_output_stream(o));
	assert_int_equal(vigil_output_end_event(o, -ENOMEM), 0);
	put_event(o, 2, 40);
	fputs("{\"half", vigil_output_stream(o));
	assert_int_equal(vigil_output_end_event(o, -EIO), 0);
	assert_int_equal(vigil_output_flush(o), 0);
	buf = slurp(f->path, &len);
	assert_int_equal(len, 40);
	assert_int_equal(whole_lines(buf, len), 1);
	assert_memory_equal(buf, "{\"n\":00002,", 11);
	assert_int_equal(vigil_output_dropped(o), 2);
	assert_int_equal(vigil_output_written(o), 1);
	free(buf);
	vigil_output_close(o);
}

static void test_missing_newline_is_added(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char *buf;
	size_t len;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	fputs("{\"n\":00001,\"pad\":\"\"}", vigil_output_stream(o));
	assert_int_equal(vigil_output_end_event(o, 0), 0);
	assert_int_equal(vigil_output_end_event(o, 0), 0); /* nothing encoded: no line */
	vigil_output_close(o);
	buf = slurp(f->path, &len);
	assert_string_equal(buf, "{\"n\":00001,\"pad\":\"\"}\n");
	free(buf);
}

static void test_flushes_past_64k_pending(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	int n = 0;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	while ((n + 1) * 1000 <= VIGIL_OUTPUT_FLUSH_AT)
		put_event(o, n++, 1000);
	assert_int_equal(file_size(f->path), 0);
	put_event(o, n++, 1000); /* now more than 64 KiB pending */
	assert_int_equal(file_size(f->path), (off_t)n * 1000);
	assert_int_equal(vigil_output_written(o), n);
	vigil_output_close(o);
}

static void test_file_created_0600(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char other[160];
	struct stat st;
	mode_t old = umask(0);
	int fd;

	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	vigil_output_close(o);

	snprintf(other, sizeof(other), "%s/stats.json", f->dir);
	fd = vigil_open_private(other, O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	umask(old);
}

static void test_symlink_at_path_is_refused(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char target[160], *err;

	snprintf(target, sizeof(target), "%s/target", f->dir);
	assert_int_equal(symlink(target, f->path), 0);
	capture_stderr(f);
	assert_int_equal(vigil_output_open_file(f->path, &o), -ELOOP);
	err = stderr_text(f);
	assert_null(o);
	assert_int_equal(access(target, F_OK), -1); /* the link was not followed */
	assert_int_equal(count(err, "vigild: export file "), 1);
	assert_non_null(strstr(err, f->path));
	assert_non_null(strstr(err, "symbolic link"));
	assert_non_null(strstr(err, "refused"));
	assert_int_equal(vigil_open_private(f->path, O_TRUNC), -ELOOP);
	assert_int_equal(access(target, F_OK), -1);
	free(err);
}

static void test_open_error_names_path_and_errno(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char path[160], *err;

	snprintf(path, sizeof(path), "%s/missing/x.json", f->dir);
	capture_stderr(f);
	assert_int_equal(vigil_output_open_file(path, &o), -ENOENT);
	err = stderr_text(f);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, strerror(ENOENT)));
	assert_int_equal(vigil_open_private(path, 0), -ENOENT);
	free(err);
}

static void test_fifo_without_reader_does_not_block(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char *err;

	assert_int_equal(mkfifo(f->path, 0600), 0);
	capture_stderr(f);
	assert_int_equal(vigil_output_open_file(f->path, &o), -ENXIO);
	err = stderr_text(f);
	assert_non_null(strstr(err, f->path));
	free(err);
}

static void test_dev_full_drops_counts_reports_once(void **state)
{
	struct fixture *f = *state;
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	struct vigil_output *o;
	char *err;

	assert_true(fd >= 0);
	o = vigil_output_fd(fd, "stdout");
	assert_non_null(o);
	capture_stderr(f);
	put_event(o, 1, 100);
	put_event(o, 2, 100);
	put_event(o, 3, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(vigil_output_dropped(o), 3);
	assert_int_equal(vigil_output_error(o), ENOSPC);
	put_event(o, 4, 100);
	put_event(o, 5, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(vigil_output_flush(o), 0); /* nothing pending: no write */
	err = stderr_text(f);
	assert_int_equal(vigil_output_dropped(o), 5);
	assert_int_equal(vigil_output_written(o), 0);
	assert_int_equal(count(err, "No space left on device"), 1);
	assert_non_null(strstr(err, "vigild: stdout: No space left on device; events are counted "
				    "as dropped until writing succeeds\n"));
	assert_null(strstr(err, "writing again"));
	vigil_output_close(o);
	assert_true(fcntl(fd, F_GETFD) >= 0); /* not closed: the caller owns it */
	close(fd);
	free(err);
}

static void test_closed_pipe_is_epipe(void **state)
{
	struct fixture *f = *state;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	struct vigil_output *o;
	int p[2];
	char *err;

	assert_int_equal(pipe(p), 0);
	close(p[0]);
	o = vigil_output_fd(p[1], "stdout");
	assert_non_null(o);
	capture_stderr(f);
	put_event(o, 1, 100);
	put_event(o, 2, 100);
	assert_int_equal(vigil_output_flush(o), -EPIPE);
	put_event(o, 3, 100);
	assert_int_equal(vigil_output_flush(o), -EPIPE);
	err = stderr_text(f);
	assert_int_equal(vigil_output_dropped(o), 3);
	assert_int_equal(vigil_output_error(o), EPIPE);
	assert_string_equal(err, ""); /* the caller decides what EPIPE means */
	vigil_output_close(o);
	close(p[1]);
	signal(SIGPIPE, old);
	free(err);
}

static void set_fsize(rlim_t cur)
{
	struct rlimit rl;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = cur;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void test_short_write_leaves_no_torn_line(void **state)
{
	struct fixture *f = *state;
	void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
	struct vigil_output *o = NULL;
	struct rlimit saved;
	char *buf, *err;
	size_t len;
	int i;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	put_event(o, 0, 100);
	put_event(o, 1, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(file_size(f->path), 200);

	/* The limit falls in the middle of the second of five new lines: the
	 * first write is cut short, the next fails with EFBIG. */
	capture_stderr(f);
	for (i = 2; i < 7; i++)
		put_event(o, i, 100);
	set_fsize(350);
	assert_int_equal(vigil_output_flush(o), 0);
	for (i = 7; i < 9; i++)
		put_event(o, i, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	set_fsize(saved.rlim_cur);
	buf = slurp(f->path, &len);
	assert_int_equal(len, 300);
	assert_int_equal(whole_lines(buf, len), 3);
	assert_int_equal(vigil_output_written(o), 3);
	assert_int_equal(vigil_output_dropped(o), 6);
	assert_int_equal(vigil_output_error(o), EFBIG);
	free(buf);

	/* The limit is raised: writing resumes and says so, once. */
	put_event(o, 9, 100);
	put_event(o, 10, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	put_event(o, 11, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	err = stderr_text(f);
	buf = slurp(f->path, &len);
	assert_int_equal(len, 600);
	assert_int_equal(whole_lines(buf, len), 6);
	assert_memory_equal(buf + 300, "{\"n\":00009,", 11);
	assert_int_equal(vigil_output_written(o), 6);
	assert_int_equal(vigil_output_dropped(o), 6);
	assert_int_equal(vigil_output_error(o), 0);
	assert_int_equal(count(err, strerror(EFBIG)), 1);
	assert_non_null(strstr(err, "vigild: export file "));
	assert_non_null(strstr(err, f->path));
	assert_int_equal(count(err, "writing again after 6 events dropped\n"), 1);
	free(err);
	free(buf);
	vigil_output_close(o);
	signal(SIGXFSZ, old);
}

static void test_short_write_on_plain_fd_regular_file(void **state)
{
	struct fixture *f = *state;
	void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
	struct vigil_output *o;
	struct rlimit saved;
	char *buf, *err;
	size_t len;
	int fd;

	/* stdout redirected with ">": a regular file written at its offset */
	fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	o = vigil_output_fd(fd, "stdout");
	assert_non_null(o);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	capture_stderr(f);
	put_event(o, 0, 100);
	put_event(o, 1, 100);
	put_event(o, 2, 100);
	set_fsize(250);
	assert_int_equal(vigil_output_flush(o), 0);
	set_fsize(saved.rlim_cur);
	put_event(o, 3, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	err = stderr_text(f);
	buf = slurp(f->path, &len);
	assert_int_equal(len, 300); /* no hole where the torn line was cut */
	assert_int_equal(whole_lines(buf, len), 3);
	assert_memory_equal(buf + 200, "{\"n\":00003,", 11);
	assert_int_equal(vigil_output_dropped(o), 1);
	assert_non_null(strstr(err, "stdout: writing again after 1 event dropped"));
	free(buf);
	free(err);
	vigil_output_close(o);
	close(fd);
	signal(SIGXFSZ, old);
}

static void test_partial_line_on_pipe_is_completed_first(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o;
	char *got, *err;
	size_t have = 0, size;
	ssize_t n;
	int p[2];

	/* A one-page, non-blocking pipe: the first flush writes one line and
	 * part of the next, then meets EAGAIN. */
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	assert_true(fcntl(p[1], F_SETPIPE_SZ, 4096) >= 4096);
	n = fcntl(p[1], F_GETPIPE_SZ);
	size = (size_t)n + 8192;
	got = calloc(1, size);
	assert_non_null(got);
	o = vigil_output_fd(p[1], "stdout");
	assert_non_null(o);
	capture_stderr(f);
	put_event(o, 1, (size_t)n - 1000);
	put_event(o, 2, 3000);
	put_event(o, 3, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(vigil_output_error(o), EAGAIN);
	assert_int_equal(vigil_output_written(o), 1);
	assert_int_equal(vigil_output_dropped(o), 1); /* event 3; event 2 is carried */
	/* Still full: the carried rest waits, newer lines are dropped. */
	put_event(o, 4, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(vigil_output_dropped(o), 2);

	while ((n = read(p[0], got + have, size - 1 - have)) > 0)
		have += (size_t)n;
	put_event(o, 5, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	while ((n = read(p[0], got + have, size - 1 - have)) > 0)
		have += (size_t)n;
	err = stderr_text(f);
	assert_int_equal(whole_lines(got, have), 3);
	assert_int_equal(have, (size_t)fcntl(p[1], F_GETPIPE_SZ) - 1000 + 3000 + 100);
	assert_non_null(strstr(got, "{\"n\":00002,"));
	assert_non_null(strstr(got, "{\"n\":00005,"));
	assert_int_equal(vigil_output_written(o), 3);
	assert_int_equal(count(err, strerror(EAGAIN)), 1);
	assert_non_null(strstr(err, "stdout: writing again after 2 events dropped"));
	vigil_output_close(o);
	close(p[0]);
	close(p[1]);
	free(got);
	free(err);
}

struct interrupter {
	pthread_t victim;
	int fd;	     /* read end of the pipe */
	size_t want; /* bytes to read */
	size_t got;
};

static void on_usr1(int sig)
{
	(void)sig;
}

static void pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Interrupt the victim blocked in write(2), then drain the pipe. */
static void *interrupt_then_drain(void *arg)
{
	struct interrupter *in = arg;
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	pause_ms(100);
	pthread_kill(in->victim, SIGUSR1);
	pause_ms(100);
	while (in->got < in->want && poll(&pfd, 1, 2000) == 1 &&
	       (n = read(in->fd, buf, sizeof(buf))) > 0)
		in->got += (size_t)n;
	return NULL;
}

static void test_interrupted_write_is_retried(void **state)
{
	struct fixture *f = *state;
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	struct interrupter in = { .victim = pthread_self() };
	struct vigil_output *o;
	pthread_t t;
	char *fill, *err;
	int p[2], size;

	/* A full pipe: write(2) blocks until SIGUSR1 (no SA_RESTART) makes it
	 * fail with EINTR; the sink must write again, not report an outage. */
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	size = fcntl(p[1], F_SETPIPE_SZ, 4096);
	assert_true(size >= 4096);
	fill = malloc((size_t)size);
	assert_non_null(fill);
	memset(fill, 'x', (size_t)size);
	assert_int_equal(write(p[1], fill, (size_t)size), size);
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	in.fd = p[0];
	in.want = (size_t)size + 100;
	o = vigil_output_fd(p[1], "stdout");
	assert_non_null(o);
	put_event(o, 1, 100);
	capture_stderr(f);
	assert_int_equal(pthread_create(&t, NULL, interrupt_then_drain, &in), 0);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	err = stderr_text(f);
	assert_string_equal(err, "");
	assert_int_equal(in.got, in.want);
	assert_int_equal(vigil_output_written(o), 1);
	assert_int_equal(vigil_output_dropped(o), 0);
	vigil_output_close(o);
	sigaction(SIGUSR1, &old, NULL);
	close(p[0]);
	close(p[1]);
	free(fill);
	free(err);
}

static void test_reopen_after_rename_creates_new_file(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char rotated[160], *buf;
	struct stat st;
	size_t len;

	snprintf(rotated, sizeof(rotated), "%s/x.json.1", f->dir);
	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	put_event(o, 1, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(rename(f->path, rotated), 0);
	put_event(o, 2, 100); /* pending at the reopen: goes to the old file */
	assert_int_equal(vigil_output_reopen(o), 0);
	put_event(o, 3, 100);
	assert_int_equal(vigil_output_flush(o), 0);

	buf = slurp(rotated, &len);
	assert_int_equal(whole_lines(buf, len), 2);
	assert_memory_equal(buf + 100, "{\"n\":00002,", 11);
	free(buf);
	buf = slurp(f->path, &len);
	assert_int_equal(whole_lines(buf, len), 1);
	assert_memory_equal(buf, "{\"n\":00003,", 11);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(buf);
	vigil_output_close(o);
}

static void test_reopen_failure_counts_then_recovers(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char sub[160], path[200], aside[160], *buf, *err;
	size_t len;

	snprintf(sub, sizeof(sub), "%s/logs", f->dir);
	snprintf(aside, sizeof(aside), "%s/logs.old", f->dir);
	snprintf(path, sizeof(path), "%s/x.json", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(vigil_output_open_file(path, &o), 0);
	assert_int_equal(rename(sub, aside), 0);
	capture_stderr(f);
	assert_int_equal(vigil_output_reopen(o), -ENOENT);
	put_event(o, 1, 100);
	put_event(o, 2, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	assert_int_equal(vigil_output_dropped(o), 2);
	assert_int_equal(vigil_output_error(o), ENOENT);
	assert_int_equal(mkdir(sub, 0700), 0);
	put_event(o, 3, 100);
	assert_int_equal(vigil_output_flush(o), 0); /* opens the path again */
	err = stderr_text(f);
	buf = slurp(path, &len);
	assert_int_equal(whole_lines(buf, len), 1);
	assert_memory_equal(buf, "{\"n\":00003,", 11);
	assert_int_equal(count(err, strerror(ENOENT)), 1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "reopen"));
	assert_non_null(strstr(err, "writing again after 2 events dropped"));
	assert_int_equal(vigil_output_error(o), 0);
	free(buf);
	free(err);
	vigil_output_close(o);
}

static void test_reopen_refuses_planted_symlink(void **state)
{
	struct fixture *f = *state;
	struct vigil_output *o = NULL;
	char target[160], *err;

	snprintf(target, sizeof(target), "%s/target", f->dir);
	assert_int_equal(vigil_output_open_file(f->path, &o), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(symlink(target, f->path), 0);
	capture_stderr(f);
	assert_int_equal(vigil_output_reopen(o), -ELOOP);
	put_event(o, 1, 100);
	assert_int_equal(vigil_output_flush(o), 0);
	err = stderr_text(f);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(vigil_output_dropped(o), 1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_non_null(strstr(err, f->path));
	free(err);
	vigil_output_close(o);
}

int main(void)
{
	const struct CMUnitTest output[] = {
		cmocka_unit_test_setup_teardown(test_lines_written_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_encoder_writes_through_stream, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_encoder_failure_leaves_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_newline_is_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flushes_past_64k_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_created_0600, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_at_path_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_error_names_path_and_errno, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_without_reader_does_not_block, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_full_drops_counts_reports_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_closed_pipe_is_epipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_write_leaves_no_torn_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_short_write_on_plain_fd_regular_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_partial_line_on_pipe_is_completed_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_write_is_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_after_rename_creates_new_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reopen_failure_counts_then_recovers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reopen_refuses_planted_symlink, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("output", output, NULL, NULL);
}
