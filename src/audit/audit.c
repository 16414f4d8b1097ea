/* SPDX-License-Identifier: Apache-2.0 */
/* Audit driver: rule selection, evaluation of PodSpecs, suppressions and scores (audit.h). */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "basic/embedded.h"

extern const struct vg_embedded_file vg_audit_builtin_rules[];

#define IGNORE_LINE_MAX 4096

int vg_audit_load_builtin(struct vg_rules_collection *c, struct vg_diags *d)
{
	int r = 0, q;

	for (const struct vg_embedded_file *f = vg_audit_builtin_rules; f->name; f++) {
		q = vg_rules_load_buffer(c, f->name, f->data, f->size, d);
		if (q < 0 && !r)
			r = q;
	}
	return r;
}

/* ---- ignore files ---------------------------------------------------------------------- */

void vg_audit_ignores_init(struct vg_audit_ignores *ig)
{
	vg_arena_init(&ig->arena, VG_SUPPRESS_FILE_MAX * 4);
	vg_vec_init(&ig->items, sizeof(struct vg_audit_ignore), VG_SUPPRESS_ENTRIES_MAX);
	ig->file = NULL;
}

void vg_audit_ignores_done(struct vg_audit_ignores *ig)
{
	vg_vec_done(&ig->items);
	vg_arena_done(&ig->arena);
}

int64_t vg_audit_parse_date(const char *s, size_t len)
{
	int y, m, d;
	int64_t era, yoe, doy, doe;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -EINVAL;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -EINVAL;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -EINVAL;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -EINVAL;
	/* days from civil (H. Hinnant) */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct iparse {
	const char *name;
	char *err;
	size_t errsize;
	unsigned line;
};

VG_PRINTF(3, 4)
static int ierr(struct iparse *p, size_t col, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!p->err || !p->errsize)
		return -EBADMSG;
	k = snprintf(p->err, p->errsize, "%s:%u:%zu: ", p->name, p->line, col + 1);
	if (k < 0 || (size_t)k >= p->errsize)
		return -EBADMSG;
	va_start(ap, fmt);
	vsnprintf(p->err + k, p->errsize - (size_t)k, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* One token at s[*i]: "quoted" (\" and \\ escapes) or bare up to a blank; copied. */
static int token(struct vg_audit_ignores *ig, struct iparse *p, const char *s, size_t n, size_t *i,
		 const char **ret)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(IGNORE_LINE_MAX);
	size_t start = *i;
	int r = 0;

	if (*i < n && s[*i] == '"') {
		(*i)++;
		while (*i < n && s[*i] != '"' && r >= 0) {
			if (s[*i] == '\\' && *i + 1 < n)
				(*i)++;
			r = vg_strbuf_putc(&sb, s[(*i)++]);
		}
		if (*i >= n) {
			vg_strbuf_done(&sb);
			return ierr(p, start, "unterminated quoted string");
		}
		(*i)++;
	} else {
		while (*i < n && s[*i] != ' ' && s[*i] != '\t' && r >= 0)
			r = vg_strbuf_putc(&sb, s[(*i)++]);
	}
	if (r >= 0) {
		*ret = vg_arena_strdup(&ig->arena, vg_strbuf_str(&sb));
		r = *ret ? 0 : -ENOMEM;
	}
	vg_strbuf_done(&sb);
	return r;
}

static int parse_ignore_line(struct vg_audit_ignores *ig, struct iparse *p, const char *s, size_t n)
{
	struct vg_audit_ignore e = {.expires = -1, .line = p->line};
	size_t i = 0;
	int r;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	r = token(ig, p, s, n, &i, &e.what);
	if (r < 0)
		return r;
	if (!*e.what)
		return ierr(p, i, "empty rule or tag");
	for (;;) {
		size_t kstart, klen;
		const char *val;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n || s[i] == '#')
			break;
		kstart = i;
		while (i < n && s[i] != '=' && s[i] != ' ' && s[i] != '\t')
			i++;
		if (i == n || s[i] != '=')
			return ierr(p, kstart, "expected KEY=VALUE (file=, name=, exp=, reason=)");
		klen = i - kstart;
		i++;
		r = token(ig, p, s, n, &i, &val);
		if (r < 0)
			return r;
		if (klen == 4 && memcmp(s + kstart, "file", 4) == 0) {
			e.file_glob = val;
		} else if (klen == 4 && memcmp(s + kstart, "name", 4) == 0) {
			e.name = val;
		} else if (klen == 3 && memcmp(s + kstart, "exp", 3) == 0) {
			e.expires = vg_audit_parse_date(val, strlen(val));
			if (e.expires < 0)
				return ierr(p, kstart, "exp must be a date YYYY-MM-DD, found '%s'",
					    val);
		} else if (klen == 6 && memcmp(s + kstart, "reason", 6) == 0) {
			e.reason = val;
		} else {
			return ierr(p, kstart, "unknown key '%.*s' (file, name, exp, reason)",
				    (int)klen, s + kstart);
		}
	}
	if (!e.reason || !*e.reason)
		return ierr(p, 0, "a suppression needs reason=\"...\"");
	r = vg_vec_push(&ig->items, &e);
	return r == -E2BIG ? ierr(p, 0, "more than %d suppressions", VG_SUPPRESS_ENTRIES_MAX) : r;
}

int vg_audit_ignores_parse(struct vg_audit_ignores *ig, const char *buf, size_t len,
			   const char *name, char *err, size_t errsize)
{
	struct iparse p = {.name = name ? name : "<ignorefile>", .err = err, .errsize = errsize};
	size_t off = 0;
	int r;

	if (len > VG_SUPPRESS_FILE_MAX)
		return ierr(&p, 0, "file larger than %d bytes", VG_SUPPRESS_FILE_MAX), -E2BIG;
	ig->file = vg_arena_strdup(&ig->arena, p.name);
	if (!ig->file)
		return -ENOMEM;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;

		p.line++;
		if (n && buf[off + n - 1] == '\r')
			n--;
		if (memchr(buf + off, '\0', n))
			return ierr(&p, 0, "NUL byte");
		if (n > IGNORE_LINE_MAX)
			return ierr(&p, 0, "line longer than %d bytes", IGNORE_LINE_MAX);
		r = parse_ignore_line(ig, &p, buf + off, n);
		if (r < 0)
			return r;
		off += n + (nl ? 1 + (buf[off + n] == '\r') : 0);
	}
	return 0;
}

int vg_audit_ignores_load(struct vg_audit_ignores *ig, const char *path, char *err, size_t errsize)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int r = vg_read_file(path, VG_SUPPRESS_FILE_MAX, &buf, &len);

	if (r < 0) {
		if (err && errsize)
			snprintf(err, errsize, "%s: %s", path,
				 r == -E2BIG ? "file too large" : strerror(-r));
		return r;
	}
	return vg_audit_ignores_parse(ig, buf, len, path, err, errsize);
}

/* ---- report ---------------------------------------------------------------------------- */

void vg_audit_report_init(struct vg_audit_report *rep, const char *target)
{
	memset(rep, 0, sizeof(*rep));
	vg_arena_init(&rep->arena, VG_K8S_ARENA_MAX);
	rep->target = target;
	vg_vec_init(&rep->rules, sizeof(const struct vg_rule *), 0);
	vg_vec_init(&rep->controls, sizeof(struct vg_audit_control), 0);
	vg_vec_init(&rep->objects, sizeof(struct vg_audit_object), VG_K8S_PODS_MAX);
	vg_vec_init(&rep->findings, sizeof(struct vg_audit_finding), VG_AUDIT_FINDINGS_MAX);
	vg_vec_init(&rep->files, sizeof(struct vg_audit_file), VG_K8S_FILES_MAX);
}

void vg_audit_report_done(struct vg_audit_report *rep)
{
	vg_vec_done(&rep->rules);
	vg_vec_done(&rep->controls);
	vg_vec_done(&rep->objects);
	vg_vec_done(&rep->findings);
	vg_vec_done(&rep->files);
	vg_arena_done(&rep->arena);
}

int vg_audit_report_file(struct vg_audit_report *rep, const char *path,
			 enum vg_audit_file_status st, size_t n_objects, const char *error)
{
	struct vg_audit_file f = {.status = st, .n_objects = n_objects};

	f.path = vg_arena_strdup(&rep->arena, path);
	f.error = error ? vg_arena_strdup(&rep->arena, error) : NULL;
	if (!f.path || (error && !f.error))
		return -ENOMEM;
	return vg_vec_push(&rep->files, &f);
}

const char *vg_audit_rule_control(const struct vg_rule *rule)
{
	for (size_t i = 0; i < rule->n_tags; i++)
		if (strncmp(rule->tags[i], "pss/", 4) == 0 && rule->tags[i][4])
			return rule->tags[i] + 4;
	return rule->name;
}

bool vg_audit_rule_has_tag(const struct vg_rule *rule, const char *tag)
{
	for (size_t i = 0; i < rule->n_tags; i++)
		if (strcmp(rule->tags[i], tag) == 0)
			return true;
	return false;
}

static bool in_benchmark(const struct vg_rule *rule, const char *bench)
{
	if (!bench)
		return true;
	if (vg_audit_rule_has_tag(rule, bench))
		return true;
	/* the restricted level includes the baseline */
	return strcmp(bench, "pss-restricted") == 0 && vg_audit_rule_has_tag(rule, "pss-baseline");
}

struct evalctx {
	struct vg_audit_report *rep;
	const struct vg_audit_options *o;
	struct vg_evaluator *ev;
	const bool *selected;
	size_t n_selected;
	const void *obj;
	size_t object;
	const struct vg_k8s_pod *pod;
	const char *container;
	unsigned line;
	struct vg_strbuf out;
	int r;
};

bool vg_audit_ignore_applies(const struct vg_audit_ignore *ig, const struct vg_rule *rule,
			     const char *control, const char *file, const char *kind,
			     const char *name, int64_t today)
{
	char kn[1024];

	if (ig->expires >= 0 && today > ig->expires)
		return false;
	if (strcmp(ig->what, rule->name) != 0 && strcmp(ig->what, control) != 0 &&
	    !vg_audit_rule_has_tag(rule, ig->what))
		return false;
	if (ig->file_glob && fnmatch(ig->file_glob, file, 0) != 0)
		return false;
	if (ig->name) {
		name = name ? name : "";
		snprintf(kn, sizeof(kn), "%s/%s", kind ? kind : "", name);
		if (fnmatch(ig->name, name, 0) != 0 && fnmatch(ig->name, kn, 0) != 0)
			return false;
	}
	return true;
}

static void on_match(void *userdata, const struct vg_rule *rule)
{
	struct evalctx *x = userdata;
	struct vg_audit_finding f = {0};
	struct vg_audit_object *obj = vg_vec_at(&x->rep->objects, x->object);
	int r;

	if (x->r < 0 || rule->index >= x->n_selected || !x->selected[rule->index])
		return;
	f.rule = rule;
	f.control = vg_audit_rule_control(rule);
	f.object = x->object;
	f.container = x->container;
	f.file = x->pod->file;
	f.line = x->line;
	vg_strbuf_reset(&x->out);
	r = vg_rule_output(x->ev, rule, x->obj, &x->out);
	if (r < 0) {
		x->r = r;
		return;
	}
	f.output = vg_arena_strdup(&x->rep->arena, vg_strbuf_str(&x->out));
	if (!f.output) {
		x->r = -ENOMEM;
		return;
	}
	if (x->o->ignores)
		vg_vec_for_each(struct vg_audit_ignore, ig, &x->o->ignores->items) {
			if (vg_audit_ignore_applies(ig, rule, f.control, x->pod->file, x->pod->kind,
						    x->pod->name, x->o->today)) {
				ig->used++;
				f.suppressed_by = ig;
				break;
			}
		}
	r = vg_vec_push(&x->rep->findings, &f);
	if (r < 0) {
		x->r = r;
		return;
	}
	obj->n_findings++;
	if (f.suppressed_by) {
		obj->n_suppressed++;
		x->rep->n_suppressed++;
	} else {
		x->rep->n_failed++;
	}
}

/* Selects the rules of the k8s sources in the benchmark, minus overridden controls. */
static int select_rules(const struct vg_ruleset *rs, const struct vg_audit_options *o,
			struct vg_audit_report *rep, bool *selected, size_t n_sel)
{
	size_t n = vg_ruleset_count(rs);
	int r;

	for (size_t i = 0; i < n; i++) {
		const struct vg_rule *rule = vg_ruleset_rule(rs, i);

		if (rule->index >= n_sel)
			continue;
		if (strcmp(rule->source, VG_K8S_POD_SOURCE) != 0 &&
		    strcmp(rule->source, VG_K8S_CONTAINER_SOURCE) != 0)
			continue;
		selected[rule->index] = in_benchmark(rule, o->benchmark);
	}
	/* overrides */
	for (size_t i = 0; i < n; i++) {
		const struct vg_rule *rule = vg_ruleset_rule(rs, i);

		if (rule->index >= n_sel || !selected[rule->index])
			continue;
		for (size_t t = 0; t < rule->n_tags; t++) {
			const char *id;

			if (strncmp(rule->tags[t], "pss-overrides/", 14) != 0)
				continue;
			id = rule->tags[t] + 14;
			for (size_t k = 0; k < n; k++) {
				const struct vg_rule *other = vg_ruleset_rule(rs, k);

				if (other->index < n_sel &&
				    strcmp(vg_audit_rule_control(other), id) == 0)
					selected[other->index] = false;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct vg_rule *rule = vg_ruleset_rule(rs, i);
		const char *id;
		bool seen = false;

		if (rule->index >= n_sel || !selected[rule->index])
			continue;
		r = vg_vec_push(&rep->rules, &rule);
		if (r < 0)
			return r;
		id = vg_audit_rule_control(rule);
		vg_vec_for_each(struct vg_audit_control, c, &rep->controls)
			seen |= strcmp(c->id, id) == 0;
		if (!seen) {
			struct vg_audit_control c = {.id = id, .rule = rule};

			r = vg_vec_push(&rep->controls, &c);
			if (r < 0)
				return r;
		}
	}
	for (size_t i = 0; i < n_sel; i++)
		if (selected[i])
			return 0;
	return -ENOENT;
}

/* Controls failed by the object's unsuppressed findings [from, end). */
static void score_object(struct vg_audit_report *rep, size_t object, size_t from)
{
	struct vg_audit_object *obj = vg_vec_at(&rep->objects, object);

	vg_vec_for_each(struct vg_audit_control, c, &rep->controls) {
		for (size_t i = from; i < rep->findings.len; i++) {
			const struct vg_audit_finding *f = vg_vec_at(&rep->findings, i);

			if (!f->suppressed_by && strcmp(f->control, c->id) == 0) {
				obj->n_failed++;
				c->n_failed_objects++;
				break;
			}
		}
	}
}

int vg_audit_k8s(const struct vg_ruleset *rs, const struct vg_k8s_set *set,
		 const struct vg_audit_options *o, struct vg_audit_report *rep)
{
	const struct vg_source *psrc, *csrc;
	struct evalctx x = {.rep = rep, .o = o, .out = VG_STRBUF_INIT(1024 * 1024)};
	cleanup_free bool *selected = NULL;
	size_t n_sel = 0;
	int r;

	r = vg_k8s_sources_register();
	if (r < 0)
		return r;
	psrc = vg_source_find(VG_K8S_POD_SOURCE);
	csrc = vg_source_find(VG_K8S_CONTAINER_SOURCE);
	if (!psrc || !csrc)
		return -ENOENT;
	rep->benchmark = o->benchmark ? vg_arena_strdup(&rep->arena, o->benchmark) : NULL;
	for (size_t i = 0; i < vg_ruleset_count(rs); i++)
		n_sel = VG_MAX(n_sel, (size_t)vg_ruleset_rule(rs, i)->index + 1);
	selected = calloc(n_sel ? n_sel : 1, sizeof(*selected));
	if (!selected)
		return -ENOMEM;
	r = select_rules(rs, o, rep, selected, n_sel);
	if (r < 0)
		return r;
	r = vg_evaluator_new(rs, &x.ev);
	if (r < 0)
		return r;
	x.selected = selected;
	x.n_selected = n_sel;

	for (size_t i = 0; i < vg_k8s_count(set) && x.r >= 0; i++) {
		const struct vg_k8s_pod *pod = vg_k8s_pod_at(set, i);
		struct vg_audit_object obj = {
			.file = pod->file,
			.line = pod->line,
			.doc = pod->doc,
			.kind = pod->kind,
			.name = pod->name,
			.namespace = pod->namespace,
			.first_finding = rep->findings.len,
		};
		size_t from = rep->findings.len;

		r = vg_vec_push(&rep->objects, &obj);
		if (r < 0) {
			x.r = r;
			break;
		}
		x.object = rep->objects.len - 1;
		x.pod = pod;
		x.obj = pod;
		x.container = NULL;
		x.line = pod->line;
		vg_eval(x.ev, psrc, pod, on_match, &x);
		for (size_t k = 0; k < pod->n_containers && x.r >= 0; k++) {
			const struct vg_k8s_container *c = &pod->containers[k];

			x.obj = c;
			x.container = c->name;
			x.line = c->line;
			vg_eval(x.ev, csrc, c, on_match, &x);
		}
		score_object(rep, x.object, from);
	}
	vg_evaluator_free(x.ev);
	vg_strbuf_done(&x.out);
	return x.r < 0 ? x.r : 0;
}
