/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse.h - stage 2: a TracingPolicy YAML document to the model.
 *
 * Strict like Tetragon's loader: every key is checked against Tetragon
 * v1.7's schema at its place.  A key or value Tetragon knows but vigil
 * does not support is an error "... not supported by vigil"; anything else
 * unknown is an error with a "did you mean" suggestion when a valid name
 * is close.  Wrong YAML kinds (a mapping where a list belongs, a quoted
 * "true" where a boolean belongs) are errors naming the expected kind.
 * Every error is reported, in document order, at its line and column with
 * its field path (spec.kprobes[0].selectors[1].matchArgs[0].operator).
 *
 * Semantic checks (values for their argument types, limits, kernel
 * targets) are the validator's (validate.h).
 */
#ifndef VIGIL_POLICY_PARSE_H
#define VIGIL_POLICY_PARSE_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

/* Parse text[0..len) (need not be NUL-terminated), naming 'file' in
 * diagnostics and in the model.  Returns 0 and *out, or -EINVAL (errors in
 * ds, *out NULL), or -ENOMEM.  Warnings may be added either way. */
int vigil_policy_parse(const char *file, const char *text, size_t len, struct vigil_policy **out,
		       struct vigil_diags *ds);

#endif
