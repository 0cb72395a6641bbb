// SPDX-License-Identifier: Apache-2.0
/*
 * render.c - API messages as text for a person: the compact event line
 * (from the pieces vigild's own compact encoder uses) and the table of
 * tracing policies (render.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "compact_text.h"
#include "render.h"
#include "utf8.h"

/* --- compact event line -------------------------------------------------- */

/* The parts of a policy event that the line shows, whichever message. */
struct policy_view {
	enum vigil_out_policy_kind kind;
	const char *subsys; /* a tracepoint's */
	const char *function;
	Tetragon__KprobeArgument *const *args;
	size_t nargs;
	Tetragon__KprobeAction action;
};

static uint32_t u32v(const Google__Protobuf__UInt32Value *v)
{
	return v ? v->value : 0;
}

static bool is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

static void put_path(FILE *out, const char *path)
{
	vigil_put_quoted(out, path, false);
}

static void put_sock(FILE *out, const Tetragon__KprobeSock *s)
{
	bool v6 = is(s->family, "AF_INET6");

	vigil_compact_put_protocol(out, s->protocol);
	fputc(' ', out);
	vigil_compact_put_endpoint(out, v6, s->saddr, s->sport);
	fputs(" -> ", out);
	vigil_compact_put_endpoint(out, v6, s->daddr, s->dport);
}

static void put_skb(FILE *out, const Tetragon__KprobeSkb *s)
{
	bool v6 = is(s->family, "AF_INET6");

	if (!s->family || !s->family[0]) { /* not an IP packet */
		fprintf(out, "len=%" PRIu32, s->len);
		return;
	}
	vigil_compact_put_protocol(out, s->protocol);
	fputc(' ', out);
	vigil_compact_put_endpoint(out, v6, s->saddr, s->sport);
	fputs(" -> ", out);
	vigil_compact_put_endpoint(out, v6, s->daddr, s->dport);
}

static void put_sockaddr(FILE *out, const Tetragon__KprobeSockaddr *s)
{
	if (is(s->family, "AF_INET") || is(s->family, "AF_INET6"))
		vigil_compact_put_endpoint(out, is(s->family, "AF_INET6"), s->addr, s->port);
	else
		vigil_put_quoted(out, s->family, false);
}

static void put_arg(FILE *out, const Tetragon__KprobeArgument *a)
{
	const Tetragon__ProcessCredentials *c;
	const ProtobufCFieldDescriptor *f;

	switch (a->arg_case) {
	case TETRAGON__KPROBE_ARGUMENT__ARG__NOT_SET:
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_STRING_ARG:
		vigil_put_quoted(out, a->string_arg, false);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG:
		vigil_compact_put_int(out, VIGIL_INT_ARG_INT, (uint64_t)(int64_t)a->int_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_UINT_ARG:
		vigil_compact_put_int(out, VIGIL_INT_ARG_UINT, a->uint_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_SIZE_ARG:
		vigil_compact_put_labeled_int(out, a->label, VIGIL_INT_ARG_SIZE, a->size_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_LONG_ARG:
		vigil_compact_put_int(out, VIGIL_INT_ARG_LONG, (uint64_t)a->long_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_BYTES_ARG:
		vigil_put_quoted_len(out, (const char *)a->bytes_arg.data, a->bytes_arg.len, false);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_TRUNCATED_BYTES_ARG:
		if (a->truncated_bytes_arg)
			vigil_put_quoted_len(out,
					     (const char *)a->truncated_bytes_arg->bytes_arg.data,
					     a->truncated_bytes_arg->bytes_arg.len, false);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_PATH_ARG:
		if (a->path_arg)
			put_path(out, a->path_arg->path);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_FILE_ARG:
		if (a->file_arg)
			put_path(out, a->file_arg->path);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_LINUX_BINPRM_ARG:
		if (a->linux_binprm_arg)
			put_path(out, a->linux_binprm_arg->path);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_CAPABILITY_ARG:
		if (a->capability_arg)
			vigil_compact_put_capability(
				out, a->capability_arg->name,
				a->capability_arg->value ? a->capability_arg->value->value : 0);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_PROCESS_CREDENTIALS_ARG:
		c = a->process_credentials_arg;
		if (c)
			vigil_compact_put_cred(out, u32v(c->uid), u32v(c->euid), u32v(c->gid),
					       u32v(c->egid));
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_SOCK_ARG:
		if (a->sock_arg)
			put_sock(out, a->sock_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_SKB_ARG:
		if (a->skb_arg)
			put_skb(out, a->skb_arg);
		break;
	case TETRAGON__KPROBE_ARGUMENT__ARG_SOCKADDR_ARG:
		if (a->sockaddr_arg)
			put_sockaddr(out, a->sockaddr_arg);
		break;
	default: /* a type vigild does not send: its name */
		f = protobuf_c_message_descriptor_get_field(&tetragon__kprobe_argument__descriptor,
							    (unsigned int)a->arg_case);
		fprintf(out, "<%s>", f ? f->name : "?");
		break;
	}
}

static bool policy_view(const Tetragon__GetEventsResponse *ev, const Tetragon__Process **proc,
			struct policy_view *v)
{
	const Tetragon__ProcessTracepoint *tp;
	const Tetragon__ProcessKprobe *kp;
	const Tetragon__ProcessLsm *lsm;

	switch (ev->event_case) {
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE:
		kp = ev->process_kprobe;
		if (!kp)
			return false;
		*proc = kp->process;
		*v = (struct policy_view){ VIGIL_OUT_KPROBE, NULL,	 kp->function_name,
					   kp->args,	     kp->n_args, kp->action };
		return true;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT:
		tp = ev->process_tracepoint;
		if (!tp)
			return false;
		*proc = tp->process;
		*v = (struct policy_view){ VIGIL_OUT_TRACEPOINT, tp->subsys, tp->event, tp->args,
					   tp->n_args,		 tp->action };
		return true;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM:
		lsm = ev->process_lsm;
		if (!lsm)
			return false;
		*proc = lsm->process;
		*v = (struct policy_view){ VIGIL_OUT_LSM, NULL,	       lsm->function_name,
					   lsm->args,	  lsm->n_args, lsm->action };
		return true;
	default:
		return false;
	}
}

static void put_process(FILE *out, const Tetragon__GetEventsResponse *ev,
			const Tetragon__Process *p)
{
	const Tetragon__Pod *pod = p->pod;

	vigil_compact_put_process(out, pod ? pod->namespace_ : NULL, pod ? pod->name : NULL,
				  p->docker, ev->node_name, p->binary, p->arguments);
}

static int render_policy(FILE *out, const Tetragon__GetEventsResponse *ev)
{
	const Tetragon__Process *p = NULL;
	struct policy_view v;
	size_t i;

	if (!policy_view(ev, &p, &v) || !p)
		return -EINVAL;
	vigil_compact_put_tag(
		out,
		vigil_compact_policy_tag(
			v.kind, v.action == TETRAGON__KPROBE_ACTION__KPROBE_ACTION_SIGKILL,
			v.action == TETRAGON__KPROBE_ACTION__KPROBE_ACTION_OVERRIDE, v.function),
		false);
	put_process(out, ev, p);
	fputc(' ', out);
	if (v.subsys && v.subsys[0]) {
		vigil_put_quoted(out, v.subsys, false);
		fputc('/', out);
	}
	vigil_put_quoted(out, v.function, false);
	for (i = 0; i < v.nargs; i++) {
		fputc(' ', out);
		if (v.args[i])
			put_arg(out, v.args[i]);
	}
	return 0;
}

int vigil_render_compact(FILE *out, const Tetragon__GetEventsResponse *ev)
{
	const Tetragon__ProcessExit *exit;
	int err = 0;

	switch (ev->event_case) {
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC:
		if (!ev->process_exec || !ev->process_exec->process)
			return -EINVAL;
		vigil_compact_put_tag(out, VIGIL_TAG_PROCESS, false);
		put_process(out, ev, ev->process_exec->process);
		break;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT:
		exit = ev->process_exit;
		if (!exit || !exit->process)
			return -EINVAL;
		vigil_compact_put_tag(out, VIGIL_TAG_EXIT, false);
		put_process(out, ev, exit->process);
		fputc(' ', out);
		if (exit->signal && exit->signal[0])
			vigil_put_quoted(out, exit->signal, false);
		else
			fprintf(out, "%" PRIu32, exit->status);
		break;
	case TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO:
		if (!ev->rate_limit_info)
			return -EINVAL;
		vigil_compact_put_tag(out, VIGIL_TAG_LOST, false);
		vigil_put_quoted(out, ev->node_name, false);
		fprintf(out, " %" PRIu64 " events",
			ev->rate_limit_info->number_of_dropped_process_events);
		break;
	default:
		err = render_policy(out, ev);
		if (err)
			return err;
		break;
	}
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}

/* --- policy table -------------------------------------------------------- */

enum col {
	COL_ID,
	COL_NAME,
	COL_NAMESPACE,
	COL_STATE,
	COL_MODE,
	COL_SENSORS,
	COL_KMEM,
	COL_NPOST,
	COL_NENFORCE,
	COL_NMONITOR,
	COL_ERROR,
	NCOLS,
};

static const char *const headers[NCOLS] = {
	"ID",		"NAME",	 "NAMESPACE", "STATE",	  "MODE",  "SENSORS",
	"KERNELMEMORY", "NPOST", "NENFORCE",  "NMONITOR", "ERROR",
};

/* Columns on screen: one per character (the text is escaped already). */
static size_t width(const char *s)
{
	size_t i, n, w = 0, len = strlen(s);
	uint32_t cp;

	for (i = 0; i < len; i += n) {
		n = vigil_utf8_decode(s + i, len - i, &cp);
		w++;
	}
	return w;
}

/* An enum value's name without its prefix, in lower case ("enabled" for
 * TP_STATE_ENABLED), or its number. */
static void put_enum(FILE *out, const ProtobufCEnumDescriptor *d, int v, const char *prefix)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
	const char *s;

	if (!ev) {
		fprintf(out, "%d", v);
		return;
	}
	s = ev->name;
	if (!strncmp(s, prefix, strlen(prefix)))
		s += strlen(prefix);
	for (; *s; s++)
		fputc(tolower((unsigned char)*s), out);
}

/* As Tetragon's CLI: "512 B", "4.46 MB" (powers of 1000). */
static void put_bytes(FILE *out, uint64_t b)
{
	static const char units[] = "kMGTPE";
	uint64_t div = 1000;
	int exp = 0;

	if (b < 1000) {
		fprintf(out, "%" PRIu64 " B", b);
		return;
	}
	while (b / div >= 1000 && exp < 5) {
		div *= 1000;
		exp++;
	}
	fprintf(out, "%.2f %cB", (double)b / (double)div, units[exp]);
}

static void put_cell(FILE *out, const Tetragon__TracingPolicyStatus *p, enum col c)
{
	const Tetragon__TracingPolicyActionCounters *k =
		p->stats ? p->stats->action_counters : NULL;

	switch (c) {
	case COL_ID:
		fprintf(out, "%" PRIu64, p->id);
		break;
	case COL_NAME:
		vigil_put_quoted(out, p->name, false);
		break;
	case COL_NAMESPACE:
		if (p->namespace_ && p->namespace_[0])
			vigil_put_quoted(out, p->namespace_, false);
		else
			fputs("(global)", out);
		break;
	case COL_STATE:
		put_enum(out, &tetragon__tracing_policy_state__descriptor, p->state, "TP_STATE_");
		break;
	case COL_MODE:
		put_enum(out, &tetragon__tracing_policy_mode__descriptor, p->mode, "TP_MODE_");
		break;
	case COL_SENSORS:
		fprintf(out, "%zu", p->n_sensors);
		break;
	case COL_KMEM:
		put_bytes(out, p->kernel_memory_bytes);
		break;
	case COL_NPOST:
		fprintf(out, "%" PRIu64, k ? k->post : 0);
		break;
	case COL_NENFORCE:
		fprintf(out, "%" PRIu64,
			k ? k->signal + k->override + k->notify_enforcer + k->set : 0);
		break;
	case COL_NMONITOR:
		fprintf(out, "%" PRIu64,
			k ? k->monitor_signal + k->monitor_override + k->monitor_notify_enforcer +
					k->monitor_set
			  : 0);
		break;
	case COL_ERROR: /* sentences: spaces are fine, the rest escaped */
		vigil_put_quoted(out, p->error, true);
		break;
	case NCOLS:
		break;
	}
}

/* One cell's text, malloc'd, or NULL. */
static char *cell(const Tetragon__TracingPolicyStatus *p, enum col c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	put_cell(f, p, c);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int vigil_render_policies(FILE *out, const Tetragon__ListTracingPoliciesResponse *r)
{
	size_t rows = r->n_policies, i, w[NCOLS];
	char **cells = calloc((rows ? rows : 1) * NCOLS, sizeof(*cells));
	int c, err = 0;

	if (!cells)
		return -ENOMEM;
	for (c = 0; c < NCOLS; c++)
		w[c] = strlen(headers[c]);
	for (i = 0; i < rows; i++) {
		if (!r->policies[i]) {
			err = -EINVAL;
			goto cleanup;
		}
		for (c = 0; c < NCOLS; c++) {
			char *s = cell(r->policies[i], (enum col)c);

			if (!s) {
				err = -ENOMEM;
				goto cleanup;
			}
			cells[i * NCOLS + (size_t)c] = s;
			if (width(s) > w[c])
				w[c] = width(s);
		}
	}
	for (c = 0; c < NCOLS - 1; c++)
		fprintf(out, "%-*s   ", (int)w[c], headers[c]);
	fprintf(out, "%s\n", headers[NCOLS - 1]);
	for (i = 0; i < rows; i++)
		for (c = 0; c < NCOLS; c++) {
			const char *s = cells[i * NCOLS + (size_t)c];

			/* pad by characters, not bytes */
			fputs(s, out);
			if (c < NCOLS - 1)
				fprintf(out, "%*s", (int)(w[c] - width(s) + 3), "");
			else
				fputc('\n', out);
		}
	if (ferror(out))
		err = -EIO;
cleanup:
	for (i = 0; i < rows * NCOLS; i++)
		free(cells[i]);
	free(cells);
	return err;
}
