/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Suppressions of vulnerability findings (docs/vuln.md, "Suppressions"):
 *   .vigilignore  one entry per line: an id, optionally narrowed to a package (pkg=) or a
 *                 path glob (path=), with an expiry (exp=YYYY-MM-DD) and a reason
 *                 (reason="..."); '#' starts a comment. An expired entry no longer applies.
 *   OpenVEX       documents (https://openvex.dev, v0.2.0 and the older @context forms):
 *                 statements {vulnerability, products[, subcomponents], status, justification};
 *                 for each (vulnerability, product) the last statement wins (timestamp
 *                 order, then document order); "not_affected" and "fixed" suppress,
 *                 "affected" and "under_investigation" do not.
 */
#ifndef VG_VULN_SUPPRESS_H
#define VG_VULN_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "vuln/match.h"

enum vg_suppress_kind {
	VG_SUPPRESS_IGNORE, /* a .vigilignore entry */
	VG_SUPPRESS_VEX, /* an OpenVEX statement */
};

/* Why a finding is suppressed; borrowed from struct vg_vuln_suppressions. */
struct vg_suppression {
	enum vg_suppress_kind kind;
	const char *file; /* the ignore file or VEX document */
	unsigned line; /* ignore file line, 1-based (0 for VEX) */
	const char *id; /* the id as written */
	const char *pkg, *path; /* ignore: narrowing, or NULL */
	time_t expires; /* ignore: 0 = never */
	const char *reason; /* ignore: reason="..."; VEX: impact_statement or status_notes */
	const char *status; /* VEX: "not_affected", "fixed", "affected", "under_investigation" */
	const char *justification; /* VEX: e.g. "vulnerable_code_not_in_execute_path" */
	const char **products; /* VEX: product and subcomponent identifiers (purls) */
	size_t n_products;
	const char **subcomponents;
	size_t n_subcomponents;
	int64_t timestamp; /* VEX: statement or document timestamp, 0 when absent */
	size_t order; /* VEX: position over all loaded documents */
};

struct vg_vuln_suppressions {
	struct vg_arena arena;
	struct vg_vec items; /* struct vg_suppression */
	size_t n_expired; /* ignore entries past their expiry (kept, never applied) */
};

void vg_vuln_suppressions_init(struct vg_vuln_suppressions *s);
void vg_vuln_suppressions_done(struct vg_vuln_suppressions *s);

/**
 * vg_vuln_ignore_load() - adds the entries of the ignore file @path. @now decides expiry.
 * Returns the number of entries read, -ENOENT for a missing file, -EBADMSG for a bad line
 * (message "PATH:LINE: ..." in @err), -E2BIG past VG_SUPPRESS_ENTRIES_MAX or the file size
 * limit, -ENOMEM.
 */
VG_MUST_CHECK int vg_vuln_ignore_load(struct vg_vuln_suppressions *s, const char *path, time_t now,
				      char *err, size_t errsize);

/**
 * vg_vuln_openvex_load() - adds the statements of the OpenVEX document @path. Returns the
 * number of statements, -ENOENT, -EBADMSG for something that is not an OpenVEX document
 * (message in @err), -E2BIG, -ENOMEM.
 */
VG_MUST_CHECK int vg_vuln_openvex_load(struct vg_vuln_suppressions *s, const char *path, char *err,
				       size_t errsize);

/**
 * vg_vuln_suppressed() - the suppression that applies to finding @f, or NULL. @image_ref and
 * @image_id (may be NULL) identify the scanned image for VEX products naming an image.
 */
const struct vg_suppression *vg_vuln_suppressed(const struct vg_vuln_suppressions *s,
						const struct vg_vuln_finding *f, time_t now,
						const char *image_ref, const char *image_id);

/**
 * vg_purl_matches() - whether the purl @want (from a VEX product or an ignore entry) names
 * @have: equal once qualifiers and subpath are dropped, or @want has no version and names the
 * same type, namespace and name. Exposed for tests.
 */
bool vg_purl_matches(const char *want, const char *have);

#endif /* VG_VULN_SUPPRESS_H */
