/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "state/proc.h"
#include "test-helpers.h"

static struct vg_state *replay_state(size_t max_procs, size_t keep)
{
	struct vg_state_config cfg = {.live = false, .max_procs = max_procs, .exited_keep = keep};
	struct vg_state *s = NULL;

	ASSERT_OK(vg_state_new(&cfg, &s));
	return s;
}

static void fork_ev(struct vg_state *s, uint32_t parent, uint32_t child, bool thread,
		    struct vg_event_ctx *ctx)
{
	struct vg_evb b;

	vg_evb_init(&b, VG_EV_FORK, VG_SC_CLONE);
	evb_ids(&b, parent, parent, 1, "bash");
	vg_evb_hdr(&b)->args[0] = thread ? parent : child;
	vg_evb_hdr(&b)->args[1] = child;
	vg_evb_hdr(&b)->args[3] = thread ? parent : child;
	vg_evb_hdr(&b)->args[4] = child;
	if (thread)
		vg_evb_hdr(&b)->flags |= VG_EVF_THREAD;
	vg_evb_str(&b, VG_P_CGROUP, "/user.slice");
	evb_apply(s, &b, ctx);
}

static void exec_ev(struct vg_state *s, uint32_t pid, uint32_t ppid, const char *comm,
		    const char *exe, const char *const *argv, const char *cgroup,
		    struct vg_event_ctx *ctx)
{
	struct vg_evb b;

	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	evb_ids(&b, pid, pid, ppid, comm);
	vg_evb_str(&b, VG_P_FILENAME, exe);
	vg_evb_str(&b, VG_P_EXE, exe);
	vg_evb_list(&b, VG_P_ARGV, argv);
	vg_evb_str(&b, VG_P_CWD, "/root");
	vg_evb_str(&b, VG_P_CGROUP, cgroup);
	vg_evb_hdr(&b)->cgroup_id = 1000 + strlen(cgroup); /* one id per cgroup path */
	evb_apply(s, &b, ctx);
}

static void exit_ev(struct vg_state *s, uint32_t pid, uint32_t tid, bool group, uint64_t ts)
{
	struct vg_evb b;

	vg_evb_init(&b, VG_EV_EXIT, VG_SC_NONE);
	evb_ids(&b, pid, tid, 1, "x");
	vg_evb_hdr(&b)->args[0] = group;
	vg_evb_hdr(&b)->ts = ts;
	evb_apply(s, &b, NULL);
}

TEST(fork_exec_exit_ancestors)
{
	struct vg_state *s = replay_state(0, 0);
	struct vg_event_ctx ctx;
	static const char *const a1[] = {"bash", NULL};
	static const char *const a2[] = {"cat", "/etc/shadow", NULL};

	exec_ev(s, 100, 1, "bash", "/bin/bash", a1, "/user.slice", &ctx);
	ASSERT_NOT_NULL(ctx.proc);
	ASSERT_STREQ(ctx.proc->exe, "/bin/bash");
	ASSERT_STREQ(ctx.container->id, "host");
	fork_ev(s, 100, 200, false, &ctx);
	ASSERT_NOT_NULL(ctx.child);
	ASSERT_EQ(ctx.child->ptgid, 100u);
	ASSERT_STREQ(ctx.child->exe, "/bin/bash");
	exec_ev(s, 200, 100, "cat", "/usr/bin/cat", a2,
		"/docker/"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		&ctx);
	ASSERT_STREQ(ctx.proc->comm, "cat");
	ASSERT_STREQ(vg_proc_argv(ctx.proc, 1), "/etc/shadow");
	ASSERT_EQ(vg_proc_argc(ctx.proc), 2u);
	ASSERT_STREQ(ctx.parent->comm, "bash");
	ASSERT_STREQ(ctx.container->short_id, "0123456789ab");
	ASSERT_EQ(ctx.container->state, VG_CONTAINER_PENDING);
	ASSERT_STREQ(vg_state_ancestor(s, ctx.proc, 1)->comm, "bash");
	ASSERT_NULL(vg_state_ancestor(s, ctx.proc, 2)); /* pid 1 never seen */

	exit_ev(s, 200, 200, true, 5000000000ull);
	ASSERT_NOT_NULL(vg_state_proc(s, 200));
	ASSERT_TRUE(vg_state_proc(s, 200)->exited);
	ASSERT_NULL(vg_state_thread(s, 200));
	vg_state_free(s);
}

TEST(threads)
{
	struct vg_state *s = replay_state(0, 0);
	struct vg_event_ctx ctx;
	static const char *const a1[] = {"java", NULL};

	exec_ev(s, 300, 1, "java", "/usr/bin/java", a1, "/", &ctx);
	fork_ev(s, 300, 301, true, &ctx);
	ASSERT_NULL(ctx.child);
	ASSERT_NOT_NULL(ctx.child_thread);
	ASSERT_EQ(vg_state_thread(s, 301)->proc, vg_state_proc(s, 300));
	ASSERT_EQ(vg_state_proc(s, 300)->nthreads, 2u);
	exit_ev(s, 300, 301, false, 2000000000ull);
	ASSERT_NULL(vg_state_thread(s, 301));
	ASSERT_FALSE(vg_state_proc(s, 300)->exited);
	vg_state_free(s);
}

TEST(lazy_from_header_and_cycle)
{
	struct vg_state *s = replay_state(0, 0);
	struct vg_evb b;
	struct vg_event_ctx ctx;

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_SETUID);
	evb_ids(&b, 500, 500, 501, "evil");
	evb_apply(s, &b, &ctx);
	ASSERT_NOT_NULL(ctx.proc);
	ASSERT_TRUE(ctx.proc->partial);
	ASSERT_STREQ(ctx.proc->comm, "evil");
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_SETUID);
	evb_ids(&b, 501, 501, 500, "evil2");
	evb_apply(s, &b, &ctx);
	/* 500 <-> 501 parent cycle: bounded walk */
	ASSERT_NULL(vg_state_ancestor(s, ctx.proc, VG_PROC_ANCESTORS_MAX + 1));
	ASSERT_NOT_NULL(vg_state_ancestor(s, ctx.proc, VG_PROC_ANCESTORS_MAX));
	vg_state_free(s);
}

TEST(eviction_and_bounds)
{
	struct vg_state *s = replay_state(8, 2);
	static const char *const a[] = {"x", NULL};
	struct vg_event_ctx ctx;

	for (uint32_t i = 0; i < 8; i++)
		exec_ev(s, 1000 + i, 1, "x", "/x", a, "/", &ctx);
	ASSERT_EQ(vg_proc_table_nprocs(&s->procs), 8u);
	/* full, nothing exited: refused */
	exec_ev(s, 2000, 1, "x", "/x", a, "/", &ctx);
	ASSERT_NULL(ctx.proc);
	ASSERT_GE(s->stats.proc_refused, 1u);
	/* three exit: the ring keeps two */
	exit_ev(s, 1000, 1000, true, 10);
	exit_ev(s, 1001, 1001, true, 11);
	exit_ev(s, 1002, 1002, true, 12);
	ASSERT_NULL(vg_state_proc(s, 1000));
	ASSERT_NOT_NULL(vg_state_proc(s, 1001));
	/* now there is room: oldest exited are evicted first */
	exec_ev(s, 2000, 1, "x", "/x", a, "/", &ctx);
	ASSERT_NOT_NULL(ctx.proc);
	exec_ev(s, 2001, 1, "x", "/x", a, "/", &ctx);
	exec_ev(s, 2002, 1, "x", "/x", a, "/", &ctx);
	ASSERT_NOT_NULL(ctx.proc);
	ASSERT_NULL(vg_state_proc(s, 1001));
	ASSERT_LE(vg_proc_table_nprocs(&s->procs), 8u);
	vg_state_free(s);
}

TEST(late_event_after_exit)
{
	struct vg_state *s = replay_state(0, 0);
	static const char *const a[] = {"x", NULL};
	struct vg_event_ctx ctx;
	struct vg_evb b;

	exec_ev(s, 700, 1, "x", "/bin/x", a, "/", &ctx);
	exit_ev(s, 700, 700, true, 5000000000ull);
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CLOSE);
	evb_ids(&b, 700, 700, 1, "x");
	vg_evb_hdr(&b)->ts = 4000000000ull;
	evb_apply(s, &b, &ctx);
	ASSERT_NOT_NULL(ctx.proc);
	ASSERT_STREQ(ctx.proc->exe, "/bin/x");
	ASSERT_TRUE(ctx.proc->exited);
	vg_state_free(s);
}
