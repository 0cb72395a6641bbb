// SPDX-License-Identifier: Apache-2.0
/*
 * yaml_doc.c - YAML text to a node tree, from libyaml's events (see
 * yaml_doc.h).  The tree is built with an explicit stack, so the shape of
 * the input never drives recursion.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "values.h"
#include "yaml_doc.h"

struct frame {
	struct vigil_ynode *node;
	bool want_value; /* mapping: the last pair waits for its value */
};

struct loader {
	const char *file;
	const char *text;
	size_t len;
	struct vigil_diags *ds;
	struct vigil_ynode *root;
	struct frame stack[VIGIL_YAML_MAX_DEPTH];
	unsigned depth;
	size_t nodes;
};

static struct vigil_pos mark_pos(yaml_mark_t m)
{
	struct vigil_pos p = { (unsigned)m.line + 1, (unsigned)m.column + 1 };

	return p;
}

/* The line and column of a byte offset (for libyaml's reader errors, which
 * give only the offset). */
static struct vigil_pos offset_pos(const char *text, size_t len, size_t off)
{
	struct vigil_pos p = { 1, 1 };
	size_t i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			p.col++;
		}
	}
	return p;
}

void vigil_ynode_free(struct vigil_ynode *n)
{
	size_t i;

	if (!n)
		return;
	if (n->kind == VIGIL_YMAP) {
		for (i = 0; i < n->n; i++) {
			vigil_ynode_free(n->pairs[i].key);
			vigil_ynode_free(n->pairs[i].value);
		}
	} else if (n->kind == VIGIL_YSEQ) {
		for (i = 0; i < n->n; i++)
			vigil_ynode_free(n->items[i]);
	}
	free(n->pairs);
	free(n->items);
	free(n->str);
	free(n);
}

bool vigil_ynode_is_null(const struct vigil_ynode *n)
{
	if (!n)
		return true;
	if (n->kind != VIGIL_YSCALAR || n->style != VIGIL_YPLAIN)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
	       strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

static bool plain_is_bool(const char *s)
{
	static const char *const words[] = { "true", "True", "TRUE", "false", "False", "FALSE",
					     "yes",  "Yes",  "YES",  "no",    "No",    "NO",
					     "on",   "On",   "ON",   "off",   "Off",   "OFF",
					     "y",    "Y",    "n",    "N" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

static bool plain_is_float(const char *s)
{
	const char *p = s;
	bool digits = false;

	if (*p == '+' || *p == '-')
		p++;
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 || strcmp(p, ".INF") == 0)
		return true;
	if (p == s && (strcmp(p, ".nan") == 0 || strcmp(p, ".NaN") == 0 || strcmp(p, ".NAN") == 0))
		return true;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

const char *vigil_ynode_kind_name(const struct vigil_ynode *n)
{
	uint64_t mag;
	bool neg;

	if (!n || vigil_ynode_is_null(n))
		return "null";
	if (n->kind == VIGIL_YMAP)
		return "a mapping";
	if (n->kind == VIGIL_YSEQ)
		return "a list";
	if (n->style == VIGIL_YPLAIN) {
		if (plain_is_bool(n->str))
			return "a boolean";
		if (vigil_parse_uint_magnitude(n->str, &neg, &mag) != -EINVAL ||
		    plain_is_float(n->str))
			return "a number";
	}
	return "a string";
}

/* The model keeps C strings: NUL characters ("\0" in a double-quoted
 * string) are refused, but for trailing ones, which some of Tetragon's
 * examples write to mark the end of a string and which are dropped. */
static void check_nul(struct loader *l, struct vigil_ynode *n)
{
	size_t end = n->len;

	while (end > 0 && n->str[end - 1] == '\0')
		end--;
	if (memchr(n->str, '\0', end)) {
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, n->pos, NULL,
			       "text may not contain a NUL character (\\0)");
		n->reported = true;
		return;
	}
	if (end < n->len) {
		vigil_diag_add(
			l->ds, VIGIL_DIAG_WARNING, l->file, n->pos, NULL,
			"the trailing \\0 is dropped: values match whole strings without it");
		n->len = end;
	}
}

static struct vigil_ynode *new_node(struct loader *l, enum vigil_ynode_kind kind,
				    struct vigil_pos pos, int *rc)
{
	struct vigil_ynode *n;

	if (l->nodes >= VIGIL_YAML_MAX_NODES) {
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
			       "the document has more than %u YAML nodes", VIGIL_YAML_MAX_NODES);
		*rc = -EINVAL;
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		*rc = -ENOMEM;
		return NULL;
	}
	l->nodes++;
	n->kind = kind;
	n->pos = pos;
	return n;
}

/* Hang n under the node on top of the stack (or make it the root).  On
 * failure n is freed. */
static int attach(struct loader *l, struct vigil_ynode *n)
{
	struct frame *f;
	struct vigil_ynode *parent;
	size_t cap;
	void *p;

	if (l->depth == 0) {
		l->root = n;
		return 0;
	}
	f = &l->stack[l->depth - 1];
	parent = f->node;
	if (parent->kind == VIGIL_YSEQ) {
		/* grow at powers of two */
		if ((parent->n & (parent->n - 1)) == 0) {
			cap = parent->n ? parent->n * 2 : 1;
			p = realloc(parent->items, cap * sizeof(*parent->items));
			if (!p)
				goto oom;
			parent->items = p;
		}
		parent->items[parent->n++] = n;
		return 0;
	}
	if (f->want_value) {
		parent->pairs[parent->n - 1].value = n;
		f->want_value = false;
		return 0;
	}
	if ((parent->n & (parent->n - 1)) == 0) {
		cap = parent->n ? parent->n * 2 : 1;
		p = realloc(parent->pairs, cap * sizeof(*parent->pairs));
		if (!p)
			goto oom;
		parent->pairs = p;
	}
	parent->pairs[parent->n].key = n;
	parent->pairs[parent->n].value = NULL;
	parent->n++;
	f->want_value = true;
	if (n->kind != VIGIL_YSCALAR) {
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, n->pos, NULL,
			       "a mapping key must be a plain string, not %s",
			       vigil_ynode_kind_name(n));
		n->reported = true;
	}
	return 0;
oom:
	vigil_ynode_free(n);
	return -ENOMEM;
}

static int push(struct loader *l, struct vigil_ynode *n)
{
	if (l->depth >= VIGIL_YAML_MAX_DEPTH) {
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, n->pos, NULL,
			       "the document nests deeper than %d levels", VIGIL_YAML_MAX_DEPTH);
		return -EINVAL;
	}
	l->stack[l->depth].node = n;
	l->stack[l->depth].want_value = false;
	l->depth++;
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	const struct vigil_ypair *x = *(struct vigil_ypair *const *)a;
	const struct vigil_ypair *y = *(struct vigil_ypair *const *)b;
	size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
	int c = memcmp(x->key->str, y->key->str, n);

	if (c)
		return c;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	/* same text: document order */
	if (x->key->pos.line != y->key->pos.line)
		return x->key->pos.line < y->key->pos.line ? -1 : 1;
	if (x->key->pos.col != y->key->pos.col)
		return x->key->pos.col < y->key->pos.col ? -1 : 1;
	return 0;
}

static bool same_key(const struct vigil_ynode *a, const struct vigil_ynode *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static void dup_error(struct loader *l, struct vigil_ynode *key, const struct vigil_ynode *first)
{
	char q[VIGIL_QUOTE_BUFSZ];

	key->reported = true;
	vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, key->pos, NULL,
		       "duplicate key %s (first at line %u, column %u)",
		       vigil_quote(key->str, key->len, q, sizeof(q)), first->pos.line,
		       first->pos.col);
}

/* Report each key that repeats an earlier one of the mapping, at the
 * repeat.  Small mappings are compared pairwise, large ones sorted. */
static int check_duplicates(struct loader *l, struct vigil_ynode *map)
{
	struct vigil_ypair **sorted;
	size_t i, j, first;

	if (map->n <= 16) {
		for (i = 1; i < map->n; i++) {
			if (map->pairs[i].key->kind != VIGIL_YSCALAR)
				continue;
			for (j = 0; j < i; j++) {
				if (map->pairs[j].key->kind == VIGIL_YSCALAR &&
				    same_key(map->pairs[i].key, map->pairs[j].key)) {
					dup_error(l, map->pairs[i].key, map->pairs[j].key);
					break;
				}
			}
		}
		return 0;
	}
	sorted = malloc(map->n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = j = 0; i < map->n; i++)
		if (map->pairs[i].key->kind == VIGIL_YSCALAR)
			sorted[j++] = &map->pairs[i];
	qsort(sorted, j, sizeof(*sorted), cmp_keys);
	for (i = 1, first = 0; i < j; i++) {
		if (same_key(sorted[i]->key, sorted[first]->key))
			dup_error(l, sorted[i]->key, sorted[first]->key);
		else
			first = i;
	}
	free(sorted);
	return 0;
}

/* Anchors, aliases and tags are refused: a policy is plain data. */
static void check_props(struct loader *l, struct vigil_pos pos, const yaml_char_t *anchor,
			const yaml_char_t *tag)
{
	char q[VIGIL_QUOTE_BUFSZ];

	if (anchor)
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
			       "YAML anchors are not supported (anchor %s)",
			       vigil_quote_str((const char *)anchor, q, sizeof(q)));
	if (tag)
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
			       "YAML tags are not supported (tag %s)",
			       vigil_quote_str((const char *)tag, q, sizeof(q)));
}

static int on_scalar(struct loader *l, yaml_event_t *ev)
{
	struct vigil_ynode *n;
	int rc = 0;

	n = new_node(l, VIGIL_YSCALAR, mark_pos(ev->start_mark), &rc);
	if (!n)
		return rc;
	n->len = ev->data.scalar.length;
	n->str = malloc(n->len + 1);
	if (!n->str) {
		free(n);
		return -ENOMEM;
	}
	memcpy(n->str, ev->data.scalar.value, n->len);
	n->str[n->len] = '\0';
	switch (ev->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
	case YAML_ANY_SCALAR_STYLE:
		n->style = VIGIL_YPLAIN;
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->style = VIGIL_YQUOTED;
		break;
	default:
		n->style = VIGIL_YBLOCK;
		break;
	}
	/* an implicit tag (plain or quoted) is no tag */
	check_props(l, n->pos, ev->data.scalar.anchor,
		    (ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit)
			    ? NULL
			    : ev->data.scalar.tag);
	check_nul(l, n);
	return attach(l, n);
}

static int on_alias(struct loader *l, yaml_event_t *ev)
{
	char q[VIGIL_QUOTE_BUFSZ];
	struct vigil_ynode *n;
	int rc = 0;

	n = new_node(l, VIGIL_YSCALAR, mark_pos(ev->start_mark), &rc);
	if (!n)
		return rc;
	n->str = strdup(""); /* stands for the alias: a null */
	if (!n->str) {
		free(n);
		return -ENOMEM;
	}
	vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, n->pos, NULL,
		       "YAML aliases are not supported (alias %s)",
		       vigil_quote_str((const char *)ev->data.alias.anchor, q, sizeof(q)));
	n->reported = true;
	return attach(l, n);
}

static int on_start(struct loader *l, yaml_event_t *ev, enum vigil_ynode_kind kind)
{
	struct vigil_ynode *n;
	int rc = 0;

	n = new_node(l, kind, mark_pos(ev->start_mark), &rc);
	if (!n)
		return rc;
	if (kind == VIGIL_YMAP)
		check_props(l, n->pos, ev->data.mapping_start.anchor,
			    ev->data.mapping_start.implicit ? NULL : ev->data.mapping_start.tag);
	else
		check_props(l, n->pos, ev->data.sequence_start.anchor,
			    ev->data.sequence_start.implicit ? NULL : ev->data.sequence_start.tag);
	rc = attach(l, n);
	if (rc)
		return rc;
	return push(l, n);
}

static void syntax_error(struct loader *l, yaml_parser_t *parser)
{
	struct vigil_pos pos;
	const char *problem = parser->problem ? parser->problem : "unknown error";

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, (struct vigil_pos){ 0, 0 }, NULL,
			       "out of memory reading YAML");
		break;
	case YAML_READER_ERROR:
		pos = offset_pos(l->text, l->len, parser->problem_offset);
		if (parser->problem_value != -1)
			vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
				       "invalid text: %s (byte 0x%02x)", problem,
				       (unsigned)parser->problem_value & 0xff);
		else
			vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
				       "invalid text: %s", problem);
		break;
	default:
		pos = mark_pos(parser->problem_mark);
		if (parser->context)
			vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
				       "YAML syntax error: %s (%s at line %u, column %u)", problem,
				       parser->context, (unsigned)parser->context_mark.line + 1,
				       (unsigned)parser->context_mark.column + 1);
		else
			vigil_diag_add(l->ds, VIGIL_DIAG_ERROR, l->file, pos, NULL,
				       "YAML syntax error: %s", problem);
		break;
	}
}

int vigil_yaml_load(const char *file, const char *text, size_t len, struct vigil_ynode **root,
		    struct vigil_diags *ds)
{
	struct loader l = { .file = file, .text = text, .len = len, .ds = ds };
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false;
	unsigned docs = 0;
	int rc = 0;

	*root = NULL;
	if (len > VIGIL_YAML_MAX_BYTES) {
		vigil_diag_add(ds, VIGIL_DIAG_ERROR, file, (struct vigil_pos){ 0, 0 }, NULL,
			       "the file is larger than %u MiB (%zu bytes)",
			       VIGIL_YAML_MAX_BYTES >> 20, len);
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_error(&l, &parser);
			rc = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				vigil_diag_add(ds, VIGIL_DIAG_ERROR, file, mark_pos(ev.start_mark),
					       NULL,
					       "a second YAML document: a file holds one policy");
				done = true; /* the first document stands */
			}
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&l, &ev);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&l, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&l, &ev, VIGIL_YSEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&l, &ev, VIGIL_YMAP);
			break;
		case YAML_MAPPING_END_EVENT:
			rc = check_duplicates(&l, l.stack[l.depth - 1].node);
			l.depth--;
			break;
		case YAML_SEQUENCE_END_EVENT:
			l.depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc)
			break;
	}
	yaml_parser_delete(&parser);
	if (rc) {
		vigil_ynode_free(l.root);
		return rc;
	}
	*root = l.root;
	return 0;
}
