/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dockerfile and dockerfile_instr rule sources (docs/audit.md). dockerfile evaluates one
 * Dockerfile (df.* file fields: healthcheck, last USER, programs, ...); dockerfile_instr
 * evaluates one instruction of it and has the file fields plus the instruction's own
 * (df.instruction, df.line, df.run.*, df.from.*, df.copy.*, ...), so a finding names the
 * line. Fields that belong to one kind of instruction (df.run.* to RUN, df.from.* to FROM,
 * df.copy.* to COPY and ADD) extract nothing (<NA>) on the others.
 */
#include <errno.h>
#include <string.h>

#include "audit/dockerfile.h"
#include "rules/field.h"

enum {
	/* file, both sources */
	F_FILE,
	F_N_INSTR,
	F_STAGES,
	F_HAS_HEALTHCHECK,
	F_LAST_USER,
	F_FIRST,
	F_PROGRAMS,
	F_ESCAPE,
	/* instruction */
	I_INSTRUCTION,
	I_ARGS,
	I_LINE,
	I_END_LINE,
	I_INDEX,
	I_STAGE,
	I_STAGE_NAME,
	I_PREV,
	I_JSON,
	I_ARGV,
	I_FLAGS,
	I_HEREDOCS,
	I_USER,
	I_LAST_USER,
	I_WORKDIR,
	I_SHELL_PIPEFAIL,
	I_KEYS,
	I_FROM_IMAGE,
	I_FROM_TAG,
	I_FROM_DIGEST,
	I_FROM_ALIAS,
	I_FROM_REGISTRY,
	I_FROM_STAGE,
	I_COPY_SOURCES,
	I_COPY_DEST,
	I_COPY_FROM,
	I_ADD_LOCAL,
	I_RUN_COMMANDS,
	I_RUN_PROGRAMS,
	I_RUN_UNQUOTED,
	I_RUN_PIPE,
	I_RUN_PIPEFAIL,
	I_RUN_CURL_SH,
	I_APT_UPDATE,
	I_APT_INSTALL,
	I_APT_UPGRADE,
	I_APT_DIST_UPGRADE,
	I_APT_NOREC,
	I_APT_LISTS,
	I_APT_UNPINNED,
	I_APK_ADD,
	I_APK_NOCACHE,
	I_APK_UNPINNED,
	I_PIP_INSTALL,
	I_PIP_NOCACHE,
	I_PIP_UNPINNED,
};

static void strs(struct vg_extract *x, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vg_extract_cstr(x, v[i]);
}

static void file_value(int id, const struct vg_dockerfile *df, struct vg_extract *x)
{
	switch (id) {
	case F_FILE:
		vg_extract_cstr(x, df->path);
		break;
	case F_N_INSTR:
		vg_extract_uint(x, df->instrs.len);
		break;
	case F_STAGES:
		vg_extract_uint(x, (uint64_t)df->n_stages);
		break;
	case F_HAS_HEALTHCHECK:
		vg_extract_bool(x, df->has_healthcheck);
		break;
	case F_LAST_USER:
		vg_extract_cstr(x, df->last_user);
		break;
	case F_FIRST:
		vg_extract_cstr(x, df->first_keyword);
		break;
	case F_PROGRAMS:
		strs(x, df->programs, df->n_programs);
		break;
	case F_ESCAPE:
		vg_extract_str(x, &df->escape, 1);
		break;
	}
}

static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
	       strncmp(s, "git@", 4) == 0;
}

static bool is_archive(const char *s)
{
	static const char *const ext[] = {
		".tar",	    ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
		".tar.zst", ".tar.lz", ".tb2", ".tbz",	   ".tz2",  ".tlz",    ".tar.z",
		".taz",	    ".tzst",   ".gz",  ".bz2",	   ".xz",   ".zst",    NULL};
	size_t n = strlen(s);

	for (const char *const *e = ext; *e; e++) {
		size_t k = strlen(*e);

		if (n > k && strcasecmp(s + n - k, *e) == 0)
			return true;
	}
	return false;
}

static void run_value(int id, const struct vg_df_instr *in, struct vg_extract *x)
{
	const struct vg_sh_facts *s = &in->sh;

	if (strcmp(in->keyword, "RUN") != 0)
		return;
	switch (id) {
	case I_RUN_COMMANDS:
		strs(x, s->commands, s->n_commands);
		break;
	case I_RUN_PROGRAMS:
		strs(x, s->programs, s->n_programs);
		break;
	case I_RUN_UNQUOTED:
		strs(x, s->unquoted_vars, s->n_unquoted_vars);
		break;
	case I_RUN_PIPE:
		vg_extract_bool(x, s->has_pipe);
		break;
	case I_RUN_PIPEFAIL:
		vg_extract_bool(x, s->pipefail || in->shell_pipefail);
		break;
	case I_RUN_CURL_SH:
		vg_extract_bool(x, s->curl_pipe_sh);
		break;
	case I_APT_UPDATE:
		vg_extract_bool(x, s->apt_update);
		break;
	case I_APT_INSTALL:
		vg_extract_bool(x, s->apt_install);
		break;
	case I_APT_UPGRADE:
		vg_extract_bool(x, s->apt_upgrade);
		break;
	case I_APT_DIST_UPGRADE:
		vg_extract_bool(x, s->apt_dist_upgrade);
		break;
	case I_APT_NOREC:
		vg_extract_bool(x, s->apt_no_recommends);
		break;
	case I_APT_LISTS:
		vg_extract_bool(x, s->apt_lists_removed);
		break;
	case I_APT_UNPINNED:
		strs(x, s->apt_unpinned, s->n_apt_unpinned);
		break;
	case I_APK_ADD:
		vg_extract_bool(x, s->apk_add);
		break;
	case I_APK_NOCACHE:
		vg_extract_bool(x, s->apk_no_cache);
		break;
	case I_APK_UNPINNED:
		strs(x, s->apk_unpinned, s->n_apk_unpinned);
		break;
	case I_PIP_INSTALL:
		vg_extract_bool(x, s->pip_install);
		break;
	case I_PIP_NOCACHE:
		vg_extract_bool(x, s->pip_no_cache);
		break;
	case I_PIP_UNPINNED:
		strs(x, s->pip_unpinned, s->n_pip_unpinned);
		break;
	}
}

static void instr_value(int id, const struct vg_df_instr *in, struct vg_extract *x)
{
	bool from = strcmp(in->keyword, "FROM") == 0;
	bool copy = strcmp(in->keyword, "COPY") == 0 || strcmp(in->keyword, "ADD") == 0;

	switch (id) {
	case I_INSTRUCTION:
		vg_extract_cstr(x, in->keyword);
		break;
	case I_ARGS:
		vg_extract_cstr(x, in->args);
		break;
	case I_LINE:
		vg_extract_uint(x, in->line);
		break;
	case I_END_LINE:
		vg_extract_uint(x, in->end_line);
		break;
	case I_INDEX:
		vg_extract_uint(x, in->index);
		break;
	case I_STAGE:
		vg_extract_int(x, in->stage);
		break;
	case I_STAGE_NAME:
		if (in->stage >= 0)
			vg_extract_cstr(x, in->df->stage_names[in->stage]);
		break;
	case I_PREV:
		vg_extract_cstr(x, in->prev);
		break;
	case I_JSON:
		vg_extract_bool(x, in->json);
		break;
	case I_ARGV:
		strs(x, in->argv, in->n_argv);
		break;
	case I_FLAGS:
		strs(x, in->flags, in->n_flags);
		break;
	case I_HEREDOCS:
		for (size_t i = 0; i < in->n_heredocs; i++)
			vg_extract_cstr(x, in->heredocs[i].delim);
		break;
	case I_USER:
		vg_extract_cstr(x, in->user);
		break;
	case I_LAST_USER:
		vg_extract_bool(x, in->df->last_user && in->df->last_user_index == in->index);
		break;
	case I_WORKDIR:
		vg_extract_cstr(x, in->workdir);
		break;
	case I_SHELL_PIPEFAIL:
		vg_extract_bool(x, in->shell_pipefail);
		break;
	case I_KEYS:
		strs(x, in->keys, in->n_keys);
		break;
	case I_FROM_IMAGE:
		if (from)
			vg_extract_cstr(x, in->from_image);
		break;
	case I_FROM_TAG:
		if (from)
			vg_extract_cstr(x, in->from_tag);
		break;
	case I_FROM_DIGEST:
		if (from)
			vg_extract_cstr(x, in->from_digest);
		break;
	case I_FROM_ALIAS:
		if (from)
			vg_extract_cstr(x, in->from_alias);
		break;
	case I_FROM_REGISTRY:
		if (from)
			vg_extract_cstr(x, in->from_registry);
		break;
	case I_FROM_STAGE:
		if (from)
			vg_extract_bool(x, in->from_stage);
		break;
	case I_COPY_SOURCES:
		if (copy)
			strs(x, in->sources, in->n_sources);
		break;
	case I_COPY_DEST:
		if (copy)
			vg_extract_cstr(x, in->dest);
		break;
	case I_COPY_FROM:
		if (copy)
			vg_extract_cstr(x, in->copy_from);
		break;
	case I_ADD_LOCAL:
		if (strcmp(in->keyword, "ADD") == 0)
			for (size_t i = 0; i < in->n_sources; i++)
				if (!is_url(in->sources[i]) && !is_archive(in->sources[i]))
					vg_extract_cstr(x, in->sources[i]);
		break;
	default:
		run_value(id, in, x);
	}
}

static void file_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			 struct vg_extract *x)
{
	(void)arg;
	file_value(f->id, obj, x);
}

static void instr_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			  struct vg_extract *x)
{
	const struct vg_df_instr *in = obj;

	(void)arg;
	if (f->id < I_INSTRUCTION)
		file_value(f->id, in->df, x);
	else
		instr_value(f->id, in, x);
}

#define L (VG_FF_MULTI | VG_FF_LIST)

static const struct vg_field file_base[] = {
	{"df.file", VG_FT_STR, 0, "path of the Dockerfile", NULL, F_FILE},
	{"df.instructions.count", VG_FT_UINT, 0, "number of instructions", NULL, F_N_INSTR},
	{"df.stages", VG_FT_UINT, 0, "number of stages (FROM instructions)", NULL, F_STAGES},
	{"df.has_healthcheck", VG_FT_BOOL, 0, "a HEALTHCHECK instruction is present", NULL,
	 F_HAS_HEALTHCHECK},
	{"df.last_user", VG_FT_STR, 0, "argument of the last USER of the final stage (<NA>: none)",
	 NULL, F_LAST_USER},
	{"df.first_instruction", VG_FT_STR, 0,
	 "keyword of the first instruction (parser directives and comments are not instructions)",
	 NULL, F_FIRST},
	{"df.programs", VG_FT_STR, L, "programs run by any RUN (each once)", NULL, F_PROGRAMS},
	{"df.escape", VG_FT_STR, 0, "escape character (\\ or ` from the escape directive)", NULL,
	 F_ESCAPE},
};

static const struct vg_field instr_base[] = {
	{"df.instruction", VG_FT_STR, 0, "keyword in upper case (RUN, COPY, ...)", NULL,
	 I_INSTRUCTION},
	{"df.args", VG_FT_STR, 0, "arguments as written, continuations joined", NULL, I_ARGS},
	{"df.line", VG_FT_UINT, 0, "first line of the instruction", NULL, I_LINE},
	{"df.end_line", VG_FT_UINT, 0, "last line (continuations and heredocs included)", NULL,
	 I_END_LINE},
	{"df.index", VG_FT_UINT, 0, "0-based position among the instructions", NULL, I_INDEX},
	{"df.stage", VG_FT_INT, 0, "0-based stage, -1 for an ARG before the first FROM", NULL,
	 I_STAGE},
	{"df.stage_name", VG_FT_STR, 0, "name of the stage (FROM ... AS NAME)", NULL, I_STAGE_NAME},
	{"df.prev_instruction", VG_FT_STR, 0, "keyword of the previous instruction", NULL, I_PREV},
	{"df.json", VG_FT_BOOL, 0, "exec form: the arguments are a JSON array of strings", NULL,
	 I_JSON},
	{"df.argv", VG_FT_STR, L, "the JSON array's strings, or the shell words after the flags",
	 NULL, I_ARGV},
	{"df.flags", VG_FT_STR, L, "leading --name[=value] options", NULL, I_FLAGS},
	{"df.heredocs", VG_FT_STR, L, "delimiters of the heredocs opened", NULL, I_HEREDOCS},
	{"df.user", VG_FT_STR, 0, "USER in effect in the stage (<NA>: none yet)", NULL, I_USER},
	{"df.is_last_user", VG_FT_BOOL, 0, "this is the last USER of the final stage", NULL,
	 I_LAST_USER},
	{"df.workdir", VG_FT_STR, 0, "WORKDIR in effect in the stage (<NA>: none yet)", NULL,
	 I_WORKDIR},
	{"df.shell_pipefail", VG_FT_BOOL, 0, "a SHELL with -o pipefail is in effect", NULL,
	 I_SHELL_PIPEFAIL},
	{"df.keys", VG_FT_STR, L, "keys defined by ENV, ARG or LABEL", NULL, I_KEYS},
	{"df.from.image", VG_FT_STR, 0, "FROM: image name without tag or digest", NULL,
	 I_FROM_IMAGE},
	{"df.from.tag", VG_FT_STR, 0, "FROM: tag (<NA>: none)", NULL, I_FROM_TAG},
	{"df.from.digest", VG_FT_STR, 0, "FROM: digest after @ (<NA>: none)", NULL, I_FROM_DIGEST},
	{"df.from.alias", VG_FT_STR, 0, "FROM: stage name after AS", NULL, I_FROM_ALIAS},
	{"df.from.registry", VG_FT_STR, 0,
	 "FROM: registry host (docker.io when the first component is not a host)", NULL,
	 I_FROM_REGISTRY},
	{"df.from.is_stage", VG_FT_BOOL, 0, "FROM: the image is an earlier stage", NULL,
	 I_FROM_STAGE},
	{"df.copy.sources", VG_FT_STR, L, "COPY/ADD: sources", NULL, I_COPY_SOURCES},
	{"df.copy.dest", VG_FT_STR, 0, "COPY/ADD: destination", NULL, I_COPY_DEST},
	{"df.copy.from", VG_FT_STR, 0, "COPY/ADD: --from stage or image", NULL, I_COPY_FROM},
	{"df.add.local_sources", VG_FT_STR, L,
	 "ADD: sources that are neither URLs nor archives (COPY would do)", NULL, I_ADD_LOCAL},
	{"df.run.commands", VG_FT_STR, L,
	 "RUN: simple commands (split on && || ; | & newlines; heredoc bodies included)", NULL,
	 I_RUN_COMMANDS},
	{"df.run.programs", VG_FT_STR, L,
	 "RUN: program of each command (basename; sudo, env and assignments skipped, sudo listed)",
	 NULL, I_RUN_PROGRAMS},
	{"df.run.unquoted_vars", VG_FT_STR, L,
	 "RUN: $VAR expansions outside quotes in command arguments (SC2086)", NULL, I_RUN_UNQUOTED},
	{"df.run.has_pipe", VG_FT_BOOL, 0, "RUN: a pipe between two commands", NULL, I_RUN_PIPE},
	{"df.run.pipefail", VG_FT_BOOL, 0,
	 "RUN: set -o pipefail in the script or a SHELL with -o pipefail in effect", NULL,
	 I_RUN_PIPEFAIL},
	{"df.run.curl_pipe_sh", VG_FT_BOOL, 0, "RUN: curl or wget piped into a shell", NULL,
	 I_RUN_CURL_SH},
	{"df.run.apt.update", VG_FT_BOOL, 0, "RUN: apt-get update", NULL, I_APT_UPDATE},
	{"df.run.apt.install", VG_FT_BOOL, 0, "RUN: apt-get (or apt) install", NULL, I_APT_INSTALL},
	{"df.run.apt.upgrade", VG_FT_BOOL, 0, "RUN: apt-get upgrade", NULL, I_APT_UPGRADE},
	{"df.run.apt.dist_upgrade", VG_FT_BOOL, 0, "RUN: apt-get dist-upgrade or full-upgrade",
	 NULL, I_APT_DIST_UPGRADE},
	{"df.run.apt.no_install_recommends", VG_FT_BOOL, 0,
	 "RUN: every apt-get install has --no-install-recommends", NULL, I_APT_NOREC},
	{"df.run.apt.lists_removed", VG_FT_BOOL, 0, "RUN: rm of /var/lib/apt/lists", NULL,
	 I_APT_LISTS},
	{"df.run.apt.unpinned", VG_FT_STR, L, "RUN: apt-get install packages without =VERSION",
	 NULL, I_APT_UNPINNED},
	{"df.run.apk.add", VG_FT_BOOL, 0, "RUN: apk add", NULL, I_APK_ADD},
	{"df.run.apk.no_cache", VG_FT_BOOL, 0, "RUN: every apk add has --no-cache", NULL,
	 I_APK_NOCACHE},
	{"df.run.apk.unpinned", VG_FT_STR, L, "RUN: apk add packages without =VERSION", NULL,
	 I_APK_UNPINNED},
	{"df.run.pip.install", VG_FT_BOOL, 0, "RUN: pip install", NULL, I_PIP_INSTALL},
	{"df.run.pip.no_cache_dir", VG_FT_BOOL, 0, "RUN: every pip install has --no-cache-dir",
	 NULL, I_PIP_NOCACHE},
	{"df.run.pip.unpinned", VG_FT_STR, L,
	 "RUN: pip install requirements without ==VERSION (files, URLs and -r left out)", NULL,
	 I_PIP_UNPINNED},
};

#define N_FILE	VG_ARRAY_SIZE(file_base)
#define N_INSTR VG_ARRAY_SIZE(instr_base)

static struct vg_field file_fields[N_FILE];
static struct vg_field instr_fields[N_FILE + N_INSTR];

static struct vg_source file_source = {
	.name = VG_DOCKERFILE_SOURCE,
	.fields = file_fields,
	.n_fields = N_FILE,
};

static struct vg_source instr_source = {
	.name = VG_DOCKERFILE_INSTR_SOURCE,
	.fields = instr_fields,
	.n_fields = N_FILE + N_INSTR,
};

int vg_dockerfile_sources_register(void)
{
	int r;

	if (!vg_source_find(VG_DOCKERFILE_SOURCE)) {
		for (size_t i = 0; i < N_FILE; i++) {
			file_fields[i] = file_base[i];
			file_fields[i].extract = file_extract;
			instr_fields[i] = file_base[i];
			instr_fields[i].extract = instr_extract;
		}
		for (size_t i = 0; i < N_INSTR; i++) {
			instr_fields[N_FILE + i] = instr_base[i];
			instr_fields[N_FILE + i].extract = instr_extract;
		}
	}
	r = vg_source_register(&file_source);
	if (r < 0 && r != -EEXIST)
		return r;
	r = vg_source_register(&instr_source);
	if (r < 0 && r != -EEXIST)
		return r;
	return 0;
}
