/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s_config.h - where the Kubernetes API server is and how to talk to it:
 * the pod's service account (in-cluster, the default) or a kubeconfig file
 * (--kubeconfig).
 *
 * In-cluster: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT,
 * the CA and the token from /var/run/secrets/kubernetes.io/serviceaccount.
 *
 * A kubeconfig: the current context's cluster (server, certificate-authority
 * or certificate-authority-data, insecure-skip-tls-verify, tls-server-name)
 * and user (token, tokenFile, client-certificate[-data], client-key[-data]).
 * Relative paths are relative to the kubeconfig's directory.  Exec and
 * auth-provider plugins are refused by name.
 *
 * A token from a file is read again before each request (vigil_k8s_token),
 * so a rotated service-account token is picked up without a restart.
 */
#ifndef VIGIL_K8S_CONFIG_H
#define VIGIL_K8S_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define VIGIL_K8S_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

struct vigil_k8s_config {
	char *server;  /* https://host:port, no trailing '/' */
	char *ca_file; /* PEM file of the cluster CA, or NULL */
	char *ca_pem;  /* PEM bytes (certificate-authority-data), or NULL */
	size_t ca_pem_len;
	bool insecure;		    /* insecure-skip-tls-verify */
	char *tls_server_name;	    /* or NULL */
	char *token;		    /* a fixed token, or NULL */
	char *token_file;	    /* read before each request, or NULL */
	char *cert_file, *key_file; /* client certificate, or NULL */
	char *cert_pem, *key_pem;   /* the -data forms, decoded */
	size_t cert_pem_len, key_pem_len;
	char *source; /* "in-cluster service account" or the kubeconfig path */
};

/* The in-cluster configuration; sa_dir NULL is VIGIL_K8S_SA_DIR.  0, or
 * -ENOENT / -EINVAL with the reason in why. */
int vigil_k8s_config_in_cluster(const char *sa_dir, struct vigil_k8s_config *c, char *why,
				size_t whysz);

/* The current context of the kubeconfig at path.  0, or a negative errno
 * with the reason (file:line:column where it is the file's) in why. */
int vigil_k8s_config_kubeconfig(const char *path, struct vigil_k8s_config *c, char *why,
				size_t whysz);

/* Parse kubeconfig text (named file in messages, dir for relative paths). */
int vigil_k8s_config_parse(const char *file, const char *dir, const char *text, size_t len,
			   struct vigil_k8s_config *c, char *why, size_t whysz);

/* The bearer token to send now into buf ("" for none).  0, or a negative
 * errno (the token file cannot be read) with the reason in why. */
int vigil_k8s_token(const struct vigil_k8s_config *c, char *buf, size_t bufsz, char *why,
		    size_t whysz);

void vigil_k8s_config_free(struct vigil_k8s_config *c);

#endif
