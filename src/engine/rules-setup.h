/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading and compiling the rules a command runs with: the built-in ruleset, or the files
 * and directories given with -r (which replace it), in order.
 */
#ifndef VG_ENGINE_RULES_SETUP_H
#define VG_ENGINE_RULES_SETUP_H

#include <stddef.h>
#include <stdio.h>

#include "basic/macro.h"
#include "rules/diag.h"
#include "rules/load.h"
#include "rules/ruleset.h"

#define VG_RULE_PATHS_MAX 64

struct vg_rules_setup {
	const char *paths[VG_RULE_PATHS_MAX]; /* -r arguments; none: the built-in ruleset */
	size_t n_paths;
	bool none; /* --no-rules: load nothing at all */
	struct vg_compile_options opts;
};

/* Registers every rule source this binary knows (syscall, ...). Idempotent. */
int vg_rules_register_sources(void);

/*
 * Loads and compiles. Diagnostics (errors and warnings) accumulate in d. On success *ret is
 * the compiled ruleset and c holds what it was built from (keep it alive as long as the
 * ruleset). Returns -EBADMSG when the rules have errors.
 */
VG_MUST_CHECK int vg_rules_setup_load(const struct vg_rules_setup *s, struct vg_rules_collection *c,
				      struct vg_diags *d);
VG_MUST_CHECK int vg_rules_setup_compile(const struct vg_rules_setup *s,
					 const struct vg_rules_collection *c, struct vg_diags *d,
					 struct vg_ruleset **ret);

/*
 * Both steps, with every diagnostic printed to diag_out (stderr for the CLI): what a command
 * does before it runs rules. -EBADMSG when there was any error. ret_errors/ret_warnings may
 * be NULL.
 */
VG_MUST_CHECK int vg_rules_setup_build(const struct vg_rules_setup *s,
				       struct vg_rules_collection *c, FILE *diag_out,
				       struct vg_ruleset **ret, size_t *ret_errors,
				       size_t *ret_warnings);

#endif /* VG_ENGINE_RULES_SETUP_H */
