/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go module versions (golang.org/x/mod/semver): semver 2.0.0 with a leading 'v', plus the
 * shorthands "v1" == "v1.0.0" and "v1.2" == "v1.2.0" (not with a prerelease or build).
 * The 'v' is optional here because OSV's Go ecosystem writes "1.19.0-0" without it.
 * "+incompatible" is build metadata, so "v2.0.0+incompatible" == "v2.0.0" as in Go.
 * Pseudo-versions need no special case: "v1.2.4-0.20191109021931-daa7c04131f5" is a
 * prerelease of v1.2.4 whose identifiers (0, then the timestamp-hash) order it after v1.2.3,
 * before v1.2.4 and among its siblings by commit time, which is what Go intends.
 */
#include <string.h>

#include "vuln/version-internal.h"

#define GO_FLAGS (VG_SEMVER_ALLOW_V | VG_SEMVER_ALLOW_SHORT)

int vg_version_go_cmp(const char *a, const char *b, int *ret)
{
	struct vg_semver va, vb;
	int r;

	r = vg_semver_parse(a, strlen(a), GO_FLAGS, &va);
	if (r < 0)
		return r;
	r = vg_semver_parse(b, strlen(b), GO_FLAGS, &vb);
	if (r < 0)
		return r;
	*ret = vg_semver_compare(&va, &vb);
	return 0;
}

bool vg_version_go_valid(const char *v)
{
	struct vg_semver s;

	return vg_semver_parse(v, strlen(v), GO_FLAGS, &s) == 0;
}
