/* SPDX-License-Identifier: Apache-2.0 */
/* npm, Python and Composer installed-package metadata. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/lang.h"
#include "shared/json.h"

static int push(struct vg_vec *list, enum vg_ecosystem eco, const char *name, size_t name_len,
		const char *version, size_t version_len, const char *license, size_t license_len,
		const char *found_in, int layer, struct vg_arena *a)
{
	struct vg_package p = {.ecosystem = eco, .layer = layer};

	p.name = vg_arena_strndup(a, name, name_len);
	p.version = vg_arena_strndup(a, version, version_len);
	p.source_name = p.name;
	p.license = license ? vg_arena_strndup(a, license, license_len) : NULL;
	p.found_in = found_in ? vg_arena_strdup(a, found_in) : NULL;
	if (vg_arena_error(a) || !p.name || !p.version)
		return vg_arena_error(a) ?: -ENOMEM;
	return vg_vec_push(list, &p) ?: 1;
}

/* "license": "MIT" | {"type": "MIT"} | "licenses": [{"type": "MIT"}, ...] (old npm) */
static const char *json_license(json_t *o)
{
	json_t *l = json_object_get(o, "license"), *arr;

	if (json_is_string(l))
		return json_string_value(l);
	if (json_is_object(l))
		return vg_json_get_str(l, "type");
	if (json_is_array(l) && json_array_size(l) > 0 && json_is_string(json_array_get(l, 0)))
		return json_string_value(json_array_get(l, 0)); /* composer: ["MIT"] */
	arr = vg_json_get_array(o, "licenses");
	if (arr && json_array_size(arr) > 0) {
		json_t *first = json_array_get(arr, 0);

		return json_is_string(first) ? json_string_value(first)
					     : vg_json_get_str(first, "type");
	}
	return NULL;
}

int vg_npm_package_json_parse(const char *buf, size_t len, const char *found_in, int layer,
			      struct vg_arena *a, struct vg_vec *list)
{
	json_t *root = NULL;
	const char *name, *version, *license;
	int r;

	r = vg_json_parse(buf, len, &root, NULL, 0);
	if (r < 0)
		return r;
	name = vg_json_get_str(root, "name");
	version = vg_json_get_str(root, "version");
	license = json_license(root);
	if (vg_isempty(name) || vg_isempty(version))
		r = 0;
	else
		r = push(list, VG_ECOSYSTEM_NPM, name, strlen(name), version, strlen(version),
			 license, license ? strlen(license) : 0, found_in, layer, a);
	json_decref(root);
	return r;
}

int vg_python_metadata_parse(const char *buf, size_t len, const char *found_in, int layer,
			     struct vg_arena *a, struct vg_vec *list)
{
	const char *end = buf + len, *line, *eol;
	const char *name = NULL, *version = NULL, *license = NULL, *expr = NULL;
	size_t name_n = 0, version_n = 0, license_n = 0, expr_n = 0;

	for (line = buf; line < end; line = eol + 1) {
		const char *colon, *v, *ve;
		size_t kn;

		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		if ((size_t)(eol - buf) > VG_INV_STANZA_MAX)
			return -E2BIG;
		ve = eol;
		while (ve > line && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve == line)
			break; /* end of the headers; the description follows */
		if (*line == ' ' || *line == '\t')
			continue; /* folded continuation */
		colon = memchr(line, ':', (size_t)(ve - line));
		if (!colon)
			continue;
		kn = (size_t)(colon - line);
		v = colon + 1;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		if (memchr(v, '\0', (size_t)(ve - v)))
			continue;
#define KEY(k) (kn == strlen(k) && strncasecmp(line, k, kn) == 0)
		if (KEY("Name") && !name)
			name = v, name_n = (size_t)(ve - v);
		else if (KEY("Version") && !version)
			version = v, version_n = (size_t)(ve - v);
		else if (KEY("License") && !license)
			license = v, license_n = (size_t)(ve - v);
		else if (KEY("License-Expression") && !expr)
			expr = v, expr_n = (size_t)(ve - v);
#undef KEY
	}
	if (!name || !name_n || !version || !version_n)
		return 0;
	if (expr && expr_n) {
		license = expr;
		license_n = expr_n;
	}
	if (license && (!license_n || (license_n == 7 && memcmp(license, "UNKNOWN", 7) == 0)))
		license = NULL;
	return push(list, VG_ECOSYSTEM_PYPI, name, name_n, version, version_n, license, license_n,
		    found_in, layer, a);
}

int vg_composer_installed_parse(const char *buf, size_t len, const char *found_in, int layer,
				struct vg_arena *a, struct vg_vec *list)
{
	json_t *root = NULL, *pkgs, *p;
	size_t i;
	int r, added = 0;

	r = vg_json_parse(buf, len, &root, NULL, 0);
	if (r < 0)
		return r;
	pkgs = json_is_array(root) ? root : vg_json_get_array(root, "packages");
	if (!pkgs) {
		json_decref(root);
		return -EBADMSG;
	}
	json_array_foreach(pkgs, i, p)
	{
		const char *name = vg_json_get_str(p, "name");
		const char *version = vg_json_get_str(p, "version");
		const char *license = json_license(p);

		if (vg_isempty(name) || vg_isempty(version))
			continue;
		r = push(list, VG_ECOSYSTEM_COMPOSER, name, strlen(name), version, strlen(version),
			 license, license ? strlen(license) : 0, found_in, layer, a);
		if (r < 0) {
			json_decref(root);
			return r;
		}
		added++;
	}
	json_decref(root);
	return added;
}

/* First quoted string ("..." or '...') in [p, end): sets ret and ret_n; false when none. */
static bool quoted(const char *p, const char *end, const char **ret, size_t *ret_n)
{
	for (; p < end; p++) {
		if (*p == '"' || *p == '\'') {
			const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));

			if (!q)
				return false;
			*ret = p + 1;
			*ret_n = (size_t)(q - p - 1);
			return true;
		}
	}
	return false;
}

/* "<ident>.<attr> = " at p (after indentation): returns the value start, or NULL. */
static const char *attr_value(const char *p, const char *end, const char *attr)
{
	size_t an = strlen(attr);

	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	if (p >= end || *p != '.' || (size_t)(end - p - 1) < an || memcmp(p + 1, attr, an) != 0)
		return NULL;
	p += 1 + an;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '=' || (p + 1 < end && p[1] == '='))
		return NULL;
	return p + 1;
}

int vg_gemspec_parse(const char *buf, size_t len, const char *found_in, int layer,
		     struct vg_arena *a, struct vg_vec *list)
{
	const char *end = buf + len, *line, *eol;
	const char *name = NULL, *version = NULL, *license = NULL;
	size_t name_n = 0, version_n = 0, license_n = 0;
	const char *stub_name = NULL, *stub_version = NULL;
	size_t stub_name_n = 0, stub_version_n = 0;

	if (len > VG_INV_STANZA_MAX)
		return -E2BIG;
	for (line = buf; line < end; line = eol + 1) {
		const char *p = line, *v;

		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (eol - p > 8 && memcmp(p, "# stub: ", 8) == 0 && !stub_name) {
			const char *q = p + 8, *sp = memchr(q, ' ', (size_t)(eol - q));

			if (sp && sp > q) {
				const char *w = sp + 1, *sp2 = memchr(w, ' ', (size_t)(eol - w));

				stub_name = q;
				stub_name_n = (size_t)(sp - q);
				stub_version = w;
				stub_version_n = (size_t)((sp2 ? sp2 : eol) - w);
			}
			continue;
		}
		if (p == eol || *p == '#')
			continue;
		if (!name && (v = attr_value(p, eol, "name")))
			(void)quoted(v, eol, &name, &name_n);
		else if (!version && (v = attr_value(p, eol, "version")))
			(void)quoted(v, eol, &version, &version_n);
		else if (!license && ((v = attr_value(p, eol, "licenses")) ||
				      (v = attr_value(p, eol, "license"))))
			(void)quoted(v, eol, &license, &license_n);
	}
	if (!name || !name_n)
		name = stub_name, name_n = stub_name_n;
	if (!version || !version_n)
		version = stub_version, version_n = stub_version_n;
	if (!name || !name_n || !version || !version_n || memchr(name, '\0', name_n) ||
	    memchr(version, '\0', version_n))
		return 0;
	if (license && (!license_n || memchr(license, '\0', license_n)))
		license = NULL;
	return push(list, VG_ECOSYSTEM_GEM, name, name_n, version, version_n, license, license_n,
		    found_in, layer, a);
}
