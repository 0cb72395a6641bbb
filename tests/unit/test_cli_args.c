// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the CLI's command lines that need no vigild:
 *   - vigil getevents's flags made into its GetEventsRequest
 *     (cli/getevents_args.c), and the messages for bad flags;
 *   - vigil tp add --mode: policy-mode set in a policy's text
 *     (cli/yaml_mode.c), keeping the lines before the edit in place.
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

#include "cli.h"

/* --- getevents --------------------------------------------------------------- */

/* Run the parser on a NULL-terminated list; what it printed in out/err. */
static int parse(struct cli_getevents *g, char *out, char *err, ...)
{
	char *argv[32], *ob = NULL, *eb = NULL;
	size_t osz = 0, esz = 0;
	FILE *o = open_memstream(&ob, &osz), *e = open_memstream(&eb, &esz);
	va_list ap;
	int argc = 0, ret;

	argv[argc++] = (char *)"getevents";
	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	ret = cli_getevents_parse(argc, argv, g, o, e);
	fclose(o);
	fclose(e);
	snprintf(out, 4096, "%s", ob);
	snprintf(err, 4096, "%s", eb);
	free(ob);
	free(eb);
	return ret;
}

static void test_getevents_defaults(void **state)
{
	struct cli_getevents g;
	char out[4096], err[4096];

	(void)state;
	assert_int_equal(parse(&g, out, err, NULL), 0);
	assert_string_equal(g.address, CLI_DEFAULT_ADDRESS);
	assert_int_equal(g.output, CLI_OUT_JSON);
	/* no filter flag: no filter, every event */
	assert_int_equal(g.req->n_allow_list, 0);
	assert_int_equal(g.req->n_deny_list, 0);
	assert_string_equal(err, "");
	cli_getevents_free(&g);
}

static void test_getevents_filters(void **state)
{
	struct cli_getevents g;
	char out[4096], err[4096];
	const Tetragon__Filter *f;

	(void)state;
	assert_int_equal(parse(&g, out, err, "-o", "compact", "--event-types",
			       "PROCESS_EXEC,exit,process_kprobe", "--event-types", "lsm",
			       "--process", "^/usr/bin/(curl|wget)$", "--process", "sh,x",
			       "--namespace", "default,kube-system", "--pod", "web-.*",
			       "--policy-names", "a,b", "--pid", "1,42", "--pid", "4294967295",
			       "--server-address", "localhost:54321", NULL),
			 0);
	assert_int_equal(g.output, CLI_OUT_COMPACT);
	assert_string_equal(g.address, "localhost:54321");
	assert_int_equal(g.req->n_allow_list, 1);
	f = g.req->allow_list[0];
	assert_int_equal(f->n_event_set, 4);
	assert_int_equal(f->event_set[0], TETRAGON__EVENT_TYPE__PROCESS_EXEC);
	assert_int_equal(f->event_set[1], TETRAGON__EVENT_TYPE__PROCESS_EXIT);
	assert_int_equal(f->event_set[2], TETRAGON__EVENT_TYPE__PROCESS_KPROBE);
	assert_int_equal(f->event_set[3], TETRAGON__EVENT_TYPE__PROCESS_LSM);
	/* a regex is one flag's whole value: commas are its own */
	assert_int_equal(f->n_binary_regex, 2);
	assert_string_equal(f->binary_regex[0], "^/usr/bin/(curl|wget)$");
	assert_string_equal(f->binary_regex[1], "sh,x");
	assert_int_equal(f->n_namespace_, 2);
	assert_string_equal(f->namespace_[1], "kube-system");
	assert_int_equal(f->n_pod_regex, 1);
	assert_string_equal(f->pod_regex[0], "web-.*");
	assert_int_equal(f->n_policy_names, 2);
	assert_string_equal(f->policy_names[0], "a");
	assert_int_equal(f->n_pid, 3);
	assert_int_equal(f->pid[1], 42);
	assert_int_equal(f->pid[2], 4294967295u);
	/* the request packs (every part is owned by g) */
	assert_true(tetragon__get_events_request__get_packed_size(g.req) > 0);
	cli_getevents_free(&g);
}

static void test_getevents_bad_flags(void **state)
{
	struct cli_getevents g;
	char out[4096], err[4096];

	(void)state;
	assert_int_equal(parse(&g, out, err, "--event-types", "PROCESS_EXEC,bogus", NULL), -EINVAL);
	assert_non_null(
		strstr(err, "vigil getevents: --event-types: unknown event type \"bogus\""));
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--event-types", "UNDEF", NULL), -EINVAL);
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--pid", "12x", NULL), -EINVAL);
	assert_string_equal(err, "vigil getevents: --pid: \"12x\" is not a process id\n");
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--pid", "4294967296", NULL), -EINVAL);
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--pid", "-1", NULL), -EINVAL);
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--namespace", "a,,b", NULL), -EINVAL);
	assert_string_equal(err, "vigil getevents: --namespace: an empty item in the list\n");
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "-o", "yaml", NULL), -EINVAL);
	assert_string_equal(err, "vigil getevents: --output: \"yaml\" is neither json nor "
				 "compact\n");
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--bogus", NULL), -EINVAL);
	assert_string_equal(err, "vigil getevents: unknown option \"--bogus\" (see --help)\n");
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--pid", NULL), -EINVAL);
	assert_string_equal(err, "vigil getevents: option \"--pid\" needs a value (see --help)\n");
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "extra", NULL), -EINVAL);
	assert_string_equal(err, "vigil getevents: unexpected argument \"extra\"\n");
	cli_getevents_free(&g);
	/* control characters in a flag are escaped in the message */
	assert_int_equal(parse(&g, out, err, "--pid", "\x1b[31m", NULL), -EINVAL);
	assert_null(strchr(err, '\x1b'));
	cli_getevents_free(&g);
	assert_int_equal(parse(&g, out, err, "--server-address", "", NULL), -EINVAL);
	cli_getevents_free(&g);
}

static void test_getevents_help(void **state)
{
	struct cli_getevents g;
	char out[4096], err[4096];

	(void)state;
	assert_int_equal(parse(&g, out, err, "--help", NULL), 1);
	assert_non_null(strstr(out, "usage: vigil getevents"));
	assert_non_null(strstr(out, "--server-address"));
	assert_string_equal(err, "");
	cli_getevents_free(&g);
}

/* --- tp add --mode ---------------------------------------------------------------- */

static const char head[] = "apiVersion: cilium.io/v1alpha1\n"
			   "kind: TracingPolicy\n"
			   "metadata:\n"
			   "  name: \"p\"\n"
			   "spec:\n";

static const char hooks[] = "  kprobes:\n"
			    "  - call: \"security_bprm_check\"\n"
			    "    syscall: false\n";

/* set_mode(text) must give want. */
static void expect(const char *text, const char *mode, const char *want)
{
	char *out = NULL, err[256] = "";
	size_t len = 0;

	assert_int_equal(cli_yaml_set_mode(text, strlen(text), mode, &out, &len, err, sizeof(err)),
			 0);
	assert_string_equal(err, "");
	assert_int_equal(len, strlen(want));
	assert_string_equal(out, want);
	/* everything before the edit is the original's, line for line */
	free(out);
}

static void test_mode_added_at_the_end_of_spec(void **state)
{
	char text[1024], want[1024];

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head, hooks);
	snprintf(want, sizeof(want), "%s%s  options:\n  - name: policy-mode\n    value: monitor\n",
		 head, hooks);
	expect(text, "monitor", want);
	/* no newline at the end of the file */
	text[strlen(text) - 1] = 0;
	expect(text, "monitor", want);
	/* spec not last: what follows moves down, what comes before stays */
	snprintf(text, sizeof(text),
		 "apiVersion: cilium.io/v1alpha1\nspec:\n    lsmhooks:\n    - hook: file_open\n"
		 "kind: TracingPolicy\n");
	expect(text, "enforce",
	       "apiVersion: cilium.io/v1alpha1\nspec:\n    lsmhooks:\n    - hook: file_open\n"
	       "    options:\n    - name: policy-mode\n      value: enforce\nkind: "
	       "TracingPolicy\n");
}

static void test_mode_added_to_options(void **state)
{
	char text[1024], want[1024];

	(void)state;
	snprintf(text, sizeof(text),
		 "%s  options:\n    - name: \"disable-kprobe-multi\"\n      value: \"1\"\n%s", head,
		 hooks);
	snprintf(want, sizeof(want),
		 "%s  options:\n    - name: \"disable-kprobe-multi\"\n      value: \"1\"\n"
		 "    - name: policy-mode\n      value: monitor\n%s",
		 head, hooks);
	expect(text, "monitor", want);
}

static void test_mode_replaced_in_place(void **state)
{
	char text[1024], want[1024];

	(void)state;
	snprintf(text, sizeof(text),
		 "%s  options:\n  - name: policy-mode\n    value: \"enforce\" # was\n%s", head,
		 hooks);
	snprintf(want, sizeof(want),
		 "%s  options:\n  - name: policy-mode\n    value: monitor # was\n%s", head, hooks);
	expect(text, "monitor", want);
	/* value before name */
	snprintf(text, sizeof(text), "%s  options:\n  - value: monitor\n    name: policy-mode\n%s",
		 head, hooks);
	snprintf(want, sizeof(want), "%s  options:\n  - value: enforce\n    name: policy-mode\n%s",
		 head, hooks);
	expect(text, "enforce", want);
}

static void test_mode_refused(void **state)
{
	char text[1024], *out = (char *)"x", err[256];
	size_t len;

	(void)state;
	snprintf(text, sizeof(text), "%s  options: [{name: policy-mode, value: enforce}]\n", head);
	assert_int_equal(
		cli_yaml_set_mode(text, strlen(text), "monitor", &out, &len, err, sizeof(err)),
		-EINVAL);
	assert_null(out);
	assert_string_equal(err, "spec.options is not a block list; set policy-mode in the file");
	assert_int_equal(cli_yaml_set_mode("kind: TracingPolicy\n", 20, "monitor", &out, &len, err,
					   sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "the policy has no spec, or an empty one");
	assert_int_equal(
		cli_yaml_set_mode("- a\n- b\n", 8, "monitor", &out, &len, err, sizeof(err)),
		-EINVAL);
	assert_string_equal(err, "the policy is not a mapping");
	assert_int_equal(cli_yaml_set_mode("spec: {kprobes: []}\n", 20, "monitor", &out, &len, err,
					   sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "spec is not a block mapping");
	assert_int_equal(
		cli_yaml_set_mode("spec:\n  a: [\n", 13, "monitor", &out, &len, err, sizeof(err)),
		-EINVAL);
	assert_non_null(strstr(err, "line "));
	snprintf(text, sizeof(text), "%s  options:\n  - name: policy-mode\n%s", head, hooks);
	assert_int_equal(
		cli_yaml_set_mode(text, strlen(text), "monitor", &out, &len, err, sizeof(err)),
		-EINVAL);
	assert_string_equal(err, "spec.options: policy-mode has no value to set");
	assert_int_equal(
		cli_yaml_set_mode(text, strlen(text), "audit", &out, &len, err, sizeof(err)),
		-EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getevents_defaults),
		cmocka_unit_test(test_getevents_filters),
		cmocka_unit_test(test_getevents_bad_flags),
		cmocka_unit_test(test_getevents_help),
		cmocka_unit_test(test_mode_added_at_the_end_of_spec),
		cmocka_unit_test(test_mode_added_to_options),
		cmocka_unit_test(test_mode_replaced_in_place),
		cmocka_unit_test(test_mode_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
