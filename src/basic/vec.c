/* SPDX-License-Identifier: Apache-2.0 */
/* Growable array with an element-count cap. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

void vg_vec_init(struct vg_vec *v, size_t elem_size, size_t max_len)
{
	*v = (struct vg_vec){.elem_size = elem_size, .max_len = max_len};
}

void vg_vec_done(struct vg_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
}

void vg_vec_clear(struct vg_vec *v)
{
	v->len = 0;
}

int vg_vec_reserve(struct vg_vec *v, size_t n)
{
	size_t want, newcap;
	void *p;

	if (v->elem_size == 0)
		return -EINVAL;
	if (n > SIZE_MAX - v->len)
		return -ENOMEM;
	want = v->len + n;
	if (v->max_len && want > v->max_len)
		return -E2BIG;
	if (want <= v->cap)
		return 0;
	newcap = v->cap ? v->cap : 8;
	while (newcap < want) {
		if (newcap > SIZE_MAX / 2) {
			newcap = want;
			break;
		}
		newcap *= 2;
	}
	if (v->max_len && newcap > v->max_len)
		newcap = v->max_len;
	/* Checked here rather than left to reallocarray(): sanitizers abort on the overflow. */
	if (newcap > SIZE_MAX / v->elem_size)
		return -ENOMEM;
	p = reallocarray(v->data, newcap, v->elem_size);
	if (!p)
		return -ENOMEM;
	v->data = p;
	v->cap = newcap;
	return 0;
}

int vg_vec_push(struct vg_vec *v, const void *elem)
{
	int r = vg_vec_reserve(v, 1);

	if (r < 0)
		return r;
	memcpy(vg_vec_at(v, v->len), elem, v->elem_size);
	v->len++;
	return 0;
}

int vg_vec_push_zero(struct vg_vec *v, void **ret)
{
	int r = vg_vec_reserve(v, 1);
	void *p;

	if (r < 0)
		return r;
	p = vg_vec_at(v, v->len);
	memset(p, 0, v->elem_size);
	v->len++;
	if (ret)
		*ret = p;
	return 0;
}

void vg_vec_remove(struct vg_vec *v, size_t i)
{
	if (i >= v->len)
		return;
	memmove(vg_vec_at(v, i), vg_vec_at(v, i + 1), (v->len - i - 1) * v->elem_size);
	v->len--;
}

void vg_vec_sort(struct vg_vec *v, int (*cmp)(const void *, const void *))
{
	if (v->len > 1)
		qsort(v->data, v->len, v->elem_size, cmp);
}
