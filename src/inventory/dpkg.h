/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpkg database parsers (pure functions over buffers):
 *   var/lib/dpkg/status     RFC-822-like stanzas separated by blank lines, continuation
 *                           lines starting with a space or tab (deb-control(5));
 *   var/lib/dpkg/status.d/<pkg> distroless images: one stanza file per package, no Status;
 *   var/lib/dpkg/info/<pkg>[:<arch>].list and *.md5sums: the package's installed files.
 */
#ifndef VG_INVENTORY_DPKG_H
#define VG_INVENTORY_DPKG_H

#include <stddef.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

enum {
	/* status.d entry: a stanza without a Status field counts as installed */
	VG_DPKG_STATUS_OPTIONAL = 1 << 0,
};

/**
 * vg_dpkg_status_parse() - appends the installed packages of a dpkg status buffer to @list
 * (a vector of struct vg_package, see vg_package_list_init()), strings in @a.
 * A package counts when its Status is "<want> ok installed" (want install, hold or deinstall:
 * all three are on disk; "deinstall ok config-files", "install ok half-installed", ... are
 * not). Source: "name (version)" fills source_name/source_version; without Source the
 * source name is the package name and source_version is NULL (same as version).
 * @found_in (borrowed; copied into @a) and @layer are stored in each package.
 * Returns the number of packages added; -EBADMSG on a line that is neither a field nor a
 * continuation (with *@reterr_line, 1-based, when non-NULL); -E2BIG when a stanza exceeds
 * VG_INV_STANZA_MAX bytes or VG_INV_FIELDS_MAX fields, the buffer VG_INV_DB_MAX, or the list
 * VG_INV_PACKAGES_MAX; -ENOMEM. On error @list may hold the packages added before it.
 */
VG_MUST_CHECK int vg_dpkg_status_parse(const char *buf, size_t len, unsigned flags,
				       const char *found_in, int layer, struct vg_arena *a,
				       struct vg_vec *list, unsigned *reterr_line);

/**
 * vg_dpkg_files_parse() - parses an info/<pkg>.list (one absolute path a line) or <pkg>.md5sums
 * ("<32 hex>  relative/path") buffer into an array of paths in @a (absolute, "/." skipped).
 * Returns 0 (in @ret_files and @ret_n; NULL/0 for an empty file), -E2BIG past
 * VG_INV_FILES_MAX paths or VG_PATH_MAX bytes a path, -ENOMEM.
 */
VG_MUST_CHECK int vg_dpkg_files_parse(const char *buf, size_t len, struct vg_arena *a,
				      const char ***ret_files, size_t *ret_n);

/**
 * vg_dpkg_files_attach() - attaches @files to the package that the info file name
 * @file_name ("libc6:amd64.list", "bash.md5sums", with or without directories) names.
 * Returns 1 when attached, 0 when no package in @list matches, -EINVAL for a name that is
 * not "<pkg>[:<arch>].list|.md5sums".
 */
VG_MUST_CHECK int vg_dpkg_files_attach(struct vg_vec *list, const char *file_name,
				       const char **files, size_t n_files);

#endif /* VG_INVENTORY_DPKG_H */
