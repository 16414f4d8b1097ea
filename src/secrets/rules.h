/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secret rules (docs/secrets.md): the built-in set (rules/secrets.yaml, compiled into the
 * binary), user rule files and allowlist files, all in one YAML format:
 *
 *   rules:
 *     - id: github-pat                 # [a-z0-9][a-z0-9._-]*, unique (a later file replaces)
 *       title: GitHub personal access token
 *       severity: CRITICAL             # CRITICAL, HIGH, MEDIUM, LOW
 *       keywords: [ghp_]               # prefilter, case-insensitive, at least one
 *       regex: '\b(?P<secret>ghp_[A-Za-z0-9]{36})\b'   # PCRE2; group "secret" (else all)
 *       entropy: 3.0                   # optional: minimum Shannon entropy of the secret
 *       context: 8192                  # optional: bytes after the keyword's line searched
 *       paths: ['\.npmrc$']            # optional: only files whose path matches one
 *       exclude-paths: ['^usr/share/'] # optional: never files whose path matches one
 *       allow: ['EXAMPLE']             # optional: secrets matching one are not reported
 *   allowlist:
 *     secrets: [AKIAIOSFODNN7EXAMPLE]  # exact secret values never reported
 *     regexes: ['^x{8,}$']             # secrets matching one are not reported
 *     paths: ['^usr/share/doc/']       # files never scanned
 *     rules: [generic-password]        # rules switched off
 *
 * A rule's regex runs only on the regions around its keywords' occurrences: the whole line
 * of each occurrence (at most VG_SECRET_LINE_WINDOW bytes either side) plus @context bytes
 * after it. Library code: errors are returned with "file:line:col: message".
 */
#ifndef VG_SECRETS_RULES_H
#define VG_SECRETS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/hashmap.h"
#include "basic/macro.h"
#include "basic/vec.h"

enum vg_secret_severity {
	VG_SECRET_LOW,
	VG_SECRET_MEDIUM,
	VG_SECRET_HIGH,
	VG_SECRET_CRITICAL,
	VG_SECRET_SEVERITY__MAX,
};

struct vg_secret_pattern; /* a compiled PCRE2 pattern (pattern.c) */

struct vg_secret_patterns {
	size_t n;
	struct vg_secret_pattern **v;
};

struct vg_secret_rule {
	const char *id;
	const char *title;
	enum vg_secret_severity severity;
	const char **keywords;
	size_t n_keywords;
	const char *regex; /* source text */
	double entropy; /* 0: no threshold */
	uint32_t context; /* bytes after the keyword's line */
	struct vg_secret_pattern *re;
	int secret_group; /* capture group number of "secret", 0 = whole match */
	struct vg_secret_patterns paths, exclude_paths, allow;
	const char *file; /* where it was defined */
	unsigned line;
	unsigned index; /* position in the rule set (earlier wins on overlapping findings) */
	bool disabled; /* by an allowlist's rules: */
};

struct vg_secret_ruleset {
	struct vg_arena arena; /* every string of every rule */
	struct vg_vec rules; /* struct vg_secret_rule *, in definition order */
	struct vg_hashmap by_id; /* id -> struct vg_secret_rule * */
	struct vg_hashmap allow_secrets; /* exact secret values */
	struct vg_secret_patterns allow_regexes, allow_paths;
	struct vg_vec all_patterns; /* struct vg_secret_pattern *: owned, freed at the end */
	struct vg_vec disabled_ids; /* const char *: rules: of allowlists, applied on compile */
	/* compiled by vg_secret_ruleset_compile() */
	struct vg_ac *ac;
	struct vg_vec kw_rules; /* per keyword: struct vg_vec of unsigned rule indices */
	bool compiled;
};

/** vg_secret_ruleset_init() / _done() - an empty rule set / frees everything. */
void vg_secret_ruleset_init(struct vg_secret_ruleset *rs);
void vg_secret_ruleset_done(struct vg_secret_ruleset *rs);

/**
 * vg_secret_ruleset_load_buffer() - adds the rules and the allowlist of one YAML document
 * (@name is used in messages). A rule whose id exists already replaces it. Returns 0, or
 * -EBADMSG (malformed file, unknown key, bad value, regex error), -E2BIG (a limit), -EBUSY
 * after compile, -ENOMEM; the message, "name:line:col: ...", is in @err.
 */
VG_MUST_CHECK int vg_secret_ruleset_load_buffer(struct vg_secret_ruleset *rs, const char *name,
						const char *buf, size_t len, char *err,
						size_t errsize);
/** vg_secret_ruleset_load_file() - the same from a file (bounded by VG_SECRET_RULE_FILE_MAX). */
VG_MUST_CHECK int vg_secret_ruleset_load_file(struct vg_secret_ruleset *rs, const char *path,
					      char *err, size_t errsize);
/** vg_secret_ruleset_load_builtin() - rules/secrets.yaml as compiled into the binary. */
VG_MUST_CHECK int vg_secret_ruleset_load_builtin(struct vg_secret_ruleset *rs, char *err,
						 size_t errsize);

/**
 * vg_secret_ruleset_compile() - applies the allowlists' rules: entries (an unknown id is an
 * error) and builds the keyword automaton. No loading afterwards. Returns 0, -EBADMSG,
 * -E2BIG, -ENOMEM with a message in @err.
 */
VG_MUST_CHECK int vg_secret_ruleset_compile(struct vg_secret_ruleset *rs, char *err,
					    size_t errsize);

/** Number of enabled rules. */
size_t vg_secret_ruleset_count(const struct vg_secret_ruleset *rs);
const struct vg_secret_rule *vg_secret_ruleset_get(const struct vg_secret_ruleset *rs,
						   const char *id);

/** "CRITICAL", "HIGH", "MEDIUM", "LOW" <-> enum; -EINVAL for another name. */
const char *vg_secret_severity_name(enum vg_secret_severity s);
int vg_secret_severity_from_string(const char *s);

/*
 * Compiled patterns (pattern.c, the only file that includes <pcre2.h>: src/shared/regex.h
 * records only the overall match, the scanner needs a named group and a start offset).
 * Every match runs under the match/depth/heap limits of src/shared/regex.h. Patterns are
 * read-only once compiled: any number of threads may match with them at once.
 */
VG_MUST_CHECK int vg_secret_pattern_compile(const char *src, size_t len,
					    struct vg_secret_pattern **ret, char *err,
					    size_t errsize);
struct vg_secret_pattern *vg_secret_pattern_free(struct vg_secret_pattern *p);
/* Group number of the named group @name, or -ENOENT. */
int vg_secret_pattern_group(const struct vg_secret_pattern *p, const char *name);
/*
 * Finds the first match in subject[0..@len) starting at @start: returns 1 with the match in
 * @ret_so, @ret_eo and group @group in @ret_gso, @ret_geo ((size_t)-1 if unset), 0 for no match (or a
 * limit hit), -ENOMEM.
 */
int vg_secret_pattern_find(const struct vg_secret_pattern *p, const char *subject, size_t len,
			   size_t start, int group, size_t *ret_so, size_t *ret_eo, size_t *ret_gso,
			   size_t *ret_geo);
/* True if @s (@len bytes) contains a match of @p. */
bool vg_secret_pattern_test(const struct vg_secret_pattern *p, const char *s, size_t len);
/* True if any pattern of @ps matches @s. */
bool vg_secret_patterns_test(const struct vg_secret_patterns *ps, const char *s, size_t len);
/* Matches that hit a limit, since compile. */
uint64_t vg_secret_pattern_limit_hits(const struct vg_secret_pattern *p);
/* Frees the calling thread's match data (a scanning thread calls it before it ends). */
void vg_secret_pattern_thread_done(void);

#endif /* VG_SECRETS_RULES_H */
