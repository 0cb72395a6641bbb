/* SPDX-License-Identifier: Apache-2.0 */
/*
 * network.h - the built-in network sensor (--enable-network-events): loads
 * bpf-lsm/network.bpf.c on the shared maps and attaches it at the cgroup v2
 * root and the accept tracepoints; its events are policy events of policy
 * id 0, named here as the Tetragon example policies name theirs.
 */
#ifndef VIGIL_NETWORK_H
#define VIGIL_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "policies.h"
#include "sensor.h"

struct vigil_network;

/* 0, or a negative errno with err saying which step failed. */
int vigil_network_start(const struct vigil_shared_maps *m, struct vigil_network **out, char *err,
			size_t errsz);
void vigil_network_stop(struct vigil_network *n);

/* What a network event of hook (VIGIL_NET_HOOK(n)) is: policy name,
 * function name, argument types and labels; NULL for another hook. */
const struct vigil_hook_meta *vigil_network_hook(uint32_t hook);

#endif
