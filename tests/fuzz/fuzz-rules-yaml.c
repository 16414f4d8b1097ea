/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_rules_load_buffer(): arbitrary bytes as a rules file, loaded twice into one
 * collection (so redefinitions, appends and overrides meet existing items), then every
 * source map is walked: offsets must map inside the file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/diag.h"
#include "rules/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned max_line;

static void check_src(const struct vg_cond_src *c)
{
	struct vg_srcpos p;

	if (!c->text || c->text[c->len] != '\0')
		abort();
	for (unsigned i = 1; i < c->n_segs; i++)
		if (c->segs[i].off < c->segs[i - 1].off || c->segs[i].off > c->len)
			abort();
	/* a few offsets, not all: appended texts can be long */
	for (size_t o = 0; o <= c->len; o += 1 + c->len / 16) {
		vg_cond_src_pos(c, o, &p);
		if (!p.file || p.line == 0 || p.line > max_line + 1 || p.col == 0)
			abort();
	}
	vg_cond_src_pos(c, c->len, &p);
}

static void check(const struct vg_rules_collection *c)
{
	vg_vec_for_each(struct vg_rule_macro *, m, &c->macros) {
		if (vg_hashmap_get_str(&c->macro_by_name, (*m)->name) != *m)
			abort();
		check_src(&(*m)->cond);
	}
	vg_vec_for_each(struct vg_rule_list *, l, &c->lists)
		for (size_t i = 0; i < (*l)->n_items; i++)
			if (!(*l)->items[i].text)
				abort();
	vg_vec_for_each(struct vg_rule_def *, r, &c->rules) {
		const struct vg_rule_def *d = *r;

		if (vg_hashmap_get_str(&c->rule_by_name, d->name) != d)
			abort();
		if ((size_t)(r - (struct vg_rule_def **)c->rules.data) != d->index)
			abort();
		if ((unsigned)d->priority >= VG_PRIO__MAX || !vg_priority_name(d->priority))
			abort();
		if (!d->desc || !d->output || !d->source)
			abort();
		check_src(&d->cond);
		check_src(&d->output_src);
		for (size_t i = 0; i < d->n_tags; i++)
			if (!d->tags[i])
				abort();
		for (size_t i = 0; i < d->n_exceptions; i++) {
			const struct vg_rule_exception *e = &d->exceptions[i];

			if (!e->name || e->n_comps != (e->single_field ? 1 : e->n_fields))
				abort();
			for (size_t j = 0; j < e->n_values; j++)
				for (size_t k = 0; k < (e->single_field ? 1 : e->n_fields); k++)
					if (!e->values[j][k].text)
						abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_rules_collection c;
	struct vg_diags d;
	int r;

	/* big inputs only slow the fuzzer down; the limits have their unit tests */
	if (size > 256 * 1024)
		return 0;
	/* an upper bound of libyaml's line count (CR, LF, NEL, LS, PS all break lines) */
	max_line = 1;
	for (size_t i = 0; i < size; i++)
		max_line += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 ||
			    data[i] == 0xa8 || data[i] == 0xa9;
	vg_rules_collection_init(&c);
	vg_diags_init(&d);
	for (int pass = 0; pass < 2; pass++) {
		size_t e0 = d.errors;

		r = vg_rules_load_buffer(&c, "fuzz.yaml", (const char *)data, size, &d);
		if (r < 0 && d.errors == e0 && r != -ENOMEM)
			abort();
		if (r == 0 && d.errors != e0)
			abort();
		check(&c);
	}
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
	return 0;
}
