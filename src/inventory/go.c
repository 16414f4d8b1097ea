/* SPDX-License-Identifier: Apache-2.0 */
/* Go build information in binaries. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/elf.h"
#include "inventory/go.h"

static const char magic[14] = "\xff Go buildinf:";

/* Unsigned LEB128 varint (encoding/binary.Uvarint). */
static int uvarint(const uint8_t **p, const uint8_t *end, uint64_t *ret)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -EBADMSG;
		uint8_t b = *(*p)++;

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*ret = v;
			return 0;
		}
	}
	return -EBADMSG;
}

static int read_string(const uint8_t **p, const uint8_t *end, const char **ret, size_t *ret_len)
{
	uint64_t n;
	int r = uvarint(p, end, &n);

	if (r < 0)
		return r;
	if (n > (uint64_t)(end - *p))
		return -EBADMSG;
	*ret = (const char *)*p;
	*ret_len = (size_t)n;
	*p += n;
	return 0;
}

static int add(struct vg_vec *list, const char *name, size_t nn, const char *ver, size_t vn,
	       const char *found_in, int layer, struct vg_arena *a, struct vg_package **ret)
{
	struct vg_package p = {.ecosystem = VG_ECOSYSTEM_GOLANG, .layer = layer};
	int r;

	if (nn == 0 || memchr(name, '\0', nn) || memchr(ver, '\0', vn))
		return 0;
	/* a package URL escapes each byte to at most 3: keep it within VG_INV_PURL_MAX */
	if (3 * (nn + vn) + 64 > VG_INV_PURL_MAX)
		return 0;
	p.name = vg_arena_strndup(a, name, nn);
	p.version = vg_arena_strndup(a, ver, vn);
	p.source_name = p.name;
	p.found_in = found_in ? vg_arena_strdup(a, found_in) : NULL;
	if (vg_arena_error(a) || !p.name || !p.version)
		return vg_arena_error(a) ?: -ENOMEM;
	r = vg_vec_push(list, &p);
	if (r < 0)
		return r;
	if (ret)
		*ret = vg_vec_at(list, list->len - 1);
	return 1;
}

/* A @size-byte (4 or 8) pointer in the byte order of the build information header. */
static uint64_t read_ptr(const uint8_t *p, unsigned size, bool big_endian)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

/*
 * Go < 1.18: the header holds the addresses of two Go string headers ({data pointer,
 * length}, runtime.buildVersion and runtime.modinfo); both levels are virtual addresses,
 * mapped to file bytes through the ELF segments (debug/buildinfo readString()).
 */
static int ptr_string(const struct vg_elf *e, uint64_t addr, unsigned ptr, bool be,
		      const char **ret, size_t *ret_len)
{
	const uint8_t *h, *d;
	uint64_t avail, daddr, dlen;

	if (vg_elf_vaddr(e, addr, &h, &avail) < 0 || avail < 2u * ptr)
		return -EBADMSG;
	daddr = read_ptr(h, ptr, be);
	dlen = read_ptr(h + ptr, ptr, be);
	if (dlen > VG_INV_STANZA_MAX)
		return -E2BIG;
	if (dlen == 0) {
		*ret = "";
		*ret_len = 0;
		return 0;
	}
	if (vg_elf_vaddr(e, daddr, &d, &avail) < 0 || avail < dlen)
		return -EBADMSG;
	*ret = (const char *)d;
	*ret_len = (size_t)dlen;
	return 0;
}

static int pointer_strings(const void *buf, size_t len, const uint8_t *hit, const char **ver,
			   size_t *vlen, const char **mod, size_t *mlen)
{
	struct vg_elf e;
	unsigned ptr = hit[14];
	bool be = hit[15] & 0x1;
	int r;

	if (ptr != 4 && ptr != 8)
		return -EBADMSG;
	r = vg_elf_open(&e, buf, len);
	if (r == -ENOENT)
		return -EOPNOTSUPP; /* PE / Mach-O: not read */
	if (r < 0)
		return -EBADMSG;
	r = ptr_string(&e, read_ptr(hit + 16, ptr, be), ptr, be, ver, vlen);
	if (r >= 0)
		r = ptr_string(&e, read_ptr(hit + 16 + ptr, ptr, be), ptr, be, mod, mlen);
	return r;
}

/* Splits "a\tb\tc" into up to 4 fields; returns the count. */
static int fields(const char *s, size_t n, const char **f, size_t *fl, int max)
{
	int k = 0;
	const char *end = s + n;

	while (k < max) {
		const char *t = memchr(s, '\t', (size_t)(end - s));

		f[k] = s;
		fl[k] = (size_t)((t ? t : end) - s);
		k++;
		if (!t)
			break;
		s = t + 1;
	}
	return k;
}

int vg_go_buildinfo_parse(const void *buf, size_t len, const char *found_in, int layer,
			  struct vg_arena *a, struct vg_vec *list, const char **ret_go_version)
{
	const uint8_t *b = buf, *hit = NULL, *p, *end = b + len;
	const char *ver, *mod;
	size_t vlen, mlen;
	struct vg_package *last = NULL;
	int added = 0, r;

	for (size_t off = 0; off + 32 <= len; off += 16) {
		const uint8_t *q = memchr(b + off, 0xff, len - off);

		if (!q)
			break;
		off = (size_t)(q - b) & ~(size_t)15;
		if (off + 32 > len)
			break;
		if (memcmp(b + off, magic, sizeof(magic)) == 0) {
			hit = b + off;
			break;
		}
	}
	if (!hit)
		return -ENOENT;
	if (hit[15] & 0x2) { /* Go >= 1.18: the strings follow the header */
		p = hit + 32;
		r = read_string(&p, end, &ver, &vlen);
		if (r >= 0)
			r = read_string(&p, end, &mod, &mlen);
	} else /* Go < 1.18: strings behind pointers */
		r = pointer_strings(buf, len, hit, &ver, &vlen, &mod, &mlen);
	if (r < 0)
		return r;
	if (vlen == 0 || vlen > 64 || memchr(ver, '\0', vlen))
		return -EBADMSG;
	if (mlen > VG_INV_STANZA_MAX)
		return -E2BIG;
	if (ret_go_version) {
		*ret_go_version = vg_arena_strndup(a, ver, vlen);
		if (!*ret_go_version)
			return vg_arena_error(a) ?: -ENOMEM;
	}
	/* stdlib at "v" + version without "go" (and without " X:..." experiment suffixes) */
	{
		char sv[72];
		size_t n = vlen;
		const char *v = ver;

		if (n > 2 && memcmp(v, "go", 2) == 0)
			v += 2, n -= 2;
		{
			const char *sp = memchr(v, ' ', n); /* not NUL-terminated: bounded */

			if (sp)
				n = (size_t)(sp - v);
		}
		sv[0] = 'v';
		memcpy(sv + 1, v, n);
		r = add(list, "stdlib", 6, sv, n + 1, found_in, layer, a, NULL);
		if (r < 0)
			return r;
		added += r;
	}
	/* module info between 16-byte sentinels */
	if (mlen >= 33 && mod[mlen - 17] == '\n') {
		mod += 16;
		mlen -= 32;
	}
	for (const char *line = mod, *mend = mod + mlen, *eol; line < mend; line = eol + 1) {
		const char *f[4];
		size_t fl[4];
		int k;

		eol = memchr(line, '\n', (size_t)(mend - line));
		if (!eol)
			eol = mend;
		k = fields(line, (size_t)(eol - line), f, fl, 4);
		if (k >= 3 && fl[0] == 3 &&
		    (memcmp(f[0], "mod", 3) == 0 || memcmp(f[0], "dep", 3) == 0)) {
			r = add(list, f[1], fl[1], f[2], fl[2], found_in, layer, a, &last);
			if (r < 0)
				return r;
			if (r == 0)
				last = NULL;
			added += r;
		} else if (k >= 3 && fl[0] == 2 && memcmp(f[0], "=>", 2) == 0 && last &&
			   3 * (fl[1] + fl[2]) + 64 <= VG_INV_PURL_MAX) {
			/* replacement of the previous dep: its path and version win */
			last->name = vg_arena_strndup(a, f[1], fl[1]);
			last->version = vg_arena_strndup(a, f[2], fl[2]);
			last->source_name = last->name;
			if (!last->name || !last->version)
				return vg_arena_error(a) ?: -ENOMEM;
			last = NULL;
		} else if (k == 2 && fl[0] == 3 && memcmp(f[0], "mod", 3) == 0) {
			r = add(list, f[1], fl[1], "", 0, found_in, layer, a, &last);
			if (r < 0)
				return r;
			added += r;
		}
	}
	return added;
}
