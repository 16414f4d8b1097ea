/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded file reading and full writes. */
#ifndef VG_BASIC_FILEIO_H
#define VG_BASIC_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

/**
 * vg_read_file() - reads a whole file into a new NUL-terminated buffer.
 * Reads until EOF (works for /proc files whose st_size is 0). Fails with -E2BIG if the file
 * holds more than @max bytes. On success *ret is malloc'ed (caller frees) and *ret_len (if
 * not NULL) is the byte count excluding the NUL.
 */
VG_MUST_CHECK int vg_read_file(const char *path, size_t max, char **ret, size_t *ret_len);

/** vg_read_file_at() - like vg_read_file(), @path relative to @dirfd (or AT_FDCWD). */
VG_MUST_CHECK int vg_read_file_at(int dirfd, const char *path, size_t max, char **ret,
				  size_t *ret_len);

/** vg_read_fd() - reads @fd from its current offset to EOF, bounded by @max. */
VG_MUST_CHECK int vg_read_fd(int fd, size_t max, char **ret, size_t *ret_len);

/**
 * vg_readlink_at() - reads a symlink (bounded by VG_PATH_MAX) into a new string.
 * @path may be "" to read the link @dirfd itself refers to (O_PATH fd). -ENAMETOOLONG
 * if the target is longer than VG_PATH_MAX - 1.
 */
VG_MUST_CHECK int vg_readlink_at(int dirfd, const char *path, char **ret);

/** vg_write_all() - writes all @n bytes, retrying on EINTR and partial writes. */
VG_MUST_CHECK int vg_write_all(int fd, const void *p, size_t n);

/**
 * vg_read_full() - reads up to @n bytes, retrying on EINTR and short reads.
 * Returns the number of bytes read; fewer than @n only at EOF. -EINVAL if @n > INT_MAX.
 */
VG_MUST_CHECK int vg_read_full(int fd, void *p, size_t n);

#endif /* VG_BASIC_FILEIO_H */
