/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Engine-only throughput: a capture is read into memory once, then replayed through the
 * watch pipeline (decode -> state -> rules) with no rules, the built-in rules and the given
 * rule files. Reading and checking the capture file is outside the timed part, so the
 * numbers are the engine's. Prints events/s per configuration and the ratio to the no-rules
 * pass measured in the same run. Passes are timed on the thread's CPU clock (the engine runs
 * on this one thread), so other load on the machine does not count against it.
 *
 *   engine-bench CAPTURE [RULEFILE...]     (RULEFILEs form the third configuration)
 *
 * ENGINE_BENCH_ONLY=N (0 no rules, 1 built-in, 2 rule files) times that configuration alone,
 * for profiling one ruleset without the others in the samples; no ratio is printed then.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/log.h"
#include "basic/time-util.h"
#include "basic/vec.h"
#include "engine/pipeline.h"
#include "engine/rules-setup.h"
#include "sensor/capture.h"

#define ROUNDS 5

struct rec {
	uint32_t type;
	void *data;
	size_t len;
};

static int load_capture(const char *path, struct vg_vec *recs, struct vg_capture_info *info)
{
	struct vg_capture_reader *r = NULL;
	char err[512];
	int q;

	q = vg_capture_reader_open(path, &r, err, sizeof(err));
	if (q < 0) {
		fprintf(stderr, "engine-bench: %s: %s\n", path, err);
		return q;
	}
	(void)vg_capture_reader_info(r, info);
	for (;;) {
		struct rec x;
		const void *data;

		q = vg_capture_read(r, &x.type, &data, &x.len);
		if (q <= 0)
			break;
		if (x.type != VG_CAP_EVENT && x.type != VG_CAP_PROC && x.type != VG_CAP_CONTAINER)
			continue;
		/* 8-byte aligned copies, NUL-terminated for the JSON records */
		x.data = aligned_alloc(8, (x.len + 8) & ~(size_t)7);
		if (!x.data)
			return -ENOMEM;
		memcpy(x.data, data, x.len);
		((char *)x.data)[x.len] = '\0';
		q = vg_vec_push(recs, &x);
		if (q < 0)
			return q;
	}
	if (q < 0)
		fprintf(stderr, "engine-bench: %s: %s\n", path, vg_capture_reader_error(r));
	vg_capture_reader_free(r);
	return q < 0 ? q : 0;
}

/* One timed pass; returns events per second, or < 0. */
static double run_pass(const struct vg_vec *recs, const struct vg_capture_info *info,
		       const struct vg_ruleset *rs, uint64_t *ret_alerts)
{
	struct vg_state_config scfg = {.live = false};
	struct vg_detect_config dcfg = {.rate = 0};
	struct vg_sinks sinks = VG_SINKS_INIT;
	struct vg_state *state = NULL;
	struct vg_pipeline pipe;
	struct vg_detect detect;
	bool with_rules = rs && vg_ruleset_count(rs) > 0;
	uint64_t t0, t1, events = 0;
	FILE *null = fopen("/dev/null", "we");
	int r = 0;

	if (!null || vg_state_new(&scfg, &state) < 0)
		return -1;
	vg_pipeline_init(&pipe, state, VG_EVENTS_NONE, null, info->boot_offset_ns, NULL);
	if (with_rules) {
		if (vg_detect_init(&detect, rs, &sinks, info->hostname, &dcfg) < 0)
			return -1;
		vg_pipeline_set_detect(&pipe, &detect, info->hostname);
	}
	t0 = vg_now_ns(CLOCK_THREAD_CPUTIME_ID);
	vg_vec_for_each(struct rec, x, recs) {
		if (x->type == VG_CAP_EVENT) {
			r = vg_pipeline_event(&pipe, x->data, x->len);
			events++;
		} else {
			r = vg_state_load_record(state,
						 x->type == VG_CAP_PROC ? VG_STATE_REC_PROC
									: VG_STATE_REC_CONTAINER,
						 x->data, x->len);
		}
		if (r < 0)
			break;
	}
	t1 = vg_now_ns(CLOCK_THREAD_CPUTIME_ID);
	*ret_alerts = with_rules ? detect.stats.matched : 0;
	if (with_rules)
		vg_detect_done(&detect);
	vg_pipeline_done(&pipe);
	vg_sinks_done(&sinks);
	vg_state_free(state);
	fclose(null);
	if (r < 0)
		return -1;
	return (double)events / ((double)(t1 - t0) / 1e9);
}

static int compile(const char *const *paths, size_t n, bool none, struct vg_rules_collection *c,
		   struct vg_ruleset **ret)
{
	struct vg_rules_setup s = {.none = none};
	struct vg_diags d;
	int r, q;

	s.opts.min_priority = VG_PRIO_DEBUG;
	for (size_t i = 0; i < n && i < VG_RULE_PATHS_MAX; i++)
		s.paths[s.n_paths++] = paths[i];
	vg_diags_init(&d);
	r = vg_rules_setup_load(&s, c, &d);
	q = vg_rules_setup_compile(&s, c, &d, ret);
	if (d.errors)
		vg_diags_print(&d, stderr);
	vg_diags_done(&d);
	return r < 0 ? r : q;
}

int main(int argc, char **argv)
{
	struct vg_vec recs = VG_VEC_INIT(struct rec, 0);
	struct vg_capture_info info;
	struct {
		const char *name;
		const char *const *paths;
		size_t n;
		bool none;
	} configs[3] = {
		{"no rules", NULL, 0, true},
		{"built-in rules", NULL, 0, false},
		{"rule files", (const char *const *)argv + 2, argc > 2 ? (size_t)argc - 2 : 0,
		 false},
	};
	struct vg_rules_collection colls[3];
	struct vg_ruleset *rs[3] = {NULL, NULL, NULL};
	double best[3] = {0, 0, 0};
	uint64_t matched[3] = {0, 0, 0};
	size_t nconf = argc > 2 ? 3 : 2, nevents = 0;
	const char *only = getenv("ENGINE_BENCH_ONLY");

	if (argc < 2) {
		fprintf(stderr, "usage: engine-bench CAPTURE [RULEFILE...]\n");
		return 2;
	}
	vg_log_set_level(VG_LOG_WARNING);
	if (load_capture(argv[1], &recs, &info) < 0)
		return 1;
	vg_vec_for_each(struct rec, x, &recs)
		nevents += x->type == VG_CAP_EVENT;
	printf("# engine: %zu events from %s, best of %d passes each, configurations in turn\n",
	       nevents, argv[1], ROUNDS);

	for (size_t i = 0; i < nconf; i++) {
		vg_rules_collection_init(&colls[i]);
		if (only && (size_t)atoi(only) != i)
			continue;
		if (compile(configs[i].paths, configs[i].n, configs[i].none, &colls[i], &rs[i]) < 0) {
			fprintf(stderr, "engine-bench: cannot compile the rules of '%s'\n",
				configs[i].name);
			return 1;
		}
	}
	/* Round by round, each configuration once: a burst of load on the machine slows one
	 * pass of each, not every pass of one. */
	for (int round = 0; round < ROUNDS; round++)
		for (size_t i = 0; i < nconf; i++) {
			double eps;

			if (!rs[i])
				continue;
			eps = run_pass(&recs, &info, rs[i], &matched[i]);
			if (eps < 0) {
				fprintf(stderr, "engine-bench: pass failed\n");
				return 1;
			}
			if (eps > best[i])
				best[i] = eps;
		}
	for (size_t i = 0; i < nconf; i++) {
		if (!rs[i]) {
			vg_rules_collection_done(&colls[i]);
			continue;
		}
		if (only)
			printf("%-15s %3zu rules: %9.0f events/s per core, %llu matches\n",
			       configs[i].name, vg_ruleset_count(rs[i]), best[i],
			       (unsigned long long)matched[i]);
		else
			printf("%-15s %3zu rules: %9.0f events/s per core, %5.1f%% of the no-rules pass, %llu matches%s\n",
			       configs[i].name, vg_ruleset_count(rs[i]), best[i],
			       100.0 * best[i] / best[0], (unsigned long long)matched[i],
			       i == 0 ? ""
			       : best[i] >= 1e6 && best[i] >= best[0] / 2
				       ? "  [goal >= 1M/s and >= 50%: PASS]"
				       : "  [goal >= 1M/s and >= 50%: FAIL]");
		vg_ruleset_free(rs[i]);
		vg_rules_collection_done(&colls[i]);
	}
	return 0;
}
