/* SPDX-License-Identifier: Apache-2.0 */
/*
 * names.h - the spellings of every enumerated value a TracingPolicy
 * writes (argument types, operators, actions, namespaces...), as Tetragon
 * v1.7's CRD accepts them (case-sensitive), and which of them vigil
 * supports.  The parser looks names up here; the compiler and messages
 * turn model enums back into names.
 */
#ifndef VIGIL_POLICY_NAMES_H
#define VIGIL_POLICY_NAMES_H

#include "model.h"

enum vigil_name_table {
	VIGIL_NAMES_KIND = 0,	/* TracingPolicy, TracingPolicyNamespaced */
	VIGIL_NAMES_ARG_TYPE,	/* args[].type */
	VIGIL_NAMES_OP,		/* matchArgs / matchReturnArgs operator */
	VIGIL_NAMES_BIN_OP,	/* matchBinaries / matchParentBinaries operator */
	VIGIL_NAMES_SET_OP,	/* In, NotIn: matchPIDs, matchNamespaces, matchCapabilities */
	VIGIL_NAMES_NS,		/* matchNamespaces namespace */
	VIGIL_NAMES_CAP_SET,	/* matchCapabilities type */
	VIGIL_NAMES_ACTION,	/* matchActions action */
	VIGIL_NAMES_RATE_SCOPE, /* rateLimitScope */
	VIGIL_NAMES_LIST_TYPE,	/* spec.lists[].type */
	VIGIL_NAMES_OPTION,	/* spec.options[].name */
	VIGIL_NAMES_COUNT,
};

/* Option names (VIGIL_NAMES_OPTION values). */
enum vigil_option {
	VIGIL_OPT_POLICY_MODE = 0,
	VIGIL_OPT_DISABLE_KPROBE_MULTI,
	VIGIL_OPT_DISABLE_UPROBE_MULTI,
	VIGIL_OPT_OVERRIDE_METHOD,
};

/* List types (VIGIL_NAMES_LIST_TYPE values). */
enum vigil_list_type {
	VIGIL_LIST_SYSCALLS = 0,
};

/* Look name up in table.  Returns 0 and *value for a name vigil supports,
 * -EOPNOTSUPP for a name Tetragon knows but vigil does not support, or
 * -ENOENT. */
int vigil_name_lookup(enum vigil_name_table table, const char *name, int *value);

/* The closest supported name of table to a misspelt name (see suggest.h),
 * or NULL. */
const char *vigil_name_suggest(enum vigil_name_table table, const char *name);

/* The canonical name of a value (the first spelling: "GT" for
 * VIGIL_OP_GT), or "?" for a value not in the table. */
const char *vigil_name_of(enum vigil_name_table table, int value);

/* What the table's values are called in messages: "operator", "type"... */
const char *vigil_name_what(enum vigil_name_table table);

/* Argument types: the integer family maps several spellings to one type
 * ("int" and "int32" are both VIGIL_ARG_S32); vigil_name_of() gives the
 * first one. */
static inline const char *vigil_arg_type_name(enum vigil_arg_type t)
{
	return vigil_name_of(VIGIL_NAMES_ARG_TYPE, (int)t);
}

static inline const char *vigil_op_name(enum vigil_op op)
{
	return vigil_name_of(VIGIL_NAMES_OP, (int)op);
}

static inline const char *vigil_action_name(enum vigil_action_kind k)
{
	return vigil_name_of(VIGIL_NAMES_ACTION, (int)k);
}

#endif
