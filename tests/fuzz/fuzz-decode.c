/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vg_event_decode() on arbitrary bytes. When a record is accepted, every guarantee event.h
 * promises is checked by touching each parameter, so ASan sees any read outside the record.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sensor/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned long sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_event e;
	const char *why = NULL;
	unsigned char *rec;
	unsigned long sum = 0;
	struct vg_tuple t;

	if (size > 65536)
		return 0;
	/* an exact-size, 8-byte aligned heap copy: ASan catches a read one past the end */
	rec = malloc(size ? size : 1);
	if (!rec)
		return 0;
	memcpy(rec, data, size);

	if (vg_event_decode(rec, size, &e, &why) < 0) {
		if (!why || e.hdr)
			abort();
		free(rec);
		return 0;
	}
	if (!e.hdr || e.hdr->size != size || size > VG_EVENT_SIZE_MAX)
		abort();
	for (unsigned id = 1; id < VG_P__MAX; id++) {
		const char *p = e.param[id];
		size_t n = e.param_len[id];

		if (!p)
			continue;
		if (p < (const char *)rec || p + n > (const char *)rec + size)
			abort();
		for (size_t i = 0; i < n; i++)
			sum += (unsigned char)p[i];
		if (id != VG_P_ADDR && id != VG_P_TUPLE && id != VG_P_DATA) {
			if (n == 0 || p[n - 1] != '\0')
				abort();
			sum += strlen(p);
		}
	}
	if (vg_event_tuple_copy(&e, &t))
		sum += t.family + t.dport;
	sum += strlen(vg_event_type_name(&e));
	sink = sum;
	free(rec);
	return 0;
}
