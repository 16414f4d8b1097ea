/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alert rate limiting: a token bucket per rule, so one noisy rule cannot drown the others,
 * and a count of what was suppressed, reported periodically (never silent).
 */
#ifndef VG_ENGINE_RATELIMIT_H
#define VG_ENGINE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"

struct vg_bucket {
	double tokens;
	uint64_t last_ns;
	uint64_t suppressed; /* since the last summary */
	uint64_t suppressed_total;
};

struct vg_ratelimit {
	struct vg_bucket *buckets; /* one per rule index */
	size_t n;
	double rate; /* tokens per second; 0 disables limiting */
	double burst; /* bucket size */
};

VG_MUST_CHECK int vg_ratelimit_init(struct vg_ratelimit *rl, size_t nrules, double rate,
				    double burst);
void vg_ratelimit_done(struct vg_ratelimit *rl);
/* True when an alert of rule i at time now_ns (monotonic or event time) may go out. */
bool vg_ratelimit_allow(struct vg_ratelimit *rl, size_t i, uint64_t now_ns);

#endif /* VG_ENGINE_RATELIMIT_H */
