#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-schema.py - check vigil's CRDs and validate policies against them.

    python3 crds/check-schema.py [--vigil PATH] [-v]

Prints one line per check, "ok - NAME" or "not ok - NAME: WHY", then a summary
line "N passed, N failed"; exits 1 when any check failed.

What it checks:
  1. crds/*.yaml are what crds/gen-crds.py makes (the committed files are current);
  2. the CRDs' names are Tetragon's (plus vigil's short names), one served storage
     version, the status subresource, printer columns;
  3. structural-schema rules as the API server applies them (every node typed, no
     properties beside additionalProperties, no logical junctors or $ref, required
     keys declared, enums and defaults valid for their node, list and map types,
     RE2-compatible patterns, only restrictions on metadata.name), and that every
     CEL rule is one this script evaluates, with an estimate of its static cost;
  4. the enumerations and keys against vigil's own tables (policy/names.c,
     policy/parse.c, policy/parse_selector.c, policy/values.c): every key vigil
     reads is declared, keys vigil refuses are constrained to inert values, and each
     enumeration is exactly what vigil supports;
  5. policies, validated the way the API server validates a request (unknown
     fields refused as kubectl's strict field validation does, nulls dropped,
     defaults applied, then the schema and the CEL rules):
       examples/policies/*.yaml          must pass;
       crds/testdata/valid/*.yaml        must pass;
       crds/testdata/invalid/*.yaml      must fail, exactly at the "# expect: PATH:
                                         REASON" lines at the top of the file;
       crds/testdata/vigil-only/*.yaml   must pass (vigil refuses them: what the
                                         schema cannot say);
  6. with --vigil PATH (the vigil CLI): `vigil policy lint` refuses every invalid and
     vigil-only fixture at the field the fixture names ("# vigil: PATH" lines, by
     default the expect paths), and accepts every valid fixture and example.

The validator here implements the parts of OpenAPI v3 the CRDs use; it is not
the API server.  Needs Python 3 and PyYAML (Debian: python3-yaml).
"""
import glob
import importlib.util
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # gen-crds.py is imported: no __pycache__ in crds/

try:
    import yaml
except ImportError:
    print("not ok - import yaml: PyYAML is missing (Debian: apt-get install python3-yaml)")
    print("0 passed, 1 failed")
    sys.exit(1)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# --- reporting ---------------------------------------------------------------------------

RESULTS = {"pass": 0, "fail": 0}
VERBOSE = False


def report(name, problems):
    """problems: a list of strings (empty: ok)."""
    if problems:
        RESULTS["fail"] += 1
        print("not ok - %s: %s" % (name, problems[0]))
        for p in problems[1:] if VERBOSE else problems[1:5]:
            print("#   %s" % p)
        if not VERBOSE and len(problems) > 5:
            print("#   ... %d more (-v shows all)" % (len(problems) - 5))
    else:
        RESULTS["pass"] += 1
        print("ok - %s" % name)


# --- YAML as the API server sees it ------------------------------------------------------

class Loader(yaml.SafeLoader):
    """YAML as kubectl sends it: timestamps stay strings."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.load_all(f, Loader=Loader) if d is not None]


# --- the CEL rules this script knows ------------------------------------------------------
#
# Each rule the CRDs may carry, its evaluation, and an upper bound of its static
# cost as the API server estimates it (for one evaluation).  The rule texts are
# written here again on purpose: a rule changed in gen-crds.py without teaching
# this script fails the check.  Costs: has() and size() are 1, a string
# comparison 1 plus a tenth of the longer string's maximum length, a macro over a
# map its entry count times its body; the container rule's map keys have no
# maxLength, so the estimate takes them as long as a request (3 MiB).

def _bool(x):
    return x is True


CEL_RULES = {
    "!has(self.hostSelector)": (lambda s: "hostSelector" not in s, 2),
    "(has(self.matchArgs) ? size(self.matchArgs) : 0) + "
    "(has(self.matchReturnArgs) ? size(self.matchReturnArgs) : 0) <= 8":
        (lambda s: len(s.get("matchArgs", [])) + len(s.get("matchReturnArgs", [])) <= 8, 12),
    "!has(self.followChildren) || !self.followChildren || "
    "self.operator == 'In' || self.operator == 'NotIn'":
        (lambda s: not _bool(s.get("followChildren")) or s.get("operator") in ("In", "NotIn"),
         12),
    "self.all(k, k == 'name' || k == 'repo')":
        (lambda s: all(k in ("name", "repo") for k in s), 2 * 2 * (1 + 3 * 2 ** 20 // 10) + 10),
}
STATIC_COST_LIMIT = 10000000  # per rule, times its cardinality
STATIC_CRD_COST_LIMIT = 100000000  # all rules of a CRD
# An unbounded list or map is estimated at a request's size over the smallest
# element: about 3 MiB / 3 bytes.
UNBOUNDED = 3 * 2 ** 20 // 3


# --- Go (RE2) patterns in Python ------------------------------------------------------

RE2_UNSUPPORTED = re.compile(r"\(\?[=!<]|\\[1-9]|\(\?P=")


def go_regex(pattern):
    """Python's re for a Go pattern: '$' outside a class is the end of the text
    (Go has no multi-line default; Python's '$' also matches before a final
    newline)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":  # a leading ']' is literal
                out.append("[]")
                i += 2
                continue
        elif c == "$":
            out.append(r"\Z")
            i += 1
            continue
        out.append(c)
        i += 1
    return re.compile("".join(out))


_RX = {}


def rx(pattern):
    if pattern not in _RX:
        _RX[pattern] = go_regex(pattern)
    return _RX[pattern]


# --- the validator ------------------------------------------------------------------------

INT_RANGE = {"int32": (-2 ** 31, 2 ** 31 - 1), "int64": (-2 ** 63, 2 ** 63 - 1)}
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")


def type_name(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def type_ok(schema_type, v):
    t = type_name(v)
    if schema_type == "number":
        return t in ("integer", "number")
    if schema_type == "integer" and t == "number":
        return float(v).is_integer()
    return t == schema_type


def join(path, key):
    return key if not path else path + "." + key


def prepare(schema, v, path, errs):
    """Pruning (unknown fields are errors, as with strict field validation),
    dropping nulls, defaulting; returns the value to validate."""
    if isinstance(v, dict) and schema.get("type") == "object":
        props = schema.get("properties")
        addl = schema.get("additionalProperties")
        out = {}
        for k, x in v.items():
            k = str(k)
            sub = props.get(k) if props is not None else (addl if isinstance(addl, dict) else None)
            if sub is None:
                if props is not None or addl is None:
                    if not schema.get("x-kubernetes-preserve-unknown-fields"):
                        errs.append((join(path, k), 'unknown field "%s"' % join(path, k)))
                        continue
                out[k] = x
                continue
            if x is None and not sub.get("nullable"):
                continue  # dropped, then defaulted
            out[k] = prepare(sub, x, join(path, k), errs)
        for k, sub in (props or {}).items():
            if k not in out and "default" in sub:
                out[k] = sub["default"]
        return out
    if isinstance(v, list) and schema.get("type") == "array" and "items" in schema:
        return [prepare(schema["items"], x, "%s[%d]" % (path, i), errs)
                for i, x in enumerate(v)]
    return v


def validate(schema, v, path, errs, rules_seen=None):
    t = schema.get("type")
    if v is None:
        if not schema.get("nullable"):
            errs.append((path, "Invalid value: null: must be of type %s" % t))
        return
    if t and not type_ok(t, v):
        errs.append((path, "Invalid value: %r: must be of type %s" % (v, t)))
        return
    if "enum" in schema and v not in schema["enum"]:
        errs.append((path, "Unsupported value: %r: supported values: %s"
                     % (v, ", ".join(repr(e) for e in schema["enum"]))))
    if t == "string":
        n = len(v)
        if "maxLength" in schema and n > schema["maxLength"]:
            errs.append((path, "Too long: may not be more than %d bytes" % schema["maxLength"]))
        if "minLength" in schema and n < schema["minLength"]:
            errs.append((path, "Invalid value: %r: should be at least %d chars long"
                         % (v, schema["minLength"])))
        if "pattern" in schema and not rx(schema["pattern"]).search(v):
            errs.append((path, "Invalid value: %r: should match '%s'" % (v, schema["pattern"])))
    elif t in ("integer", "number"):
        lo, hi = INT_RANGE.get(schema.get("format"), (None, None))
        if "minimum" in schema and v < schema["minimum"]:
            errs.append((path, "Invalid value: %r: should be greater than or equal to %r"
                         % (v, schema["minimum"])))
        elif lo is not None and v < lo:
            errs.append((path, "Invalid value: %r: out of range for %s" % (v, schema["format"])))
        if "maximum" in schema and v > schema["maximum"]:
            errs.append((path, "Invalid value: %r: should be less than or equal to %r"
                         % (v, schema["maximum"])))
        elif hi is not None and v > hi:
            errs.append((path, "Invalid value: %r: out of range for %s" % (v, schema["format"])))
    elif t == "array":
        if "maxItems" in schema and len(v) > schema["maxItems"]:
            errs.append((path, "Too many: %d: must have at most %d items"
                         % (len(v), schema["maxItems"])))
        if "minItems" in schema and len(v) < schema["minItems"]:
            errs.append((path, "Invalid value: %d: should have at least %d items"
                         % (len(v), schema["minItems"])))
        if schema.get("x-kubernetes-list-type") == "map":
            keys = schema["x-kubernetes-list-map-keys"]
            seen = set()
            for i, x in enumerate(v):
                if isinstance(x, dict):
                    k = tuple(x.get(key) for key in keys)
                    if k in seen:
                        errs.append(("%s[%d]" % (path, i), "Duplicate value: %r" % dict(
                            zip(keys, k))))
                    seen.add(k)
        for i, x in enumerate(v):
            validate(schema["items"], x, "%s[%d]" % (path, i), errs, rules_seen)
    elif t == "object":
        n = len(v)
        if "maxProperties" in schema and n > schema["maxProperties"]:
            errs.append((path, "Too many: %d: must have at most %d items"
                         % (n, schema["maxProperties"])))
        if "minProperties" in schema and n < schema["minProperties"]:
            errs.append((path, "Invalid value: %d: should have at least %d properties"
                         % (n, schema["minProperties"])))
        for k in schema.get("required", []):
            if k not in v:
                errs.append((join(path, k), "Required value"))
        props = schema.get("properties")
        addl = schema.get("additionalProperties")
        for k, x in v.items():
            sub = props.get(k) if props is not None else addl
            if isinstance(sub, dict):
                validate(sub, x, join(path, k), errs, rules_seen)
    for r in schema.get("x-kubernetes-validations", []):
        fn = CEL_RULES.get(r["rule"])
        if fn is None:
            errs.append((path, "unknown CEL rule %r" % r["rule"]))
        elif not fn[0](v):
            errs.append((path, "Invalid value: %s" % r.get("message", "failed rule: " + r["rule"])))


def validate_object(crd, obj):
    """Validate one custom resource; a list of (path, message)."""
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    errs = []
    if not isinstance(obj, dict):
        return [("", "not an object")]
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    # the API server's own checks of metadata (not in the schema)
    if not isinstance(name, str) or not name:
        errs.append(("metadata.name", "Required value: name or generateName is required"))
    elif len(name) > 253 or not DNS1123_SUBDOMAIN.match(name):
        errs.append(("metadata.name", "Invalid value: %r: a lowercase RFC 1123 subdomain" % name))
    want = "cilium.io/" + crd["spec"]["versions"][0]["name"]
    if obj.get("apiVersion") != want:
        errs.append(("apiVersion", "Invalid value: %r: not %s" % (obj.get("apiVersion"), want)))
    # metadata is the API server's: the schema's rules stop at it
    body = dict(obj)
    body.pop("metadata", None)
    sub = dict(schema)
    sub["properties"] = {k: x for k, x in schema["properties"].items() if k != "metadata"}
    sub["required"] = [k for k in schema.get("required", []) if k != "metadata"]
    body = prepare(sub, body, "", errs)
    validate(sub, body, "", errs)
    return errs


# --- structural-schema rules -------------------------------------------------------------

ALLOWED_KEYS = {
    "description", "type", "format", "title", "properties", "items", "additionalProperties",
    "required", "enum", "default", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
    "minProperties", "maxProperties", "nullable", "example", "x-kubernetes-validations",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
}
TYPES = {"string", "integer", "number", "boolean", "object", "array"}
FORMATS = {"int32", "int64", "date-time", "date", "byte", "double", "float"}


def walk(schema, path="", card=1):
    """(path, schema, cardinality) of every schema node."""
    yield path, schema, card
    if isinstance(schema.get("properties"), dict):
        for k, sub in schema["properties"].items():
            yield from walk(sub, join(path, k), card)
    if isinstance(schema.get("items"), dict):
        yield from walk(schema["items"], path + "[]", card * schema.get("maxItems", UNBOUNDED))
    if isinstance(schema.get("additionalProperties"), dict):
        yield from walk(schema["additionalProperties"], path + "{}",
                        card * schema.get("maxProperties", UNBOUNDED))


def structural(crd):
    p = []
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    if schema.get("type") != "object":
        p.append("the root's type is not object")
    meta = schema.get("properties", {}).get("metadata")
    if meta is not None and set(meta) - {"type"}:
        # only metadata.name and generateName may be restricted; vigil's CRDs leave
        # metadata to the API server altogether
        p.append("metadata: restricted (%s)" % ", ".join(sorted(set(meta) - {"type"})))
    for path, s, _ in walk(schema):
        where = path or "(root)"
        if not isinstance(s, dict):
            p.append("%s: not a schema" % where)
            continue
        extra = set(s) - ALLOWED_KEYS
        if extra:
            p.append("%s: keys a structural schema forbids or this checker does not know: %s"
                     % (where, ", ".join(sorted(extra))))
        t = s.get("type")
        if t not in TYPES:
            p.append("%s: type %r (every node needs one of %s)" % (where, t, sorted(TYPES)))
            continue
        if "properties" in s and "additionalProperties" in s:
            p.append("%s: properties and additionalProperties together" % where)
        if "additionalProperties" in s and not isinstance(s["additionalProperties"], dict):
            p.append("%s: additionalProperties must be a schema" % where)
        if ("properties" in s or "additionalProperties" in s) and t != "object":
            p.append("%s: properties on a %s" % (where, t))
        if t == "array" and not isinstance(s.get("items"), dict):
            p.append("%s: an array needs one items schema" % where)
        if "items" in s and t != "array":
            p.append("%s: items on a %s" % (where, t))
        for k in s.get("required", []):
            if k not in s.get("properties", {}):
                p.append("%s: required %r is not a property" % (where, k))
        if "format" in s and s["format"] not in FORMATS:
            p.append("%s: unknown format %r" % (where, s["format"]))
        if "pattern" in s:
            if t != "string":
                p.append("%s: pattern on a %s" % (where, t))
            if RE2_UNSUPPORTED.search(s["pattern"]):
                p.append("%s: pattern uses what RE2 lacks: %r" % (where, s["pattern"]))
            try:
                rx(s["pattern"])
            except re.error as e:
                p.append("%s: pattern %r: %s" % (where, s["pattern"], e))
        for k in ("minLength", "maxLength"):
            if k in s and t != "string":
                p.append("%s: %s on a %s" % (where, k, t))
        for k in ("minItems", "maxItems"):
            if k in s and t != "array":
                p.append("%s: %s on a %s" % (where, k, t))
        for k in ("minProperties", "maxProperties"):
            if k in s and t != "object":
                p.append("%s: %s on a %s" % (where, k, t))
        for e in s.get("enum", []):
            errs = []
            validate({k: x for k, x in s.items() if k != "enum"}, e, where, errs)
            if errs:
                p.append("%s: enum value %r: %s" % (where, e, errs[0][1]))
        if "default" in s:
            errs = []
            d = prepare(s, s["default"], where, errs)
            validate(s, d, where, errs)
            if errs:
                p.append("%s: default %r: %s" % (where, s["default"], errs[0][1]))
        lt = s.get("x-kubernetes-list-type")
        if lt is not None:
            if t != "array" or lt not in ("atomic", "set", "map"):
                p.append("%s: x-kubernetes-list-type %r" % (where, lt))
            if lt == "map":
                items = s.get("items", {})
                keys = s.get("x-kubernetes-list-map-keys") or []
                if items.get("type") != "object" or not keys:
                    p.append("%s: list-type map needs object items and list-map-keys" % where)
                for k in keys:
                    ks = items.get("properties", {}).get(k)
                    if ks is None or ks.get("type") not in ("string", "integer", "boolean"):
                        p.append("%s: list-map key %r is not a scalar property" % (where, k))
                    elif k not in items.get("required", []) and "default" not in ks:
                        p.append("%s: list-map key %r is neither required nor defaulted"
                                 % (where, k))
        elif "x-kubernetes-list-map-keys" in s:
            p.append("%s: list-map-keys without list-type map" % where)
        mt = s.get("x-kubernetes-map-type")
        if mt is not None and (t != "object" or mt not in ("atomic", "granular")):
            p.append("%s: x-kubernetes-map-type %r" % (where, mt))
        for r in s.get("x-kubernetes-validations", []):
            if set(r) - {"rule", "message"}:
                p.append("%s: rule keys %s (rule and message only: older API servers "
                         "know no others)" % (where, sorted(set(r) - {"rule", "message"})))
            if r.get("rule") not in CEL_RULES:
                p.append("%s: CEL rule this checker cannot evaluate: %r" % (where, r.get("rule")))
            if not r.get("message") or "\n" in r.get("message", ""):
                p.append("%s: a rule needs a one-line message" % where)
    return p


def cel_cost(crd):
    """Each rule's static cost estimate times its cardinality, against the API
    server's limits; a list of problems and the total."""
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    p, total = [], 0
    for path, s, card in walk(schema):
        for r in s.get("x-kubernetes-validations", []):
            known = CEL_RULES.get(r.get("rule"))
            if known is None:
                continue
            cost = known[1] * card
            total += cost
            if cost > STATIC_COST_LIMIT:
                p.append("%s: rule %r: estimated cost %d x cardinality %d exceeds %d"
                         % (path or "(root)", r["rule"], known[1], card, STATIC_COST_LIMIT))
    if total > STATIC_CRD_COST_LIMIT:
        p.append("total estimated cost %d exceeds %d" % (total, STATIC_CRD_COST_LIMIT))
    return p, total


# --- the CRDs' identity -------------------------------------------------------------------

EXPECTED = {
    "TracingPolicy": ("tracingpolicies.cilium.io", "Cluster", "tracingpolicies",
                      "tracingpolicy", "TracingPolicyList", ["tgtp", "tp", "tracingpolicy"]),
    "TracingPolicyNamespaced": ("tracingpoliciesnamespaced.cilium.io", "Namespaced",
                                "tracingpoliciesnamespaced", "tracingpolicynamespaced",
                                "TracingPolicyNamespacedList", ["tgtpn", "tpn"]),
}
PRINTER_TYPES = {"integer", "number", "string", "boolean", "date"}


def identity(kind, crd):
    name, scope, plural, singular, list_kind, short = EXPECTED[kind]
    p = []
    if crd.get("apiVersion") != "apiextensions.k8s.io/v1" or \
            crd.get("kind") != "CustomResourceDefinition":
        p.append("not an apiextensions.k8s.io/v1 CustomResourceDefinition")
        return p
    spec = crd["spec"]
    n = spec.get("names", {})
    if crd["metadata"].get("name") != name:
        p.append("metadata.name %r, not Tetragon's %r" % (crd["metadata"].get("name"), name))
    if spec.get("group") != "cilium.io":
        p.append("group %r" % spec.get("group"))
    if spec.get("scope") != scope:
        p.append("scope %r, not %r" % (spec.get("scope"), scope))
    for k, want in (("kind", kind), ("plural", plural), ("singular", singular),
                    ("listKind", list_kind)):
        if n.get(k) != want:
            p.append("names.%s %r, not %r" % (k, n.get(k), want))
    if n.get("shortNames") != short:
        p.append("shortNames %r, not %r" % (n.get("shortNames"), short))
    if "tetragon" not in n.get("categories", []):
        p.append("category tetragon (Tetragon's) missing")
    for s in n.get("shortNames", []) + [plural, singular]:
        if not re.match(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z", s):
            p.append("name %r is not a DNS-1035 label" % s)
    vs = spec.get("versions", [])
    if len(vs) != 1 or vs[0].get("name") != "v1alpha1" or not vs[0].get("served") or \
            not vs[0].get("storage"):
        p.append("versions: one, v1alpha1, served and stored")
        return p
    v = vs[0]
    props = v["schema"]["openAPIV3Schema"].get("properties", {})
    if ("status" in props) != ("status" in v.get("subresources", {})):
        p.append("a status property needs the status subresource, and the reverse")
    seen = set()
    for c in v.get("additionalPrinterColumns", []):
        if c.get("type") not in PRINTER_TYPES or not str(c.get("jsonPath", "")).startswith("."):
            p.append("printer column %r: type or jsonPath" % c.get("name"))
        if c.get("name") in seen:
            p.append("printer column %r twice" % c.get("name"))
        seen.add(c.get("name"))
    return p


# --- vigil's tables ------------------------------------------------------------------------

def c_source(rel):
    path = os.path.join(ROOT, rel)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)


def c_name_tables(text):
    """static const struct name X[] = {...}: {X: [(name, supported)]}."""
    out = {}
    for m in re.finditer(r"static const struct name (\w+)\[\] = \{(.*?)\n\};", text, re.S):
        out[m.group(1)] = [(e.group(1), e.group(2) != "UNSUPPORTED") for e in
                           re.finditer(r'\{\s*"([^"]+)",\s*([\w]+)\s*\}', m.group(2))]
    return out


def c_field_tables(text):
    """static const struct field X[] = {...}: {X: {key: set(flags)}}."""
    out = {}
    for m in re.finditer(r"static const struct field (\w+)\[\] = \{(.*?)\n\};", text, re.S):
        out[m.group(1)] = {e.group(1): set(re.findall(r"F_\w+", e.group(3))) for e in
                           re.finditer(r'\{\s*"([^"]+)",\s*(\w+),\s*([^}]*)\}', m.group(2))}
    return out


def node_at(schema, path):
    """The schema node at a dotted path; [] steps into items."""
    s = schema
    for part in path.split("."):
        if part == "[]":
            s = s["items"]
        else:
            s = s["properties"][part]
    return s


def inert_only(s):
    """The node allows only inert values (what vigil accepts for a key it does not
    support): absent, empty, false or 0."""
    return (s.get("maxItems") == 0 or s.get("maxLength") == 0 or s.get("maxProperties") == 0
            or s.get("enum") in ([False], [0]))


HOOKS = {"kprobes": "kprobe_fields", "tracepoints": "tracepoint_fields",
         "lsmhooks": "lsm_fields"}
# keys vigil reads but refuses for a hook kind, which the schema refuses there,
# and keys vigil reads with a handler that refuses any non-empty value
KIND_RESTRICTED = {("tracepoints", "matchReturnArgs"), ("lsmhooks", "matchReturnArgs"),
                   ("kprobes", "returnArgAction")}
# vigil requires them in a file; the API server sets them on every object
ALWAYS_SET = {"apiVersion", "kind"}


def object_tables():
    """(CRD path, C table, hook kind or None) for every object vigil reads."""
    out = [("", "top_fields", None), ("spec", "spec_fields", None),
           ("spec.lists.[]", "list_fields", None), ("spec.options.[]", "option_fields", None),
           ("spec.kprobes.[].ignore", "ignore_fields", None),
           ("spec.kprobes.[].returnArg", "arg_fields", None)]
    for sel in ("podSelector", "containerSelector", "hostSelector"):
        out.append(("spec.%s" % sel, "label_selector_fields", None))
        out.append(("spec.%s.matchExpressions.[]" % sel, "label_expr_fields", None))
    for h, table in HOOKS.items():
        base = "spec.%s.[]" % h
        out += [(base, table, h), (base + ".args.[]", "arg_fields", h),
                (base + ".selectors.[]", "selector_fields", h)]
        sel = base + ".selectors.[]."
        for f, t in (("matchArgs", "match_arg_fields"), ("matchBinaries", "match_bin_fields"),
                     ("matchParentBinaries", "match_bin_fields"),
                     ("matchNamespaces", "match_ns_fields"), ("matchPIDs", "match_pids_fields"),
                     ("matchCapabilities", "match_caps_fields"),
                     ("matchActions", "action_fields")):
            out.append((sel + f + ".[]", t, h))
        if h == "kprobes":
            out.append((sel + "matchReturnArgs.[]", "match_arg_fields", h))
    return out


def enum_checks():
    """(CRD paths, C table, extra values the schema adds, values it leaves out)."""
    sel = "spec.{h}.[].selectors.[]."
    hooks = list(HOOKS)
    out = [
        (["spec.%s.[].args.[].type" % h for h in hooks] + ["spec.kprobes.[].returnArg.type"],
         "arg_types", set(), set()),
        ([(sel + "matchArgs.[].operator").format(h=h) for h in hooks] +
         ["spec.kprobes.[].selectors.[].matchReturnArgs.[].operator"], "ops", set(), set()),
        ([(sel + f + ".[].operator").format(h=h) for h in hooks
          for f in ("matchBinaries", "matchParentBinaries")], "bin_ops", set(), set()),
        ([(sel + f + ".[].operator").format(h=h) for h in hooks
          for f in ("matchNamespaces", "matchPIDs", "matchCapabilities")], "set_ops", set(),
         set()),
        ([(sel + "matchNamespaces.[].namespace").format(h=h) for h in hooks], "namespaces",
         set(), set()),
        ([(sel + "matchCapabilities.[].type").format(h=h) for h in hooks], "cap_sets", set(),
         set()),
        ([(sel + "matchActions.[].action").format(h=h) for h in ("kprobes", "lsmhooks")],
         "actions", set(), set()),
        ([(sel + "matchActions.[].action").format(h="tracepoints")], "actions", set(),
         {"Override"}),
        ([(sel + "matchActions.[].rateLimitScope").format(h=h) for h in hooks], "rate_scopes",
         {""}, set()),
        (["spec.lists.[].type"], "list_types", {""}, set()),
        (["spec.options.[].name"], "options", set(), set()),
    ]
    return out


def vigil_tables(crd):
    names_c = c_source("policy/names.c")
    parse_c = c_source("policy/parse.c")
    sel_c = c_source("policy/parse_selector.c")
    values_c = c_source("policy/values.c")
    if not (names_c and parse_c and sel_c and values_c):
        return None
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    fields = c_field_tables(parse_c)
    fields.update(c_field_tables(sel_c))
    p = []
    for path, table, hook in object_tables():
        if table not in fields:
            p.append("policy/parse*.c has no table %s (for %s)" % (table, path))
            continue
        try:
            s = node_at(schema, path) if path else schema
        except KeyError:
            p.append("%s: not in the schema" % path)
            continue
        c_keys = fields[table]
        props = s.get("properties", {})
        if table == "top_fields":
            props = {k: x for k, x in props.items() if k != "status"}  # not the policy
        for k in sorted(set(c_keys) - set(props)):
            p.append("%s: vigil reads %r (%s), the schema does not declare it" % (path, k, table))
        for k in sorted(set(props) - set(c_keys)):
            p.append("%s: %r is declared, vigil does not know it (%s)" % (path, k, table))
        for k, flags in c_keys.items():
            if k not in props:
                continue
            if "F_REQUIRED" in flags and k not in s.get("required", []) and \
                    not (path == "" and k in ALWAYS_SET):
                p.append("%s: vigil requires it, the schema does not" % join(path, k))
            unsup = "F_UNSUPPORTED" in flags
            if unsup and "F_ANY_VALUE" in flags:
                if "!has(self.%s)" % k not in [r["rule"] for r in
                                                s.get("x-kubernetes-validations", [])]:
                    p.append("%s: vigil refuses any value, the schema has no rule "
                             "refusing it" % join(path, k))
            elif unsup and not inert_only(props[k]):
                p.append("%s: vigil refuses it unless inert, the schema allows more"
                         % join(path, k))
            elif not unsup and inert_only(props[k]) and (hook, k) not in KIND_RESTRICTED:
                p.append("%s: vigil supports it, the schema allows only inert values"
                         % join(path, k))
    names = c_name_tables(names_c)
    for paths, table, extra, left_out in enum_checks():
        if table not in names:
            p.append("policy/names.c has no table %s" % table)
            continue
        want = {n for n, ok in names[table] if ok} - left_out | extra
        for path in paths:
            got = set(node_at(schema, path).get("enum", []))
            if got != want:
                p.append("%s: enum differs from names.c %s: schema only %s, vigil only %s"
                         % (path, table, sorted(got - want), sorted(want - got)))
    m = re.search(r"vigil_cap_names\[[^]]*\] = \{(.*?)\};", values_c, re.S)
    caps = re.findall(r'"CAP_(\w+)"', m.group(1)) if m else []
    cap_path = "spec.kprobes.[].selectors.[].matchCapabilities.[].values.[]"
    pat = node_at(schema, cap_path).get("pattern", "")
    m = re.search(r"CAP_\(([A-Z_|]+)\)", pat)
    got = m.group(1).split("|") if m else []
    if not caps or got != caps:
        p.append("%s: capability names differ from values.c vigil_cap_names" % cap_path)
    elif not re.search(r"\|40\)", pat) or len(caps) != 41:
        p.append("%s: the highest capability number is not %d" % (cap_path, len(caps) - 1))
    return p


# --- fixtures -----------------------------------------------------------------------------

def crd_for(crds, obj):
    return crds.get(obj.get("kind")) if isinstance(obj, dict) else None


def expectations(path, tag):
    """'# TAG: PATH[: REASON]' lines at the top of a file."""
    out = []
    with open(path) as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"#\s*%s:\s*(\S*?)(?::\s+(.*))?\s*$" % tag, line)
            if m:
                out.append((m.group(1), (m.group(2) or "").strip()))
    return out


def check_valid(crds, path, name):
    docs = load_all(path)
    p = []
    if not docs:
        p.append("no document")
    for d in docs:
        crd = crd_for(crds, d)
        if crd is None:
            p.append("kind %r is not TracingPolicy or TracingPolicyNamespaced" % d.get("kind"))
            continue
        p += ["%s: %s" % e for e in validate_object(crd, d)]
    report(name, p)


def check_invalid(crds, path, name):
    docs = load_all(path)
    want = expectations(path, "expect")
    if len(docs) != 1 or not want:
        report(name, ["an invalid fixture is one document with '# expect: PATH: REASON' lines"])
        return
    crd = crd_for(crds, docs[0])
    if crd is None:
        report(name, ["kind %r is not TracingPolicy or TracingPolicyNamespaced"
                      % docs[0].get("kind")])
        return
    errs = validate_object(crd, docs[0])
    p = []
    for wpath, reason in want:
        if not any(e[0] == wpath and reason in e[1] for e in errs):
            p.append("no error %s: %s (got: %s)" % (wpath, reason or "...", "; ".join(
                "%s: %s" % e for e in errs) or "none"))
    for e in errs:
        if not any(e[0] == wpath and reason in e[1] for wpath, reason in want):
            p.append("unexpected error %s: %s" % e)
    report(name, p)


def lint(vigil, path):
    r = subprocess.run([vigil, "policy", "lint", "--quiet", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    errors = [ln for ln in r.stderr.splitlines() if ": warning: " not in ln]
    return r.returncode, errors


def check_with_vigil(vigil, path, name, refused):
    rc, errors = lint(vigil, path)
    if not refused:
        report(name, [] if rc == 0 else ["vigil refuses it: " + "; ".join(errors)])
        return
    want = [w for w, _ in expectations(path, "vigil")] or \
        [w for w, _ in expectations(path, "expect")]
    if want == ["accepts"]:
        # the schema is stricter than vigil reading a file: JSON typing
        report(name.replace("vigil refuses", "vigil accepts (JSON typing)"),
               [] if rc == 0 else ["vigil refuses it: " + "; ".join(errors)])
        return
    p = []
    if rc != 1:
        p.append("vigil accepts it (exit %d)" % rc)
    for w in want:
        # FILE:LINE:COL: PATH: MESSAGE (or FILE: PATH: MESSAGE without a position)
        if not any(re.search(r":\s%s:\s" % re.escape(w), ln) for ln in errors):
            p.append("vigil has no error at %s (got: %s)" % (w, "; ".join(errors) or "none"))
    report(name, p)


# --- main -----------------------------------------------------------------------------------

def load_generator():
    spec = importlib.util.spec_from_file_location("gen_crds", os.path.join(HERE, "gen-crds.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv):
    global VERBOSE
    vigil = None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--vigil" and args:
            vigil = args.pop(0)
        elif a == "-v":
            VERBOSE = True
        else:
            sys.stderr.write("usage: check-schema.py [--vigil PATH] [-v]\n")
            return 2

    gen = load_generator()
    crds = {}
    for kind, fname in gen.CRD_FILES.items():
        path = os.path.join(HERE, fname)
        docs = load_all(path)
        if len(docs) != 1:
            report("load " + fname, ["expected one document, got %d" % len(docs)])
            continue
        crds[kind] = docs[0]
        with open(path) as f:
            text = f.read()
        fresh = []
        if docs[0] != gen.crd(kind):
            fresh.append("differs from gen-crds.py's output: run python3 crds/gen-crds.py")
        elif not text.startswith(gen.header(kind)):
            fresh.append("its header comment differs from gen-crds.py's")
        report("%s is current (gen-crds.py)" % fname, fresh)
        report("%s: names are Tetragon's" % fname, identity(kind, docs[0]))
        report("%s: structural schema" % fname, structural(docs[0]))
        cost_problems, total = cel_cost(docs[0])
        report("%s: CEL rules within the API server's cost limits (estimate %d of %d)"
               % (fname, total, STATIC_CRD_COST_LIMIT), cost_problems)
        tables = vigil_tables(docs[0])
        if tables is None:
            print("ok - %s: agrees with vigil's tables # SKIP policy/*.c not found" % fname)
        else:
            report("%s: agrees with vigil's tables (names.c, parse*.c, values.c)" % fname,
                   tables)
    if len(crds) != 2:
        print("%d passed, %d failed" % (RESULTS["pass"], RESULTS["fail"] + 1))
        return 1
    a, b = (crds[k]["spec"]["versions"][0]["schema"]["openAPIV3Schema"] for k in gen.CRD_FILES)
    same = all(a["properties"][k] == b["properties"][k] for k in ("spec", "status"))
    report("both kinds share one spec and status schema", [] if same else ["they differ"])

    sets = [("examples/policies", sorted(glob.glob(os.path.join(ROOT, "examples", "policies",
                                                                "*.yaml"))), "valid")]
    for sub in ("valid", "invalid", "vigil-only"):
        sets.append(("crds/testdata/" + sub,
                     sorted(glob.glob(os.path.join(HERE, "testdata", sub, "*.yaml"))), sub))
    for label, files, what in sets:
        if not files:
            report(label, ["no files"])
        for path in files:
            name = "%s/%s %s" % (label, os.path.basename(path),
                                 "fails the schema" if what == "invalid" else "passes the schema")
            if what == "invalid":
                check_invalid(crds, path, name)
            else:
                check_valid(crds, path, name)
            if vigil:
                vname = "%s/%s %s" % (label, os.path.basename(path),
                                      "vigil accepts" if what == "valid" else "vigil refuses")
                check_with_vigil(vigil, path, vname, what != "valid")
    print("%d passed, %d failed" % (RESULTS["pass"], RESULTS["fail"]))
    return 1 if RESULTS["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
