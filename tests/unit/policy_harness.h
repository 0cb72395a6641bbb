/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy_harness.h - for the policy unit tests: a policy compiled from YAML
 * text (parse, validate, compile) with its diagnostics, and a policy event
 * encoded as vigild writes it.  Include after <cmocka.h>.
 */
#ifndef VIGIL_TEST_POLICY_HARNESS_H
#define VIGIL_TEST_POLICY_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "encode.h"
#include "parse.h"
#include "plan.h"
#include "validate.h"

struct compiled {
	struct vigil_policy *p;
	struct vigil_plan plan;
	struct vigil_diags ds;
	int ret;
};

/* Parse and validate yaml (named file in messages; both must succeed),
 * then compile it for f as policy id: c->ret is the compiler's result. */
static inline void compile_as(const char *file, uint32_t id, const char *yaml,
			      const struct vigil_kernel_features *f, struct compiled *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(vigil_policy_parse(file, yaml, strlen(yaml), &c->p, &c->ds), 0);
	assert_int_equal(vigil_policy_validate(c->p, NULL, &c->ds), 0);
	c->ret = vigil_policy_compile(c->p, f, id, &c->plan, &c->ds);
}

static inline void compiled_free(struct compiled *c)
{
	vigil_plan_free(&c->plan);
	vigil_policy_free(c->p);
	vigil_diags_free(&c->ds);
}

/* The first error, formatted as vigild prints it; "" when none. */
static inline const char *first_error(struct compiled *c, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < c->ds.n; i++)
		if (c->ds.d[i].sev == VIGIL_DIAG_ERROR) {
			vigil_diag_format(&c->ds.d[i], buf, n);
			return buf;
		}
	return "";
}

/* pol as one JSON or compact line, from a process running binary (pid 42,
 * node n1).  The caller frees the text. */
static inline char *encode_policy_event(const struct vigil_out_policy *pol, bool compact,
					const char *binary)
{
	static const struct vigil_encode_ctx ctx = { .node_name = "n1" };
	struct vigil_out_event ev = { .kind = VIGIL_OUT_POLICY, .ktime = 5, .pol = pol };
	struct vigil_exec_desc d = { .pid = 42, .tid = 42, .ktime = 1000, .binary = binary };
	struct vigil_cache *cache = vigil_cache_new();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(cache);
	assert_non_null(f);
	ev.proc = vigil_cache_exec(cache, &d);
	assert_non_null(ev.proc);
	if (compact)
		assert_int_equal(vigil_write_compact(f, &ctx, &ev), 0);
	else
		assert_int_equal(vigil_write_json(f, &ctx, &ev), 0);
	fclose(f);
	vigil_process_put(cache, ev.proc);
	vigil_cache_free(cache);
	return buf;
}

#endif
