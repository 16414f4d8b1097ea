/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tiny in-memory tar writer for tests: ustar headers (with prefix split), pax and GNU
 * long-name records, raw header tweaks for hostile cases, plus a memory reader.
 */
#ifndef VG_TESTS_TAR_WRITER_H
#define VG_TESTS_TAR_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct tw {
	unsigned char *buf;
	size_t len, cap;
};

static inline void tw_put(struct tw *w, const void *p, size_t n)
{
	if (w->len + n > w->cap) {
		w->cap = (w->len + n) * 2 + 4096;
		w->buf = realloc(w->buf, w->cap);
		if (!w->buf)
			abort();
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static inline void tw_checksum(unsigned char *h)
{
	unsigned sum = 0;

	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

/* Fills a ustar header; the caller may tweak it before tw_checksum(). */
static inline void tw_header(unsigned char *h, const char *name, char type, uint64_t size,
			     const char *link, unsigned mode)
{
	size_t nl = strlen(name);

	memset(h, 0, 512);
	if (nl > 100) { /* split at a slash into prefix/name when possible */
		const char *s = name + nl - 100;

		s = strchr(s, '/');
		if (s && (size_t)(s - name) <= 155) {
			memcpy(h + 345, name, (size_t)(s - name));
			memcpy(h, s + 1, strlen(s + 1));
		} else {
			memcpy(h, name, 100);
		}
	} else {
		memcpy(h, name, nl);
	}
	snprintf((char *)h + 100, 8, "%07o", mode);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	{
		char sz[32];

		snprintf(sz, sizeof(sz), "%011llo", (unsigned long long)size);
		memcpy(h + 124, sz, 11);
	}
	snprintf((char *)h + 136, 12, "%011o", 1600000000);
	h[156] = (unsigned char)type;
	if (link)
		memcpy(h + 157, link, strlen(link) < 100 ? strlen(link) : 100);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	tw_checksum(h);
}

static inline void tw_data(struct tw *w, const void *data, size_t size)
{
	static const unsigned char zero[512];

	tw_put(w, data, size);
	if (size % 512)
		tw_put(w, zero, 512 - size % 512);
}

static inline void tw_entry(struct tw *w, const char *name, char type, const void *data,
			    size_t size, const char *link)
{
	unsigned char h[512];

	tw_header(h, name, type, size, link, type == '5' ? 0755 : 0644);
	tw_put(w, h, 512);
	if (size)
		tw_data(w, data, size);
}

static inline void tw_file(struct tw *w, const char *name, const char *content)
{
	tw_entry(w, name, '0', content, strlen(content), NULL);
}

/* A pax extended header ('x') with one "key=value" record, applying to the next entry. */
static inline void tw_pax(struct tw *w, const char *key, const char *value)
{
	char rec[8192];
	size_t base = strlen(key) + strlen(value) + 3, len = base + 1;

	while (snprintf(NULL, 0, "%zu", len) + base != len)
		len++;
	snprintf(rec, sizeof(rec), "%zu %s=%s\n", len, key, value);
	tw_entry(w, "PaxHeaders/x", 'x', rec, strlen(rec), NULL);
}

static inline void tw_end(struct tw *w)
{
	static const unsigned char zero[1024];

	tw_put(w, zero, sizeof(zero));
}

struct memreader {
	const unsigned char *p;
	size_t len, pos, chunk; /* chunk > 0 limits each read (exercises short reads) */
};

static inline ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct memreader *m = ctx;
	size_t k = m->len - m->pos;

	if (k > n)
		k = n;
	if (m->chunk && k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

#endif /* VG_TESTS_TAR_WRITER_H */
