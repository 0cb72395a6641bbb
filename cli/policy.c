// SPDX-License-Identifier: Apache-2.0
/*
 * policy.c - vigil policy SUBCOMMAND: dispatches to the policy commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil policy [--help] SUBCOMMAND [ARGS]\n"
		   "\n"
		   "subcommands:\n"
		   "  lint [--quiet] FILE...   check TracingPolicy files, print every problem\n");
}

int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	argv[0] = (char *)"vigil policy"; /* getopt's messages name it */
	optind = 1;
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
	if (strcmp(argv[optind], "lint") == 0)
		return cmd_policy_lint(argc - optind, argv + optind);
	fprintf(stderr, "vigil policy: unknown subcommand \"%s\"\n", argv[optind]);
	usage(stderr);
	return 2;
}
