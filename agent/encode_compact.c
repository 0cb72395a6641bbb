// SPDX-License-Identifier: Apache-2.0
/*
 * encode_compact.c - one human line per event:
 *   🚀 process <source> <binary> <arguments>
 *   💥 exit    <source> <binary> <arguments> <status or signal>
 * <source> is the short container id for a container, the node name
 * otherwise.  Untrusted strings holding spaces or control characters are
 * printed quoted and escaped so that they cannot forge a line.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "encode.h"

static bool needs_quote(const char *s, bool space_ok)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < ' ' || c == 0x7f || ((c == ' ' || c == '"') && !space_ok))
			return true;
	}
	return false;
}

/* Arguments are space-separated and carry Tetragon's quotes by nature: only
 * control characters make them quoted.  Other fields are quoted on spaces
 * and quotes as well. */
static void put_quoted(FILE *out, const char *s, bool space_ok)
{
	if (!needs_quote(s, space_ok)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < ' ' || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

int vigil_write_compact(FILE *out, const struct vigil_encode_ctx *ctx,
			const struct vigil_out_event *ev)
{
	const struct vigil_process *p = ev->proc;
	char source[16];

	if (ev->kind == VIGIL_OUT_EXEC)
		fprintf(out, "🚀 %-7s ", "process");
	else
		fprintf(out, "💥 %-7s ", "exit");
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
