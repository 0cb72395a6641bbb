// SPDX-License-Identifier: Apache-2.0
/*
 * resolve: field paths on a BTF built here, shaped like the kernel's:
 *
 *   struct dentry;  (no members)
 *   struct path  { void *mnt; struct dentry *dentry; }          16 bytes
 *   struct qstr  { u32 hash; u32 len; const char *name; }      16 bytes
 *   struct file  { u64 x; union { u64 a; struct path f_path; };  (anonymous)
 *                  char comm[16]; u8 bits:3; }
 *   typedef struct file file_t;
 *   struct dentry2 { u32 flags; struct qstr d_name; }  (at 8)
 *   struct holder { u64 pad; struct dentry2 *d; }
 *
 * Each path's steps and final size; each refusal's reason.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "btf_resolve.h"

struct types {
	struct btf *btf;
	int u32, u64, u8, chr, vptr, ptr_file, ptr_td, ptr_u32;
};

static int group_setup(void **state)
{
	static struct types t;
	struct btf *b = btf__new_empty();
	int path, qstr, dentry, file, uni, arr, cptr, dptr, td;

	if (!b)
		return -1;
	t.btf = b;
	t.u32 = btf__add_int(b, "u32", 4, 0);
	t.u64 = btf__add_int(b, "u64", 8, 0);
	t.u8 = btf__add_int(b, "u8", 1, 0);
	t.chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	t.vptr = btf__add_ptr(b, 0);
	cptr = btf__add_ptr(b, t.chr);
	dentry = btf__add_struct(b, "dentry", 24);
	dptr = btf__add_ptr(b, dentry);
	path = btf__add_struct(b, "path", 16);
	btf__add_field(b, "mnt", t.vptr, 0, 0);
	btf__add_field(b, "dentry", dptr, 64, 0);
	qstr = btf__add_struct(b, "qstr", 16);
	btf__add_field(b, "hash", t.u32, 0, 0);
	btf__add_field(b, "len", t.u32, 32, 0);
	btf__add_field(b, "name", cptr, 64, 0);
	uni = btf__add_union(b, NULL, 16);
	btf__add_field(b, "a", t.u64, 0, 0);
	btf__add_field(b, "f_path", path, 0, 0);
	arr = btf__add_array(b, t.u32, t.chr, 16);
	file = btf__add_struct(b, "file", 48);
	btf__add_field(b, "x", t.u64, 0, 0);
	btf__add_field(b, NULL, uni, 64, 0);
	btf__add_field(b, "comm", arr, 192, 0);
	btf__add_field(b, "bits", t.u8, 320, 3);
	t.ptr_file = btf__add_ptr(b, file);
	td = btf__add_typedef(b, "file_t", file);
	t.ptr_td = btf__add_ptr(b, td);
	t.ptr_u32 = btf__add_ptr(b, t.u32);
	(void)qstr;
	*state = &t;
	return 0;
}

static int group_teardown(void **state)
{
	struct types *t = *state;

	btf__free(t->btf);
	return 0;
}

/* A pointer to struct holder, whose d points to a dentry2 with a name. */
static int holder(struct types *t)
{
	int qstr = btf__find_by_name_kind(t->btf, "qstr", BTF_KIND_STRUCT);
	int d = btf__add_struct(t->btf, "dentry2", 24), dp, h;

	btf__add_field(t->btf, "flags", t->u32, 0, 0);
	btf__add_field(t->btf, "d_name", qstr, 64, 0);
	dp = btf__add_ptr(t->btf, d);
	h = btf__add_struct(t->btf, "holder", 16);
	btf__add_field(t->btf, "pad", t->u64, 0, 0);
	btf__add_field(t->btf, "d", dp, 64, 0);
	return btf__add_ptr(t->btf, h);
}

static void expect(struct types *t, int type, const char *path, uint8_t n, const uint16_t *off,
		   uint8_t size)
{
	struct vigil_resolve r;
	char why[256];
	int i;

	assert_int_equal(vigil_btf_resolve(t->btf, (__u32)type, path, &r, why, sizeof(why)), 0);
	assert_int_equal(r.n, n);
	for (i = 0; i < n; i++)
		assert_int_equal(r.off[i], off[i]);
	assert_int_equal(r.size, size);
}

static void refuse(struct types *t, int type, const char *path, const char *want)
{
	struct vigil_resolve r;
	char why[256];

	assert_int_equal(vigil_btf_resolve(t->btf, (__u32)type, path, &r, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, want);
}

static void test_member_through_anonymous_union(void **state)
{
	/* x is 8 bytes; the union (f_path inside) starts at 8 */
	expect(*state, ((struct types *)*state)->ptr_file, "x", 1, (uint16_t[]){ 0 }, 8);
	expect(*state, ((struct types *)*state)->ptr_file, "a", 1, (uint16_t[]){ 8 }, 8);
	/* f_path.dentry: a pointer, read as the last field */
	expect(*state, ((struct types *)*state)->ptr_file, "f_path.dentry", 1, (uint16_t[]){ 16 },
	       8);
}

static void test_typedef_and_array_index(void **state)
{
	struct types *t = *state;

	expect(t, t->ptr_td, "comm[3]", 1, (uint16_t[]){ 27 }, 1);
	refuse(t, t->ptr_td, "comm[16]", "\"comm[16]\": the index is past the array's end");
	refuse(t, t->ptr_td, "x[0]", "\"x[0]\": the member is not an array");
}

static void test_pointer_is_followed(void **state)
{
	struct types *t = *state;
	int hp = holder(t);

	/* d is read at 8; in the dentry2, d_name at 8, len at 4 in it */
	expect(t, hp, "d.d_name.len", 2, (uint16_t[]){ 8, 12 }, 4);
	/* name is a pointer: read as the last field, not followed */
	expect(t, hp, "d.d_name.name", 2, (uint16_t[]){ 8, 16 }, 8);
	/* followed into a struct without members: refused there */
	refuse(t, t->ptr_file, "f_path.dentry.flags", "no member \"flags\" in struct dentry");
}

static void test_refusals(void **state)
{
	struct types *t = *state;

	refuse(t, t->ptr_u32, "x", "\"x\" in \"x\": u32 has no members");
	refuse(t, t->u32, "x", "resolve needs an argument that points to a struct, not u32");
	refuse(t, t->ptr_file, "nope", "no member \"nope\" in struct file");
	refuse(t, t->ptr_file, "bits", "\"bits\" is a bitfield, which resolve cannot read");
	refuse(t, t->ptr_file, "f_path",
	       "\"f_path\" ends at struct path: resolve reads a number or "
	       "a pointer");
	refuse(t, t->ptr_file, "comm",
	       "\"comm\" ends at an array: resolve reads a number or a "
	       "pointer");
	refuse(t, t->ptr_file, "a..b", "invalid resolve path \"a..b\"");
	refuse(t, t->ptr_file, "comm[x]", "invalid resolve path \"comm[x]\"");
	refuse(t, t->ptr_file, "", "\"\" ends at struct file: resolve reads a number or a pointer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_through_anonymous_union),
		cmocka_unit_test(test_typedef_and_array_index),
		cmocka_unit_test(test_pointer_is_followed),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
