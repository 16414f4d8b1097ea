/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which inventory parser wants a file: the layer walker asks for every path it sees and
 * hands the contents of the matching ones to the parser named here (os-release.h, dpkg.h,
 * apk.h, rpm.h, lang.h, java.h, go.h, rust.h). Paths are image-relative ("etc/os-release");
 * a leading "/" or "./" is ignored.
 */
#ifndef VG_INVENTORY_ANALYZER_H
#define VG_INVENTORY_ANALYZER_H

#include <stdbool.h>

enum vg_inv_file {
	VG_INV_FILE_NONE,
	VG_INV_FILE_OS_RELEASE, /* etc/os-release */
	VG_INV_FILE_USR_OS_RELEASE, /* usr/lib/os-release */
	VG_INV_FILE_ALPINE_RELEASE, /* etc/alpine-release */
	VG_INV_FILE_DEBIAN_VERSION, /* etc/debian_version */
	VG_INV_FILE_REDHAT_RELEASE, /* etc/{redhat,centos,rocky,almalinux,fedora,oracle}-release */
	VG_INV_FILE_SYSTEM_RELEASE, /* etc/system-release */
	VG_INV_FILE_LSB_RELEASE, /* etc/lsb-release */
	VG_INV_FILE_APK_REPOSITORIES, /* etc/apk/repositories */
	VG_INV_FILE_DPKG_STATUS, /* var/lib/dpkg/status */
	VG_INV_FILE_DPKG_STATUS_D, /* var/lib/dpkg/status.d/<pkg> */
	VG_INV_FILE_DPKG_FILES, /* var/lib/dpkg/info/<pkg>.list|.md5sums, status.d/<pkg>.md5sums */
	VG_INV_FILE_APK_INSTALLED, /* lib/apk/db/installed, usr/lib/apk/db/installed */
	VG_INV_FILE_RPM_BDB, /* {var/lib,usr/lib/sysimage,usr/share}/rpm/Packages */
	VG_INV_FILE_RPM_NDB, /* .../rpm/Packages.db */
	VG_INV_FILE_RPM_SQLITE, /* .../rpm/rpmdb.sqlite */
	VG_INV_FILE_NPM_PACKAGE, /* .../node_modules/[@scope/]name/package.json */
	VG_INV_FILE_PYTHON_METADATA, /* *.dist-info/METADATA, *.egg-info/PKG-INFO, EGG-INFO/PKG-INFO */
	VG_INV_FILE_COMPOSER, /* .../vendor/composer/installed.json */
	VG_INV_FILE_GEMSPEC, /* .../specifications/<gem>.gemspec */
	VG_INV_FILE_JAVA_ARCHIVE, /* *.jar, *.war, *.ear, *.par, *.jpi, *.hpi, *.kar */
	VG_INV_FILE_EXECUTABLE, /* any other executable: Go buildinfo / Rust cargo-auditable */
	VG_INV_FILE__MAX,
};

/** vg_inv_file_to_string() - "dpkg-status", ...; NULL when out of range. */
const char *vg_inv_file_to_string(enum vg_inv_file f);

/**
 * vg_inv_classify() - the parser @path belongs to. @executable: the entry is a regular file
 * with an execute bit (only then VG_INV_FILE_EXECUTABLE can be returned).
 */
enum vg_inv_file vg_inv_classify(const char *path, bool executable);

#endif /* VG_INVENTORY_ANALYZER_H */
