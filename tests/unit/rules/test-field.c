/* SPDX-License-Identifier: Apache-2.0 */
/* The field registry: sources, lookups with dotted arguments, event types, extraction bounds. */
#include <stdio.h>
#include <string.h>

#include "rules/field.h"
#include "tap.h"

static void nop(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
		struct vg_extract *x)
{
}

static const struct vg_field tfields[] = {
	{"t.name", VG_FT_STR, 0, "name", nop, 1},
	{"t.arg", VG_FT_STR, VG_FF_ARG_KEY | VG_FF_DOTTED_ARG, "arg", nop, 2},
	{"t.arg.sub", VG_FT_STR, VG_FF_ARG_KEY | VG_FF_DOTTED_ARG, "sub", nop, 3},
	{"t.plain", VG_FT_STR, VG_FF_ARG_KEY, "no dotted", nop, 4},
	{"t.plain.name", VG_FT_STR, 0, "exact", nop, 5},
};

static const char *const ttypes[] = {"unknown", "open", "close"};

static const struct vg_source tsrc = {
	.name = "test",
	.fields = tfields,
	.n_fields = 5,
	.evttypes = ttypes,
	.n_evttypes = 3,
};

static struct vg_extract x;

TEST(registry)
{
	static struct vg_source many[20];
	static char names[20][16];
	size_t before;
	int r = 0;

	ASSERT_OK(vg_source_register(&tsrc));
	ASSERT_ERR(vg_source_register(&tsrc), -EEXIST);
	ASSERT_TRUE(vg_source_find("test") == &tsrc);
	ASSERT_NULL(vg_source_find("nope"));
	ASSERT_NULL(vg_source_find(NULL));
	before = vg_source_count();
	ASSERT_GE(before, 1u);
	ASSERT_TRUE(vg_source_at(before - 1) == &tsrc);
	ASSERT_NULL(vg_source_at(before));
	for (int i = 0; i < 20 && r >= 0; i++) {
		snprintf(names[i], sizeof(names[i]), "s%d", i);
		many[i] = tsrc;
		many[i].name = names[i];
		r = vg_source_register(&many[i]);
	}
	ASSERT_ERR(r, -E2BIG);
	ASSERT_ERR(vg_source_register(NULL), -EINVAL);
}

TEST(lookup)
{
	size_t off = 99;
	const struct vg_field *f;

	f = vg_source_field(&tsrc, "t.name", &off);
	ASSERT_NOT_NULL(f);
	ASSERT_EQ(f->id, 1);
	ASSERT_EQ(off, 0u);
	f = vg_source_field(&tsrc, "t.arg.flags", &off);
	ASSERT_EQ(f->id, 2);
	ASSERT_STREQ(&"t.arg.flags"[off], "flags");
	f = vg_source_field(&tsrc, "t.arg.sub.k", &off); /* longest prefix */
	ASSERT_EQ(f->id, 3);
	ASSERT_STREQ(&"t.arg.sub.k"[off], "k");
	f = vg_source_field(&tsrc, "t.arg.sub", &off); /* exact wins */
	ASSERT_EQ(f->id, 3);
	ASSERT_EQ(off, 0u);
	f = vg_source_field(&tsrc, "t.arg.a.b", &off); /* dots inside the argument */
	ASSERT_EQ(f->id, 2);
	ASSERT_STREQ(&"t.arg.a.b"[off], "a.b");
	ASSERT_NULL(vg_source_field(&tsrc, "t.arg.", &off)); /* empty argument */
	ASSERT_NULL(vg_source_field(&tsrc, "t.plain.x", &off)); /* not VG_FF_DOTTED_ARG */
	f = vg_source_field(&tsrc, "t.plain.name", &off);
	ASSERT_EQ(f->id, 5);
	ASSERT_NULL(vg_source_field(&tsrc, "t.nam", &off));
	ASSERT_NULL(vg_source_field(&tsrc, "t.names", &off));
	ASSERT_NULL(vg_source_field(NULL, "t.name", &off));
	ASSERT_NOT_NULL(vg_source_field(&tsrc, "t.name", NULL));
}

TEST(evttypes)
{
	ASSERT_EQ(vg_source_evttype(&tsrc, "open"), 1u);
	ASSERT_EQ(vg_source_evttype(&tsrc, "close"), 2u);
	ASSERT_EQ(vg_source_evttype(&tsrc, "unknown"), 0u); /* 0 is reserved */
	ASSERT_EQ(vg_source_evttype(&tsrc, "read"), 0u);
	ASSERT_EQ(vg_source_evttype(&tsrc, NULL), 0u);
}

TEST(extract_values)
{
	uint8_t a4[4] = {10, 0, 0, 1}, a6[16] = {0x20, 0x01, 0x0d, 0xb8};

	vg_extract_reset(&x);
	ASSERT_TRUE(vg_extract_str(&x, "abc", 2));
	ASSERT_TRUE(vg_extract_cstr(&x, "xyz"));
	ASSERT_FALSE(vg_extract_cstr(&x, NULL));
	ASSERT_TRUE(vg_extract_int(&x, -5));
	ASSERT_TRUE(vg_extract_uint(&x, 7));
	ASSERT_TRUE(vg_extract_bool(&x, true));
	ASSERT_TRUE(vg_extract_ip(&x, 4, a4));
	ASSERT_TRUE(vg_extract_ip(&x, 10 /* AF_INET6 */, a6));
	ASSERT_FALSE(vg_extract_ip(&x, 3, a4));
	ASSERT_TRUE(vg_extract_bytes(&x, "\x01\x02", 2));
	ASSERT_TRUE(vg_extract_printf(&x, "%d-%s", 42, "z"));
	ASSERT_TRUE(vg_extract_strdup(&x, "hello", 4));
	ASSERT_EQ(x.n, 10u);
	ASSERT_FALSE(x.overflow);
	ASSERT_EQ(x.values[0].s.len, 2u);
	ASSERT_EQ(x.values[2].type, VG_FT_INT);
	ASSERT_EQ(x.values[2].i, -5);
	ASSERT_EQ(x.values[5].ip.family, 4);
	ASSERT_EQ(x.values[5].ip.addr[3], 1);
	ASSERT_EQ(x.values[6].ip.family, 6);
	ASSERT_EQ(x.values[7].type, VG_FT_BYTES);
	ASSERT_EQ(x.values[8].s.len, 4u);
	ASSERT_TRUE(memcmp(x.values[8].s.p, "42-z", 4) == 0);
	ASSERT_EQ(x.values[8].s.p[4], '\0');
	ASSERT_TRUE(memcmp(x.values[9].s.p, "hell", 4) == 0);
	vg_extract_reset(&x);
	ASSERT_EQ(x.n, 0u);
	ASSERT_EQ(x.scratch_used, 0u);
}

TEST(extract_bounds)
{
	static char big[VG_EXTRACT_SCRATCH_MAX];
	size_t room;
	char *b;

	vg_extract_reset(&x);
	for (int i = 0; i < VG_EXTRACT_VALUES_MAX; i++)
		ASSERT_TRUE(vg_extract_uint(&x, (uint64_t)i));
	ASSERT_FALSE(x.overflow);
	ASSERT_FALSE(vg_extract_uint(&x, 1));
	ASSERT_TRUE(x.overflow);
	ASSERT_EQ(x.n, (size_t)VG_EXTRACT_VALUES_MAX);
	ASSERT_FALSE(vg_extract_printf(&x, "%s", "a"));

	/* scratch: too long a string is dropped, not cut, and nothing is written past it */
	vg_extract_reset(&x);
	memset(big, 'a', sizeof(big));
	ASSERT_FALSE(vg_extract_strdup(&x, big, sizeof(big)));
	ASSERT_TRUE(x.overflow);
	ASSERT_EQ(x.n, 0u);
	ASSERT_TRUE(vg_extract_strdup(&x, big, sizeof(big) - 1));
	ASSERT_EQ(x.scratch_used, (size_t)VG_EXTRACT_SCRATCH_MAX);
	ASSERT_FALSE(vg_extract_printf(&x, "x"));
	ASSERT_NULL(vg_extract_buf(&x, &room));
	ASSERT_EQ(room, 0u);

	vg_extract_reset(&x);
	ASSERT_FALSE(vg_extract_printf(&x, "%.*s", (int)sizeof(big), big));
	ASSERT_EQ(x.n, 0u);
	b = vg_extract_buf(&x, &room);
	ASSERT_EQ(room, (size_t)VG_EXTRACT_SCRATCH_MAX);
	memcpy(b, "part", 4);
	ASSERT_TRUE(vg_extract_commit(&x, 4));
	ASSERT_EQ(x.values[0].s.len, 4u);
	ASSERT_FALSE(vg_extract_commit(&x, VG_EXTRACT_SCRATCH_MAX));
}
