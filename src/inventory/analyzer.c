/* SPDX-License-Identifier: Apache-2.0 */
/* Path -> inventory parser. */
#include <string.h>

#include "basic/string-util.h"
#include "inventory/analyzer.h"
#include "inventory/java.h"

static const char *const names[VG_INV_FILE__MAX] = {
	[VG_INV_FILE_NONE] = "none",
	[VG_INV_FILE_OS_RELEASE] = "os-release",
	[VG_INV_FILE_USR_OS_RELEASE] = "usr-os-release",
	[VG_INV_FILE_ALPINE_RELEASE] = "alpine-release",
	[VG_INV_FILE_DEBIAN_VERSION] = "debian-version",
	[VG_INV_FILE_REDHAT_RELEASE] = "redhat-release",
	[VG_INV_FILE_SYSTEM_RELEASE] = "system-release",
	[VG_INV_FILE_LSB_RELEASE] = "lsb-release",
	[VG_INV_FILE_APK_REPOSITORIES] = "apk-repositories",
	[VG_INV_FILE_DPKG_STATUS] = "dpkg-status",
	[VG_INV_FILE_DPKG_STATUS_D] = "dpkg-status-d",
	[VG_INV_FILE_DPKG_FILES] = "dpkg-files",
	[VG_INV_FILE_APK_INSTALLED] = "apk-installed",
	[VG_INV_FILE_RPM_BDB] = "rpm-bdb",
	[VG_INV_FILE_RPM_NDB] = "rpm-ndb",
	[VG_INV_FILE_RPM_SQLITE] = "rpm-sqlite",
	[VG_INV_FILE_NPM_PACKAGE] = "npm-package",
	[VG_INV_FILE_PYTHON_METADATA] = "python-metadata",
	[VG_INV_FILE_COMPOSER] = "composer-installed",
	[VG_INV_FILE_GEMSPEC] = "gemspec",
	[VG_INV_FILE_JAVA_ARCHIVE] = "java-archive",
	[VG_INV_FILE_EXECUTABLE] = "executable",
};

const char *vg_inv_file_to_string(enum vg_inv_file f)
{
	if ((int)f < 0 || f >= VG_INV_FILE__MAX)
		return NULL;
	return names[f];
}

static const struct {
	const char *path;
	enum vg_inv_file kind;
} exact[] = {
	{"etc/os-release", VG_INV_FILE_OS_RELEASE},
	{"usr/lib/os-release", VG_INV_FILE_USR_OS_RELEASE},
	{"etc/alpine-release", VG_INV_FILE_ALPINE_RELEASE},
	{"etc/debian_version", VG_INV_FILE_DEBIAN_VERSION},
	{"etc/redhat-release", VG_INV_FILE_REDHAT_RELEASE},
	{"etc/centos-release", VG_INV_FILE_REDHAT_RELEASE},
	{"etc/rocky-release", VG_INV_FILE_REDHAT_RELEASE},
	{"etc/almalinux-release", VG_INV_FILE_REDHAT_RELEASE},
	{"etc/fedora-release", VG_INV_FILE_REDHAT_RELEASE},
	{"etc/oracle-release", VG_INV_FILE_REDHAT_RELEASE},
	{"etc/system-release", VG_INV_FILE_SYSTEM_RELEASE},
	{"etc/lsb-release", VG_INV_FILE_LSB_RELEASE},
	{"etc/apk/repositories", VG_INV_FILE_APK_REPOSITORIES},
	{"var/lib/dpkg/status", VG_INV_FILE_DPKG_STATUS},
	{"lib/apk/db/installed", VG_INV_FILE_APK_INSTALLED},
	{"usr/lib/apk/db/installed", VG_INV_FILE_APK_INSTALLED},
};

static const char *const rpm_dirs[] = {"var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/"};

/* One path component: non-empty, no '/'. */
static bool is_component(const char *s, size_t n)
{
	return n > 0 && !memchr(s, '/', n);
}

/* [s, end) ends with @suffix; with @whole, as an entire path component. */
static bool range_endswith(const char *s, const char *end, const char *suffix, bool whole)
{
	size_t n = strlen(suffix);
	const char *start;

	if ((size_t)(end - s) < n)
		return false;
	start = end - n;
	if (memcmp(start, suffix, n) != 0)
		return false;
	if (whole)
		return start == s || start[-1] == '/';
	return (size_t)(end - s) > n && start[-1] != '/'; /* "x.dist-info", not ".dist-info" */
}

static bool is_npm_package(const char *p)
{
	const char *nm = NULL, *rest, *end;
	size_t n;

	/* the last "node_modules/" that starts a component */
	for (const char *q = p; (q = strstr(q, "node_modules/")); q++)
		if (q == p || q[-1] == '/')
			nm = q;
	if (!nm)
		return false;
	rest = nm + strlen("node_modules/");
	end = vg_endswith(rest, "/package.json");
	if (!end)
		return false;
	n = (size_t)(end - rest);
	if (rest[0] == '@') {
		const char *slash = memchr(rest, '/', n);

		return slash && is_component(rest, (size_t)(slash - rest)) &&
		       is_component(slash + 1, (size_t)(end - slash - 1));
	}
	return is_component(rest, n);
}

enum vg_inv_file vg_inv_classify(const char *path, bool executable)
{
	const char *p = path, *base, *r;

	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p += (*p == '/') ? 1 : 2;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(p, exact[i].path) == 0)
			return exact[i].kind;

	if ((r = vg_startswith(p, "var/lib/dpkg/status.d/")) && is_component(r, strlen(r)))
		return vg_endswith(r, ".md5sums") ? VG_INV_FILE_DPKG_FILES
						  : VG_INV_FILE_DPKG_STATUS_D;
	if ((r = vg_startswith(p, "var/lib/dpkg/info/")) && is_component(r, strlen(r)) &&
	    (vg_endswith(r, ".list") || vg_endswith(r, ".md5sums")))
		return VG_INV_FILE_DPKG_FILES;
	for (size_t i = 0; i < sizeof(rpm_dirs) / sizeof(rpm_dirs[0]); i++) {
		if (!(r = vg_startswith(p, rpm_dirs[i])))
			continue;
		if (strcmp(r, "Packages") == 0)
			return VG_INV_FILE_RPM_BDB;
		if (strcmp(r, "Packages.db") == 0)
			return VG_INV_FILE_RPM_NDB;
		if (strcmp(r, "rpmdb.sqlite") == 0)
			return VG_INV_FILE_RPM_SQLITE;
	}

	base = strrchr(p, '/');
	base = base ? base + 1 : p;
	if (strcmp(base, "package.json") == 0 && is_npm_package(p))
		return VG_INV_FILE_NPM_PACKAGE;
	if (strcmp(base, "METADATA") == 0 && base > p &&
	    range_endswith(p, base - 1, ".dist-info", false))
		return VG_INV_FILE_PYTHON_METADATA;
	if (strcmp(base, "PKG-INFO") == 0 && base > p &&
	    (range_endswith(p, base - 1, ".egg-info", false) ||
	     range_endswith(p, base - 1, "EGG-INFO", true)))
		return VG_INV_FILE_PYTHON_METADATA;
	if (strcmp(p, "vendor/composer/installed.json") == 0 ||
	    vg_endswith(p, "/vendor/composer/installed.json"))
		return VG_INV_FILE_COMPOSER;
	if (vg_endswith(base, ".gemspec") && base > p &&
	    range_endswith(p, base - 1, "specifications", true))
		return VG_INV_FILE_GEMSPEC;
	if (vg_java_is_archive_name(base))
		return VG_INV_FILE_JAVA_ARCHIVE;
	return executable ? VG_INV_FILE_EXECUTABLE : VG_INV_FILE_NONE;
}
