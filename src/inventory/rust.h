/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rust binaries built with cargo-auditable (https://github.com/rust-secure-code/cargo-auditable):
 * the ELF section ".dep-v0" holds zlib-compressed JSON,
 *   {"packages": [{"name": "x", "version": "1.2.3", "source": "crates.io",
 *                  "kind": "build", "dependencies": [1, 2], "root": true}, ...]}
 * Every package is reported (cargo, purl pkg:cargo/<name>@<version>), the root package
 * (the binary's own crate) and build dependencies ("kind": "build": compiled into build
 * scripts and proc macros rather than the binary) included; the package model has no
 * dependency scope, so they are not told apart. ELF32/ELF64, either byte order (elf.h);
 * PE and Mach-O binaries are not read.
 */
#ifndef VG_INVENTORY_RUST_H
#define VG_INVENTORY_RUST_H

#include <stddef.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "inventory/package.h"

/**
 * vg_rust_audit_parse() - appends the crates listed in the cargo-auditable section of the
 * ELF file in @buf (@len bytes, the whole file). Entries without a string name and version
 * are skipped. Returns the number of packages added; -ENOENT when @buf is not a readable
 * ELF file or has no ".dep-v0" section; -EBADMSG when the section lies outside the file, is
 * not zlib data or not the expected JSON; -E2BIG past VG_INV_RUST_DEPS_MAX inflated bytes,
 * the JSON limits or VG_INV_PACKAGES_MAX; -ENOMEM.
 */
VG_MUST_CHECK int vg_rust_audit_parse(const void *buf, size_t len, const char *found_in, int layer,
				      struct vg_arena *a, struct vg_vec *list);

#endif /* VG_INVENTORY_RUST_H */
