// SPDX-License-Identifier: Apache-2.0
/*
 * encode_compact.c - one human line per event:
 *   🚀 process <source> <binary> <arguments>
 *   💥 exit    <source> <binary> <arguments> <status or signal>
 *   💀 killed  <source> <binary> <arguments> <function> <argument values>
 *   🔒 denied  (Override), 🔍 kprobe / lsm / tracepoint (reported only);
 *   in monitor mode "would-kill" and "would-deny"
 * <source> is the short container id for a container, the node name
 * otherwise.
 *
 * The line is meant for a terminal, so an untrusted string must not forge a
 * line, drive the terminal or reorder what is shown.  A string holding any
 * of these is printed quoted, with each of them escaped:
 *   - C0 controls and DEL, as \xNN;
 *   - C1 controls U+0080..U+009F (CSI U+009B, OSC U+009D, ...), as \u{9b};
 *   - invisible and bidi format characters U+061C, U+200B..U+200F,
 *     U+202A..U+202E, U+2060..U+2069 and U+FEFF, as \u{202e};
 *   - bytes that are not valid UTF-8, as \xNN each (a raw 0x9b is \x9b).
 * Inside quotes, '"' and '\' are escaped with a backslash.  Other valid
 * UTF-8 ("é", "日本") is printed as it is.  Arguments are space-separated
 * and carry Tetragon's quotes by nature: only the characters above make
 * them quoted.  Other fields are also quoted when they hold a space or '"'.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "encode.h"
#include "utf8.h"
#include "values.h"

enum esc {
	ESC_NONE,
	ESC_HEX, /* each byte as \xNN */
	ESC_UNI, /* the code point as \u{N} */
};

static enum esc escape_of(uint32_t cp)
{
	if (cp == VIGIL_UTF8_INVALID || cp < 0x20 || cp == 0x7f)
		return ESC_HEX;
	if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff)
		return ESC_UNI;
	return ESC_NONE;
}

static bool needs_quote(const char *s, size_t len, bool space_ok)
{
	size_t i, n;
	uint32_t cp;

	for (i = 0; i < len; i += n) {
		n = vigil_utf8_decode(s + i, len - i, &cp);
		if (escape_of(cp) != ESC_NONE || ((cp == ' ' || cp == '"') && !space_ok))
			return true;
	}
	return false;
}

static void put_quoted_len(FILE *out, const char *s, size_t len, bool space_ok)
{
	size_t i, k, n;
	uint32_t cp;

	if (!needs_quote(s, len, space_ok)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (i = 0; i < len; i += n) {
		n = vigil_utf8_decode(s + i, len - i, &cp);
		switch (escape_of(cp)) {
		case ESC_HEX:
			for (k = 0; k < n; k++)
				fprintf(out, "\\x%02x", (unsigned char)s[i + k]);
			break;
		case ESC_UNI:
			fprintf(out, "\\u{%x}", (unsigned int)cp);
			break;
		case ESC_NONE:
			if (cp == '"' || cp == '\\')
				fputc('\\', out);
			fwrite(s + i, 1, n, out);
			break;
		}
	}
	fputc('"', out);
}

static void put_quoted(FILE *out, const char *s, bool space_ok)
{
	put_quoted_len(out, s, strlen(s), space_ok);
}

static void policy_tag(FILE *out, const struct vigil_out_policy *pol)
{
	static const char *const kinds[] = { "kprobe", "tracepoint", "lsm" };

	if (pol->action & VIGIL_ACTION_SIGKILL)
		fprintf(out, "💀 %-7s ", pol->monitor ? "would-kill" : "killed");
	else if (pol->action & VIGIL_ACTION_OVERRIDE)
		fprintf(out, "🔒 %-7s ", pol->monitor ? "would-deny" : "denied");
	else
		fprintf(out, "🔍 %-7s ", kinds[pol->kind <= VIGIL_OUT_LSM ? pol->kind : 0]);
}

/* "ADDR:PORT", "[ADDR6]:PORT" */
static void put_endpoint(FILE *out, uint16_t family, const uint8_t a[16], uint16_t port)
{
	char buf[INET6_ADDRSTRLEN];

	vigil_format_addr(a, buf, sizeof(buf));
	fprintf(out, family == AF_INET6 ? "[%s]:%u" : "%s:%u", buf, port);
}

/* "tcp" for IPPROTO_TCP; the number when it has no name */
static void put_protocol(FILE *out, uint16_t protocol)
{
	const char *name = vigil_protocol_name(protocol);

	if (!name) {
		fprintf(out, "%u", protocol);
		return;
	}
	if (!strncmp(name, "IPPROTO_", 8))
		name += 8;
	for (; *name; name++)
		fputc(tolower((unsigned char)*name), out);
}

/* Socket arguments as "tcp SRC -> DST" (a sockaddr as its one address),
 * a cred as its ids; copied out first: message bytes may be unaligned. */
static bool put_struct_arg(FILE *out, const struct vigil_out_arg *a)
{
	struct vigil_sock_info si;
	struct vigil_skb_info skb;
	struct vigil_creds c;

	switch (a->type) {
	case VIGIL_AT_SOCK:
		if (a->bin_len != sizeof(si))
			return false;
		memcpy(&si, a->bin, sizeof(si));
		put_protocol(out, si.protocol);
		fputc(' ', out);
		put_endpoint(out, si.family, si.saddr, si.sport);
		fputs(" -> ", out);
		put_endpoint(out, si.family, si.daddr, si.dport);
		return true;
	case VIGIL_AT_SKB:
		if (a->bin_len != sizeof(skb))
			return false;
		memcpy(&skb, a->bin, sizeof(skb));
		put_protocol(out, skb.protocol);
		fputc(' ', out);
		put_endpoint(out, skb.family, skb.saddr, skb.sport);
		fputs(" -> ", out);
		put_endpoint(out, skb.family, skb.daddr, skb.dport);
		return true;
	case VIGIL_AT_SOCKADDR:
		if (a->bin_len != sizeof(si))
			return false;
		memcpy(&si, a->bin, sizeof(si));
		if (si.family != AF_INET && si.family != AF_INET6)
			return false;
		put_endpoint(out, si.family, si.saddr, si.sport);
		return true;
	case VIGIL_AT_CHAR_BUF: /* bytes, NULs included, escaped */
		put_quoted_len(out, a->bin, a->bin_len, false);
		return true;
	case VIGIL_AT_CRED:
		if (a->bin_len != sizeof(c))
			return false;
		memcpy(&c, a->bin, sizeof(c));
		fprintf(out, "uid=%u euid=%u gid=%u egid=%u", c.uid, c.euid, c.gid, c.egid);
		return true;
	}
	return false;
}

/* " <function> <argument values>" */
static void policy_tail(FILE *out, const struct vigil_out_policy *pol)
{
	size_t i;

	fputc(' ', out);
	if (pol->kind == VIGIL_OUT_TRACEPOINT && pol->subsys) {
		put_quoted(out, pol->subsys, false);
		fputc('/', out);
	}
	put_quoted(out, pol->function_name, false);
	for (i = 0; i < pol->nargs; i++) {
		const struct vigil_out_arg *a = &pol->args[i];

		fputc(' ', out);
		if (a->bin && put_struct_arg(out, a))
			continue;
		if (a->str)
			put_quoted(out, a->str, false);
		else if (a->type_name && a->type_name[0] != 'u' && strcmp(a->type_name, "size_t"))
			fprintf(out, "%lld", (long long)a->num);
		else
			fprintf(out, "%llu", (unsigned long long)a->num);
	}
}

int vigil_write_compact(FILE *out, const struct vigil_encode_ctx *ctx,
			const struct vigil_out_event *ev)
{
	const struct vigil_process *p = ev->proc;
	char source[16];

	if (ev->kind == VIGIL_OUT_EXEC)
		fprintf(out, "🚀 %-7s ", "process");
	else if (ev->kind == VIGIL_OUT_EXIT)
		fprintf(out, "💥 %-7s ", "exit");
	else
		policy_tag(out, ev->pol);
	if (p->container_id[0]) {
		snprintf(source, sizeof(source), "%.12s", p->container_id);
		put_quoted(out, source, false);
	} else {
		put_quoted(out, ctx->node_name, false);
	}
	fputc(' ', out);
	put_quoted(out, p->binary, false);
	if (p->args[0]) {
		fputc(' ', out);
		put_quoted(out, p->args, true);
	}
	if (ev->kind == VIGIL_OUT_POLICY)
		policy_tail(out, ev->pol);
	if (ev->kind == VIGIL_OUT_EXIT) {
		char sig[32];

		vigil_signal_name(ev->exit_code & 0x7f, sig, sizeof(sig));
		if (sig[0])
			fprintf(out, " %s", sig);
		else
			fprintf(out, " %u", (ev->exit_code >> 8) & 0xff);
	}
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}
