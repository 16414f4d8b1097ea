/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded ELF section / segment lookups over a file in memory. */
#include <errno.h>
#include <string.h>

#include "basic/limits.h"
#include "inventory/elf.h"

#define SHT_NOBITS 8
#define SHF_ALLOC  0x2
#define PT_LOAD	   1

uint64_t vg_elf_uint(const struct vg_elf *e, const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[e->big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

/* [off, off + n) inside the buffer. */
static bool in_file(const struct vg_elf *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

static int table_ok(const struct vg_elf *e, uint64_t off, uint32_t num, uint32_t entsize,
		    uint32_t minsize)
{
	if (num == 0)
		return 0;
	if (num > VG_INV_ELF_SECTIONS_MAX)
		return -E2BIG;
	if (entsize < minsize || !in_file(e, off, (uint64_t)num * entsize))
		return -EBADMSG;
	return 0;
}

static void section_at(const struct vg_elf *e, uint32_t i, struct vg_elf_section *s,
		       uint32_t *ret_name, uint32_t *ret_link, uint32_t *ret_info)
{
	const uint8_t *p = e->buf + e->shoff + (uint64_t)i * e->shentsize;
	unsigned w = e->is64 ? 8 : 4;

	*ret_name = (uint32_t)vg_elf_uint(e, p, 4);
	s->type = (uint32_t)vg_elf_uint(e, p + 4, 4);
	s->flags = vg_elf_uint(e, p + 8, w);
	s->addr = vg_elf_uint(e, p + 8 + w, w);
	s->offset = vg_elf_uint(e, p + 8 + 2 * w, w);
	s->size = vg_elf_uint(e, p + 8 + 3 * w, w);
	*ret_link = (uint32_t)vg_elf_uint(e, p + 8 + 4 * w, 4);
	*ret_info = (uint32_t)vg_elf_uint(e, p + 12 + 4 * w, 4);
	s->name = "";
}

int vg_elf_open(struct vg_elf *e, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint32_t shnum, phnum, shstrndx;
	int r;

	memset(e, 0, sizeof(*e));
	if (len < 16 || memcmp(b, "\177ELF", 4) != 0)
		return -ENOENT;
	if ((b[4] != 1 && b[4] != 2) || (b[5] != 1 && b[5] != 2))
		return -EBADMSG;
	e->buf = b;
	e->len = len;
	e->is64 = b[4] == 2;
	e->big_endian = b[5] == 2;
	if (len < (e->is64 ? 64u : 52u))
		return -EBADMSG;
	if (e->is64) {
		e->phoff = vg_elf_uint(e, b + 32, 8);
		e->shoff = vg_elf_uint(e, b + 40, 8);
		e->phentsize = (uint32_t)vg_elf_uint(e, b + 54, 2);
		phnum = (uint32_t)vg_elf_uint(e, b + 56, 2);
		e->shentsize = (uint32_t)vg_elf_uint(e, b + 58, 2);
		shnum = (uint32_t)vg_elf_uint(e, b + 60, 2);
		shstrndx = (uint32_t)vg_elf_uint(e, b + 62, 2);
	} else {
		e->phoff = vg_elf_uint(e, b + 28, 4);
		e->shoff = vg_elf_uint(e, b + 32, 4);
		e->phentsize = (uint32_t)vg_elf_uint(e, b + 42, 2);
		phnum = (uint32_t)vg_elf_uint(e, b + 44, 2);
		e->shentsize = (uint32_t)vg_elf_uint(e, b + 46, 2);
		shnum = (uint32_t)vg_elf_uint(e, b + 48, 2);
		shstrndx = (uint32_t)vg_elf_uint(e, b + 50, 2);
	}
	if (e->shoff != 0) {
		/* extended numbering: the real values in section 0 */
		if (shnum == 0 || shstrndx == 0xffff || phnum == 0xffff) {
			struct vg_elf_section s0;
			uint32_t name, link, info;

			r = table_ok(e, e->shoff, 1, e->shentsize, e->is64 ? 64 : 40);
			if (r < 0)
				return r;
			section_at(e, 0, &s0, &name, &link, &info);
			if (shnum == 0)
				shnum = s0.size > UINT32_MAX ? UINT32_MAX : (uint32_t)s0.size;
			if (shstrndx == 0xffff)
				shstrndx = link;
			if (phnum == 0xffff)
				phnum = info;
		}
		r = table_ok(e, e->shoff, shnum, e->shentsize, e->is64 ? 64 : 40);
		if (r < 0)
			return r;
		e->shnum = shnum;
		e->shstrndx = shstrndx < shnum ? shstrndx : 0;
	}
	if (e->phoff != 0) {
		r = table_ok(e, e->phoff, phnum, e->phentsize, e->is64 ? 56 : 32);
		if (r < 0)
			return r;
		e->phnum = phnum;
	}
	return 0;
}

static int get_section(const struct vg_elf *e, uint32_t i, struct vg_elf_section *s)
{
	struct vg_elf_section strtab;
	uint32_t name, link, info, n2, l2, i2;

	section_at(e, i, s, &name, &link, &info);
	if (e->shstrndx == 0)
		return 0;
	section_at(e, e->shstrndx, &strtab, &n2, &l2, &i2);
	if (strtab.type == SHT_NOBITS || !in_file(e, strtab.offset, strtab.size) ||
	    name >= strtab.size)
		return -EBADMSG;
	{
		const char *p = (const char *)e->buf + strtab.offset + name;

		if (!memchr(p, '\0', strtab.size - name))
			return -EBADMSG;
		s->name = p;
	}
	return 0;
}

int vg_elf_find_section(const struct vg_elf *e, const char *name, struct vg_elf_section *ret)
{
	for (uint32_t i = 1; i < e->shnum; i++) {
		if (get_section(e, i, ret) < 0)
			continue;
		if (strcmp(ret->name, name) == 0)
			return 1;
	}
	return 0;
}

int vg_elf_section_data(const struct vg_elf *e, const struct vg_elf_section *s, const uint8_t **ret)
{
	if (s->type == SHT_NOBITS || !in_file(e, s->offset, s->size))
		return -EBADMSG;
	*ret = e->buf + s->offset;
	return 0;
}

int vg_elf_vaddr(const struct vg_elf *e, uint64_t addr, const uint8_t **ret, uint64_t *ret_avail)
{
	for (uint32_t i = 0; i < e->phnum; i++) {
		const uint8_t *p = e->buf + e->phoff + (uint64_t)i * e->phentsize;
		uint64_t off, vaddr, filesz;

		if (e->is64) {
			off = vg_elf_uint(e, p + 8, 8);
			vaddr = vg_elf_uint(e, p + 16, 8);
			filesz = vg_elf_uint(e, p + 32, 8);
		} else {
			off = vg_elf_uint(e, p + 4, 4);
			vaddr = vg_elf_uint(e, p + 8, 4);
			filesz = vg_elf_uint(e, p + 16, 4);
		}
		if (filesz == 0 || addr < vaddr || addr - vaddr >= filesz)
			continue;
		if (!in_file(e, off, filesz))
			continue; /* a segment claiming bytes the file does not have */
		*ret = e->buf + off + (addr - vaddr);
		*ret_avail = filesz - (addr - vaddr);
		return 0;
	}
	for (uint32_t i = 1; i < e->shnum; i++) {
		struct vg_elf_section s;
		uint32_t name, link, info;

		section_at(e, i, &s, &name, &link, &info);
		if (!(s.flags & SHF_ALLOC) || s.type == SHT_NOBITS || s.size == 0 ||
		    addr < s.addr || addr - s.addr >= s.size || !in_file(e, s.offset, s.size))
			continue;
		*ret = e->buf + s.offset + (addr - s.addr);
		*ret_avail = s.size - (addr - s.addr);
		return 0;
	}
	return -EFAULT;
}
