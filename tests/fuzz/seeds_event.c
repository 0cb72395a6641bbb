// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_event.c - write the seed corpus of fuzz_event: a few well-formed
 * ring-buffer messages laid out as bpf-lsm/process.bpf.c writes them, one
 * message per file.
 *
 *   usage: seeds_event DIR
 *
 * The messages tell one story, so that the fuzzer's process cache (kept
 * across inputs) sees parents, clones and exits of known processes:
 * pid 4242 execs curl in a docker container, forks 4243, 4243 execs a
 * walked path with quoted arguments in a Kubernetes pod, both exit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "seed_file.h"

#include "vigil_abi.h"

#define CID                                \
	"4f1c9d2e7a8b6c5d3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d"
#define POD "0a1b2c3d_4e5f_6a7b_8c9d_0e1f2a3b4c5d"

/* A data part: bytes and length (the bytes hold NULs). */
struct part {
	const char *p;
	size_t len;
};

#define PART(lit) ((struct part){ (lit), sizeof(lit) - 1 })

static void fill_common(struct vigil_exec_event *ev, __u32 pid, __u64 ktime, __u32 ppid,
			__u64 pktime)
{
	static const __u32 host_ns[VIGIL_NS_COUNT] = { 4026531838U, 4026531839U, 4026531840U,
						       4026531836U, 4026531836U, 4026531992U,
						       4026531834U, 4026531834U, 4026531835U,
						       4026531837U };

	ev->hdr.type = VIGIL_MSG_EXEC;
	ev->hdr.ktime = ktime;
	ev->proc.pid = pid;
	ev->proc.ktime = ktime;
	ev->parent.pid = ppid;
	ev->parent.ktime = pktime;
	ev->tid = pid;
	ev->cgroup_id = 4321;
	ev->creds.auid = 1000;
	ev->creds.cap_permitted = 0x000001ffffffffffULL;
	ev->creds.cap_effective = 0x000001ffffffffffULL;
	ev->file.ino = 131000 + pid;
	ev->file.nlink = 1;
	ev->file.mode = 0100755;
	memcpy(ev->ns, host_ns, sizeof(ev->ns));
}

/* An exec message: fixed fields, then the four parts in ABI order, each
 * with its length in the header, as the kernel writes them. */
static void exec_seed(const char *name, struct vigil_exec_event *tmpl, struct part binary,
		      struct part cwd, struct part args, struct part cgroup)
{
	static unsigned char buf[sizeof(struct vigil_exec_event) + VIGIL_DATA_MAX];
	struct vigil_exec_event *ev = (struct vigil_exec_event *)buf;
	size_t off = sizeof(*ev);
	const struct part parts[] = { binary, cwd, args, cgroup };
	__u16 *lens[] = { &ev->binary_len, &ev->cwd_len, &ev->args_len, &ev->cgroup_len };
	size_t i;

	memcpy(ev, tmpl, sizeof(*ev));
	for (i = 0; i < 4; i++) {
		memcpy(buf + off, parts[i].p, parts[i].len);
		*lens[i] = (__u16)parts[i].len;
		off += parts[i].len;
	}
	ev->hdr.size = (__u32)off;
	seed_write(name, buf, off);
}

static void clone_seed(const char *name, __u32 pid, __u64 ktime, __u32 ppid, __u64 pktime)
{
	struct vigil_clone_event ev = { 0 };

	ev.hdr.type = VIGIL_MSG_CLONE;
	ev.hdr.size = sizeof(ev);
	ev.hdr.ktime = ktime;
	ev.proc.pid = pid;
	ev.proc.ktime = ktime;
	ev.parent.pid = ppid;
	ev.parent.ktime = pktime;
	ev.tid = pid;
	seed_write(name, &ev, sizeof(ev));
}

static void exit_seed(const char *name, __u32 pid, __u64 ktime, __u64 when, __u32 exit_code)
{
	struct vigil_exit_event ev = { 0 };

	ev.hdr.type = VIGIL_MSG_EXIT;
	ev.hdr.size = sizeof(ev);
	ev.hdr.ktime = when;
	ev.proc.pid = pid;
	ev.proc.ktime = ktime;
	ev.tid = pid;
	ev.exit_code = exit_code;
	seed_write(name, &ev, sizeof(ev));
}

/* A policy event: one path argument and one integer. */
static void policy_seed(const char *name, __u32 pid, const char *path)
{
	static unsigned char buf[sizeof(struct vigil_policy_event) +
				 2 * sizeof(struct vigil_arg_rec) + VIGIL_PATH_BUF];
	struct vigil_policy_event *ev = (void *)buf;
	struct vigil_arg_rec rec = { 0 };
	size_t off = 0, len = strlen(path) + 1;

	memset(buf, 0, sizeof(buf));
	ev->hdr.type = VIGIL_MSG_POLICY;
	ev->hdr.ktime = 9000000000ULL;
	ev->proc.pid = pid;
	ev->proc.ktime = 5000000000ULL;
	ev->tid = pid;
	ev->hook = (1U << 12) | 0;
	ev->action = VIGIL_ACTION_SIGKILL | VIGIL_ACTION_POST;
	rec.type = VIGIL_AT_LINUX_BINPRM;
	rec.len = (__u16)len;
	memcpy(ev->data + off, &rec, sizeof(rec));
	off += sizeof(rec);
	memcpy(ev->data + off, path, len);
	off += len;
	memset(&rec, 0, sizeof(rec));
	rec.slot = 1;
	rec.type = VIGIL_AT_INT;
	rec.num = 0644;
	memcpy(ev->data + off, &rec, sizeof(rec));
	off += sizeof(rec);
	ev->nargs = 2;
	ev->data_len = (__u16)off;
	ev->hdr.size = (__u32)(sizeof(*ev) + off);
	seed_write(name, buf, ev->hdr.size);
}

int main(int argc, char **argv)
{
	struct vigil_exec_event ev;

	if (seed_start(argc, argv))
		return 2;

	/* curl in a docker container: absolute bprm->filename, cwd /root. */
	memset(&ev, 0, sizeof(ev));
	fill_common(&ev, 4242, 5000000000ULL, 1, 100000000ULL);
	memcpy(ev.comm, "curl", 5);
	exec_seed("exec-docker", &ev, PART("/usr/bin/curl\0"), PART("root\0"),
		  PART("curl\0-s\0https://example.com\0"),
		  PART("docker-" CID ".scope\0system.slice\0"));

	/* A relative exec: the walked binary path, an argument with spaces,
	 * a Kubernetes pod cgroup, a non-root user, cwd "/". */
	memset(&ev, 0, sizeof(ev));
	fill_common(&ev, 4243, 6000000000ULL, 4242, 5000000000ULL);
	ev.flags = VIGIL_EXEC_F_FILENAME_WALKED;
	ev.creds.uid = ev.creds.euid = ev.creds.suid = ev.creds.fsuid = 1000;
	ev.creds.gid = ev.creds.egid = ev.creds.sgid = ev.creds.fsgid = 1000;
	ev.creds.cap_permitted = ev.creds.cap_effective = 0;
	ev.ns[VIGIL_NS_NET] = 4026532301U;
	memcpy(ev.comm, "sh", 3);
	exec_seed("exec-walked", &ev, PART("sh\0bin\0usr\0"), PART(""),
		  PART("sh\0-c\0echo hello world\0"),
		  PART("cri-containerd-" CID ".scope\0kubepods-besteffort-pod" POD ".slice\0"));

	/* Everything cut: argv without its final NUL (cut inside a UTF-8
	 * character), a cut filename, a cwd whose walk was cut, no parent in
	 * the kernel's table. */
	memset(&ev, 0, sizeof(ev));
	fill_common(&ev, 4300, 7000000000ULL, 4243, 6000000000ULL);
	ev.flags = VIGIL_EXEC_F_TRUNC_ARGS | VIGIL_EXEC_F_TRUNC_FILENAME | VIGIL_EXEC_F_TRUNC_CWD |
		   VIGIL_EXEC_F_NO_PARENT;
	memcpy(ev.comm, "python3", 8);
	exec_seed("exec-trunc", &ev, PART("/opt/\xc3\xa9t\xc3\xa9/bin/python3\0"),
		  PART("f\0e\0d\0c\0b\0a\0"), PART("python3\0-c\0print('caf\xc3"), PART(""));

	/* A setuid-root binary run by a user, and a fileless exec (memfd). */
	memset(&ev, 0, sizeof(ev));
	fill_common(&ev, 4301, 7100000000ULL, 4243, 6000000000ULL);
	ev.creds.uid = 1000; /* euid, suid, fsuid 0 */
	ev.creds.gid = ev.creds.egid = ev.creds.sgid = ev.creds.fsgid = 1000;
	ev.file.mode = 0104755;
	ev.file.per_clear = 1;
	memcpy(ev.comm, "passwd", 7);
	exec_seed("exec-setuid", &ev, PART("/usr/bin/passwd\0"), PART("alice\0home\0"),
		  PART("passwd\0"), PART("user@1000.service\0user-1000.slice\0"));
	memset(&ev, 0, sizeof(ev));
	fill_common(&ev, 4302, 7200000000ULL, 4243, 6000000000ULL);
	ev.flags = VIGIL_EXEC_F_FILENAME_WALKED;
	ev.file.nlink = 0;
	ev.file.mode = 0100777;
	memcpy(ev.comm, "3", 2);
	exec_seed("exec-memfd", &ev, PART("memfd:x (deleted)\0"), PART("tmp\0"), PART("x\0"),
		  PART(""));

	clone_seed("clone", 4244, 6500000000ULL, 4242, 5000000000ULL);
	exit_seed("exit-status", 4243, 6000000000ULL, 8000000000ULL, 2 << 8);
	exit_seed("exit-signal", 4244, 6500000000ULL, 8100000000ULL, 9);
	exit_seed("exit-miss", 9999, 0, 8200000000ULL, 0);
	policy_seed("policy-binprm", 4242, "/usr/bin/dash");
	return seed_failed;
}
