/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz os-release parsing and OS detection: the input feeds every release file in turn
 * (os-release, alpine-release, redhat-release, system-release, debian_version, lsb-release,
 * apk repositories).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/os-release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct vg_os *os)
{
	/* every field is NUL-terminated inside its array */
	if (strnlen(os->id, sizeof(os->id)) == sizeof(os->id) ||
	    strnlen(os->version_id, sizeof(os->version_id)) == sizeof(os->version_id) ||
	    strnlen(os->codename, sizeof(os->codename)) == sizeof(os->codename) ||
	    strnlen(os->pretty_name, sizeof(os->pretty_name)) == sizeof(os->pretty_name) ||
	    strnlen(os->id_like, sizeof(os->id_like)) == sizeof(os->id_like) ||
	    strnlen(os->repo_release, sizeof(os->repo_release)) == sizeof(os->repo_release))
		abort();
	if (!vg_os_family_to_string(os->family))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct vg_os_files f;
	struct vg_os os;
	int r;

	if (size > VG_INV_OS_FILE_MAX + 1)
		return 0;
	if (vg_os_release_parse(buf, size, &os) >= 0)
		check(&os);
	for (int which = 0; which < 8; which++) {
		memset(&f, 0, sizeof(f));
		f.has_dpkg_status_d = which & 1;
		switch (which) {
		case 0:
			f.etc_os_release = buf, f.etc_os_release_len = size;
			break;
		case 1:
			f.usr_lib_os_release = buf, f.usr_lib_os_release_len = size;
			f.alpine_release = buf, f.alpine_release_len = size;
			break;
		case 2:
			f.alpine_release = buf, f.alpine_release_len = size;
			break;
		case 3:
			f.redhat_release = buf, f.redhat_release_len = size;
			break;
		case 5:
			f.debian_version = buf, f.debian_version_len = size;
			break;
		case 4:
			f.system_release = buf, f.system_release_len = size;
			break;
		case 6:
			f.lsb_release = buf, f.lsb_release_len = size;
			break;
		case 7:
			f.alpine_release = "3.10.4", f.alpine_release_len = 6;
			f.apk_repositories = buf, f.apk_repositories_len = size;
			break;
		default:
			f.debian_version = buf, f.debian_version_len = size;
			break;
		}
		r = vg_os_detect(&f, &os);
		if (r < 0 && size <= VG_INV_OS_FILE_MAX)
			abort();
		if (r > 0)
			check(&os);
	}
	return 0;
}
