/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the version schemes for crashes and order properties. Input: one byte choosing the
 * scheme (all schemes when it is 0xff), then up to three strings separated by '\n'. For
 * the strings a, b, c every scheme must be reflexive (cmp(x, x) == 0), antisymmetric
 * (sign cmp(x, y) == -sign cmp(y, x)) and transitive (x <= y <= z implies x <= z, with
 * equality carried through); any violation aborts. Maven is exempt from transitivity:
 * ComparableVersion itself has cycles (1 < 1-sp < 1.0.alpha.1 < 1), see docs/vuln.md.
 * Lenient schemes must accept every string up to VG_VERSION_LEN_MAX. The npm range
 * evaluator gets a as a range against b and c; when a is a valid version that range must
 * be satisfied by exactly the versions equal to a.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STR_MAX (VG_VERSION_RANGE_LEN_MAX + 16)

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

/* Returns -2 when the scheme rejects a string, else the sign of cmp(a, b). */
static int cmp(enum vg_version_scheme s, const char *a, const char *b)
{
	int r = 42, e = vg_version_cmp(s, a, b, &r);

	if (e == -EINVAL || e == -E2BIG)
		return -2;
	if (e != 0 || r == 42)
		abort();
	return sgn(r);
}

static void check_scheme(enum vg_version_scheme s, const char *const v[3], bool transitive)
{
	int m[3][3];

	for (int i = 0; i < 3; i++) {
		bool ok = vg_version_valid(s, v[i]) == 1;

		m[i][i] = cmp(s, v[i], v[i]);
		if (m[i][i] != 0 && m[i][i] != -2)
			abort(); /* not reflexive */
		/* a valid version is always comparable; lenient schemes compare anything short */
		if (ok && m[i][i] == -2)
			abort();
		if (m[i][i] == -2 && strlen(v[i]) <= VG_VERSION_LEN_MAX &&
		    (s == VG_VERSION_DPKG || s == VG_VERSION_APK || s == VG_VERSION_RPM ||
		     s == VG_VERSION_MAVEN))
			abort();
	}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			if (i != j)
				m[i][j] = cmp(s, v[i], v[j]);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			if (m[i][j] == -2 || m[j][i] == -2) {
				if (m[i][j] != m[j][i])
					abort(); /* rejected one way only */
				continue;
			}
			if (m[i][j] != -m[j][i])
				abort(); /* not antisymmetric */
		}
	for (int i = 0; transitive && i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 3; k++) {
				int ij = m[i][j], jk = m[j][k], ik = m[i][k];

				if (ij == -2 || jk == -2 || ik == -2 || ij > 0 || jk > 0)
					continue;
				if (ik > 0 || (ij == 0 && jk == 0 && ik != 0) ||
				    ((ij < 0 || jk < 0) && ik == 0))
					abort(); /* not transitive */
			}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[3][STR_MAX + 1];
	const char *v[3];
	size_t pos = 1;
	int r;

	if (size < 1)
		return 0;
	for (int i = 0; i < 3; i++) {
		size_t n = 0;

		while (pos < size && data[pos] != '\n') {
			if (n < STR_MAX)
				buf[i][n++] = (char)data[pos];
			pos++;
		}
		pos++;
		buf[i][n] = 0; /* an embedded NUL just ends the string early */
		v[i] = buf[i];
	}

	for (int s = 0; s < VG_VERSION__MAX; s++)
		if (data[0] == 0xff || data[0] % VG_VERSION__MAX == s)
			check_scheme((enum vg_version_scheme)s, v, s != VG_VERSION_MAVEN);

	for (int i = 1; i < 3; i++) {
		r = vg_npm_range_satisfies(v[0], v[i]);
		if (r != 0 && r != 1 && r != -EINVAL && r != -E2BIG)
			abort();
		/* a version as a range is "=version": satisfied exactly by the equal versions */
		if (vg_version_valid(VG_VERSION_NPM, v[0]) &&
		    vg_version_valid(VG_VERSION_NPM, v[i]) &&
		    r != (cmp(VG_VERSION_NPM, v[0], v[i]) == 0))
			abort();
		/* a version satisfies the range made of itself */
		if (data[0] % VG_VERSION__MAX == VG_VERSION_NPM &&
		    vg_version_valid(VG_VERSION_NPM, v[i]) && strchr(v[i], '|') == NULL &&
		    vg_npm_range_satisfies(v[i], v[i]) != 1)
			abort();
	}
	return 0;
}
