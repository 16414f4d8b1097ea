/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vulnerability database: one SQLite file (docs/vuln.md, "Database"). Importers write it
 * one source at a time, each source replaced atomically (one transaction: readers see the
 * old records or the new ones, never a mix); scans open it read-only.
 *
 * Model (OSV semantics for everything, so distro feeds and OSV share one matcher):
 *   sources   one row per imported feed (name, kind, origin, the data's own date, import time)
 *   vulns     one row per vulnerability id per source (summary, source severity, CVSS v3)
 *   vuln_ids  other ids of a vulnerability: kind 0 = alias (the same vulnerability: merged
 *             into one finding), kind 1 = related advisory (listed, never merged: a DSA or an
 *             XSA covering several CVEs)
 *   affected  (namespace, package) -> state, fixed version, urgency, OSV ranges, versions
 * Namespaces: "debian:12", "alpine:3.18", "ubuntu:22.04" for distributions (release as the
 * distribution numbers it), the OSV ecosystem name ("Go", "PyPI", "npm", ...) otherwise.
 */
#ifndef VG_VULN_DB_H
#define VG_VULN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "basic/cleanup.h"
#include "basic/macro.h"
#include "vuln/cvss.h"

#define VG_VULN_SCHEMA_VERSION 1
/* Default age (days) past which a scan warns that the data is old (it still runs). */
#define VG_VULN_DB_MAX_AGE_DAYS 7

/* State of one affected row. */
enum vg_vuln_state {
	VG_VULN_STATE_FIXED, /* versions below fixed_version are affected */
	VG_VULN_STATE_UNFIXED, /* every version is affected, no fix yet */
	VG_VULN_STATE_WONT_FIX, /* affected, the distribution will not fix it */
	VG_VULN_STATE_END_OF_LIFE, /* affected, the release is out of security support */
	VG_VULN_STATE_NOT_AFFECTED, /* never affected (suppresses matches of the same ids) */
	VG_VULN_STATE_RANGES, /* OSV: the ranges and the explicit versions decide */
	VG_VULN_STATE__MAX,
};

enum vg_vuln_id_kind {
	VG_VULN_ID_ALIAS = 0,
	VG_VULN_ID_RELATED = 1,
};

/* What an importer hands to the writer; strings borrowed for the duration of the call. */
struct vg_vuln_record {
	const char *id;
	const char *summary;
	enum vg_vuln_severity severity; /* the source's own rating; UNKNOWN when none */
	const char *cvss_vector; /* CVSS:3.x vector or NULL; the score is computed on insert */
	const char *published, *modified, *withdrawn; /* ISO 8601 or NULL */
	const char *url;
};

/*
 * OSV ranges are stored in one text column, one range per line: the type ("SEMVER" or
 * "ECOSYSTEM"), then the events sorted by version, each "i:<v>" (introduced), "f:<v>"
 * (fixed), "l:<v>" (last_affected) or "x:<v>" (limit), separated by single spaces.
 * Versions are stored only when they hold no whitespace (the importer rejects others).
 * Explicit versions: one per line.
 */
struct vg_vuln_affected {
	const char *ns; /* namespace */
	const char *package;
	enum vg_vuln_state state;
	const char *fixed_version; /* FIXED; for RANGES the first fixed event, informative */
	const char *urgency; /* Debian urgency ("unimportant", "low*", ...) or NULL */
	const char *advisory; /* the advisory this row comes from (DSA-5380-1) or NULL */
	const char *ranges; /* encoded ranges or NULL */
	const char *versions; /* encoded versions or NULL */
};

struct vg_vuln_db {
	sqlite3 *sql;
	char *path;
	bool writable;
};

/**
 * vg_vuln_db_default_path() - "$XDG_DATA_HOME/vigil/vuln.db", else
 * "$HOME/.local/share/vigil/vuln.db". Returns 0 with a new string, -ENOENT when neither
 * variable is set (absolute), -ENOMEM.
 */
VG_MUST_CHECK int vg_vuln_db_default_path(char **ret);

/**
 * vg_vuln_db_open() - opens the database at @path. @writable creates the file (and its
 * directory) and the schema when missing. A database of another schema version is refused
 * with -EPROTO ("re-import" in @err); a file that is not a vigil database with -EBADMSG.
 * Read-only opens of a missing file give -ENOENT.
 */
VG_MUST_CHECK int vg_vuln_db_open(const char *path, bool writable, struct vg_vuln_db **ret,
				  char *err, size_t errsize);
struct vg_vuln_db *vg_vuln_db_close(struct vg_vuln_db *db);
DEFINE_CLEANUP_FUNC(struct vg_vuln_db *, vg_vuln_db_close)
#define cleanup_vuln_db cleanup(vg_vuln_db_closep)

/* Counters of one import, filled as records arrive. */
struct vg_vuln_import_stats {
	uint64_t vulns; /* distinct vulnerability ids */
	uint64_t affected; /* affected rows */
	uint64_t ids; /* alias / related rows */
	uint64_t withdrawn;
	uint64_t skipped; /* entries without anything matchable (GIT-only ranges, ...) */
};

/* One source being replaced. */
struct vg_vuln_import {
	struct vg_vuln_db *db;
	int64_t source;
	char *data_date; /* newest date seen in the data (ISO 8601) */
	struct vg_vuln_import_stats stats;
	sqlite3_stmt *ins_vuln, *ins_id, *ins_affected;
};

/**
 * vg_vuln_import_begin() - starts replacing the source @name (kind "osv", "debian-tracker",
 * "debian-dsa", "alpine-secdb"; @origin the file or URL): opens a transaction and deletes the
 * source's previous records inside it. Returns 0, -EROFS on a read-only handle, SQLite errors.
 */
VG_MUST_CHECK int vg_vuln_import_begin(struct vg_vuln_db *db, const char *name, const char *kind,
				       const char *origin, struct vg_vuln_import **ret, char *err,
				       size_t errsize);

/**
 * vg_vuln_import_add() - inserts the vulnerability @rec, or merges it into the row of the same
 * id already imported in this source (fields already set are kept). The row id goes to
 * *@ret_vuln. Returns 0, -EINVAL for an invalid id, SQLite errors.
 */
VG_MUST_CHECK int vg_vuln_import_add(struct vg_vuln_import *imp, const struct vg_vuln_record *rec,
				     int64_t *ret_vuln);
/** vg_vuln_import_add_id() - another id of @vuln (duplicates and the vuln's own id ignored). */
VG_MUST_CHECK int vg_vuln_import_add_id(struct vg_vuln_import *imp, int64_t vuln, const char *id,
					enum vg_vuln_id_kind kind);
VG_MUST_CHECK int vg_vuln_import_add_affected(struct vg_vuln_import *imp, int64_t vuln,
					      const struct vg_vuln_affected *a);
/** vg_vuln_import_set_name() - renames the source being imported, replacing any other source
 * of that name inside the same transaction (for names known only after parsing). */
VG_MUST_CHECK int vg_vuln_import_set_name(struct vg_vuln_import *imp, const char *name);
/** vg_vuln_import_note_date() - the data's own date is the newest date noted (ISO 8601). */
void vg_vuln_import_note_date(struct vg_vuln_import *imp, const char *iso);

/** vg_vuln_import_commit() - records the counts and dates, commits, frees @imp. */
VG_MUST_CHECK int vg_vuln_import_commit(struct vg_vuln_import *imp, char *err, size_t errsize);
/** vg_vuln_import_abort() - rolls back (nothing of this import stays), frees @imp; NULL ok. */
void vg_vuln_import_abort(struct vg_vuln_import *imp);

struct vg_vuln_source_info {
	char *name, *kind, *origin;
	char *data_date; /* the data's own date, or NULL when the data has none */
	char *imported;
	int64_t vulns, affected, ids, withdrawn;
};

struct vg_vuln_db_info {
	int schema_version;
	char *created, *built; /* built: time of the last import */
	char *vigil_version;
	struct vg_vuln_source_info *sources;
	size_t n_sources;
	int64_t vulns, affected, ids;
};

VG_MUST_CHECK int vg_vuln_db_get_info(struct vg_vuln_db *db, struct vg_vuln_db_info *ret);
void vg_vuln_db_info_done(struct vg_vuln_db_info *info);

/**
 * vg_vuln_db_age_days() - age in whole days, at @now, of the oldest source's data (its own
 * date, or its import time when the data carries none). Returns 0, -ENODATA when the database
 * has no source.
 */
VG_MUST_CHECK int vg_vuln_db_age_days(struct vg_vuln_db *db, time_t now, int64_t *ret_days);

/** vg_vuln_parse_iso8601() - "YYYY-MM-DD[THH:MM:SS[.frac][Z|+hh:mm]]" to seconds; -EINVAL. */
VG_MUST_CHECK int vg_vuln_parse_iso8601(const char *s, time_t *ret);
/** vg_vuln_format_iso8601() - "YYYY-MM-DDTHH:MM:SSZ" (UTC) into @buf (>= 21 bytes). */
void vg_vuln_format_iso8601(time_t t, char *buf, size_t size);

const char *vg_vuln_state_to_string(enum vg_vuln_state s);

#endif /* VG_VULN_DB_H */
