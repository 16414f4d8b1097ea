/* SPDX-License-Identifier: Apache-2.0 */
/* os-release parsing and OS detection from release files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "inventory/os-release.h"
#include "inv-helper.h"
#include "tap.h"

#define S(x) x, sizeof(x) - 1

static const char debian12[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
			       "NAME=\"Debian GNU/Linux\"\n"
			       "VERSION_ID=\"12\"\n"
			       "VERSION=\"12 (bookworm)\"\n"
			       "VERSION_CODENAME=bookworm\n"
			       "ID=debian\n"
			       "HOME_URL=\"https://www.debian.org/\"\n";

/* /etc/os-release of the alpine-310 fixture image */
static const char alpine310[] = "NAME=\"Alpine Linux\"\n"
				"ID=alpine\n"
				"VERSION_ID=3.10.4\n"
				"PRETTY_NAME=\"Alpine Linux v3.10\"\n"
				"HOME_URL=\"https://alpinelinux.org/\"\n"
				"BUG_REPORT_URL=\"https://bugs.alpinelinux.org/\"\n";

TEST(os_release_debian)
{
	struct vg_os os;

	ASSERT_OK(vg_os_release_parse(S(debian12), &os));
	ASSERT_STREQ(os.id, "debian");
	ASSERT_STREQ(os.version_id, "12");
	ASSERT_STREQ(os.codename, "bookworm");
	ASSERT_STREQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
}

TEST(os_release_syntax)
{
	static const char text[] = "# comment\n"
				   "   # indented comment\n"
				   "\n"
				   "not a key value line\n"
				   "ID='rhel'\n"
				   "ID_LIKE=\"fedora centos\"\r\n"
				   "VERSION_ID=\"8.\\\"4\\\\\"\n" /* 8."4\ */
				   "PRETTY_NAME=\"Red Hat \\$x `y`\"   \n"
				   "VERSION_CODENAME=ab\\ cd\n"
				   "BAD KEY=1\n"
				   "=novalue\n";
	struct vg_os os;

	ASSERT_OK(vg_os_release_parse(S(text), &os));
	ASSERT_STREQ(os.id, "rhel");
	ASSERT_STREQ(os.id_like, "fedora centos");
	ASSERT_STREQ(os.version_id, "8.\"4\\");
	ASSERT_STREQ(os.pretty_name, "Red Hat $x `y`");
	ASSERT_STREQ(os.codename, "ab cd");
}

TEST(os_release_edge)
{
	struct vg_os os;
	char big[VG_INV_OS_FIELD_MAX * 2 + 8];

	/* nothing useful */
	ASSERT_ERR(vg_os_release_parse(S("# only a comment\nFOO=bar\n"), &os), -EBADMSG);
	ASSERT_ERR(vg_os_release_parse("", 0, &os), -EBADMSG);
	/* no trailing newline, unterminated quote runs to end of line */
	ASSERT_OK(vg_os_release_parse(S("ID=\"alpine\nVERSION_ID=3.11"), &os));
	ASSERT_STREQ(os.id, "alpine");
	ASSERT_STREQ(os.version_id, "3.11");
	/* a long value is truncated, not overflowed */
	memcpy(big, "ID=", 3);
	memset(big + 3, 'x', sizeof(big) - 4);
	big[sizeof(big) - 1] = '\0';
	ASSERT_OK(vg_os_release_parse(big, strlen(big), &os));
	ASSERT_EQ(strlen(os.id), (size_t)VG_INV_OS_FIELD_MAX - 1);
	/* input over the file limit */
	ASSERT_ERR(vg_os_release_parse(debian12, VG_INV_OS_FILE_MAX + 1, &os), -E2BIG);
}

TEST(detect_os_release_first)
{
	struct vg_os_files f = {0};
	struct vg_os os;

	f.etc_os_release = debian12;
	f.etc_os_release_len = strlen(debian12);
	f.debian_version = "12.4\n";
	f.debian_version_len = 5;
	f.has_dpkg_status = true;
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.id, "debian");
	ASSERT_STREQ(os.version_id, "12");
	ASSERT_EQ(os.family, VG_OS_FAMILY_DEBIAN);
	ASSERT_FALSE(os.distroless);
	ASSERT_STREQ(os.source, "etc/os-release");

	/* usr/lib/os-release when etc/os-release is empty */
	f.etc_os_release = "";
	f.etc_os_release_len = 0;
	f.usr_lib_os_release = alpine310;
	f.usr_lib_os_release_len = strlen(alpine310);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.id, "alpine");
	ASSERT_STREQ(os.source, "usr/lib/os-release");
	ASSERT_EQ(os.family, VG_OS_FAMILY_ALPINE);
	ASSERT_STREQ(vg_os_family_to_string(os.family), "alpine");
}

TEST(detect_alpine_release)
{
	struct vg_os_files f = {0};
	struct vg_os os;

	/* os-release says 3.10, alpine-release the full 3.10.4 */
	f.etc_os_release = "ID=alpine\nVERSION_ID=3.10\n";
	f.etc_os_release_len = strlen(f.etc_os_release);
	f.alpine_release = "3.10.4\n";
	f.alpine_release_len = 7;
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.version_id, "3.10.4");

	/* alpine-release alone */
	f.etc_os_release = NULL;
	f.etc_os_release_len = 0;
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.id, "alpine");
	ASSERT_STREQ(os.version_id, "3.10.4");
	ASSERT_STREQ(os.pretty_name, "alpine 3.10.4");
	ASSERT_STREQ(os.source, "etc/alpine-release");
}

TEST(detect_redhat_family)
{
	static const struct {
		const char *text, *id, *version;
	} cases[] = {
		{"CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009"},
		{"Red Hat Enterprise Linux release 8.4 (Ootpa)\n", "rhel", "8.4"},
		{"Rocky Linux release 8.5 (Green Obsidian)\n", "rocky", "8.5"},
		{"AlmaLinux release 9.1 (Lime Lynx)\n", "almalinux", "9.1"},
		{"Fedora release 35 (Thirty Five)\n", "fedora", "35"},
		{"Oracle Linux Server release 7.9\n", "ol", "7.9"},
	};
	struct vg_os_files f = {0};
	struct vg_os os;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f.redhat_release = cases[i].text;
		f.redhat_release_len = strlen(cases[i].text);
		ASSERT_EQ(vg_os_detect(&f, &os), 1);
		ASSERT_STREQ(os.id, cases[i].id);
		ASSERT_STREQ(os.version_id, cases[i].version);
		ASSERT_EQ(os.family, VG_OS_FAMILY_REDHAT);
	}
	/* unknown text in redhat-release: nothing else found */
	f.redhat_release = "Something else\n";
	f.redhat_release_len = strlen(f.redhat_release);
	ASSERT_EQ(vg_os_detect(&f, &os), 0);
	ASSERT_STREQ(os.id, "");

	memset(&f, 0, sizeof(f));
	f.system_release = "Amazon Linux release 2 (Karoo)\n";
	f.system_release_len = strlen(f.system_release);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.id, "amzn");
	ASSERT_STREQ(os.version_id, "2");
	ASSERT_STREQ(os.source, "etc/system-release");

	/* ID_LIKE gives the family of a derivative */
	memset(&f, 0, sizeof(f));
	f.etc_os_release = "ID=\"someel\"\nID_LIKE=\"unknownthing rhel fedora\"\nVERSION_ID=9\n";
	f.etc_os_release_len = strlen(f.etc_os_release);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_EQ(os.family, VG_OS_FAMILY_REDHAT);
}

TEST(detect_debian_version_and_distroless)
{
	struct vg_os_files f = {0};
	struct vg_os os;

	f.debian_version = "11.7\n";
	f.debian_version_len = 5;
	f.has_dpkg_status = true;
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.id, "debian");
	ASSERT_STREQ(os.version_id, "11");
	ASSERT_FALSE(os.distroless);

	f.debian_version = "bookworm/sid\n";
	f.debian_version_len = strlen(f.debian_version);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.version_id, "bookworm/sid");

	/* gcr.io/distroless/static: status.d, no dpkg/status, no os-release */
	memset(&f, 0, sizeof(f));
	f.has_dpkg_status_d = true;
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_TRUE(os.distroless);
	ASSERT_STREQ(os.id, "debian");
	ASSERT_EQ(os.family, VG_OS_FAMILY_DEBIAN);
	ASSERT_STREQ(os.source, "var/lib/dpkg/status.d");

	/* distroless with an os-release (gcr.io/distroless/base-debian12) */
	f.etc_os_release = debian12;
	f.etc_os_release_len = strlen(debian12);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_TRUE(os.distroless);
	ASSERT_STREQ(os.version_id, "12");

	/* nothing at all */
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(vg_os_detect(&f, &os), 0);
	/* oversized file */
	f.debian_version = debian12;
	f.debian_version_len = VG_INV_OS_FILE_MAX + 1;
	ASSERT_ERR(vg_os_detect(&f, &os), -E2BIG);
}

TEST(detect_lsb_release_and_apk_repositories)
{
	struct vg_os_files f = {0};
	struct vg_os os;

	f.lsb_release = "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n"
			"DISTRIB_DESCRIPTION=\"Ubuntu 22.04.3 LTS\"\n";
	f.lsb_release_len = strlen(f.lsb_release);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.id, "ubuntu");
	ASSERT_STREQ(os.version_id, "22.04");
	ASSERT_STREQ(os.codename, "jammy");
	ASSERT_STREQ(os.pretty_name, "Ubuntu 22.04.3 LTS");
	ASSERT_EQ(os.family, VG_OS_FAMILY_DEBIAN);
	ASSERT_STREQ(os.source, "etc/lsb-release");

	memset(&f, 0, sizeof(f));
	f.alpine_release = "3.12.0\n";
	f.alpine_release_len = 7;
	f.apk_repositories = "# comment\n\nhttps://dl-cdn.alpinelinux.org/alpine/edge/main\n";
	f.apk_repositories_len = strlen(f.apk_repositories);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.repo_release, "edge");
	f.apk_repositories =
		"/vx/\nhttps://mirror/alpine/v3.12/main\nhttps://m/alpine/v3.13/main\n";
	f.apk_repositories_len = strlen(f.apk_repositories);
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_STREQ(os.repo_release, "3.12");
}

/* The release files of the Alpine fixture images, extracted with tar. */
static char *image_file(const char *image, const char *file, size_t *len)
{
	const char *dir = getenv("VG_IMAGES_DIR");
	char *path = NULL, *out = NULL, script[512];

	if (!dir || asprintf(&path, "%s/%s", dir, image) < 0 || access(path, R_OK) < 0) {
		free(path);
		return NULL;
	}
	(void)snprintf(script, sizeof(script),
		       "L=$(tar -tzf \"$1\" | grep '/layer.tar$' | head -n 1); "
		       "tar -xzOf \"$1\" \"$L\" | tar -xO %s",
		       file);
	if (inv_sh(script, path, &out, len) != 0) {
		free(out);
		out = NULL;
	}
	free(path);
	return out;
}

TEST(alpine_images)
{
	static const struct {
		const char *image, *version, *repo;
	} cases[] = {
		{"alpine-310.docker.tar.gz", "3.10.4", "3.10"},
		{"alpine-311.docker.tar.gz", "3.11.5", "3.11"},
	};

	for (size_t i = 0; i < 2; i++) {
		struct vg_os_files f = {0};
		struct vg_os os;
		char *osr, *rel, *repos;

		osr = image_file(cases[i].image, "etc/os-release", &f.etc_os_release_len);
		if (!osr)
			TEST_SKIP("the Alpine fixture images (VG_IMAGES_DIR) are missing");
		rel = image_file(cases[i].image, "etc/alpine-release", &f.alpine_release_len);
		repos = image_file(cases[i].image, "etc/apk/repositories", &f.apk_repositories_len);
		ASSERT_NOT_NULL(rel);
		ASSERT_NOT_NULL(repos);
		f.etc_os_release = osr;
		f.alpine_release = rel;
		f.apk_repositories = repos;
		ASSERT_EQ(vg_os_detect(&f, &os), 1);
		ASSERT_STREQ(os.id, "alpine");
		ASSERT_STREQ(os.version_id, cases[i].version);
		ASSERT_STREQ(os.repo_release, cases[i].repo);
		ASSERT_EQ(os.family, VG_OS_FAMILY_ALPINE);
		ASSERT_FALSE(os.distroless);
		free(osr);
		free(rel);
		free(repos);
	}
}

/* This machine's own release files. */
TEST(host_os_release)
{
	cleanup_free char *osr = NULL, *dv = NULL;
	struct vg_os_files f = {0};
	struct vg_os os;

	if (vg_read_file("/etc/os-release", VG_INV_OS_FILE_MAX, &osr, &f.etc_os_release_len) < 0)
		TEST_SKIP("no /etc/os-release");
	f.etc_os_release = osr;
	if (vg_read_file("/etc/debian_version", VG_INV_OS_FILE_MAX, &dv, &f.debian_version_len) >=
	    0)
		f.debian_version = dv;
	ASSERT_EQ(vg_os_detect(&f, &os), 1);
	ASSERT_NE(os.id[0], '\0');
	tap_diag("host: id=%s version_id=%s codename=%s family=%s\n", os.id, os.version_id,
		 os.codename, vg_os_family_to_string(os.family));
}
