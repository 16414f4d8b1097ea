/* SPDX-License-Identifier: Apache-2.0 */
/* Small language helpers shared by every layer. libc only. */
#ifndef VG_BASIC_MACRO_H
#define VG_BASIC_MACRO_H

#include <stddef.h>

#define VG_MUST_CHECK			   __attribute__((warn_unused_result))
#define VG_PRINTF(a, b)			   __attribute__((format(printf, a, b)))
#define VG_UNUSED			   __attribute__((unused))
#define vg_likely(x)			   __builtin_expect(!!(x), 1)
#define vg_unlikely(x)			   __builtin_expect(!!(x), 0)

#define VG_ARRAY_SIZE(a)		   (sizeof(a) / sizeof((a)[0]))
#define VG_MIN(a, b)			   ((a) < (b) ? (a) : (b))
#define VG_MAX(a, b)			   ((a) > (b) ? (a) : (b))
#define VG_ALIGN_UP(x, a)		   (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))

#define vg_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* Turns a libc call's -1/errno convention into our negative errno convention. */
#define VG_NERRNO(expr)                          \
	({                                       \
		long vg_r_ = (long)(expr);       \
		vg_r_ < 0 ? -errno : (int)vg_r_; \
	})

#endif /* VG_BASIC_MACRO_H */
