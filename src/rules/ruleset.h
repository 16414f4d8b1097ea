/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiled rules and their evaluation. The compiler expands macros and lists, resolves
 * fields through the source registry, parses literals by field type, turns large constant
 * lists into hash sets, compiles regexes (PCRE2 JIT with match limits), applies exceptions,
 * and indexes every rule by the event types it can match.
 */
#ifndef VG_RULES_RULESET_H
#define VG_RULES_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"
#include "basic/strbuf.h"
#include "rules/field.h"
#include "rules/load.h"

enum vg_rule_matching {
	VG_MATCH_FIRST, /* stop at the first matching rule per event (Falco's default) */
	VG_MATCH_ALL,
};

struct vg_compile_options {
	enum vg_rule_matching matching;
	enum vg_priority min_priority; /* rules below it are not loaded (default DEBUG: all) */
	const char *only_source; /* compile only rules of this source; NULL: all known */
	bool no_optimize; /* keep the trees as written (no per-event-type programs): tests */
};

struct vg_ruleset;

/* A compiled rule, read-only for users of the ruleset. */
struct vg_rule {
	const char *name;
	const char *desc;
	enum vg_priority priority;
	const char *source;
	const char *const *tags;
	size_t n_tags;
	unsigned index; /* position in the ruleset, load order */
	bool all_evttypes; /* matches every event type (warned about) */
};

/*
 * Compiles every enabled rule of c. Errors (unknown field, bad literal, unknown macro or
 * list, macro cycle, bad regex, ...) and warnings (no event type restriction, unused list)
 * go to d with file:line:col; rules of unknown sources are skipped with a warning. Returns
 * -EBADMSG when there were errors, in which case *ret is not set.
 */
VG_MUST_CHECK int vg_rules_compile(const struct vg_rules_collection *c,
				   const struct vg_compile_options *o, struct vg_ruleset **ret,
				   struct vg_diags *d);
struct vg_ruleset *vg_ruleset_free(struct vg_ruleset *rs);

size_t vg_ruleset_count(const struct vg_ruleset *rs);
const struct vg_rule *vg_ruleset_rule(const struct vg_ruleset *rs, size_t i);
/*
 * The syscalls (enum vg_syscall ids, through vg_source.evttype_syscall) that rules of source
 * src can match: bit id of bits[] set. n is the number of 64-bit words of bits.
 */
void vg_ruleset_syscalls(const struct vg_ruleset *rs, const struct vg_source *src, uint64_t *bits,
			 size_t n);

/*
 * The event types (numbers of the rule's source, as vg_source_evttype() returns them) the rule
 * can match: bit t of bits[] set; n is the number of 64-bit words of bits. For sources with a
 * single event type, bit 0.
 */
void vg_rule_evttypes(const struct vg_rule *rule, uint64_t *bits, size_t n);

/* Per-thread evaluation state: field cache and extraction scratch. */
struct vg_evaluator;

VG_MUST_CHECK int vg_evaluator_new(const struct vg_ruleset *rs, struct vg_evaluator **ret);
struct vg_evaluator *vg_evaluator_free(struct vg_evaluator *ev);

typedef void vg_match_fn(void *userdata, const struct vg_rule *rule);

/*
 * Evaluates obj, an object of source src, against the candidate rules for its event type
 * and calls on_match for each matching rule (only the first with VG_MATCH_FIRST). Returns
 * the number of matches.
 */
int vg_eval(struct vg_evaluator *ev, const struct vg_source *src, const void *obj,
	    vg_match_fn *on_match, void *userdata);

/* Formats the rule's output (its %fields resolved against obj, <NA> when missing). */
VG_MUST_CHECK int vg_rule_output(struct vg_evaluator *ev, const struct vg_rule *rule,
				 const void *obj, struct vg_strbuf *out);

/*
 * Calls cb for each output field of the rule plus the always-present ones (container.id,
 * container.name, container.image.repository, proc.name, proc.cmdline, proc.pid,
 * proc.exepath, user.name, evt.type), in a stable order, with the value formatted as text
 * (NULL for <NA>) and whether the field is numeric (for JSON output). name lives as long as
 * the rule set; value only until cb returns.
 */
typedef void vg_output_field_fn(void *userdata, const char *name, const char *value, bool numeric);
void vg_rule_output_fields(struct vg_evaluator *ev, const struct vg_rule *rule, const void *obj,
			   vg_output_field_fn *cb, void *userdata);

#endif /* VG_RULES_RULESET_H */
