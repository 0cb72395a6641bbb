// SPDX-License-Identifier: Apache-2.0
/*
 * netpeer - make the network traffic the network sensor tests expect:
 *
 *   netpeer tcp ADDR PORT N    listen on ADDR:PORT, connect to it, accept,
 *                              send N bytes client to server and 2N back,
 *                              close the client, the accepted socket and
 *                              the listener, in that order
 *   netpeer serve ADDR PORT    listen, accept one connection, read it to
 *                              its end, close both; prints "listening" once
 *                              it listens
 *   netpeer client ADDR PORT N connect, send N bytes, close
 *   netpeer udp ADDR PORT      bind a receiver on ADDR:PORT, send it two
 *                              datagrams from another socket, receive both
 *
 * IPv4 or IPv6 by the address.  Prints "ok" and exits 0, or the failing
 * call and errno's name and exits 1; 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	const char *name = strerrorname_np(errno);

	printf("%s: %s\n", what, name ? name : "E?");
	return 1;
}

static int addr_of(const char *host, const char *port, struct sockaddr_storage *ss,
		   socklen_t *len)
{
	struct sockaddr_in6 *s6 = (void *)ss;
	struct sockaddr_in *s4 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		*len = sizeof(*s6);
		return 0;
	}
	fprintf(stderr, "netpeer: %s is not an address\n", host);
	return -1;
}

static int listener(const struct sockaddr_storage *ss, socklen_t len)
{
	int one = 1, fd = socket(ss->ss_family, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, size_t n)
{
	char buf[4096];

	memset(buf, 'v', sizeof(buf));
	while (n) {
		ssize_t w = send(fd, buf, n < sizeof(buf) ? n : sizeof(buf), 0);

		if (w <= 0)
			return -1;
		n -= (size_t)w;
	}
	return 0;
}

static int recv_n(int fd, size_t n)
{
	char buf[4096];

	while (n) {
		ssize_t r = recv(fd, buf, n < sizeof(buf) ? n : sizeof(buf), 0);

		if (r <= 0)
			return -1;
		n -= (size_t)r;
	}
	return 0;
}

static int tcp(const struct sockaddr_storage *ss, socklen_t len, size_t n)
{
	int l = listener(ss, len), c, a;

	if (l < 0)
		return fail("listen");
	c = socket(ss->ss_family, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (const struct sockaddr *)ss, len))
		return fail("connect");
	a = accept(l, NULL, NULL);
	if (a < 0)
		return fail("accept");
	if (send_all(c, n) || recv_n(a, n) || send_all(a, 2 * n) || recv_n(c, 2 * n))
		return fail("exchange");
	close(c);
	close(a);
	close(l);
	return 0;
}

static int serve(const struct sockaddr_storage *ss, socklen_t len)
{
	int l = listener(ss, len), a;
	char buf[4096];

	if (l < 0)
		return fail("listen");
	printf("listening\n");
	fflush(stdout);
	a = accept(l, NULL, NULL);
	if (a < 0)
		return fail("accept");
	while (recv(a, buf, sizeof(buf), 0) > 0)
		;
	close(a);
	close(l);
	return 0;
}

static int client(const struct sockaddr_storage *ss, socklen_t len, size_t n)
{
	int c = socket(ss->ss_family, SOCK_STREAM, 0);

	if (c < 0 || connect(c, (const struct sockaddr *)ss, len))
		return fail("connect");
	if (send_all(c, n))
		return fail("send");
	close(c);
	return 0;
}

static int udp(const struct sockaddr_storage *ss, socklen_t len)
{
	int r = socket(ss->ss_family, SOCK_DGRAM, 0), s = socket(ss->ss_family, SOCK_DGRAM, 0);
	char buf[16];
	int i;

	if (r < 0 || s < 0 || bind(r, (const struct sockaddr *)ss, len))
		return fail("bind");
	for (i = 0; i < 2; i++)
		if (sendto(s, "d", 1, 0, (const struct sockaddr *)ss, len) != 1)
			return fail("sendto");
	for (i = 0; i < 2; i++) { /* with the peer's address, as a server asks */
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);

		if (recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) != 1)
			return fail("recvfrom");
	}
	close(r);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int rc;

	if (argc < 4 || addr_of(argv[2], argv[3], &ss, &len)) {
		fprintf(stderr, "usage: netpeer tcp|serve|client|udp ADDR PORT [N]\n");
		return 2;
	}
	if (!strcmp(argv[1], "tcp") && argc == 5)
		rc = tcp(&ss, len, (size_t)atol(argv[4]));
	else if (!strcmp(argv[1], "serve"))
		rc = serve(&ss, len);
	else if (!strcmp(argv[1], "client") && argc == 5)
		rc = client(&ss, len, (size_t)atol(argv[4]));
	else if (!strcmp(argv[1], "udp"))
		rc = udp(&ss, len);
	else {
		fprintf(stderr, "usage: netpeer tcp|serve|client|udp ADDR PORT [N]\n");
		return 2;
	}
	if (!rc)
		printf("ok\n");
	return rc;
}
