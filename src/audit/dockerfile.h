/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dockerfiles into rule objects for the dockerfile and dockerfile_instr sources, and the
 * shell analysis shared with the image source (RUN bodies, image history created_by lines).
 *
 * The parser follows BuildKit's: parser directives (`# escape=`, `# syntax=`, `# check=`) are
 * read only before the first comment, blank line or instruction; a line whose last non-blank
 * character is the escape character continues on the next line (comment and blank lines in
 * between are dropped, a continuation at the end of the file ends the instruction); a line
 * whose first non-blank character is '#' is a comment; RUN, COPY and ADD may open heredocs
 * (`<<EOF`, `<<-EOF`, `<<"EOF"`), whose bodies run up to a line equal to the delimiter (tabs
 * stripped first for `<<-`). Arguments that are a JSON array of strings are the exec form,
 * anything else the shell form. Every instruction keeps its first and last line. Errors
 * carry "file:line:col: message": an unknown instruction, a bad escape directive, an
 * unterminated heredoc, a NUL byte (-EBADMSG), a limit exceeded (-E2BIG).
 */
#ifndef VG_AUDIT_DOCKERFILE_H
#define VG_AUDIT_DOCKERFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"

/* What a shell script does, as far as the checks need: its simple commands split on
 * `&&`, `||`, `;`, `|`, `&`, newlines and parentheses, and facts about package managers. */
struct vg_sh_facts {
	const char **commands; /* each simple command as written, trimmed */
	size_t n_commands;
	const char **programs; /* program of each command (basename; sudo, env, assignments
				  skipped; "sudo" itself listed too) */
	size_t n_programs;
	const char **unquoted_vars; /* $NAME / ${NAME} expansions outside quotes in arguments */
	size_t n_unquoted_vars;
	const char **apt_unpinned, **apk_unpinned, **pip_unpinned; /* packages without version */
	size_t n_apt_unpinned, n_apk_unpinned, n_pip_unpinned;
	bool has_pipe; /* a `|` between two commands */
	bool pipefail; /* `set -o pipefail` (or -eo pipefail, ...) */
	bool curl_pipe_sh; /* curl or wget piped into a shell */
	bool apt_update, apt_install, apt_upgrade, apt_dist_upgrade;
	bool apt_no_recommends; /* every apt-get install has --no-install-recommends */
	bool apt_lists_removed; /* rm of /var/lib/apt/lists */
	bool apk_add, apk_no_cache; /* apk_no_cache: every apk add has --no-cache */
	bool pip_install, pip_no_cache; /* pip_no_cache: every pip install has --no-cache-dir */
};

/* Analyses the script text[0, len) into *ret (strings and arrays in a); -E2BIG past
 * VG_DOCKERFILE_WORDS_MAX words or commands, -ENOMEM. */
VG_MUST_CHECK int vg_sh_analyze(struct vg_arena *a, const char *text, size_t len,
				struct vg_sh_facts *ret);

struct vg_df_heredoc {
	const char *delim;
	const char *body; /* lines between the opening line and the delimiter */
	unsigned line; /* of the `<<` */
	bool strip_tabs; /* <<- */
};

struct vg_dockerfile;

struct vg_df_instr {
	const char *keyword; /* upper case: "RUN" */
	const char *args; /* arguments, continuations joined, flags included */
	const char **flags; /* leading --name[=value] options (FROM, RUN, COPY, ADD, ...) */
	size_t n_flags;
	bool json; /* exec form: args is a JSON array of strings, in argv */
	const char **argv; /* JSON elements, or the shell words of the arguments after flags */
	size_t n_argv;
	struct vg_df_heredoc *heredocs;
	size_t n_heredocs;
	unsigned line, end_line; /* first and last line (heredoc bodies included) */
	size_t index; /* in the file */
	int stage; /* 0-based stage (FROM) it belongs to, -1 before the first FROM */
	const char *prev; /* keyword of the previous instruction, NULL for the first */
	struct vg_sh_facts sh; /* RUN (shell form or heredoc bodies); zero for others */
	/* FROM */
	const char *from_image, *from_tag, *from_digest, *from_alias, *from_registry;
	bool from_stage; /* the image is an earlier stage's name */
	/* ENV, ARG, LABEL: the keys defined */
	const char **keys;
	size_t n_keys;
	/* COPY, ADD */
	const char **sources;
	size_t n_sources;
	const char *dest, *copy_from; /* --from value */
	/* state when this instruction runs (its own effect included) */
	const char *user; /* last USER of the stage, NULL: none */
	const char *workdir; /* last WORKDIR of the stage, NULL: none */
	bool shell_pipefail; /* a SHELL with -o pipefail is in effect */
	const struct vg_dockerfile *df;
};

struct vg_dockerfile {
	struct vg_arena arena;
	struct vg_vec instrs; /* struct vg_df_instr */
	const char *path;
	char escape;
	unsigned n_lines;
	int n_stages;
	/* per file */
	bool has_healthcheck;
	const char *last_user; /* last USER of the final stage, NULL: none */
	size_t last_user_index; /* its instruction (valid when last_user is set) */
	const char *first_keyword; /* NULL: no instruction */
	const char **programs; /* programs of every RUN, each once */
	size_t n_programs;
	const char **stage_names; /* n_stages entries, NULL when unnamed */
};

void vg_dockerfile_init(struct vg_dockerfile *df);
void vg_dockerfile_done(struct vg_dockerfile *df);

/* Parses buf[0, len) (name for messages, kept as df->path); on error err receives
 * "name:line:col: message". */
VG_MUST_CHECK int vg_dockerfile_parse(struct vg_dockerfile *df, const char *buf, size_t len,
				      const char *name, char *err, size_t errsize);
/* Reads path (bounded by VG_DOCKERFILE_MAX) and parses it; read errors are negative errno. */
VG_MUST_CHECK int vg_dockerfile_parse_file(struct vg_dockerfile *df, const char *path, char *err,
					   size_t errsize);

static inline size_t vg_dockerfile_count(const struct vg_dockerfile *df)
{
	return df->instrs.len;
}

static inline const struct vg_df_instr *vg_dockerfile_instr(const struct vg_dockerfile *df,
							    size_t i)
{
	return (const struct vg_df_instr *)vg_vec_at(&df->instrs, i);
}

/*
 * Rule sources: dockerfile evaluates a const struct vg_dockerfile * (df.* file fields),
 * dockerfile_instr a const struct vg_df_instr * (the file fields plus the instruction's).
 * Registered by vg_dockerfile_sources_register() (fields-dockerfile.c); registering twice is
 * not an error.
 */
#define VG_DOCKERFILE_SOURCE	   "dockerfile"
#define VG_DOCKERFILE_INSTR_SOURCE "dockerfile_instr"
int vg_dockerfile_sources_register(void);

#endif /* VG_AUDIT_DOCKERFILE_H */
