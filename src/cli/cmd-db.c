/* SPDX-License-Identifier: Apache-2.0 */
/* vigil db: import feeds into the vulnerability database, show it, update it, match with it. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/log.h"
#include "basic/parse-util.h"
#include "basic/string-util.h"
#include "cli/commands.h"
#include "inventory/package.h"
#include "report/sbom.h"
#include "shared/http-fetch.h"
#include "vuln/db.h"
#include "vuln/match.h"
#include "vuln/vuln-import.h"

int vg_cmd_db(int argc, char **argv);

/* The official feeds `vigil db update` downloads by default: OSV per-ecosystem archives
 * (gs://osv-vulnerabilities, served over HTTPS) and Debian's own advisory lists. */
static const char *const default_feeds[] = {
	"https://osv-vulnerabilities.storage.googleapis.com/Alpine/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/RubyGems/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip",
	"https://security-tracker.debian.org/tracker/data/json",
};

static void db_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil db COMMAND [OPTIONS]\n\n"
		"The vulnerability database (SQLite). Default file: $XDG_DATA_HOME/vigil/vuln.db\n"
		"(~/.local/share/vigil/vuln.db).\n\n"
		"Commands:\n"
		"  import PATH...   import feeds (format detected): OSV JSON files, directories and\n"
		"                   all.zip archives, the Debian tracker JSON, DSA/DLA lists, Alpine\n"
		"                   secdb JSON/YAML; each source replaces its previous import\n"
		"  info             schema version, sources, their dates and record counts\n"
		"  update           download the feeds over HTTPS (resumed, verified) and import them\n"
		"  match            match packages against the database (for checks and scripts)\n\n"
		"Options:\n"
		"  --db PATH          database file\n"
		"  --name NAME        (import) source name instead of the derived one\n"
		"  --url URL          (update) a feed URL; repeatable; replaces the default list\n"
		"  --feeds FILE       (update) feed list: \"URL [sha256=HEX] [size=N]\" per line\n"
		"                     (default: $XDG_CONFIG_HOME/vigil/feeds when present)\n"
		"  --cache DIR        (update) download directory ($XDG_CACHE_HOME/vigil/feeds)\n"
		"  --timeout SECONDS  (update) per-feed transfer timeout (default 1800)\n"
		"  --format table|json  (info, match) output format\n"
		"  --os ID:VERSION    (match) the OS of the packages: debian:12, alpine:3.10.4\n"
		"  --packages FILE    (match) lines \"TYPE NAME VERSION [SOURCE [SOURCE_VERSION]]\"\n"
		"                     (TYPE: deb apk golang npm pypi maven gem cargo composer)\n"
		"  --all              (match) also show Debian \"unimportant\" findings\n"
		"  --max-age DAYS     (match) warn when the data is older (default %d)\n"
		"  -h, --help         show this help\n\n"
		"match takes a TARGET (as vigil sbom does) or --packages.\n",
		VG_VULN_DB_MAX_AGE_DAYS);
}

struct db_args {
	const char *db, *name, *feeds, *cache, *os, *packages;
	const char **urls;
	size_t n_urls;
	unsigned timeout;
	bool json, all;
	uint64_t max_age;
};

static int open_db(const struct db_args *a, bool writable, struct vg_vuln_db **ret)
{
	cleanup_free char *def = NULL;
	char err[1024] = "";
	const char *path = a->db;
	int r;

	if (!path) {
		r = vg_vuln_db_default_path(&def);
		if (r < 0) {
			log_error("No database path: set XDG_DATA_HOME or HOME, or use --db PATH.");
			return r;
		}
		path = def;
	}
	r = vg_vuln_db_open(path, writable, ret, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOENT && !writable)
			log_error(
				"%s: no vulnerability database: run 'vigil db update' or 'vigil db "
				"import FEED...' first.",
				path);
		else
			log_error_errno(r, "%s", err[0] ? err : strerror(-r));
	}
	return r;
}

static void print_result(const char *path, const struct vg_vuln_import_result *res)
{
	printf("%s: source %s (%s): %llu vulnerabilities, %llu affected entries, %llu ids, "
	       "%llu withdrawn, %llu skipped\n",
	       path, res->source, vg_vuln_format_to_string(res->format),
	       (unsigned long long)res->stats.vulns, (unsigned long long)res->stats.affected,
	       (unsigned long long)res->stats.ids, (unsigned long long)res->stats.withdrawn,
	       (unsigned long long)res->stats.skipped);
}

static int import_one(struct vg_vuln_db *db, const char *path,
		      const struct vg_vuln_import_options *opts)
{
	struct vg_vuln_import_result *res;
	size_t n = 0;
	char err[2048] = "";
	int r;

	res = calloc(VG_VULN_FEEDS_MAX, sizeof(*res));
	if (!res)
		return log_error_errno(-ENOMEM, "Out of memory");
	r = vg_vuln_import_path(db, path, opts, res, VG_VULN_FEEDS_MAX, &n, err, sizeof(err));
	for (size_t i = 0; i < n; i++)
		print_result(path, &res[i]);
	if (r < 0)
		log_error_errno(r, "Import failed, nothing of it kept: %s",
				err[0] ? err : strerror(-r));
	free(res);
	return r;
}

static int cmd_import(const struct db_args *a, int argc, char **argv)
{
	cleanup_vuln_db struct vg_vuln_db *db = NULL;
	struct vg_vuln_import_options opts = {.source_name = a->name};
	int r, ret = 0;

	if (argc == 0) {
		log_error("vigil db import: give at least one PATH.");
		return 2;
	}
	if (a->name && argc > 1) {
		log_error("--name applies to one PATH only.");
		return 2;
	}
	if (open_db(a, true, &db) < 0)
		return 1;
	for (int i = 0; i < argc; i++) {
		r = import_one(db, argv[i], &opts);
		if (r < 0)
			ret = 1;
	}
	return ret;
}

static int cmd_info(const struct db_args *a)
{
	cleanup_vuln_db struct vg_vuln_db *db = NULL;
	struct vg_vuln_db_info info;
	int64_t age = -1;
	int r;

	if (open_db(a, false, &db) < 0)
		return 1;
	r = vg_vuln_db_get_info(db, &info);
	if (r < 0)
		return log_error_errno(r, "%s: cannot read the database: %m", db->path), 1;
	if (vg_vuln_db_age_days(db, time(NULL), &age) < 0)
		age = -1;
	if (a->json) {
		json_t *root = json_object(), *srcs = json_array();

		json_object_set_new(root, "path", json_string(db->path));
		json_object_set_new(root, "schema_version", json_integer(info.schema_version));
		json_object_set_new(root, "created", json_string(info.created ? info.created : ""));
		json_object_set_new(root, "built", json_string(info.built ? info.built : ""));
		json_object_set_new(root, "vigil_version",
				    json_string(info.vigil_version ? info.vigil_version : ""));
		json_object_set_new(root, "vulnerabilities", json_integer(info.vulns));
		json_object_set_new(root, "affected", json_integer(info.affected));
		json_object_set_new(root, "ids", json_integer(info.ids));
		json_object_set_new(root, "age_days", age >= 0 ? json_integer(age) : json_null());
		for (size_t i = 0; i < info.n_sources; i++) {
			struct vg_vuln_source_info *s = &info.sources[i];

			json_array_append_new(
				srcs,
				json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:I, s:I, s:I, s:I}", "name",
					  s->name, "kind", s->kind, "origin", s->origin,
					  "data_date", s->data_date, "imported", s->imported,
					  "vulnerabilities", (json_int_t)s->vulns, "affected",
					  (json_int_t)s->affected, "ids", (json_int_t)s->ids,
					  "withdrawn", (json_int_t)s->withdrawn));
		}
		json_object_set_new(root, "sources", srcs);
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', stdout);
		json_decref(root);
	} else {
		printf("Database:        %s\n", db->path);
		printf("Schema version:  %d\n", info.schema_version);
		printf("Created:         %s\n", info.created ? info.created : "-");
		printf("Built:           %s (last import, vigil %s)\n",
		       info.built ? info.built : "-",
		       info.vigil_version ? info.vigil_version : "?");
		if (age >= 0)
			printf("Data age:        %lld days (oldest source)\n", (long long)age);
		printf("Records:         %lld vulnerabilities, %lld affected entries, %lld ids\n\n",
		       (long long)info.vulns, (long long)info.affected, (long long)info.ids);
		printf("%-32s %-14s %-20s %-20s %8s %9s %9s\n", "SOURCE", "KIND", "DATA DATE",
		       "IMPORTED", "VULNS", "AFFECTED", "WITHDRAWN");
		for (size_t i = 0; i < info.n_sources; i++) {
			struct vg_vuln_source_info *s = &info.sources[i];

			printf("%-32s %-14s %-20s %-20s %8lld %9lld %9lld\n", s->name, s->kind,
			       s->data_date ? s->data_date : "-", s->imported, (long long)s->vulns,
			       (long long)s->affected, (long long)s->withdrawn);
		}
	}
	vg_vuln_db_info_done(&info);
	return 0;
}

/* ---- update ---- */

struct feed {
	char *url;
	char *sha256;
	uint64_t size;
};

static int read_feeds(const char *path, struct feed **ret, size_t *ret_n, bool must_exist)
{
	cleanup_free char *buf = NULL;
	struct feed *feeds = NULL;
	size_t len, n = 0;
	unsigned line = 0;
	char *save = NULL, *l;
	int r;

	r = vg_read_file(path, 1024 * 1024, &buf, &len);
	if (r == -ENOENT && !must_exist)
		return 0;
	if (r < 0)
		return log_error_errno(r, "%s: %m", path);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2 = NULL;
		struct feed f = {};

		line++;
		tok = strtok_r(l, " \t\r", &s2);
		if (!tok || tok[0] == '#')
			continue;
		if (!vg_http_url_allowed(tok)) {
			log_error("%s:%u: '%s': only https:// URLs (http:// to loopback)", path,
				  line, tok);
			goto fail;
		}
		f.url = strdup(tok);
		while ((tok = strtok_r(NULL, " \t\r", &s2))) {
			if (strncmp(tok, "sha256=", 7) == 0 && strlen(tok + 7) == 64 &&
			    vg_is_hex(tok + 7, 64))
				f.sha256 = strdup(tok + 7);
			else if (strncmp(tok, "size=", 5) == 0 &&
				 vg_safe_atou64(tok + 5, &f.size) >= 0)
				;
			else {
				log_error("%s:%u: unknown field '%s' (sha256=HEX, size=N)", path,
					  line, tok);
				free(f.url);
				free(f.sha256);
				goto fail;
			}
		}
		if (n >= VG_VULN_FEEDS_MAX) {
			log_error("%s: more than %d feeds", path, VG_VULN_FEEDS_MAX);
			free(f.url);
			free(f.sha256);
			goto fail;
		}
		{
			struct feed *nf = f.url ? reallocarray(feeds, n + 1, sizeof(*feeds)) : NULL;

			if (!nf) {
				free(f.url);
				free(f.sha256);
				log_error_errno(-ENOMEM, "Out of memory");
				goto fail;
			}
			feeds = nf;
		}
		feeds[n++] = f;
	}
	*ret = feeds;
	*ret_n = n;
	return 1;
fail:
	for (size_t i = 0; i < n; i++) {
		free(feeds[i].url);
		free(feeds[i].sha256);
	}
	free(feeds);
	return -EINVAL;
}

/* "https://host/Go/all.zip" -> "Go-all.zip" (letters, digits, . _ - only). */
static void cache_name(const char *url, char *buf, size_t size)
{
	const char *p = strstr(url, "://"), *q;
	size_t o = 0;

	p = p ? p + 3 : url;
	q = strchr(p, '/');
	p = q ? q + 1 : "feed";
	for (; *p && *p != '?' && *p != '#' && o + 1 < size; p++) {
		char c = *p;

		if (c == '/')
			c = '-';
		else if (!isalnum((unsigned char)c) && c != '.' && c != '_' && c != '-')
			c = '_';
		buf[o++] = c;
	}
	if (o == 0 || (o == 1 && buf[0] == '.'))
		o = (size_t)snprintf(buf, size, "feed");
	buf[o] = '\0';
}

static int cmd_update(const struct db_args *a)
{
	cleanup_vuln_db struct vg_vuln_db *db = NULL;
	cleanup_free char *cache = NULL, *cfg = NULL;
	struct feed *feeds = NULL;
	size_t n = 0;
	int r, ret = 0;

	if (a->n_urls) {
		feeds = calloc(a->n_urls, sizeof(*feeds));
		if (!feeds)
			return 1;
		for (size_t i = 0; i < a->n_urls; i++) {
			if (!vg_http_url_allowed(a->urls[i])) {
				log_error("--url '%s': only https:// URLs (http:// to loopback)",
					  a->urls[i]);
				ret = 2;
				goto out;
			}
			feeds[n++].url = strdup(a->urls[i]);
		}
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

		if (a->feeds)
			r = read_feeds(a->feeds, &feeds, &n, true);
		else {
			if (xdg && xdg[0] == '/')
				r = asprintf(&cfg, "%s/vigil/feeds", xdg);
			else if (home && home[0] == '/')
				r = asprintf(&cfg, "%s/.config/vigil/feeds", home);
			else
				r = 0;
			r = r < 0 ? -ENOMEM : cfg ? read_feeds(cfg, &feeds, &n, false) : 0;
		}
		if (r < 0)
			return 1;
		if (r == 0) {
			feeds = calloc(VG_ARRAY_SIZE(default_feeds), sizeof(*feeds));
			if (!feeds)
				return 1;
			for (size_t i = 0; i < VG_ARRAY_SIZE(default_feeds); i++)
				feeds[n++].url = strdup(default_feeds[i]);
		}
	}
	if (a->cache)
		cache = strdup(a->cache);
	else {
		const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

		if (xdg && xdg[0] == '/')
			r = asprintf(&cache, "%s/vigil/feeds", xdg);
		else if (home && home[0] == '/')
			r = asprintf(&cache, "%s/.cache/vigil/feeds", home);
		else
			r = asprintf(&cache, "/var/cache/vigil/feeds");
		if (r < 0)
			cache = NULL;
	}
	if (!cache) {
		log_error_errno(-ENOMEM, "Out of memory");
		ret = 1;
		goto out;
	}
	{
		char tmp[VG_PATH_MAX];

		snprintf(tmp, sizeof(tmp), "%s/", cache);
		for (char *s = tmp + 1; *s; s++)
			if (*s == '/') {
				*s = '\0';
				if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
					log_error_errno(-errno, "%s: %m", tmp);
					ret = 1;
					goto out;
				}
				*s = '/';
			}
	}
	if (open_db(a, true, &db) < 0) {
		ret = 1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct vg_http_fetch_result res = {};
		struct vg_vuln_import_options opts = {.origin = feeds[i].url};
		char name[256], dest[VG_PATH_MAX], err[1024] = "", date[32];

		cache_name(feeds[i].url, name, sizeof(name));
		snprintf(dest, sizeof(dest), "%s/%s", cache, name);
		log_info("Downloading %s", feeds[i].url);
		r = vg_http_fetch(
			&(struct vg_http_fetch_options){.url = feeds[i].url,
							.dest = dest,
							.expected_size = feeds[i].size,
							.expected_sha256 = feeds[i].sha256,
							.timeout_s = a->timeout},
			&res, err, sizeof(err));
		if (r < 0) {
			log_error_errno(r,
					"Download failed (the database keeps the previous data "
					"of this feed): %s",
					err);
			ret = 1;
			continue;
		}
		printf("%s: %llu bytes%s, sha256 %s\n", feeds[i].url, (unsigned long long)res.size,
		       res.resumed_from ? " (resumed)" : "", res.sha256);
		if (res.last_modified > 0) {
			vg_vuln_format_iso8601((time_t)res.last_modified, date, sizeof(date));
			opts.fallback_date = date;
		}
		/* the import is the parse check: a feed that does not parse leaves the
		 * database's previous records of that source untouched */
		if (import_one(db, dest, &opts) < 0)
			ret = 1;
	}
out:
	for (size_t i = 0; i < n; i++) {
		free(feeds[i].url);
		free(feeds[i].sha256);
	}
	free(feeds);
	return ret;
}

/* ---- match ---- */

static int parse_type(const char *s)
{
	for (int e = 0; e < VG_ECOSYSTEM__MAX; e++)
		if (vg_ecosystem_to_string(e) && strcmp(vg_ecosystem_to_string(e), s) == 0)
			return e;
	return -EINVAL;
}

static int read_packages(const char *path, struct vg_vec *list, struct vg_arena *arena)
{
	cleanup_free char *buf = NULL;
	size_t len;
	unsigned line = 0;
	char *save = NULL, *l;
	int r;

	r = vg_read_file(path, VG_INV_DB_MAX, &buf, &len);
	if (r < 0)
		return log_error_errno(r, "%s: %m", path);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *f[5] = {}, *s2 = NULL;
		struct vg_package p = {.layer = -1};
		int n = 0, e;

		line++;
		for (char *t = strtok_r(l, " \t\r", &s2); t && n < 5;
		     t = strtok_r(NULL, " \t\r", &s2))
			f[n++] = t;
		if (n == 0 || f[0][0] == '#')
			continue;
		if (n < 3 || (e = parse_type(f[0])) < 0) {
			log_error("%s:%u: expected \"TYPE NAME VERSION [SOURCE [SOURCE_VERSION]]\"",
				  path, line);
			return -EINVAL;
		}
		p.ecosystem = (enum vg_ecosystem)e;
		p.name = vg_arena_strdup(arena, f[1]);
		p.version = vg_arena_strdup(arena, f[2]);
		p.source_name = f[3] ? vg_arena_strdup(arena, f[3]) : p.name;
		p.source_version = f[4] ? vg_arena_strdup(arena, f[4]) : NULL;
		if (vg_arena_error(arena))
			return vg_arena_error(arena);
		r = vg_vec_push(list, &p);
		if (r < 0)
			return log_error_errno(r, "%s: too many packages", path);
	}
	return 0;
}

static json_t *strv_json(const char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int cmd_match(const struct db_args *a, int argc, char **argv)
{
	cleanup_vuln_db struct vg_vuln_db *db = NULL;
	struct vg_vuln_findings fs;
	struct vg_vuln_match_options mo = {.show_unimportant = a->all};
	struct vg_sbom sb;
	struct vg_os os = {};
	const struct vg_os *osp = NULL;
	struct vg_vec *pkgs;
	char err[1024] = "";
	int64_t age;
	int r, ret = 0;

	if ((argc == 1) == (a->packages != NULL)) {
		log_error("vigil db match: give a TARGET or --packages FILE.");
		return 2;
	}
	if (open_db(a, false, &db) < 0)
		return 1;
	if (vg_vuln_db_age_days(db, time(NULL), &age) >= 0 && (uint64_t)age > a->max_age)
		log_warning(
			"The vulnerability data is %lld days old (more than %llu): run 'vigil db "
			"update'.",
			(long long)age, (unsigned long long)a->max_age);
	vg_sbom_init(&sb);
	vg_vuln_findings_init(&fs);
	if (a->packages) {
		r = read_packages(a->packages, &sb.packages, &sb.arena);
		if (r < 0) {
			ret = 1;
			goto out;
		}
		pkgs = &sb.packages;
	} else {
		r = vg_sbom_scan(&sb, argv[0], NULL, err, sizeof(err));
		if (r < 0) {
			log_error_errno(r, "Cannot read '%s': %s", argv[0],
					err[0] ? err : strerror(-r));
			ret = 1;
			goto out;
		}
		pkgs = &sb.packages;
		if (sb.has_os) {
			os = sb.os;
			osp = &os;
		}
	}
	if (a->os) {
		const char *colon = strchr(a->os, ':');

		os = (struct vg_os){};
		if (!colon || colon == a->os || !colon[1]) {
			log_error("--os '%s': expected ID:VERSION (debian:12, alpine:3.10.4)",
				  a->os);
			ret = 2;
			goto out;
		}
		snprintf(os.id, sizeof(os.id), "%.*s", (int)(colon - a->os), a->os);
		snprintf(os.version_id, sizeof(os.version_id), "%s", colon + 1);
		osp = &os;
	}
	r = vg_vuln_match(db, osp, pkgs, &mo, &fs, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "%s", err);
		ret = 1;
		goto out;
	}
	if (a->json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < fs.items.len; i++) {
			const struct vg_vuln_finding *f = vg_vec_at(&fs.items, i);
			json_t *o = json_object();

			json_object_set_new(o, "package", json_string(f->package->name));
			json_object_set_new(o, "version", json_string(f->package->version));
			json_object_set_new(
				o, "type",
				json_string(vg_ecosystem_to_string(f->package->ecosystem)));
			json_object_set_new(o, "namespace", json_string(f->ns));
			json_object_set_new(o, "matched_name", json_string(f->matched_name));
			json_object_set_new(o, "matched_version", json_string(f->matched_version));
			json_object_set_new(o, "id", json_string(f->id));
			json_object_set_new(o, "ids", strv_json(f->ids, f->n_ids));
			json_object_set_new(o, "related", strv_json(f->related, f->n_related));
			json_object_set_new(o, "fix_state",
					    json_string(vg_vuln_fix_state_to_string(f->fix_state)));
			json_object_set_new(o, "fixed_version",
					    f->fixed_version ? json_string(f->fixed_version)
							     : json_null());
			json_object_set_new(o, "severity",
					    json_string(vg_vuln_severity_to_string(f->severity)));
			json_object_set_new(o, "urgency",
					    f->urgency ? json_string(f->urgency) : json_null());
			json_object_set_new(o, "unimportant", json_boolean(f->unimportant));
			json_object_set_new(o, "cvss_score",
					    f->cvss_score >= 0 ? json_real(f->cvss_score)
							       : json_null());
			json_object_set_new(o, "cvss_vector",
					    f->cvss_vector ? json_string(f->cvss_vector)
							   : json_null());
			json_object_set_new(o, "sources", strv_json(f->sources, f->n_sources));
			json_object_set_new(o, "title",
					    f->title ? json_string(f->title) : json_null());
			json_object_set_new(o, "urls", strv_json(f->urls, f->n_urls));
			json_array_append_new(arr, o);
		}
		json_dumpf(arr, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(arr);
	} else {
		printf("%-24s %-24s %-20s %-10s %-8s %-24s %s\n", "PACKAGE", "VERSION", "ID",
		       "SEVERITY", "CVSS", "FIXED IN", "TITLE");
		for (size_t i = 0; i < fs.items.len; i++) {
			const struct vg_vuln_finding *f = vg_vec_at(&fs.items, i);
			char cvss[16] = "-";

			if (f->cvss_score >= 0)
				snprintf(cvss, sizeof(cvss), "%.1f", f->cvss_score);
			printf("%-24s %-24s %-20s %-10s %-8s %-24s %s\n", f->package->name,
			       f->package->version, f->id, vg_vuln_severity_to_string(f->severity),
			       cvss,
			       f->fix_state == VG_VULN_FIX_FIXED
				       ? f->fixed_version
				       : vg_vuln_fix_state_to_string(f->fix_state),
			       f->title ? f->title : "");
		}
		printf("\n%zu findings in %zu packages", fs.items.len, pkgs->len);
		if (fs.n_hidden_unimportant)
			printf(", %zu \"unimportant\" hidden (--all shows them)",
			       fs.n_hidden_unimportant);
		printf("\n");
	}
out:
	vg_vuln_findings_done(&fs);
	vg_sbom_done(&sb);
	return ret;
}

int vg_cmd_db(int argc, char **argv)
{
	enum {
		OPT_DB = 256,
		OPT_NAME,
		OPT_URL,
		OPT_FEEDS,
		OPT_CACHE,
		OPT_TIMEOUT,
		OPT_FORMAT,
		OPT_OS,
		OPT_PACKAGES,
		OPT_ALL,
		OPT_MAX_AGE,
	};
	static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
					     {"name", required_argument, NULL, OPT_NAME},
					     {"url", required_argument, NULL, OPT_URL},
					     {"feeds", required_argument, NULL, OPT_FEEDS},
					     {"cache", required_argument, NULL, OPT_CACHE},
					     {"timeout", required_argument, NULL, OPT_TIMEOUT},
					     {"format", required_argument, NULL, OPT_FORMAT},
					     {"os", required_argument, NULL, OPT_OS},
					     {"packages", required_argument, NULL, OPT_PACKAGES},
					     {"all", no_argument, NULL, OPT_ALL},
					     {"max-age", required_argument, NULL, OPT_MAX_AGE},
					     {"help", no_argument, NULL, 'h'},
					     {}};
	struct db_args a = {.max_age = VG_VULN_DB_MAX_AGE_DAYS};
	const char *sub;
	int c, ret;
	uint32_t u;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		db_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	a.urls = calloc((size_t)argc, sizeof(*a.urls));
	if (!a.urls)
		return 1;
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
		switch (c) {
		case OPT_DB:
			a.db = optarg;
			break;
		case OPT_NAME:
			a.name = optarg;
			break;
		case OPT_URL:
			a.urls[a.n_urls++] = optarg;
			break;
		case OPT_FEEDS:
			a.feeds = optarg;
			break;
		case OPT_CACHE:
			a.cache = optarg;
			break;
		case OPT_TIMEOUT:
			if (vg_safe_atou32(optarg, &u) < 0 || u == 0) {
				log_error("Invalid --timeout '%s'.", optarg);
				free(a.urls);
				return 2;
			}
			a.timeout = u;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				a.json = true;
			else if (strcmp(optarg, "table") != 0) {
				log_error("Unknown --format '%s': use table or json.", optarg);
				free(a.urls);
				return 2;
			}
			break;
		case OPT_OS:
			a.os = optarg;
			break;
		case OPT_PACKAGES:
			a.packages = optarg;
			break;
		case OPT_ALL:
			a.all = true;
			break;
		case OPT_MAX_AGE:
			if (vg_safe_atou64(optarg, &a.max_age) < 0) {
				log_error("Invalid --max-age '%s'.", optarg);
				free(a.urls);
				return 2;
			}
			break;
		case 'h':
			db_usage(stdout);
			free(a.urls);
			return 0;
		default:
			db_usage(stderr);
			free(a.urls);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(sub, "import") == 0)
		ret = cmd_import(&a, argc, argv);
	else if (strcmp(sub, "info") == 0 && argc == 0)
		ret = cmd_info(&a);
	else if (strcmp(sub, "update") == 0 && argc == 0)
		ret = cmd_update(&a);
	else if (strcmp(sub, "match") == 0 && argc <= 1)
		ret = cmd_match(&a, argc, argv);
	else {
		db_usage(stderr);
		ret = 2;
	}
	free(a.urls);
	return ret;
}
