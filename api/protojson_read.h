/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protojson_read.h - a JSON object (json-c) as a protobuf-c message, with
 * protojson's rules, by reflection over the message's descriptor: what
 * reads Tetragon's filter text (--export-allowlist, filter.h) and can read
 * any request-like message of the API.
 *
 * Rules, as Go's protojson.Unmarshal applies them:
 *   - a field is named by its proto name or its lowerCamelCase JSON name,
 *     not both; an unknown name is an error;
 *   - null is the field's default (unset); a repeated field is an array,
 *     whose elements may not be null;
 *   - strings must hold no NUL (C strings could not carry the rest);
 *   - 32- and 64-bit integers are JSON numbers without a fraction, or
 *     strings of decimal digits; out of range is an error;
 *   - enums are a value's name, or a number (any int32);
 *   - the wrappers (BoolValue, UInt32Value, ...) are their bare value,
 *     FieldMask its paths in lowerCamelCase joined by commas;
 *   - a oneof takes one member.
 * Types the API's requests do not use (floats, bytes, maps, Timestamp,
 * Any) are refused as unsupported.
 */
#ifndef VIGIL_PROTOJSON_READ_H
#define VIGIL_PROTOJSON_READ_H

#include <stddef.h>

#include <json-c/json.h>
#include <protobuf-c/protobuf-c.h>

#include "arena.h"

/*
 * obj as a new message of type d, every part of it in a (free the arena
 * to free the message).  0; -EINVAL with "FIELD.PATH[i]: reason" in err;
 * -ENOMEM.
 */
int vigil_protojson_read(struct json_object *obj, const ProtobufCMessageDescriptor *d,
			 struct vigil_arena *a, ProtobufCMessage **out, char *err, size_t errsz);

#endif
