// SPDX-License-Identifier: Apache-2.0
/*
 * execer - exec a program the ways that hide its name, for the tests:
 *
 *   execer fd PATH ARG...       execveat(open(PATH), "", AT_EMPTY_PATH)  (fexecve)
 *   execer procfd PATH ARG...   execve("/proc/self/fd/N") on open(PATH)
 *   execer devfd PATH ARG...    execve("/dev/fd/N") on open(PATH)
 *   execer at DIR NAME ARG...   execveat(open(DIR), NAME, 0)
 *   execer path NAME ARG...     execvp(NAME): the C library's PATH search
 *   execer memfd PATH ARG...    PATH copied into a memfd, then fexecve
 *   execer deleted PATH TMP ARG...  PATH copied to TMP, opened, TMP unlinked, fexecve
 *   execer selfexe ARG...       execve("/proc/self/exe", [execer, ARG...]):
 *                               run again as itself; "execer selfexe" with
 *                               no further argument just exits 0
 *   execer asuser UID PATH ARG...   drop to UID (and gid UID), then execve(PATH)
 *   execer deep N NAME LEAF PATH ARG...  make and enter N nested directories
 *                               NAME, copy PATH there as LEAF, execve("./LEAF")
 *
 * ARG... is the new argv (argv[0] first).  Exits 127 when exec fails.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int copy_into(int dst, const char *src_path)
{
	struct stat st;
	int src = open(src_path, O_RDONLY | O_CLOEXEC);
	off_t off = 0;

	if (src < 0 || fstat(src, &st))
		return -1;
	while (off < st.st_size)
		if (sendfile(dst, src, &off, (size_t)(st.st_size - off)) <= 0)
			return -1;
	close(src);
	return 0;
}

static int die(const char *what)
{
	fprintf(stderr, "execer: %s: %s\n", what, strerror(errno));
	return 127;
}

int main(int argc, char **argv)
{
	char name[64];
	int fd, dfd;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "selfexe")) {
		if (argc == 2)
			return 0;
		argv[1] = argv[0];
		execve("/proc/self/exe", argv + 1, environ);
		return die("execve /proc/self/exe");
	}
	if (argc < 4)
		return 2;
	if (!strcmp(argv[1], "asuser")) {
		uid_t uid = (uid_t)strtoul(argv[2], NULL, 10);

		if (argc < 5 || setgroups(0, NULL) || setgid(uid) || setuid(uid))
			return die("asuser");
		execve(argv[3], argv + 4, environ);
		return die(argv[3]);
	}
	if (!strcmp(argv[1], "deep")) {
		char leaf[PATH_MAX];
		int i, n = atoi(argv[2]);

		if (argc < 7 || snprintf(leaf, sizeof(leaf), "./%s", argv[4]) >= (int)sizeof(leaf))
			return 2;
		for (i = 0; i < n; i++)
			if ((mkdir(argv[3], 0755) && errno != EEXIST) || chdir(argv[3]))
				return die(argv[3]);
		fd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0755);
		if (fd < 0 || copy_into(fd, argv[5]) || close(fd))
			return die("copy");
		execve(leaf, argv + 6, environ);
		return die(leaf);
	}
	if (!strcmp(argv[1], "path")) {
		execvp(argv[2], argv + 3);
		return die(argv[2]);
	}
	if (!strcmp(argv[1], "at")) {
		if (argc < 5)
			return 2;
		dfd = open(argv[2], O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return die(argv[2]);
		syscall(SYS_execveat, dfd, argv[3], argv + 4, environ, 0);
		return die("execveat");
	}
	if (!strcmp(argv[1], "memfd")) {
		fd = memfd_create("vigil-memfd", 0);
		if (fd < 0 || copy_into(fd, argv[2]))
			return die("memfd");
		fexecve(fd, argv + 3, environ);
		return die("fexecve memfd");
	}
	if (!strcmp(argv[1], "deleted")) {
		if (argc < 5)
			return 2;
		fd = open(argv[3], O_RDWR | O_CREAT | O_TRUNC, 0700);
		if (fd < 0 || copy_into(fd, argv[2]))
			return die(argv[3]);
		close(fd);
		fd = open(argv[3], O_RDONLY);
		if (fd < 0 || unlink(argv[3]))
			return die("reopen/unlink");
		fexecve(fd, argv + 4, environ);
		return die("fexecve deleted");
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		return die(argv[2]);
	if (!strcmp(argv[1], "fd")) {
		syscall(SYS_execveat, fd, "", argv + 3, environ, AT_EMPTY_PATH);
		return die("execveat AT_EMPTY_PATH");
	}
	snprintf(name, sizeof(name), "%s/%d",
		 !strcmp(argv[1], "procfd") ? "/proc/self/fd" : "/dev/fd", fd);
	execve(name, argv + 3, environ);
	return die(name);
}
