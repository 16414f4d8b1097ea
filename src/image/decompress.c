/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decompressing reader over ISA-L's igzip inflate (gzip, several times faster than zlib's
 * inflate on image layers) and libzstd (streaming API).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "basic/limits.h"
#include "image/decompress.h"

#define INBUF (128 * 1024)

struct vg_decomp {
	vg_read_fn *in;
	void *in_ctx;
	enum vg_compression kind;
	uint64_t max_out, total_out;
	int error;
	bool in_eof;
	bool member_done; /* gzip: the last member ended at a clean boundary */
	bool frame_done; /* zstd: last ZSTD_decompressStream returned 0 */
	struct inflate_state *isal;
	ZSTD_DStream *zs;
	unsigned char *buf; /* input buffer */
	size_t pos, len; /* unread input is buf[pos, len) */
};

const char *vg_compression_name(enum vg_compression c)
{
	switch (c) {
	case VG_COMPRESSION_GZIP:
		return "gzip";
	case VG_COMPRESSION_ZSTD:
		return "zstd";
	default:
		return "none";
	}
}

static int fill(struct vg_decomp *d)
{
	ssize_t k;

	if (d->pos < d->len || d->in_eof)
		return 0;
	d->pos = d->len = 0;
	k = d->in(d->in_ctx, d->buf, INBUF);
	if (k < 0)
		return (int)k;
	if (k == 0)
		d->in_eof = true;
	if ((size_t)k > INBUF)
		return -EIO;
	d->len = (size_t)k;
	return 0;
}

struct vg_decomp *vg_decomp_free(struct vg_decomp *d)
{
	if (!d)
		return NULL;
	free(d->isal);
	ZSTD_freeDStream(d->zs);
	free(d->buf);
	free(d);
	return NULL;
}

int vg_decomp_new(vg_read_fn *in, void *in_ctx, uint64_t max_out, struct vg_decomp **ret)
{
	cleanup(vg_decomp_freep) struct vg_decomp *d = calloc(1, sizeof(*d));
	int r;

	if (!d)
		return -ENOMEM;
	d->in = in;
	d->in_ctx = in_ctx;
	d->max_out = max_out ? max_out : VG_LAYER_BYTES_MAX;
	d->buf = calloc(1, INBUF);
	if (!d->buf)
		return -ENOMEM;
	/* Get at least 4 bytes for the magic (the source may return short reads). */
	while (d->len < 4 && !d->in_eof) {
		ssize_t k = in(in_ctx, d->buf + d->len, INBUF - d->len);

		if (k < 0)
			return (int)k;
		if ((size_t)k > INBUF - d->len)
			return -EIO;
		if (k == 0)
			d->in_eof = true;
		d->len += (size_t)k;
	}
	if (d->len >= 2 && d->buf[0] == 0x1f && d->buf[1] == 0x8b) {
		d->kind = VG_COMPRESSION_GZIP;
		d->isal = malloc(sizeof(*d->isal));
		if (!d->isal)
			return -ENOMEM;
		isal_inflate_init(d->isal);
		d->isal->crc_flag = ISAL_GZIP; /* parse the header, verify CRC-32 and size */
	} else if (d->len >= 4 && memcmp(d->buf, "\x28\xb5\x2f\xfd", 4) == 0) {
		d->kind = VG_COMPRESSION_ZSTD;
		d->zs = ZSTD_createDStream();
		if (!d->zs)
			return -ENOMEM;
		/* Bound the window (memory) a hostile frame can ask for: 128 MiB. */
		if (ZSTD_isError(ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, 27)))
			return -ENOMEM;
	}
	r = 0;
	*ret = TAKE_PTR(d);
	return r;
}

enum vg_compression vg_decomp_kind(const struct vg_decomp *d)
{
	return d->kind;
}

uint64_t vg_decomp_total_out(const struct vg_decomp *d)
{
	return d->total_out;
}

static bool rest_is_zero(const struct vg_decomp *d)
{
	for (size_t i = d->pos; i < d->len; i++)
		if (d->buf[i])
			return false;
	return true;
}

static ssize_t read_gzip(struct vg_decomp *d, void *out, size_t n)
{
	struct inflate_state *st = d->isal;

	st->next_out = out;
	st->avail_out = (uint32_t)VG_MIN(n, (size_t)UINT32_MAX);
	for (;;) {
		size_t before;
		int r, ir;

		r = fill(d);
		if (r < 0)
			return r;
		if (d->member_done) {
			/* Between members: another member, trailing zero padding, or the end. */
			if (d->pos == d->len && d->in_eof)
				return 0;
			if (d->pos == d->len)
				continue;
			if (d->buf[d->pos] != 0x1f) {
				if (!rest_is_zero(d))
					return -EBADMSG; /* trailing garbage */
				d->pos = d->len;
				continue;
			}
			isal_inflate_reset(st);
			st->crc_flag = ISAL_GZIP;
			d->member_done = false;
		}
		if (d->pos == d->len && d->in_eof)
			return -EBADMSG; /* truncated member */
		before = d->pos;
		st->next_in = d->buf + d->pos;
		st->avail_in = (uint32_t)(d->len - d->pos);
		ir = isal_inflate(st);
		d->pos = d->len - st->avail_in;
		if (ir < 0 || ir == ISAL_NEED_DICT)
			return -EBADMSG;
		if (st->block_state == ISAL_BLOCK_FINISH)
			d->member_done = true;
		if (st->next_out != (uint8_t *)out)
			return (ssize_t)(st->next_out - (uint8_t *)out);
		if (!d->member_done && d->pos == before)
			return -EBADMSG; /* no progress with input available */
	}
}

static ssize_t read_zstd(struct vg_decomp *d, void *out, size_t n)
{
	ZSTD_outBuffer ob = {.dst = out, .size = n, .pos = 0};

	for (;;) {
		ZSTD_inBuffer ib;
		size_t zr;
		int r = fill(d);

		if (r < 0)
			return r;
		if (d->pos == d->len && d->in_eof) {
			if (ob.pos > 0)
				return (ssize_t)ob.pos;
			if (d->frame_done)
				return 0; /* zr == 0 said the frame is complete and flushed */
			/* Flush what the decoder still holds, then require a frame end. */
			ib = (ZSTD_inBuffer){.src = d->buf, .size = 0, .pos = 0};
			zr = ZSTD_decompressStream(d->zs, &ob, &ib);
			if (ZSTD_isError(zr))
				return -EBADMSG;
			d->frame_done = zr == 0;
			if (ob.pos > 0)
				return (ssize_t)ob.pos;
			return d->frame_done ? 0 : -EBADMSG;
		}
		ib = (ZSTD_inBuffer){.src = d->buf + d->pos, .size = d->len - d->pos, .pos = 0};
		zr = ZSTD_decompressStream(d->zs, &ob, &ib);
		d->pos += ib.pos;
		if (ZSTD_isError(zr))
			return ZSTD_getErrorCode(zr) == ZSTD_error_memory_allocation ? -ENOMEM
			       : ZSTD_getErrorCode(zr) == ZSTD_error_frameParameter_windowTooLarge
				       ? -E2BIG
				       : -EBADMSG;
		d->frame_done = zr == 0;
		if (ob.pos > 0)
			return (ssize_t)ob.pos;
	}
}

static ssize_t read_plain(struct vg_decomp *d, void *out, size_t n)
{
	if (d->pos < d->len) {
		size_t k = VG_MIN(n, d->len - d->pos);

		memcpy(out, d->buf + d->pos, k);
		d->pos += k;
		return (ssize_t)k;
	}
	if (d->in_eof)
		return 0;
	ssize_t k = d->in(d->in_ctx, out, n);
	if (k > 0 && (size_t)k > n)
		return -EIO;
	if (k == 0)
		d->in_eof = true;
	return k;
}

ssize_t vg_decomp_read(void *ctx, void *buf, size_t n)
{
	struct vg_decomp *d = ctx;
	ssize_t k;

	if (d->error)
		return d->error;
	if (n == 0)
		return 0;
	/* Never hand out more than the cap allows, plus one byte to detect crossing it. */
	if (d->max_out - d->total_out < UINT64_MAX && n > d->max_out - d->total_out + 1)
		n = (size_t)(d->max_out - d->total_out + 1);
	switch (d->kind) {
	case VG_COMPRESSION_GZIP:
		k = read_gzip(d, buf, n);
		break;
	case VG_COMPRESSION_ZSTD:
		k = read_zstd(d, buf, n);
		break;
	default:
		k = read_plain(d, buf, n);
		break;
	}
	if (k < 0) {
		d->error = (int)k;
		return k;
	}
	d->total_out += (uint64_t)k;
	if (d->total_out > d->max_out) {
		d->error = -E2BIG;
		return -E2BIG;
	}
	return k;
}
