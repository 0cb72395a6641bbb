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
 *       without a containerSelector: the pod's cgroup(s)
 *       for each container of the pod that P selects (containerSelector)
 *         and that has an id: the cgroup(s) named after that id
 *   new entries are added before stale ones are removed
 *
 * The BPF side finds a task in scope when its cgroup or an ancestor is
 * listed: a pod's cgroup covers its containers from their first exec,
 * before the kubelet reports their ids, and cgroups nested below them.
 *
 * Pod and container cgroups are found by walking the cgroup v2 tree for
 * directory names that carry a pod UID or a container id (container.c's
 * layouts); a cgroup's id is its directory's inode number, what the
 * bpf_get_current_*cgroup_id() helpers give.  The walk runs when the pods
 * or the policies changed, and again while a selected pod that is starting
 * or running, or a running container, has no cgroup yet: 250 ms later,
 * then at doubling intervals up to 8 s (a layout vigil cannot read must
 * not cost a walk every 250 ms for ever).
 *
 * Not covered: with a containerSelector, a container's processes before
 * the kubelet reports its id (its first exec, usually).
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
