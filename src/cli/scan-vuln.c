/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "cli/scan-vuln.h"
#include "vuln/db.h"

/* The ignore file read without being named, as trivy reads .trivyignore. */
#define DEFAULT_IGNORE_FILE ".vigilignore"

int scan_parse_severities(const char *s, unsigned *ret)
{
	unsigned mask = 0;
	char buf[128], *save = NULL;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(tok);
		bool and_above = len > 1 && tok[len - 1] == '+';
		int sev;

		if (and_above)
			tok[len - 1] = '\0';
		sev = vg_vuln_severity_from_string(tok);
		if (sev < 0)
			return -EINVAL;
		if (and_above)
			for (int i = sev; i < VG_VULN_SEVERITY__MAX; i++)
				mask |= 1u << i;
		else
			mask |= 1u << sev;
	}
	if (!mask)
		return -EINVAL;
	*ret = mask;
	return 0;
}

static int load_suppressions(struct scan_vuln *v, const struct scan_vuln_opts *o, time_t now)
{
	char err[512] = "";
	int r;

	for (size_t i = 0; i < o->n_ignore_files; i++) {
		r = vg_vuln_ignore_load(&v->suppressions, o->ignore_files[i], now, err,
					sizeof(err));
		if (r < 0)
			return log_error_errno(r, "ignore file %s", err);
	}
	if (o->n_ignore_files == 0 && access(DEFAULT_IGNORE_FILE, F_OK) == 0) {
		r = vg_vuln_ignore_load(&v->suppressions, DEFAULT_IGNORE_FILE, now, err,
					sizeof(err));
		if (r < 0)
			return log_error_errno(r, "ignore file %s", err);
	}
	for (size_t i = 0; i < o->n_vex_files; i++) {
		r = vg_vuln_openvex_load(&v->suppressions, o->vex_files[i], err, sizeof(err));
		if (r < 0)
			return log_error_errno(r, "VEX document %s", err);
	}
	if (v->suppressions.n_expired)
		log_warning("%zu ignore entr%s past %s expiry date no longer appl%s",
			    v->suppressions.n_expired, v->suppressions.n_expired == 1 ? "y" : "ies",
			    v->suppressions.n_expired == 1 ? "its" : "their",
			    v->suppressions.n_expired == 1 ? "ies" : "y");
	return 0;
}

int scan_vuln_run(struct scan_vuln *v, const char *target, const struct scan_vuln_opts *o,
		  const struct vg_sbom_hook *hook)
{
	cleanup(vg_vuln_db_closep) struct vg_vuln_db *db = NULL;
	struct vg_vuln_match_options mo = {.show_unimportant = o->show_unimportant};
	struct vg_vuln_filter filter = {.severities = o->severities,
					.ignore_unfixed = o->ignore_unfixed,
					.suppressions = &v->suppressions};
	struct vg_vuln_db_info info = {};
	char err[512] = "";
	time_t now = time(NULL);
	int64_t age = -1;
	int r;

	filter.now = now;
	if (o->db_path)
		v->db_path = strdup(o->db_path);
	else if (vg_vuln_db_default_path(&v->db_path) < 0)
		v->db_path = NULL;
	if (!v->db_path)
		return log_error_errno(-ENOMEM, "cannot find the vulnerability database path");

	r = load_suppressions(v, o, now);
	if (r < 0)
		return r;
	r = vg_vuln_db_open(v->db_path, false, &db, err, sizeof(err));
	if (r < 0)
		return log_error_errno(r, "vulnerability database: %s%s", err,
				       r == -ENOENT ? " (build it with `vigil db import` or "
						      "`vigil db update`)"
						    : "");
	if (vg_vuln_db_get_info(db, &info) >= 0) {
		if (info.built)
			v->db_built = strdup(info.built);
		vg_vuln_db_info_done(&info);
	}
	if (vg_vuln_db_age_days(db, now, &age) >= 0 && o->max_age_days >= 0 &&
	    age > o->max_age_days)
		log_warning("vulnerability data is %lld days old (more than %lld): results may "
			    "miss recent vulnerabilities; refresh with `vigil db update`",
			    (long long)age, (long long)o->max_age_days);

	r = vg_sbom_scan_with(&v->sbom, target, o->docker_socket, hook, err, sizeof(err));
	if (r < 0)
		return log_error_errno(r, "%s", err[0] ? err : target);
	r = vg_vuln_match(db, v->sbom.has_os ? &v->sbom.os : NULL, &v->sbom.packages, &mo,
			  &v->findings, err, sizeof(err));
	if (r < 0)
		return log_error_errno(r, "matching: %s", err[0] ? err : "failed");
	if (v->findings.n_bad_versions)
		log_warning("%zu version comparisons skipped: a version did not parse",
			    v->findings.n_bad_versions);

	v->report.db_path = v->db_path;
	v->report.db_built = v->db_built;
	v->report.db_age_days = age;
	r = vg_vuln_report_filter(&v->report, &filter);
	if (r < 0)
		return log_error_errno(r, "filtering findings");
	return 0;
}

void scan_vuln_init(struct scan_vuln *v)
{
	*v = (struct scan_vuln){};
	vg_sbom_init(&v->sbom);
	vg_vuln_findings_init(&v->findings);
	vg_vuln_suppressions_init(&v->suppressions);
	vg_vuln_report_init(&v->report, &v->sbom, &v->findings);
}

void scan_vuln_done(struct scan_vuln *v)
{
	vg_vuln_report_done(&v->report);
	vg_vuln_suppressions_done(&v->suppressions);
	vg_vuln_findings_done(&v->findings);
	vg_sbom_done(&v->sbom);
	free(v->db_path);
	free(v->db_built);
}
