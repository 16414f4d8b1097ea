/* SPDX-License-Identifier: Apache-2.0 */
/* The scheme-independent part of version.h: names, ecosystem and purl mapping, limits. */
#include "version-test.h"

TEST(scheme_names)
{
	static const char *const names[VG_VERSION__MAX] = {
		"dpkg", "apk", "rpm", "semver", "pep440", "maven", "gem", "go", "npm",
	};

	for (int s = 0; s < VG_VERSION__MAX; s++)
		ASSERT_STREQ(vg_version_scheme_to_string((enum vg_version_scheme)s), names[s]);
	ASSERT_NULL(vg_version_scheme_to_string(VG_VERSION__MAX));
	ASSERT_NULL(vg_version_scheme_to_string((enum vg_version_scheme) - 1));
}

TEST(ecosystems)
{
	static const struct {
		const char *name;
		int want; /* scheme, or -ENOENT */
	} cases[] = {
		{"Debian", VG_VERSION_DPKG},
		{"Debian:12", VG_VERSION_DPKG},
		{"Debian:sid", VG_VERSION_DPKG},
		{"Ubuntu:22.04:LTS", VG_VERSION_DPKG},
		{"Alpine", VG_VERSION_APK},
		{"Alpine:v3.18", VG_VERSION_APK},
		{"Wolfi", VG_VERSION_APK},
		{"Red Hat:enterprise_linux:9::appstream", VG_VERSION_RPM},
		{"Rocky Linux:9", VG_VERSION_RPM},
		{"AlmaLinux:8", VG_VERSION_RPM},
		{"openSUSE:Tumbleweed", VG_VERSION_RPM},
		{"SUSE:Linux Enterprise Server 15 SP5", VG_VERSION_RPM},
		{"Go", VG_VERSION_GO},
		{"PyPI", VG_VERSION_PEP440},
		{"npm", VG_VERSION_NPM},
		{"Maven", VG_VERSION_MAVEN},
		{"RubyGems", VG_VERSION_GEM},
		{"crates.io", VG_VERSION_SEMVER},
		{"Packagist", -ENOENT},
		{"NuGet", -ENOENT},
		{"Hex", -ENOENT},
		{"debian", -ENOENT}, /* OSV names are case-sensitive */
		{"Deb", -ENOENT},
		{"Debian12", -ENOENT},
		{"", -ENOENT},
	};
	enum vg_version_scheme s;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		int r = vg_version_scheme_from_ecosystem(cases[i].name, &s);

		if (cases[i].want < 0)
			ASSERT_ERR(r, cases[i].want);
		else {
			ASSERT_OK(r);
			ASSERT_EQ((int)s, cases[i].want);
		}
	}
	ASSERT_ERR(vg_version_scheme_from_ecosystem(NULL, &s), -EINVAL);
}

TEST(purl_types)
{
	static const struct {
		const char *type;
		int want;
	} cases[] = {
		{"deb", VG_VERSION_DPKG},     {"apk", VG_VERSION_APK},
		{"rpm", VG_VERSION_RPM},      {"golang", VG_VERSION_GO},
		{"pypi", VG_VERSION_PEP440},  {"npm", VG_VERSION_NPM},
		{"maven", VG_VERSION_MAVEN},  {"gem", VG_VERSION_GEM},
		{"cargo", VG_VERSION_SEMVER}, {"DEB", VG_VERSION_DPKG},
		{"composer", -ENOENT},	      {"nuget", -ENOENT},
		{"generic", -ENOENT},	      {"", -ENOENT},
	};
	enum vg_version_scheme s;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		int r = vg_version_scheme_from_purl_type(cases[i].type, &s);

		if (cases[i].want < 0)
			ASSERT_ERR(r, cases[i].want);
		else {
			ASSERT_OK(r);
			ASSERT_EQ((int)s, cases[i].want);
		}
	}
}

TEST(limits)
{
	static char at_max[VG_VERSION_LEN_MAX + 1], over[VG_VERSION_LEN_MAX + 2];
	int r = 7;

	memset(at_max, '1', VG_VERSION_LEN_MAX);
	memset(over, '1', VG_VERSION_LEN_MAX + 1);
	for (int s = 0; s < VG_VERSION__MAX; s++) {
		ASSERT_ERR(vg_version_cmp((enum vg_version_scheme)s, over, "1", &r), -E2BIG);
		ASSERT_ERR(vg_version_cmp((enum vg_version_scheme)s, "1", over, &r), -E2BIG);
		ASSERT_EQ(vg_version_valid((enum vg_version_scheme)s, over), 0);
	}
	/* at the limit the lenient schemes still compare */
	ASSERT_OK(vg_version_cmp(VG_VERSION_DPKG, at_max, "1", &r));
	ASSERT_GT(r, 0);
	ASSERT_OK(vg_version_cmp(VG_VERSION_MAVEN, at_max, at_max, &r));
	ASSERT_EQ(r, 0);
	ASSERT_ERR(vg_version_cmp(VG_VERSION__MAX, "1", "1", &r), -EINVAL);
	ASSERT_ERR(vg_version_cmp(VG_VERSION_DPKG, NULL, "1", &r), -EINVAL);
	ASSERT_ERR(vg_version_cmp(VG_VERSION_DPKG, "1", "1", NULL), -EINVAL);
	ASSERT_EQ(vg_version_valid(VG_VERSION__MAX, "1"), 0);
	ASSERT_EQ(vg_version_valid(VG_VERSION_DPKG, NULL), 0);
}

TEST(maven_worst_case)
{
	/* every byte an item and a nested list: the flat array's bound */
	static char v[VG_VERSION_LEN_MAX + 1];
	int r;

	for (size_t i = 0; i < VG_VERSION_LEN_MAX; i++)
		v[i] = i % 2 ? 'a' : '1';
	ASSERT_OK(vg_version_cmp(VG_VERSION_MAVEN, v, v, &r));
	ASSERT_EQ(r, 0);
	for (size_t i = 0; i < VG_VERSION_LEN_MAX; i++)
		v[i] = "-.a1"[i % 4];
	ASSERT_OK(vg_version_cmp(VG_VERSION_MAVEN, v, "1", &r));
	memset(v, '-', VG_VERSION_LEN_MAX);
	ASSERT_OK(vg_version_cmp(VG_VERSION_MAVEN, v, "", &r));
	ASSERT_EQ(r, 0); /* only empty lists: "" */
}
