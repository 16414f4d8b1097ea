/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Minimal bounded ELF reader over a whole file in memory, for the binaries' own package
 * metadata (rust.h: the cargo-auditable section; go.h: Go < 1.18 build information behind
 * virtual addresses). ELF32 and ELF64, little and big endian; section headers (extended
 * numbering through section 0 included) and program headers, at most
 * VG_INV_ELF_SECTIONS_MAX of each. Every offset and size is checked against the buffer.
 */
#ifndef VG_INVENTORY_ELF_H
#define VG_INVENTORY_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"

struct vg_elf {
	const uint8_t *buf;
	size_t len;
	bool is64;
	bool big_endian;
	uint64_t shoff, phoff;
	uint32_t shnum, phnum, shentsize, phentsize, shstrndx;
};

struct vg_elf_section {
	const char *name; /* NUL-terminated inside the file, "" when unnamed */
	uint32_t type;
	uint64_t flags, addr, offset, size;
};

/**
 * vg_elf_open() - checks the ELF header of @buf (@len bytes) and its section / program
 * header tables. Returns 0; -ENOENT when @buf is not ELF; -EBADMSG for a header or table
 * outside the buffer or an unknown class/encoding; -E2BIG past VG_INV_ELF_SECTIONS_MAX.
 */
VG_MUST_CHECK int vg_elf_open(struct vg_elf *e, const void *buf, size_t len);

/** vg_elf_uint() - the @size-byte (2, 4 or 8) integer at @p in the file's byte order. */
uint64_t vg_elf_uint(const struct vg_elf *e, const uint8_t *p, unsigned size);

/**
 * vg_elf_find_section() - the first section named @name. Returns 1 and fills @ret, 0 when
 * absent; a section whose name lies outside the string table is skipped.
 */
VG_MUST_CHECK int vg_elf_find_section(const struct vg_elf *e, const char *name,
				      struct vg_elf_section *ret);

/**
 * vg_elf_section_data() - the bytes of @s in the file. Returns 0; -EBADMSG when the section
 * has no bytes in the file (SHT_NOBITS) or lies outside it.
 */
VG_MUST_CHECK int vg_elf_section_data(const struct vg_elf *e, const struct vg_elf_section *s,
				      const uint8_t **ret);

/**
 * vg_elf_vaddr() - the file bytes at virtual address @addr: through the program headers
 * whose file image holds it (as Go's debug/buildinfo does), else through allocated
 * sections with file contents. *@ret points into the buffer, *@ret_avail bytes from there
 * belong to the same segment. Returns 0 or -EFAULT when no segment maps @addr.
 */
VG_MUST_CHECK int vg_elf_vaddr(const struct vg_elf *e, uint64_t addr, const uint8_t **ret,
			       uint64_t *ret_avail);

#endif /* VG_INVENTORY_ELF_H */
