// SPDX-License-Identifier: Apache-2.0
/*
 * encode_json.c - Tetragon-compatible export JSON, built with json-c.
 * Field names, nesting and omission of default values follow protojson
 * with proto names (what Tetragon's JSON exporter writes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <resolv.h>

#include <json-c/json.h>

#include "encode.h"
#include "k8s_pod.h"
#include "ns_names.h"
#include "values.h"

static void add_str(struct json_object *o, const char *key, const char *val)
{
	if (val && val[0])
		json_object_object_add(o, key, json_object_new_string(val));
}

static void add_u32(struct json_object *o, const char *key, uint32_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void add_time(struct json_object *o, const char *key, const struct vigil_encode_ctx *ctx,
		     uint64_t ktime)
{
	char buf[64];

	vigil_format_time(ctx->boot_wall_ns + ktime, buf, sizeof(buf));
	add_str(o, key, buf);
}

static void add_caps(struct json_object *o, const char *key, uint64_t mask)
{
	struct json_object *arr;
	unsigned int i;

	if (!mask)
		return;
	arr = json_object_new_array();
	for (i = 0; i < 64; i++) {
		const char *name = (mask >> i) & 1 ? vigil_cap_enum_name(i) : NULL;

		if (name)
			json_object_array_add(arr, json_object_new_string(name));
	}
	if (!json_object_array_length(arr)) { /* only bits without a name */
		json_object_put(arr);
		return;
	}
	json_object_object_add(o, key, arr);
}

/* BinaryProperties: setuid and setgid are UInt32Value and links too, so a
 * zero is written; inode number is a uint64, a string in protojson. */
static void add_binary_props(struct json_object *o, const struct vigil_process *p)
{
	struct vigil_binary_props bp;
	struct json_object *props, *arr, *file, *inode;
	char num[24];
	int i;

	vigil_binary_props(p, &bp);
	if (!bp.present)
		return;
	props = json_object_new_object();
	if (bp.has_setuid)
		add_u32(props, "setuid", bp.setuid);
	if (bp.has_setgid)
		add_u32(props, "setgid", bp.setgid);
	if (bp.nprivs) {
		arr = json_object_new_array();
		for (i = 0; i < bp.nprivs; i++)
			json_object_array_add(
				arr, json_object_new_string(vigil_priv_change_name(bp.privs[i])));
		json_object_object_add(props, "privileges_changed", arr);
	}
	if (bp.fileless) {
		file = json_object_new_object();
		inode = json_object_new_object();
		snprintf(num, sizeof(num), "%llu", (unsigned long long)bp.ino);
		json_object_object_add(inode, "number", json_object_new_string(num));
		add_u32(inode, "links", bp.links);
		json_object_object_add(file, "inode", inode);
		json_object_object_add(props, "file", file);
	}
	json_object_object_add(o, "binary_properties", props);
}

/* Tetragon's Pod message: the pod of a process in one of its containers. */
static void add_pod(struct json_object *o, const struct vigil_process *p)
{
	const struct vigil_pod *pod = p->pod;
	const struct vigil_pod_container *c;
	struct json_object *po, *co, *img, *labels;
	char buf[64];
	size_t i;

	if (!pod)
		return;
	po = json_object_new_object();
	add_str(po, "namespace", pod->ns);
	add_str(po, "name", pod->name);
	add_str(po, "uid", pod->uid);
	if (p->pod_container < pod->ncontainers) {
		c = &pod->containers[p->pod_container];
		co = json_object_new_object();
		add_str(co, "id", c->full_id);
		add_str(co, "name", c->name);
		if ((c->image_id && c->image_id[0]) || (c->image && c->image[0])) {
			img = json_object_new_object();
			add_str(img, "id", c->image_id);
			add_str(img, "name", c->image);
			json_object_object_add(co, "image", img);
		}
		if (c->start_time_ns) {
			vigil_format_time(c->start_time_ns, buf, sizeof(buf));
			add_str(co, "start_time", buf);
		}
		json_object_object_add(po, "container", co);
	}
	if (pod->nlabels) {
		labels = json_object_new_object();
		for (i = 0; i < pod->nlabels; i++) /* sorted by key, as protojson's map */
			json_object_object_add(labels, pod->labels[i].key,
					       json_object_new_string(pod->labels[i].value));
		json_object_object_add(po, "pod_labels", labels);
	}
	add_str(po, "workload", pod->workload);
	add_str(po, "workload_kind", pod->workload_kind);
	json_object_object_add(o, "pod", po);
}

static struct json_object *process_json(const struct vigil_encode_ctx *ctx,
					const struct vigil_process *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *cap, *ns, *cred;
	char flags[160];
	size_t i;
	const struct vigil_creds *c = &p->creds;

	vigil_flags_text(p->flags, flags, sizeof(flags));

	char id[VIGIL_EXEC_ID_MAX];

	vigil_exec_id(ctx->node_name, p->ktime, p->pid, id, sizeof(id));
	add_str(o, "exec_id", id);
	add_u32(o, "pid", p->pid);
	add_u32(o, "uid", c->uid);
	add_str(o, "cwd", p->cwd);
	add_str(o, "binary", p->binary);
	add_str(o, "arguments", p->args);
	add_str(o, "flags", flags);
	add_time(o, "start_time", ctx, p->ktime);
	add_u32(o, "auid", c->auid);
	add_pod(o, p);
	add_str(o, "docker", p->container_id);
	if (p->parent_key.pid) {
		vigil_exec_id(ctx->node_name, p->parent_key.ktime, p->parent_key.pid, id,
			      sizeof(id));
		add_str(o, "parent_exec_id", id);
	}

	if (!ctx->no_creds) {
		cap = json_object_new_object();
		add_caps(cap, "permitted", c->cap_permitted);
		add_caps(cap, "effective", c->cap_effective);
		add_caps(cap, "inheritable", c->cap_inheritable);
		json_object_object_add(o, "cap", cap);
	}

	ns = ctx->no_ns ? NULL : json_object_new_object();
	for (i = 0; ns && i < VIGIL_NS_COUNT; i++) {
		struct json_object *one;

		if (!p->ns[i])
			continue;
		one = json_object_new_object();
		add_u32(one, "inum", p->ns[i]);
		if (ctx->host_ns[i] && p->ns[i] == ctx->host_ns[i])
			json_object_object_add(one, "is_host", json_object_new_boolean(1));
		json_object_object_add(ns, vigil_ns_name(i), one);
	}
	if (ns)
		json_object_object_add(o, "ns", ns);

	add_u32(o, "tid", p->tid);

	if (ctx->no_creds) {
		add_binary_props(o, p);
		return o;
	}
	cred = json_object_new_object();
	add_u32(cred, "uid", c->uid);
	add_u32(cred, "gid", c->gid);
	add_u32(cred, "euid", c->euid);
	add_u32(cred, "egid", c->egid);
	add_u32(cred, "suid", c->suid);
	add_u32(cred, "sgid", c->sgid);
	add_u32(cred, "fsuid", c->fsuid);
	add_u32(cred, "fsgid", c->fsgid);
	json_object_object_add(o, "process_credentials", cred);
	add_binary_props(o, p);
	return o;
}

/*
 * A Process message as a json-c node that prints p->json verbatim.  Each
 * record is serialized once, however many events name it as process or
 * parent.
 */
static struct json_object *process_node(const struct vigil_encode_ctx *ctx, struct vigil_process *p)
{
	struct json_object *node;

	if (!p->json) {
		struct json_object *tree = process_json(ctx, p);
		const char *s = json_object_to_json_string_ext(
			tree, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

		p->json = s ? strdup(s) : NULL;
		json_object_put(tree);
		if (!p->json)
			return NULL;
	}
	node = json_object_new_object();
	if (node)
		json_object_set_serializer(node, json_object_userdata_to_json_string, p->json,
					   NULL);
	return node;
}

/* The KprobeArgument field an integer goes in (vigil_int_arg_kind());
 * 64-bit values are strings in protojson. */
static void add_int_arg(struct json_object *o, const struct vigil_out_arg *a)
{
	char buf[32];

	switch (vigil_int_arg_kind(a->type_name)) {
	case VIGIL_INT_ARG_SIZE:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)a->num);
		add_str(o, "size_arg", buf);
		break;
	case VIGIL_INT_ARG_LONG:
		snprintf(buf, sizeof(buf), "%lld", (long long)a->num);
		add_str(o, "long_arg", buf);
		break;
	case VIGIL_INT_ARG_UINT:
		add_u32(o, "uint_arg", (uint32_t)a->num);
		break;
	case VIGIL_INT_ARG_INT:
		json_object_object_add(o, "int_arg", json_object_new_int((int32_t)a->num));
		break;
	}
}

/* Plain proto3 scalars: protojson leaves zeros out. */
static void add_u32_nz(struct json_object *o, const char *key, uint32_t v)
{
	if (v)
		add_u32(o, key, v);
}

static void add_named(struct json_object *o, const char *key, const char *name, unsigned v)
{
	char buf[16];

	add_str(o, key, vigil_name_or_number(name, v, buf, sizeof(buf)));
}

/* A socket address as text: IPv4 for an IPv4-mapped one. */
static void add_addr(struct json_object *o, const char *key, const uint8_t a[16])
{
	char buf[INET6_ADDRSTRLEN];

	vigil_format_addr(a, buf, sizeof(buf));
	add_str(o, key, buf);
}

/* KprobeSock */
static struct json_object *sock_json(const struct vigil_sock_info *si)
{
	struct json_object *o = json_object_new_object();
	char buf[32];

	add_named(o, "family", vigil_family_name(si->family), si->family);
	add_named(o, "type", vigil_sock_type_name(si->type), si->type);
	add_named(o, "protocol", vigil_protocol_name(si->protocol), si->protocol);
	add_u32_nz(o, "mark", si->mark);
	add_u32_nz(o, "priority", si->priority);
	add_addr(o, "saddr", si->saddr);
	add_addr(o, "daddr", si->daddr);
	add_u32_nz(o, "sport", si->sport);
	add_u32_nz(o, "dport", si->dport);
	if (si->cookie) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)si->cookie);
		add_str(o, "cookie", buf);
	}
	if (si->state)
		add_named(o, "state", vigil_tcp_state_name(si->state), si->state);
	return o;
}

/* KprobeSockaddr */
static struct json_object *sockaddr_json(const struct vigil_sock_info *si)
{
	struct json_object *o = json_object_new_object();

	add_named(o, "family", vigil_family_name(si->family), si->family);
	if (si->family == AF_INET || si->family == AF_INET6)
		add_addr(o, "addr", si->saddr);
	add_u32_nz(o, "port", si->sport);
	return o;
}

/* KprobeSkb; sec_path_len and sec_path_olen are not read (always 0, and
 * so left out) */
static struct json_object *skb_json(const struct vigil_skb_info *si)
{
	struct json_object *o = json_object_new_object();

	add_u32_nz(o, "hash", si->hash);
	add_u32_nz(o, "len", si->len);
	add_u32_nz(o, "priority", si->priority);
	add_u32_nz(o, "mark", si->mark);
	if (si->family) {
		add_addr(o, "saddr", si->saddr);
		add_addr(o, "daddr", si->daddr);
	}
	add_u32_nz(o, "sport", si->sport);
	add_u32_nz(o, "dport", si->dport);
	add_u32_nz(o, "proto", si->protocol);
	if (si->family) {
		add_named(o, "protocol", vigil_protocol_name(si->protocol), si->protocol);
		add_named(o, "family", vigil_family_name(si->family), si->family);
	}
	return o;
}

/* ProcessCredentials, as a cred argument */
static struct json_object *cred_json(const struct vigil_creds *c)
{
	struct json_object *o = json_object_new_object(), *caps = json_object_new_object();

	add_u32(o, "uid", c->uid);
	add_u32(o, "gid", c->gid);
	add_u32(o, "euid", c->euid);
	add_u32(o, "egid", c->egid);
	add_u32(o, "suid", c->suid);
	add_u32(o, "sgid", c->sgid);
	add_u32(o, "fsuid", c->fsuid);
	add_u32(o, "fsgid", c->fsgid);
	add_caps(caps, "permitted", c->cap_permitted);
	add_caps(caps, "effective", c->cap_effective);
	add_caps(caps, "inheritable", c->cap_inheritable);
	json_object_object_add(o, "caps", caps);
	return o;
}

/* bytes_arg (base64 in protojson), or truncated_bytes_arg with the size the
 * caller gave. */
static void add_bytes_arg(struct json_object *o, const struct vigil_out_arg *a)
{
	char *b64 = malloc(4 * (a->bin_len / 3 + 1) + 1), num[32];
	struct json_object *t;

	if (!b64)
		return;
	if (b64_ntop(a->bin, a->bin_len, b64, 4 * (a->bin_len / 3 + 1) + 1) < 0)
		b64[0] = 0;
	if (!a->truncated) { /* a set oneof: written even when empty */
		json_object_object_add(o, "bytes_arg", json_object_new_string(b64));
	} else { /* KprobeTruncatedBytes: zero values left out */
		t = json_object_new_object();
		add_str(t, "bytes_arg", b64);
		if (a->num) {
			snprintf(num, sizeof(num), "%llu", (unsigned long long)a->num);
			add_str(t, "orig_size", num);
		}
		json_object_object_add(o, "truncated_bytes_arg", t);
	}
	free(b64);
}

/* One KprobeArgument. */
static struct json_object *arg_json(const struct vigil_out_arg *a)
{
	struct json_object *o = json_object_new_object(), *f;
	struct vigil_sock_info si;
	struct vigil_skb_info skb;
	struct vigil_creds cred;
	const char *key = NULL;

	if (!o)
		return NULL;
	switch (a->type) {
	case VIGIL_AT_INT:
		add_int_arg(o, a);
		break;
	case VIGIL_AT_LINUX_BINPRM:
		key = "linux_binprm_arg";
		break;
	case VIGIL_AT_FILE:
	case VIGIL_AT_FD:
	case VIGIL_AT_DENTRY:
		key = "file_arg";
		break;
	case VIGIL_AT_CAPABILITY:
		f = json_object_new_object();
		json_object_object_add(f, "value", json_object_new_int((int32_t)a->num));
		add_str(f, "name", vigil_cap_enum_name((unsigned)a->num));
		json_object_object_add(o, "capability_arg", f);
		break;
	case VIGIL_AT_CHAR_BUF:
		if (a->bin)
			add_bytes_arg(o, a);
		break;
	case VIGIL_AT_CRED: /* copied: the bytes in a message may be unaligned */
		if (a->bin_len == sizeof(cred)) {
			memcpy(&cred, a->bin, sizeof(cred));
			json_object_object_add(o, "process_credentials_arg", cred_json(&cred));
		}
		break;
	case VIGIL_AT_SOCK:
	case VIGIL_AT_SOCKADDR:
		if (a->bin_len == sizeof(si)) {
			memcpy(&si, a->bin, sizeof(si));
			json_object_object_add(
				o, a->type == VIGIL_AT_SOCK ? "sock_arg" : "sockaddr_arg",
				a->type == VIGIL_AT_SOCK ? sock_json(&si) : sockaddr_json(&si));
		}
		break;
	case VIGIL_AT_SKB:
		if (a->bin_len == sizeof(skb)) {
			memcpy(&skb, a->bin, sizeof(skb));
			json_object_object_add(o, "skb_arg", skb_json(&skb));
		}
		break;
	case VIGIL_AT_PATH:
		key = "path_arg";
		break;
	case VIGIL_AT_STRING: /* a set oneof: written even when empty */
		json_object_object_add(o, "string_arg",
				       json_object_new_string(a->str ? a->str : ""));
		break;
	}
	if (key) {
		f = json_object_new_object();
		add_str(f, "path", a->str);
		json_object_object_add(o, key, f);
	}
	if (a->label && a->label[0])
		add_str(o, "label", a->label);
	return o;
}

static struct json_object *args_json(const struct vigil_out_policy *pol)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < pol->nargs; i++)
		json_object_array_add(arr, arg_json(&pol->args[i]));
	return arr;
}

static void add_message(struct json_object *body, const struct vigil_out_policy *pol)
{
	if (pol->message && pol->message[0])
		add_str(body, "message", pol->message);
}

static void add_tags(struct json_object *body, const struct vigil_out_policy *pol)
{
	struct json_object *tags;
	size_t i;

	if (!pol->ntags)
		return;
	tags = json_object_new_array();
	for (i = 0; i < pol->ntags; i++)
		json_object_array_add(tags, json_object_new_string(pol->tags[i]));
	json_object_object_add(body, "tags", tags);
}

static void add_args(struct json_object *body, const struct vigil_out_policy *pol)
{
	if (pol->nargs) /* an empty repeated field is left out */
		json_object_object_add(body, "args", args_json(pol));
}

/* The fields in each message's field-number order, as protojson writes
 * them; only ProcessKprobe has return. */
static const char *policy_body(const struct vigil_out_policy *pol, struct json_object *body)
{
	switch (pol->kind) {
	case VIGIL_OUT_LSM: /* ProcessLsm */
		add_str(body, "function_name", pol->function_name);
		add_str(body, "policy_name", pol->policy_name);
		add_message(body, pol);
		add_args(body, pol);
		add_str(body, "action", vigil_action_name(pol->action));
		add_tags(body, pol);
		return "process_lsm";
	case VIGIL_OUT_TRACEPOINT: /* ProcessTracepoint */
		add_str(body, "subsys", pol->subsys);
		add_str(body, "event", pol->function_name);
		add_args(body, pol);
		add_str(body, "policy_name", pol->policy_name);
		add_str(body, "action", vigil_action_name(pol->action));
		add_message(body, pol);
		add_tags(body, pol);
		return "process_tracepoint";
	default: /* ProcessKprobe */
		add_str(body, "function_name", pol->function_name);
		add_args(body, pol);
		if (pol->has_ret)
			json_object_object_add(body, "return", arg_json(&pol->ret));
		add_str(body, "action", vigil_action_name(pol->action));
		add_str(body, "policy_name", pol->policy_name);
		add_message(body, pol);
		add_tags(body, pol);
		return "process_kprobe";
	}
}

int vigil_write_json(FILE *out, const struct vigil_encode_ctx *ctx,
		     const struct vigil_out_event *ev)
{
	const char *name;
	struct json_object *root, *body;
	struct json_object *proc, *parent = NULL;
	struct vigil_process *p = ev->proc;
	const char *s;
	int err = 0;

	proc = process_node(ctx, p);
	if (proc && p->parent)
		parent = process_node(ctx, p->parent);
	if (!proc || (p->parent && !parent)) {
		json_object_put(proc);
		return -ENOMEM;
	}
	root = json_object_new_object();
	body = json_object_new_object();
	json_object_object_add(body, "process", proc);
	if (parent)
		json_object_object_add(body, "parent", parent);
	if (ev->kind == VIGIL_OUT_EXIT) {
		char sig[32];

		vigil_signal_name(ev->exit_code & 0x7f, sig, sizeof(sig));
		add_str(body, "signal", sig);
		if ((ev->exit_code >> 8) & 0xff)
			add_u32(body, "status", (ev->exit_code >> 8) & 0xff);
		add_time(body, "time", ctx, ev->ktime);
	}
	if (ev->kind == VIGIL_OUT_POLICY)
		name = policy_body(ev->pol, body);
	else
		name = ev->kind == VIGIL_OUT_EXEC ? "process_exec" : "process_exit";
	json_object_object_add(root, name, body);
	add_str(root, "node_name", ctx->node_name);
	add_time(root, "time", ctx, ev->ktime);

	s = json_object_to_json_string_ext(root,
					   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || fputs(s, out) == EOF || fputc('\n', out) == EOF)
		err = -EIO;
	json_object_put(root);
	return err;
}
