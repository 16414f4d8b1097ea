/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semantic Versioning 2.0.0 (semver.org): MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]. Numbers
 * and numeric identifiers have no leading zeros; identifiers are non-empty [0-9A-Za-z-].
 * Precedence (§11): numbers numerically; a prerelease sorts before its release; prerelease
 * identifiers left to right, numeric ones numerically and before alphanumeric ones, those by
 * ASCII; more identifiers win when all else is equal; build metadata is ignored. Numbers of
 * any length compare exactly. The parser also serves the go and npm schemes.
 */
#include <errno.h>
#include <string.h>

#include "vuln/version-internal.h"

static bool ident_char(char c)
{
	return vg_version_isalnum(c) || c == '-';
}

/* [s, e) all digits? */
static bool all_digits(const char *s, const char *e)
{
	for (; s < e; s++)
		if (!vg_version_isdigit(*s))
			return false;
	return true;
}

/* Dot-separated non-empty identifiers; numeric ones without leading zeros if strict_num. */
static bool idents_ok(const char *s, size_t len, bool strict_num)
{
	const char *e = s + len, *p = s;

	if (len == 0)
		return false;
	while (p <= e) {
		const char *q = p;

		while (q < e && *q != '.') {
			if (!ident_char(*q))
				return false;
			q++;
		}
		if (q == p)
			return false;
		if (strict_num && q - p > 1 && *p == '0' && all_digits(p, q))
			return false;
		p = q + 1;
	}
	return true;
}

bool vg_semver_prerelease_valid(const char *s, size_t len)
{
	return idents_ok(s, len, true);
}

int vg_semver_parse(const char *v, size_t len, unsigned flags, struct vg_semver *ret)
{
	const char *p = v, *e = v + len, *plus, *end;
	int n = 0;

	*ret = (struct vg_semver){0};
	if (p < e && *p == 'v' && (flags & (VG_SEMVER_ALLOW_V | VG_SEMVER_REQUIRE_V)))
		p++;
	else if (flags & VG_SEMVER_REQUIRE_V)
		return -EINVAL;

	/* build metadata: everything after the first '+' */
	plus = memchr(p, '+', (size_t)(e - p));
	end = plus ? plus : e;
	if (plus) {
		ret->build = plus + 1;
		ret->build_len = (size_t)(e - plus - 1);
		if (!idents_ok(ret->build, ret->build_len, false))
			return -EINVAL;
	}
	for (n = 0; n < 3; n++) {
		const char *s = p;

		while (p < end && vg_version_isdigit(*p))
			p++;
		if (p == s || (p - s > 1 && *s == '0'))
			return -EINVAL;
		ret->num[n] = s;
		ret->num_len[n] = (size_t)(p - s);
		if (p == end || *p != '.' || n == 2)
			break;
		p++;
	}
	if (n < 2) {
		/* "v1", "v1.2": Go shorthands, never with a prerelease or build */
		if (!(flags & VG_SEMVER_ALLOW_SHORT) || p != end || plus)
			return -EINVAL;
		for (n++; n < 3; n++) {
			ret->num[n] = "0";
			ret->num_len[n] = 1;
		}
		return 0;
	}
	if (p < end) {
		if (*p != '-')
			return -EINVAL;
		ret->has_pre = true;
		ret->pre = p + 1;
		ret->pre_len = (size_t)(end - p - 1);
		if (!idents_ok(ret->pre, ret->pre_len, true))
			return -EINVAL;
	}
	return 0;
}

int vg_semver_prerelease_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *ae = a + an, *be = b + bn;

	for (;;) {
		const char *as = a, *bs = b;
		bool anum, bnum;
		int r;

		if (a >= ae || b >= be)
			/* all identifiers so far equal: the one with more wins */
			return a >= ae ? (b >= be ? 0 : -1) : 1;
		while (a < ae && *a != '.')
			a++;
		while (b < be && *b != '.')
			b++;
		anum = all_digits(as, a);
		bnum = all_digits(bs, b);
		if (anum && bnum)
			r = vg_version_numcmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
		else if (anum != bnum)
			r = anum ? -1 : 1;
		else
			r = vg_version_bytecmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
		if (r != 0)
			return r;
		if (a < ae)
			a++;
		if (b < be)
			b++;
	}
}

int vg_semver_compare(const struct vg_semver *a, const struct vg_semver *b)
{
	for (int i = 0; i < 3; i++) {
		int r = vg_version_numcmp(a->num[i], a->num_len[i], b->num[i], b->num_len[i]);

		if (r != 0)
			return r;
	}
	if (a->has_pre != b->has_pre)
		return a->has_pre ? -1 : 1;
	if (!a->has_pre)
		return 0;
	return vg_semver_prerelease_cmp(a->pre, a->pre_len, b->pre, b->pre_len);
}

int vg_version_semver_cmp(const char *a, const char *b, int *ret)
{
	struct vg_semver va, vb;
	int r;

	r = vg_semver_parse(a, strlen(a), 0, &va);
	if (r < 0)
		return r;
	r = vg_semver_parse(b, strlen(b), 0, &vb);
	if (r < 0)
		return r;
	*ret = vg_semver_compare(&va, &vb);
	return 0;
}

bool vg_version_semver_valid(const char *v)
{
	struct vg_semver s;

	return vg_semver_parse(v, strlen(v), 0, &s) == 0;
}
