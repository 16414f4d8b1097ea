/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Metadata fetcher: one worker thread, one FIFO of requests (queued -> running -> done),
 * an eventfd that the worker bumps per completion and poll() resets. All list state is under
 * one mutex; callbacks run on the caller's thread, outside the lock.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "state/docker.h"
#include "state/fetcher.h"
#include "state/meta-internal.h"
#include "state/runc.h"

enum req_state { REQ_QUEUED, REQ_RUNNING, REQ_DONE };

struct req {
	struct req *next;
	char *id;
	int hint;
	enum req_state state;
	int error;
	struct vg_container_meta *meta;
};

struct vg_meta_fetcher {
	char *docker_socket;
	char *runc_roots[5];
	bool disabled;
	int efd;

	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_cond_t done; /* broadcast when a request completes (vg_meta_fetcher_wait) */
	bool stop;
	struct req *head, *tail;
	size_t n_reqs;

	/* Worker-only: Docker back-off. */
	int64_t docker_retry_at_ms;
	int docker_err; /* remembered while backing off; 1 = socket absent */
};

#define DOCKER_ABSENT 1

static const char *const default_roots[] = {
	"/run/runc",
	"/run/crun",
	"/run/docker/runtime-runc/moby",
	"/run/containerd/runc/k8s.io",
};

static int64_t now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void req_free(struct req *r)
{
	if (!r)
		return;
	free(r->id);
	vg_container_meta_free(r->meta);
	free(r);
}

static bool docker_first(int hint)
{
	return hint != VG_RUNTIME_RUNC && hint != VG_RUNTIME_CRUN &&
	       hint != VG_RUNTIME_CONTAINERD && hint != VG_RUNTIME_CRIO;
}

static bool is_conn_error(int r)
{
	return r == -ECONNREFUSED || r == -ETIMEDOUT || r == -EACCES || r == -ECONNRESET ||
	       r == -EPIPE || r == -ENOTSOCK || r == -EPERM;
}

/* Returns 0, -ENOENT (engine says unknown, or no engine), or an engine error. */
static int try_docker(struct vg_meta_fetcher *f, const char *id, struct vg_container_meta **ret)
{
	struct stat st;
	int r;

	if (f->docker_err != 0 && now_ms() < f->docker_retry_at_ms)
		return f->docker_err == DOCKER_ABSENT ? -ENOENT : f->docker_err;
	f->docker_err = 0;
	if (stat(f->docker_socket, &st) < 0) {
		f->docker_err = DOCKER_ABSENT;
		f->docker_retry_at_ms = now_ms() + VG_META_DOCKER_BACKOFF_MS;
		return -ENOENT;
	}
	r = vg_docker_inspect(f->docker_socket, id, VG_META_DOCKER_TIMEOUT_MS, ret);
	if (is_conn_error(r)) {
		f->docker_err = r;
		f->docker_retry_at_ms = now_ms() + VG_META_DOCKER_BACKOFF_MS;
	}
	return r;
}

static int try_runc(struct vg_meta_fetcher *f, const char *id, struct vg_container_meta **ret)
{
	int err = -ENOENT;

	for (size_t i = 0; f->runc_roots[i]; i++) {
		int r = vg_runc_state_read(f->runc_roots[i], id, ret);

		if (r == 0)
			return 0;
		if (r != -ENOENT && r != -ENOTDIR && err == -ENOENT)
			err = r;
	}
	return err;
}

static int lookup(struct vg_meta_fetcher *f, const char *id, int hint,
		  struct vg_container_meta **ret)
{
	int rd = -ENOENT, rr;
	bool dfirst = docker_first(hint);

	if (dfirst) {
		rd = try_docker(f, id, ret);
		if (rd == 0)
			return 0;
	}
	rr = try_runc(f, id, ret);
	if (rr == 0)
		return 0;
	if (!dfirst) {
		rd = try_docker(f, id, ret);
		if (rd == 0)
			return 0;
	}
	/* An engine that could not answer says more than "not in the state dirs". */
	if (rd != -ENOENT && (docker_first(hint) || rr == -ENOENT))
		return rd;
	return rr;
}

static void *worker(void *arg)
{
	struct vg_meta_fetcher *f = arg;

	(void)pthread_mutex_lock(&f->lock);
	for (;;) {
		struct vg_container_meta *meta = NULL;
		struct req *r;
		uint64_t one = 1;
		int err;

		for (r = f->head; r && r->state != REQ_QUEUED; r = r->next)
			;
		if (f->stop)
			break;
		if (!r) {
			(void)pthread_cond_wait(&f->cond, &f->lock);
			continue;
		}
		r->state = REQ_RUNNING;
		(void)pthread_mutex_unlock(&f->lock);

		/* r stays valid: only poll() and free() remove entries, and neither removes a
		 * running one (free() joins us first). */
		err = lookup(f, r->id, r->hint, &meta);

		(void)pthread_mutex_lock(&f->lock);
		r->state = REQ_DONE;
		r->error = err < 0 ? err : 0;
		r->meta = err < 0 ? NULL : meta;
		if (err < 0)
			vg_container_meta_free(meta);
		(void)!write(f->efd, &one, sizeof(one));
		(void)pthread_cond_broadcast(&f->done);
	}
	(void)pthread_mutex_unlock(&f->lock);
	return NULL;
}

struct vg_meta_fetcher *vg_meta_fetcher_free(struct vg_meta_fetcher *f)
{
	if (!f)
		return NULL;
	if (f->thread_started) {
		(void)pthread_mutex_lock(&f->lock);
		f->stop = true;
		(void)pthread_cond_signal(&f->cond);
		(void)pthread_mutex_unlock(&f->lock);
		(void)pthread_join(f->thread, NULL);
	}
	while (f->head) {
		struct req *r = f->head;

		f->head = r->next;
		req_free(r);
	}
	(void)pthread_cond_destroy(&f->cond);
	(void)pthread_cond_destroy(&f->done);
	(void)pthread_mutex_destroy(&f->lock);
	if (f->efd >= 0)
		(void)close(f->efd);
	free(f->docker_socket);
	for (size_t i = 0; i < VG_ARRAY_SIZE(f->runc_roots); i++)
		free(f->runc_roots[i]);
	free(f);
	return NULL;
}

int vg_meta_fetcher_new(const struct vg_meta_fetcher_config *cfg, struct vg_meta_fetcher **ret)
{
	cleanup(vg_meta_fetcher_freep) struct vg_meta_fetcher *f = NULL;
	sigset_t all, old;
	const char *sock;
	size_t n = 0;
	int r;

	if (!ret)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->efd = -EBADF;
	(void)pthread_mutex_init(&f->lock, NULL);
	(void)pthread_cond_init(&f->cond, NULL);
	{
		pthread_condattr_t ca;

		(void)pthread_condattr_init(&ca);
		(void)pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		(void)pthread_cond_init(&f->done, &ca);
		(void)pthread_condattr_destroy(&ca);
	}
	f->disabled = cfg && cfg->disabled;

	sock = cfg && cfg->docker_socket ? cfg->docker_socket : VG_DOCKER_SOCKET_DEFAULT;
	f->docker_socket = strdup(sock);
	if (!f->docker_socket)
		return -ENOMEM;
	if (cfg && cfg->runc_roots[0]) {
		for (size_t i = 0; i < VG_ARRAY_SIZE(cfg->runc_roots) && cfg->runc_roots[i]; i++)
			if (!(f->runc_roots[n++] = strdup(cfg->runc_roots[i])))
				return -ENOMEM;
	} else {
		for (size_t i = 0; i < VG_ARRAY_SIZE(default_roots); i++)
			if (!(f->runc_roots[n++] = strdup(default_roots[i])))
				return -ENOMEM;
	}

	f->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (f->efd < 0)
		return -errno;
	if (!f->disabled) {
		/* Signals belong to the main thread. */
		(void)sigfillset(&all);
		(void)pthread_sigmask(SIG_BLOCK, &all, &old);
		r = pthread_create(&f->thread, NULL, worker, f);
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (r != 0)
			return -r;
		f->thread_started = true;
	}
	*ret = TAKE_PTR(f);
	return 0;
}

int vg_meta_fetcher_request(struct vg_meta_fetcher *f, const char *full_id, int runtime_hint)
{
	struct req *r, *n;

	if (!f || !vg_container_id_is_valid(full_id))
		return -EINVAL;
	if (f->disabled)
		return -EOPNOTSUPP;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->id = strdup(full_id);
	if (!n->id) {
		free(n);
		return -ENOMEM;
	}
	n->hint = runtime_hint;

	(void)pthread_mutex_lock(&f->lock);
	for (r = f->head; r; r = r->next)
		if (strcmp(r->id, full_id) == 0)
			break;
	if (r || f->n_reqs >= VG_META_FETCH_QUEUE_MAX) {
		(void)pthread_mutex_unlock(&f->lock);
		req_free(n);
		return r ? 0 : -EAGAIN;
	}
	if (f->tail)
		f->tail->next = n;
	else
		f->head = n;
	f->tail = n;
	f->n_reqs++;
	(void)pthread_cond_signal(&f->cond);
	(void)pthread_mutex_unlock(&f->lock);
	return 1;
}

int vg_meta_fetcher_wait(struct vg_meta_fetcher *f, const char *id, int timeout_ms)
{
	struct timespec deadline;
	int r = -ETIMEDOUT;

	if (!f || !id)
		return -EINVAL;
	if (f->disabled || timeout_ms <= 0)
		return -ETIMEDOUT;
	(void)clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	(void)pthread_mutex_lock(&f->lock);
	for (;;) {
		struct req *q;

		for (q = f->head; q && strcmp(q->id, id) != 0; q = q->next)
			;
		if (!q) {
			r = -ENOENT; /* never requested, or already delivered */
			break;
		}
		if (q->state == REQ_DONE) {
			r = 0;
			break;
		}
		if (pthread_cond_timedwait(&f->done, &f->lock, &deadline) == ETIMEDOUT)
			break;
	}
	(void)pthread_mutex_unlock(&f->lock);
	return r;
}

int vg_meta_fetcher_poll(struct vg_meta_fetcher *f, vg_meta_fetcher_cb *cb, void *userdata)
{
	struct req *done = NULL, **dtail = &done, **pp, *prev = NULL;
	uint64_t cnt;
	int n = 0;

	if (!f || !cb)
		return -EINVAL;
	(void)pthread_mutex_lock(&f->lock);
	(void)!read(f->efd, &cnt, sizeof(cnt));
	for (pp = &f->head; *pp;) {
		struct req *r = *pp;

		if (r->state != REQ_DONE) {
			prev = r;
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		if (f->tail == r)
			f->tail = prev;
		f->n_reqs--;
		r->next = NULL;
		*dtail = r;
		dtail = &r->next;
	}
	(void)pthread_mutex_unlock(&f->lock);

	while (done) {
		struct req *r = done;

		done = r->next;
		cb(userdata, r->id, r->error, TAKE_PTR(r->meta));
		req_free(r);
		if (n < INT32_MAX)
			n++;
	}
	return n;
}

int vg_meta_fetcher_fd(struct vg_meta_fetcher *f)
{
	return f ? f->efd : -EINVAL;
}
