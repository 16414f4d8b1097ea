/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging for the CLI layer. Library layers do not log (except vg_log_debug); they return
 * negative errno and the CLI reports once, with context. Messages go to stderr.
 * log_*_errno(r, ...) sets errno to -r so "%m" prints it, and returns r (always negative).
 */
#ifndef VG_BASIC_LOG_H
#define VG_BASIC_LOG_H

#include <stdbool.h>

#include "macro.h"

enum vg_log_level {
	VG_LOG_ERROR,
	VG_LOG_WARNING,
	VG_LOG_NOTICE,
	VG_LOG_INFO,
	VG_LOG_DEBUG,
};

void vg_log_set_level(enum vg_log_level level);
enum vg_log_level vg_log_get_level(void);
/* Name printed before each message, e.g. "vigil". */
void vg_log_set_program(const char *name);

/* Returns -abs(error) when error != 0, else 0; preserves errno across the call. */
int vg_log_full(enum vg_log_level level, int error, const char *fmt, ...) VG_PRINTF(3, 4);

#define log_error(...)		  ((void)vg_log_full(VG_LOG_ERROR, 0, __VA_ARGS__))
#define log_warning(...)	  ((void)vg_log_full(VG_LOG_WARNING, 0, __VA_ARGS__))
#define log_notice(...)		  ((void)vg_log_full(VG_LOG_NOTICE, 0, __VA_ARGS__))
#define log_info(...)		  ((void)vg_log_full(VG_LOG_INFO, 0, __VA_ARGS__))
#define log_debug(...)		  ((void)vg_log_full(VG_LOG_DEBUG, 0, __VA_ARGS__))

#define log_error_errno(r, ...)	  vg_log_full(VG_LOG_ERROR, (r), __VA_ARGS__)
#define log_warning_errno(r, ...) vg_log_full(VG_LOG_WARNING, (r), __VA_ARGS__)
#define log_debug_errno(r, ...)	  vg_log_full(VG_LOG_DEBUG, (r), __VA_ARGS__)
#define log_oom()		  vg_log_full(VG_LOG_ERROR, -ENOMEM, "Out of memory.")

#endif /* VG_BASIC_LOG_H */
