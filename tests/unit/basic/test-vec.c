/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>

#include "basic/vec.h"
#include "tap.h"

TEST(push_at_remove)
{
	struct vg_vec v = VG_VEC_INIT(int, 0);
	int sum = 0;

	for (int i = 0; i < 1000; i++)
		ASSERT_OK(vg_vec_push(&v, &i));
	ASSERT_EQ(v.len, 1000u);
	ASSERT_EQ(*(int *)vg_vec_at(&v, 999), 999);
	vg_vec_remove(&v, 0);
	vg_vec_remove(&v, 500);
	vg_vec_remove(&v, 10000); /* out of range: ignored */
	ASSERT_EQ(v.len, 998u);
	ASSERT_EQ(*(int *)vg_vec_at(&v, 0), 1);
	ASSERT_EQ(*(int *)vg_vec_at(&v, 499), 500);
	ASSERT_EQ(*(int *)vg_vec_at(&v, 500), 502);
	vg_vec_for_each(int, p, &v)
		sum += *p;
	ASSERT_EQ(sum, 999 * 1000 / 2 - 501);
	vg_vec_clear(&v);
	ASSERT_EQ(v.len, 0u);
	ASSERT_GE(v.cap, 1000u);
	vg_vec_done(&v);
	ASSERT_NULL(v.data);
}

TEST(for_each_empty)
{
	struct vg_vec v = VG_VEC_INIT(uint64_t, 0);
	int n = 0;

	vg_vec_for_each(uint64_t, p, &v)
		n++;
	ASSERT_EQ(n, 0);
}

TEST(cap)
{
	struct vg_vec v;
	void *p = NULL;

	vg_vec_init(&v, sizeof(uint64_t), 3);
	for (uint64_t i = 0; i < 3; i++)
		ASSERT_OK(vg_vec_push(&v, &i));
	ASSERT_ERR(vg_vec_push(&v, &(uint64_t){9}), -E2BIG);
	ASSERT_ERR(vg_vec_push_zero(&v, &p), -E2BIG);
	ASSERT_ERR(vg_vec_reserve(&v, 1), -E2BIG);
	ASSERT_ERR(vg_vec_reserve(&v, SIZE_MAX), -ENOMEM);
	ASSERT_EQ(v.len, 3u);
	ASSERT_LE(v.cap, 3u);
	vg_vec_done(&v);
}

TEST(push_zero)
{
	struct vg_vec v = VG_VEC_INIT(
		struct {
			int a;
			char b[30];
		},
		0);
	char *p = NULL;

	ASSERT_OK(vg_vec_push_zero(&v, (void **)&p));
	ASSERT_NOT_NULL(p);
	for (size_t i = 0; i < v.elem_size; i++)
		ASSERT_EQ(p[i], 0);
	vg_vec_done(&v);
}

TEST(reserve_overflow)
{
	struct vg_vec v;

	vg_vec_init(&v, SIZE_MAX / 4, 0);
	ASSERT_ERR(vg_vec_reserve(&v, 8), -ENOMEM);
	vg_vec_done(&v);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

TEST(sort)
{
	struct vg_vec v = VG_VEC_INIT(int, 0);
	int vals[] = {5, -1, 3, 3, 100, 0}, want[] = {-1, 0, 3, 3, 5, 100};

	vg_vec_sort(&v, cmp_int); /* empty */
	for (size_t i = 0; i < VG_ARRAY_SIZE(vals); i++)
		ASSERT_OK(vg_vec_push(&v, &vals[i]));
	vg_vec_sort(&v, cmp_int);
	for (size_t i = 0; i < VG_ARRAY_SIZE(want); i++)
		ASSERT_EQ(*(int *)vg_vec_at(&v, i), want[i]);
	vg_vec_done(&v);
}
