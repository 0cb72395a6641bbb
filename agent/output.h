/* SPDX-License-Identifier: Apache-2.0 */
/*
 * output.h - line sinks for events: the export file and stdout.
 *
 * Encoders write one event at a time into vigil_output_stream(); the sink
 * keeps the bytes in memory and vigil_output_end_event() turns them into one
 * complete line (or discards them when the encoder failed).  Only complete
 * lines are ever written.  When a write fails (a full disk, a file size
 * limit, /dev/full) the lines that could not be written are dropped and
 * counted, a partial line that reached a regular file is truncated away, and
 * the outage is reported once on stderr; writing resumes, and says so, as
 * soon as a write succeeds again.  The agent keeps monitoring throughout.
 */
#ifndef VIGIL_OUTPUT_H
#define VIGIL_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

/* Pending bytes above which vigil_output_end_event() flushes by itself. */
#define VIGIL_OUTPUT_FLUSH_AT (64 * 1024)

struct vigil_output;

/*
 * The open used for every file vigild writes (export, stats, ready):
 * O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | extra_flags, mode 0600, so an
 * event stream is never readable by others and a symbolic link planted at
 * the path is refused (-ELOOP).  Returns the fd or a negative errno; prints
 * nothing (callers name the file).
 */
int vigil_open_private(const char *path, int extra_flags);

/*
 * The export file: opened with vigil_open_private(path, O_APPEND), without
 * blocking on a FIFO that has no reader.  Returns 0 and the sink in *out, or
 * a negative errno after printing one message naming the path.
 */
int vigil_output_open_file(const char *path, struct vigil_output **out);

/*
 * A sink on an fd the caller owns (stdout, named "stdout" in messages); the
 * fd is not closed by vigil_output_close().  NULL (errno ENOMEM) when out of
 * memory; prints nothing.
 */
struct vigil_output *vigil_output_fd(int fd, const char *name);

/* The stream the encoders write one event into; owned by the sink. */
FILE *vigil_output_stream(struct vigil_output *o);

/*
 * End of one event written into the stream.  encode_err != 0 (the encoder
 * failed) discards the bytes of that event and counts it as dropped; the
 * caller reports the encoder's error.  Otherwise the event becomes one
 * complete line (a missing final newline is added) to be written by the next
 * flush; past VIGIL_OUTPUT_FLUSH_AT pending bytes it flushes now.  Returns 0,
 * or what that flush returned (-EPIPE).
 */
int vigil_output_end_event(struct vigil_output *o, int encode_err);

/*
 * Write every complete pending line.  Lines that cannot be written are
 * dropped and counted (never kept for retry, except the rest of one line
 * already partly written to a pipe or device); a partial line that reached a
 * regular file is truncated away, so the file always ends at a line
 * boundary.  Returns 0, or -EPIPE when the reader is gone (on every flush
 * that meets it; nothing is printed, the caller decides whether to end).
 * Any other error also returns 0: it is reported once per outage,
 * "export file PATH: ERROR; events are counted as dropped until writing
 * succeeds", and the first flush that writes everything again reports
 * "writing again after N events dropped".
 */
int vigil_output_flush(struct vigil_output *o);

/*
 * Log rotation (SIGHUP): flush, close, and open the same path again with the
 * same flags.  On failure the error is reported, events pending or to come
 * are counted as dropped, and each later flush tries the path again.  0 or a
 * negative errno.  A sink made by vigil_output_fd() is only flushed.
 */
int vigil_output_reopen(struct vigil_output *o);

/* Events dropped (not written, or failed to encode) since the sink opened. */
uint64_t vigil_output_dropped(const struct vigil_output *o);

/* Events written whole since the sink opened. */
uint64_t vigil_output_written(const struct vigil_output *o);

/* The errno of the current outage, 0 while writing works. */
int vigil_output_error(const struct vigil_output *o);

/* Flush, then free the sink (closing its fd if it opened it).  NULL is a no-op. */
void vigil_output_close(struct vigil_output *o);

#endif
