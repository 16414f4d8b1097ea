/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Falco condition parser: a hand-written recursive descent over the grammar in
 * falcosecurity/libs userspace/libsinsp/filter/parser.h (see docs/rules.md).
 */
#ifndef VG_RULES_PARSE_H
#define VG_RULES_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "rules/ast.h"

#define VG_COND_DEPTH_MAX 100 /* nesting of parentheses and not, as Falco */
#define VG_COND_LEN_MAX	  (1u << 20)
#define VG_LIST_ITEMS_MAX 100000

struct vg_parse_error {
	uint32_t pos; /* byte offset in the condition */
	char msg[256];
};

/*
 * Parses text (len bytes, need not be NUL-terminated) into *ret, allocated from a.
 * -EBADMSG with err filled on a syntax error, -E2BIG past the limits above, -ENOMEM.
 */
VG_MUST_CHECK int vg_cond_parse(const char *text, size_t len, struct vg_arena *a,
				struct vg_ast_node **ret, struct vg_parse_error *err);

/*
 * Parses one output field reference at text[0] ('%' already skipped): name, optional [arg].
 * Returns the bytes consumed, 0 when text does not start a field name.
 */
size_t vg_output_field_scan(const char *text, size_t len, struct vg_ast_field *ret, char *argbuf,
			    size_t argsize);

#endif /* VG_RULES_PARSE_H */
