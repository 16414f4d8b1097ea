/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open-addressing hash map (linear probing, tombstone-free backward-shift deletion) from a
 * key to a void * value. Keys are u64 (pids, cgroup ids, inodes) or C strings; string keys
 * are copied when VG_HASHMAP_STRING_COPY is set. Hashes are seeded per map so hostile keys
 * (paths from images, names from containers) cannot force collisions deterministically.
 * An entry-count cap makes inserts fail with -E2BIG instead of growing without bound.
 */
#ifndef VG_BASIC_HASHMAP_H
#define VG_BASIC_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

enum vg_hashmap_kind {
	VG_HASHMAP_U64, /* key is a uint64_t */
	VG_HASHMAP_STRING, /* key is a const char *, borrowed: caller keeps it alive */
	VG_HASHMAP_STRING_COPY, /* key is a const char *, copied into the map */
};

struct vg_hashmap_entry {
	union {
		uint64_t u64;
		const char *str;
	} key;
	void *value;
	uint64_t hash; /* 0 marks an empty slot */
};

struct vg_hashmap {
	struct vg_hashmap_entry *slots;
	size_t cap; /* slots, power of two */
	size_t len; /* live entries */
	size_t max_len;
	uint64_t seed;
	enum vg_hashmap_kind kind;
	void (*free_value)(void *value); /* optional: called on remove/replace/done */
};

void vg_hashmap_init(struct vg_hashmap *m, enum vg_hashmap_kind kind, size_t max_len,
		     void (*free_value)(void *value));
void vg_hashmap_done(struct vg_hashmap *m);

/* Inserts or replaces. When replacing, the old value is freed with free_value. */
VG_MUST_CHECK int vg_hashmap_put_u64(struct vg_hashmap *m, uint64_t key, void *value);
VG_MUST_CHECK int vg_hashmap_put_str(struct vg_hashmap *m, const char *key, void *value);
void *vg_hashmap_get_u64(const struct vg_hashmap *m, uint64_t key);
void *vg_hashmap_get_str(const struct vg_hashmap *m, const char *key);
/* Removes and returns the value without freeing it (NULL if absent). */
void *vg_hashmap_take_u64(struct vg_hashmap *m, uint64_t key);
void *vg_hashmap_take_str(struct vg_hashmap *m, const char *key);
/* Removes and frees the value with free_value; returns true if the key was present. */
bool vg_hashmap_remove_u64(struct vg_hashmap *m, uint64_t key);
bool vg_hashmap_remove_str(struct vg_hashmap *m, const char *key);

/* Iteration: for (size_t i = 0; vg_hashmap_next(m, &i, &e);) { ... } — no insert/remove
 * while iterating except vg_hashmap_remove_* of the current entry, after which the same i
 * must be revisited (the function handles this when called again with the same cursor). */
bool vg_hashmap_next(const struct vg_hashmap *m, size_t *cursor, struct vg_hashmap_entry **ret);

static inline size_t vg_hashmap_size(const struct vg_hashmap *m)
{
	return m->len;
}

uint64_t vg_hash_bytes(const void *data, size_t n, uint64_t seed);

#endif /* VG_BASIC_HASHMAP_H */
