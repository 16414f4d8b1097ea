/* SPDX-License-Identifier: Apache-2.0 */
/* rpm header blobs and the NDB Packages.db container. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/rpm.h"

enum {
	RPM_INT32 = 4,
	RPM_STRING = 6,
	RPM_STRING_ARRAY = 8,
	RPM_I18NSTRING = 9,
};

enum {
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_VENDOR = 1011,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044,
	TAG_DIRINDEXES = 1116,
	TAG_BASENAMES = 1117,
	TAG_DIRNAMES = 1118,
};

struct entry {
	uint32_t tag, type, offset, count;
};

struct header {
	const uint8_t *index; /* il entries of 16 bytes */
	const uint8_t *data;
	uint32_t il, dl;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static bool find(const struct header *h, uint32_t tag, struct entry *ret)
{
	for (uint32_t i = 0; i < h->il; i++) {
		const uint8_t *e = h->index + (size_t)i * 16;

		if (be32(e) != tag)
			continue;
		ret->tag = tag;
		ret->type = be32(e + 4);
		ret->offset = be32(e + 8);
		ret->count = be32(e + 12);
		return true;
	}
	return false;
}

/*
 * The n strings of a STRING / STRING_ARRAY / I18NSTRING entry, each checked to end inside
 * the data store. Returns 0 with *ret_next set past the strings, -EBADMSG.
 */
static int strings_at(const struct header *h, const struct entry *e, uint32_t n,
		      const char **ret_first)
{
	uint32_t off = e->offset;

	if (e->type != RPM_STRING && e->type != RPM_STRING_ARRAY && e->type != RPM_I18NSTRING)
		return -EBADMSG;
	if (n == 0)
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *nul;

		if (off >= h->dl)
			return -EBADMSG;
		nul = memchr(h->data + off, '\0', h->dl - off);
		if (!nul)
			return -EBADMSG;
		if (i == 0 && ret_first)
			*ret_first = (const char *)h->data + off;
		off = (uint32_t)(nul - h->data) + 1;
	}
	return 0;
}

/* First string of a tag, or NULL when absent; -EBADMSG when malformed. */
static int get_string(const struct header *h, uint32_t tag, const char **ret)
{
	struct entry e;

	*ret = NULL;
	if (!find(h, tag, &e))
		return 0;
	return strings_at(h, &e, 1, ret);
}

static int get_int32(const struct header *h, uint32_t tag, bool *ret_found, uint32_t *ret)
{
	struct entry e;

	*ret_found = false;
	if (!find(h, tag, &e))
		return 0;
	if (e.type != RPM_INT32 || e.count < 1 || e.offset % 4 || e.offset > h->dl ||
	    h->dl - e.offset < 4)
		return -EBADMSG;
	*ret = be32(h->data + e.offset);
	*ret_found = true;
	return 0;
}

/* "openssl-3.0.7-1.el9.src.rpm" -> name "openssl", version "3.0.7-1.el9" */
static int split_srpm(const char *srpm, struct vg_arena *a, const char **ret_name,
		      const char **ret_version)
{
	size_t n = strlen(srpm);
	const char *rel, *ver;
	char *s;

	if (n > 8 && vg_endswith(srpm, ".src.rpm"))
		n -= 8;
	else if (n > 10 && vg_endswith(srpm, ".nosrc.rpm"))
		n -= 10;
	else
		return 0;
	s = vg_arena_strndup(a, srpm, n);
	if (!s)
		return vg_arena_error(a) ?: -ENOMEM;
	rel = strrchr(s, '-');
	if (!rel || rel == s)
		return 0;
	*(char *)rel = '\0';
	ver = strrchr(s, '-');
	*(char *)rel = '-';
	if (!ver || ver == s)
		return 0;
	*ret_version = ver + 1;
	*(char *)ver = '\0';
	*ret_name = s;
	return 0;
}

static int read_files(const struct header *h, struct vg_arena *a, struct vg_package *p)
{
	struct entry ebase, edir, eidx;
	const char **dirs, **files;
	uint32_t nb, nd, off;

	if (!find(h, TAG_BASENAMES, &ebase) || !find(h, TAG_DIRNAMES, &edir) ||
	    !find(h, TAG_DIRINDEXES, &eidx))
		return 0;
	nb = ebase.count;
	nd = edir.count;
	if (nb == 0)
		return 0;
	if (nb > VG_INV_FILES_MAX || nd > VG_INV_FILES_MAX)
		return -E2BIG;
	if (eidx.type != RPM_INT32 || eidx.count != nb || eidx.offset % 4 || eidx.offset > h->dl ||
	    (h->dl - eidx.offset) / 4 < nb)
		return -EBADMSG;
	if (ebase.type != RPM_STRING_ARRAY || edir.type != RPM_STRING_ARRAY || nd == 0)
		return -EBADMSG;
	dirs = vg_arena_calloc(a, nd, sizeof(*dirs));
	files = vg_arena_calloc(a, nb, sizeof(*files));
	if (!dirs || !files)
		return vg_arena_error(a) ?: -ENOMEM;
	off = edir.offset;
	for (uint32_t i = 0; i < nd; i++) {
		const uint8_t *nul;

		if (off >= h->dl || !(nul = memchr(h->data + off, '\0', h->dl - off)))
			return -EBADMSG;
		dirs[i] = (const char *)h->data + off;
		off = (uint32_t)(nul - h->data) + 1;
	}
	off = ebase.offset;
	for (uint32_t i = 0; i < nb; i++) {
		const uint8_t *nul;
		const char *base;
		uint32_t di = be32(h->data + eidx.offset + (size_t)i * 4);
		size_t dl, bl;
		char *path;

		if (off >= h->dl || !(nul = memchr(h->data + off, '\0', h->dl - off)))
			return -EBADMSG;
		base = (const char *)h->data + off;
		off = (uint32_t)(nul - h->data) + 1;
		if (di >= nd)
			return -EBADMSG;
		dl = strlen(dirs[di]);
		bl = strlen(base);
		if (dl + bl + 1 >= VG_PATH_MAX)
			return -E2BIG;
		path = vg_arena_alloc(a, dl + bl + 1);
		if (!path)
			return vg_arena_error(a) ?: -ENOMEM;
		memcpy(path, dirs[di], dl);
		memcpy(path + dl, base, bl + 1);
		files[i] = path;
	}
	p->files = files;
	p->n_files = nb;
	return 0;
}

int vg_rpm_header_parse(const uint8_t *blob, size_t len, bool want_files, const char *found_in,
			int layer, struct vg_arena *a, struct vg_vec *list)
{
	const char *name, *version, *release, *arch, *license, *vendor, *srpm;
	struct vg_package pkg = {0};
	struct header h;
	uint32_t epoch = 0;
	bool has_epoch;
	char *ver;
	int r;

	if (len < 8)
		return -EBADMSG;
	h.il = be32(blob);
	h.dl = be32(blob + 4);
	if (h.il > VG_INV_RPM_TAGS_MAX || h.dl > VG_INV_RPM_DATA_MAX)
		return -E2BIG;
	if (h.il == 0 || len - 8 < (size_t)h.il * 16 + h.dl)
		return -EBADMSG;
	h.index = blob + 8;
	h.data = h.index + (size_t)h.il * 16;

	if ((r = get_string(&h, TAG_NAME, &name)) < 0 ||
	    (r = get_string(&h, TAG_VERSION, &version)) < 0 ||
	    (r = get_string(&h, TAG_RELEASE, &release)) < 0 ||
	    (r = get_string(&h, TAG_ARCH, &arch)) < 0 ||
	    (r = get_string(&h, TAG_LICENSE, &license)) < 0 ||
	    (r = get_string(&h, TAG_VENDOR, &vendor)) < 0 ||
	    (r = get_string(&h, TAG_SOURCERPM, &srpm)) < 0 ||
	    (r = get_int32(&h, TAG_EPOCH, &has_epoch, &epoch)) < 0)
		return r;
	if (vg_isempty(name))
		return -EBADMSG;
	if (vg_streq(name, "gpg-pubkey"))
		return 0; /* imported signing keys, not software */

	pkg.ecosystem = VG_ECOSYSTEM_RPM;
	pkg.layer = layer;
	pkg.name = vg_arena_strdup(a, name);
	if (has_epoch)
		r = asprintf(&ver, "%u:%s%s%s", epoch, version ?: "", release ? "-" : "",
			     release ?: "");
	else
		r = asprintf(&ver, "%s%s%s", version ?: "", release ? "-" : "", release ?: "");
	if (r < 0)
		return -ENOMEM;
	pkg.version = vg_arena_strdup(a, ver);
	free(ver);
	pkg.arch = arch ? vg_arena_strdup(a, arch) : NULL;
	pkg.license = license ? vg_arena_strdup(a, license) : NULL;
	pkg.origin = vendor ? vg_arena_strdup(a, vendor) : NULL;
	pkg.found_in = found_in ? vg_arena_strdup(a, found_in) : NULL;
	if (srpm) {
		r = split_srpm(srpm, a, &pkg.source_name, &pkg.source_version);
		if (r < 0)
			return r;
		if (pkg.source_version && has_epoch) {
			char *sv;

			if (asprintf(&sv, "%u:%s", epoch, pkg.source_version) < 0)
				return -ENOMEM;
			pkg.source_version = vg_arena_strdup(a, sv);
			free(sv);
		}
	}
	if (!pkg.source_name)
		pkg.source_name = pkg.name;
	if (vg_arena_error(a) || !pkg.name || !pkg.version)
		return vg_arena_error(a) ?: -ENOMEM;
	if (want_files) {
		r = read_files(&h, a, &pkg);
		if (r < 0)
			return r;
	}
	r = vg_vec_push(list, &pkg);
	if (r < 0)
		return r;
	return 1;
}

#define NDB_HEADER_MAGIC ('R' | 'p' << 8 | 'm' << 16 | (uint32_t)'P' << 24)
#define NDB_SLOT_MAGIC	 ('S' | 'l' << 8 | 'o' << 16 | (uint32_t)'t' << 24)
#define NDB_BLOB_MAGIC	 ('B' | 'l' << 8 | 'b' << 16 | (uint32_t)'S' << 24)
#define NDB_BLOB_END	 ('B' | 'l' << 8 | 'b' << 16 | (uint32_t)'E' << 24)
#define NDB_PAGE_SIZE	 4096
#define NDB_BLOCK_SIZE	 16
#define NDB_HEADER_SIZE	 32 /* magic, version, generation, slot pages, next index, spare */
#define NDB_BLOB_HEAD	 16 /* magic, pkgidx, generation, length */
#define NDB_BLOB_TAIL	 12 /* adler32 of head + data + padding, length, magic */

static uint32_t adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;

	while (n > 0) {
		size_t k = n < 5552 ? n : 5552;

		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

int vg_rpm_ndb_parse(const uint8_t *buf, size_t len, bool want_files, const char *found_in,
		     int layer, struct vg_arena *a, struct vg_vec *list)
{
	uint32_t slot_pages;
	size_t nslots, slots_end;
	int added = 0, r;

	if (len > VG_INV_DB_MAX)
		return -E2BIG;
	if (len < NDB_HEADER_SIZE || le32(buf) != NDB_HEADER_MAGIC || le32(buf + 4) != 0)
		return -EBADMSG;
	slot_pages = le32(buf + 12);
	if (slot_pages == 0 || slot_pages > len / NDB_PAGE_SIZE)
		return -EBADMSG;
	slots_end = (size_t)slot_pages * NDB_PAGE_SIZE;
	nslots = (slots_end - NDB_HEADER_SIZE) / 16;
	for (size_t i = 0; i < nslots; i++) {
		const uint8_t *s = buf + NDB_HEADER_SIZE + i * 16, *b, *t;
		uint32_t pkgidx = le32(s + 4), blkoff = le32(s + 8), blkcnt = le32(s + 12);
		size_t off, size, blen;

		if (le32(s) != NDB_SLOT_MAGIC)
			return -EBADMSG;
		if (blkoff == 0)
			continue; /* free slot */
		off = (size_t)blkoff * NDB_BLOCK_SIZE;
		size = (size_t)blkcnt * NDB_BLOCK_SIZE;
		if (off < slots_end || off >= len || size > len - off ||
		    size < NDB_BLOB_HEAD + NDB_BLOB_TAIL)
			return -EBADMSG;
		b = buf + off;
		t = b + size - NDB_BLOB_TAIL;
		blen = le32(b + 12);
		if (le32(b) != NDB_BLOB_MAGIC || le32(b + 4) != pkgidx ||
		    blen > size - NDB_BLOB_HEAD - NDB_BLOB_TAIL || le32(t + 4) != blen ||
		    le32(t + 8) != NDB_BLOB_END || le32(t) != adler32(b, size - NDB_BLOB_TAIL))
			return -EBADMSG;
		r = vg_rpm_header_parse(b + NDB_BLOB_HEAD, blen, want_files, found_in, layer, a,
					list);
		if (r < 0)
			return r;
		added += r;
	}
	return added;
}

/*
 * Berkeley DB hash database (rpm's Packages): a metadata page, then pages of pagesize bytes.
 * Hash pages hold key/data item pairs through an index of u16 offsets after the 26-byte page
 * header; rpm's header blobs are data items, inline (H_KEYDATA) or, when large, in a chain
 * of overflow pages (H_OFFPAGE). Layout from Berkeley DB's dbinc/db_page.h.
 */
#define BDB_HASH_MAGIC	 0x061561u
#define BDB_META_HASH	 8
#define BDB_P_HASH_UNSRT 2
#define BDB_P_HASH	 13
#define BDB_P_OVERFLOW	 7
#define BDB_H_KEYDATA	 1
#define BDB_H_OFFPAGE	 3
#define BDB_PAGE_HEAD	 26

struct bdb {
	const uint8_t *buf;
	size_t len;
	uint32_t pagesize, last;
	bool swap; /* database written on a machine of the other byte order */
};

static uint32_t bdb32(const struct bdb *db, const uint8_t *p)
{
	return db->swap ? be32(p) : le32(p);
}

static uint16_t bdb16(const struct bdb *db, const uint8_t *p)
{
	return db->swap ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static const uint8_t *bdb_page(const struct bdb *db, uint32_t pgno)
{
	if (pgno > db->last || (size_t)pgno * db->pagesize > db->len - db->pagesize)
		return NULL;
	return db->buf + (size_t)pgno * db->pagesize;
}

/* Reassembles an overflow chain of @total bytes into a new buffer. */
static int bdb_overflow(const struct bdb *db, uint32_t pgno, uint32_t total, uint8_t **ret)
{
	uint8_t *out;
	size_t got = 0;
	uint32_t hops = 0;

	if (total > VG_INV_RPM_DATA_MAX + (size_t)VG_INV_RPM_TAGS_MAX * 16 + 8)
		return -E2BIG;
	out = malloc(total ? total : 1);
	if (!out)
		return -ENOMEM;
	while (got < total) {
		const uint8_t *pg = bdb_page(db, pgno);
		uint32_t next;
		size_t n;

		if (!pg || pg[25] != BDB_P_OVERFLOW || ++hops > db->last + 1) {
			free(out);
			return -EBADMSG;
		}
		next = bdb32(db, pg + 16);
		n = next ? db->pagesize - BDB_PAGE_HEAD : bdb16(db, pg + 22);
		if (n > db->pagesize - BDB_PAGE_HEAD || n > total - got) {
			free(out);
			return -EBADMSG;
		}
		memcpy(out + got, pg + BDB_PAGE_HEAD, n);
		got += n;
		if (!next)
			break;
		pgno = next;
	}
	if (got != total) {
		free(out);
		return -EBADMSG;
	}
	*ret = out;
	return 0;
}

int vg_rpm_bdb_parse(const uint8_t *buf, size_t len, bool want_files, const char *found_in,
		     int layer, struct vg_arena *a, struct vg_vec *list)
{
	struct bdb db = {.buf = buf, .len = len};
	int added = 0, r;

	if (len > VG_INV_DB_MAX)
		return -E2BIG;
	if (len < 512)
		return -EBADMSG;
	if (le32(buf + 12) == BDB_HASH_MAGIC)
		db.swap = false;
	else if (be32(buf + 12) == BDB_HASH_MAGIC)
		db.swap = true;
	else
		return -EBADMSG;
	if (buf[25] != BDB_META_HASH || buf[24] != 0)
		return -EBADMSG; /* not a hash database, or encrypted */
	db.pagesize = bdb32(&db, buf + 20);
	db.last = bdb32(&db, buf + 32);
	if (db.pagesize < 512 || db.pagesize > 65536 || (db.pagesize & (db.pagesize - 1)) ||
	    db.pagesize > len)
		return -EBADMSG;
	if (db.last > len / db.pagesize - 1)
		db.last =
			(uint32_t)(len / db.pagesize - 1); /* truncated file: read what is there */

	for (uint32_t pgno = 1; pgno <= db.last; pgno++) {
		const uint8_t *pg = bdb_page(&db, pgno);
		uint16_t entries;

		if (!pg)
			return -EBADMSG;
		if (pg[25] != BDB_P_HASH && pg[25] != BDB_P_HASH_UNSRT)
			continue;
		entries = bdb16(&db, pg + 20);
		if (BDB_PAGE_HEAD + (size_t)entries * 2 > db.pagesize)
			return -EBADMSG;
		for (uint16_t i = 1; i < entries; i += 2) {
			uint16_t koff = bdb16(&db, pg + BDB_PAGE_HEAD + (size_t)(i - 1) * 2);
			uint16_t off = bdb16(&db, pg + BDB_PAGE_HEAD + (size_t)i * 2);
			uint16_t end = bdb16(&db, pg + BDB_PAGE_HEAD + (size_t)(i - 1) * 2);
			cleanup_free uint8_t *blob = NULL;
			const uint8_t *data;
			size_t dlen;

			if (off >= db.pagesize || koff >= db.pagesize)
				return -EBADMSG;
			/* rpm's record 0 holds a counter, not a header */
			if (pg[koff] == BDB_H_KEYDATA && koff + 5 <= end &&
			    le32(pg + koff + 1) == 0)
				continue;
			if (pg[off] == BDB_H_OFFPAGE) {
				if (off + 12u > db.pagesize)
					return -EBADMSG;
				r = bdb_overflow(&db, bdb32(&db, pg + off + 4),
						 bdb32(&db, pg + off + 8), &blob);
				if (r < 0)
					return r;
				data = blob;
				dlen = bdb32(&db, pg + off + 8);
			} else if (pg[off] == BDB_H_KEYDATA) {
				/* items grow down from the page end: this one ends where the
				 * previous (the key) starts */
				if (end <= off)
					return -EBADMSG;
				data = pg + off + 1;
				dlen = (size_t)(end - off - 1);
			} else {
				continue; /* duplicates: not used by rpm */
			}
			if (dlen < 8)
				continue;
			r = vg_rpm_header_parse(data, dlen, want_files, found_in, layer, a, list);
			if (r < 0)
				return r;
			added += r;
		}
	}
	return added;
}
