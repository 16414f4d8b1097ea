/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A reader that runs another reader in a thread of its own: the producer reads ahead into a
 * small ring of chunks (bounded memory) while the consumer takes the bytes out through
 * vg_prefetch_read(). Image layers use it so decompression and the blob digest run on one
 * core while the layer walker, the diff_id digest and the analyzers run on another, and so
 * the next layers decode while the current one is walked.
 */
#ifndef VG_IMAGE_PREFETCH_H
#define VG_IMAGE_PREFETCH_H

#include <stddef.h>
#include <sys/types.h>

#include "basic/cleanup.h"
#include "basic/macro.h"
#include "image/stream.h"

struct vg_prefetch;

/**
 * vg_prefetch_start() - starts a thread reading @read/@ctx until end of stream or error,
 * into @n_chunks buffers of @chunk_size bytes. Everything @read touches belongs to that
 * thread until vg_prefetch_stop() returns. Returns 0, -ENOMEM, or the pthread error.
 */
VG_MUST_CHECK int vg_prefetch_start(vg_read_fn *read, void *ctx, size_t chunk_size,
				    unsigned n_chunks, struct vg_prefetch **ret);

/**
 * vg_prefetch_read() - the consumer side, a vg_read_fn: the producer's bytes in order, then
 * 0 at its end of stream, or the producer's negative errno where it happened.
 */
ssize_t vg_prefetch_read(void *ctx, void *buf, size_t n);

/**
 * vg_prefetch_stop() - tells the producer to stop (if it has not finished), waits for it and
 * frees @p. NULL is fine. Returns NULL.
 */
struct vg_prefetch *vg_prefetch_stop(struct vg_prefetch *p);
DEFINE_CLEANUP_FUNC(struct vg_prefetch *, vg_prefetch_stop)

#endif /* VG_IMAGE_PREFETCH_H */
