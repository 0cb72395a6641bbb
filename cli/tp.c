// SPDX-License-Identifier: Apache-2.0
/*
 * tp.c - vigil tracingpolicy (tp): add, delete, list, enable, disable and
 * set-mode, each one unary call to vigild.  A policy that does not load
 * comes back with vigild's diagnostics, which name the file given to add
 * at line:column, as `vigil policy lint` does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "protojson.h"
#include "readfile.h"
#include "render.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil tracingpolicy|tp SUBCOMMAND [ARGS] [--server-address ADDR]\n"
		   "\n"
		   "Manage vigild's tracing policies through its API.\n"
		   "\n"
		   "subcommands:\n"
		   "  add FILE [--mode enforce|monitor]   load a TracingPolicy (YAML) file\n"
		   "  delete NAME                         unload a policy\n"
		   "  list [-o table|json]                the loaded policies: state, mode,\n"
		   "                                      errors, kernel memory, counters\n"
		   "  enable NAME                         switch a policy on\n"
		   "  disable NAME                        switch a policy off (it stays loaded)\n"
		   "  set-mode NAME enforce|monitor       act, or only report what would be done\n"
		   "\n"
		   "  --server-address ADDR   unix:PATH or HOST:PORT (default " CLI_DEFAULT_ADDRESS
		   ")\n"
		   "  -h, --help              this text (vigil tp SUBCOMMAND --help: its own)\n");
}

/* What a subcommand takes. */
struct tp_args {
	const char *sub;
	const char *address;
	const char *mode;   /* add --mode, set-mode's MODE */
	const char *output; /* list -o */
	const char *pos[2]; /* positional arguments */
	int npos;
};

struct sub {
	const char *name;
	int npos;	      /* positional arguments it needs */
	const char *synopsis; /* after "vigil tp NAME " */
	const char *help;
	int (*run)(const struct tp_args *a);
};

static int parse(int argc, char **argv, const struct sub *s, struct tp_args *a)
{
	static const struct option opts[] = {
		{ "server-address", required_argument, NULL, CLI_OPT_ADDRESS },
		{ "mode", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char cmd[64], q[VIGIL_QUOTE_BUFSZ];
	int c;

	snprintf(cmd, sizeof(cmd), "tp %s", s->name);
	memset(a, 0, sizeof(*a));
	a->sub = s->name;
	a->address = CLI_DEFAULT_ADDRESS;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:o:h", opts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_ADDRESS:
			a->address = optarg;
			break;
		case 'm':
			if (strcmp(s->name, "add"))
				goto bad;
			a->mode = optarg;
			break;
		case 'o':
			if (strcmp(s->name, "list"))
				goto bad;
			a->output = optarg;
			break;
		case 'h':
			printf("usage: vigil tp %s %s\n\n%s", s->name, s->synopsis, s->help);
			printf("\n  --server-address ADDR   unix:PATH or HOST:PORT "
			       "(default " CLI_DEFAULT_ADDRESS ")\n"
			       "  -h, --help              this text\n");
			return 1;
		default:
			cli_bad_option(stderr, cmd, c, argv);
			return 2;
		}
	}
	for (; optind < argc; optind++) {
		if (a->npos == s->npos) {
			fprintf(stderr,
				"vigil %s: unexpected argument %s (usage: vigil tp %s %s)\n", cmd,
				vigil_quote_str(argv[optind], q, sizeof(q)), s->name, s->synopsis);
			return 2;
		}
		a->pos[a->npos++] = argv[optind];
	}
	if (a->npos < s->npos) {
		fprintf(stderr, "vigil %s: missing argument (usage: vigil tp %s %s)\n", cmd,
			s->name, s->synopsis);
		return 2;
	}
	if (a->mode && strcmp(a->mode, "enforce") && strcmp(a->mode, "monitor")) {
		fprintf(stderr, "vigil %s: mode %s is neither enforce nor monitor\n", cmd,
			vigil_quote_str(a->mode, q, sizeof(q)));
		return 2;
	}
	if (a->output && strcmp(a->output, "table") && strcmp(a->output, "json")) {
		fprintf(stderr, "vigil %s: --output %s is neither table nor json\n", cmd,
			vigil_quote_str(a->output, q, sizeof(q)));
		return 2;
	}
	return 0;
bad:
	optopt = 0;
	cli_bad_option(stderr, cmd, '?', argv);
	return 2;
}

/* The name as the messages show it. */
static const char *quoted(const char *name, char *buf)
{
	return vigil_quote_str(name, buf, VIGIL_QUOTE_BUFSZ);
}

static int run_add(const struct tp_args *a)
{
	Tetragon__AddTracingPolicyRequest req = TETRAGON__ADD_TRACING_POLICY_REQUEST__INIT;
	const char *file = a->pos[0];
	char *text = NULL, *moded = NULL, err[512], q[VIGIL_QUOTE_BUFSZ];
	size_t len = 0, mlen;
	ProtobufCMessage *resp;
	struct vigil_arena ar;
	int ret;

	/* As much as a request may carry: vigild says when it is too much. */
	ret = vigil_read_file(file, VIGIL_SERVER_MAX_REQUEST - 4096, true, &text, &len);
	if (!ret) {
		char *t = realloc(text, len + 1);

		if (t) {
			t[len] = 0;
			text = t;
		} else {
			ret = -ENOMEM;
			free(text);
		}
	}
	if (ret) {
		snprintf(err, sizeof(err), "%s: %s", file,
			 ret == -EFBIG	  ? "larger than a request to vigild may be (16 MiB)"
			 : ret == -EINVAL ? "not a regular file"
					  : strerror(-ret));
		cli_error("tp add", err, NULL);
		return 1;
	}
	if (memchr(text, 0, len)) {
		free(text);
		snprintf(err, sizeof(err), "%s: holds a NUL byte: not a YAML text", file);
		cli_error("tp add", err, NULL);
		return 1;
	}
	if (a->mode) {
		ret = cli_yaml_set_mode(text, len, a->mode, &moded, &mlen, err, sizeof(err));
		if (ret) {
			char msg[700];

			snprintf(msg, sizeof(msg), "%s: --mode: %s", file, err);
			cli_error("tp add", msg, NULL);
			free(text);
			return 1;
		}
		free(text);
		text = moded;
	}
	req.yaml = text;
	vigil_arena_init(&ar);
	ret = cli_call("tp add", a->address, VIGIL_RPC_ADD_TRACING_POLICY, &req.base, &ar, &resp,
		       CLI_ADD_TIMEOUT_MS, file);
	vigil_arena_free(&ar);
	free(text);
	if (ret)
		return 1;
	printf("tracing policy %s added\n", quoted(file, q));
	return 0;
}

/* A call that names a policy and answers nothing. */
static int run_named(const struct tp_args *a, enum vigil_rpc_method m, ProtobufCMessage *req,
		     const char *done)
{
	char cmd[64], q[VIGIL_QUOTE_BUFSZ];
	ProtobufCMessage *resp;
	struct vigil_arena ar;
	int ret;

	snprintf(cmd, sizeof(cmd), "tp %s", a->sub);
	vigil_arena_init(&ar);
	ret = cli_call(cmd, a->address, m, req, &ar, &resp, CLI_TIMEOUT_MS, NULL);
	vigil_arena_free(&ar);
	if (ret)
		return 1;
	printf("tracing policy %s %s\n", quoted(a->pos[0], q), done);
	return 0;
}

static int run_delete(const struct tp_args *a)
{
	Tetragon__DeleteTracingPolicyRequest req = TETRAGON__DELETE_TRACING_POLICY_REQUEST__INIT;

	req.name = (char *)a->pos[0];
	return run_named(a, VIGIL_RPC_DELETE_TRACING_POLICY, &req.base, "deleted");
}

static int run_enable(const struct tp_args *a)
{
	Tetragon__EnableTracingPolicyRequest req = TETRAGON__ENABLE_TRACING_POLICY_REQUEST__INIT;

	req.name = (char *)a->pos[0];
	return run_named(a, VIGIL_RPC_ENABLE_TRACING_POLICY, &req.base, "enabled");
}

static int run_disable(const struct tp_args *a)
{
	Tetragon__DisableTracingPolicyRequest req = TETRAGON__DISABLE_TRACING_POLICY_REQUEST__INIT;

	req.name = (char *)a->pos[0];
	return run_named(a, VIGIL_RPC_DISABLE_TRACING_POLICY, &req.base, "disabled");
}

static int run_set_mode(const struct tp_args *a)
{
	Tetragon__ConfigureTracingPolicyRequest req =
		TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST__INIT;
	const char *mode = a->pos[1];
	char q[VIGIL_QUOTE_BUFSZ], done[64];

	if (strcmp(mode, "enforce") && strcmp(mode, "monitor")) {
		fprintf(stderr, "vigil tp set-mode: mode %s is neither enforce nor monitor\n",
			vigil_quote_str(mode, q, sizeof(q)));
		return 2;
	}
	req.name = (char *)a->pos[0];
	req._mode_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___MODE_MODE;
	req.mode = strcmp(mode, "monitor") ? TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE
					   : TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR;
	snprintf(done, sizeof(done), "set to %s mode", mode);
	return run_named(a, VIGIL_RPC_CONFIGURE_TRACING_POLICY, &req.base, done);
}

static int run_list(const struct tp_args *a)
{
	Tetragon__ListTracingPoliciesRequest req = TETRAGON__LIST_TRACING_POLICIES_REQUEST__INIT;
	Tetragon__ListTracingPoliciesResponse *resp;
	struct vigil_arena ar;
	int ret;

	vigil_arena_init(&ar);
	ret = cli_call("tp list", a->address, VIGIL_RPC_LIST_TRACING_POLICIES, &req.base, &ar,
		       (ProtobufCMessage **)&resp, CLI_TIMEOUT_MS, NULL);
	if (!ret) {
		if (a->output && !strcmp(a->output, "json"))
			ret = vigil_protojson_write(stdout, &resp->base);
		else
			ret = vigil_render_policies(stdout, resp);
		if (!ret && fflush(stdout))
			ret = -EIO;
		if (ret)
			cli_error("tp list", "cannot write the list", NULL);
	}
	vigil_arena_free(&ar);
	return ret ? 1 : 0;
}

static const struct sub subs[] = {
	{ "add", 1, "FILE [--mode enforce|monitor]",
	  "Load a TracingPolicy or TracingPolicyNamespaced from FILE into vigild.  A policy\n"
	  "that does not load is reported as FILE:LINE:COLUMN: FIELD: MESSAGE, as\n"
	  "`vigil policy lint` reports it; a policy of the same name must be deleted\n"
	  "first.  --mode sets spec.options' policy-mode before sending it.\n",
	  run_add },
	{ "delete", 1, "NAME", "Unload the tracing policy NAME.\n", run_delete },
	{ "list", 0, "[-o table|json]",
	  "List the loaded tracing policies: id, name, state, mode, hooks' kernel memory\n"
	  "and what their actions did; -o json prints ListTracingPoliciesResponse as\n"
	  "protojson.\n",
	  run_list },
	{ "enable", 1, "NAME", "Switch the tracing policy NAME on.\n", run_enable },
	{ "disable", 1, "NAME",
	  "Switch the tracing policy NAME off; it stays loaded and can be enabled again.\n",
	  run_disable },
	{ "set-mode", 2, "NAME enforce|monitor",
	  "enforce: the policy's actions are taken; monitor: they are only reported.\n",
	  run_set_mode },
};

int cmd_tracingpolicy(int argc, char **argv)
{
	struct tp_args a;
	size_t i;
	char q[VIGIL_QUOTE_BUFSZ];
	int rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name))
			continue;
		rc = parse(argc - 1, argv + 1, &subs[i], &a);
		if (rc)
			return rc == 1 ? 0 : rc;
		return subs[i].run(&a);
	}
	fprintf(stderr,
		"vigil tp: unknown subcommand %s (add, delete, list, enable, disable, "
		"set-mode; see --help)\n",
		vigil_quote_str(argv[1], q, sizeof(q)));
	return 2;
}
