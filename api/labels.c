// SPDX-License-Identifier: Apache-2.0
/*
 * labels.c - Kubernetes label selectors (labels.h): a lexer and a
 * recursive-descent parser with Kubernetes' tokens, grammar and checks,
 * and the matching of each requirement.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "k8s_labels.h"
#include "labels.h"
#include "utf8.h"

enum op {
	OP_IN,
	OP_NOTIN,
	OP_EQUALS,
	OP_NOT_EQUALS,
	OP_EXISTS,
	OP_NOT_EXISTS,
	OP_GT,
	OP_LT,
};

struct req {
	char *key;
	enum op op;
	char **vals;
	size_t nvals;
};

struct vigil_label_selector {
	struct req *reqs;
	size_t n;
};

/* --- lexer ----------------------------------------------------------------- */

enum tok {
	T_END,
	T_CLOSE,  /* ) */
	T_COMMA,  /* , */
	T_NOT,	  /* ! */
	T_DEQUAL, /* == */
	T_EQUAL,  /* = */
	T_GT,	  /* > */
	T_ID,
	T_IN,	  /* in */
	T_LT,	  /* < */
	T_NEQUAL, /* != */
	T_NOTIN,  /* notin */
	T_OPEN,	  /* ( */
};

struct item {
	enum tok tok;
	const char *lit; /* into the selector */
	size_t len;
};

static const struct {
	const char *s;
	enum tok tok;
} symbols[] = {
	{ ")", T_CLOSE }, { ",", T_COMMA }, { "!", T_NOT },	  { "==", T_DEQUAL },
	{ "=", T_EQUAL }, { ">", T_GT },    { "<", T_LT },	  { "!=", T_NEQUAL },
	{ "(", T_OPEN },  { "in", T_IN },   { "notin", T_NOTIN },
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_special(char c)
{
	return c && strchr("=!(),><", c);
}

/* The token s[0..n) spells, or -1. */
static int token_of(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strlen(symbols[i].s) == n && !memcmp(symbols[i].s, s, n))
			return (int)symbols[i].tok;
	return -1;
}

/* Every token of s, the last T_END.  NULL when out of memory. */
static struct item *scan(const char *s, size_t *count)
{
	size_t cap = 8, n = 0, i = 0, j, best;
	struct item *items = malloc(cap * sizeof(*items)), *grown;
	int tok, t;

	while (items) {
		while (is_space(s[i]))
			i++;
		if (n == cap) {
			grown = realloc(items, 2 * cap * sizeof(*items));
			if (!grown) {
				free(items);
				return NULL;
			}
			items = grown;
			cap *= 2;
		}
		if (!s[i]) {
			items[n++] = (struct item){ T_END, s + i, 0 };
			*count = n;
			return items;
		}
		if (is_special(s[i])) {
			/* the longest run of symbols that is a token, as
			 * Kubernetes' lexer reads it ("!=", "==") */
			tok = -1;
			best = 0;
			for (j = i; is_special(s[j]); j++) {
				t = token_of(s + i, j - i + 1);
				if (t >= 0) {
					tok = t;
					best = j - i + 1;
				} else if (tok >= 0) {
					break;
				}
			}
			items[n++] = (struct item){ (enum tok)tok, s + i, best };
			i += best;
			continue;
		}
		for (j = i; s[j] && !is_special(s[j]) && !is_space(s[j]); j++)
			;
		tok = token_of(s + i, j - i);
		items[n++] = (struct item){ tok == T_IN || tok == T_NOTIN ? (enum tok)tok : T_ID,
					    s + i, j - i };
		i = j;
	}
	return NULL;
}

/* --- validation ------------------------------------------------------------ */

static int bad(char *err, size_t errsz, const char *what, const char *s, size_t n, const char *why)
{
	char q[VIGIL_QUOTE_BUFSZ];

	snprintf(err, errsz, "invalid %s %s: %s", what, vigil_quote(s, n, q, sizeof(q)), why);
	err[vigil_utf8_trim_partial(err, strlen(err))] = '\0';
	return -EINVAL;
}

/* Kubernetes' IsQualifiedName() (policy/k8s_labels.h). */
static int check_key(const char *k, size_t n, char *err, size_t errsz)
{
	const char *why = vigil_label_key_problem(k, n);

	return why ? bad(err, errsz, "label key", k, n, why) : 0;
}

/* Kubernetes' IsValidLabelValue() (policy/k8s_labels.h). */
static int check_value(const char *v, char *err, size_t errsz)
{
	size_t n = strlen(v);
	const char *why = vigil_label_value_problem(v, n);

	return why ? bad(err, errsz, "label value", v, n, why) : 0;
}

/* strconv.ParseInt(s, 10, 64) */
static bool parse_int(const char *s, long long *v)
{
	char *end;

	if (!s[0] || is_space(s[0]))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && !*end;
}

/* --- parser ---------------------------------------------------------------- */

struct parser {
	struct item *items;
	size_t n, pos;
	char *err;
	size_t errsz;
	int ret; /* the first error */
};

enum ctx {
	KEY_AND_OPERATOR,
	VALUES, /* "in" and "notin" are identifiers here */
};

static enum tok kind(const struct item *it, enum ctx c)
{
	if (c == VALUES && (it->tok == T_IN || it->tok == T_NOTIN))
		return T_ID;
	return it->tok;
}

static const struct item *lookahead(struct parser *p)
{
	return &p->items[p->pos];
}

static const struct item *consume(struct parser *p)
{
	const struct item *it = &p->items[p->pos];

	if (p->pos + 1 < p->n) /* T_END stays */
		p->pos++;
	return it;
}

/* "found "LIT", expected: WHAT" */
static int found(struct parser *p, const struct item *it, const char *what)
{
	char q[VIGIL_QUOTE_BUFSZ];

	snprintf(p->err, p->errsz, "found %s, expected: %s",
		 vigil_quote(it->lit, it->len, q, sizeof(q)), what);
	p->err[vigil_utf8_trim_partial(p->err, strlen(p->err))] = '\0';
	p->ret = -EINVAL;
	return -EINVAL;
}

static int nomem(struct parser *p)
{
	p->ret = -ENOMEM;
	return -ENOMEM;
}

static int add_value(struct parser *p, struct req *r, const char *s, size_t n)
{
	char **vals;
	size_t i;

	for (i = 0; i < r->nvals; i++) /* a set */
		if (strlen(r->vals[i]) == n && !memcmp(r->vals[i], s, n))
			return 0;
	vals = realloc(r->vals, (r->nvals + 1) * sizeof(*vals));
	if (!vals)
		return nomem(p);
	r->vals = vals;
	r->vals[r->nvals] = strndup(s, n);
	if (!r->vals[r->nvals])
		return nomem(p);
	r->nvals++;
	return 0;
}

/* "(a,b)", "()" (the empty value), "(,a)"... as Kubernetes reads them. */
static int parse_values(struct parser *p, struct req *r)
{
	const struct item *it = consume(p), *next;

	if (kind(it, VALUES) != T_OPEN)
		return found(p, it, "'('");
	next = lookahead(p);
	if (kind(next, VALUES) == T_CLOSE) {
		consume(p);
		return add_value(p, r, "", 0);
	}
	if (kind(next, VALUES) != T_ID && kind(next, VALUES) != T_COMMA)
		return found(p, next, "',', ')' or identifier");
	for (;;) {
		it = consume(p);
		if (kind(it, VALUES) == T_ID) {
			if (add_value(p, r, it->lit, it->len))
				return p->ret;
			next = lookahead(p);
			if (kind(next, VALUES) == T_COMMA)
				continue;
			if (kind(next, VALUES) == T_CLOSE)
				break;
			return found(p, next, "',' or ')'");
		}
		if (kind(it, VALUES) != T_COMMA)
			return found(p, it, "',', or identifier");
		/* empty values around commas: "(," ",)" ",," */
		if (!r->nvals && add_value(p, r, "", 0))
			return p->ret;
		next = lookahead(p);
		if (kind(next, VALUES) == T_CLOSE) {
			if (add_value(p, r, "", 0))
				return p->ret;
			break;
		}
		if (kind(next, VALUES) == T_COMMA) {
			consume(p);
			if (add_value(p, r, "", 0))
				return p->ret;
		}
	}
	it = consume(p);
	if (kind(it, VALUES) != T_CLOSE)
		return found(p, it, "')'");
	return 0;
}

static int parse_requirement(struct parser *p, struct req *r)
{
	const struct item *it = consume(p), *next;
	bool negated = false;
	long long v;
	size_t i;

	if (kind(it, VALUES) == T_NOT) {
		negated = true;
		it = consume(p);
	}
	if (kind(it, VALUES) != T_ID)
		return found(p, it, "identifier");
	p->ret = check_key(it->lit, it->len, p->err, p->errsz);
	if (p->ret)
		return p->ret;
	r->key = strndup(it->lit, it->len);
	if (!r->key)
		return nomem(p);
	next = lookahead(p);
	if (negated) {
		r->op = OP_NOT_EXISTS;
		return 0;
	}
	if (kind(next, VALUES) == T_END || kind(next, VALUES) == T_COMMA) {
		r->op = OP_EXISTS;
		return 0;
	}
	it = consume(p);
	switch (kind(it, KEY_AND_OPERATOR)) {
	case T_IN:
		r->op = OP_IN;
		break;
	case T_NOTIN:
		r->op = OP_NOTIN;
		break;
	case T_EQUAL:
	case T_DEQUAL:
		r->op = OP_EQUALS;
		break;
	case T_NEQUAL:
		r->op = OP_NOT_EQUALS;
		break;
	case T_GT:
		r->op = OP_GT;
		break;
	case T_LT:
		r->op = OP_LT;
		break;
	default:
		return found(p, it, "in, notin, =, ==, !=, gt, lt");
	}
	if (r->op == OP_IN || r->op == OP_NOTIN) {
		if (parse_values(p, r))
			return p->ret;
	} else {
		next = lookahead(p);
		if (kind(next, VALUES) == T_END || kind(next, VALUES) == T_COMMA) {
			if (add_value(p, r, "", 0))
				return p->ret;
		} else {
			it = consume(p);
			if (kind(it, VALUES) != T_ID)
				return found(p, it, "identifier");
			if (add_value(p, r, it->lit, it->len))
				return p->ret;
		}
	}
	for (i = 0; i < r->nvals; i++) {
		if ((r->op == OP_GT || r->op == OP_LT) && !parse_int(r->vals[i], &v)) {
			char q[VIGIL_QUOTE_BUFSZ];

			snprintf(p->err, p->errsz,
				 "invalid label value %s: for 'gt', 'lt' operators, the value must "
				 "be an integer",
				 vigil_quote_str(r->vals[i], q, sizeof(q)));
			p->err[vigil_utf8_trim_partial(p->err, strlen(p->err))] = '\0';
			p->ret = -EINVAL;
			return p->ret;
		}
		p->ret = check_value(r->vals[i], p->err, p->errsz);
		if (p->ret)
			return p->ret;
	}
	return 0;
}

static void free_reqs(struct req *reqs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(reqs[i].key);
		for (j = 0; j < reqs[i].nvals; j++)
			free(reqs[i].vals[j]);
		free(reqs[i].vals);
	}
	free(reqs);
}

int vigil_label_selector_parse(const char *s, struct vigil_label_selector **out, char *err,
			       size_t errsz)
{
	struct parser p = { .err = err, .errsz = errsz };
	struct vigil_label_selector *sel = calloc(1, sizeof(*sel));
	const struct item *it;
	struct req *grown;

	*out = NULL;
	p.items = sel ? scan(s, &p.n) : NULL;
	if (!p.items) {
		p.ret = -ENOMEM;
		goto cleanup;
	}
	for (;;) {
		it = lookahead(&p);
		if (kind(it, VALUES) == T_END)
			break;
		if (kind(it, VALUES) != T_ID && kind(it, VALUES) != T_NOT) {
			found(&p, it, "!, identifier, or 'end of string'");
			goto cleanup;
		}
		grown = realloc(sel->reqs, (sel->n + 1) * sizeof(*grown));
		if (!grown) {
			p.ret = -ENOMEM;
			goto cleanup;
		}
		sel->reqs = grown;
		memset(&sel->reqs[sel->n], 0, sizeof(*grown));
		sel->n++;
		if (parse_requirement(&p, &sel->reqs[sel->n - 1]))
			goto cleanup;
		it = consume(&p);
		if (kind(it, VALUES) == T_END)
			break;
		if (kind(it, VALUES) != T_COMMA) {
			found(&p, it, "',' or 'end of string'");
			goto cleanup;
		}
		it = lookahead(&p);
		if (kind(it, VALUES) != T_ID && kind(it, VALUES) != T_NOT) {
			found(&p, it, "identifier after ','");
			goto cleanup;
		}
	}
	*out = sel;
	sel = NULL;
cleanup:
	free(p.items);
	vigil_label_selector_free(sel);
	return p.ret;
}

/* --- matching -------------------------------------------------------------- */

static bool has_value(const struct req *r, const char *v)
{
	size_t i;

	for (i = 0; i < r->nvals; i++)
		if (!strcmp(r->vals[i], v))
			return true;
	return false;
}

static bool req_matches(const struct req *r, vigil_label_get_fn get, void *arg)
{
	const char *v = get(arg, r->key);
	long long a, b;

	switch (r->op) {
	case OP_IN:
	case OP_EQUALS:
		return v && has_value(r, v);
	case OP_NOTIN:
	case OP_NOT_EQUALS:
		return !v || !has_value(r, v);
	case OP_EXISTS:
		return v;
	case OP_NOT_EXISTS:
		return !v;
	case OP_GT:
	case OP_LT:
		if (!v || r->nvals != 1 || !parse_int(v, &a) || !parse_int(r->vals[0], &b))
			return false;
		return r->op == OP_GT ? a > b : a < b;
	}
	return false;
}

bool vigil_label_selector_match(const struct vigil_label_selector *sel, vigil_label_get_fn get,
				void *arg)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (!req_matches(&sel->reqs[i], get, arg))
			return false;
	return true;
}

void vigil_label_selector_free(struct vigil_label_selector *sel)
{
	if (!sel)
		return;
	free_reqs(sel->reqs, sel->n);
	free(sel);
}
