// SPDX-License-Identifier: Apache-2.0
/*
 * vigil - the control CLI.  main only dispatches to the commands (cli.h);
 * the commands that talk to vigild over gRPC come with the API server.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil [--help] COMMAND [ARGS]\n"
		   "\n"
		   "commands:\n"
		   "  policy lint FILE...   check TracingPolicy files\n"
		   "  version               print the version\n"
		   "\n"
		   "vigil COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* options before the command only: '+' stops at the first word */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "version") == 0) {
		if (argc - optind != 1) {
			fprintf(stderr, "usage: vigil version\n");
			return 2;
		}
		printf("vigil %s\n", VIGIL_VERSION);
		return 0;
	}
	if (strcmp(argv[optind], "policy") == 0)
		return cmd_policy(argc - optind, argv + optind);
	fprintf(stderr, "vigil: unknown command \"%s\"\n", argv[optind]);
	usage(stderr);
	return 2;
}
