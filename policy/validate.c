// SPDX-License-Identifier: Apache-2.0
/*
 * validate.c - semantic checks of a parsed policy (see validate.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "pod_selector.h"
#include "suggest.h"
#include "validate.h"
#include "values.h"

#define PATH_LEN 512

/* Suggestions for missing targets may enumerate the kernel's names: only
 * this many per policy get one. */
#define MAX_SUGGESTIONS 32

struct vctx {
	const struct vigil_policy *p;
	const struct vigil_kernel_facts *k;
	struct vigil_diags *ds;
	char path[PATH_LEN];
	size_t plen;
	unsigned suggestions;
	size_t list_value; /* the hook's value in its list, for list-expanded hooks */
};

struct qbuf {
	char s[VIGIL_QUOTE_BUFSZ];
};

static const char *q(struct qbuf *b, const char *s)
{
	return vigil_quote_str(s, b->s, sizeof(b->s));
}

/* --- path and diagnostics ------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static size_t push(struct vctx *v, const char *fmt, ...)
{
	size_t old = v->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v->path + v->plen, sizeof(v->path) - v->plen, fmt, ap);
	va_end(ap);
	if (n > 0 && v->plen + (size_t)n < sizeof(v->path))
		v->plen += (size_t)n;
	else
		v->path[v->plen] = '\0';
	return old;
}

static void pop(struct vctx *v, size_t old)
{
	v->plen = old;
	v->path[old] = '\0';
}

__attribute__((format(printf, 4, 5))) static void diag(struct vctx *v, enum vigil_severity sev,
						       struct vigil_pos pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vigil_diag_add(v->ds, sev, v->p->file, pos, v->path, "%s", msg);
}

#define err(v, pos, ...)  diag(v, VIGIL_DIAG_ERROR, pos, __VA_ARGS__)
#define warn(v, pos, ...) diag(v, VIGIL_DIAG_WARNING, pos, __VA_ARGS__)

static int fact(int (*fn)(void *, const char *), void *ctx, const char *name)
{
	return fn ? fn(ctx, name) : -1;
}

/* --- argument classes ----------------------------------------------------- */

enum cls {
	CLS_INT,
	CLS_CAP,
	CLS_STR,
	CLS_NET,
	CLS_OTHER,
};

static enum cls arg_class(enum vigil_arg_type t)
{
	if (vigil_arg_type_is_int(t))
		return CLS_INT;
	switch (t) {
	case VIGIL_ARG_CAPABILITY:
		return CLS_CAP;
	case VIGIL_ARG_STRING:
	case VIGIL_ARG_CHAR_BUF:
	case VIGIL_ARG_FD:
	case VIGIL_ARG_FILE:
	case VIGIL_ARG_PATH:
	case VIGIL_ARG_DENTRY:
	case VIGIL_ARG_LINUX_BINPRM:
		return CLS_STR;
	case VIGIL_ARG_SOCK:
	case VIGIL_ARG_SOCKET:
	case VIGIL_ARG_SOCKADDR:
	case VIGIL_ARG_SKB:
		return CLS_NET;
	default:
		return CLS_OTHER;
	}
}

#define STR_TYPES "string, char_buf, fd, file, path, dentry, linux_binprm"
#define INT_TYPES "int, int8..int64, uint8..uint64, long, ulong, size_t"

/* The types an operator applies to, for a message; NULL when t fits. */
static const char *op_fits(enum vigil_op op, enum vigil_arg_type t)
{
	enum cls c = arg_class(t);

	switch (op) {
	case VIGIL_OP_EQUAL:
	case VIGIL_OP_NOT_EQUAL:
		return c == CLS_INT || c == CLS_CAP || c == CLS_STR ? NULL
								    : STR_TYPES
			       ", capability and integer types";
	case VIGIL_OP_PREFIX:
	case VIGIL_OP_NOT_PREFIX:
	case VIGIL_OP_POSTFIX:
	case VIGIL_OP_NOT_POSTFIX:
		return c == CLS_STR ? NULL : STR_TYPES;
	case VIGIL_OP_GT:
	case VIGIL_OP_LT:
	case VIGIL_OP_MASK:
	case VIGIL_OP_IN_MAP:
	case VIGIL_OP_NOT_IN_MAP:
	case VIGIL_OP_IN_RANGE:
	case VIGIL_OP_NOT_IN_RANGE:
		return c == CLS_INT ? NULL : INT_TYPES;
	case VIGIL_OP_SADDR:
	case VIGIL_OP_NOT_SADDR:
	case VIGIL_OP_SPORT:
	case VIGIL_OP_NOT_SPORT:
	case VIGIL_OP_FAMILY:
		return c == CLS_NET ? NULL : "sock, socket, sockaddr, skb";
	case VIGIL_OP_DADDR:
	case VIGIL_OP_NOT_DADDR:
	case VIGIL_OP_DPORT:
	case VIGIL_OP_NOT_DPORT:
	case VIGIL_OP_PROTOCOL:
		/* a sockaddr has no destination and no protocol */
		return t == VIGIL_ARG_SOCK || t == VIGIL_ARG_SOCKET || t == VIGIL_ARG_SKB
			       ? NULL
			       : "sock, socket, skb";
	default:
		return "no type";
	}
}

/* --- values --------------------------------------------------------------- */

static void int_range_text(enum vigil_arg_type t, char *buf, size_t n)
{
	unsigned bits = vigil_arg_type_bits(t);

	if (vigil_arg_type_is_signed(t))
		snprintf(buf, n, "%lld to %llu",
			 bits == 64 ? (long long)INT64_MIN : -(1LL << (bits - 1)),
			 (unsigned long long)((1ULL << (bits - 1)) - 1));
	else
		snprintf(buf, n, "0 to %llu",
			 bits == 64 ? (unsigned long long)UINT64_MAX : (1ULL << bits) - 1);
}

static void bad_int(struct vctx *v, const struct vigil_value *val, const struct vigil_arg *a,
		    int rc, bool range)
{
	char lim[64];
	struct qbuf b1, b2;

	int_range_text(a->type, lim, sizeof(lim));
	if (rc == -ERANGE)
		err(v, val->pos, "%s is out of range for %s (%s)", q(&b1, val->s),
		    q(&b2, a->type_name ? a->type_name : vigil_arg_type_name(a->type)), lim);
	else if (rc == -EDOM)
		err(v, val->pos, "range %s has its minimum above its maximum", q(&b1, val->s));
	else if (range)
		err(v, val->pos, "%s is not a range \"min:max\" of integers", q(&b1, val->s));
	else
		err(v, val->pos, "%s is not an integer", q(&b1, val->s));
}

static void symlink_warning(struct vctx *v, const struct vigil_value *val)
{
	char target[4096];
	struct qbuf b1, b2;

	if (!v->k || !v->k->readlink || val->s[0] != '/')
		return;
	if (v->k->readlink(v->k->ctx, val->s, target, sizeof(target)) != 1 ||
	    strcmp(target, val->s) == 0)
		return;
	warn(v, val->pos,
	     "%s is a symbolic link to %s; vigil matches both the path as invoked and the "
	     "resolved path",
	     q(&b1, val->s), q(&b2, target));
}

static void check_cap_value(struct vctx *v, const struct vigil_value *val)
{
	struct qbuf b1, b2;
	const char *sug;

	if (vigil_parse_cap(val->s) >= 0)
		return;
	sug = vigil_suggest(val->s, vigil_cap_names, VIGIL_CAP_LAST + 1);
	if (sug)
		err(v, val->pos, "%s is not a capability (did you mean %s?)", q(&b1, val->s),
		    q(&b2, sug));
	else
		err(v, val->pos, "%s is not a capability: a CAP_* name or a number from 0 to %d",
		    q(&b1, val->s), VIGIL_CAP_LAST);
}

static void check_string_value(struct vctx *v, const struct vigil_value *val)
{
	size_t n = strlen(val->s);

	if (n > VIGIL_MAX_STRING)
		err(v, val->pos, "the value is %zu bytes long: at most %d", n, VIGIL_MAX_STRING);
}

static void check_value(struct vctx *v, const struct vigil_match_arg *m, const struct vigil_arg *a,
			const struct vigil_value *val)
{
	struct vigil_range r;
	struct qbuf b;
	uint8_t addr[16];
	unsigned prefix;
	uint16_t lo, hi;
	int fam, rc;

	switch (m->op) {
	case VIGIL_OP_EQUAL:
	case VIGIL_OP_NOT_EQUAL:
		if (arg_class(a->type) == CLS_INT) {
			rc = vigil_parse_int(val->s, a->type, NULL, NULL);
			if (rc)
				bad_int(v, val, a, rc, false);
		} else if (arg_class(a->type) == CLS_CAP) {
			check_cap_value(v, val);
		} else {
			check_string_value(v, val);
			if (a->type == VIGIL_ARG_LINUX_BINPRM || a->type == VIGIL_ARG_FILE ||
			    a->type == VIGIL_ARG_PATH)
				symlink_warning(v, val);
		}
		break;
	case VIGIL_OP_PREFIX:
	case VIGIL_OP_NOT_PREFIX:
	case VIGIL_OP_POSTFIX:
	case VIGIL_OP_NOT_POSTFIX:
		check_string_value(v, val);
		break;
	case VIGIL_OP_GT:
	case VIGIL_OP_LT:
	case VIGIL_OP_MASK:
		rc = vigil_parse_int(val->s, a->type, NULL, NULL);
		if (rc)
			bad_int(v, val, a, rc, false);
		break;
	case VIGIL_OP_IN_MAP:
	case VIGIL_OP_NOT_IN_MAP:
		if (strncmp(val->s, "list:", 5) == 0) {
			err(v, val->pos,
			    "%s: list values are for syscall64 arguments, which vigil does not "
			    "support",
			    q(&b, val->s));
			break;
		}
		rc = vigil_parse_range(val->s, a->type, true, &r);
		if (rc)
			bad_int(v, val, a, rc, strchr(val->s, ':') != NULL);
		break;
	case VIGIL_OP_IN_RANGE:
	case VIGIL_OP_NOT_IN_RANGE:
		rc = vigil_parse_range(val->s, a->type, false, &r);
		if (rc)
			bad_int(v, val, a, rc, true);
		break;
	case VIGIL_OP_SADDR:
	case VIGIL_OP_NOT_SADDR:
	case VIGIL_OP_DADDR:
	case VIGIL_OP_NOT_DADDR:
		rc = vigil_parse_cidr(val->s, addr, &prefix, &fam);
		if (rc == -ERANGE)
			err(v, val->pos, "%s: the prefix is longer than the address",
			    q(&b, val->s));
		else if (rc)
			err(v, val->pos, "%s is not an IPv4 or IPv6 address or CIDR",
			    q(&b, val->s));
		break;
	case VIGIL_OP_SPORT:
	case VIGIL_OP_NOT_SPORT:
	case VIGIL_OP_DPORT:
	case VIGIL_OP_NOT_DPORT:
		rc = vigil_parse_port(val->s, &lo, &hi);
		if (rc == -EDOM)
			err(v, val->pos, "range %s has its minimum above its maximum",
			    q(&b, val->s));
		else if (rc)
			err(v, val->pos, "%s is not a port (0 to 65535) or a port range \"N:M\"",
			    q(&b, val->s));
		break;
	case VIGIL_OP_PROTOCOL:
		rc = vigil_parse_protocol(val->s, &lo, &hi);
		if (rc == -EDOM)
			err(v, val->pos, "range %s has its minimum above its maximum",
			    q(&b, val->s));
		else if (rc)
			err(v, val->pos,
			    "%s is not a protocol: an IPPROTO_* name such as IPPROTO_TCP, or a "
			    "number from 0 to 65535",
			    q(&b, val->s));
		break;
	case VIGIL_OP_FAMILY:
		rc = vigil_parse_family(val->s, &lo, &hi);
		if (rc == -EDOM)
			err(v, val->pos, "range %s has its minimum above its maximum",
			    q(&b, val->s));
		else if (rc)
			err(v, val->pos,
			    "%s is not an address family: an AF_* name such as AF_INET, or a "
			    "number "
			    "from 0 to 65535",
			    q(&b, val->s));
		break;
	default:
		break;
	}
}

/* The values of a filter: at least one, at most VIGIL_MAX_VALUES.  Returns
 * false when they should not be checked one by one. */
static bool check_count(struct vctx *v, const struct vigil_values *vals, struct vigil_pos pos)
{
	size_t old;

	if (vals->n == 0) {
		err(v, pos, "needs at least one value");
		return false;
	}
	if (vals->n > VIGIL_MAX_VALUES) {
		old = push(v, ".values");
		err(v, vals->v[VIGIL_MAX_VALUES].pos, "more than %d values", VIGIL_MAX_VALUES);
		pop(v, old);
		return false;
	}
	return true;
}

/* --- selectors ------------------------------------------------------------ */

static const struct vigil_arg *find_arg(const struct vigil_hook *h, unsigned index)
{
	size_t i;

	for (i = 0; i < h->nargs; i++)
		if (h->args[i].index == index)
			return &h->args[i];
	return NULL;
}

static void check_match_arg(struct vctx *v, const struct vigil_match_arg *m,
			    const struct vigil_arg *a)
{
	const char *fits = op_fits(m->op, a->type);
	struct qbuf b1, b2;
	size_t i, old;

	if (fits) {
		old = push(v, ".operator");
		err(v, m->op_pos,
		    "operator %s does not apply to an argument of type %s (it applies to %s)",
		    q(&b1, vigil_op_name(m->op)),
		    q(&b2, a->type_name ? a->type_name : vigil_arg_type_name(a->type)), fits);
		pop(v, old);
		return;
	}
	if (!check_count(v, &m->values, m->pos))
		return;
	for (i = 0; i < m->values.n; i++) {
		old = push(v, ".values[%zu]", i);
		check_value(v, m, a, &m->values.v[i]);
		pop(v, old);
	}
}

static void list_indexes(const struct vigil_hook *h, char *buf, size_t n)
{
	size_t i, len = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < h->nargs && len < n; i++) {
		w = snprintf(buf + len, n - len, "%s%u", i ? ", " : "", h->args[i].index);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

static void check_match_args(struct vctx *v, const struct vigil_hook *h,
			     const struct vigil_selector *s)
{
	const struct vigil_match_arg *m;
	const struct vigil_arg *a;
	char idx[128];
	size_t j, old, o2;

	for (j = 0; j < s->nargs; j++) {
		m = &s->args[j];
		old = push(v, ".matchArgs[%zu]", j);
		a = find_arg(h, m->index);
		if (!a) {
			o2 = push(v, ".index");
			list_indexes(h, idx, sizeof(idx));
			if (h->nargs)
				err(v, m->index_pos,
				    "no argument with index %u in args (indexes: %s)", m->index,
				    idx);
			else
				err(v, m->index_pos,
				    "no argument with index %u: the hook has no args", m->index);
			pop(v, o2);
		} else {
			check_match_arg(v, m, a);
		}
		pop(v, old);
	}
}

static void check_match_return_args(struct vctx *v, const struct vigil_hook *h,
				    const struct vigil_selector *s)
{
	const struct vigil_match_arg *m;
	size_t j, old, o2;

	if (!s->nret_args)
		return;
	if (h->kind != VIGIL_HOOK_KPROBE || !h->has_return || !h->has_return_arg) {
		old = push(v, ".matchReturnArgs");
		err(v, s->ret_args[0].pos,
		    h->kind == VIGIL_HOOK_KPROBE
			    ? "matchReturnArgs needs return: true and a returnArg"
			    : "matchReturnArgs applies only to kprobes (with return: true)");
		pop(v, old);
		return;
	}
	for (j = 0; j < s->nret_args; j++) {
		m = &s->ret_args[j];
		old = push(v, ".matchReturnArgs[%zu]", j);
		if (m->index != h->return_arg.index) {
			o2 = push(v, ".index");
			err(v, m->index_pos, "index %u is not the returnArg's index (%u)", m->index,
			    h->return_arg.index);
			pop(v, o2);
		} else {
			check_match_arg(v, m, &h->return_arg);
		}
		pop(v, old);
	}
}

static void check_binaries(struct vctx *v, const char *key, const struct vigil_match_binaries *m,
			   size_t n)
{
	const struct vigil_value *val;
	struct qbuf b;
	size_t j, i, old, o2;
	bool exact;

	for (j = 0; j < n; j++) {
		old = push(v, ".%s[%zu]", key, j);
		exact = m[j].op == VIGIL_BIN_IN || m[j].op == VIGIL_BIN_NOT_IN;
		if (m[j].follow_children && !exact)
			err(v, m[j].pos,
			    "followChildren works only with the In and NotIn operators");
		if (check_count(v, &m[j].values, m[j].pos)) {
			for (i = 0; i < m[j].values.n; i++) {
				val = &m[j].values.v[i];
				o2 = push(v, ".values[%zu]", i);
				check_string_value(v, val);
				if (exact && val->s[0] != '/')
					warn(v, val->pos,
					     "%s is not an absolute path: In and NotIn compare the "
					     "whole path of the executable",
					     q(&b, val->s));
				else if (exact)
					symlink_warning(v, val);
				pop(v, o2);
			}
		}
		pop(v, old);
	}
}

static void check_namespaces(struct vctx *v, const struct vigil_selector *s)
{
	const struct vigil_value *val;
	struct qbuf b;
	uint32_t inum;
	bool host;
	size_t j, i, old, o2;

	for (j = 0; j < s->nns; j++) {
		old = push(v, ".matchNamespaces[%zu]", j);
		if (check_count(v, &s->ns[j].values, s->ns[j].pos)) {
			for (i = 0; i < s->ns[j].values.n; i++) {
				val = &s->ns[j].values.v[i];
				if (vigil_parse_ns_value(val->s, &inum, &host) == 0)
					continue;
				o2 = push(v, ".values[%zu]", i);
				err(v, val->pos,
				    "%s is not a namespace: an inode number (0 to 4294967295) or "
				    "\"host_ns\"",
				    q(&b, val->s));
				pop(v, o2);
			}
		}
		pop(v, old);
	}
}

static void check_pids(struct vctx *v, const struct vigil_selector *s)
{
	const struct vigil_value *val;
	struct qbuf b;
	uint32_t pid;
	size_t j, i, old, o2;

	for (j = 0; j < s->npids; j++) {
		old = push(v, ".matchPIDs[%zu]", j);
		if (check_count(v, &s->pids[j].values, s->pids[j].pos)) {
			for (i = 0; i < s->pids[j].values.n; i++) {
				val = &s->pids[j].values.v[i];
				if (vigil_parse_u32(val->s, &pid) == 0)
					continue;
				o2 = push(v, ".values[%zu]", i);
				err(v, val->pos, "%s is not a process id (0 to 4294967295)",
				    q(&b, val->s));
				pop(v, o2);
			}
		}
		pop(v, old);
	}
}

static void check_caps(struct vctx *v, const struct vigil_selector *s)
{
	size_t j, i, old, o2;

	for (j = 0; j < s->ncaps; j++) {
		old = push(v, ".matchCapabilities[%zu]", j);
		if (check_count(v, &s->caps[j].values, s->caps[j].pos)) {
			for (i = 0; i < s->caps[j].values.n; i++) {
				o2 = push(v, ".values[%zu]", i);
				check_cap_value(v, &s->caps[j].values.v[i]);
				pop(v, o2);
			}
		}
		pop(v, old);
	}
}

static bool is_security_function(const struct vigil_hook *h)
{
	return h->call && strncmp(h->call, "security_", 9) == 0;
}

static void check_action(struct vctx *v, const struct vigil_hook *h, const struct vigil_action *a)
{
	const char *name = vigil_action_name(a->kind);
	size_t old;

	switch (a->kind) {
	case VIGIL_ACT_OVERRIDE:
		if (h->kind == VIGIL_HOOK_TRACEPOINT)
			err(v, a->pos,
			    "Override is not allowed on tracepoints (only on kprobes and "
			    "lsmhooks)");
		else if (h->kind == VIGIL_HOOK_KPROBE && !h->syscall && !is_security_function(h))
			err(v, a->pos,
			    "Override on a kprobe needs a system call (syscall: true) or "
			    "a security_ function");
		if (!a->has_arg_error) {
			err(v, a->pos, "Override needs argError, an errno from %d to -1",
			    VIGIL_ERRNO_MIN);
		} else if (!vigil_errno_valid(a->arg_error)) {
			old = push(v, ".argError");
			err(v, a->arg_error_pos,
			    "%d is not an errno: %d to -1 (such as -1 for EPERM)", a->arg_error,
			    VIGIL_ERRNO_MIN);
			pop(v, old);
		}
		break;
	case VIGIL_ACT_SIGNAL:
		if (!a->has_arg_sig) {
			err(v, a->pos, "Signal needs argSig, a signal number from 1 to %d",
			    VIGIL_SIGNAL_MAX);
		} else if (!vigil_signal_valid(a->arg_sig)) {
			old = push(v, ".argSig");
			err(v, a->arg_sig_pos, "%d is not a signal number: 1 to %d", a->arg_sig,
			    VIGIL_SIGNAL_MAX);
			pop(v, old);
		}
		break;
	default:
		break;
	}
	if (a->has_arg_error && a->kind != VIGIL_ACT_OVERRIDE) {
		old = push(v, ".argError");
		warn(v, a->arg_error_pos, "ignored: only Override uses argError, not %s", name);
		pop(v, old);
	}
	if (a->has_arg_sig && a->kind != VIGIL_ACT_SIGNAL) {
		old = push(v, ".argSig");
		warn(v, a->arg_sig_pos, "ignored: only Signal uses argSig, not %s", name);
		pop(v, old);
	}
	if (a->rate_limit_pos.line && a->kind != VIGIL_ACT_POST) {
		old = push(v, ".rateLimit");
		err(v, a->rate_limit_pos, "rateLimit applies only to the Post action, not to %s",
		    name);
		pop(v, old);
	}
}

static void check_selector(struct vctx *v, const struct vigil_hook *h,
			   const struct vigil_selector *s)
{
	size_t j, old;

	check_match_args(v, h, s);
	check_match_return_args(v, h, s);
	check_binaries(v, "matchBinaries", s->bins, s->nbins);
	check_binaries(v, "matchParentBinaries", s->parent_bins, s->nparent_bins);
	check_namespaces(v, s);
	check_pids(v, s);
	check_caps(v, s);
	for (j = 0; j < s->nactions; j++) {
		old = push(v, ".matchActions[%zu]", j);
		check_action(v, h, &s->actions[j]);
		pop(v, old);
	}
}

/* --- the kernel target ------------------------------------------------------ */

static const char *section(enum vigil_hook_kind kind)
{
	switch (kind) {
	case VIGIL_HOOK_KPROBE:
		return "kprobes";
	case VIGIL_HOOK_TRACEPOINT:
		return "tracepoints";
	default:
		return "lsmhooks";
	}
}

static const char *call_key(enum vigil_hook_kind kind)
{
	switch (kind) {
	case VIGIL_HOOK_KPROBE:
		return "call";
	case VIGIL_HOOK_TRACEPOINT:
		return "event";
	default:
		return "hook";
	}
}

/* The path of a hook's target: its call/hook/event, or the list value it
 * was expanded from. */
static size_t push_target(struct vctx *v, const struct vigil_hook *h)
{
	const struct vigil_list *l;
	size_t i, j;

	if (h->from_list) {
		for (i = 0; i < v->p->nlists; i++) {
			l = &v->p->lists[i];
			if (!l->name || strcmp(l->name, h->from_list) != 0)
				continue;
			/* hooks of a list come in its order: check, else search */
			j = v->list_value;
			if (j < l->values.n && l->values.v[j].pos.line == h->call_pos.line &&
			    l->values.v[j].pos.col == h->call_pos.col)
				return push(v, "spec.lists[%zu].values[%zu]", i, j);
			for (j = 0; j < l->values.n; j++)
				if (l->values.v[j].pos.line == h->call_pos.line &&
				    l->values.v[j].pos.col == h->call_pos.col)
					return push(v, "spec.lists[%zu].values[%zu]", i, j);
		}
	}
	return push(v, "spec.%s[%u].%s", section(h->kind), h->spec_index, call_key(h->kind));
}

static const char *const arch_prefixes[] = { "__x64_", "__arm64_", "__ia32_" };

/* NAME of a system call written as NAME, sys_NAME or __ARCH_sys_NAME. */
static const char *syscall_base(const char *call, const char **user_prefix)
{
	size_t i, n;

	*user_prefix = "";
	for (i = 0; i < sizeof(arch_prefixes) / sizeof(arch_prefixes[0]); i++) {
		n = strlen(arch_prefixes[i]);
		if (strncmp(call, arch_prefixes[i], n) == 0) {
			call += n;
			*user_prefix = arch_prefixes[i];
			break;
		}
	}
	if (strncmp(call, "sys_", 4) == 0) {
		call += 4;
		if (!**user_prefix)
			*user_prefix = "sys_";
	}
	return call;
}

struct target {
	int exists;	  /* 1, 0, -1 unknown */
	char name[256];	  /* as asked (the first candidate when missing) */
	const char *what; /* "function", "system call"... */
};

static void find_target(struct vctx *v, const struct vigil_hook *h, struct target *t)
{
	const struct vigil_kernel_facts *k = v->k;
	static const char *const forms[] = { "__x64_sys_", "__arm64_sys_", "sys_" };
	const char *base, *up;
	int r, unknown = 0;
	size_t i;

	t->exists = -1;
	t->name[0] = '\0';
	switch (h->kind) {
	case VIGIL_HOOK_KPROBE:
		if (!h->syscall) {
			t->what = "function";
			snprintf(t->name, sizeof(t->name), "%s", h->call);
			t->exists = fact(k->has_function, k->ctx, h->call);
			return;
		}
		t->what = "system call";
		base = syscall_base(h->call, &up);
		for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
			char name[256];

			snprintf(name, sizeof(name), "%s%s", forms[i], base);
			r = fact(k->has_function, k->ctx, name);
			if (r == 1) {
				snprintf(t->name, sizeof(t->name), "%s", name);
				t->exists = 1;
				return;
			}
			if (r < 0)
				unknown = 1;
			if (i == 0)
				snprintf(t->name, sizeof(t->name), "%s", name);
		}
		t->exists = unknown ? -1 : 0;
		return;
	case VIGIL_HOOK_LSM:
		t->what = "LSM hook";
		snprintf(t->name, sizeof(t->name), "%s", h->call);
		t->exists = fact(k->has_lsm_hook, k->ctx, h->call);
		return;
	default:
		if (h->raw) {
			t->what = "raw tracepoint";
			snprintf(t->name, sizeof(t->name), "%s", h->call);
			t->exists = fact(k->has_raw_tracepoint, k->ctx, h->call);
			return;
		}
		t->what = "tracepoint";
		snprintf(t->name, sizeof(t->name), "%s/%s", h->subsystem ? h->subsystem : "",
			 h->call);
		t->exists = k->has_tracepoint
				    ? k->has_tracepoint(k->ctx, h->subsystem ? h->subsystem : "",
							h->call)
				    : -1;
		return;
	}
}

/* A suggestion for a missing target, in the user's spelling. */
static bool suggest_target(struct vctx *v, const struct vigil_hook *h, const struct target *t,
			   char *out, size_t outsz)
{
	static const char *const lsm_prefixes[] = { "security_", "bpf_lsm_" };
	char s[256];
	const char *up, *base;
	size_t i, n;

	/* an LSM hook written as its security_ function or BPF stub */
	for (i = 0; h->kind == VIGIL_HOOK_LSM && i < 2; i++) {
		n = strlen(lsm_prefixes[i]);
		if (strncmp(h->call, lsm_prefixes[i], n) == 0 &&
		    fact(v->k->has_lsm_hook, v->k->ctx, h->call + n) == 1) {
			snprintf(out, outsz, "%s", h->call + n);
			return true;
		}
	}

	if (!v->k->suggest || v->suggestions >= MAX_SUGGESTIONS || h->raw)
		return false;
	v->suggestions++;
	if (v->k->suggest(v->k->ctx, h->kind, t->name, s, sizeof(s)) != 1)
		return false;
	if (h->kind == VIGIL_HOOK_KPROBE && h->syscall) {
		syscall_base(h->call, &up);
		base = syscall_base(s, &(const char *){ NULL });
		if (strcmp(up, "sys_") == 0 || !*up)
			snprintf(out, outsz, "%s%s", up, base);
		else
			snprintf(out, outsz, "%s", s);
		return true;
	}
	snprintf(out, outsz, "%s", s);
	return true;
}

static void check_target(struct vctx *v, const struct vigil_hook *h, int *nargs)
{
	struct target t;
	struct qbuf b1, b2;
	char sug[256], name[300];
	size_t old;

	*nargs = -1;
	if (!v->k || !h->call)
		return;
	find_target(v, h, &t);
	if (t.exists == 1) {
		if (h->kind == VIGIL_HOOK_LSM) {
			snprintf(name, sizeof(name), "bpf_lsm_%s", h->call);
			*nargs = fact(v->k->function_nargs, v->k->ctx, name);
		} else if (h->kind == VIGIL_HOOK_KPROBE) {
			*nargs = fact(v->k->function_nargs, v->k->ctx, t.name);
		} else if (h->raw) {
			snprintf(name, sizeof(name), "btf_trace_%s", h->call);
			*nargs = fact(v->k->function_nargs, v->k->ctx, name);
		}
		return;
	}
	if (t.exists != 0)
		return;
	old = push_target(v, h);
	snprintf(name, sizeof(name), "%s", h->kind == VIGIL_HOOK_TRACEPOINT ? t.name : h->call);
	if (h->ignore_call_not_found)
		warn(v, h->call_pos,
		     "%s %s does not exist in this kernel; ignored (ignore.callNotFound)", t.what,
		     q(&b1, name));
	else if (h->kind == VIGIL_HOOK_KPROBE && h->syscall &&
		 fact(v->k->has_function, v->k->ctx, h->call) == 1)
		err(v, h->call_pos,
		    "system call %s does not exist in this kernel; it is a kernel function: set "
		    "syscall: false (Tetragon's default is true)",
		    q(&b1, name));
	else if (suggest_target(v, h, &t, sug, sizeof(sug)))
		err(v, h->call_pos, "%s %s does not exist in this kernel (did you mean %s?)",
		    t.what, q(&b1, name), q(&b2, sug));
	else
		err(v, h->call_pos, "%s %s does not exist in this kernel", t.what, q(&b1, name));
	pop(v, old);
}

/* --- hooks ---------------------------------------------------------------- */

static bool resolve_ok(const char *s)
{
	bool start = true;

	/* field names separated by '.', each optionally indexed: a.b[2].c */
	for (; *s; s++) {
		if (start) {
			if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
				return false;
			start = false;
		} else if (*s == '.') {
			start = true;
		} else if (*s == '[') {
			if (!(s[1] >= '0' && s[1] <= '9'))
				return false;
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
			if (*s != ']' || (s[1] && s[1] != '.'))
				return false;
		} else if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
			     (*s >= '0' && *s <= '9'))) {
			return false;
		}
	}
	return !start;
}

static void check_arg_index(struct vctx *v, const struct vigil_hook *h, const struct vigil_arg *a,
			    int nargs)
{
	struct qbuf b;
	size_t old;

	if (nargs < 0 || a->index < (unsigned)nargs ||
	    (h->kind == VIGIL_HOOK_TRACEPOINT && !h->raw))
		return;
	old = push(v, ".index");
	err(v, a->index_pos, "index %u is out of range: %s has %d argument%s%s", a->index,
	    q(&b, h->call), nargs, nargs == 1 ? "" : "s",
	    h->raw ? " (a raw tracepoint's, numbered from 0)" : "");
	pop(v, old);
}

static void check_arg(struct vctx *v, const struct vigil_hook *h, const struct vigil_arg *a,
		      int nargs)
{
	struct qbuf b;
	size_t old;

	check_arg_index(v, h, a, nargs);
	if (a->size_arg_index) {
		if (a->type != VIGIL_ARG_CHAR_BUF)
			warn(v, a->pos, "sizeArgIndex is ignored: only char_buf arguments use it");
		else if (nargs >= 0 && a->size_arg_index > (unsigned)nargs)
			err(v, a->pos, "sizeArgIndex %u is out of range: %s has %d argument%s",
			    a->size_arg_index, q(&b, h->call), nargs, nargs == 1 ? "" : "s");
	}
	if (a->return_copy) {
		if (h->kind != VIGIL_HOOK_KPROBE)
			err(v, a->pos,
			    "returnCopy needs a kprobe (it reads the argument on return)");
		else if (a->type != VIGIL_ARG_CHAR_BUF)
			warn(v, a->pos, "returnCopy is ignored: only char_buf arguments use it");
	}
	if (a->max_data && a->type != VIGIL_ARG_CHAR_BUF)
		warn(v, a->pos, "maxData is ignored: only char_buf arguments use it");
	if (a->resolve && !resolve_ok(a->resolve)) {
		old = push(v, ".resolve");
		err(v, a->pos,
		    "invalid resolve %s: field names separated by '.', such as \"mm.owner.comm\" "
		    "or \"f_path.dentry\"",
		    q(&b, a->resolve));
		pop(v, old);
	}
}

static void check_text(struct vctx *v, const struct vigil_hook *h)
{
	size_t i, n, old;

	if (h->message) {
		n = strlen(h->message);
		old = push(v, ".message");
		if (n < VIGIL_MESSAGE_MIN)
			err(v, h->message_pos, "the message is %zu byte long: at least %d", n,
			    VIGIL_MESSAGE_MIN);
		else if (n > VIGIL_MESSAGE_MAX)
			err(v, h->message_pos, "the message is %zu bytes long: at most %d", n,
			    VIGIL_MESSAGE_MAX);
		pop(v, old);
	}
	if (h->ntags > VIGIL_MAX_TAGS) {
		old = push(v, ".tags");
		err(v, h->tag_pos[VIGIL_MAX_TAGS], "at most %d tags per hook", VIGIL_MAX_TAGS);
		pop(v, old);
	}
	for (i = 0; i < h->ntags; i++) {
		n = strlen(h->tags[i]);
		if (n >= VIGIL_TAG_MIN && n <= VIGIL_TAG_MAX)
			continue;
		old = push(v, ".tags[%zu]", i);
		err(v, h->tag_pos[i], "the tag is %zu byte%s long: %s %d", n, n == 1 ? "" : "s",
		    n < VIGIL_TAG_MIN ? "at least" : "at most",
		    n < VIGIL_TAG_MIN ? VIGIL_TAG_MIN : VIGIL_TAG_MAX);
		pop(v, old);
	}
}

/* body: the checks that depend on the YAML entry only, done once for the
 * hooks a list expanded from one entry. */
static void check_hook(struct vctx *v, const struct vigil_hook *h, bool body)
{
	size_t i, old;
	int nargs;

	check_target(v, h, &nargs);
	old = push(v, "spec.%s[%u]", section(h->kind), h->spec_index);
	if (body && h->nargs > VIGIL_MAX_ARGS) {
		size_t o2 = push(v, ".args");

		err(v, h->args[VIGIL_MAX_ARGS].pos, "at most %d args per hook", VIGIL_MAX_ARGS);
		pop(v, o2);
	}
	for (i = 0; i < h->nargs; i++) {
		size_t o2 = push(v, ".args[%zu]", i);

		/* per target: the argument count differs between functions */
		if (body)
			check_arg(v, h, &h->args[i], nargs);
		else
			check_arg_index(v, h, &h->args[i], nargs);
		pop(v, o2);
	}
	if (!body) {
		pop(v, old);
		return;
	}
	if (h->has_return && !h->has_return_arg)
		err(v, h->pos, "return: true needs a returnArg (the type of the return value)");
	if (h->has_return_arg && !h->has_return) {
		size_t o2 = push(v, ".returnArg");

		warn(v, h->return_arg.pos, "ignored without return: true");
		pop(v, o2);
	}
	check_text(v, h);
	if (h->nselectors > VIGIL_MAX_SELECTORS) {
		size_t o2 = push(v, ".selectors");

		err(v, h->selectors[VIGIL_MAX_SELECTORS].pos, "at most %d selectors per hook",
		    VIGIL_MAX_SELECTORS);
		pop(v, o2);
	}
	for (i = 0; i < h->nselectors; i++) {
		size_t o2 = push(v, ".selectors[%zu]", i);

		check_selector(v, h, &h->selectors[i]);
		pop(v, o2);
	}
	pop(v, old);
}

int vigil_policy_validate(const struct vigil_policy *p, const struct vigil_kernel_facts *k,
			  struct vigil_diags *ds)
{
	struct vctx v = { .p = p, .k = k, .ds = ds };
	size_t errors = ds->nerrors, from = ds->n, i;
	const struct vigil_hook *h, *prev = NULL;
	bool body;

	if (p->nhooks == 0) {
		push(&v, "spec");
		warn(&v, p->pos, "the policy has no kprobes, tracepoints or lsmhooks");
		pop(&v, 0);
	}
	for (i = 0; i < p->nhooks; i++) {
		h = &p->hooks[i];
		body = !(h->from_list && prev && prev->from_list && prev->kind == h->kind &&
			 prev->spec_index == h->spec_index);
		v.list_value = body ? 0 : v.list_value + 1;
		check_hook(&v, h, body);
		prev = h;
	}
	vigil_label_selector_spec_check(&p->pod_selector, VIGIL_SELECT_PODS, p->file,
					"spec.podSelector", ds);
	vigil_label_selector_spec_check(&p->container_selector, VIGIL_SELECT_CONTAINERS, p->file,
					"spec.containerSelector", ds);
	vigil_diags_sort(ds, from);
	return ds->nerrors == errors ? 0 : -EINVAL;
}
