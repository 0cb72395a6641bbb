// SPDX-License-Identifier: Apache-2.0
/*
 * vigild - the vigil agent.  Probes the kernel, attaches the process sensor,
 * seeds the process cache from /proc and streams events as Tetragon export
 * JSON (or compact lines) until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "container.h"
#include "encode.h"
#include "event.h"
#include "log.h"
#include "mounts.h"
#include "probe.h"
#include "procfs.h"
#include "sensor.h"

enum output_mode { OUT_DEFAULT, OUT_JSON, OUT_COMPACT, OUT_NONE };

struct agent {
	struct vigil_cache *cache;
	struct vigil_encode_ctx enc;
	FILE *export;	       /* JSON lines to --export-filename, or NULL */
	enum output_mode mode; /* what goes to stdout */
	uint64_t handled[4];   /* by message type */
	uint64_t bad;
	int err;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vigild [--output json|compact|none] [--export-filename PATH]\n"
		   "              [--node-name NAME] [--ready-file PATH] [--stats-file PATH]\n"
		   "              [--rb-size BYTES] [--enable-process-cred[=false]]\n"
		   "              [--enable-process-ns[=false]] [--no-seed] [--verbose]\n"
		   "       vigild --probe [--json]\n");
}

static int emit(struct agent *a, const struct vigil_out_event *ev)
{
	int err = 0;

	if (a->export)
		err = vigil_write_json(a->export, &a->enc, ev);
	if (!err && a->mode == OUT_JSON)
		err = vigil_write_json(stdout, &a->enc, ev);
	else if (!err && a->mode == OUT_COMPACT)
		err = vigil_write_compact(stdout, &a->enc, ev);
	return err;
}

static uint32_t exec_flags(uint32_t raw, const char *cwd)
{
	uint32_t f = VIGIL_PF_EXECVE;

	if (raw & VIGIL_EXEC_F_TRUNC_ARGS)
		f |= VIGIL_PF_TRUNC_ARGS;
	if (raw & VIGIL_EXEC_F_ERR_ARGS)
		f |= VIGIL_PF_ERR_ARGS;
	if (raw & (VIGIL_EXEC_F_TRUNC_FILENAME | VIGIL_EXEC_F_TRUNC_PATH))
		f |= VIGIL_PF_ERR_FILENAME;
	if (raw & (VIGIL_EXEC_F_ERR_CWD | VIGIL_EXEC_F_TRUNC_CWD))
		f |= VIGIL_PF_ERR_CWD;
	if (strcmp(cwd, "/") == 0)
		f |= VIGIL_PF_ROOTCWD;
	return f;
}

static int handle_exec(struct agent *a, const void *data, size_t size)
{
	static struct vigil_exec_info info; /* large: keep it off the stack */
	struct vigil_exec_desc d = { 0 };
	struct vigil_out_event out = { 0 };
	char cgpath[2 * VIGIL_CGRP_NAME_MAX + 2];
	char cid[VIGIL_CONTAINER_ID_LEN + 1] = "", pod[40] = "";
	const struct vigil_exec_event *ev;
	struct vigil_process *p;
	int err;

	err = vigil_decode_exec(data, size, &info);
	if (err)
		return err;
	ev = info.raw;
	snprintf(cgpath, sizeof(cgpath), "%s/%s", info.cgroup_parent, info.cgroup_leaf);
	if (vigil_container_id(cgpath, cid, sizeof(cid), NULL))
		cid[0] = '\0';
	if (vigil_pod_uid(cgpath, pod, sizeof(pod)))
		pod[0] = '\0';

	d.pid = ev->proc.pid;
	d.tid = ev->tid;
	d.ktime = ev->proc.ktime;
	d.parent = ev->parent;
	d.flags = exec_flags(ev->flags, info.cwd);
	d.binary = info.binary;
	d.args = info.args;
	d.cwd = info.cwd;
	d.creds = &ev->creds;
	d.ns = ev->ns;
	d.cgroup_id = ev->cgroup_id;
	d.container_id = cid;
	d.pod_uid = pod;
	p = vigil_cache_exec(a->cache, &d);
	if (!p)
		return -ENOMEM;
	out.kind = VIGIL_OUT_EXEC;
	out.proc = p;
	out.ktime = ev->hdr.ktime;
	err = emit(a, &out);
	vigil_process_put(a->cache, p);
	return err;
}

static int handle_clone(struct agent *a, const void *data, size_t size)
{
	const struct vigil_clone_event *ev;
	struct vigil_process *p;
	int err = vigil_decode_clone(data, size, &ev);

	if (err)
		return err;
	p = vigil_cache_clone(a->cache, ev->proc.pid, ev->tid, ev->proc.ktime, &ev->parent);
	if (!p)
		return -ENOMEM;
	vigil_process_put(a->cache, p);
	return 0;
}

static int handle_exit(struct agent *a, const void *data, size_t size)
{
	const struct vigil_exit_event *ev;
	struct vigil_out_event out = { 0 };
	struct vigil_process *p;
	int err = vigil_decode_exit(data, size, &ev);

	if (err)
		return err;
	p = vigil_cache_exit(a->cache, ev->proc.pid, ev->proc.ktime);
	if (!p)
		return -ENOMEM;
	out.kind = VIGIL_OUT_EXIT;
	out.proc = p;
	out.ktime = ev->hdr.ktime;
	out.exit_code = ev->exit_code;
	err = emit(a, &out);
	vigil_process_put(a->cache, p);
	return err;
}

static int on_msg(void *arg, const void *data, size_t size)
{
	struct agent *a = arg;
	int type = vigil_msg_type(data, size);
	int err;

	switch (type) {
	case VIGIL_MSG_EXEC:
		err = handle_exec(a, data, size);
		break;
	case VIGIL_MSG_CLONE:
		err = handle_clone(a, data, size);
		break;
	case VIGIL_MSG_EXIT:
		err = handle_exit(a, data, size);
		break;
	default:
		err = -EINVAL;
	}
	if (err == -EINVAL) {
		a->bad++;
		return 0;
	}
	if (err) {
		a->err = err;
		return err; /* output failed: stop */
	}
	a->handled[type]++;
	return 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void report_losses(const uint64_t *now, uint64_t *reported)
{
	uint64_t lost =
		now[VIGIL_STAT_LOST_EXEC] + now[VIGIL_STAT_LOST_CLONE] + now[VIGIL_STAT_LOST_EXIT];

	if (lost > *reported) {
		vigil_err("ring buffer full: %llu events lost so far (exec %llu, clone %llu, "
			  "exit %llu)",
			  (unsigned long long)lost, (unsigned long long)now[VIGIL_STAT_LOST_EXEC],
			  (unsigned long long)now[VIGIL_STAT_LOST_CLONE],
			  (unsigned long long)now[VIGIL_STAT_LOST_EXIT]);
		*reported = lost;
	}
}

static int write_stats(const char *path, const struct agent *a, const uint64_t *k)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		vigil_err("stats file %s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f,
		"{\"events\":{\"exec\":%llu,\"clone\":%llu,\"exit\":%llu},"
		"\"lost\":{\"exec\":%llu,\"clone\":%llu,\"exit\":%llu},"
		"\"ringbuf_lost\":%llu,\"malformed\":%llu,\"table_full\":%llu}\n",
		(unsigned long long)a->handled[VIGIL_MSG_EXEC],
		(unsigned long long)a->handled[VIGIL_MSG_CLONE],
		(unsigned long long)a->handled[VIGIL_MSG_EXIT],
		(unsigned long long)k[VIGIL_STAT_LOST_EXEC],
		(unsigned long long)k[VIGIL_STAT_LOST_CLONE],
		(unsigned long long)k[VIGIL_STAT_LOST_EXIT],
		(unsigned long long)(k[VIGIL_STAT_LOST_EXEC] + k[VIGIL_STAT_LOST_CLONE] +
				     k[VIGIL_STAT_LOST_EXIT]),
		(unsigned long long)a->bad, (unsigned long long)k[VIGIL_STAT_TABLE_FULL]);
	return fclose(f) ? -errno : 0;
}

static int write_ready(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		vigil_err("ready file %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "export-filename", required_argument, NULL, 'e' },
		{ "node-name", required_argument, NULL, 'n' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "stats-file", required_argument, NULL, 's' },
		{ "no-seed", no_argument, NULL, 'S' },
		{ "rb-size", required_argument, NULL, 'b' },
		{ "enable-process-cred", optional_argument, NULL, 'C' },
		{ "enable-process-ns", optional_argument, NULL, 'N' },
		{ "probe", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	enum output_mode mode = OUT_DEFAULT;
	const char *export_path = NULL, *ready_path = NULL, *stats_path = NULL;
	char node[VIGIL_NODE_NAME_MAX + 1] = "";
	bool probe_only = false, probe_json = false, seed = true;
	uint32_t rb_size = 0;
	char *end;
	struct vigil_features feats;
	struct vigil_sensor *sensor = NULL;
	struct agent a = { 0 };
	uint64_t kstats[VIGIL_STAT_COUNT] = { 0 }, reported = 0, last_check = 0;
	char degraded[256];
	struct sigaction sa = { 0 };
	struct utsname u;
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "o:e:n:r:s:Sb:pjvh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (strcmp(optarg, "json") == 0)
				mode = OUT_JSON;
			else if (strcmp(optarg, "compact") == 0)
				mode = OUT_COMPACT;
			else if (strcmp(optarg, "none") == 0)
				mode = OUT_NONE;
			else {
				fprintf(stderr,
					"vigild: --output: unknown mode '%s' "
					"(json, compact or none)\n",
					optarg);
				return 2;
			}
			break;
		case 'e':
			export_path = optarg;
			break;
		case 'n':
			snprintf(node, sizeof(node), "%s", optarg);
			break;
		case 'r':
			ready_path = optarg;
			break;
		case 's':
			stats_path = optarg;
			break;
		case 'S':
			seed = false;
			break;
		case 'b': {
			unsigned long long v = strtoull(optarg, &end, 0);

			if (*end || !vigil_rb_size_valid(v)) {
				fprintf(stderr,
					"vigild: --rb-size: '%s' is not a power of two between the "
					"page size and 1 GiB\n",
					optarg);
				return 2;
			}
			rb_size = (uint32_t)v;
			break;
		}
		case 'C':
		case 'N': {
			bool on = !optarg || strcmp(optarg, "true") == 0;

			if (optarg && !on && strcmp(optarg, "false") != 0) {
				fprintf(stderr, "vigild: --%s: '%s' is neither true nor false\n",
					c == 'C' ? "enable-process-cred" : "enable-process-ns",
					optarg);
				return 2;
			}
			if (c == 'C')
				a.enc.no_creds = !on;
			else
				a.enc.no_ns = !on;
			break;
		}
		case 'p':
			probe_only = true;
			break;
		case 'j':
			probe_json = true;
			break;
		case 'v':
			vigil_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigild: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (probe_json && !probe_only) {
		fprintf(stderr, "vigild: --json goes with --probe\n");
		return 2;
	}

	if (!vigil_verbose)
		libbpf_set_print(NULL);
	if (probe_only) {
		vigil_probe_kernel(&feats);
		return vigil_probe_print(stdout, &feats, probe_json) ? 1 : 0;
	}

	if (!node[0] && getenv("NODE_NAME"))
		snprintf(node, sizeof(node), "%s", getenv("NODE_NAME"));
	if (!node[0] && uname(&u) == 0)
		snprintf(node, sizeof(node), "%s", u.nodename);

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	vigil_ensure_mounts();
	vigil_probe_kernel(&feats);
	vigil_degraded_summary(&feats, degraded, sizeof(degraded));
	if (degraded[0])
		vigil_err("%s", degraded);

	a.enc.node_name = node;
	a.enc.boot_wall_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	/* The host's namespaces are pid 1's; where those are hidden (a sandbox),
	 * vigild's own, since it runs in the host namespaces by design. */
	if (vigil_procfs_ns("/proc", 1, a.enc.host_ns)) {
		vigil_dbg("cannot read /proc/1/ns: host namespaces taken from vigild's own");
		vigil_procfs_ns("/proc", (uint32_t)getpid(), a.enc.host_ns);
	}
	a.cache = vigil_cache_new();
	if (!a.cache) {
		err = -ENOMEM;
		vigil_err("process cache: %s", strerror(-err));
		goto cleanup;
	}

	a.mode = mode != OUT_DEFAULT ? mode : export_path ? OUT_NONE : OUT_JSON;
	if (export_path) {
		a.export = fopen(export_path, "a");
		if (!a.export) {
			err = -errno;
			vigil_err("export file %s: %s", export_path, strerror(-err));
			goto cleanup;
		}
		setvbuf(a.export, NULL, _IOFBF, 1 << 16);
	}

	err = vigil_sensor_open(vigil_pick_process_sensor(&feats), rb_size, on_msg, &a, &sensor);
	if (err)
		goto cleanup;
	vigil_err("process sensor attached (%s)",
		  vigil_process_sensor_name(vigil_pick_process_sensor(&feats)));
	if (seed) {
		int n = vigil_procfs_seed(a.cache, "/proc", vigil_sensor_seed, sensor);

		if (n < 0)
			vigil_err("seeding from /proc failed: %s; older processes lack ancestry",
				  strerror(-n));
		else
			vigil_dbg("seeded %d processes from /proc", n);
	}
	if (ready_path) {
		err = write_ready(ready_path);
		if (err)
			goto cleanup;
	}
	vigil_err("ready");

	while (!stop) {
		uint64_t now;

		err = vigil_sensor_poll(sensor, 50);
		if (err == -EINTR)
			err = 0;
		if (err < 0) {
			vigil_err("ring buffer: %s", strerror(-(a.err ? a.err : err)));
			break;
		}
		err = 0;
		if (a.export)
			fflush(a.export);
		fflush(stdout);
		now = clock_ns(CLOCK_MONOTONIC);
		if (now - last_check > 1000000000ULL) {
			last_check = now;
			if (!vigil_sensor_stats(sensor, kstats))
				report_losses(kstats, &reported);
		}
	}
	/* Drain what is already in the ring buffer. */
	if (!err)
		while (vigil_sensor_poll(sensor, 0) > 0)
			;

cleanup:
	if (sensor && !vigil_sensor_stats(sensor, kstats))
		report_losses(kstats, &reported);
	if (stats_path && sensor)
		write_stats(stats_path, &a, kstats);
	if (a.export && fclose(a.export)) {
		vigil_err("export file %s: %s", export_path, strerror(errno));
		err = -EIO;
	}
	fflush(stdout);
	if (ready_path)
		unlink(ready_path);
	vigil_sensor_close(sensor);
	vigil_cache_free(a.cache);
	return err ? 1 : 0;
}
