/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "tap.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
	if (tmpdir[0])
		return;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vg-test-fileio-XXXXXX");
	if (!mkdtemp(tmpdir))
		TAP_FAIL_AT("mkdtemp failed: %m");
}

static void write_file(const char *name, const void *data, size_t n)
{
	char path[256];
	cleanup_close int fd = -EBADF;

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(vg_write_all(fd, data, n));
}

TEST(read_small_and_exact_max)
{
	char path[256];
	char *buf = NULL;
	size_t len = 0;

	write_file("small", "hello\0world", 11);
	snprintf(path, sizeof(path), "%s/small", tmpdir);
	ASSERT_OK(vg_read_file(path, 100, &buf, &len));
	ASSERT_EQ(len, 11u);
	ASSERT_EQ(memcmp(buf, "hello\0world", 12), 0); /* includes the terminating NUL */
	free(buf);
	ASSERT_OK(vg_read_file(path, 11, &buf, &len));
	ASSERT_EQ(len, 11u);
	free(buf);
	buf = NULL;
	ASSERT_ERR(vg_read_file(path, 10, &buf, &len), -E2BIG);
	ASSERT_NULL(buf);
	ASSERT_ERR(vg_read_file(path, 0, &buf, &len), -E2BIG);
}

TEST(read_empty)
{
	char path[256];
	char *buf = NULL;
	size_t len = 7;

	write_file("empty", "", 0);
	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	ASSERT_OK(vg_read_file(path, 0, &buf, &len));
	ASSERT_EQ(len, 0u);
	ASSERT_STREQ(buf, "");
	free(buf);
}

TEST(read_large)
{
	size_t n = 3 * 1024 * 1024 + 17;
	char *data = malloc(n), *buf = NULL, path[256];
	size_t len;

	ASSERT_NOT_NULL(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7);
	write_file("large", data, n);
	snprintf(path, sizeof(path), "%s/large", tmpdir);
	ASSERT_OK(vg_read_file(path, n, &buf, &len));
	ASSERT_EQ(len, n);
	ASSERT_EQ(memcmp(buf, data, n), 0);
	free(buf);
	ASSERT_ERR(vg_read_file(path, n - 1, &buf, &len), -E2BIG);
	free(data);
}

TEST(read_proc)
{
	char *buf = NULL;
	size_t len = 0;
	struct stat st;

	/* st_size is 0 for /proc files: must still read to EOF */
	ASSERT_OK(stat("/proc/self/status", &st));
	ASSERT_EQ(st.st_size, 0);
	ASSERT_OK(vg_read_file("/proc/self/status", VG_PROC_FILE_MAX, &buf, &len));
	ASSERT_GT(len, 0u);
	ASSERT_NOT_NULL(strstr(buf, "Pid:"));
	ASSERT_EQ(strlen(buf), len);
	free(buf);
	ASSERT_ERR(vg_read_file("/proc/self/status", 10, &buf, &len), -E2BIG);
	/* len not requested */
	ASSERT_OK(vg_read_file("/proc/self/stat", VG_PROC_FILE_MAX, &buf, NULL));
	free(buf);
}

TEST(read_at_and_errors)
{
	cleanup_close int dfd = -EBADF;
	char *buf = NULL;
	size_t len;

	write_file("rel", "x", 1);
	dfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_TRUE(dfd >= 0);
	ASSERT_OK(vg_read_file_at(dfd, "rel", 10, &buf, &len));
	ASSERT_STREQ(buf, "x");
	free(buf);
	ASSERT_ERR(vg_read_file_at(dfd, "missing", 10, &buf, &len), -ENOENT);
	ASSERT_ERR(vg_read_file_at(dfd, ".", 10, &buf, &len), -EISDIR);
}

TEST(readlink)
{
	cleanup_close int dfd = -EBADF;
	char *s = NULL;
	char target[VG_PATH_MAX + 10];

	make_tmpdir();
	dfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_TRUE(dfd >= 0);
	ASSERT_OK(symlinkat("../some/target", dfd, "link"));
	ASSERT_OK(vg_readlink_at(dfd, "link", &s));
	ASSERT_STREQ(s, "../some/target");
	free(s);
	ASSERT_ERR(vg_readlink_at(dfd, "missing", &s), -ENOENT);
	write_file("notlink", "", 0);
	ASSERT_ERR(vg_readlink_at(dfd, "notlink", &s), -EINVAL);
	ASSERT_OK(vg_readlink_at(AT_FDCWD, "/proc/self/exe", &s));
	ASSERT_EQ(s[0], '/');
	free(s);
	/* a target of exactly VG_PATH_MAX bytes does not fit (no room for the NUL) */
	memset(target, 'a', sizeof(target));
	target[VG_PATH_MAX] = '\0';
	if (symlinkat(target, dfd, "longlink") == 0) {
		ASSERT_ERR(vg_readlink_at(dfd, "longlink", &s), -ENAMETOOLONG);
		target[VG_PATH_MAX - 1] = '\0';
		ASSERT_OK(symlinkat(target, dfd, "longlink2"));
		ASSERT_OK(vg_readlink_at(dfd, "longlink2", &s));
		ASSERT_EQ(strlen(s), (size_t)VG_PATH_MAX - 1);
		free(s);
	}
}

TEST(pipe_write_read_full)
{
	int p[2];
	char out[100000], in[100000 + 10];
	pid_t pid;

	ASSERT_OK(pipe(p));
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)i;
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		_exit(vg_write_all(p[1], out, sizeof(out)) < 0 ? 1 : 0);
	}
	close(p[1]);
	/* pipe capacity is 64k, so the reader sees partial reads: read_full must loop */
	ASSERT_EQ(vg_read_full(p[0], in, 1), 1);
	ASSERT_EQ(vg_read_full(p[0], in + 1, sizeof(in) - 1), (int)sizeof(out) - 1);
	ASSERT_EQ(memcmp(in, out, sizeof(out)), 0);
	ASSERT_EQ(vg_read_full(p[0], in, 10), 0);
	close(p[0]);
	ASSERT_ERR(vg_read_full(-1, in, 1), -EBADF);
	ASSERT_ERR(vg_write_all(-1, in, 1), -EBADF);
	ASSERT_OK(vg_write_all(-1, in, 0));
}

TEST(read_fd_pipe)
{
	int p[2];
	char *buf = NULL;
	size_t len;

	ASSERT_OK(pipe(p));
	ASSERT_OK(vg_write_all(p[1], "pipe data", 9));
	close(p[1]);
	ASSERT_OK(vg_read_fd(p[0], 100, &buf, &len));
	ASSERT_EQ(len, 9u);
	ASSERT_STREQ(buf, "pipe data");
	free(buf);
	close(p[0]);
}

TEST(zz_cleanup)
{
	char cmd[128];

	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmpdir);
	ASSERT_EQ(system(cmd), 0);
}
