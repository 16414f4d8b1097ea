/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table-driven checks shared by the version scheme tests. Every failing vector is printed
 * (not only the first), then the test fails with the count.
 */
#ifndef VG_TESTS_VERSION_TEST_H
#define VG_TESTS_VERSION_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vuln/version.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

struct cmp_case {
	const char *a, *b;
	int want; /* sign of cmp(a, b) */
};

struct valid_case {
	const char *v;
	int valid;
};

static inline int sgn(int x)
{
	return (x > 0) - (x < 0);
}

/* cmp(a, b) has the wanted sign, cmp(b, a) the opposite one. Returns the failure count. */
static inline unsigned check_cmp_one(enum vg_version_scheme s, const char *a, const char *b,
				     int want)
{
	int r1 = 99, r2 = 99, e1, e2;

	e1 = vg_version_cmp(s, a, b, &r1);
	e2 = vg_version_cmp(s, b, a, &r2);
	if (e1 < 0 || e2 < 0 || sgn(r1) != want || sgn(r2) != -want) {
		tap_diag("%s: cmp(\"%s\", \"%s\") = %d/%d (err %d/%d), want %d\n",
			 vg_version_scheme_to_string(s), a, b, r1, -r2, e1, e2, want);
		return 1;
	}
	return 0;
}

static inline unsigned check_cmp_table(enum vg_version_scheme s, const struct cmp_case *c, size_t n)
{
	unsigned fails = 0;

	for (size_t i = 0; i < n; i++)
		fails += check_cmp_one(s, c[i].a, c[i].b, c[i].want);
	return fails;
}

/* Every earlier entry sorts strictly before every later one. */
static inline unsigned check_sorted(enum vg_version_scheme s, const char *const *v, size_t n)
{
	unsigned fails = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			fails += check_cmp_one(s, v[i], v[j], i == j ? 0 : -1);
	return fails;
}

/* All entries compare equal to each other. */
static inline unsigned check_all_equal(enum vg_version_scheme s, const char *const *v, size_t n)
{
	unsigned fails = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			fails += check_cmp_one(s, v[i], v[j], 0);
	return fails;
}

static inline unsigned check_valid_table(enum vg_version_scheme s, const struct valid_case *c,
					 size_t n)
{
	unsigned fails = 0;

	for (size_t i = 0; i < n; i++) {
		int r = vg_version_valid(s, c[i].v), dummy;
		int e = vg_version_cmp(s, c[i].v, c[i].v, &dummy);

		/* strict schemes refuse to compare what they call invalid */
		bool strict = s == VG_VERSION_SEMVER || s == VG_VERSION_PEP440 ||
			      s == VG_VERSION_GEM || s == VG_VERSION_GO || s == VG_VERSION_NPM;
		if (r != c[i].valid || (strict && (e < 0) != !c[i].valid)) {
			tap_diag("%s: valid(\"%s\") = %d (cmp %d), want %d\n",
				 vg_version_scheme_to_string(s), c[i].v, r, e, c[i].valid);
			fails++;
		}
	}
	return fails;
}

/* xorshift64*: deterministic pseudo-random strings for the property checks */
static inline uint64_t prng(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/*
 * Writes a mutation of seed into buf: characters replaced, inserted or deleted from an
 * alphabet of version-ish bytes, so most results stay close to real versions.
 */
static inline void mutate(const char *seed, char *buf, size_t size, uint64_t *st)
{
	static const char alphabet[] = "0123456789...--__~~^+:!abcrptvxXAZ*= \x01\xc3\xa9";
	size_t n = strlen(seed);
	unsigned edits = 1 + (unsigned)(prng(st) % 3);

	if (n >= size)
		n = size - 1;
	memcpy(buf, seed, n);
	buf[n] = 0;
	while (edits--) {
		size_t pos = n ? (size_t)(prng(st) % (n + 1)) : 0;
		char c = alphabet[prng(st) % (sizeof(alphabet) - 1)];

		switch (prng(st) % 3) {
		case 0:
			if (pos < n)
				buf[pos] = c;
			break;
		case 1:
			if (n + 1 < size) {
				memmove(buf + pos + 1, buf + pos, n - pos + 1);
				buf[pos] = c;
				n++;
			}
			break;
		default:
			if (pos < n) {
				memmove(buf + pos, buf + pos + 1, n - pos);
				n--;
			}
			break;
		}
	}
}

/*
 * Order properties over all pairs and triples of vs: reflexive, antisymmetric, transitive
 * (a <= b and b <= c imply a <= c; a == b and b == c imply a == c). Strings a strict
 * scheme rejects are skipped. Returns the number of violations found (printed).
 */
static inline unsigned check_order_properties(enum vg_version_scheme s, const char *const *vs,
					      size_t n, bool transitive)
{
	unsigned fails = 0;
	int *m = calloc(n * n, sizeof(int));
	bool *ok = calloc(n, sizeof(bool));

	if (!m || !ok)
		abort();
	for (size_t i = 0; i < n; i++) {
		int r;

		ok[i] = vg_version_cmp(s, vs[i], vs[i], &r) == 0;
		if (ok[i] && r != 0 && fails++ < 10)
			tap_diag("%s: \"%s\" != itself\n", vg_version_scheme_to_string(s), vs[i]);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int r = 0;

			if (!ok[i] || !ok[j])
				continue;
			if (vg_version_cmp(s, vs[i], vs[j], &r) < 0) {
				if (fails++ < 10)
					tap_diag("%s: cmp(\"%s\", \"%s\") failed\n",
						 vg_version_scheme_to_string(s), vs[i], vs[j]);
				continue;
			}
			m[i * n + j] = sgn(r);
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (ok[i] && ok[j] && m[i * n + j] != -m[j * n + i] && fails++ < 10)
				tap_diag("%s: not antisymmetric: \"%s\" \"%s\"\n",
					 vg_version_scheme_to_string(s), vs[i], vs[j]);
	for (size_t i = 0; transitive && i < n; i++)
		for (size_t j = 0; ok[i] && j < n; j++) {
			if (!ok[j] || m[i * n + j] > 0)
				continue;
			for (size_t k = 0; k < n; k++) {
				int ij = m[i * n + j], jk = m[j * n + k], ik = m[i * n + k];

				if (!ok[k] || jk > 0)
					continue;
				bool bad = ik > 0 || (ij == 0 && jk == 0 && ik != 0) ||
					   ((ij < 0 || jk < 0) && ik == 0);

				if (bad && fails++ < 10)
					tap_diag("%s: not transitive: \"%s\" %d \"%s\" %d \"%s\" "
						 "but %d\n",
						 vg_version_scheme_to_string(s), vs[i], ij, vs[j],
						 jk, vs[k], ik);
			}
		}
	free(m);
	free(ok);
	return fails;
}

/*
 * Property check over the seeds and `extra` mutations of them. The pool is static:
 * mutations live as long as the test.
 */
static inline unsigned check_properties_mutated(enum vg_version_scheme s, const char *const *seeds,
						size_t nseeds, size_t extra, uint64_t seed,
						bool transitive)
{
	size_t n = nseeds + extra;
	const char **pool = calloc(n, sizeof(char *));
	char *store = calloc(extra ? extra : 1, 64);
	unsigned fails;

	if (!pool || !store)
		abort();
	for (size_t i = 0; i < nseeds; i++)
		pool[i] = seeds[i];
	for (size_t i = 0; i < extra; i++) {
		mutate(seeds[prng(&seed) % nseeds], store + i * 64, 64, &seed);
		pool[nseeds + i] = store + i * 64;
	}
	fails = check_order_properties(s, pool, n, transitive);
	free(pool);
	free(store);
	return fails;
}

#endif /* VG_TESTS_VERSION_TEST_H */
