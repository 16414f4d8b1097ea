/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: a small ZIP writer (stored or deflate via zlib, optional ZIP64 end records and
 * extra fields, data descriptors, a prefix before the archive) so tests build their archives
 * at run time. Independent of src/shared/zip.c: written from APPNOTE, not from the reader.
 * Aborts on allocation failure (tests only).
 */
#ifndef VG_TESTS_ZIP_WRITER_H
#define VG_TESTS_ZIP_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ZW_ZIP64      0x1 /* sizes and offset through a ZIP64 extra field in the central record */
#define ZW_DESCRIPTOR 0x2 /* local header without CRC/sizes, data descriptor after the data */

struct zw_entry {
	char *name;
	uint32_t crc;
	uint64_t csize, usize, offset;
	uint16_t method, flags;
	unsigned opts;
};

struct zw {
	uint8_t *buf;
	size_t len, cap;
	size_t prefix; /* bytes before the archive proper */
	struct zw_entry *e;
	size_t n, ecap;
};

static inline void zw_need(struct zw *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
	while (w->len + n > w->cap)
		w->cap = w->cap ? w->cap * 2 : 4096;
	w->buf = realloc(w->buf, w->cap);
	if (!w->buf)
		abort();
}

static inline void zw_bytes(struct zw *w, const void *p, size_t n)
{
	zw_need(w, n);
	if (n)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static inline void zw_u16(struct zw *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

	zw_bytes(w, b, 2);
}

static inline void zw_u32(struct zw *w, uint32_t v)
{
	zw_u16(w, (uint16_t)v);
	zw_u16(w, (uint16_t)(v >> 16));
}

static inline void zw_u64(struct zw *w, uint64_t v)
{
	zw_u32(w, (uint32_t)v);
	zw_u32(w, (uint32_t)(v >> 32));
}

static inline void zw_init(struct zw *w)
{
	memset(w, 0, sizeof(*w));
}

static inline void zw_done(struct zw *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->e[i].name);
	free(w->e);
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

/* Bytes before the archive (a launcher script); call before any zw_add(). */
static inline void zw_prefix(struct zw *w, const void *p, size_t n)
{
	zw_bytes(w, p, n);
	w->prefix = n;
}

/* Raw deflate of @data into a new buffer. */
static inline uint8_t *zw_deflate(const void *data, size_t n, size_t *ret_len)
{
	z_stream s = {0};
	uLong bound;
	uint8_t *out;

	if (deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	bound = deflateBound(&s, (uLong)n);
	out = malloc(bound + 1);
	if (!out)
		abort();
	s.next_in = (Bytef *)(uintptr_t)data;
	s.avail_in = (uInt)n;
	s.next_out = out;
	s.avail_out = (uInt)bound;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END)
		abort();
	*ret_len = s.total_out;
	deflateEnd(&s);
	return out;
}

/* Adds one entry: @method 0 (stored) or 8 (deflate); @opts ZW_*. Returns its index. */
static inline size_t zw_add(struct zw *w, const char *name, const void *data, size_t n,
			    uint16_t method, unsigned opts)
{
	struct zw_entry *e;
	uint8_t *comp = NULL;
	const uint8_t *payload = data;
	size_t clen = n;

	if (w->n == w->ecap) {
		w->ecap = w->ecap ? w->ecap * 2 : 16;
		w->e = realloc(w->e, w->ecap * sizeof(*w->e));
		if (!w->e)
			abort();
	}
	if (method == 8) {
		comp = zw_deflate(data, n, &clen);
		payload = comp;
	}
	e = &w->e[w->n++];
	e->name = strdup(name);
	if (!e->name)
		abort();
	e->crc = (uint32_t)crc32(crc32(0, Z_NULL, 0), data, (uInt)n);
	e->csize = clen;
	e->usize = n;
	e->offset = w->len - w->prefix;
	e->method = method;
	e->flags = (opts & ZW_DESCRIPTOR) ? 0x8 : 0;
	e->opts = opts;

	zw_u32(w, 0x04034b50);
	zw_u16(w, 20);
	zw_u16(w, e->flags);
	zw_u16(w, method);
	zw_u16(w, 0);
	zw_u16(w, 0x21);
	zw_u32(w, (opts & ZW_DESCRIPTOR) ? 0 : e->crc);
	zw_u32(w, (opts & ZW_DESCRIPTOR) ? 0 : (uint32_t)clen);
	zw_u32(w, (opts & ZW_DESCRIPTOR) ? 0 : (uint32_t)n);
	zw_u16(w, (uint16_t)strlen(name));
	zw_u16(w, 0);
	zw_bytes(w, name, strlen(name));
	zw_bytes(w, payload, clen);
	if (opts & ZW_DESCRIPTOR) {
		zw_u32(w, 0x08074b50);
		zw_u32(w, e->crc);
		zw_u32(w, (uint32_t)clen);
		zw_u32(w, (uint32_t)n);
	}
	free(comp);
	return w->n - 1;
}

/* Central directory and end records; @zip64 adds the ZIP64 end record and locator. */
static inline void zw_finish(struct zw *w, bool zip64)
{
	uint64_t cd_start = w->len - w->prefix, cd_size, eocd64;

	for (size_t i = 0; i < w->n; i++) {
		struct zw_entry *e = &w->e[i];
		bool z64 = e->opts & ZW_ZIP64;

		zw_u32(w, 0x02014b50);
		zw_u16(w, 0x031e); /* made by: Unix, 3.0 */
		zw_u16(w, z64 ? 45 : 20);
		zw_u16(w, e->flags);
		zw_u16(w, e->method);
		zw_u16(w, 0);
		zw_u16(w, 0x21);
		zw_u32(w, e->crc);
		zw_u32(w, z64 ? 0xffffffffu : (uint32_t)e->csize);
		zw_u32(w, z64 ? 0xffffffffu : (uint32_t)e->usize);
		zw_u16(w, (uint16_t)strlen(e->name));
		zw_u16(w, z64 ? 28 : 0);
		zw_u16(w, 0);
		zw_u16(w, 0);
		zw_u16(w, 0);
		zw_u32(w, 0100644u << 16);
		zw_u32(w, z64 ? 0xffffffffu : (uint32_t)e->offset);
		zw_bytes(w, e->name, strlen(e->name));
		if (z64) {
			zw_u16(w, 0x0001);
			zw_u16(w, 24);
			zw_u64(w, e->usize);
			zw_u64(w, e->csize);
			zw_u64(w, e->offset);
		}
	}
	cd_size = w->len - w->prefix - cd_start;
	eocd64 = w->len - w->prefix;
	if (zip64) {
		zw_u32(w, 0x06064b50);
		zw_u64(w, 44);
		zw_u16(w, 45);
		zw_u16(w, 45);
		zw_u32(w, 0);
		zw_u32(w, 0);
		zw_u64(w, w->n);
		zw_u64(w, w->n);
		zw_u64(w, cd_size);
		zw_u64(w, cd_start);
		zw_u32(w, 0x07064b50);
		zw_u32(w, 0);
		zw_u64(w, eocd64);
		zw_u32(w, 1);
	}
	zw_u32(w, 0x06054b50);
	zw_u16(w, 0);
	zw_u16(w, 0);
	zw_u16(w, zip64 ? 0xffff : (uint16_t)w->n);
	zw_u16(w, zip64 ? 0xffff : (uint16_t)w->n);
	zw_u32(w, zip64 ? 0xffffffffu : (uint32_t)cd_size);
	zw_u32(w, zip64 ? 0xffffffffu : (uint32_t)cd_start);
	zw_u16(w, 0);
}

#endif /* VG_TESTS_ZIP_WRITER_H */
