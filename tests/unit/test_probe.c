// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for the pure parts of agent/probe.c: the process sensor
 * decision table, the degraded-mode sentence and the feature report, all
 * driven by hand-filled feature sets (no BPF, no root).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "probe.h"

/* Every feature available, on a made-up kernel. */
static void all_features(struct vigil_features *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	snprintf(f->kernel, sizeof(f->kernel), "%s", "6.1.0-test");
	for (i = 0; i < VIGIL_FEAT_COUNT; i++)
		f->f[i].available = true;
}

static void drop(struct vigil_features *f, enum vigil_feature feat, const char *why)
{
	f->f[feat].available = false;
	snprintf(f->f[feat].reason, sizeof(f->f[feat].reason), "%s", why);
}

/* --- vigil_pick_process_sensor -------------------------------------------- */

static void test_pick_prefers_tp_btf(void **state)
{
	struct vigil_features f;

	(void)state;
	all_features(&f);
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_TP_BTF);
	/* Unrelated features do not matter. */
	drop(&f, VIGIL_FEAT_KPROBE, "load: Operation not permitted");
	drop(&f, VIGIL_FEAT_BPF_LSM, "load: Invalid argument");
	drop(&f, VIGIL_FEAT_FENTRY, "attach: No such device");
	drop(&f, VIGIL_FEAT_TRACEPOINT, "attach: No such file or directory");
	drop(&f, VIGIL_FEAT_RAW_TP, "attach: No such file or directory");
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_TP_BTF);
}

static void test_pick_raw_tp_without_tp_btf(void **state)
{
	struct vigil_features f;

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_TP_BTF, "attach: Invalid argument");
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_RAW_TP);
}

static void test_pick_none_without_ringbuf(void **state)
{
	struct vigil_features f;

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_RINGBUF, "create map: Invalid argument");
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_NONE);
	drop(&f, VIGIL_FEAT_TP_BTF, "attach: Invalid argument");
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_NONE);
}

static void test_pick_none_without_btf(void **state)
{
	struct vigil_features f;

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_BTF, "load vmlinux BTF: No such file or directory");
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_NONE);
	/* What the prober reports without BTF: no tp_btf, raw_tp still loads. */
	drop(&f, VIGIL_FEAT_TP_BTF, "needs BTF");
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_NONE);
}

static void test_pick_none_without_any_process_hook(void **state)
{
	struct vigil_features f;

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_TP_BTF, "attach: Invalid argument");
	drop(&f, VIGIL_FEAT_RAW_TP, "attach: Invalid argument");
	/* A plain tracepoint alone is not enough. */
	assert_true(f.f[VIGIL_FEAT_TRACEPOINT].available);
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_NONE);
	memset(&f, 0, sizeof(f));
	assert_int_equal(vigil_pick_process_sensor(&f), VIGIL_SENSOR_NONE);
}

static void test_sensor_and_feature_names(void **state)
{
	(void)state;
	assert_string_equal(vigil_process_sensor_name(VIGIL_SENSOR_TP_BTF), "tp_btf");
	assert_string_equal(vigil_process_sensor_name(VIGIL_SENSOR_RAW_TP), "raw_tp");
	assert_string_equal(vigil_process_sensor_name(VIGIL_SENSOR_NONE), "none");
	assert_string_equal(vigil_feature_name(VIGIL_FEAT_BTF), "btf");
	assert_string_equal(vigil_feature_name(VIGIL_FEAT_BPF_LSM), "bpf_lsm");
	assert_string_equal(vigil_feature_name(VIGIL_FEAT_SEND_SIGNAL), "send_signal");
	assert_string_equal(vigil_feature_name(VIGIL_FEAT_COUNT), "?");
}

/* --- vigil_degraded_summary ----------------------------------------------- */

static void test_degraded_empty_with_lsm_and_kprobe(void **state)
{
	struct vigil_features f;
	char buf[512];

	(void)state;
	all_features(&f);
	memset(buf, 'x', sizeof(buf));
	vigil_degraded_summary(&f, buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* send_signal alone is not a degradation. */
	drop(&f, VIGIL_FEAT_SEND_SIGNAL, "load: Invalid argument");
	memset(buf, 'x', sizeof(buf));
	vigil_degraded_summary(&f, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_degraded_mentions_lsm_and_kprobes_when_both_missing(void **state)
{
	struct vigil_features f;
	char buf[512];

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_BPF_LSM, "attach: Invalid argument");
	drop(&f, VIGIL_FEAT_KPROBE, "attach: Operation not supported");
	vigil_degraded_summary(&f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "BPF-LSM"));
	assert_non_null(strstr(buf, "kprobes"));
	assert_non_null(strstr(buf, "6.1.0-test"));
	assert_non_null(strstr(buf, "tracepoints"));
	/* Only what policies can do there: kill an exec, not deny it; connects
	 * on the cgroup hooks. */
	assert_non_null(strstr(buf, "can kill an exec (on the exec tracepoint) but not deny it"));
	assert_non_null(
		strstr(buf, "connects are denied and reported on the cgroup connect hooks"));
	drop(&f, VIGIL_FEAT_CGROUP, "attach: Operation not permitted");
	vigil_degraded_summary(&f, buf, sizeof(buf));
	assert_null(strstr(buf, "cgroup"));
	assert_null(strstr(buf, "enforce"));
}

static void test_degraded_mentions_only_lsm_when_kprobes_work(void **state)
{
	struct vigil_features f;
	char buf[512];

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_BPF_LSM, "attach: Invalid argument");
	vigil_degraded_summary(&f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "BPF-LSM unavailable"));
	assert_non_null(strstr(buf, "policies cannot deny"));
	assert_null(strstr(buf, "kprobe"));
	assert_null(strstr(buf, "kill"));
}

static void test_degraded_mentions_only_kprobes_when_lsm_works(void **state)
{
	struct vigil_features f;
	char buf[512];

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_KPROBE, "attach: Operation not supported");
	vigil_degraded_summary(&f, buf, sizeof(buf));
	assert_non_null(strstr(buf, "kprobes unavailable"));
	assert_non_null(strstr(buf, "6.1.0-test"));
	/* BPF-LSM may be named as the fallback, never as missing. */
	assert_null(strstr(buf, "BPF-LSM unavailable"));
	assert_null(strstr(buf, "BPF-LSM and"));
	assert_null(strstr(buf, "send_signal"));
}

static void test_degraded_truncates_to_buffer(void **state)
{
	struct vigil_features f;
	char buf[24];

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_BPF_LSM, "attach: Invalid argument");
	memset(buf, 'x', sizeof(buf));
	vigil_degraded_summary(&f, buf, 16);
	assert_int_equal(strlen(buf), 15);
	assert_int_equal(buf[16], 'x');
}

/* --- vigil_probe_print ---------------------------------------------------- */

static char *print(const struct vigil_features *f, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(vigil_probe_print(out, f, json), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void test_print_text_reports_sensor_and_reasons(void **state)
{
	struct vigil_features f;
	char *s;

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_TP_BTF, "attach: Invalid argument");
	drop(&f, VIGIL_FEAT_KPROBE, "attach: Operation not supported");
	s = print(&f, false);
	assert_non_null(strstr(s, "kernel 6.1.0-test\n"));
	assert_non_null(strstr(s, "tp_btf       no    attach: Invalid argument\n"));
	assert_non_null(strstr(s, "btf          yes   \n"));
	assert_non_null(strstr(s, "process sensor: raw_tp\n"));
	assert_non_null(strstr(s, "degraded mode: kprobes unavailable"));
	free(s);
	all_features(&f);
	s = print(&f, false);
	assert_non_null(strstr(s, "process sensor: tp_btf\n"));
	assert_null(strstr(s, "degraded"));
	free(s);
}

static void test_print_json_reports_features(void **state)
{
	struct vigil_features f;
	struct json_object *o, *v, *feat;
	char *s;

	(void)state;
	all_features(&f);
	drop(&f, VIGIL_FEAT_BPF_LSM, "attach: Invalid argument");
	s = print(&f, true);
	assert_int_equal(s[strlen(s) - 1], '\n');
	o = json_tokener_parse(s);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "kernel", &v));
	assert_string_equal(json_object_get_string(v), "6.1.0-test");
	assert_true(json_object_object_get_ex(o, "sensors", &v));
	assert_true(json_object_object_get_ex(v, "process", &v));
	assert_string_equal(json_object_get_string(v), "tp_btf");
	assert_true(json_object_object_get_ex(o, "features", &feat));
	assert_int_equal(json_object_object_length(feat), VIGIL_FEAT_COUNT);
	assert_true(json_object_object_get_ex(feat, "bpf_lsm", &v));
	assert_true(json_object_object_get_ex(v, "available", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(feat, "bpf_lsm", &v));
	assert_true(json_object_object_get_ex(v, "reason", &v));
	assert_string_equal(json_object_get_string(v), "attach: Invalid argument");
	assert_true(json_object_object_get_ex(feat, "ringbuf", &v));
	assert_false(json_object_object_get_ex(v, "reason", NULL));
	assert_true(json_object_object_get_ex(v, "available", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(o);
	free(s);
}

int main(void)
{
	const struct CMUnitTest probe[] = {
		cmocka_unit_test(test_pick_prefers_tp_btf),
		cmocka_unit_test(test_pick_raw_tp_without_tp_btf),
		cmocka_unit_test(test_pick_none_without_ringbuf),
		cmocka_unit_test(test_pick_none_without_btf),
		cmocka_unit_test(test_pick_none_without_any_process_hook),
		cmocka_unit_test(test_sensor_and_feature_names),
		cmocka_unit_test(test_degraded_empty_with_lsm_and_kprobe),
		cmocka_unit_test(test_degraded_mentions_lsm_and_kprobes_when_both_missing),
		cmocka_unit_test(test_degraded_mentions_only_lsm_when_kprobes_work),
		cmocka_unit_test(test_degraded_mentions_only_kprobes_when_lsm_works),
		cmocka_unit_test(test_degraded_truncates_to_buffer),
		cmocka_unit_test(test_print_text_reports_sensor_and_reasons),
		cmocka_unit_test(test_print_json_reports_features),
	};

	return cmocka_run_group_tests_name("probe", probe, NULL, NULL);
}
