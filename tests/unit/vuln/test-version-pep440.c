/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PEP 440. Vectors: pypa/packaging tests/test_version.py -- the VERSIONS list (in sort
 * order), the normalisation pairs (each spelling equals its normal form) and the invalid
 * versions -- plus release padding and big numbers.
 */
#include "version-test.h"

/* packaging test_version.py VERSIONS: "must be in the correct sorting order" */
static const char *const versions[] = {
	"1.0.dev0",
	"1.0.dev456",
	"1.0.dev456+local",
	"1.0a0",
	"1.0a0.post0.dev0",
	"1.0a0.post0",
	"1.0a1.dev1",
	"1.0a1.dev1+local",
	"1.0a1",
	"1.0a1+local",
	"1.0b0",
	"1.0b1.dev456",
	"1.0b2",
	"1.0b2.post345.dev456",
	"1.0b2.post345",
	"1.0b2-346",
	"1.0rc0",
	"1.0rc1.dev1",
	"1.0c1",
	"1.0rc2",
	"1.0",
	"1.0.post0.dev0",
	"1.0.post0",
	"1.0.post456.dev34",
	"1.0.post456",
	"1.0.post456+local",
	"1.0.1.dev1",
	"1.0.1a1",
	"1.0.1",
	"1.0.1+local",
	"1.0.1.post1",
	"1.1.dev1",
	"1.2+a",
	"1.2+abc",
	"1.2+abcdef",
	"1.2+def",
	"1.2+0",
	"1.2+1",
	"1.2+1.abc",
	"1.2+1.1",
	"1.2+1.1.0",
	"1.2+2",
	"1.2+123",
	"1.2+123456",
	"1.2.r32+123456",
	"1.2.rev33+123456",
	"1!1.0.dev0",
	"1!1.0.dev456",
	"1!1.0.dev456+local",
	"1!1.0a0",
	"1!1.0a0.post0.dev0",
	"1!1.0a0.post0",
	"1!1.0a1.dev1",
	"1!1.0a1.dev1+local",
	"1!1.0a1",
	"1!1.0a1+local",
	"1!1.0b0",
	"1!1.0b1.dev456",
	"1!1.0b2",
	"1!1.0b2.post345.dev456",
	"1!1.0b2.post345",
	"1!1.0b2-346",
	"1!1.0rc0",
	"1!1.0rc1.dev1",
	"1!1.0c1",
	"1!1.0rc2",
	"1!1.0",
	"1!1.0.post0.dev0",
	"1!1.0.post0",
	"1!1.0.post456.dev34",
	"1!1.0.post456",
	"1!1.0.post456+local",
	"1!1.0.1.dev1",
	"1!1.0.1a1",
	"1!1.0.1",
	"1!1.0.1+local",
	"1!1.0.1.post1",
	"1!1.1.dev1",
	"1!1.2+a",
	"1!1.2+abc",
	"1!1.2+abcdef",
	"1!1.2+def",
	"1!1.2+0",
	"1!1.2+1",
	"1!1.2+1.abc",
	"1!1.2+1.1",
	"1!1.2+1.1.0",
	"1!1.2+2",
	"1!1.2+123",
	"1!1.2+123456",
	"1!1.2.r32+123456",
	"1!1.2.rev33+123456",
};

/* packaging test_normalized_versions: spelling, normal form */
static const struct cmp_case normalized[] = {
	{"1.0dev", "1.0.dev0", 0},
	{"1.0.dev", "1.0.dev0", 0},
	{"1.0dev1", "1.0.dev1", 0},
	{"1.0-dev", "1.0.dev0", 0},
	{"1.0-dev1", "1.0.dev1", 0},
	{"1.0DEV", "1.0.dev0", 0},
	{"1.0.DEV", "1.0.dev0", 0},
	{"1.0DEV1", "1.0.dev1", 0},
	{"1.0.DEV1", "1.0.dev1", 0},
	{"1.0-DEV", "1.0.dev0", 0},
	{"1.0-DEV1", "1.0.dev1", 0},
	{"1.0a", "1.0a0", 0},
	{"1.0.a", "1.0a0", 0},
	{"1.0.a1", "1.0a1", 0},
	{"1.0-a", "1.0a0", 0},
	{"1.0-a1", "1.0a1", 0},
	{"1.0alpha", "1.0a0", 0},
	{"1.0.alpha", "1.0a0", 0},
	{"1.0.alpha1", "1.0a1", 0},
	{"1.0-alpha", "1.0a0", 0},
	{"1.0-alpha1", "1.0a1", 0},
	{"1.0A", "1.0a0", 0},
	{"1.0.A", "1.0a0", 0},
	{"1.0.A1", "1.0a1", 0},
	{"1.0-A", "1.0a0", 0},
	{"1.0-A1", "1.0a1", 0},
	{"1.0ALPHA", "1.0a0", 0},
	{"1.0.ALPHA", "1.0a0", 0},
	{"1.0.ALPHA1", "1.0a1", 0},
	{"1.0-ALPHA", "1.0a0", 0},
	{"1.0-ALPHA1", "1.0a1", 0},
	{"1.0b", "1.0b0", 0},
	{"1.0.b", "1.0b0", 0},
	{"1.0.b1", "1.0b1", 0},
	{"1.0-b", "1.0b0", 0},
	{"1.0-b1", "1.0b1", 0},
	{"1.0beta", "1.0b0", 0},
	{"1.0.beta", "1.0b0", 0},
	{"1.0.beta1", "1.0b1", 0},
	{"1.0-beta", "1.0b0", 0},
	{"1.0-beta1", "1.0b1", 0},
	{"1.0B", "1.0b0", 0},
	{"1.0.B", "1.0b0", 0},
	{"1.0.B1", "1.0b1", 0},
	{"1.0-B", "1.0b0", 0},
	{"1.0-B1", "1.0b1", 0},
	{"1.0BETA", "1.0b0", 0},
	{"1.0.BETA", "1.0b0", 0},
	{"1.0.BETA1", "1.0b1", 0},
	{"1.0-BETA", "1.0b0", 0},
	{"1.0-BETA1", "1.0b1", 0},
	{"1.0c", "1.0rc0", 0},
	{"1.0.c", "1.0rc0", 0},
	{"1.0.c1", "1.0rc1", 0},
	{"1.0-c", "1.0rc0", 0},
	{"1.0-c1", "1.0rc1", 0},
	{"1.0rc", "1.0rc0", 0},
	{"1.0.rc", "1.0rc0", 0},
	{"1.0.rc1", "1.0rc1", 0},
	{"1.0-rc", "1.0rc0", 0},
	{"1.0-rc1", "1.0rc1", 0},
	{"1.0C", "1.0rc0", 0},
	{"1.0.C", "1.0rc0", 0},
	{"1.0.C1", "1.0rc1", 0},
	{"1.0-C", "1.0rc0", 0},
	{"1.0-C1", "1.0rc1", 0},
	{"1.0RC", "1.0rc0", 0},
	{"1.0.RC", "1.0rc0", 0},
	{"1.0.RC1", "1.0rc1", 0},
	{"1.0-RC", "1.0rc0", 0},
	{"1.0-RC1", "1.0rc1", 0},
	{"1.0post", "1.0.post0", 0},
	{"1.0.post", "1.0.post0", 0},
	{"1.0post1", "1.0.post1", 0},
	{"1.0-post", "1.0.post0", 0},
	{"1.0-post1", "1.0.post1", 0},
	{"1.0POST", "1.0.post0", 0},
	{"1.0.POST", "1.0.post0", 0},
	{"1.0POST1", "1.0.post1", 0},
	{"1.0r", "1.0.post0", 0},
	{"1.0rev", "1.0.post0", 0},
	{"1.0.POST1", "1.0.post1", 0},
	{"1.0.r1", "1.0.post1", 0},
	{"1.0.rev1", "1.0.post1", 0},
	{"1.0-POST", "1.0.post0", 0},
	{"1.0-POST1", "1.0.post1", 0},
	{"1.0-5", "1.0.post5", 0},
	{"1.0-r5", "1.0.post5", 0},
	{"1.0-rev5", "1.0.post5", 0},
	{"1.0+AbC", "1.0+abc", 0},
	{"1.01", "1.1", 0},
	{"1.0a05", "1.0a5", 0},
	{"1.0b07", "1.0b7", 0},
	{"1.0c056", "1.0rc56", 0},
	{"1.0rc09", "1.0rc9", 0},
	{"1.0.post000", "1.0.post0", 0},
	{"1.1.dev09000", "1.1.dev9000", 0},
	{"00!1.2", "1.2", 0},
	{"0100!0.0", "100!0.0", 0},
	{"v1.0", "1.0", 0},
	{"   v1.0\t\n", "1.0", 0},
};

static const char *const invalid[] = {
	"french toast",
	"1.0+a+",
	"1.0++",
	"1.0+_foobar",
	"1.0+foo&asd",
	"1.0+1+1",
	"1. 0",
	"1 .0",
	"1. 0a1",
	"1 .0a1",
	"1.0 a1",
	"1.0a 1",
	".",
	"..",
	"1..0",
	"1.0.",
	".1.0",
	"1..2.3",
	"",
	"1.0a1a",
	"1!",
	"!1",
	"1.0+",
	"1.0-",
	"1.0.post.post",
	"1.0dev.post",
};

static const struct cmp_case extra[] = {
	{"1.0", "1.0.0", 0},
	{"1.0.0.0.0", "1", 0},
	{"1.0.1", "1.0.0.1", 1},
	{"1!0.1", "2.0", 1},
	{"0!2.0", "2.0", 0},
	{"2.0rc1", "2.0c1", 0},
	{"2.0.dev1", "2.0a1", -1},
	{"2.0.post1.dev1", "2.0.post1", -1},
	{"2.0.post1.dev1", "2.0", 1},
	{"2.0+local", "2.0", 1},
	{"2.0+LOCAL", "2.0+local", 0},
	{"2.0+a.1", "2.0+a-1", 0},
	{"2.0+1", "2.0+a", 1},
	{"2.0+a.b", "2.0+a", 1},
	{"99999999999999999999999.0", "99999999999999999999998.9", 1},
	{"1.0a1", "1.0a01", 0},
	{"1.0a", "1.0a0", 0},
	{"1.0.post", "1.0-0", 0},
	{"1.0a.", "1.0a0", 0},
	{"v1.0", "V1.0", 0},
	{"1.0-a1", "1.0a1", 0},
	{"1.0_post2", "1.0.post2", 0},
};

TEST(sort_order)
{
	ASSERT_EQ(check_sorted(VG_VERSION_PEP440, versions, N_ELEMENTS(versions)), 0u);
}

TEST(normalized)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_PEP440, normalized, N_ELEMENTS(normalized)), 0u);
}

TEST(extra)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_PEP440, extra, N_ELEMENTS(extra)), 0u);
}

TEST(invalid)
{
	unsigned fails = 0;
	int r;

	for (size_t i = 0; i < N_ELEMENTS(invalid); i++)
		if (vg_version_valid(VG_VERSION_PEP440, invalid[i]) != 0 ||
		    vg_version_cmp(VG_VERSION_PEP440, invalid[i], "1.0", &r) != -EINVAL) {
			tap_diag("pep440: \"%s\" accepted\n", invalid[i]);
			fails++;
		}
	for (size_t i = 0; i < N_ELEMENTS(versions); i++)
		fails += vg_version_valid(VG_VERSION_PEP440, versions[i]) != 1;
	ASSERT_EQ(fails, 0u);
}

TEST(properties)
{
	const char *seeds[N_ELEMENTS(versions) + N_ELEMENTS(normalized)];
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMENTS(versions); i++)
		seeds[n++] = versions[i];
	for (size_t i = 0; i < N_ELEMENTS(normalized); i++)
		seeds[n++] = normalized[i].a;
	ASSERT_EQ(check_properties_mutated(VG_VERSION_PEP440, seeds, n, 300, 0x440, true), 0u);
}
