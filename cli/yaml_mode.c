// SPDX-License-Identifier: Apache-2.0
/*
 * yaml_mode.c - vigil tp add --mode: spec.options' policy-mode set in a
 * policy's text (cli.h).  libyaml's events give every node's position; the
 * text is edited there, so that everything before the edit keeps its line
 * and column (the errors vigild reports point into the user's file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cli.h"

struct ym {
	yaml_parser_t p;
	size_t last_end; /* where the last scalar read ends */
	char *err;
	size_t errsz;
};

struct found {
	long spec_col;	 /* column of spec's keys; -1: no spec */
	size_t spec_end; /* end of spec's last scalar */
	bool has_options;
	long dash_col, key_col; /* of options' items */
	size_t options_end;
	bool has_value; /* policy-mode's value: [value_start, value_end) */
	size_t value_start, value_end;
};

static int next(struct ym *y, yaml_event_t *e)
{
	if (!yaml_parser_parse(&y->p, e)) {
		snprintf(y->err, y->errsz, "line %zu: %s", y->p.problem_mark.line + 1,
			 y->p.problem ? y->p.problem : "not valid YAML");
		return -EINVAL;
	}
	if (e->type == YAML_SCALAR_EVENT || e->type == YAML_ALIAS_EVENT)
		y->last_end = e->end_mark.index;
	return 0;
}

/* Consume the node that starts with e (e is deleted). */
static int skip(struct ym *y, yaml_event_t *e)
{
	int depth = 0, ret = 0;

	for (;;) {
		if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (e->type == YAML_SEQUENCE_END_EVENT || e->type == YAML_MAPPING_END_EVENT)
			depth--;
		yaml_event_delete(e);
		if (depth <= 0)
			return ret;
		ret = next(y, e);
		if (ret)
			return ret;
	}
}

static bool scalar_is(const yaml_event_t *e, const char *s)
{
	return e->type == YAML_SCALAR_EVENT && e->data.scalar.length == strlen(s) &&
	       !memcmp(e->data.scalar.value, s, e->data.scalar.length);
}

/* One item of spec.options: { name: ..., value: ... }. */
static int option_item(struct ym *y, yaml_event_t *e, struct found *f)
{
	bool is_mode = false, has_value = false;
	size_t vs = 0, ve = 0;
	yaml_event_t k, v;
	int ret;

	if (e->type != YAML_MAPPING_START_EVENT)
		return skip(y, e);
	yaml_event_delete(e);
	for (;;) {
		ret = next(y, &k);
		if (ret)
			return ret;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			break;
		}
		if (f->key_col < 0)
			f->key_col = (long)k.start_mark.column;
		ret = next(y, &v);
		if (ret) {
			yaml_event_delete(&k);
			return ret;
		}
		if (scalar_is(&k, "name")) {
			is_mode = scalar_is(&v, "policy-mode");
		} else if (scalar_is(&k, "value") && v.type == YAML_SCALAR_EVENT) {
			has_value = true;
			vs = v.start_mark.index;
			ve = v.end_mark.index;
		}
		yaml_event_delete(&k);
		ret = skip(y, &v);
		if (ret)
			return ret;
	}
	if (is_mode) {
		if (!has_value) {
			snprintf(y->err, y->errsz, "spec.options: policy-mode has no value to set");
			return -EINVAL;
		}
		f->has_value = true;
		f->value_start = vs;
		f->value_end = ve;
	}
	return 0;
}

static int options(struct ym *y, yaml_event_t *e, struct found *f)
{
	yaml_event_t item;
	int ret;

	if (e->type != YAML_SEQUENCE_START_EVENT ||
	    e->data.sequence_start.style != YAML_BLOCK_SEQUENCE_STYLE) {
		yaml_event_delete(e);
		snprintf(y->err, y->errsz,
			 "spec.options is not a block list; set policy-mode in the file");
		return -EINVAL;
	}
	f->has_options = true;
	f->dash_col = (long)e->start_mark.column;
	yaml_event_delete(e);
	for (;;) {
		ret = next(y, &item);
		if (ret)
			return ret;
		if (item.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&item);
			break;
		}
		ret = option_item(y, &item, f);
		if (ret)
			return ret;
	}
	f->options_end = y->last_end;
	return 0;
}

static int spec(struct ym *y, yaml_event_t *e, struct found *f)
{
	yaml_event_t k, v;
	int ret;

	if (e->type != YAML_MAPPING_START_EVENT ||
	    e->data.mapping_start.style != YAML_BLOCK_MAPPING_STYLE) {
		yaml_event_delete(e);
		snprintf(y->err, y->errsz, "spec is not a block mapping");
		return -EINVAL;
	}
	yaml_event_delete(e);
	for (;;) {
		ret = next(y, &k);
		if (ret)
			return ret;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			break;
		}
		if (f->spec_col < 0)
			f->spec_col = (long)k.start_mark.column;
		ret = next(y, &v);
		if (!ret && scalar_is(&k, "options"))
			ret = options(y, &v, f);
		else if (!ret)
			ret = skip(y, &v);
		yaml_event_delete(&k);
		if (ret)
			return ret;
	}
	f->spec_end = y->last_end;
	return 0;
}

static int find(struct ym *y, struct found *f)
{
	yaml_event_t e, k;
	int ret, i;

	for (i = 0; i < 2; i++) { /* stream start, document start */
		ret = next(y, &e);
		if (ret)
			return ret;
		yaml_event_delete(&e);
	}
	ret = next(y, &e);
	if (ret)
		return ret;
	if (e.type != YAML_MAPPING_START_EVENT) {
		yaml_event_delete(&e);
		snprintf(y->err, y->errsz, "the policy is not a mapping");
		return -EINVAL;
	}
	yaml_event_delete(&e);
	for (;;) {
		ret = next(y, &k);
		if (ret)
			return ret;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			break;
		}
		ret = next(y, &e);
		if (!ret && scalar_is(&k, "spec") && f->spec_col < 0)
			ret = spec(y, &e, f);
		else if (!ret)
			ret = skip(y, &e);
		yaml_event_delete(&k);
		if (ret)
			return ret;
	}
	if (f->spec_col < 0) {
		snprintf(y->err, y->errsz, "the policy has no spec, or an empty one");
		return -EINVAL;
	}
	return 0;
}

/* Where the line holding text[at - 1] ends (after its newline). */
static size_t line_end(const char *text, size_t len, size_t at)
{
	if (at && text[at - 1] == '\n')
		return at;
	while (at < len && text[at] != '\n')
		at++;
	return at < len ? at + 1 : len;
}

int cli_yaml_set_mode(const char *text, size_t len, const char *mode, char **out, size_t *outlen,
		      char *err, size_t errsz)
{
	struct found f = { .spec_col = -1, .dash_col = -1, .key_col = -1 };
	struct ym y = { .err = err, .errsz = errsz };
	char add[256];
	size_t at, cut = 0, n;
	int ret;

	*out = NULL;
	*outlen = 0;
	if (strcmp(mode, "enforce") && strcmp(mode, "monitor")) {
		snprintf(err, errsz, "mode '%s' is neither enforce nor monitor", mode);
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&y.p)) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&y.p, (const unsigned char *)text, len);
	ret = find(&y, &f);
	yaml_parser_delete(&y.p);
	if (ret)
		return ret;
	if (f.has_value) {
		/* Replace the value where it is. */
		at = f.value_start;
		cut = f.value_end - f.value_start;
		snprintf(add, sizeof(add), "%s", mode);
	} else if (f.has_options) {
		at = line_end(text, len, f.options_end);
		snprintf(add, sizeof(add), "%*s- name: policy-mode\n%*svalue: %s\n",
			 (int)f.dash_col, "", (int)(f.key_col < 0 ? f.dash_col + 2 : f.key_col), "",
			 mode);
	} else {
		at = line_end(text, len, f.spec_end);
		snprintf(add, sizeof(add), "%*soptions:\n%*s- name: policy-mode\n%*svalue: %s\n",
			 (int)f.spec_col, "", (int)f.spec_col, "", (int)f.spec_col + 2, "", mode);
	}
	/* A last line without its newline gets one before what follows. */
	n = len + strlen(add) + 2;
	*out = malloc(n);
	if (!*out) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	memcpy(*out, text, at);
	*outlen = at;
	if (!cut && at && text[at - 1] != '\n')
		(*out)[(*outlen)++] = '\n';
	memcpy(*out + *outlen, add, strlen(add));
	*outlen += strlen(add);
	memcpy(*out + *outlen, text + at + cut, len - at - cut);
	*outlen += len - at - cut;
	(*out)[*outlen] = 0;
	return 0;
}
