/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_policy.h - TracingPolicy and TracingPolicyNamespaced resources as
 * policies: a resource's JSON becomes the text the policy loader reads,
 * and what the loader says of it becomes a Kubernetes Event.  Pure: no
 * I/O, so the conversion is unit-tested and fuzzed.
 *
 * The text handed to the loader holds apiVersion, kind, metadata.name,
 * metadata.namespace and spec, nothing else (status, managedFields and the
 * last-applied annotation are not the policy).  The loader's diagnostics
 * then name the resource, "tracingpolicy/NAME" or
 * "tracingpolicynamespaced/NAMESPACE/NAME", and the field path; line and
 * column are dropped, because they would count lines of a text the user
 * never wrote.
 */
#ifndef VIGIL_K8S_POLICY_H
#define VIGIL_K8S_POLICY_H

#include <stddef.h>

struct json_object;

#define VIGIL_K8S_KIND_TP  "TracingPolicy"
#define VIGIL_K8S_KIND_TPN "TracingPolicyNamespaced"

struct vigil_k8s_resource {
	const char *kind; /* VIGIL_K8S_KIND_TP or _TPN */
	char ns[64];	  /* "" for a TracingPolicy */
	char name[254];
	char uid[64];
	char rv[64];
	char label[400]; /* "tracingpolicy/NAME": the file name of messages */
	char *text;	 /* the policy text (JSON, which YAML reads), malloc'd */
	size_t len;
};

/* Make the loader's text of obj (a kind resource).  0, or -EINVAL with the
 * reason in why (no metadata.name, a spec that is not an object...), or
 * -ENOMEM. */
int vigil_k8s_policy_text(const char *kind, struct json_object *obj, struct vigil_k8s_resource *r,
			  char *why, size_t whysz);
void vigil_k8s_resource_fini(struct vigil_k8s_resource *r);

/* The loader's errors (lines "LABEL:LINE:COL: PATH: MESSAGE") with
 * ":LINE:COL" removed, in place. */
void vigil_k8s_strip_positions(const char *label, char *errs);

/* The JSON of a core/v1 Event about r (type "Warning" or "Normal", reason
 * "PolicyLoadFailed"...), from node, with a unique name made of r's name
 * and stamp; its namespace is r's, or "default" for a cluster-scoped one.
 * message is capped at 1024 bytes.  The caller frees the result; NULL on
 * allocation failure.  *ns_out points at the namespace to post to. */
char *vigil_k8s_event_json(const struct vigil_k8s_resource *r, const char *type, const char *reason,
			   const char *message, const char *node, const char *time_rfc3339,
			   unsigned long long stamp, const char **ns_out);

#endif
