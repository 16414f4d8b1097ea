/* SPDX-License-Identifier: Apache-2.0 */
/*
 * semver 2.0.0. Vectors: the precedence examples of semver.org §11 and the valid/invalid
 * examples of semver.org's FAQ regex discussion, plus big numbers and build metadata.
 */
#include "version-test.h"

/* semver.org §11: each one sorts before the next */
static const char *const spec_order[] = {
	"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
	"1.0.0-beta",  "1.0.0-beta.2",	"1.0.0-beta.11",
	"1.0.0-rc.1",  "1.0.0",		"2.0.0",
	"2.1.0",       "2.1.1",
};

static const struct cmp_case extra[] = {
	{"1.9.0", "1.10.0", -1},
	{"1.10.0", "1.11.0", -1},
	{"1.0.0+20130313144700", "1.0.0", 0},
	{"1.0.0-beta+exp.sha.5114f85", "1.0.0-beta", 0},
	{"1.0.0+21AF26D3----117B344092BD", "1.0.0+other", 0},
	{"1.0.0-alpha.1", "1.0.0-alpha.a", -1},
	{"1.0.0-alpha.10", "1.0.0-alpha.9", 1},
	{"1.0.0-alpha.10a", "1.0.0-alpha.9a", -1}, /* alphanumeric: ASCII order */
	{"1.0.0-A", "1.0.0-a", -1},
	{"1.0.0-a-b", "1.0.0-a", 1},
	{"1.0.0-0", "1.0.0-0.0", -1},
	{"99999999999999999999999.0.0", "99999999999999999999998.0.0", 1},
	{"0.0.0", "0.0.0-0", 1},
	{"1.0.0-1", "1.0.0--1", -1}, /* "-1" is alphanumeric */
};

/* semver.org FAQ: examples of valid and invalid versions for the official regex */
static const struct valid_case valid[] = {
	{"0.0.4", 1},
	{"1.2.3", 1},
	{"10.20.30", 1},
	{"1.1.2-prerelease+meta", 1},
	{"1.1.2+meta", 1},
	{"1.1.2+meta-valid", 1},
	{"1.0.0-alpha", 1},
	{"1.0.0-beta", 1},
	{"1.0.0-alpha.beta", 1},
	{"1.0.0-alpha.beta.1", 1},
	{"1.0.0-alpha.1", 1},
	{"1.0.0-alpha0.valid", 1},
	{"1.0.0-alpha.0valid", 1},
	{"1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", 1},
	{"1.0.0-rc.1+build.1", 1},
	{"2.0.0-rc.1+build.123", 1},
	{"1.2.3-beta", 1},
	{"10.2.3-DEV-SNAPSHOT", 1},
	{"1.2.3-SNAPSHOT-123", 1},
	{"1.0.0", 1},
	{"2.0.0", 1},
	{"1.1.7", 1},
	{"2.0.0+build.1848", 1},
	{"2.0.1-alpha.1227", 1},
	{"1.0.0-alpha+beta", 1},
	{"1.2.3----RC-SNAPSHOT.12.9.1--.12+788", 1},
	{"1.2.3----R-S.12.9.1--.12+meta", 1},
	{"1.2.3----RC-SNAPSHOT.12.9.1--.12", 1},
	{"1.0.0+0.build.1-rc.10000aaa-kk-0.1", 1},
	{"99999999999999999999999.999999999999999999.99999999999999999", 1},
	{"1.0.0-0A.is.legal", 1},
	{"1", 0},
	{"1.2", 0},
	{"1.2.3-0123", 0},
	{"1.2.3-0123.0123", 0},
	{"1.1.2+.123", 0},
	{"+invalid", 0},
	{"-invalid", 0},
	{"-invalid+invalid", 0},
	{"-invalid.01", 0},
	{"alpha", 0},
	{"alpha.beta", 0},
	{"alpha.beta.1", 0},
	{"alpha.1", 0},
	{"alpha+beta", 0},
	{"alpha_beta", 0},
	{"alpha.", 0},
	{"alpha..", 0},
	{"beta", 0},
	{"1.0.0-alpha_beta", 0},
	{"-alpha.", 0},
	{"1.0.0-alpha..", 0},
	{"1.0.0-alpha..1", 0},
	{"1.0.0-alpha...1", 0},
	{"1.0.0-alpha....1", 0},
	{"1.0.0-alpha.....1", 0},
	{"1.0.0-alpha......1", 0},
	{"1.0.0-alpha.......1", 0},
	{"01.1.1", 0},
	{"1.01.1", 0},
	{"1.1.01", 0},
	{"1.2", 0},
	{"1.2.3.DEV", 0},
	{"1.2-SNAPSHOT", 0},
	{"1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", 0},
	{"1.2-RC-SNAPSHOT", 0},
	{"-1.0.3-gamma+b7718", 0},
	{"+justmeta", 0},
	{"9.8.7+meta+meta", 0},
	{"9.8.7-whatever+meta+meta", 0},
	{"99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12",
	 0},
	{"v1.2.3", 0},
	{"", 0},
	{" 1.2.3", 0},
};

TEST(spec_precedence)
{
	ASSERT_EQ(check_sorted(VG_VERSION_SEMVER, spec_order, N_ELEMENTS(spec_order)), 0u);
}

TEST(extra)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_SEMVER, extra, N_ELEMENTS(extra)), 0u);
}

TEST(valid)
{
	ASSERT_EQ(check_valid_table(VG_VERSION_SEMVER, valid, N_ELEMENTS(valid)), 0u);
}

TEST(invalid_is_einval)
{
	int r;

	ASSERT_ERR(vg_version_cmp(VG_VERSION_SEMVER, "1.2", "1.2.0", &r), -EINVAL);
	ASSERT_ERR(vg_version_cmp(VG_VERSION_SEMVER, "1.2.0", "v1.2.0", &r), -EINVAL);
}

TEST(properties)
{
	const char *seeds[N_ELEMENTS(valid) + N_ELEMENTS(spec_order)];
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMENTS(valid); i++)
		seeds[n++] = valid[i].v;
	for (size_t i = 0; i < N_ELEMENTS(spec_order); i++)
		seeds[n++] = spec_order[i];
	ASSERT_EQ(check_properties_mutated(VG_VERSION_SEMVER, seeds, n, 400, 0x5e3, true), 0u);
}
