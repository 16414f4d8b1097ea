/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes evaluation on several threads (src/engine/parallel.c) against one thread: the input
 * drives a process workload (tests/lib/proc-workload.h: each byte a choice) with raw records
 * spliced in (0xff, 2-byte length, bytes), run through the plain pipeline and through 3
 * workers with rules over parents, ancestors, credentials and inherited fds. Aborts when the
 * alerts differ or a process's alerts change order (tests/lib/parallel-check.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/parallel-check.h"
#include "../lib/proc-workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EVENTS_MAX 2000

struct feed {
	const uint8_t *data;
	size_t size, at;
	unsigned events;
	bool started;
	struct vg_workload w;
	_Alignas(16) uint8_t raw[65536];
};

static unsigned choose(void *userdata, unsigned n)
{
	struct feed *f = userdata;

	return f->at < f->size ? f->data[f->at++] % n : 0;
}

static size_t next(void *userdata, const void **out)
{
	struct feed *f = userdata;

	if (!f->started) {
		f->started = true;
		*out = f->w.b.buf;
		return vg_workload_init(&f->w, choose, f);
	}
	if (f->at >= f->size || ++f->events > EVENTS_MAX)
		return 0;
	if (f->data[f->at] == 0xff && f->at + 3 <= f->size) { /* a raw record */
		size_t len = (size_t)f->data[f->at + 1] | (size_t)f->data[f->at + 2] << 8;

		f->at += 3;
		if (len > f->size - f->at)
			len = f->size - f->at;
		if (!len)
			return next(userdata, out);
		memcpy(f->raw, f->data + f->at, len);
		f->at += len;
		*out = f->raw;
		return len;
	}
	f->at++;
	*out = f->w.b.buf;
	return vg_workload_next(&f->w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vg_ruleset *rs = vg_pc_rules();
	struct feed *f = calloc(1, sizeof(*f));
	struct vg_pc_run one, many;
	char why[1024];

	if (!rs || !f)
		abort();
	f->data = data;
	f->size = size;
	if (vg_pc_run(rs, 0, next, f, &one) < 0)
		abort();
	memset(f, 0, sizeof(*f));
	f->data = data;
	f->size = size;
	if (vg_pc_run(rs, 3, next, f, &many) < 0)
		abort();
	if (!vg_pc_same(&one, &many, why, sizeof(why))) {
		fprintf(stderr, "fuzz-parallel: %s\n", why);
		abort();
	}
	free(f);
	return 0;
}
