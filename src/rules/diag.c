/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnostics for rule authors: a bounded list of errors and warnings with positions. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/diag.h"

void vg_diags_init(struct vg_diags *d)
{
	vg_vec_init(&d->v, sizeof(struct vg_diag), VG_DIAGS_MAX);
	d->errors = 0;
	d->warnings = 0;
}

void vg_diags_done(struct vg_diags *d)
{
	vg_vec_for_each(struct vg_diag, x, &d->v) {
		free(x->item);
		free(x->code);
		free(x->msg);
	}
	vg_vec_done(&d->v);
	d->errors = 0;
	d->warnings = 0;
}

void vg_diag_add(struct vg_diags *d, enum vg_diag_level level, const struct vg_srcpos *pos,
		 const char *item, const char *code, const char *fmt, ...)
{
	struct vg_diag x = {.level = level};
	va_list ap;
	int r;

	if (level == VG_DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->v.len >= VG_DIAGS_MAX)
		return;
	if (pos)
		x.pos = *pos;
	x.item = item ? strdup(item) : NULL;
	x.code = code ? strdup(code) : NULL;
	va_start(ap, fmt);
	r = vasprintf(&x.msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		x.msg = NULL;
	if (vg_vec_push(&d->v, &x) < 0) {
		free(x.item);
		free(x.code);
		free(x.msg);
	}
}

static const char *level_name(enum vg_diag_level l)
{
	return l == VG_DIAG_ERROR ? "error" : "warning";
}

void vg_diags_print(const struct vg_diags *d, FILE *f)
{
	size_t shown_e = 0, shown_w = 0;

	vg_vec_for_each(const struct vg_diag, x, &d->v) {
		const char *file = x->pos.file ? x->pos.file : "<input>";

		if (x->pos.line && x->pos.col)
			fprintf(f, "%s:%u:%u: ", file, x->pos.line, x->pos.col);
		else if (x->pos.line)
			fprintf(f, "%s:%u: ", file, x->pos.line);
		else
			fprintf(f, "%s: ", file);
		fprintf(f, "%s: %s", level_name(x->level), x->msg ? x->msg : "(out of memory)");
		if (x->item)
			fprintf(f, " (%s)", x->item);
		fputc('\n', f);
		if (x->level == VG_DIAG_ERROR)
			shown_e++;
		else
			shown_w++;
	}
	if (shown_e < d->errors || shown_w < d->warnings)
		fprintf(f, "%zu more errors and %zu more warnings not shown\n", d->errors - shown_e,
			d->warnings - shown_w);
}
