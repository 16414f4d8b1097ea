/* SPDX-License-Identifier: Apache-2.0 */
/* The vulnerability database: schema creation and versioning, atomic source replacement,
 * read-only opens, metadata and age. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared/sqlite.h"
#include "tap.h"
#include "vuln/db.h"

static char dir[64];

static const char *db_path(const char *name)
{
	static char p[128];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/vg-test-db-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static long long count(struct vg_vuln_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One source "test" with @n vulnerabilities CVE-2020-<i>, each affecting pkg<i> fixed in 1.<i>. */
static int import_n(struct vg_vuln_db *db, const char *name, int n, bool commit)
{
	struct vg_vuln_import *imp;
	char err[256];
	int r;

	r = vg_vuln_import_begin(db, name, "osv", "unit test", &imp, err, sizeof(err));
	if (r < 0)
		return r;
	for (int i = 0; i < n; i++) {
		char id[32], pkg[32], fixed[32];
		int64_t v;

		snprintf(id, sizeof(id), "CVE-2020-%d", i);
		snprintf(pkg, sizeof(pkg), "pkg%d", i);
		snprintf(fixed, sizeof(fixed), "1.%d", i);
		r = vg_vuln_import_add(
			imp,
			&(struct vg_vuln_record){
				.id = id,
				.summary = "test",
				.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
				.published = "2021-03-04T05:06:07Z",
				.withdrawn = i == 0 ? "2022-01-01T00:00:00Z" : NULL,
			},
			&v);
		if (r >= 0)
			r = vg_vuln_import_add_id(imp, v, "GHSA-xxxx-yyyy-zzzz", VG_VULN_ID_ALIAS);
		if (r >= 0)
			r = vg_vuln_import_add_affected(
				imp, v,
				&(struct vg_vuln_affected){.ns = "debian:12",
							   .package = pkg,
							   .state = VG_VULN_STATE_FIXED,
							   .fixed_version = fixed});
		if (r < 0) {
			vg_vuln_import_abort(imp);
			return r;
		}
	}
	if (!commit) {
		vg_vuln_import_abort(imp);
		return 0;
	}
	return vg_vuln_import_commit(imp, err, sizeof(err));
}

TEST(create_and_reopen)
{
	struct vg_vuln_db *db = NULL;
	struct vg_vuln_db_info info;
	char err[512];
	const char *p = db_path("sub/dir/a.db");

	ASSERT_ERR(vg_vuln_db_open(p, false, &db, err, sizeof(err)), -ENOENT);
	ASSERT_OK(vg_vuln_db_open(p, true, &db, err, sizeof(err)));
	ASSERT_OK(import_n(db, "one", 10, true));
	vg_vuln_db_close(db);

	ASSERT_OK(vg_vuln_db_open(p, false, &db, err, sizeof(err)));
	ASSERT_OK(vg_vuln_db_get_info(db, &info));
	ASSERT_EQ(info.schema_version, VG_VULN_SCHEMA_VERSION);
	ASSERT_EQ(info.n_sources, 1u);
	ASSERT_STREQ(info.sources[0].name, "one");
	ASSERT_STREQ(info.sources[0].kind, "osv");
	ASSERT_STREQ(info.sources[0].data_date, "2021-03-04T05:06:07Z");
	ASSERT_EQ(info.sources[0].vulns, 10);
	ASSERT_EQ(info.sources[0].affected, 10);
	ASSERT_EQ(info.sources[0].ids, 10);
	ASSERT_EQ(info.sources[0].withdrawn, 1);
	ASSERT_NOT_NULL(info.built);
	vg_vuln_db_info_done(&info);
	ASSERT_EQ(count(db, "SELECT count(*) FROM vulns WHERE cvss_score = 9.8"), 10);
	{
		struct vg_vuln_import *imp;

		ASSERT_ERR(vg_vuln_import_begin(db, "x", "osv", NULL, &imp, err, sizeof(err)),
			   -EROFS);
	}
	vg_vuln_db_close(db);
}

TEST(replace_is_atomic)
{
	struct vg_vuln_db *db = NULL, *reader = NULL;
	char err[512];
	const char *p = db_path("b.db");

	ASSERT_OK(vg_vuln_db_open(p, true, &db, err, sizeof(err)));
	ASSERT_OK(import_n(db, "src", 20, true));
	ASSERT_OK(import_n(db, "other", 5, true));
	ASSERT_EQ(count(db, "SELECT count(*) FROM vulns"), 25);

	/* an aborted re-import leaves the old records */
	ASSERT_OK(import_n(db, "src", 3, false));
	ASSERT_EQ(count(db, "SELECT count(*) FROM vulns"), 25);
	ASSERT_EQ(count(db, "SELECT count(*) FROM affected"), 25);

	/* while a re-import is in progress, a reader sees the old state */
	{
		struct vg_vuln_import *imp;
		int64_t v;

		ASSERT_OK(vg_vuln_import_begin(db, "src", "osv", NULL, &imp, err, sizeof(err)));
		ASSERT_OK(vg_vuln_import_add(imp, &(struct vg_vuln_record){.id = "CVE-1-1"}, &v));
		ASSERT_OK(vg_vuln_db_open(p, false, &reader, err, sizeof(err)));
		ASSERT_EQ(count(reader, "SELECT count(*) FROM vulns"), 25);
		ASSERT_OK(vg_vuln_import_commit(imp, err, sizeof(err)));
		ASSERT_EQ(count(reader, "SELECT count(*) FROM vulns"), 6);
		vg_vuln_db_close(reader);
	}
	/* the replacement drops every old row of the source, children included */
	ASSERT_EQ(count(db, "SELECT count(*) FROM affected"), 5);
	ASSERT_EQ(count(db, "SELECT count(*) FROM vuln_ids"), 5);
	ASSERT_EQ(count(db, "SELECT count(*) FROM sources"), 2);
	vg_vuln_db_close(db);
}

TEST(merge_same_id)
{
	struct vg_vuln_db *db = NULL;
	struct vg_vuln_import *imp;
	char err[512];
	int64_t a, b;

	ASSERT_OK(vg_vuln_db_open(db_path("c.db"), true, &db, err, sizeof(err)));
	ASSERT_OK(vg_vuln_import_begin(db, "s", "debian", NULL, &imp, err, sizeof(err)));
	ASSERT_OK(vg_vuln_import_add(imp, &(struct vg_vuln_record){.id = "CVE-2023-1"}, &a));
	ASSERT_OK(vg_vuln_import_add(
		imp, &(struct vg_vuln_record){.id = "CVE-2023-1", .summary = "later"}, &b));
	ASSERT_EQ(a, b);
	ASSERT_ERR(vg_vuln_import_add(imp, &(struct vg_vuln_record){.id = ""}, &a), -EINVAL);
	ASSERT_ERR(vg_vuln_import_add_affected(imp, a,
					       &(struct vg_vuln_affected){
						       .ns = "debian:12",
						       .package = "x",
						       .state = VG_VULN_STATE_FIXED,
					       }),
		   -EINVAL); /* FIXED without a version */
	ASSERT_OK(vg_vuln_import_commit(imp, err, sizeof(err)));
	ASSERT_EQ(count(db, "SELECT count(*) FROM vulns WHERE summary = 'later'"), 1);
	vg_vuln_db_close(db);
}

TEST(schema_version_mismatch)
{
	struct vg_vuln_db *db = NULL;
	char err[512] = "";
	const char *p = db_path("d.db");

	ASSERT_OK(vg_vuln_db_open(p, true, &db, err, sizeof(err)));
	ASSERT_OK(vg_sqlite_exec(db->sql,
				 "UPDATE meta SET value = '999' WHERE key = "
				 "'schema_version'",
				 "test", err, sizeof(err)));
	vg_vuln_db_close(db);
	ASSERT_ERR(vg_vuln_db_open(p, false, &db, err, sizeof(err)), -EPROTO);
	ASSERT_NOT_NULL(strstr(err, "re-import"));
	ASSERT_NOT_NULL(strstr(err, "999"));
	ASSERT_ERR(vg_vuln_db_open(p, true, &db, err, sizeof(err)), -EPROTO);
}

TEST(not_a_vigil_db)
{
	struct vg_vuln_db *db = NULL;
	sqlite3 *s;
	char err[512] = "";
	const char *p = db_path("e.db");
	FILE *f;

	ASSERT_EQ(sqlite3_open(p, &s), SQLITE_OK);
	ASSERT_EQ(sqlite3_exec(s, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	ASSERT_ERR(vg_vuln_db_open(p, true, &db, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "not a vigil"));

	p = db_path("f.db");
	f = fopen(p, "we");
	ASSERT_NOT_NULL(f);
	fputs("this is not a database, just text that is long enough to have a header......"
	      "................................................................",
	      f);
	fclose(f);
	ASSERT_ERR(vg_vuln_db_open(p, false, &db, err, sizeof(err)), -EBADMSG);
}

TEST(age)
{
	struct vg_vuln_db *db = NULL;
	char err[512];
	int64_t days = -1;
	time_t t;

	ASSERT_OK(vg_vuln_db_open(db_path("g.db"), true, &db, err, sizeof(err)));
	ASSERT_ERR(vg_vuln_db_age_days(db, time(NULL), &days), -ENODATA);
	ASSERT_OK(import_n(db, "src", 2, true)); /* data date 2021-03-04T05:06:07Z */
	ASSERT_OK(vg_vuln_parse_iso8601("2021-03-14T05:06:08Z", &t));
	ASSERT_OK(vg_vuln_db_age_days(db, t, &days));
	ASSERT_EQ(days, 10);
	vg_vuln_db_close(db);
	ASSERT_ERR(vg_vuln_parse_iso8601("2021-13-01", &t), -EINVAL);
	ASSERT_ERR(vg_vuln_parse_iso8601("yesterday", &t), -EINVAL);
	ASSERT_OK(vg_vuln_parse_iso8601("1970-01-02", &t));
	ASSERT_EQ((long long)t, 86400);
}

TEST(default_path)
{
	char *p = NULL;

	setenv("XDG_DATA_HOME", "/x/data", 1);
	ASSERT_OK(vg_vuln_db_default_path(&p));
	ASSERT_STREQ(p, "/x/data/vigil/vuln.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	ASSERT_OK(vg_vuln_db_default_path(&p));
	ASSERT_STREQ(p, "/home/u/.local/share/vigil/vuln.db");
	free(p);
	setenv("XDG_DATA_HOME", "relative", 1);
	ASSERT_OK(vg_vuln_db_default_path(&p));
	ASSERT_STREQ(p, "/home/u/.local/share/vigil/vuln.db");
	free(p);
	unsetenv("HOME");
	unsetenv("XDG_DATA_HOME");
	ASSERT_ERR(vg_vuln_db_default_path(&p), -ENOENT);
}
