/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state.h - process records saved at exit and read back at the next start,
 * so that a process keeps its binary, arguments and cwd across an agent
 * restart.  Its identity (exec ktime, parent) survives in the pinned kernel
 * process table; a saved record is used only for the image that table names
 * (see vigil_procfs_seed).  One JSON object per line:
 *   {"pid":1,"tid":1,"ktime":123,"flags":1,"binary":"...","args":"...","cwd":"..."}
 */
#ifndef VIGIL_STATE_H
#define VIGIL_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "process.h"

#define VIGIL_STATE_FILE "processes.json"

/* Write every live record of c to DIR/processes.json (DIR created 0700, the
 * file 0600, written aside then renamed).  0 or a negative errno after one
 * message. */
int vigil_state_save(struct vigil_cache *c, const char *dir);

/* Read the records saved in DIR into c (a cache of their own), then remove
 * the file: it describes one moment.  Lines that do not parse are skipped
 * and counted in *bad.  Returns the number read, 0 when there is no file,
 * or a negative errno. */
int vigil_state_load(const char *dir, struct vigil_cache *c, size_t *bad);

/*
 * The wall-clock time of CLOCK_MONOTONIC zero, kept in DIR/clock for this
 * boot, so that start_time (ktime plus this) does not move when the agent
 * restarts.  *boot_wall_ns is read back when DIR/clock names this boot;
 * otherwise it is written there (best effort: the value is used either way).
 */
void vigil_state_boot_wall(const char *dir, uint64_t *boot_wall_ns);

/* One saved line into c: 0, or -EINVAL when it is not a valid record. */
int vigil_state_parse_line(const char *line, size_t len, struct vigil_cache *c);

#endif
