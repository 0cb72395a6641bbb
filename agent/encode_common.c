// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "encode.h"
#include "values.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void vigil_exec_id(const char *node, uint64_t ktime, uint32_t pid, char *out, size_t outsz)
{
	char raw[VIGIL_NODE_NAME_MAX + 48];
	size_t n, i, o = 0;

	n = (size_t)snprintf(raw, sizeof(raw), "%s:%" PRIu64 ":%" PRIu32, node, ktime, pid);
	if (n >= sizeof(raw))
		n = sizeof(raw) - 1;
	for (i = 0; i < n && o + 5 <= outsz; i += 3) {
		uint32_t v = (uint8_t)raw[i] << 16;

		if (i + 1 < n)
			v |= (uint8_t)raw[i + 1] << 8;
		if (i + 2 < n)
			v |= (uint8_t)raw[i + 2];
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	if (outsz)
		out[o < outsz ? o : outsz - 1] = '\0';
}

/* Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years
 * RFC 3339 can write. */
#define TS_MIN_SECS (-62135596800LL)
#define TS_MAX_SECS 253402300799LL

int vigil_format_timestamp(int64_t secs, uint32_t nsec, char *buf, size_t len)
{
	time_t t = (time_t)secs;
	struct tm tm;
	int n;

	if (len)
		buf[0] = '\0';
	if (secs < TS_MIN_SECS || secs > TS_MAX_SECS || nsec >= 1000000000U)
		return -EINVAL;
	if (!gmtime_r(&t, &tm))
		return -EINVAL;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= len)
		return 0;
	if (nsec == 0)
		snprintf(buf + n, len - (size_t)n, "Z");
	else if (nsec % 1000000 == 0)
		snprintf(buf + n, len - (size_t)n, ".%03uZ", nsec / 1000000);
	else if (nsec % 1000 == 0)
		snprintf(buf + n, len - (size_t)n, ".%06uZ", nsec / 1000);
	else
		snprintf(buf + n, len - (size_t)n, ".%09uZ", nsec);
	return 0;
}

void vigil_format_time(uint64_t wall_ns, char *buf, size_t len)
{
	vigil_format_timestamp((int64_t)(wall_ns / 1000000000ULL),
			       (uint32_t)(wall_ns % 1000000000ULL), buf, len);
}

void vigil_signal_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (sig <= 0)
		snprintf(buf, len, "%s", "");
	else if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else
		snprintf(buf, len, "SIG%d", sig);
}

/* Tetragon's CapabilitiesType enum spells the kernel's names (policy/
 * values.c), except DAC_OVERRIDE, which has no CAP_ prefix there. */
const char *vigil_cap_enum_name(unsigned int cap)
{
	return cap == 1 ? "DAC_OVERRIDE" : vigil_cap_name(cap);
}

/*
 * setuid: the file is set-user-ID, its owner is the new effective uid, and
 * that differs from the real uid (a nosuid mount or a caller who is already
 * that user changes nothing).  setgid likewise (S_ISGID only counts with
 * group execute; without it the bit means mandatory locking).  A file
 * capability raised privileges when exec cleared the personality flags
 * (bprm->per_clear, set only when privileges rise) without a set-ID bit.
 */
void vigil_binary_props(const struct vigil_process *p, struct vigil_binary_props *out)
{
	const struct vigil_exec_file *f = &p->file;
	const struct vigil_creds *c = &p->creds;
	bool suid_file = f->mode & S_ISUID;
	bool sgid_file = (f->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP);

	memset(out, 0, sizeof(*out));
	if (!f->ino)
		return; /* not seen at exec (seeded from /proc) */
	if (suid_file && c->euid == f->uid && c->euid != c->uid) {
		out->has_setuid = true;
		out->setuid = c->euid;
		out->privs[out->nprivs++] = VIGIL_PRIV_RAISED_EXEC_FILE_SETUID;
	}
	if (sgid_file && c->egid == f->gid && c->egid != c->gid) {
		out->has_setgid = true;
		out->setgid = c->egid;
		out->privs[out->nprivs++] = VIGIL_PRIV_RAISED_EXEC_FILE_SETGID;
	}
	if (f->per_clear && !suid_file && !sgid_file)
		out->privs[out->nprivs++] = VIGIL_PRIV_RAISED_EXEC_FILE_CAP;
	if (f->nlink == 0) {
		out->fileless = true;
		out->ino = f->ino;
		out->links = 0;
	}
	out->present = out->nprivs || out->fileless;
}

const char *vigil_priv_change_name(enum vigil_priv_change c)
{
	switch (c) {
	case VIGIL_PRIV_RAISED_EXEC_FILE_CAP:
		return "PRIVILEGES_RAISED_EXEC_FILE_CAP";
	case VIGIL_PRIV_RAISED_EXEC_FILE_SETUID:
		return "PRIVILEGES_RAISED_EXEC_FILE_SETUID";
	case VIGIL_PRIV_RAISED_EXEC_FILE_SETGID:
		return "PRIVILEGES_RAISED_EXEC_FILE_SETGID";
	}
	return "PRIVILEGES_CHANGED_UNSET";
}

const char *vigil_action_name(uint32_t actions)
{
	if (actions & VIGIL_ACTION_SIGKILL)
		return "KPROBE_ACTION_SIGKILL";
	if (actions & VIGIL_ACTION_OVERRIDE)
		return "KPROBE_ACTION_OVERRIDE";
	if (actions & VIGIL_ACTION_SIGNAL)
		return "KPROBE_ACTION_SIGNAL";
	if (actions & VIGIL_ACTION_POST)
		return "KPROBE_ACTION_POST";
	return "KPROBE_ACTION_NOPOST";
}

void vigil_format_addr(const uint8_t a[16], char *buf, size_t len)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!memcmp(a, mapped, sizeof(mapped)))
		inet_ntop(AF_INET, a + 12, buf, (socklen_t)len);
	else
		inet_ntop(AF_INET6, a, buf, (socklen_t)len);
}

static const struct {
	uint32_t flag;
	const char *word;
} flag_words[] = {
	{ VIGIL_PF_EXECVE, "execve" },
	{ VIGIL_PF_PROCFS, "procFS" },
	{ VIGIL_PF_TRUNC_ARGS, "truncArgs" },
	{ VIGIL_PF_MISS, "miss" },
	{ VIGIL_PF_ERR_FILENAME, "errorFilename" },
	{ VIGIL_PF_ERR_ARGS, "errorArgs" },
	{ VIGIL_PF_ROOTCWD, "rootcwd" },
	{ VIGIL_PF_ERR_CWD, "errorCWD" },
	{ VIGIL_PF_CLONE, "clone" },
};

size_t vigil_flags_text(uint32_t flags, char *buf, size_t len)
{
	size_t i, n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < sizeof(flag_words) / sizeof(flag_words[0]) && n < len; i++)
		if (flags & flag_words[i].flag)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
					      flag_words[i].word);
	return n < len ? n : (len ? len - 1 : 0);
}

enum vigil_int_arg vigil_int_arg_kind(const char *type_name)
{
	const char *t = type_name ? type_name : "int";

	if (!strcmp(t, "size_t") || !strcmp(t, "uint64") || !strcmp(t, "u64") ||
	    !strcmp(t, "ulong"))
		return VIGIL_INT_ARG_SIZE;
	if (!strcmp(t, "long") || !strcmp(t, "int64") || !strcmp(t, "sint64") || !strcmp(t, "s64"))
		return VIGIL_INT_ARG_LONG;
	if (t[0] == 'u')
		return VIGIL_INT_ARG_UINT;
	return VIGIL_INT_ARG_INT;
}

const char *vigil_name_or_number(const char *name, unsigned int v, char *buf, size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}
