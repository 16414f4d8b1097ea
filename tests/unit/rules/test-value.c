/* SPDX-License-Identifier: Apache-2.0 */
/* Literals of the rules language: parsing by type and printing as Falco prints them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "basic/arena.h"
#include "rules/value.h"
#include "tap.h"

/* One literal: type, text, expected result and, on success, the formatted form. */
struct value_case {
	enum vg_ftype type;
	const char *text;
	int r;
	const char *formatted; /* NULL: same as text */
};

static const struct value_case cases[] = {
	/* INT */
	{VG_FT_INT, "0", 0, NULL},
	{VG_FT_INT, "42", 0, NULL},
	{VG_FT_INT, "-1", 0, NULL},
	{VG_FT_INT, "+7", 0, "7"},
	{VG_FT_INT, "0x1f", 0, "31"},
	{VG_FT_INT, "0X1F", 0, "31"},
	{VG_FT_INT, "-0x10", 0, "-16"},
	{VG_FT_INT, "9223372036854775807", 0, NULL},
	{VG_FT_INT, "-9223372036854775808", 0, NULL},
	{VG_FT_INT, "9223372036854775808", -EINVAL, NULL},
	{VG_FT_INT, "-9223372036854775809", -EINVAL, NULL},
	{VG_FT_INT, "", -EINVAL, NULL},
	{VG_FT_INT, "-", -EINVAL, NULL},
	{VG_FT_INT, "0x", -EINVAL, NULL},
	{VG_FT_INT, "12a", -EINVAL, NULL},
	{VG_FT_INT, " 1", -EINVAL, NULL},
	{VG_FT_INT, "1.5", -EINVAL, NULL},
	{VG_FT_INT, "0xfg", -EINVAL, NULL},
	/* UINT */
	{VG_FT_UINT, "0", 0, NULL},
	{VG_FT_UINT, "18446744073709551615", 0, NULL},
	{VG_FT_UINT, "18446744073709551616", -EINVAL, NULL},
	{VG_FT_UINT, "0xffffffffffffffff", 0, "18446744073709551615"},
	{VG_FT_UINT, "0x10000000000000000", -EINVAL, NULL},
	{VG_FT_UINT, "-1", -EINVAL, NULL},
	{VG_FT_UINT, "-0", -EINVAL, NULL},
	{VG_FT_UINT, "65535", 0, NULL},
	{VG_FT_UINT, "abc", -EINVAL, NULL},
	/* BOOL */
	{VG_FT_BOOL, "true", 0, NULL},
	{VG_FT_BOOL, "false", 0, NULL},
	{VG_FT_BOOL, "TRUE", -EINVAL, NULL},
	{VG_FT_BOOL, "1", -EINVAL, NULL},
	{VG_FT_BOOL, "truex", -EINVAL, NULL},
	{VG_FT_BOOL, "", -EINVAL, NULL},
	/* IP */
	{VG_FT_IP, "127.0.0.1", 0, NULL},
	{VG_FT_IP, "0.0.0.0", 0, NULL},
	{VG_FT_IP, "255.255.255.255", 0, NULL},
	{VG_FT_IP, "::1", 0, NULL},
	{VG_FT_IP, "2001:DB8:0:0:0:0:0:1", 0, "2001:db8::1"},
	{VG_FT_IP, "2001:db8:0:1:1:1:1:1", 0, NULL}, /* RFC 5952: one 0 group stays */
	{VG_FT_IP, "::ffff:10.1.2.3", 0, NULL},
	{VG_FT_IP, "256.0.0.1", -EINVAL, NULL},
	{VG_FT_IP, "1.2.3", -EINVAL, NULL},
	{VG_FT_IP, "10.0.0.0/8", -EINVAL, NULL},
	{VG_FT_IP, "host", -EINVAL, NULL},
	{VG_FT_IP, "", -EINVAL, NULL},
	{VG_FT_IP, ":::", -EINVAL, NULL},
	/* NET */
	{VG_FT_NET, "10.0.0.0/8", 0, NULL},
	{VG_FT_NET, "192.168.0.0/16", 0, NULL},
	{VG_FT_NET, "0.0.0.0/0", 0, NULL},
	{VG_FT_NET, "1.2.3.4", 0, "1.2.3.4/32"},
	{VG_FT_NET, "fd00::/8", 0, NULL},
	{VG_FT_NET, "::1", 0, "::1/128"},
	{VG_FT_NET, "2001:db8::/32", 0, NULL},
	{VG_FT_NET, "10.0.0.0/33", -EINVAL, NULL},
	{VG_FT_NET, "fd00::/129", -EINVAL, NULL},
	{VG_FT_NET, "10.0.0.0/", -EINVAL, NULL},
	{VG_FT_NET, "10.0.0.0/08", -EINVAL, NULL},
	{VG_FT_NET, "10.0.0.0/-1", -EINVAL, NULL},
	{VG_FT_NET, "10.0.0.0/8/8", -EINVAL, NULL},
	{VG_FT_NET, "/8", -EINVAL, NULL},
	/* STR: anything, as is */
	{VG_FT_STR, "/etc/shadow", 0, NULL},
	{VG_FT_STR, "", 0, NULL},
	{VG_FT_STR, "with space, comma", 0, NULL},
};

TEST(table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct value_case *c = &cases[i];
		struct vg_value v;
		char buf[128];
		int r;

		r = vg_value_parse(c->type, c->text, strlen(c->text), &v);
		if (r != c->r)
			tap_diag("case %zu: %s '%s'\n", i, vg_ftype_name(c->type), c->text);
		ASSERT_EQ(r, c->r);
		if (r < 0)
			continue;
		ASSERT_EQ(v.type, c->type);
		r = vg_value_format(&v, buf, sizeof(buf));
		ASSERT_EQ(r, (int)strlen(buf));
		if (strcmp(buf, c->formatted ? c->formatted : c->text) != 0)
			tap_diag("case %zu: '%s' formatted as '%s'\n", i, c->text, buf);
		ASSERT_STREQ(buf, c->formatted ? c->formatted : c->text);
	}
}

TEST(values)
{
	struct vg_value v;

	ASSERT_OK(vg_value_parse(VG_FT_INT, "-1", 2, &v));
	ASSERT_EQ(v.i, -1);
	ASSERT_OK(vg_value_parse(VG_FT_UINT, "0x1F", 4, &v));
	ASSERT_EQ(v.u, 31u);
	ASSERT_OK(vg_value_parse(VG_FT_BOOL, "true", 4, &v));
	ASSERT_TRUE(v.b);
	ASSERT_OK(vg_value_parse(VG_FT_IP, "10.1.2.3", 8, &v));
	ASSERT_EQ(v.ip.family, 4);
	ASSERT_EQ(v.ip.addr[0], 10);
	ASSERT_EQ(v.ip.addr[3], 3);
	ASSERT_OK(vg_value_parse(VG_FT_NET, "172.16.0.0/12", 13, &v));
	ASSERT_EQ(v.ip.family, 4);
	ASSERT_EQ(v.ip.prefix, 12);
	ASSERT_EQ(v.ip.addr[0], 172);
	ASSERT_OK(vg_value_parse(VG_FT_NET, "fe80::/10", 9, &v));
	ASSERT_EQ(v.ip.family, 6);
	ASSERT_EQ(v.ip.prefix, 10);
	ASSERT_EQ(v.ip.addr[0], 0xfe);
	ASSERT_EQ(v.ip.addr[1], 0x80);
	ASSERT_OK(vg_value_parse(VG_FT_IP, "::1", 3, &v));
	ASSERT_EQ(v.ip.family, 6);
	ASSERT_EQ(v.ip.addr[15], 1);
}

TEST(length_not_nul)
{
	/* text need not be NUL-terminated: only len bytes are read */
	const char text[] = "12345";
	struct vg_value v;

	ASSERT_OK(vg_value_parse(VG_FT_UINT, text, 2, &v));
	ASSERT_EQ(v.u, 12u);
	ASSERT_OK(vg_value_parse(VG_FT_IP, "1.2.3.4xyz", 7, &v));
	ASSERT_EQ(v.ip.addr[3], 4);
	ASSERT_OK(vg_value_parse(VG_FT_STR, "/etc/passwd", 4, &v));
	ASSERT_EQ(v.s.len, 4u);
	ASSERT_TRUE(memcmp(v.s.p, "/etc", 4) == 0);
	ASSERT_ERR(vg_value_parse(VG_FT_IP, "1.2.3.4\0", 8, &v), -EINVAL);
}

TEST(str_points_into_text)
{
	const char *text = "bash";
	struct vg_value v;

	ASSERT_OK(vg_value_parse(VG_FT_STR, text, 4, &v));
	ASSERT_TRUE(v.s.p == text);
}

TEST(bytes)
{
	struct vg_arena a;
	struct vg_value v;
	char buf[32];

	vg_arena_init(&a, 0);
	ASSERT_ERR(vg_value_parse(VG_FT_BYTES, "43484f", 6, &v), -EOPNOTSUPP);
	ASSERT_OK(vg_value_parse_arena(VG_FT_BYTES, "43484f", 6, &a, &v));
	ASSERT_EQ(v.type, VG_FT_BYTES);
	ASSERT_EQ(v.s.len, 3u);
	ASSERT_TRUE(memcmp(v.s.p, "CHO", 3) == 0);
	ASSERT_EQ(vg_value_format(&v, buf, sizeof(buf)), 3);
	ASSERT_STREQ(buf, "CHO");
	ASSERT_OK(vg_value_parse_arena(VG_FT_BYTES, "00ff41", 6, &a, &v));
	ASSERT_EQ(v.s.len, 3u);
	ASSERT_EQ((unsigned char)v.s.p[1], 0xff);
	ASSERT_EQ(vg_value_format(&v, buf, sizeof(buf)), 3);
	ASSERT_STREQ(buf, "..A");
	ASSERT_OK(vg_value_parse_arena(VG_FT_BYTES, "", 0, &a, &v));
	ASSERT_EQ(v.s.len, 0u);
	ASSERT_ERR(vg_value_parse_arena(VG_FT_BYTES, "434", 3, &a, &v), -EINVAL);
	ASSERT_ERR(vg_value_parse_arena(VG_FT_BYTES, "43 48", 5, &a, &v), -EINVAL);
	ASSERT_ERR(vg_value_parse_arena(VG_FT_BYTES, "zz", 2, &a, &v), -EINVAL);
	/* other types behave as with vg_value_parse() */
	ASSERT_OK(vg_value_parse_arena(VG_FT_INT, "-5", 2, &a, &v));
	ASSERT_EQ(v.i, -5);
	ASSERT_ERR(vg_value_parse_arena(VG_FT_INT, "x", 1, NULL, &v), -EINVAL);
	vg_arena_done(&a);
}

TEST(format_truncation)
{
	struct vg_value v = {.type = VG_FT_STR, .s = {"abcdef", 6}};
	char buf[4];

	ASSERT_EQ(vg_value_format(&v, buf, sizeof(buf)), 6);
	ASSERT_STREQ(buf, "abc");
	ASSERT_EQ(vg_value_format(&v, NULL, 0), 6);
	v = (struct vg_value){.type = VG_FT_INT, .i = -12345};
	ASSERT_EQ(vg_value_format(&v, buf, sizeof(buf)), 6);
	ASSERT_STREQ(buf, "-12");
	v = (struct vg_value){.type = VG_FT_BOOL, .b = false};
	ASSERT_EQ(vg_value_format(&v, buf, 1), 5);
	ASSERT_STREQ(buf, "");
	v = (struct vg_value){.type = VG_FT__MAX};
	ASSERT_ERR(vg_value_format(&v, buf, sizeof(buf)), -EINVAL);
}

TEST(invalid_type)
{
	struct vg_value v;

	ASSERT_ERR(vg_value_parse(VG_FT__MAX, "1", 1, &v), -EINVAL);
	ASSERT_ERR(vg_value_parse((enum vg_ftype)0, "1", 1, &v), -EINVAL);
}

TEST(type_names)
{
	ASSERT_STREQ(vg_ftype_name(VG_FT_STR), "string");
	ASSERT_STREQ(vg_ftype_name(VG_FT_INT), "int64");
	ASSERT_STREQ(vg_ftype_name(VG_FT_UINT), "uint64");
	ASSERT_STREQ(vg_ftype_name(VG_FT_BOOL), "bool");
	ASSERT_STREQ(vg_ftype_name(VG_FT_IP), "ipaddr");
	ASSERT_STREQ(vg_ftype_name(VG_FT_NET), "ipnet");
	ASSERT_STREQ(vg_ftype_name(VG_FT_BYTES), "bytebuf");
	ASSERT_STREQ(vg_ftype_name(VG_FT__MAX), "unknown");
}
