/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decompressing reader: detects gzip (1f 8b, multi-member) or zstd (28 b5 2f fd, multi-frame)
 * by magic, otherwise passes bytes through. Output is capped (zip-bomb guard): past
 * @max_out decompressed bytes reads fail with -E2BIG. A stream that ends inside a gzip
 * member or zstd frame, or carries trailing garbage, is -EBADMSG.
 */
#ifndef VG_IMAGE_DECOMPRESS_H
#define VG_IMAGE_DECOMPRESS_H

#include <stdint.h>

#include "basic/cleanup.h"
#include "basic/macro.h"
#include "image/stream.h"

enum vg_compression {
	VG_COMPRESSION_NONE,
	VG_COMPRESSION_GZIP,
	VG_COMPRESSION_ZSTD,
};

struct vg_decomp;

/**
 * vg_decomp_new() - wraps @in/@in_ctx (borrowed, must outlive the reader). Reads the first
 * bytes to detect the format. @max_out 0 means VG_LAYER_BYTES_MAX.
 */
VG_MUST_CHECK int vg_decomp_new(vg_read_fn *in, void *in_ctx, uint64_t max_out,
				struct vg_decomp **ret);
/** vg_decomp_read() - a vg_read_fn over the decompressed bytes (ctx is the vg_decomp). */
ssize_t vg_decomp_read(void *d, void *buf, size_t n);
enum vg_compression vg_decomp_kind(const struct vg_decomp *d);
/** vg_decomp_total_out() - decompressed bytes returned so far. */
uint64_t vg_decomp_total_out(const struct vg_decomp *d);
/** vg_decomp_free() - frees @d (NULL is fine); returns NULL. */
struct vg_decomp *vg_decomp_free(struct vg_decomp *d);
DEFINE_CLEANUP_FUNC(struct vg_decomp *, vg_decomp_free)

const char *vg_compression_name(enum vg_compression c);

#endif /* VG_IMAGE_DECOMPRESS_H */
