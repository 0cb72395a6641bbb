/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml_doc.h - stage 1: YAML text to a small node tree (libyaml events).
 *
 * Each node keeps the 1-based line and column where it starts, and a
 * scalar keeps its style, so that a quoted "true" stays a string.  The
 * loader refuses, with a diagnostic at the place:
 *   - input over VIGIL_YAML_MAX_BYTES, nesting deeper than
 *     VIGIL_YAML_MAX_DEPTH, more than VIGIL_YAML_MAX_NODES nodes, YAML
 *     syntax and encoding errors (libyaml's text): fatal, no tree;
 *   - a second document (one policy per file), duplicate keys in a mapping
 *     (reported at each repeat), anchors, aliases, tags, keys that are not
 *     scalars, NUL characters in text: reported, and the tree is still
 *     returned so that later stages report their errors too.
 * Nothing recurses on the input's shape except freeing (bounded by the
 * depth limit).
 */
#ifndef VIGIL_POLICY_YAML_DOC_H
#define VIGIL_POLICY_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"

#define VIGIL_YAML_MAX_BYTES (4u << 20)
#define VIGIL_YAML_MAX_DEPTH 64
#define VIGIL_YAML_MAX_NODES 2000000u

enum vigil_ynode_kind {
	VIGIL_YSCALAR = 0,
	VIGIL_YMAP,
	VIGIL_YSEQ,
};

enum vigil_yscalar_style {
	VIGIL_YPLAIN = 0, /* unquoted: may be a number, a boolean or null */
	VIGIL_YQUOTED,	  /* 'single' or "double" quoted */
	VIGIL_YBLOCK,	  /* | literal or > folded */
};

struct vigil_ynode;

struct vigil_ypair {
	struct vigil_ynode *key; /* a scalar, unless an error was reported */
	struct vigil_ynode *value;
};

struct vigil_ynode {
	enum vigil_ynode_kind kind;
	struct vigil_pos pos;
	/* VIGIL_YSCALAR: NUL-terminated text (len bytes, no NUL inside unless
	 * an error was reported) and style */
	char *str;
	size_t len;
	enum vigil_yscalar_style style;
	/* VIGIL_YMAP: pairs[0..n); VIGIL_YSEQ: items[0..n) */
	struct vigil_ypair *pairs;
	struct vigil_ynode **items;
	size_t n;
	/* An error was reported for this node (a repeated key, an alias, a
	 * NUL in its text, a key that is not a scalar): later stages skip it
	 * rather than report it again. */
	bool reported;
};

/* Parse text[0..len).  Returns 0 and *root (NULL for an empty document),
 * or -EINVAL with *root NULL after a fatal error; -ENOMEM when memory runs
 * out.  Diagnostics name 'file'.  Non-fatal errors (see above) are added
 * to ds with a 0 return: check ds->nerrors. */
int vigil_yaml_load(const char *file, const char *text, size_t len, struct vigil_ynode **root,
		    struct vigil_diags *ds);

void vigil_ynode_free(struct vigil_ynode *n);

/* A plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
bool vigil_ynode_is_null(const struct vigil_ynode *n);

/* "a mapping", "a list", "a string", "a number", "a boolean", "null": the
 * kind of a node as messages name it. */
const char *vigil_ynode_kind_name(const struct vigil_ynode *n);

#endif
