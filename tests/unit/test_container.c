// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for agent/container.c: container id and pod UID extraction from
 * cgroup paths, for every runtime layout the agent is expected to recognise.
 *
 * cgroup v1 and v2 paths share the same layout below the hierarchy root, so
 * the "v1" cases use the form seen through a v1 controller mount
 * (/sys/fs/cgroup/<controller>/...) and the "v2" cases the /proc/PID/cgroup
 * "0::" form or the unified mount (/sys/fs/cgroup/...).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

/* Two distinct 64-hex ids. */
#define CID                \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0d"
#define CID2               \
	"0a1b2c3d4e5f6071" \
	"8293a4b5c6d7e8f9" \
	"f0e1d2c3b4a59687" \
	"78695a4b3c2d1e0f"
/* One character short, one too many. */
#define CID63              \
	"4f1c9d2e7a8b6c5d" \
	"3e2f1a0b9c8d7e6f" \
	"5a4b3c2d1e0f9a8b" \
	"7c6d5e4f3a2b1c0"
#define CID65 CID "e"
#define CIDUP              \
	"4F1C9D2E7A8B6C5D" \
	"3E2F1A0B9C8D7E6F" \
	"5A4B3C2D1E0F9A8B" \
	"7C6D5E4F3A2B1C0D"

/* A pod UID in cgroupfs (dashes) and systemd (underscores) spelling. */
#define UID_D "7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a998"
#define UID_U "7d3f1c2a_9b8e_4c6d_a5f4_e3d2c1b0a998"

static void expect_id(const char *path, const char *want, enum vigil_runtime want_rt)
{
	char id[VIGIL_CONTAINER_ID_LEN + 1];
	enum vigil_runtime rt = VIGIL_RT_NONE;

	memset(id, 'x', sizeof(id));
	assert_int_equal(vigil_container_id(path, id, sizeof(id), &rt), 0);
	assert_string_equal(id, want);
	assert_int_equal(rt, want_rt);
}

static void expect_no_id(const char *path)
{
	char id[VIGIL_CONTAINER_ID_LEN + 1];
	enum vigil_runtime rt = VIGIL_RT_NONE;

	assert_int_equal(vigil_container_id(path, id, sizeof(id), &rt), -ENOENT);
}

static void expect_uid(const char *path, const char *want)
{
	char uid[VIGIL_POD_UID_LEN + 1];

	memset(uid, 'x', sizeof(uid));
	assert_int_equal(vigil_pod_uid(path, uid, sizeof(uid)), 0);
	assert_string_equal(uid, want);
}

static void expect_no_uid(const char *path)
{
	char uid[VIGIL_POD_UID_LEN + 1];

	assert_int_equal(vigil_pod_uid(path, uid, sizeof(uid)), -ENOENT);
}

static void test_fixture_ids_have_expected_lengths(void **state)
{
	(void)state;
	assert_int_equal(strlen(CID), 64);
	assert_int_equal(strlen(CID2), 64);
	assert_int_equal(strlen(CID63), 63);
	assert_int_equal(strlen(CID65), 65);
	assert_int_equal(strlen(CIDUP), 64);
	assert_int_equal(strlen(UID_D), 36);
}

/* --- docker ------------------------------------------------------------- */

static void test_docker_cgroupfs_gives_docker_id(void **state)
{
	(void)state;
	expect_id("/docker/" CID, CID, VIGIL_RT_DOCKER);		      /* v2 0:: */
	expect_id("/sys/fs/cgroup/memory/docker/" CID, CID, VIGIL_RT_DOCKER); /* v1 mount */
	expect_id("/sys/fs/cgroup/docker/" CID, CID, VIGIL_RT_DOCKER);	      /* v2 mount */
}

static void test_docker_systemd_scope_gives_docker_id(void **state)
{
	(void)state;
	expect_id("/system.slice/docker-" CID ".scope", CID, VIGIL_RT_DOCKER);
	expect_id("/sys/fs/cgroup/cpu,cpuacct/system.slice/docker-" CID ".scope", CID,
		  VIGIL_RT_DOCKER);
	expect_id("/sys/fs/cgroup/system.slice/docker-" CID ".scope", CID, VIGIL_RT_DOCKER);
}

static void test_docker_nested_child_cgroup_uses_parent_id(void **state)
{
	(void)state;
	expect_id("/system.slice/docker-" CID ".scope/init.scope", CID, VIGIL_RT_DOCKER);
	expect_id("/system.slice/docker-" CID ".scope/system.slice/ssh.service", CID,
		  VIGIL_RT_DOCKER);
	expect_id("/docker/" CID "/init.scope", CID, VIGIL_RT_DOCKER);
}

static void test_docker_in_docker_gives_innermost_id(void **state)
{
	(void)state;
	expect_id("/docker/" CID "/docker/" CID2, CID2, VIGIL_RT_DOCKER);
	expect_id("/system.slice/docker-" CID ".scope/docker/" CID2, CID2, VIGIL_RT_DOCKER);
}

/* --- containerd / CRI ----------------------------------------------------- */

static void test_kubepods_cgroupfs_burstable_gives_containerd(void **state)
{
	(void)state;
	expect_id("/kubepods/burstable/pod" UID_D "/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("/sys/fs/cgroup/memory/kubepods/burstable/pod" UID_D "/" CID, CID,
		  VIGIL_RT_CONTAINERD);
}

static void test_kubepods_cgroupfs_besteffort_gives_containerd(void **state)
{
	(void)state;
	expect_id("/kubepods/besteffort/pod" UID_D "/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("/sys/fs/cgroup/pids/kubepods/besteffort/pod" UID_D "/" CID, CID,
		  VIGIL_RT_CONTAINERD);
}

static void test_kubepods_cgroupfs_guaranteed_gives_containerd(void **state)
{
	(void)state;
	expect_id("/kubepods/pod" UID_D "/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("/sys/fs/cgroup/kubepods/pod" UID_D "/" CID, CID, VIGIL_RT_CONTAINERD);
}

static void test_kubepods_systemd_cri_containerd_scope_gives_containerd(void **state)
{
	(void)state;
	expect_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		  ".slice/cri-containerd-" CID ".scope",
		  CID, VIGIL_RT_CONTAINERD);
	expect_id("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U
		  ".slice/cri-containerd-" CID ".scope",
		  CID, VIGIL_RT_CONTAINERD);
	expect_id("/kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-" CID ".scope", CID,
		  VIGIL_RT_CONTAINERD);
	expect_id("/sys/fs/cgroup/memory/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_U ".slice/cri-containerd-" CID ".scope",
		  CID, VIGIL_RT_CONTAINERD);
}

static void test_containerd_namespace_layout_gives_containerd(void **state)
{
	(void)state;
	expect_id("/default/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("/k8s.io/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("/sys/fs/cgroup/cpu/default/" CID, CID, VIGIL_RT_CONTAINERD);
}

/* --- cri-o ---------------------------------------------------------------- */

static void test_crio_systemd_scope_gives_crio(void **state)
{
	(void)state;
	expect_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		  ".slice/crio-" CID ".scope",
		  CID, VIGIL_RT_CRIO);
	expect_id("/sys/fs/cgroup/memory/kubepods.slice/kubepods-pod" UID_U ".slice/crio-" CID
		  ".scope",
		  CID, VIGIL_RT_CRIO);
	expect_id("/kubepods.slice/kubepods-pod" UID_U ".slice/crio-" CID ".scope/container", CID,
		  VIGIL_RT_CRIO);
}

static void test_crio_cgroupfs_gives_crio(void **state)
{
	(void)state;
	expect_id("/kubepods/burstable/pod" UID_D "/crio-" CID, CID, VIGIL_RT_CRIO);
	expect_id("/sys/fs/cgroup/cpu/kubepods/besteffort/pod" UID_D "/crio-" CID, CID,
		  VIGIL_RT_CRIO);
}

static void test_crio_conmon_scope_is_not_a_container(void **state)
{
	(void)state;
	expect_no_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		     ".slice/crio-conmon-" CID ".scope");
	expect_no_id("/sys/fs/cgroup/memory/kubepods.slice/kubepods-pod" UID_U
		     ".slice/crio-conmon-" CID ".scope");
	expect_no_id("/kubepods/burstable/pod" UID_D "/crio-conmon-" CID);
}

/* --- podman --------------------------------------------------------------- */

static void test_podman_machine_slice_gives_podman(void **state)
{
	(void)state;
	expect_id("/machine.slice/libpod-" CID ".scope", CID, VIGIL_RT_PODMAN);
	expect_id("/sys/fs/cgroup/memory/machine.slice/libpod-" CID ".scope", CID, VIGIL_RT_PODMAN);
	expect_id("/machine.slice/machine-libpod_pod_" CID2 ".slice/libpod-" CID ".scope", CID,
		  VIGIL_RT_PODMAN);
}

static void test_podman_rootless_user_slice_gives_podman(void **state)
{
	(void)state;
	expect_id("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" CID ".scope",
		  CID, VIGIL_RT_PODMAN);
	expect_id("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" CID
		  ".scope/container",
		  CID, VIGIL_RT_PODMAN);
}

static void test_podman_libpod_parent_cgroupfs_gives_podman(void **state)
{
	(void)state;
	expect_id("/libpod_parent/libpod-" CID, CID, VIGIL_RT_PODMAN);
	expect_id("/sys/fs/cgroup/memory/libpod_parent/libpod-" CID, CID, VIGIL_RT_PODMAN);
}

static void test_podman_conmon_scope_is_not_a_container(void **state)
{
	(void)state;
	expect_no_id("/machine.slice/libpod-conmon-" CID ".scope");
	expect_no_id("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" CID
		     ".scope");
	expect_no_id("/libpod_parent/libpod-conmon-" CID);
}

/* --- bare names ----------------------------------------------------------- */

static void test_single_leaf_name_is_recognised(void **state)
{
	(void)state;
	expect_id("docker-" CID ".scope", CID, VIGIL_RT_DOCKER);
	expect_id("cri-containerd-" CID ".scope", CID, VIGIL_RT_CONTAINERD);
	expect_id("crio-" CID, CID, VIGIL_RT_CRIO);
	expect_id("libpod-" CID ".scope", CID, VIGIL_RT_PODMAN);
	expect_id(CID, CID, VIGIL_RT_CONTAINERD);
}

static void test_parent_and_leaf_names_classify_bare_id(void **state)
{
	(void)state;
	expect_id("docker/" CID, CID, VIGIL_RT_DOCKER);
	expect_id("pod" UID_D "/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("docker-" CID ".scope/init.scope", CID, VIGIL_RT_DOCKER);
}

static void test_bare_id_under_docker_lookalike_parent_is_containerd(void **state)
{
	(void)state;
	expect_id("/dockerd/" CID, CID, VIGIL_RT_CONTAINERD);
	expect_id("/docker.slice/" CID, CID, VIGIL_RT_CONTAINERD);
}

/* --- not containers ------------------------------------------------------- */

static void test_host_cgroups_are_not_containers(void **state)
{
	(void)state;
	expect_no_id("/");
	expect_no_id("");
	expect_no_id("//");
	expect_no_id("/user.slice/user-1000.slice/session-3.scope");
	expect_no_id("/system.slice/ssh.service");
	expect_no_id("/init.scope");
	expect_no_id("/system.slice/docker.service");
	expect_no_id("/system.slice/containerd.service");
	expect_no_id("/docker");
	expect_no_id("/kubepods/burstable/pod" UID_D);
	expect_no_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		     ".slice");
}

static void test_wrong_length_hex_is_not_an_id(void **state)
{
	(void)state;
	expect_no_id("/docker/" CID63);
	expect_no_id("/docker/" CID65);
	expect_no_id("/system.slice/docker-" CID63 ".scope");
	expect_no_id("/system.slice/docker-" CID65 ".scope");
	expect_no_id("/kubepods/besteffort/pod" UID_D "/crio-" CID65);
	expect_no_id(CID63);
	expect_no_id(CID65);
}

static void test_uppercase_hex_is_not_an_id(void **state)
{
	(void)state;
	expect_no_id("/docker/" CIDUP);
	expect_no_id("/system.slice/docker-" CIDUP ".scope");
	expect_no_id("/machine.slice/libpod-" CIDUP ".scope");
	expect_no_id("/system.slice/DOCKER-" CID ".scope");
}

static void test_non_hex_or_decorated_component_is_not_an_id(void **state)
{
	(void)state;
	/* 'g' replaces the last digit. */
	expect_no_id("/docker/4f1c9d2e7a8b6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0g");
	expect_no_id("/system.slice/docker-" CID ".service");
	expect_no_id("/system.slice/docker-" CID ".scope.scope");
	expect_no_id("/system.slice/foo-docker-" CID ".scope");
	expect_no_id("/system.slice/docker" CID ".scope");
	expect_no_id("/default/" CID ".scope");
	expect_no_id("/default/x" CID);
}

/* --- input handling ------------------------------------------------------- */

static void test_proc_line_decorations_are_ignored(void **state)
{
	(void)state;
	expect_id("/system.slice/docker-" CID ".scope\n", CID, VIGIL_RT_DOCKER);
	expect_id("/system.slice/docker-" CID ".scope (deleted)", CID, VIGIL_RT_DOCKER);
	expect_id("/system.slice/docker-" CID ".scope (deleted)\n", CID, VIGIL_RT_DOCKER);
	expect_id("/docker/" CID "/", CID, VIGIL_RT_DOCKER);
	expect_id("//docker//" CID "//", CID, VIGIL_RT_DOCKER);
}

static void test_null_runtime_pointer_is_allowed(void **state)
{
	char id[VIGIL_CONTAINER_ID_LEN + 1];

	(void)state;
	assert_int_equal(vigil_container_id("/docker/" CID, id, sizeof(id), NULL), 0);
	assert_string_equal(id, CID);
	assert_int_equal(vigil_container_id("/init.scope", id, sizeof(id), NULL), -ENOENT);
}

static void test_outputs_untouched_on_failure(void **state)
{
	char id[VIGIL_CONTAINER_ID_LEN + 1] = "unchanged";
	enum vigil_runtime rt = VIGIL_RT_PODMAN;

	(void)state;
	assert_int_equal(vigil_container_id("/init.scope", id, sizeof(id), &rt), -ENOENT);
	assert_string_equal(id, "unchanged");
	assert_int_equal(rt, VIGIL_RT_PODMAN);
	assert_int_equal(vigil_container_id("/docker/" CID, id, sizeof(id) - 1, &rt), -EINVAL);
	assert_string_equal(id, "unchanged");
	assert_int_equal(rt, VIGIL_RT_PODMAN);
}

static void test_invalid_arguments_return_einval(void **state)
{
	char id[VIGIL_CONTAINER_ID_LEN + 1];
	enum vigil_runtime rt;

	(void)state;
	assert_int_equal(vigil_container_id(NULL, id, sizeof(id), &rt), -EINVAL);
	assert_int_equal(vigil_container_id("/docker/" CID, NULL, sizeof(id), &rt), -EINVAL);
	assert_int_equal(vigil_container_id("/docker/" CID, id, 0, &rt), -EINVAL);
	assert_int_equal(vigil_container_id("/docker/" CID, id, VIGIL_CONTAINER_ID_LEN, &rt),
			 -EINVAL);
	/* Size checks come first, even for paths that hold no id. */
	assert_int_equal(vigil_container_id("/", id, 1, &rt), -EINVAL);
}

static void test_exact_size_buffer_is_enough(void **state)
{
	char buf[VIGIL_CONTAINER_ID_LEN + 2];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(vigil_container_id("/docker/" CID, buf, VIGIL_CONTAINER_ID_LEN + 1, NULL),
			 0);
	assert_string_equal(buf, CID);
	assert_int_equal(buf[VIGIL_CONTAINER_ID_LEN + 1], 'x');
}

static void test_oversized_path_returns_einval(void **state)
{
	static char path[VIGIL_CGROUP_PATH_MAX + 16];
	char id[VIGIL_CONTAINER_ID_LEN + 1];
	char uid[VIGIL_POD_UID_LEN + 1];
	size_t pre;

	(void)state;
	/* Longest accepted: VIGIL_CGROUP_PATH_MAX - 1 characters, id at the leaf. */
	pre = VIGIL_CGROUP_PATH_MAX - 1 - strlen("/docker/" CID);
	memset(path, 'a', pre);
	strcpy(path + pre, "/docker/" CID);
	assert_int_equal(strlen(path), VIGIL_CGROUP_PATH_MAX - 1);
	assert_int_equal(vigil_container_id(path, id, sizeof(id), NULL), 0);
	assert_string_equal(id, CID);

	/* One more character is too long, whatever the path holds. */
	memset(path, 'a', pre + 1);
	strcpy(path + pre + 1, "/docker/" CID);
	assert_int_equal(vigil_container_id(path, id, sizeof(id), NULL), -EINVAL);
	assert_int_equal(vigil_pod_uid(path, uid, sizeof(uid)), -EINVAL);
}

static void test_runtime_names(void **state)
{
	(void)state;
	assert_string_equal(vigil_runtime_name(VIGIL_RT_NONE), "");
	assert_string_equal(vigil_runtime_name(VIGIL_RT_DOCKER), "docker");
	assert_string_equal(vigil_runtime_name(VIGIL_RT_CONTAINERD), "containerd");
	assert_string_equal(vigil_runtime_name(VIGIL_RT_CRIO), "cri-o");
	assert_string_equal(vigil_runtime_name(VIGIL_RT_PODMAN), "podman");
	assert_string_equal(vigil_runtime_name((enum vigil_runtime)42), "");
}

/* --- pod UID -------------------------------------------------------------- */

static void test_pod_uid_from_cgroupfs_component(void **state)
{
	(void)state;
	expect_uid("/kubepods/burstable/pod" UID_D "/" CID, UID_D);
	expect_uid("/kubepods/besteffort/pod" UID_D "/crio-" CID, UID_D);
	expect_uid("/kubepods/pod" UID_D "/" CID, UID_D);
	expect_uid("/sys/fs/cgroup/memory/kubepods/burstable/pod" UID_D "/" CID, UID_D);
	expect_uid("/kubepods/burstable/pod" UID_D, UID_D);
	expect_uid("pod" UID_D, UID_D);
}

static void test_pod_uid_from_systemd_slice_converts_underscores(void **state)
{
	(void)state;
	expect_uid("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		   ".slice/cri-containerd-" CID ".scope",
		   UID_D);
	expect_uid("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U
		   ".slice/crio-" CID ".scope",
		   UID_D);
	expect_uid("/kubepods.slice/kubepods-pod" UID_U ".slice/crio-conmon-" CID ".scope", UID_D);
	expect_uid("kubepods-burstable-pod" UID_U ".slice", UID_D);
	expect_uid("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
		   ".slice (deleted)\n",
		   UID_D);
}

static void test_pod_uid_absent_returns_enoent(void **state)
{
	(void)state;
	expect_no_uid("/");
	expect_no_uid("");
	expect_no_uid("/docker/" CID);
	expect_no_uid("/system.slice/docker-" CID ".scope");
	expect_no_uid("/kubepods/burstable");
	expect_no_uid("/kubepods.slice/kubepods-burstable.slice");
	expect_no_uid("/machine.slice/machine-libpod_pod_" CID2 ".slice/libpod-" CID ".scope");
	expect_no_uid("/podman/" CID);
}

static void test_pod_uid_malformed_uuid_returns_enoent(void **state)
{
	(void)state;
	/* Wrong separator for the driver. */
	expect_no_uid("/kubepods/burstable/pod" UID_U);
	expect_no_uid("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_D
		      ".slice");
	/* Uppercase, short, long, misplaced separators, wrong suffix, unknown QoS. */
	expect_no_uid("/kubepods/pod7D3F1C2A-9B8E-4C6D-A5F4-E3D2C1B0A998");
	expect_no_uid("/kubepods/pod7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a99");
	expect_no_uid("/kubepods/pod" UID_D "0");
	expect_no_uid("/kubepods/pod7d3f1c2a9-b8e-4c6d-a5f4-e3d2c1b0a998");
	expect_no_uid("/kubepods/pod7d3f1c2a-9b8e-4c6d-a5f4-e3d2c1b0a99g");
	expect_no_uid("/kubepods.slice/kubepods-pod" UID_U ".scope");
	expect_no_uid("/kubepods.slice/kubepods-guaranteed-pod" UID_U ".slice");
	expect_no_uid("/kubepods.slice/kubepods-burstable-" UID_U ".slice");
	expect_no_uid("/system.slice/pod" UID_D ".scope");
}

static void test_pod_uid_invalid_arguments_return_einval(void **state)
{
	char uid[VIGIL_POD_UID_LEN + 1] = "unchanged";

	(void)state;
	assert_int_equal(vigil_pod_uid(NULL, uid, sizeof(uid)), -EINVAL);
	assert_int_equal(vigil_pod_uid("/kubepods/pod" UID_D, NULL, sizeof(uid)), -EINVAL);
	assert_int_equal(vigil_pod_uid("/kubepods/pod" UID_D, uid, VIGIL_POD_UID_LEN), -EINVAL);
	assert_string_equal(uid, "unchanged");
	assert_int_equal(vigil_pod_uid("/init.scope", uid, sizeof(uid)), -ENOENT);
	assert_string_equal(uid, "unchanged");
}

int main(void)
{
	const struct CMUnitTest container[] = {
		cmocka_unit_test(test_fixture_ids_have_expected_lengths),
		cmocka_unit_test(test_docker_cgroupfs_gives_docker_id),
		cmocka_unit_test(test_docker_systemd_scope_gives_docker_id),
		cmocka_unit_test(test_docker_nested_child_cgroup_uses_parent_id),
		cmocka_unit_test(test_docker_in_docker_gives_innermost_id),
		cmocka_unit_test(test_kubepods_cgroupfs_burstable_gives_containerd),
		cmocka_unit_test(test_kubepods_cgroupfs_besteffort_gives_containerd),
		cmocka_unit_test(test_kubepods_cgroupfs_guaranteed_gives_containerd),
		cmocka_unit_test(test_kubepods_systemd_cri_containerd_scope_gives_containerd),
		cmocka_unit_test(test_containerd_namespace_layout_gives_containerd),
		cmocka_unit_test(test_crio_systemd_scope_gives_crio),
		cmocka_unit_test(test_crio_cgroupfs_gives_crio),
		cmocka_unit_test(test_crio_conmon_scope_is_not_a_container),
		cmocka_unit_test(test_podman_machine_slice_gives_podman),
		cmocka_unit_test(test_podman_rootless_user_slice_gives_podman),
		cmocka_unit_test(test_podman_libpod_parent_cgroupfs_gives_podman),
		cmocka_unit_test(test_podman_conmon_scope_is_not_a_container),
		cmocka_unit_test(test_single_leaf_name_is_recognised),
		cmocka_unit_test(test_parent_and_leaf_names_classify_bare_id),
		cmocka_unit_test(test_bare_id_under_docker_lookalike_parent_is_containerd),
		cmocka_unit_test(test_host_cgroups_are_not_containers),
		cmocka_unit_test(test_wrong_length_hex_is_not_an_id),
		cmocka_unit_test(test_uppercase_hex_is_not_an_id),
		cmocka_unit_test(test_non_hex_or_decorated_component_is_not_an_id),
		cmocka_unit_test(test_proc_line_decorations_are_ignored),
		cmocka_unit_test(test_null_runtime_pointer_is_allowed),
		cmocka_unit_test(test_outputs_untouched_on_failure),
		cmocka_unit_test(test_invalid_arguments_return_einval),
		cmocka_unit_test(test_exact_size_buffer_is_enough),
		cmocka_unit_test(test_oversized_path_returns_einval),
		cmocka_unit_test(test_runtime_names),
		cmocka_unit_test(test_pod_uid_from_cgroupfs_component),
		cmocka_unit_test(test_pod_uid_from_systemd_slice_converts_underscores),
		cmocka_unit_test(test_pod_uid_absent_returns_enoent),
		cmocka_unit_test(test_pod_uid_malformed_uuid_returns_enoent),
		cmocka_unit_test(test_pod_uid_invalid_arguments_return_einval),
	};

	return cmocka_run_group_tests_name("container", container, NULL, NULL);
}
