/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/hashmap.h"
#include "basic/log.h"
#include "basic/time-util.h"
#include "engine/parallel.h"
#include "sensor/event.h"

#define IDLE_WAIT_MS   50 /* a worker with nothing queued wakes this often to poll metadata */
#define META_POLL_RECS 4096 /* and a busy one polls after this many records */
#define LINEAGE_MAX    (1u << 20) /* processes whose parent and name the dispatcher tracks */

enum rec_type {
	REC_PAD = 1, /* the rest of the ring up to its end is unused */
	REC_EVENT,
	REC_PROC,
	REC_CONTAINER,
};

/* What precedes each record in a queue; records are 16-byte aligned, so a header always fits
 * before the end of the ring. */
struct rec_hdr {
	uint32_t size; /* of the data after the header */
	uint16_t type; /* enum rec_type */
	uint16_t evaluate; /* REC_EVENT: this worker owns the process */
	uint64_t num; /* REC_EVENT: number in the whole stream (evt.num) */
};

/* A single-producer single-consumer byte ring. head and tail only grow (mod 2^64). */
struct queue {
	uint8_t *buf;
	size_t cap; /* power of two */
	size_t head; /* bytes published by the producer (atomic) */
	size_t tail; /* bytes consumed by the worker (atomic) */
	pthread_mutex_t mu;
	pthread_cond_t data, room;
	int consumer_waiting, producer_waiting; /* atomic */
};

/* A forked child's fd table, from the worker of the parent (which alone knows the parent's
 * fds) to the worker of the child. */
struct handoff {
	struct handoff *next;
	uint64_t num; /* the fork event's number */
	bool present; /* the sender knew the child */
	struct vg_fdtable fds;
};

struct worker {
	struct vg_parallel *par;
	unsigned id;
	pthread_t thread;
	bool started;
	struct queue q;
	struct vg_state *state;
	struct vg_meta_fetcher *fetcher;
	struct vg_pipeline pipe;
	bool pipe_ready;
	struct vg_detect detect;
	bool detect_ready;
	int error; /* atomic: first failure; the worker then discards what it gets */
	uint64_t cpu_ns; /* CPU time the thread used, set when it ends */
	pthread_mutex_t inbox_mu;
	pthread_cond_t inbox_cv;
	struct handoff *inbox; /* fd tables of children forked by other workers' processes */
};

struct vg_parallel {
	struct vg_parallel_config cfg;
	unsigned n;
	struct worker *w;
	int stopping; /* atomic */
	struct vg_pipeline_stats stats;
	/* tgid -> parent and main-thread name as last handed over (lineage_key()): an event
	 * that shows a new process, a new parent (reparenting) or a new name goes to every
	 * worker, so other processes' proc.pname and proc.aname agree with one thread's. */
	struct vg_hashmap lineage;
};

static void *lineage_key(const struct vg_event_hdr *h, const char *comm)
{
	uint32_t hash = 2166136261u;

	for (size_t i = 0; i < sizeof(h->comm) && comm[i]; i++)
		hash = (hash ^ (uint8_t)comm[i]) * 16777619u;
	/* bit 63: never NULL */
	return (void *)(uintptr_t)(1ull << 63 | (uint64_t)h->ppid << 32 | hash);
}

/* Whether h brings lineage news; updates what the dispatcher knows. */
static bool lineage_changed(struct vg_parallel *p, const struct vg_event_hdr *h)
{
	void *old = vg_hashmap_get_u64(&p->lineage, h->pid), *now;

	if (h->kind == VG_EV_EXIT && h->args[0] == 1) {
		(void)vg_hashmap_take_u64(&p->lineage, h->pid);
		return true;
	}
	/* a thread's name is its own: only the main thread names the process */
	now = lineage_key(h, h->tid == h->pid ? h->comm : "");
	if (old && h->tid != h->pid)
		now = (void *)(((uintptr_t)now & ~(uintptr_t)0xffffffffu) |
			       ((uintptr_t)old & 0xffffffffu));
	if (old == now)
		return false;
	if (vg_hashmap_put_u64(&p->lineage, h->pid, now) < 0)
		(void)vg_hashmap_take_u64(&p->lineage, h->pid); /* full: tell everyone, always */
	return true;
}

bool vg_parallel_is_broadcast(const struct vg_event_hdr *h)
{
	switch (h->kind) {
	case VG_EV_EXEC:
	case VG_EV_FORK:
	case VG_EV_EXIT:
		return true;
	case VG_EV_SYSCALL:
		switch (h->sc) {
		case VG_SC_SETUID:
		case VG_SC_SETGID:
		case VG_SC_SETREUID:
		case VG_SC_SETREGID:
		case VG_SC_SETRESUID:
		case VG_SC_SETRESGID:
		case VG_SC_CAPSET:
		case VG_SC_PRCTL:
		case VG_SC_UNSHARE:
		case VG_SC_SETNS:
		case VG_SC_CHROOT:
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

unsigned vg_parallel_owner(uint32_t tgid, unsigned n)
{
	return (unsigned)(((uint64_t)(tgid * 0x9e3779b1u) * n) >> 32);
}

/* ---- queues ---- */

static int queue_init(struct queue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->buf = aligned_alloc(16, cap);
	if (!q->buf)
		return -ENOMEM;
	q->cap = cap;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->data, NULL);
	pthread_cond_init(&q->room, NULL);
	return 0;
}

static void queue_done(struct queue *q)
{
	if (!q->buf)
		return;
	free(q->buf);
	q->buf = NULL;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->data);
	pthread_cond_destroy(&q->room);
}

static size_t rec_space(size_t size)
{
	return (sizeof(struct rec_hdr) + size + 15) & ~(size_t)15;
}

/* Wakes the other side if it sleeps. The flag is set before the sleeper rechecks, and the
 * index is stored before the flag is read here (both seq_cst), so no wake-up is lost. */
static void wake(struct queue *q, int *waiting, pthread_cond_t *cv)
{
	if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&q->mu);
		pthread_cond_broadcast(cv);
		pthread_mutex_unlock(&q->mu);
	}
}

static void timed_wait_on(pthread_mutex_t *mu, pthread_cond_t *cv, unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	(void)pthread_cond_timedwait(cv, mu, &ts);
}

static void timed_wait(struct queue *q, pthread_cond_t *cv, unsigned ms)
{
	timed_wait_on(&q->mu, cv, ms);
}

/* Producer: waits until need bytes are free. */
static void wait_room(struct queue *q, size_t need)
{
	for (unsigned spins = 0;; spins++) {
		size_t tail = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);

		if (q->cap - (q->head - tail) >= need)
			return;
		if (spins < 64) {
			sched_yield();
			continue;
		}
		pthread_mutex_lock(&q->mu);
		__atomic_store_n(&q->producer_waiting, 1, __ATOMIC_SEQ_CST);
		tail = __atomic_load_n(&q->tail, __ATOMIC_SEQ_CST);
		if (q->cap - (q->head - tail) < need)
			timed_wait(q, &q->room, IDLE_WAIT_MS);
		__atomic_store_n(&q->producer_waiting, 0, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&q->mu);
	}
}

static void queue_put(struct queue *q, const struct rec_hdr *h, const void *data)
{
	size_t need = rec_space(h->size);
	size_t pos = q->head & (q->cap - 1);
	size_t pad = q->cap - pos < need ? q->cap - pos : 0;

	wait_room(q, pad + need);
	if (pad) {
		struct rec_hdr ph = {.size = (uint32_t)(pad - sizeof(ph)), .type = REC_PAD};

		memcpy(q->buf + pos, &ph, sizeof(ph));
		pos = 0;
	}
	memcpy(q->buf + pos, h, sizeof(*h));
	memcpy(q->buf + pos + sizeof(*h), data, h->size);
	__atomic_store_n(&q->head, q->head + pad + need, __ATOMIC_SEQ_CST);
	wake(q, &q->consumer_waiting, &q->data);
}

/* ---- workers ---- */

static int first_error(const struct vg_parallel *p);

static void handoff_free(struct handoff *h)
{
	if (!h)
		return;
	vg_fdtable_done(&h->fds);
	free(h);
}

/* The parent's worker: the child's fds as this state has them, right after the fork. */
static int send_fds(struct worker *w, struct worker *to, uint64_t num, uint32_t child)
{
	struct handoff *h = calloc(1, sizeof(*h));
	int r;

	if (!h)
		return -ENOMEM;
	h->num = num;
	vg_fdtable_init(&h->fds, 0);
	r = vg_state_fds_copy_out(w->state, child, &h->fds);
	if (r < 0 && r != -ENOENT) {
		handoff_free(h);
		return r;
	}
	h->present = r >= 0;
	pthread_mutex_lock(&to->inbox_mu);
	h->next = to->inbox;
	to->inbox = h;
	pthread_cond_broadcast(&to->inbox_cv);
	pthread_mutex_unlock(&to->inbox_mu);
	return 0;
}

/* The child's worker: waits for the parent's worker to have applied the same fork, then takes
 * the child's fds from it. The parent's worker never waits for this one at this fork or a
 * later one (every worker sees every fork, in one order), so this cannot deadlock. */
static int receive_fds(struct worker *w, uint64_t num, uint32_t child)
{
	struct handoff *h = NULL;
	int r = 0;

	pthread_mutex_lock(&w->inbox_mu);
	for (;;) {
		for (struct handoff **pp = &w->inbox; *pp; pp = &(*pp)->next)
			if ((*pp)->num == num) {
				h = *pp;
				*pp = h->next;
				break;
			}
		if (h)
			break;
		if (first_error(w->par) < 0) { /* the sender may have stopped */
			r = -ECANCELED;
			break;
		}
		timed_wait_on(&w->inbox_mu, &w->inbox_cv, IDLE_WAIT_MS);
	}
	pthread_mutex_unlock(&w->inbox_mu);
	if (h && h->present) {
		r = vg_state_fds_copy_in(w->state, child, &h->fds);
		if (r == -ENOENT)
			r = 0; /* not created here (process table full): nothing to fill */
	}
	handoff_free(h);
	return r;
}

/* After a fork event: its child's fds cross from the parent's worker to the child's. */
static int fork_fds(struct worker *w, const struct rec_hdr *rh, const uint8_t *data)
{
	const struct vg_event_hdr *h = (const struct vg_event_hdr *)data; /* decoded: valid */
	unsigned n = w->par->n, po, co;
	uint32_t child;

	if (n == 1 || h->kind != VG_EV_FORK || (h->flags & VG_EVF_THREAD) || !h->args[0])
		return 0;
	child = (uint32_t)h->args[0];
	po = vg_parallel_owner(h->pid, n);
	co = vg_parallel_owner(child, n);
	if (po == co)
		return 0;
	if (w->id == po)
		return send_fds(w, &w->par->w[co], rh->num, child);
	if (w->id == co)
		return receive_fds(w, rh->num, child);
	return 0;
}

static int handle(struct worker *w, const struct rec_hdr *h, const uint8_t *data)
{
	int r;

	switch (h->type) {
	case REC_EVENT:
		r = vg_pipeline_event_num(&w->pipe, data, h->size, h->num, h->evaluate);
		return r < 0 ? r : fork_fds(w, h, data);
	case REC_PROC:
	case REC_CONTAINER:
		/* the dispatcher copied a NUL after the JSON (counted in size) */
		return vg_state_load_record(w->state,
					    h->type == REC_PROC ? VG_STATE_REC_PROC
								: VG_STATE_REC_CONTAINER,
					    (const char *)data, h->size - 1);
	default:
		return 0;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct queue *q = &w->q;
	unsigned since_poll = 0;

	for (;;) {
		size_t head = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
		size_t tail = q->tail;

		if (tail == head) {
			if (w->par->cfg.state.live)
				vg_state_poll_meta(w->state);
			if (__atomic_load_n(&w->par->stopping, __ATOMIC_ACQUIRE) &&
			    __atomic_load_n(&q->head, __ATOMIC_ACQUIRE) == tail)
				break;
			pthread_mutex_lock(&q->mu);
			__atomic_store_n(&q->consumer_waiting, 1, __ATOMIC_SEQ_CST);
			if (__atomic_load_n(&q->head, __ATOMIC_SEQ_CST) == tail &&
			    !__atomic_load_n(&w->par->stopping, __ATOMIC_SEQ_CST))
				timed_wait(q, &q->data, IDLE_WAIT_MS);
			__atomic_store_n(&q->consumer_waiting, 0, __ATOMIC_SEQ_CST);
			pthread_mutex_unlock(&q->mu);
			continue;
		}
		while (tail != head) {
			const uint8_t *at = q->buf + (tail & (q->cap - 1));
			struct rec_hdr h;

			memcpy(&h, at, sizeof(h));
			if (!__atomic_load_n(&w->error, __ATOMIC_RELAXED)) {
				int r = handle(w, &h, at + sizeof(h));

				if (r < 0)
					__atomic_store_n(&w->error, r, __ATOMIC_RELEASE);
			}
			tail += rec_space(h.size);
			if (++since_poll >= META_POLL_RECS && w->par->cfg.state.live) {
				vg_state_poll_meta(w->state);
				since_poll = 0;
			}
			/* Room for the producer as soon as a record is done. */
			__atomic_store_n(&q->tail, tail, __ATOMIC_SEQ_CST);
			wake(q, &q->producer_waiting, &q->room);
		}
	}
	w->cpu_ns = vg_now_ns(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

static int worker_init(struct vg_parallel *p, struct worker *w, unsigned id)
{
	struct vg_state_config scfg = p->cfg.state;
	int r;

	w->par = p;
	w->id = id;
	pthread_mutex_init(&w->inbox_mu, NULL);
	pthread_cond_init(&w->inbox_cv, NULL);
	r = queue_init(&w->q, VG_PARALLEL_QUEUE_BYTES);
	if (r < 0)
		return r;
	if (p->cfg.fetcher) {
		r = vg_meta_fetcher_new(p->cfg.fetcher, &w->fetcher);
		if (r < 0)
			log_warning_errno(r, "Worker %u: container metadata disabled, cannot start "
					  "its fetcher: %m", id);
		scfg.fetcher = r < 0 ? NULL : w->fetcher;
	}
	r = vg_state_new(&scfg, &w->state);
	if (r < 0)
		return r;
	if (p->cfg.seed) {
		r = vg_state_seed(w->state);
		if (r < 0)
			return r;
	}
	vg_pipeline_init(&w->pipe, w->state, VG_EVENTS_NONE, NULL, p->cfg.boot_offset_ns, NULL);
	w->pipe_ready = true;
	if (p->cfg.hub) {
		r = vg_detect_init_worker(&w->detect, p->cfg.hub);
		if (r < 0)
			return r;
		w->detect_ready = true;
		vg_pipeline_set_detect(&w->pipe, &w->detect, p->cfg.hostname);
	}
	return 0;
}

int vg_parallel_new(const struct vg_parallel_config *cfg, struct vg_parallel **ret)
{
	struct vg_parallel *p;
	int r = 0;

	if (!cfg || !ret || cfg->threads < 1 || cfg->threads > VG_PARALLEL_THREADS_MAX ||
	    cfg->state.record || (cfg->hub && !cfg->hub->shared))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->cfg = *cfg;
	p->n = cfg->threads;
	vg_hashmap_init(&p->lineage, VG_HASHMAP_U64, LINEAGE_MAX, NULL);
	p->w = calloc(p->n, sizeof(*p->w));
	if (!p->w) {
		free(p);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < p->n && r >= 0; i++)
		r = worker_init(p, &p->w[i], i);
	for (unsigned i = 0; i < p->n && r >= 0; i++) {
		r = -pthread_create(&p->w[i].thread, NULL, worker_main, &p->w[i]);
		p->w[i].started = r == 0;
	}
	if (r < 0) {
		vg_parallel_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

static int first_error(const struct vg_parallel *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		int e = __atomic_load_n(&p->w[i].error, __ATOMIC_ACQUIRE);

		if (e)
			return e;
	}
	return 0;
}

int vg_parallel_event(struct vg_parallel *p, const void *data, size_t size)
{
	struct vg_event e;
	const char *why = NULL;
	struct rec_hdr h;
	int r;

	p->stats.records++;
	r = first_error(p);
	if (r < 0)
		return r;
	if (size > VG_PARALLEL_RECORD_MAX || vg_event_decode(data, size, &e, &why) < 0) {
		p->stats.malformed++;
		return 0;
	}
	h = (struct rec_hdr){.size = (uint32_t)size, .type = REC_EVENT, .num = p->stats.records};
	if (p->n > 1 && (lineage_changed(p, e.hdr) || vg_parallel_is_broadcast(e.hdr))) {
		unsigned owner = vg_parallel_owner(e.hdr->pid, p->n);

		for (unsigned i = 0; i < p->n; i++) {
			h.evaluate = i == owner;
			queue_put(&p->w[i].q, &h, data);
		}
		return 0;
	}
	h.evaluate = 1;
	queue_put(&p->w[vg_parallel_owner(e.hdr->pid, p->n)].q, &h, data);
	return 0;
}

int vg_parallel_state_record(struct vg_parallel *p, int rectype, const void *json, size_t n)
{
	struct rec_hdr h = {.type = rectype == VG_STATE_REC_PROC ? REC_PROC : REC_CONTAINER};
	uint8_t *copy;
	int r = first_error(p);

	if (r < 0)
		return r;
	if (n + 1 > VG_PARALLEL_RECORD_MAX)
		return -E2BIG;
	/* the state's JSON reader wants a NUL after the record */
	copy = malloc(n + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, json, n);
	copy[n] = '\0';
	h.size = (uint32_t)(n + 1);
	for (unsigned i = 0; i < p->n; i++)
		queue_put(&p->w[i].q, &h, copy);
	free(copy);
	return 0;
}

/* The hub's "last event" time (of the internal alerts that follow) is the latest any worker
 * evaluated; called when the workers have nothing left to do. */
static void sync_last_time(struct vg_parallel *p)
{
	struct vg_detect *hub = p->cfg.hub;

	if (!hub)
		return;
	vg_detect_lock(hub);
	for (unsigned i = 0; i < p->n; i++)
		if (p->w[i].detect_ready && p->w[i].detect.last_time_ns > hub->last_time_ns)
			hub->last_time_ns = p->w[i].detect.last_time_ns;
	vg_detect_unlock(hub);
}

int vg_parallel_drain(struct vg_parallel *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		struct queue *q = &p->w[i].q;

		/* everything published is consumed: the whole ring is free */
		wait_room(q, q->cap);
	}
	sync_last_time(p);
	return first_error(p);
}

static void stop_workers(struct vg_parallel *p)
{
	__atomic_store_n(&p->stopping, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < p->n; i++) {
		struct worker *w = &p->w[i];

		if (!w->started)
			continue;
		pthread_mutex_lock(&w->q.mu);
		pthread_cond_broadcast(&w->q.data);
		pthread_mutex_unlock(&w->q.mu);
		pthread_join(w->thread, NULL);
		w->started = false;
	}
}

int vg_parallel_drops(struct vg_parallel *p, struct vg_detect *hub, uint64_t drops)
{
	int r = p ? vg_parallel_drain(p) : 0;

	if (r < 0)
		return r;
	vg_detect_lock(hub);
	r = vg_detect_drops(hub, drops);
	vg_detect_unlock(hub);
	return r;
}

int vg_parallel_finish(struct vg_parallel *p)
{
	if (!p)
		return 0;
	stop_workers(p);
	sync_last_time(p);
	return first_error(p);
}

struct vg_parallel *vg_parallel_free(struct vg_parallel *p)
{
	if (!p)
		return NULL;
	stop_workers(p);
	for (unsigned i = 0; i < p->n; i++) {
		struct worker *w = &p->w[i];

		if (w->detect_ready)
			vg_detect_done(&w->detect);
		if (w->pipe_ready)
			vg_pipeline_done(&w->pipe);
		vg_state_free(w->state);
		vg_meta_fetcher_free(w->fetcher);
		queue_done(&w->q);
		while (w->inbox) {
			struct handoff *h = w->inbox;

			w->inbox = h->next;
			handoff_free(h);
		}
		if (w->par) {
			pthread_mutex_destroy(&w->inbox_mu);
			pthread_cond_destroy(&w->inbox_cv);
		}
	}
	free(p->w);
	vg_hashmap_done(&p->lineage);
	free(p);
	return NULL;
}

uint64_t vg_parallel_worker_cpu_ns(const struct vg_parallel *p, unsigned i)
{
	return i < p->n ? p->w[i].cpu_ns : 0;
}

const struct vg_state *vg_parallel_state(const struct vg_parallel *p, unsigned i)
{
	return i < p->n ? p->w[i].state : NULL;
}

void vg_parallel_stats(const struct vg_parallel *p, struct vg_pipeline_stats *ret)
{
	*ret = p->stats;
}
