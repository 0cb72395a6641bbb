// SPDX-License-Identifier: Apache-2.0
/*
 * compile.c - validated model -> plan: for each hook, where it runs on this
 * kernel (the fallback chain) and its typed configuration; for each value
 * list, the trie entries.
 *
 * Fallback chain for a hook:
 *   lsmhooks HOOK:          BPF-LSM; else, for bprm_check_security without
 *                           Override, the exec tracepoint; else refused
 *   kprobes security_X:     kprobe, unless it needs Override and the kernel
 *                           has no bpf_override_return; else the LSM hook X;
 *                           else (exec hook, no Override) the exec
 *                           tracepoint; else refused
 *   kprobes other:          kprobe (syscall: the wrapper); Override needs
 *                           bpf_override_return; else refused
 *   tracepoints:            the tracepoint, its arguments laid out on its
 *                           format (compile_tp.c)
 * Every refusal names the kernel feature that is missing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "plan.h"
#include "pod_selector.h"
#include "compile_tp.h"
#include "values.h"

struct cc {
	const struct vigil_policy *p;
	const struct vigil_kernel_features *f;
	struct vigil_plan *plan;
	struct vigil_diags *ds;
	size_t cap_strs, cap_nums;
	int err;
	char path[160];
};

__attribute__((format(printf, 3, 4))) static void fail(struct cc *c, struct vigil_pos pos,
						       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vigil_diag_add(c->ds, VIGIL_DIAG_ERROR, c->p->file, pos, c->path, "%s", msg);
	if (!c->err)
		c->err = -EINVAL;
}

static uint32_t new_set(struct cc *c)
{
	return (c->plan->policy_id << 16) | (++c->plan->nsets & 0xffff);
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	p = realloc(*arr, nc * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = nc;
	return 0;
}

/* Add string s to set; reversed for postfix; with its NUL for equality. */
static void add_str(struct cc *c, uint32_t set, const char *s, uint8_t kind)
{
	struct vigil_str_key *k;
	size_t len = strlen(s), i, n;

	if (grow((void **)&c->plan->strs, &c->cap_strs, c->plan->nstrs, sizeof(*k))) {
		c->err = -ENOMEM;
		return;
	}
	k = &c->plan->strs[c->plan->nstrs++];
	memset(k, 0, sizeof(*k));
	k->set = set;
	n = len < VIGIL_KEY_STR - 1 ? len : VIGIL_KEY_STR - 1;
	if (kind == VIGIL_MK_STR_POSTFIX) {
		for (i = 0; i < n; i++)
			k->s[i] = s[len - 1 - i];
	} else {
		memcpy(k->s, s, n);
	}
	if (kind == VIGIL_MK_STR_EQ)
		n++; /* the NUL: only an equal string matches */
	k->prefixlen = 32 + 8 * (uint32_t)n;
}

static void add_num_prefix(struct cc *c, uint32_t set, uint64_t v, unsigned bits);

static void add_num(struct cc *c, uint32_t set, uint64_t v)
{
	add_num_prefix(c, set, v, 64);
}

static struct vigil_num_key *new_num(struct cc *c, uint32_t set)
{
	struct vigil_num_key *k;

	if (grow((void **)&c->plan->nums, &c->cap_nums, c->plan->nnums, sizeof(*k))) {
		c->err = -ENOMEM;
		return NULL;
	}
	k = &c->plan->nums[c->plan->nnums++];
	memset(k, 0, sizeof(*k));
	k->set = set;
	return k;
}

/* The values v .. v + 2^(64 - bits) - 1: one trie entry. */
static void add_num_prefix(struct cc *c, uint32_t set, uint64_t v, unsigned bits)
{
	struct vigil_num_key *k = new_num(c, set);
	int i;

	if (!k)
		return;
	k->prefixlen = 32 + bits;
	for (i = 0; i < 8; i++)
		k->v[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* lo..hi (unsigned, inclusive) as the fewest aligned blocks: at most 2 x 64
 * trie entries, and a lookup costs the same as for one value. */
static void add_num_range(struct cc *c, uint32_t set, uint64_t lo, uint64_t hi)
{
	for (;;) {
		unsigned k = 0; /* the block at lo holds 2^k values */
		uint64_t last;

		while (k < 64) {
			uint64_t mask = k + 1 == 64 ? UINT64_MAX : (2ULL << k) - 1;

			if ((lo & mask) || lo + mask < lo || lo + mask > hi)
				break;
			k++;
		}
		add_num_prefix(c, set, lo, 64 - k);
		last = lo + (k == 64 ? UINT64_MAX : (1ULL << k) - 1);
		if (last >= hi)
			return;
		lo = last + 1;
	}
}

/* A range of an integer argument of type t: a signed range across zero is
 * two unsigned ones (negative values are stored sign-extended). */
static void add_int_range(struct cc *c, uint32_t set, const struct vigil_range *r,
			  enum vigil_arg_type t)
{
	if (vigil_arg_type_is_signed(t) && r->slo < 0 && r->shi >= 0) {
		add_num_range(c, set, r->ulo, UINT64_MAX);
		add_num_range(c, set, 0, r->uhi);
		return;
	}
	add_num_range(c, set, r->ulo, r->uhi);
}

/* An address with its prefix; IPv4 as IPv4-mapped IPv6, as the kernel side
 * reads sockets. */
static void add_addr(struct cc *c, uint32_t set, const uint8_t addr[16], unsigned prefix,
		     int family)
{
	struct vigil_num_key *k = new_num(c, set);
	unsigned bits, i;

	if (!k)
		return;
	if (family == AF_INET) {
		k->v[10] = 0xff;
		k->v[11] = 0xff;
		memcpy(&k->v[12], addr, 4);
		bits = 96 + prefix;
	} else {
		memcpy(k->v, addr, 16);
		bits = prefix;
	}
	for (i = bits; i < 128; i++) /* host bits off */
		k->v[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	k->prefixlen = 32 + bits;
}

static const char *arg_type_name(const struct vigil_arg *a)
{
	return a->type_name ? a->type_name : "?";
}

/* A hook the cgroup connect4/6 programs can stand in for, and which of
 * its arguments they give: socket_connect's socket, sockaddr and addrlen,
 * tcp_connect's sock. */
enum connect_hook { CONNECT_NONE, CONNECT_SOCKET, CONNECT_TCP };

static enum connect_hook connect_hook_of(const struct vigil_hook *h)
{
	if ((h->kind == VIGIL_HOOK_KPROBE && !h->syscall &&
	     !strcmp(h->call, "security_socket_connect")) ||
	    (h->kind == VIGIL_HOOK_LSM && !strcmp(h->call, "socket_connect")))
		return CONNECT_SOCKET;
	if (h->kind == VIGIL_HOOK_KPROBE && !h->syscall && !strcmp(h->call, "tcp_connect"))
		return CONNECT_TCP;
	return CONNECT_NONE;
}

/* connect_tcp: the hook is tcp_connect (its sock's peer is set there). */
static int map_arg(struct cc *c, const struct vigil_arg *a, enum vigil_attach attach,
		   bool connect_tcp, struct vigil_hook_arg *ha)
{
	if (attach == VIGIL_ATTACH_TRACEPOINT)
		return 0; /* laid out on the event's format by vigil_compile_tracepoint() */
	if (attach == VIGIL_ATTACH_RAW_TRACEPOINT && a->index >= VIGIL_RAW_RET) {
		fail(c, a->index_pos,
		     "index %u: vigil reads the first %d arguments of a raw tracepoint", a->index,
		     VIGIL_RAW_RET);
		return -EINVAL;
	}
	memset(ha, 0, sizeof(*ha));
	ha->index = (uint8_t)a->index;
	if (vigil_arg_type_is_int(a->type)) {
		ha->type = VIGIL_AT_INT;
		ha->width = (uint8_t)(vigil_arg_type_bits(a->type) / 8);
		if (vigil_arg_type_is_signed(a->type))
			ha->flags |= VIGIL_ARG_F_SIGNED;
		return 0;
	}
	switch (a->type) {
	case VIGIL_ARG_LINUX_BINPRM:
		ha->type = VIGIL_AT_LINUX_BINPRM;
		return 0;
	case VIGIL_ARG_FILE:
		ha->type = VIGIL_AT_FILE;
		return 0;
	case VIGIL_ARG_PATH:
		ha->type = VIGIL_AT_PATH;
		return 0;
	case VIGIL_ARG_STRING:
		ha->type = VIGIL_AT_STRING;
		break;
	case VIGIL_ARG_FD:
		ha->type = VIGIL_AT_FD;
		return 0;
	case VIGIL_ARG_DENTRY:
		ha->type = VIGIL_AT_DENTRY;
		return 0;
	case VIGIL_ARG_CRED:
		ha->type = VIGIL_AT_CRED;
		return 0;
	case VIGIL_ARG_CAPABILITY:
		ha->type = VIGIL_AT_CAPABILITY;
		ha->width = 4;
		ha->flags |= VIGIL_ARG_F_SIGNED;
		return 0;
	case VIGIL_ARG_CHAR_BUF:
		ha->type = VIGIL_AT_CHAR_BUF;
		break;
	case VIGIL_ARG_SOCK:
		ha->type = VIGIL_AT_SOCK;
		if (attach == VIGIL_ATTACH_CGROUP_CONNECT && connect_tcp)
			ha->flags |= VIGIL_ARG_F_DEST; /* tcp_connect sees its peer set */
		return 0;
	case VIGIL_ARG_SOCKET:
		ha->type = VIGIL_AT_SOCK;
		if (attach != VIGIL_ATTACH_CGROUP_CONNECT) /* there: the sock itself */
			ha->flags |= VIGIL_ARG_F_SOCKET;
		return 0;
	case VIGIL_ARG_SOCKADDR:
		ha->type = VIGIL_AT_SOCKADDR;
		break;
	case VIGIL_ARG_SKB:
		ha->type = VIGIL_AT_SKB;
		return 0;
	default:
		fail(c, a->pos, "argument type \"%s\" is not supported by vigil yet",
		     arg_type_name(a));
		return -EINVAL;
	}
	/* Pointers to memory: a syscall's are the caller's. */
	if (attach == VIGIL_ATTACH_KPROBE_SYSCALL)
		ha->flags |= VIGIL_ARG_F_USER;
	return 0;
}

/* char_buf's size comes from another argument of the hook. */
static int link_size_arg(struct cc *c, const struct vigil_hook *h, size_t i,
			 struct vigil_hook_cfg *cfg)
{
	const struct vigil_arg *a = &h->args[i];
	size_t j;

	if (a->type != VIGIL_ARG_CHAR_BUF)
		return 0;
	if (a->return_copy) {
		fail(c, a->pos, "char_buf returnCopy is not supported by vigil yet");
		return -EINVAL;
	}
	if (!a->size_arg_index) {
		fail(c, a->pos,
		     "a char_buf argument needs sizeArgIndex (the 1-based index of the argument "
		     "holding its size)");
		return -EINVAL;
	}
	for (j = 0; j < h->nargs; j++)
		if (h->args[j].index == a->size_arg_index - 1 &&
		    vigil_arg_type_is_int(h->args[j].type)) {
			cfg->args[i].size_slot = (uint8_t)(j + 1);
			return 0;
		}
	fail(c, a->pos,
	     "sizeArgIndex %u names no integer argument of this hook: declare argument index %u "
	     "with an integer type",
	     a->size_arg_index, a->size_arg_index - 1);
	return -EINVAL;
}

static int slot_of(const struct vigil_hook *h, unsigned index)
{
	size_t i;

	for (i = 0; i < h->nargs; i++)
		if (h->args[i].index == index)
			return (int)i;
	return -1;
}

static bool is_str_arg(uint8_t t)
{
	return t == VIGIL_AT_LINUX_BINPRM || t == VIGIL_AT_FILE || t == VIGIL_AT_PATH ||
	       t == VIGIL_AT_STRING || t == VIGIL_AT_FD || t == VIGIL_AT_DENTRY ||
	       t == VIGIL_AT_CHAR_BUF;
}

static bool is_sock_arg(uint8_t t)
{
	return t == VIGIL_AT_SOCK || t == VIGIL_AT_SOCKADDR || t == VIGIL_AT_SKB;
}

/* Path arguments whose file name (the dentry's) is the path's last
 * component; a linux_binprm's name as invoked ends in the same value's
 * last component too (the kernel tests both names). */
static bool has_leaf(uint8_t t)
{
	return t == VIGIL_AT_FILE || t == VIGIL_AT_PATH || t == VIGIL_AT_FD ||
	       t == VIGIL_AT_DENTRY || t == VIGIL_AT_LINUX_BINPRM;
}

/* The last component of an Equal value, for the kernel's name test before
 * a path walk; NULL when the value ends in '/' (no walked path does). */
static const char *leaf_of(const char *v)
{
	const char *slash = strrchr(v, '/');

	if (!strcmp(v, "/"))
		return "/";
	if (!slash)
		return v;
	return slash[1] ? slash + 1 : NULL;
}

/* The kind of test an operator makes on an argument of ABI type t, and
 * whether it is the negated form; false when it does not apply. */
static bool op_kind(enum vigil_op op, uint8_t t, uint8_t *kind, uint8_t *negate)
{
	*negate = 0;
	switch (op) {
	case VIGIL_OP_NOT_EQUAL:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_EQUAL:
		*kind = is_str_arg(t) ? VIGIL_MK_STR_EQ : VIGIL_MK_INT_EQ;
		return !is_sock_arg(t) && t != VIGIL_AT_CRED;
	case VIGIL_OP_NOT_PREFIX:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_PREFIX:
		*kind = VIGIL_MK_STR_PREFIX;
		return is_str_arg(t);
	case VIGIL_OP_NOT_POSTFIX:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_POSTFIX:
		*kind = VIGIL_MK_STR_POSTFIX;
		return is_str_arg(t);
	case VIGIL_OP_GT:
		*kind = VIGIL_MK_INT_GT;
		return t == VIGIL_AT_INT;
	case VIGIL_OP_LT:
		*kind = VIGIL_MK_INT_LT;
		return t == VIGIL_AT_INT;
	case VIGIL_OP_MASK:
		*kind = VIGIL_MK_INT_MASK;
		return t == VIGIL_AT_INT;
	case VIGIL_OP_NOT_IN_MAP:
	case VIGIL_OP_NOT_IN_RANGE:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_IN_MAP:
	case VIGIL_OP_IN_RANGE:
		*kind = VIGIL_MK_INT_EQ; /* a set of ranges */
		return t == VIGIL_AT_INT;
	case VIGIL_OP_NOT_SADDR:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_SADDR:
		*kind = VIGIL_MK_SADDR;
		return is_sock_arg(t);
	case VIGIL_OP_NOT_DADDR:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_DADDR:
		*kind = VIGIL_MK_DADDR;
		return t == VIGIL_AT_SOCK || t == VIGIL_AT_SKB;
	case VIGIL_OP_NOT_SPORT:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_SPORT:
		*kind = VIGIL_MK_SPORT;
		return is_sock_arg(t);
	case VIGIL_OP_NOT_DPORT:
		*negate = 1;
		/* fallthrough */
	case VIGIL_OP_DPORT:
		*kind = VIGIL_MK_DPORT;
		return t == VIGIL_AT_SOCK || t == VIGIL_AT_SKB;
	case VIGIL_OP_PROTOCOL:
		*kind = VIGIL_MK_PROTOCOL;
		return t == VIGIL_AT_SOCK || t == VIGIL_AT_SKB;
	case VIGIL_OP_FAMILY:
		*kind = VIGIL_MK_FAMILY;
		return is_sock_arg(t);
	default:
		return false;
	}
}

/* One value of a filter on a number-like argument into f's set (or bound). */
static void compile_num_value(struct cc *c, const struct vigil_arg *a, enum vigil_op op,
			      struct vigil_sel_arg *f, const struct vigil_value *v, bool first)
{
	bool sgn = vigil_arg_type_is_signed(a->type);
	struct vigil_range r;
	uint8_t addr[16];
	unsigned prefix;
	uint16_t lo, hi;
	int64_t sv = 0;
	uint64_t uv = 0;
	int fam, rc;

	switch (f->kind) {
	case VIGIL_MK_SADDR:
	case VIGIL_MK_DADDR:
		if (vigil_parse_cidr(v->s, addr, &prefix, &fam))
			goto bad;
		add_addr(c, f->set, addr, prefix, fam);
		return;
	case VIGIL_MK_SPORT:
	case VIGIL_MK_DPORT:
	case VIGIL_MK_PROTOCOL:
	case VIGIL_MK_FAMILY:
		rc = f->kind == VIGIL_MK_PROTOCOL ? vigil_parse_protocol(v->s, &lo, &hi)
		     : f->kind == VIGIL_MK_FAMILY ? vigil_parse_family(v->s, &lo, &hi)
						  : vigil_parse_port(v->s, &lo, &hi);
		if (rc)
			goto bad;
		add_num_range(c, f->set, lo, hi);
		return;
	}
	if (a->type == VIGIL_ARG_CAPABILITY) {
		rc = vigil_parse_cap(v->s);
		if (rc < 0)
			goto bad;
		add_num(c, f->set, (uint64_t)rc);
		return;
	}
	if (op == VIGIL_OP_IN_MAP || op == VIGIL_OP_NOT_IN_MAP || op == VIGIL_OP_IN_RANGE ||
	    op == VIGIL_OP_NOT_IN_RANGE) {
		if (vigil_parse_range(v->s, a->type,
				      op == VIGIL_OP_IN_MAP || op == VIGIL_OP_NOT_IN_MAP, &r))
			goto bad;
		add_int_range(c, f->set, &r, a->type);
		return;
	}
	if (vigil_parse_int(v->s, a->type, &sv, &uv))
		goto bad;
	switch (f->kind) {
	case VIGIL_MK_INT_EQ:
		add_num(c, f->set, uv);
		break;
	case VIGIL_MK_INT_GT: /* greater than any value: than the least */
		if (first || (sgn ? sv < (int64_t)f->value : uv < f->value))
			f->value = uv;
		break;
	case VIGIL_MK_INT_LT: /* less than any value: than the greatest */
		if (first || (sgn ? sv > (int64_t)f->value : uv > f->value))
			f->value = uv;
		break;
	case VIGIL_MK_INT_MASK:
		f->value |= uv;
		break;
	}
	return;
bad:
	fail(c, v->pos, "\"%s\" is not a valid value for %s", v->s, arg_type_name(a));
}

static void compile_str_value(struct cc *c, struct vigil_sel_arg *f, const struct vigil_value *v,
			      bool leaf)
{
	char target[VIGIL_KEY_STR];
	const char *l;

	if (strlen(v->s) > VIGIL_KEY_STR - 1) {
		fail(c, v->pos, "a string value is at most 251 bytes");
		return;
	}
	add_str(c, f->set, v->s, f->kind);
	/* Directories that are links: "/bin/sh" also stands for "/usr/bin/sh",
	 * the name a PATH lookup gives exec. */
	if (f->kind == VIGIL_MK_STR_EQ && c->f->resolve &&
	    c->f->resolve(c->f->resolve_ctx, v->s, target, sizeof(target)) == 1 &&
	    strcmp(target, v->s))
		add_str(c, f->set, target, f->kind);
	/* the last component, for the name test (resolving directories keeps it) */
	l = leaf ? leaf_of(v->s) : NULL;
	if (l)
		add_str(c, (uint32_t)f->value, l, VIGIL_MK_STR_EQ);
}

/* A matchArgs filter on slot (the argument a), or a matchReturnArgs one
 * on the return value's slot. */
static void compile_match_arg(struct cc *c, const struct vigil_arg *a, int slot,
			      const struct vigil_match_arg *m, struct vigil_sel_cfg *sel,
			      const struct vigil_hook_cfg *cfg)
{
	struct vigil_sel_arg *f;
	bool leaf;
	uint8_t type;
	size_t i;

	if (slot < 0) {
		fail(c, m->pos, "matchArgs refers to an argument the hook does not declare");
		return;
	}
	if (sel->nargs >= VIGIL_SEL_ARGS) {
		fail(c, m->pos, "at most 8 matchArgs and matchReturnArgs filters per selector");
		return;
	}
	type = cfg->args[slot].type;
	f = &sel->args[sel->nargs++];
	memset(f, 0, sizeof(*f));
	f->slot = (uint8_t)slot;
	if (!op_kind(m->op, type, &f->kind, &f->negate)) {
		fail(c, m->pos, "operator does not apply to an argument of this type");
		return;
	}
	if (f->kind != VIGIL_MK_INT_GT && f->kind != VIGIL_MK_INT_LT &&
	    f->kind != VIGIL_MK_INT_MASK)
		f->set = new_set(c);
	/* Equal on a path: the names the file may have, tested before any
	 * walk (not for NotEqual: a name outside the set passes it anyway) */
	leaf = f->kind == VIGIL_MK_STR_EQ && !f->negate && has_leaf(type);
	if (leaf)
		f->value = new_set(c);
	for (i = 0; i < m->values.n; i++) {
		if (is_str_arg(type))
			compile_str_value(c, f, &m->values.v[i], leaf);
		else
			compile_num_value(c, a, m->op, f, &m->values.v[i], i == 0);
	}
}

static void compile_bins(struct cc *c, const struct vigil_match_binaries *b, size_t n,
			 struct vigil_sel_bin *out, const char *what)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	if (n > 1) {
		fail(c, b[1].pos, "at most one %s filter per selector", what);
		return;
	}
	out->follow = b->follow_children;
	switch (b->op) {
	case VIGIL_BIN_NOT_IN:
		out->negate = 1;
		/* fallthrough */
	case VIGIL_BIN_IN:
		out->kind = VIGIL_MK_STR_EQ;
		break;
	case VIGIL_BIN_NOT_PREFIX:
		out->negate = 1;
		/* fallthrough */
	case VIGIL_BIN_PREFIX:
		out->kind = VIGIL_MK_STR_PREFIX;
		break;
	case VIGIL_BIN_NOT_POSTFIX:
		out->negate = 1;
		/* fallthrough */
	case VIGIL_BIN_POSTFIX:
		out->kind = VIGIL_MK_STR_POSTFIX;
		break;
	default:
		fail(c, b->pos, "unknown %s operator", what);
		return;
	}
	out->set = new_set(c);
	for (i = 0; i < b->values.n; i++) {
		if (strlen(b->values.v[i].s) > VIGIL_KEY_STR - 1) {
			fail(c, b->values.v[i].pos, "a binary path is at most 251 bytes");
			continue;
		}
		add_str(c, out->set, b->values.v[i].s, out->kind);
	}
}

static void compile_ns(struct cc *c, const struct vigil_match_ns *m, size_t n,
		       struct vigil_sel_ns *out)
{
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		unsigned t = m[i].ns;

		if (t >= VIGIL_NS_COUNT || (out->mask & (1U << t))) {
			fail(c, m[i].pos, "one matchNamespaces filter per namespace type");
			continue;
		}
		out->mask |= 1U << t;
		if (m[i].not_in)
			out->negate |= 1U << t;
		out->set[t] = new_set(c);
		for (j = 0; j < m[i].values.n; j++) {
			uint32_t inum = 0;
			bool host = false;

			if (vigil_parse_ns_value(m[i].values.v[j].s, &inum, &host)) {
				fail(c, m[i].values.v[j].pos,
				     "\"%s\" is not a namespace inode number or host_ns",
				     m[i].values.v[j].s);
				continue;
			}
			add_num(c, out->set[t], host ? c->f->host_ns[t] : inum);
		}
	}
}

static void compile_caps(struct cc *c, const struct vigil_match_caps *m, size_t n,
			 struct vigil_sel_caps *out)
{
	size_t j;

	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	if (n > 1) {
		fail(c, m[1].pos, "at most one matchCapabilities filter per selector");
		return;
	}
	out->set = m->set == VIGIL_CAPSET_PERMITTED	? VIGIL_CAPS_PERMITTED
		   : m->set == VIGIL_CAPSET_INHERITABLE ? VIGIL_CAPS_INHERITABLE
							: VIGIL_CAPS_EFFECTIVE;
	out->negate = m->not_in;
	if (m->is_namespace_capability)
		out->host_userns = c->f->host_ns[VIGIL_NS_USER];
	for (j = 0; j < m->values.n; j++) {
		int cap = vigil_parse_cap(m->values.v[j].s);

		if (cap < 0) {
			fail(c, m->values.v[j].pos, "\"%s\" is not a capability", m->values.v[j].s);
			continue;
		}
		out->mask |= 1ULL << cap;
	}
}

static void compile_pids(struct cc *c, const struct vigil_match_pids *m, size_t n,
			 struct vigil_sel_cfg *sel)
{
	size_t j;

	if (!n)
		return;
	if (n > 1) {
		fail(c, m[1].pos, "at most one matchPIDs filter per selector");
		return;
	}
	sel->flags |= VIGIL_SEL_F_PID | (m->not_in ? VIGIL_SEL_F_PID_NOT : 0) |
		      (m->follow_forks ? VIGIL_SEL_F_PID_FOLLOW : 0) |
		      (m->is_namespace_pid ? VIGIL_SEL_F_PID_NS : 0);
	sel->pid_set = new_set(c);
	for (j = 0; j < m->values.n; j++) {
		uint32_t pid;

		if (vigil_parse_u32(m->values.v[j].s, &pid)) {
			fail(c, m->values.v[j].pos, "\"%s\" is not a process id", m->values.v[j].s);
			continue;
		}
		add_num(c, sel->pid_set, pid);
	}
}

static void compile_actions(struct cc *c, const struct vigil_hook *h, enum vigil_attach attach,
			    const struct vigil_action *a, size_t n, struct vigil_sel_cfg *sel)
{
	bool nopost = false;
	size_t i;

	sel->actions = 0;
	for (i = 0; i < n; i++) {
		switch (a[i].kind) {
		case VIGIL_ACT_POST:
			sel->actions |= VIGIL_ACTION_POST;
			sel->rate_ns = a[i].rate_limit_ns;
			sel->rate_scope = a[i].rate_scope == VIGIL_RATE_GLOBAL	  ? VIGIL_RS_GLOBAL
					  : a[i].rate_scope == VIGIL_RATE_PROCESS ? VIGIL_RS_PROCESS
										  : VIGIL_RS_THREAD;
			break;
		case VIGIL_ACT_NOPOST:
			nopost = true;
			break;
		case VIGIL_ACT_SIGKILL:
			sel->actions |= VIGIL_ACTION_SIGKILL;
			break;
		case VIGIL_ACT_SIGNAL:
			sel->actions |= VIGIL_ACTION_SIGNAL;
			sel->signal = (uint32_t)a[i].arg_sig;
			break;
		case VIGIL_ACT_OVERRIDE:
			if (attach == VIGIL_ATTACH_CGROUP_CONNECT && a[i].arg_error != -1) {
				fail(c, a[i].pos,
				     "Override on %s runs here as the cgroup connect hook, whose "
				     "deny is always EPERM: argError must be -1 (EPERM), not %d",
				     h->call, a[i].arg_error);
				break;
			}
			if (attach != VIGIL_ATTACH_LSM && attach != VIGIL_ATTACH_CGROUP_CONNECT) {
				fail(c, a[i].pos,
				     "Override on %s cannot run here: it needs BPF-LSM or "
				     "bpf_override_return, and this kernel has neither for this "
				     "hook",
				     h->call);
				break;
			}
			sel->actions |= VIGIL_ACTION_OVERRIDE;
			sel->error = a[i].arg_error;
			break;
		default:
			fail(c, a[i].pos, "this action is not supported by vigil yet");
		}
	}
	/* Every action is reported unless NoPost says otherwise. */
	if (!nopost)
		sel->actions |= VIGIL_ACTION_POST;
}

const char *vigil_lsm_hook_for(const char *fn, char *buf, size_t bufsz)
{
	if (strncmp(fn, "security_", 9) != 0 || !fn[9])
		return NULL;
	if (!strcmp(fn, "security_bprm_check"))
		snprintf(buf, bufsz, "bprm_check_security");
	else
		snprintf(buf, bufsz, "%s", fn + 9);
	return buf;
}

static bool is_exec_hook(const struct vigil_hook *h)
{
	return (h->kind == VIGIL_HOOK_KPROBE && !strcmp(h->call, "security_bprm_check")) ||
	       (h->kind == VIGIL_HOOK_LSM && !strcmp(h->call, "bprm_check_security"));
}

/* The arguments the cgroup connect hook gives for h, or why not. */
static bool connect_args_ok(const struct vigil_hook *h, char *why, size_t whysz)
{
	enum connect_hook k = connect_hook_of(h);
	size_t i;

	for (i = 0; i < h->nargs; i++) {
		const struct vigil_arg *a = &h->args[i];
		bool ok = k == CONNECT_TCP
				  ? a->index == 0 && a->type == VIGIL_ARG_SOCK
				  : (a->index == 0 &&
				     (a->type == VIGIL_ARG_SOCKET || a->type == VIGIL_ARG_SOCK)) ||
					    (a->index == 1 && a->type == VIGIL_ARG_SOCKADDR) ||
					    (a->index == 2 && vigil_arg_type_is_int(a->type));

		if (!ok || a->resolve) {
			snprintf(why, whysz,
				 "the cgroup connect hook gives %s, not argument %u of type "
				 "\"%s\"%s",
				 k == CONNECT_TCP
					 ? "argument 0 (sock)"
					 : "arguments 0 (socket), 1 (sockaddr) and 2 (int)",
				 a->index, a->type_name ? a->type_name : "?",
				 a->resolve ? " with resolve" : "");
			return false;
		}
	}
	return true;
}

static bool wants_override(const struct vigil_hook *h)
{
	size_t i, j;

	for (i = 0; i < h->nselectors; i++)
		for (j = 0; j < h->selectors[i].nactions; j++)
			if (h->selectors[i].actions[j].kind == VIGIL_ACT_OVERRIDE)
				return true;
	return false;
}

/* Where hook h runs on this kernel (the fallback chain above). */
static int choose_attach(struct cc *c, const struct vigil_hook *h, struct vigil_plan_hook *ph)
{
	const struct vigil_kernel_features *f = c->f;
	bool ovr = wants_override(h);
	bool exec_ok = is_exec_hook(h) && !ovr && f->exec_tracepoint && h->nargs <= 1 &&
		       (h->nargs == 0 ||
			(h->args[0].index == 0 && h->args[0].type == VIGIL_ARG_LINUX_BINPRM));
	char lsm[128];

	if (h->kind == VIGIL_HOOK_TRACEPOINT && h->raw) {
		/* arguments of the prototype, read as a kprobe's (map_arg) */
		ph->attach = VIGIL_ATTACH_RAW_TRACEPOINT;
		snprintf(ph->target, sizeof(ph->target), "%s", h->call);
		snprintf(ph->how, sizeof(ph->how), "raw tracepoint %.100s/%.100s",
			 h->subsystem ? h->subsystem : "", h->call);
		return 0;
	}
	if (h->kind == VIGIL_HOOK_TRACEPOINT) {
		int ret = vigil_compile_tracepoint(c->p, f, h, ph, c->ds);

		if (ret && !c->err)
			c->err = ret;
		return ret;
	}
	if (h->kind == VIGIL_HOOK_LSM) {
		if (f->lsm) {
			ph->attach = VIGIL_ATTACH_LSM;
			snprintf(ph->target, sizeof(ph->target), "%s", h->call);
			snprintf(ph->how, sizeof(ph->how), "BPF-LSM hook %.127s", h->call);
			return 0;
		}
		goto exec_fallback;
	}
	if (f->kprobes && (!ovr || f->override_return)) {
		if (h->syscall) {
			ph->attach = VIGIL_ATTACH_KPROBE_SYSCALL;
			snprintf(ph->target, sizeof(ph->target), "%s%s",
				 f->syscall_prefix ? f->syscall_prefix : "",
				 strncmp(h->call, "sys_", 4) ? h->call : h->call + 4);
		} else {
			ph->attach = VIGIL_ATTACH_KPROBE;
			snprintf(ph->target, sizeof(ph->target), "%s", h->call);
		}
		snprintf(ph->how, sizeof(ph->how), "kprobe on %.127s", ph->target);
		if (ovr) {
			fail(c, h->pos, "Override on a kprobe is not supported by vigil yet");
			return -EINVAL;
		}
		return 0;
	}
	if (f->lsm && vigil_lsm_hook_for(h->call, lsm, sizeof(lsm))) {
		ph->attach = VIGIL_ATTACH_LSM;
		snprintf(ph->target, sizeof(ph->target), "%s", lsm);
		snprintf(ph->how, sizeof(ph->how),
			 "BPF-LSM hook %.100s, standing in for a kprobe on %.120s (%s)", lsm,
			 h->call,
			 f->kprobes ? "Override needs bpf_override_return, which this kernel lacks"
				    : "this kernel has no kprobes");
		return 0;
	}
exec_fallback:
	if (connect_hook_of(h) != CONNECT_NONE && f->cgroup_connect) {
		char why[256];

		if (!connect_args_ok(h, why, sizeof(why))) {
			fail(c, h->pos, "%s cannot run here: %s (no kprobes%s on this kernel)",
			     h->call, why, f->lsm ? "" : " and no BPF-LSM");
			return -EINVAL;
		}
		ph->attach = VIGIL_ATTACH_CGROUP_CONNECT;
		if (connect_hook_of(h) == CONNECT_TCP)
			ph->cfg.flags |= VIGIL_HOOK_F_TCP;
		snprintf(ph->target, sizeof(ph->target), "cgroup connect4/connect6");
		snprintf(ph->how, sizeof(ph->how),
			 "cgroup connect4/connect6 at the cgroup root, standing in for %.100s "
			 "(this kernel has %s): before the connect, the address asked for",
			 h->call, f->lsm ? "no kprobes" : "neither kprobes nor BPF-LSM");
		return 0;
	}
	if (exec_ok) {
		ph->attach = VIGIL_ATTACH_EXEC_TRACEPOINT;
		snprintf(ph->target, sizeof(ph->target), "sched_process_exec");
		snprintf(ph->how, sizeof(ph->how),
			 "tp_btf/sched_process_exec, standing in for %.120s: this kernel has "
			 "neither "
			 "kprobes nor BPF-LSM; the new image is stopped before its first "
			 "instruction",
			 h->call);
		return 0;
	}
	if (h->kind == VIGIL_HOOK_LSM)
		fail(c, h->pos,
		     "LSM hook %s cannot run here: this kernel does not offer BPF-LSM (boot with "
		     "lsm=...,bpf)%s",
		     h->call,
		     is_exec_hook(h) ? "; without Override it would run on the exec tracepoint"
				     : "");
	else if (ovr && f->kprobes)
		fail(c, h->pos,
		     "Override on a kprobe on %s cannot run here: this kernel has no "
		     "bpf_override_return "
		     "(CONFIG_BPF_KPROBE_OVERRIDE) and no BPF-LSM hook stands in for it",
		     h->call);
	else
		fail(c, h->pos,
		     "kprobe on %s cannot run here: this kernel has no kprobes, and no BPF-LSM "
		     "hook or "
		     "tracepoint stands in for it%s",
		     h->call,
		     is_exec_hook(h) ? " with these actions (Override needs BPF-LSM)" : "");
	return -EINVAL;
}

/*
 * return: true runs the hook where the call returns (a kretprobe; the
 * kprobe keeps the arguments till then); returnArg is one more argument
 * slot, read from the return value.  *ret_slot gets its slot, or -1.
 */
static int compile_return(struct cc *c, const struct vigil_hook *h, struct vigil_plan_hook *ph,
			  int *ret_slot)
{
	struct vigil_hook_cfg *cfg = &ph->cfg;
	struct vigil_hook_arg *ha;

	*ret_slot = -1;
	if (!h->has_return)
		return 0;
	if (ph->attach != VIGIL_ATTACH_KPROBE && ph->attach != VIGIL_ATTACH_KPROBE_SYSCALL) {
		fail(c, h->pos,
		     "return: true cannot run here: it needs kprobes (a kretprobe), and this hook "
		     "runs as %s",
		     ph->how);
		return -EINVAL;
	}
	cfg->flags |= VIGIL_HOOK_F_RETURN;
	if (!h->has_return_arg)
		return 0;
	if (cfg->nargs >= VIGIL_HOOK_ARGS) {
		fail(c, h->pos, "at most 8 args per hook, returnArg included");
		return -EINVAL;
	}
	if (!vigil_arg_type_is_int(h->return_arg.type)) {
		fail(c, h->return_arg.pos,
		     "returnArg of type \"%s\" is not supported by vigil yet (integer types are)",
		     arg_type_name(&h->return_arg));
		return -EINVAL;
	}
	ha = &cfg->args[cfg->nargs];
	if (map_arg(c, &h->return_arg, ph->attach, false, ha))
		return -EINVAL;
	ha->index = VIGIL_RAW_RET;
	ha->flags |= VIGIL_ARG_F_RETURN;
	*ret_slot = cfg->nargs++;
	return 0;
}

/* resolve: the field path's offsets, from the kernel's types. */
static int resolve_arg(struct cc *c, const struct vigil_hook *h, size_t i,
		       struct vigil_hook_cfg *cfg)
{
	const struct vigil_arg *a = &h->args[i];
	size_t len = strlen(c->path);
	char why[256];
	int ret = 0;

	if (!a->resolve)
		return 0;
	snprintf(c->path + len, sizeof(c->path) - len, ".args[%zu].resolve", i);
	if (!c->f->resolve_arg) {
		fail(c, a->pos,
		     "resolve \"%s\" cannot be followed here: the kernel's types (BTF) "
		     "are not available",
		     a->resolve);
		ret = -EINVAL;
	} else if (c->f->resolve_arg(c->f->resolve_arg_ctx, h, a->index, a->resolve, &cfg->res[i],
				     why, sizeof(why))) {
		fail(c, a->pos, "resolve \"%s\": %s", a->resolve, why);
		ret = -EINVAL;
	}
	c->path[len] = 0;
	return ret;
}

static void compile_hook(struct cc *c, const struct vigil_hook *h)
{
	struct vigil_plan_hook *ph = &c->plan->hooks[c->plan->nhooks];
	struct vigil_hook_cfg *cfg = &ph->cfg;
	int ret_slot = -1;
	size_t i, j;

	memset(ph, 0, sizeof(*ph));
	ph->src = h;
	/* its place in its own list (hooks of a list share the list's) */
	snprintf(c->path, sizeof(c->path), "spec.%s[%u]",
		 h->kind == VIGIL_HOOK_KPROBE ? "kprobes"
		 : h->kind == VIGIL_HOOK_LSM  ? "lsmhooks"
					      : "tracepoints",
		 h->spec_index);
	if (choose_attach(c, h, ph))
		return;
	cfg->hook = (c->plan->policy_id << 12) | (uint32_t)c->plan->nhooks;
	cfg->policy = c->plan->policy_id;
	cfg->attach = (uint8_t)ph->attach;
	if (h->nargs > VIGIL_HOOK_ARGS) {
		fail(c, h->pos, "at most 8 args per hook");
		return;
	}
	if (h->nselectors > VIGIL_SELECTORS) {
		fail(c, h->pos, "at most 5 selectors per hook");
		return;
	}
	cfg->nargs = (uint8_t)h->nargs;
	for (i = 0; i < h->nargs; i++)
		if (map_arg(c, &h->args[i], ph->attach, connect_hook_of(h) == CONNECT_TCP,
			    &cfg->args[i]))
			return;
	for (i = 0; i < h->nargs; i++)
		if (link_size_arg(c, h, i, cfg) || resolve_arg(c, h, i, cfg))
			return;
	if (compile_return(c, h, ph, &ret_slot))
		return;
	cfg->nsel = (uint8_t)h->nselectors;
	for (i = 0; i < h->nselectors; i++) {
		const struct vigil_selector *s = &h->selectors[i];
		struct vigil_sel_cfg *sel = &cfg->sel[i];

		compile_caps(c, s->caps, s->ncaps, &sel->caps);
		for (j = 0; j < s->nargs; j++) {
			int slot = slot_of(h, s->args[j].index);

			compile_match_arg(c, slot < 0 ? NULL : &h->args[slot], slot, &s->args[j],
					  sel, cfg);
		}
		for (j = 0; j < s->nret_args; j++) {
			if (ret_slot < 0) {
				fail(c, s->ret_args[j].pos,
				     "matchReturnArgs needs the hook's returnArg (and return: "
				     "true)");
				break;
			}
			compile_match_arg(c, &h->return_arg, ret_slot, &s->ret_args[j], sel, cfg);
		}
		compile_bins(c, s->bins, s->nbins, &sel->bin, "matchBinaries");
		compile_bins(c, s->parent_bins, s->nparent_bins, &sel->pbin, "matchParentBinaries");
		compile_ns(c, s->ns, s->nns, &sel->ns);
		compile_pids(c, s->pids, s->npids, sel);
		compile_actions(c, h, ph->attach, s->actions, s->nactions, sel);
	}
	c->plan->nhooks++;
}

int vigil_policy_compile(const struct vigil_policy *p, const struct vigil_kernel_features *f,
			 uint32_t policy_id, struct vigil_plan *plan, struct vigil_diags *ds)
{
	struct cc c = { .p = p, .f = f, .plan = plan, .ds = ds };
	size_t i;

	memset(plan, 0, sizeof(*plan));
	if (policy_id >= VIGIL_POLICIES_MAX)
		return -ERANGE;
	plan->policy_id = policy_id;
	if (p->nhooks > VIGIL_PLAN_HOOKS_PER_POLICY) {
		vigil_diag_add(ds, VIGIL_DIAG_ERROR, p->file, p->pos, "spec",
			       "at most %u hooks per policy", VIGIL_PLAN_HOOKS_PER_POLICY);
		return -EINVAL;
	}
	plan->hooks = calloc(p->nhooks ? p->nhooks : 1, sizeof(*plan->hooks));
	if (!plan->hooks)
		return -ENOMEM;
	for (i = 0; i < p->nhooks && c.err != -ENOMEM; i++)
		compile_hook(&c, &p->hooks[i]);
	/* podSelector, containerSelector, a namespaced policy: its hooks run
	 * only in the cgroups the agent puts in policy_scope */
	for (i = 0; !c.err && vigil_policy_workload_scoped(p) && i < plan->nhooks; i++)
		plan->hooks[i].cfg.flags |= VIGIL_HOOK_F_SCOPED;
	plan->scoped = vigil_policy_workload_scoped(p);
	if (!c.err && plan->nsets >= VIGIL_PLAN_SETS_PER_POLICY) {
		vigil_diag_add(ds, VIGIL_DIAG_ERROR, p->file, p->pos, "spec",
			       "more than %u value lists in one policy",
			       VIGIL_PLAN_SETS_PER_POLICY - 1);
		c.err = -EINVAL;
	}
	if (c.err)
		vigil_plan_free(plan);
	return c.err;
}

void vigil_plan_free(struct vigil_plan *plan)
{
	free(plan->hooks);
	free(plan->strs);
	free(plan->nums);
	memset(plan, 0, sizeof(*plan));
}

size_t vigil_plan_set_bytes(const struct vigil_plan *plan)
{
	/* An LPM trie node: the key data, the value and about 48 bytes of
	 * node header and allocator overhead; an intermediate node per entry
	 * at worst. */
	size_t str = sizeof(struct vigil_str_key) - 4 + sizeof(struct vigil_set_val) + 48;
	size_t num = sizeof(struct vigil_num_key) - 4 + sizeof(struct vigil_set_val) + 48;

	return 2 * (plan->nstrs * str + plan->nnums * num);
}
