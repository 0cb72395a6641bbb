// SPDX-License-Identifier: Apache-2.0
#include "ns_names.h"

static const char *const ns_names[VIGIL_NS_COUNT] = {
	[VIGIL_NS_UTS] = "uts",
	[VIGIL_NS_IPC] = "ipc",
	[VIGIL_NS_MNT] = "mnt",
	[VIGIL_NS_PID] = "pid",
	[VIGIL_NS_PID_FOR_CHILDREN] = "pid_for_children",
	[VIGIL_NS_NET] = "net",
	[VIGIL_NS_TIME] = "time",
	[VIGIL_NS_TIME_FOR_CHILDREN] = "time_for_children",
	[VIGIL_NS_CGROUP] = "cgroup",
	[VIGIL_NS_USER] = "user",
};

const char *vigil_ns_name(enum vigil_ns_slot slot)
{
	return slot < VIGIL_NS_COUNT ? ns_names[slot] : "";
}
