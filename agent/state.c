// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "output.h"
#include "state.h"

struct save_ctx {
	FILE *f;
	int err;
};

static void save_one(void *arg, struct vigil_process *p)
{
	struct save_ctx *s = arg;
	struct json_object *o = json_object_new_object();
	const char *text;

	if (!o) {
		s->err = -ENOMEM;
		return;
	}
	json_object_object_add(o, "pid", json_object_new_int64(p->pid));
	json_object_object_add(o, "tid", json_object_new_int64(p->tid));
	json_object_object_add(o, "ktime", json_object_new_uint64(p->ktime));
	json_object_object_add(o, "flags", json_object_new_int64(p->flags));
	json_object_object_add(o, "binary", json_object_new_string(p->binary));
	json_object_object_add(o, "args", json_object_new_string(p->args));
	json_object_object_add(o, "cwd", json_object_new_string(p->cwd));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if (!text || fprintf(s->f, "%s\n", text) < 0)
		s->err = -EIO;
	json_object_put(o);
}

int vigil_state_save(struct vigil_cache *c, const char *dir)
{
	char path[4096], tmp[4096 + 8];
	struct save_ctx s = { 0 };
	int fd;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		vigil_err("saving process records: cannot create %s: %s", dir, strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/" VIGIL_STATE_FILE, dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = vigil_open_private(tmp, O_TRUNC);
	if (fd < 0) {
		vigil_err("saving process records to %s: %s", tmp, strerror(-fd));
		return fd;
	}
	s.f = fdopen(fd, "w");
	if (!s.f) {
		s.err = -errno;
		close(fd);
		goto cleanup;
	}
	vigil_cache_for_each(c, save_one, &s);
	if (fclose(s.f) && !s.err)
		s.err = -errno;
	if (!s.err && rename(tmp, path))
		s.err = -errno;
cleanup:
	if (s.err) {
		vigil_err("saving process records to %s: %s", path, strerror(-s.err));
		unlink(tmp);
	}
	return s.err;
}

static bool get_u64(struct json_object *o, const char *key, uint64_t max, uint64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	errno = 0;
	*out = json_object_get_uint64(v);
	return !errno && *out <= max && json_object_get_int64(v) >= 0;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int vigil_state_parse_line(const char *line, size_t len, struct vigil_cache *c)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL;
	struct vigil_exec_desc d = { 0 };
	struct vigil_process *p;
	uint64_t pid, tid, ktime, flags;
	int err = -EINVAL;

	if (!tok)
		return -ENOMEM;
	if (len > INT32_MAX)
		goto cleanup;
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(o, json_type_object))
		goto cleanup;
	if (!get_u64(o, "pid", UINT32_MAX, &pid) || !pid || !get_u64(o, "tid", UINT32_MAX, &tid) ||
	    !get_u64(o, "ktime", UINT64_MAX, &ktime) || !get_u64(o, "flags", UINT32_MAX, &flags))
		goto cleanup;
	d.binary = get_str(o, "binary");
	d.args = get_str(o, "args");
	d.cwd = get_str(o, "cwd");
	if (!d.binary || !d.args || !d.cwd)
		goto cleanup;
	d.pid = (uint32_t)pid;
	d.tid = (uint32_t)tid;
	d.ktime = ktime;
	d.flags = (uint32_t)flags;
	p = vigil_cache_exec(c, &d);
	err = p ? 0 : -ENOMEM;
	vigil_process_put(c, p);
cleanup:
	json_object_put(o);
	json_tokener_free(tok);
	return err;
}

int vigil_state_load(const char *dir, struct vigil_cache *c, size_t *bad)
{
	char path[4096];
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int count = 0, err;

	*bad = 0;
	snprintf(path, sizeof(path), "%s/" VIGIL_STATE_FILE, dir);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		err = vigil_state_parse_line(line, (size_t)n, c);
		if (err == -ENOMEM) {
			count = err;
			break;
		}
		if (err)
			(*bad)++;
		else
			count++;
	}
	free(line);
	fclose(f);
	unlink(path);
	return count;
}

static int read_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	int ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (!ok)
		return -ENOENT;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

void vigil_state_boot_wall(const char *dir, uint64_t *boot_wall_ns)
{
	char path[4096], boot[64], line[160], saved[64];
	unsigned long long v;
	FILE *f;
	int fd;

	if (read_boot_id(boot, sizeof(boot)))
		return;
	snprintf(path, sizeof(path), "%s/clock", dir);
	f = fopen(path, "re");
	if (f) {
		bool same = fgets(line, sizeof(line), f) &&
			    sscanf(line, "%63s %llu", saved, &v) == 2 && !strcmp(saved, boot);

		fclose(f);
		if (same) {
			*boot_wall_ns = v;
			return;
		}
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return;
	fd = vigil_open_private(path, O_TRUNC);
	if (fd < 0)
		return;
	dprintf(fd, "%s %llu\n", boot, (unsigned long long)*boot_wall_ns);
	close(fd);
}
