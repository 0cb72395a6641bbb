// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_config.c - the API server's address and credentials, from the
 * service account or a kubeconfig (see k8s_config.h).  The kubeconfig is
 * read with the policy loader's YAML stage, so its errors carry
 * file:line:column too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "diag.h"
#include "k8s_config.h"
#include "readfile.h"
#include "yaml_doc.h"

#define KUBECONFIG_MAX (1u << 20)
#define TOKEN_MAX      (64u << 10)

void vigil_k8s_config_free(struct vigil_k8s_config *c)
{
	free(c->server);
	free(c->ca_file);
	free(c->ca_pem);
	free(c->tls_server_name);
	free(c->token);
	free(c->token_file);
	free(c->cert_file);
	free(c->key_file);
	free(c->cert_pem);
	free(c->key_pem);
	free(c->source);
	memset(c, 0, sizeof(*c));
}

static char *dup_trimmed(const char *s, size_t len)
{
	char *out;

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	out = malloc(len + 1);
	if (out) {
		memcpy(out, s, len);
		out[len] = 0;
	}
	return out;
}

int vigil_k8s_config_in_cluster(const char *sa_dir, struct vigil_k8s_config *c, char *why,
				size_t whysz)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	char path[512];
	int n;

	memset(c, 0, sizeof(*c));
	if (!sa_dir)
		sa_dir = VIGIL_K8S_SA_DIR;
	if (!host || !*host || !port || !*port) {
		snprintf(why, whysz,
			 "not in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are "
			 "not set (outside a cluster, give --kubeconfig PATH)");
		return -ENOENT;
	}
	if (strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    strcspn(host, "/?#@ ") != strlen(host)) {
		snprintf(why, whysz, "KUBERNETES_SERVICE_HOST/PORT do not form an address");
		return -EINVAL;
	}
	n = snprintf(path, sizeof(path), "%s/token", sa_dir);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		snprintf(why, whysz, "service account directory name too long");
		return -EINVAL;
	}
	if (access(path, R_OK)) {
		n = errno;
		snprintf(why, whysz, "service account token %s: %s", path, strerror(n));
		return -n;
	}
	c->token_file = strdup(path);
	snprintf(path, sizeof(path), "%s/ca.crt", sa_dir);
	c->ca_file = strdup(path);
	c->source = strdup("the pod's service account");
	/* an IPv6 literal goes in brackets */
	n = snprintf(path, sizeof(path), strchr(host, ':') ? "https://[%s]:%s" : "https://%s:%s",
		     host, port);
	c->server = n > 0 && (size_t)n < sizeof(path) ? strdup(path) : NULL;
	if (!c->token_file || !c->ca_file || !c->source || !c->server) {
		vigil_k8s_config_free(c);
		snprintf(why, whysz, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	return 0;
}

/* --- kubeconfig ----------------------------------------------------------- */

struct kctx {
	const char *file, *dir;
	char *why;
	size_t whysz;
};

static int fail_at(struct kctx *k, const struct vigil_ynode *n, const char *fmt, const char *a)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, a);
	if (n)
		snprintf(k->why, k->whysz, "%s:%u:%u: %s", k->file, n->pos.line, n->pos.col, msg);
	else
		snprintf(k->why, k->whysz, "%s: %s", k->file, msg);
	return -EINVAL;
}

static const struct vigil_ynode *get(const struct vigil_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != VIGIL_YMAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->pairs[i].key && map->pairs[i].key->kind == VIGIL_YSCALAR &&
		    !strcmp(map->pairs[i].key->str, key))
			return map->pairs[i].value;
	return NULL;
}

/* A string field: NULL when absent or null; an error when not a scalar. */
static int get_str(struct kctx *k, const struct vigil_ynode *map, const char *key, const char **out)
{
	const struct vigil_ynode *v = get(map, key);

	*out = NULL;
	if (!v || vigil_ynode_is_null(v))
		return 0;
	if (v->kind != VIGIL_YSCALAR)
		return fail_at(k, v, "%s must be a string", key);
	*out = v->str;
	return 0;
}

/* The entry of list (clusters, users, contexts) called name: its inner
 * mapping (under key inner). */
static int find_named(struct kctx *k, const struct vigil_ynode *root, const char *list,
		      const char *inner, const char *name, const struct vigil_ynode **out)
{
	const struct vigil_ynode *l = get(root, list);
	size_t i;

	if (!l || l->kind != VIGIL_YSEQ)
		return fail_at(k, l, "no %s list", list);
	for (i = 0; i < l->n; i++) {
		const struct vigil_ynode *nm = get(l->items[i], "name");

		if (nm && nm->kind == VIGIL_YSCALAR && !strcmp(nm->str, name)) {
			*out = get(l->items[i], inner);
			if (!*out || (*out)->kind != VIGIL_YMAP)
				return fail_at(k, l->items[i], "entry %s has no mapping", name);
			return 0;
		}
	}
	snprintf(k->why, k->whysz, "%s: no entry named \"%s\" in %s", k->file, name, list);
	return -EINVAL;
}

static char *path_in(struct kctx *k, const char *p)
{
	char *out;

	if (p[0] == '/' || !k->dir)
		return strdup(p);
	if (asprintf(&out, "%s/%s", k->dir, p) < 0)
		return NULL;
	return out;
}

/* base64 (the -data fields) with OpenSSL's decoder. */
static int b64_decode(struct kctx *k, const struct vigil_ynode *n, const char *s, char **out,
		      size_t *len)
{
	size_t in = strlen(s), pad = 0;
	unsigned char *buf;
	int got;

	if (in % 4)
		return fail_at(k, n, "%s is not base64", "the value");
	while (pad < 2 && in > pad && s[in - 1 - pad] == '=')
		pad++;
	buf = malloc(in / 4 * 3 + 1);
	if (!buf)
		return -ENOMEM;
	got = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)in);
	if (got < 0) {
		free(buf);
		return fail_at(k, n, "%s is not base64", "the value");
	}
	*len = (size_t)got - pad;
	buf[*len] = 0;
	*out = (char *)buf;
	return 0;
}

static int set_path(struct kctx *k, const char *p, char **dst)
{
	if (!p)
		return 0;
	*dst = path_in(k, p);
	return *dst ? 0 : -ENOMEM;
}

static int set_data(struct kctx *k, const struct vigil_ynode *map, const char *key, char **dst,
		    size_t *len)
{
	const char *s;
	int err = get_str(k, map, key, &s);

	if (err || !s)
		return err;
	return b64_decode(k, get(map, key), s, dst, len);
}

static int read_cluster(struct kctx *k, const struct vigil_ynode *cl, struct vigil_k8s_config *c)
{
	const struct vigil_ynode *insecure = get(cl, "insecure-skip-tls-verify");
	const char *server, *ca, *sni;
	int err;

	err = get_str(k, cl, "server", &server);
	if (!err)
		err = get_str(k, cl, "certificate-authority", &ca);
	if (!err)
		err = get_str(k, cl, "tls-server-name", &sni);
	if (err)
		return err;
	if (!server || strncmp(server, "https://", 8))
		return fail_at(k, get(cl, "server") ? get(cl, "server") : cl,
			       "the cluster's server must be an https:// URL%s", "");
	c->server = dup_trimmed(server, strlen(server));
	if (!c->server)
		return -ENOMEM;
	while (strlen(c->server) > 8 && c->server[strlen(c->server) - 1] == '/')
		c->server[strlen(c->server) - 1] = 0;
	c->insecure = insecure && insecure->kind == VIGIL_YSCALAR && !strcmp(insecure->str, "true");
	if (sni && !(c->tls_server_name = strdup(sni)))
		return -ENOMEM;
	err = set_path(k, ca, &c->ca_file);
	if (!err)
		err = set_data(k, cl, "certificate-authority-data", &c->ca_pem, &c->ca_pem_len);
	return err;
}

static int read_user(struct kctx *k, const struct vigil_ynode *u, struct vigil_k8s_config *c)
{
	static const char *const plugins[] = { "exec", "auth-provider", "username" };
	const char *token, *token_file, *cert, *key;
	size_t i;
	int err;

	for (i = 0; i < sizeof(plugins) / sizeof(plugins[0]); i++)
		if (get(u, plugins[i]))
			return fail_at(k, get(u, plugins[i]),
				       "user credentials by %s are not supported: use a token, "
				       "a tokenFile or a client certificate",
				       plugins[i]);
	err = get_str(k, u, "token", &token);
	if (!err)
		err = get_str(k, u, "tokenFile", &token_file);
	if (!err)
		err = get_str(k, u, "client-certificate", &cert);
	if (!err)
		err = get_str(k, u, "client-key", &key);
	if (err)
		return err;
	if (token && !(c->token = dup_trimmed(token, strlen(token))))
		return -ENOMEM;
	err = set_path(k, token_file, &c->token_file);
	if (!err)
		err = set_path(k, cert, &c->cert_file);
	if (!err)
		err = set_path(k, key, &c->key_file);
	if (!err)
		err = set_data(k, u, "client-certificate-data", &c->cert_pem, &c->cert_pem_len);
	if (!err)
		err = set_data(k, u, "client-key-data", &c->key_pem, &c->key_pem_len);
	return err;
}

int vigil_k8s_config_parse(const char *file, const char *dir, const char *text, size_t len,
			   struct vigil_k8s_config *c, char *why, size_t whysz)
{
	struct kctx k = { file, dir, why, whysz };
	struct vigil_diags ds = { 0 };
	struct vigil_ynode *root = NULL;
	const struct vigil_ynode *ctx, *cl, *u;
	const char *cur, *cname, *uname;
	int err;

	memset(c, 0, sizeof(*c));
	err = vigil_yaml_load(file, text, len, &root, &ds);
	if (!err && ds.nerrors)
		err = -EINVAL;
	if (err) {
		if (ds.n)
			vigil_diag_format(&ds.d[0], why, whysz);
		else
			snprintf(why, whysz, "%s: %s", file, strerror(-err));
		goto cleanup;
	}
	if (!root || root->kind != VIGIL_YMAP) {
		err = fail_at(&k, root, "not a kubeconfig (a mapping)%s", "");
		goto cleanup;
	}
	err = get_str(&k, root, "current-context", &cur);
	if (!err && !cur)
		err = fail_at(&k, root, "no current-context%s", "");
	if (!err)
		err = find_named(&k, root, "contexts", "context", cur, &ctx);
	if (!err)
		err = get_str(&k, ctx, "cluster", &cname);
	if (!err)
		err = get_str(&k, ctx, "user", &uname);
	if (!err && !cname)
		err = fail_at(&k, ctx, "context %s names no cluster", cur);
	if (!err)
		err = find_named(&k, root, "clusters", "cluster", cname, &cl);
	if (!err)
		err = read_cluster(&k, cl, c);
	if (!err && uname) {
		err = find_named(&k, root, "users", "user", uname, &u);
		if (!err)
			err = read_user(&k, u, c);
	}
	if (!err && !(c->source = strdup(file)))
		err = -ENOMEM;
	if (err == -ENOMEM)
		snprintf(why, whysz, "%s: %s", file, strerror(ENOMEM));
cleanup:
	if (err)
		vigil_k8s_config_free(c);
	vigil_ynode_free(root);
	vigil_diags_free(&ds);
	return err;
}

int vigil_k8s_config_kubeconfig(const char *path, struct vigil_k8s_config *c, char *why,
				size_t whysz)
{
	char *text = NULL, *dir = NULL, *slash;
	size_t len = 0;
	int err;

	memset(c, 0, sizeof(*c));
	err = vigil_read_file(path, KUBECONFIG_MAX, true, &text, &len);
	if (err) {
		snprintf(why, whysz, "%s: %s", path,
			 err == -EFBIG || err == -EINVAL ? "not a regular file of at most 1 MiB"
							 : strerror(-err));
		return err;
	}
	dir = strdup(path);
	if (!dir) {
		err = -ENOMEM;
		snprintf(why, whysz, "%s: %s", path, strerror(ENOMEM));
		goto cleanup;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	err = vigil_k8s_config_parse(path, slash ? dir : ".", text, len, c, why, whysz);
cleanup:
	free(dir);
	free(text);
	return err;
}

int vigil_k8s_token(const struct vigil_k8s_config *c, char *buf, size_t bufsz, char *why,
		    size_t whysz)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	buf[0] = 0;
	if (!c->token_file) {
		if (c->token)
			snprintf(buf, bufsz, "%s", c->token);
		return 0;
	}
	err = vigil_read_file(c->token_file, TOKEN_MAX, false, &text, &len);
	if (err) {
		snprintf(why, whysz, "token file %s: %s", c->token_file,
			 err == -EFBIG ? "larger than 64 KiB" : strerror(-err));
		return err;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		len--;
	if (len >= bufsz || memchr(text, '\n', len) || memchr(text, 0, len)) {
		free(text);
		snprintf(why, whysz, "token file %s: not one line of at most %zu bytes",
			 c->token_file, bufsz - 1);
		return -EINVAL;
	}
	memcpy(buf, text, len);
	buf[len] = 0;
	free(text);
	return 0;
}
