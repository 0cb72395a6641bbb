// SPDX-License-Identifier: Apache-2.0
/*
 * re2.c - Go (RE2) regular expressions on PCRE2 (re2.h): the pattern is
 * checked against RE2's grammar while it is copied into PCRE2's, then
 * compiled (and JIT-compiled where the platform has a JIT).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "diag.h"
#include "re2.h"
#include "utf8.h"

/* Steps of the backtracking matcher before the DFA matcher decides. */
#define MATCH_LIMIT 100000
/* Go's largest repeat count ({n,m}). */
#define MAX_REPEAT 1000
/* Workspace of the DFA matcher, in ints: first try, largest try. */
#define DFA_WS_SMALL 1024
#define DFA_WS_LARGE (1024 * 1024)

struct vigil_re {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

/* The translation of one pattern. */
struct tr {
	const char *p;
	size_t i, len;
	char *out;
	size_t olen;
	const char *why; /* the first refusal */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_word(char c)
{
	return is_alnum(c) || c == '_';
}

/* out has room for every emit: see vigil_re_compile(). */
static void emit(struct tr *t, const char *s, size_t n)
{
	memcpy(t->out + t->olen, s, n);
	t->olen += n;
}

static void emits(struct tr *t, const char *s)
{
	emit(t, s, strlen(s));
}

static int refuse(struct tr *t, const char *why)
{
	if (!t->why)
		t->why = why;
	return -EINVAL;
}

static char peek(const struct tr *t, size_t ahead)
{
	return t->i + ahead < t->len ? t->p[t->i + ahead] : '\0';
}

/* \x7F or \x{10FFFF}: copied as it is. */
static int hex_escape(struct tr *t)
{
	size_t start = t->i - 1, n;

	t->i++; /* 'x' */
	if (peek(t, 0) == '{') {
		for (n = 1; is_hex(peek(t, n)); n++)
			;
		if (n == 1 || peek(t, n) != '}' || n > 7)
			return refuse(t, "invalid \\x{...} escape");
		t->i += n + 1;
	} else {
		if (!is_hex(peek(t, 0)) || !is_hex(peek(t, 1)))
			return refuse(t, "invalid \\x escape (two hex digits or \\x{...})");
		t->i += 2;
	}
	emit(t, t->p + start, t->i - start);
	return 0;
}

/* \pL, \p{Greek}, \p{^Greek}, \PL: copied as they are. */
static int property_escape(struct tr *t)
{
	size_t start = t->i - 1, n;

	t->i++; /* 'p' or 'P' */
	if (peek(t, 0) == '{') {
		for (n = 1; peek(t, n) && peek(t, n) != '}'; n++)
			;
		if (peek(t, n) != '}' || n == 1)
			return refuse(t, "invalid \\p{...} escape");
		t->i += n + 1;
	} else {
		if (!is_alnum(peek(t, 0)))
			return refuse(t, "invalid \\p escape");
		t->i++;
	}
	emit(t, t->p + start, t->i - start);
	return 0;
}

/* One escape, t->i at the backslash. */
static int escape(struct tr *t, bool in_class)
{
	char c, buf[16];
	unsigned int v;
	size_t n;

	t->i++;
	if (t->i >= t->len)
		return refuse(t, "trailing backslash");
	c = t->p[t->i];
	/* Octal: \0, \0N, \0NN, and \NN, \NNN from 1-7 (a lone \1 to \9 is a
	 * back-reference, which RE2 does not have). */
	if (c == '0' || (c >= '1' && c <= '7' && is_octal(peek(t, 1)))) {
		for (v = 0, n = 0; n < 3 && is_octal(peek(t, 0)); n++, t->i++)
			v = v * 8 + (unsigned int)(peek(t, 0) - '0');
		snprintf(buf, sizeof(buf), "\\x{%x}", v);
		emits(t, buf);
		return 0;
	}
	if (is_digit(c))
		return refuse(t, "back-references (\\1) are not RE2 syntax");
	switch (c) {
	case 'v': /* the vertical tab, not PCRE2's vertical space */
		t->i++;
		emits(t, "\\x{0b}");
		return 0;
	case 's': /* Go's \s: no vertical tab */
		t->i++;
		emits(t, in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
		return 0;
	case 'S':
		t->i++;
		emits(t, in_class ? "\\S" : "[^\\t\\n\\f\\r ]");
		return 0;
	case 'x':
		return hex_escape(t);
	case 'p':
	case 'P':
		return property_escape(t);
	case 'a':
	case 'f':
	case 'n':
	case 'r':
	case 't':
	case 'd':
	case 'D':
	case 'w':
	case 'W':
		break;
	case 'A':
	case 'b':
	case 'B':
	case 'z':
		if (in_class)
			return refuse(t, "invalid escape in a character class");
		break;
	case 'Q':
		if (in_class)
			return refuse(t, "invalid escape in a character class");
		/* literal text up to \E or the end, copied whole */
		for (n = t->i + 1; n < t->len; n++)
			if (t->p[n] == '\\' && n + 1 < t->len && t->p[n + 1] == 'E')
				break;
		emits(t, "\\Q");
		emit(t, t->p + t->i + 1, n - t->i - 1);
		emits(t, "\\E");
		t->i = n < t->len ? n + 2 : t->len;
		return 0;
	case 'C':
		return refuse(t, "\\C is not supported by RE2");
	default:
		if ((unsigned char)c >= 0x80 || is_alnum(c))
			return refuse(t, "invalid escape sequence (not RE2 syntax)");
		break; /* punctuation stands for itself */
	}
	buf[0] = '\\';
	buf[1] = c;
	emit(t, buf, 2);
	t->i++;
	return 0;
}

/* A character class, t->i at '['. */
static int char_class(struct tr *t)
{
	size_t n;
	bool first = true;

	emits(t, "[");
	t->i++;
	if (peek(t, 0) == '^') {
		emits(t, "^");
		t->i++;
	}
	while (t->i < t->len) {
		char c = t->p[t->i];

		if (c == ']' && !first)
			break;
		first = false;
		if (c == '\\') {
			if (escape(t, true))
				return -EINVAL;
			continue;
		}
		if (c == '[' && peek(t, 1) == ':') { /* [:alpha:], [:^alpha:] */
			for (n = 2; peek(t, n) && !(peek(t, n) == ':' && peek(t, n + 1) == ']');
			     n++)
				;
			if (peek(t, n)) {
				emit(t, t->p + t->i, n + 2);
				t->i += n + 2;
				continue;
			}
		}
		if (c == '[' || c == ']') { /* a literal: PCRE2 reads "[." and "[=" */
			emits(t, c == '[' ? "\\[" : "\\]");
			t->i++;
			continue;
		}
		emit(t, &c, 1);
		t->i++;
	}
	if (t->i >= t->len)
		return refuse(t, "missing closing ]");
	emits(t, "]");
	t->i++;
	return 0;
}

/* A group's opening, t->i at '('. */
static int group(struct tr *t)
{
	size_t n;

	if (peek(t, 1) == '*')
		return refuse(t, "(*...) verbs are not RE2 syntax");
	if (peek(t, 1) != '?') {
		emits(t, "(");
		t->i++;
		return 0;
	}
	/* (?P<name>, (?<name> */
	n = peek(t, 2) == 'P' ? 3 : 2;
	if (peek(t, n) == '<' && is_word(peek(t, n + 1))) {
		for (n++; is_word(peek(t, n)); n++)
			;
		if (peek(t, n) != '>')
			return refuse(t, "invalid named group");
		emit(t, t->p + t->i, n + 1);
		t->i += n + 1;
		return 0;
	}
	/* (?flags), (?flags:re), (?:re) with flags from i, m, s, U */
	for (n = 2; peek(t, n) == 'i' || peek(t, n) == 'm' || peek(t, n) == 's' ||
		    peek(t, n) == 'U' || peek(t, n) == '-';
	     n++)
		;
	if (peek(t, n) == ')' || peek(t, n) == ':') {
		emit(t, t->p + t->i, n + 1);
		t->i += n + 1;
		return 0;
	}
	switch (peek(t, 2)) {
	case '=':
	case '!':
		return refuse(t, "lookahead is not RE2 syntax");
	case '<':
		return refuse(t, "lookbehind is not RE2 syntax");
	case '>':
		return refuse(t, "atomic groups are not RE2 syntax");
	case '#':
		return refuse(t, "comments are not RE2 syntax");
	default:
		return refuse(t, "this (?...) group is not RE2 syntax (flags are i, m, s, U)");
	}
}

/* {n}, {n,}, {n,m}: its length from t->i, or 0 when the brace is a
 * literal (as in Go); the counts must be at most MAX_REPEAT. */
static size_t repeat_len(struct tr *t)
{
	unsigned long lo = 0, hi = 0;
	bool has_hi = false;
	size_t n = 1;

	if (!is_digit(peek(t, n)))
		return 0;
	for (; is_digit(peek(t, n)); n++)
		lo = lo > MAX_REPEAT ? lo : lo * 10 + (unsigned long)(peek(t, n) - '0');
	if (peek(t, n) == ',') {
		n++;
		if (is_digit(peek(t, n))) {
			has_hi = true;
			for (; is_digit(peek(t, n)); n++)
				hi = hi > MAX_REPEAT ? hi
						     : hi * 10 + (unsigned long)(peek(t, n) - '0');
		}
	} else {
		has_hi = true;
		hi = lo;
	}
	if (peek(t, n) != '}')
		return 0;
	if (lo > MAX_REPEAT || (has_hi && (hi > MAX_REPEAT || hi < lo))) {
		refuse(t, "invalid repeat count (at most 1000, min <= max)");
		return 0;
	}
	return n + 1;
}

/* After a quantifier: an optional lazy '?', and no possessive '+'. */
static int after_quantifier(struct tr *t)
{
	if (peek(t, 0) == '?') {
		emits(t, "?");
		t->i++;
	}
	if (peek(t, 0) == '+' || peek(t, 0) == '*' || (peek(t, 0) == '?'))
		return refuse(t, "possessive or nested quantifiers are not RE2 syntax");
	return 0;
}

static int translate(struct tr *t)
{
	size_t n;

	while (t->i < t->len) {
		char c = t->p[t->i];

		switch (c) {
		case '\\':
			if (escape(t, false))
				return -EINVAL;
			break;
		case '[':
			if (char_class(t))
				return -EINVAL;
			break;
		case '(':
			if (group(t))
				return -EINVAL;
			break;
		case '*':
		case '+':
		case '?':
			emit(t, &c, 1);
			t->i++;
			if (after_quantifier(t))
				return -EINVAL;
			break;
		case '{':
			n = repeat_len(t);
			if (t->why)
				return -EINVAL;
			if (!n) {
				emits(t, "\\{");
				t->i++;
				break;
			}
			emit(t, t->p + t->i, n);
			t->i += n;
			if (after_quantifier(t))
				return -EINVAL;
			break;
		default:
			emit(t, &c, 1);
			t->i++;
			break;
		}
	}
	return 0;
}

int vigil_re_compile(const char *pattern, struct vigil_re **out, char *err, size_t errsz)
{
	struct tr t = { .p = pattern, .len = strlen(pattern) };
	char q[VIGIL_QUOTE_BUFSZ], msg[256];
	pcre2_compile_context *cctx = NULL;
	struct vigil_re *re = NULL;
	PCRE2_SIZE erroff;
	int ret = -ENOMEM, code;

	*out = NULL;
	/* Each byte becomes at most 12 ("\s" is "[\t\n\f\r ]"); + NUL. */
	if (t.len > (SIZE_MAX - 1) / 12)
		return -ENOMEM;
	t.out = malloc(t.len * 12 + 1);
	re = calloc(1, sizeof(*re));
	if (!t.out || !re)
		goto cleanup;
	if (translate(&t)) {
		snprintf(err, errsz, "invalid regex %s: %s", vigil_quote_str(pattern, q, sizeof(q)),
			 t.why);
		err[vigil_utf8_trim_partial(err, strlen(err))] = '\0';
		ret = -EINVAL;
		goto cleanup;
	}
	/* Go's line end is \n alone, whatever PCRE2's build default */
	cctx = pcre2_compile_context_create(NULL);
	if (!cctx)
		goto cleanup;
	pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
	re->code = pcre2_compile((PCRE2_SPTR)t.out, t.olen, PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &code,
				 &erroff, cctx);
	if (!re->code) {
		if (code == PCRE2_ERROR_HEAPLIMIT || code == PCRE2_ERROR_NOMEMORY)
			goto cleanup;
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof(msg));
		snprintf(err, errsz, "invalid regex %s: %s", vigil_quote_str(pattern, q, sizeof(q)),
			 msg);
		err[vigil_utf8_trim_partial(err, strlen(err))] = '\0';
		ret = -EINVAL;
		goto cleanup;
	}
	pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* the interpreter otherwise */
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx)
		goto cleanup;
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	*out = re;
	re = NULL;
	ret = 0;
cleanup:
	pcre2_compile_context_free(cctx);
	vigil_re_free(re);
	free(t.out);
	return ret;
}

/* The answer of the DFA matcher, which does not backtrack. */
static bool dfa_match(struct vigil_re *re, const char *s, size_t len)
{
	int small[DFA_WS_SMALL], *ws = small, rc;
	size_t wscount = DFA_WS_SMALL;

	for (;;) {
		rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, NULL, ws, wscount);
		if (rc != PCRE2_ERROR_DFA_WSSIZE || wscount >= DFA_WS_LARGE)
			break;
		if (ws != small)
			free(ws);
		wscount = DFA_WS_LARGE;
		ws = malloc(wscount * sizeof(*ws));
		if (!ws)
			return false;
	}
	if (ws != small)
		free(ws);
	return rc >= 0;
}

/* s with each byte that is not part of valid UTF-8 as U+FFFD, as Go's
 * regexp reads it; malloc'd, or NULL. */
static char *as_go_reads(const char *s, size_t len, size_t *outlen)
{
	char *out = malloc(3 * len + 1);
	size_t i, n, k = 0;
	uint32_t cp;

	if (!out)
		return NULL;
	for (i = 0; i < len; i += n) {
		n = vigil_utf8_decode(s + i, len - i, &cp);
		if (cp == VIGIL_UTF8_INVALID) {
			n = 1;
			memcpy(out + k, VIGIL_UTF8_REPLACEMENT, 3);
			k += 3;
		} else {
			memcpy(out + k, s + i, n);
			k += n;
		}
	}
	out[k] = '\0';
	*outlen = k;
	return out;
}

bool vigil_re_match(struct vigil_re *re, const char *s)
{
	char *fixed = NULL;
	size_t len;
	bool m;
	int rc;

	if (!s)
		s = "";
	len = strlen(s);
	if (!vigil_utf8_valid(s, len)) {
		fixed = as_go_reads(s, len, &len);
		if (!fixed)
			return false;
		s = fixed;
	}
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, re->md, re->mctx);
	m = rc >= 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		m = dfa_match(re, s, len);
	free(fixed);
	return m;
}

void vigil_re_free(struct vigil_re *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mctx);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}
