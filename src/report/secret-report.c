/* SPDX-License-Identifier: Apache-2.0 */
/* Table, JSON and SARIF 2.1.0 renderings of secret findings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/secret-report.h"
#include "shared/json.h"
#include "vg-config.h"

int vg_secret_format_from_string(const char *s)
{
	if (!strcmp(s, "table"))
		return VG_SECRET_FORMAT_TABLE;
	if (!strcmp(s, "json"))
		return VG_SECRET_FORMAT_JSON;
	if (!strcmp(s, "sarif"))
		return VG_SECRET_FORMAT_SARIF;
	return -EINVAL;
}

static const char *shown(const struct vg_secret_finding *f, bool show)
{
	return show ? f->secret : f->masked;
}

/* "layer 2, deleted by layer 3" / "layer 0" / "config" / "" */
static void where(const struct vg_secret_finding *f, char *buf, size_t size)
{
	if (f->layer < 0)
		snprintf(buf, size, "%s", f->origin == VG_SECRET_IN_FILE ? "-" : "config");
	else if (f->deleted_by >= 0)
		snprintf(buf, size, "%d (deleted in %d)", f->layer, f->deleted_by);
	else
		snprintf(buf, size, "%d", f->layer);
}

/* A secret on one table line: control characters (PEM bodies) become spaces. */
static void put_oneline(FILE *f, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++)
		fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i], f);
	if (s[i])
		fputs("...", f);
}

static int write_table(const struct vg_secret_report *rep, bool show, FILE *f)
{
	fprintf(f,
		"%s (%s): %zu secret%s, %llu files scanned, %llu skipped as binary, %llu over "
		"the size limit\n",
		rep->name ? rep->name : "?", rep->kind ? rep->kind : "?", rep->findings.len,
		rep->findings.len == 1 ? "" : "s", (unsigned long long)rep->stats.buffers,
		(unsigned long long)rep->stats.skipped_binary,
		(unsigned long long)rep->skipped_large);
	if (!rep->findings.len)
		return ferror(f) ? -EIO : 0;
	fprintf(f, "%-8s  %-32s  %-18s  %s\n", "SEVERITY", "RULE", "LAYER", "LOCATION / SECRET");
	vg_vec_for_each(const struct vg_secret_finding, x, &rep->findings) {
		char w[64];

		where(x, w, sizeof(w));
		fprintf(f, "%-8s  %-32s  %-18s  %s:%u\n",
			vg_secret_severity_name(x->rule->severity), x->rule->id, w, x->path,
			x->line);
		fprintf(f, "%-8s  %-32s  %-18s  ", "", "", "");
		put_oneline(f, shown(x, show), show ? 200 : VG_SECRET_MASK_MAX);
		fputc('\n', f);
	}
	if (rep->truncated)
		fprintf(f, "(%llu more findings not kept: limit reached)\n",
			(unsigned long long)rep->truncated);
	return ferror(f) ? -EIO : 0;
}

static int set(json_t *o, const char *k, json_t *v)
{
	return v && json_object_set_new(o, k, v) == 0 ? 0 : -ENOMEM;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *finding_json(const struct vg_secret_finding *x, bool show)
{
	json_t *o = json_object();
	int r = 0;

	if (!o)
		return NULL;
	r |= set(o, "rule_id", json_string(x->rule->id));
	r |= set(o, "title", json_string(x->rule->title));
	r |= set(o, "severity", json_string(vg_secret_severity_name(x->rule->severity)));
	r |= set(o, "origin", json_string(vg_secret_origin_name(x->origin)));
	r |= set(o, "path", json_string(x->path));
	r |= set(o, "line", json_integer(x->line));
	r |= set(o, "column", json_integer(x->column));
	r |= set(o, "layer", x->layer >= 0 ? json_integer(x->layer) : json_null());
	r |= set(o, "diff_id", str_or_null(x->diff_id));
	r |= set(o, "visible", json_boolean(x->deleted_by < 0));
	r |= set(o, "deleted_by", x->deleted_by >= 0 ? json_integer(x->deleted_by) : json_null());
	r |= set(o, "secret_masked", json_string(x->masked));
	r |= set(o, "secret_length", json_integer((json_int_t)x->secret_len));
	if (show)
		r |= set(o, "secret", json_stringn(x->secret, x->secret_len));
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int dump(json_t *doc, FILE *f)
{
	int r = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(doc);
	if (r < 0)
		return -EIO;
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

json_t *vg_secret_report_json(const struct vg_secret_report *rep, bool show)
{
	json_t *doc = json_object(), *stats = json_object(), *list = json_array();
	int r = 0;

	if (!doc || !stats || !list) {
		json_decref(doc);
		json_decref(stats);
		json_decref(list);
		return NULL;
	}
	r |= set(doc, "target", str_or_null(rep->target));
	r |= set(doc, "name", str_or_null(rep->name));
	r |= set(doc, "kind", str_or_null(rep->kind));
	r |= set(doc, "image_id", rep->image_id[0] ? json_string(rep->image_id) : json_null());
	r |= set(doc, "layers", json_integer(rep->n_layers));
	r |= set(doc, "rules", json_integer((json_int_t)rep->n_rules));
	r |= set(stats, "files", json_integer((json_int_t)rep->files));
	r |= set(stats, "scanned", json_integer((json_int_t)rep->stats.buffers));
	r |= set(stats, "bytes", json_integer((json_int_t)rep->stats.bytes));
	r |= set(stats, "skipped_binary", json_integer((json_int_t)rep->stats.skipped_binary));
	r |= set(stats, "skipped_large", json_integer((json_int_t)rep->skipped_large));
	r |= set(stats, "skipped_path", json_integer((json_int_t)rep->stats.skipped_path));
	r |= set(stats, "allowed", json_integer((json_int_t)rep->stats.allowed));
	r |= set(stats, "truncated", json_integer((json_int_t)rep->truncated));
	r |= set(doc, "stats", stats);
	vg_vec_for_each(const struct vg_secret_finding, x, &rep->findings)
		r |= json_array_append_new(list, finding_json(x, show)) ? -ENOMEM : 0;
	r |= set(doc, "findings", list);
	if (r) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static int write_json(const struct vg_secret_report *rep, bool show, FILE *f)
{
	json_t *doc = vg_secret_report_json(rep, show);

	return doc ? dump(doc, f) : -ENOMEM;
}

static const char *sarif_level(enum vg_secret_severity s)
{
	return s >= VG_SECRET_HIGH ? "error" : s == VG_SECRET_MEDIUM ? "warning" : "note";
}

static const char *security_severity(enum vg_secret_severity s)
{
	static const char *const v[VG_SECRET_SEVERITY__MAX] = {"2.0", "5.5", "8.0", "9.5"};

	return (unsigned)s < VG_SECRET_SEVERITY__MAX ? v[s] : "0.0";
}

/* RFC 3986 path: unreserved characters and '/' as they are, everything else %XX. */
static json_t *uri(const char *path)
{
	char buf[3 * VG_PATH_MAX + 1];
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < sizeof(buf); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			buf[n++] = (char)*p;
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%%%02X", *p);
	}
	buf[n] = '\0';
	return json_string(buf);
}

static int build_sarif_run(const struct vg_secret_report *rep, bool show, json_t **ret)
{
	json_t *doc = json_object(), *run = json_object(), *driver = json_object();
	json_t *rules = json_array(), *results = json_array(), *tool = json_object();
	json_t *runs = json_array();
	struct vg_hashmap index;
	int r = 0;

	vg_hashmap_init(&index, VG_HASHMAP_STRING, 0, NULL);
	if (!doc || !run || !driver || !rules || !results || !tool || !runs) {
		r = -ENOMEM;
		goto out;
	}
	vg_vec_for_each(const struct vg_secret_finding, x, &rep->findings) {
		const struct vg_secret_rule *rule = x->rule;
		json_t *res, *loc, *phys, *region, *props, *msg, *rd, *tags;
		char text[1024], w[64];
		uintptr_t ri = (uintptr_t)vg_hashmap_get_str(&index, rule->id);

		if (!ri) {
			rd = json_object();
			tags = json_array();
			if (!rd || !tags) {
				json_decref(rd);
				json_decref(tags);
				r = -ENOMEM;
				goto out;
			}
			r |= set(rd, "id", json_string(rule->id));
			r |= set(rd, "name", json_string(rule->id));
			r |= set(rd, "shortDescription", json_pack("{s:s}", "text", rule->title));
			r |= set(rd, "fullDescription", json_pack("{s:s}", "text", rule->title));
			r |= set(rd, "defaultConfiguration",
				 json_pack("{s:s}", "level", sarif_level(rule->severity)));
			r |= json_array_append_new(tags, json_string("secret")) ? -ENOMEM : 0;
			r |= json_array_append_new(tags, json_string("security")) ? -ENOMEM : 0;
			r |= json_array_append_new(
				     tags, json_string(vg_secret_severity_name(rule->severity)))
				     ? -ENOMEM
				     : 0;
			r |= set(rd, "properties",
				 json_pack("{s:o, s:s, s:s}", "tags", tags, "precision", "high",
					   "security-severity", security_severity(rule->severity)));
			r |= json_array_append_new(rules, rd) ? -ENOMEM : 0;
			ri = json_array_size(rules);
			r |= vg_hashmap_put_str(&index, rule->id, (void *)ri) < 0 ? -ENOMEM : 0;
			if (r) {
				r = -ENOMEM;
				goto out;
			}
		}
		where(x, w, sizeof(w));
		snprintf(text, sizeof(text), "%s: %s in %s:%u (%s%s)", rule->title,
			 show ? "" : x->masked, x->path, x->line, x->layer >= 0 ? "layer " : "", w);
		if (show) {
			/* the full secret goes into properties only; the message stays short */
			snprintf(text, sizeof(text), "%s in %s:%u (%s%s)", rule->title, x->path,
				 x->line, x->layer >= 0 ? "layer " : "", w);
		}
		res = json_object();
		loc = json_object();
		phys = json_object();
		region = json_object();
		props = json_object();
		msg = json_pack("{s:s}", "text", text);
		if (!res || !loc || !phys || !region || !props || !msg) {
			json_decref(res);
			json_decref(loc);
			json_decref(phys);
			json_decref(region);
			json_decref(props);
			json_decref(msg);
			r = -ENOMEM;
			goto out;
		}
		r |= set(region, "startLine", json_integer(x->line));
		r |= set(region, "startColumn", json_integer(x->column));
		r |= set(phys, "artifactLocation", json_pack("{s:o}", "uri", uri(x->path)));
		r |= set(phys, "region", region);
		r |= set(loc, "physicalLocation", phys);
		r |= set(res, "ruleId", json_string(rule->id));
		r |= set(res, "ruleIndex", json_integer((json_int_t)ri - 1));
		r |= set(res, "level", json_string(sarif_level(rule->severity)));
		r |= set(res, "message", msg);
		r |= set(res, "locations", json_pack("[o]", loc));
		r |= set(props, "origin", json_string(vg_secret_origin_name(x->origin)));
		r |= set(props, "layer", x->layer >= 0 ? json_integer(x->layer) : json_null());
		r |= set(props, "diffId", str_or_null(x->diff_id));
		r |= set(props, "visible", json_boolean(x->deleted_by < 0));
		r |= set(props, "deletedBy",
			 x->deleted_by >= 0 ? json_integer(x->deleted_by) : json_null());
		r |= set(props, "secretMasked", json_string(x->masked));
		r |= set(props, "secretLength", json_integer((json_int_t)x->secret_len));
		if (show)
			r |= set(props, "secret", json_stringn(x->secret, x->secret_len));
		r |= set(res, "properties", props);
		r |= json_array_append_new(results, res) ? -ENOMEM : 0;
		if (r) {
			r = -ENOMEM;
			goto out;
		}
	}
	r |= set(driver, "name", json_string("vigil"));
	r |= set(driver, "version", json_string(VG_VERSION));
	r |= set(driver, "rules", rules);
	rules = NULL;
	r |= set(tool, "driver", driver);
	driver = NULL;
	r |= set(run, "tool", tool);
	tool = NULL;
	r |= set(run, "results", results);
	results = NULL;
	r |= set(run, "properties",
		 json_pack("{s:s?, s:s?, s:s?}", "target", rep->target, "imageName", rep->name,
			   "imageID", rep->image_id[0] ? rep->image_id : NULL));
	if (r) {
		r = -ENOMEM;
		goto out;
	}
	vg_hashmap_done(&index);
	json_decref(doc);
	json_decref(runs);
	*ret = run;
	return 0;
out:
	vg_hashmap_done(&index);
	json_decref(doc);
	json_decref(run);
	json_decref(driver);
	json_decref(rules);
	json_decref(results);
	json_decref(tool);
	json_decref(runs);
	return r;
}

json_t *vg_secret_report_sarif_run(const struct vg_secret_report *rep, bool show)
{
	json_t *run = NULL;

	return build_sarif_run(rep, show, &run) < 0 ? NULL : run;
}

static int write_sarif(const struct vg_secret_report *rep, bool show, FILE *f)
{
	json_t *run = vg_secret_report_sarif_run(rep, show), *doc;

	if (!run)
		return -ENOMEM;
	doc = json_pack("{s:s, s:s, s:[o]}", "$schema",
			"https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
			run);
	return doc ? dump(doc, f) : -ENOMEM;
}

int vg_secret_report_write(const struct vg_secret_report *rep, enum vg_secret_format format,
			   bool show_secrets, FILE *f)
{
	switch (format) {
	case VG_SECRET_FORMAT_TABLE:
		return write_table(rep, show_secrets, f);
	case VG_SECRET_FORMAT_JSON:
		return write_json(rep, show_secrets, f);
	case VG_SECRET_FORMAT_SARIF:
		return write_sarif(rep, show_secrets, f);
	default:
		return -EINVAL;
	}
}
