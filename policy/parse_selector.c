// SPDX-License-Identifier: Apache-2.0
/*
 * parse_selector.c - selectors of a hook: matchArgs, matchReturnArgs,
 * matchBinaries, matchParentBinaries, matchNamespaces, matchPIDs,
 * matchCapabilities, matchActions (Tetragon's KProbeSelector).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "parse_util.h"
#include "values.h"

#define NFIELDS(f) (sizeof(f) / sizeof(f[0]))

/* Read each mapping of list v into a new array of n elements of size sz,
 * calling fn on each with the path extended by its index. */
static void *read_list(struct pctx *c, const struct vigil_ynode *v, size_t sz, size_t *n,
		       void (*fn)(struct pctx *c, const struct vigil_ynode *item, void *el))
{
	char *arr;
	size_t i, old;

	*n = 0;
	if (!expect_seq(c, v))
		return NULL;
	arr = xcalloc(c, v->n, sz);
	if (!arr)
		return NULL;
	*n = v->n;
	for (i = 0; i < v->n; i++) {
		old = path_idx(c, i);
		if (expect_map(c, v->items[i]))
			fn(c, v->items[i], arr + i * sz);
		path_pop(c, old);
	}
	return arr;
}

/* --- matchArgs, matchReturnArgs ------------------------------------------- */

static void ma_index(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_match_arg *m = obj;
	int64_t i;

	m->index_pos = v->pos;
	if (get_int(c, v, 0, INT32_MAX, &i) == 0)
		m->index = (unsigned)i;
}

static void ma_operator(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_match_arg *m = obj;
	int op;

	m->op_pos = v->pos;
	if (get_name(c, v, VIGIL_NAMES_OP, &op) == 0)
		m->op = (enum vigil_op)op;
}

static void ma_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_values(c, v, &((struct vigil_match_arg *)obj)->values, false);
}

static const struct field match_arg_fields[] = {
	{ "index", ma_index, 0 },
	{ "operator", ma_operator, F_REQUIRED },
	{ "values", ma_values, 0 },
	{ "args", NULL, F_UNSUPPORTED },
};

static void read_match_arg(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_match_arg *m = el;

	m->pos = item->pos;
	m->index_pos = item->pos;
	m->op_pos = item->pos;
	walk_fields(c, item, match_arg_fields, NFIELDS(match_arg_fields), m);
}

static void sel_match_args(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->args = read_list(c, v, sizeof(*s->args), &s->nargs, read_match_arg);
}

static void sel_match_return_args(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->ret_args = read_list(c, v, sizeof(*s->ret_args), &s->nret_args, read_match_arg);
}

/* --- matchBinaries, matchParentBinaries ----------------------------------- */

static void mb_operator(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int op;

	if (get_name(c, v, VIGIL_NAMES_BIN_OP, &op) == 0)
		((struct vigil_match_binaries *)obj)->op = (enum vigil_bin_op)op;
}

static void mb_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_values(c, v, &((struct vigil_match_binaries *)obj)->values, false);
}

static void mb_follow(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_match_binaries *)obj)->follow_children);
}

static const struct field match_bin_fields[] = {
	{ "operator", mb_operator, F_REQUIRED },
	{ "values", mb_values, F_REQUIRED },
	{ "followChildren", mb_follow, 0 },
};

static void read_match_bin(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_match_binaries *m = el;

	m->pos = item->pos;
	walk_fields(c, item, match_bin_fields, NFIELDS(match_bin_fields), m);
}

static void sel_match_bins(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->bins = read_list(c, v, sizeof(*s->bins), &s->nbins, read_match_bin);
}

static void sel_match_parent_bins(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->parent_bins = read_list(c, v, sizeof(*s->parent_bins), &s->nparent_bins, read_match_bin);
}

/* --- matchNamespaces ------------------------------------------------------ */

static void mn_namespace(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int ns;

	if (get_name(c, v, VIGIL_NAMES_NS, &ns) == 0)
		((struct vigil_match_ns *)obj)->ns = (enum vigil_ns_type)ns;
}

static void mn_operator(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int op;

	if (get_name(c, v, VIGIL_NAMES_SET_OP, &op) == 0)
		((struct vigil_match_ns *)obj)->not_in = op == 1;
}

static void mn_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_values(c, v, &((struct vigil_match_ns *)obj)->values, false);
}

static const struct field match_ns_fields[] = {
	{ "namespace", mn_namespace, F_REQUIRED },
	{ "operator", mn_operator, F_REQUIRED },
	{ "values", mn_values, F_REQUIRED },
};

static void read_match_ns(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_match_ns *m = el;

	m->pos = item->pos;
	walk_fields(c, item, match_ns_fields, NFIELDS(match_ns_fields), m);
}

static void sel_match_ns(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->ns = read_list(c, v, sizeof(*s->ns), &s->nns, read_match_ns);
}

/* --- matchPIDs ------------------------------------------------------------ */

static void mp_operator(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int op;

	if (get_name(c, v, VIGIL_NAMES_SET_OP, &op) == 0)
		((struct vigil_match_pids *)obj)->not_in = op == 1;
}

static void mp_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_values(c, v, &((struct vigil_match_pids *)obj)->values, true);
}

static void mp_follow(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_match_pids *)obj)->follow_forks);
}

static void mp_nspid(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_match_pids *)obj)->is_namespace_pid);
}

static const struct field match_pids_fields[] = {
	{ "operator", mp_operator, F_REQUIRED },
	{ "values", mp_values, F_REQUIRED },
	{ "isNamespacePID", mp_nspid, 0 },
	{ "followForks", mp_follow, 0 },
};

static void read_match_pids(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_match_pids *m = el;

	m->pos = item->pos;
	walk_fields(c, item, match_pids_fields, NFIELDS(match_pids_fields), m);
}

static void sel_match_pids(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->pids = read_list(c, v, sizeof(*s->pids), &s->npids, read_match_pids);
}

/* --- matchCapabilities ---------------------------------------------------- */

static void mc_type(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int set;

	if (get_name(c, v, VIGIL_NAMES_CAP_SET, &set) == 0)
		((struct vigil_match_caps *)obj)->set = (enum vigil_cap_set)set;
}

static void mc_operator(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int op;

	if (get_name(c, v, VIGIL_NAMES_SET_OP, &op) == 0)
		((struct vigil_match_caps *)obj)->not_in = op == 1;
}

static void mc_nscap(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_match_caps *)obj)->is_namespace_capability);
}

static void mc_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_values(c, v, &((struct vigil_match_caps *)obj)->values, false);
}

static const struct field match_caps_fields[] = {
	{ "type", mc_type, 0 },
	{ "operator", mc_operator, F_REQUIRED },
	{ "isNamespaceCapability", mc_nscap, 0 },
	{ "values", mc_values, F_REQUIRED },
};

static void read_match_caps(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_match_caps *m = el;

	m->pos = item->pos;
	m->set = VIGIL_CAPSET_EFFECTIVE; /* Tetragon's default */
	walk_fields(c, item, match_caps_fields, NFIELDS(match_caps_fields), m);
}

static void sel_match_caps(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->caps = read_list(c, v, sizeof(*s->caps), &s->ncaps, read_match_caps);
}

/* --- matchActions --------------------------------------------------------- */

static void act_action(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int k;

	if (get_name(c, v, VIGIL_NAMES_ACTION, &k) == 0)
		((struct vigil_action *)obj)->kind = (enum vigil_action_kind)k;
}

static void act_arg_error(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_action *a = obj;
	int64_t e;

	a->arg_error_pos = v->pos;
	if (get_int(c, v, INT32_MIN, INT32_MAX, &e) == 0) {
		a->arg_error = (int)e;
		a->has_arg_error = true;
	}
}

static void act_arg_sig(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_action *a = obj;
	int64_t s;

	a->arg_sig_pos = v->pos;
	if (get_int(c, v, INT32_MIN, INT32_MAX, &s) == 0) {
		a->arg_sig = (int)s;
		a->has_arg_sig = true;
	}
}

static void act_rate_limit(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_action *a = obj;
	const char *s = get_str(c, v);
	struct qbuf b;

	if (!s || *s == '\0')
		return; /* "": Tetragon's no rate limit */
	a->rate_limit_pos = v->pos;
	if (vigil_parse_duration(s, &a->rate_limit_ns))
		perr(c, v->pos,
		     "invalid rateLimit %s: a number of seconds, optionally followed by s, m or h, "
		     "such as \"30s\", \"5m\" or \"1h\"",
		     q(&b, s));
}

static void act_rate_scope(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int scope;

	if (v->kind == VIGIL_YSCALAR && v->len == 0)
		return; /* Tetragon: the default */
	if (get_name(c, v, VIGIL_NAMES_RATE_SCOPE, &scope) == 0)
		((struct vigil_action *)obj)->rate_scope = (enum vigil_rate_scope)scope;
}

static const struct field action_fields[] = {
	{ "action", act_action, F_REQUIRED },
	{ "argError", act_arg_error, 0 },
	{ "argSig", act_arg_sig, 0 },
	{ "rateLimit", act_rate_limit, 0 },
	{ "rateLimitScope", act_rate_scope, 0 },
	{ "kernelStackTrace", NULL, F_UNSUPPORTED },
	{ "userStackTrace", NULL, F_UNSUPPORTED },
	{ "imaHash", NULL, F_UNSUPPORTED },
	{ "argFd", NULL, F_UNSUPPORTED },
	{ "argName", NULL, F_UNSUPPORTED },
	{ "argUrl", NULL, F_UNSUPPORTED },
	{ "argFqdn", NULL, F_UNSUPPORTED },
	{ "argSock", NULL, F_UNSUPPORTED },
	{ "argIndex", NULL, F_UNSUPPORTED },
	{ "argValue", NULL, F_UNSUPPORTED },
	{ "argRegs", NULL, F_UNSUPPORTED },
};

static void read_action(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_action *a = el;

	a->pos = item->pos;
	a->kind = VIGIL_ACT_COUNT; /* until read: validation skips it */
	walk_fields(c, item, action_fields, NFIELDS(action_fields), a);
	if (a->kind == VIGIL_ACT_COUNT)
		a->kind = VIGIL_ACT_POST;
}

static void sel_match_actions(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_selector *s = obj;

	s->actions = read_list(c, v, sizeof(*s->actions), &s->nactions, read_action);
}

/* --- selectors ------------------------------------------------------------ */

static const struct field selector_fields[] = {
	{ "matchArgs", sel_match_args, 0 },
	{ "matchReturnArgs", sel_match_return_args, 0 },
	{ "matchBinaries", sel_match_bins, 0 },
	{ "matchParentBinaries", sel_match_parent_bins, 0 },
	{ "matchNamespaces", sel_match_ns, 0 },
	{ "matchPIDs", sel_match_pids, 0 },
	{ "matchCapabilities", sel_match_caps, 0 },
	{ "matchActions", sel_match_actions, 0 },
	{ "matchData", NULL, F_UNSUPPORTED },
	{ "matchReturnActions", NULL, F_UNSUPPORTED },
	{ "matchNamespaceChanges", NULL, F_UNSUPPORTED },
	{ "matchCapabilityChanges", NULL, F_UNSUPPORTED },
	{ "macros", NULL, F_UNSUPPORTED },
};

static void read_selector(struct pctx *c, const struct vigil_ynode *item, void *el)
{
	struct vigil_selector *s = el;

	s->pos = item->pos;
	walk_fields(c, item, selector_fields, NFIELDS(selector_fields), s);
}

void parse_selectors(struct pctx *c, const struct vigil_ynode *v, struct vigil_hook *h)
{
	h->selectors = read_list(c, v, sizeof(*h->selectors), &h->nselectors, read_selector);
}
