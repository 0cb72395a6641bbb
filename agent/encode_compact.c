// SPDX-License-Identifier: Apache-2.0
/*
 * encode_compact.c - an agent event as one compact human line (the format
 * and its escaping rules are in compact_text.h, shared with the CLI's
 * renderer of API messages, cli/render.c: the two print the same line for
 * the same event).  Every value is printed as the JSON export types it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "compact_text.h"
#include "encode.h"
#include "k8s_pod.h"
#include "values.h"

/* vigil_format_addr() of a socket's address. */
static void put_endpoint(FILE *out, uint16_t family, const uint8_t a[16], uint16_t port)
{
	char buf[INET6_ADDRSTRLEN];

	vigil_format_addr(a, buf, sizeof(buf));
	vigil_compact_put_endpoint(out, family == AF_INET6, buf, port);
}

static void put_protocol(FILE *out, uint16_t protocol)
{
	char num[16];

	vigil_compact_put_protocol(out, vigil_name_or_number(vigil_protocol_name(protocol),
							     protocol, num, sizeof(num)));
}

/* Arguments held as structs (copied out first: message bytes may be
 * unaligned): sockets as "tcp SRC -> DST", a packet that is not IP as its
 * length, a sockaddr as its one address (another family as its name), a
 * cred as its ids, bytes escaped.  A record of the wrong size prints
 * nothing, as the message leaves such an argument unset. */
static void put_struct_arg(FILE *out, const struct vigil_out_arg *a)
{
	struct vigil_sock_info si;
	struct vigil_skb_info skb;
	struct vigil_creds c;
	char num[16];

	switch (a->type) {
	case VIGIL_AT_SOCK:
		if (a->bin_len != sizeof(si))
			return;
		memcpy(&si, a->bin, sizeof(si));
		put_protocol(out, si.protocol);
		fputc(' ', out);
		put_endpoint(out, si.family, si.saddr, si.sport);
		fputs(" -> ", out);
		put_endpoint(out, si.family, si.daddr, si.dport);
		return;
	case VIGIL_AT_SKB:
		if (a->bin_len != sizeof(skb))
			return;
		memcpy(&skb, a->bin, sizeof(skb));
		if (!skb.family) {
			fprintf(out, "len=%u", skb.len);
			return;
		}
		put_protocol(out, skb.protocol);
		fputc(' ', out);
		put_endpoint(out, skb.family, skb.saddr, skb.sport);
		fputs(" -> ", out);
		put_endpoint(out, skb.family, skb.daddr, skb.dport);
		return;
	case VIGIL_AT_SOCKADDR:
		if (a->bin_len != sizeof(si))
			return;
		memcpy(&si, a->bin, sizeof(si));
		if (si.family == AF_INET || si.family == AF_INET6)
			put_endpoint(out, si.family, si.saddr, si.sport);
		else
			vigil_put_quoted(out,
					 vigil_name_or_number(vigil_family_name(si.family),
							      si.family, num, sizeof(num)),
					 false);
		return;
	case VIGIL_AT_CHAR_BUF: /* bytes, NULs included, escaped */
		vigil_put_quoted_len(out, a->bin, a->bin_len, false);
		return;
	case VIGIL_AT_CRED:
		if (a->bin_len != sizeof(c))
			return;
		memcpy(&c, a->bin, sizeof(c));
		vigil_compact_put_cred(out, c.uid, c.euid, c.gid, c.egid);
		return;
	}
}

static void put_arg(FILE *out, const struct vigil_out_arg *a)
{
	switch (a->type) {
	case VIGIL_AT_INT:
		vigil_compact_put_labeled_int(out, a->label, vigil_int_arg_kind(a->type_name),
					      a->num);
		break;
	case VIGIL_AT_CAPABILITY:
		vigil_compact_put_capability(out, vigil_cap_enum_name((unsigned int)a->num),
					     (int32_t)a->num);
		break;
	case VIGIL_AT_CHAR_BUF:
	case VIGIL_AT_CRED:
	case VIGIL_AT_SOCK:
	case VIGIL_AT_SOCKADDR:
	case VIGIL_AT_SKB:
		if (a->bin)
			put_struct_arg(out, a);
		break;
	default: /* strings and paths */
		vigil_put_quoted(out, a->str, false);
		break;
	}
}

/* " <function> <argument values>"; a tracepoint's function is
 * "subsys/event". */
static void policy_tail(FILE *out, const struct vigil_out_policy *pol)
{
	size_t i;

	fputc(' ', out);
	if (pol->kind == VIGIL_OUT_TRACEPOINT && pol->subsys && pol->subsys[0]) {
		vigil_put_quoted(out, pol->subsys, false);
		fputc('/', out);
	}
	vigil_put_quoted(out, pol->function_name, false);
	for (i = 0; i < pol->nargs; i++) {
		fputc(' ', out);
		put_arg(out, &pol->args[i]);
	}
}

int vigil_write_compact(FILE *out, const struct vigil_encode_ctx *ctx,
			const struct vigil_out_event *ev)
{
	const struct vigil_out_policy *pol = ev->pol;
	const struct vigil_process *p = ev->proc;
	char sig[32];

	switch (ev->kind) {
	case VIGIL_OUT_EXEC:
		vigil_compact_put_tag(out, VIGIL_TAG_PROCESS, false);
		break;
	case VIGIL_OUT_EXIT:
		vigil_compact_put_tag(out, VIGIL_TAG_EXIT, false);
		break;
	case VIGIL_OUT_POLICY:
		vigil_compact_put_tag(out,
				      vigil_compact_policy_tag(pol->kind,
							       pol->action & VIGIL_ACTION_SIGKILL,
							       pol->action & VIGIL_ACTION_OVERRIDE,
							       pol->function_name),
				      pol->monitor);
		break;
	}
	vigil_compact_put_process(out, p->pod ? p->pod->ns : NULL, p->pod ? p->pod->name : NULL,
				  p->container_id, ctx->node_name, p->binary, p->args);
	if (ev->kind == VIGIL_OUT_POLICY)
		policy_tail(out, pol);
	if (ev->kind == VIGIL_OUT_EXIT) {
		vigil_signal_name(ev->exit_code & 0x7f, sig, sizeof(sig));
		if (sig[0])
			fprintf(out, " %s", sig);
		else
			fprintf(out, " %u", (ev->exit_code >> 8) & 0xff);
	}
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}
