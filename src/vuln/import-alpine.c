/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alpine secdb: the JSON published at secdb.alpinelinux.org/vX.Y/{main,community}.json and
 * the older alpine-secdb YAML. Both: distroversion "v3.10", reponame, packages[].pkg{name,
 * secfixes{"<fixed version>": [ids]}}. The key "0" lists ids that never affected Alpine's
 * package. Ids come with notes and typos ("CVE-2016-10013 XSA-204", "CVE 2018-16859",
 * "CVE_2017-1", "CVE-2017-2616 (+ regression fix)"): the first id-like token is the
 * vulnerability, later ones are related advisories.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "shared/json.h"
#include "shared/yaml.h"
#include "vuln/vuln-import.h"
#include "vuln/vuln-util.h"

#define ALPINE_IDS_MAX 16

/* Splits one secfixes entry into ids (normalised in @buf); returns how many. */
static size_t split_ids(const char *s, size_t len, char *buf, size_t bufsize,
			const char *ids[ALPINE_IDS_MAX])
{
	size_t n = 0, o = 0, i = 0;

	while (i < len && n < ALPINE_IDS_MAX) {
		size_t st, e;

		while (i < len && isspace((unsigned char)s[i]))
			i++;
		st = i;
		while (i < len && !isspace((unsigned char)s[i]))
			i++;
		e = i;
		if (st == e)
			break;
		if (s[st] == '(')
			break; /* a note: the rest is prose */
		/* "CVE 2018-16859": the number is the next token */
		if (e - st == 3 && memcmp(s + st, "CVE", 3) == 0) {
			size_t j = i;

			while (j < len && isspace((unsigned char)s[j]))
				j++;
			if (j < len && isdigit((unsigned char)s[j])) {
				size_t k = j;

				while (k < len && !isspace((unsigned char)s[k]))
					k++;
				if (o + 4 + (k - j) + 1 > bufsize)
					break;
				ids[n++] = buf + o;
				memcpy(buf + o, "CVE-", 4);
				memcpy(buf + o + 4, s + j, k - j);
				o += 4 + (k - j);
				buf[o++] = '\0';
				i = k;
				continue;
			}
		}
		while (e > st && strchr(",;:)", s[e - 1]))
			e--;
		if (e - st < 5 || o + (e - st) + 1 > bufsize)
			continue;
		/* "CVE_2017-1" typo */
		if (memcmp(s + st, "CVE_", 4) == 0) {
			memcpy(buf + o, "CVE-", 4);
			memcpy(buf + o + 4, s + st + 4, e - st - 4);
		} else
			memcpy(buf + o, s + st, e - st);
		buf[o + (e - st)] = '\0';
		{
			const char *id = buf + o, *d = strchr(id, '-');
			bool ok = d && d > id && d[1];

			for (const char *c = id; ok && c < d; c++)
				ok = isupper((unsigned char)*c) || isdigit((unsigned char)*c);
			if (!ok)
				continue;
			ids[n++] = id;
			o += (e - st) + 1;
		}
	}
	return n;
}

struct alpine_ctx {
	struct vg_vuln_import *imp;
	char ns[64];
	const char *where;
	char *err;
	size_t errsize;
};

static int add_fix(struct alpine_ctx *c, const char *pkg, const char *version, const char *entry,
		   size_t entry_len, unsigned line)
{
	char buf[1024];
	const char *ids[ALPINE_IDS_MAX];
	size_t n = split_ids(entry, entry_len, buf, sizeof(buf), ids);
	bool never = strcmp(version, "0") == 0;
	int64_t vuln;
	int r;

	if (n == 0) {
		c->imp->stats.skipped++; /* a note without an id */
		return 0;
	}
	if (!never && !vg_vuln_version_ok(version)) {
		snprintf(c->err, c->errsize, "%s:%u: %s: invalid fixed version", c->where, line,
			 pkg);
		return -EBADMSG;
	}
	r = vg_vuln_import_add(c->imp, &(struct vg_vuln_record){.id = ids[0]}, &vuln);
	for (size_t i = 1; i < n && r >= 0; i++)
		r = vg_vuln_import_add_id(c->imp, vuln, ids[i], VG_VULN_ID_RELATED);
	if (r >= 0)
		r = vg_vuln_import_add_affected(
			c->imp, vuln,
			&(struct vg_vuln_affected){
				.ns = c->ns,
				.package = pkg,
				.state = never ? VG_VULN_STATE_NOT_AFFECTED : VG_VULN_STATE_FIXED,
				.fixed_version = never ? NULL : version,
			});
	if (r < 0)
		snprintf(c->err, c->errsize, "%s:%u: %s %s: cannot store: %s", c->where, line, pkg,
			 ids[0], strerror(-r));
	return r;
}

static int set_ns(struct alpine_ctx *c, const char *distroversion, const char *reponame,
		  char *ret_name, size_t namesize)
{
	const char *v = distroversion;

	if (!v || !v[0] || strlen(v) > 32 || !reponame || !reponame[0] || strlen(reponame) > 64) {
		snprintf(c->err, c->errsize,
			 "%s: not an Alpine secdb (missing \"distroversion\" or \"reponame\")",
			 c->where);
		return -EBADMSG;
	}
	if (v[0] == 'v')
		v++;
	for (const char *s = v; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.' && !isalpha((unsigned char)*s)) {
			snprintf(c->err, c->errsize, "%s: invalid distroversion \"%s\"", c->where,
				 distroversion);
			return -EBADMSG;
		}
	snprintf(c->ns, sizeof(c->ns), "alpine:%s", v);
	snprintf(ret_name, namesize, "v%s/%s", v, reponame);
	return 0;
}

static int import_yaml(struct alpine_ctx *c, const char *buf, size_t len, char *ret_name,
		       size_t namesize)
{
	cleanup_yaml_stream struct vg_yaml_stream *ys = NULL;
	struct vg_yaml_node *root, *pkgs, *dv, *rn;
	int r;

	r = vg_yaml_parse(buf, len, c->where, &ys, c->err, c->errsize);
	if (r < 0)
		return r;
	root = ys->n_docs ? ys->docs[0] : NULL;
	if (!root || root->kind != VG_YAML_MAP) {
		snprintf(c->err, c->errsize, "%s: the secdb document must be a mapping", c->where);
		return -EBADMSG;
	}
	dv = vg_yaml_map_get(root, "distroversion");
	rn = vg_yaml_map_get(root, "reponame");
	r = set_ns(c, dv && dv->kind == VG_YAML_SCALAR ? dv->text : NULL,
		   rn && rn->kind == VG_YAML_SCALAR ? rn->text : NULL, ret_name, namesize);
	if (r < 0)
		return r;
	pkgs = vg_yaml_map_get(root, "packages");
	if (vg_yaml_is_null(pkgs))
		return 0;
	if (pkgs->kind != VG_YAML_SEQ) {
		snprintf(c->err, c->errsize, "%s:%u: \"packages\" must be a sequence", c->where,
			 pkgs->line);
		return -EBADMSG;
	}
	for (size_t i = 0; i < pkgs->n; i++) {
		struct vg_yaml_node *pkg = vg_yaml_map_get(pkgs->items[i], "pkg"), *name, *fixes;

		name = vg_yaml_map_get(pkg, "name");
		fixes = vg_yaml_map_get(pkg, "secfixes");
		if (!name || name->kind != VG_YAML_SCALAR || !name->text[0] ||
		    name->len >= VG_VULN_NAME_MAX || strlen(name->text) != name->len) {
			snprintf(c->err, c->errsize, "%s:%u: package without a valid pkg.name",
				 c->where, pkgs->items[i]->line);
			return -EBADMSG;
		}
		if (vg_yaml_is_null(fixes))
			continue;
		if (fixes->kind != VG_YAML_MAP) {
			snprintf(c->err, c->errsize, "%s:%u: %s: secfixes must be a mapping",
				 c->where, fixes->line, name->text);
			return -EBADMSG;
		}
		for (size_t k = 0; k < fixes->n; k++) {
			struct vg_yaml_node *ver = fixes->pairs[k].key,
					    *list = fixes->pairs[k].value;

			if (ver->kind != VG_YAML_SCALAR || strlen(ver->text) != ver->len) {
				snprintf(c->err, c->errsize, "%s:%u: %s: invalid version key",
					 c->where, ver->line, name->text);
				return -EBADMSG;
			}
			if (vg_yaml_is_null(list))
				continue;
			if (list->kind != VG_YAML_SEQ) {
				snprintf(c->err, c->errsize, "%s:%u: %s %s: ids must be a sequence",
					 c->where, list->line, name->text, ver->text);
				return -EBADMSG;
			}
			for (size_t j = 0; j < list->n; j++) {
				struct vg_yaml_node *id = list->items[j];

				if (id->kind != VG_YAML_SCALAR) {
					snprintf(c->err, c->errsize, "%s:%u: ids must be strings",
						 c->where, id->line);
					return -EBADMSG;
				}
				r = add_fix(c, name->text, ver->text, id->text, id->len, id->line);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

static int import_json(struct alpine_ctx *c, const char *buf, size_t len, char *ret_name,
		       size_t namesize)
{
	cleanup_json json_t *root = NULL;
	json_t *pkgs, *p;
	size_t i;
	int r;

	r = vg_vuln_json_parse(buf, len, VG_VULN_FEED_MAX, c->where, &root, c->err, c->errsize);
	if (r < 0)
		return r;
	r = set_ns(c, vg_json_get_str(root, "distroversion"), vg_json_get_str(root, "reponame"),
		   ret_name, namesize);
	if (r < 0)
		return r;
	pkgs = json_object_get(root, "packages");
	if (json_is_null(pkgs) || !pkgs)
		return 0;
	if (!json_is_array(pkgs)) {
		snprintf(c->err, c->errsize, "%s: \"packages\" must be an array", c->where);
		return -EBADMSG;
	}
	json_array_foreach(pkgs, i, p)
	{
		json_t *pkg = json_object_get(p, "pkg"), *fixes = json_object_get(pkg, "secfixes");
		const char *name = vg_json_get_str(pkg, "name"), *ver;
		json_t *list;

		if (!name || !name[0] || strlen(name) >= VG_VULN_NAME_MAX) {
			snprintf(c->err, c->errsize, "%s: packages[%zu] without a valid pkg.name",
				 c->where, i);
			return -EBADMSG;
		}
		if (!fixes || json_is_null(fixes))
			continue;
		if (!json_is_object(fixes)) {
			snprintf(c->err, c->errsize, "%s: %s: secfixes must be an object", c->where,
				 name);
			return -EBADMSG;
		}
		json_object_foreach(fixes, ver, list)
		{
			size_t j;
			json_t *id;

			if (json_is_null(list))
				continue;
			if (!json_is_array(list)) {
				snprintf(c->err, c->errsize, "%s: %s %s: ids must be an array",
					 c->where, name, ver);
				return -EBADMSG;
			}
			json_array_foreach(list, j, id)
			{
				if (!json_is_string(id)) {
					snprintf(c->err, c->errsize,
						 "%s: %s %s: ids must be strings", c->where, name,
						 ver);
					return -EBADMSG;
				}
				r = add_fix(c, name, ver, json_string_value(id),
					    json_string_length(id), 0);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

int vg_vuln_import_alpine(struct vg_vuln_import *imp, const char *buf, size_t len, bool yaml,
			  const char *where, char *ret_name, size_t namesize, char *err,
			  size_t errsize)
{
	struct alpine_ctx c = {.imp = imp, .where = where, .err = err, .errsize = errsize};

	return yaml ? import_yaml(&c, buf, len, ret_name, namesize)
		    : import_json(&c, buf, len, ret_name, namesize);
}
