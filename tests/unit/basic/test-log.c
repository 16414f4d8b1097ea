/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/log.h"
#include "tap.h"

/* Runs fn with stderr redirected to a temporary file and returns what it wrote. */
static char captured[4096];

static const char *capture(void (*fn)(void))
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	if (!tmp || saved < 0)
		TAP_FAIL_AT("cannot redirect stderr");
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(captured, 1, sizeof(captured) - 1, tmp);
	captured[n] = '\0';
	fclose(tmp);
	return captured;
}

static int ret_val, errno_after;

static void log_errno_case(void)
{
	errno = EAGAIN;
	ret_val = log_error_errno(-ENOENT, "Failed to open '%s': %m", "x.yaml");
	errno_after = errno;
}

static void log_positive_errno_case(void)
{
	ret_val = log_warning_errno(EACCES, "denied: %m");
}

static void log_levels_case(void)
{
	vg_log_set_level(VG_LOG_WARNING);
	log_info("hidden");
	log_debug("hidden too");
	log_warning("shown %d", 1);
	ret_val = log_debug_errno(-EIO, "not shown");
	vg_log_set_level(VG_LOG_INFO);
}

static void log_program_case(void)
{
	vg_log_set_program("vigil-test");
	log_notice("hello");
	vg_log_set_program("vigil");
}

TEST(errno_and_format)
{
	ASSERT_STREQ(capture(log_errno_case),
		     "vigil: Failed to open 'x.yaml': No such file or directory\n");
	ASSERT_EQ(ret_val, -ENOENT);
	ASSERT_EQ(errno_after, EAGAIN);
	ASSERT_STREQ(capture(log_positive_errno_case), "vigil: denied: Permission denied\n");
	ASSERT_EQ(ret_val, -EACCES);
}

TEST(levels)
{
	ASSERT_EQ(vg_log_get_level(), VG_LOG_INFO);
	ASSERT_STREQ(capture(log_levels_case), "vigil: shown 1\n");
	ASSERT_EQ(ret_val, -EIO); /* filtered messages still return the error */
}

TEST(program_name)
{
	ASSERT_STREQ(capture(log_program_case), "vigil-test: hello\n");
}
