/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The package model shared by every analyzer in src/inventory: one struct vg_package per
 * installed package, its strings in the caller's arena, collected in a struct vg_vec of
 * struct vg_package (by value). Package URLs follow the purl spec
 * (https://github.com/package-url/purl-spec, PURL-SPECIFICATION.rst and PURL-TYPES.rst).
 */
#ifndef VG_INVENTORY_PACKAGE_H
#define VG_INVENTORY_PACKAGE_H

#include <stddef.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/strbuf.h"
#include "basic/vec.h"

struct vg_os;

enum vg_ecosystem {
	VG_ECOSYSTEM_DEB,
	VG_ECOSYSTEM_APK,
	VG_ECOSYSTEM_RPM,
	VG_ECOSYSTEM_NPM,
	VG_ECOSYSTEM_PYPI,
	VG_ECOSYSTEM_GOLANG,
	VG_ECOSYSTEM_MAVEN,
	VG_ECOSYSTEM_GEM,
	VG_ECOSYSTEM_CARGO,
	VG_ECOSYSTEM_COMPOSER,
	VG_ECOSYSTEM__MAX,
	VG_ECOSYSTEM__INVALID = -22, /* -EINVAL */
};

struct vg_package {
	enum vg_ecosystem ecosystem;
	const char *name;
	const char *version; /* as the database spells it (deb/rpm: with epoch) */
	const char *source_name; /* source package (dpkg Source:, apk o:, rpm SOURCERPM) */
	const char *source_version; /* dpkg "Source: x (ver)"; else NULL = same as version */
	const char *arch;
	const char *origin; /* vendor / maintainer string, when the database has one */
	const char *license;
	const char *purl; /* set by vg_package_set_purl() */
	const char *found_in; /* image path of the database file */
	int layer; /* index of the layer that holds found_in; -1 unknown */
	const char **files; /* installed files (absolute paths); NULL when not read */
	size_t n_files;
};

/** vg_ecosystem_to_string() - "deb", "apk", ... (the purl type); NULL when out of range. */
const char *vg_ecosystem_to_string(enum vg_ecosystem e);

/**
 * vg_package_list_init() - a vector of struct vg_package capped at VG_INV_PACKAGES_MAX.
 */
void vg_package_list_init(struct vg_vec *list);

/**
 * vg_purl_escape() - appends @s to @sb, percent-encoding every byte but the purl "unreserved"
 * set A-Z a-z 0-9 . - _ ~ and, inside versions and qualifier values, ':' (purl spec:
 * "the ':' is not percent-encoded"). Returns 0 or a negative errno from @sb.
 */
VG_MUST_CHECK int vg_purl_escape(struct vg_strbuf *sb, const char *s);

/**
 * vg_package_purl() - builds the package URL of @p into a new arena string.
 * @os gives the namespace and distro qualifier of OS packages (may be NULL: the namespace
 * then falls back to the ecosystem's usual one and distro= is left out).
 *   deb: pkg:deb/<os id>/<name>@<version>?arch=<arch>&distro=<id>-<version_id>
 *        &upstream=<source>[@<source version>]   (upstream only when it differs)
 *   apk: pkg:apk/alpine/<name>@<version>?arch=<arch>&distro=<version_id>
 *   rpm: pkg:rpm/<os id>/<name>@<version-without-epoch>?arch=<arch>&distro=<id>-<version_id>
 *        &epoch=<n>
 * Qualifiers are sorted by key, as the spec requires. Returns 0, -EINVAL when the package
 * has no name, -E2BIG past VG_INV_PURL_MAX, -ENOMEM.
 */
VG_MUST_CHECK int vg_package_purl(const struct vg_package *p, const struct vg_os *os,
				  struct vg_arena *a, const char **ret);

/** vg_package_set_purl() - vg_package_purl() stored into @p->purl. */
VG_MUST_CHECK int vg_package_set_purl(struct vg_package *p, const struct vg_os *os,
				      struct vg_arena *a);

/**
 * vg_package_find() - first package in @list named @name (and, if @arch is non-NULL, of that
 * architecture or "all"); NULL when absent. Linear.
 */
struct vg_package *vg_package_find(const struct vg_vec *list, const char *name, const char *arch);

#endif /* VG_INVENTORY_PACKAGE_H */
