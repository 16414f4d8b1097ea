/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs a stream of kernel records through the watch pipeline, on one thread or on several
 * (src/engine/parallel.c), with rules that read parents, ancestors, credentials and inherited
 * fds, and compares the alerts: the same ones, each process's in the order of its events.
 * Shared by tests/unit/engine/test-parallel.c and tests/fuzz/fuzz-parallel.c.
 */
#ifndef VG_TESTS_PARALLEL_CHECK_H
#define VG_TESTS_PARALLEL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/ruleset.h"

/* The next record of the stream in *data; 0 at the end. */
typedef size_t vg_pc_next_fn(void *userdata, const void **data);

struct vg_pc_run {
	char *text; /* alerts, JSON lines (malloc'ed) */
	size_t len;
	unsigned long long alerts;
};

/* The rules (compiled once, registers the syscall source); NULL when they do not compile. */
const struct vg_ruleset *vg_pc_rules(void);
/* threads 0: the plain pipeline; else engine/parallel.c with that many workers. */
int vg_pc_run(const struct vg_ruleset *rs, unsigned threads, vg_pc_next_fn *next, void *userdata,
	      struct vg_pc_run *out);
/* Whether b has a's alerts, per process in a's order; why says how not. Frees both texts. */
bool vg_pc_same(struct vg_pc_run *a, struct vg_pc_run *b, char *why, size_t whysize);

#endif /* VG_TESTS_PARALLEL_CHECK_H */
