/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/suppress.c: .vigilignore files and OpenVEX documents. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vuln/suppress.h"
#include "tap.h"

static char tmpdir[] = "/tmp/vg-test-suppress-XXXXXX";

static const char *write_tmp(const char *name, const char *content)
{
	static char path[4][256];
	static unsigned next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, 256, "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	ASSERT_NOT_NULL(f);
	fputs(content, f);
	fclose(f);
	return p;
}

static const struct vg_package openssl = {
	.name = "libssl3",
	.source_name = "openssl",
	.version = "3.0.11-1~deb12u1",
	.purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12",
	.found_in = "var/lib/dpkg/status",
};
static const struct vg_package lodash = {
	.name = "lodash",
	.version = "4.17.15",
	.purl = "pkg:npm/lodash@4.17.15",
	.found_in = "app/node_modules/lodash/package.json",
};

static struct vg_vuln_finding finding(const struct vg_package *p, const char **ids, size_t n)
{
	return (struct vg_vuln_finding){.package = p, .id = ids[0], .ids = ids, .n_ids = n};
}

/* 2026-06-01T00:00:00Z */
#define NOW ((time_t)1780272000)

TEST(ignore_file)
{
	struct vg_vuln_suppressions s;
	const char *ids1[] = {"CVE-2023-0001", "DSA-5555-1"};
	const char *ids2[] = {"GHSA-p6mc-m468-83gw", "CVE-2020-8203"};
	const char *ids3[] = {"CVE-2024-9999"};
	const char *ids4[] = {"CVE-2023-0002"};
	struct vg_vuln_finding f1 = finding(&openssl, ids1, 2), f2 = finding(&lodash, ids2, 2),
			       f3 = finding(&openssl, ids3, 1), f4 = finding(&lodash, ids4, 1);
	const struct vg_suppression *x;
	char err[256] = "";
	const char *path =
		write_tmp(".vigilignore",
			  "# accepted risks\n"
			  "\n"
			  "cve-2023-0001 pkg=openssl reason=\"no TLS server\"   # source name\n"
			  "CVE-2020-8203 path=app/node_modules/** exp=2027-01-31\n"
			  "CVE-2024-9999 exp=2026-05-31 reason=\"expired yesterday\"\r\n"
			  "CVE-2023-0002 pkg=pkg:npm/lodash\n");

	vg_vuln_suppressions_init(&s);
	ASSERT_EQ(vg_vuln_ignore_load(&s, path, NOW, err, sizeof(err)), 4);
	ASSERT_EQ(s.n_expired, (size_t)1);
	x = vg_vuln_suppressed(&s, &f1, NOW, NULL, NULL);
	ASSERT_NOT_NULL(x);
	ASSERT_EQ(x->line, 3u);
	ASSERT_STREQ(x->reason, "no TLS server");
	ASSERT_NOT_NULL(vg_vuln_suppressed(&s, &f2, NOW, NULL, NULL)); /* alias + glob */
	ASSERT_NULL(vg_vuln_suppressed(&s, &f3, NOW, NULL, NULL)); /* expired */
	ASSERT_NOT_NULL(vg_vuln_suppressed(&s, &f3, NOW - 86400 * 2, NULL, NULL)); /* not yet */
	ASSERT_NOT_NULL(vg_vuln_suppressed(&s, &f4, NOW, NULL, NULL)); /* versionless purl */
	/* narrowing must hold: the same id on another package stays */
	f1.package = &lodash;
	ASSERT_NULL(vg_vuln_suppressed(&s, &f1, NOW, NULL, NULL));
	vg_vuln_suppressions_done(&s);

	/* bad lines name file and line */
	static const char *const bad[] = {
		"CVE-1 bogus=1\n", "CVE-1 exp=tomorrow\n", "CVE-1 reason=\"open\n",
		"not/an/id\n",	   "CVE-1 pkg=a pkg=b\n",  "CVE-1 pkg=\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_vuln_suppressions_init(&s);
		path = write_tmp("bad", bad[i]);
		ASSERT_ERR(vg_vuln_ignore_load(&s, path, NOW, err, sizeof(err)), -EBADMSG);
		ASSERT_NOT_NULL(strstr(err, ":1: "));
		vg_vuln_suppressions_done(&s);
	}
	vg_vuln_suppressions_init(&s);
	ASSERT_ERR(vg_vuln_ignore_load(&s, "/nonexistent/.vigilignore", NOW, err, sizeof(err)),
		   -ENOENT);
	vg_vuln_suppressions_done(&s);
}

TEST(openvex)
{
	struct vg_vuln_suppressions s;
	const char *ids1[] = {"CVE-2023-0001"};
	const char *ids2[] = {"CVE-2020-8203", "GHSA-p6mc-m468-83gw"};
	const char *ids3[] = {"CVE-2023-7777"};
	const char *ids4[] = {"CVE-2023-8888"};
	struct vg_vuln_finding f1 = finding(&openssl, ids1, 1), f2 = finding(&lodash, ids2, 2),
			       f3 = finding(&openssl, ids3, 1), f4 = finding(&lodash, ids4, 1);
	const struct vg_suppression *x;
	char err[256] = "";
	const char *path = write_tmp(
		"doc.openvex.json",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"https://x/vex-1\",\n"
		" \"author\": \"t\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"version\": 1,\n"
		" \"statements\": [\n"
		"  {\"vulnerability\": {\"name\": \"CVE-2023-0001\"},\n"
		"   \"products\": [{\"@id\": \"pkg:deb/debian/libssl3@3.0.11-1~deb12u1\"}],\n"
		"   \"status\": \"not_affected\", \"justification\": \"vulnerable_code_not_present\"},\n"
		"  {\"vulnerability\": {\"name\": \"GHSA-p6mc-m468-83gw\"},\n"
		"   \"products\": [{\"@id\": \"pkg:oci/app@sha256%3A" /* the image + a subcomponent */
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\n"
		"     \"subcomponents\": [{\"@id\": \"pkg:npm/lodash\"}]}],\n"
		"   \"status\": \"fixed\"},\n"
		"  {\"vulnerability\": {\"name\": \"CVE-2023-7777\"}, \"timestamp\": \"2026-02-01T00:00:00Z\",\n"
		"   \"products\": [{\"@id\": \"pkg:deb/debian/libssl3\"}], \"status\": \"affected\",\n"
		"   \"action_statement\": \"upgrade\"},\n"
		"  {\"vulnerability\": {\"name\": \"CVE-2023-7777\"}, \"timestamp\": \"2026-01-15T00:00:00Z\",\n"
		"   \"products\": [{\"@id\": \"pkg:deb/debian/libssl3\"}], \"status\": \"not_affected\",\n"
		"   \"justification\": \"component_not_present\"},\n"
		"  {\"vulnerability\": {\"name\": \"CVE-2023-8888\"},\n"
		"   \"products\": [{\"@id\": \"pkg:oci/other@sha256%3Afff\", \"subcomponents\": "
		"[{\"@id\": \"pkg:npm/lodash\"}]}], \"status\": \"not_affected\"}\n"
		" ]}\n");
	const char *image_id =
		"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	vg_vuln_suppressions_init(&s);
	ASSERT_EQ(vg_vuln_openvex_load(&s, path, err, sizeof(err)), 5);
	x = vg_vuln_suppressed(&s, &f1, NOW, NULL, image_id);
	ASSERT_NOT_NULL(x);
	ASSERT_STREQ(x->status, "not_affected");
	ASSERT_STREQ(x->justification, "vulnerable_code_not_present");
	/* alias id, image product narrowed by subcomponent */
	ASSERT_NOT_NULL(vg_vuln_suppressed(&s, &f2, NOW, "app:1", image_id));
	ASSERT_NULL(vg_vuln_suppressed(&s, &f2, NOW, "app:1", "sha256:ffff"));
	/* the later "affected" statement wins over the earlier "not_affected" */
	ASSERT_NULL(vg_vuln_suppressed(&s, &f3, NOW, NULL, image_id));
	/* another image's statement does not apply */
	ASSERT_NULL(vg_vuln_suppressed(&s, &f4, NOW, NULL, image_id));
	vg_vuln_suppressions_done(&s);

	static const char *const bad[] = {
		"{\"statements\": []}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"status\": "
		"\"fixed\"}]}",
		"{\"@context\": \"https://openvex.dev/ns\", \"statements\": [{\"vulnerability\": "
		"\"CVE-1\", \"products\": [\"pkg:npm/a\"], \"status\": \"maybe\"}]}",
		"{\"@context\": \"https://openvex.dev/ns\", \"statements\": [{\"vulnerability\": "
		"\"CVE-1\", \"status\": \"fixed\"}]}",
		"{not json",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_vuln_suppressions_init(&s);
		path = write_tmp("bad.json", bad[i]);
		ASSERT_ERR(vg_vuln_openvex_load(&s, path, err, sizeof(err)), -EBADMSG);
		ASSERT_NOT_NULL(strstr(err, "bad.json"));
		vg_vuln_suppressions_done(&s);
	}
	/* v0.0.x form: vulnerability and products as strings */
	vg_vuln_suppressions_init(&s);
	path = write_tmp("old.json", "{\"@context\": \"https://openvex.dev/ns\", \"statements\": "
				     "[{\"vulnerability\": \"CVE-2023-0001\", \"products\": "
				     "[\"pkg:deb/debian/libssl3\"], \"status\": \"fixed\"}]}");
	ASSERT_EQ(vg_vuln_openvex_load(&s, path, err, sizeof(err)), 1);
	ASSERT_NOT_NULL(vg_vuln_suppressed(&s, &f1, NOW, NULL, NULL));
	vg_vuln_suppressions_done(&s);
}

TEST(purl_matching)
{
	ASSERT_TRUE(vg_purl_matches("pkg:npm/lodash@4.17.15", "pkg:npm/lodash@4.17.15"));
	ASSERT_TRUE(vg_purl_matches("pkg:npm/lodash", "pkg:npm/lodash@4.17.15"));
	ASSERT_TRUE(vg_purl_matches("pkg:deb/debian/libssl3@1?arch=amd64",
				    "pkg:deb/debian/libssl3@1?arch=arm64"));
	ASSERT_FALSE(vg_purl_matches("pkg:npm/lodash@4.17.16", "pkg:npm/lodash@4.17.15"));
	ASSERT_FALSE(vg_purl_matches("pkg:npm/lodas", "pkg:npm/lodash@4.17.15"));
	ASSERT_FALSE(vg_purl_matches("pkg:npm/lodash", "pkg:npm/lodash-es@1"));
	ASSERT_FALSE(vg_purl_matches("lodash", "pkg:npm/lodash@1"));
	ASSERT_FALSE(vg_purl_matches("pkg:npm/lodash", NULL));
}

static void cleanup_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	(void)!system(cmd);
}

static void setup(void) __attribute__((constructor));
static void setup(void)
{
	if (!mkdtemp(tmpdir))
		abort();
	atexit(cleanup_dir);
}
