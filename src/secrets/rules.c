/* SPDX-License-Identifier: Apache-2.0 */
/* Loading and compiling secret rules and allowlists (format in rules.h, docs/secrets.md). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/embedded.h"
#include "secrets/ac.h"
#include "secrets/rules.h"
#include "shared/yaml.h"

extern const struct vg_embedded_file vg_secrets_builtin[];

static const char *const severity_names[VG_SECRET_SEVERITY__MAX] = {
	[VG_SECRET_LOW] = "LOW",
	[VG_SECRET_MEDIUM] = "MEDIUM",
	[VG_SECRET_HIGH] = "HIGH",
	[VG_SECRET_CRITICAL] = "CRITICAL",
};

const char *vg_secret_severity_name(enum vg_secret_severity s)
{
	return (unsigned)s < VG_SECRET_SEVERITY__MAX ? severity_names[s] : "UNKNOWN";
}

int vg_secret_severity_from_string(const char *s)
{
	for (int i = 0; i < VG_SECRET_SEVERITY__MAX; i++)
		if (strcasecmp(s, severity_names[i]) == 0)
			return i;
	return -EINVAL;
}

void vg_secret_ruleset_init(struct vg_secret_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
	vg_arena_init(&rs->arena, VG_SECRET_RULESET_BYTES_MAX);
	vg_vec_init(&rs->rules, sizeof(struct vg_secret_rule *), VG_SECRET_RULES_MAX);
	vg_hashmap_init(&rs->by_id, VG_HASHMAP_STRING, VG_SECRET_RULES_MAX, NULL);
	vg_hashmap_init(&rs->allow_secrets, VG_HASHMAP_STRING, VG_SECRET_ALLOW_MAX, NULL);
	vg_vec_init(&rs->all_patterns, sizeof(struct vg_secret_pattern *), 0);
	vg_vec_init(&rs->disabled_ids, sizeof(const char *), VG_SECRET_ALLOW_MAX);
	vg_vec_init(&rs->kw_rules, sizeof(struct vg_vec), 0);
}

void vg_secret_ruleset_done(struct vg_secret_ruleset *rs)
{
	vg_vec_for_each(struct vg_secret_pattern *, p, &rs->all_patterns)
		vg_secret_pattern_free(*p);
	vg_vec_for_each(struct vg_vec, v, &rs->kw_rules)
		vg_vec_done(v);
	vg_vec_done(&rs->kw_rules);
	vg_vec_done(&rs->all_patterns);
	vg_vec_done(&rs->disabled_ids);
	vg_vec_done(&rs->rules);
	vg_hashmap_done(&rs->by_id);
	vg_hashmap_done(&rs->allow_secrets);
	vg_ac_free(rs->ac);
	vg_arena_done(&rs->arena);
	memset(rs, 0, sizeof(*rs));
}

struct load_ctx {
	struct vg_secret_ruleset *rs;
	const char *name;
	char *err;
	size_t errsize;
};

static int fail(struct load_ctx *c, const struct vg_yaml_node *n, int r, const char *fmt, ...)
	VG_PRINTF(4, 5);
static int fail(struct load_ctx *c, const struct vg_yaml_node *n, int r, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err && c->errsize)
		snprintf(c->err, c->errsize, "%s:%u:%u: %s", c->name, n ? n->line : 1,
			 n ? n->column : 1, msg);
	return r;
}

/* A scalar without NUL bytes, as a C string. */
static const char *scalar(struct load_ctx *c, const struct vg_yaml_node *n, const char *what,
			  int *r)
{
	if (!n || n->kind != VG_YAML_SCALAR) {
		*r = fail(c, n, -EBADMSG, "%s must be a string", what);
		return NULL;
	}
	if (strlen(n->text) != n->len) {
		*r = fail(c, n, -EBADMSG, "%s contains a NUL byte", what);
		return NULL;
	}
	*r = 0;
	return n->text;
}

static int add_pattern(struct load_ctx *c, const struct vg_yaml_node *n, const char *what,
		       struct vg_secret_pattern **ret)
{
	char msg[256];
	int r;

	if (!n || n->kind != VG_YAML_SCALAR)
		return fail(c, n, -EBADMSG, "%s must be a string", what);
	r = vg_secret_pattern_compile(n->text, n->len, ret, msg, sizeof(msg));
	if (r == -ENOMEM)
		return fail(c, n, r, "out of memory");
	if (r < 0)
		return fail(c, n, r == -E2BIG ? -E2BIG : -EBADMSG, "%s: %s", what, msg);
	r = vg_vec_push(&c->rs->all_patterns, ret);
	if (r < 0) {
		*ret = vg_secret_pattern_free(*ret);
		return fail(c, n, r, "out of memory");
	}
	return 0;
}

/* A sequence of regexes (a single string is accepted as a one-item list). */
static int pattern_list(struct load_ctx *c, const struct vg_yaml_node *n, const char *what,
			struct vg_secret_patterns *ps)
{
	const struct vg_yaml_node *const *items = (const struct vg_yaml_node *const *)&n;
	size_t count = 1, old = ps->n;
	struct vg_secret_pattern **v;
	int r;

	if (n->kind == VG_YAML_MAP)
		return fail(c, n, -EBADMSG, "%s must be a list of regexes", what);
	if (n->kind == VG_YAML_SEQ) {
		items = (const struct vg_yaml_node *const *)n->items;
		count = n->n;
	}
	if (old + count > VG_SECRET_ALLOW_MAX)
		return fail(c, n, -E2BIG, "%s: more than %d patterns", what, VG_SECRET_ALLOW_MAX);
	v = vg_arena_calloc(&c->rs->arena, old + count ? old + count : 1, sizeof(*v));
	if (!v)
		return fail(c, n, vg_arena_error(&c->rs->arena), "out of memory");
	if (old)
		memcpy(v, ps->v, old * sizeof(*v));
	for (size_t i = 0; i < count; i++) {
		r = add_pattern(c, items[i], what, &v[old + i]);
		if (r < 0)
			return r;
	}
	ps->v = v;
	ps->n = old + count;
	return 0;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > VG_SECRET_ID_MAX)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static int parse_number(struct load_ctx *c, const struct vg_yaml_node *n, const char *what,
			double lo, double hi, double *ret)
{
	const char *s;
	char *end;
	double d;
	int r;

	s = scalar(c, n, what, &r);
	if (!s)
		return r;
	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < lo || d > hi)
		return fail(c, n, -EBADMSG, "%s must be a number from %g to %g", what, lo, hi);
	*ret = d;
	return 0;
}

static int parse_rule(struct load_ctx *c, const struct vg_yaml_node *m)
{
	struct vg_secret_ruleset *rs = c->rs;
	struct vg_arena *a = &rs->arena;
	struct vg_secret_rule *rule, *old;
	const struct vg_yaml_node *kw = NULL, *re = NULL;
	char msg[256];
	int r;

	if (m->kind != VG_YAML_MAP)
		return fail(c, m, -EBADMSG, "a rule must be a mapping");
	rule = vg_arena_calloc(a, 1, sizeof(*rule));
	if (!rule)
		return fail(c, m, vg_arena_error(a), "out of memory");
	rule->file = vg_arena_strdup(a, c->name);
	rule->line = m->line;
	rule->severity = VG_SECRET_SEVERITY__MAX;
	for (size_t i = 0; i < m->n; i++) {
		const struct vg_yaml_node *k = m->pairs[i].key, *v = m->pairs[i].value;
		const char *key = k->kind == VG_YAML_SCALAR ? k->text : "";
		const char *s;

		if (!strcmp(key, "id")) {
			if (!(s = scalar(c, v, "id", &r)))
				return r;
			if (!valid_id(s))
				return fail(c, v, -EBADMSG,
					    "invalid rule id '%.64s': lower-case letters, digits, "
					    "'-', '_' and '.', at most %d characters",
					    s, VG_SECRET_ID_MAX);
			rule->id = vg_arena_strdup(a, s);
		} else if (!strcmp(key, "title")) {
			if (!(s = scalar(c, v, "title", &r)))
				return r;
			if (strlen(s) > VG_SECRET_TITLE_MAX)
				return fail(c, v, -E2BIG, "title longer than %d bytes",
					    VG_SECRET_TITLE_MAX);
			rule->title = vg_arena_strdup(a, s);
		} else if (!strcmp(key, "severity")) {
			if (!(s = scalar(c, v, "severity", &r)))
				return r;
			r = vg_secret_severity_from_string(s);
			if (r < 0)
				return fail(
					c, v, -EBADMSG,
					"unknown severity '%.32s': CRITICAL, HIGH, MEDIUM or LOW",
					s);
			rule->severity = (enum vg_secret_severity)r;
		} else if (!strcmp(key, "keywords")) {
			kw = v;
		} else if (!strcmp(key, "regex")) {
			re = v;
		} else if (!strcmp(key, "entropy")) {
			r = parse_number(c, v, "entropy", 0, 8, &rule->entropy);
			if (r < 0)
				return r;
		} else if (!strcmp(key, "context")) {
			double d;

			r = parse_number(c, v, "context", 0, VG_SECRET_CONTEXT_MAX, &d);
			if (r < 0)
				return r;
			if (d != floor(d))
				return fail(c, v, -EBADMSG,
					    "context must be a whole number of bytes");
			rule->context = (uint32_t)d;
		} else if (!strcmp(key, "paths")) {
			r = pattern_list(c, v, "paths", &rule->paths);
			if (r < 0)
				return r;
		} else if (!strcmp(key, "exclude-paths")) {
			r = pattern_list(c, v, "exclude-paths", &rule->exclude_paths);
			if (r < 0)
				return r;
		} else if (!strcmp(key, "allow")) {
			r = pattern_list(c, v, "allow", &rule->allow);
			if (r < 0)
				return r;
		} else {
			return fail(c, k, -EBADMSG, "unknown rule key '%.64s'", key);
		}
	}
	if (!rule->id)
		return fail(c, m, -EBADMSG, "rule without id");
	if (!rule->title)
		return fail(c, m, -EBADMSG, "rule '%s' has no title", rule->id);
	if (rule->severity == VG_SECRET_SEVERITY__MAX)
		return fail(c, m, -EBADMSG, "rule '%s' has no severity", rule->id);
	if (!re)
		return fail(c, m, -EBADMSG, "rule '%s' has no regex", rule->id);
	if (!kw || kw->kind != VG_YAML_SEQ || kw->n == 0)
		return fail(c, kw ? kw : m, -EBADMSG,
			    "rule '%s' needs keywords: a non-empty list of strings", rule->id);
	if (kw->n > VG_SECRET_KEYWORDS_MAX)
		return fail(c, kw, -E2BIG, "rule '%s' has more than %d keywords", rule->id,
			    VG_SECRET_KEYWORDS_MAX);
	rule->keywords = vg_arena_calloc(a, kw->n, sizeof(*rule->keywords));
	if (!rule->keywords)
		return fail(c, kw, vg_arena_error(a), "out of memory");
	for (size_t i = 0; i < kw->n; i++) {
		const char *s = scalar(c, kw->items[i], "a keyword", &r);

		if (!s)
			return r;
		if (strlen(s) < VG_SECRET_KEYWORD_LEN_MIN || strlen(s) > VG_SECRET_KEYWORD_LEN_MAX)
			return fail(c, kw->items[i], -EBADMSG,
				    "keyword '%.80s' must be %d to %d bytes long", s,
				    VG_SECRET_KEYWORD_LEN_MIN, VG_SECRET_KEYWORD_LEN_MAX);
		rule->keywords[i] = vg_arena_strdup(a, s);
	}
	rule->n_keywords = kw->n;
	if (re->kind != VG_YAML_SCALAR)
		return fail(c, re, -EBADMSG, "regex must be a string");
	rule->regex = vg_arena_strndup(a, re->text, re->len);
	r = vg_secret_pattern_compile(re->text, re->len, &rule->re, msg, sizeof(msg));
	if (r == -ENOMEM)
		return fail(c, re, r, "out of memory");
	if (r < 0)
		return fail(c, re, r == -E2BIG ? -E2BIG : -EBADMSG, "rule '%s': %s", rule->id, msg);
	r = vg_vec_push(&rs->all_patterns, &rule->re);
	if (r < 0) {
		rule->re = vg_secret_pattern_free(rule->re);
		return fail(c, re, r, "out of memory");
	}
	r = vg_secret_pattern_group(rule->re, "secret");
	rule->secret_group = r > 0 ? r : 0;
	r = vg_arena_error(a);
	if (r < 0)
		return fail(c, m, r, "out of memory");

	old = vg_hashmap_get_str(&rs->by_id, rule->id);
	if (old) {
		/* a later definition replaces the earlier one, in place */
		rule->index = old->index;
		*(struct vg_secret_rule **)vg_vec_at(&rs->rules, old->index) = rule;
	} else {
		rule->index = (unsigned)rs->rules.len;
		r = vg_vec_push(&rs->rules, &rule);
		if (r < 0)
			return fail(c, m, r, r == -E2BIG ? "more than %d rules" : "out of memory",
				    VG_SECRET_RULES_MAX);
	}
	r = vg_hashmap_put_str(&rs->by_id, rule->id, rule);
	if (r < 0)
		return fail(c, m, r, "out of memory");
	return 0;
}

static int parse_allowlist(struct load_ctx *c, const struct vg_yaml_node *m)
{
	struct vg_secret_ruleset *rs = c->rs;
	int r;

	if (m->kind != VG_YAML_MAP)
		return fail(c, m, -EBADMSG, "allowlist must be a mapping");
	for (size_t i = 0; i < m->n; i++) {
		const struct vg_yaml_node *k = m->pairs[i].key, *v = m->pairs[i].value;
		const char *key = k->kind == VG_YAML_SCALAR ? k->text : "";

		if (!strcmp(key, "regexes")) {
			r = pattern_list(c, v, "allowlist regexes", &rs->allow_regexes);
		} else if (!strcmp(key, "paths")) {
			r = pattern_list(c, v, "allowlist paths", &rs->allow_paths);
		} else if (!strcmp(key, "secrets") || !strcmp(key, "rules")) {
			bool secrets = key[0] == 's';

			if (v->kind != VG_YAML_SEQ)
				return fail(c, v, -EBADMSG,
					    "allowlist %s must be a list of strings", key);
			for (size_t j = 0; j < v->n; j++) {
				const char *s = scalar(c, v->items[j], "an allowlist entry", &r);
				char *copy;

				if (!s)
					return r;
				if (strlen(s) == 0 || strlen(s) > VG_SECRET_MATCH_MAX)
					return fail(c, v->items[j], -EBADMSG,
						    "allowlist %s entry must be 1 to %d bytes", key,
						    VG_SECRET_MATCH_MAX);
				copy = vg_arena_strdup(&rs->arena, s);
				if (!copy)
					return fail(c, v, vg_arena_error(&rs->arena),
						    "out of memory");
				r = secrets ? vg_hashmap_put_str(&rs->allow_secrets, copy, copy)
					    : vg_vec_push(&rs->disabled_ids, &copy);
				if (r == -E2BIG)
					return fail(c, v->items[j], r,
						    "more than %d allowlist %s entries",
						    VG_SECRET_ALLOW_MAX, key);
				if (r < 0)
					return fail(c, v, r, "out of memory");
			}
			r = 0;
		} else {
			return fail(c, k, -EBADMSG, "unknown allowlist key '%.64s'", key);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int vg_secret_ruleset_load_buffer(struct vg_secret_ruleset *rs, const char *name, const char *buf,
				  size_t len, char *err, size_t errsize)
{
	cleanup_yaml_stream struct vg_yaml_stream *y = NULL;
	struct load_ctx c = {
		.rs = rs, .name = name ? name : "<input>", .err = err, .errsize = errsize};
	const struct vg_yaml_node *root;
	int r;

	if (err && errsize)
		err[0] = '\0';
	if (rs->compiled)
		return fail(&c, NULL, -EBUSY, "rule set already compiled");
	if (len > VG_SECRET_RULE_FILE_MAX)
		return fail(&c, NULL, -E2BIG, "file larger than %d bytes", VG_SECRET_RULE_FILE_MAX);
	r = vg_yaml_parse(buf, len, c.name, &y, err, errsize);
	if (r < 0)
		return r;
	if (y->n_docs > 1)
		return fail(&c, y->docs[1], -EBADMSG, "one YAML document expected");
	if (y->n_docs == 0 || vg_yaml_is_null(y->docs[0]))
		return 0;
	root = y->docs[0];
	if (root->kind != VG_YAML_MAP)
		return fail(&c, root, -EBADMSG,
			    "expected a mapping with 'rules:' and/or 'allowlist:'");
	for (size_t i = 0; i < root->n; i++) {
		const struct vg_yaml_node *k = root->pairs[i].key, *v = root->pairs[i].value;
		const char *key = k->kind == VG_YAML_SCALAR ? k->text : "";

		if (!strcmp(key, "rules")) {
			if (vg_yaml_is_null(v))
				continue;
			if (v->kind != VG_YAML_SEQ)
				return fail(&c, v, -EBADMSG, "rules must be a list");
			for (size_t j = 0; j < v->n; j++) {
				r = parse_rule(&c, v->items[j]);
				if (r < 0)
					return r;
			}
		} else if (!strcmp(key, "allowlist")) {
			if (vg_yaml_is_null(v))
				continue;
			r = parse_allowlist(&c, v);
			if (r < 0)
				return r;
		} else {
			return fail(&c, k, -EBADMSG, "unknown key '%.64s' (rules, allowlist)", key);
		}
	}
	return 0;
}

int vg_secret_ruleset_load_file(struct vg_secret_ruleset *rs, const char *path, char *err,
				size_t errsize)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	int r;

	r = vg_read_file(path, VG_SECRET_RULE_FILE_MAX, &buf, &len);
	if (r < 0) {
		snprintf(err, errsize, "%s: %s", path,
			 r == -E2BIG ? "file too large" : strerror(-r));
		return r;
	}
	return vg_secret_ruleset_load_buffer(rs, path, buf, len, err, errsize);
}

int vg_secret_ruleset_load_builtin(struct vg_secret_ruleset *rs, char *err, size_t errsize)
{
	for (const struct vg_embedded_file *f = vg_secrets_builtin; f->name; f++) {
		int r = vg_secret_ruleset_load_buffer(rs, f->name, f->data, f->size, err, errsize);

		if (r < 0)
			return r;
	}
	return 0;
}

int vg_secret_ruleset_compile(struct vg_secret_ruleset *rs, char *err, size_t errsize)
{
	int r;

	if (rs->compiled)
		return 0;
	vg_vec_for_each(const char *, id, &rs->disabled_ids) {
		struct vg_secret_rule *rule = vg_hashmap_get_str(&rs->by_id, *id);

		if (!rule) {
			snprintf(err, errsize, "allowlist: unknown rule '%s'", *id);
			return -EBADMSG;
		}
		rule->disabled = true;
	}
	rs->ac = vg_ac_new();
	if (!rs->ac)
		return -ENOMEM;
	vg_vec_for_each(struct vg_secret_rule *, rp, &rs->rules) {
		const struct vg_secret_rule *rule = *rp;

		if (rule->disabled)
			continue;
		for (size_t i = 0; i < rule->n_keywords; i++) {
			struct vg_vec *list;
			unsigned idx = rule->index;

			r = vg_ac_add(rs->ac, rule->keywords[i], strlen(rule->keywords[i]));
			if (r < 0) {
				snprintf(err, errsize, "rule '%s': keyword '%s': %s", rule->id,
					 rule->keywords[i],
					 r == -E2BIG ? "too many keywords in the rule set"
						     : strerror(-r));
				return r;
			}
			while ((size_t)r >= rs->kw_rules.len) {
				struct vg_vec *nv;
				int q = vg_vec_push_zero(&rs->kw_rules, (void **)&nv);

				if (q < 0)
					return q;
				vg_vec_init(nv, sizeof(unsigned), 0);
			}
			list = vg_vec_at(&rs->kw_rules, (size_t)r);
			/* the same rule twice for one keyword ("AKIA" and "akia") counts once */
			if (list->len && *(unsigned *)vg_vec_at(list, list->len - 1) == idx)
				continue;
			r = vg_vec_push(list, &idx);
			if (r < 0)
				return r;
		}
	}
	r = vg_ac_build(rs->ac);
	if (r < 0) {
		snprintf(err, errsize, "cannot build the keyword automaton: %s", strerror(-r));
		return r;
	}
	rs->compiled = true;
	return 0;
}

size_t vg_secret_ruleset_count(const struct vg_secret_ruleset *rs)
{
	size_t n = 0;

	vg_vec_for_each(struct vg_secret_rule *, rp, &rs->rules)
		n += !(*rp)->disabled;
	return n;
}

const struct vg_secret_rule *vg_secret_ruleset_get(const struct vg_secret_ruleset *rs,
						   const char *id)
{
	return vg_hashmap_get_str(&rs->by_id, id);
}
