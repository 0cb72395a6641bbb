/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy_load.h - the one place a plan (policy/plan.h) becomes loaded BPF
 * programs and filled maps.
 *
 * Loading is atomic: value sets are inserted, every hook is loaded and
 * attached, and only then is the policy switched on in policy_state; any
 * failure removes all of it.  Replacing a policy loads the new one fully
 * before the old one is switched off, so one of them always enforces.
 */
#ifndef VIGIL_POLICY_LOAD_H
#define VIGIL_POLICY_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "plan.h"
#include "sensor.h"

struct bpf_object;

struct vigil_loaded;

/* Load and attach every hook of plan; the policy starts switched off.
 * err/errsz receive one line naming the hook and the reason on failure. */
int vigil_policy_load(const struct vigil_plan *plan, const struct vigil_shared_maps *m,
		      struct vigil_loaded **out, char *err, size_t errsz);

/* Insert the plan's value-set entries into the shared tries (done by
 * vigil_policy_load; the matcher tests call it on maps of their own). */
int vigil_plan_insert_sets(const struct vigil_plan *plan, const struct vigil_shared_maps *m,
			   char *err, size_t errsz);

/* Switch the policy on or off, and set its mode, in one map update. */
int vigil_policy_set_state(const struct vigil_shared_maps *m, uint32_t policy_id, bool enabled,
			   bool monitor);

/* Detach and free the programs, remove the value sets and switch off. */
void vigil_policy_unload(struct vigil_loaded *l, const struct vigil_shared_maps *m);

/* Kernel memory the loaded policy takes: programs (jited and xlated) and
 * its value-set entries, in bytes. */
size_t vigil_policy_kernel_bytes(const struct vigil_loaded *l);

/* Point obj's copies of the process sensor's maps (common.bpf.h: events,
 * proc_table, proc_bins, stats, str_sets, num_sets, policy_state) at the
 * ones m holds, before load.  0 or a negative errno. */
int vigil_reuse_shared_maps(struct bpf_object *obj, const struct vigil_shared_maps *m);

#endif
