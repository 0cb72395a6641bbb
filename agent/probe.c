// SPDX-License-Identifier: Apache-2.0
/*
 * probe.c - learn what the running kernel allows by trying it: each probe
 * loads one trivial program from probe.bpf.c (and attaches it where a load
 * alone proves nothing), then tears it down.  Version numbers are not trusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>

#include "log.h"
#include "probe.h"
#include "probe.skel.h"

static const char *const feature_names[VIGIL_FEAT_COUNT] = {
	[VIGIL_FEAT_BTF] = "btf",
	[VIGIL_FEAT_RINGBUF] = "ringbuf",
	[VIGIL_FEAT_TRACEPOINT] = "tracepoint",
	[VIGIL_FEAT_RAW_TP] = "raw_tp",
	[VIGIL_FEAT_TP_BTF] = "tp_btf",
	[VIGIL_FEAT_FENTRY] = "fentry",
	[VIGIL_FEAT_KPROBE] = "kprobe",
	[VIGIL_FEAT_BPF_LSM] = "bpf_lsm",
	[VIGIL_FEAT_CGROUP] = "cgroup",
	[VIGIL_FEAT_SEND_SIGNAL] = "send_signal",
};

const char *vigil_feature_name(enum vigil_feature feat)
{
	return feat < VIGIL_FEAT_COUNT ? feature_names[feat] : "?";
}

const char *vigil_process_sensor_name(enum vigil_process_sensor s)
{
	switch (s) {
	case VIGIL_SENSOR_TP_BTF:
		return "tp_btf";
	case VIGIL_SENSOR_RAW_TP:
		return "raw_tp";
	default:
		return "none";
	}
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void set_result(struct vigil_feature_state *st, const char *stage, int err)
{
	st->available = err == 0;
	if (err)
		snprintf(st->reason, sizeof(st->reason), "%s: %s", stage, strerror(-err));
	else
		st->reason[0] = '\0';
}

int vigil_cgroup2_fd(void)
{
	struct mntent *m;
	FILE *f = setmntent("/proc/self/mounts", "r");
	int fd = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (strcmp(m->mnt_type, "cgroup2") == 0) {
			fd = open(m->mnt_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				fd = -errno;
			break;
		}
	}
	endmntent(f);
	return fd;
}

/*
 * Load only @prog_name from the probe object and, if @attach, attach it.
 * Returns 0 or a negative errno; *stage tells which step failed.
 */
static int try_prog(const char *prog_name, bool attach, const char **stage)
{
	struct probe_bpf *skel;
	struct bpf_program *prog, *target = NULL;
	struct bpf_link *link = NULL;
	int err, cg = -1;

	*stage = "open";
	skel = probe_bpf__open();
	if (!skel)
		return -errno;
	bpf_object__for_each_program(prog, skel->obj)
	{
		bool want = strcmp(bpf_program__name(prog), prog_name) == 0;

		bpf_program__set_autoload(prog, want);
		if (want)
			target = prog;
	}
	err = -ENOENT;
	if (!target)
		goto cleanup;

	*stage = "load";
	err = probe_bpf__load(skel);
	if (err)
		goto cleanup;
	if (!attach)
		goto cleanup;

	*stage = "attach";
	if (bpf_program__type(target) == BPF_PROG_TYPE_CGROUP_SKB ||
	    bpf_program__type(target) == BPF_PROG_TYPE_CGROUP_SOCK_ADDR) {
		cg = vigil_cgroup2_fd();
		if (cg < 0) {
			err = cg;
			*stage = "attach (no cgroup2 mount)";
			goto cleanup;
		}
		link = bpf_program__attach_cgroup(target, cg);
	} else {
		link = bpf_program__attach(target);
	}
	err = link ? 0 : -errno;

cleanup:
	bpf_link__destroy(link);
	if (cg >= 0)
		close(cg);
	probe_bpf__destroy(skel);
	return err;
}

static void probe_prog(struct vigil_features *out, enum vigil_feature feat, const char *prog,
		       bool attach)
{
	const char *stage = "";
	int err = try_prog(prog, attach, &stage);

	set_result(&out->f[feat], stage, err);
}

void vigil_probe_kernel(struct vigil_features *out)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet_print);
	struct utsname u;
	struct btf *btf;
	int err;

	memset(out, 0, sizeof(*out));
	if (uname(&u) == 0)
		snprintf(out->kernel, sizeof(out->kernel), "%s", u.release);

	btf = btf__load_vmlinux_btf();
	err = btf ? 0 : -errno;
	btf__free(btf);
	set_result(&out->f[VIGIL_FEAT_BTF], "load vmlinux BTF", err);

	err = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	set_result(&out->f[VIGIL_FEAT_RINGBUF], "create map",
		   err == 1 ? 0 : (err ? err : -EOPNOTSUPP));

	probe_prog(out, VIGIL_FEAT_TRACEPOINT, "probe_tracepoint", true);
	probe_prog(out, VIGIL_FEAT_RAW_TP, "probe_raw_tp", true);
	if (out->f[VIGIL_FEAT_BTF].available) {
		probe_prog(out, VIGIL_FEAT_TP_BTF, "probe_tp_btf", true);
		probe_prog(out, VIGIL_FEAT_FENTRY, "probe_fentry", true);
		probe_prog(out, VIGIL_FEAT_BPF_LSM, "probe_lsm", true);
	} else {
		const char *why = "needs BTF";

		snprintf(out->f[VIGIL_FEAT_TP_BTF].reason, sizeof(out->f[0].reason), "%s", why);
		snprintf(out->f[VIGIL_FEAT_FENTRY].reason, sizeof(out->f[0].reason), "%s", why);
		snprintf(out->f[VIGIL_FEAT_BPF_LSM].reason, sizeof(out->f[0].reason), "%s", why);
	}
	probe_prog(out, VIGIL_FEAT_KPROBE, "probe_kprobe", true);
	probe_prog(out, VIGIL_FEAT_CGROUP, "probe_cgroup", true);
	probe_prog(out, VIGIL_FEAT_SEND_SIGNAL, "probe_send_signal", false);

	libbpf_set_print(old);
}

enum vigil_process_sensor vigil_pick_process_sensor(const struct vigil_features *f)
{
	if (!f->f[VIGIL_FEAT_RINGBUF].available)
		return VIGIL_SENSOR_NONE;
	if (f->f[VIGIL_FEAT_BTF].available && f->f[VIGIL_FEAT_TP_BTF].available)
		return VIGIL_SENSOR_TP_BTF;
	if (f->f[VIGIL_FEAT_BTF].available && f->f[VIGIL_FEAT_RAW_TP].available)
		return VIGIL_SENSOR_RAW_TP;
	return VIGIL_SENSOR_NONE;
}

void vigil_degraded_summary(const struct vigil_features *f, char *buf, size_t len)
{
	bool lsm = f->f[VIGIL_FEAT_BPF_LSM].available;
	bool kprobe = f->f[VIGIL_FEAT_KPROBE].available;
	bool cg = f->f[VIGIL_FEAT_CGROUP].available;

	/* Only what is true: what policies can still do without them. */
	if (lsm && kprobe)
		buf[0] = '\0';
	else
		snprintf(buf, len,
			 "degraded mode: %s unavailable on kernel %s; process events come from "
			 "tracepoints; %s%s",
			 !lsm && !kprobe ? "BPF-LSM and kprobes"
			 : !lsm		 ? "BPF-LSM"
					 : "kprobes",
			 f->kernel,
			 !lsm && !kprobe ? "policies can kill an exec (on the exec tracepoint) but "
					   "not deny it, and kprobe hooks cannot run"
			 : !lsm		 ? "policies cannot deny (Override needs BPF-LSM)"
					 : "kprobe hooks run as the matching BPF-LSM hooks where "
					   "one exists",
			 !lsm && cg ? "; connects are denied and reported on the cgroup connect "
				      "hooks (socket_connect, tcp_connect)"
				    : "");
}

int vigil_probe_print(FILE *out, const struct vigil_features *f, bool json)
{
	enum vigil_process_sensor s = vigil_pick_process_sensor(f);
	int i;

	if (json) {
		struct json_object *root = json_object_new_object();
		struct json_object *feats = json_object_new_object();
		struct json_object *sensors = json_object_new_object();

		json_object_object_add(root, "kernel", json_object_new_string(f->kernel));
		for (i = 0; i < VIGIL_FEAT_COUNT; i++) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "available",
					       json_object_new_boolean(f->f[i].available));
			if (!f->f[i].available)
				json_object_object_add(o, "reason",
						       json_object_new_string(f->f[i].reason));
			json_object_object_add(feats, feature_names[i], o);
		}
		json_object_object_add(root, "features", feats);
		json_object_object_add(sensors, "process",
				       json_object_new_string(vigil_process_sensor_name(s)));
		json_object_object_add(root, "sensors", sensors);
		fprintf(out, "%s\n",
			json_object_to_json_string_ext(
				root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		char deg[256];

		fprintf(out, "kernel %s\n", f->kernel);
		fprintf(out, "%-12s %-5s %s\n", "FEATURE", "OK", "REASON");
		for (i = 0; i < VIGIL_FEAT_COUNT; i++)
			fprintf(out, "%-12s %-5s %s\n", feature_names[i],
				f->f[i].available ? "yes" : "no", f->f[i].reason);
		fprintf(out, "process sensor: %s\n", vigil_process_sensor_name(s));
		vigil_degraded_summary(f, deg, sizeof(deg));
		if (deg[0])
			fprintf(out, "%s\n", deg);
	}
	return ferror(out) ? -EIO : 0;
}
