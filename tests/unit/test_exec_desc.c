// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/exec_desc.c: the one builder of a new image's
 * description, for both of its sources (an exec message, /proc): flags, the
 * root-cwd flag, container id and pod UID from a cgroup path or from the
 * two names an exec message carries; and that the pipeline describes an
 * exec message through it.
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

#include "exec_desc.h"
#include "pipeline.h"

#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"
#define UID_D "7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a998"
#define UID_U "7d3f1c2a_9b8e_4c6d_a5f4_e3d2c1b0a998"

/* An exec source with nothing to interpret: no flag, cwd not "/", no cgroup. */
static struct vigil_exec_source plain(uint32_t origin)
{
	struct vigil_exec_source s = {
		.origin = origin,
		.pid = 1234,
		.tid = 1235,
		.ktime = 4000,
		.binary = "/usr/bin/curl",
		.args = "-s https://example",
		.cwd = "/home/user",
	};

	return s;
}

static uint32_t flags_of(const struct vigil_exec_source *s)
{
	struct vigil_exec_desc d;

	vigil_exec_desc_build(&d, s);
	return d.flags;
}

/* --- fields ------------------------------------------------------------- */

static void test_build_copies_every_field_and_clears_the_rest(void **state)
{
	struct vigil_creds cr = { .uid = 1000, .auid = 7 };
	struct vigil_exec_file file = { .ino = 99, .nlink = 1 };
	uint32_t ns[VIGIL_NS_COUNT] = { [VIGIL_NS_PID] = 4026531836U };
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);
	struct vigil_exec_desc d;

	(void)state;
	s.parent.pid = 1;
	s.parent.ktime = 100;
	s.creds = &cr;
	s.file = &file;
	s.ns = ns;
	s.cgroup_id = 77;
	memset(&d, 0xa5, sizeof(d)); /* whatever the caller's stack held */
	vigil_exec_desc_build(&d, &s);
	assert_int_equal(d.pid, 1234);
	assert_int_equal(d.tid, 1235);
	assert_int_equal(d.ktime, 4000);
	assert_int_equal(d.parent.pid, 1);
	assert_int_equal(d.parent.ktime, 100);
	assert_int_equal(d.flags, VIGIL_PF_EXECVE);
	/* Pointers into the source, not copies. */
	assert_ptr_equal(d.binary, s.binary);
	assert_ptr_equal(d.args, s.args);
	assert_ptr_equal(d.cwd, s.cwd);
	assert_ptr_equal(d.creds, &cr);
	assert_ptr_equal(d.file, &file);
	assert_ptr_equal(d.ns, ns);
	assert_int_equal(d.cgroup_id, 77);
	assert_string_equal(d.container_id, "");
	assert_string_equal(d.pod_uid, "");

	/* What a source leaves out stays out. */
	s = plain(VIGIL_PF_PROCFS);
	memset(&d, 0xa5, sizeof(d));
	vigil_exec_desc_build(&d, &s);
	assert_int_equal(d.parent.pid, 0);
	assert_int_equal(d.parent.ktime, 0);
	assert_null(d.creds);
	assert_null(d.file);
	assert_null(d.ns);
	assert_int_equal(d.cgroup_id, 0);
	assert_string_equal(d.container_id, "");
	assert_string_equal(d.pod_uid, "");
}

/* --- flags -------------------------------------------------------------- */

static void test_build_maps_each_exec_flag(void **state)
{
	static const struct {
		uint32_t raw, want;
	} map[] = {
		{ 0, 0 },
		{ VIGIL_EXEC_F_TRUNC_ARGS, VIGIL_PF_TRUNC_ARGS },
		{ VIGIL_EXEC_F_ERR_ARGS, VIGIL_PF_ERR_ARGS },
		{ VIGIL_EXEC_F_TRUNC_FILENAME, VIGIL_PF_ERR_FILENAME },
		{ VIGIL_EXEC_F_TRUNC_PATH, VIGIL_PF_ERR_FILENAME },
		{ VIGIL_EXEC_F_ERR_CWD, VIGIL_PF_ERR_CWD },
		{ VIGIL_EXEC_F_TRUNC_CWD, VIGIL_PF_ERR_CWD },
		/* How the binary was found, and a parent missing from the
		 * kernel table, are not flags of the image. */
		{ VIGIL_EXEC_F_FILENAME_WALKED, 0 },
		{ VIGIL_EXEC_F_NO_PARENT, 0 },
		{ VIGIL_EXEC_F_TRUNC_ARGS | VIGIL_EXEC_F_TRUNC_PATH | VIGIL_EXEC_F_TRUNC_CWD,
		  VIGIL_PF_TRUNC_ARGS | VIGIL_PF_ERR_FILENAME | VIGIL_PF_ERR_CWD },
	};
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		s.exec_flags = map[i].raw;
		assert_int_equal(flags_of(&s), VIGIL_PF_EXECVE | map[i].want);
	}
	s.exec_flags = ~0U;
	assert_int_equal(flags_of(&s), VIGIL_PF_EXECVE | VIGIL_PF_TRUNC_ARGS | VIGIL_PF_ERR_ARGS |
					       VIGIL_PF_ERR_FILENAME | VIGIL_PF_ERR_CWD);
}

static void test_build_keeps_the_origin(void **state)
{
	struct vigil_exec_source s = plain(VIGIL_PF_PROCFS);

	(void)state;
	assert_int_equal(flags_of(&s), VIGIL_PF_PROCFS);
	/* /proc reports a cut command line the way an exec message does. */
	s.exec_flags = VIGIL_EXEC_F_TRUNC_ARGS;
	assert_int_equal(flags_of(&s), VIGIL_PF_PROCFS | VIGIL_PF_TRUNC_ARGS);
	s = plain(VIGIL_PF_EXECVE);
	assert_int_equal(flags_of(&s), VIGIL_PF_EXECVE);
}

static void test_build_sets_root_cwd_only_for_slash(void **state)
{
	static const char *const not_root[] = { "/home/user", "", "//", "/.", ".../x", " /" };
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);
	size_t i;

	(void)state;
	s.cwd = "/";
	assert_int_equal(flags_of(&s), VIGIL_PF_EXECVE | VIGIL_PF_ROOTCWD);
	s.origin = VIGIL_PF_PROCFS;
	assert_int_equal(flags_of(&s), VIGIL_PF_PROCFS | VIGIL_PF_ROOTCWD);
	/* A cut cwd is an error, not the root; both can be said at once. */
	s.exec_flags = VIGIL_EXEC_F_ERR_CWD;
	assert_int_equal(flags_of(&s), VIGIL_PF_PROCFS | VIGIL_PF_ROOTCWD | VIGIL_PF_ERR_CWD);
	s.exec_flags = 0;
	for (i = 0; i < sizeof(not_root) / sizeof(not_root[0]); i++) {
		s.cwd = not_root[i];
		assert_int_equal(flags_of(&s), VIGIL_PF_PROCFS);
	}
	s.cwd = NULL;
	assert_int_equal(flags_of(&s), VIGIL_PF_PROCFS);
}

/* --- container id and pod UID -------------------------------------------- */

static void expect_ids(const struct vigil_exec_source *s, const char *cid, const char *pod)
{
	struct vigil_exec_desc d;

	vigil_exec_desc_build(&d, s);
	assert_string_equal(d.container_id, cid);
	assert_string_equal(d.pod_uid, pod);
}

static void test_build_ids_from_a_cgroup_path(void **state)
{
	struct vigil_exec_source s = plain(VIGIL_PF_PROCFS);

	(void)state;
	s.cgroup = "/system.slice/docker-" CID ".scope";
	expect_ids(&s, CID, "");
	s.cgroup = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		   ".slice/cri-containerd-" CID ".scope";
	expect_ids(&s, CID, UID_D);
	s.cgroup = "/user.slice/user-1000.slice/session-2.scope";
	expect_ids(&s, "", "");
	s.cgroup = "";
	expect_ids(&s, "", "");
	s.cgroup = NULL;
	expect_ids(&s, "", "");
}

static void test_build_ids_from_the_two_names_of_an_exec_message(void **state)
{
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);

	(void)state;
	s.cgroup = "docker-" CID ".scope";
	s.cgroup_parent = "system.slice";
	expect_ids(&s, CID, "");
	/* A bare id is docker's only under its "docker" parent: the names
	 * are joined before they are parsed. */
	s.cgroup = CID;
	s.cgroup_parent = "docker";
	expect_ids(&s, CID, "");
	s.cgroup = "cri-containerd-" CID ".scope";
	s.cgroup_parent = "kubepods-besteffort-pod" UID_U ".slice";
	expect_ids(&s, CID, UID_D);
	/* The pod alone, from the parent's name. */
	s.cgroup = "crio-conmon-" CID ".scope";
	expect_ids(&s, "", UID_D);
	/* Names an exec message leaves empty. */
	s.cgroup = "";
	s.cgroup_parent = "";
	expect_ids(&s, "", "");
	s.cgroup = NULL;
	s.cgroup_parent = "docker-" CID ".scope";
	expect_ids(&s, CID, "");
}

static void test_build_ids_of_an_overlong_path_are_empty(void **state)
{
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);
	size_t leaf = strlen("docker-" CID ".scope");
	char *parent = malloc(VIGIL_CGROUP_PATH_MAX + 1);

	(void)state;
	assert_non_null(parent);
	s.cgroup = "docker-" CID ".scope";
	s.cgroup_parent = parent;
	/* "parent/leaf" of VIGIL_CGROUP_PATH_MAX - 1 characters: parsed. */
	memset(parent, 'p', VIGIL_CGROUP_PATH_MAX);
	parent[VIGIL_CGROUP_PATH_MAX - 2 - leaf] = '\0';
	expect_ids(&s, CID, "");
	/* One more: too long for a cgroup path, as vigil_container_id() says. */
	parent[VIGIL_CGROUP_PATH_MAX - 2 - leaf] = 'p';
	parent[VIGIL_CGROUP_PATH_MAX - 1 - leaf] = '\0';
	expect_ids(&s, "", "");
	/* A parent that alone fills a path. */
	parent[VIGIL_CGROUP_PATH_MAX - 1 - leaf] = 'p';
	parent[VIGIL_CGROUP_PATH_MAX] = '\0';
	expect_ids(&s, "", "");
	free(parent);
}

/* --- the description, recorded ------------------------------------------- */

static void test_build_then_cache_records_the_image(void **state)
{
	struct vigil_cache *c = vigil_cache_new();
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);
	struct vigil_exec_desc d;
	struct vigil_process *p;

	(void)state;
	assert_non_null(c);
	s.cwd = "/";
	s.exec_flags = VIGIL_EXEC_F_TRUNC_ARGS;
	s.cgroup = "cri-containerd-" CID ".scope";
	s.cgroup_parent = "kubepods-pod" UID_U ".slice";
	vigil_exec_desc_build(&d, &s);
	p = vigil_cache_exec(c, &d);
	assert_non_null(p);
	assert_int_equal(p->flags, VIGIL_PF_EXECVE | VIGIL_PF_TRUNC_ARGS | VIGIL_PF_ROOTCWD);
	assert_string_equal(p->binary, "/usr/bin/curl");
	assert_string_equal(p->cwd, "/");
	assert_string_equal(p->container_id, CID);
	assert_string_equal(p->pod_uid, UID_D);
	assert_int_equal(p->creds.auid, UINT32_MAX); /* no creds: unset */
	vigil_process_put(c, p);
	vigil_cache_free(c);
}

/* --- the pipeline describes an exec message through the builder ---------- */

/* An exec message, aligned like a ring-buffer record. */
struct msgbuf {
	size_t size;
	union {
		struct vigil_exec_event ev;
		unsigned char bytes[1024];
	} u;
};

static void put_part(struct msgbuf *m, const char *p, size_t len, __u16 *len_field)
{
	*len_field = (__u16)len;
	memcpy(m->u.bytes + m->size, p, len);
	m->size += len;
}

#define PART(lit) (lit), sizeof(lit) - 1

static void test_pipeline_exec_is_described_by_the_builder(void **state)
{
	struct vigil_pipeline pl = { 0 };
	struct msgbuf *m = calloc(1, sizeof(*m));
	struct vigil_exec_event *ev;
	struct vigil_exec_source s = plain(VIGIL_PF_EXECVE);
	struct vigil_exec_desc want;
	struct vigil_process *p;

	(void)state;
	assert_non_null(m);
	pl.cache = vigil_cache_new();
	assert_non_null(pl.cache);
	ev = &m->u.ev;
	ev->hdr.type = VIGIL_MSG_EXEC;
	ev->hdr.ktime = 5000;
	ev->proc.pid = 1234;
	ev->proc.ktime = 4000;
	ev->tid = 1235;
	ev->flags = VIGIL_EXEC_F_TRUNC_ARGS | VIGIL_EXEC_F_TRUNC_FILENAME;
	ev->cgroup_id = 77;
	m->size = sizeof(*ev);
	put_part(m, PART("/usr/bin/curl\0"), &ev->binary_len);
	put_part(m, PART(""), &ev->cwd_len); /* no component: the root */
	put_part(m, PART("curl\0-s\0"), &ev->args_len);
	put_part(m, PART(CID "\0docker\0"), &ev->cgroup_len);
	ev->hdr.size = (__u32)m->size;

	/* No output: the message only updates the cache. */
	assert_int_equal(vigil_pipeline_msg(&pl, m->u.bytes, m->size), 0);
	assert_int_equal(pl.handled[VIGIL_MSG_EXEC], 1);
	assert_int_equal(pl.bad, 0);
	p = vigil_cache_find(pl.cache, 1234);
	assert_non_null(p);

	/* What the builder says of the decoded message. */
	s.exec_flags = ev->flags;
	s.cwd = "/";
	s.cgroup = CID;
	s.cgroup_parent = "docker";
	vigil_exec_desc_build(&want, &s);
	assert_int_equal(p->flags, want.flags);
	assert_int_equal(p->flags, VIGIL_PF_EXECVE | VIGIL_PF_TRUNC_ARGS | VIGIL_PF_ERR_FILENAME |
					   VIGIL_PF_ROOTCWD);
	assert_string_equal(p->container_id, want.container_id);
	assert_string_equal(p->container_id, CID);
	assert_string_equal(p->pod_uid, "");
	assert_int_equal(p->tid, 1235);
	assert_int_equal(p->ktime, 4000);
	assert_int_equal(p->cgroup_id, 77);
	assert_string_equal(p->args, "-s");
	vigil_cache_free(pl.cache);
	free(m);
}

int main(void)
{
	const struct CMUnitTest exec_desc[] = {
		cmocka_unit_test(test_build_copies_every_field_and_clears_the_rest),
		cmocka_unit_test(test_build_maps_each_exec_flag),
		cmocka_unit_test(test_build_keeps_the_origin),
		cmocka_unit_test(test_build_sets_root_cwd_only_for_slash),
		cmocka_unit_test(test_build_ids_from_a_cgroup_path),
		cmocka_unit_test(test_build_ids_from_the_two_names_of_an_exec_message),
		cmocka_unit_test(test_build_ids_of_an_overlong_path_are_empty),
		cmocka_unit_test(test_build_then_cache_records_the_image),
		cmocka_unit_test(test_pipeline_exec_is_described_by_the_builder),
	};

	return cmocka_run_group_tests_name("exec_desc", exec_desc, NULL, NULL);
}
