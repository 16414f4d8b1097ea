/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "image/prefetch.h"

struct chunk {
	char *data;
	size_t len;
};

struct vg_prefetch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	vg_read_fn *read;
	void *ctx;
	size_t chunk_size;
	unsigned n_chunks;
	struct chunk *chunks;
	/* Under lock: the ring of filled chunks [head, head + filled), end state, cancel. */
	unsigned head, filled;
	int error;
	bool eof, cancel;
	/* Consumer only: the position in chunks[head] (stable while filled > 0). */
	size_t pos;
};

static void *producer(void *arg)
{
	struct vg_prefetch *p = arg;

	for (;;) {
		struct chunk *c;
		size_t len = 0;
		ssize_t k = 1;

		pthread_mutex_lock(&p->lock);
		while (p->filled == p->n_chunks && !p->cancel)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->cancel) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		c = &p->chunks[(p->head + p->filled) % p->n_chunks];
		pthread_mutex_unlock(&p->lock);

		/* An empty slot belongs to the producer: fill it without the lock. */
		while (len < p->chunk_size) {
			k = p->read(p->ctx, c->data + len, p->chunk_size - len);
			if (k <= 0)
				break;
			len += (size_t)k;
		}

		pthread_mutex_lock(&p->lock);
		c->len = len;
		if (len > 0)
			p->filled++;
		if (k == 0)
			p->eof = true;
		else if (k < 0)
			p->error = (int)k;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		if (k <= 0)
			return NULL;
	}
}

int vg_prefetch_start(vg_read_fn *read, void *ctx, size_t chunk_size, unsigned n_chunks,
		      struct vg_prefetch **ret)
{
	struct vg_prefetch *p;
	int r;

	if (chunk_size == 0 || n_chunks == 0)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	*p = (struct vg_prefetch){
		.read = read, .ctx = ctx, .chunk_size = chunk_size, .n_chunks = n_chunks};
	p->chunks = calloc(n_chunks, sizeof(*p->chunks));
	if (!p->chunks)
		goto nomem;
	for (unsigned i = 0; i < n_chunks; i++) {
		p->chunks[i].data = malloc(chunk_size);
		if (!p->chunks[i].data)
			goto nomem;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	r = pthread_create(&p->thread, NULL, producer, p);
	if (r != 0) {
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		for (unsigned i = 0; i < n_chunks; i++)
			free(p->chunks[i].data);
		free(p->chunks);
		free(p);
		return -r;
	}
	*ret = p;
	return 0;
nomem:
	if (p->chunks)
		for (unsigned i = 0; i < n_chunks; i++)
			free(p->chunks[i].data);
	free(p->chunks);
	free(p);
	return -ENOMEM;
}

ssize_t vg_prefetch_read(void *ctx, void *buf, size_t n)
{
	struct vg_prefetch *p = ctx;
	struct chunk *c;
	size_t k;

	/* Mid-chunk (pos > 0) the head chunk is known to be filled: no lock needed. Only the
	 * consumer moves head. */
	if (p->pos == 0) {
		pthread_mutex_lock(&p->lock);
		while (p->filled == 0 && !p->eof && !p->error)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->filled == 0) {
			int r = p->error;

			pthread_mutex_unlock(&p->lock);
			return r;
		}
		pthread_mutex_unlock(&p->lock);
	}
	c = &p->chunks[p->head];

	/* A filled chunk is the consumer's until it hands it back. */
	k = c->len - p->pos < n ? c->len - p->pos : n;
	memcpy(buf, c->data + p->pos, k);
	p->pos += k;
	if (p->pos == c->len) {
		p->pos = 0;
		pthread_mutex_lock(&p->lock);
		p->head = (p->head + 1) % p->n_chunks;
		p->filled--;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	return (ssize_t)k;
}

struct vg_prefetch *vg_prefetch_stop(struct vg_prefetch *p)
{
	if (!p)
		return NULL;
	pthread_mutex_lock(&p->lock);
	p->cancel = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	for (unsigned i = 0; i < p->n_chunks; i++)
		free(p->chunks[i].data);
	free(p->chunks);
	free(p);
	return NULL;
}
