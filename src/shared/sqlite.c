/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "shared/sqlite.h"

/* File header: "SQLite format 3\0", then at 18/19 the read/write format versions (2 = WAL). */
#define SQLITE_HEADER_MAGIC "SQLite format 3"
#define SQLITE_HEADER_LEN   100

int vg_sqlite_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
	case SQLITE_FORMAT:
	case SQLITE_SCHEMA:
	case SQLITE_MISMATCH:
		return -EBADMSG;
	case SQLITE_TOOBIG:
	case SQLITE_FULL:
		return -E2BIG;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	case SQLITE_INTERRUPT:
		return -EINTR;
	case SQLITE_RANGE:
	case SQLITE_MISUSE:
		return -EINVAL;
	default:
		return -EIO;
	}
}

sqlite3 *vg_sqlite_close(sqlite3 *db)
{
	if (db)
		sqlite3_close_v2(db);
	return NULL;
}

/* "what: message", or the message alone when @what is NULL. */
static void set_err(char *err, size_t errsize, const char *what, const char *msg)
{
	if (!err || !errsize)
		return;
	if (what)
		snprintf(err, errsize, "%s: %s", what, msg);
	else
		snprintf(err, errsize, "%s", msg);
}

/* A query that reads the schema, so "not a database" shows at open time. */
static int check_schema(sqlite3 *db, const char *what, char *err, size_t errsize)
{
	int rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		set_err(err, errsize, what, sqlite3_errmsg(db));
		return vg_sqlite_errno(rc) ?: -EIO;
	}
	return 0;
}

int vg_sqlite_open(const char *path, enum vg_sqlite_mode mode, sqlite3 **ret, char *err,
		   size_t errsize)
{
	int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE;
	sqlite3 *db = NULL;
	int rc, r;

	flags |= mode == VG_SQLITE_READONLY ? SQLITE_OPEN_READONLY
					    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		set_err(err, errsize, path, db ? sqlite3_errmsg(db) : "out of memory");
		r = vg_sqlite_errno(rc) ?: -EIO;
		goto fail;
	}
	sqlite3_extended_result_codes(db, 0);
	sqlite3_busy_timeout(db, 5000);
	r = check_schema(db, path, err, errsize);
	if (r < 0)
		goto fail;
	if (mode == VG_SQLITE_READWRITE) {
		r = vg_sqlite_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;", path,
				   err, errsize);
		if (r < 0)
			goto fail;
	}
	*ret = db;
	return 0;
fail:
	sqlite3_close_v2(db);
	return r;
}

int vg_sqlite_open_image(void *buf, size_t len, int max_blob, sqlite3 **ret, char *err,
			 size_t errsize)
{
	unsigned char *p = buf;
	sqlite3 *db = NULL;
	int rc, r;

	if (len < SQLITE_HEADER_LEN ||
	    memcmp(p, SQLITE_HEADER_MAGIC, sizeof(SQLITE_HEADER_MAGIC))) {
		set_err(err, errsize, NULL, "not a SQLite database (bad header)");
		return -EBADMSG;
	}
	/* WAL mode is a property of the file header; an in-memory image cannot open it. */
	if (p[18] == 2)
		p[18] = 1;
	if (p[19] == 2)
		p[19] = 1;

	rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		r = -ENOMEM;
		set_err(err, errsize, NULL, "cannot open an in-memory database");
		goto fail;
	}
	/* Untrusted schema: nothing in it may run code paths beyond plain table reads. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	if (max_blob > 0)
		sqlite3_limit(db, SQLITE_LIMIT_LENGTH, max_blob);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 64 * 1024);

	rc = sqlite3_deserialize(db, "main", p, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		set_err(err, errsize, NULL, sqlite3_errmsg(db));
		r = vg_sqlite_errno(rc) ?: -EBADMSG;
		goto fail;
	}
	r = check_schema(db, "database image", err, errsize);
	if (r < 0)
		goto fail;
	*ret = db;
	return 0;
fail:
	sqlite3_close_v2(db);
	return r;
}

int vg_sqlite_exec(sqlite3 *db, const char *sql, const char *what, char *err, size_t errsize)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		set_err(err, errsize, what, sqlite3_errmsg(db));
		return vg_sqlite_errno(rc) ?: -EIO;
	}
	return 0;
}

int vg_sqlite_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret, char *err, size_t errsize)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, ret, NULL);

	if (rc != SQLITE_OK) {
		set_err(err, errsize, NULL, sqlite3_errmsg(db));
		*ret = NULL;
		return vg_sqlite_errno(rc) ?: -EIO;
	}
	return 0;
}

int vg_sqlite_table_exists(sqlite3 *db, const char *table)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?1",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc) ?: -EIO;
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return vg_sqlite_errno(rc) ?: -EIO;
}
