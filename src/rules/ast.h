/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The syntax tree of a Falco condition, as the parser produces it: names are not resolved
 * yet (macros, lists and fields are looked up by the compiler). Nodes live in an arena.
 * Every node keeps the byte offset in the condition text where it starts, so errors can be
 * reported as file:line:col.
 */
#ifndef VG_RULES_AST_H
#define VG_RULES_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vg_ast_kind {
	VG_AST_AND = 1, /* children[n] */
	VG_AST_OR, /* children[n] */
	VG_AST_NOT, /* children[0] */
	VG_AST_IDENT, /* a bare identifier: a macro name (or true/false? no: Falco has none) */
	VG_AST_CHECK, /* field op value, or field exists */
};

enum vg_cmp_op {
	VG_OP_EQ = 1, /* = and == */
	VG_OP_NE,
	VG_OP_LT,
	VG_OP_LE,
	VG_OP_GT,
	VG_OP_GE,
	VG_OP_CONTAINS,
	VG_OP_ICONTAINS,
	VG_OP_BCONTAINS,
	VG_OP_STARTSWITH,
	VG_OP_BSTARTSWITH,
	VG_OP_ENDSWITH,
	VG_OP_GLOB,
	VG_OP_IGLOB,
	VG_OP_REGEX,
	VG_OP_IN,
	VG_OP_INTERSECTS,
	VG_OP_PMATCH,
	VG_OP_EXISTS,
	VG_OP__MAX,
};

/* String operators may take a list with a modifier: fd.name startswith oneof (/a, /b). */
enum vg_op_modifier {
	VG_MOD_NONE = 0,
	VG_MOD_ONEOF,
	VG_MOD_ANYOF,
	VG_MOD_ALLOF,
};

enum vg_transformer {
	VG_TR_NONE = 0,
	VG_TR_TOLOWER,
	VG_TR_TOUPPER,
	VG_TR_B64,
	VG_TR_BASENAME,
	VG_TR_LEN,
	VG_TR_VAL, /* only on the right-hand side: val(field) */
};

#define VG_AST_TRANSFORMERS_MAX 8

/* A field use: name, optional argument, transformers applied innermost first. */
struct vg_ast_field {
	const char *name; /* "proc.aname" or "evt.arg.flags" as written */
	const char *arg; /* text between [ and ], NULL when absent */
	enum vg_transformer tr[VG_AST_TRANSFORMERS_MAX];
	unsigned n_tr; /* tr[0] is applied first (the innermost) */
	uint32_t pos;
};

enum vg_ast_rhs_kind {
	VG_RHS_NONE = 0, /* exists */
	VG_RHS_VALUE, /* a single literal (quoted or bare) */
	VG_RHS_LIST, /* ( item, item, ... ): items are literals or list names */
	VG_RHS_LISTNAME, /* in a_list_name (an identifier standing for a named list) */
	VG_RHS_FIELD, /* val(field) or a transformer applied to a field */
};

struct vg_ast_item {
	const char *text; /* unquoted text */
	bool quoted; /* was quoted: never a list name */
	uint32_t pos;
};

struct vg_ast_node {
	enum vg_ast_kind kind;
	uint32_t pos;
	/* AND, OR, NOT */
	struct vg_ast_node **children;
	unsigned n_children;
	/* IDENT */
	const char *ident;
	/* CHECK */
	struct vg_ast_field field;
	enum vg_cmp_op op;
	enum vg_op_modifier mod;
	enum vg_ast_rhs_kind rhs_kind;
	struct vg_ast_item value; /* VALUE, LISTNAME (text = list name) */
	struct vg_ast_item *items; /* LIST */
	unsigned n_items;
	struct vg_ast_field rhs_field; /* FIELD */
};

const char *vg_cmp_op_name(enum vg_cmp_op op); /* "startswith" */
const char *vg_op_modifier_name(enum vg_op_modifier m); /* "oneof"; "" for VG_MOD_NONE */
const char *vg_transformer_name(enum vg_transformer t); /* "tolower", "val" */

#endif /* VG_RULES_AST_H */
