/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "basic/strbuf.h"
#include "tap.h"

TEST(empty)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	char *s = NULL;

	ASSERT_STREQ(vg_strbuf_str(&sb), "");
	ASSERT_EQ(sb.len, 0u);
	ASSERT_OK(vg_strbuf_steal(&sb, &s));
	ASSERT_STREQ(s, "");
	free(s);
	vg_strbuf_done(&sb);
}

TEST(append_printf)
{
	struct vg_strbuf sb;

	vg_strbuf_init(&sb, 0);
	ASSERT_OK(vg_strbuf_puts(&sb, "abc"));
	ASSERT_OK(vg_strbuf_putc(&sb, '-'));
	ASSERT_OK(vg_strbuf_printf(&sb, "%d/%s", 42, "x"));
	ASSERT_OK(vg_strbuf_append(&sb, "\0z", 2));
	ASSERT_EQ(sb.len, 10u);
	ASSERT_STREQ(vg_strbuf_str(&sb), "abc-42/x");
	ASSERT_EQ(sb.buf[sb.len], '\0');
	vg_strbuf_reset(&sb);
	ASSERT_EQ(sb.len, 0u);
	ASSERT_STREQ(vg_strbuf_str(&sb), "");
	vg_strbuf_done(&sb);
	ASSERT_NULL(sb.buf);
}

TEST(grow_large)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);

	for (int i = 0; i < 100000; i++)
		ASSERT_OK(vg_strbuf_printf(&sb, "%05d", i % 100000));
	ASSERT_EQ(sb.len, 500000u);
	ASSERT_EQ(strncmp(sb.buf + 5 * 12345, "12345", 5), 0);
	vg_strbuf_done(&sb);
}

TEST(cap)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(8);

	ASSERT_OK(vg_strbuf_puts(&sb, "12345"));
	ASSERT_ERR(vg_strbuf_puts(&sb, "6789"), -E2BIG);
	ASSERT_STREQ(vg_strbuf_str(&sb), "12345");
	ASSERT_ERR(vg_strbuf_printf(&sb, "%s", "abcd"), -E2BIG);
	ASSERT_STREQ(vg_strbuf_str(&sb), "12345");
	ASSERT_OK(vg_strbuf_puts(&sb, "678"));
	ASSERT_EQ(sb.len, 8u);
	ASSERT_ERR(vg_strbuf_putc(&sb, 'x'), -E2BIG);
	ASSERT_ERR(vg_strbuf_append(&sb, "x", SIZE_MAX), -E2BIG);
	ASSERT_STREQ(vg_strbuf_str(&sb), "12345678");
	vg_strbuf_done(&sb);
}

static const char *json_of(struct vg_strbuf *sb, const char *s, size_t n)
{
	vg_strbuf_reset(sb);
	if (vg_strbuf_put_json_string(sb, s, n) < 0)
		return NULL;
	return vg_strbuf_str(sb);
}

TEST(json_string)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);

	ASSERT_STREQ(json_of(&sb, "", 0), "\"\"");
	ASSERT_STREQ(json_of(&sb, "plain", 5), "\"plain\"");
	ASSERT_STREQ(json_of(&sb, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	ASSERT_STREQ(json_of(&sb, "\n\r\t\b\f", 5), "\"\\n\\r\\t\\b\\f\"");
	ASSERT_STREQ(json_of(&sb, "\x01\x1f", 2), "\"\\u0001\\u001f\"");
	ASSERT_STREQ(json_of(&sb, "a\0b", 3), "\"a\\u0000b\"");
	/* valid UTF-8 passes through */
	ASSERT_STREQ(json_of(&sb, "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 12),
		     "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* invalid: lone continuation, truncated sequence, overlong, surrogate, > U+10FFFF */
	ASSERT_STREQ(json_of(&sb, "\x80", 1), "\"\\u0080\"");
	ASSERT_STREQ(json_of(&sb, "\xc3", 1), "\"\\u00c3\"");
	ASSERT_STREQ(json_of(&sb, "\xc0\xaf", 2), "\"\\u00c0\\u00af\"");
	ASSERT_STREQ(json_of(&sb, "\xe0\x80\xaf", 3), "\"\\u00e0\\u0080\\u00af\"");
	ASSERT_STREQ(json_of(&sb, "\xed\xa0\x80", 3), "\"\\u00ed\\u00a0\\u0080\"");
	ASSERT_STREQ(json_of(&sb, "\xf4\x90\x80\x80", 4), "\"\\u00f4\\u0090\\u0080\\u0080\"");
	ASSERT_STREQ(json_of(&sb, "\xff", 1), "\"\\u00ff\"");
	vg_strbuf_done(&sb);
}

TEST(json_string_cap_restores)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(10);

	ASSERT_OK(vg_strbuf_puts(&sb, "ab"));
	ASSERT_ERR(vg_strbuf_put_json_string(&sb, "0123456789", 10), -E2BIG);
	ASSERT_STREQ(vg_strbuf_str(&sb), "ab");
	ASSERT_EQ(sb.len, 2u);
	vg_strbuf_done(&sb);
}

TEST(steal)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	char *s = NULL;

	ASSERT_OK(vg_strbuf_puts(&sb, "hello"));
	ASSERT_OK(vg_strbuf_steal(&sb, &s));
	ASSERT_STREQ(s, "hello");
	ASSERT_NULL(sb.buf);
	ASSERT_EQ(sb.len, 0u);
	ASSERT_STREQ(vg_strbuf_str(&sb), "");
	free(s);
}
