// SPDX-License-Identifier: Apache-2.0
/*
 * common.c - what every command that talks to vigild shares: one unary
 * call, and error messages that never put the server's text (or a file's)
 * raw on a terminal.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_ops.h"
#include "cli.h"
#include "client.h"
#include "diag.h"

/* Whether a line (of a policy's diagnostics) names the policy vigild was
 * sent: "<grpc>:" at its start. */
static bool policy_line(const char *line)
{
	static const char tag[] = VIGIL_API_POLICY_FILE ":";

	return !strncmp(line, tag, sizeof(tag) - 1);
}

void cli_error(const char *cmd, const char *text, const char *file)
{
	static const char invalid[] = "INVALID_ARGUMENT: ";
	const char *line = text, *nl;
	char *esc, *f = file ? vigil_escape_dup(file) : NULL;

	/* A policy that does not load: its diagnostics, as lint prints them. */
	if (f && !strncmp(text, invalid, sizeof(invalid) - 1))
		line += sizeof(invalid) - 1;
	do {
		size_t len;
		char *copy;

		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		copy = strndup(line, len);
		esc = copy ? vigil_escape_dup(copy) : NULL;
		free(copy);
		if (f && esc && policy_line(esc))
			fprintf(stderr, "vigil %s: %s%s\n", cmd, f,
				esc + strlen(VIGIL_API_POLICY_FILE));
		else
			fprintf(stderr, "vigil %s: %s\n", cmd, esc ? esc : "(out of memory)");
		free(esc);
		line = nl ? nl + 1 : NULL;
	} while (line && *line);
	free(f);
}

int cli_call(const char *cmd, const char *address, enum vigil_rpc_method m,
	     const ProtobufCMessage *req, struct vigil_arena *a, ProtobufCMessage **resp,
	     long timeout_ms, const char *file)
{
	struct vigil_client *c;
	char *err = malloc(65536);
	int ret;

	if (!err) {
		cli_error(cmd, "out of memory", NULL);
		return -ENOMEM;
	}
	err[0] = 0;
	ret = vigil_client_open(address, &c, err, 65536);
	if (!ret) {
		ret = vigil_client_call(c, m, req, a, resp, timeout_ms, err, 65536);
		vigil_client_close(c);
	}
	if (ret)
		cli_error(cmd, err, file);
	free(err);
	return ret;
}

void cli_bad_option(FILE *err, const char *cmd, int c, char **argv)
{
	char q[VIGIL_QUOTE_BUFSZ], o[3] = { '-', (char)optopt, 0 };
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (!strncmp(arg, "--", 2))
		vigil_quote(arg, strcspn(arg, "="), q, sizeof(q));
	else
		vigil_quote_str(optopt ? o : arg, q, sizeof(q));
	if (c == ':')
		fprintf(err, "vigil%s%s: option %s needs a value (see --help)\n", *cmd ? " " : "",
			cmd, q);
	else
		fprintf(err, "vigil%s%s: unknown option %s (see --help)\n", *cmd ? " " : "", cmd,
			q);
}
