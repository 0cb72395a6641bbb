/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protojson.h - any protobuf-c message as protojson text: the JSON form of
 * protobuf with proto field names, which is what Tetragon's JSON export and
 * `getevents -o json` write, and what vigild's own JSON encoder
 * (agent/encode_json.c) produces for events.
 *
 * The writer walks the message's descriptor, so it serves every message of
 * the API.  Its rules:
 *   - fields in field-number order (the order of the .proto), named as in
 *     the .proto (snake_case);
 *   - a singular scalar, string, bytes or enum equal to its default (0, "",
 *     empty) is left out, and so is an empty repeated field; a field of a
 *     oneof is written whenever it is the one set, zero or not; a message
 *     field is written when set, as {} when all of it is default;
 *   - int64, uint64 (and their fixed and zigzag forms) as JSON strings,
 *     32-bit integers as numbers, floats as the shortest text that reads
 *     back the same ("NaN", "Infinity" and "-Infinity" as strings);
 *   - enums by name, or by number for a value the enum does not name;
 *   - bytes in standard base64 with padding;
 *   - maps as objects with the keys in order;
 *   - google.protobuf.Timestamp as RFC 3339 UTC text with 0, 3, 6 or 9
 *     fractional digits (vigil_format_timestamp()), the wrappers
 *     (UInt32Value, BoolValue, ...) as their bare value, FieldMask as its
 *     paths in lowerCamelCase joined by commas, Any as the message it holds
 *     with "@type" (only for the well-known types: others are refused);
 *   - strings escaped as json-c escapes them (", \, \b, \f, \n, \r, \t,
 *     and \u00XX for the other control characters; '/' and everything
 *     else as is); an invalid UTF-8 sequence becomes U+FFFD, so the text
 *     is always valid UTF-8;
 *   - no whitespace.
 * Unknown fields are not written.
 */
#ifndef VIGIL_PROTOJSON_H
#define VIGIL_PROTOJSON_H

#include <stddef.h>
#include <stdio.h>

#include <protobuf-c/protobuf-c.h>

/*
 * msg as one JSON object, in *out (malloc'd, NUL-terminated, no newline;
 * the caller frees it) with its length in *len (may be NULL).  0, or
 * -EINVAL for what protojson cannot write (a Timestamp outside years 1 to
 * 9999, a FieldMask path that has no lowerCamelCase form, an Any of a type
 * the writer does not know, nesting deeper than any vigil message), or
 * -ENOMEM.  *out is NULL on error.
 */
int vigil_protojson(const ProtobufCMessage *msg, char **out, size_t *len);

/* msg as one JSON object and a newline, written to f whole or not at all:
 * 0, an error of vigil_protojson(), or -EIO. */
int vigil_protojson_write(FILE *f, const ProtobufCMessage *msg);

#endif
