// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/policy_watch.c: which inotify event asks for what,
 * and which lifecycle call each change of the directory makes, against a
 * fake lifecycle that records its calls.  The files live in a mkdtemp()
 * directory; the last tests run the real inotify descriptor on it.
 *
 * A fake policy file holds "name: NAME" (loads as NAME) or anything else
 * (fails to load).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy_watch.h"

#define MAX_CALLS 32

struct fake {
	char calls[MAX_CALLS][128]; /* "add FILE NAME", "fail FILE", "del NAME" */
	size_t ncalls;
	char loaded[MAX_CALLS][64];
	size_t nloaded;
};

static struct fake fk;
static char dir[64];

static void record(const char *fmt, const char *a, const char *b)
{
	assert_true(fk.ncalls < MAX_CALLS);
	snprintf(fk.calls[fk.ncalls++], sizeof(fk.calls[0]), fmt, a, b);
}

static int fake_add(void *ctx, const char *file, const char *text, size_t len, char *name,
		    size_t namesz, char *errs, size_t errsz)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	char policy[64];
	size_t i;

	(void)ctx;
	if (len < 7 || len - 6 >= sizeof(policy) || memcmp(text, "name: ", 6)) {
		snprintf(errs, errsz, "%s:1:1: metadata: broken", file);
		record("fail %s%s", base, "");
		return -EINVAL;
	}
	memcpy(policy, text + 6, len - 6);
	policy[len - 6] = 0;
	policy[strcspn(policy, "\n")] = 0;
	record("add %s %s", base, policy);
	for (i = 0; i < fk.nloaded; i++)
		if (!strcmp(fk.loaded[i], policy))
			break;
	if (i == fk.nloaded)
		snprintf(fk.loaded[fk.nloaded++], sizeof(fk.loaded[0]), "%s", policy);
	snprintf(name, namesz, "%s", policy);
	return 0;
}

static int fake_del(void *ctx, const char *name)
{
	size_t i;

	(void)ctx;
	record("del %s%s", name, "");
	for (i = 0; i < fk.nloaded; i++)
		if (!strcmp(fk.loaded[i], name)) {
			memcpy(fk.loaded[i], fk.loaded[--fk.nloaded], sizeof(fk.loaded[0]));
			return 0;
		}
	return -ENOENT;
}

static const struct vigil_policy_watch_ops fake_ops = { fake_add, fake_del };

/* The calls made, joined by "; " (and then forgotten). */
static const char *calls(void)
{
	static char out[MAX_CALLS * 130];
	size_t i, o = 0;

	out[0] = 0;
	for (i = 0; i < fk.ncalls; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? "; " : "", fk.calls[i]);
	fk.ncalls = 0;
	return out;
}

static void put(const char *name, const char *content)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

static void mv(const char *from, const char *to)
{
	char a[256], b[256];

	snprintf(a, sizeof(a), "%s/%s", dir, from);
	snprintf(b, sizeof(b), "%s/%s", dir, to);
	assert_int_equal(rename(a, b), 0);
}

static void rm(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(unlink(path), 0);
}

static int setup(void **state)
{
	struct vigil_policy_watch *w = NULL;

	memset(&fk, 0, sizeof(fk));
	snprintf(dir, sizeof(dir), "/tmp/vigil-pw.XXXXXX");
	if (!mkdtemp(dir) || vigil_policy_watch_new(dir, &fake_ops, NULL, &w))
		return -1;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	vigil_policy_watch_free(*state);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- which event asks for what --------------------------------------------- */

static void test_decide_policy_files(void **state)
{
	(void)state;
	assert_int_equal(vigil_watch_decide(true, IN_CLOSE_WRITE, "a.yaml", NULL),
			 VIGIL_WATCH_FILE);
	assert_int_equal(vigil_watch_decide(true, IN_MOVED_TO, "a.yml", NULL), VIGIL_WATCH_FILE);
	assert_int_equal(vigil_watch_decide(true, IN_DELETE, "a.yaml", NULL), VIGIL_WATCH_FILE);
	assert_int_equal(vigil_watch_decide(true, IN_MOVED_FROM, "a.yaml", NULL), VIGIL_WATCH_FILE);
}

static void test_decide_ignores_other_names_and_events(void **state)
{
	static const char *const others[] = { ".a.yaml.swp", ".a.yaml", "a.yaml~", "a.yaml.tmp",
					      "a.txt",	     "4913",	".yaml",   "yml" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		assert_int_equal(vigil_watch_decide(true, IN_CLOSE_WRITE, others[i], NULL),
				 VIGIL_WATCH_NONE);
		assert_int_equal(vigil_watch_decide(true, IN_MOVED_TO, others[i], NULL),
				 VIGIL_WATCH_NONE);
		assert_false(vigil_watch_policy_name(others[i]));
	}
	/* created but not written yet; a directory that looks like a file */
	assert_int_equal(vigil_watch_decide(true, IN_CREATE, "a.yaml", NULL), VIGIL_WATCH_NONE);
	assert_int_equal(vigil_watch_decide(true, IN_DELETE | IN_ISDIR, "d.yaml", NULL),
			 VIGIL_WATCH_NONE);
	assert_int_equal(vigil_watch_decide(true, IN_CLOSE_WRITE, "", NULL), VIGIL_WATCH_NONE);
}

static void test_decide_directory_events(void **state)
{
	(void)state;
	assert_int_equal(vigil_watch_decide(true, IN_Q_OVERFLOW, "", NULL), VIGIL_WATCH_RESCAN);
	assert_int_equal(vigil_watch_decide(true, IN_DELETE_SELF, "", NULL), VIGIL_WATCH_REARM);
	assert_int_equal(vigil_watch_decide(true, IN_MOVE_SELF, "", NULL), VIGIL_WATCH_REARM);
	assert_int_equal(vigil_watch_decide(true, IN_IGNORED, "", NULL), VIGIL_WATCH_REARM);
	/* the ancestor waited on: only the next component of the path */
	assert_int_equal(vigil_watch_decide(false, IN_CREATE | IN_ISDIR, "policy.d", "policy.d"),
			 VIGIL_WATCH_REARM);
	assert_int_equal(vigil_watch_decide(false, IN_MOVED_TO | IN_ISDIR, "policy.d", "policy.d"),
			 VIGIL_WATCH_REARM);
	assert_int_equal(vigil_watch_decide(false, IN_CREATE, "other", "policy.d"),
			 VIGIL_WATCH_NONE);
	assert_int_equal(vigil_watch_decide(false, IN_DELETE_SELF, "", "policy.d"),
			 VIGIL_WATCH_REARM);
}

/* --- which change makes which lifecycle call -------------------------------- */

static void test_new_changed_renamed_policy_and_removed_file(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");
	assert_string_equal(vigil_policy_watch_policy(w, "a.yaml"), "x");

	/* same name: one add, the lifecycle replaces; nothing is deleted */
	put("a.yaml", "name: x\n");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");

	/* the name changed: the old policy goes once the new one is loaded */
	put("a.yaml", "name: y");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml y; del x");
	assert_string_equal(vigil_policy_watch_policy(w, "a.yaml"), "y");

	rm("a.yaml");
	vigil_policy_watch_note(w, IN_DELETE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "del y");
	assert_null(vigil_policy_watch_policy(w, "a.yaml"));
}

static void test_unchanged_content_is_not_loaded_again(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");
	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "");
}

static void test_broken_edit_keeps_the_earlier_version(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");

	put("a.yaml", "spec: [");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "fail a.yaml");
	assert_string_equal(vigil_policy_watch_policy(w, "a.yaml"), "x");

	/* the same broken text again: tried (and reported) once */
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "");

	/* fixed: replaces x */
	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");

	/* a broken new file loads nothing, and its removal deletes nothing */
	put("b.yaml", "oops");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "b.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "fail b.yaml");
	rm("b.yaml");
	vigil_policy_watch_note(w, IN_DELETE, "b.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "");
}

static void test_editor_temp_file_renamed_over(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");

	put(".a.yaml.swp", "name: x\n# new");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, ".a.yaml.swp");
	mv(".a.yaml.swp", "a.yaml");
	vigil_policy_watch_note(w, IN_MOVED_FROM, ".a.yaml.swp");
	vigil_policy_watch_note(w, IN_MOVED_TO, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");
}

static void test_rename_replaces_before_it_deletes(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x");

	/* a.yaml -> b.yaml: b's x replaces a's x, and a leaves nothing to delete */
	mv("a.yaml", "b.yaml");
	vigil_policy_watch_note(w, IN_MOVED_FROM, "a.yaml");
	vigil_policy_watch_note(w, IN_MOVED_TO, "b.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add b.yaml x");
	assert_null(vigil_policy_watch_policy(w, "a.yaml"));
	assert_string_equal(vigil_policy_watch_policy(w, "b.yaml"), "x");

	/* written then deleted before it was read: nothing happens */
	put("c.yaml", "name: c");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "c.yaml");
	rm("c.yaml");
	vigil_policy_watch_note(w, IN_DELETE, "c.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "");
}

static void test_two_files_of_one_name(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	put("b.yaml", "name: x");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "a.yaml");
	vigil_policy_watch_note(w, IN_CLOSE_WRITE, "b.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x; add b.yaml x");
	assert_null(vigil_policy_watch_policy(w, "a.yaml"));
	/* a.yaml lost x to b.yaml: removing it leaves x */
	rm("a.yaml");
	vigil_policy_watch_note(w, IN_DELETE, "a.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "");
	rm("b.yaml");
	vigil_policy_watch_note(w, IN_DELETE, "b.yaml");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "del x");
}

static void test_overflow_compares_the_whole_directory(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	put("b.yaml", "name: y");
	vigil_policy_watch_note(w, IN_Q_OVERFLOW, "");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add a.yaml x; add b.yaml y");

	/* changes whose events were lost */
	rm("a.yaml");
	put("b.yaml", "name: y\n# 2");
	put("c.yml", "name: z");
	put("notes.txt", "name: n");
	vigil_policy_watch_note(w, IN_Q_OVERFLOW, "");
	vigil_policy_watch_apply(w);
	assert_string_equal(calls(), "add b.yaml y; add c.yml z; del x");
}

/* --- the inotify descriptor -------------------------------------------------- */

static void test_watch_follows_the_directory(void **state)
{
	struct vigil_policy_watch *w = *state;

	put("a.yaml", "name: x");
	put(".hidden.yaml", "name: h");
	assert_int_equal(vigil_policy_watch_start(w, false), 0);
	assert_true(vigil_policy_watch_fd(w) >= 0);
	assert_string_equal(calls(), "add a.yaml x");

	put("b.yaml", "name: y");
	put("a.yaml", "name: x\n# 2");
	vigil_policy_watch_handle(w);
	assert_string_equal(calls(), "add b.yaml y; add a.yaml x");

	put(".a.yaml.tmp", "name: x2");
	mv(".a.yaml.tmp", "a.yaml");
	vigil_policy_watch_handle(w);
	assert_string_equal(calls(), "add a.yaml x2; del x");

	rm("b.yaml");
	vigil_policy_watch_handle(w);
	assert_string_equal(calls(), "del y");
}

static void test_watch_waits_for_a_missing_directory(void **state)
{
	struct vigil_policy_watch *w = NULL;
	char sub[128], pd[160], cmd[200];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/etc", dir);
	snprintf(pd, sizeof(pd), "%s/policy.d", sub);
	assert_int_equal(vigil_policy_watch_new(pd, &fake_ops, NULL, &w), 0);
	assert_int_equal(vigil_policy_watch_start(w, false), 0);
	assert_true(vigil_policy_watch_fd(w) >= 0);
	assert_string_equal(calls(), "");

	assert_int_equal(mkdir(sub, 0755), 0);
	vigil_policy_watch_handle(w);
	assert_int_equal(mkdir(pd, 0755), 0);
	vigil_policy_watch_handle(w);
	put("etc/policy.d/a.yaml", "name: x");
	vigil_policy_watch_handle(w);
	assert_string_equal(calls(), "add a.yaml x");

	/* the directory goes: so do its policies; it comes back: they load */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pd);
	assert_int_equal(system(cmd), 0);
	vigil_policy_watch_handle(w);
	assert_string_equal(calls(), "del x");
	assert_int_equal(mkdir(pd, 0755), 0);
	put("etc/policy.d/b.yaml", "name: y");
	vigil_policy_watch_handle(w);
	assert_string_equal(calls(), "add b.yaml y");
	vigil_policy_watch_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide_policy_files),
		cmocka_unit_test(test_decide_ignores_other_names_and_events),
		cmocka_unit_test(test_decide_directory_events),
		cmocka_unit_test_setup_teardown(test_new_changed_renamed_policy_and_removed_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_content_is_not_loaded_again, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_broken_edit_keeps_the_earlier_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_editor_temp_file_renamed_over, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rename_replaces_before_it_deletes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_two_files_of_one_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_compares_the_whole_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_watch_follows_the_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_waits_for_a_missing_directory, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("policy_watch", tests, NULL, NULL);
}
