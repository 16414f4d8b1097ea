/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The detection stage of the pipeline: evaluate the compiled rules on each enriched event,
 * rate-limit, render alerts and hand them to the sinks. Also the internal alerts vigil
 * raises about itself (lost events, suppressed alerts), with source "internal" as Falco's.
 */
#ifndef VG_ENGINE_DETECT_H
#define VG_ENGINE_DETECT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"
#include "basic/strbuf.h"
#include "engine/ratelimit.h"
#include "output/alert.h"
#include "output/sink.h"
#include "rules/ruleset.h"
#include "state/fields-syscall.h"

#define VG_RATELIMIT_SUMMARY_NS (60ull * 1000000000ull)
#define VG_ALERT_VALUES_MAX	(256 * 1024)

struct vg_detect_stats {
	uint64_t evaluated;
	uint64_t matched;
	uint64_t alerts; /* sent to the sinks */
	uint64_t suppressed; /* by the rate limit */
	uint64_t sink_errors;
};

struct vg_detect {
	const struct vg_ruleset *rs; /* borrowed */
	struct vg_evaluator *ev;
	struct vg_sinks *sinks; /* borrowed */
	const char *hostname;
	struct vg_ratelimit rl;
	uint64_t next_summary_ns; /* event time of the next suppression summary */
	struct vg_strbuf output; /* rule output, reused */
	char values[VG_ALERT_VALUES_MAX]; /* output field values of the alert being built */
	size_t values_used;
	struct vg_alert alert;
	const struct vg_syscall_obj *obj; /* the event being evaluated */
	uint64_t last_time_ns; /* time of the last event evaluated */
	int error; /* first sink error */
	struct vg_detect_stats stats;
	/* Several threads (engine/parallel.c): each worker has a vg_detect of its own for
	 * evaluating and rendering, and a hub, the one detect whose rate limit, sinks, summary
	 * and statistics they all share, taken under the hub's lock. NULL: this detect is its
	 * own hub and nothing is locked. */
	struct vg_detect *hub;
	pthread_mutex_t lock; /* a hub's, once vg_detect_share() was called */
	bool shared;
};

struct vg_detect_config {
	double rate; /* alerts per second per rule; 0: unlimited */
	double burst;
};

VG_MUST_CHECK int vg_detect_init(struct vg_detect *d, const struct vg_ruleset *rs,
				 struct vg_sinks *sinks, const char *hostname,
				 const struct vg_detect_config *cfg);
void vg_detect_done(struct vg_detect *d);

/* Makes d a hub that worker detects (vg_detect_init_worker) share; from then on every call on
 * d itself must go through vg_detect_lock()/vg_detect_unlock() while workers run. */
VG_MUST_CHECK int vg_detect_share(struct vg_detect *d);
/* A worker's detect: its own evaluator and output buffers, the hub's everything else. */
VG_MUST_CHECK int vg_detect_init_worker(struct vg_detect *d, struct vg_detect *hub);
void vg_detect_lock(struct vg_detect *hub);
void vg_detect_unlock(struct vg_detect *hub);

/* Evaluates one event; returns a negative errno when a sink failed. */
VG_MUST_CHECK int vg_detect_event(struct vg_detect *d, const struct vg_syscall_obj *obj);

/* Raises an internal alert (source "internal"), not rate-limited. fields: name/value pairs,
 * NULL-terminated. */
VG_MUST_CHECK int vg_detect_internal(struct vg_detect *d, uint64_t time_ns, enum vg_priority prio,
				     const char *rule, const char *output,
				     const char *const *fields);

/* The "events lost" internal alert for a new cumulative drop count. Live and replay raise it
 * at the same point of the stream (when the DROPS record is written / read) with the last
 * event's time, so a replay reproduces it. */
VG_MUST_CHECK int vg_detect_drops(struct vg_detect *d, uint64_t drops);

/* Reports suppressed alerts (log + internal alert) if any were suppressed since the last
 * summary; force for the final one at exit. time_ns 0 means the last event's time, which
 * keeps replays identical to live runs. */
VG_MUST_CHECK int vg_detect_summary(struct vg_detect *d, uint64_t time_ns, bool force);

#endif /* VG_ENGINE_DETECT_H */
