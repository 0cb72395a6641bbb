// SPDX-License-Identifier: Apache-2.0
/*
 * exec_storm - fork + exec a binary (default /bin/true) N times.
 *
 *   exec_storm [-n N] [--rate R] [--jobs J] [--bin PATH] [--killed-ok]
 *
 *   -n N        number of fork+exec (default 2000)
 *   --rate R    start at most R children per second (0 = as fast as possible);
 *               starts are paced on an absolute schedule t0 + i/R
 *   --jobs J    children in flight at once (default 1: fork, exec, wait, repeat)
 *   --bin PATH  binary to exec, with argv[0] = PATH and no other argument
 *   --killed-ok a child killed by SIGKILL (a policy that kills PATH at exec) counts as done
 *
 * Prints one JSON line on stdout:
 *   {"workload":"exec_storm","pid":P,"n":N,"done":D,"wall_s":S,"rate_target":R,
 *    "rate_achieved":A,"jobs":J,"bin":"PATH","killed":K}
 * K: children killed by SIGKILL (without --killed-ok, each of them is a failure).
 * Exit status: 0 if all N children exec'd and exited 0 (or were killed, with --killed-ok),
 * 1 otherwise (with a message on stderr).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: exec_storm [-n N] [--rate R] [--jobs J] [--bin PATH] [--killed-ok]\n");
}

static long parse_long(const char *opt, const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < min) {
		fprintf(stderr, "exec_storm: bad value for %s: '%s' (want an integer >= %ld)\n",
			opt, s, min);
		exit(2);
	}
	return v;
}

static int killed_ok;
static long killed;

/* Reap one child; returns 0 if it exited 0 (or was killed by SIGKILL, with --killed-ok),
 * 1 otherwise. */
static int reap_one(const char *bin)
{
	int status;
	pid_t p;

	do {
		p = wait(&status);
	} while (p < 0 && errno == EINTR);
	if (p < 0) {
		fprintf(stderr, "exec_storm: wait: %s\n", strerror(errno));
		return 1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		killed++;
		if (killed_ok)
			return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		fprintf(stderr, "exec_storm: exec of %s failed in child %d\n", bin, (int)p);
	else
		fprintf(stderr, "exec_storm: child %d (%s) did not exit 0 (status 0x%x)\n", (int)p,
			bin, status);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "bin", required_argument, NULL, 'b' },
		{ "killed-ok", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n = 2000, rate = 0, jobs = 1, inflight = 0, done = 0, nfail = 0, i;
	const char *bin = "/bin/true";
	int c;
	double t0, t1, wall;

	while ((c = getopt_long(argc, argv, "n:r:j:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = parse_long("-n", optarg, 1);
			break;
		case 'r':
			rate = parse_long("--rate", optarg, 0);
			break;
		case 'j':
			jobs = parse_long("--jobs", optarg, 1);
			break;
		case 'b':
			bin = optarg;
			break;
		case 'k':
			killed_ok = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (strpbrk(bin, "\"\\") != NULL) {
		fprintf(stderr, "exec_storm: --bin must not contain quotes or backslashes\n");
		return 2;
	}
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "exec_storm: %s is not executable: %s\n", bin, strerror(errno));
		return 1;
	}
	fflush(stdout);

	t0 = now_s();
	for (i = 0; i < n && nfail == 0; i++) {
		pid_t pid;

		if (rate > 0) {
			double due = t0 + (double)i / (double)rate;
			struct timespec ts;

			ts.tv_sec = (time_t)due;
			ts.tv_nsec = (long)((due - (double)ts.tv_sec) * 1e9);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
				;
		}
		while (inflight >= jobs) {
			nfail += reap_one(bin);
			inflight--;
			done++;
		}
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "exec_storm: fork #%ld: %s\n", i, strerror(errno));
			nfail++;
			break;
		}
		if (pid == 0) {
			char *const cargv[] = { (char *)bin, NULL };

			execv(bin, cargv);
			_exit(127);
		}
		inflight++;
	}
	while (inflight > 0) {
		nfail += reap_one(bin);
		inflight--;
		done++;
	}
	t1 = now_s();
	wall = t1 - t0;

	printf("{\"workload\":\"exec_storm\",\"pid\":%d,\"n\":%ld,\"done\":%ld,\"wall_s\":%.6f,"
	       "\"rate_target\":%ld,\"rate_achieved\":%.1f,\"jobs\":%ld,\"bin\":\"%s\","
	       "\"killed\":%ld}\n",
	       (int)getpid(), n, done, wall, rate, wall > 0 ? (double)done / wall : 0.0, jobs, bin,
	       killed);
	if (nfail || done != n) {
		fprintf(stderr, "exec_storm: only %ld of %ld children %s; stopping\n",
			done - nfail, n, killed_ok ? "exited 0 or were killed" : "exited 0");
		return 1;
	}
	return 0;
}
