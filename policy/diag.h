/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diag.h - diagnostics of the policy stages: a list of errors and warnings,
 * each with the file, the place in it, the field path and a message.
 *
 * Formatted:   FILE:LINE:COL: PATH: MSG
 * warnings:    FILE:LINE:COL: warning: PATH: MSG
 * LINE:COL is left out when the line is 0, "PATH: " when the path is empty.
 *
 * Nothing from outside reaches a terminal raw: vigil_diag_add() escapes
 * control bytes, DEL, C1 controls, bidirectional and invisible format
 * characters and invalid UTF-8 in the file name, path and message, and text
 * quoted from the YAML goes through vigil_quote(), which also caps it.
 */
#ifndef VIGIL_POLICY_DIAG_H
#define VIGIL_POLICY_DIAG_H

#include <stddef.h>

#include "model.h"

enum vigil_severity {
	VIGIL_DIAG_ERROR = 0,
	VIGIL_DIAG_WARNING,
};

struct vigil_diag {
	enum vigil_severity sev;
	char *file;
	struct vigil_pos pos;
	char *path;
	char *msg;
};

struct vigil_diags {
	struct vigil_diag *d;
	size_t n;
	size_t nerrors; /* errors added, counted even when memory ran out */
};

/* Append a diagnostic.  file and path may be NULL.  On allocation failure
 * the diagnostic is lost but an error is still counted in nerrors, so a
 * failed stage never looks clean. */
void vigil_diag_add(struct vigil_diags *ds, enum vigil_severity sev, const char *file,
		    struct vigil_pos pos, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Format one diagnostic into out (always NUL-terminated when outsz > 0).
 * Returns the length the full text has, as snprintf does. */
int vigil_diag_format(const struct vigil_diag *d, char *out, size_t outsz);

/* Stable-sort the diagnostics from index 'from' on by position (line, then
 * column; positionless ones first), so that each stage reports in document
 * order. */
void vigil_diags_sort(struct vigil_diags *ds, size_t from);

void vigil_diags_free(struct vigil_diags *ds);

/* --- quoting text from the input ------------------------------------------ */

/* At most this many bytes of a quoted value are shown, then "...". */
#define VIGIL_QUOTE_MAX 64
/* Enough for any vigil_quote() result: 4 output bytes per input byte at
 * worst, the quotes, "..." and the NUL. */
#define VIGIL_QUOTE_BUFSZ (VIGIL_QUOTE_MAX * 4 + 8)

/* Write s[0..len) into buf as a double-quoted string: '"' and '\' are
 * escaped with a backslash, \n \t \r as such, other control bytes, DEL and
 * invalid UTF-8 as \xNN, C1 controls and bidirectional or invisible format
 * characters as \u{XXXX}.  Longer text is cut (at a character boundary)
 * after VIGIL_QUOTE_MAX bytes and "..." follows the closing quote.
 * Returns buf.  bufsz should be VIGIL_QUOTE_BUFSZ. */
const char *vigil_quote(const char *s, size_t len, char *buf, size_t bufsz);

/* vigil_quote() of a NUL-terminated string (NULL quotes as ""). */
const char *vigil_quote_str(const char *s, char *buf, size_t bufsz);

/* Copy s into a new string, escaping what vigil_quote() escapes except '"'
 * and '\' (no quotes, no cap).  NULL on allocation failure. */
char *vigil_escape_dup(const char *s);

/* 1 when s[0..len) is valid UTF-8 without control bytes (C0 but \t, DEL,
 * C1), bidirectional or invisible format characters; else 0.  The check
 * the fuzzer applies to every formatted diagnostic. */
int vigil_text_is_clean(const char *s, size_t len);

#endif
