/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thin adapter over SQLite: opening files (read-only for scans, read-write for importers)
 * and untrusted in-memory images (an rpmdb.sqlite read out of a container layer) with the
 * defensive settings, errno mapping and messages that name the database. Callers use the
 * sqlite3 statement API directly for queries; only the opening and error policy lives here.
 */
#ifndef VG_SHARED_SQLITE_H
#define VG_SHARED_SQLITE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "basic/cleanup.h"
#include "basic/macro.h"

enum vg_sqlite_mode {
	VG_SQLITE_READONLY, /* the file must exist; no writes, no journal files created */
	VG_SQLITE_READWRITE, /* created when missing; WAL journal, foreign keys on */
};

/**
 * vg_sqlite_open() - opens the database file @path. A read-only open of a file that is not
 * a SQLite database (or is corrupt) fails here rather than at the first query.
 * Returns 0 with the handle in *ret, -ENOENT, -EACCES, -EBADMSG (not a database / corrupt),
 * -EIO; the reason, naming @path, goes to @err.
 */
VG_MUST_CHECK int vg_sqlite_open(const char *path, enum vg_sqlite_mode mode, sqlite3 **ret,
				 char *err, size_t errsize);

/**
 * vg_sqlite_open_image() - opens the database file image in @buf (@len bytes, borrowed: it
 * must outlive the handle) read-only, without touching the filesystem. The two header bytes
 * that say "WAL mode" are rewritten in @buf to "rollback journal" (an in-memory image
 * cannot use WAL); nothing else is modified. For untrusted input:
 * defensive mode, no triggers or views run, no extension loading, bounded lengths
 * (@max_blob bytes per value). A WAL-mode header is accepted (the committed pages in the
 * main file are read; an uncheckpointed -wal file is not part of the image). Returns 0,
 * -EBADMSG for something that is not a SQLite database, -ENOMEM.
 */
VG_MUST_CHECK int vg_sqlite_open_image(void *buf, size_t len, int max_blob, sqlite3 **ret,
				       char *err, size_t errsize);

/** vg_sqlite_close() - closes @db (NULL is fine); returns NULL. */
sqlite3 *vg_sqlite_close(sqlite3 *db);
DEFINE_CLEANUP_FUNC(sqlite3 *, vg_sqlite_close)
#define cleanup_sqlite cleanup(vg_sqlite_closep)

/** vg_sqlite_finalize() - for cleanup attributes on statements. */
static inline void vg_sqlite_finalizep(sqlite3_stmt **s)
{
	if (*s)
		sqlite3_finalize(*s);
}
#define cleanup_stmt cleanup(vg_sqlite_finalizep)

/** vg_sqlite_errno() - a SQLite result code as a negative errno (0 for OK/ROW/DONE). */
int vg_sqlite_errno(int rc);

/**
 * vg_sqlite_exec() - runs @sql (one or more statements without parameters); on failure
 * writes "@what: message" to @err and returns the negative errno.
 */
VG_MUST_CHECK int vg_sqlite_exec(sqlite3 *db, const char *sql, const char *what, char *err,
				 size_t errsize);

/**
 * vg_sqlite_prepare() - prepares one statement; on failure writes the SQLite message to
 * @err and returns the negative errno.
 */
VG_MUST_CHECK int vg_sqlite_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret, char *err,
				    size_t errsize);

/** vg_sqlite_table_exists() - 1 when @db has a table named @table, 0 when not, < 0 on error. */
VG_MUST_CHECK int vg_sqlite_table_exists(sqlite3 *db, const char *table);

#endif /* VG_SHARED_SQLITE_H */
