/* SPDX-License-Identifier: Apache-2.0 */
/* Evaluation of the host and container objects for vigil audit (audit-docker.h). */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit-docker.h"
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "basic/embedded.h"

extern const struct vg_embedded_file vg_audit_docker_rules[];

int vg_audit_docker_load_builtin(struct vg_rules_collection *c, struct vg_diags *d)
{
	int r = 0, q;

	for (const struct vg_embedded_file *f = vg_audit_docker_rules; f->name; f++) {
		q = vg_rules_load_buffer(c, f->name, f->data, f->size, d);
		if (q < 0 && !r)
			r = q;
	}
	return r;
}

struct dctx {
	struct vg_audit_report *rep;
	const struct vg_audit_options *o;
	struct vg_evaluator *ev;
	const bool *selected;
	size_t n_selected;
	const void *obj;
	size_t object;
	const char *file, *name, *kind;
	struct vg_strbuf out;
	int r;
};

static void on_match(void *userdata, const struct vg_rule *rule)
{
	struct dctx *x = userdata;
	struct vg_audit_finding f = {0};
	struct vg_audit_object *obj = vg_vec_at(&x->rep->objects, x->object);
	int r;

	if (x->r < 0 || rule->index >= x->n_selected || !x->selected[rule->index])
		return;
	f.rule = rule;
	f.control = rule->name;
	f.object = x->object;
	f.file = x->file;
	f.line = 1;
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
			if (vg_audit_ignore_applies(ig, rule, rule->name, x->file, x->kind, x->name,
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
		obj->n_failed++;
		x->rep->n_failed++;
		vg_vec_for_each(struct vg_audit_control, c, &x->rep->controls)
			if (!strcmp(c->id, rule->name))
				c->n_failed_objects++;
	}
}

static int select_rules(const struct vg_ruleset *rs, const char *source,
			const struct vg_audit_options *o, struct vg_audit_report *rep,
			bool *selected, size_t n_sel)
{
	size_t n = vg_ruleset_count(rs), k = 0;
	int r;

	for (size_t i = 0; i < n; i++) {
		const struct vg_rule *rule = vg_ruleset_rule(rs, i);
		struct vg_audit_control c = {.id = rule->name, .rule = rule};

		if (rule->index >= n_sel || strcmp(rule->source, source) != 0)
			continue;
		if (o->benchmark && !vg_audit_rule_has_tag(rule, o->benchmark))
			continue;
		selected[rule->index] = true;
		k++;
		r = vg_vec_push(&rep->rules, &rule);
		if (r >= 0)
			r = vg_vec_push(&rep->controls, &c);
		if (r < 0)
			return r;
	}
	return k ? 0 : -ENOENT;
}

static int setup(const struct vg_ruleset *rs, const char *source, const struct vg_audit_options *o,
		 struct vg_audit_report *rep, struct dctx *x, bool **ret_sel)
{
	size_t n_sel = 0;
	bool *sel;
	int r;

	r = vg_host_source_register();
	if (r < 0)
		return r;
	rep->benchmark = o->benchmark ? vg_arena_strdup(&rep->arena, o->benchmark) : NULL;
	for (size_t i = 0; i < vg_ruleset_count(rs); i++)
		n_sel = VG_MAX(n_sel, (size_t)vg_ruleset_rule(rs, i)->index + 1);
	sel = calloc(n_sel ? n_sel : 1, sizeof(*sel));
	if (!sel)
		return -ENOMEM;
	r = select_rules(rs, source, o, rep, sel, n_sel);
	if (r >= 0)
		r = vg_evaluator_new(rs, &x->ev);
	if (r < 0) {
		free(sel);
		return r;
	}
	x->rep = rep;
	x->o = o;
	x->selected = sel;
	x->n_selected = n_sel;
	x->out = (struct vg_strbuf)VG_STRBUF_INIT(1024 * 1024);
	*ret_sel = sel;
	return 0;
}

static int add_object(struct dctx *x, const void *obj, const char *file, const char *kind,
		      const char *name)
{
	struct vg_audit_object o = {
		.file = file,
		.line = 1,
		.kind = kind,
		.name = name,
		.first_finding = x->rep->findings.len,
	};
	int r = vg_vec_push(&x->rep->objects, &o);

	if (r < 0)
		return r;
	x->object = x->rep->objects.len - 1;
	x->obj = obj;
	x->file = file;
	x->kind = kind;
	x->name = name;
	return 0;
}

int vg_audit_host(const struct vg_ruleset *rs, const struct vg_host *h,
		  const struct vg_audit_options *o, struct vg_audit_report *rep)
{
	struct dctx x = {0};
	cleanup_free bool *sel = NULL;
	const struct vg_source *src;
	const char *file;
	int r;

	r = setup(rs, VG_HOST_SOURCE, o, rep, &x, &sel);
	if (r < 0)
		return r;
	src = vg_source_find(VG_HOST_SOURCE);
	/* the inputs, and those that do not exist */
	r = vg_audit_report_file(
		rep, h->dockerd_pid ? "dockerd (running)" : "dockerd (not running)",
		h->dockerd_pid ? VG_AUDIT_FILE_OK : VG_AUDIT_FILE_NOT_APPLICABLE,
		h->dockerd_pid ? 1 : 0, h->dockerd_pid ? NULL : "no dockerd process");
	if (r >= 0)
		r = vg_audit_report_file(
			rep, h->daemon_json ? h->daemon_json : "/etc/docker/daemon.json",
			h->daemon_json_error ? VG_AUDIT_FILE_ERROR
			: h->daemon_json     ? VG_AUDIT_FILE_OK
					     : VG_AUDIT_FILE_NOT_APPLICABLE,
			h->daemon_json ? 1 : 0,
			h->daemon_json_error ? h->daemon_json_error
			: h->daemon_json     ? NULL
					     : "no daemon.json");
	if (r >= 0)
		r = vg_audit_report_file(
			rep, h->service_unit ? h->service_unit : "docker.service",
			h->service_unit ? VG_AUDIT_FILE_OK : VG_AUDIT_FILE_NOT_APPLICABLE,
			h->service_unit ? 1 : 0, h->service_unit ? NULL : "no systemd unit");
	if (r >= 0 && vg_host_applicable(h)) {
		file = h->daemon_json ? h->daemon_json : h->service_unit ? h->service_unit : "host";
		r = add_object(&x, h, file, "Host", "docker");
		if (r >= 0)
			vg_eval(x.ev, src, h, on_match, &x);
		r = x.r;
	}
	vg_evaluator_free(x.ev);
	vg_strbuf_done(&x.out);
	return r < 0 ? r : 0;
}

int vg_audit_containers(const struct vg_ruleset *rs, const struct vg_ctr_set *s,
			const struct vg_audit_options *o, struct vg_audit_report *rep)
{
	struct dctx x = {0};
	cleanup_free bool *sel = NULL;
	const struct vg_source *src;
	int r;

	r = setup(rs, VG_CONTAINER_SOURCE, o, rep, &x, &sel);
	if (r < 0)
		return r;
	src = vg_source_find(VG_CONTAINER_SOURCE);
	for (size_t i = 0; i < vg_ctr_count(s) && x.r >= 0; i++) {
		const struct vg_ctr *c = vg_ctr_at(s, i);

		r = add_object(&x, c, c->origin, "Container", c->name ? c->name : c->id);
		if (r < 0) {
			x.r = r;
			break;
		}
		vg_eval(x.ev, src, c, on_match, &x);
	}
	vg_evaluator_free(x.ev);
	vg_strbuf_done(&x.out);
	return x.r < 0 ? x.r : 0;
}
