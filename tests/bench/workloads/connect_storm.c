// SPDX-License-Identifier: Apache-2.0
/*
 * connect_storm - TCP connect() + close() to a loopback listener, N times.
 *
 *   connect_storm [-n N] [--cpu C]
 *
 *   -n N       number of connections (default 20000)
 *   --cpu C    pin the process (client and listener) to CPU C before starting (default: no
 *              pinning).  Each connection is a ping-pong between the two threads; on a small
 *              VM the cost of a cross-CPU wakeup varies threefold from run to run, on one CPU
 *              it is two ordinary context switches and the wall time is stable.
 *
 * The listener is a thread of this process, bound to 127.0.0.1 on an ephemeral port; it
 * accepts each connection and closes it at once.  The client connects, waits for that close
 * (read() returns 0) and closes its end, so the TIME_WAIT state lands on the listener's side
 * and the client never runs out of ephemeral ports however large N is.  Nothing leaves
 * 127.0.0.1.  Per connection the client makes socket(), connect(), read(), close().
 *
 * Prints one JSON line on stdout:
 *   {"workload":"connect_storm","pid":P,"n":N,"done":D,"accepted":A,"wall_s":S,"port":PORT,
 *    "cpu":C}   (C = -1: not pinned)
 * Exit status: 0 on success, 1 on any error (with a message on stderr), 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

struct listener {
	int fd;
	long want;
	long accepted;
	int err; /* errno of a failed accept, 0 if none */
};

static void *listener_main(void *arg)
{
	struct listener *l = arg;

	while (l->accepted < l->want) {
		int c = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			l->err = errno;
			break;
		}
		close(c);
		l->accepted++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpu", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n = 20000, cpu = -1, i;
	int c, err, ok = 1;
	char *end;
	struct sockaddr_in addr;
	socklen_t alen = sizeof(addr);
	struct listener l = { .fd = -1 };
	pthread_t th;
	double t0, wall;

	while ((c = getopt_long(argc, argv, "n:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *optarg == '\0' || *end != '\0' || n < 1) {
				fprintf(stderr, "connect_storm: bad value for -n: '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c':
			errno = 0;
			cpu = strtol(optarg, &end, 10);
			if (errno || *optarg == '\0' || *end != '\0' || cpu < 0 ||
			    cpu >= CPU_SETSIZE) {
				fprintf(stderr, "connect_storm: bad value for --cpu: '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			printf("usage: connect_storm [-n N] [--cpu C]\n");
			return 0;
		default:
			fprintf(stderr, "usage: connect_storm [-n N] [--cpu C]\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: connect_storm [-n N] [--cpu C]\n");
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0) {
			fprintf(stderr, "connect_storm: cannot pin to CPU %ld: %s\n", cpu,
				strerror(errno));
			return 1;
		}
	}

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	l.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l.fd < 0 || bind(l.fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(l.fd, 4096) != 0 || getsockname(l.fd, (struct sockaddr *)&addr, &alen) != 0) {
		fprintf(stderr, "connect_storm: cannot listen on 127.0.0.1: %s\n", strerror(errno));
		return 1;
	}
	l.want = n;
	err = pthread_create(&th, NULL, listener_main, &l);
	if (err) {
		fprintf(stderr, "connect_storm: pthread_create: %s\n", strerror(err));
		return 1;
	}

	t0 = now_s();
	for (i = 0; i < n; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		char b;
		ssize_t r;

		if (s < 0) {
			fprintf(stderr, "connect_storm: socket #%ld: %s\n", i, strerror(errno));
			ok = 0;
			break;
		}
		if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
			fprintf(stderr, "connect_storm: connect #%ld to 127.0.0.1:%u: %s\n", i,
				ntohs(addr.sin_port), strerror(errno));
			close(s);
			ok = 0;
			break;
		}
		do {
			r = read(s, &b, 1);
		} while (r < 0 && errno == EINTR);
		if (r != 0) {
			fprintf(stderr, "connect_storm: connection #%ld: expected EOF, got %s\n", i,
				r < 0 ? strerror(errno) : "data");
			close(s);
			ok = 0;
			break;
		}
		close(s);
	}
	if (!ok) {
		/* Unblock the listener: it waits for n connections that will not come. */
		shutdown(l.fd, SHUT_RDWR);
	}
	pthread_join(th, NULL);
	wall = now_s() - t0;
	close(l.fd);
	if (ok && l.err) {
		fprintf(stderr, "connect_storm: accept: %s\n", strerror(l.err));
		ok = 0;
	}

	printf("{\"workload\":\"connect_storm\",\"pid\":%d,\"n\":%ld,\"done\":%ld,\"accepted\":%ld,"
	       "\"wall_s\":%.6f,\"port\":%u,\"cpu\":%ld}\n",
	       (int)getpid(), n, i, l.accepted, wall, ntohs(addr.sin_port), cpu);
	return ok && i == n ? 0 : 1;
}
