/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A generated stream of kernel records from a tree of processes that fork (children inherit
 * fds), exec, rename themselves, change credentials, open and close files and exit (their
 * children are reparented to the first process), interleaved. Its choices come from a callback,
 * so a test drives it with a PRNG and a fuzzer with its input. For comparing pipelines (e.g.
 * evaluation on several threads against one), not for realism.
 */
#ifndef VG_TESTS_PROC_WORKLOAD_H
#define VG_TESTS_PROC_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event-builder.h"

#define VG_WL_PROCS_MAX 400

/* A choice in [0, n): the driver's next number. */
typedef unsigned vg_wl_choose_fn(void *userdata, unsigned n);

struct vg_wl_proc {
	uint32_t pid, ppid, uid;
	char comm[16];
	bool alive;
	int fds[8];
	unsigned nfds;
};

struct vg_workload {
	struct vg_wl_proc p[VG_WL_PROCS_MAX];
	unsigned n;
	uint32_t next_pid;
	uint64_t ts;
	vg_wl_choose_fn *choose;
	void *userdata;
	struct vg_evb b; /* the record being built */
};

/* Process 100 ("bash", parent 1) exists; the first record (its exec) is in w->b, finished:
 * its size is returned. */
size_t vg_workload_init(struct vg_workload *w, vg_wl_choose_fn *choose, void *userdata);
/* The next record into w->b; returns its size. */
size_t vg_workload_next(struct vg_workload *w);

#endif /* VG_TESTS_PROC_WORKLOAD_H */
