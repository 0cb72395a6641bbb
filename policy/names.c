// SPDX-License-Identifier: Apache-2.0
/*
 * names.c - enumerated names of a TracingPolicy (Tetragon v1.7's CRD
 * enums, pkg/k8s/apis/cilium.io/v1alpha1) and what vigil supports.
 */
#include <errno.h>
#include <string.h>

#include "names.h"
#include "suggest.h"

#define UNSUPPORTED (-1)

struct name {
	const char *name;
	int value; /* UNSUPPORTED: Tetragon knows it, vigil does not support it */
};

static const struct name kinds[] = {
	{ "TracingPolicy", VIGIL_KIND_TRACING_POLICY },
	{ "TracingPolicyNamespaced", VIGIL_KIND_TRACING_POLICY_NS },
};

static const struct name arg_types[] = {
	{ "int", VIGIL_ARG_S32 },
	{ "int8", VIGIL_ARG_S8 },
	{ "sint8", VIGIL_ARG_S8 },
	{ "int16", VIGIL_ARG_S16 },
	{ "sint16", VIGIL_ARG_S16 },
	{ "int32", VIGIL_ARG_S32 },
	{ "sint32", VIGIL_ARG_S32 },
	{ "int64", VIGIL_ARG_S64 },
	{ "sint64", VIGIL_ARG_S64 },
	{ "long", VIGIL_ARG_S64 },
	{ "uint8", VIGIL_ARG_U8 },
	{ "uint16", VIGIL_ARG_U16 },
	{ "uint32", VIGIL_ARG_U32 },
	{ "uint64", VIGIL_ARG_U64 },
	{ "ulong", VIGIL_ARG_U64 },
	{ "size_t", VIGIL_ARG_U64 },
	{ "string", VIGIL_ARG_STRING },
	{ "char_buf", VIGIL_ARG_CHAR_BUF },
	{ "fd", VIGIL_ARG_FD },
	{ "file", VIGIL_ARG_FILE },
	{ "path", VIGIL_ARG_PATH },
	{ "dentry", VIGIL_ARG_DENTRY },
	{ "linux_binprm", VIGIL_ARG_LINUX_BINPRM },
	{ "cred", VIGIL_ARG_CRED },
	{ "capability", VIGIL_ARG_CAPABILITY },
	{ "sock", VIGIL_ARG_SOCK },
	{ "sockaddr", VIGIL_ARG_SOCKADDR },
	{ "skb", VIGIL_ARG_SKB },
	{ "socket", VIGIL_ARG_SOCKET },
	/* Tetragon's other types */
	{ "auto", UNSUPPORTED },
	{ "char_iovec", UNSUPPORTED },
	{ "sockaddr_un", UNSUPPORTED },
	{ "filename", UNSUPPORTED },
	{ "nop", UNSUPPORTED },
	{ "bpf_attr", UNSUPPORTED },
	{ "perf_event", UNSUPPORTED },
	{ "bpf_map", UNSUPPORTED },
	{ "user_namespace", UNSUPPORTED },
	{ "kiocb", UNSUPPORTED },
	{ "iov_iter", UNSUPPORTED },
	{ "const_buf", UNSUPPORTED },
	{ "load_info", UNSUPPORTED },
	{ "module", UNSUPPORTED },
	{ "syscall64", UNSUPPORTED },
	{ "kernel_cap_t", UNSUPPORTED },
	{ "cap_inheritable", UNSUPPORTED },
	{ "cap_permitted", UNSUPPORTED },
	{ "cap_effective", UNSUPPORTED },
	{ "data_loc", UNSUPPORTED },
	{ "net_device", UNSUPPORTED },
	{ "bpf_cmd", UNSUPPORTED },
	{ "bpf_prog", UNSUPPORTED },
};

static const struct name ops[] = {
	{ "Equal", VIGIL_OP_EQUAL },
	{ "NotEqual", VIGIL_OP_NOT_EQUAL },
	{ "Prefix", VIGIL_OP_PREFIX },
	{ "NotPrefix", VIGIL_OP_NOT_PREFIX },
	{ "Postfix", VIGIL_OP_POSTFIX },
	{ "NotPostfix", VIGIL_OP_NOT_POSTFIX },
	{ "GT", VIGIL_OP_GT },
	{ "GreaterThan", VIGIL_OP_GT },
	{ "LT", VIGIL_OP_LT },
	{ "LessThan", VIGIL_OP_LT },
	{ "Mask", VIGIL_OP_MASK },
	{ "InMap", VIGIL_OP_IN_MAP },
	{ "NotInMap", VIGIL_OP_NOT_IN_MAP },
	{ "InRange", VIGIL_OP_IN_RANGE },
	{ "NotInRange", VIGIL_OP_NOT_IN_RANGE },
	{ "SAddr", VIGIL_OP_SADDR },
	{ "NotSAddr", VIGIL_OP_NOT_SADDR },
	{ "DAddr", VIGIL_OP_DADDR },
	{ "NotDAddr", VIGIL_OP_NOT_DADDR },
	{ "SPort", VIGIL_OP_SPORT },
	{ "NotSPort", VIGIL_OP_NOT_SPORT },
	{ "DPort", VIGIL_OP_DPORT },
	{ "NotDPort", VIGIL_OP_NOT_DPORT },
	{ "Protocol", VIGIL_OP_PROTOCOL },
	{ "Family", VIGIL_OP_FAMILY },
	/* Tetragon's other operators (its CRD spells NotSportPriv so) */
	{ "SubString", UNSUPPORTED },
	{ "SubStringIgnCase", UNSUPPORTED },
	{ "FileType", UNSUPPORTED },
	{ "NotFileType", UNSUPPORTED },
	{ "CapabilitiesGained", UNSUPPORTED },
	{ "State", UNSUPPORTED },
	{ "SPortPriv", UNSUPPORTED },
	{ "NotSportPriv", UNSUPPORTED },
	{ "DPortPriv", UNSUPPORTED },
	{ "NotDPortPriv", UNSUPPORTED },
	{ "CelExpr", UNSUPPORTED },
};

static const struct name bin_ops[] = {
	{ "In", VIGIL_BIN_IN },		  { "NotIn", VIGIL_BIN_NOT_IN },
	{ "Prefix", VIGIL_BIN_PREFIX },	  { "NotPrefix", VIGIL_BIN_NOT_PREFIX },
	{ "Postfix", VIGIL_BIN_POSTFIX }, { "NotPostfix", VIGIL_BIN_NOT_POSTFIX },
};

static const struct name set_ops[] = {
	{ "In", 0 },
	{ "NotIn", 1 },
};

static const struct name namespaces[] = {
	{ "Uts", VIGIL_NST_UTS },
	{ "Ipc", VIGIL_NST_IPC },
	{ "Mnt", VIGIL_NST_MNT },
	{ "Pid", VIGIL_NST_PID },
	{ "PidForChildren", VIGIL_NST_PID_FOR_CHILDREN },
	{ "Net", VIGIL_NST_NET },
	{ "Time", VIGIL_NST_TIME },
	{ "TimeForChildren", VIGIL_NST_TIME_FOR_CHILDREN },
	{ "Cgroup", VIGIL_NST_CGROUP },
	{ "User", VIGIL_NST_USER },
};

static const struct name cap_sets[] = {
	{ "Effective", VIGIL_CAPSET_EFFECTIVE },
	{ "Inheritable", VIGIL_CAPSET_INHERITABLE },
	{ "Permitted", VIGIL_CAPSET_PERMITTED },
};

static const struct name actions[] = {
	{ "Post", VIGIL_ACT_POST },
	{ "NoPost", VIGIL_ACT_NOPOST },
	{ "Sigkill", VIGIL_ACT_SIGKILL },
	{ "Signal", VIGIL_ACT_SIGNAL },
	{ "Override", VIGIL_ACT_OVERRIDE },
	/* Tetragon's other actions */
	{ "FollowFD", UNSUPPORTED },
	{ "UnfollowFD", UNSUPPORTED },
	{ "CopyFD", UNSUPPORTED },
	{ "GetUrl", UNSUPPORTED },
	{ "DnsLookup", UNSUPPORTED },
	{ "TrackSock", UNSUPPORTED },
	{ "UntrackSock", UNSUPPORTED },
	{ "NotifyEnforcer", UNSUPPORTED },
	{ "CleanupEnforcerNotification", UNSUPPORTED },
	{ "Set", UNSUPPORTED },
};

static const struct name rate_scopes[] = {
	{ "thread", VIGIL_RATE_THREAD },
	{ "process", VIGIL_RATE_PROCESS },
	{ "global", VIGIL_RATE_GLOBAL },
};

static const struct name list_types[] = {
	{ "syscalls", VIGIL_LIST_SYSCALLS },
	{ "generated_syscalls", UNSUPPORTED },
	{ "generated_ftrace", UNSUPPORTED },
};

static const struct name options[] = {
	{ "policy-mode", VIGIL_OPT_POLICY_MODE },
	{ "disable-kprobe-multi", VIGIL_OPT_DISABLE_KPROBE_MULTI },
	{ "disable-uprobe-multi", VIGIL_OPT_DISABLE_UPROBE_MULTI },
	{ "override-method", VIGIL_OPT_OVERRIDE_METHOD },
};

#define TABLE(t, what)                            \
	{                                         \
		t, sizeof(t) / sizeof(t[0]), what \
	}

static const struct {
	const struct name *names;
	size_t n;
	const char *what;
} tables[VIGIL_NAMES_COUNT] = {
	[VIGIL_NAMES_KIND] = TABLE(kinds, "kind"),
	[VIGIL_NAMES_ARG_TYPE] = TABLE(arg_types, "type"),
	[VIGIL_NAMES_OP] = TABLE(ops, "operator"),
	[VIGIL_NAMES_BIN_OP] = TABLE(bin_ops, "operator"),
	[VIGIL_NAMES_SET_OP] = TABLE(set_ops, "operator"),
	[VIGIL_NAMES_NS] = TABLE(namespaces, "namespace"),
	[VIGIL_NAMES_CAP_SET] = TABLE(cap_sets, "capability set"),
	[VIGIL_NAMES_ACTION] = TABLE(actions, "action"),
	[VIGIL_NAMES_RATE_SCOPE] = TABLE(rate_scopes, "rateLimitScope"),
	[VIGIL_NAMES_LIST_TYPE] = TABLE(list_types, "list type"),
	[VIGIL_NAMES_OPTION] = TABLE(options, "option"),
};

int vigil_name_lookup(enum vigil_name_table table, const char *name, int *value)
{
	size_t i;

	if ((unsigned)table >= VIGIL_NAMES_COUNT || !name)
		return -ENOENT;
	for (i = 0; i < tables[table].n; i++) {
		if (strcmp(tables[table].names[i].name, name) != 0)
			continue;
		if (tables[table].names[i].value == UNSUPPORTED)
			return -EOPNOTSUPP;
		*value = tables[table].names[i].value;
		return 0;
	}
	return -ENOENT;
}

const char *vigil_name_suggest(enum vigil_name_table table, const char *name)
{
	struct vigil_suggester sg;
	size_t i;

	if ((unsigned)table >= VIGIL_NAMES_COUNT)
		return NULL;
	vigil_suggest_init(&sg, name);
	for (i = 0; i < tables[table].n; i++)
		if (tables[table].names[i].value != UNSUPPORTED)
			vigil_suggest_offer(&sg, tables[table].names[i].name);
	return sg.best;
}

const char *vigil_name_of(enum vigil_name_table table, int value)
{
	size_t i;

	if ((unsigned)table >= VIGIL_NAMES_COUNT || value == UNSUPPORTED)
		return "?";
	for (i = 0; i < tables[table].n; i++)
		if (tables[table].names[i].value == value)
			return tables[table].names[i].name;
	return "?";
}

const char *vigil_name_what(enum vigil_name_table table)
{
	return (unsigned)table < VIGIL_NAMES_COUNT ? tables[table].what : "name";
}
