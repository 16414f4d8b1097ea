/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compiled form of a rule set (private to compile.c, eval.c, output.c).
 *
 * Every rule's condition, with macros expanded, lists flattened and exceptions appended, is a
 * tree of struct vg_cnode in the rule set's arena. A macro is compiled once per source and
 * its subtree is shared by every use (the tree is a DAG), while node budgets count the
 * expanded size so exponential macro nesting is still refused.
 *
 * A check reads its left-hand field through a "slot": one distinct (field, argument,
 * transformers) triple of the whole rule set. The evaluator caches the values of each slot
 * once per event (generation counter), so proc.name is extracted once however many rules
 * test it. Constant lists are typed at compile time: sorted number arrays, string hash sets,
 * path-prefix sets for pmatch, PCRE2 programs for regex.
 */
#ifndef VG_RULES_COMPILED_H
#define VG_RULES_COMPILED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/hashmap.h"
#include "basic/vec.h"
#include "rules/ast.h"
#include "rules/field.h"
#include "rules/ruleset.h"
#include "shared/regex.h"

#define VG_RULE_NODES_MAX    100000 /* compiled nodes of one rule, macros expanded */
#define VG_EXPAND_DEPTH_MAX  64 /* macro-in-macro and list-in-list nesting */
#define VG_RULESET_BYTES_MAX (256u * 1024 * 1024)
#define VG_SET_LINEAR_MAX    8 /* constant lists longer than this become sets */
#define VG_EVAL_VALUES_MAX   4096 /* values cached per event across all slots */
#define VG_EVAL_TRBUF_MAX    (64 * 1024) /* bytes of transformed strings per event */
#define VG_OUTPUT_MAX	     (64 * 1024) /* bytes of one formatted output */
#define VG_SPEC_KIDS_STACK   64 /* specialisation: children held on the stack */
#define VG_PROG_INSNS_MAX    (1u << 20) /* a bucket's program; larger ones walk the trees */
#define VG_PROG_TOTAL_MAX    (4u << 20) /* all programs of a rule set (24 bytes each) */

enum vg_cnode_kind {
	VG_CN_AND = 1,
	VG_CN_OR,
	VG_CN_NOT,
	VG_CN_CHECK,
	VG_CN_TRUE,
	VG_CN_FALSE,
};

/* How a check's right-hand side is held. */
enum vg_crhs {
	VG_CRHS_NONE = 0, /* exists */
	VG_CRHS_ONE, /* v */
	VG_CRHS_ITEMS, /* items[n] compared one by one (short lists, IPs/nets, modifiers) */
	VG_CRHS_NUMSET, /* nums[n], sorted raw 64-bit values, binary search */
	VG_CRHS_STRSET, /* set */
	VG_CRHS_PMATCH, /* pm */
	VG_CRHS_REGEX, /* re */
	VG_CRHS_FIELD, /* values of slot rslot (val(field) or a transformed field) */
};

struct vg_strset_ent {
	const char *p;
	uint32_t len;
	uint32_t hash; /* low 32 bits, 0 = empty */
};

/* Open-addressing set of byte strings (linear probing, load <= 1/2). */
struct vg_strset {
	struct vg_strset_ent *ents;
	uint32_t mask;
	uint32_t n;
	uint32_t minlen, maxlen;
	uint64_t seed;
};

/* A pmatch item with glob characters: matched component by component. */
struct vg_pglob {
	const char **comp;
	uint32_t *len;
	uint32_t n;
};

struct vg_pmatch {
	struct vg_strset prefixes; /* literal items, normalised to "/c1/c2" */
	bool root; /* "/" was an item: every path matches */
	struct vg_pglob *globs;
	uint32_t n_globs;
};

/* One distinct field use. */
struct vg_slot {
	const struct vg_field *f;
	struct vg_field_arg arg;
	enum vg_transformer tr[VG_AST_TRANSFORMERS_MAX];
	unsigned n_tr;
	enum vg_ftype type; /* after transformers */
	bool list; /* the field is list-valued (VG_FF_LIST): `in` is a subset test */
	const char *text; /* "proc.aname[2]", "tolower(proc.name)": for outputs */
	bool numeric_out; /* JSON: numeric when single-valued */
};

struct vg_cnode {
	uint8_t kind; /* enum vg_cnode_kind */
	uint8_t op; /* enum vg_cmp_op */
	uint8_t mod; /* enum vg_op_modifier (ONEOF/ANYOF as any, ALLOF) */
	uint8_t type; /* enum vg_ftype of the left-hand side after transformers */
	uint8_t rhs; /* enum vg_crhs */
	bool cidr; /* ONE: v is a network, `=` means containment */
	bool subset; /* `in` on a list-valued field: every value must be in the list */
	bool evttype; /* the check is on the source's evt.type field */
	uint8_t oflags; /* optimize.c's marks */
	uint32_t n; /* kids, items or nums */
	uint32_t slot, rslot;
	uint32_t size; /* expanded node count of this subtree (saturating) */
	uint32_t memo; /* a macro's root: its result is kept per event (index + 1), 0: not */
	uint32_t pos; /* offset in its condition, for debugging */
	struct vg_cnode **kids;
	struct vg_value v;
	struct vg_value *items;
	uint64_t *nums;
	struct vg_strset *set;
	struct vg_pmatch *pm;
	struct vg_regex *re;
	uint64_t *ets; /* evt.type checks (=, !=, in, intersects): the event types named */
};

/* One piece of a rule output: literal text, or a slot. */
struct vg_opiece {
	const char *lit;
	size_t len;
	int slot; /* -1 for literal text */
};

struct vg_crule {
	struct vg_rule pub;
	const struct vg_source *src;
	struct vg_cnode *root;
	uint64_t *evttypes; /* bitset over src->n_evttypes */
	struct vg_opiece *out;
	size_t n_out;
	uint32_t *ofields; /* distinct slots of the output, in order, then the always-present */
	size_t n_ofields;
};

/*
 * A bucket's rules as one straight program (optimize.c): every check jumps to one target when
 * true and another when false, so and/or/not are jumps, and a bucket's checks lie in one
 * array in evaluation order instead of scattered tree nodes. A memoised macro is entered
 * through VG_INS_MEMO (its result known this event: jump; else evaluate it inline) and left
 * through VG_INS_SET (keep the result, jump on).
 */
enum vg_insn_op {
	VG_INS_CHECK = 1, /* node: true -> t, false -> f */
	VG_INS_MEMO, /* arg = memo index: known true -> t, known false -> f, unknown -> next */
	VG_INS_SET, /* arg = memo index, val: store, -> t */
	VG_INS_JUMP, /* -> t */
	VG_INS_MATCH, /* arg = position in the bucket: the rule matched, -> t */
	VG_INS_END,
};

/* How a CHECK compares a single value (optimize.c picks it; the evaluator has a direct path
 * for each; anything else, and every multi-valued extraction, takes the general one). */
enum vg_check_fast {
	VG_CF_NONE = 0,
	VG_CF_STR_EQ, /* ONE: =, in/intersects of one item, on strings or bytes */
	VG_CF_STR_NE,
	VG_CF_STARTSWITH, /* ONE: startswith, bstartswith */
	VG_CF_ENDSWITH,
	VG_CF_CONTAINS, /* ONE: contains, bcontains */
	VG_CF_STR_ANY_EQ, /* ITEMS: any string item equal (in, = anyof, ...) */
	VG_CF_STRSET,
	VG_CF_U_EQ, /* ONE: numbers (int64 and uint64 alike) */
	VG_CF_U_NE,
	VG_CF_U_LT, /* ONE: uint64 ordering */
	VG_CF_U_LE,
	VG_CF_U_GT,
	VG_CF_U_GE,
	VG_CF_I_LT, /* ONE: int64 ordering */
	VG_CF_I_LE,
	VG_CF_I_GT,
	VG_CF_I_GE,
	VG_CF_BOOL_EQ,
	VG_CF_BOOL_NE,
	VG_CF_EXISTS,
};

/* What the evaluator dispatches on: the op, or for a CHECK with a direct comparison
 * VG_INS_FAST + its enum vg_check_fast (one switch per instruction, not two). */
#define VG_INS_FAST 16

struct vg_insn {
	uint8_t op;
	uint8_t val;
	uint8_t fast; /* CHECK: enum vg_check_fast */
	uint8_t code; /* set last (optimize.c): op, or VG_INS_FAST + fast */
	uint32_t arg;
	uint32_t t, f;
	union {
		const struct vg_cnode *node; /* CHECK */
		uint32_t next; /* MEMO: where the macro's code starts (result unknown) */
	};
};

/* Per source: the candidate rules of each event type. */
struct vg_bucket {
	uint32_t *rules;
	struct vg_cnode **roots; /* per rule: its condition specialised for this event type */
	uint32_t *lead; /* per rule: memo index of its leading macro (0: none), so a rule whose
			 * first conjunct is already known false is skipped without touching it */
	uint32_t n;
	struct vg_insn *prog; /* NULL: too large, the evaluator walks roots[] */
	uint32_t n_prog;
};

struct vg_srcindex {
	const struct vg_source *src;
	size_t n_types; /* >= 1 */
	struct vg_bucket *buckets;
	uint32_t *always; /* slots of the always-present output fields this source has */
	size_t n_always;
};

struct vg_ruleset {
	struct vg_arena arena;
	struct vg_crule **rules;
	size_t n_rules;
	struct vg_slot **slots;
	size_t n_slots;
	size_t n_memo; /* macro roots whose per-event results the evaluator keeps */
	struct vg_srcindex *idx;
	size_t n_idx;
	struct vg_vec regexes; /* struct vg_regex *, freed with the rule set */
	enum vg_rule_matching matching;
	uint64_t seed;
};

/* Specialises every bucket's conditions for its event type and compiles each bucket into a
 * program (optimize.c); called once by the compiler after indexing. */
int vg_rules_optimize(struct vg_ruleset *rs);

/* Set helpers (compile.c builds, eval.c looks up). */
uint64_t vg_rules_hash(const void *p, size_t n, uint64_t seed);
bool vg_strset_has(const struct vg_strset *s, const char *p, size_t n);

/* fnmatch(3) without FNM_PATHNAME/FNM_PERIOD on byte strings: '*', '?', '[...]' ('!' or '^'
 * negates, ranges), '\\' escapes. */
bool vg_glob_match(const char *pat, size_t pn, const char *s, size_t sn, bool icase);
bool vg_pmatch_match(const struct vg_pmatch *pm, const char *path, size_t n);

/* The always-present output fields (ruleset.h). */
extern const char *const vg_output_always[];
extern const size_t vg_output_always_n;

#endif /* VG_RULES_COMPILED_H */
