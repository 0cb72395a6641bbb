// SPDX-License-Identifier: Apache-2.0
/*
 * poke - make one system call the policy tests hook, and say how it went:
 *
 *   poke connect ADDR PORT      TCP connect (IPv4 or IPv6 address)
 *   poke sendto ADDR PORT       one UDP datagram to ADDR PORT, no connect
 *   poke open PATH              open(PATH, O_RDONLY)
 *   poke write PATH TEXT        open(PATH, O_WRONLY|O_CREAT|O_TRUNC), write TEXT
 *   poke unlink PATH            unlink(PATH)
 *   poke setuid UID             setuid(UID)
 *   poke nocaps CMD...          clear every capability set, then run CMD
 *   poke repeat N CMD...        run CMD N times
 *
 * Prints one line per call: "ok", or the errno's name (EPERM,
 * ECONNREFUSED...).  Exits 0 when the last call succeeded, 1 when it
 * failed, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(int rc)
{
	const char *name;

	if (rc == 0) {
		puts("ok");
		return 0;
	}
	name = strerrorname_np(errno);
	puts(name ? name : "E?");
	return 1;
}

/* A TCP connect, or (udp) one datagram sent to the address. */
static int do_net(const char *addr, const char *port, bool udp)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr *sa;
	socklen_t len;
	int fd, rc, saved;

	if (inet_pton(AF_INET, addr, &s4.sin_addr) == 1) {
		s4.sin_port = htons((uint16_t)atoi(port));
		sa = (struct sockaddr *)&s4;
		len = sizeof(s4);
	} else if (inet_pton(AF_INET6, addr, &s6.sin6_addr) == 1) {
		s6.sin6_port = htons((uint16_t)atoi(port));
		sa = (struct sockaddr *)&s6;
		len = sizeof(s6);
	} else {
		fprintf(stderr, "poke: %s is not an address\n", addr);
		return 2;
	}
	fd = socket(sa->sa_family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return report(-1);
	rc = udp ? (sendto(fd, "poke", 4, 0, sa, len) == 4 ? 0 : -1) : connect(fd, sa, len);
	saved = errno;
	close(fd);
	errno = saved;
	return report(rc);
}

static int do_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;
	int saved;

	if (fd < 0)
		return report(-1);
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return report(n == (ssize_t)strlen(text) ? 0 : -1);
}

static int no_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d)) {
		perror("poke: capset");
		return -1;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	int i, n, rc = 0;

	if (argc < 1)
		return 2;
	if (!strcmp(argv[0], "connect") && argc == 3)
		return do_net(argv[1], argv[2], false);
	if (!strcmp(argv[0], "sendto") && argc == 3)
		return do_net(argv[1], argv[2], true);
	if (!strcmp(argv[0], "open") && argc == 2) {
		int fd = open(argv[1], O_RDONLY);

		rc = report(fd < 0 ? -1 : 0);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!strcmp(argv[0], "write") && argc == 3)
		return do_write(argv[1], argv[2]);
	if (!strcmp(argv[0], "unlink") && argc == 2)
		return report(unlink(argv[1]));
	if (!strcmp(argv[0], "setuid") && argc == 2)
		return report(setuid((uid_t)atoi(argv[1])));
	if (!strcmp(argv[0], "nocaps") && argc > 1)
		return no_caps() ? 1 : run(argc - 1, argv + 1);
	if (!strcmp(argv[0], "repeat") && argc > 2) {
		n = atoi(argv[1]);
		for (i = 0; i < n; i++)
			rc = run(argc - 2, argv + 2);
		return rc;
	}
	return 2;
}

int main(int argc, char **argv)
{
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = run(argc - 1, argv + 1);
	if (rc == 2)
		fprintf(stderr,
			"usage: poke connect|sendto ADDR PORT | open PATH | write PATH TEXT | "
			"unlink PATH | setuid UID | nocaps CMD... | repeat N CMD...\n");
	return rc;
}
