// SPDX-License-Identifier: Apache-2.0
/*
 * Policy events: decoding of the ring-buffer message (every malformed
 * shape refused) and Tetragon's JSON and the compact line for
 * process_kprobe and process_lsm.
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
#include "policy_harness.h"
#include <json-c/json.h>
#include "encode.h"
#include "event.h"

struct msg {
	struct vigil_policy_event ev;
	char data[1024];
};

/* A message with one path argument (type t) and one integer. */
static size_t build(struct msg *m, uint8_t t, const char *path)
{
	struct vigil_arg_rec rec = { 0 };
	size_t off = 0, len = strlen(path) + 1;

	memset(m, 0, sizeof(*m));
	m->ev.hdr.type = VIGIL_MSG_POLICY;
	m->ev.proc.pid = 42;
	m->ev.proc.ktime = 1000;
	m->ev.hook = (3U << 12) | 1;
	m->ev.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST;
	rec.slot = 0;
	rec.type = t;
	rec.len = (uint16_t)len;
	memcpy(m->data + off, &rec, sizeof(rec));
	off += sizeof(rec);
	memcpy(m->data + off, path, len);
	off += len;
	memset(&rec, 0, sizeof(rec));
	rec.slot = 1;
	rec.type = VIGIL_AT_INT;
	rec.num = (uint64_t)-5;
	memcpy(m->data + off, &rec, sizeof(rec));
	off += sizeof(rec);
	m->ev.nargs = 2;
	m->ev.data_len = (uint16_t)off;
	m->ev.hdr.size = (uint32_t)(sizeof(m->ev) + off);
	return m->ev.hdr.size;
}

static void test_decode(void **state)
{
	struct vigil_policy_event_info *info = malloc(sizeof(*info));
	struct msg m;
	size_t size = build(&m, VIGIL_AT_LINUX_BINPRM, "/usr/bin/dash");

	(void)state;
	assert_int_equal(vigil_decode_policy(&m, size, info), 0);
	assert_int_equal(info->nargs, 2);
	assert_int_equal(info->raw->hook, (3U << 12) | 1);
	assert_int_equal(info->args[0].type, VIGIL_AT_LINUX_BINPRM);
	assert_string_equal(info->args[0].str, "/usr/bin/dash");
	assert_int_equal(info->args[1].type, VIGIL_AT_INT);
	assert_int_equal((int64_t)info->args[1].num, -5);
	free(info);
}

static void test_decode_sanitises_utf8(void **state)
{
	struct vigil_policy_event_info *info = malloc(sizeof(*info));
	struct msg m;
	size_t size = build(&m, VIGIL_AT_FILE, "/tmp/\xff\xfe");

	(void)state;
	assert_int_equal(vigil_decode_policy(&m, size, info), 0);
	assert_string_equal(info->args[0].str, "/tmp/\xef\xbf\xbd\xef\xbf\xbd");
	free(info);
}

static void test_decode_refuses_malformed(void **state)
{
	struct vigil_policy_event_info *info = malloc(sizeof(*info));
	struct vigil_arg_rec *rec;
	struct msg m;
	size_t size;

	(void)state;
	/* Shorter than the fixed part. */
	size = build(&m, VIGIL_AT_FILE, "/a");
	assert_int_equal(vigil_decode_policy(&m, sizeof(m.ev) - 1, info), -EINVAL);
	/* data_len beyond the message. */
	size = build(&m, VIGIL_AT_FILE, "/a");
	m.ev.data_len += 1;
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	/* More arguments than a hook has. */
	size = build(&m, VIGIL_AT_FILE, "/a");
	m.ev.nargs = VIGIL_HOOK_ARGS + 1;
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	/* More records announced than the data holds. */
	size = build(&m, VIGIL_AT_FILE, "/a");
	m.ev.nargs = 3;
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	/* A string without its NUL. */
	size = build(&m, VIGIL_AT_FILE, "/a");
	m.data[sizeof(*rec) + 2] = 'x';
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	/* A record longer than the data. */
	size = build(&m, VIGIL_AT_FILE, "/a");
	rec = (struct vigil_arg_rec *)m.data;
	rec->len = 1000;
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	/* An unknown argument type, a slot out of range. */
	size = build(&m, VIGIL_AT_COUNT, "/a");
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	size = build(&m, VIGIL_AT_FILE, "/a");
	rec->slot = VIGIL_HOOK_ARGS;
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	free(info);
}

/* A cred or socket record must have its struct's size; its bytes are
 * handed on as they are. */
static void test_decode_binary_records(void **state)
{
	struct vigil_policy_event_info *info = malloc(sizeof(*info));
	struct vigil_arg_rec rec = { .type = VIGIL_AT_CRED, .len = sizeof(struct vigil_creds) };
	struct vigil_creds cred = { .uid = 7 };
	struct msg m;
	size_t size;

	(void)state;
	assert_non_null(info);
	memset(&m, 0, sizeof(m));
	m.ev.hdr.type = VIGIL_MSG_POLICY;
	m.ev.nargs = 1;
	memcpy(m.data, &rec, sizeof(rec));
	memcpy(m.data + sizeof(rec), &cred, sizeof(cred));
	m.ev.data_len = (uint16_t)(sizeof(rec) + sizeof(cred));
	size = sizeof(m.ev) + m.ev.data_len;
	m.ev.hdr.size = (uint32_t)size;
	assert_int_equal(vigil_decode_policy(&m, size, info), 0);
	assert_int_equal(info->args[0].bin_len, sizeof(cred));
	assert_memory_equal(info->args[0].bin, &cred, sizeof(cred));
	rec.len = sizeof(cred) - 1; /* cut */
	memcpy(m.data, &rec, sizeof(rec));
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	rec.type = VIGIL_AT_SOCK;
	rec.len = sizeof(struct vigil_sock_info) / 2; /* not a sock_info's size */
	memcpy(m.data, &rec, sizeof(rec));
	assert_int_equal(vigil_decode_policy(&m, size, info), -EINVAL);
	free(info);
}

static char *encode(const struct vigil_out_policy *pol, bool compact)
{
	return encode_policy_event(pol, compact, "/bin/sh");
}

static void test_json_kprobe(void **state)
{
	static char *const tags[] = { "shell", "container" };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "block-shell-exec",
		.function_name = "security_bprm_check",
		.message = "shell blocked",
		.tags = tags,
		.ntags = 2,
		.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST,
		.nargs = 4,
		.args = { { .type = VIGIL_AT_LINUX_BINPRM, .str = "/usr/bin/dash" },
			  { .type = VIGIL_AT_INT,
			    .type_name = "int",
			    .num = (uint64_t)-5,
			    .label = "mode" },
			  { .type = VIGIL_AT_INT, .type_name = "size_t", .num = 1ULL << 40 },
			  { .type = VIGIL_AT_STRING, .str = "/etc/passwd" } },
	};
	char *s = encode(&pol, false);
	struct json_object *root = json_tokener_parse(s), *k, *v;

	(void)state;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "process_kprobe", &k));
	assert_true(json_object_object_get_ex(k, "function_name", &v));
	assert_string_equal(json_object_get_string(v), "security_bprm_check");
	assert_true(json_object_object_get_ex(k, "action", &v));
	assert_string_equal(json_object_get_string(v), "KPROBE_ACTION_SIGKILL");
	assert_true(json_object_object_get_ex(k, "policy_name", &v));
	assert_string_equal(json_object_get_string(v), "block-shell-exec");
	assert_true(json_object_object_get_ex(k, "message", &v));
	assert_string_equal(json_object_get_string(v), "shell blocked");
	assert_true(json_object_object_get_ex(k, "tags", &v));
	assert_int_equal(json_object_array_length(v), 2);
	assert_true(json_object_object_get_ex(k, "args", &v));
	assert_int_equal(json_object_array_length(v), 4);
	assert_string_equal(json_object_to_json_string_ext(
				    v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			    "[{\"linux_binprm_arg\":{\"path\":\"/usr/bin/dash\"}},"
			    "{\"int_arg\":-5,\"label\":\"mode\"},{\"size_arg\":\"1099511627776\"},"
			    "{\"string_arg\":\"/etc/passwd\"}]");
	assert_true(json_object_object_get_ex(k, "process", &v));
	assert_true(json_object_object_get_ex(root, "node_name", &v));
	json_object_put(root);
	free(s);
}

/* Sockets, credentials, capabilities, bytes and fds in Tetragon's shapes. */
static void test_json_new_argument_types(void **state)
{
	struct vigil_sock_info sock = {
		.family = 2,
		.type = 1,
		.protocol = 6,
		.state = 2,
		.sport = 40312,
		.dport = 443,
		.cookie = 77,
		.saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 },
	};
	struct vigil_sock_info sa6 = { .family = 10, .sport = 53, .saddr = { 0xfd, 0, [15] = 1 } };
	struct vigil_creds cred = { .uid = 1000,
				    .euid = 0,
				    .cap_effective = (1ULL << 0) | (1ULL << 1) };
	static const char bytes[] = { 'h', 'i', 0, 'x' };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "f",
		.action = VIGIL_ACTION_POST,
		.nargs = 7,
		.args = {
			{ .type = VIGIL_AT_SOCK, .bin = &sock, .bin_len = sizeof(sock) },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &sa6, .bin_len = sizeof(sa6) },
			{ .type = VIGIL_AT_CRED, .bin = &cred, .bin_len = sizeof(cred) },
			{ .type = VIGIL_AT_CAPABILITY, .num = 21 },
			{ .type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 4, .num = 4 },
			{ .type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 2, .num = 9000,
			  .truncated = true },
			{ .type = VIGIL_AT_FD, .num = 3, .str = "/etc/hosts" },
		},
	};
	char *s = encode(&pol, false);
	struct json_object *root = json_tokener_parse(s), *k, *v;

	(void)state;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "process_kprobe", &k));
	assert_true(json_object_object_get_ex(k, "args", &v));
	assert_string_equal(
		json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE),
		"[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
		"\"protocol\":\"IPPROTO_TCP\",\"saddr\":\"10.0.0.1\",\"daddr\":\"1.1.1.1\","
		"\"sport\":40312,\"dport\":443,\"cookie\":\"77\",\"state\":\"TCP_SYN_SENT\"}},"
		"{\"sockaddr_arg\":{\"family\":\"AF_INET6\",\"addr\":\"fd00::1\",\"port\":53}},"
		"{\"process_credentials_arg\":{\"uid\":1000,\"gid\":0,\"euid\":0,\"egid\":0,"
		"\"suid\":0,\"sgid\":0,\"fsuid\":0,\"fsgid\":0,"
		"\"caps\":{\"effective\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\"]}}},"
		"{\"capability_arg\":{\"value\":21,\"name\":\"CAP_SYS_ADMIN\"}},"
		"{\"bytes_arg\":\"aGkAeA==\"},"
		"{\"truncated_bytes_arg\":{\"bytes_arg\":\"aGk=\",\"orig_size\":\"9000\"}},"
		"{\"file_arg\":{\"path\":\"/etc/hosts\"}}]");
	json_object_put(root);
	free(s);
}

/* skb: the IP header's tuple and the skb's own fields; a packet that is not
 * IP has only those. */
static void test_json_skb(void **state)
{
	struct vigil_skb_info v4 = {
		.family = 2,
		.protocol = 17,
		.sport = 5353,
		.dport = 53,
		.len = 61,
		.hash = 0xdeadbeef,
		.mark = 7,
		.saddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 53 },
	};
	struct vigil_skb_info v6 = { .family = 10,
				     .protocol = 6,
				     .sport = 1,
				     .dport = 443,
				     .saddr = { [15] = 1 },
				     .daddr = { 0xfd, [15] = 2 } };
	struct vigil_skb_info other = { .len = 42, .priority = 3 };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "ip_local_out",
		.action = VIGIL_ACTION_POST,
		.nargs = 3,
		.args = {
			{ .type = VIGIL_AT_SKB, .bin = &v4, .bin_len = sizeof(v4) },
			{ .type = VIGIL_AT_SKB, .bin = &v6, .bin_len = sizeof(v6) },
			{ .type = VIGIL_AT_SKB, .bin = &other, .bin_len = sizeof(other) },
		},
	};
	char *s = encode(&pol, false);
	struct json_object *root = json_tokener_parse(s), *k, *v;

	(void)state;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "process_kprobe", &k));
	assert_true(json_object_object_get_ex(k, "args", &v));
	assert_string_equal(
		json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE),
		"[{\"skb_arg\":{\"hash\":3735928559,\"len\":61,\"mark\":7,"
		"\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.53\",\"sport\":5353,\"dport\":53,"
		"\"proto\":17,\"protocol\":\"IPPROTO_UDP\",\"family\":\"AF_INET\"}},"
		"{\"skb_arg\":{\"saddr\":\"::1\",\"daddr\":\"fd00::2\",\"sport\":1,\"dport\":443,"
		"\"proto\":6,\"protocol\":\"IPPROTO_TCP\",\"family\":\"AF_INET6\"}},"
		"{\"skb_arg\":{\"len\":42,\"priority\":3}}]");
	json_object_put(root);
	free(s);
}

/* The compact line shows sockets as "proto SRC -> DST", a sockaddr as its
 * address, a cred as its ids and bytes escaped. */
static void test_compact_struct_args(void **state)
{
	struct vigil_sock_info sock = {
		.family = 2,
		.protocol = 6,
		.sport = 40312,
		.dport = 443,
		.saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 },
	};
	struct vigil_skb_info skb = { .family = 10,
				      .protocol = 17,
				      .sport = 9,
				      .dport = 53,
				      .saddr = { [15] = 1 },
				      .daddr = { [15] = 1 } };
	struct vigil_sock_info sa = { .family = 2,
				      .sport = 80,
				      .saddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 } };
	struct vigil_creds cred = { .uid = 1000, .gid = 100 };
	static const char bytes[] = { 'a', '\n', 0, 0x1b };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "f",
		.action = VIGIL_ACTION_POST,
		.nargs = 5,
		.args = {
			{ .type = VIGIL_AT_SOCK, .bin = &sock, .bin_len = sizeof(sock), .str = "" },
			{ .type = VIGIL_AT_SKB, .bin = &skb, .bin_len = sizeof(skb), .str = "" },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &sa, .bin_len = sizeof(sa), .str = "" },
			{ .type = VIGIL_AT_CRED, .bin = &cred, .bin_len = sizeof(cred), .str = "" },
			{ .type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 4, .str = "" },
		},
	};
	char *s = encode(&pol, true);

	(void)state;
	assert_string_equal(s, "🔍 kprobe  n1 /bin/sh f tcp 10.0.0.1:40312 -> 1.1.1.1:443 "
			       "udp [::1]:9 -> [::1]:53 127.0.0.1:80 "
			       "uid=1000 euid=0 gid=100 egid=0 \"a\\x0a\\x00\\x1b\"\n");
	free(s);
}

/* The network events' compact lines: their own tags, byte counters in
 * human units, a denied connect marked apart. */
static void test_compact_network_lines(void **state)
{
	struct vigil_sock_info sock = {
		.family = 2,
		.protocol = 6,
		.sport = 40312,
		.dport = 443,
		.saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 },
	};
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "connect",
		.function_name = "tcp_close",
		.action = VIGIL_ACTION_POST,
		.nargs = 3,
		.args = {
			{ .type = VIGIL_AT_SOCK, .bin = &sock, .bin_len = sizeof(sock), .str = "" },
			{ .type = VIGIL_AT_INT, .type_name = "uint64", .label = "bytes_acked",
			  .num = 1234 },
			{ .type = VIGIL_AT_INT, .type_name = "uint64", .label = "bytes_received",
			  .num = 4500000 },
		},
	};
	char *s;

	(void)state;
	s = encode(&pol, true);
	assert_string_equal(s,
			    "🧹 close   n1 /bin/sh tcp_close tcp 10.0.0.1:40312 -> 1.1.1.1:443 "
			    "sent 1.2 KB recv 4.5 MB\n");
	free(s);
	pol.function_name = "tcp_connect";
	pol.nargs = 1;
	s = encode(&pol, true);
	assert_string_equal(s,
			    "🔌 connect n1 /bin/sh tcp_connect tcp 10.0.0.1:40312 -> 1.1.1.1:443\n");
	free(s);
	pol.function_name = "inet_csk_listen_start";
	s = encode(&pol, true);
	assert_non_null(strstr(s, "👂 listen  n1 /bin/sh inet_csk_listen_start tcp"));
	free(s);
	pol.function_name = "tcp_set_state";
	s = encode(&pol, true);
	assert_non_null(strstr(s, "📬 accept  n1 /bin/sh tcp_set_state tcp"));
	free(s);
	pol.function_name = "security_socket_connect";
	pol.action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST;
	s = encode(&pol, true);
	assert_non_null(strstr(s, "⛔ denied  n1 /bin/sh security_socket_connect tcp"));
	free(s);
	pol.monitor = true;
	s = encode(&pol, true);
	assert_non_null(strstr(s, "⛔ would-deny n1 /bin/sh security_socket_connect"));
	free(s);
}

static void test_json_lsm_and_compact(void **state)
{
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_LSM,
		.policy_name = "deny",
		.function_name = "file_open",
		.action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST,
		.nargs = 1,
		.args = { { .type = VIGIL_AT_FILE, .str = "/etc/shadow" } },
	};
	char *s = encode(&pol, false);
	struct json_object *root = json_tokener_parse(s), *k, *v;

	(void)state;
	assert_true(json_object_object_get_ex(root, "process_lsm", &k));
	assert_true(json_object_object_get_ex(k, "action", &v));
	assert_string_equal(json_object_get_string(v), "KPROBE_ACTION_OVERRIDE");
	assert_false(json_object_object_get_ex(k, "message", &v));
	assert_false(json_object_object_get_ex(k, "tags", &v));
	json_object_put(root);
	free(s);
	s = encode(&pol, true);
	assert_string_equal(s, "🔒 denied  n1 /bin/sh file_open /etc/shadow\n");
	free(s);
	pol.monitor = true;
	pol.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST;
	s = encode(&pol, true);
	assert_string_equal(s, "💀 would-kill n1 /bin/sh file_open /etc/shadow\n");
	free(s);
}

static void test_action_names(void **state)
{
	(void)state;
	assert_string_equal(vigil_action_name(VIGIL_ACTION_POST), "KPROBE_ACTION_POST");
	assert_string_equal(vigil_action_name(VIGIL_ACTION_SIGKILL | VIGIL_ACTION_OVERRIDE),
			    "KPROBE_ACTION_SIGKILL");
	assert_string_equal(vigil_action_name(VIGIL_ACTION_SIGNAL), "KPROBE_ACTION_SIGNAL");
	assert_string_equal(vigil_action_name(0), "KPROBE_ACTION_NOPOST");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_sanitises_utf8),
		cmocka_unit_test(test_decode_refuses_malformed),
		cmocka_unit_test(test_decode_binary_records),
		cmocka_unit_test(test_json_kprobe),
		cmocka_unit_test(test_json_skb),
		cmocka_unit_test(test_compact_struct_args),
		cmocka_unit_test(test_compact_network_lines),
		cmocka_unit_test(test_json_lsm_and_compact),
		cmocka_unit_test(test_json_new_argument_types),
		cmocka_unit_test(test_action_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
