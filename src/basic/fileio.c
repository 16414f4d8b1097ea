/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded file reading and full writes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "limits.h"

int vg_read_full(int fd, void *p, size_t n)
{
	size_t done = 0;

	if (n > INT_MAX)
		return -EINVAL;
	while (done < n) {
		ssize_t k = read(fd, (char *)p + done, n - done);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		done += (size_t)k;
	}
	return (int)done;
}

int vg_write_all(int fd, const void *p, size_t n)
{
	const char *q = p;

	while (n > 0) {
		ssize_t k = write(fd, q, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			return -EIO;
		q += k;
		n -= (size_t)k;
	}
	return 0;
}

int vg_read_fd(int fd, size_t max, char **ret, size_t *ret_len)
{
	cleanup_free char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;

	if (max >= SIZE_MAX - 1)
		return -EINVAL;
	/* Start from st_size when it is meaningful; /proc and pipes report 0. */
	cap = 4096;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > max)
			cap = max + 1;
		else
			cap = (size_t)st.st_size + 1;
	}
	if (cap > max + 1)
		cap = max + 1;
	for (;;) {
		ssize_t k;

		if (len == cap) {
			size_t ncap;
			char *p;

			if (cap > max)
				return -E2BIG;
			ncap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			p = realloc(buf, ncap + 1);
			if (!p)
				return -ENOMEM;
			buf = p;
			cap = ncap;
		}
		if (!buf) {
			buf = malloc(cap + 1);
			if (!buf)
				return -ENOMEM;
		}
		/* Read one byte past max to detect oversize files. */
		k = read(fd, buf + len, cap - len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		len += (size_t)k;
		if (len > max)
			return -E2BIG;
	}
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

int vg_read_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len)
{
	cleanup_close int fd = -EBADF;

	if (!path || !ret)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	return vg_read_fd(fd, max, ret, ret_len);
}

int vg_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
	return vg_read_file_at(AT_FDCWD, path, max, ret, ret_len);
}

int vg_readlink_at(int dirfd, const char *path, char **ret)
{
	char buf[VG_PATH_MAX];
	ssize_t k;
	char *s;

	if (!path || !ret)
		return -EINVAL;
	k = readlinkat(dirfd, path, buf, sizeof(buf));
	if (k < 0)
		return -errno;
	if ((size_t)k >= sizeof(buf))
		return -ENAMETOOLONG;
	s = strndup(buf, (size_t)k);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}
