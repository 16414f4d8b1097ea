/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpmdb.sqlite (rpm >= 4.16, lib/backend/sqlite.c): table Packages(hnum INTEGER PRIMARY KEY,
 * blob BLOB NOT NULL), one header blob per installed package. The file comes from an image
 * layer, so it is opened as an untrusted in-memory image (src/shared/sqlite.c).
 */
#include <errno.h>

#include "basic/limits.h"
#include "inventory/rpm.h"
#include "shared/sqlite.h"

int vg_rpm_sqlite_parse(void *buf, size_t len, bool want_files, const char *found_in, int layer,
			struct vg_arena *a, struct vg_vec *list)
{
	cleanup_sqlite sqlite3 *db = NULL;
	cleanup_stmt sqlite3_stmt *s = NULL;
	int added = 0, r, rc;

	if (len > VG_INV_DB_MAX)
		return -E2BIG;
	r = vg_sqlite_open_image(buf, len, VG_INV_RPM_DATA_MAX, &db, NULL, 0);
	if (r < 0)
		return r == -ENOMEM ? r : -EBADMSG;
	r = vg_sqlite_table_exists(db, "Packages");
	if (r <= 0)
		return r == -ENOMEM ? r : -EBADMSG;
	if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages ORDER BY hnum", -1, &s, NULL) !=
	    SQLITE_OK)
		return -EBADMSG; /* no "blob" or "hnum" column: not rpm's schema */

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(s, 0);
		int n = sqlite3_column_bytes(s, 0);

		if (sqlite3_column_type(s, 0) != SQLITE_BLOB || !blob || n <= 0)
			return -EBADMSG;
		r = vg_rpm_header_parse(blob, (size_t)n, want_files, found_in, layer, a, list);
		if (r < 0)
			return r;
		added += r;
	}
	if (rc != SQLITE_DONE)
		return vg_sqlite_errno(rc) == -ENOMEM ? -ENOMEM : -EBADMSG;
	return added;
}
