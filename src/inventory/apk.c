/* SPDX-License-Identifier: Apache-2.0 */
/* apk installed database parser. */
#include <errno.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/apk.h"

struct record {
	const char *start;
	size_t fields;
	bool any;
	struct vg_package pkg;
	const char *dir; /* last F:, in the arena; NULL = root */
	size_t dir_len;
};

static bool is_hblank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int finish(struct record *rec, bool want_files, struct vg_vec *files, struct vg_arena *a,
		  struct vg_vec *list)
{
	struct vg_package *pkg;
	int r;

	if (!rec->any || !rec->pkg.name)
		return 0; /* a record without P: is not a package */
	r = vg_vec_push(list, &rec->pkg);
	if (r < 0)
		return r;
	pkg = vg_vec_at(list, list->len - 1);
	if (!pkg->source_name)
		pkg->source_name = pkg->name; /* o: absent: its own origin */
	if (want_files && files->len > 0) {
		pkg->files = vg_arena_memdup(a, files->data, files->len * sizeof(const char *));
		if (!pkg->files)
			return vg_arena_error(a) ?: -ENOMEM;
		pkg->n_files = files->len;
	}
	return 1;
}

static int add_file(struct record *rec, const char *v, size_t n, struct vg_arena *a,
		    struct vg_vec *files, size_t *total)
{
	size_t len = 1 + rec->dir_len + (rec->dir_len ? 1 : 0) + n;
	char *path, *p;

	if (len >= VG_PATH_MAX)
		return -E2BIG;
	if (++*total > VG_INV_FILES_MAX)
		return -E2BIG;
	path = p = vg_arena_alloc(a, len + 1);
	if (!path)
		return vg_arena_error(a) ?: -ENOMEM;
	*p++ = '/';
	if (rec->dir_len) {
		memcpy(p, rec->dir, rec->dir_len);
		p += rec->dir_len;
		*p++ = '/';
	}
	memcpy(p, v, n);
	p[n] = '\0';
	return vg_vec_push(files, &path);
}

int vg_apk_installed_parse(const char *buf, size_t len, bool want_files, const char *found_in,
			   int layer, struct vg_arena *a, struct vg_vec *list,
			   unsigned *reterr_line)
{
	struct vg_vec files = VG_VEC_INIT(const char *, VG_INV_FILES_MAX);
	const char *end = buf + len, *line, *eol, *found = NULL;
	struct record rec = {0};
	size_t total_files = 0;
	unsigned lineno = 0;
	int added = 0, r = 0;

	if (len > VG_INV_DB_MAX)
		return -E2BIG;
	if (found_in) {
		found = vg_arena_strdup(a, found_in);
		if (!found)
			return vg_arena_error(a) ?: -ENOMEM;
	}
	for (line = buf; line < end; line = eol + 1) {
		const char *v;
		size_t n;
		char **dst = NULL;

		lineno++;
		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		n = (size_t)(eol - line);
		while (n > 0 && is_hblank(line[n - 1]))
			n--;
		if (n == 0) {
			r = finish(&rec, want_files, &files, a, list);
			if (r < 0)
				goto out;
			added += r;
			memset(&rec, 0, sizeof(rec));
			vg_vec_clear(&files);
			continue;
		}
		if (!rec.any) {
			rec.start = line;
			rec.pkg.ecosystem = VG_ECOSYSTEM_APK;
			rec.pkg.layer = layer;
			rec.pkg.found_in = found;
		}
		rec.any = true;
		if ((size_t)(eol - rec.start) > VG_INV_STANZA_MAX) {
			r = -E2BIG;
			goto out;
		}
		if (n < 2 || line[1] != ':' || memchr(line, '\0', n)) {
			if (reterr_line)
				*reterr_line = lineno;
			r = -EBADMSG;
			goto out;
		}
		v = line + 2;
		n -= 2;
		switch (line[0]) {
		case 'F':
			rec.dir = vg_arena_strndup(a, v, n);
			rec.dir_len = n;
			if (!rec.dir) {
				r = vg_arena_error(a) ?: -ENOMEM;
				goto out;
			}
			continue;
		case 'R':
			if (!want_files)
				continue;
			r = add_file(&rec, v, n, a, &files, &total_files);
			if (r < 0)
				goto out;
			continue;
		case 'a':
		case 'M':
		case 'Z':
			continue; /* per-file/dir attributes */
		default:
			break;
		}
		if (++rec.fields > VG_INV_FIELDS_MAX) {
			r = -E2BIG;
			goto out;
		}
		switch (line[0]) {
		case 'P':
			dst = (char **)&rec.pkg.name;
			break;
		case 'V':
			dst = (char **)&rec.pkg.version;
			break;
		case 'A':
			dst = (char **)&rec.pkg.arch;
			break;
		case 'o':
			dst = (char **)&rec.pkg.source_name;
			break;
		case 'm':
			dst = (char **)&rec.pkg.origin;
			break;
		case 'L':
			dst = (char **)&rec.pkg.license;
			break;
		default:
			break;
		}
		if (!dst || n == 0)
			continue;
		*dst = vg_arena_strndup(a, v, n);
		if (!*dst) {
			r = vg_arena_error(a) ?: -ENOMEM;
			goto out;
		}
	}
	r = finish(&rec, want_files, &files, a, list);
	if (r < 0)
		goto out;
	added += r;
	r = added;
out:
	vg_vec_done(&files);
	return r;
}
