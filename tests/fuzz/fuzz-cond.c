/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_cond_parse() on arbitrary bytes and walks the tree checking its invariants
 * (children counts, positions inside the input, operators and right-hand sides that agree),
 * then vg_output_field_scan() at every '%'.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/arena.h"
#include "rules/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_field(const struct vg_ast_field *f, size_t len, bool rhs)
{
	check(f->name && strchr(f->name, '.') && f->pos < len);
	check(f->n_tr <= VG_AST_TRANSFORMERS_MAX);
	for (unsigned i = 0; i < f->n_tr; i++) {
		check(f->tr[i] > VG_TR_NONE && f->tr[i] <= VG_TR_VAL);
		/* val() only on the right, alone */
		check(f->tr[i] != VG_TR_VAL || (rhs && f->n_tr == 1));
	}
}

static void check_item(const struct vg_ast_item *it, size_t len)
{
	check(it->text && it->pos < len);
	check(it->quoted || it->text[0] != '\0');
}

static void walk(const struct vg_ast_node *n, size_t len, unsigned depth)
{
	check(n && n->pos < len);
	check(depth <= 2 * VG_COND_DEPTH_MAX + 2);
	switch (n->kind) {
	case VG_AST_AND:
	case VG_AST_OR:
		check(n->n_children >= 2 && n->children);
		for (unsigned i = 0; i < n->n_children; i++) {
			check(n->children[i]->pos >= n->pos);
			walk(n->children[i], len, depth + 1);
		}
		break;
	case VG_AST_NOT:
		check(n->n_children == 1 && n->children);
		walk(n->children[0], len, depth + 1);
		break;
	case VG_AST_IDENT:
		check(n->ident && n->ident[0] && !strchr(n->ident, '.'));
		check(n->n_children == 0);
		break;
	case VG_AST_CHECK:
		check(n->n_children == 0);
		check_field(&n->field, len, false);
		check(n->op >= VG_OP_EQ && n->op < VG_OP__MAX);
		check(strcmp(vg_cmp_op_name(n->op), "unknown") != 0);
		check((n->op == VG_OP_EXISTS) == (n->rhs_kind == VG_RHS_NONE));
		check(n->mod == VG_MOD_NONE ||
		      ((n->rhs_kind == VG_RHS_LIST || n->rhs_kind == VG_RHS_LISTNAME) &&
		       n->op < VG_OP_IN && !(n->op >= VG_OP_LT && n->op <= VG_OP_GE)));
		switch (n->rhs_kind) {
		case VG_RHS_NONE:
			break;
		case VG_RHS_VALUE:
			check(n->op < VG_OP_IN);
			check_item(&n->value, len);
			break;
		case VG_RHS_LISTNAME:
			check(n->op >= VG_OP_IN || n->mod != VG_MOD_NONE);
			check_item(&n->value, len);
			check(!n->value.quoted);
			break;
		case VG_RHS_LIST:
			check(n->op >= VG_OP_IN || n->mod != VG_MOD_NONE);
			check(n->n_items <= VG_LIST_ITEMS_MAX);
			check(n->n_items == 0 || n->items);
			for (unsigned i = 0; i < n->n_items; i++) {
				check_item(&n->items[i], len);
				check(i == 0 || n->items[i].pos > n->items[i - 1].pos);
			}
			break;
		case VG_RHS_FIELD:
			check_field(&n->rhs_field, len, true);
			check(n->rhs_field.pos > n->field.pos);
			break;
		default:
			abort();
		}
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct vg_ast_node *n = NULL;
	struct vg_parse_error err;
	struct vg_arena a;
	int r;

	vg_arena_init(&a, 256u * 1024 * 1024);
	r = vg_cond_parse(s, size, &a, &n, &err);
	if (r == 0) {
		walk(n, size, 0);
	} else {
		check(r == -EBADMSG || r == -E2BIG);
		check(err.msg[0] != '\0' && memchr(err.msg, '\0', sizeof(err.msg)));
		check(err.pos <= size);
	}
	vg_arena_done(&a);

	for (size_t i = 0; i < size; i++) {
		struct vg_ast_field f;
		char buf[512];
		size_t used;

		if (s[i] != '%')
			continue;
		used = vg_output_field_scan(s + i + 1, size - i - 1, &f, buf, sizeof(buf));
		check(used <= size - i - 1);
		if (used)
			check(f.name && f.name >= buf && f.name < buf + sizeof(buf) &&
			      f.n_tr <= VG_AST_TRANSFORMERS_MAX);
	}
	return 0;
}
