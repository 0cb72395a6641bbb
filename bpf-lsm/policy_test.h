/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * policy_test.h - the input of policy_test.bpf.c, the matcher test program:
 * the argument values of one call, written by tests/bpf/test_policy_match.c
 * into the one entry of the test_args map.  Not part of the agent's ABI.
 *
 * BPF code includes it after vmlinux.h and vigil_abi.h; user space after
 * <linux/types.h> and vigil_abi.h.
 */
#ifndef VIGIL_POLICY_TEST_H
#define VIGIL_POLICY_TEST_H

/* One string argument, with its NUL: room for one longer than the path
 * buffer the program reads it into. */
#define VIGIL_TEST_STR (2 * VIGIL_PATH_BUF)

struct vigil_test_args {
	__u64 num[VIGIL_HOOK_ARGS];  /* argument i, when it is a number */
	__u64 addr[VIGIL_HOOK_ARGS]; /* the program's: where str[i] is */
	__u32 str_mask;		     /* bit i: argument i points to str[i] */
	__u32 pad;
	char str[VIGIL_HOOK_ARGS][VIGIL_TEST_STR];
};

#endif /* VIGIL_POLICY_TEST_H */
