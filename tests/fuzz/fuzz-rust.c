/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the cargo-auditable reader (ELF headers, the .dep-v0 section, zlib, JSON) and the
 * purls of what it returns.
 */
#include <stdint.h>
#include <stdlib.h>

#include "inventory/rust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_arena a;
	struct vg_vec list;

	if (size > 4 * 1024 * 1024)
		return 0;
	vg_arena_init(&a, 256u * 1024 * 1024);
	vg_package_list_init(&list);
	(void)!vg_rust_audit_parse(data, size, "usr/bin/fuzz", 0, &a, &list);
	vg_vec_for_each(struct vg_package, p, &list) {
		if (!p->name || !p->version)
			abort();
		(void)!vg_package_set_purl(p, NULL, &a);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
	return 0;
}
