/* SPDX-License-Identifier: Apache-2.0 */
/* Docker engine API client: container inspect -> struct vg_container_meta. */
#ifndef VG_STATE_DOCKER_H
#define VG_STATE_DOCKER_H

#include <stddef.h>

#include "basic/macro.h"
#include "state/meta.h"

#define VG_DOCKER_SOCKET_DEFAULT "/var/run/docker.sock"
#define VG_DOCKER_API_VERSION	 "v1.41"

/**
 * vg_docker_inspect() - GET /v1.41/containers/<id>/json from the engine at unix socket
 * @sock (NULL: VG_DOCKER_SOCKET_DEFAULT), falling back to the version-less path when the
 * engine rejects the versioned one. @timeout_ms bounds each HTTP exchange.
 * Returns 0 and a new meta in *ret (caller frees), -ENOENT when the engine does not know
 * @id, -EINVAL for an id that is not [A-Za-z0-9][A-Za-z0-9_.-]*, connection errors
 * (-ENOENT/-ECONNREFUSED/-EACCES from connect(), -ETIMEDOUT), -EPROTO for other HTTP
 * statuses, and the errors of vg_docker_parse_inspect().
 */
VG_MUST_CHECK int vg_docker_inspect(const char *sock, const char *id, int timeout_ms,
				    struct vg_container_meta **ret);

/**
 * vg_docker_parse_inspect() - map one `docker inspect` object (Engine API ContainerInspect
 * response; a one-element array as printed by the CLI is accepted too) to a new meta.
 * Borrows @json (@n bytes). -EBADMSG on malformed JSON, a missing "Id" or a wrong type in a
 * used field; -E2BIG when a scalar string exceeds VG_PATH_MAX or the document
 * VG_HTTP_REPLY_MAX. Labels over VG_PATH_MAX are dropped and lists are cut at VG_LABELS_MAX /
 * VG_MOUNTS_MAX (documented truncation, see docs/containers.md).
 */
VG_MUST_CHECK int vg_docker_parse_inspect(const char *json, size_t n,
					  struct vg_container_meta **ret);

#endif /* VG_STATE_DOCKER_H */
