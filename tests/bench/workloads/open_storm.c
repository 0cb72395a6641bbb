// SPDX-License-Identifier: Apache-2.0
/*
 * open_storm - open() and close() one file N times.
 *
 *   open_storm [-n N] [--create] [--deny-ok] FILE
 *
 *   -n N       number of open+close pairs (default 100000)
 *   --create   create FILE (empty, mode 0644) if it does not exist, before the timed loop
 *   --deny-ok  an open that fails with EPERM (a policy that denies the open) counts as done
 *
 * FILE is opened read-only with openat(AT_FDCWD, FILE, O_RDONLY | O_CLOEXEC), which is the
 * call glibc's open() makes; give an absolute path so that tracers see the same name.
 *
 * Prints one JSON line on stdout:
 *   {"workload":"open_storm","pid":P,"n":N,"done":D,"wall_s":S,"file":"FILE","denied":E}
 * E: opens that failed with EPERM and were counted as done (0 without --deny-ok, where such an
 * open is an error).
 * Exit status: 0 on success, 1 on any error (with a message on stderr), 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: open_storm [-n N] [--create] [--deny-ok] FILE\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "create", no_argument, NULL, 'c' },
		{ "deny-ok", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n = 100000, i, denied = 0;
	int c, create = 0, deny_ok = 0;
	const char *file;
	char *end;
	double t0, wall;

	while ((c = getopt_long(argc, argv, "n:ch", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *optarg == '\0' || *end != '\0' || n < 1) {
				fprintf(stderr, "open_storm: bad value for -n: '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c':
			create = 1;
			break;
		case 'd':
			deny_ok = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	file = argv[optind];
	if (strpbrk(file, "\"\\") != NULL) {
		fprintf(stderr, "open_storm: FILE must not contain quotes or backslashes\n");
		return 2;
	}
	if (create) {
		int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0) {
			fprintf(stderr, "open_storm: cannot create %s: %s\n", file,
				strerror(errno));
			return 1;
		}
		close(fd);
	}

	t0 = now_s();
	for (i = 0; i < n; i++) {
		int fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);

		if (fd < 0 && deny_ok && errno == EPERM) {
			denied++;
			continue;
		}
		if (fd < 0) {
			fprintf(stderr, "open_storm: open #%ld of %s: %s\n", i, file,
				strerror(errno));
			break;
		}
		if (close(fd) != 0) {
			fprintf(stderr, "open_storm: close #%ld: %s\n", i, strerror(errno));
			i++;
			break;
		}
	}
	wall = now_s() - t0;

	printf("{\"workload\":\"open_storm\",\"pid\":%d,\"n\":%ld,\"done\":%ld,\"wall_s\":%.6f,"
	       "\"file\":\"%s\",\"denied\":%ld}\n",
	       (int)getpid(), n, i, wall, file, denied);
	return i == n ? 0 : 1;
}
