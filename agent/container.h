/* SPDX-License-Identifier: Apache-2.0 */
/*
 * container.h - map a cgroup path to the container (and Kubernetes pod) it
 * belongs to.
 *
 * Pure string parsing: no allocation, no file access, safe to call from any
 * thread.  The caller reads /proc/PID/cgroup (or gets cgroup names from the
 * kernel) and hands the path here.
 */
#ifndef VIGIL_CONTAINER_H
#define VIGIL_CONTAINER_H

#include <stddef.h>

/* Hex characters in a full container id. */
#define VIGIL_CONTAINER_ID_LEN 64
/* Characters in a Kubernetes pod UID (8-4-4-4-12 UUID, dashes included). */
#define VIGIL_POD_UID_LEN 36
/* Longest accepted cgroup path, terminating NUL included (PATH_MAX). */
#define VIGIL_CGROUP_PATH_MAX 4096

enum vigil_runtime {
	VIGIL_RT_NONE = 0,
	VIGIL_RT_DOCKER,
	VIGIL_RT_CONTAINERD,
	VIGIL_RT_CRIO,
	VIGIL_RT_PODMAN,
};

/*
 * Find the container id in a cgroup path.
 *
 * cgroup_path is either a path as it appears in /proc/PID/cgroup after the
 * "0::" (or "N:controllers:") prefix, e.g. "/system.slice/docker-<id>.scope",
 * or one or two bare cgroup directory names ("<leaf>" or "<parent>/<leaf>").
 * A trailing newline and the kernel's " (deleted)" marker are ignored.
 *
 * Components are examined from the leaf upward; the first one that carries a
 * container id wins.  Recognised components:
 *
 *   docker-<id>[.scope]          docker (systemd driver)        DOCKER
 *   cri-containerd-<id>[.scope]  containerd CRI (systemd)       CONTAINERD
 *   crio-<id>[.scope]            CRI-O                          CRIO
 *   libpod-<id>[.scope]          podman                         PODMAN
 *   <id>                         under a "docker" parent        DOCKER
 *   <id>                         anywhere else (kubepods        CONTAINERD
 *                                cgroupfs, containerd namespace)
 *
 * where <id> is exactly 64 lowercase hex digits.  The conmon monitor scopes
 * (crio-conmon-<id>.scope, libpod-conmon-<id>.scope) are not containers.
 *
 * On success writes the NUL-terminated id to id (idsz must be at least
 * VIGIL_CONTAINER_ID_LEN + 1), stores the runtime in *rt when rt is not NULL,
 * and returns 0.  Returns -ENOENT when no component names a container and
 * -EINVAL for NULL arguments, a too-small buffer, or a path of
 * VIGIL_CGROUP_PATH_MAX or more characters.  On failure id and *rt are left
 * untouched.
 */
int vigil_container_id(const char *cgroup_path, char *id, size_t idsz, enum vigil_runtime *rt);

/* "docker", "containerd", "cri-o", "podman"; "" for VIGIL_RT_NONE or unknown. */
const char *vigil_runtime_name(enum vigil_runtime rt);

/*
 * Find the Kubernetes pod UID in a cgroup path.  Recognised components:
 *
 *   pod<uid>                              cgroupfs driver, uid with dashes
 *   kubepods-pod<uid>.slice               systemd driver, guaranteed QoS
 *   kubepods-burstable-pod<uid>.slice     systemd driver, uid with
 *   kubepods-besteffort-pod<uid>.slice    underscores instead of dashes
 *
 * <uid> must be a lowercase 36-character UUID.  The leaf-most match wins.
 * On success writes the UID with dashes, NUL-terminated, to uid (uidsz must
 * be at least VIGIL_POD_UID_LEN + 1) and returns 0.  Returns -ENOENT when
 * there is no pod component and -EINVAL as vigil_container_id() does.
 */
int vigil_pod_uid(const char *cgroup_path, char *uid, size_t uidsz);

/* Both of the above at once, each "" when the path has none. */
void vigil_cgroup_ids(const char *cgroup_path, char cid[VIGIL_CONTAINER_ID_LEN + 1],
		      char pod[VIGIL_POD_UID_LEN + 1]);

#endif /* VIGIL_CONTAINER_H */
