// SPDX-License-Identifier: Apache-2.0
/*
 * kernel_facts.c - the validator's kernel facts for this host.
 *
 *   function      BTF FUNC of that name, else a text symbol in
 *                 /proc/kallsyms (kprobes attach to functions BTF lacks);
 *                 a system call wrapper __ARCH_sys_X also counts when BTF
 *                 has __se_sys_X or __do_sys_X
 *   LSM hook      BTF FUNC bpf_lsm_HOOK
 *   tracepoint    tracefs events/SUBSYS/EVENT, else BTF btf_trace_EVENT or
 *                 struct trace_event_raw_EVENT (absence there is unknown)
 *   raw tp        BTF btf_trace_EVENT
 *   nargs         vlen of the FUNC's prototype; for a raw tracepoint
 *                 (btf_trace_EVENT) that of its prototype but the first
 *                 (the tracepoint's data); for a system call wrapper
 *                 that of __do_sys_X or __se_sys_X, else the fields of
 *                 tracefs syscalls/sys_enter_X/format
 *   readlink      realpath(3), compared with the path made canonical
 *                 without following links
 * Without BTF everything BTF would answer is unknown (-1).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_resolve.h"
#include "kernel_facts.h"
#include "suggest.h"

struct host_facts {
	struct btf *btf; /* NULL without BTF */
	char events[64]; /* tracefs events directory, "" when none */
	/* BTF FUNC names and ids, sorted by name (libbpf's lookup is a scan) */
	struct func_ent *funcs;
	size_t nfuncs;
	/* text symbols of /proc/kallsyms, sorted; read on the first BTF miss */
	char **syms;
	size_t nsyms;
	int syms_state; /* 0 not read, 1 read, -1 unreadable */
	struct vigil_kernel_facts facts;
};

struct func_ent {
	const char *name; /* in hf->btf's strings */
	__u32 id;
};

static int cmp_func(const void *a, const void *b)
{
	return strcmp(((const struct func_ent *)a)->name, ((const struct func_ent *)b)->name);
}

/* Index the FUNCs of BTF by name. */
static void index_funcs(struct host_facts *hf)
{
	const struct btf_type *t;
	const char *n;
	__u32 id, cnt = btf__type_cnt(hf->btf);
	size_t k = 0;

	hf->funcs = calloc(cnt, sizeof(*hf->funcs));
	if (!hf->funcs)
		return;
	for (id = 1; id < cnt; id++) {
		t = btf__type_by_id(hf->btf, id);
		if (!t || !btf_is_func(t))
			continue;
		n = btf__name_by_offset(hf->btf, t->name_off);
		if (n && *n)
			hf->funcs[k++] = (struct func_ent){ n, id };
	}
	hf->nfuncs = k;
	qsort(hf->funcs, k, sizeof(*hf->funcs), cmp_func);
}

/* The BTF id of FUNC name, or -1. */
static int func_id(struct host_facts *hf, const char *name)
{
	struct func_ent key = { name, 0 }, *e;

	if (!hf->funcs)
		return btf__find_by_name_kind(hf->btf, name, BTF_KIND_FUNC);
	e = bsearch(&key, hf->funcs, hf->nfuncs, sizeof(*hf->funcs), cmp_func);
	return e ? (int)e->id : -1;
}

static bool btf_has(struct host_facts *hf, const char *name, __u32 kind)
{
	if (kind == BTF_KIND_FUNC)
		return func_id(hf, name) >= 0;
	return btf__find_by_name_kind(hf->btf, name, kind) >= 0;
}

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the text symbols (t or T) of /proc/kallsyms, once. */
static void load_kallsyms(struct host_facts *hf)
{
	char line[512], sym[256], type, **nv;
	unsigned long long addr;
	size_t cap = 0;
	FILE *f;

	hf->syms_state = -1;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) != 3 ||
		    (type != 't' && type != 'T'))
			continue;
		if (hf->nsyms == cap) {
			cap = cap ? cap * 2 : 4096;
			nv = realloc(hf->syms, cap * sizeof(*nv));
			if (!nv)
				break;
			hf->syms = nv;
		}
		hf->syms[hf->nsyms] = strdup(sym);
		if (!hf->syms[hf->nsyms])
			break;
		hf->nsyms++;
	}
	fclose(f);
	qsort(hf->syms, hf->nsyms, sizeof(*hf->syms), cmp_sym);
	hf->syms_state = hf->nsyms ? 1 : -1;
}

/* A text symbol named name in /proc/kallsyms: 1, 0, or -1 when the file
 * cannot be read. */
static int kallsyms_has(struct host_facts *hf, const char *name)
{
	if (hf->syms_state == 0)
		load_kallsyms(hf);
	if (hf->syms_state < 0)
		return -1;
	return bsearch(&name, hf->syms, hf->nsyms, sizeof(*hf->syms), cmp_sym) ? 1 : 0;
}

/* X of a system call wrapper "__x64_sys_X" or "__arm64_sys_X", else NULL. */
static const char *wrapper_base(const char *name)
{
	static const char *const prefixes[] = { "__x64_sys_", "__arm64_sys_", "__ia32_sys_" };
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) == 0)
			return name + n;
	}
	return NULL;
}

static int has_function(void *ctx, const char *name)
{
	struct host_facts *hf = ctx;
	const char *base;
	char alt[256];

	if (!hf->btf)
		return -1;
	if (btf_has(hf, name, BTF_KIND_FUNC))
		return 1;
	base = wrapper_base(name);
	if (base) {
		snprintf(alt, sizeof(alt), "__se_sys_%s", base);
		if (btf_has(hf, alt, BTF_KIND_FUNC))
			return 1;
		snprintf(alt, sizeof(alt), "__do_sys_%s", base);
		if (btf_has(hf, alt, BTF_KIND_FUNC))
			return 1;
	}
	return kallsyms_has(hf, name) == 1 ? 1 : 0;
}

static int has_lsm_hook(void *ctx, const char *hook)
{
	struct host_facts *hf = ctx;
	char name[256];

	if (!hf->btf)
		return -1;
	snprintf(name, sizeof(name), "bpf_lsm_%s", hook);
	return btf_has(hf, name, BTF_KIND_FUNC) ? 1 : 0;
}

/* A single path component: not empty, ".", ".." and without '/'. */
static bool component_ok(const char *s)
{
	return *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/') &&
	       strlen(s) < 128;
}

static int has_tracepoint(void *ctx, const char *subsys, const char *event)
{
	struct host_facts *hf = ctx;
	char path[PATH_MAX];
	struct stat st;

	if (!component_ok(subsys) || !component_ok(event))
		return 0;
	if (hf->events[0]) {
		snprintf(path, sizeof(path), "%s/%s/%s", hf->events, subsys, event);
		return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 1 : 0;
	}
	if (!hf->btf)
		return -1;
	snprintf(path, sizeof(path), "btf_trace_%s", event);
	if (btf_has(hf, path, BTF_KIND_TYPEDEF))
		return 1;
	snprintf(path, sizeof(path), "trace_event_raw_%s", event);
	if (btf_has(hf, path, BTF_KIND_STRUCT))
		return 1;
	return -1; /* system call events and shared classes have neither */
}

/* Raw tracepoints are the kernel's trace points themselves, each with a
 * btf_trace_EVENT typedef; syscalls/sys_enter_X has none (it is an event
 * of the raw tracepoint sys_enter). */
static int has_raw_tracepoint(void *ctx, const char *event)
{
	struct host_facts *hf = ctx;
	char name[160];

	if (!hf->btf)
		return -1;
	if (!component_ok(event))
		return 0;
	snprintf(name, sizeof(name), "btf_trace_%s", event);
	return btf_has(hf, name, BTF_KIND_TYPEDEF) ? 1 : 0;
}

static int btf_nargs(struct host_facts *hf, const char *name)
{
	const struct btf_type *t;
	int id;

	id = func_id(hf, name);
	if (id < 0)
		return -1;
	t = btf__type_by_id(hf->btf, (__u32)id);
	if (!t)
		return -1;
	t = btf__type_by_id(hf->btf, t->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t);
}

/* Fields of tracefs syscalls/sys_enter_X/format, but the common ones and
 * __syscall_nr: the system call's arguments. */
static int syscall_format_nargs(struct host_facts *hf, const char *base)
{
	char path[PATH_MAX], line[512];
	int n = 0;
	FILE *f;

	if (!hf->events[0] || !component_ok(base))
		return -1;
	snprintf(path, sizeof(path), "%s/syscalls/sys_enter_%s/format", hf->events, base);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "field:") || strstr(line, " common_") ||
		    strstr(line, "__syscall_nr"))
			continue;
		n++;
	}
	fclose(f);
	return n;
}

/* A raw tracepoint's arguments: its btf_trace_EVENT typedef points to a
 * prototype whose first parameter is the tracepoint's private data. */
static int raw_tp_nargs(struct host_facts *hf, const char *name)
{
	const struct btf_type *t;
	int id = btf__find_by_name_kind(hf->btf, name, BTF_KIND_TYPEDEF);

	if (id < 0)
		return -1;
	t = btf__type_by_id(hf->btf, (__u32)id);
	t = t ? btf__type_by_id(hf->btf, t->type) : NULL;
	t = t && btf_is_ptr(t) ? btf__type_by_id(hf->btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return -1;
	return btf_vlen(t) - 1;
}

static int function_nargs(void *ctx, const char *name)
{
	struct host_facts *hf = ctx;
	const char *base;
	char alt[256];
	int n;

	if (!hf->btf)
		return -1;
	if (!strncmp(name, "btf_trace_", 10))
		return raw_tp_nargs(hf, name);
	base = wrapper_base(name);
	if (!base)
		return btf_nargs(hf, name);
	/* the wrapper takes struct pt_regs: count the system call's own */
	snprintf(alt, sizeof(alt), "__do_sys_%s", base);
	n = btf_nargs(hf, alt);
	if (n >= 0)
		return n;
	snprintf(alt, sizeof(alt), "__se_sys_%s", base);
	n = btf_nargs(hf, alt);
	if (n >= 0)
		return n;
	return syscall_format_nargs(hf, base);
}

/* path made canonical without following links: "//", "/./" and "x/.."
 * removed.  Returns false when it does not fit. */
static bool lexical_clean(const char *path, char *out, size_t outsz)
{
	size_t len = 0, n;
	const char *p = path, *e;

	if (outsz < 2 || path[0] != '/')
		return false;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* drop the last "/component" */
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			if (len + 1 + n + 1 > outsz)
				return false;
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return true;
}

static int host_readlink(void *ctx, const char *path, char *out, size_t outsz)
{
	char real[PATH_MAX], clean[PATH_MAX];

	(void)ctx;
	if (!realpath(path, real))
		return -1;
	if (lexical_clean(path, clean, sizeof(clean)) && strcmp(clean, real) == 0)
		return 0;
	if (strlen(real) >= outsz)
		return -1;
	strcpy(out, real);
	return 1;
}

/* The closest entry of directory dir to want ("" when none). */
static bool dir_suggest(const char *dir, const char *want, char *out, size_t outsz)
{
	struct vigil_suggester sg;
	struct dirent *de;
	char best[256] = "";
	DIR *d;

	d = opendir(dir);
	if (!d)
		return false;
	vigil_suggest_init(&sg, want);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		vigil_suggest_offer(&sg, de->d_name);
		if (sg.best == de->d_name) {
			snprintf(best, sizeof(best), "%s", de->d_name);
			sg.best = best; /* d_name does not outlive readdir */
		}
	}
	closedir(d);
	if (!best[0])
		return false;
	snprintf(out, outsz, "%s", best);
	return true;
}

static int suggest(void *ctx, enum vigil_hook_kind kind, const char *name, char *out, size_t outsz)
{
	struct host_facts *hf = ctx;
	struct vigil_suggester sg;
	char subsys[256], dir[PATH_MAX + 300], sug[256];
	const char *n, *slash;
	size_t i;

	if (kind == VIGIL_HOOK_TRACEPOINT) {
		slash = strchr(name, '/');
		if (!hf->events[0] || !slash || (size_t)(slash - name) >= sizeof(subsys))
			return 0;
		memcpy(subsys, name, (size_t)(slash - name));
		subsys[slash - name] = '\0';
		if (!component_ok(subsys))
			return 0;
		snprintf(dir, sizeof(dir), "%s/%s", hf->events, subsys);
		if (access(dir, F_OK) == 0) {
			if (!dir_suggest(dir, slash + 1, sug, sizeof(sug)))
				return 0;
			snprintf(out, outsz, "%s/%s", subsys, sug);
			return 1;
		}
		if (!dir_suggest(hf->events, subsys, sug, sizeof(sug)))
			return 0;
		snprintf(out, outsz, "%s/%s", sug, slash + 1);
		return 1;
	}
	if (!hf->btf || !hf->funcs)
		return 0;
	vigil_suggest_init(&sg, name);
	for (i = 0; i < hf->nfuncs; i++) {
		n = hf->funcs[i].name;
		if (kind == VIGIL_HOOK_LSM) {
			if (strncmp(n, "bpf_lsm_", 8) != 0)
				continue;
			n += 8;
		}
		vigil_suggest_offer(&sg, n); /* BTF strings live as long as hf->btf */
	}
	if (!sg.best)
		return 0;
	snprintf(out, outsz, "%s", sg.best);
	return 1;
}

struct host_facts *host_facts_open(void)
{
	static const char *const tracefs[] = { "/sys/kernel/tracing/events",
					       "/sys/kernel/debug/tracing/events" };
	libbpf_print_fn_t print;
	struct host_facts *hf;
	struct stat st;
	size_t i;

	hf = calloc(1, sizeof(*hf));
	if (!hf)
		return NULL;
	print = libbpf_set_print(NULL);	   /* a missing BTF is a fact, not a message */
	hf->btf = btf__load_vmlinux_btf(); /* libbpf 1.x: NULL and errno when absent */
	libbpf_set_print(print);
	if (hf->btf)
		index_funcs(hf);
	for (i = 0; i < sizeof(tracefs) / sizeof(tracefs[0]); i++) {
		if (stat(tracefs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(hf->events, sizeof(hf->events), "%s", tracefs[i]);
			break;
		}
	}
	hf->facts = (struct vigil_kernel_facts){
		.ctx = hf,
		.has_function = has_function,
		.has_lsm_hook = has_lsm_hook,
		.has_tracepoint = has_tracepoint,
		.has_raw_tracepoint = has_raw_tracepoint,
		.function_nargs = function_nargs,
		.readlink = host_readlink,
		.suggest = suggest,
	};
	return hf;
}

const struct vigil_kernel_facts *host_facts_get(struct host_facts *hf)
{
	return &hf->facts;
}

void host_facts_close(struct host_facts *hf)
{
	size_t i;

	if (!hf)
		return;
	for (i = 0; i < hf->nsyms; i++)
		free(hf->syms[i]);
	free(hf->syms);
	free(hf->funcs);
	btf__free(hf->btf);
	free(hf);
}

/* The prototype of the function a hook's arguments are those of; *skip is
 * how many leading parameters its arguments do not count (a raw
 * tracepoint's private data). */
static const struct btf_type *hook_proto(struct host_facts *hf, const struct vigil_hook *h,
					 unsigned *skip, char *why, size_t whysz)
{
	const struct btf_type *t = NULL;
	char name[160];
	int id = -1;

	*skip = 0;
	if (h->kind == VIGIL_HOOK_KPROBE && !h->syscall) {
		id = func_id(hf, h->call);
	} else if (h->kind == VIGIL_HOOK_LSM) {
		snprintf(name, sizeof(name), "bpf_lsm_%s", h->call);
		id = func_id(hf, name);
	} else if (h->kind == VIGIL_HOOK_TRACEPOINT && h->raw) {
		snprintf(name, sizeof(name), "btf_trace_%s", h->call);
		id = btf__find_by_name_kind(hf->btf, name, BTF_KIND_TYPEDEF);
		t = id >= 0 ? btf__type_by_id(hf->btf, (__u32)id) : NULL;
		t = t ? btf__type_by_id(hf->btf, t->type) : NULL; /* the pointer */
		id = t && btf_is_ptr(t) ? (int)t->type : -1;
		*skip = 1;
	} else {
		snprintf(why, whysz,
			 "resolve reads kernel structures: it needs a kernel function, "
			 "an LSM hook or a raw tracepoint (raw: true), not %s",
			 h->kind == VIGIL_HOOK_KPROBE ? "a system call's arguments"
						      : "a tracepoint's fields");
		return NULL;
	}
	if (id >= 0) {
		t = btf__type_by_id(hf->btf, (__u32)id);
		if (t && btf_is_func(t))
			t = btf__type_by_id(hf->btf, t->type);
	}
	if (!t || !btf_is_func_proto(t)) {
		snprintf(why, whysz, "the kernel's BTF has no prototype for %s", h->call);
		return NULL;
	}
	return t;
}

int host_facts_resolve_arg(void *ctx, const struct vigil_hook *h, unsigned index, const char *path,
			   struct vigil_resolve *out, char *why, size_t whysz)
{
	struct host_facts *hf = ctx;
	const struct btf_type *proto;
	unsigned skip;

	if (!hf->btf) {
		snprintf(why, whysz, "resolve needs the kernel's BTF (/sys/kernel/btf/vmlinux)");
		return -EINVAL;
	}
	proto = hook_proto(hf, h, &skip, why, whysz);
	if (!proto)
		return -EINVAL;
	if (index + skip >= btf_vlen(proto)) {
		snprintf(why, whysz, "%s has no argument %u", h->call, index);
		return -EINVAL;
	}
	return vigil_btf_resolve(hf->btf, btf_params(proto)[index + skip].type, path, out, why,
				 whysz);
}
