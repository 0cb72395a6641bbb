// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/k8s_policy.c (a TracingPolicy resource as the
 * loader's text, diagnostics without positions, Events) and
 * agent/k8s_config.c (kubeconfig and in-cluster configuration, tokens).
 * The CRD -> model conversion is checked end to end: the text made from a
 * resource goes through the real parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "diag.h"
#include "k8s_config.h"
#include "k8s_policy.h"
#include "model.h"
#include "parse.h"

static struct json_object *parse(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	assert_non_null(o);
	return o;
}

/* As the API server returns it: metadata noise, status, the last-applied
 * annotation. */
static const char *const block_shell =
	"{\"apiVersion\":\"cilium.io/v1alpha1\",\"kind\":\"TracingPolicy\","
	"\"metadata\":{\"name\":\"block-shell\",\"uid\":\"u-1\",\"resourceVersion\":\"42\","
	"\"generation\":1,\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":"
	"\"{}\"},\"managedFields\":[{\"manager\":\"kubectl\"}]},"
	"\"spec\":{\"kprobes\":[{\"call\":\"security_bprm_check\",\"syscall\":false,"
	"\"args\":[{\"index\":0,\"type\":\"linux_binprm\"}],\"selectors\":[{\"matchArgs\":"
	"[{\"index\":0,\"operator\":\"Equal\",\"values\":[\"/bin/sh\",\"/usr/bin/a/b\"]}],"
	"\"matchActions\":[{\"action\":\"Sigkill\"}]}]}]},\"status\":{\"state\":\"x\"}}";

static void test_resource_becomes_the_policy(void **state)
{
	struct json_object *o = parse(block_shell);
	struct vigil_k8s_resource r;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char why[256];

	(void)state;
	assert_int_equal(vigil_k8s_policy_text("TracingPolicy", o, &r, why, sizeof(why)), 0);
	assert_string_equal(r.label, "tracingpolicy/block-shell");
	assert_string_equal(r.uid, "u-1");
	assert_string_equal(r.rv, "42");
	assert_string_equal(r.ns, "");
	/* only the policy: no status, no annotations, no slash escapes */
	assert_null(strstr(r.text, "status"));
	assert_null(strstr(r.text, "managedFields"));
	assert_null(strstr(r.text, "last-applied"));
	assert_non_null(strstr(r.text, "\"/usr/bin/a/b\""));
	assert_int_equal(vigil_policy_parse(r.label, r.text, r.len, &p, &ds), 0);
	assert_int_equal(ds.nerrors, 0);
	assert_string_equal(p->name, "block-shell");
	assert_int_equal(p->kind, VIGIL_KIND_TRACING_POLICY);
	assert_int_equal(p->nhooks, 1);
	assert_string_equal(p->hooks[0].call, "security_bprm_check");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	vigil_k8s_resource_fini(&r);
	json_object_put(o);
}

static void test_namespaced_resource(void **state)
{
	struct json_object *o = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"team-a\"},"
				      "\"spec\":{\"kprobes\":[]}}");
	struct vigil_k8s_resource r;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char why[256];

	(void)state;
	/* a list's items carry no kind: the watch's kind is used */
	assert_int_equal(vigil_k8s_policy_text("TracingPolicyNamespaced", o, &r, why, sizeof(why)),
			 0);
	assert_string_equal(r.label, "tracingpolicynamespaced/team-a/p");
	assert_string_equal(r.ns, "team-a");
	assert_int_equal(vigil_policy_parse(r.label, r.text, r.len, &p, &ds), 0);
	assert_int_equal(p->kind, VIGIL_KIND_TRACING_POLICY_NS);
	assert_string_equal(p->namespace_, "team-a");
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	vigil_k8s_resource_fini(&r);
	json_object_put(o);
}

static void test_bad_resources(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"metadata\":7}",
		"{\"metadata\":{}}",
		"{\"metadata\":{\"name\":\"\"}}",
		"{\"metadata\":{\"name\":7}}",
	};
	struct vigil_k8s_resource r;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_object *o = parse(bad[i]);

		assert_int_equal(vigil_k8s_policy_text("TracingPolicy", o, &r, why, sizeof(why)),
				 -EINVAL);
		json_object_put(o);
	}
	/* a namespaced one needs its namespace */
	{
		struct json_object *o = parse("{\"metadata\":{\"name\":\"x\"}}");

		assert_int_equal(
			vigil_k8s_policy_text("TracingPolicyNamespaced", o, &r, why, sizeof(why)),
			-EINVAL);
		assert_non_null(strstr(why, "metadata.namespace"));
		json_object_put(o);
	}
}

/* A bad operator: the field path survives, the line:column of the made
 * text does not. */
static void test_errors_name_the_field_not_the_line(void **state)
{
	struct json_object *o =
		parse("{\"metadata\":{\"name\":\"bad\"},\"spec\":{\"kprobes\":[{\"call\":\"x\","
		      "\"selectors\":[{\"matchArgs\":[{\"index\":0,\"operator\":\"Foo\"}]}]}]}}");
	struct vigil_k8s_resource r;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char why[256], errs[2048] = "";
	size_t i, at = 0;

	(void)state;
	assert_int_equal(vigil_k8s_policy_text("TracingPolicy", o, &r, why, sizeof(why)), 0);
	assert_int_not_equal(vigil_policy_parse(r.label, r.text, r.len, &p, &ds), 0);
	for (i = 0; i < ds.n; i++) {
		at += (size_t)vigil_diag_format(&ds.d[i], errs + at, sizeof(errs) - at);
		at += (size_t)snprintf(errs + at, sizeof(errs) - at, "\n");
	}
	assert_non_null(strstr(errs, "tracingpolicy/bad:"));
	vigil_k8s_strip_positions(r.label, errs);
	assert_non_null(strstr(errs, "tracingpolicy/bad: spec.kprobes[0].selectors[0]."
				     "matchArgs[0].operator: "));
	assert_null(strstr(errs, "tracingpolicy/bad:1"));
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	vigil_k8s_resource_fini(&r);
	json_object_put(o);
}

static void test_strip_positions(void **state)
{
	char s[] = "tp/x:12:5: spec.a: bad\n"
		   "tp/x: spec.b: no position\n"
		   "tp/x:3: not two numbers\n"
		   "other:1:2: untouched\n"
		   "tp/x:7:1: warning: spec.c: w";

	(void)state;
	vigil_k8s_strip_positions("tp/x", s);
	assert_string_equal(s, "tp/x: spec.a: bad\n"
			       "tp/x: spec.b: no position\n"
			       "tp/x:3: not two numbers\n"
			       "other:1:2: untouched\n"
			       "tp/x: warning: spec.c: w");
}

static void test_event_json(void **state)
{
	struct vigil_k8s_resource r = {
		.kind = "TracingPolicy", .name = "block-shell", .uid = "u-1", .rv = "42"
	};
	char msg[2000];
	const char *ns;
	struct json_object *ev, *v, *io;
	char *s;

	(void)state;
	memset(msg, 'a', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = 0;
	msg[1023] = (char)0xc3; /* a two-byte character across the cap */
	msg[1024] = (char)0xa9;
	s = vigil_k8s_event_json(&r, "Warning", "PolicyLoadFailed", msg, "node1",
				 "2026-11-22T10:00:00Z", 0xabc, &ns);
	assert_non_null(s);
	assert_string_equal(ns, "default");
	ev = parse(s);
	assert_true(json_object_object_get_ex(ev, "involvedObject", &io));
	assert_true(json_object_object_get_ex(io, "uid", &v));
	assert_string_equal(json_object_get_string(v), "u-1");
	assert_true(json_object_object_get_ex(io, "kind", &v));
	assert_string_equal(json_object_get_string(v), "TracingPolicy");
	assert_false(json_object_object_get_ex(io, "namespace", &v));
	assert_true(json_object_object_get_ex(ev, "message", &v));
	/* capped at a character boundary */
	assert_int_equal(strlen(json_object_get_string(v)), 1023);
	assert_true(json_object_object_get_ex(ev, "metadata", &v));
	assert_true(json_object_object_get_ex(v, "name", &v));
	assert_string_equal(json_object_get_string(v), "block-shell.abc");
	json_object_put(ev);
	free(s);

	snprintf(r.ns, sizeof(r.ns), "team-a");
	r.kind = "TracingPolicyNamespaced";
	s = vigil_k8s_event_json(&r, "Normal", "PolicyLoaded", "ok", "n", "t", 1, &ns);
	assert_string_equal(ns, "team-a");
	ev = parse(s);
	assert_true(json_object_object_get_ex(ev, "involvedObject", &io));
	assert_true(json_object_object_get_ex(io, "namespace", &v));
	assert_string_equal(json_object_get_string(v), "team-a");
	json_object_put(ev);
	free(s);
}

/* --- configuration ---------------------------------------------------- */

static const char *const kubeconfig = "apiVersion: v1\n"
				      "kind: Config\n"
				      "current-context: emu\n"
				      "contexts:\n"
				      "- name: other\n"
				      "  context: {cluster: nope, user: nope}\n"
				      "- name: emu\n"
				      "  context:\n"
				      "    cluster: c1\n"
				      "    user: u1\n"
				      "clusters:\n"
				      "- name: c1\n"
				      "  cluster:\n"
				      "    server: https://127.0.0.1:6443/\n"
				      "    certificate-authority: certs/ca.crt\n"
				      "    certificate-authority-data: aGVsbG8=\n"
				      "users:\n"
				      "- name: u1\n"
				      "  user:\n"
				      "    tokenFile: /run/token\n"
				      "    client-key-data: YWI=\n";

static void test_kubeconfig(void **state)
{
	struct vigil_k8s_config c;
	char why[256];

	(void)state;
	assert_int_equal(vigil_k8s_config_parse("kc", "/etc/k", kubeconfig, strlen(kubeconfig), &c,
						why, sizeof(why)),
			 0);
	assert_string_equal(c.server, "https://127.0.0.1:6443");
	assert_string_equal(c.ca_file, "/etc/k/certs/ca.crt");
	assert_int_equal(c.ca_pem_len, 5);
	assert_memory_equal(c.ca_pem, "hello", 5);
	assert_int_equal(c.key_pem_len, 2);
	assert_string_equal(c.token_file, "/run/token");
	assert_null(c.token);
	assert_false(c.insecure);
	vigil_k8s_config_free(&c);
}

static void test_bad_kubeconfigs(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "[1]", "kc:1:1: not a kubeconfig" },
		{ "contexts: []", "no current-context" },
		{ "current-context: x\ncontexts: []", "no entry named \"x\" in contexts" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
		  "clusters:\n- name: c\n  cluster: {server: 'http://a'}\n",
		  "kc:7:21: the cluster's server must be an https:// URL" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
		  "clusters:\n- name: c\n  cluster: {server: 'https://a'}\n"
		  "users:\n- name: u\n  user:\n    exec: {command: aws}\n",
		  "kc:11:11: user credentials by exec are not supported" },
		{ "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
		  "clusters:\n- name: c\n  cluster: {server: 'https://a', "
		  "certificate-authority-data: 'abc'}\n",
		  "is not base64" },
		{ "a: [", "kc:2:1: YAML syntax error" },
	};
	struct vigil_k8s_config c;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_not_equal(vigil_k8s_config_parse("kc", ".", cases[i].text,
							    strlen(cases[i].text), &c, why,
							    sizeof(why)),
				     0);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why, cases[i].why);
	}
}

static void test_in_cluster_and_token_rotation(void **state)
{
	char dir[] = "/tmp/vigil-sa.XXXXXX", path[128], tok[64], why[256];
	struct vigil_k8s_config c;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	unsetenv("KUBERNETES_SERVICE_HOST");
	assert_int_equal(vigil_k8s_config_in_cluster(dir, &c, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "--kubeconfig"));
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	/* no token file yet */
	assert_int_equal(vigil_k8s_config_in_cluster(dir, &c, why, sizeof(why)), -ENOENT);
	snprintf(path, sizeof(path), "%s/token", dir);
	f = fopen(path, "w");
	fputs("first\n", f);
	fclose(f);
	assert_int_equal(vigil_k8s_config_in_cluster(dir, &c, why, sizeof(why)), 0);
	assert_string_equal(c.server, "https://[fd00::1]:443");
	assert_int_equal(vigil_k8s_token(&c, tok, sizeof(tok), why, sizeof(why)), 0);
	assert_string_equal(tok, "first");
	/* rotated: the next request reads the new one */
	f = fopen(path, "w");
	fputs("second", f);
	fclose(f);
	assert_int_equal(vigil_k8s_token(&c, tok, sizeof(tok), why, sizeof(why)), 0);
	assert_string_equal(tok, "second");
	/* two lines is not a token */
	f = fopen(path, "w");
	fputs("a\nb\n", f);
	fclose(f);
	assert_int_equal(vigil_k8s_token(&c, tok, sizeof(tok), why, sizeof(why)), -EINVAL);
	unlink(path);
	assert_int_equal(vigil_k8s_token(&c, tok, sizeof(tok), why, sizeof(why)), -ENOENT);
	vigil_k8s_config_free(&c);
	setenv("KUBERNETES_SERVICE_PORT", "44x", 1);
	assert_int_equal(vigil_k8s_config_in_cluster(dir, &c, why, sizeof(why)), -EINVAL);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resource_becomes_the_policy),
		cmocka_unit_test(test_namespaced_resource),
		cmocka_unit_test(test_bad_resources),
		cmocka_unit_test(test_errors_name_the_field_not_the_line),
		cmocka_unit_test(test_strip_positions),
		cmocka_unit_test(test_event_json),
		cmocka_unit_test(test_kubeconfig),
		cmocka_unit_test(test_bad_kubeconfigs),
		cmocka_unit_test(test_in_cluster_and_token_rotation),
	};

	return cmocka_run_group_tests_name("k8s_policy", tests, NULL, NULL);
}
