/* SPDX-License-Identifier: Apache-2.0 */
/* OSV importer: records, ranges (sorted events), aliases, withdrawn, hostile input, zips
 * built at run time, and golang/vulndb's Go-all.zip from the shared data folder. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../shared/zip-writer.h"
#include "basic/fileio.h"
#include "tap.h"
#include "vuln/db.h"
#include "vuln/vuln-import.h"

static struct vg_vuln_db *fresh_db(void)
{
	static int n;
	char p[128], err[256];
	struct vg_vuln_db *db;

	snprintf(p, sizeof(p), "/tmp/vg-test-osv-%d-%d.db", (int)getpid(), n++);
	unlink(p);
	if (vg_vuln_db_open(p, true, &db, err, sizeof(err)) < 0)
		abort();
	unlink(p); /* the open handle keeps it */
	return db;
}

static long long q(struct vg_vuln_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *qs(struct vg_vuln_db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static int import_json(struct vg_vuln_db *db, const char *json, char *err, size_t errsize)
{
	struct vg_vuln_import *imp;
	int r = vg_vuln_import_begin(db, "t", "osv", NULL, &imp, err, errsize);

	if (r < 0)
		return r;
	r = vg_vuln_import_osv_json(imp, json, strlen(json), "input.json", err, errsize);
	if (r < 0) {
		vg_vuln_import_abort(imp);
		return r;
	}
	return vg_vuln_import_commit(imp, err, errsize);
}

static const char record[] =
	"{\"schema_version\":\"1.6.0\",\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-05-01T00:00:00Z\","
	"\"published\":\"2024-04-01T00:00:00Z\",\"aliases\":[\"CVE-2024-1111\",\"PYSEC-2024-1\"],"
	"\"related\":[\"CVE-2024-2222\"],"
	"\"summary\":\"Bad thing in foo\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
	"\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\"}],"
	"\"database_specific\":{\"severity\":\"HIGH\"},"
	"\"references\":[{\"type\":\"WEB\",\"url\":\"https://example.org/web\"},"
	"{\"type\":\"ADVISORY\",\"url\":\"https://example.org/adv\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo_Bar\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"2.0\"},{\"introduced\":\"1.5\"},"
	"{\"introduced\":\"0\"},{\"fixed\":\"1.2\"}]},"
	"{\"type\":\"GIT\",\"repo\":\"https://x\",\"events\":[{\"introduced\":\"abc\"}]}],"
	"\"versions\":[\"1.0\",\"1.1\"]},"
	"{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"foo\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1:2.0-1\"}]}],"
	"\"ecosystem_specific\":{\"urgency\":\"low\"}},"
	"{\"package\":{\"ecosystem\":\"Alpine:v3.18\",\"name\":\"foo\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"2.0-r1\"},{\"limit\":\"*\"}]}]},"
	"{\"package\":{\"ecosystem\":\"Go\",\"name\":\"example.com/x\"},"
	"\"ranges\":[{\"type\":\"GIT\",\"repo\":\"r\",\"events\":[{\"introduced\":\"0\"}]}]}]}";

TEST(record)
{
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "";
	char *s;

	ASSERT_OK(import_json(db, record, err, sizeof(err)));
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 1);
	ASSERT_EQ(q(db, "SELECT severity FROM vulns"), VG_VULN_SEVERITY_HIGH);
	ASSERT_EQ(q(db, "SELECT cvss_score * 10 FROM vulns"), 75);
	s = qs(db, "SELECT url FROM vulns");
	ASSERT_STREQ(s, "https://example.org/adv");
	free(s);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids WHERE kind = 0"), 2);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids WHERE kind = 1 AND id = 'CVE-2024-2222'"),
		  1);
	/* GIT-only entry skipped; PyPI name normalised (PEP 503); events sorted by version */
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected"), 3);
	s = qs(db, "SELECT ranges FROM affected WHERE namespace = 'PyPI' AND package = 'foo-bar'");
	ASSERT_STREQ(s, "ECOSYSTEM i:0 f:1.2 i:1.5 f:2.0");
	free(s);
	s = qs(db, "SELECT versions FROM affected WHERE namespace = 'PyPI'");
	ASSERT_STREQ(s, "1.0\n1.1");
	free(s);
	s = qs(db, "SELECT urgency || ' ' || fixed_version FROM affected WHERE namespace = "
		   "'debian:12'");
	ASSERT_STREQ(s, "low 1:2.0-1");
	free(s);
	s = qs(db, "SELECT ranges FROM affected WHERE namespace = 'alpine:3.18'");
	ASSERT_STREQ(s, "ECOSYSTEM i:0 l:2.0-r1 x:*");
	free(s);
	vg_vuln_db_close(db);
}

TEST(array_and_withdrawn)
{
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "";

	ASSERT_OK(import_json(
		db,
		"[{\"id\":\"A-1\",\"modified\":\"2020-01-01T00:00:00Z\",\"withdrawn\":"
		"\"2020-02-01T00:00:00Z\"},{\"id\":\"A-2\",\"modified\":\"2020-01-01T00:00:00Z\","
		"\"details\":\"First line\\nsecond line\"}]",
		err, sizeof(err)));
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 2);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE withdrawn IS NOT NULL"), 1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE summary = 'First line'"), 1);
	vg_vuln_db_close(db);
}

TEST(hostile)
{
	static const struct {
		const char *json, *needle;
		int err;
	} cases[] = {
		{"{\"id\":\"X\",", "invalid JSON", -EBADMSG},
		{"{\"summary\":\"no id\"}", "\"id\"", -EBADMSG},
		{"{\"id\":\"X\",\"id\":\"Y\"}", "duplicate", -EBADMSG},
		{"{\"id\":\"X\",\"affected\":{}}", "not an array", -EBADMSG},
		{"{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"a\"},"
		 "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}",
		 "one key", -EBADMSG},
		{"{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"a\"},"
		 "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"1 2\"}]}]}]}",
		 "invalid version", -EBADMSG},
		{"{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"a\"},"
		 "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"broken\":\"1\"}]}]}]}",
		 "unknown event", -EBADMSG},
		{"{\"id\":\"X\",\"aliases\":\"CVE-1\"}", "array", -EBADMSG},
		{"\"just a string\"", "invalid JSON", -EBADMSG},
	};
	struct vg_vuln_db *db = fresh_db();

	ASSERT_OK(import_json(db, "{\"id\":\"KEEP-1\"}", (char[64]){}, 64));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512] = "";
		int r = import_json(db, cases[i].json, err, sizeof(err));

		if (r != cases[i].err || !strstr(err, cases[i].needle) ||
		    !strstr(err, "input.json")) {
			tap_diag("case %zu: r=%d err=\"%s\"\n", i, r, err);
			ASSERT_TRUE(false);
		}
		/* nothing half-imported: the previous import of the source is intact */
		ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE vuln_id = 'KEEP-1'"), 1);
		ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 1);
	}
	{
		/* nesting bomb */
		size_t n = 100000;
		char *deep = malloc(2 * n + 1), err[512] = "";

		memset(deep, '[', n);
		memset(deep + n, ']', n);
		deep[2 * n] = '\0';
		ASSERT_ERR(import_json(db, deep, err, sizeof(err)), -E2BIG);
		free(deep);
	}
	vg_vuln_db_close(db);
}

static int import_zip(struct vg_vuln_db *db, const void *data, size_t n, char *eco, char *err,
		      size_t errsize)
{
	struct vg_vuln_import *imp;
	int r = vg_vuln_import_begin(db, "z", "osv", NULL, &imp, err, errsize);

	if (r < 0)
		return r;
	r = vg_vuln_import_osv_zip(imp, data, n, "all.zip", eco, 64, err, errsize);
	if (r < 0) {
		vg_vuln_import_abort(imp);
		return r;
	}
	return vg_vuln_import_commit(imp, err, errsize);
}

TEST(zip)
{
	struct vg_vuln_db *db = fresh_db();
	struct zw w;
	char eco[64], err[512] = "";
	static const char a[] =
		"{\"id\":\"DSA-1-1\",\"upstream\":[\"CVE-2020-1\",\"CVE-2020-2\"],"
		"\"affected\":[{\"package\":{\"ecosystem\":\"Debian:11\",\"name\":\"x\"},"
		"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"1.0-1\"}]}]}]}";
	static const char b[] =
		"{\"id\":\"DEBIAN-CVE-2020-3\",\"upstream\":[\"CVE-2020-3\"],"
		"\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"x\"},"
		"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]}]}";

	zw_init(&w);
	zw_add(&w, "DSA-1-1.json", a, strlen(a), 8, 0);
	zw_add(&w, "README", "x", 1, 0, 0);
	zw_add(&w, "DEBIAN-CVE-2020-3.json", b, strlen(b), 0, 0);
	zw_finish(&w, false);
	ASSERT_OK(import_zip(db, w.buf, w.len, eco, err, sizeof(err)));
	ASSERT_STREQ(eco, "Debian");
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 2);
	/* several upstream ids are related, one is an alias */
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids WHERE kind = 1"), 2);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids WHERE kind = 0 AND id = 'CVE-2020-3'"), 1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace IN ('debian:11', "
			"'debian:12')"),
		  2);
	zw_done(&w);

	/* a corrupt entry fails the whole import */
	zw_init(&w);
	zw_add(&w, "A.json", a, strlen(a), 8, 0);
	zw_add(&w, "B.json", "{\"id\":", 6, 8, 0);
	zw_finish(&w, false);
	ASSERT_ERR(import_zip(db, w.buf, w.len, eco, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "all.zip:B.json"));
	zw_done(&w);

	/* an entry inflating past the per-record limit (a bomb) is refused by size */
	{
		size_t n = VG_VULN_RECORD_MAX + 1024;
		char *big = malloc(n);

		memset(big, ' ', n);
		big[0] = '[';
		big[n - 1] = ']';
		zw_init(&w);
		zw_add(&w, "bomb.json", big, n, 8, 0);
		zw_finish(&w, false);
		ASSERT_ERR(import_zip(db, w.buf, w.len, eco, err, sizeof(err)), -E2BIG);
		ASSERT_NOT_NULL(strstr(err, "bomb.json"));
		zw_done(&w);
		free(big);
	}
	ASSERT_ERR(import_zip(db, "PK\x03\x04garbage", 11, eco, err, sizeof(err)), -EBADMSG);
	vg_vuln_db_close(db);
}

TEST(go_all_zip)
{
	const char *dir = getenv("VG_DATA_DIR");
	char path[4096], err[1024] = "";
	struct vg_vuln_import_result res[4];
	struct vg_vuln_db *db;
	size_t n = 0;
	char *s;

	if (!dir)
		TEST_SKIP("VG_DATA_DIR not set");
	snprintf(path, sizeof(path), "%s/osv/Go-all.zip", dir);
	if (access(path, R_OK) < 0)
		TEST_SKIP("Go-all.zip not found");
	db = fresh_db();
	ASSERT_OK(vg_vuln_import_path(db, path, NULL, res, 4, &n, err, sizeof(err)));
	ASSERT_EQ(n, 1u);
	ASSERT_STREQ(res[0].source, "osv:Go");
	/* data/README.md: 4,291 records, 17 withdrawn, 6,125 affected entries, no severity */
	ASSERT_EQ(res[0].stats.vulns, 4291u);
	ASSERT_EQ(res[0].stats.withdrawn, 17u);
	ASSERT_EQ(res[0].stats.affected, 6125u);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE cvss_vector IS NOT NULL"), 0);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE package = 'stdlib'"), 168);
	s = qs(db, "SELECT ranges FROM affected a JOIN vulns v ON v.id = a.vuln WHERE "
		   "v.vuln_id = 'GO-2022-0969' AND a.package = 'stdlib'");
	ASSERT_STREQ(s, "SEMVER i:0 f:1.18.6 i:1.19.0-0 f:1.19.1");
	free(s);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids i JOIN vulns v ON v.id = i.vuln WHERE "
			"v.vuln_id = 'GO-2022-0969' AND i.id IN ('CVE-2022-27664', "
			"'GHSA-69cg-p879-7622')"),
		  2);
	/* re-importing replaces: same counts, not doubled */
	ASSERT_OK(vg_vuln_import_path(db, path, NULL, res, 4, &n, err, sizeof(err)));
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 4291);
	vg_vuln_db_close(db);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "we");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

TEST(directory)
{
	char dir[] = "/tmp/vg-test-osvdir-XXXXXX", sub[256], err[1024] = "";
	struct vg_vuln_import_result res[4];
	struct vg_vuln_db *db = fresh_db();
	size_t n = 0;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/PyPI", dir);
	ASSERT_EQ(mkdir(sub, 0755), 0);
	write_file(sub, "PYSEC-1.json",
		   "{\"id\":\"PYSEC-1\",\"modified\":\"2024-01-01T00:00:00Z\"}");
	write_file(dir, "GHSA-1.json", "{\"id\":\"GHSA-1\",\"modified\":\"2024-02-01T00:00:00Z\"}");
	write_file(dir, "seccomp.json", "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}");
	write_file(dir, "README.md", "# feeds\n");
	ASSERT_OK(vg_vuln_import_path(db, dir, NULL, res, 4, &n, err, sizeof(err)));
	ASSERT_EQ(n, 1u);
	ASSERT_EQ(res[0].stats.vulns, 2u);
	ASSERT_NOT_NULL(strstr(res[0].source, "osv:dir:vg-test-osvdir-"));
	/* a bad record fails the whole directory source; the previous import stays */
	write_file(sub, "PYSEC-2.json", "{\"id\":\"PYSEC-2\",\"modified\":\"x\",\"affected\":7}");
	ASSERT_ERR(vg_vuln_import_path(db, dir, NULL, res, 4, &n, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "PYSEC-2.json"));
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 2);
	vg_vuln_db_close(db);
}
