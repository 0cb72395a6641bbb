#!/usr/bin/env python3
"""A small Kubernetes API server emulator for vigil's tests.

  apiserver.py --port-file FILE [--port N] [--tls-cert C --tls-key K]
               [--token-file T] [--log FILE] [--history N] [--bookmark-interval S]

It serves, over HTTP/1.1 (HTTPS with --tls-cert/--tls-key) on 127.0.0.1,
enough of the Kubernetes REST API for a real kubectl (checked with 1.20 and
1.32) and for vigild's watch code; it writes its port to FILE once listening.

- discovery: /version (it says v1.28.0), /api, /api/v1, /apis, /apis/GROUP,
  /apis/GROUP/VERSION, for core v1 namespaces, pods, events, configmaps,
  secrets, serviceaccounts, services and nodes, apps/v1, rbac/v1,
  apiextensions.k8s.io/v1 customresourcedefinitions, and every CRD;
- /openapi/v2 (protobuf or JSON): no schemas (kubectl's client-side
  validation then skips, as for a kind a server publishes no schema for),
  only each resource's PATCH path with the dryRun and fieldValidation
  parameters, which is what kubectl looks at to allow --dry-run=server;
- a generic object store: create, get, list, update, patch (merge, JSON,
  an approximate strategic merge), delete, delete of a collection;
  namespaced and cluster-scoped; uid, resourceVersion (one global counter),
  creationTimestamp, generation (bumped when anything but metadata, and
  status where it is a subresource, changes); the status subresource
  (CRDs declaring it, pods, ...), dryRun, finalizers (deletionTimestamp,
  deleted when the last goes); a write that changes nothing is not stored;
  errors are Status objects as the real server words them;
- CRDs: in discovery as soon as created (Established at once); CRs pruned,
  defaulted and validated against the openAPIV3Schema of the version in the
  URL: type, properties, additionalProperties (a schema), items, required,
  enum, pattern, min/maxLength, minimum/maximum (and exclusive),
  min/maxItems, min/maxProperties, nullable, default,
  x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields,
  x-kubernetes-list-type set/map (duplicates); a pruned field is a Warning
  header, or a 400 with fieldValidation=Strict (what kubectl >= 1.25 sends);
- watches: chunked, one JSON event per line; a bounded history (--history
  events) in the one resourceVersion space: replay from a resourceVersion,
  ADDED events of the current objects for "" or "0", 410 Expired (an ERROR
  event) for one older than the history; bookmarks when idle
  (allowWatchBookmarks, every --bookmark-interval s); timeoutSeconds; field
  and label selectors, an object leaving or entering them sent as DELETED
  or ADDED as the real watch cache does;
- bearer-token authentication against --token-file, re-read on every
  request;
- control endpoints for tests, no authentication:
    POST /_emulator/drop-watches      cut every watch stream (no ERROR, no end)
    POST /_emulator/compact           forget the history (older RVs: 410)
    POST /_emulator/restart           drop-watches + compact + RV jumps by 1000
    POST /_emulator/unreachable?seconds=N   stop listening, cut every connection,
                                      listen again on the same port N s later
    POST /_emulator/fail?path=REGEX&code=N&count=K   the next K requests whose
                                      path (with "?query") matches get a Status with code N
    GET  /_emulator/requests[?clear=1]  requests seen, oldest first: method,
                                      path, query, token, code, contentType,
                                      userAgent
    GET  /_emulator/state             resourceVersion, oldest watchable one,
                                      open watches

What it does NOT do (a test relying on one of these needs a real cluster):
- protobuf, Table output (kubectl prints NAME and AGE itself; a CRD's
  additionalPrinterColumns are not shown), aggregated discovery, OpenAPI
  schemas (/openapi/v3 is 404), server-side apply (415), /api/v1/watch/...;
- strategic merge patch as the real server does it: here a merge patch in
  which lists of objects that all have a "name" merge by name ("$patch:
  delete" honoured), "$deleteFromPrimitiveList/" applies and the other "$"
  directives are dropped; other lists (ports by containerPort, ...) are
  replaced;
- validation or defaulting of built-in kinds (only metadata.name is checked;
  a pod created without status gets phase Pending, one given a status keeps
  it where a real server resets it; every kind gets a generation), CEL
  rules (x-kubernetes-validations), format, x-kubernetes-embedded-resource,
  conversion between CRD versions (strategy None: only apiVersion changes),
  managedFields, admission, RBAC (a valid token may do anything), owner
  references and garbage collection, a namespace's Terminating phase and a
  CRD's cleanup (their objects go at once);
- list ignores limit/continue (one page) and resourceVersion (always the
  current state); a watch from a resourceVersion newer than the current one
  just waits; pattern is Python's re, not ECMA-262.
"""

import argparse
import collections
import copy
import json
import os
import random
import re
import socket
import ssl
import string
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
REASONS = {400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound',
           405: 'MethodNotAllowed', 409: 'Conflict', 410: 'Expired', 415: 'UnsupportedMediaType',
           422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError',
           503: 'ServiceUnavailable', 504: 'Timeout'}
VERSION = {'major': '1', 'minor': '28', 'gitVersion': 'v1.28.0', 'gitCommit': 'vigil-emulator',
           'gitTreeState': 'clean', 'buildDate': '2024-01-01T00:00:00Z', 'goVersion': 'go1.20',
           'compiler': 'gc', 'platform': 'linux/amd64'}
NAME_RE = re.compile(r'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
NAME_MSG = ('a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
            "characters, '-' or '.', and must start and end with an alphanumeric character "
            "(e.g. 'example.com', regex used for validation is '%s')" % NAME_RE.pattern)
RBAC = 'rbac.authorization.k8s.io'
# group, version, plural, kind, namespaced, short names, status subresource
BUILTIN = [
    ('', 'v1', 'namespaces', 'Namespace', False, ['ns'], True),
    ('', 'v1', 'pods', 'Pod', True, ['po'], True),
    ('', 'v1', 'events', 'Event', True, ['ev'], False),
    ('', 'v1', 'configmaps', 'ConfigMap', True, ['cm'], False),
    ('', 'v1', 'secrets', 'Secret', True, [], False),
    ('', 'v1', 'serviceaccounts', 'ServiceAccount', True, ['sa'], False),
    ('', 'v1', 'services', 'Service', True, ['svc'], True),
    ('', 'v1', 'nodes', 'Node', False, ['no'], True),
    ('apps', 'v1', 'daemonsets', 'DaemonSet', True, ['ds'], True),
    ('apps', 'v1', 'deployments', 'Deployment', True, ['deploy'], True),
    ('apps', 'v1', 'replicasets', 'ReplicaSet', True, ['rs'], True),
    ('apps', 'v1', 'statefulsets', 'StatefulSet', True, ['sts'], True),
    (RBAC, 'v1', 'clusterroles', 'ClusterRole', False, [], False),
    (RBAC, 'v1', 'clusterrolebindings', 'ClusterRoleBinding', False, [], False),
    (RBAC, 'v1', 'roles', 'Role', True, [], False),
    (RBAC, 'v1', 'rolebindings', 'RoleBinding', True, [], False),
    ('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition',
     False, ['crd', 'crds'], True),
]
# field selectors beyond metadata.name and metadata.namespace, as the real server has them
FIELDS = {
    ('', 'pods'): {'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
                   'spec.serviceAccountName', 'status.phase', 'status.podIP',
                   'status.nominatedNodeName'},
    ('', 'events'): {'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name',
                     'involvedObject.uid', 'involvedObject.apiVersion',
                     'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
                     'reportingComponent', 'source', 'type'},
    ('', 'namespaces'): {'status.phase'}, ('', 'secrets'): {'type'},
    ('', 'nodes'): {'spec.unschedulable'},
}
CRD_KEY = ('apiextensions.k8s.io', 'customresourcedefinitions')


class ApiError(Exception):
    def __init__(self, code, message, reason=None, details=None):
        super().__init__(message)
        self.status = status_obj(code, message, reason, details)


def status_obj(code, message, reason=None, details=None):
    st = {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Failure',
          'message': message, 'reason': reason or REASONS.get(code, 'Unknown'), 'code': code}
    if details is not None:
        st['details'] = details
    return st


def dumps(obj):
    """Compact JSON and a newline, as the real server writes it."""
    return (json.dumps(obj, separators=(',', ':')) + '\n').encode()


def now():
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())


def version_key(v):
    """Kubernetes version priority: GA before beta before alpha, higher first."""
    m = re.fullmatch(r'v(\d+)(?:(alpha|beta)(\d+))?', v)
    if not m:
        return (3, 0, 0, v)
    rank = {None: 0, 'beta': 1, 'alpha': 2}[m.group(2)]
    return (rank, -int(m.group(1)), -int(m.group(3) or 0), v)


class Res:
    """One resource the server serves (built-in or from a CRD)."""

    def __init__(self, group, versions, plural, kind, namespaced, short=(), status=False):
        self.group, self.plural, self.kind, self.namespaced = group, plural, kind, namespaced
        self.versions = [versions] if isinstance(versions, str) else list(versions)
        self.short, self.status, self.singular = list(short), status, kind.lower()
        self.crd, self.schemas, self.categories = False, {}, []
        self.key = (group, plural)

    def gv(self, ver):
        return f'{self.group}/{ver}' if self.group else ver

    def qname(self):  # "tracingpolicies.cilium.io", as in NotFound messages
        return f'{self.plural}.{self.group}' if self.group else self.plural

    def qkind(self):  # "TracingPolicy.cilium.io", as in Invalid messages
        return f'{self.kind}.{self.group}' if self.group else self.kind

    def details(self, name):
        return {'name': name, 'group': self.group, 'kind': self.plural}

    def discovery(self):
        out = [{'name': self.plural, 'singularName': self.singular, 'namespaced': self.namespaced,
                'kind': self.kind, 'verbs': VERBS}]
        if self.short:
            out[0]['shortNames'] = self.short
        if self.categories:
            out[0]['categories'] = self.categories
        if self.status:
            out.append({'name': self.plural + '/status', 'singularName': '',
                        'namespaced': self.namespaced, 'kind': self.kind,
                        'verbs': ['get', 'patch', 'update']})
        return out


# ---- selectors ---------------------------------------------------------------

def dig(obj, dotted):
    for part in dotted.split('.'):
        obj = obj.get(part) if isinstance(obj, dict) else None
    if obj is None:
        return ''
    return ('true' if obj else 'false') if isinstance(obj, bool) else str(obj)


def field_selector(res, text):
    """Equality terms 'a=b', 'a==b', 'a!=b' joined by commas."""
    allowed = {'metadata.name', 'metadata.namespace'} | FIELDS.get(res.key, set())
    terms = []
    for term in filter(None, (t.strip() for t in text.split(','))):
        m = re.fullmatch(r'([^=!]+?)\s*(!=|==|=)\s*(.*)', term)
        if not m:
            raise ApiError(400, f'invalid selector: {text!r}; can\'t understand {term!r}')
        key, op, val = m.groups()
        if key not in allowed:
            raise ApiError(400, f'field label not supported: {key}')
        terms.append((key, op == '!=', val))

    def match(obj):
        for key, neg, val in terms:
            got = dig(obj, 'source.component' if key == 'source' else key)
            if (got == val) == neg:
                return False
        return True
    return match


def label_selector(text):
    """Equality (=, ==, !=), set-based (in, notin), exists (key) and !key."""
    terms, depth, cur = [], 0, ''
    for ch in text:
        depth += {'(': 1, ')': -1}.get(ch, 0)
        if ch == ',' and depth == 0:
            terms.append(cur)
            cur = ''
        else:
            cur += ch
    terms.append(cur)
    key_re, reqs = r'([A-Za-z0-9][-A-Za-z0-9_./]*)', []
    for term in filter(None, (t.strip() for t in terms)):
        m = re.fullmatch(r'(!?)\s*' + key_re, term)
        if m:
            reqs.append((m.group(2), 'absent' if m.group(1) else 'exists', set()))
            continue
        m = re.fullmatch(key_re + r'\s+(in|notin)\s*\(([^)]*)\)', term)
        if m:
            reqs.append((m.group(1), m.group(2), {v.strip() for v in m.group(3).split(',')}))
            continue
        m = re.fullmatch(key_re + r'\s*(==|=|!=)\s*([-A-Za-z0-9_.]*)', term)
        if not m:
            raise ApiError(400, f'unable to parse requirement: {term!r}')
        reqs.append((m.group(1), 'notin' if m.group(2) == '!=' else 'in', {m.group(3)}))

    def match(obj):
        labels = (obj.get('metadata') or {}).get('labels') or {}
        for key, op, vals in reqs:
            ok = {'exists': key in labels, 'absent': key not in labels,
                  'in': labels.get(key) in vals,
                  'notin': key not in labels or labels[key] not in vals}[op]
            if not ok:
                return False
        return True
    return match


def selector(res, ns, q):
    fsel = field_selector(res, q.get('fieldSelector', ''))
    lsel = label_selector(q.get('labelSelector', ''))
    return lambda o: ((ns is None or o['metadata'].get('namespace') == ns)
                      and fsel(o) and lsel(o))


# ---- patches -----------------------------------------------------------------

def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def strategic_patch(target, patch):
    """An approximation of strategic merge patch (see the module docstring)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get('$patch') == 'replace':
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != '$patch'}
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if k.startswith('$deleteFromPrimitiveList/'):
            f = k.split('/', 1)[1]
            out[f] = [x for x in out.get(f) or [] if x not in v]
        elif k.startswith('$'):
            continue
        elif v is None:
            out.pop(k, None)
        elif (isinstance(v, list) and isinstance(out.get(k), list) and v
              and all(isinstance(i, dict) and 'name' in i for i in v)
              and all(isinstance(i, dict) and 'name' in i for i in out[k])):
            items = list(out[k])
            for item in v:
                at = [n for n, old in enumerate(items) if old['name'] == item['name']]
                if item.get('$patch') == 'delete':
                    items = [i for i in items if i['name'] != item['name']]
                elif at:
                    items[at[0]] = strategic_patch(items[at[0]], item)
                else:
                    items.append(strategic_patch({}, item))
            out[k] = items
        else:
            out[k] = strategic_patch(out.get(k), v)
    return out


def json_patch(doc, ops):
    """RFC 6902 JSON patch."""
    root = {'': copy.deepcopy(doc)}  # so that the pointer "" has a parent too

    def locate(pointer):
        if pointer != '' and not pointer.startswith('/'):
            raise ValueError(pointer)
        keys = [k.replace('~1', '/').replace('~0', '~') for k in pointer.split('/')]
        parent = root
        for k in keys[:-1]:
            parent = parent[int(k)] if isinstance(parent, list) else parent[k]
        key = keys[-1]
        if isinstance(parent, list):
            key = len(parent) if key == '-' else int(key)
            if key < 0:
                raise IndexError(key)
        return parent, key
    try:
        for op in ops:
            kind = op['op']
            if kind in ('move', 'copy'):
                fp, fk = locate(op['from'])
                value = copy.deepcopy(fp[fk])
                if kind == 'move':
                    del fp[fk]
            else:
                value = copy.deepcopy(op.get('value'))
            parent, key = locate(op['path'])
            if kind == 'test' and parent[key] != value:
                raise ValueError('test failed')
            if kind == 'remove':
                del parent[key]
            elif kind == 'replace':
                parent[key]  # raises when there is nothing to replace
                parent[key] = value
            elif kind in ('add', 'move', 'copy'):
                if isinstance(parent, list):
                    if key > len(parent):
                        raise IndexError(key)
                    parent.insert(key, value)
                else:
                    parent[key] = value
            elif kind != 'test':
                raise ValueError(kind)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as e:
        raise ApiError(422, f'the JSON patch cannot be applied: {e!r}') from None
    return root['']


# ---- CRD schemas: pruning, defaulting, validation -----------------------------

def jtype(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return 'integer'
    return {float: 'number', str: 'string', list: 'array', dict: 'object'}[type(v)]


def show(v):
    return json.dumps(v, ensure_ascii=False)


def walk_schema(s, v, path, errs, pruned):
    """Prune unknown fields from v, apply defaults, validate against schema s.
    Appends (field, reason, message) to errs and the paths of the fields it
    pruned to pruned; returns the new value."""
    def bad(reason, msg):
        errs.append((path, reason, msg))
    t = jtype(v)
    if v is None and s.get('nullable'):
        return v
    if s.get('x-kubernetes-int-or-string'):
        if t not in ('integer', 'string'):
            bad('FieldValueTypeInvalid', f'Invalid value: "{t}": {path} in body must be of type '
                f'integer,string: "{t}"')
            return v
    elif s.get('type') and not (s['type'] == t or (s['type'] == 'number' and t == 'integer')):
        bad('FieldValueTypeInvalid',
            f'Invalid value: "{t}": {path} in body must be of type {s["type"]}: "{t}"')
        return v
    if isinstance(v, dict):
        props, addl = s.get('properties') or {}, s.get('additionalProperties')
        for k in list(v):
            sub = props.get(k, addl if isinstance(addl, dict) else None)
            if sub is None:
                if not s.get('x-kubernetes-preserve-unknown-fields') and addl is not True:
                    del v[k]
                    pruned.append(f'{path}.{k}' if path else k)
            elif v[k] is None and not sub.get('nullable'):
                del v[k]
        for k, sub in props.items():
            if k not in v and 'default' in sub:
                v[k] = copy.deepcopy(sub['default'])
        for k in s.get('required') or []:
            if k not in v:
                errs.append((f'{path}.{k}' if path else k, 'FieldValueRequired', 'Required value'))
        for k in list(v):
            sub = props.get(k, addl if isinstance(addl, dict) else None)
            if sub is not None:
                v[k] = walk_schema(sub, v[k], f'{path}.{k}' if path else k, errs, pruned)
        if 'maxProperties' in s and len(v) > s['maxProperties']:
            bad('FieldValueTooMany',
                f'Too many: {len(v)}: must have at most {s["maxProperties"]} items')
        if 'minProperties' in s and len(v) < s['minProperties']:
            bad('FieldValueInvalid', f'Invalid value: {len(v)}: {path} in body should have at '
                f'least {s["minProperties"]} properties')
    elif isinstance(v, list):
        if 'minItems' in s and len(v) < s['minItems']:
            bad('FieldValueInvalid', f'Invalid value: {len(v)}: {path} in body should have at '
                f'least {s["minItems"]} items')
        if 'maxItems' in s and len(v) > s['maxItems']:
            bad('FieldValueTooMany', f'Too many: {len(v)}: must have at most {s["maxItems"]} items')
        if isinstance(s.get('items'), dict):
            v[:] = [walk_schema(s['items'], item, f'{path}[{i}]', errs, pruned)
                    for i, item in enumerate(v)]
        if s.get('x-kubernetes-list-type') in ('set', 'map'):
            keys, seen = s.get('x-kubernetes-list-map-keys'), []
            for i, item in enumerate(v):
                if keys and isinstance(item, dict):
                    item = {k: item.get(k) for k in keys}
                if item in seen:
                    errs.append((f'{path}[{i}]', 'FieldValueDuplicate', 'Duplicate value: ' + (
                        'map[string]interface {}' + json.dumps(item, separators=(',', ':'))
                        if isinstance(item, dict) else show(item))))
                seen.append(item)
    elif isinstance(v, str):
        if 'minLength' in s and len(v) < s['minLength']:
            bad('FieldValueInvalid', f'Invalid value: {show(v)}: {path} in body should be at '
                f'least {s["minLength"]} chars long')
        if 'maxLength' in s and len(v) > s['maxLength']:
            bad('FieldValueTooLong', f'Too long: may not be longer than {s["maxLength"]}')
        if 'pattern' in s and not re.search(s['pattern'], v):
            bad('FieldValueInvalid',
                f'Invalid value: {show(v)}: {path} in body should match \'{s["pattern"]}\'')
    elif t in ('integer', 'number'):
        for key, cmp, word in (('minimum', float.__lt__, 'greater than or equal to'),
                               ('maximum', float.__gt__, 'less than or equal to')):
            if key in s:
                excl = s.get('exclusive' + key.capitalize())
                if cmp(float(v), float(s[key])) or (excl and float(v) == float(s[key])):
                    word = word.replace(' or equal to', '') if excl else word
                    bad('FieldValueInvalid',
                        f'Invalid value: {show(v)}: {path} in body should be {word} {s[key]}')
    if 'enum' in s and v not in s['enum']:
        bad('FieldValueNotSupported', f'Unsupported value: {show(v)}: supported values: '
            + ', '.join(show(e) for e in s['enum']))
    return v


def invalid(res, name, errs):
    """A 422 Invalid error as the real server words it."""
    msgs = [f'{field}: {msg}' for field, _, msg in errs]
    text = msgs[0] if len(msgs) == 1 else '[' + ', '.join(msgs) + ']'
    causes = [{'reason': r, 'message': m, 'field': f} for f, r, m in errs]
    return ApiError(422, f'{res.qkind()} "{name}" is invalid: {text}', 'Invalid',
                    {'name': name, 'group': res.group, 'kind': res.kind, 'causes': causes})


def crd_prepare(obj):
    """Check and default a CustomResourceDefinition; returns errors."""
    spec = obj.setdefault('spec', {})
    names = spec.setdefault('names', {})
    errs, group, plural = [], spec.get('group'), names.get('plural')
    for field, val in (('spec.group', group), ('spec.names.plural', plural),
                       ('spec.names.kind', names.get('kind'))):
        if not val:
            errs.append((field, 'FieldValueRequired', 'Required value'))
    if group and plural and obj['metadata'].get('name') != f'{plural}.{group}':
        errs.append(('metadata.name', 'FieldValueInvalid',
                     f'Invalid value: {show(obj["metadata"].get("name"))}: '
                     'must be spec.names.plural+"."+spec.group'))
    if spec.get('scope') not in ('Namespaced', 'Cluster'):
        errs.append(('spec.scope', 'FieldValueNotSupported', f'Unsupported value: '
                     f'{show(spec.get("scope", ""))}: supported values: "Cluster", "Namespaced"'))
    versions = spec.get('versions') or []
    if not versions:
        errs.append(('spec.versions', 'FieldValueRequired', 'Required value'))
    elif sum(1 for v in versions if v.get('storage')) != 1:
        errs.append(('spec.versions', 'FieldValueInvalid', f'Invalid value: {show(versions)}: '
                     'must have exactly one version marked as storage version'))
    for i, v in enumerate(versions):
        if not isinstance((v.get('schema') or {}).get('openAPIV3Schema'), dict):
            errs.append((f'spec.versions[{i}].schema.openAPIV3Schema', 'FieldValueRequired',
                         'Required value: schemas are required'))
    if errs:
        return errs
    names.setdefault('singular', names['kind'].lower())
    names.setdefault('listKind', names['kind'] + 'List')
    spec.setdefault('conversion', {'strategy': 'None'})
    old = obj.get('status') or {}
    stored = old.get('storedVersions') or []
    conditions = old.get('conditions') or [
        {'type': t, 'status': 'True', 'lastTransitionTime': now(), 'reason': r, 'message': m}
        for t, r, m in (('NamesAccepted', 'NoConflicts', 'no conflicts found'),
                        ('Established', 'InitialNamesAccepted',
                         'the initial names have been accepted'))]
    obj['status'] = {'acceptedNames': copy.deepcopy(names), 'conditions': conditions,
                     'storedVersions': stored + [v['name'] for v in versions
                                                 if v.get('storage') and v['name'] not in stored]}
    return []


def crd_resource(obj):
    spec = obj['spec']
    names, versions = spec['names'], [v for v in spec['versions'] if v.get('served', True)]
    res = Res(spec['group'], sorted((v['name'] for v in versions), key=version_key),
              names['plural'], names['kind'], spec['scope'] == 'Namespaced',
              names.get('shortNames') or [],
              any('status' in (v.get('subresources') or {}) for v in versions))
    res.crd, res.singular, res.categories = True, names['singular'], names.get('categories') or []
    res.schemas = {v['name']: v['schema']['openAPIV3Schema'] for v in versions}
    return res


# ---- OpenAPI v2 ---------------------------------------------------------------
# Only what kubectl reads to decide that server-side dry run (1.20) and field
# validation (newer) are supported: per resource, its PATCH operation with
# "dryRun" and "fieldValidation" query parameters and an
# x-kubernetes-group-version-kind extension.  No definitions: kubectl's
# client-side validation then finds no schema and skips, as for a kind the
# server publishes no schema for.

PARAMS = ('dryRun', 'fieldValidation')


def openapi_paths(st):
    for r in st.res.values():
        base = f'/apis/{r.group}/{{v}}' if r.group else '/api/{v}'
        for v in r.versions:
            ns = '/namespaces/{namespace}' if r.namespaced else ''
            gvk = json.dumps({'group': r.group, 'kind': r.kind, 'version': v})
            yield base.format(v=v) + f'{ns}/{r.plural}/{{name}}', gvk


def openapi_json(st):
    return {'swagger': '2.0', 'info': {'title': 'Kubernetes', 'version': VERSION['gitVersion']},
            'paths': {path: {'patch': {
                'parameters': [{'in': 'query', 'name': p, 'type': 'string'} for p in PARAMS],
                'x-kubernetes-group-version-kind': json.loads(gvk)}}
                for path, gvk in openapi_paths(st)}, 'definitions': {}}


def openapi_pb(st):
    """The same as gnostic's openapi_v2.Document protobuf message."""
    def varint(n):
        out = b''
        while n > 0x7f:
            out, n = out + bytes([n & 0x7f | 0x80]), n >> 7
        return out + bytes([n])

    def f(num, *parts):  # a length-delimited field: string or message
        data = b''.join(p.encode() if isinstance(p, str) else p for p in parts)
        return varint(num << 3 | 2) + varint(len(data)) + data
    params = b''.join(f(8, f(1, f(2, f(3, f(2, 'query'), f(4, p))))) for p in PARAMS)
    paths = [f(2, f(1, path), f(2, f(8, params, f(13, f(1, 'x-kubernetes-group-version-kind'),
                                                   f(2, f(2, gvk))))))
             for path, gvk in openapi_paths(st)]
    return f(1, '2.0') + f(2, f(1, 'Kubernetes'), f(2, VERSION['gitVersion'])) + f(8, *paths)


# ---- the store ---------------------------------------------------------------

class Store:
    """Objects, resources and the watch history; callers hold self.cond."""

    def __init__(self, history):
        self.cond = threading.Condition()
        self.rv = self.floor = 1
        self.drop_gen = 0
        self.hist = collections.deque()
        self.maxhist = max(1, history)
        self.res, self.objs, self.watches = {}, {}, {}
        for b in BUILTIN:
            self.register(Res(*b))
        for ns in ('default', 'kube-system', 'kube-public', 'kube-node-lease'):
            with self.cond:
                self.write(self.res[('', 'namespaces')], 'ADDED', self.fresh(
                    {'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': ns},
                     'spec': {'finalizers': ['kubernetes']}, 'status': {'phase': 'Active'}}))

    def register(self, res):
        if res.crd and res.key in self.res:  # a CRD update: open watches go on
            self.res[res.key].__dict__.update(res.__dict__)
        self.res.setdefault(res.key, res)
        self.objs.setdefault(res.key, {})

    @staticmethod
    def fresh(obj):
        m = obj['metadata']
        m.update(uid=str(uuid.uuid4()), creationTimestamp=now(), generation=1)
        return obj

    def write(self, res, etype, obj, old=None):
        """Store obj (never mutated afterwards) and record the watch event."""
        self.rv += 1
        obj['metadata']['resourceVersion'] = str(self.rv)
        k = (obj['metadata'].get('namespace', ''), obj['metadata']['name'])
        if etype == 'DELETED':
            self.objs[res.key].pop(k, None)
        else:
            self.objs[res.key][k] = obj
        if len(self.hist) >= self.maxhist:
            self.floor = self.hist.popleft()[0]
        self.hist.append((self.rv, res.key, etype, obj, old))
        self.cond.notify_all()

    def compact(self):
        self.hist.clear()
        self.floor = self.rv

    def drop_watches(self):
        self.drop_gen += 1
        self.cond.notify_all()
        return len(self.watches)

    def get(self, res, ns, name):
        obj = self.objs[res.key].get((ns or '', name))
        if obj is None:
            raise ApiError(404, f'{res.qname()} "{name}" not found', details=res.details(name))
        return obj

    def admit(self, res, ver, obj, name, how):
        """Validation, pruning and defaulting of a new object state.  Unknown
        fields of a CR are pruned, with a warning (fieldValidation Warn, the
        default) or a 400 (Strict)."""
        errs, pruned = [], []
        if not NAME_RE.fullmatch(name) or len(name) > 253:
            errs.append(('metadata.name', 'FieldValueInvalid',
                         f'Invalid value: {show(name)}: {NAME_MSG}'))
        if res.crd:
            root = copy.deepcopy(res.schemas.get(ver) or {})
            props = root.setdefault('properties', {})
            for k in ('apiVersion', 'kind'):
                props[k] = {'type': 'string'}
            props['metadata'] = {'type': 'object', 'x-kubernetes-preserve-unknown-fields': True}
            walk_schema(root, obj, '', errs, pruned)
            if pruned and how['fv'] == 'Strict':
                raise ApiError(400, f'{res.kind} in version "{ver}" cannot be handled as a '
                               f'{res.kind}: strict decoding error: '
                               + ', '.join(f'unknown field "{p}"' for p in pruned))
            if how['fv'] != 'Ignore':
                how['warn'] += [f'unknown field "{p}"' for p in pruned]
        elif res.key == CRD_KEY:
            errs += crd_prepare(obj)
        if errs:
            raise invalid(res, name, errs)

    def create(self, res, ver, ns, body, how):
        meta = body.setdefault('metadata', {})
        if not meta.get('name') and meta.get('generateName'):
            meta['name'] = meta['generateName'] + ''.join(
                random.choice(string.ascii_lowercase + string.digits) for _ in range(5))
        name = meta.get('name') or ''
        if not name:
            raise invalid(res, '', [('metadata.name', 'FieldValueRequired',
                                     'Required value: name or generateName is required')])
        if res.namespaced:
            if meta.get('namespace', ns) != ns:
                raise ApiError(400, 'the namespace of the provided object does not match the '
                               'namespace sent on the request')
            meta['namespace'] = ns
            if ('', ns) not in self.objs[('', 'namespaces')]:
                raise ApiError(404, f'namespaces "{ns}" not found',
                               details={'name': ns, 'kind': 'namespaces'})
        else:
            meta.pop('namespace', None)
        if (ns or '', name) in self.objs[res.key]:
            raise ApiError(409, f'{res.qname()} "{name}" already exists', 'AlreadyExists',
                           res.details(name))
        for k in ('resourceVersion', 'deletionTimestamp', 'managedFields', 'selfLink'):
            meta.pop(k, None)
        if res.crd and res.status:
            body.pop('status', None)
        if res.key == ('', 'pods'):
            body.setdefault('status', {'phase': 'Pending'})
        if res.key == ('', 'namespaces'):
            body['status'] = {'phase': 'Active'}
        self.admit(res, ver, body, name, how)
        self.fresh(body)
        if how['dry']:
            return body
        self.write(res, 'ADDED', body)
        if res.key == CRD_KEY:
            self.register(crd_resource(body))
        return body

    def update(self, res, ver, ns, name, body, sub, how):
        """PUT (and PATCH after the patch is applied) of NAME or NAME/status."""
        old = self.get(res, ns, name)
        meta = body.setdefault('metadata', {}) if isinstance(body, dict) else None
        if meta is None or not isinstance(meta, dict):
            raise ApiError(400, 'the object provided is not a Kubernetes object')
        if meta.get('name', name) != name:
            raise ApiError(400, f'the name of the object ({meta["name"]}) does not match the '
                           f'name on the URL ({name})')
        rv = meta.get('resourceVersion')
        if rv and rv != old['metadata']['resourceVersion']:
            raise ApiError(409, f'Operation cannot be fulfilled on {res.qname()} "{name}": the '
                           'object has been modified; please apply your changes to the latest '
                           'version and try again', details=res.details(name))
        if not rv and res.crd:
            raise invalid(res, name, [('metadata.resourceVersion', 'FieldValueInvalid',
                                       'Invalid value: 0x0: must be specified for an update')])
        if sub == 'status':
            new = copy.deepcopy(old)
            if 'status' in body:
                new['status'] = body['status']
            else:
                new.pop('status', None)
        else:
            new = body
            if res.status:
                new.pop('status', None)
                if 'status' in old:
                    new['status'] = copy.deepcopy(old['status'])
            for k in ('uid', 'creationTimestamp', 'deletionTimestamp', 'namespace', 'name'):
                if k in old['metadata']:
                    meta[k] = old['metadata'][k]
                else:
                    meta.pop(k, None)
        new['apiVersion'], new['kind'] = old['apiVersion'], old['kind']
        self.admit(res, ver, new, name, how)
        skip = {'metadata', 'apiVersion', 'kind'} | ({'status'} if res.status else set())
        spec_of = lambda x: {k: v for k, v in x.items() if k not in skip}
        gen = old['metadata'].get('generation', 1)
        new['metadata']['generation'] = gen + (spec_of(new) != spec_of(old))
        new['metadata']['resourceVersion'] = old['metadata']['resourceVersion']
        new['metadata'].pop('managedFields', None)
        if new == old or how['dry']:
            return new
        if new['metadata'].get('deletionTimestamp') and not new['metadata'].get('finalizers'):
            self.write(res, 'DELETED', new, old)
        else:
            self.write(res, 'MODIFIED', new, old)
        if res.key == CRD_KEY:
            self.register(crd_resource(new))
        return new

    def delete(self, res, ns, name, dry):
        old = self.get(res, ns, name)
        if dry:
            return old
        if old['metadata'].get('finalizers'):
            if old['metadata'].get('deletionTimestamp'):
                return old
            new = copy.deepcopy(old)
            new['metadata']['deletionTimestamp'] = now()
            self.write(res, 'MODIFIED', new, old)
            return new
        new = copy.deepcopy(old)
        self.write(res, 'DELETED', new, old)
        if res.key == CRD_KEY:
            gone = self.res.pop((old['spec']['group'], old['spec']['names']['plural']), None)
            if gone:
                for obj in list(self.objs[gone.key].values()):
                    self.write(gone, 'DELETED', copy.deepcopy(obj), obj)
                del self.objs[gone.key]
        if res.key == ('', 'namespaces'):
            for r in list(self.res.values()):
                for (ons, oname), obj in list(self.objs[r.key].items()):
                    if r.namespaced and ons == name:
                        self.write(r, 'DELETED', copy.deepcopy(obj), obj)
        return status_ok(res, old)


def status_ok(res, obj):
    return {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Success',
            'details': {**res.details(obj['metadata']['name']), 'uid': obj['metadata']['uid']}}


# ---- HTTP --------------------------------------------------------------------

class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):  # dropped connections are expected
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'vigil-k8s-emulator'
    disable_nagle_algorithm = True

    def setup(self):
        if self.server.tls:
            self.request.settimeout(10)
            self.request = self.server.tls.wrap_socket(self.request, server_side=True)
            self.request.settimeout(None)
        super().setup()
        with self.server.lock:
            self.server.conns.add(self.connection)

    def finish(self):
        with self.server.lock:
            self.server.conns.discard(self.connection)
        try:
            super().finish()
            if self.server.tls:
                self.connection.close()
        except OSError:
            pass

    def log_message(self, fmt, *args):
        if self.server.logfile:
            with self.server.lock, open(self.server.logfile, 'a') as f:
                f.write('%s %s\n' % (time.strftime('%H:%M:%S'), fmt % args))

    def do_GET(self):
        self.dispatch()
    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def read_body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            data = b''
            while True:
                n = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                data += self.rfile.read(n)
                self.rfile.readline()
                if n == 0:
                    return data
        return self.rfile.read(int(self.headers.get('Content-Length') or 0))

    def record(self, code):
        if self.control:
            return
        with self.server.lock:
            self.server.reqlog.append({
                'method': self.command, 'path': self.url.path, 'query': self.q,
                'token': self.token, 'code': code,
                'contentType': self.headers.get('Content-Type'),
                'userAgent': self.headers.get('User-Agent')})
            del self.server.reqlog[:-10000]

    def reply(self, code, obj, ctype='application/json'):
        data = obj if isinstance(obj, bytes) else dumps(obj)
        self.record(code)
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        if code == 429:
            self.send_header('Retry-After', '1')
        for w in self.warnings:
            self.send_header('Warning', '299 - ' + json.dumps(w))
        if self.control:
            self.send_header('Connection', 'close')
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def dispatch(self):
        self.url = urlsplit(self.path)
        self.q = dict(parse_qsl(self.url.query, keep_blank_values=True))
        auth = self.headers.get('Authorization', '')
        self.token = auth[7:] if auth.startswith('Bearer ') else None
        self.control = self.url.path.startswith('/_emulator/')
        self.warnings = []
        try:
            raw = self.read_body()
            if self.control:
                return self.do_control(self.url.path[len('/_emulator/'):], self.q)
            with self.server.lock:
                for rule in self.server.fails:
                    target = self.url.path + ('?' + self.url.query if self.url.query else '')
                    if rule[2] > 0 and rule[0].search(target):
                        rule[2] -= 1
                        raise ApiError(rule[1], f'injected failure ({rule[1]})')
            want = None
            if self.server.token_file:
                try:
                    with open(self.server.token_file) as f:
                        want = f.read().strip()
                except OSError:
                    pass
                if not want or self.token != want:
                    raise ApiError(401, 'Unauthorized')
            answer = self.route(raw)  # (code, body[, content type]), or None after a watch
            if answer:
                self.reply(*answer)
        except ApiError as e:
            self.reply(e.status['code'], e.status)
        except OSError:
            self.close_connection = True
        except Exception as e:  # a bug here: say so, as a real server would
            import traceback
            traceback.print_exc()
            self.reply(500, status_obj(500, f'emulator error: {e!r}'))

    def do_control(self, name, q):
        srv, st = self.server, self.server.st
        if name == 'requests':
            with srv.lock:
                out = list(srv.reqlog)
                if q.get('clear'):
                    srv.reqlog.clear()
            return self.reply(200, out)
        if name == 'state':
            with st.cond:
                return self.reply(200, {'resourceVersion': str(st.rv),
                                        'oldestResourceVersion': str(st.floor),
                                        'watches': list(st.watches.values())})
        if self.command != 'POST':
            raise ApiError(405, f'use POST for /_emulator/{name}')
        with st.cond:
            if name == 'drop-watches':
                return self.reply(200, {'dropped': st.drop_watches()})
            if name == 'compact':
                st.compact()
                return self.reply(200, {'resourceVersion': str(st.rv)})
            if name == 'restart':
                n = st.drop_watches()
                st.rv += 1000
                st.compact()
                return self.reply(200, {'dropped': n, 'resourceVersion': str(st.rv)})
        if name == 'fail':
            try:
                rule = [re.compile(q.get('path', '')), int(q.get('code', 500)),
                        int(q.get('count', 1))]
            except (re.error, ValueError) as e:
                raise ApiError(400, f'bad fail rule: {e}')
            with srv.lock:
                srv.fails.append(rule)
            return self.reply(200, {})
        if name == 'unreachable':
            secs = float(q.get('seconds', '1'))
            with srv.lock:
                if srv.down:
                    raise ApiError(409, 'already unreachable')
                srv.down = True
            self.reply(200, {'seconds': secs})
            threading.Thread(target=unreachable, args=(srv, secs), daemon=True).start()
            return
        raise ApiError(404, f'no control endpoint {name!r}')

    # -- the API --

    def route(self, raw):
        st, path, m = self.server.st, self.url.path.rstrip('/') or '/', self.command
        if path in ('/healthz', '/livez', '/readyz'):
            return (200, b'ok', 'text/plain')
        if path == '/version':
            return (200, VERSION)
        parts = path.strip('/').split('/')
        with st.cond:
            if path == '/openapi/v2':
                if 'protobuf' in self.headers.get('Accept', ''):
                    return (200, openapi_pb(st), 'application/octet-stream')
                return (200, openapi_json(st))
            if path == '/api':
                return (200, {'kind': 'APIVersions', 'versions': ['v1'],
                              'serverAddressByClientCIDRs': [{
                                  'clientCIDR': '0.0.0.0/0',
                                  'serverAddress': '127.0.0.1:%d' % self.server.server_port}]})
            groups = collections.defaultdict(set)
            for r in st.res.values():
                if r.group:
                    groups[r.group].update(r.versions)
            group_info = lambda g: {
                'name': g, 'versions': [{'groupVersion': f'{g}/{v}', 'version': v}
                                        for v in sorted(groups[g], key=version_key)],
                'preferredVersion': {'groupVersion': f'{g}/{min(groups[g], key=version_key)}',
                                     'version': min(groups[g], key=version_key)}}
            if path == '/apis':
                return (200, {'kind': 'APIGroupList', 'apiVersion': 'v1',
                              'groups': [group_info(g) for g in sorted(groups)]})
            if parts[0] == 'apis' and len(parts) == 2 and parts[1] in groups:
                return (200, {'kind': 'APIGroup', 'apiVersion': 'v1', **group_info(parts[1])})
            if parts[0] == 'api' and len(parts) >= 2:
                group, ver, rest = '', parts[1], parts[2:]
            elif parts[0] == 'apis' and len(parts) >= 3:
                group, ver, rest = parts[1], parts[2], parts[3:]
            else:
                raise ApiError(404, 'the server could not find the requested resource', details={})
            served = [r for r in st.res.values() if r.group == group and ver in r.versions]
            if not served:
                raise ApiError(404, 'the server could not find the requested resource', details={})
            if not rest:
                if m != 'GET':
                    raise ApiError(405, f'{m} is not supported')
                return (200, {'kind': 'APIResourceList', 'apiVersion': 'v1',
                              'groupVersion': served[0].gv(ver),
                              'resources': [d for r in served for d in r.discovery()]})
            ns = None
            if rest[0] == 'namespaces' and len(rest) >= 3:
                r = st.res.get((group, rest[2]))
                if r and r.namespaced:
                    ns, rest = rest[1], rest[2:]
            res = st.res.get((group, rest[0]))
            if res is None or ver not in res.versions or len(rest) > 3 or (
                    len(rest) == 3 and not (rest[2] == 'status' and res.status)):
                raise ApiError(404, 'the server could not find the requested resource', details={})
            name, sub = (rest[1:] + [None, None])[:2]
            if (ns is not None and not res.namespaced) or (
                    ns is None and res.namespaced and (name or m != 'GET')):
                raise ApiError(404, 'the server could not find the requested resource', details={})
            if name is None and m == 'GET' and self.q.get('watch') in ('1', 'true'):
                pass  # the watch streams without holding the lock
            else:
                return self.api(st, res, ver, ns, name, sub, raw)
        self.watch(st, res, ver, ns)

    def parse(self, raw):
        try:
            return json.loads(raw or b'null')
        except ValueError as e:
            raise ApiError(400, f'the request body is not JSON: {e}') from None

    def out(self, res, ver, obj):
        """A copy of a stored object for the client, in the version it asked for."""
        obj = copy.deepcopy(obj)
        obj.pop('apiVersion', None)
        return {'kind': obj.pop('kind', res.kind), 'apiVersion': res.gv(ver), **obj}

    def as_list(self, st, res, ver, items):
        return {'kind': res.kind + 'List', 'apiVersion': res.gv(ver),
                'metadata': {'resourceVersion': str(st.rv)}, 'items': items}

    def api(self, st, res, ver, ns, name, sub, raw):
        m, q = self.command, self.q
        dry = bool(q.get('dryRun'))
        how = {'dry': dry, 'fv': q.get('fieldValidation', 'Warn'), 'warn': self.warnings}
        if m == 'GET' and name is None:
            match = selector(res, ns, q)
            items = [self.out(res, ver, x) for _, x in sorted(st.objs[res.key].items()) if match(x)]
            if not res.crd:  # the real server leaves these out of built-in lists
                for x in items:
                    del x['apiVersion'], x['kind']
            return (200, self.as_list(st, res, ver, items))
        if m == 'GET':
            return (200, self.out(res, ver, st.get(res, ns, name)))
        if m == 'DELETE':
            opts = self.parse(raw) or {}
            dry = dry or bool(isinstance(opts, dict) and opts.get('dryRun'))
            if name is not None:
                return (200, st.delete(res, ns, name, dry))
            match = selector(res, ns, q)
            gone = [self.out(res, ver, x) for _, x in sorted(st.objs[res.key].items()) if match(x)]
            for x in gone:
                st.delete(res, x['metadata'].get('namespace'), x['metadata']['name'], dry)
            return (200, self.as_list(st, res, ver, gone))
        body = self.parse(raw)
        if m == 'PATCH' and name is not None:
            ctype = self.headers.get('Content-Type', '').split(';')[0].strip()
            cur = self.out(res, ver, st.get(res, ns, name))
            if ctype == 'application/merge-patch+json':
                body = merge_patch(cur, body)
            elif ctype == 'application/strategic-merge-patch+json' and not res.crd:
                body = strategic_patch(cur, body)
            elif ctype == 'application/json-patch+json':
                body = json_patch(cur, body)
            else:
                raise ApiError(415, 'the body of the request was in an unknown format - accepted '
                               'media types include: application/json-patch+json, '
                               'application/merge-patch+json'
                               + ('' if res.crd else ', application/strategic-merge-patch+json'))
            if not isinstance(body, dict):
                raise ApiError(422, 'the patch did not produce an object')
            return (200, self.out(res, ver, st.update(res, ver, ns, name, body, sub, how)))
        if not isinstance(body, dict):
            raise ApiError(400, 'the object provided is not a Kubernetes object')
        for key, want in (('apiVersion', res.gv(ver)), ('kind', res.kind)):
            if body.setdefault(key, want) != want:
                raise ApiError(400, f'the {key} in the data ({body[key]}) does not match the '
                               f'expected {key} ({want})')
        body['apiVersion'] = res.gv(res.versions[0])
        if m == 'POST' and name is None:
            return (201, self.out(res, ver, st.create(res, ver, ns, body, how)))
        if m == 'PUT' and name is not None:
            return (200, self.out(res, ver, st.update(res, ver, ns, name, body, sub, how)))
        raise ApiError(405, f'{m} is not supported on this path')

    def chunk(self, data):
        self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))

    def event(self, etype, obj):
        self.chunk(dumps({'type': etype, 'object': obj}))

    def watch(self, st, res, ver, ns):
        q, match = self.q, selector(res, ns, self.q)
        rv = q.get('resourceVersion', '')
        bookmarks = q.get('allowWatchBookmarks') in ('1', 'true')
        interval = self.server.bookmark_interval
        try:
            timeout = float(q.get('timeoutSeconds') or 0)
        except ValueError:
            raise ApiError(400, 'timeoutSeconds is not a number') from None
        deadline = time.monotonic() + timeout if timeout > 0 else None
        expired = initial = None
        self.aborted = False
        with st.cond:
            gen, wid = st.drop_gen, object()
            if rv in ('', '0'):
                pos = st.rv
                initial = [o for _, o in sorted(st.objs[res.key].items()) if match(o)]
            else:
                try:
                    pos = int(rv)
                except ValueError:
                    raise ApiError(400, f'invalid resource version: {rv}') from None
                if pos < st.floor:
                    expired = f'too old resource version: {pos} ({st.floor})'
            st.watches[wid] = {'path': self.url.path, 'query': q, 'token': self.token}
        try:
            self.record(200)
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            if expired:
                self.event('ERROR', status_obj(410, expired, 'Expired'))
            else:
                for o in initial or []:
                    self.event('ADDED', self.out(res, ver, o))
                self.follow(st, res, ver, ns, match, pos, gen, deadline, bookmarks, interval)
            if not self.aborted:
                self.chunk(b'')
        finally:
            with st.cond:
                st.watches.pop(wid, None)

    def follow(self, st, res, ver, ns, match, pos, gen, deadline, bookmarks, interval):
        last = time.monotonic()
        while True:
            send, bookmark, gone = [], None, None
            with st.cond:
                while True:
                    if gen != st.drop_gen:  # drop-watches, restart, unreachable: no goodbye
                        socket.socket.shutdown(self.connection, socket.SHUT_RDWR)
                        self.close_connection = self.aborted = True
                        return
                    if pos < st.floor and pos < st.rv:  # events it still needs are forgotten
                        gone = status_obj(410, f'too old resource version: {pos} ({st.floor})',
                                          'Expired')
                        break
                    for erv, key, etype, obj, old in reversed(st.hist):  # newest first
                        if erv <= pos:
                            break
                        if key != res.key:
                            continue
                        if etype == 'MODIFIED':
                            was, now_ = match(old), match(obj)
                            etype = None if not (was or now_) else (
                                'MODIFIED' if was and now_ else 'ADDED' if now_ else 'DELETED')
                        elif not match(obj):
                            etype = None
                        if etype:
                            send.append((etype, obj))
                    send.reverse()
                    pos = st.rv
                    t = time.monotonic()
                    if send:
                        break
                    if st.res.get(res.key) is not res:  # its CRD is gone: end the stream
                        return
                    if deadline is not None and t >= deadline:
                        return
                    if bookmarks and t - last >= interval:
                        bookmark = {'kind': res.kind, 'apiVersion': res.gv(ver),
                                    'metadata': {'resourceVersion': str(pos)}}
                        break
                    wait = interval - (t - last) if bookmarks else 1.0
                    if deadline is not None:
                        wait = min(wait, deadline - t)
                    st.cond.wait(max(0.01, wait))
            if gone:
                return self.event('ERROR', gone)
            for etype, obj in send:
                self.event(etype, self.out(res, ver, obj))
            if bookmark:
                self.event('BOOKMARK', bookmark)
            last = time.monotonic()


def unreachable(srv, secs):
    """Close the listening socket and every connection; listen again later."""
    srv.shutdown()
    srv.socket.close()
    with srv.st.cond:
        srv.st.drop_watches()
    with srv.lock:
        conns = list(srv.conns)
    for c in conns:
        try:
            socket.socket.shutdown(c, socket.SHUT_RDWR)
        except OSError:
            pass
    time.sleep(secs)
    srv.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.server_bind()
    srv.server_activate()
    with srv.lock:
        srv.down = False
    srv.reopen.set()


def main():
    p = argparse.ArgumentParser(description='Kubernetes API server emulator for tests')
    p.add_argument('--port-file', required=True, help='where to write the port once listening')
    p.add_argument('--port', type=int, default=0, help='port on 127.0.0.1 (0: any free one)')
    p.add_argument('--tls-cert', help='serve HTTPS with this certificate (PEM)')
    p.add_argument('--tls-key', help='private key of --tls-cert (PEM)')
    p.add_argument('--token-file', help='require "Authorization: Bearer <content of this file>"')
    p.add_argument('--log', help='append one line per request to this file')
    p.add_argument('--history', type=int, default=1000, help='watch events kept (default 1000)')
    p.add_argument('--bookmark-interval', type=float, default=1.0,
                   help='seconds of idleness before a bookmark is sent (default 1)')
    a = p.parse_args()
    if bool(a.tls_cert) != bool(a.tls_key):
        p.error('--tls-cert and --tls-key go together')
    srv = Server(('127.0.0.1', a.port), Handler)
    srv.st, srv.lock = Store(a.history), threading.Lock()
    srv.conns, srv.reqlog, srv.fails = set(), [], []
    srv.token_file, srv.logfile, srv.bookmark_interval = a.token_file, a.log, a.bookmark_interval
    srv.down, srv.reopen, srv.tls = False, threading.Event(), None
    if a.tls_cert:
        srv.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        srv.tls.load_cert_chain(a.tls_cert, a.tls_key)
        srv.tls.set_alpn_protocols(['http/1.1'])
    with open(a.port_file + '.tmp', 'w') as f:
        f.write('%d\n' % srv.server_port)
    os.replace(a.port_file + '.tmp', a.port_file)
    try:
        while True:
            srv.serve_forever(poll_interval=0.1)
            srv.reopen.wait()
            srv.reopen.clear()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
