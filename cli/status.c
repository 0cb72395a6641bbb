// SPDX-License-Identifier: Apache-2.0
/*
 * status.c - vigil status (GetHealth), vigil version (this CLI's and
 * vigild's, GetVersion) and vigil probe (vigild's kernel feature table,
 * GetInfo, printed as `vigild --probe` prints it).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "probe.h"

#include "google/protobuf/wrappers.pb-c.h"

/*
 * The options every one of these commands takes: --server-address, --help
 * and, where json is not NULL, --json.  0 to run, 1 after --help, 2 on a
 * usage error (said).
 */
static int parse(int argc, char **argv, const char *cmd, const char *help, const char **address,
		 bool *json)
{
	static const struct option opts[] = {
		{ "server-address", required_argument, NULL, CLI_OPT_ADDRESS },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char q[VIGIL_QUOTE_BUFSZ];
	int c;

	*address = CLI_DEFAULT_ADDRESS;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_ADDRESS:
			*address = optarg;
			break;
		case 'j':
			if (json) {
				*json = true;
				break;
			}
			optopt = 0;
			cli_bad_option(stderr, cmd, '?', argv);
			return 2;
		case 'h':
			fputs(help, stdout);
			return 1;
		default:
			cli_bad_option(stderr, cmd, c, argv);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil %s: unexpected argument %s\n", cmd,
			vigil_quote_str(argv[optind], q, sizeof(q)));
		return 2;
	}
	return 0;
}

int cmd_status(int argc, char **argv)
{
	static const char help[] =
		"usage: vigil status [--server-address ADDR]\n"
		"\n"
		"Ask vigild how it is (GetHealth): running, events handled and lost,\n"
		"GetEvents streams and the events they lost.  Exit status 0 when it runs.\n"
		"\n"
		"  --server-address ADDR   unix:PATH or HOST:PORT (default " CLI_DEFAULT_ADDRESS
		")\n"
		"  -h, --help              this text\n";
	Tetragon__GetHealthStatusRequest req = TETRAGON__GET_HEALTH_STATUS_REQUEST__INIT;
	Tetragon__GetHealthStatusResponse *resp;
	const char *address;
	struct vigil_arena a;
	bool running = false;
	size_t i;
	int rc = parse(argc, argv, "status", help, &address, NULL);

	if (rc)
		return rc == 1 ? 0 : rc;
	vigil_arena_init(&a);
	if (cli_call("status", address, VIGIL_RPC_GET_HEALTH, &req.base, &a,
		     (ProtobufCMessage **)&resp, CLI_TIMEOUT_MS, NULL)) {
		vigil_arena_free(&a);
		return 1;
	}
	for (i = 0; i < resp->n_health_status; i++) {
		const Tetragon__HealthStatus *h = resp->health_status[i];
		const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
			&tetragon__health_status_result__descriptor, h->status);
		char *d = vigil_escape_dup(h->details);

		printf("vigild: %s: %s\n", v ? v->name : "HEALTH_STATUS_UNDEF", d ? d : "");
		free(d);
		running |= h->status == TETRAGON__HEALTH_STATUS_RESULT__HEALTH_STATUS_RUNNING;
	}
	vigil_arena_free(&a);
	if (!running)
		fprintf(stderr, "vigil status: vigild does not report itself running\n");
	return running ? 0 : 1;
}

int cmd_version(int argc, char **argv)
{
	static const char help[] =
		"usage: vigil version [--server-address ADDR]\n"
		"\n"
		"Print this CLI's version, then vigild's (GetVersion).\n"
		"\n"
		"  --server-address ADDR   unix:PATH or HOST:PORT (default " CLI_DEFAULT_ADDRESS
		")\n"
		"  -h, --help              this text\n";
	Tetragon__GetVersionRequest req = TETRAGON__GET_VERSION_REQUEST__INIT;
	Tetragon__GetVersionResponse *resp;
	const char *address;
	struct vigil_arena a;
	char *v;
	int rc = parse(argc, argv, "version", help, &address, NULL);

	if (rc)
		return rc == 1 ? 0 : rc;
	printf("vigil %s\n", VIGIL_VERSION);
	fflush(stdout);
	vigil_arena_init(&a);
	if (cli_call("version", address, VIGIL_RPC_GET_VERSION, &req.base, &a,
		     (ProtobufCMessage **)&resp, CLI_TIMEOUT_MS, NULL)) {
		vigil_arena_free(&a);
		return 1;
	}
	v = vigil_escape_dup(resp->version);
	printf("vigild %s\n", v ? v : "?");
	free(v);
	vigil_arena_free(&a);
	return 0;
}

/* vigild's probe table from GetInfo: probes by name, reasons and the
 * kernel in conf (StringValue in Any). */
static void info_features(const Tetragon__GetInfoResponse *r, struct vigil_features *f)
{
	size_t i;
	int k;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < r->n_conf; i++) {
		const Tetragon__GetInfoResponse__ConfVal *c = r->conf[i];
		Google__Protobuf__StringValue *sv;

		if (!c->value ||
		    strcmp(c->value->type_url, "type.googleapis.com/google.protobuf.StringValue"))
			continue;
		sv = google__protobuf__string_value__unpack(NULL, c->value->value.len,
							    c->value->value.data);
		if (!sv)
			continue;
		if (!strcmp(c->key, "kernel"))
			snprintf(f->kernel, sizeof(f->kernel), "%s", sv->value);
		for (k = 0; k < VIGIL_FEAT_COUNT; k++)
			if (!strncmp(c->key, "probe-reason.", 13) &&
			    !strcmp(c->key + 13, vigil_feature_name(k)))
				snprintf(f->f[k].reason, sizeof(f->f[k].reason), "%s", sv->value);
		google__protobuf__string_value__free_unpacked(sv, NULL);
	}
	for (i = 0; i < r->n_probes; i++)
		for (k = 0; k < VIGIL_FEAT_COUNT; k++)
			if (!strcmp(r->probes[i]->name, vigil_feature_name(k)))
				f->f[k].available =
					r->probes[i]->enabled && r->probes[i]->enabled->value;
}

/* What vigild sent, made safe for a terminal in place. */
static void clean(char *s)
{
	char *e = vigil_escape_dup(s);

	if (e)
		snprintf(s, strlen(s) + 1, "%s", e);
	free(e);
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

int cmd_probe(int argc, char **argv)
{
	static const char help[] =
		"usage: vigil probe [--json] [--server-address ADDR]\n"
		"\n"
		"Print the kernel feature table of the running vigild (GetInfo), as\n"
		"`vigild --probe` prints it.\n"
		"\n"
		"  --json                  as JSON\n"
		"  --server-address ADDR   unix:PATH or HOST:PORT (default " CLI_DEFAULT_ADDRESS
		")\n"
		"  -h, --help              this text\n";
	Tetragon__GetInfoRequest req = TETRAGON__GET_INFO_REQUEST__INIT;
	Tetragon__GetInfoResponse *resp;
	struct vigil_features f;
	const char *address;
	struct vigil_arena a;
	bool json = false;
	int k, rc = parse(argc, argv, "probe", help, &address, &json);

	if (rc)
		return rc == 1 ? 0 : rc;
	vigil_arena_init(&a);
	if (cli_call("probe", address, VIGIL_RPC_GET_INFO, &req.base, &a,
		     (ProtobufCMessage **)&resp, CLI_TIMEOUT_MS, NULL)) {
		vigil_arena_free(&a);
		return 1;
	}
	info_features(resp, &f);
	vigil_arena_free(&a);
	clean(f.kernel);
	for (k = 0; k < VIGIL_FEAT_COUNT; k++)
		clean(f.f[k].reason);
	return vigil_probe_print(stdout, &f, json) ? 1 : 0;
}
