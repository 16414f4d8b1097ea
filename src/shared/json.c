/* SPDX-License-Identifier: Apache-2.0 */
/* jansson adapter: bounded parsing and type-safe getters. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/parse-util.h"
#include "shared/json.h"

int vg_json_depth_check(const char *buf, size_t len, unsigned max_depth, unsigned *ret_line,
			unsigned *ret_col)
{
	unsigned depth = 0, line = 1, col = 0;
	bool in_str = false, esc = false;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		/* Columns count bytes; jansson counts characters, close enough for ASCII. */
		if (c == '\n') {
			line++;
			col = 0;
			continue;
		}
		col++;
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		switch (c) {
		case '"':
			in_str = true;
			break;
		case '[':
		case '{':
			if (++depth > max_depth) {
				if (ret_line)
					*ret_line = line;
				if (ret_col)
					*ret_col = col;
				return -E2BIG;
			}
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void set_err(char *err, size_t errsize, unsigned line, unsigned col, const char *msg)
{
	if (err && errsize)
		(void)snprintf(err, errsize, "line %u col %u: %s", line, col, msg);
}

int vg_json_parse(const char *buf, size_t len, json_t **ret, char *err, size_t errsize)
{
	json_error_t jerr;
	unsigned line = 1, col = 1;
	json_t *j;
	int r;

	if (err && errsize)
		err[0] = '\0';
	if (!ret || (!buf && len))
		return -EINVAL;
	if (len > VG_JSON_DOC_MAX) {
		char msg[64];

		(void)snprintf(msg, sizeof(msg), "document larger than %d bytes", VG_JSON_DOC_MAX);
		set_err(err, errsize, 1, 1, msg);
		return -E2BIG;
	}
	r = vg_json_depth_check(buf, len, VG_JSON_DEPTH_MAX, &line, &col);
	if (r < 0) {
		char msg[64];

		(void)snprintf(msg, sizeof(msg), "nesting deeper than %d levels",
			       VG_JSON_DEPTH_MAX);
		set_err(err, errsize, line, col, msg);
		return r;
	}
	j = json_loadb(buf ? buf : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		enum json_error_code code = json_error_code(&jerr);

		set_err(err, errsize, jerr.line > 0 ? (unsigned)jerr.line : 1,
			jerr.column > 0 ? (unsigned)jerr.column : 1, jerr.text);
		if (code == json_error_out_of_memory)
			return -ENOMEM;
		if (code == json_error_stack_overflow)
			return -E2BIG;
		return -EBADMSG;
	}
	*ret = j;
	return 0;
}

int vg_json_parse_file(const char *path, json_t **ret, char *err, size_t errsize)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	int r;

	r = vg_read_file(path, VG_JSON_DOC_MAX, &buf, &len);
	if (r < 0) {
		if (err && errsize)
			(void)snprintf(err, errsize, "%s", strerror(-r));
		return r;
	}
	return vg_json_parse(buf, len, ret, err, errsize);
}

static json_t *get(json_t *obj, const char *key)
{
	json_t *v;

	if (!obj || !key || !json_is_object(obj))
		return NULL;
	v = json_object_get(obj, key);
	if (v && json_is_null(v))
		return NULL;
	return v;
}

const char *vg_json_get_str(json_t *obj, const char *key)
{
	json_t *v = get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int vg_json_get_int(json_t *obj, const char *key, int64_t *ret)
{
	json_t *v = get(obj, key);

	if (!v)
		return -ENOENT;
	if (!json_is_integer(v))
		return -EBADMSG;
	*ret = (int64_t)json_integer_value(v);
	return 0;
}

int vg_json_get_u64(json_t *obj, const char *key, uint64_t *ret)
{
	int64_t v;
	int r = vg_json_get_int(obj, key, &v);

	if (r < 0)
		return r;
	if (v < 0)
		return -ERANGE;
	*ret = (uint64_t)v;
	return 0;
}

int vg_json_get_bool(json_t *obj, const char *key, bool *ret)
{
	json_t *v = get(obj, key);

	if (!v)
		return -ENOENT;
	if (!json_is_boolean(v))
		return -EBADMSG;
	*ret = json_is_true(v);
	return 0;
}

json_t *vg_json_get_obj(json_t *obj, const char *key)
{
	json_t *v = get(obj, key);

	return json_is_object(v) ? v : NULL;
}

json_t *vg_json_get_array(json_t *obj, const char *key)
{
	json_t *v = get(obj, key);

	return json_is_array(v) ? v : NULL;
}

json_t *vg_json_path(json_t *root, const char *dotted)
{
	json_t *cur = root;
	const char *p = dotted;

	if (!root || !dotted)
		return NULL;
	while (cur && *p) {
		const char *e = strchrnul(p, '.');
		size_t n = (size_t)(e - p);
		char seg[256];

		if (n == 0 || n >= sizeof(seg))
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		if (json_is_object(cur)) {
			cur = json_object_get(cur, seg);
		} else if (json_is_array(cur)) {
			uint64_t idx;

			if (vg_safe_atou64(seg, &idx) < 0 || idx >= json_array_size(cur))
				return NULL;
			cur = json_array_get(cur, (size_t)idx);
		} else {
			return NULL;
		}
		p = *e ? e + 1 : e;
		if (*e && !*p)
			return NULL; /* trailing dot */
	}
	if (cur && json_is_null(cur))
		return NULL;
	return cur;
}
