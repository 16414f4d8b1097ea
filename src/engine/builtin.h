/* SPDX-License-Identifier: Apache-2.0 */
/* The rule files compiled into the binary (the YAML files of rules/). */
#ifndef VG_ENGINE_BUILTIN_H
#define VG_ENGINE_BUILTIN_H

#include "basic/embedded.h"

/* The built-in runtime ruleset, terminated by an entry with a NULL name. */
extern const struct vg_embedded_file vg_builtin_rules[];

#endif /* VG_ENGINE_BUILTIN_H */
