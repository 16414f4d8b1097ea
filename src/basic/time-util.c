/* SPDX-License-Identifier: Apache-2.0 */
/* Clock helpers. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parse-util.h"
#include "time-util.h"

uint64_t vg_now_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * VG_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int64_t vg_boot_to_realtime_offset(void)
{
	uint64_t best_width = UINT64_MAX;
	int64_t best = 0;

	for (int i = 0; i < 8; i++) {
		uint64_t r1 = vg_now_ns(CLOCK_REALTIME);
		uint64_t b = vg_now_ns(CLOCK_BOOTTIME);
		uint64_t r2 = vg_now_ns(CLOCK_REALTIME);
		uint64_t width;

		if (r2 < r1) /* wall clock stepped back: retry */
			continue;
		width = r2 - r1;
		if (width < best_width) {
			best_width = width;
			best = (int64_t)(r1 + width / 2) - (int64_t)b;
		}
	}
	if (best_width == UINT64_MAX)
		best = (int64_t)vg_now_ns(CLOCK_REALTIME) - (int64_t)vg_now_ns(CLOCK_BOOTTIME);
	return best;
}

int vg_format_iso8601(uint64_t realtime_ns, char *buf, size_t size)
{
	time_t sec = (time_t)(realtime_ns / VG_NSEC_PER_SEC);
	unsigned long nsec = (unsigned long)(realtime_ns % VG_NSEC_PER_SEC);
	struct tm tm;
	int k;

	if (!buf || size < VG_ISO8601_MAX)
		return -ENOBUFS;
	if (!gmtime_r(&sec, &tm))
		return -EOVERFLOW;
	if (tm.tm_year + 1900 > 9999)
		return -EOVERFLOW;
	k = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09luZ", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec);
	if (k < 0 || (size_t)k >= size)
		return -ENOBUFS;
	return k;
}

int vg_parse_duration(const char *s, uint64_t *ret_ns)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} units[] = {
		{"ns", 1},
		{"us", VG_NSEC_PER_USEC},
		{"ms", VG_NSEC_PER_MSEC},
		{"s", VG_NSEC_PER_SEC},
		{"m", 60 * VG_NSEC_PER_SEC},
		{"h", 3600 * VG_NSEC_PER_SEC},
		{"d", 86400 * VG_NSEC_PER_SEC},
	};
	char num[32];
	size_t n, digits = 0;
	uint64_t v, mult = VG_NSEC_PER_SEC;
	int r;

	if (!s)
		return -EINVAL;
	n = strlen(s);
	while (digits < n && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (digits == 0)
		return -EINVAL;
	if (digits >= sizeof(num))
		return -ERANGE;
	if (digits < n) {
		size_t i;

		for (i = 0; i < VG_ARRAY_SIZE(units); i++)
			if (strcmp(s + digits, units[i].suffix) == 0)
				break;
		if (i == VG_ARRAY_SIZE(units))
			return -EINVAL;
		mult = units[i].mult;
	}
	memcpy(num, s, digits);
	num[digits] = '\0';
	r = vg_safe_atou64(num, &v);
	if (r < 0)
		return r;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*ret_ns = v * mult;
	return 0;
}
