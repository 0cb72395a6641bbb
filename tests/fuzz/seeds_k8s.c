// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_k8s.c - write the seed corpus of fuzz_k8s: a list of policies
 * followed by watch lines of every type (first byte 0), and kubeconfigs
 * (first byte 1).
 *
 *   usage: seeds_k8s DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "seed_file.h"

int main(int argc, char **argv)
{
	if (seed_start(argc, argv))
		return 2;
	SEED("list-and-watch",
	     "\0{\"kind\":\"TracingPolicyList\",\"metadata\":{\"resourceVersion\":\"10\"},"
	     "\"items\":[{\"apiVersion\":\"cilium.io/v1alpha1\",\"kind\":\"TracingPolicy\","
	     "\"metadata\":{\"name\":\"block\",\"uid\":\"u\",\"resourceVersion\":\"5\"},"
	     "\"spec\":{\"kprobes\":[{\"call\":\"security_bprm_check\",\"syscall\":false,"
	     "\"args\":[{\"index\":0,\"type\":\"linux_binprm\"}],\"selectors\":[{\"matchArgs\":"
	     "[{\"index\":0,\"operator\":\"Equal\",\"values\":[\"/bin/sh\"]}],\"matchActions\":"
	     "[{\"action\":\"Sigkill\"}]}]}]}}]}\n"
	     "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"b\",\"resourceVersion\":"
	     "\"11\"},\"spec\":{\"tracepoints\":[{\"subsystem\":\"syscalls\",\"event\":\"x\"}]}}}\n"
	     "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"block\","
	     "\"resourceVersion\":\"12\"},\"spec\":{\"kprobes\":[{\"call\":\"x\",\"selectors\":"
	     "[{\"matchArgs\":[{\"index\":0,\"operator\":\"Foo\"}]}]}]}}}\n"
	     "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"b\",\"resourceVersion\":"
	     "\"13\"}}}\n"
	     "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"20\"}}}\n"
	     "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}\n");
	SEED("kubeconfig",
	     "\1apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n"
	     "  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster:\n"
	     "    server: https://127.0.0.1:6443\n    certificate-authority: ca.crt\n"
	     "    certificate-authority-data: aGVsbG8=\nusers:\n- name: u\n  user:\n"
	     "    token: abc\n    client-certificate-data: YWI=\n    client-key: k.pem\n");
	return seed_failed;
}
