/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image sources: a docker archive (`docker save`, gzip or not), an OCI image layout directory
 * (index.json, nested indexes, ref.name tag selection) or an OCI archive (a tar of a layout).
 * Every layer is streamed once through blob digest -> decompression -> diff_id digest ->
 * the layer walker; digests are verified (OCI blob digests, config rootfs.diff_ids, docker
 * config file name) and a mismatch is -EBADMSG with a message naming the layer.
 */
#ifndef VG_IMAGE_SOURCE_H
#define VG_IMAGE_SOURCE_H

#include <stdint.h>

#include "basic/macro.h"
#include "image/layer.h"
#include "shared/json.h"

enum vg_image_kind {
	VG_IMAGE_DOCKER_ARCHIVE,
	VG_IMAGE_OCI_DIR,
	VG_IMAGE_OCI_ARCHIVE,
	VG_IMAGE_ROOTFS, /* an unpacked root filesystem directory: one layer, no config */
	VG_IMAGE_DOCKER, /* docker:NAME[:TAG], exported by the local engine (a docker archive) */
	VG_IMAGE_KIND__MAX,
};

#define VG_DIGEST_STR_MAX 72 /* "sha256:" + 64 hex + NUL */

struct vg_image {
	enum vg_image_kind kind;
	char config_digest[VG_DIGEST_STR_MAX]; /* image ID: sha256 of the config JSON */
	char *ref; /* RepoTags[0] or the OCI ref.name, may be NULL */
	json_t *config; /* the image config (NULL for a rootfs) */
	unsigned n_layers;
	char (*diff_ids)[VG_DIGEST_STR_MAX]; /* verified, one per layer */
	struct vg_fs fs; /* all layers applied */
};

struct vg_image_opts {
	vg_layer_file_fn *cb; /* called for every regular file of every layer (may be NULL) */
	void *userdata;
	uint64_t max_layer_bytes; /* decompressed bytes per layer; 0 = VG_LAYER_BYTES_MAX */
	const char *docker_socket; /* docker: engine socket; NULL = vg_docker_socket() */
};

/**
 * vg_image_open() - reads the image at @target: "archive:FILE[:TAG]", "oci:DIR[:TAG]",
 * "oci-archive:FILE[:TAG]", "dir:PATH", "docker:NAME[:TAG]" or a bare path (auto-detected). @opts may be NULL.
 * On error writes a message to @err. Returns 0 and a new image in *ret (free with
 * vg_image_free()).
 */
VG_MUST_CHECK int vg_image_open(const char *target, const struct vg_image_opts *opts,
				struct vg_image **ret, char *err, size_t errsize);
struct vg_image *vg_image_free(struct vg_image *img);
DEFINE_CLEANUP_FUNC(struct vg_image *, vg_image_free)

const char *vg_image_kind_name(enum vg_image_kind kind);

/**
 * vg_digest_parse() - checks that @s is "sha256:<64 lowercase hex>"; returns 0, -EOPNOTSUPP
 * for another algorithm, -EBADMSG if malformed. Safe to build blob paths from afterwards.
 */
VG_MUST_CHECK int vg_digest_parse(const char *s);

#endif /* VG_IMAGE_SOURCE_H */
