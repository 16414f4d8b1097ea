/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cargo-auditable: a ".dep-v0" section added with objcopy to a copy of a real binary of this
 * machine, and ELF32 big-endian / ELF64 files written by the test (elf-writer.h), then
 * broken variants (bad zlib, wrong JSON, sections outside the file, a zlib bomb).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "elf-writer.h"
#include "inv-helper.h"
#include "inventory/rust.h"
#include "tap.h"

static const char deps_json[] =
	"{\"packages\":["
	"{\"name\":\"ripgrep\",\"version\":\"14.1.0\",\"source\":\"local\",\"dependencies\":[1,2,3],"
	"\"root\":true},"
	"{\"name\":\"serde\",\"version\":\"1.0.190\",\"source\":\"crates.io\"},"
	"{\"name\":\"cc\",\"version\":\"1.0.83\",\"source\":\"crates.io\",\"kind\":\"build\"},"
	"{\"name\":\"regex\",\"version\":\"1.10.2\",\"source\":\"crates.io\",\"dependencies\":[]},"
	"{\"name\":\"noversion\",\"source\":\"crates.io\"},"
	"{\"name\":42,\"version\":\"1\"}"
	"]}";

static uint8_t *zlib_of(const void *data, size_t n, size_t *ret_len)
{
	uLongf len = compressBound((uLong)n);
	uint8_t *out = malloc(len);

	if (!out || compress2(out, &len, data, (uLong)n, 9) != Z_OK)
		abort();
	*ret_len = len;
	return out;
}

static int parse(const uint8_t *buf, size_t len, struct vg_arena *a, struct vg_vec *list)
{
	vg_vec_clear(list);
	return vg_rust_audit_parse(buf, len, "usr/local/bin/rg", 1, a, list);
}

static void check_list(struct vg_arena *a, struct vg_vec *list)
{
	struct vg_package *p;

	ASSERT_EQ(list->len, 4u);
	p = vg_package_find(list, "ripgrep", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "14.1.0");
	ASSERT_STREQ(p->found_in, "usr/local/bin/rg");
	ASSERT_EQ(p->layer, 1);
	ASSERT_EQ(p->ecosystem, VG_ECOSYSTEM_CARGO);
	p = vg_package_find(list, "serde", NULL);
	ASSERT_OK(vg_package_set_purl(p, NULL, a));
	ASSERT_STREQ(p->purl, "pkg:cargo/serde@1.0.190");
	ASSERT_STREQ(vg_package_find(list, "cc", NULL)->version, "1.0.83");
	ASSERT_STREQ(vg_package_find(list, "regex", NULL)->version, "1.10.2");
	ASSERT_NULL(vg_package_find(list, "noversion", NULL));
}

TEST(objcopy_real_binary)
{
	char dir[] = "/tmp/vg-test-rust-XXXXXX", sec[256], out[256];
	cleanup_free char *bin = NULL, *log = NULL;
	cleanup_free uint8_t *z = NULL;
	struct vg_arena a;
	struct vg_vec list;
	size_t zlen, blen, loglen;
	int fd;

	if (inv_sh("command -v objcopy", NULL, &log, &loglen) != 0)
		TEST_SKIP("no objcopy (binutils)");
	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(sec, sizeof(sec), "%s/dep-v0", dir);
	snprintf(out, sizeof(out), "%s/rg", dir);
	z = zlib_of(deps_json, sizeof(deps_json) - 1, &zlen);
	fd = open(sec, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_GE(fd, 0);
	ASSERT_OK(vg_write_all(fd, z, zlen));
	(void)close(fd);
	free(log);
	log = NULL;
	ASSERT_EQ(inv_sh("objcopy --add-section .dep-v0=\"$1/dep-v0\" "
			 "--set-section-flags .dep-v0=noload,readonly /bin/true \"$1/rg\" 2>&1",
			 dir, &log, &loglen),
		  0);
	ASSERT_OK(vg_read_file(out, 64u << 20, &bin, &blen));
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(parse((uint8_t *)bin, blen, &a, &list), 4);
	check_list(&a, &list);
	/* the original binary has no such section */
	free(bin);
	bin = NULL;
	ASSERT_OK(vg_read_file("/bin/true", 64u << 20, &bin, &blen));
	ASSERT_ERR(parse((uint8_t *)bin, blen, &a, &list), -ENOENT);
	vg_vec_done(&list);
	vg_arena_done(&a);
	(void)unlink(sec);
	(void)unlink(out);
	(void)rmdir(dir);
}

static uint8_t *elf_with(bool is64, bool be, const void *sec, size_t n, size_t *ret_len)
{
	static const char text[] = "\x90\x90\xc3";
	struct ew_section s[] = {
		{".text", 1, EW_SHF_ALLOC | 0x4, text, 3},
		{".dep-v0", 1, 0, sec, n},
		{".bss", 8, EW_SHF_ALLOC | 0x1, NULL, 4096},
	};
	struct ew_opts o = {.is64 = is64, .big_endian = be, .phdr = true, .base = 0x10000};

	return ew_build(&o, s, 3, ret_len);
}

TEST(written_elf_files)
{
	cleanup_free uint8_t *z = NULL;
	struct vg_arena a;
	struct vg_vec list;
	size_t zlen;

	z = zlib_of(deps_json, sizeof(deps_json) - 1, &zlen);
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	for (int k = 0; k < 4; k++) {
		size_t len;
		uint8_t *elf = elf_with(k & 1, k & 2, z, zlen, &len);

		ASSERT_EQ(parse(elf, len, &a, &list), 4);
		check_list(&a, &list);
		/* every truncation: a clean error, never a crash */
		for (size_t n = 0; n < len; n++) {
			uint8_t *cut = malloc(n + 1);
			int r;

			ASSERT_NOT_NULL(cut);
			memcpy(cut, elf, n);
			r = parse(cut, n, &a, &list);
			ASSERT_TRUE(r == -ENOENT || r == -EBADMSG || r == 4);
			free(cut);
		}
		free(elf);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(broken_sections)
{
	static const char not_zlib[] = "this is not zlib data at all";
	cleanup_free uint8_t *z1 = NULL, *z2 = NULL, *z3 = NULL, *bomb_src = NULL;
	struct vg_arena a;
	struct vg_vec list;
	size_t n1, n2, n3, len;
	uint8_t *elf;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);

	elf = elf_with(true, false, not_zlib, sizeof(not_zlib), &len);
	ASSERT_ERR(parse(elf, len, &a, &list), -EBADMSG);
	free(elf);

	z1 = zlib_of("{\"pkgs\":[]}", 11, &n1);
	elf = elf_with(true, false, z1, n1, &len);
	ASSERT_ERR(parse(elf, len, &a, &list), -EBADMSG);
	free(elf);

	z2 = zlib_of("{\"packages\":[", 13, &n2);
	elf = elf_with(false, true, z2, n2, &len);
	ASSERT_ERR(parse(elf, len, &a, &list), -EBADMSG);
	free(elf);

	/* truncated zlib stream */
	z3 = zlib_of(deps_json, sizeof(deps_json) - 1, &n3);
	elf = elf_with(true, false, z3, n3 / 2, &len);
	ASSERT_ERR(parse(elf, len, &a, &list), -EBADMSG);
	free(elf);

	/* a zlib bomb: more than VG_INV_RUST_DEPS_MAX once inflated */
	bomb_src = calloc(1, VG_INV_RUST_DEPS_MAX + 1);
	ASSERT_NOT_NULL(bomb_src);
	free(z3);
	z3 = zlib_of(bomb_src, VG_INV_RUST_DEPS_MAX + 1, &n3);
	elf = elf_with(true, false, z3, n3, &len);
	ASSERT_ERR(parse(elf, len, &a, &list), -E2BIG);
	free(elf);

	/* section pointing past the end of the file */
	elf = elf_with(true, false, z1, n1, &len);
	{
		/* section header 2 (.dep-v0): sh_offset at +24 in ELF64 */
		uint64_t shoff;

		memcpy(&shoff, elf + 40, 8);
		ew_put(elf + shoff + 2 * 64 + 24, len + 1000, 8, false);
	}
	ASSERT_ERR(parse(elf, len, &a, &list), -EBADMSG);
	free(elf);

	/* not ELF at all */
	ASSERT_ERR(parse((const uint8_t *)"#!/bin/sh\necho hi\n", 18, &a, &list), -ENOENT);
	vg_vec_done(&list);
	vg_arena_done(&a);
}
