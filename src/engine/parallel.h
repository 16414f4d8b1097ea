/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The watch pipeline on several threads, each event of a process handled in order.
 *
 * Every worker thread owns a complete state (src/state) and a detect of its own, and a
 * process belongs to one worker (by tgid): that worker applies the process's events and
 * evaluates the rules on them, in the order they came, so a rule sees exactly the state the
 * single-threaded pipeline would show it. Events that change what rules of *other* processes
 * read (fork, exec, exit, credentials, names, namespaces: a child's proc.pname, an ancestor's
 * proc.aname) are applied by every worker, in the same global order relative to each worker's
 * own events; only the owner evaluates them. PROC and CONTAINER records go to every worker.
 *
 * The caller (the dispatcher) hands records over through one bounded single-producer queue
 * per worker and blocks when a worker falls behind: nothing is dropped. Alerts go through the
 * hub detect (engine/detect.h), whose lock keeps them whole and whose rate limit and
 * summaries are shared. Not available with --events or recording, which need one order.
 *
 * SPEC: docs/alerts.md#threads
 */
#ifndef VG_ENGINE_PARALLEL_H
#define VG_ENGINE_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"
#include "engine/detect.h"
#include "engine/pipeline.h"
#include "state/fetcher.h"
#include "state/state.h"

#define VG_PARALLEL_THREADS_MAX 64
#define VG_PARALLEL_QUEUE_BYTES (4u << 20) /* per worker */
#define VG_PARALLEL_RECORD_MAX	(1u << 20) /* one record */

struct vg_parallel;

struct vg_parallel_config {
	unsigned threads; /* workers, 1..VG_PARALLEL_THREADS_MAX */
	struct vg_state_config state; /* each worker's state (record must be NULL) */
	bool seed; /* fill each worker's state from /proc first (live) */
	/* Container metadata (live): each worker gets a fetcher of its own, as a fetcher hands a
	 * result to whichever state polls it first. NULL: state.fetcher as given (replay: none). */
	const struct vg_meta_fetcher_config *fetcher;
	struct vg_detect *hub; /* vg_detect_share()d; NULL: no rules, state only */
	int64_t boot_offset_ns;
	const char *hostname;
};

VG_MUST_CHECK int vg_parallel_new(const struct vg_parallel_config *cfg, struct vg_parallel **ret);

/*
 * Hands one raw kernel record to its process's worker, and to every worker when it changes
 * what other processes' rules read. Malformed records are counted and skipped. Blocks while a
 * queue is full. Returns a worker's error (a sink failed, out of memory) once one failed.
 */
VG_MUST_CHECK int vg_parallel_event(struct vg_parallel *p, const void *data, size_t size);
/* A PROC or CONTAINER record (VG_STATE_REC_*): applied by every worker. */
VG_MUST_CHECK int vg_parallel_state_record(struct vg_parallel *p, int rectype, const void *json,
					   size_t n);
/* Returns once every worker has handled all it was handed (then the caller may raise
 * alerts that must follow them, under vg_detect_lock). */
VG_MUST_CHECK int vg_parallel_drain(struct vg_parallel *p);
/* The "events lost" internal alert of hub (vg_detect_drops), raised once every event handed
 * over so far has been evaluated, as a replay has it; p NULL: one thread, nothing to wait for. */
VG_MUST_CHECK int vg_parallel_drops(struct vg_parallel *p, struct vg_detect *hub,
				    uint64_t drops);
/* Drains, stops and joins the workers; returns the first worker error. */
VG_MUST_CHECK int vg_parallel_finish(struct vg_parallel *p);
struct vg_parallel *vg_parallel_free(struct vg_parallel *p);

/* Worker i's state (for counts in messages; do not touch while workers run). */
const struct vg_state *vg_parallel_state(const struct vg_parallel *p, unsigned i);

/* records and malformed as seen by the dispatcher. */
void vg_parallel_stats(const struct vg_parallel *p, struct vg_pipeline_stats *ret);
/* CPU time each worker used (after vg_parallel_finish), in ns; the busiest one's index, so
 * --stats can say whether the reader or the workers were the limit. */
uint64_t vg_parallel_worker_cpu_ns(const struct vg_parallel *p, unsigned i);

/* Whether this event is applied by every worker (exported for tests). */
bool vg_parallel_is_broadcast(const struct vg_event_hdr *h);
/* The worker that owns process tgid among n. */
unsigned vg_parallel_owner(uint32_t tgid, unsigned n);

#endif /* VG_ENGINE_PARALLEL_H */
