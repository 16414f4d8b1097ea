/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ZIP reader over an in-memory archive (PKWARE APPNOTE 6.3): Java archives found in images,
 * OSV per-ecosystem all.zip feeds. Only zlib's raw inflate is used.
 *
 * - vg_zip_open() finds the end of central directory record (back-scan bounded by
 *   VG_ZIP_EOCD_SCAN_MAX), follows the ZIP64 locator and record when present, and validates
 *   the whole central directory once: entry count (at most VG_ZIP_ENTRIES_MAX), record
 *   bounds, ZIP64 extra fields, and that every entry's data lies inside the archive, before
 *   the central directory, without overlapping another entry (overlapping entries are the
 *   "zip bomb without recursion" construction). Bytes before the archive (a launcher script
 *   or an SFX stub, as in Spring Boot "fully executable" jars) are accounted for, as Java
 *   and Info-ZIP do. Multi-disk archives are refused.
 * - vg_zip_next() iterates the central directory entries in order.
 * - vg_zip_read*() check the local header against the central directory (signature, name,
 *   method, and CRC and sizes when no data descriptor is used), inflate (method 8) or copy
 *   (method 0) the data bounded by a caller maximum, and verify the size and the CRC-32.
 *
 * Names are reported as stored (no normalisation: "../x", "/abs", "a\\b" come back as they
 * are); callers decide what a name means. Nothing here prints.
 */
#ifndef VG_SHARED_ZIP_H
#define VG_SHARED_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/limits.h"
#include "basic/macro.h"

#define VG_ZIP_METHOD_STORED   0
#define VG_ZIP_METHOD_DEFLATE  8

#define VG_ZIP_FLAG_ENCRYPTED  0x0001 /* traditional PKWARE encryption */
#define VG_ZIP_FLAG_DESCRIPTOR 0x0008 /* sizes and CRC follow the data */
#define VG_ZIP_FLAG_STRONG_ENC 0x0040 /* strong encryption */

struct vg_zip {
	const uint8_t *data; /* the archive (not owned unless mapped) */
	size_t size;
	uint64_t base; /* bytes in front of the archive (offsets in it are relative to this) */
	uint64_t cd_offset; /* central directory, offset in data */
	uint64_t cd_size;
	uint64_t n_entries;
	bool zip64; /* a ZIP64 end record was used */
	void *map; /* vg_zip_open_file(): the mapping to unmap */
	size_t map_len;
};

struct vg_zip_entry {
	char name[VG_ZIP_NAME_MAX + 1]; /* NUL-terminated copy; see name_len */
	size_t name_len; /* stored length; strlen(name) < name_len when the name holds a NUL */
	uint64_t index; /* position in the central directory, from 0 */
	uint64_t local_offset; /* local file header, offset in vg_zip.data */
	uint64_t comp_size;
	uint64_t size; /* uncompressed size, as declared */
	uint32_t crc32;
	uint16_t method; /* VG_ZIP_METHOD_* or another APPNOTE method number */
	uint16_t flags; /* general purpose bit flag, VG_ZIP_FLAG_* */
	uint32_t external_attr; /* MS-DOS / Unix mode bits, as stored */
	bool is_dir; /* the name ends with '/' */
};

/* Iteration cursor over the central directory. Zero-initialise, or use vg_zip_iter_init(). */
struct vg_zip_iter {
	uint64_t pos; /* offset of the next record in vg_zip.data */
	uint64_t index;
	int error; /* sticky structural error */
};

/**
 * vg_zip_open() - validates the archive in @data (@size bytes) and fills @z. @data must stay
 * valid while @z is used; nothing is allocated that outlives the call. Returns 0;
 * -EBADMSG when there is no end record or the central directory is inconsistent
 * (truncated, out of bounds, entries overlapping or past the central directory, a ZIP64
 * field missing), -E2BIG past VG_ZIP_ENTRIES_MAX entries, -EOPNOTSUPP for multi-disk
 * archives, -ENOMEM.
 */
VG_MUST_CHECK int vg_zip_open(struct vg_zip *z, const void *data, size_t size);

/**
 * vg_zip_open_file() - maps the file at @path read-only (private mapping, at most
 * VG_ZIP_FILE_MAX bytes) and opens it with vg_zip_open(). vg_zip_close() unmaps it.
 * Returns the vg_zip_open() errors, -E2BIG past the size limit, or a negative errno from
 * open/fstat/mmap. On error nothing stays mapped.
 */
VG_MUST_CHECK int vg_zip_open_file(struct vg_zip *z, const char *path);

/** vg_zip_close() - unmaps what vg_zip_open_file() mapped; @z may come from vg_zip_open(). */
void vg_zip_close(struct vg_zip *z);

/** vg_zip_iter_init() - positions @it before the first entry of @z. */
void vg_zip_iter_init(const struct vg_zip *z, struct vg_zip_iter *it);

/**
 * vg_zip_next() - the next central directory entry into @ret. Returns 1 with an entry, 0 at
 * the end, -EBADMSG for an inconsistent record (sticky: later calls return it again),
 * -ENAMETOOLONG for a name longer than VG_ZIP_NAME_MAX (the iterator has moved past that
 * entry: the next call continues with the following one).
 */
VG_MUST_CHECK int vg_zip_next(const struct vg_zip *z, struct vg_zip_iter *it,
			      struct vg_zip_entry *ret);

/**
 * vg_zip_find() - the first entry named exactly @name (byte comparison). Linear in the
 * number of entries. Returns 1 when found, 0 when absent, or a vg_zip_next() error.
 */
VG_MUST_CHECK int vg_zip_find(const struct vg_zip *z, const char *name, struct vg_zip_entry *ret);

/**
 * vg_zip_read() - the uncompressed data of @e into @buf (@bufsize bytes), its length into
 * *@ret_len. Returns 0; -E2BIG when the entry is larger than @bufsize (decided from the
 * declared size, and again while inflating: a lying size never writes past @bufsize);
 * -EBADMSG when the local header is outside the archive or disagrees with the central
 * directory, the data is corrupt or its length differs from the declared size, or the
 * CRC-32 does not match; -EOPNOTSUPP for encrypted entries and methods other than stored
 * and deflate; -ENOMEM.
 */
VG_MUST_CHECK int vg_zip_read(const struct vg_zip *z, const struct vg_zip_entry *e, void *buf,
			      size_t bufsize, size_t *ret_len);

/**
 * vg_zip_read_alloc() - like vg_zip_read() into a new buffer of the entry's size plus a
 * terminating NUL (not counted in *@ret_len), the entry being at most @max bytes
 * (-E2BIG otherwise). The buffer grows as data arrives, so a false huge declared size
 * does not allocate it up front. The caller frees *@ret.
 */
VG_MUST_CHECK int vg_zip_read_alloc(const struct vg_zip *z, const struct vg_zip_entry *e,
				    size_t max, char **ret, size_t *ret_len);

/**
 * vg_zip_read_view() - the entry's data without a copy when it is stored (*@ret points
 * into the archive, *@ret_owned = NULL), else vg_zip_read_alloc() (*@ret_owned is the
 * buffer to free, equal to *@ret). Same checks (CRC included) and errors as
 * vg_zip_read_alloc().
 */
VG_MUST_CHECK int vg_zip_read_view(const struct vg_zip *z, const struct vg_zip_entry *e, size_t max,
				   const uint8_t **ret, size_t *ret_len, void **ret_owned);

/**
 * vg_zlib_inflate() - inflates zlib-wrapped data (RFC 1950, not a ZIP entry) of @n bytes into
 * a new NUL-terminated buffer, at most @max bytes (the buffer grows as data arrives).
 * Returns 0; -E2BIG past @max (or @n > UINT_MAX); -EBADMSG for corrupt or truncated data;
 * -ENOMEM. The caller frees *@ret.
 */
VG_MUST_CHECK int vg_zlib_inflate(const void *src, size_t n, size_t max, char **ret,
				  size_t *ret_len);

#endif /* VG_SHARED_ZIP_H */
