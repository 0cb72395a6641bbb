// SPDX-License-Identifier: Apache-2.0
/*
 * pod_hold.c - the FIFO of messages waiting for their pod (see
 * pod_hold.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "k8s_pod.h"
#include "pod_hold.h"

struct held {
	struct held *next;
	uint64_t since_ms;
	size_t size;
	bool waits; /* this one waits for a pod (else only for those before it) */
	char container_id[VIGIL_CONTAINER_ID_LEN + 1];
	char pod_uid[VIGIL_POD_UID_LEN + 1];
	unsigned char data[];
};

struct vigil_pod_hold {
	struct vigil_pod_store *store;
	uint32_t wait_ms;
	struct held *head, *tail;
	size_t n, bytes;
	/* containers whose pod did not come in time, until the store changes */
	char gave_up[VIGIL_POD_GAVE_UP_KEEP][VIGIL_CONTAINER_ID_LEN + 1];
	size_t ngave_up, next_gave_up;
	uint64_t gave_up_gen;
	uint64_t timeouts, held;
};

int vigil_pod_hold_new(struct vigil_pod_store *store, uint32_t wait_ms, struct vigil_pod_hold **out)
{
	struct vigil_pod_hold *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->store = store;
	h->wait_ms = wait_ms;
	*out = h;
	return 0;
}

void vigil_pod_hold_free(struct vigil_pod_hold *h)
{
	if (!h)
		return;
	while (h->head)
		vigil_pod_hold_pop(h);
	free(h);
}

static bool pod_known(struct vigil_pod_hold *h, const char *container_id)
{
	struct vigil_pod *pod = NULL;

	if (vigil_pod_store_find_container(h->store, container_id, &pod, NULL))
		return false;
	vigil_pod_put(pod);
	return true;
}

static bool gave_up(struct vigil_pod_hold *h, const char *container_id)
{
	uint64_t gen = vigil_pod_store_generation(h->store);
	size_t i;

	if (gen != h->gave_up_gen) { /* the store changed: try again */
		h->ngave_up = h->next_gave_up = 0;
		h->gave_up_gen = gen;
	}
	for (i = 0; i < h->ngave_up; i++)
		if (!strcmp(h->gave_up[i], container_id))
			return true;
	return false;
}

bool vigil_pod_hold_needs(struct vigil_pod_hold *h, const char *container_id, const char *pod_uid)
{
	if (!container_id[0] || !pod_uid[0])
		return false; /* not in a pod's container */
	return !pod_known(h, container_id) && !gave_up(h, container_id);
}

int vigil_pod_hold_push(struct vigil_pod_hold *h, const void *data, size_t size,
			const char *container_id, const char *pod_uid, uint64_t now_ms)
{
	struct held *m = malloc(sizeof(*m) + size);

	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->since_ms = now_ms;
	m->size = size;
	m->waits = container_id[0] && pod_uid[0];
	strncpy(m->container_id, container_id, sizeof(m->container_id) - 1);
	m->container_id[sizeof(m->container_id) - 1] = 0;
	strncpy(m->pod_uid, pod_uid, sizeof(m->pod_uid) - 1);
	m->pod_uid[sizeof(m->pod_uid) - 1] = 0;
	memcpy(m->data, data, size);
	if (h->tail)
		h->tail->next = m;
	else
		h->head = m;
	h->tail = m;
	h->n++;
	h->bytes += size;
	h->held++;
	return 0;
}

bool vigil_pod_hold_empty(const struct vigil_pod_hold *h)
{
	return !h->head;
}

const void *vigil_pod_hold_ready(struct vigil_pod_hold *h, uint64_t now_ms, size_t *size,
				 bool *timed_out)
{
	struct held *m = h->head;

	*timed_out = false;
	if (!m)
		return NULL;
	*size = m->size;
	if (!m->waits || !vigil_pod_hold_needs(h, m->container_id, m->pod_uid))
		return m->data;
	if (now_ms - m->since_ms < h->wait_ms && h->n <= VIGIL_POD_HOLD_MAX &&
	    h->bytes <= VIGIL_POD_HOLD_BYTES)
		return NULL;
	/* out of time (or room): it goes without its pod, and the
	 * container's later events do not wait again */
	*timed_out = true;
	h->timeouts++;
	strcpy(h->gave_up[h->next_gave_up], m->container_id);
	h->next_gave_up = (h->next_gave_up + 1) % VIGIL_POD_GAVE_UP_KEEP;
	if (h->ngave_up < VIGIL_POD_GAVE_UP_KEEP)
		h->ngave_up++;
	return m->data;
}

void vigil_pod_hold_pop(struct vigil_pod_hold *h)
{
	struct held *m = h->head;

	if (!m)
		return;
	h->head = m->next;
	if (!h->head)
		h->tail = NULL;
	h->n--;
	h->bytes -= m->size;
	free(m);
}

uint64_t vigil_pod_hold_timeouts(const struct vigil_pod_hold *h)
{
	return h->timeouts;
}

uint64_t vigil_pod_hold_held(const struct vigil_pod_hold *h)
{
	return h->held;
}
