/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpkg versions. Vectors: dpkg's scripts/t/Dpkg_Version.t data and lib/dpkg/t/t-version.c
 * (comparisons and what parseversion() rejects), plus Debian security-tracker style cases.
 */
#include "version-test.h"

/* dpkg scripts/t/Dpkg_Version.t: a b sign(cmp(a, b)) */
static const struct cmp_case dpkg_vectors[] = {
	{"1.0-1", "2.0-2", -1},
	{"2.2~rc-4", "2.2-1", -1},
	{"2.2-1", "2.2~rc-4", 1},
	{"1.0000-1", "1.0-1", 0},
	{"1", "0:1", 0},
	{"0", "0:0-0", 0},
	{"2:2.5", "1:7.5", 1},
	{"1:0foo", "0foo", 1},
	{"0:0foo", "0foo", 0},
	{"0foo", "0foo", 0},
	{"0foo-0", "0foo", 0},
	{"0foo", "0foo-0", 0},
	{"0foo", "0fo", 1},
	{"0foo-0", "0foo+", -1},
	{"0foo~1", "0foo", -1},
	{"0foo~foo+Bar", "0foo~foo+bar", -1},
	{"0foo~~", "0foo~", -1},
	{"1~", "1", -1},
	{"12345+that-really-is-some-ver-0", "12345+that-really-is-some-ver-10", -1},
	{"0foo-0", "0foo-01", -1},
	{"0foo.bar", "0foobar", 1},
	{"0foo.bar", "0foo1bar", 1},
	{"0foo.bar", "0foo0bar", 1},
	{"0foo1bar-1", "0foobar-1", -1},
	{"0foo2.0", "0foo2", 1},
	{"0foo2.0.0", "0foo2.10.0", -1},
	{"0foo2.0", "0foo2.0.0", -1},
	{"0foo2.0", "0foo2.10", -1},
	{"0foo2.1", "0foo2.10", -1},
	{"1.09", "1.9", 0},
	{"1.0.8+nmu1", "1.0.8", 1},
	{"3.11", "3.10+nmu1", 1},
	{"0.9j-20080306-4", "0.9i-20070324-2", 1},
	{"1.2.0~b7-1", "1.2.0~b6-1", 1},
	{"1.011-1", "1.06-2", 1},
	{"0.0.9+dfsg1-1", "0.0.8+dfsg1-3", 1},
	{"4.6.99+svn6582-1", "4.6.99+svn6496-1", 1},
	{"53", "52", 1},
	{"0.9.9~pre122-1", "0.9.9~pre111-1", 1},
	{"2:2.3.2-2+lenny2", "2:2.3.2-2", 1},
	{"1:3.8.1-1", "3.8.GA-1", 1},
	{"1.0.1+gpl-1", "1.0.1-2", 1},
	{"1a", "1000a", -1},
};

/* lib/dpkg/t/t-version.c comparisons and parses, written as version strings */
static const struct cmp_case t_version[] = {
	{"0", "0:0", 0},
	{"0:0", "0:0-0", 0},
	{"0:0-0", "0-0", 0},
	{"0:0.0-0.0", "0.0-0.0", 0},
	{"1:0", "1:0-", 0},
	{"5:1", "5:1", 0},
	{"0:0-00", "0:00-0", 0},
	{"1:2-3", "1:2-3", 0},
	{"0:0-0", "1:0-0", -1},
	{"0:a-0", "0:b-0", -1},
	{"0:0-a", "0:0-b", -1},
	{"1-1", "2-1", -1},
	{"1-1", "1-2", -1},
	{"0:0-0-0", "0:0-0-0", 0},
	{"0:0-0-0", "0:0-0-1", -1},
	{"0:0:0-0", "0:0:0-0", 0},
	{"0:09azAZ.-+~:-0", "0:09azAZ.-+~:-0", 0},
	{"  \t0:0-1", "0:0-1", 0},
	{"0:0-1\t  ", "0:0-1", 0},
};

/* tilde, epochs, +debNuN and the like from Debian's own version histories */
static const struct cmp_case extra[] = {
	{"1.0~rc1", "1.0", -1},
	{"1.0~rc1", "1.0~rc2", -1},
	{"1.0~~", "1.0~", -1},
	{"1.0~", "1.0", -1},
	{"1.0", "1.0+b1", -1},
	{"1.0-1", "1.0-1+b1", -1},
	{"1.0-1~bpo11+1", "1.0-1", -1},
	{"2.36-9+deb12u3", "2.36-9+deb12u4", -1},
	{"2.36-9+deb12u10", "2.36-9+deb12u9", 1},
	{"3.0.11-1~deb12u2", "3.0.11-1", -1},
	{"1:2.0", "3.0", 1},
	{"1:1.0", "0:9.9", 1},
	{"10:1", "9:1", 1},
	{"00001:1", "1:1", 0},
	{"99999999999999999999999999:1", "99999999999999999999999998:1", 1},
	{"1.000000000000000000000000001", "1.1", 0},
	{"1.99999999999999999999999999", "1.100000000000000000000000000", -1},
	{"1.2.3", "1.2.3-0", 0},
	{"1.2.3-", "1.2.3", 0},
	{"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1},
	{"1:9.18.19-1~deb12u1", "1:9.18.24-1", -1},
	{"2.7.18-1~rc1", "2.7.18-1", -1},
	{"1.0a", "1.0-a", 1},
	{"1.0.a", "1.0a", 1}, /* non-letters sort after letters */
	{"a", "b", -1},
	{"", "0", 0},
	{"~", "", -1},
};

static const struct valid_case valid[] = {
	{"0", 1},
	{"0:0", 1},
	{"0:0-0", 1},
	{"1:0", 1},
	{"0:0-0-0", 1},
	{"0:0:0-0", 1},
	{"0:0-0:0-0", 1},
	{"0:09azAZ.-+~:-0", 1},
	{"0:0-azAZ09.+~", 1},
	{"  \t0:0-1", 1},
	{"2.36-9+deb12u4", 1},
	{"1:4.13+dfsg1-1", 1},
	{"", 0},
	{"  ", 0},
	{"0:", 0},
	{":1.0", 0},
	{"1.0-", 0},
	{"0:0 0-1", 0},
	{"-1:0-1", 0},
	{"999999999999999999999999:0-1", 0},
	{"a:0-0", 0},
	{"A:0-0", 0},
	{"-0", 0},
	{"0:-0", 0},
	{"0:abc3-0", 0},
	{"0:0!-0", 0},
	{"0:0_-0", 0},
	{"0:0=-0", 0},
	{"0:0*-0", 0},
	{"0:0-0:0", 0},
	{"0:0-0_0", 0},
	{"0:0-0^0", 0},
};

TEST(dpkg_version_t)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_DPKG, dpkg_vectors, N_ELEMENTS(dpkg_vectors)), 0u);
}

TEST(t_version_c)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_DPKG, t_version, N_ELEMENTS(t_version)), 0u);
}

TEST(extra)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_DPKG, extra, N_ELEMENTS(extra)), 0u);
}

TEST(valid)
{
	ASSERT_EQ(check_valid_table(VG_VERSION_DPKG, valid, N_ELEMENTS(valid)), 0u);
}

TEST(properties)
{
	const char *seeds[2 * N_ELEMENTS(dpkg_vectors) + N_ELEMENTS(extra)];
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMENTS(dpkg_vectors); i++) {
		seeds[n++] = dpkg_vectors[i].a;
		seeds[n++] = dpkg_vectors[i].b;
	}
	for (size_t i = 0; i < N_ELEMENTS(extra); i++)
		seeds[n++] = extra[i].a;
	ASSERT_EQ(check_properties_mutated(VG_VERSION_DPKG, seeds, n, 300, 0x5eed1, true), 0u);
}
