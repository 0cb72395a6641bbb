// SPDX-License-Identifier: Apache-2.0
/*
 * utf8check FILE... - exit 0 if every byte of every file is valid UTF-8.
 *
 * Otherwise print, for each file that is not, the first bad spot as
 *   FILE:LINE: invalid UTF-8 at byte OFFSET
 * (LINE counted from 1, OFFSET the 0-based byte offset in the file of the
 * first byte of the bad sequence) and exit 1.  Exit 2 on a usage or read
 * error.  The rules are those of agent/utf8.c (Unicode table 3-7): no
 * overlong forms, surrogates, code points above U+10FFFF, stray
 * continuation bytes or sequences cut short; a NUL byte is valid (U+0000).
 *
 * Self-contained and plain libc: it also runs under busybox in the VM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* 0 valid, 1 invalid (reported), 2 read error (reported). */
static int check(const char *name, FILE *f)
{
	unsigned long long off = 0, start = 0, line = 1;
	unsigned int need = 0, lo = 0x80, hi = 0xbf;
	int c;

	while ((c = getc(f)) != EOF) {
		if (need) {
			/* A continuation byte, in the range the lead allows. */
			if ((unsigned int)c < lo || (unsigned int)c > hi)
				goto bad;
			need--;
			lo = 0x80;
			hi = 0xbf;
			off++;
			continue;
		}
		start = off++;
		if (c == '\n') {
			line++;
		} else if (c < 0x80) {
			/* ASCII */
		} else if (c < 0xc2) {
			goto bad; /* stray continuation, or overlong C0/C1 lead */
		} else if (c < 0xe0) {
			need = 1;
		} else if (c < 0xf0) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
		} else if (c < 0xf5) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90; /* overlong */
			else if (c == 0xf4)
				hi = 0x8f; /* above U+10FFFF */
		} else {
			goto bad;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "utf8check: %s: %s\n", name, strerror(errno));
		return 2;
	}
	if (!need)
		return 0;
bad: /* start is where the bad sequence began, on line */
	printf("%s:%llu: invalid UTF-8 at byte %llu\n", name, line, start);
	return 1;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: utf8check FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		int r;

		if (!f) {
			fprintf(stderr, "utf8check: %s: %s\n", argv[i], strerror(errno));
			rc = 2;
			continue;
		}
		r = check(argv[i], f);
		fclose(f);
		if (r > rc)
			rc = r;
	}
	return rc;
}
