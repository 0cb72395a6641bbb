/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h - a TracingPolicy as plain C data.
 *
 * The parser (parse.c) builds it from YAML, keeping the line and column of
 * every element so that the validator and the compiler can point at the
 * text.  Nothing here knows about BPF maps or file descriptors.  Every
 * string is owned by the policy and freed by vigil_policy_free().
 *
 * Values stay the strings the user wrote (with their position): the
 * validator checks that they parse for the argument's type, the compiler
 * converts them (values.h).
 */
#ifndef VIGIL_POLICY_MODEL_H
#define VIGIL_POLICY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A place in the source text; line and col are 1-based, 0 when unknown. */
struct vigil_pos {
	unsigned line;
	unsigned col;
};

enum vigil_policy_kind {
	VIGIL_KIND_TRACING_POLICY = 0,	  /* cluster-scoped */
	VIGIL_KIND_TRACING_POLICY_NS = 1, /* TracingPolicyNamespaced */
};

enum vigil_policy_mode {
	VIGIL_MODE_ENFORCE = 0, /* Tetragon's default */
	VIGIL_MODE_MONITOR = 1,
};

enum vigil_hook_kind {
	VIGIL_HOOK_KPROBE = 0,
	VIGIL_HOOK_TRACEPOINT,
	VIGIL_HOOK_LSM,
	VIGIL_HOOK_KIND_COUNT,
};

/* Argument types vigil supports (args[].type, returnArg.type).  The
 * integer family is kept by width and sign; type_name in vigil_arg keeps
 * the spelling the user wrote, which decides the event field (int_arg,
 * uint_arg, size_arg, long_arg). */
enum vigil_arg_type {
	VIGIL_ARG_NONE = 0,
	VIGIL_ARG_S8,
	VIGIL_ARG_S16,
	VIGIL_ARG_S32,
	VIGIL_ARG_S64,
	VIGIL_ARG_U8,
	VIGIL_ARG_U16,
	VIGIL_ARG_U32,
	VIGIL_ARG_U64,
	VIGIL_ARG_STRING,
	VIGIL_ARG_CHAR_BUF,
	VIGIL_ARG_FD,
	VIGIL_ARG_FILE,
	VIGIL_ARG_PATH,
	VIGIL_ARG_DENTRY,
	VIGIL_ARG_LINUX_BINPRM,
	VIGIL_ARG_CRED,
	VIGIL_ARG_CAPABILITY,
	VIGIL_ARG_SOCK,
	VIGIL_ARG_SOCKADDR,
	VIGIL_ARG_SKB,
	VIGIL_ARG_SOCKET, /* struct socket *: read as its sock */
	VIGIL_ARG_TYPE_COUNT,
};

/* matchArgs / matchReturnArgs operators. */
enum vigil_op {
	VIGIL_OP_EQUAL = 0,
	VIGIL_OP_NOT_EQUAL,
	VIGIL_OP_PREFIX,
	VIGIL_OP_NOT_PREFIX,
	VIGIL_OP_POSTFIX,
	VIGIL_OP_NOT_POSTFIX,
	VIGIL_OP_GT, /* GT, GreaterThan */
	VIGIL_OP_LT, /* LT, LessThan */
	VIGIL_OP_MASK,
	VIGIL_OP_IN_MAP,
	VIGIL_OP_NOT_IN_MAP,
	VIGIL_OP_IN_RANGE,
	VIGIL_OP_NOT_IN_RANGE,
	VIGIL_OP_SADDR,
	VIGIL_OP_NOT_SADDR,
	VIGIL_OP_DADDR,
	VIGIL_OP_NOT_DADDR,
	VIGIL_OP_SPORT,
	VIGIL_OP_NOT_SPORT,
	VIGIL_OP_DPORT,
	VIGIL_OP_NOT_DPORT,
	VIGIL_OP_PROTOCOL,
	VIGIL_OP_FAMILY,
	VIGIL_OP_COUNT,
};

/* matchBinaries / matchParentBinaries operators. */
enum vigil_bin_op {
	VIGIL_BIN_IN = 0,
	VIGIL_BIN_NOT_IN,
	VIGIL_BIN_PREFIX,
	VIGIL_BIN_NOT_PREFIX,
	VIGIL_BIN_POSTFIX,
	VIGIL_BIN_NOT_POSTFIX,
	VIGIL_BIN_OP_COUNT,
};

/* matchNamespaces namespace names; the order is enum vigil_ns_slot's
 * (bpf-lsm/vigil_abi.h), which the compiler relies on. */
enum vigil_ns_type {
	VIGIL_NST_UTS = 0,
	VIGIL_NST_IPC,
	VIGIL_NST_MNT,
	VIGIL_NST_PID,
	VIGIL_NST_PID_FOR_CHILDREN,
	VIGIL_NST_NET,
	VIGIL_NST_TIME,
	VIGIL_NST_TIME_FOR_CHILDREN,
	VIGIL_NST_CGROUP,
	VIGIL_NST_USER,
	VIGIL_NST_COUNT,
};

enum vigil_cap_set {
	VIGIL_CAPSET_EFFECTIVE = 0,
	VIGIL_CAPSET_PERMITTED,
	VIGIL_CAPSET_INHERITABLE,
};

enum vigil_action_kind {
	VIGIL_ACT_POST = 0,
	VIGIL_ACT_NOPOST,
	VIGIL_ACT_SIGKILL,
	VIGIL_ACT_SIGNAL,
	VIGIL_ACT_OVERRIDE,
	VIGIL_ACT_COUNT,
};

enum vigil_rate_scope {
	VIGIL_RATE_THREAD = 0, /* Tetragon's default */
	VIGIL_RATE_PROCESS,
	VIGIL_RATE_GLOBAL,
};

/* One value as written, with where it was written. */
struct vigil_value {
	char *s;
	struct vigil_pos pos;
};

struct vigil_values {
	struct vigil_value *v;
	size_t n;
};

/* args[] and returnArg. */
struct vigil_arg {
	unsigned index; /* the function's argument number, from 0 */
	enum vigil_arg_type type;
	char *type_name;	 /* as written: "int", "uint64", "size_t"... */
	unsigned size_arg_index; /* char_buf: sizeArgIndex (1-based), 0 = none */
	bool return_copy;
	unsigned max_data; /* maxData, 0 = default; Tetragon's maxData is a
			    * boolean: true is written here as 1 */
	char *label;	   /* NULL when absent */
	char *resolve;	   /* a BTF field path, NULL when absent */
	struct vigil_pos pos;
	struct vigil_pos index_pos; /* of the index value */
	struct vigil_pos type_pos;  /* of the type value */
};

struct vigil_match_arg {
	unsigned index; /* refers to args[].index of the hook (for a tracepoint,
			 * Tetragon also accepts the position in args: the
			 * parser rewrites that to the arg's index) */
	enum vigil_op op;
	struct vigil_values values;
	struct vigil_pos pos;
	struct vigil_pos index_pos; /* of the index value; pos when absent */
	struct vigil_pos op_pos;    /* of the operator value */
};

struct vigil_match_binaries {
	enum vigil_bin_op op;
	struct vigil_values values;
	bool follow_children;
	struct vigil_pos pos;
};

struct vigil_match_ns {
	enum vigil_ns_type ns;
	bool not_in;
	struct vigil_values values; /* inode numbers, or "host_ns" */
	struct vigil_pos pos;
};

struct vigil_match_pids {
	bool not_in;
	bool follow_forks;
	bool is_namespace_pid;
	struct vigil_values values;
	struct vigil_pos pos;
};

struct vigil_match_caps {
	enum vigil_cap_set set;
	bool not_in;
	bool is_namespace_capability;
	struct vigil_values values; /* CAP_SYS_ADMIN, ... */
	struct vigil_pos pos;
};

struct vigil_action {
	enum vigil_action_kind kind;
	int arg_error;		/* Override: errno as written (negative) */
	int arg_sig;		/* Signal */
	uint64_t rate_limit_ns; /* Post: 0 = none */
	enum vigil_rate_scope rate_scope;
	struct vigil_pos pos;
	bool has_arg_error; /* argError was written */
	bool has_arg_sig;   /* argSig was written */
	struct vigil_pos arg_error_pos;
	struct vigil_pos arg_sig_pos;
	struct vigil_pos rate_limit_pos; /* of rateLimit; line 0 when absent */
};

/* One selector: its filters are ANDed; a hook's selectors are ORed. */
struct vigil_selector {
	struct vigil_match_arg *args;
	size_t nargs;
	struct vigil_match_arg *ret_args;
	size_t nret_args;
	struct vigil_match_binaries *bins;
	size_t nbins;
	struct vigil_match_binaries *parent_bins;
	size_t nparent_bins;
	struct vigil_match_ns *ns;
	size_t nns;
	struct vigil_match_pids *pids;
	size_t npids;
	struct vigil_match_caps *caps;
	size_t ncaps;
	struct vigil_action *actions;
	size_t nactions;
	struct vigil_pos pos;
};

/* One entry of spec.kprobes, spec.tracepoints or spec.lsmhooks.  A kprobe
 * whose call is "list:NAME" is expanded by the parser into one hook per
 * function of the list, each with from_list set to the list name. */
struct vigil_hook {
	enum vigil_hook_kind kind;
	char *call;	 /* kprobe: function; lsm: hook name; tracepoint: event */
	char *subsystem; /* tracepoint only */
	char *from_list; /* kprobe expanded from "list:NAME", else NULL */
	bool syscall;	 /* kprobe: a system call (Tetragon's default true) */
	bool raw;	 /* tracepoint: raw tracepoint */
	bool has_return; /* kprobe: return: true */
	struct vigil_arg *args;
	size_t nargs;
	struct vigil_arg return_arg; /* valid when has_return_arg */
	bool has_return_arg;
	struct vigil_selector *selectors;
	size_t nselectors;
	char *message; /* NULL when absent */
	char **tags;
	size_t ntags;
	struct vigil_pos pos;
	/* Where to point: the call/hook/event value (for a hook expanded from
	 * a list, the list's value), the message, each tag. */
	struct vigil_pos call_pos;
	struct vigil_pos message_pos;
	struct vigil_pos *tag_pos;  /* ntags of them */
	unsigned spec_index;	    /* its index in spec.kprobes/tracepoints/lsmhooks */
	bool ignore_call_not_found; /* kprobe: ignore: {callNotFound: true} */
};

struct vigil_list {
	char *name;
	char *type; /* "syscalls", ... */
	struct vigil_values values;
	struct vigil_pos pos;
};

/* spec.podSelector, spec.containerSelector: a Kubernetes LabelSelector
 * (Tetragon's slimv1.LabelSelector).  Requirements are ANDed; matchLabels
 * k: v is the requirement k In [v].  Matching is pod_selector.h's. */
enum vigil_label_op {
	VIGIL_LABEL_IN = 0,
	VIGIL_LABEL_NOT_IN,
	VIGIL_LABEL_EXISTS,
	VIGIL_LABEL_DOES_NOT_EXIST,
	VIGIL_LABEL_OP_COUNT,
};

/* One matchLabels entry. */
struct vigil_label_match {
	char *key;
	char *value;
	struct vigil_pos pos;	    /* of the key */
	struct vigil_pos value_pos; /* of the value */
};

/* One matchExpressions entry. */
struct vigil_label_expr {
	char *key; /* NULL when missing (an error was reported) */
	enum vigil_label_op op;
	struct vigil_values values;
	bool has_values; /* values was written, even as [] */
	struct vigil_pos pos;
	struct vigil_pos key_pos;    /* pos when absent */
	struct vigil_pos op_pos;     /* pos when absent */
	struct vigil_pos values_pos; /* pos when absent */
};

struct vigil_label_selector_spec {
	bool present; /* written and not null: {} selects everything */
	struct vigil_label_match *labels;
	size_t nlabels;
	struct vigil_label_expr *exprs;
	size_t nexprs;
	struct vigil_pos pos;
};

struct vigil_policy {
	char *file;	  /* the name errors use */
	char *name;	  /* metadata.name */
	char *namespace_; /* metadata.namespace (TracingPolicyNamespaced) */
	enum vigil_policy_kind kind;
	enum vigil_policy_mode mode; /* spec.options policy-mode */
	bool mode_set;
	struct vigil_hook *hooks; /* kprobes, then tracepoints, then lsmhooks */
	size_t nhooks;
	struct vigil_list *lists;
	size_t nlists;
	/* Which pods and containers the policy applies to; see
	 * vigil_policy_workload_scoped() (pod_selector.h). */
	struct vigil_label_selector_spec pod_selector;
	struct vigil_label_selector_spec container_selector;
	struct vigil_pos pos;
};

void vigil_policy_free(struct vigil_policy *p);

#endif
