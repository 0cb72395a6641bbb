#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-chart.py - check the Helm chart deploy/helm/vigil (see check.sh).

    python3 deploy/helm/check-chart.py [--rendered DEFAULTS.yaml VALUES.yaml]

Renders the chart twice, with its defaults and with check-values.yaml, and checks:
  - with the defaults, the chart makes exactly deploy/vigil.yaml's objects (but
    the Namespace, which `helm install --create-namespace` makes);
  - with check-values.yaml, each value shows where it should;
  - every rendered document is YAML of a Kubernetes object;
  - the chart's crds/ are byte-for-byte crds/*.yaml (gen-crds.py writes both);
  - Chart.yaml's appVersion is vigild's version (agent/version.h), and
    deploy/vigil.yaml's image tag is it.
With --rendered, the two renderings are Helm's (`helm template`); without it
they are this script's: a renderer of the few template constructs the chart
uses ({{ .Values.x }}, .Release.Namespace, .Chart.AppVersion, pipelines with
quote, default, toYaml and nindent, if/else/end, range/end, comments), which
refuses any other.  Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
"""
import filecmp
import glob
import json
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("not ok - import yaml: PyYAML is missing (Debian: apt-get install python3-yaml)")
    print("0 passed, 1 failed")
    sys.exit(1)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHART = os.path.join(HERE, "vigil")
NAMESPACE = "vigil"
RESULTS = {"pass": 0, "fail": 0}


def report(name, problems):
    if problems:
        RESULTS["fail"] += 1
        print("not ok - %s: %s" % (name, problems[0]))
        for p in problems[1:8]:
            print("#   %s" % p)
    else:
        RESULTS["pass"] += 1
        print("ok - %s" % name)


# --- a renderer of the chart's template subset --------------------------------------

class TemplateError(Exception):
    pass


ACTION = re.compile(r"\{\{(-?)(\s*)(.*?)(\s*)(-?)\}\}", re.S)


def tokens(text):
    """Text and actions, with Go's trim markers applied."""
    out, pos, trim_next = [], 0, False
    for m in ACTION.finditer(text):
        before = text[pos:m.start()]
        if trim_next:
            before = before.lstrip(" \t\r\n")
        if m.group(1) == "-":
            before = before.rstrip(" \t\r\n")
        out.append(("text", before))
        out.append(("action", m.group(3).strip()))
        trim_next = m.group(5) == "-"
        pos = m.end()
    rest = text[pos:]
    out.append(("text", rest.lstrip(" \t\r\n") if trim_next else rest))
    return out


def parse(toks, i=0, stop=()):
    """Nodes until an action in stop; returns (nodes, index, the stop action)."""
    nodes = []
    while i < len(toks):
        kind, val = toks[i]
        i += 1
        if kind == "text":
            nodes.append(("text", val))
            continue
        word = val.split(None, 1)[0] if val else ""
        if val.startswith("/*"):
            if not val.endswith("*/"):
                raise TemplateError("unterminated comment")
            continue
        if word in stop:
            return nodes, i, val
        if word == "if":
            then, i, end = parse(toks, i, ("else", "end"))
            other = []
            if end == "else":
                other, i, end = parse(toks, i, ("end",))
            nodes.append(("if", val[2:].strip(), then, other))
        elif word == "range":
            body, i, end = parse(toks, i, ("end",))
            nodes.append(("range", val[5:].strip(), body))
        elif word in ("else", "end", "with", "define", "template", "include", "block"):
            raise TemplateError("unsupported action {{ %s }}" % val)
        else:
            nodes.append(("expr", val))
    if stop:
        raise TemplateError("missing {{ end }}")
    return nodes, i, None


def split_pipe(expr):
    parts, cur, quoted = [], "", False
    for c in expr:
        if c == '"':
            quoted = not quoted
        if c == "|" and not quoted:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    parts.append(cur.strip())
    return parts


def words(cmd):
    return re.findall(r'"(?:[^"\\]|\\.)*"|\S+', cmd)


def truthy(v):
    return v not in (None, False, 0, "", [], {})


def go_string(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        raise TemplateError("a map or list printed as text (use toYaml)")
    return str(v)


def term(word, ctx, dot):
    if word.startswith('"'):
        return json.loads(word)
    if re.match(r"-?\d+\Z", word):
        return int(word)
    if word == ".":
        return dot
    if word.startswith("$."):
        base, path = ctx, word[2:]
    elif word.startswith("."):
        base, path = dot, word[1:]
    else:
        raise TemplateError("unsupported term %r" % word)
    v = base
    for part in path.split("."):
        if not isinstance(v, dict):
            raise TemplateError("%r: %r is not a map" % (word, part))
        v = v.get(part)
    return v


def to_yaml(v):
    return yaml.safe_dump(v, default_flow_style=False, sort_keys=True).rstrip("\n")


def call(fn, args):
    if fn == "quote":
        return '"%s"' % go_string(args[-1]).replace("\\", "\\\\").replace('"', '\\"')
    if fn == "default":
        return args[1] if truthy(args[1]) else args[0]
    if fn == "toYaml":
        return to_yaml(args[0])
    if fn in ("nindent", "indent"):
        pad = " " * args[0]
        body = "\n".join(pad + ln if ln else ln for ln in go_string(args[1]).split("\n"))
        return ("\n" if fn == "nindent" else "") + body
    raise TemplateError("unsupported function %r" % fn)


def evaluate(expr, ctx, dot):
    value, first = None, True
    for cmd in split_pipe(expr):
        w = words(cmd)
        if not w:
            raise TemplateError("empty command in %r" % expr)
        if first and (w[0].startswith((".", "$", '"')) or re.match(r"-?\d", w[0])):
            if len(w) != 1:
                raise TemplateError("unsupported command %r" % cmd)
            value = term(w[0], ctx, dot)
        else:
            args = [term(a, ctx, dot) for a in w[1:]]
            if not first:
                args.append(value)
            value = call(w[0], args)
        first = False
    return value


def execute(nodes, ctx, dot):
    out = []
    for n in nodes:
        if n[0] == "text":
            out.append(n[1])
        elif n[0] == "expr":
            out.append(go_string(evaluate(n[1], ctx, dot)))
        elif n[0] == "if":
            out.append(execute(n[2] if truthy(evaluate(n[1], ctx, dot)) else n[3], ctx, dot))
        elif n[0] == "range":
            for item in evaluate(n[1], ctx, dot) or []:
                out.append(execute(n[2], ctx, item))
    return "".join(out)


def merge(base, over):
    """Helm's: maps merge, anything else replaces, null deletes."""
    out = dict(base)
    for k, v in (over or {}).items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def render_chart(values_file=None):
    """{template file name: rendered text}, as `helm template` would."""
    with open(os.path.join(CHART, "Chart.yaml")) as f:
        chart = yaml.safe_load(f)
    with open(os.path.join(CHART, "values.yaml")) as f:
        values = yaml.safe_load(f) or {}
    if values_file:
        with open(values_file) as f:
            values = merge(values, yaml.safe_load(f))
    ctx = {
        "Values": values,
        "Release": {"Name": "vigil", "Namespace": NAMESPACE, "Service": "Helm"},
        "Chart": {"Name": chart["name"], "Version": chart["version"],
                  "AppVersion": chart.get("appVersion", "")},
    }
    out = {}
    for path in sorted(glob.glob(os.path.join(CHART, "templates", "*"))):
        name = os.path.basename(path)
        if name.startswith("_"):
            continue
        with open(path) as f:
            nodes, _, _ = parse(tokens(f.read()))
        out[name] = execute(nodes, ctx, ctx)
    return out


# --- checks -------------------------------------------------------------------------------

def objects(texts):
    """The Kubernetes objects of rendered manifests; problems."""
    objs, p = [], []
    for name, text in texts:
        try:
            docs = [d for d in yaml.safe_load_all(text) if d is not None]
        except yaml.YAMLError as e:
            p.append("%s: not YAML: %s" % (name, str(e).replace("\n", " ")))
            continue
        for d in docs:
            if not isinstance(d, dict) or not d.get("apiVersion") or not d.get("kind") or \
                    not d.get("metadata", {}).get("name"):
                p.append("%s: not a Kubernetes object" % name)
            else:
                objs.append(d)
    return objs, p


def key(o):
    return (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"])


def diff(a, b, path=""):
    """The first paths where a and b differ."""
    if type(a) != type(b):
        return ["%s: %r != %r" % (path or "(top)", a, b)]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (path, k, "the chart" if k in a else
                                                  "deploy/vigil.yaml"))
            else:
                out += diff(a[k], b[k], "%s.%s" % (path, k))
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return ["%s: %d items != %d" % (path, len(a), len(b))]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, "%s[%d]" % (path, i))]
    return [] if a == b else ["%s: %r != %r" % (path, a, b)]


def find(objs, kind):
    return next((o for o in objs if o["kind"] == kind), None)


def container(objs):
    ds = find(objs, "DaemonSet")
    return ds["spec"]["template"]["spec"]["containers"][0] if ds else {}


def values_checks(objs):
    """What check-values.yaml asks for, in the rendered objects."""
    p = []
    ds = find(objs, "DaemonSet")
    cm = find(objs, "ConfigMap")
    if not ds or not cm:
        return ["no DaemonSet or ConfigMap"]
    pod = ds["spec"]["template"]["spec"]
    c = container(objs)
    args = c.get("args", [])
    want_args = ["--export-filename=/var/log/vigil-test/events.json",
                 "--tracing-policy-dir=/etc/vigil/policies",
                 "--export-allowlist={\"event_set\":[\"PROCESS_EXEC\"]}", "--verbose"]
    for a in want_args:
        if a not in args:
            p.append("args lack %s" % a)
    if args[:1] != ["--k8s"]:
        p.append("the first argument is not --k8s")
    if c.get("image") != "registry.example/vigil:9.9.9":
        p.append("image %r" % c.get("image"))
    if cm["data"].get("enable-network-events") != "true" or \
            cm["data"].get("server-address") != "" or cm["data"].get("output") != "compact":
        p.append("ConfigMap data %r" % cm["data"])
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        if probe in c:
            p.append("%s without the API (serverAddress \"\")" % probe)
    if c["securityContext"]["capabilities"]["add"] != ["SYS_ADMIN", "SYS_PTRACE",
                                                        "SYS_RESOURCE", "MAC_ADMIN"]:
        p.append("capabilities %r" % c["securityContext"]["capabilities"]["add"])
    mounts = {m["name"]: m for m in c.get("volumeMounts", [])}
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    if mounts.get("export", {}).get("mountPath") != "/var/log/vigil-test" or \
            vols.get("export", {}).get("hostPath", {}).get("path") != "/var/log/vigil-test":
        p.append("the export directory is not mounted")
    if mounts.get("policies", {}).get("mountPath") != "/etc/vigil/policies" or \
            vols.get("policies", {}).get("configMap", {}).get("name") != "my-policies":
        p.append("the policy ConfigMap is not mounted")
    if pod.get("nodeSelector") != {"kubernetes.io/os": "linux"}:
        p.append("nodeSelector %r" % pod.get("nodeSelector"))
    if pod.get("priorityClassName") != "system-node-critical":
        p.append("priorityClassName %r" % pod.get("priorityClassName"))
    if "tolerations" in pod:
        p.append("tolerations rendered though empty")
    if c.get("resources") != {"limits": {"memory": "1Gi"}}:
        p.append("resources %r" % c.get("resources"))
    return p


def main(argv):
    rendered = None
    if argv[1:2] == ["--rendered"] and len(argv) == 4:
        rendered = argv[2:4]
    elif argv[1:]:
        sys.stderr.write("usage: check-chart.py [--rendered DEFAULTS.yaml VALUES.yaml]\n")
        return 2
    how = "helm template" if rendered else "check-chart.py's renderer"

    # the chart, rendered with its defaults and with check-values.yaml
    renders = []
    for i, values in enumerate((None, os.path.join(HERE, "check-values.yaml"))):
        label = "defaults" if values is None else "check-values.yaml"
        try:
            if rendered:
                with open(rendered[i]) as f:
                    texts = [(rendered[i], f.read())]
            else:
                texts = sorted(render_chart(values).items())
                texts = [(n, t) for n, t in texts if not n.endswith(".txt")]
            objs, p = objects(texts)
        except (TemplateError, OSError, KeyError, TypeError, ValueError) as e:
            objs, p = [], ["cannot render: %s" % e]
        report("the chart renders with its %s (%s)" % (label, how), p)
        renders.append(objs)

    # defaults = deploy/vigil.yaml, less the Namespace
    with open(os.path.join(ROOT, "deploy", "vigil.yaml")) as f:
        plain = [d for d in yaml.safe_load_all(f) if d is not None]
    plain_objs = {key(o): o for o in plain if o["kind"] != "Namespace"}
    chart_objs = {key(o): o for o in renders[0]}
    p = []
    for k in sorted(set(plain_objs) | set(chart_objs)):
        if k not in chart_objs:
            p.append("%s %s/%s: only in deploy/vigil.yaml" % (k[0], k[1], k[2]))
        elif k not in plain_objs:
            p.append("%s %s/%s: only in the chart" % (k[0], k[1], k[2]))
        else:
            p += ["%s %s: %s" % (k[0], k[2], d) for d in diff(chart_objs[k], plain_objs[k])]
    report("with its defaults the chart makes deploy/vigil.yaml's objects", p)
    ns = [o for o in plain if o["kind"] == "Namespace"]
    report("deploy/vigil.yaml's namespace is %s and allows privileged pods" % NAMESPACE,
           [] if len(ns) == 1 and ns[0]["metadata"]["name"] == NAMESPACE and
           ns[0]["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") ==
           "privileged" else ["no such Namespace"])

    report("check-values.yaml shows in the rendered objects", values_checks(renders[1]))

    # the CRDs
    p = []
    for src in sorted(glob.glob(os.path.join(ROOT, "crds", "*.yaml"))):
        dst = os.path.join(CHART, "crds", os.path.basename(src))
        if not os.path.exists(dst) or not filecmp.cmp(src, dst, shallow=False):
            p.append("%s differs from crds/ (run python3 crds/gen-crds.py)"
                     % os.path.relpath(dst, ROOT))
    extra = set(map(os.path.basename, glob.glob(os.path.join(CHART, "crds", "*")))) - \
        set(map(os.path.basename, glob.glob(os.path.join(ROOT, "crds", "*.yaml"))))
    if extra:
        p.append("the chart's crds/ has more: %s" % ", ".join(sorted(extra)))
    report("the chart's crds/ are crds/*.yaml", p)

    # versions
    with open(os.path.join(CHART, "Chart.yaml")) as f:
        chart = yaml.safe_load(f)
    p = []
    if chart.get("apiVersion") != "v2" or chart.get("name") != "vigil" or \
            not re.match(r"\d+\.\d+\.\d+\Z", str(chart.get("version", ""))):
        p.append("Chart.yaml: apiVersion v2, name vigil, a SemVer version")
    try:
        with open(os.path.join(ROOT, "agent", "version.h")) as f:
            m = re.search(r'#define VIGIL_VERSION "([^"]+)"', f.read())
        if not m or chart.get("appVersion") != m.group(1):
            p.append("appVersion %r is not agent/version.h's %r"
                     % (chart.get("appVersion"), m.group(1) if m else None))
    except OSError:
        pass
    image = container(list(plain_objs.values())).get("image", "")
    if not image.endswith(":" + str(chart.get("appVersion"))):
        p.append("deploy/vigil.yaml's image %r is not tagged appVersion" % image)
    report("versions agree (Chart.yaml, agent/version.h, deploy/vigil.yaml)", p)

    print("%d passed, %d failed" % (RESULTS["pass"], RESULTS["fail"]))
    return 1 if RESULTS["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
