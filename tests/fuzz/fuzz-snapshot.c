/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz vg_state_load_record(): first byte picks the record type, the rest is the JSON. A
 * record that loads must survive a snapshot of the resulting state.
 */
#include <stdint.h>
#include <stdlib.h>

#include "state/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *ud, int rectype, const char *json, size_t n)
{
	(void)ud;
	(void)rectype;
	(void)json;
	(void)n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_state_config cfg = {
		.live = false, .max_procs = 64, .exited_keep = 8, .max_containers = 8};
	struct vg_state *s = NULL;

	if (size < 1 || vg_state_new(&cfg, &s) < 0)
		return 0;
	if (vg_state_load_record(s, 1 + (data[0] & 1), (const char *)data + 1, size - 1) >= 0)
		if (vg_state_snapshot(s, sink, NULL) < 0)
			abort(); /* a loaded state must serialise */
	vg_state_free(s);
	return 0;
}
