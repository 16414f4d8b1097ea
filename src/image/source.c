/* SPDX-License-Identifier: Apache-2.0 */
/* Image sources: docker archive, OCI layout directory, OCI archive (see source.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/log.h"
#include "basic/string-util.h"
#include "basic/vec.h"
#include "image/decompress.h"
#include "image/docker.h"
#include "image/prefetch.h"
#include "image/source.h"

#define OCI_REF_NAME "org.opencontainers.image.ref.name"

struct ctx {
	struct vg_image *img;
	int fd; /* the archive file, or the layout directory */
	bool is_dir; /* OCI layout directory: blobs are files */
	bool compressed;
	struct vg_vec members; /* struct member, archives only */
	const char *tag;
	vg_layer_file_fn *cb;
	void *userdata;
	uint64_t max_layer_bytes;
	unsigned n_docs; /* JSON documents read: nested indexes can fan out */
	struct sweep *sweep; /* compressed archives: the pass that serves layer members */
	char *err;
	size_t errsize;
};

struct member {
	char *name; /* normalised */
	uint64_t off, size;
	char *data; /* compressed archives: small members kept from the scan pass */
};

/* Small members of a compressed archive (manifests, configs) are kept in memory during the
 * scan so that only layers need another decompressing pass. */
#define CACHE_MEMBER_MAX (64 * 1024)
#define CACHE_TOTAL_MAX	 (16 * 1024 * 1024)

static int fail(struct ctx *c, int r, const char *fmt, ...) VG_PRINTF(3, 4);

static int fail(struct ctx *c, int r, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errsize) {
		va_start(ap, fmt);
		(void)vsnprintf(c->err, c->errsize, fmt, ap);
		va_end(ap);
	}
	return r;
}

const char *vg_image_kind_name(enum vg_image_kind kind)
{
	static const char *const names[VG_IMAGE_KIND__MAX] = {
		[VG_IMAGE_DOCKER_ARCHIVE] = "docker-archive",
		[VG_IMAGE_OCI_DIR] = "oci",
		[VG_IMAGE_OCI_ARCHIVE] = "oci-archive",
		[VG_IMAGE_ROOTFS] = "dir",
		[VG_IMAGE_DOCKER] = "docker",
	};

	return kind < VG_IMAGE_KIND__MAX ? names[kind] : "invalid";
}

int vg_digest_parse(const char *s)
{
	if (!s)
		return -EBADMSG;
	if (strncmp(s, "sha256:", 7) != 0)
		return strchr(s, ':') ? -EOPNOTSUPP : -EBADMSG;
	s += 7;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -EBADMSG;
	return s[64] == '\0' ? 0 : -EBADMSG;
}

/* Readers. */

struct fd_reader {
	int fd;
	uint64_t off, left;
	/* A file of a live root filesystem that shrinks while it is read (a log rotated, a
	 * database rewritten) ends in zeros up to the size the walk saw, with a warning naming
	 * it, instead of failing the whole image: path set means that is allowed. */
	const char *path;
	bool shrank;
};

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	struct fd_reader *f = ctx;
	ssize_t k;

	if (f->left == 0)
		return 0;
	if (n > f->left)
		n = (size_t)f->left;
	if (f->shrank) {
		k = (ssize_t)n;
		memset(buf, 0, n);
	} else {
		do
			k = pread(f->fd, buf, n, (off_t)f->off);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return -errno;
		if (k == 0 && f->path) {
			log_warning("'/%s' shrank while it was read: its last %llu bytes are read as "
				    "zeros", f->path, (unsigned long long)f->left);
			f->shrank = true;
			return fd_read(ctx, buf, n);
		}
	}
	f->off += (uint64_t)k;
	f->left -= (uint64_t)k;
	return k;
}

struct hash_reader {
	vg_read_fn *in;
	void *ctx;
	EVP_MD_CTX *md;
	uint64_t bytes;
};

static ssize_t hash_read(void *ctx, void *buf, size_t n)
{
	struct hash_reader *h = ctx;
	ssize_t k = h->in(h->ctx, buf, n);

	if (k > 0) {
		if (EVP_DigestUpdate(h->md, buf, (size_t)k) != 1)
			return -EIO;
		h->bytes += (uint64_t)k;
	}
	return k;
}

static int hash_init(struct hash_reader *h, vg_read_fn *in, void *ctx)
{
	*h = (struct hash_reader){.in = in, .ctx = ctx, .md = EVP_MD_CTX_new()};
	if (!h->md)
		return -ENOMEM;
	if (EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(h->md);
		h->md = NULL;
		return -EIO;
	}
	return 0;
}

static void hash_done(struct hash_reader *h, char out[VG_DIGEST_STR_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	if (out) {
		if (EVP_DigestFinal_ex(h->md, md, &len) != 1)
			len = 0;
		memcpy(out, "sha256:", 8);
		for (unsigned i = 0; i < len && i < 32; i++)
			snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	}
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
}

/* Reads a stream fully (at most @max bytes) into a NUL-terminated buffer. */
static int slurp(vg_read_fn *rd, void *ctx, size_t max, char **ret, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	cleanup_free char *buf = malloc(cap + 1);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t k;

		if (len == cap) {
			char *nb;

			if (cap > max)
				return -E2BIG;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		k = rd(ctx, buf + len, cap - len);
		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		len += (size_t)k;
		if (len > max)
			return -E2BIG;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

/* Archive members. */

struct member_reader {
	struct fd_reader f;
	struct vg_decomp *d;
	struct vg_tar *t;
	bool streamed;
	struct sweep *sweep; /* t belongs to this sweep, lent until member_close() */
	const char *mem; /* cached member: read from memory */
	size_t mem_len, mem_pos;
};

/*
 * A compressed archive cannot seek, and its manifest (which says which members are layers,
 * in which order) comes last. So after the scan pass one more decompressing pass, the sweep,
 * serves the layers: exporters write them in layer order, and a member behind the sweep's
 * position (out of order, or opened twice) gets a private pass of its own. The outer
 * decompression runs in a prefetch thread.
 */
struct sweep {
	struct fd_reader f;
	struct vg_decomp *d;
	struct vg_prefetch *p;
	struct vg_tar t;
	bool lent, done;
};

#define PREFETCH_CHUNK	(1024 * 1024)
#define PREFETCH_CHUNKS 4

static struct sweep *sweep_free(struct sweep *s)
{
	if (!s)
		return NULL;
	s->p = vg_prefetch_stop(s->p);
	s->d = vg_decomp_free(s->d);
	free(s);
	return NULL;
}

static int sweep_new(int fd, struct sweep **ret)
{
	struct sweep *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	s->f = (struct fd_reader){.fd = fd, .left = UINT64_MAX};
	r = vg_decomp_new(fd_read, &s->f, VG_LAYER_BYTES_MAX * 4, &s->d);
	if (r >= 0)
		r = vg_prefetch_start(vg_decomp_read, s->d, PREFETCH_CHUNK, PREFETCH_CHUNKS, &s->p);
	if (r < 0) {
		sweep_free(s);
		return r;
	}
	vg_tar_init(&s->t, vg_prefetch_read, s->p);
	*ret = s;
	return 0;
}

/* Moves the sweep forward to the member whose data starts at @off: 1 when positioned, 0 when
 * @off is behind it (or the archive ended), < 0 on a read error. */
static int sweep_seek(struct sweep *s, uint64_t off)
{
	const struct vg_tar_entry *e;
	int r;

	if (s->done || (s->t.offset >= off && s->t.n_entries > 0))
		return 0;
	while ((r = vg_tar_next(&s->t, &e)) > 0)
		if (s->t.offset == off && e->type == VG_TAR_FILE)
			return 1;
		else if (s->t.offset > off)
			return 0;
	s->done = true;
	return r;
}

static ssize_t member_read(void *ctx, void *buf, size_t n)
{
	struct member_reader *m = ctx;

	if (m->mem) {
		size_t k = VG_MIN(n, m->mem_len - m->mem_pos);

		memcpy(buf, m->mem + m->mem_pos, k);
		m->mem_pos += k;
		return (ssize_t)k;
	}
	return m->streamed ? vg_tar_read(m->t, buf, n) : fd_read(&m->f, buf, n);
}

static void member_close(struct member_reader *m)
{
	m->d = vg_decomp_free(m->d);
	if (m->sweep)
		m->sweep->lent = false;
	else
		free(m->t);
	m->t = NULL;
	m->sweep = NULL;
}

static const struct member *find_member(struct ctx *c, const char *name)
{
	char norm[VG_PATH_MAX + 1];

	if (vg_image_path_normalize(name, norm, sizeof(norm)) <= 0)
		return NULL;
	const struct member *found = NULL;

	/* The last of duplicate members wins, as when the archive is extracted. */
	vg_vec_for_each(struct member, m, &c->members)
		if (strcmp(m->name, norm) == 0)
			found = m;
	return found;
}

/* Positions @m on archive member @name: pread for plain archives, a fresh decompressing pass
 * for compressed ones (gzip streams cannot seek). */
static int member_open(struct ctx *c, const char *name, struct member_reader *m)
{
	const struct member *mem = find_member(c, name);
	const struct vg_tar_entry *e;
	int r;

	*m = (struct member_reader){};
	if (!mem)
		return fail(c, -ENOENT, "'%s' is not in the archive", name);
	if (mem->data) {
		m->mem = mem->data;
		m->mem_len = (size_t)mem->size;
		m->f.fd = -EBADF;
		return 0;
	}
	if (!c->compressed) {
		m->f = (struct fd_reader){.fd = c->fd, .off = mem->off, .left = mem->size};
		return 0;
	}
	if (mem->size > CACHE_MEMBER_MAX && c->sweep && !c->sweep->lent) {
		r = sweep_seek(c->sweep, mem->off);
		if (r < 0)
			return fail(c, r, "archive: %s", vg_tar_error(&c->sweep->t));
		if (r > 0) {
			c->sweep->lent = true;
			m->sweep = c->sweep;
			m->t = &c->sweep->t;
			m->streamed = true;
			return 0;
		}
	}
	m->f = (struct fd_reader){.fd = c->fd, .left = UINT64_MAX};
	m->streamed = true;
	m->t = malloc(sizeof(*m->t));
	if (!m->t)
		return -ENOMEM;
	r = vg_decomp_new(fd_read, &m->f, VG_LAYER_BYTES_MAX * 4, &m->d);
	if (r < 0) {
		member_close(m);
		return r;
	}
	vg_tar_init(m->t, vg_decomp_read, m->d);
	/* The member's data offset identifies it, even among duplicate names. */
	while ((r = vg_tar_next(m->t, &e)) > 0)
		if (m->t->offset == mem->off && e->type == VG_TAR_FILE)
			return 0;
	member_close(m);
	return fail(c, r < 0 ? r : -ENOENT, "'%s' vanished from the archive", name);
}

static int scan_archive(struct ctx *c)
{
	struct fd_reader f = {.fd = c->fd, .left = UINT64_MAX};
	cleanup(vg_decomp_freep) struct vg_decomp *d = NULL;
	cleanup_free struct vg_tar *t = malloc(sizeof(*t));
	const struct vg_tar_entry *e;
	char norm[VG_PATH_MAX + 1];
	uint64_t cached = 0;
	int r;

	if (!t)
		return -ENOMEM;
	r = vg_decomp_new(fd_read, &f, VG_LAYER_BYTES_MAX * 4, &d);
	if (r < 0)
		return fail(c, r, "cannot read the archive");
	c->compressed = vg_decomp_kind(d) != VG_COMPRESSION_NONE;
	vg_tar_init(t, vg_decomp_read, d);
	while ((r = vg_tar_next(t, &e)) > 0) {
		struct member m;

		if (e->type != VG_TAR_FILE)
			continue;
		if (vg_image_path_normalize(e->path, norm, sizeof(norm)) <= 0)
			continue;
		m = (struct member){.off = t->offset, .size = e->size, .name = strdup(norm)};
		if (!m.name)
			return -ENOMEM;
		if (c->compressed && e->size <= CACHE_MEMBER_MAX &&
		    cached + e->size <= CACHE_TOTAL_MAX) {
			size_t len = 0;

			m.data = malloc((size_t)e->size + 1);
			for (ssize_t k = 1; m.data && len < e->size && k > 0;
			     len += (size_t)VG_MAX(k, 0))
				k = vg_tar_read(t, m.data + len, (size_t)e->size - len);
			if (!m.data || len < e->size) {
				free(m.name);
				free(m.data);
				return m.data ? fail(c, -EBADMSG, "archive: %s", vg_tar_error(t))
					      : -ENOMEM;
			}
			cached += e->size;
		}
		r = vg_vec_push(&c->members, &m);
		if (r < 0) {
			free(m.name);
			free(m.data);
			return fail(c, r, "too many archive members");
		}
	}
	if (r < 0)
		return fail(c, r, "archive: %s", vg_tar_error(t));
	return 0;
}

/* Opens a blob by digest (validated: safe as a path). */
static int blob_open(struct ctx *c, const char *digest, struct member_reader *m)
{
	char path[128];
	int r = vg_digest_parse(digest);

	if (r < 0)
		return fail(c, r, "bad digest '%.80s'", digest);
	snprintf(path, sizeof(path), "blobs/sha256/%s", digest + 7);
	if (!c->is_dir)
		return member_open(c, path, m);
	*m = (struct member_reader){};
	m->f.fd = openat(c->fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (m->f.fd < 0)
		return fail(c, -errno, "blob %s: %m", digest);
	m->f.left = UINT64_MAX;
	return 0;
}

static void blob_close(struct ctx *c, struct member_reader *m)
{
	if (c->is_dir && m->f.fd >= 0)
		close(m->f.fd);
	member_close(m);
}

/* Reads a small JSON document (blob or member), optionally checking its digest. */
static int read_json(struct ctx *c, const char *name, const char *digest, json_t **ret,
		     char ret_digest[VG_DIGEST_STR_MAX])
{
	struct member_reader m;
	struct hash_reader h;
	cleanup_free char *buf = NULL;
	char got[VG_DIGEST_STR_MAX], jerr[160];
	size_t len = 0;
	int r;

	if (++c->n_docs > VG_IMAGE_DOCS_MAX)
		return fail(c, -E2BIG, "more than %d manifests/indexes/configs read",
			    VG_IMAGE_DOCS_MAX);
	if (digest)
		r = blob_open(c, digest, &m);
	else if (c->is_dir) { /* a top-level file of the layout (index.json) */
		m = (struct member_reader){.f.left = UINT64_MAX};
		m.f.fd = openat(c->fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		r = m.f.fd < 0 ? fail(c, -errno, "%s: %m", name) : 0;
	} else
		r = member_open(c, name, &m);
	if (r < 0)
		return r;
	r = hash_init(&h, member_read, &m);
	if (r >= 0) {
		r = slurp(hash_read, &h, VG_IMAGE_MANIFEST_MAX, &buf, &len);
		hash_done(&h, got);
	}
	blob_close(c, &m);
	if (r < 0)
		return fail(c, r, "%s: %s", digest ?: name,
			    r == -E2BIG ? "larger than the manifest limit" : "read error");
	if (digest && strcmp(got, digest) != 0)
		return fail(c, -EBADMSG, "blob %s: digest mismatch (content is %s)", digest, got);
	if (ret_digest)
		memcpy(ret_digest, got, VG_DIGEST_STR_MAX);
	r = vg_json_parse(buf, len, ret, jerr, sizeof(jerr));
	if (r < 0)
		return fail(c, r, "%s: bad JSON: %s", digest ?: name, jerr);
	return 0;
}

/*
 * One layer being decoded: member -> blob digest -> decompression run in a prefetch thread,
 * so that the walker (main thread) only parses tar, hashes the diff_id and feeds analyzers.
 * Several jobs run ahead of the walker, each with a bounded buffer, so the next layers
 * decode while this one is walked.
 */
struct layer_job {
	struct member_reader m;
	struct hash_reader hb;
	struct vg_decomp *d;
	struct vg_prefetch *p;
	const char *blob_digest; /* manifest's digest of the blob (OCI), NULL for docker */
	bool open;
};

static void job_stop(struct ctx *c, struct layer_job *j, char got_blob[VG_DIGEST_STR_MAX])
{
	if (!j->open)
		return;
	j->p = vg_prefetch_stop(j->p);
	j->d = vg_decomp_free(j->d);
	if (j->hb.md)
		hash_done(&j->hb, got_blob);
	blob_close(c, &j->m);
	j->open = false;
}

/* Opens layer @i (member or blob) and starts decoding it in the background. */
static int job_start(struct ctx *c, struct layer_job *j, unsigned i, json_t *layers)
{
	int r;

	*j = (struct layer_job){};
	if (c->img->kind == VG_IMAGE_DOCKER_ARCHIVE || c->img->kind == VG_IMAGE_DOCKER) {
		const char *name = json_string_value(json_array_get(layers, i));

		if (!name)
			return fail(c, -EBADMSG, "manifest.json: layer %u is not a string", i);
		r = member_open(c, name, &j->m);
	} else {
		j->blob_digest = vg_json_get_str(json_array_get(layers, i), "digest");
		r = blob_open(c, j->blob_digest, &j->m);
	}
	if (r < 0)
		return r;
	j->open = true;
	r = hash_init(&j->hb, member_read, &j->m);
	if (r >= 0)
		r = vg_decomp_new(hash_read, &j->hb, c->max_layer_bytes, &j->d);
	if (r >= 0)
		r = vg_prefetch_start(vg_decomp_read, j->d, PREFETCH_CHUNK, PREFETCH_CHUNKS, &j->p);
	if (r < 0) {
		job_stop(c, j, NULL);
		return fail(c, r, "layer %u: %s", i,
			    r == -ENOMEM ? "out of memory" : "cannot start decoding");
	}
	return 0;
}

/* Walks layer @i from its job: diff_id digest -> layer walker; then checks both digests. */
static int walk_layer(struct ctx *c, unsigned i, struct layer_job *j, const char *diff_id)
{
	struct vg_image *img = c->img;
	struct hash_reader hd = {};
	char got_blob[VG_DIGEST_STR_MAX] = "", got_diff[VG_DIGEST_STR_MAX] = "";
	char buf[16384];
	int r;

	r = hash_init(&hd, vg_prefetch_read, j->p);
	if (r >= 0) {
		r = vg_layer_walk(&img->fs, hash_read, &hd, c->cb, c->userdata);
		if (r < 0 && img->fs.err[0]) /* already "layer N: ..." */
			(void)fail(c, r, "%s", img->fs.err);
		else if (r < 0)
			(void)fail(c, r, "layer %u: %s", i,
				   r == -E2BIG ? "decompressed size over the limit" : "bad data");
	}
	/* Drain what follows the end-of-archive blocks so both digests cover everything. */
	while (r >= 0) {
		ssize_t k = hash_read(&hd, buf, sizeof(buf));

		if (k == 0)
			break;
		if (k < 0)
			r = fail(c, (int)k, "layer %u: %s", i,
				 k == -E2BIG ? "decompressed size over the limit"
					     : "bad compressed data");
	}
	if (hd.md)
		hash_done(&hd, r >= 0 ? got_diff : NULL);
	job_stop(c, j, r >= 0 ? got_blob : NULL);
	if (r < 0)
		return r;
	if (j->blob_digest && strcmp(j->blob_digest, got_blob) != 0)
		return fail(c, -EBADMSG,
			    "layer %u: blob digest mismatch: manifest says %s, content is %s", i,
			    j->blob_digest, got_blob);
	if (diff_id && strcmp(diff_id, got_diff) != 0)
		return fail(c, -EBADMSG,
			    "layer %u: diff_id mismatch: config says %s, content is %s", i, diff_id,
			    got_diff);
	memcpy(img->diff_ids[i], got_diff, VG_DIGEST_STR_MAX);
	return 0;
}

/* How many layers decode at once: one per CPU (at most 4); compressed archives are read by
 * one sweep, so there the next layer cannot start before this one is done. */
static unsigned layers_ahead(const struct ctx *c)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (c->compressed || n < 2)
		return 1;
	return n > 4 ? 4 : (unsigned)n;
}

/* Applies every layer in order, decoding ahead (see struct layer_job). */
static int walk_layers(struct ctx *c, json_t *layers, json_t *diff_ids)
{
	struct layer_job jobs[4] = {};
	unsigned n = c->img->n_layers, ahead = layers_ahead(c), started = 0;
	int r = 0;

	if (c->compressed && !c->sweep) {
		r = sweep_new(c->fd, &c->sweep);
		if (r < 0)
			return fail(c, r, "cannot read the archive");
	}
	for (unsigned i = 0; i < n && r >= 0; i++) {
		while (r >= 0 && started < n && started < i + ahead) {
			r = job_start(c, &jobs[started % ahead], started, layers);
			started++;
		}
		if (r >= 0)
			r = walk_layer(c, i, &jobs[i % ahead],
				       json_string_value(json_array_get(diff_ids, i)));
	}
	for (unsigned k = 0; k < ahead; k++)
		job_stop(c, &jobs[k], NULL);
	c->sweep = sweep_free(c->sweep);
	return r;
}

/* Config: rootfs.diff_ids must have one entry per layer. */
static int config_diff_ids(struct ctx *c, size_t n_layers, json_t **ret_ids)
{
	json_t *ids = vg_json_path(c->img->config, "rootfs.diff_ids");

	if (!json_is_array(ids))
		return fail(c, -EBADMSG, "config has no rootfs.diff_ids");
	if (json_array_size(ids) != n_layers)
		return fail(c, -EBADMSG, "config lists %zu diff_ids for %zu layers",
			    json_array_size(ids), n_layers);
	for (size_t i = 0; i < n_layers; i++) {
		const char *s = json_string_value(json_array_get(ids, i));

		if (vg_digest_parse(s) < 0)
			return fail(c, -EBADMSG, "config diff_id %zu is not a sha256 digest", i);
	}
	*ret_ids = ids;
	return 0;
}

static int alloc_layers(struct ctx *c, size_t n)
{
	if (n == 0 || n > VG_IMAGE_LAYERS_MAX)
		return fail(c, n ? -E2BIG : -EBADMSG, "image with %zu layers", n);
	c->img->diff_ids = calloc(n, sizeof(*c->img->diff_ids));
	if (!c->img->diff_ids)
		return -ENOMEM;
	c->img->n_layers = (unsigned)n;
	return 0;
}

static int open_docker_archive(struct ctx *c)
{
	struct vg_image *img = c->img;
	cleanup_json json_t *manifest = NULL;
	json_t *entry = NULL, *layers, *ids, *v;
	const char *config;
	size_t i;
	int r;

	r = read_json(c, "manifest.json", NULL, &manifest, NULL);
	if (r < 0)
		return r;
	if (!json_is_array(manifest) || json_array_size(manifest) == 0)
		return fail(c, -EBADMSG, "manifest.json: not a non-empty array");
	/* A tag selects among several images; otherwise the first. */
	json_array_foreach(manifest, i, v)
	{
		json_t *tags = vg_json_get_array(v, "RepoTags"), *t;
		size_t j;

		if (!entry && !c->tag)
			entry = v;
		json_array_foreach(tags, j, t) if (c->tag && json_is_string(t) &&
						   strcmp(json_string_value(t), c->tag) == 0)
			entry = v;
	}
	if (!entry)
		return fail(c, -ENOENT, "no image tagged '%s' in manifest.json", c->tag);
	config = vg_json_get_str(entry, "Config");
	layers = vg_json_get_array(entry, "Layers");
	if (!config || !layers)
		return fail(c, -EBADMSG, "manifest.json: Config or Layers missing");
	v = json_array_get(vg_json_get_array(entry, "RepoTags"), 0);
	if (json_is_string(v) && !(img->ref = strdup(json_string_value(v))))
		return -ENOMEM;
	r = read_json(c, config, NULL, &img->config, img->config_digest);
	if (r < 0)
		return r;
	{ /* legacy name "<hex>.json", newer "blobs/sha256/<hex>": both are the digest */
		const char *b = strrchr(config, '/');
		char want[VG_DIGEST_STR_MAX];

		b = b ? b + 1 : config;
		if (strlen(b) >= 64 && vg_is_hex(b, 64) &&
		    (b[64] == '\0' || !strcmp(b + 64, ".json"))) {
			snprintf(want, sizeof(want), "sha256:%.64s", b);
			if (strcmp(want, img->config_digest) != 0)
				return fail(c, -EBADMSG,
					    "config %s: digest mismatch (content is %s)", config,
					    img->config_digest);
		}
	}
	r = config_diff_ids(c, json_array_size(layers), &ids);
	if (r < 0)
		return r;
	r = alloc_layers(c, json_array_size(layers));
	if (r < 0)
		return r;
	return walk_layers(c, layers, ids);
}

/* Picks the manifest descriptor from an index, following nested indexes. */
static int select_manifest(struct ctx *c, json_t *index, unsigned depth, json_t **ret_manifest)
{
	json_t *mans = vg_json_get_array(index, "manifests"), *d;
	size_t i;
	int r;

	if (depth > VG_IMAGE_INDEX_DEPTH_MAX)
		return fail(c, -E2BIG, "indexes nested deeper than %d", VG_IMAGE_INDEX_DEPTH_MAX);
	if (!mans)
		return fail(c, -EBADMSG, "index without manifests");
	json_array_foreach(mans, i, d)
	{
		const char *mt = vg_json_get_str(d, "mediaType"),
			   *dg = vg_json_get_str(d, "digest");
		const char *ref = json_string_value(
			vg_json_path(d, "annotations")
				? json_object_get(vg_json_get_obj(d, "annotations"), OCI_REF_NAME)
				: NULL);
		json_t *plat = vg_json_get_obj(d, "platform");
		cleanup_json json_t *doc = NULL;

		if (depth == 0 && c->tag && (!ref || strcmp(ref, c->tag) != 0))
			continue;
		if (!c->tag && plat) { /* default platform: linux, the host's architecture */
			const char *os = vg_json_get_str(plat, "os");

			if (os && strcmp(os, "linux") != 0)
				continue;
		}
		if (!dg)
			return fail(c, -EBADMSG, "index entry without digest");
		r = read_json(c, NULL, dg, &doc, NULL);
		if (r < 0)
			return r;
		if (ref && !c->img->ref && !(c->img->ref = strdup(ref)))
			return -ENOMEM;
		if ((mt && (strstr(mt, "image.index") || strstr(mt, "manifest.list"))) ||
		    vg_json_get_array(doc, "manifests")) {
			r = select_manifest(c, doc, depth + 1, ret_manifest);
			if (r == -ENOENT)
				continue;
			return r;
		}
		*ret_manifest = TAKE_PTR(doc);
		return 0;
	}
	return depth == 0 ? fail(c, -ENOENT, c->tag ? "no manifest tagged '%s'" : "no manifest%s",
				 c->tag ?: "")
			  : -ENOENT;
}

static int open_oci(struct ctx *c)
{
	struct vg_image *img = c->img;
	cleanup_json json_t *index = NULL, *manifest = NULL;
	json_t *layers, *ids;
	const char *cfg;
	int r;

	r = read_json(c, "index.json", NULL, &index, NULL);
	if (r < 0)
		return r;
	r = select_manifest(c, index, 0, &manifest);
	if (r < 0)
		return r;
	cfg = json_string_value(vg_json_path(manifest, "config.digest"));
	layers = vg_json_get_array(manifest, "layers");
	if (!cfg || !layers)
		return fail(c, -EBADMSG, "manifest without config or layers");
	r = read_json(c, NULL, cfg, &img->config, img->config_digest);
	if (r < 0)
		return r;
	r = config_diff_ids(c, json_array_size(layers), &ids);
	if (r < 0)
		return r;
	r = alloc_layers(c, json_array_size(layers));
	if (r < 0)
		return r;
	return walk_layers(c, layers, ids);
}

/* Root filesystem directory: one layer; never follows symlinks, stays on one filesystem. */
static int walk_dir(struct ctx *c, struct vg_layer *l, int dfd, dev_t dev, char *path, size_t plen)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int r = 0;

	if (!d) {
		r = -errno;
		close(dfd);
		return fail(c, r, "cannot read directory '/%s': %m", path);
	}
	while ((errno = 0, de = readdir(d))) {
		struct vg_tar_entry e = {};
		cleanup_free char *target = NULL;
		struct member_reader m = {.f.fd = -EBADF};
		struct vg_tar *t = NULL;
		struct stat st;
		size_t nl = strlen(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (plen + 1 + nl > VG_PATH_MAX) {
			c->img->fs.n_dropped++;
			continue;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* vanished */
		if (plen)
			path[plen] = '/';
		memcpy(path + plen + (plen ? 1 : 0), de->d_name, nl + 1);
		e = (struct vg_tar_entry){.path = path,
					  .link = "",
					  .mode = st.st_mode & 07777,
					  .uid = st.st_uid,
					  .gid = st.st_gid,
					  .mtime = st.st_mtime};
		if (S_ISREG(st.st_mode)) {
			e.type = VG_TAR_FILE;
			e.size = (uint64_t)st.st_size;
		} else if (S_ISDIR(st.st_mode))
			e.type = VG_TAR_DIR;
		else if (S_ISLNK(st.st_mode)) {
			e.type = VG_TAR_SYMLINK;
			if (vg_readlink_at(dirfd(d), de->d_name, &target) < 0)
				goto next;
			e.link = target;
		} else if (S_ISCHR(st.st_mode))
			e.type = VG_TAR_CHAR;
		else if (S_ISBLK(st.st_mode))
			e.type = VG_TAR_BLOCK;
		else if (S_ISFIFO(st.st_mode))
			e.type = VG_TAR_FIFO;
		else
			e.type = VG_TAR_OTHER;
		if (e.type == VG_TAR_FILE && c->cb) {
			m.f.fd = openat(dirfd(d), de->d_name,
					O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
			t = m.f.fd >= 0 ? malloc(sizeof(*t)) : NULL;
			if (t) {
				m.f.left = e.size;
				m.f.path = path;
				vg_tar_init(t, fd_read, &m.f);
				t->remaining = e.size;
			}
		}
		r = vg_layer_add(l, &e, t);
		free(t);
		if (m.f.fd >= 0)
			close(m.f.fd);
		if (r < 0)
			break;
		if (e.type == VG_TAR_DIR && st.st_dev == dev) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW);

			if (sub >= 0) {
				r = walk_dir(c, l, sub, dev, path, strlen(path));
				if (r < 0)
					break;
			}
		}
next:
		path[plen] = '\0';
	}
	if (r >= 0 && errno)
		r = fail(c, -errno, "cannot read directory '/%s': %m", path);
	path[plen] = '\0';
	closedir(d);
	return r;
}

static int open_rootfs(struct ctx *c)
{
	struct vg_layer *l = NULL;
	char path[VG_PATH_MAX + 1] = "";
	struct stat st;
	int dfd, r;

	if (fstat(c->fd, &st) < 0)
		return -errno;
	r = alloc_layers(c, 1);
	if (r < 0)
		return r;
	r = vg_layer_begin(&c->img->fs, c->cb, c->userdata, &l);
	if (r < 0)
		return fail(c, r, "%s", c->img->fs.err);
	dfd = fcntl(c->fd, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0) {
		vg_layer_abort(l);
		return -errno;
	}
	r = walk_dir(c, l, dfd, st.st_dev, path, 0);
	if (r < 0) {
		if (!c->err || !c->err[0])
			(void)fail(c, r, "%s", c->img->fs.err);
		vg_layer_abort(l);
		return r;
	}
	r = vg_layer_end(l);
	return r < 0 ? fail(c, r, "%s", c->img->fs.err) : 0;
}

struct vg_image *vg_image_free(struct vg_image *img)
{
	if (!img)
		return NULL;
	vg_fs_done(&img->fs);
	if (img->config)
		json_decref(img->config);
	free(img->diff_ids);
	free(img->ref);
	free(img);
	return NULL;
}

int vg_image_open(const char *target, const struct vg_image_opts *opts, struct vg_image **ret,
		  char *err, size_t errsize)
{
	cleanup(vg_image_freep) struct vg_image *img = calloc(1, sizeof(*img));
	struct ctx c = {.img = img,
			.fd = -EBADF,
			.cb = opts ? opts->cb : NULL,
			.userdata = opts ? opts->userdata : NULL,
			.max_layer_bytes = opts && opts->max_layer_bytes ? opts->max_layer_bytes
									 : VG_LAYER_BYTES_MAX,
			.err = err,
			.errsize = errsize};
	cleanup_free char *path = NULL;
	enum vg_image_kind kind = VG_IMAGE_KIND__MAX;
	struct stat st;
	char *colon;
	int r;

	if (err && errsize)
		err[0] = '\0';
	if (!img)
		return -ENOMEM;
	vg_fs_init(&img->fs);
	vg_vec_init(&c.members, sizeof(struct member), VG_TAR_ENTRIES_MAX);
	if (!strncmp(target, "archive:", 8)) {
		kind = VG_IMAGE_DOCKER_ARCHIVE;
		target += 8;
	} else if (!strncmp(target, "oci-archive:", 12)) {
		kind = VG_IMAGE_OCI_ARCHIVE;
		target += 12;
	} else if (!strncmp(target, "docker:", 7)) {
		kind = VG_IMAGE_DOCKER;
		target += 7;
	} else if (!strncmp(target, "dir:", 4)) {
		kind = VG_IMAGE_ROOTFS;
		target += 4;
	} else if (!strncmp(target, "oci:", 4)) {
		kind = VG_IMAGE_OCI_DIR;
		target += 4;
	}
	path = strdup(target);
	if (!path)
		return -ENOMEM;
	if (kind == VG_IMAGE_DOCKER) {
		r = vg_docker_export(opts ? opts->docker_socket : NULL, target, 0, &c.fd, err,
				     errsize);
		if (r >= 0)
			r = scan_archive(&c);
		if (r >= 0) {
			img->kind = VG_IMAGE_DOCKER;
			c.tag = target; /* the engine may export several tags: pick ours */
			r = open_docker_archive(&c);
			if (r == -ENOENT &&
			    !strchr(target, ':')) { /* "alpine" means "alpine:latest" */
				c.tag = NULL;
				r = open_docker_archive(&c);
			}
		}
		goto out;
	}
	/* "PATH:TAG" when PATH:TAG itself does not exist. */
	colon = strrchr(path, '/');
	colon = strchr(colon ? colon : path, ':'); /* tags may contain ':' ("alpine:3.10") */
	if (colon && colon != path && kind != VG_IMAGE_ROOTFS && stat(path, &st) < 0) {
		*colon = '\0';
		c.tag = target + (colon - path) + 1;
	}
	c.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (c.fd < 0) {
		r = fail(&c, -errno, "cannot open '%s': %m", path);
		goto out;
	}
	if (fstat(c.fd, &st) < 0) {
		r = fail(&c, -errno, "cannot stat '%s': %m", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		if (kind != VG_IMAGE_KIND__MAX && kind != VG_IMAGE_OCI_DIR &&
		    kind != VG_IMAGE_ROOTFS) {
			r = fail(&c, -EISDIR, "'%s' is a directory", path);
			goto out;
		}
		if (kind == VG_IMAGE_KIND__MAX)
			kind = faccessat(c.fd, "index.json", R_OK, 0) == 0 &&
					       faccessat(c.fd, "oci-layout", R_OK, 0) == 0
				       ? VG_IMAGE_OCI_DIR
				       : VG_IMAGE_ROOTFS;
		if (kind == VG_IMAGE_OCI_DIR && faccessat(c.fd, "index.json", R_OK, 0) < 0) {
			r = fail(&c, -EOPNOTSUPP, "'%s' has no index.json (not an OCI layout)",
				 path);
			goto out;
		}
		c.is_dir = true;
	} else {
		if (kind == VG_IMAGE_OCI_DIR || kind == VG_IMAGE_ROOTFS) {
			r = fail(&c, -ENOTDIR, "'%s' is not a directory", path);
			goto out;
		}
		r = scan_archive(&c);
		if (r < 0)
			goto out;
		if (kind == VG_IMAGE_KIND__MAX)
			kind = find_member(&c, "manifest.json") ? VG_IMAGE_DOCKER_ARCHIVE
			       : find_member(&c, "index.json")	? VG_IMAGE_OCI_ARCHIVE
								: VG_IMAGE_KIND__MAX;
		if (kind == VG_IMAGE_KIND__MAX) {
			r = fail(&c, -EOPNOTSUPP, "'%s': no manifest.json or index.json", path);
			goto out;
		}
	}
	img->kind = kind;
	r = kind == VG_IMAGE_DOCKER_ARCHIVE ? open_docker_archive(&c)
	    : kind == VG_IMAGE_ROOTFS	    ? open_rootfs(&c)
					    : open_oci(&c);
out:
	vg_vec_for_each(struct member, m, &c.members) {
		free(m->name);
		free(m->data);
	}
	vg_vec_done(&c.members);
	if (c.fd >= 0)
		close(c.fd);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(img);
	return 0;
}
