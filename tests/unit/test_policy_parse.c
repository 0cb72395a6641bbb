// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the policy parser (policy/yaml_doc.c, policy/parse*.c):
 *   - a table of malformed policies, each with every diagnostic it must
 *     produce, formatted exactly (FILE:LINE:COL: PATH: MESSAGE), in order;
 *   - Tetragon-style policies (tests/policy/tetragon/) that must load, with
 *     their model fields checked;
 *   - list expansion, tracepoint argument positions, defaults, YAML scalar
 *     styles, limits.
 * VIGIL_TEST_DUMP=1 prints each case's diagnostics instead of checking.
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

#include "policy_cases.h"

#include "diag.h"
#include "parse.h"
#include "yaml_doc.h"

/* A valid top of a policy; the case's spec starts on line 6. */
#define H "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n"

static void dump(const char *name, const char *text)
{
	const char *p;

	printf("CASE\t%s\t", name);
	for (p = text; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\\')
			fputs("\\\\", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
}

static void run_case(void **state)
{
	const struct policy_case *c = *state;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;
	int rc;

	rc = vigil_policy_parse("t.yaml", c->yaml, strlen(c->yaml), &p, &ds);
	text = format_all(&ds);
	if (getenv("VIGIL_TEST_DUMP")) {
		dump(c->name, text);
	} else {
		assert_int_equal(rc, -EINVAL);
		assert_null(p);
		assert_true(ds.nerrors >= 1);
		assert_non_null(c->want);
		assert_string_equal(text, c->want);
	}
	free(text);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static const struct policy_case cases[] = {
	{ "yaml_empty_file", "", "t.yaml:1:1: the document is empty: no TracingPolicy" },
	{ "yaml_only_comment", "# nothing here\n",
	  "t.yaml:1:1: the document is empty: no TracingPolicy" },
	{ "yaml_syntax_error", "apiVersion: [a, b\nkind: x\n",
	  "t.yaml:2:5: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
	  "sequence at line 1, column 13)" },
	{ "yaml_tab_indent", "apiVersion: cilium.io/v1alpha1\nkind:\n\t- x\n",
	  "t.yaml:3:1: YAML syntax error: found character that cannot start any token (while "
	  "scanning for the next token at line 3, column 1)" },
	{ "yaml_bad_indent", H "  kprobes:\n  - call: a\n   syscall: false\n",
	  "t.yaml:8:4: YAML syntax error: did not find expected key (while parsing a block mapping "
	  "at line 6, column 3)" },
	{ "yaml_duplicate_top_key",
	  "apiVersion: cilium.io/v1alpha1\napiVersion: cilium.io/v1alpha1\nkind: "
	  "TracingPolicy\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:2:1: duplicate key \"apiVersion\" (first at line 1, column 1)" },
	{ "yaml_duplicate_nested_key", H "  kprobes:\n  - call: a\n    call: b\n",
	  "t.yaml:8:5: duplicate key \"call\" (first at line 7, column 5)" },
	{ "yaml_duplicate_key_three_times",
	  H "  options:\n  - name: policy-mode\n    name: x\n    name: y\n    value: monitor\n",
	  "t.yaml:8:5: duplicate key \"name\" (first at line 7, column 5)\nt.yaml:9:5: duplicate "
	  "key \"name\" (first at line 7, column 5)" },
	{ "yaml_anchor", H "  kprobes:\n  - &k\n    call: a\n",
	  "t.yaml:7:5: YAML anchors are not supported (anchor \"k\")" },
	{ "yaml_alias",
	  H "  lists:\n  - name: &n l\n    values: [a]\n  - name: *n\n    values: [b]\n  "
	    "kprobes:\n  - *n\n",
	  "t.yaml:7:11: YAML anchors are not supported (anchor \"n\")\nt.yaml:9:11: YAML aliases "
	  "are not supported (alias \"n\")\nt.yaml:12:5: YAML aliases are not supported (alias "
	  "\"n\")" },
	{ "yaml_tag", H "  kprobes:\n  - call: !!str a\n",
	  "t.yaml:7:11: YAML tags are not supported (tag \"tag:yaml.org,2002:str\")" },
	{ "yaml_second_document", H "  kprobes: []\n---\napiVersion: cilium.io/v1alpha1\n",
	  "t.yaml:7:1: a second YAML document: a file holds one policy" },
	{ "yaml_nul_in_string",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: "
	  "\"a\\0b\"\nspec: {}\n",
	  "t.yaml:4:9: text may not contain a NUL character (\\0)" },
	{ "yaml_invalid_utf8",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\xff\nspec: "
	  "{}\n",
	  "t.yaml:4:10: invalid text: invalid leading UTF-8 octet (byte 0xff)" },
	{ "yaml_complex_key", "apiVersion: cilium.io/v1alpha1\n? [a, b]\n: c\n",
	  "t.yaml:1:1: missing required field \"kind\"\nt.yaml:1:1: missing required field "
	  "\"metadata\"\nt.yaml:1:1: missing required field \"spec\"\nt.yaml:2:3: a mapping key "
	  "must be a plain string, not a list" },
	{ "yaml_document_is_list", "- apiVersion\n- kind\n",
	  "t.yaml:1:1: expected a mapping, got a list" },
	{ "yaml_document_is_scalar", "TracingPolicy\n",
	  "t.yaml:1:1: expected a mapping, got a string \"TracingPolicy\"" },
	{ "top_missing_api_version", "kind: TracingPolicy\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:1:1: missing required field \"apiVersion\"" },
	{ "top_wrong_api_version",
	  "apiVersion: cilium.io/v1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:1:13: apiVersion: unsupported apiVersion \"cilium.io/v1\" (a TracingPolicy is "
	  "cilium.io/v1alpha1)" },
	{ "top_api_version_a_list",
	  "apiVersion: [cilium.io/v1alpha1]\nkind: TracingPolicy\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:1:13: apiVersion: expected a string, got a list" },
	{ "top_missing_kind", "apiVersion: cilium.io/v1alpha1\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:1:1: missing required field \"kind\"" },
	{ "top_kind_misspelt",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicies\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:2:7: kind: unknown kind \"TracingPolicies\"" },
	{ "top_kind_lower_case",
	  "apiVersion: cilium.io/v1alpha1\nkind: tracingpolicy\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:2:7: kind: unknown kind \"tracingpolicy\" (did you mean \"TracingPolicy\"?)" },
	{ "top_kind_other",
	  "apiVersion: cilium.io/v1alpha1\nkind: NetworkPolicy\nmetadata:\n  name: t\nspec: {}\n",
	  "t.yaml:2:7: kind: unknown kind \"NetworkPolicy\"" },
	{ "top_unknown_key_suggested",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspecs: {}\n",
	  "t.yaml:1:1: missing required field \"spec\"\nt.yaml:5:1: unknown field \"specs\" (did "
	  "you mean \"spec\"?)" },
	{ "top_unknown_key_status",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec: "
	  "{}\nstatus: {}\n",
	  "t.yaml:6:1: unknown field \"status\"" },
	{ "meta_missing", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nspec: {}\n",
	  "t.yaml:1:1: missing required field \"metadata\"" },
	{ "meta_a_list",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n- name: t\nspec: {}\n",
	  "t.yaml:4:1: metadata: expected a mapping, got a list" },
	{ "meta_missing_name",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  labels: {app: "
	  "x}\nspec: {}\n",
	  "t.yaml:4:3: metadata: missing required field \"name\"" },
	{ "meta_name_invalid",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: "
	  "Block_Shell\nspec: {}\n",
	  "t.yaml:4:9: metadata.name: invalid name \"Block_Shell\": lowercase letters, digits, '-' "
	  "and '.', starting and ending with a letter or digit, at most 253 characters" },
	{ "meta_name_trailing_dash",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: block-\nspec: "
	  "{}\n",
	  "t.yaml:4:9: metadata.name: invalid name \"block-\": lowercase letters, digits, '-' and "
	  "'.', starting and ending with a letter or digit, at most 253 characters" },
	{ "meta_name_a_mapping",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: {a: b}\nspec: "
	  "{}\n",
	  "t.yaml:4:9: metadata.name: expected a string, got a mapping" },
	{ "meta_namespace_on_cluster_policy",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\n  namespace: "
	  "default\nspec: {}\n",
	  "t.yaml:5:14: metadata.namespace: a TracingPolicy is cluster-scoped: remove the "
	  "namespace, or use kind TracingPolicyNamespaced" },
	{ "meta_namespaced_without_namespace",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespaced\nmetadata:\n  name: "
	  "t\nspec: {}\n",
	  "t.yaml:4:3: metadata: missing required field \"namespace\" (kind "
	  "TracingPolicyNamespaced)" },
	{ "meta_namespace_invalid",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespaced\nmetadata:\n  name: t\n  "
	  "namespace: Kube.System\nspec: {}\n",
	  "t.yaml:5:14: metadata.namespace: invalid namespace \"Kube.System\": lowercase letters, "
	  "digits and '-', starting and ending with a letter or digit, at most 63 characters" },
	{ "meta_label_value_a_list",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\n  labels:\n  "
	  "  app: [a]\nspec: {}\n",
	  "t.yaml:6:10: metadata.labels.app: expected a string, got a list" },
	{ "meta_unknown_key",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  nmae: t\n  name: "
	  "t\nspec: {}\n",
	  "t.yaml:4:3: metadata: unknown field \"nmae\" (did you mean \"name\"?)" },
	{ "spec_missing",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\n",
	  "t.yaml:1:1: missing required field \"spec\"" },
	{ "spec_null",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n",
	  "t.yaml:1:1: missing required field \"spec\"" },
	{ "spec_a_list",
	  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec: "
	  "[kprobes]\n",
	  "t.yaml:5:7: spec: expected a mapping, got a list" },
	{ "spec_unknown_key", H "  kprobe:\n  - call: a\n",
	  "t.yaml:6:3: spec: unknown field \"kprobe\" (did you mean \"kprobes\"?)" },
	{ "spec_unknown_key_case", H "  lsmHooks:\n  - hook: file_open\n",
	  "t.yaml:6:3: spec: unknown field \"lsmHooks\" (did you mean \"lsmhooks\"?)" },
	{ "spec_uprobes", H "  uprobes:\n  - path: /bin/true\n    symbols: [main]\n",
	  "t.yaml:6:3: spec.uprobes: \"uprobes\" is not supported by vigil" },
	{ "spec_usdts", H "  usdts:\n  - path: /bin/true\n",
	  "t.yaml:6:3: spec.usdts: \"usdts\" is not supported by vigil" },
	{ "spec_fentries", H "  fentries:\n  - call: a\n",
	  "t.yaml:6:3: spec.fentries: \"fentries\" is not supported by vigil" },
	{ "spec_enforcers", H "  enforcers:\n  - calls: [a]\n",
	  "t.yaml:6:3: spec.enforcers: \"enforcers\" is not supported by vigil" },
	{ "spec_selectors_macros", H "  selectorsMacros:\n    m: {}\n",
	  "t.yaml:6:3: spec.selectorsMacros: \"selectorsMacros\" is not supported by vigil" },
	/* podSelector and containerSelector: tests/unit/test_pod_selector.c */
	{ "spec_pod_selector_a_list", H "  podSelector: []\n",
	  "t.yaml:6:16: spec.podSelector: expected a mapping, got a list" },
	{ "spec_container_selector_misspelt", H "  containerSelector:\n    matchLabel: {name: x}\n",
	  "t.yaml:7:5: spec.containerSelector: unknown field \"matchLabel\" (did you mean "
	  "\"matchLabels\"?)" },
	{ "spec_host_selector", H "  hostSelector: {}\n",
	  "t.yaml:6:3: spec.hostSelector: \"hostSelector\" is not supported by vigil" },
	{ "spec_loader_true", H "  loader: true\n",
	  "t.yaml:6:3: spec.loader: \"loader\" is not supported by vigil" },
	{ "kprobes_a_mapping", H "  kprobes:\n    call: a\n",
	  "t.yaml:7:5: spec.kprobes: expected a list, got a mapping" },
	{ "kprobe_a_string", H "  kprobes:\n  - security_file_open\n",
	  "t.yaml:7:5: spec.kprobes[0]: expected a mapping, got a string \"security_file_open\"" },
	{ "kprobe_missing_call", H "  kprobes:\n  - syscall: false\n",
	  "t.yaml:7:5: spec.kprobes[0]: missing required field \"call\"" },
	{ "kprobe_call_empty", H "  kprobes:\n  - call: \"\"\n",
	  "t.yaml:7:11: spec.kprobes[0].call: must not be empty" },
	{ "kprobe_call_a_list", H "  kprobes:\n  - call: [a, b]\n",
	  "t.yaml:7:11: spec.kprobes[0].call: expected a string, got a list" },
	{ "kprobe_syscall_quoted_bool", H "  kprobes:\n  - call: a\n    syscall: \"false\"\n",
	  "t.yaml:8:14: spec.kprobes[0].syscall: expected a boolean (true or false), got a quoted "
	  "string \"false\"" },
	{ "kprobe_syscall_number", H "  kprobes:\n  - call: a\n    syscall: 0\n",
	  "t.yaml:8:14: spec.kprobes[0].syscall: expected a boolean (true or false), got a number "
	  "\"0\"" },
	{ "kprobe_syscall_word", H "  kprobes:\n  - call: a\n    syscall: never\n",
	  "t.yaml:8:14: spec.kprobes[0].syscall: expected a boolean (true or false), got a string "
	  "\"never\"" },
	{ "kprobe_return_mapping", H "  kprobes:\n  - call: a\n    return: {}\n",
	  "t.yaml:8:13: spec.kprobes[0].return: expected a boolean (true or false), got a "
	  "mapping" },
	{ "kprobe_unknown_key",
	  H "  kprobes:\n  - call: a\n    arg:\n    - index: 0\n      type: int\n",
	  "t.yaml:8:5: spec.kprobes[0]: unknown field \"arg\" (did you mean \"args\"?)" },
	{ "kprobe_unknown_key_no_suggestion", H "  kprobes:\n  - call: a\n    function: b\n",
	  "t.yaml:8:5: spec.kprobes[0]: unknown field \"function\"" },
	{ "kprobe_data",
	  H "  kprobes:\n  - call: a\n    data:\n    - index: 0\n      type: int\n      source: "
	    "current_task\n      resolve: pid\n",
	  "t.yaml:8:5: spec.kprobes[0].data: \"data\" is not supported by vigil" },
	{ "kprobe_return_arg_action", H "  kprobes:\n  - call: a\n    returnArgAction: TrackSock\n",
	  "t.yaml:8:22: spec.kprobes[0].returnArgAction: returnArgAction \"TrackSock\" is not "
	  "supported by vigil" },
	{ "kprobe_ignore_not_bool",
	  H "  kprobes:\n  - call: a\n    ignore:\n      callNotFound: maybe\n",
	  "t.yaml:9:21: spec.kprobes[0].ignore.callNotFound: expected a boolean (true or false), "
	  "got a string \"maybe\"" },
	{ "kprobe_ignore_unknown_key",
	  H "  kprobes:\n  - call: a\n    ignore:\n      callNotFund: true\n",
	  "t.yaml:9:7: spec.kprobes[0].ignore: unknown field \"callNotFund\" (did you mean "
	  "\"callNotFound\"?)" },
	{ "kprobe_ignore_a_list", H "  kprobes:\n  - call: a\n    ignore: [callNotFound]\n",
	  "t.yaml:8:13: spec.kprobes[0].ignore: expected a mapping, got a list" },
	{ "kprobe_message_a_list", H "  kprobes:\n  - call: a\n    message: [hello]\n",
	  "t.yaml:8:14: spec.kprobes[0].message: expected a string, got a list" },
	{ "kprobe_tags_a_string", H "  kprobes:\n  - call: a\n    tags: one\n",
	  "t.yaml:8:11: spec.kprobes[0].tags: expected a list, got a string \"one\"" },
	{ "kprobe_tag_a_mapping", H "  kprobes:\n  - call: a\n    tags:\n    - ok\n    - {a: b}\n",
	  "t.yaml:10:7: spec.kprobes[0].tags[1]: expected a string, got a mapping" },
	{ "tracepoint_missing_subsystem_and_event", H "  tracepoints:\n  - raw: true\n",
	  "t.yaml:7:5: spec.tracepoints[0]: missing required field \"subsystem\"\nt.yaml:7:5: "
	  "spec.tracepoints[0]: missing required field \"event\"" },
	{ "tracepoint_call_key",
	  H "  tracepoints:\n  - subsystem: syscalls\n    call: sys_enter_openat\n",
	  "t.yaml:7:5: spec.tracepoints[0]: missing required field \"event\"\nt.yaml:8:5: "
	  "spec.tracepoints[0]: unknown field \"call\"" },
	{ "tracepoint_event_empty", H "  tracepoints:\n  - subsystem: syscalls\n    event: \"\"\n",
	  "t.yaml:8:12: spec.tracepoints[0].event: must not be empty" },
	{ "tracepoint_raw_word",
	  H "  tracepoints:\n  - subsystem: raw_syscalls\n    event: sys_enter\n    raw: maybe\n",
	  "t.yaml:9:10: spec.tracepoints[0].raw: expected a boolean (true or false), got a string "
	  "\"maybe\"" },
	{ "tracepoint_syscall_key",
	  H "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n    syscall: "
	    "true\n",
	  "t.yaml:9:5: spec.tracepoints[0]: unknown field \"syscall\"" },
	{ "lsm_call_key", H "  lsmhooks:\n  - call: file_open\n",
	  "t.yaml:7:5: spec.lsmhooks[0]: unknown field \"call\"\nt.yaml:7:5: spec.lsmhooks[0]: "
	  "missing required field \"hook\"" },
	{ "lsm_syscall_key", H "  lsmhooks:\n  - hook: file_open\n    syscall: false\n",
	  "t.yaml:8:5: spec.lsmhooks[0]: unknown field \"syscall\"" },
	{ "lsm_hook_a_number", H "  lsmhooks:\n  - hook: 5\n    args: 7\n",
	  "t.yaml:8:11: spec.lsmhooks[0].args: expected a list, got a number \"7\"" },
	{ "args_a_mapping",
	  H "  kprobes:\n  - call: a\n    args:\n      index: 0\n      type: int\n",
	  "t.yaml:9:7: spec.kprobes[0].args: expected a list, got a mapping" },
	{ "arg_a_list", H "  kprobes:\n  - call: a\n    args:\n    - [0, int]\n",
	  "t.yaml:9:7: spec.kprobes[0].args[0]: expected a mapping, got a list" },
	{ "arg_missing_index", H "  kprobes:\n  - call: a\n    args:\n    - type: int\n",
	  "t.yaml:9:7: spec.kprobes[0].args[0]: missing required field \"index\"" },
	{ "arg_missing_type", H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n",
	  "t.yaml:9:7: spec.kprobes[0].args[0]: missing required field \"type\" (Tetragon's "
	  "default, \"auto\", is not supported by vigil)" },
	{ "arg_type_misspelt",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: strng\n",
	  "t.yaml:10:13: spec.kprobes[0].args[0].type: unknown type \"strng\" (did you mean "
	  "\"string\"?)" },
	{ "arg_type_case",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: Int\n",
	  "t.yaml:10:13: spec.kprobes[0].args[0].type: unknown type \"Int\" (did you mean "
	  "\"int\"?)" },
	{ "arg_type_u64_shorthand",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: u64\n",
	  "t.yaml:10:13: spec.kprobes[0].args[0].type: unknown type \"u64\"" },
	{ "arg_type_char_iovec",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: char_iovec\n",
	  "t.yaml:10:13: spec.kprobes[0].args[0].type: type \"char_iovec\" is not supported by "
	  "vigil" },
	{ "arg_type_auto",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: auto\n",
	  "t.yaml:10:13: spec.kprobes[0].args[0].type: type \"auto\" is not supported by vigil" },
	{ "arg_type_bpf_attr",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: bpf_attr\n",
	  "t.yaml:10:13: spec.kprobes[0].args[0].type: type \"bpf_attr\" is not supported by "
	  "vigil" },
	{ "arg_type_syscall64",
	  H "  tracepoints:\n  - subsystem: raw_syscalls\n    event: sys_enter\n    args:\n    - "
	    "index: 4\n      type: syscall64\n",
	  "t.yaml:11:13: spec.tracepoints[0].args[0].type: type \"syscall64\" is not supported by "
	  "vigil" },
	{ "arg_index_negative",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: -1\n      type: int\n",
	  "t.yaml:9:14: spec.kprobes[0].args[0].index: \"-1\" must not be negative" },
	{ "arg_index_quoted",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: \"0\"\n      type: int\n",
	  "t.yaml:9:14: spec.kprobes[0].args[0].index: expected a non-negative integer, got a "
	  "quoted string \"0\"" },
	{ "arg_index_float",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 1.5\n      type: int\n",
	  "t.yaml:9:14: spec.kprobes[0].args[0].index: expected a non-negative integer, got a "
	  "number \"1.5\"" },
	{ "arg_index_huge",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 4294967296\n      type: int\n",
	  "t.yaml:9:14: spec.kprobes[0].args[0].index: \"4294967296\" is out of range (0 to "
	  "2147483647)" },
	{ "arg_size_arg_index_word",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 1\n      type: char_buf\n      "
	    "sizeArgIndex: three\n",
	  "t.yaml:11:21: spec.kprobes[0].args[0].sizeArgIndex: expected a non-negative integer, "
	  "got a string \"three\"" },
	{ "arg_max_data_number",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 1\n      type: char_buf\n      "
	    "maxData: 4096\n",
	  "t.yaml:11:16: spec.kprobes[0].args[0].maxData: expected a boolean (true or false), got "
	  "a number \"4096\"" },
	{ "arg_source",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: int\n      source: "
	    "pt_regs\n",
	  "t.yaml:11:7: spec.kprobes[0].args[0].source: \"source\" is not supported by vigil" },
	{ "arg_btf_type",
	  H "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: int\n      btfType: "
	    "mystruct\n",
	  "t.yaml:11:7: spec.kprobes[0].args[0].btfType: \"btfType\" is not supported by vigil" },
	{ "arg_unknown_key",
	  H
	  "  kprobes:\n  - call: a\n    args:\n    - index: 0\n      type: int\n      lable: fd\n",
	  "t.yaml:11:7: spec.kprobes[0].args[0]: unknown field \"lable\" (did you mean "
	  "\"label\"?)" },
	{ "return_arg_a_list",
	  H "  kprobes:\n  - call: a\n    return: true\n    returnArg:\n    - index: 0\n      "
	    "type: int\n",
	  "t.yaml:10:5: spec.kprobes[0].returnArg: expected a mapping, got a list" },
	{ "selectors_a_mapping", H "  kprobes:\n  - call: a\n    selectors:\n      matchArgs: []\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors: expected a list, got a mapping" },
	{ "selector_unknown_key",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArg:\n      - index: 0\n        "
	    "operator: Equal\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors[0]: unknown field \"matchArg\" (did you mean "
	  "\"matchArgs\"?)" },
	{ "selector_match_data",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchData:\n      - index: 0\n        "
	    "operator: Equal\n        values: [\"1\"]\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors[0].matchData: \"matchData\" is not supported by "
	  "vigil" },
	{ "selector_match_return_actions",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchReturnActions:\n      - action: "
	    "Post\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors[0].matchReturnActions: \"matchReturnActions\" is "
	  "not supported by vigil" },
	{ "selector_match_namespace_changes",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchNamespaceChanges:\n      - "
	    "operator: In\n        values: [Mnt]\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors[0].matchNamespaceChanges: "
	  "\"matchNamespaceChanges\" is not supported by vigil" },
	{ "selector_match_capability_changes",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchCapabilityChanges:\n      - "
	    "operator: In\n        values: [CAP_SYS_ADMIN]\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors[0].matchCapabilityChanges: "
	  "\"matchCapabilityChanges\" is not supported by vigil" },
	{ "selector_macros", H "  kprobes:\n  - call: a\n    selectors:\n    - macros: [m]\n",
	  "t.yaml:9:7: spec.kprobes[0].selectors[0].macros: \"macros\" is not supported by vigil" },
	{ "match_args_a_mapping",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n        index: 0\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchArgs: expected a list, got a mapping" },
	{ "match_arg_missing_operator",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "values: [\"1\"]\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchArgs[0]: missing required field "
	  "\"operator\"" },
	{ "match_arg_operator_equals",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Equals\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator "
	  "\"Equals\" (did you mean \"Equal\"?)" },
	{ "match_arg_operator_lower",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: equal\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator "
	  "\"equal\" (did you mean \"Equal\"?)" },
	{ "match_arg_operator_greater_then",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: GreaterThen\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator "
	  "\"GreaterThen\" (did you mean \"GreaterThan\"?)" },
	{ "match_arg_operator_gibberish",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Resembles\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator "
	  "\"Resembles\"" },
	{ "match_arg_operator_in",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: In\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator "
	  "\"In\"" },
	{ "match_arg_substring",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: SubString\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"SubString\" is not supported by vigil" },
	{ "match_arg_substring_ign_case",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: SubStringIgnCase\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"SubStringIgnCase\" is not supported by vigil" },
	{ "match_arg_file_type",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: FileType\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"FileType\" "
	  "is not supported by vigil" },
	{ "match_arg_not_file_type",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: NotFileType\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"NotFileType\" is not supported by vigil" },
	{ "match_arg_capabilities_gained",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: CapabilitiesGained\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"CapabilitiesGained\" is not supported by vigil" },
	{ "match_arg_state",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: State\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"State\" is "
	  "not supported by vigil" },
	{ "match_arg_sport_priv",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: SPortPriv\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"SPortPriv\" is not supported by vigil" },
	{ "match_arg_not_dport_priv",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: NotDPortPriv\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator "
	  "\"NotDPortPriv\" is not supported by vigil" },
	{ "match_arg_cel_expr",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: CelExpr\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator \"CelExpr\" "
	  "is not supported by vigil" },
	{ "match_arg_values_a_string",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Equal\n        values: /etc/passwd\n",
	  "t.yaml:12:17: spec.kprobes[0].selectors[0].matchArgs[0].values: expected a list, got a "
	  "string \"/etc/passwd\"" },
	{ "match_arg_value_a_mapping",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Equal\n        values:\n        - path: /etc/passwd\n",
	  "t.yaml:13:11: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: expected a string, "
	  "got a mapping" },
	{ "match_arg_value_null",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: 0\n        "
	    "operator: Equal\n        values:\n        -\n        - /etc\n",
	  "t.yaml:13:10: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: expected a string, "
	  "got null" },
	{ "match_arg_args_key",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - args: [0, 1]\n     "
	    "   operator: Equal\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchArgs[0].args: \"args\" is not supported "
	  "by vigil" },
	{ "match_arg_index_quoted",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchArgs:\n      - index: \"1\"\n     "
	    "   operator: Equal\n",
	  "t.yaml:10:16: spec.kprobes[0].selectors[0].matchArgs[0].index: expected a non-negative "
	  "integer, got a quoted string \"1\"" },
	{ "match_binaries_operator_equal",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchBinaries:\n      - operator: "
	    "Equal\n        values: [/bin/sh]\n",
	  "t.yaml:10:19: spec.kprobes[0].selectors[0].matchBinaries[0].operator: unknown operator "
	  "\"Equal\"" },
	{ "match_binaries_missing_values",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchBinaries:\n      - operator: In\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchBinaries[0]: missing required field "
	  "\"values\"" },
	{ "match_binaries_follow_quoted",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchBinaries:\n      - operator: In\n "
	    "       values: [/bin/sh]\n        followChildren: \"true\"\n",
	  "t.yaml:12:25: spec.kprobes[0].selectors[0].matchBinaries[0].followChildren: expected a "
	  "boolean (true or false), got a quoted string \"true\"" },
	{ "match_parent_binaries_operator_lower",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchParentBinaries:\n      - "
	    "operator: notIn\n        values: [/bin/sh]\n",
	  "t.yaml:10:19: spec.kprobes[0].selectors[0].matchParentBinaries[0].operator: unknown "
	  "operator \"notIn\" (did you mean \"NotIn\"?)" },
	{ "match_namespaces_lower_name",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchNamespaces:\n      - namespace: "
	    "net\n        operator: In\n        values: [host_ns]\n",
	  "t.yaml:10:20: spec.kprobes[0].selectors[0].matchNamespaces[0].namespace: unknown "
	  "namespace \"net\" (did you mean \"Net\"?)" },
	{ "match_namespaces_unknown_name",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchNamespaces:\n      - namespace: "
	    "Network\n        operator: In\n        values: [host_ns]\n",
	  "t.yaml:10:20: spec.kprobes[0].selectors[0].matchNamespaces[0].namespace: unknown "
	  "namespace \"Network\"" },
	{ "match_namespaces_operator_equal",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchNamespaces:\n      - namespace: "
	    "Mnt\n        operator: Equal\n        values: [host_ns]\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchNamespaces[0].operator: unknown "
	  "operator \"Equal\"" },
	{ "match_namespaces_empty_item",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchNamespaces:\n      - {}\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchNamespaces[0]: missing required field "
	  "\"namespace\"\nt.yaml:10:9: spec.kprobes[0].selectors[0].matchNamespaces[0]: missing "
	  "required field \"operator\"\nt.yaml:10:9: "
	  "spec.kprobes[0].selectors[0].matchNamespaces[0]: missing required field \"values\"" },
	{ "match_pids_values_quoted",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchPIDs:\n      - operator: In\n     "
	    "   values: [\"1\"]\n",
	  "t.yaml:11:18: spec.kprobes[0].selectors[0].matchPIDs[0].values[0]: expected an integer, "
	  "got a quoted string \"1\"" },
	{ "match_pids_values_float",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchPIDs:\n      - operator: In\n     "
	    "   values: [1.5]\n",
	  "t.yaml:11:18: spec.kprobes[0].selectors[0].matchPIDs[0].values[0]: expected an integer, "
	  "got a number \"1.5\"" },
	{ "match_pids_operator_lower",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchPIDs:\n      - operator: in\n     "
	    "   values: [1]\n",
	  "t.yaml:10:19: spec.kprobes[0].selectors[0].matchPIDs[0].operator: unknown operator "
	  "\"in\" (did you mean \"In\"?)" },
	{ "match_pids_follow_forks_number",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchPIDs:\n      - operator: In\n     "
	    "   values: [1]\n        followForks: 1\n",
	  "t.yaml:12:22: spec.kprobes[0].selectors[0].matchPIDs[0].followForks: expected a boolean "
	  "(true or false), got a number \"1\"" },
	{ "match_caps_type_lower",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchCapabilities:\n      - type: "
	    "effective\n        operator: In\n        values: [CAP_SYS_ADMIN]\n",
	  "t.yaml:10:15: spec.kprobes[0].selectors[0].matchCapabilities[0].type: unknown "
	  "capability set \"effective\" (did you mean \"Effective\"?)" },
	{ "match_caps_type_bounding",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchCapabilities:\n      - type: "
	    "Bounding\n        operator: In\n        values: [CAP_SYS_ADMIN]\n",
	  "t.yaml:10:15: spec.kprobes[0].selectors[0].matchCapabilities[0].type: unknown "
	  "capability set \"Bounding\"" },
	{ "match_caps_missing_operator_and_values",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchCapabilities:\n      - type: "
	    "Effective\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchCapabilities[0]: missing required field "
	  "\"operator\"\nt.yaml:10:9: spec.kprobes[0].selectors[0].matchCapabilities[0]: missing "
	  "required field \"values\"" },
	{ "action_missing",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - argError: -1\n",
	  "t.yaml:10:9: spec.kprobes[0].selectors[0].matchActions[0]: missing required field "
	  "\"action\"" },
	{ "action_lower_case",
	  H
	  "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: SigKill\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: unknown action "
	  "\"SigKill\" (did you mean \"Sigkill\"?)" },
	{ "action_unknown",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Kill\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: unknown action "
	  "\"Kill\"" },
	{ "action_get_url",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "GetUrl\n        argUrl: http://example.com\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: action \"GetUrl\" is "
	  "not supported by vigil\nt.yaml:11:9: "
	  "spec.kprobes[0].selectors[0].matchActions[0].argUrl: \"argUrl\" is not supported by "
	  "vigil" },
	{ "action_dns_lookup",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "DnsLookup\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: action \"DnsLookup\" "
	  "is not supported by vigil" },
	{ "action_notify_enforcer",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "NotifyEnforcer\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: action "
	  "\"NotifyEnforcer\" is not supported by vigil" },
	{ "action_track_sock",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "TrackSock\n        argSock: 0\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: action \"TrackSock\" "
	  "is not supported by vigil" },
	{ "action_follow_fd",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "FollowFD\n        argFd: 0\n        argName: 1\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: action \"FollowFD\" "
	  "is not supported by vigil\nt.yaml:12:9: "
	  "spec.kprobes[0].selectors[0].matchActions[0].argName: \"argName\" is not supported by "
	  "vigil" },
	{ "action_set",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Set\n   "
	    "     argIndex: 1\n        argValue: 2\n",
	  "t.yaml:10:17: spec.kprobes[0].selectors[0].matchActions[0].action: action \"Set\" is "
	  "not supported by vigil\nt.yaml:11:9: "
	  "spec.kprobes[0].selectors[0].matchActions[0].argIndex: \"argIndex\" is not supported by "
	  "vigil\nt.yaml:12:9: spec.kprobes[0].selectors[0].matchActions[0].argValue: \"argValue\" "
	  "is not supported by vigil" },
	{ "action_arg_error_quoted",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "Override\n        argError: \"-1\"\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchActions[0].argError: expected an "
	  "integer, got a quoted string \"-1\"" },
	{ "action_arg_error_huge",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "Override\n        argError: -2147483649\n",
	  "t.yaml:11:19: spec.kprobes[0].selectors[0].matchActions[0].argError: \"-2147483649\" is "
	  "out of range (-2147483648 to 2147483647)" },
	{ "action_arg_sig_word",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "Signal\n        argSig: SIGKILL\n",
	  "t.yaml:11:17: spec.kprobes[0].selectors[0].matchActions[0].argSig: expected an integer, "
	  "got a string \"SIGKILL\"" },
	{ "action_rate_limit_bad_unit",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Post\n  "
	    "      rateLimit: 5x\n",
	  "t.yaml:11:20: spec.kprobes[0].selectors[0].matchActions[0].rateLimit: invalid rateLimit "
	  "\"5x\": a number of seconds, optionally followed by s, m or h, such as \"30s\", \"5m\" "
	  "or \"1h\"" },
	{ "action_rate_limit_unit_only",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Post\n  "
	    "      rateLimit: m\n",
	  "t.yaml:11:20: spec.kprobes[0].selectors[0].matchActions[0].rateLimit: invalid rateLimit "
	  "\"m\": a number of seconds, optionally followed by s, m or h, such as \"30s\", \"5m\" "
	  "or \"1h\"" },
	{ "action_rate_limit_too_big",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Post\n  "
	    "      rateLimit: \"4294967296\"\n",
	  "t.yaml:11:20: spec.kprobes[0].selectors[0].matchActions[0].rateLimit: invalid rateLimit "
	  "\"4294967296\": a number of seconds, optionally followed by s, m or h, such as \"30s\", "
	  "\"5m\" or \"1h\"" },
	{ "action_rate_scope_misspelt",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Post\n  "
	    "      rateLimit: 1m\n        rateLimitScope: proces\n",
	  "t.yaml:12:25: spec.kprobes[0].selectors[0].matchActions[0].rateLimitScope: unknown "
	  "rateLimitScope \"proces\" (did you mean \"process\"?)" },
	{ "action_kernel_stack_trace",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Post\n  "
	    "      kernelStackTrace: true\n",
	  "t.yaml:11:9: spec.kprobes[0].selectors[0].matchActions[0].kernelStackTrace: "
	  "\"kernelStackTrace\" is not supported by vigil" },
	{ "action_user_stack_trace",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: Post\n  "
	    "      userStackTrace: yes\n",
	  "t.yaml:11:9: spec.kprobes[0].selectors[0].matchActions[0].userStackTrace: "
	  "\"userStackTrace\" is not supported by vigil" },
	{ "action_ima_hash",
	  H "  lsmhooks:\n  - hook: file_open\n    selectors:\n    - matchActions:\n      - "
	    "action: Post\n        imaHash: true\n",
	  "t.yaml:11:9: spec.lsmhooks[0].selectors[0].matchActions[0].imaHash: \"imaHash\" is not "
	  "supported by vigil" },
	{ "action_unknown_key",
	  H "  kprobes:\n  - call: a\n    selectors:\n    - matchActions:\n      - action: "
	    "Override\n        argErr: -1\n",
	  "t.yaml:11:9: spec.kprobes[0].selectors[0].matchActions[0]: unknown field \"argErr\" "
	  "(did you mean \"argError\"?)" },
	{ "lists_a_mapping", H "  lists:\n    name: x\n",
	  "t.yaml:7:5: spec.lists: expected a list, got a mapping" },
	{ "list_missing_name", H "  lists:\n  - values: [a]\n",
	  "t.yaml:7:5: spec.lists[0]: missing required field \"name\"" },
	{ "list_type_misspelt",
	  H "  lists:\n  - name: l\n    type: syscall\n    values: [sys_dup]\n",
	  "t.yaml:8:11: spec.lists[0].type: unknown list type \"syscall\" (did you mean "
	  "\"syscalls\"?)" },
	{ "list_type_generated_syscalls",
	  H "  lists:\n  - name: l\n    type: generated_syscalls\n  kprobes:\n  - call: list:l\n",
	  "t.yaml:8:11: spec.lists[0].type: list type \"generated_syscalls\" is not supported by "
	  "vigil" },
	{ "list_type_generated_ftrace",
	  H "  lists:\n  - name: l\n    type: generated_ftrace\n    pattern: \"^vfs_*\"\n",
	  "t.yaml:8:11: spec.lists[0].type: list type \"generated_ftrace\" is not supported by "
	  "vigil" },
	{ "list_duplicate_name",
	  H "  lists:\n  - name: l\n    values: [a]\n  - name: l\n    values: [b]\n",
	  "t.yaml:9:11: spec.lists[1].name: duplicate list name \"l\" (first at line 7)" },
	{ "list_values_a_string", H "  lists:\n  - name: l\n    values: sys_dup\n",
	  "t.yaml:8:13: spec.lists[0].values: expected a list, got a string \"sys_dup\"" },
	{ "list_validated_word", H "  lists:\n  - name: l\n    values: [a]\n    validated: sure\n",
	  "t.yaml:9:16: spec.lists[0].validated: expected a boolean (true or false), got a string "
	  "\"sure\"" },
	{ "list_undefined",
	  H "  lists:\n  - name: dups\n    values: [sys_dup]\n  kprobes:\n  - call: list:dup\n",
	  "t.yaml:10:11: spec.kprobes[0].call: list \"dup\" is not defined in spec.lists (did you "
	  "mean \"dups\"?)" },
	{ "list_undefined_no_lists", H "  kprobes:\n  - call: \"list:dups\"\n",
	  "t.yaml:7:11: spec.kprobes[0].call: list \"dups\" is not defined in spec.lists" },
	{ "list_no_values", H "  lists:\n  - name: l\n  kprobes:\n  - call: list:l\n",
	  "t.yaml:9:11: spec.kprobes[0].call: list \"l\" has no values" },
	{ "list_expanded_errors_once",
	  H "  lists:\n  - name: l\n    values: [a, b, c]\n  kprobes:\n  - call: list:l\n    "
	    "syscall: maybe\n",
	  "t.yaml:11:14: spec.kprobes[0].syscall: expected a boolean (true or false), got a string "
	  "\"maybe\"" },
	{ "options_a_mapping", H "  options:\n    policy-mode: monitor\n",
	  "t.yaml:7:5: spec.options: expected a list, got a mapping" },
	{ "option_missing_name", H "  options:\n  - value: monitor\n",
	  "t.yaml:7:5: spec.options[0]: missing required field \"name\"" },
	{ "option_name_misspelt", H "  options:\n  - name: policy-mod\n    value: monitor\n",
	  "t.yaml:7:11: spec.options[0].name: unknown option \"policy-mod\" (did you mean "
	  "\"policy-mode\"?)" },
	{ "option_name_unknown", H "  options:\n  - name: enable-magic\n    value: \"true\"\n",
	  "t.yaml:7:11: spec.options[0].name: unknown option \"enable-magic\"" },
	{ "option_policy_mode_invalid",
	  H "  options:\n  - name: policy-mode\n    value: enforcing\n",
	  "t.yaml:8:12: spec.options[0].value: invalid policy-mode \"enforcing\": \"enforce\" or "
	  "\"monitor\"" },
	{ "option_policy_mode_missing_value", H "  options:\n  - name: policy-mode\n",
	  "t.yaml:7:5: spec.options[0].value: invalid policy-mode \"\": \"enforce\" or "
	  "\"monitor\"" },
	{ "option_disable_kprobe_multi_invalid",
	  H "  options:\n  - name: disable-kprobe-multi\n    value: \"yes\"\n",
	  "t.yaml:8:12: spec.options[0].value: invalid value \"yes\": a boolean (\"true\" or "
	  "\"false\")" },
	{ "option_override_method_invalid",
	  H "  options:\n  - name: override-method\n    value: fmodret\n",
	  "t.yaml:8:12: spec.options[0].value: invalid override-method \"fmodret\": \"fmod-ret\" "
	  "or \"override-return\"" },
	{ "errors_all_in_document_order",
	  "apiVersion: cilium.io/v1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n  "
	  "kprobes:\n  - syscall: no\n    bogus: 1\n  - call: b\n    args:\n    - index: x\n      "
	  "type: nope\n",
	  "t.yaml:1:13: apiVersion: unsupported apiVersion \"cilium.io/v1\" (a TracingPolicy is "
	  "cilium.io/v1alpha1)\nt.yaml:7:5: spec.kprobes[0]: missing required field "
	  "\"call\"\nt.yaml:8:5: spec.kprobes[0]: unknown field \"bogus\"\nt.yaml:11:14: "
	  "spec.kprobes[1].args[0].index: expected a non-negative integer, got a string "
	  "\"x\"\nt.yaml:12:13: spec.kprobes[1].args[0].type: unknown type \"nope\"" },
};

/* --- policies that load ---------------------------------------------------- */

static struct vigil_policy *must_parse_len(const char *file, const char *yaml, size_t len,
					   struct vigil_diags *ds)
{
	struct vigil_policy *p = NULL;
	char *text;
	int rc;

	rc = vigil_policy_parse(file, yaml, len, &p, ds);
	if (rc != 0 || ds->nerrors) {
		text = format_all(ds);
		fprintf(stderr, "unexpected diagnostics:\n%s\n", text);
		free(text);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(ds->nerrors, 0);
	assert_non_null(p);
	return p;
}

static struct vigil_policy *must_parse(const char *yaml, struct vigil_diags *ds)
{
	return must_parse_len("t.yaml", yaml, strlen(yaml), ds);
}

static char *read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;

	snprintf(path, sizeof(path), "tests/policy/tetragon/%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open (run from the repository root)", path);
	buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

static struct vigil_policy *load_fixture(const char *name, struct vigil_diags *ds)
{
	struct vigil_policy *p;
	size_t len;
	char *text = read_fixture(name, &len);

	p = must_parse_len(name, text, len, ds);
	free(text);
	assert_int_equal(ds->n, 0); /* no warning either */
	return p;
}

#define POS(p, l, c)                             \
	do {                                     \
		assert_int_equal((p).line, (l)); \
		assert_int_equal((p).col, (c));  \
	} while (0)

static void test_block_shell_exec(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("block-shell-exec.yaml", &ds);
	const struct vigil_hook *h;
	const struct vigil_selector *s;

	(void)state;
	assert_string_equal(p->name, "block-shell-exec");
	assert_string_equal(p->file, "block-shell-exec.yaml");
	assert_int_equal(p->kind, VIGIL_KIND_TRACING_POLICY);
	assert_null(p->namespace_);
	assert_int_equal(p->mode, VIGIL_MODE_ENFORCE);
	assert_false(p->mode_set);
	assert_int_equal(p->nhooks, 1);
	h = &p->hooks[0];
	assert_int_equal(h->kind, VIGIL_HOOK_KPROBE);
	assert_string_equal(h->call, "security_bprm_check");
	POS(h->call_pos, 10, 11);
	assert_false(h->syscall);
	assert_false(h->has_return);
	assert_null(h->from_list);
	assert_null(h->message);
	assert_int_equal(h->ntags, 0);
	assert_int_equal(h->nargs, 1);
	assert_int_equal(h->args[0].index, 0);
	assert_int_equal(h->args[0].type, VIGIL_ARG_LINUX_BINPRM);
	assert_string_equal(h->args[0].type_name, "linux_binprm");
	assert_int_equal(h->nselectors, 1);
	s = &h->selectors[0];
	assert_int_equal(s->nargs, 1);
	assert_int_equal(s->args[0].index, 0);
	assert_int_equal(s->args[0].op, VIGIL_OP_EQUAL);
	assert_int_equal(s->args[0].values.n, 2);
	assert_string_equal(s->args[0].values.v[0].s, "/bin/bash");
	assert_string_equal(s->args[0].values.v[1].s, "/bin/sh");
	POS(s->args[0].values.v[1].pos, 21, 11);
	assert_int_equal(s->nactions, 1);
	assert_int_equal(s->actions[0].kind, VIGIL_ACT_SIGKILL);
	assert_int_equal(s->nbins + s->npids + s->nns + s->ncaps + s->nret_args, 0);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_lsm_bprm_check(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("lsm-bprm-check.yaml", &ds);
	const struct vigil_hook *h = &p->hooks[0];
	const struct vigil_selector *s = &h->selectors[0];

	(void)state;
	assert_int_equal(p->nhooks, 1);
	assert_int_equal(h->kind, VIGIL_HOOK_LSM);
	assert_string_equal(h->call, "bprm_check_security");
	assert_int_equal(s->nbins, 1);
	assert_int_equal(s->bins[0].op, VIGIL_BIN_IN);
	assert_false(s->bins[0].follow_children);
	assert_int_equal(s->bins[0].values.n, 2);
	assert_string_equal(s->bins[0].values.v[1].s, "/usr/bin/bash");
	assert_int_equal(s->args[0].op, VIGIL_OP_POSTFIX);
	assert_string_equal(s->args[0].values.v[0].s, "tester-progs/nop");
	assert_int_equal(s->nactions, 2);
	assert_int_equal(s->actions[0].kind, VIGIL_ACT_OVERRIDE);
	assert_true(s->actions[0].has_arg_error);
	assert_int_equal(s->actions[0].arg_error, -1);
	assert_int_equal(s->actions[1].kind, VIGIL_ACT_POST);
	assert_int_equal(s->actions[1].rate_limit_ns, 0);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_lsm_file_open_shadow(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("lsm-file-open-shadow.yaml", &ds);
	const struct vigil_hook *h = &p->hooks[0];
	const struct vigil_action *a = &h->selectors[0].actions[0];

	(void)state;
	assert_string_equal(h->call, "file_open");
	assert_string_equal(h->message, "Access to a shadow password file");
	assert_int_equal(h->ntags, 2);
	assert_string_equal(h->tags[0], "credentials");
	assert_string_equal(h->tags[1], "observability.filesystem");
	POS(h->tag_pos[1], 12, 27);
	assert_int_equal(h->args[0].type, VIGIL_ARG_FILE);
	assert_int_equal(h->selectors[0].args[0].values.n, 2);
	assert_int_equal(a->kind, VIGIL_ACT_OVERRIDE);
	assert_int_equal(a->arg_error, -13);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_file_open_override_monitor(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("file-open-override.yaml", &ds);
	const struct vigil_hook *h = &p->hooks[0];

	(void)state;
	assert_true(p->mode_set);
	assert_int_equal(p->mode, VIGIL_MODE_MONITOR);
	assert_string_equal(h->call, "security_file_open");
	assert_false(h->syscall);
	assert_true(h->has_return);
	assert_true(h->has_return_arg);
	assert_int_equal(h->return_arg.type, VIGIL_ARG_S32);
	assert_string_equal(h->return_arg.type_name, "int");
	assert_int_equal(h->selectors[0].actions[0].kind, VIGIL_ACT_OVERRIDE);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_sys_write_pids(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("sys-write-pids.yaml", &ds);
	const struct vigil_hook *h = &p->hooks[0];
	const struct vigil_match_pids *m = &h->selectors[0].pids[0];

	(void)state;
	assert_string_equal(h->call, "sys_write");
	assert_true(h->syscall);
	assert_int_equal(h->nargs, 3);
	assert_int_equal(h->args[0].type, VIGIL_ARG_S32);
	assert_int_equal(h->args[1].type, VIGIL_ARG_CHAR_BUF);
	assert_int_equal(h->args[1].size_arg_index, 3);
	assert_int_equal(h->args[2].type, VIGIL_ARG_U64);
	assert_string_equal(h->args[2].type_name, "size_t");
	assert_int_equal(h->selectors[0].npids, 1);
	assert_true(m->not_in);
	assert_true(m->follow_forks);
	assert_true(m->is_namespace_pid);
	assert_int_equal(m->values.n, 1);
	assert_string_equal(m->values.v[0].s, "1");
	assert_string_equal(h->selectors[0].args[0].values.v[0].s, "1");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_tcp_connect(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("tcp-connect.yaml", &ds);
	const struct vigil_hook *h = &p->hooks[0];
	const struct vigil_selector *s0 = &h->selectors[0], *s1 = &h->selectors[1];

	(void)state;
	assert_int_equal(h->args[0].type, VIGIL_ARG_SOCK);
	assert_int_equal(h->nselectors, 2);
	assert_int_equal(s0->args[0].op, VIGIL_OP_NOT_DADDR);
	assert_int_equal(s0->args[0].values.n, 6);
	assert_string_equal(s0->args[0].values.v[5].s, "fd00::/8");
	assert_int_equal(s0->actions[0].kind, VIGIL_ACT_SIGKILL);
	assert_int_equal(s1->nargs, 2);
	assert_int_equal(s1->args[0].op, VIGIL_OP_DPORT);
	assert_int_equal(s1->args[1].op, VIGIL_OP_FAMILY);
	assert_int_equal(s1->actions[0].kind, VIGIL_ACT_POST);
	assert_int_equal(s1->actions[0].rate_limit_ns, 60ULL * 1000000000ULL);
	assert_int_equal(s1->actions[0].rate_scope, VIGIL_RATE_PROCESS);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_tracepoint_openat(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("tracepoint-openat.yaml", &ds);
	const struct vigil_hook *h = &p->hooks[0];

	(void)state;
	assert_int_equal(h->kind, VIGIL_HOOK_TRACEPOINT);
	assert_string_equal(h->subsystem, "syscalls");
	assert_string_equal(h->call, "sys_enter_openat");
	assert_false(h->raw);
	assert_int_equal(h->args[0].index, 6);
	assert_int_equal(h->args[0].type, VIGIL_ARG_STRING);
	assert_int_equal(h->args[1].type, VIGIL_ARG_S32);
	assert_int_equal(h->selectors[0].args[0].index, 6);
	assert_int_equal(h->selectors[0].args[0].op, VIGIL_OP_PREFIX);
	assert_int_equal(h->selectors[0].args[1].op, VIGIL_OP_MASK);
	assert_string_equal(h->selectors[0].args[1].values.v[0].s, "0x3");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_list_syscalls_expands(void **state)
{
	static const char *const calls[] = { "sys_dup", "sys_dup2", "sys_dup3" };
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = load_fixture("list-syscalls.yaml", &ds);
	const struct vigil_hook *h;
	size_t i;

	(void)state;
	assert_int_equal(p->nlists, 1);
	assert_string_equal(p->lists[0].name, "dups");
	assert_string_equal(p->lists[0].type, "syscalls");
	assert_int_equal(p->nhooks, 3);
	for (i = 0; i < 3; i++) {
		h = &p->hooks[i];
		assert_int_equal(h->kind, VIGIL_HOOK_KPROBE);
		assert_string_equal(h->call, calls[i]);
		assert_string_equal(h->from_list, "dups");
		assert_true(h->syscall);
		assert_int_equal(h->spec_index, 0);
		/* each points at its value in the list */
		POS(h->call_pos, 13 + (unsigned)i, 7);
		assert_int_equal(h->nselectors, 1);
		assert_int_equal(h->selectors[0].ns[0].ns, VIGIL_NST_PID);
		assert_true(h->selectors[0].ns[0].not_in);
		assert_string_equal(h->selectors[0].ns[0].values.v[0].s, "host_ns");
		assert_int_equal(h->selectors[0].caps[0].set, VIGIL_CAPSET_EFFECTIVE);
		assert_true(h->selectors[0].caps[0].not_in);
		assert_string_equal(h->selectors[0].caps[0].values.v[0].s, "CAP_SYS_ADMIN");
	}
	/* copies, not shared */
	assert_ptr_not_equal(p->hooks[0].selectors, p->hooks[1].selectors);
	assert_ptr_not_equal(p->hooks[1].args, p->hooks[2].args);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_defaults(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  kprobes:\n"
					      "  - call: fd_install\n"
					      "    selectors:\n"
					      "    - matchArgs:\n"
					      "      - operator: Equal\n"
					      "        values: [\"3\"]\n"
					      "      matchCapabilities:\n"
					      "      - operator: In\n"
					      "        values: [CAP_SYS_ADMIN]\n"
					      "      matchActions:\n"
					      "      - action: Post\n"
					      "        rateLimit: \"30\"\n",
					    &ds);
	const struct vigil_hook *h = &p->hooks[0];
	const struct vigil_selector *s = &h->selectors[0];

	(void)state;
	assert_true(h->syscall); /* Tetragon's CRD default */
	assert_int_equal(s->args[0].index, 0);
	POS(s->args[0].index_pos, 10, 9); /* no index: the item */
	POS(s->args[0].op_pos, 10, 19);
	assert_int_equal(s->caps[0].set, VIGIL_CAPSET_EFFECTIVE);
	assert_false(s->caps[0].is_namespace_capability);
	assert_int_equal(s->actions[0].rate_limit_ns, 30ULL * 1000000000ULL);
	assert_int_equal(s->actions[0].rate_scope, VIGIL_RATE_THREAD);
	assert_false(p->mode_set);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_tracepoint_position_means_index(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  tracepoints:\n"
					      "  - subsystem: raw_syscalls\n"
					      "    event: sys_enter\n"
					      "    args:\n"
					      "    - index: 4\n"
					      "      type: uint64\n"
					      "    - index: 5\n"
					      "      type: uint64\n"
					      "    selectors:\n"
					      "    - matchArgs:\n"
					      "      - index: 0\n"
					      "        operator: Equal\n"
					      "        values: [\"59\"]\n"
					      "      - index: 5\n"
					      "        operator: Equal\n"
					      "        values: [\"1\"]\n",
					    &ds);
	const struct vigil_selector *s = &p->hooks[0].selectors[0];

	(void)state;
	assert_int_equal(s->args[0].index, 4); /* position 0 is args[0], index 4 */
	assert_int_equal(s->args[1].index, 5); /* an index stays */
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_scalar_styles(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  kprobes:\n"
					      "  - call: a\n"
					      "    syscall: no\n"
					      "    message: \"true\"\n"
					      "    args:\n"
					      "    - index: 0x1\n"
					      "      type: int\n"
					      "      returnCopy: On\n"
					      "    selectors:\n"
					      "    - matchArgs:\n"
					      "      - index: 1\n"
					      "        operator: Equal\n"
					      "        values: [\"true\", 1, 0x10, yes, 'x']\n"
					      "      - index: 1\n"
					      "        operator: Equal\n"
					      "        values:\n"
					      "        - |\n"
					      "          block\n",
					    &ds);
	const struct vigil_hook *h = &p->hooks[0];
	const struct vigil_values *v = &h->selectors[0].args[0].values;

	(void)state;
	assert_false(h->syscall);
	assert_string_equal(h->message, "true");
	assert_int_equal(h->args[0].index, 1);
	assert_true(h->args[0].return_copy);
	assert_int_equal(v->n, 5);
	assert_string_equal(v->v[0].s, "true");
	assert_string_equal(v->v[1].s, "1");
	assert_string_equal(v->v[2].s, "0x10");
	assert_string_equal(v->v[3].s, "yes");
	assert_string_equal(v->v[4].s, "x");
	assert_string_equal(h->selectors[0].args[1].values.v[0].s, "block\n");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_null_and_inert_fields(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  loader: false\n"
					      "  podSelector: ~\n"
					      "  uprobes: []\n"
					      "  kprobes:\n"
					      "  - call: a\n"
					      "    args: null\n"
					      "    message:\n"
					      "    returnArgAction: \"\"\n"
					      "    data: []\n"
					      "    selectors:\n"
					      "    - matchActions:\n"
					      "      - action: Post\n"
					      "        kernelStackTrace: false\n"
					      "        imaHash: no\n"
					      "        argFd: 0\n"
					      "        rateLimit: \"\"\n"
					      "  - call: b\n"
					      "    selectors: ~\n",
					    &ds);

	(void)state;
	assert_int_equal(p->nhooks, 2);
	assert_int_equal(p->hooks[0].nargs, 0);
	assert_null(p->hooks[0].message);
	assert_int_equal(p->hooks[0].selectors[0].actions[0].rate_limit_ns, 0);
	assert_int_equal(p->hooks[0].selectors[0].actions[0].rate_limit_pos.line, 0);
	assert_int_equal(p->hooks[1].nselectors, 0);
	assert_int_equal(ds.n, 0);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_hooks_in_kind_order(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  lsmhooks:\n"
					      "  - hook: file_open\n"
					      "  tracepoints:\n"
					      "  - subsystem: sched\n"
					      "    event: sched_process_exec\n"
					      "  kprobes:\n"
					      "  - call: a\n"
					      "  - call: b\n",
					    &ds);

	(void)state;
	assert_int_equal(p->nhooks, 4);
	assert_int_equal(p->hooks[0].kind, VIGIL_HOOK_KPROBE);
	assert_string_equal(p->hooks[1].call, "b");
	assert_int_equal(p->hooks[1].spec_index, 1);
	assert_int_equal(p->hooks[2].kind, VIGIL_HOOK_TRACEPOINT);
	assert_int_equal(p->hooks[3].kind, VIGIL_HOOK_LSM);
	assert_int_equal(p->hooks[3].spec_index, 0);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_namespaced_policy(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse("apiVersion: cilium.io/v1alpha1\n"
					    "kind: TracingPolicyNamespaced\n"
					    "metadata:\n"
					    "  name: audit.example.com\n"
					    "  namespace: team-a\n"
					    "  labels: {app: web}\n"
					    "  annotations:\n"
					    "    description: \"watch opens\"\n"
					    "  uid: 0b0c\n"
					    "  generation: 3\n"
					    "spec:\n"
					    "  lsmhooks:\n"
					    "  - hook: file_open\n",
					    &ds);

	(void)state;
	assert_int_equal(p->kind, VIGIL_KIND_TRACING_POLICY_NS);
	assert_string_equal(p->name, "audit.example.com");
	assert_string_equal(p->namespace_, "team-a");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_ignore_call_not_found(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  kprobes:\n"
					      "  - call: maybe_missing\n"
					      "    syscall: false\n"
					      "    ignore:\n"
					      "      callNotFound: true\n",
					    &ds);

	(void)state;
	assert_true(p->hooks[0].ignore_call_not_found);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_trailing_nul_is_dropped_with_a_warning(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  kprobes:\n"
					      "  - call: security_inode_copy_up_xattr\n"
					      "    syscall: false\n"
					      "    args:\n"
					      "    - index: 0\n"
					      "      type: string\n"
					      "    selectors:\n"
					      "    - matchArgs:\n"
					      "      - index: 0\n"
					      "        operator: Equal\n"
					      "        values: [\"security.capability\\0\"]\n",
					    &ds);
	char *text = format_all(&ds);

	(void)state;
	assert_string_equal(text, "t.yaml:16:18: warning: the trailing \\0 is dropped: values "
				  "match whole strings without it");
	assert_string_equal(p->hooks[0].selectors[0].args[0].values.v[0].s, "security.capability");
	free(text);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static void test_pattern_warning_does_not_fail(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  lists:\n"
					      "  - name: l\n"
					      "    values: [a]\n"
					      "    pattern: \"^a\"\n",
					    &ds);
	char *text = format_all(&ds);

	(void)state;
	assert_string_equal(text, "t.yaml:9:14: warning: spec.lists[0].pattern: ignored: only "
				  "generated_ftrace lists use a pattern");
	free(text);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

/* The example of the design: a misspelt operator, at its line and column. */
static void test_misspelt_operator_message(void **state)
{
	static const char yaml[] = "apiVersion: cilium.io/v1alpha1\n"
				   "kind: TracingPolicy\n"
				   "metadata:\n"
				   "  name: t\n"
				   "spec:\n"
				   "  kprobes:\n"
				   "  - call: a\n"
				   "    selectors:\n"
				   "    - matchArgs: []\n"
				   "    - matchArgs: [{\n"
				   "         index: 0,\n"
				   "         values: [\"x\"],\n"
				   "\n"
				   "operator: Equals }]\n";
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;

	(void)state;
	assert_int_equal(vigil_policy_parse("policy.yaml", yaml, sizeof(yaml) - 1, &p, &ds),
			 -EINVAL);
	text = format_all(&ds);
	assert_string_equal(text,
			    "policy.yaml:14:11: spec.kprobes[0].selectors[1].matchArgs[0]."
			    "operator: unknown operator \"Equals\" (did you mean \"Equal\"?)");
	free(text);
	vigil_diags_free(&ds);
}

static void test_text_need_not_be_nul_terminated(void **state)
{
	static const char yaml[] = H "  kprobes:\n  - call: a\n";
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p;
	char *buf = malloc(sizeof(yaml) + 16);

	(void)state;
	memcpy(buf, yaml, sizeof(yaml) - 1);
	memcpy(buf + sizeof(yaml) - 1, "  - {{{{ junk", 14);
	p = must_parse_len("t.yaml", buf, sizeof(yaml) - 1, &ds);
	assert_int_equal(p->nhooks, 1);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	free(buf);
}

static void test_ten_thousand_values(void **state)
{
	static const char head[] = H "  kprobes:\n"
				     "  - call: a\n"
				     "    args:\n"
				     "    - index: 0\n"
				     "      type: file\n"
				     "    selectors:\n"
				     "    - matchArgs:\n"
				     "      - index: 0\n"
				     "        operator: Equal\n"
				     "        values:\n";
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p;
	size_t cap = sizeof(head) + 10000 * 32, len;
	char *buf = malloc(cap);
	int i;

	(void)state;
	len = (size_t)snprintf(buf, cap, "%s", head);
	for (i = 0; i < 10000; i++)
		len += (size_t)snprintf(buf + len, cap - len, "        - /srv/data/file-%05d\n", i);
	p = must_parse_len("t.yaml", buf, len, &ds);
	assert_int_equal(p->hooks[0].selectors[0].args[0].values.n, 10000);
	assert_string_equal(p->hooks[0].selectors[0].args[0].values.v[9999].s,
			    "/srv/data/file-09999");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	free(buf);
}

static void expect_only(const char *yaml, size_t len, const char *want)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;

	assert_int_equal(vigil_policy_parse("t.yaml", yaml, len, &p, &ds), -EINVAL);
	assert_null(p);
	text = format_all(&ds);
	assert_string_equal(text, want);
	free(text);
	vigil_diags_free(&ds);
}

static void test_larger_than_4_mib(void **state)
{
	size_t len = VIGIL_YAML_MAX_BYTES + 1;
	char *buf = malloc(len);

	(void)state;
	memset(buf, '#', len);
	expect_only(buf, len, "t.yaml: the file is larger than 4 MiB (4194305 bytes)");
	free(buf);
}

static void test_deeper_than_64(void **state)
{
	char buf[512];
	size_t len = 0;
	int i;

	(void)state;
	len += (size_t)snprintf(buf, sizeof(buf), "a: ");
	for (i = 0; i < 70; i++)
		buf[len++] = '[';
	for (i = 0; i < 70; i++)
		buf[len++] = ']';
	buf[len++] = '\n';
	/* the mapping is level 1, the 64th '[' level 65: column 4 + 63 */
	expect_only(buf, len, "t.yaml:1:67: the document nests deeper than 64 levels");
}

static void test_all_ok_when_no_hooks(void **state)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = must_parse(H "  options:\n"
					      "  - name: disable-kprobe-multi\n"
					      "    value: \"true\"\n"
					      "  - name: override-method\n"
					      "    value: override-return\n"
					      "  - name: policy-mode\n"
					      "    value: enforce\n",
					    &ds);

	(void)state;
	assert_true(p->mode_set);
	assert_int_equal(p->mode, VIGIL_MODE_ENFORCE);
	assert_int_equal(p->nhooks, 0);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_block_shell_exec),
		cmocka_unit_test(test_lsm_bprm_check),
		cmocka_unit_test(test_lsm_file_open_shadow),
		cmocka_unit_test(test_file_open_override_monitor),
		cmocka_unit_test(test_sys_write_pids),
		cmocka_unit_test(test_tcp_connect),
		cmocka_unit_test(test_tracepoint_openat),
		cmocka_unit_test(test_list_syscalls_expands),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_tracepoint_position_means_index),
		cmocka_unit_test(test_scalar_styles),
		cmocka_unit_test(test_null_and_inert_fields),
		cmocka_unit_test(test_hooks_in_kind_order),
		cmocka_unit_test(test_namespaced_policy),
		cmocka_unit_test(test_ignore_call_not_found),
		cmocka_unit_test(test_trailing_nul_is_dropped_with_a_warning),
		cmocka_unit_test(test_pattern_warning_does_not_fail),
		cmocka_unit_test(test_misspelt_operator_message),
		cmocka_unit_test(test_text_need_not_be_nul_terminated),
		cmocka_unit_test(test_ten_thousand_values),
		cmocka_unit_test(test_larger_than_4_mib),
		cmocka_unit_test(test_deeper_than_64),
		cmocka_unit_test(test_all_ok_when_no_hooks),
	};
	return run_case_table("policy_parse", cases, sizeof(cases) / sizeof(cases[0]), run_case,
			      fixed, sizeof(fixed) / sizeof(fixed[0]));
}
