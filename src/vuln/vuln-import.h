/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Feed importers (docs/vuln.md, "Importers"). vg_vuln_import_path() detects the format of a
 * file or directory and imports it as one source (a directory may hold several sources:
 * every OSV JSON record in it forms one, every other recognised file its own), each source
 * replaced atomically. Errors name the file (and line or record) and leave the database as
 * it was for that source.
 *
 * The per-format functions below write into an import already begun (db.h) and are what
 * the fuzz harnesses drive.
 */
#ifndef VG_VULN_IMPORT_H
#define VG_VULN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "basic/limits.h"
#include "basic/macro.h"
#include "vuln/db.h"

enum vg_vuln_format {
	VG_VULN_FORMAT_UNKNOWN,
	VG_VULN_FORMAT_OSV_JSON, /* one OSV record, or an array of records */
	VG_VULN_FORMAT_OSV_ZIP, /* OSV per-ecosystem all.zip */
	VG_VULN_FORMAT_DEBIAN_TRACKER, /* security-tracker.debian.org/tracker/data/json */
	VG_VULN_FORMAT_DEBIAN_LIST, /* data/DSA/list, data/DLA/list */
	VG_VULN_FORMAT_ALPINE_JSON, /* secdb.alpinelinux.org/vX.Y/{main,community}.json */
	VG_VULN_FORMAT_ALPINE_YAML, /* alpine-secdb vX.Y/{main,community}.yaml */
	VG_VULN_FORMAT__MAX,
};

const char *vg_vuln_format_to_string(enum vg_vuln_format f);

/** vg_vuln_format_detect() - the format of the bytes @buf (@len; the start is enough). */
enum vg_vuln_format vg_vuln_format_detect(const char *buf, size_t len);

struct vg_vuln_import_options {
	const char *source_name; /* overrides the derived name (one source inputs only) */
	const char *fallback_date; /* the data's date when the data has none (ISO 8601) */
	const char *origin; /* recorded as the source's origin instead of the path (a URL) */
};

struct vg_vuln_import_result {
	char source[VG_VULN_NAME_MAX];
	enum vg_vuln_format format;
	struct vg_vuln_import_stats stats;
};

/**
 * vg_vuln_import_path() - imports @path. @results receives one entry per source imported
 * (at most @max_results; more sources than that is -E2BIG before anything is written),
 * *@ret_n their number. Returns 0 or a negative errno with "path: problem" in @err; the
 * sources committed before a failing one stay imported (each is atomic on its own).
 */
VG_MUST_CHECK int vg_vuln_import_path(struct vg_vuln_db *db, const char *path,
				      const struct vg_vuln_import_options *opts,
				      struct vg_vuln_import_result *results, size_t max_results,
				      size_t *ret_n, char *err, size_t errsize);

/* Per-format importers into an import begun with vg_vuln_import_begin(). @where names the
 * input in messages. They return 0 or a negative errno with the message in @err. */
VG_MUST_CHECK int vg_vuln_import_osv_json(struct vg_vuln_import *imp, const char *buf, size_t len,
					  const char *where, char *err, size_t errsize);
VG_MUST_CHECK int vg_vuln_import_osv_record(struct vg_vuln_import *imp, json_t *rec,
					    const char *where, char *err, size_t errsize);
/* @data/@size: a whole all.zip in memory. *@ret_ecosystem (may be NULL): the ecosystem of
 * the records when they all share one (e.g. "Go", "Debian"), else "". */
VG_MUST_CHECK int vg_vuln_import_osv_zip(struct vg_vuln_import *imp, const void *data, size_t size,
					 const char *where, char *ret_ecosystem, size_t ecosize,
					 char *err, size_t errsize);
VG_MUST_CHECK int vg_vuln_import_debian_tracker(struct vg_vuln_import *imp, const char *buf,
						size_t len, const char *where, char *err,
						size_t errsize);
/* *@ret_kind: "DSA" or "DLA" (the prefix of the first advisory), "" when none. */
VG_MUST_CHECK int vg_vuln_import_debian_list(struct vg_vuln_import *imp, const char *buf,
					     size_t len, const char *where, char ret_kind[4],
					     char *err, size_t errsize);
/* *@ret_name: "v3.10/main" from distroversion and reponame. */
VG_MUST_CHECK int vg_vuln_import_alpine(struct vg_vuln_import *imp, const char *buf, size_t len,
					bool yaml, const char *where, char *ret_name,
					size_t namesize, char *err, size_t errsize);

/* Bounded JSON parse for feeds (up to VG_VULN_FEED_MAX; nesting VG_JSON_DEPTH_MAX;
 * duplicate keys rejected), message "where: line L col C: problem". */
VG_MUST_CHECK int vg_vuln_json_parse(const char *buf, size_t len, size_t max, const char *where,
				     json_t **ret, char *err, size_t errsize);

#endif /* VG_VULN_IMPORT_H */
