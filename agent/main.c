// SPDX-License-Identifier: Apache-2.0
/*
 * vigild - the vigil agent.  Probes the kernel, attaches the process sensor,
 * seeds the process cache from /proc (adopting the identities an earlier
 * agent left in the pinned process table) and streams events as Tetragon
 * export JSON (or compact lines) and to the gRPC API's clients until
 * SIGINT/SIGTERM.  SIGHUP reopens the export file.  This file only wires the
 * stages together.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "api_ops.h"
#include "k8s.h"
#include "k8s_pod.h"
#include "pod_hold.h"
#include "log.h"
#include "mounts.h"
#include "options.h"
#include "pipeline.h"
#include "policies.h"
#include "network.h"
#include "policy_watch.h"
#include "probe.h"
#include "procfs.h"
#include "sensor.h"
#include "server.h"
#include "state.h"
#include "stats.h"

static volatile sig_atomic_t stop, reopen;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen = 1;
	else
		stop = 1;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Output files are opened before anything is attached: a path that cannot
 * be written is found at start, not at exit. */
struct files {
	int ready_fd, stats_fd;
};

static int open_files(const struct vigil_options *o, struct files *f, struct vigil_pipeline *p)
{
	f->ready_fd = f->stats_fd = -1;
	if (o->ready_path) {
		f->ready_fd = vigil_open_private(o->ready_path, O_TRUNC);
		if (f->ready_fd < 0) {
			vigil_err("ready file %s: %s", o->ready_path, strerror(-f->ready_fd));
			return f->ready_fd;
		}
	}
	if (o->stats_path) {
		f->stats_fd = vigil_open_private(o->stats_path, O_TRUNC);
		if (f->stats_fd < 0) {
			vigil_err("stats file %s: %s", o->stats_path, strerror(-f->stats_fd));
			return f->stats_fd;
		}
	}
	if (o->export_path) {
		int err = vigil_output_open_file(o->export_path, &p->export);

		if (err)
			return err;
	}
	if (o->mode != VIGIL_STDOUT_NONE) {
		p->out = vigil_output_fd(STDOUT_FILENO, "stdout");
		if (!p->out)
			return -ENOMEM;
		p->out_mode = o->mode;
	}
	return 0;
}

static int write_ready(int fd, const char *path)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (write(fd, buf, (size_t)n) != n) {
		vigil_err("ready file %s: %s", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* The kernel table is the truth about which processes live: a record whose
 * image the table no longer holds lost its exit event. */
static bool alive_in_table(void *arg, const struct vigil_process *p)
{
	struct vigil_proc_entry e;

	return vigil_sensor_lookup(arg, p->pid, &e) == 0 && e.ktime == p->ktime;
}

static bool in_cache(void *arg, uint32_t pid)
{
	return vigil_cache_find(arg, pid) != NULL;
}

static void seed(struct vigil_pipeline *p, struct vigil_sensor *sensor, const char *state_dir,
		 uint64_t attached_boottime)
{
	struct vigil_cache *saved = vigil_cache_new();
	struct vigil_seed_ops ops = { vigil_sensor_lookup, vigil_sensor_seed, saved, sensor };
	struct vigil_seed_result r = { 0 };
	size_t bad = 0;
	int n = 0, err;

	if (saved && vigil_sensor_adopted(sensor))
		n = vigil_state_load(state_dir, saved, &bad);
	if (n < 0)
		vigil_err("saved process records in %s: %s; binaries of older processes come from "
			  "/proc",
			  state_dir, strerror(-n));
	else if (bad)
		vigil_err("saved process records in %s: %zu lines did not parse", state_dir, bad);
	err = vigil_procfs_seed(p->cache, "/proc", &ops, &r);
	if (err)
		vigil_err("seeding from /proc failed: %s; older processes lack ancestry",
			  strerror(-err));
	n = vigil_sensor_prune(sensor, attached_boottime, in_cache, p->cache);
	vigil_dbg("seeded %d processes from /proc: %d kept their identity from the process "
		  "table, %d their binary from %s; %d stale table entries removed",
		  r.seeded, r.adopted, r.restored, state_dir, n);
	vigil_cache_free(saved);
}

/* Each loaded hook holds one descriptor (its link): let many policies fit. */
static void raise_fd_limit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &r))
			vigil_dbg("cannot raise the open file limit: %s", strerror(errno));
	}
}

/* --enable-network-events: the network sensor on the process sensor's
 * maps; it must start when asked for. */
static int start_network(struct vigil_sensor *sensor, struct vigil_network **out)
{
	struct vigil_shared_maps maps;
	char why[256];
	int err;

	vigil_sensor_maps(sensor, &maps);
	err = vigil_network_start(&maps, out, why, sizeof(why));
	if (err)
		vigil_err("network events: %s", why);
	else
		vigil_err("network events: sockops and UDP sock_addr hooks at the cgroup root, "
			  "accept exit tracepoints");
	return err;
}

/* Policies from --tracing-policy (each must load) and the policy
 * directory (a failure there is reported and skipped), which is then
 * watched unless --no-watch-policy-dir. */
static int load_policies(const struct vigil_options *o, const struct vigil_features *feats,
			 struct vigil_sensor *sensor, struct vigil_pipeline *p,
			 struct vigil_policies **out, struct vigil_policy_watch **watch)
{
	struct vigil_kernel_features kf;
	struct vigil_shared_maps maps;
	struct vigil_policy_info info;
	size_t errsz = 65536, n;
	char *errs = malloc(errsz);
	unsigned i;
	int err = 0;

	if (!errs)
		return -ENOMEM;
	raise_fd_limit();
	vigil_policy_features(feats, p->enc.host_ns, &kf);
	vigil_sensor_maps(sensor, &maps);
	err = vigil_policies_new(&kf, &maps, out);
	if (err) {
		vigil_err("policies: %s", strerror(-err));
		goto cleanup;
	}
	p->policies = *out;
	if (o->k8s)
		vigil_policies_allow_pods(*out);
	for (i = 0; i < o->npolicy_files; i++) {
		err = vigil_policies_add_file(*out, o->policy_files[i], -1, errs, errsz);
		if (err) {
			vigil_err("%s", errs);
			vigil_err("tracing policy %s not loaded; stopping", o->policy_files[i]);
			goto cleanup;
		}
	}
	if (o->watch_policy_dir) {
		err = vigil_policy_watch_new(o->policy_dir, &vigil_policy_watch_lifecycle, *out,
					     watch);
		if (!err)
			err = vigil_policy_watch_start(*watch, !o->policy_dir_given);
		if (err) {
			vigil_err("tracing policy directory: %s", strerror(-err));
			goto cleanup;
		}
	} else {
		vigil_policies_add_dir(*out, o->policy_dir, !o->policy_dir_given);
	}
	n = vigil_policies_count(*out);
	for (i = 0; i < n; i++)
		if (!vigil_policies_info(*out, i, &info))
			vigil_err("tracing policy %s loaded (%s mode, %zu hook%s, %zu KiB of "
				  "kernel memory)",
				  info.name,
				  info.mode == VIGIL_MODE_MONITOR ? "monitor" : "enforce",
				  info.nhooks, info.nhooks == 1 ? "" : "s",
				  (info.kernel_bytes + 1023) / 1024);
cleanup:
	free(errs);
	return err;
}

/* --- the gRPC API -------------------------------------------------------------- */

struct api {
	struct vigil_server *server;
	struct vigil_api_ops ops;
	struct vigil_api_agent agent;
	uint64_t events, kernel_lost; /* what GetHealth reports */
};

static bool api_wants(void *arg)
{
	return vigil_server_wants_events(arg);
}

static void api_publish(void *arg, const Tetragon__GetEventsResponse *ev)
{
	vigil_server_publish(arg, ev);
}

static int start_api(const struct vigil_options *o, const struct vigil_features *feats,
		     struct vigil_policies *policies, struct vigil_pipeline *p, struct api *a)
{
	struct vigil_server_cfg cfg = { .address = o->server_address, .node_name = o->node };
	int err;

	if (!o->server_address[0])
		return 0;
	p->counts = calloc(VIGIL_POLICIES_MAX, sizeof(*p->counts));
	if (!p->counts)
		return -ENOMEM;
	a->agent = (struct vigil_api_agent){
		.lc = &vigil_api_policies,
		.lc_ctx = policies,
		.feats = feats,
		.counts = p->counts,
		.node_name = o->node,
		.events = &a->events,
		.kernel_lost = &a->kernel_lost,
	};
	vigil_api_ops_init(&a->ops, &a->agent);
	cfg.ops = &a->ops;
	err = vigil_server_start(&cfg, &a->server);
	if (err)
		return err;
	p->api = (struct vigil_pipeline_api){ api_wants, api_publish, a->server };
	vigil_err("gRPC API on %s", o->server_address);
	return 0;
}

static void api_counters(struct api *a, const struct vigil_pipeline *p, const uint64_t *kstats)
{
	int i;

	a->events = 0;
	for (i = 0; i < VIGIL_MSG_TYPE_COUNT; i++)
		a->events += p->handled[i];
	a->kernel_lost = kstats[VIGIL_STAT_LOST_EXEC] + kstats[VIGIL_STAT_LOST_CLONE] +
			 kstats[VIGIL_STAT_LOST_EXIT] + kstats[VIGIL_STAT_LOST_POLICY];
}

/* One descriptor for the main loop's poll besides the ring buffer: the
 * policy directory's inotify and the API's wakeup, in an epoll set. */
static int wakeups(int watch_fd, int api_fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	if (watch_fd < 0 && api_fd < 0)
		return -1;
	fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0)
		return -errno;
	ev.data.fd = watch_fd;
	if (watch_fd >= 0 && epoll_ctl(fd, EPOLL_CTL_ADD, watch_fd, &ev))
		goto fail;
	ev.data.fd = api_fd;
	if (api_fd >= 0 && epoll_ctl(fd, EPOLL_CTL_ADD, api_fd, &ev))
		goto fail;
	return fd;
fail:
	close(fd);
	return -errno;
}

int main(int argc, char **argv)
{
	struct vigil_options o;
	struct vigil_features feats;
	enum vigil_process_sensor kind;
	struct vigil_sensor *sensor = NULL;
	struct vigil_pipeline p = { 0 };
	struct vigil_stats st = { 0 };
	struct files files = { -1, -1 };
	struct vigil_policies *policies = NULL;
	struct vigil_policy_watch *watch = NULL;
	struct vigil_network *network = NULL;
	struct vigil_k8s *k8s = NULL;
	struct api api = { 0 };
	int wake_fd = -1;
	uint64_t kstats[VIGIL_STAT_COUNT] = { 0 }, last_check = 0, last_gc, attached;
	char degraded[512];
	struct sigaction sa = { 0 };
	struct utsname u;
	int err;

	err = vigil_options_parse(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : 2;
	vigil_verbose = o.verbose;
	if (!vigil_verbose)
		libbpf_set_print(NULL);
	if (o.probe_only) {
		vigil_probe_kernel(&feats);
		return vigil_probe_print(stdout, &feats, o.probe_json) ? 1 : 0;
	}
	if (!o.node[0] && getenv("NODE_NAME") &&
	    vigil_options_set_node(&o, getenv("NODE_NAME"), "$NODE_NAME"))
		return 2;
	if (!o.node[0] && uname(&u) == 0 && vigil_options_set_node(&o, u.nodename, "host name"))
		return 2;

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (vigil_pipeline_export_filters(&p, o.export_allow, o.export_deny, o.no_creds))
		return 2;
	p.enc.node_name = o.node;
	p.enc.no_creds = o.no_creds;
	p.enc.no_ns = o.no_ns;
	p.enc.boot_wall_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	vigil_state_boot_wall(o.state_dir, &p.enc.boot_wall_ns);
	p.cache = vigil_cache_new();
	if (!p.cache) {
		err = -ENOMEM;
		vigil_err("process cache: %s", strerror(-err));
		goto cleanup;
	}
	err = open_files(&o, &files, &p);
	if (err)
		goto cleanup;

	vigil_ensure_mounts();
	vigil_probe_kernel(&feats);
	vigil_degraded_summary(&feats, degraded, sizeof(degraded));
	if (degraded[0])
		vigil_err("%s", degraded);
	vigil_host_ns(p.enc.host_ns);

	kind = vigil_pick_process_sensor(&feats);
	attached = clock_ns(CLOCK_BOOTTIME);
	err = vigil_sensor_open(kind, o.rb_size, o.bpf_dir, vigil_pipeline_msg, &p, &sensor);
	if (err)
		goto cleanup;
	vigil_err("process sensor attached (%s)%s", vigil_process_sensor_name(kind),
		  vigil_sensor_adopted(sensor) ? "; process table adopted from the last run" : "");
	if (o.seed)
		seed(&p, sensor, o.state_dir, attached);
	err = load_policies(&o, &feats, sensor, &p, &policies, &watch);
	if (!err && o.network)
		err = start_network(sensor, &network);
	if (err)
		goto cleanup;
	err = start_api(&o, &feats, policies, &p, &api);
	if (err)
		goto cleanup;
	if (o.k8s) {
		struct vigil_k8s_opts ko = { o.kubeconfig, o.node, policies, NULL, -1 };
		struct vigil_shared_maps sm;

		p.pods = vigil_pod_store_new();
		if (!p.pods || vigil_pod_hold_new(p.pods, VIGIL_POD_WAIT_MS, &p.hold)) {
			err = -ENOMEM;
			vigil_err("pods: %s", strerror(-err));
			goto cleanup;
		}
		ko.pods = p.pods;
		vigil_sensor_maps(sensor, &sm);
		ko.scope_map = sm.policy_scope;
		err = vigil_k8s_start(&ko, &k8s);
		if (err)
			goto cleanup;
	}
	wake_fd = wakeups(vigil_policy_watch_fd(watch), vigil_server_fd(api.server));
	if (wake_fd < -1) {
		err = wake_fd;
		vigil_err("epoll: %s", strerror(-err));
		goto cleanup;
	}
	if (files.ready_fd >= 0) {
		err = write_ready(files.ready_fd, o.ready_path);
		if (err)
			goto cleanup;
	}
	vigil_err("ready");

	last_gc = clock_ns(CLOCK_MONOTONIC);
	while (!stop) {
		bool changed;
		uint64_t now;

		p.now_ms = clock_ns(CLOCK_MONOTONIC) / 1000000ULL;
		err = vigil_sensor_poll_fd(sensor, 50, wake_fd, &changed);
		if (err == -EINTR)
			err = 0;
		if (err == -EPIPE)
			break;
		if (err < 0) {
			vigil_err("ring buffer: %s", strerror(-err));
			break;
		}
		err = vigil_pipeline_flush(&p);
		if (err)
			break;
		/* The ring is read: policies replaced before can be freed. */
		vigil_policies_reap(policies);
		if (changed) {
			struct epoll_event evs[2];
			int i, n = epoll_wait(wake_fd, evs, 2, 0);

			for (i = 0; i < n; i++)
				if (evs[i].data.fd == vigil_server_fd(api.server))
					vigil_server_dispatch(api.server);
				else
					vigil_policy_watch_handle(watch);
		}
		if (reopen) {
			reopen = 0;
			if (p.export && !vigil_output_reopen(p.export))
				vigil_err("export file %s reopened", o.export_path);
		}
		now = clock_ns(CLOCK_MONOTONIC);
		vigil_k8s_poll(k8s, now / 1000000ULL);
		err = vigil_pipeline_release(&p, now / 1000000ULL);
		if (err)
			break;
		if (now - last_check > 1000000000ULL) {
			last_check = now;
			if (!vigil_sensor_stats(sensor, kstats))
				vigil_report_losses(kstats, &st);
			api_counters(&api, &p, kstats);
		}
		if (now - last_gc >= (uint64_t)o.gc_interval_ms * 1000000ULL) {
			last_gc = now;
			st.swept += vigil_cache_sweep(p.cache, alive_in_table, sensor);
		}
	}
	/* Drain what is already in the ring buffer. */
	if (!err)
		while (vigil_sensor_poll(sensor, 0) > 0)
			;
	if (err == -EPIPE) {
		vigil_err("stdout: the reader went away; stopping (stdout was the only output)");
		err = 0;
	}
	/* what waits for a pod goes now, without one */
	vigil_pipeline_release(&p, UINT64_MAX);
	vigil_pipeline_flush(&p);
	/* The streams get what was drained, then end. */
	vigil_server_stop(api.server);
	api.server = NULL;
	/* For the next agent, which adopts the pinned table. */
	if (vigil_sensor_pinned(sensor))
		vigil_state_save(p.cache, o.state_dir);

cleanup:
	if (sensor && !vigil_sensor_stats(sensor, kstats))
		vigil_report_losses(kstats, &st);
	if (files.stats_fd >= 0 && sensor) {
		int serr = vigil_stats_write(files.stats_fd, &p, &st, kstats);

		if (serr) {
			vigil_err("stats file %s: %s", o.stats_path, strerror(-serr));
			err = serr;
		}
	}
	vigil_server_stop(api.server);
	if (wake_fd >= 0)
		close(wake_fd);
	free(p.counts);
	vigil_pipeline_free_filters(&p);
	vigil_output_close(p.export);
	vigil_output_close(p.out);
	if (files.stats_fd >= 0)
		close(files.stats_fd);
	if (files.ready_fd >= 0) {
		close(files.ready_fd);
		unlink(o.ready_path);
	}
	vigil_network_stop(network);
	vigil_k8s_stop(k8s);
	vigil_pod_hold_free(p.hold);
	vigil_policy_watch_free(watch);
	vigil_policies_free(policies);
	vigil_sensor_close(sensor);
	vigil_cache_free(p.cache);
	vigil_pod_store_free(p.pods);
	return err ? 1 : 0;
}
