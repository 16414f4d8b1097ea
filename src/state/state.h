/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state engine facade used by the pipeline: process/thread table, per-process fd
 * tables, container registry. Seeded from /proc at start (live mode), then kept current by
 * vg_state_apply() for every decoded event, which also returns the enrichment context the
 * formatter and the rules read.
 *
 * Determinism: in replay mode (cfg.live = false) nothing reads /proc; everything that live
 * mode learned outside the event stream is handed to cfg.record as a record (1 = process,
 * 2 = container) at the moment it is learned, during vg_state_apply() or
 * vg_state_poll_meta(). A recorder must write those records to the capture BEFORE the event
 * being applied, and replay must feed them to vg_state_load_record() in capture order; the
 * start of a capture holds vg_state_snapshot(). Replaying then gives the same enrichment.
 */
#ifndef VG_STATE_STATE_H
#define VG_STATE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/hashmap.h"
#include "basic/macro.h"
#include "sensor/event.h"
#include "state/container.h"
#include "state/fdtable.h"
#include "state/proc.h"

enum vg_state_rectype {
	VG_STATE_REC_PROC = 1,
	VG_STATE_REC_CONTAINER = 2,
};

typedef int vg_state_record_fn(void *userdata, int rectype, const char *json, size_t n);

struct vg_meta_fetcher;

struct vg_state_config {
	const char *procfs_root; /* NULL: "/proc" */
	bool live; /* false: replay, never touch /proc */
	struct vg_meta_fetcher *fetcher; /* borrowed; NULL: no metadata requests */
	int meta_wait_ms; /* a new container's first event waits this long for
					   * its metadata (0: never waits) */
	uint32_t self_pid; /* events of this tgid are ignored (0: none) */
	size_t max_procs; /* 0: VG_PROC_TABLE_MAX */
	size_t exited_keep; /* 0: VG_PROC_EXITED_KEEP */
	size_t max_containers; /* 0: VG_CONTAINER_MAX */
	vg_state_record_fn *record; /* live recording hook, may be NULL */
	void *record_userdata;
};

/*
 * What one event touched, after the state was updated. Pointers are borrowed from the state
 * and valid until the next vg_state_apply() (threads removed by the event and fds closed by
 * it included). Any of them may be NULL.
 */
struct vg_event_ctx {
	struct vg_thread *thread;
	struct vg_proc *proc;
	struct vg_proc *parent;
	struct vg_container *container; /* the process's container ("host" for host processes) */
	struct vg_fd *fd; /* fd created, used, updated or just closed */
	struct vg_proc *child; /* FORK: the new process (NULL for a new thread) */
	struct vg_thread *child_thread; /* FORK: the new thread */
};

struct vg_state_stats {
	uint64_t events, ignored_self;
	uint64_t lazy_proc, lazy_header; /* unknown pids filled from /proc or from the header */
	uint64_t proc_refused, proc_evicted;
	uint64_t fd_refused;
	uint64_t container_refused, meta_requests, meta_failed;
	uint64_t record_failed;
};

/* Private to src/state: the fields are here only so that snapshot.c can walk them. */
struct vg_state {
	struct vg_state_config cfg;
	char procfs_root[256];
	struct vg_proc_table procs;
	struct vg_container_registry containers;
	struct vg_fd closed_fd; /* the fd closed by the last event (for ctx) */
	bool has_closed_fd;
	bool seeding; /* suppresses record hooks */
	struct vg_state_stats stats;
};

VG_MUST_CHECK int vg_state_new(const struct vg_state_config *cfg, struct vg_state **ret);
struct vg_state *vg_state_free(struct vg_state *s);
DEFINE_CLEANUP_FUNC(struct vg_state *, vg_state_free)

/* Walks /proc: every process and thread, cwd/exe/args, fds with socket tuples. Live only
 * (-EOPNOTSUPP in replay). Processes vanishing meanwhile are skipped. */
VG_MUST_CHECK int vg_state_seed(struct vg_state *s);
/* Updates the tables from @e and fills *ret_ctx (may be NULL). Unknown processes are
 * created lazily. Never fails because of the event's content; returns -ENOMEM only. */
VG_MUST_CHECK int vg_state_apply(struct vg_state *s, const struct vg_event *e,
				 struct vg_event_ctx *ret_ctx);
/* Delivers metadata fetch completions (never blocks). */
void vg_state_poll_meta(struct vg_state *s);
/* Readable when vg_state_poll_meta() has work; -EBADF without a fetcher. */
int vg_state_meta_fd(struct vg_state *s);

struct vg_thread *vg_state_thread(const struct vg_state *s, uint32_t tid);
struct vg_proc *vg_state_proc(const struct vg_state *s, uint32_t tgid);
/* n = 1 parent, 2 grandparent, ... (bounded by VG_PROC_ANCESTORS_MAX). */
struct vg_proc *vg_state_ancestor(const struct vg_state *s, const struct vg_proc *p, unsigned n);
struct vg_container *vg_state_container(const struct vg_state *s, const char *id);
struct vg_container *vg_state_container_by_cgroup(const struct vg_state *s, uint64_t cgroup_id);
const struct vg_state_stats *vg_state_stats(const struct vg_state *s);

/* snapshot.c */
/*
 * Emits every container (rectype 2, sorted by id) then every process (rectype 1, sorted by
 * tgid, with threads and fds) as one compact JSON object each. Stops at the first negative
 * return of @emit and returns it.
 */
VG_MUST_CHECK int vg_state_snapshot(struct vg_state *s,
				    int (*emit)(void *ud, int rectype, const char *json, size_t n),
				    void *ud);
/* Restores one record; -EBADMSG for malformed JSON or types, -E2BIG past limits,
 * -EINVAL for an unknown rectype. */
VG_MUST_CHECK int vg_state_load_record(struct vg_state *s, int rectype, const char *json, size_t n);

/* For engine/parallel.c, where a fork's parent and child may live in different states: a copy
 * of process tgid's fd table into out (vg_fdtable_init()ed by the caller), and the reverse.
 * -ENOENT when the process is unknown. */
VG_MUST_CHECK int vg_state_fds_copy_out(const struct vg_state *s, uint32_t tgid,
					struct vg_fdtable *out);
VG_MUST_CHECK int vg_state_fds_copy_in(struct vg_state *s, uint32_t tgid,
				       const struct vg_fdtable *in);
/* Serialises one process / container as vg_state_snapshot() does; *ret is malloc'ed. */
VG_MUST_CHECK int vg_state_proc_to_json(const struct vg_state *s, const struct vg_proc *p,
					char **ret, size_t *ret_len);
VG_MUST_CHECK int vg_state_container_to_json(const struct vg_container *c, char **ret,
					     size_t *ret_len);

#endif /* VG_STATE_STATE_H */
