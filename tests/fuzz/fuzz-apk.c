/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the apk installed database parser (with and without files) and apk purls. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/apk.h"
#include "inventory/os-release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_os os = {.id = "alpine", .version_id = "3.10.4"};
	struct vg_arena a;
	struct vg_vec list;
	int r;

	if (size > 4 * 1024 * 1024)
		return 0;
	vg_arena_init(&a, 64u * 1024 * 1024);
	vg_package_list_init(&list);
	for (int want_files = 0; want_files <= 1; want_files++) {
		vg_vec_clear(&list);
		r = vg_apk_installed_parse((const char *)data, size, want_files,
					   "lib/apk/db/installed", 0, &a, &list, NULL);
		if (r >= 0 && (size_t)r != list.len)
			abort();
		vg_vec_for_each(struct vg_package, p, &list) {
			if (!p->name || !p->source_name)
				abort();
			if (!want_files && p->files)
				abort();
			for (size_t i = 0; i < p->n_files; i++)
				if (p->files[i][0] != '/')
					abort();
			if (vg_package_set_purl(p, &os, &a) >= 0 &&
			    strncmp(p->purl, "pkg:apk/alpine/", 15) != 0)
				abort();
		}
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
	return 0;
}
