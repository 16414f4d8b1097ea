/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the secret scanner with the built-in rules: arbitrary bytes as a file's content
 * (binaries included). The first line, if short, is the file's path (so path-restricted
 * rules run too). Findings must be in order, inside the buffer, not overlapping, on the line
 * and column they claim, and pass their rule's entropy threshold. The keyword pass must give
 * the same hits, in the same order, on its scalar and its SIMD path (when the CPU has it).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/ac.h"
#include "secrets/rules.h"
#include "secrets/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_secret_ruleset rs;
static struct vg_secret_scanner *scanner;

struct check {
	const char *buf;
	size_t len;
	size_t last_end;
};

static int on_match(void *userdata, const struct vg_secret_match *m)
{
	struct check *c = userdata;
	unsigned line = 1;
	size_t col = 1;

	if (m->offset < c->last_end || m->offset + m->length > c->len || m->length == 0)
		abort();
	if (m->secret != c->buf + m->offset)
		abort();
	if (m->match_offset > m->offset ||
	    m->match_offset + m->match_length < m->offset + m->length)
		abort();
	for (size_t i = 0; i < m->offset; i++) {
		if (c->buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (m->line != line || m->column != col)
		abort();
	if (m->rule->entropy > 0 && vg_secret_entropy(m->secret, m->length) < m->rule->entropy)
		abort();
	c->last_end = m->offset + m->length;
	return 0;
}

struct hits {
	uint64_t *v; /* (end << 16) | keyword */
	size_t n, cap;
};

static int on_hit(void *userdata, unsigned kw, size_t end)
{
	struct hits *h = userdata;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		uint64_t *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			abort();
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = (uint64_t)end << 16 | kw;
	return 0;
}

/* The scalar and SIMD keyword passes over the input: any difference is a bug. */
static void compare_keyword_paths(const char *buf, size_t len)
{
	static struct hits scalar, simd;

	scalar.n = simd.n = 0;
	if (vg_ac_scan_impl(rs.ac, VG_AC_IMPL_SCALAR, buf, len, on_hit, &scalar) < 0)
		abort();
	if (!vg_ac_simd_supported())
		return;
	if (vg_ac_scan_impl(rs.ac, VG_AC_IMPL_SIMD, buf, len, on_hit, &simd) < 0)
		abort();
	if (scalar.n != simd.n || memcmp(scalar.v, simd.v, scalar.n * sizeof(*scalar.v)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c;
	char path[128] = "fuzz/file";
	const char *nl;
	int r;

	if (!scanner) {
		char err[512];

		vg_secret_ruleset_init(&rs);
		if (vg_secret_ruleset_load_builtin(&rs, err, sizeof(err)) < 0 ||
		    vg_secret_ruleset_compile(&rs, err, sizeof(err)) < 0 ||
		    vg_secret_scanner_new(&rs, &scanner) < 0) {
			fprintf(stderr, "fuzz-secrets-scan: %s\n", err);
			abort();
		}
		vg_secret_scanner_set_binaries(scanner, true);
	}
	if (size > 1024 * 1024)
		return 0;
	nl = memchr(data, '\n', size < sizeof(path) ? size : sizeof(path));
	if (nl && nl > (const char *)data &&
	    !memchr(data, '\0', (size_t)(nl - (const char *)data))) {
		memcpy(path, data, (size_t)(nl - (const char *)data));
		path[nl - (const char *)data] = '\0';
	}
	c = (struct check){.buf = (const char *)data, .len = size};
	r = vg_secret_scan_buffer(scanner, path, (const char *)data, size, on_match, &c);
	if (r < 0)
		abort();
	compare_keyword_paths((const char *)data, size);
	return 0;
}
