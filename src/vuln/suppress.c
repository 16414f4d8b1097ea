/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "shared/json.h"
#include "vuln/db.h"
#include "vuln/suppress.h"

void vg_vuln_suppressions_init(struct vg_vuln_suppressions *s)
{
	*s = (struct vg_vuln_suppressions){};
	vg_arena_init(&s->arena, 0);
	vg_vec_init(&s->items, sizeof(struct vg_suppression), VG_SUPPRESS_ENTRIES_MAX);
}

void vg_vuln_suppressions_done(struct vg_vuln_suppressions *s)
{
	vg_vec_done(&s->items);
	vg_arena_done(&s->arena);
}

static int set_err(char *err, size_t errsize, const char *file, unsigned line, const char *msg)
{
	if (err && errsize) {
		if (line)
			snprintf(err, errsize, "%s:%u: %s", file, line, msg);
		else
			snprintf(err, errsize, "%s: %s", file, msg);
	}
	return -EBADMSG;
}

/* "YYYY-MM-DD" (end of that day, UTC) or a full ISO 8601 time. */
static int parse_expiry(const char *s, time_t *ret)
{
	char buf[32];

	if (strlen(s) == 10) {
		snprintf(buf, sizeof(buf), "%sT23:59:59Z", s);
		s = buf;
	}
	return vg_vuln_parse_iso8601(s, ret);
}

/* Splits the next token off @p: bare word or key="quoted value"; returns NULL at the end. */
static char *next_token(char **p, bool *bad)
{
	char *s = *p, *start, *out;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return NULL;
	start = out = s;
	while (*s && *s != ' ' && *s != '\t') {
		if (*s == '"') { /* a quoted part: may hold spaces and \" */
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				*out++ = *s++;
			}
			if (*s != '"') {
				*bad = true;
				return NULL;
			}
			s++;
			continue;
		}
		*out++ = *s++;
	}
	if (*s)
		s++;
	*out = '\0';
	*p = s;
	return start;
}

static bool valid_id(const char *id)
{
	if (!*id || strlen(id) > 128)
		return false;
	for (const char *c = id; *c; c++)
		if (!(*c == '-' || *c == '_' || *c == '.' || *c == ':' ||
		      (*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= 'a' && *c <= 'z')))
			return false;
	return true;
}

static int parse_ignore_line(struct vg_vuln_suppressions *s, char *line, const char *file,
			     unsigned lineno, const char *afile, char *err, size_t errsize)
{
	struct vg_suppression e = {.kind = VG_SUPPRESS_IGNORE, .file = afile, .line = lineno};
	bool bad = false;
	char *p = line, *tok;

	tok = next_token(&p, &bad);
	if (!tok)
		return bad ? set_err(err, errsize, file, lineno, "unterminated quote") : 0;
	if (!valid_id(tok))
		return set_err(err, errsize, file, lineno,
			       "expected a vulnerability id (CVE-..., GHSA-..., GO-...)");
	if (!(e.id = vg_arena_strdup(&s->arena, tok)))
		return -ENOMEM;
	while ((tok = next_token(&p, &bad))) {
		const char *v = strpbrk(tok, "=:");
		size_t klen = v ? (size_t)(v - tok) : 0;
		const char **slot = NULL;

		if (!v || !v[1])
			return set_err(err, errsize, file, lineno,
				       "expected key=value (pkg=, path=, exp=, reason=)");
		v++;
		if (klen == 3 && !strncmp(tok, "pkg", 3))
			slot = &e.pkg;
		else if (klen == 4 && !strncmp(tok, "path", 4))
			slot = &e.path;
		else if (klen == 6 && !strncmp(tok, "reason", 6))
			slot = &e.reason;
		else if (klen == 3 && !strncmp(tok, "exp", 3)) {
			if (parse_expiry(v, &e.expires) < 0)
				return set_err(err, errsize, file, lineno,
					       "exp= wants a date, YYYY-MM-DD");
			continue;
		} else
			return set_err(err, errsize, file, lineno,
				       "unknown key (pkg=, path=, exp=, reason=)");
		if (*slot)
			return set_err(err, errsize, file, lineno, "key given twice");
		if (!(*slot = vg_arena_strdup(&s->arena, v)))
			return -ENOMEM;
	}
	if (bad)
		return set_err(err, errsize, file, lineno, "unterminated quote");
	return vg_vec_push(&s->items, &e) < 0 ? -E2BIG : 1;
}

int vg_vuln_ignore_load(struct vg_vuln_suppressions *s, const char *path, time_t now, char *err,
			size_t errsize)
{
	cleanup_free char *buf = NULL;
	const char *afile;
	unsigned lineno = 0;
	size_t len;
	int r, n = 0;

	r = vg_read_file(path, VG_SUPPRESS_FILE_MAX, &buf, &len);
	if (r < 0) {
		if (err && errsize)
			snprintf(err, errsize, "%s: %s", path,
				 r == -E2BIG ? "larger than the ignore file limit" : strerror(-r));
		return r;
	}
	if (memchr(buf, '\0', len))
		return set_err(err, errsize, path, 0, "binary data (NUL byte)");
	afile = vg_arena_strdup(&s->arena, path);
	if (!afile)
		return -ENOMEM;
	for (char *line = buf, *eol; line && *line; line = eol) {
		eol = strchr(line, '\n');
		if (eol)
			*eol++ = '\0';
		lineno++;
		if (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		r = parse_ignore_line(s, line, path, lineno, afile, err, errsize);
		if (r == -E2BIG && err && errsize)
			snprintf(err, errsize, "%s:%u: more than %d suppressions", path, lineno,
				 VG_SUPPRESS_ENTRIES_MAX);
		if (r < 0)
			return r;
		if (r > 0) {
			const struct vg_suppression *e = vg_vec_at(&s->items, s->items.len - 1);

			if (e->expires && e->expires < now)
				s->n_expired++;
			n++;
		}
	}
	return n;
}

/* OpenVEX. */

static const char *vex_id(json_t *v)
{
	/* "vulnerability": "CVE-..." (v0.0.x) or {"name": "CVE-...", "aliases": [...]} */
	if (json_is_string(v))
		return json_string_value(v);
	return vg_json_get_str(v, "name") ?: vg_json_get_str(v, "@id");
}

static int strv_add(struct vg_arena *a, json_t *arr, const char ***ret, size_t *n)
{
	size_t cap = json_array_size(arr), i;
	json_t *x;

	if (cap == 0)
		return 0;
	if (cap > VG_SUPPRESS_ENTRIES_MAX)
		return -E2BIG;
	*ret = vg_arena_alloc(a, cap * sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	json_array_foreach(arr, i, x)
	{
		const char *id =
			json_is_string(x) ? json_string_value(x) : vg_json_get_str(x, "@id");

		if (!id)
			continue;
		if (!((*ret)[(*n)++] = vg_arena_strdup(a, id)))
			return -ENOMEM;
	}
	return 0;
}

static int64_t vex_time(const char *s)
{
	time_t t;

	return s && vg_vuln_parse_iso8601(s, &t) >= 0 ? (int64_t)t : 0;
}

int vg_vuln_openvex_load(struct vg_vuln_suppressions *s, const char *path, char *err,
			 size_t errsize)
{
	cleanup_json json_t *doc = NULL;
	char jerr[160];
	const char *ctx, *afile;
	json_t *stmts, *st;
	int64_t doc_time;
	size_t i;
	int r, n = 0;

	r = vg_json_parse_file(path, &doc, jerr, sizeof(jerr));
	if (r < 0) {
		if (err && errsize)
			snprintf(err, errsize, "%s: %s", path,
				 r == -ENOENT ? "no such file"
				 : jerr[0]    ? jerr
					      : strerror(-r));
		return r;
	}
	ctx = vg_json_get_str(doc, "@context");
	stmts = vg_json_get_array(doc, "statements");
	if (!ctx || !strstr(ctx, "openvex") || !stmts)
		return set_err(err, errsize, path, 0,
			       "not an OpenVEX document (@context and statements expected)");
	afile = vg_arena_strdup(&s->arena, path);
	if (!afile)
		return -ENOMEM;
	doc_time = vex_time(vg_json_get_str(doc, "timestamp"));
	json_array_foreach(stmts, i, st)
	{
		struct vg_suppression e = {.kind = VG_SUPPRESS_VEX, .file = afile};
		json_t *vuln = json_object_get(st, "vulnerability");
		const char *id = vex_id(vuln), *status = vg_json_get_str(st, "status");
		json_t *prods = vg_json_get_array(st, "products"), *p;
		size_t j;

		if (!id || !status)
			return set_err(err, errsize, path, 0,
				       "a statement without vulnerability name or status");
		if (strcmp(status, "not_affected") && strcmp(status, "fixed") &&
		    strcmp(status, "affected") && strcmp(status, "under_investigation"))
			return set_err(err, errsize, path, 0, "a statement with an unknown status");
		e.id = vg_arena_strdup(&s->arena, id);
		e.status = vg_arena_strdup(&s->arena, status);
		if (!e.id || !e.status)
			return -ENOMEM;
		if (vg_json_get_str(st, "justification") &&
		    !(e.justification =
			      vg_arena_strdup(&s->arena, vg_json_get_str(st, "justification"))))
			return -ENOMEM;
		{
			const char *why = vg_json_get_str(st, "impact_statement")
						  ?: vg_json_get_str(st, "status_notes");

			if (why && !(e.reason = vg_arena_strdup(&s->arena, why)))
				return -ENOMEM;
		}
		e.timestamp = vex_time(vg_json_get_str(st, "timestamp")) ?: doc_time;
		e.order = s->items.len;
		/* v0.2: products [{"@id", "subcomponents": [{"@id"}]}]; v0.0: ["purl"] */
		r = strv_add(&s->arena, prods, &e.products, &e.n_products);
		if (r < 0)
			return r;
		json_array_foreach(prods, j, p)
		{
			json_t *subs = vg_json_get_array(p, "subcomponents");
			const char **more = NULL;
			size_t m = 0;

			if (!subs)
				continue;
			r = strv_add(&s->arena, subs, &more, &m);
			if (r < 0)
				return r;
			if (m && !e.subcomponents) {
				e.subcomponents = more;
				e.n_subcomponents = m;
			} else if (m) { /* several products with subcomponents: concatenate */
				const char **all = vg_arena_alloc(
					&s->arena, (e.n_subcomponents + m) * sizeof(char *));

				if (!all)
					return -ENOMEM;
				memcpy(all, e.subcomponents, e.n_subcomponents * sizeof(char *));
				memcpy(all + e.n_subcomponents, more, m * sizeof(char *));
				e.subcomponents = all;
				e.n_subcomponents += m;
			}
		}
		r = strv_add(&s->arena, vg_json_get_array(st, "subcomponents"), &e.subcomponents,
			     &e.n_subcomponents);
		if (r < 0)
			return r;
		if (e.n_products == 0 && e.n_subcomponents == 0)
			return set_err(err, errsize, path, 0, "a statement without products");
		if (vg_vec_push(&s->items, &e) < 0) {
			if (err && errsize)
				snprintf(err, errsize, "%s: more than %d statements", path,
					 VG_SUPPRESS_ENTRIES_MAX);
			return -E2BIG;
		}
		n++;
	}
	return n;
}

/* Matching. */

/* Length of @p up to its qualifiers or subpath. */
static size_t purl_core_len(const char *p)
{
	return strcspn(p, "?#");
}

bool vg_purl_matches(const char *want, const char *have)
{
	size_t wl, hl;
	const char *wat, *hat;

	if (!want || !have || strncmp(want, "pkg:", 4) || strncmp(have, "pkg:", 4))
		return false;
	wl = purl_core_len(want);
	hl = purl_core_len(have);
	if (wl == hl && !strncmp(want, have, wl))
		return true;
	wat = memchr(want, '@', wl);
	hat = memchr(have, '@', hl);
	/* a purl without a version names every version of that package */
	return !wat && hat && (size_t)(hat - have) == wl && !strncmp(want, have, wl);
}

static bool has_id(const struct vg_vuln_finding *f, const char *id)
{
	for (size_t i = 0; i < f->n_ids; i++)
		if (!strcasecmp(f->ids[i], id))
			return true;
	return f->id && !strcasecmp(f->id, id);
}

static bool names_package(const char *want, const struct vg_package *p)
{
	if (!strncmp(want, "pkg:", 4))
		return vg_purl_matches(want, p->purl);
	return (p->name && !strcmp(want, p->name)) ||
	       (p->source_name && !strcmp(want, p->source_name));
}

/* Whether VEX product @id is the scanned image: its reference, its digest, or an oci purl
 * carrying that digest. */
static bool names_image(const char *id, const char *image_ref, const char *image_id)
{
	const char *at;

	if (image_ref && !strcmp(id, image_ref))
		return true;
	if (!image_id || !*image_id)
		return false;
	if (!strcmp(id, image_id))
		return true;
	at = strchr(id, '@');
	if (!at)
		return false;
	at++;
	/* pkg:oci/name@sha256%3A<hex> or name@sha256:<hex> */
	if (!strncmp(at, "sha256%3A", 9) || !strncmp(at, "sha256%3a", 9))
		return !strncmp(at + 9, image_id + 7, 64);
	return !strncmp(at, image_id, strlen(image_id));
}

static bool vex_applies(const struct vg_suppression *e, const struct vg_vuln_finding *f,
			const char *image_ref, const char *image_id)
{
	bool image = false;

	for (size_t i = 0; i < e->n_products; i++) {
		if (names_package(e->products[i], f->package))
			return true;
		if (names_image(e->products[i], image_ref, image_id))
			image = true;
	}
	/* subcomponents narrow an image product to packages inside it */
	for (size_t i = 0; i < e->n_subcomponents; i++)
		if ((image || e->n_products == 0) && names_package(e->subcomponents[i], f->package))
			return true;
	/* an image product without subcomponents covers the whole image */
	return image && e->n_subcomponents == 0;
}

const struct vg_suppression *vg_vuln_suppressed(const struct vg_vuln_suppressions *s,
						const struct vg_vuln_finding *f, time_t now,
						const char *image_ref, const char *image_id)
{
	const struct vg_suppression *vex = NULL;

	vg_vec_for_each(const struct vg_suppression, e, &s->items) {
		if (!has_id(f, e->id))
			continue;
		if (e->kind == VG_SUPPRESS_IGNORE) {
			if (e->expires && e->expires < now)
				continue;
			if (e->pkg && !names_package(e->pkg, f->package))
				continue;
			if (e->path && (!f->package->found_in ||
					fnmatch(e->path, f->package->found_in, 0) != 0))
				continue;
			return e;
		}
		if (!vex_applies(e, f, image_ref, image_id))
			continue;
		/* the latest statement about this vulnerability and product wins */
		if (!vex || e->timestamp > vex->timestamp ||
		    (e->timestamp == vex->timestamp && e->order > vex->order))
			vex = e;
	}
	if (vex && (!strcmp(vex->status, "not_affected") || !strcmp(vex->status, "fixed")))
		return vex;
	return NULL;
}
