/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>

#include "basic/parse-util.h"
#include "tap.h"

TEST(u64)
{
	uint64_t v = 7;

	ASSERT_OK(vg_safe_atou64("0", &v));
	ASSERT_EQ(v, 0u);
	ASSERT_OK(vg_safe_atou64("18446744073709551615", &v));
	ASSERT_EQ(v, UINT64_MAX);
	ASSERT_OK(vg_safe_atou64("000123", &v));
	ASSERT_EQ(v, 123u);
	v = 7;
	ASSERT_ERR(vg_safe_atou64("18446744073709551616", &v), -ERANGE);
	ASSERT_ERR(vg_safe_atou64("99999999999999999999999", &v), -ERANGE);
	ASSERT_ERR(vg_safe_atou64("99999999999999999999999x", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64("", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64(" 1", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64("1 ", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64("-1", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64("+1", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64("0x10", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64("1e3", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64(NULL, &v), -EINVAL);
	ASSERT_EQ(v, 7u); /* untouched on error */
}

TEST(u64_base)
{
	uint64_t v;

	ASSERT_OK(vg_safe_atou64_base("ff", 16, &v));
	ASSERT_EQ(v, 255u);
	ASSERT_OK(vg_safe_atou64_base("0xFF", 16, &v));
	ASSERT_EQ(v, 255u);
	ASSERT_OK(vg_safe_atou64_base("ffffffffffffffff", 16, &v));
	ASSERT_EQ(v, UINT64_MAX);
	ASSERT_ERR(vg_safe_atou64_base("10000000000000000", 16, &v), -ERANGE);
	ASSERT_ERR(vg_safe_atou64_base("0x", 16, &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64_base("fg", 16, &v), -EINVAL);
	ASSERT_OK(vg_safe_atou64_base("755", 8, &v));
	ASSERT_EQ(v, 0755u);
	ASSERT_ERR(vg_safe_atou64_base("8", 8, &v), -EINVAL);
	ASSERT_OK(vg_safe_atou64_base("101", 2, &v));
	ASSERT_EQ(v, 5u);
	ASSERT_OK(vg_safe_atou64_base("zz", 36, &v));
	ASSERT_EQ(v, 35u * 36 + 35);
	ASSERT_ERR(vg_safe_atou64_base("1", 1, &v), -EINVAL);
	ASSERT_ERR(vg_safe_atou64_base("1", 37, &v), -EINVAL);
}

TEST(i64)
{
	int64_t v;

	ASSERT_OK(vg_safe_atoi64("-9223372036854775808", &v));
	ASSERT_EQ(v, INT64_MIN);
	ASSERT_OK(vg_safe_atoi64("9223372036854775807", &v));
	ASSERT_EQ(v, INT64_MAX);
	ASSERT_OK(vg_safe_atoi64("+5", &v));
	ASSERT_EQ(v, 5);
	ASSERT_OK(vg_safe_atoi64("-0", &v));
	ASSERT_EQ(v, 0);
	ASSERT_ERR(vg_safe_atoi64("9223372036854775808", &v), -ERANGE);
	ASSERT_ERR(vg_safe_atoi64("-9223372036854775809", &v), -ERANGE);
	ASSERT_ERR(vg_safe_atoi64("-", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atoi64("--1", &v), -EINVAL);
	ASSERT_ERR(vg_safe_atoi64("1-", &v), -EINVAL);
}

TEST(u32_i32)
{
	uint32_t u;
	int32_t i;

	ASSERT_OK(vg_safe_atou32("4294967295", &u));
	ASSERT_EQ(u, UINT32_MAX);
	ASSERT_ERR(vg_safe_atou32("4294967296", &u), -ERANGE);
	ASSERT_ERR(vg_safe_atou32("-1", &u), -EINVAL);
	ASSERT_OK(vg_safe_atoi32("-2147483648", &i));
	ASSERT_EQ(i, INT32_MIN);
	ASSERT_OK(vg_safe_atoi32("2147483647", &i));
	ASSERT_EQ(i, INT32_MAX);
	ASSERT_ERR(vg_safe_atoi32("2147483648", &i), -ERANGE);
	ASSERT_ERR(vg_safe_atoi32("-2147483649", &i), -ERANGE);
	ASSERT_ERR(vg_safe_atoi32("12a", &i), -EINVAL);
}
