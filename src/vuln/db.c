/* SPDX-License-Identifier: Apache-2.0 */
/* The vulnerability database file: schema, versioning, atomic per-source import, info. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "shared/sqlite.h"
#include "vg-config.h"
#include "vuln/db.h"

static const char schema_sql[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE sources (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  kind TEXT NOT NULL,\n"
	"  origin TEXT,\n"
	"  data_date TEXT,\n"
	"  imported TEXT NOT NULL,\n"
	"  vulns INTEGER NOT NULL DEFAULT 0,\n"
	"  affected INTEGER NOT NULL DEFAULT 0,\n"
	"  ids INTEGER NOT NULL DEFAULT 0,\n"
	"  withdrawn INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE TABLE vulns (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  source INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,\n"
	"  vuln_id TEXT NOT NULL,\n"
	"  summary TEXT,\n"
	"  severity INTEGER NOT NULL DEFAULT 0,\n"
	"  cvss_vector TEXT,\n"
	"  cvss_score REAL,\n"
	"  published TEXT,\n"
	"  modified TEXT,\n"
	"  withdrawn TEXT,\n"
	"  url TEXT,\n"
	"  UNIQUE (source, vuln_id));\n"
	"CREATE TABLE vuln_ids (\n"
	"  vuln INTEGER NOT NULL REFERENCES vulns(id) ON DELETE CASCADE,\n"
	"  id TEXT NOT NULL,\n"
	"  kind INTEGER NOT NULL,\n"
	"  PRIMARY KEY (vuln, id)) WITHOUT ROWID;\n"
	"CREATE INDEX vuln_ids_id ON vuln_ids(id);\n"
	"CREATE TABLE affected (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  vuln INTEGER NOT NULL REFERENCES vulns(id) ON DELETE CASCADE,\n"
	"  namespace TEXT NOT NULL,\n"
	"  package TEXT NOT NULL,\n"
	"  state INTEGER NOT NULL,\n"
	"  fixed_version TEXT,\n"
	"  urgency TEXT,\n"
	"  advisory TEXT,\n"
	"  ranges TEXT,\n"
	"  versions TEXT);\n"
	"CREATE INDEX affected_package ON affected(namespace, package);\n"
	"CREATE INDEX affected_vuln ON affected(vuln);\n";

static void now_iso(char *buf, size_t size)
{
	vg_vuln_format_iso8601(time(NULL), buf, size);
}

void vg_vuln_format_iso8601(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		if (size)
			buf[0] = '\0';
	}
}

int vg_vuln_parse_iso8601(const char *s, time_t *ret)
{
	struct tm tm = {};
	int n = 0, y, mo, d, h = 0, mi = 0, sec = 0;
	const char *p;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -EINVAL;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 8)
			return -EINVAL;
		p += 1 + n;
	}
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*ret = timegm(&tm);
	(void)p; /* fractions and zone offsets are ignored: day precision is what we use */
	return 0;
}

int vg_vuln_db_default_path(char **ret)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (xdg && xdg[0] == '/') {
		if (asprintf(&p, "%s/vigil/vuln.db", xdg) < 0)
			return -ENOMEM;
	} else if (home && home[0] == '/') {
		if (asprintf(&p, "%s/.local/share/vigil/vuln.db", home) < 0)
			return -ENOMEM;
	} else
		return -ENOENT;
	*ret = p;
	return 0;
}

/* mkdir -p of the directory holding @path. */
static int make_parent_dirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

static int meta_get(sqlite3 *db, const char *key, char **ret)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int rc;

	*ret = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return vg_sqlite_errno(rc);
	*ret = strdup((const char *)sqlite3_column_text(st, 0));
	return *ret ? 1 : -ENOMEM;
}

static int meta_set(sqlite3 *db, const char *key, const char *value)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : vg_sqlite_errno(rc);
}

static int create_schema(sqlite3 *db, const char *path, char *err, size_t errsize)
{
	char now[32], ver[16];
	int r;

	r = vg_sqlite_exec(db, "BEGIN IMMEDIATE", path, err, errsize);
	if (r < 0)
		return r;
	r = vg_sqlite_exec(db, schema_sql, path, err, errsize);
	if (r < 0)
		goto fail;
	now_iso(now, sizeof(now));
	snprintf(ver, sizeof(ver), "%d", VG_VULN_SCHEMA_VERSION);
	r = meta_set(db, "schema_version", ver);
	if (r >= 0)
		r = meta_set(db, "created", now);
	if (r >= 0)
		r = meta_set(db, "built", now);
	if (r >= 0)
		r = meta_set(db, "vigil_version", VG_VERSION);
	if (r < 0) {
		snprintf(err, errsize, "%s: cannot write the metadata: %s", path,
			 sqlite3_errmsg(db));
		goto fail;
	}
	return vg_sqlite_exec(db, "COMMIT", path, err, errsize);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

static int check_schema(sqlite3 *db, const char *path, bool writable, char *err, size_t errsize)
{
	cleanup_free char *ver = NULL;
	int r, n_tables = 0;
	cleanup_stmt sqlite3_stmt *st = NULL;

	r = vg_sqlite_table_exists(db, "meta");
	if (r < 0) {
		snprintf(err, errsize, "%s: cannot read the database: %s", path,
			 sqlite3_errmsg(db));
		return r;
	}
	if (r == 0) {
		r = vg_sqlite_prepare(db, "SELECT count(*) FROM sqlite_master", &st, err, errsize);
		if (r < 0)
			return r;
		if (sqlite3_step(st) == SQLITE_ROW)
			n_tables = sqlite3_column_int(st, 0);
		if (n_tables == 0 && writable)
			return create_schema(db, path, err, errsize);
		snprintf(err, errsize, "%s: not a vigil vulnerability database%s", path,
			 n_tables == 0 ? " (empty: run 'vigil db import' or 'vigil db update')"
				       : "");
		return -EBADMSG;
	}
	r = meta_get(db, "schema_version", &ver);
	if (r < 0) {
		snprintf(err, errsize, "%s: cannot read the schema version: %s", path,
			 sqlite3_errmsg(db));
		return r;
	}
	if (r == 0) {
		snprintf(err, errsize, "%s: not a vigil vulnerability database (no schema version)",
			 path);
		return -EBADMSG;
	}
	if (strtol(ver, NULL, 10) != VG_VULN_SCHEMA_VERSION || !ver[0]) {
		snprintf(
			err, errsize,
			"%s: database schema version %s, this vigil uses version %d: delete the file "
			"and re-import ('vigil db import' or 'vigil db update')",
			path, ver, VG_VULN_SCHEMA_VERSION);
		return -EPROTO;
	}
	return 0;
}

int vg_vuln_db_open(const char *path, bool writable, struct vg_vuln_db **ret, char *err,
		    size_t errsize)
{
	cleanup_sqlite sqlite3 *sql = NULL;
	struct vg_vuln_db *db;
	int r;

	if (writable) {
		r = make_parent_dirs(path);
		if (r < 0) {
			snprintf(err, errsize, "%s: cannot create its directory: %s", path,
				 strerror(-r));
			return r;
		}
	}
	r = vg_sqlite_open(path, writable ? VG_SQLITE_READWRITE : VG_SQLITE_READONLY, &sql, err,
			   errsize);
	if (r < 0)
		return r;
	r = check_schema(sql, path, writable, err, errsize);
	if (r < 0)
		return r;
	if (writable) {
		r = vg_sqlite_exec(sql, "PRAGMA synchronous=NORMAL", path, err, errsize);
		if (r < 0)
			return r;
	}
	/* the matcher touches pages all over the file: map it, and cache what is read */
	r = vg_sqlite_exec(sql, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536", path, err,
			   errsize);
	if (r < 0)
		return r;
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	db->path = strdup(path);
	if (!db->path) {
		free(db);
		return -ENOMEM;
	}
	db->writable = writable;
	db->sql = TAKE_PTR(sql);
	*ret = db;
	return 0;
}

struct vg_vuln_db *vg_vuln_db_close(struct vg_vuln_db *db)
{
	if (!db)
		return NULL;
	/* Leave a plain rollback-journal file behind (no -wal / -shm): a read-only open then
	 * needs no write access to the file or its directory (read-only media, an image).
	 * When another connection has it open the mode stays WAL, which is fine too. */
	if (db->writable) {
		sqlite3_exec(db->sql, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
		sqlite3_exec(db->sql, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	}
	vg_sqlite_close(db->sql);
	free(db->path);
	free(db);
	return NULL;
}

static void import_free(struct vg_vuln_import *imp)
{
	if (!imp)
		return;
	sqlite3_finalize(imp->ins_vuln);
	sqlite3_finalize(imp->ins_id);
	sqlite3_finalize(imp->ins_affected);
	free(imp->data_date);
	free(imp);
}

int vg_vuln_import_begin(struct vg_vuln_db *db, const char *name, const char *kind,
			 const char *origin, struct vg_vuln_import **ret, char *err, size_t errsize)
{
	struct vg_vuln_import *imp;
	cleanup_stmt sqlite3_stmt *st = NULL;
	char now[32];
	int r, rc;

	if (!db->writable) {
		snprintf(err, errsize, "%s: opened read-only", db->path);
		return -EROFS;
	}
	imp = calloc(1, sizeof(*imp));
	if (!imp)
		return -ENOMEM;
	imp->db = db;
	r = vg_sqlite_exec(db->sql, "BEGIN IMMEDIATE", db->path, err, errsize);
	if (r < 0) {
		free(imp);
		return r;
	}
	r = vg_sqlite_prepare(db->sql, "DELETE FROM sources WHERE name = ?1", &st, err, errsize);
	if (r < 0)
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		goto fail_sql;
	sqlite3_finalize(TAKE_PTR(st));

	now_iso(now, sizeof(now));
	r = vg_sqlite_prepare(db->sql,
			      "INSERT INTO sources(name, kind, origin, imported) "
			      "VALUES (?1, ?2, ?3, ?4)",
			      &st, err, errsize);
	if (r < 0)
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		goto fail_sql;
	imp->source = sqlite3_last_insert_rowid(db->sql);

	r = vg_sqlite_prepare(
		db->sql,
		"INSERT INTO vulns(source, vuln_id, summary, severity, cvss_vector, cvss_score, "
		"published, modified, withdrawn, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
		"ON CONFLICT(source, vuln_id) DO UPDATE SET "
		"summary = coalesce(summary, excluded.summary), "
		"severity = max(severity, excluded.severity), "
		"cvss_vector = coalesce(cvss_vector, excluded.cvss_vector), "
		"cvss_score = coalesce(cvss_score, excluded.cvss_score), "
		"published = coalesce(published, excluded.published), "
		"modified = coalesce(modified, excluded.modified), "
		"withdrawn = coalesce(withdrawn, excluded.withdrawn), "
		"url = coalesce(url, excluded.url) RETURNING id",
		&imp->ins_vuln, err, errsize);
	if (r < 0)
		goto fail;
	r = vg_sqlite_prepare(db->sql,
			      "INSERT OR IGNORE INTO vuln_ids(vuln, id, kind) VALUES (?1, ?2, ?3)",
			      &imp->ins_id, err, errsize);
	if (r < 0)
		goto fail;
	r = vg_sqlite_prepare(
		db->sql,
		"INSERT INTO affected(vuln, namespace, package, state, fixed_version, "
		"urgency, advisory, ranges, versions) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		&imp->ins_affected, err, errsize);
	if (r < 0)
		goto fail;
	*ret = imp;
	return 0;

fail_sql:
	r = vg_sqlite_errno(rc);
	snprintf(err, errsize, "%s: %s", db->path, sqlite3_errmsg(db->sql));
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	import_free(imp);
	return r;
}

static int step_done(struct vg_vuln_import *imp, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : vg_sqlite_errno(rc);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && s[0])
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int vg_vuln_import_add(struct vg_vuln_import *imp, const struct vg_vuln_record *rec,
		       int64_t *ret_vuln)
{
	sqlite3_stmt *st = imp->ins_vuln;
	struct vg_cvss3 cvss;
	bool have_cvss = false;
	int rc;

	if (!rec->id || !rec->id[0] || strlen(rec->id) > VG_VULN_ID_MAX)
		return -EINVAL;
	if (rec->cvss_vector && vg_cvss3_parse(rec->cvss_vector, &cvss) >= 0)
		have_cvss = true;
	else if (rec->cvss_vector)
		imp->stats.skipped++; /* an invalid vector is dropped, the record is kept */
	sqlite3_bind_int64(st, 1, imp->source);
	sqlite3_bind_text(st, 2, rec->id, -1, SQLITE_STATIC);
	bind_text_or_null(st, 3, rec->summary);
	sqlite3_bind_int(st, 4, rec->severity);
	if (have_cvss) {
		sqlite3_bind_text(st, 5, rec->cvss_vector, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 6, cvss.base_score);
	}
	bind_text_or_null(st, 7, rec->published);
	bind_text_or_null(st, 8, rec->modified);
	bind_text_or_null(st, 9, rec->withdrawn);
	bind_text_or_null(st, 10, rec->url);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return vg_sqlite_errno(rc);
	}
	*ret_vuln = sqlite3_column_int64(st, 0);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return vg_sqlite_errno(rc);
	if (rec->published)
		vg_vuln_import_note_date(imp, rec->published);
	if (rec->modified)
		vg_vuln_import_note_date(imp, rec->modified);
	return 0;
}

int vg_vuln_import_add_id(struct vg_vuln_import *imp, int64_t vuln, const char *id,
			  enum vg_vuln_id_kind kind)
{
	sqlite3_stmt *st = imp->ins_id;

	if (!id || !id[0] || strlen(id) > VG_VULN_ID_MAX)
		return -EINVAL;
	sqlite3_bind_int64(st, 1, vuln);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, kind);
	return step_done(imp, st);
}

int vg_vuln_import_add_affected(struct vg_vuln_import *imp, int64_t vuln,
				const struct vg_vuln_affected *a)
{
	sqlite3_stmt *st = imp->ins_affected;

	if (!a->ns || !a->ns[0] || !a->package || !a->package[0] ||
	    (unsigned)a->state >= VG_VULN_STATE__MAX)
		return -EINVAL;
	if (a->state == VG_VULN_STATE_FIXED && (!a->fixed_version || !a->fixed_version[0]))
		return -EINVAL;
	sqlite3_bind_int64(st, 1, vuln);
	sqlite3_bind_text(st, 2, a->ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->package, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, a->state);
	bind_text_or_null(st, 5, a->fixed_version);
	bind_text_or_null(st, 6, a->urgency);
	bind_text_or_null(st, 7, a->advisory);
	bind_text_or_null(st, 8, a->ranges);
	bind_text_or_null(st, 9, a->versions);
	return step_done(imp, st);
}

void vg_vuln_import_note_date(struct vg_vuln_import *imp, const char *iso)
{
	time_t t;
	char buf[32];

	/* OSV uses 0001-01-01T00:00:00Z for "unknown" (golang/vulndb): ignore pre-1990 dates,
	 * and dates in the future (clock skew of the feed would hide the real age). */
	if (vg_vuln_parse_iso8601(iso, &t) < 0 || t < 631152000 || t > time(NULL) + 86400)
		return;
	vg_vuln_format_iso8601(t, buf, sizeof(buf));
	if (imp->data_date && strcmp(imp->data_date, buf) >= 0)
		return;
	free(imp->data_date);
	imp->data_date = strdup(buf);
}

static int count_source(sqlite3 *db, const char *sql, int64_t source, int64_t *ret)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc);
	sqlite3_bind_int64(st, 1, source);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return vg_sqlite_errno(rc);
	*ret = sqlite3_column_int64(st, 0);
	return 0;
}

int vg_vuln_import_commit(struct vg_vuln_import *imp, char *err, size_t errsize)
{
	struct vg_vuln_db *db = imp->db;
	cleanup_stmt sqlite3_stmt *st = NULL;
	int64_t nv = 0, na = 0, ni = 0, nw = 0;
	char now[32];
	int r, rc;

	r = count_source(db->sql, "SELECT count(*) FROM vulns WHERE source = ?1", imp->source, &nv);
	if (r >= 0)
		r = count_source(
			db->sql,
			"SELECT count(*) FROM affected JOIN vulns ON vulns.id = affected.vuln "
			"WHERE vulns.source = ?1",
			imp->source, &na);
	if (r >= 0)
		r = count_source(
			db->sql,
			"SELECT count(*) FROM vuln_ids JOIN vulns ON vulns.id = vuln_ids.vuln "
			"WHERE vulns.source = ?1",
			imp->source, &ni);
	if (r >= 0)
		r = count_source(
			db->sql,
			"SELECT count(*) FROM vulns WHERE source = ?1 AND withdrawn IS NOT "
			"NULL",
			imp->source, &nw);
	if (r < 0)
		goto fail_sql;
	if (nv > VG_VULN_RECORDS_MAX) {
		snprintf(err, errsize, "%s: more than %d records in one source", db->path,
			 VG_VULN_RECORDS_MAX);
		r = -E2BIG;
		goto fail;
	}
	imp->stats.vulns = (uint64_t)nv;
	imp->stats.affected = (uint64_t)na;
	imp->stats.ids = (uint64_t)ni;
	imp->stats.withdrawn = (uint64_t)nw;
	rc = sqlite3_prepare_v2(db->sql,
				"UPDATE sources SET data_date = ?2, vulns = ?3, affected = ?4, "
				"ids = ?5, withdrawn = ?6 WHERE id = ?1",
				-1, &st, NULL);
	if (rc != SQLITE_OK) {
		r = vg_sqlite_errno(rc);
		goto fail_sql;
	}
	sqlite3_bind_int64(st, 1, imp->source);
	bind_text_or_null(st, 2, imp->data_date);
	sqlite3_bind_int64(st, 3, nv);
	sqlite3_bind_int64(st, 4, na);
	sqlite3_bind_int64(st, 5, ni);
	sqlite3_bind_int64(st, 6, nw);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		r = vg_sqlite_errno(rc);
		goto fail_sql;
	}
	now_iso(now, sizeof(now));
	r = meta_set(db->sql, "built", now);
	if (r >= 0)
		r = meta_set(db->sql, "vigil_version", VG_VERSION);
	if (r < 0)
		goto fail_sql;
	r = vg_sqlite_exec(db->sql, "COMMIT", db->path, err, errsize);
	if (r < 0)
		goto fail;
	import_free(imp);
	return 0;
fail_sql:
	snprintf(err, errsize, "%s: %s", db->path, sqlite3_errmsg(db->sql));
fail:
	vg_vuln_import_abort(imp);
	return r;
}

void vg_vuln_import_abort(struct vg_vuln_import *imp)
{
	if (!imp)
		return;
	sqlite3_finalize(TAKE_PTR(imp->ins_vuln));
	sqlite3_finalize(TAKE_PTR(imp->ins_id));
	sqlite3_finalize(TAKE_PTR(imp->ins_affected));
	sqlite3_exec(imp->db->sql, "ROLLBACK", NULL, NULL, NULL);
	import_free(imp);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

int vg_vuln_db_get_info(struct vg_vuln_db *db, struct vg_vuln_db_info *ret)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_free char *ver = NULL;
	struct vg_vuln_db_info info = {};
	int r, rc;

	r = meta_get(db->sql, "schema_version", &ver);
	if (r < 0)
		return r;
	info.schema_version = ver ? (int)strtol(ver, NULL, 10) : 0;
	if ((r = meta_get(db->sql, "created", &info.created)) < 0 ||
	    (r = meta_get(db->sql, "built", &info.built)) < 0 ||
	    (r = meta_get(db->sql, "vigil_version", &info.vigil_version)) < 0)
		goto fail;
	rc = sqlite3_prepare_v2(
		db->sql,
		"SELECT name, kind, origin, data_date, imported, vulns, affected, ids, "
		"withdrawn FROM sources ORDER BY name",
		-1, &st, NULL);
	if (rc != SQLITE_OK) {
		r = vg_sqlite_errno(rc);
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_vuln_source_info *s, *n;

		n = reallocarray(info.sources, info.n_sources + 1, sizeof(*n));
		if (!n) {
			r = -ENOMEM;
			goto fail;
		}
		info.sources = n;
		s = &info.sources[info.n_sources++];
		*s = (struct vg_vuln_source_info){
			.name = col_dup(st, 0),
			.kind = col_dup(st, 1),
			.origin = col_dup(st, 2),
			.data_date = col_dup(st, 3),
			.imported = col_dup(st, 4),
			.vulns = sqlite3_column_int64(st, 5),
			.affected = sqlite3_column_int64(st, 6),
			.ids = sqlite3_column_int64(st, 7),
			.withdrawn = sqlite3_column_int64(st, 8),
		};
		if (!s->name || !s->kind || !s->imported) {
			r = -ENOMEM;
			goto fail;
		}
		info.vulns += s->vulns;
		info.affected += s->affected;
		info.ids += s->ids;
	}
	if (rc != SQLITE_DONE) {
		r = vg_sqlite_errno(rc);
		goto fail;
	}
	*ret = info;
	return 0;
fail:
	vg_vuln_db_info_done(&info);
	return r;
}

void vg_vuln_db_info_done(struct vg_vuln_db_info *info)
{
	for (size_t i = 0; i < info->n_sources; i++) {
		struct vg_vuln_source_info *s = &info->sources[i];

		free(s->name);
		free(s->kind);
		free(s->origin);
		free(s->data_date);
		free(s->imported);
	}
	free(info->sources);
	free(info->created);
	free(info->built);
	free(info->vigil_version);
	*info = (struct vg_vuln_db_info){};
}

int vg_vuln_db_age_days(struct vg_vuln_db *db, time_t now, int64_t *ret_days)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	time_t oldest = 0;
	bool any = false;
	int rc;

	rc = sqlite3_prepare_v2(db->sql, "SELECT coalesce(data_date, imported) FROM sources", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		time_t t;

		if (vg_vuln_parse_iso8601((const char *)sqlite3_column_text(st, 0), &t) < 0)
			continue;
		if (!any || t < oldest)
			oldest = t;
		any = true;
	}
	if (rc != SQLITE_DONE)
		return vg_sqlite_errno(rc);
	if (!any)
		return -ENODATA;
	*ret_days = now > oldest ? (int64_t)(now - oldest) / 86400 : 0;
	return 0;
}

const char *vg_vuln_state_to_string(enum vg_vuln_state s)
{
	static const char *const names[VG_VULN_STATE__MAX] = {
		[VG_VULN_STATE_FIXED] = "fixed",
		[VG_VULN_STATE_UNFIXED] = "unfixed",
		[VG_VULN_STATE_WONT_FIX] = "will-not-fix",
		[VG_VULN_STATE_END_OF_LIFE] = "end-of-life",
		[VG_VULN_STATE_NOT_AFFECTED] = "not-affected",
		[VG_VULN_STATE_RANGES] = "ranges",
	};

	if ((unsigned)s >= VG_VULN_STATE__MAX)
		return NULL;
	return names[s];
}

int vg_vuln_import_set_name(struct vg_vuln_import *imp, const char *name)
{
	cleanup_stmt sqlite3_stmt *del = NULL, *upd = NULL;
	int rc;

	rc = sqlite3_prepare_v2(imp->db->sql, "DELETE FROM sources WHERE name = ?1 AND id != ?2",
				-1, &del, NULL);
	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc);
	sqlite3_bind_text(del, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(del, 2, imp->source);
	rc = sqlite3_step(del);
	if (rc != SQLITE_DONE)
		return vg_sqlite_errno(rc);
	rc = sqlite3_prepare_v2(imp->db->sql, "UPDATE sources SET name = ?1 WHERE id = ?2", -1,
				&upd, NULL);
	if (rc != SQLITE_OK)
		return vg_sqlite_errno(rc);
	sqlite3_bind_text(upd, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(upd, 2, imp->source);
	rc = sqlite3_step(upd);
	return rc == SQLITE_DONE ? 0 : vg_sqlite_errno(rc);
}
