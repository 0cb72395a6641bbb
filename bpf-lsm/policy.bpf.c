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
 *       for each arg slot: read it (integer, or paths: the file's path walked
 *                          in the kernel, and bprm->filename as invoked)
 *       sel = first selector whose filters all match:
 *             matchArgs  (string sets: equal/prefix/postfix; integers:
 *                         set/GT/LT/Mask; Not forms negate), matchBinaries,
 *                         matchParentBinaries, matchNamespaces, matchPIDs
 *       none -> allow
 *       monitor mode: report the actions, take none
 *       Sigkill/Signal: bpf_send_signal; Post: emit one event
 *       Override (LSM): return the errno, else allow
 *
 * Entry programs: lsm (any BPF-LSM hook; target set at load), kprobe (a
 * kernel function, or a syscall whose arguments sit in the inner pt_regs),
 * and tp_btf/sched_process_exec, standing in for an exec hook where neither
 * BPF-LSM nor kprobes exist: the new image has not run an instruction yet.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "vigil_abi.h"
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile struct vigil_hook_cfg cfg = {};

#define EV_DATA	 8192 /* event data area (power of two) */
#define ARG_STR2 VIGIL_STR_MAX

/* One argument as read. */
struct arg_slot {
	__u64 num;
	__u32 len;  /* strlen(s) */
	__u32 len2; /* strlen(s2) */
	__u32 trunc;
	__u32 has2; /* s2 holds a second name (bprm->filename) */
	char s[VIGIL_PATH_BUF];
	char s2[ARG_STR2];
};

struct pol_scratch {
	struct rtl_bufs rtl;
	struct vigil_str_key skey;
	struct vigil_num_key nkey;
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

static __always_inline void read_file_path(struct pol_scratch *s, struct arg_slot *a,
					   struct task_struct *task, struct dentry *dentry,
					   struct vfsmount *mnt)
{
	__u32 trunc = 0, pos;

	pos = rtl_path(task, dentry, mnt, &trunc);
	take_path(s, a, pos, trunc);
}

static __always_inline void read_arg(struct pol_scratch *s, const __u64 *raw, __u32 slot,
				     struct task_struct *task)
{
	const volatile struct vigil_hook_arg *ha = &cfg.args[slot];
	struct arg_slot *a = &s->slot[slot & (VIGIL_HOOK_ARGS - 1)];
	__u64 v = ha->index < RAW_ARGS ? raw[ha->index] : 0;
	long n;

	a->num = 0;
	a->len = 0;
	a->len2 = 0;
	a->trunc = 0;
	a->has2 = 0;
	a->s[0] = 0;
	switch (ha->type) {
	case VIGIL_AT_INT:
		if (ha->width == 4)
			v = (ha->flags & VIGIL_ARG_F_SIGNED) ? (__u64)(__s64)(__s32)v : (__u32)v;
		else if (ha->width == 2)
			v = (ha->flags & VIGIL_ARG_F_SIGNED) ? (__u64)(__s64)(__s16)v : (__u16)v;
		else if (ha->width == 1)
			v = (ha->flags & VIGIL_ARG_F_SIGNED) ? (__u64)(__s64)(__s8)v : (__u8)v;
		a->num = v;
		break;
	case VIGIL_AT_LINUX_BINPRM: {
		struct linux_binprm *bprm = (void *)v;
		struct file *file = BPF_CORE_READ(bprm, file);

		read_file_path(s, a, task, BPF_CORE_READ(file, f_path.dentry),
			       BPF_CORE_READ(file, f_path.mnt));
		n = bpf_probe_read_kernel_str(a->s2, sizeof(a->s2), BPF_CORE_READ(bprm, filename));
		if (n > 1) {
			a->len2 = n - 1;
			a->has2 = 1;
		}
		break;
	}
	case VIGIL_AT_FILE: {
		struct file *file = (void *)v;

		read_file_path(s, a, task, BPF_CORE_READ(file, f_path.dentry),
			       BPF_CORE_READ(file, f_path.mnt));
		break;
	}
	case VIGIL_AT_STRING:
		/* A syscall's pointers are user memory; a kernel function's are
		 * kernel memory (the compiler says which). */
		if (ha->flags & VIGIL_ARG_F_USER)
			n = bpf_probe_read_user_str(a->s, sizeof(a->s), (void *)v);
		else
			n = bpf_probe_read_kernel_str(a->s, sizeof(a->s), (void *)v);
		if (n < 1) {
			a->s[0] = 0;
			n = 1;
		}
		a->len = (n - 1) & (VIGIL_PATH_BUF - 1);
		a->trunc = n == sizeof(a->s);
		break;
	case VIGIL_AT_PATH: {
		struct path *path = (void *)v;

		read_file_path(s, a, task, BPF_CORE_READ(path, dentry), BPF_CORE_READ(path, mnt));
		break;
	}
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
	}
	return f->negate ? !m : m;
}

static __always_inline bool match_bin(struct pol_scratch *s, const volatile struct vigil_sel_bin *f,
				      __u32 tgid, bool prev)
{
	struct vigil_proc_bin *b = bpf_map_lookup_elem(&proc_bins, &tgid);
	bool m = false;

	if (b) {
		if (prev)
			m = str_in_set(s, f->kind, f->set, b->prev, b->prev_len);
		else
			m = str_in_set(s, f->kind, f->set, b->cur, b->cur_len);
	}
	return f->negate ? !m : m;
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

static __always_inline bool match_selector(struct pol_scratch *s,
					   const volatile struct vigil_sel_cfg *sel,
					   struct task_struct *task, __u32 tgid)
{
	/* After the exec the tracepoint fallback runs in the new image: the
	 * caller is the binary before it. */
	bool caller_prev = cfg.attach == VIGIL_ATTACH_EXEC_TRACEPOINT;
	int i;

	for (i = 0; i < VIGIL_SEL_ARGS; i++) {
		if (i >= sel->nargs)
			break;
		if (!match_arg(s, &sel->args[i]))
			return false;
	}
	if (sel->bin.kind && !match_bin(s, &sel->bin, tgid, caller_prev))
		return false;
	if (sel->pbin.kind) {
		struct vigil_proc_entry *pe = bpf_map_lookup_elem(&proc_table, &tgid);
		__u32 ppid = pe ? pe->parent.pid : BPF_CORE_READ(task, real_parent, tgid);

		if (!match_bin(s, &sel->pbin, ppid, false))
			return false;
	}
	if (sel->ns.mask && !match_ns(s, &sel->ns, task))
		return false;
	if (sel->flags & VIGIL_SEL_F_PID) {
		bool m = num_in_set(s, sel->pid_set, tgid);

		if (sel->flags & VIGIL_SEL_F_PID_NOT)
			m = !m;
		if (!m)
			return false;
	}
	return true;
}

/* --- acting ----------------------------------------------------------------- */

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
		len = 0;
		if (cfg.args[i].type != VIGIL_AT_INT) {
			len = a->len + 1;
			barrier_var(len);
			len &= VIGIL_PATH_BUF - 1;
			bpf_probe_read_kernel(&ev->data[(off + sizeof(*rec)) & (EV_DATA - 1)], len,
					      a->s);
			if (a->trunc)
				ev->flags |= VIGIL_PEV_F_TRUNC;
		}
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

/* Evaluate the hook on the function's raw arguments; returns what an LSM
 * hook returns (0 or an errno). */
static __always_inline int run_hook(const __u64 *raw)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, policy = cfg.policy, i, flags = 0;
	struct vigil_policy_state *st = bpf_map_lookup_elem(&policy_state, &policy);
	const volatile struct vigil_sel_cfg *sel = NULL;
	struct pol_scratch *s = scratch();

	if (!s || !st || !(st->flags & VIGIL_POLICY_ENABLED))
		return 0;
	for (i = 0; i < VIGIL_HOOK_ARGS; i++) {
		if (i >= cfg.nargs)
			break;
		read_arg(s, raw, i, task);
	}
	for (i = 0; i < VIGIL_SELECTORS; i++) {
		if (i >= cfg.nsel)
			break;
		if (match_selector(s, &cfg.sel[i], task, tgid)) {
			sel = &cfg.sel[i];
			break;
		}
	}
	if (!sel && cfg.nsel)
		return 0;
	if (!sel) /* no selectors: every call posts */
		goto post;
	if (st->flags & VIGIL_POLICY_MONITOR)
		flags |= VIGIL_PEV_F_MONITOR;
	if (!(flags & VIGIL_PEV_F_MONITOR)) {
		if (sel->actions & VIGIL_ACTION_SIGKILL)
			bpf_send_signal(9);
		else if (sel->actions & VIGIL_ACTION_SIGNAL)
			bpf_send_signal(sel->signal);
	}
	if (sel->actions & VIGIL_ACTION_POST)
		emit(s, tgid, (__u32)pid_tgid, sel->actions, flags,
		     (sel->actions & VIGIL_ACTION_OVERRIDE) ? sel->error : 0);
	if ((sel->actions & VIGIL_ACTION_OVERRIDE) && !(flags & VIGIL_PEV_F_MONITOR))
		return sel->error;
	return 0;
post:
	emit(s, tgid, (__u32)pid_tgid, VIGIL_ACTION_POST, 0, 0);
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
	__u64 raw[RAW_ARGS] = {};

	kprobe_args(ctx, raw);
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

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vigil_exec_tp, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	/* The exec hook's only argument, the binprm. */
	__u64 raw[RAW_ARGS] = { (__u64)bprm };

	run_hook(raw);
	return 0;
}
