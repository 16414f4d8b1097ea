/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the npm package.json, Python METADATA, Composer installed.json, Go buildinfo and
 * gemspec parsers, and the purls of what they return.
 */
#include <stdint.h>
#include <stdlib.h>

#include "inventory/go.h"
#include "inventory/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct vg_arena a;
	struct vg_vec list;

	if (size > 1024 * 1024)
		return 0;
	vg_arena_init(&a, 64u * 1024 * 1024);
	vg_package_list_init(&list);
	(void)!vg_python_metadata_parse(buf, size, NULL, 0, &a, &list);
	(void)!vg_npm_package_json_parse(buf, size, NULL, 0, &a, &list);
	(void)!vg_composer_installed_parse(buf, size, NULL, 0, &a, &list);
	(void)!vg_go_buildinfo_parse(buf, size, NULL, 0, &a, &list, NULL);
	(void)!vg_gemspec_parse(buf, size, NULL, 0, &a, &list);
	vg_vec_for_each(struct vg_package, p, &list) {
		if (!p->name || !p->version)
			abort();
		(void)!vg_package_set_purl(p, NULL, &a);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
	return 0;
}
