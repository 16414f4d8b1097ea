/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go binaries: the build information the Go linker embeds (runtime/debug.BuildInfo; see the
 * Go source's debug/buildinfo): a 32-byte header starting "\xff Go buildinf:" at a 16-byte
 * aligned offset, its byte 14 the pointer size and byte 15 flags (bit 0 big endian, bit 1
 * inline strings), then
 *   - Go >= 1.18 (flag bit 1): two length-prefixed strings right after the header, the Go
 *     version and the module information;
 *   - Go < 1.18: at header bytes 16 and 16 + pointer size, the virtual addresses of two Go
 *     string headers ({data address, length}: runtime.buildVersion, runtime.modinfo),
 *     resolved through the ELF program headers (else allocated sections) to file bytes
 *     (elf.h). PE and Mach-O binaries of that era are not read (-EOPNOTSUPP).
 * The module information is "path", "mod", "dep", "=>" lines between 16-byte sentinels.
 */
#ifndef VG_INVENTORY_GO_H
#define VG_INVENTORY_GO_H

#include <stddef.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

/**
 * vg_go_buildinfo_parse() - appends the packages of one Go binary: "stdlib" at the Go
 * version ("v1.21.5" for go1.21.5), the main module (its version, "(devel)" when built
 * from a checkout) and every dependency, with "=>" replacements applied. All golang.
 * *@ret_go_version (when non-NULL) gets the raw "go1.21.5" in @a.
 * @buf must be the whole file: the pre-1.18 format is resolved through its ELF headers.
 * Returns the number of packages added; -ENOENT when @buf holds no build information;
 * -EOPNOTSUPP for the pre-1.18 format in a file that is not ELF; -EBADMSG for a truncated
 * or malformed blob, or pre-1.18 addresses no ELF segment maps; -E2BIG, -ENOMEM.
 */
VG_MUST_CHECK int vg_go_buildinfo_parse(const void *buf, size_t len, const char *found_in,
					int layer, struct vg_arena *a, struct vg_vec *list,
					const char **ret_go_version);

#endif /* VG_INVENTORY_GO_H */
