/* SPDX-License-Identifier: Apache-2.0 */
/* Path -> inventory parser classification. */
#include <string.h>

#include "inventory/analyzer.h"
#include "tap.h"

TEST(classify)
{
	static const struct {
		const char *path;
		bool exec;
		enum vg_inv_file want;
	} cases[] = {
		{"etc/os-release", false, VG_INV_FILE_OS_RELEASE},
		{"/etc/os-release", false, VG_INV_FILE_OS_RELEASE},
		{"./usr/lib/os-release", false, VG_INV_FILE_USR_OS_RELEASE},
		{"etc/alpine-release", false, VG_INV_FILE_ALPINE_RELEASE},
		{"etc/debian_version", false, VG_INV_FILE_DEBIAN_VERSION},
		{"etc/centos-release", false, VG_INV_FILE_REDHAT_RELEASE},
		{"etc/system-release", false, VG_INV_FILE_SYSTEM_RELEASE},
		{"etc/lsb-release", false, VG_INV_FILE_LSB_RELEASE},
		{"etc/apk/repositories", false, VG_INV_FILE_APK_REPOSITORIES},
		{"var/lib/dpkg/status", false, VG_INV_FILE_DPKG_STATUS},
		{"var/lib/dpkg/status-old", false, VG_INV_FILE_NONE},
		{"var/lib/dpkg/status.d/base-files", false, VG_INV_FILE_DPKG_STATUS_D},
		{"var/lib/dpkg/status.d/base-files.md5sums", false, VG_INV_FILE_DPKG_FILES},
		{"var/lib/dpkg/status.d/sub/x", false, VG_INV_FILE_NONE},
		{"var/lib/dpkg/info/libc6:amd64.list", false, VG_INV_FILE_DPKG_FILES},
		{"var/lib/dpkg/info/bash.md5sums", false, VG_INV_FILE_DPKG_FILES},
		{"var/lib/dpkg/info/bash.postinst", true, VG_INV_FILE_EXECUTABLE},
		{"lib/apk/db/installed", false, VG_INV_FILE_APK_INSTALLED},
		{"usr/lib/apk/db/installed", false, VG_INV_FILE_APK_INSTALLED},
		{"var/lib/rpm/Packages", false, VG_INV_FILE_RPM_BDB},
		{"usr/lib/sysimage/rpm/Packages.db", false, VG_INV_FILE_RPM_NDB},
		{"usr/share/rpm/rpmdb.sqlite", false, VG_INV_FILE_RPM_SQLITE},
		{"var/lib/rpm/Name", false, VG_INV_FILE_NONE},
		{"app/node_modules/lodash/package.json", false, VG_INV_FILE_NPM_PACKAGE},
		{"node_modules/@babel/core/package.json", false, VG_INV_FILE_NPM_PACKAGE},
		{"a/node_modules/x/node_modules/y/package.json", false, VG_INV_FILE_NPM_PACKAGE},
		{"app/node_modules/lodash/lib/package.json", false, VG_INV_FILE_NONE},
		{"app/package.json", false, VG_INV_FILE_NONE},
		{"app/my_node_modules/x/package.json", false, VG_INV_FILE_NONE},
		{"node_modules/@scope/package.json", false, VG_INV_FILE_NONE},
		{"usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", false,
		 VG_INV_FILE_PYTHON_METADATA},
		{"usr/lib/python3/site/x.egg-info/PKG-INFO", false, VG_INV_FILE_PYTHON_METADATA},
		{"usr/lib/python3/x.egg/EGG-INFO/PKG-INFO", false, VG_INV_FILE_PYTHON_METADATA},
		{"usr/lib/python3/.dist-info/METADATA", false, VG_INV_FILE_NONE},
		{"METADATA", false, VG_INV_FILE_NONE},
		{"srv/app/vendor/composer/installed.json", false, VG_INV_FILE_COMPOSER},
		{"vendor/composer/installed.json", false, VG_INV_FILE_COMPOSER},
		{"usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec", false,
		 VG_INV_FILE_GEMSPEC},
		{"app/rake.gemspec", false, VG_INV_FILE_NONE},
		{"usr/bin/runc", true, VG_INV_FILE_EXECUTABLE},
		{"usr/bin/runc", false, VG_INV_FILE_NONE},
		{"", false, VG_INV_FILE_NONE},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum vg_inv_file got = vg_inv_classify(cases[i].path, cases[i].exec);

		if (got != cases[i].want)
			tap_diag("%s: got %s, want %s\n", cases[i].path, vg_inv_file_to_string(got),
				 vg_inv_file_to_string(cases[i].want));
		ASSERT_EQ(got, cases[i].want);
	}
	ASSERT_STREQ(vg_inv_file_to_string(VG_INV_FILE_DPKG_STATUS), "dpkg-status");
	ASSERT_NULL(vg_inv_file_to_string(VG_INV_FILE__MAX));
}
