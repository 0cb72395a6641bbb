// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_filter.c - libFuzzer target for Tetragon's filter text as outside
 * input (vigild --export-allowlist / --export-denylist, and the filters of
 * a GetEvents request once read): vigil_filters_from_json() (api/filter.c)
 * through the JSON reader (api/protojson_read.c), the RE2 checker and
 * PCRE2 (api/re2.c) and the label selector parser (api/labels.c).  A list
 * that compiles is matched against events of every kind, with and without
 * pods, labels, capabilities and parents.  When the text is one JSON
 * object, it is also read as a FieldFilter and applied to each event
 * (api/field_filter.c).
 *
 * One input is the text, copied into a heap buffer of exactly its size
 * (not NUL-terminated), so that ASan reports any read past it.  Besides
 * the sanitizers, the target checks what filter.h promises and calls
 * abort() when a promise is broken:
 *   - 0 and a list, or -EINVAL / -EOPNOTSUPP and no list, and then a
 *     message starting with "line N: " that is clean text (valid UTF-8, no
 *     control or bidi character: the input never reaches a terminal raw);
 *   - matching is repeatable: an event that matched matches again (pid_set
 *     only learns);
 *   - vigil_filters_pass() agrees with vigil_filters_match(), the list
 *     as the allow list and as the deny list;
 *   - a field-filtered event still packs, and unpacks to the same bytes;
 *   - every list and message is freed (LeakSanitizer checks each input).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "diag.h"
#include "filter.h"
#include "protojson_read.h"

#define CHECK(cond)                                                                             \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "fuzz_filter: %s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                                               \
			abort();                                                                \
		}                                                                               \
	} while (0)

#define NEVENTS 7

static void *msg(struct vigil_arena *a, const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = vigil_arena_alloc(a, d->sizeof_message);

	CHECK(m);
	d->message_init(m);
	return m;
}

static Tetragon__Process *proc(struct vigil_arena *a, uint32_t pid, const char *binary,
			       const char *args, bool pod)
{
	static Tetragon__CapabilitiesType eff[] = { 21, 39 };
	Tetragon__Process *p = msg(a, &tetragon__process__descriptor);
	Tetragon__Pod__PodLabelsEntry *l;

	p->pid = msg(a, &google__protobuf__uint32_value__descriptor);
	p->pid->value = pid;
	p->binary = (char *)binary;
	p->arguments = (char *)args;
	p->cap = msg(a, &tetragon__capabilities__descriptor);
	p->cap->effective = eff;
	p->cap->n_effective = 2;
	if (!pod)
		return p;
	p->docker = "4f1c9d2e7a8b6c5d";
	p->pod = msg(a, &tetragon__pod__descriptor);
	p->pod->namespace_ = "default";
	p->pod->name = "web-7d9f";
	p->pod->container = msg(a, &tetragon__container__descriptor);
	p->pod->container->name = "nginx";
	p->pod->container->maybe_exec_probe = pid & 1;
	l = msg(a, &tetragon__pod__pod_labels_entry__descriptor);
	l->key = "app";
	l->value = "web";
	p->pod->pod_labels = vigil_arena_alloc(a, sizeof(*p->pod->pod_labels));
	CHECK(p->pod->pod_labels);
	p->pod->pod_labels[0] = l;
	p->pod->n_pod_labels = 1;
	return p;
}

/* An event of each kind; new each time (field filters change them). */
static void events(struct vigil_arena *a, Tetragon__GetEventsResponse *ev[NEVENTS])
{
	Tetragon__Process *init = proc(a, 1, "/sbin/init", "", false);
	Tetragon__Process *sh = proc(a, 100, "/bin/sh", "-c curl", false);
	Tetragon__Process *curl = proc(a, 200, "/usr/bin/curl", "-s https://x\xc3\xa9", true);
	Tetragon__KprobeArgument *arg = msg(a, &tetragon__kprobe_argument__descriptor);
	int i;

	arg->arg_case = TETRAGON__KPROBE_ARGUMENT__ARG_STRING_ARG;
	arg->string_arg = "/etc/passwd";
	arg->label = "path";
	for (i = 0; i < NEVENTS; i++) {
		ev[i] = msg(a, &tetragon__get_events_response__descriptor);
		ev[i]->node_name = "node1";
	}
	ev[0]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	ev[0]->process_exec = msg(a, &tetragon__process_exec__descriptor);
	ev[0]->process_exec->process = sh;
	ev[0]->process_exec->parent = init;
	ev[1]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXEC;
	ev[1]->process_exec = msg(a, &tetragon__process_exec__descriptor);
	ev[1]->process_exec->process = curl;
	ev[1]->process_exec->parent = sh;
	ev[2]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_EXIT;
	ev[2]->process_exit = msg(a, &tetragon__process_exit__descriptor);
	ev[2]->process_exit->process = curl;
	ev[2]->process_exit->signal = "SIGKILL";
	ev[3]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_KPROBE;
	ev[3]->process_kprobe = msg(a, &tetragon__process_kprobe__descriptor);
	ev[3]->process_kprobe->process = curl;
	ev[3]->process_kprobe->parent = sh;
	ev[3]->process_kprobe->policy_name = "block";
	ev[3]->process_kprobe->function_name = "security_file_open";
	ev[3]->process_kprobe->args = vigil_arena_alloc(a, sizeof(*ev[3]->process_kprobe->args));
	CHECK(ev[3]->process_kprobe->args);
	ev[3]->process_kprobe->args[0] = arg;
	ev[3]->process_kprobe->n_args = 1;
	ev[4]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_TRACEPOINT;
	ev[4]->process_tracepoint = msg(a, &tetragon__process_tracepoint__descriptor);
	ev[4]->process_tracepoint->process = sh;
	ev[4]->process_tracepoint->policy_name = "tp";
	ev[5]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_PROCESS_LSM;
	ev[5]->process_lsm = msg(a, &tetragon__process_lsm__descriptor);
	ev[5]->process_lsm->process = curl;
	ev[5]->process_lsm->policy_name = "deny";
	ev[6]->event_case = TETRAGON__GET_EVENTS_RESPONSE__EVENT_RATE_LIMIT_INFO;
	ev[6]->rate_limit_info = msg(a, &tetragon__rate_limit_info__descriptor);
}

static void check_error(int ret, const struct vigil_filters *fs, const char *err)
{
	CHECK(ret == -EINVAL || ret == -EOPNOTSUPP || ret == -ENOMEM);
	CHECK(fs == NULL);
	CHECK(ret == -ENOMEM || !strncmp(err, "line ", 5));
	CHECK(vigil_text_is_clean(err, strlen(err)));
}

static void filters(const char *text, size_t len, Tetragon__GetEventsResponse *ev[NEVENTS])
{
	struct vigil_filters *fs = NULL;
	char err[1024] = "";
	bool first[NEVENTS];
	int ret, i;

	ret = vigil_filters_from_json(text, len, &fs, err, sizeof(err));
	if (ret) {
		check_error(ret, fs, err);
		return;
	}
	CHECK(fs);
	for (i = 0; i < NEVENTS; i++)
		first[i] = vigil_filters_match(fs, ev[i]);
	for (i = 0; i < NEVENTS; i++) {
		bool again = vigil_filters_match(fs, ev[i]);

		CHECK(!first[i] || again);
		/* the same state: the same answer */
		CHECK(!again || vigil_filters_pass(fs, NULL, ev[i]));
		CHECK(vigil_filters_pass(NULL, fs, ev[i]) == !again);
	}
	(void)vigil_filters_use_caps(fs);
	vigil_filters_free(fs);
}

/* The text as one FieldFilter, applied to each event. */
static void field_filter(const char *text, size_t len, struct vigil_arena *a,
			 Tetragon__GetEventsResponse *ev[NEVENTS])
{
	struct json_tokener *tok = json_tokener_new();
	struct vigil_field_filters *ff = NULL;
	struct json_object *o = NULL;
	Tetragon__FieldFilter *list[1];
	ProtobufCMessage *m;
	char err[1024];
	int i, ret;

	CHECK(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	if (len < 0x7fffffff)
		o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o || !json_object_is_type(o, json_type_object))
		goto cleanup;
	ret = vigil_protojson_read(o, &tetragon__field_filter__descriptor, a, &m, err, sizeof(err));
	if (ret) {
		CHECK(ret == -EINVAL && vigil_text_is_clean(err, strlen(err)));
		goto cleanup;
	}
	list[0] = (Tetragon__FieldFilter *)m;
	ret = vigil_field_filters_new(list, 1, &ff, err, sizeof(err));
	if (ret) {
		CHECK((ret == -EINVAL || ret == -EOPNOTSUPP) && !ff);
		CHECK(vigil_text_is_clean(err, strlen(err)));
		goto cleanup;
	}
	for (i = 0; i < NEVENTS; i++) {
		size_t n;
		uint8_t *buf, *buf2;
		Tetragon__GetEventsResponse *back;

		CHECK(vigil_field_filters_apply(ff, ev[i]) == 0);
		n = tetragon__get_events_response__get_packed_size(ev[i]);
		buf = malloc(n ? n : 1);
		buf2 = malloc(n ? n : 1);
		CHECK(buf && buf2);
		CHECK(tetragon__get_events_response__pack(ev[i], buf) == n);
		back = tetragon__get_events_response__unpack(vigil_arena_allocator(a), n, buf);
		CHECK(back);
		CHECK(tetragon__get_events_response__get_packed_size(back) == n);
		CHECK(tetragon__get_events_response__pack(back, buf2) == n);
		CHECK(!memcmp(buf, buf2, n));
		free(buf);
		free(buf2);
	}
cleanup:
	vigil_field_filters_free(ff);
	json_object_put(o);
	json_tokener_free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Tetragon__GetEventsResponse *ev[NEVENTS];
	char *text = malloc(size ? size : 1);
	struct vigil_arena a;

	if (!text)
		return 0;
	memcpy(text, data, size);
	vigil_arena_init(&a);
	events(&a, ev);
	filters(text, size, ev);
	field_filter(text, size, &a, ev);
	vigil_arena_free(&a);
	free(text);
	return 0;
}
