/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writers for secret findings (src/secrets/target.h): a table, vigil JSON and SARIF 2.1.0.
 * Secrets are masked (vg_secret_mask()) unless @show_secrets is true.
 */
#ifndef VG_REPORT_SECRET_REPORT_H
#define VG_REPORT_SECRET_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "secrets/target.h"

enum vg_secret_format {
	VG_SECRET_FORMAT_TABLE,
	VG_SECRET_FORMAT_JSON,
	VG_SECRET_FORMAT_SARIF,
	VG_SECRET_FORMAT__MAX,
};

/** "table", "json", "sarif" -> enum; -EINVAL for another name. */
int vg_secret_format_from_string(const char *s);

/**
 * vg_secret_report_write() - renders @rep to @f. Deterministic for a given report.
 * Returns 0, -ENOMEM or -EIO.
 */
int vg_secret_report_write(const struct vg_secret_report *rep, enum vg_secret_format format,
			   bool show_secrets, FILE *f);

/** vg_secret_report_json() - the vigil JSON object of @rep; NULL when out of memory. */
json_t *vg_secret_report_json(const struct vg_secret_report *rep, bool show_secrets);

/** vg_secret_report_sarif_run() - one SARIF 2.1.0 run object; NULL when out of memory. */
json_t *vg_secret_report_sarif_run(const struct vg_secret_report *rep, bool show_secrets);

#endif /* VG_REPORT_SECRET_REPORT_H */
