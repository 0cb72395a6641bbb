/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the commands of the vigil CLI.  Each returns the process exit
 * status: 0 success, 1 failure, 2 usage error.
 */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "rpc.h"
#include "server.h"
#include "version.h"

/* vigil policy SUBCOMMAND ... (argv[0] is "policy") */
int cmd_policy(int argc, char **argv);

/* vigil policy lint [--quiet] FILE... (argv[0] is "lint") */
int cmd_policy_lint(int argc, char **argv);

/* vigil getevents [OPTION]... (argv[0] is "getevents") */
int cmd_getevents(int argc, char **argv);

/* vigil tracingpolicy|tp SUBCOMMAND ... (argv[0] is the command's name) */
int cmd_tracingpolicy(int argc, char **argv);

/* vigil status, vigil version, vigil probe (argv[0] is the command) */
int cmd_status(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_probe(int argc, char **argv);

struct vigil_kernel_features;
struct vigil_policy;
struct vigil_plan;

/* The features of the kernel to explain a policy for (vigild's probe when
 * root, else assumed); desc says which. */
void explain_features(struct vigil_kernel_features *kf, char *desc, size_t descsz);

/* Print what the plan loads: hooks, attach points, selectors, value sets. */
void explain_plan(FILE *out, const struct vigil_policy *p, const struct vigil_plan *plan,
		  const char *kernel);

/* --- talking to vigild (common.c) ------------------------------------------ */

/* The address every command that talks to vigild takes (--server-address). */
#define CLI_DEFAULT_ADDRESS VIGIL_SERVER_DEFAULT_ADDRESS

/* How long a unary call may take; adding a policy loads BPF programs, which
 * a slow machine verifies for a while. */
#define CLI_TIMEOUT_MS	   30000
#define CLI_ADD_TIMEOUT_MS 300000

/*
 * "vigil CMD: " and text on stderr, every line escaped (text comes from
 * vigild, or from a file): control characters, invalid UTF-8 and
 * bidirectional overrides never reach the terminal raw.  When file is
 * given (a policy sent to vigild), each line that starts with the name
 * vigild gives such a policy ("<grpc>") names file instead, and an
 * INVALID_ARGUMENT status is not named: the lines are the policy's
 * diagnostics, as `vigil policy lint` prints them.
 */
void cli_error(const char *cmd, const char *text, const char *file);

/*
 * Call unary method m of vigild at address with req; the answer, unpacked
 * into a, at *resp.  On failure one message on stderr (cli_error(), file as
 * there) and the errno (client.h).
 */
int cli_call(const char *cmd, const char *address, enum vigil_rpc_method m,
	     const ProtobufCMessage *req, struct vigil_arena *a, ProtobufCMessage **resp,
	     long timeout_ms, const char *file);

/* getopt_long's value for --server-address in every command. */
#define CLI_OPT_ADDRESS 0x1000

/* One line on err for what getopt_long (optstring starting with ':',
 * opterr 0) returned: an unknown option or one without its value. */
void cli_bad_option(FILE *err, const char *cmd, int c, char **argv);

/* --- vigil getevents's command line (getevents_args.c) ---------------------- */

enum cli_output { CLI_OUT_JSON, CLI_OUT_COMPACT };

struct cli_getevents {
	const char *address;
	enum cli_output output;
	struct vigil_arena arena; /* owns the request's parts */
	Tetragon__GetEventsRequest *req;
	Tetragon__Filter *filter; /* the one allow_list filter, when any flag set it */
};

/*
 * Parse vigil getevents's arguments into g: 0, 1 when --help was printed
 * (to out), or -EINVAL after one message on err.  cli_getevents_free()
 * releases g in every case.
 */
int cli_getevents_parse(int argc, char **argv, struct cli_getevents *g, FILE *out, FILE *err);
void cli_getevents_free(struct cli_getevents *g);

/* --- tp add --mode (yaml_mode.c) --------------------------------------------- */

/*
 * The policy text with spec.options' policy-mode set to mode ("enforce" or
 * "monitor"), as Tetragon's `tetra tp add --mode` sets it: an existing
 * value is replaced in place, otherwise the option is added at the end of
 * spec.options or, without options, at the end of spec; the lines before
 * what is added keep their numbers.  0 and *out (malloc'd, *outlen bytes),
 * or -EINVAL with err saying why (not a mapping with a block spec, ...).
 */
int cli_yaml_set_mode(const char *text, size_t len, const char *mode, char **out, size_t *outlen,
		      char *err, size_t errsz);

#endif
