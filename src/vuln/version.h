/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Version schemes of the vulnerability matcher: one comparator per packaging ecosystem, each
 * following the reference implementation of that ecosystem (dpkg, apk-tools, rpm, semver.org,
 * pypa/packaging, Maven ComparableVersion, RubyGems Gem::Version, golang.org/x/mod/semver,
 * node-semver). docs/vuln.md describes each scheme and where its test vectors come from.
 *
 * Strings are NUL-terminated and at most VG_VERSION_LEN_MAX bytes (ranges
 * VG_VERSION_RANGE_LEN_MAX); longer input is -E2BIG. Nothing here allocates, recurses on
 * input or keeps state, so every function is safe on hostile input and from any thread.
 */
#ifndef VG_VULN_VERSION_H
#define VG_VULN_VERSION_H

#include "basic/limits.h"

enum vg_version_scheme {
	VG_VERSION_DPKG, /* Debian, Ubuntu: [epoch:]upstream[-revision], '~' sorts first */
	VG_VERSION_APK, /* Alpine: 1.2.3a_rc1_p2~hash-r4 (Gentoo-like) */
	VG_VERSION_RPM, /* Red Hat family: [epoch:]version[-release], rpmvercmp */
	VG_VERSION_SEMVER, /* semver.org 2.0.0, strict (crates.io) */
	VG_VERSION_PEP440, /* PyPI */
	VG_VERSION_MAVEN, /* Maven ComparableVersion (3.9 semantics) */
	VG_VERSION_GEM, /* RubyGems Gem::Version */
	VG_VERSION_GO, /* Go modules: semver with optional "v", shorthands, pseudo-versions */
	VG_VERSION_NPM, /* node-semver versions (ranges: vg_npm_range_satisfies) */
	VG_VERSION__MAX,
};

/*
 * Compares a and b: *ret is < 0, 0 or > 0. Returns 0, -EINVAL when a string is not a valid
 * version of a strict scheme (semver, pep440, gem, go, npm) or s is out of range, -E2BIG when
 * a string is longer than VG_VERSION_LEN_MAX. The lenient schemes (dpkg, apk, rpm, maven)
 * accept any string and order invalid ones deterministically after the reference rules run
 * out. Every scheme is reflexive and antisymmetric; all but maven are transitive on every
 * input (Maven's own order has cycles on odd strings, see docs/vuln.md).
 */
int vg_version_cmp(enum vg_version_scheme s, const char *a, const char *b, int *ret);

/* 1 if v is a well-formed version of the scheme (its reference grammar), else 0. */
int vg_version_valid(enum vg_version_scheme s, const char *v);

/* "dpkg", "apk", "rpm", "semver", "pep440", "maven", "gem", "go", "npm"; NULL if out of range. */
const char *vg_version_scheme_to_string(enum vg_version_scheme s);

/*
 * OSV ecosystem name ("Debian", "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.18", "Rocky Linux",
 * "Go", "PyPI", "npm", "Maven", "RubyGems", "crates.io"...; the part after the first ':' is
 * the release and is ignored) or purl type ("deb", "apk", "rpm", "golang", "pypi", "npm",
 * "maven", "gem", "cargo") to its scheme. -ENOENT for ecosystems without a scheme here
 * (Packagist, NuGet, Hex, Pub, ...): a matcher must not guess their order.
 */
int vg_version_scheme_from_ecosystem(const char *ecosystem, enum vg_version_scheme *ret);
int vg_version_scheme_from_purl_type(const char *type, enum vg_version_scheme *ret);

/*
 * node-semver Range.test() without options (not loose, no includePrerelease): comparators,
 * "1.2.3 - 2", "^", "~", "~>", x, X and * wildcards, "||", build metadata stripped, and the
 * rule that a prerelease version only matches a set naming a prerelease of the same
 * major.minor.patch.
 * Returns 1 if version satisfies range, 0 if not, -EINVAL if either is invalid, -E2BIG if too
 * long (range: VG_VERSION_RANGE_LEN_MAX).
 */
int vg_npm_range_satisfies(const char *range, const char *version);

#endif /* VG_VULN_VERSION_H */
