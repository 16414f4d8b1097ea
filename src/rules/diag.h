/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnostics for rule authors: errors and warnings at file:line:col. Data, not logs. */
#ifndef VG_RULES_DIAG_H
#define VG_RULES_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "basic/macro.h"
#include "basic/vec.h"

enum vg_diag_level {
	VG_DIAG_ERROR,
	VG_DIAG_WARNING,
};

struct vg_srcpos {
	const char *file; /* borrowed from the collection (lives as long as it) */
	unsigned line; /* 1-based; 0 when unknown */
	unsigned col; /* 1-based; 0 when unknown */
};

struct vg_diag {
	enum vg_diag_level level;
	struct vg_srcpos pos;
	char *item; /* "rule 'Terminal shell in container'", NULL when not about one item */
	char *code; /* stable identifier, e.g. "LOAD_DEPRECATED_ITEM", "UNKNOWN_FIELD" */
	char *msg;
};

#define VG_DIAGS_MAX 10000

struct vg_diags {
	struct vg_vec v; /* struct vg_diag */
	size_t errors, warnings;
};

void vg_diags_init(struct vg_diags *d);
void vg_diags_done(struct vg_diags *d);
/* Adds one; past VG_DIAGS_MAX only the counters grow. Never fails (OOM drops the text). */
void vg_diag_add(struct vg_diags *d, enum vg_diag_level level, const struct vg_srcpos *pos,
		 const char *item, const char *code, const char *fmt, ...) VG_PRINTF(6, 7);
/* "file:line:col: error: msg (item)" per diagnostic, one per line. */
void vg_diags_print(const struct vg_diags *d, FILE *f);

#endif /* VG_RULES_DIAG_H */
