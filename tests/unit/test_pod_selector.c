// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for spec.podSelector and spec.containerSelector: their
 * parsing (policy/parse.c), their checks (policy/pod_selector.c through
 * vigil_policy_validate()) and their matching:
 *   - a table of policies, each with every diagnostic parse and validate
 *     must give, formatted exactly (FILE:LINE:COL: PATH: MESSAGE);
 *   - selectors that must load, with their model checked;
 *   - a table of selectors against label sets (Kubernetes semantics);
 *   - which workloads a policy applies to (Tetragon's table).
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
#include "k8s_labels.h"
#include "parse.h"
#include "pod_selector.h"
#include "validate.h"

/* A valid top of a policy; the case's spec starts on line 6. */
#define H "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n"
#define HNS                                                                            \
	"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespaced\nmetadata:\n  " \
	"name: t\n  namespace: prod\nspec:\n"
/* A hook after the selectors, so that the validator has nothing to say of
 * the rest of the policy. */
#define K "  kprobes:\n  - call: sys_openat\n"

/* parse, then validate when parsing succeeded: 0 or -EINVAL. */
static int load(const char *yaml, struct vigil_policy **p, struct vigil_diags *ds)
{
	int rc = vigil_policy_parse("t.yaml", yaml, strlen(yaml), p, ds);

	if (rc == 0)
		rc = vigil_policy_validate(*p, NULL, ds);
	return rc;
}

static void run_case(void **state)
{
	const struct policy_case *c = *state;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;
	int rc;

	rc = load(c->yaml, &p, &ds);
	text = format_all(&ds);
	if (getenv("VIGIL_TEST_DUMP")) {
		printf("CASE\t%s\t%s\n", c->name, text);
	} else {
		assert_int_equal(rc, -EINVAL);
		assert_true(ds.nerrors >= 1);
		assert_string_equal(text, c->want);
	}
	free(text);
	vigil_policy_free(p);
	vigil_diags_free(&ds);
}

static const struct policy_case cases[] = {
	/* --- parse: YAML kinds, fields, operators --- */
	{ "pod_selector_a_list", H "  podSelector: [app]\n" K,
	  "t.yaml:6:16: spec.podSelector: expected a mapping, got a list" },
	{ "pod_selector_a_string", H "  podSelector: app=web\n" K,
	  "t.yaml:6:16: spec.podSelector: expected a mapping, got a string \"app=web\"" },
	{ "pod_selector_misspelt_field", H "  podSelector:\n    matchLabel: {app: web}\n" K,
	  "t.yaml:7:5: spec.podSelector: unknown field \"matchLabel\" (did you mean "
	  "\"matchLabels\"?)" },
	{ "pod_selector_unknown_field", H "  podSelector:\n    namespaces: [a]\n" K,
	  "t.yaml:7:5: spec.podSelector: unknown field \"namespaces\"" },
	{ "match_labels_a_list", H "  podSelector:\n    matchLabels: [app]\n" K,
	  "t.yaml:7:18: spec.podSelector.matchLabels: expected a mapping, got a list" },
	{ "match_labels_value_a_list", H "  podSelector:\n    matchLabels:\n      app: [web]\n" K,
	  "t.yaml:8:12: spec.podSelector.matchLabels.app: expected a string, got a list" },
	{ "match_labels_value_null", H "  podSelector:\n    matchLabels:\n      app:\n" K,
	  "t.yaml:8:11: spec.podSelector.matchLabels.app: expected a string, got null" },
	{ "match_expressions_a_map", H "  podSelector:\n    matchExpressions: {key: app}\n" K,
	  "t.yaml:7:23: spec.podSelector.matchExpressions: expected a list, got a mapping" },
	{ "match_expression_a_string", H "  podSelector:\n    matchExpressions: [app]\n" K,
	  "t.yaml:7:24: spec.podSelector.matchExpressions[0]: expected a mapping, got a string "
	  "\"app\"" },
	{ "operator_lower_case",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: in\n"
	    "      values: [web]\n" K,
	  "t.yaml:9:17: spec.podSelector.matchExpressions[0].operator: unknown operator \"in\" "
	  "(did you mean \"In\"?)" },
	{ "operator_misspelt",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: "
	    "DoesNotExists\n" K,
	  "t.yaml:9:17: spec.podSelector.matchExpressions[0].operator: unknown operator "
	  "\"DoesNotExists\" (did you mean \"DoesNotExist\"?)" },
	{ "operator_unknown",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: Equals\n"
	    "      values: [web]\n" K,
	  "t.yaml:9:17: spec.podSelector.matchExpressions[0].operator: unknown operator "
	  "\"Equals\": \"In\", \"NotIn\", \"Exists\" or \"DoesNotExist\"" },
	{ "operator_a_list",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: [In]\n" K,
	  "t.yaml:9:17: spec.podSelector.matchExpressions[0].operator: expected a string, got a "
	  "list" },
	{ "expression_missing_key_and_operator",
	  H "  podSelector:\n    matchExpressions:\n    - values: [web]\n" K,
	  "t.yaml:8:7: spec.podSelector.matchExpressions[0]: missing required field "
	  "\"key\"\nt.yaml:8:7: spec.podSelector.matchExpressions[0]: missing required field "
	  "\"operator\"" },
	{ "expression_unknown_field",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: Exists\n"
	    "      value: x\n" K,
	  "t.yaml:10:7: spec.podSelector.matchExpressions[0]: unknown field \"value\" (did you "
	  "mean \"values\"?)" },
	{ "values_a_string",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: In\n"
	    "      values: web\n" K,
	  "t.yaml:10:15: spec.podSelector.matchExpressions[0].values: expected a list, got a "
	  "string \"web\"" },
	{ "values_with_a_map",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: In\n"
	    "      values: [web, {a: b}]\n" K,
	  "t.yaml:10:21: spec.podSelector.matchExpressions[0].values[1]: expected a string, got "
	  "a mapping" },
	{ "container_selector_a_list", H "  containerSelector: []\n" K,
	  "t.yaml:6:22: spec.containerSelector: expected a mapping, got a list" },

	/* --- validate: values per operator --- */
	{ "in_without_values",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n"
	    "      operator: In\n" K,
	  "t.yaml:9:17: spec.podSelector.matchExpressions[0].operator: operator \"In\" needs at "
	  "least one value" },
	{ "not_in_with_empty_values",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: NotIn\n"
	    "      values: []\n" K,
	  "t.yaml:10:15: spec.podSelector.matchExpressions[0].values: operator \"NotIn\" needs "
	  "at least one value" },
	{ "exists_with_values",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: Exists\n"
	    "      values: [web]\n" K,
	  "t.yaml:10:15: spec.podSelector.matchExpressions[0].values: operator \"Exists\" takes "
	  "no values" },
	{ "does_not_exist_with_values",
	  H "  containerSelector:\n    matchExpressions:\n    - key: name\n"
	    "      operator: DoesNotExist\n      values:\n      - main\n" K,
	  "t.yaml:11:7: spec.containerSelector.matchExpressions[0].values: operator "
	  "\"DoesNotExist\" takes no values" },

	/* --- validate: label keys and values --- */
	{ "bad_key_in_expression",
	  H "  podSelector:\n    matchExpressions:\n    - key: -app\n      operator: Exists\n" K,
	  "t.yaml:8:12: spec.podSelector.matchExpressions[0].key: invalid label key \"-app\": "
	  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
	  "and end with an alphanumeric character" },
	{ "empty_key",
	  H "  podSelector:\n    matchExpressions:\n    - key: \"\"\n"
	    "      operator: DoesNotExist\n" K,
	  "t.yaml:8:12: spec.podSelector.matchExpressions[0].key: invalid label key \"\": name "
	  "part must be non-empty" },
	{ "bad_prefix_in_match_labels",
	  H "  podSelector:\n    matchLabels:\n      Example.com/app: web\n" K,
	  "t.yaml:8:7: spec.podSelector.matchLabels: invalid label key \"Example.com/app\": "
	  "prefix part must be a lowercase RFC 1123 subdomain" },
	{ "two_slashes", H "  podSelector:\n    matchLabels:\n      a/b/c: web\n" K,
	  "t.yaml:8:7: spec.podSelector.matchLabels: invalid label key \"a/b/c\": a qualified "
	  "name is [DNS subdomain/]name" },
	{ "name_part_too_long",
	  H "  podSelector:\n    matchLabels:\n      "
	    "example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x\n" K,
	  "t.yaml:8:7: spec.podSelector.matchLabels: invalid label key "
	  "\"example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...: name part "
	  "must be no more than 63 characters" },
	{ "bad_value_in_match_labels", H "  podSelector:\n    matchLabels:\n      app: we$b\n" K,
	  "t.yaml:8:12: spec.podSelector.matchLabels.app: invalid label value \"we$b\": must be "
	  "empty or must consist of alphanumeric characters, '-', '_' or '.', and must start and "
	  "end with an alphanumeric character" },
	{ "value_too_long",
	  H "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: In\n"
	    "      values:\n      - ok\n"
	    "      - aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" K,
	  "t.yaml:12:9: spec.podSelector.matchExpressions[0].values[1]: invalid label value "
	  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be no more "
	  "than 63 characters" },
	{ "namespace_label_not_for_containers",
	  H "  containerSelector:\n    matchLabels:\n      k8s:io.kubernetes.pod.namespace: x\n" K,
	  "t.yaml:8:7: spec.containerSelector.matchLabels: unknown container field "
	  "\"k8s:io.kubernetes.pod.namespace\": a containerSelector matches \"name\" and "
	  "\"repo\"" },

	/* --- validate: containerSelector fields --- */
	{ "container_field_image",
	  H "  containerSelector:\n    matchExpressions:\n    - key: image\n      operator: In\n"
	    "      values: [nginx]\n" K,
	  "t.yaml:8:12: spec.containerSelector.matchExpressions[0].key: unknown container field "
	  "\"image\": a containerSelector matches \"name\" and \"repo\"" },
	{ "container_field_misspelt",
	  H "  containerSelector:\n    matchLabels:\n      nmae: main\n" K,
	  "t.yaml:8:7: spec.containerSelector.matchLabels: unknown container field \"nmae\" (did "
	  "you mean \"name\"?)" },
	{ "container_repo_in_match_labels",
	  H "  containerSelector:\n    matchLabels:\n      repo: docker.io/library/nginx\n" K,
	  "t.yaml:8:13: spec.containerSelector.matchLabels.repo: invalid label value "
	  "\"docker.io/library/nginx\": must be empty or must consist of alphanumeric "
	  "characters, '-', '_' or '.', and must start and end with an alphanumeric character (a "
	  "repository with '/' can be matched with matchExpressions, operator In)" },
	{ "container_name_value",
	  H "  containerSelector:\n    matchExpressions:\n    - key: name\n      operator: NotIn\n"
	    "      values: [\"main app\"]\n" K,
	  "t.yaml:10:16: spec.containerSelector.matchExpressions[0].values[0]: invalid label "
	  "value \"main app\": must be empty or must consist of alphanumeric characters, '-', '_' "
	  "or '.', and must start and end with an alphanumeric character" },

	/* --- several at once, in document order --- */
	{ "several",
	  H "  containerSelector:\n    matchLabels:\n      tag: x\n"
	    "  podSelector:\n    matchExpressions:\n    - key: app\n      operator: In\n"
	    "    - key: tier\n      operator: Exists\n      values: [a]\n" K,
	  "t.yaml:8:7: spec.containerSelector.matchLabels: unknown container field \"tag\": a "
	  "containerSelector matches \"name\" and \"repo\"\nt.yaml:12:17: "
	  "spec.podSelector.matchExpressions[0].operator: operator \"In\" needs at least one "
	  "value\nt.yaml:15:15: spec.podSelector.matchExpressions[1].values: operator \"Exists\" "
	  "takes no values" },
};

/* --- selectors that load -------------------------------------------------- */

static struct vigil_policy *must_load(const char *yaml)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	char *text;
	int rc = load(yaml, &p, &ds);

	text = format_all(&ds);
	if (rc || ds.n)
		fail_msg("%s", text);
	free(text);
	vigil_diags_free(&ds);
	return p;
}

static void test_absent_and_null(void **state)
{
	struct vigil_policy *p = must_load(H "  podSelector: ~\n  containerSelector: null\n" K);

	(void)state;
	assert_false(p->pod_selector.present);
	assert_false(p->container_selector.present);
	assert_false(vigil_policy_workload_scoped(p));
	vigil_policy_free(p);
}

static void test_empty_selector_is_present(void **state)
{
	struct vigil_policy *p =
		must_load(H "  podSelector: {}\n  containerSelector:\n    matchLabels: {}\n"
			    "    matchExpressions: []\n" K);

	(void)state;
	assert_true(p->pod_selector.present);
	assert_int_equal(p->pod_selector.nlabels, 0);
	assert_int_equal(p->pod_selector.nexprs, 0);
	assert_int_equal(p->pod_selector.pos.line, 6);
	assert_int_equal(p->pod_selector.pos.col, 16);
	assert_true(p->container_selector.present);
	assert_int_equal(p->container_selector.pos.line, 8);
	assert_true(vigil_policy_workload_scoped(p));
	vigil_policy_free(p);
}

static void test_model(void **state)
{
	struct vigil_policy *p = must_load(H "  podSelector:\n"
					     "    matchLabels:\n"
					     "      app.kubernetes.io/name: web\n"
					     "      tier: \"\"\n"
					     "    matchExpressions:\n"
					     "    - key: k8s:io.kubernetes.pod.namespace\n"
					     "      operator: NotIn\n"
					     "      values: [kube-system, kube-public]\n"
					     "    - {key: canary, operator: DoesNotExist}\n"
					     "    - key: release\n"
					     "      operator: Exists\n"
					     "      values: []\n"
					     "  containerSelector:\n"
					     "    matchExpressions:\n"
					     "    - key: repo\n"
					     "      operator: In\n"
					     "      values: [docker.io/library/nginx, \"\"]\n"
					     "    - key: name\n"
					     "      operator: In\n"
					     "      values: [main]\n" K);
	const struct vigil_label_selector_spec *s = &p->pod_selector;

	(void)state;
	assert_int_equal(s->nlabels, 2);
	assert_string_equal(s->labels[0].key, "app.kubernetes.io/name");
	assert_string_equal(s->labels[0].value, "web");
	assert_int_equal(s->labels[0].pos.line, 8);
	assert_int_equal(s->labels[0].pos.col, 7);
	assert_int_equal(s->labels[0].value_pos.col, 31);
	assert_string_equal(s->labels[1].key, "tier");
	assert_string_equal(s->labels[1].value, "");
	assert_int_equal(s->nexprs, 3);
	assert_string_equal(s->exprs[0].key, VIGIL_POD_NAMESPACE_LABEL);
	assert_int_equal(s->exprs[0].op, VIGIL_LABEL_NOT_IN);
	assert_int_equal(s->exprs[0].values.n, 2);
	assert_string_equal(s->exprs[0].values.v[1].s, "kube-public");
	assert_int_equal(s->exprs[0].op_pos.line, 12);
	assert_int_equal(s->exprs[0].op_pos.col, 17);
	assert_int_equal(s->exprs[1].op, VIGIL_LABEL_DOES_NOT_EXIST);
	assert_false(s->exprs[1].has_values);
	assert_int_equal(s->exprs[2].op, VIGIL_LABEL_EXISTS);
	assert_true(s->exprs[2].has_values);
	assert_int_equal(s->exprs[2].values.n, 0);
	s = &p->container_selector;
	assert_int_equal(s->nexprs, 2);
	assert_string_equal(s->exprs[0].values.v[0].s, "docker.io/library/nginx");
	assert_string_equal(s->exprs[0].values.v[1].s, "");
	vigil_policy_free(p);
}

/* The Tetragon documentation's examples load as written. */
static void test_tetragon_examples(void **state)
{
	static const char *const docs[] = {
		H "  podSelector:\n    matchLabels:\n      app: \"lseek-test\"\n" K,
		H "  containerSelector:\n    matchExpressions:\n      - key: name\n"
		  "        operator: In\n        values:\n        - main\n" K,
		H "  podSelector:\n    matchExpressions:\n"
		  "    - key: \"k8s:io.kubernetes.pod.namespace\"\n      operator: In\n"
		  "      values:\n      - \"kube-system\"\n" K,
		HNS "  podSelector:\n    matchLabels:\n      app: web\n" K,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		vigil_policy_free(must_load(docs[i]));
}

/* --- matching ------------------------------------------------------------- */

/* A label set written "k=v,k2=v2" ("k=" is the empty value; "" none). */
struct lset {
	char buf[256];
	const char *k[8], *v[8];
	size_t n;
};

static void lset_init(struct lset *l, const char *text)
{
	char *save = NULL, *tok, *eq;

	memset(l, 0, sizeof(*l));
	snprintf(l->buf, sizeof(l->buf), "%s", text);
	for (tok = strtok_r(l->buf, ",", &save); tok && l->n < 8;
	     tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = '\0';
		l->k[l->n] = tok;
		l->v[l->n++] = eq + 1;
	}
}

static const char *lset_get(void *arg, const char *key)
{
	const struct lset *l = arg;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->k[i], key) == 0)
			return l->v[i];
	return NULL;
}

static void test_match_table(void **state)
{
	static const struct {
		const char *sel;    /* the podSelector's body (after "podSelector:") */
		const char *labels; /* the pod's */
		bool want;
	} t[] = {
		{ " {}", "", true },
		{ " {}", "app=web", true },
		{ "\n    matchLabels: {app: web}", "app=web", true },
		{ "\n    matchLabels: {app: web}", "app=web,tier=back", true },
		{ "\n    matchLabels: {app: web}", "app=db", false },
		{ "\n    matchLabels: {app: web}", "", false },
		{ "\n    matchLabels: {app: web}", "App=web", false },
		{ "\n    matchLabels: {app: \"\"}", "app=", true },
		{ "\n    matchLabels: {app: \"\"}", "", false },
		{ "\n    matchLabels: {app: web, tier: back}", "app=web", false },
		{ "\n    matchLabels: {app: web, tier: back}", "tier=back,app=web", true },
		{ "\n    matchExpressions: [{key: app, operator: In, values: [web, db]}]", "app=db",
		  true },
		{ "\n    matchExpressions: [{key: app, operator: In, values: [web, db]}]",
		  "app=web", true },
		{ "\n    matchExpressions: [{key: app, operator: In, values: [web, db]}]",
		  "app=cache", false },
		{ "\n    matchExpressions: [{key: app, operator: In, values: [web, db]}]", "",
		  false },
		{ "\n    matchExpressions: [{key: app, operator: NotIn, values: [web]}]", "app=db",
		  true },
		{ "\n    matchExpressions: [{key: app, operator: NotIn, values: [web]}]", "app=web",
		  false },
		/* NotIn and DoesNotExist hold for a pod without the key */
		{ "\n    matchExpressions: [{key: app, operator: NotIn, values: [web]}]", "",
		  true },
		{ "\n    matchExpressions: [{key: app, operator: Exists}]", "app=", true },
		{ "\n    matchExpressions: [{key: app, operator: Exists}]", "tier=web", false },
		{ "\n    matchExpressions: [{key: app, operator: DoesNotExist}]", "tier=web",
		  true },
		{ "\n    matchExpressions: [{key: app, operator: DoesNotExist}]", "app=", false },
		/* everything is ANDed */
		{ "\n    matchLabels: {tier: front}\n    matchExpressions:\n"
		  "    - {key: app, operator: In, values: [web]}\n"
		  "    - {key: canary, operator: DoesNotExist}",
		  "tier=front,app=web", true },
		{ "\n    matchLabels: {tier: front}\n    matchExpressions:\n"
		  "    - {key: app, operator: In, values: [web]}\n"
		  "    - {key: canary, operator: DoesNotExist}",
		  "tier=front,app=web,canary=yes", false },
		{ "\n    matchLabels: {tier: front}\n    matchExpressions:\n"
		  "    - {key: app, operator: In, values: [web]}",
		  "tier=back,app=web", false },
		/* values compare exactly */
		{ "\n    matchExpressions: [{key: app, operator: In, values: [web]}]", "app=Web",
		  false },
		{ "\n    matchExpressions: [{key: app, operator: In, values: [web]}]", "app=web1",
		  false },
	};
	char yaml[1024];
	struct lset l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vigil_policy *p;

		snprintf(yaml, sizeof(yaml), H "  podSelector:%s\n" K, t[i].sel);
		p = must_load(yaml);
		lset_init(&l, t[i].labels);
		if (vigil_label_selector_spec_match(&p->pod_selector, lset_get, &l) != t[i].want)
			fail_msg("case %zu: podSelector:%s on {%s}: want %s", i, t[i].sel,
				 t[i].labels, t[i].want ? "match" : "no match");
		assert_int_equal(vigil_policy_selects_pod(p, "default", lset_get, &l), t[i].want);
		vigil_policy_free(p);
	}
}

/* An absent selector holds for everything, even for an empty getter. */
static void test_absent_selector_matches(void **state)
{
	struct vigil_label_selector_spec none = { 0 };
	struct lset l;

	(void)state;
	lset_init(&l, "");
	assert_true(vigil_label_selector_spec_match(&none, lset_get, &l));
}

/* A pod's labels as vigil_pod_label() answers them: the namespace label
 * reads the namespace. */
struct nspod {
	struct lset l;
	const char *ns;
};

static const char *nspod_get(void *arg, const char *key)
{
	struct nspod *p = arg;
	const char *v = lset_get(&p->l, key);

	if (!v && strcmp(key, VIGIL_POD_NAMESPACE_LABEL) == 0)
		return p->ns;
	return v;
}

static void test_namespace_label(void **state)
{
	struct vigil_policy *p = must_load(H "  podSelector:\n    matchExpressions:\n"
					     "    - key: k8s:io.kubernetes.pod.namespace\n"
					     "      operator: In\n      values: [kube-system]\n" K);
	struct nspod a = { .ns = "kube-system" }, b = { .ns = "default" };

	(void)state;
	lset_init(&a.l, "k8s-app=kube-dns");
	lset_init(&b.l, "k8s-app=kube-dns");
	assert_true(vigil_policy_selects_pod(p, a.ns, nspod_get, &a));
	assert_false(vigil_policy_selects_pod(p, b.ns, nspod_get, &b));
	vigil_policy_free(p);
}

/* A TracingPolicyNamespaced applies to its namespace's pods only, with or
 * without a podSelector. */
static void test_namespaced_policy(void **state)
{
	struct vigil_policy *p = must_load(HNS K);
	struct vigil_policy *q = must_load(HNS "  podSelector:\n    matchLabels: {app: web}\n" K);
	struct lset web;

	(void)state;
	lset_init(&web, "app=web");
	assert_true(vigil_policy_workload_scoped(p));
	assert_true(vigil_policy_selects_pod(p, "prod", lset_get, &web));
	assert_false(vigil_policy_selects_pod(p, "dev", lset_get, &web));
	assert_false(vigil_policy_selects_pod(p, NULL, lset_get, &web));
	assert_true(vigil_policy_selects_pod(q, "prod", lset_get, &web));
	lset_init(&web, "app=db");
	assert_false(vigil_policy_selects_pod(q, "prod", lset_get, &web));
	vigil_policy_free(p);
	vigil_policy_free(q);
}

/* Tetragon's table: a podSelector alone selects every container of the
 * pods it selects, a containerSelector alone those containers in every
 * pod; neither: every process. */
static void test_workload_table(void **state)
{
	struct vigil_policy *none = must_load(H K);
	struct vigil_policy *pods = must_load(H "  podSelector: {matchLabels: {app: web}}\n" K);
	struct vigil_policy *ctrs = must_load(H "  containerSelector:\n    matchExpressions:\n"
						"    - {key: name, operator: In, values: [main]}\n"
						"    - {key: repo, operator: NotIn, "
						"values: [docker.io/library/busybox]}\n" K);
	struct lset web, db, main_nginx, side, main_busybox;

	(void)state;
	lset_init(&web, "app=web");
	lset_init(&db, "app=db");
	lset_init(&main_nginx, "name=main,repo=docker.io/library/nginx");
	lset_init(&main_busybox, "name=main,repo=docker.io/library/busybox");
	lset_init(&side, "name=sidecar,repo=docker.io/library/nginx");

	assert_false(vigil_policy_workload_scoped(none));
	assert_true(vigil_policy_selects_pod(none, "default", lset_get, &db));
	assert_true(vigil_policy_selects_container(none, lset_get, &side));

	assert_true(vigil_policy_workload_scoped(pods));
	assert_true(vigil_policy_selects_pod(pods, "default", lset_get, &web));
	assert_false(vigil_policy_selects_pod(pods, "default", lset_get, &db));
	assert_true(vigil_policy_selects_container(pods, lset_get, &side));

	assert_true(vigil_policy_workload_scoped(ctrs));
	assert_true(vigil_policy_selects_pod(ctrs, "default", lset_get, &db));
	assert_true(vigil_policy_selects_container(ctrs, lset_get, &main_nginx));
	assert_false(vigil_policy_selects_container(ctrs, lset_get, &main_busybox));
	assert_false(vigil_policy_selects_container(ctrs, lset_get, &side));
	vigil_policy_free(none);
	vigil_policy_free(pods);
	vigil_policy_free(ctrs);
}

/* --- the shared label rules ----------------------------------------------- */

static void test_label_rules(void **state)
{
	static const char *const good_keys[] = {
		"app",
		"a",
		"app.kubernetes.io/name",
		"A_b.c-D",
		"example.com/X",
		"a-b.c/d",
		/* 253-character prefix */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/n",
	};
	static const char *const bad_keys[] = {
		"",
		"-a",
		"a-",
		"/a",
		"a/",
		"a/b/c",
		"A.com/a",
		"a..b/c",
		"-a.b/c",
		"a b",
		"ä",
		/* 254-character prefix */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/n",
	};
	static const char *const good_values[] = { "", "a", "A-b_c.d", "1",
						   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
						   "aaaaaaaaaaaaaaaaa" };
	static const char *const bad_values[] = { "-",
						  "a-",
						  ".a",
						  "a/b",
						  "a b",
						  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
						  "aaaaaaaaaaaaaaaaaa" };
	size_t i;

	(void)state;
	assert_int_equal(strlen(good_keys[6]), 255);
	for (i = 0; i < sizeof(good_keys) / sizeof(good_keys[0]); i++)
		if (vigil_label_key_problem(good_keys[i], strlen(good_keys[i])))
			fail_msg("key %s refused", good_keys[i]);
	for (i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++)
		if (!vigil_label_key_problem(bad_keys[i], strlen(bad_keys[i])))
			fail_msg("key %s accepted", bad_keys[i]);
	for (i = 0; i < sizeof(good_values) / sizeof(good_values[0]); i++)
		assert_null(vigil_label_value_problem(good_values[i], strlen(good_values[i])));
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		assert_non_null(vigil_label_value_problem(bad_values[i], strlen(bad_values[i])));
	/* slices: the length decides, not a NUL */
	assert_null(vigil_label_key_problem("app=web", 3));
	assert_null(vigil_label_value_problem("web$", 3));
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_absent_and_null),
		cmocka_unit_test(test_empty_selector_is_present),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_tetragon_examples),
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_absent_selector_matches),
		cmocka_unit_test(test_namespace_label),
		cmocka_unit_test(test_namespaced_policy),
		cmocka_unit_test(test_workload_table),
		cmocka_unit_test(test_label_rules),
	};

	return run_case_table("pod_selector", cases, sizeof(cases) / sizeof(cases[0]), run_case,
			      fixed, sizeof(fixed) / sizeof(fixed[0]));
}
