/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCRE2 adapter for the rules `regex` operator (and any other user-supplied pattern).
 * Patterns are compiled once (JIT when the platform has it) and matched with per-thread
 * match data. Every match runs under match, depth and heap limits, so a pathological pattern
 * on hostile input (ReDoS: "(a+)+$" against "aaaa...b") ends quickly: it counts as no match
 * and increments a per-regex counter.
 */
#ifndef VG_SHARED_REGEX_H
#define VG_SHARED_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"

#define VG_REGEX_PATTERN_MAX 4096 /* bytes of one pattern */
#define VG_REGEX_MATCH_LIMIT 100000 /* pcre2_set_match_limit: backtracking steps */
#define VG_REGEX_DEPTH_LIMIT 1000 /* pcre2_set_depth_limit: nested backtracking */
#define VG_REGEX_HEAP_LIMIT  1024 /* pcre2_set_heap_limit, KiB */
#define VG_REGEX_ERR_MAX     256
#define VG_REGEX_GROUPS_MAX  32 /* capture groups vg_regex_find() reports */

/* vg_regex_compile() flags */
#define VG_REGEX_FULL	  (1u << 0) /* the whole subject must match (Falco/RE2 ANCHOR_BOTH) */
#define VG_REGEX_CASELESS (1u << 1)
#define VG_REGEX_UTF	  (1u << 2) /* pattern and subjects are UTF-8 (checked) */
#define VG_REGEX_NOJIT	  (1u << 3) /* interpreter only (tests) */

struct vg_regex;
struct vg_regex_md; /* match data: one per thread (evaluator) */

/*
 * Compiles pattern (len bytes, need not be NUL-terminated). On a syntax error returns
 * -EINVAL and writes "offset N: message" to errbuf (errsize bytes, may be NULL); -E2BIG when
 * the pattern is longer than VG_REGEX_PATTERN_MAX; -ENOMEM.
 */
VG_MUST_CHECK int vg_regex_compile(const char *pattern, size_t len, unsigned flags,
				   struct vg_regex **ret, char *errbuf, size_t errsize);
struct vg_regex *vg_regex_free(struct vg_regex *re);
/* True when the pattern was JIT-compiled. */
bool vg_regex_is_jit(const struct vg_regex *re);
/* Matches that hit a limit (counted as no match) since compile. */
uint64_t vg_regex_limit_hits(const struct vg_regex *re);

/* Match data large enough for VG_REGEX_GROUPS_MAX groups. NULL on OOM. */
struct vg_regex_md *vg_regex_md_new(void);
struct vg_regex_md *vg_regex_md_free(struct vg_regex_md *md);

/*
 * Matches subject (len bytes). Returns 1 on a match, 0 on no match, also when a limit was
 * hit (the regex's counter grows) or, with VG_REGEX_UTF, when the subject is not valid UTF-8;
 * a negative errno only for programmer errors (-EINVAL).
 */
int vg_regex_match(struct vg_regex *re, struct vg_regex_md *md, const char *subject, size_t len);

/** vg_regex_capture_count() - the pattern's capture groups. */
unsigned vg_regex_capture_count(const struct vg_regex *re);

/** vg_regex_group() - the number of the group called @name, or -ENOENT. */
int vg_regex_group(const struct vg_regex *re, const char *name);

/* A match span: [so, eo) in the subject; so == eo == SIZE_MAX for a group that took no part. */
struct vg_regex_span {
	size_t so, eo;
};

/**
 * vg_regex_find() - the first match in @subject at or after @start (the bytes before @start
 * are still seen by look-behind and \b), like vg_regex_match() for limits and errors.
 * *@ret_match is the whole match; *@ret_group (may be NULL) group @group (0: the whole
 * match), SIZE_MAX for both ends when it did not take part or is beyond
 * VG_REGEX_GROUPS_MAX. A \K that moves the start past the end gives an empty match at the
 * end. Returns 1, 0 (no match, limit hit, @start > @len), -EINVAL.
 */
int vg_regex_find(struct vg_regex *re, struct vg_regex_md *md, const char *subject, size_t len,
		  size_t start, int group, struct vg_regex_span *ret_match,
		  struct vg_regex_span *ret_group);

#endif /* VG_SHARED_REGEX_H */
