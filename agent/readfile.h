/* SPDX-License-Identifier: Apache-2.0 */
/*
 * readfile.h - read a whole file of outside input, bounded.
 */
#ifndef VIGIL_READFILE_H
#define VIGIL_READFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Read path into a new buffer (*out, *len; not NUL-terminated; the caller
 * frees it).  Returns 0, -EFBIG when the file holds more than max bytes,
 * -EINVAL when regular_only and path is not a regular file, or the errno
 * of open or read (negative).
 */
int vigil_read_file(const char *path, size_t max, bool regular_only, char **out, size_t *len);

#endif
