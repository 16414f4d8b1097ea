/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming tar reader. Header layout (POSIX ustar, offsets in bytes): name 0/100, mode
 * 100/8, uid 108/8, gid 116/8, size 124/12, mtime 136/12, chksum 148/8, typeflag 156,
 * linkname 157/100, magic 257/6, version 263/2, prefix 345/155 (POSIX "ustar\0" only; GNU
 * "ustar  \0" uses that space for other fields).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/tar.h"

#define BLOCK 512

static int fail(struct vg_tar *t, int err, uint64_t off, const char *fmt, ...) VG_PRINTF(4, 5);

static int fail(struct vg_tar *t, int err, uint64_t off, const char *fmt, ...)
{
	char msg[120];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)snprintf(t->errmsg, sizeof(t->errmsg), "tar: %s at offset %llu", msg,
		       (unsigned long long)off);
	t->error = err;
	return err;
}

void vg_tar_init(struct vg_tar *t, vg_read_fn *read, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->read = read;
	t->ctx = ctx;
	t->entry.path = t->path;
	t->entry.link = t->link;
}

const char *vg_tar_error(const struct vg_tar *t)
{
	return t->errmsg;
}

const char *vg_tar_type_name(enum vg_tar_type type)
{
	static const char *const names[VG_TAR_TYPE__MAX] = {
		[VG_TAR_FILE] = "file",	      [VG_TAR_DIR] = "dir",
		[VG_TAR_SYMLINK] = "symlink", [VG_TAR_HARDLINK] = "hardlink",
		[VG_TAR_CHAR] = "char",	      [VG_TAR_BLOCK] = "block",
		[VG_TAR_FIFO] = "fifo",	      [VG_TAR_OTHER] = "other",
	};

	return type < VG_TAR_TYPE__MAX ? names[type] : "invalid";
}

/* Reads up to n bytes, looping over short reads. Returns bytes read (< n only at EOF). */
static ssize_t read_full(struct vg_tar *t, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = t->read(t->ctx, (char *)buf + got, n - got);

		if (k < 0)
			return k;
		if (k == 0)
			break;
		if ((size_t)k > n - got)
			return -EIO; /* a broken reader must not make us overrun */
		got += (size_t)k;
	}
	t->offset += got;
	return (ssize_t)got;
}

/* Consumes n bytes; EOF before that is a truncated archive. */
static int discard(struct vg_tar *t, uint64_t n, const char *what)
{
	char buf[16384];

	while (n > 0) {
		size_t chunk = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		ssize_t k = read_full(t, buf, chunk);

		if (k < 0)
			return fail(t, (int)k, t->offset, "read error in %s (%s)", what,
				    strerror((int)-k));
		if ((size_t)k < chunk)
			return fail(t, -EBADMSG, t->offset, "truncated %s", what);
		n -= chunk;
	}
	return 0;
}

/* Numeric header field: octal (space/NUL padded) or base-256 (high bit of byte 0). */
static int parse_num(const unsigned char *f, size_t len, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return -EBADMSG; /* negative or more than 64 bits */
		for (i = 1; i < len; i++) {
			if (v >> 55)
				return -EBADMSG;
			v = (v << 8) | f[i];
		}
		if (v > INT64_MAX)
			return -EBADMSG;
		*ret = v;
		return 0;
	}
	while (i < len && (f[i] == ' ' || f[i] == '\0'))
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return -EBADMSG;
		v = (v << 3) | (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -EBADMSG;
	*ret = v;
	return 0;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t stored;
	unsigned long usum = 0;
	long ssum = 0;

	if (parse_num(h + 148, 8, &stored) < 0)
		return false;
	for (size_t i = 0; i < BLOCK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];

		usum += c;
		ssum += (signed char)c;
	}
	return stored == usum || (ssum >= 0 && stored == (uint64_t)ssum);
}

static bool is_zero_block(const unsigned char *h)
{
	for (size_t i = 0; i < BLOCK; i++)
		if (h[i])
			return false;
	return true;
}

static int parse_decimal(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0)
		return -EBADMSG;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -EBADMSG;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return 0;
}

struct pending {
	bool path, link, size, uid, gid, mtime;
	uint64_t size_v, uid_v, gid_v, mtime_v;
};

static int set_string(struct vg_tar *t, char *dst, const char *v, size_t vlen, uint64_t off,
		      const char *what)
{
	if (vlen > VG_PATH_MAX)
		return fail(t, -E2BIG, off, "%s longer than %d bytes", what, VG_PATH_MAX);
	if (memchr(v, '\0', vlen))
		return fail(t, -EBADMSG, off, "NUL byte in %s", what);
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
	return 0;
}

/* Records are "LEN KEY=VALUE\n" with LEN counting the whole record. */
static int parse_pax(struct vg_tar *t, char *buf, size_t n, struct pending *p, uint64_t off)
{
	size_t pos = 0;

	while (pos < n) {
		size_t i = pos, reclen_end;
		uint64_t reclen;
		char *rec, *eq, *key, *val;
		size_t keylen, vallen;

		while (i < n && buf[i] >= '0' && buf[i] <= '9' && i - pos < 20)
			i++;
		if (i >= n || buf[i] != ' ' || parse_decimal(buf + pos, i - pos, &reclen) < 0 ||
		    reclen <= i - pos + 1 || reclen > n - pos)
			return fail(t, -EBADMSG, off, "bad pax record length");
		reclen_end = pos + (size_t)reclen;
		if (buf[reclen_end - 1] != '\n')
			return fail(t, -EBADMSG, off, "pax record not newline-terminated");
		rec = buf + i + 1;
		eq = memchr(rec, '=', (size_t)(buf + reclen_end - 1 - rec));
		if (!eq || eq == rec)
			return fail(t, -EBADMSG, off, "pax record without key");
		key = rec;
		keylen = (size_t)(eq - rec);
		val = eq + 1;
		vallen = (size_t)(buf + reclen_end - 1 - val);
		pos = reclen_end;

#define KEY_IS(s) (keylen == sizeof(s) - 1 && memcmp(key, s, keylen) == 0)
		if (KEY_IS("path")) {
			int r = set_string(t, t->path, val, vallen, off, "pax path");

			if (r < 0)
				return r;
			p->path = true;
		} else if (KEY_IS("linkpath")) {
			int r = set_string(t, t->link, val, vallen, off, "pax linkpath");

			if (r < 0)
				return r;
			p->link = true;
		} else if (KEY_IS("size") || KEY_IS("uid") || KEY_IS("gid") || KEY_IS("mtime")) {
			uint64_t v;
			size_t dl = vallen;

			if (KEY_IS("mtime")) { /* may carry a fraction; keep seconds */
				char *dot = memchr(val, '.', vallen);

				if (dot)
					dl = (size_t)(dot - val);
				if (dl > 0 && val[0] == '-')
					dl = 0; /* pre-1970: ignore */
			}
			if (dl == 0 && KEY_IS("mtime"))
				continue;
			if (parse_decimal(val, dl, &v) < 0)
				return fail(t, -EBADMSG, off, "bad pax number for %.*s",
					    (int)keylen, key);
			if (KEY_IS("size")) {
				p->size = true;
				p->size_v = v;
			} else if (KEY_IS("uid")) {
				p->uid = true;
				p->uid_v = v;
			} else if (KEY_IS("gid")) {
				p->gid = true;
				p->gid_v = v;
			} else {
				p->mtime = true;
				p->mtime_v = v;
			}
		}
#undef KEY_IS
	}
	return 0;
}

static int read_meta(struct vg_tar *t, uint64_t size, uint64_t max, char *buf, uint64_t off,
		     const char *what)
{
	ssize_t k;

	if (size > max)
		return fail(t, -E2BIG, off, "%s of %llu bytes (limit %llu)", what,
			    (unsigned long long)size, (unsigned long long)max);
	k = read_full(t, buf, (size_t)size);
	if (k < 0)
		return fail(t, (int)k, t->offset, "read error in %s (%s)", what, strerror((int)-k));
	if ((uint64_t)k < size)
		return fail(t, -EBADMSG, t->offset, "truncated %s", what);
	buf[size] = '\0';
	return discard(t, (BLOCK - size % BLOCK) % BLOCK, what);
}

static enum vg_tar_type map_type(char flag)
{
	switch (flag) {
	case '0':
	case '\0':
	case '7':
		return VG_TAR_FILE;
	case '1':
		return VG_TAR_HARDLINK;
	case '2':
		return VG_TAR_SYMLINK;
	case '3':
		return VG_TAR_CHAR;
	case '4':
		return VG_TAR_BLOCK;
	case '5':
		return VG_TAR_DIR;
	case '6':
		return VG_TAR_FIFO;
	default:
		return VG_TAR_OTHER;
	}
}

int vg_tar_next(struct vg_tar *t, const struct vg_tar_entry **ret)
{
	unsigned char h[BLOCK];
	struct pending p = {};
	unsigned n_meta = 0;
	int r;

	if (t->error)
		return t->error;
	if (t->eof)
		return 0;
	r = discard(t, t->remaining + t->padding, "entry content");
	if (r < 0)
		return r;
	t->remaining = t->padding = 0;

	for (;;) {
		uint64_t off = t->offset, size, v;
		ssize_t k = read_full(t, h, BLOCK);
		struct vg_tar_entry *e = &t->entry;
		char flag;

		if (k < 0)
			return fail(t, (int)k, off, "read error (%s)", strerror((int)-k));
		if (k == 0 && n_meta == 0) {
			t->eof = true; /* no end-of-archive blocks: accepted, like GNU tar */
			return 0;
		}
		if (k < BLOCK)
			return fail(t, -EBADMSG, off, "truncated header");
		if (is_zero_block(h)) {
			if (n_meta > 0)
				return fail(t, -EBADMSG, off, "extension header without an entry");
			/* The second zero block is optional; anything after the first one ends
			 * the archive (trailing data is not interpreted). */
			t->eof = true;
			return 0;
		}
		if (!checksum_ok(h))
			return fail(t, -EBADMSG, off, "bad header checksum");
		if (parse_num(h + 124, 12, &size) < 0)
			return fail(t, -EBADMSG, off, "bad size field");
		if (size > VG_TAR_ENTRY_SIZE_MAX)
			return fail(t, -E2BIG, off, "entry size %llu over the limit",
				    (unsigned long long)size);
		flag = (char)h[156];

		if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
			if (++n_meta > VG_TAR_META_MAX)
				return fail(t, -E2BIG, off, "more than %d extension headers",
					    VG_TAR_META_MAX);
			if (flag == 'g') { /* global pax header: nothing we use */
				if (size > VG_TAR_PAX_MAX)
					return fail(t, -E2BIG, off, "pax global header too large");
				r = discard(t, size + (BLOCK - size % BLOCK) % BLOCK, "pax header");
				if (r < 0)
					return r;
				continue;
			}
			if (flag == 'x') {
				char *buf =
					malloc((size_t)VG_MIN(size, (uint64_t)VG_TAR_PAX_MAX) + 1);

				if (!buf)
					return fail(t, -ENOMEM, off, "out of memory");
				r = read_meta(t, size, VG_TAR_PAX_MAX, buf, off, "pax header");
				if (r >= 0)
					r = parse_pax(t, buf, (size_t)size, &p, off);
				free(buf);
				if (r < 0)
					return r;
				continue;
			}
			/* GNU long name / long link: the content is the NUL-terminated string. */
			char *dst = flag == 'L' ? t->path : t->link;

			r = read_meta(t, size, VG_PATH_MAX, dst, off,
				      flag == 'L' ? "GNU long name" : "GNU long link");
			if (r < 0)
				return r;
			if (flag == 'L')
				p.path = true;
			else
				p.link = true;
			continue;
		}

		memset(e, 0, sizeof(*e));
		e->path = t->path;
		e->link = t->link;
		e->offset = off;
		e->typeflag = flag;
		e->type = map_type(flag);
		if (!p.path) {
			size_t nl = strnlen((const char *)h, 100), pl = 0;

			if (memcmp(h + 257, "ustar\0", 6) == 0)
				pl = strnlen((const char *)h + 345, 155);
			if (pl) {
				memcpy(t->path, h + 345, pl);
				t->path[pl] = '/';
				pl++;
			}
			memcpy(t->path + pl, h, nl);
			t->path[pl + nl] = '\0';
		}
		if (!p.link) {
			size_t ll = strnlen((const char *)h + 157, 100);

			memcpy(t->link, h + 157, ll);
			t->link[ll] = '\0';
		}
		if (t->path[0] == '\0')
			return fail(t, -EBADMSG, off, "entry with an empty name");
		if (parse_num(h + 100, 8, &v) < 0)
			return fail(t, -EBADMSG, off, "bad mode field");
		e->mode = (uint32_t)(v & 07777);
		if (parse_num(h + 108, 8, &e->uid) < 0 || parse_num(h + 116, 8, &e->gid) < 0)
			return fail(t, -EBADMSG, off, "bad uid/gid field");
		if (parse_num(h + 136, 12, &v) < 0)
			return fail(t, -EBADMSG, off, "bad mtime field");
		e->mtime = (int64_t)v;
		if (p.uid)
			e->uid = p.uid_v;
		if (p.gid)
			e->gid = p.gid_v;
		if (p.mtime)
			e->mtime = (int64_t)p.mtime_v;
		if (p.size) {
			if (p.size_v > VG_TAR_ENTRY_SIZE_MAX)
				return fail(t, -E2BIG, off, "pax size %llu over the limit",
					    (unsigned long long)p.size_v);
			size = p.size_v;
		}
		/* Header-only types carry no data whatever the size field says (Go, GNU). */
		if (e->type != VG_TAR_FILE && e->type != VG_TAR_OTHER)
			size = 0;
		e->size = size;
		if (++t->n_entries > VG_TAR_ENTRIES_MAX)
			return fail(t, -E2BIG, off, "more than %d entries", VG_TAR_ENTRIES_MAX);
		t->remaining = size;
		t->padding = (BLOCK - size % BLOCK) % BLOCK;
		*ret = e;
		return 1;
	}
}

ssize_t vg_tar_read(void *ctx, void *buf, size_t n)
{
	struct vg_tar *t = ctx;
	ssize_t k;

	if (t->error)
		return t->error;
	if (t->remaining == 0 || n == 0)
		return 0;
	if (n > t->remaining)
		n = (size_t)t->remaining;
	k = t->read(t->ctx, buf, n);
	if (k < 0)
		return fail(t, (int)k, t->offset, "read error in entry content (%s)",
			    strerror((int)-k));
	if (k == 0)
		return fail(t, -EBADMSG, t->offset, "truncated entry content");
	if ((size_t)k > n)
		return fail(t, -EIO, t->offset, "reader overrun");
	t->offset += (uint64_t)k;
	t->remaining -= (uint64_t)k;
	return k;
}
