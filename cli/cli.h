/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the commands of the vigil CLI.  Each returns the process exit
 * status: 0 success, 1 failure, 2 usage error.
 */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#define VIGIL_VERSION "0.1.0"

/* vigil policy SUBCOMMAND ... (argv[0] is "policy") */
int cmd_policy(int argc, char **argv);

/* vigil policy lint [--quiet] FILE... (argv[0] is "lint") */
int cmd_policy_lint(int argc, char **argv);

#endif
