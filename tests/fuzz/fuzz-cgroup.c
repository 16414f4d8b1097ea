/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the cgroup path parser and the /proc/<pid>/cgroup line selector. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_cgroup_container cc;
	char buf[VG_CGROUP_PATH_MAX + 1];
	char *s;

	if (size > 4 * VG_CGROUP_PATH_MAX)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (vg_cgroup_parse_container(s, &cc) > 0 && strlen(cc.id) == 0)
		abort();
	if (vg_proc_cgroup_select(s, buf, sizeof(buf)) >= 0)
		if (vg_cgroup_parse_container(buf, &cc) < 0)
			abort(); /* a selected path always fits */
	free(s);
	return 0;
}
