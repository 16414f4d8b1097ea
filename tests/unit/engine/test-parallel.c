/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation on several threads (src/engine/parallel.c) against the single-threaded pipeline:
 * the same alerts, each process's in the order of its events, for 1, 2, 3 and 8 workers, on
 * generated workloads (tests/lib/proc-workload.h: forks that inherit fds, execs, renames,
 * credential changes, exits with reparenting, interleaved) with rules over parents, ancestors,
 * credentials and inherited fds (tests/lib/parallel-check.h), and on random records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/parallel.h"
#include "event-builder.h"
#include "parallel-check.h"
#include "proc-workload.h"
#include "tap.h"

struct feed {
	struct vg_workload w;
	uint64_t rnd, rnd_records;
	unsigned n, n_random, i;
};

static unsigned choose(void *userdata, unsigned n)
{
	struct feed *f = userdata;

	return (unsigned)(vg_evb_rand(&f->rnd) % n);
}

static size_t next(void *userdata, const void **data)
{
	struct feed *f = userdata;
	size_t len;

	if (f->i > f->n + f->n_random)
		return 0;
	len = f->i == 0	       ? vg_workload_init(&f->w, choose, f)
	      : f->i <= f->n ? vg_workload_next(&f->w)
			     : vg_evb_random(&f->w.b, &f->rnd_records);
	f->i++;
	*data = f->w.b.buf;
	return len;
}

/* The workload of seed (n events, then n_random random records) on threads workers. */
static int run_seed(unsigned threads, uint64_t seed, unsigned n, unsigned n_random,
		    struct vg_pc_run *out)
{
	struct feed *f = calloc(1, sizeof(*f));
	int r;

	if (!f)
		return -1;
	f->rnd = seed;
	f->rnd_records = seed ^ 0x5555;
	f->n = n;
	f->n_random = n_random;
	r = vg_pc_run(vg_pc_rules(), threads, next, f, out);
	free(f);
	return r;
}

TEST(same_alerts_as_one_thread)
{
	static const unsigned threads[] = {1, 2, 3, 8};
	char why[1024];

	ASSERT_NOT_NULL(vg_pc_rules());
	for (uint64_t seed = 1; seed <= 3; seed++)
		for (size_t t = 0; t < VG_ARRAY_SIZE(threads); t++) {
			struct vg_pc_run one, many;

			ASSERT_OK(run_seed(0, seed, 40000, 0, &one));
			ASSERT_OK(run_seed(threads[t], seed, 40000, 0, &many));
			if (t == 0)
				tap_diag("seed %llu: %llu alerts on one thread\n",
					 (unsigned long long)seed, one.alerts);
			ASSERT_GT(one.alerts, 100ull);
			if (!vg_pc_same(&one, &many, why, sizeof(why)))
				TAP_FAIL_AT("seed %llu, %u threads: %s", (unsigned long long)seed,
					    threads[t], why);
		}
}

/* Random records (any kind, random processes and parameters) after the workload. */
TEST(random_records)
{
	struct vg_pc_run one, many;
	char why[1024];

	ASSERT_OK(run_seed(0, 7, 5000, 20000, &one));
	ASSERT_OK(run_seed(4, 7, 5000, 20000, &many));
	ASSERT_GT(one.alerts, 100ull);
	if (!vg_pc_same(&one, &many, why, sizeof(why)))
		TAP_FAIL_AT("random records: %s", why);
}

TEST(ownership_and_broadcast)
{
	unsigned count[3] = {0};
	struct vg_event_hdr h = {.kind = VG_EV_SYSCALL, .sc = VG_SC_OPENAT};

	for (uint32_t pid = 1; pid <= 30000; pid++) {
		unsigned o = vg_parallel_owner(pid, 3);

		ASSERT_LT(o, 3u);
		ASSERT_EQ(o, vg_parallel_owner(pid, 3));
		count[o]++;
	}
	for (unsigned i = 0; i < 3; i++)
		ASSERT_GT(count[i], 9000u); /* spread evenly */
	ASSERT_FALSE(vg_parallel_is_broadcast(&h));
	h.sc = VG_SC_SETUID;
	ASSERT_TRUE(vg_parallel_is_broadcast(&h));
	h.kind = VG_EV_FORK;
	h.sc = VG_SC_CLONE;
	ASSERT_TRUE(vg_parallel_is_broadcast(&h));
}
