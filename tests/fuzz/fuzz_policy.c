// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_policy.c - libFuzzer target for the policy front end: YAML text
 * through policy/yaml_doc.c and policy/parse*.c to the model, then
 * policy/validate.c, then vigil_policy_free().
 *
 * One input is one policy file of any content.  It is copied into a heap
 * buffer of exactly its size (not NUL-terminated), so that ASan reports any
 * read past the text.  Besides the sanitizers (LeakSanitizer included: the
 * target keeps nothing across inputs), the target checks what the headers
 * promise and calls abort() when a promise is broken:
 *   - parse.h: 0 with a policy and no error, or a negative errno with no
 *     policy and at least one error;
 *   - validate.h: 0 exactly when it added no error, with no kernel facts
 *     and with fake ones that answer every question (so that the kernel
 *     checks, suggestions and symlink warnings run too);
 *   - diag.h: every diagnostic formats to valid UTF-8 without control
 *     bytes, bidirectional or invisible characters (nothing from the input
 *     reaches a terminal raw), with a position whenever it names a path
 *     inside the document.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"
#include "validate.h"

/* Fake facts: decided by the name's first byte, so both answers happen. */
static int fake_name(void *ctx, const char *name)
{
	(void)ctx;
	return name[0] == 0 ? -1 : (name[0] & 1);
}

static int fake_tp(void *ctx, const char *subsys, const char *event)
{
	(void)ctx;
	(void)event;
	return subsys[0] == 0 ? -1 : (subsys[0] & 1);
}

static int fake_nargs(void *ctx, const char *name)
{
	(void)ctx;
	return (int)strlen(name) % 7 - 1;
}

static int fake_readlink(void *ctx, const char *path, char *out, size_t outsz)
{
	(void)ctx;
	if (strlen(path) % 3)
		return strlen(path) % 3 == 1 ? 0 : -1;
	snprintf(out, outsz, "/resolved%s\x1b\xff", path); /* hostile, must be escaped */
	return 1;
}

static int fake_suggest(void *ctx, enum vigil_hook_kind kind, const char *name, char *out,
			size_t outsz)
{
	(void)ctx;
	(void)kind;
	snprintf(out, outsz, "%s\xe2\x80\xae_x", name);
	return 1;
}

static const struct vigil_kernel_facts fake = {
	.has_function = fake_name,
	.has_lsm_hook = fake_name,
	.has_tracepoint = fake_tp,
	.function_nargs = fake_nargs,
	.readlink = fake_readlink,
	.suggest = fake_suggest,
};

static void check_diags(const struct vigil_diags *ds)
{
	char line[8192];
	size_t i, errors = 0;
	int n;

	for (i = 0; i < ds->n; i++) {
		const struct vigil_diag *d = &ds->d[i];

		n = vigil_diag_format(d, line, sizeof(line));
		if (n < 0 || (size_t)n >= sizeof(line))
			abort(); /* messages are short: quoting caps input text */
		if (!vigil_text_is_clean(line, (size_t)n))
			abort();
		if (d->path && d->path[0] && d->pos.line == 0)
			abort();
		if (d->sev == VIGIL_DIAG_ERROR)
			errors++;
	}
	if (errors > ds->nerrors)
		abort();
}

static void validate(const struct vigil_policy *p, const struct vigil_kernel_facts *k)
{
	struct vigil_diags ds = { 0 };
	int rc;

	rc = vigil_policy_validate(p, k, &ds);
	if ((rc == 0) != (ds.nerrors == 0) || (rc != 0 && rc != -EINVAL))
		abort();
	check_diags(&ds);
	vigil_diags_free(&ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;
	int rc;

	text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	rc = vigil_policy_parse("fuzz.yaml", text, size, &p, &ds);
	if (rc == 0) {
		if (!p || ds.nerrors)
			abort();
	} else {
		if (p || ds.nerrors == 0 || (rc != -EINVAL && rc != -ENOMEM))
			abort();
	}
	check_diags(&ds);
	if (p) {
		validate(p, NULL);
		validate(p, &fake);
	}
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	free(text);
	return 0;
}
