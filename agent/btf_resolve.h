/* SPDX-License-Identifier: Apache-2.0 */
/*
 * btf_resolve.h - an argument's `resolve:` field path ("f_path.dentry",
 * "mm.owner.comm[0]") turned into the offsets the BPF program follows
 * (struct vigil_resolve), from the kernel's BTF.
 */
#ifndef VIGIL_BTF_RESOLVE_H
#define VIGIL_BTF_RESOLVE_H

#include <stddef.h>

#include <bpf/btf.h>

#include "vigil_abi.h"

/*
 * type_id is the argument's type, a pointer to a struct or union.  Each
 * component of path names a member (members of anonymous structs and
 * unions are found through them), optionally indexed ("comm[0]"); a member
 * that is a pointer is read before the next component.  The last must be a
 * number, an enum or a pointer of 1, 2, 4 or 8 bytes.  0 and out filled, or
 * -EINVAL with why filled ("no member \"pidd\" in struct task_struct").
 */
int vigil_btf_resolve(const struct btf *btf, __u32 type_id, const char *path,
		      struct vigil_resolve *out, char *why, size_t whysz);

#endif
