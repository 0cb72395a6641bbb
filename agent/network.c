// SPDX-License-Identifier: Apache-2.0
/*
 * network.c - the built-in network sensor: load network.bpf.c on the maps
 * the process sensor made, attach its programs, and name its events.
 *
 * Hooks, on every kernel vigil supports (none needs kprobes or BPF-LSM):
 *   sockops at the cgroup v2 root        TCP connect, listen, close
 *   tracepoints syscalls/sys_exit_accept, sys_exit_accept4
 *                                        TCP accept, in the accepting process
 *   cgroup sendmsg4/6, connect4/6,       UDP: the first datagram (or
 *   recvmsg4/6 at the root               connect) to or from each new peer
 * Sockets made before the sensor started report accept and datagrams, but
 * not their close (their states were not watched).  A datagram received is
 * seen when the receiver asks for its source address (recvfrom,
 * recvmsg with msg_name), as servers do: the kernel runs the recvmsg hook
 * only then.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "network.h"
#include "network.skel.h"
#include "policy_load.h"
#include "probe.h"

struct vigil_network {
	struct network_bpf *skel;
	struct bpf_link *links[10];
	size_t nlinks;
};

/* Each event's arguments, typed as the example policy types them. */
static struct vigil_arg sock_only[] = {
	{ .index = 0, .type = VIGIL_ARG_SOCK, .type_name = (char *)"sock" },
};
static struct vigil_arg close_args[] = {
	{ .index = 0, .type = VIGIL_ARG_SOCK, .type_name = (char *)"sock" },
	{ .index = 1,
	  .type = VIGIL_ARG_U64,
	  .type_name = (char *)"uint64",
	  .label = (char *)"bytes_acked" },
	{ .index = 2,
	  .type = VIGIL_ARG_U64,
	  .type_name = (char *)"uint64",
	  .label = (char *)"bytes_received" },
};
static struct vigil_arg accept_args[] = {
	{ .index = 0, .type = VIGIL_ARG_SOCK, .type_name = (char *)"sock" },
	{ .index = 1, .type = VIGIL_ARG_S32, .type_name = (char *)"int", .label = (char *)"state" },
};
static struct vigil_arg datagram_args[] = {
	{ .index = 0, .type = VIGIL_ARG_SOCK, .type_name = (char *)"sock" },
	{ .index = 1, .type = VIGIL_ARG_SKB, .type_name = (char *)"skb" },
	{ .index = 2, .type = VIGIL_ARG_S32, .type_name = (char *)"int" },
};

#define META(pol, fn, a)                                                                       \
	{                                                                                      \
		.policy_name = pol, .function_name = fn, .kind = VIGIL_HOOK_KPROBE, .args = a, \
		.nargs = sizeof(a) / sizeof(a[0])                                              \
	}

static const struct vigil_hook_meta metas[VIGIL_NET_HOOK_COUNT] = {
	[VIGIL_NET_CONNECT] = META("connect", "tcp_connect", sock_only),
	[VIGIL_NET_CLOSE] = META("connect", "tcp_close", close_args),
	[VIGIL_NET_ACCEPT] = META("accept", "tcp_set_state", accept_args),
	[VIGIL_NET_LISTEN] = META("tcp-listen", "inet_csk_listen_start", sock_only),
	[VIGIL_NET_DATAGRAM] = META("datagram", "__cgroup_bpf_run_filter_skb", datagram_args),
};

const struct vigil_hook_meta *vigil_network_hook(uint32_t hook)
{
	if (hook == 0 || hook >= VIGIL_NET_HOOK_COUNT)
		return NULL;
	return &metas[hook];
}

int vigil_network_start(const struct vigil_shared_maps *m, struct vigil_network **out, char *err,
			size_t errsz)
{
	struct bpf_program *cgroup_progs[7];
	struct vigil_network *n = calloc(1, sizeof(*n));
	struct bpf_link *link;
	int ret, cg = -1;
	size_t i;

	*out = NULL;
	if (!n)
		return -ENOMEM;
	n->skel = network_bpf__open();
	if (!n->skel) {
		ret = -errno;
		snprintf(err, errsz, "open the network sensor: %s", strerror(-ret));
		goto fail;
	}
	ret = vigil_reuse_shared_maps(n->skel->obj, m);
	if (ret) {
		snprintf(err, errsz, "share the process sensor's maps: %s", strerror(-ret));
		goto fail;
	}
	ret = network_bpf__load(n->skel);
	if (ret) {
		snprintf(err, errsz, "load the network sensor: %s", strerror(-ret));
		goto fail;
	}
	cg = vigil_cgroup2_fd();
	if (cg < 0) {
		ret = cg;
		snprintf(err, errsz, "open the cgroup v2 root: %s", strerror(-ret));
		goto fail;
	}
	cgroup_progs[0] = n->skel->progs.vigil_net_sockops;
	cgroup_progs[1] = n->skel->progs.vigil_net_send4;
	cgroup_progs[2] = n->skel->progs.vigil_net_send6;
	cgroup_progs[3] = n->skel->progs.vigil_net_connect4;
	cgroup_progs[4] = n->skel->progs.vigil_net_connect6;
	cgroup_progs[5] = n->skel->progs.vigil_net_recv4;
	cgroup_progs[6] = n->skel->progs.vigil_net_recv6;
	for (i = 0; i < 7; i++) {
		link = bpf_program__attach_cgroup(cgroup_progs[i], cg);
		if (!link) {
			ret = -errno;
			snprintf(err, errsz, "attach %s at the cgroup root: %s",
				 bpf_program__name(cgroup_progs[i]), strerror(-ret));
			goto fail;
		}
		n->links[n->nlinks++] = link;
	}
	for (i = 0; i < 2; i++) {
		struct bpf_program *p =
			i ? n->skel->progs.vigil_net_accept4 : n->skel->progs.vigil_net_accept;

		link = bpf_program__attach(p);
		if (!link) {
			ret = -errno;
			snprintf(err, errsz, "attach %s: %s", bpf_program__name(p), strerror(-ret));
			goto fail;
		}
		n->links[n->nlinks++] = link;
	}
	close(cg);
	*out = n;
	return 0;
fail:
	if (cg >= 0)
		close(cg);
	vigil_network_stop(n);
	return ret ? ret : -EINVAL;
}

void vigil_network_stop(struct vigil_network *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nlinks; i++)
		bpf_link__destroy(n->links[i]);
	network_bpf__destroy(n->skel);
	free(n);
}
