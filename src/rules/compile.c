/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rules compiler: a collection (load.h) into a struct vg_ruleset (compiled.h).
 *
 * For each rule: parse the condition, expand macros (compiled once per source and shared),
 * flatten lists, resolve fields through the source registry, type the literals, build sets,
 * path-prefix sets and regexes, append exceptions as `and not (...)`, compute the event types
 * the condition can match, and parse the output template. Everything is bounded: expansion
 * depth, expanded nodes per rule, list items, arena bytes, regex size.
 *
 * SPEC: docs/rules.md#compilation-and-evaluation
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "basic/arena.h"
#include "basic/hashmap.h"
#include "basic/vec.h"
#include "rules/compiled.h"
#include "rules/diag.h"
#include "rules/load.h"
#include "rules/parse.h"
#include "rules/ruleset.h"
#include "rules/value.h"
#include "shared/regex.h"

#define MSG_MAX	  512
#define SRC_CACHE 16 /* sources one macro is compiled for */

const char *const vg_output_always[] = {
	"container.id", "container.name", "container.image.repository",
	"proc.name",	"proc.cmdline",	  "proc.pid",
	"proc.exepath", "user.name",	  "evt.type",
};
const size_t vg_output_always_n = VG_ARRAY_SIZE(vg_output_always);

/* A compile error, kept until the rule is done (skip-if-unknown-filter may turn it into a
 * warning) and shared by every rule that uses a broken macro (reported once). */
struct cerr {
	bool set;
	bool unknown_field;
	const char *code;
	struct vg_srcpos pos;
	char item[160];
	char msg[MSG_MAX];
	bool *reported;
};

enum { ST_NONE = 0, ST_BUSY, ST_DONE, ST_FAILED };

struct msrc {
	const struct vg_source *src;
	int state;
	struct vg_cnode *node;
	struct cerr err;
};

struct mstate {
	struct vg_rule_macro *m;
	int parsed; /* 0 not yet, 1 ok, -1 failed */
	struct vg_ast_node *ast;
	struct cerr perr;
	struct msrc per[SRC_CACHE];
	unsigned n_per;
};

struct lstate {
	struct vg_rule_list *l;
	int state;
	struct vg_list_item *items;
	size_t n;
	struct cerr err;
};

/* Where the text being compiled came from. */
struct where {
	const struct vg_cond_src *cs; /* NULL: use pos */
	struct vg_srcpos pos;
	char item[160];
};

struct cctx {
	struct vg_ruleset *rs;
	const struct vg_rules_collection *c;
	struct vg_diags *d;
	struct vg_arena tmp;
	struct vg_hashmap mstates, lstates, slotmap;
	struct vg_vec slots; /* struct vg_slot * */
	/* per rule */
	const struct vg_source *src;
	struct cerr err;
	const char *mstack[VG_EXPAND_DEPTH_MAX + 1];
	unsigned mdepth;
	size_t nwords; /* evttype bitset words for src */
};

/* ---- hashing and sets ---- */

static inline uint64_t mix64(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t vg_rules_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL), w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = mix64(h ^ w, 0xa0761d6478bd642fULL);
		s += 8;
		n -= 8;
	}
	w = 0;
	if (n)
		memcpy(&w, s, n);
	return mix64(h ^ w ^ 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL);
}

static inline uint32_t hash32(uint64_t h)
{
	uint32_t r = (uint32_t)(h ^ (h >> 32));

	return r ? r : 1;
}

bool vg_strset_has(const struct vg_strset *s, const char *p, size_t n)
{
	uint32_t h, i;

	if (n < s->minlen || n > s->maxlen)
		return false;
	h = hash32(vg_rules_hash(p, n, s->seed));
	for (i = h & s->mask;; i = (i + 1) & s->mask) {
		const struct vg_strset_ent *e = &s->ents[i];

		if (!e->hash)
			return false;
		if (e->hash == h && e->len == n && memcmp(e->p, p, n) == 0)
			return true;
	}
}

static int strset_build(struct vg_arena *a, uint64_t seed, const char *const *p, const size_t *len,
			size_t n, struct vg_strset *s)
{
	uint32_t cap = 16;

	while (cap < 2 * n)
		cap <<= 1;
	*s = (struct vg_strset){.mask = cap - 1, .seed = seed, .minlen = UINT32_MAX};
	s->ents = vg_arena_calloc(a, cap, sizeof(*s->ents));
	if (!s->ents)
		return vg_arena_error(a) ?: -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		uint32_t h = hash32(vg_rules_hash(p[k], len[k], seed)), i;

		if (vg_strset_has(s, p[k], len[k]))
			continue;
		for (i = h & s->mask; s->ents[i].hash; i = (i + 1) & s->mask)
			;
		s->ents[i] = (struct vg_strset_ent){.p = p[k], .len = (uint32_t)len[k], .hash = h};
		s->n++;
		if (len[k] < s->minlen)
			s->minlen = (uint32_t)len[k];
		if (len[k] > s->maxlen)
			s->maxlen = (uint32_t)len[k];
	}
	if (!s->n)
		s->minlen = 1, s->maxlen = 0; /* matches nothing */
	return 0;
}

/* ---- errors ---- */

static void where_pos(const struct where *w, uint32_t off, struct vg_srcpos *ret)
{
	if (w->cs && w->cs->text)
		vg_cond_src_pos(w->cs, off, ret);
	else
		*ret = w->pos;
}

static void VG_PRINTF(5, 6) cerror(struct cctx *x, const struct where *w, uint32_t off,
				   const char *code, const char *fmt, ...)
{
	va_list ap;

	if (x->err.set)
		return;
	x->err = (struct cerr){.set = true, .code = code};
	where_pos(w, off, &x->err.pos);
	snprintf(x->err.item, sizeof(x->err.item), "%s", w->item);
	va_start(ap, fmt);
	vsnprintf(x->err.msg, sizeof(x->err.msg), fmt, ap);
	va_end(ap);
	x->err.reported = vg_arena_calloc(&x->tmp, 1, sizeof(bool));
}

static void emit_err(struct cctx *x, const struct cerr *e)
{
	if (e->reported) {
		if (*e->reported)
			return;
		*e->reported = true;
	}
	vg_diag_add(x->d, VG_DIAG_ERROR, &e->pos, e->item[0] ? e->item : NULL, e->code, "%s",
		    e->msg);
}

static void *aalloc(struct cctx *x, size_t n)
{
	return vg_arena_alloc(&x->rs->arena, n);
}

static char *adup(struct cctx *x, const char *s, size_t n)
{
	return vg_arena_strndup(&x->rs->arena, s, n);
}

static bool oom(struct cctx *x, const struct where *w, uint32_t off)
{
	int r = vg_arena_error(&x->rs->arena) ?: vg_arena_error(&x->tmp);

	cerror(x, w, off, "TOO_COMPLEX", "%s",
	       r == -E2BIG ? "rule set too large (arena limit)" : "out of memory");
	return false;
}

/* ---- operators ---- */

static bool is_list_op(enum vg_cmp_op op)
{
	return op == VG_OP_IN || op == VG_OP_INTERSECTS || op == VG_OP_PMATCH;
}

static bool is_str_op(enum vg_cmp_op op)
{
	switch (op) {
	case VG_OP_CONTAINS:
	case VG_OP_ICONTAINS:
	case VG_OP_BCONTAINS:
	case VG_OP_STARTSWITH:
	case VG_OP_BSTARTSWITH:
	case VG_OP_ENDSWITH:
	case VG_OP_GLOB:
	case VG_OP_IGLOB:
	case VG_OP_REGEX:
		return true;
	default:
		return false;
	}
}

/* Which left-hand types an operator accepts. */
static bool op_type_ok(enum vg_cmp_op op, enum vg_ftype t)
{
	switch (op) {
	case VG_OP_EXISTS:
	case VG_OP_EQ:
	case VG_OP_NE:
		return true;
	case VG_OP_LT:
	case VG_OP_LE:
	case VG_OP_GT:
	case VG_OP_GE:
		return t == VG_FT_INT || t == VG_FT_UINT;
	case VG_OP_CONTAINS:
	case VG_OP_STARTSWITH:
	case VG_OP_ENDSWITH:
	case VG_OP_BCONTAINS:
	case VG_OP_BSTARTSWITH:
		return t == VG_FT_STR || t == VG_FT_BYTES;
	case VG_OP_ICONTAINS:
	case VG_OP_GLOB:
	case VG_OP_IGLOB:
	case VG_OP_REGEX:
	case VG_OP_PMATCH:
		return t == VG_FT_STR;
	case VG_OP_IN:
	case VG_OP_INTERSECTS:
		return t != VG_FT_BYTES;
	default:
		return false;
	}
}

static int parse_comp(const char *s, enum vg_cmp_op *ret_op, enum vg_op_modifier *ret_mod)
{
	static const char *const mods[] = {
		[VG_MOD_ONEOF] = "oneof", [VG_MOD_ANYOF] = "anyof", [VG_MOD_ALLOF] = "allof"};
	size_t n = strcspn(s, " \t");
	const char *m = s + n;

	*ret_mod = VG_MOD_NONE;
	*ret_op = 0;
	if (n == 2 && memcmp(s, "==", 2) == 0)
		*ret_op = VG_OP_EQ;
	for (int i = 1; i < VG_OP__MAX && !*ret_op; i++) {
		const char *name = vg_cmp_op_name(i);

		if (strlen(name) == n && memcmp(name, s, n) == 0)
			*ret_op = i;
	}
	if (!*ret_op || *ret_op == VG_OP_EXISTS)
		return -EINVAL;
	m += strspn(m, " \t");
	if (!*m)
		return 0;
	for (int i = 1; i < (int)VG_ARRAY_SIZE(mods); i++)
		if (strcmp(m, mods[i]) == 0) {
			*ret_mod = i;
			return is_str_op(*ret_op) || *ret_op == VG_OP_EQ || *ret_op == VG_OP_NE
				       ? 0
				       : -EINVAL;
		}
	return -EINVAL;
}

static const char *trname(enum vg_transformer t)
{
	switch (t) {
	case VG_TR_TOLOWER:
		return "tolower";
	case VG_TR_TOUPPER:
		return "toupper";
	case VG_TR_B64:
		return "b64";
	case VG_TR_BASENAME:
		return "basename";
	case VG_TR_LEN:
		return "len";
	case VG_TR_VAL:
		return "val";
	default:
		return "?";
	}
}

/* ---- lists ---- */

static struct lstate *list_state(struct cctx *x, struct vg_rule_list *l)
{
	struct lstate *s = vg_hashmap_get_u64(&x->lstates, (uint64_t)(uintptr_t)l);

	if (s)
		return s;
	s = vg_arena_calloc(&x->tmp, 1, sizeof(*s));
	if (!s)
		return NULL;
	s->l = l;
	if (vg_hashmap_put_u64(&x->lstates, (uint64_t)(uintptr_t)l, s) < 0)
		return NULL;
	return s;
}

static struct vg_rule_list *find_list(struct cctx *x, const char *name)
{
	return vg_hashmap_get_str((struct vg_hashmap *)&x->c->list_by_name, name);
}

/* Flattens a list: items naming another list are inlined (recursively). */
static struct lstate *flatten(struct cctx *x, const struct where *w, uint32_t off,
			      struct vg_rule_list *l, unsigned depth)
{
	struct lstate *s = list_state(x, l);
	struct vg_vec items = VG_VEC_INIT(struct vg_list_item, VG_LIST_ITEMS_MAX);

	if (!s) {
		oom(x, w, off);
		return NULL;
	}
	l->used = true;
	switch (s->state) {
	case ST_DONE:
		return s;
	case ST_FAILED:
		if (!x->err.set)
			x->err = s->err;
		return NULL;
	case ST_BUSY:
		cerror(x, w, off, "LIST_CYCLE",
		       "list '%s' refers to itself (directly or through other lists)", l->name);
		return NULL;
	}
	if (depth > VG_EXPAND_DEPTH_MAX) {
		cerror(x, w, off, "TOO_COMPLEX", "lists nested deeper than %d",
		       VG_EXPAND_DEPTH_MAX);
		return NULL;
	}
	s->state = ST_BUSY;
	for (size_t i = 0; i < l->n_items; i++) {
		const struct vg_list_item *it = &l->items[i];
		struct vg_rule_list *sub = it->quoted || !it->text ? NULL : find_list(x, it->text);
		int r = 0;

		if (sub) {
			struct lstate *ss = flatten(x, w, off, sub, depth + 1);

			if (!ss)
				goto fail;
			for (size_t k = 0; k < ss->n && r >= 0; k++)
				r = vg_vec_push(&items, &ss->items[k]);
		} else if (it->text) {
			struct vg_list_item c = *it;
			size_t n = strlen(it->text);

			/* Falco inlines list items into the condition text, where an item written
			 * with its own quotes ('"127.0.0.1"') is a quoted string: unquote it. */
			if (n >= 2 && (it->text[0] == '"' || it->text[0] == '\'') &&
			    it->text[n - 1] == it->text[0]) {
				c.text = vg_arena_strndup(&x->tmp, it->text + 1, n - 2);
				c.quoted = true;
				if (!c.text) {
					oom(x, w, off);
					goto fail;
				}
			}
			r = vg_vec_push(&items, &c);
		}
		if (r == -E2BIG) {
			cerror(x, w, off, "TOO_COMPLEX",
			       "list '%s' has more than %d items once expanded", l->name,
			       VG_LIST_ITEMS_MAX);
			goto fail;
		}
		if (r < 0) {
			oom(x, w, off);
			goto fail;
		}
	}
	s->n = items.len;
	s->items = items.len ? vg_arena_memdup(&x->tmp, items.data,
					       items.len * sizeof(struct vg_list_item))
			     : NULL;
	vg_vec_done(&items);
	if (items.len && !s->items) {
		oom(x, w, off);
		s->state = ST_FAILED;
		s->err = x->err;
		return NULL;
	}
	s->state = ST_DONE;
	return s;
fail:
	vg_vec_done(&items);
	s->state = ST_FAILED;
	s->err = x->err;
	return NULL;
}

/* ---- fields ---- */

static bool all_digits(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Resolves a field use to a slot of the rule set; -1 on error (reported in x->err). */
static int resolve_slot(struct cctx *x, const struct where *w, const struct vg_ast_field *af,
			uint32_t off, bool strip_val)
{
	size_t argoff = 0;
	const struct vg_field *f = vg_source_field(x->src, af->name, &argoff);
	struct vg_slot sl = {0}, *p;
	const char *arg = NULL;
	char key[VG_FIELD_ARG_MAX + 128], text[VG_FIELD_ARG_MAX + 192];
	enum vg_ftype t;
	void *v;
	int k;

	if (!f) {
		cerror(x, w, off, "UNKNOWN_FIELD", "unknown field '%s'", af->name);
		x->err.unknown_field = true;
		return -1;
	}
	if (argoff) {
		arg = af->name + argoff;
		if (af->arg) {
			cerror(x, w, off, "BAD_FIELD_ARG", "field '%s' has two arguments",
			       af->name);
			return -1;
		}
	} else {
		arg = af->arg;
	}
	sl.f = f;
	if (arg) {
		if (!(f->flags & (VG_FF_ARG_INDEX | VG_FF_ARG_KEY))) {
			cerror(x, w, off, "BAD_FIELD_ARG", "field '%s' takes no argument", f->name);
			return -1;
		}
		if (strlen(arg) >= VG_FIELD_ARG_MAX) {
			cerror(x, w, off, "BAD_FIELD_ARG",
			       "argument of field '%s' longer than %d bytes", f->name,
			       VG_FIELD_ARG_MAX - 1);
			return -1;
		}
		sl.arg.present = true;
		snprintf(sl.arg.key, sizeof(sl.arg.key), "%s", arg);
		if ((f->flags & VG_FF_ARG_INDEX) && all_digits(arg)) {
			sl.arg.is_index = true;
			sl.arg.index = strtoll(arg, NULL, 10);
		} else if (!(f->flags & VG_FF_ARG_KEY)) {
			cerror(x, w, off, "BAD_FIELD_ARG",
			       "field '%s' needs a numeric argument, not '%s'", f->name, arg);
			return -1;
		}
	} else if (f->flags & VG_FF_ARG_REQUIRED) {
		cerror(x, w, off, "BAD_FIELD_ARG", "field '%s' needs an argument", f->name);
		return -1;
	}
	t = f->type;
	for (unsigned i = 0; i < af->n_tr && i < VG_AST_TRANSFORMERS_MAX; i++) {
		enum vg_transformer tr = af->tr[i];

		if (tr == VG_TR_VAL) {
			if (strip_val)
				continue;
			cerror(x, w, off, "BAD_OPERATOR",
			       "val() is only allowed on the right-hand side");
			return -1;
		}
		if (tr == VG_TR_LEN) {
			if (t != VG_FT_STR && t != VG_FT_BYTES && !(f->flags & VG_FF_LIST)) {
				cerror(x, w, off, "BAD_OPERATOR",
				       "transformer 'len' needs a string or list field, '%s' is %s",
				       f->name, vg_ftype_name(t));
				return -1;
			}
			t = VG_FT_UINT;
		} else if (t != VG_FT_STR && !(tr == VG_TR_B64 && t == VG_FT_BYTES)) {
			cerror(x, w, off, "BAD_OPERATOR",
			       "transformer '%s' needs a string field, '%s' is %s", trname(tr),
			       f->name, vg_ftype_name(t));
			return -1;
		} else {
			t = VG_FT_STR;
		}
		sl.tr[sl.n_tr++] = tr;
	}
	sl.type = t;
	sl.list = f->flags & VG_FF_LIST;
	sl.numeric_out = t == VG_FT_INT || t == VG_FT_UINT;

	k = snprintf(key, sizeof(key), "%p|%d|%s|", (const void *)f, sl.arg.present, sl.arg.key);
	for (unsigned i = 0; i < sl.n_tr && k < (int)sizeof(key) - 4; i++)
		k += snprintf(key + k, sizeof(key) - k, "%d,", sl.tr[i]);
	v = vg_hashmap_get_str(&x->slotmap, key);
	if (v)
		return (int)((uintptr_t)v - 1);

	k = snprintf(text, sizeof(text), "%s", f->name);
	if (sl.arg.present)
		k += snprintf(text + k, sizeof(text) - k,
			      argoff && (f->flags & VG_FF_DOTTED_ARG) ? ".%s" : "[%s]", sl.arg.key);
	for (unsigned i = 0; i < sl.n_tr; i++) {
		char tmp[sizeof(text) + 16];

		snprintf(tmp, sizeof(tmp), "%s(%s)", trname(sl.tr[i]), text);
		snprintf(text, sizeof(text), "%.*s", (int)sizeof(text) - 1, tmp);
	}
	sl.text = vg_arena_strdup(&x->rs->arena, text);
	p = aalloc(x, sizeof(*p));
	if (!p || !sl.text)
		return oom(x, w, off), -1;
	*p = sl;
	if (vg_vec_push(&x->slots, &p) < 0 ||
	    vg_hashmap_put_str(&x->slotmap, key, (void *)(uintptr_t)x->slots.len) < 0)
		return oom(x, w, off), -1;
	return (int)x->slots.len - 1;
}

static struct vg_slot *slot_at(struct cctx *x, int i)
{
	return *(struct vg_slot **)vg_vec_at(&x->slots, (size_t)i);
}

/* ---- literals ---- */

static bool lit_parse(struct cctx *x, const struct where *w, uint32_t off, const struct vg_slot *sl,
		      enum vg_cmp_op op, const char *text, struct vg_value *ret)
{
	size_t n = strlen(text);
	enum vg_ftype t = sl->type;
	int r;

	if (op == VG_OP_BCONTAINS || op == VG_OP_BSTARTSWITH) {
		r = vg_value_parse_arena(VG_FT_BYTES, text, n, &x->rs->arena, ret);
		if (r < 0) {
			cerror(x, w, off, "BAD_LITERAL",
			       "'%s' is not a valid hex byte string for %s", text, sl->text);
			return false;
		}
		return true;
	}
	if (sl->f->on_literal)
		sl->f->on_literal(sl->f, text);
	if (t == VG_FT_STR || t == VG_FT_BYTES) {
		char *p = adup(x, text, n);

		if (!p)
			return oom(x, w, off);
		ret->type = t;
		ret->s.p = p;
		ret->s.len = n;
		return true;
	}
	/* an IP field compared with a network means containment (fd.ip = 10.0.0.0/8); a
	 * network field (fd.snet) takes networks or single addresses */
	r = vg_value_parse(t, text, n, ret);
	if (r < 0 && t == VG_FT_IP)
		r = vg_value_parse(VG_FT_NET, text, n, ret);
	else if (r < 0 && t == VG_FT_NET)
		r = vg_value_parse(VG_FT_IP, text, n, ret);
	if (r < 0) {
		cerror(x, w, off, "BAD_LITERAL", "'%s' is not a valid %s for %s", text,
		       vg_ftype_name(t), sl->text);
		return false;
	}
	return true;
}

/* ---- checks ---- */

/* A check, from the AST or built for an exception. */
struct cspec {
	const struct vg_ast_field *lf;
	enum vg_cmp_op op;
	enum vg_op_modifier mod;
	enum vg_ast_rhs_kind rk;
	const struct vg_ast_item *value;
	const struct vg_ast_item *items;
	unsigned n_items;
	const struct vg_ast_field *rf;
	uint32_t pos;
};

static struct vg_cnode *new_node(struct cctx *x, enum vg_cnode_kind kind, uint32_t pos)
{
	struct vg_cnode *n = aalloc(x, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->size = 1;
		n->pos = pos;
	}
	return n;
}

/* Collects the right-hand list: items, expanding unquoted names of lists. */
static bool gather(struct cctx *x, const struct where *w, const struct cspec *cs,
		   struct vg_vec *out)
{
	struct vg_ast_item one;
	const struct vg_ast_item *items = cs->items;
	unsigned n = cs->n_items;

	if (cs->rk == VG_RHS_LISTNAME || cs->rk == VG_RHS_VALUE) {
		struct vg_rule_list *l = cs->value->quoted ? NULL : find_list(x, cs->value->text);

		if (!l) {
			if (cs->rk == VG_RHS_LISTNAME)
				cerror(x, w, cs->value->pos, "UNKNOWN_MACRO",
				       "unknown macro or list '%s'", cs->value->text);
			else
				cerror(x, w, cs->pos, "BAD_OPERATOR", "operator '%s' needs a list",
				       vg_cmp_op_name(cs->op));
			return false;
		}
		one = *cs->value;
		items = &one;
		n = 1;
	}
	for (unsigned i = 0; i < n; i++) {
		struct vg_rule_list *l = items[i].quoted ? NULL : find_list(x, items[i].text);
		int r = 0;

		if (l) {
			struct lstate *s = flatten(x, w, items[i].pos, l, 0);

			if (!s)
				return false;
			for (size_t k = 0; k < s->n && r >= 0; k++)
				r = vg_vec_push(out, &s->items[k].text);
		} else {
			const char *t = items[i].text;

			r = vg_vec_push(out, &t);
		}
		if (r == -E2BIG) {
			cerror(x, w, cs->pos, "TOO_COMPLEX", "more than %d list items",
			       VG_LIST_ITEMS_MAX);
			return false;
		}
		if (r < 0)
			return oom(x, w, cs->pos);
	}
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* "/a//b/" -> "/a/b"; "" or "/" -> "" (root). */
static size_t path_norm(const char *s, char *buf)
{
	size_t n = 0;

	while (*s) {
		size_t k;

		while (*s == '/')
			s++;
		k = strcspn(s, "/");
		if (!k)
			break;
		buf[n++] = '/';
		memcpy(buf + n, s, k);
		n += k;
		s += k;
	}
	buf[n] = 0;
	return n;
}

static bool build_pmatch(struct cctx *x, const struct where *w, uint32_t off, const char **items,
			 size_t n, struct vg_cnode *node)
{
	struct vg_pmatch *pm = aalloc(x, sizeof(*pm));
	const char **ps = calloc(n ? n : 1, sizeof(*ps));
	size_t *ls = calloc(n ? n : 1, sizeof(*ls)), np = 0;
	bool ok = false;

	if (!pm || !ps || !ls)
		goto oom;
	pm->globs = n ? aalloc(x, n * sizeof(*pm->globs)) : NULL;
	if (n && !pm->globs)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		char *buf = aalloc(x, strlen(items[i]) + 2);
		size_t k;

		if (!buf)
			goto oom;
		k = path_norm(items[i], buf);
		if (!k) {
			pm->root = true;
			continue;
		}
		if (has_glob(buf)) {
			struct vg_pglob *g = &pm->globs[pm->n_globs];
			uint32_t nc = 0;

			for (size_t j = 0; j < k; j++)
				nc += buf[j] == '/';
			g->comp = aalloc(x, nc * sizeof(*g->comp));
			g->len = aalloc(x, nc * sizeof(*g->len));
			if (!g->comp || !g->len)
				goto oom;
			for (char *p = buf; *p;) {
				size_t cl;

				p++;
				cl = strcspn(p, "/");
				g->comp[g->n] = p;
				g->len[g->n++] = (uint32_t)cl;
				p += cl;
			}
			pm->n_globs++;
			continue;
		}
		ps[np] = buf;
		ls[np++] = k;
	}
	if (strset_build(&x->rs->arena, x->rs->seed, ps, ls, np, &pm->prefixes) < 0)
		goto oom;
	node->pm = pm;
	node->rhs = VG_CRHS_PMATCH;
	ok = true;
	goto out;
oom:
	oom(x, w, off);
out:
	free(ps);
	free(ls);
	return ok;
}

static bool evttype_set(struct cctx *x, const struct where *w, uint32_t off, struct vg_cnode *node,
			const char *const *names, size_t n)
{
	node->ets = vg_arena_calloc(&x->rs->arena, x->nwords, sizeof(uint64_t));
	if (!node->ets)
		return oom(x, w, off);
	for (size_t i = 0; i < n; i++) {
		unsigned t = vg_source_evttype(x->src, names[i]);

		if (!t) {
			struct vg_srcpos pos;

			where_pos(w, off, &pos);
			vg_diag_add(x->d, VG_DIAG_WARNING, &pos, w->item, "UNKNOWN_EVTTYPE",
				    "unknown event type '%s' for source '%s'", names[i],
				    x->src->name);
			continue;
		}
		if (t < x->src->n_evttypes)
			node->ets[t / 64] |= 1ULL << (t % 64);
	}
	return true;
}

static struct vg_cnode *compile_check(struct cctx *x, const struct where *w, const struct cspec *cs)
{
	struct vg_cnode *node = new_node(x, VG_CN_CHECK, cs->pos);
	struct vg_slot *sl;
	struct vg_vec items = VG_VEC_INIT(const char *, VG_LIST_ITEMS_MAX);
	enum vg_cmp_op op = cs->op;
	int s;

	if (!node)
		return oom(x, w, cs->pos), NULL;
	s = resolve_slot(x, w, cs->lf, cs->lf->pos ? cs->lf->pos : cs->pos, false);
	if (s < 0)
		return NULL;
	sl = slot_at(x, s);
	node->slot = (uint32_t)s;
	node->op = op;
	node->type = sl->type;
	node->mod = cs->mod == VG_MOD_ONEOF ? VG_MOD_ANYOF : cs->mod;
	node->evttype = sl->n_tr == 0 && !sl->arg.present && x->src->n_evttypes > 1 &&
			strcmp(sl->f->name, "evt.type") == 0;
	if (op <= 0 || op >= VG_OP__MAX) {
		cerror(x, w, cs->pos, "BAD_OPERATOR", "invalid operator");
		return NULL;
	}
	if (!op_type_ok(op, sl->type)) {
		cerror(x, w, cs->pos, "BAD_OPERATOR",
		       "operator '%s' cannot be used on %s field '%s'", vg_cmp_op_name(op),
		       vg_ftype_name(sl->type), sl->text);
		return NULL;
	}
	if (op == VG_OP_EXISTS) {
		node->rhs = VG_CRHS_NONE;
		return node;
	}
	if (cs->rk == VG_RHS_NONE) {
		cerror(x, w, cs->pos, "BAD_OPERATOR", "operator '%s' needs a value",
		       vg_cmp_op_name(op));
		return NULL;
	}
	if (cs->rk == VG_RHS_FIELD) {
		struct vg_slot *rs;
		int r;

		if (cs->mod || op == VG_OP_REGEX || op == VG_OP_PMATCH) {
			cerror(x, w, cs->pos, "BAD_OPERATOR", "operator '%s' needs constant values",
			       vg_cmp_op_name(op));
			return NULL;
		}
		r = resolve_slot(x, w, cs->rf, cs->rf->pos ? cs->rf->pos : cs->pos, true);
		if (r < 0)
			return NULL;
		rs = slot_at(x, r);
		if (rs->type != sl->type) {
			cerror(x, w, cs->pos, "BAD_OPERATOR", "'%s' is %s but '%s' is %s", sl->text,
			       vg_ftype_name(sl->type), rs->text, vg_ftype_name(rs->type));
			return NULL;
		}
		node->rslot = (uint32_t)r;
		node->rhs = VG_CRHS_FIELD;
		node->evttype = false;
		return node;
	}
	if (is_list_op(op)) {
		if (cs->mod) {
			cerror(x, w, cs->pos, "BAD_OPERATOR", "operator '%s' takes no modifier",
			       vg_cmp_op_name(op));
			return NULL;
		}
		if (cs->rk == VG_RHS_VALUE &&
		    (cs->value->quoted || !find_list(x, cs->value->text))) {
			cerror(x, w, cs->pos, "BAD_OPERATOR", "operator '%s' needs a list",
			       vg_cmp_op_name(op));
			return NULL;
		}
	} else if (cs->rk != VG_RHS_VALUE && !cs->mod) {
		cerror(x, w, cs->pos, "BAD_OPERATOR",
		       "operator '%s' takes one value (or a list with oneof, anyof, allof)",
		       vg_cmp_op_name(op));
		return NULL;
	} else if (cs->mod && cs->rk == VG_RHS_VALUE) {
		cerror(x, w, cs->pos, "BAD_OPERATOR", "modifier needs a list");
		return NULL;
	} else if (cs->mod && !(is_str_op(op) || op == VG_OP_EQ || op == VG_OP_NE)) {
		cerror(x, w, cs->pos, "BAD_OPERATOR", "operator '%s' takes no modifier",
		       vg_cmp_op_name(op));
		return NULL;
	}

	/* single value */
	if (!is_list_op(op) && !cs->mod) {
		if (!lit_parse(x, w, cs->value->pos ? cs->value->pos : cs->pos, sl, op,
			       cs->value->text, &node->v))
			return NULL;
		node->rhs = VG_CRHS_ONE;
		node->cidr = sl->type == VG_FT_IP && node->v.type == VG_FT_NET;
		if (op == VG_OP_REGEX) {
			char eb[VG_REGEX_ERR_MAX];
			struct vg_regex *re = NULL;
			int r = vg_regex_compile(node->v.s.p, node->v.s.len, VG_REGEX_FULL, &re, eb,
						 sizeof(eb));

			if (r < 0) {
				cerror(x, w, cs->value->pos ? cs->value->pos : cs->pos, "BAD_REGEX",
				       "invalid regex '%s': %s", cs->value->text,
				       r == -ENOMEM ? "out of memory" : eb);
				return NULL;
			}
			if (vg_vec_push(&x->rs->regexes, &re) < 0) {
				vg_regex_free(re);
				return oom(x, w, cs->pos), NULL;
			}
			node->re = re;
			node->rhs = VG_CRHS_REGEX;
		}
		if (node->evttype && (op == VG_OP_EQ || op == VG_OP_NE) &&
		    !evttype_set(x, w, cs->pos, node, &cs->value->text, 1))
			return NULL;
		return node;
	}

	/* lists */
	if (!gather(x, w, cs, &items))
		goto fail;
	node->n = (uint32_t)items.len;
	if (op == VG_OP_PMATCH) {
		if (!build_pmatch(x, w, cs->pos, items.data, items.len, node))
			goto fail;
		vg_vec_done(&items);
		return node;
	}
	if (node->evttype && !cs->mod &&
	    !evttype_set(x, w, cs->pos, node, (const char **)items.data, items.len))
		goto fail;
	node->subset = sl->list && op == VG_OP_IN;
	node->items =
		items.len ? vg_arena_calloc(&x->rs->arena, items.len, sizeof(*node->items)) : NULL;
	if (items.len && !node->items) {
		oom(x, w, cs->pos);
		goto fail;
	}
	for (size_t i = 0; i < items.len; i++)
		if (!lit_parse(x, w, cs->pos, sl, op, *(const char **)vg_vec_at(&items, i),
			       &node->items[i]))
			goto fail;
	node->rhs = VG_CRHS_ITEMS;
	if (!cs->mod && items.len > VG_SET_LINEAR_MAX) {
		if (sl->type == VG_FT_STR) {
			const char **ps = calloc(items.len, sizeof(*ps));
			size_t *ls = calloc(items.len, sizeof(*ls));
			int r = -ENOMEM;

			node->set = aalloc(x, sizeof(*node->set));
			if (ps && ls && node->set) {
				for (size_t i = 0; i < items.len; i++) {
					ps[i] = node->items[i].s.p;
					ls[i] = node->items[i].s.len;
				}
				r = strset_build(&x->rs->arena, x->rs->seed, ps, ls, items.len,
						 node->set);
			}
			free(ps);
			free(ls);
			if (r < 0) {
				oom(x, w, cs->pos);
				goto fail;
			}
			node->rhs = VG_CRHS_STRSET;
		} else if (sl->type == VG_FT_INT || sl->type == VG_FT_UINT ||
			   sl->type == VG_FT_BOOL) {
			size_t k = 0;

			node->nums = aalloc(x, items.len * sizeof(uint64_t));
			if (!node->nums) {
				oom(x, w, cs->pos);
				goto fail;
			}
			for (size_t i = 0; i < items.len; i++)
				node->nums[i] = sl->type == VG_FT_BOOL ? node->items[i].b
								       : node->items[i].u;
			qsort(node->nums, items.len, sizeof(uint64_t), cmp_u64);
			for (size_t i = 0; i < items.len; i++)
				if (!k || node->nums[k - 1] != node->nums[i])
					node->nums[k++] = node->nums[i];
			node->n = (uint32_t)k;
			node->rhs = VG_CRHS_NUMSET;
		}
	}
	vg_vec_done(&items);
	return node;
fail:
	vg_vec_done(&items);
	return NULL;
}

/* ---- macros and the tree ---- */

static struct vg_cnode *compile_ast(struct cctx *x, const struct where *w,
				    const struct vg_ast_node *a, unsigned depth);

static struct mstate *macro_state(struct cctx *x, struct vg_rule_macro *m)
{
	struct mstate *s = vg_hashmap_get_u64(&x->mstates, (uint64_t)(uintptr_t)m);

	if (s)
		return s;
	s = vg_arena_calloc(&x->tmp, 1, sizeof(*s));
	if (!s)
		return NULL;
	s->m = m;
	if (vg_hashmap_put_u64(&x->mstates, (uint64_t)(uintptr_t)m, s) < 0)
		return NULL;
	return s;
}

static struct vg_cnode *expand_macro(struct cctx *x, const struct where *w, const char *name,
				     uint32_t off, unsigned depth)
{
	struct vg_rule_macro *m =
		vg_hashmap_get_str((struct vg_hashmap *)&x->c->macro_by_name, name);
	struct mstate *ms;
	struct msrc *per = NULL;
	struct where mw;
	struct vg_cnode *node;

	if (!m) {
		if (find_list(x, name))
			cerror(x, w, off, "UNKNOWN_MACRO", "'%s' is a list, not a macro", name);
		else
			cerror(x, w, off, "UNKNOWN_MACRO", "unknown macro or list '%s'", name);
		return NULL;
	}
	m->used = true;
	ms = macro_state(x, m);
	if (!ms)
		return oom(x, w, off), NULL;
	for (unsigned i = 0; i < ms->n_per; i++)
		if (ms->per[i].src == x->src)
			per = &ms->per[i];
	if (!per) {
		if (ms->n_per >= SRC_CACHE) {
			cerror(x, w, off, "TOO_COMPLEX", "too many sources");
			return NULL;
		}
		per = &ms->per[ms->n_per++];
		per->src = x->src;
	}
	switch (per->state) {
	case ST_DONE:
		return per->node;
	case ST_FAILED:
		if (!x->err.set)
			x->err = per->err;
		return NULL;
	case ST_BUSY: {
		char chain[MSG_MAX] = "";
		size_t k = 0;
		unsigned start = 0;

		for (unsigned i = 0; i < x->mdepth; i++)
			if (strcmp(x->mstack[i], name) == 0)
				start = i;
		for (unsigned i = start; i < x->mdepth && k < sizeof(chain) - 1; i++)
			k += snprintf(chain + k, sizeof(chain) - k, "%s -> ", x->mstack[i]);
		if (k < sizeof(chain) - 1)
			snprintf(chain + k, sizeof(chain) - k, "%s", name);
		cerror(x, w, off, "MACRO_CYCLE", "macro cycle: %s", chain);
		return NULL;
	}
	}
	if (x->mdepth >= VG_EXPAND_DEPTH_MAX) {
		cerror(x, w, off, "TOO_COMPLEX", "macros nested deeper than %d",
		       VG_EXPAND_DEPTH_MAX);
		return NULL;
	}
	mw = (struct where){.cs = &m->cond, .pos = m->pos};
	snprintf(mw.item, sizeof(mw.item), "macro '%s'", m->name);
	if (ms->parsed == 0) {
		struct vg_parse_error pe = {0};
		int r = vg_cond_parse(m->cond.text ? m->cond.text : "", m->cond.len, &x->tmp,
				      &ms->ast, &pe);

		ms->parsed = 1;
		if (r < 0) {
			struct cctx save = *x;

			ms->parsed = -1;
			x->err.set = false;
			cerror(x, &mw, pe.pos, r == -E2BIG ? "TOO_COMPLEX" : "PARSE_ERROR", "%s",
			       pe.msg[0] ? pe.msg : "invalid condition");
			ms->perr = x->err;
			if (save.err.set)
				x->err = save.err;
		}
	}
	if (ms->parsed < 0) {
		if (!x->err.set)
			x->err = ms->perr;
		per->state = ST_FAILED;
		per->err = ms->perr;
		return NULL;
	}
	per->state = ST_BUSY;
	x->mstack[x->mdepth++] = m->name;
	node = compile_ast(x, &mw, ms->ast, depth + 1);
	x->mdepth--;
	if (!node) {
		per->state = ST_FAILED;
		per->err = x->err;
		return NULL;
	}
	per->state = ST_DONE;
	per->node = node;
	/* A macro is shared by many rules (open_read, spawned_process, container...): its
	 * result is computed once per event. A lone check is cheaper to redo than to memo. */
	if (!node->memo && node->kind != VG_CN_CHECK && node->kind != VG_CN_TRUE &&
	    node->kind != VG_CN_FALSE)
		node->memo = (uint32_t)++x->rs->n_memo;
	return node;
}

static uint32_t size_add(uint32_t a, uint32_t b)
{
	uint64_t s = (uint64_t)a + b;

	return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

static bool size_check(struct cctx *x, const struct where *w, const struct vg_cnode *n,
		       uint32_t off)
{
	if (n->size <= VG_RULE_NODES_MAX)
		return true;
	cerror(x, w, off, "TOO_COMPLEX",
	       "condition too large once macros are expanded (more than %d nodes)",
	       VG_RULE_NODES_MAX);
	return false;
}

static struct vg_cnode *compile_ast(struct cctx *x, const struct where *w,
				    const struct vg_ast_node *a, unsigned depth)
{
	struct vg_cnode *n;

	if (!a) {
		cerror(x, w, 0, "PARSE_ERROR", "empty condition");
		return NULL;
	}
	if (depth > VG_EXPAND_DEPTH_MAX * (VG_COND_DEPTH_MAX + 2)) {
		cerror(x, w, a->pos, "TOO_COMPLEX", "condition nested too deeply");
		return NULL;
	}
	switch (a->kind) {
	case VG_AST_AND:
	case VG_AST_OR:
	case VG_AST_NOT:
		if (!a->n_children || (a->kind == VG_AST_NOT && a->n_children != 1)) {
			cerror(x, w, a->pos, "PARSE_ERROR", "malformed condition");
			return NULL;
		}
		n = new_node(x,
			     a->kind == VG_AST_AND  ? VG_CN_AND
			     : a->kind == VG_AST_OR ? VG_CN_OR
						    : VG_CN_NOT,
			     a->pos);
		if (!n)
			return oom(x, w, a->pos), NULL;
		n->kids = aalloc(x, a->n_children * sizeof(*n->kids));
		if (!n->kids)
			return oom(x, w, a->pos), NULL;
		n->n = a->n_children;
		for (unsigned i = 0; i < a->n_children; i++) {
			n->kids[i] = compile_ast(x, w, a->children[i], depth + 1);
			if (!n->kids[i])
				return NULL;
			n->size = size_add(n->size, n->kids[i]->size);
		}
		return size_check(x, w, n, a->pos) ? n : NULL;
	case VG_AST_IDENT:
		return expand_macro(x, w, a->ident, a->pos, depth);
	case VG_AST_CHECK: {
		struct cspec cs = {
			.lf = &a->field,
			.op = a->op,
			.mod = a->mod,
			.rk = a->rhs_kind,
			.value = &a->value,
			.items = a->items,
			.n_items = a->n_items,
			.rf = &a->rhs_field,
			.pos = a->pos,
		};

		return compile_check(x, w, &cs);
	}
	}
	cerror(x, w, a->pos, "PARSE_ERROR", "malformed condition");
	return NULL;
}

/* ---- exceptions ---- */

static bool exc_field(struct cctx *x, const struct where *w, const char *text,
		      struct vg_ast_field *f, char *argbuf, size_t argsize)
{
	size_t n = strlen(text);

	memset(f, 0, sizeof(*f));
	if (!n || vg_output_field_scan(text, n, f, argbuf, argsize) != n || !f->name) {
		cerror(x, w, 0, "BAD_EXCEPTION", "invalid exception field '%s'", text);
		return false;
	}
	return true;
}

static struct vg_cnode *wrap(struct cctx *x, const struct where *w, enum vg_cnode_kind k,
			     struct vg_cnode **kids, size_t n)
{
	struct vg_cnode *node = new_node(x, k, 0);

	if (!node || !(node->kids = aalloc(x, (n ? n : 1) * sizeof(*kids))))
		return oom(x, w, 0), NULL;
	memcpy(node->kids, kids, n * sizeof(*kids));
	node->n = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		node->size = size_add(node->size, kids[i]->size);
	return size_check(x, w, node, 0) ? node : NULL;
}

/* One cell of a row: a check of field f with comp against item v. */
static struct vg_cnode *exc_cell(struct cctx *x, const struct where *w, const char *field,
				 const char *comp, const struct vg_list_item *v, size_t nv)
{
	struct vg_ast_field f;
	char argbuf[VG_FIELD_ARG_MAX];
	struct cspec cs = {0};
	struct vg_ast_item *items;
	size_t n = 0;

	if (!exc_field(x, w, field, &f, argbuf, sizeof(argbuf)))
		return NULL;
	if (parse_comp(comp ? comp : "=", &cs.op, &cs.mod) < 0) {
		cerror(x, w, 0, "BAD_EXCEPTION", "invalid exception comparison '%s'", comp);
		return NULL;
	}
	cs.lf = &f;
	for (size_t i = 0; i < nv; i++)
		n += v[i].sub ? v[i].n_sub : 1;
	items = vg_arena_calloc(&x->tmp, n ? n : 1, sizeof(*items));
	if (!items)
		return oom(x, w, 0), NULL;
	n = 0;
	for (size_t i = 0; i < nv; i++) {
		if (v[i].sub) {
			for (size_t k = 0; k < v[i].n_sub; k++)
				items[n++] = (struct vg_ast_item){.text = v[i].sub[k].text ?: "",
								  .quoted = v[i].sub[k].quoted};
		} else {
			items[n++] = (struct vg_ast_item){.text = v[i].text ?: "",
							  .quoted = v[i].quoted};
		}
	}
	if (is_list_op(cs.op) || cs.mod) {
		cs.rk = VG_RHS_LIST;
		cs.items = items;
		cs.n_items = (unsigned)n;
	} else if (n == 1) {
		cs.rk = VG_RHS_VALUE;
		cs.value = &items[0];
	} else {
		cerror(x, w, 0, "BAD_EXCEPTION",
		       "exception comparison '%s' on '%s' takes one value per row", comp, field);
		return NULL;
	}
	return compile_check(x, w, &cs);
}

static struct vg_cnode *compile_exception(struct cctx *x, const struct vg_rule_def *r,
					  const struct vg_rule_exception *e)
{
	struct where w = {.pos = e->pos};
	struct vg_cnode **rows = NULL, *res = NULL;
	size_t nr = 0;

	snprintf(w.item, sizeof(w.item), "rule '%s' exception '%s'", r->name,
		 e->name ? e->name : "");
	if (!e->n_fields || !e->fields) {
		cerror(x, &w, 0, "BAD_EXCEPTION", "exception has no fields");
		return NULL;
	}
	if (!e->n_values)
		return NULL; /* nothing to except: no node, not an error */
	rows = calloc(e->n_values, sizeof(*rows));
	if (!rows)
		return oom(x, &w, 0), NULL;
	if (e->single_field) {
		const char *comp = e->n_comps ? e->comps[0] : "in";
		enum vg_cmp_op op;
		enum vg_op_modifier mod;

		if (parse_comp(comp ? comp : "in", &op, &mod) < 0) {
			cerror(x, &w, 0, "BAD_EXCEPTION", "invalid exception comparison '%s'",
			       comp);
			goto out;
		}
		if (is_list_op(op) || mod) {
			/* all values as one list */
			struct vg_list_item *all =
				vg_arena_calloc(&x->tmp, e->n_values, sizeof(*all));

			if (!all) {
				oom(x, &w, 0);
				goto out;
			}
			for (size_t i = 0; i < e->n_values; i++)
				all[i] = e->values[i][0];
			rows[nr] = exc_cell(x, &w, e->fields[0], comp, all, e->n_values);
			if (!rows[nr++])
				goto out;
		} else {
			for (size_t i = 0; i < e->n_values; i++) {
				rows[nr] = exc_cell(x, &w, e->fields[0], comp, e->values[i], 1);
				if (!rows[nr++])
					goto out;
			}
		}
	} else {
		struct vg_cnode **cells = calloc(e->n_fields, sizeof(*cells));

		if (!cells) {
			oom(x, &w, 0);
			goto out;
		}
		for (size_t i = 0; i < e->n_values; i++) {
			for (size_t f = 0; f < e->n_fields; f++) {
				const char *comp = f < e->n_comps ? e->comps[f] : "=";

				cells[f] = exc_cell(x, &w, e->fields[f], comp, &e->values[i][f], 1);
				if (!cells[f]) {
					free(cells);
					goto out;
				}
			}
			rows[nr] = e->n_fields == 1 ? cells[0]
						    : wrap(x, &w, VG_CN_AND, cells, e->n_fields);
			if (!rows[nr++]) {
				free(cells);
				goto out;
			}
		}
		free(cells);
	}
	res = nr == 1 ? rows[0] : wrap(x, &w, VG_CN_OR, rows, nr);
	if (res)
		res = wrap(x, &w, VG_CN_NOT, &res, 1);
out:
	free(rows);
	return res;
}

/* ---- event types ---- */

static void bits_all(uint64_t *b, size_t nwords, size_t nbits)
{
	memset(b, 0, nwords * sizeof(*b));
	for (size_t i = 0; i < nbits; i++)
		b[i / 64] |= 1ULL << (i % 64);
}

static void bits_not(uint64_t *b, size_t nwords, size_t nbits)
{
	for (size_t i = 0; i < nwords; i++)
		b[i] = ~b[i];
	if (nbits % 64)
		b[nwords - 1] &= (1ULL << (nbits % 64)) - 1;
}

/*
 * Falco's evttype resolution: evt.type = X -> {X}, in (...) -> the set, != X -> all but X;
 * and = intersection, or = union, not = complement, pushed down with De Morgan so that only
 * evt.type checks are complemented (any other check can match every type, negated or not).
 */
static int resolve_ets(struct cctx *x, const struct vg_cnode *n, bool neg, uint64_t *out)
{
	size_t nw = x->nwords, nb = x->src->n_evttypes;
	uint64_t *tmp;
	bool inter;

	switch (n->kind) {
	case VG_CN_NOT:
		return resolve_ets(x, n->kids[0], !neg, out);
	case VG_CN_AND:
	case VG_CN_OR:
		inter = (n->kind == VG_CN_AND) != neg;
		tmp = malloc(nw * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		for (uint32_t i = 0; i < n->n; i++) {
			int r = resolve_ets(x, n->kids[i], neg, i ? tmp : out);

			if (r < 0) {
				free(tmp);
				return r;
			}
			if (i)
				for (size_t k = 0; k < nw; k++)
					out[k] = inter ? out[k] & tmp[k] : out[k] | tmp[k];
		}
		free(tmp);
		return 0;
	case VG_CN_CHECK:
		if (n->ets) {
			bool complement = (n->op == VG_OP_NE) != neg;

			memcpy(out, n->ets, nw * sizeof(*out));
			if (complement)
				bits_not(out, nw, nb);
			return 0;
		}
		bits_all(out, nw, nb);
		return 0;
	default:
		bits_all(out, nw, nb);
		return 0;
	}
}

/* ---- outputs ---- */

static bool compile_output(struct cctx *x, const struct vg_rule_def *r, struct vg_crule *cr)
{
	const char *o = r->output ? r->output : "";
	size_t len = strlen(o), i = 0, lit = 0;
	struct vg_vec pieces = VG_VEC_INIT(struct vg_opiece, 4096);
	struct vg_vec ofs = VG_VEC_INIT(uint32_t, 4096);
	struct where w = {.cs = r->output_src.text ? &r->output_src : NULL, .pos = r->output_pos};
	bool ok = false;

	snprintf(w.item, sizeof(w.item), "rule '%s'", r->name);
	while (i <= len) {
		struct vg_ast_field f;
		char argbuf[VG_FIELD_ARG_MAX];
		size_t k = 0;
		int s;

		if (i < len && o[i] != '%') {
			i++;
			continue;
		}
		if (i < len) {
			memset(&f, 0, sizeof(f));
			k = vg_output_field_scan(o + i + 1, len - i - 1, &f, argbuf,
						 sizeof(argbuf));
		}
		if (i < len && !k) {
			i++;
			continue;
		}
		if (i > lit) {
			struct vg_opiece p = {
				.lit = adup(x, o + lit, i - lit), .len = i - lit, .slot = -1};

			if (!p.lit || vg_vec_push(&pieces, &p) < 0) {
				oom(x, &w, (uint32_t)i);
				goto out;
			}
		}
		if (i == len)
			break;
		f.pos = (uint32_t)i;
		s = resolve_slot(x, &w, &f, (uint32_t)i, false);
		if (s < 0)
			goto out;
		{
			struct vg_opiece p = {.slot = s};
			uint32_t us = (uint32_t)s;
			bool dup = false;

			if (vg_vec_push(&pieces, &p) < 0) {
				oom(x, &w, (uint32_t)i);
				goto out;
			}
			vg_vec_for_each(uint32_t, q, &ofs)
				dup |= *q == us;
			if (!dup && vg_vec_push(&ofs, &us) < 0) {
				oom(x, &w, (uint32_t)i);
				goto out;
			}
		}
		i += 1 + k;
		lit = i;
	}
	/* the always-present fields this source has, unless already there */
	for (size_t a = 0; a < vg_output_always_n; a++) {
		size_t argoff = 0;
		const struct vg_field *f = vg_source_field(x->src, vg_output_always[a], &argoff);
		struct vg_ast_field af = {.name = vg_output_always[a]};
		bool dup = false;
		uint32_t us;
		int s;

		if (!f || argoff || (f->flags & VG_FF_ARG_REQUIRED))
			continue;
		s = resolve_slot(x, &w, &af, 0, false);
		if (s < 0)
			goto out;
		us = (uint32_t)s;
		vg_vec_for_each(uint32_t, q, &ofs)
			dup |= *q == us;
		if (!dup && vg_vec_push(&ofs, &us) < 0) {
			oom(x, &w, 0);
			goto out;
		}
	}
	cr->n_out = pieces.len;
	cr->out = pieces.len ? vg_arena_memdup(&x->rs->arena, pieces.data,
					       pieces.len * sizeof(struct vg_opiece))
			     : NULL;
	cr->n_ofields = ofs.len;
	cr->ofields = ofs.len ? vg_arena_memdup(&x->rs->arena, ofs.data, ofs.len * sizeof(uint32_t))
			      : NULL;
	if ((pieces.len && !cr->out) || (ofs.len && !cr->ofields)) {
		oom(x, &w, 0);
		goto out;
	}
	ok = true;
out:
	vg_vec_done(&pieces);
	vg_vec_done(&ofs);
	return ok;
}

/* ---- rules ---- */

static const char **dup_strv(struct cctx *x, const char **v, size_t n)
{
	const char **r = n ? aalloc(x, n * sizeof(*r)) : NULL;

	if (n && !r)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(r[i] = vg_arena_strdup(&x->rs->arena, v[i] ? v[i] : "")))
			return NULL;
	return r;
}

/* 1: compiled into *ret, 0: skipped, <0: error (in x->err). */
static int compile_rule(struct cctx *x, const struct vg_rule_def *r, struct vg_crule **ret)
{
	struct where w = {.cs = &r->cond, .pos = r->pos};
	struct vg_ast_node *ast = NULL;
	struct vg_parse_error pe = {0};
	struct vg_crule *cr;
	struct vg_cnode *root;
	int k;

	snprintf(w.item, sizeof(w.item), "rule '%s'", r->name);
	x->err.set = false;
	x->mdepth = 0;
	x->nwords = x->src->n_evttypes > 1 ? (x->src->n_evttypes + 63) / 64 : 1;
	k = vg_cond_parse(r->cond.text ? r->cond.text : "", r->cond.len, &x->tmp, &ast, &pe);
	if (k < 0) {
		cerror(x, &w, pe.pos, k == -E2BIG ? "TOO_COMPLEX" : "PARSE_ERROR", "%s",
		       pe.msg[0] ? pe.msg : "invalid condition");
		return -EBADMSG;
	}
	root = compile_ast(x, &w, ast, 0);
	if (!root)
		return -EBADMSG;
	for (size_t i = 0; i < r->n_exceptions; i++) {
		struct vg_cnode *e = compile_exception(x, r, &r->exceptions[i]), *pair[2];

		if (x->err.set)
			return -EBADMSG;
		if (!e)
			continue;
		pair[0] = root;
		pair[1] = e;
		root = wrap(x, &w, VG_CN_AND, pair, 2);
		if (!root)
			return -EBADMSG;
	}
	cr = aalloc(x, sizeof(*cr));
	if (!cr)
		return oom(x, &w, 0), -EBADMSG;
	cr->root = root;
	cr->src = x->src;
	cr->pub.name = vg_arena_strdup(&x->rs->arena, r->name ? r->name : "");
	cr->pub.desc = vg_arena_strdup(&x->rs->arena, r->desc ? r->desc : "");
	cr->pub.source = x->src->name;
	cr->pub.priority = r->priority;
	cr->pub.tags = dup_strv(x, r->tags, r->n_tags);
	cr->pub.n_tags = r->n_tags;
	if (!cr->pub.name || !cr->pub.desc || (r->n_tags && !cr->pub.tags))
		return oom(x, &w, 0), -EBADMSG;
	if (!compile_output(x, r, cr))
		return -EBADMSG;
	cr->evttypes = vg_arena_calloc(&x->rs->arena, x->nwords, sizeof(uint64_t));
	if (!cr->evttypes)
		return oom(x, &w, 0), -EBADMSG;
	if (x->src->n_evttypes > 1) {
		uint64_t all = 0;
		bool is_all = true;

		if (resolve_ets(x, root, false, cr->evttypes) < 0)
			return oom(x, &w, 0), -EBADMSG;
		for (size_t i = 0; i < x->nwords; i++) {
			all = i + 1 < x->nwords || !(x->src->n_evttypes % 64)
				      ? ~0ULL
				      : (1ULL << (x->src->n_evttypes % 64)) - 1;
			/* type 0 ("unknown") does not count against a restriction */
			if (i == 0)
				all &= ~1ULL;
			if ((cr->evttypes[i] & all) != all)
				is_all = false;
		}
		cr->pub.all_evttypes = is_all;
		if (is_all && r->warn_evttypes)
			vg_diag_add(
				x->d, VG_DIAG_WARNING, &r->pos, w.item, "NO_EVTTYPE",
				"rule matches too many evt.type values: it is evaluated for every event, a significant performance penalty");
	} else {
		cr->evttypes[0] = 1;
		cr->pub.all_evttypes = true;
	}
	*ret = cr;
	return 1;
}

static struct vg_srcindex *src_index(struct vg_ruleset *rs, const struct vg_source *src)
{
	for (size_t i = 0; i < rs->n_idx; i++)
		if (rs->idx[i].src == src)
			return &rs->idx[i];
	return NULL;
}

static int build_index(struct cctx *x)
{
	struct vg_ruleset *rs = x->rs;

	rs->idx = rs->n_rules ? aalloc(x, rs->n_rules * sizeof(*rs->idx)) : NULL;
	if (rs->n_rules && !rs->idx)
		return -ENOMEM;
	for (size_t i = 0; i < rs->n_rules; i++) {
		const struct vg_source *src = rs->rules[i]->src;
		struct vg_srcindex *si = src_index(rs, src);

		if (si)
			continue;
		si = &rs->idx[rs->n_idx++];
		si->src = src;
		si->n_types = src->n_evttypes > 1 ? src->n_evttypes : 1;
		si->buckets = vg_arena_calloc(&rs->arena, si->n_types, sizeof(*si->buckets));
		if (!si->buckets)
			return -ENOMEM;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < rs->n_idx; i++)
			for (size_t t = 0; t < rs->idx[i].n_types; t++) {
				struct vg_bucket *b = &rs->idx[i].buckets[t];

				if (pass == 1 && b->n) {
					b->rules = aalloc(x, b->n * sizeof(*b->rules));
					b->lead = aalloc(x, b->n * sizeof(*b->lead));
					b->roots = aalloc(x, b->n * sizeof(*b->roots));
					if (!b->rules || !b->lead || !b->roots)
						return -ENOMEM;
				}
				b->n = 0;
			}
		for (size_t i = 0; i < rs->n_rules; i++) {
			struct vg_crule *cr = rs->rules[i];
			struct vg_srcindex *si = src_index(rs, cr->src);

			for (size_t t = 0; t < si->n_types; t++) {
				struct vg_bucket *b = &si->buckets[t];

				if (si->n_types > 1 && !(cr->evttypes[t / 64] & (1ULL << (t % 64))))
					continue;
				if (pass == 1) {
					struct vg_cnode *root = cr->root;

					b->rules[b->n] = (uint32_t)i;
					b->roots[b->n] = root;
					b->lead[b->n] = root && root->kind == VG_CN_AND && root->n
								? root->kids[0]->memo
								: 0;
				}
				b->n++;
			}
		}
	}
	return 0;
}

int vg_rules_compile(const struct vg_rules_collection *c, const struct vg_compile_options *o,
		     struct vg_ruleset **ret, struct vg_diags *d)
{
	struct vg_compile_options defo = {.matching = VG_MATCH_FIRST,
					  .min_priority = VG_PRIO_DEBUG};
	struct vg_ruleset *rs;
	struct cctx x = {0};
	struct vg_vec rules = VG_VEC_INIT(struct vg_crule *, VG_RULE_ITEMS_MAX);
	size_t errors = 0;
	int r = 0;

	if (!c || !ret || !d)
		return -EINVAL;
	if (!o)
		o = &defo;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -ENOMEM;
	vg_arena_init(&rs->arena, VG_RULESET_BYTES_MAX);
	vg_vec_init(&rs->regexes, sizeof(struct vg_regex *), 0);
	rs->matching = o->matching;
	if (getrandom(&rs->seed, sizeof(rs->seed), GRND_NONBLOCK) != sizeof(rs->seed))
		rs->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)rs;
	x.rs = rs;
	x.c = c;
	x.d = d;
	vg_arena_init(&x.tmp, VG_RULESET_BYTES_MAX);
	vg_hashmap_init(&x.mstates, VG_HASHMAP_U64, 0, NULL);
	vg_hashmap_init(&x.lstates, VG_HASHMAP_U64, 0, NULL);
	vg_hashmap_init(&x.slotmap, VG_HASHMAP_STRING_COPY, 0, NULL);
	vg_vec_init(&x.slots, sizeof(struct vg_slot *), 0);

	for (size_t i = 0; i < c->rules.len; i++) {
		const struct vg_rule_def *rd = *(struct vg_rule_def **)vg_vec_at(&c->rules, i);
		const char *sname = rd->source ? rd->source : "syscall";
		struct vg_crule *cr = NULL;
		int k;

		if (rd->priority > o->min_priority)
			continue;
		if (o->only_source && strcmp(o->only_source, sname) != 0)
			continue;
		x.src = vg_source_find(sname);
		if (!x.src) {
			vg_diag_add(d, VG_DIAG_WARNING, &rd->pos, NULL, "UNKNOWN_SOURCE",
				    "rule '%s' skipped: unknown source '%s'", rd->name, sname);
			continue;
		}
		/* disabled rules are compiled too (errors, macro/list use), as Falco does */
		k = compile_rule(&x, rd, &cr);
		if (k < 0) {
			if (x.err.unknown_field && rd->skip_if_unknown_filter) {
				vg_diag_add(d, VG_DIAG_WARNING, &x.err.pos, x.err.item,
					    "SKIP_UNKNOWN_FILTER", "rule '%s' skipped: %s",
					    rd->name, x.err.msg);
				continue;
			}
			emit_err(&x, &x.err);
			errors++;
			continue;
		}
		if (!rd->enabled)
			continue;
		cr->pub.index = (unsigned)rules.len;
		r = vg_vec_push(&rules, &cr);
		if (r < 0)
			goto fail;
	}
	for (size_t i = 0; i < c->macros.len; i++) {
		const struct vg_rule_macro *m = *(struct vg_rule_macro **)vg_vec_at(&c->macros, i);

		if (!m->used)
			vg_diag_add(d, VG_DIAG_WARNING, &m->pos, NULL, "LOAD_UNUSED_MACRO",
				    "macro '%s' not referred to by any rule or macro", m->name);
	}
	for (size_t i = 0; i < c->lists.len; i++) {
		const struct vg_rule_list *l = *(struct vg_rule_list **)vg_vec_at(&c->lists, i);

		if (!l->used)
			vg_diag_add(d, VG_DIAG_WARNING, &l->pos, NULL, "LOAD_UNUSED_LIST",
				    "list '%s' not referred to by any rule, macro or list",
				    l->name);
	}
	if (errors) {
		r = -EBADMSG;
		goto fail;
	}
	rs->n_rules = rules.len;
	rs->rules = rules.len ? vg_arena_memdup(&rs->arena, rules.data, rules.len * sizeof(void *))
			      : NULL;
	rs->n_slots = x.slots.len;
	rs->slots = x.slots.len ? vg_arena_memdup(&rs->arena, x.slots.data,
						  x.slots.len * sizeof(void *))
				: NULL;
	if ((rules.len && !rs->rules) || (x.slots.len && !rs->slots)) {
		r = vg_arena_error(&rs->arena) ?: -ENOMEM;
		goto fail;
	}
	r = build_index(&x);
	if (r >= 0 && !o->no_optimize)
		r = vg_rules_optimize(rs);
	if (r < 0)
		goto fail;
	*ret = rs;
	rs = NULL;
	r = 0;
fail:
	vg_vec_done(&rules);
	vg_vec_done(&x.slots);
	vg_hashmap_done(&x.mstates);
	vg_hashmap_done(&x.lstates);
	vg_hashmap_done(&x.slotmap);
	vg_arena_done(&x.tmp);
	vg_ruleset_free(rs);
	return r;
}

struct vg_ruleset *vg_ruleset_free(struct vg_ruleset *rs)
{
	if (!rs)
		return NULL;
	vg_vec_for_each(struct vg_regex *, re, &rs->regexes)
		vg_regex_free(*re);
	vg_vec_done(&rs->regexes);
	vg_arena_done(&rs->arena);
	free(rs);
	return NULL;
}

size_t vg_ruleset_count(const struct vg_ruleset *rs)
{
	return rs ? rs->n_rules : 0;
}

const struct vg_rule *vg_ruleset_rule(const struct vg_ruleset *rs, size_t i)
{
	return rs && i < rs->n_rules ? &rs->rules[i]->pub : NULL;
}

void vg_ruleset_syscalls(const struct vg_ruleset *rs, const struct vg_source *src, uint64_t *bits,
			 size_t n)
{
	memset(bits, 0, n * sizeof(*bits));
	if (!rs || !src || !src->evttype_syscall)
		return;
	for (size_t i = 0; i < rs->n_rules; i++) {
		const struct vg_crule *cr = rs->rules[i];

		if (cr->src != src || src->n_evttypes <= 1)
			continue;
		for (size_t t = 1; t < src->n_evttypes; t++) {
			unsigned sc;

			if (!(cr->evttypes[t / 64] & (1ULL << (t % 64))))
				continue;
			sc = src->evttype_syscall((unsigned)t);
			if (sc && sc / 64 < n)
				bits[sc / 64] |= 1ULL << (sc % 64);
		}
	}
}

void vg_rule_evttypes(const struct vg_rule *rule, uint64_t *bits, size_t n)
{
	const struct vg_crule *cr;
	size_t nw;

	memset(bits, 0, n * sizeof(*bits));
	if (!rule)
		return;
	cr = vg_container_of(rule, const struct vg_crule, pub);
	nw = cr->src->n_evttypes > 1 ? (cr->src->n_evttypes + 63) / 64 : 1;
	memcpy(bits, cr->evttypes, VG_MIN(n, nw) * sizeof(*bits));
}
