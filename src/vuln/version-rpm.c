/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RPM versions: [epoch:]version[-release], compared epoch (numeric, absent = 0), then
 * version, then release (absent sorts first) with rpmvercmp(): separators (anything but ASCII
 * letters, digits, '~' and '^') are skipped; the rest splits into all-digit and all-letter
 * segments. '~' sorts before everything, even the end ("1.0~rc1" < "1.0"); '^' sorts after
 * the end but before any other segment ("1.0" < "1.0^git1" < "1.0.1"); a numeric segment
 * beats an alphabetic one; numbers compare without leading zeros, letters by bytes; the
 * version with segments left over wins. Every string is accepted.
 */
#include <string.h>

#include "vuln/version-internal.h"

struct evr {
	const char *epoch, *version, *release;
	size_t epoch_len, version_len, release_len;
	bool has_release;
};

static void split(const char *s, struct evr *v)
{
	size_t len = strlen(s);
	const char *p = s, *hyphen;

	*v = (struct evr){.epoch = s, .release = s + len};
	while (p < s + len && vg_version_isdigit(*p))
		p++;
	if (p < s + len && *p == ':') { /* ":1.0" has the epoch "" = 0 */
		v->epoch_len = (size_t)(p - s);
		len -= v->epoch_len + 1;
		s = p + 1;
	}
	v->version = s;
	v->version_len = len;
	hyphen = memrchr(s, '-', len);
	if (hyphen) {
		v->version_len = (size_t)(hyphen - s);
		v->release = hyphen + 1;
		v->release_len = len - v->version_len - 1;
		v->has_release = true;
	}
}

static bool is_sep(char c)
{
	return !vg_version_isalnum(c) && c != '~' && c != '^';
}

static int rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *ae = a + an, *be = b + bn;

	while (a < ae || b < be) {
		const char *as, *bs;
		bool num;
		int r;

		while (a < ae && is_sep(*a))
			a++;
		while (b < be && is_sep(*b))
			b++;
		if ((a < ae && *a == '~') || (b < be && *b == '~')) {
			if (a == ae || *a != '~')
				return 1;
			if (b == be || *b != '~')
				return -1;
			a++, b++;
			continue;
		}
		if ((a < ae && *a == '^') || (b < be && *b == '^')) {
			if (a == ae)
				return -1;
			if (b == be)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (a == ae || b == be)
			break;
		as = a, bs = b;
		num = vg_version_isdigit(*a);
		if (num) {
			while (a < ae && vg_version_isdigit(*a))
				a++;
			while (b < be && vg_version_isdigit(*b))
				b++;
		} else {
			while (a < ae && vg_version_isalpha(*a))
				a++;
			while (b < be && vg_version_isalpha(*b))
				b++;
		}
		/* different kinds of segment: the number wins */
		if (b == bs)
			return num ? 1 : -1;
		r = num ? vg_version_numcmp(as, (size_t)(a - as), bs, (size_t)(b - bs))
			: vg_version_bytecmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
		if (r != 0)
			return r;
	}
	if (a == ae && b == be)
		return 0;
	return a == ae ? -1 : 1;
}

int vg_version_rpm_cmp(const char *a, const char *b, int *ret)
{
	struct evr va, vb;
	int r;

	split(a, &va);
	split(b, &vb);
	r = vg_version_numcmp(va.epoch, va.epoch_len, vb.epoch, vb.epoch_len);
	if (r == 0)
		r = rpmvercmp(va.version, va.version_len, vb.version, vb.version_len);
	/* rpmverCmp(): a missing release sorts before any release, even "" or "~1" */
	if (r == 0 && va.has_release != vb.has_release)
		r = va.has_release ? 1 : -1;
	if (r == 0)
		r = rpmvercmp(va.release, va.release_len, vb.release, vb.release_len);
	*ret = r;
	return 0;
}

/* Non-empty version, no blanks or control characters, an epoch only before a version. */
bool vg_version_rpm_valid(const char *v)
{
	struct evr e;

	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	split(v, &e);
	if (e.version_len == 0 || (e.has_release && e.release_len == 0))
		return false;
	return strchr(e.version, ':') == NULL ||
	       strchr(e.version, ':') >= e.version + e.version_len;
}
