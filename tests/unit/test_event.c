// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/event.c: header checks, decoding of hand-built exec,
 * clone and exit messages, and the path and argv joining helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"

/* A message buffer aligned like the ring buffer's records. */
struct msgbuf {
	size_t size;
	union {
		struct vigil_exec_event ev;
		unsigned char bytes[8192];
	} u;
};

/* A data section: bytes and length (the bytes may hold NULs). */
struct sect {
	const char *p;
	size_t len;
};

static struct sect sect(const char *p, size_t len)
{
	struct sect s = { p, len };

	return s;
}

/* A section from a string literal, without the literal's own final NUL. */
#define SECT(lit) sect((lit), sizeof(lit) - 1)
#define NOSECT	  sect(NULL, 0)

static void put_sect(struct msgbuf *m, struct sect s, __u16 *len_field)
{
	*len_field = (__u16)s.len;
	if (s.len)
		memcpy(m->u.bytes + m->size, s.p, s.len);
	m->size += s.len;
}

/* Build an exec message with the given data sections, in ABI order. */
static struct msgbuf *build_exec(__u32 flags, struct sect binary, struct sect cwd, struct sect args,
				 struct sect cgroup)
{
	struct msgbuf *m = calloc(1, sizeof(*m));
	struct vigil_exec_event *ev;

	assert_non_null(m);
	ev = &m->u.ev;
	ev->hdr.type = VIGIL_MSG_EXEC;
	ev->hdr.ktime = 5000;
	ev->proc.pid = 1234;
	ev->proc.ktime = 4000;
	ev->parent.pid = 1;
	ev->parent.ktime = 100;
	ev->tid = 1235;
	ev->flags = flags;
	ev->cgroup_id = 77;
	ev->creds.uid = 1000;
	ev->ns[VIGIL_NS_UTS] = 4026531838U;
	memcpy(ev->comm, "curl", 5);
	m->size = sizeof(*ev);
	put_sect(m, binary, &ev->binary_len);
	put_sect(m, cwd, &ev->cwd_len);
	put_sect(m, args, &ev->args_len);
	put_sect(m, cgroup, &ev->cgroup_len);
	ev->hdr.size = (__u32)m->size;
	return m;
}

static struct vigil_exec_info *decode_ok(const struct msgbuf *m)
{
	struct vigil_exec_info *info = malloc(sizeof(*info));

	assert_non_null(info);
	assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), 0);
	assert_ptr_equal(info->raw, &m->u.ev);
	return info;
}

/* --- vigil_msg_type ------------------------------------------------------- */

static void test_msg_type_short_header_is_einval(void **state)
{
	struct vigil_msg_hdr h = { .type = VIGIL_MSG_EXIT, .size = sizeof(h) };

	(void)state;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), VIGIL_MSG_EXIT);
	assert_int_equal(vigil_msg_type(&h, sizeof(h) - 1), -EINVAL);
	assert_int_equal(vigil_msg_type(&h, 0), -EINVAL);
	assert_int_equal(vigil_msg_type(NULL, sizeof(h)), -EINVAL);
}

static void test_msg_type_size_beyond_buffer_is_einval(void **state)
{
	struct vigil_exit_event ev = { 0 };

	(void)state;
	ev.hdr.type = VIGIL_MSG_EXIT;
	ev.hdr.size = sizeof(ev) + 1;
	assert_int_equal(vigil_msg_type(&ev, sizeof(ev)), -EINVAL);
	ev.hdr.size = sizeof(ev);
	assert_int_equal(vigil_msg_type(&ev, sizeof(ev)), VIGIL_MSG_EXIT);
	/* A buffer longer than the message is fine. */
	ev.hdr.size = sizeof(ev.hdr);
	assert_int_equal(vigil_msg_type(&ev, sizeof(ev)), VIGIL_MSG_EXIT);
}

static void test_msg_type_unknown_type_is_einval(void **state)
{
	struct vigil_msg_hdr h = { .size = sizeof(h) };

	(void)state;
	h.type = 0;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), -EINVAL);
	h.type = VIGIL_MSG_TYPE_COUNT;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), -EINVAL);
	h.type = 0xffff;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), -EINVAL);
}

static void test_msg_type_returns_known_types(void **state)
{
	struct vigil_msg_hdr h = { .size = sizeof(h) };

	(void)state;
	h.type = VIGIL_MSG_EXEC;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), VIGIL_MSG_EXEC);
	h.type = VIGIL_MSG_CLONE;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), VIGIL_MSG_CLONE);
	h.type = VIGIL_MSG_EXIT;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), VIGIL_MSG_EXIT);
	h.type = VIGIL_MSG_POLICY;
	assert_int_equal(vigil_msg_type(&h, sizeof(h)), VIGIL_MSG_POLICY);
}

/* --- vigil_decode_exec ---------------------------------------------------- */

static void test_decode_exec_bprm_filename_binary(void **state)
{
	struct msgbuf *m = build_exec(0, SECT("/usr/bin/curl\0"), SECT("b\0a\0"),
				      SECT("curl\0-s\0https://example\0"),
				      SECT("docker-abc.scope\0system.slice\0"));
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->binary, "/usr/bin/curl");
	assert_string_equal(info->cwd, "/a/b");
	assert_string_equal(info->args, "-s https://example");
	assert_string_equal(info->cgroup_leaf, "docker-abc.scope");
	assert_string_equal(info->cgroup_parent, "system.slice");
	/* The fixed fields are read through raw. */
	assert_int_equal(info->raw->proc.pid, 1234);
	assert_int_equal(info->raw->proc.ktime, 4000);
	assert_int_equal(info->raw->parent.pid, 1);
	assert_int_equal(info->raw->tid, 1235);
	assert_int_equal(info->raw->cgroup_id, 77);
	assert_int_equal(info->raw->creds.uid, 1000);
	assert_int_equal(info->raw->ns[VIGIL_NS_UTS], 4026531838U);
	assert_string_equal(info->raw->comm, "curl");
	free(info);
	free(m);
}

static void test_decode_exec_bprm_filename_is_taken_verbatim(void **state)
{
	/* Without FILENAME_WALKED the binary is not a component list. */
	struct msgbuf *m = build_exec(0, SECT("./run.sh\0"), NOSECT, NOSECT, NOSECT);
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->binary, "./run.sh");
	free(info);
	free(m);
}

static void test_decode_exec_walked_binary_components(void **state)
{
	struct msgbuf *m = build_exec(VIGIL_EXEC_F_FILENAME_WALKED, SECT("curl\0bin\0usr\0"),
				      SECT("tmp\0"), NOSECT, NOSECT);
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->binary, "/usr/bin/curl");
	assert_string_equal(info->cwd, "/tmp");
	free(info);
	free(m);
}

static void test_decode_exec_empty_cwd_is_root(void **state)
{
	struct msgbuf *m = build_exec(0, SECT("/bin/true\0"), NOSECT, SECT("true\0"), NOSECT);
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->cwd, "/");
	free(info);
	free(m);
}

static void test_decode_exec_cwd_components_leaf_first(void **state)
{
	struct msgbuf *m =
		build_exec(0, SECT("/bin/true\0"), SECT("c\0b\0a\0"), SECT("true\0"), NOSECT);
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->cwd, "/a/b/c");
	free(info);
	free(m);
}

static void test_decode_exec_args_skip_argv0_and_quote_spaces(void **state)
{
	struct msgbuf *m = build_exec(0, SECT("/bin/echo\0"), NOSECT,
				      SECT("echo\0a b\0plain\0x  y\0"), NOSECT);
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->args, "\"a b\" plain \"x  y\"");
	free(info);
	free(m);
}

static void test_decode_exec_empty_args(void **state)
{
	struct msgbuf *none = build_exec(0, SECT("/bin/true\0"), NOSECT, NOSECT, NOSECT);
	struct msgbuf *only0 = build_exec(0, SECT("/bin/true\0"), NOSECT, SECT("true\0"), NOSECT);
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(none);
	assert_string_equal(info->args, "");
	free(info);
	info = decode_ok(only0);
	assert_string_equal(info->args, "");
	free(info);
	free(none);
	free(only0);
}

static void test_decode_exec_cgroup_leaf_and_parent(void **state)
{
	struct msgbuf *both = build_exec(0, SECT("/bin/true\0"), NOSECT, NOSECT,
					 SECT("leaf.scope\0parent.slice\0"));
	struct msgbuf *leaf = build_exec(0, SECT("/bin/true\0"), NOSECT, NOSECT, SECT("leaf\0"));
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(both);
	assert_string_equal(info->cgroup_leaf, "leaf.scope");
	assert_string_equal(info->cgroup_parent, "parent.slice");
	free(info);
	info = decode_ok(leaf);
	assert_string_equal(info->cgroup_leaf, "leaf");
	assert_string_equal(info->cgroup_parent, "");
	free(info);
	free(both);
	free(leaf);
}

static void test_decode_exec_sections_are_independent(void **state)
{
	/* A missing NUL at the end of one section must not run into the next. */
	struct msgbuf *m = build_exec(0, SECT("/bin/sh"), SECT("home"), SECT("sh\0-c"), SECT("cg"));
	struct vigil_exec_info *info;

	(void)state;
	info = decode_ok(m);
	assert_string_equal(info->binary, "/bin/sh");
	assert_string_equal(info->cwd, "/home");
	assert_string_equal(info->args, "-c");
	assert_string_equal(info->cgroup_leaf, "cg");
	assert_string_equal(info->cgroup_parent, "");
	free(info);
	free(m);
}

static void test_decode_exec_length_overrun_is_einval(void **state)
{
	struct msgbuf *m = build_exec(0, SECT("/bin/true\0"), SECT("tmp\0"), SECT("true\0x\0"),
				      SECT("leaf\0parent\0"));
	struct vigil_exec_info *info = malloc(sizeof(*info));
	__u16 *fields[] = { &m->u.ev.binary_len, &m->u.ev.cwd_len, &m->u.ev.args_len,
			    &m->u.ev.cgroup_len };
	size_t i;

	(void)state;
	assert_non_null(info);
	assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), 0);
	/* Each length one byte too long runs past the end of the message. */
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		(*fields[i])++;
		assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), -EINVAL);
		(*fields[i])--;
	}
	/* A huge length cannot wrap around the check. */
	m->u.ev.args_len = 0xffff;
	assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), -EINVAL);
	free(info);
	free(m);
}

static void test_decode_exec_short_or_mistyped_is_einval(void **state)
{
	struct msgbuf *m = build_exec(0, NOSECT, NOSECT, NOSECT, NOSECT);
	struct vigil_exec_info *info = malloc(sizeof(*info));

	(void)state;
	assert_non_null(info);
	assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), 0);
	assert_string_equal(info->binary, "");
	assert_string_equal(info->cwd, "/");
	/* Header claims more than the buffer holds. */
	m->u.ev.hdr.size = (__u32)m->size + 1;
	assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), -EINVAL);
	/* Buffer shorter than the fixed part of an exec event. */
	m->u.ev.hdr.size = sizeof(struct vigil_msg_hdr);
	assert_int_equal(vigil_decode_exec(m->u.bytes, sizeof(struct vigil_exec_event) - 1, info),
			 -EINVAL);
	/* Not an exec message. */
	m->u.ev.hdr.size = (__u32)m->size;
	m->u.ev.hdr.type = VIGIL_MSG_CLONE;
	assert_int_equal(vigil_decode_exec(m->u.bytes, m->size, info), -EINVAL);
	free(info);
	free(m);
}

/* Fill buf with n bytes of "é" (C3 A9) repeated; n may cut the last one. */
static void fill_e_acute(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = i % 2 ? '\xa9' : '\xc3';
}

static void test_decode_exec_cut_args_end_with_a_whole_character(void **state)
{
	/* argv[0] "x", then an argument of 2,000 bytes of "é" that the kernel
	 * cut, with the block, at VIGIL_ARGS_MAX - 1 = 1023 bytes: no NUL, and
	 * the last byte is the first half of an "é". */
	char block[VIGIL_ARGS_MAX - 1], want[1021];
	struct msgbuf *m;
	struct vigil_exec_info *info;

	(void)state;
	memcpy(block, "x", 2);
	fill_e_acute(block + 2, sizeof(block) - 2);
	assert_int_equal((unsigned char)block[sizeof(block) - 1], 0xc3);
	fill_e_acute(want, 1020);
	want[1020] = '\0';
	m = build_exec(VIGIL_EXEC_F_TRUNC_ARGS, SECT("/bin/x\0"), NOSECT,
		       sect(block, sizeof(block)), NOSECT);
	info = decode_ok(m);
	assert_int_equal(strlen(info->args), 1020);
	assert_string_equal(info->args, want);
	assert_string_equal(info->args + 1018, "\xc3\xa9");
	free(info);
	free(m);
}

static void test_decode_exec_cut_filename_drops_a_partial_character(void **state)
{
	/* bprm->filename of 255 bytes and its NUL (VIGIL_FILENAME_MAX), the
	 * last byte the first half of an "é". */
	char name[VIGIL_FILENAME_MAX], want[VIGIL_FILENAME_MAX];
	struct msgbuf *cut, *whole;
	struct vigil_exec_info *info;

	(void)state;
	memcpy(name, "/tmp/x", 6);
	fill_e_acute(name + 6, sizeof(name) - 7);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal((unsigned char)name[sizeof(name) - 2], 0xc3);
	memcpy(want, name, sizeof(name) - 2);
	want[sizeof(name) - 2] = '\0';
	cut = build_exec(VIGIL_EXEC_F_TRUNC_FILENAME, sect(name, sizeof(name)), NOSECT, NOSECT,
			 NOSECT);
	whole = build_exec(0, sect(name, sizeof(name)), NOSECT, NOSECT, NOSECT);
	info = decode_ok(cut);
	assert_int_equal(strlen(info->binary), 254);
	assert_string_equal(info->binary, want);
	free(info);
	/* Without the flag the name is whole and taken verbatim; invalid bytes
	 * are the cache's to replace. */
	info = decode_ok(whole);
	assert_string_equal(info->binary, name);
	free(info);
	free(cut);
	free(whole);
}

/* --- clone and exit ------------------------------------------------------- */

static void test_decode_clone_checks_type_and_size(void **state)
{
	struct vigil_clone_event ev = { 0 };
	const struct vigil_clone_event *out = NULL;

	(void)state;
	ev.hdr.type = VIGIL_MSG_CLONE;
	ev.hdr.size = sizeof(ev);
	ev.proc.pid = 42;
	assert_int_equal(vigil_decode_clone(&ev, sizeof(ev), &out), 0);
	assert_ptr_equal(out, &ev);
	assert_int_equal(out->proc.pid, 42);
	assert_int_equal(vigil_decode_clone(&ev, sizeof(ev) - 1, &out), -EINVAL);
	ev.hdr.type = VIGIL_MSG_EXIT;
	assert_int_equal(vigil_decode_clone(&ev, sizeof(ev), &out), -EINVAL);
}

static void test_decode_exit_checks_type_and_size(void **state)
{
	struct vigil_exit_event ev = { 0 };
	const struct vigil_exit_event *out = NULL;

	(void)state;
	ev.hdr.type = VIGIL_MSG_EXIT;
	ev.hdr.size = sizeof(ev);
	ev.exit_code = 9;
	assert_int_equal(vigil_decode_exit(&ev, sizeof(ev), &out), 0);
	assert_ptr_equal(out, &ev);
	assert_int_equal(out->exit_code, 9);
	/* A short exit message is rejected even if the header is consistent. */
	ev.hdr.size = sizeof(ev) - 1;
	assert_int_equal(vigil_decode_exit(&ev, sizeof(ev) - 1, &out), -EINVAL);
	ev.hdr.size = sizeof(ev);
	ev.hdr.type = VIGIL_MSG_CLONE;
	assert_int_equal(vigil_decode_exit(&ev, sizeof(ev), &out), -EINVAL);
}

/* --- vigil_join_reversed_path --------------------------------------------- */

static void test_join_reversed_path_joins_leaf_first(void **state)
{
	static const char comps[] = "c\0bb\0a";
	char out[64];

	(void)state;
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, sizeof(out)),
			 0);
	assert_string_equal(out, "/a/bb/c");
	/* Empty components are skipped. */
	assert_int_equal(vigil_join_reversed_path("c\0\0a\0", 5, false, out, sizeof(out)), 0);
	assert_string_equal(out, "/a/c");
}

static void test_join_reversed_path_empty_is_root(void **state)
{
	char out[8];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_join_reversed_path("", 0, false, out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(vigil_join_reversed_path("\0\0", 2, false, out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(vigil_join_reversed_path("", 0, false, out, 2), 0);
	assert_string_equal(out, "/");
}

static void test_join_reversed_path_one_byte_buffer_is_terminated(void **state)
{
	static const char comps[] = "a";
	char out[4] = "xxx";

	(void)state;
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 1),
			 -ENAMETOOLONG);
	assert_int_equal(out[0], '\0');
}

static void test_join_reversed_path_many_components_all_kept(void **state)
{
	/* 100 one-letter components, leaf first; the root-most one is 'R'. */
	char comps[200], out[512];
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		comps[2 * i] = i == 99 ? 'R' : 'c';
		comps[2 * i + 1] = '\0';
	}
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, sizeof(out)),
			 0);
	assert_int_equal(strlen(out), 200);
	assert_memory_equal(out, "/R/c/c", 6);
	assert_memory_equal(out + 196, "/c/c", 5);
}

static void test_join_reversed_path_too_small_cuts_root_side(void **state)
{
	static const char comps[] = "ccc\0bb\0a";
	char out[16];

	(void)state;
	/* "/a/bb/ccc" needs 10 bytes. */
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 10), 0);
	assert_string_equal(out, "/a/bb/ccc");
	/* One byte short: the root side goes, the leaf stays, marked. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 9),
			 -ENAMETOOLONG);
	assert_string_equal(out, ".../ccc");
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 8),
			 -ENAMETOOLONG);
	assert_string_equal(out, ".../ccc");
	/* Not even the leaf with its marker fits: empty, never a fake path. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 7),
			 -ENAMETOOLONG);
	assert_string_equal(out, "");
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 3),
			 -ENAMETOOLONG);
	assert_string_equal(out, "");
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), false, out, 0),
			 -ENAMETOOLONG);
}

/* The kernel's walk stopped before the root: the path is marked, not absolute. */
static void test_join_reversed_path_cut_walk_is_marked(void **state)
{
	static const char comps[] = "true\0d52\0d51";
	char out[64];

	(void)state;
	assert_int_equal(vigil_join_reversed_path(comps, sizeof(comps), true, out, sizeof(out)),
			 -ENAMETOOLONG);
	assert_string_equal(out, ".../d51/d52/true");
}

/* --- vigil_join_args ------------------------------------------------------ */

static void test_join_args_skips_argv0(void **state)
{
	static const char argv[] = "ls\0-l\0/tmp";
	char out[64];

	(void)state;
	assert_int_equal(vigil_join_args(argv, sizeof(argv), out, sizeof(out)), 0);
	assert_string_equal(out, "-l /tmp");
	/* Without the final NUL (a truncated copy) the last argument still counts. */
	assert_int_equal(vigil_join_args(argv, sizeof(argv) - 1, out, sizeof(out)), 0);
	assert_string_equal(out, "-l /tmp");
	assert_int_equal(vigil_join_args("ls", 3, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(vigil_join_args("", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_join_args_quotes_args_with_spaces(void **state)
{
	static const char argv[] = "sh\0-c\0echo a b";
	char out[64];

	(void)state;
	assert_int_equal(vigil_join_args(argv, sizeof(argv), out, sizeof(out)), 0);
	assert_string_equal(out, "-c \"echo a b\"");
	assert_int_equal(vigil_join_args("x\0a b", 6, out, sizeof(out)), 0);
	assert_string_equal(out, "\"a b\"");
}

static void test_join_args_truncation_is_enametoolong(void **state)
{
	static const char argv[] = "p\0aaa\0bbb\0c d";
	char out[32];

	(void)state;
	/* "aaa bbb \"c d\"" is 13 characters. */
	assert_int_equal(vigil_join_args(argv, sizeof(argv), out, 14), 0);
	assert_string_equal(out, "aaa bbb \"c d\"");
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_join_args(argv, sizeof(argv), out, 13), -ENAMETOOLONG);
	assert_true(strlen(out) < 13);
	assert_memory_equal(out, "aaa bbb \"c d\"", strlen(out));
	assert_true(strncmp(out, "aaa bbb", 7) == 0);
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_join_args(argv, sizeof(argv), out, 3), -ENAMETOOLONG);
	assert_string_equal(out, "");
	assert_int_equal(vigil_join_args(argv, sizeof(argv), out, 0), -ENAMETOOLONG);
}

static void test_join_args_cut_last_argument_drops_a_partial_character(void **state)
{
	char out[64];

	(void)state;
	/* Cut after 1 and 2 bytes of a 3-byte "€", and after half an "é". */
	assert_int_equal(vigil_join_args("ls\0a\xe2\x82\xac\0b\xe2", 10, out, sizeof(out)), 0);
	assert_string_equal(out, "a\xe2\x82\xac b");
	assert_int_equal(vigil_join_args("ls\0a\xe2\x82", 6, out, sizeof(out)), 0);
	assert_string_equal(out, "a");
	assert_int_equal(vigil_join_args("ls\0-l\0\xc3\xa9\xc3", 9, out, sizeof(out)), 0);
	assert_string_equal(out, "-l \xc3\xa9");
	/* A cut argument that held only the partial character is dropped. */
	assert_int_equal(vigil_join_args("ls\0-l\0\xc3", 7, out, sizeof(out)), 0);
	assert_string_equal(out, "-l");
	/* A quoted argument keeps its quotes around what is left. */
	assert_int_equal(vigil_join_args("sh\0a \xc3", 6, out, sizeof(out)), 0);
	assert_string_equal(out, "\"a \"");
}

static void test_join_args_keeps_bytes_that_are_not_a_cut_character(void **state)
{
	char out[64];

	(void)state;
	/* NUL-terminated: the kernel did not cut it, nothing is trimmed. */
	assert_int_equal(vigil_join_args("ls\0a\xc3\0", 6, out, sizeof(out)), 0);
	assert_string_equal(out, "a\xc3");
	/* Cut, but the end is garbage rather than a cut character. */
	assert_int_equal(vigil_join_args("ls\0a\xff", 5, out, sizeof(out)), 0);
	assert_string_equal(out, "a\xff");
	assert_int_equal(vigil_join_args("ls\0a\xe0\x80", 6, out, sizeof(out)), 0);
	assert_string_equal(out, "a\xe0\x80");
	/* Only the last argument can be cut. */
	assert_int_equal(vigil_join_args("ls\0a\xc3\0b", 7, out, sizeof(out)), 0);
	assert_string_equal(out, "a\xc3 b");
}

int main(void)
{
	const struct CMUnitTest event[] = {
		cmocka_unit_test(test_msg_type_short_header_is_einval),
		cmocka_unit_test(test_msg_type_size_beyond_buffer_is_einval),
		cmocka_unit_test(test_msg_type_unknown_type_is_einval),
		cmocka_unit_test(test_msg_type_returns_known_types),
		cmocka_unit_test(test_decode_exec_bprm_filename_binary),
		cmocka_unit_test(test_decode_exec_bprm_filename_is_taken_verbatim),
		cmocka_unit_test(test_decode_exec_walked_binary_components),
		cmocka_unit_test(test_decode_exec_empty_cwd_is_root),
		cmocka_unit_test(test_decode_exec_cwd_components_leaf_first),
		cmocka_unit_test(test_decode_exec_args_skip_argv0_and_quote_spaces),
		cmocka_unit_test(test_decode_exec_empty_args),
		cmocka_unit_test(test_decode_exec_cgroup_leaf_and_parent),
		cmocka_unit_test(test_decode_exec_sections_are_independent),
		cmocka_unit_test(test_decode_exec_length_overrun_is_einval),
		cmocka_unit_test(test_decode_exec_short_or_mistyped_is_einval),
		cmocka_unit_test(test_decode_exec_cut_args_end_with_a_whole_character),
		cmocka_unit_test(test_decode_exec_cut_filename_drops_a_partial_character),
		cmocka_unit_test(test_decode_clone_checks_type_and_size),
		cmocka_unit_test(test_decode_exit_checks_type_and_size),
		cmocka_unit_test(test_join_reversed_path_joins_leaf_first),
		cmocka_unit_test(test_join_reversed_path_empty_is_root),
		cmocka_unit_test(test_join_reversed_path_too_small_cuts_root_side),
		cmocka_unit_test(test_join_reversed_path_one_byte_buffer_is_terminated),
		cmocka_unit_test(test_join_reversed_path_many_components_all_kept),
		cmocka_unit_test(test_join_reversed_path_cut_walk_is_marked),
		cmocka_unit_test(test_join_args_skips_argv0),
		cmocka_unit_test(test_join_args_quotes_args_with_spaces),
		cmocka_unit_test(test_join_args_truncation_is_enametoolong),
		cmocka_unit_test(test_join_args_cut_last_argument_drops_a_partial_character),
		cmocka_unit_test(test_join_args_keeps_bytes_that_are_not_a_cut_character),
	};

	return cmocka_run_group_tests_name("event", event, NULL, NULL);
}
