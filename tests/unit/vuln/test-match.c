/* SPDX-License-Identifier: Apache-2.0 */
/* The matcher: Debian (source package, release, states, urgency), Alpine (origin, branch,
 * boundary), OSV ranges and versions, alias merging, withdrawn records. Expected findings are
 * written from the feeds' semantics by hand. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "vuln/db.h"
#include "vuln/match.h"
#include "vuln/vuln-import.h"

static struct vg_vuln_db *db;

static const char dsa[] = "[29 Mar 2023] DSA-5380-1 xorg-server - security update\n"
			  "\t{CVE-2023-1393}\n"
			  "\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6\n"
			  "[01 Feb 2023] DSA-5300-1 openssl - security update\n"
			  "\t{CVE-2023-0286 CVE-2023-0215}\n"
			  "\t[bullseye] - openssl 1.1.1n-0+deb11u4\n"
			  "\t[buster] - openssl <end-of-life>\n";

static const char tracker[] =
	"{\"openssl\": {"
	"\"CVE-2023-0286\": {\"description\": \"X.400 address type confusion\", \"releases\": {"
	"\"bullseye\": {\"status\": \"resolved\", \"fixed_version\": \"1.1.1n-0+deb11u4\", "
	"\"urgency\": \"high\"}}},"
	"\"CVE-2007-6755\": {\"description\": \"Dual EC DRBG\", \"releases\": {"
	"\"bullseye\": {\"status\": \"open\", \"urgency\": \"unimportant\"}}},"
	"\"CVE-2023-0215\": {\"description\": \"use after free\", \"releases\": {"
	"\"bullseye\": {\"status\": \"resolved\", \"fixed_version\": \"0\"}}},"
	"\"CVE-2022-9999\": {\"description\": \"ignored one\", \"releases\": {"
	"\"bullseye\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa_reason\": "
	"\"ignored\"}}}}}";

static const char secdb[] = "distroversion: v3.10\nreponame: main\npackages:\n"
			    "  - pkg:\n      name: musl\n      secfixes:\n"
			    "        1.1.22-r3:\n          - CVE-2019-14697\n"
			    "  - pkg:\n      name: openssl\n      secfixes:\n"
			    "        1.1.1d-r0:\n          - CVE-2019-1547\n"
			    "        0:\n          - CVE-2019-0000\n"
			    "        1.1.1d-r3:\n          - CVE-2019-0000 XSA-1\n";

static const char osv[] =
	"[{\"id\":\"GO-2022-0969\",\"aliases\":[\"CVE-2022-27664\",\"GHSA-69cg-p879-7622\"],"
	"\"summary\":\"Denial of service in net/http\","
	"\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"stdlib\"},\"ranges\":[{\"type\":"
	"\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.18.6\"},{\"introduced\":"
	"\"1.19.0-0\"},{\"fixed\":\"1.19.1\"}]}]}]},"
	"{\"id\":\"GHSA-69cg-p879-7622\",\"aliases\":[\"CVE-2022-27664\"],"
	"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"stdlib\"},\"ranges\":[{\"type\":"
	"\"SEMVER\",\"events\":[{\"introduced\":\"1.19.0\"},{\"fixed\":\"1.19.1\"}]}]}]},"
	"{\"id\":\"GO-2000-0001\",\"withdrawn\":\"2020-01-01T00:00:00Z\","
	"\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"stdlib\"},\"ranges\":[{\"type\":"
	"\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}]},"
	"{\"id\":\"PYSEC-1\",\"database_specific\":{\"severity\":\"MODERATE\"},"
	"\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo.Bar\"},\"ranges\":[{\"type\":"
	"\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"last_affected\":\"1.4\"}]}],"
	"\"versions\":[\"0.9\"]}]},"
	"{\"id\":\"NPM-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"2.0.0\"}]}]}]}]";

static void import(const char *name, const char *buf, int which)
{
	struct vg_vuln_import *imp;
	char err[512] = "", tmp[64], kind[4];

	if (vg_vuln_import_begin(db, name, "t", NULL, &imp, err, sizeof(err)) < 0)
		abort();
	if ((which == 0 &&
	     vg_vuln_import_debian_list(imp, buf, strlen(buf), name, kind, err, sizeof(err)) < 0) ||
	    (which == 1 &&
	     vg_vuln_import_debian_tracker(imp, buf, strlen(buf), name, err, sizeof(err)) < 0) ||
	    (which == 2 && vg_vuln_import_alpine(imp, buf, strlen(buf), true, name, tmp,
						 sizeof(tmp), err, sizeof(err)) < 0) ||
	    (which == 3 &&
	     vg_vuln_import_osv_json(imp, buf, strlen(buf), name, err, sizeof(err)) < 0) ||
	    vg_vuln_import_commit(imp, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
}

__attribute__((constructor(200))) static void setup(void)
{
	char p[128], err[256];

	snprintf(p, sizeof(p), "/tmp/vg-test-match-%d.db", (int)getpid());
	unlink(p);
	if (vg_vuln_db_open(p, true, &db, err, sizeof(err)) < 0)
		abort();
	unlink(p);
	import("debian-dsa", dsa, 0);
	import("debian-tracker", tracker, 1);
	import("alpine-secdb:v3.10/main", secdb, 2);
	import("osv", osv, 3);
}

static struct vg_package pkg(enum vg_ecosystem e, const char *name, const char *version,
			     const char *src, const char *src_version)
{
	return (struct vg_package){.ecosystem = e,
				   .name = name,
				   .version = version,
				   .source_name = src,
				   .source_version = src_version,
				   .layer = -1};
}

static void run(const struct vg_os *os, const struct vg_package *p, size_t n, bool all,
		struct vg_vuln_findings *f)
{
	struct vg_vec list;
	struct vg_vuln_match_options o = {.show_unimportant = all};
	char err[512] = "";

	vg_vec_init(&list, sizeof(struct vg_package), 0);
	for (size_t i = 0; i < n; i++)
		if (vg_vec_push(&list, &p[i]) < 0)
			abort();
	vg_vuln_findings_init(f);
	if (vg_vuln_match(db, os, &list, &o, f, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	vg_vec_done(&list);
}

static const struct vg_vuln_finding *find(struct vg_vuln_findings *f, const char *id,
					  size_t pkg_index)
{
	for (size_t i = 0; i < f->items.len; i++) {
		const struct vg_vuln_finding *x = vg_vec_at(&f->items, i);

		if (strcmp(x->id, id) == 0 && x->package_index == pkg_index)
			return x;
	}
	return NULL;
}

static bool has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

TEST(debian)
{
	struct vg_os os = {.id = "debian", .version_id = "11", .family = VG_OS_FAMILY_DEBIAN};
	struct vg_package p[] = {
		/* binary package of source openssl, one version below the fix */
		pkg(VG_ECOSYSTEM_DEB, "libssl1.1", "1.1.1n-0+deb11u3", "openssl", NULL),
		/* binNMU: the source version is what is compared */
		pkg(VG_ECOSYSTEM_DEB, "xserver-xorg-core", "2:1.20.11-1+deb11u6+b1", "xorg-server",
		    "2:1.20.11-1+deb11u6"),
		pkg(VG_ECOSYSTEM_DEB, "xwayland", "2:1.20.11-1+deb11u5", "xorg-server", NULL),
	};
	struct vg_vuln_findings f;
	const struct vg_vuln_finding *x;

	run(&os, p, 3, false, &f);
	/* CVE-2023-0286 from the DSA and the tracker: one finding, both sources, DSA related */
	x = find(&f, "CVE-2023-0286", 0);
	ASSERT_NOT_NULL(x);
	ASSERT_EQ(x->fix_state, VG_VULN_FIX_FIXED);
	ASSERT_STREQ(x->fixed_version, "1.1.1n-0+deb11u4");
	ASSERT_EQ(x->n_sources, 2u);
	ASSERT_TRUE(has(x->related, x->n_related, "DSA-5300-1"));
	ASSERT_EQ(x->severity, VG_VULN_SEVERITY_HIGH);
	ASSERT_STREQ(x->matched_name, "openssl");
	ASSERT_STREQ(x->ns, "debian:11");
	/* CVE-2023-0215: the tracker says not affected ("0"): suppressed */
	ASSERT_NULL(find(&f, "CVE-2023-0215", 0));
	/* ignored -> will not fix */
	x = find(&f, "CVE-2022-9999", 0);
	ASSERT_NOT_NULL(x);
	ASSERT_EQ(x->fix_state, VG_VULN_FIX_WONT_FIX);
	ASSERT_NULL(x->fixed_version);
	/* unimportant: hidden by default */
	ASSERT_NULL(find(&f, "CVE-2007-6755", 0));
	ASSERT_EQ(f.n_hidden_unimportant, 1u);
	/* equal to the fixed version: not vulnerable; below: vulnerable */
	ASSERT_NULL(find(&f, "CVE-2023-1393", 1));
	ASSERT_NOT_NULL(find(&f, "CVE-2023-1393", 2));
	ASSERT_EQ(f.items.len, 3u);
	vg_vuln_findings_done(&f);

	run(&os, p, 1, true, &f);
	x = find(&f, "CVE-2007-6755", 0);
	ASSERT_NOT_NULL(x);
	ASSERT_TRUE(x->unimportant);
	ASSERT_EQ(x->fix_state, VG_VULN_FIX_UNFIXED);
	ASSERT_EQ(x->severity, VG_VULN_SEVERITY_NEGLIGIBLE);
	vg_vuln_findings_done(&f);

	/* buster: end-of-life from the DSA list; other release: nothing */
	os = (struct vg_os){.id = "debian", .version_id = "10"};
	run(&os, p, 1, false, &f);
	ASSERT_EQ(f.items.len, 2u);
	x = vg_vec_at(&f.items, 0);
	ASSERT_STREQ(x->id, "CVE-2023-0215");
	ASSERT_EQ(x->fix_state, VG_VULN_FIX_END_OF_LIFE);
	ASSERT_EQ(x->n_ids, 1u);
	ASSERT_TRUE(has(x->related, x->n_related, "DSA-5300-1"));
	vg_vuln_findings_done(&f);
	os = (struct vg_os){.id = "debian", .codename = "bookworm"};
	run(&os, p, 3, false, &f);
	ASSERT_EQ(f.items.len, 0u);
	vg_vuln_findings_done(&f);
}

TEST(debian_eol_two_cves)
{
	struct vg_os os = {.id = "debian", .version_id = "10"};
	struct vg_package p[] = {pkg(VG_ECOSYSTEM_DEB, "openssl", "1.1.1d-0+deb10u1", NULL, NULL)};
	struct vg_vuln_findings f;

	run(&os, p, 1, false, &f);
	/* the DSA bundles two CVEs: two findings (a related advisory never merges CVEs) */
	ASSERT_EQ(f.items.len, 2u);
	ASSERT_EQ(((struct vg_vuln_finding *)vg_vec_at(&f.items, 1))->fix_state,
		  VG_VULN_FIX_END_OF_LIFE);
	vg_vuln_findings_done(&f);
}

TEST(alpine)
{
	struct vg_os os = {.id = "alpine", .version_id = "3.10.4", .family = VG_OS_FAMILY_ALPINE};
	struct vg_package p[] = {
		pkg(VG_ECOSYSTEM_APK, "musl", "1.1.22-r2", "musl", NULL),
		pkg(VG_ECOSYSTEM_APK, "musl-utils", "1.1.22-r3", "musl", NULL), /* equal: fixed */
		pkg(VG_ECOSYSTEM_APK, "libcrypto1.1", "1.1.1c-r0", "openssl", NULL),
		pkg(VG_ECOSYSTEM_APK, "libssl1.1", "1.1.1d-r2", "openssl", NULL),
	};
	struct vg_vuln_findings f;
	const struct vg_vuln_finding *x;

	run(&os, p, 4, false, &f);
	x = find(&f, "CVE-2019-14697", 0);
	ASSERT_NOT_NULL(x);
	ASSERT_STREQ(x->fixed_version, "1.1.22-r3");
	ASSERT_STREQ(x->ns, "alpine:3.10");
	ASSERT_NULL(find(&f, "CVE-2019-14697", 1));
	ASSERT_NOT_NULL(find(&f, "CVE-2019-1547", 2));
	/* key "0" = never affected: suppresses the same id fixed in another version */
	ASSERT_NULL(find(&f, "CVE-2019-0000", 2));
	ASSERT_NULL(find(&f, "CVE-2019-1547", 3));
	ASSERT_EQ(f.items.len, 2u);
	vg_vuln_findings_done(&f);

	/* the repository branch wins over VERSION_ID; another branch has no data */
	os = (struct vg_os){.id = "alpine", .version_id = "3.11.5", .repo_release = "3.10"};
	run(&os, p, 1, false, &f);
	ASSERT_EQ(f.items.len, 1u);
	vg_vuln_findings_done(&f);
	os = (struct vg_os){.id = "alpine", .version_id = "3.11.5"};
	run(&os, p, 1, false, &f);
	ASSERT_EQ(f.items.len, 0u);
	vg_vuln_findings_done(&f);
}

TEST(osv_ranges_and_aliases)
{
	struct vg_package p[] = {
		pkg(VG_ECOSYSTEM_GOLANG, "stdlib", "v1.19.0", NULL, NULL),
		pkg(VG_ECOSYSTEM_GOLANG, "stdlib", "v1.19.1", NULL, NULL),
		pkg(VG_ECOSYSTEM_GOLANG, "stdlib", "v1.18.5", NULL, NULL),
		pkg(VG_ECOSYSTEM_GOLANG, "stdlib", "v1.19.0-rc.1", NULL, NULL),
		pkg(VG_ECOSYSTEM_PYPI, "foo_bar", "1.4", NULL, NULL),
		pkg(VG_ECOSYSTEM_PYPI, "foo-bar", "1.4.1", NULL, NULL),
		pkg(VG_ECOSYSTEM_PYPI, "FOO.BAR", "0.9", NULL, NULL),
		pkg(VG_ECOSYSTEM_NPM, "left-pad", "1.9.9", NULL, NULL),
		pkg(VG_ECOSYSTEM_NPM, "left-pad", "2.0.0", NULL, NULL),
	};
	struct vg_vuln_findings f;
	const struct vg_vuln_finding *x;

	run(NULL, p, 9, false, &f);
	/* GO-2022-0969 and GHSA-69cg-p879-7622 share CVE-2022-27664: one finding, CVE first */
	x = find(&f, "CVE-2022-27664", 0);
	ASSERT_NOT_NULL(x);
	ASSERT_EQ(x->n_ids, 3u);
	ASSERT_STREQ(x->ids[0], "CVE-2022-27664");
	ASSERT_STREQ(x->ids[1], "GHSA-69cg-p879-7622");
	ASSERT_STREQ(x->ids[2], "GO-2022-0969");
	ASSERT_STREQ(x->fixed_version, "1.19.1");
	ASSERT_STREQ(x->title, "Denial of service in net/http");
	ASSERT_EQ((int)(x->cvss_score * 10 + 0.5), 75);
	ASSERT_EQ(x->severity, VG_VULN_SEVERITY_HIGH); /* from the CVSS score */
	ASSERT_NULL(find(&f, "CVE-2022-27664", 1));
	x = find(&f, "CVE-2022-27664", 2);
	ASSERT_NOT_NULL(x);
	ASSERT_STREQ(x->fixed_version, "1.18.6");
	/* only GO-2022-0969's range covers 1.18.5: its ids, not the GHSA record's CVSS */
	ASSERT_EQ(x->n_ids, 3u);
	ASSERT_TRUE(x->cvss_score < 0);
	ASSERT_EQ(x->severity, VG_VULN_SEVERITY_UNKNOWN);
	/* 1.19.0-rc.1 >= 1.19.0-0: affected by the GO record only */
	ASSERT_NOT_NULL(find(&f, "CVE-2022-27664", 3));
	/* the withdrawn record never matches */
	for (size_t i = 0; i < f.items.len; i++)
		ASSERT_FALSE(has(((struct vg_vuln_finding *)vg_vec_at(&f.items, i))->ids,
				 ((struct vg_vuln_finding *)vg_vec_at(&f.items, i))->n_ids,
				 "GO-2000-0001"));
	/* last_affected 1.4: 1.4 affected (unfixed), 1.4.1 not; explicit version 0.9 */
	x = find(&f, "PYSEC-1", 4);
	ASSERT_NOT_NULL(x);
	ASSERT_EQ(x->fix_state, VG_VULN_FIX_UNFIXED);
	ASSERT_EQ(x->severity, VG_VULN_SEVERITY_MEDIUM);
	ASSERT_NULL(find(&f, "PYSEC-1", 5));
	ASSERT_NOT_NULL(find(&f, "PYSEC-1", 6));
	/* limit: below affected, at the limit not */
	ASSERT_NOT_NULL(find(&f, "NPM-1", 7));
	ASSERT_NULL(find(&f, "NPM-1", 8));
	ASSERT_EQ(f.items.len, 6u);
	vg_vuln_findings_done(&f);
}

TEST(namespaces)
{
	char buf[64];

	ASSERT_OK(vg_vuln_os_namespace(&(struct vg_os){.id = "debian", .version_id = "12"}, buf,
				       sizeof(buf)));
	ASSERT_STREQ(buf, "debian:12");
	ASSERT_OK(vg_vuln_os_namespace(&(struct vg_os){.id = "debian", .codename = "trixie"}, buf,
				       sizeof(buf)));
	ASSERT_STREQ(buf, "debian:13");
	ASSERT_OK(vg_vuln_os_namespace(&(struct vg_os){.id = "alpine", .version_id = "3.18.4"}, buf,
				       sizeof(buf)));
	ASSERT_STREQ(buf, "alpine:3.18");
	ASSERT_OK(vg_vuln_os_namespace(&(struct vg_os){.id = "ubuntu", .version_id = "22.04"}, buf,
				       sizeof(buf)));
	ASSERT_STREQ(buf, "ubuntu:22.04");
	ASSERT_ERR(vg_vuln_os_namespace(&(struct vg_os){.id = "rhel", .version_id = "9"}, buf,
					sizeof(buf)),
		   -ENOENT);
	ASSERT_ERR(vg_vuln_os_namespace(NULL, buf, sizeof(buf)), -ENOENT);
}
