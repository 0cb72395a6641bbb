// SPDX-License-Identifier: Apache-2.0
/*
 * compile_tp.c - spec.tracepoints: the attach point "subsys/event" and
 * where in the tracepoint's record each argument is read.
 *
 * args[].index names a field of the event's format, numbered as the
 * format file lists them, the common_* fields included (so 6 is filename
 * and 7 flags for syscalls/sys_enter_openat), as Tetragon numbers them.
 * The kernel facts come through f->tracepoint_field.  A policy type reads
 * a field so:
 *   integers  a field of 1, 2, 4 or 8 bytes at least as wide as the type,
 *             read with the type's width and sign: its low bytes on these
 *             little-endian machines, so an int in a system call's 8-byte
 *             slot reads as an int (-100 for AT_FDCWD, not 4294967196)
 *   string    a char * field: user memory for a system call's arguments
 *             (syscalls/sys_enter_*), kernel memory otherwise; or a
 *             __data_loc char[] field: bytes kept in the record itself
 * Anything else is refused with the field and its C type named.  Raw
 * tracepoints (raw: true) are not laid out here: their arguments are those
 * of the prototype, read as a kprobe's (compile.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "compile_tp.h"
#include "values.h"

struct tpc {
	const struct vigil_policy *p;
	const struct vigil_kernel_features *f;
	const struct vigil_hook *h;
	struct vigil_diags *ds;
	char path[48];		      /* "spec.tracepoints[N]" */
	char name[VIGIL_QUOTE_BUFSZ]; /* "subsys/event", quoted */
	bool user_ptrs;		      /* pointers in the record are the caller's (sys_enter_*) */
	int err;
};

/* A diagnostic at pos, its path the hook's followed by sub (".event"...). */
__attribute__((format(printf, 5, 6))) static void say(struct tpc *t, enum vigil_severity sev,
						      struct vigil_pos pos, const char *sub,
						      const char *fmt, ...)
{
	char msg[512], path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s%s", t->path, sub);
	vigil_diag_add(t->ds, sev, t->p->file, pos, path, "%s", msg);
	if (sev == VIGIL_DIAG_ERROR)
		t->err = -EINVAL;
}

static int field(struct tpc *t, unsigned index, struct vigil_tp_field *out)
{
	const struct vigil_kernel_features *f = t->f;

	memset(out, 0, sizeof(*out));
	if (!f->tracepoint_field)
		return -ENOSYS;
	return f->tracepoint_field(f->tracepoint_ctx, t->h->subsystem, t->h->call, index, out);
}

/* Why a format could not be read. */
static const char *why(int ret)
{
	switch (ret) {
	case -ENOSYS:
		return "tracepoint formats are not available here";
	case -ENODEV:
		return "tracefs is not mounted";
	case -EINVAL:
	case -E2BIG:
		return "its format file is not in the form vigil reads";
	default:
		return strerror(-ret);
	}
}

/* "const char *" or "char *": a NUL-terminated string by pointer. */
static bool is_char_ptr(const char *type)
{
	if (!strncmp(type, "const ", 6))
		type += 6;
	return !strcmp(type, "char *");
}

static bool is_array(const struct vigil_tp_field *fl)
{
	return !fl->data_loc && strchr(fl->type, '[');
}

/* Lay out args[i] on field fl (NULL when the format is unknown). */
static void lay_out(struct tpc *t, size_t i, const struct vigil_tp_field *fl,
		    struct vigil_hook_arg *ha)
{
	const struct vigil_arg *a = &t->h->args[i];
	const char *tn = a->type_name ? a->type_name : "?";
	char sub[48], fq[VIGIL_QUOTE_BUFSZ], tq[VIGIL_QUOTE_BUFSZ];
	unsigned bytes;

	memset(ha, 0, sizeof(*ha));
	ha->index = (uint8_t)i; /* the entry program fills raw[slot] */
	snprintf(sub, sizeof(sub), ".args[%zu].type", i);
	vigil_quote_str(tn, tq, sizeof(tq));
	if (fl) {
		vigil_quote_str(fl->name, fq, sizeof(fq));
		ha->off = (uint16_t)fl->offset;
	}
	if (vigil_arg_type_is_int(a->type)) {
		bytes = vigil_arg_type_bits(a->type) / 8;
		ha->type = VIGIL_AT_INT;
		ha->width = (uint8_t)bytes;
		if (vigil_arg_type_is_signed(a->type))
			ha->flags |= VIGIL_ARG_F_SIGNED;
		if (!fl)
			return;
		if (fl->data_loc || is_array(fl) ||
		    (fl->size != 1 && fl->size != 2 && fl->size != 4 && fl->size != 8))
			say(t, VIGIL_DIAG_ERROR, a->type_pos, sub,
			    "type %s does not fit field %u %s (%s): an integer is read from "
			    "a field of 1, 2, 4 or 8 bytes",
			    tq, a->index, fq, fl->type);
		else if (bytes > fl->size)
			say(t, VIGIL_DIAG_ERROR, a->type_pos, sub,
			    "type %s does not fit field %u %s (%s): the type has %u bytes, the "
			    "field %u",
			    tq, a->index, fq, fl->type, bytes, fl->size);
		return;
	}
	if (a->type != VIGIL_ARG_STRING) {
		say(t, VIGIL_DIAG_ERROR, a->type_pos, sub,
		    "type %s is not supported on tracepoints by vigil yet: a tracepoint's fields "
		    "are read as integers or strings",
		    tq);
		return;
	}
	ha->type = VIGIL_AT_STRING;
	ha->width = 8;
	if (!fl) {
		if (t->user_ptrs)
			ha->flags |= VIGIL_ARG_F_USER;
		return;
	}
	ha->width = (uint8_t)(fl->size <= 8 ? fl->size : 8);
	if (fl->data_loc && !strcmp(fl->type, "__data_loc char[]")) {
		ha->flags |= VIGIL_ARG_F_DATALOC;
	} else if (is_char_ptr(fl->type) && fl->size == 8) {
		if (t->user_ptrs)
			ha->flags |= VIGIL_ARG_F_USER;
	} else if (!strncmp(fl->type, "__rel_loc ", 10)) {
		say(t, VIGIL_DIAG_ERROR, a->type_pos, sub,
		    "type %s does not fit field %u %s (%s): __rel_loc fields are not supported by "
		    "vigil yet",
		    tq, a->index, fq, fl->type);
	} else {
		say(t, VIGIL_DIAG_ERROR, a->type_pos, sub,
		    "type %s does not fit field %u %s (%s): a string is read from a char * or "
		    "__data_loc char[] field%s",
		    tq, a->index, fq, fl->type,
		    is_array(fl) ? ", not from an array in the record" : "");
	}
}

int vigil_compile_tracepoint(const struct vigil_policy *p, const struct vigil_kernel_features *f,
			     const struct vigil_hook *h, struct vigil_plan_hook *ph,
			     struct vigil_diags *ds)
{
	struct tpc t = { .p = p, .f = f, .h = h, .ds = ds };
	const char *subsys = h->subsystem ? h->subsystem : "";
	struct vigil_tp_field fl;
	bool known = true;
	char sub[48];
	size_t i;
	int ret;

	snprintf(t.path, sizeof(t.path), "spec.tracepoints[%u]", h->spec_index);
	ph->attach = VIGIL_ATTACH_TRACEPOINT;
	if ((size_t)snprintf(ph->target, sizeof(ph->target), "%s/%s", subsys, h->call) >=
	    sizeof(ph->target)) {
		say(&t, VIGIL_DIAG_ERROR, h->call_pos, ".event",
		    "the tracepoint name is longer than %zu bytes", sizeof(ph->target) - 1);
		return t.err;
	}
	vigil_quote_str(ph->target, t.name, sizeof(t.name));
	t.user_ptrs = !strcmp(subsys, "syscalls") && !strncmp(h->call, "sys_enter_", 10);
	ret = field(&t, 0, &fl);
	if (ret == -ENOENT) {
		say(&t, VIGIL_DIAG_ERROR, h->call_pos, ".event",
		    "tracepoint %s does not exist in this kernel", t.name);
		return t.err;
	}
	if (ret && ret != -ERANGE) {
		if (!f->tracepoint_unknown_ok) {
			say(&t, VIGIL_DIAG_ERROR, h->call_pos, ".event",
			    "cannot read the format of tracepoint %s: %s", t.name, why(ret));
			return t.err;
		}
		say(&t, VIGIL_DIAG_WARNING, h->call_pos, ".event",
		    "tracepoint %s cannot be checked here: %s%s", t.name, why(ret),
		    ret == -EACCES || ret == -EPERM ? " (reading tracefs needs root)" : "");
		known = false;
	}
	snprintf(ph->how, sizeof(ph->how), "tracepoint %s%s", ph->target,
		 known ? "" : " (format not read: field offsets unknown)");
	for (i = 0; i < h->nargs && i < VIGIL_HOOK_ARGS; i++) {
		const struct vigil_arg *a = &h->args[i];

		ret = known ? field(&t, a->index, &fl) : 0;
		if (ret == -ERANGE) {
			snprintf(sub, sizeof(sub), ".args[%zu].index", i);
			say(&t, VIGIL_DIAG_ERROR, a->index_pos, sub,
			    "index %u is out of range: tracepoint %s has %u fields "
			    "(numbered from 0, common_* fields included)",
			    a->index, t.name, fl.nfields);
			continue;
		}
		if (ret) {
			say(&t, VIGIL_DIAG_ERROR, h->call_pos, ".event",
			    "cannot read the format of tracepoint %s: %s", t.name, why(ret));
			return t.err;
		}
		lay_out(&t, i, known ? &fl : NULL, &ph->cfg.args[i]);
	}
	return t.err;
}
