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
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "encode.h"
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

static void put_quoted(FILE *out, const char *s, bool space_ok)
{
	size_t len = strlen(s), i, k, n;
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
