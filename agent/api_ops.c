// SPDX-License-Identifier: Apache-2.0
/*
 * api_ops.c - the unary calls of the gRPC API, answered over the policy
 * lifecycle and the agent's state (api_ops.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_ops.h"
#include "diag.h"
#include "log.h"
#include "parse.h"
#include "version.h"
#include "yaml_doc.h"

#include "google/protobuf/any.pb-c.h"
#include "google/protobuf/wrappers.pb-c.h"

/* --- the lifecycle of agent/policies.c ------------------------------------ */

static int lc_add(void *ctx, const char *file, const char *text, size_t len, char *errs,
		  size_t errsz)
{
	return vigil_policies_add(ctx, file, text, len, -1, errs, errsz);
}

static int lc_del(void *ctx, const char *name)
{
	return vigil_policies_delete(ctx, name);
}

static int lc_enable(void *ctx, const char *name, bool on)
{
	return vigil_policies_enable(ctx, name, on);
}

static int lc_set_mode(void *ctx, const char *name, enum vigil_policy_mode mode)
{
	return vigil_policies_set_mode(ctx, name, mode);
}

static size_t lc_count(const void *ctx)
{
	return vigil_policies_count(ctx);
}

static int lc_info(const void *ctx, size_t i, struct vigil_policy_info *out)
{
	return vigil_policies_info(ctx, i, out);
}

const struct vigil_api_lifecycle vigil_api_policies = {
	.add = lc_add,
	.del = lc_del,
	.enable = lc_enable,
	.set_mode = lc_set_mode,
	.count = lc_count,
	.info = lc_info,
};

/* --- helpers ------------------------------------------------------------------ */

static int errf(struct vigil_rpc_ctx *rc, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int errf(struct vigil_rpc_ctx *rc, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rc->err, rc->errsz, fmt, ap);
	va_end(ap);
	return ret;
}

/* The loaded policy of this name: 0 and its info, or -ENOENT. */
static int find(const struct vigil_api_agent *ag, const char *name, struct vigil_policy_info *out)
{
	size_t i, n = ag->lc->count(ag->lc_ctx);

	for (i = 0; i < n; i++)
		if (!ag->lc->info(ag->lc_ctx, i, out) && out->name && !strcmp(out->name, name))
			return 0;
	return -ENOENT;
}

/* A request's policy name: present and loaded, else the error. */
static int named(struct vigil_api_agent *ag, struct vigil_rpc_ctx *rc, const char *rpc,
		 const char *name, struct vigil_policy_info *info)
{
	char q[VIGIL_QUOTE_BUFSZ];

	if (!name || !name[0])
		return errf(rc, -EINVAL, "%s: the request names no policy", rpc);
	if (find(ag, name, info))
		return errf(rc, -ENOENT, "tracing policy %s is not loaded",
			    vigil_quote_str(name, q, sizeof(q)));
	return 0;
}

static void *new_msg(struct vigil_rpc_ctx *rc, const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = vigil_arena_alloc(rc->arena, d->sizeof_message);

	if (m)
		d->message_init(m);
	return m;
}

static char *dup(struct vigil_rpc_ctx *rc, const char *s, int *err)
{
	char *d = vigil_arena_strdup(rc->arena, s ? s : "");

	if (!d)
		*err = -ENOMEM;
	return d ? d : (char *)"";
}

static const char *mode_name(enum vigil_policy_mode m)
{
	return m == VIGIL_MODE_MONITOR ? "monitor" : "enforce";
}

/* --- health, version, info ----------------------------------------------------- */

static int get_health(void *ctx, struct vigil_rpc_ctx *rc,
		      const Tetragon__GetHealthStatusRequest *req,
		      Tetragon__GetHealthStatusResponse *resp)
{
	struct vigil_api_agent *ag = ctx;
	const struct vigil_server_stats *st = rc->stats;
	Tetragon__HealthStatus *h = new_msg(rc, &tetragon__health_status__descriptor);
	char details[512];
	int err = 0;

	(void)req;
	resp->health_status = vigil_arena_alloc(rc->arena, sizeof(*resp->health_status));
	if (!h || !resp->health_status)
		return -ENOMEM;
	snprintf(details, sizeof(details),
		 "running; %llu events, %llu lost in the kernel; %u GetEvents streams, %llu "
		 "events dropped for slow streams",
		 (unsigned long long)(ag->events ? *ag->events : 0),
		 (unsigned long long)(ag->kernel_lost ? *ag->kernel_lost : 0), st ? st->streams : 0,
		 (unsigned long long)(st ? st->events_dropped : 0));
	h->event = TETRAGON__HEALTH_STATUS_TYPE__HEALTH_STATUS_TYPE_STATUS;
	h->status = TETRAGON__HEALTH_STATUS_RESULT__HEALTH_STATUS_RUNNING;
	h->details = dup(rc, details, &err);
	resp->health_status[0] = h;
	resp->n_health_status = 1;
	return err;
}

static int get_version(void *ctx, struct vigil_rpc_ctx *rc, const Tetragon__GetVersionRequest *req,
		       Tetragon__GetVersionResponse *resp)
{
	(void)ctx;
	(void)rc;
	(void)req;
	resp->version = (char *)VIGIL_VERSION;
	return 0;
}

/* A configuration value: a string in an Any. */
static Tetragon__GetInfoResponse__ConfVal *conf(struct vigil_rpc_ctx *rc, const char *key,
						const char *value, int *err)
{
	Tetragon__GetInfoResponse__ConfVal *c =
		new_msg(rc, &tetragon__get_info_response__conf_val__descriptor);
	Google__Protobuf__Any *any = new_msg(rc, &google__protobuf__any__descriptor);
	Google__Protobuf__StringValue sv = GOOGLE__PROTOBUF__STRING_VALUE__INIT;

	if (!c || !any) {
		*err = -ENOMEM;
		return c;
	}
	sv.value = (char *)value;
	any->type_url = (char *)"type.googleapis.com/google.protobuf.StringValue";
	any->value.len = protobuf_c_message_get_packed_size(&sv.base);
	any->value.data = vigil_arena_alloc(rc->arena, any->value.len + 1);
	if (!any->value.data) {
		*err = -ENOMEM;
		return c;
	}
	protobuf_c_message_pack(&sv.base, any->value.data);
	c->key = dup(rc, key, err);
	c->value = any;
	return c;
}

static int get_info(void *ctx, struct vigil_rpc_ctx *rc, const Tetragon__GetInfoRequest *req,
		    Tetragon__GetInfoResponse *resp)
{
	struct vigil_api_agent *ag = ctx;
	const struct vigil_features *f = ag->feats;
	char key[64];
	int i, err = 0;

	(void)req;
	resp->version = (char *)VIGIL_VERSION;
	resp->name = (char *)"vigild";
	resp->conf = vigil_arena_alloc(rc->arena, (VIGIL_FEAT_COUNT + 2) * sizeof(*resp->conf));
	if (!resp->conf)
		return -ENOMEM;
	resp->conf[resp->n_conf++] =
		conf(rc, "node-name", ag->node_name ? ag->node_name : "", &err);
	if (!f)
		return err;
	resp->conf[resp->n_conf++] = conf(rc, "kernel", f->kernel, &err);
	resp->probes = vigil_arena_alloc(rc->arena, VIGIL_FEAT_COUNT * sizeof(*resp->probes));
	if (!resp->probes)
		return -ENOMEM;
	for (i = 0; i < VIGIL_FEAT_COUNT && !err; i++) {
		Tetragon__GetInfoResponse__Probe *p =
			new_msg(rc, &tetragon__get_info_response__probe__descriptor);
		Google__Protobuf__BoolValue *on =
			new_msg(rc, &google__protobuf__bool_value__descriptor);

		if (!p || !on)
			return -ENOMEM;
		p->name = (char *)vigil_feature_name(i);
		on->value = f->f[i].available;
		p->enabled = on;
		resp->probes[resp->n_probes++] = p;
		if (!f->f[i].available && f->f[i].reason[0]) {
			snprintf(key, sizeof(key), "probe-reason.%s", vigil_feature_name(i));
			resp->conf[resp->n_conf++] = conf(rc, key, f->f[i].reason, &err);
		}
	}
	return err;
}

/* --- policies ------------------------------------------------------------------ */

/* The diagnostics of a policy that does not parse, one per line. */
static void format_diags(const struct vigil_diags *ds, char *out, size_t outsz)
{
	size_t i, o = 0;
	char line[1024];

	out[0] = 0;
	for (i = 0; i < ds->n && o + 1 < outsz; i++) {
		vigil_diag_format(&ds->d[i], line, sizeof(line));
		o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? "\n" : "", line);
		if (o >= outsz)
			o = outsz - 1;
	}
}

static int add_tracing_policy(void *ctx, struct vigil_rpc_ctx *rc,
			      const Tetragon__AddTracingPolicyRequest *req,
			      Tetragon__AddTracingPolicyResponse *resp)
{
	struct vigil_api_agent *ag = ctx;
	struct vigil_diags ds = { 0 };
	struct vigil_policy *model = NULL;
	struct vigil_policy_info info;
	size_t len = strlen(req->yaml);
	char q[VIGIL_QUOTE_BUFSZ];
	int ret;

	(void)resp;
	if (len > VIGIL_YAML_MAX_BYTES)
		return errf(rc, -EFBIG, "%s: the policy is %zu bytes; at most %u are accepted",
			    VIGIL_API_POLICY_FILE, len, VIGIL_YAML_MAX_BYTES);
	/* Its name first: a policy of that name is not replaced (as in
	 * Tetragon, where the API refuses it). */
	ret = vigil_policy_parse(VIGIL_API_POLICY_FILE, req->yaml, len, &model, &ds);
	if (ret) {
		format_diags(&ds, rc->err, rc->errsz);
		if (!rc->err[0])
			errf(rc, ret, "%s: %s", VIGIL_API_POLICY_FILE, strerror(-ret));
		goto cleanup;
	}
	vigil_quote_str(model->name, q, sizeof(q));
	if (!find(ag, model->name, &info)) {
		ret = errf(rc, -EEXIST,
			   "tracing policy %s is loaded already (from %s); delete it first", q,
			   info.file ? info.file : "?");
		goto cleanup;
	}
	ret = ag->lc->add(ag->lc_ctx, VIGIL_API_POLICY_FILE, req->yaml, len, rc->err, rc->errsz);
	if (!ret)
		vigil_err("tracing policy %s added through the API", q);
cleanup:
	vigil_policy_free(model);
	vigil_diags_free(&ds);
	return ret;
}

static int delete_tracing_policy(void *ctx, struct vigil_rpc_ctx *rc,
				 const Tetragon__DeleteTracingPolicyRequest *req,
				 Tetragon__DeleteTracingPolicyResponse *resp)
{
	struct vigil_api_agent *ag = ctx;
	struct vigil_policy_info info;
	char q[VIGIL_QUOTE_BUFSZ];
	int ret = named(ag, rc, "DeleteTracingPolicy", req->name, &info);

	(void)resp;
	if (ret)
		return ret;
	ret = ag->lc->del(ag->lc_ctx, req->name);
	vigil_quote_str(req->name, q, sizeof(q));
	if (ret)
		return errf(rc, ret, "tracing policy %s: delete: %s", q, strerror(-ret));
	vigil_err("tracing policy %s deleted through the API", q);
	return 0;
}

static int set_enabled(struct vigil_api_agent *ag, struct vigil_rpc_ctx *rc, const char *rpc,
		       const char *name, bool on)
{
	struct vigil_policy_info info;
	char q[VIGIL_QUOTE_BUFSZ];
	int ret = named(ag, rc, rpc, name, &info);

	if (ret)
		return ret;
	ret = ag->lc->enable(ag->lc_ctx, name, on);
	vigil_quote_str(name, q, sizeof(q));
	if (ret)
		return errf(rc, ret, "tracing policy %s: %s: %s", q, on ? "enable" : "disable",
			    strerror(-ret));
	vigil_err("tracing policy %s %s through the API", q, on ? "enabled" : "disabled");
	return 0;
}

static int enable_tracing_policy(void *ctx, struct vigil_rpc_ctx *rc,
				 const Tetragon__EnableTracingPolicyRequest *req,
				 Tetragon__EnableTracingPolicyResponse *resp)
{
	(void)resp;
	return set_enabled(ctx, rc, "EnableTracingPolicy", req->name, true);
}

static int disable_tracing_policy(void *ctx, struct vigil_rpc_ctx *rc,
				  const Tetragon__DisableTracingPolicyRequest *req,
				  Tetragon__DisableTracingPolicyResponse *resp)
{
	(void)resp;
	return set_enabled(ctx, rc, "DisableTracingPolicy", req->name, false);
}

static int set_mode(struct vigil_api_agent *ag, struct vigil_rpc_ctx *rc, const char *name,
		    Tetragon__TracingPolicyMode m)
{
	enum vigil_policy_mode mode;
	char q[VIGIL_QUOTE_BUFSZ];
	int ret;

	if (m == TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE)
		mode = VIGIL_MODE_ENFORCE;
	else
		mode = VIGIL_MODE_MONITOR;
	ret = ag->lc->set_mode(ag->lc_ctx, name, mode);
	vigil_quote_str(name, q, sizeof(q));
	if (ret)
		return errf(rc, ret, "tracing policy %s: set mode %s: %s", q, mode_name(mode),
			    strerror(-ret));
	vigil_err("tracing policy %s set to %s mode through the API", q, mode_name(mode));
	return 0;
}

static int configure_tracing_policy(void *ctx, struct vigil_rpc_ctx *rc,
				    const Tetragon__ConfigureTracingPolicyRequest *req,
				    Tetragon__ConfigureTracingPolicyResponse *resp)
{
	struct vigil_api_agent *ag = ctx;
	struct vigil_policy_info info;
	bool has_mode = req->_mode_case == TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___MODE_MODE;
	bool has_enable =
		req->_enable_case == TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___ENABLE_ENABLE;
	int ret;

	(void)resp;
	if (has_mode && req->mode != TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE &&
	    req->mode != TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR) {
		const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
			&tetragon__tracing_policy_mode__descriptor, req->mode);

		if (v)
			return errf(rc, -EINVAL,
				    "ConfigureTracingPolicy: mode %s cannot be set; vigil sets "
				    "TP_MODE_ENFORCE and TP_MODE_MONITOR",
				    v->name);
		return errf(rc, -EINVAL,
			    "ConfigureTracingPolicy: mode %d is not a TracingPolicyMode",
			    req->mode);
	}
	ret = named(ag, rc, "ConfigureTracingPolicy", req->name, &info);
	if (ret)
		return ret;
	/* Never enforce in between: switch off before a mode change, switch
	 * on after it. */
	if (has_enable && !req->enable)
		ret = set_enabled(ag, rc, "ConfigureTracingPolicy", req->name, false);
	if (!ret && has_mode)
		ret = set_mode(ag, rc, req->name, req->mode);
	if (!ret && has_enable && req->enable)
		ret = set_enabled(ag, rc, "ConfigureTracingPolicy", req->name, true);
	return ret;
}

static Tetragon__TracingPolicyStatus *policy_status(struct vigil_api_agent *ag,
						    struct vigil_rpc_ctx *rc,
						    const struct vigil_policy_info *in, int *err)
{
	Tetragon__TracingPolicyStatus *s =
		new_msg(rc, &tetragon__tracing_policy_status__descriptor);
	Tetragon__TracingPolicyStats *st = new_msg(rc, &tetragon__tracing_policy_stats__descriptor);
	Tetragon__TracingPolicyActionCounters *ac =
		new_msg(rc, &tetragon__tracing_policy_action_counters__descriptor);
	const struct vigil_policy_counts *c = ag->counts ? &ag->counts[in->id] : NULL;

	if (!s || !st || !ac) {
		*err = -ENOMEM;
		return s;
	}
	s->id = in->id;
	s->name = dup(rc, in->name, err);
	if (in->namespace_ && in->namespace_[0])
		s->namespace_ = dup(rc, in->namespace_, err);
	switch (in->status) {
	case VIGIL_POLICY_LOADED_ENABLED:
		s->state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_ENABLED;
		s->enabled = true;
		break;
	case VIGIL_POLICY_LOADED_DISABLED:
		s->state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_DISABLED;
		break;
	case VIGIL_POLICY_LOAD_ERROR:
		s->state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_LOAD_ERROR;
		break;
	}
	if (in->error)
		s->error = dup(rc, in->error, err);
	s->kernel_memory_bytes = in->kernel_bytes;
	s->mode = in->mode == VIGIL_MODE_MONITOR ? TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR
						 : TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE;
	if (c && c->owner && in->name && c->owner == in->name) {
		ac->post = c->post;
		ac->signal = c->signal;
		ac->monitor_signal = c->monitor_signal;
		ac->override = c->override;
		ac->monitor_override = c->monitor_override;
	}
	st->action_counters = ac;
	s->stats = st;
	return s;
}

static int list_tracing_policies(void *ctx, struct vigil_rpc_ctx *rc,
				 const Tetragon__ListTracingPoliciesRequest *req,
				 Tetragon__ListTracingPoliciesResponse *resp)
{
	struct vigil_api_agent *ag = ctx;
	size_t i, n = ag->lc->count(ag->lc_ctx);
	struct vigil_policy_info info;
	int err = 0;

	(void)req;
	if (!n)
		return 0;
	resp->policies = vigil_arena_alloc(rc->arena, n * sizeof(*resp->policies));
	if (!resp->policies)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++)
		if (!ag->lc->info(ag->lc_ctx, i, &info) && info.id < VIGIL_POLICIES_MAX)
			resp->policies[resp->n_policies++] = policy_status(ag, rc, &info, &err);
	return err;
}

void vigil_api_ops_init(struct vigil_api_ops *ops, struct vigil_api_agent *agent)
{
	*ops = (struct vigil_api_ops){
		.ctx = agent,
		.get_health = get_health,
		.add_tracing_policy = add_tracing_policy,
		.delete_tracing_policy = delete_tracing_policy,
		.list_tracing_policies = list_tracing_policies,
		.configure_tracing_policy = configure_tracing_policy,
		.enable_tracing_policy = enable_tracing_policy,
		.disable_tracing_policy = disable_tracing_policy,
		.get_version = get_version,
		.get_info = get_info,
	};
}
