/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for src/image/source.c over the shared fixtures (docker archives of Alpine 3.10
 * and 3.11, an OCI layout) and synthetic images built here (OCI archive, nested index with
 * tags, digest mismatches).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "image/source.h"
#include "tap.h"
#include "tar-writer.h"

static const char *images_dir(void)
{
	const char *d = getenv("VG_IMAGES_DIR");

	if (!d || access(d, R_OK) < 0)
		TEST_SKIP("image fixtures not found (VG_IMAGES_DIR)");
	return d;
}

struct counts {
	unsigned files;
	char alpine_release[32];
};

static int on_file(void *ud, const struct vg_file *f, struct vg_tar *t)
{
	struct counts *c = ud;

	c->files++;
	if (strcmp(f->path, "etc/alpine-release") == 0) {
		ssize_t k = vg_tar_read(t, c->alpine_release, sizeof(c->alpine_release) - 1);

		if (k < 0)
			return (int)k;
		c->alpine_release[k] = '\0';
	}
	return 0;
}

static void type_counts(const struct vg_image *img, unsigned n[VG_TAR_TYPE__MAX])
{
	memset(n, 0, sizeof(unsigned) * VG_TAR_TYPE__MAX);
	vg_vec_for_each(struct vg_file *, f, &img->fs.all)
		n[(*f)->type]++;
}

static void check_alpine(const char *file, const char *ref, const char *cfg, const char *diff,
			 unsigned entries, unsigned files, unsigned dirs, unsigned links,
			 const char *release)
{
	char path[4096], err[256];
	struct vg_image *img = NULL;
	struct counts c = {};
	unsigned n[VG_TAR_TYPE__MAX];

	snprintf(path, sizeof(path), "archive:%s/%s", images_dir(), file);
	ASSERT_OK(vg_image_open(path, &(struct vg_image_opts){.cb = on_file, .userdata = &c}, &img,
				err, sizeof(err)));
	ASSERT_EQ(img->kind, VG_IMAGE_DOCKER_ARCHIVE);
	ASSERT_STREQ(img->ref, ref);
	ASSERT_EQ(img->n_layers, 1u);
	ASSERT_TRUE(strncmp(img->config_digest + 7, cfg, 8) == 0);
	ASSERT_TRUE(strncmp(img->diff_ids[0] + 7, diff, 8) == 0);
	ASSERT_EQ(img->fs.n_entries, entries);
	type_counts(img, n);
	ASSERT_EQ(n[VG_TAR_FILE], files);
	ASSERT_EQ(n[VG_TAR_DIR], dirs);
	ASSERT_EQ(n[VG_TAR_SYMLINK], links);
	ASSERT_EQ(c.files, files);
	ASSERT_STREQ(c.alpine_release, release);
	ASSERT_STREQ(vg_json_get_str(vg_json_get_obj(img->config, "config"), "Cmd") ?: "", "");
	vg_image_free(img);
}

TEST(docker_archive_alpine310)
{
	check_alpine("alpine-310.docker.tar.gz", "alpine:3.10", "af341ccd", "531743b7", 482, 70, 88,
		     324, "3.10.4\n");
}

TEST(docker_archive_alpine311)
{
	check_alpine("alpine-311.docker.tar.gz", "alpine:3.11", "a187dde4", "beee9f30", 488, 72, 90,
		     326, "3.11.5\n");
}

TEST(docker_archive_resolve_busybox_links)
{
	char path[4096], err[256];
	struct vg_image *img = NULL;
	const struct vg_file *f;

	snprintf(path, sizeof(path), "%s/alpine-310.docker.tar.gz", images_dir()); /* bare */
	ASSERT_OK(vg_image_open(path, NULL, &img, err, sizeof(err)));
	ASSERT_EQ(vg_fs_get(&img->fs, "bin/sh")->type, VG_TAR_SYMLINK);
	ASSERT_OK(vg_fs_resolve(&img->fs, "/bin/sh", &f));
	ASSERT_STREQ(f->path, "bin/busybox");
	ASSERT_EQ(f->type, VG_TAR_FILE);
	vg_image_free(img);
}

TEST(oci_layout)
{
	char path[4096], err[256];
	struct vg_image *img = NULL;
	const struct vg_file *f;

	snprintf(path, sizeof(path), "oci:%s/test.oci", images_dir());
	ASSERT_OK(vg_image_open(path, NULL, &img, err, sizeof(err)));
	ASSERT_EQ(img->kind, VG_IMAGE_OCI_DIR);
	ASSERT_NULL(img->ref);
	ASSERT_EQ(img->n_layers, 1u);
	ASSERT_TRUE(strncmp(img->config_digest, "sha256:b23a8f65", 15) == 0);
	ASSERT_TRUE(strncmp(img->diff_ids[0], "sha256:9c27e219", 15) == 0);
	ASSERT_NOT_NULL(f = vg_fs_get(&img->fs, "hello"));
	ASSERT_EQ(f->size, 13336u);
	ASSERT_EQ(f->mode, 0775u);
	ASSERT_STREQ(vg_json_get_str(img->config, "architecture"), "amd64");
	vg_image_free(img);
	/* No tag "latest" in this layout. */
	snprintf(path, sizeof(path), "oci:%s/test.oci:latest", images_dir());
	ASSERT_EQ(vg_image_open(path, NULL, &img, err, sizeof(err)), -ENOENT);
	ASSERT_TRUE(strstr(err, "latest") != NULL);
}

/* Synthetic layouts. */

static void sha256_hex(const void *p, size_t n, char out[72])
{
	unsigned char md[32];
	unsigned len;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	strcpy(out, "sha256:");
	for (int i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

static void write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || vg_write_all(fd, p, n) < 0)
		abort();
	close(fd);
}

/* Adds a blob to the layout dir (and to the optional archive); returns its digest. */
static void add_blob(const char *dir, struct tw *ar, const void *p, size_t n, char dg[72])
{
	char name[128];

	sha256_hex(p, n, dg);
	snprintf(name, sizeof(name), "blobs/sha256/%s", dg + 7);
	write_file(dir, name, p, n);
	if (ar)
		tw_entry(ar, name, '0', p, n, NULL);
}

struct layout {
	char dir[64];
	struct tw ar;
	char layer[72], diff[72], config[72], manifest[72], nested[72];
};

static void make_layout(struct layout *L, bool corrupt_diff)
{
	struct tw layer = {};
	char json[2048];
	char path[128];

	strcpy(L->dir, "/tmp/vg-test-oci-XXXXXX");
	if (!mkdtemp(L->dir))
		abort();
	snprintf(path, sizeof(path), "%s/blobs", L->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/blobs/sha256", L->dir);
	mkdir(path, 0755);
	L->ar = (struct tw){};
	tw_entry(&L->ar, "blobs/", '5', NULL, 0, NULL);

	tw_entry(&layer, "etc/", '5', NULL, 0, NULL);
	tw_file(&layer, "etc/os-release", "ID=synthetic\n");
	tw_end(&layer);
	sha256_hex(layer.buf, layer.len, L->diff);
	add_blob(L->dir, &L->ar, layer.buf, layer.len, L->layer); /* uncompressed layer */
	if (corrupt_diff)
		L->diff[10] = L->diff[10] == '0' ? '1' : '0';
	snprintf(json, sizeof(json),
		 "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		 L->diff);
	add_blob(L->dir, &L->ar, json, strlen(json), L->config);
	snprintf(
		json, sizeof(json),
		"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
		"\"digest\":\"%s\",\"size\":1},\"layers\":[{\"mediaType\":"
		"\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu}]}",
		L->config, L->layer, layer.len);
	add_blob(L->dir, &L->ar, json, strlen(json), L->manifest);
	/* nested index: index.json -> index blob -> manifest */
	snprintf(json, sizeof(json),
		 "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":1,"
		 "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}",
		 L->manifest);
	add_blob(L->dir, &L->ar, json, strlen(json), L->nested);
	snprintf(json, sizeof(json),
		 "{\"schemaVersion\":2,\"manifests\":["
		 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
		 "\"size\":1,\"annotations\":{\"org.opencontainers.image.ref.name\":\"plain\"}},"
		 "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"%s\","
		 "\"size\":1,\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}",
		 L->manifest, L->nested);
	write_file(L->dir, "index.json", json, strlen(json));
	tw_entry(&L->ar, "index.json", '0', json, strlen(json), NULL);
	write_file(L->dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	tw_end(&L->ar);
	free(layer.buf);
}

static void remove_layout(struct layout *L)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", L->dir);
	if (strncmp(L->dir, "/tmp/vg-test-oci-", 17) == 0 && system(cmd) != 0)
		abort();
	free(L->ar.buf);
}

TEST(oci_nested_index_tags_and_archive)
{
	struct layout L;
	struct vg_image *img = NULL;
	char target[256], err[256];

	make_layout(&L, false);
	snprintf(target, sizeof(target), "oci:%s:v1", L.dir);
	ASSERT_OK(vg_image_open(target, NULL, &img, err, sizeof(err)));
	ASSERT_STREQ(img->ref, "v1");
	ASSERT_STREQ(img->diff_ids[0], L.diff);
	ASSERT_NOT_NULL(vg_fs_get(&img->fs, "etc/os-release"));
	img = vg_image_free(img);
	snprintf(target, sizeof(target), "%s:plain", L.dir);
	ASSERT_OK(vg_image_open(target, NULL, &img, err, sizeof(err)));
	ASSERT_STREQ(img->ref, "plain");
	img = vg_image_free(img);
	snprintf(target, sizeof(target), "oci:%s:nope", L.dir);
	ASSERT_EQ(vg_image_open(target, NULL, &img, err, sizeof(err)), -ENOENT);

	/* The same layout as an OCI archive (auto-detected), gzip-compressed too. */
	write_file(L.dir, "image.tar", L.ar.buf, L.ar.len);
	snprintf(target, sizeof(target), "%s/image.tar:v1", L.dir);
	ASSERT_OK(vg_image_open(target, NULL, &img, err, sizeof(err)));
	ASSERT_EQ(img->kind, VG_IMAGE_OCI_ARCHIVE);
	ASSERT_STREQ(img->diff_ids[0], L.diff);
	img = vg_image_free(img);
	snprintf(target, sizeof(target), "gzip -c '%s/image.tar' > '%s/image.tar.gz'", L.dir,
		 L.dir);
	ASSERT_EQ(system(target), 0);
	snprintf(target, sizeof(target), "oci-archive:%s/image.tar.gz", L.dir);
	ASSERT_OK(vg_image_open(target, NULL, &img, err, sizeof(err)));
	ASSERT_NOT_NULL(vg_fs_get(&img->fs, "etc/os-release"));
	img = vg_image_free(img);

	/* A corrupted blob: digest mismatch, clearly reported. */
	{
		char name[512], *buf = NULL;
		size_t len;

		snprintf(name, sizeof(name), "%s/blobs/sha256/%s", L.dir, L.layer + 7);
		ASSERT_OK(vg_read_file(name, 1 << 20, &buf, &len));
		buf[1030] ^= 1; /* inside the os-release content */
		write_file(L.dir, name + strlen(L.dir) + 1, buf, len);
		free(buf);
	}
	snprintf(target, sizeof(target), "oci:%s:v1", L.dir);
	ASSERT_EQ(vg_image_open(target, NULL, &img, err, sizeof(err)), -EBADMSG);
	if (!strstr(err, "layer 0: blob digest mismatch"))
		TAP_FAIL_AT("%s", err);
	remove_layout(&L);
}

TEST(oci_diff_id_mismatch)
{
	struct layout L;
	struct vg_image *img = NULL;
	char target[256], err[256];

	make_layout(&L, true);
	snprintf(target, sizeof(target), "oci:%s:v1", L.dir);
	ASSERT_EQ(vg_image_open(target, NULL, &img, err, sizeof(err)), -EBADMSG);
	ASSERT_TRUE(strstr(err, "diff_id mismatch") != NULL);
	remove_layout(&L);
}

TEST(docker_archive_synthetic_hostile)
{
	struct tw ar = {}, layer = {};
	char dir[] = "/tmp/vg-test-oci-XXXXXX", diff[72], cfgdg[72], json[1024], path[256];
	char err[256];
	struct vg_image *img = NULL;

	ASSERT_NOT_NULL(mkdtemp(dir));
	tw_file(&layer, "../../escape", "x");
	tw_file(&layer, "ok", "fine");
	tw_end(&layer);
	sha256_hex(layer.buf, layer.len, diff);
	snprintf(json, sizeof(json), "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		 diff);
	sha256_hex(json, strlen(json), cfgdg);
	snprintf(path, sizeof(path), "%s.json", cfgdg + 7);
	tw_entry(&ar, path, '0', json, strlen(json), NULL);
	tw_entry(&ar, "l1/layer.tar", '0', layer.buf, layer.len, NULL);
	snprintf(json, sizeof(json),
		 "[{\"Config\":\"%s\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"./l1/layer.tar\"]}]",
		 path);
	tw_entry(&ar, "manifest.json", '0', json, strlen(json), NULL);
	tw_end(&ar);
	snprintf(path, sizeof(path), "%s/a.tar", dir);
	write_file(dir, "a.tar", ar.buf, ar.len);
	if (vg_image_open(path, NULL, &img, err, sizeof(err)) < 0)
		TAP_FAIL_AT("%s", err);
	ASSERT_EQ(img->fs.n_dropped, 1u);
	ASSERT_NOT_NULL(vg_fs_get(&img->fs, "ok"));
	img = vg_image_free(img);

	/* Tag selection, missing tag. */
	snprintf(path, sizeof(path), "archive:%s/a.tar:x:1", dir);
	ASSERT_OK(vg_image_open(path, NULL, &img, err, sizeof(err)));
	img = vg_image_free(img);
	snprintf(path, sizeof(path), "archive:%s/a.tar:y:2", dir);
	ASSERT_EQ(vg_image_open(path, NULL, &img, err, sizeof(err)), -ENOENT);

	/* Truncated archive: a clear tar error. */
	write_file(dir, "t.tar", ar.buf, 1500);
	snprintf(path, sizeof(path), "%s/t.tar", dir);
	ASSERT_LT(vg_image_open(path, NULL, &img, err, sizeof(err)), 0);
	ASSERT_TRUE(strstr(err, "tar: ") != NULL);

	/* Bad JSON in manifest.json. */
	ar.len = 0;
	tw_entry(&ar, "manifest.json", '0', "[{\"Config\":", 11, NULL);
	tw_end(&ar);
	write_file(dir, "b.tar", ar.buf, ar.len);
	snprintf(path, sizeof(path), "%s/b.tar", dir);
	ASSERT_EQ(vg_image_open(path, NULL, &img, err, sizeof(err)), -EBADMSG);
	ASSERT_TRUE(strstr(err, "manifest.json: bad JSON") != NULL);

	/* Not an image at all. */
	write_file(dir, "garbage", "this is not a tar archive", 25);
	snprintf(path, sizeof(path), "%s/garbage", dir);
	ASSERT_EQ(vg_image_open(path, NULL, &img, err, sizeof(err)), -EBADMSG);
	ASSERT_TRUE(strstr(err, "tar: ") != NULL);
	snprintf(path, sizeof(path), "oci:%s", dir);
	ASSERT_EQ(vg_image_open(path, NULL, &img, err, sizeof(err)), -EOPNOTSUPP);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ASSERT_EQ(system(path), 0);
	free(ar.buf);
	free(layer.buf);
}

TEST(digest_parse)
{
	ASSERT_OK(vg_digest_parse(
		"sha256:9c27e219663c25e0f28493790cc0b88bc973ba3b1686355f221c38a36978ac63"));
	ASSERT_EQ(vg_digest_parse("sha256:../../../etc/passwd"), -EBADMSG);
	ASSERT_EQ(vg_digest_parse("sha512:abcd"), -EOPNOTSUPP);
	ASSERT_EQ(
		vg_digest_parse(
			"sha256:9C27E219663C25E0F28493790CC0B88BC973BA3B1686355F221C38A36978AC63"),
		-EBADMSG);
	ASSERT_EQ(vg_digest_parse(NULL), -EBADMSG);
}

TEST(layer_bomb_capped)
{
	char path[4096], err[256];
	struct vg_image *img = NULL;

	/* test.oci's layer inflates to more than 13 KiB: a 4 KiB cap trips the guard. */
	snprintf(path, sizeof(path), "oci:%s/test.oci", images_dir());
	ASSERT_EQ(vg_image_open(path, &(struct vg_image_opts){.max_layer_bytes = 4096}, &img, err,
				sizeof(err)),
		  -E2BIG);
	if (!strstr(err, "layer 0: tar:") || !strstr(err, "Argument list too long"))
		TAP_FAIL_AT("%s", err);
}

TEST(rootfs_dir)
{
	char dir[] = "/tmp/vg-test-oci-XXXXXX", path[4200], err[256];
	struct vg_image *img = NULL;
	struct counts c = {};
	const struct vg_file *f;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	write_file(dir, "etc/alpine-release", "3.99.0\n", 7);
	snprintf(path, sizeof(path), "%s/etc/passwd-link", dir);
	ASSERT_EQ(symlink("/etc/passwd", path), 0); /* absolute: resolves inside the rootfs */
	snprintf(path, sizeof(path), "%s/up", dir);
	ASSERT_EQ(symlink("../../../../etc/shadow", path), 0);
	snprintf(path, sizeof(path), "dir:%s", dir);
	ASSERT_OK(vg_image_open(path, &(struct vg_image_opts){.cb = on_file, .userdata = &c}, &img,
				err, sizeof(err)));
	ASSERT_EQ(img->kind, VG_IMAGE_ROOTFS);
	ASSERT_NULL(img->config);
	ASSERT_EQ(img->n_layers, 1u);
	ASSERT_EQ(c.files, 1u);
	ASSERT_STREQ(c.alpine_release, "3.99.0\n");
	ASSERT_EQ(vg_fs_get(&img->fs, "etc")->type, VG_TAR_DIR);
	ASSERT_STREQ(vg_fs_get(&img->fs, "etc/passwd-link")->link, "/etc/passwd");
	ASSERT_EQ(vg_fs_resolve(&img->fs, "etc/passwd-link", &f), -ENOENT); /* not the host's */
	ASSERT_EQ(vg_fs_resolve(&img->fs, "up", &f), -ENOENT);
	img = vg_image_free(img);
	/* A bare directory without index.json is a rootfs too. */
	ASSERT_OK(vg_image_open(dir, NULL, &img, err, sizeof(err)));
	ASSERT_EQ(img->kind, VG_IMAGE_ROOTFS);
	ASSERT_EQ(vg_hashmap_size(&img->fs.live), 4u);
	img = vg_image_free(img);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ASSERT_EQ(system(path), 0);
}

/* A file of a root filesystem that shrinks while it is read (a log rotated under the scan):
 * read to the size the walk saw, the rest as zeros, and the image still opens. */
static char shrink_path[4200];
static uint64_t shrink_read, shrink_nonzero_tail;

static int on_file_shrink(void *ud, const struct vg_file *f, struct vg_tar *t)
{
	char buf[4096];
	ssize_t k;

	(void)ud;
	if (strcmp(f->path, "var/log/big.log") != 0)
		return 0;
	if (truncate(shrink_path, 100) < 0)
		return -errno;
	while ((k = vg_tar_read(t, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < k; i++)
			if (shrink_read + (uint64_t)i >= 100 && buf[i])
				shrink_nonzero_tail++;
		shrink_read += (uint64_t)k;
	}
	return k < 0 ? (int)k : 0;
}

TEST(rootfs_file_shrinks_while_read)
{
	char dir[] = "/tmp/vg-test-shrink-XXXXXX", path[4200], err[256];
	struct vg_image *img = NULL;
	char *data = malloc(300000);

	ASSERT_NOT_NULL(data);
	memset(data, 'x', 300000);
	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/var", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/var/log", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	write_file(dir, "var/log/big.log", data, 300000);
	snprintf(shrink_path, sizeof(shrink_path), "%s/var/log/big.log", dir);
	snprintf(path, sizeof(path), "dir:%s", dir);
	ASSERT_OK(vg_image_open(path, &(struct vg_image_opts){.cb = on_file_shrink}, &img, err,
				sizeof(err)));
	ASSERT_EQ(shrink_read, 300000u);
	ASSERT_EQ(shrink_nonzero_tail, 0u);
	img = vg_image_free(img);
	free(data);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ASSERT_EQ(system(path), 0);
}

TEST(oci_index_fan_out_bounded)
{
	char dir[] = "/tmp/vg-test-oci-XXXXXX", path[256], err[256], dg[72];
	const char *empty = "{\"schemaVersion\":2,\"manifests\":[]}";
	struct vg_image *img = NULL;
	char *index = malloc(300000), *p;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/blobs", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	add_blob(dir, NULL, empty, strlen(empty), dg);
	/* 2000 entries, all the same nested index that holds nothing. */
	p = index + sprintf(index, "{\"schemaVersion\":2,\"manifests\":[");
	for (int i = 0; i < 2000; i++)
		p += sprintf(p,
			     "%s{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
			     "\"digest\":\"%s\",\"size\":1}",
			     i ? "," : "", dg);
	p += sprintf(p, "]}");
	write_file(dir, "index.json", index, (size_t)(p - index));
	write_file(dir, "oci-layout", "{}", 2);
	snprintf(path, sizeof(path), "oci:%s", dir);
	ASSERT_EQ(vg_image_open(path, NULL, &img, err, sizeof(err)), -E2BIG);
	ASSERT_TRUE(strstr(err, "more than") != NULL);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ASSERT_EQ(system(path), 0);
	free(index);
}
