/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

#include <stdbool.h>

extern bool vigil_verbose;

/* One line on stderr, prefixed "vigild: ". */
void vigil_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with --verbose. */
void vigil_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
