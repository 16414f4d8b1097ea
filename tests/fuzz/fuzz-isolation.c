/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the /proc parsers of the isolation collector (src/audit/isolation.c): the first byte
 * picks status, mountinfo or uid_map; the rest is the file's text. Every parsed mount must
 * have its strings, every uid range must be inside 32-bit ids.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/isolation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_isolation iso;
	struct vg_iso_mount *mounts = NULL;
	struct vg_iso_uid_range *ranges = NULL;
	size_t n = 0;
	char *text;
	int r;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(&iso, 0, sizeof(iso));
	vg_arena_init(&iso.arena, 64u * 1024 * 1024);
	switch (data[0] % 3) {
	case 0:
		r = vg_iso_parse_status(text, &iso);
		if (r > 0)
			abort(); /* 0 or a negative errno, nothing else */
		break;
	case 1:
		r = vg_iso_parse_mountinfo(text, &iso.arena, &mounts, &n);
		for (size_t i = 0; r >= 0 && i < n; i++)
			if (!mounts[i].mount_point || !mounts[i].fstype)
				abort();
		break;
	default:
		r = vg_iso_parse_uid_map(text, &iso.arena, &ranges, &n);
		if (r >= 0 && n && !ranges)
			abort();
		break;
	}
	vg_arena_done(&iso.arena);
	free(text);
	return 0;
}
