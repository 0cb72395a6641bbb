// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/utf8.c: decoding, validation, replacement of maximal
 * subparts with U+FFFD, cutting at character boundaries, trimming of a
 * character cut by a byte limit, and the sanitized strdup.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

/* sanitize in[0..len) into a roomy buffer; out and return value must match. */
static void expect_sanitize(const char *in, size_t len, const char *want)
{
	char out[256];
	size_t n;

	memset(out, 'x', sizeof(out));
	n = vigil_utf8_sanitize(in, len, out, sizeof(out));
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	assert_true(vigil_utf8_valid(out, n));
}

/* A literal, without the literal's own final NUL. */
#define SAN(lit, want) expect_sanitize((lit), sizeof(lit) - 1, (want))
#define VALID(lit)     vigil_utf8_valid((lit), sizeof(lit) - 1)
#define TRIM(lit)      vigil_utf8_trim_partial((lit), sizeof(lit) - 1)

static void expect_decode(const char *s, size_t len, size_t want_n, uint32_t want_cp)
{
	uint32_t cp = 0;

	assert_int_equal(vigil_utf8_decode(s, len, &cp), want_n);
	assert_int_equal(cp, want_cp);
}

/* --- valid text ----------------------------------------------------------- */

static void test_valid_characters_of_1_to_4_bytes_pass_unchanged(void **state)
{
	static const char *const valid[] = {
		"plain ascii",
		"caf\xc3\xa9",		    /* é, 2 bytes */
		"\xe6\x97\xa5\xe6\x9c\xac", /* 日本, 3 bytes each */
		"\xf0\x9f\x9a\x80",	    /* 🚀, 4 bytes */
		"\x7f",			    /* U+007F */
		"\xc2\x80",		    /* U+0080, the smallest 2-byte form */
		"\xdf\xbf",		    /* U+07FF */
		"\xe0\xa0\x80",		    /* U+0800, the smallest 3-byte form */
		"\xed\x9f\xbf",		    /* U+D7FF, just below the surrogates */
		"\xee\x80\x80",		    /* U+E000, just above them */
		"\xef\xbf\xbf",		    /* U+FFFF */
		"\xf0\x90\x80\x80",	    /* U+10000, the smallest 4-byte form */
		"\xf4\x8f\xbf\xbf",	    /* U+10FFFF, the largest code point */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		expect_sanitize(valid[i], strlen(valid[i]), valid[i]);
		assert_true(vigil_utf8_valid(valid[i], strlen(valid[i])));
	}
	assert_true(vigil_utf8_valid("", 0));
}

static void test_decode_code_points_and_lengths(void **state)
{
	(void)state;
	expect_decode("A", 1, 1, 0x41);
	expect_decode("\xc3\xa9z", 3, 2, 0xe9);
	expect_decode("\xc2\x9b", 2, 2, 0x9b);
	expect_decode("\xe2\x80\xae", 3, 3, 0x202e);
	expect_decode("\xef\xbb\xbf", 3, 3, 0xfeff);
	expect_decode("\xf0\x9f\x9a\x80", 4, 4, 0x1f680);
	expect_decode("\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff);
	/* Invalid: the length of the maximal subpart. */
	expect_decode("\xff", 1, 1, VIGIL_UTF8_INVALID);
	expect_decode("\x9b", 1, 1, VIGIL_UTF8_INVALID);
	expect_decode("\xe2\x82x", 3, 2, VIGIL_UTF8_INVALID);
	expect_decode("\xf0\x9f\x98x", 4, 3, VIGIL_UTF8_INVALID);
	expect_decode("\xf0\x9f\x98", 3, 3, VIGIL_UTF8_INVALID);
	expect_decode("\xe0\x80\x80", 3, 1, VIGIL_UTF8_INVALID);
	/* The length limits the decode: the same bytes, one fewer. */
	expect_decode("\xc3\xa9", 1, 1, VIGIL_UTF8_INVALID);
}

/* --- invalid bytes -------------------------------------------------------- */

static void test_bytes_that_never_start_a_character_are_replaced(void **state)
{
	(void)state;
	SAN("\xff", FFFD);
	SAN("a\xff"
	    "b",
	    "a" FFFD "b");
	SAN("\xfe\xf5", FFFD FFFD);
	/* C0 and C1 could only start overlong 2-byte forms. */
	SAN("\xc0", FFFD);
	SAN("\xc1\xbf", FFFD FFFD);
	assert_false(VALID("\xff"));
	assert_false(VALID("a\xf5"));
}

static void test_lone_continuation_bytes_are_replaced_one_each(void **state)
{
	(void)state;
	SAN("\x80", FFFD);
	SAN("a\x9b"
	    "b",
	    "a" FFFD "b");
	SAN("\xbf\x80", FFFD FFFD);
	/* A stray continuation after a whole character. */
	SAN("\xc3\xa9\xa9", "\xc3\xa9" FFFD);
	assert_false(VALID("\x80"));
	assert_false(VALID("\xc3\xa9\xa9"));
}

static void test_overlong_forms_are_replaced(void **state)
{
	(void)state;
	/* NUL as C0 80 and as E0 80 80; '/' as F0 80 80 AF. */
	SAN("\xc0\x80", FFFD FFFD);
	SAN("\xe0\x80\x80", FFFD FFFD FFFD);
	SAN("\xe0\x9f\xbf", FFFD FFFD FFFD);
	SAN("\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD);
	SAN("\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD);
	assert_false(VALID("\xc0\x80"));
	assert_false(VALID("\xe0\x80\x80"));
	assert_false(VALID("\xf0\x8f\xbf\xbf"));
}

static void test_surrogates_are_replaced(void **state)
{
	(void)state;
	SAN("\xed\xa0\x80", FFFD FFFD FFFD); /* U+D800 */
	SAN("\xed\xbf\xbf", FFFD FFFD FFFD); /* U+DFFF */
	/* A CESU-8 pair for U+1F600. */
	SAN("\xed\xa0\xbd\xed\xb8\x80", FFFD FFFD FFFD FFFD FFFD FFFD);
	assert_false(VALID("\xed\xa0\x80"));
	assert_true(VALID("\xed\x9f\xbf"));
}

static void test_code_points_above_10ffff_are_replaced(void **state)
{
	(void)state;
	SAN("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* U+110000 */
	SAN("\xf7\xbf\xbf\xbf", FFFD FFFD FFFD FFFD);
	assert_false(VALID("\xf4\x90\x80\x80"));
}

static void test_truncated_sequences_are_replaced(void **state)
{
	(void)state;
	/* Mid-string: the next byte is not a continuation. */
	SAN("\xc3x", FFFD "x");
	SAN("\xe2\x82x", FFFD "x");
	SAN("a\xe2\x82\xe2\x82\xac", "a" FFFD "\xe2\x82\xac");
	SAN("\xf0\x9f\x98 ok", FFFD " ok");
	/* At the end of the input. */
	SAN("a\xc3", "a" FFFD);
	SAN("a\xe2\x82", "a" FFFD);
	SAN("a\xf0\x9f\x98", "a" FFFD);
	/* len ends the input even where the bytes go on. */
	expect_sanitize("a\xc3\xa9", 2, "a" FFFD);
	assert_false(VALID("a\xe2\x82"));
	assert_false(vigil_utf8_valid("\xc3\xa9", 1));
}

static void test_one_replacement_per_maximal_subpart(void **state)
{
	(void)state;
	/* The three bytes of a cut 4-byte sequence are one subpart. */
	SAN("\xf0\x9f\x98x", FFFD "x");
	SAN("\xf0\x9f\xf0\x9f\x98\x80", FFFD "\xf0\x9f\x98\x80");
	/* The example of the Unicode standard, chapter 3 (U+FFFD substitution
	 * of maximal subparts). */
	SAN("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
	    "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
	/* E0 80: 80 cannot follow E0, so E0 alone is the subpart. */
	SAN("\xe0\x80z", FFFD FFFD "z");
}

static void test_nul_ends_the_string(void **state)
{
	char out[16];

	(void)state;
	SAN("ab\0cd", "ab");
	SAN("\0x", "");
	/* A NUL after a lead byte ends a truncated sequence. */
	SAN("a\xe2\0\x82\xac", "a" FFFD);
	assert_int_equal(vigil_utf8_sanitize(NULL, 4, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* vigil_utf8_valid sees NUL as U+0000. */
	assert_true(VALID("a\0b"));
}

/* --- small output buffers ------------------------------------------------- */

static void expect_cut(const char *in, size_t outsz, const char *want)
{
	char out[32];

	assert_true(outsz <= sizeof(out));
	memset(out, 'x', sizeof(out));
	assert_int_equal(vigil_utf8_sanitize(in, strlen(in), out, outsz), strlen(want));
	assert_string_equal(out, want);
	/* Nothing past the terminating NUL is touched. */
	assert_int_equal(out[strlen(want) + 1], 'x');
}

static void test_small_output_is_cut_at_a_character_boundary(void **state)
{
	char out[4] = "xyz";

	(void)state;
	expect_cut("a\xc3\xa9", 4, "a\xc3\xa9");
	expect_cut("a\xc3\xa9", 3, "a");
	expect_cut("a\xc3\xa9"
		   "b",
		   4, "a\xc3\xa9");
	expect_cut("\xf0\x9f\x9a\x80", 5, "\xf0\x9f\x9a\x80");
	expect_cut("\xf0\x9f\x9a\x80", 4, "");
	expect_cut("ab\xe6\x97\xa5", 5, "ab");
	/* A replacement character is not split either. */
	expect_cut("a\xff", 5, "a" FFFD);
	expect_cut("a\xff", 4, "a");
	expect_cut("abc", 1, "");
	/* No room even for the NUL: nothing is written. */
	assert_int_equal(vigil_utf8_sanitize("abc", 3, out, 0), 0);
	assert_memory_equal(out, "xyz", 4);
}

/* --- trim_partial --------------------------------------------------------- */

static void test_trim_partial_drops_a_character_cut_by_a_byte_limit(void **state)
{
	char buf[4000];
	size_t i;

	(void)state;
	/* 2000 "é" (4000 bytes) cut by a 1023-byte limit: 511 whole
	 * characters and the first byte of the 512th. */
	for (i = 0; i < sizeof(buf); i += 2)
		memcpy(buf + i, "\xc3\xa9", 2);
	assert_int_equal(vigil_utf8_trim_partial(buf, 1023), 1022);
	assert_int_equal(vigil_utf8_trim_partial(buf, 1022), 1022);
	/* Cuts after 1, 2 and 3 bytes of a longer character. */
	assert_int_equal(TRIM("a\xe2\x82"), 1);
	assert_int_equal(TRIM("a\xe2"), 1);
	assert_int_equal(TRIM("a\xf0\x9f\x98"), 1);
	assert_int_equal(TRIM("a\xf0\x9f"), 1);
	assert_int_equal(TRIM("a\xf0"), 1);
	assert_int_equal(TRIM("\xc3"), 0);
}

static void test_trim_partial_keeps_whole_characters(void **state)
{
	(void)state;
	assert_int_equal(TRIM(""), 0);
	assert_int_equal(TRIM("abc"), 3);
	assert_int_equal(TRIM("a\xc3\xa9"), 3);
	assert_int_equal(TRIM("a\xe2\x82\xac"), 4);
	assert_int_equal(TRIM("\xf0\x9f\x9a\x80"), 4);
}

static void test_trim_partial_leaves_invalid_bytes_alone(void **state)
{
	(void)state;
	assert_int_equal(TRIM("\xff"), 1);
	assert_int_equal(TRIM("a\xff"), 2);
	assert_int_equal(TRIM("a\xf5"), 2);
	assert_int_equal(TRIM("a\xc0"), 2);
	/* Starts of sequences that can never be valid. */
	assert_int_equal(TRIM("a\xe0\x80"), 3); /* overlong */
	assert_int_equal(TRIM("a\xed\xa0"), 3); /* surrogate */
	assert_int_equal(TRIM("a\xf4\x90"), 3); /* above U+10FFFF */
	/* Stray continuation bytes. */
	assert_int_equal(TRIM("\x80"), 1);
	assert_int_equal(TRIM("\x80\x80\x80"), 3);
	assert_int_equal(TRIM("\xc3\xa9\xa9"), 3);
	assert_int_equal(TRIM("\xf0\x9f\x98\x80\x80"), 5);
}

/* --- strdup --------------------------------------------------------------- */

static void test_strdup_sanitizes(void **state)
{
	char *s;

	(void)state;
	s = vigil_utf8_strdup("caf\xc3\xa9 \xe6\x97\xa5");
	assert_non_null(s);
	assert_string_equal(s, "caf\xc3\xa9 \xe6\x97\xa5");
	free(s);
	s = vigil_utf8_strdup("a\xff"
			      "b\xf0\x9f\x98");
	assert_non_null(s);
	assert_string_equal(s, "a" FFFD "b" FFFD);
	free(s);
	s = vigil_utf8_strdup(NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	s = vigil_utf8_strdup("");
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_strdup_worst_case_is_three_bytes_per_byte(void **state)
{
	char in[1001], want[3001];
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		in[i] = (char)0x80;
		memcpy(want + 3 * i, FFFD, 3);
	}
	in[1000] = '\0';
	want[3000] = '\0';
	s = vigil_utf8_strdup(in);
	assert_non_null(s);
	assert_int_equal(strlen(s), 3000);
	assert_string_equal(s, want);
	free(s);
}

int main(void)
{
	const struct CMUnitTest utf8[] = {
		cmocka_unit_test(test_valid_characters_of_1_to_4_bytes_pass_unchanged),
		cmocka_unit_test(test_decode_code_points_and_lengths),
		cmocka_unit_test(test_bytes_that_never_start_a_character_are_replaced),
		cmocka_unit_test(test_lone_continuation_bytes_are_replaced_one_each),
		cmocka_unit_test(test_overlong_forms_are_replaced),
		cmocka_unit_test(test_surrogates_are_replaced),
		cmocka_unit_test(test_code_points_above_10ffff_are_replaced),
		cmocka_unit_test(test_truncated_sequences_are_replaced),
		cmocka_unit_test(test_one_replacement_per_maximal_subpart),
		cmocka_unit_test(test_nul_ends_the_string),
		cmocka_unit_test(test_small_output_is_cut_at_a_character_boundary),
		cmocka_unit_test(test_trim_partial_drops_a_character_cut_by_a_byte_limit),
		cmocka_unit_test(test_trim_partial_keeps_whole_characters),
		cmocka_unit_test(test_trim_partial_leaves_invalid_bytes_alone),
		cmocka_unit_test(test_strdup_sanitizes),
		cmocka_unit_test(test_strdup_worst_case_is_three_bytes_per_byte),
	};

	return cmocka_run_group_tests_name("utf8", utf8, NULL, NULL);
}
