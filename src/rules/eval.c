/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation of a compiled rule set against one object. The hot path: look up the candidate
 * rules of the object's event type, walk each rule's tree with short-circuiting, extract each
 * slot at most once per event (cache with a generation counter), compare with a switch on the
 * operator. No allocation per event.
 *
 * SPEC: docs/rules.md#compilation-and-evaluation
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules/compiled.h"
#include "rules/eval-internal.h"

/* ---- string matching ---- */

static const unsigned char lower_tab[256] = {
#define L(c) [c] = (c) + 32
	L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
	L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
	L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z'),
#undef L
};

static inline unsigned char lc(unsigned char c)
{
	return lower_tab[c] ? lower_tab[c] : c;
}

static bool ieq_at(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
			return false;
	return true;
}

static bool icontains(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn > hn)
		return false;
	if (!nn)
		return true;
	for (size_t i = 0; i + nn <= hn; i++)
		if (lc((unsigned char)h[i]) == lc((unsigned char)nd[0]) && ieq_at(h + i, nd, nn))
			return true;
	return false;
}

static inline bool ceq(unsigned char a, unsigned char b, bool icase)
{
	return a == b || (icase && lc(a) == lc(b));
}

/* A bracket expression at p[0] == '['. Returns 1 match, 0 no match, -1 not a valid bracket
 * expression (then '[' is literal); *adv is its length. */
static int class_match(const char *p, size_t pn, unsigned char c, bool icase, size_t *adv)
{
	size_t i = 1;
	bool neg = false, match = false;

	if (i < pn && (p[i] == '!' || p[i] == '^')) {
		neg = true;
		i++;
	}
	for (bool first = true; i < pn; first = false) {
		unsigned char lo, hi;

		if (p[i] == ']' && !first) {
			*adv = i + 1;
			return match != neg;
		}
		if (p[i] == '\\' && i + 1 < pn)
			i++;
		lo = (unsigned char)p[i++];
		hi = lo;
		if (i + 1 < pn && p[i] == '-' && p[i + 1] != ']') {
			i++;
			if (p[i] == '\\' && i + 1 < pn)
				i++;
			hi = (unsigned char)p[i++];
		}
		if ((c >= lo && c <= hi) || (icase && ((lc(c) >= lc(lo) && lc(c) <= lc(hi)) ||
						       (lc(c) >= lo && lc(c) <= hi))))
			match = true;
	}
	return -1;
}

bool vg_glob_match(const char *p, size_t pn, const char *s, size_t sn, bool icase)
{
	size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;

	while (si < sn) {
		if (pi < pn) {
			unsigned char c = (unsigned char)p[pi];
			size_t adv;
			int m;

			switch (c) {
			case '*':
				while (pi < pn && p[pi] == '*')
					pi++;
				if (pi == pn)
					return true;
				star_p = pi;
				star_s = si;
				continue;
			case '?':
				pi++;
				si++;
				continue;
			case '[':
				m = class_match(p + pi, pn - pi, (unsigned char)s[si], icase, &adv);
				if (m > 0) {
					pi += adv;
					si++;
					continue;
				}
				if (m == 0)
					break;
				if (c == (unsigned char)s[si]) { /* literal '[' */
					pi++;
					si++;
					continue;
				}
				break;
			case '\\':
				if (pi + 1 < pn) {
					if (ceq((unsigned char)p[pi + 1], (unsigned char)s[si],
						icase)) {
						pi += 2;
						si++;
						continue;
					}
					break;
				}
				/* a trailing backslash is literal */
				__attribute__((fallthrough));
			default:
				if (ceq(c, (unsigned char)s[si], icase)) {
					pi++;
					si++;
					continue;
				}
				break;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

bool vg_pmatch_match(const struct vg_pmatch *pm, const char *path, size_t n)
{
	char buf[VG_PATH_NORM_MAX];
	const char *p = path;
	size_t len = n, i;
	bool norm = n > 0 && path[0] == '/';

	if (pm->root)
		return true;
	/* Already "/c1/c2" (no empty components, no trailing slash)? Then prefixes are slices. */
	for (i = 1; norm && i < n; i++)
		if (path[i] == '/' && (path[i - 1] == '/' || i + 1 == n))
			norm = false;
	if (!norm) {
		len = 0;
		for (i = 0; i < n && len + 2 < sizeof(buf);) {
			size_t k;

			while (i < n && path[i] == '/')
				i++;
			if (i == n)
				break;
			for (k = i; k < n && path[k] != '/'; k++)
				;
			if (len + 1 + (k - i) >= sizeof(buf))
				break; /* longer than any path we keep: compare what fits */
			buf[len++] = '/';
			memcpy(buf + len, path + i, k - i);
			len += k - i;
			i = k;
		}
		p = buf;
	}
	if (pm->prefixes.n) {
		for (i = 1; i <= len && i <= pm->prefixes.maxlen; i++)
			if ((i == len || p[i] == '/') && vg_strset_has(&pm->prefixes, p, i))
				return true;
	}
	for (uint32_t g = 0; g < pm->n_globs; g++) {
		const struct vg_pglob *gl = &pm->globs[g];
		size_t at = 0;
		uint32_t c;

		for (c = 0; c < gl->n && at < len; c++) {
			size_t k;

			at++; /* '/' */
			for (k = at; k < len && p[k] != '/'; k++)
				;
			if (!vg_glob_match(gl->comp[c], gl->len[c], p + at, k - at, false))
				break;
			at = k;
		}
		if (c == gl->n)
			return true;
	}
	return false;
}

/* ---- the evaluator ---- */

int vg_evaluator_new(const struct vg_ruleset *rs, struct vg_evaluator **ret)
{
	struct vg_evaluator *ev;

	if (!rs || !ret)
		return -EINVAL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->rs = rs;
	ev->cache = calloc(rs->n_slots ? rs->n_slots : 1, sizeof(*ev->cache));
	ev->slots = calloc(rs->n_slots ? rs->n_slots : 1, sizeof(*ev->slots));
	ev->memo = calloc(rs->n_memo + 1, sizeof(*ev->memo));
	ev->pool = calloc(VG_EVAL_VALUES_MAX, sizeof(*ev->pool));
	ev->trbuf = malloc(VG_EVAL_TRBUF_MAX);
	ev->md = vg_regex_md_new();
	if (!ev->cache || !ev->slots || !ev->memo || !ev->pool || !ev->trbuf || !ev->md) {
		vg_evaluator_free(ev);
		return -ENOMEM;
	}
	for (size_t i = 0; i < rs->n_slots; i++) {
		const struct vg_slot *sl = rs->slots[i];

		ev->slots[i] = (struct vg_eval_slot){
			.extract = sl->f->extract,
			.f = sl->f,
			.arg = &sl->arg,
			.sl = sl,
			.transform = sl->n_tr > 0,
		};
	}
	vg_strbuf_init(&ev->sb, VG_OUTPUT_MAX);
	ev->gen = 1;
	*ret = ev;
	return 0;
}

struct vg_evaluator *vg_evaluator_free(struct vg_evaluator *ev)
{
	if (!ev)
		return NULL;
	free(ev->cache);
	free(ev->slots);
	free(ev->memo);
	free(ev->pool);
	free(ev->trbuf);
	vg_regex_md_free(ev->md);
	vg_strbuf_done(&ev->sb);
	free(ev);
	return NULL;
}

void vg_eval_begin(struct vg_evaluator *ev, const void *obj)
{
	if (++ev->gen == 0) {
		memset(ev->cache, 0, (ev->rs->n_slots ? ev->rs->n_slots : 1) * sizeof(*ev->cache));
		memset(ev->memo, 0, (ev->rs->n_memo + 1) * sizeof(*ev->memo));
		ev->gen = 1;
	}
	vg_extract_reset(&ev->x);
	ev->pool_used = 0;
	ev->tr_used = 0;
	ev->obj = obj;
}

static const int8_t b64_tab[256] = {
	['A'] = 1,  ['B'] = 2,	['C'] = 3,  ['D'] = 4,	['E'] = 5,  ['F'] = 6,	['G'] = 7,
	['H'] = 8,  ['I'] = 9,	['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14,
	['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21,
	['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28,
	['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35,
	['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
	['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
	['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63,
	['/'] = 64,
};

/* Decodes standard base64 (padding optional) into out; -1 when invalid. */
static ssize_t b64_decode(const char *s, size_t n, char *out, size_t room)
{
	uint32_t acc = 0;
	size_t bits = 0, o = 0;

	while (n && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		int v = b64_tab[(unsigned char)s[i]];

		if (!v)
			return -1;
		acc = (acc << 6) | (uint32_t)(v - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= room)
				return -1;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return (ssize_t)o;
}

/* Applies one string transformer to v in place; false drops the value. */
static bool transform(struct vg_evaluator *ev, enum vg_transformer tr, struct vg_value *v)
{
	size_t room = VG_EVAL_TRBUF_MAX - ev->tr_used;
	char *dst = ev->trbuf + ev->tr_used;
	ssize_t k;

	if (v->type != VG_FT_STR && v->type != VG_FT_BYTES)
		return false;
	switch (tr) {
	case VG_TR_TOLOWER:
	case VG_TR_TOUPPER:
		if (v->s.len > room)
			return false;
		for (size_t i = 0; i < v->s.len; i++) {
			unsigned char c = (unsigned char)v->s.p[i];

			if (tr == VG_TR_TOLOWER)
				c = lc(c);
			else if (c >= 'a' && c <= 'z')
				c -= 32;
			dst[i] = (char)c;
		}
		v->s.p = dst;
		ev->tr_used += v->s.len;
		v->type = VG_FT_STR;
		return true;
	case VG_TR_BASENAME: {
		const char *slash = v->s.len ? memrchr(v->s.p, '/', v->s.len) : NULL;

		if (slash) {
			v->s.len -= (size_t)(slash + 1 - v->s.p);
			v->s.p = slash + 1;
		}
		v->type = VG_FT_STR;
		return true;
	}
	case VG_TR_B64:
		k = b64_decode(v->s.p, v->s.len, dst, room);
		if (k < 0)
			return false;
		v->s.p = dst;
		v->s.len = (size_t)k;
		ev->tr_used += (size_t)k;
		v->type = VG_FT_STR;
		return true;
	case VG_TR_LEN:
		v->u = v->s.len;
		v->type = VG_FT_UINT;
		return true;
	default:
		return true;
	}
}

/* The transformers of slot sl on its n values at out; returns how many values remain. Apart
 * (and not inlined) so that extracting a slot without any stays a small function. */
static __attribute__((noinline)) size_t transform_values(struct vg_evaluator *ev,
							 const struct vg_slot *sl,
							 struct vg_value *out, size_t n)
{
	for (unsigned t = 0; t < sl->n_tr; t++) {
		size_t k = 0;

		if (sl->tr[t] == VG_TR_LEN && sl->list && t == 0) {
			if (ev->pool_used >= VG_EVAL_VALUES_MAX)
				break; /* no room for the count: <NA> */
			out[0] = (struct vg_value){.type = VG_FT_UINT, .u = n};
			n = 1;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (transform(ev, sl->tr[t], &out[i]))
				out[k++] = out[i];
		n = k;
	}
	return n;
}

uint32_t vg_eval_get(struct vg_evaluator *ev, uint32_t slot, const struct vg_value **ret)
{
	struct vg_eval_cache *ce = &ev->cache[slot];
	const struct vg_eval_slot *es = &ev->slots[slot];
	struct vg_value *out;
	size_t n;

	if (ce->gen == ev->gen) {
		*ret = ev->pool + ce->start;
		return ce->n;
	}
	/* straight into the pool; the scratch stays: earlier slots' strings live there */
	out = ev->pool + ev->pool_used;
	ev->x.dst = out;
	ev->x.dst_max = VG_MIN((size_t)VG_EXTRACT_VALUES_MAX, VG_EVAL_VALUES_MAX - ev->pool_used);
	ev->x.n = 0;
	ev->x.overflow = false;
	es->extract(es->f, es->arg, ev->obj, &ev->x);
	n = ev->x.n;
	if (es->transform)
		n = transform_values(ev, es->sl, out, n);
	ce->gen = ev->gen;
	ce->start = (uint32_t)ev->pool_used;
	ce->n = (uint32_t)n;
	ev->pool_used += n;
	*ret = out;
	return (uint32_t)n;
}

/* ---- comparisons ---- */

static bool ip_eq(const struct vg_value *a, const struct vg_value *b)
{
	return a->ip.family == b->ip.family &&
	       memcmp(a->ip.addr, b->ip.addr, a->ip.family == 4 ? 4 : 16) == 0;
}

static bool ip_in_net(const struct vg_value *a, const struct vg_value *net)
{
	unsigned bits = net->ip.prefix, full = bits / 8, rem = bits % 8;

	if (a->ip.family != net->ip.family || bits > (net->ip.family == 4 ? 32u : 128u))
		return false;
	if (memcmp(a->ip.addr, net->ip.addr, full) != 0)
		return false;
	if (rem) {
		uint8_t mask = (uint8_t)(0xff << (8 - rem));

		return (a->ip.addr[full] & mask) == (net->ip.addr[full] & mask);
	}
	return true;
}

static bool val_eq(const struct vg_value *a, const struct vg_value *b)
{
	switch (b->type) {
	case VG_FT_STR:
	case VG_FT_BYTES:
		return a->s.len == b->s.len && memcmp(a->s.p, b->s.p, a->s.len) == 0;
	case VG_FT_INT:
	case VG_FT_UINT:
		return a->u == b->u;
	case VG_FT_BOOL:
		return a->b == b->b;
	case VG_FT_IP:
		return a->type == VG_FT_IP && ip_eq(a, b);
	case VG_FT_NET:
		return a->type == VG_FT_IP && ip_in_net(a, b);
	default:
		return false;
	}
}

static bool cmp_one(enum vg_cmp_op op, enum vg_ftype t, const struct vg_value *a,
		    const struct vg_value *b)
{
	switch (op) {
	case VG_OP_EQ:
	case VG_OP_IN:
	case VG_OP_INTERSECTS:
		return val_eq(a, b);
	case VG_OP_NE:
		return !val_eq(a, b);
	case VG_OP_LT:
		return t == VG_FT_INT ? a->i < b->i : a->u < b->u;
	case VG_OP_LE:
		return t == VG_FT_INT ? a->i <= b->i : a->u <= b->u;
	case VG_OP_GT:
		return t == VG_FT_INT ? a->i > b->i : a->u > b->u;
	case VG_OP_GE:
		return t == VG_FT_INT ? a->i >= b->i : a->u >= b->u;
	case VG_OP_CONTAINS:
	case VG_OP_BCONTAINS:
		return !b->s.len ||
		       (a->s.len >= b->s.len && memmem(a->s.p, a->s.len, b->s.p, b->s.len));
	case VG_OP_ICONTAINS:
		return icontains(a->s.p, a->s.len, b->s.p, b->s.len);
	case VG_OP_STARTSWITH:
	case VG_OP_BSTARTSWITH:
		return a->s.len >= b->s.len && memcmp(a->s.p, b->s.p, b->s.len) == 0;
	case VG_OP_ENDSWITH:
		return a->s.len >= b->s.len &&
		       memcmp(a->s.p + a->s.len - b->s.len, b->s.p, b->s.len) == 0;
	case VG_OP_GLOB:
		return vg_glob_match(b->s.p, b->s.len, a->s.p, a->s.len, false);
	case VG_OP_IGLOB:
		return vg_glob_match(b->s.p, b->s.len, a->s.p, a->s.len, true);
	default:
		return false;
	}
}

static bool numset_has(const uint64_t *v, uint32_t n, uint64_t k)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == k;
}

static bool match_one(struct vg_evaluator *ev, const struct vg_cnode *n, const struct vg_value *v)
{
	switch (n->rhs) {
	case VG_CRHS_ONE:
		return cmp_one(n->op, n->type, v, &n->v);
	case VG_CRHS_ITEMS:
		if (n->mod == VG_MOD_ALLOF) {
			for (uint32_t i = 0; i < n->n; i++)
				if (!cmp_one(n->op, n->type, v, &n->items[i]))
					return false;
			return true;
		}
		for (uint32_t i = 0; i < n->n; i++)
			if (cmp_one(n->op, n->type, v, &n->items[i]))
				return true;
		return false;
	case VG_CRHS_STRSET:
		return vg_strset_has(n->set, v->s.p, v->s.len);
	case VG_CRHS_NUMSET:
		return numset_has(n->nums, n->n, n->type == VG_FT_BOOL ? (uint64_t)v->b : v->u);
	case VG_CRHS_PMATCH:
		return vg_pmatch_match(n->pm, v->s.p, v->s.len);
	case VG_CRHS_REGEX:
		return vg_regex_match(n->re, ev->md, v->s.p, v->s.len) == 1;
	default:
		return false;
	}
}

static bool match_field(struct vg_evaluator *ev, const struct vg_cnode *n,
			const struct vg_value *lv, uint32_t ln)
{
	const struct vg_value *rv;
	uint32_t rn = vg_eval_get(ev, n->rslot, &rv);

	if (!rn)
		return false;
	if (n->op == VG_OP_IN || n->op == VG_OP_INTERSECTS) {
		for (uint32_t i = 0; i < ln; i++) {
			bool found = false;

			for (uint32_t k = 0; k < rn && !found; k++)
				found = val_eq(&lv[i], &rv[k]);
			if (found && !n->subset)
				return true;
			if (!found && n->subset)
				return false;
		}
		return n->subset;
	}
	for (uint32_t i = 0; i < ln; i++)
		if (cmp_one(n->op, n->type, &lv[i], &rv[0]))
			return true;
	return false;
}

/* The values of a slot: the cached ones inline, vg_eval_get() for the first use. */
static inline uint32_t slot_values(struct vg_evaluator *ev, uint32_t slot,
				   const struct vg_value **ret)
{
	const struct vg_eval_cache *ce = &ev->cache[slot];

	if (vg_likely(ce->gen == ev->gen)) {
		*ret = ev->pool + ce->start;
		return ce->n;
	}
	return vg_eval_get(ev, slot, ret);
}

static bool check_values(struct vg_evaluator *ev, const struct vg_cnode *n,
			 const struct vg_value *v, uint32_t cnt);

static bool eval_check(struct vg_evaluator *ev, const struct vg_cnode *n)
{
	const struct vg_value *v;
	uint32_t cnt = slot_values(ev, n->slot, &v);

	return check_values(ev, n, v, cnt);
}

/* Check n on the cnt values of its slot. */
static bool check_values(struct vg_evaluator *ev, const struct vg_cnode *n,
			 const struct vg_value *v, uint32_t cnt)
{
	/* <NA>: every comparison is false, `!=` included, as Falco */
	if (!cnt)
		return false;
	if (n->rhs == VG_CRHS_NONE)
		return true;
	if (n->rhs == VG_CRHS_FIELD)
		return match_field(ev, n, v, cnt);
	if (vg_likely(cnt == 1))
		return match_one(ev, n, v);
	if (n->subset) {
		for (uint32_t i = 0; i < cnt; i++)
			if (!match_one(ev, n, &v[i]))
				return false;
		return true;
	}
	for (uint32_t i = 0; i < cnt; i++)
		if (match_one(ev, n, &v[i]))
			return true;
	return false;
}

static bool eval_tree(struct vg_evaluator *ev, const struct vg_cnode *n);

static bool eval_node(struct vg_evaluator *ev, const struct vg_cnode *n)
{
	struct vg_eval_memo *m;

	if (!n->memo)
		return eval_tree(ev, n);
	m = &ev->memo[n->memo];
	if (m->gen != ev->gen) {
		m->val = eval_tree(ev, n);
		m->gen = ev->gen;
	}
	return m->val;
}

static bool eval_tree(struct vg_evaluator *ev, const struct vg_cnode *n)
{
	switch (n->kind) {
	case VG_CN_CHECK:
		return eval_check(ev, n);
	case VG_CN_AND:
		for (uint32_t i = 0; i < n->n; i++)
			if (!eval_node(ev, n->kids[i]))
				return false;
		return true;
	case VG_CN_OR:
		for (uint32_t i = 0; i < n->n; i++)
			if (eval_node(ev, n->kids[i]))
				return true;
		return false;
	case VG_CN_NOT:
		return !eval_node(ev, n->kids[0]);
	case VG_CN_TRUE:
		return true;
	default:
		return false;
	}
}

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Equal bytes, n of them, without a call for the short literals rules are made of: two
 * overlapping loads cover 4 to 16 bytes; the last bytes go first (paths that differ mostly
 * differ there, past a common prefix such as "/usr/"). */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		if (load64(a + n - 8) != load64(b + n - 8) || load64(a) != load64(b))
			return false;
		return n <= 16 || memcmp(a + 8, b + 8, n - 16) == 0;
	}
	if (n >= 4)
		return load32(a + n - 4) == load32(b + n - 4) && load32(a) == load32(b);
	return n == 0 || (a[n - 1] == b[n - 1] && a[0] == b[0] && a[n / 2] == b[n / 2]);
}

/* nd (1 <= nn <= hn) in h: places where its first and last bytes are, then the whole (flag
 * sets such as "O_RDONLY|O_CLOEXEC" have an 'O' every few bytes); long values go to
 * memmem(), whose time is linear whatever the input. */
static bool has_sub(const char *h, size_t hn, const char *nd, size_t nn)
{
	const char *end = h + (hn - nn) + 1; /* past the last place nd can start */
	char first = nd[0], last = nd[nn - 1];

	if (hn > 256)
		return memmem(h, hn, nd, nn) != NULL;
	if (hn > 64) {
		while (h < end) {
			const char *q = memchr(h, (unsigned char)first, (size_t)(end - h));

			if (!q)
				return false;
			if (q[nn - 1] == last && same_bytes(q, nd, nn))
				return true;
			h = q + 1;
		}
		return false;
	}
	for (; h < end; h++)
		if (h[0] == first && h[nn - 1] == last && same_bytes(h, nd, nn))
			return true;
	return false;
}

static bool any_str_eq(const struct vg_cnode *n, const struct vg_value *v)
{
	for (uint32_t i = 0; i < n->n; i++) {
		const struct vg_value *it = &n->items[i];

		if (it->s.len == v->s.len && same_bytes(v->s.p, it->s.p, it->s.len))
			return true;
	}
	return false;
}

/* A CHECK instruction with direct comparison kind (a constant where inlined): for a single
 * value, that comparison; the general path otherwise; decides exactly as eval_check(). */
static inline __attribute__((always_inline)) bool run_check(struct vg_evaluator *ev,
							    const struct vg_insn *in,
							    enum vg_check_fast kind)
{
	const struct vg_cnode *n = in->node;
	const struct vg_value *v, *l = &n->v;
	uint32_t cnt = slot_values(ev, in->arg, &v);

	if (!cnt)
		return false;
	if (cnt != 1 || kind == VG_CF_NONE)
		return check_values(ev, n, v, cnt);
	switch (kind) {
	case VG_CF_STR_EQ:
		return v->s.len == l->s.len && same_bytes(v->s.p, l->s.p, l->s.len);
	case VG_CF_STR_NE:
		return !(v->s.len == l->s.len && same_bytes(v->s.p, l->s.p, l->s.len));
	case VG_CF_STARTSWITH:
		return v->s.len >= l->s.len && same_bytes(v->s.p, l->s.p, l->s.len);
	case VG_CF_ENDSWITH:
		return v->s.len >= l->s.len &&
		       same_bytes(v->s.p + v->s.len - l->s.len, l->s.p, l->s.len);
	case VG_CF_CONTAINS:
		return !l->s.len ||
		       (v->s.len >= l->s.len && has_sub(v->s.p, v->s.len, l->s.p, l->s.len));
	case VG_CF_STR_ANY_EQ:
		return any_str_eq(n, v);
	case VG_CF_STRSET:
		return vg_strset_has(n->set, v->s.p, v->s.len);
	case VG_CF_U_EQ:
		return v->u == l->u;
	case VG_CF_U_NE:
		return v->u != l->u;
	case VG_CF_U_LT:
		return v->u < l->u;
	case VG_CF_U_LE:
		return v->u <= l->u;
	case VG_CF_U_GT:
		return v->u > l->u;
	case VG_CF_U_GE:
		return v->u >= l->u;
	case VG_CF_I_LT:
		return v->i < l->i;
	case VG_CF_I_LE:
		return v->i <= l->i;
	case VG_CF_I_GT:
		return v->i > l->i;
	case VG_CF_I_GE:
		return v->i >= l->i;
	case VG_CF_BOOL_EQ:
		return v->b == l->b;
	case VG_CF_BOOL_NE:
		return v->b != l->b;
	case VG_CF_EXISTS:
		return true;
	default:
		return check_values(ev, n, v, cnt);
	}
}

/* A bucket's program (compiled.h). */
static int run_program(struct vg_evaluator *ev, const struct vg_bucket *b, vg_match_fn *on_match,
		       void *userdata)
{
	const struct vg_ruleset *rs = ev->rs;
	const struct vg_insn *prog = b->prog;
	uint32_t pc = 0;
	int matches = 0;

	for (;;) {
		const struct vg_insn *in = &prog[pc];
		const struct vg_eval_memo *m;

#define CHECK_CASE(kind)                                        \
	case VG_INS_FAST + (kind):                              \
		pc = run_check(ev, in, (kind)) ? in->t : in->f; \
		break

		switch (in->code) {
		case VG_INS_CHECK:
			pc = run_check(ev, in, VG_CF_NONE) ? in->t : in->f;
			break;
			CHECK_CASE(VG_CF_STR_EQ);
			CHECK_CASE(VG_CF_STR_NE);
			CHECK_CASE(VG_CF_STARTSWITH);
			CHECK_CASE(VG_CF_ENDSWITH);
			CHECK_CASE(VG_CF_CONTAINS);
			CHECK_CASE(VG_CF_STR_ANY_EQ);
			CHECK_CASE(VG_CF_STRSET);
			CHECK_CASE(VG_CF_U_EQ);
			CHECK_CASE(VG_CF_U_NE);
			CHECK_CASE(VG_CF_U_LT);
			CHECK_CASE(VG_CF_U_LE);
			CHECK_CASE(VG_CF_U_GT);
			CHECK_CASE(VG_CF_U_GE);
			CHECK_CASE(VG_CF_I_LT);
			CHECK_CASE(VG_CF_I_LE);
			CHECK_CASE(VG_CF_I_GT);
			CHECK_CASE(VG_CF_I_GE);
			CHECK_CASE(VG_CF_BOOL_EQ);
			CHECK_CASE(VG_CF_BOOL_NE);
			CHECK_CASE(VG_CF_EXISTS);
#undef CHECK_CASE
		case VG_INS_MEMO:
			m = &ev->memo[in->arg];
			if (m->gen != ev->gen)
				pc = in->next;
			else
				pc = m->val ? in->t : in->f;
			break;
		case VG_INS_SET:
			ev->memo[in->arg] = (struct vg_eval_memo){.gen = ev->gen, .val = in->val};
			pc = in->t;
			break;
		case VG_INS_JUMP:
			pc = in->t;
			break;
		case VG_INS_MATCH:
			matches++;
			if (on_match)
				on_match(userdata, &rs->rules[b->rules[in->arg]]->pub);
			if (rs->matching == VG_MATCH_FIRST)
				return matches;
			pc = in->t;
			break;
		default:
			return matches;
		}
	}
}

/* The trees of a bucket too large for a program. */
static int walk_trees(struct vg_evaluator *ev, const struct vg_bucket *b, vg_match_fn *on_match,
		      void *userdata)
{
	const struct vg_ruleset *rs = ev->rs;
	int matches = 0;

	for (uint32_t i = 0; i < b->n; i++) {
		/* Most rules of a bucket open with the same macro (open_read, spawned_process):
		 * once it is known false for this event, skip the rule without touching it. */
		if (b->lead[i]) {
			const struct vg_eval_memo *m = &ev->memo[b->lead[i]];

			if (m->gen == ev->gen && !m->val)
				continue;
		}
		if (!eval_node(ev, b->roots[i]))
			continue;
		matches++;
		if (on_match)
			on_match(userdata, &rs->rules[b->rules[i]]->pub);
		if (rs->matching == VG_MATCH_FIRST)
			break;
	}
	return matches;
}

int vg_eval(struct vg_evaluator *ev, const struct vg_source *src, const void *obj,
	    vg_match_fn *on_match, void *userdata)
{
	const struct vg_ruleset *rs = ev->rs;
	const struct vg_srcindex *si = ev->last_idx;
	const struct vg_bucket *b;
	unsigned t = 0;
	int matches = 0;

	if (!si || si->src != src) {
		si = NULL;
		for (size_t i = 0; i < rs->n_idx; i++)
			if (rs->idx[i].src == src)
				si = &rs->idx[i];
		if (!si)
			return 0;
		ev->last_idx = si;
	}
	if (si->n_types > 1 && src->evttype_of) {
		t = src->evttype_of(obj);
		if (t >= si->n_types)
			t = 0;
	}
	b = &si->buckets[t];
	if (!b->n)
		return 0;
	vg_eval_begin(ev, obj);
	ev->in_eval = true;
	if (vg_likely(b->prog))
		matches = run_program(ev, b, on_match, userdata);
	else
		matches = walk_trees(ev, b, on_match, userdata);
	ev->in_eval = false;
	return matches;
}
