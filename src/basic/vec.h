/* SPDX-License-Identifier: Apache-2.0 */
/* Growable array of fixed-size elements with an element-count cap. */
#ifndef VG_BASIC_VEC_H
#define VG_BASIC_VEC_H

#include <stddef.h>

#include "macro.h"

struct vg_vec {
	void *data;
	size_t len; /* elements used */
	size_t cap; /* elements allocated */
	size_t elem_size; /* bytes per element */
	size_t max_len; /* cap on len; 0 means unbounded by us (still checked for overflow) */
};

#define VG_VEC_INIT(type, max)                                                                \
	{                                                                                     \
		.data = NULL, .len = 0, .cap = 0, .elem_size = sizeof(type), .max_len = (max) \
	}

void vg_vec_init(struct vg_vec *v, size_t elem_size, size_t max_len);
void vg_vec_done(struct vg_vec *v);
void vg_vec_clear(struct vg_vec *v); /* len = 0, keeps memory */
VG_MUST_CHECK int vg_vec_reserve(struct vg_vec *v, size_t n); /* room for n more */
/* Appends a copy of elem (elem_size bytes); -E2BIG past max_len. */
VG_MUST_CHECK int vg_vec_push(struct vg_vec *v, const void *elem);
/* Appends a zeroed element and returns it in *ret. */
VG_MUST_CHECK int vg_vec_push_zero(struct vg_vec *v, void **ret);
void vg_vec_remove(struct vg_vec *v, size_t i); /* keeps order */
void vg_vec_sort(struct vg_vec *v, int (*cmp)(const void *, const void *));

static inline void *vg_vec_at(const struct vg_vec *v, size_t i)
{
	return (char *)v->data + i * v->elem_size;
}

#define vg_vec_for_each(type, p, v) \
	for (type *p = (type *)(v)->data; p && p < (type *)(v)->data + (v)->len; p++)

#endif /* VG_BASIC_VEC_H */
