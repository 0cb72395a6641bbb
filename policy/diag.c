// SPDX-License-Identifier: Apache-2.0
/*
 * diag.c - diagnostics: collect, escape, format, sort.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Decode one UTF-8 character of s[0..len) (len >= 1).  Returns its length
 * and sets *cp, or 0 when the bytes are not a valid, shortest-form
 * character (surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* C1 controls, bidirectional and invisible format characters: shown as
 * \u{XXXX}, as vigild's compact output does. */
static int is_hidden_char(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

int vigil_text_is_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(u + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || cp == 0x7f || is_hidden_char(cp))
			return 0;
		i += n;
	}
	return 1;
}

/* A growing output buffer that never overflows: escape() writes at most
 * 'room' bytes and reports how much of the input it consumed. */
struct obuf {
	char *p;
	size_t len;
	size_t cap; /* excluding the NUL */
};

static int oput(struct obuf *o, const char *s, size_t n)
{
	if (o->len + n > o->cap)
		return -ENOSPC;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	return 0;
}

/* Escape s[0..len) into o, stopping before a character that does not fit or
 * once 'limit' input bytes are consumed.  quotes: also escape '"' and '\'.
 * Returns the number of input bytes consumed. */
static size_t escape(struct obuf *o, const char *s, size_t len, size_t limit, int quotes)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;
	char tmp[16];
	int tn, bad;

	while (i < len) {
		n = utf8_decode(u + i, len - i, &cp);
		bad = n == 0;
		if (bad)
			n = 1; /* an invalid byte, escaped alone */
		if (i + n > limit)
			break;
		if (bad || cp < 0x20 || cp == 0x7f) {
			if (u[i] == '\n')
				tn = snprintf(tmp, sizeof(tmp), "\\n");
			else if (u[i] == '\t')
				tn = snprintf(tmp, sizeof(tmp), "\\t");
			else if (u[i] == '\r')
				tn = snprintf(tmp, sizeof(tmp), "\\r");
			else
				tn = snprintf(tmp, sizeof(tmp), "\\x%02x", u[i]);
		} else if (quotes && (cp == '"' || cp == '\\')) {
			tn = snprintf(tmp, sizeof(tmp), "\\%c", u[i]);
		} else if (is_hidden_char(cp)) {
			tn = snprintf(tmp, sizeof(tmp), "\\u{%04x}", (unsigned)cp);
		} else {
			if (oput(o, s + i, n))
				break;
			i += n;
			continue;
		}
		if (oput(o, tmp, (size_t)tn))
			break;
		i += n;
	}
	return i;
}

const char *vigil_quote(const char *s, size_t len, char *buf, size_t bufsz)
{
	struct obuf o = { buf, 0, 0 };
	size_t used;

	if (bufsz == 0)
		return buf;
	if (bufsz < 3) {
		buf[0] = '\0';
		return buf;
	}
	o.cap = bufsz - 1;
	if (!s)
		len = 0;
	oput(&o, "\"", 1);
	/* keep room for the closing quote and "..." */
	o.cap = bufsz - 1 - 4;
	used = escape(&o, s, len, VIGIL_QUOTE_MAX, 1);
	o.cap = bufsz - 1;
	oput(&o, "\"", 1);
	if (used < len)
		oput(&o, "...", 3);
	buf[o.len] = '\0';
	return buf;
}

const char *vigil_quote_str(const char *s, char *buf, size_t bufsz)
{
	return vigil_quote(s, s ? strlen(s) : 0, buf, bufsz);
}

char *vigil_escape_dup(const char *s)
{
	struct obuf o;
	size_t len;

	if (!s)
		s = "";
	len = strlen(s);
	if (len > (SIZE_MAX - 1) / 8)
		return NULL;
	o.cap = len * 8; /* \u{xxxx} for 2 bytes is the worst ratio: 4 per byte */
	o.len = 0;
	o.p = malloc(o.cap + 1);
	if (!o.p)
		return NULL;
	escape(&o, s, len, len, 0);
	o.p[o.len] = '\0';
	return o.p;
}

void vigil_diag_add(struct vigil_diags *ds, enum vigil_severity sev, const char *file,
		    struct vigil_pos pos, const char *path, const char *fmt, ...)
{
	struct vigil_diag *d, *nd;
	char *raw = NULL;
	va_list ap;
	int rc;

	if (sev == VIGIL_DIAG_ERROR)
		ds->nerrors++;
	/* the array doubles when n reaches a power of two */
	if ((ds->n & (ds->n - 1)) == 0) {
		nd = realloc(ds->d, (ds->n ? ds->n * 2 : 1) * sizeof(*ds->d));
		if (!nd)
			return;
		ds->d = nd;
	}
	d = &ds->d[ds->n];
	memset(d, 0, sizeof(*d));

	va_start(ap, fmt);
	rc = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return;
	d->msg = vigil_escape_dup(raw);
	free(raw);
	d->file = file ? vigil_escape_dup(file) : NULL;
	d->path = path ? vigil_escape_dup(path) : NULL;
	if (!d->msg || (file && !d->file) || (path && !d->path)) {
		free(d->msg);
		free(d->file);
		free(d->path);
		return;
	}
	d->sev = sev;
	d->pos = pos;
	ds->n++;
}

int vigil_diag_format(const struct vigil_diag *d, char *out, size_t outsz)
{
	char where[64] = "";
	const char *file = d->file ? d->file : "";
	const char *path = d->path ? d->path : "";

	if (d->pos.line)
		snprintf(where, sizeof(where), "%u:%u:", d->pos.line, d->pos.col);
	return snprintf(out, outsz, "%s:%s %s%s%s%s", file, where,
			d->sev == VIGIL_DIAG_WARNING ? "warning: " : "", path, *path ? ": " : "",
			d->msg ? d->msg : "");
}

static int pos_before(const struct vigil_pos *a, const struct vigil_pos *b)
{
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

void vigil_diags_sort(struct vigil_diags *ds, size_t from)
{
	struct vigil_diag *a, *tmp, *src, *dst, *t;
	size_t n, width, lo, mid, hi, i, j, k;

	if (from >= ds->n || ds->n - from < 2)
		return;
	a = ds->d + from;
	n = ds->n - from;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return; /* unsorted but complete */
	/* bottom-up merge sort: stable, O(n log n) whatever the order */
	src = a;
	dst = tmp;
	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			i = lo;
			j = mid;
			k = lo;
			while (i < mid && j < hi)
				dst[k++] =
					pos_before(&src[j].pos, &src[i].pos) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
}

void vigil_diags_free(struct vigil_diags *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++) {
		free(ds->d[i].file);
		free(ds->d[i].path);
		free(ds->d[i].msg);
	}
	free(ds->d);
	ds->d = NULL;
	ds->n = 0;
	ds->nerrors = 0;
}
