/* SPDX-License-Identifier: Apache-2.0 */
/* What the benchmark workloads share. */
#ifndef VIGIL_BENCH_WORKLOAD_H
#define VIGIL_BENCH_WORKLOAD_H

#include <time.h>

/* CLOCK_MONOTONIC in seconds: each workload times its own loop with it. */
static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
