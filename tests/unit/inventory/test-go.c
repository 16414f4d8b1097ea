/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go build information: a hand-built blob (modules, replacements) and the Go binaries on this
 * machine, whose Go version the binaries themselves report (runc --version, docker version).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "basic/limits.h"
#include "inventory/go.h"
#include "elf-writer.h"
#include "inv-helper.h"
#include "tap.h"

static size_t put_string(uint8_t *p, const char *s, size_t n)
{
	size_t k = 0;
	size_t v = n;

	do {
		p[k] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			p[k] |= 0x80;
		k++;
	} while (v);
	memcpy(p + k, s, n);
	return k + n;
}

TEST(buildinfo_fixture)
{
	static const char modinfo[] = "0123456789abcdef" /* sentinel */
				      "path\texample.com/app/cmd/app\n"
				      "mod\texample.com/app\tv1.4.0\th1:abc=\n"
				      "dep\tgithub.com/sirupsen/logrus\tv1.9.3\th1:def=\n"
				      "dep\tgolang.org/x/sys\tv0.1.0\n"
				      "=>\tgolang.org/x/sys\tv0.15.0\th1:ghi=\n"
				      "dep\tgithub.com/old/thing\tv0.0.1\n"
				      "=>\t../local/thing\t(devel)\t\n"
				      "build\t-compiler=gc\n"
				      "build\tGOOS=linux\n"
				      "\n0123456789abcde"; /* "\n" + 15: the 16-byte end sentinel */
	uint8_t *buf = calloc(1, 8192);
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;
	const char *gv;
	size_t off = 4096 + 48;

	ASSERT_NOT_NULL(buf);
	memset(buf, 0xff, 4096); /* lots of 0xff bytes before the real header */
	memcpy(buf + off, "\xff Go buildinf:", 14);
	buf[off + 14] = 8;
	buf[off + 15] = 2;
	off += 32;
	off += put_string(buf + off, "go1.21.5 X:nocoverageredesign", 29);
	off += put_string(buf + off, modinfo, sizeof(modinfo) - 1);

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_go_buildinfo_parse(buf, off, "usr/bin/app", 2, &a, &list, &gv), 5);
	ASSERT_STREQ(gv, "go1.21.5 X:nocoverageredesign");
	p = vg_package_find(&list, "stdlib", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "v1.21.5");
	ASSERT_STREQ(vg_package_find(&list, "example.com/app", NULL)->version, "v1.4.0");
	ASSERT_STREQ(vg_package_find(&list, "github.com/sirupsen/logrus", NULL)->version, "v1.9.3");
	ASSERT_STREQ(vg_package_find(&list, "golang.org/x/sys", NULL)->version, "v0.15.0");
	ASSERT_STREQ(vg_package_find(&list, "../local/thing", NULL)->version, "(devel)");
	p = vg_package_find(&list, "github.com/sirupsen/logrus", NULL);
	ASSERT_EQ(p->layer, 2);
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:golang/github.com/sirupsen/logrus@v1.9.3");
	vg_vec_done(&list);

	/* truncations: never a crash, a clean error or fewer packages */
	vg_package_list_init(&list);
	for (size_t n = 4096 + 48; n < off; n++) {
		int r = vg_go_buildinfo_parse(buf, n, NULL, 0, &a, &list, NULL);

		ASSERT_TRUE(r == -EBADMSG || r == -ENOENT || r >= 0);
		vg_vec_clear(&list);
	}
	/* pre-1.18 pointer format */
	buf[4096 + 48 + 15] = 0;
	ASSERT_ERR(vg_go_buildinfo_parse(buf, off, NULL, 0, &a, &list, NULL), -EOPNOTSUPP);
	/* no build info at all */
	ASSERT_ERR(vg_go_buildinfo_parse(buf, 4096, NULL, 0, &a, &list, NULL), -ENOENT);
	free(buf);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

static const char old_modinfo[] = "0123456789abcdef"
				  "path\texample.com/old/cmd/tool\n"
				  "mod\texample.com/old\tv0.3.1\th1:abc=\n"
				  "dep\tgithub.com/pkg/errors\tv0.9.1\th1:def=\n"
				  "dep\tgolang.org/x/net\tv0.0.0-20200707034311-ab3426394381\n"
				  "=>\tgolang.org/x/net\tv0.0.0-20210119194325-5f4716e94777\n"
				  "\n0123456789abcde";

/*
 * A Go < 1.18 binary as the linker lays it out: .go.buildinfo holds the 32-byte header with
 * two pointers, .data holds the two Go string headers and the string bytes; everything is
 * reached through virtual addresses (@base + file offset), through one PT_LOAD segment when
 * @phdr, else through the section headers.
 */
static uint8_t *old_go_binary(bool is64, bool be, bool phdr, const char *version, size_t *ret_len)
{
	unsigned ptr = is64 ? 8 : 4;
	uint8_t hdr[32] = "\xff Go buildinf:", data[1024];
	size_t off[2], vlen = strlen(version), mlen = sizeof(old_modinfo) - 1;
	struct ew_section s[] = {
		{".go.buildinfo", 1, EW_SHF_ALLOC | 0x1, hdr, sizeof(hdr)},
		{".data", 1, EW_SHF_ALLOC | 0x1, data, 4 * ptr + vlen + mlen},
	};
	struct ew_opts o = {.is64 = is64, .big_endian = be, .phdr = phdr, .base = 0x400000};
	uint64_t d;

	memset(data, 0, sizeof(data));
	(void)ew_layout(&o, s, 2, off);
	d = o.base + off[1];
	hdr[14] = (uint8_t)ptr;
	hdr[15] = be ? 1 : 0; /* no inline-strings flag */
	ew_put(hdr + 16, d, ptr, be); /* &runtime.buildVersion */
	ew_put(hdr + 16 + ptr, d + 2 * ptr, ptr, be); /* &runtime.modinfo */
	ew_put(data, d + 4 * ptr, ptr, be);
	ew_put(data + ptr, vlen, ptr, be);
	ew_put(data + 2 * ptr, d + 4 * ptr + vlen, ptr, be);
	ew_put(data + 3 * ptr, mlen, ptr, be);
	memcpy(data + 4 * ptr, version, vlen);
	memcpy(data + 4 * ptr + vlen, old_modinfo, mlen);
	return ew_build(&o, s, 2, ret_len);
}

TEST(buildinfo_before_go118)
{
	struct vg_arena a;
	struct vg_vec list;
	const char *gv;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	for (int k = 0; k < 4; k++) {
		bool is64 = !(k & 1), be = k & 2, phdr = k < 2;
		size_t len;
		uint8_t *bin = old_go_binary(is64, be, phdr, "go1.16.15", &len);
		struct vg_package *p;

		tap_diag("ELF%d %s %s\n", is64 ? 64 : 32, be ? "big" : "little",
			 phdr ? "segments" : "sections");
		vg_vec_clear(&list);
		ASSERT_EQ(vg_go_buildinfo_parse(bin, len, "usr/bin/tool", 1, &a, &list, &gv), 4);
		ASSERT_STREQ(gv, "go1.16.15");
		ASSERT_STREQ(vg_package_find(&list, "stdlib", NULL)->version, "v1.16.15");
		ASSERT_STREQ(vg_package_find(&list, "example.com/old", NULL)->version, "v0.3.1");
		ASSERT_STREQ(vg_package_find(&list, "github.com/pkg/errors", NULL)->version,
			     "v0.9.1");
		p = vg_package_find(&list, "golang.org/x/net", NULL);
		ASSERT_STREQ(p->version, "v0.0.0-20210119194325-5f4716e94777");
		ASSERT_STREQ(p->found_in, "usr/bin/tool");
		ASSERT_OK(vg_package_set_purl(p, NULL, &a));
		ASSERT_STREQ(p->purl,
			     "pkg:golang/golang.org/x/net@v0.0.0-20210119194325-5f4716e94777");

		/* truncations: a clean error, never a crash */
		for (size_t n = 0; n < len; n++) {
			uint8_t *cut = malloc(n + 1);
			int r;

			ASSERT_NOT_NULL(cut);
			memcpy(cut, bin, n);
			vg_vec_clear(&list);
			r = vg_go_buildinfo_parse(cut, n, NULL, 0, &a, &list, NULL);
			ASSERT_TRUE(r == -ENOENT || r == -EBADMSG);
			free(cut);
		}
		free(bin);
	}
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(buildinfo_before_go118_hostile)
{
	struct vg_arena a;
	struct vg_vec list;
	size_t len, hit;
	uint8_t *bin = old_go_binary(true, false, true, "go1.13", &len);

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	for (hit = 0; hit + 14 < len && memcmp(bin + hit, "\xff Go buildinf:", 14) != 0; hit++)
		;
	ASSERT_LT(hit + 32, len);
	/* a pointer no segment maps */
	ew_put(bin + hit + 16, 0x7fff0000, 8, false);
	ASSERT_ERR(vg_go_buildinfo_parse(bin, len, NULL, 0, &a, &list, NULL), -EBADMSG);
	/* a string header whose length runs past the segment */
	free(bin);
	bin = old_go_binary(true, false, true, "go1.13", &len);
	{
		uint64_t d = 0;

		for (int i = 7; i >= 0; i--)
			d = d << 8 | bin[hit + 16 + i];
		ew_put(bin + (d - 0x400000) + 8, 1u << 20, 8, false); /* version length 1 MiB */
	}
	ASSERT_ERR(vg_go_buildinfo_parse(bin, len, NULL, 0, &a, &list, NULL), -EBADMSG);
	/* a pointer size other than 4 or 8 */
	free(bin);
	bin = old_go_binary(true, false, true, "go1.13", &len);
	bin[hit + 14] = 3;
	ASSERT_ERR(vg_go_buildinfo_parse(bin, len, NULL, 0, &a, &list, NULL), -EBADMSG);
	/* the same header outside an ELF file: not read */
	bin[hit + 14] = 8;
	memcpy(bin, "MZ\x90\0", 4);
	ASSERT_ERR(vg_go_buildinfo_parse(bin, len, NULL, 0, &a, &list, NULL), -EOPNOTSUPP);
	free(bin);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

static void check_binary(const char *path, const char *version_cmd)
{
	cleanup_free char *buf = NULL, *out = NULL;
	struct vg_arena a;
	struct vg_vec list;
	const char *gv;
	size_t len, olen;

	ASSERT_OK(vg_read_file(path, 512u * 1024 * 1024, &buf, &len));
	ASSERT_EQ(inv_sh(version_cmd, path, &out, &olen), 0);
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_GE(vg_go_buildinfo_parse(buf, len, path, 0, &a, &list, &gv), 1);
	ASSERT_STREQ(gv, out);
	tap_diag("%s: %s, %zu packages\n", path, gv, list.len);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(host_go_binaries)
{
	bool any = false;

	if (access("/usr/sbin/runc", X_OK) == 0) {
		check_binary("/usr/sbin/runc",
			     "\"$1\" --version | sed -n 's/^go: //p' | tr -d '\\n'");
		any = true;
	}
	if (access("/usr/local/bin/docker", X_OK) == 0) {
		check_binary("/usr/local/bin/docker",
			     "\"$1\" version --format '{{.Client.GoVersion}}' 2>/dev/null | tr -d "
			     "'\\n'");
		any = true;
	}
	if (!any)
		TEST_SKIP("no Go binaries (runc, docker) on this machine");
	/* a C binary has no Go build information */
	{
		cleanup_free char *buf = NULL;
		struct vg_arena a;
		struct vg_vec list;
		size_t len;

		ASSERT_OK(vg_read_file("/bin/ls", 64u * 1024 * 1024, &buf, &len));
		vg_arena_init(&a, 0);
		vg_package_list_init(&list);
		ASSERT_ERR(vg_go_buildinfo_parse(buf, len, NULL, 0, &a, &list, NULL), -ENOENT);
		vg_vec_done(&list);
		vg_arena_done(&a);
	}
}
