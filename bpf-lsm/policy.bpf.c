// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * policy.bpf.c - one compiled hook of a TracingPolicy.
 *
 * The agent opens this object once per hook, writes the hook's
 * configuration (struct vigil_hook_cfg) into its read-only data, enables
 * the one entry program that fits how the hook runs, and hands it the
 * shared maps (process table, binaries, value sets, policy state, ring
 * buffer).  The verifier sees the configuration as constants, so selectors
 * and filters the hook does not use cost nothing.
 *
 *   hook(ctx):
 *       state = policy_state[cfg.policy]; not enabled -> allow
 *       scoped to pods (cfg) and the task's cgroup not in
 *                    policy_scope[policy] -> allow
 *       no selectors -> read every argument, post, allow
 *       candidates = selectors whose process filters pass: matchPIDs,
 *                    matchNamespaces, matchCapabilities, matchBinaries,
 *                    matchParentBinaries (with followForks/followChildren:
 *                    or an ancestor's), and for an Equal on a path the
 *                    file's name among the values' last components
 *       none -> allow                      (most calls end here, unwalked)
 *       read every argument: integers; paths walked in the kernel (file,
 *                    path, fd, dentry, linux_binprm with its filename as
 *                    invoked); strings and char_buf; cred; sock, sockaddr,
 *                    skb (IP header and ports)
 *       sel = first candidate whose matchArgs all pass (string sets:
 *             equal/prefix/postfix; integer sets with ranges, GT/LT/Mask;
 *             socket addresses as CIDR sets, ports, protocol, family; Not
 *             forms negate)
 *       none -> allow
 *       monitor mode: report the actions, take none
 *       Sigkill/Signal: bpf_send_signal
 *       Post: emit one event, unless rateLimit saw these values lately
 *       Override (LSM): return the errno, else allow
 *
 * Entry programs: lsm (any BPF-LSM hook; target set at load), kprobe (a
 * kernel function, or a syscall whose arguments sit in the inner pt_regs;
 * with return: true it only keeps the arguments for kretprobe, which runs
 * the hook with the return value as one more argument),
 * tracepoint (fields at offsets of the record), raw_tp (a raw tracepoint's
 * arguments, as a kprobe's), cgroup connect4/connect6 (a connect hook
 * where neither BPF-LSM nor kprobes exist: the address asked for), and
 * tp_btf/sched_process_exec, standing in for an exec hook where neither
 * BPF-LSM nor kprobes exist: the new image has not run an instruction yet.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "vigil_abi.h"
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile struct vigil_hook_cfg cfg = {};

#define EV_DATA	 8192 /* event data area (power of two) */
#define ARG_STR2 VIGIL_STR_MAX

/* One argument as read. */
struct arg_slot {
	__u64 num;  /* integers; char_buf: the size the caller gave */
	__u32 len;  /* strlen(s); char_buf, cred, sock: the bytes in s */
	__u32 len2; /* strlen(s2) */
	__u32 trunc;
	__u32 has2; /* s2 holds a second name (bprm->filename) */
	char s[VIGIL_PATH_BUF];
	char s2[ARG_STR2];
};

/* Post rateLimit: when a selector last posted for these values. */
struct rate_key {
	__u32 hook;
	__u32 sel;
	__u32 scope; /* tid, tgid, or 0 (rateLimitScope) */
	__u32 pad;
	__u64 hash; /* of the argument values */
};

/* The address a cgroup connect hook is connecting to. */
struct conn_dest {
	__u16 family;
	__u16 port; /* host order */
	__u32 pad;
	__u8 addr[16]; /* IPv4 as IPv4-mapped IPv6 */
};

struct pol_scratch {
	struct rtl_bufs rtl;
	struct conn_dest conn;
	__u64 val[VIGIL_HOOK_ARGS]; /* each slot's value (slot_values()) */
	struct vigil_str_key skey;
	struct vigil_num_key nkey;
	struct rate_key rkey;
	char tail[VIGIL_STR_MAX]; /* the end of a string, for a postfix lookup */
	struct arg_slot slot[VIGIL_HOOK_ARGS];
	__u32 ns[VIGIL_NS_COUNT];
	char ev[sizeof(struct vigil_policy_event) + EV_DATA + sizeof(struct vigil_arg_rec) +
		VIGIL_PATH_BUF];
};

/* Shared by every policy program (the agent reuses one map): memory per
 * CPU, not per policy.  Slot 0 is for the LSM and tracepoint programs, slot
 * 1 for kprobes: a kprobe firing in an interrupt while an LSM program runs
 * on the CPU must not clobber its scratch, and kprobe programs do not nest
 * among themselves (the kernel runs no kprobe program while another
 * tracing program runs on that CPU). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct pol_scratch);
} pol_scratch SEC(".maps");

/* Shared by every policy program too: 4,096 recent (selector, scope,
 * values) posts, least recently used forgotten first. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct rate_key);
	__type(value, __u64);
} rate_limit SEC(".maps");

/* A return probe's arguments, from the call to its return, by thread and
 * hook; shared by every policy program. */
struct ret_key {
	__u32 tid;
	__u32 hook;
};
struct ret_args {
	__u64 raw[VIGIL_HOOK_ARGS];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct ret_key);
	__type(value, struct ret_args);
} ret_stash SEC(".maps");

static __always_inline struct pol_scratch *scratch(void)
{
	__u32 slot = cfg.attach == VIGIL_ATTACH_KPROBE || cfg.attach == VIGIL_ATTACH_KPROBE_SYSCALL;

	return bpf_map_lookup_elem(&pol_scratch, &slot);
}

static __always_inline struct rtl_bufs *rtl_bufs(void)
{
	struct pol_scratch *s = scratch();

	return s ? &s->rtl : NULL;
}

/* --- reading arguments ---------------------------------------------------- */

/*
 * Each entry program copies the raw values of the function's arguments into
 * an array first, in its own body: context accesses stay at constant
 * offsets there, where the verifier wants them.
 */
#define RAW_ARGS VIGIL_HOOK_ARGS

static __always_inline void kprobe_args(struct pt_regs *ctx, __u64 *a)
{
	if (cfg.attach == VIGIL_ATTACH_KPROBE_SYSCALL) {
		struct pt_regs *regs = (struct pt_regs *)PT_REGS_PARM1(ctx);

		a[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
		a[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
		a[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
		a[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
		a[4] = PT_REGS_PARM5_CORE_SYSCALL(regs);
	} else {
		a[0] = PT_REGS_PARM1(ctx);
		a[1] = PT_REGS_PARM2(ctx);
		a[2] = PT_REGS_PARM3(ctx);
		a[3] = PT_REGS_PARM4(ctx);
		a[4] = PT_REGS_PARM5(ctx);
	}
}

/* The value of an argument slot (run_hook() fills val by slot). */
static __always_inline __u64 raw_arg(const __u64 *val, __u32 slot)
{
	return val[slot & (VIGIL_HOOK_ARGS - 1)];
}

/* resolve: follow the field path's pointers from v, then read the last
 * field (1 to 8 bytes). */
static __always_inline __u64 resolve(__u64 v, const volatile struct vigil_resolve *r)
{
	__u32 size = ((r->size - 1) & 7) + 1;
	__u64 out = 0;
	int i;

#pragma unroll
	for (i = 0; i < VIGIL_RESOLVE_MAX; i++) {
		if (i >= r->n)
			break;
		if (i + 1 == r->n) { /* the field */
			bpf_probe_read_kernel(&out, size, (void *)(v + r->off[i]));
			break;
		}
		if (bpf_probe_read_kernel(&v, sizeof(v), (void *)(v + r->off[i])))
			break;
	}
	return out;
}

/* Each slot's value: the raw argument its index names, resolved. */
static __always_inline void slot_values(const __u64 *raw, __u64 *val)
{
	int i;

#pragma unroll
	for (i = 0; i < VIGIL_HOOK_ARGS; i++) {
		__u8 index = cfg.args[i].index;
		__u64 v;

		val[i] = 0;
		if (i >= cfg.nargs)
			continue;
		v = index < RAW_ARGS ? raw[index] : 0;
		if (cfg.res[i].n)
			v = resolve(v, &cfg.res[i]);
		val[i] = v;
	}
}

/* The dentry (and mount, NULL for a dentry argument) a path-like argument
 * names; false for other types. */
static __always_inline bool arg_dentry(const __u64 *raw, __u32 slot, struct task_struct *task,
				       struct dentry **dentry, struct vfsmount **mnt)
{
	const volatile struct vigil_hook_arg *ha = &cfg.args[slot & (VIGIL_HOOK_ARGS - 1)];
	__u64 v = raw_arg(raw, slot);
	struct file *file = NULL;

	*mnt = NULL;
	switch (ha->type) {
	case VIGIL_AT_FILE:
		file = (void *)v;
		break;
	case VIGIL_AT_FD:
		file = fd_file(task, v);
		break;
	case VIGIL_AT_LINUX_BINPRM:
		file = BPF_CORE_READ((struct linux_binprm *)v, file);
		break;
	case VIGIL_AT_PATH:
		*dentry = BPF_CORE_READ((struct path *)v, dentry);
		*mnt = BPF_CORE_READ((struct path *)v, mnt);
		return true;
	case VIGIL_AT_DENTRY:
		*dentry = (void *)v;
		return true;
	default:
		return false;
	}
	*dentry = BPF_CORE_READ(file, f_path.dentry);
	*mnt = BPF_CORE_READ(file, f_path.mnt);
	return true;
}

/* Copy the path that rtl_path() left at pos into a slot. */
static __always_inline void take_path(struct pol_scratch *s, struct arg_slot *a, __u32 pos,
				      __u32 trunc)
{
	__u32 len = VIGIL_PATH_BUF - 1 - pos;

	barrier_var(len);
	len &= VIGIL_PATH_BUF - 1;
	bpf_probe_read_kernel(a->s, len, &s->rtl.path[pos & (VIGIL_PATH_BUF - 1)]);
	a->s[len] = 0;
	a->len = len;
	a->trunc = trunc;
}

/* A string into a->s: user memory when the compiler says so (a syscall's
 * arguments), else kernel memory, or user memory when that read fails (a
 * kernel function handed a __user pointer). */
static __always_inline void read_str(struct arg_slot *a, const volatile struct vigil_hook_arg *ha,
				     __u64 v)
{
	long n = -1;

	if (!(ha->flags & VIGIL_ARG_F_USER))
		n = bpf_probe_read_kernel_str(a->s, sizeof(a->s), (void *)v);
	if (n < 0)
		n = bpf_probe_read_user_str(a->s, sizeof(a->s), (void *)v);
	if (n < 1) {
		a->s[0] = 0;
		n = 1;
	}
	a->len = (n - 1) & (VIGIL_PATH_BUF - 1);
	a->trunc = n == sizeof(a->s);
}

/* char_buf: as many bytes as the size argument says, up to the slot. */
static __always_inline void read_buf(struct arg_slot *a, const volatile struct vigil_hook_arg *ha,
				     const __u64 *raw, __u64 v)
{
	__u64 size = ha->size_slot ? raw_arg(raw, ha->size_slot - 1) : 0;
	__u32 n;

	a->num = size;
	n = size > VIGIL_PATH_BUF - 1 ? VIGIL_PATH_BUF - 1 : size;
	a->trunc = size > n;
	barrier_var(n);
	n &= VIGIL_PATH_BUF - 1;
	if ((ha->flags & VIGIL_ARG_F_USER) || bpf_probe_read_kernel(a->s, n, (void *)v))
		bpf_probe_read_user(a->s, n, (void *)v);
	a->s[n] = 0;
	a->len = n;
}

/* sock / socket: family, protocol, addresses, ports, state. */
static __always_inline void read_sock(struct arg_slot *a, const volatile struct vigil_hook_arg *ha,
				      __u64 v)
{
	struct vigil_sock_info *si = (void *)a->s;
	struct sock *sk = (void *)v;

	__builtin_memset(si, 0, sizeof(*si));
	if (ha->flags & VIGIL_ARG_F_SOCKET)
		sk = BPF_CORE_READ((struct socket *)v, sk);
	a->len = sizeof(*si);
	if (!sk)
		return;
	sock_info(sk, si);
	if (ha->flags & VIGIL_ARG_F_DEST) { /* before the connect: the peer it asks for */
		struct pol_scratch *s = scratch();

		if (s) {
			__builtin_memcpy(si->daddr, s->conn.addr, 16);
			si->dport = s->conn.port;
		}
	}
}

/* sockaddr: its family, address and port, as the source side. */
static __always_inline void read_sockaddr(struct arg_slot *a,
					  const volatile struct vigil_hook_arg *ha, __u64 v)
{
	struct vigil_sock_info *si = (void *)a->s;
	bool user = ha->flags & VIGIL_ARG_F_USER;
	struct sockaddr_in6 sa = {};
	__u32 size = sizeof(struct sockaddr_in);

	__builtin_memset(si, 0, sizeof(*si));
	a->len = sizeof(*si);
	if (cfg.attach == VIGIL_ATTACH_CGROUP_CONNECT) { /* the connect's address */
		struct pol_scratch *s = scratch();

		if (s) {
			si->family = s->conn.family;
			si->sport = s->conn.port;
			__builtin_memcpy(si->saddr, s->conn.addr, 16);
		}
		return;
	}
	/* the short form first: a caller's sockaddr_in may end a page */
	if (user || bpf_probe_read_kernel(&sa, size, (void *)v)) {
		user = true;
		bpf_probe_read_user(&sa, size, (void *)v);
	}
	if (sa.sin6_family == 10 /* AF_INET6 */) {
		size = sizeof(sa);
		if (user)
			bpf_probe_read_user(&sa, size, (void *)v);
		else
			bpf_probe_read_kernel(&sa, size, (void *)v);
	}
	si->family = sa.sin6_family;
	si->sport = bpf_ntohs(sa.sin6_port); /* sin_port sits at the same place */
	if (si->family == 10 /* AF_INET6 */)
		__builtin_memcpy(si->saddr, &sa.sin6_addr, 16);
	else if (si->family == 2 /* AF_INET */)
		v4_mapped(si->saddr, ((struct sockaddr_in *)&sa)->sin_addr.s_addr);
}

/* Past IPv6 extension headers (hop-by-hop, routing, fragment, AH,
 * destination options), at most 4: the transport protocol and its offset
 * from head.  A bounded loop of 4 small steps. */
static __always_inline __u8 ip6_transport(unsigned char *head, __u32 *off, __u8 next)
{
	__u8 h[2];
	int i;

	for (i = 0; i < 4; i++) {
		if (next != 0 && next != 43 && next != 44 && next != 51 && next != 60)
			break;
		if (bpf_probe_read_kernel(h, sizeof(h), head + *off))
			break;
		if (next == 44) /* fragment: fixed size */
			*off += 8;
		else if (next == 51) /* AH: in 4-byte units, minus 2 */
			*off += ((__u32)h[1] + 2) * 4;
		else
			*off += ((__u32)h[1] + 1) * 8;
		next = h[0];
	}
	return next;
}

/* skb: IP version, addresses and protocol from its network header, and the
 * ports after it for TCP and UDP; length, hash, mark, priority. */
static __always_inline void read_skb(struct arg_slot *a, __u64 v)
{
	struct vigil_skb_info *si = (void *)a->s;
	struct sk_buff *skb = (void *)v;
	struct ipv6hdr ip6;
	struct iphdr ip;
	unsigned char *head;
	__u16 ports[2];
	__u32 nh, l4;
	__u8 ver;

	__builtin_memset(si, 0, sizeof(*si));
	a->len = sizeof(*si);
	if (!skb)
		return;
	si->len = BPF_CORE_READ(skb, len);
	si->hash = BPF_CORE_READ(skb, hash);
	si->mark = BPF_CORE_READ(skb, mark);
	si->priority = BPF_CORE_READ(skb, priority);
	head = BPF_CORE_READ(skb, head);
	nh = BPF_CORE_READ(skb, network_header);
	if (nh == 0xffff /* not set */ || bpf_probe_read_kernel(&ver, 1, head + nh))
		return;
	if (ver >> 4 == 4) {
		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh))
			return;
		si->family = 2 /* AF_INET */;
		si->protocol = ip.protocol;
		v4_mapped(si->saddr, ip.saddr);
		v4_mapped(si->daddr, ip.daddr);
		l4 = nh + (ver & 0xf) * 4;
	} else if (ver >> 4 == 6) {
		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh))
			return;
		si->family = 10 /* AF_INET6 */;
		__builtin_memcpy(si->saddr, &ip6.saddr, 16);
		__builtin_memcpy(si->daddr, &ip6.daddr, 16);
		l4 = nh + sizeof(ip6);
		si->protocol = ip6_transport(head, &l4, ip6.nexthdr);
	} else {
		return;
	}
	if ((si->protocol == 6 /* TCP */ || si->protocol == 17 /* UDP */) &&
	    !bpf_probe_read_kernel(ports, sizeof(ports), head + l4)) {
		si->sport = bpf_ntohs(ports[0]);
		si->dport = bpf_ntohs(ports[1]);
	}
}

static __always_inline void read_arg(struct pol_scratch *s, const __u64 *raw, __u32 slot,
				     struct task_struct *task)
{
	const volatile struct vigil_hook_arg *ha = &cfg.args[slot & (VIGIL_HOOK_ARGS - 1)];
	struct arg_slot *a = &s->slot[slot & (VIGIL_HOOK_ARGS - 1)];
	__u64 v = raw_arg(raw, slot);
	struct dentry *dentry;
	struct vfsmount *mnt;
	__u32 trunc = 0, pos;
	long n;

	a->num = 0;
	a->len = 0;
	a->len2 = 0;
	a->trunc = 0;
	a->has2 = 0;
	a->s[0] = 0;
	switch (ha->type) {
	case VIGIL_AT_INT:
	case VIGIL_AT_CAPABILITY:
		if (ha->width == 4)
			v = (ha->flags & VIGIL_ARG_F_SIGNED) ? (__u64)(__s64)(__s32)v : (__u32)v;
		else if (ha->width == 2)
			v = (ha->flags & VIGIL_ARG_F_SIGNED) ? (__u64)(__s64)(__s16)v : (__u16)v;
		else if (ha->width == 1)
			v = (ha->flags & VIGIL_ARG_F_SIGNED) ? (__u64)(__s64)(__s8)v : (__u8)v;
		a->num = v;
		break;
	case VIGIL_AT_LINUX_BINPRM:
	case VIGIL_AT_FILE:
	case VIGIL_AT_PATH:
	case VIGIL_AT_FD:
	case VIGIL_AT_DENTRY:
		if (ha->type == VIGIL_AT_FD)
			a->num = v;
		if (!arg_dentry(raw, slot, task, &dentry, &mnt) || !dentry)
			break;
		pos = rtl_path(task, dentry, mnt, &trunc);
		take_path(s, a, pos, trunc);
		if (ha->type != VIGIL_AT_LINUX_BINPRM)
			break;
		n = bpf_probe_read_kernel_str(a->s2, sizeof(a->s2),
					      BPF_CORE_READ((struct linux_binprm *)v, filename));
		if (n > 1) {
			a->len2 = n - 1;
			a->has2 = 1;
		}
		break;
	case VIGIL_AT_STRING:
		read_str(a, ha, v);
		break;
	case VIGIL_AT_CHAR_BUF:
		read_buf(a, ha, raw, v);
		break;
	case VIGIL_AT_CRED:
		read_cred((const struct cred *)v, (struct vigil_creds *)a->s);
		a->len = sizeof(struct vigil_creds);
		break;
	case VIGIL_AT_SOCK:
		read_sock(a, ha, v);
		break;
	case VIGIL_AT_SOCKADDR:
		read_sockaddr(a, ha, v);
		break;
	case VIGIL_AT_SKB:
		read_skb(a, v);
		break;
	}
}

/* --- value sets ----------------------------------------------------------- */

/* skey.s[i] = tail[n - 1 - i]: the tail reversed, for a postfix lookup.
 * Indexes only, masked: no pointer arithmetic for old verifiers to refuse. */
static long rev_step(__u64 i, void *ctx)
{
	__u32 n = *(__u32 *)ctx;
	struct pol_scratch *s;

	if (i >= n)
		return 1;
	s = scratch();
	if (!s)
		return 1;
	s->skey.s[i & 0xff] = s->tail[(n - 1 - i) & 0xff];
	return 0;
}

/* Is string str (len bytes, NUL-terminated) in set, by kind? */
static __always_inline bool str_in_set(struct pol_scratch *s, __u8 kind, __u32 set, const char *str,
				       __u32 len)
{
	struct vigil_str_key *k = &s->skey;
	__u32 n;

	k->set = set;
	len &= VIGIL_PATH_BUF - 1;
	switch (kind) {
	case VIGIL_MK_STR_EQ:
		if (len > VIGIL_KEY_STR - 1)
			return false; /* longer than any value */
		n = len + 1;	      /* with the NUL: only the equal entry matches */
		barrier_var(n);
		n &= 255;
		bpf_probe_read_kernel(k->s, n, str);
		break;
	case VIGIL_MK_STR_PREFIX:
		n = len > VIGIL_KEY_STR - 1 ? VIGIL_KEY_STR - 1 : len;
		barrier_var(n);
		n &= 255;
		bpf_probe_read_kernel(k->s, n, str);
		break;
	case VIGIL_MK_STR_POSTFIX:
		n = len > VIGIL_KEY_STR - 1 ? VIGIL_KEY_STR - 1 : len;
		if (!n)
			return false;
		barrier_var(n);
		n &= 0xff;
		bpf_probe_read_kernel(s->tail, n, str + (len - n));
		bpf_loop(VIGIL_KEY_STR - 1, rev_step, &n, 0);
		break;
	default:
		return false;
	}
	k->prefixlen = 32 + 8 * n;
	return bpf_map_lookup_elem(&str_sets, k) != NULL;
}

static __always_inline bool num_in_set(struct pol_scratch *s, __u32 set, __u64 v)
{
	struct vigil_num_key *k = &s->nkey;
	int i;

	k->prefixlen = 32 + 64;
	k->set = set;
	for (i = 0; i < 8; i++)
		k->v[i] = v >> (56 - 8 * i);
	return bpf_map_lookup_elem(&num_sets, k) != NULL;
}

/* An address (16 bytes, IPv4 mapped) in a set of CIDRs. */
static __always_inline bool addr_in_set(struct pol_scratch *s, __u32 set, const __u8 *addr)
{
	struct vigil_num_key *k = &s->nkey;

	k->prefixlen = 32 + 128;
	k->set = set;
	__builtin_memcpy(k->v, addr, 16);
	return bpf_map_lookup_elem(&num_sets, k) != NULL;
}

/* --- filters ---------------------------------------------------------------- */

static __always_inline bool match_str_arg(struct pol_scratch *s, const struct arg_slot *a,
					  __u8 kind, __u32 set)
{
	/* A binprm matches on its resolved path or on the name it was
	 * invoked by: a positive test passes if either does. */
	if (str_in_set(s, kind, set, a->s, a->len))
		return true;
	return a->has2 && str_in_set(s, kind, set, a->s2, a->len2);
}

static __always_inline bool match_sock(struct pol_scratch *s, const struct arg_slot *a,
				       const volatile struct vigil_sel_arg *f)
{
	const struct vigil_sock_info *si = (const void *)a->s;

	switch (f->kind) {
	case VIGIL_MK_SADDR:
		return addr_in_set(s, f->set, si->saddr);
	case VIGIL_MK_DADDR:
		return addr_in_set(s, f->set, si->daddr);
	case VIGIL_MK_SPORT:
		return num_in_set(s, f->set, si->sport);
	case VIGIL_MK_DPORT:
		return num_in_set(s, f->set, si->dport);
	case VIGIL_MK_PROTOCOL:
		return num_in_set(s, f->set, si->protocol);
	case VIGIL_MK_FAMILY:
		return num_in_set(s, f->set, si->family);
	}
	return false;
}

static __always_inline bool match_arg(struct pol_scratch *s, const volatile struct vigil_sel_arg *f)
{
	const struct arg_slot *a = &s->slot[f->slot & (VIGIL_HOOK_ARGS - 1)];
	bool signed_arg = cfg.args[f->slot & (VIGIL_HOOK_ARGS - 1)].flags & VIGIL_ARG_F_SIGNED;
	bool m = false;

	switch (f->kind) {
	case VIGIL_MK_STR_EQ:
	case VIGIL_MK_STR_PREFIX:
	case VIGIL_MK_STR_POSTFIX:
		m = match_str_arg(s, a, f->kind, f->set);
		break;
	case VIGIL_MK_INT_EQ:
		m = num_in_set(s, f->set, a->num);
		break;
	case VIGIL_MK_INT_GT:
		m = signed_arg ? (__s64)a->num > (__s64)f->value : a->num > f->value;
		break;
	case VIGIL_MK_INT_LT:
		m = signed_arg ? (__s64)a->num < (__s64)f->value : a->num < f->value;
		break;
	case VIGIL_MK_INT_MASK:
		m = (a->num & f->value) != 0;
		break;
	case VIGIL_MK_SADDR:
	case VIGIL_MK_DADDR:
	case VIGIL_MK_SPORT:
	case VIGIL_MK_DPORT:
	case VIGIL_MK_PROTOCOL:
	case VIGIL_MK_FAMILY:
		m = match_sock(s, a, f);
		break;
	}
	return f->negate ? !m : m;
}

/* The last '/' of s->tail's n bytes, scanning back from the end (a
 * file name's last component is short: a few steps). */
struct slash_scan {
	__u32 n;
	__u32 pos; /* where the last component starts */
};

static long slash_step(__u64 i, void *ctx)
{
	struct slash_scan *sc = ctx;
	struct pol_scratch *s;
	__u32 j;

	if (i >= sc->n)
		return 1;
	s = scratch();
	if (!s)
		return 1;
	j = (sc->n - 1 - (__u32)i) & (VIGIL_STR_MAX - 1);
	if (s->tail[j] != '/')
		return 0;
	sc->pos = j + 1;
	return 1;
}

/* Is the last component of exec's file name as invoked (bprm->filename)
 * in set? */
static __always_inline bool invoked_leaf_in(struct pol_scratch *s, struct linux_binprm *bprm,
					    __u32 set)
{
	struct vigil_str_key *k = &s->skey;
	struct slash_scan sc = {};
	__u32 len;
	long n;

	n = bpf_probe_read_kernel_str(s->tail, sizeof(s->tail), BPF_CORE_READ(bprm, filename));
	if (n < 2)
		return true; /* unknown: let the full test decide */
	sc.n = (__u32)(n - 1) & (VIGIL_STR_MAX - 1);
	bpf_loop(VIGIL_STR_MAX, slash_step, &sc, 0);
	len = sc.n - sc.pos + 1; /* with the NUL */
	if (sc.pos > sc.n || len > VIGIL_KEY_STR)
		return false; /* longer than any value's */
	barrier_var(len);
	len &= 0xff;
	bpf_probe_read_kernel(k->s, len, &s->tail[sc.pos & (VIGIL_STR_MAX - 1)]);
	k->set = set;
	k->prefixlen = 32 + 8 * len;
	return bpf_map_lookup_elem(&str_sets, k) != NULL;
}

/*
 * Before any argument is read: an Equal filter on a path-like argument
 * has, in f->value, the set of its values' last components.  A file whose
 * name is not among them cannot match, and its path is never walked: the
 * common case (most files a hook sees) costs a name lookup.  A linux_binprm
 * also matches by the name exec was given: its last component is tested
 * too when the file's is not among them.
 */
static __always_inline bool leaf_may_match(struct pol_scratch *s, const __u64 *raw,
					   const volatile struct vigil_sel_arg *f,
					   struct task_struct *task)
{
	const volatile struct vigil_hook_arg *ha = &cfg.args[f->slot & (VIGIL_HOOK_ARGS - 1)];
	struct vigil_str_key *k = &s->skey;
	struct dentry *dentry = NULL;
	struct vfsmount *mnt;
	long n;

	if (f->kind != VIGIL_MK_STR_EQ || f->negate || !f->value)
		return true;
	if (!arg_dentry(raw, f->slot, task, &dentry, &mnt) || !dentry)
		return true;
	/* A mount's root takes its name from where it is mounted. */
	if (mnt && dentry == BPF_CORE_READ(mnt, mnt_root))
		return true;
	n = bpf_probe_read_kernel_str(k->s, VIGIL_KEY_STR, BPF_CORE_READ(dentry, d_name.name));
	if (n < 1)
		return true;
	k->set = (__u32)f->value;
	k->prefixlen = 32 + 8 * (__u32)(n & 0xff);
	if (bpf_map_lookup_elem(&str_sets, k))
		return true;
	if (ha->type != VIGIL_AT_LINUX_BINPRM)
		return false;
	return invoked_leaf_in(s, (struct linux_binprm *)raw_arg(raw, f->slot), (__u32)f->value);
}

/* followChildren and followForks: the ancestors of a process, parent by
 * parent (task->real_parent), up to VIGIL_FOLLOW_DEPTH. */
struct follow {
	__u64 task; /* struct task_struct *: whose parent is looked at next */
	__u32 set;  /* the filter's value set */
	__u8 kind;  /* a binary filter's kind; 0: a pid filter */
	__u8 ns;    /* a pid filter: pids as their namespace sees them */
	__u16 pad;
	__u32 found;
	__u32 pad2;
};

static __always_inline bool bin_matches(struct pol_scratch *s, __u8 kind, __u32 set, __u32 tgid,
					bool prev)
{
	struct vigil_proc_bin *b = bpf_map_lookup_elem(&proc_bins, &tgid);

	if (!b)
		return false;
	if (prev)
		return str_in_set(s, kind, set, b->prev, b->prev_len);
	return str_in_set(s, kind, set, b->cur, b->cur_len);
}

/* The process's id in its own pid namespace (isNamespacePID). */
static __always_inline __u32 ns_tgid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, group_leader, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	__u32 nr = 0;

	bpf_probe_read_kernel(&nr, sizeof(nr),
			      (char *)pid + bpf_core_field_offset(struct pid, numbers) +
				      (__u64)(level & 31) * bpf_core_type_size(struct upid) +
				      bpf_core_field_offset(struct upid, nr));
	return nr;
}

static long follow_step(__u64 i, void *ctx)
{
	struct follow *f = ctx;
	struct task_struct *task = (struct task_struct *)f->task;
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);
	struct pol_scratch *s = scratch();
	__u32 tgid;

	if (!parent || !s)
		return 1;
	tgid = BPF_CORE_READ(parent, tgid);
	if (!tgid || (__u64)parent == f->task)
		return 1; /* past init */
	f->task = (__u64)parent;
	if (f->kind)
		f->found = bin_matches(s, f->kind, f->set, tgid, false);
	else
		f->found = num_in_set(s, f->set, f->ns ? ns_tgid(parent) : tgid);
	return f->found;
}

/* Does an ancestor of task match the filter (kind 0: a pid set)? */
static __always_inline bool ancestor_matches(struct task_struct *task, __u8 kind, __u32 set,
					     bool ns)
{
	struct follow f = { .task = (__u64)task, .set = set, .kind = kind, .ns = ns };

	bpf_loop(VIGIL_FOLLOW_DEPTH, follow_step, &f, 0);
	return f.found;
}

static __always_inline bool match_bin(struct pol_scratch *s, const volatile struct vigil_sel_bin *f,
				      struct task_struct *task, __u32 tgid, bool prev)
{
	bool m = bin_matches(s, f->kind, f->set, tgid, prev);

	if (!m && f->follow)
		m = ancestor_matches(task, f->kind, f->set, false);
	return f->negate ? !m : m;
}

static __always_inline bool match_pids(struct pol_scratch *s,
				       const volatile struct vigil_sel_cfg *sel,
				       struct task_struct *task, __u32 tgid)
{
	bool m;

	if (sel->flags & VIGIL_SEL_F_PID_NS)
		m = num_in_set(s, sel->pid_set, ns_tgid(task));
	else
		m = num_in_set(s, sel->pid_set, tgid);
	if (!m && (sel->flags & VIGIL_SEL_F_PID_FOLLOW))
		m = ancestor_matches(task, 0, sel->pid_set, sel->flags & VIGIL_SEL_F_PID_NS);
	return (sel->flags & VIGIL_SEL_F_PID_NOT) ? !m : m;
}

static __always_inline bool match_ns(struct pol_scratch *s, const volatile struct vigil_sel_ns *f,
				     struct task_struct *task)
{
	int t;

	__builtin_memset(s->ns, 0, sizeof(s->ns));
	read_namespaces(task, s->ns);
	for (t = 0; t < VIGIL_NS_COUNT; t++) {
		bool m;

		if (!(f->mask & (1U << t)))
			continue;
		m = num_in_set(s, f->set[t], s->ns[t]);
		if (f->negate & (1U << t))
			m = !m;
		if (!m)
			return false;
	}
	return true;
}

/* matchCapabilities, on the caller's credentials: only the set it names
 * is read (kernel_cap_t: u32[2] before 6.3, u64 after; the same 8 bytes). */
static __always_inline bool match_caps(const volatile struct vigil_sel_caps *f,
				       struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	const void *set;
	__u64 caps = 0;
	bool m;

	if (f->host_userns && BPF_CORE_READ(cred, user_ns, ns.inum) == f->host_userns)
		return false;
	if (f->set == VIGIL_CAPS_PERMITTED)
		set = &cred->cap_permitted;
	else if (f->set == VIGIL_CAPS_INHERITABLE)
		set = &cred->cap_inheritable;
	else
		set = &cred->cap_effective;
	bpf_probe_read_kernel(&caps, sizeof(caps), set);
	m = (caps & f->mask) != 0;
	return f->negate ? !m : m;
}

/* The filters of a selector that read no argument (and the leaf test of
 * Equal filters on paths): cheap, so they run first. */
static __always_inline bool match_process(struct pol_scratch *s,
					  const volatile struct vigil_sel_cfg *sel,
					  const __u64 *raw, struct task_struct *task, __u32 tgid)
{
	/* After the exec the tracepoint fallback runs in the new image: the
	 * caller is the binary before it. */
	bool caller_prev = cfg.attach == VIGIL_ATTACH_EXEC_TRACEPOINT;
	int i;

	if ((sel->flags & VIGIL_SEL_F_PID) && !match_pids(s, sel, task, tgid))
		return false;
	if (sel->ns.mask && !match_ns(s, &sel->ns, task))
		return false;
	if (sel->caps.set && !match_caps(&sel->caps, task))
		return false;
	if (sel->bin.kind && !match_bin(s, &sel->bin, task, tgid, caller_prev))
		return false;
	if (sel->pbin.kind) {
		struct vigil_proc_entry *pe = bpf_map_lookup_elem(&proc_table, &tgid);
		__u32 ppid = pe ? pe->parent.pid : BPF_CORE_READ(task, real_parent, tgid);

		if (!match_bin(s, &sel->pbin, BPF_CORE_READ(task, real_parent), ppid, false))
			return false;
	}
	for (i = 0; i < VIGIL_SEL_ARGS; i++) {
		if (i >= sel->nargs)
			break;
		if (!leaf_may_match(s, raw, &sel->args[i], task))
			return false;
	}
	return true;
}

static __always_inline bool match_args(struct pol_scratch *s,
				       const volatile struct vigil_sel_cfg *sel)
{
	int i;

	for (i = 0; i < VIGIL_SEL_ARGS; i++) {
		if (i >= sel->nargs)
			break;
		if (!match_arg(s, &sel->args[i]))
			return false;
	}
	return true;
}

/* --- acting ----------------------------------------------------------------- */

/* Bytes an argument's record carries after it. */
static __always_inline __u32 payload_len(__u8 type, const struct arg_slot *a)
{
	switch (type) {
	case VIGIL_AT_INT:
	case VIGIL_AT_CAPABILITY:
		return 0;
	case VIGIL_AT_CHAR_BUF:
	case VIGIL_AT_CRED:
	case VIGIL_AT_SOCK:
	case VIGIL_AT_SOCKADDR:
	case VIGIL_AT_SKB:
		return a->len & (VIGIL_PATH_BUF - 1); /* bytes, not a string */
	}
	return (a->len & (VIGIL_PATH_BUF - 1)) + 1; /* a string with its NUL */
}

static __always_inline void emit(struct pol_scratch *s, __u32 tgid, __u32 tid, __u32 action,
				 __u32 flags, __s32 error)
{
	struct vigil_policy_event *ev = (void *)s->ev;
	struct vigil_proc_entry *pe = bpf_map_lookup_elem(&proc_table, &tgid);
	__u32 off = 0, i, len;

	ev->hdr.type = VIGIL_MSG_POLICY;
	ev->hdr.pad = 0;
	ev->hdr.ktime = bpf_ktime_get_ns();
	ev->proc.pid = tgid;
	ev->proc.pad = 0;
	ev->proc.ktime = pe ? pe->ktime : 0;
	ev->tid = tid;
	ev->hook = cfg.hook;
	ev->action = action;
	ev->flags = flags;
	ev->error = error;
	ev->nargs = 0;
	for (i = 0; i < VIGIL_HOOK_ARGS; i++) {
		struct arg_slot *a = &s->slot[i];
		struct vigil_arg_rec *rec;

		if (i >= cfg.nargs)
			break;
		off &= EV_DATA - 1;
		rec = (void *)&ev->data[off];
		rec->slot = i;
		rec->type = cfg.args[i].type;
		rec->flags = a->trunc;
		rec->num = a->num;
		len = payload_len(cfg.args[i].type, a);
		barrier_var(len);
		if (len > VIGIL_PATH_BUF) /* at most the slot: a full one with its NUL */
			len = VIGIL_PATH_BUF;
		if (len)
			bpf_probe_read_kernel(&ev->data[(off + sizeof(*rec)) & (EV_DATA - 1)], len,
					      a->s);
		if (a->trunc)
			ev->flags |= VIGIL_PEV_F_TRUNC;
		rec->len = len;
		off += sizeof(*rec) + len;
		ev->nargs++;
	}
	off &= EV_DATA - 1;
	ev->data_len = off;
	ev->hdr.size = sizeof(*ev) + off;
	if (bpf_ringbuf_output(&events, ev, sizeof(*ev) + off, rb_flags()))
		stat_inc(VIGIL_STAT_LOST_POLICY);
	else
		stat_inc(VIGIL_STAT_POLICY);
}

/* A hash of the arguments as read: their numbers, lengths and the last 64
 * bytes of each payload (where paths differ). */
static __always_inline __u64 args_hash(struct pol_scratch *s)
{
	__u64 h = 0xcbf29ce484222325ULL;
	__u32 i, j;

	for (i = 0; i < VIGIL_HOOK_ARGS; i++) {
		struct arg_slot *a = &s->slot[i];
		__u32 len;

		if (i >= cfg.nargs)
			break;
		len = payload_len(cfg.args[i].type, a);
		h = (h ^ a->num) * 0x100000001b3ULL;
		h = (h ^ len) * 0x100000001b3ULL;
		for (j = 0; j < 8; j++) {
			__u64 w = 0;

			if (len < 8 * (j + 1))
				break;
			bpf_probe_read_kernel(&w, 8,
					      &a->s[(len - 8 * (j + 1)) & (VIGIL_PATH_BUF - 1)]);
			h = (h ^ w) * 0x100000001b3ULL;
		}
	}
	return h;
}

/* Post rateLimit: true when this selector posted the same values in the
 * same scope less than its period ago (then stay silent). */
static __always_inline bool rate_limited(struct pol_scratch *s, __u32 sel,
					 const volatile struct vigil_sel_cfg *sc, __u64 pid_tgid)
{
	struct rate_key *k = &s->rkey;
	__u64 now = bpf_ktime_get_ns(), *last;

	if (!sc->rate_ns)
		return false;
	k->hook = cfg.hook;
	k->sel = sel;
	k->scope = sc->rate_scope == VIGIL_RS_GLOBAL	? 0
		   : sc->rate_scope == VIGIL_RS_PROCESS ? pid_tgid >> 32
							: (__u32)pid_tgid;
	k->pad = 0;
	k->hash = args_hash(s);
	last = bpf_map_lookup_elem(&rate_limit, k);
	if (last && now - *last < sc->rate_ns)
		return true;
	bpf_map_update_elem(&rate_limit, k, &now, BPF_ANY);
	return false;
}

static __always_inline void read_args(struct pol_scratch *s, const __u64 *raw,
				      struct task_struct *task)
{
	__u32 i;

	for (i = 0; i < VIGIL_HOOK_ARGS; i++) {
		if (i >= cfg.nargs)
			break;
		read_arg(s, raw, i, task);
	}
}

/* A scoped policy applies in the cgroups the agent listed for it: the pods
 * it selects, or their containers it selects.  A task is in scope when its
 * cgroup or an ancestor of it is listed: so a container is in scope through
 * its pod's cgroup from its first exec, before the kubelet reports it, and so
 * are cgroups nested below a listed one.  Levels are tried from the root
 * down; past the task's own level the helper gives 0. */
static __always_inline bool in_scope(__u32 policy)
{
	struct vigil_scope_key k = { .policy = policy };
	int level;

	for (level = 1; level <= VIGIL_SCOPE_LEVELS; level++) {
		k.cgroup = bpf_get_current_ancestor_cgroup_id(level);
		if (!k.cgroup)
			return false;
		if (bpf_map_lookup_elem(&policy_scope, &k))
			return true;
	}
	return false;
}

/* Evaluate the hook on the function's raw arguments; returns what an LSM
 * hook returns (0 or an errno). */
static __always_inline int run_hook(const __u64 *args)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	const __u64 *raw; /* by slot: s->val, off the stack (kprobes have little left) */
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, policy = cfg.policy, i, flags = 0, cand = 0;
	struct vigil_policy_state *st = bpf_map_lookup_elem(&policy_state, &policy);
	const volatile struct vigil_sel_cfg *sel = NULL;
	struct pol_scratch *s = scratch();

	if (!s || !st || !(st->flags & VIGIL_POLICY_ENABLED))
		return 0;
	if ((cfg.flags & VIGIL_HOOK_F_SCOPED) && !in_scope(policy))
		return 0;
	slot_values(args, s->val);
	raw = s->val;
	if (!cfg.nsel) { /* no selectors: every call posts */
		read_args(s, raw, task);
		emit(s, tgid, (__u32)pid_tgid, VIGIL_ACTION_POST, 0, 0);
		return 0;
	}
	/* Selectors whose process filters pass; most calls stop here. */
	for (i = 0; i < VIGIL_SELECTORS; i++) {
		if (i >= cfg.nsel)
			break;
		if (match_process(s, &cfg.sel[i], raw, task, tgid))
			cand |= 1U << i;
	}
	if (!cand)
		return 0;
	read_args(s, raw, task);
	for (i = 0; i < VIGIL_SELECTORS; i++) {
		if (i >= cfg.nsel)
			break;
		if ((cand & (1U << i)) && match_args(s, &cfg.sel[i])) {
			sel = &cfg.sel[i];
			break;
		}
	}
	if (!sel)
		return 0;
	if (st->flags & VIGIL_POLICY_MONITOR)
		flags |= VIGIL_PEV_F_MONITOR;
	if (!(flags & VIGIL_PEV_F_MONITOR)) {
		if (sel->actions & VIGIL_ACTION_SIGKILL)
			bpf_send_signal(9);
		else if (sel->actions & VIGIL_ACTION_SIGNAL)
			bpf_send_signal(sel->signal);
	}
	if ((sel->actions & VIGIL_ACTION_POST) && !rate_limited(s, i, sel, pid_tgid))
		emit(s, tgid, (__u32)pid_tgid, sel->actions, flags,
		     (sel->actions & VIGIL_ACTION_OVERRIDE) ? sel->error : 0);
	if ((sel->actions & VIGIL_ACTION_OVERRIDE) && !(flags & VIGIL_PEV_F_MONITOR))
		return sel->error;
	return 0;
}

SEC("lsm")
int BPF_PROG(vigil_lsm)
{
	__u64 raw[RAW_ARGS] = {};
	int i;

	for (i = 0; i < RAW_ARGS; i++)
		bpf_get_func_arg(ctx, i, &raw[i]); /* past the last: left 0 */
	return run_hook(raw);
}

SEC("kprobe")
int vigil_kprobe(struct pt_regs *ctx)
{
	struct ret_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .hook = cfg.hook };
	struct ret_args a = {};

	kprobe_args(ctx, a.raw);
	if (cfg.flags & VIGIL_HOOK_F_RETURN) /* evaluated at the return */
		bpf_map_update_elem(&ret_stash, &k, &a, BPF_ANY);
	else
		run_hook(a.raw);
	return 0;
}

/* The return of a call the kprobe above saw: its arguments as they were
 * passed (pointers read now, after the call), the return value as the
 * last raw argument. */
SEC("kretprobe")
int vigil_kretprobe(struct pt_regs *ctx)
{
	struct ret_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .hook = cfg.hook };
	struct ret_args *stashed = bpf_map_lookup_elem(&ret_stash, &k);
	__u64 raw[RAW_ARGS] = {};
	int i;

	if (!stashed)
		return 0;
	for (i = 0; i < RAW_ARGS; i++)
		raw[i] = stashed->raw[i];
	bpf_map_delete_elem(&ret_stash, &k);
	raw[VIGIL_RAW_RET] = PT_REGS_RC(ctx);
	run_hook(raw);
	return 0;
}

/* A tracepoint: each argument is a field of the record, at the offset and
 * of the size the agent read from the event's format; a __data_loc field
 * holds where its bytes are in the record. */
SEC("tracepoint")
int vigil_tp(void *ctx)
{
	__u64 raw[RAW_ARGS] = {};
	int i;

	for (i = 0; i < RAW_ARGS; i++) {
		const volatile struct vigil_hook_arg *ha = &cfg.args[i];
		__u64 v = 0;

		if (i >= cfg.nargs)
			break;
		bpf_probe_read_kernel(&v, ha->width & 7 ? ha->width & 7 : 8, ctx + ha->off);
		if (ha->flags & VIGIL_ARG_F_DATALOC)
			v = (__u64)(ctx + (v & 0xffff));
		raw[i] = v;
	}
	run_hook(raw);
	return 0;
}

/* One argument of a raw tracepoint, by constant offsets only: with i a
 * constant of the configuration, the verifier sees one read, and the
 * attach checks it against the tracepoint's argument count. */
static __always_inline __u64 raw_tp_arg(const struct bpf_raw_tracepoint_args *ctx, __u8 i)
{
	__u64 v = 0;

	/* barrier_var: each case loads at its own offset (merged, the cases
	 * would share one load through a moved ctx pointer, which the
	 * verifier refuses) */
	switch (i) {
	case 0:
		v = ctx->args[0];
		barrier_var(v);
		break;
	case 1:
		v = ctx->args[1];
		barrier_var(v);
		break;
	case 2:
		v = ctx->args[2];
		barrier_var(v);
		break;
	case 3:
		v = ctx->args[3];
		barrier_var(v);
		break;
	case 4:
		v = ctx->args[4];
		barrier_var(v);
		break;
	case 5:
		v = ctx->args[5];
		barrier_var(v);
		break;
	case 6:
		v = ctx->args[6];
		barrier_var(v);
		break;
	}
	return v;
}

/* A raw tracepoint: the arguments of its prototype, as a kprobe's. */
SEC("raw_tp")
int vigil_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 raw[RAW_ARGS] = {};
	int i;

#pragma unroll
	for (i = 0; i < RAW_ARGS; i++) {
		__u8 index = cfg.args[i].index;

		if (i >= cfg.nargs)
			break;
		if (index < VIGIL_RAW_RET)
			raw[index] = raw_tp_arg(ctx, index);
	}
	run_hook(raw);
	return 0;
}

/*
 * cgroup connect4/connect6 at the cgroup v2 root, standing in for a
 * socket_connect (socket, sockaddr, addrlen) or tcp_connect (sock) hook
 * where neither BPF-LSM nor kprobes exist: it runs before the connect, so
 * a deny (Override) makes connect() fail with EPERM.  The sockaddr is the
 * address asked for; a tcp_connect sock's peer too (VIGIL_ARG_F_DEST).
 * sendmsg4/sendmsg6 do the same for a socket_connect hook on a UDP
 * datagram sent to an address without a connect (sendto): sendmsg()
 * fails with EPERM.
 */
static __always_inline int connect_hook(struct bpf_sock_addr *ctx, __u16 family, __u16 addrlen)
{
	struct pol_scratch *s = scratch();
	__u64 raw[RAW_ARGS] = {};

	if (!s || ((cfg.flags & VIGIL_HOOK_F_TCP) && ctx->protocol != 6 /* IPPROTO_TCP */))
		return 1;
	s->conn.family = family;
	s->conn.port = bpf_ntohs((__u16)ctx->user_port);
	raw[0] = (__u64)plain_sock(ctx->sk); /* as a hook's pointer arguments are */
	raw[1] = 1;			     /* the sockaddr: read from s->conn */
	raw[2] = addrlen;
	return run_hook(raw) ? 0 : 1;
}

static __always_inline int connect4(struct bpf_sock_addr *ctx)
{
	struct pol_scratch *s = scratch();

	if (!s)
		return 1;
	v4_mapped(s->conn.addr, ctx->user_ip4);
	return connect_hook(ctx, 2 /* AF_INET */, sizeof(struct sockaddr_in));
}

static __always_inline int connect6(struct bpf_sock_addr *ctx)
{
	struct pol_scratch *s = scratch();

	if (!s)
		return 1;
	user_ip6(ctx, s->conn.addr);
	return connect_hook(ctx, 10 /* AF_INET6 */, sizeof(struct sockaddr_in6));
}

SEC("cgroup/connect4")
int vigil_connect4(struct bpf_sock_addr *ctx)
{
	return connect4(ctx);
}

SEC("cgroup/connect6")
int vigil_connect6(struct bpf_sock_addr *ctx)
{
	return connect6(ctx);
}

/* Loaded for socket_connect hooks only (not tcp_connect's). */
static __always_inline int sendmsg_hook(struct bpf_sock_addr *ctx, bool v6)
{
	if (ctx->protocol != 17 /* IPPROTO_UDP */)
		return 1;
	return v6 ? connect6(ctx) : connect4(ctx);
}

SEC("cgroup/sendmsg4")
int vigil_sendmsg4(struct bpf_sock_addr *ctx)
{
	return sendmsg_hook(ctx, false);
}

SEC("cgroup/sendmsg6")
int vigil_sendmsg6(struct bpf_sock_addr *ctx)
{
	return sendmsg_hook(ctx, true);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vigil_exec_tp, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	/* The exec hook's only argument, the binprm. */
	__u64 raw[RAW_ARGS] = { (__u64)bprm };

	run_hook(raw);
	return 0;
}
