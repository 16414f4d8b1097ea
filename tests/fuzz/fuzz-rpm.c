/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the rpm header blob parser and the NDB Packages.db, BDB Packages and rpmdb.sqlite readers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/rpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_arena a;
	struct vg_vec list;
	int r;

	if (size > 4 * 1024 * 1024)
		return 0;
	vg_arena_init(&a, 64u * 1024 * 1024);
	vg_package_list_init(&list);
	r = vg_rpm_header_parse(data, size, true, "rpmdb.sqlite", 0, &a, &list);
	if (r > 0) {
		struct vg_package *p = vg_vec_at(&list, 0);

		if (!p->name || !p->version || !p->source_name)
			abort();
		for (size_t i = 0; i < p->n_files; i++)
			if (!p->files[i])
				abort();
		(void)!vg_package_set_purl(p, NULL, &a);
	}
	vg_vec_clear(&list);
	r = vg_rpm_ndb_parse(data, size, true, "Packages.db", 0, &a, &list);
	if (r >= 0 && (size_t)r != list.len)
		abort();
	vg_vec_clear(&list);
	r = vg_rpm_bdb_parse(data, size, true, "Packages", 0, &a, &list);
	if (r >= 0 && (size_t)r != list.len)
		abort();
	vg_vec_clear(&list);
	if (size >= 16 && !memcmp(data, "SQLite format 3", 16)) {
		/* the reader may rewrite the WAL header bytes: give it a copy */
		uint8_t *copy = malloc(size);

		if (!copy)
			abort();
		memcpy(copy, data, size);
		r = vg_rpm_sqlite_parse(copy, size, true, "rpmdb.sqlite", 0, &a, &list);
		if (r >= 0 && (size_t)r != list.len)
			abort();
		free(copy);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
	return 0;
}
