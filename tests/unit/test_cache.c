// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/proc_cache.c: parent linking by process key, clone
 * inheritance, exec replacement, exit, and the reference counts that keep
 * ancestry alive while children need it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "process.h"

#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"

static int setup(void **state)
{
	*state = vigil_cache_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	vigil_cache_free(*state);
	return 0;
}

/* Exec pid at ktime, child of (ppid, pktime); returns the caller's reference. */
static struct vigil_process *do_exec(struct vigil_cache *c, uint32_t pid, uint64_t ktime,
				     uint32_t ppid, uint64_t pktime, const char *binary)
{
	struct vigil_exec_desc d = { 0 };
	struct vigil_process *p;

	d.pid = d.tid = pid;
	d.ktime = ktime;
	d.parent.pid = ppid;
	d.parent.ktime = pktime;
	d.flags = VIGIL_PF_EXECVE;
	d.binary = binary;
	d.args = "arg";
	d.cwd = "/";
	p = vigil_cache_exec(c, &d);
	assert_non_null(p);
	return p;
}

/* exec_id derives from (ktime, pid): check the identity a record carries. */
static void expect_self(const struct vigil_process *p, uint64_t ktime, uint32_t pid)
{
	assert_int_equal(p->ktime, ktime);
	assert_int_equal(p->pid, pid);
}

/* parent_exec_id derives from the parent key. */
static void expect_parent_key(const struct vigil_process *p, uint64_t ktime, uint32_t pid)
{
	assert_int_equal(p->parent_key.ktime, ktime);
	assert_int_equal(p->parent_key.pid, pid);
}

/* --- exec ------------------------------------------------------------------ */

static void test_exec_records_image(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_creds cr = { .uid = 1000, .euid = 1001, .auid = 7 };
	uint32_t ns[VIGIL_NS_COUNT] = { [VIGIL_NS_PID] = 4026531836U };
	struct vigil_exec_desc d = { 0 };
	struct vigil_process *p;

	d.pid = 100;
	d.tid = 101;
	d.ktime = 5555;
	d.flags = VIGIL_PF_EXECVE | VIGIL_PF_TRUNC_ARGS;
	d.binary = "/usr/bin/curl";
	d.args = "https://example";
	d.cwd = "/home/u";
	d.creds = &cr;
	d.ns = ns;
	d.cgroup_id = 99;
	strcpy(d.container_id, CID);
	strcpy(d.pod_uid, "7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a998");
	p = vigil_cache_exec(c, &d);
	assert_non_null(p);
	assert_ptr_equal(vigil_cache_find(c, 100), p);
	assert_int_equal(p->pid, 100);
	assert_int_equal(p->tid, 101);
	assert_int_equal(p->ktime, 5555);
	assert_int_equal(p->flags, VIGIL_PF_EXECVE | VIGIL_PF_TRUNC_ARGS);
	assert_string_equal(p->binary, "/usr/bin/curl");
	assert_string_equal(p->args, "https://example");
	assert_string_equal(p->cwd, "/home/u");
	assert_int_equal(p->creds.uid, 1000);
	assert_int_equal(p->creds.euid, 1001);
	assert_int_equal(p->creds.auid, 7);
	assert_int_equal(p->ns[VIGIL_NS_PID], 4026531836U);
	assert_int_equal(p->cgroup_id, 99);
	assert_string_equal(p->container_id, CID);
	assert_string_equal(p->pod_uid, "7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a998");
	assert_false(p->exited);
	assert_true(p->in_table);
	expect_self(p, 5555, 100);
	/* No parent key: no parent, no parent_exec_id. */
	assert_null(p->parent);
	assert_int_equal(p->parent_key.pid, 0);
	assert_int_equal(vigil_cache_live(c), 1);
	assert_int_equal(vigil_cache_total(c), 1);
	vigil_process_put(c, p);
	assert_int_equal(vigil_cache_total(c), 1);
}

static void test_exec_without_creds_has_unset_auid(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_exec_desc d = { .pid = 5, .ktime = 1 };
	struct vigil_process *p = vigil_cache_exec(c, &d);

	assert_non_null(p);
	assert_int_equal(p->creds.auid, UINT32_MAX);
	/* NULL strings become empty ones. */
	assert_string_equal(p->binary, "");
	assert_string_equal(p->args, "");
	assert_string_equal(p->cwd, "");
	assert_string_equal(p->container_id, "");
	vigil_process_put(c, p);
}

static void test_exec_links_parent_by_key(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *parent = do_exec(c, 10, 1000, 0, 0, "/bin/bash");
	struct vigil_process *child = do_exec(c, 11, 2000, 10, 1000, "/bin/ls");

	assert_ptr_equal(child->parent, parent);
	expect_parent_key(child, parent->ktime, parent->pid);
	expect_parent_key(child, 1000, 10);
	/* parent: alive + caller + child */
	assert_int_equal(parent->refcnt, 3);
	vigil_process_put(c, child);
	vigil_process_put(c, parent);
}

static void test_exec_parent_key_without_ktime_links_by_pid(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *parent = do_exec(c, 10, 1000, 0, 0, "/bin/bash");
	struct vigil_process *child = do_exec(c, 11, 2000, 10, 0, "/bin/ls");

	assert_ptr_equal(child->parent, parent);
	expect_parent_key(child, parent->ktime, parent->pid);
	vigil_process_put(c, child);
	vigil_process_put(c, parent);
}

static void test_exec_parent_ktime_mismatch_does_not_link(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *other = do_exec(c, 10, 1000, 0, 0, "/bin/bash");
	/* pid 10 was reused: the child's parent was the image at ktime 999. */
	struct vigil_process *child = do_exec(c, 11, 2000, 10, 999, "/bin/ls");

	assert_null(child->parent);
	expect_parent_key(child, 999, 10);
	assert_int_not_equal(child->parent_key.ktime, other->ktime);
	assert_int_equal(other->refcnt, 2);
	vigil_process_put(c, child);
	vigil_process_put(c, other);
}

static void test_exec_unknown_parent_derives_parent_exec_id(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *child = do_exec(c, 11, 2000, 77, 700, "/bin/ls");

	assert_null(child->parent);
	expect_parent_key(child, 700, 77);
	vigil_process_put(c, child);
}

static void test_exec_replaces_older_image(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *old = do_exec(c, 20, 100, 0, 0, "/bin/sh");
	struct vigil_process *new = do_exec(c, 20, 200, 0, 0, "/usr/bin/env");

	assert_ptr_not_equal(old, new);
	assert_ptr_equal(vigil_cache_find(c, 20), new);
	assert_true(old->exited);
	assert_false(old->in_table);
	assert_false(new->exited);
	assert_int_equal(vigil_cache_live(c), 1);
	/* The old image lives on only through our reference. */
	assert_int_equal(old->refcnt, 1);
	assert_int_equal(vigil_cache_total(c), 2);
	vigil_process_put(c, old);
	assert_int_equal(vigil_cache_total(c), 1);
	assert_ptr_equal(vigil_cache_find(c, 20), new);
	vigil_process_put(c, new);
}

static void test_exec_after_clone_links_to_previous_image(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_proc_key pk = { .pid = 30, .ktime = 300 };
	struct vigil_process *parent = do_exec(c, 30, 300, 0, 0, "/bin/bash");
	struct vigil_process *clone = vigil_cache_clone(c, 31, 31, 310, &pk);
	struct vigil_process *img;

	assert_non_null(clone);
	/* The clone execs: same pid, new image, same parent. */
	img = do_exec(c, 31, 320, 30, 300, "/bin/ls");
	assert_ptr_equal(vigil_cache_find(c, 31), img);
	assert_ptr_equal(img->parent, parent);
	assert_true(clone->exited);
	assert_int_equal(vigil_cache_live(c), 2);
	vigil_process_put(c, clone);
	vigil_process_put(c, img);
	vigil_process_put(c, parent);
	assert_int_equal(vigil_cache_total(c), 2);
}

/* --- clone ----------------------------------------------------------------- */

static void test_clone_inherits_parent_image(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_creds cr = { .uid = 1, .gid = 2, .euid = 3, .auid = 4, .cap_effective = 0x3 };
	uint32_t ns[VIGIL_NS_COUNT] = { [VIGIL_NS_UTS] = 11, [VIGIL_NS_USER] = 22 };
	struct vigil_exec_desc d = { 0 };
	struct vigil_proc_key pk = { .pid = 40, .ktime = 400 };
	struct vigil_process *parent, *child;

	d.pid = d.tid = 40;
	d.ktime = 400;
	d.flags = VIGIL_PF_EXECVE;
	d.binary = "/usr/sbin/nginx";
	d.args = "-g daemon off;";
	d.cwd = "/srv";
	d.creds = &cr;
	d.ns = ns;
	d.cgroup_id = 1234;
	strcpy(d.container_id, CID);
	strcpy(d.pod_uid, "pod");
	parent = vigil_cache_exec(c, &d);
	assert_non_null(parent);

	child = vigil_cache_clone(c, 41, 42, 410, &pk);
	assert_non_null(child);
	assert_ptr_equal(vigil_cache_find(c, 41), child);
	assert_int_equal(child->pid, 41);
	assert_int_equal(child->tid, 42);
	assert_int_equal(child->ktime, 410);
	assert_int_equal(child->flags, VIGIL_PF_CLONE);
	assert_ptr_equal(child->parent, parent);
	expect_parent_key(child, parent->ktime, parent->pid);
	expect_self(child, 410, 41);
	assert_string_equal(child->binary, "/usr/sbin/nginx");
	assert_string_equal(child->args, "-g daemon off;");
	assert_string_equal(child->cwd, "/srv");
	/* Copies, not shared pointers. */
	assert_ptr_not_equal(child->binary, parent->binary);
	assert_memory_equal(&child->creds, &cr, sizeof(cr));
	assert_memory_equal(child->ns, ns, sizeof(ns));
	assert_int_equal(child->cgroup_id, 1234);
	assert_string_equal(child->container_id, CID);
	assert_string_equal(child->pod_uid, "pod");
	vigil_process_put(c, child);
	vigil_process_put(c, parent);
}

static void test_clone_of_unknown_parent_is_miss(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_proc_key pk = { .pid = 50, .ktime = 500 };
	struct vigil_process *child = vigil_cache_clone(c, 51, 51, 510, &pk);

	assert_non_null(child);
	assert_int_equal(child->flags, VIGIL_PF_CLONE | VIGIL_PF_MISS);
	assert_null(child->parent);
	expect_parent_key(child, 500, 50);
	assert_string_equal(child->binary, "");
	assert_ptr_equal(vigil_cache_find(c, 51), child);
	vigil_process_put(c, child);
}

/* --- exit ------------------------------------------------------------------ */

static void test_exit_returns_record_and_removes_it(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *p = do_exec(c, 60, 600, 0, 0, "/bin/sleep");
	struct vigil_process *e;

	vigil_process_put(c, p); /* only the table holds it now */
	assert_int_equal(vigil_cache_live(c), 1);
	e = vigil_cache_exit(c, 60, 600);
	assert_ptr_equal(e, p);
	assert_true(e->exited);
	assert_false(e->in_table);
	assert_null(vigil_cache_find(c, 60));
	assert_int_equal(vigil_cache_live(c), 0);
	assert_int_equal(vigil_cache_total(c), 1);
	assert_string_equal(e->binary, "/bin/sleep");
	vigil_process_put(c, e);
	assert_int_equal(vigil_cache_total(c), 0);
}

static void test_exit_with_zero_ktime_matches_any_image(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *p = do_exec(c, 61, 610, 0, 0, "/bin/sleep");
	struct vigil_process *e;

	vigil_process_put(c, p);
	e = vigil_cache_exit(c, 61, 0);
	assert_ptr_equal(e, p);
	assert_null(vigil_cache_find(c, 61));
	vigil_process_put(c, e);
	assert_int_equal(vigil_cache_total(c), 0);
}

static void test_exit_of_unknown_pid_is_miss_record(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *e = vigil_cache_exit(c, 70, 700);

	assert_non_null(e);
	assert_int_equal(e->flags, VIGIL_PF_MISS);
	assert_int_equal(e->pid, 70);
	assert_int_equal(e->ktime, 700);
	assert_true(e->exited);
	assert_false(e->in_table);
	assert_null(e->parent);
	assert_string_equal(e->binary, "");
	assert_string_equal(e->args, "");
	expect_self(e, 700, 70);
	assert_null(vigil_cache_find(c, 70));
	assert_int_equal(vigil_cache_live(c), 0);
	assert_int_equal(vigil_cache_total(c), 1);
	vigil_process_put(c, e);
	assert_int_equal(vigil_cache_total(c), 0);
}

static void test_exit_with_other_ktime_leaves_live_image(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *p = do_exec(c, 80, 800, 0, 0, "/bin/cat");
	struct vigil_process *e = vigil_cache_exit(c, 80, 799);

	assert_non_null(e);
	assert_ptr_not_equal(e, p);
	assert_int_equal(e->flags, VIGIL_PF_MISS);
	assert_ptr_equal(vigil_cache_find(c, 80), p);
	assert_false(p->exited);
	vigil_process_put(c, e);
	vigil_process_put(c, p);
	assert_int_equal(vigil_cache_total(c), 1);
}

/* --- references ------------------------------------------------------------ */

static void test_parent_outlives_exit_while_child_holds_it(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *parent = do_exec(c, 90, 900, 0, 0, "/bin/bash");
	struct vigil_process *child = do_exec(c, 91, 910, 90, 900, "/bin/sleep");
	struct vigil_process *e;

	vigil_process_put(c, child);
	vigil_process_put(c, parent);
	assert_int_equal(vigil_cache_total(c), 2);

	e = vigil_cache_exit(c, 90, 900);
	assert_ptr_equal(e, parent);
	vigil_process_put(c, e);
	/* Gone from the table, still allocated for the child's ancestry. */
	assert_null(vigil_cache_find(c, 90));
	assert_int_equal(vigil_cache_live(c), 1);
	assert_int_equal(vigil_cache_total(c), 2);
	assert_ptr_equal(child->parent, parent);
	assert_string_equal(child->parent->binary, "/bin/bash");
	assert_true(child->parent->exited);
	assert_int_equal(parent->refcnt, 1);

	e = vigil_cache_exit(c, 91, 910);
	assert_ptr_equal(e, child);
	assert_int_equal(vigil_cache_total(c), 2);
	vigil_process_put(c, e);
	/* The child's last reference frees it, then its parent. */
	assert_int_equal(vigil_cache_total(c), 0);
	assert_int_equal(vigil_cache_live(c), 0);
}

static void test_get_and_put_count_references(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *p = do_exec(c, 95, 950, 0, 0, "/bin/true");
	struct vigil_process *e;

	assert_int_equal(p->refcnt, 2);
	vigil_process_get(p);
	assert_int_equal(p->refcnt, 3);
	vigil_process_put(c, p);
	vigil_process_put(c, p);
	assert_int_equal(p->refcnt, 1);
	e = vigil_cache_exit(c, 95, 950);
	assert_int_equal(vigil_cache_total(c), 1);
	vigil_process_put(c, e);
	assert_int_equal(vigil_cache_total(c), 0);
	vigil_process_put(c, NULL); /* no-op */
}

static void test_link_parent_links_live_process_once(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *a = do_exec(c, 1, 10, 0, 0, "/sbin/init");
	struct vigil_process *b = do_exec(c, 2, 20, 0, 0, "/bin/sh");
	struct vigil_process *d = do_exec(c, 3, 30, 0, 0, "/bin/sh");
	struct vigil_proc_key k1 = { .pid = 1 }, k3 = { .pid = 3 }, k999 = { .pid = 999 };
	struct vigil_proc_key k1_other = { .pid = 1, .ktime = 11 };

	/* A key naming another image of the pid links nothing but is kept. */
	vigil_cache_link_parent(c, d, &k1_other);
	assert_null(d->parent);
	expect_parent_key(d, 11, 1);
	d->parent_key = (struct vigil_proc_key){ 0 };

	vigil_cache_link_parent(c, b, &k1);
	assert_ptr_equal(b->parent, a);
	expect_parent_key(b, a->ktime, a->pid);
	assert_int_equal(a->refcnt, 3);
	/* An existing parent is kept. */
	vigil_cache_link_parent(c, b, &k3);
	assert_ptr_equal(b->parent, a);
	assert_int_equal(d->refcnt, 2);
	/* Not itself, not an unknown pid. */
	vigil_cache_link_parent(c, d, &k3);
	assert_null(d->parent);
	vigil_cache_link_parent(c, d, &k999);
	assert_null(d->parent);
	assert_int_equal(d->parent_key.pid, 0);
	vigil_process_put(c, a);
	vigil_process_put(c, b);
	vigil_process_put(c, d);
}

/* An orphan: a clone whose parent exits before the clone execs.  The exec
 * still names the parent, through the clone record it replaces. */
static void test_exec_after_parent_exit_keeps_parent(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_proc_key pk = { .pid = 10, .ktime = 100 };
	struct vigil_process *parent = do_exec(c, 10, 100, 0, 0, "/usr/bin/python3");
	struct vigil_process *clone = vigil_cache_clone(c, 11, 11, 110, &pk);
	struct vigil_process *gone, *child, *exited;

	assert_non_null(clone);
	gone = vigil_cache_exit(c, 10, 100);
	assert_ptr_equal(gone, parent);
	vigil_process_put(c, gone);
	vigil_process_put(c, parent);
	assert_null(vigil_cache_find(c, 10));

	child = do_exec(c, 11, 120, 10, 100, "/bin/true");
	assert_ptr_equal(child->parent, parent);
	assert_string_equal(child->parent->binary, "/usr/bin/python3");
	expect_parent_key(child, 100, 10);
	/* and on its exit */
	exited = vigil_cache_exit(c, 11, 120);
	assert_ptr_equal(exited, child);
	assert_ptr_equal(exited->parent, parent);
	vigil_process_put(c, exited);
	vigil_process_put(c, child);
	vigil_process_put(c, clone);
	assert_int_equal(vigil_cache_total(c), 0);
}

/* The record being replaced names another parent: not taken. */
static void test_exec_does_not_take_unrelated_previous_parent(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_proc_key pk = { .pid = 10, .ktime = 100 };
	struct vigil_process *parent = do_exec(c, 10, 100, 0, 0, "/bin/a");
	struct vigil_process *clone = vigil_cache_clone(c, 11, 11, 110, &pk);
	struct vigil_process *gone = vigil_cache_exit(c, 10, 100), *child;

	vigil_process_put(c, gone);
	child = do_exec(c, 11, 120, 20, 200, "/bin/true");
	assert_null(child->parent);
	expect_parent_key(child, 200, 20);
	vigil_process_put(c, child);
	vigil_process_put(c, clone);
	vigil_process_put(c, parent);
}

static bool alive_unless_pid_odd(void *arg, const struct vigil_process *p)
{
	int *calls = arg;

	(*calls)++;
	return p->pid % 2 == 0;
}

static void test_sweep_drops_records_dead_in_two_sweeps(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *p;
	uint32_t pid;
	int calls = 0;

	for (pid = 1; pid <= 6; pid++) {
		p = do_exec(c, pid, pid * 10, 0, 0, "/bin/sleep");
		vigil_process_put(c, p);
	}
	assert_int_equal(vigil_cache_live(c), 6);
	/* First sweep only marks. */
	assert_int_equal(vigil_cache_sweep(c, alive_unless_pid_odd, &calls), 0);
	assert_int_equal(calls, 6);
	assert_int_equal(vigil_cache_live(c), 6);
	assert_true(vigil_cache_find(c, 1)->suspect);
	assert_false(vigil_cache_find(c, 2)->suspect);
	/* Second: the three still dead are dropped and freed. */
	assert_int_equal(vigil_cache_sweep(c, alive_unless_pid_odd, &calls), 3);
	assert_int_equal(vigil_cache_live(c), 3);
	assert_int_equal(vigil_cache_total(c), 3);
	assert_null(vigil_cache_find(c, 1));
	assert_null(vigil_cache_find(c, 5));
	assert_non_null(vigil_cache_find(c, 6));
}

static bool alive_once_flag(void *arg, const struct vigil_process *p)
{
	bool *alive = arg;

	(void)p;
	return *alive;
}

static void test_sweep_forgives_a_record_seen_alive_again(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *p = do_exec(c, 7, 70, 0, 0, "/bin/sleep");
	bool alive = false;

	vigil_process_put(c, p);
	assert_int_equal(vigil_cache_sweep(c, alive_once_flag, &alive), 0);
	alive = true;
	assert_int_equal(vigil_cache_sweep(c, alive_once_flag, &alive), 0);
	alive = false;
	assert_int_equal(vigil_cache_sweep(c, alive_once_flag, &alive), 0);
	assert_int_equal(vigil_cache_live(c), 1);
	assert_int_equal(vigil_cache_sweep(c, alive_once_flag, &alive), 1);
	assert_int_equal(vigil_cache_live(c), 0);
}

/* A dropped record that a child still references stays until the child goes. */
static void test_sweep_keeps_parent_referenced_by_child(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *parent = do_exec(c, 9, 90, 0, 0, "/bin/sh");
	struct vigil_process *child = do_exec(c, 10, 100, 9, 90, "/bin/true");
	bool alive = false;

	vigil_process_put(c, parent);
	vigil_cache_sweep(c, alive_once_flag, &alive);
	assert_int_equal(vigil_cache_sweep(c, alive_once_flag, &alive), 2);
	assert_int_equal(vigil_cache_live(c), 0);
	assert_int_equal(vigil_cache_total(c), 2); /* the caller's reference on child */
	assert_string_equal(child->parent->binary, "/bin/sh");
	vigil_process_put(c, child);
	assert_int_equal(vigil_cache_total(c), 0);
}

static void test_cache_free_releases_everything(void **state)
{
	struct vigil_cache *c = vigil_cache_new();
	struct vigil_proc_key pk = { .pid = 1, .ktime = 10 };
	struct vigil_process *p;
	uint32_t pid;

	(void)state;
	assert_non_null(c);
	vigil_process_put(c, do_exec(c, 1, 10, 0, 0, "/sbin/init"));
	for (pid = 2; pid < 200; pid++) {
		p = do_exec(c, pid, pid * 10, pid - 1, (pid - 1) * 10, "/bin/sh");
		vigil_process_put(c, p);
	}
	/* Same bucket as pid 2 (hash collisions), cloned from init. */
	vigil_process_put(c, vigil_cache_clone(c, 2 + 16384, 2 + 16384, 5, &pk));
	/* An exited ancestor kept alive by its descendants. */
	vigil_process_put(c, vigil_cache_exit(c, 100, 1000));
	assert_int_equal(vigil_cache_live(c), 199);
	assert_int_equal(vigil_cache_total(c), 200);
	/* Everything must be freed: the sanitizer build reports any leak. */
	vigil_cache_free(c);
	vigil_cache_free(NULL);
}

static void test_find_distinguishes_pids_in_one_bucket(void **state)
{
	struct vigil_cache *c = *state;
	struct vigil_process *a = do_exec(c, 7, 1, 0, 0, "/a");
	struct vigil_process *b = do_exec(c, 7 + 16384, 2, 0, 0, "/b");
	struct vigil_process *e;

	assert_ptr_equal(vigil_cache_find(c, 7), a);
	assert_ptr_equal(vigil_cache_find(c, 7 + 16384), b);
	e = vigil_cache_exit(c, 7, 1);
	assert_ptr_equal(e, a);
	assert_null(vigil_cache_find(c, 7));
	assert_ptr_equal(vigil_cache_find(c, 7 + 16384), b);
	vigil_process_put(c, e);
	vigil_process_put(c, a);
	vigil_process_put(c, b);
}

int main(void)
{
	const struct CMUnitTest cache[] = {
		cmocka_unit_test_setup_teardown(test_exec_records_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_without_creds_has_unset_auid, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exec_links_parent_by_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_parent_key_without_ktime_links_by_pid,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_parent_ktime_mismatch_does_not_link,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_unknown_parent_derives_parent_exec_id,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_replaces_older_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_after_clone_links_to_previous_image,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_inherits_parent_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_of_unknown_parent_is_miss, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_returns_record_and_removes_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_with_zero_ktime_matches_any_image, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_of_unknown_pid_is_miss_record, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_with_other_ktime_leaves_live_image, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_parent_outlives_exit_while_child_holds_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_and_put_count_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_after_parent_exit_keeps_parent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exec_does_not_take_unrelated_previous_parent,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_drops_records_dead_in_two_sweeps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sweep_forgives_a_record_seen_alive_again,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_keeps_parent_referenced_by_child, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_parent_links_live_process_once, setup,
						teardown),
		cmocka_unit_test(test_cache_free_releases_everything),
		cmocka_unit_test_setup_teardown(test_find_distinguishes_pids_in_one_bucket, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("cache", cache, NULL, NULL);
}
