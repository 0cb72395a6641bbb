/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ns_names.h - names of the namespace slots of vigil_abi.h, shared by the
 * /proc reader (agent/procfs.c) and the JSON encoder (agent/encode_json.c).
 */
#ifndef VIGIL_NS_NAMES_H
#define VIGIL_NS_NAMES_H

#include <linux/types.h>

#include "vigil_abi.h"

/* Name of a namespace slot: both the /proc/PID/ns file name and the key
 * of Tetragon's Namespaces message ("uts", "pid_for_children", ...); ""
 * for a slot out of range. */
const char *vigil_ns_name(enum vigil_ns_slot slot);

#endif
