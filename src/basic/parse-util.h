/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict number parsing: the whole string must be a number (no leading/trailing space, no
 * trailing garbage, no empty string), base 10 unless stated. Returns 0, -EINVAL (not a
 * number) or -ERANGE (does not fit); *ret is only written on success.
 */
#ifndef VG_BASIC_PARSE_UTIL_H
#define VG_BASIC_PARSE_UTIL_H

#include <stdint.h>

#include "macro.h"

/** vg_safe_atou64_base() - unsigned, base 2..36 or 16 with optional "0x"; no sign allowed. */
VG_MUST_CHECK int vg_safe_atou64_base(const char *s, unsigned base, uint64_t *ret);
/** vg_safe_atou64() - unsigned decimal; "-0" and any sign are rejected. */
VG_MUST_CHECK int vg_safe_atou64(const char *s, uint64_t *ret);
/** vg_safe_atoi64() - signed decimal with optional leading '-' or '+'. */
VG_MUST_CHECK int vg_safe_atoi64(const char *s, int64_t *ret);
/** vg_safe_atou32() - unsigned decimal that fits in 32 bits. */
VG_MUST_CHECK int vg_safe_atou32(const char *s, uint32_t *ret);
/** vg_safe_atoi32() - signed decimal that fits in 32 bits. */
VG_MUST_CHECK int vg_safe_atoi32(const char *s, int32_t *ret);

#endif /* VG_BASIC_PARSE_UTIL_H */
