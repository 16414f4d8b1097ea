/* SPDX-License-Identifier: Apache-2.0 */
/*
 * npm versions and ranges, as node-semver (npm/node-semver) does them without options.
 *
 * Versions: semver 2.0.0 after trimming blanks, an optional leading 'v', at most 256 bytes
 * (MAX_LENGTH) and numbers up to 2^53 - 1 (MAX_SAFE_INTEGER).
 *
 * Ranges follow classes/range.js step by step, but build comparators as structs instead of
 * rewriting strings: split on "||"; per set strip build metadata, expand a hyphen range
 * "A - B", glue "> 1", "~ 1", "^ 1" to their operand, then expand each token (^ caret, ~ and
 * ~> tilde, x, X and * partials, ">=0.0.0" = any) into at most two comparators, which are tested
 * as they come: nothing is stored per comparator, so a range of any length runs in constant
 * memory. A prerelease version only passes a set that names a prerelease of the same
 * major.minor.patch, and a set that is only "*" makes the whole range "*".
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "basic/limits.h"
#include "vuln/version-internal.h"
#include "vuln/version.h"

#define NPM_LENGTH_MAX	     256 /* MAX_LENGTH */
#define NPM_SAFE_INTEGER_MAX 9007199254740991ULL /* Number.MAX_SAFE_INTEGER */
#define NPM_NUMBER_TOO_BIG   (NPM_SAFE_INTEGER_MAX + 1)

struct npm_version {
	uint64_t n[3];
	const char *pre;
	size_t pre_len;
	bool has_pre;
};

static bool js_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Digits to a number, NPM_NUMBER_TOO_BIG for anything above 2^53 - 1. */
static uint64_t to_number(const char *s, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > NPM_SAFE_INTEGER_MAX)
			return NPM_NUMBER_TOO_BIG;
	}
	return v;
}

/* FULLPLAIN: v?MAJOR.MINOR.PATCH[-pre][+build], numbers at most 2^53 - 1. */
static int parse_full(const char *s, size_t len, struct npm_version *ret)
{
	struct vg_semver sv;
	int r;

	r = vg_semver_parse(s, len, VG_SEMVER_ALLOW_V, &sv);
	if (r < 0)
		return r;
	for (int i = 0; i < 3; i++) {
		ret->n[i] = to_number(sv.num[i], sv.num_len[i]);
		if (ret->n[i] == NPM_NUMBER_TOO_BIG)
			return -EINVAL;
	}
	ret->has_pre = sv.has_pre;
	ret->pre = sv.pre;
	ret->pre_len = sv.pre_len;
	return 0;
}

/* new SemVer(string): length check on the raw string, then trim. */
static int parse_version(const char *s, struct npm_version *ret)
{
	size_t len = strlen(s);

	if (len > NPM_LENGTH_MAX)
		return -EINVAL;
	while (len > 0 && js_space(*s))
		s++, len--;
	while (len > 0 && js_space(s[len - 1]))
		len--;
	return parse_full(s, len, ret);
}

static int version_cmp(const struct npm_version *a, const struct npm_version *b)
{
	for (int i = 0; i < 3; i++)
		if (a->n[i] != b->n[i])
			return a->n[i] < b->n[i] ? -1 : 1;
	if (a->has_pre != b->has_pre)
		return a->has_pre ? -1 : 1;
	if (!a->has_pre)
		return 0;
	return vg_semver_prerelease_cmp(a->pre, a->pre_len, b->pre, b->pre_len);
}

int vg_version_npm_cmp(const char *a, const char *b, int *ret)
{
	struct npm_version va, vb;
	int r;

	r = parse_version(a, &va);
	if (r < 0)
		return r;
	r = parse_version(b, &vb);
	if (r < 0)
		return r;
	*ret = version_cmp(&va, &vb);
	return 0;
}

bool vg_version_npm_valid(const char *v)
{
	struct npm_version s;

	return parse_version(v, &s) == 0;
}

/* ---- ranges ---- */

enum op { OP_ANY, OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

struct comparator {
	enum op op;
	struct npm_version v;
};

/* What one comparator set has seen so far. */
struct set_state {
	const struct npm_version *version;
	bool pass; /* every comparator so far accepts the version */
	bool pre_allowed; /* a comparator names a prerelease of the version's M.m.p */
	bool all_any; /* only "*" comparators so far */
	bool has_null; /* "<0.0.0-0", which nothing satisfies */
};

static void feed(struct set_state *st, const struct comparator *c)
{
	const struct npm_version *v = st->version;
	int r;

	if (c->op == OP_ANY)
		return;
	st->all_any = false;
	if (c->op == OP_LT && c->v.n[0] == 0 && c->v.n[1] == 0 && c->v.n[2] == 0 && c->v.has_pre &&
	    c->v.pre_len == 1 && c->v.pre[0] == '0')
		st->has_null = true;
	r = version_cmp(v, &c->v);
	switch (c->op) {
	case OP_EQ:
		st->pass = st->pass && r == 0;
		break;
	case OP_LT:
		st->pass = st->pass && r < 0;
		break;
	case OP_LE:
		st->pass = st->pass && r <= 0;
		break;
	case OP_GT:
		st->pass = st->pass && r > 0;
		break;
	case OP_GE:
		st->pass = st->pass && r >= 0;
		break;
	default:
		break;
	}
	if (c->v.has_pre && c->v.n[0] == v->n[0] && c->v.n[1] == v->n[1] && c->v.n[2] == v->n[2])
		st->pre_allowed = true;
}

/* One XRANGEPLAIN: [v=\s]*XR(.XR(.XR(-pre)?)?)? with XR = 0|[1-9]\d*|x|X|*. */
struct xrange {
	size_t prefix_len; /* the [v=\s]* run */
	int parts; /* 1..3 components present */
	bool x[3]; /* component is x, X, * (or absent) */
	uint64_t n[3];
	const char *pre;
	size_t pre_len;
};

static bool parse_xrange(const char *s, size_t len, struct xrange *ret)
{
	const char *p = s, *e = s + len;

	*ret = (struct xrange){.x = {true, true, true}};
	while (p < e && (*p == 'v' || *p == '=' || js_space(*p)))
		p++;
	ret->prefix_len = (size_t)(p - s);
	for (int i = 0; i < 3; i++) {
		if (p == e)
			return false;
		if (*p == 'x' || *p == 'X' || *p == '*') {
			p++;
		} else {
			const char *d = p;

			while (p < e && vg_version_isdigit(*p))
				p++;
			if (p == d || (p - d > 1 && *d == '0'))
				return false;
			ret->x[i] = false;
			ret->n[i] = to_number(d, (size_t)(p - d));
		}
		ret->parts = i + 1;
		if (p == e)
			return true;
		if (i < 2) {
			if (*p != '.')
				return false;
			p++;
		}
	}
	/* after the patch: a prerelease, nothing else (build metadata is already gone) */
	if (*p != '-')
		return false;
	ret->pre = p + 1;
	ret->pre_len = (size_t)(e - p - 1);
	return vg_semver_prerelease_valid(ret->pre, ret->pre_len);
}

static bool too_big(uint64_t M, uint64_t m, uint64_t p)
{
	return M > NPM_SAFE_INTEGER_MAX || m > NPM_SAFE_INTEGER_MAX || p > NPM_SAFE_INTEGER_MAX;
}

/*
 * Tests one comparator built by an expansion. Its text would be canonical, so ">=0.0.0"
 * is replaceGTE0's "any"; numbers past 2^53 - 1 make new SemVer() throw.
 */
static int emit_full(struct set_state *st, enum op op, uint64_t M, uint64_t m, uint64_t p,
		     const char *pre, size_t pre_len, bool gte0)
{
	struct comparator c = {
		.op = op,
		.v = {.n = {M, m, p}, .pre = pre, .pre_len = pre_len, .has_pre = pre_len > 0}};

	if (too_big(M, m, p))
		return -EINVAL;
	if (gte0 && op == OP_GE && M == 0 && m == 0 && p == 0 && pre_len == 0)
		c.op = OP_ANY;
	feed(st, &c);
	return 0;
}

static int emit(struct set_state *st, enum op op, uint64_t M, uint64_t m, uint64_t p,
		const char *pre, size_t pre_len)
{
	return emit_full(st, op, M, m, p, pre, pre_len, true);
}

static void emit_any(struct set_state *st)
{
	struct comparator c = {.op = OP_ANY};

	feed(st, &c);
}

/* Upper bound "<M.m.p-0". */
static int emit_lt0(struct set_state *st, uint64_t M, uint64_t m, uint64_t p)
{
	return emit(st, OP_LT, M, m, p, "0", 1);
}

static int caret(struct set_state *st, const struct xrange *x)
{
	uint64_t M = x->n[0], m = x->n[1], p = x->n[2];
	bool xM = x->x[0], xm = xM || x->x[1], xp = xm || x->x[2];
	int r;

	if (xM) {
		emit_any(st);
		return 0;
	}
	if (xm) {
		r = emit(st, OP_GE, M, 0, 0, NULL, 0);
		return r < 0 ? r : emit_lt0(st, M + 1, 0, 0);
	}
	if (xp) {
		r = emit(st, OP_GE, M, m, 0, NULL, 0);
		if (r < 0)
			return r;
		return M == 0 ? emit_lt0(st, M, m + 1, 0) : emit_lt0(st, M + 1, 0, 0);
	}
	r = emit(st, OP_GE, M, m, p, x->pre, x->pre_len);
	if (r < 0)
		return r;
	if (M == 0)
		return m == 0 ? emit_lt0(st, M, m, p + 1) : emit_lt0(st, M, m + 1, 0);
	return emit_lt0(st, M + 1, 0, 0);
}

static int tilde(struct set_state *st, const struct xrange *x)
{
	uint64_t M = x->n[0], m = x->n[1], p = x->n[2];
	bool xM = x->x[0], xm = xM || x->x[1], xp = xm || x->x[2];
	int r;

	if (xM) {
		emit_any(st);
		return 0;
	}
	if (xm) {
		r = emit(st, OP_GE, M, 0, 0, NULL, 0);
		return r < 0 ? r : emit_lt0(st, M + 1, 0, 0);
	}
	r = xp ? emit(st, OP_GE, M, m, 0, NULL, 0) : emit(st, OP_GE, M, m, p, x->pre, x->pre_len);
	return r < 0 ? r : emit_lt0(st, M, m + 1, 0);
}

static enum op op_from(const char *s, size_t len)
{
	if (len == 0 || (len == 1 && s[0] == '='))
		return OP_EQ;
	if (s[0] == '<')
		return len == 2 ? OP_LE : OP_LT;
	return len == 2 ? OP_GE : OP_GT;
}

/* Length of the GTLT operator ((?:<|>)?=?) at the start of s. */
static size_t op_len(const char *s, size_t len)
{
	size_t k = 0;

	if (k < len && (s[k] == '<' || s[k] == '>'))
		k++;
	if (k < len && s[k] == '=')
		k++;
	return k;
}

/* x-range with an operator, replaceXRange(); only called when some component is x. */
static int xrange(struct set_state *st, const char *gtlt, size_t gl, const struct xrange *x)
{
	uint64_t M = x->n[0], m = x->n[1], p = x->n[2];
	bool xM = x->x[0], xm = xM || x->x[1];
	enum op op;
	int r;

	if (gl == 1 && gtlt[0] == '=')
		gl = 0;
	if (xM) {
		if (gl == 1) /* "<*", ">x": nothing */
			return emit_lt0(st, 0, 0, 0);
		emit_any(st);
		return 0;
	}
	if (gl > 0) {
		if (xm)
			m = 0;
		p = 0;
		op = op_from(gtlt, gl);
		if (op == OP_GT) {
			op = OP_GE;
			if (xm)
				M++, m = 0;
			else
				m++;
		} else if (op == OP_LE) {
			op = OP_LT;
			if (xm)
				M++;
			else
				m++;
		}
		if (op == OP_LT)
			return emit_lt0(st, M, m, p);
		return emit(st, op, M, m, p, NULL, 0);
	}
	if (xm) {
		r = emit(st, OP_GE, M, 0, 0, NULL, 0);
		return r < 0 ? r : emit_lt0(st, M + 1, 0, 0);
	}
	r = emit(st, OP_GE, M, m, 0, NULL, 0);
	return r < 0 ? r : emit_lt0(st, M, m + 1, 0);
}

/* new Comparator(text): "" or op + FULLPLAIN; ">=0.0.0" exactly is any (replaceGTE0). */
static int comparator_text(struct set_state *st, const char *s, size_t len)
{
	struct comparator c;
	size_t k;
	int r;

	if (len == 0 || (len == 7 && memcmp(s, ">=0.0.0", 7) == 0)) {
		emit_any(st);
		return 0;
	}
	k = op_len(s, len);
	r = parse_full(s + k, len - k, &c.v);
	if (r < 0)
		return r;
	c.op = op_from(s, k);
	feed(st, &c);
	return 0;
}

/* replaceStars(): drops the first (<|>)?=?\* and parses what is left as a comparator. */
static int stars(struct set_state *st, const char *s, size_t len)
{
	char buf[VG_VERSION_RANGE_LEN_MAX + 1];

	for (size_t i = 0; i < len; i++) {
		size_t j = i;

		if ((s[j] == '<' || s[j] == '>') && j + 1 < len && s[j + 1] == '=' && j + 2 < len &&
		    s[j + 2] == '*')
			j += 3;
		else if ((s[j] == '<' || s[j] == '>') && j + 1 < len && s[j + 1] == '*')
			j += 2;
		else if (s[j] == '=' && j + 1 < len && s[j + 1] == '*')
			j += 2;
		else if (s[j] == '*')
			j += 1;
		else
			continue;
		memcpy(buf, s, i);
		memcpy(buf + i, s + j, len - j);
		return comparator_text(st, buf, i + len - j);
	}
	return comparator_text(st, s, len);
}

/* parseComparator() on one whitespace-free token. */
static int token(struct set_state *st, const char *s, size_t len)
{
	struct xrange x;
	size_t k;

	if (len == 0)
		return 0; /* an empty split piece: "*", which a set with others drops */
	if (s[0] == '^')
		return parse_xrange(s + 1, len - 1, &x) ? caret(st, &x) : -EINVAL;
	if (s[0] == '~') {
		k = len > 1 && s[1] == '>' ? 2 : 1;
		return parse_xrange(s + k, len - k, &x) ? tilde(st, &x) : -EINVAL;
	}
	k = op_len(s, len);
	if (parse_xrange(s + k, len - k, &x)) {
		/* invalidXRangeOrder(): a number after an x ("x.1", "1.x.2") stays as it is */
		bool misordered =
			(x.x[0] && x.parts >= 2 && !x.x[1]) || (x.x[1] && x.parts >= 3 && !x.x[2]);

		if (misordered)
			return stars(st, s, len);
		if (x.x[0] || x.x[1] || x.x[2])
			return xrange(st, s, k, &x);
		/* no x: the text itself is the comparator, which allows at most a 'v' prefix */
		return comparator_text(st, s, len);
	}
	return stars(st, s, len);
}

static bool ident_char(char c)
{
	return vg_version_isalnum(c) || c == '-';
}

/* Removes every +build(.build)* (BUILDSTRIPRE), in place; returns the new length. */
static size_t strip_build(char *s, size_t len)
{
	size_t w = 0, i = 0;

	while (i < len) {
		if (s[i] == '+' && i + 1 < len && ident_char(s[i + 1])) {
			i++;
			for (;;) {
				while (i < len && ident_char(s[i]))
					i++;
				if (i + 1 < len && s[i] == '.' && ident_char(s[i + 1]))
					i++;
				else
					break;
			}
			continue;
		}
		s[w++] = s[i++];
	}
	return w;
}

static void trim(char **s, size_t *len)
{
	while (*len > 0 && **s == ' ')
		(*s)++, (*len)--;
	while (*len > 0 && (*s)[*len - 1] == ' ')
		(*len)--;
}

/* "A - B": hyphenReplace(). Returns 1 if the set was a hyphen range, 0 if not. */
static int hyphen(struct set_state *st, const char *s, size_t len)
{
	const char *sep = NULL, *to;
	struct xrange f, t;
	size_t fl, tl;
	int r = 0;

	for (size_t i = 0; i + 3 <= len; i++)
		if (s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == ' ') {
			sep = s + i;
			break;
		}
	if (!sep)
		return 0;
	fl = (size_t)(sep - s);
	to = sep + 3;
	tl = len - fl - 3;
	if (!parse_xrange(s, fl, &f) || !parse_xrange(to, tl, &t))
		return 0;

	if (f.x[0])
		emit_any(st);
	else if (f.x[1])
		r = emit(st, OP_GE, f.n[0], 0, 0, NULL, 0);
	else if (f.x[2])
		r = emit(st, OP_GE, f.n[0], f.n[1], 0, NULL, 0);
	else if (f.prefix_len > 1 || (f.prefix_len == 1 && s[0] != 'v'))
		return -EINVAL; /* ">=" + the text: only FULLPLAIN's 'v' may precede the numbers */
	else if (f.prefix_len == 1)
		/* ">=v0.0.0" is not replaceGTE0's exact text: it stays a comparator */
		r = emit_full(st, OP_GE, f.n[0], f.n[1], f.n[2], f.pre, f.pre_len, false);
	else
		r = emit(st, OP_GE, f.n[0], f.n[1], f.n[2], f.pre, f.pre_len);
	if (r < 0)
		return r;

	if (t.x[0])
		emit_any(st);
	else if (t.x[1])
		r = emit_lt0(st, t.n[0] + 1, 0, 0);
	else if (t.x[2])
		r = emit_lt0(st, t.n[0], t.n[1] + 1, 0);
	else if (t.pre_len > 0)
		r = emit(st, OP_LE, t.n[0], t.n[1], t.n[2], t.pre, t.pre_len);
	else if (t.prefix_len > 1 || (t.prefix_len == 1 && to[0] != 'v'))
		return -EINVAL;
	else
		r = emit(st, OP_LE, t.n[0], t.n[1], t.n[2], NULL, 0);
	return r < 0 ? r : 1;
}

/* One comparator set (between "||"), in place in its own buffer slice. */
static int set_eval(struct set_state *st, char *s, size_t len)
{
	size_t w, i;
	int r;

	trim(&s, &len);
	len = strip_build(s, len);
	trim(&s, &len);
	r = hyphen(st, s, len);
	if (r != 0)
		return r < 0 ? r : 0;

	/*
	 * COMPARATORTRIM "> 1.2" -> ">1.2", TILDETRIM "~ 1.2" / "~> 1.2" -> "~1.2", CARETTRIM
	 * "^ 1.2" -> "^1.2", in that order, each a left-to-right pass over the spaces.
	 */
	for (int pass = 0; pass < 3; pass++) {
		size_t tok = 0; /* start of the current token in the output */

		for (w = 0, i = 0; i < len; i++) {
			const char *t = s + tok;
			size_t tl = w - tok;
			bool join = false;

			if (s[i] != ' ') {
				s[w++] = s[i];
				continue;
			}
			if (pass == 0)
				join = tl > 0 && op_len(t, tl) == tl && i + 1 < len &&
				       strchr("v=0123456789xX*", s[i + 1]);
			else if (pass == 1)
				join = (tl == 1 && t[0] == '~') ||
				       (tl == 2 && t[0] == '~' && t[1] == '>');
			else
				join = tl == 1 && t[0] == '^';
			if (join) {
				if (pass == 1 && tl == 2)
					w--; /* "~>" + " " becomes "~" */
				continue;
			}
			s[w++] = ' ';
			tok = w;
		}
		len = w;
	}

	for (i = 0; i <= len;) {
		size_t e = i;

		while (e < len && s[e] != ' ')
			e++;
		r = token(st, s + i, e - i);
		if (r < 0)
			return r;
		i = e + 1;
	}
	return 0;
}

int vg_npm_range_satisfies(const char *range, const char *version)
{
	char buf[VG_VERSION_RANGE_LEN_MAX + 1];
	struct npm_version v;
	bool matched = false, any_set = false;
	size_t len = 0, i, n;
	int r;

	if (!range || !version)
		return -EINVAL;
	n = strnlen(range, VG_VERSION_RANGE_LEN_MAX + 1);
	if (n > VG_VERSION_RANGE_LEN_MAX ||
	    strnlen(version, VG_VERSION_LEN_MAX + 1) > VG_VERSION_LEN_MAX)
		return -E2BIG;
	r = parse_version(version, &v);
	if (r < 0)
		return r;

	/* range.trim().replace(/\s+/g, ' ') */
	for (i = 0; i < n; i++) {
		if (js_space(range[i])) {
			if (len > 0 && buf[len - 1] != ' ')
				buf[len++] = ' ';
		} else {
			buf[len++] = range[i];
		}
	}
	if (len > 0 && buf[len - 1] == ' ')
		len--;

	for (i = 0; i <= len;) {
		struct set_state st = {.version = &v, .pass = true, .all_any = true};
		size_t e = i;

		while (e < len && !(buf[e] == '|' && e + 1 < len && buf[e + 1] == '|'))
			e++;
		r = set_eval(&st, buf + i, e - i);
		if (r < 0)
			return r;
		if (st.pass && (!v.has_pre || st.pre_allowed))
			matched = true;
		/* a set that is only "*" makes the whole range "*" */
		if (st.all_any)
			any_set = true;
		i = e + 2;
	}
	if (any_set)
		return !v.has_pre;
	return matched;
}
