// SPDX-License-Identifier: Apache-2.0
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "log.h"
#include "process.skel.h"
#include "sensor.h"

struct vigil_sensor {
	struct process_bpf *skel;
	struct ring_buffer *rb;
	vigil_msg_fn fn;
	void *arg;
	int ncpus;
	bool adopted; /* the pinned process table of an earlier agent is in use */
	bool pinned;  /* the process table is pinned (adopted, or pinned now) */
};

#define STR2(x)	       #x
#define STR(x)	       STR2(x)
#define PROC_TABLE_PIN "proc_table_v" STR(VIGIL_ABI_VERSION)

/* The programs of one flavour: autoload exactly these. */
static void select_programs(struct process_bpf *skel, enum vigil_process_sensor kind)
{
	bool btf = kind == VIGIL_SENSOR_TP_BTF;

	bpf_program__set_autoload(skel->progs.tp_btf_fork, btf);
	bpf_program__set_autoload(skel->progs.tp_btf_exec, btf);
	bpf_program__set_autoload(skel->progs.tp_btf_exit, btf);
	bpf_program__set_autoload(skel->progs.raw_tp_fork, !btf);
	bpf_program__set_autoload(skel->progs.raw_tp_exec, !btf);
	bpf_program__set_autoload(skel->progs.raw_tp_exit, !btf);
}

/*
 * Reuse the process table an earlier agent pinned at path, if it has this
 * ABI's shape.  Returns true when adopted; a table of another shape is
 * unpinned (the name carries the ABI version, so that means a foreign file).
 */
static bool adopt_pinned_table(struct bpf_map *map, const char *path)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);
	bool ok;

	if (fd < 0)
		return false;
	ok = !bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == bpf_map__type(map) &&
	     info.key_size == bpf_map__key_size(map) &&
	     info.value_size == bpf_map__value_size(map) &&
	     info.max_entries == bpf_map__max_entries(map);
	if (ok && bpf_map__reuse_fd(map, fd) == 0) {
		close(fd);
		return true;
	}
	close(fd);
	vigil_err("process sensor: %s does not hold this agent's process table; replacing it",
		  path);
	unlink(path);
	return false;
}

/* Tables pinned by agents of another ABI version cannot be adopted: they
 * only hold kernel memory (megabytes each), so they go. */
static void unpin_other_versions(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	unsigned v;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (sscanf(e->d_name, "proc_table_v%u", &v) != 1 || v == VIGIL_ABI_VERSION)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) == 0)
			vigil_err("process sensor: removed %s, left by an agent of ABI version %u",
				  path, v);
	}
	closedir(d);
}

static bool pin_table(struct bpf_map *map, const char *dir, const char *path)
{
	int err;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		vigil_err("process sensor: cannot create %s: %s; process identity will not "
			  "survive a restart",
			  dir, strerror(errno));
		return false;
	}
	err = bpf_map__pin(map, path);
	if (err)
		vigil_err("process sensor: cannot pin the process table at %s: %s; process "
			  "identity will not survive a restart",
			  path, strerror(-err));
	return !err;
}

static int on_message(void *ctx, void *data, size_t size)
{
	struct vigil_sensor *s = ctx;

	return s->fn(s->arg, data, size);
}

bool vigil_rb_size_valid(uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return size >= page && size <= (1ULL << 30) && (size & (size - 1)) == 0;
}

int vigil_sensor_open(enum vigil_process_sensor kind, uint32_t rb_size, const char *pin_dir,
		      vigil_msg_fn fn, void *arg, struct vigil_sensor **out)
{
	struct vigil_sensor *s;
	char pin_path[512] = "";
	int err;

	if (kind == VIGIL_SENSOR_NONE) {
		vigil_err("process sensor: no usable program type on this kernel "
			  "(needs BTF, ring buffer and tp_btf or raw_tp)");
		return -EOPNOTSUPP;
	}

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fn = fn;
	s->arg = arg;
	s->ncpus = libbpf_num_possible_cpus();
	if (s->ncpus <= 0) {
		err = s->ncpus ? s->ncpus : -EINVAL;
		vigil_err("process sensor: cannot count CPUs: %s", strerror(-err));
		goto cleanup;
	}

	s->skel = process_bpf__open();
	if (!s->skel) {
		err = -errno;
		vigil_err("process sensor: open BPF object: %s", strerror(-err));
		goto cleanup;
	}
	if (s->skel->rodata->abi_version != VIGIL_ABI_VERSION) {
		err = -EPROTO;
		vigil_err("process sensor: BPF object has ABI %u, the agent %u: rebuild both",
			  s->skel->rodata->abi_version, VIGIL_ABI_VERSION);
		goto cleanup;
	}
	select_programs(s->skel, kind);
	if (pin_dir) {
		unpin_other_versions(pin_dir);
		snprintf(pin_path, sizeof(pin_path), "%s/%s", pin_dir, PROC_TABLE_PIN);
		s->adopted = adopt_pinned_table(s->skel->maps.proc_table, pin_path);
	}
	if (rb_size) {
		err = bpf_map__set_max_entries(s->skel->maps.events, rb_size);
		if (err) {
			vigil_err("process sensor: ring buffer size %u: %s", rb_size,
				  strerror(-err));
			goto cleanup;
		}
	}
	rb_size = bpf_map__max_entries(s->skel->maps.events);
	/* Batch wakeups: at most every 64 KiB, and never later than a quarter full. */
	s->skel->rodata->wakeup_bytes = rb_size / 4 < 65536 ? rb_size / 4 : 65536;
	err = process_bpf__load(s->skel);
	if (err) {
		vigil_err("process sensor: load %s programs: %s", vigil_process_sensor_name(kind),
			  strerror(-err));
		goto cleanup;
	}
	s->pinned = s->adopted;
	if (pin_dir && !s->adopted)
		s->pinned = pin_table(s->skel->maps.proc_table, pin_dir, pin_path);
	err = process_bpf__attach(s->skel);
	if (err) {
		vigil_err("process sensor: attach %s programs: %s", vigil_process_sensor_name(kind),
			  strerror(-err));
		goto cleanup;
	}
	/* Loading parsed the kernel's BTF: megabytes, freed now.  Hand that heap
	 * back before mapping the ring, so the two never add up in RSS. */
	malloc_trim(0);
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_message, s, NULL);
	if (!s->rb) {
		err = -errno;
		vigil_err("process sensor: ring buffer: %s", strerror(-err));
		goto cleanup;
	}
	*out = s;
	return 0;

cleanup:
	vigil_sensor_close(s);
	return err;
}

int vigil_sensor_poll(struct vigil_sensor *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->rb, timeout_ms), m;

	if (n < 0)
		return n;
	/* Producers skip the wakeup for small amounts: take those too. */
	m = ring_buffer__consume(s->rb);
	return m < 0 ? m : n + m;
}

int vigil_sensor_poll_fd(struct vigil_sensor *s, int timeout_ms, int fd, bool *fd_ready)
{
	struct pollfd pfd[2] = {
		{ .fd = ring_buffer__epoll_fd(s->rb), .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};

	*fd_ready = false;
	if (poll(pfd, fd >= 0 ? 2 : 1, timeout_ms) < 0)
		return -errno;
	*fd_ready = fd >= 0 && pfd[1].revents;
	return vigil_sensor_poll(s, 0);
}

bool vigil_sensor_adopted(const struct vigil_sensor *s)
{
	return s->adopted;
}

bool vigil_sensor_pinned(const struct vigil_sensor *s)
{
	return s->pinned;
}

int vigil_sensor_lookup(void *sensor, uint32_t pid, struct vigil_proc_entry *e)
{
	struct vigil_sensor *s = sensor;
	__u32 key = pid;

	return bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.proc_table), &key, e) ? -errno : 0;
}

/* proc_bins for a process older than the sensor, so that matchBinaries
 * sees it before its next exec.  A binary the kernel recorded is kept. */
static void seed_binary(struct vigil_sensor *s, __u32 pid, const char *binary)
{
	struct vigil_proc_bin b;
	size_t len = strlen(binary);

	memset(&b, 0, sizeof(b));
	if (len > VIGIL_STR_MAX - 1) { /* the leaf side, as the kernel keeps it */
		binary += len - (VIGIL_STR_MAX - 1);
		len = VIGIL_STR_MAX - 1;
	}
	memcpy(b.cur, binary, len);
	b.cur_len = (__u32)len;
	bpf_map_update_elem(bpf_map__fd(s->skel->maps.proc_bins), &pid, &b, BPF_NOEXIST);
}

void vigil_sensor_seed(void *sensor, const struct vigil_process *p, uint64_t start_boottime,
		       bool replace)
{
	struct vigil_sensor *s = sensor;
	struct vigil_proc_entry e = { 0 };
	__u32 pid = p->pid;

	e.ktime = p->ktime;
	e.parent = p->parent_key;
	e.start_boottime = start_boottime;
	/* BPF_NOEXIST: an entry the kernel wrote since attach is fresher; but a
	 * stale entry left from before this agent (replace) must go. */
	bpf_map_update_elem(bpf_map__fd(s->skel->maps.proc_table), &pid, &e,
			    replace ? BPF_ANY : BPF_NOEXIST);
	seed_binary(s, pid, p->binary);
}

int vigil_sensor_prune(struct vigil_sensor *s, uint64_t before_boottime,
		       bool (*alive)(void *arg, uint32_t pid), void *arg)
{
	int fd = bpf_map__fd(s->skel->maps.proc_table);
	__u32 key, next, *prev = NULL;
	struct vigil_proc_entry e;
	int n = 0;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &e) || e.start_boottime >= before_boottime ||
		    alive(arg, key))
			continue;
		if (!bpf_map_delete_elem(fd, &key))
			n++;
	}
	return n;
}

void vigil_sensor_maps(const struct vigil_sensor *s, struct vigil_shared_maps *m)
{
	m->events = bpf_map__fd(s->skel->maps.events);
	m->proc_table = bpf_map__fd(s->skel->maps.proc_table);
	m->proc_bins = bpf_map__fd(s->skel->maps.proc_bins);
	m->stats = bpf_map__fd(s->skel->maps.stats);
	m->str_sets = bpf_map__fd(s->skel->maps.str_sets);
	m->num_sets = bpf_map__fd(s->skel->maps.num_sets);
	m->policy_state = bpf_map__fd(s->skel->maps.policy_state);
	m->policy_scope = bpf_map__fd(s->skel->maps.policy_scope);
}

int vigil_sensor_stats(struct vigil_sensor *s, uint64_t out[VIGIL_STAT_COUNT])
{
	uint64_t *vals = calloc((size_t)s->ncpus, sizeof(*vals));
	__u32 i;
	int c, err = 0;

	if (!vals)
		return -ENOMEM;
	for (i = 0; i < VIGIL_STAT_COUNT; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.stats), &i, vals)) {
			err = -errno;
			break;
		}
		for (c = 0; c < s->ncpus; c++)
			out[i] += vals[c];
	}
	free(vals);
	return err;
}

void vigil_sensor_close(struct vigil_sensor *s)
{
	if (!s)
		return;
	ring_buffer__free(s->rb);
	process_bpf__destroy(s->skel);
	free(s);
}
