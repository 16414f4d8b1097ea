/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files compiled into the binary (the YAML files of rules/): tools/embed-files.py writes
 * `const struct vg_embedded_file SYMBOL[]`, one entry per file, ending with a NULL name.
 */
#ifndef VG_BASIC_EMBEDDED_H
#define VG_BASIC_EMBEDDED_H

#include <stddef.h>

struct vg_embedded_file {
	const char *name; /* "vigil_rules.yaml" */
	const char *data; /* NUL-terminated */
	size_t size; /* without the NUL */
};

#endif /* VG_BASIC_EMBEDDED_H */
