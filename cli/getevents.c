// SPDX-License-Identifier: Apache-2.0
/*
 * getevents.c - vigil getevents: stream vigild's events as protojson lines
 * or compact lines.  The stream is opened again when vigild goes away and
 * comes back (a restart), which stderr says; an interrupt ends it with
 * status 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "protojson.h"
#include "render.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct run {
	const struct cli_getevents *g;
	bool connected; /* the current stream was answered */
	bool ever;	/* a stream was answered once */
	bool lost;	/* the last stream was lost: say when it is back */
	bool out_gone;	/* stdout cannot be written: end */
};

static void on_open(void *arg)
{
	struct run *r = arg;

	r->connected = true;
	r->ever = true;
	if (r->lost) {
		fprintf(stderr, "vigil getevents: connected to vigild again\n");
		r->lost = false;
	}
}

static int on_msg(void *arg, const ProtobufCMessage *m)
{
	struct run *r = arg;
	const Tetragon__GetEventsResponse *ev = (const Tetragon__GetEventsResponse *)m;
	int ret;

	if (r->g->output == CLI_OUT_COMPACT)
		ret = vigil_render_compact(stdout, ev);
	else
		ret = vigil_protojson_write(stdout, m);
	if (!ret && fflush(stdout))
		ret = -errno;
	if (ret == -EPIPE || (ret && ferror(stdout))) {
		r->out_gone = true;
		return 1;
	}
	return 0;
}

/* Sleep up to ms, or until interrupted. */
static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int cmd_getevents(int argc, char **argv)
{
	struct cli_getevents g;
	struct run r = { .g = &g };
	struct vigil_client_stream_ops ops = {
		.on_open = on_open, .on_msg = on_msg, .arg = &r, .stop = &stop
	};
	struct sigaction sa = { .sa_handler = on_signal };
	char *err = malloc(4096);
	int ret, rc = 1;

	ret = cli_getevents_parse(argc, argv, &g, stdout, stderr);
	if (ret || !err) {
		cli_getevents_free(&g);
		free(err);
		return ret == 1 ? 0 : 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!stop) {
		struct vigil_client *c;

		r.connected = false;
		err[0] = 0;
		ret = vigil_client_open(g.address, &c, err, 4096);
		if (!ret) {
			ret = vigil_client_stream(c, VIGIL_RPC_GET_EVENTS, &g.req->base, &ops, err,
						  4096);
			vigil_client_close(c);
		}
		if (r.out_gone || stop || ret == -EINTR) {
			rc = 0;
			break;
		}
		/* vigild went away (stopped, restarting): wait for it.  The
		 * first connection must work, or there is nothing to wait for. */
		if ((ret == -ECONNREFUSED || !ret) && r.ever) {
			if (!r.lost) {
				cli_error("getevents", ret ? err : "vigild ended the stream", NULL);
				fprintf(stderr, "vigil getevents: reconnecting to vigild\n");
			}
			r.lost = true;
			pause_ms(r.connected ? 100 : 1000);
			continue;
		}
		cli_error("getevents", ret ? err : "vigild ended the stream", NULL);
		break;
	}
	if (stop)
		rc = 0;
	cli_getevents_free(&g);
	free(err);
	return rc;
}
