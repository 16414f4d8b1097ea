/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container runtime metadata: what the container engine (Docker, containerd, CRI-O, runc
 * state dirs) knows about one container. Filled by the metadata clients (docker.c, runc.c)
 * through the asynchronous fetcher (fetcher.c) and serialised to JSON for captures and
 * the output layer.
 */
#ifndef VG_STATE_META_H
#define VG_STATE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/cleanup.h"
#include "basic/macro.h"

/* Which runtime a container belongs to (hint for the fetcher, from the cgroup path). */
enum vg_runtime {
	VG_RUNTIME_NONE,
	VG_RUNTIME_DOCKER,
	VG_RUNTIME_CONTAINERD,
	VG_RUNTIME_CRIO,
	VG_RUNTIME_PODMAN,
	VG_RUNTIME_RUNC,
	VG_RUNTIME_CRUN,
	VG_RUNTIME_KUBEPODS,
	VG_RUNTIME__MAX,
};

struct vg_kv {
	char *key, *value;
};

struct vg_mount {
	char *source, *dest, *mode, *propagation;
	bool rw;
};

/*
 * All strings are malloc'ed and never NULL in a meta returned by this module (empty when
 * unknown). created_ns/started_ns are ns since the epoch, 0 when unknown. labels are sorted
 * by key (byte order), keys unique.
 */
struct vg_container_meta {
	char *id, *name, *image, *image_repo, *image_tag, *image_id, *runtime;
	bool privileged, host_pid, host_network, host_ipc;
	int64_t created_ns, started_ns;
	char *user, *ip, *pod_name, *pod_namespace, *pod_uid;
	size_t n_labels;
	struct vg_kv *labels;
	size_t n_mounts;
	struct vg_mount *mounts;
};

/**
 * vg_container_meta_free() - free @m and everything it owns. NULL is a no-op.
 */
void vg_container_meta_free(struct vg_container_meta *m);
DEFINE_CLEANUP_FUNC(struct vg_container_meta *, vg_container_meta_free)

/**
 * vg_container_meta_new() - allocate an empty meta whose strings are all "".
 * Returns 0 or -ENOMEM; *ret is owned by the caller.
 */
VG_MUST_CHECK int vg_container_meta_new(struct vg_container_meta **ret);

/**
 * vg_container_meta_normalize() - replace NULL strings by "", sort labels by key and drop
 * duplicate keys (first one wins), derive pod_* from the CRI labels when unset.
 */
VG_MUST_CHECK int vg_container_meta_normalize(struct vg_container_meta *m);

/**
 * vg_container_meta_to_json() - serialise @m as one compact JSON object with a fixed key
 * order. *ret is a new malloc'ed NUL-terminated string.
 */
VG_MUST_CHECK int vg_container_meta_to_json(const struct vg_container_meta *m, char **ret);

/**
 * vg_container_meta_from_json() - parse the output of vg_container_meta_to_json(). Borrows
 * @s (@n bytes, need not be NUL-terminated). Unknown keys are ignored, missing keys default.
 * Returns -EBADMSG on malformed JSON or wrong types, -E2BIG past VG_LABELS_MAX,
 * VG_MOUNTS_MAX, VG_PATH_MAX (per string) or VG_JSON_DOC_MAX.
 */
VG_MUST_CHECK int vg_container_meta_from_json(const char *s, size_t n,
					      struct vg_container_meta **ret);

/**
 * vg_container_meta_label() - value of label @key, or NULL. Borrowed from @m.
 */
const char *vg_container_meta_label(const struct vg_container_meta *m, const char *key);

/**
 * vg_container_meta_set_image() - set image, image_repo and image_tag from a reference such
 * as "registry:5000/ns/img:tag", "img@sha256:…" (tag is the digest), "img" (tag "latest").
 */
VG_MUST_CHECK int vg_container_meta_set_image(struct vg_container_meta *m, const char *ref);

/**
 * vg_split_image_ref() - split an image reference into repository and tag (both new
 * strings). A digest reference keeps "sha256:…" as its tag; no tag means "latest".
 */
VG_MUST_CHECK int vg_split_image_ref(const char *ref, char **ret_repo, char **ret_tag);

/**
 * vg_parse_rfc3339_ns() - parse "2023-04-05T06:07:08.123456789Z" (or with ±hh:mm offset)
 * into ns since the epoch. Docker's zero time "0001-01-01T00:00:00Z" yields 0.
 * Returns -EBADMSG when malformed.
 */
VG_MUST_CHECK int vg_parse_rfc3339_ns(const char *s, int64_t *ret);

const char *vg_runtime_to_string(enum vg_runtime r);

#endif /* VG_STATE_META_H */
