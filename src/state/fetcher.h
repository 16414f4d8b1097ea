/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Asynchronous container metadata fetcher. The event loop enqueues container ids without
 * blocking; one worker thread asks the Docker engine and the OCI runtime state dirs and
 * hands completions back through an eventfd + poll, so no engine round trip ever runs on
 * the event path.
 */
#ifndef VG_STATE_FETCHER_H
#define VG_STATE_FETCHER_H

#include <stdbool.h>

#include "basic/macro.h"
#include "state/meta.h"

#define VG_META_FETCH_QUEUE_MAX	  1024 /* ids queued + in flight + completed, not yet polled */
#define VG_META_DOCKER_TIMEOUT_MS 2000
#define VG_META_DOCKER_BACKOFF_MS 5000

struct vg_meta_fetcher;

struct vg_meta_fetcher_config {
	const char *docker_socket; /* default /var/run/docker.sock */
	/* NULL-terminated; default /run/runc, /run/crun, /run/docker/runtime-runc/moby,
	 * /run/containerd/runc/k8s.io (used when runc_roots[0] is NULL) */
	const char *runc_roots[4];
	bool disabled;
};

typedef void vg_meta_fetcher_cb(void *userdata, const char *id, int error,
				struct vg_container_meta *meta);

/**
 * vg_meta_fetcher_new() - start the worker thread. @cfg may be NULL (defaults); its strings
 * are copied. With cfg->disabled no thread is started and requests fail with -EOPNOTSUPP.
 */
VG_MUST_CHECK int vg_meta_fetcher_new(const struct vg_meta_fetcher_config *cfg,
				      struct vg_meta_fetcher **ret);

/**
 * vg_meta_fetcher_request() - enqueue a lookup of @full_id (enum vg_runtime @runtime_hint
 * orders the sources: Docker first unless the hint names runc/crun/containerd/CRI-O).
 * Never blocks. Returns 1 when queued, 0 when the id is already queued, in flight or
 * waiting to be polled (coalesced: one completion), -EAGAIN when VG_META_FETCH_QUEUE_MAX
 * is reached, -EINVAL for an invalid id, -EOPNOTSUPP when disabled.
 */
VG_MUST_CHECK int vg_meta_fetcher_request(struct vg_meta_fetcher *f, const char *full_id,
					  int runtime_hint);

/**
 * vg_meta_fetcher_poll() - deliver the completions ready now, without blocking. @cb gets
 * the id (borrowed for the call), 0 and a meta (owned by @cb from then on), or a negative
 * error and NULL: -ENOENT (no source knows the id), -ECONNREFUSED (engine down),
 * -ETIMEDOUT, -EACCES, -EBADMSG… Returns the number delivered.
 */
VG_MUST_CHECK int vg_meta_fetcher_poll(struct vg_meta_fetcher *f, vg_meta_fetcher_cb *cb,
				       void *userdata);

/**
 * vg_meta_fetcher_wait() - block until the request for @id has completed (then deliver it
 * with vg_meta_fetcher_poll()), at most @timeout_ms. 0 when it is ready, -ETIMEDOUT,
 * -ENOENT when there is no such request. Used for a new container's first event, so that
 * rules see its metadata from the start instead of "pending".
 */
int vg_meta_fetcher_wait(struct vg_meta_fetcher *f, const char *id, int timeout_ms);

/**
 * vg_meta_fetcher_fd() - an eventfd that is readable while completions are waiting
 * (level: stays readable until vg_meta_fetcher_poll() drains them).
 */
int vg_meta_fetcher_fd(struct vg_meta_fetcher *f);

/**
 * vg_meta_fetcher_free() - stop and join the worker (an in-flight lookup finishes, bounded
 * by its timeout), drop pending requests and undelivered completions. NULL ok; returns NULL.
 */
struct vg_meta_fetcher *vg_meta_fetcher_free(struct vg_meta_fetcher *f);
DEFINE_CLEANUP_FUNC(struct vg_meta_fetcher *, vg_meta_fetcher_free)

#endif /* VG_STATE_FETCHER_H */
