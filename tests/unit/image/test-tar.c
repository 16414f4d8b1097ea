/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/image/tar.c and src/image/decompress.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "image/decompress.h"
#include "image/tar.h"
#include "tap.h"
#include "tar-writer.h"

static int read_all(struct vg_tar *t, char *buf, size_t max, size_t *ret_len)
{
	size_t len = 0;

	for (;;) {
		ssize_t k = vg_tar_read(t, buf + len, max - len);

		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		len += (size_t)k;
	}
	*ret_len = len;
	return 0;
}

TEST(tar_basic_types)
{
	struct tw w = {};
	struct memreader m;
	struct vg_tar t;
	const struct vg_tar_entry *e;
	char buf[64];
	size_t n = 0;

	tw_entry(&w, "etc/", '5', NULL, 0, NULL);
	tw_file(&w, "etc/hostname", "box\n");
	tw_entry(&w, "etc/link", '2', NULL, 0, "hostname");
	tw_entry(&w, "etc/hard", '1', NULL, 0, "etc/hostname");
	tw_entry(&w, "dev/null", '3', NULL, 0, NULL);
	tw_end(&w);
	m = (struct memreader){.p = w.buf, .len = w.len, .chunk = 7};
	vg_tar_init(&t, mem_read, &m);

	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_STREQ(e->path, "etc/");
	ASSERT_EQ(e->type, VG_TAR_DIR);
	ASSERT_EQ(e->mode, 0755u);
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_STREQ(e->path, "etc/hostname");
	ASSERT_EQ(e->type, VG_TAR_FILE);
	ASSERT_EQ(e->size, 4u);
	ASSERT_EQ(e->offset, 512u);
	ASSERT_OK(read_all(&t, buf, sizeof(buf), &n));
	ASSERT_EQ(n, 4u);
	ASSERT_TRUE(memcmp(buf, "box\n", 4) == 0);
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_EQ(e->type, VG_TAR_SYMLINK);
	ASSERT_STREQ(e->link, "hostname");
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_EQ(e->type, VG_TAR_HARDLINK);
	ASSERT_STREQ(e->link, "etc/hostname");
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_EQ(e->type, VG_TAR_CHAR);
	ASSERT_STREQ(vg_tar_type_name(e->type), "char");
	ASSERT_EQ(vg_tar_next(&t, &e), 0);
	ASSERT_EQ(vg_tar_next(&t, &e), 0);
	free(w.buf);
}

TEST(tar_skip_content_and_prefix)
{
	struct tw w = {};
	struct memreader m;
	struct vg_tar t;
	const struct vg_tar_entry *e;
	char big[3000], name[200];

	memset(big, 'x', sizeof(big));
	tw_entry(&w, "big", '0', big, sizeof(big), NULL);
	memset(name, 'a', sizeof(name));
	memcpy(name + 100, "/", 1);
	name[199] = '\0';
	tw_file(&w, name, "y");
	tw_end(&w);
	m = (struct memreader){.p = w.buf, .len = w.len};
	vg_tar_init(&t, mem_read, &m);
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_EQ(e->size, 3000u);
	ASSERT_EQ(vg_tar_next(&t, &e), 1); /* content skipped */
	ASSERT_STREQ(e->path, name);
	ASSERT_EQ(e->offset, 512u + 3072u);
	ASSERT_EQ(vg_tar_next(&t, &e), 0);
	free(w.buf);
}

TEST(tar_pax_and_gnu_long_names)
{
	struct tw w = {};
	struct memreader m;
	struct vg_tar t;
	const struct vg_tar_entry *e;
	char longname[600], longlink[400];
	unsigned char h[512];
	char buf[16];
	size_t n = 0;

	memset(longname, 'p', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	longname[50] = '/';
	tw_pax(&w, "path", longname);
	tw_file(&w, "short", "abc");
	tw_pax(&w, "linkpath", "/target/of/a/pax/link");
	tw_entry(&w, "l", '2', NULL, 0, "ignored");
	tw_pax(&w, "size", "5");
	tw_entry(&w, "sized", '0', "hello", 5, NULL); /* header size 5 too */
	memset(longlink, 'k', sizeof(longlink) - 1);
	longlink[sizeof(longlink) - 1] = '\0';
	tw_entry(&w, "././@LongLink", 'L', longname, strlen(longname) + 1, NULL);
	tw_entry(&w, "././@LongLink", 'K', longlink, strlen(longlink) + 1, NULL);
	tw_entry(&w, "trunc", '2', NULL, 0, "trunc");
	tw_pax(&w, "comment", "ignored");
	/* base-256 size */
	tw_header(h, "b256", '0', 0, NULL, 0644);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[135] = 2;
	tw_checksum(h);
	tw_put(&w, h, 512);
	tw_data(&w, "xy", 2);
	tw_end(&w);

	m = (struct memreader){.p = w.buf, .len = w.len, .chunk = 100};
	vg_tar_init(&t, mem_read, &m);
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_STREQ(e->path, longname);
	ASSERT_EQ(e->offset, 1536u); /* the entry's own header, after the pax one */
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_STREQ(e->path, "l");
	ASSERT_STREQ(e->link, "/target/of/a/pax/link");
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_EQ(e->size, 5u);
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_STREQ(e->path, longname);
	ASSERT_STREQ(e->link, longlink);
	ASSERT_EQ(vg_tar_next(&t, &e), 1);
	ASSERT_STREQ(e->path, "b256");
	ASSERT_EQ(e->size, 2u);
	ASSERT_OK(read_all(&t, buf, sizeof(buf), &n));
	ASSERT_EQ(n, 2u);
	ASSERT_EQ(vg_tar_next(&t, &e), 0);
	free(w.buf);
}

static int run(const unsigned char *p, size_t len, struct vg_tar *t, unsigned *ret_n)
{
	struct memreader m = {.p = p, .len = len};
	const struct vg_tar_entry *e;
	unsigned n = 0;
	int r;

	vg_tar_init(t, mem_read, &m);
	while ((r = vg_tar_next(t, &e)) > 0)
		n++;
	*ret_n = n;
	return r;
}

TEST(tar_hostile)
{
	struct tw w = {};
	struct vg_tar t;
	unsigned n;
	unsigned char h[512];
	char huge[64];

	tw_file(&w, "a", "0123456789");
	tw_file(&w, "b", "x");
	tw_end(&w);

	/* Truncated inside the second header, inside the first content. */
	ASSERT_EQ(run(w.buf, 1024 + 100, &t, &n), -EBADMSG);
	ASSERT_EQ(n, 1u);
	ASSERT_TRUE(strstr(vg_tar_error(&t), "truncated header at offset 1024") != NULL);
	ASSERT_EQ(run(w.buf, 520, &t, &n), -EBADMSG);
	ASSERT_TRUE(strstr(vg_tar_error(&t), "truncated entry content") != NULL);
	/* No end-of-archive blocks: accepted. */
	ASSERT_EQ(run(w.buf, 2048, &t, &n), 0);
	ASSERT_EQ(n, 2u);

	/* Bad checksum. */
	w.buf[1024 + 10] ^= 1;
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -EBADMSG);
	ASSERT_TRUE(strstr(vg_tar_error(&t), "bad header checksum at offset 1024") != NULL);
	w.buf[1024 + 10] ^= 1;

	/* Garbage size field, negative base-256. */
	tw_header(h, "a", '0', 0, NULL, 0644);
	memcpy(h + 124, "9999", 4);
	tw_checksum(h);
	ASSERT_EQ(run(h, 512, &t, &n), -EBADMSG);
	tw_header(h, "a", '0', 0, NULL, 0644);
	memset(h + 124, 0xff, 12);
	tw_checksum(h);
	ASSERT_EQ(run(h, 512, &t, &n), -EBADMSG);
	/* Huge declared size: over the per-entry limit. */
	tw_header(h, "a", '0', 0, NULL, 0644);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[130] = 0x7f;
	tw_checksum(h);
	ASSERT_EQ(run(h, 512, &t, &n), -E2BIG);
	free(w.buf);

	/* Oversized pax header and GNU long name, too many extension headers. */
	w = (struct tw){};
	tw_header(h, "p", 'x', VG_TAR_PAX_MAX + 1, NULL, 0644);
	tw_put(&w, h, 512);
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -E2BIG);
	w.len = 0;
	tw_header(h, "././@LongLink", 'L', VG_PATH_MAX + 100, NULL, 0644);
	tw_put(&w, h, 512);
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -E2BIG);
	w.len = 0;
	for (int i = 0; i <= VG_TAR_META_MAX; i++)
		tw_pax(&w, "path", "x");
	tw_file(&w, "a", "");
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -E2BIG);
	/* Pax header then end of archive; malformed pax records; pax path over the limit. */
	w.len = 0;
	tw_pax(&w, "path", "x");
	tw_end(&w);
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -EBADMSG);
	w.len = 0;
	snprintf(huge, sizeof(huge), "99 path=x\n");
	tw_entry(&w, "p", 'x', huge, strlen(huge), NULL);
	tw_file(&w, "a", "");
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -EBADMSG);
	w.len = 0;
	{
		char *p = malloc(VG_PATH_MAX + 10);

		memset(p, 'z', VG_PATH_MAX + 9);
		p[VG_PATH_MAX + 9] = '\0';
		tw_pax(&w, "path", p);
		free(p);
	}
	tw_file(&w, "a", "");
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -E2BIG);
	/* pax path with an embedded NUL */
	w.len = 0;
	tw_entry(&w, "p", 'x', "12 path=a\0b\n", 12, NULL);
	tw_file(&w, "a", "");
	ASSERT_EQ(run(w.buf, w.len, &t, &n), -EBADMSG);
	ASSERT_TRUE(strstr(vg_tar_error(&t), "NUL byte") != NULL);
	free(w.buf);
}

struct rep {
	unsigned char h[512];
	uint64_t left;
	size_t pos;
};

/* Repeats one 512-byte header until left bytes were produced. */
static ssize_t rep_read(void *ctx, void *buf, size_t n)
{
	struct rep *r = ctx;
	size_t k = 512 - r->pos;

	if (r->left == 0)
		return 0;
	if (k > n)
		k = n;
	if (k > r->left)
		k = (size_t)r->left;
	memcpy(buf, r->h + r->pos, k);
	r->pos = (r->pos + k) % 512;
	r->left -= k;
	return (ssize_t)k;
}

TEST(tar_entry_limit)
{
	static struct rep rp;
	const struct vg_tar_entry *e;
	struct vg_tar t;
	uint64_t n = 0;
	int r;

	/* "Millions of entries": VG_TAR_ENTRIES_MAX + 1 empty files, generated on the fly. */
	tw_header(rp.h, "f", '0', 0, NULL, 0644);
	rp.left = (uint64_t)(VG_TAR_ENTRIES_MAX + 1) * 512;
	vg_tar_init(&t, rep_read, &rp);
	while ((r = vg_tar_next(&t, &e)) > 0)
		n++;
	ASSERT_EQ(r, -E2BIG);
	ASSERT_EQ(n, (uint64_t)VG_TAR_ENTRIES_MAX);
	ASSERT_TRUE(strstr(vg_tar_error(&t), "more than") != NULL);
}

/* Compression round trips. */
static unsigned char *gz(const void *p, size_t n, size_t *ret_len)
{
	z_stream z = {};
	size_t cap = compressBound(n) + 64;
	unsigned char *out = malloc(cap);

	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*ret_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static int drain(struct vg_decomp *d, unsigned char *out, size_t max, size_t *ret_len)
{
	size_t len = 0;

	for (;;) {
		ssize_t k = vg_decomp_read(d, out + len, max - len > 1000 ? 1000 : max - len);

		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		len += (size_t)k;
		if (len == max)
			return -ENOSPC;
	}
	*ret_len = len;
	return 0;
}

TEST(decompress_formats)
{
	static unsigned char data[200000], out[400000];
	unsigned char *g1, *g2, *zs, *cat;
	size_t l1, l2, lz, n = 0;
	struct vg_decomp *d;
	struct memreader m;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)((i * 7) ^ (i >> 5));
	/* plain */
	m = (struct memreader){.p = data, .len = sizeof(data), .chunk = 3};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_EQ(vg_decomp_kind(d), VG_COMPRESSION_NONE);
	ASSERT_OK(drain(d, out, sizeof(out), &n));
	ASSERT_EQ(n, sizeof(data));
	ASSERT_TRUE(memcmp(out, data, n) == 0);
	d = vg_decomp_free(d);

	/* gzip, two members + zero padding */
	g1 = gz(data, 100000, &l1);
	g2 = gz(data + 100000, 100000, &l2);
	cat = malloc(l1 + l2 + 100);
	memcpy(cat, g1, l1);
	memcpy(cat + l1, g2, l2);
	memset(cat + l1 + l2, 0, 100);
	m = (struct memreader){.p = cat, .len = l1 + l2 + 100, .chunk = 4096};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_EQ(vg_decomp_kind(d), VG_COMPRESSION_GZIP);
	ASSERT_OK(drain(d, out, sizeof(out), &n));
	ASSERT_EQ(n, sizeof(data));
	ASSERT_TRUE(memcmp(out, data, n) == 0);
	ASSERT_EQ(vg_decomp_total_out(d), sizeof(data));
	d = vg_decomp_free(d);
	/* truncated gzip; trailing garbage */
	m = (struct memreader){.p = cat, .len = l1 - 10};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_EQ(drain(d, out, sizeof(out), &n), -EBADMSG);
	d = vg_decomp_free(d);
	cat[l1 + l2 + 50] = 'G';
	m = (struct memreader){.p = cat, .len = l1 + l2 + 100};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_EQ(drain(d, out, sizeof(out), &n), -EBADMSG);
	d = vg_decomp_free(d);
	/* corrupt deflate data */
	cat[20] ^= 0xff;
	cat[21] ^= 0xff;
	m = (struct memreader){.p = cat, .len = l1};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_LT(drain(d, out, sizeof(out), &n), 0);
	d = vg_decomp_free(d);
	/* zip-bomb cap */
	m = (struct memreader){.p = g1, .len = l1};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 99999, &d));
	ASSERT_EQ(drain(d, out, sizeof(out), &n), -E2BIG);
	d = vg_decomp_free(d);
	m = (struct memreader){.p = g1, .len = l1};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 100000, &d)); /* exactly at the cap: fine */
	ASSERT_OK(drain(d, out, sizeof(out), &n));
	d = vg_decomp_free(d);

	/* zstd */
	lz = ZSTD_compressBound(sizeof(data));
	zs = malloc(lz);
	lz = ZSTD_compress(zs, lz, data, sizeof(data), 3);
	ASSERT_FALSE(ZSTD_isError(lz));
	m = (struct memreader){.p = zs, .len = lz, .chunk = 999};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_EQ(vg_decomp_kind(d), VG_COMPRESSION_ZSTD);
	ASSERT_OK(drain(d, out, sizeof(out), &n));
	ASSERT_EQ(n, sizeof(data));
	ASSERT_TRUE(memcmp(out, data, n) == 0);
	d = vg_decomp_free(d);
	m = (struct memreader){.p = zs, .len = lz - 5};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 0, &d));
	ASSERT_EQ(drain(d, out, sizeof(out), &n), -EBADMSG);
	d = vg_decomp_free(d);
	m = (struct memreader){.p = zs, .len = lz};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 1000, &d));
	ASSERT_EQ(drain(d, out, sizeof(out), &n), -E2BIG);
	d = vg_decomp_free(d);
	free(g1);
	free(g2);
	free(cat);
	free(zs);
}

TEST(decompress_bomb_bounded_memory)
{
	/* 64 MiB of zeros compress to ~64 KiB; with a 1 MiB cap we stop early. */
	size_t in = 64u << 20, l;
	unsigned char *zero = calloc(1, in), *g, out[4096];
	struct memreader m;
	struct vg_decomp *d;
	ssize_t k = 0;
	uint64_t total = 0;

	g = gz(zero, in, &l);
	free(zero);
	ASSERT_LT(l, 200000u);
	m = (struct memreader){.p = g, .len = l};
	ASSERT_OK(vg_decomp_new(mem_read, &m, 1u << 20, &d));
	while ((k = vg_decomp_read(d, out, sizeof(out))) > 0)
		total += (uint64_t)k;
	ASSERT_EQ(k, -E2BIG);
	ASSERT_LE(total, 1u << 20);
	ASSERT_EQ(vg_decomp_read(d, out, sizeof(out)), -E2BIG); /* sticky */
	vg_decomp_free(d);
	free(g);
}
