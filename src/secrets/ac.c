/* SPDX-License-Identifier: Apache-2.0 */
/* Aho-Corasick over folded ASCII, compiled to a byte-class DFA (see ac.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* VG_AC_NO_SIMD builds what other architectures get (to check that it compiles cleanly). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(VG_AC_NO_SIMD)
#include <immintrin.h>
#define AC_HAVE_X86 1 /* the AVX-512 loop is compiled; used when the CPU has it */
#else
#define AC_HAVE_X86 0
#endif

#include "basic/hashmap.h"
#include "basic/limits.h"
#include "secrets/ac.h"

#define AC_FP_BYTES	     4 /* fingerprint: a 4-byte window of every keyword */
#define AC_BUCKETS	     24 /* three byte masks, one bit per bucket (see filter_avx512()) */
#define AC_SLOTS	     512 /* verification slots of keywords with 4 bytes and more */
#define AC_SHORT_SLOTS	     256 /* of shorter keywords */
#define AC_FAR_OFF	     3 /* see far_key() */
#define AC_FAR_SLOTS	     512 /* of keywords whose window is at least AC_FAR_OFF bytes into them */
#define AC_SIMD_KEYWORDS_MAX 2048 /* beyond, the filter lets most positions through */
#define AC_REFINE_ROUNDS     8 /* of the bucket assignment */
_Static_assert(AC_SIMD_KEYWORDS_MAX < 1 << 15, "struct ac_slot counts them in 15 bits");

/*
 * A keyword for direct verification: its first 8 folded bytes, the mask of those used and
 * 0x20 in the bytes that are letters: input bytes x match where (x | lower) & mask == pre,
 * exactly the automaton's folding (A-Z only) without folding the input.
 */
struct ac_kw {
	uint64_t pre, mask, lower;
	uint32_t kw, len;
	uint32_t off; /* of the fingerprint window in the keyword */
	uint32_t key; /* slot_key() of the window (or of the first 2 bytes of a shorter keyword) */
};

/*
 * A verification slot: its keywords are kv[first, first + n), all with the key @key unless
 * @mixed (keys that hash alike: each record's key is checked). One load and one compare tell
 * a candidate that no keyword's window is there. Keys have bit 5 set in every byte (so upper
 * and lower case give one key without folding the input; the few other bytes that then look
 * alike, '_' and DEL, '[' and '{', ..., only cost a verification).
 */
struct ac_slot {
	uint32_t key;
	uint16_t first; /* < AC_SIMD_KEYWORDS_MAX */
	uint16_t n : 15, mixed : 1;
};

struct vg_ac {
	/* while adding */
	struct vg_hashmap seen; /* folded keyword -> index + 1 */
	char **kws;
	size_t *kw_len;
	unsigned n_kws, cap_kws;
	size_t total_len;
	size_t max_len; /* longest keyword */
	bool built;
	/* built */
	uint8_t cls[256]; /* folded byte -> class; class 0 = no keyword has this byte */
	unsigned ncls;
	unsigned n_states;
	uint32_t *delta; /* [state * ncls + class] = next state * ncls (premultiplied) */
	uint32_t out_lo; /* premultiplied: states >= out_lo end at least one keyword */
	uint32_t *out_off; /* by (state - first output state): offsets into out_kw, n+1 entries */
	uint32_t *out_kw;
	/* SIMD prefilter (see scan_avx512()); only when every keyword has >= 2 bytes */
	bool simd; /* the CPU has AVX-512 VBMI, VIGIL_SECRETS_SIMD is not "0": the default */
	bool simd_built;
	/* [bucket / 8][position][ASCII byte] -> buckets that allow the byte there */
	uint8_t fp[AC_BUCKETS / 8][AC_FP_BYTES][128]; /* a byte >= 0x80 counts as its low 7 bits */
	uint64_t fp_high[AC_FP_BYTES]; /* ~0 if a keyword has a byte >= 0x80 there, else 0 */
	struct ac_slot slots[AC_SLOTS]; /* keywords of 4 bytes and more, by slot_of() */
	struct ac_slot short_slots[AC_SHORT_SLOTS]; /* shorter keywords, by short_slot_of() */
	struct ac_slot far_slots[AC_FAR_SLOTS]; /* far windows, by slot_of() of far_key() */
	bool has_short; /* keywords shorter than AC_FP_BYTES */
	bool has_far; /* keywords in far_slots */
	size_t max_off; /* largest window offset */
	struct ac_kw *kv;
	uint32_t *win; /* while building: fingerprint window offset of each keyword */
};

static inline uint8_t fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

struct vg_ac *vg_ac_new(void)
{
	struct vg_ac *ac = calloc(1, sizeof(*ac));

	if (!ac)
		return NULL;
	vg_hashmap_init(&ac->seen, VG_HASHMAP_STRING_COPY, VG_SECRET_KEYWORDS_TOTAL_MAX, NULL);
	return ac;
}

struct vg_ac *vg_ac_free(struct vg_ac *ac)
{
	if (!ac)
		return NULL;
	vg_hashmap_done(&ac->seen);
	for (unsigned i = 0; i < ac->n_kws; i++)
		free(ac->kws[i]);
	free(ac->kws);
	free(ac->kw_len);
	free(ac->delta);
	free(ac->out_off);
	free(ac->out_kw);
	free(ac->kv);
	free(ac->win);
	free(ac);
	return NULL;
}

unsigned vg_ac_count(const struct vg_ac *ac)
{
	return ac->n_kws;
}

int vg_ac_add(struct vg_ac *ac, const char *kw, size_t len)
{
	char *k;
	void *v;
	int r;

	if (ac->built)
		return -EBUSY;
	if (len == 0 || len > VG_SECRET_KEYWORD_LEN_MAX || memchr(kw, '\0', len))
		return -EINVAL;
	if (ac->n_kws >= VG_SECRET_KEYWORDS_TOTAL_MAX ||
	    ac->total_len + len >= VG_SECRET_AC_STATES_MAX)
		return -E2BIG;
	k = malloc(len + 1);
	if (!k)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++)
		k[i] = (char)fold((uint8_t)kw[i]);
	k[len] = '\0';
	v = vg_hashmap_get_str(&ac->seen, k);
	if (v) {
		free(k);
		return (int)((uintptr_t)v - 1);
	}
	if (ac->n_kws == ac->cap_kws) {
		unsigned cap = ac->cap_kws ? ac->cap_kws * 2 : 64;
		char **nk = reallocarray(ac->kws, cap, sizeof(*nk));
		size_t *nl;

		if (!nk) {
			free(k);
			return -ENOMEM;
		}
		ac->kws = nk;
		nl = reallocarray(ac->kw_len, cap, sizeof(*nl));
		if (!nl) {
			free(k);
			return -ENOMEM;
		}
		ac->kw_len = nl;
		ac->cap_kws = cap;
	}
	r = vg_hashmap_put_str(&ac->seen, k, (void *)(uintptr_t)(ac->n_kws + 1));
	if (r < 0) {
		free(k);
		return r;
	}
	ac->kws[ac->n_kws] = k;
	ac->kw_len[ac->n_kws] = len;
	ac->total_len += len;
	ac->max_len = VG_MAX(ac->max_len, len);
	return (int)ac->n_kws++;
}

/*
 * Verification finds keywords by a hash of the four bytes of their fingerprint window (bit 5
 * set in each, see slot_key()), the shorter ones by their first two, in a table of their own,
 * and those with a window 3 bytes or more into them by far_key(): all are read from the input
 * at a candidate.
 */
static inline unsigned slot_of(uint32_t key)
{
	_Static_assert(AC_SLOTS == 1 << 9, "9 bits");
	return (key * 0x9e3779b1u) >> (32 - 9);
}

static inline unsigned short_slot_of(uint32_t key)
{
	_Static_assert(AC_SHORT_SLOTS == 1 << 8, "8 bits");
	return (key * 0x9e3779b1u) >> (32 - 8);
}

static inline uint32_t slot_key(uint64_t bytes, size_t len)
{
	return len >= AC_FP_BYTES ? (uint32_t)bytes | 0x20202020u
				  : ((uint32_t)bytes & 0xffff) | 0x2020;
}

/*
 * The key of a window at least AC_FAR_OFF bytes into its keyword: a hash of the 3 bytes before
 * it (@before, in its low 3 bytes) and of its own (@win), so that keywords with one window
 * ("s://" of "https://", "ftps://", "redis://", "ldaps://", ...; "oken" of "token" and
 * "sessiontoken") are told apart without checking each of them at every occurrence.
 */
static inline uint32_t far_key(uint32_t before, uint32_t win)
{
	uint64_t k = ((uint64_t)win << 32 | (before & 0xffffff)) | 0x2020202020202020ULL;

	return (uint32_t)((k * 0x9e3779b97f4a7c15ULL) >> 32);
}

static bool is_far(const struct ac_kw *v)
{
	return v->len >= AC_FP_BYTES && v->off >= AC_FAR_OFF;
}

/* The slot of record @v. */
static struct ac_slot *kw_slot(struct vg_ac *ac, const struct ac_kw *v)
{
	if (v->len < AC_FP_BYTES)
		return &ac->short_slots[short_slot_of(v->key)];
	return is_far(v) ? &ac->far_slots[v->key % AC_FAR_SLOTS] : &ac->slots[slot_of(v->key)];
}

/* Adds the bytes a keyword byte matches (both cases of a letter) to a 256-bit set. */
static void fp_add(uint64_t set[4], uint8_t c)
{
	set[c >> 6] |= 1ULL << (c & 63);
	if (c >= 'a' && c <= 'z')
		set[(c - 32) >> 6] |= 1ULL << ((c - 32) & 63);
}

/* How much of typical text a byte set lets through: lower-case letters and blanks weigh most. */
static double fp_size(const uint64_t set[4])
{
	const uint64_t lower = 0x07fffffe00000000ULL; /* 'a'..'z' in set[1] */
	const uint64_t blank = (1ULL << ' ') | (1ULL << '\n');

	return 4.0 * __builtin_popcountll(set[1] & lower) +
	       8.0 * __builtin_popcountll(set[0] & blank) + __builtin_popcountll(set[0] & ~blank) +
	       __builtin_popcountll(set[1] & ~lower) + __builtin_popcountll(set[2]) +
	       __builtin_popcountll(set[3]);
}

/* How common a (folded) byte is in text, roughly: frequent letters, blanks and dots most. */
static unsigned byte_weight(uint8_t c)
{
	if (c == ' ' || c == '.' || (c && strchr("etaoinsrhl", c)))
		return 8;
	if (c >= 'a' && c <= 'z')
		return 3;
	return c >= '0' && c <= '9' ? 2 : 1;
}

/*
 * The fingerprint of a keyword is the four bytes at the offset where they are least common in
 * text ("ver=" of "server=", "-key" of "access-key"), so that words that only start like a
 * keyword ("server", "access") are no candidates; keywords shorter than that start at 0. Of
 * equally rare windows the last one: keywords are often common words joined ("private" +
 * "key", "discord.com" + "/api/webhooks"), and their first bytes a common word's ("priv" of
 * "privatekey" found "private" everywhere, "conf" of "confluence" every "config": measured
 * on the bench corpus, 11 % fewer candidates and a faster keyword pass).
 */
static size_t fp_window_of(const struct vg_ac *ac, unsigned i)
{
	size_t best = 0;
	double best_w = 0;

	for (size_t o = 0; o + AC_FP_BYTES <= ac->kw_len[i]; o++) {
		double w = 1;

		for (size_t j = 0; j < AC_FP_BYTES; j++)
			w *= byte_weight((uint8_t)ac->kws[i][o + j]);
		if (o == 0 || w <= best_w) {
			best = o;
			best_w = w;
		}
	}
	return best;
}

/* fp_window_of(), computed once per keyword in build_simd() */
static size_t fp_window(const struct vg_ac *ac, unsigned i)
{
	return ac->win[i];
}

/* Keywords are grouped by the first two bytes of their window, the short ones apart. */
static uint32_t fp_group(const struct vg_ac *ac, unsigned i)
{
	const char *w = ac->kws[i] + fp_window(ac, i);

	return (uint32_t)(uint8_t)w[0] << 9 | (uint32_t)(uint8_t)w[1] << 1 |
	       (ac->kw_len[i] < AC_FP_BYTES);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* Adds keywords (indices @kw[0, n)) to a bucket's sets by their windows (short: any byte). */
static void fp_add_kws(const struct vg_ac *ac, uint64_t set[AC_FP_BYTES][4], const unsigned *kw,
		       size_t n)
{
	for (size_t k = 0; k < n; k++) {
		size_t o = fp_window(ac, kw[k]);

		for (unsigned j = 0; j < AC_FP_BYTES; j++) {
			if (o + j < ac->kw_len[kw[k]])
				fp_add(set[j], (uint8_t)ac->kws[kw[k]][o + j]);
			else
				memset(set[j], 0xff, sizeof(set[j]));
		}
	}
}

/* @dst = @a | @b, byte set by byte set */
static void set_or(uint64_t dst[AC_FP_BYTES][4], const uint64_t a[AC_FP_BYTES][4],
		   const uint64_t b[AC_FP_BYTES][4])
{
	for (unsigned j = 0; j < AC_FP_BYTES; j++)
		for (unsigned w = 0; w < 4; w++)
			dst[j][w] = a[j][w] | b[j][w];
}

/* How much of text a bucket with byte sets @set lets through: the product of the sizes. */
static double bucket_cost(const uint64_t set[AC_FP_BYTES][4])
{
	double c = 1;

	for (unsigned j = 0; j < AC_FP_BYTES; j++)
		c *= fp_size(set[j]);
	return c;
}

/*
 * The prefilter's tables: groups of keywords (same first two window bytes) go into AC_BUCKETS
 * buckets, largest group first, each into the bucket whose accepted byte tuples (weighted by
 * how common the bytes are in text) grow least, so that a bucket's keywords look alike at every
 * position.
 * Then the keywords sorted by the hash slot of their window for verification.
 */
static int build_simd(struct vg_ac *ac)
{
	uint64_t set[AC_BUCKETS][AC_FP_BYTES][4] = {{{0}}};
	const char *env = getenv("VIGIL_SECRETS_SIMD");
	unsigned *idx, *grp, *order, *asg;
	uint64_t *key, (*gset)[AC_FP_BYTES][4];
	double cost[AC_BUCKETS];
	size_t min_len = SIZE_MAX, n_grp = 0;

	for (unsigned i = 0; i < ac->n_kws; i++)
		min_len = VG_MIN(min_len, ac->kw_len[i]);
	if (ac->n_kws == 0 || min_len < 2 || ac->n_kws > AC_SIMD_KEYWORDS_MAX)
		return 0; /* the automaton alone */
	free(ac->win);
	ac->win = malloc(ac->n_kws * sizeof(*ac->win));
	if (!ac->win)
		return -ENOMEM;
	for (unsigned i = 0; i < ac->n_kws; i++)
		ac->win[i] = (uint32_t)fp_window_of(ac, i);
	idx = malloc(ac->n_kws * sizeof(*idx));
	grp = malloc((ac->n_kws + 1) * sizeof(*grp)); /* group starts in idx[] */
	order = malloc(ac->n_kws * sizeof(*order));
	asg = malloc(ac->n_kws * sizeof(*asg)); /* bucket of each group */
	key = malloc(ac->n_kws * sizeof(*key));
	if (!idx || !grp || !order || !asg || !key) {
		free(idx);
		free(grp);
		free(order);
		free(asg);
		free(key);
		return -ENOMEM;
	}
	/* keywords sorted by group (then index) */
	for (unsigned i = 0; i < ac->n_kws; i++)
		key[i] = (uint64_t)fp_group(ac, i) << 32 | i;
	qsort(key, ac->n_kws, sizeof(*key), cmp_u64);
	for (unsigned i = 0; i < ac->n_kws; i++)
		idx[i] = (unsigned)key[i];
	free(key);
	for (unsigned i = 0; i < ac->n_kws; i++)
		if (i == 0 || fp_group(ac, idx[i]) != fp_group(ac, idx[i - 1]))
			grp[n_grp++] = i;
	grp[n_grp] = ac->n_kws;
#define GRP_N(g) (grp[(g) + 1] - grp[g])
	/* each group's own byte sets */
	gset = calloc(n_grp, sizeof(*gset));
	if (!gset) {
		free(idx);
		free(grp);
		free(order);
		free(asg);
		return -ENOMEM;
	}
	for (size_t g = 0; g < n_grp; g++)
		fp_add_kws(ac, gset[g], idx + grp[g], GRP_N(g));
	/* largest group first (insertion sort of the group numbers, stable) */
	for (size_t k = 0; k < n_grp; k++)
		order[k] = (unsigned)k;
	for (size_t k = 1; k < n_grp; k++)
		for (size_t j = k; j > 0 && GRP_N(order[j]) > GRP_N(order[j - 1]); j--) {
			unsigned t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (unsigned b = 0; b < AC_BUCKETS; b++)
		cost[b] = bucket_cost(set[b]);
	for (size_t k = 0; k < n_grp; k++) {
		unsigned best = 0;
		double best_cost = 0;

		for (unsigned b = 0; b < AC_BUCKETS; b++) {
			uint64_t t[AC_FP_BYTES][4];
			double after;

			set_or(t, set[b], gset[order[k]]);
			after = bucket_cost(t);
			if (b == 0 || after - cost[b] < best_cost) {
				best = b;
				best_cost = after - cost[b];
			}
		}
		set_or(set[best], set[best], gset[order[k]]);
		cost[best] = bucket_cost(set[best]);
		asg[order[k]] = best;
	}
	/*
	 * Then each group in turn moves to the bucket where it costs least, all else as it is,
	 * until none moves (or AC_REFINE_ROUNDS): the greedy pass places the first groups before
	 * it knows the others (measured: 20 % fewer candidates on the bench corpus).
	 */
	for (unsigned round = 0; round < AC_REFINE_ROUNDS; round++) {
		bool moved = false;

		for (size_t g = 0; g < n_grp; g++) {
			uint64_t without[AC_FP_BYTES][4] = {{0}};
			double from_after, best_delta = 0;
			unsigned from = asg[g], best = from;

			for (size_t h = 0; h < n_grp; h++)
				if (h != g && asg[h] == from)
					set_or(without, without, gset[h]);
			from_after = bucket_cost(without);
			for (unsigned b = 0; b < AC_BUCKETS; b++) {
				uint64_t t[AC_FP_BYTES][4];
				double delta;

				if (b == from)
					continue;
				set_or(t, set[b], gset[g]);
				delta = (bucket_cost(t) - cost[b]) - (cost[from] - from_after);
				if (delta < best_delta) {
					best_delta = delta;
					best = b;
				}
			}
			if (best != from) {
				memcpy(set[from], without, sizeof(without));
				cost[from] = from_after;
				set_or(set[best], set[best], gset[g]);
				cost[best] = bucket_cost(set[best]);
				asg[g] = best;
				moved = true;
			}
		}
		if (!moved)
			break;
	}
#undef GRP_N
	free(gset);
	free(asg);
	free(order);
	free(idx);
	free(grp);
	memset(ac->fp, 0, sizeof(ac->fp));
	memset(ac->fp_high, 0, sizeof(ac->fp_high));
	for (unsigned b = 0; b < AC_BUCKETS; b++)
		for (unsigned j = 0; j < AC_FP_BYTES; j++)
			for (unsigned c = 0; c < 256; c++) {
				if (!(set[b][j][c >> 6] & (1ULL << (c & 63))))
					continue;
				/* c and c ^ 0x80 share an entry: a superset */
				ac->fp[b / 8][j][c & 127] |= (uint8_t)(1u << (b % 8));
				if (c >= 128)
					ac->fp_high[j] = ~0ULL;
			}

	/* verification records, counting sort by slot (long keywords' slots first) */
	ac->kv = malloc(ac->n_kws * sizeof(*ac->kv));
	if (!ac->kv)
		return -ENOMEM;
	memset(ac->slots, 0, sizeof(ac->slots));
	memset(ac->short_slots, 0, sizeof(ac->short_slots));
	memset(ac->far_slots, 0, sizeof(ac->far_slots));
	ac->max_off = 0;
	for (unsigned i = 0; i < ac->n_kws; i++) {
		size_t n = VG_MIN(ac->kw_len[i], (size_t)8);
		uint32_t win = 0;
		struct ac_slot *t;

		ac->kv[i].pre = 0;
		ac->kv[i].mask = 0;
		ac->kv[i].lower = 0;
		memcpy(&ac->kv[i].pre, ac->kws[i], n);
		memset(&ac->kv[i].mask, 0xff, n);
		for (size_t j = 0; j < n; j++)
			if (ac->kws[i][j] >= 'a' && ac->kws[i][j] <= 'z')
				ac->kv[i].lower |= 0x20ULL << (8 * j);
		ac->kv[i].kw = i;
		ac->kv[i].len = (uint32_t)ac->kw_len[i];
		ac->kv[i].off = (uint32_t)fp_window(ac, i);
		memcpy(&win, ac->kws[i] + ac->kv[i].off, VG_MIN(ac->kw_len[i], (size_t)4));
		ac->kv[i].key = slot_key(win, ac->kw_len[i]);
		if (is_far(&ac->kv[i])) {
			uint32_t before;

			before = 0;
			memcpy(&before, ac->kws[i] + ac->kv[i].off - AC_FAR_OFF, AC_FAR_OFF);
			ac->kv[i].key = far_key(before, win);
			ac->has_far = true;
		}
		t = kw_slot(ac, &ac->kv[i]);
		if (t->n && t->key != ac->kv[i].key)
			t->mixed = 1;
		t->key = ac->kv[i].key;
		t->n++; /* at most AC_SIMD_KEYWORDS_MAX */
		ac->has_short |= ac->kw_len[i] < AC_FP_BYTES;
		ac->max_off = VG_MAX(ac->max_off, (size_t)ac->kv[i].off);
	}
	{
		struct ac_slot *all[3] = {ac->slots, ac->short_slots, ac->far_slots};
		const unsigned counts[3] = {AC_SLOTS, AC_SHORT_SLOTS, AC_FAR_SLOTS};
		struct ac_kw *tmp = malloc(ac->n_kws * sizeof(*tmp));
		unsigned first = 0;

		if (!tmp)
			return -ENOMEM;
		for (unsigned a = 0; a < 3; a++)
			for (unsigned k = 0; k < counts[a]; k++) {
				all[a][k].first = (uint16_t)first;
				first += all[a][k].n;
				all[a][k].n = 0; /* counted again while filling */
			}
		for (unsigned i = 0; i < ac->n_kws; i++) {
			struct ac_slot *t = kw_slot(ac, &ac->kv[i]);

			tmp[t->first + t->n++] = ac->kv[i];
		}
		memcpy(ac->kv, tmp, ac->n_kws * sizeof(*tmp));
		free(tmp);
	}
	ac->simd_built = true;
	ac->simd = AC_HAVE_X86 && vg_ac_simd_supported() && !(env && !strcmp(env, "0"));
	return 0;
}

int vg_ac_build(struct vg_ac *ac)
{
	unsigned n_max, n, ncls = 1, out_states = 0;
	int32_t *go = NULL; /* trie: [state * ncls + class], -1 = none */
	uint32_t *fail = NULL, *queue = NULL, *own_off = NULL, *own_kw = NULL, *perm = NULL;
	uint32_t *cnt = NULL;
	size_t n_out = 0;
	int r = -ENOMEM;

	if (ac->built)
		return -EBUSY;
	memset(ac->cls, 0, sizeof(ac->cls));
	for (unsigned i = 0; i < ac->n_kws; i++)
		for (size_t j = 0; j < ac->kw_len[i]; j++) {
			uint8_t c = (uint8_t)ac->kws[i][j];

			if (!ac->cls[c])
				ac->cls[c] = (uint8_t)ncls++;
		}
	/* upper-case letters fold onto the lower-case class */
	for (unsigned c = 'A'; c <= 'Z'; c++)
		ac->cls[c] = ac->cls[c + 32];
	ac->ncls = ncls;
	n_max = (unsigned)ac->total_len + 1;

	go = malloc((size_t)n_max * ncls * sizeof(*go));
	fail = calloc(n_max, sizeof(*fail));
	queue = malloc(n_max * sizeof(*queue));
	cnt = calloc(n_max + 1, sizeof(*cnt));
	if (!go || !fail || !queue || !cnt)
		goto out;
	memset(go, 0xff, (size_t)n_max * ncls * sizeof(*go));

	/* trie; cnt[s] = keywords ending exactly at s */
	n = 1;
	{
		uint32_t *end_state = malloc((ac->n_kws ? ac->n_kws : 1) * sizeof(*end_state));

		if (!end_state)
			goto out;
		for (unsigned i = 0; i < ac->n_kws; i++) {
			uint32_t s = 0;

			for (size_t j = 0; j < ac->kw_len[i]; j++) {
				unsigned c = ac->cls[(uint8_t)ac->kws[i][j]];

				if (go[s * ncls + c] < 0)
					go[s * ncls + c] = (int32_t)n++;
				s = (uint32_t)go[s * ncls + c];
			}
			end_state[i] = s;
			cnt[s]++;
		}
		/* own outputs in CSR form */
		own_off = calloc(n + 1, sizeof(*own_off));
		own_kw = malloc((ac->n_kws ? ac->n_kws : 1) * sizeof(*own_kw));
		if (!own_off || !own_kw) {
			free(end_state);
			goto out;
		}
		for (unsigned s = 0; s < n; s++)
			own_off[s + 1] = own_off[s] + cnt[s];
		memset(cnt, 0, (n_max + 1) * sizeof(*cnt));
		for (unsigned i = 0; i < ac->n_kws; i++) {
			uint32_t s = end_state[i];

			own_kw[own_off[s] + cnt[s]++] = i;
		}
		free(end_state);
	}
	ac->n_states = n;

	/* BFS: failure links, and the trie turned into a full DFA in place */
	{
		size_t qh = 0, qt = 0;

		for (unsigned c = 0; c < ncls; c++) {
			int32_t t = go[c];

			if (t < 0)
				go[c] = 0;
			else {
				fail[t] = 0;
				queue[qt++] = (uint32_t)t;
			}
		}
		while (qh < qt) {
			uint32_t s = queue[qh++];

			for (unsigned c = 0; c < ncls; c++) {
				int32_t t = go[s * ncls + c];

				if (t < 0)
					go[s * ncls + c] = go[fail[s] * ncls + c];
				else {
					fail[t] = (uint32_t)go[fail[s] * ncls + c];
					queue[qt++] = (uint32_t)t;
				}
			}
		}
		/* total outputs per state: own + fail's (fail is shallower: BFS order works) */
		memset(cnt, 0, (n_max + 1) * sizeof(*cnt));
		for (size_t i = 0; i < qt; i++) {
			uint32_t s = queue[i];

			cnt[s] = own_off[s + 1] - own_off[s] + cnt[fail[s]];
		}
	}

	/* renumber: states without output first (root stays 0), then states with output */
	perm = malloc(n * sizeof(*perm));
	if (!perm)
		goto out;
	{
		unsigned lo = 0, hi;

		for (unsigned s = 0; s < n; s++)
			if (cnt[s]) {
				out_states++;
				n_out += cnt[s];
			}
		hi = n - out_states;
		for (unsigned s = 0; s < n; s++)
			perm[s] = cnt[s] ? hi++ : lo++;
		ac->out_lo = (n - out_states) * ncls;
	}
	ac->delta = malloc((size_t)n * ncls * sizeof(*ac->delta));
	ac->out_off = calloc(out_states + 1, sizeof(*ac->out_off));
	ac->out_kw = malloc((n_out ? n_out : 1) * sizeof(*ac->out_kw));
	if (!ac->delta || !ac->out_off || !ac->out_kw)
		goto out;
	for (unsigned s = 0; s < n; s++)
		for (unsigned c = 0; c < ncls; c++)
			ac->delta[perm[s] * ncls + c] = perm[go[s * ncls + c]] * ncls;
	{
		unsigned base = n - out_states;

		/* offsets in new numbering */
		for (unsigned s = 0; s < n; s++)
			if (cnt[s])
				ac->out_off[perm[s] - base + 1] = cnt[s];
		for (unsigned i = 0; i < out_states; i++)
			ac->out_off[i + 1] += ac->out_off[i];
		for (unsigned s = 0; s < n; s++) {
			uint32_t k = 0, o, f = s;

			if (!cnt[s])
				continue;
			o = ac->out_off[perm[s] - base];
			/* walk the failure chain: own keywords of s, then of fail(s), ... */
			while (k < cnt[s]) {
				for (uint32_t j = own_off[f]; j < own_off[f + 1]; j++)
					ac->out_kw[o + k++] = own_kw[j];
				if (f == 0)
					break;
				f = fail[f];
			}
		}
	}
	r = build_simd(ac);
	if (r == 0)
		ac->built = true;
out:
	free(go);
	free(fail);
	free(queue);
	free(cnt);
	free(own_off);
	free(own_kw);
	free(perm);
	return r;
}

/*
 * Hits of the automaton come in order: they are gathered AC_BATCH at a time and handed over
 * in one call (the scanner's per-hit work then runs in a loop of its own).
 */
#define AC_BATCH 256

struct batch {
	struct vg_ac_hit v[AC_BATCH];
	size_t n;
	vg_ac_hits_fn *fn;
	void *userdata;
};

static inline int batch_add(struct batch *b, size_t end, uint32_t kw, uint32_t len)
{
	b->v[b->n].end = end;
	b->v[b->n].kw = kw;
	b->v[b->n].len = len;
	if (++b->n < AC_BATCH)
		return 0;
	b->n = 0;
	return b->fn(b->userdata, b->v, AC_BATCH);
}

static int batch_flush(struct batch *b)
{
	size_t n = b->n;

	b->n = 0;
	return n ? b->fn(b->userdata, b->v, n) : 0;
}

/* The keywords ending in (premultiplied) output state @s, longest first: to @b. */
static inline int out_hits(const struct vg_ac *ac, struct batch *b, uint32_t s, size_t end)
{
	uint32_t k = s / ac->ncls - ac->out_lo / ac->ncls;

	for (uint32_t j = ac->out_off[k]; j < ac->out_off[k + 1]; j++) {
		uint32_t kw = ac->out_kw[j];
		int r = batch_add(b, end, kw, (uint32_t)ac->kw_len[kw]);

		if (r)
			return r;
	}
	return 0;
}

/* One stream over buf[from, to). */
static int scan_one(const struct vg_ac *ac, const uint8_t *p, size_t from, size_t to,
		    struct batch *b)
{
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	const uint32_t out_lo = ac->out_lo;
	uint32_t s = 0;

	for (size_t i = from; i < to; i++) {
		s = delta[s + cls[p[i]]];
		if (vg_unlikely(s >= out_lo)) {
			int r = out_hits(ac, b, s, i + 1);

			if (r)
				return r;
		}
	}
	return 0;
}

#define AC_STREAMS	   4
#define AC_STREAM_MIN	   (64 * 1024) /* below this a buffer is one stream */
#define AC_STREAM_HITS_MAX (1u << 20) /* buffered hits per stream before falling back */

struct hit_buf {
	uint64_t *v; /* (end << 24) | keyword: ends < 2^40, keywords < 2^24 */
	size_t n, cap;
};

static int push_hits(const struct vg_ac *ac, struct hit_buf *h, uint32_t s, size_t end)
{
	uint32_t k = s / ac->ncls - ac->out_lo / ac->ncls;

	for (uint32_t j = ac->out_off[k]; j < ac->out_off[k + 1]; j++) {
		if (h->n == h->cap) {
			size_t cap = h->cap ? h->cap * 2 : 4096;
			uint64_t *v;

			if (cap > AC_STREAM_HITS_MAX)
				return -E2BIG;
			v = realloc(h->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			h->v = v;
			h->cap = cap;
		}
		h->v[h->n++] = ((uint64_t)end << 24) | ac->out_kw[j];
	}
	return 0;
}

/*
 * Four streams over four quarters of the buffer, interleaved so that their table loads
 * overlap (the single-stream loop waits for each load before the next). Stream i starts
 * (longest keyword - 1) bytes before its quarter, from the root, and keeps only the hits
 * ending inside its quarter; hits are buffered per stream and delivered in order. Returns
 * -E2BIG when a stream buffers too many hits (the caller falls back to one stream); nothing
 * has been delivered then.
 */
static int scan_interleaved(const struct vg_ac *ac, const uint8_t *p, size_t len, struct batch *b)
{
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	const uint32_t out_lo = ac->out_lo;
	size_t q = len / AC_STREAMS, start[AC_STREAMS], lo[AC_STREAMS], hi[AC_STREAMS], n;
	struct hit_buf h[AC_STREAMS] = {0};
	uint32_t s[AC_STREAMS] = {0};
	int r = 0;

	for (unsigned k = 0; k < AC_STREAMS; k++) {
		lo[k] = k * q;
		hi[k] = k + 1 == AC_STREAMS ? len : (k + 1) * q;
		start[k] = lo[k] > ac->max_len - 1 ? lo[k] - (ac->max_len - 1) : 0;
	}
	/* the common length, then each stream's tail */
	n = hi[0] - start[0];
	for (unsigned k = 1; k < AC_STREAMS; k++)
		n = VG_MIN(n, hi[k] - start[k]);
	{
		/* the hot loop keeps the four states in registers */
		const uint8_t *p0 = p + start[0], *p1 = p + start[1], *p2 = p + start[2],
			      *p3 = p + start[3];
		uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;

		for (size_t i = 0; i < n; i++) {
			s0 = delta[s0 + cls[p0[i]]];
			s1 = delta[s1 + cls[p1[i]]];
			s2 = delta[s2 + cls[p2[i]]];
			s3 = delta[s3 + cls[p3[i]]];
			if (vg_unlikely((s0 >= out_lo) | (s1 >= out_lo) | (s2 >= out_lo) |
					(s3 >= out_lo))) {
				s[0] = s0;
				s[1] = s1;
				s[2] = s2;
				s[3] = s3;
				for (unsigned k = 0; k < AC_STREAMS; k++)
					if (s[k] >= out_lo && start[k] + i + 1 > lo[k]) {
						r = push_hits(ac, &h[k], s[k], start[k] + i + 1);
						if (r < 0)
							goto out;
					}
			}
		}
		s[0] = s0;
		s[1] = s1;
		s[2] = s2;
		s[3] = s3;
	}
	for (unsigned k = 0; k < AC_STREAMS; k++)
		for (size_t i = start[k] + n; i < hi[k]; i++) {
			s[k] = delta[s[k] + cls[p[i]]];
			if (vg_unlikely(s[k] >= out_lo) && i + 1 > lo[k]) {
				r = push_hits(ac, &h[k], s[k], i + 1);
				if (r < 0)
					goto out;
			}
		}
	for (unsigned k = 0; k < AC_STREAMS && !r; k++)
		for (size_t j = 0; j < h[k].n && !r; j++) {
			uint32_t kw = (uint32_t)(h[k].v[j] & 0xffffff);

			r = batch_add(b, (size_t)(h[k].v[j] >> 24), kw, (uint32_t)ac->kw_len[kw]);
		}
out:
	for (unsigned k = 0; k < AC_STREAMS; k++)
		free(h[k].v);
	return r;
}

bool vg_ac_simd_supported(void)
{
#if AC_HAVE_X86
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512vbmi");
#else
	return false;
#endif
}

#if AC_HAVE_X86
/* The verification runs inline in the candidate loop: a call per candidate costs more. */
#define AC_INLINE inline __attribute__((always_inline))

/* Up to eight bytes at @p (@n of them, the rest zero): keywords have no NUL byte. */
static AC_INLINE uint64_t load8(const uint8_t *p, size_t n)
{
	uint64_t x = 0;

	if (n >= 8)
		memcpy(&x, p, 8);
	else
		memcpy(&x, p, n);
	return x;
}

/*
 * Hits found by direct verification come by window position; the automaton reports them by
 * end, longest first at one end. Pending hits are kept sorted that way and delivered once no
 * later window can give a hit ending before them (a keyword starts at most max_off bytes
 * before its window), in batches: when AC_BATCH of them are pending. Once delivered up to a
 * window, a pending hit starts less than max_len + max_off bytes before that window and there
 * is at most one keyword per start and length: at most (max_len + max_off) * max_len entries
 * cannot be delivered yet, plus the batch.
 */
struct pending {
	struct vg_ac_hit *v;
	size_t head, n, cap, max; /* cap grows on demand up to max, the bound above */
};

/* Delivers the pending hits ending at or before @upto. */
static int pending_flush(struct pending *q, size_t upto, vg_ac_hits_fn *fn, void *userdata)
{
	size_t j = q->head;
	int r = 0;

	while (j < q->n && q->v[j].end <= upto)
		j++;
	if (j > q->head) {
		r = fn(userdata, q->v + q->head, j - q->head);
		q->head = j;
	}
	if (q->head == q->n)
		q->head = q->n = 0;
	return r;
}

static int pending_grow(struct pending *q)
{
	size_t cap;
	void *v;

	if (q->head > 0) {
		memmove(q->v, q->v + q->head, (q->n - q->head) * sizeof(*q->v));
		q->n -= q->head;
		q->head = 0;
		return 0;
	}
	cap = VG_MIN(q->cap * 2, q->max);
	if (cap <= q->cap)
		return -E2BIG; /* cannot happen: max is the bound */
	v = realloc(q->v, cap * sizeof(*q->v));
	if (!v)
		return -ENOMEM;
	q->v = v;
	q->cap = cap;
	return 0;
}

/* A verified hit whose window is at @w: queued in order, a batch delivered when it is full. */
static AC_INLINE int pending_push(const struct vg_ac *ac, struct pending *q, size_t w, size_t end,
				  uint32_t kw, uint32_t len, vg_ac_hits_fn *fn, void *userdata)
{
	size_t j;
	int r;

	if (q->n - q->head >= AC_BATCH && w + 1 > ac->max_off) {
		r = pending_flush(q, w + 1 - ac->max_off, fn, userdata);
		if (r)
			return r;
	}
	if (q->n == q->cap) {
		r = pending_grow(q);
		if (r)
			return r;
	}
	for (j = q->n; j > q->head &&
		       (q->v[j - 1].end > end || (q->v[j - 1].end == end && q->v[j - 1].len < len));
	     j--)
		q->v[j] = q->v[j - 1];
	q->v[j].end = end;
	q->v[j].kw = kw;
	q->v[j].len = len;
	q->n++;
	return 0;
}

/* Checks record @v (its key matched) at window @w and queues its hit. */
static AC_INLINE int verify_kw(const struct vg_ac *ac, const struct ac_kw *v, const uint8_t *p,
			       size_t len, size_t w, uint64_t x, struct pending *q,
			       vg_ac_hits_fn *fn, void *userdata)
{
	size_t pos;

	if (v->off > w)
		return 0;
	pos = w - v->off;
	if (v->len > len - pos)
		return 0;
	if ((((v->off ? load8(p + pos, len - pos) : x) | v->lower) & v->mask) != v->pre)
		return 0;
	if (v->len > 8) {
		const char *kw = ac->kws[v->kw];
		size_t j = 8;

		while (j < v->len && fold(p[pos + j]) == (uint8_t)kw[j])
			j++;
		if (j < v->len)
			return 0;
	}
	return pending_push(ac, q, w, pos + v->len, v->kw, v->len, fn, userdata);
}

/* The records of slot @t whose key is @key, checked at @w. */
static AC_INLINE int verify_slot(const struct vg_ac *ac, const struct ac_slot *t, uint32_t key,
				 const uint8_t *p, size_t len, size_t w, uint64_t x,
				 struct pending *q, vg_ac_hits_fn *fn, void *userdata)
{
	if (!(((t->key == key) & (t->n != 0)) | t->mixed))
		return 0;
	for (unsigned i = t->first; i < (unsigned)t->first + t->n; i++) {
		int r;

		if (t->mixed && ac->kv[i].key != key)
			continue;
		r = verify_kw(ac, &ac->kv[i], p, len, w, x, q, fn, userdata);
		if (r)
			return r;
	}
	return 0;
}

/*
 * Verifies the keywords whose window may be at @w (w + 2 <= len); @x holds the bytes from @w
 * on (zero past the end). Queues their hits.
 */
static AC_INLINE int verify_at(const struct vg_ac *ac, const uint8_t *p, size_t len, size_t w,
			       uint64_t x, struct pending *q, vg_ac_hits_fn *fn, void *userdata)
{
	uint32_t key = slot_key(x, AC_FP_BYTES);
	int r;

	r = verify_slot(ac, &ac->slots[slot_of(key)], key, p, len, w, x, q, fn, userdata);
	if (r)
		return r;
	if (ac->has_short) {
		key = slot_key(x, 2);
		r = verify_slot(ac, &ac->short_slots[short_slot_of(key)], key, p, len, w, x, q, fn,
				userdata);
		if (r)
			return r;
	}
	if (ac->has_far && w >= AC_FAR_OFF) {
		uint32_t before;

		memcpy(&before, p + w - AC_FAR_OFF, 4); /* 3 bytes before, 1 of the window */
		key = far_key(before, (uint32_t)x);
		r = verify_slot(ac, &ac->far_slots[key % AC_FAR_SLOTS], key, p, len, w, x, q, fn,
				userdata);
	}
	return r;
}
#endif

/* The automaton: four interleaved streams, or one for short buffers and very dense hits. */
static int scan_scalar(const struct vg_ac *ac, const uint8_t *p, size_t len, struct batch *b)
{
	int r;

	if (len >= AC_STREAM_MIN && len < (1ULL << 40)) {
		r = scan_interleaved(ac, p, len, b);
		if (r != -E2BIG && r != -ENOMEM)
			return r;
		/* too many hits to buffer (or no memory for them): one stream, no buffering */
	}
	return scan_one(ac, p, 0, len, b);
}

#if AC_HAVE_X86
#define AC_CAND_BLOCKS 256 /* 64-byte blocks with candidates, per filter call */
#define AC_BLOCK_NEED  (64 + 7) /* bytes a block needs: its 64 positions, 8 bytes read at each */

/*
 * Teddy-like filter (Hyperscan's): for 64 positions at once, the buckets whose keywords can
 * have their fingerprint window there, by the next AC_FP_BYTES bytes: one 128-entry byte table
 * lookup (vpermi2b) per byte position and 8 buckets, so the sets are exact bytes, not nibble
 * products as with pshufb (measured: a nibble filter with 8 buckets let one position in 5
 * through on the bench corpus, this one, with 32 buckets, one in 85); the masks are ANDed. Runs from @i until
 * the end of the buffer (less AC_BLOCK_NEED - 1 bytes) or until AC_CAND_BLOCKS blocks have
 * candidates; stores their offsets and candidate bits, returns where it stopped. No calls in
 * here: a call would spill the 24 table registers. 24 buckets, not 32: with 32 the tables
 * take every vector register, half of them are reloaded and copied in each block (measured:
 * 10 % more candidates with 24, but a 10 % faster keyword pass; with 16, 70 % more).
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static size_t
filter_avx512(const struct vg_ac *ac, const uint8_t *p, size_t len, size_t i,
	      size_t blk[AC_CAND_BLOCKS], uint64_t bits[AC_CAND_BLOCKS], size_t *n_blk)
{
#define AC_TBL(h, j)                                               \
	const __m512i lo##h##j = _mm512_loadu_si512(ac->fp[h][j]), \
		      hi##h##j = _mm512_loadu_si512(ac->fp[h][j] + 64)
#define AC_TBLS(j)    \
	AC_TBL(0, j); \
	AC_TBL(1, j); \
	AC_TBL(2, j)
	AC_TBLS(0);
	AC_TBLS(1);
	AC_TBLS(2);
	AC_TBLS(3);
#undef AC_TBLS
#undef AC_TBL
	size_t n = 0;

	_Static_assert(AC_FP_BYTES == 4 && AC_BUCKETS == 24, "the loop below is unrolled");
	_Static_assert(AC_BLOCK_NEED >= 64 + AC_FP_BYTES - 1, "a block reads its windows");
	for (; n < AC_CAND_BLOCKS && len >= AC_BLOCK_NEED && i <= len - AC_BLOCK_NEED; i += 64) {
		__m512i m0, m1, m2;
		uint64_t b;

		/*
		 * bit 6 of a byte picks the table half; bytes >= 0x80 give no bucket unless some
		 * keyword has such a byte there
		 */
#define AC_LOOK(h, j) _mm512_maskz_permutex2var_epi8(ok, lo##h##j, v, hi##h##j)
#define AC_POS(j)                                                             \
	do {                                                                  \
		__m512i v = _mm512_loadu_si512(p + i + j);                    \
		__mmask64 ok = ~_mm512_movepi8_mask(v) | ac->fp_high[j];      \
		m0 = j ? _mm512_and_si512(m0, AC_LOOK(0, j)) : AC_LOOK(0, j); \
		m1 = j ? _mm512_and_si512(m1, AC_LOOK(1, j)) : AC_LOOK(1, j); \
		m2 = j ? _mm512_and_si512(m2, AC_LOOK(2, j)) : AC_LOOK(2, j); \
	} while (0)
		AC_POS(0);
		AC_POS(1);
		AC_POS(2);
		AC_POS(3);
#undef AC_POS
#undef AC_LOOK
		m0 = _mm512_ternarylogic_epi64(m0, m1, m2, 0xfe); /* m0 | m1 | m2 */
		b = _mm512_test_epi8_mask(m0, m0);
		blk[n] = i;
		bits[n] = b;
		n += b != 0;
	}
	*n_blk = n;
	return i;
}
#endif

/*
 * The filter, then direct verification of its candidates; the last positions (where a block
 * would read past the buffer) are all verified, one by one. Buffers too short for a block are
 * verified that way entirely (at most AC_BLOCK_NEED - 1 positions).
 */
static int scan_simd(const struct vg_ac *ac, const uint8_t *p, size_t len, vg_ac_hits_fn *fn,
		     void *userdata)
{
#if AC_HAVE_X86
	struct pending q = {.max = (ac->max_len + ac->max_off) * ac->max_len + AC_BATCH + 1};
	size_t blk[AC_CAND_BLOCKS], n_blk, i = 0, next;
	uint64_t bits[AC_CAND_BLOCKS];
	int r = 0;

	q.cap = VG_MIN(q.max, (size_t)2 * AC_BATCH);
	q.v = malloc(q.cap * sizeof(*q.v));
	if (!q.v) { /* nothing reported yet: the automaton instead */
		struct batch b = {.fn = fn, .userdata = userdata};

		r = scan_scalar(ac, p, len, &b);
		return r ? r : batch_flush(&b);
	}
	for (;;) {
		next = filter_avx512(ac, p, len, i, blk, bits, &n_blk);
		for (size_t k = 0; k < n_blk; k++)
			for (uint64_t b = bits[k]; b; b &= b - 1) {
				size_t w = blk[k] + (size_t)__builtin_ctzll(b);
				uint64_t x;

				memcpy(&x, p + w, 8); /* w + 8 <= len in a block */
				r = verify_at(ac, p, len, w, x, &q, fn, userdata);
				if (r)
					goto out;
			}
		if (next == i || n_blk < AC_CAND_BLOCKS)
			break;
		i = next;
	}
	for (i = next; i + 2 <= len; i++) {
		r = verify_at(ac, p, len, i, load8(p + i, len - i), &q, fn, userdata);
		if (r)
			goto out;
	}
	r = pending_flush(&q, len, fn, userdata);
out:
	free(q.v);
	return r;
#else
	return -EOPNOTSUPP;
#endif
}

int vg_ac_scan_hits(const struct vg_ac *ac, enum vg_ac_impl impl, const char *buf, size_t len,
		    vg_ac_hits_fn *fn, void *userdata)
{
	const uint8_t *p = (const uint8_t *)buf;
	struct batch b = {.fn = fn, .userdata = userdata};
	int r;

	if (!ac->built)
		return -EINVAL;
	if (impl == VG_AC_IMPL_AUTO) /* ac->simd: checked at build */
		impl = ac->simd ? VG_AC_IMPL_SIMD : VG_AC_IMPL_SCALAR;
	else if (impl == VG_AC_IMPL_SIMD && (!ac->simd_built || !vg_ac_simd_supported()))
		return -EOPNOTSUPP;
	if (ac->n_kws == 0)
		return 0;
	if (impl == VG_AC_IMPL_SIMD)
		return scan_simd(ac, p, len, fn, userdata);
	r = scan_scalar(ac, p, len, &b);
	return r ? r : batch_flush(&b);
}

/* vg_ac_scan(): the batches handed on hit by hit. */
struct each {
	vg_ac_hit_fn *fn;
	void *userdata;
};

static int each_hit(void *userdata, const struct vg_ac_hit *hits, size_t n)
{
	const struct each *e = userdata;

	for (size_t i = 0; i < n; i++) {
		int r = e->fn(e->userdata, hits[i].kw, hits[i].end);

		if (r)
			return r;
	}
	return 0;
}

int vg_ac_scan_impl(const struct vg_ac *ac, enum vg_ac_impl impl, const char *buf, size_t len,
		    vg_ac_hit_fn *fn, void *userdata)
{
	struct each e = {.fn = fn, .userdata = userdata};

	return vg_ac_scan_hits(ac, impl, buf, len, each_hit, &e);
}

int vg_ac_scan(const struct vg_ac *ac, const char *buf, size_t len, vg_ac_hit_fn *fn,
	       void *userdata)
{
	return vg_ac_scan_impl(ac, VG_AC_IMPL_AUTO, buf, len, fn, userdata);
}
