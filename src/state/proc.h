/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process table. Threads are keyed by host tid, processes (thread groups) by host tgid, both
 * in u64 hash maps (O(1) lookups). A struct vg_proc holds what threads share: the program
 * image (exe, args, cwd, comm), session data, credentials, container, fd table. Ancestors
 * are found by walking ptgid links through the map, bounded by VG_PROC_ANCESTORS_MAX so
 * that a cycle (pid reuse) cannot loop.
 *
 * When the last thread exits, the process is kept in an "exited" ring of exited_keep
 * entries so late events still resolve, then evicted. Memory is bounded by max_procs
 * (processes incl. exited) and max_procs threads: when full the oldest exited process is
 * evicted, and if none is exited, new entries are refused (n_refused counts them).
 *
 * Removed threads and evicted processes are not freed at once but parked until
 * vg_proc_table_collect(), so pointers handed out while applying one event stay valid
 * until the next.
 */
#ifndef VG_STATE_PROC_H
#define VG_STATE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/hashmap.h"
#include "basic/limits.h"
#include "basic/macro.h"
#include "state/fdtable.h"

#define VG_PROC_ANCESTORS_MAX 64

/* exe_flags */
#define VG_PROC_EXE_UPPER   (1u << 0) /* overlayfs upper layer (container drift) */
#define VG_PROC_EXE_LOWER   (1u << 1)
#define VG_PROC_EXE_MEMFD   (1u << 2) /* fileless */
#define VG_PROC_EXE_DELETED (1u << 3) /* /proc/<pid>/exe said " (deleted)" */

struct vg_container;
struct vg_thread;

struct vg_proc {
	uint32_t tgid;
	uint32_t ptgid; /* host tgid of the parent */
	uint32_t vpid;
	uint32_t sid, pgid; /* namespace-local */
	uint32_t tty; /* major << 20 | minor, 0 = none */
	uint32_t loginuid; /* (uint32_t)-1 = unset */
	uint32_t uid, gid, euid, egid;
	/* Effective uid before the event being applied (credential changes: setuid to root);
	 * UINT32_MAX when unknown. creds_ts is the event that last set the credentials. */
	uint32_t prev_euid;
	bool creds_known;
	uint64_t creds_ts;
	uint64_t cap_eff, cap_prm;
	uint64_t start_ns; /* boot ns */
	uint64_t exit_ns;
	int64_t exit_code; /* raw */
	uint64_t cgroup_id;
	uint64_t exe_ino, exe_mtime_ns, exe_ctime_ns;
	uint32_t exe_flags; /* VG_PROC_EXE_* */
	uint32_t mnt_ns, pid_ns, net_ns, user_ns;
	char comm[VG_COMM_LEN];
	char *exe; /* resolved executable path; never NULL */
	char *args; /* argv, NUL-separated, args_len bytes; never NULL */
	size_t args_len;
	char *cwd; /* never NULL */
	struct vg_container *container; /* NULL until attributed */
	struct vg_fdtable fds;
	bool exited;
	bool partial; /* built from an event header only (no /proc, no exec seen) */
	uint32_t nthreads;
	struct vg_thread *threads; /* list of live threads */
	uint64_t serial; /* distinguishes reuses of a tgid (exited ring) */
	struct vg_proc *grave_next;
};

struct vg_thread {
	uint32_t tid, vtid;
	char comm[VG_COMM_LEN];
	struct vg_proc *proc;
	struct vg_thread *next, *prev; /* in proc->threads */
	struct vg_thread *grave_next;
};

struct vg_proc_exited_slot {
	uint32_t tgid;
	uint64_t serial;
};

struct vg_proc_table {
	struct vg_hashmap threads; /* tid -> struct vg_thread * */
	struct vg_hashmap procs; /* tgid -> struct vg_proc * */
	size_t max_procs;
	size_t exited_keep;
	struct vg_proc_exited_slot *ring; /* exited_keep slots */
	size_t ring_head, ring_len;
	size_t n_exited;
	uint64_t next_serial;
	struct vg_thread *grave_threads;
	struct vg_proc *grave_procs;
	uint64_t n_refused, n_evicted;
};

/* max_procs 0 = VG_PROC_TABLE_MAX, exited_keep 0 = VG_PROC_EXITED_KEEP. */
VG_MUST_CHECK int vg_proc_table_init(struct vg_proc_table *t, size_t max_procs, size_t exited_keep);
void vg_proc_table_done(struct vg_proc_table *t);
/* Frees what was removed since the last call. */
void vg_proc_table_collect(struct vg_proc_table *t);

struct vg_thread *vg_thread_get(const struct vg_proc_table *t, uint32_t tid);
/* Live or exited process by tgid. */
struct vg_proc *vg_proc_get(const struct vg_proc_table *t, uint32_t tgid);
struct vg_proc *vg_proc_parent(const struct vg_proc_table *t, const struct vg_proc *p);
/* n = 1 is the parent; NULL past the known chain or VG_PROC_ANCESTORS_MAX. */
struct vg_proc *vg_proc_ancestor(const struct vg_proc_table *t, const struct vg_proc *p,
				 unsigned n);

/*
 * New process @tgid with its thread @tid (tid == tgid for a leader). An existing process
 * with the same tgid (exited, or stale because its exit was missed) is replaced.
 * Returns -E2BIG when the table is full and nothing can be evicted.
 */
VG_MUST_CHECK int vg_proc_new(struct vg_proc_table *t, uint32_t tgid, uint32_t tid,
			      struct vg_proc **ret_proc, struct vg_thread **ret_thread);
/* New thread @tid in @p (an existing thread with that tid is moved). */
VG_MUST_CHECK int vg_thread_new(struct vg_proc_table *t, struct vg_proc *p, uint32_t tid,
				struct vg_thread **ret);
/* Removes one thread; when it was the last one the process is marked exited. */
void vg_thread_exit(struct vg_proc_table *t, struct vg_thread *th, uint64_t ts);
/* Removes one thread, never marking the process exited (other threads may be unknown). */
void vg_thread_remove(struct vg_proc_table *t, struct vg_thread *th);
/* Whole thread group gone: removes all threads, marks exited, enters the exited ring. */
void vg_proc_exit(struct vg_proc_table *t, struct vg_proc *p, uint64_t ts, int64_t code);

/* Setters copy, bounded by VG_PATH_MAX / VG_CMDLINE_MAX. NULL means "". */
VG_MUST_CHECK int vg_proc_set_exe(struct vg_proc *p, const char *exe);
VG_MUST_CHECK int vg_proc_set_cwd(struct vg_proc *p, const char *cwd);
VG_MUST_CHECK int vg_proc_set_args(struct vg_proc *p, const char *args, size_t len);
void vg_proc_set_comm(struct vg_proc *p, const char *comm);
void vg_proc_set_container(struct vg_proc *p, struct vg_container *c);
/* Copies the image and session data of @src into @dst (fork); fds too unless @share_fds. */
VG_MUST_CHECK int vg_proc_copy_image(struct vg_proc *dst, const struct vg_proc *src, bool copy_fds);

/* Number of argv entries, and the i-th one (NULL past the end). */
size_t vg_proc_argc(const struct vg_proc *p);
const char *vg_proc_argv(const struct vg_proc *p, size_t i);

static inline size_t vg_proc_table_nprocs(const struct vg_proc_table *t)
{
	return vg_hashmap_size(&t->procs);
}
static inline size_t vg_proc_table_nthreads(const struct vg_proc_table *t)
{
	return vg_hashmap_size(&t->threads);
}

#endif /* VG_STATE_PROC_H */
