/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.h - load and attach the process lifecycle programs and read their
 * ring buffer.
 */
#ifndef VIGIL_SENSOR_H
#define VIGIL_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"
#include "process.h"

struct vigil_sensor;

/* Called for each ring-buffer message; a negative return stops the poll. */
typedef int (*vigil_msg_fn)(void *arg, const void *data, size_t size);

/* rb_size: ring-buffer bytes (a power of two, at least a page), 0 for the
 * default of 4 MiB.  See vigil_rb_size_valid().  pin_dir: a bpffs directory
 * where the process table is pinned (and adopted from an earlier agent), or
 * NULL for a private table. */
int vigil_sensor_open(enum vigil_process_sensor kind, uint32_t rb_size, const char *pin_dir,
		      vigil_msg_fn fn, void *arg, struct vigil_sensor **out);
bool vigil_rb_size_valid(uint64_t size);
/* Wait up to timeout_ms for a wakeup, then take everything pending (the
 * kernel side wakes the reader only for large batches).  Returns messages
 * handled, or a negative errno (-EINTR is not an error). */
int vigil_sensor_poll(struct vigil_sensor *s, int timeout_ms);
/* The same, waiting for fd to become readable too (*fd_ready; fd < 0: no
 * fd): one loop serves the ring buffer and another source of events. */
int vigil_sensor_poll_fd(struct vigil_sensor *s, int timeout_ms, int fd, bool *fd_ready);
/* True when the process table pinned by an earlier agent was adopted. */
bool vigil_sensor_adopted(const struct vigil_sensor *s);
/* True when the process table is pinned (adopted or pinned by this agent). */
bool vigil_sensor_pinned(const struct vigil_sensor *s);
/* The kernel table's entry for pid: 0, or -ENOENT. */
int vigil_sensor_lookup(void *sensor, uint32_t pid, struct vigil_proc_entry *e);
/* Mirror a /proc-seeded process into the kernel table.  An entry the kernel
 * wrote is kept unless replace (a stale entry from before this agent). */
void vigil_sensor_seed(void *sensor, const struct vigil_process *p, uint64_t start_boottime,
		       bool replace);
/* Delete table entries for processes started before before_boottime (left
 * by an earlier agent) that alive() says are gone.  Returns how many. */
int vigil_sensor_prune(struct vigil_sensor *s, uint64_t before_boottime,
		       bool (*alive)(void *arg, uint32_t pid), void *arg);
/* The maps the sensor creates that policy programs share, by fd. */
struct vigil_shared_maps {
	int events;
	int proc_table;
	int proc_bins;
	int stats;
	int str_sets;
	int num_sets;
	int policy_state;
	int policy_scope;
};

void vigil_sensor_maps(const struct vigil_sensor *s, struct vigil_shared_maps *m);

/* Sum the per-CPU counters (enum vigil_stat). */
int vigil_sensor_stats(struct vigil_sensor *s, uint64_t out[VIGIL_STAT_COUNT]);
void vigil_sensor_close(struct vigil_sensor *s);

#endif
