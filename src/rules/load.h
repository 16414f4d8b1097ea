/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rule files (Falco's format) into a collection of lists, macros and rules, in load order,
 * with override/append applied. Nothing is compiled here: conditions stay text, with the
 * source position of their YAML scalar so the compiler can report file:line:col.
 */
#ifndef VG_RULES_LOAD_H
#define VG_RULES_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/arena.h"
#include "basic/hashmap.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "rules/diag.h"

#define VG_ENGINE_VERSION  "0.63.0" /* the Falco engine version whose language we accept */

#define VG_RULE_FILE_MAX   (16u * 1024 * 1024)
#define VG_RULE_ITEMS_MAX  100000 /* lists + macros + rules in one collection */
#define VG_RULE_FILES_MAX  1024
#define VG_RULES_ARENA_MAX (256u * 1024 * 1024) /* bytes of one collection (appends copy) */

enum vg_priority {
	VG_PRIO_EMERGENCY = 0,
	VG_PRIO_ALERT,
	VG_PRIO_CRITICAL,
	VG_PRIO_ERROR,
	VG_PRIO_WARNING,
	VG_PRIO_NOTICE,
	VG_PRIO_INFORMATIONAL,
	VG_PRIO_DEBUG,
	VG_PRIO__MAX,
};

/* "Emergency" ... "Informational", "Debug" (as Falco prints them); parse accepts any case
 * and "info". */
const char *vg_priority_name(enum vg_priority p);
int vg_priority_parse(const char *s); /* enum value or -EINVAL */

/* One run of a condition's text that maps byte for byte onto its source: text[off] is at pos,
 * and the following bytes follow it (newlines included) until the next segment. */
struct vg_cond_seg {
	size_t off;
	struct vg_srcpos pos;
};

/* Where a condition's text came from, to turn a byte offset into file:line:col. */
struct vg_cond_src {
	const char *text; /* the condition as the parser sees it (after YAML folding) */
	size_t len;
	struct vg_srcpos pos; /* the scalar's first character */
	/* For block scalars: the line (relative to pos.line) and column each line of text
	 * starts at, so offsets map back exactly; NULL for single-line scalars. */
	const unsigned *line_starts; /* offsets in text where a new source line begins */
	unsigned n_line_starts;
	unsigned block_indent; /* column of block scalar lines */
	/* The exact map used by vg_cond_src_pos(): segments in offset order, covering folded
	 * and literal block scalars, multi-line plain and quoted scalars, escapes, and text
	 * appended from other items or files (override/append). line_starts stays NULL: use
	 * vg_cond_src_pos(). */
	const struct vg_cond_seg *segs;
	unsigned n_segs;
};

/* Maps an offset in c->text to a source position (the end of the text maps just past its last
 * character). */
void vg_cond_src_pos(const struct vg_cond_src *c, size_t offset, struct vg_srcpos *ret);

struct vg_list_item {
	const char *text;
	bool quoted;
	/* Only in exception tuple values, a cell written as a list ([nginx, [/a, /b]]): text is
	 * "", sub holds the items (never nested further). */
	const struct vg_list_item *sub;
	size_t n_sub;
	struct vg_srcpos pos; /* of the YAML scalar (or sequence) */
};

struct vg_rule_list {
	const char *name;
	struct vg_list_item *items;
	size_t n_items;
	struct vg_srcpos pos;
	bool used; /* set by the compiler */
};

struct vg_rule_macro {
	const char *name;
	struct vg_cond_src cond;
	struct vg_srcpos pos;
	bool used;
};

/* One exception (structured allow-list) of a rule. */
struct vg_rule_exception {
	const char *name;
	bool single_field; /* fields: proc.name (not a list) */
	const char **fields;
	size_t n_fields;
	const char **comps; /* per field; defaults filled in by the loader ("=" or "in") */
	size_t n_comps;
	/* values: rows of n_fields items each (for single_field: one row per value). Items
	 * may be list names. */
	struct vg_list_item **values;
	size_t n_values;
	struct vg_srcpos pos;
};

struct vg_rule_def {
	const char *name;
	const char *desc;
	struct vg_cond_src cond;
	const char *output;
	struct vg_srcpos output_pos;
	struct vg_cond_src output_src; /* output text (trimmed) with its source map */
	enum vg_priority priority;
	const char *source; /* "syscall" by default */
	const char **tags;
	size_t n_tags;
	bool enabled;
	bool warn_evttypes; /* default true */
	bool skip_if_unknown_filter;
	bool capture;
	unsigned capture_duration_ms;
	struct vg_rule_exception *exceptions;
	size_t n_exceptions;
	struct vg_srcpos pos;
	unsigned index; /* load order among rules */
};

struct vg_rules_collection {
	struct vg_arena arena; /* everything above is allocated here */
	struct vg_vec lists; /* struct vg_rule_list *, load order */
	struct vg_vec macros; /* struct vg_rule_macro * */
	struct vg_vec rules; /* struct vg_rule_def * */
	struct vg_hashmap list_by_name, macro_by_name, rule_by_name;
	struct vg_vec files; /* const char * file names, for srcpos */
	char required_engine_version[32]; /* highest seen, "" when none */
};

void vg_rules_collection_init(struct vg_rules_collection *c);
void vg_rules_collection_done(struct vg_rules_collection *c);

/*
 * Loads one YAML rules document (a sequence of items) from memory; name is used in
 * diagnostics. Errors and warnings go to d; returns -EBADMSG when the file had errors (the
 * items before the first error stay loaded), -E2BIG past the limits, -ENOMEM.
 */
VG_MUST_CHECK int vg_rules_load_buffer(struct vg_rules_collection *c, const char *name,
				       const char *buf, size_t len, struct vg_diags *d);
/* A file, or a directory: its *.yaml and *.yml files in name order (not recursive). */
VG_MUST_CHECK int vg_rules_load_path(struct vg_rules_collection *c, const char *path,
				     struct vg_diags *d);

#endif /* VG_RULES_LOAD_H */
