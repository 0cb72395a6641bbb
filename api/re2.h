/* SPDX-License-Identifier: Apache-2.0 */
/*
 * re2.h - regular expressions in the syntax and meaning of Go's regexp
 * package (RE2), which is what Tetragon's filters take, matched by PCRE2.
 *
 * A pattern is checked against RE2's grammar and rewritten where PCRE2
 * reads the same text differently, so that a filter selects in vigil what
 * it selects in Tetragon:
 *   - refused, as Go refuses them: back-references (\1), lookaround
 *     ((?=, (?!, (?<=, (?<!), atomic groups, possessive quantifiers (a*+),
 *     recursion, conditionals, callouts and verbs ((?R), (?(, (?C, (*...),
 *     comments, flags other than i, m, s and U, escapes RE2 does not have
 *     (\Z, \G, \K, \R, \X, \h, \N, \g, \k, \e, \c, ...), repeat counts
 *     above 1000;
 *   - rewritten: \v is the vertical tab (PCRE2: any vertical space), and
 *     \012-style octal escapes are characters (PCRE2 may read them as
 *     back-references);
 *   - compiled with PCRE2_UTF (the pattern must be UTF-8, '.' is one
 *     character) and PCRE2_DOLLAR_ENDONLY ('$' without (?m) is the end of
 *     the text, not also before a final newline);
 *   - a subject that is not valid UTF-8 is read as Go reads it: each
 *     stray byte is U+FFFD.
 * Matching is a search anywhere in the subject, as Go's MatchString.
 *
 * RE2 matches in linear time; a backtracking engine need not.  A match
 * that exceeds PCRE2's step limit is decided again by PCRE2's DFA matcher,
 * which does not backtrack, so a hostile pattern costs bounded time and
 * still gets the right answer.
 *
 * A compiled expression keeps its match data: one thread at a time.
 */
#ifndef VIGIL_RE2_H
#define VIGIL_RE2_H

#include <stdbool.h>
#include <stddef.h>

struct vigil_re;

/* Compile pattern.  0; -EINVAL with the reason in err (it quotes the
 * pattern); -ENOMEM. */
int vigil_re_compile(const char *pattern, struct vigil_re **out, char *err, size_t errsz);

/* Whether s (NULL is "") holds a match. */
bool vigil_re_match(struct vigil_re *re, const char *s);

void vigil_re_free(struct vigil_re *re);

#endif
