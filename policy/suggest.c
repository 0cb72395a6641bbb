// SPDX-License-Identifier: Apache-2.0
/*
 * suggest.c - edit distance and "did you mean" candidates.
 */
#include <string.h>

#include "suggest.h"

#define LEN_MAX 255

static int ieq(const char *a, const char *b)
{
	unsigned char x, y;

	for (;; a++, b++) {
		x = (unsigned char)*a;
		y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
}

unsigned vigil_edit_distance(const char *a, const char *b, unsigned max)
{
	unsigned row[LEN_MAX + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned diag, up, best, v;

	if (la > LEN_MAX || lb > LEN_MAX)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = (unsigned)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			up = row[j];
			v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

void vigil_suggest_init(struct vigil_suggester *sg, const char *want)
{
	sg->want = want;
	sg->best = NULL;
	sg->best_score = VIGIL_SUGGEST_MAX_DIST + 2;
}

void vigil_suggest_offer(struct vigil_suggester *sg, const char *cand)
{
	unsigned d, score;

	if (!cand || !sg->want || strcmp(cand, sg->want) == 0)
		return;
	if (ieq(cand, sg->want)) {
		score = 0;
	} else {
		d = vigil_edit_distance(sg->want, cand, VIGIL_SUGGEST_MAX_DIST);
		if (d > VIGIL_SUGGEST_MAX_DIST || d >= strlen(cand))
			return;
		score = 1 + d;
	}
	if (score < sg->best_score) {
		sg->best_score = score;
		sg->best = cand;
	}
}

const char *vigil_suggest(const char *want, const char *const *cands, size_t n)
{
	struct vigil_suggester sg;
	size_t i;

	vigil_suggest_init(&sg, want);
	for (i = 0; i < n; i++)
		vigil_suggest_offer(&sg, cands[i]);
	return sg.best;
}
