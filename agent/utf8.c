// SPDX-License-Identifier: Apache-2.0
/*
 * utf8.c - UTF-8 decoding by the rules of the Unicode standard (table 3-7,
 * "well-formed UTF-8 byte sequences"), replacement of maximal subparts with
 * U+FFFD, and trimming of characters cut at a byte limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum decoded {
	DEC_OK,	   /* a whole, valid character */
	DEC_BAD,   /* an invalid sequence (its maximal subpart) */
	DEC_SHORT, /* the valid start of a sequence, cut by the end of input */
};

/*
 * The length of the sequence a byte starts (0 if it cannot start one) and
 * the range its second byte must be in.  The narrowed ranges exclude
 * overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF
 * (F4); C0, C1 and F5..FF start nothing valid.
 */
static size_t lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0) {
		if (c == 0xe0)
			*lo = 0xa0;
		else if (c == 0xed)
			*hi = 0x9f;
		return 3;
	}
	if (c < 0xf5) {
		if (c == 0xf0)
			*lo = 0x90;
		else if (c == 0xf4)
			*hi = 0x8f;
		return 4;
	}
	return 0;
}

/* Decode one character of s[0..len), len > 0: *n is how many bytes it
 * takes, or the length of the maximal subpart when it is not valid. */
static enum decoded decode(const unsigned char *s, size_t len, uint32_t *cp, size_t *n)
{
	unsigned char lo, hi;
	size_t need = lead(s[0], &lo, &hi), i;
	uint32_t v;

	*cp = VIGIL_UTF8_INVALID;
	*n = 1;
	if (need == 0)
		return DEC_BAD;
	if (need == 1) {
		*cp = s[0];
		return DEC_OK;
	}
	v = s[0] & (0x7fU >> need);
	for (i = 1; i < need; i++) {
		if (i == len) {
			*n = i;
			return DEC_SHORT;
		}
		if (s[i] < lo || s[i] > hi) {
			*n = i;
			return DEC_BAD;
		}
		v = v << 6 | (s[i] & 0x3fU);
		lo = 0x80;
		hi = 0xbf;
	}
	*n = need;
	*cp = v;
	return DEC_OK;
}

size_t vigil_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	size_t n;

	if (!len) {
		*cp = VIGIL_UTF8_INVALID;
		return 0;
	}
	decode((const unsigned char *)s, len, cp, &n);
	return n;
}

bool vigil_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (decode(u + i, len - i, &cp, &n) != DEC_OK)
			return false;
		i += n;
	}
	return true;
}

/* The sanitized text of in[0..len): written to out (if not NULL) as far as
 * it fits whole in outsz with a NUL; returns the bytes written, or with out
 * NULL the length of the whole text. */
static size_t sanitize(const unsigned char *in, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	while (i < len && in[i]) {
		const void *src = in + i;
		size_t n, w;
		uint32_t cp;

		if (decode(in + i, len - i, &cp, &n) == DEC_OK) {
			w = n;
		} else {
			src = VIGIL_UTF8_REPLACEMENT;
			w = sizeof(VIGIL_UTF8_REPLACEMENT) - 1;
		}
		if (out) {
			if (o + w >= outsz)
				break;
			memcpy(out + o, src, w);
		}
		o += w;
		i += n;
	}
	if (out && outsz)
		out[o] = '\0';
	return o;
}

size_t vigil_utf8_sanitize(const char *in, size_t len, char *out, size_t outsz)
{
	if (!in)
		len = 0;
	return sanitize((const unsigned char *)in, len, out, outsz);
}

size_t vigil_utf8_trim_partial(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k, n;
	uint32_t cp;

	/* The last byte that is not a continuation byte, if it is one of the
	 * last three, is where a cut character would start. */
	for (k = 1; k <= 3 && k <= len; k++) {
		if (u[len - k] >= 0x80 && u[len - k] < 0xc0)
			continue;
		if (decode(u + len - k, k, &cp, &n) == DEC_SHORT)
			return len - k;
		break;
	}
	return len;
}

char *vigil_utf8_strdup(const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)u), n = sanitize(u, len, NULL, 0);
	char *out = malloc(n + 1);

	if (!out) {
		errno = ENOMEM;
		return NULL;
	}
	sanitize(u, len, out, n + 1);
	return out;
}
