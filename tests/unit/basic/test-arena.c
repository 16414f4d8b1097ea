/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <string.h>

#include "basic/arena.h"
#include "tap.h"

TEST(alloc_aligned_zeroed)
{
	struct vg_arena a;

	vg_arena_init(&a, 0);
	for (size_t i = 1; i < 2000; i++) {
		unsigned char *p = vg_arena_alloc(&a, i);

		ASSERT_NOT_NULL(p);
		ASSERT_EQ((uintptr_t)p % 16, 0u);
		for (size_t j = 0; j < i; j++)
			ASSERT_EQ(p[j], 0);
		memset(p, 0xab, i);
	}
	ASSERT_EQ(vg_arena_error(&a), 0);
	vg_arena_done(&a);
	ASSERT_NULL(a.head);
}

TEST(big_and_small)
{
	struct vg_arena a;
	char *small1, *big, *small2;

	vg_arena_init(&a, 0);
	small1 = vg_arena_strdup(&a, "one");
	big = vg_arena_alloc(&a, 1 << 20);
	small2 = vg_arena_strdup(&a, "two");
	ASSERT_NOT_NULL(big);
	memset(big, 1, 1 << 20);
	ASSERT_STREQ(small1, "one");
	ASSERT_STREQ(small2, "two");
	vg_arena_done(&a);
}

TEST(strings)
{
	struct vg_arena a;
	const char raw[] = {'x', 'y', 0, 'z'};
	char *s;

	vg_arena_init(&a, 0);
	ASSERT_STREQ(vg_arena_strdup(&a, "hello"), "hello");
	ASSERT_STREQ(vg_arena_strdup(&a, ""), "");
	ASSERT_STREQ(vg_arena_strndup(&a, "hello", 3), "hel");
	ASSERT_STREQ(vg_arena_strndup(&a, "hi", 10), "hi");
	s = vg_arena_memdup(&a, raw, sizeof(raw));
	ASSERT_EQ(memcmp(s, raw, sizeof(raw)), 0);
	vg_arena_done(&a);
}

TEST(cap_sticky)
{
	struct vg_arena a;

	vg_arena_init(&a, 1000);
	ASSERT_NOT_NULL(vg_arena_alloc(&a, 500));
	ASSERT_NULL(vg_arena_alloc(&a, 600));
	ASSERT_EQ(vg_arena_error(&a), -E2BIG);
	/* sticky: even a small allocation now fails */
	ASSERT_NULL(vg_arena_alloc(&a, 1));
	vg_arena_done(&a);
	ASSERT_EQ(vg_arena_error(&a), 0);
}

TEST(calloc_overflow)
{
	struct vg_arena a;

	vg_arena_init(&a, 0);
	ASSERT_NULL(vg_arena_calloc(&a, SIZE_MAX / 2, 4));
	ASSERT_EQ(vg_arena_error(&a), -ENOMEM);
	vg_arena_done(&a);
	vg_arena_init(&a, 0);
	ASSERT_NULL(vg_arena_alloc(&a, SIZE_MAX - 8));
	ASSERT_EQ(vg_arena_error(&a), -ENOMEM);
	vg_arena_done(&a);
	vg_arena_init(&a, 0);
	ASSERT_NOT_NULL(vg_arena_calloc(&a, 10, 10));
	ASSERT_NOT_NULL(vg_arena_calloc(&a, 0, 10));
	vg_arena_done(&a);
}
