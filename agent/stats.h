/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stats.h - loss reports on stderr and the --stats-file counters.
 */
#ifndef VIGIL_STATS_H
#define VIGIL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

struct vigil_stats {
	uint64_t reported_lost; /* ring-buffer losses already reported */
	uint64_t swept;		/* process records dropped by the cache sweep */
};

/* Report on stderr any ring-buffer losses beyond those reported already. */
void vigil_report_losses(const uint64_t kstats[VIGIL_STAT_COUNT], struct vigil_stats *st);

/* Write the counters as one JSON object to fd (from its start, replacing
 * what was there).  0, or a negative errno. */
int vigil_stats_write(int fd, const struct vigil_pipeline *p, const struct vigil_stats *st,
		      const uint64_t kstats[VIGIL_STAT_COUNT]);

#endif
