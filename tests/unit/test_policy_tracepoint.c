// SPDX-License-Identifier: Apache-2.0
/*
 * Tracepoint hooks: compiled on the formats of a real kernel
 * (tests/tracefs/events, read by agent/tracefs.c as vigild reads tracefs),
 * each argument laid out at its field's offset with its width and how its
 * memory is read; every refusal at its file:line:column and field path;
 * the lint case of a format that cannot be read; and the
 * process_tracepoint event (subsys and event, not function_name).
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
#include <json-c/json.h>
#include "policy_cases.h"
#include "policy_harness.h"
#include "encode.h"
#include "parse.h"
#include "plan.h"
#include "tracefs.h"
#include "validate.h"

#define H "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n"

/* The fixture formats; subsystem "fake" answers what tracefs can answer
 * otherwise: fake/eacces, fake/enodev, fake/einval and fake/rel_loc, whose
 * field 0 is a __rel_loc string. */
static int fixture_field(void *ctx, const char *subsys, const char *event, unsigned index,
			 struct vigil_tp_field *out)
{
	(void)ctx;
	if (strcmp(subsys, "fake"))
		return vigil_tracefs_field("tests/tracefs/events", subsys, event, index, out);
	if (!strcmp(event, "eacces"))
		return -EACCES;
	if (!strcmp(event, "enodev"))
		return -ENODEV;
	if (!strcmp(event, "einval"))
		return -EINVAL;
	if (strcmp(event, "rel_loc"))
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->nfields = 1;
	if (index >= out->nfields)
		return -ERANGE;
	snprintf(out->name, sizeof(out->name), "msg");
	snprintf(out->type, sizeof(out->type), "__rel_loc char[]");
	out->offset = 8;
	out->size = 4;
	return 0;
}

static int denied_field(void *ctx, const char *subsys, const char *event, unsigned index,
			struct vigil_tp_field *out)
{
	(void)ctx;
	(void)subsys;
	(void)event;
	(void)index;
	(void)out;
	return -EACCES;
}

/* vigild on this kind of host: no kprobes, no BPF-LSM, tracefs. */
static const struct vigil_kernel_features host = {
	.exec_tracepoint = true,
	.signal = true,
	.syscall_prefix = "__x64_sys_",
	.tracepoint_field = fixture_field,
};
/* lint without root: the formats cannot be read. */
static const struct vigil_kernel_features lint_no_root = {
	.lsm = true,
	.kprobes = true,
	.exec_tracepoint = true,
	.signal = true,
	.syscall_prefix = "__x64_sys_",
	.tracepoint_field = denied_field,
	.tracepoint_unknown_ok = true,
};
/* no tracepoint facts at all */
static const struct vigil_kernel_features blind = {
	.kprobes = true,
	.signal = true,
	.syscall_prefix = "__x64_sys_",
};

static void compile_text(const char *yaml, const struct vigil_kernel_features *f,
			 struct compiled *c)
{
	compile_as("t.yaml", 3, yaml, f, c);
}

/* --- refusals, each with its exact message and place --------------------- */

#define TPS	    "  tracepoints:\n"
#define TP(sub, ev) "  - subsystem: " sub "\n    event: " ev "\n"
#define ARG(i, t)   "    - index: " #i "\n      type: " t "\n"
#define OPENAT	    TP("syscalls", "sys_enter_openat")
#define EXEC	    TP("sched", "sched_process_exec")
#define SWITCH	    TP("sched", "sched_switch")
#define LONG_NAME                                                                       \
	"an_event_name_that_is_longer_than_any_tracepoint_name_can_be_one_hundred_and_" \
	"twenty_eight_bytes_or_more_xxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const struct policy_case cases[] = {
	{ "raw_index_beyond_what_is_read",
	  H TPS TP("sched", "sched_process_exec") "    raw: true\n    args:\n" ARG(7, "int"),
	  "t.yaml:11:14: spec.tracepoints[0]: index 7: vigil reads the first 7 arguments of a "
	  "raw tracepoint" },
	{ "unknown_event", H TPS TP("syscalls", "sys_enter_nope"),
	  "t.yaml:8:12: spec.tracepoints[0].event: tracepoint \"syscalls/sys_enter_nope\" does "
	  "not exist in this kernel" },
	{ "unknown_subsystem", H TPS TP("nosuchsys", "sys_enter_openat"),
	  "t.yaml:8:12: spec.tracepoints[0].event: tracepoint \"nosuchsys/sys_enter_openat\" "
	  "does not exist in this kernel" },
	{ "name_too_long", H TPS TP("syscalls", LONG_NAME),
	  "t.yaml:8:12: spec.tracepoints[0].event: the tracepoint name is longer than 127 "
	  "bytes" },
	{ "format_unreadable", H TPS TP("fake", "eacces"),
	  "t.yaml:8:12: spec.tracepoints[0].event: cannot read the format of tracepoint "
	  "\"fake/eacces\": Permission denied" },
	{ "no_tracefs", H TPS TP("fake", "enodev"),
	  "t.yaml:8:12: spec.tracepoints[0].event: cannot read the format of tracepoint "
	  "\"fake/enodev\": tracefs is not mounted" },
	{ "format_malformed", H TPS TP("fake", "einval"),
	  "t.yaml:8:12: spec.tracepoints[0].event: cannot read the format of tracepoint "
	  "\"fake/einval\": its format file is not in the form vigil reads" },
	{ "index_out_of_range", H TPS OPENAT "    args:\n" ARG(10, "int"),
	  "t.yaml:10:14: spec.tracepoints[0].args[0].index: index 10 is out of range: tracepoint "
	  "\"syscalls/sys_enter_openat\" has 9 fields (numbered from 0, common_* fields "
	  "included)" },
	{ "int_on_data_loc", H TPS EXEC "    args:\n" ARG(4, "int"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"int\" does not fit field 4 "
	  "\"filename\" (__data_loc char[]): an integer is read from a field of 1, 2, 4 or 8 "
	  "bytes" },
	{ "int_wider_than_field", H TPS EXEC "    args:\n" ARG(5, "uint64"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"uint64\" does not fit field 5 "
	  "\"pid\" (pid_t): the type has 8 bytes, the field 4" },
	{ "int_on_array", H TPS SWITCH "    args:\n" ARG(4, "int8"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"int8\" does not fit field 4 "
	  "\"prev_comm\" (char[16]): an integer is read from a field of 1, 2, 4 or 8 bytes" },
	{ "string_on_int", H TPS OPENAT "    args:\n" ARG(7, "string"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"string\" does not fit field 7 "
	  "\"flags\" (int): a string is read from a char * or __data_loc char[] field" },
	{ "string_on_array", H TPS SWITCH "    args:\n" ARG(4, "string"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"string\" does not fit field 4 "
	  "\"prev_comm\" (char[16]): a string is read from a char * or __data_loc char[] field, "
	  "not from an array in the record" },
	{ "string_on_rel_loc", H TPS TP("fake", "rel_loc") "    args:\n" ARG(0, "string"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"string\" does not fit field 0 "
	  "\"msg\" (__rel_loc char[]): __rel_loc fields are not supported by vigil yet" },
	{ "type_not_for_tracepoints", H TPS OPENAT "    args:\n" ARG(6, "file"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"file\" is not supported on "
	  "tracepoints by vigil yet: a tracepoint's fields are read as integers or strings" },
	{ "every_bad_arg_reported",
	  H TPS OPENAT "    args:\n" ARG(6, "path") ARG(12, "int") ARG(7, "string"),
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"path\" is not supported on "
	  "tracepoints by vigil yet: a tracepoint's fields are read as integers or strings\n"
	  "t.yaml:12:14: spec.tracepoints[0].args[1].index: index 12 is out of range: "
	  "tracepoint \"syscalls/sys_enter_openat\" has 9 fields (numbered from 0, common_* "
	  "fields included)\n"
	  "t.yaml:15:13: spec.tracepoints[0].args[2].type: type \"string\" does not fit field 7 "
	  "\"flags\" (int): a string is read from a char * or __data_loc char[] field" },
	/* the path names the hook's place in spec.tracepoints, after kprobes */
	{ "second_tracepoint_path",
	  H "  kprobes:\n  - call: security_file_open\n    syscall: false\n" TPS OPENAT EXEC
	    "    args:\n" ARG(4, "int"),
	  "t.yaml:16:13: spec.tracepoints[1].args[0].type: type \"int\" does not fit field 4 "
	  "\"filename\" (__data_loc char[]): an integer is read from a field of 1, 2, 4 or 8 "
	  "bytes" },
};

static void run_case(void **state)
{
	const struct policy_case *pc = *state;
	struct vigil_kernel_features f = host;
	struct compiled c;
	char *text;

	f.kprobes = true; /* for the kprobe of second_tracepoint_path */
	compile_text(pc->yaml, &f, &c);
	text = format_all(&c.ds);
	if (strcmp(text, pc->want))
		fail_msg("got:\n%s\nwant:\n%s", text, pc->want);
	assert_int_equal(c.ret, -EINVAL);
	free(text);
	compiled_free(&c);
}

/* --- layouts ------------------------------------------------------------- */

static void assert_arg(const struct vigil_hook_arg *ha, uint8_t type, uint8_t index, uint16_t off,
		       uint8_t width, uint8_t flags)
{
	assert_int_equal(ha->type, type);
	assert_int_equal(ha->index, index);
	assert_int_equal(ha->off, off);
	assert_int_equal(ha->width, width);
	assert_int_equal(ha->flags, flags);
}

static void test_openat_layout(void **state)
{
	/* tests/policy/tetragon/tracepoint-openat.yaml, as a Tetragon user writes it */
	static const char yaml[] = H TPS OPENAT "    args:\n" ARG(6, "string")
		ARG(7, "int32") "    selectors:\n"
				"    - matchArgs:\n"
				"      - index: 6\n"
				"        operator: Prefix\n"
				"        values: [/etc/]\n"
				"      - index: 7\n"
				"        operator: Mask\n"
				"        values: ['0x3']\n";
	const struct vigil_plan_hook *ph;
	struct compiled c;

	(void)state;
	compile_text(yaml, &host, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.ds.n, 0);
	assert_int_equal(c.plan.nhooks, 1);
	ph = &c.plan.hooks[0];
	assert_int_equal(ph->attach, VIGIL_ATTACH_TRACEPOINT);
	assert_int_equal(ph->cfg.attach, VIGIL_ATTACH_TRACEPOINT);
	assert_string_equal(ph->target, "syscalls/sys_enter_openat");
	assert_string_equal(ph->how, "tracepoint syscalls/sys_enter_openat");
	assert_int_equal(ph->cfg.nargs, 2);
	/* the index is the slot; a system call's pointer is the caller's memory */
	assert_arg(&ph->cfg.args[0], VIGIL_AT_STRING, 0, 24, 8, VIGIL_ARG_F_USER);
	/* an int in an 8-byte slot: its low 4 bytes, signed */
	assert_arg(&ph->cfg.args[1], VIGIL_AT_INT, 1, 32, 4, VIGIL_ARG_F_SIGNED);
	assert_int_equal(ph->cfg.nsel, 1);
	assert_int_equal(ph->cfg.sel[0].nargs, 2);
	assert_int_equal(ph->cfg.sel[0].args[0].slot, 0);
	assert_int_equal(ph->cfg.sel[0].args[0].kind, VIGIL_MK_STR_PREFIX);
	assert_int_equal(ph->cfg.sel[0].args[1].slot, 1);
	assert_int_equal(ph->cfg.sel[0].args[1].kind, VIGIL_MK_INT_MASK);
	assert_int_equal(ph->cfg.sel[0].args[1].value, 3);
	assert_int_equal(ph->cfg.sel[0].actions, VIGIL_ACTION_POST);
	assert_int_equal(c.plan.nstrs, 1);
	assert_memory_equal(c.plan.strs[0].s, "/etc/", 5);
	compiled_free(&c);
}

/* raw: true reads the prototype's arguments by index, as a kprobe does:
 * Tetragon's rawtp example with an int and a linux_binprm. */
static void test_raw_tracepoint(void **state)
{
	static const char yaml[] = H TPS EXEC "    raw: true\n    args:\n" ARG(1, "int")
		ARG(2, "linux_binprm") "    selectors:\n"
				       "    - matchArgs:\n"
				       "      - index: 2\n"
				       "        operator: Postfix\n"
				       "        values: [/true]\n";
	const struct vigil_plan_hook *ph;
	struct compiled c;

	(void)state;
	compile_text(yaml, &host, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.ds.n, 0);
	ph = &c.plan.hooks[0];
	assert_int_equal(ph->attach, VIGIL_ATTACH_RAW_TRACEPOINT);
	assert_int_equal(ph->cfg.attach, VIGIL_ATTACH_RAW_TRACEPOINT);
	assert_string_equal(ph->target, "sched_process_exec");
	assert_string_equal(ph->how, "raw tracepoint sched/sched_process_exec");
	assert_int_equal(ph->cfg.nargs, 2);
	/* the index is the argument's position, kernel memory */
	assert_arg(&ph->cfg.args[0], VIGIL_AT_INT, 1, 0, 4, VIGIL_ARG_F_SIGNED);
	assert_arg(&ph->cfg.args[1], VIGIL_AT_LINUX_BINPRM, 2, 0, 0, 0);
	assert_int_equal(ph->cfg.sel[0].args[0].slot, 1);
	assert_int_equal(ph->cfg.sel[0].args[0].kind, VIGIL_MK_STR_POSTFIX);
	compiled_free(&c);
}

/* The Tetragon-style fixture compiles unchanged, as its own file. */
static void test_tetragon_fixture(void **state)
{
	static const char path[] = "tests/policy/tetragon/tracepoint-openat.yaml";
	struct compiled c;
	char *text = calloc(1, 1 << 16);
	size_t len;
	FILE *f = fopen(path, "r");

	(void)state;
	if (!f)
		fail_msg("%s: cannot open (run from the repository root)", path);
	assert_non_null(text);
	len = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	memset(&c, 0, sizeof(c));
	assert_int_equal(vigil_policy_parse(path, text, len, &c.p, &c.ds), 0);
	assert_int_equal(vigil_policy_validate(c.p, NULL, &c.ds), 0);
	assert_int_equal(vigil_policy_compile(c.p, &host, 1, &c.plan, &c.ds), 0);
	assert_int_equal(c.ds.n, 0);
	assert_arg(&c.plan.hooks[0].cfg.args[0], VIGIL_AT_STRING, 0, 24, 8, VIGIL_ARG_F_USER);
	assert_arg(&c.plan.hooks[0].cfg.args[1], VIGIL_AT_INT, 1, 32, 4, VIGIL_ARG_F_SIGNED);
	free(text);
	compiled_free(&c);
}

static void test_data_loc_and_binaries(void **state)
{
	static const char yaml[] = H TPS EXEC "    args:\n" ARG(4, "string") ARG(5, "int")
		ARG(0, "uint16") "    selectors:\n"
				 "    - matchArgs:\n"
				 "      - index: 1\n" /* a position in args: args[1], field 5 */
				 "        operator: GT\n"
				 "        values: ['1']\n"
				 "      matchBinaries:\n"
				 "      - operator: In\n"
				 "        values: [/usr/bin/cat]\n"
				 "      matchActions:\n"
				 "      - action: Sigkill\n";
	const struct vigil_plan_hook *ph;
	struct compiled c;

	(void)state;
	compile_text(yaml, &host, &c);
	assert_int_equal(c.ret, 0);
	assert_int_equal(c.ds.n, 0);
	ph = &c.plan.hooks[0];
	assert_string_equal(ph->target, "sched/sched_process_exec");
	/* bytes in the record: kernel memory, found through the __data_loc word */
	assert_arg(&ph->cfg.args[0], VIGIL_AT_STRING, 0, 8, 4, VIGIL_ARG_F_DATALOC);
	assert_arg(&ph->cfg.args[1], VIGIL_AT_INT, 1, 12, 4, VIGIL_ARG_F_SIGNED);
	assert_arg(&ph->cfg.args[2], VIGIL_AT_INT, 2, 0, 2, 0);
	assert_int_equal(ph->cfg.sel[0].args[0].slot, 1);
	assert_int_equal(ph->cfg.sel[0].args[0].kind, VIGIL_MK_INT_GT);
	assert_int_equal(ph->cfg.sel[0].bin.kind, VIGIL_MK_STR_EQ);
	assert_int_equal(ph->cfg.sel[0].actions, VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST);
	compiled_free(&c);
}

static void test_lint_without_root_warns(void **state)
{
	static const char yaml[] = H TPS OPENAT "    args:\n" ARG(6, "string") ARG(7, "int");
	const struct vigil_plan_hook *ph;
	struct compiled c;
	char *text;

	(void)state;
	compile_text(yaml, &lint_no_root, &c);
	assert_int_equal(c.ret, 0);
	text = format_all(&c.ds);
	assert_string_equal(text, "t.yaml:8:12: warning: spec.tracepoints[0].event: tracepoint "
				  "\"syscalls/sys_enter_openat\" cannot be checked here: "
				  "Permission denied (reading tracefs needs root)");
	free(text);
	ph = &c.plan.hooks[0];
	assert_string_equal(ph->how, "tracepoint syscalls/sys_enter_openat (format not read: "
				     "field offsets unknown)");
	/* laid out from the types alone */
	assert_arg(&ph->cfg.args[0], VIGIL_AT_STRING, 0, 0, 8, VIGIL_ARG_F_USER);
	assert_arg(&ph->cfg.args[1], VIGIL_AT_INT, 1, 0, 4, VIGIL_ARG_F_SIGNED);
	compiled_free(&c);
	/* a type that no tracepoint field takes is refused all the same */
	compile_text(H TPS OPENAT "    args:\n" ARG(6, "path"), &lint_no_root, &c);
	assert_int_equal(c.ret, -EINVAL);
	text = format_all(&c.ds);
	assert_non_null(strstr(text, "t.yaml:11:13: spec.tracepoints[0].args[0].type: type "
				     "\"path\" is not supported on tracepoints by vigil yet"));
	free(text);
	compiled_free(&c);
}

static void test_no_tracepoint_facts(void **state)
{
	struct compiled c;
	char *text;

	(void)state;
	compile_text(H TPS OPENAT, &blind, &c);
	assert_int_equal(c.ret, -EINVAL);
	text = format_all(&c.ds);
	assert_string_equal(text, "t.yaml:8:12: spec.tracepoints[0].event: cannot read the "
				  "format of tracepoint \"syscalls/sys_enter_openat\": tracepoint "
				  "formats are not available here");
	free(text);
	compiled_free(&c);
}

/* --- the event ----------------------------------------------------------- */

static char *encode(const struct vigil_out_policy *pol, bool compact)
{
	return encode_policy_event(pol, compact, "/bin/cat");
}

static void test_process_tracepoint_event(void **state)
{
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_TRACEPOINT,
		.policy_name = "openat",
		.subsys = "syscalls",
		.function_name = "sys_enter_openat",
		.action = VIGIL_ACTION_POST,
		.nargs = 2,
		.args = { { .type = VIGIL_AT_STRING, .str = "/tmp/x" },
			  { .type = VIGIL_AT_INT, .type_name = "int32", .num = 0x241 } },
	};
	char *s = encode(&pol, false);
	struct json_object *root = json_tokener_parse(s), *k, *v;

	(void)state;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "process_tracepoint", &k));
	assert_true(json_object_object_get_ex(k, "subsys", &v));
	assert_string_equal(json_object_get_string(v), "syscalls");
	assert_true(json_object_object_get_ex(k, "event", &v));
	assert_string_equal(json_object_get_string(v), "sys_enter_openat");
	assert_false(json_object_object_get_ex(k, "function_name", &v));
	assert_true(json_object_object_get_ex(k, "policy_name", &v));
	assert_string_equal(json_object_get_string(v), "openat");
	assert_true(json_object_object_get_ex(k, "action", &v));
	assert_string_equal(json_object_get_string(v), "KPROBE_ACTION_POST");
	assert_true(json_object_object_get_ex(k, "args", &v));
	assert_string_equal(json_object_to_json_string_ext(
				    v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			    "[{\"string_arg\":\"/tmp/x\"},{\"int_arg\":577}]");
	assert_true(json_object_object_get_ex(k, "process", &v));
	json_object_put(root);
	free(s);
	s = encode(&pol, true);
	assert_string_equal(s, "🔍 tracepoint n1 /bin/cat syscalls/sys_enter_openat /tmp/x 577\n");
	free(s);
	pol.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST;
	s = encode(&pol, true);
	assert_string_equal(s, "💀 killed  n1 /bin/cat syscalls/sys_enter_openat /tmp/x 577\n");
	free(s);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_openat_layout),
		cmocka_unit_test(test_raw_tracepoint),
		cmocka_unit_test(test_tetragon_fixture),
		cmocka_unit_test(test_data_loc_and_binaries),
		cmocka_unit_test(test_lint_without_root_warns),
		cmocka_unit_test(test_no_tracepoint_facts),
		cmocka_unit_test(test_process_tracepoint_event),
	};

	return run_case_table("policy_tracepoint", cases, sizeof(cases) / sizeof(cases[0]),
			      run_case, fixed, sizeof(fixed) / sizeof(fixed[0]));
}
