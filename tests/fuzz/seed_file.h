/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seed_file.h - what the seed generators (tests/fuzz/seeds_NAME.c) share:
 * each takes one argument, the corpus directory, and writes every seed to
 * DIR/seed-NAME as exactly the bytes given.  A seed it cannot write is said
 * on stderr and makes it exit 1, after it has written the others.
 *
 *   int main(int argc, char **argv)
 *   {
 *           if (seed_start(argc, argv))
 *                   return 2;
 *           SEED("name", "a literal, NULs included");
 *           seed_write("other", bytes, len);
 *           return seed_failed;
 *   }
 */
#ifndef VIGIL_SEED_FILE_H
#define VIGIL_SEED_FILE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *seed_prog = "seeds";
static const char *seed_dir;
static int seed_failed;

/* Take DIR from the command line.  Returns 0, or -1 after the usage line. */
static inline int seed_start(int argc, char **argv)
{
	if (argc > 0) {
		const char *slash = strrchr(argv[0], '/');

		seed_prog = slash ? slash + 1 : argv[0];
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", seed_prog);
		return -1;
	}
	seed_dir = argv[1];
	return 0;
}

/* Say that WHAT failed (with errno), and fail at the end. */
static inline void seed_fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", seed_prog, what, strerror(errno));
	seed_failed = 1;
}

static inline void seed_write(const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s", seed_dir, name);
	f = fopen(path, "wb");
	if (!f) {
		seed_fail(path);
		return;
	}
	if (fwrite(data, 1, len, f) != len) {
		seed_fail(path);
		fclose(f);
		return;
	}
	if (fclose(f))
		seed_fail(path);
}

/* A seed from a string literal: its bytes without the final NUL. */
#define SEED(name, lit) seed_write(name, lit, sizeof(lit) - 1)

#endif
