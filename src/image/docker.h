/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `docker:NAME[:TAG]`: asks the local Docker engine (HTTP over its unix socket) for
 * `GET /images/NAME/get`, the streamed `docker save` tar, and spools it into an unlinked
 * temporary file (O_TMPFILE; the layers are not extracted) that the docker-archive reader
 * then opens. Bounded: reply header VG_DOCKER_HEADER_MAX, body VG_DOCKER_EXPORT_MAX.
 */
#ifndef VG_IMAGE_DOCKER_H
#define VG_IMAGE_DOCKER_H

#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"

/** vg_docker_socket() - the engine socket: DOCKER_HOST=unix://PATH, else /var/run/docker.sock. */
const char *vg_docker_socket(void);

/**
 * vg_docker_export() - exports image @ref from the engine at @sock (NULL: vg_docker_socket())
 * into a new unlinked temporary file; returns 0 with its fd (offset 0) in *ret_fd. @max 0
 * means VG_DOCKER_EXPORT_MAX. Errors: connect errors (-ENOENT, -ECONNREFUSED, -EACCES),
 * -ENOENT also for an unknown image (HTTP 404, engine message in @err), -EBADMSG for a
 * malformed reply, -E2BIG past a bound, -EIO for other HTTP errors, -ETIMEDOUT.
 */
VG_MUST_CHECK int vg_docker_export(const char *sock, const char *ref, uint64_t max, int *ret_fd,
				   char *err, size_t errsize);

#endif /* VG_IMAGE_DOCKER_H */
