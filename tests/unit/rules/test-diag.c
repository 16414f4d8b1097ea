/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnostics list: levels, counters, bound, printing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/diag.h"
#include "tap.h"

static char *print(const struct vg_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	vg_diags_print(d, f);
	fclose(f);
	return buf;
}

TEST(add_and_print)
{
	struct vg_diags d;
	struct vg_srcpos p = {.file = "rules.yaml", .line = 3, .col = 14};
	struct vg_srcpos nocol = {.file = "x.yaml", .line = 7};
	const struct vg_diag *g;
	char *s;

	vg_diags_init(&d);
	vg_diag_add(&d, VG_DIAG_ERROR, &p, "rule 'r'", "LOAD_ERR_VALIDATE", "bad %s %d", "thing",
		    42);
	vg_diag_add(&d, VG_DIAG_WARNING, &nocol, NULL, NULL, "careful");
	vg_diag_add(&d, VG_DIAG_WARNING, NULL, NULL, "X", "nowhere");
	ASSERT_EQ(d.errors, 1u);
	ASSERT_EQ(d.warnings, 2u);
	ASSERT_EQ(d.v.len, 3u);
	g = vg_vec_at(&d.v, 0);
	ASSERT_STREQ(g->msg, "bad thing 42");
	ASSERT_STREQ(g->code, "LOAD_ERR_VALIDATE");
	ASSERT_STREQ(g->item, "rule 'r'");
	ASSERT_EQ(g->pos.line, 3u);
	s = print(&d);
	ASSERT_NOT_NULL(s);
	ASSERT_STREQ(s, "rules.yaml:3:14: error: bad thing 42 (rule 'r')\n"
			"x.yaml:7: warning: careful\n"
			"<input>: warning: nowhere\n");
	free(s);
	vg_diags_done(&d);
	ASSERT_EQ(d.v.len, 0u);
}

TEST(bounded)
{
	struct vg_diags d;
	char *s;

	vg_diags_init(&d);
	for (int i = 0; i < VG_DIAGS_MAX + 5; i++)
		vg_diag_add(&d, i % 2 ? VG_DIAG_WARNING : VG_DIAG_ERROR, NULL, NULL, NULL, "%d", i);
	ASSERT_EQ(d.v.len, (size_t)VG_DIAGS_MAX);
	ASSERT_EQ(d.errors + d.warnings, (size_t)VG_DIAGS_MAX + 5);
	s = print(&d);
	ASSERT_NOT_NULL(strstr(s, "3 more errors and 2 more warnings not shown\n"));
	free(s);
	vg_diags_done(&d);
}
