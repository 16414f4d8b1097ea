/* SPDX-License-Identifier: Apache-2.0 */
/* The PCRE2 adapter: anchoring, flags, errors, limits. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shared/regex.h"
#include "tap.h"

static int m(const char *pat, unsigned flags, const char *s)
{
	struct vg_regex *re = NULL;
	struct vg_regex_md *md = vg_regex_md_new();
	int r;

	if (!md)
		return -ENOMEM;
	r = vg_regex_compile(pat, strlen(pat), flags, &re, NULL, 0);
	if (r >= 0)
		r = vg_regex_match(re, md, s, strlen(s));
	vg_regex_free(re);
	vg_regex_md_free(md);
	return r;
}

TEST(basic)
{
	ASSERT_EQ(m("b+", 0, "abbbc"), 1);
	ASSERT_EQ(m("b+", VG_REGEX_FULL, "abbbc"), 0);
	ASSERT_EQ(m("ab+c", VG_REGEX_FULL, "abbbc"), 1);
	ASSERT_EQ(m("ab+c", VG_REGEX_FULL, "abbbcd"), 0);
	ASSERT_EQ(m("ABC", VG_REGEX_CASELESS, "xabcx"), 1);
	ASSERT_EQ(m("ABC", 0, "xabcx"), 0);
	ASSERT_EQ(m("^$", 0, ""), 1);
	ASSERT_EQ(m("a.c", VG_REGEX_NOJIT, "abc"), 1);
	ASSERT_EQ(m("\\x{e9}", VG_REGEX_UTF, "caf\xc3\xa9"), 1);
	ASSERT_EQ(m("caf.", VG_REGEX_UTF, "caf\xff"), 0); /* invalid UTF-8: no match */
	ASSERT_EQ(m("(*UTF)a", 0, "a"), -EINVAL); /* UTF cannot be switched on */
}

TEST(errors)
{
	struct vg_regex *re = NULL;
	char err[VG_REGEX_ERR_MAX] = "";
	char *big;

	ASSERT_ERR(vg_regex_compile("a(b", 3, 0, &re, err, sizeof(err)), -EINVAL);
	ASSERT_NULL(re);
	ASSERT_TRUE(strstr(err, "offset 3") != NULL);
	big = malloc(VG_REGEX_PATTERN_MAX + 2);
	ASSERT_NOT_NULL(big);
	memset(big, 'a', VG_REGEX_PATTERN_MAX + 1);
	ASSERT_ERR(vg_regex_compile(big, VG_REGEX_PATTERN_MAX + 1, 0, &re, err, sizeof(err)),
		   -E2BIG);
	free(big);
	ASSERT_ERR(vg_regex_match(NULL, NULL, "", 0), -EINVAL);
	ASSERT_NULL(vg_regex_free(NULL));
	ASSERT_FALSE(vg_regex_is_jit(NULL));
}

static void redos(unsigned flags)
{
	struct vg_regex *re = NULL;
	struct vg_regex_md *md = vg_regex_md_new();
	size_t n = 50000;
	char *s = malloc(n + 1);
	struct timespec a, b;
	long ms;

	ASSERT_NOT_NULL(md);
	ASSERT_NOT_NULL(s);
	memset(s, 'a', n);
	s[n - 1] = 'b';
	s[n] = 0;
	ASSERT_OK(vg_regex_compile("(a+)+$", 6, flags, &re, NULL, 0));
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(vg_regex_match(re, md, s, n), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	tap_diag("(a+)+$ on %zu bytes x5 (%s): %ld ms, %llu limit hits\n", n,
		 vg_regex_is_jit(re) ? "jit" : "interpreter", ms,
		 (unsigned long long)vg_regex_limit_hits(re));
	ASSERT_EQ(vg_regex_limit_hits(re), 5u);
	ASSERT_LT(ms, 2000);
	/* still matches ordinary input */
	ASSERT_EQ(vg_regex_match(re, md, "aaa", 3), 1);
	vg_regex_free(re);
	vg_regex_md_free(md);
	free(s);
}

TEST(redos_jit)
{
	redos(0);
}

TEST(redos_interpreter)
{
	redos(VG_REGEX_NOJIT);
}

TEST(find_groups_and_offsets)
{
	struct vg_regex *re = NULL;
	struct vg_regex_md *md = vg_regex_md_new();
	struct vg_regex_span m, g;
	const char *s = "xx key=abc123 key=def456 tail";
	size_t n = strlen(s);

	ASSERT_NOT_NULL(md);
	const char *pat = "(?<![a-z])key=(?<secret>[a-z]+)(\\d+)?(z)?";

	ASSERT_OK(vg_regex_compile(pat, strlen(pat), 0, &re, NULL, 0));
	ASSERT_EQ(vg_regex_capture_count(re), 3u);
	ASSERT_EQ(vg_regex_group(re, "secret"), 1);
	ASSERT_ERR(vg_regex_group(re, "nope"), -ENOENT);

	ASSERT_EQ(vg_regex_find(re, md, s, n, 0, 1, &m, &g), 1);
	ASSERT_EQ(m.so, (size_t)3);
	ASSERT_EQ(m.eo, (size_t)13);
	ASSERT_EQ(g.so, (size_t)7);
	ASSERT_EQ(g.eo, (size_t)10);
	/* from an offset: the next match; look-behind still sees the byte before */
	ASSERT_EQ(vg_regex_find(re, md, s, n, m.eo, 1, &m, &g), 1);
	ASSERT_EQ(m.so, (size_t)14);
	ASSERT_EQ(g.so, (size_t)18);
	/* a group that took no part, a group beyond the pattern's */
	ASSERT_EQ(vg_regex_find(re, md, s, n, 0, 3, &m, &g), 1);
	ASSERT_EQ(g.so, SIZE_MAX);
	ASSERT_EQ(g.eo, SIZE_MAX);
	ASSERT_EQ(vg_regex_find(re, md, s, n, 0, 30, &m, &g), 1);
	ASSERT_EQ(g.so, SIZE_MAX);
	ASSERT_EQ(vg_regex_find(re, md, s, n, 0, 0, &m, &g), 1);
	ASSERT_EQ(g.so, m.so);
	/* the start past the end, past the last match; bad arguments */
	ASSERT_EQ(vg_regex_find(re, md, s, n, n + 1, 0, &m, NULL), 0);
	ASSERT_EQ(vg_regex_find(re, md, s, n, 20, 0, &m, NULL), 0);
	ASSERT_ERR(vg_regex_find(re, md, NULL, 3, 0, 0, &m, NULL), -EINVAL);
	ASSERT_ERR(vg_regex_find(re, md, s, n, 0, -1, &m, NULL), -EINVAL);
	vg_regex_free(re);

	/* \K moves the reported start (\K in a look-ahead, which could put it past the end, is
	 * refused by PCRE2 itself) */
	ASSERT_OK(vg_regex_compile("a\\Kb", strlen("a\\Kb"), 0, &re, NULL, 0));
	ASSERT_EQ(vg_regex_find(re, md, "zab", 3, 0, 0, &m, NULL), 1);
	ASSERT_EQ(m.so, (size_t)2);
	ASSERT_EQ(m.eo, (size_t)3);
	vg_regex_free(re);
	vg_regex_md_free(md);
}
