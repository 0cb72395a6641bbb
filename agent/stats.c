// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "stats.h"

static uint64_t ring_lost(const uint64_t *k)
{
	return k[VIGIL_STAT_LOST_EXEC] + k[VIGIL_STAT_LOST_CLONE] + k[VIGIL_STAT_LOST_EXIT] +
	       k[VIGIL_STAT_LOST_POLICY];
}

void vigil_report_losses(const uint64_t kstats[VIGIL_STAT_COUNT], struct vigil_stats *st)
{
	uint64_t lost = ring_lost(kstats);

	if (lost <= st->reported_lost)
		return;
	vigil_err("ring buffer full: %llu events lost so far (exec %llu, clone %llu, exit %llu, "
		  "policy %llu)",
		  (unsigned long long)lost, (unsigned long long)kstats[VIGIL_STAT_LOST_EXEC],
		  (unsigned long long)kstats[VIGIL_STAT_LOST_CLONE],
		  (unsigned long long)kstats[VIGIL_STAT_LOST_EXIT],
		  (unsigned long long)kstats[VIGIL_STAT_LOST_POLICY]);
	st->reported_lost = lost;
}

static unsigned long long written(const struct vigil_output *o)
{
	return o ? (unsigned long long)vigil_output_written(o) : 0;
}

static unsigned long long dropped(const struct vigil_output *o)
{
	return o ? (unsigned long long)vigil_output_dropped(o) : 0;
}

int vigil_stats_write(int fd, const struct vigil_pipeline *p, const struct vigil_stats *st,
		      const uint64_t kstats[VIGIL_STAT_COUNT])
{
	char buf[1024];
	ssize_t w;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "{\"events\":{\"exec\":%llu,\"clone\":%llu,\"exit\":%llu,\"policy\":%llu},"
		     "\"lost\":{\"exec\":%llu,\"clone\":%llu,\"exit\":%llu,\"policy\":%llu},"
		     "\"ringbuf_lost\":%llu,\"malformed\":%llu,\"out_of_memory\":%llu,"
		     "\"table_full\":%llu,\"stale_policy\":%llu,"
		     "\"output\":{\"export\":{\"written\":%llu,\"dropped\":%llu},"
		     "\"stdout\":{\"written\":%llu,\"dropped\":%llu,\"closed\":%s}},"
		     "\"cache\":{\"live\":%zu,\"total\":%zu,\"swept\":%llu}}\n",
		     (unsigned long long)p->handled[VIGIL_MSG_EXEC],
		     (unsigned long long)p->handled[VIGIL_MSG_CLONE],
		     (unsigned long long)p->handled[VIGIL_MSG_EXIT],
		     (unsigned long long)p->handled[VIGIL_MSG_POLICY],
		     (unsigned long long)kstats[VIGIL_STAT_LOST_EXEC],
		     (unsigned long long)kstats[VIGIL_STAT_LOST_CLONE],
		     (unsigned long long)kstats[VIGIL_STAT_LOST_EXIT],
		     (unsigned long long)kstats[VIGIL_STAT_LOST_POLICY],
		     (unsigned long long)ring_lost(kstats), (unsigned long long)p->bad,
		     (unsigned long long)p->oom, (unsigned long long)kstats[VIGIL_STAT_TABLE_FULL],
		     (unsigned long long)p->stale, written(p->export), dropped(p->export),
		     written(p->out), dropped(p->out), p->out_closed ? "true" : "false",
		     vigil_cache_live(p->cache), vigil_cache_total(p->cache),
		     (unsigned long long)st->swept);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EOVERFLOW;
	if (ftruncate(fd, 0))
		return -errno;
	w = pwrite(fd, buf, (size_t)n, 0);
	if (w < 0)
		return -errno;
	return w == n ? 0 : -ENOSPC; /* a short write: the file system is full */
}
