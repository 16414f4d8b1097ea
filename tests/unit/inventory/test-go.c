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
