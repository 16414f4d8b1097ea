/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "vuln" scanner of `vigil scan`: inventory of the target (report/sbom.h), the
 * vulnerability database (read-only), the matcher, suppressions (.vigilignore, OpenVEX) and
 * the filters, ending in a struct vg_vuln_report for the writers. Errors are logged here,
 * once, with context (this is the CLI layer).
 */
#ifndef VG_CLI_SCAN_VULN_H
#define VG_CLI_SCAN_VULN_H

#include <stdbool.h>
#include <stdint.h>

#include "report/sbom.h"
#include "report/vuln-report.h"
#include "vuln/match.h"
#include "vuln/suppress.h"

#define SCAN_VULN_FILES_MAX 32

struct scan_vuln_opts {
	const char *db_path; /* NULL: vg_vuln_db_default_path() */
	const char *docker_socket;
	unsigned severities; /* bit per enum vg_vuln_severity kept; 0 = all */
	bool ignore_unfixed;
	bool show_unimportant;
	const char *ignore_files[SCAN_VULN_FILES_MAX]; /* --ignorefile, in order */
	size_t n_ignore_files;
	const char *vex_files[SCAN_VULN_FILES_MAX]; /* --vex */
	size_t n_vex_files;
	int64_t max_age_days; /* warn when the data is older; < 0 = never */
};

struct scan_vuln {
	struct vg_sbom sbom;
	struct vg_vuln_findings findings;
	struct vg_vuln_suppressions suppressions;
	struct vg_vuln_report report;
	char *db_path;
	char *db_built;
};

void scan_vuln_init(struct scan_vuln *v);

/**
 * scan_vuln_run() - fills @v for @target; @hook (may be NULL) shares the image walk (the
 * secret scanner). Returns 0 or a negative errno (already logged).
 */
int scan_vuln_run(struct scan_vuln *v, const char *target, const struct scan_vuln_opts *o,
		  const struct vg_sbom_hook *hook);
void scan_vuln_done(struct scan_vuln *v);

/**
 * scan_parse_severities() - "critical,high" or "medium+" (that one and above) into a mask of
 * (1 << enum vg_vuln_severity). Returns 0 or -EINVAL.
 */
int scan_parse_severities(const char *s, unsigned *ret);

#endif /* VG_CLI_SCAN_VULN_H */
