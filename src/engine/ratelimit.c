/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>

#include "engine/ratelimit.h"

int vg_ratelimit_init(struct vg_ratelimit *rl, size_t nrules, double rate, double burst)
{
	rl->buckets = calloc(nrules ? nrules : 1, sizeof(*rl->buckets));
	if (!rl->buckets)
		return -ENOMEM;
	rl->n = nrules;
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	for (size_t i = 0; i < nrules; i++)
		rl->buckets[i].tokens = rl->burst;
	return 0;
}

void vg_ratelimit_done(struct vg_ratelimit *rl)
{
	free(rl->buckets);
	rl->buckets = NULL;
	rl->n = 0;
}

bool vg_ratelimit_allow(struct vg_ratelimit *rl, size_t i, uint64_t now_ns)
{
	struct vg_bucket *b;

	if (rl->rate <= 0 || i >= rl->n)
		return true;
	b = &rl->buckets[i];
	if (b->last_ns && now_ns > b->last_ns) {
		b->tokens += (double)(now_ns - b->last_ns) / 1e9 * rl->rate;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
	}
	if (now_ns > b->last_ns)
		b->last_ns = now_ns;
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return true;
	}
	b->suppressed++;
	b->suppressed_total++;
	return false;
}
