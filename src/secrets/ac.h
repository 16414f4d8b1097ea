/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Aho-Corasick keyword matcher, ASCII case-insensitive: the prefilter of the secret scanner.
 * Keywords are lower-cased (A-Z only) when added and the input is folded the same way while
 * scanning, so "AKIA", "akia" and "AkIa" match the keyword "akia". The automaton is built
 * as a full DFA over byte classes (only bytes that occur in some keyword get a class of their
 * own), with states numbered so that every state that ends a keyword comes last: the scan
 * loop is one table load and one compare per byte. On x86-64 CPUs with AVX-512 VBMI, when
 * every keyword has at least two bytes, a SIMD prefilter runs instead (see ac.c): 4-byte
 * fingerprints in 24 buckets tested 64 positions at a time, candidates verified directly
 * against the keywords; the hits and their order are exactly the automaton's.
 */
#ifndef VG_SECRETS_AC_H
#define VG_SECRETS_AC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"

struct vg_ac;

/*
 * Called for every keyword occurrence, in input order: @kw is the index given by the order
 * of vg_ac_add() calls, @end the offset just past the occurrence. A non-zero return stops
 * the scan and is returned by vg_ac_scan().
 */
typedef int vg_ac_hit_fn(void *userdata, unsigned kw, size_t end);

struct vg_ac *vg_ac_new(void);
struct vg_ac *vg_ac_free(struct vg_ac *ac);

/**
 * vg_ac_add() - adds keyword @kw (@len bytes, 1..VG_SECRET_KEYWORD_LEN_MAX) before
 * vg_ac_build(). Returns its index (the same index if the same folded keyword was added
 * before), -EINVAL for a bad length, -E2BIG past VG_SECRET_AC_STATES_MAX trie states or
 * VG_SECRET_KEYWORDS_TOTAL_MAX keywords, -EBUSY after vg_ac_build(), -ENOMEM.
 */
VG_MUST_CHECK int vg_ac_add(struct vg_ac *ac, const char *kw, size_t len);

/** vg_ac_build() - computes failure links and the DFA. Returns 0, -ENOMEM, -E2BIG. */
VG_MUST_CHECK int vg_ac_build(struct vg_ac *ac);

/** vg_ac_count() - keywords added (distinct after folding). */
unsigned vg_ac_count(const struct vg_ac *ac);

/**
 * vg_ac_scan() - reports every occurrence of every keyword in @buf (@len bytes) to @fn,
 * overlapping ones included. Returns 0, or the first non-zero value @fn returned.
 * -EINVAL before vg_ac_build().
 */
int vg_ac_scan(const struct vg_ac *ac, const char *buf, size_t len, vg_ac_hit_fn *fn,
	       void *userdata);

/* Which scan loop: the automaton alone, or the SIMD prefilter in front of direct verification. */
enum vg_ac_impl {
	VG_AC_IMPL_AUTO, /* SIMD when available, unless VIGIL_SECRETS_SIMD=0 at vg_ac_build() */
	VG_AC_IMPL_SCALAR,
	VG_AC_IMPL_SIMD,
};

/**
 * vg_ac_scan_impl() - vg_ac_scan() with the loop chosen (tests, benchmarks): every loop reports
 * the same hits in the same order. -EOPNOTSUPP for VG_AC_IMPL_SIMD when the CPU has no
 * AVX-512 VBMI, the build is not x86-64, a keyword is shorter than two bytes or there are more
 * than 2048 keywords.
 */
int vg_ac_scan_impl(const struct vg_ac *ac, enum vg_ac_impl impl, const char *buf, size_t len,
		    vg_ac_hit_fn *fn, void *userdata);

/* A keyword occurrence, as delivered in batches by vg_ac_scan_hits(). */
struct vg_ac_hit {
	size_t end; /* offset just past the occurrence */
	uint32_t kw; /* keyword index (order of vg_ac_add()) */
	uint32_t len; /* keyword length */
};

/*
 * Called with the next @n (>= 1) occurrences, in input order (the order of vg_ac_scan()).
 * A non-zero return stops the scan and is returned by vg_ac_scan_hits().
 */
typedef int vg_ac_hits_fn(void *userdata, const struct vg_ac_hit *hits, size_t n);

/**
 * vg_ac_scan_hits() - vg_ac_scan_impl() delivering the hits in batches (the scanner's path: one
 * call per batch instead of one per hit). Same return values.
 */
int vg_ac_scan_hits(const struct vg_ac *ac, enum vg_ac_impl impl, const char *buf, size_t len,
		    vg_ac_hits_fn *fn, void *userdata);

/** vg_ac_simd_supported() - whether this CPU runs the SIMD prefilter (x86-64, AVX-512 VBMI). */
bool vg_ac_simd_supported(void);

#endif /* VG_SECRETS_AC_H */
