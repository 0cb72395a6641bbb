/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s.h - vigild in a Kubernetes cluster (--k8s): TracingPolicy and
 * TracingPolicyNamespaced resources are listed and watched and go through
 * the same lifecycle as policies from files and the API (loaded whole or
 * not at all; a modified resource replaces its policy without a gap; a
 * deleted one deletes it).  A resource that fails to load is reported in
 * vigild's log, in `vigil tp list` (state LOAD_ERROR with the error) and
 * as a Warning Event on the resource, which `kubectl describe` shows.
 *
 * The pods of this node (spec.nodeName) are listed and watched into a
 * pod store: events name the pod of their container (pipeline.c), and
 * pod-scoped policies (podSelector, containerSelector, namespaced) apply
 * in the cgroups of the containers they select (k8s_scope.h).
 *
 * Everything runs on vigild's main loop: vigil_k8s_poll() is called on
 * each turn (at least every 50 ms).
 */
#ifndef VIGIL_K8S_H
#define VIGIL_K8S_H

#include <stdint.h>

struct vigil_policies;
struct vigil_pod_store;
struct vigil_k8s;

struct vigil_k8s_opts {
	const char *kubeconfig; /* NULL: the pod's service account */
	const char *node;	/* this node's name */
	struct vigil_policies *policies;
	struct vigil_pod_store *pods; /* the pods of this node, kept up to date */
	int scope_map;		      /* policy_scope (k8s_scope.h) */
};

/* Read the configuration and start listing.  0, or a negative errno after
 * one message saying why. */
int vigil_k8s_start(const struct vigil_k8s_opts *o, struct vigil_k8s **out);
void vigil_k8s_poll(struct vigil_k8s *k, uint64_t now_ms);
void vigil_k8s_stop(struct vigil_k8s *k);

#endif
