/* SPDX-License-Identifier: Apache-2.0 */
/* dpkg status, status.d and info/<pkg>.list parsers. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/dpkg.h"

struct span {
	const char *p;
	size_t n;
};

struct stanza {
	struct span package, status, version, arch, source, maintainer;
	size_t fields;
	const char *start;
	bool any;
};

static bool is_hblank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static struct span trim(const char *p, const char *end)
{
	while (p < end && is_hblank(*p))
		p++;
	while (end > p && is_hblank(end[-1]))
		end--;
	return (struct span){p, (size_t)(end - p)};
}

static bool span_eq(struct span s, const char *word)
{
	return s.n == strlen(word) && memcmp(s.p, word, s.n) == 0;
}

static bool span_has_nul(struct span s)
{
	return s.n > 0 && memchr(s.p, '\0', s.n) != NULL;
}

/* "<want> ok installed" with want install, hold or deinstall. */
static bool status_installed(struct span s)
{
	const char *p = s.p, *end = s.p + s.n;
	struct span w[3];
	int n = 0;

	while (p < end && n < 3) {
		const char *q;

		while (p < end && is_hblank(*p))
			p++;
		q = p;
		while (q < end && !is_hblank(*q))
			q++;
		if (q == p)
			break;
		w[n++] = (struct span){p, (size_t)(q - p)};
		p = q;
	}
	while (p < end && is_hblank(*p))
		p++;
	if (n != 3 || p != end)
		return false;
	return (span_eq(w[0], "install") || span_eq(w[0], "hold") || span_eq(w[0], "deinstall")) &&
	       span_eq(w[1], "ok") && span_eq(w[2], "installed");
}

static const char *dup_span(struct vg_arena *a, struct span s)
{
	return vg_arena_strndup(a, s.p, s.n);
}

static int emit(const struct stanza *st, unsigned flags, const char *found_in, int layer,
		struct vg_arena *a, struct vg_vec *list)
{
	struct vg_package *pkg;
	struct span src = st->source;
	int r;

	if (!st->package.n || span_has_nul(st->package))
		return 0;
	if (st->status.p) {
		if (!status_installed(st->status))
			return 0;
	} else if (!(flags & VG_DPKG_STATUS_OPTIONAL)) {
		return 0;
	}
	r = vg_vec_push_zero(list, (void **)&pkg);
	if (r < 0)
		return r;
	pkg->ecosystem = VG_ECOSYSTEM_DEB;
	pkg->layer = layer;
	pkg->name = dup_span(a, st->package);
	pkg->version = st->version.n ? dup_span(a, st->version) : NULL;
	pkg->arch = st->arch.n ? dup_span(a, st->arch) : NULL;
	pkg->origin = st->maintainer.n ? dup_span(a, st->maintainer) : NULL;
	pkg->found_in = found_in ? vg_arena_strdup(a, found_in) : NULL;
	if (src.n) {
		/* "glibc (2.36-9+deb12u4)" */
		const char *open = memchr(src.p, '(', src.n);

		if (open) {
			const char *close = memchr(open, ')', (size_t)(src.p + src.n - open));
			struct span v = trim(open + 1, close ? close : src.p + src.n);

			if (v.n)
				pkg->source_version = dup_span(a, v);
			src = trim(src.p, open);
		}
	}
	pkg->source_name = src.n ? dup_span(a, src) : pkg->name;
	if (vg_arena_error(a) || !pkg->name) {
		list->len--;
		return vg_arena_error(a) ?: -ENOMEM;
	}
	return 1;
}

#define FIELD_IS(name, len, lit) ((len) == strlen(lit) && strncasecmp((name), (lit), (len)) == 0)

int vg_dpkg_status_parse(const char *buf, size_t len, unsigned flags, const char *found_in,
			 int layer, struct vg_arena *a, struct vg_vec *list, unsigned *reterr_line)
{
	const char *end = buf + len, *line, *eol;
	struct stanza st = {0};
	unsigned lineno = 0;
	int added = 0, r;

	if (len > VG_INV_DB_MAX)
		return -E2BIG;
	for (line = buf; line < end; line = eol + 1) {
		const char *colon;
		struct span t;

		lineno++;
		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		t = trim(line, eol);
		if (t.n == 0) {
			/* blank line (or end of buffer): the stanza ends */
			if (st.any) {
				r = emit(&st, flags, found_in, layer, a, list);
				if (r < 0)
					return r;
				added += r;
			}
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (!st.any)
			st.start = line;
		st.any = true;
		if ((size_t)(eol - st.start) > VG_INV_STANZA_MAX)
			return -E2BIG;
		if (is_hblank(*line))
			continue; /* continuation of a multi-line field (Description, Conffiles) */
		if (++st.fields > VG_INV_FIELDS_MAX)
			return -E2BIG;
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon || colon == line) {
			if (reterr_line)
				*reterr_line = lineno;
			return -EBADMSG;
		}
		size_t nlen = (size_t)(colon - line);
		struct span v = trim(colon + 1, eol);

		if (FIELD_IS(line, nlen, "Package"))
			st.package = v;
		else if (FIELD_IS(line, nlen, "Status"))
			st.status = v;
		else if (FIELD_IS(line, nlen, "Version"))
			st.version = v;
		else if (FIELD_IS(line, nlen, "Architecture"))
			st.arch = v;
		else if (FIELD_IS(line, nlen, "Source"))
			st.source = v;
		else if (FIELD_IS(line, nlen, "Maintainer"))
			st.maintainer = v;
	}
	if (st.any) {
		r = emit(&st, flags, found_in, layer, a, list);
		if (r < 0)
			return r;
		added += r;
	}
	return added;
}

static bool is_md5_line(struct span s)
{
	return s.n > 34 && vg_is_hex(s.p, 32) && s.p[32] == ' ' && s.p[33] == ' ';
}

int vg_dpkg_files_parse(const char *buf, size_t len, struct vg_arena *a, const char ***ret_files,
			size_t *ret_n)
{
	const char *end = buf + len, *line, *eol;
	const char **files;
	size_t n = 0, i = 0;

	if (len > VG_INV_DB_MAX)
		return -E2BIG;
	for (const char *p = buf; p < end; p++)
		if (*p == '\n')
			n++;
	n++; /* a last line without newline */
	if (n > VG_INV_FILES_MAX)
		return -E2BIG;
	files = vg_arena_calloc(a, n, sizeof(*files));
	if (!files)
		return vg_arena_error(a) ?: -ENOMEM;
	for (line = buf; line < end; line = eol + 1) {
		struct span s;
		char *path;

		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		s = trim(line, eol);
		if (is_md5_line(s)) {
			s.p += 34;
			s.n -= 34;
		}
		while (s.n > 0 && *s.p == '/') {
			s.p++;
			s.n--;
		}
		if (s.n == 0 || (s.n == 1 && s.p[0] == '.'))
			continue; /* "/." heads every .list */
		if (s.n + 1 >= VG_PATH_MAX)
			return -E2BIG;
		if (span_has_nul(s))
			continue;
		path = vg_arena_alloc(a, s.n + 2);
		if (!path)
			return vg_arena_error(a) ?: -ENOMEM;
		path[0] = '/';
		memcpy(path + 1, s.p, s.n);
		path[s.n + 1] = '\0';
		files[i++] = path;
	}
	*ret_files = i ? files : NULL;
	*ret_n = i;
	return 0;
}

int vg_dpkg_files_attach(struct vg_vec *list, const char *file_name, const char **files,
			 size_t n_files)
{
	char name[VG_PATH_MAX];
	const char *base = strrchr(file_name, '/'), *arch = NULL;
	char *dot, *colon;
	size_t n;

	base = base ? base + 1 : file_name;
	n = strlen(base);
	if (n == 0 || n >= sizeof(name))
		return -EINVAL;
	memcpy(name, base, n + 1);
	dot = vg_endswith(name, ".list");
	if (!dot)
		dot = vg_endswith(name, ".md5sums");
	if (!dot || dot == name)
		return -EINVAL;
	*dot = '\0';
	colon = strchr(name, ':');
	if (colon) {
		*colon = '\0';
		arch = colon + 1;
		if (!*arch || colon == name)
			return -EINVAL;
	}
	vg_vec_for_each(struct vg_package, p, list) {
		if (p->ecosystem != VG_ECOSYSTEM_DEB || !vg_streq(p->name, name))
			continue;
		if (arch && p->arch && !vg_streq(p->arch, arch))
			continue;
		p->files = files;
		p->n_files = n_files;
		return 1;
	}
	return 0;
}
