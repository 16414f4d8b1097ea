/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the rules loader (load.c, load-src.c): source maps of YAML scalars. */
#ifndef VG_RULES_LOAD_INTERNAL_H
#define VG_RULES_LOAD_INTERNAL_H

#include <stddef.h>

#include "basic/arena.h"
#include "rules/load.h"
#include "shared/yaml.h"

/* One rules file in memory, with the byte offset of each line. */
struct vg_src_map {
	const char *file;
	const char *buf;
	size_t len;
	size_t *line_off; /* malloc'ed */
	size_t n_lines;
};

int vg_src_map_init(struct vg_src_map *m, const char *file, const char *buf, size_t len);
void vg_src_map_done(struct vg_src_map *m);

/*
 * Fills ret for the bytes [skip, skip + len) of scalar n's text: an arena copy of them
 * (NUL-terminated) and the segments mapping them back to the file. -ENOMEM/-E2BIG from the
 * arena.
 */
int vg_cond_src_build(struct vg_arena *a, const struct vg_src_map *m, const struct vg_yaml_node *n,
		      size_t skip, size_t len, struct vg_cond_src *ret);

/* ret = a + sep + b (sep may be NUL for none). */
int vg_cond_src_concat(struct vg_arena *a, const struct vg_cond_src *x, char sep,
		       const struct vg_cond_src *y, struct vg_cond_src *ret);

#endif /* VG_RULES_LOAD_INTERNAL_H */
