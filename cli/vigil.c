// SPDX-License-Identifier: Apache-2.0
/*
 * vigil - the control CLI.  main only dispatches to the commands (cli.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diag.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil [--help] COMMAND [ARGS]\n"
		   "\n"
		   "commands:\n"
		   "  getevents [OPTION]...        stream vigild's events (json or compact)\n"
		   "  tracingpolicy|tp SUBCOMMAND  add, delete, list, enable, disable and\n"
		   "                               set-mode of tracing policies\n"
		   "  status                       vigild's health\n"
		   "  version                      this CLI's version and vigild's\n"
		   "  probe [--json]               vigild's kernel feature table\n"
		   "  policy lint FILE...          check TracingPolicy files (no vigild needed)\n"
		   "\n"
		   "Commands that talk to vigild take --server-address unix:PATH or HOST:PORT\n"
		   "(default " CLI_DEFAULT_ADDRESS ").\n"
		   "vigil COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "getevents", cmd_getevents }, { "tracingpolicy", cmd_tracingpolicy },
		{ "tp", cmd_tracingpolicy },	{ "status", cmd_status },
		{ "version", cmd_version },	{ "probe", cmd_probe },
		{ "policy", cmd_policy },
	};
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char q[VIGIL_QUOTE_BUFSZ];
	size_t i;
	int c;

	/* options before the command only: '+' stops at the first word */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		default:
			cli_bad_option(stderr, "", c, argv);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[optind], cmds[i].name) == 0)
			return cmds[i].run(argc - optind, argv + optind);
	fprintf(stderr, "vigil: unknown command %s (see vigil --help)\n",
		vigil_quote_str(argv[optind], q, sizeof(q)));
	return 2;
}
