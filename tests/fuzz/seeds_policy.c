// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_policy.c - write the seed corpus of fuzz_policy: TracingPolicy
 * files that use every section, selector, operator family and action vigil
 * supports, a few with Tetragon features vigil refuses, and a few broken
 * ones (YAML errors, wrong kinds), one policy per file.
 *
 *   usage: seeds_policy DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define H "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: seed\nspec:\n"

static const char *dir;
static int failed;

static void write_seed(const char *name, const char *text)
{
	char path[4096];
	size_t len = strlen(text);
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "seeds_policy: %s: %s\n", path, strerror(errno));
		failed = 1;
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seeds_policy DIR\n");
		return 2;
	}
	dir = argv[1];

	write_seed("block-shell-exec", H "  kprobes:\n"
					 "  - call: \"security_bprm_check\"\n"
					 "    syscall: false\n"
					 "    args:\n"
					 "    - index: 0\n"
					 "      type: \"linux_binprm\"\n"
					 "    selectors:\n"
					 "    - matchArgs:\n"
					 "      - index: 0\n"
					 "        operator: \"Equal\"\n"
					 "        values:\n"
					 "        - \"/bin/bash\"\n"
					 "        - \"/bin/sh\"\n"
					 "      matchActions:\n"
					 "      - action: Sigkill\n");
	write_seed("lsm-file-open", "apiVersion: cilium.io/v1alpha1\n"
				    "kind: TracingPolicyNamespaced\n"
				    "metadata:\n"
				    "  name: lsm-file-open\n"
				    "  namespace: default\n"
				    "  labels: {app: web}\n"
				    "spec:\n"
				    "  options:\n"
				    "  - name: policy-mode\n"
				    "    value: monitor\n"
				    "  lsmhooks:\n"
				    "  - hook: \"file_open\"\n"
				    "    message: \"shadow file opened\"\n"
				    "    tags: [\"credentials\"]\n"
				    "    args:\n"
				    "    - index: 0\n"
				    "      type: \"file\"\n"
				    "    selectors:\n"
				    "    - matchBinaries:\n"
				    "      - operator: \"NotIn\"\n"
				    "        followChildren: true\n"
				    "        values: [\"/usr/bin/passwd\"]\n"
				    "      matchArgs:\n"
				    "      - index: 0\n"
				    "        operator: \"Prefix\"\n"
				    "        values: [\"/etc/shadow\", \"/etc/gshadow\"]\n"
				    "      matchActions:\n"
				    "      - action: Override\n"
				    "        argError: -13\n"
				    "      - action: Post\n"
				    "        rateLimit: \"1m\"\n"
				    "        rateLimitScope: process\n");
	write_seed("sys-write",
		   H "  kprobes:\n"
		     "  - call: \"sys_write\"\n"
		     "    syscall: true\n"
		     "    return: true\n"
		     "    returnArg: {index: 0, type: size_t}\n"
		     "    args:\n"
		     "    - {index: 0, type: int}\n"
		     "    - {index: 1, type: char_buf, sizeArgIndex: 3, returnCopy: true, "
		     "maxData: true}\n"
		     "    - {index: 2, type: size_t, label: count}\n"
		     "    selectors:\n"
		     "    - matchPIDs:\n"
		     "      - {operator: NotIn, followForks: true, isNamespacePID: true, "
		     "values: [1]}\n"
		     "      matchArgs:\n"
		     "      - {index: 0, operator: Equal, values: [\"1\", \"0x2\"]}\n"
		     "      - {index: 2, operator: InRange, values: [\"1:4096\"]}\n"
		     "      - {index: 2, operator: GT, values: [\"0\"]}\n"
		     "      matchReturnArgs:\n"
		     "      - {index: 0, operator: LT, values: [\"0\"]}\n"
		     "      matchActions:\n"
		     "      - {action: Signal, argSig: 9}\n");
	write_seed("tcp-connect",
		   H "  kprobes:\n"
		     "  - call: tcp_connect\n"
		     "    syscall: false\n"
		     "    args:\n"
		     "    - index: 0\n"
		     "      type: sock\n"
		     "    selectors:\n"
		     "    - matchArgs:\n"
		     "      - index: 0\n"
		     "        operator: NotDAddr\n"
		     "        values: [\"127.0.0.0/8\", \"10.0.0.0/8\", \"::1\", \"fd00::/8\"]\n"
		     "      - index: 0\n"
		     "        operator: DPort\n"
		     "        values: [\"22\", \"8000:8999\"]\n"
		     "      - index: 0\n"
		     "        operator: Protocol\n"
		     "        values: [IPPROTO_TCP]\n"
		     "      - index: 0\n"
		     "        operator: Family\n"
		     "        values: [AF_INET, \"10\"]\n"
		     "      matchNamespaces:\n"
		     "      - namespace: Net\n"
		     "        operator: NotIn\n"
		     "        values: [host_ns, \"4026531992\"]\n"
		     "      matchCapabilities:\n"
		     "      - type: Effective\n"
		     "        operator: NotIn\n"
		     "        isNamespaceCapability: false\n"
		     "        values: [CAP_NET_ADMIN, \"12\"]\n"
		     "      matchActions:\n"
		     "      - action: Sigkill\n");
	write_seed("tracepoint-list",
		   H "  lists:\n"
		     "  - name: dups\n"
		     "    type: syscalls\n"
		     "    values: [sys_dup, sys_dup2]\n"
		     "  - name: fns\n"
		     "    values: [fd_install]\n"
		     "  kprobes:\n"
		     "  - call: \"list:dups\"\n"
		     "  - call: \"list:fns\"\n"
		     "    syscall: false\n"
		     "    ignore: {callNotFound: true}\n"
		     "  tracepoints:\n"
		     "  - subsystem: syscalls\n"
		     "    event: sys_enter_openat\n"
		     "    raw: false\n"
		     "    args:\n"
		     "    - index: 6\n"
		     "      type: string\n"
		     "    - index: 7\n"
		     "      type: uint32\n"
		     "    selectors:\n"
		     "    - matchArgs:\n"
		     "      - {index: 0, operator: Postfix, values: [\".key\"]}\n"
		     "      - {index: 7, operator: Mask, values: [\"0x241\"]}\n"
		     "      - {index: 7, operator: NotInMap, values: [\"1\", \"3:5\"]}\n"
		     "      matchParentBinaries:\n"
		     "      - {operator: Postfix, values: [sshd]}\n"
		     "      matchActions:\n"
		     "      - action: NoPost\n");
	write_seed("unsupported",
		   H "  uprobes:\n"
		     "  - path: /bin/bash\n"
		     "    symbols: [readline]\n"
		     "  kprobes:\n"
		     "  - call: fd_install\n"
		     "    syscall: false\n"
		     "    data: [{index: 0, type: int, source: current_task}]\n"
		     "    args: [{index: 1, type: char_iovec}]\n"
		     "    selectors:\n"
		     "    - matchArgs: [{index: 1, operator: SubString, values: [x]}]\n"
		     "      matchActions: [{action: GetUrl, argUrl: \"http://x\"}]\n"
		     "      matchNamespaceChanges: [{operator: In, values: [Mnt]}]\n");
	write_seed("misspelt", H "  kprobes:\n"
				 "  - cal: security_file_open\n"
				 "    syscall: \"false\"\n"
				 "    args: {index: 0, type: strng}\n"
				 "    selectors:\n"
				 "    - matchArgs:\n"
				 "      - index: -1\n"
				 "        operator: Equals\n"
				 "        values: /etc/passwd\n");
	write_seed("yaml-broken", "apiVersion: &a cilium.io/v1alpha1\n"
				  "kind: *a\n"
				  "metadata: {name: x, name: y}\n"
				  "spec: !!map\n"
				  "  kprobes: [\n"
				  "---\n"
				  "x: \"\\0\"\n");
	return failed;
}
