/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.h - decoding of the ring-buffer messages defined in vigil_abi.h into
 * plain C values.  No BPF, no allocation: safe to unit-test on any input.
 */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "vigil_abi.h"

#define VIGIL_ARGS_TEXT_MAX (VIGIL_ARGS_MAX * 2)

struct vigil_exec_info {
	const struct vigil_exec_event *raw; /* fixed fields, valid while the message is */
	char binary[PATH_MAX];
	char cwd[PATH_MAX];
	char args[VIGIL_ARGS_TEXT_MAX]; /* argv[1..] joined with spaces */
	char cgroup_leaf[VIGIL_CGRP_NAME_MAX];
	char cgroup_parent[VIGIL_CGRP_NAME_MAX];
};

/* A policy event's arguments, strings sanitised to UTF-8. */
struct vigil_policy_arg_info {
	__u8 slot;
	__u8 type; /* enum vigil_abi_arg */
	bool truncated;
	__u64 num;
	char str[VIGIL_PATH_BUF * 3]; /* worst case: every byte becomes U+FFFD */
	/* char_buf, cred, sock, sockaddr: the bytes as sent (into the message,
	 * valid while it is); a cred's and a socket's have their struct's size */
	const void *bin;
	size_t bin_len;
};

struct vigil_policy_event_info {
	const struct vigil_policy_event *raw; /* fixed fields, valid while the message is */
	size_t nargs;
	struct vigil_policy_arg_info args[VIGIL_HOOK_ARGS];
};

/* Type of a message, after checking its header; negative errno if malformed. */
int vigil_msg_type(const void *data, size_t size);

/* Decode an exec message.  Returns 0 or -EINVAL (malformed, with nothing
 * half-decoded that the caller may use). */
int vigil_decode_exec(const void *data, size_t size, struct vigil_exec_info *out);
int vigil_decode_clone(const void *data, size_t size, const struct vigil_clone_event **out);
int vigil_decode_exit(const void *data, size_t size, const struct vigil_exit_event **out);
/* Decode a policy event: every argument record must lie inside the message
 * and every string be NUL-terminated within its record.  0 or -EINVAL. */
int vigil_decode_policy(const void *data, size_t size, struct vigil_policy_event_info *out);

/*
 * Join NUL-terminated components stored leaf first into "/a/b/c".  An empty
 * list gives "/".  A path that lost its root side (cut: the kernel's walk
 * stopped short; or out is too small) keeps its leaf and starts with the
 * marker ".../" instead, so it never looks absolute.  Returns 0, or
 * -ENAMETOOLONG when the result is cut ("" when not even the leaf fits).
 */
int vigil_join_reversed_path(const char *comps, size_t len, bool cut, char *out, size_t outsz);

/* argv block (NUL separated, argv[0] first) -> argv[1..] joined by spaces,
 * an argument holding a space wrapped in double quotes (as Tetragon does).
 * A last argument without its NUL was cut at a byte limit: a character cut
 * in two at its end is dropped (vigil_utf8_trim_partial()).
 * Returns 0, or -ENAMETOOLONG (out truncated). */
int vigil_join_args(const char *argv, size_t len, char *out, size_t outsz);

#endif
