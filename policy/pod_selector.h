/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pod_selector.h - spec.podSelector and spec.containerSelector of a
 * TracingPolicy: their checks (called by the validator) and the pure
 * matching that decides which pods and containers a policy applies to.
 * The parser (parse.c) reads them into struct vigil_label_selector_spec
 * (model.h).
 *
 * Matching follows Tetragon (pkg/labels, pkg/policyfilter, pkg/sensors):
 *   - requirements are ANDed; matchLabels k: v is k In [v]; NotIn and
 *     DoesNotExist hold for a pod without the key;
 *   - a selector written as {} (or with no requirement) selects every pod
 *     (container);
 *   - a pod's labels carry one more, VIGIL_POD_NAMESPACE_LABEL, whose
 *     value is the pod's namespace: a cluster-wide policy selects
 *     namespaces with it;
 *   - a container is matched on two fields read like labels: "name" (its
 *     name) and "repo" (its image id up to the '@' of the digest, "" when
 *     the id has no single '@');
 *   - which workloads a policy applies to at all:
 *
 *       podSelector  containerSelector  kind        applies to
 *       absent       absent             cluster     every process, host too
 *       any one of them written         cluster     containers of the pods
 *                                                   both select (an absent
 *                                                   one selects all); no host
 *                                                   process
 *       either, or both absent          Namespaced  the same, in the
 *                                                   policy's namespace only
 *
 *     hostSelector is refused by the parser, so "host too" only ever
 *     comes with no selector.
 *
 * Checked, beyond the CRD's schema (which the parser applies):
 *   - podSelector keys are label keys (k8s_labels.h), or
 *     VIGIL_POD_NAMESPACE_LABEL; containerSelector keys are "name" or
 *     "repo" (Tetragon matches nothing else: any other key never matches,
 *     or always does);
 *   - matchLabels values are label values (the CRD's pattern);
 *     matchExpressions values are label values too, except for "repo",
 *     whose values are image repositories ("docker.io/library/nginx");
 *   - In and NotIn have at least one value, Exists and DoesNotExist none
 *     (Kubernetes' rule, which the CRD states but does not enforce: In
 *     with no value would select nothing).
 */
#ifndef VIGIL_POLICY_POD_SELECTOR_H
#define VIGIL_POLICY_POD_SELECTOR_H

#include <stdbool.h>

#include "diag.h"
#include "k8s_labels.h"
#include "model.h"

/* The label Tetragon adds to every pod's labels: its namespace. */
#define VIGIL_POD_NAMESPACE_LABEL "k8s:io.kubernetes.pod.namespace"

/* The fields a containerSelector matches. */
#define VIGIL_CONTAINER_FIELD_NAME "name"
#define VIGIL_CONTAINER_FIELD_REPO "repo"

enum vigil_selector_target {
	VIGIL_SELECT_PODS = 0,	 /* spec.podSelector */
	VIGIL_SELECT_CONTAINERS, /* spec.containerSelector */
};

/* Check sel (as parsed) for target.  Diagnostics name file and start
 * their field path with path ("spec.podSelector").  Returns 0, or -EINVAL
 * after adding at least one error to ds.  An absent selector is fine. */
int vigil_label_selector_spec_check(const struct vigil_label_selector_spec *sel,
				    enum vigil_selector_target target, const char *file,
				    const char *path, struct vigil_diags *ds);

/* Whether every requirement of sel holds for the label set get() reads.
 * An absent selector holds for everything (see the table above for what
 * absent means to a policy). */
bool vigil_label_selector_spec_match(const struct vigil_label_selector_spec *sel,
				     vigil_label_get_fn get, void *arg);

/* Whether p applies only to processes of pods (the last two rows of the
 * table above); false: it applies to every process. */
bool vigil_policy_workload_scoped(const struct vigil_policy *p);

/* Whether p applies to a pod of namespace ns whose labels get() reads (get
 * must answer VIGIL_POD_NAMESPACE_LABEL with ns, as vigil_pod_label() in
 * agent/k8s_pod.h does): its namespace for a TracingPolicyNamespaced, and
 * its podSelector.  True for every pod when p is not workload-scoped. */
bool vigil_policy_selects_pod(const struct vigil_policy *p, const char *ns, vigil_label_get_fn get,
			      void *arg);

/* Whether p applies to a container of a pod it selects, whose fields
 * ("name", "repo") get() reads. */
bool vigil_policy_selects_container(const struct vigil_policy *p, vigil_label_get_fn get,
				    void *arg);

#endif
