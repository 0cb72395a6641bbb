/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_client.h - HTTP to the Kubernetes API server over libcurl's multi
 * interface, driven from vigild's main loop: no thread of its own.  Each
 * call of vigil_k8s_client_poll() starts the requests that are due, moves
 * the transfers along without blocking and completes the ones that ended.
 *
 * It drives list-then-watch state machines (k8s_watch.h): a list's body is
 * handed over whole, a watch's body line by line as it arrives.  It also
 * sends one-off requests (an Event about a policy) with a completion
 * callback.  The bearer token is read again for every request (a rotated
 * token is picked up); TLS is verified against the configured CA.
 */
#ifndef VIGIL_K8S_CLIENT_H
#define VIGIL_K8S_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "k8s_config.h"
#include "k8s_watch.h"

struct vigil_k8s_client;

typedef void (*vigil_k8s_done_fn)(void *arg, long status, const char *body, size_t len,
				  const char *why);

/* cfg must outlive the client. */
int vigil_k8s_client_new(const struct vigil_k8s_config *cfg, struct vigil_k8s_client **out);
void vigil_k8s_client_free(struct vigil_k8s_client *c);

/* Drive w from now on (w must outlive the client). */
int vigil_k8s_client_watch(struct vigil_k8s_client *c, struct vigil_k8s_watch *w);

/* Send body (JSON) with method to path; done (may be NULL) is called once
 * with the outcome.  At most 64 such requests are out at once: beyond
 * that -EBUSY. */
int vigil_k8s_client_send(struct vigil_k8s_client *c, const char *method, const char *path,
			  const char *content_type, const char *body, vigil_k8s_done_fn done,
			  void *arg);

/* Start what is due, move transfers, complete what ended.  now_ms is
 * CLOCK_MONOTONIC in ms. */
void vigil_k8s_client_poll(struct vigil_k8s_client *c, uint64_t now_ms);

#endif
