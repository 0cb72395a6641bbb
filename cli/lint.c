// SPDX-License-Identifier: Apache-2.0
/*
 * lint.c - vigil policy lint [--quiet] [--explain] FILE...
 *
 * Each file is read (at most VIGIL_YAML_MAX_BYTES), parsed, validated
 * against this host's kernel (kernel_facts.c) and compiled as vigild
 * compiles it: for a kernel with every feature, so that what vigil does not
 * implement is found on any host, or with --explain for this kernel, whose
 * plan is then printed (explain.c).  Every diagnostic goes to stderr,
 * "FILE: ok" to stdout for each valid file (not with --quiet).
 * Exit status: 0 when every file is valid (warnings allowed), 1 when any
 * has an error, 2 on a usage error.  Needs no privileges.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "kernel_facts.h"
#include "parse.h"
#include "plan.h"
#include "readfile.h"
#include "tracefs.h"
#include "validate.h"
#include "yaml_doc.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil policy lint [--quiet] [--explain] FILE...\n"
		   "\n"
		   "Check TracingPolicy files as vigild loads them: the YAML, every field\n"
		   "against Tetragon's schema and what vigil supports, the values, and the\n"
		   "kernel functions, LSM hooks and tracepoints of this host.  Problems go to\n"
		   "stderr as FILE:LINE:COLUMN: FIELD: MESSAGE.\n"
		   "\n"
		   "  -q, --quiet   do not print \"FILE: ok\" for valid files\n"
		   "  -e, --explain print what each valid policy becomes on this kernel: each\n"
		   "                hook and what it attaches to (with fallbacks), its\n"
		   "                selectors, the value-set entries and their kernel memory\n"
		   "                (probing the kernel needs root; without it a kernel with\n"
		   "                BPF-LSM and kprobes is assumed)\n"
		   "  -h, --help    show this help\n"
		   "\n"
		   "exit status: 0 all files valid (warnings allowed), 1 errors, 2 usage\n");
}

static void print_diags(const struct vigil_diags *ds)
{
	char line[4096];
	size_t i;

	for (i = 0; i < ds->n; i++) {
		vigil_diag_format(&ds->d[i], line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
}

/* What vigild would compile for; kernel says which kernel that is. */
struct target {
	struct vigil_kernel_features f;
	char kernel[160];
	bool explain;
};

/* Lint one file: 0 valid, 1 errors. */
static int lint_one(const char *path, const struct vigil_kernel_facts *k, const struct target *t,
		    bool quiet)
{
	struct vigil_diags ds = { 0 };
	struct vigil_policy *p = NULL;
	struct vigil_plan plan;
	char *text = NULL, *name;
	size_t len = 0;
	int rc;

	rc = vigil_read_file(path, VIGIL_YAML_MAX_BYTES, false, &text, &len);
	if (rc == -EFBIG) {
		vigil_diag_add(&ds, VIGIL_DIAG_ERROR, path, (struct vigil_pos){ 0, 0 }, NULL,
			       "the file is larger than %u MiB", VIGIL_YAML_MAX_BYTES >> 20);
	} else if (rc) {
		vigil_diag_add(&ds, VIGIL_DIAG_ERROR, path, (struct vigil_pos){ 0, 0 }, NULL,
			       "cannot read the file: %s", strerror(-rc));
	} else if (vigil_policy_parse(path, text, len, &p, &ds) == 0 &&
		   vigil_policy_validate(p, k, &ds) == 0 && !ds.nerrors &&
		   vigil_policy_compile(p, &t->f, 1, &plan, &ds) == 0) {
		if (t->explain)
			explain_plan(stdout, p, &plan, t->kernel);
		vigil_plan_free(&plan);
	}
	print_diags(&ds);
	rc = ds.nerrors ? 1 : 0;
	if (!rc && !quiet) {
		name = vigil_escape_dup(path);
		printf("%s: ok\n", name ? name : "?");
		free(name);
	}
	vigil_policy_free(p);
	vigil_diags_free(&ds);
	free(text);
	return rc;
}

int cmd_policy_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "explain", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct host_facts *hf;
	struct target t = { .explain = false };
	bool quiet = false;
	int c, i, rc = 0;

	argv[0] = (char *)"vigil policy lint"; /* getopt's messages name it */
	optind = 1;
	while ((c = getopt_long(argc, argv, "qeh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'e':
			t.explain = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (t.explain) {
		explain_features(&t.f, t.kernel, sizeof(t.kernel));
	} else {
		/* Every feature: what fails then is what vigil does not do. */
		t.f.lsm = t.f.kprobes = t.f.exec_tracepoint = t.f.signal = t.f.cgroup_connect =
			true;
		t.f.syscall_prefix = "__x64_sys_";
	}
	/* Tracepoint fields from this host's tracefs, which only root may
	 * read: a format that cannot be read is a warning. */
	t.f.tracepoint_field = vigil_tracefs_field;
	t.f.tracepoint_unknown_ok = true;
	hf = host_facts_open();
	if (!hf) {
		fprintf(stderr, "vigil policy lint: out of memory\n");
		return 1;
	}
	t.f.resolve_arg = host_facts_resolve_arg;
	t.f.resolve_arg_ctx = hf;
	for (i = optind; i < argc; i++)
		rc |= lint_one(argv[i], host_facts_get(hf), &t, quiet);
	host_facts_close(hf);
	fflush(stdout);
	return rc;
}
