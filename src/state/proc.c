/* SPDX-License-Identifier: Apache-2.0 */
/* Process and thread table (see proc.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state/container.h"
#include "state/proc.h"

static void proc_free(struct vg_proc *p)
{
	if (!p)
		return;
	if (p->container && p->container->nprocs > 0)
		p->container->nprocs--;
	vg_fdtable_done(&p->fds);
	free(p->exe);
	free(p->args);
	free(p->cwd);
	free(p);
}

int vg_proc_table_init(struct vg_proc_table *t, size_t max_procs, size_t exited_keep)
{
	*t = (struct vg_proc_table){
		.max_procs = max_procs ? max_procs : VG_PROC_TABLE_MAX,
		.exited_keep = exited_keep ? exited_keep : VG_PROC_EXITED_KEEP,
		.next_serial = 1,
	};
	vg_hashmap_init(&t->threads, VG_HASHMAP_U64, t->max_procs, NULL);
	vg_hashmap_init(&t->procs, VG_HASHMAP_U64, t->max_procs, NULL);
	t->ring = calloc(t->exited_keep, sizeof(*t->ring));
	if (!t->ring)
		return -ENOMEM;
	return 0;
}

void vg_proc_table_collect(struct vg_proc_table *t)
{
	while (t->grave_threads) {
		struct vg_thread *th = t->grave_threads;

		t->grave_threads = th->grave_next;
		free(th);
	}
	while (t->grave_procs) {
		struct vg_proc *p = t->grave_procs;

		t->grave_procs = p->grave_next;
		proc_free(p);
	}
}

void vg_proc_table_done(struct vg_proc_table *t)
{
	struct vg_hashmap_entry *e;

	vg_proc_table_collect(t);
	for (size_t i = 0; vg_hashmap_next(&t->threads, &i, &e);)
		free(e->value);
	for (size_t i = 0; vg_hashmap_next(&t->procs, &i, &e);)
		proc_free(e->value);
	vg_hashmap_done(&t->threads);
	vg_hashmap_done(&t->procs);
	free(t->ring);
	t->ring = NULL;
}

struct vg_thread *vg_thread_get(const struct vg_proc_table *t, uint32_t tid)
{
	return vg_hashmap_get_u64(&t->threads, tid);
}

struct vg_proc *vg_proc_get(const struct vg_proc_table *t, uint32_t tgid)
{
	return vg_hashmap_get_u64(&t->procs, tgid);
}

struct vg_proc *vg_proc_parent(const struct vg_proc_table *t, const struct vg_proc *p)
{
	if (!p || p->ptgid == 0 || p->ptgid == p->tgid)
		return NULL;
	return vg_proc_get(t, p->ptgid);
}

struct vg_proc *vg_proc_ancestor(const struct vg_proc_table *t, const struct vg_proc *p, unsigned n)
{
	struct vg_proc *a = (struct vg_proc *)p;

	if (n > VG_PROC_ANCESTORS_MAX)
		return NULL;
	for (unsigned i = 0; i < n && a; i++)
		a = vg_proc_parent(t, a);
	return a;
}

static void thread_unlink(struct vg_proc_table *t, struct vg_thread *th)
{
	struct vg_proc *p = th->proc;

	if (p) {
		if (th->prev)
			th->prev->next = th->next;
		else
			p->threads = th->next;
		if (th->next)
			th->next->prev = th->prev;
		if (p->nthreads > 0)
			p->nthreads--;
	}
	th->next = th->prev = NULL;
	th->proc = NULL;
	(void)vg_hashmap_take_u64(&t->threads, th->tid);
	th->grave_next = t->grave_threads;
	t->grave_threads = th;
}

static void thread_link(struct vg_proc *p, struct vg_thread *th)
{
	th->proc = p;
	th->prev = NULL;
	th->next = p->threads;
	if (p->threads)
		p->threads->prev = th;
	p->threads = th;
	p->nthreads++;
}

/* Takes @p out of the map (with its threads) and parks it for collect. */
static void proc_bury(struct vg_proc_table *t, struct vg_proc *p)
{
	while (p->threads)
		thread_unlink(t, p->threads);
	if (vg_hashmap_get_u64(&t->procs, p->tgid) == p)
		(void)vg_hashmap_take_u64(&t->procs, p->tgid);
	if (p->exited && t->n_exited > 0)
		t->n_exited--;
	p->grave_next = t->grave_procs;
	t->grave_procs = p;
}

/* Drops the oldest entry of the exited ring; true when a process was evicted. */
static bool ring_pop(struct vg_proc_table *t)
{
	while (t->ring_len > 0) {
		struct vg_proc_exited_slot s = t->ring[t->ring_head];
		struct vg_proc *p;

		t->ring_head = (t->ring_head + 1) % t->exited_keep;
		t->ring_len--;
		p = vg_proc_get(t, s.tgid);
		if (p && p->serial == s.serial && p->exited) {
			proc_bury(t, p);
			t->n_evicted++;
			return true;
		}
	}
	return false;
}

static void ring_push(struct vg_proc_table *t, struct vg_proc *p)
{
	if (t->ring_len == t->exited_keep)
		(void)ring_pop(t);
	t->ring[(t->ring_head + t->ring_len) % t->exited_keep] =
		(struct vg_proc_exited_slot){.tgid = p->tgid, .serial = p->serial};
	t->ring_len++;
}

static int alloc_empty_strings(struct vg_proc *p)
{
	p->exe = strdup("");
	p->args = strdup("");
	p->cwd = strdup("");
	if (!p->exe || !p->args || !p->cwd)
		return -ENOMEM;
	return 0;
}

static struct vg_thread *thread_alloc(uint32_t tid)
{
	struct vg_thread *th = calloc(1, sizeof(*th));

	if (th) {
		th->tid = tid;
		th->vtid = tid;
	}
	return th;
}

int vg_proc_new(struct vg_proc_table *t, uint32_t tgid, uint32_t tid, struct vg_proc **ret_proc,
		struct vg_thread **ret_thread)
{
	struct vg_proc *old = vg_proc_get(t, tgid), *p;
	struct vg_thread *th, *oldth;
	int r;

	if (tgid == 0 || tid == 0)
		return -EINVAL;
	if (old)
		proc_bury(t, old);
	oldth = vg_thread_get(t, tid);
	if (oldth)
		thread_unlink(t, oldth);
	while (vg_hashmap_size(&t->procs) >= t->max_procs ||
	       vg_hashmap_size(&t->threads) >= t->max_procs) {
		if (!ring_pop(t)) {
			t->n_refused++;
			return -E2BIG;
		}
	}

	p = calloc(1, sizeof(*p));
	th = thread_alloc(tid);
	if (!p || !th) {
		free(p);
		free(th);
		return -ENOMEM;
	}
	p->tgid = tgid;
	p->vpid = tgid;
	p->loginuid = UINT32_MAX;
	p->serial = t->next_serial++;
	vg_fdtable_init(&p->fds, 0);
	r = alloc_empty_strings(p);
	if (r < 0) {
		proc_free(p);
		free(th);
		return r;
	}
	r = vg_hashmap_put_u64(&t->procs, tgid, p);
	if (r < 0) {
		proc_free(p);
		free(th);
		return r;
	}
	r = vg_hashmap_put_u64(&t->threads, tid, th);
	if (r < 0) {
		(void)vg_hashmap_take_u64(&t->procs, tgid);
		proc_free(p);
		free(th);
		return r;
	}
	thread_link(p, th);
	if (ret_proc)
		*ret_proc = p;
	if (ret_thread)
		*ret_thread = th;
	return 0;
}

int vg_thread_new(struct vg_proc_table *t, struct vg_proc *p, uint32_t tid, struct vg_thread **ret)
{
	struct vg_thread *th = vg_thread_get(t, tid);
	int r;

	if (tid == 0)
		return -EINVAL;
	if (th) {
		if (th->proc != p) {
			if (th->proc) {
				struct vg_proc *op = th->proc;

				if (th->prev)
					th->prev->next = th->next;
				else
					op->threads = th->next;
				if (th->next)
					th->next->prev = th->prev;
				op->nthreads--;
			}
			thread_link(p, th);
		}
		*ret = th;
		return 0;
	}
	if (vg_hashmap_size(&t->threads) >= t->max_procs && !ring_pop(t)) {
		t->n_refused++;
		return -E2BIG;
	}
	th = thread_alloc(tid);
	if (!th)
		return -ENOMEM;
	memcpy(th->comm, p->comm, sizeof(th->comm));
	r = vg_hashmap_put_u64(&t->threads, tid, th);
	if (r < 0) {
		free(th);
		return r;
	}
	thread_link(p, th);
	if (p->exited) {
		/* it was not gone after all (missed threads); the ring slot goes stale */
		p->exited = false;
		if (t->n_exited > 0)
			t->n_exited--;
	}
	*ret = th;
	return 0;
}

static void mark_exited(struct vg_proc_table *t, struct vg_proc *p, uint64_t ts)
{
	if (p->exited)
		return;
	p->exited = true;
	p->exit_ns = ts;
	t->n_exited++;
	ring_push(t, p);
}

void vg_thread_exit(struct vg_proc_table *t, struct vg_thread *th, uint64_t ts)
{
	struct vg_proc *p = th->proc;

	thread_unlink(t, th);
	if (p && p->nthreads == 0)
		mark_exited(t, p, ts);
}

void vg_thread_remove(struct vg_proc_table *t, struct vg_thread *th)
{
	thread_unlink(t, th);
}

void vg_proc_exit(struct vg_proc_table *t, struct vg_proc *p, uint64_t ts, int64_t code)
{
	while (p->threads)
		thread_unlink(t, p->threads);
	p->exit_code = code;
	mark_exited(t, p, ts);
}

static int set_str(char **dst, const char *s, size_t max)
{
	char *n = strndup(s ? s : "", max);

	if (!n)
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

int vg_proc_set_exe(struct vg_proc *p, const char *exe)
{
	return set_str(&p->exe, exe, VG_PATH_MAX);
}

int vg_proc_set_cwd(struct vg_proc *p, const char *cwd)
{
	return set_str(&p->cwd, cwd, VG_PATH_MAX);
}

int vg_proc_set_args(struct vg_proc *p, const char *args, size_t len)
{
	char *n;

	len = VG_MIN(len, (size_t)VG_CMDLINE_MAX);
	n = malloc(len + 1);
	if (!n)
		return -ENOMEM;
	if (len)
		memcpy(n, args, len);
	n[len] = '\0';
	/* the last string must be terminated inside len */
	if (len > 0 && n[len - 1] != '\0')
		len++; /* n[len] is the NUL just written */
	free(p->args);
	p->args = n;
	p->args_len = len;
	return 0;
}

void vg_proc_set_comm(struct vg_proc *p, const char *comm)
{
	size_t n = strnlen(comm ? comm : "", VG_COMM_LEN - 1);

	memcpy(p->comm, comm ? comm : "", n);
	p->comm[n] = '\0';
}

void vg_proc_set_container(struct vg_proc *p, struct vg_container *c)
{
	if (p->container == c)
		return;
	if (p->container && p->container->nprocs > 0)
		p->container->nprocs--;
	p->container = c;
	if (c)
		c->nprocs++;
}

int vg_proc_copy_image(struct vg_proc *dst, const struct vg_proc *src, bool copy_fds)
{
	int r;

	r = vg_proc_set_exe(dst, src->exe);
	if (r >= 0)
		r = vg_proc_set_cwd(dst, src->cwd);
	if (r >= 0)
		r = vg_proc_set_args(dst, src->args, src->args_len);
	if (r < 0)
		return r;
	memcpy(dst->comm, src->comm, sizeof(dst->comm));
	dst->sid = src->sid;
	dst->pgid = src->pgid;
	dst->tty = src->tty;
	dst->loginuid = src->loginuid;
	dst->uid = src->uid;
	dst->creds_known = src->creds_known;
	dst->gid = src->gid;
	dst->euid = src->euid;
	dst->egid = src->egid;
	dst->cap_eff = src->cap_eff;
	dst->cap_prm = src->cap_prm;
	dst->cgroup_id = src->cgroup_id;
	dst->exe_ino = src->exe_ino;
	dst->exe_mtime_ns = src->exe_mtime_ns;
	dst->exe_ctime_ns = src->exe_ctime_ns;
	dst->exe_flags = src->exe_flags;
	dst->mnt_ns = src->mnt_ns;
	dst->pid_ns = src->pid_ns;
	dst->net_ns = src->net_ns;
	dst->user_ns = src->user_ns;
	dst->partial = src->partial;
	vg_proc_set_container(dst, src->container);
	if (copy_fds)
		return vg_fdtable_copy(&dst->fds, &src->fds);
	return 0;
}

size_t vg_proc_argc(const struct vg_proc *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->args_len; i++)
		if (p->args[i] == '\0')
			n++;
	return n;
}

const char *vg_proc_argv(const struct vg_proc *p, size_t idx)
{
	size_t i = 0;

	while (i < p->args_len) {
		if (idx == 0)
			return p->args + i;
		i += strlen(p->args + i) + 1;
		idx--;
	}
	return NULL;
}
