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

int vg_ac_scan(const struct vg_ac *ac, const char *buf, size_t len, vg_ac_hit_fn *fn,
	       void *userdata)
{
	const uint8_t *p = (const uint8_t *)buf;
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	const uint32_t out_lo = ac->out_lo, ncls = ac->ncls;
	uint32_t s = 0;

	if (!ac->built)
		return -EINVAL;
	if (ac->n_kws == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		s = delta[s + cls[p[i]]];
		if (vg_unlikely(s >= out_lo)) {
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
