// SPDX-License-Identifier: Apache-2.0
/*
 * parse_util.c - the parser's shared helpers (see parse_util.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_util.h"
#include "suggest.h"
#include "values.h"

/* --- field path ----------------------------------------------------------- */

static size_t path_append(struct pctx *c, const char *s)
{
	size_t old = c->plen, n = strlen(s);

	if (c->plen + n < sizeof(c->path)) {
		memcpy(c->path + c->plen, s, n + 1);
		c->plen += n;
	}
	return old;
}

size_t path_key(struct pctx *c, const char *key)
{
	size_t old = c->plen;

	if (c->plen)
		path_append(c, ".");
	path_append(c, key);
	return old;
}

size_t path_idx(struct pctx *c, size_t i)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "[%zu]", i);
	return path_append(c, buf);
}

void path_pop(struct pctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* --- diagnostics ---------------------------------------------------------- */

static void padd(struct pctx *c, enum vigil_severity sev, struct vigil_pos pos, const char *fmt,
		 va_list ap)
{
	char msg[1024];

	if (c->mute)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	vigil_diag_add(c->ds, sev, c->file, pos, c->path, "%s", msg);
}

void perr(struct pctx *c, struct vigil_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	padd(c, VIGIL_DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
}

void pwarn(struct pctx *c, struct vigil_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	padd(c, VIGIL_DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

const char *q(struct qbuf *b, const char *s)
{
	return vigil_quote_str(s, b->s, sizeof(b->s));
}

void err_kind(struct pctx *c, const struct vigil_ynode *v, const char *expected)
{
	struct qbuf b;
	const char *kind = vigil_ynode_kind_name(v);

	if (v->reported)
		return; /* its error is given */
	if (v->kind != VIGIL_YSCALAR || vigil_ynode_is_null(v))
		perr(c, v->pos, "expected %s, got %s", expected, kind);
	else if (v->style == VIGIL_YQUOTED && strcmp(kind, "a string") == 0)
		perr(c, v->pos, "expected %s, got a quoted string %s", expected, q(&b, v->str));
	else
		perr(c, v->pos, "expected %s, got %s %s", expected, kind, q(&b, v->str));
}

/* --- scalars -------------------------------------------------------------- */

void *xcalloc(struct pctx *c, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	p = calloc(n, size);
	if (!p)
		c->oom = true;
	return p;
}

char *xstrdup(struct pctx *c, const char *s)
{
	char *d = strdup(s);

	if (!d)
		c->oom = true;
	return d;
}

const char *get_str(struct pctx *c, const struct vigil_ynode *v)
{
	if (v->kind != VIGIL_YSCALAR) {
		err_kind(c, v, "a string");
		return NULL;
	}
	return v->str;
}

char *dup_str(struct pctx *c, const struct vigil_ynode *v)
{
	const char *s = get_str(c, v);

	return s ? xstrdup(c, s) : NULL;
}

static const char *const true_words[] = { "true", "True", "TRUE", "yes", "Yes", "YES",
					  "on",	  "On",	  "ON",	  "y",	 "Y" };
static const char *const false_words[] = { "false", "False", "FALSE", "no", "No", "NO",
					   "off",   "Off",   "OFF",   "n",  "N" };

static bool in_words(const char *s, const char *const *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, w[i]) == 0)
			return true;
	return false;
}

int get_bool(struct pctx *c, const struct vigil_ynode *v, bool *out)
{
	if (v->kind == VIGIL_YSCALAR && v->style == VIGIL_YPLAIN) {
		if (in_words(v->str, true_words, sizeof(true_words) / sizeof(true_words[0]))) {
			*out = true;
			return 0;
		}
		if (in_words(v->str, false_words, sizeof(false_words) / sizeof(false_words[0]))) {
			*out = false;
			return 0;
		}
	}
	err_kind(c, v, "a boolean (true or false)");
	return -EINVAL;
}

int get_int(struct pctx *c, const struct vigil_ynode *v, int64_t min, int64_t max, int64_t *out)
{
	const char *what = min >= 0 ? "a non-negative integer" : "an integer";
	struct qbuf b;
	uint64_t mag;
	bool neg;
	int rc;

	if (v->kind != VIGIL_YSCALAR || v->style != VIGIL_YPLAIN) {
		err_kind(c, v, what);
		return -EINVAL;
	}
	rc = vigil_parse_uint_magnitude(v->str, &neg, &mag);
	if (rc == -EINVAL) {
		err_kind(c, v, what);
		return rc;
	}
	if (rc == 0 && neg && min >= 0) {
		perr(c, v->pos, "%s must not be negative", q(&b, v->str));
		return -EINVAL;
	}
	if (rc || (neg && mag > (uint64_t)(-(min + 1)) + 1) || (!neg && mag > (uint64_t)max)) {
		perr(c, v->pos, "%s is out of range (%lld to %lld)", q(&b, v->str), (long long)min,
		     (long long)max);
		return -EINVAL;
	}
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return 0;
}

int get_name(struct pctx *c, const struct vigil_ynode *v, enum vigil_name_table table, int *value)
{
	const char *what = vigil_name_what(table), *s, *sug;
	struct qbuf b1, b2;
	int rc;

	s = get_str(c, v);
	if (!s)
		return -EINVAL;
	rc = vigil_name_lookup(table, s, value);
	if (rc == 0)
		return 0;
	if (rc == -EOPNOTSUPP) {
		perr(c, v->pos, "%s %s is not supported by vigil", what, q(&b1, s));
		return -EINVAL;
	}
	sug = vigil_name_suggest(table, s);
	if (sug)
		perr(c, v->pos, "unknown %s %s (did you mean %s?)", what, q(&b1, s), q(&b2, sug));
	else
		perr(c, v->pos, "unknown %s %s", what, q(&b1, s));
	return -EINVAL;
}

bool expect_seq(struct pctx *c, const struct vigil_ynode *v)
{
	if (v->kind == VIGIL_YSEQ)
		return true;
	err_kind(c, v, "a list");
	return false;
}

bool expect_map(struct pctx *c, const struct vigil_ynode *v)
{
	if (v->kind == VIGIL_YMAP)
		return true;
	err_kind(c, v, "a mapping");
	return false;
}

void get_values(struct pctx *c, const struct vigil_ynode *v, struct vigil_values *out, bool ints)
{
	const struct vigil_ynode *it;
	uint64_t mag;
	size_t i, old;
	bool neg;

	if (!expect_seq(c, v))
		return;
	out->v = xcalloc(c, v->n, sizeof(*out->v));
	if (!out->v)
		return;
	for (i = 0; i < v->n; i++) {
		it = v->items[i];
		old = path_idx(c, i);
		if (ints) {
			if (it->kind != VIGIL_YSCALAR || it->style != VIGIL_YPLAIN ||
			    vigil_parse_uint_magnitude(it->str, &neg, &mag) == -EINVAL) {
				err_kind(c, it, "an integer");
				path_pop(c, old);
				continue;
			}
		}
		if (!ints && (it->kind != VIGIL_YSCALAR || vigil_ynode_is_null(it))) {
			err_kind(c, it, "a string");
			path_pop(c, old);
			continue;
		}
		path_pop(c, old);
		out->v[out->n].s = xstrdup(c, it->str);
		if (!out->v[out->n].s)
			return;
		out->v[out->n].pos = it->pos;
		out->n++;
	}
}

/* --- mappings ------------------------------------------------------------- */

const struct vigil_ynode *map_get(const struct vigil_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != VIGIL_YMAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->pairs[i].key->kind == VIGIL_YSCALAR &&
		    strcmp(map->pairs[i].key->str, key) == 0)
			return map->pairs[i].value;
	return NULL;
}

/* A value that asks for nothing: null, "", false, 0, [] or {}. */
static bool inert(const struct vigil_ynode *v)
{
	if (vigil_ynode_is_null(v))
		return true;
	if (v->kind != VIGIL_YSCALAR)
		return v->n == 0;
	if (v->len == 0)
		return true;
	if (v->style != VIGIL_YPLAIN)
		return false;
	return in_words(v->str, false_words, sizeof(false_words) / sizeof(false_words[0])) ||
	       strcmp(v->str, "0") == 0;
}

uint64_t walk_fields(struct pctx *c, const struct vigil_ynode *map, const struct field *fields,
		     size_t n, void *obj)
{
	const char *names[64];
	const struct vigil_ynode *k, *v;
	struct qbuf b1, b2;
	uint64_t seen = 0;
	size_t i, j, nnames = 0, old;
	const char *sug;

	for (j = 0; j < n && j < 64; j++)
		if (!(fields[j].flags & F_UNSUPPORTED))
			names[nnames++] = fields[j].key;
	for (i = 0; i < map->n; i++) {
		k = map->pairs[i].key;
		v = map->pairs[i].value;
		if (k->kind != VIGIL_YSCALAR || k->reported)
			continue; /* reported by the loader: not a string, or a repeat */
		for (j = 0; j < n; j++)
			if (strcmp(fields[j].key, k->str) == 0)
				break;
		if (j == n) {
			sug = vigil_suggest(k->str, names, nnames);
			if (sug)
				perr(c, k->pos, "unknown field %s (did you mean %s?)",
				     q(&b1, k->str), q(&b2, sug));
			else
				perr(c, k->pos, "unknown field %s", q(&b1, k->str));
			continue;
		}
		if (fields[j].flags & F_UNSUPPORTED) {
			if ((fields[j].flags & F_ANY_VALUE) ? vigil_ynode_is_null(v) : inert(v))
				continue;
			old = path_key(c, k->str);
			perr(c, k->pos, "%s is not supported by vigil", q(&b1, k->str));
			path_pop(c, old);
			continue;
		}
		if (vigil_ynode_is_null(v) && !v->reported)
			continue; /* as if absent */
		seen |= UINT64_C(1) << j;
		if (fields[j].fn && !v->reported) {
			old = path_key(c, k->str);
			fields[j].fn(c, v, obj);
			path_pop(c, old);
		}
	}
	for (j = 0; j < n && j < 64; j++)
		if ((fields[j].flags & F_REQUIRED) && !(seen & (UINT64_C(1) << j)))
			perr(c, map->pos, "missing required field %s", q(&b1, fields[j].key));
	return seen;
}
