/* SPDX-License-Identifier: Apache-2.0 */
/* A scan target through the layer walker, plus the image config (see target.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "basic/limits.h"
#include "image/layer.h"
#include "image/source.h"
#include "secrets/target.h"
#include "shared/json.h"

static const char *const origin_names[VG_SECRET_ORIGIN__MAX] = {
	[VG_SECRET_IN_FILE] = "file",
	[VG_SECRET_IN_ENV] = "env",
	[VG_SECRET_IN_LABEL] = "label",
	[VG_SECRET_IN_HISTORY] = "history",
};

const char *vg_secret_origin_name(enum vg_secret_origin o)
{
	return (unsigned)o < VG_SECRET_ORIGIN__MAX ? origin_names[o] : "unknown";
}

void vg_secret_report_init(struct vg_secret_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	vg_arena_init(&rep->arena, VG_SECRET_REPORT_BYTES_MAX);
	vg_vec_init(&rep->findings, sizeof(struct vg_secret_finding), VG_SECRET_FINDINGS_MAX);
}

void vg_secret_report_done(struct vg_secret_report *rep)
{
	vg_vec_done(&rep->findings);
	vg_arena_done(&rep->arena);
}

struct pool;

struct walk_ctx {
	struct vg_secret_report *rep;
	struct vg_secret_scanner *sc;
	struct pool *pool; /* scanning threads, or NULL: files are scanned in the walk */
	/* where findings go: the report's, or a scanning thread's own */
	struct vg_arena *arena;
	struct vg_vec *findings;
	uint64_t *truncated;
	uint64_t max_size;
	bool binaries;
	int root_fd; /* a directory target, for the scanning threads' own reads; -EBADF else */
	char *buf; /* reused for every file (a scanning thread's: files it reads itself) */
	size_t cap;
	/* the file or config string being scanned */
	const struct vg_file *file;
	enum vg_secret_origin origin;
	const char *path;
	int layer;
	uint64_t skipped_binary, skipped_path; /* files skipped before the scanner saw them */
};

static int add_finding(void *userdata, const struct vg_secret_match *m)
{
	struct walk_ctx *c = userdata;
	struct vg_secret_finding *f;
	int r;

	r = vg_vec_push_zero(c->findings, (void **)&f);
	if (r == -E2BIG) {
		(*c->truncated)++;
		return 0;
	}
	if (r < 0)
		return r;
	f->rule = m->rule;
	f->origin = c->origin;
	f->path = vg_arena_strdup(c->arena, c->path);
	f->line = m->line;
	f->column = m->column;
	f->layer = c->layer;
	f->deleted_by = -1;
	f->secret = vg_arena_strndup(c->arena, m->secret, m->length);
	f->secret_len = m->length;
	vg_secret_mask(m->secret, m->length, f->masked, sizeof(f->masked));
	f->file = c->file;
	return vg_arena_error(c->arena);
}

/*
 * Scanning threads. The walk (which must read each file while the layer streams by) reads
 * files into free job buffers; the threads, each with its own scanner and its own findings,
 * scan them. Findings are merged into the report after the walk (and sorted there anyway).
 */
enum { JOB_FREE, JOB_FILLING, JOB_READY, JOB_BUSY };

struct job {
	char *buf;
	size_t cap, len;
	int fd; /* >= 0: the file is not read yet, the scanning thread reads it (buf unused) */
	uint64_t size; /* then: its size when the walk saw it */
	/* a copy: a failed walk frees the file index while queued jobs are still scanned */
	char path[VG_PATH_MAX + 1];
	int layer;
	const struct vg_file *file; /* not dereferenced by the threads */
	uint64_t reserved; /* bytes counted in pool.bytes for this job */
	int state;
};

struct worker {
	pthread_t tid;
	struct pool *pool;
	struct walk_ctx c;
	struct vg_arena arena;
	struct vg_vec findings;
	uint64_t truncated;
	struct vg_secret_stats stats;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t ready, freed;
	struct job jobs[2 * VG_SECRET_THREADS_MAX];
	unsigned n_jobs;
	struct worker workers[VG_SECRET_THREADS_MAX];
	unsigned n_workers;
	uint64_t bytes; /* sizes of the files in flight, bounded by VG_SECRET_INFLIGHT_MAX */
	bool done;
	int error;
};

/* Under the lock: the job is free again; its bytes no longer count. */
static void job_release(struct pool *p, struct job *j)
{
	p->bytes -= j->reserved;
	j->reserved = 0;
	j->state = JOB_FREE;
	pthread_cond_signal(&p->freed);
}

/* Big buffers are not kept between files (memory stays a few MiB per job at rest). */
static void job_trim(struct job *j)
{
	if (j->cap > VG_SECRET_JOB_KEEP_MAX) {
		free(j->buf);
		j->buf = NULL;
		j->cap = 0;
	}
}

static int grow(char **buf, size_t *cap, size_t n);
static int read_file(struct walk_ctx *c, uint64_t size, vg_read_fn *read, void *ctx, char **buf,
		     size_t *cap, size_t *ret_len);

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	ssize_t k;

	do
		k = read(*(int *)ctx, buf, n);
	while (k < 0 && errno == EINTR);
	return k < 0 ? -errno : k;
}

/*
 * A file the walk left to the thread (j->fd): read into the thread's own buffer, which stays
 * in this core's cache from the copy to the scan, then scanned.
 */
static int worker_read_scan(struct worker *w, struct job *j)
{
	size_t n = 0;
	int r;

	r = read_file(&w->c, j->size, fd_read, &j->fd, &w->c.buf, &w->c.cap, &n);
	if (r > 0)
		r = vg_secret_scan_buffer(w->c.sc, j->path, w->c.buf, n, add_finding, &w->c);
	if (w->c.cap > VG_SECRET_JOB_KEEP_MAX) {
		free(w->c.buf);
		w->c.buf = NULL;
		w->c.cap = 0;
	}
	return r;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct job *j = NULL;
		int r;

		for (unsigned i = 0; i < p->n_jobs && !j; i++)
			if (p->jobs[i].state == JOB_READY)
				j = &p->jobs[i];
		if (!j) {
			if (p->done)
				break;
			pthread_cond_wait(&p->ready, &p->mu);
			continue;
		}
		j->state = JOB_BUSY;
		pthread_mutex_unlock(&p->mu);

		w->c.file = j->file;
		w->c.origin = VG_SECRET_IN_FILE;
		w->c.path = j->path;
		w->c.layer = j->layer;
		if (__atomic_load_n(&p->error, __ATOMIC_RELAXED))
			r = 0;
		else if (j->fd >= 0)
			r = worker_read_scan(w, j);
		else
			r = vg_secret_scan_buffer(w->c.sc, j->path, j->buf, j->len, add_finding,
						  &w->c);
		if (j->fd >= 0) {
			close(j->fd);
			j->fd = -EBADF;
		}
		job_trim(j);
		pthread_mutex_lock(&p->mu);
		if (r < 0 && !p->error)
			__atomic_store_n(&p->error, r, __ATOMIC_RELAXED);
		job_release(p, j);
	}
	pthread_mutex_unlock(&p->mu);
	w->stats = *vg_secret_scanner_stats(w->c.sc);
	/* in this thread: also frees its regex match data */
	w->c.sc = vg_secret_scanner_free(w->c.sc);
	return NULL;
}

static unsigned thread_count(unsigned want)
{
	long n = want ? (long)want : sysconf(_SC_NPROCESSORS_ONLN);

	return (unsigned)VG_MAX(1, VG_MIN(n, (long)VG_SECRET_THREADS_MAX));
}

/* Starts up to @n scanning threads; returns the pool, or NULL (then scan in the walk). */
static struct pool *pool_start(const struct vg_secret_ruleset *rs, bool binaries, unsigned n)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->n_jobs = 2 * n; /* fixed before any thread runs (threads that fail to start leave
			    * spare buffers, which is harmless) */
	for (unsigned i = 0; i < p->n_jobs; i++)
		p->jobs[i].fd = -EBADF;
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &p->workers[p->n_workers];

		w->pool = p;
		vg_arena_init(&w->arena, VG_SECRET_REPORT_BYTES_MAX);
		vg_vec_init(&w->findings, sizeof(struct vg_secret_finding), VG_SECRET_FINDINGS_MAX);
		w->c.arena = &w->arena;
		w->c.findings = &w->findings;
		w->c.truncated = &w->truncated;
		w->c.binaries = binaries; /* files the thread reads itself */
		if (vg_secret_scanner_new(rs, &w->c.sc) == 0) {
			vg_secret_scanner_set_binaries(w->c.sc, binaries);
			if (pthread_create(&w->tid, NULL, worker_main, w) == 0) {
				p->n_workers++;
				continue;
			}
			w->c.sc = vg_secret_scanner_free(w->c.sc);
		}
		vg_vec_done(&w->findings);
		vg_arena_done(&w->arena);
		break;
	}
	if (!p->n_workers) {
		pthread_cond_destroy(&p->ready);
		pthread_cond_destroy(&p->freed);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

/* Lets the threads finish the queued files, joins them; returns the first scan error. */
static int pool_stop(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->done = true;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->n_workers; i++)
		pthread_join(p->workers[i].tid, NULL);
	return p->error;
}

/* Moves the threads' findings and counters into the report, frees the pool. */
static int pool_merge_free(struct pool *p, struct vg_secret_report *rep)
{
	int r = 0;

	for (unsigned i = 0; i < p->n_workers; i++) {
		struct worker *w = &p->workers[i];

		vg_vec_for_each(struct vg_secret_finding, f, &w->findings) {
			struct vg_secret_finding *g;
			int q = vg_vec_push_zero(&rep->findings, (void **)&g);

			if (q == -E2BIG) {
				rep->truncated++;
				continue;
			}
			if (q < 0) {
				r = q;
				break;
			}
			*g = *f;
			g->path = vg_arena_strdup(&rep->arena, f->path);
			g->secret = vg_arena_strndup(&rep->arena, f->secret, f->secret_len);
		}
		rep->truncated += w->truncated;
		rep->stats.skipped_binary += w->c.skipped_binary; /* files the thread read */
		rep->stats.buffers += w->stats.buffers;
		rep->stats.bytes += w->stats.bytes;
		rep->stats.skipped_binary += w->stats.skipped_binary;
		rep->stats.skipped_path += w->stats.skipped_path;
		rep->stats.keyword_hits += w->stats.keyword_hits;
		rep->stats.regex_bytes += w->stats.regex_bytes;
		rep->stats.findings += w->stats.findings;
		rep->stats.allowed += w->stats.allowed;
		rep->stats.truncated += w->stats.truncated;
		vg_vec_done(&w->findings);
		vg_arena_done(&w->arena);
		vg_secret_scanner_free(w->c.sc);
		free(w->c.buf);
	}
	for (unsigned i = 0; i < p->n_jobs; i++) {
		free(p->jobs[i].buf);
		if (p->jobs[i].fd >= 0)
			close(p->jobs[i].fd);
	}
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return r ? r : vg_arena_error(&rep->arena);
}

/*
 * The walk's side: a free job for a file of @size bytes, once the files in flight leave
 * room for it (a file alone may always go), or the scanning threads' error.
 */
static int pool_take(struct pool *p, uint64_t size, struct job **ret)
{
	struct job *j = NULL;
	int r;

	pthread_mutex_lock(&p->mu);
	while (!p->error) {
		if (!p->bytes || p->bytes + size <= VG_SECRET_INFLIGHT_MAX)
			for (unsigned i = 0; i < p->n_jobs && !j; i++)
				if (p->jobs[i].state == JOB_FREE)
					j = &p->jobs[i];
		if (j)
			break;
		pthread_cond_wait(&p->freed, &p->mu);
	}
	r = p->error;
	if (j && !r) {
		j->state = JOB_FILLING;
		j->reserved = size;
		p->bytes += size;
	}
	pthread_mutex_unlock(&p->mu);
	*ret = j;
	return r;
}

static void pool_put(struct pool *p, struct job *j, bool ready)
{
	if (!ready)
		job_trim(j);
	pthread_mutex_lock(&p->mu);
	if (ready) {
		j->state = JOB_READY;
		pthread_cond_signal(&p->ready);
	} else {
		job_release(p, j);
	}
	pthread_mutex_unlock(&p->mu);
}

static int grow(char **buf, size_t *cap, size_t n)
{
	char *p;

	if (n <= *cap)
		return 0;
	p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

static int read_some(vg_read_fn *read, void *ctx, char *buf, size_t want, size_t *done)
{
	while (*done < want) {
		ssize_t k = read(ctx, buf + *done, want - *done);

		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		*done += (size_t)k;
	}
	return 0;
}

/*
 * Reads a file of @size bytes (at most that many) into @buf: the first VG_SECRET_SNIFF_BYTES,
 * then the rest unless a binary. Returns 1 (scan *ret_len bytes), 0 for a binary skipped, or
 * the read error.
 */
static int read_file(struct walk_ctx *c, uint64_t size, vg_read_fn *read, void *ctx, char **buf,
		     size_t *cap, size_t *ret_len)
{
	size_t n = 0, sniff;
	int r;

	r = grow(buf, cap, (size_t)size);
	if (r < 0)
		return r;
	sniff = (size_t)VG_MIN(size, (uint64_t)VG_SECRET_SNIFF_BYTES);
	r = read_some(read, ctx, *buf, sniff, &n);
	if (r < 0)
		return r;
	if (!c->binaries && vg_secret_is_binary(*buf, n)) {
		c->skipped_binary++;
		return 0; /* not read further */
	}
	if (n == sniff) {
		r = read_some(read, ctx, *buf, (size_t)size, &n);
		if (r < 0)
			return r;
	}
	*ret_len = n;
	return 1;
}

/*
 * Files of a directory target at least this large are read by the scanning threads
 * themselves (the walk only opens them): the copy out of the page cache lands in the cache of
 * the core that scans it, and the walk's thread does not copy every byte once more.
 */
#define DIRECT_READ_MIN (32 * 1024)

/*
 * Opens @f again below the target directory for a scanning thread: never through a symlink
 * or onto another mount (openat2 RESOLVE_*), and only if it is still the regular file the walk
 * saw (size, mtime, owner). Returns the descriptor, or a negative errno: the walk then reads
 * the file itself, as for any other target.
 */
static int open_direct(struct walk_ctx *c, const struct vg_file *f)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	struct stat st;
	int fd;

	if (c->root_fd < 0 || f->size < DIRECT_READ_MIN || !f->path[0])
		return -EBADF;
	fd = (int)syscall(SYS_openat2, c->root_fd, f->path, &how, sizeof(how));
	if (fd < 0) {
		int r = -errno;

		if (r == -ENOSYS || r == -EPERM) { /* kernel before 5.6, or a seccomp filter */
			close(c->root_fd);
			c->root_fd = -EBADF;
		}
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != f->size ||
	    (int64_t)st.st_mtime != f->mtime || (uint64_t)st.st_uid != f->uid ||
	    (uint64_t)st.st_gid != f->gid) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static int on_file(void *userdata, const struct vg_file *f, struct vg_tar *t)
{
	struct walk_ctx *c = userdata;
	struct vg_secret_report *rep = c->rep;
	size_t n = 0;
	struct job *j;
	int r;

	rep->files++;
	if (f->size == 0)
		return 0;
	if (f->size > c->max_size) {
		rep->skipped_large++;
		return 0;
	}
	if (vg_secret_path_allowed(c->sc, f->path)) {
		c->skipped_path++;
		return 0;
	}
	if (c->pool) {
		int fd;

		r = pool_take(c->pool, f->size, &j);
		if (r < 0)
			return r;
		fd = open_direct(c, f);
		if (fd >= 0) {
			j->fd = fd; /* the thread reads it */
			j->size = f->size;
			r = 1;
		} else {
			r = read_file(c, f->size, vg_tar_read, t, &j->buf, &j->cap, &n);
		}
		j->len = n;
		j->file = f;
		j->layer = (int)f->layer;
		snprintf(j->path, sizeof(j->path), "%s", f->path);
		pool_put(c->pool, j, r > 0);
		return r < 0 ? r : 0;
	}
	r = read_file(c, f->size, vg_tar_read, t, &c->buf, &c->cap, &n);
	if (r <= 0)
		return r;
	c->file = f;
	c->origin = VG_SECRET_IN_FILE;
	c->path = f->path;
	c->layer = (int)f->layer;
	r = vg_secret_scan_buffer(c->sc, f->path, c->buf, n, add_finding, c);
	c->file = NULL;
	return r < 0 ? r : 0;
}

static int scan_string(struct walk_ctx *c, enum vg_secret_origin origin, const char *path,
		       int layer, const char *s, size_t len)
{
	int r;

	if (len > VG_SECRET_CONFIG_STRING_MAX)
		len = VG_SECRET_CONFIG_STRING_MAX;
	c->file = NULL;
	c->origin = origin;
	c->path = path;
	c->layer = layer;
	/* config strings are text: no binary sniffing, no path filters */
	r = vg_secret_scan_buffer(c->sc, NULL, s, len, add_finding, c);
	return r < 0 ? r : 0;
}

static int scan_config(struct walk_ctx *c, json_t *config)
{
	json_t *env = vg_json_path(config, "config.Env");
	json_t *labels = vg_json_path(config, "config.Labels");
	json_t *history = vg_json_get_array(config, "history");
	char path[VG_PATH_MAX];
	size_t i;
	json_t *v;
	const char *key;
	int layer = 0, r;

	if (json_is_array(env))
		json_array_foreach(env, i, v)
		{
			if (!json_is_string(v))
				continue;
			snprintf(path, sizeof(path), "config.Env[%zu]", i);
			r = scan_string(c, VG_SECRET_IN_ENV, path, -1, json_string_value(v),
					json_string_length(v));
			if (r < 0)
				return r;
		}
	if (json_is_object(labels))
		json_object_foreach(labels, key, v)
		{
			cleanup_free char *kv = NULL;
			const char *val = json_is_string(v) ? json_string_value(v) : "";

			if (asprintf(&kv, "%s=%s", key, val) < 0)
				return -ENOMEM;
			snprintf(path, sizeof(path), "config.Labels[%.200s]", key);
			r = scan_string(c, VG_SECRET_IN_LABEL, path, -1, kv, strlen(kv));
			if (r < 0)
				return r;
		}
	if (json_is_array(history))
		json_array_foreach(history, i, v)
		{
			const char *cb = vg_json_get_str(v, "created_by");
			bool empty = false;
			int this_layer;

			if (vg_json_get_bool(v, "empty_layer", &empty) < 0)
				empty = false;
			this_layer = empty ? -1 : layer++;
			if (!cb)
				continue;
			snprintf(path, sizeof(path), "history[%zu].created_by", i);
			r = scan_string(c, VG_SECRET_IN_HISTORY, path, this_layer, cb, strlen(cb));
			if (r < 0)
				return r;
		}
	return 0;
}

int vg_secret_scan_config(struct vg_secret_report *rep, struct vg_secret_scanner *sc,
			  json_t *config)
{
	struct walk_ctx c = {.rep = rep,
			     .sc = sc,
			     .arena = &rep->arena,
			     .findings = &rep->findings,
			     .truncated = &rep->truncated};

	return scan_config(&c, config);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct vg_secret_finding *a = x, *b = y;
	int r;

	if ((a->origin == VG_SECRET_IN_FILE) != (b->origin == VG_SECRET_IN_FILE))
		return a->origin == VG_SECRET_IN_FILE ? 1 : -1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	if ((r = strcmp(a->path, b->path)) != 0)
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return strcmp(a->rule->id, b->rule->id);
}

void vg_secret_report_sort(struct vg_secret_report *rep)
{
	vg_vec_sort(&rep->findings, cmp_finding);
}

/* One walk of a target, split so another walker (vigil scan's inventory) can share it. */
struct vg_secret_walk {
	struct walk_ctx c;
	struct vg_secret_scanner *sc;
};

struct vg_secret_walk *vg_secret_walk_free(struct vg_secret_walk *w)
{
	if (!w)
		return NULL;
	if (w->c.pool) {
		(void)pool_stop(w->c.pool);
		(void)pool_merge_free(w->c.pool, w->c.rep);
	}
	free(w->c.buf);
	if (w->c.root_fd >= 0)
		close(w->c.root_fd);
	vg_secret_scanner_free(w->sc);
	free(w);
	return NULL;
}

int vg_secret_walk_new(struct vg_secret_report *rep, const struct vg_secret_ruleset *rs,
		       const struct vg_secret_scan_opts *opts, struct vg_secret_walk **ret,
		       char *err, size_t errsize)
{
	struct vg_secret_walk *w;
	unsigned n_threads;
	int r;

	if (err && errsize)
		err[0] = '\0';
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->c.rep = rep;
	w->c.root_fd = -EBADF;
	w->c.max_size =
		opts && opts->max_file_size ? opts->max_file_size : VG_SECRET_FILE_SIZE_DEFAULT;
	if (w->c.max_size > VG_SECRET_FILE_SIZE_MAX) {
		snprintf(err, errsize, "file size limit above %llu bytes",
			 (unsigned long long)VG_SECRET_FILE_SIZE_MAX);
		free(w);
		return -EINVAL;
	}
	w->c.binaries = opts && opts->scan_binaries;
	r = vg_secret_scanner_new(rs, &w->sc);
	if (r < 0) {
		snprintf(err, errsize, "%s",
			 r == -ENOMEM ? "out of memory" : "the rule set is not compiled");
		free(w);
		return r;
	}
	vg_secret_scanner_set_binaries(w->sc, w->c.binaries);
	w->c.sc = w->sc;
	w->c.arena = &rep->arena;
	w->c.findings = &rep->findings;
	w->c.truncated = &rep->truncated;
	rep->n_rules = vg_secret_ruleset_count(rs);
	n_threads = thread_count(opts ? opts->threads : 0);
	if (n_threads > 1)
		w->c.pool = pool_start(rs, w->c.binaries, n_threads);
	*ret = w;
	return 0;
}

int vg_secret_walk_file(void *userdata, const struct vg_file *f, struct vg_tar *t)
{
	struct vg_secret_walk *w = userdata;

	return on_file(&w->c, f, t);
}

bool vg_secret_walk_wants(const struct vg_secret_walk *w, const struct vg_file *f)
{
	return f->size > 0 && f->size <= w->c.max_size;
}

int vg_secret_walk_finish(struct vg_secret_walk *w, const struct vg_image *img, const char *target,
			  int walk_error, char *err, size_t errsize)
{
	struct vg_secret_report *rep = w->c.rep;
	int r = walk_error;

	if (w->c.pool) {
		int q = pool_stop(w->c.pool);

		if (r >= 0 && q < 0) {
			r = q;
			snprintf(err, errsize, "scanning: %s", strerror(-q));
		}
		q = pool_merge_free(w->c.pool, rep);
		w->c.pool = NULL;
		if (r >= 0 && q < 0) {
			r = q;
			snprintf(err, errsize, "out of memory");
		}
	}
	if (r < 0 || !img)
		return r < 0 ? r : -EINVAL;
	/* only now do we know which file versions later layers deleted */
	vg_vec_for_each(struct vg_secret_finding, f, &rep->findings) {
		if (!f->file)
			continue;
		f->deleted_by = f->file->deleted_by;
		f->file = NULL;
		if (img->kind == VG_IMAGE_ROOTFS)
			f->layer = -1;
		else if (f->layer >= 0 && (unsigned)f->layer < img->n_layers && img->diff_ids)
			f->diff_id = vg_arena_strdup(&rep->arena, img->diff_ids[f->layer]);
	}
	if (img->config) {
		r = scan_config(&w->c, img->config);
		if (r < 0) {
			snprintf(err, errsize, "scanning the image config: %s", strerror(-r));
			return r;
		}
	}
	vg_secret_report_sort(rep);
	rep->target = vg_arena_strdup(&rep->arena, target);
	rep->name = vg_arena_strdup(&rep->arena, img->ref ? img->ref : target);
	rep->kind = vg_image_kind_name(img->kind);
	snprintf(rep->image_id, sizeof(rep->image_id), "%s", img->config_digest);
	rep->n_layers = img->n_layers;
	/* the walk's scanner (config, files when there are no threads) + the threads' */
	{
		const struct vg_secret_stats *st = vg_secret_scanner_stats(w->sc);

		rep->stats.buffers += st->buffers;
		rep->stats.bytes += st->bytes;
		rep->stats.skipped_binary += st->skipped_binary;
		rep->stats.skipped_path += st->skipped_path;
		rep->stats.keyword_hits += st->keyword_hits;
		rep->stats.regex_bytes += st->regex_bytes;
		rep->stats.findings += st->findings;
		rep->stats.allowed += st->allowed;
		rep->stats.truncated += st->truncated;
	}
	/* files skipped before they reached the scanner */
	rep->stats.skipped_binary += w->c.skipped_binary;
	rep->stats.skipped_path += w->c.skipped_path;
	r = vg_arena_error(&rep->arena);
	if (r < 0)
		snprintf(err, errsize, "out of memory");
	return r;
}

/*
 * The directory of a directory target as vg_image_open() will take it ("dir:PATH", or a path to
 * a directory that is not an OCI layout), or -EBADF. Only a shortcut for reading its files
 * (open_direct() checks each file against what the walk saw).
 */
static int open_root(const char *target)
{
	static const char *const other[] = {"archive:", "oci-archive:", "docker:", "oci:"};
	bool is_dir = !strncmp(target, "dir:", 4);
	int fd;

	if (is_dir)
		target += 4;
	else
		for (size_t i = 0; i < VG_ARRAY_SIZE(other); i++)
			if (!strncmp(target, other[i], strlen(other[i])))
				return -EBADF;
	fd = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -EBADF;
	if (!is_dir && faccessat(fd, "index.json", R_OK, 0) == 0 &&
	    faccessat(fd, "oci-layout", R_OK, 0) == 0) {
		close(fd);
		return -EBADF;
	}
	return fd;
}

int vg_secret_scan_target(struct vg_secret_report *rep, const struct vg_secret_ruleset *rs,
			  const struct vg_secret_scan_opts *opts, const char *target, char *err,
			  size_t errsize)
{
	cleanup(vg_secret_walk_freep) struct vg_secret_walk *w = NULL;
	struct vg_image_opts io = {.cb = vg_secret_walk_file};
	struct vg_image *img = NULL;
	int r;

	r = vg_secret_walk_new(rep, rs, opts, &w, err, errsize);
	if (r < 0)
		return r;
	if (w->c.pool)
		w->c.root_fd = open_root(target);
	io.userdata = w;
	io.docker_socket = opts ? opts->docker_socket : NULL;
	r = vg_image_open(target, &io, &img, err, errsize);
	r = vg_secret_walk_finish(w, img, target, r, err, errsize);
	vg_image_free(img);
	return r;
}
