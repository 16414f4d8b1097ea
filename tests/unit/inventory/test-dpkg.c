/* SPDX-License-Identifier: Apache-2.0 */
/* dpkg status / status.d / info lists, on hand-written fixtures and on this host's database. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/fileio.h"
#include "basic/strbuf.h"
#include "inventory/dpkg.h"
#include "inventory/os-release.h"
#include "inv-helper.h"
#include "tap.h"

#define S(x) x, sizeof(x) - 1

static const char status_fixture[] =
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Priority: optional\n"
	"Section: libs\n"
	"Installed-Size: 12988\n"
	"Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
	"Architecture: amd64\n"
	"Multi-Arch: same\n"
	"Source: glibc\n"
	"Version: 2.36-9+deb12u4\n"
	"Depends: libgcc-s1\n"
	"Description: GNU C Library: Shared libraries\n"
	" Contains the standard libraries that are used by nearly all programs on\n"
	" the system. This package includes shared versions of the standard C library\n"
	" .\n"
	" Package: not-a-package (continuation line)\n"
	"Homepage: https://www.gnu.org/software/libc/libc.html\n"
	"\n"
	"Package: libssl3\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: openssl (3.0.11-1~deb12u2)\n"
	"Version: 3.0.11-1~deb12u2+b1\n"
	"Description: Secure Sockets Layer toolkit - shared libraries\n"
	"\n"
	"\n"
	"Package: oldpkg\n"
	"Status: deinstall ok config-files\n"
	"Architecture: amd64\n"
	"Version: 1.0-1\n"
	"Conffiles:\n"
	" /etc/oldpkg.conf 0123456789abcdef0123456789abcdef\n"
	"\n"
	"Package: broken\n"
	"Status: install reinstreq half-installed\n"
	"Architecture: amd64\n"
	"Version: 2.0-1\n"
	"\n"
	"Package: unpacked\n"
	"Status: install ok unpacked\n"
	"Version: 2.0-1\n"
	"\n"
	"Package: held\n"
	"status: hold ok installed\n"
	"Architecture: all\n"
	"Version: 1:4.13+dfsg1-1\n"
	"\n"
	"Package: nostatus\n"
	"Version: 1\n"
	"\n"
	"Package: dash\n"
	"Status: install ok installed\r\n"
	"Architecture: amd64\n"
	"Version: 0.5.12-2"; /* no trailing newline */

TEST(status_fixture)
{
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;
	struct vg_os os;
	unsigned line = 0;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_dpkg_status_parse(S(status_fixture), 0, "var/lib/dpkg/status", 2, &a, &list,
				       &line),
		  4);
	ASSERT_EQ(list.len, (size_t)4);

	p = vg_package_find(&list, "libc6", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_EQ(p->ecosystem, VG_ECOSYSTEM_DEB);
	ASSERT_STREQ(p->version, "2.36-9+deb12u4");
	ASSERT_STREQ(p->arch, "amd64");
	ASSERT_STREQ(p->source_name, "glibc");
	ASSERT_NULL(p->source_version);
	ASSERT_STREQ(p->origin, "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
	ASSERT_STREQ(p->found_in, "var/lib/dpkg/status");
	ASSERT_EQ(p->layer, 2);

	p = vg_package_find(&list, "libssl3", "amd64");
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->source_name, "openssl");
	ASSERT_STREQ(p->source_version, "3.0.11-1~deb12u2");
	ASSERT_STREQ(p->version, "3.0.11-1~deb12u2+b1");
	memset(&os, 0, sizeof(os));
	strcpy(os.id, "debian");
	strcpy(os.version_id, "12");
	ASSERT_OK(vg_package_set_purl(p, &os, &a));
	ASSERT_STREQ(p->purl, "pkg:deb/debian/libssl3@3.0.11-1~deb12u2%2Bb1?arch=amd64"
			      "&distro=debian-12&upstream=openssl%403.0.11-1~deb12u2");

	p = vg_package_find(&list, "held", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "1:4.13+dfsg1-1");
	ASSERT_STREQ(p->source_name, "held");

	p = vg_package_find(&list, "dash", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "0.5.12-2");

	ASSERT_NULL(vg_package_find(&list, "oldpkg", NULL));
	ASSERT_NULL(vg_package_find(&list, "broken", NULL));
	ASSERT_NULL(vg_package_find(&list, "unpacked", NULL));
	ASSERT_NULL(vg_package_find(&list, "nostatus", NULL));
	ASSERT_NULL(vg_package_find(&list, "not-a-package", NULL));
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(status_d_distroless)
{
	/* gcr.io/distroless: var/lib/dpkg/status.d/base-files has no Status */
	static const char entry[] = "Package: base-files\n"
				    "Version: 12.4+deb12u5\n"
				    "Architecture: amd64\n"
				    "Maintainer: Santiago Vila <sanvila@debian.org>\n";
	struct vg_arena a;
	struct vg_vec list;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_dpkg_status_parse(S(entry), 0, "s", 0, &a, &list, NULL), 0);
	ASSERT_EQ(vg_dpkg_status_parse(S(entry), VG_DPKG_STATUS_OPTIONAL,
				       "var/lib/dpkg/status.d/base-files", 0, &a, &list, NULL),
		  1);
	ASSERT_STREQ(((struct vg_package *)vg_vec_at(&list, 0))->version, "12.4+deb12u5");
	/* a status.d entry that does carry a Status is still checked */
	ASSERT_EQ(vg_dpkg_status_parse(S("Package: x\nStatus: deinstall ok config-files\n"),
				       VG_DPKG_STATUS_OPTIONAL, NULL, 0, &a, &list, NULL),
		  0);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(status_errors_and_limits)
{
	struct vg_arena a;
	struct vg_vec list;
	unsigned line = 0;
	char *big;
	size_t n;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_ERR(vg_dpkg_status_parse(S("Package: a\nStatus: install ok installed\n\n"
					  "Package: b\nno colon here\n"),
					0, NULL, 0, &a, &list, &line),
		   -EBADMSG);
	ASSERT_EQ(line, 5u);
	ASSERT_ERR(vg_dpkg_status_parse(S(": empty name\n"), 0, NULL, 0, &a, &list, NULL),
		   -EBADMSG);
	ASSERT_EQ(vg_dpkg_status_parse("", 0, 0, NULL, 0, &a, &list, NULL), 0);
	ASSERT_EQ(vg_dpkg_status_parse(S("\n\n \n"), 0, NULL, 0, &a, &list, NULL), 0);

	/* too many fields in one stanza */
	n = (VG_INV_FIELDS_MAX + 1) * 4;
	big = malloc(n);
	ASSERT_NOT_NULL(big);
	for (size_t i = 0; i < n; i += 4)
		memcpy(big + i, "X:a\n", 4);
	ASSERT_ERR(vg_dpkg_status_parse(big, n, 0, NULL, 0, &a, &list, NULL), -E2BIG);
	free(big);

	/* one stanza over VG_INV_STANZA_MAX (a huge Description) */
	n = VG_INV_STANZA_MAX + 64;
	big = malloc(n);
	ASSERT_NOT_NULL(big);
	memset(big, ' ', n);
	memcpy(big, "Package: a\nDescription: x\n", 26);
	for (size_t i = 25; i + 2 < n; i += 100) {
		big[i] = '\n'; /* continuation lines " x   ..." */
		big[i + 2] = 'x';
	}
	ASSERT_ERR(vg_dpkg_status_parse(big, n, 0, NULL, 0, &a, &list, NULL), -E2BIG);
	free(big);

	/* package count cap */
	list.max_len = 2;
	ASSERT_ERR(vg_dpkg_status_parse(S(status_fixture), 0, NULL, 0, &a, &list, NULL), -E2BIG);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(info_files)
{
	static const char list_file[] = "/.\n/bin\n/bin/dash\n/usr/share/man/man1/dash.1.gz\n";
	static const char md5sums[] =
		"d41d8cd98f00b204e9800998ecf8427e  usr/bin/ls\n"
		"0123456789abcdef0123456789abcdef  usr/share/doc/coreutils/copyright\n";
	struct vg_arena a;
	struct vg_vec list;
	const char **files;
	size_t n;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_dpkg_status_parse(S(status_fixture), 0, NULL, 0, &a, &list, NULL), 4);

	ASSERT_OK(vg_dpkg_files_parse(S(list_file), &a, &files, &n));
	ASSERT_EQ(n, (size_t)3);
	ASSERT_STREQ(files[0], "/bin");
	ASSERT_STREQ(files[2], "/usr/share/man/man1/dash.1.gz");
	ASSERT_EQ(vg_dpkg_files_attach(&list, "var/lib/dpkg/info/dash.list", files, n), 1);
	ASSERT_EQ(vg_package_find(&list, "dash", NULL)->n_files, (size_t)3);

	ASSERT_OK(vg_dpkg_files_parse(S(md5sums), &a, &files, &n));
	ASSERT_EQ(n, (size_t)2);
	ASSERT_STREQ(files[0], "/usr/bin/ls");
	ASSERT_STREQ(files[1], "/usr/share/doc/coreutils/copyright");
	ASSERT_EQ(vg_dpkg_files_attach(&list, "libc6:amd64.md5sums", files, n), 1);
	ASSERT_EQ(vg_package_find(&list, "libc6", NULL)->n_files, (size_t)2);
	ASSERT_EQ(vg_dpkg_files_attach(&list, "libc6:i386.list", files, n), 0);
	ASSERT_EQ(vg_dpkg_files_attach(&list, "absent.list", files, n), 0);
	ASSERT_ERR(vg_dpkg_files_attach(&list, "dash.conffiles", files, n), -EINVAL);
	ASSERT_ERR(vg_dpkg_files_attach(&list, ":amd64.list", files, n), -EINVAL);
	ASSERT_ERR(vg_dpkg_files_attach(&list, ".list", files, n), -EINVAL);

	ASSERT_OK(vg_dpkg_files_parse("", 0, &a, &files, &n));
	ASSERT_EQ(n, (size_t)0);
	ASSERT_NULL(files);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* This machine's /var/lib/dpkg/status against dpkg-query. */
TEST(host_dpkg_status)
{
	cleanup_free char *buf = NULL, *out = NULL, *info = NULL;
	struct vg_arena a;
	struct vg_vec list;
	size_t len, olen;
	long want;
	int r;

	r = vg_read_file("/var/lib/dpkg/status", VG_INV_DB_MAX, &buf, &len);
	if (r == -ENOENT)
		TEST_SKIP("no /var/lib/dpkg/status on this machine");
	ASSERT_OK(r);
	r = inv_sh("dpkg-query -W -f='${db:Status-Status}\\n' | grep -c '^installed$'", NULL, &out,
		   &olen);
	if (r == 127)
		TEST_SKIP("no dpkg-query on this machine");
	ASSERT_EQ(r, 0);
	want = strtol(out, NULL, 10);
	ASSERT_GT(want, 0);

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_dpkg_status_parse(buf, len, 0, "var/lib/dpkg/status", 0, &a, &list, NULL),
		  (int)want);
	tap_diag("host dpkg: %zu installed packages (dpkg-query: %ld)\n", list.len, want);

	/* every installed package's "name arch version" line, against dpkg-query's view */
	free(out);
	out = NULL;
	ASSERT_EQ(inv_sh("dpkg-query -W -f='${db:Status-Status} ${Package} ${Architecture} "
			 "${Version}\\n' | sed -n 's/^installed //p' | LC_ALL=C sort",
			 NULL, &out, &olen),
		  0);
	{
		struct vg_strbuf sb = VG_STRBUF_INIT(0);
		char **lines = calloc(list.len, sizeof(char *));
		size_t i = 0;

		ASSERT_NOT_NULL(lines);
		vg_vec_for_each(struct vg_package, p, &list) {
			ASSERT_NOT_NULL(p->version);
			ASSERT_NOT_NULL(p->arch);
			ASSERT_TRUE(asprintf(&lines[i++], "%s %s %s\n", p->name, p->arch,
					     p->version) > 0);
		}
		qsort(lines, list.len, sizeof(char *), cmp_str);
		for (i = 0; i < list.len; i++) {
			ASSERT_OK(vg_strbuf_puts(&sb, lines[i]));
			free(lines[i]);
		}
		free(lines);
		ASSERT_STREQ(vg_strbuf_str(&sb), out);
		vg_strbuf_done(&sb);
	}
	{
		/* the brief's plain count: every package dpkg-query lists is installed here,
		 * or differs only by packages in another state */
		cleanup_free char *all = NULL;

		ASSERT_EQ(inv_sh("dpkg-query -W | wc -l", NULL, &all, &olen), 0);
		tap_diag("dpkg-query -W | wc -l: %ld\n", strtol(all, NULL, 10));
		ASSERT_GE(strtol(all, NULL, 10), want);
	}
	/* installed files of dpkg itself */
	r = vg_read_file("/var/lib/dpkg/info/dpkg.list", VG_INV_DB_MAX, &info, &len);
	if (r >= 0) {
		const char **files;
		size_t n;
		bool found = false;

		ASSERT_OK(vg_dpkg_files_parse(info, len, &a, &files, &n));
		ASSERT_EQ(vg_dpkg_files_attach(&list, "dpkg.list", files, n), 1);
		for (size_t i = 0; i < n; i++)
			found |= strcmp(files[i], "/usr/bin/dpkg") == 0;
		ASSERT_TRUE(found);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
}
