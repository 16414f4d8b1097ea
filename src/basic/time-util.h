/* SPDX-License-Identifier: Apache-2.0 */
/* Clocks, boot-time to wall-clock conversion, ISO 8601 output, duration parsing. */
#ifndef VG_BASIC_TIME_UTIL_H
#define VG_BASIC_TIME_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "macro.h"

#define VG_NSEC_PER_USEC 1000ULL
#define VG_NSEC_PER_MSEC 1000000ULL
#define VG_NSEC_PER_SEC	 1000000000ULL

/* "2026-11-28T19:30:00.123456789Z" plus NUL */
#define VG_ISO8601_MAX 31

/** vg_now_ns() - current time of @clock in nanoseconds (0 if the clock is unavailable). */
uint64_t vg_now_ns(clockid_t clock);

/**
 * vg_boot_to_realtime_offset() - CLOCK_REALTIME minus CLOCK_BOOTTIME in ns.
 * Reads BOOTTIME between two REALTIME reads, retrying a few times to keep the tightest
 * bracket, and returns the middle. Add it to a BPF bpf_ktime_get_boot_ns() stamp to get
 * wall-clock time.
 */
int64_t vg_boot_to_realtime_offset(void);

/**
 * vg_format_iso8601() - formats @realtime_ns as UTC "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ".
 * Returns the length written, or -ENOBUFS if @size is smaller than VG_ISO8601_MAX,
 * -EOVERFLOW if the year does not fit.
 */
VG_MUST_CHECK int vg_format_iso8601(uint64_t realtime_ns, char *buf, size_t size);

/**
 * vg_parse_duration() - parses "10" (seconds), "10s", "500ms", "250us", "100ns", "2m", "1h",
 * "1d". Whole-number values only. Returns 0, -EINVAL or -ERANGE.
 */
VG_MUST_CHECK int vg_parse_duration(const char *s, uint64_t *ret_ns);

#endif /* VG_BASIC_TIME_UTIL_H */
