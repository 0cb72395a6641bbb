/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suggest.h - "did you mean" suggestions: the closest known name to a
 * misspelt one.  A candidate qualifies when it equals the name ignoring
 * ASCII case, or when its edit distance (Levenshtein) is at most 2 and
 * smaller than the candidate's length.  The first best candidate wins.
 */
#ifndef VIGIL_POLICY_SUGGEST_H
#define VIGIL_POLICY_SUGGEST_H

#include <stddef.h>

#define VIGIL_SUGGEST_MAX_DIST 2

/* Levenshtein distance of a and b, or max + 1 when it is larger than max
 * (the computation stops early).  Strings longer than 255 bytes are never
 * within reach: max + 1. */
unsigned vigil_edit_distance(const char *a, const char *b, unsigned max);

/* A running search over candidates offered one at a time (for lists that
 * are enumerated, such as BTF function names).  best points at the offered
 * string: it must outlive the search. */
struct vigil_suggester {
	const char *want;
	const char *best;
	unsigned best_score; /* 0: same but for case; else 1 + distance */
};

void vigil_suggest_init(struct vigil_suggester *sg, const char *want);
void vigil_suggest_offer(struct vigil_suggester *sg, const char *cand);

/* The closest of cands[0..n) to want, or NULL. */
const char *vigil_suggest(const char *want, const char *const *cands, size_t n);

#endif
