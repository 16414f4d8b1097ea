/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: writes small ELF files (ELF32/ELF64, little or big endian) with named
 * sections and, optionally, one PT_LOAD program header mapping the whole file at a base
 * address. Layout: ELF header, program header, section data (16-byte aligned, in order),
 * .shstrtab, section header table. ew_layout() gives the data offsets before writing, so
 * tests can embed virtual addresses (base + offset) in the data. Aborts on OOM.
 */
#ifndef VG_TESTS_ELF_WRITER_H
#define VG_TESTS_ELF_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EW_SHF_ALLOC 0x2

struct ew_section {
	const char *name;
	uint32_t type; /* 1 PROGBITS, 8 NOBITS */
	uint64_t flags;
	const void *data;
	size_t size;
};

struct ew_opts {
	bool is64, big_endian, phdr;
	uint64_t base; /* virtual address of file offset 0 */
};

static inline size_t ew_align(size_t x)
{
	return (x + 15) & ~(size_t)15;
}

/* Offsets of the section data (@off[i]); returns the offset of .shstrtab. */
static inline size_t ew_layout(const struct ew_opts *o, const struct ew_section *s, size_t n,
			       size_t *off)
{
	size_t pos = (o->is64 ? 64 : 52) + (o->phdr ? (o->is64 ? 56 : 32) : 0);

	for (size_t i = 0; i < n; i++) {
		pos = ew_align(pos);
		off[i] = pos;
		if (s[i].type != 8)
			pos += s[i].size;
	}
	return ew_align(pos);
}

static inline void ew_put(uint8_t *p, uint64_t v, unsigned size, bool be)
{
	for (unsigned i = 0; i < size; i++)
		p[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* The ELF file in a new buffer (*ret_len bytes). */
static inline uint8_t *ew_build(const struct ew_opts *o, const struct ew_section *s, size_t n,
				size_t *ret_len)
{
	size_t off[64], strtab_off, strtab_len = 1, shoff, total, w = o->is64 ? 8 : 4;
	size_t shentsize = o->is64 ? 64 : 40, name_off[64], strtab_name;
	uint8_t *b;
	bool be = o->big_endian;

	if (n > 60)
		abort();
	strtab_off = ew_layout(o, s, n, off);
	for (size_t i = 0; i < n; i++) {
		name_off[i] = strtab_len;
		strtab_len += strlen(s[i].name) + 1;
	}
	strtab_name = strtab_len;
	strtab_len += strlen(".shstrtab") + 1;
	shoff = ew_align(strtab_off + strtab_len);
	total = shoff + (n + 2) * shentsize;
	b = calloc(1, total);
	if (!b)
		abort();
	memcpy(b, "\177ELF", 4);
	b[4] = o->is64 ? 2 : 1;
	b[5] = be ? 2 : 1;
	b[6] = 1;
	ew_put(b + 16, 2, 2, be); /* ET_EXEC */
	ew_put(b + 18, o->is64 ? 62 : 8, 2, be);
	ew_put(b + 20, 1, 4, be);
	if (o->is64) {
		ew_put(b + 32, o->phdr ? 64 : 0, 8, be);
		ew_put(b + 40, shoff, 8, be);
		ew_put(b + 52, 64, 2, be);
		ew_put(b + 54, 56, 2, be);
		ew_put(b + 56, o->phdr ? 1 : 0, 2, be);
		ew_put(b + 58, 64, 2, be);
		ew_put(b + 60, n + 2, 2, be);
		ew_put(b + 62, n + 1, 2, be);
	} else {
		ew_put(b + 28, o->phdr ? 52 : 0, 4, be);
		ew_put(b + 32, shoff, 4, be);
		ew_put(b + 40, 52, 2, be);
		ew_put(b + 42, 32, 2, be);
		ew_put(b + 44, o->phdr ? 1 : 0, 2, be);
		ew_put(b + 46, 40, 2, be);
		ew_put(b + 48, n + 2, 2, be);
		ew_put(b + 50, n + 1, 2, be);
	}
	if (o->phdr) {
		uint8_t *p = b + (o->is64 ? 64 : 52);

		ew_put(p, 1, 4, be); /* PT_LOAD */
		if (o->is64) {
			ew_put(p + 4, 5, 4, be);
			ew_put(p + 16, o->base, 8, be);
			ew_put(p + 24, o->base, 8, be);
			ew_put(p + 32, total, 8, be);
			ew_put(p + 40, total, 8, be);
		} else {
			ew_put(p + 8, o->base, 4, be);
			ew_put(p + 12, o->base, 4, be);
			ew_put(p + 16, total, 4, be);
			ew_put(p + 20, total, 4, be);
			ew_put(p + 24, 5, 4, be);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (s[i].type != 8 && s[i].size)
			memcpy(b + off[i], s[i].data, s[i].size);
	memcpy(b + strtab_off, "", 1);
	for (size_t i = 0; i < n; i++)
		memcpy(b + strtab_off + name_off[i], s[i].name, strlen(s[i].name) + 1);
	memcpy(b + strtab_off + strtab_name, ".shstrtab", 10);
	/* section headers: 0 null, 1..n the sections, n+1 .shstrtab */
	for (size_t i = 0; i <= n; i++) {
		uint8_t *h = b + shoff + (i + 1) * shentsize;
		bool last = i == n;
		uint64_t flags = last ? 0 : s[i].flags;

		ew_put(h, last ? strtab_name : name_off[i], 4, be);
		ew_put(h + 4, last ? 3 : s[i].type, 4, be);
		ew_put(h + 8, flags, w, be);
		ew_put(h + 8 + w, (flags & EW_SHF_ALLOC) ? o->base + off[i] : 0, w, be);
		ew_put(h + 8 + 2 * w, last ? strtab_off : off[i], w, be);
		ew_put(h + 8 + 3 * w, last ? strtab_len : s[i].size, w, be);
	}
	*ret_len = total;
	return b;
}

#endif /* VG_TESTS_ELF_WRITER_H */
