/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable, always NUL-terminated byte buffer with a hard size cap (curl dynbuf's "toobig"):
 * growing past max_size fails with -E2BIG and leaves the buffer as it was.
 */
#ifndef VG_BASIC_STRBUF_H
#define VG_BASIC_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

struct vg_strbuf {
	char *buf; /* NULL until first append; vg_strbuf_str() never returns NULL */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
	size_t max_size; /* cap on len; 0 means VG_STRBUF_DEFAULT_MAX */
};

#define VG_STRBUF_DEFAULT_MAX (64u * 1024 * 1024)
#define VG_STRBUF_INIT(max)                                        \
	{                                                          \
		.buf = NULL, .len = 0, .cap = 0, .max_size = (max) \
	}

void vg_strbuf_init(struct vg_strbuf *sb, size_t max_size);
void vg_strbuf_done(struct vg_strbuf *sb); /* frees contents, keeps max_size */
void vg_strbuf_reset(struct vg_strbuf *sb); /* len = 0, keeps memory */

VG_MUST_CHECK int vg_strbuf_append(struct vg_strbuf *sb, const void *data, size_t n);
VG_MUST_CHECK int vg_strbuf_puts(struct vg_strbuf *sb, const char *s);
VG_MUST_CHECK int vg_strbuf_putc(struct vg_strbuf *sb, char c);
VG_MUST_CHECK int vg_strbuf_printf(struct vg_strbuf *sb, const char *fmt, ...) VG_PRINTF(2, 3);
VG_MUST_CHECK int vg_strbuf_vprintf(struct vg_strbuf *sb, const char *fmt, va_list ap)
	VG_PRINTF(2, 0);
/* Appends s as a JSON string literal, quotes included, escaping per RFC 8259; bytes that
 * are not valid UTF-8 are written as \u00XX so output is always valid JSON. */
VG_MUST_CHECK int vg_strbuf_put_json_string(struct vg_strbuf *sb, const char *s, size_t n);

const char *vg_strbuf_str(const struct vg_strbuf *sb); /* "" when empty */
/* Hands the buffer to the caller (malloc'ed, NUL-terminated, never NULL on success). */
VG_MUST_CHECK int vg_strbuf_steal(struct vg_strbuf *sb, char **ret);

#endif /* VG_BASIC_STRBUF_H */
