/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diags_text.h - for the policy unit tests: every diagnostic of a list,
 * formatted as vigild and lint print it, one per line, each checked to be
 * clean for a terminal.  Include after <cmocka.h>.
 */
#ifndef VIGIL_TEST_DIAGS_TEXT_H
#define VIGIL_TEST_DIAGS_TEXT_H

#include <stdlib.h>
#include <string.h>
#include "diag.h"

/* The caller frees the text. */
static inline char *format_all(const struct vigil_diags *ds)
{
	char line[4096];
	size_t i, len = 0;
	char *out = calloc(1, 1);

	assert_non_null(out);
	for (i = 0; i < ds->n; i++) {
		int n = vigil_diag_format(&ds->d[i], line, sizeof(line));

		assert_true(n > 0 && (size_t)n < sizeof(line));
		/* nothing from the input reaches a terminal raw */
		assert_true(vigil_text_is_clean(line, (size_t)n));
		out = realloc(out, len + (size_t)n + 2);
		assert_non_null(out);
		memcpy(out + len, line, (size_t)n);
		len += (size_t)n;
		if (i + 1 < ds->n)
			out[len++] = '\n';
		out[len] = '\0';
	}
	return out;
}

#endif
