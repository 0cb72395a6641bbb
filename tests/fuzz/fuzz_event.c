// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_event.c - libFuzzer target for the ring-buffer message decoder
 * (agent/event.c) and everything vigild does with a decoded message.
 *
 * One input is one ring-buffer record of any length and content.  It is
 * copied into a heap buffer of exactly its size, so that ASan reports any
 * read past the record, and handed to the agent's own pipeline
 * (vigil_pipeline_msg(), agent/pipeline.c: type check, decode, description,
 * process cache, both encoders) with two in-memory outputs: the export JSON
 * and the compact stdout lines, each a sink (agent/output.c) on a memfd that
 * the target reads back and empties after every input.  The process cache
 * lives across inputs (clone and exit messages then find records that
 * earlier inputs made), is swept for lost exits every SWEEP_INPUTS inputs,
 * and is freed and made anew every CACHE_INPUTS inputs.  So a crash may need
 * records that earlier inputs left: when its input alone does not reproduce
 * it, replay the corpus files and then the input, in one run.  The target
 * also calls each decoder itself, to check what event.h promises.
 *
 * Besides the sanitizers, the target checks what the headers promise and
 * calls abort() when a promise is broken:
 *   - event.h: message types, return values, NUL-terminated output; a
 *     decoder never accepts another type's message; a joined path is the
 *     reference join "/a/b/c" when it is not cut, else ".../" and a suffix
 *     of it that keeps the leaf (or "" when the leaf does not fit); argv[1..]
 *     is the reference join when it fits; a policy event's argument strings
 *     are valid UTF-8;
 *   - pipeline.h: a malformed message is counted, never fatal; a message
 *     handled is counted by its type; an exec or exit gives one event on
 *     each output, a clone none; a policy event of no loaded policy is
 *     counted as stale and gives none;
 *   - process.h: a new image (exec or clone) is the live record for its
 *     pid, an exited one is not; an exit that names no live image leaves it
 *     alone; no record outlives the cache (LeakSanitizer, every
 *     LEAK_CHECK_CACHES caches and at exit);
 *   - container.h: a container id and a pod UID are whole or empty;
 *   - encode.h, output.h and encode_compact.c: the encoders never fail (no
 *     event dropped); an event is one line on each output: one JSON object
 *     (parsed back), and one compact line, valid UTF-8, with no control,
 *     bidi or invisible format character that could forge a line or drive
 *     a terminal.
 *
 * Bytes the agent ignores steer the target: hdr.pad bits 0 and 1 turn on
 * no_creds and no_ns; comm[0] and comm[1] are the output sizes of direct
 * calls to the two join functions, comm[2] bit 0 the path's cut flag.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sanitizer/lsan_interface.h>

#include "container.h"
#include "network.h"
#include "event.h"
#include "output.h"
#include "pipeline.h"
#include "utf8.h"

/* Weak: a build without LeakSanitizer (coverage, MSan) has no leak check. */
#pragma weak __lsan_do_recoverable_leak_check

#define CACHE_INPUTS	  1024
#define LEAK_CHECK_CACHES 16
#define SWEEP_INPUTS	  256 /* a sweep for lost exits, as vigild runs one */
#define NODE_NAME	  "fuzz-node"
#define OUT_MAX		  (1 << 20) /* one output of one input; the largest is about 200 KiB */

#define CHECK(cond)                                                                            \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "fuzz_event: %s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                                              \
			abort();                                                               \
		}                                                                              \
	} while (0)

static struct vigil_pipeline pl; /* its cache lives across inputs */
static int json_fd = -1, compact_fd = -1;
static struct vigil_exec_info *own_info; /* the target's own decoding: 10 KiB */
static struct vigil_policy_event_info *own_policy;
static unsigned long inputs;
static char outbuf[OUT_MAX];
static char ref[2 * 65536 + 2]; /* reference join of a u16-sized block */

static const struct vigil_encode_ctx base_ctx = {
	.node_name = NODE_NAME,
	.boot_wall_ns = 1700000000000000000ULL,
	.host_ns = { 4026531838U, 4026531839U, 4026531840U, 4026531836U, 4026531836U, 4026531992U,
		     4026531834U, 4026531834U, 4026531835U, 4026531837U },
};

/* --- reference implementations -------------------------------------------- */

/* A block of NUL-terminated strings, as the ABI describes every data part:
 * empty, or ending with its last string's NUL. */
static bool well_formed(const char *p, size_t len)
{
	return len == 0 || p[len - 1] == '\0';
}

/* "/a/b/c" from "c\0b\0a\0"; empty components skipped, "/" for none.
 * Returns the length. */
static size_t ref_join_path(const char *comps, size_t len)
{
	size_t i = len, o = 0;

	/* Walk the block backwards, root component first. */
	while (i > 0) {
		size_t end = i - 1, start = end; /* comps[end] is a NUL */

		while (start > 0 && comps[start - 1] != '\0')
			start--;
		if (end > start) {
			ref[o++] = '/';
			memcpy(ref + o, comps + start, end - start);
			o += end - start;
		}
		i = start;
	}
	if (o == 0)
		ref[o++] = '/';
	ref[o] = '\0';
	return o;
}

/* argv[1..] joined by spaces, an argument holding a space in quotes.
 * Returns the length, or (size_t)-1 when an argument in argv[1..] is
 * empty: event.h does not say how those are joined. */
static size_t ref_join_args(const char *argv, size_t len)
{
	size_t i = strnlen(argv, len) + 1, o = 0;

	while (i < len) {
		size_t l = strlen(argv + i);
		bool quote = memchr(argv + i, ' ', l) != NULL;

		if (l == 0)
			return (size_t)-1;
		if (o)
			ref[o++] = ' ';
		if (quote)
			ref[o++] = '"';
		memcpy(ref + o, argv + i, l);
		o += l;
		if (quote)
			ref[o++] = '"';
		i += l + 1;
	}
	ref[o] = '\0';
	return o;
}

/* Length of the valid UTF-8 character at s (strict: no overlong forms, no
 * surrogates, nothing above U+10FFFF), 0 if there is none. */
static size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, k;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static bool utf8_valid(const char *s, size_t len)
{
	size_t i, n;
	uint32_t cp;

	for (i = 0; i < len; i += n) {
		n = utf8_char((const unsigned char *)s + i, len - i, &cp);
		if (!n)
			return false;
	}
	return true;
}

/* --- event.h -------------------------------------------------------------- */

static bool nul_within(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

#define CUT_MARKER ".../"

/* Length of the leaf: the first component, 0 if there is none, or -1 if it
 * holds a '/' (a kernel name never does; what is kept of such a "leaf" is
 * not defined). */
static ssize_t leaf_len(const char *comps, size_t len)
{
	size_t i = 0, l;

	while (i < len) {
		l = strnlen(comps + i, len - i);
		if (l)
			return memchr(comps + i, '/', l) ? -1 : (ssize_t)l;
		i++;
	}
	return 0;
}

/*
 * A path joined into o[outsz] from comps, with cut the caller's flag and err
 * what the join returned.  event.h: "/a/b/c", or when cut (by the caller, or
 * because out is too small) the leaf side after the marker ".../", or ""
 * when not even the leaf fits; -ENAMETOOLONG exactly when the result is cut.
 */
static void check_joined(const char *o, size_t outsz, int err, const char *comps, size_t len,
			 bool cut)
{
	ssize_t ll = leaf_len(comps, len);
	size_t rl, ol = strlen(o);

	CHECK(err == 0 || err == -ENAMETOOLONG);
	CHECK(ol < outsz);
	if (err == 0)
		CHECK(o[0] == '/' && !cut);
	else
		CHECK(o[0] == '\0' || strncmp(o, CUT_MARKER, strlen(CUT_MARKER)) == 0);
	if (o[0] == '\0')
		CHECK(err && (ll <= 0 || strlen(CUT_MARKER) + (size_t)ll >= outsz));
	else if (ll >= 0)
		CHECK(ol >= (size_t)ll + 1); /* the leaf survives */
	if (!well_formed(comps, len))
		return;
	rl = ref_join_path(comps, len);
	if (!err)
		CHECK(rl == ol && memcmp(o, ref, rl) == 0);
	else if (o[0])
		CHECK(ol - 3 <= rl && memcmp(o + 3, ref + rl - (ol - 3), ol - 3) == 0);
	if (!cut && rl < outsz)
		CHECK(!err);
}

/* vigil_join_reversed_path() into an exact-size heap buffer. */
static void fuzz_join_path(const char *comps, size_t len, bool cut, size_t outsz)
{
	char *o = malloc(outsz ? outsz : 1);
	int err;

	if (!o)
		return;
	err = vigil_join_reversed_path(comps, len, cut, o, outsz);
	if (outsz < 2) {
		CHECK(err == -ENAMETOOLONG && (!outsz || o[0] == '\0'));
	} else {
		CHECK(nul_within(o, outsz));
		check_joined(o, outsz, err, comps, len, cut);
	}
	free(o);
}

/* vigil_join_args() into an exact-size heap buffer. */
static void fuzz_join_args(const char *argv, size_t len, size_t outsz)
{
	char *o = malloc(outsz ? outsz : 1);
	size_t rl;
	int err;

	if (!o)
		return;
	err = vigil_join_args(argv, len, o, outsz);
	CHECK(err == 0 || err == -ENAMETOOLONG);
	CHECK(outsz || err);
	if (outsz) {
		CHECK(nul_within(o, outsz));
		if (well_formed(argv, len)) {
			rl = ref_join_args(argv, len);
			if (rl != (size_t)-1 && !err)
				CHECK(strcmp(o, ref) == 0);
			if (rl != (size_t)-1 && rl < outsz)
				CHECK(!err);
		}
	}
	free(o);
}

/* Check a decoded exec against its raw parts. */
static void check_exec(const struct vigil_exec_info *info, const void *msg)
{
	const struct vigil_exec_event *ev = msg;
	const char *bin = ev->data, *cwd = bin + ev->binary_len;
	const char *args = cwd + ev->cwd_len, *cg = args + ev->args_len;
	size_t n, rl;

	CHECK(info->raw == msg);
	CHECK(nul_within(info->binary, sizeof(info->binary)));
	CHECK(nul_within(info->cwd, sizeof(info->cwd)));
	CHECK(nul_within(info->args, sizeof(info->args)));
	CHECK(nul_within(info->cgroup_leaf, sizeof(info->cgroup_leaf)));
	CHECK(nul_within(info->cgroup_parent, sizeof(info->cgroup_parent)));

	/* cwd and a walked binary: joined paths (the decoder does not say
	 * whether it cut them: a joined path that is cut does not start with
	 * a '/'). */
	check_joined(info->cwd, sizeof(info->cwd), info->cwd[0] == '/' ? 0 : -ENAMETOOLONG, cwd,
		     ev->cwd_len, ev->flags & VIGIL_EXEC_F_TRUNC_CWD);
	if (ev->flags & VIGIL_EXEC_F_FILENAME_WALKED) {
		check_joined(info->binary, sizeof(info->binary),
			     info->binary[0] == '/' ? 0 : -ENAMETOOLONG, bin, ev->binary_len,
			     ev->flags & VIGIL_EXEC_F_TRUNC_PATH);
	} else {
		/* bprm->filename, or a prefix of it when the kernel cut it. */
		size_t raw = strnlen(bin, ev->binary_len), l = strlen(info->binary);

		CHECK(l <= raw && memcmp(info->binary, bin, l) == 0);
		if (!(ev->flags & VIGIL_EXEC_F_TRUNC_FILENAME) && raw < sizeof(info->binary))
			CHECK(l == raw);
	}

	/* args: argv[1..] as the reference joins them, when it fits. */
	if (well_formed(args, ev->args_len)) {
		rl = ref_join_args(args, ev->args_len);
		if (rl != (size_t)-1 && rl < sizeof(info->args))
			CHECK(strcmp(info->args, ref) == 0);
	}

	/* cgroup: the leaf is a prefix of the first name. */
	n = strlen(info->cgroup_leaf);
	CHECK(n <= ev->cgroup_len && memcmp(info->cgroup_leaf, cg, n) == 0);

	/* The join functions on their own, with small exact-size outputs. */
	fuzz_join_path(cwd, ev->cwd_len, ev->comm[2] & 1, (unsigned char)ev->comm[0]);
	fuzz_join_args(args, ev->args_len, (unsigned char)ev->comm[1]);
}

/* --- outputs ---------------------------------------------------------------- */

/* What the sink on fd wrote for the last input, in outbuf; the memfd is
 * emptied for the next.  Returns the bytes. */
static size_t take_output(int fd)
{
	off_t len = lseek(fd, 0, SEEK_CUR);

	CHECK(len >= 0 && len < OUT_MAX);
	CHECK(pread(fd, outbuf, (size_t)len, 0) == len);
	outbuf[len] = '\0';
	CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
	return (size_t)len;
}

/* A line: text and one '\n' at its end, and no other C0 control (which
 * JSON escapes in strings); nor DEL, with del (the compact line escapes it). */
static void check_line(const char *s, size_t len, bool del)
{
	size_t i;

	CHECK(len > 1 && s[len - 1] == '\n');
	for (i = 0; i + 1 < len; i++)
		CHECK((unsigned char)s[i] >= 0x20 && !(del && s[i] == 0x7f));
}

/* The compact encoder escapes C1 controls, bidi and invisible format
 * characters and invalid UTF-8 (encode_compact.c). */
static void check_terminal_safe(const char *s, size_t len)
{
	size_t i, n;
	uint32_t c;

	for (i = 0; i < len; i += n) {
		n = utf8_char((const unsigned char *)s + i, len - i, &c);
		CHECK(n != 0);
		CHECK(!(c >= 0x80 && c <= 0x9f) && c != 0x61c && !(c >= 0x200b && c <= 0x200f) &&
		      !(c >= 0x202a && c <= 0x202e) && !(c >= 0x2060 && c <= 0x2069) &&
		      c != 0xfeff);
	}
}

/* The process an event is about, as the target expects to see it. */
struct expect {
	const char *kind; /* "process_exec" or "process_exit" */
	uint32_t pid;
	const char *binary;
	bool parent; /* the record has a parent record */
};

static void check_json(const struct expect *x, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root, *body, *proc, *v;

	CHECK(tok);
	root = json_tokener_parse_ex(tok, outbuf, (int)len - 1);
	CHECK(root && json_tokener_get_error(tok) == json_tokener_success);
	CHECK(json_tokener_get_parse_end(tok) == len - 1);
	CHECK(json_object_is_type(root, json_type_object));
	CHECK(json_object_object_get_ex(root, x->kind, &body));
	CHECK(json_object_object_get_ex(body, "process", &proc));
	CHECK(json_object_object_get_ex(proc, "pid", &v) && json_object_get_int64(v) == x->pid);
	/* Text survives the round trip (when it is text: how bytes that are
	 * not UTF-8 come out is the encoder's choice). */
	if (x->binary[0] && utf8_valid(x->binary, strlen(x->binary))) {
		CHECK(json_object_object_get_ex(proc, "binary", &v));
		CHECK(strcmp(json_object_get_string(v), x->binary) == 0);
	}
	CHECK(!x->parent || json_object_object_get_ex(body, "parent", &v));
	json_object_put(root);
	json_tokener_free(tok);
}

/* Both outputs hold one event about x, or (x NULL) nothing; the encoders
 * failed on nothing (a failed event is dropped and counted by its sink). */
static void check_outputs(const struct expect *x)
{
	size_t len;

	CHECK(vigil_output_dropped(pl.export) == 0 && vigil_output_dropped(pl.out) == 0);
	CHECK(!pl.out_closed);

	len = take_output(json_fd);
	if (!x) {
		CHECK(len == 0);
	} else {
		check_line(outbuf, len, false);
		check_json(x, len);
	}

	len = take_output(compact_fd);
	if (!x) {
		CHECK(len == 0);
	} else {
		check_line(outbuf, len, true);
		check_terminal_safe(outbuf, len);
	}
}

/* --- the pipeline ------------------------------------------------------------ */

/* What the target's own call of the message's decoder found. */
struct decoded {
	bool ok;
	const struct vigil_exec_event *exec;
	const struct vigil_clone_event *clone;
	const struct vigil_exit_event *exit;
	bool policy; /* a policy event: no policy is loaded, so it is stale */
	bool net;    /* a policy event of the network sensor's: written */
};

static void decode(int type, const void *msg, size_t size, struct decoded *dm)
{
	int err = -EINVAL;

	memset(dm, 0, sizeof(*dm));
	switch (type) {
	case VIGIL_MSG_EXEC:
		err = vigil_decode_exec(msg, size, own_info);
		CHECK(err == 0 || err == -EINVAL);
		if (!err) {
			check_exec(own_info, msg);
			dm->exec = own_info->raw;
		}
		break;
	case VIGIL_MSG_CLONE:
		err = vigil_decode_clone(msg, size, &dm->clone);
		CHECK(err == 0 || err == -EINVAL);
		CHECK(err || (const void *)dm->clone == msg);
		break;
	case VIGIL_MSG_EXIT:
		err = vigil_decode_exit(msg, size, &dm->exit);
		CHECK(err == 0 || err == -EINVAL);
		CHECK(err || (const void *)dm->exit == msg);
		break;
	case VIGIL_MSG_POLICY:
		err = vigil_decode_policy(msg, size, own_policy);
		CHECK(err == 0 || err == -EINVAL);
		if (!err) {
			size_t i;

			dm->net = vigil_network_hook(own_policy->raw->hook) != NULL;
			dm->policy = !dm->net;
			CHECK(own_policy->nargs <= VIGIL_HOOK_ARGS);
			for (i = 0; i < own_policy->nargs; i++)
				CHECK(vigil_utf8_valid(own_policy->args[i].str,
						       strlen(own_policy->args[i].str)));
		}
		break;
	}
	dm->ok = err == 0;
}

static void after_exec(const struct vigil_exec_event *ev)
{
	struct vigil_process *p = vigil_cache_find(pl.cache, ev->proc.pid);
	struct vigil_binary_props bp;
	struct expect x = { .kind = "process_exec" };

	CHECK(p && !p->exited && p->ktime == ev->proc.ktime && p->tid == ev->tid);
	CHECK(p->flags & VIGIL_PF_EXECVE);
	CHECK(p->container_id[0] == '\0' || strlen(p->container_id) == VIGIL_CONTAINER_ID_LEN);
	CHECK(p->pod_uid[0] == '\0' || strlen(p->pod_uid) == VIGIL_POD_UID_LEN);
	vigil_binary_props(p, &bp);
	CHECK(bp.nprivs >= 0 && bp.nprivs <= (int)(sizeof(bp.privs) / sizeof(bp.privs[0])));
	x.pid = p->pid;
	x.binary = p->binary;
	x.parent = p->parent != NULL;
	check_outputs(&x);
}

static void after_clone(const struct vigil_clone_event *ev)
{
	struct vigil_process *p = vigil_cache_find(pl.cache, ev->proc.pid);

	CHECK(p && !p->exited && p->ktime == ev->proc.ktime && (p->flags & VIGIL_PF_CLONE));
	check_outputs(NULL);
}

/* live: the record that was live for the pid before the exit; hit: the exit
 * named it. */
static void after_exit(const struct vigil_exit_event *ev, struct vigil_process *live, bool hit)
{
	struct expect x = { .kind = "process_exit", .pid = ev->proc.pid, .binary = "" };

	if (hit) {
		CHECK(live->exited && vigil_cache_find(pl.cache, ev->proc.pid) != live);
		x.binary = live->binary;
		x.parent = live->parent != NULL;
	} else {
		/* Another image, or none: a "miss" record is reported, and
		 * what lives at the pid stays. */
		CHECK(vigil_cache_find(pl.cache, ev->proc.pid) == live);
		CHECK(!live || !live->exited);
	}
	check_outputs(&x);
}

/* Hand the message to vigil_pipeline_msg(), as the ring buffer does, and
 * check what it did. */
static void run_pipeline(int type, const void *msg, size_t size)
{
	uint64_t handled = type >= 0 ? pl.handled[type] : 0, bad = pl.bad, oom = pl.oom;
	uint64_t stale = pl.stale;
	struct vigil_process *live = NULL;
	struct decoded dm;
	bool hit = false;

	decode(type, msg, size, &dm);
	if (dm.exit) {
		live = vigil_cache_find(pl.cache, dm.exit->proc.pid);
		hit = live && (dm.exit->proc.ktime == 0 || live->ktime == dm.exit->proc.ktime);
		if (live)
			vigil_process_get(live); /* looked at after the exit */
	}

	CHECK(vigil_pipeline_msg(&pl, msg, size) == 0);
	CHECK(vigil_pipeline_flush(&pl) == 0);

	if (!dm.ok) {
		CHECK(pl.bad == bad + 1 && pl.oom == oom);
		CHECK(type < 0 || pl.handled[type] == handled);
		check_outputs(NULL);
	} else if (dm.policy) {
		/* No policy is loaded: the event names no hook; nothing is written. */
		CHECK(pl.stale == stale + 1 && pl.bad == bad && pl.handled[type] == handled);
		check_outputs(NULL);
	} else if (pl.oom != oom) {
		/* Out of memory: the event is lost, and counted. */
		CHECK(pl.oom == oom + 1 && pl.bad == bad && pl.handled[type] == handled);
		check_outputs(NULL);
	} else if (dm.net) {
		/* The network sensor's hooks need no policy: one line on each
		 * output, terminal-safe on the compact one. */
		size_t len;

		CHECK(pl.handled[type] == handled + 1 && pl.bad == bad && pl.stale == stale);
		CHECK(vigil_output_dropped(pl.export) == 0 && vigil_output_dropped(pl.out) == 0);
		len = take_output(json_fd);
		check_line(outbuf, len, false);
		CHECK(strncmp(outbuf, "{\"process_kprobe\":", 18) == 0);
		len = take_output(compact_fd);
		check_line(outbuf, len, true);
		check_terminal_safe(outbuf, len);
	} else {
		CHECK(pl.handled[type] == handled + 1 && pl.bad == bad);
		if (dm.exec)
			after_exec(dm.exec);
		else if (dm.clone)
			after_clone(dm.clone);
		else
			after_exit(dm.exit, live, hit);
	}
	if (live)
		vigil_process_put(pl.cache, live);
}

/* A decoder rejects a message of another type (or none). */
static void check_other_decoders(int type, const void *msg, size_t size)
{
	const struct vigil_clone_event *c;
	const struct vigil_exit_event *e;

	if (type != VIGIL_MSG_EXEC)
		CHECK(vigil_decode_exec(msg, size, own_info) == -EINVAL);
	if (type != VIGIL_MSG_CLONE)
		CHECK(vigil_decode_clone(msg, size, &c) == -EINVAL);
	if (type != VIGIL_MSG_EXIT)
		CHECK(vigil_decode_exit(msg, size, &e) == -EINVAL);
	if (type != VIGIL_MSG_POLICY)
		CHECK(vigil_decode_policy(msg, size, own_policy) == -EINVAL);
}

/* Whether a process lives, for vigil_cache_sweep(): odd pids do not. */
static bool alive_even(void *arg, const struct vigil_process *p)
{
	(void)arg;
	return !(p->pid & 1);
}

/* Free the cache; every record must go with it.  LeakSanitizer scans the
 * whole process (about 0.1 s), so only at every LEAK_CHECK_CACHES-th cache
 * and at exit. */
static void drop_cache(bool leak_check)
{
	CHECK(vigil_cache_live(pl.cache) <= vigil_cache_total(pl.cache));
#ifdef FUZZ_TEST_LEAK
	pl.cache = NULL; /* check that a leaked cache is reported */
#else
	vigil_cache_free(pl.cache);
	pl.cache = NULL;
#endif
	if (leak_check && __lsan_do_recoverable_leak_check)
		CHECK(__lsan_do_recoverable_leak_check() == 0);
}

static void at_exit(void)
{
	vigil_output_close(pl.export);
	vigil_output_close(pl.out);
	pl.export = pl.out = NULL;
	if (json_fd >= 0)
		close(json_fd);
	if (compact_fd >= 0)
		close(compact_fd);
	free(own_info);
	own_info = NULL;
	free(own_policy);
	own_policy = NULL;
	if (pl.cache)
		drop_cache(true);
}

/* The pipeline's outputs, as vigild opens them: the export file (JSON) and
 * stdout (compact lines); here each a sink on a memfd. */
static void setup(void)
{
	json_fd = memfd_create("fuzz-export", MFD_CLOEXEC);
	compact_fd = memfd_create("fuzz-stdout", MFD_CLOEXEC);
	CHECK(json_fd >= 0 && compact_fd >= 0);
	pl.export = vigil_output_fd(json_fd, "export file");
	pl.out = vigil_output_fd(compact_fd, "stdout");
	CHECK(pl.export && pl.out);
	pl.out_mode = VIGIL_STDOUT_COMPACT;
	pl.enc = base_ctx;
	own_info = malloc(sizeof(*own_info));
	own_policy = malloc(sizeof(*own_policy));
	CHECK(own_info && own_policy);
	atexit(at_exit);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *msg;
	int type;

	if (!pl.export)
		setup();
	if (pl.cache && ++inputs % CACHE_INPUTS == 0)
		drop_cache(inputs % (CACHE_INPUTS * LEAK_CHECK_CACHES) == 0);
	if (!pl.cache) {
		pl.cache = vigil_cache_new();
		CHECK(pl.cache);
	}
	if (inputs % SWEEP_INPUTS == SWEEP_INPUTS - 1)
		vigil_cache_sweep(pl.cache, alive_even, NULL);

	/* Exactly size bytes (at least one, for malloc), at the alignment
	 * of a ring-buffer record. */
	msg = malloc(size ? size : 1);
	CHECK(msg);
	if (size)
		memcpy(msg, data, size);

	type = vigil_msg_type(msg, size);
	pl.enc = base_ctx;
	if (type >= 0) {
		const struct vigil_msg_hdr *h = msg;

		CHECK(type == VIGIL_MSG_EXEC || type == VIGIL_MSG_CLONE || type == VIGIL_MSG_EXIT ||
		      type == VIGIL_MSG_POLICY);
		CHECK(size >= sizeof(*h) && h->size <= size && h->type == type);
		pl.enc.no_creds = h->pad & 1;
		pl.enc.no_ns = h->pad & 2;
	} else {
		CHECK(type == -EINVAL);
	}

	run_pipeline(type, msg, size);
	check_other_decoders(type, msg, size);
	free(msg);
	return 0;
}
