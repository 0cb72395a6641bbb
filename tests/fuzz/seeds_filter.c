// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_filter.c - write the seed corpus of fuzz_filter: filter lists in
 * Tetragon's --export-allowlist form using every field of Filter (regexes
 * with the constructs RE2 has and a few it refuses, label selectors with
 * every operator, capability sets), lists across lines, and field filters.
 *
 *   usage: seeds_filter DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "seed_file.h"

int main(int argc, char **argv)
{
	if (seed_start(argc, argv))
		return 2;
	SEED("tetragon-example",
	     "{\"namespace\":[\"kube-system\",\"\"]}\n"
	     "{\"health_check\":true}\n"
	     "{\"binary_regex\":[\"kube.*\",\"iptables\"]}\n"
	     "{\"binary_regex\":[\"/usr/sbin/.*\"],\"namespace\":[\"default\"]}\n"
	     "{\"pid_set\":[1]}\n"
	     "{\"event_set\":[\"PROCESS_EXEC\", \"PROCESS_EXIT\", \"PROCESS_KPROBE\", "
	     "\"PROCESS_TRACEPOINT\"]}\n"
	     "{\"arguments_regex\":[\"^--version$\",\"^-a -b -c$\"]}\n"
	     "{\"capabilities\": {\"effective\": {\"all\": [\"CAP_BPF\", \"CAP_SYS_ADMIN\"]}}}\n");
	SEED("every-field",
	     "{\"binary_regex\":[\"^/usr/bin/curl$\"],\"parent_binary_regex\":[\"sh$\"],"
	     "\"arguments_regex\":[\"-s\"],\"parent_arguments_regex\":[\"-c\"],"
	     "\"namespace\":[\"default\"],\"namespace_regex\":[\"^def\"],\"pod_regex\":[\"web\"],"
	     "\"container_name_regex\":[\"nginx\"],\"container_id\":[\"^4f1c\"],"
	     "\"labels\":[\"app=web\"],\"health_check\":false,\"pid\":[200],\"pid_set\":[100],"
	     "\"event_set\":[\"PROCESS_KPROBE\"],\"policy_names\":[\"block\"],"
	     "\"capabilities\":{\"effective\":{\"any\":[\"CAP_SYS_ADMIN\"]},"
	     "\"permitted\":{\"none\":[\"CAP_KILL\"]},\"inheritable\":{\"exactly\":[]}}}\n");
	SEED("camel-case", "{\"binaryRegex\":[\"curl\"],\"eventSet\":[1,5,9],\"pidSet\":[\"100\"],"
			   "\"healthCheck\":null}\n");
	SEED("labels", "{\"labels\":[\"app in (web, db),tier notin (back),!canary,release,"
		       "example.com/owner==team-a,replicas>2,age<10,x!=y,z=\"]}\n");
	SEED("regexes",
	     "{\"binary_regex\":[\"(?i)^/(usr/)?bin/[[:alpha:]]+\\\\.?\\\\x{e9}?\\\\pL*$\","
	     "\"\\\\Qa.b\\\\E\\\\v\\\\s\\\\S\\\\101{1,3}\",\"(?P<n>a|b)*?c{2,}\"]}\n"
	     "{\"arguments_regex\":[\"(?=x)\",\"(a)\\\\1\",\"a*+\",\"[z-a]\"]}\n");
	SEED("caps",
	     "{\"capabilities\":{\"effective\":{\"exactly\":[\"CAP_SYS_ADMIN\",\"CAP_BPF\"]}}}"
	     "{\"capabilities\":{\"permitted\":{\"any\":[21],\"all\":[39]}}}\n");
	SEED("refused", "{\"cel_expression\":[\"true\"]}\n{\"in_init_tree\":true}\n"
			"{\"ancestor_binary_regex\":[\"x\"]}\n");
	SEED("multiline", "\n\n{\n  \"pid\": [\n    1,\n    2\n  ]\n}\n  {\"pid\":[3]} {}\r\n");
	SEED("field-filter-include", "{\"event_set\":[\"PROCESS_EXEC\"],"
				     "\"fields\":\"process.binary,parent.pod.podLabels,args.arg\","
				     "\"action\":\"INCLUDE\",\"invert_event_set\":false}");
	SEED("field-filter-exclude", "{\"fields\":\"process.cap,process.pid.value,args.label,"
				     "args.arg.string_arg\",\"action\":\"EXCLUDE\","
				     "\"invertEventSet\":true,\"eventSet\":[\"PROCESS_KPROBE\"]}");
	return seed_failed;
}
