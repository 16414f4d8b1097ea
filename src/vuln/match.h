/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vulnerability matcher (docs/vuln.md, "Matching"): packages of an inventory against the
 * database, with each distribution's and ecosystem's own semantics.
 *
 *   deb  namespace "debian:<major>" (or "ubuntu:<version>") from the OS, looked up by
 *        SOURCE package and source version, compared with dpkg rules
 *   apk  "alpine:<branch>" (etc/apk/repositories, else major.minor of VERSION_ID), looked up
 *        by ORIGIN, compared with apk rules; secdb key "0" = never affected
 *   language packages: the OSV ecosystem ("Go" incl. "stdlib", "PyPI", "npm", "Maven",
 *        "RubyGems", "crates.io"), ranges evaluated as the OSV schema's "Evaluation"
 *        section says (introduced / fixed / last_affected / limit, sorted by version;
 *        ECOSYSTEM ranges with the ecosystem's scheme, SEMVER ranges with SemVer), plus
 *        explicit version lists
 * Rows of one vulnerability from several sources merge into one finding per package when
 * they share an id (the record id or an alias); related advisories (DSA, XSA) are listed
 * but never merge CVEs. A not-affected row sharing an id suppresses the finding. Withdrawn
 * records never match. Debian "unimportant" findings are hidden unless asked for.
 */
#ifndef VG_VULN_MATCH_H
#define VG_VULN_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/os-release.h"
#include "inventory/package.h"
#include "vuln/cvss.h"
#include "vuln/db.h"

enum vg_vuln_fix_state {
	VG_VULN_FIX_FIXED, /* a fixed version exists: fixed_version */
	VG_VULN_FIX_UNFIXED, /* no fix yet */
	VG_VULN_FIX_WONT_FIX, /* the distribution will not fix it */
	VG_VULN_FIX_END_OF_LIFE, /* the release is out of security support */
	VG_VULN_FIX__MAX,
};

/* "fixed", "unfixed", "will-not-fix", "end-of-life". */
const char *vg_vuln_fix_state_to_string(enum vg_vuln_fix_state s);

struct vg_vuln_finding {
	const struct vg_package *package; /* borrowed from the caller's list */
	size_t package_index; /* its index in that list */
	const char *ns; /* namespace matched: "debian:12", "alpine:3.10", "Go" */
	const char *matched_name; /* the name looked up (source package / origin) */
	const char *matched_version; /* the version compared (source version for deb) */
	const char *id; /* primary id: a CVE when there is one (vg_vuln_id_cmp order) */
	const char **ids; /* every id of the vulnerability, primary first */
	size_t n_ids;
	const char **related; /* related advisories (DSA-5380-1, XSA-204), sorted */
	size_t n_related;
	enum vg_vuln_fix_state fix_state;
	const char *fixed_version; /* NULL unless fix_state is FIXED */
	enum vg_vuln_severity severity; /* highest source rating, else from the CVSS score */
	const char *urgency; /* Debian urgency as the tracker spells it, or NULL */
	bool unimportant; /* Debian urgency "unimportant" (hidden unless asked for) */
	double cvss_score; /* highest CVSS v3 base score, -1 when none */
	const char *cvss_vector; /* the vector of that score, or NULL */
	const char **sources; /* names of the sources that reported it, sorted */
	size_t n_sources;
	const char *title; /* summary of the primary record (else of any record), or NULL */
	const char **urls; /* advisory URLs, sorted, deduplicated */
	size_t n_urls;
};

struct vg_vuln_findings {
	struct vg_arena arena; /* every string and array of the findings */
	struct vg_vec items; /* struct vg_vuln_finding, by package index then primary id */
	size_t n_hidden_unimportant; /* findings dropped because "unimportant" */
	size_t n_unsupported; /* packages with no namespace (rpm, unknown OS, ...) */
	size_t n_bad_versions; /* comparisons skipped because a version did not parse */
};

struct vg_vuln_match_options {
	bool show_unimportant; /* keep Debian "unimportant" findings */
};

void vg_vuln_findings_init(struct vg_vuln_findings *f);
void vg_vuln_findings_done(struct vg_vuln_findings *f);

/**
 * vg_vuln_os_namespace() - the namespace of an OS ("debian:12", "alpine:3.10",
 * "ubuntu:22.04") into @buf. Returns 0, -ENOENT for an OS without vulnerability data here.
 */
VG_MUST_CHECK int vg_vuln_os_namespace(const struct vg_os *os, char *buf, size_t size);

/**
 * vg_vuln_match() - matches every package of @packages (struct vg_package) against @db; the
 * OS (@os, may be NULL) decides the namespace of OS packages. @opts may be NULL (defaults).
 * Findings are appended to @ret (vg_vuln_findings_init() first). Returns 0, -ENOMEM,
 * -E2BIG past VG_VULN_FINDINGS_MAX, or a database error with a message in @err.
 */
VG_MUST_CHECK int vg_vuln_match(struct vg_vuln_db *db, const struct vg_os *os,
				const struct vg_vec *packages,
				const struct vg_vuln_match_options *opts,
				struct vg_vuln_findings *ret, char *err, size_t errsize);

#endif /* VG_VULN_MATCH_H */
