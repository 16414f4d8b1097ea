/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debian versions, deb-version(5): [epoch:]upstream[-revision]. The epoch is numeric (absent
 * = 0), the revision follows the last '-' (absent = ""). upstream and revision are compared
 * with the same algorithm: alternating non-digit and digit runs; in non-digit runs each
 * character weighs '~' < end of string < letters (ASCII) < everything else, digit runs
 * compare as numbers. Written from the man page; numbers of any length compare exactly.
 */
#include <errno.h>
#include <string.h>

#include "vuln/version-internal.h"

struct dpkg_version {
	const char *epoch, *upstream, *revision;
	size_t epoch_len, upstream_len, revision_len;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits without judging: anything yields some split, so every string has a place in the order. */
static void split(const char *s, struct dpkg_version *v)
{
	size_t len = strlen(s);
	const char *colon, *hyphen;

	while (len > 0 && is_space(*s))
		s++, len--;
	while (len > 0 && is_space(s[len - 1]))
		len--;

	*v = (struct dpkg_version){.epoch = s, .revision = s + len};
	colon = memchr(s, ':', len);
	if (colon && colon > s) {
		bool digits = true;

		for (const char *p = s; p < colon; p++)
			digits = digits && vg_version_isdigit(*p);
		if (digits) {
			v->epoch_len = (size_t)(colon - s);
			len -= v->epoch_len + 1;
			s = colon + 1;
		}
	}
	v->upstream = s;
	v->upstream_len = len;
	hyphen = memrchr(s, '-', len);
	if (hyphen) {
		v->upstream_len = (size_t)(hyphen - s);
		v->revision = hyphen + 1;
		v->revision_len = len - v->upstream_len - 1;
	}
}

/* Weight of one character in a non-digit run; c == 0 stands for the end of the part. */
static int order(int c)
{
	if (c == 0 || vg_version_isdigit((char)c))
		return 0;
	if (vg_version_isalpha((char)c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	while (i < an || j < bn) {
		size_t ds, dl, es, el;
		int r;

		while ((i < an && !vg_version_isdigit(a[i])) ||
		       (j < bn && !vg_version_isdigit(b[j]))) {
			int ac = order(i < an ? (unsigned char)a[i] : 0);
			int bc = order(j < bn ? (unsigned char)b[j] : 0);

			if (ac != bc)
				return ac < bc ? -1 : 1;
			/* a digit or the end weighs 0 and stays for the digit run */
			if (i < an && !vg_version_isdigit(a[i]))
				i++;
			if (j < bn && !vg_version_isdigit(b[j]))
				j++;
		}
		for (ds = i; i < an && vg_version_isdigit(a[i]); i++)
			;
		for (es = j; j < bn && vg_version_isdigit(b[j]); j++)
			;
		dl = i - ds;
		el = j - es;
		r = vg_version_numcmp(a + ds, dl, b + es, el);
		if (r != 0)
			return r;
	}
	return 0;
}

int vg_version_dpkg_cmp(const char *a, const char *b, int *ret)
{
	struct dpkg_version va, vb;
	int r;

	split(a, &va);
	split(b, &vb);
	r = vg_version_numcmp(va.epoch, va.epoch_len, vb.epoch, vb.epoch_len);
	if (r == 0)
		r = verrevcmp(va.upstream, va.upstream_len, vb.upstream, vb.upstream_len);
	if (r == 0)
		r = verrevcmp(va.revision, va.revision_len, vb.revision, vb.revision_len);
	*ret = r;
	return 0;
}

/* dpkg's parseversion(): what it accepts without error or warning. */
bool vg_version_dpkg_valid(const char *s)
{
	struct dpkg_version v;
	const char *colon;
	size_t len = strlen(s);

	split(s, &v);
	/* no embedded blanks */
	for (const char *p = v.epoch; p < v.revision + v.revision_len; p++)
		if (is_space(*p))
			return false;
	/* an epoch split() did not take ("a:1", ":1") */
	colon = memchr(s, ':', len);
	if (colon && v.epoch_len == 0)
		return false;
	if (v.epoch_len > 0 && vg_version_numcmp(v.epoch, v.epoch_len, "2147483647", 10) > 0)
		return false;
	if (v.upstream_len == 0 || !vg_version_isdigit(v.upstream[0]))
		return false;
	/* "1.0-": a hyphen needs a revision after it */
	if (v.revision != v.upstream + v.upstream_len && v.revision_len == 0)
		return false;
	for (size_t i = 0; i < v.upstream_len; i++) {
		char c = v.upstream[i];

		if (!vg_version_isalnum(c) && !strchr(".-+~:", c))
			return false;
	}
	for (size_t i = 0; i < v.revision_len; i++) {
		char c = v.revision[i];

		if (!vg_version_isalnum(c) && !strchr(".+~", c))
			return false;
	}
	return true;
}
