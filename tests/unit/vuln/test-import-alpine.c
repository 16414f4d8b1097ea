/* SPDX-License-Identifier: Apache-2.0 */
/* Alpine secdb importers: YAML (alpine-secdb) and JSON (secdb.alpinelinux.org), id quirks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "vuln/db.h"
#include "vuln/vuln-import.h"

static struct vg_vuln_db *fresh_db(void)
{
	static int n;
	char p[128], err[256];
	struct vg_vuln_db *db;

	snprintf(p, sizeof(p), "/tmp/vg-test-apk-%d-%d.db", (int)getpid(), n++);
	unlink(p);
	if (vg_vuln_db_open(p, true, &db, err, sizeof(err)) < 0)
		abort();
	unlink(p);
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

static int import_buf(struct vg_vuln_db *db, bool yaml, const char *buf, char *name, char *err,
		      size_t errsize)
{
	struct vg_vuln_import *imp;
	int r = vg_vuln_import_begin(db, "t", "alpine-secdb", NULL, &imp, err, errsize);

	if (r < 0)
		return r;
	r = vg_vuln_import_alpine(imp, buf, strlen(buf), yaml, "secdb", name, 64, err, errsize);
	if (r < 0) {
		vg_vuln_import_abort(imp);
		return r;
	}
	return vg_vuln_import_commit(imp, err, errsize);
}

static const char yaml[] = "---\n"
			   "distroversion: v3.10\n"
			   "reponame: main\n"
			   "archs:\n  - x86_64\n"
			   "packages:\n"
			   "  - pkg:\n"
			   "      name: musl\n"
			   "      secfixes:\n"
			   "        1.1.22-r3:\n"
			   "          - CVE-2019-14697\n"
			   "  - pkg:\n"
			   "      name: xen\n"
			   "      secfixes:\n"
			   "        4.7.1-r4:\n"
			   "          - CVE-2016-10013 XSA-204\n"
			   "          - CVE 2018-16859\n"
			   "          - CVE_2017-0001\n"
			   "          - CVE-2017-2616 (+ regression fix)\n"
			   "          - (regression fix only)\n"
			   "        0:\n"
			   "          - CVE-2000-0001\n"
			   "  - pkg:\n"
			   "      name: empty\n"
			   "      secfixes:\n";

TEST(yaml_quirks)
{
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "", name[64];

	ASSERT_EQ(vg_vuln_format_detect(yaml, strlen(yaml)), VG_VULN_FORMAT_ALPINE_YAML);
	ASSERT_OK(import_buf(db, true, yaml, name, err, sizeof(err)));
	ASSERT_STREQ(name, "v3.10/main");
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE vuln_id IN ('CVE-2019-14697', "
			"'CVE-2016-10013', 'CVE-2018-16859', 'CVE-2017-0001', 'CVE-2017-2616', "
			"'CVE-2000-0001')"),
		  6);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 6);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids WHERE id = 'XSA-204' AND kind = 1"), 1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'alpine:3.10'"), 6);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE state = 4 AND fixed_version IS NULL"),
		  1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE package = 'xen' AND fixed_version = "
			"'4.7.1-r4'"),
		  4);
	vg_vuln_db_close(db);
}

TEST(json)
{
	static const char json[] =
		"{\"apkurl\": \"{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-"
		"{{pkg.ver}}.apk\", \"archs\": [\"x86_64\"], \"reponame\": \"community\", "
		"\"urlprefix\": \"https://dl-cdn.alpinelinux.org/alpine\", \"distroversion\": "
		"\"v3.18\", \"packages\": [{\"pkg\": {\"name\": \"go\", \"secfixes\": {\"1.20.6-r0\": "
		"[\"CVE-2023-29406\"], \"0\": [\"CVE-2022-1\", \"GHSA-xxxx-yyyy-zzzz\"]}}}]}";
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "", name[64];

	ASSERT_EQ(vg_vuln_format_detect(json, strlen(json)), VG_VULN_FORMAT_ALPINE_JSON);
	ASSERT_OK(import_buf(db, false, json, name, err, sizeof(err)));
	ASSERT_STREQ(name, "v3.18/community");
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'alpine:3.18'"), 3);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE state = 4"), 2);
	vg_vuln_db_close(db);
}

TEST(hostile)
{
	static const struct {
		bool yaml;
		const char *text, *needle;
	} cases[] = {
		{true, "reponame: main\npackages: []\n", "distroversion"},
		{true, "distroversion: v3.10\nreponame: main\npackages: {}\n", "sequence"},
		{true,
		 "distroversion: v3.10\nreponame: main\npackages:\n  - pkg:\n      secfixes: {}\n",
		 "pkg.name"},
		{true,
		 "distroversion: v3.10\nreponame: main\npackages:\n  - pkg:\n      name: a\n"
		 "      secfixes:\n        1 2:\n          - CVE-1-1\n",
		 "invalid fixed version"},
		{true, "distroversion: v3.10\nreponame: main\npackages: [\n", "secdb"},
		{true, "distroversion: v3/../x\nreponame: main\n", "distroversion"},
		{false,
		 "{\"distroversion\": \"v3.1\", \"reponame\": \"main\", \"packages\": "
		 "[{\"pkg\": {\"name\": \"a\", \"secfixes\": {\"1.0-r0\": [1]}}}]}",
		 "strings"},
		{false, "{\"distroversion\": \"v3.1\", \"reponame\": \"main\", \"packages\": 3}",
		 "array"},
	};
	struct vg_vuln_db *db = fresh_db();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512] = "", name[64];

		if (import_buf(db, cases[i].yaml, cases[i].text, name, err, sizeof(err)) >= 0 ||
		    !strstr(err, cases[i].needle)) {
			tap_diag("case %zu: \"%s\"\n", i, err);
			ASSERT_TRUE(false);
		}
	}
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 0);
	vg_vuln_db_close(db);
}

/* The bundled secdb: the directory imports as one source per file, named after its header. */
TEST(real_secdb_directory)
{
	const char *dir = getenv("VG_DATA_DIR");
	struct vg_vuln_import_result res[16];
	char path[4096], err[1024] = "";
	struct vg_vuln_db *db;
	size_t n = 0;

	if (!dir)
		TEST_SKIP("VG_DATA_DIR not set");
	snprintf(path, sizeof(path), "%s/alpine-secdb", dir);
	if (access(path, R_OK) < 0)
		TEST_SKIP("alpine-secdb not found");
	db = fresh_db();
	ASSERT_OK(vg_vuln_import_path(db, path, NULL, res, 16, &n, err, sizeof(err)));
	ASSERT_EQ(n, 6u);
	ASSERT_STREQ(res[0].source, "alpine-secdb:v3.10/community");
	ASSERT_STREQ(res[5].source, "alpine-secdb:v3.9/main");
	/* data/README.md: v3.10 main has 166 packages */
	ASSERT_EQ(q(db, "SELECT count(DISTINCT package) FROM affected WHERE namespace = "
			"'alpine:3.10' AND vuln IN (SELECT v.id FROM vulns v JOIN sources s ON "
			"s.id = v.source WHERE s.name = 'alpine-secdb:v3.10/main')"),
		  166);
	vg_vuln_db_close(db);
}
