#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""gen-crds.py - write vigil's TracingPolicy and TracingPolicyNamespaced CRDs.

    python3 crds/gen-crds.py            write crds/*.yaml and the Helm chart's copies
    python3 crds/gen-crds.py --stdout   print both documents instead

The two CRDs share one spec schema, and the three hook kinds share one selector
schema with small differences, so they are written from the single definition
below rather than by hand.  check-schema.py compares the committed files with
what this script makes, and compares the enumerations and keys with vigil's own
tables (policy/names.c, policy/parse.c, policy/parse_selector.c,
policy/values.c), so that the schema cannot drift from the parser.

Needs Python 3 and PyYAML (Debian: python3-yaml).
"""
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CRD_FILES = {
    "TracingPolicy": "cilium.io_tracingpolicies.yaml",
    "TracingPolicyNamespaced": "cilium.io_tracingpoliciesnamespaced.yaml",
}
# Where copies are written (Helm installs a chart's crds/ before its templates).
COPY_DIRS = [HERE, os.path.join(ROOT, "deploy", "helm", "vigil", "crds")]

# --- facts to match: Tetragon's names, plus the short names vigil adds --------------

GROUP = "cilium.io"
VERSION = "v1alpha1"
NAMES = {
    "TracingPolicy": {
        "kind": "TracingPolicy",
        "listKind": "TracingPolicyList",
        "plural": "tracingpolicies",
        "singular": "tracingpolicy",
        # tgtp is Tetragon's; tp and tracingpolicy are vigil's
        "shortNames": ["tgtp", "tp", "tracingpolicy"],
        "categories": ["tetragon", "vigil"],
        "scope": "Cluster",
    },
    "TracingPolicyNamespaced": {
        "kind": "TracingPolicyNamespaced",
        "listKind": "TracingPolicyNamespacedList",
        "plural": "tracingpoliciesnamespaced",
        "singular": "tracingpolicynamespaced",
        # tgtpn is Tetragon's; tpn is vigil's
        "shortNames": ["tgtpn", "tpn"],
        "categories": ["tetragon", "vigil"],
        "scope": "Namespaced",
    },
}

# --- what vigil supports (check-schema.py compares these with the C tables) ----------

ARG_TYPES = [
    "int", "int8", "sint8", "int16", "sint16", "int32", "sint32", "int64", "sint64", "long",
    "uint8", "uint16", "uint32", "uint64", "ulong", "size_t", "string", "char_buf", "fd",
    "file", "path", "dentry", "linux_binprm", "cred", "capability", "sock", "sockaddr", "skb",
    "socket",
]
MATCH_ARG_OPS = [
    "Equal", "NotEqual", "Prefix", "NotPrefix", "Postfix", "NotPostfix", "GT", "GreaterThan",
    "LT", "LessThan", "Mask", "InMap", "NotInMap", "InRange", "NotInRange", "SAddr", "NotSAddr",
    "DAddr", "NotDAddr", "SPort", "NotSPort", "DPort", "NotDPort", "Protocol", "Family",
]
BIN_OPS = ["In", "NotIn", "Prefix", "NotPrefix", "Postfix", "NotPostfix"]
SET_OPS = ["In", "NotIn"]
NAMESPACES = [
    "Uts", "Ipc", "Mnt", "Pid", "PidForChildren", "Net", "Time", "TimeForChildren", "Cgroup",
    "User",
]
CAP_SETS = ["Effective", "Inheritable", "Permitted"]
ACTIONS = ["Post", "NoPost", "Sigkill", "Signal", "Override"]
RATE_SCOPES = ["thread", "process", "global"]
LIST_TYPES = ["syscalls"]
OPTIONS = ["policy-mode", "disable-kprobe-multi", "disable-uprobe-multi", "override-method"]
# every value some option accepts: policy-mode, override-method, and Go's
# strconv.ParseBool spellings for disable-*-multi
OPTION_VALUES = [
    "enforce", "monitor", "fmod-ret", "override-return",
    "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False",
]
CAPABILITIES = [
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
]
CONTAINER_FIELDS = ["name", "repo"]
POD_NAMESPACE_LABEL = "k8s:io.kubernetes.pod.namespace"
POLICY_STATES = ["enabled", "disabled", "load_error", "error"]

# vigil's limits (policy/validate.h, policy/compile.c, policy/plan.h)
MAX_HOOKS = 4096  # hooks per policy (VIGIL_PLAN_HOOKS_PER_POLICY), after list expansion
MAX_ARGS = 8  # args per hook (VIGIL_MAX_ARGS)
MAX_SELECTORS = 5  # per hook (VIGIL_MAX_SELECTORS)
MAX_SEL_ARGS = 8  # matchArgs + matchReturnArgs per selector (VIGIL_SEL_ARGS)
MAX_VALUES = 1000000  # values per filter (VIGIL_MAX_VALUES)
MAX_STRING = 251  # bytes of a string value or binary path (VIGIL_KEY_STR - 1)
MESSAGE_MAX = 256
TAG_MIN, TAG_MAX, MAX_TAGS = 2, 128, 16  # TAG_MIN is PAT_2_BYTES
INT32_MIN, INT32_MAX, UINT32_MAX = -(2 ** 31), 2 ** 31 - 1, 2 ** 32 - 1

# Patterns are Go (RE2) regular expressions, which the API server uses.
# At least 2 bytes, which the API server (counting characters) can only say as:
# 2 characters, or one that is not ASCII (2 to 4 bytes in UTF-8).
PAT_2_BYTES = r"^[\s\S]{2}|[^\x00-\x7f]"
PAT_MESSAGE = r"^$|" + PAT_2_BYTES  # empty (no message) or at least 2 bytes
PAT_RATE_LIMIT = r"^([0-9]{1,20}[sSmMhH]?)?$"
PAT_RESOLVE = (r"^$|^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?"
               r"(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?)*$")
PAT_CAPABILITY = (r"^[ \t\n\v\f\r]*((?i:CAP_(" + "|".join(CAPABILITIES) + r"))"
                  r"|[0-9]|[1-3][0-9]|40)[ \t\n\v\f\r]*$")
PAT_NS_VALUE = r"^(host_ns|[0-9]{1,20})$"
PAT_LABEL_VALUE = r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"
PAT_LABEL_KEY = (r"^(k8s:io\.kubernetes\.pod\.namespace|"
                 r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                 r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$")
LABEL_KEY_MAX = 253 + 1 + 63

# The CEL rules.  Each sits where its cardinality (the product of the maxItems
# above it) is small, so that the API server's static cost estimate stays far
# below its limits (see crds/README.md).  check-schema.py evaluates exactly
# these rules, and refuses a CRD with any other.
RULE_NO_HOST_SELECTOR = "!has(self.hostSelector)"
RULE_SEL_ARGS = ("(has(self.matchArgs) ? size(self.matchArgs) : 0) + "
                 "(has(self.matchReturnArgs) ? size(self.matchReturnArgs) : 0) <= %d"
                 % MAX_SEL_ARGS)
RULE_FOLLOW_CHILDREN = ("!has(self.followChildren) || !self.followChildren || "
                        "self.operator == 'In' || self.operator == 'NotIn'")
RULE_CONTAINER_KEYS = "self.all(k, k == 'name' || k == 'repo')"

UNSUPPORTED = "Not supported by vigil: "


# --- schema helpers ----------------------------------------------------------------------

def node(typ, desc, **kw):
    d = {"description": desc} if desc else {}
    d["type"] = typ
    d.update(kw)
    return d


def string(desc, **kw):
    return node("string", desc, **kw)


def boolean(desc, **kw):
    return node("boolean", desc, **kw)


def int32(desc, **kw):
    return node("integer", desc, format="int32", **kw)


def array(desc, items, **kw):
    d = node("array", desc, **kw)
    d["items"] = items
    return d


def obj(desc, props, required=None, rules=None, **kw):
    d = node("object", desc, **kw)
    if required:
        d["required"] = list(required)
    d["properties"] = dict(sorted(props.items()))
    if rules:
        d["x-kubernetes-validations"] = [{"rule": r, "message": m} for r, m in rules]
    return d


def enum(desc, values, **kw):
    return string(desc, enum=list(values), **kw)


# Tetragon's keys that vigil refuses unless inert (absent, null, empty, false, 0).
def unsup_array(what, item_type="object"):
    return array(UNSUPPORTED + what + "; must be absent or empty.", {"type": item_type},
                 maxItems=0)


def unsup_bool(what):
    return boolean(UNSUPPORTED + what + "; must be absent or false.", enum=[False])


def unsup_int(what):
    return int32(UNSUPPORTED + what + "; must be absent or 0.", enum=[0])


def unsup_string(what):
    return string(UNSUPPORTED + what + "; must be absent or empty.", maxLength=0)


# --- values --------------------------------------------------------------------------------

def values(desc, item, min_items=1):
    return array(desc, item, minItems=min_items, maxItems=MAX_VALUES)


def str_values(desc, max_len=MAX_STRING, **item_kw):
    return values(desc, string("", maxLength=max_len, **item_kw))


# --- arguments -------------------------------------------------------------------------

def arg_schema(desc):
    return obj(desc, {
        "index": int32("The function's argument number, from 0 (for a tracepoint, the "
                       "field's position in its format).", minimum=0, maximum=INT32_MAX),
        "type": enum("How to read the argument.  Tetragon's default, auto, is not "
                     "supported by vigil: the type is required.", ARG_TYPES),
        "sizeArgIndex": int32("char_buf: the 1-based index of the argument that holds "
                              "its size.", minimum=0, maximum=INT32_MAX),
        "returnCopy": boolean("char_buf: read the buffer when the function returns.",
                              default=False),
        "maxData": boolean("char_buf: read as much as vigil can.", default=False),
        "label": string("A name for the argument in events."),
        "resolve": string("A BTF field path read from the argument, such as "
                          "\"mm.owner.comm\" or \"f_path.dentry\".",
                          default="", pattern=PAT_RESOLVE),
        "source": unsup_string("source"),
        "btfType": unsup_string("btfType"),
    }, required=["index", "type"])


# --- selectors -------------------------------------------------------------------------

def match_arg(desc, **kw):
    return array(desc, obj("One filter on an argument.", {
        "index": int32("The args[].index of the argument (or, for a tracepoint, its "
                       "position in args).", minimum=0, maximum=INT32_MAX),
        "operator": enum("How the argument is compared with values; which operators fit "
                         "which argument types is checked by vigil.", MATCH_ARG_OPS),
        "values": str_values("The values, as strings (numbers are written as strings, "
                             "such as \"80\").  Strings are at most %d bytes." % MAX_STRING),
        "args": unsup_array("args", "integer"),
    }, required=["operator", "values"]), **kw)


def match_binaries(desc):
    return array(desc, obj("A filter on the executable's path.", {
        # maxLength bounds the cost the API server estimates for the CEL rule
        "operator": enum("In and NotIn compare the whole path; the others a prefix or "
                         "suffix.", BIN_OPS, maxLength=max(len(o) for o in BIN_OPS)),
        "values": str_values("Paths, at most %d bytes each." % MAX_STRING),
        "followChildren": boolean("Match the processes the matching binaries start too "
                                  "(In and NotIn only).", default=False),
    }, required=["operator", "values"],
        rules=[(RULE_FOLLOW_CHILDREN,
                "followChildren works only with the In and NotIn operators")]),
        maxItems=1)


def action(kinds):
    return obj("An action taken when the selector matches.", {
        "action": enum("What to do.", kinds),
        "argError": int32("Override: the errno to return, negative (-1 for EPERM); vigil "
                          "checks -4095..-1."),
        "argSig": int32("Signal: the signal number (vigil checks 1..64)."),
        "rateLimit": string("Post: report at most one event per this interval for the same "
                            "event, such as \"30s\", \"5m\" or \"1h\" (a number alone is "
                            "seconds).", pattern=PAT_RATE_LIMIT),
        "rateLimitScope": string("Post: what the rate limit counts: thread (the default), "
                                 "process or global.", enum=[""] + RATE_SCOPES),
        "kernelStackTrace": unsup_bool("kernelStackTrace"),
        "userStackTrace": unsup_bool("userStackTrace"),
        "imaHash": unsup_bool("imaHash"),
        "argFd": unsup_int("argFd"),
        "argName": unsup_int("argName"),
        "argSock": unsup_int("argSock"),
        "argIndex": unsup_int("argIndex"),
        "argValue": unsup_int("argValue"),
        "argUrl": unsup_string("argUrl"),
        "argFqdn": unsup_string("argFqdn"),
        "argRegs": unsup_array("argRegs", "string"),
    }, required=["action"])


def selector(hook):
    kprobe = hook == "kprobe"
    actions = ACTIONS if hook != "tracepoint" else [a for a in ACTIONS if a != "Override"]
    props = {
        "matchArgs": match_arg("Filters on the arguments (at most %d, matchReturnArgs "
                               "included)." % MAX_SEL_ARGS),
        "matchReturnArgs": match_arg("Filters on the return value (a kprobe with return: "
                                     "true and a returnArg).") if kprobe else
        match_arg("Not supported by vigil on a %s (kprobes only); must be absent or empty."
                  % hook, maxItems=0),
        "matchBinaries": match_binaries("The executable of the process (one filter)."),
        "matchParentBinaries": match_binaries("The executable of the parent process (one "
                                              "filter)."),
        "matchNamespaces": array("Filters on the process's namespaces.", obj(
            "One namespace filter.", {
                "namespace": enum("Which namespace.", NAMESPACES),
                "operator": enum("In or NotIn.", SET_OPS),
                "values": values("Namespace inode numbers, or host_ns for the host's.",
                                 string("", maxLength=20, pattern=PAT_NS_VALUE)),
            }, required=["namespace", "operator", "values"])),
        "matchPIDs": array("A filter on the process id (one filter).", obj(
            "The process id filter.", {
                "operator": enum("In or NotIn.", SET_OPS),
                "values": values("Process ids.", node("integer", "", format="int64",
                                                      minimum=0, maximum=UINT32_MAX)),
                "isNamespacePID": boolean("Compare the id in the process's own pid "
                                          "namespace.", default=False),
                "followForks": boolean("Match the children of matching processes too.",
                                       default=False),
            }, required=["operator", "values"]), maxItems=1),
        "matchCapabilities": array("A filter on the process's capabilities (one filter).",
                                   obj("The capability filter.", {
                                       "type": enum("Which capability set.", CAP_SETS,
                                                    default="Effective"),
                                       "operator": enum("In or NotIn.", SET_OPS),
                                       "isNamespaceCapability": boolean(
                                           "Only in a user namespace other than the "
                                           "host's.", default=False),
                                       "values": values(
                                           "Capability names (CAP_SYS_ADMIN...) or numbers "
                                           "0..40.", string("", pattern=PAT_CAPABILITY)),
                                   }, required=["operator", "values"]), maxItems=1),
        "matchActions": array("What to do when the selector matches (by default Post).",
                              action(actions)),
        "matchData": unsup_array("matchData"),
        "matchReturnActions": unsup_array("matchReturnActions"),
        "matchNamespaceChanges": unsup_array("matchNamespaceChanges"),
        "matchCapabilityChanges": unsup_array("matchCapabilityChanges"),
        "macros": unsup_array("macros", "string"),
    }
    rules = None
    if kprobe:
        rules = [(RULE_SEL_ARGS, "at most %d matchArgs and matchReturnArgs filters per "
                  "selector" % MAX_SEL_ARGS)]
    return obj("A selector: its filters are ANDed; a hook's selectors are ORed.", props,
               rules=rules)


# --- hooks -----------------------------------------------------------------------------

def hook_common(hook):
    return {
        "args": array("The arguments to read (at most %d per hook)." % MAX_ARGS,
                      arg_schema("An argument."), maxItems=MAX_ARGS),
        "selectors": array("When to act (at most %d; ORed)." % MAX_SELECTORS,
                           selector(hook), maxItems=MAX_SELECTORS),
        "message": string("A message copied into each event: empty, or %d to %d bytes "
                          "(vigil counts bytes, the API server characters)."
                          % (2, MESSAGE_MAX), maxLength=MESSAGE_MAX, pattern=PAT_MESSAGE),
        "tags": array("Tags copied into each event (at most %d, each %d to %d bytes)."
                      % (MAX_TAGS, TAG_MIN, TAG_MAX),
                      string("", maxLength=TAG_MAX, pattern=PAT_2_BYTES), maxItems=MAX_TAGS),
    }


def kprobe():
    props = hook_common("kprobe")
    props.update({
        "call": string("The kernel function, or system call when syscall is true, or "
                       "\"list:NAME\" for every function of spec.lists NAME.", minLength=1),
        "syscall": boolean("call is a system call (Tetragon's default).", default=True),
        "return": boolean("Also report the return value (needs returnArg).", default=False),
        "returnArg": arg_schema("The type of the return value."),
        "ignore": obj("What not to treat as an error.", {
            "callNotFound": boolean("A call this kernel lacks is skipped with a warning."),
        }),
        "returnArgAction": unsup_string("returnArgAction"),
        "data": unsup_array("data"),
    })
    return obj("A kprobe: a kernel function or system call.", props, required=["call"])


def tracepoint():
    props = hook_common("tracepoint")
    props.update({
        "subsystem": string("The tracepoint's subsystem, such as syscalls.", minLength=1),
        "event": string("The tracepoint, such as sys_enter_openat.", minLength=1),
        "raw": boolean("A raw tracepoint (arguments are the tracepoint's C arguments)."),
    })
    return obj("A tracepoint.", props, required=["subsystem", "event"])


def lsmhook():
    props = hook_common("lsmhook")
    props["hook"] = string("The LSM hook, such as file_open or bprm_check_security.",
                           minLength=1)
    return obj("A BPF-LSM hook.", props, required=["hook"])


# --- pod and container selectors -------------------------------------------------------

def label_selector(what, target):
    pod = target != "container"
    key = (string("A label key (or " + POD_NAMESPACE_LABEL + ", the pod's namespace).",
                  maxLength=LABEL_KEY_MAX, pattern=PAT_LABEL_KEY) if pod else
           string("A container field: name or repo (the image repository).",
                  enum=CONTAINER_FIELDS))
    label_value = string("", maxLength=63, pattern=PAT_LABEL_VALUE)
    # a container's repo is an image repository, not a label value: vigil
    # checks the values of name itself
    expr_values = array("In and NotIn need at least one value, Exists and DoesNotExist none "
                        "(checked by vigil).", label_value if pod else string(""),
                        **{"x-kubernetes-list-type": "atomic"})
    match_labels = node("object", "key: value requirements, each the same as key In [value]."
                        + ("" if pod else " Keys are name and repo."),
                        additionalProperties=label_value)
    if not pod:
        match_labels["maxProperties"] = len(CONTAINER_FIELDS)
        match_labels["x-kubernetes-validations"] = [{
            "rule": RULE_CONTAINER_KEYS,
            "message": "a containerSelector matches the fields \"name\" and \"repo\" only"}]
    d = obj(what, {
        "matchLabels": match_labels,
        "matchExpressions": array("Requirements, ANDed.", obj("One requirement.", {
            "key": key,
            "operator": enum("In, NotIn, Exists or DoesNotExist.",
                             ["In", "NotIn", "Exists", "DoesNotExist"]),
            "values": expr_values,
        }, required=["key", "operator"]), **{"x-kubernetes-list-type": "atomic"}),
    }, **{"x-kubernetes-map-type": "atomic"})
    return d


# --- spec, status, CRD -------------------------------------------------------------------

def spec():
    return obj("What to trace and enforce.", {
        "kprobes": array("Kernel functions and system calls.", kprobe(), maxItems=MAX_HOOKS),
        "tracepoints": array("Tracepoints.", tracepoint(), maxItems=MAX_HOOKS),
        "lsmhooks": array("BPF-LSM hooks.", lsmhook(), maxItems=MAX_HOOKS),
        "lists": array("Named lists of functions, for a kprobe's call: \"list:NAME\".", obj(
            "A list.", {
                "name": string("Its name, unique in the policy.", minLength=1),
                "type": string("syscalls (the values are system calls), or empty (kernel "
                               "functions).", enum=[""] + LIST_TYPES),
                "values": array("The functions.", string("")),
                "pattern": string("Ignored (generated_ftrace lists are not supported)."),
                "validated": boolean("Ignored."),
            }, required=["name"]), **{"x-kubernetes-list-type": "map",
                                      "x-kubernetes-list-map-keys": ["name"]}),
        "options": array("Options of the policy.", obj("An option.", {
            "name": enum("policy-mode (enforce or monitor), override-method (fmod-ret or "
                         "override-return), disable-kprobe-multi or disable-uprobe-multi "
                         "(true or false).", OPTIONS),
            "value": enum("Its value (which values fit which option is checked by vigil).",
                          OPTION_VALUES),
        }, required=["name", "value"])),
        "podSelector": label_selector("The pods the policy applies to (their labels, and "
                                      + POD_NAMESPACE_LABEL + ").  Written, even as {}, "
                                      "the policy applies to pods only.", "pod"),
        "containerSelector": label_selector("The containers of those pods the policy applies "
                                            "to, by name and repo.", "container"),
        "hostSelector": label_selector(UNSUPPORTED + "hostSelector; must be absent.", "host"),
        "loader": unsup_bool("loader"),
        "uprobes": unsup_array("uprobes"),
        "usdts": unsup_array("usdts"),
        "fentries": unsup_array("fentries"),
        "enforcers": unsup_array("enforcers"),
        "selectorsMacros": node("object", UNSUPPORTED + "selectorsMacros; must be absent or "
                                "empty.", maxProperties=0, additionalProperties={"type": "object"}),
    }, rules=[(RULE_NO_HOST_SELECTOR, "hostSelector is not supported by vigil")])


def status():
    return obj("What vigild reports about the policy.  Tetragon's CRD has no status; vigil's "
               "is one entry per node, because every node loads the policy on its own.", {
                   "nodes": node("object", "Keyed by node name.  Each vigild writes only its "
                                 "own key, with a JSON merge patch of the status "
                                 "subresource, so that nodes never overwrite each other.",
                                 additionalProperties=obj("The policy on one node.", {
                                     "state": enum("enabled, disabled, load_error (vigil "
                                                   "refused it: see message) or error.",
                                                   POLICY_STATES),
                                     "mode": enum("enforce or monitor.",
                                                  ["enforce", "monitor"]),
                                     "message": string("Why, for load_error and error.",
                                                       maxLength=4096),
                                     "observedGeneration": node(
                                         "integer", "The metadata.generation this entry "
                                         "describes.", format="int64", minimum=0),
                                     "lastUpdateTime": string("When this entry was written.",
                                                              format="date-time"),
                                 }, required=["state"])),
               })


def crd(kind):
    n = NAMES[kind]
    schema = obj("A " + kind + ": what vigil (and Tetragon) trace and enforce.", {
        "apiVersion": string("cilium.io/v1alpha1."),
        "kind": string(kind + "."),
        "metadata": {"type": "object"},
        "spec": spec(),
        "status": status(),
    }, required=["metadata", "spec"])
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {
            "name": n["plural"] + "." + GROUP,
            "labels": {"app.kubernetes.io/part-of": "vigil"},
        },
        "spec": {
            "group": GROUP,
            "names": {k: n[k] for k in ("kind", "listKind", "plural", "singular",
                                        "shortNames", "categories")},
            "scope": n["scope"],
            "versions": [{
                "name": VERSION,
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": schema},
                "subresources": {"status": {}},
                "additionalPrinterColumns": [
                    {"name": "Mode", "type": "string",
                     "description": "The policy-mode option (empty: enforce).",
                     "jsonPath": '.spec.options[?(@.name=="policy-mode")].value'},
                    {"name": "Age", "type": "date",
                     "jsonPath": ".metadata.creationTimestamp"},
                ],
            }],
        },
    }


HEADER = """\
# {kind} ({group}/{version}): the CRD vigil reads.  GENERATED by crds/gen-crds.py
# from one definition shared with the other kind; edit that script, then run it.
#
# metadata.name, group, kind, plural and singular are Tetragon's, so applying this
# file replaces Tetragon's CRD of the same name in place (stored policies stay;
# vigil reads the same resources).  Short names: {short} ({tg} is Tetragon's).
#
# What the API server enforces with this schema (only what vigil refuses too, so
# that no policy vigil would load is refused; but for JSON's types: values are
# strings as in Tetragon's CRD, so quote numbers: values: ["80"]):
#   - every key Tetragon v1.7 defines, with Tetragon's types (numbers in
#     matchArgs values are strings, matchPIDs values integers);
#   - keys vigil does not support (uprobes, fentries, matchData, argFd, ...) only
#     when inert (absent, empty, false or 0); hostSelector never (a CEL rule);
#   - enumerations of what vigil supports: argument types, operators, actions,
#     namespaces, capability sets, rateLimitScope, list types, option names and
#     values; Override is not an action of tracepoints, matchReturnArgs is for
#     kprobes only;
#   - required keys (type of every argument; values of every filter, at least one);
#   - limits: {hooks} hooks per section, {args} args, {sels} selectors, {selargs} matchArgs
#     plus matchReturnArgs per selector, one matchBinaries, matchParentBinaries,
#     matchPIDs and matchCapabilities filter per selector, {string} characters per
#     string value or binary path, message and tags lengths, at most {tags} tags;
#   - formats: capability names or numbers 0..40, namespace values (inode or
#     host_ns), process ids 0..4294967295, rateLimit durations, resolve paths,
#     label keys and values of podSelector, containerSelector keys name and repo,
#     followChildren only with In and NotIn, unique list names.
#
# What only vigil checks (at load; `kubectl describe` shows its Warning Event):
#   - that the kernel functions, LSM hooks and tracepoints exist on the node, and
#     argument indexes against their argument counts;
#   - which operators fit which argument types, and the values for them (integers
#     in range for the type, CIDRs, ports, protocols, families, ranges);
#   - return: true with a returnArg, matchArgs indexes naming declared args,
#     kprobes named "list:NAME" with that list, option values for their option;
#   - actions: Override's argError -4095..-1 and where Override can run, Signal's
#     argSig 1..64, rateLimit only on Post;
#   - In and NotIn with values and Exists and DoesNotExist without, in
#     podSelector and containerSelector, and podSelector's matchLabels keys;
#   - sizes in bytes (the API server counts characters), more than {hooks} hooks
#     after list expansion, and what the node's kernel cannot run.
# Keys that Tetragon v1.7 does not define are not in this schema: kubectl's strict
# field validation (its default) refuses them; other clients get a warning and
# the API server drops them.  More in crds/README.md.
"""


def header(kind):
    n = NAMES[kind]
    return HEADER.format(kind=kind, group=GROUP, version=VERSION,
                         short=", ".join(n["shortNames"]), tg=n["shortNames"][0],
                         hooks=MAX_HOOKS, args=MAX_ARGS, sels=MAX_SELECTORS,
                         selargs=MAX_SEL_ARGS, string=MAX_STRING, tags=MAX_TAGS)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def render(kind):
    body = yaml.dump(crd(kind), Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     width=100, allow_unicode=False)
    return header(kind) + "---\n" + body


def main(argv):
    if argv[1:] == ["--stdout"]:
        for kind in CRD_FILES:
            sys.stdout.write(render(kind))
        return 0
    if argv[1:]:
        sys.stderr.write("usage: gen-crds.py [--stdout]\n")
        return 2
    for d in COPY_DIRS:
        os.makedirs(d, exist_ok=True)
        for kind, fname in CRD_FILES.items():
            path = os.path.join(d, fname)
            with open(path + ".tmp", "w") as f:
                f.write(render(kind))
            os.replace(path + ".tmp", path)
            print("wrote", os.path.relpath(path, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
