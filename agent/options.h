/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.h - vigild's command line: parsing, validation and --help.
 */
#ifndef VIGIL_OPTIONS_H
#define VIGIL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "process.h"

enum vigil_stdout_mode {
	VIGIL_STDOUT_DEFAULT,
	VIGIL_STDOUT_JSON,
	VIGIL_STDOUT_COMPACT,
	VIGIL_STDOUT_NONE
};

#define VIGIL_DEFAULT_BPF_DIR	  "/sys/fs/bpf/vigil"
#define VIGIL_DEFAULT_STATE_DIR	  "/run/vigil"
#define VIGIL_DEFAULT_GC_INTERVAL 30000 /* ms */
#define VIGIL_DEFAULT_POLICY_DIR  "/etc/vigil/tracing-policy.d"
#define VIGIL_POLICY_FILES_MAX	  64
#define VIGIL_DEFAULT_SERVER	  "unix:/run/vigil/vigil.sock"

struct vigil_options {
	enum vigil_stdout_mode mode; /* resolved: never DEFAULT after parsing */
	const char *export_path, *ready_path, *stats_path;
	const char *bpf_dir, *state_dir;
	const char *policy_files[VIGIL_POLICY_FILES_MAX]; /* --tracing-policy */
	unsigned npolicy_files;
	const char *policy_dir; /* --tracing-policy-dir */
	bool policy_dir_given;
	bool watch_policy_dir;		    /* follow it after start (default) */
	char node[VIGIL_NODE_NAME_MAX + 1]; /* "" until resolved by the caller */
	uint32_t rb_size;		    /* 0: the default */
	uint32_t gc_interval_ms;
	bool no_creds, no_ns;
	bool network; /* --enable-network-events */
	bool seed, verbose;
	bool probe_only, probe_json;
	const char *server_address; /* the gRPC API's; "" for none */
	const char *export_allow;   /* --export-allowlist: filter JSON, one per line */
	const char *export_deny;    /* --export-denylist */
	bool k8s;		    /* --k8s */
	const char *kubeconfig;	    /* --kubeconfig; NULL: in-cluster */
};

/*
 * Parse argv into o.  Returns 0 to run, 1 when --help was printed (exit 0),
 * or -EINVAL after printing one message on stderr (exit 2).
 */
int vigil_options_parse(int argc, char **argv, struct vigil_options *o);

/* Check and set the node name: at most VIGIL_NODE_NAME_MAX bytes of valid
 * UTF-8.  0 or -EINVAL with a message naming what (from) gave it. */
int vigil_options_set_node(struct vigil_options *o, const char *name, const char *from);

/* The smallest ring buffer that holds the largest event. */
uint32_t vigil_rb_size_min(void);

void vigil_options_usage(FILE *f);

#endif
