/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "tap.h"

TEST(streq)
{
	ASSERT_TRUE(vg_streq("a", "a"));
	ASSERT_FALSE(vg_streq("a", "b"));
	ASSERT_TRUE(vg_streq(NULL, NULL));
	ASSERT_FALSE(vg_streq("a", NULL));
	ASSERT_FALSE(vg_streq(NULL, "a"));
	ASSERT_TRUE(vg_isempty(NULL));
	ASSERT_TRUE(vg_isempty(""));
	ASSERT_FALSE(vg_isempty("x"));
}

TEST(startswith_endswith)
{
	const char *s = "/proc/self/fd";

	ASSERT_TRUE(vg_startswith(s, "/proc/") == s + 6);
	ASSERT_TRUE(vg_startswith(s, "") == s);
	ASSERT_NULL(vg_startswith(s, "/sys"));
	ASSERT_NULL(vg_startswith("/pr", "/proc"));
	ASSERT_TRUE(vg_endswith(s, "/fd") == s + 10);
	ASSERT_TRUE(vg_endswith(s, "") == s + strlen(s));
	ASSERT_NULL(vg_endswith(s, "fdx"));
	ASSERT_NULL(vg_endswith("fd", "/fd"));
}

TEST(strlcpy)
{
	char buf[5];

	ASSERT_EQ(vg_strlcpy(buf, "abc", sizeof(buf)), 3u);
	ASSERT_STREQ(buf, "abc");
	ASSERT_EQ(vg_strlcpy(buf, "abcdefgh", sizeof(buf)), 8u);
	ASSERT_STREQ(buf, "abcd");
	ASSERT_EQ(vg_strlcpy(buf, "abcd", sizeof(buf)), 4u);
	ASSERT_STREQ(buf, "abcd");
	buf[0] = 'Q';
	ASSERT_EQ(vg_strlcpy(buf, "xyz", 0), 3u);
	ASSERT_EQ(buf[0], 'Q');
	ASSERT_EQ(vg_strlcpy(buf, "xyz", 1), 3u);
	ASSERT_STREQ(buf, "");
}

TEST(strv)
{
	char **v = calloc(3, sizeof(char *));

	ASSERT_NOT_NULL(v);
	v[0] = strdup("a");
	v[1] = strdup("b");
	ASSERT_EQ(vg_strv_length(v), 2u);
	ASSERT_EQ(vg_strv_length(NULL), 0u);
	ASSERT_NULL(vg_strv_free(v));
	ASSERT_NULL(vg_strv_free(NULL));
	{
		cleanup_strv char **w = calloc(2, sizeof(char *));

		ASSERT_NOT_NULL(w);
		w[0] = strdup("c");
	}
}

static const struct {
	const char *base, *path, *want;
} norm_cases[] = {
	{NULL, "/", "/"},
	{NULL, "", "/"},
	{NULL, "a", "/a"},
	{"/", "a/b", "/a/b"},
	{"/usr", "lib", "/usr/lib"},
	{"/usr/", "lib/", "/usr/lib"},
	{"/usr", "/etc/passwd", "/etc/passwd"},
	{"/usr", "../etc", "/etc"},
	{"/usr", "../../../etc", "/etc"},
	{"/", "..", "/"},
	{"/", "../..", "/"},
	{NULL, "/..", "/"},
	{NULL, "/../../a/../b", "/b"},
	{NULL, "//a//b///c//", "/a/b/c"},
	{NULL, "/./a/./b/.", "/a/b"},
	{NULL, "/a/b/..", "/a"},
	{NULL, "/a/b/../..", "/"},
	{NULL, "/a/b/../../..", "/"},
	{NULL, "/a/.../b", "/a/.../b"},
	{NULL, "/a/..b/c", "/a/..b/c"},
	{NULL, "/a/.b/c", "/a/.b/c"},
	{NULL, "/a/b../c", "/a/b../c"},
	{"a/b", "c", "/a/b/c"},
	{"", "c", "/c"},
	{"/x/y", ".", "/x/y"},
	{"/x/y", "./", "/x/y"},
	{"/x/y", "", "/x/y"},
	{"/x/../../y", "z/../w", "/y/w"},
	{"/etc", "./ssl/../ssl/./certs", "/etc/ssl/certs"},
	{NULL, "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"},
};

TEST(path_join_normalize_table)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(norm_cases); i++) {
		char buf[VG_PATH_MAX];
		int r = vg_path_join_normalize(norm_cases[i].base, norm_cases[i].path, buf,
					       sizeof(buf));

		if (r < 0)
			tap_diag("case %zu: base=%s path=%s\n", i,
				 norm_cases[i].base ? norm_cases[i].base : "(null)",
				 norm_cases[i].path);
		ASSERT_OK(r);
		ASSERT_STREQ(buf, norm_cases[i].want);
		ASSERT_EQ((size_t)r, strlen(norm_cases[i].want));
	}
}

TEST(path_join_normalize_limits)
{
	char buf[8];
	char big[VG_PATH_MAX * 2];

	ASSERT_EQ(vg_path_join_normalize(NULL, "/abcdef", buf, sizeof(buf)), 7);
	ASSERT_STREQ(buf, "/abcdef");
	ASSERT_ERR(vg_path_join_normalize(NULL, "/abcdefg", buf, sizeof(buf)), -ENAMETOOLONG);
	ASSERT_ERR(vg_path_join_normalize("/abc", "defg", buf, sizeof(buf)), -ENAMETOOLONG);
	ASSERT_EQ(vg_path_join_normalize(NULL, "/", buf, 2), 1);
	ASSERT_STREQ(buf, "/");
	ASSERT_ERR(vg_path_join_normalize(NULL, "/", buf, 1), -ENAMETOOLONG);
	ASSERT_ERR(vg_path_join_normalize(NULL, NULL, buf, sizeof(buf)), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	{
		char out[VG_PATH_MAX];

		ASSERT_ERR(vg_path_join_normalize(NULL, big, out, sizeof(out)), -ENAMETOOLONG);
	}
}

TEST(is_hex)
{
	ASSERT_TRUE(vg_is_hex("0123456789abcdefABCDEF", 22));
	ASSERT_TRUE(vg_is_hex("abz", 2));
	ASSERT_FALSE(vg_is_hex("abz", 3));
	ASSERT_FALSE(vg_is_hex("", 0));
	ASSERT_FALSE(vg_is_hex("ab", 3)); /* stops at the NUL */
	ASSERT_FALSE(vg_is_hex("0x12", 4));
}
