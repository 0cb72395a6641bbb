/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tracefs.h - the record layout of a tracepoint, from its tracefs format
 * file (events/SUBSYS/EVENT/format):
 *
 *   name: sys_enter_openat
 *   ID: 782
 *   format:
 *   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *   	...
 *   	field:const char * filename;	offset:24;	size:8;	signed:0;
 *
 *   print fmt: ...
 *
 * Fields are numbered in the order of the file, the common_* fields
 * included: the numbering TracingPolicy args[].index uses for tracepoints.
 */
#ifndef VIGIL_TRACEFS_H
#define VIGIL_TRACEFS_H

#include <stddef.h>
#include "plan.h"

#define VIGIL_TP_FIELDS_MAX 128		/* fields of one event (the largest has about 30) */
#define VIGIL_TP_FORMAT_MAX (64 * 1024) /* bytes of a format file (the largest has about 6 KiB) */

struct vigil_tp_format {
	size_t nfields;
	struct vigil_tp_field fields[VIGIL_TP_FIELDS_MAX]; /* nfields set in each */
};

/*
 * Parse the text of a format file (len bytes, need not be NUL-terminated).
 * Returns 0; -EINVAL when it is not a format file (no "format:" line, a
 * line of the field list that is not a field, a field without offset or
 * size, a name or type that does not fit, a NUL byte); -E2BIG when it has
 * more than VIGIL_TP_FIELDS_MAX fields.
 */
int vigil_tp_format_parse(const char *text, size_t len, struct vigil_tp_format *out);

/*
 * Read and parse events_dir/SUBSYS/EVENT/format; events_dir NULL: the
 * host's, /sys/kernel/tracing/events, else /sys/kernel/debug/tracing/events.
 * Returns 0; -ENOENT when the event does not exist (or its names are not
 * plain file names); -ENODEV when no events directory exists; the errno of
 * reading (-EACCES without root) or of vigil_tp_format_parse.
 */
int vigil_tp_format_read(const char *events_dir, const char *subsys, const char *event,
			 struct vigil_tp_format *out);

/* The tracepoint_field callback of struct vigil_kernel_features (plan.h);
 * ctx is an events directory, NULL for the host's. */
int vigil_tracefs_field(void *ctx, const char *subsys, const char *event, unsigned index,
			struct vigil_tp_field *out);

#endif
