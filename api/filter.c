// SPDX-License-Identifier: Apache-2.0
/*
 * filter.c - Tetragon's Filter lists (filter.h): each Filter message is
 * compiled into its tests (regexes, label selectors, capability masks,
 * pid sets), which are evaluated against GetEventsResponse messages in
 * the order Tetragon evaluates them, stopping at the first that fails (the
 * order matters: pid_set learns children only when the tests before it
 * held).  The --export-allowlist text is read into Filter messages first
 * (protojson_read.h), so both paths share one compiler.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "filter.h"
#include "labels.h"
#include "protojson_read.h"
#include "re2.h"

#include "tetragon/capabilities.pb-c.h"
#include "utf8.h"

struct re_list {
	struct vigil_re **re;
	size_t n; /* 0: the test is not set */
};

struct str_list {
	char **s;
	size_t n;
};

struct u32_list {
	uint32_t *v;
	size_t n;
};

/* The pids pid_set has taken in as children: open addressing, pid + 1 in
 * a slot, 0 empty. */
struct pid_seen {
	uint64_t *slots;
	size_t cap, n;
};

enum cap_how {
	CAP_UNSET, /* the set is not tested */
	CAP_ANY,
	CAP_ALL,
	CAP_EXACTLY,
	CAP_NONE,
};

struct cap_test {
	enum cap_how how;
	uint64_t mask;
};

enum { CAPS_PERMITTED, CAPS_EFFECTIVE, CAPS_INHERITABLE, CAPS_SETS };

/* One compiled Filter. */
struct flt {
	struct re_list binary, parent_binary, args, parent_args, pod, container_id, container_name,
		ns_regex;
	struct str_list ns, policy_names;
	struct u32_list pid, pid_set, types;
	struct vigil_label_selector **labels;
	size_t nlabels;
	bool has_health, health;
	bool has_caps;
	struct cap_test caps[CAPS_SETS];
	struct pid_seen *seen; /* pid_set's children; a pointer: matching is const */
};

struct vigil_filters {
	struct flt *f;
	size_t n;
};

/* --- errors ---------------------------------------------------------------- */

struct cctx {
	char *err;
	size_t errsz;
	char prefix[48]; /* "[2]." or "line 3: " */
};

static int cfail(struct cctx *c, int ret, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (ret == -ENOMEM)
		return ret;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s%s", c->prefix, msg);
	c->err[vigil_utf8_trim_partial(c->err, strlen(c->err))] = '\0';
	return ret;
}

/* --- pid_set's children ---------------------------------------------------- */

static size_t slot_of(const struct pid_seen *s, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (s->cap - 1);

	while (s->slots[i] && s->slots[i] != key)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static bool seen_has(const struct pid_seen *s, uint32_t pid)
{
	return s->cap && s->slots[slot_of(s, (uint64_t)pid + 1)];
}

/* Best effort, as Tetragon's: a child that cannot be stored (out of
 * memory) is not followed. */
static void seen_add(struct pid_seen *s, uint32_t pid)
{
	struct pid_seen bigger;
	size_t i;

	if (seen_has(s, pid))
		return;
	if ((s->n + 1) * 2 > s->cap) { /* at most half full */
		bigger.cap = s->cap ? s->cap * 2 : 64;
		bigger.n = s->n;
		bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return;
		for (i = 0; i < s->cap; i++)
			if (s->slots[i])
				bigger.slots[slot_of(&bigger, s->slots[i])] = s->slots[i];
		free(s->slots);
		*s = bigger;
	}
	s->slots[slot_of(s, (uint64_t)pid + 1)] = (uint64_t)pid + 1;
	s->n++;
}

/* --- compiling ------------------------------------------------------------- */

static int compile_res(struct cctx *c, const char *field, char *const *pat, size_t n,
		       struct re_list *out)
{
	char msg[512];
	size_t i;
	int err;

	if (!n)
		return 0;
	out->re = calloc(n, sizeof(*out->re));
	if (!out->re)
		return -ENOMEM;
	out->n = n;
	for (i = 0; i < n; i++) {
		err = vigil_re_compile(pat[i] ? pat[i] : "", &out->re[i], msg, sizeof(msg));
		if (err)
			return cfail(c, err, "%s[%zu]: %s", field, i, msg);
	}
	return 0;
}

static int copy_strs(char *const *s, size_t n, struct str_list *out)
{
	size_t i;

	if (!n)
		return 0;
	out->s = calloc(n, sizeof(*out->s));
	if (!out->s)
		return -ENOMEM;
	out->n = n;
	for (i = 0; i < n; i++) {
		out->s[i] = strdup(s[i] ? s[i] : "");
		if (!out->s[i])
			return -ENOMEM;
	}
	return 0;
}

static int copy_u32s(const uint32_t *v, size_t n, struct u32_list *out)
{
	if (!n)
		return 0;
	out->v = malloc(n * sizeof(*v));
	if (!out->v)
		return -ENOMEM;
	memcpy(out->v, v, n * sizeof(*v));
	out->n = n;
	return 0;
}

/* A message of a newer client holds fields this build does not know. */
static int check_known(struct cctx *c, const ProtobufCMessage *m, const char *where)
{
	if (!m->n_unknown_fields)
		return 0;
	return cfail(c, -EOPNOTSUPP, "%sfield number %u of %s is not supported by vigil", where,
		     m->unknown_fields[0].tag, m->descriptor->short_name);
}

static int compile_types(struct cctx *c, const Tetragon__Filter *m, struct u32_list *out)
{
	size_t i;

	for (i = 0; i < m->n_event_set; i++)
		if (!protobuf_c_enum_descriptor_get_value(&tetragon__event_type__descriptor,
							  (int)m->event_set[i]))
			return cfail(c, -EINVAL, "event_set[%zu]: %d is not an EventType", i,
				     (int)m->event_set[i]);
	if (!m->n_event_set)
		return 0;
	out->v = malloc(m->n_event_set * sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (i = 0; i < m->n_event_set; i++)
		out->v[i] = (uint32_t)m->event_set[i];
	out->n = m->n_event_set;
	return 0;
}

static int compile_labels(struct cctx *c, const Tetragon__Filter *m, struct flt *f)
{
	char msg[512];
	size_t i;
	int err;

	if (!m->n_labels)
		return 0;
	f->labels = calloc(m->n_labels, sizeof(*f->labels));
	if (!f->labels)
		return -ENOMEM;
	f->nlabels = m->n_labels;
	for (i = 0; i < m->n_labels; i++) {
		err = vigil_label_selector_parse(m->labels[i] ? m->labels[i] : "", &f->labels[i],
						 msg, sizeof(msg));
		if (err)
			return cfail(c, err, "labels[%zu]: invalid label selector: %s", i, msg);
	}
	return 0;
}

/* One CapFilterSet: exactly one of any, all, exactly, none. */
static int compile_capset(struct cctx *c, const char *name, const Tetragon__CapFilterSet *s,
			  struct cap_test *t)
{
	static const char *const how_names[] = { "", "any", "all", "exactly", "none" };
	const Tetragon__CapabilitiesType *v[] = { NULL, s->any, s->all, s->exactly, s->none };
	const size_t n[] = { 0, s->n_any, s->n_all, s->n_exactly, s->n_none };
	char where[64], got[64] = "";
	int how, sets = 0;
	size_t i;

	snprintf(where, sizeof(where), "capabilities.%s: ", name);
	if (check_known(c, &s->base, where))
		return -EOPNOTSUPP;
	for (how = CAP_ANY; how <= CAP_NONE; how++) {
		if (!n[how])
			continue;
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", sets ? ", " : "",
			 how_names[how]);
		sets++;
		t->how = (enum cap_how)how;
		for (i = 0; i < n[how]; i++) {
			if (!protobuf_c_enum_descriptor_get_value(
				    &tetragon__capabilities_type__descriptor, (int)v[how][i]) ||
			    v[how][i] < 0 || v[how][i] > 63)
				return cfail(
					c, -EINVAL,
					"capabilities.%s.%s[%zu]: %d is not a CapabilitiesType",
					name, how_names[how], i, (int)v[how][i]);
			t->mask |= 1ULL << v[how][i];
		}
	}
	if (sets > 1)
		return cfail(c, -EINVAL,
			     "capabilities.%s: a capability filter may only define one match set "
			     "(any, all, exactly or none), got: %s",
			     name, got);
	if (!sets)
		return cfail(c, -EINVAL,
			     "capabilities.%s: a capability filter must define exactly one match "
			     "set (any, all, exactly or none)",
			     name);
	return 0;
}

static int compile_caps(struct cctx *c, const Tetragon__CapFilter *m, struct flt *f)
{
	const Tetragon__CapFilterSet *sets[CAPS_SETS] = { m->permitted, m->effective,
							  m->inheritable };
	static const char *const names[CAPS_SETS] = { "permitted", "effective", "inheritable" };
	int i, err;

	if (check_known(c, &m->base, "capabilities: "))
		return -EOPNOTSUPP;
	f->has_caps = true;
	for (i = 0; i < CAPS_SETS; i++) {
		if (!sets[i])
			continue;
		err = compile_capset(c, names[i], sets[i], &f->caps[i]);
		if (err)
			return err;
	}
	return 0;
}

static int compile_bool(struct cctx *c, const Google__Protobuf__BoolValue *v, const char *name,
			bool *has, bool *value)
{
	char where[64];

	if (!v)
		return 0;
	snprintf(where, sizeof(where), "%s: ", name);
	if (check_known(c, &v->base, where))
		return -EOPNOTSUPP;
	*has = true;
	*value = v->value;
	return 0;
}

static void flt_free(struct flt *f)
{
	struct re_list *res[] = { &f->binary,	      &f->parent_binary, &f->args,
				  &f->parent_args,    &f->pod,		 &f->container_id,
				  &f->container_name, &f->ns_regex };
	struct str_list *strs[] = { &f->ns, &f->policy_names };
	size_t i, j;

	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		for (j = 0; res[i]->re && j < res[i]->n; j++)
			vigil_re_free(res[i]->re[j]);
		free(res[i]->re);
	}
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		for (j = 0; strs[i]->s && j < strs[i]->n; j++)
			free(strs[i]->s[j]);
		free(strs[i]->s);
	}
	free(f->pid.v);
	free(f->pid_set.v);
	free(f->types.v);
	for (j = 0; f->labels && j < f->nlabels; j++)
		vigil_label_selector_free(f->labels[j]);
	free(f->labels);
	if (f->seen)
		free(f->seen->slots);
	free(f->seen);
}

/* What vigil cannot evaluate is refused, never ignored. */
static int check_supported(struct cctx *c, const Tetragon__Filter *m)
{
	if (check_known(c, &m->base, ""))
		return -EOPNOTSUPP;
	if (m->n_cel_expression)
		return cfail(c, -EOPNOTSUPP,
			     "cel_expression: CEL expressions are not supported by vigil");
	if (m->n_ancestor_binary_regex)
		return cfail(c, -EOPNOTSUPP,
			     "ancestor_binary_regex: not supported by vigil: its events carry no "
			     "ancestors (as Tetragon without --enable-ancestors)");
	if (m->in_init_tree)
		return cfail(c, -EOPNOTSUPP,
			     "in_init_tree: not supported by vigil: it does not follow container "
			     "init trees");
	return 0;
}

static int compile(struct cctx *c, const Tetragon__Filter *m, struct flt *f)
{
	int err;

	memset(f, 0, sizeof(*f));
	err = check_supported(c, m);
	if (!err)
		err = compile_res(c, "binary_regex", m->binary_regex, m->n_binary_regex,
				  &f->binary);
	if (!err)
		err = compile_res(c, "parent_binary_regex", m->parent_binary_regex,
				  m->n_parent_binary_regex, &f->parent_binary);
	if (!err)
		err = compile_bool(c, m->health_check, "health_check", &f->has_health, &f->health);
	if (!err)
		err = copy_strs(m->namespace_, m->n_namespace_, &f->ns);
	if (!err)
		err = compile_res(c, "namespace_regex", m->namespace_regex, m->n_namespace_regex,
				  &f->ns_regex);
	if (!err)
		err = copy_u32s(m->pid, m->n_pid, &f->pid);
	if (!err)
		err = copy_u32s(m->pid_set, m->n_pid_set, &f->pid_set);
	if (!err && m->n_pid_set) {
		f->seen = calloc(1, sizeof(*f->seen));
		if (!f->seen)
			err = -ENOMEM;
	}
	if (!err)
		err = compile_types(c, m, &f->types);
	if (!err)
		err = compile_res(c, "arguments_regex", m->arguments_regex, m->n_arguments_regex,
				  &f->args);
	if (!err)
		err = compile_res(c, "parent_arguments_regex", m->parent_arguments_regex,
				  m->n_parent_arguments_regex, &f->parent_args);
	if (!err)
		err = compile_labels(c, m, f);
	if (!err)
		err = compile_res(c, "pod_regex", m->pod_regex, m->n_pod_regex, &f->pod);
	if (!err)
		err = copy_strs(m->policy_names, m->n_policy_names, &f->policy_names);
	if (!err && m->capabilities)
		err = compile_caps(c, m->capabilities, f);
	if (!err)
		err = compile_res(c, "container_id", m->container_id, m->n_container_id,
				  &f->container_id);
	if (!err)
		err = compile_res(c, "container_name_regex", m->container_name_regex,
				  m->n_container_name_regex, &f->container_name);
	if (err == -ENOMEM)
		snprintf(c->err, c->errsz, "%sout of memory", c->prefix);
	if (err)
		flt_free(f);
	return err;
}

/* Compile m and add it to fs. */
static int add(struct vigil_filters *fs, struct cctx *c, const Tetragon__Filter *m)
{
	struct flt *grown = realloc(fs->f, (fs->n + 1) * sizeof(*grown));
	int err;

	if (!grown) {
		snprintf(c->err, c->errsz, "%sout of memory", c->prefix);
		return -ENOMEM;
	}
	fs->f = grown;
	err = compile(c, m, &fs->f[fs->n]);
	if (!err)
		fs->n++;
	return err;
}

int vigil_filters_new(Tetragon__Filter *const *f, size_t n, struct vigil_filters **out, char *err,
		      size_t errsz)
{
	struct vigil_filters *fs = calloc(1, sizeof(*fs));
	struct cctx c = { .err = err, .errsz = errsz };
	size_t i;
	int ret = 0;

	*out = NULL;
	if (!fs) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n && !ret; i++) {
		snprintf(c.prefix, sizeof(c.prefix), "[%zu].", i);
		if (!f[i])
			ret = cfail(&c, -EINVAL, "no filter");
		else
			ret = add(fs, &c, f[i]);
	}
	if (ret) {
		vigil_filters_free(fs);
		return ret;
	}
	*out = fs;
	return 0;
}

void vigil_filters_free(struct vigil_filters *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		flt_free(&fs->f[i]);
	free(fs->f);
	free(fs);
}

bool vigil_filters_use_caps(const struct vigil_filters *fs)
{
	size_t i;

	for (i = 0; fs && i < fs->n; i++)
		if (fs->f[i].has_caps)
			return true;
	return false;
}

/* --- matching -------------------------------------------------------------- */

static const Tetragon__Process *process_of(const Tetragon__GetEventsResponse *ev, bool parent)
{
	switch (ev->event_case) {
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC:
		if (!ev->process_exec)
			return NULL;
		return parent ? ev->process_exec->parent : ev->process_exec->process;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT:
		if (!ev->process_exit)
			return NULL;
		return parent ? ev->process_exit->parent : ev->process_exit->process;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE:
		if (!ev->process_kprobe)
			return NULL;
		return parent ? ev->process_kprobe->parent : ev->process_kprobe->process;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT:
		if (!ev->process_tracepoint)
			return NULL;
		return parent ? ev->process_tracepoint->parent : ev->process_tracepoint->process;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM:
		if (!ev->process_lsm)
			return NULL;
		return parent ? ev->process_lsm->parent : ev->process_lsm->process;
	default:
		return NULL;
	}
}

static const char *policy_name_of(const Tetragon__GetEventsResponse *ev)
{
	switch (ev->event_case) {
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE:
		return ev->process_kprobe ? ev->process_kprobe->policy_name : NULL;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT:
		return ev->process_tracepoint ? ev->process_tracepoint->policy_name : NULL;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM:
		return ev->process_lsm ? ev->process_lsm->policy_name : NULL;
	default:
		return NULL;
	}
}

static bool any_re(const struct re_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (vigil_re_match(l->re[i], s))
			return true;
	return false;
}

static bool any_str(const struct str_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->s[i], s ? s : ""))
			return true;
	return false;
}

static bool any_u32(const struct u32_list *l, uint32_t v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

/* A missing pid reads as 0, as Go's GetValue(). */
static uint32_t pid_of(const Tetragon__Process *p)
{
	return p->pid ? p->pid->value : 0;
}

static bool maybe_probe(const Tetragon__Process *p)
{
	return p && p->pod && p->pod->container && p->pod->container->maybe_exec_probe;
}

/* Tetragon's namespace test: "" is a process outside any pod. */
static bool namespace_matches(const struct str_list *l, const Tetragon__Process *p)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!p->pod) {
			if (!l->s[i][0])
				return true;
		} else if (!strcmp(l->s[i], p->pod->namespace_ ? p->pod->namespace_ : "")) {
			return true;
		}
	}
	return false;
}

static bool pid_set_matches(const struct flt *f, const Tetragon__Process *p,
			    const Tetragon__Process *parent)
{
	uint32_t pid = pid_of(p), ppid;

	if (any_u32(&f->pid_set, pid) || seen_has(f->seen, pid))
		return true;
	if (!parent)
		return false;
	ppid = pid_of(parent);
	if (any_u32(&f->pid_set, ppid) || seen_has(f->seen, ppid)) {
		seen_add(f->seen, pid); /* its children will match too */
		return true;
	}
	return false;
}

/* The last value of key in the pod's labels (a map's last entry wins). */
static const char *pod_label(void *arg, const char *key)
{
	const Tetragon__Pod *pod = arg;
	size_t i;

	for (i = pod->n_pod_labels; i-- > 0;) {
		const Tetragon__Pod__PodLabelsEntry *e = pod->pod_labels[i];

		if (e && !strcmp(e->key ? e->key : "", key))
			return e->value ? e->value : "";
	}
	return NULL;
}

static bool labels_match(const struct flt *f, const Tetragon__Pod *pod)
{
	size_t i;

	for (i = 0; i < f->nlabels; i++)
		if (vigil_label_selector_match(f->labels[i], pod_label, (void *)pod))
			return true;
	return false;
}

/* One capability set as a mask; *other when it names a bit beyond 63. */
static uint64_t cap_mask(const Tetragon__CapabilitiesType *v, size_t n, bool *other)
{
	uint64_t m = 0;
	size_t i;

	*other = false;
	for (i = 0; i < n; i++) {
		if (v[i] < 0 || v[i] > 63)
			*other = true;
		else
			m |= 1ULL << v[i];
	}
	return m;
}

static bool cap_test(const struct cap_test *t, const Tetragon__CapabilitiesType *v, size_t n)
{
	bool other;
	uint64_t have = cap_mask(v, n, &other);

	switch (t->how) {
	case CAP_UNSET:
		return true;
	case CAP_ANY:
		return have & t->mask;
	case CAP_ALL:
		return (have & t->mask) == t->mask;
	case CAP_EXACTLY:
		return have == t->mask && !other;
	case CAP_NONE:
		return !(have & t->mask);
	}
	return false;
}

static bool caps_match(const struct flt *f, const Tetragon__Process *p)
{
	const Tetragon__Capabilities *c = p->cap;

	return c && cap_test(&f->caps[CAPS_EFFECTIVE], c->effective, c->n_effective) &&
	       cap_test(&f->caps[CAPS_INHERITABLE], c->inheritable, c->n_inheritable) &&
	       cap_test(&f->caps[CAPS_PERMITTED], c->permitted, c->n_permitted);
}

/* Every test of f, in Tetragon's order (filters.go), the first failure
 * ending it. */
static bool flt_match(const struct flt *f, const Tetragon__GetEventsResponse *ev)
{
	const Tetragon__Process *p = process_of(ev, false), *parent = process_of(ev, true);
	const char *name;

	if (f->binary.n && (!p || !any_re(&f->binary, p->binary)))
		return false;
	if (f->parent_binary.n && (!parent || !any_re(&f->parent_binary, parent->binary)))
		return false;
	if (f->has_health && f->health != (maybe_probe(p) || maybe_probe(parent)))
		return false;
	if (f->ns.n && (!p || !namespace_matches(&f->ns, p)))
		return false;
	if (f->ns_regex.n && (!p || !p->pod || !any_re(&f->ns_regex, p->pod->namespace_)))
		return false;
	if (f->pid.n && (!p || !any_u32(&f->pid, pid_of(p))))
		return false;
	if (f->pid_set.n && (!p || !pid_set_matches(f, p, parent)))
		return false;
	if (f->types.n && !any_u32(&f->types, (uint32_t)ev->event_case))
		return false;
	if (f->args.n && (!p || !any_re(&f->args, p->arguments)))
		return false;
	if (f->parent_args.n && (!parent || !any_re(&f->parent_args, parent->arguments)))
		return false;
	if (f->nlabels && (!p || !p->pod || !labels_match(f, p->pod)))
		return false;
	if (f->pod.n && (!p || !p->pod || !any_re(&f->pod, p->pod->name)))
		return false;
	if (f->policy_names.n) {
		name = policy_name_of(ev);
		if (!name || !name[0] || !any_str(&f->policy_names, name))
			return false;
	}
	if (f->has_caps && (!p || !caps_match(f, p)))
		return false;
	if (f->container_id.n && (!p || !any_re(&f->container_id, p->docker)))
		return false;
	if (f->container_name.n && (!p || !p->pod || !p->pod->container ||
				    !any_re(&f->container_name, p->pod->container->name)))
		return false;
	return true;
}

bool vigil_filters_match(const struct vigil_filters *fs, const Tetragon__GetEventsResponse *ev)
{
	size_t i;

	for (i = 0; fs && i < fs->n; i++)
		if (flt_match(&fs->f[i], ev))
			return true;
	return false;
}

bool vigil_filters_pass(const struct vigil_filters *allow, const struct vigil_filters *deny,
			const Tetragon__GetEventsResponse *ev)
{
	/* In Tetragon's order: the deny list is not asked when allow says no. */
	if (allow && allow->n && !vigil_filters_match(allow, ev))
		return false;
	return !vigil_filters_match(deny, ev);
}

/* --- the --export-allowlist text ------------------------------------------- */

static size_t line_at(const char *text, size_t from, size_t to, size_t line)
{
	for (; from < to; from++)
		line += text[from] == '\n';
	return line;
}

/*
 * The end of the JSON object that starts at s[0] ('{'): the offset just
 * past its closing brace, or 0 when the text ends first.  Strings are
 * skipped; a single quote outside one is not JSON (json-c would take it).
 */
static size_t object_end(const char *s, size_t len, bool *single_quote)
{
	size_t i, depth = 0;
	bool in_str = false;

	*single_quote = false;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth == 0)
				return i + 1;
		} else if (ch == '\'') {
			*single_quote = true;
			return i;
		}
	}
	return 0;
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

int vigil_filters_from_json(const char *text, size_t len, struct vigil_filters **out, char *err,
			    size_t errsz)
{
	struct vigil_filters *fs = calloc(1, sizeof(*fs));
	struct json_tokener *tok = json_tokener_new();
	struct cctx c = { .err = err, .errsz = errsz };
	struct json_object *obj = NULL;
	ProtobufCMessage *msg;
	struct vigil_arena arena;
	size_t pos = 0, line = 1, end, nul;
	char msgbuf[512];
	bool quote;
	int ret = -ENOMEM;

	*out = NULL;
	vigil_arena_init(&arena);
	if (!fs || !tok) {
		snprintf(err, errsz, "out of memory");
		goto cleanup;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	nul = text ? strnlen(text, len) : 0;
	if (nul < len) {
		snprintf(err, errsz, "line %zu: a NUL byte", line_at(text, 0, nul, 1));
		ret = -EINVAL;
		goto cleanup;
	}
	for (;;) {
		for (; pos < len && is_ws(text[pos]); pos++)
			line += text[pos] == '\n';
		if (pos >= len)
			break;
		snprintf(c.prefix, sizeof(c.prefix), "line %zu: ", line);
		ret = -EINVAL;
		if (text[pos] != '{') {
			cfail(&c, ret, "expected a JSON object ({...}), one filter per line");
			goto cleanup;
		}
		end = object_end(text + pos, len - pos, &quote);
		if (quote) {
			snprintf(err, errsz, "line %zu: invalid JSON: single quotes",
				 line_at(text, pos, pos + end, line));
			goto cleanup;
		}
		if (!end) {
			cfail(&c, ret, "invalid JSON: the object does not end");
			goto cleanup;
		}
		if (end > INT_MAX) {
			cfail(&c, ret, "the object is too long");
			goto cleanup;
		}
		json_tokener_reset(tok);
		obj = json_tokener_parse_ex(tok, text + pos, (int)end);
		if (!obj || json_tokener_get_parse_end(tok) != end) {
			snprintf(err, errsz, "line %zu: invalid JSON: %s",
				 line_at(text, pos, pos + json_tokener_get_parse_end(tok), line),
				 json_tokener_error_desc(json_tokener_get_error(tok)));
			goto cleanup;
		}
		ret = vigil_protojson_read(obj, &tetragon__filter__descriptor, &arena, &msg, msgbuf,
					   sizeof(msgbuf));
		if (ret) {
			cfail(&c, ret, "%s", ret == -ENOMEM ? "out of memory" : msgbuf);
			goto cleanup;
		}
		ret = add(fs, &c, (const Tetragon__Filter *)msg);
		if (ret)
			goto cleanup;
		json_object_put(obj);
		obj = NULL;
		line = line_at(text, pos, pos + end, line);
		pos += end;
	}
	*out = fs;
	fs = NULL;
	ret = 0;
cleanup:
	json_object_put(obj);
	if (tok)
		json_tokener_free(tok);
	vigil_arena_free(&arena);
	vigil_filters_free(fs);
	return ret;
}
