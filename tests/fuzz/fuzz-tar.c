/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the tar reader behind the decompressing reader (plain, gzip or zstd input): every
 * entry's content is read in odd-sized chunks; errors must carry a "tar:" message. Then the
 * same bytes go through the layer walker twice (two layers: whiteouts apply to the first)
 * and every visible path is resolved.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/decompress.h"
#include "image/layer.h"
#include "image/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;

	if (k > n)
		k = n;
	if (k > 777)
		k = 777;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size, 0};
	struct vg_decomp *d = NULL;
	const struct vg_tar_entry *e;
	static struct vg_tar t;
	char buf[1000];
	int r, i = 0;

	if (vg_decomp_new(mem_read, &m, 16u << 20, &d) < 0)
		return 0;
	vg_tar_init(&t, vg_decomp_read, d);
	while ((r = vg_tar_next(&t, &e)) > 0) {
		ssize_t k;

		if (strlen(e->path) == 0 || strlen(e->path) > VG_PATH_MAX ||
		    strlen(e->link) > VG_PATH_MAX || e->type >= VG_TAR_TYPE__MAX)
			abort();
		if (e->size > 0 && (i++ & 1)) /* read every other entry, skip the rest */
			while ((k = vg_tar_read(&t, buf, 1 + (size_t)(e->size % sizeof(buf)))) > 0)
				;
	}
	if (r < 0 && t.error && strncmp(vg_tar_error(&t), "tar: ", 5) != 0)
		abort();
	vg_decomp_free(d);

	struct vg_fs fs;
	struct vg_hashmap_entry *he;

	vg_fs_init(&fs);
	for (int layer = 0; layer < 2; layer++) {
		m.pos = 0;
		if (vg_layer_walk(&fs, mem_read, &m, NULL, NULL) < 0) {
			if (fs.err[0] == '\0')
				abort();
			break;
		}
	}
	for (size_t c = 0; vg_hashmap_next(&fs.live, &c, &he);) {
		const struct vg_file *f = he->value, *g;

		if (f->deleted_by >= 0 || f->path[0] == '/' || strstr(f->path, "..") == f->path)
			abort();
		if (vg_fs_resolve(&fs, f->path, &g) == 0 && g->deleted_by >= 0)
			abort();
	}
	vg_fs_done(&fs);
	return 0;
}
