/* SPDX-License-Identifier: Apache-2.0 */
/*
 * values.h - parsers for the values a policy writes as text.  The
 * validator uses them to check a policy, the compiler to convert it; both
 * therefore accept exactly the same text.  Pure functions: no I/O, no
 * allocation, no locale.
 *
 * Every parser returns 0 on success or a negative errno:
 *   -EINVAL  the text does not have the expected form,
 *   -ERANGE  a number is out of range for its type,
 *   -EDOM    a range "a:b" has a > b.
 * Outputs are written only on success.
 */
#ifndef VIGIL_POLICY_VALUES_H
#define VIGIL_POLICY_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* --- integers ------------------------------------------------------------- */

/* An integer as Go's strconv.ParseInt(s, 0, 64) reads it, which is how
 * Tetragon reads matchArgs values: an optional sign, then decimal, 0x/0X
 * hexadecimal, 0o/0O or a leading 0 octal, 0b/0B binary; '_' is allowed
 * between digits and after a base prefix.  No spaces.  Sets *neg and the
 * magnitude (up to 2^64-1, else -ERANGE). */
int vigil_parse_uint_magnitude(const char *s, bool *neg, uint64_t *mag);

/* True for VIGIL_ARG_S8..VIGIL_ARG_U64. */
bool vigil_arg_type_is_int(enum vigil_arg_type t);
bool vigil_arg_type_is_signed(enum vigil_arg_type t);
/* 8, 16, 32 or 64 for integer types, else 0. */
unsigned vigil_arg_type_bits(enum vigil_arg_type t);

/* An integer value for an argument of integer type t, in range for its
 * width and sign (unsigned types refuse negative numbers).  Sets both
 * outputs (either may be NULL): *s_out the value as signed, *u_out the
 * same bits as unsigned (for a signed type, the two's complement of a
 * negative value).  -EINVAL also when t is not an integer type. */
int vigil_parse_int(const char *s, enum vigil_arg_type t, int64_t *s_out, uint64_t *u_out);

/* A range "a:b" of integers for type t, with a <= b (signed comparison for
 * signed types).  With single_ok, a lone value "a" is the range a:a (as
 * InMap accepts); InRange needs both ends. */
struct vigil_range {
	int64_t slo, shi;  /* as signed */
	uint64_t ulo, uhi; /* the same bits, as unsigned */
};
int vigil_parse_range(const char *s, enum vigil_arg_type t, bool single_ok, struct vigil_range *r);

/* A uint32 as written in matchPIDs (a process id). */
int vigil_parse_u32(const char *s, uint32_t *out);

/* --- addresses, ports, protocols, families -------------------------------- */

/* An IPv4 or IPv6 address with an optional "/prefix", as Go's
 * netip.ParsePrefix / ParseAddr read them (Tetragon's SAddr and DAddr):
 * dotted quad without leading zeros, or any IPv6 text form without a zone.
 * addr gets 4 bytes (network order) for IPv4, then zeros, or 16 bytes for
 * IPv6; *prefix the prefix length (32 or 128 when absent); *family AF_INET
 * or AF_INET6.  Host bits beyond the prefix are kept as written. */
int vigil_parse_cidr(const char *s, uint8_t addr[16], unsigned *prefix, int *family);

/* SPort/DPort values: a port "N" or a range "N:M", 0..65535, N <= M. */
int vigil_parse_port(const char *s, uint16_t *lo, uint16_t *hi);

/* Protocol values: IPPROTO_* name (IPPROTO_TCP...), a number 0..65535, or
 * a range "N:M" of numbers. */
int vigil_parse_protocol(const char *s, uint16_t *lo, uint16_t *hi);

/* Family values: AF_* name (AF_INET, AF_INET6, AF_UNIX...), a number
 * 0..65535, or a range "N:M" of numbers. */
int vigil_parse_family(const char *s, uint16_t *lo, uint16_t *hi);

/* Names for numbers, as events show them (Tetragon's spelling), or NULL
 * when the number has none. */
const char *vigil_protocol_name(unsigned v);  /* "IPPROTO_TCP" */
const char *vigil_family_name(unsigned v);    /* "AF_INET" */
const char *vigil_sock_type_name(unsigned v); /* "SOCK_STREAM" */
const char *vigil_tcp_state_name(unsigned v); /* "TCP_SYN_SENT" */

/* --- capabilities, namespaces, errno, signals, durations ------------------ */

#define VIGIL_CAP_LAST 40 /* CAP_CHECKPOINT_RESTORE */

/* A capability: a CAP_* name, any case, surrounding spaces ignored (as
 * Tetragon reads them), or its number 0..VIGIL_CAP_LAST.  Returns the
 * number, or -EINVAL. */
int vigil_parse_cap(const char *s);
/* "CAP_CHOWN".. for 0..VIGIL_CAP_LAST, else NULL. */
const char *vigil_cap_name(unsigned cap);
/* The CAP_* names, indexed by number (VIGIL_CAP_LAST + 1 of them). */
extern const char *const vigil_cap_names[VIGIL_CAP_LAST + 1];

/* A matchNamespaces value: an inode number (decimal uint32) or "host_ns"
 * (then *host is true and *inum 0). */
int vigil_parse_ns_value(const char *s, uint32_t *inum, bool *host);

/* Override's argError: an errno as the kernel returns it, -4095..-1. */
#define VIGIL_ERRNO_MIN (-4095)
bool vigil_errno_valid(long long v);
int vigil_parse_errno(const char *s, int *out);

/* Signal's argSig: 1..64. */
#define VIGIL_SIGNAL_MAX 64
bool vigil_signal_valid(long long v);

/* Post's rateLimit as Tetragon reads it: a decimal number (up to
 * 4294967295) with an optional unit s/S (seconds, the default), m/M
 * (minutes) or h/H (hours).  Like Tetragon, the period is capped at
 * 4294967295 ms (about 49.7 days).  Sets *ns, at least 0. */
int vigil_parse_duration(const char *s, uint64_t *ns);

#endif
