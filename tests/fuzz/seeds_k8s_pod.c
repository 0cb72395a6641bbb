// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_k8s_pod.c - write the seed corpus of fuzz_k8s_pod: the pods of
 * tests/unit/test_k8s_pod.c (a Deployment's, a CronJob's Job's, a bare
 * one, a DaemonSet's with an ephemeral container, a pending StatefulSet's)
 * alone, in a list and in watch events, and a few malformed shapes.
 *
 *   usage: seeds_k8s_pod DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "seed_file.h"

#define DEPLOY_POD                                                                             \
	"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-7d9c6b5f4-x2x7k" \
	"\",\"generateName\":\"web-7d9c6b5f4-\",\"namespace\":\"default\","                    \
	"\"uid\":\"0f4c2d1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f\",\"resourceVersion\":\"123456\","     \
	"\"creationTimestamp\":\"2024-05-01T12:00:00Z\",\"labels\":{\"pod-template-hash\":\"7" \
	"d9c6b5f4\",\"app\":\"web\",\"app.kubernetes.io/part-of\":\"shop\"},"                  \
	"\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2024-05-01T11:59:00Z\"},"    \
	"\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","            \
	"\"name\":\"web-7d9c6b5f4\",\"uid\":\"5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b\","         \
	"\"controller\":true,\"blockOwnerDeletion\":true}],\"managedFields\":["                \
	"{\"manager\":\"kube-controller-manager\"}]},\"spec\":{\"nodeName\":\"node-1\","       \
	"\"restartPolicy\":\"Always\",\"initContainers\":[{\"name\":\"init\","                 \
	"\"image\":\"busybox\",\"command\":[\"sh\",\"-c\",\"true\"]}],"                        \
	"\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\","                        \
	"\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],\"securityContext\":{"        \
	"\"privileged\":true,\"runAsUser\":0},\"livenessProbe\":{\"exec\":{"                   \
	"\"command\":[\"/bin/sh\",\"-c\",\"curl -f localhost\"]},\"periodSeconds\":10},"       \
	"\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80}}},"                      \
	"{\"name\":\"sidecar\",\"image\":\"busybox\",\"securityContext\":{"                    \
	"},\"readinessProbe\":{\"exec\":{\"command\":[\"cat\",\"/tmp/ready\"]}}}]},"           \
	"\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.244.1.7\","  \
	"\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"initContainerStatuses\":" \
	"[{\"name\":\"init\",\"containerID\":\"containerd://0a1b2c3d4e5f60718293a4b5c6d7e8f9f" \
	"0e1d2c3b4a5968778695a4b3c2d1e0f\",\"image\":\"docker.io/library/busybox:latest\","    \
	"\"imageID\":\"docker.io/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6" \
	"d1144bf5b87b2b85a32def253c7\",\"state\":{\"terminated\":{\"exitCode\":0,"             \
	"\"reason\":\"Completed\"}},\"ready\":true,\"restartCount\":0}],"                      \
	"\"containerStatuses\":[{\"name\":\"nginx\",\"containerID\":\"containerd://4f1c9d2e7a" \
	"8b6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d\",\"image\":\"docker.io/libra" \
	"ry/nginx:1.27\",\"imageID\":\"docker.io/library/nginx@sha256:0f04e4f646a3f14bf31d8bc" \
	"8d885b6c951fdcf42589d06845f64d18aec6a3c4d\",\"state\":{\"running\":{"                 \
	"\"startedAt\":\"2024-05-01T12:00:05Z\"}},\"lastState\":{},\"ready\":true,"            \
	"\"restartCount\":0,\"started\":true},{\"name\":\"sidecar\",\"image\":\"busybox\","    \
	"\"imageID\":\"\",\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}},"         \
	"\"ready\":false,\"restartCount\":0,\"started\":false}]}}"

#define CRONJOB_POD                                                                            \
	"{\"metadata\":{\"name\":\"backup-28571234-q8w2n\",\"generateName\":\"backup-28571234" \
	"-\",\"namespace\":\"ops\",\"uid\":\"6a5b4c3d-2e1f-4a0b-8c9d-7e6f5a4b3c2d\","          \
	"\"labels\":{\"batch.kubernetes.io/job-name\":\"backup-28571234\","                    \
	"\"job-name\":\"backup-28571234\",\"controller-uid\":\"6a5b4c3d-2e1f-4a0b-8c9d-7e6f5a" \
	"4b3c2d\"},\"ownerReferences\":[{\"apiVersion\":\"batch/v1\","                         \
	"\"kind\":\"Job\",\"name\":\"backup-28571234\",\"uid\":\"6a5b4c3d-2e1f-4a0b-8c9d-7e6f" \
	"5a4b3c2d\",\"controller\":true}]},\"spec\":{\"nodeName\":\"node-1\","                 \
	"\"containers\":[{\"name\":\"backup\",\"image\":\"quay.io/acme/backup:2\"}]},"         \
	"\"status\":{\"containerStatuses\":[{\"name\":\"backup\",\"containerID\":\"cri-o://9e" \
	"8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d\","                    \
	"\"image\":\"quay.io/acme/backup:2\",\"imageID\":\"quay.io/acme/backup@sha256:aa\","   \
	"\"state\":{\"running\":{\"startedAt\":\"2024-05-01T14:00:05.123456789+02:00\"}}}]}}"

#define BARE_POD                                                                               \
	"{\"metadata\":{\"name\":\"debug\",\"namespace\":\"default\","                         \
	"\"uid\":\"11111111-2222-4333-8444-555555555555\",\"labels\":{"                        \
	"\"run\":\"debug\"}},\"spec\":{\"nodeName\":\"node-1\",\"containers\":["               \
	"{\"name\":\"debug\",\"image\":\"alpine\"}]},\"status\":{\"containerStatuses\":["      \
	"{\"name\":\"debug\",\"containerID\":\"docker://1111111111111111111111111111111111111" \
	"111111111111111111111111111\",\"image\":\"alpine:latest\",\"imageID\":\"docker-pulla" \
	"ble://alpine@sha256:bb\",\"state\":{\"running\":{\"startedAt\":\"2000-02-29T23:59:59" \
	"-01:30\"}}}]}}"

#define DAEMONSET_POD                                                                          \
	"{\"metadata\":{\"name\":\"fluentd-9xk2p\",\"generateName\":\"fluentd-\","             \
	"\"namespace\":\"kube-system\",\"uid\":\"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee\","      \
	"\"labels\":{\"controller-revision-hash\":\"6c5d4b7f8\",\"name\":\"fluentd\","         \
	"\"pod-template-generation\":\"1\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\"," \
	"\"kind\":\"DaemonSet\",\"name\":\"fluentd\",\"uid\":\"x\",\"controller\":true}]},"    \
	"\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"fluentd\","             \
	"\"image\":\"fluentd:v1\"}],\"ephemeralContainers\":[{\"name\":\"dbg\","               \
	"\"image\":\"busybox\",\"securityContext\":{\"privileged\":true}}]},"                  \
	"\"status\":{\"containerStatuses\":[{\"name\":\"fluentd\",\"containerID\":\"container" \
	"d://2222222222222222222222222222222222222222222222222222222222222222\","              \
	"\"image\":\"fluentd:v1\",\"imageID\":\"fluentd@sha256:cc\",\"state\":{"               \
	"\"running\":{\"startedAt\":\"1970-01-01T00:00:00Z\"}}}],\"ephemeralContainerStatuses" \
	"\":[{\"name\":\"dbg\",\"containerID\":\"\",\"image\":\"busybox\","                    \
	"\"imageID\":\"\",\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}}"

#define STATEFULSET_POD                                                                     \
	"{\"metadata\":{\"name\":\"db-0\",\"generateName\":\"db-\",\"namespace\":\"prod\"," \
	"\"uid\":\"99999999-8888-4777-8666-555555555555\",\"labels\":{"                     \
	"\"app\":\"db\",\"statefulset.kubernetes.io/pod-name\":\"db-0\","                   \
	"\"apps.kubernetes.io/pod-index\":\"0\"},\"ownerReferences\":["                     \
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"name\":\"db\","             \
	"\"uid\":\"y\",\"controller\":true,\"blockOwnerDeletion\":true}]},"                 \
	"\"spec\":{\"containers\":[{\"name\":\"postgres\",\"image\":\"postgres:16\"}]},"    \
	"\"status\":{\"phase\":\"Pending\",\"containerStatuses\":null}}"

int main(int argc, char **argv)
{
	if (seed_start(argc, argv))
		return 2;
	SEED("deployment", DEPLOY_POD);
	SEED("cronjob", CRONJOB_POD);
	SEED("bare", BARE_POD);
	SEED("daemonset", DAEMONSET_POD);
	SEED("statefulset", STATEFULSET_POD);
	SEED("list", "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
		     "{\"resourceVersion\":\"42\"},\"items\":[" DEPLOY_POD "," BARE_POD
		     "," DAEMONSET_POD "," DEPLOY_POD "]}");
	SEED("watch-added", "{\"type\":\"ADDED\",\"object\":" CRONJOB_POD "}");
	SEED("watch-deleted", "{\"type\":\"DELETED\",\"object\":" STATEFULSET_POD "}");
	SEED("mirror-pod",
	     "{\"metadata\":{\"name\":\"etcd-node-1\",\"namespace\":\"kube-system\","
	     "\"uid\":\"c1d2e3f4-0000-4000-8000-000000000001\",\"annotations\":{"
	     "\"kubernetes.io/config.mirror\":\"8f3b2c1d9e4a5f6b7c8d9e0f1a2b3c4d\"},"
	     "\"ownerReferences\":[{\"kind\":\"Node\",\"name\":\"node-1\","
	     "\"controller\":true}]},\"status\":{\"containerStatuses\":[{\"name\":\"etcd\","
	     "\"containerID\":\"containerd://abc\",\"state\":{\"running\":{\"startedAt\":"
	     "\"2024-05-01T12:00:05.5-07:00\"}}}]}}");
	SEED("nulls", "{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"u\","
		      "\"labels\":null},\"spec\":null,\"status\":{\"containerStatuses\":"
		      "[{\"containerID\":null,\"state\":{\"running\":{}}}]}}");
	SEED("wrong-types", "{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":7}}");
	SEED("bad-time", "{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"u\"},"
			 "\"status\":{\"containerStatuses\":[{\"state\":{\"running\":"
			 "{\"startedAt\":\"2024-13-01T00:00:00Z\"}}}]}}");
	SEED("not-an-object", "[1,2,3]");
	return seed_failed;
}
