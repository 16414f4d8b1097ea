/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rewrites of the compiled rule set that make evaluation cheaper without changing any result.
 *
 * Specialisation by event type. Every event evaluates only the rules of its event type's
 * bucket, and inside those rules Falco's macros still test the type again (open_read is
 * `evt.type in (open,openat,openat2) and ...`). For each bucket, the evt.type checks are
 * decided at compile time and the trees simplified: a macro becomes its remaining conjuncts,
 * a branch for another event type disappears. Only nodes above an evt.type check are copied;
 * the rest of the DAG is shared by all buckets. A copied macro keeps its memo index: within
 * one bucket only its copy is reachable, and an event evaluates one bucket.
 *
 * Programs. Each bucket's specialised conditions are then laid out as one array of jump
 * instructions (compiled.h), in evaluation order: walking the trees spent most of its time
 * waiting for scattered nodes, the program is read front to back. The evaluation order, the
 * short-circuits and the memoised macros are exactly the trees'.
 *
 * SPEC: docs/rules.md#compilation-and-evaluation
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/hashmap.h"
#include "basic/vec.h"
#include "rules/compiled.h"

enum {
	CN_SEEN_ET = 1 << 0, /* has_et computed */
	CN_HAS_ET = 1 << 1, /* an evt.type check below (or this node) */
};

/* ---- specialisation ---- */

struct spec {
	struct vg_ruleset *rs;
	unsigned t; /* event type of the bucket */
	struct vg_hashmap done; /* original node -> specialised node, for this bucket */
	struct vg_cnode *yes, *no;
	int error;
};

static bool decidable(const struct vg_cnode *n)
{
	return n->kind == VG_CN_CHECK && n->evttype && n->ets &&
	       (n->op == VG_OP_EQ || n->op == VG_OP_NE || n->op == VG_OP_IN ||
		n->op == VG_OP_INTERSECTS);
}

static bool has_et(struct vg_cnode *n)
{
	bool r = false;

	if (n->oflags & CN_SEEN_ET)
		return n->oflags & CN_HAS_ET;
	if (decidable(n))
		r = true;
	else if (n->kind == VG_CN_AND || n->kind == VG_CN_OR || n->kind == VG_CN_NOT)
		for (uint32_t i = 0; i < n->n; i++)
			r |= has_et(n->kids[i]);
	n->oflags |= CN_SEEN_ET | (r ? CN_HAS_ET : 0);
	return r;
}

static struct vg_cnode *copy_node(struct spec *s, const struct vg_cnode *n, uint32_t nkids)
{
	struct vg_cnode *c = vg_arena_alloc(&s->rs->arena, sizeof(*c));

	if (!c)
		return NULL;
	*c = *n;
	c->oflags = CN_SEEN_ET; /* no evt.type check below a specialised node */
	c->kids = vg_arena_calloc(&s->rs->arena, nkids ? nkids : 1, sizeof(*c->kids));
	c->n = nkids;
	return c->kids ? c : NULL;
}

static struct vg_cnode *specialise(struct spec *s, struct vg_cnode *n)
{
	struct vg_cnode *out, *k, *absorb, *neutral;
	struct vg_cnode *kids[VG_SPEC_KIDS_STACK];
	struct vg_cnode **many = NULL;
	uint32_t nk = 0;

	if (s->error || !has_et(n))
		return n;
	out = vg_hashmap_get_u64(&s->done, (uintptr_t)n);
	if (out)
		return out;
	switch (n->kind) {
	case VG_CN_CHECK: {
		bool member = n->ets[s->t / 64] & (1ULL << (s->t % 64));

		out = (n->op == VG_OP_NE) != member ? s->yes : s->no;
		break;
	}
	case VG_CN_NOT:
		k = specialise(s, n->kids[0]);
		if (k == s->yes || k == s->no) {
			out = k == s->yes ? s->no : s->yes;
			break;
		}
		out = copy_node(s, n, 1);
		if (out)
			out->kids[0] = k;
		break;
	case VG_CN_AND:
	case VG_CN_OR:
		absorb = n->kind == VG_CN_AND ? s->no : s->yes;
		neutral = n->kind == VG_CN_AND ? s->yes : s->no;
		if (n->n > VG_SPEC_KIDS_STACK) {
			many = vg_arena_calloc(&s->rs->arena, n->n, sizeof(*many));
			if (!many) {
				s->error = -ENOMEM;
				return n;
			}
		}
		out = NULL;
		for (uint32_t i = 0; i < n->n && !out; i++) {
			k = specialise(s, n->kids[i]);
			if (k == absorb)
				out = absorb;
			else if (k != neutral)
				(many ? many : kids)[nk++] = k;
		}
		if (out)
			break;
		if (nk == 0) {
			out = neutral;
			break;
		}
		/* A single remaining child that is already memoised or a plain check needs no
		 * node of its own; otherwise keep one so the macro's memo index stays. */
		if (nk == 1 && (!n->memo || (many ? many : kids)[0]->memo ||
				(many ? many : kids)[0]->kind == VG_CN_CHECK)) {
			out = (many ? many : kids)[0];
			break;
		}
		out = copy_node(s, n, nk);
		if (out) {
			memcpy(out->kids, many ? many : kids, nk * sizeof(*kids));
			out->size = 1;
			for (uint32_t i = 0; i < nk; i++) {
				uint64_t sz = (uint64_t)out->size + out->kids[i]->size;

				out->size = sz > UINT32_MAX ? UINT32_MAX : (uint32_t)sz;
			}
		}
		break;
	default:
		return n;
	}
	if (!out) {
		s->error = -ENOMEM;
		return n;
	}
	if (vg_hashmap_put_u64(&s->done, (uintptr_t)n, out) < 0)
		s->error = -ENOMEM;
	return out;
}

static struct vg_cnode *const_node(struct vg_ruleset *rs, enum vg_cnode_kind kind)
{
	struct vg_cnode *c = vg_arena_calloc(&rs->arena, 1, sizeof(*c));

	if (c) {
		c->kind = kind;
		c->size = 1;
		c->oflags = CN_SEEN_ET;
	}
	return c;
}

/* Specialises the roots of every bucket of si (bucket 0 holds events of types the source
 * does not name: nothing is known about them, its roots stay as compiled). */
static int specialise_index(struct vg_ruleset *rs, struct vg_srcindex *si)
{
	struct spec s = {.rs = rs};

	s.yes = const_node(rs, VG_CN_TRUE);
	s.no = const_node(rs, VG_CN_FALSE);
	if (!s.yes || !s.no)
		return -ENOMEM;
	for (size_t t = 0; t < si->n_types; t++) {
		struct vg_bucket *b = &si->buckets[t];
		uint32_t kept = 0;

		if (!b->n)
			continue;
		s.t = (unsigned)t;
		vg_hashmap_init(&s.done, VG_HASHMAP_U64, 0, NULL);
		for (uint32_t i = 0; i < b->n; i++) {
			struct vg_cnode *root = rs->rules[b->rules[i]]->root;

			if (t > 0 && si->n_types > 1 && si->src->evttypes && si->src->evttypes[t])
				root = specialise(&s, root);
			if (s.error)
				break;
			if (root == s.no)
				continue; /* cannot match this event type after all */
			b->rules[kept] = b->rules[i];
			b->roots[kept] = root;
			b->lead[kept] = root->kind == VG_CN_AND && root->n ? root->kids[0]->memo : 0;
			kept++;
		}
		vg_hashmap_done(&s.done);
		if (s.error)
			return s.error;
		b->n = kept;
	}
	return 0;
}

/* ---- programs ---- */

struct prog {
	struct vg_vec insns; /* struct vg_insn; t and f hold label numbers until resolved */
	struct vg_vec labels; /* uint32_t: label -> pc */
	int error;
};

static uint32_t new_label(struct prog *p)
{
	uint32_t unbound = UINT32_MAX;
	int r;

	if (!p->error && (r = vg_vec_push(&p->labels, &unbound)) < 0)
		p->error = r;
	return (uint32_t)p->labels.len - 1;
}

static void bind(struct prog *p, uint32_t label)
{
	if (!p->error)
		*(uint32_t *)vg_vec_at(&p->labels, label) = (uint32_t)p->insns.len;
}

static void put(struct prog *p, enum vg_insn_op op, uint32_t arg, uint8_t val, uint32_t t,
		uint32_t f, const struct vg_cnode *node)
{
	struct vg_insn in = {.op = op, .val = val, .arg = arg, .t = t, .f = f, .node = node};
	int r;

	if (!p->error && (r = vg_vec_push(&p->insns, &in)) < 0)
		p->error = r;
}

static bool is_str(uint8_t t)
{
	return t == VG_FT_STR || t == VG_FT_BYTES;
}

static bool is_num(uint8_t t)
{
	return t == VG_FT_INT || t == VG_FT_UINT;
}

/* The direct path for check n (compiled.h), exactly what the general one decides for a single
 * value. */
static enum vg_check_fast check_fast(const struct vg_cnode *n)
{
	bool eq = n->op == VG_OP_EQ || n->op == VG_OP_IN || n->op == VG_OP_INTERSECTS;

	if (n->rhs == VG_CRHS_NONE)
		return VG_CF_EXISTS;
	if (n->rhs == VG_CRHS_STRSET)
		return VG_CF_STRSET;
	if (n->rhs == VG_CRHS_ITEMS) {
		if (!eq || n->mod == VG_MOD_ALLOF || !n->n)
			return VG_CF_NONE;
		for (uint32_t i = 0; i < n->n; i++)
			if (!is_str(n->items[i].type))
				return VG_CF_NONE;
		return VG_CF_STR_ANY_EQ;
	}
	if (n->rhs != VG_CRHS_ONE || n->cidr)
		return VG_CF_NONE;
	if (is_str(n->type) && is_str(n->v.type)) {
		if (eq)
			return VG_CF_STR_EQ;
		switch (n->op) {
		case VG_OP_NE:
			return VG_CF_STR_NE;
		case VG_OP_STARTSWITH:
		case VG_OP_BSTARTSWITH:
			return VG_CF_STARTSWITH;
		case VG_OP_ENDSWITH:
			return VG_CF_ENDSWITH;
		case VG_OP_CONTAINS:
		case VG_OP_BCONTAINS:
			return VG_CF_CONTAINS;
		default:
			return VG_CF_NONE;
		}
	}
	if (is_num(n->type) && is_num(n->v.type)) {
		bool sgn = n->type == VG_FT_INT;

		if (eq)
			return VG_CF_U_EQ;
		switch (n->op) {
		case VG_OP_NE:
			return VG_CF_U_NE;
		case VG_OP_LT:
			return sgn ? VG_CF_I_LT : VG_CF_U_LT;
		case VG_OP_LE:
			return sgn ? VG_CF_I_LE : VG_CF_U_LE;
		case VG_OP_GT:
			return sgn ? VG_CF_I_GT : VG_CF_U_GT;
		case VG_OP_GE:
			return sgn ? VG_CF_I_GE : VG_CF_U_GE;
		default:
			return VG_CF_NONE;
		}
	}
	if (n->type == VG_FT_BOOL && n->v.type == VG_FT_BOOL)
		return eq ? VG_CF_BOOL_EQ : n->op == VG_OP_NE ? VG_CF_BOOL_NE : VG_CF_NONE;
	return VG_CF_NONE;
}

/* Code that evaluates n and continues at label t when it is true, f when false. */
static void emit(struct prog *p, const struct vg_cnode *n, uint32_t t, uint32_t f, bool memo)
{
	if (p->error)
		return;
	if (memo && n->memo) {
		uint32_t lt = new_label(p), lf = new_label(p), body = new_label(p);

		put(p, VG_INS_MEMO, n->memo, 0, t, f, NULL);
		if (!p->error)
			((struct vg_insn *)vg_vec_at(&p->insns, p->insns.len - 1))->next = body;
		bind(p, body);
		emit(p, n, lt, lf, false);
		bind(p, lt);
		put(p, VG_INS_SET, n->memo, 1, t, 0, NULL);
		bind(p, lf);
		put(p, VG_INS_SET, n->memo, 0, f, 0, NULL);
		return;
	}
	switch (n->kind) {
	case VG_CN_CHECK:
		put(p, VG_INS_CHECK, n->slot, 0, t, f, n);
		if (!p->error)
			((struct vg_insn *)vg_vec_at(&p->insns, p->insns.len - 1))->fast =
				(uint8_t)check_fast(n);
		return;
	case VG_CN_NOT:
		emit(p, n->kids[0], f, t, true);
		return;
	case VG_CN_AND:
	case VG_CN_OR:
		for (uint32_t i = 0; i < n->n; i++) {
			uint32_t next;

			if (i + 1 == n->n) {
				emit(p, n->kids[i], t, f, true);
				break;
			}
			next = new_label(p);
			if (n->kind == VG_CN_AND)
				emit(p, n->kids[i], next, f, true);
			else
				emit(p, n->kids[i], t, next, true);
			bind(p, next);
		}
		return;
	case VG_CN_TRUE:
		put(p, VG_INS_JUMP, 0, 0, t, 0, NULL);
		return;
	default:
		put(p, VG_INS_JUMP, 0, 0, f, 0, NULL);
		return;
	}
}

/* Where control really goes from pc when memo m is known to be val: through any MEMO of the
 * same macro (consecutive rules often open with the same one: open_read, spawned_process) and
 * plain jumps, so a macro known false skips every such rule in one step. */
static uint32_t follow(const struct vg_insn *prog, uint32_t n, uint32_t pc, uint32_t m, int val)
{
	for (uint32_t steps = 0; pc < n && steps < n; steps++) {
		const struct vg_insn *in = &prog[pc];

		if (in->op == VG_INS_JUMP)
			pc = in->t;
		else if (in->op == VG_INS_MEMO && m && in->arg == m && val >= 0)
			pc = val ? in->t : in->f;
		else
			break;
	}
	return pc;
}

static void thread_jumps(struct vg_insn *prog, uint32_t n)
{
	for (uint32_t pc = n; pc-- > 0;) {
		struct vg_insn *in = &prog[pc];

		switch (in->op) {
		case VG_INS_MEMO:
			in->t = follow(prog, n, in->t, in->arg, 1);
			in->f = follow(prog, n, in->f, in->arg, 0);
			in->next = follow(prog, n, in->next, 0, -1);
			break;
		case VG_INS_SET:
			in->t = follow(prog, n, in->t, in->arg, in->val);
			break;
		case VG_INS_CHECK:
			in->f = follow(prog, n, in->f, 0, -1);
			__attribute__((fallthrough));
		case VG_INS_JUMP:
		case VG_INS_MATCH:
			in->t = follow(prog, n, in->t, 0, -1);
			break;
		default:
			break;
		}
	}
}

/* ---- what the program knows ---- */

/*
 * Every jump of a program goes forward and an event starts knowing nothing, so what a path
 * through the program knows about a memoised macro, or about a check, is: not evaluated yet,
 * known true or known false. A check is a fact too: within an event its slot's values are
 * cached, so two checks alike (same slot, operator and right-hand side, in different rules or
 * macros) decide the same, and the second needs no evaluation on a path where the first was
 * made; that costs nothing at run time, the path itself holds the knowledge.
 *
 * The program is rewritten in program order. Each instruction is laid out once for every
 * distinct state its incoming paths are in (restricted to the facts still tested from there
 * on, so paths that differ only in what no later instruction asks about share a copy), and
 * each edge goes straight past the MEMOs and CHECKs its state decides and the SETs that would
 * store what is already stored. So after `open_read` failed on its last check, the paths where
 * its first checks held keep knowing that, and the next rule's copy of those checks is
 * skipped, where a single copy would only know that "open_read is false". Copies are bounded:
 * FLOW_MEMO_COPIES_MAX of an instruction for states that differ in a memo (a memo unknown
 * costs a MEMO wherever the macro is used again), FLOW_COPIES_MAX for states that differ only
 * in checks, FLOW_GROWTH times the program, FLOW_WORK_MAX state words compared for the whole
 * rule set. Past a bound, a path's state is merged into the nearest copy's, where each fact
 * may then be in any of the states it is in on one of the paths. A second pass, backwards,
 * turns into jumps the SETs whose value no remaining MEMO reads; the program is then
 * compacted.
 */
enum {
	MS_UNEVAL = 0, /* the bit planes of a state: not evaluated yet */
	MS_TRUE,
	MS_FALSE,
	MS_PLANES,
};

enum {
	FIELD_T = 0, /* which target of an instruction an edge fills */
	FIELD_F,
	FIELD_NEXT,
};

#define FLOW_WORDS_MAX	     (4u << 20) /* 32 MiB of states at most; larger programs are left */
#define FLOW_COPIES_MAX	     16 /* copies of one instruction for states that differ in checks */
#define FLOW_MEMO_COPIES_MAX 64 /* ... in memos (n_groups is a uint8_t) */
#define FLOW_GROWTH	     8 /* the rewritten program is at most this many times the original */
#define FLOW_WORK_MAX	     (256ull << 20) /* state words compared in all (~0.3 s) */
#define NO_FACT		     UINT32_MAX
#define UNSET		     UINT32_MAX
#define MK_REACHED	     0x80u
#define MS_ALL		     (1u << MS_UNEVAL | 1u << MS_TRUE | 1u << MS_FALSE)

/* An edge of the new program waiting for its target's copy: instruction from, target field. */
struct flow_patch {
	uint32_t from;
	uint8_t field;
	uint32_t next; /* + 1; 0: the last */
};

/* A copy of an instruction waiting to be laid out: the state of the paths into it. */
struct flow_group {
	uint32_t slot;
	uint32_t patches; /* first + 1 */
	uint32_t next; /* the instruction's next copy + 1 */
};

struct flow {
	const struct vg_insn *prog; /* as built, jumps threaded */
	uint32_t n;
	const uint32_t *fact; /* per instruction: MEMO, SET: the memo's; CHECK: its class */
	uint32_t words; /* 64-bit words of one plane */
	uint32_t sw; /* of one state: MS_PLANES planes */
	uint64_t *live; /* per instruction: the facts it or any instruction after it may test */
	uint64_t *memos; /* the facts that are memos (one plane) */
	uint32_t *groups_at; /* per instruction: its first copy waiting + 1 */
	uint8_t *n_groups; /* per instruction: copies waiting */
	struct vg_vec groups; /* struct flow_group */
	struct vg_vec patches; /* struct flow_patch */
	uint64_t *slots; /* the states of the copies waiting */
	uint32_t n_slots, used_slots, high_slot;
	uint32_t *free_slots;
	uint32_t n_free;
	uint32_t limit; /* instructions of the new program at most */
	uint64_t *work; /* state words the rule set's flow passes may still compare: past that,
			 * no more copies and edges join a target's first copy */
	uint32_t pending; /* copies waiting */
	struct vg_vec out; /* struct vg_insn: the new program */
	struct vg_vec out_fact; /* uint32_t per instruction */
	struct vg_vec out_mk; /* uint8_t per instruction: reached, a MEMO's or CHECK's outcomes */
	uint64_t *edge; /* scratch: MS_PLANES states (one per outcome of an instruction) */
	int error;
};

static inline uint64_t *flow_slot(const struct flow *fl, uint32_t slot)
{
	return fl->slots + (size_t)slot * fl->sw;
}

/* The states fact j may be in: bit MS_* set when possible. */
static unsigned fact_states(const struct flow *fl, const uint64_t *s, uint32_t j)
{
	unsigned r = 0;

	for (unsigned p = 0; p < MS_PLANES; p++)
		if (s[p * fl->words + j / 64] & (1ULL << (j % 64)))
			r |= 1u << p;
	return r;
}

static void fact_set(const struct flow *fl, uint64_t *s, uint32_t j, unsigned plane)
{
	for (unsigned p = 0; p < MS_PLANES; p++) {
		uint64_t *w = &s[p * fl->words + j / 64];

		*w = p == plane ? *w | (1ULL << (j % 64)) : *w & ~(1ULL << (j % 64));
	}
}

/* Where an edge into pc really leads when the facts are in states s. */
static uint32_t flow_follow(const struct flow *fl, uint32_t pc, const uint64_t *s)
{
	for (uint32_t steps = 0; pc < fl->n && steps < fl->n; steps++) {
		const struct vg_insn *in = &fl->prog[pc];
		unsigned k;

		if (in->op == VG_INS_JUMP) {
			pc = in->t;
			continue;
		}
		if (fl->fact[pc] == NO_FACT)
			break;
		k = fact_states(fl, s, fl->fact[pc]);
		if (in->op == VG_INS_SET) {
			if (k != 1u << (in->val ? MS_TRUE : MS_FALSE))
				break;
			pc = in->t; /* stores what is already stored */
		} else if (in->op == VG_INS_MEMO && k == 1u << MS_UNEVAL) {
			pc = in->next;
		} else if (k == 1u << MS_TRUE) {
			pc = in->t; /* MEMO or CHECK */
		} else if (k == 1u << MS_FALSE) {
			pc = in->f;
		} else {
			break;
		}
	}
	return pc;
}

/* The edges an instruction can take, given the outcomes mk its MEMO or CHECK may have (bits
 * MS_*; all three: every edge it has). */
static unsigned flow_succ(const struct vg_insn *in, uint8_t mk, uint32_t out[3])
{
	unsigned n = 0;

	switch (in->op) {
	case VG_INS_CHECK:
	case VG_INS_MEMO:
		if (mk & (1u << MS_TRUE))
			out[n++] = in->t;
		if (mk & (1u << MS_FALSE))
			out[n++] = in->f;
		if (in->op == VG_INS_MEMO && (mk & (1u << MS_UNEVAL)))
			out[n++] = in->next;
		break;
	case VG_INS_SET:
	case VG_INS_JUMP:
	case VG_INS_MATCH:
		out[n++] = in->t;
		break;
	default:
		break;
	}
	return n;
}

/* Backwards over the program: the facts each instruction and those after it may test. */
static void flow_live(struct flow *fl)
{
	for (uint32_t pc = fl->n; pc-- > 0;) {
		uint64_t *l = fl->live + (size_t)pc * fl->words;
		uint32_t succ[3];
		unsigned ns = flow_succ(&fl->prog[pc], MS_ALL, succ);

		for (unsigned i = 0; i < ns; i++) {
			const uint64_t *sl;

			if (succ[i] <= pc || succ[i] >= fl->n)
				continue; /* never for programs built here; flow_copy refuses them */
			sl = fl->live + (size_t)succ[i] * fl->words;
			for (uint32_t w = 0; w < fl->words; w++)
				l[w] |= sl[w];
		}
		if (fl->fact[pc] != NO_FACT)
			l[fl->fact[pc] / 64] |= 1ULL << (fl->fact[pc] % 64);
	}
}

/* Whether one more copy of instruction to may be made while laying out instruction cur: room
 * must remain for one copy of every instruction still to come. */
static bool flow_may_copy(const struct flow *fl, uint32_t cur, uint32_t to, unsigned max)
{
	uint32_t rest = fl->n - cur;

	return *fl->work != 0 && fl->n_groups[to] < max &&
	       (uint64_t)fl->out.len + fl->pending + 1 + rest <= fl->limit &&
	       (uint64_t)fl->used_slots + 1 + rest <= fl->n_slots;
}

static void flow_charge(struct flow *fl, uint64_t words)
{
	*fl->work = *fl->work > words ? *fl->work - words : 0;
}

static uint32_t flow_slot_new(struct flow *fl)
{
	fl->used_slots++;
	return fl->n_free ? fl->free_slots[--fl->n_free] : fl->high_slot++;
}

static bool same_memos(const struct flow *fl, const uint64_t *a, const uint64_t *b)
{
	for (uint32_t w = 0; w < fl->sw; w++)
		if ((a[w] ^ b[w]) & fl->memos[w % fl->words])
			return false;
	return true;
}

/* The copy of instruction to waiting whose state is nearest e (+ 1), among those with the same
 * memos as e when kin: a memo that differs costs a MEMO instruction wherever it is read, a
 * check only where that check recurs. */
static uint32_t flow_nearest(const struct flow *fl, uint32_t to, const uint64_t *e, bool kin)
{
	uint32_t best = 0, best_d = UINT32_MAX;

	for (uint32_t gi = fl->groups_at[to]; gi;) {
		const struct flow_group *g = vg_vec_at(&fl->groups, gi - 1);
		const uint64_t *s = flow_slot(fl, g->slot);
		uint32_t d = 0;

		gi = g->next;
		if (kin && !same_memos(fl, s, e))
			continue;
		for (uint32_t w = 0; w < fl->sw; w++) {
			uint64_t x = s[w] ^ e[w], mm = fl->memos[w % fl->words];

			d += 64 * (uint32_t)__builtin_popcountll(x & mm) +
			     (uint32_t)__builtin_popcountll(x & ~mm);
		}
		if (d < best_d) {
			best_d = d;
			best = (uint32_t)(g - (const struct flow_group *)fl->groups.data) + 1;
		}
	}
	return best;
}

/* Restricts state e to the facts instruction to or those after it may test. */
static void flow_project(const struct flow *fl, uint32_t to, uint64_t *e)
{
	const uint64_t *live = fl->live + (size_t)to * fl->words;

	for (unsigned p = 0; p < MS_PLANES; p++)
		for (uint32_t w = 0; w < fl->words; w++)
			e[p * fl->words + w] &= live[w];
}

/* Merges state e into copy gi's: that copy then knows only what both knew. */
static void flow_join(struct flow *fl, uint32_t gi, const uint64_t *e)
{
	uint64_t *s = flow_slot(fl, ((struct flow_group *)vg_vec_at(&fl->groups, gi - 1))->slot);

	for (uint32_t w = 0; w < fl->sw; w++)
		s[w] |= e[w];
}

/* Records that the edge (from, field), taken in state e (projected), reaches instruction to
 * (laid out later, after every edge into it is known): in the copy for exactly that state;
 * else in a new copy while there is room, FLOW_COPIES_MAX for states that differ from
 * another's only in checks, FLOW_MEMO_COPIES_MAX for other memos; else merged into the
 * nearest copy. */
static void flow_add_edge(struct flow *fl, uint32_t cur, uint32_t to, const uint64_t *e,
			  uint32_t from, uint8_t field)
{
	struct flow_patch patch = {.from = from, .field = field};
	struct flow_group *g = NULL;
	uint32_t gi, last = 0;
	bool kin = false;
	int r;

	if (fl->error)
		return;
	if (!*fl->work && fl->groups_at[to]) {
		gi = fl->groups_at[to]; /* out of budget: joins the first copy */
		flow_join(fl, gi, e);
		goto patch;
	}
	for (gi = fl->groups_at[to]; gi; gi = g->next) {
		const uint64_t *s;

		flow_charge(fl, fl->sw);
		g = vg_vec_at(&fl->groups, gi - 1);
		s = flow_slot(fl, g->slot);
		if (memcmp(s, e, fl->sw * sizeof(uint64_t)) == 0)
			break;
		kin = kin || same_memos(fl, s, e);
		last = gi;
	}
	if (!gi && (!fl->n_groups[to] ||
		    flow_may_copy(fl, cur, to, kin ? FLOW_COPIES_MAX : FLOW_MEMO_COPIES_MAX))) {
		struct flow_group ng = {.slot = flow_slot_new(fl)};

		if ((r = vg_vec_push(&fl->groups, &ng)) < 0) {
			fl->error = r;
			return;
		}
		gi = (uint32_t)fl->groups.len;
		memcpy(flow_slot(fl, ng.slot), e, fl->sw * sizeof(uint64_t));
		if (last)
			((struct flow_group *)vg_vec_at(&fl->groups, last - 1))->next = gi;
		else
			fl->groups_at[to] = gi;
		fl->n_groups[to]++;
		fl->pending++;
	} else if (!gi) {
		flow_charge(fl, (uint64_t)fl->n_groups[to] * fl->sw);
		gi = flow_nearest(fl, to, e, kin);
		flow_join(fl, gi, e);
	}
patch:
	g = vg_vec_at(&fl->groups, gi - 1);
	patch.next = g->patches;
	if ((r = vg_vec_push(&fl->patches, &patch)) < 0) {
		fl->error = r;
		return;
	}
	g->patches = (uint32_t)fl->patches.len; /* groups did not move: patches grew */
}

/* An edge of a copy of instruction pc, in state s with pc's fact set to plane (MS_PLANES:
 * unchanged), towards target: where it really leads, with its state (projected) in e; UNSET
 * when it would not go forward (never for programs built here: then the program is left as
 * it is). */
static uint32_t flow_target(const struct flow *fl, uint32_t pc, const uint64_t *s, unsigned plane,
			    uint32_t target, uint64_t *e)
{
	uint32_t to;

	memcpy(e, s, fl->sw * sizeof(uint64_t));
	if (plane < MS_PLANES)
		fact_set(fl, e, fl->fact[pc], plane);
	to = flow_follow(fl, target, e);
	if (to >= fl->n || to <= pc)
		return UNSET;
	flow_project(fl, to, e);
	return to;
}

/* Lays out a copy of instruction pc for paths in state s. A MEMO or CHECK whose outcomes all
 * lead to the same place knowing the same (the result matters to nobody) becomes a jump. */
static bool flow_copy(struct flow *fl, uint32_t pc, const uint64_t *s)
{
	static const uint8_t fields[MS_PLANES] = {
		[MS_UNEVAL] = FIELD_NEXT, [MS_TRUE] = FIELD_T, [MS_FALSE] = FIELD_F};
	struct vg_insn in = fl->prog[pc];
	uint32_t at = (uint32_t)fl->out.len, j = fl->fact[pc], to[MS_PLANES];
	unsigned k = 0, first = MS_PLANES; /* k: the outcomes (MEMO, CHECK), first: the first's */
	uint8_t mk = MK_REACHED;
	bool same = true;
	int r;

	switch (in.op) {
	case VG_INS_CHECK:
	case VG_INS_MEMO:
		k = j == NO_FACT ? 1u << MS_UNEVAL : fact_states(fl, s, j);
		if (in.op == VG_INS_CHECK) /* evaluated here: either way */
			k = k == 1u << MS_TRUE || k == 1u << MS_FALSE
				    ? k
				    : 1u << MS_TRUE | 1u << MS_FALSE;
		for (unsigned p = 0; p < MS_PLANES; p++) {
			if (!(k & (1u << p)))
				continue;
			to[p] = flow_target(fl, pc, s, p,
					    p == MS_TRUE    ? in.t
					    : p == MS_FALSE ? in.f
							    : in.next,
					    fl->edge + (size_t)p * fl->sw);
			if (to[p] == UNSET)
				return false;
			if (first == MS_PLANES)
				first = p;
			else if (to[p] != to[first] || memcmp(fl->edge + (size_t)p * fl->sw,
							      fl->edge + (size_t)first * fl->sw,
							      fl->sw * sizeof(uint64_t)) != 0)
				same = false;
		}
		if (same) {
			in.op = VG_INS_JUMP; /* every outcome: to[first] */
			k = 0;
		}
		mk |= (uint8_t)k;
		break;
	case VG_INS_SET:
		first = 0;
		to[0] = flow_target(fl, pc, s, in.val ? MS_TRUE : MS_FALSE, in.t, fl->edge);
		break;
	case VG_INS_JUMP:
	case VG_INS_MATCH:
		first = 0;
		to[0] = flow_target(fl, pc, s, MS_PLANES, in.t, fl->edge);
		break;
	default:
		break;
	}
	if (first < MS_PLANES && to[first] == UNSET)
		return false;
	in.t = in.f = UNSET;
	if (in.op == VG_INS_MEMO)
		in.next = UNSET;
	if ((r = vg_vec_push(&fl->out, &in)) < 0 || (r = vg_vec_push(&fl->out_fact, &j)) < 0 ||
	    (r = vg_vec_push(&fl->out_mk, &mk)) < 0) {
		fl->error = r;
		return false;
	}
	if (first < MS_PLANES && !k)
		flow_add_edge(fl, pc, to[first], fl->edge + (size_t)first * fl->sw, at, FIELD_T);
	for (unsigned p = 0; p < MS_PLANES; p++)
		if (k & (1u << p))
			flow_add_edge(fl, pc, to[p], fl->edge + (size_t)p * fl->sw, at, fields[p]);
	return true;
}

/* The rewrite in program order (comment above); false when the program is to be left. */
static bool flow_split(struct flow *fl)
{
	uint32_t entry;

	memset(fl->edge, 0, fl->sw * sizeof(uint64_t));
	memset(fl->edge, 0xff, fl->words * sizeof(uint64_t)); /* every fact: not evaluated */
	entry = flow_follow(fl, 0, fl->edge);
	if (entry >= fl->n)
		return false;
	flow_project(fl, entry, fl->edge);
	flow_add_edge(fl, 0, entry, fl->edge, UNSET, FIELD_T);
	for (uint32_t pc = entry; pc < fl->n && !fl->error; pc++) {
		for (uint32_t gi = fl->groups_at[pc]; gi && !fl->error;) {
			struct flow_group g = *(struct flow_group *)vg_vec_at(&fl->groups, gi - 1);
			uint32_t at = (uint32_t)fl->out.len;

			for (uint32_t pi = g.patches; pi;) {
				const struct flow_patch *p = vg_vec_at(&fl->patches, pi - 1);
				struct vg_insn *from;

				pi = p->next;
				if (p->from == UNSET)
					continue; /* the entry: laid out first */
				from = vg_vec_at(&fl->out, p->from);
				if (p->field == FIELD_T)
					from->t = at;
				else if (p->field == FIELD_F)
					from->f = at;
				else
					from->next = at;
			}
			if (!flow_copy(fl, pc, flow_slot(fl, g.slot)))
				return false;
			fl->free_slots[fl->n_free++] = g.slot;
			fl->used_slots--;
			fl->pending--;
			gi = g.next;
		}
	}
	return !fl->error;
}

/* Fills the targets no path takes with one that is taken, so that every target is valid;
 * false when an edge was never laid out (not for programs built here). */
static bool flow_fill(struct flow *fl)
{
	vg_vec_for_each(struct vg_insn, in, &fl->out) {
		uint32_t any;

		if (in->op == VG_INS_END)
			continue;
		any = in->t != UNSET ? in->t : in->f;
		if (in->op == VG_INS_MEMO && any == UNSET)
			any = in->next;
		if (any == UNSET)
			return false;
		if (in->t == UNSET)
			in->t = any;
		if ((in->op == VG_INS_CHECK || in->op == VG_INS_MEMO) && in->f == UNSET)
			in->f = any;
		if (in->op == VG_INS_MEMO && in->next == UNSET)
			in->next = any;
	}
	return true;
}

/* Backwards over the new program: which memos a MEMO may still read from each instruction on
 * (live, one plane per instruction); a SET of a memo nobody reads later becomes a jump. */
static void flow_dead_sets(struct flow *fl, uint64_t *live)
{
	struct vg_insn *prog = fl->out.data;
	const uint32_t *fact = fl->out_fact.data;
	const uint8_t *mk = fl->out_mk.data;

	for (uint32_t pc = (uint32_t)fl->out.len; pc-- > 0;) {
		struct vg_insn *in = &prog[pc];
		uint64_t *l = live + (size_t)pc * fl->words;
		uint32_t succ[3], j = fact[pc];
		unsigned ns = flow_succ(in, mk[pc], succ);

		for (unsigned i = 0; i < ns; i++) {
			const uint64_t *sl = live + (size_t)succ[i] * fl->words;

			for (uint32_t w = 0; w < fl->words; w++)
				l[w] |= sl[w];
		}
		if (in->op == VG_INS_MEMO)
			l[j / 64] |= 1ULL << (j % 64);
		else if (in->op == VG_INS_SET && !(l[j / 64] & (1ULL << (j % 64))))
			in->op = VG_INS_JUMP; /* nobody reads it: -> t, as before */
	}
}

/* Past plain jumps (the SETs flow_dead_sets turned into jumps). */
static uint32_t past_jumps(const struct vg_insn *prog, uint32_t n, uint32_t pc)
{
	for (uint32_t steps = 0; pc < n && steps < n && prog[pc].op == VG_INS_JUMP; steps++)
		pc = prog[pc].t;
	return pc;
}

/* Drops what no edge reaches any more from the new program (its entry: 0); map: scratch of
 * one uint32_t per instruction; returns the new length. */
static uint32_t flow_compact(struct flow *fl, uint32_t *map)
{
	struct vg_insn *prog = fl->out.data;
	uint8_t *mk = fl->out_mk.data;
	uint32_t n = (uint32_t)fl->out.len, succ[3], kept = 0, entry;

	for (uint32_t pc = 0; pc < n; pc++)
		mk[pc] &= (uint8_t)~MK_REACHED;
	entry = past_jumps(prog, n, 0);
	mk[entry] |= MK_REACHED;
	for (uint32_t pc = entry; pc < n; pc++) {
		struct vg_insn *in = &prog[pc];
		unsigned ns;

		if (!(mk[pc] & MK_REACHED))
			continue;
		if (in->op != VG_INS_END)
			in->t = past_jumps(prog, n, in->t);
		if (in->op == VG_INS_CHECK || in->op == VG_INS_MEMO)
			in->f = past_jumps(prog, n, in->f);
		if (in->op == VG_INS_MEMO)
			in->next = past_jumps(prog, n, in->next);
		ns = flow_succ(in, mk[pc], succ);
		for (unsigned i = 0; i < ns; i++)
			mk[succ[i]] |= MK_REACHED;
	}
	mk[n - 1] |= MK_REACHED; /* END stays last */
	for (uint32_t pc = entry; pc < n; pc++)
		if (mk[pc] & MK_REACHED)
			map[pc] = kept++;
	kept = 0;
	for (uint32_t pc = entry; pc < n; pc++) {
		struct vg_insn in = prog[pc];

		if (!(mk[pc] & MK_REACHED))
			continue;
		if (in.op != VG_INS_END)
			in.t = map[in.t];
		if (in.op == VG_INS_CHECK || in.op == VG_INS_MEMO)
			in.f = map[in.f];
		if (in.op == VG_INS_MEMO)
			in.next = map[in.next];
		prog[kept++] = in;
	}
	return kept;
}

/* ---- checks alike ---- */

static bool same_value(const struct vg_value *a, const struct vg_value *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VG_FT_STR:
	case VG_FT_BYTES:
		return a->s.len == b->s.len && (!a->s.len || memcmp(a->s.p, b->s.p, a->s.len) == 0);
	case VG_FT_INT:
	case VG_FT_UINT:
		return a->u == b->u;
	case VG_FT_BOOL:
		return a->b == b->b;
	case VG_FT_IP:
	case VG_FT_NET:
		return a->ip.family == b->ip.family && a->ip.prefix == b->ip.prefix &&
		       memcmp(a->ip.addr, b->ip.addr, sizeof(a->ip.addr)) == 0;
	default:
		return false;
	}
}

static uint64_t value_hash(const struct vg_value *v, uint64_t h)
{
	switch (v->type) {
	case VG_FT_STR:
	case VG_FT_BYTES:
		return vg_rules_hash(v->s.p, v->s.len, h);
	case VG_FT_INT:
	case VG_FT_UINT:
		return (h ^ v->u) * 0x100000001b3ull;
	case VG_FT_BOOL:
		return (h ^ v->b) * 0x100000001b3ull;
	case VG_FT_IP:
	case VG_FT_NET:
		return vg_rules_hash(v->ip.addr, sizeof(v->ip.addr), h ^ v->ip.prefix);
	default:
		return h;
	}
}

/* Whether checks a and b decide the same on every event. Constant sets and patterns are alike
 * when shared (a macro's check), not compared. */
static bool same_check(const struct vg_cnode *a, const struct vg_cnode *b)
{
	if (a == b)
		return true;
	if (a->slot != b->slot || a->op != b->op || a->mod != b->mod || a->type != b->type ||
	    a->rhs != b->rhs || a->cidr != b->cidr || a->subset != b->subset ||
	    a->evttype != b->evttype || a->n != b->n || a->rslot != b->rslot ||
	    a->nums != b->nums || a->set != b->set || a->pm != b->pm || a->re != b->re ||
	    a->ets != b->ets)
		return false;
	switch (a->rhs) {
	case VG_CRHS_ONE:
		return same_value(&a->v, &b->v);
	case VG_CRHS_ITEMS:
		for (uint32_t i = 0; i < a->n; i++)
			if (!same_value(&a->items[i], &b->items[i]))
				return false;
		return true;
	default:
		return true; /* NONE, FIELD (rslot), and the shared constants above */
	}
}

static uint64_t check_hash(const struct vg_cnode *n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = (h ^ n->slot) * 0x100000001b3ull;
	h = (h ^ ((uint64_t)n->op << 8 | (uint64_t)n->rhs << 16 | (uint64_t)n->mod << 24)) *
	    0x100000001b3ull;
	if (n->rhs == VG_CRHS_ONE)
		h = value_hash(&n->v, h);
	else if (n->rhs == VG_CRHS_ITEMS && n->n)
		h = value_hash(&n->items[0], h ^ n->n);
	return h;
}

/* Numbers the memos and the classes of alike checks of a program as facts 0, 1, ...;
 * returns how many, or -ENOMEM. */
static int64_t number_facts(const struct vg_ruleset *rs, const struct vg_insn *prog, uint32_t n,
			    uint32_t *fact)
{
	struct vg_hashmap first; /* check_hash -> pc + 1 of its first check */
	uint32_t *local = calloc(rs->n_memo + 1, sizeof(*local)), *next = NULL;
	int64_t m = 0;

	if (!local)
		return -ENOMEM;
	vg_hashmap_init(&first, VG_HASHMAP_U64, 0, NULL);
	next = malloc((size_t)n * sizeof(*next)); /* pc -> earlier check of the same hash + 1 */
	if (!next) {
		m = -ENOMEM;
		goto out;
	}
	for (uint32_t pc = 0; pc < n; pc++) {
		const struct vg_insn *in = &prog[pc];

		fact[pc] = NO_FACT;
		next[pc] = 0;
		if (in->op == VG_INS_MEMO || in->op == VG_INS_SET) {
			if (!local[in->arg])
				local[in->arg] = (uint32_t)++m;
			fact[pc] = local[in->arg] - 1;
		} else if (in->op == VG_INS_CHECK) {
			uint64_t h = check_hash(in->node);
			uintptr_t head = (uintptr_t)vg_hashmap_get_u64(&first, h);

			for (uintptr_t o = head; o && fact[pc] == NO_FACT; o = next[o - 1])
				if (same_check(prog[o - 1].node, in->node))
					fact[pc] = fact[o - 1];
			if (fact[pc] != NO_FACT)
				continue;
			fact[pc] = (uint32_t)m++;
			next[pc] = (uint32_t)head;
			if (vg_hashmap_put_u64(&first, h, (void *)(uintptr_t)(pc + 1)) < 0) {
				m = -ENOMEM;
				goto out;
			}
		}
	}
out:
	vg_hashmap_done(&first);
	free(next);
	free(local);
	return m;
}

/* Runs the passes above on the program in insns (last: END), which it replaces; limit: the
 * instructions the new program may have. Returns 0 (also when the program was left as it
 * is) or -ENOMEM. */
static int flow_program(const struct vg_ruleset *rs, struct vg_vec *insns, size_t limit,
			uint64_t *work)
{
	uint32_t n = (uint32_t)insns->len;
	struct flow fl = {
		.prog = insns->data,
		.n = n,
		.groups = VG_VEC_INIT(struct flow_group, 0),
		.patches = VG_VEC_INIT(struct flow_patch, 0),
		.out = VG_VEC_INIT(struct vg_insn, 0),
		.out_fact = VG_VEC_INIT(uint32_t, 0),
		.out_mk = VG_VEC_INIT(uint8_t, 0),
		.work = work,
	};
	uint32_t *fact = NULL, *map = NULL;
	uint64_t *live = NULL;
	int64_t m;
	int r = 0;

	if (!n || fl.prog[n - 1].op != VG_INS_END)
		return 0;
	fl.fact = fact = malloc((size_t)n * sizeof(*fact));
	if (!fact)
		return -ENOMEM;
	m = number_facts(rs, fl.prog, n, fact);
	if (m <= 0) {
		r = m < 0 ? (int)m : 0; /* nothing to know */
		goto out;
	}
	fl.words = (uint32_t)((m + 63) / 64);
	fl.sw = MS_PLANES * fl.words;
	fl.n_slots =
		(uint32_t)VG_MIN((uint64_t)FLOW_WORDS_MAX / fl.sw, (uint64_t)FLOW_COPIES_MAX * n);
	fl.limit = (uint32_t)VG_MIN(VG_MIN((uint64_t)FLOW_GROWTH * n, limit),
				    (uint64_t)FLOW_WORDS_MAX / fl.words);
	if (fl.n_slots < n || fl.limit < n)
		goto out; /* too large to follow: left as it is */
	fl.live = calloc((size_t)n * fl.words, sizeof(uint64_t));
	fl.groups_at = calloc(n, sizeof(*fl.groups_at));
	fl.n_groups = calloc(n, sizeof(*fl.n_groups));
	fl.slots = malloc((size_t)fl.n_slots * fl.sw * sizeof(uint64_t));
	fl.free_slots = malloc((size_t)fl.n_slots * sizeof(*fl.free_slots));
	fl.edge = malloc((size_t)MS_PLANES * fl.sw * sizeof(uint64_t));
	fl.memos = calloc(fl.words, sizeof(uint64_t));
	fl.out.max_len = fl.limit;
	if (!fl.live || !fl.groups_at || !fl.n_groups || !fl.slots || !fl.free_slots || !fl.edge ||
	    !fl.memos) {
		r = -ENOMEM;
		goto out;
	}
	for (uint32_t pc = 0; pc < n; pc++)
		if (fl.prog[pc].op == VG_INS_MEMO || fl.prog[pc].op == VG_INS_SET)
			fl.memos[fact[pc] / 64] |= 1ULL << (fact[pc] % 64);
	flow_live(&fl);
	if (!flow_split(&fl) || !flow_fill(&fl)) {
		/* an edge that does not go forward, or past the limit (not for programs built
		 * here): the program is left as it is */
		r = fl.error == -ENOMEM ? -ENOMEM : 0;
		goto out;
	}
	live = calloc(fl.out.len * fl.words, sizeof(uint64_t));
	map = malloc(fl.out.len * sizeof(*map));
	if (!live || !map) {
		r = -ENOMEM;
		goto out;
	}
	flow_dead_sets(&fl, live);
	fl.out.len = flow_compact(&fl, map);
	{
		struct vg_vec done = *insns;

		*insns = fl.out;
		fl.out = done;
	}
out:
	free(fact);
	free(live);
	free(map);
	free(fl.live);
	free(fl.groups_at);
	free(fl.n_groups);
	free(fl.slots);
	free(fl.free_slots);
	free(fl.edge);
	free(fl.memos);
	vg_vec_done(&fl.groups);
	vg_vec_done(&fl.patches);
	vg_vec_done(&fl.out);
	vg_vec_done(&fl.out_fact);
	vg_vec_done(&fl.out_mk);
	return r;
}

/* What the rule set's programs may still use: instructions, so that a rule set of huge
 * conditions that match every event type is not laid out once per event type, and state
 * words for the flow passes to compare (their time). */
struct opt_budget {
	size_t insns;
	uint64_t work;
};

/* The bucket's program: each rule in order, a match continuing with the next rule. */
static int build_program(struct vg_ruleset *rs, struct vg_bucket *b, struct opt_budget *budget)
{
	struct prog p = {
		.insns = VG_VEC_INIT(struct vg_insn, VG_PROG_INSNS_MAX),
		.labels = VG_VEC_INIT(uint32_t, 4 * VG_PROG_INSNS_MAX),
	};
	uint64_t estimate = 0;
	int r = 0;

	for (uint32_t i = 0; i < b->n; i++)
		estimate += b->roots[i]->size + 2;
	if (estimate > budget->insns || estimate > VG_PROG_INSNS_MAX)
		return 0; /* certainly too large: keep the trees */
	p.insns.max_len = VG_MIN(budget->insns, (size_t)VG_PROG_INSNS_MAX);
	for (uint32_t i = 0; i < b->n && !p.error; i++) {
		uint32_t match = new_label(&p), next = new_label(&p);

		emit(&p, b->roots[i], match, next, true);
		bind(&p, match);
		put(&p, VG_INS_MATCH, i, 0, next, 0, NULL);
		bind(&p, next);
	}
	put(&p, VG_INS_END, 0, 0, 0, 0, NULL);
	if (p.error) {
		/* Too large to lay out: the evaluator walks this bucket's trees. */
		r = p.error == -E2BIG ? 0 : p.error;
		goto out;
	}
	vg_vec_for_each(struct vg_insn, in, &p.insns) {
		if (in->op == VG_INS_END)
			continue;
		in->t = *(uint32_t *)vg_vec_at(&p.labels, in->t);
		if (in->op == VG_INS_CHECK || in->op == VG_INS_MEMO)
			in->f = *(uint32_t *)vg_vec_at(&p.labels, in->f);
		if (in->op == VG_INS_MEMO)
			in->next = *(uint32_t *)vg_vec_at(&p.labels, in->next);
	}
	thread_jumps(p.insns.data, (uint32_t)p.insns.len);
	r = flow_program(rs, &p.insns, p.insns.max_len, &budget->work);
	if (r < 0)
		goto out;
	vg_vec_for_each(struct vg_insn, in, &p.insns)
		in->code = in->op == VG_INS_CHECK && in->fast != VG_CF_NONE
				   ? (uint8_t)(VG_INS_FAST + in->fast)
				   : in->op;
	b->prog = vg_arena_memdup(&rs->arena, p.insns.data, p.insns.len * sizeof(struct vg_insn));
	if (!b->prog)
		r = vg_arena_error(&rs->arena) ?: -ENOMEM;
	else
		b->n_prog = (uint32_t)p.insns.len;
	budget->insns -= p.insns.len;
out:
	vg_vec_done(&p.insns);
	vg_vec_done(&p.labels);
	return r;
}

/* Buckets of the same rules with the same conditions (rules that do not test evt.type, or
 * test it the same way) share one program. */
static uint64_t bucket_hash(const struct vg_ruleset *rs, const struct vg_bucket *b)
{
	return vg_rules_hash(b->roots, b->n * sizeof(*b->roots),
			     vg_rules_hash(b->rules, b->n * sizeof(*b->rules), rs->seed));
}

static bool same_bucket(const struct vg_bucket *a, const struct vg_bucket *b)
{
	return a->n == b->n && memcmp(a->rules, b->rules, a->n * sizeof(*a->rules)) == 0 &&
	       memcmp(a->roots, b->roots, a->n * sizeof(*a->roots)) == 0;
}

static int build_programs(struct vg_ruleset *rs, struct vg_srcindex *si, struct opt_budget *budget)
{
	struct vg_hashmap seen; /* bucket_hash -> struct vg_bucket * with a program */
	int r = 0;

	vg_hashmap_init(&seen, VG_HASHMAP_U64, 0, NULL);
	for (size_t t = 0; t < si->n_types && r >= 0; t++) {
		struct vg_bucket *b = &si->buckets[t], *o;
		uint64_t h;

		if (!b->n)
			continue;
		h = bucket_hash(rs, b);
		o = vg_hashmap_get_u64(&seen, h);
		if (o && same_bucket(o, b)) {
			b->prog = o->prog;
			b->n_prog = o->n_prog;
			continue;
		}
		r = build_program(rs, b, budget);
		if (r >= 0 && b->prog && !o)
			r = vg_hashmap_put_u64(&seen, h, b);
	}
	vg_hashmap_done(&seen);
	return r;
}

int vg_rules_optimize(struct vg_ruleset *rs)
{
	struct opt_budget budget = {.insns = VG_PROG_TOTAL_MAX, .work = FLOW_WORK_MAX};
	int r = 0;

	for (size_t i = 0; i < rs->n_idx && r >= 0; i++)
		r = specialise_index(rs, &rs->idx[i]);
	for (size_t i = 0; i < rs->n_idx && r >= 0; i++)
		r = build_programs(rs, &rs->idx[i], &budget);
	return r;
}
