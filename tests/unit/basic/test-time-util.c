/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "basic/time-util.h"
#include "tap.h"

TEST(now)
{
	uint64_t a = vg_now_ns(CLOCK_MONOTONIC), b = vg_now_ns(CLOCK_MONOTONIC);

	ASSERT_GT(a, 0u);
	ASSERT_GE(b, a);
	ASSERT_EQ(vg_now_ns((clockid_t)-1000), 0u);
}

TEST(boot_offset)
{
	int64_t off = vg_boot_to_realtime_offset();
	int64_t direct = (int64_t)vg_now_ns(CLOCK_REALTIME) - (int64_t)vg_now_ns(CLOCK_BOOTTIME);
	int64_t diff = off - direct;

	ASSERT_GT(off, 0);
	if (diff < 0)
		diff = -diff;
	/* both measurements of the same offset agree within 50 ms */
	ASSERT_LT(diff, 50 * 1000 * 1000);
	/* booted after 2020 */
	ASSERT_GT(off, (int64_t)1577836800 * 1000000000);
}

TEST(iso8601)
{
	char buf[VG_ISO8601_MAX];

	ASSERT_EQ(vg_format_iso8601(0, buf, sizeof(buf)), 30);
	ASSERT_STREQ(buf, "1970-01-01T00:00:00.000000000Z");
	ASSERT_OK(vg_format_iso8601(1795894200123456789ULL, buf, sizeof(buf)));
	ASSERT_STREQ(buf, "2026-11-28T19:30:00.123456789Z");
	ASSERT_OK(vg_format_iso8601(951782400ULL * 1000000000 + 1, buf, sizeof(buf)));
	ASSERT_STREQ(buf, "2000-02-29T00:00:00.000000001Z");
	ASSERT_ERR(vg_format_iso8601(0, buf, sizeof(buf) - 1), -ENOBUFS);
	ASSERT_EQ(vg_format_iso8601(UINT64_MAX, buf, sizeof(buf)), 30); /* 2554: fits */
	ASSERT_STREQ(buf, "2554-07-21T23:34:33.709551615Z");
}

TEST(duration)
{
	static const struct {
		const char *s;
		uint64_t ns;
	} ok[] = {
		{"0", 0},
		{"10", 10 * VG_NSEC_PER_SEC},
		{"10s", 10 * VG_NSEC_PER_SEC},
		{"500ms", 500 * VG_NSEC_PER_MSEC},
		{"250us", 250 * VG_NSEC_PER_USEC},
		{"7ns", 7},
		{"2m", 120 * VG_NSEC_PER_SEC},
		{"1h", 3600 * VG_NSEC_PER_SEC},
		{"1d", 86400 * VG_NSEC_PER_SEC},
	};
	static const char *bad[] = {"",	     "s",  "-1s", "1.5s", "10 s",
				    "10sec", "1x", " 1",  "1S",	  "ms"};
	uint64_t v;

	for (size_t i = 0; i < VG_ARRAY_SIZE(ok); i++) {
		ASSERT_OK(vg_parse_duration(ok[i].s, &v));
		ASSERT_EQ(v, ok[i].ns);
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(bad); i++)
		ASSERT_ERR(vg_parse_duration(bad[i], &v), -EINVAL);
	ASSERT_ERR(vg_parse_duration("18446744073709551615s", &v), -ERANGE);
	ASSERT_ERR(vg_parse_duration("99999999999999999999999999999999999h", &v), -ERANGE);
	ASSERT_OK(vg_parse_duration("18446744073709551615ns", &v));
	ASSERT_EQ(v, UINT64_MAX);
	ASSERT_ERR(vg_parse_duration(NULL, &v), -EINVAL);
}
