/* SPDX-License-Identifier: Apache-2.0 */
/* Aho-Corasick over folded ASCII, compiled to a byte-class DFA (see ac.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "basic/hashmap.h"
#include "basic/limits.h"
#include "secrets/ac.h"

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
	ac->built = true;
	r = 0;
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

/* One stream over buf[from, to): hits ending at or before @report_after are not reported. */
static int scan_one(const struct vg_ac *ac, const uint8_t *p, size_t from, size_t to,
		    size_t report_after, vg_ac_hit_fn *fn, void *userdata)
{
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	const uint32_t out_lo = ac->out_lo, ncls = ac->ncls;
	uint32_t s = 0;

	for (size_t i = from; i < to; i++) {
		s = delta[s + cls[p[i]]];
		if (vg_unlikely(s >= out_lo) && i + 1 > report_after) {
			uint32_t k = s / ncls - out_lo / ncls;

			for (uint32_t j = ac->out_off[k]; j < ac->out_off[k + 1]; j++) {
				int r = fn(userdata, ac->out_kw[j], i + 1);

				if (r)
					return r;
			}
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
 * -E2BIG when a stream buffers too many hits (the caller falls back to one stream).
 */
static int scan_interleaved(const struct vg_ac *ac, const uint8_t *p, size_t len, vg_ac_hit_fn *fn,
			    void *userdata)
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
		for (size_t j = 0; j < h[k].n && !r; j++)
			r = fn(userdata, (unsigned)(h[k].v[j] & 0xffffff),
			       (size_t)(h[k].v[j] >> 24));
out:
	for (unsigned k = 0; k < AC_STREAMS; k++)
		free(h[k].v);
	return r;
}

int vg_ac_scan(const struct vg_ac *ac, const char *buf, size_t len, vg_ac_hit_fn *fn,
	       void *userdata)
{
	const uint8_t *p = (const uint8_t *)buf;
	int r;

	if (!ac->built)
		return -EINVAL;
	if (ac->n_kws == 0)
		return 0;
	if (len >= AC_STREAM_MIN && len < (1ULL << 40)) {
		r = scan_interleaved(ac, p, len, fn, userdata);
		if (r != -E2BIG && r != -ENOMEM)
			return r;
		/* too many hits to buffer (or no memory for them): one stream, no buffering */
	}
	return scan_one(ac, p, 0, len, 0, fn, userdata);
}
