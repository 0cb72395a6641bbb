// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/procfs.c, run against fake /proc trees built in a
 * mkdtemp() directory: stat, cmdline, status, loginuid, cgroup files and
 * exe, cwd, ns/<name> symlinks (whose targets need not exist).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "procfs.h"

#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"
#define UID_D "7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a998"
#define UID_U "7d3f1c2a_9b8e_4c6d_a5f4_e3d2c1b0a998"

/* Namespace inode numbers of the fake processes: NS_BASE + slot. */
#define NS_BASE 4026531830U

#define STATUS                           \
	"Name:\tcurl\n"                  \
	"Umask:\t0022\n"                 \
	"State:\tS (sleeping)\n"         \
	"Tgid:\t1234\n"                  \
	"Pid:\t1234\n"                   \
	"PPid:\t1\n"                     \
	"Uid:\t1000\t1001\t1002\t1003\n" \
	"Gid:\t2000\t2001\t2002\t2003\n" \
	"FDSize:\t64\n"                  \
	"Groups:\t4 24 27\n"             \
	"CapInh:\t0000000000000000\n"    \
	"CapPrm:\t000001ffffffffff\n"    \
	"CapEff:\t00000000a80425fb\n"    \
	"CapBnd:\t000001ffffffffff\n"    \
	"CapAmb:\t0000000000000000\n"    \
	"Seccomp:\t0\n"

/* One fake /proc/<pid>; NULL members are not created. */
struct fake_proc {
	uint32_t pid, ppid;
	const char *comm;
	unsigned long long starttime;
	const char *exe, *cwd;
	const char *cmdline;
	size_t cmdline_len;
	const char *status, *loginuid, *cgroup;
	bool ns;
};

/* A cmdline as the kernel shows it: each argument NUL-terminated. */
#define CMDLINE(lit) .cmdline = (lit), .cmdline_len = sizeof(lit) - 1

static void write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void make_link(const char *dir, const char *name, const char *target)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(symlink(target, path), 0);
}

static void make_proc(const char *root, const struct fake_proc *fp)
{
	static const char *const ns_names[VIGIL_NS_COUNT] = {
		"uts",
		"ipc",
		"mnt",
		"pid",
		"pid_for_children",
		"net",
		"time",
		"time_for_children",
		"cgroup",
		"user",
	};
	char dir[256], buf[512];
	int i, n;

	snprintf(dir, sizeof(dir), "%s/%u", root, fp->pid);
	assert_int_equal(mkdir(dir, 0755), 0);
	n = snprintf(buf, sizeof(buf),
		     "%u (%s) S %u %u %u 0 -1 4194560 120 0 0 0 5 3 0 0 20 0 1 0 %llu "
		     "12345678 900 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 0 17 2 0 0 0 0 0\n",
		     fp->pid, fp->comm ? fp->comm : "proc", fp->ppid, fp->pid, fp->pid,
		     fp->starttime);
	write_file(dir, "stat", buf, (size_t)n);
	if (fp->exe)
		make_link(dir, "exe", fp->exe);
	if (fp->cwd)
		make_link(dir, "cwd", fp->cwd);
	if (fp->cmdline)
		write_file(dir, "cmdline", fp->cmdline, fp->cmdline_len);
	if (fp->status)
		write_file(dir, "status", fp->status, strlen(fp->status));
	if (fp->loginuid)
		write_file(dir, "loginuid", fp->loginuid, strlen(fp->loginuid));
	if (fp->cgroup)
		write_file(dir, "cgroup", fp->cgroup, strlen(fp->cgroup));
	if (fp->ns) {
		snprintf(buf, sizeof(buf), "%s/ns", dir);
		assert_int_equal(mkdir(buf, 0755), 0);
		for (i = 0; i < VIGIL_NS_COUNT; i++) {
			char name[64], target[64];

			snprintf(name, sizeof(name), "ns/%s", ns_names[i]);
			snprintf(target, sizeof(target), "%s:[%u]", ns_names[i],
				 NS_BASE + (unsigned int)i);
			make_link(dir, name, target);
		}
	}
}

/* The full-featured process the read tests look at. */
static const struct fake_proc curl = {
	.pid = 1234,
	.ppid = 1,
	.comm = "curl",
	.starttime = 12345,
	.exe = "/usr/bin/curl",
	.cwd = "/home/user",
	CMDLINE("curl\0-s\0https://example\0a b\0"),
	.status = STATUS,
	.loginuid = "1000",
	.cgroup = "0::/system.slice/docker-" CID ".scope\n",
	.ns = true,
};

static int setup(void **state)
{
	char *root = strdup("/tmp/vigil-procfs-XXXXXX");

	if (!root || !mkdtemp(root)) {
		free(root);
		return -1;
	}
	*state = root;
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	char *root = *state;
	int err = nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(root);
	return err;
}

static struct vigil_procfs_info *read_ok(const char *root, uint32_t pid, long hz)
{
	struct vigil_procfs_info *info = malloc(sizeof(*info));

	assert_non_null(info);
	assert_int_equal(vigil_procfs_read(root, pid, hz, info), 0);
	assert_int_equal(info->pid, pid);
	return info;
}

/* The container id and pod UID seeding gives the process pid of root. */
static void expect_seeded_ids(const char *root, uint32_t pid, const char *cid, const char *pod)
{
	struct vigil_cache *c = vigil_cache_new();
	struct vigil_process *p;

	assert_non_null(c);
	assert_int_equal(vigil_procfs_seed(c, root, NULL, NULL), 0);
	p = vigil_cache_find(c, pid);
	assert_non_null(p);
	assert_string_equal(p->container_id, cid);
	assert_string_equal(p->pod_uid, pod);
	vigil_cache_free(c);
}

/* --- vigil_procfs_read ---------------------------------------------------- */

static void test_read_parses_stat_exe_cmdline_cwd(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info;

	make_proc(root, &curl);
	info = read_ok(root, 1234, 100);
	assert_int_equal(info->ppid, 1);
	assert_int_equal(info->ktime, 12345ULL * 10000000ULL);
	assert_string_equal(info->binary, "/usr/bin/curl");
	assert_string_equal(info->args, "-s https://example \"a b\"");
	assert_string_equal(info->cwd, "/home/user");
	free(info);
}

static void test_read_marks_long_cmdline_truncated(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info;
	struct fake_proc p = curl;
	static char cmdline[6000];

	/* "curl" then one argument longer than the joined-args buffer */
	memset(cmdline, 'x', sizeof(cmdline));
	memcpy(cmdline, "curl", 5);
	cmdline[sizeof(cmdline) - 1] = '\0';
	p.cmdline = cmdline;
	p.cmdline_len = sizeof(cmdline);
	make_proc(root, &p);
	info = read_ok(root, 1234, 100);
	assert_true(info->args_truncated);
	assert_true(strlen(info->args) < sizeof(info->args));
	free(info);

	/* the same process with a short command line is not marked */
	p = curl;
	p.pid = 1235;
	make_proc(root, &p);
	info = read_ok(root, 1235, 100);
	assert_false(info->args_truncated);
	free(info);
}

static void test_read_ktime_uses_ticks_per_sec(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info;

	make_proc(root, &curl);
	info = read_ok(root, 1234, 250);
	assert_int_equal(info->ktime, 12345ULL * 4000000ULL);
	free(info);
	info = read_ok(root, 1234, 1000);
	assert_int_equal(info->ktime, 12345ULL * 1000000ULL);
	free(info);
	/* A bogus rate falls back to USER_HZ 100. */
	info = read_ok(root, 1234, 0);
	assert_int_equal(info->ktime, 12345ULL * 10000000ULL);
	free(info);
}

static void test_read_parses_status_creds_and_caps(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info;

	make_proc(root, &curl);
	info = read_ok(root, 1234, 100);
	/* Uid: real, effective, saved, filesystem. */
	assert_int_equal(info->creds.uid, 1000);
	assert_int_equal(info->creds.euid, 1001);
	assert_int_equal(info->creds.suid, 1002);
	assert_int_equal(info->creds.fsuid, 1003);
	assert_int_equal(info->creds.gid, 2000);
	assert_int_equal(info->creds.egid, 2001);
	assert_int_equal(info->creds.sgid, 2002);
	assert_int_equal(info->creds.fsgid, 2003);
	assert_int_equal(info->creds.cap_inheritable, 0);
	assert_int_equal(info->creds.cap_permitted, 0x000001ffffffffffULL);
	assert_int_equal(info->creds.cap_effective, 0x00000000a80425fbULL);
	assert_int_equal(info->creds.auid, 1000);
	free(info);
}

static void test_read_unset_loginuid(void **state)
{
	const char *root = *state;
	struct fake_proc fp = curl;
	struct vigil_procfs_info *info;

	fp.loginuid = "4294967295";
	make_proc(root, &fp);
	info = read_ok(root, 1234, 100);
	assert_int_equal(info->creds.auid, UINT32_MAX);
	free(info);
}

static void test_read_parses_namespace_links(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info;
	int i;

	make_proc(root, &curl);
	info = read_ok(root, 1234, 100);
	for (i = 0; i < VIGIL_NS_COUNT; i++)
		assert_int_equal(info->ns[i], NS_BASE + (unsigned int)i);
	assert_int_equal(info->ns[VIGIL_NS_UTS], 4026531830U);
	assert_int_equal(info->ns[VIGIL_NS_USER], 4026531839U);
	free(info);
}

static void test_seed_container_id_from_docker_cgroup(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info;

	make_proc(root, &curl);
	info = read_ok(root, 1234, 100);
	assert_string_equal(info->cgroup, "/system.slice/docker-" CID ".scope");
	free(info);
	expect_seeded_ids(root, 1234, CID, "");
}

static void test_seed_container_and_pod_from_kubepods_cgroup(void **state)
{
	const char *root = *state;
	struct fake_proc fp = curl;
	struct vigil_procfs_info *info;

	fp.cgroup = "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		    ".slice/cri-containerd-" CID ".scope\n";
	make_proc(root, &fp);
	info = read_ok(root, 1234, 100);
	assert_string_equal(info->cgroup,
			    "/kubepods.slice/kubepods-burstable.slice/"
			    "kubepods-burstable-pod" UID_U ".slice/cri-containerd-" CID ".scope");
	free(info);
	expect_seeded_ids(root, 1234, CID, UID_D);
}

static void test_read_cgroup_v1_uses_first_path(void **state)
{
	const char *root = *state;
	struct fake_proc fp = curl;
	struct vigil_procfs_info *info;

	fp.cgroup = "12:memory:/docker/" CID "\n"
		    "11:cpu,cpuacct:/docker/" CID "\n"
		    "1:name=systemd:/docker/" CID "\n";
	make_proc(root, &fp);
	info = read_ok(root, 1234, 100);
	assert_string_equal(info->cgroup, "/docker/" CID);
	free(info);
	expect_seeded_ids(root, 1234, CID, "");
}

static void test_read_host_cgroup_has_no_container(void **state)
{
	const char *root = *state;
	struct fake_proc fp = curl;
	struct vigil_procfs_info *info;

	fp.cgroup = "0::/user.slice/user-1000.slice/session-2.scope\n";
	make_proc(root, &fp);
	info = read_ok(root, 1234, 100);
	assert_string_equal(info->cgroup, "/user.slice/user-1000.slice/session-2.scope");
	free(info);
	expect_seeded_ids(root, 1234, "", "");
}

static void test_read_missing_exe_is_enoent(void **state)
{
	const char *root = *state;
	struct fake_proc kthread = { .pid = 2, .ppid = 0, .comm = "kthreadd", .starttime = 1 };
	struct vigil_procfs_info *info = malloc(sizeof(*info));

	assert_non_null(info);
	make_proc(root, &kthread);
	assert_int_equal(vigil_procfs_read(root, 2, 100, info), -ENOENT);
	/* A pid with no directory at all: gone. */
	assert_int_equal(vigil_procfs_read(root, 4242, 100, info), -ENOENT);
	free(info);
}

static void test_read_comm_with_paren_and_spaces(void **state)
{
	const char *root = *state;
	struct fake_proc fp = curl;
	struct vigil_procfs_info *info;

	/* A comm that looks like the end of comm followed by fields. */
	fp.comm = "a) S 99 (b c";
	fp.starttime = 777;
	make_proc(root, &fp);
	info = read_ok(root, 1234, 100);
	assert_int_equal(info->ppid, 1);
	assert_int_equal(info->ktime, 777ULL * 10000000ULL);
	free(info);
}

static void test_read_malformed_stat_is_einval(void **state)
{
	const char *root = *state;
	struct vigil_procfs_info *info = malloc(sizeof(*info));
	char dir[256];
	static const char short_stat[] = "1234 (curl) S 1 1234 1234 0 -1 4194560 120\n";
	static const char no_paren[] = "1234 curl S 1 1234 1234\n";

	assert_non_null(info);
	make_proc(root, &curl);
	snprintf(dir, sizeof(dir), "%s/1234", root);
	write_file(dir, "stat", short_stat, sizeof(short_stat) - 1);
	assert_int_equal(vigil_procfs_read(root, 1234, 100, info), -EINVAL);
	write_file(dir, "stat", no_paren, sizeof(no_paren) - 1);
	assert_int_equal(vigil_procfs_read(root, 1234, 100, info), -EINVAL);
	free(info);
}

static void test_read_without_optional_files(void **state)
{
	const char *root = *state;
	struct fake_proc fp = { .pid = 55, .ppid = 1, .starttime = 3, .exe = "/bin/sleep" };
	struct vigil_procfs_info *info;
	int i;

	make_proc(root, &fp);
	info = read_ok(root, 55, 100);
	assert_string_equal(info->binary, "/bin/sleep");
	assert_string_equal(info->cwd, "");
	assert_string_equal(info->args, "");
	assert_int_equal(info->creds.uid, 0);
	assert_int_equal(info->creds.cap_effective, 0);
	assert_int_equal(info->creds.auid, UINT32_MAX);
	for (i = 0; i < VIGIL_NS_COUNT; i++)
		assert_int_equal(info->ns[i], 0);
	assert_string_equal(info->cgroup, "");
	free(info);
	expect_seeded_ids(root, 55, "", "");
}

/* --- vigil_procfs_ns ------------------------------------------------------ */

static void test_ns_reads_inums_or_enoent(void **state)
{
	const char *root = *state;
	struct fake_proc bare = { .pid = 56, .exe = "/bin/true" };
	uint32_t ns[VIGIL_NS_COUNT];

	make_proc(root, &curl);
	make_proc(root, &bare);
	assert_int_equal(vigil_procfs_ns(root, 1234, ns), 0);
	assert_int_equal(ns[VIGIL_NS_UTS], NS_BASE + VIGIL_NS_UTS);
	assert_int_equal(ns[VIGIL_NS_NET], NS_BASE + VIGIL_NS_NET);
	assert_int_equal(ns[VIGIL_NS_CGROUP], NS_BASE + VIGIL_NS_CGROUP);
	memset(ns, 0xff, sizeof(ns));
	assert_int_equal(vigil_procfs_ns(root, 56, ns), -ENOENT);
	assert_int_equal(ns[VIGIL_NS_UTS], 0);
	assert_int_equal(ns[VIGIL_NS_USER], 0);
}

/* --- vigil_procfs_seed ---------------------------------------------------- */

struct seen {
	int calls;
	uint32_t pid[8];
	uint32_t parent_pid[8]; /* 0: no parent record */
	struct vigil_proc_key parent_key[8];
};

static void on_seed(void *arg, const struct vigil_process *p, uint64_t start_boottime, bool replace)
{
	struct seen *s = arg;

	(void)start_boottime;
	assert_false(replace);

	assert_true(s->calls < 8);
	s->pid[s->calls] = p->pid;
	s->parent_pid[s->calls] = p->parent ? p->parent->pid : 0;
	s->parent_key[s->calls] = p->parent_key;
	s->calls++;
}

static void make_chain(const char *root)
{
	struct fake_proc init = { .pid = 1,
				  .ppid = 0,
				  .comm = "systemd",
				  .starttime = 10,
				  .exe = "/usr/lib/systemd/systemd",
				  .cwd = "/",
				  CMDLINE("/sbin/init\0splash\0"),
				  .ns = true };
	struct fake_proc sh = {
		.pid = 2, .ppid = 1, .comm = "sh", .starttime = 20, .exe = "/bin/sh", .cwd = "/root"
	};
	struct fake_proc kthread = { .pid = 3, .ppid = 0, .comm = "kworker/0:1", .starttime = 2 };
	struct fake_proc c = curl;
	char path[256];

	c.ppid = 2;
	c.starttime = 30;
	make_proc(root, &init);
	make_proc(root, &sh);
	make_proc(root, &kthread);
	make_proc(root, &c);
	/* Entries that are not processes. */
	snprintf(path, sizeof(path), "%s/sys", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/12abc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/0", root);
	assert_int_equal(mkdir(path, 0755), 0);
	make_link(root, "self", "1234");
	write_file(root, "uptime", "1.00 2.00\n", 10);
}

static int index_of(const struct seen *s, uint32_t pid)
{
	int i, found = -1;

	for (i = 0; i < s->calls; i++) {
		if (s->pid[i] == pid) {
			assert_int_equal(found, -1); /* once per process */
			found = i;
		}
	}
	if (found < 0)
		fail_msg("pid %u not seeded", pid);
	return found;
}

static void test_seed_links_parents_and_calls_back_once_each(void **state)
{
	const char *root = *state;
	struct vigil_cache *c = vigil_cache_new();
	struct seen s = { 0 };
	struct vigil_process *p1, *p2, *p3;
	int i;

	struct vigil_seed_ops ops = { .mirror = on_seed, .arg = &s };
	struct vigil_seed_result r;

	assert_non_null(c);
	make_chain(root);
	assert_int_equal(vigil_procfs_seed(c, root, &ops, &r), 0);
	assert_int_equal(r.seeded, 3);
	assert_int_equal(r.adopted, 0);
	assert_int_equal(s.calls, 3);
	p1 = vigil_cache_find(c, 1);
	p2 = vigil_cache_find(c, 2);
	p3 = vigil_cache_find(c, 1234);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_non_null(p3);
	assert_null(vigil_cache_find(c, 3)); /* kernel thread */
	assert_int_equal(vigil_cache_live(c), 3);
	assert_int_equal(vigil_cache_total(c), 3);

	/* The callback saw each process with its parent already set. */
	i = index_of(&s, 1);
	assert_int_equal(s.parent_pid[i], 0);
	assert_int_equal(s.parent_key[i].pid, 0);
	i = index_of(&s, 2);
	assert_int_equal(s.parent_pid[i], 1);
	assert_int_equal(s.parent_key[i].pid, p1->pid);
	assert_int_equal(s.parent_key[i].ktime, p1->ktime);
	i = index_of(&s, 1234);
	assert_int_equal(s.parent_pid[i], 2);
	assert_int_equal(s.parent_key[i].pid, p2->pid);
	assert_int_equal(s.parent_key[i].ktime, p2->ktime);

	assert_ptr_equal(p2->parent, p1);
	assert_ptr_equal(p3->parent, p2);
	assert_null(p1->parent);
	vigil_cache_free(c);
}

static void test_seed_records_procfs_image(void **state)
{
	const char *root = *state;
	struct vigil_cache *c = vigil_cache_new();
	uint64_t tick_ns = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
	struct vigil_process *p;

	struct vigil_seed_result r;

	assert_non_null(c);
	make_chain(root);
	assert_int_equal(vigil_procfs_seed(c, root, NULL, &r), 0);
	assert_int_equal(r.seeded, 3);

	p = vigil_cache_find(c, 1);
	assert_non_null(p);
	assert_int_equal(p->flags, VIGIL_PF_PROCFS | VIGIL_PF_ROOTCWD);
	assert_string_equal(p->binary, "/usr/lib/systemd/systemd");
	assert_string_equal(p->args, "splash");
	/* exec_id derives from (ktime, pid): ktime is starttime in ns. */
	assert_int_equal(p->ktime, 10 * tick_ns);
	assert_int_equal(p->pid, 1);

	p = vigil_cache_find(c, 1234);
	assert_non_null(p);
	assert_int_equal(p->flags, VIGIL_PF_PROCFS);
	assert_string_equal(p->binary, "/usr/bin/curl");
	assert_string_equal(p->args, "-s https://example \"a b\"");
	assert_string_equal(p->cwd, "/home/user");
	assert_int_equal(p->ktime, 30 * tick_ns);
	assert_int_equal(p->creds.euid, 1001);
	assert_int_equal(p->creds.auid, 1000);
	assert_int_equal(p->ns[VIGIL_NS_PID], NS_BASE + VIGIL_NS_PID);
	assert_string_equal(p->container_id, CID);
	vigil_cache_free(c);
}

static void expect_key(const struct vigil_proc_key *k, uint32_t pid, uint64_t ktime)
{
	assert_int_equal(k->pid, pid);
	assert_int_equal(k->ktime, ktime);
}

/* A fake kernel process table: what an earlier agent left pinned. */
struct fake_table {
	uint32_t pid[4];
	struct vigil_proc_entry e[4];
	int n;
	struct seen mirrored;
	int replaced;
};

static int table_lookup(void *arg, uint32_t pid, struct vigil_proc_entry *e)
{
	struct fake_table *t = arg;
	int i;

	for (i = 0; i < t->n; i++) {
		if (t->pid[i] == pid) {
			*e = t->e[i];
			return 0;
		}
	}
	return -ENOENT;
}

static void table_mirror(void *arg, const struct vigil_process *p, uint64_t start_boottime,
			 bool replace)
{
	struct fake_table *t = arg;
	uint64_t tick_ns = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);

	/* The start time handed to the table is the /proc one, in ns. */
	assert_int_equal(start_boottime % tick_ns, 0);
	t->replaced += replace;
	on_seed(&t->mirrored, p, start_boottime, false);
}

static struct vigil_process *saved_record(struct vigil_cache *saved, uint32_t pid, uint64_t ktime,
					  const char *binary, uint32_t flags)
{
	struct vigil_exec_desc d = { .pid = pid, .tid = pid, .ktime = ktime, .flags = flags };

	d.binary = binary;
	d.args = "600";
	d.cwd = "/srv";
	return vigil_cache_exec(saved, &d);
}

static void test_seed_adopts_identity_from_kernel_table(void **state)
{
	const char *root = *state;
	struct vigil_cache *c = vigil_cache_new(), *saved = vigil_cache_new();
	uint64_t tick_ns = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
	struct fake_table t = { 0 };
	struct vigil_seed_ops ops = { table_lookup, table_mirror, saved, &t };
	struct vigil_seed_result r;
	struct vigil_process *p, *s;

	assert_non_null(c);
	assert_non_null(saved);
	make_chain(root);
	/* curl (1234, starttime 30): same start time -> the same process; its
	 * exec ktime and parent key are the table's, its strings the saved ones. */
	t.pid[0] = 1234;
	t.e[0].ktime = 30 * tick_ns + 777;
	t.e[0].parent.pid = 2;
	t.e[0].parent.ktime = 20 * tick_ns;
	t.e[0].start_boottime = 30 * tick_ns + 5; /* ns precision in the kernel */
	/* sh (2): the pid was reused while no agent ran (start time differs). */
	t.pid[1] = 2;
	t.e[1].ktime = 5;
	t.e[1].start_boottime = 19 * tick_ns;
	t.n = 2;
	s = saved_record(saved, 1234, 30 * tick_ns + 777, "/bin/curl-as-invoked", VIGIL_PF_EXECVE);
	vigil_process_put(saved, s);
	/* a saved record for another image of pid 1 is ignored */
	s = saved_record(saved, 1, 999, "/wrong", VIGIL_PF_EXECVE);
	vigil_process_put(saved, s);

	assert_int_equal(vigil_procfs_seed(c, root, &ops, &r), 0);
	assert_int_equal(r.seeded, 3);
	assert_int_equal(r.adopted, 1);
	assert_int_equal(r.restored, 1);

	p = vigil_cache_find(c, 1234);
	assert_non_null(p);
	assert_int_equal(p->ktime, 30 * tick_ns + 777);
	assert_string_equal(p->binary, "/bin/curl-as-invoked");
	assert_string_equal(p->args, "600");
	assert_string_equal(p->cwd, "/srv");
	assert_int_equal(p->flags, VIGIL_PF_EXECVE);
	/* linked to the live parent its key names */
	assert_non_null(p->parent);
	assert_int_equal(p->parent->pid, 2);
	expect_key(&p->parent_key, 2, 20 * tick_ns);

	/* the reused pid is seeded from /proc and replaces the stale entry */
	p = vigil_cache_find(c, 2);
	assert_int_equal(p->ktime, 20 * tick_ns);
	assert_int_equal(p->flags, VIGIL_PF_PROCFS);
	assert_string_equal(p->binary, "/bin/sh");
	assert_int_equal(t.replaced, 1);
	/* only the processes not adopted are mirrored into the table */
	assert_int_equal(t.mirrored.calls, 2);
	index_of(&t.mirrored, 1);
	index_of(&t.mirrored, 2);
	vigil_cache_free(c);
	vigil_cache_free(saved);
}

static void test_seed_adopted_without_saved_record_keeps_identity(void **state)
{
	const char *root = *state;
	struct vigil_cache *c = vigil_cache_new();
	uint64_t tick_ns = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
	struct fake_table t = { 0 };
	struct vigil_seed_ops ops = { table_lookup, table_mirror, NULL, &t };
	struct vigil_seed_result r;
	struct vigil_process *p;

	assert_non_null(c);
	make_chain(root);
	/* An agent that crashed saved nothing: exec_id and start_time (ktime)
	 * and the parent key still come from the table; strings from /proc. */
	t.pid[0] = 1234;
	t.e[0].ktime = 30 * tick_ns + 777;
	t.e[0].parent.pid = 77; /* a parent that has exited since */
	t.e[0].parent.ktime = 12345;
	t.e[0].start_boottime = 30 * tick_ns;
	t.n = 1;
	assert_int_equal(vigil_procfs_seed(c, root, &ops, &r), 0);
	assert_int_equal(r.adopted, 1);
	assert_int_equal(r.restored, 0);
	p = vigil_cache_find(c, 1234);
	assert_int_equal(p->ktime, 30 * tick_ns + 777);
	assert_string_equal(p->binary, "/usr/bin/curl");
	assert_int_equal(p->flags, VIGIL_PF_PROCFS);
	assert_null(p->parent);
	expect_key(&p->parent_key, 77, 12345);
	vigil_cache_free(c);
}

static void test_seed_missing_root_is_error(void **state)
{
	const char *root = *state;
	struct vigil_cache *c = vigil_cache_new();
	char missing[256];

	assert_non_null(c);
	snprintf(missing, sizeof(missing), "%s/nonexistent", root);
	struct vigil_seed_result r = { .seeded = -1 };

	assert_int_equal(vigil_procfs_seed(c, missing, NULL, NULL), -ENOENT);
	assert_int_equal(vigil_cache_total(c), 0);
	/* An empty proc root seeds nothing. */
	assert_int_equal(vigil_procfs_seed(c, root, NULL, &r), 0);
	assert_int_equal(r.seeded, 0);
	assert_int_equal(vigil_cache_total(c), 0);
	vigil_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest procfs[] = {
		cmocka_unit_test_setup_teardown(test_read_marks_long_cmdline_truncated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_parses_stat_exe_cmdline_cwd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_ktime_uses_ticks_per_sec, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_parses_status_creds_and_caps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_unset_loginuid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_parses_namespace_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_container_id_from_docker_cgroup, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_seed_container_and_pod_from_kubepods_cgroup,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_cgroup_v1_uses_first_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_host_cgroup_has_no_container, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_missing_exe_is_enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_comm_with_paren_and_spaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_malformed_stat_is_einval, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_without_optional_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ns_reads_inums_or_enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_links_parents_and_calls_back_once_each,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_records_procfs_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_adopts_identity_from_kernel_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_seed_adopted_without_saved_record_keeps_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_missing_root_is_error, setup, teardown),
	};

	return cmocka_run_group_tests_name("procfs", procfs, NULL, NULL);
}
