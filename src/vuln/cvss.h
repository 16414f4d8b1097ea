/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CVSS v3.0 / v3.1 vectors (FIRST, "Common Vulnerability Scoring System v3.1: Specification
 * Document", sections 5, 7.1 and Appendix A): parsing and the base score. Temporal and
 * environmental metrics are parsed and validated (each at most once, known values only) but
 * do not change the base score.
 *
 * Rounding follows the specification of the vector's version: v3.1 uses the integer
 * Roundup of Appendix A (immune to floating point error), v3.0 the original "smallest
 * number, to one decimal place, that is equal to or higher than its input".
 */
#ifndef VG_VULN_CVSS_H
#define VG_VULN_CVSS_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/macro.h"

enum vg_vuln_severity {
	VG_VULN_SEVERITY_UNKNOWN,
	VG_VULN_SEVERITY_NEGLIGIBLE, /* Debian "unimportant", CVSS 0.0 ("None") */
	VG_VULN_SEVERITY_LOW,
	VG_VULN_SEVERITY_MEDIUM,
	VG_VULN_SEVERITY_HIGH,
	VG_VULN_SEVERITY_CRITICAL,
	VG_VULN_SEVERITY__MAX,
};

struct vg_cvss3 {
	int minor; /* 0 or 1 */
	/* base metrics, each the letter of the vector ('N', 'L', ...) */
	char av, ac, pr, ui, s, c, i, a;
	double base_score;
};

/**
 * vg_cvss3_parse() - parses @vector ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") and
 * computes its base score into @ret. All eight base metrics are required, in any order;
 * unknown metrics, unknown values and repeated metrics are errors. Returns 0, -EINVAL for a
 * malformed vector, -EPROTONOSUPPORT for a prefix other than CVSS:3.0 / CVSS:3.1, -E2BIG when
 * longer than VG_VULN_CVSS_VECTOR_MAX.
 */
VG_MUST_CHECK int vg_cvss3_parse(const char *vector, struct vg_cvss3 *ret);

/** vg_cvss3_severity() - qualitative rating of a score: 0.0 None (NEGLIGIBLE), 0.1-3.9 Low... */
enum vg_vuln_severity vg_cvss3_severity(double score);

/** "unknown", "negligible", "low", "medium", "high", "critical"; NULL out of range. */
const char *vg_vuln_severity_to_string(enum vg_vuln_severity s);
/** Case-insensitive inverse of vg_vuln_severity_to_string(), also "moderate" (GHSA) and
 * "important" (Red Hat); -EINVAL for anything else. */
int vg_vuln_severity_from_string(const char *s);

#endif /* VG_VULN_CVSS_H */
