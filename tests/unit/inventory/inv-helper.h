/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers: run a shell snippet and capture its standard output (fork + exec, no popen). */
#ifndef VG_TESTS_INV_HELPER_H
#define VG_TESTS_INV_HELPER_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/fileio.h"

/* Runs /bin/sh -c @script with $1 = @arg; stdout into a new buffer. Returns the exit
 * status (>= 0) or a negative errno. */
static inline int inv_sh(const char *script, const char *arg, char **ret, size_t *ret_len)
{
	int fds[2], status, r;
	pid_t pid;

	if (pipe(fds) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		(void)dup2(fds[1], STDOUT_FILENO);
		(void)close(fds[0]);
		(void)close(fds[1]);
		execl("/bin/sh", "sh", "-c", script, "sh", arg ? arg : "", (char *)NULL);
		_exit(127);
	}
	(void)close(fds[1]);
	r = vg_read_fd(fds[0], 512u * 1024 * 1024, ret, ret_len);
	(void)close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (r < 0)
		return r;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

#endif /* VG_TESTS_INV_HELPER_H */
