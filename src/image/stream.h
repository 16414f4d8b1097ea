/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The read callback every image stage is built on: a file, a decompressor, a tar entry's
 * content and a digesting reader all have this shape, so stages stack without temp files.
 */
#ifndef VG_IMAGE_STREAM_H
#define VG_IMAGE_STREAM_H

#include <stddef.h>
#include <sys/types.h>

/*
 * vg_read_fn - reads up to @n bytes into @buf. Returns the number of bytes read (> 0),
 * 0 at end of stream, or a negative errno. A short read does not mean end of stream.
 */
typedef ssize_t vg_read_fn(void *ctx, void *buf, size_t n);

#endif /* VG_IMAGE_STREAM_H */
