// SPDX-License-Identifier: Apache-2.0
/*
 * protojson.c - protobuf-c messages as protojson text, by reflection over
 * their descriptors (rules in protojson.h).
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
#include <netinet/in.h>
#include <resolv.h>

#include "encode.h"
#include "protojson.h"
#include "utf8.h"

#include "google/protobuf/any.pb-c.h"
#include "google/protobuf/field_mask.pb-c.h"
#include "google/protobuf/timestamp.pb-c.h"
#include "google/protobuf/wrappers.pb-c.h"

/* Deeper than any message of the API (an Any adds one level). */
#define MAX_DEPTH 32

/* The text being built; err is the first error, after which nothing is
 * added. */
struct jbuf {
	char *p;
	size_t len, cap;
	int err;
};

static bool reserve(struct jbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->err)
		return false;
	if (n <= b->cap - b->len)
		return true;
	if (n > SIZE_MAX / 2 - b->len) {
		b->err = -ENOMEM;
		return false;
	}
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->err = -ENOMEM;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void put(struct jbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void puts_(struct jbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putch(struct jbuf *b, char c)
{
	put(b, &c, 1);
}

static void fail(struct jbuf *b, int err)
{
	if (!b->err)
		b->err = err;
}

/* A JSON string: escapes as json-c writes them, invalid UTF-8 as U+FFFD. */
static void put_string(struct jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run, k;
	uint32_t cp;
	char esc[7];

	putch(b, '"');
	while (i < n && !b->err) {
		unsigned char c = (unsigned char)s[i];

		for (run = i; run < n && (unsigned char)s[run] >= 0x20 &&
			      (unsigned char)s[run] < 0x80 && s[run] != '"' && s[run] != '\\';
		     run++)
			;
		if (run > i) {
			put(b, s + i, run - i);
			i = run;
			continue;
		}
		if (c >= 0x80) {
			k = vigil_utf8_decode(s + i, n - i, &cp);
			if (cp == VIGIL_UTF8_INVALID)
				puts_(b, VIGIL_UTF8_REPLACEMENT);
			else
				put(b, s + i, k);
			i += k;
			continue;
		}
		switch (c) {
		case '"':
			puts_(b, "\\\"");
			break;
		case '\\':
			puts_(b, "\\\\");
			break;
		case '\b':
			puts_(b, "\\b");
			break;
		case '\f':
			puts_(b, "\\f");
			break;
		case '\n':
			puts_(b, "\\n");
			break;
		case '\r':
			puts_(b, "\\r");
			break;
		case '\t':
			puts_(b, "\\t");
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(b, esc, 6);
			break;
		}
		i++;
	}
	putch(b, '"');
}

static void put_cstring(struct jbuf *b, const char *s)
{
	put_string(b, s ? s : "", s ? strlen(s) : 0);
}

static void put_bytes(struct jbuf *b, const ProtobufCBinaryData *d)
{
	size_t n = 4 * ((d->len + 2) / 3) + 1;
	int w;

	putch(b, '"');
	if (d->len && reserve(b, n)) {
		w = b64_ntop(d->data, d->len, b->p + b->len, n);
		if (w < 0)
			fail(b, -EINVAL);
		else
			b->len += (size_t)w;
	}
	putch(b, '"');
}

static void putf(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct jbuf *b, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		fail(b, -EINVAL);
	else
		put(b, buf, (size_t)n);
}

/*
 * A float or double: the fewest significant digits that read back as the
 * same value, written plainly, or with an exponent below 1e-6 and from 1e21
 * on ("1e+21", "1.5e-7").
 */
static void put_float(struct jbuf *b, double v, bool single)
{
	char tmp[48], digits[24], out[64];
	double a = fabs(v);
	int prec, exp, nd = 0, o = 0, i;
	bool sci;
	char *e;

	if (isnan(v)) {
		puts_(b, "\"NaN\"");
		return;
	}
	if (isinf(v)) {
		puts_(b, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (single ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v)
			break;
	}
	e = strchr(tmp, 'e');
	if (!e) {
		fail(b, -EINVAL);
		return;
	}
	exp = atoi(e + 1);
	for (i = 0; tmp + i < e; i++)
		if (tmp[i] >= '0' && tmp[i] <= '9')
			digits[nd++] = tmp[i];
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	sci = a != 0 &&
	      (single ? ((float)a < 1e-6f || (float)a >= 1e21f) : (a < 1e-6 || a >= 1e21));
	if (signbit(v))
		out[o++] = '-';
	if (sci) {
		out[o++] = digits[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, (size_t)nd - 1);
			o += nd - 1;
		}
		o += snprintf(out + o, sizeof(out) - (size_t)o, exp < 0 ? "e-%d" : "e+%02d",
			      exp < 0 ? -exp : exp);
	} else if (exp >= 0) {
		for (i = 0; i <= exp; i++)
			out[o++] = i < nd ? digits[i] : '0';
		if (nd > exp + 1) {
			out[o++] = '.';
			memcpy(out + o, digits + exp + 1, (size_t)(nd - exp - 1));
			o += nd - exp - 1;
		}
	} else {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -exp - 1; i++)
			out[o++] = '0';
		memcpy(out + o, digits, (size_t)nd);
		o += nd;
	}
	put(b, out, (size_t)o);
}

static void put_message(struct jbuf *b, const ProtobufCMessage *m, int depth);

static size_t elem_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	}
	return 0;
}

/* One value of field f at v (an element, for a repeated field). */
static void put_value(struct jbuf *b, const ProtobufCFieldDescriptor *f, const void *v, int depth)
{
	const ProtobufCEnumValue *ev;
	int32_t e;

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		putf(b, "%" PRId32, *(const int32_t *)v);
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		putf(b, "%" PRIu32, *(const uint32_t *)v);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		putf(b, "\"%" PRId64 "\"", *(const int64_t *)v);
		break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		putf(b, "\"%" PRIu64 "\"", *(const uint64_t *)v);
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		put_float(b, *(const float *)v, true);
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		put_float(b, *(const double *)v, false);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		puts_(b, *(const protobuf_c_boolean *)v ? "true" : "false");
		break;
	case PROTOBUF_C_TYPE_ENUM:
		e = *(const int32_t *)v;
		ev = protobuf_c_enum_descriptor_get_value(f->descriptor, e);
		if (ev)
			put_cstring(b, ev->name);
		else
			putf(b, "%" PRId32, e);
		break;
	case PROTOBUF_C_TYPE_STRING:
		put_cstring(b, *(char *const *)v);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		put_bytes(b, v);
		break;
	case PROTOBUF_C_TYPE_MESSAGE:
		if (*(ProtobufCMessage *const *)v)
			put_message(b, *(ProtobufCMessage *const *)v, depth + 1);
		else
			puts_(b, "{}");
		break;
	}
}

/* Whether a singular field is set, by the rules of its label. */
static bool present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const char *base = (const char *)m;
	const void *v = base + f->offset;
	uint32_t bits32;
	uint64_t bits64;

	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		return *(const uint32_t *)(base + f->quantifier_offset) == f->id;
	if (f->label == PROTOBUF_C_LABEL_REQUIRED)
		return true;
	if (f->label == PROTOBUF_C_LABEL_OPTIONAL) {
		if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING)
			return *(void *const *)v && *(void *const *)v != f->default_value;
		return *(const protobuf_c_boolean *)(base + f->quantifier_offset);
	}
	switch (f->type) { /* proto3: set when not the default */
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)v;
	case PROTOBUF_C_TYPE_FLOAT: /* by bits: -0 is not the default */
		memcpy(&bits32, v, sizeof(bits32));
		return bits32 != 0;
	case PROTOBUF_C_TYPE_DOUBLE:
		memcpy(&bits64, v, sizeof(bits64));
		return bits64 != 0;
	case PROTOBUF_C_TYPE_STRING:
		return *(char *const *)v && **(char *const *)v;
	case PROTOBUF_C_TYPE_BYTES:
		return ((const ProtobufCBinaryData *)v)->len > 0;
	case PROTOBUF_C_TYPE_MESSAGE:
		return *(void *const *)v != NULL;
	default:
		return elem_size(f->type) == 8 ? *(const uint64_t *)v != 0
					       : *(const uint32_t *)v != 0;
	}
}

/* The entry message protoc makes for a map field: "pod_labels" ->
 * PodLabelsEntry { key = 1; value = 2; }. */
static bool is_map(const ProtobufCFieldDescriptor *f)
{
	const ProtobufCMessageDescriptor *d = f->descriptor;
	const char *s = f->name, *n;
	bool cap = true;

	if (f->label != PROTOBUF_C_LABEL_REPEATED || f->type != PROTOBUF_C_TYPE_MESSAGE ||
	    d->n_fields != 2 || d->fields[0].id != 1 || strcmp(d->fields[0].name, "key") ||
	    d->fields[1].id != 2 || strcmp(d->fields[1].name, "value"))
		return false;
	for (n = d->short_name; *s; s++) {
		char c = *s;

		if (c == '_') {
			cap = true;
			continue;
		}
		if (cap && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		cap = false;
		if (*n++ != c)
			return false;
	}
	return !strcmp(n, "Entry");
}

static int key_cmp(const void *x, const void *y, void *arg)
{
	const ProtobufCFieldDescriptor *k = arg;
	const char *a = (const char *)*(ProtobufCMessage *const *)x + k->offset;
	const char *b = (const char *)*(ProtobufCMessage *const *)y + k->offset;

	switch (k->type) {
	case PROTOBUF_C_TYPE_STRING:
		return strcmp(*(char *const *)a ? *(char *const *)a : "",
			      *(char *const *)b ? *(char *const *)b : "");
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return (*(const int32_t *)a > *(const int32_t *)b) -
		       (*(const int32_t *)a < *(const int32_t *)b);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return (*(const int64_t *)a > *(const int64_t *)b) -
		       (*(const int64_t *)a < *(const int64_t *)b);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return (*(const uint64_t *)a > *(const uint64_t *)b) -
		       (*(const uint64_t *)a < *(const uint64_t *)b);
	default: /* uint32, fixed32, bool */
		return (*(const uint32_t *)a > *(const uint32_t *)b) -
		       (*(const uint32_t *)a < *(const uint32_t *)b);
	}
}

/* A map key: a JSON string whatever its type. */
static void put_map_key(struct jbuf *b, const ProtobufCFieldDescriptor *kf, const void *k)
{
	switch (kf->type) {
	case PROTOBUF_C_TYPE_STRING:
		put_cstring(b, *(char *const *)k);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		puts_(b, *(const protobuf_c_boolean *)k ? "\"true\"" : "\"false\"");
		break;
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		putf(b, "\"%" PRId32 "\"", *(const int32_t *)k);
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		putf(b, "\"%" PRIu32 "\"", *(const uint32_t *)k);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		putf(b, "\"%" PRId64 "\"", *(const int64_t *)k);
		break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		putf(b, "\"%" PRIu64 "\"", *(const uint64_t *)k);
		break;
	default: /* protobuf allows no other key type */
		fail(b, -EINVAL);
		break;
	}
}

/* A map: an object of its entries, keys in order (a key is a string in
 * JSON whatever its type); a value is written even when it is the default. */
static void put_map(struct jbuf *b, const ProtobufCFieldDescriptor *f,
		    ProtobufCMessage *const *entries, size_t n, int depth)
{
	const ProtobufCMessageDescriptor *d = f->descriptor;
	const ProtobufCFieldDescriptor *kf = &d->fields[0], *vf = &d->fields[1];
	ProtobufCMessage **sorted = malloc(n * sizeof(*sorted));
	size_t i;

	if (!sorted) {
		fail(b, -ENOMEM);
		return;
	}
	memcpy(sorted, entries, n * sizeof(*sorted));
	qsort_r(sorted, n, sizeof(*sorted), key_cmp, (void *)kf);
	putch(b, '{');
	for (i = 0; i < n && !b->err; i++) {
		if (i)
			putch(b, ',');
		put_map_key(b, kf, (const char *)sorted[i] + kf->offset);
		putch(b, ':');
		put_value(b, vf, (const char *)sorted[i] + vf->offset, depth);
	}
	putch(b, '}');
	free(sorted);
}

static void put_field(struct jbuf *b, const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
		      int depth)
{
	const char *base = (const char *)m;
	const char *arr;
	size_t n, i, sz;

	putch(b, '"');
	puts_(b, f->name);
	puts_(b, "\":");
	if (f->label != PROTOBUF_C_LABEL_REPEATED) {
		put_value(b, f, base + f->offset, depth);
		return;
	}
	n = *(const size_t *)(base + f->quantifier_offset);
	arr = *(const char *const *)(base + f->offset);
	if (is_map(f)) {
		put_map(b, f, (ProtobufCMessage *const *)arr, n, depth);
		return;
	}
	sz = elem_size(f->type);
	putch(b, '[');
	for (i = 0; i < n && !b->err; i++) {
		if (i)
			putch(b, ',');
		put_value(b, f, arr + i * sz, depth);
	}
	putch(b, ']');
}

/* The fields of m that are set, each as "name":value, after a comma when
 * *first is false. */
static void put_fields(struct jbuf *b, const ProtobufCMessage *m, int depth, bool *first)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	unsigned i;

	for (i = 0; i < d->n_fields && !b->err; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			if (!*(const size_t *)((const char *)m + f->quantifier_offset))
				continue;
		} else if (!present(m, f)) {
			continue;
		}
		if (!*first)
			putch(b, ',');
		*first = false;
		put_field(b, m, f, depth);
	}
}

static void put_timestamp(struct jbuf *b, const Google__Protobuf__Timestamp *t)
{
	char buf[64];

	if (t->nanos < 0 ||
	    vigil_format_timestamp(t->seconds, (uint32_t)t->nanos, buf, sizeof(buf))) {
		fail(b, -EINVAL);
		return;
	}
	put_cstring(b, buf);
}

/* A path's segments must be identifiers with a lowerCamelCase form that
 * turns back into the same path: "process_exec.process" ->
 * "processExec.process". */
static void put_field_mask(struct jbuf *b, const Google__Protobuf__FieldMask *fm)
{
	size_t i, j;

	putch(b, '"');
	for (i = 0; i < fm->n_paths && !b->err; i++) {
		const char *p = fm->paths[i] ? fm->paths[i] : "";
		bool start = true, under = false;

		if (i)
			putch(b, ',');
		for (j = 0; p[j]; j++) {
			char c = p[j];
			bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
			bool digit = c >= '0' && c <= '9';

			if (c == '.') {
				if (start || under)
					goto bad;
				putch(b, c);
				start = true;
				continue;
			}
			if (upper || (!lower && !digit && c != '_') || (start && digit) ||
			    (under && !lower))
				goto bad;
			start = false;
			under = c == '_';
			if (under)
				continue;
			if (j && p[j - 1] == '_')
				c = (char)(c - 'a' + 'A');
			putch(b, c);
		}
		if (start || under)
			goto bad;
	}
	putch(b, '"');
	return;
bad:
	fail(b, -EINVAL);
}

static const ProtobufCMessageDescriptor *const any_types[] = {
	&google__protobuf__double_value__descriptor, &google__protobuf__float_value__descriptor,
	&google__protobuf__int64_value__descriptor,  &google__protobuf__uint64_value__descriptor,
	&google__protobuf__int32_value__descriptor,  &google__protobuf__uint32_value__descriptor,
	&google__protobuf__bool_value__descriptor,   &google__protobuf__string_value__descriptor,
	&google__protobuf__bytes_value__descriptor,  &google__protobuf__timestamp__descriptor,
	&google__protobuf__field_mask__descriptor,
};

static bool is_wrapper(const ProtobufCMessageDescriptor *d)
{
	size_t i;

	for (i = 0; i < 9; i++)
		if (d == any_types[i])
			return true;
	return false;
}

/* The well-known types that are not a JSON object of their own. */
static bool is_scalar_wkt(const ProtobufCMessageDescriptor *d)
{
	return is_wrapper(d) || d == &google__protobuf__timestamp__descriptor ||
	       d == &google__protobuf__field_mask__descriptor;
}

/* {"@type": URL, ...the message's fields} or {"@type": URL, "value": ...}
 * for a message that is not an object in JSON. */
static void put_any(struct jbuf *b, const Google__Protobuf__Any *any, int depth)
{
	const ProtobufCMessageDescriptor *d = NULL;
	const char *url = any->type_url ? any->type_url : "", *name = strrchr(url, '/');
	ProtobufCMessage *inner;
	bool first = false;
	size_t i;

	if (!url[0] && !any->value.len) {
		puts_(b, "{}");
		return;
	}
	name = name ? name + 1 : url;
	for (i = 0; i < sizeof(any_types) / sizeof(any_types[0]); i++)
		if (!strcmp(any_types[i]->name, name))
			d = any_types[i];
	if (!d) {
		fail(b, -EINVAL);
		return;
	}
	inner = protobuf_c_message_unpack(d, NULL, any->value.len, any->value.data);
	if (!inner) {
		fail(b, -EINVAL);
		return;
	}
	puts_(b, "{\"@type\":");
	put_cstring(b, url);
	if (is_scalar_wkt(d)) {
		puts_(b, ",\"value\":");
		put_message(b, inner, depth + 1);
	} else {
		put_fields(b, inner, depth + 1, &first);
	}
	putch(b, '}');
	protobuf_c_message_free_unpacked(inner, NULL);
}

static void put_message(struct jbuf *b, const ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	bool first = true;

	if (depth > MAX_DEPTH || !d || d->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC) {
		fail(b, -EINVAL);
		return;
	}
	if (d == &google__protobuf__timestamp__descriptor) {
		put_timestamp(b, (const Google__Protobuf__Timestamp *)m);
	} else if (is_wrapper(d)) {
		put_value(b, &d->fields[0], (const char *)m + d->fields[0].offset, depth);
	} else if (d == &google__protobuf__field_mask__descriptor) {
		put_field_mask(b, (const Google__Protobuf__FieldMask *)m);
	} else if (d == &google__protobuf__any__descriptor) {
		put_any(b, (const Google__Protobuf__Any *)m, depth);
	} else {
		putch(b, '{');
		put_fields(b, m, depth, &first);
		putch(b, '}');
	}
}

int vigil_protojson(const ProtobufCMessage *msg, char **out, size_t *len)
{
	struct jbuf b = { 0 };

	*out = NULL;
	if (len)
		*len = 0;
	if (!msg)
		return -EINVAL;
	put_message(&b, msg, 0);
	putch(&b, '\0');
	if (b.err) {
		free(b.p);
		return b.err;
	}
	*out = b.p;
	if (len)
		*len = b.len - 1;
	return 0;
}

int vigil_protojson_write(FILE *f, const ProtobufCMessage *msg)
{
	size_t len;
	char *s;
	int err = vigil_protojson(msg, &s, &len);

	if (err)
		return err;
	s[len] = '\n';
	if (fwrite(s, 1, len + 1, f) != len + 1)
		err = -EIO;
	free(s);
	return err;
}
