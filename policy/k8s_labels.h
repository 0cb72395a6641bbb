/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_labels.h - Kubernetes' rules for labels, shared by the policy's pod
 * and container selectors (pod_selector.h) and the API's label filters
 * (api/labels.h): what a label key (a qualified name) and a label value
 * may be, and how a label set is read.
 *
 *   key    [prefix/]name: prefix a lowercase RFC 1123 subdomain of at most
 *          253 characters, name 1..63 characters of [A-Za-z0-9_.-]
 *          starting and ending alphanumeric (IsQualifiedName)
 *   value  empty, or 1..63 characters following the rule of a name
 *          (IsValidLabelValue)
 *
 * The reasons are Kubernetes' own words, so that a message reads the same
 * as kubectl's.
 */
#ifndef VIGIL_POLICY_K8S_LABELS_H
#define VIGIL_POLICY_K8S_LABELS_H

#include <stddef.h>

#define VIGIL_LABEL_PREFIX_MAX 253
#define VIGIL_LABEL_NAME_MAX   63
#define VIGIL_LABEL_VALUE_MAX  63
/* The longest valid key: prefix, '/', name. */
#define VIGIL_LABEL_KEY_MAX (VIGIL_LABEL_PREFIX_MAX + 1 + VIGIL_LABEL_NAME_MAX)

/* A label set: the value of key (NUL-terminated), or NULL when the set has
 * no such key. */
typedef const char *(*vigil_label_get_fn)(void *arg, const char *key);

/* NULL when s[0..n) is a valid label key, else why it is not (a phrase
 * such as "name part must be non-empty"). */
const char *vigil_label_key_problem(const char *s, size_t n);

/* NULL when s[0..n) is a valid label value, else why it is not. */
const char *vigil_label_value_problem(const char *s, size_t n);

#endif
