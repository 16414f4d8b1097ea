/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Java archives (jar, war, ear, par, jpi, hpi, kar; ZIP through src/shared/zip.h):
 *   - every META-INF/maven/<groupId>/<artifactId>/pom.properties is one package
 *     (groupId, artifactId, version; the path gives group and artifact when the file lacks
 *     them);
 *   - an archive without any pom.properties is one package from its META-INF/MANIFEST.MF
 *     main section, field by field: name from Implementation-Title, Bundle-SymbolicName
 *     (without its ";" parameters), Specification-Title; version from
 *     Implementation-Version, Bundle-Version, Specification-Version; group from
 *     Implementation-Vendor-Id; origin from Implementation-Vendor, Bundle-Vendor,
 *     Specification-Vendor; what is still missing comes from the file name
 *     ("commons-lang3-3.12.0.jar": name up to the first '-' followed by a digit, version
 *     after it). No version at all: no package;
 *   - nested archives (any entry with one of the extensions above: WEB-INF/lib/ of a war,
 *     modules of an ear, BOOT-INF/lib/ of a Spring Boot jar) are read the same way,
 *     recursively, at most VG_ZIP_NESTING_MAX levels below the file, VG_INV_JAVA_ARCHIVES_MAX
 *     archives per file, each at most VG_INV_JAVA_NESTED_MAX bytes and
 *     VG_INV_JAVA_INFLATE_MAX bytes inflated in total. A nested archive that cannot be read
 *     is skipped (its siblings still count), and so is one whose found_in (below) would
 *     reach VG_PATH_MAX bytes.
 * Packages are maven, named "<groupId>:<artifactId>" (purl pkg:maven/<group>/<artifact>@v),
 * or "<artifactId>" when no group is known. found_in is the image path of the file, and for
 * what a nested archive holds that path, "!/" and the entry name, once per level:
 * "opt/app.war!/WEB-INF/lib/x.jar", "app.ear!/web.war!/WEB-INF/lib/y.jar" (the form of Java's
 * jar: URLs). Bytes of names and values that are not valid UTF-8, and control characters,
 * become '?'. A package whose URL could not fit VG_INV_PURL_MAX (3 * its name, group and
 * version bytes + 64) is left out.
 */
#ifndef VG_INVENTORY_JAVA_H
#define VG_INVENTORY_JAVA_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

/** vg_java_is_archive_name() - @name (a path or file name) ends in a Java archive extension. */
bool vg_java_is_archive_name(const char *name);

/**
 * vg_java_archive_parse() - appends the packages of the Java archive in @buf (@len bytes,
 * the whole file) found at image path @found_in (its last component is the file name used
 * for the fallback; NULL: no name fallback, nested paths start with "!/").
 * Returns the number of packages added; -EBADMSG (or another vg_zip_open() error) when
 * @buf is not a readable ZIP archive; -E2BIG past VG_INV_PACKAGES_MAX; -ENOMEM.
 */
VG_MUST_CHECK int vg_java_archive_parse(const void *buf, size_t len, const char *found_in,
					int layer, struct vg_arena *a, struct vg_vec *list);

/**
 * vg_java_pom_properties_parse() - the groupId, artifactId and version of one pom.properties
 * (Java properties syntax: "key=value" or "key: value", '#'/'!' comments, surrounding
 * blanks trimmed; continuation lines are not used by Maven and not joined). Each *@ret_*
 * is an arena string or NULL when absent. Returns 0, -E2BIG past VG_INV_JAVA_META_MAX,
 * -ENOMEM.
 */
VG_MUST_CHECK int vg_java_pom_properties_parse(const char *buf, size_t len, struct vg_arena *a,
					       const char **ret_group, const char **ret_artifact,
					       const char **ret_version);

/**
 * vg_java_manifest_get() - the value of @key (case-insensitive) in the main section of a
 * MANIFEST.MF (up to the first empty line), continuation lines (a leading space, the
 * 72-byte wrapping) joined, line ends CRLF, LF or CR. Returns an arena string, or NULL
 * when absent (or out of memory: see vg_arena_error()).
 */
const char *vg_java_manifest_get(const char *buf, size_t len, const char *key, struct vg_arena *a);

#endif /* VG_INVENTORY_JAVA_H */
