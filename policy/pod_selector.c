// SPDX-License-Identifier: Apache-2.0
/*
 * pod_selector.c - checks and matching of spec.podSelector and
 * spec.containerSelector (see pod_selector.h).  Pure: no allocation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pod_selector.h"
#include "suggest.h"

#define PATH_LEN 512

static const char *const op_names[VIGIL_LABEL_OP_COUNT] = { "In", "NotIn", "Exists",
							    "DoesNotExist" };
static const char *const container_fields[] = { VIGIL_CONTAINER_FIELD_NAME,
						VIGIL_CONTAINER_FIELD_REPO };

struct sctx {
	const char *file;
	struct vigil_diags *ds;
	enum vigil_selector_target target;
	char path[PATH_LEN];
	size_t base; /* the length of the selector's own path */
};

struct qbuf {
	char s[VIGIL_QUOTE_BUFSZ];
};

static const char *q(struct qbuf *b, const char *s)
{
	return vigil_quote_str(s, b->s, sizeof(b->s));
}

/* The selector's path followed by suffix (printf-style). */
__attribute__((format(printf, 2, 3))) static void at(struct sctx *c, const char *fmt, ...)
{
	va_list ap;

	c->path[c->base] = '\0';
	va_start(ap, fmt);
	vsnprintf(c->path + c->base, sizeof(c->path) - c->base, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4))) static void err(struct sctx *c, struct vigil_pos pos,
						      const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vigil_diag_add(c->ds, VIGIL_DIAG_ERROR, c->file, pos, c->path, "%s", msg);
}

/* The key of a requirement; the caller has set the path. */
static void check_key(struct sctx *c, const char *key, struct vigil_pos pos)
{
	const char *why, *sug;
	struct qbuf b1, b2;
	size_t i;

	if (c->target == VIGIL_SELECT_CONTAINERS) {
		for (i = 0; i < sizeof(container_fields) / sizeof(container_fields[0]); i++)
			if (strcmp(key, container_fields[i]) == 0)
				return;
		sug = vigil_suggest(key, container_fields,
				    sizeof(container_fields) / sizeof(container_fields[0]));
		if (sug)
			err(c, pos, "unknown container field %s (did you mean %s?)", q(&b1, key),
			    q(&b2, sug));
		else
			err(c, pos,
			    "unknown container field %s: a containerSelector matches \"name\" and "
			    "\"repo\"",
			    q(&b1, key));
		return;
	}
	if (strcmp(key, VIGIL_POD_NAMESPACE_LABEL) == 0)
		return;
	why = vigil_label_key_problem(key, strlen(key));
	if (why)
		err(c, pos, "invalid label key %s: %s", q(&b1, key), why);
}

/* A value of key; the caller has set the path.  any: whatever the value
 * (matchExpressions values of "repo"). */
static void check_value(struct sctx *c, const char *key, const char *val, struct vigil_pos pos,
			bool any)
{
	bool repo = c->target == VIGIL_SELECT_CONTAINERS &&
		    strcmp(key, VIGIL_CONTAINER_FIELD_REPO) == 0;
	const char *why;
	struct qbuf b;

	if (any && repo)
		return;
	why = vigil_label_value_problem(val, strlen(val));
	if (!why)
		return;
	if (repo && strchr(val, '/'))
		err(c, pos,
		    "invalid label value %s: %s (a repository with '/' can be matched with "
		    "matchExpressions, operator In)",
		    q(&b, val), why);
	else
		err(c, pos, "invalid label value %s: %s", q(&b, val), why);
}

static void check_labels(struct sctx *c, const struct vigil_label_selector_spec *sel)
{
	const struct vigil_label_match *m;
	size_t i;

	for (i = 0; i < sel->nlabels; i++) {
		m = &sel->labels[i];
		if (!m->key || !m->value)
			continue;
		at(c, ".matchLabels");
		check_key(c, m->key, m->pos);
		at(c, ".matchLabels.%s", m->key);
		check_value(c, m->key, m->value, m->value_pos, false);
	}
}

static void check_expr(struct sctx *c, size_t i, const struct vigil_label_expr *e)
{
	const char *op = op_names[e->op];
	struct qbuf b;
	size_t j;

	if (e->key) {
		at(c, ".matchExpressions[%zu].key", i);
		check_key(c, e->key, e->key_pos);
	}
	switch (e->op) {
	case VIGIL_LABEL_IN:
	case VIGIL_LABEL_NOT_IN:
		if (e->values.n)
			break;
		if (e->has_values)
			at(c, ".matchExpressions[%zu].values", i);
		else
			at(c, ".matchExpressions[%zu].operator", i);
		err(c, e->has_values ? e->values_pos : e->op_pos,
		    "operator %s needs at least one value", q(&b, op));
		return;
	default:
		if (!e->values.n)
			return;
		at(c, ".matchExpressions[%zu].values", i);
		err(c, e->values_pos, "operator %s takes no values", q(&b, op));
		return;
	}
	for (j = 0; j < e->values.n && e->key; j++) {
		at(c, ".matchExpressions[%zu].values[%zu]", i, j);
		check_value(c, e->key, e->values.v[j].s, e->values.v[j].pos, true);
	}
}

int vigil_label_selector_spec_check(const struct vigil_label_selector_spec *sel,
				    enum vigil_selector_target target, const char *file,
				    const char *path, struct vigil_diags *ds)
{
	struct sctx c = { .file = file, .ds = ds, .target = target };
	size_t errors = ds->nerrors, i;

	if (!sel->present)
		return 0;
	snprintf(c.path, sizeof(c.path), "%s", path ? path : "");
	c.base = strlen(c.path);
	check_labels(&c, sel);
	for (i = 0; i < sel->nexprs; i++)
		if ((unsigned)sel->exprs[i].op < VIGIL_LABEL_OP_COUNT)
			check_expr(&c, i, &sel->exprs[i]);
	return ds->nerrors == errors ? 0 : -EINVAL;
}

/* --- matching ------------------------------------------------------------- */

static bool has_value(const struct vigil_values *vals, const char *v)
{
	size_t i;

	for (i = 0; i < vals->n; i++)
		if (vals->v[i].s && strcmp(vals->v[i].s, v) == 0)
			return true;
	return false;
}

static bool expr_holds(const struct vigil_label_expr *e, vigil_label_get_fn get, void *arg)
{
	const char *v = get(arg, e->key ? e->key : "");

	switch (e->op) {
	case VIGIL_LABEL_IN:
		return v && has_value(&e->values, v);
	case VIGIL_LABEL_NOT_IN:
		return !v || !has_value(&e->values, v);
	case VIGIL_LABEL_EXISTS:
		return v;
	case VIGIL_LABEL_DOES_NOT_EXIST:
		return !v;
	default:
		return false;
	}
}

bool vigil_label_selector_spec_match(const struct vigil_label_selector_spec *sel,
				     vigil_label_get_fn get, void *arg)
{
	const char *v;
	size_t i;

	if (!sel->present)
		return true;
	for (i = 0; i < sel->nlabels; i++) {
		if (!sel->labels[i].key || !sel->labels[i].value)
			return false;
		v = get(arg, sel->labels[i].key);
		if (!v || strcmp(v, sel->labels[i].value) != 0)
			return false;
	}
	for (i = 0; i < sel->nexprs; i++)
		if (!expr_holds(&sel->exprs[i], get, arg))
			return false;
	return true;
}

bool vigil_policy_workload_scoped(const struct vigil_policy *p)
{
	return p->pod_selector.present || p->container_selector.present ||
	       p->kind == VIGIL_KIND_TRACING_POLICY_NS;
}

bool vigil_policy_selects_pod(const struct vigil_policy *p, const char *ns, vigil_label_get_fn get,
			      void *arg)
{
	if (p->kind == VIGIL_KIND_TRACING_POLICY_NS &&
	    (!ns || !p->namespace_ || strcmp(ns, p->namespace_) != 0))
		return false;
	return vigil_label_selector_spec_match(&p->pod_selector, get, arg);
}

bool vigil_policy_selects_container(const struct vigil_policy *p, vigil_label_get_fn get, void *arg)
{
	return vigil_label_selector_spec_match(&p->container_selector, get, arg);
}
