/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy_cases.h - for the policy unit tests: tables of policies with the
 * exact diagnostics each must give, run one cmocka test per case, and the
 * diagnostics formatted as vigild and lint print them.  Include after
 * <cmocka.h>.
 */
#ifndef VIGIL_TEST_POLICY_CASES_H
#define VIGIL_TEST_POLICY_CASES_H

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

/* A policy and every diagnostic it must give, one per line. */
struct policy_case {
	const char *name;
	const char *yaml;
	const char *want;
};

/* One test per case (named after it, its state the case), then the fixed
 * tests; returns cmocka's status. */
static inline int run_case_table(const char *group, const struct policy_case *cases, size_t ncases,
				 CMUnitTestFunction run_case, const struct CMUnitTest *fixed,
				 size_t nfixed)
{
	struct CMUnitTest *tests = calloc(ncases + nfixed, sizeof(*tests));
	size_t i;
	int rc;

	if (!tests)
		return 1;
	for (i = 0; i < ncases; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	memcpy(tests + ncases, fixed, nfixed * sizeof(*fixed));
	rc = _cmocka_run_group_tests(group, tests, ncases + nfixed, NULL, NULL);
	free(tests);
	return rc;
}

#endif
