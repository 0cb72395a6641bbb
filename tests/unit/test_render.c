// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for cli/render.c: the compact line of an API message is
 * vigild's own compact line (agent/encode_compact.c) for the same agent
 * event, byte for byte, for every kind of event and every argument type;
 * untrusted text is escaped; what only the message has (a pod, a stream's
 * losses, argument types vigild does not send) renders sensibly; and the
 * table of tracing policies.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "encode.h"
#include "event_pb.h"
#include "render.h"

#define NODE "node1"
#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"

struct fixture {
	struct vigil_cache *cache;
	struct vigil_encode_ctx ctx;
	struct vigil_process *parent; /* bash, no arguments */
	struct vigil_process *child;  /* curl with quotes in its arguments */
	struct vigil_process *ctr;    /* a process in a container */
};

static struct vigil_process *add(struct vigil_cache *c, uint32_t pid, uint32_t ppid,
				 const char *binary, const char *args, const char *cid)
{
	struct vigil_exec_desc d = { 0 };
	struct vigil_creds cr = { .uid = 1000, .cap_effective = 1ULL << 21 };
	struct vigil_process *p;

	d.pid = d.tid = pid;
	d.ktime = 1000000000ULL + pid;
	d.parent.pid = ppid;
	d.parent.ktime = ppid ? 1000000000ULL + ppid : 0;
	d.flags = VIGIL_PF_EXECVE;
	d.binary = binary;
	d.args = args;
	d.cwd = "/";
	d.creds = &cr;
	snprintf(d.container_id, sizeof(d.container_id), "%s", cid);
	p = vigil_cache_exec(c, &d);
	assert_non_null(p);
	return p;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->cache = vigil_cache_new();
	assert_non_null(f->cache);
	f->ctx.node_name = NODE;
	f->ctx.boot_wall_ns = 1700000000000000000ULL;
	f->parent = add(f->cache, 100, 0, "/bin/bash", "", "");
	f->child =
		add(f->cache, 1234, 100, "/usr/bin/curl", "-s https://example.com/a?b=\"c\"", "");
	f->ctr = add(f->cache, 4321, 0, "/usr/bin/curl", "https://example", CID);
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

/* vigild's compact line for ev. */
static char *agent_line(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(vigil_write_compact(out, ctx, ev), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/* The CLI's line for a message; err is what vigil_render_compact()
 * returned. */
static char *render_msg(const Tetragon__GetEventsResponse *msg, int *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	*err = vigil_render_compact(out, msg);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/* The CLI's line for ev's message. */
static char *cli_line(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev)
{
	struct vigil_event_pb pb;
	char *line;
	int err;

	assert_int_equal(vigil_event_pb(&pb, ctx, ev), 0);
	line = render_msg(pb.msg, &err);
	assert_int_equal(err, 0);
	vigil_event_pb_free(&pb);
	return line;
}

/* Both lines are want. */
static void expect_both(const struct vigil_encode_ctx *ctx, const struct vigil_out_event *ev,
			const char *want)
{
	char *a = agent_line(ctx, ev), *c = cli_line(ctx, ev);

	assert_string_equal(a, want);
	assert_string_equal(c, want);
	free(a);
	free(c);
}

/* A policy event of pol by f->child. */
static void expect_policy(struct fixture *f, const struct vigil_out_policy *pol, const char *want)
{
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_POLICY, .proc = f->child, .ktime = 5, .pol = pol
	};

	expect_both(&f->ctx, &ev, want);
}

/* --- process_exec and process_exit --------------------------------------- */

static void test_exec_lines_agree(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = f->child, .ktime = 1 };

	expect_both(&f->ctx, &ev,
		    "🚀 process node1 /usr/bin/curl -s https://example.com/a?b=\"c\"\n");
	ev.proc = f->parent; /* no arguments: no trailing space */
	expect_both(&f->ctx, &ev, "🚀 process node1 /bin/bash\n");
	ev.proc = f->ctr; /* a container: its short id */
	expect_both(&f->ctx, &ev, "🚀 process 4f1c9d2e7a8b /usr/bin/curl https://example\n");
}

static void test_exit_lines_agree(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXIT, .proc = f->ctr, .ktime = 1 };

	expect_both(&f->ctx, &ev, "💥 exit    4f1c9d2e7a8b /usr/bin/curl https://example 0\n");
	ev.exit_code = 3 << 8;
	expect_both(&f->ctx, &ev, "💥 exit    4f1c9d2e7a8b /usr/bin/curl https://example 3\n");
	ev.exit_code = 9;
	expect_both(&f->ctx, &ev, "💥 exit    4f1c9d2e7a8b /usr/bin/curl https://example SIGKILL\n");
	ev.proc = f->parent;
	ev.exit_code = 15;
	expect_both(&f->ctx, &ev, "💥 exit    node1 /bin/bash SIGTERM\n");
}

/* A record made by hand, so that its strings reach both encoders exactly
 * as written here. */
static void expect_raw(struct fixture *f, const char *binary, const char *args, const char *want)
{
	struct vigil_process p = { 0 };
	struct vigil_out_event ev = { .kind = VIGIL_OUT_EXEC, .proc = &p, .ktime = 1 };

	p.pid = p.tid = 900;
	p.binary = (char *)binary;
	p.args = (char *)args;
	p.cwd = (char *)"/";
	expect_both(&f->ctx, &ev, want);
}

static void test_escaping_agrees(void **state)
{
	struct fixture *f = *state;

	/* C0 (newline, ESC), DEL, quotes and backslashes. */
	expect_raw(f, "/tmp/a\nb", "\x1b[2J \"q\\",
		   "🚀 process node1 \"/tmp/a\\x0ab\" \"\\x1b[2J \\\"q\\\\\"\n");
	expect_raw(f, "/bin/x\x7f", "", "🚀 process node1 \"/bin/x\\x7f\"\n");
	/* C1 controls: CSI U+009B, OSC U+009D. */
	expect_raw(f,
		   "/tmp/\xc2\x9b"
		   "2J",
		   "\xc2\x9d"
		   "0;t\x07",
		   "🚀 process node1 \"/tmp/\\u{9b}2J\" \"\\u{9d}0;t\\x07\"\n");
	/* Bidi and invisible characters: U+202E, U+200B, U+FEFF. */
	expect_raw(f,
		   "/tmp/\xe2\x80\xae"
		   "gpj.exe",
		   "a\xe2\x80\x8b"
		   "b\xef\xbb\xbf",
		   "🚀 process node1 \"/tmp/\\u{202e}gpj.exe\" \"a\\u{200b}b\\u{feff}\"\n");
	/* Invalid bytes, each as \xNN: a raw 0x9b and a cut sequence. */
	expect_raw(f,
		   "/tmp/\x9b"
		   "31m",
		   "\xf0\x9f\x98", "🚀 process node1 \"/tmp/\\x9b31m\" \"\\xf0\\x9f\\x98\"\n");
	/* A space quotes the binary, not the arguments; printable UTF-8 stays. */
	expect_raw(f, "/tmp/my caf\xc3\xa9", "\xe6\x97\xa5 \xc3\xa9",
		   "🚀 process node1 \"/tmp/my caf\xc3\xa9\" \xe6\x97\xa5 \xc3\xa9\n");
}

/* --- policy events ------------------------------------------------------- */

static void test_integers_strings_paths_agree(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "security_bprm_check",
		.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST,
		.nargs = 8,
		.args = { { .type = VIGIL_AT_LINUX_BINPRM, .str = "/usr/bin/dash" },
			  { .type = VIGIL_AT_INT, .type_name = "int", .num = (uint64_t)-5 },
			  { .type = VIGIL_AT_INT, .type_name = "size_t", .num = 1ULL << 40 },
			  { .type = VIGIL_AT_INT, .type_name = "int64", .num = (uint64_t)-7 },
			  { .type = VIGIL_AT_INT, .type_name = "uint32", .num = 4000000000U },
			  { .type = VIGIL_AT_INT, .type_name = "int8", .num = (uint64_t)-128 },
			  { .type = VIGIL_AT_STRING, .str = "/etc/passwd" },
			  { .type = VIGIL_AT_STRING, .str = "a b\x1b" } },
		.has_ret = true, /* not on the line */
		.ret = { .type = VIGIL_AT_INT, .type_name = "int", .num = 0 },
	};

	expect_policy(f, &pol,
		      "💀 killed  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" "
		      "security_bprm_check /usr/bin/dash -5 1099511627776 -7 4000000000 -128 "
		      "/etc/passwd \"a b\\x1b\"\n");

	pol.action = VIGIL_ACTION_POST;
	pol.has_ret = false;
	pol.nargs = 5;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_FILE, .str = "/etc/shadow" };
	pol.args[1] = (struct vigil_out_arg){ .type = VIGIL_AT_PATH, .str = "/etc" };
	pol.args[2] = (struct vigil_out_arg){ .type = VIGIL_AT_FD, .num = 3, .str = "/etc/hosts" };
	pol.args[3] = (struct vigil_out_arg){ .type = VIGIL_AT_DENTRY, .str = "/x y" };
	pol.args[4] = (struct vigil_out_arg){ .type = VIGIL_AT_FILE }; /* a path never read */
	expect_policy(f, &pol,
		      "🔍 kprobe  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" "
		      "security_bprm_check /etc/shadow /etc /etc/hosts \"/x y\" \n");

	/* An integer cut to the type the JSON export gives it. */
	pol.nargs = 2;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_INT,
					      .type_name = "int",
					      .num = (1ULL << 32) | 7 };
	pol.args[1] = (struct vigil_out_arg){ .type = VIGIL_AT_INT, .num = 1 }; /* no type: int */
	expect_policy(f, &pol,
		      "🔍 kprobe  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" "
		      "security_bprm_check 7 1\n");
}

static void test_bytes_creds_caps_agree(void **state)
{
	static const char bytes[] = { 'a', '\n', 0, 0x1b, (char)0xff };
	struct fixture *f = *state;
	struct vigil_creds cred = { .uid = 1000, .euid = 0, .gid = 100, .egid = 5 };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "f",
		.action = VIGIL_ACTION_POST,
		.nargs = 6,
		.args = {
			{ .type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 5, .num = 5, .str = "" },
			{ .type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 1, .num = 9000,
			  .truncated = true, .str = "" },
			{ .type = VIGIL_AT_CHAR_BUF, .bin = bytes, .bin_len = 0, .str = "" },
			{ .type = VIGIL_AT_CRED, .bin = &cred, .bin_len = sizeof(cred), .str = "" },
			{ .type = VIGIL_AT_CAPABILITY, .num = 21, .str = "" },
			{ .type = VIGIL_AT_CAPABILITY, .num = 99, .str = "" },
		},
	};

	expect_policy(f, &pol,
		      "🔍 kprobe  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" f "
		      "\"a\\x0a\\x00\\x1b\\xff\" a  uid=1000 euid=0 gid=100 egid=5 "
		      "CAP_SYS_ADMIN 99\n");
}

static void test_sockets_agree(void **state)
{
	struct fixture *f = *state;
	struct vigil_sock_info v4 = {
		.family = AF_INET,
		.type = 1,
		.protocol = 6,
		.state = 2,
		.sport = 40312,
		.dport = 443,
		.saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 },
	};
	struct vigil_sock_info v6 = { .family = AF_INET6,
				      .protocol = 17,
				      .sport = 53,
				      .dport = 5353,
				      .saddr = { 0xfd, [15] = 1 },
				      .daddr = { [15] = 1 } };
	struct vigil_sock_info odd = {
		.family = AF_INET,
		.protocol = 200, /* no name */
		.saddr = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 },
		.daddr = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 2 }
	}; /* no name */
	struct vigil_sock_info sa4 = { .family = AF_INET,
				       .sport = 80,
				       .saddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 } };
	struct vigil_sock_info sa6 = { .family = AF_INET6, .sport = 443, .saddr = { [15] = 1 } };
	struct vigil_sock_info sun = { .family = AF_UNIX };
	struct vigil_sock_info s77 = { .family = 77 }; /* no name */
	struct vigil_skb_info skb4 = { .family = AF_INET,
				       .protocol = 17,
				       .sport = 5353,
				       .dport = 53,
				       .len = 61,
				       .saddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 },
				       .daddr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 53 } };
	struct vigil_skb_info skb6 = { .family = AF_INET6,
				       .protocol = 6,
				       .sport = 1,
				       .dport = 443,
				       .saddr = { [15] = 1 },
				       .daddr = { 0xfd, [15] = 2 } };
	struct vigil_skb_info other = { .len = 42, .priority = 3 }; /* not IP */
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "p",
		.function_name = "ip_local_out",
		.action = VIGIL_ACTION_POST,
		.nargs = 8,
		.args = {
			{ .type = VIGIL_AT_SOCK, .bin = &v4, .bin_len = sizeof(v4), .str = "" },
			{ .type = VIGIL_AT_SOCK, .bin = &v6, .bin_len = sizeof(v6), .str = "" },
			{ .type = VIGIL_AT_SOCK, .bin = &odd, .bin_len = sizeof(odd), .str = "" },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &sa4, .bin_len = sizeof(sa4), .str = "" },
			{ .type = VIGIL_AT_SOCKADDR, .bin = &sa6, .bin_len = sizeof(sa6), .str = "" },
			{ .type = VIGIL_AT_SKB, .bin = &skb4, .bin_len = sizeof(skb4), .str = "" },
			{ .type = VIGIL_AT_SKB, .bin = &skb6, .bin_len = sizeof(skb6), .str = "" },
			{ .type = VIGIL_AT_SKB, .bin = &other, .bin_len = sizeof(other), .str = "" },
		},
	};

	expect_policy(f, &pol,
		      "🔍 kprobe  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" ip_local_out "
		      "tcp 10.0.0.1:40312 -> 1.1.1.1:443 udp [fd00::1]:53 -> [::1]:5353 "
		      "200 192.0.2.1:0 -> 192.0.2.2:0 127.0.0.1:80 [::1]:443 "
		      "udp 127.0.0.1:5353 -> 127.0.0.53:53 tcp [::1]:1 -> [fd00::2]:443 len=42\n");

	/* A sockaddr of another family: its name, or its number. */
	pol.nargs = 2;
	pol.args[0] = (struct vigil_out_arg){
		.type = VIGIL_AT_SOCKADDR, .bin = &sun, .bin_len = sizeof(sun), .str = ""
	};
	pol.args[1] = (struct vigil_out_arg){
		.type = VIGIL_AT_SOCKADDR, .bin = &s77, .bin_len = sizeof(s77), .str = ""
	};
	expect_policy(f, &pol,
		      "🔍 kprobe  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" ip_local_out "
		      "AF_UNIX 77\n");

	/* A struct of the wrong size: nothing, as the message leaves it unset. */
	pol.nargs = 1;
	pol.args[0] = (struct vigil_out_arg){
		.type = VIGIL_AT_SOCK, .bin = &v4, .bin_len = sizeof(v4) - 1, .str = ""
	};
	expect_policy(f, &pol,
		      "🔍 kprobe  node1 /usr/bin/curl -s https://example.com/a?b=\"c\" ip_local_out "
		      "\n");
}

/* Each kind and action: kprobe, tracepoint (subsys/event), lsm; killed,
 * denied, Signal and NoPost reported; tcp_connect as Tetragon names it. */
static void test_kinds_and_actions_agree(void **state)
{
	struct fixture *f = *state;
	struct vigil_sock_info v4 = { .family = AF_INET,
				      .protocol = 6,
				      .sport = 40312,
				      .dport = 443,
				      .saddr = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 },
				      .daddr = { [10] = 0xff, [11] = 0xff, 1, 1, 1, 1 } };
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_KPROBE,
		.policy_name = "connects",
		.function_name = "tcp_connect",
		.action = VIGIL_ACTION_POST,
		.nargs = 1,
		.args = { { .type = VIGIL_AT_SOCK, .bin = &v4, .bin_len = sizeof(v4), .str = "" } },
	};
	const char *who = "node1 /usr/bin/curl -s https://example.com/a?b=\"c\"";
	char want[512];

	snprintf(want, sizeof(want), "🔌 connect %s tcp_connect tcp 10.0.0.1:40312 -> 1.1.1.1:443\n",
		 who);
	expect_policy(f, &pol, want);
	/* A kill or a deny is shown as such even on tcp_connect. */
	pol.action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST;
	snprintf(want, sizeof(want), "⛔ denied  %s tcp_connect tcp 10.0.0.1:40312 -> 1.1.1.1:443\n",
		 who);
	expect_policy(f, &pol, want);
	pol.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_OVERRIDE;
	snprintf(want, sizeof(want), "💀 killed  %s tcp_connect tcp 10.0.0.1:40312 -> 1.1.1.1:443\n",
		 who);
	expect_policy(f, &pol, want);

	pol.nargs = 2;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_STRING, .str = "/etc/shadow" };
	pol.args[1] = (struct vigil_out_arg){ .type = VIGIL_AT_INT, .type_name = "int", .num = 0 };
	pol.kind = VIGIL_OUT_TRACEPOINT;
	pol.subsys = "syscalls";
	pol.function_name = "sys_enter_openat";
	pol.action = VIGIL_ACTION_SIGNAL;
	snprintf(want, sizeof(want), "🔍 tracepoint %s syscalls/sys_enter_openat /etc/shadow 0\n",
		 who);
	expect_policy(f, &pol, want);
	pol.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST;
	snprintf(want, sizeof(want), "💀 killed  %s syscalls/sys_enter_openat /etc/shadow 0\n", who);
	expect_policy(f, &pol, want);

	pol.kind = VIGIL_OUT_LSM;
	pol.subsys = NULL;
	pol.function_name = "file_open";
	pol.nargs = 1;
	pol.args[0] = (struct vigil_out_arg){ .type = VIGIL_AT_FILE, .str = "/etc/shadow" };
	pol.action = 0; /* NoPost */
	snprintf(want, sizeof(want), "🔍 lsm     %s file_open /etc/shadow\n", who);
	expect_policy(f, &pol, want);
	pol.action = VIGIL_ACTION_OVERRIDE | VIGIL_ACTION_POST;
	snprintf(want, sizeof(want), "🔒 denied  %s file_open /etc/shadow\n", who);
	expect_policy(f, &pol, want);
}

/* Monitor mode is not in the message (nor in Tetragon's): vigild's own
 * line says what would have been done, the message renders the action
 * the selector names. */
static void test_monitor_mode_is_the_one_difference(void **state)
{
	struct fixture *f = *state;
	struct vigil_out_policy pol = {
		.kind = VIGIL_OUT_LSM,
		.policy_name = "deny",
		.function_name = "file_open",
		.action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST,
		.monitor = true,
		.nargs = 1,
		.args = { { .type = VIGIL_AT_FILE, .str = "/etc/shadow" } },
	};
	struct vigil_out_event ev = {
		.kind = VIGIL_OUT_POLICY, .proc = f->parent, .ktime = 5, .pol = &pol
	};
	char *a = agent_line(&f->ctx, &ev), *c = cli_line(&f->ctx, &ev);

	assert_string_equal(a, "💀 would-kill node1 /bin/bash file_open /etc/shadow\n");
	assert_string_equal(c, "💀 killed  node1 /bin/bash file_open /etc/shadow\n");
	free(a);
	free(c);
	pol.action = VIGIL_ACTION_OVERRIDE;
	a = agent_line(&f->ctx, &ev);
	c = cli_line(&f->ctx, &ev);
	assert_string_equal(a, "🔒 would-deny node1 /bin/bash file_open /etc/shadow\n");
	assert_string_equal(c, "🔒 denied  node1 /bin/bash file_open /etc/shadow\n");
	free(a);
	free(c);
}

/* --- what only a message has ---------------------------------------------- */

static void test_pod_source_and_lost_events(void **state)
{
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	Tetragon__ProcessExec exec = TETRAGON__PROCESS_EXEC__INIT;
	Tetragon__Process p = TETRAGON__PROCESS__INIT;
	Tetragon__Pod pod = TETRAGON__POD__INIT;
	Tetragon__RateLimitInfo lost = TETRAGON__RATE_LIMIT_INFO__INIT;
	char *s;
	int err;

	(void)state;
	p.binary = "/usr/bin/curl";
	p.arguments = "https://example";
	p.docker = CID;
	pod.namespace_ = "default";
	pod.name = "web-7d\x1b";
	p.pod = &pod;
	exec.process = &p;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	r.process_exec = &exec;
	r.node_name = NODE;
	s = render_msg(&r, &err);
	assert_int_equal(err, 0);
	assert_string_equal(s, "🚀 process default/\"web-7d\\x1b\" /usr/bin/curl https://example\n");
	free(s);

	lost.number_of_dropped_process_events = 12;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO;
	r.rate_limit_info = &lost;
	s = render_msg(&r, &err);
	assert_int_equal(err, 0);
	assert_string_equal(s, "❗ lost    node1 12 events\n");
	free(s);
}

/* An event without its process, or of no kind, is refused with nothing
 * printed; an argument type vigild does not send shows its name. */
static void test_incomplete_messages(void **state)
{
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;
	Tetragon__ProcessKprobe kp = TETRAGON__PROCESS_KPROBE__INIT;
	Tetragon__ProcessExit ex = TETRAGON__PROCESS_EXIT__INIT;
	Tetragon__Process p = TETRAGON__PROCESS__INIT;
	Tetragon__KprobeArgument a0 = TETRAGON__KPROBE_ARGUMENT__INIT;
	Tetragon__KprobeArgument a1 = TETRAGON__KPROBE_ARGUMENT__INIT;
	Tetragon__KprobeArgument *args[] = { &a0, &a1 };
	char *s;
	int err;

	(void)state;
	r.node_name = NODE;
	s = render_msg(&r, &err); /* no event */
	assert_int_equal(err, -EINVAL);
	assert_string_equal(s, "");
	free(s);
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT;
	r.process_exit = &ex; /* no process */
	s = render_msg(&r, &err);
	assert_int_equal(err, -EINVAL);
	assert_string_equal(s, "");
	free(s);
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE;
	r.process_kprobe = &kp;
	s = render_msg(&r, &err);
	assert_int_equal(err, -EINVAL);
	assert_string_equal(s, "");
	free(s);

	p.binary = "/bin/x";
	kp.process = &p;
	kp.function_name = "bpf_check";
	a0.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BPF_CMD_ARG;
	a1.arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG;
	a1.int_arg = -1;
	kp.args = args;
	kp.n_args = 2;
	s = render_msg(&r, &err);
	assert_int_equal(err, 0);
	assert_string_equal(s, "🔍 kprobe  node1 /bin/x bpf_check <bpf_cmd_arg> -1\n");
	free(s);
}

/* --- the policy table ----------------------------------------------------- */

static void test_policies_table(void **state)
{
	Tetragon__ListTracingPoliciesResponse r = TETRAGON__LIST_TRACING_POLICIES_RESPONSE__INIT;
	Tetragon__TracingPolicyStatus a = TETRAGON__TRACING_POLICY_STATUS__INIT;
	Tetragon__TracingPolicyStatus b = TETRAGON__TRACING_POLICY_STATUS__INIT;
	Tetragon__TracingPolicyStats st = TETRAGON__TRACING_POLICY_STATS__INIT;
	Tetragon__TracingPolicyActionCounters k = TETRAGON__TRACING_POLICY_ACTION_COUNTERS__INIT;
	Tetragon__TracingPolicyStatus *list[] = { &a, &b };
	char *sensors[] = { "generic_kprobe", "generic_lsm" };
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	a.id = 1;
	a.name = "block-shell-exec";
	a.state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_ENABLED;
	a.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE;
	a.n_sensors = 2;
	a.sensors = sensors;
	a.kernel_memory_bytes = 4458824;
	k.post = 7;
	k.signal = 2;
	k.override = 1;
	k.monitor_override = 4;
	st.action_counters = &k;
	a.stats = &st;
	b.id = 12;
	b.name = "d\xc3\xa9ny";
	b.namespace_ = "team-a";
	b.state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_LOAD_ERROR;
	b.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR;
	b.kernel_memory_bytes = 512;
	b.error = "p.yaml:3:5: spec.kprobes[0]: bad\n\x1b[31mred";
	r.policies = list;
	r.n_policies = 2;

	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(vigil_render_policies(out, &r), 0);
	assert_int_equal(fclose(out), 0);
	/* Columns padded by characters ("é" is one), the error escaped. */
	assert_string_equal(
		buf, "ID   NAME               NAMESPACE   STATE        MODE      SENSORS   "
		     "KERNELMEMORY   NPOST   NENFORCE   NMONITOR   ERROR\n"
		     "1    block-shell-exec   (global)    enabled      enforce   2         "
		     "4.46 MB        7       3          4          \n"
		     "12   d\xc3\xa9ny               team-a      load_error   monitor   0         "
		     "512 B          0       0          0          "
		     "\"p.yaml:3:5: spec.kprobes[0]: bad\\x0a\\x1b[31mred\"\n");
	free(buf);

	/* No policy: the header alone. */
	r.n_policies = 0;
	buf = NULL;
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(vigil_render_policies(out, &r), 0);
	assert_int_equal(fclose(out), 0);
	assert_string_equal(buf, "ID   NAME   NAMESPACE   STATE   MODE   SENSORS   KERNELMEMORY   "
				 "NPOST   NENFORCE   NMONITOR   ERROR\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_lines_agree),
		cmocka_unit_test(test_exit_lines_agree),
		cmocka_unit_test(test_escaping_agrees),
		cmocka_unit_test(test_integers_strings_paths_agree),
		cmocka_unit_test(test_bytes_creds_caps_agree),
		cmocka_unit_test(test_sockets_agree),
		cmocka_unit_test(test_kinds_and_actions_agree),
		cmocka_unit_test(test_monitor_mode_is_the_one_difference),
		cmocka_unit_test(test_pod_source_and_lost_events),
		cmocka_unit_test(test_incomplete_messages),
		cmocka_unit_test(test_policies_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
