/* SPDX-License-Identifier: Apache-2.0 */
/* SBOM writers (golden files) and the image scan glue (Alpine fixture images). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "inventory/package.h"
#include "report/sbom.h"
#include "shared/json.h"
#include "tap.h"

static void add_pkg(struct vg_sbom *s, enum vg_ecosystem eco, const char *name, const char *version,
		    const char *arch, const char *source, const char *license, const char *found_in,
		    int layer)
{
	struct vg_package p = {
		.ecosystem = eco,
		.name = name,
		.version = version,
		.arch = arch,
		.source_name = source,
		.license = license,
		.found_in = found_in,
		.layer = layer,
	};

	if (vg_package_set_purl(&p, s->has_os ? &s->os : NULL, &s->arena) < 0)
		tap_fail();
	if (vg_vec_push(&s->packages, &p) < 0)
		tap_fail();
}

/* A small, fixed SBOM: Debian packages, an npm package with characters to escape. */
static void fixture(struct vg_sbom *s)
{
	vg_sbom_init(s);
	s->has_os = true;
	strcpy(s->os.id, "debian");
	strcpy(s->os.version_id, "12");
	strcpy(s->os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	s->os.family = VG_OS_FAMILY_DEBIAN;
	s->target = "archive:fixture.tar";
	s->name = "example/app:1.0";
	s->kind = "docker-archive";
	strcpy(s->image_id,
	       "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	s->n_layers = 2;
	s->created = 1700000000;
	add_pkg(s, VG_ECOSYSTEM_NPM, "@scope/we\"ird", "1.0.0", NULL, NULL, "MIT",
		"app/node_modules/@scope/we\"ird/package.json", 1);
	add_pkg(s, VG_ECOSYSTEM_DEB, "libc6", "2.36-9+deb12u4", "amd64", "glibc", "LGPL-2.1",
		"var/lib/dpkg/status", 0);
	add_pkg(s, VG_ECOSYSTEM_DEB, "bash", "5.2.15-2+b2", "amd64", "bash", NULL,
		"var/lib/dpkg/status", 0);
	vg_sbom_sort(s);
}

static char *render(const struct vg_sbom *s, enum vg_sbom_format fmt, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		tap_fail();
	if (vg_sbom_write(s, fmt, f) < 0)
		tap_fail();
	if (fclose(f) != 0)
		tap_fail();
	*ret_len = len;
	return buf;
}

static void check_golden(enum vg_sbom_format fmt, const char *file)
{
	const char *dir = getenv("VG_GOLDEN_DIR");
	struct vg_sbom s;
	char path[4096], *got, *want = NULL;
	size_t got_len, want_len = 0;
	FILE *f;

	if (!dir) {
		const char *ci = getenv("CI");

		if (ci && strcmp(ci, "true") == 0)
			TAP_FAIL_AT("CI=true and VG_GOLDEN_DIR is not set");
		TEST_SKIP("VG_GOLDEN_DIR not set");
	}
	fixture(&s);
	got = render(&s, fmt, &got_len);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (getenv("VG_UPDATE_GOLDEN")) {
		f = fopen(path, "we");
		ASSERT_NOT_NULL(f);
		ASSERT_EQ(fwrite(got, 1, got_len, f), got_len);
		ASSERT_EQ(fclose(f), 0);
	}
	f = fopen(path, "re");
	if (!f)
		TAP_FAIL_AT("cannot open %s", path);
	want = malloc(1 << 20);
	ASSERT_NOT_NULL(want);
	want_len = fread(want, 1, (1 << 20) - 1, f);
	fclose(f);
	want[want_len] = '\0';
	if (got_len != want_len || memcmp(got, want, got_len) != 0) {
		tap_diag("%s differs from the output:\n%s", path, got);
		tap_fail();
	}
	free(want);
	free(got);
	vg_sbom_done(&s);
}

TEST(format_names)
{
	ASSERT_EQ(vg_sbom_format_from_string("table"), VG_SBOM_TABLE);
	ASSERT_EQ(vg_sbom_format_from_string("json"), VG_SBOM_JSON);
	ASSERT_EQ(vg_sbom_format_from_string("cyclonedx"), VG_SBOM_CYCLONEDX);
	ASSERT_EQ(vg_sbom_format_from_string("spdx"), VG_SBOM_SPDX);
	ASSERT_EQ(vg_sbom_format_from_string("xml"), -EINVAL);
	ASSERT_EQ(vg_sbom_format_from_string(NULL), -EINVAL);
	ASSERT_STREQ(vg_sbom_format_to_string(VG_SBOM_SPDX), "spdx");
	ASSERT_NULL(vg_sbom_format_to_string(VG_SBOM__MAX));
}

TEST(golden_table)
{
	check_golden(VG_SBOM_TABLE, "sbom.txt");
}

TEST(golden_json)
{
	check_golden(VG_SBOM_JSON, "sbom.json");
}

TEST(golden_cyclonedx)
{
	check_golden(VG_SBOM_CYCLONEDX, "sbom.cdx.json");
}

TEST(golden_spdx)
{
	check_golden(VG_SBOM_SPDX, "sbom.spdx.json");
}

/* The documents parse back, carry the required fields, and are byte-identical twice. */
TEST(documents_parse)
{
	struct vg_sbom s;
	enum vg_sbom_format fmts[] = {VG_SBOM_JSON, VG_SBOM_CYCLONEDX, VG_SBOM_SPDX};

	fixture(&s);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		size_t l1, l2;
		char *a = render(&s, fmts[i], &l1), *b = render(&s, fmts[i], &l2);
		json_t *doc = NULL, *arr;
		char err[128];

		ASSERT_EQ(l1, l2);
		ASSERT_EQ(memcmp(a, b, l1), 0);
		ASSERT_OK(vg_json_parse(a, l1, &doc, err, sizeof(err)));
		switch (fmts[i]) {
		case VG_SBOM_JSON:
			arr = vg_json_get_array(doc, "packages");
			ASSERT_NOT_NULL(arr);
			ASSERT_EQ(json_array_size(arr), 3u);
			ASSERT_STREQ(vg_json_get_str(json_array_get(arr, 2), "name"),
				     "@scope/we\"ird");
			break;
		case VG_SBOM_CYCLONEDX:
			ASSERT_STREQ(vg_json_get_str(doc, "bomFormat"), "CycloneDX");
			ASSERT_STREQ(vg_json_get_str(doc, "specVersion"), "1.5");
			ASSERT_TRUE(strncmp(vg_json_get_str(doc, "serialNumber"), "urn:uuid:", 9) ==
				    0);
			ASSERT_EQ(strlen(vg_json_get_str(doc, "serialNumber")), 9u + 36u);
			ASSERT_STREQ(
				vg_json_get_str(vg_json_path(doc, "metadata.component"), "type"),
				"container");
			arr = vg_json_get_array(doc, "components");
			ASSERT_EQ(json_array_size(arr), 3u);
			ASSERT_STREQ(
				vg_json_get_str(json_array_get(arr, 0), "purl"),
				"pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12");
			break;
		case VG_SBOM_SPDX:
			ASSERT_STREQ(vg_json_get_str(doc, "spdxVersion"), "SPDX-2.3");
			ASSERT_STREQ(vg_json_get_str(doc, "dataLicense"), "CC0-1.0");
			ASSERT_STREQ(vg_json_get_str(doc, "SPDXID"), "SPDXRef-DOCUMENT");
			ASSERT_NOT_NULL(vg_json_get_str(doc, "documentNamespace"));
			ASSERT_STREQ(vg_json_get_str(vg_json_path(doc, "creationInfo"), "created"),
				     "2023-11-14T22:13:20Z");
			ASSERT_EQ(json_array_size(vg_json_get_array(doc, "packages")), 4u);
			ASSERT_EQ(json_array_size(vg_json_get_array(doc, "relationships")), 4u);
			ASSERT_STREQ(
				vg_json_get_str(
					json_array_get(vg_json_get_array(doc, "relationships"), 0),
					"relationshipType"),
				"DESCRIBES");
			break;
		default:
			break;
		}
		json_decref(doc);
		free(a);
		free(b);
	}
	vg_sbom_done(&s);
}

static const char *images_dir(void)
{
	const char *d = getenv("VG_IMAGES_DIR");

	if (!d || access(d, R_OK) != 0) {
		const char *ci = getenv("CI");

		if (ci && strcmp(ci, "true") == 0)
			TAP_FAIL_AT("CI=true and the images folder is missing: %s",
				    d ? d : "(unset)");
		TEST_SKIP("no images folder (VG_IMAGES_DIR)");
	}
	return d;
}

static void scan_alpine(const char *file, const char *distro, const char *first_purl)
{
	struct vg_sbom s;
	char target[4096], err[512] = "";
	const struct vg_package *p;

	snprintf(target, sizeof(target), "archive:%s/%s", images_dir(), file);
	vg_sbom_init(&s);
	if (vg_sbom_scan(&s, target, NULL, err, sizeof(err)) < 0)
		TAP_FAIL_AT("scan %s: %s", target, err);
	ASSERT_TRUE(s.has_os);
	ASSERT_STREQ(s.os.id, "alpine");
	ASSERT_STREQ(s.os.version_id, distro);
	ASSERT_EQ(s.n_layers, 1u);
	ASSERT_EQ(s.packages.len, 14u);
	ASSERT_EQ(s.n_parse_errors, 0u);
	p = vg_vec_at(&s.packages, 0);
	ASSERT_STREQ(p->purl, first_purl);
	vg_vec_for_each(const struct vg_package, q, &s.packages) {
		ASSERT_EQ(q->ecosystem, VG_ECOSYSTEM_APK);
		ASSERT_STREQ(q->found_in, "lib/apk/db/installed");
		ASSERT_EQ(q->layer, 0);
		ASSERT_NOT_NULL(q->purl);
	}
	vg_sbom_done(&s);
}

TEST(scan_alpine310)
{
	scan_alpine("alpine-310.docker.tar.gz", "3.10.4",
		    "pkg:apk/alpine/alpine-baselayout@3.1.2-r0?arch=x86_64&distro=3.10.4");
}

TEST(scan_alpine311)
{
	scan_alpine("alpine-311.docker.tar.gz", "3.11.5",
		    "pkg:apk/alpine/alpine-baselayout@3.2.0-r3?arch=x86_64&distro=3.11.5");
}

TEST(scan_errors)
{
	struct vg_sbom s;
	char err[512] = "";

	vg_sbom_init(&s);
	ASSERT_TRUE(vg_sbom_scan(&s, "archive:/nonexistent/image.tar", NULL, err, sizeof(err)) < 0);
	ASSERT_TRUE(err[0] != '\0');
	ASSERT_EQ(s.packages.len, 0u);
	vg_sbom_done(&s);
}
