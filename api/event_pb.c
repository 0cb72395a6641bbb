// SPDX-License-Identifier: Apache-2.0
/*
 * event_pb.c - agent events as GetEventsResponse messages (event_pb.h).
 *
 * Field for field what agent/encode_json.c writes, with the same helpers
 * (encode.h): exec_id, flags, times, capability, signal, socket and action
 * names, binary properties.  A value the JSON leaves out is left unset here
 * (proto3's default), so that protojson writes the same text.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include "event_pb.h"
#include "k8s_pod.h"
#include "ns_names.h"
#include "values.h"

/* One build: the arena everything comes from, the context, the first
 * error. */
struct bld {
	struct vigil_arena *a;
	const struct vigil_encode_ctx *ctx;
	int err;
};

/* A new message of type d, initialised to its defaults. */
static void *new_msg(struct bld *b, const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = vigil_arena_alloc(b->a, d->sizeof_message);

	if (!m) {
		b->err = -ENOMEM;
		return NULL;
	}
	d->message_init(m);
	return m;
}

static void *new_array(struct bld *b, size_t n, size_t size)
{
	void *p = n ? vigil_arena_alloc(b->a, n * size) : NULL;

	if (n && !p)
		b->err = -ENOMEM;
	return p;
}

/* A string the event holds: pointed to, never written.  NULL is "". */
static char *borrow(const char *s)
{
	return (char *)(s ? s : "");
}

static char *dup(struct bld *b, const char *s)
{
	char *d = vigil_arena_strdup(b->a, s);

	if (!d)
		b->err = -ENOMEM;
	return d ? d : (char *)"";
}

static Google__Protobuf__UInt32Value *u32(struct bld *b, uint32_t v)
{
	Google__Protobuf__UInt32Value *w = new_msg(b, &google__protobuf__uint32_value__descriptor);

	if (w)
		w->value = v;
	return w;
}

static Google__Protobuf__Int32Value *i32(struct bld *b, int32_t v)
{
	Google__Protobuf__Int32Value *w = new_msg(b, &google__protobuf__int32_value__descriptor);

	if (w)
		w->value = v;
	return w;
}

/* The wall-clock time of a CLOCK_MONOTONIC instant. */
static Google__Protobuf__Timestamp *ts(struct bld *b, uint64_t ktime)
{
	Google__Protobuf__Timestamp *t = new_msg(b, &google__protobuf__timestamp__descriptor);
	uint64_t wall = b->ctx->boot_wall_ns + ktime;

	if (t) {
		t->seconds = (int64_t)(wall / 1000000000ULL);
		t->nanos = (int32_t)(wall % 1000000000ULL);
	}
	return t;
}

/* The capabilities of mask that CapabilitiesType names, in bit order. */
static Tetragon__CapabilitiesType *caps(struct bld *b, uint64_t mask, size_t *n)
{
	Tetragon__CapabilitiesType *v = new_array(b, 64, sizeof(*v));
	unsigned int i;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < 64; i++)
		if ((mask >> i) & 1 && vigil_cap_enum_name(i))
			v[(*n)++] = (Tetragon__CapabilitiesType)i;
	return v;
}

static Tetragon__Capabilities *caps_pb(struct bld *b, const struct vigil_creds *c)
{
	Tetragon__Capabilities *o = new_msg(b, &tetragon__capabilities__descriptor);

	if (!o)
		return NULL;
	o->permitted = caps(b, c->cap_permitted, &o->n_permitted);
	o->effective = caps(b, c->cap_effective, &o->n_effective);
	o->inheritable = caps(b, c->cap_inheritable, &o->n_inheritable);
	return o;
}

/* ProcessCredentials: the ids, and the capability sets for a cred
 * argument (a process has its own cap). */
static Tetragon__ProcessCredentials *creds_pb(struct bld *b, const struct vigil_creds *c,
					      bool with_caps)
{
	Tetragon__ProcessCredentials *o = new_msg(b, &tetragon__process_credentials__descriptor);

	if (!o)
		return NULL;
	o->uid = u32(b, c->uid);
	o->gid = u32(b, c->gid);
	o->euid = u32(b, c->euid);
	o->egid = u32(b, c->egid);
	o->suid = u32(b, c->suid);
	o->sgid = u32(b, c->sgid);
	o->fsuid = u32(b, c->fsuid);
	o->fsgid = u32(b, c->fsgid);
	if (with_caps)
		o->caps = caps_pb(b, c);
	return o;
}

/* Namespaces: each slot in the field of its name (ns_names.h); a zero inum
 * is no namespace. */
static Tetragon__Namespaces *ns_pb(struct bld *b, const struct vigil_process *p)
{
	Tetragon__Namespaces *o = new_msg(b, &tetragon__namespaces__descriptor);
	const ProtobufCFieldDescriptor *f;
	Tetragon__Namespace *one;
	int i;

	for (i = 0; o && i < VIGIL_NS_COUNT; i++) {
		if (!p->ns[i])
			continue;
		f = protobuf_c_message_descriptor_get_field_by_name(
			&tetragon__namespaces__descriptor, vigil_ns_name((enum vigil_ns_slot)i));
		one = f ? new_msg(b, &tetragon__namespace__descriptor) : NULL;
		if (!one)
			continue;
		one->inum = p->ns[i];
		one->is_host = b->ctx->host_ns[i] && p->ns[i] == b->ctx->host_ns[i];
		*(Tetragon__Namespace **)((char *)o + f->offset) = one;
	}
	return o;
}

static Tetragon__BinaryProperties *binary_props_pb(struct bld *b, const struct vigil_process *p)
{
	Tetragon__BinaryProperties *o;
	Tetragon__FileProperties *file;
	Tetragon__InodeProperties *inode;
	struct vigil_binary_props bp;
	int i;

	vigil_binary_props(p, &bp);
	if (!bp.present)
		return NULL;
	o = new_msg(b, &tetragon__binary_properties__descriptor);
	if (!o)
		return NULL;
	if (bp.has_setuid)
		o->setuid = u32(b, bp.setuid);
	if (bp.has_setgid)
		o->setgid = u32(b, bp.setgid);
	o->privileges_changed = new_array(b, (size_t)bp.nprivs, sizeof(*o->privileges_changed));
	for (i = 0; o->privileges_changed && i < bp.nprivs; i++) /* the same numbers */
		o->privileges_changed[o->n_privileges_changed++] =
			(Tetragon__ProcessPrivilegesChanged)bp.privs[i];
	if (bp.fileless) {
		file = new_msg(b, &tetragon__file_properties__descriptor);
		inode = new_msg(b, &tetragon__inode_properties__descriptor);
		if (file && inode) {
			inode->number = bp.ino;
			inode->links = u32(b, bp.links);
			file->inode = inode;
			o->file = file;
		}
	}
	return o;
}

static Tetragon__Pod *pod_pb(struct bld *b, const struct vigil_process *p)
{
	const struct vigil_pod *pod = p->pod;
	Tetragon__Pod *o;
	size_t i;

	if (!pod)
		return NULL;
	o = new_msg(b, &tetragon__pod__descriptor);
	if (!o)
		return NULL;
	o->namespace_ = borrow(pod->ns);
	o->name = borrow(pod->name);
	o->uid = borrow(pod->uid);
	if (p->pod_container < pod->ncontainers) {
		const struct vigil_pod_container *c = &pod->containers[p->pod_container];
		Tetragon__Container *co = new_msg(b, &tetragon__container__descriptor);

		if (co) {
			co->id = borrow(c->full_id);
			co->name = borrow(c->name);
			if ((c->image_id && c->image_id[0]) || (c->image && c->image[0])) {
				co->image = new_msg(b, &tetragon__image__descriptor);
				if (co->image) {
					co->image->id = borrow(c->image_id);
					co->image->name = borrow(c->image);
				}
			}
			if (c->start_time_ns) {
				co->start_time =
					new_msg(b, &google__protobuf__timestamp__descriptor);
				if (co->start_time) {
					co->start_time->seconds =
						(int64_t)(c->start_time_ns / 1000000000ULL);
					co->start_time->nanos =
						(int32_t)(c->start_time_ns % 1000000000ULL);
				}
			}
			o->container = co;
		}
	}
	o->pod_labels = new_array(b, pod->nlabels, sizeof(*o->pod_labels));
	for (i = 0; o->pod_labels && i < pod->nlabels; i++) {
		Tetragon__Pod__PodLabelsEntry *e =
			new_msg(b, &tetragon__pod__pod_labels_entry__descriptor);

		if (!e)
			break;
		e->key = borrow(pod->labels[i].key);
		e->value = borrow(pod->labels[i].value);
		o->pod_labels[o->n_pod_labels++] = e;
	}
	o->workload = borrow(pod->workload);
	o->workload_kind = borrow(pod->workload_kind);
	return o;
}

static Tetragon__Process *process_pb(struct bld *b, const struct vigil_process *p)
{
	const struct vigil_encode_ctx *ctx = b->ctx;
	const struct vigil_creds *c = &p->creds;
	Tetragon__Process *o = new_msg(b, &tetragon__process__descriptor);
	char id[VIGIL_EXEC_ID_MAX], flags[160];

	if (!o)
		return NULL;
	vigil_exec_id(ctx->node_name, p->ktime, p->pid, id, sizeof(id));
	o->exec_id = dup(b, id);
	o->pid = u32(b, p->pid);
	o->uid = u32(b, c->uid);
	o->cwd = borrow(p->cwd);
	o->binary = borrow(p->binary);
	o->arguments = borrow(p->args);
	vigil_flags_text(p->flags, flags, sizeof(flags));
	o->flags = dup(b, flags);
	o->start_time = ts(b, p->ktime);
	o->auid = u32(b, c->auid);
	o->pod = pod_pb(b, p);
	o->docker = borrow(p->container_id);
	if (p->parent_key.pid) {
		vigil_exec_id(ctx->node_name, p->parent_key.ktime, p->parent_key.pid, id,
			      sizeof(id));
		o->parent_exec_id = dup(b, id);
	}
	if (!ctx->no_creds)
		o->cap = caps_pb(b, c);
	if (!ctx->no_ns)
		o->ns = ns_pb(b, p);
	o->tid = u32(b, p->tid);
	if (!ctx->no_creds)
		o->process_credentials = creds_pb(b, c, false);
	o->binary_properties = binary_props_pb(b, p);
	return o;
}

/* A family, type, protocol or state: its name, or its number as text. */
static char *named(struct bld *b, const char *name, unsigned int v)
{
	char buf[16];

	return name ? borrow(name) : dup(b, vigil_name_or_number(NULL, v, buf, sizeof(buf)));
}

static char *addr(struct bld *b, const uint8_t a[16])
{
	char buf[INET6_ADDRSTRLEN];

	vigil_format_addr(a, buf, sizeof(buf));
	return dup(b, buf);
}

static Tetragon__KprobeSock *sock_pb(struct bld *b, const struct vigil_sock_info *si)
{
	Tetragon__KprobeSock *o = new_msg(b, &tetragon__kprobe_sock__descriptor);

	if (!o)
		return NULL;
	o->family = named(b, vigil_family_name(si->family), si->family);
	o->type = named(b, vigil_sock_type_name(si->type), si->type);
	o->protocol = named(b, vigil_protocol_name(si->protocol), si->protocol);
	o->mark = si->mark;
	o->priority = si->priority;
	o->saddr = addr(b, si->saddr);
	o->daddr = addr(b, si->daddr);
	o->sport = si->sport;
	o->dport = si->dport;
	o->cookie = si->cookie;
	if (si->state)
		o->state = named(b, vigil_tcp_state_name(si->state), si->state);
	return o;
}

static Tetragon__KprobeSockaddr *sockaddr_pb(struct bld *b, const struct vigil_sock_info *si)
{
	Tetragon__KprobeSockaddr *o = new_msg(b, &tetragon__kprobe_sockaddr__descriptor);

	if (!o)
		return NULL;
	o->family = named(b, vigil_family_name(si->family), si->family);
	if (si->family == AF_INET || si->family == AF_INET6)
		o->addr = addr(b, si->saddr);
	o->port = si->sport;
	return o;
}

/* KprobeSkb: the IP header and ports; sec_path_len and sec_path_olen are
 * not read (0). */
static Tetragon__KprobeSkb *skb_pb(struct bld *b, const struct vigil_skb_info *si)
{
	Tetragon__KprobeSkb *o = new_msg(b, &tetragon__kprobe_skb__descriptor);

	if (!o)
		return NULL;
	o->hash = si->hash;
	o->len = si->len;
	o->priority = si->priority;
	o->mark = si->mark;
	o->sport = si->sport;
	o->dport = si->dport;
	o->proto = si->protocol;
	if (si->family) {
		o->saddr = addr(b, si->saddr);
		o->daddr = addr(b, si->daddr);
		o->protocol = named(b, vigil_protocol_name(si->protocol), si->protocol);
		o->family = named(b, vigil_family_name(si->family), si->family);
	}
	return o;
}

/* A char_buf: bytes_arg, or truncated_bytes_arg with the size the caller
 * gave when the read was cut. */
static void bytes_pb(struct bld *b, Tetragon__KprobeArgument *o, const struct vigil_out_arg *a)
{
	ProtobufCBinaryData d = { .len = a->bin_len, .data = (uint8_t *)a->bin };
	Tetragon__KprobeTruncatedBytes *t;

	if (!a->truncated) {
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BYTES_ARG;
		o->bytes_arg = d;
		return;
	}
	t = new_msg(b, &tetragon__kprobe_truncated_bytes__descriptor);
	if (!t)
		return;
	t->bytes_arg = d;
	t->orig_size = a->num;
	o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_TRUNCATED_BYTES_ARG;
	o->truncated_bytes_arg = t;
}

static void int_pb(Tetragon__KprobeArgument *o, const struct vigil_out_arg *a)
{
	switch (vigil_int_arg_kind(a->type_name)) {
	case VIGIL_INT_ARG_SIZE:
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SIZE_ARG;
		o->size_arg = a->num;
		break;
	case VIGIL_INT_ARG_LONG:
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_LONG_ARG;
		o->long_arg = (int64_t)a->num;
		break;
	case VIGIL_INT_ARG_UINT:
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_UINT_ARG;
		o->uint_arg = (uint32_t)a->num;
		break;
	case VIGIL_INT_ARG_INT:
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG;
		o->int_arg = (int32_t)a->num;
		break;
	}
}

/* KprobeFile, KprobePath and KprobeLinuxBinprm as they are filled: the
 * path alone.  (The three share their first fields' shape but not their
 * numbers, so each is made by its own descriptor.) */
static void path_pb(struct bld *b, Tetragon__KprobeArgument *o, const struct vigil_out_arg *a)
{
	Tetragon__KprobeFile *file;
	Tetragon__KprobePath *path;
	Tetragon__KprobeLinuxBinprm *bprm;

	switch (a->type) {
	case VIGIL_AT_LINUX_BINPRM:
		bprm = new_msg(b, &tetragon__kprobe_linux_binprm__descriptor);
		if (!bprm)
			return;
		bprm->path = borrow(a->str);
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_LINUX_BINPRM_ARG;
		o->linux_binprm_arg = bprm;
		break;
	case VIGIL_AT_PATH:
		path = new_msg(b, &tetragon__kprobe_path__descriptor);
		if (!path)
			return;
		path->path = borrow(a->str);
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_PATH_ARG;
		o->path_arg = path;
		break;
	default: /* file, fd, dentry */
		file = new_msg(b, &tetragon__kprobe_file__descriptor);
		if (!file)
			return;
		file->path = borrow(a->str);
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_FILE_ARG;
		o->file_arg = file;
		break;
	}
}

/* One KprobeArgument; the structs in a message may be unaligned, so they
 * are copied out first. */
static Tetragon__KprobeArgument *arg_pb(struct bld *b, const struct vigil_out_arg *a)
{
	Tetragon__KprobeArgument *o = new_msg(b, &tetragon__kprobe_argument__descriptor);
	Tetragon__KprobeCapability *cap;
	struct vigil_sock_info si;
	struct vigil_skb_info skb;
	struct vigil_creds cred;

	if (!o)
		return NULL;
	switch (a->type) {
	case VIGIL_AT_INT:
		int_pb(o, a);
		break;
	case VIGIL_AT_LINUX_BINPRM:
	case VIGIL_AT_FILE:
	case VIGIL_AT_FD:
	case VIGIL_AT_DENTRY:
	case VIGIL_AT_PATH:
		path_pb(b, o, a);
		break;
	case VIGIL_AT_CAPABILITY:
		cap = new_msg(b, &tetragon__kprobe_capability__descriptor);
		if (!cap)
			break;
		cap->value = i32(b, (int32_t)a->num);
		cap->name = borrow(vigil_cap_enum_name((unsigned int)a->num));
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_CAPABILITY_ARG;
		o->capability_arg = cap;
		break;
	case VIGIL_AT_CHAR_BUF:
		if (a->bin)
			bytes_pb(b, o, a);
		break;
	case VIGIL_AT_CRED:
		if (a->bin_len == sizeof(cred)) {
			memcpy(&cred, a->bin, sizeof(cred));
			o->process_credentials_arg = creds_pb(b, &cred, true);
			o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_PROCESS_CREDENTIALS_ARG;
		}
		break;
	case VIGIL_AT_SOCK:
		if (a->bin_len == sizeof(si)) {
			memcpy(&si, a->bin, sizeof(si));
			o->sock_arg = sock_pb(b, &si);
			o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SOCK_ARG;
		}
		break;
	case VIGIL_AT_SOCKADDR:
		if (a->bin_len == sizeof(si)) {
			memcpy(&si, a->bin, sizeof(si));
			o->sockaddr_arg = sockaddr_pb(b, &si);
			o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SOCKADDR_ARG;
		}
		break;
	case VIGIL_AT_SKB:
		if (a->bin_len == sizeof(skb)) {
			memcpy(&skb, a->bin, sizeof(skb));
			o->skb_arg = skb_pb(b, &skb);
			o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SKB_ARG;
		}
		break;
	case VIGIL_AT_STRING:
		/* a set oneof: written even when empty */
		o->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_STRING_ARG;
		o->string_arg = borrow(a->str ? a->str : "");
		break;
	}
	o->label = borrow(a->label);
	return o;
}

static Tetragon__KprobeArgument **args_pb(struct bld *b, const struct vigil_out_policy *pol,
					  size_t *n)
{
	Tetragon__KprobeArgument **v = new_array(b, pol->nargs, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; v && i < pol->nargs; i++) {
		v[i] = arg_pb(b, &pol->args[i]);
		if (!v[i])
			return v;
		*n = i + 1;
	}
	return v;
}

static Tetragon__KprobeAction action_pb(uint32_t actions)
{
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value_by_name(
		&tetragon__kprobe_action__descriptor, vigil_action_name(actions));

	return v ? (Tetragon__KprobeAction)v->value
		 : TETRAGON__KPROBE_ACTION__KPROBE_ACTION_UNKNOWN;
}

/* process_kprobe, process_lsm or process_tracepoint: the same facts in
 * each message's own fields. */
static void policy_pb(struct bld *b, Tetragon__GetEventsResponse *r, Tetragon__Process *proc,
		      Tetragon__Process *parent, const struct vigil_out_policy *pol)
{
	Tetragon__ProcessTracepoint *tp;
	Tetragon__ProcessKprobe *kp;
	Tetragon__ProcessLsm *lsm;
	char *message = borrow(pol->message);

	switch (pol->kind) {
	case VIGIL_OUT_TRACEPOINT:
		tp = new_msg(b, &tetragon__process_tracepoint__descriptor);
		if (!tp)
			return;
		tp->process = proc;
		tp->parent = parent;
		tp->subsys = borrow(pol->subsys);
		tp->event = borrow(pol->function_name);
		tp->args = args_pb(b, pol, &tp->n_args);
		tp->policy_name = borrow(pol->policy_name);
		tp->action = action_pb(pol->action);
		tp->message = message;
		tp->n_tags = pol->ntags;
		tp->tags = (char **)pol->tags;
		r->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT;
		r->process_tracepoint = tp;
		break;
	case VIGIL_OUT_LSM:
		lsm = new_msg(b, &tetragon__process_lsm__descriptor);
		if (!lsm)
			return;
		lsm->process = proc;
		lsm->parent = parent;
		lsm->function_name = borrow(pol->function_name);
		lsm->policy_name = borrow(pol->policy_name);
		lsm->message = message;
		lsm->args = args_pb(b, pol, &lsm->n_args);
		lsm->action = action_pb(pol->action);
		lsm->n_tags = pol->ntags;
		lsm->tags = (char **)pol->tags;
		r->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM;
		r->process_lsm = lsm;
		break;
	default:
		kp = new_msg(b, &tetragon__process_kprobe__descriptor);
		if (!kp)
			return;
		kp->process = proc;
		kp->parent = parent;
		kp->function_name = borrow(pol->function_name);
		kp->args = args_pb(b, pol, &kp->n_args);
		if (pol->has_ret)
			kp->return_ = arg_pb(b, &pol->ret);
		kp->action = action_pb(pol->action);
		kp->policy_name = borrow(pol->policy_name);
		kp->message = message;
		kp->n_tags = pol->ntags;
		kp->tags = (char **)pol->tags;
		r->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE;
		r->process_kprobe = kp;
		break;
	}
}

static void exit_pb(struct bld *b, Tetragon__GetEventsResponse *r, Tetragon__Process *proc,
		    Tetragon__Process *parent, const struct vigil_out_event *ev)
{
	Tetragon__ProcessExit *e = new_msg(b, &tetragon__process_exit__descriptor);
	char sig[32];

	if (!e)
		return;
	e->process = proc;
	e->parent = parent;
	vigil_signal_name(ev->exit_code & 0x7f, sig, sizeof(sig));
	e->signal = sig[0] ? dup(b, sig) : borrow(NULL);
	e->status = (ev->exit_code >> 8) & 0xff;
	e->time = ts(b, ev->ktime);
	r->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT;
	r->process_exit = e;
}

int vigil_event_pb(struct vigil_event_pb *pb, const struct vigil_encode_ctx *ctx,
		   const struct vigil_out_event *ev)
{
	struct bld b = { .a = &pb->arena, .ctx = ctx };
	Tetragon__Process *proc, *parent = NULL;
	Tetragon__GetEventsResponse *r;
	Tetragon__ProcessExec *exec;

	vigil_arena_init(&pb->arena);
	pb->msg = NULL;
	r = new_msg(&b, &tetragon__get_events_response__descriptor);
	proc = process_pb(&b, ev->proc);
	if (ev->proc->parent)
		parent = process_pb(&b, ev->proc->parent);
	if (!r || !proc)
		goto cleanup;
	switch (ev->kind) {
	case VIGIL_OUT_EXEC:
		exec = new_msg(&b, &tetragon__process_exec__descriptor);
		if (!exec)
			goto cleanup;
		exec->process = proc;
		exec->parent = parent;
		r->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
		r->process_exec = exec;
		break;
	case VIGIL_OUT_EXIT:
		exit_pb(&b, r, proc, parent, ev);
		break;
	case VIGIL_OUT_POLICY:
		policy_pb(&b, r, proc, parent, ev->pol);
		break;
	}
	r->node_name = borrow(ctx->node_name);
	r->time = ts(&b, ev->ktime);
cleanup:
	if (b.err || !r) {
		vigil_arena_free(&pb->arena);
		return -ENOMEM;
	}
	pb->msg = r;
	return 0;
}

void vigil_event_pb_free(struct vigil_event_pb *pb)
{
	vigil_arena_free(&pb->arena);
	pb->msg = NULL;
}
