/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OS detection from the release files of an image (or a root filesystem). Pure functions over
 * buffers: the caller (the layer walker) hands in the contents of the files it found.
 * os-release syntax: os-release(5) — KEY=value lines, values optionally in double or single
 * quotes, shell-style backslash escapes inside double quotes, '#' comments.
 */
#ifndef VG_INVENTORY_OS_RELEASE_H
#define VG_INVENTORY_OS_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/limits.h"

enum vg_os_family {
	VG_OS_FAMILY_UNKNOWN,
	VG_OS_FAMILY_DEBIAN, /* debian, ubuntu, distroless (dpkg) */
	VG_OS_FAMILY_ALPINE,
	VG_OS_FAMILY_REDHAT, /* rhel, centos, fedora, rocky, alma, ol, amzn */
	VG_OS_FAMILY_SUSE,
	VG_OS_FAMILY__MAX,
};

struct vg_os {
	char id[VG_INV_OS_FIELD_MAX]; /* "debian", "alpine", "rhel", ... ; "" unknown */
	char version_id[VG_INV_OS_FIELD_MAX]; /* "12", "3.10.4" */
	char codename[VG_INV_OS_FIELD_MAX]; /* VERSION_CODENAME: "bookworm" */
	char pretty_name[VG_INV_OS_FIELD_MAX]; /* PRETTY_NAME */
	char id_like[VG_INV_OS_FIELD_MAX]; /* ID_LIKE, space separated */
	char repo_release[VG_INV_OS_FIELD_MAX]; /* Alpine: "3.10" from etc/apk/repositories */
	enum vg_os_family family;
	bool distroless; /* dpkg status.d without an os-release (gcr.io/distroless) */
	const char *source; /* image path the answer came from (static string) */
};

/* The contents of the release files, each NULL when the file is absent. */
struct vg_os_files {
	const char *etc_os_release;
	size_t etc_os_release_len;
	const char *usr_lib_os_release;
	size_t usr_lib_os_release_len;
	const char *alpine_release;
	size_t alpine_release_len;
	const char *debian_version;
	size_t debian_version_len;
	const char *redhat_release; /* etc/redhat-release or a variant (centos-, rocky-, ...) */
	size_t redhat_release_len;
	const char *system_release; /* etc/system-release (Amazon Linux) */
	size_t system_release_len;
	const char *lsb_release; /* etc/lsb-release (Ubuntu without os-release) */
	size_t lsb_release_len;
	const char *apk_repositories; /* etc/apk/repositories */
	size_t apk_repositories_len;
	bool has_dpkg_status_d; /* var/lib/dpkg/status.d/ has entries */
	bool has_dpkg_status; /* var/lib/dpkg/status exists */
};

const char *vg_os_family_to_string(enum vg_os_family f);

/**
 * vg_os_release_parse() - parses os-release(5) text into @ret (fields not present stay "").
 * Values longer than VG_INV_OS_FIELD_MAX - 1 are truncated; lines that are not KEY=value are
 * ignored (as systemd does). Returns 0, -E2BIG when @len exceeds VG_INV_OS_FILE_MAX,
 * -EBADMSG when no ID, NAME or VERSION_ID line was found.
 */
VG_MUST_CHECK int vg_os_release_parse(const char *buf, size_t len, struct vg_os *ret);

/**
 * vg_os_detect() - picks the OS from the files found, in this order: etc/os-release,
 * usr/lib/os-release, alpine-release, redhat-release, system-release, lsb-release,
 * debian_version;
 * dpkg status.d without any of those means distroless (Debian family). alpine-release
 * refines VERSION_ID to the full "3.10.4" when os-release only said less; for Alpine,
 * etc/apk/repositories gives repo_release ("3.10" from ".../v3.10/main", "edge"), the
 * release Trivy matches vulnerabilities against.
 * Returns 1 when an OS was found, 0 when none was (ret zeroed), -E2BIG when a file exceeds
 * VG_INV_OS_FILE_MAX.
 */
VG_MUST_CHECK int vg_os_detect(const struct vg_os_files *files, struct vg_os *ret);

#endif /* VG_INVENTORY_OS_RELEASE_H */
