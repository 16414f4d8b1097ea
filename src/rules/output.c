/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rule outputs: the template compiled into literal pieces and slots (compile.c) is filled in
 * with the values of the event: `<NA>` when a field has no value, several values as
 * "(v1,v2)". The values come from the evaluator's cache, so fields the condition already
 * extracted are not extracted again when the output is formatted from the match callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules/compiled.h"
#include "rules/eval-internal.h"
#include "rules/ruleset.h"
#include "rules/value.h"

static int put_value(struct vg_strbuf *sb, const struct vg_value *v)
{
	char buf[128];
	int k;

	switch (v->type) {
	case VG_FT_STR:
		return vg_strbuf_append(sb, v->s.p, v->s.len);
	case VG_FT_BYTES:
		/* printable bytes as they are, others as '.', as Falco prints buffers */
		for (size_t i = 0; i < v->s.len; i++) {
			unsigned char c = (unsigned char)v->s.p[i];
			int r = vg_strbuf_putc(sb, c >= 0x20 && c < 0x7f ? (char)c : '.');

			if (r < 0)
				return r;
		}
		return 0;
	default:
		k = vg_value_format(v, buf, sizeof(buf));
		if (k < 0)
			return vg_strbuf_puts(sb, "<NA>");
		return vg_strbuf_append(sb, buf, VG_MIN((size_t)k, sizeof(buf) - 1));
	}
}

static int put_slot(struct vg_evaluator *ev, uint32_t slot, struct vg_strbuf *sb, uint32_t *ret_n)
{
	const struct vg_value *v;
	uint32_t n = vg_eval_get(ev, slot, &v);
	int r = 0;

	if (ret_n)
		*ret_n = n;
	if (!n)
		return vg_strbuf_puts(sb, "<NA>");
	if (n == 1)
		return put_value(sb, v);
	r = vg_strbuf_putc(sb, '(');
	for (uint32_t i = 0; i < n && r >= 0; i++) {
		if (i)
			r = vg_strbuf_putc(sb, ',');
		if (r >= 0)
			r = put_value(sb, &v[i]);
	}
	if (r >= 0)
		r = vg_strbuf_putc(sb, ')');
	return r;
}

static void ensure_event(struct vg_evaluator *ev, const void *obj)
{
	/* From the match callback the cache of this event is still valid. */
	if (!(ev->in_eval && ev->obj == obj))
		vg_eval_begin(ev, obj);
}

int vg_rule_output(struct vg_evaluator *ev, const struct vg_rule *rule, const void *obj,
		   struct vg_strbuf *out)
{
	const struct vg_crule *cr;
	int r = 0;

	if (!ev || !rule || !out)
		return -EINVAL;
	cr = vg_container_of(rule, const struct vg_crule, pub);
	ensure_event(ev, obj);
	for (size_t i = 0; i < cr->n_out && r >= 0; i++) {
		const struct vg_opiece *p = &cr->out[i];

		if (p->slot < 0)
			r = vg_strbuf_append(out, p->lit, p->len);
		else
			r = put_slot(ev, (uint32_t)p->slot, out, NULL);
	}
	return r < 0 ? r : 0;
}

void vg_rule_output_fields(struct vg_evaluator *ev, const struct vg_rule *rule, const void *obj,
			   vg_output_field_fn *cb, void *userdata)
{
	const struct vg_crule *cr;

	if (!ev || !rule || !cb)
		return;
	cr = vg_container_of(rule, const struct vg_crule, pub);
	ensure_event(ev, obj);
	for (size_t i = 0; i < cr->n_ofields; i++) {
		const struct vg_slot *sl = ev->rs->slots[cr->ofields[i]];
		uint32_t n = 0;
		int r;

		vg_strbuf_reset(&ev->sb);
		r = put_slot(ev, cr->ofields[i], &ev->sb, &n);
		cb(userdata, sl->text, n && r >= 0 ? vg_strbuf_str(&ev->sb) : NULL,
		   n == 1 && sl->numeric_out);
	}
}
