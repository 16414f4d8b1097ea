/* SPDX-License-Identifier: Apache-2.0 */
/* Layer walker: whiteouts, path normalisation and the file index (see layer.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "image/layer.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"
#define WH_META	  ".wh..wh." /* other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs) */

/* Whiteout kinds collected during one layer, applied at its end. */
#define WH_PATH	    ((void *)1) /* the path and everything under it */
#define WH_CHILDREN ((void *)2) /* everything under the path, not the path itself */

int vg_image_path_normalize(const char *in, char *buf, size_t size)
{
	size_t len = 0;
	const char *p = in;

	if (size == 0)
		return -ENAMETOOLONG;
	while (*p) {
		const char *s;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 1 && s[0] == '.')
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (len == 0)
				return -EXDEV;
			while (len > 0 && buf[len - 1] != '/')
				len--;
			if (len > 0)
				len--; /* the separator */
			continue;
		}
		if (len + (len ? 1 : 0) + n + 1 > size)
			return -ENAMETOOLONG;
		if (len)
			buf[len++] = '/';
		memcpy(buf + len, s, n);
		len += n;
	}
	buf[len] = '\0';
	return (int)len;
}

void vg_fs_init(struct vg_fs *fs)
{
	memset(fs, 0, sizeof(*fs));
	vg_arena_init(&fs->arena, VG_IMAGE_INDEX_BYTES_MAX);
	vg_hashmap_init(&fs->live, VG_HASHMAP_STRING, VG_IMAGE_FILES_MAX, NULL);
	vg_vec_init(&fs->all, sizeof(struct vg_file *), VG_IMAGE_FILES_MAX);
	vg_vec_init(&fs->whiteouts, sizeof(struct vg_whiteout), VG_IMAGE_FILES_MAX);
}

void vg_fs_done(struct vg_fs *fs)
{
	vg_hashmap_done(&fs->live);
	vg_vec_done(&fs->all);
	vg_vec_done(&fs->whiteouts);
	vg_arena_done(&fs->arena);
}

const struct vg_file *vg_fs_get(const struct vg_fs *fs, const char *path)
{
	return vg_hashmap_get_str(&fs->live, path);
}

static int fs_fail(struct vg_fs *fs, int r, const char *fmt, ...) VG_PRINTF(3, 4);

static int fs_fail(struct vg_fs *fs, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(fs->err, sizeof(fs->err), fmt, ap);
	va_end(ap);
	return r;
}

/* Is @path (or, if @self is false, a proper ancestor only) hidden by @wh? */
static bool hidden_by(const struct vg_hashmap *wh, const char *path)
{
	char buf[VG_PATH_MAX + 1];
	size_t len = strlen(path);
	void *k;

	if (len > VG_PATH_MAX)
		return false;
	if (vg_hashmap_get_str(wh, "")) /* opaque image root */
		return true;
	memcpy(buf, path, len + 1);
	k = vg_hashmap_get_str(wh, buf);
	if (k == WH_PATH)
		return true;
	while (len > 0) {
		while (len > 0 && buf[len - 1] != '/')
			len--;
		if (len == 0)
			break;
		buf[--len] = '\0';
		if (vg_hashmap_get_str(wh, buf))
			return true;
	}
	return false;
}

static int apply_whiteouts(struct vg_fs *fs, struct vg_hashmap *wh, unsigned layer)
{
	struct vg_vec victims = VG_VEC_INIT(struct vg_file *, 0);
	struct vg_hashmap_entry *e;
	int r = 0;

	if (vg_hashmap_size(wh) == 0)
		return 0;
	for (size_t i = 0; vg_hashmap_next(&fs->live, &i, &e);) {
		struct vg_file *f = e->value;

		if (f->layer < layer && hidden_by(wh, f->path)) {
			r = vg_vec_push(&victims, &f);
			if (r < 0)
				break;
		}
	}
	vg_vec_for_each(struct vg_file *, v, &victims) {
		(*v)->deleted_by = (int)layer;
		(void)vg_hashmap_remove_str(&fs->live, (*v)->path);
	}
	vg_vec_done(&victims);
	return r;
}

static int add_whiteout(struct vg_fs *fs, struct vg_hashmap *wh, const char *path, void *kind,
			unsigned layer, bool record)
{
	void *old = vg_hashmap_get_str(wh, path);
	int r;

	if (record) {
		struct vg_whiteout w = {.path = vg_arena_strdup(&fs->arena, path),
					.layer = layer,
					.opaque = kind == WH_CHILDREN};

		if (!w.path)
			return vg_arena_error(&fs->arena);
		r = vg_vec_push(&fs->whiteouts, &w);
		if (r < 0)
			return r;
	}
	if (old == WH_PATH)
		return 0; /* the stronger kind already */
	return vg_hashmap_put_str(wh, path, kind);
}

struct walk {
	struct vg_fs *fs;
	struct vg_tar *t;
	struct vg_hashmap wh; /* path -> WH_PATH / WH_CHILDREN, for this layer */
	unsigned layer;
	vg_layer_file_fn *cb;
	void *userdata;
};

static int add_entry(struct walk *w, const struct vg_tar_entry *te, const char *path)
{
	struct vg_fs *fs = w->fs;
	struct vg_file *f, *old;
	char link[VG_PATH_MAX + 1];
	int r;

	if (te->type == VG_TAR_HARDLINK) {
		r = vg_image_path_normalize(te->link, link, sizeof(link));
		if (r <= 0) { /* escapes the root, or links to the root */
			fs->n_dropped++;
			return 0;
		}
	}
	f = vg_arena_calloc(&fs->arena, 1, sizeof(*f));
	if (!f)
		return fs_fail(fs, vg_arena_error(&fs->arena),
			       "layer %u: file index over %llu bytes", w->layer,
			       (unsigned long long)VG_IMAGE_INDEX_BYTES_MAX);
	f->path = vg_arena_strdup(&fs->arena, path);
	if (te->type == VG_TAR_HARDLINK)
		f->link = vg_arena_strdup(&fs->arena, link);
	else if (te->type == VG_TAR_SYMLINK)
		f->link = vg_arena_strdup(&fs->arena, te->link);
	if (!f->path || ((te->type == VG_TAR_HARDLINK || te->type == VG_TAR_SYMLINK) && !f->link))
		return fs_fail(fs, vg_arena_error(&fs->arena),
			       "layer %u: file index over %llu bytes", w->layer,
			       (unsigned long long)VG_IMAGE_INDEX_BYTES_MAX);
	f->type = te->type;
	f->mode = te->mode;
	f->size = te->size;
	f->uid = te->uid;
	f->gid = te->gid;
	f->mtime = te->mtime;
	f->layer = w->layer;
	f->deleted_by = -1;

	r = vg_vec_push(&fs->all, &f);
	if (r < 0)
		return fs_fail(fs, r, "layer %u: more than %d files in the image", w->layer,
			       VG_IMAGE_FILES_MAX);
	old = vg_hashmap_get_str(&fs->live, path);
	if (old) {
		/* Replaced (upper layer, or a duplicate entry in the same tar: the last wins). A
		 * directory replaced by a non-directory takes its lower children with it. */
		old->deleted_by = (int)w->layer;
		fs->n_replaced++;
		if (old->type == VG_TAR_DIR && f->type != VG_TAR_DIR) {
			r = add_whiteout(fs, &w->wh, f->path, WH_CHILDREN, w->layer, false);
			if (r < 0)
				return fs_fail(fs, r, "layer %u: too many whiteouts", w->layer);
		}
	}
	/* Key borrowed from the arena record: put replaces the old key with ours. */
	if (old)
		(void)vg_hashmap_remove_str(&fs->live, path);
	r = vg_hashmap_put_str(&fs->live, f->path, f);
	if (r < 0)
		return fs_fail(fs, r, "layer %u: more than %d files in the image", w->layer,
			       VG_IMAGE_FILES_MAX);
	if (f->type == VG_TAR_FILE && w->cb && w->t) {
		r = w->cb(w->userdata, f, w->t);
		if (r < 0)
			return fs_fail(fs, r, "layer %u: analyzer failed on '%s'", w->layer,
				       f->path);
	}
	return 0;
}

static int handle(struct walk *w, const struct vg_tar_entry *te)
{
	struct vg_fs *fs = w->fs;
	char path[VG_PATH_MAX + 1], target[VG_PATH_MAX + 1];
	const char *base;
	int r;

	r = vg_image_path_normalize(te->path, path, sizeof(path));
	if (r == -EXDEV || r == -ENAMETOOLONG) {
		fs->n_dropped++;
		return 0;
	}
	if (r < 0)
		return r;
	if (r == 0)
		return 0; /* the root directory itself */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return add_entry(w, te, path);

	/* Whiteouts never appear in the index. */
	if (strcmp(base, WH_OPAQUE) == 0) {
		fs->n_opaque++;
		/* At the image root: hide every lower entry (key ""). */
		if (base == path)
			path[0] = '\0';
		else
			path[base - path - 1] = '\0';
		r = add_whiteout(fs, &w->wh, path, WH_CHILDREN, w->layer, true);
	} else if (strncmp(base, WH_META, strlen(WH_META)) == 0) {
		return 0; /* AUFS bookkeeping */
	} else {
		const char *name = base + strlen(WH_PREFIX);

		if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			fs->n_dropped++;
			return 0;
		}
		fs->n_whiteouts++;
		memcpy(target, path, (size_t)(base - path));
		strcpy(target + (base - path), name); /* shorter than path: fits */
		r = add_whiteout(fs, &w->wh, target, WH_PATH, w->layer, true);
	}
	if (r < 0)
		return fs_fail(fs, r, "layer %u: too many whiteouts", w->layer);
	return 0;
}

int vg_layer_begin(struct vg_fs *fs, vg_layer_file_fn *cb, void *userdata, struct vg_layer **ret)
{
	struct walk *w;

	if (fs->n_layers >= VG_IMAGE_LAYERS_MAX)
		return fs_fail(fs, -E2BIG, "more than %d layers", VG_IMAGE_LAYERS_MAX);
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct walk){.fs = fs, .cb = cb, .userdata = userdata, .layer = fs->n_layers};
	vg_hashmap_init(&w->wh, VG_HASHMAP_STRING_COPY, VG_IMAGE_FILES_MAX, NULL);
	*ret = (struct vg_layer *)w;
	return 0;
}

int vg_layer_add(struct vg_layer *l, const struct vg_tar_entry *e, struct vg_tar *content)
{
	struct walk *w = (struct walk *)l;

	w->t = content;
	w->fs->n_entries++;
	return handle(w, e);
}

void vg_layer_abort(struct vg_layer *l)
{
	struct walk *w = (struct walk *)l;

	if (!w)
		return;
	vg_hashmap_done(&w->wh);
	free(w);
}

int vg_layer_end(struct vg_layer *l)
{
	struct walk *w = (struct walk *)l;
	struct vg_fs *fs = w->fs;
	int r;

	r = apply_whiteouts(fs, &w->wh, w->layer);
	if (r < 0)
		(void)fs_fail(fs, r, "layer %u: applying whiteouts failed", w->layer);
	else
		r = (int)fs->n_layers++;
	vg_layer_abort(l);
	return r;
}

int vg_layer_walk(struct vg_fs *fs, vg_read_fn *read, void *ctx, vg_layer_file_fn *cb,
		  void *userdata)
{
	struct vg_tar *t = malloc(sizeof(*t));
	const struct vg_tar_entry *te;
	struct vg_layer *l = NULL;
	int r;

	if (!t)
		return -ENOMEM;
	r = vg_layer_begin(fs, cb, userdata, &l);
	if (r < 0) {
		free(t);
		return r;
	}
	vg_tar_init(t, read, ctx);
	while ((r = vg_tar_next(t, &te)) > 0) {
		r = vg_layer_add(l, te, t);
		if (r < 0)
			break;
	}
	if (r < 0 && t->error)
		(void)fs_fail(fs, r, "layer %u: %s", fs->n_layers, vg_tar_error(t));
	if (r < 0)
		vg_layer_abort(l);
	else
		r = vg_layer_end(l);
	free(t);
	return r;
}

int vg_fs_resolve(const struct vg_fs *fs, const char *path, const struct vg_file **ret)
{
	/* rest: components still to walk; cur: resolved prefix (normalised, no symlinks). */
	char rest[2 * VG_PATH_MAX + 2], cur[VG_PATH_MAX + 1];
	size_t curlen = 0;
	unsigned hops = 0;
	const struct vg_file *f;

	if (strlen(path) > VG_PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(rest, path);
	cur[0] = '\0';
	for (;;) {
		char *p = rest, *s;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 1 && s[0] == '.') {
			memmove(rest, p, strlen(p) + 1);
			continue;
		}
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (curlen > 0 && cur[curlen - 1] != '/')
				curlen--;
			if (curlen > 0)
				curlen--;
			cur[curlen] = '\0';
			memmove(rest, p, strlen(p) + 1);
			continue;
		}
		if (curlen + 1 + n > VG_PATH_MAX)
			return -ENAMETOOLONG;
		size_t save = curlen;

		if (curlen)
			cur[curlen++] = '/';
		memcpy(cur + curlen, s, n);
		curlen += n;
		cur[curlen] = '\0';
		memmove(rest, p, strlen(p) + 1);

		f = vg_fs_get(fs, cur);
		if (f && f->type == VG_TAR_SYMLINK) {
			size_t tl = strlen(f->link), rl = strlen(rest);

			if (++hops > VG_SYMLINK_HOPS_MAX)
				return -ELOOP;
			if (tl + 1 + rl + 1 > sizeof(rest))
				return -ENAMETOOLONG;
			memmove(rest + tl + 1, rest, rl + 1);
			memcpy(rest, f->link, tl);
			rest[tl] = '/';
			curlen = f->link[0] == '/' ? 0 : save;
			cur[curlen] = '\0';
		}
	}
	f = vg_fs_get(fs, cur);
	while (f && f->type == VG_TAR_HARDLINK) {
		if (++hops > VG_SYMLINK_HOPS_MAX)
			return -ELOOP;
		f = vg_fs_get(fs, f->link);
	}
	if (!f)
		return -ENOENT;
	*ret = f;
	return 0;
}
