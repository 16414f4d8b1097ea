/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writers for vulnerability findings (src/vuln/match.h) of one scanned target: a table
 * grouped by package, vigil JSON, a SARIF 2.1.0 run, and CycloneDX 1.5 with the findings as
 * VEX (vulnerabilities[].affects pointing at the SBOM's components; suppressed findings carry
 * an analysis with the suppression's state and justification). docs/vuln.md, "Reports".
 */
#ifndef VG_REPORT_VULN_REPORT_H
#define VG_REPORT_VULN_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "basic/vec.h"
#include "report/sbom.h"
#include "vuln/match.h"
#include "vuln/suppress.h"

enum vg_vuln_format {
	VG_VULN_FORMAT_TABLE,
	VG_VULN_FORMAT_JSON,
	VG_VULN_FORMAT_SARIF,
	VG_VULN_FORMAT_CYCLONEDX,
	VG_VULN_FORMAT__MAX,
};

struct vg_vuln_report_item {
	const struct vg_vuln_finding *f;
	const struct vg_suppression *suppressed; /* NULL for a reported finding */
};

struct vg_vuln_report {
	const struct vg_sbom *sbom; /* target, OS, packages */
	const struct vg_vuln_findings *findings;
	struct vg_vec shown; /* struct vg_vuln_report_item, findings left after the filters */
	struct vg_vec suppressed; /* struct vg_vuln_report_item, by .vigilignore / VEX */
	size_t n_below_severity; /* dropped by --severity */
	size_t n_unfixed; /* dropped by --ignore-unfixed */
	size_t by_severity[VG_VULN_SEVERITY__MAX]; /* of the shown findings */
	const char *db_path;
	const char *db_built; /* time of the database's last import, may be NULL */
	int64_t db_age_days; /* -1 when unknown */
};

struct vg_vuln_filter {
	unsigned severities; /* bit (1 << enum vg_vuln_severity) per severity kept; 0 = all */
	bool ignore_unfixed; /* drop findings without a fixed version */
	const struct vg_vuln_suppressions *suppressions; /* may be NULL */
	time_t now;
};

void vg_vuln_report_init(struct vg_vuln_report *rep, const struct vg_sbom *sbom,
			 const struct vg_vuln_findings *findings);
void vg_vuln_report_done(struct vg_vuln_report *rep);

/** vg_vuln_report_filter() - sorts the findings into shown / suppressed / dropped. */
VG_MUST_CHECK int vg_vuln_report_filter(struct vg_vuln_report *rep,
					const struct vg_vuln_filter *filter);

/** "table", "json", "sarif", "cyclonedx" -> enum; -EINVAL for another name. */
int vg_vuln_format_from_string(const char *s);

/** vg_vuln_report_json() - the vigil JSON object of @rep; NULL when out of memory. */
json_t *vg_vuln_report_json(const struct vg_vuln_report *rep);

/** vg_vuln_report_sarif_run() - one SARIF 2.1.0 run object; NULL when out of memory. */
json_t *vg_vuln_report_sarif_run(const struct vg_vuln_report *rep);

/** vg_vuln_report_table() - the table, grouped by package, to @f. 0, -EIO. */
int vg_vuln_report_table(const struct vg_vuln_report *rep, FILE *f);

/** vg_vuln_report_cyclonedx() - CycloneDX 1.5 SBOM + VEX document; NULL when out of memory. */
json_t *vg_vuln_report_cyclonedx(const struct vg_vuln_report *rep);

#endif /* VG_REPORT_VULN_REPORT_H */
