// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_pb.c - libFuzzer target for the API's messages as outside input:
 * the protobuf-c decoding of every request the gRPC server parses and of
 * every response the CLI reads, and the protojson writer (api/protojson.c)
 * on whatever they decode to.
 *
 * One input is the body of one gRPC message of any content, copied into a
 * heap buffer of exactly its size so that ASan reports any read past it.
 * It is unpacked, into an arena (api/arena.h), as each of the messages
 * below in turn; whatever unpacks is written with protojson, packed again,
 * unpacked again and packed once more.
 *
 * Besides the sanitizers, the target checks what the headers promise and
 * calls abort() when a promise is broken:
 *   - protojson.h: 0 or -EINVAL; on 0 the text is its stated length, one
 *     JSON object that json-c parses whole, valid UTF-8, without a raw
 *     control character (so never a second line); on error no text;
 *   - the wire form: a message that unpacked, its unknown fields dropped,
 *     packs to bytes that unpack again, pack to the same bytes and write the
 *     same protojson text.  (vigil reads no unknown field and never packs a
 *     message it received again; protobuf-c keeps some it cannot write back
 *     in a form it reads, such as field number 0 given as the overlong tag
 *     85 00, which it packs as 05 and then refuses.)
 *   - arena.h: every unpacked message is freed with its arena (LeakSanitizer
 *     checks each input: nothing else may hold memory).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "protojson.h"
#include "utf8.h"

#include "tetragon/events.pb-c.h"
#include "tetragon/sensors.pb-c.h"
#include "tetragon/tetragon.pb-c.h"

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "fuzz_pb: %s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                                           \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* What the server unpacks (requests) and what the CLI unpacks (responses). */
static const ProtobufCMessageDescriptor *const types[] = {
	&tetragon__get_events_request__descriptor,
	&tetragon__add_tracing_policy_request__descriptor,
	&tetragon__delete_tracing_policy_request__descriptor,
	&tetragon__enable_tracing_policy_request__descriptor,
	&tetragon__disable_tracing_policy_request__descriptor,
	&tetragon__configure_tracing_policy_request__descriptor,
	&tetragon__list_tracing_policies_request__descriptor,
	&tetragon__get_health_status_request__descriptor,
	&tetragon__get_version_request__descriptor,
	&tetragon__get_info_request__descriptor,
	&tetragon__get_events_response__descriptor,
	&tetragon__list_tracing_policies_response__descriptor,
	&tetragon__get_health_status_response__descriptor,
	&tetragon__get_version_response__descriptor,
	&tetragon__get_info_response__descriptor,
};

/* protojson's text for m, checked; NULL when it refused m. */
static char *write_checked(const ProtobufCMessage *m)
{
	struct json_object *o;
	struct json_tokener *tok;
	char *text = NULL;
	size_t len = 0, i;
	int rc = vigil_protojson(m, &text, &len);

	CHECK(rc == 0 || rc == -EINVAL);
	if (rc) {
		CHECK(text == NULL);
		return NULL;
	}
	CHECK(text && strlen(text) == len && len >= 2);
	CHECK(vigil_utf8_valid(text, len));
	for (i = 0; i < len; i++)
		CHECK((unsigned char)text[i] >= 0x20);
	tok = json_tokener_new();
	CHECK(tok);
	o = json_tokener_parse_ex(tok, text, (int)len);
	CHECK(o && json_tokener_get_error(tok) == json_tokener_success &&
	      json_tokener_get_parse_end(tok) == len);
	CHECK(json_object_is_type(o, json_type_object));
	json_object_put(o);
	json_tokener_free(tok);
	return text;
}

static uint8_t *pack(const ProtobufCMessage *m, size_t *len)
{
	uint8_t *buf;

	*len = protobuf_c_message_get_packed_size(m);
	buf = malloc(*len ? *len : 1);
	CHECK(buf);
	CHECK(protobuf_c_message_pack(m, buf) == *len);
	return buf;
}

/* Drop the unknown fields of m and of every message within it. */
static void drop_unknown(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	m->n_unknown_fields = 0;
	m->unknown_fields = NULL;
	for (unsigned int i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		char *member = (char *)m + f->offset;

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(size_t *)((char *)m + f->quantifier_offset);
			ProtobufCMessage **v = *(ProtobufCMessage ***)member;

			for (size_t j = 0; j < n; j++)
				drop_unknown(v[j]);
			continue;
		}
		/* a oneof's member holds another field's value unless it is the case */
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(uint32_t *)((char *)m + f->quantifier_offset) != f->id)
			continue;
		if (*(ProtobufCMessage **)member)
			drop_unknown(*(ProtobufCMessage **)member);
	}
}

static void one(const ProtobufCMessageDescriptor *d, const uint8_t *data, size_t size)
{
	struct vigil_arena arena;
	ProtobufCMessage *m, *m2;
	uint8_t *p1 = NULL, *p2 = NULL;
	size_t n1, n2;
	char *t1 = NULL, *t2 = NULL;

	vigil_arena_init(&arena);
	m = protobuf_c_message_unpack(d, vigil_arena_allocator(&arena), size, data);
	if (!m)
		goto cleanup;
	CHECK(m->descriptor == d);
	t1 = write_checked(m);
	drop_unknown(m);
	p1 = pack(m, &n1);
	m2 = protobuf_c_message_unpack(d, vigil_arena_allocator(&arena), n1, p1);
	CHECK(m2);
	p2 = pack(m2, &n2);
	CHECK(n1 == n2 && !memcmp(p1, p2, n1));
	t2 = write_checked(m2);
	CHECK((t1 == NULL) == (t2 == NULL));
	CHECK(!t1 || !strcmp(t1, t2));
cleanup:
	free(t1);
	free(t2);
	free(p1);
	free(p2);
	vigil_arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	size_t i;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		one(types[i], copy, size);
	free(copy);
	return 0;
}
