/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Downloads over HTTPS with libcurl, for feeds and databases: into "<dest>.part", resumed
 * with a Range request when a partial file is there, verified (Content-Length, and the size
 * and SHA-256 when the caller knows them), then renamed to <dest>. Bounded in size and time.
 * Only https:// is allowed (redirects included), plus http:// to a loopback address
 * (127.0.0.0/8, [::1], localhost) for tests and local mirrors. Only http-fetch.c includes
 * <curl/curl.h>.
 */
#ifndef VG_SHARED_HTTP_FETCH_H
#define VG_SHARED_HTTP_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"

struct vg_http_fetch_options {
	const char *url;
	const char *dest; /* final path; "<dest>.part" while downloading */
	uint64_t max_bytes; /* 0: VG_HTTP_DOWNLOAD_MAX */
	uint64_t expected_size; /* 0: unknown */
	const char *expected_sha256; /* 64 hex digits or NULL */
	unsigned connect_timeout_s; /* 0: 30 s */
	unsigned timeout_s; /* whole transfer; 0: 30 min */
	unsigned low_speed_time_s; /* abort below 1 KiB/s for this long; 0: 60 s */
};

struct vg_http_fetch_result {
	uint64_t size; /* bytes of the final file */
	uint64_t resumed_from; /* bytes already there when the transfer started */
	long status; /* last HTTP status */
	int64_t last_modified; /* seconds since the epoch from Last-Modified, -1 unknown */
	char sha256[65]; /* hex digest of the final file */
};

/**
 * vg_http_fetch() - downloads @o->url to @o->dest. Returns 0; -EPROTONOSUPPORT for a URL
 * scheme that is not allowed; -E2BIG past max_bytes; -EBADMSG when the size or digest does
 * not match (the partial file is removed); -EIO / -ETIMEDOUT / -ECONNREFUSED / -EHOSTUNREACH
 * for transfer errors and HTTP statuses >= 400 (the partial file is kept for a resume).
 * @err gets "url: problem".
 */
VG_MUST_CHECK int vg_http_fetch(const struct vg_http_fetch_options *o,
				struct vg_http_fetch_result *ret, char *err, size_t errsize);

/** vg_http_url_allowed() - the scheme rule above, for a URL given by the user. */
bool vg_http_url_allowed(const char *url);

#endif /* VG_SHARED_HTTP_FETCH_H */
