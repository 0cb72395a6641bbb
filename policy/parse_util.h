/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse_util.h - what the parser's files share: the context with the
 * current field path, diagnostics at a node, scalar readers that check
 * YAML kinds, and the table-driven walk over a mapping's keys.
 * Internal to policy/parse*.c.
 */
#ifndef VIGIL_POLICY_PARSE_UTIL_H
#define VIGIL_POLICY_PARSE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model.h"
#include "names.h"
#include "yaml_doc.h"

#define PCTX_PATH_MAX 512

struct pctx {
	const char *file;
	struct vigil_diags *ds;
	struct vigil_policy *p;
	char path[PCTX_PATH_MAX];
	size_t plen;
	bool mute; /* re-reading a kprobe for a list: its errors were given */
	bool oom;
	/* spec.lists with a name, sorted by name (then document order) */
	struct vigil_list **lists_sorted;
	size_t nlists_sorted;
};

/* --- field path ----------------------------------------------------------- */

/* Append ".key" (or "key" at the root) or "[i]"; return the old length for
 * path_pop(). */
size_t path_key(struct pctx *c, const char *key);
size_t path_idx(struct pctx *c, size_t i);
void path_pop(struct pctx *c, size_t old);

/* --- diagnostics at the current path -------------------------------------- */

void perr(struct pctx *c, struct vigil_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pwarn(struct pctx *c, struct vigil_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A value quoted for a message (see vigil_quote()). */
struct qbuf {
	char s[VIGIL_QUOTE_BUFSZ];
};
const char *q(struct qbuf *b, const char *s);

/* "expected X, got Y" for node v. */
void err_kind(struct pctx *c, const struct vigil_ynode *v, const char *expected);

/* --- scalars -------------------------------------------------------------- */

/* Any scalar's text (a plain 80 is the string "80"); NULL after an error
 * for a mapping or list. */
const char *get_str(struct pctx *c, const struct vigil_ynode *v);
/* A copy of get_str(); NULL after an error (or out of memory). */
char *dup_str(struct pctx *c, const struct vigil_ynode *v);
char *xstrdup(struct pctx *c, const char *s);
/* A plain true/false (YAML 1.1 spellings too: yes/no/on/off); 0 or -EINVAL. */
int get_bool(struct pctx *c, const struct vigil_ynode *v, bool *out);
/* A plain integer in [min, max]; 0 or -EINVAL. */
int get_int(struct pctx *c, const struct vigil_ynode *v, int64_t min, int64_t max, int64_t *out);
/* A name of table: 0 and *value, or -EINVAL after "unknown X" (with a
 * suggestion) or "X ... is not supported by vigil". */
int get_name(struct pctx *c, const struct vigil_ynode *v, enum vigil_name_table table, int *value);

/* The list items of v; NULL (after an error) when v is not a list. */
bool expect_seq(struct pctx *c, const struct vigil_ynode *v);
bool expect_map(struct pctx *c, const struct vigil_ynode *v);

/* values: a list of scalars, kept as written with their positions.  ints:
 * each must be a plain integer (matchPIDs). */
void get_values(struct pctx *c, const struct vigil_ynode *v, struct vigil_values *out, bool ints);

/* Allocate n zeroed elements (n may be 0: NULL, no error). */
void *xcalloc(struct pctx *c, size_t n, size_t size);

/* --- mappings ------------------------------------------------------------- */

typedef void (*field_fn)(struct pctx *c, const struct vigil_ynode *v, void *obj);

#define F_REQUIRED    0x1u
#define F_UNSUPPORTED 0x2u /* Tetragon's, not vigil's: an error unless inert */
#define F_ANY_VALUE   0x4u /* with F_UNSUPPORTED: even {} or false matters */

struct field {
	const char *key;
	field_fn fn; /* NULL: accepted and ignored */
	unsigned flags;
};

/* Walk map (a mapping) against fields[0..n): each key's handler is called
 * with the path extended by the key; a null value counts as absent.
 * Unknown keys, unsupported keys and missing required keys are errors.
 * Returns a bitmask of the fields present (bit i for fields[i]; n <= 64). */
uint64_t walk_fields(struct pctx *c, const struct vigil_ynode *map, const struct field *fields,
		     size_t n, void *obj);

/* The value of key in map, or NULL. */
const struct vigil_ynode *map_get(const struct vigil_ynode *map, const char *key);

/* --- parse_selector.c ----------------------------------------------------- */

void parse_selectors(struct pctx *c, const struct vigil_ynode *v, struct vigil_hook *h);

#endif
