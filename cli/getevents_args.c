// SPDX-License-Identifier: Apache-2.0
/*
 * getevents_args.c - vigil getevents's command line, made into the
 * GetEventsRequest it sends: every filter flag goes into one allow_list
 * filter (an event must match all of them; within one flag, any value).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vigil getevents [OPTION]...\n"
		"\n"
		"Stream vigild's events, one per line, until interrupted.  When vigild\n"
		"restarts, the stream is opened again (said on stderr).  Filters are\n"
		"applied by vigild; an event must match every filter given, and any of\n"
		"the values of one.\n"
		"\n"
		"  -o, --output json|compact   protojson lines, as the export file has them\n"
		"                              (default), or one human line per event\n"
		"      --event-types LIST      event types, comma-separated: PROCESS_EXEC,\n"
		"                              PROCESS_EXIT, PROCESS_KPROBE, PROCESS_TRACEPOINT,\n"
		"                              PROCESS_LSM (or exec, exit, kprobe, ...)\n"
		"      --process REGEX         the binary matches REGEX (repeatable)\n"
		"      --namespace LIST        Kubernetes namespaces, comma-separated\n"
		"      --pod REGEX             the pod's name matches REGEX (repeatable)\n"
		"      --policy-names LIST     events of these tracing policies, comma-separated\n"
		"      --pid LIST              process ids, comma-separated\n"
		"      --server-address ADDR   vigild's API: unix:PATH or HOST:PORT\n"
		"                              (default " CLI_DEFAULT_ADDRESS ")\n"
		"  -h, --help                  this text\n");
}

/* Append s (copied) to the string array *arr of *n. */
static int add_str(struct vigil_arena *a, char ***arr, size_t *n, const char *s, size_t len)
{
	char **grown = vigil_arena_alloc(a, (*n + 1) * sizeof(*grown));
	char *copy = vigil_arena_alloc(a, len + 1);

	if (!grown || !copy)
		return -ENOMEM;
	memcpy(copy, s, len);
	if (*n)
		memcpy(grown, *arr, *n * sizeof(*grown));
	grown[(*n)++] = copy;
	*arr = grown;
	return 0;
}

static int add_u32(struct vigil_arena *a, uint32_t **arr, size_t *n, uint32_t v)
{
	uint32_t *grown = vigil_arena_alloc(a, (*n + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	if (*n)
		memcpy(grown, *arr, *n * sizeof(*grown));
	grown[(*n)++] = v;
	*arr = grown;
	return 0;
}

static int add_event(struct vigil_arena *a, Tetragon__Filter *f, int v)
{
	Tetragon__EventType *grown = vigil_arena_alloc(a, (f->n_event_set + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	if (f->n_event_set)
		memcpy(grown, f->event_set, f->n_event_set * sizeof(*grown));
	grown[f->n_event_set++] = (Tetragon__EventType)v;
	f->event_set = grown;
	return 0;
}

/* An event type by its name, any case, with or without "PROCESS_". */
static int event_type(const char *s, size_t len)
{
	const ProtobufCEnumValue *v;
	char name[64];
	size_t i, o;

	for (o = 0; o < 2; o++) {
		const char *prefix = o ? "PROCESS_" : "";
		size_t pl = strlen(prefix);

		if (len + pl >= sizeof(name))
			return -1;
		memcpy(name, prefix, pl);
		for (i = 0; i < len; i++)
			name[pl + i] = (char)toupper((unsigned char)s[i]);
		name[pl + len] = 0;
		v = protobuf_c_enum_descriptor_get_value_by_name(&tetragon__event_type__descriptor,
								 name);
		if (v && v->value != TETRAGON__EVENT_TYPE__UNDEF)
			return v->value;
	}
	return -1;
}

/* Each comma-separated item of arg, to fn; an empty item is an error. */
static int each_item(const char *opt, const char *arg, FILE *err,
		     int (*fn)(struct cli_getevents *g, const char *s, size_t len, FILE *err),
		     struct cli_getevents *g)
{
	const char *p = arg;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int ret;

		if (!len) {
			fprintf(err, "vigil getevents: --%s: an empty item in the list\n", opt);
			return -EINVAL;
		}
		ret = fn(g, p, len, err);
		if (ret)
			return ret;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int item_event(struct cli_getevents *g, const char *s, size_t len, FILE *err)
{
	char q[VIGIL_QUOTE_BUFSZ];
	int v = event_type(s, len);

	if (v < 0) {
		fprintf(err,
			"vigil getevents: --event-types: unknown event type %s (PROCESS_EXEC, "
			"PROCESS_EXIT, PROCESS_KPROBE, PROCESS_TRACEPOINT, PROCESS_LSM)\n",
			vigil_quote(s, len, q, sizeof(q)));
		return -EINVAL;
	}
	return add_event(&g->arena, g->filter, v);
}

static int item_namespace(struct cli_getevents *g, const char *s, size_t len, FILE *err)
{
	(void)err;
	return add_str(&g->arena, &g->filter->namespace_, &g->filter->n_namespace_, s, len);
}

static int item_policy(struct cli_getevents *g, const char *s, size_t len, FILE *err)
{
	(void)err;
	return add_str(&g->arena, &g->filter->policy_names, &g->filter->n_policy_names, s, len);
}

static int item_pid(struct cli_getevents *g, const char *s, size_t len, FILE *err)
{
	char buf[16], q[VIGIL_QUOTE_BUFSZ], *end;
	unsigned long v;

	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = 0;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (!isdigit((unsigned char)buf[0]) || *end || errno || v > UINT32_MAX)
		goto bad;
	return add_u32(&g->arena, &g->filter->pid, &g->filter->n_pid, (uint32_t)v);
bad:
	fprintf(err, "vigil getevents: --pid: %s is not a process id\n",
		vigil_quote(s, len, q, sizeof(q)));
	return -EINVAL;
}

int cli_getevents_parse(int argc, char **argv, struct cli_getevents *g, FILE *out, FILE *err)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "event-types", required_argument, NULL, 'e' },
		{ "process", required_argument, NULL, 'p' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "pod", required_argument, NULL, 'P' },
		{ "policy-names", required_argument, NULL, 'N' },
		{ "pid", required_argument, NULL, 'i' },
		{ "server-address", required_argument, NULL, CLI_OPT_ADDRESS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char q[VIGIL_QUOTE_BUFSZ];
	int c, ret = 0;

	memset(g, 0, sizeof(*g));
	vigil_arena_init(&g->arena);
	g->address = CLI_DEFAULT_ADDRESS;
	g->req = vigil_arena_alloc(&g->arena, sizeof(*g->req));
	g->filter = vigil_arena_alloc(&g->arena, sizeof(*g->filter));
	if (!g->req || !g->filter) {
		fprintf(err, "vigil getevents: out of memory\n");
		return -ENOMEM;
	}
	tetragon__get_events_request__init(g->req);
	tetragon__filter__init(g->filter);
	argv[0] = (char *)"vigil getevents"; /* getopt's messages name it */
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!strcmp(optarg, "json")) {
				g->output = CLI_OUT_JSON;
			} else if (!strcmp(optarg, "compact")) {
				g->output = CLI_OUT_COMPACT;
			} else {
				fprintf(err,
					"vigil getevents: --output: %s is neither json nor "
					"compact\n",
					vigil_quote_str(optarg, q, sizeof(q)));
				ret = -EINVAL;
			}
			break;
		case 'e':
			ret = each_item("event-types", optarg, err, item_event, g);
			break;
		case 'p':
			ret = add_str(&g->arena, &g->filter->binary_regex,
				      &g->filter->n_binary_regex, optarg, strlen(optarg));
			break;
		case 'n':
			ret = each_item("namespace", optarg, err, item_namespace, g);
			break;
		case 'P':
			ret = add_str(&g->arena, &g->filter->pod_regex, &g->filter->n_pod_regex,
				      optarg, strlen(optarg));
			break;
		case 'N':
			ret = each_item("policy-names", optarg, err, item_policy, g);
			break;
		case 'i':
			ret = each_item("pid", optarg, err, item_pid, g);
			break;
		case CLI_OPT_ADDRESS:
			g->address = optarg;
			break;
		case 'h':
			usage(out);
			return 1;
		default:
			cli_bad_option(err, "getevents", c, argv);
			return -EINVAL;
		}
	}
	if (ret == -ENOMEM)
		fprintf(err, "vigil getevents: out of memory\n");
	if (ret)
		return -EINVAL;
	if (optind < argc) {
		fprintf(err, "vigil getevents: unexpected argument %s\n",
			vigil_quote_str(argv[optind], q, sizeof(q)));
		return -EINVAL;
	}
	if (!g->address[0]) {
		fprintf(err, "vigil getevents: --server-address is empty\n");
		return -EINVAL;
	}
	/* A filter only when a flag set something: none sends every event. */
	if (protobuf_c_message_get_packed_size(&g->filter->base)) {
		g->req->allow_list = vigil_arena_alloc(&g->arena, sizeof(*g->req->allow_list));
		if (!g->req->allow_list) {
			fprintf(err, "vigil getevents: out of memory\n");
			return -ENOMEM;
		}
		g->req->allow_list[0] = g->filter;
		g->req->n_allow_list = 1;
	}
	return 0;
}

void cli_getevents_free(struct cli_getevents *g)
{
	vigil_arena_free(&g->arena);
	g->req = NULL;
	g->filter = NULL;
}
