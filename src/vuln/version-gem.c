/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RubyGems versions (Gem::Version): digits, then '.'-separated alphanumeric parts, then an
 * optional "-" part; blanks around are allowed and a blank string is "0". Each '-' reads as
 * ".pre.". The string becomes segments (runs of digits -> numbers, runs of letters ->
 * strings) after Gem::Version#canonical_segments drops a trailing run of ".0"s and, in a
 * prerelease (any letter), the zeros just before the first letter: "1.0.a" == "1.a",
 * "1.2.0" == "1.2". Segments compare pairwise: numbers numerically, strings by bytes, a
 * string before a number; past the shorter list, zeros are skipped, a string makes its
 * version smaller and a non-zero number larger ("1.0.a" < "1.0" < "1.0.1").
 */
#include <errno.h>
#include <string.h>

#include "basic/limits.h"
#include "vuln/version-internal.h"

/* ".pre." for each '-': at most 5 bytes per input byte */
#define GEM_BUF_MAX (5 * VG_VERSION_LEN_MAX + 1)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ANCHORED_VERSION_PATTERN, on the trimmed string [p, e). */
static bool well_formed(const char *p, const char *e)
{
	if (p == e)
		return true; /* blank: "0" */
	if (!vg_version_isdigit(*p))
		return false;
	while (p < e && vg_version_isdigit(*p))
		p++;
	/* (\.[0-9a-zA-Z]+)* */
	while (p + 1 < e && *p == '.' && vg_version_isalnum(p[1])) {
		p++;
		while (p < e && vg_version_isalnum(*p))
			p++;
	}
	if (p == e)
		return true;
	/* (-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)? */
	if (*p != '-')
		return false;
	for (;;) {
		const char *s = ++p;

		while (p < e && (vg_version_isalnum(*p) || *p == '-'))
			p++;
		if (p == s)
			return false;
		if (p == e)
			return true;
		if (*p != '.')
			return false;
	}
}

/* Trimmed, '-' -> ".pre.", canonical_segments' two substitutions applied. */
static int canonical(const char *s, char *buf, size_t *ret_len)
{
	const char *p = s, *e = s + strlen(s);
	size_t n = 0, i, start, end;
	bool prerelease = false;

	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	if (!well_formed(p, e))
		return -EINVAL;
	if (p == e)
		p = "0", e = p + 1;
	for (; p < e; p++) {
		if (*p == '-') {
			memcpy(buf + n, ".pre.", 5);
			n += 5;
		} else {
			buf[n++] = *p;
		}
	}

	/* sub(/(?<=[a-zA-Z.])[.0]+\z/, ""): the trailing [.0] run, from its first allowed start */
	for (start = n; start > 0 && (buf[start - 1] == '.' || buf[start - 1] == '0'); start--)
		;
	for (i = start; i < n; i++) {
		char prev = i > 0 ? buf[i - 1] : 0;

		if (i > 0 && (vg_version_isalpha(prev) || prev == '.')) {
			n = i;
			break;
		}
	}

	for (i = 0; i < n; i++)
		prerelease = prerelease || vg_version_isalpha(buf[i]);
	/* sub(/(?<=\.|\A)[0.]+(?=[a-zA-Z])/, ""): first [0.] run after '.' or the start that
	 * runs into a letter */
	for (i = 0; prerelease && i < n; i++) {
		if (!(i == 0 || buf[i - 1] == '.') || (buf[i] != '0' && buf[i] != '.'))
			continue;
		for (end = i; end < n && (buf[end] == '0' || buf[end] == '.'); end++)
			;
		if (end < n && vg_version_isalpha(buf[end])) {
			memmove(buf + i, buf + end, n - end);
			n -= end - i;
			break;
		}
	}
	*ret_len = n;
	return 0;
}

struct seg {
	const char *s;
	size_t len;
	bool num;
};

/* scan(/\d+|[a-z]+/i); false at the end. */
static bool next_seg(const char **p, const char *e, struct seg *ret)
{
	const char *q = *p;

	while (q < e && !vg_version_isalnum(*q))
		q++;
	if (q == e) {
		*p = q;
		return false;
	}
	ret->s = q;
	ret->num = vg_version_isdigit(*q);
	while (q < e && (ret->num ? vg_version_isdigit(*q) : vg_version_isalpha(*q)))
		q++;
	ret->len = (size_t)(q - ret->s);
	*p = q;
	return true;
}

static bool is_zero(const struct seg *s)
{
	return vg_version_numcmp(s->s, s->len, "0", 1) == 0;
}

int vg_version_gem_cmp(const char *a, const char *b, int *ret)
{
	char ba[GEM_BUF_MAX], bb[GEM_BUF_MAX];
	const char *pa = ba, *pb = bb, *ea, *eb;
	size_t la, lb;
	struct seg x, y;
	bool hx, hy;
	int r;

	if (canonical(a, ba, &la) < 0 || canonical(b, bb, &lb) < 0)
		return -EINVAL;
	ea = ba + la;
	eb = bb + lb;
	for (;;) {
		hx = next_seg(&pa, ea, &x);
		hy = next_seg(&pb, eb, &y);
		if (!hx || !hy)
			break;
		if (x.num != y.num)
			return *ret = x.num ? 1 : -1, 0;
		r = x.num ? vg_version_numcmp(x.s, x.len, y.s, y.len)
			  : vg_version_bytecmp(x.s, x.len, y.s, y.len);
		if (r != 0)
			return *ret = r, 0;
	}
	/* the longer list decides with its first string or non-zero number */
	for (; hx; hx = next_seg(&pa, ea, &x))
		if (!x.num || !is_zero(&x))
			return *ret = x.num ? 1 : -1, 0;
	for (; hy; hy = next_seg(&pb, eb, &y))
		if (!y.num || !is_zero(&y))
			return *ret = y.num ? -1 : 1, 0;
	*ret = 0;
	return 0;
}

bool vg_version_gem_valid(const char *v)
{
	const char *p = v, *e = v + strlen(v);

	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	return well_formed(p, e);
}
