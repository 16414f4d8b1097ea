/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keyword automaton against a naive case-insensitive search on random input, and the SIMD
 * prefilter path against both: the same hits, in the same order, on random and adversarial
 * input (every keyword at every alignment, block borders, buffer ends, mixed case, overlaps).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "helpers.h"
#include "secrets/ac.h"
#include "secrets/rules.h"
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

/* ---- the SIMD path ---- */

/* Hits of one path, in delivery order. */
static void scan_with(const struct vg_ac *ac, enum vg_ac_impl impl, const char *buf, size_t len,
		      struct hits *h)
{
	h->n = 0;
	ASSERT_OK(vg_ac_scan_impl(ac, impl, buf, len, on_hit, h));
}

/* Naive search: every keyword at every end, longest first at one end (the automaton's order). */
static void scan_naive(char kws[][VG_SECRET_KEYWORD_LEN_MAX], const size_t *kw_len, const int *idx,
		       unsigned n_kw, const char *text, size_t len, struct hits *h)
{
	h->n = 0;
	for (size_t e = 1; e <= len; e++)
		for (size_t l = VG_SECRET_KEYWORD_LEN_MAX; l >= 1; l--) {
			for (unsigned i = 0; i < n_kw; i++) {
				bool dup = false;

				if (kw_len[i] != l || l > e)
					continue;
				for (unsigned k = 0; k < i; k++)
					dup |= idx[k] == idx[i];
				if (!dup && eq_fold(text + e - l, kws[i], l))
					ASSERT_OK(on_hit(h, (unsigned)idx[i], e));
			}
		}
}

static bool same_hits(const struct hits *a, const struct hits *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].kw != b->v[i].kw || a->v[i].end != b->v[i].end)
			return false;
	return true;
}

/*
 * Compares SIMD, scalar and the default path (and the naive search when @kws is given) on one
 * buffer; every hit must be the same and in the same order.
 */
static void compare_paths(const struct vg_ac *ac, const char *text, size_t len, const char *what,
			  int round)
{
	static struct hits simd, scalar, dflt;
	int r;

	scan_with(ac, VG_AC_IMPL_SCALAR, text, len, &scalar);
	dflt.n = 0;
	ASSERT_OK(vg_ac_scan(ac, text, len, on_hit, &dflt));
	if (!same_hits(&scalar, &dflt))
		TAP_FAIL_AT("%s %d (len %zu): default path differs from scalar", what, round, len);
	r = vg_ac_scan_impl(ac, VG_AC_IMPL_SIMD, text, len, on_hit, &simd);
	if (!vg_ac_simd_supported()) {
		ASSERT_ERR(r, -EOPNOTSUPP);
		return;
	}
	simd.n = 0;
	ASSERT_OK(vg_ac_scan_impl(ac, VG_AC_IMPL_SIMD, text, len, on_hit, &simd));
	if (!same_hits(&scalar, &simd)) {
		size_t i = 0;

		while (i < simd.n && i < scalar.n && simd.v[i].kw == scalar.v[i].kw &&
		       simd.v[i].end == scalar.v[i].end)
			i++;
		TAP_FAIL_AT(
			"%s %d (len %zu): SIMD %zu hits, scalar %zu, first difference at hit %zu "
			"(simd kw %u end %zu)",
			what, round, len, simd.n, scalar.n, i, i < simd.n ? simd.v[i].kw : 0,
			i < simd.n ? simd.v[i].end : 0);
	}
}

static void note_simd(void)
{
	if (!vg_ac_simd_supported())
		tap_diag(
			"# no AVX-512 VBMI here: only the scalar path and -EOPNOTSUPP are tested\n");
}

TEST(simd_random_against_scalar_and_naive)
{
	/* letters of both cases, digits, punctuation of keywords, bytes >= 0x80, block-sized
	 * and tiny buffers, keywords of 2..64 bytes */
	static const char alpha[] = "abcABCsSeEkK01_-.:\"/ \xe9\xc9\x80\xff\n";
	static const char text_alpha[] = "abcABCsSeEkK01_-.:\"/ \xe9\xc9\x80\xff\n\0";
	static char kws[48][VG_SECRET_KEYWORD_LEN_MAX];
	struct hits simd = {0}, want = {0};

	note_simd();
	rng_seed_from_env();
	for (int round = 0; round < 400; round++) {
		struct vg_ac *ac = vg_ac_new();
		unsigned n_kw = 1 + rng_below(48);
		size_t kw_len[48];
		int idx[48];
		size_t len = round % 8 == 7 ? rng_below(300000) : rng_below(600);
		char *text = malloc(len + 1);

		ASSERT_NOT_NULL(ac);
		ASSERT_NOT_NULL(text);
		for (unsigned i = 0; i < n_kw; i++) {
			kw_len[i] = rng_below(8) ? 2 + rng_below(5) : 2 + rng_below(63);
			for (size_t j = 0; j < kw_len[i]; j++)
				kws[i][j] = alpha[rng_below(sizeof(alpha) - 1)];
			idx[i] = vg_ac_add(ac, kws[i], kw_len[i]);
			ASSERT_OK(idx[i]);
		}
		ASSERT_OK(vg_ac_build(ac));
		/* random text with keywords planted in random case */
		for (size_t i = 0; i < len; i++)
			text[i] = text_alpha[rng_below(sizeof(text_alpha) - 1)];
		for (size_t n = len / 16; n > 0; n--) {
			unsigned k = rng_below(n_kw);
			size_t at;

			if (kw_len[k] > len)
				continue;
			at = rng_below((unsigned)(len - kw_len[k] + 1));
			for (size_t j = 0; j < kw_len[k]; j++) {
				char c = kws[k][j];

				text[at + j] =
					rng_below(2) && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
			}
		}
		compare_paths(ac, text, len, "round", round);
		if (len <= 4000 && vg_ac_simd_supported()) {
			scan_with(ac, VG_AC_IMPL_SIMD, text, len, &simd);
			scan_naive(kws, kw_len, idx, n_kw, text, len, &want);
			if (!same_hits(&simd, &want))
				TAP_FAIL_AT("round %d: SIMD %zu hits, naive %zu", round, simd.n,
					    want.n);
		}
		free(text);
		vg_ac_free(ac);
	}
	free(simd.v);
	free(want.v);
}

/* The built-in rules' keywords, into @ac (built). */
static void builtin_keywords(struct vg_secret_ruleset *rs, struct vg_ac **ret)
{
	char err[256];
	struct vg_ac *ac = vg_ac_new();

	ASSERT_NOT_NULL(ac);
	vg_secret_ruleset_init(rs);
	ASSERT_OK(vg_secret_ruleset_load_builtin(rs, err, sizeof(err)));
	vg_vec_for_each(struct vg_secret_rule *, rule, &rs->rules)
		for (size_t k = 0; k < (*rule)->n_keywords; k++)
			ASSERT_OK(
				vg_ac_add(ac, (*rule)->keywords[k], strlen((*rule)->keywords[k])));
	ASSERT_OK(vg_ac_build(ac));
	*ret = ac;
}

TEST(simd_builtin_keywords_every_alignment)
{
	struct vg_secret_ruleset rs;
	struct vg_ac *ac;
	char buf[256];
	int round = 0;

	note_simd();
	builtin_keywords(&rs, &ac);
	/* every keyword, in three casings, at every offset of a 200-byte buffer (16-, 32- and
	 * 64-byte block borders, the start and the end), cut at every length around it */
	vg_vec_for_each(struct vg_secret_rule *, rule, &rs.rules)
		for (size_t k = 0; k < (*rule)->n_keywords; k++) {
			const char *kw = (*rule)->keywords[k];
			size_t n = strlen(kw);

			for (unsigned casing = 0; casing < 3; casing++)
				for (size_t at = 0; at + n <= 200; at++) {
					memset(buf, casing == 2 ? 'x' : ' ', sizeof(buf));
					for (size_t j = 0; j < n; j++) {
						char c = kw[j];

						if (casing == 1 || (casing == 2 && j % 2))
							c = c >= 'a' && c <= 'z' ? (char)(c - 32)
										 : c;
						else
							c = c >= 'A' && c <= 'Z' ? (char)(c + 32)
										 : c;
						buf[at + j] = c;
					}
					compare_paths(ac, buf, 200, kw, round++);
					compare_paths(ac, buf, at + n, kw, round++);
					compare_paths(ac, buf + at, n, kw, round++);
					if (n > 1)
						compare_paths(ac, buf, at + n - 1, kw, round++);
				}
		}
	vg_ac_free(ac);
	vg_secret_ruleset_done(&rs);
}

TEST(simd_builtin_keywords_dense_and_overlapping)
{
	static const char *const overlaps[] = {
		"passwordpassword:passwd",
		"https://http://",
		"secretsecret_access_key",
		"sk_live_sk_test_rk_live_",
		"xoxb-xoxe.xoxp-",
		"$2a$2y$apr1$",
		"q~q~~q",
		"eyjeyJEYJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Ii",
		"begin rsa private keybegin private key",
		":aa:apa91b",
		"ghp_gho_ghu_ghs_ghr_",
		"mongodb+srv://mongodb://",
		"tokentoken:session_token",
		"sg.sG.Sg.",
	};
	struct vg_secret_ruleset rs;
	struct vg_ac *ac;
	size_t cap = 1 << 20, len;
	char *buf = malloc(cap);
	int round = 0;

	note_simd();
	ASSERT_NOT_NULL(buf);
	builtin_keywords(&rs, &ac);
	rng_seed_from_env();
	/* found by fuzzing: "q~\0\x80" made the 4-byte key of the input equal to the short
	 * key of "q~", which was then reported twice */
	compare_paths(ac, "xxq~\0\x80yy", 8, "nul", 0);
	compare_paths(ac, "xxq~\0\0yy", 8, "nul", 1);
	memset(buf, 'x', 200);
	memcpy(buf + 100, "q~\0\x80", 4);
	compare_paths(ac, buf, 200, "nul", 2);
	/* buffers of 0..200 bytes and a few large ones, made of overlapping keyword runs */
	for (int r = 0; r < 1200; r++) {
		size_t want = r < 1000 ? (size_t)(r % 201) : cap - rng_below(4096);

		len = 0;
		while (len < want) {
			const char *o = overlaps[rng_below(sizeof(overlaps) / sizeof(overlaps[0]))];
			size_t n = VG_MIN(strlen(o), want - len);

			for (size_t j = 0; j < n; j++)
				buf[len + j] = rng_below(3) ? o[j] : (char)(o[j] ^ 0x20);
			len += n;
			if (len < want && rng_below(2))
				buf[len++] = " \n=\"x"[rng_below(5)];
		}
		compare_paths(ac, buf, len, "dense", round++);
	}
	free(buf);
	vg_ac_free(ac);
	vg_secret_ruleset_done(&rs);
}

TEST(simd_callback_stops_and_short_keywords)
{
	struct vg_ac *ac = vg_ac_new();
	struct hits h = {0};
	char text[300];
	int n = 0;

	ASSERT_NOT_NULL(ac);
	ASSERT_OK(vg_ac_add(ac, "ab", 2));
	ASSERT_OK(vg_ac_build(ac));
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "ab"[i % 2];
	if (vg_ac_simd_supported()) {
		ASSERT_EQ(vg_ac_scan_impl(ac, VG_AC_IMPL_SIMD, text, sizeof(text), stop_at_second,
					  &n),
			  42);
		ASSERT_EQ(n, 2);
		n = 0;
		ASSERT_EQ(vg_ac_scan_impl(ac, VG_AC_IMPL_SIMD, "xx", 2, stop_at_second, &n), 0);
		ASSERT_EQ(n, 0);
	}
	vg_ac_free(ac);
	/* a one-byte keyword: no SIMD path, the default is the automaton */
	ac = vg_ac_new();
	ASSERT_NOT_NULL(ac);
	ASSERT_OK(vg_ac_add(ac, "a", 1));
	ASSERT_OK(vg_ac_add(ac, "bcd", 3));
	ASSERT_OK(vg_ac_build(ac));
	ASSERT_ERR(vg_ac_scan_impl(ac, VG_AC_IMPL_SIMD, "abcd", 4, on_hit, &h), -EOPNOTSUPP);
	ASSERT_OK(vg_ac_scan(ac, text, sizeof(text), on_hit, &h));
	ASSERT_EQ(h.n, sizeof(text) / 2);
	free(h.v);
	vg_ac_free(ac);
}

TEST(simd_many_pending_hits)
{
	/* a long keyword whose fingerprint window is at its end (offset 60) holds back the
	 * delivery of hits for 60 bytes; dense overlapping short keywords pile up meanwhile */
	static const char *const kws[] = {"ab", "ba", "aba", "bab", "abab", "babab", "ababab"};
	char long_kw[VG_SECRET_KEYWORD_LEN_MAX];
	struct vg_ac *ac = vg_ac_new();
	static char text[20000];

	note_simd();
	ASSERT_NOT_NULL(ac);
	memset(long_kw, 'e', sizeof(long_kw));
	memcpy(long_kw + sizeof(long_kw) - 4, "=:=:", 4);
	ASSERT_OK(vg_ac_add(ac, long_kw, sizeof(long_kw)));
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		ASSERT_OK(vg_ac_add(ac, kws[i], strlen(kws[i])));
	ASSERT_OK(vg_ac_build(ac));
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "abAB"[(i % 2) + 2 * (i % 7 == 0)];
	memset(text + 5000, 'E', sizeof(long_kw));
	memcpy(text + 5000 + sizeof(long_kw) - 4, "=:=:", 4);
	for (size_t len = 0; len < 300; len++)
		compare_paths(ac, text, len, "pending", (int)len);
	compare_paths(ac, text, sizeof(text), "pending", 0);
	vg_ac_free(ac);
}

TEST(simd_off_by_environment)
{
	/* VIGIL_SECRETS_SIMD=0 when the automaton is built: the default path is the scalar
	 * one (the same hits either way), the SIMD path can still be asked for */
	struct vg_ac *ac = vg_ac_new();
	struct hits a = {0}, b = {0};
	const char *t = "xx Password: token=1 https://u:p@h SECRET";

	ASSERT_NOT_NULL(ac);
	ASSERT_OK(setenv("VIGIL_SECRETS_SIMD", "0", 1));
	ASSERT_OK(vg_ac_add(ac, "password", 8));
	ASSERT_OK(vg_ac_add(ac, "token", 5));
	ASSERT_OK(vg_ac_add(ac, "https://", 8));
	ASSERT_OK(vg_ac_add(ac, "secret", 6));
	ASSERT_OK(vg_ac_build(ac));
	ASSERT_OK(unsetenv("VIGIL_SECRETS_SIMD"));
	ASSERT_OK(vg_ac_scan(ac, t, strlen(t), on_hit, &a));
	ASSERT_EQ(a.n, 4);
	compare_paths(ac, t, strlen(t), "env", 0);
	scan_with(ac, VG_AC_IMPL_SCALAR, t, strlen(t), &b);
	ASSERT_TRUE(same_hits(&a, &b));
	free(a.v);
	free(b.v);
	vg_ac_free(ac);
}
