/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RubyGems versions. Vectors: rubygems test/rubygems/test_gem_version.rb (test_spaceship,
 * test_semver, test_equals2, test_hash, test_canonical_segments, test_release,
 * test_initialize, test_initialize_invalid, test_empty_version, test_frozen_version).
 */
#include "version-test.h"

static const struct cmp_case vectors[] = {
	/* test_spaceship */
	{"1.0", "1.0.0", 0},
	{"1.0", "1.0.a", 1},
	{"1.8.2", "0.0.0", 1},
	{"1.8.2", "1.8.2.a", 1},
	{"1.8.2.b", "1.8.2.a", 1},
	{"1.8.2.a", "1.8.2", -1},
	{"1.8.2.a10", "1.8.2.a9", 1},
	{"", "0", 0},
	{"0.beta.1", "0.0.beta.1", 0},
	{"0.0.beta", "0.0.beta.1", -1},
	{"0.0.beta", "0.beta.1", -1},
	{"5.a", "5.0.0.rc2", -1},
	{"5.x", "5.0.0.rc2", 1},
	{"1.9.3", "1.9.3", 0},
	{"1.9.3", "1.9.2.99", 1},
	{"1.9.3", "1.9.3.1", -1},
	/* test_semver */
	{"1.0.0-alpha", "1.0.0-alpha.1", -1},
	{"1.0.0-alpha.1", "1.0.0-beta.2", -1},
	{"1.0.0-beta.2", "1.0.0-beta.11", -1},
	{"1.0.0-beta.11", "1.0.0-rc.1", -1},
	{"1.0.0-rc1", "1.0.0", -1},
	{"1.0.0-1", "1", -1},
	/* test_equals2, test_hash (equal hashes of equal versions) */
	{"1.2", "1.2", 0},
	{"1.2", "1.3", -1},
	{"1.2.b1", "1.2.b.1", 0},
	{"1.2", "1.2.0", 0},
	{"1.2.pre.1", "1.2.0.pre.1.0", 0},
	/* test_canonical_segments */
	{"1.0.0", "1", 0},
	{"1.0.0.a.1.0", "1.a.1", 0},
	{"1.2.3-1", "1.2.3.pre.1", 0},
	/* test_release: a prerelease sorts before its release */
	{"1.2.0.a", "1.2.0", -1},
	{"1.1.rc10", "1.1", -1},
	{"1.9.3.alpha.5", "1.9.3", -1},
	/* test_initialize: blanks around are fine */
	{"1.0 ", "1.0", 0},
	{" 1.0 ", "1.0", 0},
	{"1.0\n", "1.0", 0},
	{"\n1.0\n", "1.0", 0},
	/* test_empty_version */
	{"   ", "0", 0},
	{" ", "0", 0},
	/* test_frozen_version */
	{"1.freeze.test", "1", -1},
	/* strings by bytes, numbers of any size */
	{"1.a", "1.B", 1},
	{"1.0.0.pre", "1.0.0.PRE", 1},
	{"12345678901234567890123", "12345678901234567890122", 1},
	{"2.0.0.rc1", "2.0.0.beta2", 1},
	{"7.0.8.1", "7.0.8", 1},
	{"6.1.7.3", "7.0.0", -1},
};

static const struct valid_case valid[] = {
	{"5.1", 1},
	{"1.0", 1},
	{"", 1},
	{"   ", 1},
	{"1.2.3-1", 1},
	{"1.0.0-alpha-1.x", 1},
	{"1.2.b1", 1},
	{"an incorrect version", 0},
	{"junk", 0},
	{"1.0\n2.0", 0},
	{"1..2", 0},
	{"1.2 3.4", 0},
	{"2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.", 0},
	{"1.", 0},
	{"1-", 0},
	{"v1.0", 0},
	{"1.0+build", 0},
};

TEST(vectors)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_GEM, vectors, N_ELEMENTS(vectors)), 0u);
}

TEST(valid)
{
	ASSERT_EQ(check_valid_table(VG_VERSION_GEM, valid, N_ELEMENTS(valid)), 0u);
}

TEST(properties)
{
	const char *seeds[2 * N_ELEMENTS(vectors)];
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMENTS(vectors); i++) {
		seeds[n++] = vectors[i].a;
		seeds[n++] = vectors[i].b;
	}
	ASSERT_EQ(check_properties_mutated(VG_VERSION_GEM, seeds, n, 300, 0x9e3, true), 0u);
}
