/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the dpkg status parser (status and status.d modes), the info/<pkg>.list / md5sums
 * parser and purl building over what was parsed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/dpkg.h"
#include "inventory/os-release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct vg_os os = {.id = "debian", .version_id = "12"};
	struct vg_arena a;
	struct vg_vec list;
	const char **files;
	size_t n;
	int r;

	if (size > 4 * 1024 * 1024)
		return 0;
	vg_arena_init(&a, 64u * 1024 * 1024);
	vg_package_list_init(&list);
	for (unsigned flags = 0; flags <= VG_DPKG_STATUS_OPTIONAL; flags++) {
		vg_vec_clear(&list);
		r = vg_dpkg_status_parse(buf, size, flags, "var/lib/dpkg/status", 0, &a, &list,
					 NULL);
		if (r >= 0 && (size_t)r != list.len)
			abort();
		vg_vec_for_each(struct vg_package, p, &list) {
			if (!p->name || !p->source_name || !*p->name)
				abort();
			if (vg_package_set_purl(p, &os, &a) >= 0 &&
			    strncmp(p->purl, "pkg:deb/debian/", 15) != 0)
				abort();
		}
	}
	if (vg_dpkg_files_parse(buf, size, &a, &files, &n) >= 0) {
		for (size_t i = 0; i < n; i++)
			if (files[i][0] != '/')
				abort();
		if (list.len > 0)
			(void)!vg_dpkg_files_attach(&list, "x:amd64.list", files, n);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
	return 0;
}
