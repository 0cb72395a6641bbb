// SPDX-License-Identifier: Apache-2.0
/*
 * btf_resolve.c - resolve: field paths to offsets (see btf_resolve.h).
 *
 *   type = the argument's pointee; off = 0
 *   for each component NAME[I]:
 *       type is a pointer -> step: read the pointer at off; off = 0;
 *                            type = its pointee
 *       type must be a struct or union holding NAME (also inside
 *       anonymous members): off += its offset; type = its type
 *       [I]: type must be an array of more than I: off += I * element size
 *   last step: read sizeof(type) bytes at off (1, 2, 4 or 8: a number,
 *   an enum or a pointer)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_resolve.h"

#define MAX_DEPTH 8 /* anonymous members inside anonymous members */

static const struct btf_type *skip_mods(const struct btf *btf, __u32 id, __u32 *out_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

/* Member name of struct/union t, also inside anonymous members: its bit
 * offset from t and its type.  Bitfields are refused by the caller. */
static bool find_member(const struct btf *btf, const struct btf_type *t, const char *name,
			int depth, __u32 *bit_off, __u32 *type_id, bool *bitfield)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, n = btf_vlen(t);

	for (i = 0; i < n; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *mt;

		if (mn && mn[0]) {
			if (strcmp(mn, name))
				continue;
			*bit_off = btf_member_bit_offset(t, i);
			*type_id = m->type;
			*bitfield = btf_member_bitfield_size(t, i) != 0;
			return true;
		}
		mt = skip_mods(btf, m->type, NULL);
		if (depth < MAX_DEPTH && mt && (btf_is_struct(mt) || btf_is_union(mt)) &&
		    find_member(btf, mt, name, depth + 1, bit_off, type_id, bitfield)) {
			*bit_off += btf_member_bit_offset(t, i);
			return true;
		}
	}
	return false;
}

static const char *kind_name(const struct btf *btf, const struct btf_type *t, char *buf, size_t len)
{
	const char *n = btf__name_by_offset(btf, t->name_off);

	if (btf_is_struct(t))
		snprintf(buf, len, "struct %s", n && n[0] ? n : "(anonymous)");
	else if (btf_is_union(t))
		snprintf(buf, len, "union %s", n && n[0] ? n : "(anonymous)");
	else if (btf_is_ptr(t))
		snprintf(buf, len, "a pointer");
	else if (btf_is_array(t))
		snprintf(buf, len, "an array");
	else
		snprintf(buf, len, "%s", n && n[0] ? n : "a type without a name");
	return buf;
}

/* One component: "name" or "name[index]"; *rest past it and its '.'. */
static int split(const char *s, char *name, size_t namesz, long *index, const char **rest)
{
	size_t n = strcspn(s, ".[");
	char *end;

	if (n == 0 || n >= namesz)
		return -EINVAL;
	memcpy(name, s, n);
	name[n] = 0;
	s += n;
	*index = -1;
	if (*s == '[') {
		*index = strtol(s + 1, &end, 10);
		if (end == s + 1 || *end != ']' || *index < 0)
			return -EINVAL;
		s = end + 1;
	}
	if (*s == '.')
		s++;
	else if (*s)
		return -EINVAL;
	*rest = s;
	return 0;
}

int vigil_btf_resolve(const struct btf *btf, __u32 type_id, const char *path,
		      struct vigil_resolve *out, char *why, size_t whysz)
{
	const struct btf_type *t = skip_mods(btf, type_id, NULL);
	const char *p = path;
	char name[128], what[160];
	__u32 off = 0, id;
	long index;
	__s64 size;

	memset(out, 0, sizeof(*out));
	why[0] = 0;
	if (!t || !btf_is_ptr(t)) {
		snprintf(why, whysz, "resolve needs an argument that points to a struct, not %s",
			 t ? kind_name(btf, t, what, sizeof(what)) : "an unknown type");
		return -EINVAL;
	}
	t = skip_mods(btf, t->type, NULL);
	while (*p) {
		__u32 bit_off = 0, mid = 0;
		bool bitfield = false;

		if (split(p, name, sizeof(name), &index, &p)) {
			snprintf(why, whysz, "invalid resolve path \"%s\"", path);
			return -EINVAL;
		}
		if (t && btf_is_ptr(t)) { /* read the pointer, go on in its pointee */
			if (out->n >= VIGIL_RESOLVE_MAX - 1 || off > 0xffff)
				goto too_deep;
			out->off[out->n++] = (__u16)off;
			off = 0;
			t = skip_mods(btf, t->type, NULL);
		}
		if (!t || !(btf_is_struct(t) || btf_is_union(t))) {
			snprintf(why, whysz, "\"%s\" in \"%s\": %s has no members", name, path,
				 t ? kind_name(btf, t, what, sizeof(what)) : "an unknown type");
			return -EINVAL;
		}
		if (!find_member(btf, t, name, 0, &bit_off, &mid, &bitfield)) {
			snprintf(why, whysz, "no member \"%s\" in %s", name,
				 kind_name(btf, t, what, sizeof(what)));
			return -EINVAL;
		}
		if (bitfield || bit_off % 8) {
			snprintf(why, whysz, "\"%s\" is a bitfield, which resolve cannot read",
				 name);
			return -EINVAL;
		}
		off += bit_off / 8;
		t = skip_mods(btf, mid, &id);
		if (index >= 0) {
			const struct btf_array *a = t && btf_is_array(t) ? btf_array(t) : NULL;

			if (!a || (__u32)index >= a->nelems) {
				snprintf(why, whysz, "\"%s[%ld]\": %s", name, index,
					 a ? "the index is past the array's end"
					   : "the member is not an array");
				return -EINVAL;
			}
			size = btf__resolve_size(btf, a->type);
			if (size <= 0)
				goto bad_size;
			off += (__u32)index * (__u32)size;
			t = skip_mods(btf, a->type, &id);
		}
	}
	if (!t || !(btf_is_int(t) || btf_is_enum(t) || btf_is_ptr(t) || btf_is_enum64(t))) {
		snprintf(why, whysz, "\"%s\" ends at %s: resolve reads a number or a pointer", path,
			 t ? kind_name(btf, t, what, sizeof(what)) : "an unknown type");
		return -EINVAL;
	}
	size = btf__resolve_size(btf, id);
	if (size != 1 && size != 2 && size != 4 && size != 8)
		goto bad_size;
	if (off > 0xffff)
		goto too_deep;
	out->off[out->n++] = (__u16)off;
	out->size = (__u8)size;
	return 0;
bad_size:
	snprintf(why, whysz, "\"%s\": a field of %lld bytes, not 1, 2, 4 or 8", path,
		 (long long)size);
	return -EINVAL;
too_deep:
	snprintf(why, whysz, "\"%s\" follows more than %d pointers or goes past 64 KiB", path,
		 VIGIL_RESOLVE_MAX - 1);
	return -EINVAL;
}
