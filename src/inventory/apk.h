/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk installed database parser (lib/apk/db/installed, usr/lib/apk/db/installed): records
 * separated by a blank line, one "X:value" per line (apk-tools database letters: P name,
 * V version, A arch, o origin, L license, m maintainer, F directory, R file in the last F).
 */
#ifndef VG_INVENTORY_APK_H
#define VG_INVENTORY_APK_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

/**
 * vg_apk_installed_parse() - appends the packages of an apk installed database to @list
 * (struct vg_package, see vg_package_list_init()), strings in @a. The source package
 * (o:) goes to source_name, the maintainer (m:) to origin, L: to license. With
 * @want_files, F:/R: pairs become each package's files ("/dir/file").
 * @found_in (borrowed; copied into @a) and @layer are stored in each package.
 * Returns the number of packages added; -EBADMSG on a line that is not "X:value" (with
 * *@reterr_line when non-NULL); -E2BIG when a record exceeds VG_INV_STANZA_MAX bytes or
 * VG_INV_FIELDS_MAX lines other than F:/R:/a:/M:/Z:, the buffer VG_INV_DB_MAX, the files
 * VG_INV_FILES_MAX or the list VG_INV_PACKAGES_MAX; -ENOMEM.
 */
VG_MUST_CHECK int vg_apk_installed_parse(const char *buf, size_t len, bool want_files,
					 const char *found_in, int layer, struct vg_arena *a,
					 struct vg_vec *list, unsigned *reterr_line);

#endif /* VG_INVENTORY_APK_H */
