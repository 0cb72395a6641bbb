// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/encode_*.c: exec_id derivation, timestamps, signal
 * and capability names, Tetragon export JSON (parsed back with json-c) and
 * compact lines.
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

#include "encode.h"

#define NODE "node"
#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"
/* 2023-11-14T22:13:20Z */
#define BOOT_WALL_NS 1700000000000000000ULL

#define HOST_UTS 4026531838U
#define HOST_NET 4026531840U

struct fixture {
	struct vigil_cache *cache;
	struct vigil_encode_ctx ctx;
	struct vigil_process *parent; /* bash, seeded from /proc */
	struct vigil_process *child;  /* curl, exec'd by the parent */
	struct vigil_process *ctr;    /* a process in a container */
};

static struct vigil_process *add(struct vigil_cache *c, uint32_t pid, uint64_t ktime, uint32_t ppid,
				 uint64_t pktime, uint32_t flags, const char *binary,
				 const char *args, const char *container_id,
				 const struct vigil_creds *cr, const uint32_t *ns)
{
	struct vigil_exec_desc d = { 0 };
	struct vigil_process *p;

	d.pid = d.tid = pid;
	d.ktime = ktime;
	d.parent.pid = ppid;
	d.parent.ktime = pktime;
	d.flags = flags;
	d.binary = binary;
	d.args = args;
	d.cwd = "/home/user";
	d.creds = cr;
	d.ns = ns;
	snprintf(d.container_id, sizeof(d.container_id), "%s", container_id);
	p = vigil_cache_exec(c, &d);
	assert_non_null(p);
	return p;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vigil_creds cr = { .uid = 1000,
				  .gid = 1001,
				  .euid = 1002,
				  .egid = 1003,
				  .suid = 1004,
				  .sgid = 1005,
				  .fsuid = 1006,
				  .fsgid = 1007,
				  .auid = 4294967295U };
	uint32_t ns[VIGIL_NS_COUNT];
	int i;

	if (!f)
		return -1;
	f->cache = vigil_cache_new();
	if (!f->cache)
		return -1;
	f->ctx.node_name = NODE;
	f->ctx.boot_wall_ns = BOOT_WALL_NS;
	for (i = 0; i < VIGIL_NS_COUNT; i++)
		f->ctx.host_ns[i] = 4026531835U + (uint32_t)i;
	f->ctx.host_ns[VIGIL_NS_UTS] = HOST_UTS;
	f->ctx.host_ns[VIGIL_NS_NET] = HOST_NET;

	/* Host namespaces except net; no time namespace at all. */
	memcpy(ns, f->ctx.host_ns, sizeof(ns));
	ns[VIGIL_NS_NET] = 4026532999U;
	ns[VIGIL_NS_TIME] = 0;
	cr.cap_permitted = (1ULL << 0) | (1ULL << 1) | (1ULL << 21) | (1ULL << 63);
	cr.cap_effective = 1ULL << 40;

	f->parent = add(f->cache, 100, 1000000000ULL, 0, 0, VIGIL_PF_PROCFS | VIGIL_PF_ROOTCWD,
			"/bin/bash", "", "", NULL, f->ctx.host_ns);
	f->child = add(f->cache, 1234, 1500000000ULL, 100, 1000000000ULL, VIGIL_PF_EXECVE,
		       "/usr/bin/curl", "https://example", "", &cr, ns);
	f->ctr = add(f->cache, 4321, 3000000000ULL, 0, 0, VIGIL_PF_EXECVE, "/usr/bin/curl",
		     "https://example", CID, NULL, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vigil_process_put(f->cache, f->parent);
	vigil_process_put(f->cache, f->child);
	vigil_process_put(f->cache, f->ctr);
	vigil_cache_free(f->cache);
	free(f);
	return 0;
}

typedef int (*writer_fn)(FILE *, const struct vigil_encode_ctx *, const struct vigil_out_event *);

/* Render one event with fn; the caller frees the result. */
static char *render(writer_fn fn, const struct vigil_encode_ctx *ctx, enum vigil_out_kind kind,
		    struct vigil_process *p, uint64_t ktime, uint32_t exit_code)
{
	struct vigil_out_event ev = {
		.kind = kind, .proc = p, .ktime = ktime, .exit_code = exit_code
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(fn(out, ctx, &ev), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	return buf;
}

/* Parse one line of JSON; it must be the whole line, ending in '\n'. */
static struct json_object *parse_line(const char *line)
{
	size_t len = strlen(line);
	struct json_object *o;

	assert_true(len > 1);
	assert_int_equal(line[len - 1], '\n');
	assert_ptr_equal(strchr(line, '\n'), line + len - 1);
	o = json_tokener_parse(line);
	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_object));
	return o;
}

/* The member at a dotted path, or NULL. */
static struct json_object *jget(struct json_object *o, const char *path)
{
	char buf[256], *save = NULL, *key;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key && o; key = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
	return o;
}

static const char *jstr(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!v)
		fail_msg("missing key %s", path);
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static int64_t jint(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!v)
		fail_msg("missing key %s", path);
	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static void expect_time(struct json_object *o, const char *path, uint64_t ktime)
{
	char want[64];

	vigil_format_time(BOOT_WALL_NS + ktime, want, sizeof(want));
	assert_string_equal(jstr(o, path), want);
}

/* --- vigil_format_time ---------------------------------------------------- */

static void expect_fmt(uint64_t ns, const char *want)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	vigil_format_time(ns, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_format_time_trims_fraction_to_0_3_6_9_digits(void **state)
{
	(void)state;
	expect_fmt(0, "1970-01-01T00:00:00Z");
	expect_fmt(BOOT_WALL_NS, "2023-11-14T22:13:20Z");
	expect_fmt(BOOT_WALL_NS + 500000000, "2023-11-14T22:13:20.500Z");
	expect_fmt(BOOT_WALL_NS + 1000000, "2023-11-14T22:13:20.001Z");
	expect_fmt(BOOT_WALL_NS + 123456000, "2023-11-14T22:13:20.123456Z");
	expect_fmt(BOOT_WALL_NS + 1000, "2023-11-14T22:13:20.000001Z");
	expect_fmt(BOOT_WALL_NS + 100000, "2023-11-14T22:13:20.000100Z");
	expect_fmt(BOOT_WALL_NS + 10, "2023-11-14T22:13:20.000000010Z");
	expect_fmt(BOOT_WALL_NS + 500, "2023-11-14T22:13:20.000000500Z");
	expect_fmt(BOOT_WALL_NS + 123456789, "2023-11-14T22:13:20.123456789Z");
	expect_fmt(1, "1970-01-01T00:00:00.000000001Z");
	expect_fmt(999999999, "1970-01-01T00:00:00.999999999Z");
	/* 2000-02-29T23:59:59, a leap day */
	expect_fmt(951868799000000000ULL, "2000-02-29T23:59:59Z");
}

static void test_format_time_small_buffer_is_terminated(void **state)
{
	char buf[24];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	/* Room for the seconds but not the whole fraction. */
	vigil_format_time(BOOT_WALL_NS + 123456789, buf, 24);
	assert_true(memchr(buf, '\0', sizeof(buf)) != NULL);
	assert_true(strncmp(buf, "2023-11-14T22:13:20", 19) == 0);
}

/* --- exec_id --------------------------------------------------------------- */

static void test_exec_id_is_base64_of_node_ktime_pid(void **state)
{
	char id[VIGIL_EXEC_ID_MAX];

	(void)state;
	/* printf 'node:123:45' | base64 */
	vigil_exec_id("node", 123, 45, id, sizeof(id));
	assert_string_equal(id, "bm9kZToxMjM6NDU=");
	/* printf 'node:1000:10' | base64: a multiple of 3 bytes, no padding */
	vigil_exec_id("node", 1000, 10, id, sizeof(id));
	assert_string_equal(id, "bm9kZToxMDAwOjEw");
	/* printf 'n:1:2' | base64: two padding characters */
	vigil_exec_id("n", 1, 2, id, sizeof(id));
	assert_string_equal(id, "bjoxOjI=");
	vigil_exec_id("ab", 0, 0, id, sizeof(id));
	assert_string_equal(id, "YWI6MDow");
}

static void test_exec_id_keeps_pid_with_longest_node_name(void **state)
{
	char node[VIGIL_NODE_NAME_MAX + 1];
	char a[VIGIL_EXEC_ID_MAX], b[VIGIL_EXEC_ID_MAX];

	(void)state;
	memset(node, 'n', VIGIL_NODE_NAME_MAX);
	node[VIGIL_NODE_NAME_MAX] = '\0';
	vigil_exec_id(node, 18446744073709551615ULL, 1234567, a, sizeof(a));
	vigil_exec_id(node, 18446744073709551615ULL, 7654321, b, sizeof(b));
	assert_string_not_equal(a, b);
	/* 255 + ":" + 20 digits + ":" + 7 digits = 284 bytes -> 380 base64 chars */
	assert_int_equal(strlen(a), 380);
}

static void test_exec_id_small_buffer_is_terminated(void **state)
{
	char id[8];

	(void)state;
	memset(id, 'x', sizeof(id));
	vigil_exec_id("node", 123, 45, id, 5);
	assert_string_equal(id, "bm9k");
	memset(id, 'x', sizeof(id));
	vigil_exec_id("node", 123, 45, id, 4);
	assert_int_equal(strnlen(id, 4), 0);
}

/* --- signal and capability names ----------------------------------------- */

static void test_signal_name(void **state)
{
	char buf[32];

	(void)state;
	vigil_signal_name(9, buf, sizeof(buf));
	assert_string_equal(buf, "SIGKILL");
	vigil_signal_name(15, buf, sizeof(buf));
	assert_string_equal(buf, "SIGTERM");
	vigil_signal_name(11, buf, sizeof(buf));
	assert_string_equal(buf, "SIGSEGV");
	strcpy(buf, "junk");
	vigil_signal_name(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	strcpy(buf, "junk");
	vigil_signal_name(-1, buf, sizeof(buf));
	assert_string_equal(buf, "");
	vigil_signal_name(9, buf, 5);
	assert_string_equal(buf, "SIGK");
}

static void test_cap_name_uses_tetragon_spelling(void **state)
{
	(void)state;
	assert_string_equal(vigil_cap_enum_name(0), "CAP_CHOWN");
	assert_string_equal(vigil_cap_enum_name(1), "DAC_OVERRIDE");
	assert_string_equal(vigil_cap_enum_name(2), "CAP_DAC_READ_SEARCH");
	assert_string_equal(vigil_cap_enum_name(12), "CAP_NET_ADMIN");
	assert_string_equal(vigil_cap_enum_name(21), "CAP_SYS_ADMIN");
	assert_string_equal(vigil_cap_enum_name(38), "CAP_PERFMON");
	assert_string_equal(vigil_cap_enum_name(39), "CAP_BPF");
	assert_string_equal(vigil_cap_enum_name(40), "CAP_CHECKPOINT_RESTORE");
	assert_null(vigil_cap_enum_name(41));
	assert_null(vigil_cap_enum_name(63));
	assert_null(vigil_cap_enum_name(~0U));
}

/* --- JSON ----------------------------------------------------------------- */

static void test_json_exec_process_fields(void **state)
{
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 2000000123ULL, 0);
	struct json_object *o = parse_line(s);
	char want_id[VIGIL_EXEC_ID_MAX];

	assert_string_equal(jstr(o, "node_name"), NODE);
	assert_string_equal(jstr(o, "time"), "2023-11-14T22:13:22.000000123Z");
	assert_null(jget(o, "process_exit"));
	assert_string_equal(jstr(o, "process_exec.process.binary"), "/usr/bin/curl");
	assert_string_equal(jstr(o, "process_exec.process.arguments"), "https://example");
	assert_string_equal(jstr(o, "process_exec.process.cwd"), "/home/user");
	assert_int_equal(jint(o, "process_exec.process.pid"), 1234);
	assert_int_equal(jint(o, "process_exec.process.tid"), 1234);
	assert_int_equal(jint(o, "process_exec.process.uid"), 1000);
	assert_int_equal(jint(o, "process_exec.process.auid"), 4294967295LL);
	vigil_exec_id(NODE, 1500000000ULL, 1234, want_id, sizeof(want_id));
	assert_string_equal(jstr(o, "process_exec.process.exec_id"), want_id);
	vigil_exec_id(NODE, 1000000000ULL, 100, want_id, sizeof(want_id));
	assert_string_equal(jstr(o, "process_exec.process.parent_exec_id"), want_id);
	assert_string_equal(jstr(o, "process_exec.process.flags"), "execve");
	assert_string_equal(jstr(o, "process_exec.process.start_time"), "2023-11-14T22:13:21.500Z");
	expect_time(o, "process_exec.process.start_time", 1500000000ULL);
	/* Host process: no docker key. */
	assert_null(jget(o, "process_exec.process.docker"));
	json_object_put(o);
	free(s);
}

static void test_json_exec_parent_fields(void **state)
{
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 2000000000ULL, 0);
	struct json_object *o = parse_line(s);

	assert_string_equal(jstr(o, "process_exec.parent.binary"), "/bin/bash");
	assert_int_equal(jint(o, "process_exec.parent.pid"), 100);
	assert_string_equal(jstr(o, "process_exec.parent.exec_id"),
			    jstr(o, "process_exec.process.parent_exec_id"));
	assert_string_equal(jstr(o, "process_exec.parent.flags"), "procFS rootcwd");
	expect_time(o, "process_exec.parent.start_time", 1000000000ULL);
	/* Empty arguments and parent_exec_id are omitted, as protojson does. */
	assert_null(jget(o, "process_exec.parent.arguments"));
	assert_null(jget(o, "process_exec.parent.parent_exec_id"));
	json_object_put(o);
	free(s);

	/* No parent record: no parent object. */
	s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->parent, 2000000000ULL, 0);
	o = parse_line(s);
	assert_non_null(jget(o, "process_exec.process"));
	assert_null(jget(o, "process_exec.parent"));
	json_object_put(o);
	free(s);
}

static void test_json_ns_is_host_only_when_equal_to_host(void **state)
{
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 2000000000ULL, 0);
	struct json_object *o = parse_line(s);
	struct json_object *v;

	assert_int_equal(jint(o, "process_exec.process.ns.uts.inum"), HOST_UTS);
	v = jget(o, "process_exec.process.ns.uts.is_host");
	assert_non_null(v);
	assert_true(json_object_is_type(v, json_type_boolean));
	assert_true(json_object_get_boolean(v));
	assert_non_null(jget(o, "process_exec.process.ns.pid.is_host"));
	assert_non_null(jget(o, "process_exec.process.ns.user.is_host"));
	/* A different net namespace: inum, but no is_host. */
	assert_int_equal(jint(o, "process_exec.process.ns.net.inum"), 4026532999LL);
	assert_null(jget(o, "process_exec.process.ns.net.is_host"));
	/* A zero inum is no namespace at all. */
	assert_null(jget(o, "process_exec.process.ns.time"));
	json_object_put(o);
	free(s);
}

static void test_json_ns_without_host_reference_is_not_host(void **state)
{
	struct fixture *f = *state;
	struct vigil_encode_ctx ctx = f->ctx;
	char *s;
	struct json_object *o;

	memset(ctx.host_ns, 0, sizeof(ctx.host_ns));
	s = render(vigil_write_json, &ctx, VIGIL_OUT_EXEC, f->child, 2000000000ULL, 0);
	o = parse_line(s);
	assert_int_equal(jint(o, "process_exec.process.ns.uts.inum"), HOST_UTS);
	assert_null(jget(o, "process_exec.process.ns.uts.is_host"));
	json_object_put(o);
	free(s);
}

static void expect_caps(struct json_object *o, const char *path, const char *const *want, size_t n)
{
	struct json_object *arr = jget(o, path);
	size_t i;

	if (!arr)
		fail_msg("missing key %s", path);
	assert_true(json_object_is_type(arr, json_type_array));
	assert_int_equal(json_object_array_length(arr), n);
	for (i = 0; i < n; i++)
		assert_string_equal(json_object_get_string(json_object_array_get_idx(arr, i)),
				    want[i]);
}

static void test_json_caps_arrays(void **state)
{
	static const char *const permitted[] = { "CAP_CHOWN", "DAC_OVERRIDE", "CAP_SYS_ADMIN" };
	static const char *const effective[] = { "CAP_CHECKPOINT_RESTORE" };
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 2000000000ULL, 0);
	struct json_object *o = parse_line(s);

	/* Bit 63 has no name and is left out. */
	expect_caps(o, "process_exec.process.cap.permitted", permitted, 3);
	expect_caps(o, "process_exec.process.cap.effective", effective, 1);
	assert_null(jget(o, "process_exec.process.cap.inheritable"));
	/* The parent has no capabilities: an empty cap object. */
	assert_non_null(jget(o, "process_exec.parent.cap"));
	assert_null(jget(o, "process_exec.parent.cap.permitted"));
	json_object_put(o);
	free(s);
}

static void test_json_process_credentials(void **state)
{
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 2000000000ULL, 0);
	struct json_object *o = parse_line(s);

	assert_int_equal(jint(o, "process_exec.process.process_credentials.uid"), 1000);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.gid"), 1001);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.euid"), 1002);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.egid"), 1003);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.suid"), 1004);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.sgid"), 1005);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.fsuid"), 1006);
	assert_int_equal(jint(o, "process_exec.process.process_credentials.fsgid"), 1007);
	json_object_put(o);
	free(s);
}

static void test_json_docker_only_for_containers(void **state)
{
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->ctr, 3000000000ULL, 0);
	struct json_object *o = parse_line(s);

	assert_string_equal(jstr(o, "process_exec.process.docker"), CID);
	json_object_put(o);
	free(s);
	s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->parent, 3000000000ULL, 0);
	o = parse_line(s);
	assert_non_null(jget(o, "process_exec.process"));
	assert_null(jget(o, "process_exec.process.docker"));
	json_object_put(o);
	free(s);
}

static void test_json_exit_signal(void **state)
{
	struct fixture *f = *state;
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXIT, f->child, 5000000000ULL, 9);
	struct json_object *o = parse_line(s);

	assert_null(jget(o, "process_exec"));
	assert_string_equal(jstr(o, "process_exit.signal"), "SIGKILL");
	assert_null(jget(o, "process_exit.status"));
	assert_string_equal(jstr(o, "process_exit.process.binary"), "/usr/bin/curl");
	assert_string_equal(jstr(o, "process_exit.parent.binary"), "/bin/bash");
	assert_string_equal(jstr(o, "process_exit.time"), "2023-11-14T22:13:25Z");
	assert_string_equal(jstr(o, "time"), "2023-11-14T22:13:25Z");
	assert_string_equal(jstr(o, "node_name"), NODE);
	json_object_put(o);
	free(s);

	/* A core dump (0x80) still reports the signal. */
	s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXIT, f->child, 5000000000ULL, 0x80 | 11);
	o = parse_line(s);
	assert_string_equal(jstr(o, "process_exit.signal"), "SIGSEGV");
	assert_null(jget(o, "process_exit.status"));
	json_object_put(o);
	free(s);
}

static void test_json_exit_status(void **state)
{
	struct fixture *f = *state;
	char *s =
		render(vigil_write_json, &f->ctx, VIGIL_OUT_EXIT, f->child, 5000000000ULL, 3 << 8);
	struct json_object *o = parse_line(s);

	assert_int_equal(jint(o, "process_exit.status"), 3);
	assert_null(jget(o, "process_exit.signal"));
	json_object_put(o);
	free(s);

	s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXIT, f->child, 5000000000ULL, 0);
	o = parse_line(s);
	assert_non_null(jget(o, "process_exit.process"));
	assert_null(jget(o, "process_exit.status"));
	assert_null(jget(o, "process_exit.signal"));
	json_object_put(o);
	free(s);
}

static void test_json_one_object_per_line(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev1 = { .kind = VIGIL_OUT_EXEC, .proc = f->child, .ktime = 1 };
	struct vigil_out_event ev2 = { .kind = VIGIL_OUT_EXIT, .proc = f->ctr, .ktime = 2 };
	char *buf = NULL, *nl;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json_object *o;

	assert_non_null(out);
	assert_int_equal(vigil_write_json(out, &f->ctx, &ev1), 0);
	assert_int_equal(vigil_write_json(out, &f->ctx, &ev2), 0);
	assert_int_equal(fclose(out), 0);
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	assert_int_equal(buf[len - 1], '\n');
	assert_ptr_equal(strchr(nl + 1, '\n'), buf + len - 1);
	nl[0] = '\0';
	o = json_tokener_parse(buf);
	assert_non_null(o);
	assert_non_null(jget(o, "process_exec"));
	json_object_put(o);
	o = json_tokener_parse(nl + 1);
	assert_non_null(o);
	assert_non_null(jget(o, "process_exit"));
	json_object_put(o);
	free(buf);
}

static void test_json_control_characters_stay_on_one_line(void **state)
{
	struct fixture *f = *state;
	struct vigil_process *p = add(f->cache, 777, 7, 0, 0, VIGIL_PF_EXECVE, "/tmp/a\nb",
				      "x\n{\"forged\":1}", "", NULL, NULL);
	char *s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, p, 8, 0);
	struct json_object *o = parse_line(s);

	assert_string_equal(jstr(o, "process_exec.process.binary"), "/tmp/a\nb");
	assert_string_equal(jstr(o, "process_exec.process.arguments"), "x\n{\"forged\":1}");
	json_object_put(o);
	free(s);
	vigil_process_put(f->cache, p);
}

static void test_json_without_creds_and_ns_omits_them(void **state)
{
	struct fixture *f = *state;
	struct json_object *o;
	char *s;

	f->ctx.no_creds = true;
	f->ctx.no_ns = true;
	s = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 1, 0);
	o = parse_line(s);
	assert_null(jget(o, "process_exec.process.cap"));
	assert_null(jget(o, "process_exec.process.process_credentials"));
	assert_null(jget(o, "process_exec.process.ns"));
	assert_null(jget(o, "process_exec.parent.cap"));
	assert_null(jget(o, "process_exec.parent.ns"));
	/* identity and the other fields stay */
	assert_string_equal(jstr(o, "process_exec.process.binary"), "/usr/bin/curl");
	assert_int_equal(jint(o, "process_exec.process.uid"), 1000);
	assert_non_null(jget(o, "process_exec.process.exec_id"));
	json_object_put(o);
	free(s);
}

static void test_json_process_serialized_once_and_reused(void **state)
{
	struct fixture *f = *state;
	char *first, *second, *as_parent;
	struct json_object *o;

	assert_null(f->child->json);
	first = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 1, 0);
	assert_non_null(f->child->json);
	assert_non_null(f->parent->json);
	second = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXEC, f->child, 1, 0);
	assert_string_equal(first, second);
	/* The parent's cached text is the same Process message it prints as a
	 * process of its own. */
	as_parent = render(vigil_write_json, &f->ctx, VIGIL_OUT_EXIT, f->parent, 1, 0);
	o = parse_line(as_parent);
	assert_string_equal(json_object_to_json_string_ext(
				    json_object_object_get(
					    json_object_object_get(o, "process_exit"), "process"),
				    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			    f->parent->json);
	assert_non_null(strstr(first, f->parent->json));
	json_object_put(o);
	free(first);
	free(second);
	free(as_parent);
}

/* --- compact -------------------------------------------------------------- */

static void expect_compact(struct fixture *f, enum vigil_out_kind kind, struct vigil_process *p,
			   uint32_t exit_code, const char *want)
{
	char *s = render(vigil_write_compact, &f->ctx, kind, p, 1, exit_code);

	assert_string_equal(s, want);
	free(s);
}

static void test_compact_exec_line(void **state)
{
	struct fixture *f = *state;

	expect_compact(f, VIGIL_OUT_EXEC, f->child, 0,
		       "🚀 process node /usr/bin/curl https://example\n");
	/* No arguments: no trailing space. */
	expect_compact(f, VIGIL_OUT_EXEC, f->parent, 0, "🚀 process node /bin/bash\n");
}

static void test_compact_exit_status_line(void **state)
{
	struct fixture *f = *state;

	expect_compact(f, VIGIL_OUT_EXIT, f->child, 0,
		       "💥 exit    node /usr/bin/curl https://example 0\n");
	expect_compact(f, VIGIL_OUT_EXIT, f->child, 3 << 8,
		       "💥 exit    node /usr/bin/curl https://example 3\n");
}

static void test_compact_exit_signal_line(void **state)
{
	struct fixture *f = *state;

	expect_compact(f, VIGIL_OUT_EXIT, f->child, 9,
		       "💥 exit    node /usr/bin/curl https://example SIGKILL\n");
	expect_compact(f, VIGIL_OUT_EXIT, f->parent, 15, "💥 exit    node /bin/bash SIGTERM\n");
}

static void test_compact_container_source_is_short_id(void **state)
{
	struct fixture *f = *state;

	expect_compact(f, VIGIL_OUT_EXEC, f->ctr, 0,
		       "🚀 process 4f1c9d2e7a8b /usr/bin/curl https://example\n");
	expect_compact(f, VIGIL_OUT_EXIT, f->ctr, 9,
		       "💥 exit    4f1c9d2e7a8b /usr/bin/curl https://example SIGKILL\n");
}

static void test_compact_quotes_and_escapes_untrusted_strings(void **state)
{
	struct fixture *f = *state;
	struct vigil_process *ctl = add(f->cache, 801, 1, 0, 0, 0, "/tmp/a\nb", "", "", NULL, NULL);
	struct vigil_process *sp =
		add(f->cache, 802, 1, 0, 0, 0, "/tmp/my prog", "a b", "", NULL, NULL);
	struct vigil_process *q =
		add(f->cache, 803, 1, 0, 0, 0, "/bin/x\x7f", "say \"hi\\\"\t", "", NULL, NULL);

	/* A control character in the binary: quoted, escaped as \xNN. */
	expect_compact(f, VIGIL_OUT_EXEC, ctl, 0, "🚀 process node \"/tmp/a\\x0ab\"\n");
	/* A space quotes the binary but not the (space-separated) arguments. */
	expect_compact(f, VIGIL_OUT_EXEC, sp, 0, "🚀 process node \"/tmp/my prog\" a b\n");
	/* DEL, quotes, backslashes and tabs. */
	expect_compact(f, VIGIL_OUT_EXEC, q, 0,
		       "🚀 process node \"/bin/x\\x7f\" \"say \\\"hi\\\\\\\"\\x09\"\n");
	vigil_process_put(f->cache, ctl);
	vigil_process_put(f->cache, sp);
	vigil_process_put(f->cache, q);
}

/* A record made by hand, so that its strings reach the encoder exactly as
 * written here, whatever the cache does to the strings it stores. */
static char *render_compact_raw(struct fixture *f, const char *binary, const char *args)
{
	struct vigil_process p = { 0 };

	p.pid = p.tid = 900;
	p.binary = (char *)binary;
	p.args = (char *)args;
	p.cwd = (char *)"/";
	return render(vigil_write_compact, &f->ctx, VIGIL_OUT_EXEC, &p, 1, 0);
}

static void expect_compact_raw(struct fixture *f, const char *binary, const char *args,
			       const char *want)
{
	char *s = render_compact_raw(f, binary, args);

	assert_string_equal(s, want);
	free(s);
}

static void test_compact_escapes_c1_controls(void **state)
{
	struct fixture *f = *state;

	/* U+009B (CSI, C2 9B) would start "ESC [" sequences on a terminal. */
	expect_compact_raw(f,
			   "/tmp/a\xc2\x9b"
			   "2Jb",
			   "", "🚀 process node \"/tmp/a\\u{9b}2Jb\"\n");
	/* U+009D (OSC) quotes the arguments too, BEL stays \x07. */
	expect_compact_raw(f, "/bin/x",
			   "\xc2\x9d"
			   "0;title\x07",
			   "🚀 process node /bin/x \"\\u{9d}0;title\\x07\"\n");
	/* U+0080 and U+009F are the ends of the range; U+00A1 is outside. */
	expect_compact_raw(f, "/bin/x", "\xc2\x80\xc2\x9f\xc2\xa1",
			   "🚀 process node /bin/x \"\\u{80}\\u{9f}\xc2\xa1\"\n");
}

static void test_compact_escapes_invalid_bytes_as_hex(void **state)
{
	struct fixture *f = *state;

	/* A raw 0x9b is CSI to an 8-bit terminal: \x9b, not U+FFFD. */
	expect_compact_raw(f,
			   "/tmp/\x9b"
			   "31mred",
			   "", "🚀 process node \"/tmp/\\x9b31mred\"\n");
	expect_compact_raw(f, "/bin/x",
			   "a \x9b"
			   "2J",
			   "🚀 process node /bin/x \"a \\x9b2J\"\n");
	/* A cut sequence: every byte of it. */
	expect_compact_raw(f, "/bin/x", "\xf0\x9f\x98",
			   "🚀 process node /bin/x \"\\xf0\\x9f\\x98\"\n");
}

static void test_compact_escapes_bidi_and_invisible_characters(void **state)
{
	struct fixture *f = *state;

	/* U+202E RIGHT-TO-LEFT OVERRIDE would show "exe.gpj" as "jpg.exe". */
	expect_compact_raw(f,
			   "/tmp/\xe2\x80\xae"
			   "gpj.exe",
			   "", "🚀 process node \"/tmp/\\u{202e}gpj.exe\"\n");
	/* U+061C, U+200B, U+2066 and U+FEFF. */
	expect_compact_raw(f, "/bin/x",
			   "a\xd8\x9c"
			   "b\xe2\x80\x8b"
			   "c\xe2\x81\xa6"
			   "d\xef\xbb\xbf",
			   "🚀 process node /bin/x \"a\\u{61c}b\\u{200b}c\\u{2066}d\\u{feff}\"\n");
	/* The ends of the ranges... */
	expect_compact_raw(f, "/bin/x", "\xe2\x80\x8f\xe2\x80\xaa\xe2\x81\xa0\xe2\x81\xa9",
			   "🚀 process node /bin/x \"\\u{200f}\\u{202a}\\u{2060}\\u{2069}\"\n");
	/* ...and their printable neighbours U+2010, U+202F and U+205F. */
	expect_compact_raw(f, "/bin/x", "\xe2\x80\x90\xe2\x80\xaf\xe2\x81\x9f",
			   "🚀 process node /bin/x \xe2\x80\x90\xe2\x80\xaf\xe2\x81\x9f\n");
}

static void test_compact_keeps_printable_utf8_raw(void **state)
{
	struct fixture *f = *state;

	/* "é" and "日本" need no quotes... */
	expect_compact_raw(f, "/tmp/caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac \xc3\xa9",
			   "🚀 process node /tmp/caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xc3\xa9\n");
	/* ...and stay raw inside a string quoted for another reason. */
	expect_compact_raw(f, "/tmp/caf\xc3\xa9\xe2\x80\xae", "\xc3\xa9\t",
			   "🚀 process node \"/tmp/caf\xc3\xa9\\u{202e}\" \"\xc3\xa9\\x09\"\n");
}

int main(void)
{
	const struct CMUnitTest encode[] = {
		cmocka_unit_test(test_format_time_trims_fraction_to_0_3_6_9_digits),
		cmocka_unit_test(test_format_time_small_buffer_is_terminated),
		cmocka_unit_test(test_exec_id_is_base64_of_node_ktime_pid),
		cmocka_unit_test(test_exec_id_keeps_pid_with_longest_node_name),
		cmocka_unit_test(test_exec_id_small_buffer_is_terminated),
		cmocka_unit_test(test_signal_name),
		cmocka_unit_test(test_cap_name_uses_tetragon_spelling),
		cmocka_unit_test_setup_teardown(test_json_exec_process_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_exec_parent_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_without_creds_and_ns_omits_them, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_json_process_serialized_once_and_reused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_json_ns_is_host_only_when_equal_to_host, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_json_ns_without_host_reference_is_not_host,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_caps_arrays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_process_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_docker_only_for_containers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_json_exit_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_exit_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_one_object_per_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_control_characters_stay_on_one_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_exec_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_exit_status_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_exit_signal_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_container_source_is_short_id, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compact_quotes_and_escapes_untrusted_strings,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_escapes_c1_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_escapes_invalid_bytes_as_hex, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compact_escapes_bidi_and_invisible_characters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_keeps_printable_utf8_raw, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("encode", encode, NULL, NULL);
}
