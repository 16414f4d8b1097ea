/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Audit driver of the image and Dockerfile targets (image.h): the rules of the image, or of
 * the dockerfile and dockerfile_instr sources, selected by benchmark tag; one report object
 * per image or Dockerfile; findings with the instruction's line; suppressions and scores as
 * for Kubernetes manifests (audit.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "audit/image.h"
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "basic/embedded.h"

extern const struct vg_embedded_file vg_audit_image_builtin_rules[];

int vg_audit_image_load_builtin(struct vg_rules_collection *c, struct vg_diags *d)
{
	int r = 0, q;

	for (const struct vg_embedded_file *f = vg_audit_image_builtin_rules; f->name; f++) {
		q = vg_rules_load_buffer(c, f->name, f->data, f->size, d);
		if (q < 0 && !r)
			r = q;
	}
	return r;
}

int vg_audit_image_sources_register(void)
{
	int r = vg_image_source_register();

	return r < 0 ? r : vg_dockerfile_sources_register();
}

struct run {
	struct vg_audit_report *rep;
	const struct vg_audit_options *o;
	struct vg_evaluator *ev;
	bool *selected;
	size_t n_selected;
	const char *file, *kind, *name;
	size_t object;
	unsigned line;
	const void *obj;
	struct vg_strbuf out;
	int r;
};

static void on_match(void *userdata, const struct vg_rule *rule)
{
	struct run *x = userdata;
	struct vg_audit_finding f = {0};
	struct vg_audit_object *obj = vg_vec_at(&x->rep->objects, x->object);
	int r;

	if (x->r < 0 || rule->index >= x->n_selected || !x->selected[rule->index])
		return;
	f.rule = rule;
	f.control = vg_audit_rule_control(rule);
	f.object = x->object;
	f.file = x->file;
	f.line = x->line;
	vg_strbuf_reset(&x->out);
	r = vg_rule_output(x->ev, rule, x->obj, &x->out);
	if (r >= 0) {
		f.output = vg_arena_strdup(&x->rep->arena, vg_strbuf_str(&x->out));
		r = f.output ? 0 : -ENOMEM;
	}
	if (r < 0) {
		x->r = r;
		return;
	}
	if (x->o->ignores)
		vg_vec_for_each(struct vg_audit_ignore, ig, &x->o->ignores->items) {
			if (vg_audit_ignore_applies(ig, rule, f.control, x->file, x->kind, x->name,
						    x->o->today)) {
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

/* Selects the rules of sources a and b (b may be NULL) in the benchmark (a tag). */
static int select_rules(struct run *x, const struct vg_ruleset *rs, const char *a, const char *b)
{
	size_t n = vg_ruleset_count(rs);
	int r;

	for (size_t i = 0; i < n; i++)
		x->n_selected = VG_MAX(x->n_selected, (size_t)vg_ruleset_rule(rs, i)->index + 1);
	x->selected = calloc(x->n_selected ? x->n_selected : 1, sizeof(bool));
	if (!x->selected)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct vg_rule *rule = vg_ruleset_rule(rs, i);
		const char *id;
		bool seen = false;

		if (strcmp(rule->source, a) != 0 && (!b || strcmp(rule->source, b) != 0))
			continue;
		if (x->o->benchmark && !vg_audit_rule_has_tag(rule, x->o->benchmark))
			continue;
		x->selected[rule->index] = true;
		r = vg_vec_push(&x->rep->rules, &rule);
		if (r < 0)
			return r;
		id = vg_audit_rule_control(rule);
		vg_vec_for_each(struct vg_audit_control, c, &x->rep->controls)
			seen |= strcmp(c->id, id) == 0;
		if (!seen) {
			struct vg_audit_control c = {.id = id, .rule = rule};

			r = vg_vec_push(&x->rep->controls, &c);
			if (r < 0)
				return r;
		}
	}
	return x->rep->rules.len ? 0 : -ENOENT;
}

static void score_object(struct vg_audit_report *rep, size_t object)
{
	struct vg_audit_object *obj = vg_vec_at(&rep->objects, object);

	vg_vec_for_each(struct vg_audit_control, c, &rep->controls) {
		for (size_t i = obj->first_finding; i < obj->first_finding + obj->n_findings; i++) {
			const struct vg_audit_finding *f = vg_vec_at(&rep->findings, i);

			if (!f->suppressed_by && strcmp(f->control, c->id) == 0) {
				obj->n_failed++;
				c->n_failed_objects++;
				break;
			}
		}
	}
}

static int begin(struct run *x, const struct vg_ruleset *rs, const char *a, const char *b)
{
	struct vg_audit_object obj = {
		.file = x->file,
		.line = 1,
		.doc = 1,
		.kind = x->kind,
		.name = x->name,
		.first_finding = x->rep->findings.len,
	};
	int r;

	x->rep->benchmark =
		x->o->benchmark ? vg_arena_strdup(&x->rep->arena, x->o->benchmark) : NULL;
	r = vg_audit_image_sources_register();
	if (r >= 0)
		r = select_rules(x, rs, a, b);
	if (r >= 0)
		r = vg_evaluator_new(rs, &x->ev);
	if (r >= 0)
		r = vg_vec_push(&x->rep->objects, &obj);
	x->object = x->rep->objects.len - 1;
	return r;
}

static int end(struct run *x)
{
	if (x->r >= 0 && x->rep->objects.len)
		score_object(x->rep, x->object);
	vg_evaluator_free(x->ev);
	vg_strbuf_done(&x->out);
	free(x->selected);
	return x->r < 0 ? x->r : 0;
}

int vg_audit_image(const struct vg_ruleset *rs, const struct vg_image_facts *f,
		   const struct vg_audit_options *o, struct vg_audit_report *rep)
{
	struct run x = {.rep = rep, .o = o, .out = VG_STRBUF_INIT(1024 * 1024)};
	const struct vg_source *src;

	x.file = f->target ? f->target : "";
	x.kind = "Image";
	x.name = f->ref ? f->ref : x.file;
	x.line = 1;
	x.obj = f;
	x.r = begin(&x, rs, VG_IMAGE_SOURCE, NULL);
	src = vg_source_find(VG_IMAGE_SOURCE);
	if (x.r >= 0 && src)
		vg_eval(x.ev, src, f, on_match, &x);
	return end(&x);
}

int vg_audit_dockerfile(const struct vg_ruleset *rs, const struct vg_dockerfile *df,
			const struct vg_audit_options *o, struct vg_audit_report *rep)
{
	struct run x = {.rep = rep, .o = o, .out = VG_STRBUF_INIT(1024 * 1024)};
	const struct vg_source *fsrc, *isrc;

	x.file = df->path ? df->path : "";
	x.kind = "Dockerfile";
	x.name =
		strrchr(x.file, '/') && strrchr(x.file, '/')[1] ? strrchr(x.file, '/') + 1 : x.file;
	x.r = begin(&x, rs, VG_DOCKERFILE_SOURCE, VG_DOCKERFILE_INSTR_SOURCE);
	fsrc = vg_source_find(VG_DOCKERFILE_SOURCE);
	isrc = vg_source_find(VG_DOCKERFILE_INSTR_SOURCE);
	if (x.r >= 0 && fsrc && isrc) {
		x.line = 1;
		x.obj = df;
		vg_eval(x.ev, fsrc, df, on_match, &x);
		for (size_t i = 0; i < vg_dockerfile_count(df) && x.r >= 0; i++) {
			const struct vg_df_instr *in = vg_dockerfile_instr(df, i);

			x.line = in->line;
			x.obj = in;
			vg_eval(x.ev, isrc, in, on_match, &x);
		}
	}
	return end(&x);
}
