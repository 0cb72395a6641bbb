/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_pod.h - the pods of this node as vigild knows them: a core/v1 Pod
 * (JSON, as a list's items[] or a watch event's object carry it) read into
 * an immutable, reference-counted snapshot, and a store of snapshots
 * looked up by container id and by pod UID.  No I/O.
 *
 * What a snapshot keeps is what Tetragon's Pod message and its policy
 * filter use (pkg/process/podinfo.go, pkg/podhelpers, pkg/policyfilter):
 *
 *   namespace, name, uid, node (spec.nodeName), labels, annotations;
 *   workload and workload_kind, derived from the controlling owner
 *     reference as Tetragon does (vigil_pod_workload());
 *   one container per entry of status.initContainerStatuses,
 *     status.containerStatuses and status.ephemeralContainerStatuses, in
 *     that order: its id, name, image, image id, image repository (for
 *     containerSelector's "repo"), start time, whether it runs, whether
 *     its spec makes it privileged, and the exec commands of its liveness
 *     and readiness probes (spec.containers only, as Tetragon reads them).
 *
 * Pending containers: a status entry without a containerID (the container
 * is waiting to be created) is kept with id "" and its name and image, so
 * that a containerSelector can be evaluated on it; it is not found by id.
 * A container of the spec with no status entry yet is not listed: nothing
 * ties it to a process until the kubelet reports its id, and that report
 * is a pod update, which replaces the snapshot and bumps the store's
 * generation.  Tetragon's policy filter only counts running containers:
 * callers that mimic it test 'running'.
 *
 * Container ids: the kubelet writes "<runtime>://<id>" ("containerd://",
 * "cri-o://", "docker://"); full_id keeps that (Tetragon's
 * pod.container.id), id points past the "://" (the whole string when there
 * is none).  vigil's process records hold the full 64-hex id
 * (VIGIL_CONTAINER_ID_LEN: container.c accepts nothing shorter), so a
 * lookup is an exact match; a shorter id (the compact output's 12
 * characters, a user's filter) matches as a prefix, as Tetragon's
 * FindContainer does.
 *
 * Pod UIDs: container.c gives the UID with dashes whatever the cgroup
 * driver wrote (systemd slices use '_'); a lookup accepts either form.  A
 * static pod's cgroup carries the kubelet's hash of its manifest, not the
 * UID of its mirror pod: a UID lookup that finds no pod tries the mirror
 * pods' "kubernetes.io/config.mirror" annotation (Tetragon's
 * FindMirrorPod).
 *
 * Bounds (a pod that exceeds one is refused with -EINVAL and a reason):
 * namespace 63 bytes, name 253, uid 128, label keys 317 (253 + '/' + 63),
 * label values 63, at most VIGIL_POD_MAX_LABELS labels, annotations at
 * most VIGIL_POD_MAX_ANNOTATIONS and VIGIL_POD_ANNOTATION_BYTES in all
 * (Kubernetes' own limit), any other string VIGIL_POD_STR_MAX bytes, at
 * most VIGIL_POD_MAX_CONTAINERS entries in each container list and
 * VIGIL_POD_MAX_ARGS words in a probe command.  Strings with a NUL are
 * refused.
 *
 * Threads: snapshots never change once made and their reference count is
 * atomic; every store function takes the store's lock.  A snapshot looked
 * up stays valid after the store replaced or deleted it, until put.
 */
#ifndef VIGIL_K8S_POD_H
#define VIGIL_K8S_POD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define VIGIL_POD_NS_MAX	   63
#define VIGIL_POD_NAME_MAX	   253
#define VIGIL_POD_UID_MAX	   128
#define VIGIL_POD_STR_MAX	   4096
#define VIGIL_POD_MAX_LABELS	   512
#define VIGIL_POD_MAX_ANNOTATIONS  1024
#define VIGIL_POD_ANNOTATION_BYTES (256 * 1024)
#define VIGIL_POD_MAX_CONTAINERS   1024
#define VIGIL_POD_MAX_ARGS	   256
/* Deleted pods kept for container-id lookups (Tetragon's deleted pod
 * cache): an exit event may come after its pod's deletion. */
#define VIGIL_POD_DELETED_KEEP 128

/* The annotation of a mirror pod naming its static pod's hash. */
#define VIGIL_POD_MIRROR_ANNOTATION "kubernetes.io/config.mirror"

struct vigil_pod_kv {
	char *key;
	char *value;
};

enum vigil_pod_container_kind {
	VIGIL_POD_CONTAINER_INIT = 0,
	VIGIL_POD_CONTAINER_REGULAR,
	VIGIL_POD_CONTAINER_EPHEMERAL,
};

struct vigil_pod_container {
	enum vigil_pod_container_kind kind;
	char *full_id;		/* "containerd://<id>" as written; "" while pending */
	const char *id;		/* into full_id: past "://"; "" while pending */
	char *name;		/* "" when absent */
	char *image;		/* status image: "docker.io/library/nginx:1.27" */
	char *image_id;		/* "docker.io/library/nginx@sha256:..." */
	char *repo;		/* image_id before its '@' when it has exactly one, else "" */
	uint64_t start_time_ns; /* state.running.startedAt, ns since the epoch; 0 if none */
	bool running;		/* state.running is present */
	bool privileged;	/* the spec's securityContext.privileged */
	char **liveness_exec;	/* livenessProbe.exec.command; n words */
	size_t nliveness_exec;
	char **readiness_exec;
	size_t nreadiness_exec;
};

struct vigil_pod {
	int refcnt; /* atomic; use vigil_pod_get/put */
	char *ns;
	char *name;
	char *uid;
	char *node_name; /* spec.nodeName, "" when not scheduled */
	/* sorted by key (strcmp) */
	struct vigil_pod_kv *labels;
	size_t nlabels;
	struct vigil_pod_kv *annotations;
	size_t nannotations;
	char *workload;	     /* Tetragon's pod.workload */
	char *workload_kind; /* Tetragon's pod.workload_kind: "Deployment", "Pod"... */
	struct vigil_pod_container *containers;
	size_t ncontainers;
};

/*
 * Read obj (a Pod object) into a new snapshot with one reference.
 * metadata.name, metadata.namespace and metadata.uid are required; any
 * other field may be absent or null.  Returns 0 and *out; -EINVAL with the
 * reason in err ("status.containerStatuses[1].image: expected a string,
 * got a number"), *out NULL; -ENOMEM.
 */
int vigil_pod_parse(const struct json_object *obj, struct vigil_pod **out, char *err, size_t errsz);

struct vigil_pod *vigil_pod_get(struct vigil_pod *pod);
/* Drop a reference (NULL is fine); the last one frees the snapshot. */
void vigil_pod_put(struct vigil_pod *pod);

/*
 * Tetragon's workload of a pod (pkg/podhelpers GetWorkloadMetaFromPod):
 * when the pod has a generateName and an owner reference with controller
 * true (the first one), the workload is that owner: a ReplicaSet whose
 * name ends with the pod's pod-template-hash label is its Deployment (the
 * name without "-<hash>"), a ReplicationController of a pod labelled
 * deploymentconfig is that DeploymentConfig, a Job named <name>-<8 to 10
 * digits> is the CronJob <name>; otherwise the owner's kind and name.
 * Without such an owner, the pod's own name and kind "Pod".  An empty name
 * is the pod's name.  controller_kind and controller_name are the
 * controlling owner's (NULL when there is none), template_hash and
 * deploymentconfig the pod's labels of those names (NULL when absent).
 * Writes newly allocated strings to *name and *kind.  0 or -ENOMEM.
 */
int vigil_pod_workload(const char *pod_name, const char *generate_name, const char *controller_kind,
		       const char *controller_name, const char *template_hash,
		       const char *deploymentconfig, char **name, char **kind);

/* The value of label key, or NULL.  The namespace label of pod selectors
 * (VIGIL_POD_NAMESPACE_LABEL, policy/pod_selector.h) reads the pod's
 * namespace when the pod has no such label.  A vigil_label_get_fn. */
const char *vigil_pod_label(void *pod, const char *key);
const char *vigil_pod_annotation(const struct vigil_pod *pod, const char *key);
/* A containerSelector field of a container (struct vigil_pod_container *):
 * "name", "repo"; NULL for any other key.  A vigil_label_get_fn. */
const char *vigil_pod_container_field(void *container, const char *key);

/* --- the store ------------------------------------------------------------ */

struct vigil_pod_store;

struct vigil_pod_store *vigil_pod_store_new(void);
void vigil_pod_store_free(struct vigil_pod_store *s);

/* Add pod, or replace the pod of the same UID.  The store takes its own
 * reference (the caller keeps its own).  A pod equal to the one stored
 * changes nothing: the generation stays.  0, -EINVAL (NULL), -ENOMEM (the
 * store is unchanged). */
int vigil_pod_store_upsert(struct vigil_pod_store *s, struct vigil_pod *pod);
/* vigil_pod_parse() then vigil_pod_store_upsert(). */
int vigil_pod_store_upsert_json(struct vigil_pod_store *s, const struct json_object *obj, char *err,
				size_t errsz);
/* Remove the pod of uid ('-' or '_' form) / every pod called ns/name (a
 * watch's DELETED event, a relist's vanished object).  Removed pods stay
 * findable by container id among the last VIGIL_POD_DELETED_KEEP deleted.
 * 0 or -ENOENT. */
int vigil_pod_store_delete(struct vigil_pod_store *s, const char *uid);
int vigil_pod_store_delete_name(struct vigil_pod_store *s, const char *ns, const char *name);
/* Remove every pod, the deleted ones too (a resync from scratch). */
void vigil_pod_store_clear(struct vigil_pod_store *s);

/*
 * The pod running container id (see above: exact, else the first id it
 * is a prefix of; the pods deleted last are searched when no live pod
 * has it).  0 with *pod referenced and *idx its index in (*pod)->containers
 * (idx may be NULL); -ENOENT; -EINVAL for an empty id.
 */
int vigil_pod_store_find_container(struct vigil_pod_store *s, const char *id,
				   struct vigil_pod **pod, size_t *idx);
/* The pod of uid (dashes or underscores), else the mirror pod whose
 * VIGIL_POD_MIRROR_ANNOTATION is uid.  0 with *pod referenced; -ENOENT;
 * -EINVAL. */
int vigil_pod_store_find_uid(struct vigil_pod_store *s, const char *uid, struct vigil_pod **pod);

/* Every live pod, sorted by UID, each referenced, and the generation they
 * are of (gen may be NULL): for scoping policies ("which pods does this
 * selector match").  Free with vigil_pod_list_free().  0 or -ENOMEM. */
int vigil_pod_store_list(struct vigil_pod_store *s, struct vigil_pod ***pods, size_t *n,
			 uint64_t *gen);
void vigil_pod_list_free(struct vigil_pod **pods, size_t n);

/* Bumped by every upsert, delete and clear that changed the live pods. */
uint64_t vigil_pod_store_generation(struct vigil_pod_store *s);
size_t vigil_pod_store_count(struct vigil_pod_store *s);

#endif
