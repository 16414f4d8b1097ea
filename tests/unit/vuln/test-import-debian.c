/* SPDX-License-Identifier: Apache-2.0 */
/* Debian importers: the security tracker JSON export (a fixture in the shape of
 * security-tracker.debian.org/tracker/data/json) and DSA/DLA lists. */
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

	snprintf(p, sizeof(p), "/tmp/vg-test-deb-%d-%d.db", (int)getpid(), n++);
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

static const char tracker[] =
	"{\n"
	" \"openssl\": {\n"
	"  \"CVE-2023-0286\": {\n"
	"   \"description\": \"X.400 address type confusion in X.509 GeneralName\",\n"
	"   \"scope\": \"remote\", \"debianbug\": 1031059,\n"
	"   \"releases\": {\n"
	"    \"bookworm\": {\"status\": \"resolved\", \"repositories\": {\"bookworm\": "
	"\"3.0.9-1\"}, \"fixed_version\": \"3.0.8-1\", \"urgency\": \"not yet assigned\"},\n"
	"    \"bullseye\": {\"status\": \"resolved\", \"repositories\": {\"bullseye\": "
	"\"1.1.1n-0+deb11u4\"}, \"fixed_version\": \"1.1.1n-0+deb11u4\", \"urgency\": "
	"\"not yet assigned\"},\n"
	"    \"buster\": {\"status\": \"open\", \"repositories\": {\"buster\": \"1.1.1n-0+deb10u3\"}, "
	"\"urgency\": \"end-of-life\"},\n"
	"    \"sid\": {\"status\": \"resolved\", \"repositories\": {\"sid\": \"3.0.9-1\"}, "
	"\"fixed_version\": \"3.0.8-1\", \"urgency\": \"not yet assigned\"}\n"
	"   }\n"
	"  },\n"
	"  \"CVE-2007-6755\": {\n"
	"   \"description\": \"The NIST SP 800-90A default statement of the Dual EC DRBG\",\n"
	"   \"scope\": \"remote\",\n"
	"   \"releases\": {\n"
	"    \"bookworm\": {\"status\": \"resolved\", \"repositories\": {\"bookworm\": "
	"\"3.0.9-1\"}, \"fixed_version\": \"0\", \"urgency\": \"unimportant\"}\n"
	"   }\n"
	"  },\n"
	"  \"TEMP-0000000-123456\": {\"description\": \"internal\", \"releases\": {}}\n"
	" },\n"
	" \"bash\": {\n"
	"  \"CVE-2022-3715\": {\n"
	"   \"description\": \"heap buffer overflow in valid_parameter_transform\",\n"
	"   \"releases\": {\n"
	"    \"bookworm\": {\"status\": \"resolved\", \"repositories\": {\"bookworm\": \"5.2.15-2\"}, "
	"\"fixed_version\": \"5.2.15-1\", \"urgency\": \"not yet assigned\"},\n"
	"    \"bullseye\": {\"status\": \"open\", \"repositories\": {\"bullseye\": \"5.1-2+deb11u1\"}, "
	"\"urgency\": \"not yet assigned\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"\"},\n"
	"    \"buster\": {\"status\": \"open\", \"repositories\": {\"buster\": \"5.0-4\"}, "
	"\"urgency\": \"not yet assigned\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": "
	"\"ignored\"},\n"
	"    \"trixie\": {\"status\": \"undetermined\", \"repositories\": {\"trixie\": \"5.2.15-2\"}, "
	"\"urgency\": \"not yet assigned\"}\n"
	"   }\n"
	"  },\n"
	"  \"CVE-2019-18276\": {\n"
	"   \"description\": \"An issue was discovered in disable_priv_mode in shell.c\",\n"
	"   \"releases\": {\n"
	"    \"bookworm\": {\"status\": \"open\", \"repositories\": {\"bookworm\": \"5.2.15-2\"}, "
	"\"urgency\": \"unimportant\"}\n"
	"   }\n"
	"  }\n"
	" }\n"
	"}\n";

static int import_buf(struct vg_vuln_db *db, bool list, const char *buf, char *err, size_t errsize)
{
	struct vg_vuln_import *imp;
	char kind[4];
	int r = vg_vuln_import_begin(db, "t", "debian", NULL, &imp, err, errsize);

	if (r < 0)
		return r;
	r = list ? vg_vuln_import_debian_list(imp, buf, strlen(buf), "list", kind, err, errsize)
		 : vg_vuln_import_debian_tracker(imp, buf, strlen(buf), "tracker.json", err,
						 errsize);
	if (r < 0) {
		vg_vuln_import_abort(imp);
		return r;
	}
	return vg_vuln_import_commit(imp, err, errsize);
}

TEST(tracker_json)
{
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "";

	ASSERT_EQ(vg_vuln_format_detect(tracker, strlen(tracker)), VG_VULN_FORMAT_DEBIAN_TRACKER);
	ASSERT_OK(import_buf(db, false, tracker, err, sizeof(err)));
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 4); /* TEMP- skipped */
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:12' AND "
			"package = 'openssl' AND state = 0 AND fixed_version = '3.0.8-1'"),
		  1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:sid'"), 1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:10' AND "
			"package = 'openssl' AND state = 3"),
		  1); /* end-of-life */
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE state = 4"), 1); /* fixed "0" */
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:11' AND "
			"package = 'bash' AND state = 1"),
		  1); /* no-dsa: unfixed */
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:10' AND "
			"package = 'bash' AND state = 2"),
		  1); /* ignored: will not fix */
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:13'"), 0);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE urgency = 'unimportant'"), 2);
	vg_vuln_db_close(db);
}

TEST(tracker_hostile)
{
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "";

	ASSERT_ERR(import_buf(db, false, "{\"p\": {\"CVE-1-1\": {\"releases\": []}}}", err,
			      sizeof(err)),
		   -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "tracker.json"));
	ASSERT_ERR(import_buf(db, false, "{\"p\": 5}", err, sizeof(err)), -EBADMSG);
	ASSERT_ERR(import_buf(db, false,
			      "{\"p\": {\"CVE-1-1\": {\"releases\": {\"bookworm\": {\"status\": "
			      "\"resolved\", \"fixed_version\": \"1 2\"}}}}}",
			      err, sizeof(err)),
		   -EBADMSG);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 0);
	vg_vuln_db_close(db);
}

static const char dsa[] = "[29 Mar 2023] DSA-5380-1 xorg-server - security update\n"
			  "\t{CVE-2023-1393}\n"
			  "\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6\n"
			  "[17 Mar 2023] DSA-5356-2 sox - regression update\n"
			  "\t[bullseye] - sox 14.4.2+git20190427-2+deb11u2\n"
			  "[15 Mar 2023] DSA-5374-1 firefox-esr - security update\n"
			  "        {CVE-2023-25751 CVE-2023-25752}\n"
			  "\t[bullseye] - firefox-esr 102.9.0esr-1~deb11u1\n"
			  "\t[buster] - firefox-esr <not-affected> (Vulnerable code not present)\n"
			  "\tNOTE: a note\n"
			  "[18 Apr 2018] DSA-4205-1 jessie end-of-life\n"
			  "[02 Jul 2002] DSA-135-1 libapache-mod-ssl - buffer overflow\n"
			  "\t[woody] - libapache-mod-ssl 2.8.9-2 (bug #1; medium)\n"
			  "\t[sarge] - libapache-mod-ssl <unfixed>\n";

TEST(dsa_list)
{
	struct vg_vuln_db *db = fresh_db();
	char err[512] = "";

	ASSERT_EQ(vg_vuln_format_detect(dsa, strlen(dsa)), VG_VULN_FORMAT_DEBIAN_LIST);
	ASSERT_OK(import_buf(db, true, dsa, err, sizeof(err)));
	/* one record per CVE; advisories without CVEs keep their own id */
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE vuln_id IN ('CVE-2023-1393', "
			"'CVE-2023-25751', 'CVE-2023-25752', 'DSA-5356-2', 'DSA-4205-1', "
			"'DSA-135-1')"),
		  6);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 6);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vuln_ids WHERE id = 'DSA-5374-1' AND kind = 1"), 2);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:11' AND package = "
			"'xorg-server' AND fixed_version = '2:1.20.11-1+deb11u6' AND advisory = "
			"'DSA-5380-1'"),
		  1);
	ASSERT_EQ(
		q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:10' AND state = 4"),
		2);
	ASSERT_EQ(q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:3.0' AND urgency "
			"= 'medium'"),
		  1);
	ASSERT_EQ(
		q(db, "SELECT count(*) FROM affected WHERE namespace = 'debian:3.1' AND state = 1"),
		1);
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns WHERE published = '2023-03-29T00:00:00Z'"), 1);
	vg_vuln_db_close(db);
}

TEST(dsa_hostile)
{
	static const struct {
		const char *text;
		const char *needle;
	} cases[] = {
		{"\t[bullseye] - x 1\n", "list:1: indented line before"},
		{"[29 Mar 2023] DSA-1-1 x - y\n\t[narnia] - x 1.0\n",
		 "list:2: unknown Debian release"},
		{"[29 Mar 2023] DSA-1-1 x - y\n\t[bullseye] - x <maybe>\n",
		 "list:2: unknown <tag>"},
		{"[29 Mar 2023] DSA-1-1 x - y\n\t{CVE-1-1\n", "list:2: unterminated"},
		{"[29 Xyz 2023] DSA-1-1 x - y\n", "list:1: malformed advisory"},
		{"[29 Mar 2023] DSA-1-1 x - y\ngarbage\n", "list:2: unexpected text"},
		{"[29 Mar 2023] DSA-1-1 x - y\n\t[bullseye] - x\n", "list:2: expected"},
		{"[29 Mar 2023] DSA-1-1 x - y\n\twhat is this\n", "list:2: unexpected line"},
	};
	struct vg_vuln_db *db = fresh_db();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512] = "";

		if (import_buf(db, true, cases[i].text, err, sizeof(err)) >= 0 ||
		    !strstr(err, cases[i].needle)) {
			tap_diag("case %zu: \"%s\"\n", i, err);
			ASSERT_TRUE(false);
		}
	}
	ASSERT_EQ(q(db, "SELECT count(*) FROM vulns"), 0);
	vg_vuln_db_close(db);
}

/* The real lists: every advisory header and every release line becomes a row. The
 * expected numbers are counted here with a scan of the raw text, not by the importer. */
TEST(real_lists)
{
	const char *dir = getenv("VG_DATA_DIR");
	static const char *const files[] = {"DSA-list", "DLA-list"};

	if (!dir)
		TEST_SKIP("VG_DATA_DIR not set");
	for (size_t k = 0; k < 2; k++) {
		char path[4096], err[1024] = "", name[64];
		struct vg_vuln_import_result res[2];
		struct vg_vuln_db *db;
		long long rows = 0, advisories = 0;
		char line[70000];
		size_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/debian-security/%s", dir, files[k]);
		f = fopen(path, "re");
		if (!f)
			TEST_SKIP("debian-security lists not found");
		while (fgets(line, sizeof(line), f)) {
			char *s = line;

			if (line[0] == '[')
				advisories++;
			while (*s == ' ' || *s == '\t')
				s++;
			if (s != line && *s == '[')
				rows++;
		}
		fclose(f);
		db = fresh_db();
		ASSERT_OK(vg_vuln_import_path(db, path, NULL, res, 2, &n, err, sizeof(err)));
		snprintf(name, sizeof(name), "debian-%s", k == 0 ? "dsa" : "dla");
		ASSERT_STREQ(res[0].source, name);
		/* every advisory is kept: as a record id (no CVEs) or as the related id of its CVEs */
		ASSERT_EQ(q(db, "SELECT count(*) FROM (SELECT vuln_id FROM vulns WHERE vuln_id NOT "
				"LIKE 'CVE-%' UNION SELECT id FROM vuln_ids WHERE kind = 1)"),
			  advisories);
		/* every release line is one (advisory, release, package, version) row */
		ASSERT_EQ(q(db, "SELECT count(*) FROM (SELECT DISTINCT coalesce(a.advisory, "
				"v.vuln_id), a.namespace, a.package, coalesce(a.fixed_version, "
				"a.state) FROM affected a JOIN vulns v ON v.id = a.vuln)"),
			  rows);
		tap_diag("%s: %lld advisories, %lld release lines\n", files[k], advisories, rows);
		ASSERT_GE(res[0].stats.affected, (uint64_t)rows);
		vg_vuln_db_close(db);
	}
}
