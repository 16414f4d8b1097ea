/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debian security tracker data: the JSON export (security-tracker.debian.org/tracker/data/json)
 * and the DSA/DLA list files (data/DSA/list, data/DLA/list of the security-tracker
 * repository). Both are keyed by source package and release; releases are stored by number
 * ("debian:11" for bullseye) as os-release spells them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "shared/json.h"
#include "vuln/vuln-import.h"
#include "vuln/vuln-util.h"

/* ---- tracker JSON ---- */

static int tracker_release(struct vg_vuln_import *imp, int64_t vuln, const char *pkg,
			   const char *codename, json_t *rel, const char *where, char *err,
			   size_t errsize)
{
	const char *release = vg_vuln_debian_release(codename);
	const char *status = json_string_value(json_object_get(rel, "status"));
	const char *fixed = json_string_value(json_object_get(rel, "fixed_version"));
	const char *urgency = json_string_value(json_object_get(rel, "urgency"));
	const char *nodsa_reason = json_string_value(json_object_get(rel, "nodsa_reason"));
	struct vg_vuln_affected a = {.package = pkg, .urgency = urgency};
	char ns[64];
	int r;

	if (!release || !status) {
		imp->stats.skipped++; /* unknown release name, or no status */
		return 0;
	}
	if (urgency && strlen(urgency) > 64)
		a.urgency = NULL;
	snprintf(ns, sizeof(ns), "debian:%s", release);
	a.ns = ns;
	if (strcmp(status, "resolved") == 0) {
		if (!fixed) {
			imp->stats.skipped++;
			return 0;
		}
		if (strcmp(fixed, "0") == 0)
			a.state = VG_VULN_STATE_NOT_AFFECTED;
		else if (vg_vuln_version_ok(fixed)) {
			a.state = VG_VULN_STATE_FIXED;
			a.fixed_version = fixed;
		} else {
			snprintf(err, errsize, "%s: %s in %s: invalid fixed_version", where, pkg,
				 codename);
			return -EBADMSG;
		}
	} else if (strcmp(status, "open") == 0) {
		if (nodsa_reason && strcmp(nodsa_reason, "ignored") == 0)
			a.state = VG_VULN_STATE_WONT_FIX;
		else if (urgency && strcmp(urgency, "end-of-life") == 0)
			a.state = VG_VULN_STATE_END_OF_LIFE;
		else
			a.state = VG_VULN_STATE_UNFIXED;
	} else {
		imp->stats.skipped++; /* undetermined: nothing to say yet */
		return 0;
	}
	r = vg_vuln_import_add_affected(imp, vuln, &a);
	if (r < 0)
		snprintf(err, errsize, "%s: cannot store %s/%s: %s", where, pkg, codename,
			 strerror(-r));
	return r;
}

int vg_vuln_import_debian_tracker(struct vg_vuln_import *imp, const char *buf, size_t len,
				  const char *where, char *err, size_t errsize)
{
	cleanup_json json_t *root = NULL;
	const char *pkg, *id, *codename;
	json_t *ids, *v, *rel;
	int r;

	r = vg_vuln_json_parse(buf, len, VG_VULN_FEED_MAX, where, &root, err, errsize);
	if (r < 0)
		return r;
	if (!json_is_object(root)) {
		snprintf(err, errsize, "%s: the tracker export must be a JSON object", where);
		return -EBADMSG;
	}
	json_object_foreach(root, pkg, ids)
	{
		if (!json_is_object(ids) || !pkg[0] || strlen(pkg) >= VG_VULN_NAME_MAX) {
			snprintf(err, errsize,
				 "%s: package \"%.64s\": not an object of vulnerabilities", where,
				 pkg);
			return -EBADMSG;
		}
		json_object_foreach(ids, id, v)
		{
			char summary[VG_VULN_TEXT_MAX];
			const char *desc = json_string_value(json_object_get(v, "description"));
			json_t *releases = json_object_get(v, "releases");
			int64_t vuln;

			if (!json_is_object(v) || (releases && !json_is_object(releases))) {
				snprintf(err, errsize,
					 "%s: %.64s/%.64s: not a vulnerability object", where, pkg,
					 id);
				return -EBADMSG;
			}
			if (strncmp(id, "TEMP-", 5) == 0 || !id[0] || strlen(id) > VG_VULN_ID_MAX) {
				imp->stats.skipped++; /* tracker-internal ids change over time */
				continue;
			}
			if (desc) {
				snprintf(summary, sizeof(summary), "%s", desc);
				desc = summary;
			}
			r = vg_vuln_import_add(
				imp, &(struct vg_vuln_record){.id = id, .summary = desc}, &vuln);
			if (r < 0) {
				snprintf(err, errsize, "%s: %s: cannot store: %s", where, id,
					 strerror(-r));
				return r;
			}
			json_object_foreach(releases, codename, rel)
			{
				if (!json_is_object(rel)) {
					snprintf(err, errsize, "%s: %s/%s/%.32s: not an object",
						 where, pkg, id, codename);
					return -EBADMSG;
				}
				r = tracker_release(imp, vuln, pkg, codename, rel, where, err,
						    errsize);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

/* ---- DSA / DLA lists ---- */

struct list_row {
	char release[8];
	char *package;
	char *version; /* NULL for the <tags> */
	enum vg_vuln_state state;
	char urgency[16];
};

struct advisory {
	char id[64];
	char date[32];
	char *summary;
	char **ids;
	size_t n_ids;
	struct list_row *rows;
	size_t n_rows;
};

static void advisory_clear(struct advisory *a)
{
	for (size_t i = 0; i < a->n_ids; i++)
		free(a->ids[i]);
	for (size_t i = 0; i < a->n_rows; i++) {
		free(a->rows[i].package);
		free(a->rows[i].version);
	}
	free(a->ids);
	free(a->rows);
	free(a->summary);
	*a = (struct advisory){};
}

static int advisory_flush(struct vg_vuln_import *imp, struct advisory *a, const char *where,
			  char *err, size_t errsize)
{
	size_t n_vulns = a->n_ids ? a->n_ids : 1;
	int r = 0;

	if (!a->id[0])
		return 0;
	for (size_t k = 0; k < n_vulns; k++) {
		const char *id = a->n_ids ? a->ids[k] : a->id;
		int64_t vuln;

		r = vg_vuln_import_add(
			imp,
			&(struct vg_vuln_record){.id = id,
						 .summary = a->summary,
						 .published = a->date[0] ? a->date : NULL},
			&vuln);
		if (r >= 0 && a->n_ids)
			r = vg_vuln_import_add_id(imp, vuln, a->id, VG_VULN_ID_RELATED);
		for (size_t i = 0; i < a->n_rows && r >= 0; i++) {
			struct list_row *row = &a->rows[i];
			char ns[32];

			snprintf(ns, sizeof(ns), "debian:%s", row->release);
			r = vg_vuln_import_add_affected(
				imp, vuln,
				&(struct vg_vuln_affected){
					.ns = ns,
					.package = row->package,
					.state = row->state,
					.fixed_version = row->version,
					.urgency = row->urgency[0] ? row->urgency : NULL,
					.advisory = a->id,
				});
		}
		if (r < 0) {
			snprintf(err, errsize, "%s: %s: cannot store: %s", where, a->id,
				 strerror(-r));
			break;
		}
	}
	advisory_clear(a);
	return r;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *token_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

static char *dup_span(const char *p, const char *e)
{
	return strndup(p, (size_t)(e - p));
}

/* "[29 Mar 2023] DSA-5380-1 xorg-server - security update" */
static int parse_header(const char *p, const char *end, struct advisory *a, char kind[4])
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *m, *id, *ide;
	int day, year, mon;

	if (end - p < 14 || p[0] != '[' || p[12] != ']' || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || p[3] != ' ' || p[7] != ' ')
		return -EBADMSG;
	m = strstr(months, (char[]){p[4], p[5], p[6], 0});
	if (!m || (m - months) % 3)
		return -EBADMSG;
	mon = (int)(m - months) / 3 + 1;
	day = (p[1] - '0') * 10 + (p[2] - '0');
	if (sscanf(p + 8, "%4d", &year) != 1 || year < 1990 || year > 9999 || day < 1 || day > 31)
		return -EBADMSG;
	id = skip_ws(p + 13, end);
	ide = token_end(id, end);
	if (ide - id < 5 || ide - id >= (long)sizeof(a->id) || id[3] != '-' ||
	    !isupper((unsigned char)id[0]))
		return -EBADMSG;
	memcpy(a->id, id, (size_t)(ide - id));
	a->id[ide - id] = '\0';
	snprintf(a->date, sizeof(a->date), "%04d-%02d-%02dT00:00:00Z", year, mon, day);
	p = skip_ws(ide, end);
	a->summary = dup_span(p, end - p > VG_VULN_TEXT_MAX ? p + VG_VULN_TEXT_MAX : end);
	if (!a->summary)
		return -ENOMEM;
	if (!kind[0])
		memcpy(kind, a->id, 3), kind[3] = '\0';
	return 0;
}

static bool id_like(const char *p, const char *e)
{
	const char *d = memchr(p, '-', (size_t)(e - p));

	if (!d || d == p || d + 1 >= e || e - p > VG_VULN_ID_MAX)
		return false;
	for (const char *s = p; s < d; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s))
			return false;
	return true;
}

/* "{CVE-2023-1 CVE-2023-2}" */
static int parse_ids(const char *p, const char *end, struct advisory *a)
{
	const char *close = memchr(p, '}', (size_t)(end - p));

	if (!close)
		return -EBADMSG;
	for (p = skip_ws(p + 1, close); p < close; p = skip_ws(p, close)) {
		const char *e = token_end(p, close);
		char **n;

		if (id_like(p, e)) {
			if (a->n_ids >= VG_VULN_ALIASES_MAX)
				return -E2BIG;
			n = reallocarray(a->ids, a->n_ids + 1, sizeof(*n));
			if (!n)
				return -ENOMEM;
			a->ids = n;
			a->ids[a->n_ids] = dup_span(p, e);
			if (!a->ids[a->n_ids])
				return -ENOMEM;
			a->n_ids++;
		}
		p = e;
	}
	return 0;
}

/* "[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (bug #1; medium)" or "<not-affected>" */
static int parse_row(const char *p, const char *end, struct advisory *a, const char **why)
{
	const char *close = memchr(p, ']', (size_t)(end - p)), *pk, *pke, *v, *ve, *release;
	struct list_row row = {};
	char codename[32];
	struct list_row *n;

	if (!close || close - p - 1 <= 0 || close - p - 1 >= (long)sizeof(codename)) {
		*why = "bad release name";
		return -EBADMSG;
	}
	memcpy(codename, p + 1, (size_t)(close - p - 1));
	codename[close - p - 1] = '\0';
	release = vg_vuln_debian_release(codename);
	if (!release) {
		*why = "unknown Debian release name";
		return -EBADMSG;
	}
	p = skip_ws(close + 1, end);
	if (p >= end || *p != '-') {
		*why = "expected \"- package version\"";
		return -EBADMSG;
	}
	pk = skip_ws(p + 1, end);
	pke = token_end(pk, end);
	v = skip_ws(pke, end);
	ve = token_end(v, end);
	if (pk == pke || v == ve || pke - pk >= VG_VULN_NAME_MAX) {
		*why = "expected \"- package version\"";
		return -EBADMSG;
	}
	snprintf(row.release, sizeof(row.release), "%s", release);
	if (*v == '<') {
		if (ve - v == 14 && memcmp(v, "<not-affected>", 14) == 0)
			row.state = VG_VULN_STATE_NOT_AFFECTED;
		else if (ve - v == 9 && memcmp(v, "<unfixed>", 9) == 0)
			row.state = VG_VULN_STATE_UNFIXED;
		else if (ve - v == 13 && memcmp(v, "<end-of-life>", 13) == 0)
			row.state = VG_VULN_STATE_END_OF_LIFE;
		else if (ve - v == 9 && memcmp(v, "<ignored>", 9) == 0)
			row.state = VG_VULN_STATE_WONT_FIX;
		else {
			*why = "unknown <tag> in place of a version";
			return -EBADMSG;
		}
	} else {
		if (ve - v > VG_VERSION_LEN_MAX) {
			*why = "version too long";
			return -E2BIG;
		}
		row.state = VG_VULN_STATE_FIXED;
		row.version = dup_span(v, ve);
		if (!row.version)
			return -ENOMEM;
	}
	/* "(bug #332524; medium)": an urgency among the notes */
	p = skip_ws(ve, end);
	if (p < end && *p == '(') {
		static const char *const urg[] = {"unimportant", "low", "medium", "high"};

		for (size_t i = 0; i < VG_ARRAY_SIZE(urg); i++) {
			size_t n_ = strlen(urg[i]);

			for (const char *s = p; s + n_ <= end; s++)
				if (memcmp(s, urg[i], n_) == 0 &&
				    (s == p || !isalpha((unsigned char)s[-1])) &&
				    (s + n_ == end || !isalpha((unsigned char)s[n_]))) {
					snprintf(row.urgency, sizeof(row.urgency), "%s", urg[i]);
					break;
				}
			if (row.urgency[0])
				break;
		}
	}
	row.package = dup_span(pk, pke);
	if (!row.package) {
		free(row.version);
		return -ENOMEM;
	}
	if (a->n_rows >= VG_VULN_AFFECTED_MAX)
		goto too_many;
	n = reallocarray(a->rows, a->n_rows + 1, sizeof(*n));
	if (!n)
		goto nomem;
	a->rows = n;
	a->rows[a->n_rows++] = row;
	return 0;
too_many:
	free(row.package);
	free(row.version);
	*why = "too many release lines in one advisory";
	return -E2BIG;
nomem:
	free(row.package);
	free(row.version);
	return -ENOMEM;
}

int vg_vuln_import_debian_list(struct vg_vuln_import *imp, const char *buf, size_t len,
			       const char *where, char ret_kind[4], char *err, size_t errsize)
{
	struct advisory a = {};
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	ret_kind[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *s;
		const char *why = NULL;

		line++;
		if (le - p > VG_VULN_LINE_MAX) {
			snprintf(err, errsize, "%s:%u: line longer than %d bytes", where, line,
				 VG_VULN_LINE_MAX);
			r = -E2BIG;
			goto out;
		}
		while (le > p && (le[-1] == '\r' || le[-1] == ' ' || le[-1] == '\t'))
			le--;
		s = skip_ws(p, le);
		if (s == le) {
			/* blank */
		} else if (s == p && *p == '[') {
			r = advisory_flush(imp, &a, where, err, errsize);
			if (r < 0)
				goto out;
			r = parse_header(p, le, &a, ret_kind);
			if (r < 0) {
				why = "malformed advisory line (expected \"[DD Mon YYYY] DSA-N-M ...\")";
				goto bad;
			}
		} else if (s == p) {
			why = "unexpected text at the start of a line";
			r = -EBADMSG;
			goto bad;
		} else if (!a.id[0]) {
			why = "indented line before the first advisory";
			r = -EBADMSG;
			goto bad;
		} else if (*s == '{') {
			r = parse_ids(s, le, &a);
			if (r < 0) {
				why = r == -E2BIG ? "too many ids" : "unterminated {ids}";
				goto bad;
			}
		} else if (*s == '[') {
			r = parse_row(s, le, &a, &why);
			if (r < 0)
				goto bad;
		} else if (le - s >= 5 && memcmp(s, "NOTE:", 5) == 0) {
			/* comment */
		} else {
			why = "unexpected line (expected {ids}, [release] - package version, NOTE:)";
			r = -EBADMSG;
			goto bad;
		}
		p = nl ? nl + 1 : end;
		continue;
bad:
		if (r == -ENOMEM)
			goto out;
		snprintf(err, errsize, "%s:%u: %s", where, line, why ? why : strerror(-r));
		goto out;
	}
	r = advisory_flush(imp, &a, where, err, errsize);
out:
	advisory_clear(&a);
	return r;
}
