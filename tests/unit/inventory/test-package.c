/* SPDX-License-Identifier: Apache-2.0 */
/* Package URLs (purl spec) for deb, apk and rpm packages. */
#include <errno.h>
#include <string.h>

#include "inventory/os-release.h"
#include "inventory/package.h"
#include "tap.h"

static struct vg_os os_of(const char *id, const char *version_id)
{
	struct vg_os os;

	memset(&os, 0, sizeof(os));
	strcpy(os.id, id); /* NOLINT: fixed test strings */
	strcpy(os.version_id, version_id);
	return os;
}

TEST(purl_deb)
{
	struct vg_arena a;
	struct vg_os os = os_of("debian", "12");
	struct vg_package p = {
		.ecosystem = VG_ECOSYSTEM_DEB,
		.name = "libc6",
		.version = "2.36-9+deb12u4",
		.source_name = "glibc",
		.arch = "amd64",
	};
	const char *s;

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_package_purl(&p, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
			"&upstream=glibc");
	/* source with its own version */
	p.source_version = "2.36-9+deb12u3";
	ASSERT_OK(vg_package_purl(&p, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
			"&upstream=glibc%402.36-9%2Bdeb12u3");
	/* same source: no upstream; epoch colon stays */
	struct vg_package q = {
		.ecosystem = VG_ECOSYSTEM_DEB,
		.name = "bash",
		.version = "1:5.2.15-2",
		.source_name = "bash",
		.arch = "amd64",
	};
	ASSERT_OK(vg_package_set_purl(&q, &os, &a));
	ASSERT_STREQ(q.purl, "pkg:deb/debian/bash@1:5.2.15-2?arch=amd64&distro=debian-12");
	/* no OS: default namespace, no distro */
	ASSERT_OK(vg_package_purl(&q, NULL, &a, &s));
	ASSERT_STREQ(s, "pkg:deb/debian/bash@1:5.2.15-2?arch=amd64");
	/* Ubuntu namespace, upper-case ID lowered */
	os = os_of("Ubuntu", "22.04");
	ASSERT_OK(vg_package_purl(&q, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:deb/ubuntu/bash@1:5.2.15-2?arch=amd64&distro=ubuntu-22.04");
	vg_arena_done(&a);
}

TEST(purl_apk)
{
	struct vg_arena a;
	struct vg_os os = os_of("alpine", "3.10.4");
	struct vg_package p = {
		.ecosystem = VG_ECOSYSTEM_APK,
		.name = "musl",
		.version = "1.1.22-r3",
		.source_name = "musl",
		.arch = "x86_64",
	};
	const char *s;

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_package_purl(&p, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4");
	p.name = "libstdc++";
	p.arch = NULL;
	ASSERT_OK(vg_package_purl(&p, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:apk/alpine/libstdc%2B%2B@1.1.22-r3?distro=3.10.4");
	vg_arena_done(&a);
}

TEST(purl_rpm)
{
	struct vg_arena a;
	struct vg_os os = os_of("rhel", "8.4");
	struct vg_package p = {
		.ecosystem = VG_ECOSYSTEM_RPM,
		.name = "curl",
		.version = "1:7.61.1-18.el8",
		.arch = "x86_64",
	};
	const char *s;

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_package_purl(&p, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:rpm/rhel/curl@7.61.1-18.el8?arch=x86_64&distro=rhel-8.4&epoch=1");
	p.version = "7.61.1-18.el8";
	ASSERT_OK(vg_package_purl(&p, &os, &a, &s));
	ASSERT_STREQ(s, "pkg:rpm/rhel/curl@7.61.1-18.el8?arch=x86_64&distro=rhel-8.4");
	vg_arena_done(&a);
}

TEST(purl_escape_and_errors)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct vg_arena a;
	struct vg_package p = {.ecosystem = VG_ECOSYSTEM_DEB};
	const char *s;

	ASSERT_OK(vg_purl_escape(&sb, "a b/c@d?e#f%g:h~i_j.k-l\xc3\xa9"));
	ASSERT_STREQ(vg_strbuf_str(&sb), "a%20b%2Fc%40d%3Fe%23f%25g:h~i_j.k-l%C3%A9");
	vg_strbuf_done(&sb);

	vg_arena_init(&a, 0);
	ASSERT_ERR(vg_package_purl(&p, NULL, &a, &s), -EINVAL); /* no name */
	p.name = "x";
	p.ecosystem = VG_ECOSYSTEM__MAX;
	ASSERT_ERR(vg_package_purl(&p, NULL, &a, &s), -EINVAL);
	/* a name past VG_INV_PURL_MAX */
	char big[VG_INV_PURL_MAX];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	p.ecosystem = VG_ECOSYSTEM_APK;
	p.name = big;
	ASSERT_ERR(vg_package_purl(&p, NULL, &a, &s), -E2BIG);
	vg_arena_done(&a);
	ASSERT_STREQ(vg_ecosystem_to_string(VG_ECOSYSTEM_COMPOSER), "composer");
}
