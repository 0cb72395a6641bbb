// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * probe.bpf.c - one trivial program of each kind vigild may use.  The agent
 * loads (and attaches) them one at a time to learn what the kernel allows.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("lsm/bprm_check_security")
int BPF_PROG(probe_lsm, struct linux_binprm *bprm, int ret)
{
	return ret;
}

SEC("fentry/security_bprm_check")
int BPF_PROG(probe_fentry, struct linux_binprm *bprm)
{
	return 0;
}

SEC("kprobe/security_bprm_check")
int BPF_KPROBE(probe_kprobe, struct linux_binprm *bprm)
{
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int probe_tracepoint(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(probe_tp_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(probe_raw_tp, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return 0;
}

/* A connect hook at the cgroup root, with what the policy program's
 * connect entries call: the current task and bpf_send_signal (Sigkill). */
SEC("cgroup/connect4")
int probe_cgroup(struct bpf_sock_addr *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (!task || ctx->user_port == 0xffff0000)
		bpf_send_signal(0);
	return 1;
}

/* Loads only if the verifier accepts bpf_send_signal() from a tracepoint;
 * it is never attached. */
SEC("raw_tp/sched_process_exec")
int BPF_PROG(probe_send_signal, struct task_struct *p)
{
	if (bpf_get_current_pid_tgid() == 0)
		bpf_send_signal(0);
	return 0;
}
