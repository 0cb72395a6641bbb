// SPDX-License-Identifier: Apache-2.0
/*
 * field_filter.c - Tetragon's FieldFilter (filter.h): the paths of a
 * FieldMask as one tree, applied to the body of an event in place by
 * reflection over the protobuf-c descriptors.
 *
 * Tetragon matches path parts against Go's field names, to which it turns
 * both "start_time" and "startTime" ("StartTime"); names are compared here
 * in that same form.  A oneof is one Go field named after the oneof (a
 * KprobeArgument's "arg"), whose value holds the member that is set.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "filter.h"

#include "tetragon/tetragon.pb-c.h"
#include "utf8.h"

/* Longer than any field name of the API. */
#define NAME_MAX_LEN 64

/* A node of the mask tree; no children: the whole field. */
struct node {
	char *name; /* Go's spelling: "StartTime" */
	struct node **kids;
	size_t nkids;
};

struct ff {
	uint32_t *types;
	size_t ntypes;
	bool invert;
	bool exclude;
	struct node *root;
};

struct vigil_field_filters {
	struct ff *f;
	size_t n;
};

/* A oneof's Go field name, where the event messages have one. */
static const struct {
	const ProtobufCMessageDescriptor *d;
	const char *name;
} oneofs[] = {
	{ &tetragon__kprobe_argument__descriptor, "Arg" },
};

/* "start_time" and "startTime" as "StartTime" (Tetragon's fixup). */
static void go_name(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < outsz; i++) {
		char c = s[i];

		if (c == '_')
			continue;
		if ((i == 0 || s[i - 1] == '_') && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		out[k++] = c;
	}
	out[k] = '\0';
}

static void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n);
}

static struct node *find(const struct node *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (!strcmp(n->kids[i]->name, name))
			return n->kids[i];
	return NULL;
}

static struct node *child(struct node *n, const char *name)
{
	struct node *k = find(n, name), **kids;

	if (k)
		return k;
	kids = realloc(n->kids, (n->nkids + 1) * sizeof(*kids));
	if (!kids)
		return NULL;
	n->kids = kids;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->name = strdup(name);
	if (!k->name) {
		free(k);
		return NULL;
	}
	n->kids[n->nkids++] = k;
	return k;
}

static int ffail(char *err, size_t errsz, size_t i, int ret, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errsz, "[%zu].%s", i, msg);
	err[vigil_utf8_trim_partial(err, strlen(err))] = '\0';
	return ret;
}

/* Add path's parts below root. */
static int add_path(struct node *root, const char *path, size_t i, char *err, size_t errsz)
{
	char name[NAME_MAX_LEN], q[VIGIL_QUOTE_BUFSZ];
	const char *p = path;
	struct node *n = root;
	size_t len;

	for (;;) {
		len = strcspn(p, ".");
		if (!len)
			return ffail(err, errsz, i, -EINVAL,
				     "fields: invalid path %s: a part is empty",
				     vigil_quote_str(path, q, sizeof(q)));
		go_name(p, len, name, sizeof(name));
		n = child(n, name);
		if (!n)
			return -ENOMEM;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int compile_one(const Tetragon__FieldFilter *m, size_t i, struct ff *f, char *err,
		       size_t errsz)
{
	const Google__Protobuf__FieldMask *mask = m->fields;
	size_t k;
	int ret;

	if (m->base.n_unknown_fields)
		return ffail(err, errsz, i, -EOPNOTSUPP,
			     "field number %u of FieldFilter is not supported by vigil",
			     m->base.unknown_fields[0].tag);
	if (m->action != TETRAGON__FIELD_FILTER_ACTION__INCLUDE &&
	    m->action != TETRAGON__FIELD_FILTER_ACTION__EXCLUDE)
		return ffail(err, errsz, i, -EINVAL, "action: %d is not INCLUDE or EXCLUDE",
			     (int)m->action);
	f->exclude = m->action == TETRAGON__FIELD_FILTER_ACTION__EXCLUDE;
	f->invert = m->invert_event_set && m->invert_event_set->value;
	for (k = 0; k < m->n_event_set; k++)
		if (!protobuf_c_enum_descriptor_get_value(&tetragon__event_type__descriptor,
							  (int)m->event_set[k]))
			return ffail(err, errsz, i, -EINVAL,
				     "event_set[%zu]: %d is not an EventType", k,
				     (int)m->event_set[k]);
	if (m->n_event_set) {
		f->types = malloc(m->n_event_set * sizeof(*f->types));
		if (!f->types)
			return -ENOMEM;
		for (k = 0; k < m->n_event_set; k++)
			f->types[k] = (uint32_t)m->event_set[k];
		f->ntypes = m->n_event_set;
	}
	f->root = calloc(1, sizeof(*f->root));
	if (!f->root)
		return -ENOMEM;
	for (k = 0; mask && k < mask->n_paths; k++) {
		ret = add_path(f->root, mask->paths[k] ? mask->paths[k] : "", i, err, errsz);
		if (ret)
			return ret;
	}
	return 0;
}

static void ff_free(struct ff *f)
{
	free(f->types);
	node_free(f->root);
}

int vigil_field_filters_new(Tetragon__FieldFilter *const *ff, size_t n,
			    struct vigil_field_filters **out, char *err, size_t errsz)
{
	struct vigil_field_filters *fs = calloc(1, sizeof(*fs));
	size_t i;
	int ret = 0;

	*out = NULL;
	if (fs && n)
		fs->f = calloc(n, sizeof(*fs->f));
	if (!fs || (n && !fs->f)) {
		ret = -ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (!ff[i]) {
			ret = ffail(err, errsz, i, -EINVAL, "no field filter");
			goto cleanup;
		}
		fs->n++;
		ret = compile_one(ff[i], i, &fs->f[i], err, errsz);
		if (ret)
			goto cleanup;
	}
	*out = fs;
	fs = NULL;
cleanup:
	if (ret == -ENOMEM)
		snprintf(err, errsz, "out of memory");
	vigil_field_filters_free(fs);
	return ret;
}

void vigil_field_filters_free(struct vigil_field_filters *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		ff_free(&fs->f[i]);
	free(fs->f);
	free(fs);
}

/* --- applying -------------------------------------------------------------- */

static bool is_oneof(const ProtobufCFieldDescriptor *f)
{
	return f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF;
}

static uint32_t oneof_case(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	return *(const uint32_t *)((const char *)m + f->quantifier_offset);
}

static const char *oneof_name(const ProtobufCMessageDescriptor *d)
{
	size_t i;

	for (i = 0; i < sizeof(oneofs) / sizeof(oneofs[0]); i++)
		if (oneofs[i].d == d)
			return oneofs[i].name;
	return NULL;
}

/* A map's entry message: the whole map is one value, as Go copies it. */
static bool is_map_entry(const ProtobufCMessageDescriptor *d)
{
	size_t n = strlen(d->short_name);

	return d->n_fields == 2 && n > 5 && !strcmp(d->short_name + n - 5, "Entry") &&
	       !strcmp(d->fields[0].name, "key") && !strcmp(d->fields[1].name, "value");
}

/* Clear f of m as its default; a oneof member only when it is the one
 * set (its value shares memory with the others). */
static void clear(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	char *base = (char *)m, *v = base + f->offset;

	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		*(size_t *)(base + f->quantifier_offset) = 0;
		*(void **)v = NULL;
		return;
	}
	if (is_oneof(f)) {
		if (oneof_case(m, f) != f->id)
			return;
		*(uint32_t *)(base + f->quantifier_offset) = 0;
	} else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset &&
		   f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE) {
		*(protobuf_c_boolean *)(base + f->quantifier_offset) = 0;
	}
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		*(const char **)v = is_oneof(f) ? NULL : protobuf_c_empty_string;
		break;
	case PROTOBUF_C_TYPE_MESSAGE:
		*(void **)v = NULL;
		break;
	case PROTOBUF_C_TYPE_BYTES:
		memset(v, 0, sizeof(ProtobufCBinaryData));
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		memset(v, 0, 8);
		break;
	default: /* 32-bit numbers, enums, bool */
		memset(v, 0, 4);
		break;
	}
}

static void apply_msg(ProtobufCMessage *m, const struct node *mask, bool exclude);

/* Apply mask below field f (the whole of every element of a repeated
 * message); a field that is not a message keeps its value, as Go copies
 * it whatever the mask below says. */
static void descend(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, const struct node *mask,
		    bool exclude)
{
	char *v = (char *)m + f->offset;
	ProtobufCMessage **elems;
	size_t i, n;

	if (f->type != PROTOBUF_C_TYPE_MESSAGE || is_map_entry(f->descriptor))
		return;
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		n = *(size_t *)((char *)m + f->quantifier_offset);
		elems = *(ProtobufCMessage ***)v;
		for (i = 0; elems && i < n; i++)
			if (elems[i])
				apply_msg(elems[i], mask, exclude);
		return;
	}
	if (*(ProtobufCMessage **)v)
		apply_msg(*(ProtobufCMessage **)v, mask, exclude);
}

/* What mask (a node, or NULL when the field is not named) says of one
 * field: keep it whole, drop it, or go below with a sub-mask. */
static void decide(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, const struct node *sub,
		   bool exclude)
{
	if (!sub) {
		if (!exclude)
			clear(m, f); /* INCLUDE: not named, dropped */
		return;
	}
	if (!sub->nkids) {
		if (exclude)
			clear(m, f); /* EXCLUDE: named whole, dropped */
		return;
	}
	descend(m, f, sub, exclude);
}

static void apply_msg(ProtobufCMessage *m, const struct node *mask, bool exclude)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *oneof = oneof_name(d);
	char name[NAME_MAX_LEN];
	const struct node *sub;
	unsigned int i;

	if (!exclude && !mask->nkids) /* INCLUDE of nothing: everything */
		return;
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (is_oneof(f) && oneof_case(m, f) != f->id)
			continue;
		go_name(f->name, strlen(f->name), name, sizeof(name));
		if (!is_oneof(f) || !oneof) {
			decide(m, f, find(mask, name), exclude);
			continue;
		}
		/* a oneof: its own node, then the member's below it */
		sub = find(mask, oneof);
		if (sub && sub->nkids)
			sub = find(sub, name);
		else if (sub && !exclude)
			continue; /* "arg": the value kept whole */
		decide(m, f, sub, exclude);
	}
}

/* The event's body: the member of its oneof that is set. */
static ProtobufCMessage *body_of(Tetragon__GetEventsResponse *ev)
{
	const ProtobufCMessageDescriptor *d = ev->base.descriptor;
	unsigned int i;

	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (is_oneof(f) && oneof_case(&ev->base, f) == f->id &&
		    f->type == PROTOBUF_C_TYPE_MESSAGE)
			return *(ProtobufCMessage **)((char *)ev + f->offset);
	}
	return NULL;
}

static bool applies_to(const struct ff *f, uint32_t type)
{
	size_t i;

	if (!f->ntypes)
		return true;
	for (i = 0; i < f->ntypes; i++)
		if (f->types[i] == type)
			return !f->invert;
	return f->invert;
}

int vigil_field_filters_apply(const struct vigil_field_filters *ff, Tetragon__GetEventsResponse *ev)
{
	ProtobufCMessage *body;
	size_t i;

	for (i = 0; ff && i < ff->n; i++) {
		if (!applies_to(&ff->f[i], (uint32_t)ev->event_case))
			continue;
		body = body_of(ev);
		if (body)
			apply_msg(body, ff->f[i].root, ff->f[i].exclude);
	}
	return 0;
}
