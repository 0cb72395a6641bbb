/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the commands of the vigil CLI.  Each returns the process exit
 * status: 0 success, 1 failure, 2 usage error.
 */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stddef.h>
#include <stdio.h>

#define VIGIL_VERSION "0.1.0"

/* vigil policy SUBCOMMAND ... (argv[0] is "policy") */
int cmd_policy(int argc, char **argv);

/* vigil policy lint [--quiet] FILE... (argv[0] is "lint") */
int cmd_policy_lint(int argc, char **argv);

struct vigil_kernel_features;
struct vigil_policy;
struct vigil_plan;

/* The features of the kernel to explain a policy for (vigild's probe when
 * root, else assumed); desc says which. */
void explain_features(struct vigil_kernel_features *kf, char *desc, size_t descsz);

/* Print what the plan loads: hooks, attach points, selectors, value sets. */
void explain_plan(FILE *out, const struct vigil_policy *p, const struct vigil_plan *plan,
		  const char *kernel);

#endif
