/* SPDX-License-Identifier: Apache-2.0 */
/* The evaluator's state (private to eval.c and output.c). */
#ifndef VG_RULES_EVAL_INTERNAL_H
#define VG_RULES_EVAL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "basic/strbuf.h"
#include "rules/compiled.h"
#include "rules/field.h"

#define VG_PATH_NORM_MAX 4096 /* pmatch: longest path compared (longer ones: the first part) */

struct vg_eval_cache {
	uint32_t gen;
	uint32_t start; /* in pool */
	uint32_t n;
};

/* What extracting a slot needs, side by side for all slots (the slots themselves are large
 * and scattered in the rule set's arena). */
struct vg_eval_slot {
	vg_field_extract_fn *extract;
	const struct vg_field *f;
	const struct vg_field_arg *arg;
	const struct vg_slot *sl;
	bool transform; /* the slot has transformers */
};

struct vg_eval_memo {
	uint32_t gen; /* the event the result belongs to */
	bool val;
};

struct vg_evaluator {
	const struct vg_ruleset *rs;
	const struct vg_srcindex *last_idx;
	const void *obj;
	bool in_eval;
	uint32_t gen;
	struct vg_eval_cache *cache; /* per slot */
	struct vg_eval_slot *slots; /* per slot */
	struct vg_eval_memo *memo; /* per memoised macro (index = cnode.memo) */
	struct vg_value *pool; /* VG_EVAL_VALUES_MAX */
	size_t pool_used;
	char *trbuf; /* VG_EVAL_TRBUF_MAX: transformed strings */
	size_t tr_used;
	struct vg_regex_md *md;
	struct vg_strbuf sb; /* one output field's text */
	struct vg_extract x; /* scratch shared by all slots of one event */
};

/* Starts a new event: invalidates the cache. */
void vg_eval_begin(struct vg_evaluator *ev, const void *obj);
/* The values of a slot for the current event (extracted on first use). */
uint32_t vg_eval_get(struct vg_evaluator *ev, uint32_t slot, const struct vg_value **ret);

#endif /* VG_RULES_EVAL_INTERNAL_H */
