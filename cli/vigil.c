// SPDX-License-Identifier: Apache-2.0
/*
 * vigil - the control CLI.  It talks to vigild over gRPC; until the API
 * server lands it knows only its version.
 */
#include <stdio.h>
#include <string.h>

#define VIGIL_VERSION "0.1.0"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "version") == 0) {
		printf("vigil %s\n", VIGIL_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: vigil version\n");
	return 2;
}
