// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * network.bpf.c - the built-in network sensor (--enable-network-events):
 * TCP connect, accept, listen and close, and UDP datagrams to or from a new
 * peer, each as the policy event a Tetragon example policy would give
 * (enum vigil_net_hook), on hooks every supported kernel has: a sockops
 * program and cgroup sock_addr programs at the cgroup v2 root, and the
 * accept system calls' exit tracepoints.
 *
 *   sockops(op):
 *       TCP_CONNECT_CB (connect(), the source port chosen): owner[sk] = the
 *           process; watch its states; event connect
 *       TCP_LISTEN_CB (listen()): owner[sk] = the process; watch; event listen
 *       PASSIVE_ESTABLISHED_CB (a connection for a listener, softirq): watch
 *       STATE_CB, new state CLOSE: event close as owner[sk] (any context),
 *           with bytes acked and received; forget owner[sk]
 *   sys_exit_accept, sys_exit_accept4 (ret = the new fd): its sock, TCP over
 *       IP: owner[sk] = the process; event accept
 *   cgroup sendmsg4/6, connect4/6 (UDP), recvmsg4/6: the peer; the first
 *       time this socket meets this peer in this direction (an LRU of them):
 *       event datagram
 *
 * Every program returns "allow": the sensor observes, policies enforce.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "vigil_abi.h"
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET	    2
#define AF_INET6    10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_CLOSE   7

struct owner {
	__u32 pid;
	__u32 pad;
	__u64 ktime; /* the process's start, as the process table has it */
};

/* Who owns a TCP socket (its connect, listen or accept), for its close,
 * which may come in any context.  Entries go at the close. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, __u64); /* struct sock * */
	__type(value, struct owner);
} sock_owner SEC(".maps");

struct peer_key {
	__u64 sk;
	__u8 addr[16];
	__u16 port;
	__u8 dir; /* 0 in, 1 out */
	__u8 pad[5];
};

/* UDP peers already reported, per socket and direction. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2048);
	__type(key, struct peer_key);
	__type(value, __u8);
} udp_peers SEC(".maps");

/* One event: the header and up to three arguments; a record without a
 * payload is followed directly by the next. */
struct net_ev {
	__u8 head[sizeof(struct vigil_policy_event)];
	struct vigil_arg_rec r0;
	struct vigil_sock_info sock;
	struct vigil_arg_rec r1;
	struct vigil_skb_info skb; /* datagram; close: its third record */
	struct vigil_arg_rec r2;
};
_Static_assert(sizeof(struct vigil_policy_event) % 8 == 0, "net_ev alignment");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct net_ev);
} net_scratch SEC(".maps");

/* common.bpf.h's path walker is not used here. */
static __always_inline struct rtl_bufs *rtl_bufs(void)
{
	return NULL;
}

static __always_inline struct net_ev *scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&net_scratch, &zero);
}

/* The current task (bpf_get_current_pid_tgid is not offered to sockops
 * programs on every kernel; bpf_get_current_task is). */
static __always_inline struct task_struct *current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* The current process as an owner. */
static __always_inline void current_owner(struct owner *o)
{
	__u32 tgid = BPF_CORE_READ(current_task(), tgid);
	struct vigil_proc_entry *pe = bpf_map_lookup_elem(&proc_table, &tgid);

	o->pid = tgid;
	o->pad = 0;
	o->ktime = pe ? pe->ktime : 0;
}

static __always_inline void arg_rec(struct vigil_arg_rec *r, __u8 slot, __u8 type, __u16 len,
				    __u64 num)
{
	r->slot = slot;
	r->type = type;
	r->len = len;
	r->flags = 0;
	r->num = num;
}

/* Send n's first bytes: the sock argument and nargs - 1 more of the sizes
 * the layout above gives. */
static __always_inline void send(struct net_ev *n, const struct owner *o, __u32 hook, __u16 nargs,
				 __u32 data_len)
{
	struct vigil_policy_event *ev = (void *)n->head;

	ev->hdr.type = VIGIL_MSG_POLICY;
	ev->hdr.pad = 0;
	ev->hdr.ktime = bpf_ktime_get_ns();
	ev->hdr.size = sizeof(*ev) + data_len;
	ev->proc.pid = o->pid;
	ev->proc.pad = 0;
	ev->proc.ktime = o->ktime;
	ev->tid = BPF_CORE_READ(current_task(), pid);
	ev->hook = VIGIL_NET_HOOK(hook);
	ev->action = VIGIL_ACTION_POST;
	ev->flags = 0;
	ev->error = 0;
	ev->nargs = nargs;
	ev->data_len = data_len;
	if (bpf_ringbuf_output(&events, n, sizeof(*ev) + data_len, rb_flags()))
		stat_inc(VIGIL_STAT_LOST_POLICY);
	else
		stat_inc(VIGIL_STAT_POLICY);
}

#define SOCK_ONLY (sizeof(struct vigil_arg_rec) + sizeof(struct vigil_sock_info))

/* An event whose first argument is sk's socket as read now. */
static __always_inline struct net_ev *sock_event(struct sock *sk)
{
	struct net_ev *n = scratch();

	if (!n)
		return NULL;
	__builtin_memset(&n->sock, 0, sizeof(n->sock));
	sock_info(sk, &n->sock);
	arg_rec(&n->r0, 0, VIGIL_AT_SOCK, sizeof(n->sock), 0);
	return n;
}

SEC("sockops")
int vigil_net_sockops(struct bpf_sock_ops *ctx)
{
	struct owner o, *known;
	struct net_ev *n;
	struct sock *sk;
	__u64 key;
	__u32 op = ctx->op;

	if (ctx->family != AF_INET && ctx->family != AF_INET6)
		return 1;
	if (op != BPF_SOCK_OPS_TCP_CONNECT_CB && op != BPF_SOCK_OPS_TCP_LISTEN_CB &&
	    op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB && op != BPF_SOCK_OPS_STATE_CB)
		return 1;
	if (!ctx->sk)
		return 1;
	sk = plain_sock(ctx->sk);
	key = (__u64)sk;
	if (op == BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB) { /* its close is wanted */
		bpf_sock_ops_cb_flags_set(ctx,
					  ctx->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG);
		return 1;
	}
	if (op == BPF_SOCK_OPS_STATE_CB) {
		if (ctx->args[1] != TCP_CLOSE)
			return 1;
		known = bpf_map_lookup_elem(&sock_owner, &key);
		if (!known)
			return 1; /* not one we reported (or its owner is gone) */
		o = *known;
		bpf_map_delete_elem(&sock_owner, &key);
		n = sock_event(sk);
		if (!n)
			return 1;
		arg_rec(&n->r1, 1, VIGIL_AT_INT, 0, ctx->bytes_acked);
		/* the third record follows the second directly: no payload */
		arg_rec((struct vigil_arg_rec *)&n->skb, 2, VIGIL_AT_INT, 0, ctx->bytes_received);
		send(n, &o, VIGIL_NET_CLOSE, 3, SOCK_ONLY + 2 * sizeof(struct vigil_arg_rec));
		return 1;
	}
	/* connect() or listen(), in the calling process */
	current_owner(&o);
	bpf_map_update_elem(&sock_owner, &key, &o, BPF_ANY);
	bpf_sock_ops_cb_flags_set(ctx, ctx->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG);
	n = sock_event(sk);
	if (n)
		send(n, &o,
		     op == BPF_SOCK_OPS_TCP_CONNECT_CB ? VIGIL_NET_CONNECT : VIGIL_NET_LISTEN, 1,
		     SOCK_ONLY);
	return 1;
}

/* accept() returned fd: the new connection's socket, in the process. */
static __always_inline void accepted(long fd)
{
	struct task_struct *task = current_task();
	struct file *file;
	struct socket *sock;
	struct net_ev *n;
	struct owner o;
	struct sock *sk;
	__u64 key;
	__u16 family;

	if (fd < 0)
		return;
	file = fd_file(task, (__u64)fd);
	if (!file)
		return;
	sock = BPF_CORE_READ(file, private_data);
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return;
	current_owner(&o);
	key = (__u64)sk;
	bpf_map_update_elem(&sock_owner, &key, &o, BPF_ANY);
	n = sock_event(sk);
	if (!n)
		return;
	arg_rec(&n->r1, 1, VIGIL_AT_INT, 0, 1 /* TCP_ESTABLISHED */);
	send(n, &o, VIGIL_NET_ACCEPT, 2, SOCK_ONLY + sizeof(struct vigil_arg_rec));
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int vigil_net_accept4(struct trace_event_raw_sys_exit *ctx)
{
	accepted(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int vigil_net_accept(struct trace_event_raw_sys_exit *ctx)
{
	accepted(ctx->ret);
	return 0;
}

/* A UDP datagram to (out) or from (!out) peer:port: reported the first
 * time this socket meets this peer in this direction. */
static __always_inline void datagram(struct bpf_sock_addr *ctx, const __u8 *peer, bool out)
{
	struct peer_key k = {};
	struct net_ev *n;
	struct owner o;
	struct sock *sk;
	__u8 one = 1;

	if (ctx->protocol != IPPROTO_UDP || !ctx->sk)
		return;
	sk = plain_sock(ctx->sk);
	k.sk = (__u64)sk;
	__builtin_memcpy(k.addr, peer, 16);
	k.port = bpf_ntohs((__u16)ctx->user_port);
	k.dir = out;
	if (bpf_map_update_elem(&udp_peers, &k, &one, BPF_NOEXIST))
		return; /* met before */
	n = sock_event(sk);
	if (!n)
		return;
	/* the skb: the datagram's addresses and ports, as far as known here */
	__builtin_memset(&n->skb, 0, sizeof(n->skb));
	n->skb.family = ctx->family;
	n->skb.protocol = IPPROTO_UDP;
	if (out) {
		__builtin_memcpy(n->skb.saddr, n->sock.saddr, 16);
		n->skb.sport = n->sock.sport;
		__builtin_memcpy(n->skb.daddr, peer, 16);
		n->skb.dport = k.port;
	} else {
		__builtin_memcpy(n->skb.saddr, peer, 16);
		n->skb.sport = k.port;
		__builtin_memcpy(n->skb.daddr, n->sock.saddr, 16);
		n->skb.dport = n->sock.sport;
	}
	arg_rec(&n->r1, 1, VIGIL_AT_SKB, sizeof(n->skb), 0);
	arg_rec(&n->r2, 2, VIGIL_AT_INT, 0, out); /* CGROUP_INET_INGRESS 0, EGRESS 1 */
	current_owner(&o);
	send(n, &o, VIGIL_NET_DATAGRAM, 3, sizeof(struct net_ev) - sizeof(n->head));
}

static __always_inline void peer4(struct bpf_sock_addr *ctx, bool out)
{
	__u8 a[16];

	v4_mapped(a, ctx->user_ip4);
	datagram(ctx, a, out);
}

static __always_inline void peer6(struct bpf_sock_addr *ctx, bool out)
{
	__u8 a[16];

	user_ip6(ctx, a);
	datagram(ctx, a, out);
}

SEC("cgroup/sendmsg4")
int vigil_net_send4(struct bpf_sock_addr *ctx)
{
	peer4(ctx, true);
	return 1;
}

SEC("cgroup/sendmsg6")
int vigil_net_send6(struct bpf_sock_addr *ctx)
{
	peer6(ctx, true);
	return 1;
}

/* connect() on a UDP socket names its peer too (TCP's is sockops'). */
SEC("cgroup/connect4")
int vigil_net_connect4(struct bpf_sock_addr *ctx)
{
	peer4(ctx, true);
	return 1;
}

SEC("cgroup/connect6")
int vigil_net_connect6(struct bpf_sock_addr *ctx)
{
	peer6(ctx, true);
	return 1;
}

SEC("cgroup/recvmsg4")
int vigil_net_recv4(struct bpf_sock_addr *ctx)
{
	peer4(ctx, false);
	return 1;
}

SEC("cgroup/recvmsg6")
int vigil_net_recv6(struct bpf_sock_addr *ctx)
{
	peer6(ctx, false);
	return 1;
}
