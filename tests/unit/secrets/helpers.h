/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the secrets unit tests: a seeded PRNG, template expansion, a finding collector. */
#ifndef VG_TEST_SECRETS_HELPERS_H
#define VG_TEST_SECRETS_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/strbuf.h"
#include "secrets/scan.h"
#include "tap.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static inline void rng_seed(uint64_t s)
{
	rng_state = s ? s : 0x9e3779b97f4a7c15ULL;
}

static inline uint64_t rng_next(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static inline unsigned rng_below(unsigned n)
{
	return (unsigned)(rng_next() % n);
}

/* TEST_SEED=N reproduces a run; the seed is printed as a TAP diagnostic. */
static inline uint64_t rng_seed_from_env(void)
{
	const char *s = getenv("TEST_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : 20261128;

	tap_diag("# seed %llu (TEST_SEED)\n", (unsigned long long)seed);
	rng_seed(seed);
	return seed;
}

static const char *class_chars(const char *name)
{
	static const struct {
		const char *name, *chars;
	} classes[] = {
		{"b62", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"},
		{"hex", "0123456789abcdef"},
		{"HEX", "0123456789ABCDEF"},
		{"up", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"},
		{"b32", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"},
		{"low", "abcdefghijklmnopqrstuvwxyz0123456789"},
		{"alpha", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
		{"dig", "0123456789"},
		{"b64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"},
		{"url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"},
		{"age", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"},
		{"pem", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"},
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(classes[i].name, name))
			return classes[i].chars;
	return NULL;
}

static inline void put_random(struct vg_strbuf *sb, const char *chars, size_t n, bool pem)
{
	size_t k = strlen(chars);

	for (size_t i = 0; i < n; i++) {
		if (pem && i && i % 64 == 0)
			ASSERT_OK(vg_strbuf_putc(sb, '\n'));
		ASSERT_OK(vg_strbuf_putc(sb, chars[rng_below((unsigned)k)]));
	}
}

/*
 * Expands @tmpl (samples.h syntax) into @sb; the secret span goes to @ret_so, @ret_eo
 * ((size_t)-1 when the template marks none).
 */
static inline void expand(const char *tmpl, struct vg_strbuf *sb, size_t *ret_so, size_t *ret_eo)
{
	*ret_so = *ret_eo = (size_t)-1;
	vg_strbuf_reset(sb);
	for (const char *p = tmpl; *p;) {
		if (!strncmp(p, "[[", 2)) {
			*ret_so = sb->len;
			p += 2;
		} else if (!strncmp(p, "]]", 2)) {
			*ret_eo = sb->len;
			p += 2;
		} else if (
			*p == '{' && p[1] >= 'a' && p[1] <= 'z' &&
			p[1 +
			  strspn(p + 1,
				 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:")] ==
				'}') {
			const char *end = strchr(p, '}'),
				   *colon = memchr(p, ':', (size_t)(end - p));
			char name[16];

			if (!colon && end - p == 5 && !strncmp(p, "{uuid", 5)) {
				static const int parts[] = {8, 4, 4, 4, 12};

				for (int i = 0; i < 5; i++) {
					if (i)
						ASSERT_OK(vg_strbuf_putc(sb, '-'));
					put_random(sb, "0123456789abcdef", (size_t)parts[i], false);
				}
			} else {
				ASSERT_NOT_NULL(colon);
				ASSERT_LT((size_t)(colon - p - 1), sizeof(name));
				memcpy(name, p + 1, (size_t)(colon - p - 1));
				name[colon - p - 1] = '\0';
				ASSERT_NOT_NULL(class_chars(name));
				put_random(sb, class_chars(name), strtoul(colon + 1, NULL, 10),
					   !strcmp(name, "pem"));
			}
			p = end + 1;
		} else {
			ASSERT_OK(vg_strbuf_putc(sb, *p++));
		}
	}
}

struct collected {
	size_t n;
	struct {
		char rule[128];
		size_t offset, length;
		unsigned line, column;
	} f[64];
};

static inline int collect(void *userdata, const struct vg_secret_match *m)
{
	struct collected *c = userdata;

	if (c->n < sizeof(c->f) / sizeof(c->f[0])) {
		snprintf(c->f[c->n].rule, sizeof(c->f[c->n].rule), "%s", m->rule->id);
		c->f[c->n].offset = m->offset;
		c->f[c->n].length = m->length;
		c->f[c->n].line = m->line;
		c->f[c->n].column = m->column;
	}
	c->n++;
	return 0;
}

#endif /* VG_TEST_SECRETS_HELPERS_H */
