/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * common.bpf.h - what every vigil BPF object shares: the maps created once
 * by the process sensor and handed to the policy programs by file
 * descriptor, and small helpers with one meaning each.
 *
 * Include after vmlinux.h, the libbpf headers and vigil_abi.h.
 */
#ifndef VIGIL_COMMON_BPF_H
#define VIGIL_COMMON_BPF_H

#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024); /* --rb-size */
} events SEC(".maps");

/* Process identity by tgid (pinned: it outlives an agent restart). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VIGIL_PROC_TABLE_SIZE);
	__type(key, __u32);
	__type(value, struct vigil_proc_entry);
} proc_table SEC(".maps");

/* Binary of each process, for matchBinaries.  Not an LRU map: those are
 * preallocated (65,536 x 520 bytes); entries here are allocated as
 * processes exec and freed at their exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VIGIL_BIN_TABLE_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct vigil_proc_bin);
} proc_bins SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VIGIL_STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Value sets of every loaded policy (see vigil_abi.h). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, VIGIL_SET_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vigil_str_key);
	__type(value, struct vigil_set_val);
} str_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, VIGIL_SET_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vigil_num_key);
	__type(value, struct vigil_set_val);
} num_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VIGIL_POLICIES_MAX);
	__type(key, __u32);
	__type(value, struct vigil_policy_state);
} policy_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VIGIL_SCOPE_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vigil_scope_key);
	__type(value, __u8);
} policy_scope SEC(".maps");

/* Wake the reader only once this much is pending; below it the reader
 * drains on its own poll timeout.  Set by user space before load. */
const volatile __u64 wakeup_bytes = 65536;
/* The ABI this object was built with; the agent refuses a mismatch. */
const volatile __u32 abi_version = VIGIL_ABI_VERSION;

static __always_inline __u64 rb_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
}

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
}

static __always_inline void v4_mapped(__u8 *a16, __u32 addr)
{
	__builtin_memset(a16, 0, 10);
	a16[10] = 0xff;
	a16[11] = 0xff;
	__builtin_memcpy(a16 + 12, &addr, 4);
}

/* The struct sock behind a sock_addr or sockops context's socket, as a
 * plain address: the verifier allows no arithmetic on socket pointers, and
 * the socket is read through BPF_CORE_READ like any hook's argument. */
static __always_inline struct sock *plain_sock(struct bpf_sock *bsk)
{
	struct sock *sk = NULL;

	bpf_probe_read_kernel(&sk, sizeof(sk), &bsk);
	return sk;
}

/* A sock_addr context's IPv6 address (user_ip6) as 16 bytes, read word by
 * word as the context allows (its IPv4 one: v4_mapped(a16, user_ip4)). */
static __always_inline void user_ip6(struct bpf_sock_addr *ctx, __u8 *a16)
{
	__u32 a[4];

	a[0] = ctx->user_ip6[0];
	a[1] = ctx->user_ip6[1];
	a[2] = ctx->user_ip6[2];
	a[3] = ctx->user_ip6[3];
	__builtin_memcpy(a16, a, 16);
}

/* A socket's family, type, protocol, state, addresses, ports, mark,
 * priority and cookie (struct vigil_sock_info; si zeroed by the caller). */
static __always_inline void sock_info(struct sock *sk, struct vigil_sock_info *si)
{
	si->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	si->type = BPF_CORE_READ(sk, sk_type);
	si->protocol = BPF_CORE_READ(sk, sk_protocol);
	si->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	si->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	si->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	si->mark = BPF_CORE_READ(sk, sk_mark);
	si->priority = BPF_CORE_READ(sk, sk_priority);
	si->cookie = BPF_CORE_READ(sk, __sk_common.skc_cookie.counter);
	if (si->family == 10 /* AF_INET6 */) {
		BPF_CORE_READ_INTO(&si->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&si->daddr, sk, __sk_common.skc_v6_daddr);
	} else {
		v4_mapped(si->saddr, BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr));
		v4_mapped(si->daddr, BPF_CORE_READ(sk, __sk_common.skc_daddr));
	}
}

/* The file behind descriptor fd of task, or NULL. */
static __always_inline struct file *fd_file(struct task_struct *task, __u64 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;

	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd & 0xffffffff]);
	return file;
}

static __always_inline struct mount *real_mount(struct vfsmount *mnt)
{
	return (struct mount *)((char *)mnt - bpf_core_field_offset(struct mount, mnt));
}

static __always_inline __u32 ns_inum(void *ns_common_ptr)
{
	struct ns_common *ns = ns_common_ptr;

	return ns ? BPF_CORE_READ(ns, inum) : 0;
}

static __always_inline void read_namespaces(struct task_struct *task, __u32 *ns)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	struct pid_namespace *pidns = NULL;
	unsigned int level;

	if (nsp) {
		ns[VIGIL_NS_UTS] = ns_inum(&BPF_CORE_READ(nsp, uts_ns)->ns);
		ns[VIGIL_NS_IPC] = ns_inum(&BPF_CORE_READ(nsp, ipc_ns)->ns);
		ns[VIGIL_NS_MNT] = ns_inum(&BPF_CORE_READ(nsp, mnt_ns)->ns);
		ns[VIGIL_NS_PID_FOR_CHILDREN] =
			ns_inum(&BPF_CORE_READ(nsp, pid_ns_for_children)->ns);
		ns[VIGIL_NS_NET] = ns_inum(&BPF_CORE_READ(nsp, net_ns)->ns);
		if (bpf_core_field_exists(nsp->time_ns)) {
			ns[VIGIL_NS_TIME] = ns_inum(&BPF_CORE_READ(nsp, time_ns)->ns);
			ns[VIGIL_NS_TIME_FOR_CHILDREN] =
				ns_inum(&BPF_CORE_READ(nsp, time_ns_for_children)->ns);
		}
		ns[VIGIL_NS_CGROUP] = ns_inum(&BPF_CORE_READ(nsp, cgroup_ns)->ns);
	}
	/* The active pid namespace: pid->numbers[pid->level].ns */
	if (pid) {
		level = BPF_CORE_READ(pid, level);
		bpf_probe_read_kernel(&pidns, sizeof(pidns),
				      (char *)pid + bpf_core_field_offset(struct pid, numbers) +
					      (__u64)(level & 31) *
						      bpf_core_type_size(struct upid) +
					      bpf_core_field_offset(struct upid, ns));
		if (pidns)
			ns[VIGIL_NS_PID] = BPF_CORE_READ(pidns, ns.inum);
	}
	ns[VIGIL_NS_USER] = BPF_CORE_READ(task, cred, user_ns, ns.inum);
}

/* Ids and capability sets of a cred (auid is the task's: see read_creds). */
static __always_inline void read_cred(const struct cred *cred, struct vigil_creds *c)
{
	c->uid = BPF_CORE_READ(cred, uid.val);
	c->gid = BPF_CORE_READ(cred, gid.val);
	c->euid = BPF_CORE_READ(cred, euid.val);
	c->egid = BPF_CORE_READ(cred, egid.val);
	c->suid = BPF_CORE_READ(cred, suid.val);
	c->sgid = BPF_CORE_READ(cred, sgid.val);
	c->fsuid = BPF_CORE_READ(cred, fsuid.val);
	c->fsgid = BPF_CORE_READ(cred, fsgid.val);
	/* kernel_cap_t is u32[2] before 6.3 and u64 after: same 8 bytes. */
	bpf_probe_read_kernel(&c->cap_permitted, 8, &cred->cap_permitted);
	bpf_probe_read_kernel(&c->cap_effective, 8, &cred->cap_effective);
	bpf_probe_read_kernel(&c->cap_inheritable, 8, &cred->cap_inheritable);
	c->auid = (__u32)-1;
	c->pad = 0;
}

static __always_inline void read_creds(struct task_struct *task, struct vigil_creds *c)
{
	read_cred(BPF_CORE_READ(task, cred), c);
	if (bpf_core_field_exists(task->loginuid))
		c->auid = BPF_CORE_READ(task, loginuid.val);
}

/*
 * Right-to-left path walk: the path of (dentry, vfsmnt) up to the task's
 * root is written so that it ends just before bufs->path[VIGIL_PATH_BUF - 1]
 * (a NUL); w->pos is where it starts.  Each object supplies rtl_bufs(), its
 * own scratch.  A path longer than the buffer keeps its leaf side and sets
 * w->trunc.
 */
struct rtl_bufs {
	char path[VIGIL_PATH_BUF + VIGIL_NAME_MAX]; /* slack: masked offset + bounded copy */
	char name[VIGIL_NAME_MAX];
};

struct rtl_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	__u32 pos;
	__u32 trunc; /* out of room */
	__u32 done;  /* reached the root */
};

static __always_inline struct rtl_bufs *rtl_bufs(void);

/*
 * Before a path walk takes the name of *dentry: stop at the task's root or
 * the global root (-1), or, at a mount's root, step to the mountpoint in
 * the parent mount (1), else go on with *dentry (0).
 */
static __always_inline int walk_climb(struct dentry **dentry, struct vfsmount **vfsmnt,
				      struct mount **mnt, struct dentry *root_dentry,
				      struct vfsmount *root_mnt)
{
	struct mount *pmnt;

	if (*dentry == root_dentry && *vfsmnt == root_mnt)
		return -1;
	if (*dentry != BPF_CORE_READ(*vfsmnt, mnt_root))
		return 0;
	pmnt = BPF_CORE_READ(*mnt, mnt_parent);
	if (pmnt == *mnt)
		return -1;
	*dentry = BPF_CORE_READ(*mnt, mnt_mountpoint);
	*mnt = pmnt;
	*vfsmnt = (struct vfsmount *)((char *)pmnt + bpf_core_field_offset(struct mount, mnt));
	return 1;
}

/*
 * After a path walk took the name of *dentry: step to its parent.  False
 * for a dentry that is its own parent and no mount's root, a pseudo file
 * (memfd, anonymous inode): its name is the whole path.
 */
static __always_inline bool walk_parent(struct dentry **dentry)
{
	struct dentry *parent = BPF_CORE_READ(*dentry, d_parent);

	if (parent == *dentry)
		return false;
	*dentry = parent;
	return true;
}

static long rtl_step(__u64 index, void *ctx)
{
	struct rtl_walk *w = ctx;
	struct dentry *dentry;
	struct rtl_bufs *b;
	long n;
	__u32 l;

	n = walk_climb(&w->dentry, &w->vfsmnt, &w->mnt, w->root_dentry, w->root_mnt);
	if (n > 0)
		return 0; /* crossed into the parent mount */
	if (n < 0)
		goto done;
	dentry = w->dentry;
	b = rtl_bufs();
	if (!b)
		return 1;
	n = bpf_probe_read_kernel_str(b->name, VIGIL_NAME_MAX, BPF_CORE_READ(dentry, d_name.name));
	if (n <= 1 || (n == 2 && b->name[0] == '/'))
		goto done; /* nameless, or the root of a walk without a mount */
	l = n - 1;
	if (l + 1 > w->pos) {
		w->trunc = 1;
		return 1;
	}
	w->pos -= l;
	barrier_var(l);
	bpf_probe_read_kernel(&b->path[w->pos & (VIGIL_PATH_BUF - 1)], l & (VIGIL_NAME_MAX - 1),
			      b->name);
	w->pos -= 1;
	b->path[w->pos & (VIGIL_PATH_BUF - 1)] = '/';
	if (!walk_parent(&w->dentry))
		goto done;
	return 0;
done:
	w->done = 1;
	return 1;
}

/* Walk (dentry, vfsmnt) into rtl_bufs()->path; returns the start offset
 * (the path is NUL-terminated at VIGIL_PATH_BUF - 1).  *trunc is set when
 * the root side was cut. */
static __always_inline __u32 rtl_path(struct task_struct *task, struct dentry *dentry,
				      struct vfsmount *vfsmnt, __u32 *trunc)
{
	struct rtl_bufs *b = rtl_bufs();
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct rtl_walk w = {
		.dentry = dentry,
		.vfsmnt = vfsmnt,
		.mnt = real_mount(vfsmnt),
		.root_dentry = BPF_CORE_READ(fs, root.dentry),
		.root_mnt = BPF_CORE_READ(fs, root.mnt),
		.pos = VIGIL_PATH_BUF - 1,
	};

	if (!b)
		return VIGIL_PATH_BUF - 1;
	b->path[VIGIL_PATH_BUF - 1] = 0;
	bpf_loop(VIGIL_PATH_DEPTH, rtl_step, &w, 0);
	if (!w.done)
		w.trunc = 1; /* out of room, or deeper than the walk */
	if (w.pos == VIGIL_PATH_BUF - 1) {
		w.pos -= 1; /* the root itself */
		b->path[w.pos & (VIGIL_PATH_BUF - 1)] = '/';
	}
	*trunc = w.trunc;
	return w.pos;
}

#endif /* VIGIL_COMMON_BPF_H */
