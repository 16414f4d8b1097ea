/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_path_join_normalize(). Input: base, a NUL byte, path (no NUL: base is NULL).
 * Checks: starts with '/', no "//", "/./", "/../", no trailing "/", "/." or "/..", length
 * matches, and normalising the result again is the identity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *out, int r)
{
	size_t n = strlen(out);
	char again[VG_PATH_MAX];

	if ((size_t)r != n || out[0] != '/')
		abort();
	if (strstr(out, "//") || strstr(out, "/./") || strstr(out, "/../"))
		abort();
	if (n > 1 && (out[n - 1] == '/' || vg_endswith(out, "/.") || vg_endswith(out, "/..")))
		abort();
	if (vg_path_join_normalize("/ignored", out, again, sizeof(again)) != r ||
	    strcmp(again, out) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	const char *base = NULL, *path;
	char out[VG_PATH_MAX], small[16];
	int r;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	path = in;
	if (strlen(in) < size) {
		base = in;
		path = in + strlen(in) + 1; /* stops at the next NUL, if any */
	}
	r = vg_path_join_normalize(base, path, out, sizeof(out));
	if (r >= 0)
		check(out, r);
	else if (r != -ENAMETOOLONG)
		abort();
	/* a tiny buffer either works the same or fails cleanly */
	r = vg_path_join_normalize(base, path, small, sizeof(small));
	if (r >= 0)
		check(small, r);
	else if (r != -ENAMETOOLONG)
		abort();
	free(in);
	return 0;
}
