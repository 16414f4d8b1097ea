/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the Java archive parser (ZIP, pom.properties, MANIFEST.MF, nested archives) and the
 * purls of what it returns; the input is one archive file named like a versioned jar.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/java.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_arena a;
	struct vg_vec list;

	if (size > 4 * 1024 * 1024)
		return 0;
	vg_arena_init(&a, 256u * 1024 * 1024);
	vg_package_list_init(&list);
	(void)!vg_java_archive_parse(data, size, "opt/app/fuzz-1.0.war", 0, &a, &list);
	vg_vec_for_each(struct vg_package, p, &list) {
		if (!p->name || !p->version || !p->found_in ||
		    strncmp(p->found_in, "opt/app/fuzz-1.0.war", 20) != 0)
			abort();
		(void)!vg_package_set_purl(p, NULL, &a);
	}
	/* the text parsers on their own */
	{
		const char *g, *art, *v;

		(void)!vg_java_pom_properties_parse((const char *)data, size, &a, &g, &art, &v);
		(void)vg_java_manifest_get((const char *)data, size, "Implementation-Title", &a);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
	return 0;
}
