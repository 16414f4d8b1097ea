/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_dockerfile_parse() (directives, continuations, heredocs, JSON and shell forms, the
 * shell analysis of RUN) and, for what parses, the whole audit: the built-in hadolint rules
 * over the file and every instruction, and the four writers. The shell analysis also runs
 * alone over the input, as it does over image history lines.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/dockerfile.h"
#include "audit/image.h"
#include "basic/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_rules_collection coll;
static struct vg_ruleset *rs;
static FILE *devnull;

static void setup(void)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;

	if (rs)
		return;
	if (vg_audit_image_sources_register() < 0)
		abort();
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	if (vg_audit_image_load_builtin(&coll, &d) < 0 ||
	    vg_rules_compile(&coll, &o, &rs, &d) < 0 || d.errors)
		abort();
	vg_diags_done(&d);
	devnull = fopen("/dev/null", "we");
	if (!devnull)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_dockerfile df;
	struct vg_audit_report rep;
	struct vg_audit_options o = {.benchmark = NULL};
	struct vg_arena a;
	struct vg_sh_facts sh;
	char err[512];
	int r;

	setup();
	vg_arena_init(&a, VG_DOCKERFILE_ARENA_MAX);
	r = vg_sh_analyze(&a, (const char *)data, size, &sh);
	if (r < 0 && r != -E2BIG && r != -ENOMEM)
		abort();
	if (r >= 0 && sh.n_programs > sh.n_commands + sh.n_commands)
		abort(); /* at most the program and sudo per command */
	vg_arena_done(&a);

	vg_dockerfile_init(&df);
	r = vg_dockerfile_parse(&df, (const char *)data, size, "Dockerfile", err, sizeof(err));
	if (r < 0) {
		/* every error says where */
		if (strncmp(err, "Dockerfile:", 11) != 0)
			abort();
		vg_dockerfile_done(&df);
		return 0;
	}
	for (size_t i = 0; i < vg_dockerfile_count(&df); i++) {
		const struct vg_df_instr *in = vg_dockerfile_instr(&df, i);

		if (!in->keyword || !in->args || in->line == 0 || in->end_line < in->line ||
		    in->end_line > df.n_lines || in->stage >= df.n_stages || in->index != i)
			abort();
		if (i && in->line <= vg_dockerfile_instr(&df, i - 1)->end_line)
			abort();
	}
	vg_audit_report_init(&rep, "dockerfile");
	r = vg_audit_dockerfile(rs, &df, &o, &rep);
	if (r < 0 && r != -E2BIG)
		abort();
	if (r >= 0)
		for (int f = VG_AUDIT_TABLE; f <= VG_AUDIT_JUNIT; f++)
			if (vg_audit_write(&rep, f, devnull) < 0)
				abort();
	vg_audit_report_done(&rep);
	vg_dockerfile_done(&df);
	return 0;
}
