// SPDX-License-Identifier: Apache-2.0
/*
 * grpc_glue.c - gRPC library start and stop, its log, byte buffers
 * (grpc_glue.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/byte_buffer_reader.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>

#include "diag.h"
#include "grpc_glue.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_error[512];
static const char *log_prefix = "vigil";
static int log_print;

static void on_log(gpr_log_func_args *a)
{
	char *text;

	if (a->severity != GPR_LOG_SEVERITY_ERROR)
		return;
	text = vigil_escape_dup(a->message ? a->message : "");
	pthread_mutex_lock(&log_lock);
	snprintf(last_error, sizeof(last_error), "%s", text ? text : "?");
	if (log_print)
		fprintf(stderr, "%s: grpc: %s\n", log_prefix, text ? text : "?");
	pthread_mutex_unlock(&log_lock);
	free(text);
}

void vigil_grpc_init(const char *prefix, int print)
{
	pthread_mutex_lock(&log_lock);
	log_prefix = prefix;
	log_print = print;
	last_error[0] = 0;
	pthread_mutex_unlock(&log_lock);
	gpr_set_log_function(on_log);
	gpr_set_log_verbosity(GPR_LOG_SEVERITY_ERROR);
	grpc_init();
}

void vigil_grpc_shutdown(void)
{
	grpc_shutdown_blocking();
}

void vigil_grpc_last_error(char *buf, size_t bufsz)
{
	pthread_mutex_lock(&log_lock);
	snprintf(buf, bufsz, "%s", last_error);
	pthread_mutex_unlock(&log_lock);
}

int vigil_grpc_read(grpc_byte_buffer *bb, uint8_t **out, size_t *len)
{
	grpc_byte_buffer_reader r;
	grpc_slice s;
	size_t n;

	*out = NULL;
	*len = 0;
	if (!grpc_byte_buffer_reader_init(&r, bb))
		return -EINVAL;
	s = grpc_byte_buffer_reader_readall(&r);
	grpc_byte_buffer_reader_destroy(&r);
	n = GRPC_SLICE_LENGTH(s);
	*out = malloc(n ? n : 1);
	if (!*out) {
		grpc_slice_unref(s);
		return -ENOMEM;
	}
	memcpy(*out, GRPC_SLICE_START_PTR(s), n);
	*len = n;
	grpc_slice_unref(s);
	return 0;
}

grpc_byte_buffer *vigil_grpc_buffer(const void *data, size_t len)
{
	grpc_slice s = grpc_slice_from_copied_buffer(data, len);
	grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&s, 1);

	grpc_slice_unref(s);
	return bb;
}

gpr_timespec vigil_grpc_deadline(long ms)
{
	if (ms < 0)
		return gpr_inf_future(GPR_CLOCK_MONOTONIC);
	return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(ms, GPR_TIMESPAN));
}
