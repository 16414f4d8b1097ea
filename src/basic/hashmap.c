/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open addressing with linear probing and backward-shift deletion. Hashes are SipHash-1-3
 * keyed per map; a stored hash of 0 marks an empty slot, so computed hashes are forced odd.
 *
 * Iteration walks slots in descending order starting just below an empty slot E (recorded
 * in the cursor). Backward shifts only move entries towards lower slots and never across
 * an empty slot, so removing the current entry only moves entries that were already
 * visited: no entry is skipped or seen twice.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "hashmap.h"

_Static_assert(sizeof(size_t) >= 8, "hashmap iteration cursor packs two 32-bit indexes");

#define HM_MIN_CAP ((size_t)16)
#define HM_MAX_CAP ((size_t)1 << 31)

/* SipHash-1-3 (Aumasson, Bernstein), 64-bit output. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                   \
	do {                       \
		v0 += v1;          \
		v1 = ROTL(v1, 13); \
		v1 ^= v0;          \
		v0 = ROTL(v0, 32); \
		v2 += v3;          \
		v3 = ROTL(v3, 16); \
		v3 ^= v2;          \
		v0 += v3;          \
		v3 = ROTL(v3, 21); \
		v3 ^= v0;          \
		v2 += v1;          \
		v1 = ROTL(v1, 17); \
		v1 ^= v2;          \
		v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t load64_le(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t vg_hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t k0 = seed, k1 = seed ^ 0x9e3779b97f4a7c15ULL;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
	uint64_t v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)n << 56, m;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		m = load64_le(p + i);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t j = 0; i + j < n; j++)
		b |= (uint64_t)p[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t new_seed(void)
{
	static uint64_t counter;
	uint64_t seed = 0;
	struct timespec ts;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
		return seed;
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	seed = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	seed ^= (uint64_t)(uintptr_t)&counter;
	seed ^= __atomic_add_fetch(&counter, 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED);
	return seed;
}

void vg_hashmap_init(struct vg_hashmap *m, enum vg_hashmap_kind kind, size_t max_len,
		     void (*free_value)(void *value))
{
	*m = (struct vg_hashmap){
		.max_len = max_len,
		.seed = new_seed(),
		.kind = kind,
		.free_value = free_value,
	};
}

static bool is_str(const struct vg_hashmap *m)
{
	return m->kind != VG_HASHMAP_U64;
}

static void entry_release(struct vg_hashmap *m, struct vg_hashmap_entry *e, bool free_val)
{
	if (free_val && m->free_value && e->value)
		m->free_value(e->value);
	if (m->kind == VG_HASHMAP_STRING_COPY)
		free((char *)e->key.str);
}

void vg_hashmap_done(struct vg_hashmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].hash)
			entry_release(m, &m->slots[i], true);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}

/*
 * Integer keys (pids, cgroup ids, inodes) are assigned by the kernel, not chosen freely by an
 * attacker, and they are looked up for every event: a seeded multiply-xorshift mix (the
 * splitmix64 finaliser) spreads them well at a fraction of SipHash's cost. String keys keep
 * SipHash.
 */
static uint64_t hash_u64(const struct vg_hashmap *m, uint64_t key)
{
	uint64_t z = key ^ m->seed;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31)) | 1;
}

static uint64_t hash_str(const struct vg_hashmap *m, const char *key)
{
	return vg_hash_bytes(key, strlen(key), m->seed) | 1;
}

static bool key_eq(const struct vg_hashmap *m, const struct vg_hashmap_entry *e, uint64_t hash,
		   uint64_t ku, const char *ks)
{
	if (e->hash != hash)
		return false;
	return is_str(m) ? strcmp(e->key.str, ks) == 0 : e->key.u64 == ku;
}

/* Returns the slot index holding the key, or SIZE_MAX. */
static size_t find(const struct vg_hashmap *m, uint64_t hash, uint64_t ku, const char *ks)
{
	size_t mask, i;

	if (m->cap == 0)
		return SIZE_MAX;
	mask = m->cap - 1;
	for (i = hash & mask;; i = (i + 1) & mask) {
		const struct vg_hashmap_entry *e = &m->slots[i];

		if (!e->hash)
			return SIZE_MAX;
		if (key_eq(m, e, hash, ku, ks))
			return i;
	}
}

static void place(struct vg_hashmap_entry *slots, size_t cap, const struct vg_hashmap_entry *e)
{
	size_t mask = cap - 1, i;

	for (i = e->hash & mask; slots[i].hash; i = (i + 1) & mask)
		;
	slots[i] = *e;
}

static int resize(struct vg_hashmap *m, size_t newcap)
{
	struct vg_hashmap_entry *slots = calloc(newcap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].hash)
			place(slots, newcap, &m->slots[i]);
	free(m->slots);
	m->slots = slots;
	m->cap = newcap;
	return 0;
}

static int put(struct vg_hashmap *m, uint64_t hash, uint64_t ku, const char *ks, void *value)
{
	struct vg_hashmap_entry e = {.hash = hash, .value = value};
	size_t i = find(m, hash, ku, ks);
	int r;

	if (i != SIZE_MAX) {
		struct vg_hashmap_entry *old = &m->slots[i];

		if (old->value != value && m->free_value && old->value)
			m->free_value(old->value);
		old->value = value;
		return 0;
	}
	if (m->max_len && m->len >= m->max_len)
		return -E2BIG;
	/* Keep load at or below 70%. */
	if (m->cap == 0 || (m->len + 1) * 10 > m->cap * 7) {
		size_t newcap = m->cap ? m->cap * 2 : HM_MIN_CAP;

		if (newcap > HM_MAX_CAP)
			return -E2BIG;
		r = resize(m, newcap);
		if (r < 0)
			return r;
	}
	if (m->kind == VG_HASHMAP_STRING_COPY) {
		e.key.str = strdup(ks);
		if (!e.key.str)
			return -ENOMEM;
	} else if (m->kind == VG_HASHMAP_STRING) {
		e.key.str = ks;
	} else {
		e.key.u64 = ku;
	}
	place(m->slots, m->cap, &e);
	m->len++;
	return 1;
}

int vg_hashmap_put_u64(struct vg_hashmap *m, uint64_t key, void *value)
{
	if (is_str(m))
		return -EINVAL;
	return put(m, hash_u64(m, key), key, NULL, value);
}

int vg_hashmap_put_str(struct vg_hashmap *m, const char *key, void *value)
{
	if (!is_str(m) || !key)
		return -EINVAL;
	return put(m, hash_str(m, key), 0, key, value);
}

void *vg_hashmap_get_u64(const struct vg_hashmap *m, uint64_t key)
{
	size_t i;

	if (is_str(m) || m->len == 0)
		return NULL;
	i = find(m, hash_u64(m, key), key, NULL);
	return i == SIZE_MAX ? NULL : m->slots[i].value;
}

void *vg_hashmap_get_str(const struct vg_hashmap *m, const char *key)
{
	size_t i;

	if (!is_str(m) || !key || m->len == 0)
		return NULL;
	i = find(m, hash_str(m, key), 0, key);
	return i == SIZE_MAX ? NULL : m->slots[i].value;
}

/* Empties slot i and shifts the following cluster back (Knuth 6.4 algorithm R). */
static void delete_at(struct vg_hashmap *m, size_t i)
{
	size_t mask = m->cap - 1, j = i;

	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->slots[j].hash)
			break;
		home = m->slots[j].hash & mask;
		/* Move j back into the hole at i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i] = (struct vg_hashmap_entry){0};
	m->len--;
}

static void *take(struct vg_hashmap *m, size_t i, bool *found)
{
	void *v;

	if (i == SIZE_MAX) {
		*found = false;
		return NULL;
	}
	*found = true;
	v = m->slots[i].value;
	entry_release(m, &m->slots[i], false);
	delete_at(m, i);
	return v;
}

void *vg_hashmap_take_u64(struct vg_hashmap *m, uint64_t key)
{
	bool found;

	if (is_str(m) || m->len == 0)
		return NULL;
	return take(m, find(m, hash_u64(m, key), key, NULL), &found);
}

void *vg_hashmap_take_str(struct vg_hashmap *m, const char *key)
{
	bool found;

	if (!is_str(m) || !key || m->len == 0)
		return NULL;
	return take(m, find(m, hash_str(m, key), 0, key), &found);
}

bool vg_hashmap_remove_u64(struct vg_hashmap *m, uint64_t key)
{
	bool found;
	void *v;

	if (is_str(m) || m->len == 0)
		return false;
	v = take(m, find(m, hash_u64(m, key), key, NULL), &found);
	if (found && v && m->free_value)
		m->free_value(v);
	return found;
}

bool vg_hashmap_remove_str(struct vg_hashmap *m, const char *key)
{
	bool found;
	void *v;

	if (!is_str(m) || !key || m->len == 0)
		return false;
	v = take(m, find(m, hash_str(m, key), 0, key), &found);
	if (found && v && m->free_value)
		m->free_value(v);
	return found;
}

/*
 * Cursor: 0 = not started, SIZE_MAX = finished, else ((last visited slot + 1) << 32) | E
 * where E is the empty slot iteration started below.
 */
bool vg_hashmap_next(const struct vg_hashmap *m, size_t *cursor, struct vg_hashmap_entry **ret)
{
	size_t mask, start, pos;

	if (*cursor == SIZE_MAX || m->cap == 0 || m->len == 0) {
		*cursor = SIZE_MAX;
		return false;
	}
	mask = m->cap - 1;
	if (*cursor == 0) {
		/* Load is capped at 70%, so an empty slot always exists. */
		for (start = 0; start < m->cap && m->slots[start].hash; start++)
			;
		if (start == m->cap) {
			*cursor = SIZE_MAX;
			return false;
		}
		pos = start;
	} else {
		start = *cursor & 0xffffffffu;
		pos = (*cursor >> 32) - 1;
		if (start >= m->cap || pos >= m->cap) {
			*cursor = SIZE_MAX;
			return false;
		}
	}
	for (;;) {
		pos = (pos - 1) & mask;
		if (pos == start) {
			*cursor = SIZE_MAX;
			return false;
		}
		if (m->slots[pos].hash) {
			*cursor = ((pos + 1) << 32) | start;
			if (ret)
				*ret = &m->slots[pos];
			return true;
		}
	}
}
