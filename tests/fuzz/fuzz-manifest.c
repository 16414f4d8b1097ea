/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the image manifest/index/config handling of src/image/source.c. The input is one
 * JSON document placed into a synthetic archive (in a memfd) according to its first byte:
 *   0: docker-archive manifest.json (config.json and l/layer.tar are present and valid)
 *   1: docker-archive config.json (manifest.json points at it and at l/layer.tar)
 *   2: OCI archive index.json (a valid manifest, config and layer blob are present)
 * The fixed members' digests are printed nowhere: the fuzzer finds them through the
 * dictionary-less comparisons in the code (strcmp on digests) or the seed corpus.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "image/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void entry(struct buf *b, const char *name, const void *data, size_t size)
{
	unsigned char h[512] = {};
	char tmp[32];
	unsigned sum = 0;

	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	snprintf(tmp, sizeof(tmp), "%011llo", (unsigned long long)size);
	memcpy(h + 124, tmp, 11);
	memcpy(h + 136, "00000000000", 11);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf(tmp, sizeof(tmp), "%06o", sum);
	memcpy(h + 148, tmp, 7);
	put(b, h, 512);
	put(b, data, size);
	if (size % 512) {
		static const unsigned char zero[512];

		put(b, zero, 512 - size % 512);
	}
}

static void end(struct buf *b)
{
	static const unsigned char zero[1024];

	put(b, zero, sizeof(zero));
}

static void sha(const void *p, size_t n, char out[72])
{
	unsigned char md[32];
	unsigned len;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	strcpy(out, "sha256:");
	for (int i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

static struct buf layer;
static char layer_dg[72], config[512], config_dg[72], manifest[1024], manifest_dg[72];
static int memfd = -1;

static void init(void)
{
	if (memfd >= 0)
		return;
	entry(&layer, "etc/os-release", "ID=fuzz\n", 8);
	end(&layer);
	sha(layer.p, layer.len, layer_dg);
	snprintf(config, sizeof(config), "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		 layer_dg);
	sha(config, strlen(config), config_dg);
	snprintf(
		manifest, sizeof(manifest),
		"{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"},\"layers\":[{\"digest\":\"%s\"}]}",
		config_dg, layer_dg);
	sha(manifest, strlen(manifest), manifest_dg);
	memfd = memfd_create("fuzz-manifest", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
}

static void add_blob(struct buf *b, const void *p, size_t n, const char *dg)
{
	char name[100];

	snprintf(name, sizeof(name), "blobs/sha256/%s", dg + 7);
	entry(b, name, p, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf ar = {};
	struct vg_image *img = NULL;
	char target[64], err[256];
	int r;

	if (size < 1 || size > 65536)
		return 0;
	init();
	switch (data[0] % 3) {
	case 0:
		entry(&ar, "config.json", config, strlen(config));
		entry(&ar, "l/layer.tar", layer.p, layer.len);
		entry(&ar, "manifest.json", data + 1, size - 1);
		break;
	case 1: {
		const char *m = "[{\"Config\":\"config.json\",\"RepoTags\":[\"f:1\"],"
				"\"Layers\":[\"l/layer.tar\"]}]";

		entry(&ar, "config.json", data + 1, size - 1);
		entry(&ar, "l/layer.tar", layer.p, layer.len);
		entry(&ar, "manifest.json", m, strlen(m));
		break;
	}
	default:
		add_blob(&ar, layer.p, layer.len, layer_dg);
		add_blob(&ar, config, strlen(config), config_dg);
		add_blob(&ar, manifest, strlen(manifest), manifest_dg);
		entry(&ar, "index.json", data + 1, size - 1);
		break;
	}
	end(&ar);
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, ar.p, ar.len, 0) != (ssize_t)ar.len)
		abort();
	free(ar.p);
	snprintf(target, sizeof(target), "/proc/self/fd/%d", memfd);
	r = vg_image_open(target, NULL, &img, err, sizeof(err));
	if (r < 0 && err[0] == '\0')
		abort(); /* every failure explains itself */
	if (r == 0) {
		if (img->n_layers != 1 || !vg_fs_get(&img->fs, "etc/os-release"))
			abort();
		vg_image_free(img);
	}
	return 0;
}
