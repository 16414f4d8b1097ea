/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the ZIP reader: open, walk the central directory, look an entry up and read every
 * entry (bounded), through all three read functions.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared/zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vg_zip_entry e;
	struct vg_zip z;
	struct vg_zip_iter it;
	unsigned n = 0;
	int r;

	if (size > 4 * 1024 * 1024 || vg_zip_open(&z, data, size) < 0)
		return 0;
	vg_zip_iter_init(&z, &it);
	while ((r = vg_zip_next(&z, &it, &e)) != 0 && n++ < 256) {
		char buf[256], *heap;
		const uint8_t *view;
		void *owned;
		size_t len;

		if (r == -ENAMETOOLONG)
			continue;
		if (r < 0)
			break;
		if (e.name_len > VG_ZIP_NAME_MAX || strlen(e.name) > e.name_len)
			abort();
		if (vg_zip_read(&z, &e, buf, sizeof(buf), &len) == 0 && len > sizeof(buf))
			abort();
		if (vg_zip_read_alloc(&z, &e, 1 << 20, &heap, &len) == 0) {
			if (len > (1 << 20) || heap[len] != '\0')
				abort();
			free(heap);
		}
		if (vg_zip_read_view(&z, &e, 1 << 20, &view, &len, &owned) == 0) {
			if (!owned && (view < data || view + len > data + size))
				abort();
			free(owned);
		}
	}
	(void)!vg_zip_find(&z, "META-INF/MANIFEST.MF", &e);
	vg_zip_close(&z);
	return 0;
}
