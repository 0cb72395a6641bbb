/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compile_tp.h - the compiler's part for spec.tracepoints (compile_tp.c).
 */
#ifndef VIGIL_POLICY_COMPILE_TP_H
#define VIGIL_POLICY_COMPILE_TP_H

#include "plan.h"

/*
 * Where tracepoint hook h runs and how its arguments are read: sets
 * ph->attach (VIGIL_ATTACH_TRACEPOINT), ph->target ("subsys/event"),
 * ph->how and ph->cfg.args[] of the first VIGIL_HOOK_ARGS args (type,
 * field offset and width, flags, slot number as index); the format of
 * the event decides them, so they are laid out here rather than by the
 * generic argument mapping.  Returns 0 (warnings may have been added), or
 * -EINVAL with an error in ds for each problem.
 */
int vigil_compile_tracepoint(const struct vigil_policy *p, const struct vigil_kernel_features *f,
			     const struct vigil_hook *h, struct vigil_plan_hook *ph,
			     struct vigil_diags *ds);

#endif
