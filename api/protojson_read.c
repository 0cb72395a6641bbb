// SPDX-License-Identifier: Apache-2.0
/*
 * protojson_read.c - JSON objects as protobuf-c messages, by reflection
 * over their descriptors (rules in protojson_read.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "protojson_read.h"
#include "utf8.h"

/* Deeper than any request of the API. */
#define MAX_DEPTH    16
#define PATH_MAX_LEN 256

struct rd {
	struct vigil_arena *a;
	char *err;
	size_t errsz;
	int depth;
};

static int fail(struct rd *r, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path[0])
		snprintf(r->err, r->errsz, "%s: %s", path, msg);
	else
		snprintf(r->err, r->errsz, "%s", msg);
	r->err[vigil_utf8_trim_partial(r->err, strlen(r->err))] = '\0';
	return -EINVAL;
}

static int nomem(void)
{
	return -ENOMEM;
}

/* Whether key is the lowerCamelCase JSON name of the proto name. */
static bool is_json_name(const char *proto, const char *key)
{
	bool up = false;

	for (; *proto; proto++) {
		char c = *proto;

		if (c == '_') {
			up = true;
			continue;
		}
		if (up && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		up = false;
		if (*key++ != c)
			return false;
	}
	return !*key;
}

static const char *type_name(json_object *v)
{
	return v ? json_type_to_name(json_object_get_type(v)) : "null";
}

/* A decimal integer in a string, as protojson takes them. */
static bool parse_decimal(const char *s, bool neg_ok, int64_t *sv, uint64_t *uv, bool *neg)
{
	char *end;

	*neg = s[0] == '-';
	if (*neg && !neg_ok)
		return false;
	if (!(s[*neg] >= '0' && s[*neg] <= '9'))
		return false;
	errno = 0;
	if (*neg)
		*sv = strtoll(s, &end, 10);
	else
		*uv = strtoull(s, &end, 10);
	return !errno && !*end;
}

/* An integer in [min, umax]: min is 0 for an unsigned type. */
static int read_int(struct rd *r, json_object *v, const char *path, bool is_signed, int64_t min,
		    uint64_t umax, int64_t *sout, uint64_t *uout)
{
	int64_t s = 0;
	uint64_t u = 0;
	bool neg = false;
	double d;

	switch (json_object_get_type(v)) {
	case json_type_int:
		s = json_object_get_int64(v);
		neg = s < 0;
		if (!neg)
			u = json_object_get_uint64(v);
		break;
	case json_type_double:
		d = json_object_get_double(v);
		if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 1.8e19)
			return fail(r, path, "%g is not an integer", d);
		neg = d < 0;
		if (neg)
			s = (int64_t)d;
		else
			u = (uint64_t)d;
		break;
	case json_type_string:
		if (!parse_decimal(json_object_get_string(v), is_signed, &s, &u, &neg))
			return fail(r, path, "expected an integer, got a string that is not one");
		break;
	default:
		return fail(r, path, "expected an integer, got %s", type_name(v));
	}
	if (neg ? !is_signed || s < min : u > umax)
		return fail(r, path, "integer out of range");
	*sout = neg ? s : (int64_t)u;
	*uout = neg ? (uint64_t)s : u;
	return 0;
}

static int read_message(struct rd *r, json_object *obj, const ProtobufCMessageDescriptor *d,
			ProtobufCMessage **out, const char *path);

/* A string without NUL, copied into the arena. */
static int read_string(struct rd *r, json_object *v, const char *path, char **out)
{
	const char *s;
	int len;

	if (!json_object_is_type(v, json_type_string))
		return fail(r, path, "expected a string, got %s", type_name(v));
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if (memchr(s, '\0', (size_t)len))
		return fail(r, path, "a string may not hold a NUL character");
	*out = vigil_arena_strdup(r->a, s);
	return *out ? 0 : nomem();
}

/* FieldMask: "a.bC,d" is the paths "a.b_c" and "d". */
static int read_field_mask(struct rd *r, json_object *v, const char *path, ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor *f = &m->descriptor->fields[0];
	const char *s, *p;
	size_t n = 1, i = 0, k;
	char **paths, *cur;
	int err;

	err = read_string(r, v, path, &cur);
	if (err)
		return err;
	s = cur;
	if (!s[0])
		return 0;
	for (p = s; *p; p++)
		n += *p == ',';
	paths = vigil_arena_alloc(r->a, n * sizeof(*paths));
	if (!paths)
		return nomem();
	for (p = s; i < n; i++) {
		size_t len = strcspn(p, ",");

		cur = vigil_arena_alloc(r->a, 2 * len + 1);
		if (!cur)
			return nomem();
		for (k = 0; len--; p++) {
			if (*p >= 'A' && *p <= 'Z') {
				cur[k++] = '_';
				cur[k++] = (char)(*p - 'A' + 'a');
			} else {
				cur[k++] = *p;
			}
		}
		cur[k] = '\0';
		paths[i] = cur;
		p += *p == ',';
	}
	*(size_t *)((char *)m + f->quantifier_offset) = n;
	*(char ***)((char *)m + f->offset) = paths;
	return 0;
}

static bool is_wrapper(const ProtobufCMessageDescriptor *d)
{
	return !strncmp(d->name, "google.protobuf.", 16) && strstr(d->name, "Value") &&
	       d->n_fields == 1 && !strcmp(d->fields[0].name, "value");
}

static int read_value(struct rd *r, json_object *v, const ProtobufCFieldDescriptor *f, void *dst,
		      const char *path);

/* A message field's value: an object, or a well-known type's JSON. */
static int read_message_value(struct rd *r, json_object *v, const ProtobufCMessageDescriptor *d,
			      ProtobufCMessage **out, const char *path)
{
	ProtobufCMessage *m;

	if (!is_wrapper(d) && strcmp(d->name, "google.protobuf.FieldMask"))
		return read_message(r, v, d, out, path);
	m = vigil_arena_alloc(r->a, d->sizeof_message);
	if (!m)
		return nomem();
	d->message_init(m);
	*out = m;
	if (is_wrapper(d))
		return read_value(r, v, &d->fields[0], (char *)m + d->fields[0].offset, path);
	return read_field_mask(r, v, path, m);
}

/* One value of field f (an element, for a repeated field) into dst. */
static int read_value(struct rd *r, json_object *v, const ProtobufCFieldDescriptor *f, void *dst,
		      const char *path)
{
	const ProtobufCEnumValue *ev;
	int64_t s;
	uint64_t u;
	int err;

	switch (f->type) {
	case PROTOBUF_C_TYPE_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return fail(r, path, "expected true or false, got %s", type_name(v));
		*(protobuf_c_boolean *)dst = json_object_get_boolean(v);
		return 0;
	case PROTOBUF_C_TYPE_STRING:
		return read_string(r, v, path, (char **)dst);
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		err = read_int(r, v, path, true, INT32_MIN, INT32_MAX, &s, &u);
		if (!err)
			*(int32_t *)dst = (int32_t)s;
		return err;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		err = read_int(r, v, path, false, 0, UINT32_MAX, &s, &u);
		if (!err)
			*(uint32_t *)dst = (uint32_t)u;
		return err;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		err = read_int(r, v, path, true, INT64_MIN, INT64_MAX, &s, &u);
		if (!err)
			*(int64_t *)dst = s;
		return err;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		err = read_int(r, v, path, false, 0, UINT64_MAX, &s, &u);
		if (!err)
			*(uint64_t *)dst = u;
		return err;
	case PROTOBUF_C_TYPE_ENUM:
		if (json_object_is_type(v, json_type_string)) {
			char q[VIGIL_QUOTE_BUFSZ];
			const ProtobufCEnumDescriptor *ed = f->descriptor;

			ev = protobuf_c_enum_descriptor_get_value_by_name(
				ed, json_object_get_string(v));
			if (!ev || (size_t)json_object_get_string_len(v) != strlen(ev->name))
				return fail(r, path, "%s is not a value of %s",
					    vigil_quote(json_object_get_string(v),
							(size_t)json_object_get_string_len(v), q,
							sizeof(q)),
					    ed->short_name);
			*(int *)dst = ev->value;
			return 0;
		}
		err = read_int(r, v, path, true, INT32_MIN, INT32_MAX, &s, &u);
		if (!err)
			*(int *)dst = (int)s;
		return err;
	case PROTOBUF_C_TYPE_MESSAGE:
		return read_message_value(r, v, f->descriptor, (ProtobufCMessage **)dst, path);
	default:
		return fail(r, path, "a field of this type is not supported here");
	}
}

static size_t elem_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	default: /* 32-bit integers, enums */
		return 4;
	}
}

static int read_field(struct rd *r, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
		      json_object *v, const char *path)
{
	char *base = (char *)m, epath[PATH_MAX_LEN];
	size_t n, i, size;
	uint32_t *oneof_case;
	void *arr;
	int err;

	if (!v) /* null: the default */
		return 0;
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		if (!json_object_is_type(v, json_type_array))
			return fail(r, path, "expected an array, got %s", type_name(v));
		n = json_object_array_length(v);
		if (!n)
			return 0;
		size = elem_size(f);
		arr = vigil_arena_alloc(r->a, n * size);
		if (!arr)
			return nomem();
		for (i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(v, i);

			if (snprintf(epath, sizeof(epath), "%s[%zu]", path, i) < 0)
				return -EINVAL;
			if (!e)
				return fail(r, epath, "null is not a value");
			err = read_value(r, e, f, (char *)arr + i * size, epath);
			if (err)
				return err;
		}
		*(size_t *)(base + f->quantifier_offset) = n;
		*(void **)(base + f->offset) = arr;
		return 0;
	}
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		oneof_case = (uint32_t *)(base + f->quantifier_offset);
		if (*oneof_case && *oneof_case != f->id)
			return fail(r, path, "another member of its oneof is set already");
		*oneof_case = f->id;
	} else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_MESSAGE &&
		   f->type != PROTOBUF_C_TYPE_STRING) {
		*(protobuf_c_boolean *)(base + f->quantifier_offset) = 1;
	}
	return read_value(r, v, f, base + f->offset, path);
}

static int read_message(struct rd *r, json_object *obj, const ProtobufCMessageDescriptor *d,
			ProtobufCMessage **out, const char *path)
{
	const ProtobufCFieldDescriptor *f;
	char fpath[PATH_MAX_LEN], q[VIGIL_QUOTE_BUFSZ];
	ProtobufCMessage *m;
	bool *seen;
	unsigned int i;
	int err;

	if (!json_object_is_type(obj, json_type_object))
		return fail(r, path, "expected an object, got %s", type_name(obj));
	if (++r->depth > MAX_DEPTH)
		return fail(r, path, "nested too deeply");
	m = vigil_arena_alloc(r->a, d->sizeof_message);
	seen = vigil_arena_alloc(r->a, d->n_fields + 1);
	if (!m || !seen)
		return nomem();
	d->message_init(m);
	json_object_object_foreach(obj, key, val)
	{
		f = protobuf_c_message_descriptor_get_field_by_name(d, key);
		for (i = 0; !f && i < d->n_fields; i++)
			if (is_json_name(d->fields[i].name, key))
				f = &d->fields[i];
		if (!f)
			return fail(r, path, "unknown field %s of %s",
				    vigil_quote_str(key, q, sizeof(q)), d->short_name);
		if (snprintf(fpath, sizeof(fpath), "%s%s%s", path, path[0] ? "." : "", f->name) < 0)
			return -EINVAL;
		if (seen[f - d->fields])
			return fail(r, fpath, "given twice (by its proto and its JSON name)");
		seen[f - d->fields] = true;
		err = read_field(r, m, f, val, fpath);
		if (err)
			return err;
	}
	r->depth--;
	*out = m;
	return 0;
}

int vigil_protojson_read(struct json_object *obj, const ProtobufCMessageDescriptor *d,
			 struct vigil_arena *a, ProtobufCMessage **out, char *err, size_t errsz)
{
	struct rd r = { .a = a, .err = err, .errsz = errsz };

	*out = NULL;
	return read_message(&r, obj, d, out, "");
}
