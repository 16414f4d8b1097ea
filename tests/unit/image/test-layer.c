/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/image/layer.c: whiteouts across layers, path escapes, link resolution. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "image/layer.h"
#include "tap.h"
#include "tar-writer.h"

static int walk_buf(struct vg_fs *fs, struct tw *w, vg_layer_file_fn *cb, void *ud)
{
	struct memreader m = {.p = w->buf, .len = w->len, .chunk = 333};

	return vg_layer_walk(fs, mem_read, &m, cb, ud);
}

static const char *images_dir(void)
{
	const char *d = getenv("VG_IMAGES_DIR");

	if (!d || access(d, R_OK) < 0)
		TEST_SKIP("image fixtures not found (VG_IMAGES_DIR)");
	return d;
}

TEST(normalize)
{
	char b[64];

	ASSERT_EQ(vg_image_path_normalize("./a//b/../c/", b, sizeof(b)), 3);
	ASSERT_STREQ(b, "a/c");
	ASSERT_EQ(vg_image_path_normalize("/etc/passwd", b, sizeof(b)), 10);
	ASSERT_STREQ(b, "etc/passwd");
	ASSERT_EQ(vg_image_path_normalize("./", b, sizeof(b)), 0);
	ASSERT_EQ(vg_image_path_normalize("../etc/passwd", b, sizeof(b)), -EXDEV);
	ASSERT_EQ(vg_image_path_normalize("a/../../etc", b, sizeof(b)), -EXDEV);
	ASSERT_EQ(vg_image_path_normalize("a/b/../../c", b, sizeof(b)), 1);
	ASSERT_EQ(vg_image_path_normalize("aaaaaaaaaa/bbbbbbbbbb", b, 8), -ENAMETOOLONG);
}

TEST(whiteout_walk_fixture)
{
	char path[4096];
	cleanup_free char *buf = NULL;
	size_t len;
	struct tw w = {};
	struct vg_fs fs;
	const struct vg_whiteout *wo;

	snprintf(path, sizeof(path), "%s/whiteout-walk.tar", images_dir());
	ASSERT_OK(vg_read_file(path, 1 << 20, &buf, &len));
	w.buf = (unsigned char *)buf;
	w.len = len;
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &w, NULL, NULL), 0);
	ASSERT_EQ(fs.n_entries, 10u);
	ASSERT_EQ(fs.n_opaque, 1u);
	ASSERT_EQ(fs.n_whiteouts, 1u);
	ASSERT_EQ(fs.whiteouts.len, 2u);
	wo = vg_vec_at(&fs.whiteouts, 0);
	ASSERT_STREQ(wo->path, "etc");
	ASSERT_TRUE(wo->opaque);
	wo = vg_vec_at(&fs.whiteouts, 1);
	ASSERT_STREQ(wo->path, "foo/foo");
	ASSERT_FALSE(wo->opaque);
	ASSERT_EQ(vg_fs_get(&fs, "app/myweb/index.html")->type, VG_TAR_FILE);
	ASSERT_EQ(vg_fs_get(&fs, "baz")->size, 4u);
	ASSERT_EQ(vg_fs_get(&fs, "vendor/bar")->type, VG_TAR_FILE);
	ASSERT_EQ(vg_fs_get(&fs, "etc")->type, VG_TAR_DIR);
	ASSERT_NULL(vg_fs_get(&fs, "etc/.wh..wh..opq"));
	ASSERT_NULL(vg_fs_get(&fs, "foo/.wh.foo"));
	ASSERT_EQ(vg_hashmap_size(&fs.live), 8u); /* 4 dirs + app/myweb + 3 files */
	vg_fs_done(&fs);
}

static void count_files(struct vg_fs *fs, unsigned *ret_live, unsigned *ret_deleted)
{
	*ret_live = *ret_deleted = 0;
	vg_vec_for_each(struct vg_file *, f, &fs->all) {
		if ((*f)->deleted_by < 0)
			(*ret_live)++;
		else
			(*ret_deleted)++;
	}
}

TEST(multi_layer_whiteouts)
{
	struct tw l0 = {}, l1 = {}, l2 = {};
	struct vg_fs fs;
	const struct vg_file *f;
	unsigned live, deleted;

	tw_entry(&l0, "etc/", '5', NULL, 0, NULL);
	tw_file(&l0, "etc/passwd", "root:x:0:0\n");
	tw_file(&l0, "etc/shadow", "root:secret\n");
	tw_entry(&l0, "etc/ssl/", '5', NULL, 0, NULL);
	tw_file(&l0, "etc/ssl/key.pem", "-----BEGIN PRIVATE KEY-----\n");
	tw_file(&l0, "app/config", "v1");
	tw_entry(&l0, "opt/", '5', NULL, 0, NULL);
	tw_file(&l0, "opt/a", "a");
	tw_file(&l0, "opt/b", "b");
	tw_entry(&l0, "dir2file/", '5', NULL, 0, NULL);
	tw_file(&l0, "dir2file/x", "x");
	tw_end(&l0);
	/* layer 1: delete etc/ssl (a subtree), opaque opt (but add opt/c in the same layer),
	 * replace app/config, replace the directory dir2file by a file */
	tw_file(&l1, "etc/ssl/.wh..wh..opq", ""); /* opaque and... */
	tw_file(&l1, "etc/.wh.ssl", ""); /* ...then deleted entirely */
	tw_file(&l1, "opt/c", "c");
	tw_file(&l1, "opt/.wh..wh..opq", "");
	tw_file(&l1, "app/config", "v2");
	tw_file(&l1, "dir2file", "now a file");
	tw_end(&l1);
	/* layer 2: delete etc/shadow; whiteout of something that never existed */
	tw_file(&l2, "./etc/.wh.shadow", "");
	tw_file(&l2, "nothing/.wh.here", "");
	tw_end(&l2);

	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l0, NULL, NULL), 0);
	ASSERT_NOT_NULL(vg_fs_get(&fs, "etc/ssl/key.pem"));
	ASSERT_EQ(walk_buf(&fs, &l1, NULL, NULL), 1);
	ASSERT_EQ(walk_buf(&fs, &l2, NULL, NULL), 2);
	ASSERT_EQ(fs.n_layers, 3u);

	ASSERT_NULL(vg_fs_get(&fs, "etc/ssl"));
	ASSERT_NULL(vg_fs_get(&fs, "etc/ssl/key.pem"));
	ASSERT_NULL(vg_fs_get(&fs, "etc/shadow"));
	ASSERT_NOT_NULL(f = vg_fs_get(&fs, "etc/passwd"));
	ASSERT_EQ(f->layer, 0u);
	ASSERT_NULL(vg_fs_get(&fs, "opt/a"));
	ASSERT_NULL(vg_fs_get(&fs, "opt/b"));
	ASSERT_NOT_NULL(f = vg_fs_get(&fs, "opt/c"));
	ASSERT_EQ(f->layer, 1u);
	ASSERT_NOT_NULL(vg_fs_get(&fs, "opt")); /* the opaque dir itself stays */
	ASSERT_NOT_NULL(f = vg_fs_get(&fs, "app/config"));
	ASSERT_EQ(f->layer, 1u);
	ASSERT_EQ(f->size, 2u);
	ASSERT_NOT_NULL(f = vg_fs_get(&fs, "dir2file"));
	ASSERT_EQ(f->type, VG_TAR_FILE);
	ASSERT_NULL(vg_fs_get(&fs, "dir2file/x")); /* the file hides the old directory */

	/* Deleted versions stay visible, with who deleted them. */
	count_files(&fs, &live, &deleted);
	ASSERT_EQ(live, (unsigned)vg_hashmap_size(&fs.live));
	vg_vec_for_each(struct vg_file *, p, &fs.all) {
		if (strcmp((*p)->path, "etc/ssl/key.pem") == 0)
			ASSERT_EQ((*p)->deleted_by, 1);
		if (strcmp((*p)->path, "etc/shadow") == 0)
			ASSERT_EQ((*p)->deleted_by, 2);
		if (strcmp((*p)->path, "app/config") == 0 && (*p)->layer == 0)
			ASSERT_EQ((*p)->deleted_by, 1);
	}
	ASSERT_EQ(fs.n_replaced, 2u); /* app/config, dir2file */
	ASSERT_EQ(fs.n_whiteouts, 3u);
	ASSERT_EQ(fs.n_opaque, 2u);
	vg_fs_done(&fs);
	free(l0.buf);
	free(l1.buf);
	free(l2.buf);
}

TEST(dir_replaced_by_file)
{
	struct tw l0 = {}, l1 = {};
	struct vg_fs fs;

	tw_entry(&l0, "d/", '5', NULL, 0, NULL);
	tw_file(&l0, "d/x", "x");
	tw_end(&l0);
	tw_entry(&l1, "d", '2', NULL, 0, "/elsewhere");
	tw_end(&l1);
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l0, NULL, NULL), 0);
	ASSERT_EQ(walk_buf(&fs, &l1, NULL, NULL), 1);
	ASSERT_EQ(vg_fs_get(&fs, "d")->type, VG_TAR_SYMLINK);
	ASSERT_NULL(vg_fs_get(&fs, "d/x"));
	vg_fs_done(&fs);
	free(l0.buf);
	free(l1.buf);
}

TEST(hostile_paths_and_duplicates)
{
	struct tw l = {};
	struct vg_fs fs;
	const struct vg_file *f;

	tw_file(&l, "../../etc/passwd", "escape");
	tw_file(&l, "a/../../b", "escape");
	tw_file(&l, "/abs/file", "abs ok");
	tw_file(&l, "./", "");
	tw_entry(&l, "hl", '1', NULL, 0, "../../etc/shadow"); /* hardlink out of the root */
	tw_entry(&l, "hl2", '1', NULL, 0, "/abs/file");
	tw_file(&l, "dup", "first");
	tw_file(&l, "dup", "second!");
	tw_file(&l, "x/.wh.", ""); /* empty whiteout name */
	tw_file(&l, "x/.wh...", ""); /* ".wh.." */
	tw_file(&l, ".wh..wh.plnk", "");
	tw_end(&l);
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l, NULL, NULL), 0);
	ASSERT_EQ(fs.n_dropped, 5u);
	ASSERT_NULL(vg_fs_get(&fs, "etc/passwd"));
	ASSERT_NULL(vg_fs_get(&fs, "b"));
	ASSERT_NULL(vg_fs_get(&fs, "hl"));
	ASSERT_NOT_NULL(vg_fs_get(&fs, "abs/file"));
	ASSERT_NOT_NULL(f = vg_fs_get(&fs, "dup"));
	ASSERT_EQ(f->size, 7u);
	ASSERT_EQ(fs.n_replaced, 1u);
	ASSERT_OK(vg_fs_resolve(&fs, "hl2", &f));
	ASSERT_STREQ(f->path, "abs/file");
	vg_fs_done(&fs);
	free(l.buf);
}

TEST(resolve_symlinks_inside)
{
	struct tw l = {};
	struct vg_fs fs;
	const struct vg_file *f;

	tw_file(&l, "etc/os-release", "ID=test\n");
	tw_entry(&l, "usr/lib/os-release", '2', NULL, 0, "../../etc/os-release");
	tw_entry(&l, "lib", '2', NULL, 0, "usr/lib");
	tw_entry(&l, "abs", '2', NULL, 0, "/etc/os-release");
	tw_entry(&l, "escape", '2', NULL, 0, "../../../../../etc/os-release");
	tw_entry(&l, "host", '2', NULL, 0, "/proc/self/root/etc/shadow");
	tw_entry(&l, "loop1", '2', NULL, 0, "loop2");
	tw_entry(&l, "loop2", '2', NULL, 0, "loop1");
	tw_end(&l);
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l, NULL, NULL), 0);
	ASSERT_OK(vg_fs_resolve(&fs, "/lib/os-release", &f));
	ASSERT_STREQ(f->path, "etc/os-release");
	ASSERT_OK(vg_fs_resolve(&fs, "abs", &f));
	ASSERT_STREQ(f->path, "etc/os-release");
	/* ".." stops at the image root: the escape lands on the image's own file. */
	ASSERT_OK(vg_fs_resolve(&fs, "escape", &f));
	ASSERT_STREQ(f->path, "etc/os-release");
	ASSERT_EQ(vg_fs_resolve(&fs, "host", &f), -ENOENT);
	ASSERT_EQ(vg_fs_resolve(&fs, "loop1", &f), -ELOOP);
	ASSERT_EQ(vg_fs_resolve(&fs, "nope", &f), -ENOENT);
	vg_fs_done(&fs);
	free(l.buf);
}

struct seen {
	unsigned files;
	char content[64];
};

static int on_file(void *ud, const struct vg_file *f, struct vg_tar *t)
{
	struct seen *s = ud;

	s->files++;
	if (strcmp(f->path, "read/me") == 0) {
		ssize_t k = vg_tar_read(t, s->content, sizeof(s->content) - 1);

		if (k < 0)
			return (int)k;
		s->content[k] = '\0';
	}
	if (strcmp(f->path, "stop") == 0)
		return -ECANCELED;
	return 0;
}

TEST(callback_reads_content)
{
	struct tw l = {};
	struct vg_fs fs;
	struct seen s = {};

	tw_file(&l, "skip/me", "zzzz");
	tw_file(&l, "read/me", "hello layer");
	tw_entry(&l, "d/", '5', NULL, 0, NULL);
	tw_file(&l, "stop", "");
	tw_file(&l, "after", "");
	tw_end(&l);
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l, on_file, &s), -ECANCELED);
	ASSERT_EQ(s.files, 3u);
	ASSERT_STREQ(s.content, "hello layer");
	ASSERT_TRUE(strstr(fs.err, "stop") != NULL);
	vg_fs_done(&fs);
	free(l.buf);
}

TEST(truncated_layer_error)
{
	struct tw l = {};
	struct vg_fs fs;

	tw_file(&l, "a", "0123456789");
	tw_file(&l, "b", "x");
	l.len = 1100;
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l, NULL, NULL), -EBADMSG);
	ASSERT_TRUE(strstr(fs.err, "layer 0: tar: truncated header at offset 1024") != NULL);
	vg_fs_done(&fs);
	free(l.buf);
}

TEST(opaque_root)
{
	struct tw l0 = {}, l1 = {};
	struct vg_fs fs;

	tw_file(&l0, "a", "a");
	tw_file(&l0, "d/b", "b");
	tw_end(&l0);
	tw_file(&l1, ".wh..wh..opq", "");
	tw_file(&l1, "c", "c");
	tw_end(&l1);
	vg_fs_init(&fs);
	ASSERT_EQ(walk_buf(&fs, &l0, NULL, NULL), 0);
	ASSERT_EQ(walk_buf(&fs, &l1, NULL, NULL), 1);
	ASSERT_NULL(vg_fs_get(&fs, "a"));
	ASSERT_NULL(vg_fs_get(&fs, "d/b"));
	ASSERT_NOT_NULL(vg_fs_get(&fs, "c"));
	ASSERT_EQ(vg_hashmap_size(&fs.live), 1u);
	vg_fs_done(&fs);
	free(l0.buf);
	free(l1.buf);
}
