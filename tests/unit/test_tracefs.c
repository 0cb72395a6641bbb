// SPDX-License-Identifier: Apache-2.0
/*
 * Tracepoint format files (agent/tracefs.c): real formats copied from a
 * 6.18 kernel's tracefs (tests/tracefs/events) parse into fields numbered
 * with the common_* fields, names and types split as declared, __data_loc
 * marked; the reader finds events under an events directory and tells a
 * missing event from a missing tracefs; malformed text is refused.
 * Run from the repository root.
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
#include "tracefs.h"

#define EVENTS "tests/tracefs/events"

static struct vigil_tp_format *read_ok(const char *subsys, const char *event)
{
	struct vigil_tp_format *fmt = malloc(sizeof(*fmt));

	assert_non_null(fmt);
	assert_int_equal(vigil_tp_format_read(EVENTS, subsys, event, fmt), 0);
	return fmt;
}

static void assert_field(const struct vigil_tp_field *f, const char *name, const char *type,
			 unsigned offset, unsigned size, bool is_signed, bool data_loc)
{
	assert_string_equal(f->name, name);
	assert_string_equal(f->type, type);
	assert_int_equal(f->offset, offset);
	assert_int_equal(f->size, size);
	assert_int_equal(f->is_signed, is_signed);
	assert_int_equal(f->data_loc, data_loc);
}

static void test_sys_enter_openat(void **state)
{
	struct vigil_tp_format *fmt = read_ok("syscalls", "sys_enter_openat");
	size_t i;

	(void)state;
	assert_int_equal(fmt->nfields, 9);
	assert_field(&fmt->fields[0], "common_type", "unsigned short", 0, 2, false, false);
	assert_field(&fmt->fields[3], "common_pid", "int", 4, 4, true, false);
	assert_field(&fmt->fields[4], "__syscall_nr", "int", 8, 4, true, false);
	assert_field(&fmt->fields[5], "dfd", "int", 16, 8, false, false);
	/* Tetragon's numbering: 6 is the file name, 7 the flags */
	assert_field(&fmt->fields[6], "filename", "const char *", 24, 8, false, false);
	assert_field(&fmt->fields[7], "flags", "int", 32, 8, false, false);
	assert_field(&fmt->fields[8], "mode", "umode_t", 40, 8, false, false);
	for (i = 0; i < fmt->nfields; i++)
		assert_int_equal(fmt->fields[i].nfields, 9);
	free(fmt);
}

static void test_data_loc_and_arrays(void **state)
{
	struct vigil_tp_format *fmt = read_ok("sched", "sched_process_exec");

	(void)state;
	assert_int_equal(fmt->nfields, 7);
	assert_field(&fmt->fields[4], "filename", "__data_loc char[]", 8, 4, false, true);
	assert_field(&fmt->fields[5], "pid", "pid_t", 12, 4, true, false);
	free(fmt);
	fmt = read_ok("raw_syscalls", "sys_enter");
	assert_int_equal(fmt->nfields, 6);
	assert_field(&fmt->fields[4], "id", "long", 8, 8, true, false);
	assert_field(&fmt->fields[5], "args", "unsigned long[6]", 16, 48, false, false);
	free(fmt);
	fmt = read_ok("sched", "sched_switch");
	assert_int_equal(fmt->nfields, 11);
	assert_field(&fmt->fields[4], "prev_comm", "char[16]", 8, 16, false, false);
	assert_field(&fmt->fields[10], "next_prio", "int", 60, 4, true, false);
	free(fmt);
}

static void test_field_callback(void **state)
{
	struct vigil_tp_field f;

	(void)state;
	assert_int_equal(vigil_tracefs_field(EVENTS, "syscalls", "sys_enter_openat", 6, &f), 0);
	assert_string_equal(f.name, "filename");
	assert_int_equal(f.nfields, 9);
	memset(&f, 0xff, sizeof(f));
	assert_int_equal(vigil_tracefs_field(EVENTS, "syscalls", "sys_enter_openat", 9, &f),
			 -ERANGE);
	assert_int_equal(f.nfields, 9);
	assert_int_equal(vigil_tracefs_field(EVENTS, "syscalls", "sys_enter_nope", 0, &f), -ENOENT);
	assert_int_equal(vigil_tracefs_field(EVENTS, "nosuchsys", "sys_enter_openat", 0, &f),
			 -ENOENT);
}

static void test_reader_names_and_roots(void **state)
{
	struct vigil_tp_format *fmt = malloc(sizeof(*fmt));

	(void)state;
	assert_non_null(fmt);
	/* names are single directory entries */
	assert_int_equal(vigil_tp_format_read(EVENTS, "..", "events", fmt), -ENOENT);
	assert_int_equal(vigil_tp_format_read(EVENTS, "syscalls/../sched", "sched_switch", fmt),
			 -ENOENT);
	assert_int_equal(vigil_tp_format_read(EVENTS, "", "sched_switch", fmt), -ENOENT);
	assert_int_equal(vigil_tp_format_read(EVENTS, "sched", ".", fmt), -ENOENT);
	/* no events directory at all: no tracefs */
	assert_int_equal(vigil_tp_format_read("tests/tracefs/none", "sched", "sched_switch", fmt),
			 -ENODEV);
	/* a file where a directory should be */
	assert_int_equal(vigil_tp_format_read(EVENTS, "sched", "sched_switch/format", fmt),
			 -ENOENT);
	free(fmt);
}

static int parse(const char *text, struct vigil_tp_format *fmt)
{
	return vigil_tp_format_parse(text, strlen(text), fmt);
}

#define HEAD	      "name: e\nID: 1\nformat:\n"
#define F(decl, rest) "\tfield:" decl ";\t" rest "\n"

static void test_parse_shapes(void **state)
{
	struct vigil_tp_format *fmt = malloc(sizeof(*fmt));

	(void)state;
	assert_non_null(fmt);
	/* no print fmt, CRLF, spaces for tabs, no signed, keys in another
	 * order, an unknown key, blanks squeezed in the type */
	assert_int_equal(parse(HEAD F("unsigned  \t long x",
				      "offset:8;\tsize:8;") "\r\n"
							    "  field:char  name [ 4 ] ;size:4; "
							    "offset:16; more:1;\r\n",
			       fmt),
			 0);
	assert_int_equal(fmt->nfields, 2);
	assert_field(&fmt->fields[0], "x", "unsigned long", 8, 8, false, false);
	assert_int_equal(fmt->fields[1].offset, 16);
	/* an array's size moves to the type, as written */
	assert_string_equal(fmt->fields[1].name, "name");
	assert_string_equal(fmt->fields[1].type, "char[ 4 ]");
	/* attributes of clang-built kernels are not part of the type */
	assert_int_equal(parse(HEAD F("const char * __attribute__((btf_type_tag(\"user\"))) p",
				      "offset:8;\tsize:8;")
				       F("char __attribute__((x)) *q", "offset:16;\tsize:8;"),
			       fmt),
			 0);
	assert_string_equal(fmt->fields[0].type, "const char *");
	assert_string_equal(fmt->fields[0].name, "p");
	assert_string_equal(fmt->fields[1].type, "char *");
	assert_int_equal(parse(HEAD F("__attribute__((x)) p", "offset:8;\tsize:8;"), fmt), -EINVAL);
	/* a format with no fields */
	assert_int_equal(parse("format:\n\nprint fmt: \"\"\n", fmt), 0);
	assert_int_equal(fmt->nfields, 0);
	assert_int_equal(parse("", fmt), -EINVAL);
	assert_int_equal(vigil_tp_format_parse(NULL, 0, fmt), -EINVAL);
	free(fmt);
}

static void test_parse_refusals(void **state)
{
	static const char *const bad[] = {
		"name: e\nID: 1\n" F("int x", "offset:0;\tsize:4;"), /* no format: */
		HEAD F("int x", "size:4;"),			     /* no offset */
		HEAD F("int x", "offset:0;"),			     /* no size */
		HEAD F("int x", "offset:0;\tsize:4;\tsigned:2;"),
		HEAD F("int x", "offset:70000;\tsize:4;"),
		HEAD F("int x", "offset:-1;\tsize:4;"),
		HEAD F("int x", "offset:;\tsize:4;"),
		HEAD F("int x", "offset:0x10;\tsize:4;"),
		HEAD F("int x", "offset:0;\tsize:4;\tjunk;"),
		HEAD F("x", "offset:0;\tsize:4;"),	     /* no type */
		HEAD F("int", "offset:0;\tsize:4;"),	     /* the type is taken as the name */
		HEAD F("int 9x", "offset:0;\tsize:4;"),	     /* not an identifier */
		HEAD F("int x[4", "offset:0;\tsize:4;"),     /* a broken array */
		HEAD F("int x]", "offset:0;\tsize:4;"),	     /* a broken array */
		HEAD "\tfield:int x\toffset:0\n",	     /* no ';' */
		HEAD "\tfield int x;\toffset:0;\tsize:4;\n", /* not a field line */
		HEAD "garbage\n",
		HEAD F("int x", "offset:0;\tsize:4;") "garbage\nprint fmt: \"\"\n",
		HEAD F("int "
		       "a_name_of_sixty_four_bytes_is_one_more_than_the_field_name_can_hold",
		       "offset:0;\tsize:4;"),
		HEAD F("struct a_type_name_that_is_much_too_long_for_the_ninety_six_bytes_"
		       "of_type_text_kept_in_a_field_record *x",
		       "offset:0;\tsize:4;"),
	};
	struct vigil_tp_format *fmt = malloc(sizeof(*fmt));
	char nul[] = HEAD F("int x", "offset:0;\tsize:4;");
	char *many;
	size_t i, o;

	(void)state;
	assert_non_null(fmt);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], fmt) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
	}
	/* a NUL byte inside */
	nul[sizeof(HEAD) + 2] = '\0';
	assert_int_equal(vigil_tp_format_parse(nul, sizeof(nul) - 1, fmt), -EINVAL);
	/* more fields than a format holds */
	many = malloc(64 * (VIGIL_TP_FIELDS_MAX + 2));
	assert_non_null(many);
	o = (size_t)sprintf(many, "format:\n");
	for (i = 0; i < VIGIL_TP_FIELDS_MAX; i++)
		o += (size_t)sprintf(many + o, "\tfield:int f%zu;\toffset:%zu;\tsize:4;\n", i,
				     4 * i);
	assert_int_equal(parse(many, fmt), 0);
	assert_int_equal(fmt->nfields, VIGIL_TP_FIELDS_MAX);
	sprintf(many + o, "\tfield:int last;\toffset:0;\tsize:4;\n");
	assert_int_equal(parse(many, fmt), -E2BIG);
	free(many);
	free(fmt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sys_enter_openat),
		cmocka_unit_test(test_data_loc_and_arrays),
		cmocka_unit_test(test_field_callback),
		cmocka_unit_test(test_reader_names_and_roots),
		cmocka_unit_test(test_parse_shapes),
		cmocka_unit_test(test_parse_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
