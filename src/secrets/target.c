/* SPDX-License-Identifier: Apache-2.0 */
/* A scan target through the layer walker, plus the image config (see target.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "image/layer.h"
#include "image/source.h"
#include "secrets/target.h"
#include "shared/json.h"

static const char *const origin_names[VG_SECRET_ORIGIN__MAX] = {
	[VG_SECRET_IN_FILE] = "file",
	[VG_SECRET_IN_ENV] = "env",
	[VG_SECRET_IN_LABEL] = "label",
	[VG_SECRET_IN_HISTORY] = "history",
};

const char *vg_secret_origin_name(enum vg_secret_origin o)
{
	return (unsigned)o < VG_SECRET_ORIGIN__MAX ? origin_names[o] : "unknown";
}

void vg_secret_report_init(struct vg_secret_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	vg_arena_init(&rep->arena, VG_SECRET_REPORT_BYTES_MAX);
	vg_vec_init(&rep->findings, sizeof(struct vg_secret_finding), VG_SECRET_FINDINGS_MAX);
}

void vg_secret_report_done(struct vg_secret_report *rep)
{
	vg_vec_done(&rep->findings);
	vg_arena_done(&rep->arena);
}

struct walk_ctx {
	struct vg_secret_report *rep;
	struct vg_secret_scanner *sc;
	uint64_t max_size;
	bool binaries;
	char *buf; /* reused for every file */
	size_t cap;
	/* the file or config string being scanned */
	const struct vg_file *file;
	enum vg_secret_origin origin;
	const char *path;
	int layer;
	uint64_t skipped_binary, skipped_path; /* files skipped before the scanner saw them */
};

static int add_finding(void *userdata, const struct vg_secret_match *m)
{
	struct walk_ctx *c = userdata;
	struct vg_secret_report *rep = c->rep;
	struct vg_secret_finding *f;
	int r;

	r = vg_vec_push_zero(&rep->findings, (void **)&f);
	if (r == -E2BIG) {
		rep->truncated++;
		return 0;
	}
	if (r < 0)
		return r;
	f->rule = m->rule;
	f->origin = c->origin;
	f->path = vg_arena_strdup(&rep->arena, c->path);
	f->line = m->line;
	f->column = m->column;
	f->layer = c->layer;
	f->deleted_by = -1;
	f->secret = vg_arena_strndup(&rep->arena, m->secret, m->length);
	f->secret_len = m->length;
	vg_secret_mask(m->secret, m->length, f->masked, sizeof(f->masked));
	f->file = c->file;
	return vg_arena_error(&rep->arena);
}

static int grow(struct walk_ctx *c, size_t n)
{
	char *p;

	if (n <= c->cap)
		return 0;
	p = realloc(c->buf, n);
	if (!p)
		return -ENOMEM;
	c->buf = p;
	c->cap = n;
	return 0;
}

static int read_some(struct vg_tar *t, char *buf, size_t want, size_t *done)
{
	while (*done < want) {
		ssize_t k = vg_tar_read(t, buf + *done, want - *done);

		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		*done += (size_t)k;
	}
	return 0;
}

static int on_file(void *userdata, const struct vg_file *f, struct vg_tar *t)
{
	struct walk_ctx *c = userdata;
	struct vg_secret_report *rep = c->rep;
	size_t n = 0, sniff;
	int r;

	rep->files++;
	if (f->size == 0)
		return 0;
	if (f->size > c->max_size) {
		rep->skipped_large++;
		return 0;
	}
	if (vg_secret_path_allowed(c->sc, f->path)) {
		c->skipped_path++;
		return 0;
	}
	r = grow(c, (size_t)f->size);
	if (r < 0)
		return r;
	/* sniff first: a binary is not read further */
	sniff = (size_t)VG_MIN(f->size, (uint64_t)VG_SECRET_SNIFF_BYTES);
	r = read_some(t, c->buf, sniff, &n);
	if (r < 0)
		return r;
	if (!c->binaries && vg_secret_is_binary(c->buf, n)) {
		c->skipped_binary++;
		return 0;
	}
	if (n == sniff) {
		r = read_some(t, c->buf, (size_t)f->size, &n);
		if (r < 0)
			return r;
	}
	c->file = f;
	c->origin = VG_SECRET_IN_FILE;
	c->path = f->path;
	c->layer = (int)f->layer;
	r = vg_secret_scan_buffer(c->sc, f->path, c->buf, n, add_finding, c);
	c->file = NULL;
	return r < 0 ? r : 0;
}

static int scan_string(struct walk_ctx *c, enum vg_secret_origin origin, const char *path,
		       int layer, const char *s, size_t len)
{
	int r;

	if (len > VG_SECRET_CONFIG_STRING_MAX)
		len = VG_SECRET_CONFIG_STRING_MAX;
	c->file = NULL;
	c->origin = origin;
	c->path = path;
	c->layer = layer;
	/* config strings are text: no binary sniffing, no path filters */
	r = vg_secret_scan_buffer(c->sc, NULL, s, len, add_finding, c);
	return r < 0 ? r : 0;
}

static int scan_config(struct walk_ctx *c, json_t *config)
{
	json_t *env = vg_json_path(config, "config.Env");
	json_t *labels = vg_json_path(config, "config.Labels");
	json_t *history = vg_json_get_array(config, "history");
	char path[VG_PATH_MAX];
	size_t i;
	json_t *v;
	const char *key;
	int layer = 0, r;

	if (json_is_array(env))
		json_array_foreach(env, i, v)
		{
			if (!json_is_string(v))
				continue;
			snprintf(path, sizeof(path), "config.Env[%zu]", i);
			r = scan_string(c, VG_SECRET_IN_ENV, path, -1, json_string_value(v),
					json_string_length(v));
			if (r < 0)
				return r;
		}
	if (json_is_object(labels))
		json_object_foreach(labels, key, v)
		{
			cleanup_free char *kv = NULL;
			const char *val = json_is_string(v) ? json_string_value(v) : "";

			if (asprintf(&kv, "%s=%s", key, val) < 0)
				return -ENOMEM;
			snprintf(path, sizeof(path), "config.Labels[%.200s]", key);
			r = scan_string(c, VG_SECRET_IN_LABEL, path, -1, kv, strlen(kv));
			if (r < 0)
				return r;
		}
	if (json_is_array(history))
		json_array_foreach(history, i, v)
		{
			const char *cb = vg_json_get_str(v, "created_by");
			bool empty = false;
			int this_layer;

			if (vg_json_get_bool(v, "empty_layer", &empty) < 0)
				empty = false;
			this_layer = empty ? -1 : layer++;
			if (!cb)
				continue;
			snprintf(path, sizeof(path), "history[%zu].created_by", i);
			r = scan_string(c, VG_SECRET_IN_HISTORY, path, this_layer, cb, strlen(cb));
			if (r < 0)
				return r;
		}
	return 0;
}

int vg_secret_scan_config(struct vg_secret_report *rep, struct vg_secret_scanner *sc,
			  json_t *config)
{
	struct walk_ctx c = {.rep = rep, .sc = sc};

	return scan_config(&c, config);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct vg_secret_finding *a = x, *b = y;
	int r;

	if ((a->origin == VG_SECRET_IN_FILE) != (b->origin == VG_SECRET_IN_FILE))
		return a->origin == VG_SECRET_IN_FILE ? 1 : -1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	if ((r = strcmp(a->path, b->path)) != 0)
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return strcmp(a->rule->id, b->rule->id);
}

void vg_secret_report_sort(struct vg_secret_report *rep)
{
	vg_vec_sort(&rep->findings, cmp_finding);
}

int vg_secret_scan_target(struct vg_secret_report *rep, const struct vg_secret_ruleset *rs,
			  const struct vg_secret_scan_opts *opts, const char *target, char *err,
			  size_t errsize)
{
	cleanup(vg_secret_scanner_freep) struct vg_secret_scanner *sc = NULL;
	struct walk_ctx c = {.rep = rep};
	struct vg_image_opts io = {.cb = on_file, .userdata = &c};
	struct vg_image *img = NULL;
	int r;

	if (err && errsize)
		err[0] = '\0';
	c.max_size =
		opts && opts->max_file_size ? opts->max_file_size : VG_SECRET_FILE_SIZE_DEFAULT;
	if (c.max_size > VG_SECRET_FILE_SIZE_MAX) {
		snprintf(err, errsize, "file size limit above %llu bytes",
			 (unsigned long long)VG_SECRET_FILE_SIZE_MAX);
		return -EINVAL;
	}
	c.binaries = opts && opts->scan_binaries;
	io.docker_socket = opts ? opts->docker_socket : NULL;
	r = vg_secret_scanner_new(rs, &sc);
	if (r < 0) {
		snprintf(err, errsize, "%s",
			 r == -ENOMEM ? "out of memory" : "the rule set is not compiled");
		return r;
	}
	vg_secret_scanner_set_binaries(sc, c.binaries);
	c.sc = sc;
	rep->n_rules = vg_secret_ruleset_count(rs);

	r = vg_image_open(target, &io, &img, err, errsize);
	free(c.buf);
	if (r < 0)
		goto out;
	/* only now do we know which file versions later layers deleted */
	vg_vec_for_each(struct vg_secret_finding, f, &rep->findings) {
		if (!f->file)
			continue;
		f->deleted_by = f->file->deleted_by;
		f->file = NULL;
		if (img->kind == VG_IMAGE_ROOTFS)
			f->layer = -1;
		else if (f->layer >= 0 && (unsigned)f->layer < img->n_layers && img->diff_ids)
			f->diff_id = vg_arena_strdup(&rep->arena, img->diff_ids[f->layer]);
	}
	if (img->config) {
		r = scan_config(&c, img->config);
		if (r < 0) {
			snprintf(err, errsize, "scanning the image config: %s", strerror(-r));
			goto out;
		}
	}
	vg_secret_report_sort(rep);
	rep->target = vg_arena_strdup(&rep->arena, target);
	rep->name = vg_arena_strdup(&rep->arena, img->ref ? img->ref : target);
	rep->kind = vg_image_kind_name(img->kind);
	snprintf(rep->image_id, sizeof(rep->image_id), "%s", img->config_digest);
	rep->n_layers = img->n_layers;
	rep->stats = *vg_secret_scanner_stats(sc);
	/* files skipped before they reached the scanner */
	rep->stats.skipped_binary += c.skipped_binary;
	rep->stats.skipped_path += c.skipped_path;
	r = vg_arena_error(&rep->arena);
	if (r < 0)
		snprintf(err, errsize, "out of memory");
out:
	vg_image_free(img);
	return r;
}
