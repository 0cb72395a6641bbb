// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the policy library's leaves: the value parsers
 * (policy/values.c), diagnostics formatting and quoting (policy/diag.c),
 * "did you mean" suggestions (policy/suggest.c) and the name tables
 * (policy/names.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "diag.h"
#include "names.h"
#include "suggest.h"
#include "values.h"

/* --- integers ------------------------------------------------------------- */

static void expect_int(const char *s, enum vigil_arg_type t, int want_rc, int64_t want_s,
		       uint64_t want_u)
{
	int64_t sv = 12345;
	uint64_t uv = 12345;
	int rc = vigil_parse_int(s, t, &sv, &uv);

	if (rc != want_rc)
		fail_msg("vigil_parse_int(\"%s\", %d) = %d, want %d", s, t, rc, want_rc);
	if (rc == 0) {
		assert_int_equal(sv, want_s);
		assert_int_equal(uv, want_u);
	} else {
		assert_int_equal(sv, 12345); /* untouched on failure */
		assert_int_equal(uv, 12345);
	}
}

static void test_int_syntax_is_go_base_0(void **state)
{
	(void)state;
	expect_int("0", VIGIL_ARG_S32, 0, 0, 0);
	expect_int("42", VIGIL_ARG_S32, 0, 42, 42);
	expect_int("+42", VIGIL_ARG_S32, 0, 42, 42);
	expect_int("-42", VIGIL_ARG_S32, 0, -42, (uint64_t)-42);
	expect_int("0x1F", VIGIL_ARG_S32, 0, 31, 31);
	expect_int("0X1f", VIGIL_ARG_U32, 0, 31, 31);
	expect_int("0o17", VIGIL_ARG_S32, 0, 15, 15);
	expect_int("017", VIGIL_ARG_S32, 0, 15, 15); /* a leading 0 is octal, as in Go */
	expect_int("0b101", VIGIL_ARG_S32, 0, 5, 5);
	expect_int("1_000_000", VIGIL_ARG_S32, 0, 1000000, 1000000);
	expect_int("0x_ff", VIGIL_ARG_S32, 0, 255, 255);
	expect_int("-0", VIGIL_ARG_U8, 0, 0, 0);
	expect_int("", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("-", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("0x", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("08", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("0b2", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("1__0", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("_1", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("1_", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int(" 1", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("1 ", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("1.0", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("1e3", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int("--1", VIGIL_ARG_S32, -EINVAL, 0, 0);
	expect_int(NULL, VIGIL_ARG_S32, -EINVAL, 0, 0);
	/* not an integer type */
	expect_int("1", VIGIL_ARG_STRING, -EINVAL, 0, 0);
	expect_int("1", VIGIL_ARG_CAPABILITY, -EINVAL, 0, 0);
}

static void test_int_ranges_by_width_and_sign(void **state)
{
	(void)state;
	expect_int("127", VIGIL_ARG_S8, 0, 127, 127);
	expect_int("-128", VIGIL_ARG_S8, 0, -128, (uint64_t)-128);
	expect_int("128", VIGIL_ARG_S8, -ERANGE, 0, 0);
	expect_int("-129", VIGIL_ARG_S8, -ERANGE, 0, 0);
	expect_int("255", VIGIL_ARG_U8, 0, 255, 255);
	expect_int("256", VIGIL_ARG_U8, -ERANGE, 0, 0);
	expect_int("-1", VIGIL_ARG_U8, -ERANGE, 0, 0);
	expect_int("32767", VIGIL_ARG_S16, 0, 32767, 32767);
	expect_int("-32769", VIGIL_ARG_S16, -ERANGE, 0, 0);
	expect_int("65535", VIGIL_ARG_U16, 0, 65535, 65535);
	expect_int("65536", VIGIL_ARG_U16, -ERANGE, 0, 0);
	expect_int("2147483647", VIGIL_ARG_S32, 0, INT32_MAX, INT32_MAX);
	expect_int("-2147483648", VIGIL_ARG_S32, 0, INT32_MIN, (uint64_t)(int64_t)INT32_MIN);
	expect_int("2147483648", VIGIL_ARG_S32, -ERANGE, 0, 0);
	expect_int("4294967295", VIGIL_ARG_U32, 0, UINT32_MAX, UINT32_MAX);
	expect_int("4294967296", VIGIL_ARG_U32, -ERANGE, 0, 0);
	expect_int("9223372036854775807", VIGIL_ARG_S64, 0, INT64_MAX, INT64_MAX);
	expect_int("-9223372036854775808", VIGIL_ARG_S64, 0, INT64_MIN, (uint64_t)INT64_MIN);
	expect_int("9223372036854775808", VIGIL_ARG_S64, -ERANGE, 0, 0);
	expect_int("-9223372036854775809", VIGIL_ARG_S64, -ERANGE, 0, 0);
	expect_int("18446744073709551615", VIGIL_ARG_U64, 0, -1, UINT64_MAX);
	expect_int("0xffffffffffffffff", VIGIL_ARG_U64, 0, -1, UINT64_MAX);
	expect_int("18446744073709551616", VIGIL_ARG_U64, -ERANGE, 0, 0);
	expect_int("99999999999999999999999", VIGIL_ARG_U64, -ERANGE, 0, 0);
}

static void test_type_predicates(void **state)
{
	(void)state;
	assert_true(vigil_arg_type_is_int(VIGIL_ARG_S8));
	assert_true(vigil_arg_type_is_int(VIGIL_ARG_U64));
	assert_false(vigil_arg_type_is_int(VIGIL_ARG_STRING));
	assert_false(vigil_arg_type_is_int(VIGIL_ARG_NONE));
	assert_true(vigil_arg_type_is_signed(VIGIL_ARG_S64));
	assert_false(vigil_arg_type_is_signed(VIGIL_ARG_U8));
	assert_int_equal(vigil_arg_type_bits(VIGIL_ARG_U16), 16);
	assert_int_equal(vigil_arg_type_bits(VIGIL_ARG_S32), 32);
	assert_int_equal(vigil_arg_type_bits(VIGIL_ARG_FILE), 0);
}

static void test_ranges(void **state)
{
	struct vigil_range r;

	(void)state;
	assert_int_equal(vigil_parse_range("1:5", VIGIL_ARG_U32, false, &r), 0);
	assert_int_equal(r.ulo, 1);
	assert_int_equal(r.uhi, 5);
	assert_int_equal(vigil_parse_range("-5:-1", VIGIL_ARG_S32, false, &r), 0);
	assert_int_equal(r.slo, -5);
	assert_int_equal(r.shi, -1);
	assert_int_equal(vigil_parse_range("7:7", VIGIL_ARG_U8, false, &r), 0);
	assert_int_equal(vigil_parse_range("0x10:0x20", VIGIL_ARG_U64, false, &r), 0);
	assert_int_equal(r.uhi, 32);
	assert_int_equal(vigil_parse_range("7", VIGIL_ARG_U8, true, &r), 0);
	assert_int_equal(r.ulo, 7);
	assert_int_equal(r.uhi, 7);
	assert_int_equal(vigil_parse_range("7", VIGIL_ARG_U8, false, &r), -EINVAL);
	assert_int_equal(vigil_parse_range("5:1", VIGIL_ARG_U32, false, &r), -EDOM);
	assert_int_equal(vigil_parse_range("-1:-5", VIGIL_ARG_S32, false, &r), -EDOM);
	/* signed comparison for signed types, unsigned for unsigned ones */
	assert_int_equal(vigil_parse_range("-1:1", VIGIL_ARG_S64, false, &r), 0);
	assert_int_equal(vigil_parse_range("-1:1", VIGIL_ARG_U64, false, &r), -ERANGE);
	assert_int_equal(vigil_parse_range("0:256", VIGIL_ARG_U8, false, &r), -ERANGE);
	assert_int_equal(vigil_parse_range("1:2:3", VIGIL_ARG_U32, false, &r), -EINVAL);
	assert_int_equal(vigil_parse_range(":2", VIGIL_ARG_U32, false, &r), -EINVAL);
	assert_int_equal(vigil_parse_range("1:", VIGIL_ARG_U32, false, &r), -EINVAL);
	assert_int_equal(vigil_parse_range("1:2", VIGIL_ARG_STRING, false, &r), -EINVAL);
}

static void test_u32(void **state)
{
	uint32_t v = 0;

	(void)state;
	assert_int_equal(vigil_parse_u32("4294967295", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(vigil_parse_u32("4294967296", &v), -ERANGE);
	assert_int_equal(vigil_parse_u32("-1", &v), -ERANGE);
	assert_int_equal(vigil_parse_u32("pid", &v), -EINVAL);
}

/* --- addresses, ports, protocols, families ------------------------------- */

static void expect_cidr(const char *s, int want_rc, int fam, unsigned prefix, const char *hex)
{
	uint8_t addr[16], want[16] = { 0 };
	unsigned p = 999;
	int f = -1, rc, i;

	memset(addr, 0xaa, sizeof(addr));
	rc = vigil_parse_cidr(s, addr, &p, &f);
	if (rc != want_rc)
		fail_msg("vigil_parse_cidr(\"%s\") = %d, want %d", s, rc, want_rc);
	if (rc)
		return;
	assert_int_equal(f, fam);
	assert_int_equal(p, prefix);
	for (i = 0; hex && hex[2 * i]; i++)
		sscanf(hex + 2 * i, "%2hhx", &want[i]);
	assert_memory_equal(addr, want, 16);
}

static void test_cidrs(void **state)
{
	(void)state;
	expect_cidr("10.0.0.0/8", 0, AF_INET, 8, "0a000000");
	expect_cidr("192.168.1.20", 0, AF_INET, 32, "c0a80114");
	expect_cidr("0.0.0.0/0", 0, AF_INET, 0, "");
	expect_cidr("255.255.255.255/32", 0, AF_INET, 32, "ffffffff");
	expect_cidr("10.1.2.3/8", 0, AF_INET, 8, "0a010203"); /* host bits kept */
	expect_cidr("::1", 0, AF_INET6, 128, "00000000000000000000000000000001");
	expect_cidr("fd00::/8", 0, AF_INET6, 8, "fd");
	expect_cidr("2001:db8::1/64", 0, AF_INET6, 64, "20010db8000000000000000000000001");
	expect_cidr("::ffff:10.0.0.1", 0, AF_INET6, 128, "00000000000000000000ffff0a000001");
	expect_cidr("10.0.0.256", -EINVAL, 0, 0, NULL);
	expect_cidr("10.0.0", -EINVAL, 0, 0, NULL);
	expect_cidr("10.0.0.0.0", -EINVAL, 0, 0, NULL);
	expect_cidr("010.0.0.1", -EINVAL, 0, 0, NULL);
	expect_cidr("10.0.0.1/", -EINVAL, 0, 0, NULL);
	expect_cidr("10.0.0.1/08", -EINVAL, 0, 0, NULL);
	expect_cidr("10.0.0.1/-1", -EINVAL, 0, 0, NULL);
	expect_cidr("10.0.0.1/33", -ERANGE, 0, 0, NULL);
	expect_cidr("::/129", -ERANGE, 0, 0, NULL);
	expect_cidr("fe80::1%eth0", -EINVAL, 0, 0, NULL);
	expect_cidr(":::", -EINVAL, 0, 0, NULL);
	expect_cidr("", -EINVAL, 0, 0, NULL);
	expect_cidr("/8", -EINVAL, 0, 0, NULL);
	expect_cidr("localhost", -EINVAL, 0, 0, NULL);
	expect_cidr(" 10.0.0.1", -EINVAL, 0, 0, NULL);
}

static void test_ports_protocols_families(void **state)
{
	uint16_t lo = 1, hi = 1;

	(void)state;
	assert_int_equal(vigil_parse_port("0", &lo, &hi), 0);
	assert_int_equal(lo + hi, 0);
	assert_int_equal(vigil_parse_port("65535", &lo, &hi), 0);
	assert_int_equal(hi, 65535);
	assert_int_equal(vigil_parse_port("1024:2047", &lo, &hi), 0);
	assert_int_equal(lo, 1024);
	assert_int_equal(hi, 2047);
	assert_int_equal(vigil_parse_port("65536", &lo, &hi), -ERANGE);
	assert_int_equal(vigil_parse_port("80:22", &lo, &hi), -EDOM);
	assert_int_equal(vigil_parse_port("http", &lo, &hi), -EINVAL);

	assert_int_equal(vigil_parse_protocol("IPPROTO_TCP", &lo, &hi), 0);
	assert_int_equal(lo, 6);
	assert_int_equal(vigil_parse_protocol("IPPROTO_UDP", &lo, &hi), 0);
	assert_int_equal(lo, 17);
	assert_int_equal(vigil_parse_protocol("IPPROTO_MPTCP", &lo, &hi), 0);
	assert_int_equal(lo, 262);
	assert_int_equal(vigil_parse_protocol("132", &lo, &hi), 0);
	assert_int_equal(hi, 132);
	assert_int_equal(vigil_parse_protocol("6:17", &lo, &hi), 0);
	assert_int_equal(vigil_parse_protocol("ipproto_tcp", &lo, &hi), -EINVAL);
	assert_int_equal(vigil_parse_protocol("TCP", &lo, &hi), -EINVAL);

	assert_int_equal(vigil_parse_family("AF_INET", &lo, &hi), 0);
	assert_int_equal(lo, 2);
	assert_int_equal(vigil_parse_family("AF_INET6", &lo, &hi), 0);
	assert_int_equal(lo, 10);
	assert_int_equal(vigil_parse_family("AF_UNIX", &lo, &hi), 0);
	assert_int_equal(lo, 1);
	assert_int_equal(vigil_parse_family("AF_XDP", &lo, &hi), 0);
	assert_int_equal(lo, 44);
	assert_int_equal(vigil_parse_family("AF_DECnet", &lo, &hi), 0);
	assert_int_equal(vigil_parse_family("17", &lo, &hi), 0);
	assert_int_equal(lo, 17);
	assert_int_equal(vigil_parse_family("AF_LOCAL", &lo, &hi), -EINVAL);
	assert_int_equal(vigil_parse_family(NULL, &lo, &hi), -EINVAL);
}

/* --- capabilities, namespaces, errno, signals, durations ------------------ */

static void test_capabilities(void **state)
{
	unsigned c;

	(void)state;
	assert_int_equal(vigil_parse_cap("CAP_CHOWN"), 0);
	assert_int_equal(vigil_parse_cap("CAP_SYS_ADMIN"), 21);
	assert_int_equal(vigil_parse_cap("cap_sys_admin"), 21);
	assert_int_equal(vigil_parse_cap(" CAP_NET_RAW\t"), 13);
	assert_int_equal(vigil_parse_cap("CAP_PERFMON"), 38);
	assert_int_equal(vigil_parse_cap("CAP_BPF"), 39);
	assert_int_equal(vigil_parse_cap("CAP_CHECKPOINT_RESTORE"), 40);
	assert_int_equal(vigil_parse_cap("0"), 0);
	assert_int_equal(vigil_parse_cap("40"), 40);
	assert_int_equal(vigil_parse_cap("41"), -EINVAL);
	assert_int_equal(vigil_parse_cap("021"), -EINVAL);
	assert_int_equal(vigil_parse_cap("SYS_ADMIN"), -EINVAL);
	assert_int_equal(vigil_parse_cap(""), -EINVAL);
	assert_int_equal(vigil_parse_cap(NULL), -EINVAL);
	/* all 41, named and numbered consistently */
	for (c = 0; c <= VIGIL_CAP_LAST; c++) {
		assert_non_null(vigil_cap_name(c));
		assert_int_equal(vigil_parse_cap(vigil_cap_name(c)), (int)c);
	}
	assert_null(vigil_cap_name(VIGIL_CAP_LAST + 1));
	assert_string_equal(vigil_cap_name(12), "CAP_NET_ADMIN");
	assert_string_equal(vigil_cap_name(31), "CAP_SETFCAP");
	assert_string_equal(vigil_cap_name(37), "CAP_AUDIT_READ");
}

static void test_namespace_values(void **state)
{
	uint32_t inum = 1;
	bool host = true;

	(void)state;
	assert_int_equal(vigil_parse_ns_value("host_ns", &inum, &host), 0);
	assert_true(host);
	assert_int_equal(inum, 0);
	assert_int_equal(vigil_parse_ns_value("4026531840", &inum, &host), 0);
	assert_false(host);
	assert_int_equal(inum, 4026531840U);
	assert_int_equal(vigil_parse_ns_value("4294967296", &inum, &host), -ERANGE);
	assert_int_equal(vigil_parse_ns_value("0x10", &inum, &host), -EINVAL);
	assert_int_equal(vigil_parse_ns_value("HOST_NS", &inum, &host), -EINVAL);
	assert_int_equal(vigil_parse_ns_value("", &inum, &host), -EINVAL);
}

static void test_errno_and_signals(void **state)
{
	int e = 0;

	(void)state;
	assert_true(vigil_errno_valid(-1));
	assert_true(vigil_errno_valid(-4095));
	assert_false(vigil_errno_valid(0));
	assert_false(vigil_errno_valid(1));
	assert_false(vigil_errno_valid(-4096));
	assert_int_equal(vigil_parse_errno("-13", &e), 0);
	assert_int_equal(e, -13);
	assert_int_equal(vigil_parse_errno("-0x1", &e), 0);
	assert_int_equal(e, -1);
	assert_int_equal(vigil_parse_errno("13", &e), -ERANGE);
	assert_int_equal(vigil_parse_errno("-4096", &e), -ERANGE);
	assert_int_equal(vigil_parse_errno("EPERM", &e), -EINVAL);
	assert_true(vigil_signal_valid(1));
	assert_true(vigil_signal_valid(64));
	assert_false(vigil_signal_valid(0));
	assert_false(vigil_signal_valid(65));
}

static void expect_duration(const char *s, int want_rc, uint64_t want_ns)
{
	uint64_t ns = 777;
	int rc = vigil_parse_duration(s, &ns);

	if (rc != want_rc)
		fail_msg("vigil_parse_duration(\"%s\") = %d, want %d", s, rc, want_rc);
	assert_int_equal(ns, rc ? 777 : want_ns);
}

static void test_durations(void **state)
{
	const uint64_t s = 1000000000ULL;

	(void)state;
	expect_duration("100", 0, 100 * s);
	expect_duration("30s", 0, 30 * s);
	expect_duration("30S", 0, 30 * s);
	expect_duration("5m", 0, 300 * s);
	expect_duration("5M", 0, 300 * s);
	expect_duration("1h", 0, 3600 * s);
	expect_duration("2H", 0, 7200 * s);
	expect_duration("0", 0, 0);
	/* capped as Tetragon caps it: 4294967295 ms */
	expect_duration("4294967295h", 0, 4294967295ULL * 1000000ULL);
	expect_duration("4294967295", 0, 4294967295ULL * 1000000ULL);
	expect_duration("4294967296", -ERANGE, 0);
	expect_duration("", -EINVAL, 0);
	expect_duration("m", -EINVAL, 0);
	expect_duration("5d", -EINVAL, 0);
	expect_duration("1.5h", -EINVAL, 0);
	expect_duration("-1s", -EINVAL, 0);
	expect_duration("5 m", -EINVAL, 0);
	expect_duration("0x10", -EINVAL, 0);
}

/* --- diagnostics ------------------------------------------------------------ */

static void expect_quote(const char *s, size_t len, const char *want)
{
	char buf[VIGIL_QUOTE_BUFSZ];

	assert_string_equal(vigil_quote(s, len, buf, sizeof(buf)), want);
	assert_true(vigil_text_is_clean(buf, strlen(buf)));
}

#define QUOTE(lit, want) expect_quote((lit), sizeof(lit) - 1, (want))

static void test_quote_escapes_what_a_terminal_would_run(void **state)
{
	(void)state;
	QUOTE("plain", "\"plain\"");
	QUOTE("", "\"\"");
	QUOTE("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
	QUOTE("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	QUOTE("\x1b[31mred", "\"\\x1b[31mred\"");
	QUOTE("nul\0x", "\"nul\\x00x\"");
	QUOTE("del\x7f", "\"del\\x7f\"");
	QUOTE("caf\xc3\xa9", "\"caf\xc3\xa9\"");	   /* valid UTF-8 stays */
	QUOTE("bad\xff\xfe", "\"bad\\xff\\xfe\"");	   /* invalid bytes */
	QUOTE("\xc3", "\"\\xc3\"");			   /* a cut character */
	QUOTE("\xc0\xaf", "\"\\xc0\\xaf\"");		   /* overlong */
	QUOTE("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");	   /* a surrogate */
	QUOTE("c1\xc2\x85", "\"c1\\u{0085}\"");		   /* C1 control */
	QUOTE("rlo\xe2\x80\xae", "\"rlo\\u{202e}\"");	   /* bidi override */
	QUOTE("zw\xe2\x80\x8b", "\"zw\\u{200b}\"");	   /* zero width space */
	QUOTE("bom\xef\xbb\xbf", "\"bom\\u{feff}\"");	   /* BOM */
	QUOTE("\xf0\x9f\x9a\x80", "\"\xf0\x9f\x9a\x80\""); /* 4-byte character */
	assert_string_equal(vigil_quote_str(NULL, (char[16]){ 0 }, 16), "\"\"");
}

static void test_quote_caps_long_values(void **state)
{
	char in[200], want[128], buf[VIGIL_QUOTE_BUFSZ];

	(void)state;
	memset(in, 'a', sizeof(in));
	/* exactly the cap: no "..." */
	snprintf(want, sizeof(want), "\"%.*s\"", VIGIL_QUOTE_MAX, in);
	expect_quote(in, VIGIL_QUOTE_MAX, want);
	/* longer: cut, then "..." */
	snprintf(want, sizeof(want), "\"%.*s\"...", VIGIL_QUOTE_MAX, in);
	expect_quote(in, sizeof(in), want);
	/* a multi-byte character is never cut: é at bytes 63-64 is left out */
	memset(in, 'b', sizeof(in));
	memcpy(in + VIGIL_QUOTE_MAX - 1, "\xc3\xa9", 2);
	snprintf(want, sizeof(want), "\"%.*s\"...", VIGIL_QUOTE_MAX - 1, in);
	expect_quote(in, sizeof(in), want);
	/* worst case: every byte escaped, still fits the buffer */
	memset(in, 0x01, sizeof(in));
	vigil_quote(in, sizeof(in), buf, sizeof(buf));
	assert_int_equal(strlen(buf), 1 + 4 * VIGIL_QUOTE_MAX + 1 + 3);
	/* a small buffer is never overrun */
	assert_string_equal(vigil_quote("abcdef", 6, buf, 5), "\"\""); /* no room: empty */
	assert_string_equal(vigil_quote("abcdef", 6, buf, 2), "");
}

static struct vigil_diag mkdiag(enum vigil_severity sev, const char *file, unsigned line,
				unsigned col, const char *path, const char *msg)
{
	struct vigil_diag d = { sev, (char *)file, { line, col }, (char *)path, (char *)msg };

	return d;
}

static void expect_format(struct vigil_diag d, const char *want)
{
	char out[512];
	int n = vigil_diag_format(&d, out, sizeof(out));

	assert_string_equal(out, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_format(void **state)
{
	char small[12];
	struct vigil_diag d;

	(void)state;
	expect_format(mkdiag(VIGIL_DIAG_ERROR, "p.yaml", 14, 11, "spec.kprobes[0].call", "bad"),
		      "p.yaml:14:11: spec.kprobes[0].call: bad");
	expect_format(mkdiag(VIGIL_DIAG_WARNING, "p.yaml", 3, 1, "spec", "odd"),
		      "p.yaml:3:1: warning: spec: odd");
	expect_format(mkdiag(VIGIL_DIAG_ERROR, "p.yaml", 0, 0, "spec", "whole"),
		      "p.yaml: spec: whole");
	expect_format(mkdiag(VIGIL_DIAG_ERROR, "p.yaml", 2, 5, "", "no path"),
		      "p.yaml:2:5: no path");
	expect_format(mkdiag(VIGIL_DIAG_ERROR, "p.yaml", 2, 5, NULL, "no path"),
		      "p.yaml:2:5: no path");
	expect_format(mkdiag(VIGIL_DIAG_WARNING, "p.yaml", 0, 0, NULL, "w"), "p.yaml: warning: w");
	/* cut to the buffer, full length returned */
	d = mkdiag(VIGIL_DIAG_ERROR, "p.yaml", 1, 1, "a", "a long message");
	assert_int_equal(vigil_diag_format(&d, small, sizeof(small)), 29);
	assert_string_equal(small, "p.yaml:1:1:");
}

static void test_diag_add_escapes_everything(void **state)
{
	struct vigil_diags ds = { 0 };
	char out[512];

	(void)state;
	vigil_diag_add(&ds, VIGIL_DIAG_ERROR, "evil\x1b]0;x\a.yaml", (struct vigil_pos){ 1, 2 },
		       "spec\n", "got %s", "\xe2\x80\xae\x9b");
	vigil_diag_add(&ds, VIGIL_DIAG_WARNING, "w.yaml", (struct vigil_pos){ 0, 0 }, NULL, "%d",
		       7);
	assert_int_equal(ds.n, 2);
	assert_int_equal(ds.nerrors, 1);
	vigil_diag_format(&ds.d[0], out, sizeof(out));
	assert_string_equal(out, "evil\\x1b]0;x\\x07.yaml:1:2: spec\\n: got \\u{202e}\\x9b");
	assert_true(vigil_text_is_clean(out, strlen(out)));
	vigil_diag_format(&ds.d[1], out, sizeof(out));
	assert_string_equal(out, "w.yaml: warning: 7");
	vigil_diags_free(&ds);
	assert_int_equal(ds.n, 0);
	assert_null(ds.d);
	vigil_diags_free(&ds); /* twice is fine */
}

static void test_sort_is_stable_by_position(void **state)
{
	static const unsigned pos[][2] = { { 9, 1 }, { 0, 0 }, { 3, 7 }, { 3, 2 },
					   { 9, 1 }, { 1, 1 }, { 3, 2 } };
	struct vigil_diags ds = { 0 };
	char out[64];
	size_t i;

	(void)state;
	vigil_diag_add(&ds, VIGIL_DIAG_ERROR, "f", (struct vigil_pos){ 5, 5 }, NULL, "before");
	for (i = 0; i < sizeof(pos) / sizeof(pos[0]); i++)
		vigil_diag_add(&ds, VIGIL_DIAG_ERROR, "f",
			       (struct vigil_pos){ pos[i][0], pos[i][1] }, NULL, "%zu", i);
	vigil_diags_sort(&ds, 1); /* leaves the first alone */
	{
		static const char *const want[] = { "f:5:5: before", "f: 1",	 "f:1:1: 5",
						    "f:3:2: 3",	     "f:3:2: 6", "f:3:7: 2",
						    "f:9:1: 0",	     "f:9:1: 4" };

		for (i = 0; i < ds.n; i++) {
			vigil_diag_format(&ds.d[i], out, sizeof(out));
			assert_string_equal(out, want[i]);
		}
	}
	vigil_diags_free(&ds);
}

static void test_text_is_clean(void **state)
{
	(void)state;
	assert_true(vigil_text_is_clean("ok: \"x\" caf\xc3\xa9", 13));
	assert_false(vigil_text_is_clean("tab\there", 8));
	assert_false(vigil_text_is_clean("\x7f", 1));
	assert_false(vigil_text_is_clean("\xc2\x85", 2));
	assert_false(vigil_text_is_clean("\xe2\x80\xae", 3));
	assert_false(vigil_text_is_clean("\xff", 1));
	assert_false(vigil_text_is_clean("a\0b", 3));
	assert_true(vigil_text_is_clean("", 0));
}

/* --- suggestions and names -------------------------------------------------- */

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(vigil_edit_distance("Equal", "Equal", 2), 0);
	assert_int_equal(vigil_edit_distance("Equals", "Equal", 2), 1);
	assert_int_equal(vigil_edit_distance("Eqaul", "Equal", 2), 2);
	assert_int_equal(vigil_edit_distance("", "ab", 2), 2);
	assert_int_equal(vigil_edit_distance("kitten", "sitting", 5), 3);
	assert_int_equal(vigil_edit_distance("kitten", "sitting", 2), 3); /* max + 1 */
	assert_int_equal(vigil_edit_distance("a", "abcdef", 2), 3);
}

static void test_suggest(void **state)
{
	static const char *const keys[] = { "call", "syscall", "args", "returnArg", "return" };

	(void)state;
	assert_string_equal(vigil_suggest("cal", keys, 5), "call");
	assert_string_equal(vigil_suggest("Args", keys, 5), "args");	       /* case only */
	assert_string_equal(vigil_suggest("returnarg", keys, 5), "returnArg"); /* case wins */
	assert_string_equal(vigil_suggest("retrun", keys, 5), "return");
	assert_null(vigil_suggest("function", keys, 5));
	assert_null(vigil_suggest("x", keys, 5));    /* not closer than the word itself */
	assert_null(vigil_suggest("call", keys, 5)); /* never itself */
	assert_null(vigil_suggest("", keys, 5));
}

static void test_names(void **state)
{
	int v = -1;

	(void)state;
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_OP, "GreaterThan", &v), 0);
	assert_int_equal(v, VIGIL_OP_GT);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_OP, "GT", &v), 0);
	assert_int_equal(v, VIGIL_OP_GT);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_OP, "LessThan", &v), 0);
	assert_int_equal(v, VIGIL_OP_LT);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_OP, "SubString", &v), -EOPNOTSUPP);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_OP, "Equals", &v), -ENOENT);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_OP, "equal", &v), -ENOENT);
	assert_string_equal(vigil_name_suggest(VIGIL_NAMES_OP, "equal"), "Equal");
	assert_null(vigil_name_suggest(VIGIL_NAMES_OP, "SubStrin")); /* unsupported: not offered */
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_ARG_TYPE, "size_t", &v), 0);
	assert_int_equal(v, VIGIL_ARG_U64);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_ARG_TYPE, "sint16", &v), 0);
	assert_int_equal(v, VIGIL_ARG_S16);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_ARG_TYPE, "int", &v), 0);
	assert_int_equal(v, VIGIL_ARG_S32);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_ARG_TYPE, "kernel_cap_t", &v), -EOPNOTSUPP);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_NS, "PidForChildren", &v), 0);
	assert_int_equal(v, VIGIL_NST_PID_FOR_CHILDREN);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_NS, "TimeForChildren", &v), 0);
	assert_int_equal(v, VIGIL_NST_TIME_FOR_CHILDREN);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_CAP_SET, "Inheritable", &v), 0);
	assert_int_equal(v, VIGIL_CAPSET_INHERITABLE);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_ACTION, "NoPost", &v), 0);
	assert_int_equal(v, VIGIL_ACT_NOPOST);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_ACTION, "GetUrl", &v), -EOPNOTSUPP);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_RATE_SCOPE, "global", &v), 0);
	assert_int_equal(v, VIGIL_RATE_GLOBAL);
	assert_int_equal(vigil_name_lookup(VIGIL_NAMES_KIND, "TracingPolicyNamespaced", &v), 0);
	assert_int_equal(v, VIGIL_KIND_TRACING_POLICY_NS);
	assert_string_equal(vigil_op_name(VIGIL_OP_GT), "GT");
	assert_string_equal(vigil_op_name(VIGIL_OP_NOT_DADDR), "NotDAddr");
	assert_string_equal(vigil_arg_type_name(VIGIL_ARG_LINUX_BINPRM), "linux_binprm");
	assert_string_equal(vigil_action_name(VIGIL_ACT_SIGKILL), "Sigkill");
	assert_string_equal(vigil_name_of(VIGIL_NAMES_OP, 999), "?");
	assert_string_equal(vigil_name_what(VIGIL_NAMES_CAP_SET), "capability set");
}

/* Every model enum value has a name (the compiler prints them). */
static void test_every_enum_is_named(void **state)
{
	int i;

	(void)state;
	for (i = VIGIL_ARG_S8; i < VIGIL_ARG_TYPE_COUNT; i++)
		assert_string_not_equal(vigil_name_of(VIGIL_NAMES_ARG_TYPE, i), "?");
	for (i = 0; i < VIGIL_OP_COUNT; i++)
		assert_string_not_equal(vigil_name_of(VIGIL_NAMES_OP, i), "?");
	for (i = 0; i < VIGIL_BIN_OP_COUNT; i++)
		assert_string_not_equal(vigil_name_of(VIGIL_NAMES_BIN_OP, i), "?");
	for (i = 0; i < VIGIL_NST_COUNT; i++)
		assert_string_not_equal(vigil_name_of(VIGIL_NAMES_NS, i), "?");
	for (i = 0; i < VIGIL_ACT_COUNT; i++)
		assert_string_not_equal(vigil_name_of(VIGIL_NAMES_ACTION, i), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_syntax_is_go_base_0),
		cmocka_unit_test(test_int_ranges_by_width_and_sign),
		cmocka_unit_test(test_type_predicates),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_cidrs),
		cmocka_unit_test(test_ports_protocols_families),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_namespace_values),
		cmocka_unit_test(test_errno_and_signals),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_quote_escapes_what_a_terminal_would_run),
		cmocka_unit_test(test_quote_caps_long_values),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_diag_add_escapes_everything),
		cmocka_unit_test(test_sort_is_stable_by_position),
		cmocka_unit_test(test_text_is_clean),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_every_enum_is_named),
	};

	return cmocka_run_group_tests_name("policy_values", tests, NULL, NULL);
}
