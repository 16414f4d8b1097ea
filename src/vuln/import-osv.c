/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OSV records (ossf/osv-schema docs/schema.md): single JSON files, arrays of records, and the
 * per-ecosystem all.zip archives. Only what matching and reporting use is kept; GIT ranges
 * are skipped (nothing to compare an installed version with).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "basic/string-util.h"
#include "shared/json.h"
#include "shared/zip.h"
#include "vuln/vuln-import.h"
#include "vuln/vuln-util.h"

/* A string field cut to VG_VULN_TEXT_MAX bytes (on a UTF-8 boundary) into @buf. */
static const char *text_field(json_t *obj, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n < size && !memchr(s, '\0', n))
		return s;
	n = n < size - 1 ? n : size - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(buf, s, n);
	buf[n] = '\0'; /* an embedded NUL ends the text early: fine for display */
	return buf;
}

struct event {
	char kind; /* 'i', 'f', 'l', 'x' */
	const char *version;
};

static int event_cmp(enum vg_version_scheme scheme, bool have_scheme, const struct event *a,
		     const struct event *b)
{
	int c = 0;

	/* "0" (introduced) is before everything, "*" (limit) after everything. */
	if (strcmp(a->version, b->version) == 0)
		return 0;
	if (a->kind == 'i' && strcmp(a->version, "0") == 0)
		return -1;
	if (b->kind == 'i' && strcmp(b->version, "0") == 0)
		return 1;
	if (strcmp(a->version, "*") == 0)
		return 1;
	if (strcmp(b->version, "*") == 0)
		return -1;
	if (!have_scheme || vg_version_cmp(scheme, a->version, b->version, &c) < 0)
		return 0; /* keep the feed's order */
	return c;
}

static int import_range(json_t *range, enum vg_version_scheme scheme, bool have_scheme,
			struct vg_strbuf *sb, const char **first_fixed, const char *where,
			char *err, size_t errsize)
{
	const char *type = json_string_value(json_object_get(range, "type"));
	json_t *events = json_object_get(range, "events");
	cleanup_free struct event *ev = NULL;
	size_t n, i;
	json_t *e;
	int r;

	if (!type) {
		snprintf(err, errsize, "%s: a range without a \"type\"", where);
		return -EBADMSG;
	}
	if (strcmp(type, "SEMVER") != 0 && strcmp(type, "ECOSYSTEM") != 0)
		return 0; /* GIT: not comparable with installed versions */
	if (!json_is_array(events)) {
		snprintf(err, errsize, "%s: a %s range without \"events\"", where, type);
		return -EBADMSG;
	}
	n = json_array_size(events);
	if (n > VG_VULN_EVENTS_MAX) {
		snprintf(err, errsize, "%s: %zu events in one range (limit %d)", where, n,
			 VG_VULN_EVENTS_MAX);
		return -E2BIG;
	}
	if (n == 0)
		return 0;
	ev = calloc(n, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	json_array_foreach(events, i, e)
	{
		const char *k, *v;
		json_t *val;

		if (!json_is_object(e) || json_object_size(e) != 1) {
			snprintf(err, errsize, "%s: event %zu must be an object with one key",
				 where, i);
			return -EBADMSG;
		}
		json_object_foreach(e, k, val)
		{
			v = json_string_value(val);
			if (strcmp(k, "introduced") == 0)
				ev[i].kind = 'i';
			else if (strcmp(k, "fixed") == 0)
				ev[i].kind = 'f';
			else if (strcmp(k, "last_affected") == 0)
				ev[i].kind = 'l';
			else if (strcmp(k, "limit") == 0)
				ev[i].kind = 'x';
			else {
				snprintf(err, errsize, "%s: unknown event \"%.64s\"", where, k);
				return -EBADMSG;
			}
			if (!vg_vuln_version_ok(v)) {
				snprintf(err, errsize,
					 "%s: event \"%s\" has an invalid version (not a string, "
					 "empty, longer than %d bytes or with whitespace)",
					 where, k, VG_VERSION_LEN_MAX);
				return -EBADMSG;
			}
			ev[i].version = v;
		}
	}
	/* stable insertion sort: ranges are short */
	for (i = 1; i < n; i++) {
		struct event t = ev[i];
		size_t j = i;

		while (j > 0 && event_cmp(scheme, have_scheme, &ev[j - 1], &t) > 0) {
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = t;
	}
	if (sb->len > 0 && (r = vg_strbuf_putc(sb, '\n')) < 0)
		return r;
	r = vg_strbuf_puts(sb, type[0] == 'S' ? "SEMVER" : "ECOSYSTEM");
	for (i = 0; i < n && r >= 0; i++) {
		r = vg_strbuf_printf(sb, " %c:%s", ev[i].kind, ev[i].version);
		if (ev[i].kind == 'f' && !*first_fixed)
			*first_fixed = ev[i].version;
	}
	return r;
}

/* The affected entry @a of a record. */
static int import_affected(struct vg_vuln_import *imp, int64_t vuln, json_t *a, const char *where,
			   char *err, size_t errsize)
{
	json_t *pkg = json_object_get(a, "package"), *ranges = json_object_get(a, "ranges");
	json_t *versions = json_object_get(a, "versions"), *r_, *v;
	const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
	const char *name = json_string_value(json_object_get(pkg, "name"));
	const char *first_fixed = NULL, *urgency;
	struct vg_strbuf rs, vs;
	char ns[VG_VULN_NAME_MAX], pyname[VG_VULN_NAME_MAX];
	enum vg_version_scheme scheme = VG_VERSION_SEMVER;
	bool have_scheme;
	size_t i;
	int r;

	if (!eco || !name) {
		imp->stats.skipped++; /* e.g. GIT-only entries naming a repository */
		return 0;
	}
	if (strlen(name) >= VG_VULN_NAME_MAX || strlen(eco) >= VG_VULN_NAME_MAX ||
	    vg_vuln_namespace_from_osv(eco, ns, sizeof(ns)) < 0) {
		snprintf(err, errsize, "%s: package name or ecosystem too long or empty", where);
		return -EBADMSG;
	}
	have_scheme = vg_vuln_namespace_scheme(ns, &scheme) >= 0;
	if (strcmp(ns, "PyPI") == 0) {
		vg_vuln_pypi_normalize(name, pyname, sizeof(pyname));
		name = pyname;
	}
	if (ranges && !json_is_array(ranges)) {
		snprintf(err, errsize, "%s: \"ranges\" is not an array", where);
		return -EBADMSG;
	}
	if (json_array_size(ranges) > VG_VULN_RANGES_MAX) {
		snprintf(err, errsize, "%s: %zu ranges (limit %d)", where, json_array_size(ranges),
			 VG_VULN_RANGES_MAX);
		return -E2BIG;
	}
	if (versions && !json_is_array(versions)) {
		snprintf(err, errsize, "%s: \"versions\" is not an array", where);
		return -EBADMSG;
	}
	if (json_array_size(versions) > VG_VULN_VERSIONS_MAX) {
		snprintf(err, errsize, "%s: %zu versions (limit %d)", where,
			 json_array_size(versions), VG_VULN_VERSIONS_MAX);
		return -E2BIG;
	}
	vg_strbuf_init(&rs, 0);
	vg_strbuf_init(&vs, 0);
	json_array_foreach(ranges, i, r_)
	{
		r = import_range(r_, scheme, have_scheme, &rs, &first_fixed, where, err, errsize);
		if (r < 0)
			goto out;
	}
	json_array_foreach(versions, i, v)
	{
		if (!vg_vuln_version_ok(json_string_value(v))) {
			snprintf(err, errsize, "%s: versions[%zu] is not a valid version string",
				 where, i);
			r = -EBADMSG;
			goto out;
		}
		if ((vs.len > 0 && (r = vg_strbuf_putc(&vs, '\n')) < 0) ||
		    (r = vg_strbuf_puts(&vs, json_string_value(v))) < 0)
			goto out;
	}
	if (rs.len == 0 && vs.len == 0) {
		imp->stats.skipped++;
		r = 0;
		goto out;
	}
	urgency = json_string_value(
		json_object_get(json_object_get(a, "ecosystem_specific"), "urgency"));
	if (urgency && strlen(urgency) > 64)
		urgency = NULL;
	r = vg_vuln_import_add_affected(imp, vuln,
					&(struct vg_vuln_affected){
						.ns = ns,
						.package = name,
						.state = VG_VULN_STATE_RANGES,
						.fixed_version = first_fixed,
						.urgency = urgency,
						.ranges = rs.len ? vg_strbuf_str(&rs) : NULL,
						.versions = vs.len ? vg_strbuf_str(&vs) : NULL,
					});
	if (r < 0)
		snprintf(err, errsize, "%s: cannot store an affected entry: %s", where,
			 strerror(-r));
out:
	vg_strbuf_done(&rs);
	vg_strbuf_done(&vs);
	return r;
}

static int add_ids(struct vg_vuln_import *imp, int64_t vuln, json_t *arr, enum vg_vuln_id_kind kind,
		   const char *where, char *err, size_t errsize)
{
	size_t i;
	json_t *v;
	int r;

	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > VG_VULN_ALIASES_MAX) {
		snprintf(err, errsize,
			 "%s: aliases/related/upstream must be an array of at most %d ids", where,
			 VG_VULN_ALIASES_MAX);
		return -EBADMSG;
	}
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);

		if (!s || !s[0] || strlen(s) > VG_VULN_ID_MAX) {
			snprintf(err, errsize,
				 "%s: id %zu of an id list is not a string of 1 to %d "
				 "bytes",
				 where, i, VG_VULN_ID_MAX);
			return -EBADMSG;
		}
		r = vg_vuln_import_add_id(imp, vuln, s, kind);
		if (r < 0)
			return r;
	}
	return 0;
}

int vg_vuln_import_osv_record(struct vg_vuln_import *imp, json_t *rec, const char *where, char *err,
			      size_t errsize)
{
	char summary[VG_VULN_TEXT_MAX], url[VG_VULN_TEXT_MAX], pub[64], mod[64], wd[64];
	struct vg_vuln_record vr = {};
	json_t *sev, *affected, *a, *refs, *up, *dbs;
	char whereid[512];
	int64_t vuln;
	size_t i;
	int r;

	if (!json_is_object(rec)) {
		snprintf(err, errsize, "%s: an OSV record must be a JSON object", where);
		return -EBADMSG;
	}
	vr.id = json_string_value(json_object_get(rec, "id"));
	if (!vr.id || !vr.id[0] || strlen(vr.id) > VG_VULN_ID_MAX) {
		snprintf(err, errsize, "%s: OSV record without a valid \"id\" (1 to %d bytes)",
			 where, VG_VULN_ID_MAX);
		return -EBADMSG;
	}
	snprintf(whereid, sizeof(whereid), "%s: %s", where, vr.id);
	vr.summary = text_field(rec, "summary", summary, sizeof(summary));
	if (!vr.summary || !vr.summary[0]) {
		const char *d = text_field(rec, "details", summary, sizeof(summary));

		if (d) {
			size_t n = strcspn(d, "\n");

			if (d != summary) {
				n = n < sizeof(summary) - 1 ? n : sizeof(summary) - 1;
				memmove(summary, d, n);
			}
			summary[n] = '\0';
			vr.summary = summary;
		}
	}
	vr.published = text_field(rec, "published", pub, sizeof(pub));
	vr.modified = text_field(rec, "modified", mod, sizeof(mod));
	vr.withdrawn = text_field(rec, "withdrawn", wd, sizeof(wd));
	dbs = json_object_get(rec, "database_specific");
	vr.url = text_field(dbs, "url", url, sizeof(url));
	refs = json_object_get(rec, "references");
	if (!vr.url && json_is_array(refs)) {
		json_t *ref;

		json_array_foreach(refs, i, ref)
		{
			const char *t = json_string_value(json_object_get(ref, "type"));

			if (t && strcmp(t, "ADVISORY") == 0) {
				vr.url = text_field(ref, "url", url, sizeof(url));
				break;
			}
		}
		if (!vr.url)
			vr.url = text_field(json_array_get(refs, 0), "url", url, sizeof(url));
	}
	r = vg_vuln_severity_from_string(json_string_value(json_object_get(dbs, "severity")));
	vr.severity = r < 0 ? VG_VULN_SEVERITY_UNKNOWN : (enum vg_vuln_severity)r;
	sev = json_object_get(rec, "severity");
	if (json_is_array(sev)) {
		json_t *s;

		json_array_foreach(sev, i, s)
		{
			const char *t = json_string_value(json_object_get(s, "type"));
			const char *score = json_string_value(json_object_get(s, "score"));

			if (t && score && strcmp(t, "CVSS_V3") == 0 &&
			    strlen(score) <= VG_VULN_CVSS_VECTOR_MAX) {
				vr.cvss_vector = score;
				break;
			}
		}
	}
	r = vg_vuln_import_add(imp, &vr, &vuln);
	if (r < 0) {
		snprintf(err, errsize, "%s: cannot store the record: %s", whereid, strerror(-r));
		return r;
	}
	r = add_ids(imp, vuln, json_object_get(rec, "aliases"), VG_VULN_ID_ALIAS, whereid, err,
		    errsize);
	if (r < 0)
		return r;
	/* one upstream id is the same vulnerability (DEBIAN-CVE-x -> CVE-x); several are the
	 * ones an advisory bundles */
	up = json_object_get(rec, "upstream");
	r = add_ids(imp, vuln, up, json_array_size(up) == 1 ? VG_VULN_ID_ALIAS : VG_VULN_ID_RELATED,
		    whereid, err, errsize);
	if (r < 0)
		return r;
	r = add_ids(imp, vuln, json_object_get(rec, "related"), VG_VULN_ID_RELATED, whereid, err,
		    errsize);
	if (r < 0)
		return r;
	affected = json_object_get(rec, "affected");
	if (affected && !json_is_array(affected)) {
		snprintf(err, errsize, "%s: \"affected\" is not an array", whereid);
		return -EBADMSG;
	}
	if (json_array_size(affected) > VG_VULN_AFFECTED_MAX) {
		snprintf(err, errsize, "%s: %zu affected entries (limit %d)", whereid,
			 json_array_size(affected), VG_VULN_AFFECTED_MAX);
		return -E2BIG;
	}
	json_array_foreach(affected, i, a)
	{
		if (!json_is_object(a)) {
			snprintf(err, errsize, "%s: affected[%zu] is not an object", whereid, i);
			return -EBADMSG;
		}
		r = import_affected(imp, vuln, a, whereid, err, errsize);
		if (r < 0)
			return r;
	}
	return 0;
}

int vg_vuln_import_osv_json(struct vg_vuln_import *imp, const char *buf, size_t len,
			    const char *where, char *err, size_t errsize)
{
	cleanup_json json_t *root = NULL;
	size_t i;
	json_t *rec;
	int r;

	r = vg_vuln_json_parse(buf, len, VG_VULN_FEED_MAX, where, &root, err, errsize);
	if (r < 0)
		return r;
	if (json_is_object(root))
		return vg_vuln_import_osv_record(imp, root, where, err, errsize);
	if (!json_is_array(root)) {
		snprintf(err, errsize, "%s: not an OSV record or array of records", where);
		return -EBADMSG;
	}
	if (json_array_size(root) > VG_VULN_RECORDS_MAX) {
		snprintf(err, errsize, "%s: more than %d records", where, VG_VULN_RECORDS_MAX);
		return -E2BIG;
	}
	json_array_foreach(root, i, rec)
	{
		r = vg_vuln_import_osv_record(imp, rec, where, err, errsize);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Records the ecosystem (before ':') shared by every record so far; "" once they differ. */
static void note_ecosystem(json_t *rec, char *eco, size_t ecosize, bool *first)
{
	json_t *a = json_object_get(rec, "affected");
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
	{
		const char *s = json_string_value(
			json_object_get(json_object_get(e, "package"), "ecosystem"));
		size_t n;

		if (!s)
			continue;
		n = strcspn(s, ":");
		if (*first) {
			if (n < ecosize) {
				memcpy(eco, s, n);
				eco[n] = '\0';
			}
			*first = false;
		} else if (strlen(eco) != n || strncmp(eco, s, n) != 0)
			eco[0] = '\0';
	}
}

int vg_vuln_import_osv_zip(struct vg_vuln_import *imp, const void *data, size_t size,
			   const char *where, char *ret_eco, size_t ecosize, char *err,
			   size_t errsize)
{
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry *e;
	uint64_t inflated = 0;
	bool first = true;
	char wherebuf[VG_PATH_MAX + 64];
	int r;

	if (ret_eco && ecosize)
		ret_eco[0] = '\0';
	r = vg_zip_open(&z, data, size);
	if (r < 0) {
		snprintf(err, errsize, "%s: not a valid ZIP archive: %s", where, strerror(-r));
		return r;
	}
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	vg_zip_iter_init(&z, &it);
	for (;;) {
		cleanup_free char *buf = NULL;
		cleanup_json json_t *rec = NULL;
		size_t len;

		r = vg_zip_next(&z, &it, e);
		if (r == 0)
			break;
		if (r < 0) {
			snprintf(err, errsize, "%s: corrupt ZIP central directory: %s", where,
				 strerror(-r));
			goto out;
		}
		if (e->is_dir || !vg_endswith(e->name, ".json"))
			continue;
		snprintf(wherebuf, sizeof(wherebuf), "%s:%s", where, e->name);
		if (e->size > VG_VULN_RECORD_MAX) {
			snprintf(err, errsize, "%s: entry of %llu bytes (limit %d per record)",
				 wherebuf, (unsigned long long)e->size, VG_VULN_RECORD_MAX);
			r = -E2BIG;
			goto out;
		}
		inflated += e->size;
		if (inflated > VG_VULN_ZIP_INFLATE_MAX) {
			snprintf(err, errsize, "%s: more than %llu bytes once inflated", where,
				 (unsigned long long)VG_VULN_ZIP_INFLATE_MAX);
			r = -E2BIG;
			goto out;
		}
		r = vg_zip_read_alloc(&z, e, VG_VULN_RECORD_MAX, &buf, &len);
		if (r < 0) {
			snprintf(err, errsize, "%s: cannot read the entry: %s%s", wherebuf,
				 strerror(-r),
				 r == -E2BIG ? " (larger than the per-record limit)" : "");
			goto out;
		}
		r = vg_vuln_json_parse(buf, len, VG_VULN_RECORD_MAX, wherebuf, &rec, err, errsize);
		if (r < 0)
			goto out;
		if (ret_eco)
			note_ecosystem(rec, ret_eco, ecosize, &first);
		r = vg_vuln_import_osv_record(imp, rec, wherebuf, err, errsize);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	free(e);
	return r;
}
