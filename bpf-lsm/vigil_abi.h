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
#define VIGIL_ABI_VERSION 2

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

/*
 * Layout checks: both compilers (BPF and user space) must see the same sizes
 * and offsets.  offsetof is spelled with the builtin so that this header
 * needs no libc header on the BPF side.
 */
#define VIGIL_OFF(t, f) __builtin_offsetof(t, f)
_Static_assert(sizeof(struct vigil_proc_key) == 16, "vigil_proc_key");
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
#undef VIGIL_OFF

#endif /* VIGIL_ABI_H */
