/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pod_hold.h - ring-buffer messages that wait, briefly, for their pod.
 *
 * With --k8s, an event of a process in a Kubernetes container (its cgroup
 * names a pod UID and a container id) should name its pod.  The kubelet
 * reports a new container's id a moment after the container starts, so
 * the first events of a container often come before its pod is known.
 * Such a message is copied into a FIFO instead of being handled; so is
 * every message after it, whatever its process, so that the process cache
 * sees them in ring-buffer order.  The head is handled as soon as its pod
 * is known, or when it has waited wait_ms: then it goes out without a pod,
 * and later events of that container do not wait again until the pod
 * store changes.  The FIFO holds at most VIGIL_POD_HOLD_MAX messages or
 * VIGIL_POD_HOLD_BYTES; beyond that the head goes at once.
 *
 * The decisions are pure (a store and a clock), unit-tested; the pipeline
 * wires them (pipeline.c).
 */
#ifndef VIGIL_POD_HOLD_H
#define VIGIL_POD_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIGIL_POD_HOLD_MAX     16384
#define VIGIL_POD_HOLD_BYTES   (32u << 20)
#define VIGIL_POD_WAIT_MS      2000
#define VIGIL_POD_GAVE_UP_KEEP 64

struct vigil_pod_store;
struct vigil_pod_hold;

int vigil_pod_hold_new(struct vigil_pod_store *store, uint32_t wait_ms,
		       struct vigil_pod_hold **out);
void vigil_pod_hold_free(struct vigil_pod_hold *h);

/* Does a message of a process in this container (id and pod UID as its
 * cgroup names them; "" when none) have to wait for its pod? */
bool vigil_pod_hold_needs(struct vigil_pod_hold *h, const char *container_id, const char *pod_uid);

/* Copy a message in.  0, or -ENOMEM (the caller handles it now). */
int vigil_pod_hold_push(struct vigil_pod_hold *h, const void *data, size_t size,
			const char *container_id, const char *pod_uid, uint64_t now_ms);

bool vigil_pod_hold_empty(const struct vigil_pod_hold *h);

/* The head, when it may go now (its pod is known, it waited long enough,
 * or the FIFO is over its bounds), else NULL.  *timed_out says it goes
 * without its pod.  Then vigil_pod_hold_pop(). */
const void *vigil_pod_hold_ready(struct vigil_pod_hold *h, uint64_t now_ms, size_t *size,
				 bool *timed_out);
void vigil_pod_hold_pop(struct vigil_pod_hold *h);

/* Messages that went without their pod, and that waited at all. */
uint64_t vigil_pod_hold_timeouts(const struct vigil_pod_hold *h);
uint64_t vigil_pod_hold_held(const struct vigil_pod_hold *h);

#endif
