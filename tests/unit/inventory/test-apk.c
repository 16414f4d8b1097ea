/* SPDX-License-Identifier: Apache-2.0 */
/* apk installed database: hand-written fixture and the Alpine fixture images. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inventory/apk.h"
#include "inventory/os-release.h"
#include "inv-helper.h"
#include "tap.h"

#define S(x) x, sizeof(x) - 1

static const char installed_fixture[] = "C:Q1XxWOrmPHJ+cd7HZEhdIfP6WpKp4=\n"
					"P:musl\n"
					"V:1.1.22-r3\n"
					"A:x86_64\n"
					"S:368603\n"
					"I:598016\n"
					"T:the musl c library (libc) implementation\n"
					"U:https://www.musl-libc.org/\n"
					"L:MIT\n"
					"o:musl\n"
					"m:Timo Ter\xc3\xa4s <timo.teras@iki.fi>\n"
					"t:1570006006\n"
					"c:3ebf0d5b7d9a6b55b5a1e6b0d5fcb1a55d0c6a5e\n"
					"p:so:libc.musl-x86_64.so.1=1\n"
					"F:lib\n"
					"R:libc.musl-x86_64.so.1\n"
					"a:0:0:755\n"
					"Z:Q1nnoaM4rjyaFMXnKK/GswVi5Px1w=\n"
					"R:ld-musl-x86_64.so.1\n"
					"a:0:0:755\n"
					"Z:Q1x6bXLSb2ZGAx8BKxMQWNTDFB8ug=\n"
					"\n"
					"C:Q1Wv4D1PpeDt2Mc1Z5Ip0Aq7rjHLI=\n"
					"P:libcrypto1.1\n"
					"V:1.1.1d-r3\n"
					"A:x86_64\n"
					"L:OpenSSL\n"
					"o:openssl\n"
					"D:so:libc.musl-x86_64.so.1\n"
					"F:etc\n"
					"F:etc/ssl\n"
					"R:openssl.cnf\n"
					"M:0:0:755\n"
					"F:usr/lib\n"
					"R:libcrypto.so.1.1\n"
					"\n"
					"\n"
					"P:noorigin\n"
					"V:1.0-r0\n"
					"R:rootfile\n"
					"\n"
					"C:Q1nopackage=\n"
					"V:9\n"
					"\n"
					"P:last\n"
					"V:2-r1"; /* no trailing newline */

TEST(installed_fixture)
{
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;
	struct vg_os os;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_apk_installed_parse(S(installed_fixture), true, "lib/apk/db/installed", 0, &a,
					 &list, NULL),
		  4);
	p = vg_package_find(&list, "musl", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_EQ(p->ecosystem, VG_ECOSYSTEM_APK);
	ASSERT_STREQ(p->version, "1.1.22-r3");
	ASSERT_STREQ(p->arch, "x86_64");
	ASSERT_STREQ(p->license, "MIT");
	ASSERT_STREQ(p->source_name, "musl");
	ASSERT_STREQ(p->origin, "Timo Ter\xc3\xa4s <timo.teras@iki.fi>");
	ASSERT_STREQ(p->found_in, "lib/apk/db/installed");
	ASSERT_EQ(p->n_files, (size_t)2);
	ASSERT_STREQ(p->files[0], "/lib/libc.musl-x86_64.so.1");
	ASSERT_STREQ(p->files[1], "/lib/ld-musl-x86_64.so.1");

	p = vg_package_find(&list, "libcrypto1.1", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->source_name, "openssl");
	ASSERT_EQ(p->n_files, (size_t)2);
	ASSERT_STREQ(p->files[0], "/etc/ssl/openssl.cnf");
	ASSERT_STREQ(p->files[1], "/usr/lib/libcrypto.so.1.1");
	memset(&os, 0, sizeof(os));
	strcpy(os.id, "alpine");
	strcpy(os.version_id, "3.10.4");
	ASSERT_OK(vg_package_set_purl(p, &os, &a));
	ASSERT_STREQ(p->purl, "pkg:apk/alpine/libcrypto1.1@1.1.1d-r3?arch=x86_64&distro=3.10.4");

	p = vg_package_find(&list, "noorigin", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->source_name, "noorigin");
	ASSERT_STREQ(p->files[0], "/rootfile");
	p = vg_package_find(&list, "last", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "2-r1");
	ASSERT_NULL(p->files);
	vg_vec_done(&list);

	/* without files */
	vg_package_list_init(&list);
	ASSERT_EQ(vg_apk_installed_parse(S(installed_fixture), false, NULL, 1, &a, &list, NULL), 4);
	p = vg_package_find(&list, "musl", NULL);
	ASSERT_NULL(p->files);
	ASSERT_EQ(p->layer, 1);
	ASSERT_NULL(p->found_in);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(installed_errors_and_limits)
{
	struct vg_arena a;
	struct vg_vec list;
	unsigned line = 0;
	char *big;
	size_t n;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_ERR(vg_apk_installed_parse(S("P:a\nV:1\n\nP:b\nbogus\n"), false, NULL, 0, &a, &list,
					  &line),
		   -EBADMSG);
	ASSERT_EQ(line, 5u);
	ASSERT_ERR(vg_apk_installed_parse(S("P\n"), false, NULL, 0, &a, &list, NULL), -EBADMSG);
	ASSERT_EQ(vg_apk_installed_parse("", 0, false, NULL, 0, &a, &list, NULL), 0);

	n = (VG_INV_FIELDS_MAX + 1) * 4;
	big = malloc(n);
	ASSERT_NOT_NULL(big);
	for (size_t i = 0; i < n; i += 4)
		memcpy(big + i, "D:a\n", 4);
	ASSERT_ERR(vg_apk_installed_parse(big, n, false, NULL, 0, &a, &list, NULL), -E2BIG);
	free(big);

	/* a path longer than VG_PATH_MAX */
	n = VG_PATH_MAX + 16;
	big = malloc(n);
	ASSERT_NOT_NULL(big);
	memset(big, 'x', n);
	memcpy(big, "P:a\nF:", 6);
	big[n - 1] = '\n';
	memcpy(big + n - 6, "\nR:f\n", 5);
	ASSERT_ERR(vg_apk_installed_parse(big, n, true, NULL, 0, &a, &list, NULL), -E2BIG);
	free(big);

	list.max_len = 1;
	list.len = 0;
	ASSERT_ERR(vg_apk_installed_parse(S(installed_fixture), false, NULL, 0, &a, &list, NULL),
		   -E2BIG);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

/* Extracts lib/apk/db/installed from a docker-save image with tar (independent of vigil). */
static const char extract_sh[] = "set -e; L=$(tar -tzf \"$1\" | grep '/layer.tar$' | head -n 1); "
				 "tar -xzOf \"$1\" \"$L\" | tar -xO lib/apk/db/installed";

static void check_image(const char *image, const char *name, const char *version)
{
	const char *dir = getenv("VG_IMAGES_DIR");
	cleanup_free char *path = NULL, *db = NULL, *names = NULL, *count = NULL;
	struct vg_arena a;
	struct vg_vec list;
	size_t len, olen, want;
	struct vg_package *p;

	if (!dir || access(dir, R_OK) < 0)
		TEST_SKIP("VG_IMAGES_DIR (../shared/data/images) is missing");
	ASSERT_TRUE(asprintf(&path, "%s/%s", dir, image) > 0);
	if (access(path, R_OK) < 0)
		TEST_SKIP("fixture image is missing");
	ASSERT_EQ(inv_sh(extract_sh, path, &db, &len), 0);
	ASSERT_GT(len, (size_t)0);
	/* the independent view: one P: line per package */
	{
		char script[] = "printf '%s' \"$1\" | grep -c '^P:'";
		ASSERT_EQ(inv_sh(script, db, &count, &olen), 0);
	}
	want = (size_t)strtoul(count, NULL, 10);
	ASSERT_EQ(want, (size_t)14);

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_apk_installed_parse(db, len, true, "lib/apk/db/installed", 0, &a, &list, NULL),
		  (int)want);
	/* the same names, in the database's order */
	{
		char script[] = "printf '%s' \"$1\" | sed -n 's/^P://p'";
		const char *q;

		ASSERT_EQ(inv_sh(script, db, &names, &olen), 0);
		q = names;
		vg_vec_for_each(struct vg_package, pk, &list) {
			size_t n = strlen(pk->name);

			ASSERT_EQ(strncmp(q, pk->name, n), 0);
			ASSERT_EQ(q[n], '\n');
			q += n + 1;
			ASSERT_NOT_NULL(pk->version);
			ASSERT_STREQ(pk->arch, "x86_64");
		}
	}
	/* by package name, else by origin (openssl ships as libcrypto1.1 + libssl1.1) */
	p = vg_package_find(&list, name, NULL);
	if (!p)
		vg_vec_for_each(struct vg_package, pk, &list)
			if (!p && strcmp(pk->source_name, name) == 0)
				p = pk;
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, version);
	tap_diag("%s: %zu packages, %s (origin %s) %s\n", image, list.len, p->name, p->source_name,
		 p->version);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(alpine_310_ground_truth)
{
	check_image("alpine-310.docker.tar.gz", "musl", "1.1.22-r3");
}

TEST(alpine_311_ground_truth)
{
	check_image("alpine-311.docker.tar.gz", "openssl", "1.1.1d-r3");
}
