/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bump allocator for objects that die together (a parse tree, a rule set, one scan).
 * Allocations are 16-byte aligned and zeroed; nothing is freed until vg_arena_done().
 * A byte cap turns runaway input into -E2BIG (NULL from the alloc functions, with
 * vg_arena_error() telling why).
 */
#ifndef VG_BASIC_ARENA_H
#define VG_BASIC_ARENA_H

#include <stddef.h>

#include "macro.h"

struct vg_arena_block;

struct vg_arena {
	struct vg_arena_block *head;
	size_t used; /* bytes handed out, for the cap */
	size_t max_bytes; /* 0 means unbounded */
	int error; /* sticky: 0, -ENOMEM or -E2BIG */
};

void vg_arena_init(struct vg_arena *a, size_t max_bytes);
void vg_arena_done(struct vg_arena *a);
void *vg_arena_alloc(struct vg_arena *a, size_t n);
void *vg_arena_calloc(struct vg_arena *a, size_t count, size_t size);
char *vg_arena_strdup(struct vg_arena *a, const char *s);
char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n);
void *vg_arena_memdup(struct vg_arena *a, const void *p, size_t n);
static inline int vg_arena_error(const struct vg_arena *a)
{
	return a->error;
}

#endif /* VG_BASIC_ARENA_H */
