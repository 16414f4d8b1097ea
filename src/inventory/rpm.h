/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpm database readers (pure functions over buffers):
 *   header blobs as stored in every rpmdb backend (rpm lib/header.c, without the 8-byte
 *   lead magic): be32 il, be32 dl, il x {tag, type, offset, count}, dl bytes of data;
 *   the NDB backend file Packages.db (rpm lib/backend/ndb/rpmpkg.c: slot pages, then
 *   16-byte aligned blobs), which hands each header blob to the header parser.
 *   the Berkeley DB hash file Packages (older RHEL/CentOS/Amazon): data items of the hash
 *   pages, inline or in overflow page chains.
 *   rpmdb.sqlite (rpm >= 4.16): a SQLite table Packages(hnum, blob) of header blobs.
 */
#ifndef VG_INVENTORY_RPM_H
#define VG_INVENTORY_RPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

/**
 * vg_rpm_header_parse() - appends the package described by one header blob to @list:
 * name, version "[epoch:]version-release", arch, license, vendor (as origin), source name
 * and version from SOURCERPM ("name-ver-rel.src.rpm"), and with @want_files the files
 * from DIRNAMES/BASENAMES/DIRINDEXES. The gpg-pubkey pseudo packages are skipped.
 * Returns 1 when a package was added, 0 when skipped, -EBADMSG for a malformed blob
 * (entry outside the data, unterminated string, no NAME), -E2BIG past VG_INV_RPM_TAGS_MAX
 * entries, VG_INV_RPM_DATA_MAX bytes, VG_INV_FILES_MAX files or VG_INV_PACKAGES_MAX
 * packages, -ENOMEM.
 */
VG_MUST_CHECK int vg_rpm_header_parse(const uint8_t *blob, size_t len, bool want_files,
				      const char *found_in, int layer, struct vg_arena *a,
				      struct vg_vec *list);

/**
 * vg_rpm_ndb_parse() - reads every package of an NDB Packages.db buffer through
 * vg_rpm_header_parse(). Returns the number of packages added, -EBADMSG for a bad magic,
 * version, slot or blob, or any error of vg_rpm_header_parse().
 */
VG_MUST_CHECK int vg_rpm_ndb_parse(const uint8_t *buf, size_t len, bool want_files,
				   const char *found_in, int layer, struct vg_arena *a,
				   struct vg_vec *list);

/**
 * vg_rpm_bdb_parse() - reads every package of a Berkeley DB hash Packages buffer (either
 * byte order) through vg_rpm_header_parse(). Record 0 (rpm's counter) and values shorter
 * than a header are skipped. Returns the number of packages added, -EBADMSG for a file that
 * is not an unencrypted hash database or has a broken page or overflow chain, or any error of
 * vg_rpm_header_parse().
 */
VG_MUST_CHECK int vg_rpm_bdb_parse(const uint8_t *buf, size_t len, bool want_files,
				   const char *found_in, int layer, struct vg_arena *a,
				   struct vg_vec *list);

/**
 * vg_rpm_sqlite_parse() - reads every package of an rpmdb.sqlite file image through
 * vg_rpm_header_parse(), in hnum order. @buf is read in memory (never written to disk); its
 * WAL-mode header bytes may be rewritten (see vg_sqlite_open_image()). Returns the number of
 * packages added, -EBADMSG for something that is not a SQLite database with rpm's Packages
 * table or has a non-blob row, or any error of vg_rpm_header_parse().
 */
VG_MUST_CHECK int vg_rpm_sqlite_parse(void *buf, size_t len, bool want_files,
				      const char *found_in, int layer, struct vg_arena *a,
				      struct vg_vec *list);

#endif /* VG_INVENTORY_RPM_H */
