// SPDX-License-Identifier: Apache-2.0
/*
 * values.c - parsers for values written as text (see values.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "values.h"

/* --- integers ------------------------------------------------------------- */

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

int vigil_parse_uint_magnitude(const char *s, bool *neg, uint64_t *mag)
{
	bool minus = false, prefixed = false, last_us, any = false;
	unsigned base = 10;
	uint64_t v = 0;
	int d;

	if (!s)
		return -EINVAL;
	if (*s == '+' || *s == '-')
		minus = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		prefixed = true;
	} else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
		base = 8;
		s += 2;
		prefixed = true;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
		prefixed = true;
	} else if (s[0] == '0' && s[1]) {
		base = 8; /* Go: a leading 0 is octal */
		s++;
		any = true;
	}
	/* '_' may follow the prefix (Go's "0x_1f") and separate digits */
	last_us = false;
	if (*s == '_') {
		if (!prefixed && !any)
			return -EINVAL;
		last_us = true;
		s++;
	}
	for (; *s; s++) {
		if (*s == '_') {
			if (last_us)
				return -EINVAL;
			last_us = true;
			continue;
		}
		d = digit_value(*s);
		if (d >= (int)base)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
		any = true;
		last_us = false;
	}
	if (!any || last_us)
		return -EINVAL;
	*neg = minus && v != 0;
	*mag = v;
	return 0;
}

bool vigil_arg_type_is_int(enum vigil_arg_type t)
{
	return t >= VIGIL_ARG_S8 && t <= VIGIL_ARG_U64;
}

bool vigil_arg_type_is_signed(enum vigil_arg_type t)
{
	return t >= VIGIL_ARG_S8 && t <= VIGIL_ARG_S64;
}

unsigned vigil_arg_type_bits(enum vigil_arg_type t)
{
	switch (t) {
	case VIGIL_ARG_S8:
	case VIGIL_ARG_U8:
		return 8;
	case VIGIL_ARG_S16:
	case VIGIL_ARG_U16:
		return 16;
	case VIGIL_ARG_S32:
	case VIGIL_ARG_U32:
		return 32;
	case VIGIL_ARG_S64:
	case VIGIL_ARG_U64:
		return 64;
	default:
		return 0;
	}
}

int vigil_parse_int(const char *s, enum vigil_arg_type t, int64_t *s_out, uint64_t *u_out)
{
	unsigned bits = vigil_arg_type_bits(t);
	uint64_t mag, umax;
	bool neg;
	int64_t sv;
	int rc;

	if (!bits)
		return -EINVAL;
	rc = vigil_parse_uint_magnitude(s, &neg, &mag);
	if (rc)
		return rc;
	umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	if (vigil_arg_type_is_signed(t)) {
		/* magnitude limits: 2^(bits-1) - 1 positive, 2^(bits-1) negative */
		uint64_t lim = UINT64_C(1) << (bits - 1);

		if (neg ? mag > lim : mag > lim - 1)
			return -ERANGE;
		if (neg)
			sv = mag == lim ? (bits == 64 ? INT64_MIN : -(int64_t)lim) : -(int64_t)mag;
		else
			sv = (int64_t)mag;
		if (s_out)
			*s_out = sv;
		if (u_out)
			*u_out = (uint64_t)sv;
		return 0;
	}
	if (neg || mag > umax)
		return -ERANGE;
	if (s_out)
		*s_out = (int64_t)mag;
	if (u_out)
		*u_out = mag;
	return 0;
}

int vigil_parse_range(const char *s, enum vigil_arg_type t, bool single_ok, struct vigil_range *r)
{
	char lo[128], hi[128];
	const char *colon;
	struct vigil_range v;
	size_t n;
	int rc;

	if (!s || !vigil_arg_type_is_int(t))
		return -EINVAL;
	colon = strchr(s, ':');
	if (!colon) {
		if (!single_ok)
			return -EINVAL;
		rc = vigil_parse_int(s, t, &v.slo, &v.ulo);
		if (rc)
			return rc;
		v.shi = v.slo;
		v.uhi = v.ulo;
		*r = v;
		return 0;
	}
	n = (size_t)(colon - s);
	if (n >= sizeof(lo) || strlen(colon + 1) >= sizeof(hi) || strchr(colon + 1, ':'))
		return -EINVAL;
	memcpy(lo, s, n);
	lo[n] = '\0';
	strcpy(hi, colon + 1);
	rc = vigil_parse_int(lo, t, &v.slo, &v.ulo);
	if (rc)
		return rc;
	rc = vigil_parse_int(hi, t, &v.shi, &v.uhi);
	if (rc)
		return rc;
	if (vigil_arg_type_is_signed(t) ? v.slo > v.shi : v.ulo > v.uhi)
		return -EDOM;
	*r = v;
	return 0;
}

int vigil_parse_u32(const char *s, uint32_t *out)
{
	uint64_t u;
	int rc;

	rc = vigil_parse_int(s, VIGIL_ARG_U32, NULL, &u);
	if (rc)
		return rc;
	*out = (uint32_t)u;
	return 0;
}

/* A plain decimal number up to max: digits only. */
static int parse_dec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 20)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* --- addresses ------------------------------------------------------------ */

static int parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0, start;
	unsigned part = 0, v;

	while (part < 4) {
		start = i;
		v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (unsigned)(s[i] - '0');
			if (v > 255)
				return -EINVAL;
			i++;
		}
		if (i == start || (i - start > 1 && s[start] == '0'))
			return -EINVAL; /* empty, or a leading zero (Go refuses it) */
		out[part++] = (uint8_t)v;
		if (part < 4) {
			if (i >= n || s[i] != '.')
				return -EINVAL;
			i++;
		}
	}
	return i == n ? 0 : -EINVAL;
}

int vigil_parse_cidr(const char *s, uint8_t addr[16], unsigned *prefix, int *family)
{
	char buf[INET6_ADDRSTRLEN + 8];
	uint8_t a[16] = { 0 };
	const char *slash;
	size_t alen;
	uint64_t p;
	unsigned bits;
	int fam, rc;

	if (!s)
		return -EINVAL;
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	if (memchr(s, ':', alen)) {
		memcpy(buf, s, alen);
		buf[alen] = '\0';
		if (strchr(buf, '%') || inet_pton(AF_INET6, buf, a) != 1)
			return -EINVAL;
		fam = AF_INET6;
		bits = 128;
	} else {
		rc = parse_ipv4(s, alen, a);
		if (rc)
			return rc;
		fam = AF_INET;
		bits = 32;
	}
	if (slash) {
		const char *ps = slash + 1;
		size_t pn = strlen(ps);

		/* decimal, no sign, no leading zero (Go refuses "/08") */
		if (pn > 1 && ps[0] == '0')
			return -EINVAL;
		rc = parse_dec(ps, pn, bits, &p);
		if (rc)
			return rc == -ERANGE ? -ERANGE : -EINVAL;
		bits = (unsigned)p;
	}
	memcpy(addr, a, 16);
	*prefix = bits;
	*family = fam;
	return 0;
}

/* --- ports, protocols, families ------------------------------------------- */

/* "N" or "N:M" of numbers up to 65535 (Go base-0 syntax), N <= M. */
static int parse_u16_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	struct vigil_range r;
	int rc;

	rc = vigil_parse_range(s, VIGIL_ARG_U16, true, &r);
	if (rc)
		return rc;
	*lo = (uint16_t)r.ulo;
	*hi = (uint16_t)r.uhi;
	return 0;
}

int vigil_parse_port(const char *s, uint16_t *lo, uint16_t *hi)
{
	return parse_u16_range(s, lo, hi);
}

struct named {
	const char *name;
	uint16_t value;
};

/* Tetragon's names (pkg/reader/network), with the Linux values. */
static const struct named protocols[] = {
	{ "IPPROTO_IP", 0 },	     { "IPPROTO_ICMP", 1 },	 { "IPPROTO_IGMP", 2 },
	{ "IPPROTO_IPIP", 4 },	     { "IPPROTO_TCP", 6 },	 { "IPPROTO_EGP", 8 },
	{ "IPPROTO_PUP", 12 },	     { "IPPROTO_UDP", 17 },	 { "IPPROTO_IDP", 22 },
	{ "IPPROTO_TP", 29 },	     { "IPPROTO_DCCP", 33 },	 { "IPPROTO_IPV6", 41 },
	{ "IPPROTO_RSVP", 46 },	     { "IPPROTO_GRE", 47 },	 { "IPPROTO_ESP", 50 },
	{ "IPPROTO_AH", 51 },	     { "IPPROTO_MTP", 92 },	 { "IPPROTO_BEETPH", 94 },
	{ "IPPROTO_ENCAP", 98 },     { "IPPROTO_PIM", 103 },	 { "IPPROTO_COMP", 108 },
	{ "IPPROTO_SCTP", 132 },     { "IPPROTO_UDPLITE", 136 }, { "IPPROTO_MPLS", 137 },
	{ "IPPROTO_ETHERNET", 143 }, { "IPPROTO_RAW", 255 },	 { "IPPROTO_MPTCP", 262 },
};

static const struct named families[] = {
	{ "AF_UNSPEC", 0 },	{ "AF_UNIX", 1 },     { "AF_INET", 2 },
	{ "AF_AX25", 3 },	{ "AF_IPX", 4 },      { "AF_APPLETALK", 5 },
	{ "AF_NETROM", 6 },	{ "AF_BRIDGE", 7 },   { "AF_ATMPVC", 8 },
	{ "AF_X25", 9 },	{ "AF_INET6", 10 },   { "AF_ROSE", 11 },
	{ "AF_DECnet", 12 },	{ "AF_NETBEUI", 13 }, { "AF_SECURITY", 14 },
	{ "AF_KEY", 15 },	{ "AF_NETLINK", 16 }, { "AF_PACKET", 17 },
	{ "AF_ASH", 18 },	{ "AF_ECONET", 19 },  { "AF_ATMSVC", 20 },
	{ "AF_RDS", 21 },	{ "AF_IRDA", 23 },    { "AF_PPPOX", 24 },
	{ "AF_WANPIPE", 25 },	{ "AF_LLC", 26 },     { "AF_IB", 27 },
	{ "AF_MPLS", 28 },	{ "AF_CAN", 29 },     { "AF_TIPC", 30 },
	{ "AF_BLUETOOTH", 31 }, { "AF_IUCV", 32 },    { "AF_RXRPC", 33 },
	{ "AF_ISDN", 34 },	{ "AF_PHONET", 35 },  { "AF_IEEE802154", 36 },
	{ "AF_CAIF", 37 },	{ "AF_ALG", 38 },     { "AF_NFC", 39 },
	{ "AF_VSOCK", 40 },	{ "AF_KCM", 41 },     { "AF_QIPCRTR", 42 },
	{ "AF_SMC", 43 },	{ "AF_XDP", 44 },     { "AF_MCTP", 45 },
};

static int parse_named(const char *s, const struct named *tab, size_t n, uint16_t *lo, uint16_t *hi)
{
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (strcmp(s, tab[i].name) == 0) {
			*lo = *hi = tab[i].value;
			return 0;
		}
	}
	return parse_u16_range(s, lo, hi);
}

int vigil_parse_protocol(const char *s, uint16_t *lo, uint16_t *hi)
{
	return parse_named(s, protocols, sizeof(protocols) / sizeof(protocols[0]), lo, hi);
}

int vigil_parse_family(const char *s, uint16_t *lo, uint16_t *hi)
{
	return parse_named(s, families, sizeof(families) / sizeof(families[0]), lo, hi);
}

static const char *name_of(const struct named *tab, size_t n, unsigned v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].value == v)
			return tab[i].name;
	return NULL;
}

const char *vigil_protocol_name(unsigned v)
{
	return name_of(protocols, sizeof(protocols) / sizeof(protocols[0]), v);
}

const char *vigil_family_name(unsigned v)
{
	return name_of(families, sizeof(families) / sizeof(families[0]), v);
}

const char *vigil_sock_type_name(unsigned v)
{
	static const struct named types[] = {
		{ "SOCK_STREAM", 1 }, { "SOCK_DGRAM", 2 },     { "SOCK_RAW", 3 },
		{ "SOCK_RDM", 4 },    { "SOCK_SEQPACKET", 5 }, { "SOCK_DCCP", 6 },
	};

	return name_of(types, sizeof(types) / sizeof(types[0]), v);
}

const char *vigil_tcp_state_name(unsigned v)
{
	static const struct named states[] = {
		{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 },   { "TCP_SYN_RECV", 3 },
		{ "TCP_FIN_WAIT1", 4 },	  { "TCP_FIN_WAIT2", 5 },  { "TCP_TIME_WAIT", 6 },
		{ "TCP_CLOSE", 7 },	  { "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 },
		{ "TCP_LISTEN", 10 },	  { "TCP_CLOSING", 11 },   { "TCP_NEW_SYN_RECV", 12 },
	};

	return name_of(states, sizeof(states) / sizeof(states[0]), v);
}

/* --- capabilities ----------------------------------------------------------- */

const char *const vigil_cap_names[VIGIL_CAP_LAST + 1] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

const char *vigil_cap_name(unsigned cap)
{
	return cap <= VIGIL_CAP_LAST ? vigil_cap_names[cap] : NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int vigil_parse_cap(const char *s)
{
	char buf[64];
	size_t n, i;
	uint64_t v;
	unsigned c;

	if (!s)
		return -EINVAL;
	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	if (s[0] >= '0' && s[0] <= '9') {
		if (n > 1 && s[0] == '0')
			return -EINVAL;
		if (parse_dec(s, n, VIGIL_CAP_LAST, &v))
			return -EINVAL;
		return (int)v;
	}
	for (i = 0; i < n; i++)
		buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	buf[n] = '\0';
	for (c = 0; c <= VIGIL_CAP_LAST; c++)
		if (strcmp(buf, vigil_cap_names[c]) == 0)
			return (int)c;
	return -EINVAL;
}

/* --- namespaces, errno, signals, durations ------------------------------- */

int vigil_parse_ns_value(const char *s, uint32_t *inum, bool *host)
{
	uint64_t v;
	int rc;

	if (!s)
		return -EINVAL;
	if (strcmp(s, "host_ns") == 0) {
		*inum = 0;
		*host = true;
		return 0;
	}
	rc = parse_dec(s, strlen(s), UINT32_MAX, &v);
	if (rc)
		return rc;
	*inum = (uint32_t)v;
	*host = false;
	return 0;
}

bool vigil_errno_valid(long long v)
{
	return v >= VIGIL_ERRNO_MIN && v <= -1;
}

int vigil_parse_errno(const char *s, int *out)
{
	int64_t v;
	int rc;

	rc = vigil_parse_int(s, VIGIL_ARG_S32, &v, NULL);
	if (rc)
		return rc;
	if (!vigil_errno_valid(v))
		return -ERANGE;
	*out = (int)v;
	return 0;
}

bool vigil_signal_valid(long long v)
{
	return v >= 1 && v <= VIGIL_SIGNAL_MAX;
}

int vigil_parse_duration(const char *s, uint64_t *ns)
{
	uint64_t n, mult = 1, ms;
	size_t len;
	int rc;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (len == 0)
		return -EINVAL;
	switch (s[len - 1]) {
	case 's':
	case 'S':
		len--;
		break;
	case 'm':
	case 'M':
		mult = 60;
		len--;
		break;
	case 'h':
	case 'H':
		mult = 3600;
		len--;
		break;
	default:
		break;
	}
	rc = parse_dec(s, len, UINT32_MAX, &n);
	if (rc)
		return rc;
	ms = n * mult * 1000; /* at most 4294967295 * 3600000: fits 64 bits */
	if (ms > UINT32_MAX)
		ms = UINT32_MAX;
	*ns = ms * 1000000;
	return 0;
}
