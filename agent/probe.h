/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VIGIL_PROBE_H
#define VIGIL_PROBE_H

#include <stdbool.h>
#include <stdio.h>

/* Kernel features vigild can use, in the order the table prints them. */
enum vigil_feature {
	VIGIL_FEAT_BTF = 0,
	VIGIL_FEAT_RINGBUF,
	VIGIL_FEAT_TRACEPOINT,
	VIGIL_FEAT_RAW_TP,
	VIGIL_FEAT_TP_BTF,
	VIGIL_FEAT_FENTRY,
	VIGIL_FEAT_KPROBE,
	VIGIL_FEAT_BPF_LSM,
	VIGIL_FEAT_CGROUP,
	VIGIL_FEAT_SEND_SIGNAL,
	VIGIL_FEAT_COUNT,
};

struct vigil_feature_state {
	bool available;
	char reason[160]; /* why not, when !available */
};

struct vigil_features {
	char kernel[65];
	struct vigil_feature_state f[VIGIL_FEAT_COUNT];
};

/* The sensor vigild uses for the process lifecycle hooks. */
enum vigil_process_sensor {
	VIGIL_SENSOR_NONE = 0,
	VIGIL_SENSOR_TP_BTF,
	VIGIL_SENSOR_RAW_TP,
};

const char *vigil_feature_name(enum vigil_feature feat);
const char *vigil_process_sensor_name(enum vigil_process_sensor s);

/* Probe the running kernel: load (and where it matters attach) one trivial
 * program of each kind.  Never fails: unavailable features carry a reason. */
void vigil_probe_kernel(struct vigil_features *out);

/* The decision table: which process sensor to use given the features. */
enum vigil_process_sensor vigil_pick_process_sensor(const struct vigil_features *f);

/* Features the enforcement paths want but this kernel lacks, as one
 * human sentence (empty when nothing is missing). */
void vigil_degraded_summary(const struct vigil_features *f, char *buf, size_t len);

int vigil_probe_print(FILE *out, const struct vigil_features *f, bool json);

/* The cgroup v2 root this process sees (its first cgroup2 mount), open
 * for a cgroup attach: a descriptor or a negative errno. */
int vigil_cgroup2_fd(void);

#endif
