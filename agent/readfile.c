// SPDX-License-Identifier: Apache-2.0
/*
 * readfile.c - read a whole file of outside input, bounded: at most max + 1
 * bytes are read, so that a larger file is seen to be larger without being
 * read whole (a pipe or /dev/zero included).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"

int vigil_read_file(const char *path, size_t max, bool regular_only, char **out, size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = NULL, *nb;
	struct stat st;
	ssize_t r;
	int fd, rc = 0;

	/* Non-blocking: a FIFO without a writer must not hang the caller
	 * (it is refused below); reads of a regular file never block. */
	fd = open(path, O_RDONLY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0));
	if (fd < 0)
		return -errno;
	if (regular_only && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		rc = -EINVAL;
		goto cleanup;
	}
	buf = malloc(cap);
	if (!buf) {
		rc = -ENOMEM;
		goto cleanup;
	}
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				rc = -ENOMEM;
				goto cleanup;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto cleanup;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			break;
	}
	if (n > max) {
		rc = -EFBIG;
		goto cleanup;
	}
	*out = buf;
	*len = n;
	buf = NULL;
cleanup:
	free(buf);
	close(fd);
	return rc;
}
