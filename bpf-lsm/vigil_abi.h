/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * vigil_abi.h - the one ABI shared by the BPF programs and user space.
 *
 * Every struct that crosses the kernel/user boundary (ring-buffer events,
 * map keys and values) is defined here and nowhere else.  BPF code includes
 * it after vmlinux.h; user space includes it after <linux/types.h>.
 */
#ifndef VIGIL_ABI_H
#define VIGIL_ABI_H

/* Bumped whenever a struct below changes layout.  The BPF objects carry it
 * as rodata (checked when the agent opens them) and pinned maps carry it in
 * their name, so a new agent never adopts an old layout. */
#define VIGIL_ABI_VERSION 4

#define VIGIL_COMM_LEN	    16
#define VIGIL_NAME_MAX	    256	 /* one path component, with its NUL */
#define VIGIL_PATH_DEPTH    48	 /* components walked per path */
#define VIGIL_FILENAME_MAX  256	 /* bprm->filename bytes copied */
#define VIGIL_ARGS_MAX	    1024 /* argv bytes copied, power of two */
#define VIGIL_CGRP_NAME_MAX 128	 /* one cgroup (kernfs) name, power of two */
/* Size of the variable data area of an exec event (power of two). */
#define VIGIL_DATA_MAX 16384

#define VIGIL_PROC_TABLE_SIZE 65536

/* Ring-buffer message types. */
enum vigil_msg_type {
	VIGIL_MSG_EXEC = 1,
	VIGIL_MSG_CLONE = 2,
	VIGIL_MSG_EXIT = 3,
	VIGIL_MSG_POLICY = 4, /* a policy hook fired: process_kprobe/lsm/tracepoint */
	VIGIL_MSG_TYPE_COUNT, /* one more than the largest type */
};

/* Namespace slots, in the order of Tetragon's Namespaces message. */
enum vigil_ns_slot {
	VIGIL_NS_UTS = 0,
	VIGIL_NS_IPC,
	VIGIL_NS_MNT,
	VIGIL_NS_PID,
	VIGIL_NS_PID_FOR_CHILDREN,
	VIGIL_NS_NET,
	VIGIL_NS_TIME,
	VIGIL_NS_TIME_FOR_CHILDREN,
	VIGIL_NS_CGROUP,
	VIGIL_NS_USER,
	VIGIL_NS_COUNT,
};

/* Exec event flags (struct vigil_exec_event.flags). */
#define VIGIL_EXEC_F_FILENAME_WALKED (1U << 0) /* binary is a walked path, not bprm->filename */
#define VIGIL_EXEC_F_TRUNC_FILENAME  (1U << 1)
#define VIGIL_EXEC_F_TRUNC_PATH	     (1U << 2) /* binary path deeper than VIGIL_PATH_DEPTH */
#define VIGIL_EXEC_F_TRUNC_CWD	     (1U << 3)
#define VIGIL_EXEC_F_TRUNC_ARGS	     (1U << 4)
#define VIGIL_EXEC_F_ERR_ARGS	     (1U << 5)
#define VIGIL_EXEC_F_ERR_CWD	     (1U << 6)
#define VIGIL_EXEC_F_NO_PARENT	     (1U << 7) /* parent was not in the process table */

/* Indices into the per-CPU stats map. */
enum vigil_stat {
	VIGIL_STAT_EXEC = 0, /* exec events emitted */
	VIGIL_STAT_CLONE,
	VIGIL_STAT_EXIT,
	VIGIL_STAT_LOST_EXEC, /* ring buffer full: event dropped */
	VIGIL_STAT_LOST_CLONE,
	VIGIL_STAT_LOST_EXIT,
	VIGIL_STAT_TABLE_FULL, /* process table insert failed */
	VIGIL_STAT_POLICY,     /* policy events emitted */
	VIGIL_STAT_LOST_POLICY,
	VIGIL_STAT_COUNT,
};

/*
 * The identity of one process image: its thread-group id and the ktime
 * (CLOCK_MONOTONIC ns) of its exec, or of its clone if it never exec'd.
 * exec_id is derived from (node name, ktime, pid).
 */
struct vigil_proc_key {
	__u32 pid;
	__u32 pad;
	__u64 ktime;
};

/*
 * Value of the BPF process table, keyed by tgid.  The table is pinned in
 * bpffs, so it outlives an agent restart: start_boottime (task->start_boottime,
 * what /proc/PID/stat reports as starttime, in ns) tells the next agent
 * whether an entry still describes the process that now has that pid.
 */
struct vigil_proc_entry {
	__u64 ktime; /* this image's exec (or clone) ktime */
	struct vigil_proc_key parent;
	__u64 start_boottime;
	__u32 flags;
	__u32 pad;
};

struct vigil_msg_hdr {
	__u16 type; /* enum vigil_msg_type */
	__u16 pad;
	__u32 size;  /* total bytes of this message */
	__u64 ktime; /* when the event happened */
};

/*
 * The file that was executed (bprm->file after exec: the real file, however
 * it was named).  nlink 0 marks fileless execution (memfd, deleted binary);
 * mode/uid/gid with the new creds and per_clear tell a setuid, setgid or
 * file-capability exec (bprm->per_clear is non-zero only when exec raised
 * privileges).
 */
struct vigil_exec_file {
	__u64 ino;
	__u32 nlink;
	__u32 mode; /* i_mode */
	__u32 uid;  /* i_uid */
	__u32 gid;  /* i_gid */
	__u32 per_clear;
	__u32 pad;
};

struct vigil_creds {
	__u32 uid, gid, euid, egid, suid, sgid, fsuid, fsgid;
	__u32 auid;
	__u32 pad;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_inheritable;
};

/*
 * Exec event.  data[] holds, in order and each of the given length:
 *   binary   - bprm->filename, NUL-terminated, when it is a plain absolute
 *              path (not under /dev or /proc: fd, /dev/fd, /proc/self/exe and
 *              execveat names are not); else, with VIGIL_EXEC_F_FILENAME_WALKED,
 *              the path of the executed file: components, leaf first, each
 *              NUL-terminated
 *   cwd      - path components, leaf first, each NUL-terminated
 *   args     - argv as in memory: NUL-separated, argv[0] first
 *   cgroup   - leaf cgroup name NUL, parent cgroup name NUL
 */
struct vigil_exec_event {
	struct vigil_msg_hdr hdr;
	struct vigil_proc_key proc;
	struct vigil_proc_key parent;
	__u32 tid;
	__u32 flags;
	__u64 cgroup_id;
	struct vigil_creds creds;
	struct vigil_exec_file file;
	__u32 ns[VIGIL_NS_COUNT];
	__u16 binary_len;
	__u16 cwd_len;
	__u16 args_len;
	__u16 cgroup_len;
	char comm[VIGIL_COMM_LEN];
	char data[];
};

struct vigil_clone_event {
	struct vigil_msg_hdr hdr;
	struct vigil_proc_key proc;
	struct vigil_proc_key parent;
	__u32 tid;
	__u32 pad;
};

struct vigil_exit_event {
	struct vigil_msg_hdr hdr;
	struct vigil_proc_key proc;
	struct vigil_proc_key parent;
	__u32 tid;
	__u32 exit_code; /* task->exit_code: status << 8 | signal */
};

/* ------------------------------------------------------------------------
 * Policy engine.
 *
 * A compiled hook is one program instance whose configuration, struct
 * vigil_hook_cfg, is its read-only data (set by the agent between open and
 * load).  Its selectors name value sets; the values live in two shared
 * LPM tries keyed by (set id, value): strings (equality, prefix and, stored
 * reversed, postfix) and fixed-width numbers (integers, ports, addresses
 * with CIDR prefixes).  A lookup costs the same for one value as for
 * 10,000, and a trie holds only what is inserted: no per-CPU or
 * preallocated memory per policy.
 * ---------------------------------------------------------------------- */
#define VIGIL_HOOK_ARGS	     8	 /* args per hook */
#define VIGIL_SELECTORS	     5	 /* selectors per hook, ORed */
#define VIGIL_SEL_ARGS	     8	 /* matchArgs filters per selector, ANDed */
#define VIGIL_STR_MAX	     256 /* a process's binary, with its NUL */
#define VIGIL_KEY_STR	     252 /* a set string, with its NUL: LPM data is at most 256 bytes */
#define VIGIL_PATH_BUF	     512 /* a path argument, with its NUL (power of two) */
#define VIGIL_POLICIES_MAX   4096
#define VIGIL_SET_ENTRIES    (1U << 20) /* values in each trie, all policies */
#define VIGIL_BIN_TABLE_SIZE VIGIL_PROC_TABLE_SIZE

/* How an argument is read (struct vigil_hook_arg.type). */
enum vigil_abi_arg {
	VIGIL_AT_NONE = 0,
	VIGIL_AT_INT,	       /* an integer register, sign/width in flags */
	VIGIL_AT_LINUX_BINPRM, /* struct linux_binprm *: file path and filename */
	VIGIL_AT_FILE,	       /* struct file *: its path */
	VIGIL_AT_PATH,	       /* const struct path *: the path */
	VIGIL_AT_STRING,       /* char *: NUL-terminated */
	VIGIL_AT_FD,	       /* int: a descriptor of the caller; its file's path */
	VIGIL_AT_DENTRY,       /* struct dentry *: its path within its file system */
	VIGIL_AT_CRED,	       /* struct cred *: ids and capability sets */
	VIGIL_AT_CAPABILITY,   /* int: a capability number */
	VIGIL_AT_CHAR_BUF,     /* char *: bytes, as many as a size argument says */
	VIGIL_AT_SOCK,	       /* struct sock *: family, protocol, addresses, ports */
	VIGIL_AT_SOCKADDR,     /* struct sockaddr *: family, address, port */
	VIGIL_AT_SKB,	       /* struct sk_buff *: IP addresses, protocol, ports */
	VIGIL_AT_COUNT,
};

#define VIGIL_ARG_F_SIGNED  (1U << 0)
#define VIGIL_ARG_F_USER    (1U << 1) /* the pointer is user memory */
#define VIGIL_ARG_F_DATALOC (1U << 2) /* tracepoint __data_loc field: offset | len << 16 */
#define VIGIL_ARG_F_SOCKET  (1U << 3) /* a struct socket *: its sock is the argument */
#define VIGIL_ARG_F_RETURN  (1U << 4) /* the function's return value (returnArg) */
#define VIGIL_ARG_F_DEST    (1U << 5) /* cgroup connect: a sock's peer is the connect's address */
#define VIGIL_RAW_RET	    (VIGIL_HOOK_ARGS - 1) /* the raw index a return value has */

/* Hook flags (struct vigil_hook_cfg.flags). */
#define VIGIL_HOOK_F_RETURN (1U << 0) /* kprobe return: true: evaluated when the call returns */
#define VIGIL_HOOK_F_TCP    (1U << 1) /* cgroup connect for tcp_connect: TCP sockets only */
/* The policy applies to some pods' containers only (podSelector,
 * containerSelector, TracingPolicyNamespaced): a process is in scope when
 * its cgroup, or one of its ancestors down from level 1 to
 * VIGIL_SCOPE_LEVELS, is in policy_scope under the policy's id. */
#define VIGIL_HOOK_F_SCOPED (1U << 2)

/* A filter's test on one argument (struct vigil_sel_arg.kind). */
enum vigil_match_kind {
	VIGIL_MK_NONE = 0,
	VIGIL_MK_STR_EQ,      /* string is in set */
	VIGIL_MK_STR_PREFIX,  /* string starts with a value of set */
	VIGIL_MK_STR_POSTFIX, /* string ends with a value of set */
	VIGIL_MK_INT_EQ,      /* integer is in set */
	VIGIL_MK_INT_GT,      /* integer > value (signed when the arg is) */
	VIGIL_MK_INT_LT,      /* integer < value */
	VIGIL_MK_INT_MASK,    /* integer & value != 0 */
	VIGIL_MK_SADDR,	      /* socket source address in set (CIDRs) */
	VIGIL_MK_DADDR,	      /* socket destination address in set */
	VIGIL_MK_SPORT,	      /* socket source port in set (ranges) */
	VIGIL_MK_DPORT,	      /* socket destination port in set */
	VIGIL_MK_PROTOCOL,    /* socket protocol in set */
	VIGIL_MK_FAMILY,      /* socket address family in set */
	VIGIL_MK_COUNT,
};

/* Actions (bits of struct vigil_sel_cfg.actions and of an event's action). */
#define VIGIL_ACTION_POST     (1U << 0)
#define VIGIL_ACTION_SIGKILL  (1U << 1)
#define VIGIL_ACTION_SIGNAL   (1U << 2)
#define VIGIL_ACTION_OVERRIDE (1U << 3)

/* Selector filters present (struct vigil_sel_cfg.flags). */
#define VIGIL_SEL_F_BIN	       (1U << 0) /* matchBinaries */
#define VIGIL_SEL_F_BIN_NOT    (1U << 1)
#define VIGIL_SEL_F_PBIN       (1U << 2) /* matchParentBinaries */
#define VIGIL_SEL_F_PBIN_NOT   (1U << 3)
#define VIGIL_SEL_F_PID	       (1U << 4) /* matchPIDs */
#define VIGIL_SEL_F_PID_NOT    (1U << 5)
#define VIGIL_SEL_F_PID_FOLLOW (1U << 6) /* followForks: an ancestor's pid matches too */
#define VIGIL_SEL_F_PID_NS     (1U << 7) /* isNamespacePID: pids as its namespace sees them */

/* Ancestors followChildren and followForks look at, parent by parent. */
#define VIGIL_FOLLOW_DEPTH 32

struct vigil_hook_arg {
	__u8 type;	/* enum vigil_abi_arg */
	__u8 index;	/* the function's argument number; tracepoint: the slot */
	__u8 flags;	/* VIGIL_ARG_F_* */
	__u8 width;	/* integer bytes (tracepoint: the field's size) */
	__u16 off;	/* tracepoint: the field's offset in the record */
	__u8 size_slot; /* char_buf: 1 + the slot holding its size; 0: none */
	__u8 pad;
};

/* resolve: a field path from an argument (task_struct "pid",
 * file "f_path.dentry"), as offsets the agent found in the kernel's BTF:
 * each step but the last reads a pointer at v + off[i] into v; the last
 * reads size bytes at v + off[n - 1].  n == 0: no resolve. */
#define VIGIL_RESOLVE_MAX 6
struct vigil_resolve {
	__u16 off[VIGIL_RESOLVE_MAX];
	__u8 n;
	__u8 size; /* 1, 2, 4 or 8 */
	__u16 pad;
};

struct vigil_sel_arg {
	__u8 slot;   /* which struct vigil_hook_arg */
	__u8 kind;   /* enum vigil_match_kind */
	__u8 negate; /* NotEqual, NotPrefix...: true when no value matches */
	__u8 pad;
	__u32 set;   /* value set (STR_* and INT_EQ) */
	__u64 value; /* GT/LT bound, Mask bits */
};

/* matchBinaries/matchParentBinaries: one kind each, over the process's
 * (or its parent's) binary as the event shows it. */
struct vigil_sel_bin {
	__u8 kind; /* VIGIL_MK_STR_EQ, _PREFIX or _POSTFIX; 0 = no filter */
	__u8 negate;
	__u8 follow; /* followChildren: an ancestor's binary matches too */
	__u8 pad;
	__u32 set;
};

/* matchNamespaces: bit t of mask filters namespace type t (enum
 * vigil_ns_slot) against set ns_set[t]; bit t of negate makes it NotIn. */
struct vigil_sel_ns {
	__u16 mask;
	__u16 negate;
	__u32 pad;
	__u32 set[VIGIL_NS_COUNT];
};

/* matchCapabilities: the caller's capability set `set` (enum
 * vigil_cap_set_kind) holds any capability of mask (In), or none (NotIn). */
enum vigil_cap_set_kind {
	VIGIL_CAPS_NONE = 0,
	VIGIL_CAPS_EFFECTIVE,
	VIGIL_CAPS_PERMITTED,
	VIGIL_CAPS_INHERITABLE,
};
struct vigil_sel_caps {
	__u8 set;
	__u8 negate;
	__u8 pad[2];
	__u32 host_userns; /* isNamespaceCapability: the host's user namespace,
			    * where the filter never matches; 0: any namespace */
	__u64 mask;
};

/* Post's rateLimit: one event per (selector, scope, argument values) per
 * period. */
enum vigil_abi_rate_scope {
	VIGIL_RS_THREAD = 0,
	VIGIL_RS_PROCESS,
	VIGIL_RS_GLOBAL,
};

struct vigil_sel_cfg {
	__u8 nargs;
	__u8 rate_scope; /* enum vigil_abi_rate_scope */
	__u8 pad[2];
	__u32 flags;   /* VIGIL_SEL_F_* */
	__u32 actions; /* VIGIL_ACTION_*; 0 = NoPost */
	__s32 error;   /* Override: the errno returned (negative) */
	__u32 signal;  /* Signal: the signal sent */
	__u32 pid_set; /* matchPIDs values */
	struct vigil_sel_bin bin;
	struct vigil_sel_bin pbin;
	struct vigil_sel_ns ns;
	struct vigil_sel_caps caps;
	__u64 rate_ns; /* Post rateLimit period; 0: none */
	struct vigil_sel_arg args[VIGIL_SEL_ARGS];
};

/* How the hook instance runs (struct vigil_hook_cfg.attach). */
enum vigil_attach {
	VIGIL_ATTACH_LSM = 1,	      /* BPF-LSM hook */
	VIGIL_ATTACH_KPROBE,	      /* kprobe on a kernel function */
	VIGIL_ATTACH_KPROBE_SYSCALL,  /* kprobe on a syscall wrapper: args in the inner pt_regs */
	VIGIL_ATTACH_EXEC_TRACEPOINT, /* tp_btf/sched_process_exec standing in for an exec hook */
	VIGIL_ATTACH_TRACEPOINT,      /* a tracepoint: fields read at offsets of its record */
	VIGIL_ATTACH_RAW_TRACEPOINT,  /* a raw tracepoint: the arguments of its prototype */
	VIGIL_ATTACH_CGROUP_CONNECT,  /* cgroup root connect4/connect6, standing in for a
				       * socket_connect or tcp_connect hook */
};

struct vigil_hook_cfg {
	__u32 hook;   /* the agent's id for this hook instance, in its events */
	__u32 policy; /* index into the policy_state map */
	__u8 attach;  /* enum vigil_attach */
	__u8 nargs;
	__u8 nsel;
	__u8 flags; /* VIGIL_HOOK_F_* */
	__u32 pad2;
	struct vigil_hook_arg args[VIGIL_HOOK_ARGS];
	struct vigil_sel_cfg sel[VIGIL_SELECTORS];
	struct vigil_resolve res[VIGIL_HOOK_ARGS]; /* by slot */
};

/* Runtime state of a policy (policy_state map): switched without reload. */
#define VIGIL_POLICY_ENABLED (1U << 0)
#define VIGIL_POLICY_MONITOR (1U << 1) /* report what would be done, do nothing */
struct vigil_policy_state {
	__u32 flags;
	__u32 pad;
};

/* policy_scope: the cgroups (the pods' cgroups a scoped policy selects, or
 * their containers' for a containerSelector) its hooks apply in, with all
 * below them.  The agent keeps it up to date as pods come and go, without
 * reloading the policy. */
#define VIGIL_SCOPE_ENTRIES 65536
#define VIGIL_SCOPE_LEVELS  16 /* cgroup levels searched, from the root's children */
struct vigil_scope_key {
	__u32 policy;
	__u32 pad;
	__u64 cgroup; /* the cgroup v2 id: the directory's inode number */
};

/* Keys of the value-set tries.  prefixlen counts bits from set. */
struct vigil_str_key {
	__u32 prefixlen;
	__u32 set;
	char s[VIGIL_KEY_STR];
};

struct vigil_num_key {
	__u32 prefixlen;
	__u32 set;
	__u8 v[16]; /* big-endian integer in the first 8 bytes, or an address */
};

struct vigil_set_val {
	__u32 len; /* bytes after set that the entry covers (for equality) */
	__u32 pad;
};

/* The binary of a process, as its exec event shows it (proc_bins map,
 * keyed by tgid), and the one before its last exec: an exec hook that runs
 * after the exec (the tracepoint fallback) matches the caller's binary. */
struct vigil_proc_bin {
	__u32 cur_len; /* strlen(cur) */
	__u32 prev_len;
	char cur[VIGIL_STR_MAX];
	char prev[VIGIL_STR_MAX];
};

/* A socket argument as read (sock, socket, sockaddr): addresses are
 * 16 bytes, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d) so that one trie
 * holds both families' CIDRs; ports in host order.  A sockaddr fills the
 * source side only (its address and port), as Tetragon's SAddr/SPort read
 * it. */
struct vigil_sock_info {
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u8 state;
	__u8 pad;
	__u16 sport;
	__u16 dport;
	__u32 mark;
	__u32 priority;
	__u64 cookie;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* An skb argument as read: its IP header and transport ports.  The fields
 * a socket filter tests (family, protocol, ports, addresses) sit where
 * struct vigil_sock_info has them, so one matcher serves both. */
struct vigil_skb_info {
	__u16 family; /* AF_INET or AF_INET6, from the IP version */
	__u16 pad0;
	__u16 protocol; /* IP protocol (IPv6: after extension headers) */
	__u8 pad1[2];
	__u16 sport; /* TCP/UDP ports, host order; 0 for other protocols */
	__u16 dport;
	__u32 mark;
	__u32 priority;
	__u32 hash;
	__u32 len;
	__u32 pad2;
	__u8 saddr[16]; /* IPv4 as IPv4-mapped IPv6 */
	__u8 daddr[16];
};

/* The built-in network sensor's events are policy events of policy id 0
 * (struct vigil_policy_event.hook = VIGIL_NET_*): each is the process_kprobe
 * event a Tetragon example policy would give (policy name, function). */
enum vigil_net_hook {
	VIGIL_NET_CONNECT = 1, /* "connect" tcp_connect (sock) */
	VIGIL_NET_CLOSE,       /* "connect" tcp_close (sock, bytes sent, bytes received) */
	VIGIL_NET_ACCEPT,      /* "accept" tcp_set_state (sock, state) */
	VIGIL_NET_LISTEN,      /* "tcp-listen" inet_csk_listen_start (sock) */
	VIGIL_NET_DATAGRAM,    /* "datagram" __cgroup_bpf_run_filter_skb (sock, skb, direction) */
	VIGIL_NET_HOOK_COUNT,
};
#define VIGIL_NET_HOOK(n) (n) /* policy id 0: (0 << 12) | n */

/* Policy event flags. */
#define VIGIL_PEV_F_MONITOR (1U << 0) /* action reported, not taken */
#define VIGIL_PEV_F_TRUNC   (1U << 1) /* an argument was cut */

/* One argument in a policy event's data, followed by len bytes. */
struct vigil_arg_rec {
	__u8 slot;
	__u8 type; /* enum vigil_abi_arg */
	__u16 len; /* bytes that follow: a NUL-terminated path, or 0 */
	__u32 flags;
	__u64 num; /* integers: the value */
};

struct vigil_policy_event {
	struct vigil_msg_hdr hdr;
	struct vigil_proc_key proc;
	__u32 tid;
	__u32 hook;   /* struct vigil_hook_cfg.hook */
	__u32 action; /* VIGIL_ACTION_* of the selector that matched */
	__u32 flags;  /* VIGIL_PEV_F_* */
	__s32 error;  /* Override's errno */
	__u16 nargs;
	__u16 data_len;
	char data[]; /* nargs x (struct vigil_arg_rec, payload) */
};

/*
 * Layout checks: both compilers (BPF and user space) must see the same sizes
 * and offsets.  offsetof is spelled with the builtin so that this header
 * needs no libc header on the BPF side.
 */
#define VIGIL_OFF(t, f) __builtin_offsetof(t, f)
_Static_assert(sizeof(struct vigil_proc_key) == 16, "vigil_proc_key");
_Static_assert(sizeof(struct vigil_scope_key) == 16, "vigil_scope_key");
_Static_assert(VIGIL_OFF(struct vigil_scope_key, cgroup) == 8, "scope_key.cgroup");
_Static_assert(sizeof(struct vigil_proc_entry) == 40, "vigil_proc_entry");
_Static_assert(VIGIL_OFF(struct vigil_proc_entry, start_boottime) == 24, "proc_entry.start");
_Static_assert(sizeof(struct vigil_msg_hdr) == 16, "vigil_msg_hdr");
_Static_assert(sizeof(struct vigil_creds) == 64, "vigil_creds");
_Static_assert(sizeof(struct vigil_exec_file) == 32, "vigil_exec_file");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, proc) == 16, "exec.proc");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, parent) == 32, "exec.parent");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, cgroup_id) == 56, "exec.cgroup_id");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, creds) == 64, "exec.creds");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, file) == 128, "exec.file");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, ns) == 160, "exec.ns");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, binary_len) == 200, "exec.binary_len");
_Static_assert(VIGIL_OFF(struct vigil_exec_event, data) == 224, "exec.data");
_Static_assert(sizeof(struct vigil_exec_event) == 224, "vigil_exec_event");
_Static_assert(sizeof(struct vigil_clone_event) == 56, "vigil_clone_event");
_Static_assert(sizeof(struct vigil_exit_event) == 56, "vigil_exit_event");
_Static_assert(sizeof(struct vigil_hook_arg) == 8, "vigil_hook_arg");
_Static_assert(VIGIL_OFF(struct vigil_hook_arg, off) == 4, "hook_arg.off");
_Static_assert(sizeof(struct vigil_sel_arg) == 16, "vigil_sel_arg");
_Static_assert(sizeof(struct vigil_sel_bin) == 8, "vigil_sel_bin");
_Static_assert(sizeof(struct vigil_sel_ns) == 48, "vigil_sel_ns");
_Static_assert(VIGIL_OFF(struct vigil_sel_cfg, bin) == 24, "selector.bin");
_Static_assert(VIGIL_OFF(struct vigil_sel_cfg, ns) == 40, "selector.ns");
_Static_assert(sizeof(struct vigil_sel_caps) == 16, "vigil_sel_caps");
_Static_assert(VIGIL_OFF(struct vigil_sel_cfg, caps) == 88, "selector.caps");
_Static_assert(VIGIL_OFF(struct vigil_sel_cfg, rate_ns) == 104, "selector.rate_ns");
_Static_assert(VIGIL_OFF(struct vigil_sel_cfg, args) == 112, "selector.args");
_Static_assert(sizeof(struct vigil_sel_cfg) == 240, "vigil_sel_cfg");
_Static_assert(sizeof(struct vigil_sock_info) == 64, "vigil_sock_info");
_Static_assert(VIGIL_OFF(struct vigil_sock_info, saddr) == 32, "sock_info.saddr");
_Static_assert(sizeof(struct vigil_skb_info) == sizeof(struct vigil_sock_info), "vigil_skb_info");
_Static_assert(VIGIL_OFF(struct vigil_skb_info, protocol) ==
		       VIGIL_OFF(struct vigil_sock_info, protocol),
	       "skb_info.protocol");
_Static_assert(VIGIL_OFF(struct vigil_skb_info, sport) == VIGIL_OFF(struct vigil_sock_info, sport),
	       "skb_info.sport");
_Static_assert(VIGIL_OFF(struct vigil_skb_info, dport) == VIGIL_OFF(struct vigil_sock_info, dport),
	       "skb_info.dport");
_Static_assert(VIGIL_OFF(struct vigil_skb_info, saddr) == VIGIL_OFF(struct vigil_sock_info, saddr),
	       "skb_info.saddr");
_Static_assert(VIGIL_OFF(struct vigil_skb_info, daddr) == VIGIL_OFF(struct vigil_sock_info, daddr),
	       "skb_info.daddr");
_Static_assert(VIGIL_OFF(struct vigil_hook_cfg, args) == 16, "hook_cfg.args");
_Static_assert(VIGIL_OFF(struct vigil_hook_cfg, sel) == 80, "hook_cfg.sel");
_Static_assert(sizeof(struct vigil_resolve) == 16, "vigil_resolve");
_Static_assert(VIGIL_OFF(struct vigil_hook_cfg, res) == 80 + 5 * 240, "hook_cfg.res");
_Static_assert(sizeof(struct vigil_hook_cfg) == 80 + 5 * 240 + 8 * 16, "vigil_hook_cfg");
_Static_assert(sizeof(struct vigil_str_key) == 260, "vigil_str_key");
_Static_assert(sizeof(struct vigil_num_key) == 24, "vigil_num_key");
_Static_assert(sizeof(struct vigil_arg_rec) == 16, "vigil_arg_rec");
_Static_assert(sizeof(struct vigil_proc_bin) == 8 + 2 * VIGIL_STR_MAX, "vigil_proc_bin");
_Static_assert(VIGIL_OFF(struct vigil_policy_event, hook) == 36, "policy_event.hook");
_Static_assert(VIGIL_OFF(struct vigil_policy_event, data) == 56, "policy_event.data");
_Static_assert(sizeof(struct vigil_policy_event) == 56, "vigil_policy_event");
#undef VIGIL_OFF

#endif /* VIGIL_ABI_H */
