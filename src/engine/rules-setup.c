/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>

#include "engine/builtin.h"
#include "engine/rules-setup.h"
#include "state/fields-syscall.h"

int vg_rules_register_sources(void)
{
	return vg_syscall_source_register();
}

int vg_rules_setup_load(const struct vg_rules_setup *s, struct vg_rules_collection *c,
			struct vg_diags *d)
{
	int r, first = 0;

	if (s->none)
		return 0;
	if (s->n_paths == 0) {
		for (const struct vg_embedded_file *f = vg_builtin_rules; f->name; f++) {
			r = vg_rules_load_buffer(c, f->name, f->data, f->size, d);
			if (r < 0 && !first)
				first = r;
		}
		return first;
	}
	/* Every path is loaded even after an error, so one run reports every problem. */
	for (size_t i = 0; i < s->n_paths; i++) {
		r = vg_rules_load_path(c, s->paths[i], d);
		if (r < 0 && !first)
			first = r;
	}
	return first;
}

int vg_rules_setup_compile(const struct vg_rules_setup *s, const struct vg_rules_collection *c,
			   struct vg_diags *d, struct vg_ruleset **ret)
{
	int r = vg_rules_register_sources();

	if (r < 0 && r != -EEXIST)
		return r;
	return vg_rules_compile(c, &s->opts, ret, d);
}

int vg_rules_setup_build(const struct vg_rules_setup *s, struct vg_rules_collection *c,
			 FILE *diag_out, struct vg_ruleset **ret, size_t *ret_errors,
			 size_t *ret_warnings)
{
	struct vg_diags d;
	int r, q;

	vg_diags_init(&d);
	r = vg_rules_setup_load(s, c, &d);
	q = vg_rules_setup_compile(s, c, &d, ret); /* also after a load error: report all */
	if (diag_out)
		vg_diags_print(&d, diag_out);
	if (r >= 0)
		r = q;
	if (r >= 0 && d.errors)
		r = -EBADMSG;
	if (ret_errors)
		*ret_errors = d.errors;
	if (ret_warnings)
		*ret_warnings = d.warnings;
	vg_diags_done(&d);
	return r;
}
