/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Minimal HTTP/1.1 GET client over a unix stream socket (container engine APIs). One request
 * per connection ("Connection: close"), Content-Length, chunked and close-delimited bodies,
 * hard caps on header and body size, one deadline for connect + send + receive.
 */
#ifndef VG_SHARED_HTTP_UNIX_H
#define VG_SHARED_HTTP_UNIX_H

#include <stddef.h>

#include "basic/macro.h"

#define VG_HTTP_HEADER_MAX     (64 * 1024) /* status line + headers (+ chunk trailers) */
#define VG_HTTP_CHUNK_LINE_MAX 1024 /* one chunk-size line, extensions included */

/**
 * vg_http_unix_get() - GET @path from the HTTP server listening on unix socket @sock_path.
 * @timeout_ms bounds the whole exchange (connect, send, receive); <= 0 means 2000 ms.
 * @max_body caps the decoded body (0 means VG_HTTP_REPLY_MAX).
 *
 * On success returns 0 with the status code in *ret_status and a new malloc'ed,
 * NUL-terminated body in *ret_body (*ret_len bytes, may contain NULs); any status is a
 * success at this layer. Errors: -EINVAL (bad path), -ENAMETOOLONG (socket path),
 * connect errors (-ENOENT, -ECONNREFUSED, -EACCES…), -ETIMEDOUT, -E2BIG (header or body
 * over the cap), -EBADMSG (malformed or truncated reply), -EOPNOTSUPP (content coding).
 */
VG_MUST_CHECK int vg_http_unix_get(const char *sock_path, const char *path, int timeout_ms,
				   size_t max_body, int *ret_status, char **ret_body,
				   size_t *ret_len);

/**
 * vg_http_parse_response() - decode one complete HTTP/1.1 response held in @buf (@n bytes;
 * the end of @buf is treated as the server closing the connection). Same outputs and errors
 * as vg_http_unix_get(); any of the ret_* pointers may be NULL.
 */
VG_MUST_CHECK int vg_http_parse_response(const char *buf, size_t n, size_t max_body,
					 int *ret_status, char **ret_body, size_t *ret_len);

#endif /* VG_SHARED_HTTP_UNIX_H */
