/* SPDX-License-Identifier: Apache-2.0 */
/* ZIP reader (PKWARE APPNOTE 6.3.x) over an in-memory archive; zlib raw inflate. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "basic/cleanup.h"
#include "shared/zip.h"

#define SIG_LOCAL     0x04034b50u
#define SIG_CENTRAL   0x02014b50u
#define SIG_EOCD      0x06054b50u
#define SIG_EOCD64    0x06064b50u
#define SIG_LOCATOR64 0x07064b50u

#define LOCAL_LEN     30
#define CENTRAL_LEN   46
#define EOCD_LEN      22
#define EOCD64_LEN    56
#define LOCATOR64_LEN 20

#define EXTRA_ZIP64   0x0001

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* One central directory record, decoded and checked against the archive bounds. */
struct record {
	const uint8_t *name;
	size_t name_len;
	uint64_t local_offset; /* in z->data */
	uint64_t comp_size, size;
	uint32_t crc32, external_attr;
	uint16_t method, flags;
	uint64_t next; /* offset of the following record */
};

/*
 * The ZIP64 extended information extra field holds, in this order, those of the uncompressed
 * size, compressed size, local header offset and disk number whose 32/16-bit fields are all
 * ones. A malformed extra block list ends the walk (as other readers do); a needed value
 * that is missing is an error.
 */
static int apply_zip64(const uint8_t *extra, size_t n, uint64_t *size, uint64_t *comp,
		       uint64_t *off, uint32_t *disk)
{
	bool need_size = *size == 0xffffffffu, need_comp = *comp == 0xffffffffu;
	bool need_off = *off == 0xffffffffu, need_disk = *disk == 0xffffu;

	if (!need_size && !need_comp && !need_off && !need_disk)
		return 0;
	while (n >= 4) {
		uint16_t id = le16(extra), len = le16(extra + 2);
		const uint8_t *d = extra + 4;
		size_t left = len;

		if (len > n - 4)
			break;
		if (id == EXTRA_ZIP64) {
			if (need_size) {
				if (left < 8)
					return -EBADMSG;
				*size = le64(d), d += 8, left -= 8;
			}
			if (need_comp) {
				if (left < 8)
					return -EBADMSG;
				*comp = le64(d), d += 8, left -= 8;
			}
			if (need_off) {
				if (left < 8)
					return -EBADMSG;
				*off = le64(d), d += 8, left -= 8;
			}
			if (need_disk) {
				if (left < 4)
					return -EBADMSG;
				*disk = le32(d);
			}
			return 0;
		}
		extra += 4 + len;
		n -= 4 + len;
	}
	return -EBADMSG;
}

static int parse_record(const struct vg_zip *z, uint64_t pos, struct record *ret)
{
	const uint64_t cd_end = z->cd_offset + z->cd_size;
	const uint8_t *p;
	uint64_t local;
	uint32_t disk;
	size_t name_len, extra_len, comment_len;
	int r;

	if (pos > cd_end || cd_end - pos < CENTRAL_LEN)
		return -EBADMSG;
	p = z->data + pos;
	if (le32(p) != SIG_CENTRAL)
		return -EBADMSG;
	name_len = le16(p + 28);
	extra_len = le16(p + 30);
	comment_len = le16(p + 32);
	if (cd_end - pos - CENTRAL_LEN < name_len + extra_len + comment_len)
		return -EBADMSG;
	ret->flags = le16(p + 8);
	ret->method = le16(p + 10);
	ret->crc32 = le32(p + 16);
	ret->comp_size = le32(p + 20);
	ret->size = le32(p + 24);
	disk = le16(p + 34);
	ret->external_attr = le32(p + 38);
	local = le32(p + 42);
	ret->name = p + CENTRAL_LEN;
	ret->name_len = name_len;
	r = apply_zip64(p + CENTRAL_LEN + name_len, extra_len, &ret->size, &ret->comp_size, &local,
			&disk);
	if (r < 0)
		return r;
	if (disk != 0)
		return -EBADMSG;
	/* local header, name and data (at least) before the central directory */
	if (local > z->cd_offset || z->base > z->cd_offset - local)
		return -EBADMSG;
	local += z->base;
	if (z->cd_offset - local < LOCAL_LEN + name_len ||
	    z->cd_offset - local - LOCAL_LEN - name_len < ret->comp_size)
		return -EBADMSG;
	ret->local_offset = local;
	ret->next = pos + CENTRAL_LEN + name_len + extra_len + comment_len;
	return 0;
}

struct range {
	uint64_t start, end;
};

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every record parses, the count is right, no two entries' data overlap. */
static int validate(const struct vg_zip *z)
{
	cleanup_free struct range *ranges = NULL;
	uint64_t pos = z->cd_offset;
	struct record rec;
	int r;

	if (z->n_entries == 0)
		return 0;
	ranges = malloc(sizeof(*ranges) * (size_t)z->n_entries);
	if (!ranges)
		return -ENOMEM;
	for (uint64_t i = 0; i < z->n_entries; i++) {
		r = parse_record(z, pos, &rec);
		if (r < 0)
			return r;
		ranges[i].start = rec.local_offset;
		ranges[i].end = rec.local_offset + LOCAL_LEN + rec.name_len + rec.comp_size;
		pos = rec.next;
	}
	qsort(ranges, (size_t)z->n_entries, sizeof(*ranges), cmp_range);
	for (uint64_t i = 1; i < z->n_entries; i++)
		if (ranges[i].start < ranges[i - 1].end)
			return -EBADMSG;
	return 0;
}

/*
 * The end record at @pos: cheap consistency checks (-EAGAIN: not this candidate, keep
 * scanning; -EOPNOTSUPP: a multi-disk archive), then the layout into @z.
 */
static int parse_eocd(struct vg_zip *z, size_t pos)
{
	const uint8_t *p = z->data + pos;
	uint64_t disk = le16(p + 4), cd_disk = le16(p + 6);
	uint64_t n_disk = le16(p + 8), n = le16(p + 10);
	uint64_t cd_size = le32(p + 12), cd_off = le32(p + 16);
	uint64_t cd_end = pos;

	if ((size_t)le16(p + 20) > z->size - pos - EOCD_LEN)
		return -EAGAIN; /* the comment would run past the end */
	z->zip64 = false;
	if (pos >= LOCATOR64_LEN && le32(p - LOCATOR64_LEN) == SIG_LOCATOR64) {
		const uint8_t *loc = p - LOCATOR64_LEN;
		uint64_t off = le64(loc + 8), at = UINT64_MAX;

		if (le32(loc + 16) > 1 || le32(loc + 4) != 0)
			return -EOPNOTSUPP;
		/* where the locator says, else right before the locator (prefixed archive) */
		if (off <= pos - LOCATOR64_LEN && pos - LOCATOR64_LEN - off >= EOCD64_LEN &&
		    le32(z->data + off) == SIG_EOCD64)
			at = off;
		else if (pos >= LOCATOR64_LEN + EOCD64_LEN &&
			 le32(p - LOCATOR64_LEN - EOCD64_LEN) == SIG_EOCD64)
			at = pos - LOCATOR64_LEN - EOCD64_LEN;
		if (at == UINT64_MAX)
			return -EAGAIN;
		p = z->data + at;
		if (le64(p + 4) < EOCD64_LEN - 12 || le64(p + 4) > pos - LOCATOR64_LEN - at - 12)
			return -EAGAIN;
		disk = le32(p + 16);
		cd_disk = le32(p + 20);
		n_disk = le64(p + 24);
		n = le64(p + 32);
		cd_size = le64(p + 40);
		cd_off = le64(p + 48);
		cd_end = at;
		z->zip64 = true;
	}
	if (disk != 0 || cd_disk != 0 || n_disk != n)
		return -EOPNOTSUPP;
	if (cd_size > cd_end || cd_off > cd_end - cd_size)
		return -EAGAIN;
	if (n > VG_ZIP_ENTRIES_MAX)
		return -E2BIG;
	if (cd_size / CENTRAL_LEN < n)
		return -EAGAIN;
	z->base = cd_end - cd_size - cd_off;
	z->cd_offset = cd_end - cd_size;
	z->cd_size = cd_size;
	z->n_entries = n;
	return 0;
}

int vg_zip_open(struct vg_zip *z, const void *data, size_t size)
{
	size_t lowest;
	int r, other = -EBADMSG;

	*z = (struct vg_zip){.data = data, .size = size};
	if (!data || size < EOCD_LEN)
		return -EBADMSG;
	lowest = size > VG_ZIP_EOCD_SCAN_MAX ? size - VG_ZIP_EOCD_SCAN_MAX : 0;
	for (size_t pos = size - EOCD_LEN + 1; pos-- > lowest;) {
		if (z->data[pos] != 'P' || le32(z->data + pos) != SIG_EOCD)
			continue;
		r = parse_eocd(z, pos);
		if (r == -EAGAIN)
			continue;
		if (r == -EOPNOTSUPP) {
			other = r; /* unless a better candidate further back */
			continue;
		}
		if (r < 0)
			return r;
		r = validate(z);
		if (r < 0)
			*z = (struct vg_zip){.data = data, .size = size};
		return r;
	}
	return other;
}

int vg_zip_open_file(struct vg_zip *z, const char *path)
{
	cleanup_close int fd = -EBADF;
	struct stat st;
	void *map;
	int r;

	*z = (struct vg_zip){0};
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > VG_ZIP_FILE_MAX || (uint64_t)st.st_size > SIZE_MAX)
		return -E2BIG;
	if (st.st_size < EOCD_LEN)
		return -EBADMSG;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	r = vg_zip_open(z, map, (size_t)st.st_size);
	if (r < 0) {
		(void)munmap(map, (size_t)st.st_size);
		*z = (struct vg_zip){0};
		return r;
	}
	z->map = map;
	z->map_len = (size_t)st.st_size;
	return 0;
}

void vg_zip_close(struct vg_zip *z)
{
	if (z->map)
		(void)munmap(z->map, z->map_len);
	*z = (struct vg_zip){0};
}

void vg_zip_iter_init(const struct vg_zip *z, struct vg_zip_iter *it)
{
	*it = (struct vg_zip_iter){.pos = z->cd_offset};
}

int vg_zip_next(const struct vg_zip *z, struct vg_zip_iter *it, struct vg_zip_entry *ret)
{
	struct record rec;
	int r;

	if (it->error)
		return it->error;
	if (it->index == 0 && it->pos == 0)
		it->pos = z->cd_offset; /* zero-initialised cursor */
	if (it->index >= z->n_entries)
		return 0;
	r = parse_record(z, it->pos, &rec);
	if (r < 0)
		return (it->error = r);
	it->pos = rec.next;
	ret->index = it->index++;
	if (rec.name_len > VG_ZIP_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(ret->name, rec.name, rec.name_len);
	ret->name[rec.name_len] = '\0';
	ret->name_len = rec.name_len;
	ret->local_offset = rec.local_offset;
	ret->comp_size = rec.comp_size;
	ret->size = rec.size;
	ret->crc32 = rec.crc32;
	ret->method = rec.method;
	ret->flags = rec.flags;
	ret->external_attr = rec.external_attr;
	ret->is_dir = rec.name_len > 0 && rec.name[rec.name_len - 1] == '/';
	return 1;
}

int vg_zip_find(const struct vg_zip *z, const char *name, struct vg_zip_entry *ret)
{
	struct vg_zip_iter it;
	size_t n = strlen(name);
	int r;

	vg_zip_iter_init(z, &it);
	while ((r = vg_zip_next(z, &it, ret)) != 0) {
		if (r == -ENAMETOOLONG)
			continue;
		if (r < 0)
			return r;
		if (ret->name_len == n && memcmp(ret->name, name, n) == 0)
			return 1;
	}
	return 0;
}

/* The compressed data of @e after checking its local header against the central record. */
static int locate(const struct vg_zip *z, const struct vg_zip_entry *e, const uint8_t **ret)
{
	const uint8_t *p;
	uint64_t data;
	uint32_t csize, usize;
	size_t name_len, extra_len;

	if (e->flags & (VG_ZIP_FLAG_ENCRYPTED | VG_ZIP_FLAG_STRONG_ENC))
		return -EOPNOTSUPP;
	if (e->method != VG_ZIP_METHOD_STORED && e->method != VG_ZIP_METHOD_DEFLATE)
		return -EOPNOTSUPP;
	if (e->local_offset > z->cd_offset || z->cd_offset - e->local_offset < LOCAL_LEN)
		return -EBADMSG;
	p = z->data + e->local_offset;
	if (le32(p) != SIG_LOCAL)
		return -EBADMSG;
	name_len = le16(p + 26);
	extra_len = le16(p + 28);
	if (le16(p + 8) != e->method || ((le16(p + 6) ^ e->flags) & VG_ZIP_FLAG_ENCRYPTED))
		return -EBADMSG;
	if (name_len != e->name_len || e->name_len > VG_ZIP_NAME_MAX)
		return -EBADMSG;
	data = e->local_offset + LOCAL_LEN + name_len + extra_len;
	if (data > z->cd_offset || z->cd_offset - data < e->comp_size)
		return -EBADMSG;
	if (memcmp(p + LOCAL_LEN, e->name, name_len) != 0)
		return -EBADMSG;
	if (!(le16(p + 6) & VG_ZIP_FLAG_DESCRIPTOR)) {
		csize = le32(p + 18);
		usize = le32(p + 22);
		if (le32(p + 14) != e->crc32)
			return -EBADMSG;
		if ((csize != 0xffffffffu && csize != e->comp_size) ||
		    (usize != 0xffffffffu && usize != e->size))
			return -EBADMSG;
	}
	*ret = z->data + data;
	return 0;
}

static uint32_t crc_of(const uint8_t *p, size_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);

	while (n > 0) {
		uInt k = n > UINT_MAX ? UINT_MAX : (uInt)n;

		c = crc32(c, p, k);
		p += k;
		n -= k;
	}
	return (uint32_t)c;
}

/*
 * Inflates @e's data into *@bufp (capacity *@capp, plus one byte kept for a NUL). With
 * @grow the buffer is reallocated as data arrives, never beyond @max; without, the caller's
 * buffer is the limit. Output past @max is detected in a scratch window: -E2BIG.
 */
static int inflate_entry(const uint8_t *src, const struct vg_zip_entry *e, uint8_t **bufp,
			 size_t *capp, bool grow, size_t max, size_t *ret_len)
{
	z_stream s = {0};
	uint64_t in_left = e->comp_size;
	size_t total = 0;
	uint8_t scratch[64];
	int zr, r = 0;

	if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
		return -ENOMEM;
	for (;;) {
		bool to_scratch = false;
		size_t produced;
		uInt room;

		if (s.avail_in == 0 && in_left > 0) {
			uInt k = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;

			s.next_in = (Bytef *)(uintptr_t)src;
			s.avail_in = k;
			src += k;
			in_left -= k;
		}
		if (total == *capp) {
			if (grow && *capp < max) {
				size_t ncap =
					*capp > max / 2
						? max
						: VG_MIN(max, VG_MAX(*capp * 2, (size_t)4096));
				uint8_t *nb = realloc(*bufp, ncap + 1);

				if (!nb) {
					r = -ENOMEM;
					break;
				}
				*bufp = nb;
				*capp = ncap;
			} else
				to_scratch = true;
		}
		if (to_scratch) {
			s.next_out = scratch;
			s.avail_out = sizeof(scratch);
		} else {
			s.next_out = *bufp + total;
			s.avail_out = *capp - total > UINT_MAX ? UINT_MAX : (uInt)(*capp - total);
		}
		room = s.avail_out;
		zr = inflate(&s, Z_NO_FLUSH);
		produced = room - s.avail_out;
		if (to_scratch && produced > 0) {
			r = -E2BIG; /* more than the caller allows */
			break;
		}
		total += produced;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_MEM_ERROR) {
			r = -ENOMEM;
			break;
		}
		if (zr == Z_BUF_ERROR && s.avail_in == 0 && in_left == 0) {
			r = -EBADMSG; /* truncated stream */
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			r = -EBADMSG;
			break;
		}
	}
	inflateEnd(&s);
	if (r < 0)
		return r;
	*ret_len = total;
	return 0;
}

static int check(const struct vg_zip_entry *e, const uint8_t *p, size_t n)
{
	if (n != e->size)
		return -EBADMSG;
	if (crc_of(p, n) != e->crc32)
		return -EBADMSG;
	return 0;
}

int vg_zip_read(const struct vg_zip *z, const struct vg_zip_entry *e, void *buf, size_t bufsize,
		size_t *ret_len)
{
	const uint8_t *src;
	uint8_t *out = buf;
	size_t cap = bufsize, n;
	int r;

	r = locate(z, e, &src);
	if (r < 0)
		return r;
	if (e->size > bufsize)
		return -E2BIG;
	if (e->method == VG_ZIP_METHOD_STORED) {
		if (e->comp_size != e->size)
			return -EBADMSG;
		n = (size_t)e->size;
		if (n > 0)
			memcpy(buf, src, n);
	} else {
		r = inflate_entry(src, e, &out, &cap, false, bufsize, &n);
		if (r < 0)
			return r;
	}
	r = check(e, buf, n);
	if (r < 0)
		return r;
	*ret_len = n;
	return 0;
}

int vg_zip_read_alloc(const struct vg_zip *z, const struct vg_zip_entry *e, size_t max, char **ret,
		      size_t *ret_len)
{
	cleanup_free uint8_t *buf = NULL;
	const uint8_t *src;
	size_t cap, n;
	int r;

	r = locate(z, e, &src);
	if (r < 0)
		return r;
	if (e->size > max)
		return -E2BIG;
	if (e->method == VG_ZIP_METHOD_STORED) {
		if (e->comp_size != e->size)
			return -EBADMSG;
		n = (size_t)e->size;
		buf = malloc(n + 1);
		if (!buf)
			return -ENOMEM;
		if (n > 0)
			memcpy(buf, src, n);
	} else {
		/* deflate expands at most ~1032:1: a larger declared size is not believed */
		uint64_t plausible = 65536 + e->comp_size * 1032;

		cap = (size_t)VG_MIN(e->size, plausible);
		buf = malloc(cap + 1);
		if (!buf)
			return -ENOMEM;
		r = inflate_entry(src, e, &buf, &cap, true, max, &n);
		if (r < 0)
			return r;
	}
	r = check(e, buf, n);
	if (r < 0)
		return r;
	buf[n] = '\0';
	*ret = (char *)TAKE_PTR(buf);
	*ret_len = n;
	return 0;
}

int vg_zip_read_view(const struct vg_zip *z, const struct vg_zip_entry *e, size_t max,
		     const uint8_t **ret, size_t *ret_len, void **ret_owned)
{
	const uint8_t *src;
	char *buf;
	size_t n;
	int r;

	if (e->method != VG_ZIP_METHOD_STORED) {
		r = vg_zip_read_alloc(z, e, max, &buf, &n);
		if (r < 0)
			return r;
		*ret = (const uint8_t *)buf;
		*ret_len = n;
		*ret_owned = buf;
		return 0;
	}
	r = locate(z, e, &src);
	if (r < 0)
		return r;
	if (e->size > max)
		return -E2BIG;
	if (e->comp_size != e->size)
		return -EBADMSG;
	r = check(e, src, (size_t)e->size);
	if (r < 0)
		return r;
	*ret = src;
	*ret_len = (size_t)e->size;
	*ret_owned = NULL;
	return 0;
}

int vg_zlib_inflate(const void *src, size_t n, size_t max, char **ret, size_t *ret_len)
{
	z_stream s = {0};
	char *buf = NULL;
	size_t cap = 0, total = 0;
	int zr, r = 0;

	if (n > UINT_MAX)
		return -E2BIG;
	if (inflateInit(&s) != Z_OK)
		return -ENOMEM;
	s.next_in = (Bytef *)(uintptr_t)src;
	s.avail_in = (uInt)n;
	for (;;) {
		if (total == cap) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb;

			if (cap > max) {
				r = -E2BIG;
				break;
			}
			ncap = VG_MIN(ncap, max + 1); /* one more: tells "exactly max" from more */
			nb = realloc(buf, ncap + 1);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		s.next_out = (Bytef *)buf + total;
		s.avail_out = (uInt)VG_MIN(cap - total, (size_t)UINT_MAX);
		{
			uInt room = s.avail_out;

			zr = inflate(&s, Z_NO_FLUSH);
			total += room - s.avail_out;
		}
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_MEM_ERROR) {
			r = -ENOMEM;
			break;
		}
		if (zr != Z_OK && !(zr == Z_BUF_ERROR && s.avail_out == 0)) {
			r = -EBADMSG; /* corrupt or truncated */
			break;
		}
	}
	inflateEnd(&s);
	if (r == 0 && total > max)
		r = -E2BIG;
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[total] = '\0';
	*ret = buf;
	*ret_len = total;
	return 0;
}
