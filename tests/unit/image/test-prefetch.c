/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/image/prefetch.c: order, end of stream, errors, early stop. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/prefetch.h"
#include "tap.h"

/* A source of deterministic bytes with irregular read sizes, failing after @fail_at. */
struct source {
	uint64_t pos, size, fail_at;
	unsigned seed;
	unsigned slow; /* usleep every N reads: lets the consumer overtake the producer */
	unsigned reads;
};

static uint8_t byte_at(uint64_t i)
{
	return (uint8_t)(i * 2654435761u >> 13);
}

static ssize_t source_read(void *ctx, void *buf, size_t n)
{
	struct source *s = ctx;
	size_t k = (size_t)(rand_r(&s->seed) % 7000) + 1;

	if (s->slow && ++s->reads % s->slow == 0)
		usleep(200);
	if (s->pos >= s->fail_at)
		return -EIO;
	if (s->pos >= s->size)
		return 0;
	if (k > n)
		k = n;
	if (k > s->size - s->pos)
		k = (size_t)(s->size - s->pos);
	if (k > s->fail_at - s->pos)
		k = (size_t)(s->fail_at - s->pos);
	for (size_t i = 0; i < k; i++)
		((uint8_t *)buf)[i] = byte_at(s->pos + i);
	s->pos += k;
	return (ssize_t)k;
}

/* Reads everything with irregular sizes; returns the final read's result. */
static ssize_t consume(struct vg_prefetch *p, uint64_t *ret_total, unsigned seed)
{
	uint8_t buf[9000];
	uint64_t total = 0;
	ssize_t k;

	while ((k = vg_prefetch_read(p, buf, (size_t)(rand_r(&seed) % sizeof(buf)) + 1)) > 0) {
		for (ssize_t i = 0; i < k; i++)
			if (buf[i] != byte_at(total + (uint64_t)i))
				return -EILSEQ;
		total += (uint64_t)k;
	}
	*ret_total = total;
	return k;
}

TEST(order_and_end)
{
	static const size_t chunks[] = {1, 100, 4096, 65536};

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++)
		for (unsigned slow = 0; slow < 2; slow++) {
			uint64_t size = chunks[c] < 4096 ? 30000 : 3000000;
			struct source s = {.size = size,
					   .fail_at = UINT64_MAX,
					   .seed = 7,
					   .slow = slow ? 50 : 0};
			struct vg_prefetch *p = NULL;
			uint64_t total = 0;

			ASSERT_OK(vg_prefetch_start(source_read, &s, chunks[c], 3, &p));
			ASSERT_EQ(consume(p, &total, 11), 0);
			ASSERT_EQ(total, size);
			/* end of stream is sticky */
			ASSERT_EQ(vg_prefetch_read(p, (char[8]){}, 8), 0);
			p = vg_prefetch_stop(p);
		}
}

TEST(empty_stream)
{
	struct source s = {.size = 0, .fail_at = UINT64_MAX};
	struct vg_prefetch *p = NULL;
	uint64_t total = 1;

	ASSERT_OK(vg_prefetch_start(source_read, &s, 1024, 2, &p));
	ASSERT_EQ(consume(p, &total, 1), 0);
	ASSERT_EQ(total, (uint64_t)0);
	vg_prefetch_stop(p);
}

TEST(error_after_data)
{
	/* every byte before the failure arrives, then the producer's error */
	struct source s = {.size = 1000000, .fail_at = 777777, .seed = 3};
	struct vg_prefetch *p = NULL;
	uint64_t total = 0;

	ASSERT_OK(vg_prefetch_start(source_read, &s, 10000, 4, &p));
	ASSERT_EQ(consume(p, &total, 5), -EIO);
	ASSERT_EQ(total, (uint64_t)777777);
	ASSERT_EQ(vg_prefetch_read(p, (char[8]){}, 8), -EIO);
	vg_prefetch_stop(p);
}

TEST(stop_early)
{
	/* the consumer gives up while the producer is blocked on a full ring: no hang, no leak */
	for (unsigned i = 0; i < 50; i++) {
		struct source s = {.size = UINT64_MAX / 2, .fail_at = UINT64_MAX, .seed = i};
		struct vg_prefetch *p = NULL;
		char buf[100];

		ASSERT_OK(vg_prefetch_start(source_read, &s, 4096, 2, &p));
		for (unsigned k = 0; k < i; k++)
			ASSERT_TRUE(vg_prefetch_read(p, buf, sizeof(buf)) > 0);
		ASSERT_NULL(vg_prefetch_stop(p));
	}
	ASSERT_ERR(vg_prefetch_start(source_read, NULL, 0, 2, &(struct vg_prefetch *){NULL}),
		   -EINVAL);
}
