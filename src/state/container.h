/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container registry: containers by full id, plus cgroup id -> container (cgroup ids come
 * from the event header). Host processes map to one static "host" container. Runtime
 * metadata is fetched asynchronously: a container is PENDING until the fetcher answers,
 * then READY (meta set) or FAILED. Bounded by VG_CONTAINER_MAX: when full, a container no
 * process references is evicted; if there is none, new ids map to the static "unknown"
 * container (state FAILED) and a counter is bumped.
 */
#ifndef VG_STATE_CONTAINER_H
#define VG_STATE_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>

#include "basic/hashmap.h"
#include "basic/macro.h"
#include "state/cgroup.h"
#include "state/meta.h"

#define VG_CONTAINER_CGROUPS_MAX  16 /* cgroup ids remembered per container (for snapshots) */
#define VG_CONTAINER_SHORT_ID_LEN 12

enum vg_container_state {
	VG_CONTAINER_PENDING,
	VG_CONTAINER_READY,
	VG_CONTAINER_FAILED,
	VG_CONTAINER_STATE__MAX,
};

struct vg_container {
	char id[VG_CONTAINER_ID_MAX + 1]; /* full id, "host" or "unknown" */
	char short_id[VG_CONTAINER_SHORT_ID_LEN + 1]; /* first 12 chars */
	char pod_uid[VG_POD_UID_MAX + 1];
	enum vg_runtime runtime;
	enum vg_container_state state;
	int error; /* fetch error when FAILED */
	bool is_host; /* the static host/unknown containers */
	uint32_t nprocs; /* processes pointing here (eviction guard) */
	struct vg_container_meta *meta; /* owned; NULL until READY */
	uint64_t cgroup_ids[VG_CONTAINER_CGROUPS_MAX];
	uint32_t n_cgroup_ids;
	uint8_t fetch_tries; /* metadata requests made */
	uint64_t retry_at_ms; /* CLOCK_MONOTONIC ms of the next request, 0: none */
};

/* A container's runtime often learns about it a moment after its first process runs (runc
 * writes state.json after the init process starts): "not found" is retried this many times,
 * VG_CONTAINER_RETRY_MS apart (times the attempt number), before the container is FAILED. */
#define VG_CONTAINER_FETCH_TRIES 5
#define VG_CONTAINER_RETRY_MS	 300

struct vg_meta_fetcher;

struct vg_container_registry {
	struct vg_hashmap by_id; /* string (key borrowed from the container) -> container */
	struct vg_hashmap by_cgroup; /* u64 cgroup id -> container (borrowed) */
	struct vg_container host;
	struct vg_container unknown;
	struct vg_meta_fetcher *fetcher; /* borrowed, may be NULL (replay) */
	size_t max;
	/* called after a container is created or changes state/meta/cgroups */
	void (*on_change)(void *userdata, const struct vg_container *c);
	void *userdata;
	uint64_t n_requests, n_request_failed, n_fetch_failed, n_refused, n_evicted;
	uint32_t n_retrying; /* containers with retry_at_ms set */
	int wait_ms; /* how long a new container's first event waits for metadata */
};

const char *vg_container_state_to_string(enum vg_container_state s);
int vg_container_state_from_string(const char *s);
int vg_runtime_from_string(const char *s);

/* @max 0 means VG_CONTAINER_MAX. */
void vg_container_registry_init(struct vg_container_registry *r, struct vg_meta_fetcher *fetcher,
				size_t max);
void vg_container_registry_done(struct vg_container_registry *r);

/* By full id; "host" gives the host container. NULL when unknown. */
struct vg_container *vg_container_get(const struct vg_container_registry *r, const char *id);
struct vg_container *vg_container_by_cgroup(const struct vg_container_registry *r,
					    uint64_t cgroup_id);

/*
 * Returns the container for @cc (creating it PENDING and requesting its metadata when new).
 * Never fails: on exhaustion it returns the "unknown" container.
 */
struct vg_container *vg_container_ensure(struct vg_container_registry *r,
					 const struct vg_cgroup_container *cc);
/* Creates or updates by id without requesting metadata (snapshot load). */
VG_MUST_CHECK int vg_container_put(struct vg_container_registry *r, const char *id,
				   enum vg_runtime runtime, struct vg_container **ret);
/* Remembers cgroup_id -> c (no-op when already mapped to c). 0 is ignored. */
VG_MUST_CHECK int vg_container_map_cgroup(struct vg_container_registry *r, uint64_t cgroup_id,
					  struct vg_container *c);
/* Completion: meta (ownership passes) or a negative error. Unknown ids are dropped. */
void vg_container_set_meta(struct vg_container_registry *r, const char *id, int error,
			   struct vg_container_meta *meta);
/* Delivers fetcher completions; returns how many (never blocks). */
int vg_container_poll(struct vg_container_registry *r);

#endif /* VG_STATE_CONTAINER_H */
