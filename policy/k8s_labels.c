// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_labels.c - Kubernetes' label key and label value rules (see
 * k8s_labels.h).  Pure checks on (pointer, length) slices.
 */
#include <stdbool.h>
#include <string.h>

#include "k8s_labels.h"

#define NAME_RULE                                                                           \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end " \
	"with an alphanumeric character"

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] */
static bool is_name(const char *s, size_t n)
{
	size_t i;

	if (!n || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* A lowercase RFC 1123 subdomain: labels of [a-z0-9-], alphanumeric at
 * both ends, joined by dots. */
static bool is_dns_subdomain(const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
			      s[i] == '-'))
				return false;
			continue;
		}
		if (i == start || s[start] == '-' || s[i - 1] == '-')
			return false;
		start = i + 1;
	}
	return true;
}

const char *vigil_label_key_problem(const char *k, size_t n)
{
	const char *slash = memchr(k, '/', n), *name = k;
	size_t nlen = n;

	if (slash) {
		if (memchr(slash + 1, '/', n - (size_t)(slash + 1 - k)))
			return "a qualified name is [DNS subdomain/]name";
		if (slash == k)
			return "prefix part must be non-empty";
		if (slash - k > VIGIL_LABEL_PREFIX_MAX)
			return "prefix part must be no more than 253 characters";
		if (!is_dns_subdomain(k, (size_t)(slash - k)))
			return "prefix part must be a lowercase RFC 1123 subdomain";
		name = slash + 1;
		nlen = n - (size_t)(name - k);
	}
	if (!nlen)
		return "name part must be non-empty";
	if (nlen > VIGIL_LABEL_NAME_MAX)
		return "name part must be no more than 63 characters";
	if (!is_name(name, nlen))
		return "name part " NAME_RULE;
	return NULL;
}

const char *vigil_label_value_problem(const char *v, size_t n)
{
	if (n > VIGIL_LABEL_VALUE_MAX)
		return "must be no more than 63 characters";
	if (n && !is_name(v, n))
		return "must be empty or " NAME_RULE;
	return NULL;
}
