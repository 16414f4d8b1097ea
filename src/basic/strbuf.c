/* SPDX-License-Identifier: Apache-2.0 */
/* Growable NUL-terminated buffer with a hard cap. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static size_t sb_max(const struct vg_strbuf *sb)
{
	return sb->max_size ? sb->max_size : VG_STRBUF_DEFAULT_MAX;
}

void vg_strbuf_init(struct vg_strbuf *sb, size_t max_size)
{
	*sb = (struct vg_strbuf)VG_STRBUF_INIT(max_size);
}

void vg_strbuf_done(struct vg_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void vg_strbuf_reset(struct vg_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Makes room for n more bytes plus the NUL. */
static int sb_grow(struct vg_strbuf *sb, size_t n)
{
	size_t max = sb_max(sb), want, newcap;
	char *p;

	if (n > max || sb->len > max - n)
		return -E2BIG;
	want = sb->len + n + 1;
	if (want <= sb->cap)
		return 0;
	newcap = sb->cap ? sb->cap : 64;
	while (newcap < want)
		newcap = newcap > SIZE_MAX / 2 ? want : newcap * 2;
	if (newcap > max + 1)
		newcap = max + 1;
	p = realloc(sb->buf, newcap);
	if (!p)
		return -ENOMEM;
	sb->buf = p;
	sb->cap = newcap;
	return 0;
}

int vg_strbuf_append(struct vg_strbuf *sb, const void *data, size_t n)
{
	int r = sb_grow(sb, n);

	if (r < 0)
		return r;
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int vg_strbuf_puts(struct vg_strbuf *sb, const char *s)
{
	return vg_strbuf_append(sb, s, strlen(s));
}

int vg_strbuf_putc(struct vg_strbuf *sb, char c)
{
	return vg_strbuf_append(sb, &c, 1);
}

int vg_strbuf_vprintf(struct vg_strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int k, r;

	va_copy(aq, ap);
	k = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (k < 0)
		return -EINVAL;
	r = sb_grow(sb, (size_t)k);
	if (r < 0)
		return r;
	(void)vsnprintf(sb->buf + sb->len, (size_t)k + 1, fmt, ap);
	sb->len += (size_t)k;
	return 0;
}

int vg_strbuf_printf(struct vg_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vg_strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
	return r;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int vg_strbuf_put_json_string(struct vg_strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start_len = sb->len;
	size_t i = 0;
	int r;

	r = vg_strbuf_putc(sb, '"');
	while (r >= 0 && i < n) {
		unsigned char c = p[i];
		size_t run = i, k;

		/* Copy the longest run that needs no escaping in one go. */
		while (run < n && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\' &&
		       p[run] < 0x80)
			run++;
		if (run > i) {
			r = vg_strbuf_append(sb, p + i, run - i);
			i = run;
			continue;
		}
		switch (c) {
		case '"':
			r = vg_strbuf_puts(sb, "\\\"");
			break;
		case '\\':
			r = vg_strbuf_puts(sb, "\\\\");
			break;
		case '\b':
			r = vg_strbuf_puts(sb, "\\b");
			break;
		case '\f':
			r = vg_strbuf_puts(sb, "\\f");
			break;
		case '\n':
			r = vg_strbuf_puts(sb, "\\n");
			break;
		case '\r':
			r = vg_strbuf_puts(sb, "\\r");
			break;
		case '\t':
			r = vg_strbuf_puts(sb, "\\t");
			break;
		default:
			if (c < 0x20) {
				r = vg_strbuf_printf(sb, "\\u%04x", c);
				break;
			}
			k = utf8_seq_len(p + i, n - i);
			if (k == 0) {
				r = vg_strbuf_printf(sb, "\\u%04x", c);
				break;
			}
			r = vg_strbuf_append(sb, p + i, k);
			i += k;
			continue;
		}
		i++;
	}
	if (r >= 0)
		r = vg_strbuf_putc(sb, '"');
	if (r < 0) {
		/* Leave the buffer as it was. */
		sb->len = start_len;
		if (sb->buf)
			sb->buf[sb->len] = '\0';
	}
	return r;
}

const char *vg_strbuf_str(const struct vg_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

int vg_strbuf_steal(struct vg_strbuf *sb, char **ret)
{
	char *p = sb->buf;

	if (!p) {
		p = strdup("");
		if (!p)
			return -ENOMEM;
	}
	*ret = p;
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
	return 0;
}
