/* SPDX-License-Identifier: Apache-2.0 */
/* Format detection and the import of files and directories (one transaction per source). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/string-util.h"
#include "shared/json.h"
#include "shared/zip.h"
#include "vuln/vuln-import.h"

static const char *const format_names[VG_VULN_FORMAT__MAX] = {
	[VG_VULN_FORMAT_UNKNOWN] = "unknown",
	[VG_VULN_FORMAT_OSV_JSON] = "osv-json",
	[VG_VULN_FORMAT_OSV_ZIP] = "osv-zip",
	[VG_VULN_FORMAT_DEBIAN_TRACKER] = "debian-tracker-json",
	[VG_VULN_FORMAT_DEBIAN_LIST] = "debian-advisory-list",
	[VG_VULN_FORMAT_ALPINE_JSON] = "alpine-secdb-json",
	[VG_VULN_FORMAT_ALPINE_YAML] = "alpine-secdb-yaml",
};

const char *vg_vuln_format_to_string(enum vg_vuln_format f)
{
	if ((unsigned)f >= VG_VULN_FORMAT__MAX)
		return NULL;
	return format_names[f];
}

int vg_vuln_json_parse(const char *buf, size_t len, size_t max, const char *where, json_t **ret,
		       char *err, size_t errsize)
{
	json_error_t jerr;
	unsigned line = 0, col = 0;
	json_t *root;

	if (len > max) {
		snprintf(err, errsize, "%s: %zu bytes of JSON (limit %zu)", where, len, max);
		return -E2BIG;
	}
	if (vg_json_depth_check(buf, len, VG_JSON_DEPTH_MAX, &line, &col) < 0) {
		snprintf(err, errsize, "%s: line %u col %u: JSON nested deeper than %d", where,
			 line, col, VG_JSON_DEPTH_MAX);
		return -E2BIG;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root) {
		snprintf(err, errsize, "%s: line %d col %d: invalid JSON: %s", where, jerr.line,
			 jerr.column, jerr.text);
		return json_error_code(&jerr) == json_error_out_of_memory ? -ENOMEM : -EBADMSG;
	}
	*ret = root;
	return 0;
}

static bool looks_like_list_header(const char *p, size_t n)
{
	return n >= 13 && p[0] == '[' && isdigit((unsigned char)p[1]) &&
	       isdigit((unsigned char)p[2]) && p[3] == ' ' && isalpha((unsigned char)p[4]) &&
	       p[7] == ' ' && isdigit((unsigned char)p[8]) && p[12] == ']';
}

static bool contains(const char *buf, size_t len, const char *needle)
{
	return memmem(buf, len, needle, strlen(needle)) != NULL;
}

enum vg_vuln_format vg_vuln_format_detect(const char *buf, size_t len)
{
	size_t head = len < 65536 ? len : 65536, i = 0;

	if (len >= 4 && memcmp(buf, "PK", 2) == 0 &&
	    ((buf[2] == 3 && buf[3] == 4) || (buf[2] == 5 && buf[3] == 6)))
		return VG_VULN_FORMAT_OSV_ZIP;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < head && isspace((unsigned char)buf[i]))
		i++;
	if (i == head)
		return VG_VULN_FORMAT_UNKNOWN;
	if (looks_like_list_header(buf + i, len - i))
		return VG_VULN_FORMAT_DEBIAN_LIST;
	if (buf[i] == '[')
		return VG_VULN_FORMAT_OSV_JSON;
	if (buf[i] == '{') {
		const char *k = buf + i + 1, *e = buf + head;

		if (contains(buf, head, "\"distroversion\"") && contains(buf, head, "\"packages\""))
			return VG_VULN_FORMAT_ALPINE_JSON;
		while (k < e && isspace((unsigned char)*k))
			k++;
		/* the first key: OSV records start with their own fields, the tracker export
		 * with a source package name */
		static const char *const osv_keys[] = {
			"\"id\"",	 "\"schema_version\"", "\"modified\"",
			"\"published\"", "\"aliases\"",	       "\"summary\"",
			"\"details\"",	 "\"withdrawn\"",      "\"affected\""};
		for (size_t j = 0; j < sizeof(osv_keys) / sizeof(osv_keys[0]); j++) {
			size_t n = strlen(osv_keys[j]);

			if ((size_t)(e - k) >= n && memcmp(k, osv_keys[j], n) == 0)
				return VG_VULN_FORMAT_OSV_JSON;
		}
		if (contains(buf, head, "\"releases\""))
			return VG_VULN_FORMAT_DEBIAN_TRACKER;
		return VG_VULN_FORMAT_OSV_JSON;
	}
	if ((contains(buf, head, "distroversion:") || contains(buf, head, "\ndistroversion:")) &&
	    contains(buf, len, "packages:"))
		return VG_VULN_FORMAT_ALPINE_YAML;
	return VG_VULN_FORMAT_UNKNOWN;
}

static const char *base_name(const char *path, char *buf, size_t size)
{
	size_t n = strlen(path);
	const char *s;

	while (n > 1 && path[n - 1] == '/')
		n--;
	s = path + n;
	while (s > path && s[-1] != '/')
		s--;
	snprintf(buf, size, "%.*s", (int)(path + n - s), s);
	return buf;
}

/* The file's content: mapped for zips (vg_zip_open_file), read for the others. */
static int import_file(struct vg_vuln_db *db, const char *path,
		       const struct vg_vuln_import_options *opts, struct vg_vuln_import_result *res,
		       char *err, size_t errsize)
{
	cleanup_free char *buf = NULL;
	struct vg_vuln_import *imp = NULL;
	char name[VG_VULN_NAME_MAX], tmp[VG_VULN_NAME_MAX], base[256];
	struct vg_zip z = {};
	bool mapped = false;
	size_t len = 0;
	int r;

	/* a peek decides how to read */
	{
		cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
		char head[4];
		ssize_t n;

		if (fd < 0) {
			snprintf(err, errsize, "%s: %s", path, strerror(errno));
			return -errno;
		}
		n = read(fd, head, sizeof(head));
		if (n == 4 && memcmp(head, "PK", 2) == 0) {
			r = vg_zip_open_file(&z, path);
			if (r < 0) {
				snprintf(err, errsize, "%s: not a valid ZIP archive: %s", path,
					 strerror(-r));
				return r;
			}
			mapped = true;
		}
	}
	if (mapped) {
		res->format = VG_VULN_FORMAT_OSV_ZIP;
	} else {
		r = vg_read_file(path, VG_VULN_FEED_MAX, &buf, &len);
		if (r < 0) {
			snprintf(err, errsize, "%s: %s%s", path, strerror(-r),
				 r == -E2BIG ? " (feed file larger than the limit)" : "");
			return r;
		}
		res->format = vg_vuln_format_detect(buf, len);
		if (res->format == VG_VULN_FORMAT_UNKNOWN) {
			snprintf(err, errsize,
				 "%s: unknown format (expected OSV JSON or all.zip, Debian tracker "
				 "JSON, a DSA/DLA list or an Alpine secdb)",
				 path);
			return -EMEDIUMTYPE;
		}
	}
	snprintf(tmp, sizeof(tmp), "importing:%d", (int)getpid());
	r = vg_vuln_import_begin(db, tmp,
				 res->format == VG_VULN_FORMAT_DEBIAN_LIST ||
						 res->format == VG_VULN_FORMAT_DEBIAN_TRACKER
					 ? "debian"
				 : res->format == VG_VULN_FORMAT_ALPINE_JSON ||
						 res->format == VG_VULN_FORMAT_ALPINE_YAML
					 ? "alpine-secdb"
					 : "osv",
				 opts && opts->origin ? opts->origin : path, &imp, err, errsize);
	if (r < 0)
		goto out;
	base_name(path, base, sizeof(base));
	switch (res->format) {
	case VG_VULN_FORMAT_OSV_ZIP: {
		char eco[128];

		r = vg_vuln_import_osv_zip(imp, z.data, z.size, path, eco, sizeof(eco), err,
					   errsize);
		if (eco[0])
			snprintf(name, sizeof(name), "osv:%s", eco);
		else
			snprintf(name, sizeof(name), "osv:zip:%s", base);
		break;
	}
	case VG_VULN_FORMAT_OSV_JSON:
		r = vg_vuln_import_osv_json(imp, buf, len, path, err, errsize);
		snprintf(name, sizeof(name), "osv:file:%s", base);
		break;
	case VG_VULN_FORMAT_DEBIAN_TRACKER:
		r = vg_vuln_import_debian_tracker(imp, buf, len, path, err, errsize);
		snprintf(name, sizeof(name), "debian-tracker");
		break;
	case VG_VULN_FORMAT_DEBIAN_LIST: {
		char kind[4];

		r = vg_vuln_import_debian_list(imp, buf, len, path, kind, err, errsize);
		snprintf(name, sizeof(name), "debian-%s", kind[0] ? kind : "list");
		for (char *s = name; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		break;
	}
	case VG_VULN_FORMAT_ALPINE_JSON:
	case VG_VULN_FORMAT_ALPINE_YAML: {
		char rel[128] = "";

		r = vg_vuln_import_alpine(imp, buf, len, res->format == VG_VULN_FORMAT_ALPINE_YAML,
					  path, rel, sizeof(rel), err, errsize);
		snprintf(name, sizeof(name), "alpine-secdb:%s", rel);
		break;
	}
	default:
		r = -EMEDIUMTYPE;
		break;
	}
	if (r < 0)
		goto out;
	if (opts && opts->source_name)
		snprintf(name, sizeof(name), "%s", opts->source_name);
	r = vg_vuln_import_set_name(imp, name);
	if (r < 0) {
		snprintf(err, errsize, "%s: cannot name the source: %s", path, strerror(-r));
		goto out;
	}
	if (!imp->data_date && opts && opts->fallback_date)
		vg_vuln_import_note_date(imp, opts->fallback_date);
	res->stats = imp->stats;
	snprintf(res->source, sizeof(res->source), "%s", name);
	r = vg_vuln_import_commit(TAKE_PTR(imp), err, errsize);
out:
	vg_vuln_import_abort(imp);
	if (mapped)
		vg_zip_close(&z);
	return r;
}

struct dir_file {
	char *path;
	enum vg_vuln_format format;
};

static int dir_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dir_file *)a)->path, ((const struct dir_file *)b)->path);
}

struct dir_walk {
	struct dir_file *files;
	size_t n, visited;
};

static int walk(struct dir_walk *w, const char *dir, unsigned depth, char *err, size_t errsize)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (depth > VG_VULN_DIR_DEPTH_MAX) {
		snprintf(err, errsize, "%s: directories nested deeper than %d", dir,
			 VG_VULN_DIR_DEPTH_MAX);
		return -E2BIG;
	}
	d = opendir(dir);
	if (!d) {
		snprintf(err, errsize, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		cleanup_free char *p = NULL;
		struct stat st;

		if (de->d_name[0] == '.')
			continue; /* ., .., hidden files (.git) */
		if (++w->visited > VG_VULN_DIR_FILES_MAX) {
			snprintf(err, errsize, "%s: more than %d files", dir,
				 VG_VULN_DIR_FILES_MAX);
			r = -E2BIG;
			break;
		}
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		if (lstat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			r = walk(w, p, depth + 1, err, errsize);
			if (r < 0)
				break;
		} else if (S_ISREG(st.st_mode)) {
			struct dir_file *n;
			char head[65536];
			cleanup_close int fd = open(p, O_RDONLY | O_CLOEXEC);
			ssize_t len;
			enum vg_vuln_format f;

			if (fd < 0)
				continue;
			len = read(fd, head, sizeof(head));
			if (len <= 0)
				continue;
			f = vg_vuln_format_detect(head, (size_t)len);
			if (f == VG_VULN_FORMAT_UNKNOWN)
				continue; /* READMEs, licences, scripts */
			/* in a directory, only JSON files that look like OSV records are taken
			 * as such (other JSON, e.g. a seccomp profile, is not a feed) */
			if (f == VG_VULN_FORMAT_OSV_JSON &&
			    (!vg_endswith(p, ".json") || !memmem(head, (size_t)len, "\"id\"", 4) ||
			     !(memmem(head, (size_t)len, "\"modified\"", 10) ||
			       memmem(head, (size_t)len, "\"affected\"", 10) ||
			       memmem(head, (size_t)len, "\"schema_version\"", 16))))
				continue;
			n = reallocarray(w->files, w->n + 1, sizeof(*n));
			if (!n) {
				r = -ENOMEM;
				break;
			}
			w->files = n;
			w->files[w->n].path = TAKE_PTR(p);
			w->files[w->n].format = f;
			w->n++;
		}
	}
	closedir(d);
	return r;
}

static int import_osv_files(struct vg_vuln_db *db, const char *dir, struct dir_walk *w,
			    const struct vg_vuln_import_options *opts,
			    struct vg_vuln_import_result *res, char *err, size_t errsize)
{
	struct vg_vuln_import *imp = NULL;
	char name[VG_VULN_NAME_MAX], base[256];
	int r;

	if (opts && opts->source_name)
		snprintf(name, sizeof(name), "%s", opts->source_name);
	else
		snprintf(name, sizeof(name), "osv:dir:%s", base_name(dir, base, sizeof(base)));
	r = vg_vuln_import_begin(db, name, "osv", opts && opts->origin ? opts->origin : dir, &imp,
				 err, errsize);
	if (r < 0)
		return r;
	for (size_t i = 0; i < w->n; i++) {
		cleanup_free char *buf = NULL;
		size_t len;

		if (w->files[i].format != VG_VULN_FORMAT_OSV_JSON)
			continue;
		r = vg_read_file(w->files[i].path, VG_VULN_FEED_MAX, &buf, &len);
		if (r < 0) {
			snprintf(err, errsize, "%s: %s", w->files[i].path, strerror(-r));
			goto fail;
		}
		r = vg_vuln_import_osv_json(imp, buf, len, w->files[i].path, err, errsize);
		if (r < 0)
			goto fail;
	}
	if (!imp->data_date && opts && opts->fallback_date)
		vg_vuln_import_note_date(imp, opts->fallback_date);
	res->format = VG_VULN_FORMAT_OSV_JSON;
	res->stats = imp->stats;
	snprintf(res->source, sizeof(res->source), "%s", name);
	return vg_vuln_import_commit(imp, err, errsize);
fail:
	vg_vuln_import_abort(imp);
	return r;
}

/* The final counts live in the sources row: read them into the result. */
static void read_counts(struct vg_vuln_db *db, struct vg_vuln_import_result *res)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(
		    db->sql, "SELECT vulns, affected, ids, withdrawn FROM sources WHERE name = ?1",
		    -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, res->source, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		res->stats.vulns = (uint64_t)sqlite3_column_int64(st, 0);
		res->stats.affected = (uint64_t)sqlite3_column_int64(st, 1);
		res->stats.ids = (uint64_t)sqlite3_column_int64(st, 2);
		res->stats.withdrawn = (uint64_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
}

int vg_vuln_import_path(struct vg_vuln_db *db, const char *path,
			const struct vg_vuln_import_options *opts,
			struct vg_vuln_import_result *results, size_t max_results, size_t *ret_n,
			char *err, size_t errsize)
{
	struct dir_walk w = {};
	struct stat st;
	size_t n_sources = 0, n_out = 0;
	bool have_osv = false;
	int r = 0;

	*ret_n = 0;
	if (stat(path, &st) < 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (max_results < 1)
			return -E2BIG;
		r = import_file(db, path, opts, &results[0], err, errsize);
		if (r < 0)
			return r;
		read_counts(db, &results[0]);
		*ret_n = 1;
		return 0;
	}
	r = walk(&w, path, 0, err, errsize);
	if (r < 0)
		goto out;
	qsort(w.files, w.n, sizeof(*w.files), dir_file_cmp);
	for (size_t i = 0; i < w.n; i++) {
		if (w.files[i].format == VG_VULN_FORMAT_OSV_JSON)
			have_osv = true;
		else
			n_sources++;
	}
	n_sources += have_osv;
	if (n_sources == 0) {
		snprintf(err, errsize, "%s: no vulnerability feed found in this directory", path);
		r = -ENOENT;
		goto out;
	}
	if (n_sources > max_results) {
		snprintf(err, errsize, "%s: %zu sources in one directory (limit %zu)", path,
			 n_sources, max_results);
		r = -E2BIG;
		goto out;
	}
	if (opts && opts->source_name && n_sources > 1) {
		snprintf(err, errsize, "%s: a source name cannot be given to %zu sources", path,
			 n_sources);
		r = -EINVAL;
		goto out;
	}
	for (size_t i = 0; i < w.n; i++) {
		if (w.files[i].format == VG_VULN_FORMAT_OSV_JSON)
			continue;
		r = import_file(db, w.files[i].path, opts, &results[n_out], err, errsize);
		if (r < 0)
			goto out;
		read_counts(db, &results[n_out]);
		n_out++;
	}
	if (have_osv) {
		r = import_osv_files(db, path, &w, opts, &results[n_out], err, errsize);
		if (r < 0)
			goto out;
		read_counts(db, &results[n_out]);
		n_out++;
	}
out:
	*ret_n = n_out;
	for (size_t i = 0; i < w.n; i++)
		free(w.files[i].path);
	free(w.files);
	return r;
}
