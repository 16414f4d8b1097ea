/* SPDX-License-Identifier: Apache-2.0 */
/* The matcher: one indexed lookup per package, version evaluation in C, alias merging. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/hashmap.h"
#include "basic/limits.h"
#include "shared/sqlite.h"
#include "vuln/match.h"
#include "vuln/vuln-util.h"

const char *vg_vuln_fix_state_to_string(enum vg_vuln_fix_state s)
{
	static const char *const names[VG_VULN_FIX__MAX] = {
		[VG_VULN_FIX_FIXED] = "fixed",
		[VG_VULN_FIX_UNFIXED] = "unfixed",
		[VG_VULN_FIX_WONT_FIX] = "will-not-fix",
		[VG_VULN_FIX_END_OF_LIFE] = "end-of-life",
	};

	if ((unsigned)s >= VG_VULN_FIX__MAX)
		return NULL;
	return names[s];
}

void vg_vuln_findings_init(struct vg_vuln_findings *f)
{
	*f = (struct vg_vuln_findings){};
	vg_arena_init(&f->arena, VG_VULN_MATCH_BYTES_MAX);
	vg_vec_init(&f->items, sizeof(struct vg_vuln_finding), VG_VULN_FINDINGS_MAX);
}

void vg_vuln_findings_done(struct vg_vuln_findings *f)
{
	vg_vec_done(&f->items);
	vg_arena_done(&f->arena);
}

int vg_vuln_os_namespace(const struct vg_os *os, char *buf, size_t size)
{
	int n;

	if (!os)
		return -ENOENT;
	if (strcmp(os->id, "debian") == 0 ||
	    (os->family == VG_OS_FAMILY_DEBIAN && os->distroless)) {
		const char *v = os->version_id;
		size_t len = strcspn(v, ".");
		const char *rel;

		if (v[0] && strtol(v, NULL, 10) >= 4)
			n = snprintf(buf, size, "debian:%.*s", (int)len, v);
		else if (v[0])
			n = snprintf(buf, size, "debian:%s", v);
		else if ((rel = vg_vuln_debian_release(os->codename)))
			n = snprintf(buf, size, "debian:%s", rel);
		else
			return -ENOENT;
	} else if (strcmp(os->id, "ubuntu") == 0 && os->version_id[0]) {
		n = snprintf(buf, size, "ubuntu:%s", os->version_id);
	} else if (strcmp(os->id, "alpine") == 0) {
		const char *v = os->repo_release[0] ? os->repo_release : os->version_id;
		const char *dot = strchr(v, '.');
		size_t len = dot ? (size_t)(dot - v) + 1 + strcspn(dot + 1, ".") : strlen(v);

		if (!v[0])
			return -ENOENT;
		n = snprintf(buf, size, "alpine:%.*s", (int)len, v);
	} else
		return -ENOENT;
	return n > 0 && (size_t)n < size ? 0 : -E2BIG;
}

static const char *lang_namespace(enum vg_ecosystem e)
{
	switch (e) {
	case VG_ECOSYSTEM_NPM:
		return "npm";
	case VG_ECOSYSTEM_PYPI:
		return "PyPI";
	case VG_ECOSYSTEM_GOLANG:
		return "Go";
	case VG_ECOSYSTEM_MAVEN:
		return "Maven";
	case VG_ECOSYSTEM_GEM:
		return "RubyGems";
	case VG_ECOSYSTEM_CARGO:
		return "crates.io";
	case VG_ECOSYSTEM_COMPOSER:
		return "Packagist";
	default:
		return NULL;
	}
}

/* One matching row of the affected table. */
struct cand {
	int64_t vuln;
	const char *vuln_id, *summary, *cvss_vector, *url, *source, *urgency, *advisory;
	const char *fixed_version;
	enum vg_vuln_fix_state fix;
	enum vg_vuln_severity severity;
	double cvss_score;
	bool not_affected;
	const char **ids; /* aliases */
	size_t n_ids;
	const char **related;
	size_t n_related;
	size_t group;
};

struct ctx {
	struct vg_vuln_db *db;
	struct vg_vuln_findings *out;
	const struct vg_vuln_match_options *opts;
	sqlite3_stmt *lookup, *ids;
	struct cand *cands;
	size_t n_cands, cap_cands;
	struct vg_hashmap id_group; /* id -> group + 1 */
	size_t *parent;
};

static int cmp_versions(struct ctx *c, enum vg_version_scheme s, const char *a, const char *b,
			int *ret)
{
	int r = vg_version_cmp(s, a, b, ret);

	if (r < 0)
		c->out->n_bad_versions++;
	return r;
}

/*
 * OSV evaluation of one affected row (ranges + explicit versions). Returns 1 affected (the
 * fix, if any, into *ret_fixed), 0 not affected.
 */
static int eval_ranges(struct ctx *c, const char *ns, const char *version, const char *ranges,
		       const char *versions, const char **ret_fixed)
{
	struct vg_arena *a = &c->out->arena;
	enum vg_version_scheme eco_scheme = VG_VERSION_SEMVER;
	bool have_eco = vg_vuln_namespace_scheme(ns, &eco_scheme) >= 0;
	const char *p;
	int cmp;

	*ret_fixed = NULL;
	for (p = ranges; p && *p;) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p);
		enum vg_version_scheme s;
		bool affected = false, has_limit = false, below_limit = false, ok = true;
		const char *fixed = NULL;
		size_t fixed_len = 0;
		const char *q;

		if (strncmp(p, "SEMVER", 6) == 0) {
			s = have_eco && (eco_scheme == VG_VERSION_GO ||
					 eco_scheme == VG_VERSION_NPM)
				    ? eco_scheme
				    : VG_VERSION_SEMVER;
			q = p + 6;
		} else if (strncmp(p, "ECOSYSTEM", 9) == 0) {
			s = eco_scheme;
			ok = have_eco;
			q = p + 9;
		} else {
			s = eco_scheme;
			ok = false; /* a damaged row */
			q = end;
		}
		while (ok && q < end && *q == ' ') {
			char kind, v[VG_VERSION_LEN_MAX + 1];
			const char *vs, *ve;
			size_t vl;

			if (end - q < 4 || q[2] != ':')
				break; /* not " k:version": a damaged row, ignore the rest */
			kind = q[1];
			vs = ve = q + 3;
			while (ve < end && *ve != ' ')
				ve++;
			vl = (size_t)(ve - vs);
			q = ve;
			if (vl > VG_VERSION_LEN_MAX)
				continue;
			memcpy(v, vs, vl);
			v[vl] = '\0';
			switch (kind) {
			case 'i':
				if (strcmp(v, "0") == 0 ||
				    (cmp_versions(c, s, version, v, &cmp) >= 0 && cmp >= 0)) {
					affected = true;
					fixed = NULL;
				}
				break;
			case 'f':
				if (cmp_versions(c, s, version, v, &cmp) < 0)
					break;
				if (cmp >= 0)
					affected = false;
				else if (affected && !fixed) {
					fixed = vs;
					fixed_len = vl;
				}
				break;
			case 'l':
				if (cmp_versions(c, s, version, v, &cmp) >= 0 && cmp > 0)
					affected = false;
				break;
			case 'x':
				has_limit = true;
				if (strcmp(v, "*") == 0 ||
				    (cmp_versions(c, s, version, v, &cmp) >= 0 && cmp < 0))
					below_limit = true;
				break;
			default:
				break;
			}
		}
		if (ok && affected && (!has_limit || below_limit)) {
			*ret_fixed = fixed ? vg_arena_strndup(a, fixed, fixed_len) : NULL;
			return 1;
		}
		p = eol ? eol + 1 : end;
	}
	for (p = versions; p && *p;) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p);
		size_t n = (size_t)(end - p);

		if (strlen(version) == n && memcmp(version, p, n) == 0)
			return 1;
		if (have_eco && n <= VG_VERSION_LEN_MAX) {
			char v[VG_VERSION_LEN_MAX + 1];

			memcpy(v, p, n);
			v[n] = '\0';
			if (vg_version_cmp(eco_scheme, version, v, &cmp) >= 0 && cmp == 0)
				return 1;
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

static const char *col(struct ctx *c, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? vg_arena_strdup(&c->out->arena, (const char *)s) : NULL;
}

/* Appends @id to the arena array *@arr of *@n entries (capacity doubles at powers of two). */
static int push_id(struct vg_arena *a, const char ***arr, size_t *n, const char *id)
{
	if (*n >= VG_VULN_ALIASES_MAX)
		return 0;
	if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0)) {
		size_t ncap = *n ? *n * 2 : 4;
		const char **na = vg_arena_calloc(a, ncap, sizeof(*na));

		if (!na)
			return vg_arena_error(a);
		if (*n)
			memcpy(na, *arr, *n * sizeof(*na));
		*arr = na;
	}
	(*arr)[(*n)++] = id;
	return 0;
}

static int cand_vuln_cmp(const void *x, const void *y)
{
	const struct cand *a = *(const struct cand *const *)x, *b = *(const struct cand *const *)y;

	return a->vuln < b->vuln ? -1 : a->vuln > b->vuln;
}

/* The aliases and related ids of every candidate of the package: one query for all. */
static int load_ids(struct ctx *c, const char *ns, const char *name)
{
	struct vg_arena *a = &c->out->arena;
	cleanup_free struct cand **by_vuln = calloc(c->n_cands, sizeof(*by_vuln));
	int rc = SQLITE_DONE, r = 0;

	if (!by_vuln)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_cands; i++)
		by_vuln[i] = &c->cands[i];
	qsort(by_vuln, c->n_cands, sizeof(*by_vuln), cand_vuln_cmp);
	sqlite3_bind_text(c->ids, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->ids, 2, name, -1, SQLITE_STATIC);
	while (r >= 0 && (rc = sqlite3_step(c->ids)) == SQLITE_ROW) {
		int64_t vuln = sqlite3_column_int64(c->ids, 0);
		bool related = sqlite3_column_int(c->ids, 2) == VG_VULN_ID_RELATED;
		size_t lo = 0, hi = c->n_cands;
		const char *id = NULL;

		/* several candidates can share a vuln row (two affected rows of one record) */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (by_vuln[mid]->vuln < vuln)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < c->n_cands && by_vuln[lo]->vuln == vuln && r >= 0; lo++) {
			struct cand *cd = by_vuln[lo];

			if (!id && !(id = col(c, c->ids, 1))) {
				r = vg_arena_error(a) ? vg_arena_error(a) : -ENOMEM;
				break;
			}
			r = related ? push_id(a, &cd->related, &cd->n_related, id)
				    : push_id(a, &cd->ids, &cd->n_ids, id);
		}
	}
	sqlite3_reset(c->ids);
	sqlite3_clear_bindings(c->ids);
	if (r < 0)
		return r;
	return rc == SQLITE_DONE ? 0 : vg_sqlite_errno(rc);
}

static size_t uf_find(size_t *parent, size_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static int union_id(struct ctx *c, const char *id, size_t i)
{
	void *g = vg_hashmap_get_str(&c->id_group, id);

	if (g) {
		size_t a = uf_find(c->parent, (size_t)(uintptr_t)g - 1), b = uf_find(c->parent, i);

		if (a != b)
			c->parent[a < b ? b : a] = a < b ? a : b;
		return 0;
	}
	return vg_hashmap_put_str(&c->id_group, id, (void *)(uintptr_t)(i + 1));
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int idp_cmp(const void *a, const void *b)
{
	return vg_vuln_id_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, deduplicated copy of @n strings into the arena. */
static const char **uniq(struct vg_arena *a, const char **v, size_t n, size_t *ret_n,
			 int (*cmp)(const void *, const void *))
{
	size_t o = 0;

	qsort(v, n, sizeof(*v), cmp);
	for (size_t i = 0; i < n; i++)
		if (o == 0 || strcmp(v[o - 1], v[i]) != 0)
			v[o++] = v[i];
	*ret_n = o;
	return o ? vg_arena_memdup(a, v, o * sizeof(*v)) : NULL;
}

static enum vg_vuln_severity urgency_severity(const char *u)
{
	if (!u)
		return VG_VULN_SEVERITY_UNKNOWN;
	if (strncmp(u, "unimportant", 11) == 0)
		return VG_VULN_SEVERITY_NEGLIGIBLE;
	if (strncmp(u, "low", 3) == 0)
		return VG_VULN_SEVERITY_LOW;
	if (strncmp(u, "medium", 6) == 0)
		return VG_VULN_SEVERITY_MEDIUM;
	if (strncmp(u, "high", 4) == 0)
		return VG_VULN_SEVERITY_HIGH;
	return VG_VULN_SEVERITY_UNKNOWN;
}

/* Builds the finding of group @g (candidates whose uf root is @g). */
static int emit(struct ctx *c, const struct vg_package *pkg, size_t pkg_index, const char *ns,
		const char *name, const char *version, enum vg_version_scheme scheme,
		bool have_scheme, const size_t *members, size_t n_members)
{
	struct vg_arena *a = &c->out->arena;
	struct vg_vuln_finding f = {.package = pkg,
				    .package_index = pkg_index,
				    .cvss_score = -1,
				    .fix_state = VG_VULN_FIX__MAX};
	size_t n_ids = 0, n_rel = 0, n_src = 0, n_urls = 0, total_ids = 0, total_rel = 0;
	bool any_unimportant = false, other_urgency = false;
	const char **ids, **rel, **src, **urls;
	const char *title = NULL;
	int r;

	for (size_t m = 0; m < n_members; m++) {
		const struct cand *cd = &c->cands[members[m]];

		total_ids += 1 + cd->n_ids;
		total_rel += cd->n_related + (cd->advisory ? 1 : 0);
	}
	ids = calloc(total_ids + 1, sizeof(*ids));
	rel = calloc(total_rel + 1, sizeof(*rel));
	src = calloc(n_members + 1, sizeof(*src));
	urls = calloc(n_members + 1, sizeof(*urls));
	if (!ids || !rel || !src || !urls) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t m = 0; m < n_members; m++) {
		struct cand *cd = &c->cands[members[m]];

		ids[n_ids++] = cd->vuln_id;
		for (size_t k = 0; k < cd->n_ids; k++)
			ids[n_ids++] = cd->ids[k];
		for (size_t k = 0; k < cd->n_related; k++)
			rel[n_rel++] = cd->related[k];
		if (cd->advisory)
			rel[n_rel++] = cd->advisory;
		src[n_src++] = cd->source;
		if (cd->url)
			urls[n_urls++] = cd->url;
		/* fix state: a fixed version wins (the highest of them fixes every row); else
		 * end-of-life, will-not-fix, unfixed in that order */
		if (cd->fix == VG_VULN_FIX_FIXED) {
			int cmp = 1;

			if (f.fix_state == VG_VULN_FIX_FIXED && have_scheme &&
			    vg_version_cmp(scheme, cd->fixed_version, f.fixed_version, &cmp) < 0)
				cmp = strcmp(cd->fixed_version, f.fixed_version);
			if (f.fix_state != VG_VULN_FIX_FIXED || cmp > 0) {
				f.fix_state = VG_VULN_FIX_FIXED;
				f.fixed_version = cd->fixed_version;
			}
		} else if (f.fix_state != VG_VULN_FIX_FIXED) {
			static const int rank[VG_VULN_FIX__MAX + 1] = {[VG_VULN_FIX_UNFIXED] = 1,
								       [VG_VULN_FIX_WONT_FIX] = 2,
								       [VG_VULN_FIX_END_OF_LIFE] =
									       3,
								       [VG_VULN_FIX__MAX] = 0};

			if (rank[cd->fix] > rank[f.fix_state])
				f.fix_state = cd->fix;
		}
		if (cd->severity > f.severity)
			f.severity = cd->severity;
		if (urgency_severity(cd->urgency) > f.severity)
			f.severity = urgency_severity(cd->urgency);
		if (cd->urgency) {
			if (strncmp(cd->urgency, "unimportant", 11) == 0)
				any_unimportant = true;
			else
				other_urgency = true;
			if (!f.urgency)
				f.urgency = cd->urgency;
		}
		if (cd->cvss_score > f.cvss_score) {
			f.cvss_score = cd->cvss_score;
			f.cvss_vector = cd->cvss_vector;
		}
	}
	f.ids = uniq(a, ids, n_ids, &f.n_ids, idp_cmp);
	f.related = uniq(a, rel, n_rel, &f.n_related, strp_cmp);
	f.sources = uniq(a, src, n_src, &f.n_sources, strp_cmp);
	f.urls = uniq(a, urls, n_urls, &f.n_urls, strp_cmp);
	if (vg_arena_error(a)) {
		r = vg_arena_error(a);
		goto out;
	}
	f.id = f.ids[0];
	for (size_t m = 0; m < n_members && !title; m++) {
		struct cand *cd = &c->cands[members[m]];

		if (cd->summary && strcmp(cd->vuln_id, f.id) == 0)
			title = cd->summary;
	}
	for (size_t m = 0; m < n_members && !title; m++)
		title = c->cands[members[m]].summary;
	f.title = title;
	if (f.severity == VG_VULN_SEVERITY_UNKNOWN && f.cvss_score >= 0)
		f.severity = vg_cvss3_severity(f.cvss_score);
	f.unimportant = any_unimportant && !other_urgency;
	if (f.fix_state != VG_VULN_FIX_FIXED)
		f.fixed_version = NULL;
	f.ns = ns;
	f.matched_name = name;
	f.matched_version = version;
	if (f.unimportant && !(c->opts && c->opts->show_unimportant)) {
		c->out->n_hidden_unimportant++;
		r = 0;
		goto out;
	}
	r = vg_vec_push(&c->out->items, &f);
out:
	free(ids);
	free(rel);
	free(src);
	free(urls);
	return r;
}

static int by_root(const void *x, const void *y, void *arg)
{
	const size_t *sort_parent = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (sort_parent[a] != sort_parent[b])
		return sort_parent[a] < sort_parent[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int push_cand(struct ctx *c, const struct cand *cd)
{
	if (c->n_cands == c->cap_cands) {
		size_t ncap = c->cap_cands ? c->cap_cands * 2 : 64;
		struct cand *n = reallocarray(c->cands, ncap, sizeof(*n));
		size_t *np = reallocarray(c->parent, ncap, sizeof(*np));

		if (n)
			c->cands = n;
		if (np)
			c->parent = np;
		if (!n || !np)
			return -ENOMEM;
		c->cap_cands = ncap;
	}
	c->cands[c->n_cands++] = *cd;
	return 0;
}

static int match_package(struct ctx *c, const struct vg_package *pkg, size_t index,
			 const char *os_ns)
{
	struct vg_arena *a = &c->out->arena;
	const char *ns, *name, *version, *ns_copy, *name_copy;
	enum vg_version_scheme scheme = VG_VERSION_SEMVER;
	bool have_scheme, any_match = false;
	char pybuf[VG_VULN_NAME_MAX];
	int rc, r;

	switch (pkg->ecosystem) {
	case VG_ECOSYSTEM_DEB:
		if (!os_ns ||
		    (strncmp(os_ns, "debian:", 7) != 0 && strncmp(os_ns, "ubuntu:", 7) != 0))
			goto unsupported;
		ns = os_ns;
		name = pkg->source_name ? pkg->source_name : pkg->name;
		version = pkg->source_version ? pkg->source_version : pkg->version;
		break;
	case VG_ECOSYSTEM_APK:
		if (!os_ns || strncmp(os_ns, "alpine:", 7) != 0)
			goto unsupported;
		ns = os_ns;
		name = pkg->source_name ? pkg->source_name : pkg->name;
		version = pkg->version;
		break;
	default:
		ns = lang_namespace(pkg->ecosystem);
		if (!ns)
			goto unsupported;
		name = pkg->name;
		version = pkg->version;
		if (pkg->ecosystem == VG_ECOSYSTEM_PYPI && name) {
			vg_vuln_pypi_normalize(name, pybuf, sizeof(pybuf));
			name = pybuf;
		}
		break;
	}
	if (!name || !version || !name[0] || !version[0])
		goto unsupported;
	have_scheme = vg_vuln_namespace_scheme(ns, &scheme) >= 0;

	c->n_cands = 0;
	sqlite3_bind_text(c->lookup, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->lookup, 2, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(c->lookup)) == SQLITE_ROW) {
		struct cand cd = {.cvss_score = -1};
		enum vg_vuln_state state = (enum vg_vuln_state)sqlite3_column_int(c->lookup, 1);
		const char *fixed = (const char *)sqlite3_column_text(c->lookup, 2);
		bool hit = false;
		int cmp;

		switch (state) {
		case VG_VULN_STATE_FIXED:
			if (have_scheme && fixed &&
			    cmp_versions(c, scheme, version, fixed, &cmp) >= 0 && cmp < 0) {
				hit = true;
				cd.fix = VG_VULN_FIX_FIXED;
				cd.fixed_version = vg_arena_strdup(a, fixed);
			}
			break;
		case VG_VULN_STATE_UNFIXED:
			hit = true;
			cd.fix = VG_VULN_FIX_UNFIXED;
			break;
		case VG_VULN_STATE_WONT_FIX:
			hit = true;
			cd.fix = VG_VULN_FIX_WONT_FIX;
			break;
		case VG_VULN_STATE_END_OF_LIFE:
			hit = true;
			cd.fix = VG_VULN_FIX_END_OF_LIFE;
			break;
		case VG_VULN_STATE_NOT_AFFECTED:
			cd.not_affected = true;
			hit = true;
			break;
		case VG_VULN_STATE_RANGES:
			hit = eval_ranges(c, ns, version,
					  (const char *)sqlite3_column_text(c->lookup, 5),
					  (const char *)sqlite3_column_text(c->lookup, 6),
					  &cd.fixed_version) > 0;
			cd.fix = cd.fixed_version ? VG_VULN_FIX_FIXED : VG_VULN_FIX_UNFIXED;
			break;
		default:
			break;
		}
		if (!hit)
			continue;
		cd.vuln = sqlite3_column_int64(c->lookup, 0);
		cd.urgency = col(c, c->lookup, 3);
		cd.advisory = col(c, c->lookup, 4);
		cd.vuln_id = col(c, c->lookup, 7);
		cd.summary = col(c, c->lookup, 8);
		cd.severity = (enum vg_vuln_severity)sqlite3_column_int(c->lookup, 9);
		if ((unsigned)cd.severity >= VG_VULN_SEVERITY__MAX)
			cd.severity = VG_VULN_SEVERITY_UNKNOWN;
		cd.cvss_vector = col(c, c->lookup, 10);
		if (sqlite3_column_type(c->lookup, 11) != SQLITE_NULL)
			cd.cvss_score = sqlite3_column_double(c->lookup, 11);
		cd.url = col(c, c->lookup, 12);
		cd.source = col(c, c->lookup, 13);
		if (vg_arena_error(a) || !cd.vuln_id || !cd.source) {
			sqlite3_reset(c->lookup);
			return vg_arena_error(a) ? vg_arena_error(a) : -ENOMEM;
		}
		if (!cd.not_affected)
			any_match = true;
		r = push_cand(c, &cd);
		if (r < 0) {
			sqlite3_reset(c->lookup);
			return r;
		}
	}
	sqlite3_reset(c->lookup);
	sqlite3_clear_bindings(c->lookup);
	if (rc != SQLITE_DONE)
		return vg_sqlite_errno(rc);
	if (!any_match)
		return 0;

	/* merge rows that share an id (record id or alias) */
	vg_hashmap_done(&c->id_group);
	vg_hashmap_init(&c->id_group, VG_HASHMAP_STRING, 0, NULL);
	r = load_ids(c, ns, name);
	if (r < 0)
		return r;
	ns_copy = vg_arena_strdup(a, ns);
	name_copy = vg_arena_strdup(a, name);
	if (!ns_copy || !name_copy)
		return vg_arena_error(a) ? vg_arena_error(a) : -ENOMEM;
	for (size_t i = 0; i < c->n_cands; i++)
		c->parent[i] = i;
	for (size_t i = 0; i < c->n_cands; i++) {
		struct cand *cd = &c->cands[i];

		r = union_id(c, cd->vuln_id, i);
		for (size_t k = 0; k < cd->n_ids && r >= 0; k++)
			r = union_id(c, cd->ids[k], i);
		if (r < 0)
			return r;
	}
	/* one finding per group: order the candidates by group root, then walk the runs */
	{
		cleanup_free size_t *order = calloc(c->n_cands, sizeof(*order));
		cleanup_free size_t *members = calloc(c->n_cands, sizeof(*members));
		size_t i = 0;

		if (!order || !members)
			return -ENOMEM;
		for (size_t k = 0; k < c->n_cands; k++) {
			c->parent[k] = uf_find(c->parent, k);
			order[k] = k;
		}
		qsort_r(order, c->n_cands, sizeof(*order), by_root, c->parent);
		while (i < c->n_cands) {
			size_t g = c->parent[order[i]], n_members = 0;
			bool suppressed = false;

			for (; i < c->n_cands && c->parent[order[i]] == g; i++) {
				if (c->cands[order[i]].not_affected)
					suppressed = true;
				else
					members[n_members++] = order[i];
			}
			if (suppressed || n_members == 0)
				continue;
			r = emit(c, pkg, index, ns_copy, name_copy, version, scheme, have_scheme,
				 members, n_members);
			if (r < 0)
				return r;
		}
	}
	return 0;
unsupported:
	c->out->n_unsupported++;
	return 0;
}

static int finding_cmp(const void *x, const void *y)
{
	const struct vg_vuln_finding *a = x, *b = y;

	if (a->package_index != b->package_index)
		return a->package_index < b->package_index ? -1 : 1;
	return vg_vuln_id_cmp(a->id, b->id);
}

int vg_vuln_match(struct vg_vuln_db *db, const struct vg_os *os, const struct vg_vec *packages,
		  const struct vg_vuln_match_options *opts, struct vg_vuln_findings *ret, char *err,
		  size_t errsize)
{
	struct ctx c = {.db = db, .out = ret, .opts = opts};
	char os_ns[64];
	bool have_os_ns, in_txn = false;
	size_t first = ret->items.len;
	int r = 0;

	have_os_ns = vg_vuln_os_namespace(os, os_ns, sizeof(os_ns)) >= 0;
	vg_hashmap_init(&c.id_group, VG_HASHMAP_STRING, 0, NULL);
	r = vg_sqlite_prepare(db->sql,
			      "SELECT a.vuln, a.state, a.fixed_version, a.urgency, a.advisory, "
			      "a.ranges, a.versions, v.vuln_id, v.summary, v.severity, "
			      "v.cvss_vector, v.cvss_score, v.url, s.name "
			      "FROM affected a JOIN vulns v ON v.id = a.vuln "
			      "JOIN sources s ON s.id = v.source "
			      "WHERE a.namespace = ?1 AND a.package = ?2 AND v.withdrawn IS NULL",
			      &c.lookup, err, errsize);
	if (r < 0)
		goto out;
	r = vg_sqlite_prepare(db->sql,
			      "SELECT i.vuln, i.id, i.kind FROM vuln_ids i WHERE i.vuln IN "
			      "(SELECT a.vuln FROM affected a WHERE a.namespace = ?1 AND "
			      "a.package = ?2)",
			      &c.ids, err, errsize);
	if (r < 0)
		goto out;
	/* one read transaction for the whole match: one snapshot, and no lock round trip
	 * and page cache revalidation per package */
	if (sqlite3_get_autocommit(db->sql)) {
		r = vg_sqlite_exec(db->sql, "BEGIN", db->path, err, errsize);
		if (r < 0)
			goto out;
		in_txn = true;
	}
	for (size_t i = 0; i < packages->len; i++) {
		const struct vg_package *p = vg_vec_at(packages, i);

		r = match_package(&c, p, i, have_os_ns ? os_ns : NULL);
		if (r < 0) {
			snprintf(err, errsize, "matching %s %s: %s", p->name ? p->name : "?",
				 p->version ? p->version : "?",
				 r == -E2BIG ? "too many findings" : strerror(-r));
			goto out;
		}
	}
	if (ret->items.len > first)
		qsort((char *)ret->items.data + first * sizeof(struct vg_vuln_finding),
		      ret->items.len - first, sizeof(struct vg_vuln_finding), finding_cmp);
out:
	sqlite3_finalize(c.lookup);
	sqlite3_finalize(c.ids);
	if (in_txn)
		sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	vg_hashmap_done(&c.id_group);
	free(c.cands);
	free(c.parent);
	return r;
}
