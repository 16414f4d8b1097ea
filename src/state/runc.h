/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI runtime state directories (runc, crun): <root>/<id>/state.json (runc) or
 * <root>/<id>/status (crun), plus the bundle's config.json they point to.
 */
#ifndef VG_STATE_RUNC_H
#define VG_STATE_RUNC_H

#include "basic/macro.h"
#include "state/meta.h"

#define VG_RUNC_FILE_MAX (16 * 1024 * 1024) /* state.json / config.json we read */

/**
 * vg_runc_state_read() - build a meta for container @id from runtime root @root.
 * runtime is "crun" when the root's last component contains "crun", else "runc"; name = id;
 * image from the io.kubernetes.cri.image-name / io.kubernetes.cri-o.ImageName /
 * org.opencontainers.image.ref.name annotation ("" otherwise); labels = the bundle's
 * annotations; mounts, user, host namespaces from the bundle's config.json (falling back to
 * the runtime's own copy of the config in state.json). privileged is set only from a runtime
 * annotation (io.podman.annotations.privileged=TRUE, io.kubernetes.cri-o.PrivilegedRuntime=
 * true), never guessed from capabilities.
 * Returns 0 and a new meta in *ret, -ENOENT when no state file exists, -EINVAL for an
 * invalid id, -EBADMSG / -E2BIG for malformed or oversized state files.
 */
VG_MUST_CHECK int vg_runc_state_read(const char *root, const char *id,
				     struct vg_container_meta **ret);

#endif /* VG_STATE_RUNC_H */
