/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_scope.h - which cgroups a pod-scoped policy applies in.
 *
 * A policy with a podSelector or a containerSelector, and every
 * TracingPolicyNamespaced, runs its hooks only in the cgroups listed for
 * it in the policy_scope map (VIGIL_HOOK_F_SCOPED).  This keeps that map
 * true as pods and policies come and go, without reloading a policy:
 *
 *   for each scoped policy P (id, model):
 *     for each pod of this node that P selects (namespace, podSelector):
 *       for each container of the pod that P selects (containerSelector)
 *         and that has an id: the cgroup(s) named after that id
 *   new entries are added before stale ones are removed
 *
 * Container cgroups are found by walking the cgroup v2 tree for directory
 * names that carry a container id (container.c's layouts); a cgroup's id
 * is its directory's inode number, what bpf_get_current_cgroup_id() gives.
 * The walk runs when the pods or the policies changed, and again a second
 * later while a selected container has no cgroup yet.
 *
 * Not covered: a container's processes before the kubelet reports its id
 * (its first exec, usually), and processes in cgroups nested below the
 * container's.
 */
#ifndef VIGIL_K8S_SCOPE_H
#define VIGIL_K8S_SCOPE_H

#include <stddef.h>
#include <stdint.h>

struct vigil_policies;
struct vigil_pod_store;
struct vigil_k8s_scope;

/* cgroup_fd: the cgroup v2 root (owned by the scope after the call). */
int vigil_k8s_scope_new(int map_fd, int cgroup_fd, struct vigil_k8s_scope **out);
void vigil_k8s_scope_free(struct vigil_k8s_scope *s);

/* Bring policy_scope up to date (cheap when nothing changed). */
void vigil_k8s_scope_sync(struct vigil_k8s_scope *s, struct vigil_policies *ps,
			  struct vigil_pod_store *store, uint64_t now_ms);

/* Entries in policy_scope now. */
size_t vigil_k8s_scope_entries(const struct vigil_k8s_scope *s);

#endif
