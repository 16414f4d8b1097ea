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

#include "basic/macro.h"
#include "image/layer.h"
#include "shared/json.h"

enum vg_image_kind {
	VG_IMAGE_DOCKER_ARCHIVE,
	VG_IMAGE_OCI_DIR,
	VG_IMAGE_OCI_ARCHIVE,
	VG_IMAGE_KIND__MAX,
};

#define VG_DIGEST_STR_MAX 72 /* "sha256:" + 64 hex + NUL */

struct vg_image {
	enum vg_image_kind kind;
	char config_digest[VG_DIGEST_STR_MAX]; /* image ID: sha256 of the config JSON */
	char *ref;                             /* RepoTags[0] or the OCI ref.name, may be NULL */
	json_t *config;                        /* the image config */
	unsigned n_layers;
	char (*diff_ids)[VG_DIGEST_STR_MAX];   /* verified, one per layer */
	struct vg_fs fs;                       /* all layers applied */
};

/**
 * vg_image_open() - reads the image at @target: "archive:FILE", "oci:DIR[:TAG]",
 * "oci-archive:FILE[:TAG]" or a bare path (auto-detected). @cb (may be NULL) is called for
 * every regular file of every layer while it streams (see vg_layer_walk()). On error writes a
 * message to @err. Returns 0 and a new image in *ret (free with vg_image_free()).
 */
VG_MUST_CHECK int vg_image_open(const char *target, vg_layer_file_fn *cb, void *userdata,
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
