// SPDX-License-Identifier: Apache-2.0
/*
 * pipeline.c - ring-buffer message -> process cache -> outputs.
 *
 *   msg ──type──► handlers[type] ──► decode ──► cache ──► emit ──► API streams (message)
 *                                                         │
 *                                                         └─► export filters ─► export file (JSON)
 *                                                                            └► stdout
 *
 * The same events, in the same order, reach every output.  The message is
 * built only when a client streams or export filters are set; the filters
 * are the API's (api/filter.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "event_pb.h"
#include "exec_desc.h"
#include "filter.h"
#include "k8s_pod.h"
#include "log.h"
#include "pipeline.h"
#include "pod_hold.h"

typedef int (*msg_handler)(struct vigil_pipeline *p, const void *data, size_t size);

/* The reader of stdout left.  With an export file vigild goes on without
 * stdout; as the only output, it stops. */
static int stdout_gone(struct vigil_pipeline *p)
{
	p->out_closed = true;
	if (p->export) {
		vigil_err("stdout: the reader went away (Broken pipe); events go on to the export "
			  "file only");
		return 0;
	}
	return -EPIPE;
}

/* The event as a GetEventsResponse, built when a client streams or export
 * filters are set: published, and tested against the filters.  Returns
 * whether the export file and stdout get it; one that cannot be built
 * (memory) is written unfiltered and not published, and counted. */
static bool publish(struct vigil_pipeline *p, const struct vigil_out_event *ev)
{
	bool filters = p->export_allow || p->export_deny, pass = true;
	bool api = p->api.publish && p->api.wants(p->api.arg);
	struct vigil_event_pb pb;

	if (!filters && !api)
		return true;
	if (vigil_event_pb(&pb, &p->enc, ev)) {
		p->pb_failed++;
	} else {
		if (api)
			p->api.publish(p->api.arg, pb.msg);
		if (filters)
			pass = vigil_filters_pass(p->export_allow, p->export_deny, pb.msg);
	}
	vigil_event_pb_free(&pb);
	if (!pass)
		p->export_filtered++;
	return pass;
}

/* The pod of a record in a container, found once, before the record is
 * first encoded (its encoding is kept). */
static void attach_pod(struct vigil_pipeline *p, struct vigil_process *proc)
{
	size_t idx = 0;

	if (!p->pods || !proc || proc->pod || proc->json || !proc->container_id[0])
		return;
	if (!vigil_pod_store_find_container(p->pods, proc->container_id, &proc->pod, &idx))
		proc->pod_container = (uint32_t)idx;
}

static int emit(struct vigil_pipeline *p, const struct vigil_out_event *ev)
{
	int err;

	attach_pod(p, ev->proc);
	if (ev->proc)
		attach_pod(p, ev->proc->parent);
	if (!publish(p, ev))
		return 0;
	if (p->export) {
		err = vigil_write_json(vigil_output_stream(p->export), &p->enc, ev);
		vigil_output_end_event(p->export, err);
	}
	if (!p->out || p->out_closed)
		return 0;
	if (p->out_mode == VIGIL_STDOUT_COMPACT)
		err = vigil_write_compact(vigil_output_stream(p->out), &p->enc, ev);
	else
		err = vigil_write_json(vigil_output_stream(p->out), &p->enc, ev);
	if (vigil_output_end_event(p->out, err) == -EPIPE)
		return stdout_gone(p);
	return 0;
}

int vigil_pipeline_flush(struct vigil_pipeline *p)
{
	if (p->export)
		vigil_output_flush(p->export);
	if (p->out && !p->out_closed && vigil_output_flush(p->out) == -EPIPE)
		return stdout_gone(p);
	return 0;
}

/* What an exec message reports of the new image. */
static void exec_source(const struct vigil_exec_info *info, struct vigil_exec_source *src)
{
	const struct vigil_exec_event *ev = info->raw;

	*src = (struct vigil_exec_source){
		.origin = VIGIL_PF_EXECVE,
		.exec_flags = ev->flags,
		.pid = ev->proc.pid,
		.tid = ev->tid,
		.ktime = ev->proc.ktime,
		.parent = ev->parent,
		.binary = info->binary,
		.args = info->args,
		.cwd = info->cwd,
		.cgroup = info->cgroup_leaf,
		.cgroup_parent = info->cgroup_parent,
		.creds = &ev->creds,
		.file = &ev->file,
		.ns = ev->ns,
		.cgroup_id = ev->cgroup_id,
	};
}

/* A handler's answer: the message was put aside to wait for its pod
 * (pod_hold.h); it is handled, and counted, when it comes back. */
#define HELD 1

/* Put a message of a pod's container aside when its pod is not known yet
 * (never one coming back from the FIFO).  True when it was. */
static bool hold(struct vigil_pipeline *p, const void *data, size_t size, const char *id,
		 const char *uid)
{
	return p->hold && !p->releasing && vigil_pod_hold_needs(p->hold, id, uid) &&
	       !vigil_pod_hold_push(p->hold, data, size, id, uid, p->now_ms);
}

static int handle_exec(struct vigil_pipeline *p, const void *data, size_t size)
{
	struct vigil_exec_info *info;
	struct vigil_exec_source src;
	struct vigil_exec_desc d;
	struct vigil_out_event out = { 0 };
	struct vigil_process *proc;
	int err;

	info = malloc(sizeof(*info)); /* large: kept off the stack */
	if (!info)
		return -ENOMEM;
	err = vigil_decode_exec(data, size, info);
	if (err)
		goto cleanup;
	exec_source(info, &src);
	vigil_exec_desc_build(&d, &src);
	if (hold(p, data, size, d.container_id, d.pod_uid)) {
		err = HELD;
		goto cleanup;
	}
	proc = vigil_cache_exec(p->cache, &d);
	if (!proc) {
		err = -ENOMEM;
		goto cleanup;
	}
	out.kind = VIGIL_OUT_EXEC;
	out.proc = proc;
	out.ktime = info->raw->hdr.ktime;
	err = emit(p, &out);
	vigil_process_put(p->cache, proc);
cleanup:
	free(info);
	return err;
}

static int handle_clone(struct vigil_pipeline *p, const void *data, size_t size)
{
	const struct vigil_clone_event *ev;
	struct vigil_process *proc;
	int err = vigil_decode_clone(data, size, &ev);

	if (err)
		return err;
	proc = vigil_cache_clone(p->cache, ev->proc.pid, ev->tid, ev->proc.ktime, &ev->parent);
	if (!proc)
		return -ENOMEM;
	vigil_process_put(p->cache, proc);
	return 0;
}

static int handle_exit(struct vigil_pipeline *p, const void *data, size_t size)
{
	const struct vigil_exit_event *ev;
	struct vigil_out_event out = { 0 };
	struct vigil_process *proc;
	int err = vigil_decode_exit(data, size, &ev);

	if (err)
		return err;
	proc = vigil_cache_exit(p->cache, ev->proc.pid, ev->proc.ktime);
	if (!proc)
		return -ENOMEM;
	out.kind = VIGIL_OUT_EXIT;
	out.proc = proc;
	out.ktime = ev->hdr.ktime;
	out.exit_code = ev->exit_code;
	err = emit(p, &out);
	vigil_process_put(p->cache, proc);
	return err;
}

/* The process a policy event names: its live record, or a new record for
 * a process the cache has not seen (it then carries only its pid). */
static struct vigil_process *policy_process(struct vigil_pipeline *p,
					    const struct vigil_policy_event *ev)
{
	struct vigil_process *proc = vigil_cache_find(p->cache, ev->proc.pid);
	struct vigil_proc_key none = { 0 };

	if (proc) {
		vigil_process_get(proc);
		return proc;
	}
	return vigil_cache_clone(p->cache, ev->proc.pid, ev->tid, ev->proc.ktime, &none);
}

/* ListTracingPolicies' counters: every event reported was posted; its
 * action was taken, or in monitor mode would have been. */
static void count_action(struct vigil_policy_counts *c, const struct vigil_hook_meta *meta,
			 uint32_t action, bool monitor)
{
	if (c->owner != meta->policy_name)
		*c = (struct vigil_policy_counts){ .owner = meta->policy_name };
	c->post++;
	if (action & (VIGIL_ACTION_SIGKILL | VIGIL_ACTION_SIGNAL)) {
		if (monitor)
			c->monitor_signal++;
		else
			c->signal++;
	}
	if (action & VIGIL_ACTION_OVERRIDE) {
		if (monitor)
			c->monitor_override++;
		else
			c->override++;
	}
}

static int handle_policy(struct vigil_pipeline *p, const void *data, size_t size)
{
	const struct vigil_hook_meta *meta;
	struct vigil_policy_event_info *info;
	struct vigil_out_policy pol = { 0 };
	struct vigil_out_event out = { 0 };
	struct vigil_process *proc;
	size_t i;
	int err;

	info = malloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	err = vigil_decode_policy(data, size, info);
	if (err)
		goto cleanup;
	meta = vigil_policies_hook(p->policies, info->raw->hook);
	if (!meta) {
		p->stale++;
		err = -ENOENT;
		goto cleanup;
	}
	pol.kind = meta->kind == VIGIL_HOOK_LSM		 ? VIGIL_OUT_LSM
		   : meta->kind == VIGIL_HOOK_TRACEPOINT ? VIGIL_OUT_TRACEPOINT
							 : VIGIL_OUT_KPROBE;
	pol.policy_name = meta->policy_name;
	pol.function_name = meta->function_name;
	pol.subsys = meta->subsys;
	pol.message = meta->message;
	pol.tags = meta->tags;
	pol.ntags = meta->ntags;
	pol.action = info->raw->action;
	pol.monitor = info->raw->flags & VIGIL_PEV_F_MONITOR;
	if (p->counts)
		count_action(&p->counts[info->raw->hook >> 12], meta, pol.action, pol.monitor);
	for (i = 0; i < info->nargs; i++) {
		const struct vigil_policy_arg_info *a = &info->args[i];
		const struct vigil_arg *ma;
		struct vigil_out_arg *o;

		if (a->slot < meta->nargs) {
			ma = &meta->args[a->slot];
			o = &pol.args[pol.nargs++];
		} else if (a->slot == meta->nargs && meta->ret) { /* the return value */
			ma = meta->ret;
			o = &pol.ret;
			pol.has_ret = true;
		} else {
			continue;
		}
		o->type = a->type;
		o->type_name = ma->type_name;
		o->label = ma->label;
		o->num = a->num;
		o->str = a->type == VIGIL_AT_INT ? NULL : a->str;
		o->bin = a->bin;
		o->bin_len = a->bin_len;
		o->truncated = a->truncated;
	}
	proc = policy_process(p, info->raw);
	if (!proc) {
		err = -ENOMEM;
		goto cleanup;
	}
	out.kind = VIGIL_OUT_POLICY;
	out.proc = proc;
	out.ktime = info->raw->hdr.ktime;
	out.pol = &pol;
	err = emit(p, &out);
	vigil_process_put(p->cache, proc);
cleanup:
	free(info);
	return err;
}

static const msg_handler handlers[VIGIL_MSG_TYPE_COUNT] = {
	[VIGIL_MSG_EXEC] = handle_exec,
	[VIGIL_MSG_CLONE] = handle_clone,
	[VIGIL_MSG_EXIT] = handle_exit,
	[VIGIL_MSG_POLICY] = handle_policy,
};

static int dispatch(struct vigil_pipeline *p, int type, const void *data, size_t size)
{
	int err;

	if (type < 0 || type >= VIGIL_MSG_TYPE_COUNT || !handlers[type]) {
		p->bad++;
		return 0;
	}
	err = handlers[type](p, data, size);
	if (err == HELD)
		return 0;
	if (err == -EINVAL) {
		p->bad++;
		return 0;
	}
	if (err == -ENOMEM) {
		p->oom++;
		return 0;
	}
	if (err == -ENOENT) /* counted by the handler */
		return 0;
	if (err)
		return err; /* -EPIPE: nowhere left to write */
	p->handled[type]++;
	return 0;
}

/* The container and pod UID of the process a message is about, as its
 * cgroup names them ("" when none): an exec's from the message, the
 * others' from the cache. */
static void msg_container(struct vigil_pipeline *p, int type, const void *data, size_t size,
			  char *id, char *uid)
{
	id[0] = uid[0] = 0;
	if (type == VIGIL_MSG_EXEC) {
		struct vigil_exec_info *info = malloc(sizeof(*info));
		struct vigil_exec_source src;
		struct vigil_exec_desc d;

		if (info && !vigil_decode_exec(data, size, info)) {
			exec_source(info, &src);
			vigil_exec_desc_build(&d, &src);
			memcpy(id, d.container_id, sizeof(d.container_id));
			memcpy(uid, d.pod_uid, sizeof(d.pod_uid));
		}
		free(info);
	} else if ((type == VIGIL_MSG_EXIT || type == VIGIL_MSG_POLICY) &&
		   size >= sizeof(struct vigil_msg_hdr) + sizeof(struct vigil_proc_key)) {
		struct vigil_proc_key key;
		struct vigil_process *proc;

		/* both begin with the header and the process's key */
		memcpy(&key, (const char *)data + sizeof(struct vigil_msg_hdr), sizeof(key));
		proc = vigil_cache_find(p->cache, key.pid);
		if (proc && !proc->pod) {
			memcpy(id, proc->container_id, sizeof(proc->container_id));
			memcpy(uid, proc->pod_uid, sizeof(proc->pod_uid));
		}
	}
}

/*
 * With --k8s, a message may have to wait for its pod (pod_hold.h): one
 * behind a waiting message always waits; an exit or a policy event whose
 * process's pod is not known yet waits; an exec is decided by handle_exec,
 * which has decoded it anyway.
 */
int vigil_pipeline_msg(void *arg, const void *data, size_t size)
{
	struct vigil_pipeline *p = arg;
	int type = vigil_msg_type(data, size);
	char id[VIGIL_CONTAINER_ID_LEN + 1], uid[VIGIL_POD_UID_LEN + 1];

	if (p->hold && !vigil_pod_hold_empty(p->hold)) {
		msg_container(p, type, data, size, id, uid);
		if (!vigil_pod_hold_push(p->hold, data, size, id, uid, p->now_ms))
			return 0;
	} else if (p->hold && (type == VIGIL_MSG_EXIT || type == VIGIL_MSG_POLICY)) {
		msg_container(p, type, data, size, id, uid);
		if (hold(p, data, size, id, uid))
			return 0;
	}
	return dispatch(p, type, data, size);
}

int vigil_pipeline_release(struct vigil_pipeline *p, uint64_t now_ms)
{
	const void *data;
	size_t size;
	bool late;
	int err;

	if (!p->hold)
		return 0;
	p->now_ms = now_ms;
	while ((data = vigil_pod_hold_ready(p->hold, now_ms, &size, &late))) {
		p->releasing = true;
		err = dispatch(p, vigil_msg_type(data, size), data, size);
		p->releasing = false;
		vigil_pod_hold_pop(p->hold);
		if (err)
			return err;
	}
	return 0;
}

static int compile_filters(const char *opt, const char *text, bool no_creds,
			   struct vigil_filters **out)
{
	char err[512];
	int ret;

	if (!text)
		return 0;
	ret = vigil_filters_from_json(text, strlen(text), out, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "vigild: %s: %s\n", opt, ret == -ENOMEM ? strerror(ENOMEM) : err);
		return -EINVAL;
	}
	if (no_creds && vigil_filters_use_caps(*out)) {
		fprintf(stderr,
			"vigild: %s: a capabilities filter needs the capabilities in events "
			"(--enable-process-cred)\n",
			opt);
		return -EINVAL;
	}
	return 0;
}

int vigil_pipeline_export_filters(struct vigil_pipeline *p, const char *allow, const char *deny,
				  bool no_creds)
{
	int ret = compile_filters("--export-allowlist", allow, no_creds, &p->export_allow);

	if (!ret)
		ret = compile_filters("--export-denylist", deny, no_creds, &p->export_deny);
	if (ret)
		vigil_pipeline_free_filters(p);
	return ret;
}

void vigil_pipeline_free_filters(struct vigil_pipeline *p)
{
	vigil_filters_free(p->export_allow);
	vigil_filters_free(p->export_deny);
	p->export_allow = p->export_deny = NULL;
}
