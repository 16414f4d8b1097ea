/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ZIP reader: archives written at run time by zip-writer.h (stored, deflate, data
 * descriptors, ZIP64, a launcher prefix, more than 65535 entries) and by Python's zipfile
 * when python3 is present, then hostile variants: truncations, byte flips, bad CRCs, local
 * headers that disagree, overlapping entries, lying sizes, zip bombs, encryption, odd names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "shared/zip.h"
#include "tap.h"
#include "zip-writer.h"

static const char text[] = "Manifest-Version: 1.0\nCreated-By: vigil tests\n";

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* Offset of central record @i, walking the records from the central directory start. */
static size_t central_at(const struct vg_zip *z, size_t i)
{
	size_t pos = (size_t)z->cd_offset;

	for (size_t k = 0; k < i; k++)
		pos += 46 + get16(z->data + pos + 28) + get16(z->data + pos + 30) +
		       get16(z->data + pos + 32);
	return pos;
}

/* A small archive: a directory, a stored text, a deflated text, a descriptor entry. */
static void small_archive(struct zw *w)
{
	static char big[20000];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + (i * 7 + i / 13) % 26);
	zw_init(w);
	zw_add(w, "META-INF/", "", 0, 0, 0);
	zw_add(w, "META-INF/MANIFEST.MF", text, sizeof(text) - 1, 0, 0);
	zw_add(w, "data/big.txt", big, sizeof(big), 8, 0);
	zw_add(w, "data/desc.txt", text, sizeof(text) - 1, 8, ZW_DESCRIPTOR);
	zw_finish(w, false);
}

TEST(basic_archive)
{
	struct zw w;
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry e;
	const char *want[] = {"META-INF/", "META-INF/MANIFEST.MF", "data/big.txt", "data/desc.txt"};
	char buf[64];
	char *data;
	const uint8_t *view;
	void *owned;
	size_t n, k = 0;
	int r;

	small_archive(&w);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(z.n_entries, 4u);
	ASSERT_FALSE(z.zip64);
	ASSERT_EQ(z.base, 0u);
	vg_zip_iter_init(&z, &it);
	while ((r = vg_zip_next(&z, &it, &e)) > 0) {
		ASSERT_STREQ(e.name, want[k]);
		ASSERT_EQ(e.index, k);
		ASSERT_EQ(e.is_dir, k == 0);
		k++;
	}
	ASSERT_EQ(r, 0);
	ASSERT_EQ(k, 4u);
	ASSERT_EQ(vg_zip_next(&z, &it, &e), 0); /* stays at the end */

	ASSERT_EQ(vg_zip_find(&z, "META-INF/MANIFEST.MF", &e), 1);
	ASSERT_EQ(e.method, VG_ZIP_METHOD_STORED);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	ASSERT_EQ(n, sizeof(text) - 1);
	ASSERT_TRUE(memcmp(buf, text, n) == 0);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, 10, &n), -E2BIG);
	ASSERT_OK(vg_zip_read_view(&z, &e, 1024, &view, &n, &owned));
	ASSERT_NULL(owned); /* stored: a view into the archive */
	ASSERT_TRUE(view > w.buf && view < w.buf + w.len);
	ASSERT_EQ(n, sizeof(text) - 1);

	ASSERT_EQ(vg_zip_find(&z, "data/big.txt", &e), 1);
	ASSERT_EQ(e.method, VG_ZIP_METHOD_DEFLATE);
	ASSERT_LT(e.comp_size, e.size);
	ASSERT_OK(vg_zip_read_alloc(&z, &e, 1 << 20, &data, &n));
	ASSERT_EQ(n, 20000u);
	ASSERT_EQ(data[n], '\0');
	for (size_t i = 0; i < n; i++)
		if (data[i] != (char)('a' + (i * 7 + i / 13) % 26))
			ASSERT_TRUE(false);
	free(data);
	ASSERT_ERR(vg_zip_read_alloc(&z, &e, 19999, &data, &n), -E2BIG);
	ASSERT_OK(vg_zip_read_view(&z, &e, 1 << 20, &view, &n, &owned));
	ASSERT_TRUE(owned == view);
	free(owned);

	ASSERT_EQ(vg_zip_find(&z, "data/desc.txt", &e), 1);
	ASSERT_TRUE(e.flags & VG_ZIP_FLAG_DESCRIPTOR);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	ASSERT_TRUE(n == sizeof(text) - 1 && memcmp(buf, text, n) == 0);
	ASSERT_EQ(vg_zip_find(&z, "data/nope", &e), 0);
	ASSERT_EQ(vg_zip_find(&z, "data/big.tx", &e), 0);
	zw_done(&w);
}

TEST(prefixed_archive)
{
	static const char script[] = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n";
	struct zw w;
	struct vg_zip z;
	struct vg_zip_entry e;
	char buf[64];
	size_t n;

	zw_init(&w);
	zw_prefix(&w, script, sizeof(script) - 1);
	zw_add(&w, "a.txt", text, sizeof(text) - 1, 8, 0);
	zw_add(&w, "b.txt", "b", 1, 0, 0);
	zw_finish(&w, false);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(z.base, sizeof(script) - 1);
	ASSERT_EQ(vg_zip_find(&z, "a.txt", &e), 1);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	ASSERT_TRUE(n == sizeof(text) - 1 && memcmp(buf, text, n) == 0);
	ASSERT_EQ(vg_zip_find(&z, "b.txt", &e), 1);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	ASSERT_TRUE(n == 1 && buf[0] == 'b');
	zw_done(&w);
}

TEST(zip64_many_entries)
{
	const size_t count = 70000; /* more than a 16-bit count holds */
	struct zw w;
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry e;
	char name[64], body[64], buf[64];
	size_t n, seen = 0;
	int r;

	zw_init(&w);
	for (size_t i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "GO-%06zu.json", i);
		snprintf(body, sizeof(body), "{\"id\":\"GO-%06zu\"}", i);
		zw_add(&w, name, body, strlen(body), i % 3 == 0 ? 8 : 0, i % 2 ? ZW_ZIP64 : 0);
	}
	zw_finish(&w, true);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_TRUE(z.zip64);
	ASSERT_EQ(z.n_entries, count);
	vg_zip_iter_init(&z, &it);
	while ((r = vg_zip_next(&z, &it, &e)) > 0) {
		snprintf(name, sizeof(name), "GO-%06zu.json", seen);
		if (strcmp(e.name, name) != 0)
			ASSERT_STREQ(e.name, name);
		seen++;
	}
	ASSERT_EQ(r, 0);
	ASSERT_EQ(seen, count);
	ASSERT_EQ(vg_zip_find(&z, "GO-069999.json", &e), 1);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	ASSERT_TRUE(n == 18 && memcmp(buf, "{\"id\":\"GO-069999\"}", 18) == 0);
	ASSERT_EQ(vg_zip_find(&z, "GO-069998.json", &e), 1);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	ASSERT_TRUE(n == 18 && memcmp(buf, "{\"id\":\"GO-069998\"}", 18) == 0);

	/* the same through a file and mmap */
	{
		char path[] = "/tmp/vg-test-zip-XXXXXX";
		int fd = mkstemp(path);

		ASSERT_GE(fd, 0);
		ASSERT_OK(vg_write_all(fd, w.buf, w.len));
		(void)close(fd);
		ASSERT_OK(vg_zip_open_file(&z, path));
		ASSERT_NOT_NULL(z.map);
		ASSERT_EQ(z.n_entries, count);
		ASSERT_EQ(vg_zip_find(&z, "GO-000003.json", &e), 1);
		ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
		ASSERT_TRUE(n == 18 && memcmp(buf, "{\"id\":\"GO-000003\"}", 18) == 0);
		vg_zip_close(&z);
		ASSERT_NULL(z.map);
		(void)unlink(path);
	}
	zw_done(&w);
}

TEST(open_file_errors)
{
	char path[] = "/tmp/vg-test-zip-XXXXXX";
	struct vg_zip z;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	(void)close(fd);
	ASSERT_ERR(vg_zip_open_file(&z, path), -EBADMSG); /* empty */
	(void)unlink(path);
	ASSERT_ERR(vg_zip_open_file(&z, path), -ENOENT);
	ASSERT_ERR(vg_zip_open_file(&z, "/tmp"), -EINVAL);
}

/* Python's zipfile as an independent writer: ZIP64 records forced, an archive comment. */
TEST(python_zipfile)
{
	char dir[] = "/tmp/vg-test-zip-py-XXXXXX", cmd[1024], path[256];
	cleanup_free char *buf = NULL, *data = NULL;
	struct vg_zip z;
	struct vg_zip_entry e;
	size_t len, n;
	int st;

	if (access("/usr/bin/python3", X_OK) != 0 && system("command -v python3 >/dev/null") != 0)
		TEST_SKIP("no python3");
	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.zip", dir);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c '\n"
		 "import zipfile, sys\n"
		 "with zipfile.ZipFile(sys.argv[1], \"w\", zipfile.ZIP_DEFLATED) as z:\n"
		 "    z.comment = b\"PK\\x05\\x06 not an end record\" * 100\n"
		 "    with z.open(\"x/forced64.txt\", \"w\", force_zip64=True) as f:\n"
		 "        f.write(b\"hello \" * 5000)\n"
		 "    z.writestr(zipfile.ZipInfo(\"stored.bin\"), bytes(range(256)))\n"
		 "' %s",
		 path);
	st = system(cmd);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_OK(vg_read_file(path, 1 << 20, &buf, &len));
	ASSERT_OK(vg_zip_open(&z, buf, len));
	ASSERT_EQ(z.n_entries, 2u);
	ASSERT_EQ(vg_zip_find(&z, "x/forced64.txt", &e), 1);
	ASSERT_OK(vg_zip_read_alloc(&z, &e, 1 << 20, &data, &n));
	ASSERT_EQ(n, 30000u);
	ASSERT_TRUE(memcmp(data, "hello hello ", 12) == 0);
	ASSERT_EQ(vg_zip_find(&z, "stored.bin", &e), 1);
	ASSERT_EQ(e.method, VG_ZIP_METHOD_STORED);
	ASSERT_EQ(e.size, 256u);
	(void)unlink(path);
	(void)rmdir(dir);
}

/* Opening, walking and reading every entry: no crash, only known results. */
static int exercise(const uint8_t *p, size_t n)
{
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry e;
	char *data;
	size_t len;
	int r, bad = 0;

	r = vg_zip_open(&z, p, n);
	if (r < 0)
		return r == -EBADMSG || r == -E2BIG || r == -EOPNOTSUPP ? r : -999;
	vg_zip_iter_init(&z, &it);
	while ((r = vg_zip_next(&z, &it, &e)) != 0) {
		if (r < 0) {
			if (r != -EBADMSG && r != -ENAMETOOLONG)
				return -999;
			if (r == -EBADMSG)
				break;
			continue;
		}
		r = vg_zip_read_alloc(&z, &e, 1 << 20, &data, &len);
		if (r >= 0)
			free(data);
		else if (r != -EBADMSG && r != -E2BIG && r != -EOPNOTSUPP)
			return -999;
		else
			bad++;
	}
	return bad;
}

TEST(truncations_and_flips)
{
	struct zw w;
	uint8_t *copy;

	small_archive(&w);
	for (size_t n = 0; n < w.len; n++) {
		copy = malloc(n + 1);
		ASSERT_NOT_NULL(copy);
		memcpy(copy, w.buf, n);
		ASSERT_NE(exercise(copy, n), -999);
		/* a cut-off archive has no valid end record */
		ASSERT_LT(exercise(copy, n), 0);
		free(copy);
	}
	copy = malloc(w.len);
	ASSERT_NOT_NULL(copy);
	for (size_t i = 0; i < w.len; i++)
		for (unsigned bit = 0; bit < 8; bit += 3) {
			memcpy(copy, w.buf, w.len);
			copy[i] ^= (uint8_t)(1u << bit);
			ASSERT_NE(exercise(copy, w.len), -999);
		}
	free(copy);
	zw_done(&w);
}

TEST(bad_crc_and_local_header)
{
	struct zw w;
	struct vg_zip z;
	struct vg_zip_entry e;
	char buf[64];
	size_t n, pos;
	uint8_t *p;

	/* a changed stored byte: CRC mismatch */
	small_archive(&w);
	p = w.buf + w.e[1].offset + 30 + strlen(w.e[1].name);
	p[3] ^= 0x20;
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(vg_zip_find(&z, "META-INF/MANIFEST.MF", &e), 1);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	p[3] ^= 0x20;
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));

	/* central CRC differs from the local one */
	pos = central_at(&z, 1);
	w.buf[pos + 16] ^= 1;
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(vg_zip_find(&z, "META-INF/MANIFEST.MF", &e), 1);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	/* both CRCs wrong the same way (descriptor entry: only the central one counts) */
	pos = central_at(&z, 3);
	w.buf[pos + 16] ^= 1;
	ASSERT_EQ(vg_zip_find(&z, "data/desc.txt", &e), 1);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	w.buf[pos + 16] ^= 1;
	ASSERT_EQ(vg_zip_find(&z, "data/desc.txt", &e), 1);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));

	/* local name differs from the central one */
	p = w.buf + w.e[3].offset + 30;
	p[0] = 'D';
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	p[0] = 'd';
	/* local method differs */
	put16(w.buf + w.e[3].offset + 8, 0);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	put16(w.buf + w.e[3].offset + 8, 8);
	/* local signature broken */
	w.buf[w.e[3].offset] = 'X';
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	w.buf[w.e[3].offset] = 'P';
	/* local extra length pushing the data past the central directory */
	put16(w.buf + w.e[3].offset + 28, 0xffff);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EBADMSG);
	put16(w.buf + w.e[3].offset + 28, 0);
	ASSERT_OK(vg_zip_read(&z, &e, buf, sizeof(buf), &n));
	zw_done(&w);
}

TEST(overlapping_and_outside)
{
	struct zw w;
	struct vg_zip z;
	size_t pos;

	small_archive(&w);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	/* entry 2 pointing at entry 1's local header: overlap */
	pos = central_at(&z, 2);
	put32(w.buf + pos + 42, (uint32_t)w.e[1].offset);
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -EBADMSG);
	/* inside entry 2's data ("quoted" overlap) */
	put32(w.buf + pos + 42, (uint32_t)w.e[2].offset + 40);
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -EBADMSG);
	/* past the central directory / the end of the buffer */
	put32(w.buf + pos + 42, (uint32_t)w.len + 100);
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -EBADMSG);
	put32(w.buf + pos + 42, (uint32_t)w.e[2].offset);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	/* compressed size running into the central directory */
	put32(w.buf + pos + 20, (uint32_t)w.len);
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -EBADMSG);
	zw_done(&w);
}

TEST(sizes_and_bombs)
{
	static uint8_t zeros[8 << 20];
	struct zw w;
	struct vg_zip z;
	struct vg_zip_entry e;
	char *data;
	size_t n, pos;

	zw_init(&w);
	zw_add(&w, "bomb", zeros, sizeof(zeros), 8, 0);
	zw_add(&w, "huge", "x", 1, 0, ZW_ZIP64);
	zw_finish(&w, false);
	ASSERT_LT(w.len, 64u * 1024); /* 8 MiB of zeros deflate to a few KiB */
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(vg_zip_find(&z, "bomb", &e), 1);
	ASSERT_ERR(vg_zip_read_alloc(&z, &e, 1 << 20, &data, &n), -E2BIG);
	ASSERT_OK(vg_zip_read_alloc(&z, &e, sizeof(zeros), &data, &n));
	ASSERT_EQ(n, sizeof(zeros));
	free(data);

	/* the bomb declaring 100 bytes: inflating stops at the caller's limit */
	pos = central_at(&z, 0);
	put32(w.buf + pos + 24, 100);
	put32(w.buf + w.e[0].offset + 22, 100);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(vg_zip_find(&z, "bomb", &e), 1);
	ASSERT_EQ(e.size, 100u);
	ASSERT_ERR(vg_zip_read_alloc(&z, &e, 1 << 20, &data, &n), -E2BIG);
	/* ... and declaring one byte less than it holds, within the limit: size mismatch */
	put32(w.buf + pos + 24, sizeof(zeros) - 1);
	put32(w.buf + w.e[0].offset + 22, sizeof(zeros) - 1);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(vg_zip_find(&z, "bomb", &e), 1);
	ASSERT_ERR(vg_zip_read_alloc(&z, &e, 16 << 20, &data, &n), -EBADMSG);

	/* a ZIP64 size of 1 TiB on a 1-byte stored entry */
	pos = central_at(&z, 1);
	ASSERT_EQ(get16(w.buf + pos + 30), 28);
	memcpy(w.buf + pos + 46 + 4 + 4, "\0\0\0\0\0\x01\0\0", 8); /* usize = 1 << 40 */
	put32(w.buf + w.e[1].offset + 22, 0xffffffffu); /* local: "see the ZIP64 field" */
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(vg_zip_find(&z, "huge", &e), 1);
	ASSERT_EQ(e.size, 1ULL << 40);
	ASSERT_ERR(vg_zip_read_alloc(&z, &e, 1 << 20, &data, &n), -E2BIG);
	/* a ZIP64 extra field too short for what the record needs */
	put16(w.buf + pos + 46 + 4 + 2, 8);
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -EBADMSG);
	zw_done(&w);
}

TEST(unsupported)
{
	struct zw w;
	struct vg_zip z;
	struct vg_zip_entry e;
	char buf[64];
	size_t n, pos;

	small_archive(&w);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	/* encrypted (flag in both headers) */
	pos = central_at(&z, 1);
	put16(w.buf + pos + 8, 1);
	put16(w.buf + w.e[1].offset + 6, 1);
	ASSERT_EQ(vg_zip_find(&z, "META-INF/MANIFEST.MF", &e), 1);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EOPNOTSUPP);
	/* bzip2 */
	pos = central_at(&z, 2);
	put16(w.buf + pos + 10, 12);
	ASSERT_EQ(vg_zip_find(&z, "data/big.txt", &e), 1);
	ASSERT_ERR(vg_zip_read(&z, &e, buf, sizeof(buf), &n), -EOPNOTSUPP);
	/* multi-disk */
	put16(w.buf + w.len - 22 + 4, 1);
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -EOPNOTSUPP);
	zw_done(&w);

	/* a ZIP64 end record declaring more entries than VG_ZIP_ENTRIES_MAX */
	zw_init(&w);
	zw_finish(&w, true);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	ASSERT_EQ(z.n_entries, 0u);
	for (int k = 24; k <= 32; k += 8) {
		uint8_t *p = w.buf + k;

		put32(p, VG_ZIP_ENTRIES_MAX + 1);
	}
	ASSERT_ERR(vg_zip_open(&z, w.buf, w.len), -E2BIG);
	zw_done(&w);
	/* not a zip */
	ASSERT_ERR(vg_zip_open(&z, text, sizeof(text)), -EBADMSG);
	ASSERT_ERR(vg_zip_open(&z, "", 0), -EBADMSG);
}

TEST(names_as_stored)
{
	static const char *names[] = {"../../etc/passwd", "/abs/path", "a\\b.txt", "./x/../y",
				      "dir//double"};
	char nul_name[] = "evil\0.jar";
	struct zw w;
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry e;
	char longname[VG_ZIP_NAME_MAX + 2];
	size_t k = 0;
	int r;

	zw_init(&w);
	for (size_t i = 0; i < 5; i++)
		zw_add(&w, names[i], "x", 1, 0, 0);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	zw_add(&w, longname, "x", 1, 0, 0);
	zw_add(&w, "evilX.jar", "x", 1, 0, 0);
	zw_add(&w, "last", "x", 1, 0, 0);
	zw_finish(&w, false);
	/* "evilX.jar" -> "evil\0.jar" in both headers */
	for (size_t i = 0; i + 9 <= w.len; i++)
		if (memcmp(w.buf + i, "evilX.jar", 9) == 0)
			memcpy(w.buf + i, nul_name, 9);
	ASSERT_OK(vg_zip_open(&z, w.buf, w.len));
	vg_zip_iter_init(&z, &it);
	for (k = 0; k < 5; k++) {
		ASSERT_EQ(vg_zip_next(&z, &it, &e), 1);
		ASSERT_STREQ(e.name, names[k]);
	}
	ASSERT_ERR(vg_zip_next(&z, &it, &e), -ENAMETOOLONG);
	ASSERT_EQ(vg_zip_next(&z, &it, &e), 1); /* continues after a long name */
	ASSERT_EQ(e.name_len, 9u);
	ASSERT_STREQ(e.name, "evil");
	r = vg_zip_next(&z, &it, &e);
	ASSERT_EQ(r, 1);
	ASSERT_STREQ(e.name, "last");
	ASSERT_EQ(vg_zip_find(&z, "last", &e), 1); /* find skips the long name */
	zw_done(&w);
}

/*
 * A real feed: OSV's Go all.zip from the shared data folder (VG_DATA_DIR), listed by Python's
 * zipfile as the reference: same entry count, names, sizes and CRCs in order, and every entry
 * read back (CRC-checked) to the same total.
 */
TEST(osv_all_zip)
{
	const char *dir = getenv("VG_DATA_DIR");
	char path[1024], list[] = "/tmp/vg-test-zip-list-XXXXXX", cmd[2048];
	cleanup_free char *ref = NULL;
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry e;
	size_t reflen, total = 0, ref_total = 0, n = 0;
	const char *line;
	int fd, st, r;

	snprintf(path, sizeof(path), "%s/osv/Go-all.zip", dir ? dir : "../shared/data");
	if (access(path, R_OK) != 0) {
		const char *ci = getenv("CI");

		ASSERT_FALSE(ci && strcmp(ci, "true") == 0); /* CI must have the data folder */
		TEST_SKIP("no osv/Go-all.zip in the shared data folder");
	}
	if (system("command -v python3 >/dev/null") != 0)
		TEST_SKIP("no python3");
	fd = mkstemp(list);
	ASSERT_GE(fd, 0);
	(void)close(fd);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, zipfile\n"
		 "for i in zipfile.ZipFile(sys.argv[1]).infolist():\n"
		 "    print(\"%%s %%d %%08x\" %% (i.filename, i.file_size, i.CRC))\n"
		 "' '%s' > %s",
		 path, list);
	st = system(cmd);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_OK(vg_read_file(list, 64u << 20, &ref, &reflen));
	(void)unlink(list);

	ASSERT_OK(vg_zip_open_file(&z, path));
	vg_zip_iter_init(&z, &it);
	line = ref;
	while ((r = vg_zip_next(&z, &it, &e)) > 0) {
		char want[VG_ZIP_NAME_MAX + 64], got[VG_ZIP_NAME_MAX + 64];
		const char *eol = strchr(line, '\n');
		char *data;
		size_t len;

		ASSERT_NOT_NULL(eol);
		snprintf(want, sizeof(want), "%.*s", (int)(eol - line), line);
		snprintf(got, sizeof(got), "%s %llu %08x", e.name, (unsigned long long)e.size,
			 e.crc32);
		if (strcmp(got, want) != 0)
			ASSERT_STREQ(got, want);
		ref_total += e.size;
		ASSERT_OK(vg_zip_read_alloc(&z, &e, 16 << 20, &data, &len));
		total += len;
		free(data);
		line = eol + 1;
		n++;
	}
	ASSERT_EQ(r, 0);
	ASSERT_EQ(*line, '\0');
	ASSERT_EQ(n, z.n_entries);
	ASSERT_EQ(total, ref_total);
	tap_diag("%s: %zu entries, %zu bytes\n", path, n, total);
	vg_zip_close(&z);
}
