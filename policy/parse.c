// SPDX-License-Identifier: Apache-2.0
/*
 * parse.c - a TracingPolicy document to the model: the top level,
 * metadata, spec, hooks and their arguments, lists, options, and the pod
 * and container selectors (see parse.h; checked by pod_selector.c).
 * Selectors of hooks are read in parse_selector.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parse_util.h"
#include "suggest.h"
#include "yaml_doc.h"

#define NFIELDS(f)   (sizeof(f) / sizeof(f[0]))
#define API_VERSION  "cilium.io/v1alpha1"
#define NAME_MAX_LEN 253 /* a Kubernetes object name: a DNS-1123 subdomain */
#define NS_MAX_LEN   63	 /* a namespace: a DNS-1123 label */
/* A kprobe on "list:NAME" is read once per value of the list: the YAML
 * nodes read that way are bounded, so that no input makes it quadratic. */
#define EXPAND_BUDGET 4000000u

/* Hooks as read, by kind; concatenated into p->hooks at the end. */
struct hookvec {
	struct vigil_hook *v;
	size_t n;
};

struct top {
	struct vigil_pos ns_pos;
	bool kind_set;
	bool has_ns;
	struct hookvec hooks[VIGIL_HOOK_KIND_COUNT];
};

static void free_hook(struct vigil_hook *h);

/* --- arguments ------------------------------------------------------------ */

static void arg_index(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_arg *a = obj;
	int64_t i;

	a->index_pos = v->pos;
	if (get_int(c, v, 0, INT32_MAX, &i) == 0)
		a->index = (unsigned)i;
}

static void arg_type(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_arg *a = obj;
	int t;

	a->type_pos = v->pos;
	if (get_name(c, v, VIGIL_NAMES_ARG_TYPE, &t) == 0) {
		a->type = (enum vigil_arg_type)t;
		a->type_name = xstrdup(c, v->str);
	}
}

static void arg_size_index(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	int64_t i;

	if (get_int(c, v, 0, INT32_MAX, &i) == 0)
		((struct vigil_arg *)obj)->size_arg_index = (unsigned)i;
}

static void arg_return_copy(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_arg *)obj)->return_copy);
}

static void arg_max_data(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	bool b;

	if (get_bool(c, v, &b) == 0)
		((struct vigil_arg *)obj)->max_data = b;
}

static void arg_label(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_arg *a = obj;

	free(a->label);
	a->label = dup_str(c, v);
}

static void arg_resolve(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_arg *a = obj;
	const char *s = get_str(c, v);

	if (s && *s) /* Tetragon's default is "": none */
		a->resolve = xstrdup(c, s);
}

static const struct field arg_fields[] = {
	{ "index", arg_index, F_REQUIRED },    { "type", arg_type, 0 },
	{ "sizeArgIndex", arg_size_index, 0 }, { "returnCopy", arg_return_copy, 0 },
	{ "maxData", arg_max_data, 0 },	       { "label", arg_label, 0 },
	{ "resolve", arg_resolve, 0 },	       { "source", NULL, F_UNSUPPORTED },
	{ "btfType", NULL, F_UNSUPPORTED },
};

static void read_arg(struct pctx *c, const struct vigil_ynode *item, struct vigil_arg *a)
{
	struct qbuf b;
	uint64_t seen;

	a->pos = item->pos;
	a->index_pos = item->pos;
	a->type_pos = item->pos;
	seen = walk_fields(c, item, arg_fields, NFIELDS(arg_fields), a);
	if (!(seen & 2)) /* Tetragon defaults the type to "auto" */
		perr(c, item->pos,
		     "missing required field %s (Tetragon's default, \"auto\", "
		     "is not supported by vigil)",
		     q(&b, "type"));
}

static void hook_args(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_hook *h = obj;
	size_t i, old;

	if (!expect_seq(c, v))
		return;
	h->args = xcalloc(c, v->n, sizeof(*h->args));
	if (!h->args)
		return;
	h->nargs = v->n;
	for (i = 0; i < v->n; i++) {
		old = path_idx(c, i);
		if (expect_map(c, v->items[i]))
			read_arg(c, v->items[i], &h->args[i]);
		path_pop(c, old);
	}
}

static void hook_return_arg(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_hook *h = obj;

	if (!expect_map(c, v))
		return;
	read_arg(c, v, &h->return_arg);
	h->has_return_arg = true;
}

/* --- hooks ---------------------------------------------------------------- */

static void hook_call(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_hook *h = obj;
	const char *s = get_str(c, v);

	if (!s)
		return;
	h->call_pos = v->pos;
	if (*s == '\0') {
		perr(c, v->pos, "must not be empty");
		return;
	}
	free(h->call);
	h->call = xstrdup(c, s);
}

static void hook_subsystem(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_hook *h = obj;
	const char *s = get_str(c, v);

	if (!s)
		return;
	if (*s == '\0') {
		perr(c, v->pos, "must not be empty");
		return;
	}
	h->subsystem = xstrdup(c, s);
}

static void hook_syscall(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_hook *)obj)->syscall);
}

static void hook_return(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_hook *)obj)->has_return);
}

static void hook_raw(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_hook *)obj)->raw);
}

static void hook_selectors(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	parse_selectors(c, v, obj);
}

static void hook_message(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_hook *h = obj;
	const char *s = get_str(c, v);

	if (!s || *s == '\0') /* Tetragon: an empty message is none */
		return;
	h->message = xstrdup(c, s);
	h->message_pos = v->pos;
}

static void hook_tags(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_hook *h = obj;
	size_t i, old;

	if (!expect_seq(c, v))
		return;
	h->tags = xcalloc(c, v->n, sizeof(*h->tags));
	h->tag_pos = xcalloc(c, v->n, sizeof(*h->tag_pos));
	if (!h->tags || !h->tag_pos)
		return;
	for (i = 0; i < v->n; i++) {
		old = path_idx(c, i);
		if (v->items[i]->kind != VIGIL_YSCALAR || vigil_ynode_is_null(v->items[i])) {
			err_kind(c, v->items[i], "a string");
		} else {
			h->tags[h->ntags] = xstrdup(c, v->items[i]->str);
			if (!h->tags[h->ntags]) {
				path_pop(c, old);
				return;
			}
			h->tag_pos[h->ntags++] = v->items[i]->pos;
		}
		path_pop(c, old);
	}
}

static void ignore_call_not_found(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_bool(c, v, &((struct vigil_hook *)obj)->ignore_call_not_found);
}

static const struct field ignore_fields[] = {
	{ "callNotFound", ignore_call_not_found, 0 },
};

static void hook_ignore(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	if (expect_map(c, v))
		walk_fields(c, v, ignore_fields, NFIELDS(ignore_fields), obj);
}

static void hook_return_arg_action(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct qbuf b;
	const char *s = get_str(c, v);

	(void)obj;
	if (s && *s)
		perr(c, v->pos, "returnArgAction %s is not supported by vigil", q(&b, s));
}

static const struct field kprobe_fields[] = {
	{ "call", hook_call, F_REQUIRED },  { "syscall", hook_syscall, 0 },
	{ "args", hook_args, 0 },	    { "returnArg", hook_return_arg, 0 },
	{ "return", hook_return, 0 },	    { "returnArgAction", hook_return_arg_action, 0 },
	{ "selectors", hook_selectors, 0 }, { "message", hook_message, 0 },
	{ "tags", hook_tags, 0 },	    { "ignore", hook_ignore, 0 },
	{ "data", NULL, F_UNSUPPORTED },
};

static const struct field tracepoint_fields[] = {
	{ "subsystem", hook_subsystem, F_REQUIRED },
	{ "event", hook_call, F_REQUIRED },
	{ "raw", hook_raw, 0 },
	{ "args", hook_args, 0 },
	{ "selectors", hook_selectors, 0 },
	{ "message", hook_message, 0 },
	{ "tags", hook_tags, 0 },
};

static const struct field lsm_fields[] = {
	{ "hook", hook_call, F_REQUIRED },  { "args", hook_args, 0 },
	{ "selectors", hook_selectors, 0 }, { "message", hook_message, 0 },
	{ "tags", hook_tags, 0 },
};

static void read_hook(struct pctx *c, const struct vigil_ynode *item, enum vigil_hook_kind kind,
		      size_t index, struct vigil_hook *h)
{
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->pos = item->pos;
	h->call_pos = item->pos;
	h->spec_index = (unsigned)index;
	switch (kind) {
	case VIGIL_HOOK_KPROBE:
		h->syscall = true; /* Tetragon's CRD default */
		walk_fields(c, item, kprobe_fields, NFIELDS(kprobe_fields), h);
		break;
	case VIGIL_HOOK_TRACEPOINT:
		walk_fields(c, item, tracepoint_fields, NFIELDS(tracepoint_fields), h);
		break;
	default:
		walk_fields(c, item, lsm_fields, NFIELDS(lsm_fields), h);
		break;
	}
}

static int cmp_list_name(const void *a, const void *b)
{
	const struct vigil_list *x = *(const struct vigil_list *const *)a;
	const struct vigil_list *y = *(const struct vigil_list *const *)b;
	int c = strcmp(x->name, y->name);

	/* same name: document order, the first one first */
	return c ? c : (x < y ? -1 : x > y);
}

/* The first list named name (c->lists_sorted is sorted by name). */
static const struct vigil_list *find_list(struct pctx *c, const char *name)
{
	struct vigil_list key = { .name = (char *)name };
	const struct vigil_list *kp = &key;
	size_t lo = 0, hi = c->nlists_sorted, mid;
	int r;

	/* lower bound: the first of equal names */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(c->lists_sorted[mid]->name, kp->name);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nlists_sorted && strcmp(c->lists_sorted[lo]->name, name) == 0)
		return c->lists_sorted[lo];
	return NULL;
}

static void list_missing(struct pctx *c, const struct vigil_hook *h, const char *name)
{
	const char *names[64], *sug;
	struct qbuf b1, b2;
	size_t i, n = 0;
	size_t old = path_key(c, "call");

	for (i = 0; i < c->p->nlists && n < 64; i++)
		if (c->p->lists[i].name)
			names[n++] = c->p->lists[i].name;
	sug = vigil_suggest(name, names, n);
	if (sug)
		perr(c, h->call_pos, "list %s is not defined in spec.lists (did you mean %s?)",
		     q(&b1, name), q(&b2, sug));
	else
		perr(c, h->call_pos, "list %s is not defined in spec.lists", q(&b1, name));
	path_pop(c, old);
}

/* Append h to vec (h's contents move; h is left empty). */
static int push_hook(struct pctx *c, struct hookvec *vec, struct vigil_hook *h)
{
	struct vigil_hook *nv;

	nv = realloc(vec->v, (vec->n + 1) * sizeof(*vec->v));
	if (!nv) {
		c->oom = true;
		free_hook(h);
		return -ENOMEM;
	}
	vec->v = nv;
	vec->v[vec->n++] = *h;
	memset(h, 0, sizeof(*h));
	return 0;
}

/* The nodes of a subtree (depth is bounded by the loader). */
static size_t count_nodes(const struct vigil_ynode *n)
{
	size_t i, c = 1;

	if (!n)
		return 0;
	if (n->kind == VIGIL_YMAP)
		for (i = 0; i < n->n; i++)
			c += count_nodes(n->pairs[i].key) + count_nodes(n->pairs[i].value);
	else if (n->kind == VIGIL_YSEQ)
		for (i = 0; i < n->n; i++)
			c += count_nodes(n->items[i]);
	return c;
}

/* A kprobe whose call is "list:NAME" becomes one kprobe per value of the
 * list.  Each copy is read again from the YAML, quietly. */
static void expand_list(struct pctx *c, const struct vigil_ynode *item, size_t index,
			struct vigil_hook *h, struct hookvec *vec)
{
	char *name = xstrdup(c, h->call + strlen("list:"));
	const struct vigil_list *l;
	struct vigil_hook copy;
	struct qbuf b;
	bool mute = c->mute;
	size_t i, nodes;

	if (!name) {
		free_hook(h);
		return;
	}
	l = find_list(c, name);
	if (!l) {
		list_missing(c, h, name);
		goto cleanup;
	}
	if (l->type && strncmp(l->type, "generated_", 10) == 0)
		goto cleanup; /* the list's type was reported */
	if (l->values.n == 0) {
		size_t old = path_key(c, "call");

		perr(c, h->call_pos, "list %s has no values", q(&b, name));
		path_pop(c, old);
		goto cleanup;
	}
	nodes = count_nodes(item);
	if (l->values.n > EXPAND_BUDGET / nodes) {
		size_t old = path_key(c, "call");

		perr(c, h->call_pos,
		     "list %s makes %zu kprobes of %zu YAML nodes each: more than vigil expands "
		     "(%u nodes in all)",
		     q(&b, name), l->values.n, nodes, EXPAND_BUDGET);
		path_pop(c, old);
		goto cleanup;
	}
	for (i = 0; i < l->values.n && !c->oom; i++) {
		if (i == 0) {
			copy = *h;
			memset(h, 0, sizeof(*h));
		} else {
			c->mute = true;
			read_hook(c, item, VIGIL_HOOK_KPROBE, index, &copy);
			c->mute = mute;
		}
		free(copy.call);
		copy.call = xstrdup(c, l->values.v[i].s);
		copy.from_list = xstrdup(c, name);
		copy.call_pos = l->values.v[i].pos;
		if (l->type && strcmp(l->type, "syscalls") == 0)
			copy.syscall = true;
		push_hook(c, vec, &copy);
	}
cleanup:
	free_hook(h);
	free(name);
}

/* Tetragon lets a tracepoint's matchArgs name an argument by its position
 * in args as well as by its index (its own examples do: args [{index: 4}]
 * with matchArgs index 0).  Rewrite positions to indexes, so that an index
 * always means args[].index. */
static void tracepoint_positions(struct vigil_hook *h)
{
	struct vigil_match_arg *m;
	size_t s, j, i;

	for (s = 0; s < h->nselectors; s++) {
		for (j = 0; j < h->selectors[s].nargs; j++) {
			m = &h->selectors[s].args[j];
			for (i = 0; i < h->nargs; i++)
				if (h->args[i].index == m->index)
					break;
			if (i == h->nargs && m->index < h->nargs)
				m->index = h->args[m->index].index;
		}
	}
}

static void read_hooks(struct pctx *c, const struct vigil_ynode *v, struct top *t,
		       enum vigil_hook_kind kind)
{
	struct vigil_hook h;
	size_t i, old;

	if (!expect_seq(c, v))
		return;
	for (i = 0; i < v->n && !c->oom; i++) {
		old = path_idx(c, i);
		if (expect_map(c, v->items[i])) {
			read_hook(c, v->items[i], kind, i, &h);
			if (kind == VIGIL_HOOK_TRACEPOINT)
				tracepoint_positions(&h);
			if (kind == VIGIL_HOOK_KPROBE && h.call && strncmp(h.call, "list:", 5) == 0)
				expand_list(c, v->items[i], i, &h, &t->hooks[kind]);
			else
				push_hook(c, &t->hooks[kind], &h);
		}
		path_pop(c, old);
	}
}

static void spec_kprobes(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	read_hooks(c, v, obj, VIGIL_HOOK_KPROBE);
}

static void spec_tracepoints(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	read_hooks(c, v, obj, VIGIL_HOOK_TRACEPOINT);
}

static void spec_lsmhooks(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	read_hooks(c, v, obj, VIGIL_HOOK_LSM);
}

/* --- lists ---------------------------------------------------------------- */

/* A list as read: the model's list and where its pattern was. */
struct list_read {
	struct vigil_list *l;
	const struct vigil_ynode *pattern;
};

static void list_name(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_list *l = ((struct list_read *)obj)->l;
	const char *s = get_str(c, v);

	if (!s)
		return;
	if (*s == '\0') {
		perr(c, v->pos, "must not be empty");
		return;
	}
	l->name = xstrdup(c, s);
}

static void list_type(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_list *l = ((struct list_read *)obj)->l;
	int t;

	if (v->kind == VIGIL_YSCALAR && v->len == 0)
		return; /* Tetragon: a plain list of functions */
	/* an unsupported type is kept too: kprobes naming the list are then
	 * not expanded, and not reported again */
	if (get_name(c, v, VIGIL_NAMES_LIST_TYPE, &t) == 0 ||
	    vigil_name_lookup(VIGIL_NAMES_LIST_TYPE, v->str, &t) == -EOPNOTSUPP)
		l->type = xstrdup(c, v->str);
}

static void list_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	get_values(c, v, &((struct list_read *)obj)->l->values, false);
}

static void list_pattern(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	if (get_str(c, v))
		((struct list_read *)obj)->pattern = v;
}

static void list_validated(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	bool b;

	(void)obj;
	get_bool(c, v, &b);
}

static const struct field list_fields[] = {
	{ "name", list_name, F_REQUIRED },  { "type", list_type, 0 },
	{ "values", list_values, 0 },	    { "pattern", list_pattern, 0 },
	{ "validated", list_validated, 0 },
};

/* Sort the named lists for find_list(), and report each name used again. */
static void index_lists(struct pctx *c, const struct vigil_ynode *v, const size_t *item_of)
{
	struct vigil_policy *p = c->p;
	const struct vigil_list *first = NULL, *l;
	struct qbuf b;
	size_t i, n = 0, old, idx;

	c->lists_sorted = xcalloc(c, p->nlists, sizeof(*c->lists_sorted));
	if (!c->lists_sorted)
		return;
	for (i = 0; i < p->nlists; i++)
		if (p->lists[i].name)
			c->lists_sorted[n++] = &p->lists[i];
	qsort(c->lists_sorted, n, sizeof(*c->lists_sorted), cmp_list_name);
	c->nlists_sorted = n;
	for (i = 0; i < n; i++) {
		l = c->lists_sorted[i];
		if (!first || strcmp(first->name, l->name) != 0) {
			first = l;
			continue;
		}
		idx = item_of[l - p->lists];
		old = path_idx(c, idx);
		path_key(c, "name");
		perr(c, map_get(v->items[idx], "name")->pos,
		     "duplicate list name %s (first at line %u)", q(&b, l->name), first->pos.line);
		path_pop(c, old);
	}
}

static void spec_lists(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_policy *p = c->p;
	struct list_read lr;
	struct vigil_list *l;
	size_t i, old, *item_of;

	(void)obj;
	if (!expect_seq(c, v))
		return;
	p->lists = xcalloc(c, v->n, sizeof(*p->lists));
	item_of = xcalloc(c, v->n, sizeof(*item_of));
	if (!p->lists || !item_of) {
		free(item_of);
		return;
	}
	for (i = 0; i < v->n; i++) {
		old = path_idx(c, i);
		if (expect_map(c, v->items[i])) {
			l = &p->lists[p->nlists];
			l->pos = v->items[i]->pos;
			lr.l = l;
			lr.pattern = NULL;
			walk_fields(c, v->items[i], list_fields, NFIELDS(list_fields), &lr);
			if (lr.pattern && !(l->type && strcmp(l->type, "generated_ftrace") == 0)) {
				size_t o2 = path_key(c, "pattern");

				pwarn(c, lr.pattern->pos,
				      "ignored: only generated_ftrace lists use a pattern");
				path_pop(c, o2);
			}
			item_of[p->nlists++] = i;
		}
		path_pop(c, old);
	}
	index_lists(c, v, item_of);
	free(item_of);
}

/* --- options -------------------------------------------------------------- */

struct option {
	int name; /* enum vigil_option, -1 until read */
	const struct vigil_ynode *value;
};

static void option_name(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct option *o = obj;

	if (get_name(c, v, VIGIL_NAMES_OPTION, &o->name))
		o->name = -1;
}

static void option_value(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	if (get_str(c, v))
		((struct option *)obj)->value = v;
}

static const struct field option_fields[] = {
	{ "name", option_name, F_REQUIRED },
	{ "value", option_value, 0 },
};

/* Go's strconv.ParseBool, which Tetragon applies to disable-*-multi. */
static bool go_bool(const char *s)
{
	static const char *const ok[] = { "1", "t", "T", "TRUE",  "true",  "True",
					  "0", "f", "F", "FALSE", "false", "False" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	return false;
}

static void check_option(struct pctx *c, const struct vigil_ynode *item, struct option *o)
{
	struct vigil_policy *p = c->p;
	const char *val = o->value ? o->value->str : "";
	struct vigil_pos pos = o->value ? o->value->pos : item->pos;
	struct qbuf b;
	size_t old = path_key(c, "value");

	switch (o->name) {
	case VIGIL_OPT_POLICY_MODE:
		if (strcmp(val, "enforce") == 0) {
			p->mode = VIGIL_MODE_ENFORCE;
			p->mode_set = true;
		} else if (strcmp(val, "monitor") == 0) {
			p->mode = VIGIL_MODE_MONITOR;
			p->mode_set = true;
		} else {
			perr(c, pos, "invalid policy-mode %s: \"enforce\" or \"monitor\"",
			     q(&b, val));
		}
		break;
	case VIGIL_OPT_DISABLE_KPROBE_MULTI:
	case VIGIL_OPT_DISABLE_UPROBE_MULTI:
		if (!go_bool(val))
			perr(c, pos, "invalid value %s: a boolean (\"true\" or \"false\")",
			     q(&b, val));
		break;
	case VIGIL_OPT_OVERRIDE_METHOD:
		if (strcmp(val, "fmod-ret") != 0 && strcmp(val, "override-return") != 0)
			perr(c, pos,
			     "invalid override-method %s: \"fmod-ret\" or \"override-return\"",
			     q(&b, val));
		break;
	default:
		break;
	}
	path_pop(c, old);
}

static void spec_options(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct option o;
	size_t i, old;

	(void)obj;
	if (!expect_seq(c, v))
		return;
	for (i = 0; i < v->n; i++) {
		old = path_idx(c, i);
		if (expect_map(c, v->items[i])) {
			o.name = -1;
			o.value = NULL;
			walk_fields(c, v->items[i], option_fields, NFIELDS(option_fields), &o);
			if (o.name >= 0)
				check_option(c, v->items[i], &o);
		}
		path_pop(c, old);
	}
}

/* --- podSelector, containerSelector --------------------------------------- */

/* Kubernetes' LabelSelectorOperator spellings, in enum vigil_label_op order. */
static const char *const label_op_names[VIGIL_LABEL_OP_COUNT] = { "In", "NotIn", "Exists",
								  "DoesNotExist" };

static void lsel_match_labels(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_label_selector_spec *sel = obj;
	const struct vigil_ynode *k, *val;
	struct vigil_label_match *m;
	size_t i, old;

	if (!expect_map(c, v))
		return;
	sel->labels = xcalloc(c, v->n, sizeof(*sel->labels));
	if (!sel->labels)
		return;
	for (i = 0; i < v->n; i++) {
		k = v->pairs[i].key;
		val = v->pairs[i].value;
		if (k->kind != VIGIL_YSCALAR || k->reported)
			continue; /* reported by the loader */
		old = path_key(c, k->str);
		if (val->kind != VIGIL_YSCALAR || vigil_ynode_is_null(val)) {
			err_kind(c, val, "a string");
		} else if (!val->reported) {
			m = &sel->labels[sel->nlabels];
			m->key = xstrdup(c, k->str);
			m->value = xstrdup(c, val->str);
			m->pos = k->pos;
			m->value_pos = val->pos;
			sel->nlabels++;
		}
		path_pop(c, old);
	}
}

static void lexpr_key(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_label_expr *e = obj;
	const char *s = get_str(c, v);

	e->key_pos = v->pos;
	if (s)
		e->key = xstrdup(c, s);
}

static void lexpr_operator(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_label_expr *e = obj;
	const char *s = get_str(c, v), *sug;
	struct qbuf b1, b2;
	size_t i;

	e->op_pos = v->pos;
	if (!s)
		return;
	for (i = 0; i < VIGIL_LABEL_OP_COUNT; i++) {
		if (strcmp(s, label_op_names[i]) == 0) {
			e->op = (enum vigil_label_op)i;
			return;
		}
	}
	sug = vigil_suggest(s, label_op_names, VIGIL_LABEL_OP_COUNT);
	if (sug)
		perr(c, v->pos, "unknown operator %s (did you mean %s?)", q(&b1, s), q(&b2, sug));
	else
		perr(c, v->pos,
		     "unknown operator %s: \"In\", \"NotIn\", \"Exists\" or \"DoesNotExist\"",
		     q(&b1, s));
}

static void lexpr_values(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_label_expr *e = obj;

	e->has_values = true;
	e->values_pos = v->pos;
	get_values(c, v, &e->values, false);
}

static const struct field label_expr_fields[] = {
	{ "key", lexpr_key, F_REQUIRED },
	{ "operator", lexpr_operator, F_REQUIRED },
	{ "values", lexpr_values, 0 },
};

static void lsel_match_expressions(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct vigil_label_selector_spec *sel = obj;
	struct vigil_label_expr *e;
	size_t i, old;

	if (!expect_seq(c, v))
		return;
	sel->exprs = xcalloc(c, v->n, sizeof(*sel->exprs));
	if (!sel->exprs)
		return;
	for (i = 0; i < v->n; i++) {
		old = path_idx(c, i);
		if (expect_map(c, v->items[i])) {
			e = &sel->exprs[sel->nexprs++];
			e->pos = e->key_pos = e->op_pos = e->values_pos = v->items[i]->pos;
			walk_fields(c, v->items[i], label_expr_fields, NFIELDS(label_expr_fields),
				    e);
		}
		path_pop(c, old);
	}
}

static const struct field label_selector_fields[] = {
	{ "matchLabels", lsel_match_labels, 0 },
	{ "matchExpressions", lsel_match_expressions, 0 },
};

/* A LabelSelector: null is absent (walk_fields), {} selects everything. */
static void read_label_selector(struct pctx *c, const struct vigil_ynode *v,
				struct vigil_label_selector_spec *sel)
{
	if (!expect_map(c, v))
		return;
	sel->present = true;
	sel->pos = v->pos;
	walk_fields(c, v, label_selector_fields, NFIELDS(label_selector_fields), sel);
}

static void spec_pod_selector(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	(void)obj;
	read_label_selector(c, v, &c->p->pod_selector);
}

static void spec_container_selector(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	(void)obj;
	read_label_selector(c, v, &c->p->container_selector);
}

/* --- spec ----------------------------------------------------------------- */

static const struct field spec_fields[] = {
	{ "kprobes", spec_kprobes, 0 },
	{ "tracepoints", spec_tracepoints, 0 },
	{ "lsmhooks", spec_lsmhooks, 0 },
	{ "lists", NULL, 0 }, /* read first, see top_spec() */
	{ "options", spec_options, 0 },
	{ "loader", NULL, F_UNSUPPORTED },
	{ "uprobes", NULL, F_UNSUPPORTED },
	{ "usdts", NULL, F_UNSUPPORTED },
	{ "fentries", NULL, F_UNSUPPORTED },
	{ "enforcers", NULL, F_UNSUPPORTED },
	{ "selectorsMacros", NULL, F_UNSUPPORTED },
	{ "podSelector", spec_pod_selector, 0 },
	{ "containerSelector", spec_container_selector, 0 },
	{ "hostSelector", NULL, F_UNSUPPORTED | F_ANY_VALUE },
};

static void top_spec(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	const struct vigil_ynode *lists;
	size_t old;

	if (!expect_map(c, v))
		return;
	/* lists first: kprobes may name them before they appear */
	lists = map_get(v, "lists");
	if (lists && !vigil_ynode_is_null(lists)) {
		old = path_key(c, "lists");
		spec_lists(c, lists, obj);
		path_pop(c, old);
	}
	walk_fields(c, v, spec_fields, NFIELDS(spec_fields), obj);
}

/* --- metadata ------------------------------------------------------------- */

static bool is_alnum_lower(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* A DNS-1123 label (dots false) or subdomain (dots true). */
static bool dns_name_ok(const char *s, size_t max, bool dots)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && dots) {
			if (i == 0 || i == n - 1 || !is_alnum_lower(s[i - 1]) ||
			    !is_alnum_lower(s[i + 1]))
				return false;
		} else if (s[i] == '-') {
			if (i == 0 || i == n - 1)
				return false;
		} else if (!is_alnum_lower(s[i])) {
			return false;
		}
	}
	return true;
}

static void meta_name(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	const char *s = get_str(c, v);
	struct qbuf b;

	(void)obj;
	if (!s)
		return;
	if (!dns_name_ok(s, NAME_MAX_LEN, true)) {
		perr(c, v->pos,
		     "invalid name %s: lowercase letters, digits, '-' and '.', starting and ending "
		     "with a letter or digit, at most %d characters",
		     q(&b, s), NAME_MAX_LEN);
		return;
	}
	c->p->name = xstrdup(c, s);
}

static void meta_namespace(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct top *t = obj;
	const char *s = get_str(c, v);
	struct qbuf b;

	if (!s)
		return;
	t->has_ns = true;
	t->ns_pos = v->pos;
	if (!dns_name_ok(s, NS_MAX_LEN, false)) {
		perr(c, v->pos,
		     "invalid namespace %s: lowercase letters, digits and '-', starting and ending "
		     "with a letter or digit, at most %d characters",
		     q(&b, s), NS_MAX_LEN);
		return;
	}
	c->p->namespace_ = xstrdup(c, s);
}

/* labels, annotations: a mapping of strings. */
static void meta_string_map(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	size_t i, old;

	(void)obj;
	if (!expect_map(c, v))
		return;
	for (i = 0; i < v->n; i++) {
		if (v->pairs[i].key->kind != VIGIL_YSCALAR)
			continue;
		if (v->pairs[i].value->kind != VIGIL_YSCALAR) {
			old = path_key(c, v->pairs[i].key->str);
			err_kind(c, v->pairs[i].value, "a string");
			path_pop(c, old);
		}
	}
}

/* Kubernetes ObjectMeta: name and namespace are read, labels and
 * annotations checked, the rest (written by the API server) accepted. */
static const struct field meta_fields[] = {
	{ "name", meta_name, F_REQUIRED },
	{ "namespace", meta_namespace, 0 },
	{ "labels", meta_string_map, 0 },
	{ "annotations", meta_string_map, 0 },
	{ "generateName", NULL, 0 },
	{ "uid", NULL, 0 },
	{ "resourceVersion", NULL, 0 },
	{ "generation", NULL, 0 },
	{ "creationTimestamp", NULL, 0 },
	{ "deletionTimestamp", NULL, 0 },
	{ "deletionGracePeriodSeconds", NULL, 0 },
	{ "ownerReferences", NULL, 0 },
	{ "finalizers", NULL, 0 },
	{ "managedFields", NULL, 0 },
	{ "selfLink", NULL, 0 },
};

static void top_metadata(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	if (expect_map(c, v))
		walk_fields(c, v, meta_fields, NFIELDS(meta_fields), obj);
}

/* --- the document --------------------------------------------------------- */

static void top_api_version(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	const char *s = get_str(c, v);
	struct qbuf b;

	(void)obj;
	if (s && strcmp(s, API_VERSION) != 0)
		perr(c, v->pos, "unsupported apiVersion %s (a TracingPolicy is %s)", q(&b, s),
		     API_VERSION);
}

static void top_kind(struct pctx *c, const struct vigil_ynode *v, void *obj)
{
	struct top *t = obj;
	int k;

	if (get_name(c, v, VIGIL_NAMES_KIND, &k) == 0) {
		c->p->kind = (enum vigil_policy_kind)k;
		t->kind_set = true;
	}
}

static const struct field top_fields[] = {
	{ "apiVersion", top_api_version, F_REQUIRED },
	{ "kind", top_kind, F_REQUIRED },
	{ "metadata", top_metadata, F_REQUIRED },
	{ "spec", top_spec, F_REQUIRED },
};

/* Move the hooks read, kprobes then tracepoints then lsmhooks, into p. */
static int gather_hooks(struct pctx *c, struct top *t)
{
	struct vigil_policy *p = c->p;
	size_t total = 0, k, i;

	for (k = 0; k < VIGIL_HOOK_KIND_COUNT; k++)
		total += t->hooks[k].n;
	if (total) {
		p->hooks = calloc(total, sizeof(*p->hooks));
		if (!p->hooks)
			return -ENOMEM;
	}
	for (k = 0; k < VIGIL_HOOK_KIND_COUNT; k++) {
		for (i = 0; i < t->hooks[k].n; i++)
			p->hooks[p->nhooks++] = t->hooks[k].v[i];
		free(t->hooks[k].v);
		t->hooks[k].v = NULL;
		t->hooks[k].n = 0;
	}
	return 0;
}

static void read_document(struct pctx *c, const struct vigil_ynode *root, struct top *t)
{
	struct vigil_pos start = { 1, 1 };

	if (!root || vigil_ynode_is_null(root)) {
		perr(c, root ? root->pos : start, "the document is empty: no TracingPolicy");
		return;
	}
	if (!expect_map(c, root))
		return;
	walk_fields(c, root, top_fields, NFIELDS(top_fields), t);
	c->p->pos = root->pos;
	if (!t->kind_set)
		return;
	if (c->p->kind == VIGIL_KIND_TRACING_POLICY_NS && !t->has_ns) {
		const struct vigil_ynode *meta = map_get(root, "metadata");

		if (meta && meta->kind == VIGIL_YMAP) {
			size_t old = path_key(c, "metadata");

			perr(c, meta->pos,
			     "missing required field \"namespace\" (kind TracingPolicyNamespaced)");
			path_pop(c, old);
		}
	} else if (c->p->kind == VIGIL_KIND_TRACING_POLICY && t->has_ns) {
		size_t old = path_key(c, "metadata");

		path_key(c, "namespace");
		perr(c, t->ns_pos,
		     "a TracingPolicy is cluster-scoped: remove the namespace, or use kind "
		     "TracingPolicyNamespaced");
		path_pop(c, old);
	}
}

int vigil_policy_parse(const char *file, const char *text, size_t len, struct vigil_policy **out,
		       struct vigil_diags *ds)
{
	struct pctx c = { .file = file, .ds = ds };
	struct vigil_ynode *root = NULL;
	struct top t;
	size_t errors = ds->nerrors, from = ds->n, k, i;
	int rc;

	*out = NULL;
	memset(&t, 0, sizeof(t));
	rc = vigil_yaml_load(file, text, len, &root, ds);
	if (rc) {
		vigil_diags_sort(ds, from);
		return rc;
	}
	c.p = calloc(1, sizeof(*c.p));
	if (!c.p || !(c.p->file = strdup(file ? file : ""))) {
		rc = -ENOMEM;
		goto cleanup;
	}
	read_document(&c, root, &t);
	if (c.oom || gather_hooks(&c, &t)) {
		rc = -ENOMEM;
		goto cleanup;
	}
	if (ds->nerrors != errors) {
		rc = -EINVAL;
		goto cleanup;
	}
	*out = c.p;
	c.p = NULL;
cleanup:
	for (k = 0; k < VIGIL_HOOK_KIND_COUNT; k++) {
		for (i = 0; i < t.hooks[k].n; i++)
			free_hook(&t.hooks[k].v[i]);
		free(t.hooks[k].v);
	}
	if (rc == -ENOMEM && ds->nerrors == errors)
		vigil_diag_add(ds, VIGIL_DIAG_ERROR, file, (struct vigil_pos){ 0, 0 }, NULL,
			       "out of memory");
	vigil_policy_free(c.p);
	free(c.lists_sorted);
	vigil_ynode_free(root);
	vigil_diags_sort(ds, from);
	return rc;
}

/* --- freeing -------------------------------------------------------------- */

static void free_values(struct vigil_values *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i].s);
	free(v->v);
}

static void free_arg(struct vigil_arg *a)
{
	free(a->type_name);
	free(a->label);
	free(a->resolve);
}

static void free_match_args(struct vigil_match_arg *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_values(&m[i].values);
	free(m);
}

static void free_match_bins(struct vigil_match_binaries *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_values(&m[i].values);
	free(m);
}

static void free_selector(struct vigil_selector *s)
{
	size_t i;

	free_match_args(s->args, s->nargs);
	free_match_args(s->ret_args, s->nret_args);
	free_match_bins(s->bins, s->nbins);
	free_match_bins(s->parent_bins, s->nparent_bins);
	for (i = 0; i < s->nns; i++)
		free_values(&s->ns[i].values);
	free(s->ns);
	for (i = 0; i < s->npids; i++)
		free_values(&s->pids[i].values);
	free(s->pids);
	for (i = 0; i < s->ncaps; i++)
		free_values(&s->caps[i].values);
	free(s->caps);
	free(s->actions);
}

static void free_hook(struct vigil_hook *h)
{
	size_t i;

	free(h->call);
	free(h->subsystem);
	free(h->from_list);
	for (i = 0; i < h->nargs; i++)
		free_arg(&h->args[i]);
	free(h->args);
	free_arg(&h->return_arg);
	for (i = 0; i < h->nselectors; i++)
		free_selector(&h->selectors[i]);
	free(h->selectors);
	free(h->message);
	for (i = 0; i < h->ntags; i++)
		free(h->tags[i]);
	free(h->tags);
	free(h->tag_pos);
	memset(h, 0, sizeof(*h));
}

static void free_label_selector(struct vigil_label_selector_spec *s)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++) {
		free(s->labels[i].key);
		free(s->labels[i].value);
	}
	free(s->labels);
	for (i = 0; i < s->nexprs; i++) {
		free(s->exprs[i].key);
		free_values(&s->exprs[i].values);
	}
	free(s->exprs);
}

void vigil_policy_free(struct vigil_policy *p)
{
	size_t i;

	if (!p)
		return;
	free_label_selector(&p->pod_selector);
	free_label_selector(&p->container_selector);
	for (i = 0; i < p->nhooks; i++)
		free_hook(&p->hooks[i]);
	free(p->hooks);
	for (i = 0; i < p->nlists; i++) {
		free(p->lists[i].name);
		free(p->lists[i].type);
		free_values(&p->lists[i].values);
	}
	free(p->lists);
	free(p->file);
	free(p->name);
	free(p->namespace_);
	free(p);
}
