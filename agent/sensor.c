// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
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
};

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

int vigil_sensor_open(enum vigil_process_sensor kind, uint32_t rb_size, vigil_msg_fn fn, void *arg,
		      struct vigil_sensor **out)
{
	struct vigil_sensor *s;
	struct bpf_program *prog;
	const char *prefix;
	int err;

	if (kind == VIGIL_SENSOR_NONE) {
		vigil_err("process sensor: no usable program type on this kernel "
			  "(needs BTF, ring buffer and tp_btf or raw_tp)");
		return -EOPNOTSUPP;
	}
	prefix = kind == VIGIL_SENSOR_TP_BTF ? "tp_btf_" : "raw_tp_";

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
	bpf_object__for_each_program(prog, s->skel->obj)
	{
		bpf_program__set_autoload(
			prog, strncmp(bpf_program__name(prog), prefix, strlen(prefix)) == 0);
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

void vigil_sensor_seed(void *sensor, const struct vigil_process *p)
{
	struct vigil_sensor *s = sensor;
	struct vigil_proc_entry e = { 0 };
	__u32 pid = p->pid;

	e.ktime = p->ktime;
	if (p->parent) {
		e.parent.pid = p->parent->pid;
		e.parent.ktime = p->parent->ktime;
	}
	/* BPF_NOEXIST: an entry the kernel wrote since attach is fresher. */
	bpf_map_update_elem(bpf_map__fd(s->skel->maps.proc_table), &pid, &e, BPF_NOEXIST);
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
