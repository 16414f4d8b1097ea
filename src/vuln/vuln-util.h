/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the importers and the matcher: namespaces, Debian releases, ids. */
#ifndef VG_VULN_UTIL_H
#define VG_VULN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/macro.h"
#include "vuln/version.h"

/**
 * vg_vuln_namespace_from_osv() - the namespace of an OSV ecosystem string: distributions
 * become "<distro>:<release>" in lower case ("Debian:12" -> "debian:12", "Alpine:v3.18" ->
 * "alpine:3.18", "Ubuntu:22.04:LTS" -> "ubuntu:22.04", "Ubuntu:Pro:18.04:LTS" ->
 * "ubuntu-pro:18.04"); ecosystems without a release stay as spelled ("Go", "PyPI").
 * Returns 0, -E2BIG when @size is too small, -EINVAL for an empty string.
 */
VG_MUST_CHECK int vg_vuln_namespace_from_osv(const char *ecosystem, char *buf, size_t size);

/** vg_vuln_debian_release() - "11" for "bullseye", "3.0" for "woody", "sid" for "sid";
 * NULL for an unknown codename. */
const char *vg_vuln_debian_release(const char *codename);

/**
 * vg_vuln_namespace_scheme() - the version scheme of a namespace: dpkg for debian/ubuntu,
 * apk for alpine, else vg_version_scheme_from_ecosystem(). -ENOENT when unknown.
 */
VG_MUST_CHECK int vg_vuln_namespace_scheme(const char *ns, enum vg_version_scheme *ret);

/**
 * vg_vuln_id_cmp() - the order in which ids of one vulnerability are listed, the first being
 * the primary id: CVE ids first (by year, then number), then GHSA, then the others, each
 * group by strcmp. Total and deterministic.
 */
int vg_vuln_id_cmp(const char *a, const char *b);

/** vg_vuln_version_ok() - a version we can store in a range line: 1..VG_VERSION_LEN_MAX
 * bytes, no whitespace or control characters. */
bool vg_vuln_version_ok(const char *v);

/** vg_vuln_pypi_normalize() - PEP 503 name: lower case, runs of "-_." become one '-'. */
void vg_vuln_pypi_normalize(const char *s, char *buf, size_t size);

#endif /* VG_VULN_UTIL_H */
