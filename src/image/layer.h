/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layer walker and the in-memory file index of an image. Layers are streamed (never
 * extracted) in order, bottom first; OCI whiteouts are applied: ".wh.NAME" hides NAME (and
 * everything under it) from lower layers, ".wh..wh..opq" hides every lower-layer child of its
 * directory. Paths are normalised to "a/b/c" relative to the image root; an entry whose path
 * (or hardlink target) would leave the root is dropped and counted. Every version of every
 * path stays in the index with the layer that added it and the layer that removed it, so
 * analyzers can ask for the final view or for everything ever shipped (secret scanning).
 * Links are recorded, never followed on the host: vg_fs_resolve() follows them inside the
 * index only. A directory replaced by a non-directory in an upper layer hides its lower
 * children only if the directory had an entry of its own (docker/OCI exporters always write
 * one); directories implied by deeper paths are not tracked.
 */
#ifndef VG_IMAGE_LAYER_H
#define VG_IMAGE_LAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/hashmap.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "image/stream.h"
#include "image/tar.h"

struct vg_file {
	const char *path; /* normalised, relative to the root, no leading '/' */
	const char *link; /* symlink target as stored, hardlink target normalised; NULL else */
	enum vg_tar_type type;
	uint32_t mode;
	uint64_t size;
	uint64_t uid, gid;
	int64_t mtime;
	unsigned layer; /* layer that added this version */
	int deleted_by; /* -1 while visible, else the layer that removed or replaced it */
};

/* A whiteout seen in a layer (kept for reports: "layer 3 deleted etc/shadow"). */
struct vg_whiteout {
	const char *path; /* the hidden path, or the opaque directory */
	unsigned layer;
	bool opaque;
};

struct vg_fs {
	struct vg_arena arena; /* paths and vg_file records */
	struct vg_hashmap live; /* path -> struct vg_file *: the final view */
	struct vg_vec all; /* struct vg_file *: every version, in walk order */
	struct vg_vec whiteouts; /* struct vg_whiteout, in walk order */
	unsigned n_layers;
	uint64_t n_entries; /* tar entries seen, all layers */
	uint64_t n_whiteouts; /* ".wh.NAME" entries */
	uint64_t n_opaque; /* ".wh..wh..opq" entries */
	uint64_t n_dropped; /* entries dropped: path escapes the root, bad whiteout names */
	uint64_t n_replaced; /* versions replaced by the same path later (same or upper layer) */
	char err[224];
};

/*
 * Called for every regular file kept in the index, while the walker is positioned on it:
 * vg_tar_read(@t, ...) reads its content (reading is optional). A negative return aborts the
 * walk with that error.
 */
typedef int vg_layer_file_fn(void *userdata, const struct vg_file *f, struct vg_tar *t);

void vg_fs_init(struct vg_fs *fs);
void vg_fs_done(struct vg_fs *fs);

/**
 * vg_layer_walk() - reads one (decompressed) layer tar from @read/@ctx as the next layer
 * (index fs->n_layers) and applies it to @fs. @cb may be NULL. Returns the layer index,
 * -EBADMSG/-E2BIG/... from the tar reader (message in fs->err), -E2BIG past
 * VG_IMAGE_LAYERS_MAX / VG_IMAGE_FILES_MAX / VG_IMAGE_INDEX_BYTES_MAX, or @cb's error.
 */
VG_MUST_CHECK int vg_layer_walk(struct vg_fs *fs, vg_read_fn *read, void *ctx, vg_layer_file_fn *cb,
				void *userdata);

/*
 * Building a layer from something other than a tar stream (a root filesystem directory):
 * vg_layer_begin(), vg_layer_add() per entry (paths as in a tar; @content, may be NULL, is
 * a vg_tar whose vg_tar_read() returns the file's bytes, handed to the callback), then
 * vg_layer_end() (applies whiteouts, returns the layer index) or vg_layer_abort().
 */
struct vg_layer;
VG_MUST_CHECK int vg_layer_begin(struct vg_fs *fs, vg_layer_file_fn *cb, void *userdata,
				 struct vg_layer **ret);
VG_MUST_CHECK int vg_layer_add(struct vg_layer *l, const struct vg_tar_entry *e,
			       struct vg_tar *content);
VG_MUST_CHECK int vg_layer_end(struct vg_layer *l);
void vg_layer_abort(struct vg_layer *l);

/** vg_fs_get() - the visible entry at normalised @path ("etc/passwd"), or NULL. */
const struct vg_file *vg_fs_get(const struct vg_fs *fs, const char *path);

/**
 * vg_fs_resolve() - looks @path up (any form: "/etc/x", "etc/./x") following symlinks in
 * every component and hardlinks at the end, inside the image only: ".." stops at the root
 * and absolute targets start at the image root. Returns 0 with the borrowed entry in *ret,
 * -ENOENT, -ELOOP after VG_SYMLINK_HOPS_MAX links, -ENAMETOOLONG.
 */
VG_MUST_CHECK int vg_fs_resolve(const struct vg_fs *fs, const char *path,
				const struct vg_file **ret);

/**
 * vg_image_path_normalize() - "./a//b/../c/" -> "a/c" into @buf. Leading '/' are ignored.
 * Returns the length (0 for the root), -EXDEV if ".." would leave the root, -ENAMETOOLONG.
 */
VG_MUST_CHECK int vg_image_path_normalize(const char *in, char *buf, size_t size);

#endif /* VG_IMAGE_LAYER_H */
