/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers: load a YAML rules document from a string and compile it. */
#ifndef VG_TESTS_RULES_HELPER_H
#define VG_TESTS_RULES_HELPER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/diag.h"
#include "rules/load.h"
#include "rules/ruleset.h"
#include "tap.h"

/* One toy-source rule, condition as a plain YAML scalar on line 3 column 14 of the rule. */
#define TOY_RULE(name, cond)                                                             \
	"- rule: " name "\n  desc: d\n  condition: " cond "\n  output: out %proc.name\n" \
	"  priority: WARNING\n  source: toy\n"

struct tc {
	struct vg_rules_collection c;
	struct vg_diags d;
	struct vg_ruleset *rs;
	int r;
};

static inline int tc_compile(struct tc *t, const char *yaml, const struct vg_compile_options *o)
{
	int r;

	memset(t, 0, sizeof(*t));
	vg_rules_collection_init(&t->c);
	vg_diags_init(&t->d);
	r = vg_rules_load_buffer(&t->c, "test.yaml", yaml, strlen(yaml), &t->d);
	if (r < 0) {
		vg_diags_print(&t->d, stderr);
		t->r = r;
		return r;
	}
	t->r = vg_rules_compile(&t->c, o, &t->rs, &t->d);
	if (getenv("TEST_DIAGS"))
		vg_diags_print(&t->d, stderr);
	return t->r;
}

static inline void tc_done(struct tc *t)
{
	t->rs = vg_ruleset_free(t->rs);
	vg_diags_done(&t->d);
	vg_rules_collection_done(&t->c);
}

static inline const struct vg_diag *tc_diag(const struct tc *t, const char *code)
{
	vg_vec_for_each(const struct vg_diag, g, &t->d.v)
		if (g->code && strcmp(g->code, code) == 0)
			return g;
	return NULL;
}

static inline size_t tc_count(const struct tc *t, const char *code)
{
	size_t n = 0;

	vg_vec_for_each(const struct vg_diag, g, &t->d.v)
		n += g->code && strcmp(g->code, code) == 0;
	return n;
}

#endif /* VG_TESTS_RULES_HELPER_H */
