/* SPDX-License-Identifier: Apache-2.0 */
/* Strict integer parsing without strtol's surprises (whitespace, signs on unsigned, "0x"). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "parse-util.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Parses digits only (no sign). */
static int parse_digits(const char *s, unsigned base, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = digit_value(*s);

		if ((unsigned)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned)d) / base) {
			/* Keep scanning so garbage wins over range. */
			for (s++; *s; s++)
				if ((unsigned)digit_value(*s) >= base)
					return -EINVAL;
			return -ERANGE;
		}
		v = v * base + (unsigned)d;
	}
	*ret = v;
	return 0;
}

int vg_safe_atou64_base(const char *s, unsigned base, uint64_t *ret)
{
	uint64_t v;
	int r;

	if (!s || base < 2 || base > 36)
		return -EINVAL;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	r = parse_digits(s, base, &v);
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

int vg_safe_atou64(const char *s, uint64_t *ret)
{
	return vg_safe_atou64_base(s, 10, ret);
}

int vg_safe_atoi64(const char *s, int64_t *ret)
{
	bool neg = false;
	uint64_t v;
	int r;

	if (!s)
		return -EINVAL;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	r = parse_digits(s, 10, &v);
	if (r < 0)
		return r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > INT64_MAX)
			return -ERANGE;
		*ret = (int64_t)v;
	}
	return 0;
}

int vg_safe_atou32(const char *s, uint32_t *ret)
{
	uint64_t v;
	int r = vg_safe_atou64(s, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int vg_safe_atoi32(const char *s, int32_t *ret)
{
	int64_t v;
	int r = vg_safe_atoi64(s, &v);

	if (r < 0)
		return r;
	if (v < INT32_MIN || v > INT32_MAX)
		return -ERANGE;
	*ret = (int32_t)v;
	return 0;
}
