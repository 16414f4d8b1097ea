/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Python versions, PEP 440 as pypa/packaging parses and orders them:
 *   [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
 * case-insensitive, with packaging's spellings (alpha, beta, c, pre, preview, rev, r, "-N"
 * for a post release, '-', '_' or '.' separators, implicit 0 numbers) and blanks around.
 * Order: epoch, release (trailing zeros ignored: 1.0 == 1.0.0), pre-release, post, dev,
 * local; a dev release of a final version sorts before its pre-releases (1.0.dev0 < 1.0a0),
 * a missing post sorts first, a missing dev last, a missing local first. Local segments
 * compare numerically when numeric, numeric after alphanumeric, else case-insensitively.
 */
#include <errno.h>
#include <strings.h>
#include <string.h>

#include "basic/macro.h"
#include "vuln/version-internal.h"

enum pre_kind { PRE_NONE = -1, PRE_A, PRE_B, PRE_RC };

struct span {
	const char *s;
	size_t len;
};

struct pep440 {
	struct span epoch, release, pre_n, post_n, dev_n, local;
	enum pre_kind pre;
	bool post, dev;
};

struct keyword {
	const char *word;
	int value;
};

/* Longest spellings first: packaging's regex alternation, which never needs to backtrack. */
static const struct keyword pre_words[] = {
	{"alpha", PRE_A},    {"a", PRE_A},    {"beta", PRE_B}, {"b", PRE_B},
	{"preview", PRE_RC}, {"pre", PRE_RC}, {"c", PRE_RC},   {"rc", PRE_RC},
};
static const struct keyword post_words[] = {{"post", 0}, {"rev", 0}, {"r", 0}};
static const struct keyword dev_words[] = {{"dev", 0}};

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *digits(const char *p, const char *e, struct span *ret)
{
	const char *s = p;

	while (p < e && vg_version_isdigit(*p))
		p++;
	*ret = (struct span){s, (size_t)(p - s)};
	return p;
}

/* Matches one of words at p (case-insensitive); returns the end or NULL. */
static const char *word(const char *p, const char *e, const struct keyword *w, size_t n, int *ret)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(w[i].word);

		if ((size_t)(e - p) >= l && strncasecmp(p, w[i].word, l) == 0) {
			*ret = w[i].value;
			return p + l;
		}
	}
	return NULL;
}

/* [-_.]?WORD[-_.]?N? -- the optional number lands in ret; returns the end or NULL. */
static const char *labelled(const char *p, const char *e, const struct keyword *w, size_t n,
			    int *value, struct span *ret)
{
	const char *q = p;

	if (q < e && is_sep(*q))
		q++;
	q = word(q, e, w, n, value);
	if (!q)
		return NULL;
	if (q < e && is_sep(*q))
		q++;
	return digits(q, e, ret);
}

static int parse(const char *s, struct pep440 *v)
{
	const char *p = s, *e = s + strlen(s), *q;
	int kind;

	*v = (struct pep440){.pre = PRE_NONE};
	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	if (p < e && (*p == 'v' || *p == 'V'))
		p++;

	q = digits(p, e, &v->epoch);
	if (v->epoch.len > 0 && q < e && *q == '!')
		p = q + 1;
	else
		v->epoch.len = 0;

	v->release.s = p;
	for (;;) {
		struct span n;

		q = digits(p, e, &n);
		if (n.len == 0)
			return -EINVAL;
		p = q;
		if (p + 1 < e && *p == '.' && vg_version_isdigit(p[1]))
			p++;
		else
			break;
	}
	v->release.len = (size_t)(p - v->release.s);

	q = labelled(p, e, pre_words, VG_ARRAY_SIZE(pre_words), &kind, &v->pre_n);
	if (q) {
		v->pre = (enum pre_kind)kind;
		p = q;
	}
	if (p + 1 < e && *p == '-' && vg_version_isdigit(p[1])) {
		v->post = true;
		p = digits(p + 1, e, &v->post_n);
	} else if ((q = labelled(p, e, post_words, VG_ARRAY_SIZE(post_words), &kind, &v->post_n))) {
		v->post = true;
		p = q;
	}
	q = labelled(p, e, dev_words, VG_ARRAY_SIZE(dev_words), &kind, &v->dev_n);
	if (q) {
		v->dev = true;
		p = q;
	}
	if (p < e && *p == '+') {
		/* [a-z0-9]+([-_.][a-z0-9]+)* */
		v->local.s = ++p;
		for (;;) {
			const char *seg = p;

			while (p < e && vg_version_isalnum(*p))
				p++;
			if (p == seg)
				return -EINVAL;
			if (p < e && is_sep(*p))
				p++;
			else
				break;
		}
		v->local.len = (size_t)(p - v->local.s);
	}
	return p == e ? 0 : -EINVAL;
}

/* Next dot-separated release number, "0" once the list has run out. */
static struct span next_release(const char **p, const char *e)
{
	struct span n;

	if (*p >= e)
		return (struct span){"0", 1};
	*p = digits(*p, e, &n);
	if (*p < e)
		(*p)++;
	return n;
}

static int release_cmp(struct span a, struct span b)
{
	const char *pa = a.s, *pb = b.s, *ea = a.s + a.len, *eb = b.s + b.len;

	while (pa < ea || pb < eb) {
		struct span x = next_release(&pa, ea), y = next_release(&pb, eb);
		int r = vg_version_numcmp(x.s, x.len, y.s, y.len);

		if (r != 0)
			return r;
	}
	return 0;
}

/* Pre-release rank: -inf for a bare dev release, then a < b < rc, +inf for none. */
static int pre_rank(const struct pep440 *v)
{
	if (v->pre == PRE_NONE)
		return !v->post && v->dev ? -1 : 3;
	return (int)v->pre;
}

static int local_cmp(struct span a, struct span b)
{
	const char *pa = a.s, *pb = b.s, *ea = a.s + a.len, *eb = b.s + b.len;

	for (;;) {
		const char *sa = pa, *sb = pb;
		bool na = true, nb = true;
		int r;

		if (pa >= ea || pb >= eb)
			return pa >= ea ? (pb >= eb ? 0 : -1) : 1;
		for (; pa < ea && !is_sep(*pa); pa++)
			na = na && vg_version_isdigit(*pa);
		for (; pb < eb && !is_sep(*pb); pb++)
			nb = nb && vg_version_isdigit(*pb);
		if (na != nb)
			return na ? 1 : -1; /* numeric segments sort after alphanumeric ones */
		if (na) {
			r = vg_version_numcmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb));
		} else {
			size_t la = (size_t)(pa - sa), lb = (size_t)(pb - sb);

			r = strncasecmp(sa, sb, VG_MIN(la, lb));
			r = r != 0 ? vg_version_sign(r) : (la == lb ? 0 : (la < lb ? -1 : 1));
		}
		if (r != 0)
			return r;
		if (pa < ea)
			pa++;
		if (pb < eb)
			pb++;
	}
}

static int num_or_zero_cmp(struct span a, struct span b)
{
	return vg_version_numcmp(a.s, a.len, b.s, b.len);
}

int vg_version_pep440_cmp(const char *a, const char *b, int *ret)
{
	struct pep440 va, vb;
	int r;

	if (parse(a, &va) < 0 || parse(b, &vb) < 0)
		return -EINVAL;
	r = num_or_zero_cmp(va.epoch, vb.epoch);
	if (r == 0)
		r = release_cmp(va.release, vb.release);
	if (r == 0)
		r = vg_version_sign(pre_rank(&va) - pre_rank(&vb));
	if (r == 0 && va.pre != PRE_NONE)
		r = num_or_zero_cmp(va.pre_n, vb.pre_n);
	if (r == 0 && va.post != vb.post)
		r = va.post ? 1 : -1;
	if (r == 0 && va.post)
		r = num_or_zero_cmp(va.post_n, vb.post_n);
	if (r == 0 && va.dev != vb.dev)
		r = va.dev ? -1 : 1;
	if (r == 0 && va.dev)
		r = num_or_zero_cmp(va.dev_n, vb.dev_n);
	if (r == 0 && (va.local.len > 0) != (vb.local.len > 0))
		r = va.local.len > 0 ? 1 : -1;
	if (r == 0 && va.local.len > 0)
		r = local_cmp(va.local, vb.local);
	*ret = r;
	return 0;
}

bool vg_version_pep440_valid(const char *v)
{
	struct pep440 p;

	return parse(v, &p) == 0;
}
