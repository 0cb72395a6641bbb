/* SPDX-License-Identifier: Apache-2.0 */
/*
 * grpc_glue.h - what the server (server.c) and the client (client.c) share
 * of the gRPC C core: starting and stopping the library, its log, and
 * message bytes in and out of byte buffers.  Included by those two files
 * only: nothing else in vigil sees a gRPC type.
 */
#ifndef VIGIL_GRPC_GLUE_H
#define VIGIL_GRPC_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include <grpc/byte_buffer.h>
#include <grpc/grpc.h>

/*
 * grpc_init(), with gRPC's log sent through vigil: errors only, each on one
 * line of stderr, "PREFIX: grpc: MESSAGE", escaped (print 0: kept for
 * vigil_grpc_last_error() only).
 */
void vigil_grpc_init(const char *prefix, int print);

/* grpc_shutdown(), waiting for gRPC's own threads to end. */
void vigil_grpc_shutdown(void);

/* The last error gRPC logged, copied into buf ("" when none). */
void vigil_grpc_last_error(char *buf, size_t bufsz);

/* The bytes of bb, in a new buffer (*out, malloc'd).  0, -EINVAL (a
 * message compressed in a way gRPC cannot read) or -ENOMEM. */
int vigil_grpc_read(grpc_byte_buffer *bb, uint8_t **out, size_t *len);

/* A byte buffer holding a copy of data[0..len). */
grpc_byte_buffer *vigil_grpc_buffer(const void *data, size_t len);

/* now + ms on the monotonic clock; ms < 0: never. */
gpr_timespec vigil_grpc_deadline(long ms);

#endif
