// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_tracefs.c - libFuzzer target for tracepoint format files: the text
 * through vigil_tp_format_parse() (agent/tracefs.c), then the fields it
 * gave, as the kernel facts of a fixed tracepoint policy that reads
 * fields 0 to 7 with strings and integers of every width, through the
 * compiler (policy/compile_tp.c).
 *
 * One input is one format file of any content, copied into a heap buffer
 * of exactly its size (not NUL-terminated), so that ASan reports any read
 * past the text.  Besides the sanitizers, the target checks what the
 * headers promise and calls abort() when a promise is broken:
 *   - tracefs.h: 0, -EINVAL or -E2BIG; on 0, at most VIGIL_TP_FIELDS_MAX
 *     fields, each with an identifier for a name, a type, both terminated
 *     inside their arrays, offset and size below 65536, nfields in each,
 *     data_loc exactly when the type starts with "__data_loc ";
 *   - plan.h: the compiler returns 0 exactly when it added no error (else
 *     -EINVAL), and each argument it laid out is read at its field's
 *     offset, integers no wider than their field;
 *   - diag.h: every diagnostic formats to clean text (field names and
 *     types come from the input).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"
#include "plan.h"
#include "tracefs.h"
#include "validate.h"

static const char policy_text[] = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: fuzz\n"
				  "spec:\n"
				  "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_fuzz\n"
				  "    args:\n"
				  "    - {index: 0, type: string}\n"
				  "    - {index: 1, type: int}\n"
				  "    - {index: 2, type: uint64}\n"
				  "    - {index: 3, type: int8}\n"
				  "    - {index: 4, type: string}\n"
				  "    - {index: 5, type: uint16}\n"
				  "    - {index: 6, type: size_t}\n"
				  "    - {index: 7, type: string}\n"
				  "    selectors:\n"
				  "    - matchArgs:\n"
				  "      - {index: 0, operator: Prefix, values: [/tmp/]}\n"
				  "      - {index: 1, operator: Mask, values: ['1']}\n";

static struct vigil_policy *policy; /* parsed once, kept */

static int format_field(void *ctx, const char *subsys, const char *event, unsigned index,
			struct vigil_tp_field *out)
{
	const struct vigil_tp_format *fmt = ctx;

	(void)subsys;
	(void)event;
	memset(out, 0, sizeof(*out));
	out->nfields = (unsigned)fmt->nfields;
	if (index >= fmt->nfields)
		return -ERANGE;
	*out = fmt->fields[index];
	return 0;
}

static bool terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

static void check_format(const struct vigil_tp_format *fmt)
{
	size_t i, j;

	if (fmt->nfields > VIGIL_TP_FIELDS_MAX)
		abort();
	for (i = 0; i < fmt->nfields; i++) {
		const struct vigil_tp_field *f = &fmt->fields[i];

		if (!terminated(f->name, sizeof(f->name)) || !terminated(f->type, sizeof(f->type)))
			abort();
		if (!f->name[0] || !f->type[0] || (f->name[0] >= '0' && f->name[0] <= '9'))
			abort();
		for (j = 0; f->name[j]; j++)
			if (!(f->name[j] == '_' || (f->name[j] >= 'a' && f->name[j] <= 'z') ||
			      (f->name[j] >= 'A' && f->name[j] <= 'Z') ||
			      (f->name[j] >= '0' && f->name[j] <= '9')))
				abort();
		if (f->offset > 0xffff || f->size > 0xffff || f->nfields != fmt->nfields)
			abort();
		if (f->data_loc != (strncmp(f->type, "__data_loc ", 11) == 0))
			abort();
	}
}

static void check_diags(const struct vigil_diags *ds)
{
	char line[8192];
	size_t i;
	int n;

	for (i = 0; i < ds->n; i++) {
		n = vigil_diag_format(&ds->d[i], line, sizeof(line));
		if (n < 0 || (size_t)n >= sizeof(line) || !vigil_text_is_clean(line, (size_t)n))
			abort();
	}
}

static void compile(struct vigil_tp_format *fmt)
{
	struct vigil_kernel_features f = {
		.signal = true,
		.tracepoint_field = format_field,
		.tracepoint_ctx = fmt,
	};
	struct vigil_diags ds = { 0 };
	struct vigil_plan plan;
	size_t i;
	int rc;

	rc = vigil_policy_compile(policy, &f, 1, &plan, &ds);
	if ((rc == 0) != (ds.nerrors == 0) || (rc != 0 && rc != -EINVAL))
		abort();
	check_diags(&ds);
	for (i = 0; rc == 0 && i < plan.hooks[0].cfg.nargs; i++) {
		const struct vigil_hook_arg *ha = &plan.hooks[0].cfg.args[i];
		const struct vigil_tp_field *fl = &fmt->fields[policy->hooks[0].args[i].index];

		if (ha->index != i || ha->off != fl->offset)
			abort();
		if (ha->type == VIGIL_AT_INT && ha->width > fl->size)
			abort();
	}
	if (rc == 0)
		vigil_plan_free(&plan);
	vigil_diags_free(&ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vigil_tp_format *fmt;
	char *text;
	int rc;

	if (!policy) {
		struct vigil_diags ds = { 0 };

		if (vigil_policy_parse("fuzz.yaml", policy_text, sizeof(policy_text) - 1, &policy,
				       &ds) ||
		    vigil_policy_validate(policy, NULL, &ds))
			abort();
		vigil_diags_free(&ds);
	}
	text = malloc(size ? size : 1);
	fmt = malloc(sizeof(*fmt));
	if (!text || !fmt)
		goto cleanup;
	memcpy(text, data, size);
	rc = vigil_tp_format_parse(text, size, fmt);
	if (rc != 0 && rc != -EINVAL && rc != -E2BIG)
		abort();
	if (rc == 0) {
		check_format(fmt);
		compile(fmt);
	}
cleanup:
	free(fmt);
	free(text);
	return 0;
}
