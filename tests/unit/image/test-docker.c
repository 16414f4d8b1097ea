/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker:NAME[:TAG] against a scripted engine (tests/unit/meta/fake-server): the export is
 * the alpine-310 fixture, served with Content-Length or chunked; unknown images, truncated
 * and malformed replies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../meta/fake-server.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "image/decompress.h"
#include "image/docker.h"
#include "image/source.h"
#include "tap.h"
#include "tar-writer.h"

static struct tw archive; /* the uncompressed docker archive */

static void load_archive(void)
{
	const char *d = getenv("VG_IMAGES_DIR");
	char path[4096];
	cleanup_free char *gz = NULL;
	struct vg_decomp *dc = NULL;
	struct memreader m;
	size_t len;
	char buf[65536];
	ssize_t k;

	if (archive.len)
		return;
	if (!d || access(d, R_OK) < 0)
		TEST_SKIP("image fixtures not found (VG_IMAGES_DIR)");
	snprintf(path, sizeof(path), "%s/alpine-310.docker.tar.gz", d);
	if (vg_read_file(path, 64 << 20, &gz, &len) < 0)
		TEST_SKIP("alpine-310.docker.tar.gz unreadable");
	m = (struct memreader){.p = (unsigned char *)gz, .len = len};
	if (vg_decomp_new(mem_read, &m, 0, &dc) < 0)
		abort();
	while ((k = vg_decomp_read(dc, buf, sizeof(buf))) > 0)
		tw_put(&archive, buf, (size_t)k);
	vg_decomp_free(dc);
}

static char *reply_with_body(const char *head, const void *body, size_t n, size_t *ret_len)
{
	size_t hl = strlen(head);
	char *r = malloc(hl + n);

	memcpy(r, head, hl);
	memcpy(r + hl, body, n);
	*ret_len = hl + n;
	return r;
}

static void route(void *ud, const char *path, struct fake_reply *out)
{
	char head[256];

	out->split = 65536;
	if (!strcmp(path, "/images/alpine:3.10/get")) {
		snprintf(head, sizeof(head),
			 "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n"
			 "Content-Length: %zu\r\n\r\n",
			 archive.len);
		out->data = reply_with_body(head, archive.buf, archive.len, &out->len);
	} else if (!strcmp(path, "/images/chunked/get")) {
		struct tw w = {};
		const char *h = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

		tw_put(&w, h, strlen(h));
		for (size_t off = 0; off < archive.len; off += 100000) {
			size_t n = archive.len - off < 100000 ? archive.len - off : 100000;

			snprintf(head, sizeof(head), "%zx;ext=1\r\n", n);
			tw_put(&w, head, strlen(head));
			tw_put(&w, archive.buf + off, n);
			tw_put(&w, "\r\n", 2);
		}
		tw_put(&w, "0\r\n\r\n", 5);
		out->data = (char *)w.buf;
		out->len = w.len;
	} else if (!strcmp(path, "/images/trunc:1/get")) {
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
			 archive.len);
		out->data = reply_with_body(head, archive.buf, archive.len / 2, &out->len);
	} else if (!strcmp(path, "/images/garbage:1/get")) {
		out->data = fake_strdup("SMTP ready\r\n\r\n", &out->len);
	} else {
		out->data = fake_reply_json(404, "{\"message\":\"reference does not exist\"}",
					    &out->len);
	}
}

TEST(docker_engine_export)
{
	char *dir, err[256], sock[512];
	struct fake_server *s;
	struct vg_image *img = NULL;
	struct vg_image_opts o = {};
	int fd = -1;

	load_archive();
	dir = fake_tmpdir();
	ASSERT_NOT_NULL(dir);
	s = fake_server_start(dir, "docker.sock", route, NULL);
	ASSERT_NOT_NULL(s);
	snprintf(sock, sizeof(sock), "%s", fake_server_path(s)); /* outlives the server */
	o.docker_socket = sock;

	ASSERT_OK(vg_image_open("docker:alpine:3.10", &o, &img, err, sizeof(err)));
	ASSERT_EQ(img->kind, VG_IMAGE_DOCKER);
	ASSERT_STREQ(img->ref, "alpine:3.10");
	ASSERT_EQ(img->fs.n_entries, 482u);
	ASSERT_TRUE(strncmp(img->diff_ids[0], "sha256:531743b7", 15) == 0);
	img = vg_image_free(img);

	/* Chunked transfer; no tag given: the only image in the export. */
	ASSERT_OK(vg_image_open("docker:chunked", &o, &img, err, sizeof(err)));
	ASSERT_EQ(img->fs.n_entries, 482u);
	img = vg_image_free(img);

	ASSERT_EQ(vg_image_open("docker:missing:1", &o, &img, err, sizeof(err)), -ENOENT);
	ASSERT_TRUE(strstr(err, "reference does not exist") != NULL);
	ASSERT_EQ(vg_docker_export(o.docker_socket, "trunc:1", 0, &fd, err, sizeof(err)), -EBADMSG);
	ASSERT_EQ(vg_docker_export(o.docker_socket, "garbage:1", 0, &fd, err, sizeof(err)),
		  -EBADMSG);
	/* Export over the size bound. */
	ASSERT_EQ(vg_docker_export(o.docker_socket, "alpine:3.10", 1 << 20, &fd, err, sizeof(err)),
		  -E2BIG);
	fake_server_stop(s);
	/* No engine listening. */
	ASSERT_LT(vg_docker_export(o.docker_socket, "alpine:3.10", 0, &fd, err, sizeof(err)), 0);
	ASSERT_TRUE(strstr(err, "cannot connect") != NULL);
	fake_rmrf(dir);
	free(dir);
}
