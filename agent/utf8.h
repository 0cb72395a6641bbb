/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8.h - UTF-8 validation and repair for the strings vigild prints.
 *
 * Process names, paths and arguments come from the kernel as raw bytes.
 * Every line vigild writes must be valid UTF-8 (protojson readers reject
 * anything else), so untrusted text is decoded with the rules of the
 * Unicode standard (chapter 3, "U+FFFD substitution of maximal subparts"),
 * the same rules WHATWG decoders and Go's protojson apply:
 *   - overlong forms (C0 80, E0 80 80, ...), surrogates (ED A0 80 ..
 *     ED BF BF), code points above U+10FFFF, stray continuation bytes,
 *     C0, C1, F5..FF and sequences cut short are invalid;
 *   - each maximal subpart of an invalid sequence (the longest run that is
 *     the start of some valid sequence, or one byte) becomes one U+FFFD.
 */
#ifndef VIGIL_UTF8_H
#define VIGIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* *cp of vigil_utf8_decode() for an invalid sequence. */
#define VIGIL_UTF8_INVALID 0xffffffffU

/* U+FFFD REPLACEMENT CHARACTER, as UTF-8. */
#define VIGIL_UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * Decode the character at s[0..len), len > 0.  Returns the number of bytes
 * it takes and sets *cp to its code point.  For an invalid sequence *cp is
 * VIGIL_UTF8_INVALID and the return is the length of its maximal subpart
 * (1 to 3 bytes).  A NUL byte is the valid character U+0000.
 */
size_t vigil_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Whether s[0..len) is well-formed UTF-8 (NUL bytes count as U+0000). */
bool vigil_utf8_valid(const char *s, size_t len);

/*
 * Copy in[0..len) to out as valid UTF-8, NUL-terminated: each maximal
 * subpart of an invalid sequence becomes U+FFFD.  A NUL byte in in ends the
 * string.  When out is too small the copy stops at a character boundary.
 * Returns the bytes written, without the NUL (0, and nothing written, when
 * outsz is 0).  out needs at most 3 * len + 1 bytes.
 */
size_t vigil_utf8_sanitize(const char *in, size_t len, char *out, size_t outsz);

/*
 * Length of s[0..len) without a character cut short at its very end, for
 * text the kernel cut at a byte limit: the cut character is dropped rather
 * than replaced.  Only the valid start of a sequence counts as cut; other
 * invalid bytes stay (vigil_utf8_sanitize() replaces them later).
 */
size_t vigil_utf8_trim_partial(const char *s, size_t len);

/* malloc'd sanitized copy of the string s ("" for NULL), or NULL with errno
 * ENOMEM. */
char *vigil_utf8_strdup(const char *s);

#endif
