// SPDX-License-Identifier: Apache-2.0
/*
 * seeds_pb.c - write the seed corpus of fuzz_pb: messages of the API
 * packed with the generated code, each with many of its fields set, so that
 * the fuzzer starts from real shapes of every type it unpacks: GetEvents
 * requests with every filter and a field mask, AddTracingPolicy requests
 * with the example policies (read relative to the repository root, where
 * make runs this), the other policy requests, events with arguments of
 * each kind, a policy list and an info response with an Any.
 *
 *   usage: seeds_pb DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed_file.h"

#include "google/protobuf/any.pb-c.h"
#include "google/protobuf/field_mask.pb-c.h"
#include "google/protobuf/timestamp.pb-c.h"
#include "google/protobuf/wrappers.pb-c.h"
#include "tetragon/events.pb-c.h"
#include "tetragon/sensors.pb-c.h"
#include "tetragon/tetragon.pb-c.h"

/* A message packed, as one seed. */
static void write_seed(const char *name, const ProtobufCMessage *m)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	unsigned char *buf = malloc(len ? len : 1);

	if (!buf) {
		seed_fail(name);
		return;
	}
	protobuf_c_message_pack(m, buf);
	seed_write(name, buf, len);
	free(buf);
}

static void get_events_request(void)
{
	static char *bins[] = { "^/usr/bin/(curl|wget)$", "sh$" }, *ns[] = { "kube-system" };
	static char *pods[] = { "^web-" }, *args[] = { "--password" }, *labels[] = { "app=web" };
	static char *policies[] = { "block-shell-exec" }, *cids[] = { "4f1c9d2e7a8b" };
	static char *cel[] = { "process_exec.process.pid > 1" }, *names[] = { "nginx" };
	static char *paths[] = { "process_exec.process.binary", "node_name" };
	static uint32_t pids[] = { 1, 4242 };
	static Tetragon__EventType ev[] = { TETRAGON__EVENT_TYPE__PROCESS_EXEC,
					    TETRAGON__EVENT_TYPE__PROCESS_LSM };
	static Tetragon__CapabilitiesType caps[] = { TETRAGON__CAPABILITIES_TYPE__CAP_SYS_ADMIN,
						     TETRAGON__CAPABILITIES_TYPE__DAC_OVERRIDE };
	Tetragon__GetEventsRequest req = TETRAGON__GET_EVENTS_REQUEST__INIT;
	Tetragon__Filter allow = TETRAGON__FILTER__INIT, deny = TETRAGON__FILTER__INIT;
	Tetragon__Filter *al[] = { &allow }, *dl[] = { &deny };
	Tetragon__CapFilter cf = TETRAGON__CAP_FILTER__INIT;
	Tetragon__CapFilterSet cs = TETRAGON__CAP_FILTER_SET__INIT;
	Tetragon__FieldFilter ff = TETRAGON__FIELD_FILTER__INIT, *ffl[] = { &ff };
	Google__Protobuf__FieldMask mask = GOOGLE__PROTOBUF__FIELD_MASK__INIT;
	Google__Protobuf__BoolValue yes = GOOGLE__PROTOBUF__BOOL_VALUE__INIT;

	yes.value = 1;
	allow.binary_regex = bins;
	allow.n_binary_regex = 2;
	allow.namespace_ = ns;
	allow.n_namespace_ = 1;
	allow.health_check = &yes;
	allow.pid = pids;
	allow.n_pid = 2;
	allow.pid_set = pids;
	allow.n_pid_set = 1;
	allow.event_set = ev;
	allow.n_event_set = 2;
	allow.pod_regex = pods;
	allow.n_pod_regex = 1;
	allow.arguments_regex = args;
	allow.n_arguments_regex = 1;
	allow.labels = labels;
	allow.n_labels = 1;
	allow.policy_names = policies;
	allow.n_policy_names = 1;
	cs.any = caps;
	cs.n_any = 2;
	cs.none = caps;
	cs.n_none = 1;
	cf.effective = &cs;
	cf.permitted = &cs;
	allow.capabilities = &cf;
	allow.parent_binary_regex = bins;
	allow.n_parent_binary_regex = 1;
	allow.container_id = cids;
	allow.n_container_id = 1;
	deny.cel_expression = cel;
	deny.n_cel_expression = 1;
	deny.parent_arguments_regex = args;
	deny.n_parent_arguments_regex = 1;
	deny.in_init_tree = &yes;
	deny.ancestor_binary_regex = bins;
	deny.n_ancestor_binary_regex = 1;
	deny.container_name_regex = names;
	deny.n_container_name_regex = 1;
	deny.namespace_regex = ns;
	deny.n_namespace_regex = 1;
	mask.paths = paths;
	mask.n_paths = 2;
	ff.event_set = ev;
	ff.n_event_set = 1;
	ff.fields = &mask;
	ff.action = TETRAGON__FIELD_FILTER_ACTION__EXCLUDE;
	ff.invert_event_set = &yes;
	req.allow_list = al;
	req.n_allow_list = 1;
	req.deny_list = dl;
	req.n_deny_list = 1;
	req.field_filters = ffl;
	req.n_field_filters = 1;
	write_seed("get-events-request", &req.base);
}

static void add_policy(const char *name)
{
	Tetragon__AddTracingPolicyRequest req = TETRAGON__ADD_TRACING_POLICY_REQUEST__INIT;
	char path[512], seed[128], *text = malloc(1 << 20);
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "examples/policies/%s.yaml", name);
	f = fopen(path, "rb");
	if (!f || !text) {
		seed_fail(path);
		if (f)
			fclose(f);
		free(text);
		return;
	}
	len = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	text[len] = '\0';
	req.yaml = text;
	snprintf(seed, sizeof(seed), "add-%s", name);
	write_seed(seed, &req.base);
	free(text);
}

static void policy_requests(void)
{
	Tetragon__ConfigureTracingPolicyRequest c =
		TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST__INIT;
	Tetragon__DeleteTracingPolicyRequest d = TETRAGON__DELETE_TRACING_POLICY_REQUEST__INIT;
	Tetragon__GetHealthStatusRequest h = TETRAGON__GET_HEALTH_STATUS_REQUEST__INIT;
	Tetragon__HealthStatusType ht[] = {
		TETRAGON__HEALTH_STATUS_TYPE__HEALTH_STATUS_TYPE_STATUS
	};

	c.name = "block-shell-exec";
	c.namespace_ = "default";
	c._enable_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___ENABLE_ENABLE;
	c.enable = 0;
	c._mode_case = TETRAGON__CONFIGURE_TRACING_POLICY_REQUEST___MODE_MODE;
	c.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_MONITOR;
	write_seed("configure", &c.base);
	d.name = "block-shell-exec";
	d.namespace_ = "default";
	write_seed("delete", &d.base);
	h.event_set = ht;
	h.n_event_set = 1;
	write_seed("health", &h.base);
}

static void events(void)
{
	static Tetragon__CapabilitiesType caps[] = { TETRAGON__CAPABILITIES_TYPE__CAP_CHOWN,
						     TETRAGON__CAPABILITIES_TYPE__CAP_BPF };
	static Tetragon__ProcessPrivilegesChanged privs[] = {
		TETRAGON__PROCESS_PRIVILEGES_CHANGED__PRIVILEGES_RAISED_EXEC_FILE_SETUID
	};
	static char *tags[] = { "shell" };
	static uint8_t bytes[] = { 'h', 'i', 0 };
	Google__Protobuf__UInt32Value pid = GOOGLE__PROTOBUF__UINT32_VALUE__INIT;
	Google__Protobuf__Int32Value capv = GOOGLE__PROTOBUF__INT32_VALUE__INIT;
	Google__Protobuf__Timestamp t = GOOGLE__PROTOBUF__TIMESTAMP__INIT;
	Tetragon__Process p = TETRAGON__PROCESS__INIT, parent = TETRAGON__PROCESS__INIT;
	Tetragon__Capabilities cap = TETRAGON__CAPABILITIES__INIT;
	Tetragon__Namespaces nss = TETRAGON__NAMESPACES__INIT;
	Tetragon__Namespace ns = TETRAGON__NAMESPACE__INIT;
	Tetragon__ProcessCredentials cred = TETRAGON__PROCESS_CREDENTIALS__INIT;
	Tetragon__BinaryProperties bp = TETRAGON__BINARY_PROPERTIES__INIT;
	Tetragon__FileProperties fp = TETRAGON__FILE_PROPERTIES__INIT;
	Tetragon__InodeProperties ip = TETRAGON__INODE_PROPERTIES__INIT;
	Tetragon__Pod pod = TETRAGON__POD__INIT;
	Tetragon__Container ctr = TETRAGON__CONTAINER__INIT;
	Tetragon__Image img = TETRAGON__IMAGE__INIT;
	Tetragon__Pod__PodLabelsEntry label = TETRAGON__POD__POD_LABELS_ENTRY__INIT,
				      *lp[] = { &label };
	Tetragon__ProcessExec exec = TETRAGON__PROCESS_EXEC__INIT;
	Tetragon__ProcessKprobe kp = TETRAGON__PROCESS_KPROBE__INIT;
	Tetragon__KprobeArgument a[6] = {
		TETRAGON__KPROBE_ARGUMENT__INIT, TETRAGON__KPROBE_ARGUMENT__INIT,
		TETRAGON__KPROBE_ARGUMENT__INIT, TETRAGON__KPROBE_ARGUMENT__INIT,
		TETRAGON__KPROBE_ARGUMENT__INIT, TETRAGON__KPROBE_ARGUMENT__INIT
	};
	Tetragon__KprobeArgument *ap[] = { &a[0], &a[1], &a[2], &a[3], &a[4] };
	Tetragon__KprobeSock sock = TETRAGON__KPROBE_SOCK__INIT;
	Tetragon__KprobeFile file = TETRAGON__KPROBE_FILE__INIT;
	Tetragon__KprobeCapability kc = TETRAGON__KPROBE_CAPABILITY__INIT;
	Tetragon__GetEventsResponse r = TETRAGON__GET_EVENTS_RESPONSE__INIT;

	pid.value = 4242;
	t.seconds = 1700000000;
	t.nanos = 123456789;
	cap.permitted = caps;
	cap.n_permitted = 2;
	ns.inum = 4026531836U;
	ns.is_host = 1;
	nss.pid = &ns;
	nss.net = &ns;
	cred.uid = &pid;
	cred.euid = &pid;
	ip.number = 77;
	ip.links = &pid;
	fp.inode = &ip;
	bp.setuid = &pid;
	bp.privileges_changed = privs;
	bp.n_privileges_changed = 1;
	bp.file = &fp;
	img.id = "sha256:abc";
	img.name = "nginx:1";
	ctr.id = "4f1c9d2e7a8b";
	ctr.name = "web";
	ctr.image = &img;
	ctr.start_time = &t;
	ctr.pid = &pid;
	label.key = "app";
	label.value = "web";
	pod.namespace_ = "default";
	pod.name = "web-0";
	pod.container = &ctr;
	pod.pod_labels = lp;
	pod.n_pod_labels = 1;
	p.exec_id = "bm9kZTE6MTAwMDoxMA==";
	p.pid = &pid;
	p.uid = &pid;
	p.cwd = "/";
	p.binary = "/usr/bin/curl";
	p.arguments = "-s https://example.com";
	p.flags = "execve";
	p.start_time = &t;
	p.auid = &pid;
	p.pod = &pod;
	p.docker = "4f1c9d2e7a8b";
	p.parent_exec_id = "bm9kZTE6OTk6MQ==";
	p.cap = &cap;
	p.ns = &nss;
	p.tid = &pid;
	p.process_credentials = &cred;
	p.binary_properties = &bp;
	parent.exec_id = "bm9kZTE6OTk6MQ==";
	parent.binary = "/bin/bash";
	exec.process = &p;
	exec.parent = &parent;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	r.process_exec = &exec;
	r.node_name = "node1";
	r.time = &t;
	write_seed("event-exec", &r.base);

	sock.family = "AF_INET";
	sock.saddr = "10.0.0.1";
	sock.dport = 443;
	sock.cookie = 99;
	file.path = "/etc/shadow";
	capv.value = 21;
	kc.value = &capv;
	kc.name = "CAP_SYS_ADMIN";
	a[0].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SOCK_ARG;
	a[0].sock_arg = &sock;
	a[1].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_FILE_ARG;
	a[1].file_arg = &file;
	a[1].label = "file";
	a[2].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_BYTES_ARG;
	a[2].bytes_arg.data = bytes;
	a[2].bytes_arg.len = sizeof(bytes);
	a[3].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_CAPABILITY_ARG;
	a[3].capability_arg = &kc;
	a[4].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_SIZE_ARG;
	a[4].size_arg = 1ULL << 40;
	a[5].arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_INT_ARG;
	a[5].int_arg = -1;
	kp.process = &p;
	kp.function_name = "tcp_connect";
	kp.args = ap;
	kp.n_args = 5;
	kp.return_ = &a[5];
	kp.action = TETRAGON__KPROBE_ACTION__KPROBE_ACTION_SIGKILL;
	kp.policy_name = "egress";
	kp.tags = tags;
	kp.n_tags = 1;
	r.event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE;
	r.process_kprobe = &kp;
	write_seed("event-kprobe", &r.base);
}

static void responses(void)
{
	Tetragon__ListTracingPoliciesResponse l = TETRAGON__LIST_TRACING_POLICIES_RESPONSE__INIT;
	Tetragon__TracingPolicyStatus st = TETRAGON__TRACING_POLICY_STATUS__INIT, *stp[] = { &st };
	Tetragon__TracingPolicyStats stats = TETRAGON__TRACING_POLICY_STATS__INIT;
	Tetragon__TracingPolicyActionCounters ac = TETRAGON__TRACING_POLICY_ACTION_COUNTERS__INIT;
	Tetragon__GetInfoResponse info = TETRAGON__GET_INFO_RESPONSE__INIT;
	Tetragon__GetInfoResponse__Probe probe = TETRAGON__GET_INFO_RESPONSE__PROBE__INIT;
	Tetragon__GetInfoResponse__Probe *pp[] = { &probe };
	Tetragon__GetInfoResponse__ConfVal cv = TETRAGON__GET_INFO_RESPONSE__CONF_VAL__INIT;
	Tetragon__GetInfoResponse__ConfVal *cvp[] = { &cv };
	Tetragon__GetInfoResponse__BuildInfo bi = TETRAGON__GET_INFO_RESPONSE__BUILD_INFO__INIT;
	Google__Protobuf__BoolValue yes = GOOGLE__PROTOBUF__BOOL_VALUE__INIT;
	Google__Protobuf__Any any = GOOGLE__PROTOBUF__ANY__INIT;
	static char *sensors[] = { "security_bprm_check" };
	uint8_t buf[16];

	ac.post = 10;
	ac.signal = 2;
	ac.monitor_override = 1;
	stats.action_counters = &ac;
	st.id = 1;
	st.name = "block-shell-exec";
	st.sensors = sensors;
	st.n_sensors = 1;
	st.enabled = 1;
	st.state = TETRAGON__TRACING_POLICY_STATE__TP_STATE_ENABLED;
	st.kernel_memory_bytes = 123456;
	st.mode = TETRAGON__TRACING_POLICY_MODE__TP_MODE_ENFORCE;
	st.stats = &stats;
	st.error = "file.yaml:3:5: spec.kprobes: unknown";
	l.policies = stp;
	l.n_policies = 1;
	write_seed("list-policies", &l.base);

	yes.value = 1;
	probe.name = "bpf_lsm";
	probe.enabled = &yes;
	any.type_url = "type.googleapis.com/google.protobuf.BoolValue";
	any.value.data = buf;
	any.value.len = google__protobuf__bool_value__pack(&yes, buf);
	cv.key = "enable-process-cred";
	cv.value = &any;
	bi.commit = "abc";
	info.version = "0.1.0";
	info.name = "vigil";
	info.probes = pp;
	info.n_probes = 1;
	info.conf = cvp;
	info.n_conf = 1;
	info.build = &bi;
	write_seed("info", &info.base);
}

int main(int argc, char **argv)
{
	Tetragon__GetVersionRequest empty = TETRAGON__GET_VERSION_REQUEST__INIT;

	if (seed_start(argc, argv))
		return 2;
	write_seed("empty", &empty.base);
	/* an unknown field number 0 as the overlong tag 85 00 (fuzz_pb.c) */
	SEED("unknown-field-0", "\x85\x00\x90\x61\x00\x00");
	get_events_request();
	add_policy("block-shell-exec");
	add_policy("deny-shadow-read");
	add_policy("egress-deny");
	policy_requests();
	events();
	responses();
	return seed_failed;
}
