/* SPDX-License-Identifier: Apache-2.0 */
/*
 * filter.h - Tetragon's event filters on GetEventsResponse messages: the
 * allow and deny lists of a GetEvents request and of vigild's
 * --export-allowlist / --export-denylist (Filter), and the field filters
 * that trim what an event carries (FieldFilter).
 *
 * Filters.  A list's Filter messages are ORed; the fields set in one
 * Filter are ANDed; a repeated field holds when any one of its values
 * does; a Filter with no field set matches every event.  Each field means
 * what it means in Tetragon v1.7:
 *   binary_regex, parent_binary_regex     the process's or the parent's
 *                                         binary (no parent: no match)
 *   arguments_regex, parent_arguments_regex  their arguments
 *   namespace                             the pod's namespace; "" matches
 *                                         a process outside any pod
 *   namespace_regex, pod_regex,           the pod's namespace, name,
 *   container_name_regex, labels          container name, labels (a
 *                                         Kubernetes label selector,
 *                                         labels.h); no pod: no match
 *   container_id                          regex on the container id
 *                                         (Process.docker)
 *   health_check                          true: the process or its parent
 *                                         may be a container's exec
 *                                         probe; false: neither is
 *   pid                                   the process's pid
 *   pid_set                               a listed pid, or a child of one
 *                                         or of a child seen before: an
 *                                         event whose parent is in the
 *                                         set adds its process to it (the
 *                                         set only grows, as Tetragon's)
 *   event_set                             the event's kind (EventType)
 *   policy_names                          the policy that made a
 *                                         process_kprobe, _tracepoint or
 *                                         _lsm event
 *   capabilities                          the process's capability sets:
 *                                         per set one of any, all, exactly,
 *                                         none; an event without cap does
 *                                         not match
 * Regexes are Go's (RE2) syntax and search anywhere in the text (re2.h).
 * Refused, with a message that names the field: cel_expression (vigil has
 * no CEL), ancestor_binary_regex (vigil's events carry no ancestors, as
 * Tetragon without --enable-ancestors), in_init_tree (vigil does not
 * follow container init trees), any field this build's Filter message
 * does not know (a newer client's), an invalid regex or label selector,
 * an EventType or CapabilitiesType value the enum does not name, and a
 * capability set with more or less than one of any/all/exactly/none.
 *
 * A compiled list keeps state (the pid_set children, the regexes' match
 * data): one thread at a time per list.
 *
 * Field filters.  Each names the kinds of event it applies to (event_set;
 * none: all; invert_event_set: all but those), a FieldMask of dotted
 * paths relative to the event's body ("process.binary",
 * "parent.pod.namespace", "args", "function_name"), and an action.
 * INCLUDE keeps only the fields the mask names (no path: everything);
 * EXCLUDE drops them; node_name and time, outside the body, always stay.
 * Path parts are proto field names, or their lowerCamelCase JSON names;
 * the oneof of a KprobeArgument is "arg" ("args.arg" keeps the value,
 * "args.label" only the label).  As in Tetragon (which builds one tree of
 * the paths): a path below another narrows it ("process" and
 * "process.pid" keep only process.pid); a part no message of the event
 * has selects nothing.  The filters of a list apply in order.
 *
 * Errors are written to err as "[I].FIELD...: reason" for the I-th
 * message (the caller prefixes the list's name: "allow_list[0].pid_set")
 * or "line N: FIELD...: reason" for text.  Functions return 0, -EINVAL
 * (bad input), -EOPNOTSUPP (a field vigil cannot evaluate) or -ENOMEM.
 */
#ifndef VIGIL_FILTER_H
#define VIGIL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "tetragon/events.pb-c.h"

struct vigil_filters;

/* Compile f[0..n) (n may be 0: a list that matches nothing).  The messages
 * are not referenced afterwards. */
int vigil_filters_new(Tetragon__Filter *const *f, size_t n, struct vigil_filters **out, char *err,
		      size_t errsz);

void vigil_filters_free(struct vigil_filters *fs);

/* Whether a filter of fs matches ev (false for NULL or an empty list). */
bool vigil_filters_match(const struct vigil_filters *fs, const Tetragon__GetEventsResponse *ev);

/* Whether ev is to be sent: allow is NULL, empty or matches, and deny does
 * not match. */
bool vigil_filters_pass(const struct vigil_filters *allow, const struct vigil_filters *deny,
			const Tetragon__GetEventsResponse *ev);

/* Whether fs has a capabilities filter: its events need cap, which
 * vigild leaves out with --enable-process-cred=false (Tetragon then
 * refuses such a filter). */
bool vigil_filters_use_caps(const struct vigil_filters *fs);

/*
 * Tetragon's --export-allowlist syntax: Filter messages as protojson
 * objects (proto or lowerCamelCase field names, enums by name or number,
 * a BoolValue as a bare true/false), one per line by convention (any
 * whitespace between objects will do); blank text is an empty list.  An
 * unknown field, a value of the wrong type, a NUL in a string or anything
 * that is not a JSON object is refused, and so is whatever
 * vigil_filters_new() refuses; err names the line and the field.
 */
int vigil_filters_from_json(const char *text, size_t len, struct vigil_filters **out, char *err,
			    size_t errsz);

struct vigil_field_filters;

/* Compile ff[0..n) (their order kept).  Refused: an action other than
 * INCLUDE and EXCLUDE, an EventType the enum does not name, a path with an
 * empty part. */
int vigil_field_filters_new(Tetragon__FieldFilter *const *ff, size_t n,
			    struct vigil_field_filters **out, char *err, size_t errsz);

void vigil_field_filters_free(struct vigil_field_filters *ff);

/*
 * Apply ff to ev in place: a field dropped is cleared as protobuf-c
 * clears it (a message or bytes pointer NULL, a string "", a number 0, a
 * repeated field's count 0, a oneof's case unset).  Nothing is freed: ev's
 * memory belongs to its owner (an arena, event_pb.h), which frees the
 * dropped parts with the rest.  0 (NULL ff does nothing).
 */
int vigil_field_filters_apply(const struct vigil_field_filters *ff,
			      Tetragon__GetEventsResponse *ev);

#endif
