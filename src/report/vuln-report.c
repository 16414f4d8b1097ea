/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "basic/hashmap.h"
#include "inventory/package.h"
#include "report/vuln-report.h"
#include "vg-config.h"

static const char *const format_names[VG_VULN_FORMAT__MAX] = {
	[VG_VULN_FORMAT_TABLE] = "table",
	[VG_VULN_FORMAT_JSON] = "json",
	[VG_VULN_FORMAT_SARIF] = "sarif",
	[VG_VULN_FORMAT_CYCLONEDX] = "cyclonedx",
};

int vg_vuln_format_from_string(const char *s)
{
	for (int i = 0; i < VG_VULN_FORMAT__MAX; i++)
		if (s && !strcmp(s, format_names[i]))
			return i;
	return -EINVAL;
}

void vg_vuln_report_init(struct vg_vuln_report *rep, const struct vg_sbom *sbom,
			 const struct vg_vuln_findings *findings)
{
	*rep = (struct vg_vuln_report){.sbom = sbom, .findings = findings, .db_age_days = -1};
	vg_vec_init(&rep->shown, sizeof(struct vg_vuln_report_item), 0);
	vg_vec_init(&rep->suppressed, sizeof(struct vg_vuln_report_item), 0);
}

void vg_vuln_report_done(struct vg_vuln_report *rep)
{
	vg_vec_done(&rep->shown);
	vg_vec_done(&rep->suppressed);
}

int vg_vuln_report_filter(struct vg_vuln_report *rep, const struct vg_vuln_filter *filter)
{
	const struct vg_sbom *s = rep->sbom;

	vg_vec_for_each(const struct vg_vuln_finding, f, &rep->findings->items) {
		struct vg_vuln_report_item it = {.f = f};
		int r;

		if (filter->severities && !(filter->severities & (1u << f->severity))) {
			rep->n_below_severity++;
			continue;
		}
		if (filter->ignore_unfixed && f->fix_state != VG_VULN_FIX_FIXED) {
			rep->n_unfixed++;
			continue;
		}
		if (filter->suppressions)
			it.suppressed = vg_vuln_suppressed(filter->suppressions, f, filter->now,
							   s->name, s->image_id);
		r = vg_vec_push(it.suppressed ? &rep->suppressed : &rep->shown, &it);
		if (r < 0)
			return r;
		if (!it.suppressed)
			rep->by_severity[f->severity]++;
	}
	return 0;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* Accumulates allocation failures instead of checking each call. */
static void add(json_t *o, const char *k, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(o, k, v) < 0)
		*ok = false;
}

static void add_str(json_t *o, const char *k, const char *v, bool *ok)
{
	if (v)
		add(o, k, json_string(v), ok);
}

static void push(json_t *a, json_t *v, bool *ok)
{
	if (!v || json_array_append_new(a, v) < 0)
		*ok = false;
}

static json_t *strv(const char *const *v, size_t n, bool *ok)
{
	json_t *a = json_array();

	if (!a) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		push(a, json_string(v[i]), ok);
	return a;
}

static const char *severity(const struct vg_vuln_finding *f)
{
	return vg_vuln_severity_to_string(f->severity);
}

/* JSON. */

static json_t *package_json(const struct vg_package *p, bool *ok)
{
	json_t *o = json_object();

	if (!o) {
		*ok = false;
		return NULL;
	}
	add_str(o, "name", p->name, ok);
	add_str(o, "version", p->version, ok);
	add_str(o, "type", vg_ecosystem_to_string(p->ecosystem), ok);
	add_str(o, "source_name", p->source_name, ok);
	add_str(o, "source_version", p->source_version, ok);
	add_str(o, "purl", p->purl, ok);
	add_str(o, "found_in", p->found_in, ok);
	add(o, "layer", json_integer(p->layer), ok);
	return o;
}

static json_t *suppression_json(const struct vg_suppression *x, bool *ok)
{
	json_t *o = json_object();

	if (!o) {
		*ok = false;
		return NULL;
	}
	add_str(o, "kind", x->kind == VG_SUPPRESS_IGNORE ? "ignore" : "vex", ok);
	add_str(o, "file", x->file, ok);
	if (x->line)
		add(o, "line", json_integer(x->line), ok);
	add_str(o, "status", x->status, ok);
	add_str(o, "justification", x->justification, ok);
	add_str(o, "reason", x->reason, ok);
	return o;
}

static json_t *finding_json(const struct vg_vuln_report_item *it, bool *ok)
{
	const struct vg_vuln_finding *f = it->f;
	json_t *o = json_object();

	if (!o) {
		*ok = false;
		return NULL;
	}
	add_str(o, "id", f->id, ok);
	add(o, "ids", strv(f->ids, f->n_ids, ok), ok);
	if (f->n_related)
		add(o, "related", strv(f->related, f->n_related, ok), ok);
	add(o, "package", package_json(f->package, ok), ok);
	add_str(o, "namespace", f->ns, ok);
	add_str(o, "matched_name", f->matched_name, ok);
	add_str(o, "matched_version", f->matched_version, ok);
	add_str(o, "severity", severity(f), ok);
	add_str(o, "urgency", f->urgency, ok);
	if (f->cvss_score >= 0) {
		json_t *c = json_object();

		if (c) {
			add(c, "score", json_real(f->cvss_score), ok);
			add_str(c, "vector", f->cvss_vector, ok);
		}
		add(o, "cvss", c, ok);
	}
	add_str(o, "status", vg_vuln_fix_state_to_string(f->fix_state), ok);
	add_str(o, "fixed_version", f->fixed_version, ok);
	add_str(o, "title", f->title, ok);
	add(o, "urls", strv(f->urls, f->n_urls, ok), ok);
	add(o, "sources", strv(f->sources, f->n_sources, ok), ok);
	if (it->suppressed)
		add(o, "suppressed", suppression_json(it->suppressed, ok), ok);
	return o;
}

json_t *vg_vuln_report_json(const struct vg_vuln_report *rep)
{
	const struct vg_sbom *s = rep->sbom;
	json_t *o = json_object(), *sum = json_object(), *items = json_array(),
	       *supp = json_array(), *db = json_object();
	bool ok = o && sum && items && supp && db;

	add_str(o, "target", s->target, &ok);
	add_str(o, "name", s->name, &ok);
	add_str(o, "kind", s->kind, &ok);
	if (s->image_id[0])
		add_str(o, "image_id", s->image_id, &ok);
	if (s->has_os) {
		json_t *os = json_object();

		if (os) {
			add_str(os, "id", str_or(s->os.id, NULL), &ok);
			add_str(os, "version", str_or(s->os.version_id, NULL), &ok);
			add_str(os, "codename", str_or(s->os.codename, NULL), &ok);
		}
		add(o, "os", os, &ok);
	}
	add_str(db, "path", rep->db_path, &ok);
	add_str(db, "built", rep->db_built, &ok);
	if (rep->db_age_days >= 0)
		add(db, "age_days", json_integer(rep->db_age_days), &ok);
	add(o, "db", db, &ok);
	for (int i = VG_VULN_SEVERITY__MAX - 1; i >= 0; i--)
		add(sum, vg_vuln_severity_to_string(i),
		    json_integer((json_int_t)rep->by_severity[i]), &ok);
	add(sum, "total", json_integer((json_int_t)rep->shown.len), &ok);
	add(sum, "suppressed", json_integer((json_int_t)rep->suppressed.len), &ok);
	add(sum, "below_severity", json_integer((json_int_t)rep->n_below_severity), &ok);
	add(sum, "unfixed_ignored", json_integer((json_int_t)rep->n_unfixed), &ok);
	add(sum, "packages", json_integer((json_int_t)s->packages.len), &ok);
	add(sum, "packages_unsupported", json_integer((json_int_t)rep->findings->n_unsupported),
	    &ok);
	add(sum, "unimportant_hidden",
	    json_integer((json_int_t)rep->findings->n_hidden_unimportant), &ok);
	add(o, "summary", sum, &ok);
	vg_vec_for_each(const struct vg_vuln_report_item, it, &rep->shown)
		push(items, finding_json(it, &ok), &ok);
	add(o, "vulnerabilities", items, &ok);
	vg_vec_for_each(const struct vg_vuln_report_item, it, &rep->suppressed)
		push(supp, finding_json(it, &ok), &ok);
	add(o, "suppressed", supp, &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Table. */

static void put_clipped(FILE *f, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s && s[i] && i < max; i++)
		fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i], f);
	if (s && s[i])
		fputs("...", f);
}

int vg_vuln_report_table(const struct vg_vuln_report *rep, FILE *f)
{
	const struct vg_sbom *s = rep->sbom;
	const struct vg_package *prev = NULL;

	fprintf(f, "%s", str_or(s->name, s->target));
	if (s->has_os)
		fprintf(f, " (%s %s)", str_or(s->os.id, "?"), str_or(s->os.version_id, ""));
	fprintf(f, ": %zu vulnerabilit%s in %zu packages", rep->shown.len,
		rep->shown.len == 1 ? "y" : "ies", s->packages.len);
	if (rep->shown.len) {
		const char *sep = " (";

		for (int i = VG_VULN_SEVERITY__MAX - 1; i >= 0; i--)
			if (rep->by_severity[i]) {
				fprintf(f, "%s%s %zu", sep, vg_vuln_severity_to_string(i),
					rep->by_severity[i]);
				sep = ", ";
			}
		fputc(')', f);
	}
	fputc('\n', f);
	if (rep->suppressed.len || rep->n_below_severity || rep->n_unfixed ||
	    rep->findings->n_hidden_unimportant)
		fprintf(f,
			"not shown: %zu suppressed, %zu below --severity, %zu unfixed "
			"(--ignore-unfixed), %zu Debian \"unimportant\"\n",
			rep->suppressed.len, rep->n_below_severity, rep->n_unfixed,
			rep->findings->n_hidden_unimportant);
	if (!rep->shown.len)
		return ferror(f) ? -EIO : 0;
	fprintf(f, "\n%-28s %-22s %-20s %-9s %-12s %-22s %s\n", "PACKAGE", "INSTALLED",
		"VULNERABILITY", "SEVERITY", "STATUS", "FIXED IN", "TITLE");
	vg_vec_for_each(const struct vg_vuln_report_item, it, &rep->shown) {
		const struct vg_vuln_finding *x = it->f;
		const struct vg_package *p = x->package;

		if (p != prev)
			fprintf(f, "%-28s %-22s ", str_or(p->name, "?"), str_or(p->version, "?"));
		else
			fprintf(f, "%-28s %-22s ", "", "");
		prev = p;
		fprintf(f, "%-20s %-9s %-12s %-22s ", x->id, severity(x),
			vg_vuln_fix_state_to_string(x->fix_state), str_or(x->fixed_version, "-"));
		put_clipped(f, x->title, 60);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

/* SARIF. */

static const char *sarif_level(enum vg_vuln_severity s)
{
	return s >= VG_VULN_SEVERITY_HIGH     ? "error"
	       : s == VG_VULN_SEVERITY_MEDIUM ? "warning"
					      : "note";
}

/* GitHub code scanning reads properties.security-severity as a CVSS-like score. */
static const char *security_severity(const struct vg_vuln_finding *f, char *buf, size_t size)
{
	static const char *const by_sev[VG_VULN_SEVERITY__MAX] = {"0.0", "0.0", "3.0",
								  "5.5", "8.0", "9.5"};

	if (f->cvss_score >= 0) {
		snprintf(buf, size, "%.1f", f->cvss_score);
		return buf;
	}
	return by_sev[f->severity];
}

json_t *vg_vuln_report_sarif_run(const struct vg_vuln_report *rep)
{
	json_t *run = json_object(), *driver = json_object(), *rules = json_array(),
	       *results = json_array();
	struct vg_hashmap index;
	bool ok = run && driver && rules && results;

	vg_hashmap_init(&index, VG_HASHMAP_STRING, 0, NULL);
	add_str(driver, "name", "vigil", &ok);
	add_str(driver, "semanticVersion", VG_VERSION, &ok);
	add_str(driver, "informationUri", "https://github.com/vigil-security/vigil", &ok);
	vg_vec_for_each(const struct vg_vuln_report_item, it, &rep->shown) {
		const struct vg_vuln_finding *x = it->f;
		const struct vg_package *p = x->package;
		uintptr_t ri = (uintptr_t)vg_hashmap_get_str(&index, x->id);
		char text[1024], sev[16];
		json_t *res = json_object(), *props;

		if (!ri) {
			json_t *rd = json_object();

			add_str(rd, "id", x->id, &ok);
			add_str(rd, "name", x->id, &ok);
			add(rd, "shortDescription",
			    json_pack("{s:s}", "text", str_or(x->title, x->id)), &ok);
			add(rd, "fullDescription",
			    json_pack("{s:s}", "text", str_or(x->title, x->id)), &ok);
			if (x->n_urls)
				add_str(rd, "helpUri", x->urls[0], &ok);
			add(rd, "defaultConfiguration",
			    json_pack("{s:s}", "level", sarif_level(x->severity)), &ok);
			props = json_pack("{s:[s,s,s], s:s, s:s}", "tags", "vulnerability",
					  "security", severity(x), "precision", "very-high",
					  "security-severity",
					  security_severity(x, sev, sizeof(sev)));
			add(rd, "properties", props, &ok);
			push(rules, rd, &ok);
			ri = json_array_size(rules);
			if (vg_hashmap_put_str(&index, x->id, (void *)ri) < 0)
				ok = false;
		}
		snprintf(text, sizeof(text), "%s %s: %s (%s, %s%s%s)%s%s", str_or(p->name, "?"),
			 str_or(p->version, "?"), x->id, severity(x),
			 vg_vuln_fix_state_to_string(x->fix_state), x->fixed_version ? " in " : "",
			 x->fixed_version ? x->fixed_version : "", x->title ? ": " : "",
			 x->title ? x->title : "");
		add_str(res, "ruleId", x->id, &ok);
		add(res, "ruleIndex", json_integer((json_int_t)ri - 1), &ok);
		add_str(res, "level", sarif_level(x->severity), &ok);
		add(res, "message", json_pack("{s:s}", "text", text), &ok);
		add(res, "locations",
		    json_pack("[{s:{s:{s:s}}}]", "physicalLocation", "artifactLocation", "uri",
			      str_or(p->found_in, str_or(rep->sbom->target, "image"))),
		    &ok);
		props = json_object();
		add_str(props, "package", p->name, &ok);
		add_str(props, "installedVersion", p->version, &ok);
		add_str(props, "fixedVersion", x->fixed_version, &ok);
		add_str(props, "purl", p->purl, &ok);
		add(props, "layer", json_integer(p->layer), &ok);
		add(props, "ids", strv(x->ids, x->n_ids, &ok), &ok);
		add(res, "properties", props, &ok);
		push(results, res, &ok);
	}
	vg_hashmap_done(&index);
	add(driver, "rules", rules, &ok);
	add(run, "tool", json_pack("{s:o}", "driver", driver), &ok);
	add(run, "results", results, &ok);
	add(run, "automationDetails",
	    json_pack("{s:s}", "id", str_or(rep->sbom->name, str_or(rep->sbom->target, "scan"))),
	    &ok);
	if (!ok) {
		json_decref(run);
		return NULL;
	}
	return run;
}

/* CycloneDX VEX. */

static const char *cdx_severity(enum vg_vuln_severity s)
{
	switch (s) {
	case VG_VULN_SEVERITY_CRITICAL:
		return "critical";
	case VG_VULN_SEVERITY_HIGH:
		return "high";
	case VG_VULN_SEVERITY_MEDIUM:
		return "medium";
	case VG_VULN_SEVERITY_LOW:
		return "low";
	case VG_VULN_SEVERITY_NEGLIGIBLE:
		return "info";
	default:
		return "unknown";
	}
}

/* OpenVEX justifications in CycloneDX's vocabulary. */
static const char *cdx_justification(const char *j)
{
	if (!j)
		return NULL;
	if (!strcmp(j, "component_not_present") || !strcmp(j, "vulnerable_code_not_present"))
		return "code_not_present";
	if (!strcmp(j, "vulnerable_code_not_in_execute_path"))
		return "code_not_reachable";
	if (!strcmp(j, "vulnerable_code_cannot_be_controlled_by_adversary"))
		return "requires_environment";
	if (!strcmp(j, "inline_mitigations_already_exist"))
		return "protected_by_mitigating_control";
	return NULL;
}

static const char *id_source(const char *id)
{
	if (!strncmp(id, "CVE-", 4))
		return "NVD";
	if (!strncmp(id, "GHSA-", 5))
		return "GitHub";
	if (!strncmp(id, "GO-", 3))
		return "Go";
	if (!strncmp(id, "DSA-", 4) || !strncmp(id, "DLA-", 4))
		return "Debian";
	return "OSV";
}

static json_t *cdx_vuln(const struct vg_vuln_report *rep, const struct vg_vuln_report_item *it,
			size_t n, bool *ok)
{
	const struct vg_vuln_finding *x = it->f;
	json_t *v = json_object(), *ratings = json_array(), *refs = json_array(),
	       *advisories = json_array();
	char ref[VG_INV_PURL_MAX + 32], bref[32];

	if (!v || !ratings || !refs || !advisories) {
		json_decref(v);
		json_decref(ratings);
		json_decref(refs);
		json_decref(advisories);
		*ok = false;
		return NULL;
	}
	snprintf(bref, sizeof(bref), "vuln-%zu", n);
	add_str(v, "bom-ref", bref, ok);
	add_str(v, "id", x->id, ok);
	add(v, "source", json_pack("{s:s}", "name", id_source(x->id)), ok);
	for (size_t i = 0; i < x->n_ids; i++)
		if (strcmp(x->ids[i], x->id))
			push(refs,
			     json_pack("{s:s, s:{s:s}}", "id", x->ids[i], "source", "name",
				       id_source(x->ids[i])),
			     ok);
	for (size_t i = 0; i < x->n_related; i++)
		push(refs,
		     json_pack("{s:s, s:{s:s}}", "id", x->related[i], "source", "name",
			       id_source(x->related[i])),
		     ok);
	if (json_array_size(refs))
		add(v, "references", refs, ok);
	else
		json_decref(refs);
	if (x->cvss_score >= 0 && x->cvss_vector)
		push(ratings,
		     json_pack("{s:f, s:s, s:s, s:s}", "score", x->cvss_score, "severity",
			       cdx_severity(vg_cvss3_severity(x->cvss_score)), "method",
			       strncmp(x->cvss_vector, "CVSS:3.0", 8) ? "CVSSv31" : "CVSSv3",
			       "vector", x->cvss_vector),
		     ok);
	push(ratings,
	     json_pack("{s:s, s:s, s:{s:s}}", "severity", cdx_severity(x->severity), "method",
		       "other", "source", "name", x->n_sources ? x->sources[0] : "vigil"),
	     ok);
	add(v, "ratings", ratings, ok);
	add_str(v, "description", x->title, ok);
	for (size_t i = 0; i < x->n_urls; i++)
		push(advisories, json_pack("{s:s}", "url", x->urls[i]), ok);
	if (json_array_size(advisories))
		add(v, "advisories", advisories, ok);
	else
		json_decref(advisories);
	if (x->fixed_version) {
		char rec[512];

		snprintf(rec, sizeof(rec), "Upgrade %s to %s or later.",
			 str_or(x->package->name, "?"), x->fixed_version);
		add_str(v, "recommendation", rec, ok);
	}
	vg_sbom_bom_ref(rep->sbom, x->package_index, ref, sizeof(ref));
	add(v, "affects",
	    json_pack("[{s:s, s:[{s:s, s:s}]}]", "ref", ref, "versions", "version",
		      str_or(x->package->version, "unknown"), "status", "affected"),
	    ok);
	if (it->suppressed) {
		const struct vg_suppression *sp = it->suppressed;
		json_t *a = json_object();

		if (sp->kind == VG_SUPPRESS_VEX && !strcmp(sp->status, "fixed")) {
			add_str(a, "state", "resolved", ok);
		} else if (sp->kind == VG_SUPPRESS_VEX) {
			add_str(a, "state", "not_affected", ok);
			add_str(a, "justification", cdx_justification(sp->justification), ok);
		} else { /* an accepted risk from .vigilignore */
			add_str(a, "state", "exploitable", ok);
			add(a, "response", json_pack("[s]", "will_not_fix"), ok);
		}
		add_str(a, "detail", sp->reason, ok);
		add(v, "analysis", a, ok);
	}
	return v;
}

json_t *vg_vuln_report_cyclonedx(const struct vg_vuln_report *rep)
{
	json_t *doc = vg_sbom_cyclonedx(rep->sbom), *vulns = json_array();
	bool ok = doc && vulns;
	size_t n = 0;

	vg_vec_for_each(const struct vg_vuln_report_item, it, &rep->shown)
		push(vulns, cdx_vuln(rep, it, n++, &ok), &ok);
	vg_vec_for_each(const struct vg_vuln_report_item, it, &rep->suppressed)
		push(vulns, cdx_vuln(rep, it, n++, &ok), &ok);
	if (doc)
		add(doc, "vulnerabilities", vulns, &ok);
	else
		json_decref(vulns);
	if (!ok) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
