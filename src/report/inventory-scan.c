/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The glue between the layer walker (src/image) and the inventory parsers (src/inventory):
 * one walk, every file vg_inv_classify() selects read (bounded by VG_INV_DB_MAX, release
 * files by VG_INV_OS_FILE_MAX, Java archives by VG_INV_JAVA_ARCHIVE_MAX) and parsed. A path
 * parsed again in an upper layer replaces the packages of its lower version; packages whose
 * database is no longer visible at the end (deleted by a whiteout) are dropped, so the list
 * is the one of the final view.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/hashmap.h"
#include "basic/limits.h"
#include "basic/log.h"
#include "image/layer.h"
#include "image/source.h"
#include "inventory/analyzer.h"
#include "inventory/apk.h"
#include "inventory/dpkg.h"
#include "inventory/go.h"
#include "inventory/java.h"
#include "inventory/lang.h"
#include "inventory/os-release.h"
#include "inventory/package.h"
#include "inventory/rpm.h"
#include "inventory/rust.h"
#include "report/sbom.h"

/* Release files, latest version wins (index by enum vg_inv_file). */
struct os_file {
	char *buf;
	size_t len;
};

struct scan_ctx {
	struct vg_sbom *s;
	struct os_file os[VG_INV_FILE__MAX];
	bool has_dpkg_status, has_dpkg_status_d;
	struct vg_hashmap parsed; /* database paths parsed so far (to drop a lower version) */
	const struct vg_sbom_hook *hook; /* another analyzer sharing the walk, or NULL */
};

void vg_sbom_init(struct vg_sbom *s)
{
	memset(s, 0, sizeof(*s));
	vg_arena_init(&s->arena, 0);
	vg_package_list_init(&s->packages);
}

void vg_sbom_done(struct vg_sbom *s)
{
	vg_vec_done(&s->packages);
	vg_arena_done(&s->arena);
}

static int read_all(struct vg_tar *t, uint64_t size, uint64_t max, char **ret, size_t *ret_len)
{
	char *buf;
	size_t n = 0;

	if (size > max)
		return -E2BIG;
	buf = malloc(size + 1);
	if (!buf)
		return -ENOMEM;
	while (n < size) {
		ssize_t k = vg_tar_read(t, buf + n, size - n);

		if (k < 0) {
			free(buf);
			return (int)k;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*ret = buf;
	*ret_len = n;
	return 0;
}

/*
 * @found_in names @path itself, or an archive nested in it: Java archives report
 * "<path>!/<entry>[!/<entry>...]" (inventory/java.h).
 */
static bool found_in_path(const char *found_in, const char *path)
{
	size_t n = strlen(path);

	return found_in && strncmp(found_in, path, n) == 0 &&
	       (found_in[n] == '\0' || (found_in[n] == '!' && found_in[n + 1] == '/'));
}

/* Drops the packages an earlier version of @path contributed. */
static void drop_path(struct vg_vec *list, const char *path)
{
	for (size_t i = list->len; i > 0; i--) {
		const struct vg_package *p = vg_vec_at(list, i - 1);

		if (found_in_path(p->found_in, path))
			vg_vec_remove(list, i - 1);
	}
}

/*
 * The image file a package was found in: @found_in itself, else the longest prefix before a
 * "!/" (nested Java archives) that is a visible file.
 */
static const struct vg_file *found_in_file(const struct vg_fs *fs, const char *found_in)
{
	char path[VG_PATH_MAX];
	const struct vg_file *f = vg_fs_get(fs, found_in);
	size_t n = strlen(found_in);

	if (f || n >= sizeof(path))
		return f;
	memcpy(path, found_in, n + 1);
	while (n > 0) {
		char *bang = memrchr(path, '!', n);

		if (!bang)
			break;
		n = (size_t)(bang - path);
		if (bang[1] != '/')
			continue;
		*bang = '\0';
		f = vg_fs_get(fs, path);
		if (f)
			return f;
	}
	return NULL;
}

static bool is_os_file(enum vg_inv_file k)
{
	switch (k) {
	case VG_INV_FILE_OS_RELEASE:
	case VG_INV_FILE_USR_OS_RELEASE:
	case VG_INV_FILE_ALPINE_RELEASE:
	case VG_INV_FILE_DEBIAN_VERSION:
	case VG_INV_FILE_REDHAT_RELEASE:
	case VG_INV_FILE_SYSTEM_RELEASE:
	case VG_INV_FILE_LSB_RELEASE:
	case VG_INV_FILE_APK_REPOSITORIES:
		return true;
	default:
		return false;
	}
}

/* How much of a file of kind @k is read. */
static uint64_t read_max(enum vg_inv_file k)
{
	if (is_os_file(k))
		return VG_INV_OS_FILE_MAX;
	if (k == VG_INV_FILE_JAVA_ARCHIVE)
		return VG_INV_JAVA_ARCHIVE_MAX;
	return VG_INV_DB_MAX;
}

static int parse_db(struct scan_ctx *c, enum vg_inv_file k, const struct vg_file *f, char *buf,
		    size_t len)
{
	struct vg_sbom *s = c->s;
	struct vg_vec *list = &s->packages;
	struct vg_arena *a = &s->arena;
	int layer = (int)f->layer;
	const char *p = f->path;

	switch (k) {
	case VG_INV_FILE_DPKG_STATUS:
		return vg_dpkg_status_parse(buf, len, 0, p, layer, a, list, NULL);
	case VG_INV_FILE_DPKG_STATUS_D:
		return vg_dpkg_status_parse(buf, len, VG_DPKG_STATUS_OPTIONAL, p, layer, a, list,
					    NULL);
	case VG_INV_FILE_APK_INSTALLED:
		return vg_apk_installed_parse(buf, len, false, p, layer, a, list, NULL);
	case VG_INV_FILE_RPM_BDB:
		return vg_rpm_bdb_parse((const uint8_t *)buf, len, false, p, layer, a, list);
	case VG_INV_FILE_RPM_NDB:
		return vg_rpm_ndb_parse((const uint8_t *)buf, len, false, p, layer, a, list);
	case VG_INV_FILE_RPM_SQLITE:
		return vg_rpm_sqlite_parse(buf, len, false, p, layer, a, list);
	case VG_INV_FILE_NPM_PACKAGE:
		return vg_npm_package_json_parse(buf, len, p, layer, a, list);
	case VG_INV_FILE_PYTHON_METADATA:
		return vg_python_metadata_parse(buf, len, p, layer, a, list);
	case VG_INV_FILE_COMPOSER:
		return vg_composer_installed_parse(buf, len, p, layer, a, list);
	case VG_INV_FILE_GEMSPEC:
		return vg_gemspec_parse(buf, len, p, layer, a, list);
	case VG_INV_FILE_JAVA_ARCHIVE:
		return vg_java_archive_parse(buf, len, p, layer, a, list);
	case VG_INV_FILE_EXECUTABLE: {
		int r = vg_go_buildinfo_parse(buf, len, p, layer, a, list, NULL);

		if (r != -ENOENT && r != -EOPNOTSUPP)
			return r;
		/* Not a Go binary (or a non-ELF pre-1.18 one): a Rust one? */
		r = vg_rust_audit_parse(buf, len, p, layer, a, list);
		return r == -ENOENT ? 0 : r;
	}
	default:
		return 0;
	}
}

/* Whether the inventory reads this file (its class, or VG_INV_FILE_NONE). */
static enum vg_inv_file wanted(const struct vg_file *f)
{
	enum vg_inv_file k = vg_inv_classify(f->path, (f->mode & 0111) != 0);

	if (k == VG_INV_FILE_DPKG_FILES) /* installed files: not part of the SBOM */
		return VG_INV_FILE_NONE;
	/* Go buildinfo sits in an ELF section: skip scripts and tiny files. */
	if (k == VG_INV_FILE_EXECUTABLE && f->size < 1024)
		return VG_INV_FILE_NONE;
	return k;
}

static int on_file(void *userdata, const struct vg_file *f, struct vg_tar *t)
{
	struct scan_ctx *c = userdata;
	enum vg_inv_file k = wanted(f);
	char *buf = NULL;
	size_t len = 0;
	int r;

	switch (k) {
	case VG_INV_FILE_NONE:
		return 0;
	case VG_INV_FILE_DPKG_STATUS:
		c->has_dpkg_status = true;
		break;
	case VG_INV_FILE_DPKG_STATUS_D:
		c->has_dpkg_status_d = true;
		break;
	default:
		break;
	}

	r = read_all(t, f->size, read_max(k), &buf, &len);
	if (r == -E2BIG) {
		if (k != VG_INV_FILE_EXECUTABLE)
			log_warning("%s: %s, skipped (too large)", f->path,
				    vg_inv_file_to_string(k));
		return 0;
	}
	if (r < 0)
		return r;
	if (k == VG_INV_FILE_EXECUTABLE && (len < 4 || memcmp(buf, "\177ELF", 4) != 0)) {
		free(buf);
		return 0;
	}

	if (is_os_file(k)) {
		free(c->os[k].buf);
		c->os[k].buf = buf;
		c->os[k].len = len;
		return 0;
	}

	if (vg_hashmap_get_str(&c->parsed, f->path))
		drop_path(&c->s->packages, f->path);
	else {
		r = vg_hashmap_put_str(&c->parsed, f->path, c);
		if (r < 0) {
			free(buf);
			return r;
		}
	}
	r = parse_db(c, k, f, buf, len);
	free(buf);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		log_warning_errno(r, "%s (layer %u): cannot parse %s: %m, skipped", f->path,
				  f->layer, vg_inv_file_to_string(k));
		drop_path(&c->s->packages, f->path);
		c->s->n_parse_errors++;
	}
	return 0;
}

struct mem_reader {
	const char *p;
	size_t len, pos;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem_reader *m = ctx;
	size_t k = VG_MIN(n, m->len - m->pos);

	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

/* A file's content, already in memory, as the walker would hand it over. */
static void mem_tar(struct vg_tar *t, struct mem_reader *m, const char *p, size_t len)
{
	*m = (struct mem_reader){.p = p, .len = len};
	vg_tar_init(t, mem_read, m);
	t->remaining = len;
}

/* The walk shared with a hook: each file goes to whoever wants it; when both do, its content
 * is read once into memory and each gets its own reader over it. */
static int on_file_shared(void *userdata, const struct vg_file *f, struct vg_tar *t)
{
	struct scan_ctx *c = userdata;
	const struct vg_sbom_hook *h = c->hook;
	enum vg_inv_file k = wanted(f);
	bool mine = k != VG_INV_FILE_NONE, theirs = h->wants(h->userdata, f);
	struct vg_tar mt;
	struct mem_reader m;
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (!theirs)
		return mine ? on_file(c, f, t) : 0;
	if (!mine)
		return h->file(h->userdata, f, t);
	/* Larger than the inventory reads: it skips the file (as on_file() would), the hook
	 * takes it. */
	if (f->size > read_max(k)) {
		if (k != VG_INV_FILE_EXECUTABLE)
			log_warning("%s: %s, skipped (too large)", f->path,
				    vg_inv_file_to_string(k));
		return h->file(h->userdata, f, t);
	}
	r = read_all(t, f->size, read_max(k), &buf, &len);
	if (r < 0)
		return r;
	mem_tar(&mt, &m, buf, len);
	r = on_file(c, f, &mt);
	if (r >= 0) {
		mem_tar(&mt, &m, buf, len);
		r = h->file(h->userdata, f, &mt);
	}
	free(buf);
	return r;
}

static void detect_os(struct scan_ctx *c)
{
	struct vg_os_files files = {
		.etc_os_release = c->os[VG_INV_FILE_OS_RELEASE].buf,
		.etc_os_release_len = c->os[VG_INV_FILE_OS_RELEASE].len,
		.usr_lib_os_release = c->os[VG_INV_FILE_USR_OS_RELEASE].buf,
		.usr_lib_os_release_len = c->os[VG_INV_FILE_USR_OS_RELEASE].len,
		.alpine_release = c->os[VG_INV_FILE_ALPINE_RELEASE].buf,
		.alpine_release_len = c->os[VG_INV_FILE_ALPINE_RELEASE].len,
		.debian_version = c->os[VG_INV_FILE_DEBIAN_VERSION].buf,
		.debian_version_len = c->os[VG_INV_FILE_DEBIAN_VERSION].len,
		.redhat_release = c->os[VG_INV_FILE_REDHAT_RELEASE].buf,
		.redhat_release_len = c->os[VG_INV_FILE_REDHAT_RELEASE].len,
		.system_release = c->os[VG_INV_FILE_SYSTEM_RELEASE].buf,
		.system_release_len = c->os[VG_INV_FILE_SYSTEM_RELEASE].len,
		.lsb_release = c->os[VG_INV_FILE_LSB_RELEASE].buf,
		.lsb_release_len = c->os[VG_INV_FILE_LSB_RELEASE].len,
		.apk_repositories = c->os[VG_INV_FILE_APK_REPOSITORIES].buf,
		.apk_repositories_len = c->os[VG_INV_FILE_APK_REPOSITORIES].len,
		.has_dpkg_status_d = c->has_dpkg_status_d,
		.has_dpkg_status = c->has_dpkg_status,
	};
	int r = vg_os_detect(&files, &c->s->os);

	c->s->has_os = r > 0;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct vg_package *a = x, *b = y;
	int r;

	if (a->ecosystem != b->ecosystem)
		return a->ecosystem < b->ecosystem ? -1 : 1;
	if ((r = cmp_str(a->name, b->name)) != 0)
		return r;
	if ((r = cmp_str(a->version, b->version)) != 0)
		return r;
	if ((r = cmp_str(a->arch, b->arch)) != 0)
		return r;
	if ((r = cmp_str(a->found_in, b->found_in)) != 0)
		return r;
	return a->layer < b->layer ? -1 : a->layer > b->layer;
}

void vg_sbom_sort(struct vg_sbom *s)
{
	vg_vec_sort(&s->packages, cmp_pkg);
}

int vg_sbom_scan(struct vg_sbom *s, const char *target, const char *docker_socket, char *err,
		 size_t errsize)
{
	return vg_sbom_scan_with(s, target, docker_socket, NULL, err, errsize);
}

int vg_sbom_scan_with(struct vg_sbom *s, const char *target, const char *docker_socket,
		      const struct vg_sbom_hook *hook, char *err, size_t errsize)
{
	struct scan_ctx c = {.s = s, .hook = hook};
	struct vg_image_opts opts = {.cb = hook ? on_file_shared : on_file,
				     .userdata = &c,
				     .docker_socket = docker_socket};
	struct vg_image *img = NULL;
	int r;

	vg_hashmap_init(&c.parsed, VG_HASHMAP_STRING_COPY, VG_IMAGE_FILES_MAX, NULL);
	r = vg_image_open(target, &opts, &img, err, errsize);
	if (hook) {
		int q = hook->finish(hook->userdata, img, r);

		if (r >= 0 && q < 0)
			r = q;
	}
	if (r < 0)
		goto out;

	/* The final view: a database deleted (or replaced by a non-file) later is gone. */
	for (size_t i = s->packages.len; i > 0; i--) {
		const struct vg_package *p = vg_vec_at(&s->packages, i - 1);
		const struct vg_file *f = p->found_in ? found_in_file(&img->fs, p->found_in) : NULL;

		if (!f || (int)f->layer != p->layer)
			vg_vec_remove(&s->packages, i - 1);
	}

	detect_os(&c);
	vg_vec_for_each(struct vg_package, p, &s->packages) {
		r = vg_package_set_purl(p, s->has_os ? &s->os : NULL, &s->arena);
		if (r < 0) {
			snprintf(err, errsize, "%s: cannot build the package URL of '%s': %s",
				 p->found_in ? p->found_in : "?", p->name ? p->name : "?",
				 strerror(-r));
			goto out;
		}
	}
	vg_sbom_sort(s);

	s->target = vg_arena_strdup(&s->arena, target);
	s->name = vg_arena_strdup(&s->arena, img->ref ? img->ref : target);
	s->kind = vg_image_kind_name(img->kind);
	snprintf(s->image_id, sizeof(s->image_id), "%s", img->config_digest);
	s->n_layers = img->n_layers;
	s->created = (int64_t)time(NULL);
	r = vg_arena_error(&s->arena);
	if (r < 0)
		snprintf(err, errsize, "out of memory");
out:
	for (size_t i = 0; i < VG_ARRAY_SIZE(c.os); i++)
		free(c.os[i].buf);
	vg_hashmap_done(&c.parsed);
	vg_image_free(img);
	return r;
}
