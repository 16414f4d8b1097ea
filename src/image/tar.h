/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming tar reader over a vg_read_fn: ustar, GNU ("ustar  ") and v7 headers, pax
 * extended headers (path, linkpath, size, uid, gid, mtime), GNU long name/link ('L'/'K'),
 * base-256 numbers. Nothing is extracted: entries are returned one at a time and their
 * content is read (or skipped) through the same stream. Every size is bounded by limits.h;
 * malformed input is -EBADMSG and a bound exceeded is -E2BIG, with a message
 * "tar: ... at offset N" in vg_tar_error(). Errors are sticky.
 */
#ifndef VG_IMAGE_TAR_H
#define VG_IMAGE_TAR_H

#include <stdbool.h>
#include <stdint.h>

#include "basic/limits.h"
#include "basic/macro.h"
#include "image/stream.h"

enum vg_tar_type {
	VG_TAR_FILE,
	VG_TAR_DIR,
	VG_TAR_SYMLINK,
	VG_TAR_HARDLINK,
	VG_TAR_CHAR,
	VG_TAR_BLOCK,
	VG_TAR_FIFO,
	VG_TAR_OTHER, /* sparse, volume labels, unknown type flags */
	VG_TAR_TYPE__MAX,
};

struct vg_tar_entry {
	const char *path; /* as stored (not normalised), borrowed from the reader */
	const char *link; /* symlink/hardlink target, "" otherwise */
	enum vg_tar_type type;
	char typeflag; /* raw type byte */
	uint32_t mode; /* permission bits (07777) */
	uint64_t size; /* content bytes (0 for header-only types) */
	uint64_t uid, gid;
	int64_t mtime;
	uint64_t offset; /* stream offset of the entry's (first) header */
};

struct vg_tar {
	vg_read_fn *read;
	void *ctx;
	uint64_t offset; /* bytes consumed from the stream */
	uint64_t remaining; /* content bytes of the current entry not yet read */
	uint64_t padding; /* padding bytes after the content */
	uint64_t n_entries; /* entries returned */
	int error; /* sticky error */
	bool eof;
	struct vg_tar_entry entry;
	char path[VG_PATH_MAX + 1];
	char link[VG_PATH_MAX + 1];
	char errmsg[160];
};

/** vg_tar_init() - prepares @t to read from @read/@ctx (borrowed). */
void vg_tar_init(struct vg_tar *t, vg_read_fn *read, void *ctx);

/**
 * vg_tar_next() - skips what is left of the current entry and reads the next header.
 * Returns 1 with *ret pointing at the entry (valid until the next call), 0 at the end of the
 * archive (two zero blocks, one zero block then EOF, or EOF at a header boundary),
 * -EBADMSG for malformed or truncated input, -E2BIG past a limit, or the read error.
 */
VG_MUST_CHECK int vg_tar_next(struct vg_tar *t, const struct vg_tar_entry **ret);

/**
 * vg_tar_read() - reads content of the current entry; a vg_read_fn (ctx is the vg_tar).
 * Returns bytes read, 0 at the end of the entry, or a negative errno (-EBADMSG if the
 * stream ends inside the content).
 */
ssize_t vg_tar_read(void *t, void *buf, size_t n);

/** vg_tar_error() - the message for the last error ("" if none). */
const char *vg_tar_error(const struct vg_tar *t);

/** vg_tar_type_name() - "file", "dir", "symlink", ... */
const char *vg_tar_type_name(enum vg_tar_type type);

#endif /* VG_IMAGE_TAR_H */
