/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builds kernel event records for tests and fuzz seeds: valid ones (a plausible header, then
 * parameters) and deliberately broken ones (lying lengths, raw bytes, any header field). The
 * buffer is 8-byte aligned and larger than VG_EVENT_SIZE_MAX so oversized records can be
 * made too. Nothing here allocates.
 *
 *	struct vg_evb b;
 *	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
 *	vg_evb_str(&b, VG_P_PATH, "/etc/shadow");
 *	size_t n = vg_evb_finish(&b);  // hdr.size and hdr.nparams set; b.buf holds n bytes
 */
#ifndef VG_TESTS_EVENT_BUILDER_H
#define VG_TESTS_EVENT_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sensor/bpf/vg-event.h"

#define VG_EVB_BUF_MAX 65536

struct vg_evb {
	_Alignas(8) unsigned char buf[VG_EVB_BUF_MAX];
	size_t len; /* bytes written */
	unsigned nparams; /* params appended (what finish() stores, mod 256) */
	bool overflow; /* an append did not fit; finish() still returns len */
};

/* Header with pid 1000, tid 1001, comm "test", ts 1e9, everything else plausible. */
void vg_evb_init(struct vg_evb *b, unsigned kind, unsigned sc);
struct vg_event_hdr *vg_evb_hdr(struct vg_evb *b);

/* A param of len bytes from p (NULL: zero bytes). */
void vg_evb_param(struct vg_evb *b, unsigned id, const void *p, size_t len);
/* A C string param, NUL included. */
void vg_evb_str(struct vg_evb *b, unsigned id, const char *s);
/* A NUL-separated list from a NULL-terminated array ("\0" when empty). */
void vg_evb_list(struct vg_evb *b, unsigned id, const char *const *items);
void vg_evb_tuple(struct vg_evb *b, const struct vg_tuple *t);
/* Broken on purpose: a param header claiming claimed_len followed by len bytes of p. */
void vg_evb_param_lie(struct vg_evb *b, unsigned id, size_t claimed_len, const void *p, size_t len);
/* Raw bytes, counted as nothing. */
void vg_evb_raw(struct vg_evb *b, const void *p, size_t len);

/* Sets hdr.size = len (mod 65536) and hdr.nparams; returns len. */
size_t vg_evb_finish(struct vg_evb *b);

/* splitmix64: deterministic pseudo-random numbers for generators. */
uint64_t vg_evb_rand(uint64_t *state);
/*
 * A random valid record (any kind, syscall, params with random content of random size, some
 * near the limits), finished. Returns its size.
 */
size_t vg_evb_random(struct vg_evb *b, uint64_t *state);

#endif /* VG_TESTS_EVENT_BUILDER_H */
