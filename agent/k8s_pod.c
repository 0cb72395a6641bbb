// SPDX-License-Identifier: Apache-2.0
/*
 * k8s_pod.c - Pod JSON to snapshots, Tetragon's workload derivation, and
 * the pod store (see k8s_pod.h).
 *
 * The reader walks the json-c tree with a field path for its messages and
 * checks the JSON type of every member it reads; nothing else of the Pod
 * is looked at.  The store keeps its pods in an array sorted by UID and an
 * index of container ids sorted by id, both searched by bisection.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag.h"
#include "k8s_labels.h"
#include "k8s_pod.h"
#include "pod_selector.h"

/* --- reading JSON with a path for messages -------------------------------- */

struct jctx {
	char *err;
	size_t errsz;
	char path[256];
	size_t plen;
};

__attribute__((format(printf, 2, 3))) static size_t push(struct jctx *c, const char *fmt, ...)
{
	size_t old = c->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->plen, sizeof(c->path) - c->plen, fmt, ap);
	va_end(ap);
	if (n > 0 && c->plen + (size_t)n < sizeof(c->path))
		c->plen += (size_t)n;
	else
		c->path[c->plen] = '\0';
	return old;
}

/* Append ".key"; a key that is not plain printable ASCII is quoted (see
 * vigil_quote()), so that messages never carry raw bytes from the input. */
static size_t push_key(struct jctx *c, const char *key)
{
	char q[VIGIL_QUOTE_BUFSZ];
	const char *p;

	for (p = key; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '"' ||
		    *p == '\\')
			break;
	if (*p || !*key)
		key = vigil_quote_str(key, q, sizeof(q));
	return push(c, c->plen ? ".%s" : "%s", key);
}

static size_t push_idx(struct jctx *c, size_t i)
{
	return push(c, "[%zu]", i);
}

static void pop(struct jctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* "PATH: MSG" into the caller's buffer; -EINVAL. */
__attribute__((format(printf, 2, 3))) static int bad(struct jctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!c->err || !c->errsz)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->plen)
		snprintf(c->err, c->errsz, "%s: %s", c->path, msg);
	else
		snprintf(c->err, c->errsz, "%s", msg);
	return -EINVAL;
}

static int nomem(struct jctx *c)
{
	if (c->err && c->errsz)
		snprintf(c->err, c->errsz, "out of memory");
	return -ENOMEM;
}

static const char *type_name(enum json_type t)
{
	switch (t) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

/* v is of type t; else an error at the current path. */
static int expect(struct jctx *c, struct json_object *v, enum json_type t)
{
	enum json_type got = json_object_get_type(v);

	if (got == t)
		return 0;
	return bad(c, "expected %s, got %s", type_name(t), type_name(got));
}

/* Member key of object o: 0 and *out, NULL when absent or null; -EINVAL
 * when it has another type than t. */
static int member(struct jctx *c, struct json_object *o, const char *key, enum json_type t,
		  struct json_object **out)
{
	struct json_object *v = NULL;
	size_t old;
	int ret;

	*out = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	old = push_key(c, key);
	ret = expect(c, v, t);
	pop(c, old);
	if (!ret)
		*out = v;
	return ret;
}

/* A copy of string v (NULL: ""), at most max bytes, without NUL. */
static int dup_string(struct jctx *c, struct json_object *v, size_t max, char **out)
{
	const char *s = v ? json_object_get_string(v) : "";
	size_t n = v ? (size_t)json_object_get_string_len(v) : 0;
	char q[VIGIL_QUOTE_BUFSZ];

	*out = NULL;
	if (n > max)
		return bad(c, "%s is longer than %zu bytes", vigil_quote(s, n, q, sizeof(q)), max);
	if (strlen(s) != n)
		return bad(c, "%s contains a NUL character", vigil_quote(s, n, q, sizeof(q)));
	*out = strndup(s, n);
	return *out ? 0 : nomem(c);
}

/* The string member key of o, "" when absent or null. */
static int member_str(struct jctx *c, struct json_object *o, const char *key, size_t max,
		      char **out)
{
	struct json_object *v;
	size_t old;
	int ret;

	*out = NULL;
	ret = member(c, o, key, json_type_string, &v);
	if (ret)
		return ret;
	old = push_key(c, key);
	ret = dup_string(c, v, max, out);
	pop(c, old);
	return ret;
}

/* The string member key of o, which must be there and not be empty. */
static int member_str_required(struct jctx *c, struct json_object *o, const char *key, size_t max,
			       char **out)
{
	int ret = member_str(c, o, key, max, out);
	size_t old;

	if (ret || **out)
		return ret;
	free(*out);
	*out = NULL;
	old = push_key(c, key);
	ret = bad(c, "missing");
	pop(c, old);
	return ret;
}

/* --- RFC 3339 times -------------------------------------------------------- */

static bool digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(unsigned y, unsigned m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/*
 * Go's time.Parse(time.RFC3339, s), as metav1.Time reads it:
 * YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM).  *ns is 0 for a time
 * before 1970.  0 or -EINVAL (malformed, or after the year 2554).
 */
static int parse_rfc3339(const char *s, uint64_t *ns)
{
	unsigned y, mo, d, h, mi, sec, oh = 0, om = 0, frac = 0, scale = 1000000000;
	int64_t secs, off = 0;
	size_t i = 19, n = strlen(s);

	if (n < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || (int)d > month_days(y, mo) || h > 23 || mi > 59 ||
	    sec > 59)
		return -EINVAL;
	if (s[i] == '.') {
		size_t start = ++i;

		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (i - start < 9) {
				scale /= 10;
				frac += (unsigned)(s[i] - '0') * scale;
			}
		}
		if (i == start)
			return -EINVAL;
	}
	if (s[i] == 'Z' && i + 1 == n) {
		off = 0;
	} else if ((s[i] == '+' || s[i] == '-') && i + 6 == n && digits(s + i + 1, 2, &oh) &&
		   s[i + 3] == ':' && digits(s + i + 4, 2, &om) && oh < 24 && om < 60) {
		off = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
	} else {
		return -EINVAL;
	}
	secs = days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + sec - off;
	if (secs < 0) {
		*ns = 0;
		return 0;
	}
	if ((uint64_t)secs > (UINT64_MAX - frac) / 1000000000u)
		return -EINVAL;
	*ns = (uint64_t)secs * 1000000000u + frac;
	return 0;
}

/* --- snapshots ------------------------------------------------------------ */

static void free_words(char **w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static void free_kvs(struct vigil_pod_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

static void pod_free(struct vigil_pod *pod)
{
	struct vigil_pod_container *k;
	size_t i;

	if (!pod)
		return;
	for (i = 0; i < pod->ncontainers; i++) {
		k = &pod->containers[i];
		free(k->full_id);
		free(k->name);
		free(k->image);
		free(k->image_id);
		free(k->repo);
		free_words(k->liveness_exec, k->nliveness_exec);
		free_words(k->readiness_exec, k->nreadiness_exec);
	}
	free(pod->containers);
	free_kvs(pod->labels, pod->nlabels);
	free_kvs(pod->annotations, pod->nannotations);
	free(pod->ns);
	free(pod->name);
	free(pod->uid);
	free(pod->node_name);
	free(pod->workload);
	free(pod->workload_kind);
	free(pod);
}

struct vigil_pod *vigil_pod_get(struct vigil_pod *pod)
{
	if (pod)
		__atomic_add_fetch(&pod->refcnt, 1, __ATOMIC_RELAXED);
	return pod;
}

void vigil_pod_put(struct vigil_pod *pod)
{
	if (pod && __atomic_sub_fetch(&pod->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		pod_free(pod);
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct vigil_pod_kv *)a)->key, ((const struct vigil_pod_kv *)b)->key);
}

static const char *kv_find(const struct vigil_pod_kv *kv, size_t n, const char *key)
{
	size_t lo = 0, hi = n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(kv[mid].key, key);
		if (r == 0)
			return kv[mid].value;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *vigil_pod_label(void *arg, const char *key)
{
	const struct vigil_pod *pod = arg;
	const char *v = kv_find(pod->labels, pod->nlabels, key);

	if (!v && strcmp(key, VIGIL_POD_NAMESPACE_LABEL) == 0)
		return pod->ns;
	return v;
}

const char *vigil_pod_annotation(const struct vigil_pod *pod, const char *key)
{
	return kv_find(pod->annotations, pod->nannotations, key);
}

const char *vigil_pod_container_field(void *arg, const char *key)
{
	const struct vigil_pod_container *k = arg;

	if (strcmp(key, VIGIL_CONTAINER_FIELD_NAME) == 0)
		return k->name;
	if (strcmp(key, VIGIL_CONTAINER_FIELD_REPO) == 0)
		return k->repo;
	return NULL;
}

/*
 * A string map (metadata.labels, metadata.annotations): at most maxn
 * entries, keys of at most kmax bytes, values of at most vmax, all of it at
 * most total bytes (0: no limit).  Sorted by key.
 */
static int read_kvs(struct jctx *c, struct json_object *meta, const char *key, size_t maxn,
		    size_t kmax, size_t vmax, size_t total, struct vigil_pod_kv **out, size_t *n)
{
	struct json_object *o;
	struct json_object_iterator it, end;
	size_t old, old2, bytes = 0;
	int ret;

	ret = member(c, meta, key, json_type_object, &o);
	if (ret || !o)
		return ret;
	old = push_key(c, key);
	if ((size_t)json_object_object_length(o) > maxn) {
		ret = bad(c, "more than %zu entries", maxn);
		goto cleanup;
	}
	*out = calloc((size_t)json_object_object_length(o) + 1, sizeof(**out));
	if (!*out) {
		ret = nomem(c);
		goto cleanup;
	}
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);
		struct vigil_pod_kv *kv = &(*out)[*n];
		char q[VIGIL_QUOTE_BUFSZ];
		size_t klen = strlen(k);

		if (klen > kmax) {
			ret = bad(c, "key %s is longer than %zu bytes",
				  vigil_quote(k, klen, q, sizeof(q)), kmax);
			goto cleanup;
		}
		old2 = push_key(c, k);
		ret = v ? expect(c, v, json_type_string) : bad(c, "expected a string, got null");
		if (!ret)
			ret = dup_string(c, v, vmax, &kv->value);
		pop(c, old2);
		if (ret)
			goto cleanup;
		kv->key = strdup(k);
		(*n)++;
		if (!kv->key) {
			ret = nomem(c);
			goto cleanup;
		}
		bytes += klen + strlen(kv->value);
		if (total && bytes > total) {
			ret = bad(c, "more than %zu bytes in all", total);
			goto cleanup;
		}
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_kv);
	ret = 0;
cleanup:
	pop(c, old);
	return ret;
}

/* --- workload ------------------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Go's regexp `(.+)-\d{8,10}$` on s: the length of the submatch, or 0.
 * `.` does not match '\n', so the match starts after the last newline. */
static size_t cronjob_prefix(const char *s)
{
	const char *start = strrchr(s, '\n'), *dash = strrchr(s, '-'), *p;
	size_t ndig;

	start = start ? start + 1 : s;
	if (!dash || dash <= start)
		return 0;
	for (p = dash + 1; *p >= '0' && *p <= '9'; p++)
		;
	ndig = (size_t)(p - dash - 1);
	if (*p || ndig < 8 || ndig > 10)
		return 0;
	return (size_t)(dash - start);
}

int vigil_pod_workload(const char *pod_name, const char *generate_name, const char *controller_kind,
		       const char *controller_name, const char *template_hash,
		       const char *deploymentconfig, char **name, char **kind)
{
	const char *ck = controller_kind ? controller_kind : "";
	const char *cn = controller_name ? controller_name : "";
	const char *hash = template_hash ? template_hash : "";
	const char *dc = deploymentconfig ? deploymentconfig : "";
	const char *k = "Pod", *start;
	char *n = NULL;
	size_t len;

	*name = *kind = NULL;
	if (generate_name && *generate_name && controller_kind) {
		k = ck;
		n = strdup(cn);
		if (!n)
			goto nomem;
		if (strcmp(ck, "ReplicaSet") == 0 && *hash && has_suffix(cn, hash)) {
			/* strings.TrimSuffix(name, "-" + hash) */
			len = strlen(cn);
			if (len > strlen(hash) && cn[len - strlen(hash) - 1] == '-')
				n[len - strlen(hash) - 1] = '\0';
			k = "Deployment";
		} else if (strcmp(ck, "ReplicationController") == 0 && *dc) {
			free(n);
			n = strdup(dc);
			if (!n)
				goto nomem;
			k = "DeploymentConfig";
		} else if (strcmp(ck, "Job") == 0 && (len = cronjob_prefix(cn))) {
			start = strrchr(cn, '\n');
			start = start ? start + 1 : cn;
			free(n);
			n = strndup(start, len);
			if (!n)
				goto nomem;
			k = "CronJob";
		}
	}
	if (!n || !*n) {
		free(n);
		n = strdup(pod_name ? pod_name : "");
		if (!n)
			goto nomem;
	}
	*kind = strdup(k);
	if (!*kind)
		goto nomem;
	*name = n;
	return 0;
nomem:
	free(n);
	return -ENOMEM;
}

/* The first owner reference with controller: true: its kind and name
 * (*kind NULL when there is none). */
static int read_controller(struct jctx *c, struct json_object *meta, char **kind, char **name)
{
	struct json_object *refs, *ref, *ctl;
	size_t i, n, old, old2;
	int ret;

	*kind = *name = NULL;
	ret = member(c, meta, "ownerReferences", json_type_array, &refs);
	if (ret || !refs)
		return ret;
	old = push_key(c, "ownerReferences");
	n = json_object_array_length(refs);
	for (i = 0; i < n && !ret; i++) {
		ref = json_object_array_get_idx(refs, i);
		old2 = push_idx(c, i);
		ret = ref ? expect(c, ref, json_type_object)
			  : bad(c, "expected an object, got null");
		if (!ret)
			ret = member(c, ref, "controller", json_type_boolean, &ctl);
		if (!ret && ctl && json_object_get_boolean(ctl)) {
			ret = member_str(c, ref, "kind", VIGIL_POD_STR_MAX, kind);
			if (!ret)
				ret = member_str(c, ref, "name", VIGIL_POD_NAME_MAX, name);
			pop(c, old2);
			break;
		}
		pop(c, old2);
	}
	pop(c, old);
	return ret;
}

/* --- containers ----------------------------------------------------------- */

/* The spec's container lists, each checked: an array of objects whose name
 * is a string. */
struct spec_lists {
	struct json_object *containers, *init, *ephemeral;
};

static int check_spec_list(struct jctx *c, struct json_object *spec, const char *key,
			   struct json_object **out)
{
	struct json_object *it, *name;
	size_t i, n, old, old2;
	int ret;

	ret = member(c, spec, key, json_type_array, out);
	if (ret || !*out)
		return ret;
	old = push_key(c, key);
	n = json_object_array_length(*out);
	if (n > VIGIL_POD_MAX_CONTAINERS)
		ret = bad(c, "more than %d containers", VIGIL_POD_MAX_CONTAINERS);
	for (i = 0; i < n && !ret; i++) {
		it = json_object_array_get_idx(*out, i);
		old2 = push_idx(c, i);
		ret = it ? expect(c, it, json_type_object) : bad(c, "expected an object, got null");
		if (!ret)
			ret = member(c, it, "name", json_type_string, &name);
		pop(c, old2);
	}
	pop(c, old);
	return ret;
}

/* The first container of list called name, and its index (for the path). */
static struct json_object *spec_find(struct json_object *list, const char *name, size_t *idx)
{
	struct json_object *it, *v;
	size_t i, n = list ? json_object_array_length(list) : 0;

	for (i = 0; i < n; i++) {
		it = json_object_array_get_idx(list, i);
		if (json_object_object_get_ex(it, "name", &v) && v &&
		    strcmp(json_object_get_string(v), name) == 0) {
			*idx = i;
			return it;
		}
	}
	return NULL;
}

/* probe.exec.command of a spec container's probe key. */
static int read_probe(struct jctx *c, struct json_object *ctr, const char *key, char ***words,
		      size_t *n)
{
	struct json_object *probe, *exec, *cmd, *w;
	size_t i, len, old, old2, old3;
	int ret;

	ret = member(c, ctr, key, json_type_object, &probe);
	if (ret || !probe)
		return ret;
	old = push_key(c, key);
	ret = member(c, probe, "exec", json_type_object, &exec);
	if (ret || !exec)
		goto cleanup;
	old2 = push_key(c, "exec");
	ret = member(c, exec, "command", json_type_array, &cmd);
	if (ret || !cmd) {
		pop(c, old2);
		goto cleanup;
	}
	push_key(c, "command");
	len = json_object_array_length(cmd);
	if (len > VIGIL_POD_MAX_ARGS) {
		ret = bad(c, "more than %d words", VIGIL_POD_MAX_ARGS);
		pop(c, old2);
		goto cleanup;
	}
	*words = calloc(len + 1, sizeof(**words));
	if (!*words) {
		ret = nomem(c);
		pop(c, old2);
		goto cleanup;
	}
	for (i = 0; i < len && !ret; i++) {
		w = json_object_array_get_idx(cmd, i);
		old3 = push_idx(c, i);
		ret = w ? expect(c, w, json_type_string) : bad(c, "expected a string, got null");
		if (!ret)
			ret = dup_string(c, w, VIGIL_POD_STR_MAX, &(*words)[i]);
		if (!ret)
			(*n)++;
		pop(c, old3);
	}
	pop(c, old2);
cleanup:
	pop(c, old);
	return ret;
}

/* What the spec says of container k: privileged (containers, then init
 * containers, then ephemeral ones, the first of that name), probes
 * (containers only). */
static int read_spec_of(struct jctx *c, const struct spec_lists *sl, struct vigil_pod_container *k)
{
	static const char *const keys[] = { "containers", "initContainers", "ephemeralContainers" };
	struct json_object *lists[] = { sl->containers, sl->init, sl->ephemeral };
	struct json_object *ctr = NULL, *sc, *priv;
	size_t i, idx = 0, saved_len = c->plen;
	char saved[sizeof(c->path)];
	int ret = 0;

	for (i = 0; i < 3 && !ctr; i++)
		ctr = spec_find(lists[i], k->name, &idx);
	if (!ctr)
		return 0;
	/* errors here are the spec's: their path starts at the pod */
	memcpy(saved, c->path, saved_len + 1);
	pop(c, 0);
	push(c, "spec.%s[%zu]", keys[i - 1], idx);
	ret = member(c, ctr, "securityContext", json_type_object, &sc);
	if (!ret && sc) {
		size_t o2 = push_key(c, "securityContext");

		ret = member(c, sc, "privileged", json_type_boolean, &priv);
		if (!ret && priv)
			k->privileged = json_object_get_boolean(priv);
		pop(c, o2);
	}
	if (!ret && i - 1 == 0) {
		ret = read_probe(c, ctr, "livenessProbe", &k->liveness_exec, &k->nliveness_exec);
		if (!ret)
			ret = read_probe(c, ctr, "readinessProbe", &k->readiness_exec,
					 &k->nreadiness_exec);
	}
	memcpy(c->path, saved, saved_len + 1);
	c->plen = saved_len;
	return ret;
}

/* "repo" of containerSelector: strings.Split(imageID, "@") with exactly
 * two parts gives the first. */
static char *image_repo(const char *image_id)
{
	const char *at = strchr(image_id, '@');

	if (!at || strchr(at + 1, '@'))
		return strdup("");
	return strndup(image_id, (size_t)(at - image_id));
}

static int read_status_entry(struct jctx *c, struct json_object *st, const struct spec_lists *sl,
			     struct vigil_pod_container *k)
{
	struct json_object *state, *running;
	char *started = NULL;
	const char *sep;
	int ret;

	ret = member_str(c, st, "name", VIGIL_POD_NAME_MAX, &k->name);
	if (!ret)
		ret = member_str(c, st, "containerID", VIGIL_POD_STR_MAX, &k->full_id);
	if (!ret)
		ret = member_str(c, st, "image", VIGIL_POD_STR_MAX, &k->image);
	if (!ret)
		ret = member_str(c, st, "imageID", VIGIL_POD_STR_MAX, &k->image_id);
	if (ret)
		return ret;
	sep = strstr(k->full_id, "://");
	k->id = sep ? sep + 3 : k->full_id;
	k->repo = image_repo(k->image_id);
	if (!k->repo)
		return nomem(c);
	ret = member(c, st, "state", json_type_object, &state);
	if (!ret && state) {
		size_t old = push_key(c, "state");

		ret = member(c, state, "running", json_type_object, &running);
		if (!ret && running) {
			size_t o2 = push_key(c, "running");

			k->running = true;
			ret = member_str(c, running, "startedAt", VIGIL_POD_STR_MAX, &started);
			if (!ret && *started && parse_rfc3339(started, &k->start_time_ns)) {
				char q[VIGIL_QUOTE_BUFSZ];

				push_key(c, "startedAt");
				ret = bad(c, "invalid RFC 3339 time %s",
					  vigil_quote_str(started, q, sizeof(q)));
			}
			free(started);
			pop(c, o2);
		}
		pop(c, old);
	}
	if (!ret)
		ret = read_spec_of(c, sl, k);
	return ret;
}

static int read_containers(struct jctx *c, struct json_object *spec, struct json_object *status,
			   struct vigil_pod *pod)
{
	static const struct {
		const char *key;
		enum vigil_pod_container_kind kind;
	} lists[] = {
		{ "initContainerStatuses", VIGIL_POD_CONTAINER_INIT },
		{ "containerStatuses", VIGIL_POD_CONTAINER_REGULAR },
		{ "ephemeralContainerStatuses", VIGIL_POD_CONTAINER_EPHEMERAL },
	};
	struct json_object *arr[3], *st;
	struct spec_lists sl = { 0 };
	size_t l, i, n, total = 0, old, old2;
	int ret;

	if (spec) {
		size_t o = push_key(c, "spec");

		ret = check_spec_list(c, spec, "containers", &sl.containers);
		if (!ret)
			ret = check_spec_list(c, spec, "initContainers", &sl.init);
		if (!ret)
			ret = check_spec_list(c, spec, "ephemeralContainers", &sl.ephemeral);
		pop(c, o);
		if (ret)
			return ret;
	}
	old = push_key(c, "status");
	for (l = 0; l < 3; l++) {
		ret = member(c, status, lists[l].key, json_type_array, &arr[l]);
		if (ret)
			goto cleanup;
		n = arr[l] ? json_object_array_length(arr[l]) : 0;
		if (n > VIGIL_POD_MAX_CONTAINERS) {
			push_key(c, lists[l].key);
			ret = bad(c, "more than %d containers", VIGIL_POD_MAX_CONTAINERS);
			goto cleanup;
		}
		total += n;
	}
	pod->containers = calloc(total + 1, sizeof(*pod->containers));
	if (!pod->containers) {
		ret = nomem(c);
		goto cleanup;
	}
	for (l = 0; l < 3; l++) {
		n = arr[l] ? json_object_array_length(arr[l]) : 0;
		for (i = 0; i < n; i++) {
			struct vigil_pod_container *k = &pod->containers[pod->ncontainers++];

			k->kind = lists[l].kind;
			st = json_object_array_get_idx(arr[l], i);
			old2 = push(c, ".%s[%zu]", lists[l].key, i);
			ret = st ? expect(c, st, json_type_object)
				 : bad(c, "expected an object, got null");
			if (!ret)
				ret = read_status_entry(c, st, &sl, k);
			pop(c, old2);
			if (ret)
				goto cleanup;
		}
	}
	ret = 0;
cleanup:
	pop(c, old);
	return ret;
}

/* --- the pod -------------------------------------------------------------- */

int vigil_pod_parse(const struct json_object *cobj, struct vigil_pod **out, char *err, size_t errsz)
{
	struct json_object *obj = (struct json_object *)cobj, *meta, *spec, *status;
	struct jctx c = { .err = err, .errsz = errsz };
	char *gen_name = NULL, *ck = NULL, *cn = NULL;
	struct vigil_pod *pod = NULL;
	size_t old;
	int ret;

	*out = NULL;
	if (err && errsz)
		err[0] = '\0';
	if (!obj) {
		ret = bad(&c, "no pod");
		goto cleanup;
	}
	ret = expect(&c, obj, json_type_object);
	if (ret)
		goto cleanup;
	pod = calloc(1, sizeof(*pod));
	if (!pod) {
		ret = nomem(&c);
		goto cleanup;
	}
	pod->refcnt = 1;
	ret = member(&c, obj, "metadata", json_type_object, &meta);
	if (!ret && !meta)
		ret = bad(&c, "metadata: missing");
	if (ret)
		goto cleanup;

	old = push_key(&c, "metadata");
	ret = member_str_required(&c, meta, "name", VIGIL_POD_NAME_MAX, &pod->name);
	if (!ret)
		ret = member_str_required(&c, meta, "namespace", VIGIL_POD_NS_MAX, &pod->ns);
	if (!ret)
		ret = member_str_required(&c, meta, "uid", VIGIL_POD_UID_MAX, &pod->uid);
	if (!ret)
		ret = member_str(&c, meta, "generateName", VIGIL_POD_NAME_MAX, &gen_name);
	if (!ret)
		ret = read_kvs(&c, meta, "labels", VIGIL_POD_MAX_LABELS, VIGIL_LABEL_KEY_MAX,
			       VIGIL_LABEL_VALUE_MAX, 0, &pod->labels, &pod->nlabels);
	if (!ret)
		ret = read_kvs(&c, meta, "annotations", VIGIL_POD_MAX_ANNOTATIONS,
			       VIGIL_LABEL_KEY_MAX, VIGIL_POD_ANNOTATION_BYTES,
			       VIGIL_POD_ANNOTATION_BYTES, &pod->annotations, &pod->nannotations);
	if (!ret)
		ret = read_controller(&c, meta, &ck, &cn);
	pop(&c, old);
	if (ret)
		goto cleanup;

	ret = member(&c, obj, "spec", json_type_object, &spec);
	if (!ret)
		ret = member(&c, obj, "status", json_type_object, &status);
	if (!ret && spec) {
		old = push_key(&c, "spec");
		ret = member_str(&c, spec, "nodeName", VIGIL_POD_NAME_MAX, &pod->node_name);
		pop(&c, old);
	} else if (!ret) {
		pod->node_name = strdup("");
		if (!pod->node_name)
			ret = nomem(&c);
	}
	if (!ret)
		ret = read_containers(&c, spec, status, pod);
	if (ret)
		goto cleanup;

	ret = vigil_pod_workload(pod->name, gen_name, ck, cn,
				 kv_find(pod->labels, pod->nlabels, "pod-template-hash"),
				 kv_find(pod->labels, pod->nlabels, "deploymentconfig"),
				 &pod->workload, &pod->workload_kind);
	if (ret) {
		ret = nomem(&c);
		goto cleanup;
	}
	*out = pod;
	pod = NULL;
cleanup:
	free(gen_name);
	free(ck);
	free(cn);
	pod_free(pod);
	return ret;
}

/* --- equality (an upsert that changes nothing) ----------------------------- */

static bool words_eq(char **a, size_t na, char **b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool kvs_eq(const struct vigil_pod_kv *a, size_t na, const struct vigil_pod_kv *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i].key, b[i].key) != 0 || strcmp(a[i].value, b[i].value) != 0)
			return false;
	return true;
}

static bool container_eq(const struct vigil_pod_container *a, const struct vigil_pod_container *b)
{
	return a->kind == b->kind && !strcmp(a->full_id, b->full_id) && !strcmp(a->name, b->name) &&
	       !strcmp(a->image, b->image) && !strcmp(a->image_id, b->image_id) &&
	       a->start_time_ns == b->start_time_ns && a->running == b->running &&
	       a->privileged == b->privileged &&
	       words_eq(a->liveness_exec, a->nliveness_exec, b->liveness_exec, b->nliveness_exec) &&
	       words_eq(a->readiness_exec, a->nreadiness_exec, b->readiness_exec,
			b->nreadiness_exec);
}

static bool pod_eq(const struct vigil_pod *a, const struct vigil_pod *b)
{
	size_t i;

	if (a == b)
		return true;
	if (strcmp(a->ns, b->ns) || strcmp(a->name, b->name) || strcmp(a->uid, b->uid) ||
	    strcmp(a->node_name, b->node_name) || strcmp(a->workload, b->workload) ||
	    strcmp(a->workload_kind, b->workload_kind) ||
	    !kvs_eq(a->labels, a->nlabels, b->labels, b->nlabels) ||
	    !kvs_eq(a->annotations, a->nannotations, b->annotations, b->nannotations) ||
	    a->ncontainers != b->ncontainers)
		return false;
	for (i = 0; i < a->ncontainers; i++)
		if (!container_eq(&a->containers[i], &b->containers[i]))
			return false;
	return true;
}

/* --- the store ------------------------------------------------------------ */

/* A container id of a live pod. */
struct cid {
	const char *id; /* into pod */
	struct vigil_pod *pod;
	size_t idx;
	uint64_t seq; /* the upsert that added it: the newest wins a tie */
};

struct vigil_pod_store {
	pthread_mutex_t lock;
	struct vigil_pod **pods; /* sorted by uid */
	size_t npods, podcap;
	struct cid *cids; /* sorted by id, then newest first */
	size_t ncids, cidcap;
	struct vigil_pod *deleted[VIGIL_POD_DELETED_KEEP]; /* a ring, the oldest at dnext */
	size_t ndeleted, dnext;
	uint64_t gen, seq;
};

struct vigil_pod_store *vigil_pod_store_new(void)
{
	struct vigil_pod_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (pthread_mutex_init(&s->lock, NULL)) {
		free(s);
		return NULL;
	}
	return s;
}

static void clear_locked(struct vigil_pod_store *s)
{
	size_t i;

	if (s->npods)
		s->gen++;
	for (i = 0; i < s->npods; i++)
		vigil_pod_put(s->pods[i]);
	for (i = 0; i < s->ndeleted; i++)
		vigil_pod_put(s->deleted[i]);
	s->npods = s->ncids = s->ndeleted = s->dnext = 0;
}

void vigil_pod_store_free(struct vigil_pod_store *s)
{
	if (!s)
		return;
	clear_locked(s);
	pthread_mutex_destroy(&s->lock);
	free(s->pods);
	free(s->cids);
	free(s);
}

void vigil_pod_store_clear(struct vigil_pod_store *s)
{
	pthread_mutex_lock(&s->lock);
	clear_locked(s);
	pthread_mutex_unlock(&s->lock);
}

/* uid with '_' as '-' into buf; false when too long or empty. */
static bool norm_uid(const char *uid, char *buf, size_t bufsz)
{
	size_t i, n = uid ? strnlen(uid, bufsz) : 0;

	if (n == 0 || n >= bufsz)
		return false;
	for (i = 0; i < n; i++)
		buf[i] = uid[i] == '_' ? '-' : uid[i];
	buf[n] = '\0';
	return true;
}

/* The index of uid in s->pods, or where it would go (*found false). */
static size_t find_pod(const struct vigil_pod_store *s, const char *uid, bool *found)
{
	size_t lo = 0, hi = s->npods, mid;
	int r;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(s->pods[mid]->uid, uid);
		if (r == 0) {
			*found = true;
			return mid;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_cid(const void *a, const void *b)
{
	const struct cid *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	if (r)
		return r;
	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* Drop the ids of pod from the index (kept sorted). */
static void drop_cids(struct vigil_pod_store *s, const struct vigil_pod *pod)
{
	size_t i, j = 0;

	for (i = 0; i < s->ncids; i++)
		if (s->cids[i].pod != pod)
			s->cids[j++] = s->cids[i];
	s->ncids = j;
}

static size_t count_ids(const struct vigil_pod *pod)
{
	size_t i, n = 0;

	for (i = 0; i < pod->ncontainers; i++)
		n += pod->containers[i].id[0] != '\0';
	return n;
}

static int reserve(void **arr, size_t *cap, size_t need, size_t elsz)
{
	size_t ncap = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * elsz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int vigil_pod_store_upsert(struct vigil_pod_store *s, struct vigil_pod *pod)
{
	struct vigil_pod *old = NULL;
	size_t at, i, nids;
	bool found;
	int ret = 0;

	if (!s || !pod || !pod->uid || !pod->uid[0])
		return -EINVAL;
	nids = count_ids(pod);
	pthread_mutex_lock(&s->lock);
	at = find_pod(s, pod->uid, &found);
	if (found && pod_eq(s->pods[at], pod))
		goto unlock;
	if (reserve((void **)&s->pods, &s->podcap, s->npods + 1, sizeof(*s->pods)) ||
	    reserve((void **)&s->cids, &s->cidcap, s->ncids + nids, sizeof(*s->cids))) {
		ret = -ENOMEM;
		goto unlock;
	}
	if (found) {
		old = s->pods[at];
		drop_cids(s, old);
		s->pods[at] = vigil_pod_get(pod);
	} else {
		memmove(&s->pods[at + 1], &s->pods[at], (s->npods - at) * sizeof(*s->pods));
		s->pods[at] = vigil_pod_get(pod);
		s->npods++;
	}
	s->seq++;
	for (i = 0; i < pod->ncontainers; i++)
		if (pod->containers[i].id[0])
			s->cids[s->ncids++] = (struct cid){
				.id = pod->containers[i].id, .pod = pod, .idx = i, .seq = s->seq
			};
	if (s->ncids > 1)
		qsort(s->cids, s->ncids, sizeof(*s->cids), cmp_cid);
	s->gen++;
unlock:
	pthread_mutex_unlock(&s->lock);
	vigil_pod_put(old);
	return ret;
}

int vigil_pod_store_upsert_json(struct vigil_pod_store *s, const struct json_object *obj, char *err,
				size_t errsz)
{
	struct vigil_pod *pod;
	int ret = vigil_pod_parse(obj, &pod, err, errsz);

	if (ret)
		return ret;
	ret = vigil_pod_store_upsert(s, pod);
	if (ret == -ENOMEM && err && errsz)
		snprintf(err, errsz, "out of memory");
	vigil_pod_put(pod);
	return ret;
}

/* Remove s->pods[at]: into the ring of deleted pods. */
static void remove_at(struct vigil_pod_store *s, size_t at)
{
	struct vigil_pod *pod = s->pods[at];

	drop_cids(s, pod);
	memmove(&s->pods[at], &s->pods[at + 1], (s->npods - at - 1) * sizeof(*s->pods));
	s->npods--;
	if (s->ndeleted == VIGIL_POD_DELETED_KEEP) {
		vigil_pod_put(s->deleted[s->dnext]);
	} else {
		s->ndeleted++;
	}
	s->deleted[s->dnext] = pod;
	s->dnext = (s->dnext + 1) % VIGIL_POD_DELETED_KEEP;
	s->gen++;
}

/* The pod of uid as written, else with '_' read as '-'. */
static size_t find_uid(const struct vigil_pod_store *s, const char *uid, const char *norm,
		       bool *found)
{
	size_t at = find_pod(s, uid, found);

	if (!*found && strcmp(uid, norm) != 0)
		at = find_pod(s, norm, found);
	return at;
}

int vigil_pod_store_delete(struct vigil_pod_store *s, const char *uid)
{
	char u[VIGIL_POD_UID_MAX + 1];
	size_t at;
	bool found;

	if (!s || !norm_uid(uid, u, sizeof(u)))
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	at = find_uid(s, uid, u, &found);
	if (found)
		remove_at(s, at);
	pthread_mutex_unlock(&s->lock);
	return found ? 0 : -ENOENT;
}

int vigil_pod_store_delete_name(struct vigil_pod_store *s, const char *ns, const char *name)
{
	size_t i;
	bool any = false;

	if (!s || !ns || !name)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	for (i = s->npods; i-- > 0;) {
		if (strcmp(s->pods[i]->ns, ns) == 0 && strcmp(s->pods[i]->name, name) == 0) {
			remove_at(s, i);
			any = true;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return any ? 0 : -ENOENT;
}

/* A deleted pod with container id (exact, or prefix when !exact); the
 * last deleted first. */
static struct vigil_pod *find_deleted(const struct vigil_pod_store *s, const char *id, bool exact,
				      size_t *idx)
{
	size_t n = strlen(id), i, j, slot;
	const struct vigil_pod_container *k;

	for (i = 0; i < s->ndeleted; i++) {
		slot = (s->dnext + VIGIL_POD_DELETED_KEEP - 1 - i) % VIGIL_POD_DELETED_KEEP;
		for (j = 0; j < s->deleted[slot]->ncontainers; j++) {
			k = &s->deleted[slot]->containers[j];
			if (k->id[0] &&
			    (exact ? strcmp(k->id, id) == 0 : strncmp(k->id, id, n) == 0)) {
				*idx = j;
				return s->deleted[slot];
			}
		}
	}
	return NULL;
}

int vigil_pod_store_find_container(struct vigil_pod_store *s, const char *id,
				   struct vigil_pod **pod, size_t *idx)
{
	size_t lo = 0, hi, mid, n, i = 0;
	struct vigil_pod *found = NULL;

	*pod = NULL;
	if (!s || !id || !id[0])
		return -EINVAL;
	n = strlen(id);
	pthread_mutex_lock(&s->lock);
	hi = s->ncids;
	while (lo < hi) { /* the first id >= id */
		mid = lo + (hi - lo) / 2;
		if (strcmp(s->cids[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* id itself sorts before every longer id it begins */
	if (lo < s->ncids && strncmp(s->cids[lo].id, id, n) == 0) {
		found = s->cids[lo].pod;
		i = s->cids[lo].idx;
	}
	if (!found)
		found = find_deleted(s, id, true, &i);
	if (!found)
		found = find_deleted(s, id, false, &i);
	*pod = vigil_pod_get(found);
	pthread_mutex_unlock(&s->lock);
	if (!found)
		return -ENOENT;
	if (idx)
		*idx = i;
	return 0;
}

int vigil_pod_store_find_uid(struct vigil_pod_store *s, const char *uid, struct vigil_pod **pod)
{
	char u[VIGIL_POD_UID_MAX + 1];
	struct vigil_pod *found = NULL;
	const char *mirror;
	size_t at, i;
	bool hit;

	*pod = NULL;
	if (!s || !norm_uid(uid, u, sizeof(u)))
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	at = find_uid(s, uid, u, &hit);
	if (hit)
		found = s->pods[at];
	for (i = 0; !found && i < s->npods; i++) {
		mirror = vigil_pod_annotation(s->pods[i], VIGIL_POD_MIRROR_ANNOTATION);
		if (mirror && (strcmp(mirror, uid) == 0 || strcmp(mirror, u) == 0))
			found = s->pods[i];
	}
	*pod = vigil_pod_get(found);
	pthread_mutex_unlock(&s->lock);
	return found ? 0 : -ENOENT;
}

int vigil_pod_store_list(struct vigil_pod_store *s, struct vigil_pod ***pods, size_t *n,
			 uint64_t *gen)
{
	size_t i;
	int ret = 0;

	*pods = NULL;
	*n = 0;
	pthread_mutex_lock(&s->lock);
	if (s->npods) {
		*pods = calloc(s->npods, sizeof(**pods));
		if (!*pods) {
			ret = -ENOMEM;
			goto unlock;
		}
		for (i = 0; i < s->npods; i++)
			(*pods)[i] = vigil_pod_get(s->pods[i]);
		*n = s->npods;
	}
	if (gen)
		*gen = s->gen;
unlock:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void vigil_pod_list_free(struct vigil_pod **pods, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vigil_pod_put(pods[i]);
	free(pods);
}

uint64_t vigil_pod_store_generation(struct vigil_pod_store *s)
{
	uint64_t g;

	pthread_mutex_lock(&s->lock);
	g = s->gen;
	pthread_mutex_unlock(&s->lock);
	return g;
}

size_t vigil_pod_store_count(struct vigil_pod_store *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->npods;
	pthread_mutex_unlock(&s->lock);
	return n;
}
