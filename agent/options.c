// SPDX-License-Identifier: Apache-2.0
/*
 * options.c - vigild's command line.  Every value is checked here, before
 * anything is attached: a bad flag is one message and exit status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "sensor.h"
#include "utf8.h"

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "export-filename", required_argument, NULL, 'e' },
	{ "node-name", required_argument, NULL, 'n' },
	{ "ready-file", required_argument, NULL, 'r' },
	{ "stats-file", required_argument, NULL, 's' },
	{ "no-seed", no_argument, NULL, 'S' },
	{ "rb-size", required_argument, NULL, 'b' },
	{ "enable-process-cred", optional_argument, NULL, 'C' },
	{ "enable-process-ns", optional_argument, NULL, 'N' },
	{ "enable-network-events", optional_argument, NULL, 'E' },
	{ "process-cache-gc-interval", required_argument, NULL, 'g' },
	{ "bpf-dir", required_argument, NULL, 'B' },
	{ "state-dir", required_argument, NULL, 'D' },
	{ "tracing-policy", required_argument, NULL, 't' },
	{ "tracing-policy-dir", required_argument, NULL, 'T' },
	{ "no-watch-policy-dir", no_argument, NULL, 'W' },
	{ "server-address", required_argument, NULL, 'a' },
	{ "k8s", no_argument, NULL, 'K' },
	{ "kubeconfig", required_argument, NULL, 'k' },
	{ "export-allowlist", required_argument, NULL, 'A' },
	{ "export-denylist", required_argument, NULL, 'd' },
	{ "probe", no_argument, NULL, 'p' },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

void vigil_options_usage(FILE *f)
{
	fprintf(f,
		"usage: vigild [OPTION]...\n"
		"       vigild --probe [--json]\n"
		"\n"
		"Streams process events (exec, exit) and the events of tracing policies as\n"
		"Tetragon export JSON, and enforces the policies in the kernel.\n"
		"\n"
		"Output:\n"
		"  --output json|compact|none    what stdout gets (default: json; none when\n"
		"                                --export-filename is given)\n"
		"  --export-filename PATH        append JSON events to PATH (created 0600; a\n"
		"                                symlink is refused; SIGHUP reopens it)\n"
		"  --node-name NAME              node_name in events, at most 255 bytes of UTF-8\n"
		"                                (default: $NODE_NAME, else the host name)\n"
		"  --enable-process-cred[=false] cap and process_credentials in events (default "
		"on)\n"
		"  --enable-process-ns[=false]   ns in events (default on)\n"
		"  --export-allowlist JSON       write only the events that match one of these\n"
		"                                filters (Tetragon's filter JSON, one object per\n"
		"                                line) to the export file and stdout\n"
		"  --export-denylist JSON        write no event that matches one of these\n"
		"                                filters\n"
		"\n"
		"API:\n"
		"  --server-address ADDR         serve the gRPC API (Tetragon's\n"
		"                                FineGuidanceSensors) on unix:PATH (root only) or\n"
		"                                HOST:PORT, e.g. localhost:54321 (default\n"
		"                                " VIGIL_DEFAULT_SERVER "; \"\" for none)\n"
		"\n"
		"Files:\n"
		"  --ready-file PATH             written with vigild's pid once it is ready\n"
		"  --stats-file PATH             event, loss and output counters, written at exit\n"
		"  --bpf-dir DIR                 bpffs directory for the pinned process table "
		"that\n"
		"                                keeps process identity across restarts\n"
		"                                (default " VIGIL_DEFAULT_BPF_DIR ")\n"
		"  --state-dir DIR               where process records are saved at exit for the\n"
		"                                next start (default " VIGIL_DEFAULT_STATE_DIR ")\n"
		"\n"
		"Network:\n"
		"  --enable-network-events[=false]\n"
		"                                TCP connect, accept, listen and close, and UDP\n"
		"                                datagrams to or from a new peer, as "
		"process_kprobe\n"
		"                                events (default false)\n"
		"\n"
		"Policies:\n"
		"  --tracing-policy FILE         load this TracingPolicy at start; vigild stops\n"
		"                                if it cannot load whole (repeatable, up to 64)\n"
		"  --tracing-policy-dir DIR      load every *.yaml and *.yml of DIR (default\n"
		"                                " VIGIL_DEFAULT_POLICY_DIR "), then follow it:\n"
		"                                a file written or moved in is loaded (a policy\n"
		"                                of the same name is replaced without a gap), one\n"
		"                                removed deletes its policy; a file that fails is\n"
		"                                reported and its earlier version kept; a missing\n"
		"                                DIR is loaded when it appears\n"
		"  --no-watch-policy-dir         load DIR at start only\n"
		"\n"
		"Kubernetes:\n"
		"  --k8s                         load the cluster's TracingPolicy and\n"
		"                                TracingPolicyNamespaced resources and follow\n"
		"                                them; a resource that fails to load gets a\n"
		"                                Warning Event.  The API server is the pod's\n"
		"                                service account's, or --kubeconfig's\n"
		"  --kubeconfig PATH             reach the API server as this kubeconfig's\n"
		"                                current context says (implies --k8s)\n"
		"\n"
		"Tuning:\n"
		"  --rb-size BYTES               kernel ring buffer, a power of two from %u to 1 "
		"GiB\n"
		"                                (default 4 MiB)\n"
		"  --process-cache-gc-interval D how often process records whose exit was lost\n"
		"                                are looked for (e.g. 30s, 500ms, 2m; default "
		"30s)\n"
		"  --no-seed                     do not read processes older than vigild from "
		"/proc\n"
		"\n"
		"Other:\n"
		"  --probe                       print the kernel feature table and exit\n"
		"  --json                        with --probe: as JSON\n"
		"  --verbose                     debug messages and libbpf's own\n"
		"  --help                        this text\n",
		vigil_rb_size_min());
}

uint32_t vigil_rb_size_min(void)
{
	/* One record: 8-byte ring header plus the largest exec message. */
	uint64_t need = 8 + sizeof(struct vigil_exec_event) + VIGIL_DATA_MAX, size = 4096;

	while (size < need)
		size <<= 1;
	return (uint32_t)size;
}

int vigil_options_set_node(struct vigil_options *o, const char *name, const char *from)
{
	size_t len = strlen(name);

	if (len > VIGIL_NODE_NAME_MAX) {
		fprintf(stderr, "vigild: %s: node name of %zu bytes; at most %d are allowed\n",
			from, len, VIGIL_NODE_NAME_MAX);
		return -EINVAL;
	}
	if (!vigil_utf8_valid(name, len)) {
		fprintf(stderr, "vigild: %s: node name is not valid UTF-8\n", from);
		return -EINVAL;
	}
	memcpy(o->node, name, len + 1);
	return 0;
}

/* "30s", "500ms", "2m", "1h" or plain seconds -> milliseconds (>= 1). */
static int parse_interval(const char *s, uint32_t *ms)
{
	char *end;
	double v = strtod(s, &end), unit;

	if (end == s || v <= 0)
		return -EINVAL;
	if (!*end || !strcmp(end, "s"))
		unit = 1000;
	else if (!strcmp(end, "ms"))
		unit = 1;
	else if (!strcmp(end, "m"))
		unit = 60000;
	else if (!strcmp(end, "h"))
		unit = 3600000;
	else
		return -EINVAL;
	if (v * unit < 1 || v * unit > 86400000.0)
		return -EINVAL;
	*ms = (uint32_t)(v * unit);
	return 0;
}

static int parse_bool_flag(const char *name, const char *arg, bool *on)
{
	*on = !arg || strcmp(arg, "true") == 0;
	if (arg && !*on && strcmp(arg, "false") != 0) {
		fprintf(stderr, "vigild: --%s: '%s' is neither true nor false\n", name, arg);
		return -EINVAL;
	}
	return 0;
}

static int parse_one(int c, const char *arg, struct vigil_options *o)
{
	unsigned long long v;
	char *end;
	bool on;

	switch (c) {
	case 'o':
		if (!strcmp(arg, "json"))
			o->mode = VIGIL_STDOUT_JSON;
		else if (!strcmp(arg, "compact"))
			o->mode = VIGIL_STDOUT_COMPACT;
		else if (!strcmp(arg, "none"))
			o->mode = VIGIL_STDOUT_NONE;
		else {
			fprintf(stderr,
				"vigild: --output: unknown mode '%s' (json, compact or none)\n",
				arg);
			return -EINVAL;
		}
		return 0;
	case 'e':
		o->export_path = arg;
		return 0;
	case 'n':
		return vigil_options_set_node(o, arg, "--node-name");
	case 'r':
		o->ready_path = arg;
		return 0;
	case 's':
		o->stats_path = arg;
		return 0;
	case 'S':
		o->seed = false;
		return 0;
	case 'b':
		v = strtoull(arg, &end, 0);
		if (*end || !vigil_rb_size_valid(v)) {
			fprintf(stderr,
				"vigild: --rb-size: '%s' is not a power of two between the page "
				"size "
				"and 1 GiB\n",
				arg);
			return -EINVAL;
		}
		if (v < vigil_rb_size_min()) {
			fprintf(stderr,
				"vigild: --rb-size: %llu cannot hold the largest event; the "
				"minimum is "
				"%u\n",
				v, vigil_rb_size_min());
			return -EINVAL;
		}
		o->rb_size = (uint32_t)v;
		return 0;
	case 'C':
		if (parse_bool_flag("enable-process-cred", arg, &on))
			return -EINVAL;
		o->no_creds = !on;
		return 0;
	case 'N':
		if (parse_bool_flag("enable-process-ns", arg, &on))
			return -EINVAL;
		o->no_ns = !on;
		return 0;
	case 'E':
		if (parse_bool_flag("enable-network-events", arg, &on))
			return -EINVAL;
		o->network = on;
		return 0;
	case 'g':
		if (parse_interval(arg, &o->gc_interval_ms)) {
			fprintf(stderr,
				"vigild: --process-cache-gc-interval: '%s' is not a duration such "
				"as "
				"30s, 500ms or 2m (at most 24h)\n",
				arg);
			return -EINVAL;
		}
		return 0;
	case 'B':
		o->bpf_dir = arg;
		return 0;
	case 'D':
		o->state_dir = arg;
		return 0;
	case 't':
		if (o->npolicy_files == VIGIL_POLICY_FILES_MAX) {
			fprintf(stderr,
				"vigild: --tracing-policy: at most %d files; use "
				"--tracing-policy-dir\n",
				VIGIL_POLICY_FILES_MAX);
			return -EINVAL;
		}
		o->policy_files[o->npolicy_files++] = arg;
		return 0;
	case 'T':
		o->policy_dir = arg;
		o->policy_dir_given = true;
		return 0;
	case 'W':
		o->watch_policy_dir = false;
		return 0;
	case 'a':
		o->server_address = arg;
		return 0;
	case 'K':
		o->k8s = true;
		return 0;
	case 'k':
		o->k8s = true;
		o->kubeconfig = arg;
		return 0;
	case 'A':
		o->export_allow = arg;
		return 0;
	case 'd':
		o->export_deny = arg;
		return 0;
	case 'p':
		o->probe_only = true;
		return 0;
	case 'j':
		o->probe_json = true;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	default:
		vigil_options_usage(stderr);
		return -EINVAL;
	}
}

int vigil_options_parse(int argc, char **argv, struct vigil_options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->seed = true;
	o->watch_policy_dir = true;
	o->bpf_dir = VIGIL_DEFAULT_BPF_DIR;
	o->state_dir = VIGIL_DEFAULT_STATE_DIR;
	o->policy_dir = VIGIL_DEFAULT_POLICY_DIR;
	o->gc_interval_ms = VIGIL_DEFAULT_GC_INTERVAL;
	o->server_address = VIGIL_DEFAULT_SERVER;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == 'h') {
			vigil_options_usage(stdout);
			return 1;
		}
		if (parse_one(c, optarg, o))
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "vigild: unexpected argument '%s'\n", argv[optind]);
		vigil_options_usage(stderr);
		return -EINVAL;
	}
	if (o->probe_json && !o->probe_only) {
		fprintf(stderr, "vigild: --json goes with --probe\n");
		return -EINVAL;
	}
	if (o->mode == VIGIL_STDOUT_NONE && !o->export_path) {
		fprintf(stderr,
			"vigild: --output none without --export-filename would write events "
			"nowhere\n");
		return -EINVAL;
	}
	if (o->mode == VIGIL_STDOUT_DEFAULT)
		o->mode = o->export_path ? VIGIL_STDOUT_NONE : VIGIL_STDOUT_JSON;
	return 0;
}
