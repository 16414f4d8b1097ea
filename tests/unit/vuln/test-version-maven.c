/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Maven versions. Vectors: maven-artifact's ComparableVersionTest on the maven-3.9.x branch
 * (VERSIONS_QUALIFIER and VERSIONS_NUMBER in order, checkVersionsEqual/Order pairs,
 * MNG-5568, MNG-6572, MNG-6964, MNG-7644, leading zeros), plus common real versions.
 */
#include "version-test.h"

static const char *const versions_qualifier[] = {
	"1-alpha2snapshot",
	"1-alpha2",
	"1-alpha-123",
	"1-beta-2",
	"1-beta123",
	"1-m2",
	"1-m11",
	"1-rc",
	"1-cr2",
	"1-rc123",
	"1-SNAPSHOT",
	"1",
	"1-sp",
	"1-sp2",
	"1-sp123",
	"1-abc",
	"1-def",
	"1-pom-1",
	"1-1-snapshot",
	"1-1",
	"1-2",
	"1-123",
};

static const char *const versions_number[] = {
	"2.0",	  "2.0.a", "2-1",     "2.0.2", "2.0.123", "2.1.0", "2.1-a",  "2.1b",
	"2.1-c",  "2.1-1", "2.1.0.1", "2.2",   "2.123",	  "11.a2", "11.a11", "11.b2",
	"11.b11", "11.m2", "11.m11",  "11",    "11.a",	  "11b",   "11c",    "11m",
};

/* checkVersionsEqual (0) and checkVersionsOrder (-1) */
static const struct cmp_case pairs[] = {
	{"1", "1", 0},
	{"1", "1.0", 0},
	{"1", "1.0.0", 0},
	{"1.0", "1.0.0", 0},
	{"1", "1-0", 0},
	{"1", "1.0-0", 0},
	{"1.0", "1.0-0", 0},
	{"1a", "1-a", 0},
	{"1a", "1.0-a", 0},
	{"1a", "1.0.0-a", 0},
	{"1.0a", "1-a", 0},
	{"1.0.0a", "1-a", 0},
	{"1x", "1-x", 0},
	{"1x", "1.0-x", 0},
	{"1x", "1.0.0-x", 0},
	{"1.0x", "1-x", 0},
	{"1.0.0x", "1-x", 0},
	{"1ga", "1", 0},
	{"1release", "1", 0},
	{"1final", "1", 0},
	{"1cr", "1rc", 0},
	{"1a1", "1-alpha-1", 0},
	{"1b2", "1-beta-2", 0},
	{"1m3", "1-milestone-3", 0},
	{"1X", "1x", 0},
	{"1A", "1a", 0},
	{"1B", "1b", 0},
	{"1M", "1m", 0},
	{"1Ga", "1", 0},
	{"1GA", "1", 0},
	{"1RELEASE", "1", 0},
	{"1release", "1", 0},
	{"1RELeaSE", "1", 0},
	{"1Final", "1", 0},
	{"1FinaL", "1", 0},
	{"1FINAL", "1", 0},
	{"1Cr", "1Rc", 0},
	{"1cR", "1rC", 0},
	{"1m3", "1Milestone3", 0},
	{"1m3", "1MileStone3", 0},
	{"1m3", "1MILESTONE3", 0},
	{"1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ", 0},
	{"1", "2", -1},
	{"1.5", "2", -1},
	{"1", "2.5", -1},
	{"1.0", "1.1", -1},
	{"1.1", "1.2", -1},
	{"1.0.0", "1.1", -1},
	{"1.0.1", "1.1", -1},
	{"1.1", "1.2.0", -1},
	{"1.0-alpha-1", "1.0", -1},
	{"1.0-alpha-1", "1.0-alpha-2", -1},
	{"1.0-alpha-1", "1.0-beta-1", -1},
	{"1.0-beta-1", "1.0-SNAPSHOT", -1},
	{"1.0-SNAPSHOT", "1.0", -1},
	{"1.0-alpha-1-SNAPSHOT", "1.0-alpha-1", -1},
	{"1.0", "1.0-1", -1},
	{"1.0-1", "1.0-2", -1},
	{"1.0.0", "1.0-1", -1},
	{"2.0-1", "2.0.1", -1},
	{"2.0.1-klm", "2.0.1-lmn", -1},
	{"2.0.1", "2.0.1-xyz", -1},
	{"2.0.1", "2.0.1-123", -1},
	{"2.0.1-xyz", "2.0.1-123", -1},
	/* MNG-5568 */
	{"6.1.0rc3", "6.1.0", -1},
	{"6.1.0rc3", "6.1H.5-beta", -1},
	{"6.1.0", "6.1H.5-beta", -1},
	/* MNG-6572 */
	{"20190126.230843", "1234567890.12345", -1},
	{"1234567890.12345", "123456789012345.1H.5-beta", -1},
	{"20190126.230843", "123456789012345.1H.5-beta", -1},
	{"123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta", -1},
	{"1234567890.12345", "12345678901234567890.1H.5-beta", -1},
	{"20190126.230843", "12345678901234567890.1H.5-beta", -1},
	/* MNG-6964 */
	{"1-0.alpha", "1", -1},
	{"1-0.beta", "1", -1},
	{"1-0.alpha", "1-0.beta", -1},
	/* testLocaleIndependent */
	{"1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ", 0},
};

static const char *const leading_zeros_one[] = {
	"0000000000000000001",
	"000000000000000001",
	"00000000000000001",
	"0000000000000001",
	"000000000000001",
	"00000000000001",
	"0000000000001",
	"000000000001",
	"00000000001",
	"0000000001",
	"000000001",
	"00000001",
	"0000001",
	"000001",
	"00001",
	"0001",
	"001",
	"01",
	"1",
};

static const char *const leading_zeros_zero[] = {
	"0000000000000000000",
	"000000000000000000",
	"00000000000000000",
	"0000000000000000",
	"000000000000000",
	"00000000000000",
	"0000000000000",
	"000000000000",
	"00000000000",
	"0000000000",
	"000000000",
	"00000000",
	"0000000",
	"000000",
	"00000",
	"0000",
	"000",
	"00",
	"0",
};

/* what Maven Central is full of */
static const struct cmp_case extra[] = {
	{"2.13.4.2", "2.13.4", 1},
	{"2.13.4", "2.13.4.Final", 0},
	{"5.3.18.RELEASE", "5.3.18", 0},
	{"5.3.18", "5.3.19", -1},
	{"2.15.0-rc1", "2.15.0", -1},
	{"2.15.0-rc1", "2.15.0-rc2", -1},
	{"2.15.0-M1", "2.15.0-RC1", -1},
	{"1.0-SNAPSHOT", "1.0-rc1", 1},
	{"1.0-sp1", "1.0", 1},
	{"31.1-jre", "31.1-android", 1},
	{"32.0.0-jre", "31.1-jre", 1},
	{"9.4.51.v20230217", "9.4.51", 1},
	{"9.4.51.v20230217", "9.4.52.v20230823", -1},
	{"1.0.0-alpha1", "1.0.0-ALPHA1", 0},
	{"1.a", "1.A", 0},
	{"7", "J", 1},
	{"0.7", "2", -1},
	{"0.2", "1.0.7", -1},
	{"aardvark", "zebra", -1},
	{"", "0", 0},
	{"", "1", -1},
	{"1.0.0.0.0.0.1", "1", 1},
	{"99999999999999999999999999", "99999999999999999999999998", 1},
};

TEST(qualifier_order)
{
	ASSERT_EQ(
		check_sorted(VG_VERSION_MAVEN, versions_qualifier, N_ELEMENTS(versions_qualifier)),
		0u);
}

TEST(number_order)
{
	ASSERT_EQ(check_sorted(VG_VERSION_MAVEN, versions_number, N_ELEMENTS(versions_number)), 0u);
}

TEST(pairs)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_MAVEN, pairs, N_ELEMENTS(pairs)), 0u);
}

TEST(leading_zeros)
{
	ASSERT_EQ(
		check_all_equal(VG_VERSION_MAVEN, leading_zeros_one, N_ELEMENTS(leading_zeros_one)),
		0u);
	ASSERT_EQ(check_all_equal(VG_VERSION_MAVEN, leading_zeros_zero,
				  N_ELEMENTS(leading_zeros_zero)),
		  0u);
}

TEST(mng_7644)
{
	static const char *const xs[] = {"abc", "alpha",     "a", "beta", "b",
					 "def", "milestone", "m", "RC"};
	unsigned fails = 0;

	for (size_t i = 0; i < N_ELEMENTS(xs); i++) {
		char a[64], b[64], c[64], d[64], e[64];

		/* 1.0.0.X1 < 1.0.0-X2; 2-X == 2.0.X == 2.0.0.X */
		snprintf(a, sizeof(a), "1.0.0.%s1", xs[i]);
		snprintf(b, sizeof(b), "1.0.0-%s2", xs[i]);
		snprintf(c, sizeof(c), "2-%s", xs[i]);
		snprintf(d, sizeof(d), "2.0.%s", xs[i]);
		snprintf(e, sizeof(e), "2.0.0.%s", xs[i]);
		fails += check_cmp_one(VG_VERSION_MAVEN, a, b, -1);
		fails += check_cmp_one(VG_VERSION_MAVEN, c, d, 0);
		fails += check_cmp_one(VG_VERSION_MAVEN, c, e, 0);
		fails += check_cmp_one(VG_VERSION_MAVEN, d, e, 0);
	}
	ASSERT_EQ(fails, 0u);
}

TEST(extra)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_MAVEN, extra, N_ELEMENTS(extra)), 0u);
}

/* Maven's own order has cycles on odd strings; we keep Maven's answers. */
TEST(known_cycle)
{
	ASSERT_EQ(check_cmp_one(VG_VERSION_MAVEN, "1", "1-sp", -1), 0u);
	ASSERT_EQ(check_cmp_one(VG_VERSION_MAVEN, "1-sp", "1.0.alpha.1", -1), 0u);
	ASSERT_EQ(check_cmp_one(VG_VERSION_MAVEN, "1.0.alpha.1", "1", -1), 0u);
}

TEST(properties)
{
	const char *seeds[N_ELEMENTS(versions_qualifier) + N_ELEMENTS(versions_number) +
			  2 * N_ELEMENTS(extra)];
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMENTS(versions_qualifier); i++)
		seeds[n++] = versions_qualifier[i];
	for (size_t i = 0; i < N_ELEMENTS(versions_number); i++)
		seeds[n++] = versions_number[i];
	for (size_t i = 0; i < N_ELEMENTS(extra); i++) {
		seeds[n++] = extra[i].a;
		seeds[n++] = extra[i].b;
	}
	/* transitivity only over the reference vectors: see known_cycle */
	ASSERT_EQ(check_order_properties(VG_VERSION_MAVEN, seeds, n, true), 0u);
	ASSERT_EQ(check_properties_mutated(VG_VERSION_MAVEN, seeds, n, 300, 0x3a7, false), 0u);
}
