/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocator: a list of blocks, each at least VG_ARENA_BLOCK bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK_MIN (64u * 1024)
#define ARENA_ALIGN	16u

struct vg_arena_block {
	struct vg_arena_block *next;
	size_t size; /* usable bytes in data[] */
	size_t used;
	_Alignas(16) unsigned char data[];
};

void vg_arena_init(struct vg_arena *a, size_t max_bytes)
{
	*a = (struct vg_arena){.max_bytes = max_bytes};
}

void vg_arena_done(struct vg_arena *a)
{
	struct vg_arena_block *b = a->head;

	while (b) {
		struct vg_arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->error = 0;
}

void *vg_arena_alloc(struct vg_arena *a, size_t n)
{
	struct vg_arena_block *b = a->head;
	size_t need;
	void *p;

	if (a->error)
		return NULL;
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN - sizeof(struct vg_arena_block)) {
		a->error = -ENOMEM;
		return NULL;
	}
	need = VG_ALIGN_UP(n, (size_t)ARENA_ALIGN);
	if (a->max_bytes && (need > a->max_bytes || a->used > a->max_bytes - need)) {
		a->error = -E2BIG;
		return NULL;
	}
	if (!b || b->size - b->used < need) {
		size_t size = VG_MAX(need, (size_t)ARENA_BLOCK_MIN);

		b = malloc(sizeof(*b) + size);
		if (!b) {
			a->error = -ENOMEM;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		/* A big one-off allocation goes behind the current block so the current block's
		 * free space stays usable. */
		if (a->head && need > ARENA_BLOCK_MIN / 2) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

void *vg_arena_calloc(struct vg_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		if (!a->error)
			a->error = -ENOMEM;
		return NULL;
	}
	return vg_arena_alloc(a, count * size);
}

void *vg_arena_memdup(struct vg_arena *a, const void *p, size_t n)
{
	void *q = vg_arena_alloc(a, n);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n)
{
	char *q;

	n = strnlen(s, n);
	if (n == SIZE_MAX) {
		a->error = a->error ?: -ENOMEM;
		return NULL;
	}
	q = vg_arena_alloc(a, n + 1);
	if (!q)
		return NULL;
	memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

char *vg_arena_strdup(struct vg_arena *a, const char *s)
{
	return vg_arena_strndup(a, s, SIZE_MAX - 1);
}
