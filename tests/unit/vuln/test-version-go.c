/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go module versions. Vectors: golang.org/x/mod semver/semver_test.go (the `tests` table in
 * sort order, equal when canonical forms are equal, invalid ones rejected) and
 * module/pseudo_test.go (each pseudo-version sorts after the version it derives from and
 * before the next release), plus +incompatible and OSV's 'v'-less spelling.
 */
#include "version-test.h"

/* semver_test.go: input, canonical form ("" = invalid); valid ones are in increasing order */
static const struct {
	const char *in, *canonical;
} tests[] = {
	{"bad", ""},
	{"v1-alpha.beta.gamma", ""},
	{"v1-pre", ""},
	{"v1+meta", ""},
	{"v1-pre+meta", ""},
	{"v1.2-pre", ""},
	{"v1.2+meta", ""},
	{"v1.2-pre+meta", ""},
	{"v1.0.0-alpha", "v1.0.0-alpha"},
	{"v1.0.0-alpha.1", "v1.0.0-alpha.1"},
	{"v1.0.0-alpha.beta", "v1.0.0-alpha.beta"},
	{"v1.0.0-beta", "v1.0.0-beta"},
	{"v1.0.0-beta.2", "v1.0.0-beta.2"},
	{"v1.0.0-beta.11", "v1.0.0-beta.11"},
	{"v1.0.0-rc.1", "v1.0.0-rc.1"},
	{"v1", "v1.0.0"},
	{"v1.0", "v1.0.0"},
	{"v1.0.0", "v1.0.0"},
	{"v1.2", "v1.2.0"},
	{"v1.2.0", "v1.2.0"},
	{"v1.2.3-456", "v1.2.3-456"},
	{"v1.2.3-456.789", "v1.2.3-456.789"},
	{"v1.2.3-456-789", "v1.2.3-456-789"},
	{"v1.2.3-456a", "v1.2.3-456a"},
	{"v1.2.3-pre", "v1.2.3-pre"},
	{"v1.2.3-pre+meta", "v1.2.3-pre"},
	{"v1.2.3-pre.1", "v1.2.3-pre.1"},
	{"v1.2.3-zzz", "v1.2.3-zzz"},
	{"v1.2.3", "v1.2.3"},
	{"v1.2.3+meta", "v1.2.3"},
	{"v1.2.3+meta-pre", "v1.2.3"},
	{"v1.2.3+meta-pre.sha.256a", "v1.2.3"},
};

/* pseudo_test.go: older version, pseudo-version derived from it */
static const struct cmp_case pseudo[] = {
	{"v0.0.0", "v0.0.1-0.20060102150405-hash", -1},
	{"v1.2.3", "v1.2.4-0.20060102150405-hash", -1},
	{"v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash", -1},
	{"v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash", -1},
	{"v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash", -1},
	{"v0.0.0--", "v0.0.0--.0.20060102150405-hash", -1},
	{"v1.0.0+metadata", "v1.0.1-0.20060102150405-hash+metadata", -1},
	{"v2.0.0+incompatible", "v2.0.1-0.20060102150405-hash+incompatible", -1},
	{"v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-hash+incompatible", -1},
	/* and each sorts before the release it leads up to */
	{"v0.0.1-0.20060102150405-hash", "v0.0.1", -1},
	{"v1.2.4-0.20060102150405-hash", "v1.2.4", -1},
	{"v1.0.1-0.20060102150405-hash+metadata", "v1.0.1", -1},
	/* v0.0.0-<time>-<hash>: commit time orders siblings */
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200115085410-6d4e4cb37c7d", -1},
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", -1},
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1},
	{"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20200115085410-6d4e4cb37c7d", -1},
};

static const struct cmp_case extra[] = {
	{"v2.0.0+incompatible", "v2.0.0", 0},
	{"v2.0.0+incompatible", "v2.0.1", -1},
	{"v3.2.1+incompatible", "v2.9.9", 1},
	{"1.19.0-0", "v1.19.0-0", 0}, /* OSV's Go ranges: no 'v' */
	{"1.19.0-0", "1.18.6", 1},
	{"1.19.0-0", "1.19.0-rc.1", -1},
	{"1.19.0-0", "1.19.0", -1},
	{"1", "v1.0.0", 0},
	{"v1.10.0", "v1.9.9", 1},
	{"v10000000000000000000000.0.0", "v9999999999999999999999.0.0", 1},
};

TEST(semver_test_go)
{
	unsigned fails = 0;
	int r;

	for (size_t i = 0; i < N_ELEMENTS(tests); i++) {
		bool ok = tests[i].canonical[0] != 0;

		if (vg_version_valid(VG_VERSION_GO, tests[i].in) != ok ||
		    (vg_version_cmp(VG_VERSION_GO, tests[i].in, "v1.0.0", &r) == 0) != ok) {
			tap_diag("go: valid(\"%s\") wrong\n", tests[i].in);
			fails++;
		}
		for (size_t j = 0; ok && j < N_ELEMENTS(tests); j++) {
			int want;

			if (!tests[j].canonical[0])
				continue;
			want = strcmp(tests[i].canonical, tests[j].canonical) == 0 ? 0
			       : i < j						   ? -1
										   : 1;
			fails += check_cmp_one(VG_VERSION_GO, tests[i].in, tests[j].in, want);
		}
	}
	ASSERT_EQ(fails, 0u);
}

TEST(pseudo_versions)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_GO, pseudo, N_ELEMENTS(pseudo)), 0u);
}

TEST(extra)
{
	ASSERT_EQ(check_cmp_table(VG_VERSION_GO, extra, N_ELEMENTS(extra)), 0u);
}

TEST(properties)
{
	const char *seeds[N_ELEMENTS(tests) + 2 * N_ELEMENTS(pseudo)];
	size_t n = 0;

	for (size_t i = 0; i < N_ELEMENTS(tests); i++)
		seeds[n++] = tests[i].in;
	for (size_t i = 0; i < N_ELEMENTS(pseudo); i++) {
		seeds[n++] = pseudo[i].a;
		seeds[n++] = pseudo[i].b;
	}
	ASSERT_EQ(check_properties_mutated(VG_VERSION_GO, seeds, n, 300, 0x60, true), 0u);
}
