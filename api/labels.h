/* SPDX-License-Identifier: Apache-2.0 */
/*
 * labels.h - Kubernetes label selectors, in the syntax of
 * `kubectl get -l` and Tetragon's `labels` filter:
 *
 *   key=value  key==value  key!=value  key in (a,b)  key notin (a,b)
 *   key        !key        key>N       key<N
 *
 * joined by commas, all of which must hold ("" selects everything).  Keys
 * are qualified names ([DNS subdomain/]name, the name at most 63
 * characters of [A-Za-z0-9_.-] starting and ending alphanumeric); values
 * are empty or follow the same rule as a name (the checks are
 * policy/k8s_labels.c's).  The parser follows
 * Kubernetes' own, token for token, so that a selector that parses there
 * parses here and selects the same pods, and one that fails fails with the
 * same reason.  "!=" and "notin" hold for a pod without the key; ">" and
 * "<" compare as 64-bit integers and fail when either side is not one.
 */
#ifndef VIGIL_LABELS_H
#define VIGIL_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "k8s_labels.h"

struct vigil_label_selector;

/* Parse s.  0; -EINVAL with the reason in err; -ENOMEM. */
int vigil_label_selector_parse(const char *s, struct vigil_label_selector **out, char *err,
			       size_t errsz);

/* A label set is read through vigil_label_get_fn (policy/k8s_labels.h),
 * which the policy's pod selectors share. */

/* Whether every requirement of sel holds for the labels get() reads. */
bool vigil_label_selector_match(const struct vigil_label_selector *sel, vigil_label_get_fn get,
				void *arg);

void vigil_label_selector_free(struct vigil_label_selector *sel);

#endif
