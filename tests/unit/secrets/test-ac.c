/* SPDX-License-Identifier: Apache-2.0 */
/* The keyword automaton against a naive case-insensitive search on random input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "helpers.h"
#include "secrets/ac.h"
#include "tap.h"

struct hit {
	unsigned kw;
	size_t end;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

static int on_hit(void *userdata, unsigned kw, size_t end)
{
	struct hits *h = userdata;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->v = realloc(h->v, h->cap * sizeof(*h->v));
		if (!h->v)
			return -ENOMEM;
	}
	h->v[h->n++] = (struct hit){kw, end};
	return 0;
}

static int cmp_hit(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;

	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a->kw < b->kw ? -1 : a->kw > b->kw;
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool eq_fold(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return false;
	return true;
}

TEST(random_against_naive)
{
	static const char alpha[] = "abcABC\xe9\xc9x\n";
	struct hits got = {0}, want = {0};

	rng_seed_from_env();
	for (int round = 0; round < 300; round++) {
		struct vg_ac *ac = vg_ac_new();
		unsigned n_kw = 1 + rng_below(40);
		char kws[40][8];
		size_t kw_len[40];
		int idx[40];
		/* every 10th round is long enough for the interleaved scan (4 streams) */
		size_t len = round % 10 == 9 ? 65536 + rng_below(200000) : rng_below(4000);
		char *text = malloc(len + 1);

		ASSERT_NOT_NULL(ac);
		ASSERT_NOT_NULL(text);
		for (unsigned i = 0; i < n_kw; i++) {
			kw_len[i] = 1 + rng_below(6);
			for (size_t j = 0; j < kw_len[i]; j++)
				kws[i][j] = alpha[rng_below(sizeof(alpha) - 2)]; /* no '\n' */
			idx[i] = vg_ac_add(ac, kws[i], kw_len[i]);
			ASSERT_OK(idx[i]);
		}
		ASSERT_OK(vg_ac_build(ac));
		for (size_t i = 0; i < len; i++)
			text[i] = alpha[rng_below(sizeof(alpha) - 1)];
		got.n = want.n = 0;
		ASSERT_OK(vg_ac_scan(ac, text, len, on_hit, &got));
		/* naive: every keyword at every position; duplicates (after folding) share an
		 * index and are reported once */
		for (size_t e = 1; e <= len; e++)
			for (unsigned i = 0; i < n_kw; i++) {
				bool dup = false;

				for (unsigned k = 0; k < i; k++)
					dup |= idx[k] == idx[i];
				if (dup || kw_len[i] > e)
					continue;
				if (eq_fold(text + e - kw_len[i], kws[i], kw_len[i]))
					ASSERT_OK(on_hit(&want, (unsigned)idx[i], e));
			}
		qsort(got.v, got.n, sizeof(*got.v), cmp_hit);
		qsort(want.v, want.n, sizeof(*want.v), cmp_hit);
		if (got.n != want.n)
			TAP_FAIL_AT("round %d: %zu hits, naive %zu", round, got.n, want.n);
		for (size_t i = 0; i < got.n; i++)
			if (got.v[i].kw != want.v[i].kw || got.v[i].end != want.v[i].end)
				TAP_FAIL_AT("round %d: hit %zu differs", round, i);
		free(text);
		vg_ac_free(ac);
	}
	free(got.v);
	free(want.v);
}

static int count_hits(void *userdata, unsigned kw, size_t end)
{
	size_t *n = userdata;

	if (end != *n + 1) /* in order, one per byte */
		return -EINVAL;
	++*n;
	return 0;
}

TEST(dense_hits_fall_back_to_one_stream)
{
	/* 5 MiB of 'a' and the keyword "a": more hits than a stream buffers, so the scan
	 * falls back to one unbuffered stream; every hit still comes, in order */
	size_t len = 5u << 20, n = 0;
	char *text = malloc(len);
	struct vg_ac *ac = vg_ac_new();

	ASSERT_NOT_NULL(text);
	ASSERT_NOT_NULL(ac);
	memset(text, 'A', len);
	ASSERT_OK(vg_ac_add(ac, "a", 1));
	ASSERT_OK(vg_ac_build(ac));
	ASSERT_OK(vg_ac_scan(ac, text, len, count_hits, &n));
	ASSERT_EQ(n, len);
	/* and a buffer just over the interleaving threshold, hits at the quarter borders */
	n = 0;
	ASSERT_OK(vg_ac_scan(ac, text, 65536 * 2 + 3, count_hits, &n));
	ASSERT_EQ(n, 65536 * 2 + 3);
	free(text);
	vg_ac_free(ac);
}

TEST(case_folding_and_duplicates)
{
	struct vg_ac *ac = vg_ac_new();
	struct hits h = {0};
	const char *t = "xx AKIA akia AkIa ghp_ GHP_";

	ASSERT_NOT_NULL(ac);
	ASSERT_EQ(vg_ac_add(ac, "AKIA", 4), 0);
	ASSERT_EQ(vg_ac_add(ac, "ghp_", 4), 1);
	ASSERT_EQ(vg_ac_add(ac, "akia", 4), 0); /* same after folding */
	ASSERT_EQ(vg_ac_count(ac), 2);
	ASSERT_ERR(vg_ac_add(ac, "", 0), -EINVAL);
	ASSERT_ERR(vg_ac_add(ac, "a\0b", 3), -EINVAL);
	ASSERT_ERR(vg_ac_scan(ac, t, strlen(t), on_hit, &h), -EINVAL); /* not built */
	ASSERT_OK(vg_ac_build(ac));
	ASSERT_ERR(vg_ac_add(ac, "x", 1), -EBUSY);
	ASSERT_OK(vg_ac_scan(ac, t, strlen(t), on_hit, &h));
	ASSERT_EQ(h.n, 5);
	ASSERT_EQ(h.v[0].end, 7);
	ASSERT_EQ(h.v[3].kw, 1);
	free(h.v);
	vg_ac_free(ac);
}

static int stop_at_second(void *userdata, unsigned kw, size_t end)
{
	int *n = userdata;

	return ++*n == 2 ? 42 : 0;
}

TEST(callback_stops_the_scan)
{
	struct vg_ac *ac = vg_ac_new();
	int n = 0;

	ASSERT_NOT_NULL(ac);
	ASSERT_OK(vg_ac_add(ac, "ab", 2));
	ASSERT_OK(vg_ac_build(ac));
	ASSERT_EQ(vg_ac_scan(ac, "ababab", 6, stop_at_second, &n), 42);
	ASSERT_EQ(n, 2);
	vg_ac_free(ac);
}

TEST(empty_automaton)
{
	struct vg_ac *ac = vg_ac_new();
	struct hits h = {0};

	ASSERT_NOT_NULL(ac);
	ASSERT_OK(vg_ac_build(ac));
	ASSERT_OK(vg_ac_scan(ac, "anything", 8, on_hit, &h));
	ASSERT_EQ(h.n, 0);
	vg_ac_free(ac);
}

TEST(size_limits)
{
	struct vg_ac *ac = vg_ac_new();
	char kw[VG_SECRET_KEYWORD_LEN_MAX + 1];
	int r = 0;

	ASSERT_NOT_NULL(ac);
	memset(kw, 'k', sizeof(kw));
	ASSERT_ERR(vg_ac_add(ac, kw, sizeof(kw)), -EINVAL);
	/* distinct 64-byte keywords until the state cap: -E2BIG, never a huge table */
	for (unsigned i = 0; r >= 0; i++) {
		snprintf(kw, sizeof(kw), "%08x", i);
		memset(kw + 8, 'a' + (int)(i % 26), VG_SECRET_KEYWORD_LEN_MAX - 8);
		r = vg_ac_add(ac, kw, VG_SECRET_KEYWORD_LEN_MAX);
	}
	ASSERT_ERR(r, -E2BIG);
	ASSERT_OK(vg_ac_build(ac));
	vg_ac_free(ac);
}
