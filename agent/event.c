// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "event.h"
#include "utf8.h"

int vigil_msg_type(const void *data, size_t size)
{
	const struct vigil_msg_hdr *h = data;

	if (!data || size < sizeof(*h) || h->size > size)
		return -EINVAL;
	switch (h->type) {
	case VIGIL_MSG_EXEC:
	case VIGIL_MSG_CLONE:
	case VIGIL_MSG_EXIT:
	case VIGIL_MSG_POLICY:
		return h->type;
	default:
		return -EINVAL;
	}
}

#define CUT_MARKER "..."

int vigil_join_reversed_path(const char *comps, size_t len, bool cut, char *out, size_t outsz)
{
	size_t i = 0, pos, mark = sizeof(CUT_MARKER) - 1;

	if (outsz < 2) {
		if (outsz)
			out[0] = '\0';
		return -ENAMETOOLONG;
	}
	/* Build right-aligned, leaf first, so that what does not fit is the
	 * root side: the leaf names the program and must survive. */
	pos = outsz - 1;
	out[pos] = '\0';
	while (i < len) {
		size_t l = strnlen(comps + i, len - i);

		if (l && l + 1 > pos) {
			cut = true;
			break;
		}
		if (l) {
			pos -= l + 1;
			out[pos] = '/';
			memcpy(out + pos + 1, comps + i, l);
		}
		i += l + 1;
	}
	if (cut) {
		/* Make room for the marker by dropping root-side components. */
		while (pos < mark && pos < outsz - 1) {
			char *next = strchr(out + pos + 1, '/');

			pos = next ? (size_t)(next - out) : outsz - 1;
		}
		if (pos < outsz - 1) {
			pos -= mark;
			memcpy(out + pos, CUT_MARKER, mark);
		}
	} else if (pos == outsz - 1) {
		out[--pos] = '/'; /* no component: the root */
	}
	memmove(out, out + pos, outsz - pos);
	return cut ? -ENAMETOOLONG : 0;
}

static int append(char *out, size_t outsz, size_t *o, const char *s, size_t l)
{
	if (*o + l + 1 > outsz)
		return -ENAMETOOLONG;
	memcpy(out + *o, s, l);
	*o += l;
	out[*o] = '\0';
	return 0;
}

int vigil_join_args(const char *argv, size_t len, char *out, size_t outsz)
{
	size_t i = strnlen(argv, len) + 1, o = 0; /* skip argv[0] */
	int err = 0;

	if (outsz == 0)
		return -ENAMETOOLONG;
	out[0] = '\0';
	while (i < len && !err) {
		size_t n = strnlen(argv + i, len - i), l = n;
		bool quote;

		/* No NUL after the last argument: the kernel cut the block at
		 * VIGIL_ARGS_MAX - 1 bytes, maybe inside a character.  The cut
		 * character is dropped, and an argument left empty with it. */
		if (i + n == len) {
			l = vigil_utf8_trim_partial(argv + i, n);
			if (n && !l)
				break;
		}
		quote = memchr(argv + i, ' ', l) != NULL;

		if (o)
			err = append(out, outsz, &o, " ", 1);
		if (!err && quote)
			err = append(out, outsz, &o, "\"", 1);
		if (!err)
			err = append(out, outsz, &o, argv + i, l);
		if (!err && quote)
			err = append(out, outsz, &o, "\"", 1);
		i += n + 1;
	}
	return err;
}

static void copy_str(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	size_t l = strnlen(src, srclen);

	if (l >= dstsz)
		l = dstsz - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

int vigil_decode_exec(const void *data, size_t size, struct vigil_exec_info *out)
{
	const struct vigil_exec_event *ev = data;
	const char *d;
	size_t need, left;

	if (vigil_msg_type(data, size) != VIGIL_MSG_EXEC || size < sizeof(*ev))
		return -EINVAL;
	need = sizeof(*ev) + (size_t)ev->binary_len + ev->cwd_len + ev->args_len + ev->cgroup_len;
	if (need > size)
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	out->raw = ev;
	d = ev->data;
	/* A bprm->filename flagged TRUNC_FILENAME was cut at VIGIL_FILENAME_MAX
	 * - 1 bytes, maybe inside a character: that character is dropped. */
	if (ev->flags & VIGIL_EXEC_F_FILENAME_WALKED)
		vigil_join_reversed_path(d, ev->binary_len, ev->flags & VIGIL_EXEC_F_TRUNC_PATH,
					 out->binary, sizeof(out->binary));
	else if (ev->flags & VIGIL_EXEC_F_TRUNC_FILENAME)
		copy_str(out->binary, sizeof(out->binary), d,
			 vigil_utf8_trim_partial(d, strnlen(d, ev->binary_len)));
	else
		copy_str(out->binary, sizeof(out->binary), d, ev->binary_len);
	d += ev->binary_len;
	vigil_join_reversed_path(d, ev->cwd_len, ev->flags & VIGIL_EXEC_F_TRUNC_CWD, out->cwd,
				 sizeof(out->cwd));
	d += ev->cwd_len;
	if (ev->args_len)
		vigil_join_args(d, ev->args_len, out->args, sizeof(out->args));
	d += ev->args_len;
	left = ev->cgroup_len;
	if (left) {
		size_t l = strnlen(d, left);

		copy_str(out->cgroup_leaf, sizeof(out->cgroup_leaf), d, left);
		if (l + 1 < left)
			copy_str(out->cgroup_parent, sizeof(out->cgroup_parent), d + l + 1,
				 left - l - 1);
	}
	return 0;
}

int vigil_decode_clone(const void *data, size_t size, const struct vigil_clone_event **out)
{
	if (vigil_msg_type(data, size) != VIGIL_MSG_CLONE || size < sizeof(**out))
		return -EINVAL;
	*out = data;
	return 0;
}

int vigil_decode_exit(const void *data, size_t size, const struct vigil_exit_event **out)
{
	if (vigil_msg_type(data, size) != VIGIL_MSG_EXIT || size < sizeof(**out))
		return -EINVAL;
	*out = data;
	return 0;
}

int vigil_decode_policy(const void *data, size_t size, struct vigil_policy_event_info *out)
{
	const struct vigil_policy_event *ev = data;
	size_t off = 0, i;

	if (vigil_msg_type(data, size) != VIGIL_MSG_POLICY || size < sizeof(*ev))
		return -EINVAL;
	if (ev->nargs > VIGIL_HOOK_ARGS || sizeof(*ev) + (size_t)ev->data_len > size)
		return -EINVAL;
	out->raw = ev;
	out->nargs = ev->nargs;
	for (i = 0; i < ev->nargs; i++) {
		struct vigil_policy_arg_info *a = &out->args[i];
		struct vigil_arg_rec rec;
		const char *str;

		if (off + sizeof(rec) > ev->data_len)
			return -EINVAL;
		memcpy(&rec, ev->data + off, sizeof(rec));
		off += sizeof(rec);
		if (rec.slot >= VIGIL_HOOK_ARGS || rec.type >= VIGIL_AT_COUNT ||
		    off + rec.len > ev->data_len)
			return -EINVAL;
		a->slot = rec.slot;
		a->type = rec.type;
		a->truncated = rec.flags != 0;
		a->num = rec.num;
		a->str[0] = 0;
		a->bin = NULL;
		a->bin_len = 0;
		if (rec.type == VIGIL_AT_CHAR_BUF || rec.type == VIGIL_AT_CRED ||
		    rec.type == VIGIL_AT_SOCK || rec.type == VIGIL_AT_SOCKADDR ||
		    rec.type == VIGIL_AT_SKB) {
			size_t want = rec.type == VIGIL_AT_CRED	      ? sizeof(struct vigil_creds)
				      : rec.type == VIGIL_AT_CHAR_BUF ? rec.len
				      : rec.type == VIGIL_AT_SKB ? sizeof(struct vigil_skb_info)
								 : sizeof(struct vigil_sock_info);

			if (rec.len != want)
				return -EINVAL;
			a->bin = ev->data + off;
			a->bin_len = rec.len;
		} else if (rec.len) {
			str = ev->data + off;
			if (str[rec.len - 1] != 0)
				return -EINVAL;
			vigil_utf8_sanitize(str, strlen(str), a->str, sizeof(a->str));
		}
		off += rec.len;
	}
	return 0;
}
