/* SPDX-License-Identifier: Apache-2.0 */
/* Java archives: pom.properties, MANIFEST.MF, file names, nested archives. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basic/limits.h"
#include "basic/strbuf.h"
#include "basic/string-util.h"
#include "inventory/java.h"
#include "shared/zip.h"

static const char *const archive_ext[] = {".jar", ".war", ".ear", ".par", ".jpi", ".hpi", ".kar"};

bool vg_java_is_archive_name(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < VG_ARRAY_SIZE(archive_ext); i++)
		if (n > 4 && name[n - 5] != '/' && strcasecmp(name + n - 4, archive_ext[i]) == 0)
			return true;
	return false;
}

/* Length of the valid UTF-8 sequence at @p (at most @n bytes), 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t k;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* An arena copy of [s, s+n) with invalid UTF-8 bytes and control characters as '?'. */
static char *clean_strndup(struct vg_arena *a, const char *s, size_t n)
{
	char *d = vg_arena_strndup(a, s, n);

	if (!d)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)d[i];
		size_t k = utf8_seq((const unsigned char *)d + i, n - i);

		if (k == 0 || c < 0x20 || c == 0x7f) {
			d[i++] = '?';
			continue;
		}
		i += k;
	}
	return d;
}

struct ctx {
	struct vg_arena *a;
	struct vg_vec *list;
	int layer;
	unsigned archives; /* nested archives opened */
	uint64_t inflated; /* bytes inflated for nested archives */
	int added;
	int fatal; /* -ENOMEM or -E2BIG (package cap): stops everything */
};

static int add(struct ctx *c, const char *group, const char *artifact, const char *version,
	       const char *origin, const char *found_in)
{
	struct vg_package p = {.ecosystem = VG_ECOSYSTEM_MAVEN, .layer = c->layer};
	struct vg_arena *a = c->a;
	int r;

	if (vg_isempty(artifact) || vg_isempty(version))
		return 0;
	/* a package URL escapes each byte to at most 3: keep it within VG_INV_PURL_MAX */
	if (3 * (strlen(artifact) + strlen(version) + (group ? strlen(group) : 0)) + 64 >
	    VG_INV_PURL_MAX)
		return 0;
	if (!vg_isempty(group)) {
		size_t gn = strlen(group), an = strlen(artifact);
		char *name = vg_arena_alloc(a, gn + an + 2);

		if (!name)
			return (c->fatal = vg_arena_error(a) ?: -ENOMEM);
		memcpy(name, group, gn);
		name[gn] = ':';
		memcpy(name + gn + 1, artifact, an + 1);
		p.name = name;
	} else
		p.name = artifact;
	p.version = version;
	p.origin = origin;
	p.found_in = found_in;
	r = vg_vec_push(c->list, &p);
	if (r < 0)
		return (c->fatal = r);
	c->added++;
	return 1;
}

int vg_java_pom_properties_parse(const char *buf, size_t len, struct vg_arena *a,
				 const char **ret_group, const char **ret_artifact,
				 const char **ret_version)
{
	const char *end = buf + len;
	static const char *const keys[] = {"groupId", "artifactId", "version"};
	const char **rets[] = {ret_group, ret_artifact, ret_version};

	*ret_group = *ret_artifact = *ret_version = NULL;
	if (len > VG_INV_JAVA_META_MAX)
		return -E2BIG;
	for (const char *line = buf, *eol; line < end; line = eol + 1) {
		const char *k, *ke, *v, *ve;

		eol = line;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		k = line;
		while (k < eol && (*k == ' ' || *k == '\t' || *k == '\f'))
			k++;
		if (k == eol || *k == '#' || *k == '!')
			continue;
		ke = k;
		while (ke < eol && *ke != '=' && *ke != ':' && *ke != ' ' && *ke != '\t')
			ke++;
		v = ke;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		if (v < eol && (*v == '=' || *v == ':'))
			v++;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		ve = eol;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		for (size_t i = 0; i < VG_ARRAY_SIZE(keys); i++) {
			if ((size_t)(ke - k) != strlen(keys[i]) || memcmp(k, keys[i], ke - k) != 0)
				continue;
			*rets[i] = clean_strndup(a, v, (size_t)(ve - v));
			if (!*rets[i])
				return vg_arena_error(a) ?: -ENOMEM;
		}
	}
	return 0;
}

const char *vg_java_manifest_get(const char *buf, size_t len, const char *key, struct vg_arena *a)
{
	const char *end = buf + len, *line = buf;
	size_t kn = strlen(key);

	while (line < end) {
		const char *eol = line;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		if (eol == line)
			return NULL; /* end of the main section */
		if (*line != ' ' && (size_t)(eol - line) > kn && line[kn] == ':' &&
		    strncasecmp(line, key, kn) == 0) {
			struct vg_strbuf sb;
			const char *v = line + kn + 1, *res;
			int r;

			vg_strbuf_init(&sb, VG_INV_JAVA_META_MAX);
			if (v < eol && *v == ' ')
				v++;
			r = vg_strbuf_append(&sb, v, (size_t)(eol - v));
			/* continuation lines: a single leading space, the rest appended */
			for (;;) {
				const char *n = eol;

				if (n < end && *n == '\r')
					n++;
				if (n < end && *n == '\n')
					n++;
				if (n >= end || *n != ' ')
					break;
				line = n + 1;
				eol = line;
				while (eol < end && *eol != '\n' && *eol != '\r')
					eol++;
				if (r >= 0)
					r = vg_strbuf_append(&sb, line, (size_t)(eol - line));
			}
			res = r >= 0 ? clean_strndup(a, sb.buf ? sb.buf : "", sb.len) : NULL;
			vg_strbuf_done(&sb);
			while (res && *res == ' ')
				res++;
			return res;
		}
		line = eol;
		if (line < end && *line == '\r')
			line++;
		if (line < end && *line == '\n')
			line++;
	}
	return NULL;
}

/* "META-INF/maven/<g>/<a>/pom.properties": the group and artifact components. */
static bool pom_path(const char *name, const char **g, size_t *gn, const char **art, size_t *an)
{
	const char *r = vg_startswith(name, "META-INF/maven/"), *s1, *s2;

	if (!r)
		return false;
	s1 = strchr(r, '/');
	if (!s1 || s1 == r)
		return false;
	s2 = strchr(s1 + 1, '/');
	if (!s2 || s2 == s1 + 1 || strcmp(s2, "/pom.properties") != 0)
		return false;
	*g = r, *gn = (size_t)(s1 - r);
	*art = s1 + 1, *an = (size_t)(s2 - s1 - 1);
	return true;
}

static const char *first_of(const char *mf, size_t n, struct vg_arena *a, const char *const *keys,
			    size_t nkeys)
{
	for (size_t i = 0; i < nkeys; i++) {
		const char *v = vg_java_manifest_get(mf, n, keys[i], a);

		if (!vg_isempty(v))
			return v;
	}
	return NULL;
}

/* MANIFEST.MF main section, then the file name. */
static int fallback(struct ctx *c, const char *mf, size_t mfn, const char *fname,
		    const char *found_in)
{
	static const char *const name_keys[] = {"Implementation-Title", "Bundle-SymbolicName",
						"Specification-Title"};
	static const char *const version_keys[] = {"Implementation-Version", "Bundle-Version",
						   "Specification-Version"};
	static const char *const vendor_keys[] = {"Implementation-Vendor", "Bundle-Vendor",
						  "Specification-Vendor"};
	static const char *const group_keys[] = {"Implementation-Vendor-Id"};
	const char *name = NULL, *version = NULL, *origin = NULL, *group = NULL;
	struct vg_arena *a = c->a;

	if (mf) {
		name = first_of(mf, mfn, a, name_keys, 3);
		version = first_of(mf, mfn, a, version_keys, 3);
		origin = first_of(mf, mfn, a, vendor_keys, 3);
		group = first_of(mf, mfn, a, group_keys, 1);
		if (name && strchr(name, ';')) /* "org.x.y;singleton:=true" */
			name = vg_arena_strndup(a, name, strcspn(name, ";"));
	}
	if (fname && (!name || !version)) {
		size_t n = strlen(fname), cut;
		const char *dash = NULL;

		if (vg_java_is_archive_name(fname))
			n -= 4;
		cut = n;
		for (size_t i = 0; i + 1 < n; i++)
			if (fname[i] == '-' && fname[i + 1] >= '0' && fname[i + 1] <= '9') {
				dash = fname + i;
				cut = i;
				break;
			}
		if (!name && cut > 0)
			name = clean_strndup(a, fname, cut);
		if (!version && dash)
			version = clean_strndup(a, dash + 1, n - cut - 1);
	}
	if (vg_arena_error(a))
		return (c->fatal = vg_arena_error(a));
	return add(c, group, name, version, origin, found_in);
}

static int parse_archive(struct ctx *c, const uint8_t *buf, size_t len, const char *path,
			 const char *fname, int depth)
{
	struct vg_zip z;
	struct vg_zip_iter it;
	struct vg_zip_entry e, mf_entry;
	bool have_pom = false, have_mf = false;
	char *mf = NULL;
	size_t mfn = 0;
	int r;

	r = vg_zip_open(&z, buf, len);
	if (r < 0)
		return r;
	vg_zip_iter_init(&z, &it);
	while ((r = vg_zip_next(&z, &it, &e)) != 0 && !c->fatal) {
		const char *g, *art;
		size_t gn, an;

		if (r == -ENAMETOOLONG)
			continue;
		if (r < 0)
			break;
		if (e.is_dir || strlen(e.name) != e.name_len)
			continue;
		if (pom_path(e.name, &g, &gn, &art, &an)) {
			const char *pg, *pa, *pv;
			char *props;
			size_t n;

			if (vg_zip_read_alloc(&z, &e, VG_INV_JAVA_META_MAX, &props, &n) < 0)
				continue;
			r = vg_java_pom_properties_parse(props, n, c->a, &pg, &pa, &pv);
			free(props);
			if (r == -ENOMEM)
				return (c->fatal = r);
			if (r < 0)
				continue;
			if (vg_isempty(pg))
				pg = clean_strndup(c->a, g, gn);
			if (vg_isempty(pa))
				pa = clean_strndup(c->a, art, an);
			if (vg_arena_error(c->a))
				return (c->fatal = vg_arena_error(c->a));
			if (add(c, pg, pa, pv, NULL, path) > 0)
				have_pom = true;
		} else if (!have_mf && strcasecmp(e.name, "META-INF/MANIFEST.MF") == 0) {
			mf_entry = e;
			have_mf = true;
		} else if (vg_java_is_archive_name(e.name) && depth < VG_ZIP_NESTING_MAX &&
			   c->archives < VG_INV_JAVA_ARCHIVES_MAX) {
			bool stored = e.method == VG_ZIP_METHOD_STORED;
			const uint8_t *data;
			const char *base = strrchr(e.name, '/');
			size_t n, pn = strlen(path);
			void *owned;
			char *child, *clean;

			if (!stored && e.size > VG_INV_JAVA_INFLATE_MAX - c->inflated)
				continue;
			if (pn + 2 + e.name_len >= VG_PATH_MAX)
				continue; /* found_in must stay an image path's length */
			c->archives++;
			r = vg_zip_read_view(&z, &e, stored ? len : VG_INV_JAVA_NESTED_MAX, &data,
					     &n, &owned);
			if (r == -ENOMEM)
				return (c->fatal = r);
			if (r < 0)
				continue;
			if (owned)
				c->inflated += n;
			clean = clean_strndup(c->a, e.name, e.name_len);
			child = clean ? vg_arena_alloc(c->a, pn + 2 + e.name_len + 1) : NULL;
			if (!child) {
				free(owned);
				return (c->fatal = vg_arena_error(c->a) ?: -ENOMEM);
			}
			memcpy(child, path, pn);
			memcpy(child + pn, "!/", 2);
			memcpy(child + pn + 2, clean, e.name_len + 1);
			base = base ? base + 1 : e.name;
			(void)parse_archive(c, data, n, child, child + pn + 2 + (base - e.name),
					    depth + 1);
			free(owned);
		}
	}
	if (c->fatal)
		return c->fatal;
	if (have_pom)
		return 0;
	if (have_mf && vg_zip_read_alloc(&z, &mf_entry, VG_INV_JAVA_META_MAX, &mf, &mfn) < 0)
		mf = NULL;
	r = fallback(c, mf, mfn, fname, path);
	free(mf);
	return r < 0 ? r : 0;
}

int vg_java_archive_parse(const void *buf, size_t len, const char *found_in, int layer,
			  struct vg_arena *a, struct vg_vec *list)
{
	struct ctx c = {.a = a, .list = list, .layer = layer};
	const char *path = found_in ? vg_arena_strdup(a, found_in) : "";
	const char *fname = NULL;
	int r;

	if (!path)
		return vg_arena_error(a) ?: -ENOMEM;
	if (found_in) {
		fname = strrchr(path, '/');
		fname = fname ? fname + 1 : path;
	}
	r = parse_archive(&c, buf, len, path, fname, 0);
	if (r < 0)
		return r;
	return c.added;
}
