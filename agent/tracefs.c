// SPDX-License-Identifier: Apache-2.0
/*
 * tracefs.c - tracepoint format files: parse the field list (pure, fuzzed)
 * and read it from the host's tracefs, bounded.
 *
 * A field line is "field:DECL;" followed by "key:value;" pairs, of which
 * offset and size are required and signed is taken when present (other
 * keys are left for kernels to come).  DECL is a C declaration: the name
 * is its last identifier, with an array's "[N]" moved to the type, so
 * "char comm[16]" is comm of type "char[16]".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "readfile.h"
#include "tracefs.h"

struct slice {
	const char *s;
	size_t n;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static struct slice trim(struct slice x)
{
	while (x.n && is_blank(x.s[0])) {
		x.s++;
		x.n--;
	}
	while (x.n && is_blank(x.s[x.n - 1]))
		x.n--;
	return x;
}

static bool starts_with(struct slice x, const char *lit)
{
	size_t n = strlen(lit);

	return x.n >= n && memcmp(x.s, lit, n) == 0;
}

/* The next line of [*p, end) without its newline; false at the end. */
static bool next_line(const char **p, const char *end, struct slice *line)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	line->s = *p;
	line->n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

/* A decimal number of at most 65535 (a record is smaller than a page). */
static int parse_num(struct slice v, unsigned *out)
{
	unsigned n = 0;
	size_t i;

	v = trim(v);
	if (!v.n)
		return -EINVAL;
	for (i = 0; i < v.n; i++) {
		if (v.s[i] < '0' || v.s[i] > '9')
			return -EINVAL;
		n = n * 10 + (unsigned)(v.s[i] - '0');
		if (n > 0xffff)
			return -EINVAL;
	}
	*out = n;
	return 0;
}

/* Append x to out (of outsz, used *len), runs of blanks as one space. */
static int append_squeezed(char *out, size_t outsz, size_t *len, struct slice x)
{
	size_t i;

	for (i = 0; i < x.n; i++) {
		char c = is_blank(x.s[i]) ? ' ' : x.s[i];

		if (c == ' ' && (*len == 0 || out[*len - 1] == ' '))
			continue;
		if (*len + 1 >= outsz)
			return -EINVAL;
		out[(*len)++] = c;
	}
	out[*len] = '\0';
	return 0;
}

/* Drop "__attribute__((...))" from a type (clang-built kernels annotate
 * user pointers so: "const char * __attribute__((btf_type_tag("user")))"),
 * then blanks left doubled or at the end. */
static void strip_attributes(char *type)
{
	char *a, *p, *w;
	int depth;

	while ((a = strstr(type, "__attribute__"))) {
		p = a + 13;
		while (*p == ' ')
			p++;
		for (depth = 0; *p && (*p == '(' || depth > 0); p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
		}
		memmove(a, p, strlen(p) + 1);
	}
	for (p = w = type; *p; p++)
		if (*p != ' ' || (w > type && w[-1] != ' '))
			*w++ = *p;
	while (w > type && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* DECL: "TYPE NAME" or "TYPE NAME[N]". */
static int parse_decl(struct slice d, struct vigil_tp_field *f)
{
	struct slice type, suffix = { NULL, 0 }, name;
	size_t end, start, len = 0;

	d = trim(d);
	end = d.n;
	if (end && d.s[end - 1] == ']') {
		const char *open = NULL;
		size_t i;

		for (i = end; i > 0; i--)
			if (d.s[i - 1] == '[') {
				open = d.s + i - 1;
				break;
			}
		if (!open)
			return -EINVAL;
		suffix = (struct slice){ open, (size_t)(d.s + end - open) };
		end = (size_t)(open - d.s);
		while (end && is_blank(d.s[end - 1]))
			end--;
	}
	start = end;
	while (start > 0 && is_ident(d.s[start - 1]))
		start--;
	name = (struct slice){ d.s + start, end - start };
	type = trim((struct slice){ d.s, start });
	if (!name.n || (name.s[0] >= '0' && name.s[0] <= '9') || !type.n ||
	    name.n >= sizeof(f->name))
		return -EINVAL;
	memcpy(f->name, name.s, name.n);
	f->name[name.n] = '\0';
	if (append_squeezed(f->type, sizeof(f->type), &len, type) ||
	    append_squeezed(f->type, sizeof(f->type), &len, suffix))
		return -EINVAL;
	strip_attributes(f->type);
	if (!f->type[0])
		return -EINVAL;
	f->data_loc = strncmp(f->type, "__data_loc ", 11) == 0;
	return 0;
}

/* "\tfield:DECL;\toffset:N;\tsize:N;\tsigned:N;" */
static int parse_field(struct slice line, struct vigil_tp_field *f)
{
	const char *end, *p, *semi;
	bool has_off = false, has_size = false;
	struct slice seg, key, val;
	const char *colon;
	int ret;

	memset(f, 0, sizeof(*f));
	line = trim(line);
	if (!starts_with(line, "field:"))
		return -EINVAL;
	p = line.s + 6;
	end = line.s + line.n;
	semi = memchr(p, ';', (size_t)(end - p));
	if (!semi)
		return -EINVAL;
	ret = parse_decl((struct slice){ p, (size_t)(semi - p) }, f);
	if (ret)
		return ret;
	for (p = semi + 1; p < end; p = semi + 1) {
		semi = memchr(p, ';', (size_t)(end - p));
		seg = trim((struct slice){ p, semi ? (size_t)(semi - p) : (size_t)(end - p) });
		if (!semi)
			semi = end;
		if (!seg.n)
			continue;
		colon = memchr(seg.s, ':', seg.n);
		if (!colon)
			return -EINVAL;
		key = trim((struct slice){ seg.s, (size_t)(colon - seg.s) });
		val = (struct slice){ colon + 1, (size_t)(seg.s + seg.n - colon - 1) };
		if (key.n == 6 && !memcmp(key.s, "offset", 6)) {
			ret = parse_num(val, &f->offset);
			has_off = true;
		} else if (key.n == 4 && !memcmp(key.s, "size", 4)) {
			ret = parse_num(val, &f->size);
			has_size = true;
		} else if (key.n == 6 && !memcmp(key.s, "signed", 6)) {
			unsigned sg = 0;

			ret = parse_num(val, &sg);
			if (!ret && sg > 1)
				ret = -EINVAL;
			f->is_signed = sg == 1;
		}
		if (ret)
			return ret;
	}
	return has_off && has_size ? 0 : -EINVAL;
}

int vigil_tp_format_parse(const char *text, size_t len, struct vigil_tp_format *out)
{
	const char *p = text, *end = text + len;
	bool in_fields = false;
	struct slice line, t;
	size_t i;
	int ret;

	out->nfields = 0;
	if (!text || !len || memchr(text, '\0', len))
		return -EINVAL;
	while (next_line(&p, end, &line)) {
		t = trim(line);
		if (!in_fields) {
			in_fields = t.n == 7 && !memcmp(t.s, "format:", 7);
			continue;
		}
		if (!t.n)
			continue; /* the blank line after the common fields */
		if (starts_with(t, "print fmt:"))
			break;
		if (out->nfields == VIGIL_TP_FIELDS_MAX)
			return -E2BIG;
		ret = parse_field(t, &out->fields[out->nfields]);
		if (ret)
			return ret;
		out->nfields++;
	}
	if (!in_fields)
		return -EINVAL;
	for (i = 0; i < out->nfields; i++)
		out->fields[i].nfields = (unsigned)out->nfields;
	return 0;
}

/* A plain directory entry name: not empty, ".", ".." and without '/'. */
static bool plain_name(const char *s)
{
	size_t n = strlen(s);

	return n && n < 256 && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/');
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int vigil_tp_format_read(const char *events_dir, const char *subsys, const char *event,
			 struct vigil_tp_format *out)
{
	static const char *const host[] = { "/sys/kernel/tracing/events",
					    "/sys/kernel/debug/tracing/events" };
	const char *const *dirs = events_dir ? &events_dir : host;
	size_t ndirs = events_dir ? 1 : sizeof(host) / sizeof(host[0]), i;
	char path[1024], *text = NULL;
	size_t len = 0;
	int ret = -ENODEV;

	if (!plain_name(subsys) || !plain_name(event))
		return -ENOENT;
	for (i = 0; i < ndirs; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/format", dirs[i], subsys, event);
		ret = vigil_read_file(path, VIGIL_TP_FORMAT_MAX, false, &text, &len);
		if (ret != -ENOENT && ret != -ENOTDIR)
			break;
		if (is_dir(dirs[i])) {
			ret = -ENOENT; /* tracefs is here; the event is not */
			break;
		}
		ret = -ENODEV;
	}
	if (ret == -ENOTDIR)
		ret = -ENOENT;
	if (ret)
		return ret;
	ret = vigil_tp_format_parse(text, len, out);
	free(text);
	return ret;
}

int vigil_tracefs_field(void *ctx, const char *subsys, const char *event, unsigned index,
			struct vigil_tp_field *out)
{
	struct vigil_tp_format *fmt = malloc(sizeof(*fmt));
	int ret;

	if (!fmt)
		return -ENOMEM;
	ret = vigil_tp_format_read(ctx, subsys, event, fmt);
	if (!ret && index >= fmt->nfields) {
		memset(out, 0, sizeof(*out));
		out->nfields = (unsigned)fmt->nfields;
		ret = -ERANGE;
	} else if (!ret) {
		*out = fmt->fields[index];
	}
	free(fmt);
	return ret;
}
