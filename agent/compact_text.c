// SPDX-License-Identifier: Apache-2.0
/*
 * compact_text.c - the pieces of a compact event line and the escaping of
 * untrusted text for a terminal (rules in compact_text.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "compact_text.h"
#include "utf8.h"

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

/* '"' s[0..len) escaped '"' */
static void put_escaped(FILE *out, const char *s, size_t len)
{
	size_t i, j, n;
	uint32_t cp;

	fputc('"', out);
	for (i = 0; i < len; i += n) {
		n = vigil_utf8_decode(s + i, len - i, &cp);
		switch (escape_of(cp)) {
		case ESC_HEX:
			for (j = 0; j < n; j++)
				fprintf(out, "\\x%02x", (unsigned char)s[i + j]);
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

void vigil_put_quoted_len(FILE *out, const char *s, size_t len, bool space_ok)
{
	if (!needs_quote(s, len, space_ok)) {
		fwrite(s, 1, len, out);
		return;
	}
	put_escaped(out, s, len);
}

void vigil_put_quoted(FILE *out, const char *s, bool space_ok)
{
	if (s)
		vigil_put_quoted_len(out, s, strlen(s), space_ok);
}

enum vigil_compact_tag vigil_compact_policy_tag(enum vigil_out_policy_kind kind, bool kill,
						bool deny, const char *function)
{
	bool connect = function && (!strcmp(function, "tcp_connect") ||
				    !strcmp(function, "security_socket_connect") ||
				    !strcmp(function, "socket_connect"));

	if (kill)
		return VIGIL_TAG_KILLED;
	if (deny)
		return connect ? VIGIL_TAG_DENIED_CONNECT : VIGIL_TAG_DENIED;
	switch (kind) {
	case VIGIL_OUT_TRACEPOINT:
		return VIGIL_TAG_TRACEPOINT;
	case VIGIL_OUT_LSM:
		return VIGIL_TAG_LSM;
	case VIGIL_OUT_KPROBE:
		break;
	}
	/* The network events (Tetragon's example policies, vigil's sensor). */
	if (!function)
		return VIGIL_TAG_KPROBE;
	if (!strcmp(function, "tcp_connect"))
		return VIGIL_TAG_CONNECT;
	if (!strcmp(function, "tcp_close"))
		return VIGIL_TAG_CLOSE;
	if (!strcmp(function, "tcp_set_state"))
		return VIGIL_TAG_ACCEPT;
	if (!strcmp(function, "inet_csk_listen_start"))
		return VIGIL_TAG_LISTEN;
	if (!strcmp(function, "__cgroup_bpf_run_filter_skb"))
		return VIGIL_TAG_DATAGRAM;
	return VIGIL_TAG_KPROBE;
}

void vigil_compact_put_tag(FILE *out, enum vigil_compact_tag tag, bool monitor)
{
	static const char *const emoji[VIGIL_TAG_COUNT] = {
		[VIGIL_TAG_PROCESS] = "🚀",    [VIGIL_TAG_EXIT] = "💥",
		[VIGIL_TAG_KILLED] = "💀",     [VIGIL_TAG_DENIED] = "🔒",
		[VIGIL_TAG_CONNECT] = "🔌",    [VIGIL_TAG_KPROBE] = "🔍",
		[VIGIL_TAG_TRACEPOINT] = "🔍", [VIGIL_TAG_LSM] = "🔍",
		[VIGIL_TAG_LOST] = "❗",	      [VIGIL_TAG_CLOSE] = "🧹",
		[VIGIL_TAG_ACCEPT] = "📬",     [VIGIL_TAG_LISTEN] = "👂",
		[VIGIL_TAG_DATAGRAM] = "📨",   [VIGIL_TAG_DENIED_CONNECT] = "⛔",
	};
	static const char *const word[] = {
		[VIGIL_TAG_PROCESS] = "process",
		[VIGIL_TAG_EXIT] = "exit",
		[VIGIL_TAG_KILLED] = "killed",
		[VIGIL_TAG_DENIED] = "denied",
		[VIGIL_TAG_CONNECT] = "connect",
		[VIGIL_TAG_KPROBE] = "kprobe",
		[VIGIL_TAG_TRACEPOINT] = "tracepoint",
		[VIGIL_TAG_LSM] = "lsm",
		[VIGIL_TAG_LOST] = "lost",
		[VIGIL_TAG_CLOSE] = "close",
		[VIGIL_TAG_ACCEPT] = "accept",
		[VIGIL_TAG_LISTEN] = "listen",
		[VIGIL_TAG_DATAGRAM] = "datagram",
		[VIGIL_TAG_DENIED_CONNECT] = "denied",
	};
	const char *w;

	if (tag >= VIGIL_TAG_COUNT)
		tag = VIGIL_TAG_KPROBE;
	w = word[tag];
	if (monitor && tag == VIGIL_TAG_KILLED)
		w = "would-kill";
	else if (monitor && (tag == VIGIL_TAG_DENIED || tag == VIGIL_TAG_DENIED_CONNECT))
		w = "would-deny";
	fprintf(out, "%s %-7s ", emoji[tag], w);
}

void vigil_compact_put_process(FILE *out, const char *pod_ns, const char *pod_name,
			       const char *container_id, const char *node, const char *binary,
			       const char *args)
{
	if (pod_name && pod_name[0]) {
		vigil_put_quoted(out, pod_ns, false);
		fputc('/', out);
		vigil_put_quoted(out, pod_name, false);
	} else if (container_id && container_id[0]) {
		vigil_put_quoted_len(out, container_id, strnlen(container_id, 12), false);
	} else {
		vigil_put_quoted(out, node, false);
	}
	fputc(' ', out);
	vigil_put_quoted(out, binary, false);
	if (args && args[0]) {
		fputc(' ', out);
		vigil_put_quoted(out, args, true);
	}
}

void vigil_compact_put_endpoint(FILE *out, bool v6, const char *addr, unsigned int port)
{
	if (v6)
		fputc('[', out);
	vigil_put_quoted(out, addr, false);
	fprintf(out, v6 ? "]:%u" : ":%u", port);
}

void vigil_compact_put_protocol(FILE *out, const char *name)
{
	const char *p;

	if (!name || strncmp(name, "IPPROTO_", 8) || !name[8]) {
		vigil_put_quoted(out, name, false);
		return;
	}
	for (p = name + 8; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			break;
	if (*p) { /* not a name of the kernel's: as it is */
		vigil_put_quoted(out, name, false);
		return;
	}
	for (p = name + 8; *p; p++)
		fputc(tolower((unsigned char)*p), out);
}

void vigil_compact_put_int(FILE *out, enum vigil_int_arg kind, uint64_t num)
{
	switch (kind) {
	case VIGIL_INT_ARG_INT:
		fprintf(out, "%" PRId32, (int32_t)(uint32_t)num);
		break;
	case VIGIL_INT_ARG_UINT:
		fprintf(out, "%" PRIu32, (uint32_t)num);
		break;
	case VIGIL_INT_ARG_SIZE:
		fprintf(out, "%" PRIu64, num);
		break;
	case VIGIL_INT_ARG_LONG:
		fprintf(out, "%" PRId64, (int64_t)num);
		break;
	}
}

/* "123 B", "1.2 KB", "4.5 MB", "2.0 GB" (powers of 1,000) */
static void put_bytes(FILE *out, uint64_t n)
{
	static const char *const unit[] = { "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = -1;

	if (n < 1000) {
		fprintf(out, "%" PRIu64 " B", n);
		return;
	}
	while (v >= 1000 && u < 3) {
		v /= 1000;
		u++;
	}
	fprintf(out, "%.1f %s", v, unit[u]);
}

void vigil_compact_put_labeled_int(FILE *out, const char *label, enum vigil_int_arg kind,
				   uint64_t num)
{
	if (label && !strcmp(label, "bytes_acked")) {
		fputs("sent ", out);
		put_bytes(out, num);
	} else if (label && !strcmp(label, "bytes_received")) {
		fputs("recv ", out);
		put_bytes(out, num);
	} else {
		vigil_compact_put_int(out, kind, num);
	}
}

void vigil_compact_put_capability(FILE *out, const char *name, int32_t value)
{
	if (name && name[0])
		vigil_put_quoted(out, name, false);
	else
		fprintf(out, "%" PRId32, value);
}

void vigil_compact_put_cred(FILE *out, uint32_t uid, uint32_t euid, uint32_t gid, uint32_t egid)
{
	fprintf(out, "uid=%" PRIu32 " euid=%" PRIu32 " gid=%" PRIu32 " egid=%" PRIu32, uid, euid,
		gid, egid);
}
