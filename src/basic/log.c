/* SPDX-License-Identifier: Apache-2.0 */
/* stderr logging for the CLI layer: "vigil: message\n", no colours, no decoration. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static enum vg_log_level log_level = VG_LOG_INFO;
static const char *log_program = "vigil";

void vg_log_set_level(enum vg_log_level level)
{
	log_level = level;
}

enum vg_log_level vg_log_get_level(void)
{
	return log_level;
}

void vg_log_set_program(const char *name)
{
	log_program = name;
}

int vg_log_full(enum vg_log_level level, int error, const char *fmt, ...)
{
	int saved_errno = errno;
	int r = error == 0 ? 0 : -abs(error);
	va_list ap;

	if (level <= log_level) {
		char buf[2048];
		int k;

		/* Format into one buffer so a message is written with a single call. */
		if (r != 0)
			errno = -r;
		va_start(ap, fmt);
		k = vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		if (k >= 0) {
			if (log_program && log_program[0])
				fprintf(stderr, "%s: %s\n", log_program, buf);
			else
				fprintf(stderr, "%s\n", buf);
		}
	}
	errno = saved_errno;
	return r;
}
