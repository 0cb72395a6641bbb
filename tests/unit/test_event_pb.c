// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for api/event_pb.c: every kind of event and every argument
 * type as a GetEventsResponse message.  The message written with
 * api/protojson.c must be the JSON export's line (agent/encode_json.c)
 * byte for byte, and it must survive pack -> unpack -> pack unchanged.
 *
 * test_edge_cases_agree() covers where protojson's rules decide: empty
 * repeated fields and zero values left out, a set oneof written even
 * when empty, fields in field-number order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "encode.h"
#include "event_pb.h"
#include "protojson.h"

#define NODE "node1"
/* 2023-11-14T22:13:20Z */
#define BOOT_WALL_NS 1700000000000000000ULL
#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"

struct fixture {
	struct vigil_cache *cache;
	struct vigil_encode_ctx ctx;
	struct vigil_process *parent; /* bash, seeded from /proc */
	struct vigil_process *child;  /* curl with creds, caps and namespaces */
	struct vigil_process *ctr;    /* a process in a container, no parent */
	struct vigil_process *suid;   /* a set-user-ID exec */
	struct vigil_process *memfd;  /* a fileless exec with a file capability */
};

static struct vigil_process *add(struct vigil_cache *c, uint32_t pid, uint64_t ktime, uint32_t ppid,
				 uint64_t pktime, uint32_t flags, const char *binary,
				 const char *args, const char *cid, const struct vigil_creds *cr,
				 const uint32_t *ns, const struct vigil_exec_file *file)
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
	d.file = file;
	snprintf(d.container_id, sizeof(d.container_id), "%s", cid);
	p = vigil_cache_exec(c, &d);
	assert_non_null(p);
	return p;
}

static void fill(struct fixture *f)
{
	struct vigil_creds cr = { .uid = 1000,
				  .gid = 1001,
				  .euid = 1002,
				  .egid = 1003,
				  .suid = 1004,
				  .sgid = 1005,
				  .fsuid = 1006,
				  .fsgid = 1007,
				  .auid = 4294967295U,
				  .cap_permitted =
					  (1ULL << 0) | (1ULL << 1) | (1ULL << 21) | (1ULL << 63),
				  .cap_effective = 1ULL << 40,
				  .cap_inheritable = 1ULL << 12 };
	struct vigil_creds root = { .uid = 1000, .euid = 0, .suid = 0, .fsuid = 0, .auid = 1000 };
	struct vigil_exec_file suid = { .ino = 77, .nlink = 1, .mode = S_IFREG | S_ISUID | 0755 };
	struct vigil_exec_file memfd = {
		.ino = 4242, .nlink = 0, .mode = S_IFREG | 0755, .per_clear = 1
	};
	uint32_t ns[VIGIL_NS_COUNT];
	int i;

	f->cache = vigil_cache_new();
	assert_non_null(f->cache);
	f->ctx.node_name = NODE;
	f->ctx.boot_wall_ns = BOOT_WALL_NS;
	for (i = 0; i < VIGIL_NS_COUNT; i++)
		f->ctx.host_ns[i] = 4026531835U + (uint32_t)i;
	memcpy(ns, f->ctx.host_ns, sizeof(ns));
	ns[VIGIL_NS_NET] = 4026532999U;
	ns[VIGIL_NS_TIME] = 0;

	f->parent = add(f->cache, 100, 1000000000ULL, 0, 0, VIGIL_PF_PROCFS | VIGIL_PF_ROOTCWD,
			"/bin/bash", "", "", NULL, f->ctx.host_ns, NULL);
	f->child = add(f->cache, 1234, 1500000123ULL, 100, 1000000000ULL, VIGIL_PF_EXECVE,
		       "/usr/bin/curl", "-s https://example.com/a?b=\"c\"", "", &cr, ns, NULL);
	f->ctr = add(f->cache, 4321, 3000000000ULL, 0, 0, VIGIL_PF_EXECVE | VIGIL_PF_TRUNC_ARGS,
		     "/usr/bin/curl", "https://example", CID, NULL, NULL, NULL);
	f->suid = add(f->cache, 5000, 3500000000ULL, 1234, 1500000123ULL, VIGIL_PF_EXECVE,
		      "/usr/bin/passwd", "", "", &root, ns, &suid);
	f->memfd = add(f->cache, 5001, 3600000000ULL, 1234, 1500000123ULL,
		       VIGIL_PF_EXECVE | VIGIL_PF_ERR_FILENAME, "/memfd:payload (deleted)", "x", "",
		       &cr, ns, &memfd);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fill(f);
	*state = f;
	return 0;
}

static void release(struct fixture *f)
{
	vigil_process_put(f->cache, f->parent);
	vigil_process_put(f->cache, f->child);
	vigil_process_put(f->cache, f->ctr);
	vigil_process_put(f->cache, f->suid);
	vigil_process_put(f->cache, f->memfd);
	vigil_cache_free(f->cache);
}

static int teardown(void **state)
{
	release(*state);
	free(*state);
	return 0;
}

/* The JSON export's line for ev, without its newline. */
static char *export_json(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(vigil_write_json(out, ctx, ev), 0);
	assert_int_equal(fclose(out), 0);
	assert_true(len > 0);
	assert_int_equal(buf[len - 1], '\n');
	buf[len - 1] = '\0';
	return buf;
}

/* o with the members of every object in key order, as plain text. */
static struct json_object *sorted(struct json_object *o)
{
	struct json_object *r, *v;
	const char *keys[64];
	size_t n = 0, i, j;

	if (json_object_is_type(o, json_type_array)) {
		r = json_object_new_array();
		for (i = 0; i < json_object_array_length(o); i++)
			json_object_array_add(r, sorted(json_object_array_get_idx(o, i)));
		return r;
	}
	if (!json_object_is_type(o, json_type_object))
		return json_object_get(o);
	json_object_object_foreach(o, k, val)
	{
		(void)val;
		assert_true(n < 64);
		keys[n++] = k;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *t = keys[j];

			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	r = json_object_new_object();
	for (i = 0; i < n; i++) {
		assert_true(json_object_object_get_ex(o, keys[i], &v));
		json_object_object_add(r, keys[i], sorted(v));
	}
	return r;
}

static char *canonical(const char *text)
{
	struct json_object *o = json_tokener_parse(text), *s;
	char *r;

	if (!o)
		fail_msg("not JSON: %s", text);
	s = sorted(o);
	r = strdup(json_object_to_json_string_ext(s, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(s);
	json_object_put(o);
	assert_non_null(r);
	return r;
}

/* pack -> unpack (into an arena) -> pack gives the same bytes, and the
 * unpacked message writes the same text. */
static void check_round_trip(const Tetragon__GetEventsResponse *msg, const char *text)
{
	size_t n = tetragon__get_events_response__get_packed_size(msg), n2;
	uint8_t *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);
	Tetragon__GetEventsResponse *back;
	struct vigil_arena arena;
	char *text2;

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(tetragon__get_events_response__pack(msg, a), n);
	vigil_arena_init(&arena);
	back = tetragon__get_events_response__unpack(vigil_arena_allocator(&arena), n, a);
	assert_non_null(back);
	n2 = tetragon__get_events_response__get_packed_size(back);
	assert_int_equal(n2, n);
	assert_int_equal(tetragon__get_events_response__pack(back, b), n);
	assert_memory_equal(a, b, n);
	assert_int_equal(vigil_protojson(&back->base, &text2, NULL), 0);
	assert_string_equal(text2, text);
	free(text2);
	vigil_arena_free(&arena);
	free(a);
	free(b);
}

/* The protojson text of ev's message; checks it against the export and
 * the wire round trip.  The caller frees it. */
static char *expect_same(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev)
{
	struct vigil_event_pb pb;
	char *json = export_json(ctx, ev), *text, *c1, *c2;
	size_t len;

	assert_int_equal(vigil_event_pb(&pb, ctx, ev), 0);
	assert_non_null(pb.msg);
	assert_int_equal(vigil_protojson(&pb.msg->base, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	assert_string_equal(text, json);
	c1 = canonical(text);
	c2 = canonical(json);
	assert_string_equal(c1, c2);
	check_round_trip(pb.msg, text);
	free(c1);
	free(c2);
	free(json);
	vigil_event_pb_free(&pb);
	assert_null(pb.msg);
	return text;
}

static void expect_same_free(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev)
{
	free(expect_same(ctx, ev));
}

static void expect_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("%s\n  does not contain\n%s", text, part);
}

/* --- process_exec and process_exit --------------------------------------- */

static void test_exec_with_parent(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC,
				      .proc = f->child,
				      .ktime = 2000000500 };
	char *text = expect_same(&f->ctx, &ev);

	/* What the comparison relies on is there: wrappers, caps, namespaces. */
	expect_contains(text, "\"pid\":1234,\"uid\":1000,");
	expect_contains(text, "\"cap\":{\"permitted\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\","
			      "\"CAP_SYS_ADMIN\"],\"effective\":[\"CAP_CHECKPOINT_RESTORE\"],"
			      "\"inheritable\":[\"CAP_NET_ADMIN\"]}");
	expect_contains(text, "\"net\":{\"inum\":4026532999},");
	expect_contains(text, "\"uts\":{\"inum\":4026531835,\"is_host\":true}");
	expect_contains(text, "\"parent\":{\"exec_id\":");
	expect_contains(text, "\"flags\":\"procFS rootcwd\"");
	expect_contains(text, "\"start_time\":\"2023-11-14T22:13:21.500000123Z\"");
	expect_contains(text, "\"time\":\"2023-11-14T22:13:22.000000500Z\"}");
	expect_contains(text, "\"arguments\":\"-s https://example.com/a?b=\\\"c\\\"\"");
	free(text);
}

static void test_exec_container_and_binary_properties(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = f->ctr, .ktime = 3000000000 };
	char *text = expect_same(&f->ctx, &ev);

	expect_contains(text, "\"docker\":\"" CID "\"");
	expect_contains(text, "\"flags\":\"execve truncArgs\"");
	assert_null(strstr(text, "\"parent\""));
	free(text);

	ev.proc = f->suid;
	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "\"binary_properties\":{\"setuid\":0,"
			      "\"privileges_changed\":[\"PRIVILEGES_RAISED_EXEC_FILE_SETUID\"]}");
	free(text);

	ev.proc = f->memfd;
	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "\"binary_properties\":{\"privileges_changed\":"
			      "[\"PRIVILEGES_RAISED_EXEC_FILE_CAP\"],"
			      "\"file\":{\"inode\":{\"number\":\"4242\",\"links\":0}}}");
	free(text);
}

static void test_exit(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXIT,
				      .proc = f->child,
				      .ktime = 5000000000 };
	char *text;

	ev.exit_code = 9; /* killed */
	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "\"signal\":\"SIGKILL\",\"time\":\"2023-11-14T22:13:25Z\"}");
	free(text);
	ev.exit_code = 0x80 | 11; /* core dump */
	expect_same_free(&f->ctx, &ev);
	ev.exit_code = 3 << 8;
	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "\"status\":3,");
	free(text);
	ev.exit_code = 0; /* neither status nor signal */
	text = expect_same(&f->ctx, &ev);
	assert_null(strstr(text, "\"status\""));
	assert_null(strstr(text, "\"signal\""));
	free(text);
	ev.proc = f->ctr;
	expect_same_free(&f->ctx, &ev);
}

/* --enable-process-cred=false and --enable-process-ns=false: a fresh cache,
 * as the export serializes each record once. */
static void test_without_creds_and_ns(void **state)
{
	struct fixture g = { 0 };
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .ktime = 1 };
	char *text;

	(void)state;
	fill(&g);
	g.ctx.no_creds = true;
	g.ctx.no_ns = true;
	ev.proc = g.child;
	text = expect_same(&g.ctx, &ev);
	assert_null(strstr(text, "\"cap\""));
	assert_null(strstr(text, "\"ns\""));
	assert_null(strstr(text, "\"process_credentials\""));
	free(text);
	ev.proc = g.memfd;
	expect_same_free(&g.ctx, &ev);
	release(&g);
}

/* Control characters, quotes, backslashes, '/' and UTF-8 in strings are
 * escaped as the export escapes them. */
static void test_string_escaping(void **state)
{
	struct fixture *f = *state;
	struct vigil_process *p =
		add(f->cache, 777, 7, 0, 0, VIGIL_PF_EXECVE, "/tmp/a\nb\"c\\d\t\x01\x1f\x7f",
		    "caf\xc3\xa9 \xe2\x80\xae x/y", "", NULL, NULL, NULL);
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = p, .ktime = 8 };
	char *text = expect_same(&f->ctx, &ev);

	expect_contains(text, "\"binary\":\"/tmp/a\\nb\\\"c\\\\d\\t\\u0001\\u001f\x7f\"");
	free(text);
	vigil_process_put(f->cache, p);
}

/* --- policy events ---------------------------------------------------------- */

static char *policy_event(struct fixture *f, const struct vigil_out_policy *pol)
{
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_POLICY, .proc = f->child, .ktime = 2500000000, .pol = pol
	};

	return expect_same(&f->ctx, &ev);
}

static void test_kprobe_integers_strings_paths(void **state)
{
	static char *const tags[] = { "shell", "observability.filesystem" };
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "block-shell-exec",
		.function_name = "security_bprm_check",
		.message = "shell \"blocked\"",
		.tags = tags,
		.ntags = 2,
		.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST,
		.nargs = 8,
		.args = { { .type = VIGIL_AT_LINUX_BINPRM, .str = "/usr/bin/dash" },
			  { .type = VIGIL_AT_INT,
			    .type_name = "int",
			    .num = (uint64_t)-5,
			    .label = "mode" },
			  { .type = VIGIL_AT_INT, .type_name = "size_t", .num = 1ULL << 40 },
			  { .type = VIGIL_AT_INT, .type_name = "int64", .num = (uint64_t)-7 },
			  { .type = VIGIL_AT_INT, .type_name = "uint32", .num = 4000000000U },
			  { .type = VIGIL_AT_INT, .type_name = "int", .num = 0 },
			  { .type = VIGIL_AT_STRING, .str = "/etc/passwd" },
			  { .type = VIGIL_AT_STRING, .str = "" } },
		.has_ret = true,
		.ret = { .type = VIGIL_AT_INT, .type_name = "int", .num = (uint64_t)-13 },
	};
	char *text = policy_event(f, &pol);

	expect_contains(text,
			"\"args\":[{\"linux_binprm_arg\":{\"path\":\"/usr/bin/dash\"}},"
			"{\"int_arg\":-5,\"label\":\"mode\"},{\"size_arg\":\"1099511627776\"},"
			"{\"long_arg\":\"-7\"},{\"uint_arg\":4000000000},{\"int_arg\":0},"
			"{\"string_arg\":\"/etc/"
			"passwd\"},{\"string_arg\":\"\"}],\"return\":{\"int_arg\":-13},"
			"\"action\":\"KPROBE_ACTION_SIGKILL\",\"policy_name\":"
			"\"block-shell-exec\",\"message\":\"shell \\\"blocked\\\"\","
			"\"tags\":[\"shell\",\"observability.filesystem\"]}");
	free(text);

	pol.nargs = 4;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_FILE, .str = "/etc/shadow" };
	pol.args[1] = (struct vigil_out_arg){ .type = VIGIL_AT_PATH, .str = "/etc" };
	pol.args[2] = (struct vigil_out_arg){ .type = VIGIL_AT_FD, .num = 3, .str = "/etc/hosts" };
	pol.args[3] = (struct vigil_out_arg){ .type = VIGIL_AT_DENTRY, .str = "/x", .label = "d" };
	pol.has_ret = false;
	pol.message = NULL;
	pol.ntags = 0;
	pol.action = VIGIL_ACTION_POST;
	text = policy_event(f, &pol);
	expect_contains(text, "\"args\":[{\"file_arg\":{\"path\":\"/etc/shadow\"}},"
			      "{\"path_arg\":{\"path\":\"/etc\"}},"
			      "{\"file_arg\":{\"path\":\"/etc/hosts\"}},"
			      "{\"file_arg\":{\"path\":\"/x\"},\"label\":\"d\"}],"
			      "\"action\":\"KPROBE_ACTION_POST\"");
	free(text);

	/* NoPost reported (an action taken without Post), and a path never
	 * read. */
	pol.action = 0;
	pol.nargs = 1;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_FILE };
	text = policy_event(f, &pol);
	expect_contains(text, "\"args\":[{\"file_arg\":{}}],\"action\":\"KPROBE_ACTION_NOPOST\"");
	free(text);
}

static void test_kprobe_bytes_sockets_creds_caps(void **state)
{
	static const char bytes[] = { 'h', 'i', 0, 'x', (char)0xff };
	struct fixture *f = *state;
	struct vigil_sock_info sock = {
		.family = 2,
		.type = 1,
		.protocol = 6,
		.state = 2,
		.sport = 40312,
		.dport = 443,
		.mark = 5,
		.priority = 6,
		.cookie = 77,
		.saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 },
	};
	struct vigil_sock_info odd = { .family = 99, .type = 77, .protocol = 200, .state = 99 };
	struct vigil_sock_info sa4 = { .family = 2,
				       .sport = 8080,
				       .saddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 } };
	struct vigil_sock_info sa6 = { .family = 10, .sport = 53, .saddr = { 0xfd, 0, [15] = 1 } };
	struct vigil_sock_info saun = { .family = 1 };
	struct vigil_creds cred = {
		.uid = 1000, .gid = 5, .euid = 0, .cap_effective = (1ULL << 0) | (1ULL << 1)
	};
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "tcp_connect",
		.action = VIGIL_ACTION_POST,
		.nargs = 8,
		.args = {
			{ .type = VIGIL_AT_SOCK, .bin = &sock, .bin_len = sizeof(sock) },
			{ .type = VIGIL_AT_SOCK, .bin = &odd, .bin_len = sizeof(odd) },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &sa4, .bin_len = sizeof(sa4) },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &sa6, .bin_len = sizeof(sa6) },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &saun, .bin_len = sizeof(saun) },
			{ .type = VIGIL_AT_CRED, .bin = &cred, .bin_len = sizeof(cred) },
			{ .type = VIGIL_AT_CAPABILITY, .num = 21 },
			{ .type = VIGIL_AT_CAPABILITY, .num = 63 },
		},
	};
	char *text = policy_event(f, &pol);

	expect_contains(
		text, "\"args\":[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
		      "\"protocol\":\"IPPROTO_TCP\",\"mark\":5,\"priority\":6,"
		      "\"saddr\":\"10.0.0.1\",\"daddr\":\"1.1.1.1\",\"sport\":40312,\"dport\":443,"
		      "\"cookie\":\"77\",\"state\":\"TCP_SYN_SENT\"}},");
	expect_contains(text, "{\"sockaddr_arg\":{\"family\":\"AF_INET\",\"addr\":\"127.0.0.1\","
			      "\"port\":8080}},"
			      "{\"sockaddr_arg\":{\"family\":\"AF_INET6\",\"addr\":\"fd00::1\","
			      "\"port\":53}},");
	expect_contains(text, "{\"process_credentials_arg\":{\"uid\":1000,\"gid\":5,\"euid\":0,"
			      "\"egid\":0,\"suid\":0,\"sgid\":0,\"fsuid\":0,\"fsgid\":0,"
			      "\"caps\":{\"effective\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\"]}}},"
			      "{\"capability_arg\":{\"value\":21,\"name\":\"CAP_SYS_ADMIN\"}},"
			      "{\"capability_arg\":{\"value\":63}}]");
	free(text);

	/* Bytes: whole (NULs and invalid UTF-8 are just bytes), empty, cut; a
	 * cred or socket record of the wrong size is an empty argument. */
	pol.nargs = 6;
	pol.args[0] = (struct vigil_out_arg){
		.type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 5, .num = 5, .label = "buf"
	};
	pol.args[1] = (struct vigil_out_arg){ .type = VIGIL_AT_CHAR_BUF, .bin = bytes };
	pol.args[2] = (struct vigil_out_arg){ .type = VIGIL_AT_CHAR_BUF,
					      .bin = bytes,
					      .bin_len = 2,
					      .num = 9000,
					      .truncated = true };
	pol.args[3] = (struct vigil_out_arg){ .type = VIGIL_AT_CHAR_BUF };
	pol.args[4] = (struct vigil_out_arg){ .type = VIGIL_AT_CRED, .bin = &cred, .bin_len = 3 };
	pol.args[5] = (struct vigil_out_arg){ .type = VIGIL_AT_SOCK, .bin = &sock, .bin_len = 9 };
	text = policy_event(f, &pol);
	expect_contains(text, "\"args\":[{\"bytes_arg\":\"aGkAeP8=\",\"label\":\"buf\"},"
			      "{\"bytes_arg\":\"\"},"
			      "{\"truncated_bytes_arg\":{\"bytes_arg\":\"aGk=\","
			      "\"orig_size\":\"9000\"}},{},{},{}]");
	free(text);
}

static void test_kprobe_skb(void **state)
{
	struct fixture *f = *state;
	struct vigil_skb_info skb = {
		.family = 10,
		.protocol = 17,
		.sport = 5353,
		.dport = 53,
		.hash = 0xdeadbeef,
		.len = 84,
		.saddr = { 0xfe, 0x80, [15] = 2 },
		.daddr = { 0xff, 0x02, [15] = 0xfb },
	};
	struct vigil_skb_info none = { .len = 60, .protocol = 1 };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "ip_output",
		.action = VIGIL_ACTION_POST,
		.nargs = 2,
		.args = { { .type = VIGIL_AT_SKB, .bin = &skb, .bin_len = sizeof(skb) },
			  { .type = VIGIL_AT_SKB, .bin = &none, .bin_len = sizeof(none) } },
	};
	char *text = policy_event(f, &pol);

	expect_contains(text, "{\"skb_arg\":{\"hash\":3735928559,\"len\":84,\"saddr\":\"fe80::2\","
			      "\"daddr\":\"ff02::fb\",\"sport\":5353,\"dport\":53,\"proto\":17,"
			      "\"protocol\":\"IPPROTO_UDP\",\"family\":\"AF_INET6\"}},"
			      "{\"skb_arg\":{\"len\":60,\"proto\":1}}");
	free(text);
}

static void test_tracepoint(void **state)
{
	static char *const tags[] = { "fs" };
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_TRACEPOINT,
		.policy_name = "openat",
		.function_name = "sys_enter_openat",
		.subsys = "syscalls",
		.message = "opened",
		.tags = tags,
		.ntags = 1,
		.action = VIGIL_ACTION_POST,
		.nargs = 2,
		.args = { { .type = VIGIL_AT_STRING, .str = "/srv/secret/x" },
			  { .type = VIGIL_AT_INT, .type_name = "int32", .num = 0x241 } },
	};
	char *text = policy_event(f, &pol);

	/* Field-number order: policy_name (7) before action (8). */
	expect_contains(text, "\"subsys\":\"syscalls\",\"event\":\"sys_enter_openat\","
			      "\"args\":[{\"string_arg\":\"/srv/secret/x\"},{\"int_arg\":577}],"
			      "\"policy_name\":\"openat\",\"action\":\"KPROBE_ACTION_POST\","
			      "\"message\":\"opened\",\"tags\":[\"fs\"]}");
	assert_non_null(strstr(text, "{\"process_tracepoint\":{\"process\":{"));
	free(text);
}

static void test_lsm_override_and_monitor(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_LSM,
		.policy_name = "deny",
		.function_name = "file_open",
		.action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST,
		.nargs = 1,
		.args = { { .type = VIGIL_AT_FILE, .str = "/etc/shadow" } },
	};
	char *text = policy_event(f, &pol), *mon;

	/* Field-number order: policy_name (5) and message (6) before args (7). */
	expect_contains(text, "\"function_name\":\"file_open\",\"policy_name\":\"deny\","
			      "\"args\":[{\"file_arg\":{\"path\":\"/etc/shadow\"}}],"
			      "\"action\":\"KPROBE_ACTION_OVERRIDE\"}");
	/* Monitor mode reports the action it would take, in the same message. */
	pol.monitor = true;
	mon = policy_event(f, &pol);
	assert_string_equal(mon, text);
	free(mon);
	free(text);

	pol.action = VIGIL_ACTION_SIGNAL;
	text = policy_event(f, &pol);
	expect_contains(text, "\"action\":\"KPROBE_ACTION_SIGNAL\"");
	free(text);
}

/* A policy event of a process the cache never saw: only its pid. */
static void test_policy_event_of_unknown_process(void **state)
{
	struct fixture *f = *state;
	struct vigil_proc_key none = { 0 };
	struct vigil_process *p = vigil_cache_clone(f->cache, 999, 999, 55, &none);
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "f",
		.action = VIGIL_ACTION_POST,
		.nargs = 1,
		.args = { { .type = VIGIL_AT_INT, .num = 1 } },
	};
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_POLICY, .proc = p, .ktime = 1, .pol = &pol
	};

	assert_non_null(p);
	expect_same_free(&f->ctx, &ev);
	vigil_process_put(f->cache, p);
}

/* --- edge cases where protojson's rules decide ------------------------------ */

/* No arguments (an empty repeated field is left out), a cut char_buf that
 * kept no byte and had no size (zero values left out), an empty string
 * (a set oneof is written), an LSM event with a return value (ProcessLsm
 * has no such field), a capability set of unnamed bits only: the export
 * and protojson write each the same. */
static void test_edge_cases_agree(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "f",
		.action = VIGIL_ACTION_POST,
	};
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_POLICY, .proc = f->child, .ktime = 1, .pol = &pol
	};
	static const char bytes[] = "abc";
	char *text;

	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "\"function_name\":\"f\",\"action\"");
	free(text);

	pol.nargs = 2;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_CHAR_BUF,
					      .bin = bytes,
					      .truncated = true };
	pol.args[1] = (struct vigil_out_arg){ .type = VIGIL_AT_STRING, .str = "" };
	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "[{\"truncated_bytes_arg\":{}},{\"string_arg\":\"\"}]");
	free(text);

	pol.kind = VIGIL_OUT_LSM;
	pol.nargs = 1;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_INT, .num = 1 };
	pol.has_ret = true;
	pol.ret = (struct vigil_out_arg){ .type = VIGIL_AT_INT, .num = 2 };
	text = expect_same(&f->ctx, &ev);
	expect_contains(text, "\"function_name\":\"f\",\"policy_name\":\"p\","
			      "\"args\":[{\"int_arg\":1}],\"action\":\"KPROBE_ACTION_POST\"}");
	free(text);

	{
		struct vigil_creds cr = { .cap_inheritable = 1ULL << 63 };
		struct vigil_process *p =
			add(f->cache, 888, 1, 0, 0, VIGIL_PF_EXECVE, "/x", "", "", &cr, NULL, NULL);
		struct vigil_out_event exec = { .kind = VIGIL_OUT_EXEC, .proc = p, .ktime = 1 };

		text = expect_same(&f->ctx, &exec);
		expect_contains(text, "\"cap\":{}");
		free(text);
		vigil_process_put(f->cache, p);
	}
}

/* Freeing twice, and freeing a failed build, is safe. */
static void test_free_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = f->child, .ktime = 1 };
	struct vigil_event_pb pb;

	assert_int_equal(vigil_event_pb(&pb, &f->ctx, &ev), 0);
	assert_true(pb.arena.total > 0);
	vigil_event_pb_free(&pb);
	vigil_event_pb_free(&pb);
	assert_null(pb.msg);
	assert_int_equal(pb.arena.total, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_with_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_container_and_binary_properties, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit, setup, teardown),
		cmocka_unit_test(test_without_creds_and_ns),
		cmocka_unit_test_setup_teardown(test_string_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kprobe_integers_strings_paths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kprobe_bytes_sockets_creds_caps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kprobe_skb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tracepoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsm_override_and_monitor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_event_of_unknown_process, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_edge_cases_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_is_idempotent, setup, teardown),
	};

	return cmocka_run_group_tests_name("event_pb", tests, NULL, NULL);
}
