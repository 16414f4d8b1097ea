/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed language packages, pure parsers over one file each:
 *   npm       node_modules/<pkg>/package.json (name, version, license)
 *   Python    *.dist-info/METADATA, *.egg-info/PKG-INFO, EGG-INFO/PKG-INFO (core metadata:
 *             RFC 822 style headers up to the first blank line)
 *   Composer  vendor/composer/installed.json (Composer 1: an array; 2: {"packages": [...]})
 *   Ruby      specifications/<name>-<version>.gemspec (the spec files RubyGems writes at
 *             install time: "s.name = \"rake\".freeze", "s.version = \"13.0.6\"", ...)
 */
#ifndef VG_INVENTORY_LANG_H
#define VG_INVENTORY_LANG_H

#include <stddef.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

/**
 * vg_npm_package_json_parse() - appends the package a package.json describes.
 * Returns 1 when added, 0 when the file has no name or version (a workspace root or a
 * private fixture), -EBADMSG for malformed JSON, -E2BIG past the JSON limits or
 * VG_INV_PACKAGES_MAX, -ENOMEM.
 */
VG_MUST_CHECK int vg_npm_package_json_parse(const char *buf, size_t len, const char *found_in,
					    int layer, struct vg_arena *a, struct vg_vec *list);

/**
 * vg_python_metadata_parse() - appends the distribution a METADATA / PKG-INFO file
 * describes (Name, Version, License-Expression or License). Returns 1 when added, 0 when
 * Name or Version is missing, -E2BIG past VG_INV_STANZA_MAX bytes of headers, -ENOMEM.
 */
VG_MUST_CHECK int vg_python_metadata_parse(const char *buf, size_t len, const char *found_in,
					   int layer, struct vg_arena *a, struct vg_vec *list);

/**
 * vg_composer_installed_parse() - appends every package of an installed.json.
 * Returns the number added, -EBADMSG for malformed JSON or an unexpected shape, -E2BIG,
 * -ENOMEM.
 */
VG_MUST_CHECK int vg_composer_installed_parse(const char *buf, size_t len, const char *found_in,
					      int layer, struct vg_arena *a, struct vg_vec *list);

/**
 * vg_gemspec_parse() - appends the gem an installed .gemspec describes: name, version and
 * first license from "<var>.name = ", "<var>.version = " ("x" or Gem::Version.new("x")),
 * "<var>.licenses = [" / "<var>.license = " lines; the "# stub: <name> <version>" header
 * line fills what those lines lack. The file is not evaluated. Returns 1 when added, 0 when
 * no name or version was found, -E2BIG past VG_INV_STANZA_MAX bytes, -ENOMEM.
 */
VG_MUST_CHECK int vg_gemspec_parse(const char *buf, size_t len, const char *found_in, int layer,
				   struct vg_arena *a, struct vg_vec *list);

#endif /* VG_INVENTORY_LANG_H */
