// SPDX-License-Identifier: Apache-2.0
/*
 * spawner - run a program many times, one after the other, fast (an exec
 * storm for the tests):
 *
 *   spawner N PATH ARG...     posix_spawn(PATH, ARG...) N times, waiting
 *                             for each
 *
 * ARG... is the new argv (argv[0] first).  Exits 0 when every run exited
 * 0, 1 otherwise, 2 on bad usage.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
	long i, n;
	int st, rc = 0;
	pid_t pid;

	if (argc < 4 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: spawner N PATH ARG...\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (posix_spawn(&pid, argv[2], NULL, NULL, argv + 3, environ)) {
			perror("spawner: posix_spawn");
			return 1;
		}
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			rc = 1;
	}
	return rc;
}
