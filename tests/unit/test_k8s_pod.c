// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/k8s_pod.c: Pod JSON to snapshots (realistic pods of
 * a Deployment, a CronJob's Job, a DaemonSet, a StatefulSet and a bare
 * pod; malformed shapes with their exact reasons), Tetragon's workload
 * derivation, container ids in every runtime's form, and the pod store
 * (upsert, replace, delete, clear, lookups, the generation, snapshot
 * lifetimes), and the pods and containers a policy's selectors pick.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "k8s_pod.h"
#include "parse.h"
#include "pod_selector.h"
#include "validate.h"

/* 64-hex container ids. */
#define CID_NGINX "4f1c9d2e7a8b6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d"
#define CID_INIT  "0a1b2c3d4e5f60718293a4b5c6d7e8f9f0e1d2c3b4a5968778695a4b3c2d1e0f"
#define CID_JOB	  "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"
#define CID_BARE  "1111111111111111111111111111111111111111111111111111111111111111"
#define CID_DS	  "2222222222222222222222222222222222222222222222222222222222222222"
#define CID_STS	  "3333333333333333333333333333333333333333333333333333333333333333"
#define UID_WEB	  "0f4c2d1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f"
#define UID_JOB	  "6a5b4c3d-2e1f-4a0b-8c9d-7e6f5a4b3c2d"
#define UID_BARE  "11111111-2222-4333-8444-555555555555"
#define UID_DS	  "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
#define UID_STS	  "99999999-8888-4777-8666-555555555555"

/* A Deployment's pod, as the API server serves it (abridged). */
static const char deploy_pod[] =
	"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
	"\"name\":\"web-7d9c6b5f4-x2x7k\",\"generateName\":\"web-7d9c6b5f4-\","
	"\"namespace\":\"default\",\"uid\":\"" UID_WEB "\",\"resourceVersion\":\"123456\","
	"\"creationTimestamp\":\"2024-05-01T12:00:00Z\","
	"\"labels\":{\"pod-template-hash\":\"7d9c6b5f4\",\"app\":\"web\","
	"\"app.kubernetes.io/part-of\":\"shop\"},"
	"\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2024-05-01T11:59:00Z\"},"
	"\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
	"\"name\":\"web-7d9c6b5f4\",\"uid\":\"5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b\","
	"\"controller\":true,\"blockOwnerDeletion\":true}],"
	"\"managedFields\":[{\"manager\":\"kube-controller-manager\"}]},"
	"\"spec\":{\"nodeName\":\"node-1\",\"restartPolicy\":\"Always\","
	"\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox\","
	"\"command\":[\"sh\",\"-c\",\"true\"]}],"
	"\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\","
	"\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],"
	"\"securityContext\":{\"privileged\":true,\"runAsUser\":0},"
	"\"livenessProbe\":{\"exec\":{\"command\":[\"/bin/sh\",\"-c\",\"curl -f localhost\"]},"
	"\"periodSeconds\":10},"
	"\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80}}},"
	"{\"name\":\"sidecar\",\"image\":\"busybox\",\"securityContext\":{},"
	"\"readinessProbe\":{\"exec\":{\"command\":[\"cat\",\"/tmp/ready\"]}}}]},"
	"\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.244.1.7\","
	"\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
	"\"initContainerStatuses\":[{\"name\":\"init\",\"containerID\":\"containerd://" CID_INIT
	"\",\"image\":\"docker.io/library/busybox:latest\","
	"\"imageID\":\"docker.io/library/"
	"busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7\","
	"\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}},"
	"\"ready\":true,\"restartCount\":0}],"
	"\"containerStatuses\":[{\"name\":\"nginx\",\"containerID\":\"containerd://" CID_NGINX
	"\",\"image\":\"docker.io/library/nginx:1.27\","
	"\"imageID\":\"docker.io/library/"
	"nginx@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d\","
	"\"state\":{\"running\":{\"startedAt\":\"2024-05-01T12:00:05Z\"}},"
	"\"lastState\":{},\"ready\":true,\"restartCount\":0,\"started\":true},"
	"{\"name\":\"sidecar\",\"image\":\"busybox\",\"imageID\":\"\","
	"\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}},\"ready\":false,"
	"\"restartCount\":0,\"started\":false}]}}";

/* A CronJob's Job's pod on CRI-O. */
static const char cronjob_pod[] =
	"{\"metadata\":{\"name\":\"backup-28571234-q8w2n\",\"generateName\":\"backup-28571234-\","
	"\"namespace\":\"ops\",\"uid\":\"" UID_JOB "\","
	"\"labels\":{\"batch.kubernetes.io/job-name\":\"backup-28571234\","
	"\"job-name\":\"backup-28571234\",\"controller-uid\":\"" UID_JOB "\"},"
	"\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\","
	"\"name\":\"backup-28571234\",\"uid\":\"" UID_JOB "\",\"controller\":true}]},"
	"\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"backup\","
	"\"image\":\"quay.io/acme/backup:2\"}]},"
	"\"status\":{\"containerStatuses\":[{\"name\":\"backup\",\"containerID\":\"cri-o://" CID_JOB
	"\",\"image\":\"quay.io/acme/backup:2\","
	"\"imageID\":\"quay.io/acme/backup@sha256:aa\","
	"\"state\":{\"running\":{\"startedAt\":\"2024-05-01T14:00:05.123456789+02:00\"}}}]}}";

/* A bare pod (kubectl run) on Docker. */
static const char bare_pod[] =
	"{\"metadata\":{\"name\":\"debug\",\"namespace\":\"default\",\"uid\":\"" UID_BARE "\","
	"\"labels\":{\"run\":\"debug\"}},"
	"\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"debug\","
	"\"image\":\"alpine\"}]},"
	"\"status\":{\"containerStatuses\":[{\"name\":\"debug\",\"containerID\":\"docker:/"
	"/" CID_BARE
	"\",\"image\":\"alpine:latest\",\"imageID\":\"docker-pullable://alpine@sha256:bb\","
	"\"state\":{\"running\":{\"startedAt\":\"2000-02-29T23:59:59-01:30\"}}}]}}";

/* A DaemonSet's pod with an ephemeral debug container. */
static const char daemonset_pod[] =
	"{\"metadata\":{\"name\":\"fluentd-9xk2p\",\"generateName\":\"fluentd-\","
	"\"namespace\":\"kube-system\",\"uid\":\"" UID_DS "\","
	"\"labels\":{\"controller-revision-hash\":\"6c5d4b7f8\",\"name\":\"fluentd\","
	"\"pod-template-generation\":\"1\"},"
	"\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\","
	"\"name\":\"fluentd\",\"uid\":\"x\",\"controller\":true}]},"
	"\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"fluentd\","
	"\"image\":\"fluentd:v1\"}],\"ephemeralContainers\":[{\"name\":\"dbg\","
	"\"image\":\"busybox\",\"securityContext\":{\"privileged\":true}}]},"
	"\"status\":{\"containerStatuses\":[{\"name\":\"fluentd\",\"containerID\":\"containerd:/"
	"/" CID_DS "\",\"image\":\"fluentd:v1\",\"imageID\":\"fluentd@sha256:cc\","
	"\"state\":{\"running\":{\"startedAt\":\"1970-01-01T00:00:00Z\"}}}],"
	"\"ephemeralContainerStatuses\":[{\"name\":\"dbg\",\"containerID\":\"\",\"image\":"
	"\"busybox\","
	"\"imageID\":\"\",\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}}";

/* A StatefulSet's pod, not yet on a node: no status lists. */
static const char statefulset_pod[] =
	"{\"metadata\":{\"name\":\"db-0\",\"generateName\":\"db-\",\"namespace\":\"prod\","
	"\"uid\":\"" UID_STS "\",\"labels\":{\"app\":\"db\","
	"\"statefulset.kubernetes.io/pod-name\":\"db-0\","
	"\"apps.kubernetes.io/pod-index\":\"0\"},"
	"\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\","
	"\"name\":\"db\",\"uid\":\"y\",\"controller\":true,\"blockOwnerDeletion\":true}]},"
	"\"spec\":{\"containers\":[{\"name\":\"postgres\",\"image\":\"postgres:16\"}]},"
	"\"status\":{\"phase\":\"Pending\",\"containerStatuses\":null}}";

static struct json_object *json(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	assert_non_null(o);
	return o;
}

static struct vigil_pod *must_parse(const char *text)
{
	struct json_object *o = json(text);
	struct vigil_pod *pod = NULL;
	char err[512];
	int ret = vigil_pod_parse(o, &pod, err, sizeof(err));

	if (ret)
		fail_msg("vigil_pod_parse: %d: %s", ret, err);
	json_object_put(o);
	return pod;
}

/* --- parsing realistic pods ----------------------------------------------- */

static void test_deployment_pod(void **state)
{
	struct vigil_pod *pod = must_parse(deploy_pod);
	const struct vigil_pod_container *k;

	(void)state;
	assert_int_equal(pod->refcnt, 1);
	assert_string_equal(pod->ns, "default");
	assert_string_equal(pod->name, "web-7d9c6b5f4-x2x7k");
	assert_string_equal(pod->uid, UID_WEB);
	assert_string_equal(pod->node_name, "node-1");
	assert_string_equal(pod->workload, "web");
	assert_string_equal(pod->workload_kind, "Deployment");
	/* labels sorted by key */
	assert_int_equal(pod->nlabels, 3);
	assert_string_equal(pod->labels[0].key, "app");
	assert_string_equal(pod->labels[1].key, "app.kubernetes.io/part-of");
	assert_string_equal(pod->labels[2].key, "pod-template-hash");
	assert_string_equal(vigil_pod_label(pod, "app"), "web");
	assert_null(vigil_pod_label(pod, "tier"));
	assert_string_equal(vigil_pod_label(pod, VIGIL_POD_NAMESPACE_LABEL), "default");
	assert_int_equal(pod->nannotations, 1);
	assert_string_equal(vigil_pod_annotation(pod, "kubectl.kubernetes.io/restartedAt"),
			    "2024-05-01T11:59:00Z");

	/* init first, then the pod's containers */
	assert_int_equal(pod->ncontainers, 3);
	k = &pod->containers[0];
	assert_int_equal(k->kind, VIGIL_POD_CONTAINER_INIT);
	assert_string_equal(k->name, "init");
	assert_string_equal(k->id, CID_INIT);
	assert_false(k->running);
	assert_int_equal(k->start_time_ns, 0);
	assert_string_equal(k->repo, "docker.io/library/busybox");

	k = &pod->containers[1];
	assert_int_equal(k->kind, VIGIL_POD_CONTAINER_REGULAR);
	assert_string_equal(k->name, "nginx");
	assert_string_equal(k->full_id, "containerd://" CID_NGINX);
	assert_string_equal(k->id, CID_NGINX);
	assert_string_equal(k->image, "docker.io/library/nginx:1.27");
	assert_string_equal(k->image_id, "docker.io/library/nginx@sha256:0f04e4f646a3f14bf31d8bc8d"
					 "885b6c951fdcf42589d06845f64d18aec6a3c4d");
	assert_string_equal(k->repo, "docker.io/library/nginx");
	assert_true(k->running);
	assert_true(k->start_time_ns == 1714564805000000000ull);
	assert_true(k->privileged);
	assert_int_equal(k->nliveness_exec, 3);
	assert_string_equal(k->liveness_exec[2], "curl -f localhost");
	assert_int_equal(k->nreadiness_exec, 0); /* an httpGet probe */
	assert_string_equal(vigil_pod_container_field((void *)k, "name"), "nginx");
	assert_string_equal(vigil_pod_container_field((void *)k, "repo"),
			    "docker.io/library/nginx");
	assert_null(vigil_pod_container_field((void *)k, "image"));

	/* waiting: no id yet, name and image known */
	k = &pod->containers[2];
	assert_string_equal(k->name, "sidecar");
	assert_string_equal(k->full_id, "");
	assert_string_equal(k->id, "");
	assert_string_equal(k->repo, "");
	assert_false(k->running);
	assert_false(k->privileged);
	assert_int_equal(k->nreadiness_exec, 2);
	assert_string_equal(k->readiness_exec[1], "/tmp/ready");
	vigil_pod_put(pod);
}

static void test_cronjob_pod(void **state)
{
	struct vigil_pod *pod = must_parse(cronjob_pod);

	(void)state;
	assert_string_equal(pod->workload, "backup");
	assert_string_equal(pod->workload_kind, "CronJob");
	assert_int_equal(pod->ncontainers, 1);
	assert_string_equal(pod->containers[0].full_id, "cri-o://" CID_JOB);
	assert_string_equal(pod->containers[0].id, CID_JOB);
	assert_string_equal(pod->containers[0].repo, "quay.io/acme/backup");
	/* +02:00: the same instant as 12:00:05Z, and the fraction */
	assert_true(pod->containers[0].start_time_ns == 1714564805123456789ull);
	vigil_pod_put(pod);
}

static void test_bare_pod(void **state)
{
	struct vigil_pod *pod = must_parse(bare_pod);

	(void)state;
	assert_string_equal(pod->workload, "debug");
	assert_string_equal(pod->workload_kind, "Pod");
	assert_int_equal(pod->nannotations, 0);
	assert_string_equal(pod->containers[0].full_id, "docker://" CID_BARE);
	assert_string_equal(pod->containers[0].id, CID_BARE);
	assert_string_equal(pod->containers[0].repo, "docker-pullable://alpine");
	assert_true(pod->containers[0].start_time_ns == 951874199000000000ull);
	vigil_pod_put(pod);
}

static void test_daemonset_pod(void **state)
{
	struct vigil_pod *pod = must_parse(daemonset_pod);

	(void)state;
	assert_string_equal(pod->workload, "fluentd");
	assert_string_equal(pod->workload_kind, "DaemonSet");
	assert_int_equal(pod->ncontainers, 2);
	assert_true(pod->containers[0].running);
	assert_int_equal(pod->containers[0].start_time_ns, 0); /* the epoch itself */
	assert_int_equal(pod->containers[1].kind, VIGIL_POD_CONTAINER_EPHEMERAL);
	assert_string_equal(pod->containers[1].name, "dbg");
	assert_string_equal(pod->containers[1].id, "");
	assert_true(pod->containers[1].privileged); /* from spec.ephemeralContainers */
	vigil_pod_put(pod);
}

static void test_statefulset_pod(void **state)
{
	struct vigil_pod *pod = must_parse(statefulset_pod);

	(void)state;
	assert_string_equal(pod->workload, "db");
	assert_string_equal(pod->workload_kind, "StatefulSet");
	assert_string_equal(pod->node_name, "");
	/* spec containers without a status are not listed */
	assert_int_equal(pod->ncontainers, 0);
	vigil_pod_put(pod);
}

/* Every runtime's prefix is stripped; an id without one is kept whole. */
static void test_container_id_forms(void **state)
{
	static const struct {
		const char *written, *id;
	} t[] = {
		{ "containerd://" CID_NGINX, CID_NGINX },
		{ "cri-o://" CID_NGINX, CID_NGINX },
		{ "docker://" CID_NGINX, CID_NGINX },
		{ "containerd://abc", "abc" },
		{ CID_NGINX, CID_NGINX },
		{ "", "" },
		{ "x://y://z", "y://z" },
	};
	char text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vigil_pod *pod;

		snprintf(text, sizeof(text),
			 "{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"u\"},"
			 "\"status\":{\"containerStatuses\":[{\"name\":\"c\","
			 "\"containerID\":\"%s\"}]}}",
			 t[i].written);
		pod = must_parse(text);
		assert_string_equal(pod->containers[0].full_id, t[i].written);
		assert_string_equal(pod->containers[0].id, t[i].id);
		vigil_pod_put(pod);
	}
}

/* null is absent wherever a field is optional. */
static void test_nulls_are_absent(void **state)
{
	struct vigil_pod *pod = must_parse(
		"{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"u\",\"labels\":null,"
		"\"annotations\":null,\"generateName\":null,\"ownerReferences\":null},"
		"\"spec\":null,\"status\":{\"containerStatuses\":[{\"name\":\"c\","
		"\"containerID\":null,\"image\":null,\"imageID\":null,"
		"\"state\":{\"running\":{\"startedAt\":null}}}],\"initContainerStatuses\":null}}");

	(void)state;
	assert_int_equal(pod->nlabels, 0);
	assert_string_equal(pod->workload, "p");
	assert_string_equal(pod->workload_kind, "Pod");
	assert_int_equal(pod->ncontainers, 1);
	assert_true(pod->containers[0].running);
	assert_int_equal(pod->containers[0].start_time_ns, 0);
	assert_string_equal(pod->containers[0].image, "");
	vigil_pod_put(pod);
}

/* --- malformed pods ------------------------------------------------------- */

#define META "\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"u\""

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void expect_invalid(const char *text, const char *want)
{
	struct json_object *o = json(text);
	struct vigil_pod *pod = (struct vigil_pod *)1;
	char err[512];

	assert_int_equal(vigil_pod_parse(o, &pod, err, sizeof(err)), -EINVAL);
	assert_null(pod);
	if (strcmp(err, want) != 0)
		fail_msg("%s\n  got:  %s\n  want: %s", text, err, want);
	json_object_put(o);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *json, *err;
	} t[] = {
		{ "[]", "expected an object, got an array" },
		{ "\"pod\"", "expected an object, got a string" },
		{ "{}", "metadata: missing" },
		{ "{\"metadata\":null}", "metadata: missing" },
		{ "{\"metadata\":[]}", "metadata: expected an object, got an array" },
		{ "{\"metadata\":{\"namespace\":\"n\",\"uid\":\"u\"}}", "metadata.name: missing" },
		{ "{\"metadata\":{\"name\":\"\",\"namespace\":\"n\",\"uid\":\"u\"}}",
		  "metadata.name: missing" },
		{ "{\"metadata\":{\"name\":\"p\",\"uid\":\"u\"}}", "metadata.namespace: missing" },
		{ "{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":7}}",
		  "metadata.uid: expected a string, got a number" },
		{ "{\"metadata\":{\"name\":\"p\\u0000x\",\"namespace\":\"n\",\"uid\":\"u\"}}",
		  "metadata.name: \"p\\x00x\" contains a NUL character" },
		{ "{" META ",\"labels\":[\"app\"]}}",
		  "metadata.labels: expected an object, got an array" },
		{ "{" META ",\"labels\":{\"app\":1}}}",
		  "metadata.labels.app: expected a string, got a number" },
		{ "{" META ",\"labels\":{\"app\":null}}}",
		  "metadata.labels.app: expected a string, got null" },
		/* keys from the input are quoted in the path unless plain */
		{ "{" META ",\"labels\":{\"a\\u0001\\\"b\":1}}}",
		  "metadata.labels.\"a\\x01\\\"b\": expected a string, got a number" },
		{ "{" META ",\"annotations\":{\"a\":true}}}",
		  "metadata.annotations.a: expected a string, got a boolean" },
		{ "{" META ",\"ownerReferences\":{}}}",
		  "metadata.ownerReferences: expected an array, got an object" },
		{ "{" META ",\"ownerReferences\":[7]}}",
		  "metadata.ownerReferences[0]: expected an object, got a number" },
		{ "{" META ",\"ownerReferences\":[{\"controller\":\"true\"}]}}",
		  "metadata.ownerReferences[0].controller: expected a boolean, got a string" },
		{ "{" META ",\"ownerReferences\":[{\"controller\":true,\"kind\":[]}]}}",
		  "metadata.ownerReferences[0].kind: expected a string, got an array" },
		{ "{" META "},\"spec\":[]}", "spec: expected an object, got an array" },
		{ "{" META "},\"spec\":{\"nodeName\":1.5}}",
		  "spec.nodeName: expected a string, got a number" },
		{ "{" META "},\"spec\":{\"containers\":{}}}",
		  "spec.containers: expected an array, got an object" },
		{ "{" META "},\"spec\":{\"initContainers\":[null]}}",
		  "spec.initContainers[0]: expected an object, got null" },
		{ "{" META "},\"spec\":{\"containers\":[{\"name\":5}]}}",
		  "spec.containers[0].name: expected a string, got a number" },
		{ "{" META "},\"status\":\"Running\"}",
		  "status: expected an object, got a string" },
		{ "{" META "},\"status\":{\"containerStatuses\":{}}}",
		  "status.containerStatuses: expected an array, got an object" },
		{ "{" META "},\"status\":{\"ephemeralContainerStatuses\":[\"c\"]}}",
		  "status.ephemeralContainerStatuses[0]: expected an object, got a string" },
		{ "{" META "},\"status\":{\"containerStatuses\":[{\"containerID\":1}]}}",
		  "status.containerStatuses[0].containerID: expected a string, got a number" },
		{ "{" META "},\"status\":{\"initContainerStatuses\":[{},{\"state\":[]}]}}",
		  "status.initContainerStatuses[1].state: expected an object, got an array" },
		{ "{" META "},\"status\":{\"containerStatuses\":[{\"state\":{\"running\":true}}]}}",
		  "status.containerStatuses[0].state.running: expected an object, got a boolean" },
		{ "{" META "},\"status\":{\"containerStatuses\":[{\"state\":{\"running\":"
		  "{\"startedAt\":\"yesterday\"}}}]}}",
		  "status.containerStatuses[0].state.running.startedAt: invalid RFC 3339 time "
		  "\"yesterday\"" },
		{ "{" META "},\"status\":{\"containerStatuses\":[{\"state\":{\"running\":"
		  "{\"startedAt\":\"2024-02-30T00:00:00Z\"}}}]}}",
		  "status.containerStatuses[0].state.running.startedAt: invalid RFC 3339 time "
		  "\"2024-02-30T00:00:00Z\"" },
		{ "{" META "},\"status\":{\"containerStatuses\":[{\"state\":{\"running\":"
		  "{\"startedAt\":\"2024-05-01 12:00:05Z\"}}}]}}",
		  "status.containerStatuses[0].state.running.startedAt: invalid RFC 3339 time "
		  "\"2024-05-01 12:00:05Z\"" },
		/* the spec's errors carry the spec's path */
		{ "{" META "},\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"c\","
		  "\"securityContext\":{\"privileged\":\"yes\"}}]},"
		  "\"status\":{\"containerStatuses\":[{\"name\":\"c\"}]}}",
		  "spec.containers[1].securityContext.privileged: expected a boolean, got a "
		  "string" },
		{ "{" META
		  "},\"spec\":{\"containers\":[{\"name\":\"c\",\"livenessProbe\":{\"exec\":"
		  "{\"command\":[\"ok\",2]}}}]},\"status\":{\"containerStatuses\":[{\"name\":\"c\"}"
		  "]}}",
		  "spec.containers[0].livenessProbe.exec.command[1]: expected a string, got a "
		  "number" },
		{ "{" META
		  "},\"spec\":{\"containers\":[{\"name\":\"c\",\"readinessProbe\":{\"exec\":"
		  "[]}}]},\"status\":{\"containerStatuses\":[{\"name\":\"c\"}]}}",
		  "spec.containers[0].readinessProbe.exec: expected an object, got an array" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		expect_invalid(t[i].json, t[i].err);
}

static void test_bounds(void **state)
{
	char *big = repeat('a', VIGIL_POD_STR_MAX + 1), *v64 = repeat('v', 64);
	char *text = malloc(2 * VIGIL_POD_ANNOTATION_BYTES), *p;
	char err[512];
	struct json_object *o;
	struct vigil_pod *pod;
	size_t i;

	(void)state;
	assert_non_null(text);
	snprintf(text, 2 * VIGIL_POD_ANNOTATION_BYTES,
		 "{" META "},\"status\":{\"containerStatuses\":[{\"image\":\"%s\"}]}}", big);
	o = json(text);
	assert_int_equal(vigil_pod_parse(o, &pod, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "status.containerStatuses[0].image: \"aaaa"));
	assert_non_null(strstr(err, "is longer than 4096 bytes"));
	json_object_put(o);

	snprintf(text, 2 * VIGIL_POD_ANNOTATION_BYTES, "{" META ",\"labels\":{\"app\":\"%s\"}}}",
		 v64);
	o = json(text);
	assert_int_equal(vigil_pod_parse(o, &pod, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is longer than 63 bytes"));
	json_object_put(o);

	/* more labels than allowed */
	p = text + sprintf(text, "{" META ",\"labels\":{");
	for (i = 0; i <= VIGIL_POD_MAX_LABELS; i++)
		p += sprintf(p, "%s\"k%zu\":\"v\"", i ? "," : "", i);
	sprintf(p, "}}}");
	o = json(text);
	assert_int_equal(vigil_pod_parse(o, &pod, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "metadata.labels: more than 512 entries");
	json_object_put(o);

	/* annotations: 256 KiB in all */
	free(big);
	big = repeat('x', 100 * 1024);
	snprintf(text, 2 * VIGIL_POD_ANNOTATION_BYTES,
		 "{" META ",\"annotations\":{\"a\":\"%s\",\"b\":\"%s\",\"c\":\"%s\"}}}", big, big,
		 big);
	o = json(text);
	assert_int_equal(vigil_pod_parse(o, &pod, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "metadata.annotations: more than 262144 bytes in all");
	json_object_put(o);
	/* two of them fit */
	snprintf(text, 2 * VIGIL_POD_ANNOTATION_BYTES,
		 "{" META ",\"annotations\":{\"a\":\"%s\",\"b\":\"%s\"}}}", big, big);
	pod = must_parse(text);
	assert_int_equal(strlen(vigil_pod_annotation(pod, "b")), 100 * 1024);
	vigil_pod_put(pod);

	/* a NULL object; a NULL error buffer */
	assert_int_equal(vigil_pod_parse(NULL, &pod, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "no pod");
	o = json("[]");
	assert_int_equal(vigil_pod_parse(o, &pod, NULL, 0), -EINVAL);
	json_object_put(o);
	free(big);
	free(v64);
	free(text);
}

/* --- workload ------------------------------------------------------------- */

static void test_workload(void **state)
{
	static const struct {
		const char *gen, *kind, *name, *hash, *dc;
		const char *want_name, *want_kind;
	} t[] = {
		{ "web-7d9c6b5f4-", "ReplicaSet", "web-7d9c6b5f4", "7d9c6b5f4", NULL, "web",
		  "Deployment" },
		/* the hash is not the name's suffix: the ReplicaSet itself */
		{ "web-1-", "ReplicaSet", "web-1", "7d9c6b5f4", NULL, "web-1", "ReplicaSet" },
		{ "web-", "ReplicaSet", "web", NULL, NULL, "web", "ReplicaSet" },
		/* TrimSuffix("-" + hash) does nothing without the dash; the kind
		 * is Deployment still */
		{ "webabc-", "ReplicaSet", "webabc", "abc", NULL, "webabc", "Deployment" },
		/* trimmed to nothing: the pod's name */
		{ "x-", "ReplicaSet", "-abc", "abc", NULL, "pod", "Deployment" },
		{ "app-1-", "ReplicationController", "app-1", NULL, "app", "app",
		  "DeploymentConfig" },
		{ "app-1-", "ReplicationController", "app-1", NULL, NULL, "app-1",
		  "ReplicationController" },
		{ "hello-28571234-", "Job", "hello-28571234", NULL, NULL, "hello", "CronJob" },
		{ "h-", "Job", "hello-1234567890", NULL, NULL, "hello", "CronJob" },
		{ "h-", "Job", "a-b-12345678", NULL, NULL, "a-b", "CronJob" },
		{ "h-", "Job", "hello-1234567", NULL, NULL, "hello-1234567", "Job" },
		{ "h-", "Job", "hello-12345678901", NULL, NULL, "hello-12345678901", "Job" },
		{ "h-", "Job", "-12345678", NULL, NULL, "-12345678", "Job" },
		{ "h-", "Job", "hello-1234567a", NULL, NULL, "hello-1234567a", "Job" },
		{ "h-", "Job", "migrate", NULL, NULL, "migrate", "Job" },
		/* Go's '.' stops at a newline: the match starts after it */
		{ "h-", "Job", "x\ny-12345678", NULL, NULL, "y", "CronJob" },
		{ "h-", "Job", "x-\n12345678", NULL, NULL, "x-\n12345678", "Job" },
		{ "db-", "StatefulSet", "db", NULL, NULL, "db", "StatefulSet" },
		{ "fluentd-", "DaemonSet", "fluentd", NULL, NULL, "fluentd", "DaemonSet" },
		{ "x-", "MyOperatorKind", "thing", NULL, NULL, "thing", "MyOperatorKind" },
		/* a controller without a name or a kind */
		{ "x-", "Job", "", NULL, NULL, "pod", "Job" },
		{ "x-", "", "thing", NULL, NULL, "thing", "" },
		/* no generateName, or no controller: the pod itself */
		{ "", "ReplicaSet", "web-1", "1", NULL, "pod", "Pod" },
		{ NULL, "ReplicaSet", "web-1", "1", NULL, "pod", "Pod" },
		{ "x-", NULL, NULL, NULL, NULL, "pod", "Pod" },
	};
	char *name, *kind;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(vigil_pod_workload("pod", t[i].gen, t[i].kind, t[i].name,
						    t[i].hash, t[i].dc, &name, &kind),
				 0);
		if (strcmp(name, t[i].want_name) || strcmp(kind, t[i].want_kind))
			fail_msg("case %zu: got %s/%s, want %s/%s", i, kind, name, t[i].want_kind,
				 t[i].want_name);
		free(name);
		free(kind);
	}
}

/* The owner that counts is the first with controller: true. */
static void test_controller_reference(void **state)
{
	struct vigil_pod *pod = must_parse(
		"{\"metadata\":{\"name\":\"w-1\",\"generateName\":\"w-\",\"namespace\":\"n\","
		"\"uid\":\"u\",\"ownerReferences\":[{\"kind\":\"Node\",\"name\":\"n1\"},"
		"{\"kind\":\"Other\",\"name\":\"o\",\"controller\":false},"
		"{\"kind\":\"StatefulSet\",\"name\":\"w\",\"controller\":true},"
		"{\"kind\":\"DaemonSet\",\"name\":\"d\",\"controller\":true}]}}");

	(void)state;
	assert_string_equal(pod->workload, "w");
	assert_string_equal(pod->workload_kind, "StatefulSet");
	vigil_pod_put(pod);
}

/* --- the store ------------------------------------------------------------ */

static struct vigil_pod_store *store_with(const char *const *pods, size_t n)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	char err[256];
	size_t i;

	assert_non_null(s);
	for (i = 0; i < n; i++) {
		struct json_object *o = json(pods[i]);

		assert_int_equal(vigil_pod_store_upsert_json(s, o, err, sizeof(err)), 0);
		json_object_put(o);
	}
	return s;
}

static const char *const all_pods[] = { deploy_pod, cronjob_pod, bare_pod, daemonset_pod,
					statefulset_pod };

static void test_store_lookups(void **state)
{
	struct vigil_pod_store *s = store_with(all_pods, 5);
	struct json_object *o;
	struct vigil_pod *pod;
	size_t idx = 99;

	(void)state;
	assert_int_equal(vigil_pod_store_count(s), 5);
	assert_int_equal(vigil_pod_store_generation(s), 5);

	/* the full id, as process records hold it */
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX, &pod, &idx), 0);
	assert_string_equal(pod->uid, UID_WEB);
	assert_int_equal(idx, 1);
	assert_string_equal(pod->containers[idx].name, "nginx");
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_container(s, CID_INIT, &pod, &idx), 0);
	assert_int_equal(idx, 0);
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_container(s, CID_JOB, &pod, NULL), 0);
	assert_string_equal(pod->name, "backup-28571234-q8w2n");
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_container(s, CID_BARE, &pod, &idx), 0);
	assert_string_equal(pod->name, "debug");
	vigil_pod_put(pod);
	/* a prefix: the compact output's 12 characters, Tetragon's 15 */
	assert_int_equal(vigil_pod_store_find_container(s, "4f1c9d2e7a8b", &pod, &idx), 0);
	assert_string_equal(pod->uid, UID_WEB);
	assert_int_equal(idx, 1);
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_container(s, "9e8d7c6b5a4f3e2", &pod, &idx), 0);
	assert_string_equal(pod->uid, UID_JOB);
	vigil_pod_put(pod);
	/* not ids: the prefixed form, a longer id, unknown, empty */
	assert_int_equal(vigil_pod_store_find_container(s, "containerd://" CID_NGINX, &pod, &idx),
			 -ENOENT);
	assert_null(pod);
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX "0", &pod, &idx), -ENOENT);
	assert_int_equal(vigil_pod_store_find_container(s, "ffff", &pod, &idx), -ENOENT);
	assert_int_equal(vigil_pod_store_find_container(s, "", &pod, &idx), -EINVAL);
	assert_int_equal(vigil_pod_store_find_container(s, NULL, &pod, &idx), -EINVAL);

	/* by UID, with dashes or with the systemd driver's underscores */
	assert_int_equal(vigil_pod_store_find_uid(s, UID_STS, &pod), 0);
	assert_string_equal(pod->name, "db-0");
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_uid(s, "6a5b4c3d_2e1f_4a0b_8c9d_7e6f5a4b3c2d", &pod),
			 0);
	assert_string_equal(pod->uid, UID_JOB);
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_uid(s, "00000000-0000-4000-8000-000000000000", &pod),
			 -ENOENT);
	assert_null(pod);
	assert_int_equal(vigil_pod_store_find_uid(s, "", &pod), -EINVAL);
	vigil_pod_store_free(s);

	/* a UID written with '_' (never by the API server) is found as written */
	s = vigil_pod_store_new();
	o = json("{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"a_b\"}}");
	assert_int_equal(vigil_pod_store_upsert_json(s, o, NULL, 0), 0);
	json_object_put(o);
	assert_int_equal(vigil_pod_store_find_uid(s, "a_b", &pod), 0);
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_delete(s, "a_b"), 0);
	vigil_pod_store_free(s);
}

/* A pending container has no id: it is listed, never found by id. */
static void test_store_pending_containers(void **state)
{
	static const char *const one[] = { daemonset_pod };
	struct vigil_pod_store *s = store_with(one, 1);
	struct vigil_pod *pod;

	(void)state;
	assert_int_equal(vigil_pod_store_find_container(s, CID_DS, &pod, NULL), 0);
	assert_int_equal(pod->ncontainers, 2);
	vigil_pod_put(pod);
	vigil_pod_store_free(s);
}

static void test_store_replace(void **state)
{
	static const char *const one[] = { bare_pod };
	struct vigil_pod_store *s = store_with(one, 1);
	struct vigil_pod *before, *after, *again;
	struct json_object *o;
	char *text = strdup(bare_pod), *at;
	char err[256];
	size_t idx;

	(void)state;
	assert_int_equal(vigil_pod_store_find_uid(s, UID_BARE, &before), 0);
	assert_int_equal(before->refcnt, 2);

	/* the same pod again (another status update): no change */
	o = json(bare_pod);
	assert_int_equal(vigil_pod_store_upsert_json(s, o, err, sizeof(err)), 0);
	json_object_put(o);
	assert_int_equal(vigil_pod_store_generation(s), 1);
	assert_int_equal(vigil_pod_store_find_uid(s, UID_BARE, &again), 0);
	assert_ptr_equal(again, before);
	vigil_pod_put(again);

	/* the container restarted with another id, the pod got a label */
	at = strstr(text, CID_BARE);
	assert_non_null(at);
	memcpy(at, CID_STS, 64);
	at = strstr(text, "\"run\":\"debug\"");
	memcpy(at, "\"run\":\"DEBUG\"", 13);
	o = json(text);
	assert_int_equal(vigil_pod_store_upsert_json(s, o, err, sizeof(err)), 0);
	json_object_put(o);
	assert_int_equal(vigil_pod_store_generation(s), 2);
	assert_int_equal(vigil_pod_store_count(s), 1);
	assert_int_equal(vigil_pod_store_find_container(s, CID_BARE, &again, &idx), -ENOENT);
	assert_int_equal(vigil_pod_store_find_container(s, CID_STS, &after, &idx), 0);
	assert_ptr_not_equal(after, before);
	assert_string_equal(vigil_pod_label(after, "run"), "DEBUG");

	/* the snapshot taken before is intact, and only the caller holds it */
	assert_int_equal(before->refcnt, 1);
	assert_string_equal(vigil_pod_label(before, "run"), "debug");
	assert_string_equal(before->containers[0].id, CID_BARE);
	vigil_pod_put(before);
	vigil_pod_put(after);
	vigil_pod_store_free(s);
	free(text);
}

static void test_store_delete(void **state)
{
	struct vigil_pod_store *s = store_with(all_pods, 5);
	struct vigil_pod *pod;
	size_t idx;

	(void)state;
	assert_int_equal(vigil_pod_store_delete(s, UID_WEB), 0);
	assert_int_equal(vigil_pod_store_generation(s), 6);
	assert_int_equal(vigil_pod_store_count(s), 4);
	assert_int_equal(vigil_pod_store_find_uid(s, UID_WEB, &pod), -ENOENT);
	assert_int_equal(vigil_pod_store_delete(s, UID_WEB), -ENOENT);
	assert_int_equal(vigil_pod_store_generation(s), 6);
	/* its containers are still found: an exit after the deletion */
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX, &pod, &idx), 0);
	assert_string_equal(pod->uid, UID_WEB);
	assert_int_equal(idx, 1);
	vigil_pod_put(pod);
	assert_int_equal(vigil_pod_store_find_container(s, "4f1c9d", &pod, &idx), 0);
	vigil_pod_put(pod);

	/* by namespace and name; underscores */
	assert_int_equal(vigil_pod_store_delete_name(s, "ops", "backup-28571234-q8w2n"), 0);
	assert_int_equal(vigil_pod_store_delete_name(s, "default", "backup-28571234-q8w2n"),
			 -ENOENT);
	assert_int_equal(vigil_pod_store_delete(s, "11111111_2222_4333_8444_555555555555"), 0);
	assert_int_equal(vigil_pod_store_count(s), 2);
	assert_int_equal(vigil_pod_store_generation(s), 8);

	vigil_pod_store_clear(s);
	assert_int_equal(vigil_pod_store_count(s), 0);
	assert_int_equal(vigil_pod_store_generation(s), 9);
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX, &pod, &idx), -ENOENT);
	vigil_pod_store_clear(s); /* nothing left: no change */
	assert_int_equal(vigil_pod_store_generation(s), 9);
	vigil_pod_store_free(s);
}

/* Only the last VIGIL_POD_DELETED_KEEP deleted pods are kept. */
static void test_store_deleted_are_bounded(void **state)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	struct vigil_pod *pod;
	char text[512], uid[64], cid[80];
	size_t i;

	(void)state;
	for (i = 0; i < VIGIL_POD_DELETED_KEEP + 10; i++) {
		struct json_object *o;

		snprintf(uid, sizeof(uid), "u%zu", i);
		snprintf(text, sizeof(text),
			 "{\"metadata\":{\"name\":\"p%zu\",\"namespace\":\"n\",\"uid\":\"%s\"},"
			 "\"status\":{\"containerStatuses\":[{\"containerID\":\"containerd://"
			 "c%06zu\"}]}}",
			 i, uid, i);
		o = json(text);
		assert_int_equal(vigil_pod_store_upsert_json(s, o, NULL, 0), 0);
		json_object_put(o);
		assert_int_equal(vigil_pod_store_delete(s, uid), 0);
	}
	for (i = 0; i < VIGIL_POD_DELETED_KEEP + 10; i++) {
		snprintf(cid, sizeof(cid), "c%06zu", i);
		assert_int_equal(vigil_pod_store_find_container(s, cid, &pod, NULL),
				 i < 10 ? -ENOENT : 0);
		vigil_pod_put(pod);
	}
	vigil_pod_store_free(s);
}

/* Two pods claiming one container id (a stale pod not yet deleted): the
 * one upserted last wins. */
static void test_store_newest_wins(void **state)
{
	struct vigil_pod_store *s = vigil_pod_store_new();
	struct vigil_pod *a, *b, *pod;
	struct json_object *o;

	(void)state;
	o = json("{\"metadata\":{\"name\":\"a\",\"namespace\":\"n\",\"uid\":\"ua\"},\"status\":"
		 "{\"containerStatuses\":[{\"containerID\":\"containerd://" CID_NGINX "\"}]}}");
	assert_int_equal(vigil_pod_parse(o, &a, NULL, 0), 0);
	json_object_put(o);
	o = json("{\"metadata\":{\"name\":\"b\",\"namespace\":\"n\",\"uid\":\"ub\"},\"status\":"
		 "{\"containerStatuses\":[{\"containerID\":\"containerd://" CID_NGINX "\"}]}}");
	assert_int_equal(vigil_pod_parse(o, &b, NULL, 0), 0);
	json_object_put(o);

	assert_int_equal(vigil_pod_store_upsert(s, a), 0);
	assert_int_equal(vigil_pod_store_upsert(s, b), 0);
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX, &pod, NULL), 0);
	assert_ptr_equal(pod, b);
	vigil_pod_put(pod);
	vigil_pod_store_delete(s, "ub");
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX, &pod, NULL), 0);
	assert_ptr_equal(pod, a); /* the live pod before the deleted one */
	vigil_pod_put(pod);
	/* the store took its own references */
	assert_int_equal(a->refcnt, 2);
	assert_int_equal(vigil_pod_store_upsert(s, NULL), -EINVAL);
	vigil_pod_put(a);
	vigil_pod_put(b);
	vigil_pod_store_free(s);
}

/* A static pod's cgroup names the hash of its manifest, which its mirror
 * pod carries as an annotation. */
static void test_store_mirror_pod(void **state)
{
	static const char *const one[] = {
		"{\"metadata\":{\"name\":\"kube-apiserver-node-1\",\"namespace\":\"kube-system\","
		"\"uid\":\"c1d2e3f4-0000-4000-8000-000000000001\",\"annotations\":{"
		"\"kubernetes.io/config.hash\":\"8f3b2c1d9e4a5f6b7c8d9e0f1a2b3c4d\","
		"\"kubernetes.io/config.mirror\":\"8f3b2c1d9e4a5f6b7c8d9e0f1a2b3c4d\","
		"\"kubernetes.io/config.source\":\"file\"},\"ownerReferences\":[{"
		"\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-1\",\"controller\":true}]}"
		"}",
	};
	struct vigil_pod_store *s = store_with(one, 1);
	struct vigil_pod *pod;

	(void)state;
	assert_int_equal(vigil_pod_store_find_uid(s, "8f3b2c1d9e4a5f6b7c8d9e0f1a2b3c4d", &pod), 0);
	assert_string_equal(pod->name, "kube-apiserver-node-1");
	/* no generateName: the pod is its own workload */
	assert_string_equal(pod->workload, "kube-apiserver-node-1");
	assert_string_equal(pod->workload_kind, "Pod");
	vigil_pod_put(pod);
	vigil_pod_store_free(s);
}

/* A snapshot outlives the store. */
static void test_snapshot_outlives_store(void **state)
{
	struct vigil_pod_store *s = store_with(all_pods, 5);
	struct vigil_pod *pod, **list;
	uint64_t gen;
	size_t n, i;

	(void)state;
	assert_int_equal(vigil_pod_store_find_container(s, CID_NGINX, &pod, NULL), 0);
	assert_int_equal(vigil_pod_store_list(s, &list, &n, &gen), 0);
	assert_int_equal(n, 5);
	assert_int_equal(gen, 5);
	for (i = 1; i < n; i++) /* sorted by UID */
		assert_true(strcmp(list[i - 1]->uid, list[i]->uid) < 0);
	vigil_pod_store_free(s);
	assert_int_equal(pod->refcnt, 2); /* ours and the list's */
	assert_string_equal(pod->containers[1].id, CID_NGINX);
	vigil_pod_list_free(list, n);
	assert_int_equal(pod->refcnt, 1);
	vigil_pod_put(pod);
	vigil_pod_put(NULL);

	s = vigil_pod_store_new();
	assert_int_equal(vigil_pod_store_list(s, &list, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(list);
	vigil_pod_list_free(list, n);
	vigil_pod_store_free(s);
	vigil_pod_store_free(NULL);
}

/* --- what a policy selects ------------------------------------------------ */

static struct vigil_policy *policy(const char *spec)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char yaml[2048];

	snprintf(yaml, sizeof(yaml),
		 "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\n"
		 "spec:\n%s  kprobes:\n  - call: sys_openat\n",
		 spec);
	assert_int_equal(vigil_policy_parse("t.yaml", yaml, strlen(yaml), &p, &ds), 0);
	assert_int_equal(vigil_policy_validate(p, NULL, &ds), 0);
	vigil_diags_free(&ds);
	return p;
}

/* "ns/pod:container ..." of the running containers p selects, by UID order. */
static void selected(struct vigil_pod_store *s, const struct vigil_policy *p, char *out,
		     size_t outsz)
{
	struct vigil_pod **list;
	size_t n, i, j, len = 0;

	out[0] = '\0';
	assert_int_equal(vigil_pod_store_list(s, &list, &n, NULL), 0);
	for (i = 0; i < n; i++) {
		if (!vigil_policy_selects_pod(p, list[i]->ns, vigil_pod_label, list[i]))
			continue;
		for (j = 0; j < list[i]->ncontainers; j++) {
			struct vigil_pod_container *k = &list[i]->containers[j];

			if (!k->running ||
			    !vigil_policy_selects_container(p, vigil_pod_container_field, k))
				continue;
			len += (size_t)snprintf(out + len, outsz - len, "%s%s/%s:%s",
						len ? " " : "", list[i]->ns, list[i]->name,
						k->name);
		}
	}
	vigil_pod_list_free(list, n);
}

static void test_policy_selection(void **state)
{
	static const struct {
		const char *spec, *want;
	} t[] = {
		{ "", "default/web-7d9c6b5f4-x2x7k:nginx default/debug:debug "
		      "ops/backup-28571234-q8w2n:backup kube-system/fluentd-9xk2p:fluentd" },
		{ "  podSelector:\n    matchLabels: {app: web}\n",
		  "default/web-7d9c6b5f4-x2x7k:nginx" },
		{ "  podSelector:\n    matchExpressions:\n    - key: "
		  "k8s:io.kubernetes.pod.namespace\n"
		  "      operator: NotIn\n      values: [default]\n",
		  "ops/backup-28571234-q8w2n:backup kube-system/fluentd-9xk2p:fluentd" },
		{ "  containerSelector:\n    matchExpressions:\n    - key: repo\n      operator: "
		  "In\n"
		  "      values: [docker.io/library/nginx, quay.io/acme/backup]\n",
		  "default/web-7d9c6b5f4-x2x7k:nginx ops/backup-28571234-q8w2n:backup" },
		{ "  podSelector:\n    matchExpressions:\n    - {key: app, operator: "
		  "DoesNotExist}\n"
		  "  containerSelector:\n    matchLabels: {name: fluentd}\n",
		  "kube-system/fluentd-9xk2p:fluentd" },
		{ "  podSelector:\n    matchLabels: {app: none}\n", "" },
	};
	struct vigil_pod_store *s = store_with(all_pods, 5);
	char got[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vigil_policy *p = policy(t[i].spec);

		selected(s, p, got, sizeof(got));
		if (strcmp(got, t[i].want) != 0)
			fail_msg("case %zu:\n  got:  %s\n  want: %s", i, got, t[i].want);
		vigil_policy_free(p);
	}
	vigil_pod_store_free(s);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deployment_pod),
		cmocka_unit_test(test_cronjob_pod),
		cmocka_unit_test(test_bare_pod),
		cmocka_unit_test(test_daemonset_pod),
		cmocka_unit_test(test_statefulset_pod),
		cmocka_unit_test(test_container_id_forms),
		cmocka_unit_test(test_nulls_are_absent),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_workload),
		cmocka_unit_test(test_controller_reference),
		cmocka_unit_test(test_store_lookups),
		cmocka_unit_test(test_store_pending_containers),
		cmocka_unit_test(test_store_replace),
		cmocka_unit_test(test_store_delete),
		cmocka_unit_test(test_store_deleted_are_bounded),
		cmocka_unit_test(test_store_newest_wins),
		cmocka_unit_test(test_store_mirror_pod),
		cmocka_unit_test(test_snapshot_outlives_store),
		cmocka_unit_test(test_policy_selection),
	};

	return cmocka_run_group_tests_name("k8s_pod", tests, NULL, NULL);
}
