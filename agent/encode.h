/* SPDX-License-Identifier: Apache-2.0 */
/*
 * encode.h - turn cache records into output: Tetragon's export JSON
 * (GetEventsResponse in protojson form, snake_case names) or one compact
 * human line per event.
 */
#ifndef VIGIL_ENCODE_H
#define VIGIL_ENCODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "process.h"

enum vigil_out_kind {
	VIGIL_OUT_EXEC,
	VIGIL_OUT_EXIT,
	VIGIL_OUT_POLICY, /* process_kprobe, process_lsm or process_tracepoint */
};

/* One argument of a policy event. */
struct vigil_out_arg {
	int type;	       /* enum vigil_abi_arg */
	const char *type_name; /* as the policy wrote it: picks int_arg, size_arg... */
	const char *label;     /* NULL when none */
	uint64_t num;
	const char *str;
	const void *bin; /* char_buf, cred, sock, sockaddr (see vigil_policy_arg_info) */
	size_t bin_len;
	bool truncated;
};

enum vigil_out_policy_kind {
	VIGIL_OUT_KPROBE = 0,
	VIGIL_OUT_TRACEPOINT,
	VIGIL_OUT_LSM,
};

struct vigil_out_policy {
	enum vigil_out_policy_kind kind;
	const char *policy_name;
	const char *function_name; /* a tracepoint's event */
	const char *subsys;	   /* a tracepoint's subsystem */
	const char *message;	   /* NULL when none */
	char *const *tags;
	size_t ntags;
	uint32_t action; /* VIGIL_ACTION_* of the selector that matched */
	bool monitor;	 /* reported, not taken */
	size_t nargs;
	struct vigil_out_arg args[8];
	bool has_ret; /* a return probe's returnArg */
	struct vigil_out_arg ret;
};

/* The action an event names: the strongest of the selector's actions. */
const char *vigil_action_name(uint32_t actions);

struct vigil_encode_ctx {
	const char *node_name;
	uint64_t boot_wall_ns;		  /* wall-clock ns at CLOCK_MONOTONIC zero */
	uint32_t host_ns[VIGIL_NS_COUNT]; /* pid 1's namespaces, for is_host */
	bool no_creds; /* omit cap and process_credentials (--enable-process-cred=false) */
	bool no_ns;    /* omit ns (--enable-process-ns=false) */
};

struct vigil_out_event {
	enum vigil_out_kind kind;
	struct vigil_process *proc;	    /* not const: the encoder caches its JSON */
	uint64_t ktime;			    /* when it happened, CLOCK_MONOTONIC ns */
	uint32_t exit_code;		    /* VIGIL_OUT_EXIT: status << 8 | signal */
	const struct vigil_out_policy *pol; /* VIGIL_OUT_POLICY */
};

/* Tetragon's ProcessPrivilegesChanged values. */
enum vigil_priv_change {
	VIGIL_PRIV_RAISED_EXEC_FILE_CAP = 1,
	VIGIL_PRIV_RAISED_EXEC_FILE_SETUID = 2,
	VIGIL_PRIV_RAISED_EXEC_FILE_SETGID = 3,
};

/* Tetragon's BinaryProperties, derived from what exec ran and the creds it
 * gave.  present is false when there is nothing to say (then the message is
 * left out, as Tetragon does). */
struct vigil_binary_props {
	bool present;
	bool has_setuid, has_setgid;
	uint32_t setuid, setgid;
	int nprivs;
	enum vigil_priv_change privs[3];
	bool fileless; /* the executed file has no link left (memfd, deleted) */
	uint64_t ino;
	uint32_t links;
};

void vigil_binary_props(const struct vigil_process *p, struct vigil_binary_props *out);
const char *vigil_priv_change_name(enum vigil_priv_change c);

/* base64("node:ktime:pid"), as Tetragon's exec_id; out needs
 * VIGIL_EXEC_ID_MAX bytes for any node name of up to VIGIL_NODE_NAME_MAX. */
#define VIGIL_EXEC_ID_MAX 400
void vigil_exec_id(const char *node, uint64_t ktime, uint32_t pid, char *out, size_t outsz);

/* RFC 3339 UTC with 0, 3, 6 or 9 fractional digits, as protojson writes. */
void vigil_format_time(uint64_t wall_ns, char *buf, size_t len);

/* The same for a protobuf Timestamp (seconds since the epoch, nanoseconds).
 * 0, or -EINVAL (and "") outside years 1 to 9999 or for nsec >= 10^9, which
 * protojson refuses too. */
int vigil_format_timestamp(int64_t secs, uint32_t nsec, char *buf, size_t len);

/* Process flags (VIGIL_PF_*) as Tetragon's space-separated words
 * ("execve rootcwd"); returns the length written.  160 bytes hold them all. */
size_t vigil_flags_text(uint32_t flags, char *buf, size_t len);

/* The KprobeArgument field an integer argument goes in, by the type name the
 * policy wrote, as Tetragon picks it. */
enum vigil_int_arg {
	VIGIL_INT_ARG_INT,  /* int_arg (int32) */
	VIGIL_INT_ARG_UINT, /* uint_arg (uint32) */
	VIGIL_INT_ARG_SIZE, /* size_arg (uint64) */
	VIGIL_INT_ARG_LONG, /* long_arg (int64) */
};
enum vigil_int_arg vigil_int_arg_kind(const char *type_name);

/* name, or v in decimal in buf when name is NULL (a socket family, type,
 * protocol or state with no name). */
const char *vigil_name_or_number(const char *name, unsigned int v, char *buf, size_t len);

/* A socket address as text (INET6_ADDRSTRLEN bytes): IPv4 for an
 * IPv4-mapped one. */
void vigil_format_addr(const uint8_t a[16], char *buf, size_t len);

/* "SIGKILL" for a signal number; "" for 0. */
void vigil_signal_name(int sig, char *buf, size_t len);

/* Name of a capability in Tetragon's CapabilitiesType enum (its spelling:
 * DAC_OVERRIDE has no CAP_ prefix there), or NULL. */
const char *vigil_cap_enum_name(unsigned int cap);

/* One JSON object and a newline. 0 or -EIO / -ENOMEM. */
int vigil_write_json(FILE *out, const struct vigil_encode_ctx *ctx,
		     const struct vigil_out_event *ev);

/* One compact line. 0 or -EIO. */
int vigil_write_compact(FILE *out, const struct vigil_encode_ctx *ctx,
			const struct vigil_out_event *ev);

#endif
