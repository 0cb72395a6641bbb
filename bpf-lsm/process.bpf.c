// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * process.bpf.c - the process lifecycle sensor.
 *
 * sched_process_fork / sched_process_exec / sched_process_exit keep a
 * process table keyed by tgid and emit clone, exec and exit messages through
 * one ring buffer.  Each hook is compiled twice, as tp_btf (preferred) and as
 * raw_tp; user space enables the flavour the kernel accepts.
 *
 *   fork(child):  table[tgid] = { now, parent key, start_boottime }; emit clone
 *   exec(task, bprm):
 *       table[tgid] = { now, parent key kept from the clone, start_boottime }
 *       binary = bprm->filename if it is a plain absolute path,
 *                else the walked path of bprm->file (fd, /proc, execveat)
 *       emit exec { creds, namespaces, executed file's inode, binary, cwd,
 *                   argv, cgroup names }
 *       proc_bins[tgid] = { binary (joined, for matchBinaries), the previous one }
 *   exit(task):   last thread only: emit exit { table[tgid] identity, code };
 *                 delete table[tgid], proc_bins[tgid]
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "vigil_abi.h"
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define DATA_MASK (VIGIL_DATA_MAX - 1)

/* Scratch space for building an exec message: header plus data with slack
 * so that a masked offset plus one bounded read always stays inside. */
struct exec_scratch {
	char raw[sizeof(struct vigil_exec_event) + VIGIL_DATA_MAX + VIGIL_NAME_MAX +
		 VIGIL_ARGS_MAX];
	struct rtl_bufs rtl; /* the binary's path for proc_bins when walked */
	struct vigil_proc_bin bin;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_scratch);
} scratch SEC(".maps");

/* Kernels before 6.15 name the kernfs parent pointer "parent". */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

struct walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	__u32 off;
	__u32 done;
};

static __always_inline struct rtl_bufs *rtl_bufs(void)
{
	__u32 zero = 0;
	struct exec_scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	return s ? &s->rtl : NULL;
}

/*
 * proc_bins[tgid] = { the binary as the exec event shows it, the one
 * before }.  name is bprm->filename when it is plain (n bytes with the
 * NUL), else NULL and the executed file's path is walked.
 */
static __always_inline void record_binary(struct exec_scratch *s, struct task_struct *task,
					  struct linux_binprm *bprm, __u32 tgid, const char *name,
					  long n)
{
	struct vigil_proc_bin *old = bpf_map_lookup_elem(&proc_bins, &tgid);
	struct vigil_proc_bin *b = &s->bin;
	__u32 len, pos, trunc;

	b->prev_len = 0;
	b->prev[0] = 0;
	if (old) {
		b->prev_len = old->cur_len & (VIGIL_STR_MAX - 1);
		bpf_probe_read_kernel(b->prev, sizeof(b->prev), old->cur);
	}
	if (name) {
		len = n > 0 ? n - 1 : 0;
		if (len > VIGIL_STR_MAX - 1)
			len = VIGIL_STR_MAX - 1;
		barrier_var(len);
		bpf_probe_read_kernel(b->cur, len & (VIGIL_STR_MAX - 1), name);
	} else {
		struct file *file = BPF_CORE_READ(bprm, file);

		pos = rtl_path(task, BPF_CORE_READ(file, f_path.dentry),
			       BPF_CORE_READ(file, f_path.mnt), &trunc);
		len = VIGIL_PATH_BUF - 1 - pos;
		/* Keep the leaf side of a path longer than a set string. */
		if (len > VIGIL_STR_MAX - 1) {
			pos += len - (VIGIL_STR_MAX - 1);
			len = VIGIL_STR_MAX - 1;
		}
		barrier_var(len);
		bpf_probe_read_kernel(b->cur, len & (VIGIL_STR_MAX - 1),
				      &s->rtl.path[pos & (VIGIL_PATH_BUF - 1)]);
	}
	barrier_var(len);
	len &= VIGIL_STR_MAX - 1;
	b->cur[len] = 0;
	b->cur_len = len;
	bpf_map_update_elem(&proc_bins, &tgid, b, BPF_ANY);
}

static __always_inline char *scratch_data(void)
{
	__u32 zero = 0;
	struct exec_scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	return s ? s->raw + sizeof(struct vigil_exec_event) : NULL;
}

/* One step of a path walk: write the current component, or cross a mount,
 * or stop (return 1) at the task's root or the global root. */
static long walk_step(__u64 index, void *ctx)
{
	struct walk *w = ctx;
	/* A local: CO-RE reads must not see struct walk, which the kernel lacks. */
	struct dentry *dentry;
	const unsigned char *name;
	char *data;
	long n;

	n = walk_climb(&w->dentry, &w->vfsmnt, &w->mnt, w->root_dentry, w->root_mnt);
	if (n > 0)
		return 0; /* crossed into the parent mount */
	if (n < 0)
		goto done;
	dentry = w->dentry;
	data = scratch_data();
	if (!data || w->off > VIGIL_DATA_MAX - VIGIL_NAME_MAX)
		return 1; /* out of room: truncated */
	name = BPF_CORE_READ(dentry, d_name.name);
	n = bpf_probe_read_kernel_str(&data[w->off & DATA_MASK], VIGIL_NAME_MAX, name);
	if (n <= 0)
		goto done;
	w->off += n;
	if (!walk_parent(&w->dentry))
		goto done;
	return 0;
done:
	w->done = 1;
	return 1;
}

/*
 * Write the components of a path into the scratch data at off, leaf first,
 * each NUL-terminated, up to the task's root.  Returns the bytes written;
 * *trunc is set when the path was deeper than VIGIL_PATH_DEPTH or did not fit.
 */
static __always_inline __u32 walk_path(struct walk *w, __u32 off, bool *trunc)
{
	w->mnt = real_mount(w->vfsmnt);
	w->off = off;
	w->done = 0;
	bpf_loop(VIGIL_PATH_DEPTH, walk_step, w, 0);
	*trunc = !w->done;
	return w->off - off;
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	struct kernfs_node___old *old = (void *)kn;

	if (bpf_core_field_exists(old->parent))
		return BPF_CORE_READ(old, parent);
	return BPF_CORE_READ(kn, __parent);
}

/* bprm->filename names the file plainly: absolute, and not a /dev/fd,
 * /proc/self/fd, /proc/self/exe or execveat name (those live under /dev and
 * /proc, where no real executable does). */
static __always_inline bool plain_filename(const char *f, long n)
{
	if (n <= 1 || f[0] != '/')
		return false;
	if (n > 5 && f[1] == 'd' && f[2] == 'e' && f[3] == 'v' && f[4] == '/')
		return false;
	if (n > 6 && f[1] == 'p' && f[2] == 'r' && f[3] == 'o' && f[4] == 'c' && f[5] == '/')
		return false;
	return true;
}

static __always_inline void read_exec_file(struct linux_binprm *bprm, struct vigil_exec_file *f)
{
	struct inode *inode = BPF_CORE_READ(bprm, file, f_inode);

	f->ino = BPF_CORE_READ(inode, i_ino);
	f->nlink = BPF_CORE_READ(inode, __i_nlink);
	f->mode = BPF_CORE_READ(inode, i_mode);
	f->uid = BPF_CORE_READ(inode, i_uid.val);
	f->gid = BPF_CORE_READ(inode, i_gid.val);
	f->per_clear = BPF_CORE_READ(bprm, per_clear);
	f->pad = 0;
}

/* Parent identity for a task that is not (yet) in the table. */
static __always_inline void parent_key(struct task_struct *task, struct vigil_proc_key *pk)
{
	struct vigil_proc_entry *pe;
	__u32 ppid = BPF_CORE_READ(task, real_parent, tgid);

	pk->pid = ppid;
	pe = bpf_map_lookup_elem(&proc_table, &ppid);
	pk->ktime = pe ? pe->ktime : 0;
}

static __always_inline int handle_fork(struct task_struct *parent, struct task_struct *child)
{
	struct vigil_proc_entry entry = {};
	struct vigil_clone_event *ev;
	__u32 tgid = BPF_CORE_READ(child, tgid);
	__u64 now = bpf_ktime_get_ns();

	if (BPF_CORE_READ(child, pid) != tgid)
		return 0; /* a new thread, not a new process */

	entry.ktime = now;
	entry.start_boottime = BPF_CORE_READ(child, start_boottime);
	parent_key(child, &entry.parent);
	if (bpf_map_update_elem(&proc_table, &tgid, &entry, BPF_ANY))
		stat_inc(VIGIL_STAT_TABLE_FULL);

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		stat_inc(VIGIL_STAT_LOST_CLONE);
		return 0;
	}
	ev->hdr.type = VIGIL_MSG_CLONE;
	ev->hdr.pad = 0;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.ktime = now;
	ev->proc.pid = tgid;
	ev->proc.pad = 0;
	ev->proc.ktime = now;
	ev->parent = entry.parent;
	ev->tid = BPF_CORE_READ(child, pid);
	ev->pad = 0;
	bpf_ringbuf_submit(ev, rb_flags());
	stat_inc(VIGIL_STAT_CLONE);
	return 0;
}

static __always_inline int handle_exec(struct task_struct *task, struct linux_binprm *bprm)
{
	struct vigil_proc_entry entry = {}, *pe;
	struct exec_scratch *s;
	struct vigil_exec_event *ev;
	char *data;
	struct fs_struct *fs;
	struct mm_struct *mm;
	struct kernfs_node *kn;
	struct walk w = {};
	bool trunc;
	__u32 zero = 0, tgid, off = 0, len;
	__u64 size;
	unsigned long arg_start, arg_end;
	long n;
	__u64 now = bpf_ktime_get_ns();

	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 0;
	ev = (struct vigil_exec_event *)s->raw;
	data = s->raw + sizeof(*ev);
	tgid = BPF_CORE_READ(task, tgid);

	pe = bpf_map_lookup_elem(&proc_table, &tgid);
	if (pe) {
		entry.parent = pe->parent;
	} else {
		parent_key(task, &entry.parent);
		entry.flags |= VIGIL_EXEC_F_NO_PARENT;
	}
	entry.ktime = now;
	entry.start_boottime = BPF_CORE_READ(task, start_boottime);
	if (bpf_map_update_elem(&proc_table, &tgid, &entry, BPF_ANY))
		stat_inc(VIGIL_STAT_TABLE_FULL);

	ev->hdr.type = VIGIL_MSG_EXEC;
	ev->hdr.pad = 0;
	ev->hdr.ktime = now;
	ev->proc.pid = tgid;
	ev->proc.pad = 0;
	ev->proc.ktime = now;
	ev->parent = entry.parent;
	ev->tid = BPF_CORE_READ(task, pid);
	ev->flags = entry.flags;
	ev->cgroup_id = 0;
	read_creds(task, &ev->creds);
	read_exec_file(bprm, &ev->file);
	__builtin_memset(ev->ns, 0, sizeof(ev->ns));
	read_namespaces(task, ev->ns);
	bpf_probe_read_kernel_str(ev->comm, sizeof(ev->comm), task->comm);

	fs = BPF_CORE_READ(task, fs);
	w.root_dentry = BPF_CORE_READ(fs, root.dentry);
	w.root_mnt = BPF_CORE_READ(fs, root.mnt);

	/* Binary: bprm->filename when it is a plain path, else the walked path
	 * of the file that was executed. */
	n = bpf_probe_read_kernel_str(data, VIGIL_FILENAME_MAX, BPF_CORE_READ(bprm, filename));
	if (plain_filename(data, n)) {
		if (n == VIGIL_FILENAME_MAX)
			ev->flags |= VIGIL_EXEC_F_TRUNC_FILENAME;
		record_binary(s, task, bprm, tgid, data, n);
		off = n;
	} else {
		record_binary(s, task, bprm, tgid, NULL, 0);
		struct file *file = BPF_CORE_READ(bprm, file);

		w.dentry = BPF_CORE_READ(file, f_path.dentry);
		w.vfsmnt = BPF_CORE_READ(file, f_path.mnt);
		off = walk_path(&w, 0, &trunc);
		ev->flags |= VIGIL_EXEC_F_FILENAME_WALKED;
		if (trunc)
			ev->flags |= VIGIL_EXEC_F_TRUNC_PATH;
	}
	ev->binary_len = off;

	/* Current working directory. */
	w.dentry = BPF_CORE_READ(fs, pwd.dentry);
	w.vfsmnt = BPF_CORE_READ(fs, pwd.mnt);
	len = walk_path(&w, off & DATA_MASK, &trunc);
	if (trunc)
		ev->flags |= VIGIL_EXEC_F_TRUNC_CWD;
	ev->cwd_len = len;
	off += len;

	/* Arguments, straight from the new image's stack. */
	mm = BPF_CORE_READ(task, mm);
	arg_start = BPF_CORE_READ(mm, arg_start);
	arg_end = BPF_CORE_READ(mm, arg_end);
	len = arg_end > arg_start ? arg_end - arg_start : 0;
	if (len > VIGIL_ARGS_MAX - 1) {
		len = VIGIL_ARGS_MAX - 1;
		ev->flags |= VIGIL_EXEC_F_TRUNC_ARGS;
	}
	len &= VIGIL_ARGS_MAX - 1;
	if (len && off <= VIGIL_DATA_MAX - VIGIL_ARGS_MAX) {
		if (bpf_probe_read_user(&data[off & DATA_MASK], len, (void *)arg_start)) {
			ev->flags |= VIGIL_EXEC_F_ERR_ARGS;
			len = 0;
		}
	} else if (len) {
		ev->flags |= VIGIL_EXEC_F_TRUNC_ARGS;
		len = 0;
	}
	ev->args_len = len;
	off += len;

	/* Cgroup (v2) of the task: id, leaf name and the parent's name. */
	kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	ev->cgroup_id = BPF_CORE_READ(kn, id);
	len = 0;
	if (off <= VIGIL_DATA_MAX - 2 * VIGIL_CGRP_NAME_MAX) {
		n = bpf_probe_read_kernel_str(&data[off & DATA_MASK], VIGIL_CGRP_NAME_MAX,
					      BPF_CORE_READ(kn, name));
		if (n > 0) {
			len = n;
			kn = kn_parent(kn);
			n = 0;
			if (kn)
				n = bpf_probe_read_kernel_str(&data[(off + len) & DATA_MASK],
							      VIGIL_CGRP_NAME_MAX,
							      BPF_CORE_READ(kn, name));
			if (n <= 0) {
				data[(off + len) & DATA_MASK] = 0;
				n = 1;
			}
			len += n;
		}
	}
	ev->cgroup_len = len;
	off += len;

	/* Every part above checked its room, so off <= VIGIL_DATA_MAX; the
	 * clamp states that bound for the verifier without losing data when
	 * the parts fill the area exactly (a mask would wrap that to 0).  It
	 * is done on a 64-bit size so the bounded register is the one used. */
	size = sizeof(*ev) + (__u64)off;
	if (size > sizeof(*ev) + VIGIL_DATA_MAX)
		size = sizeof(*ev) + VIGIL_DATA_MAX;
	ev->hdr.size = size;
	if (bpf_ringbuf_output(&events, ev, size, rb_flags())) {
		stat_inc(VIGIL_STAT_LOST_EXEC);
		return 0;
	}
	stat_inc(VIGIL_STAT_EXEC);
	return 0;
}

static __always_inline int handle_exit(struct task_struct *task)
{
	struct vigil_proc_entry *pe;
	struct vigil_exit_event *ev;
	__u32 tgid = BPF_CORE_READ(task, tgid);

	/* Only the last thread of the group reports the process exit. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		stat_inc(VIGIL_STAT_LOST_EXIT);
		bpf_map_delete_elem(&proc_table, &tgid);
		bpf_map_delete_elem(&proc_bins, &tgid);
		return 0;
	}
	ev->hdr.type = VIGIL_MSG_EXIT;
	ev->hdr.pad = 0;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.ktime = bpf_ktime_get_ns();
	ev->proc.pid = tgid;
	ev->proc.pad = 0;
	pe = bpf_map_lookup_elem(&proc_table, &tgid);
	if (pe) {
		ev->proc.ktime = pe->ktime;
		ev->parent = pe->parent;
	} else {
		ev->proc.ktime = 0;
		parent_key(task, &ev->parent);
	}
	ev->tid = BPF_CORE_READ(task, pid);
	ev->exit_code = BPF_CORE_READ(task, exit_code);
	bpf_ringbuf_submit(ev, rb_flags());
	bpf_map_delete_elem(&proc_table, &tgid);
	bpf_map_delete_elem(&proc_bins, &tgid);
	stat_inc(VIGIL_STAT_EXIT);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tp_btf_fork, struct task_struct *parent, struct task_struct *child)
{
	return handle_fork(parent, child);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tp_btf_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(task, bprm);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tp_btf_exit, struct task_struct *task)
{
	return handle_exit(task);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(raw_tp_fork, struct task_struct *parent, struct task_struct *child)
{
	return handle_fork(parent, child);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_tp_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(task, bprm);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(raw_tp_exit, struct task_struct *task)
{
	return handle_exit(task);
}
