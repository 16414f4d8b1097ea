/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by meta.c, docker.c, runc.c and fetcher.c; not part of the public API. */
#ifndef VG_STATE_META_INTERNAL_H
#define VG_STATE_META_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/macro.h"
#include "state/meta.h"

/* Replace *field by a copy of s (NULL means ""). */
VG_MUST_CHECK int vg_meta_set_str(char **field, const char *s);
VG_MUST_CHECK int vg_meta_set_strn(char **field, const char *s, size_t n);
/* Append one label / one zeroed mount; -E2BIG past VG_LABELS_MAX / VG_MOUNTS_MAX. */
VG_MUST_CHECK int vg_meta_add_label(struct vg_container_meta *m, const char *key,
				    const char *value);
VG_MUST_CHECK int vg_meta_add_mount(struct vg_container_meta *m, struct vg_mount **ret);
/* vg_json_parse() with a tighter size cap; *ret is a json_t * reference. */
VG_MUST_CHECK int vg_json_load_bounded(const char *s, size_t n, size_t max, void **ret);
/* A container id usable in a URL path and as a directory name: [A-Za-z0-9][A-Za-z0-9_.-]*,
 * at most 1024 bytes. */
bool vg_container_id_is_valid(const char *id);

#endif /* VG_STATE_META_INTERNAL_H */
