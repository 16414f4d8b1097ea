/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Falco condition parser: recursive descent over the grammar of falcosecurity/libs
 * (userspace/libsinsp/filter/parser.h), written from the grammar and the observed behaviour
 * of libsinsp, not from its code. SPEC: docs/rules.md#condition-language
 *
 * Everything is allocated from the caller's arena; the only recursion is on parentheses,
 * bounded by VG_COND_DEPTH_MAX together with 'not' chains. Deviations from libsinsp, all on
 * inputs libsinsp rejects or mis-parses:
 *   - a backslash inside a quoted string always escapes the next character, so "a\\" ends
 *     after the second backslash (libsinsp looks only at the previous character and keeps
 *     scanning);
 *   - NUL bytes are rejected anywhere, and \x00 in quoted strings;
 *   - the multi-argument transformers join(), concat() and getopt(), literal transformer
 *     arguments and an argument after a transformer's ')' are reported as unsupported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rules/parse.h"

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	struct vg_arena *a;
	struct vg_parse_error *err;
	unsigned depth;
	int r; /* sticky: first error */
	/* the last token consumed, for "after 'x'" in messages */
	size_t last_start, last_end;
};

static const char *const op_names[VG_OP__MAX] = {
	[VG_OP_EQ] = "=",
	[VG_OP_NE] = "!=",
	[VG_OP_LT] = "<",
	[VG_OP_LE] = "<=",
	[VG_OP_GT] = ">",
	[VG_OP_GE] = ">=",
	[VG_OP_CONTAINS] = "contains",
	[VG_OP_ICONTAINS] = "icontains",
	[VG_OP_BCONTAINS] = "bcontains",
	[VG_OP_STARTSWITH] = "startswith",
	[VG_OP_BSTARTSWITH] = "bstartswith",
	[VG_OP_ENDSWITH] = "endswith",
	[VG_OP_GLOB] = "glob",
	[VG_OP_IGLOB] = "iglob",
	[VG_OP_REGEX] = "regex",
	[VG_OP_IN] = "in",
	[VG_OP_INTERSECTS] = "intersects",
	[VG_OP_PMATCH] = "pmatch",
	[VG_OP_EXISTS] = "exists",
};

const char *vg_cmp_op_name(enum vg_cmp_op op)
{
	if (op <= 0 || op >= VG_OP__MAX || !op_names[op])
		return "unknown";
	return op_names[op];
}

const char *vg_op_modifier_name(enum vg_op_modifier m)
{
	switch (m) {
	case VG_MOD_NONE:
		return "";
	case VG_MOD_ONEOF:
		return "oneof";
	case VG_MOD_ANYOF:
		return "anyof";
	case VG_MOD_ALLOF:
		return "allof";
	default:
		return "unknown";
	}
}

const char *vg_transformer_name(enum vg_transformer t)
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
		return "unknown";
	}
}

/* Operators in the order libsinsp tries them: a longer one before its prefixes. "word"
 * operators need a blank after them; symbols and list operators do not. */
struct op_def {
	const char *text;
	unsigned char len;
	unsigned char op;
	bool word;
};

#define OP(t, o, w)                    \
	{                              \
		t, sizeof(t) - 1, o, w \
	}

static const struct op_def num_ops[] = {
	OP("<=", VG_OP_LE, false),
	OP("<", VG_OP_LT, false),
	OP(">=", VG_OP_GE, false),
	OP(">", VG_OP_GT, false),
};

static const struct op_def str_ops[] = {
	OP("==", VG_OP_EQ, false),
	OP("=", VG_OP_EQ, false),
	OP("!=", VG_OP_NE, false),
	OP("glob", VG_OP_GLOB, true),
	OP("iglob", VG_OP_IGLOB, true),
	OP("contains", VG_OP_CONTAINS, true),
	OP("icontains", VG_OP_ICONTAINS, true),
	OP("bcontains", VG_OP_BCONTAINS, true),
	OP("startswith", VG_OP_STARTSWITH, true),
	OP("bstartswith", VG_OP_BSTARTSWITH, true),
	OP("endswith", VG_OP_ENDSWITH, true),
	OP("regex", VG_OP_REGEX, true),
};

static const struct op_def list_ops[] = {
	OP("intersects", VG_OP_INTERSECTS, false),
	OP("in", VG_OP_IN, false),
	OP("pmatch", VG_OP_PMATCH, false),
};

static const struct op_def modifiers[] = {
	OP("oneof", VG_MOD_ONEOF, true),
	OP("anyof", VG_MOD_ANYOF, true),
	OP("allof", VG_MOD_ALLOF, true),
};

/* Transformers written as "name(" (no blank before the parenthesis). */
static const struct op_def transformers[] = {
	OP("tolower(", VG_TR_TOLOWER, false), OP("toupper(", VG_TR_TOUPPER, false),
	OP("b64(", VG_TR_B64, false),	      OP("basename(", VG_TR_BASENAME, false),
	OP("len(", VG_TR_LEN, false),
};

static const char *const unsupported_transformers[] = {"join(", "concat(", "getopt("};

/* ---- characters and tokens ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\b' || c == '\f' ||
	       c == '\v';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hexval(char c)
{
	return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* BareStr ::= [^ \b\t\n\r\(\),="']+ */
static bool is_bare_char(char c)
{
	return !is_blank(c) && c != '(' && c != ')' && c != ',' && c != '=' && c != '"' &&
	       c != '\'' && c != '\0';
}

/* FieldArgBareStr ::= [^ \b\t\n\r\[\]"']+ */
static bool is_arg_bare_char(char c)
{
	return !is_blank(c) && c != '[' && c != ']' && c != '"' && c != '\'' && c != '\0';
}

static bool at_end(const struct parser *p)
{
	return p->pos >= p->len;
}

static char cur(const struct parser *p)
{
	return p->pos < p->len ? p->s[p->pos] : '\0';
}

static bool skip_blank(struct parser *p)
{
	size_t start = p->pos;

	while (p->pos < p->len && is_blank(p->s[p->pos]))
		p->pos++;
	return p->pos > start;
}

static bool starts_with(const struct parser *p, size_t pos, const char *t, size_t n)
{
	return p->len - pos >= n && memcmp(p->s + pos, t, n) == 0;
}

static void took(struct parser *p, size_t start)
{
	p->last_start = start;
	p->last_end = p->pos;
}

/* Consumes t exactly. */
static bool lex_str(struct parser *p, const char *t, size_t n)
{
	if (!starts_with(p, p->pos, t, n))
		return false;
	took(p, p->pos);
	p->pos += n;
	p->last_end = p->pos;
	return true;
}

/* Identifier ::= [a-zA-Z]+[a-zA-Z0-9_]* ; length at pos, 0 when none */
static size_t ident_len(const struct parser *p, size_t pos)
{
	size_t i = pos;

	if (i >= p->len || !is_alpha(p->s[i]))
		return 0;
	while (i < p->len && is_ident_char(p->s[i]))
		i++;
	return i - pos;
}

/* FieldName ::= Identifier ('.' Identifier)+ (longest match); 0 when none */
static size_t field_name_len(const char *s, size_t len, size_t pos)
{
	size_t i = pos, dots = 0;

	if (i >= len || !is_alpha(s[i]))
		return 0;
	while (i < len && is_ident_char(s[i]))
		i++;
	while (i + 1 < len && s[i] == '.' && is_alpha(s[i + 1])) {
		i += 2;
		while (i < len && is_ident_char(s[i]))
			i++;
		dots++;
	}
	return dots ? i - pos : 0;
}

/* Operator from a table at the cursor; word operators need a blank after them, which is
 * consumed with them. */
static const struct op_def *lex_op(struct parser *p, const struct op_def *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct op_def *o = &ops[i];

		if (!starts_with(p, p->pos, o->text, o->len))
			continue;
		if (o->word && (p->pos + o->len >= p->len || !is_blank(p->s[p->pos + o->len])))
			continue;
		took(p, p->pos);
		p->pos += o->len;
		p->last_end = p->pos;
		if (o->word)
			skip_blank(p);
		return o;
	}
	return NULL;
}

/* ---- errors ---- */

/* A short printable rendering of the token at pos, for messages. */
static void describe_at(const struct parser *p, size_t pos, char *buf, size_t size)
{
	size_t end = pos, n = 0;
	char c;

	if (pos >= p->len) {
		snprintf(buf, size, "end of condition");
		return;
	}
	c = p->s[pos];
	if (is_ident_char(c) || c == '.') {
		while (end < p->len && (is_ident_char(p->s[end]) || p->s[end] == '.'))
			end++;
	} else if (strchr("<>=!~", c)) {
		while (end < p->len && p->s[end] && strchr("<>=!~", p->s[end]))
			end++;
	} else {
		end = pos + 1;
	}
	if (size < 8)
		return;
	buf[n++] = '\'';
	for (size_t i = pos; i < end && n + 8 < size; i++) {
		unsigned char u = (unsigned char)p->s[i];

		if (i - pos >= 40) {
			n += (size_t)snprintf(buf + n, size - n, "...");
			break;
		}
		if (u < 0x20 || u >= 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", u);
		else
			buf[n++] = (char)u;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

static void describe_last(const struct parser *p, char *buf, size_t size)
{
	size_t n = VG_MIN(p->last_end - p->last_start, (size_t)40);
	size_t k = 0;

	for (size_t i = 0; i < n && k + 5 < size; i++) {
		unsigned char u = (unsigned char)p->s[p->last_start + i];

		buf[k++] = (u < 0x20 || u >= 0x7f) ? '?' : (char)u;
	}
	buf[k] = '\0';
}

static void VG_PRINTF(4, 5) fail(struct parser *p, size_t pos, int r, const char *fmt, ...)
{
	va_list ap;

	if (p->r)
		return;
	p->r = r;
	if (!p->err)
		return;
	p->err->pos = (uint32_t)VG_MIN(pos, p->len);
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
}

static void fail_oom(struct parser *p)
{
	int r = vg_arena_error(p->a);

	fail(p, p->pos, r ? r : -ENOMEM,
	     r == -E2BIG ? "condition too large for its arena" : "out of memory");
}

static void *alloc(struct parser *p, size_t n)
{
	void *q = vg_arena_alloc(p->a, n);

	if (!q)
		fail_oom(p);
	return q;
}

static char *dup_text(struct parser *p, size_t start, size_t end)
{
	char *q = alloc(p, end - start + 1);

	if (q)
		memcpy(q, p->s + start, end - start);
	return q;
}

/* Grows an arena array (old memory stays in the arena). */
static void *grow(struct parser *p, void *arr, size_t n, size_t *cap, size_t elsize)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *q;

	q = vg_arena_calloc(p->a, ncap, elsize);
	if (!q) {
		fail_oom(p);
		return NULL;
	}
	if (n)
		memcpy(q, arr, n * elsize);
	*cap = ncap;
	return q;
}

static bool depth_push(struct parser *p, size_t pos, unsigned n)
{
	p->depth += n;
	if (p->depth > VG_COND_DEPTH_MAX) {
		fail(p, pos, -E2BIG, "nesting deeper than %d levels of parentheses and 'not'",
		     VG_COND_DEPTH_MAX);
		return false;
	}
	return true;
}

/* ---- strings ---- */

/*
 * QuotedStr: '...' or "..." with libsinsp's escapes: \b \f \n \r \t \\ \/ \xHH, \" only in
 * "-quoted and \' only in '-quoted strings, and "\ " read as a backslash (libsinsp keeps it
 * for rules written with that mistake). Writes the unescaped text to the arena.
 */
static bool lex_quoted(struct parser *p, struct vg_ast_item *ret)
{
	size_t start = p->pos, i = p->pos + 1, end;
	char q = cur(p), *out, *o;

	while (i < p->len && p->s[i] != q)
		i += p->s[i] == '\\' ? 2 : 1;
	if (i >= p->len) {
		fail(p, start, -EBADMSG, "unterminated quoted string");
		return false;
	}
	end = i;
	out = o = alloc(p, end - start);
	if (!out)
		return false;
	for (i = start + 1; i < end; i++) {
		char c = p->s[i];

		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = p->s[++i];
		switch (c) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case ' ':
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case '"':
		case '\'':
			if (c != q) {
				fail(p, i - 1, -EBADMSG,
				     "invalid escape \\%c in a %c-quoted string", c, q);
				return false;
			}
			*o++ = c;
			break;
		case 'x': {
			int v;

			if (i + 2 >= end || !is_hex(p->s[i + 1]) || !is_hex(p->s[i + 2])) {
				fail(p, i - 1, -EBADMSG,
				     "invalid escape: \\x needs two hexadecimal digits");
				return false;
			}
			v = hexval(p->s[i + 1]) << 4 | hexval(p->s[i + 2]);
			if (v == 0) {
				fail(p, i - 1, -EBADMSG, "\\x00 is not allowed in a string");
				return false;
			}
			*o++ = (char)v;
			i += 2;
			break;
		}
		default:
			if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
				fail(p, i - 1, -EBADMSG, "unsupported escape sequence \\\\x%02x",
				     (unsigned char)c);
			else
				fail(p, i - 1, -EBADMSG, "unsupported escape sequence \\%c", c);
			return false;
		}
	}
	*o = '\0';
	p->pos = end + 1;
	took(p, start);
	ret->text = out;
	ret->quoted = true;
	ret->pos = (uint32_t)start;
	return true;
}

static bool lex_bare(struct parser *p, struct vg_ast_item *ret)
{
	size_t start = p->pos;

	while (p->pos < p->len && is_bare_char(p->s[p->pos]))
		p->pos++;
	if (p->pos == start)
		return false;
	took(p, start);
	ret->text = dup_text(p, start, p->pos);
	ret->quoted = false;
	ret->pos = (uint32_t)start;
	return ret->text != NULL;
}

/* StrValue ::= QuotedStr | BareStr. False with p->r unset when none starts here. */
static bool lex_str_value(struct parser *p, struct vg_ast_item *ret)
{
	char c = cur(p);

	if (c == '"' || c == '\'')
		return lex_quoted(p, ret);
	return lex_bare(p, ret);
}

/* NumValue ::= HexNumber | Number */
static bool lex_number(struct parser *p, struct vg_ast_item *ret)
{
	size_t start = p->pos, i = p->pos;

	if (i + 2 < p->len && p->s[i] == '0' && (p->s[i + 1] == 'x' || p->s[i + 1] == 'X') &&
	    is_hex(p->s[i + 2])) {
		i += 2;
		while (i < p->len && is_hex(p->s[i]))
			i++;
	} else {
		if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
			i++;
		if (i >= p->len || !is_digit(p->s[i]))
			return false;
		while (i < p->len && is_digit(p->s[i]))
			i++;
		if (i < p->len && p->s[i] == '.')
			i++;
		while (i < p->len && is_digit(p->s[i]))
			i++;
		/* exponent only when complete: [eE][+-][0-9]+ */
		if (i + 2 < p->len && (p->s[i] == 'e' || p->s[i] == 'E') &&
		    (p->s[i + 1] == '+' || p->s[i + 1] == '-') && is_digit(p->s[i + 2])) {
			i += 2;
			while (i < p->len && is_digit(p->s[i]))
				i++;
		}
	}
	p->pos = i;
	took(p, start);
	ret->text = dup_text(p, start, i);
	ret->quoted = false;
	ret->pos = (uint32_t)start;
	return ret->text != NULL;
}

/* ---- fields and transformers ---- */

/* Field ::= FieldName ('[' FieldArg ']')? at the cursor, which starts a field name. */
static bool parse_field(struct parser *p, size_t name_len, struct vg_ast_field *f)
{
	size_t start = p->pos;

	f->pos = (uint32_t)start;
	f->name = dup_text(p, start, start + name_len);
	if (!f->name)
		return false;
	p->pos += name_len;
	took(p, start);
	if (cur(p) != '[' || at_end(p))
		return true;
	p->pos++;
	if (cur(p) == '"' || cur(p) == '\'') {
		struct vg_ast_item it;

		if (!lex_quoted(p, &it))
			return false;
		f->arg = it.text;
	} else {
		size_t astart = p->pos;

		while (p->pos < p->len && is_arg_bare_char(p->s[p->pos]))
			p->pos++;
		if (p->pos == astart) {
			fail(p, p->pos, -EBADMSG, "expected an argument inside '[' ']' after '%s'",
			     f->name);
			return false;
		}
		f->arg = dup_text(p, astart, p->pos);
		if (!f->arg)
			return false;
	}
	if (cur(p) != ']' || at_end(p)) {
		fail(p, p->pos, -EBADMSG, "expected ']' after the argument of '%s'", f->name);
		return false;
	}
	p->pos++;
	took(p, start);
	return true;
}

static const struct op_def *lex_transformer(struct parser *p)
{
	return lex_op(p, transformers, VG_ARRAY_SIZE(transformers));
}

static bool check_unsupported_transformer(struct parser *p)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(unsupported_transformers); i++) {
		const char *t = unsupported_transformers[i];

		if (starts_with(p, p->pos, t, strlen(t))) {
			fail(p, p->pos, -EBADMSG, "transformer '%.*s' is not supported",
			     (int)strlen(t) - 1, t);
			return true;
		}
	}
	return false;
}

/*
 * The rest of a transformer chain after its first "name(" (already consumed, tr_first):
 * FieldTransformerArg ::= FieldTransformer | Field, then one ')' per transformer.
 * Iterative: nesting is bounded by VG_AST_TRANSFORMERS_MAX.
 */
static bool parse_transformer_chain(struct parser *p, enum vg_transformer tr_first, size_t tr_pos,
				    struct vg_ast_field *f)
{
	enum vg_transformer stack[VG_AST_TRANSFORMERS_MAX];
	size_t opened[VG_AST_TRANSFORMERS_MAX];
	unsigned n = 0;
	const struct op_def *t;
	size_t name_len;

	stack[n] = tr_first;
	opened[n++] = tr_pos;
	for (;;) {
		skip_blank(p);
		t = lex_transformer(p);
		if (!t)
			break;
		if (n == VG_AST_TRANSFORMERS_MAX) {
			fail(p, p->last_start, -E2BIG, "more than %d nested transformers",
			     VG_AST_TRANSFORMERS_MAX);
			return false;
		}
		stack[n] = t->op;
		opened[n++] = p->last_start;
	}
	name_len = field_name_len(p->s, p->len, p->pos);
	if (!name_len) {
		char what[64];

		if (check_unsupported_transformer(p))
			return false;
		if (starts_with(p, p->pos, "val(", 4)) {
			fail(p, p->pos, -EBADMSG, "val() cannot be used inside a transformer");
			return false;
		}
		describe_at(p, p->pos, what, sizeof(what));
		fail(p, p->pos, -EBADMSG, "expected a field inside '%s(', got %s",
		     vg_transformer_name(stack[n - 1]), what);
		return false;
	}
	if (!parse_field(p, name_len, f))
		return false;
	/* innermost first */
	for (unsigned i = 0; i < n; i++) {
		enum vg_transformer tr = stack[n - 1 - i];

		f->tr[i] = tr;
		skip_blank(p);
		if (cur(p) == ',' && !at_end(p)) {
			fail(p, p->pos, -EBADMSG, "transformer '%s' takes a single argument",
			     vg_transformer_name(tr));
			return false;
		}
		if (cur(p) != ')' || at_end(p)) {
			fail(p, at_end(p) ? opened[n - 1 - i] : p->pos, -EBADMSG,
			     "unbalanced parenthesis: expected ')' closing '%s('",
			     vg_transformer_name(tr));
			return false;
		}
		p->pos++;
		took(p, p->pos - 1);
		if (cur(p) == '[' && !at_end(p)) {
			fail(p, p->pos, -EBADMSG,
			     "an argument after a transformer's ')' is not supported");
			return false;
		}
	}
	f->n_tr = n;
	return true;
}

/*
 * FieldTransformerOrVal on the right-hand side. Returns 1 when one was parsed into f, 0 when
 * none starts here, -1 on error.
 */
static int try_rhs_transformer(struct parser *p, struct vg_ast_field *f)
{
	const struct op_def *t;
	size_t start = p->pos, name_len;

	if (lex_str(p, "val(", 4)) {
		skip_blank(p);
		name_len = field_name_len(p->s, p->len, p->pos);
		if (!name_len) {
			fail(p, p->pos, -EBADMSG, "expected a field inside 'val('");
			return -1;
		}
		if (!parse_field(p, name_len, f))
			return -1;
		f->tr[0] = VG_TR_VAL;
		f->n_tr = 1;
		skip_blank(p);
		if (cur(p) != ')' || at_end(p)) {
			fail(p, at_end(p) ? start : p->pos, -EBADMSG,
			     "unbalanced parenthesis: expected ')' closing 'val('");
			return -1;
		}
		p->pos++;
		took(p, p->pos - 1);
		if (cur(p) == '[' && !at_end(p)) {
			fail(p, p->pos, -EBADMSG,
			     "an argument after a transformer's ')' is not supported");
			return -1;
		}
		return 1;
	}
	t = lex_transformer(p);
	if (t)
		return parse_transformer_chain(p, t->op, start, f) ? 1 : -1;
	if (check_unsupported_transformer(p))
		return -1;
	return 0;
}

/* ---- right-hand sides ---- */

/* '(' items ')' with the cursor on '(' */
static bool parse_list(struct parser *p, struct vg_ast_node *n)
{
	size_t open = p->pos, cap = 0;
	struct vg_ast_item it;
	char what[64];

	p->pos++;
	took(p, open);
	skip_blank(p);
	if (cur(p) == ')' && !at_end(p)) {
		p->pos++;
		took(p, p->pos - 1);
		n->rhs_kind = VG_RHS_LIST;
		return true;
	}
	for (;;) {
		skip_blank(p);
		if (!lex_str_value(p, &it)) {
			if (p->r)
				return false;
			if (at_end(p))
				fail(p, open, -EBADMSG,
				     "unbalanced parenthesis: list opened here is not closed");
			else if (cur(p) == '(')
				fail(p, p->pos, -EBADMSG,
				     "nested parentheses are not allowed in a list");
			else {
				describe_at(p, p->pos, what, sizeof(what));
				fail(p, p->pos, -EBADMSG, "expected a list item, got %s", what);
			}
			return false;
		}
		if (n->n_items == VG_LIST_ITEMS_MAX) {
			fail(p, it.pos, -E2BIG, "list has more than %d items", VG_LIST_ITEMS_MAX);
			return false;
		}
		if (n->n_items == cap) {
			n->items = grow(p, n->items, n->n_items, &cap, sizeof(*n->items));
			if (!n->items)
				return false;
		}
		n->items[n->n_items++] = it;
		skip_blank(p);
		if (at_end(p)) {
			fail(p, open, -EBADMSG,
			     "unbalanced parenthesis: list opened here is not closed");
			return false;
		}
		if (cur(p) == ',') {
			p->pos++;
			continue;
		}
		if (cur(p) == ')') {
			p->pos++;
			took(p, p->pos - 1);
			break;
		}
		if (cur(p) == '(')
			fail(p, p->pos, -EBADMSG, "nested parentheses are not allowed in a list");
		else {
			describe_at(p, p->pos, what, sizeof(what));
			fail(p, p->pos, -EBADMSG, "expected ',' or ')' after a list item, got %s",
			     what);
		}
		return false;
	}
	n->rhs_kind = VG_RHS_LIST;
	return true;
}

/* ListValue ::= '(' items ')' | Identifier; with_tr: or FieldTransformerOrVal */
static bool parse_list_value(struct parser *p, struct vg_ast_node *n, const char *after,
			     bool with_tr)
{
	size_t len;
	char what[64];

	skip_blank(p);
	if (cur(p) == '(' && !at_end(p))
		return parse_list(p, n);
	if (with_tr) {
		int r = try_rhs_transformer(p, &n->rhs_field);

		if (r < 0)
			return false;
		if (r > 0) {
			n->rhs_kind = VG_RHS_FIELD;
			return true;
		}
	}
	len = ident_len(p, p->pos);
	if (len) {
		n->value.pos = (uint32_t)p->pos;
		n->value.text = dup_text(p, p->pos, p->pos + len);
		if (!n->value.text)
			return false;
		p->pos += len;
		took(p, n->value.pos);
		n->rhs_kind = VG_RHS_LISTNAME;
		return true;
	}
	describe_at(p, p->pos, what, sizeof(what));
	fail(p, p->pos, -EBADMSG, "expected a list or a list name after '%s', got %s", after, what);
	return false;
}

static bool bool_keyword_at(const struct parser *p, size_t pos)
{
	static const char *const kw[] = {"and", "or", "not"};

	for (size_t i = 0; i < VG_ARRAY_SIZE(kw); i++) {
		size_t k = strlen(kw[i]);

		if (starts_with(p, pos, kw[i], k) &&
		    (pos + k >= p->len || !(is_alpha(p->s[pos + k]) || is_digit(p->s[pos + k]))))
			return true;
	}
	return false;
}

/* Condition ::= UnaryOperator | NumOperator ... | StrOperator ... | ListOperator ... */
static bool parse_condition(struct parser *p, struct vg_ast_node *n)
{
	const struct op_def *o;
	const char *opname;
	char what[64], last[48];
	int r;

	describe_last(p, last, sizeof(last));
	skip_blank(p);
	if (lex_str(p, "exists", 6)) {
		n->op = VG_OP_EXISTS;
		n->rhs_kind = VG_RHS_NONE;
		return true;
	}
	o = lex_op(p, num_ops, VG_ARRAY_SIZE(num_ops));
	if (o) {
		n->op = o->op;
		opname = o->text;
		skip_blank(p);
		r = try_rhs_transformer(p, &n->rhs_field);
		if (r < 0)
			return false;
		if (r > 0) {
			n->rhs_kind = VG_RHS_FIELD;
			return true;
		}
		if (lex_number(p, &n->value)) {
			n->rhs_kind = VG_RHS_VALUE;
			return true;
		}
		if (p->r)
			return false;
		describe_at(p, p->pos, what, sizeof(what));
		fail(p, p->pos, -EBADMSG, "expected a number after '%s', got %s", opname, what);
		return false;
	}
	o = lex_op(p, str_ops, VG_ARRAY_SIZE(str_ops));
	if (o) {
		bool had_blank = o->word || skip_blank(p);
		size_t save = p->pos;
		const struct op_def *m;

		n->op = o->op;
		opname = o->text;
		if (had_blank) {
			m = lex_op(p, modifiers, VG_ARRAY_SIZE(modifiers));
			if (m && ((cur(p) == '(' && !at_end(p)) || ident_len(p, p->pos)) &&
			    !bool_keyword_at(p, p->pos)) {
				n->mod = m->op;
				return parse_list_value(p, n, m->text, false);
			}
			p->pos = save;
		}
		skip_blank(p);
		r = try_rhs_transformer(p, &n->rhs_field);
		if (r < 0)
			return false;
		if (r > 0) {
			n->rhs_kind = VG_RHS_FIELD;
			return true;
		}
		if (lex_str_value(p, &n->value)) {
			n->rhs_kind = VG_RHS_VALUE;
			return true;
		}
		if (p->r)
			return false;
		describe_at(p, p->pos, what, sizeof(what));
		fail(p, p->pos, -EBADMSG, "expected a value after '%s', got %s", opname, what);
		return false;
	}
	o = lex_op(p, list_ops, VG_ARRAY_SIZE(list_ops));
	if (o) {
		n->op = o->op;
		return parse_list_value(p, n, o->text, true);
	}
	/* nothing matched: say what was there */
	if (at_end(p)) {
		fail(p, p->pos, -EBADMSG, "expected an operator after '%s'", last);
		return false;
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(str_ops); i++) {
		size_t e = p->pos + str_ops[i].len;

		if (str_ops[i].word && starts_with(p, p->pos, str_ops[i].text, str_ops[i].len) &&
		    (e >= p->len || !is_ident_char(p->s[e]))) {
			if (e >= p->len)
				fail(p, e, -EBADMSG, "expected a value after '%s'",
				     str_ops[i].text);
			else
				fail(p, e, -EBADMSG, "expected a blank after '%s'",
				     str_ops[i].text);
			return false;
		}
	}
	if (cur(p) == '[') {
		fail(p, p->pos, -EBADMSG, "no blank allowed between a field and its '['");
		return false;
	}
	describe_at(p, p->pos, what, sizeof(what));
	fail(p, p->pos, -EBADMSG, "unknown operator %s after '%s'", what, last);
	return false;
}

static struct vg_ast_node *new_node(struct parser *p, enum vg_ast_kind kind, size_t pos)
{
	struct vg_ast_node *n = alloc(p, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->pos = (uint32_t)pos;
	}
	return n;
}

static struct vg_ast_node *parse_or(struct parser *p);

/* After a '(' at open: Expr ')' */
static struct vg_ast_node *parse_group(struct parser *p, size_t open)
{
	struct vg_ast_node *n;
	char what[64], last[48];

	if (!depth_push(p, open, 1))
		return NULL;
	n = parse_or(p);
	p->depth--;
	if (!n)
		return NULL;
	skip_blank(p);
	if (cur(p) == ')' && !at_end(p)) {
		p->pos++;
		took(p, p->pos - 1);
		return n;
	}
	if (at_end(p)) {
		fail(p, open, -EBADMSG, "unbalanced parenthesis: '(' is not closed");
		return NULL;
	}
	describe_last(p, last, sizeof(last));
	describe_at(p, p->pos, what, sizeof(what));
	fail(p, p->pos, -EBADMSG, "unexpected %s after '%s', expected 'and', 'or' or ')'", what,
	     last);
	return NULL;
}

/* Check ::= Field Condition | FieldTransformer Condition | Identifier | '(' Expr ')' */
static struct vg_ast_node *parse_check(struct parser *p)
{
	struct vg_ast_node *n;
	const struct op_def *t;
	size_t start, len;
	char what[64];

	skip_blank(p);
	start = p->pos;
	if (cur(p) == '(' && !at_end(p)) {
		p->pos++;
		took(p, start);
		return parse_group(p, start);
	}
	len = field_name_len(p->s, p->len, p->pos);
	if (len) {
		n = new_node(p, VG_AST_CHECK, start);
		if (!n || !parse_field(p, len, &n->field) || !parse_condition(p, n))
			return NULL;
		return n;
	}
	t = lex_transformer(p);
	if (t) {
		n = new_node(p, VG_AST_CHECK, start);
		if (!n || !parse_transformer_chain(p, t->op, start, &n->field) ||
		    !parse_condition(p, n))
			return NULL;
		return n;
	}
	if (check_unsupported_transformer(p))
		return NULL;
	if (starts_with(p, p->pos, "val(", 4)) {
		fail(p, p->pos, -EBADMSG, "val() can only be used on the right of an operator");
		return NULL;
	}
	len = ident_len(p, p->pos);
	if (len) {
		n = new_node(p, VG_AST_IDENT, start);
		if (!n)
			return NULL;
		n->ident = dup_text(p, start, start + len);
		if (!n->ident)
			return NULL;
		p->pos += len;
		took(p, start);
		return n;
	}
	if (at_end(p)) {
		char last[48];

		describe_last(p, last, sizeof(last));
		fail(p, p->pos, -EBADMSG,
		     "unexpected end of condition after '%s', expected a field check, a macro "
		     "name or '('",
		     last);
	} else if (cur(p) == ')') {
		fail(p, p->pos, -EBADMSG,
		     "unexpected ')', expected a field check, a macro name or '('");
	} else {
		describe_at(p, p->pos, what, sizeof(what));
		fail(p, p->pos, -EBADMSG,
		     "unexpected %s, expected a field check, a macro name or '('", what);
	}
	return NULL;
}

/* NotExpr ::= ('not' blank+)* ('not(' Expr ')' | Check); double negations cancel out. */
static struct vg_ast_node *parse_not(struct parser *p)
{
	struct vg_ast_node *child, *n;
	unsigned nots = 0;
	size_t start;

	skip_blank(p);
	start = p->pos;
	for (;;) {
		if (starts_with(p, p->pos, "not", 3) && p->pos + 3 < p->len &&
		    is_blank(p->s[p->pos + 3])) {
			if (!depth_push(p, p->pos, 1))
				return NULL;
			nots++;
			p->pos += 3;
			took(p, p->pos - 3);
			skip_blank(p);
			continue;
		}
		break;
	}
	if (starts_with(p, p->pos, "not(", 4)) {
		size_t open = p->pos + 3;

		if (!depth_push(p, p->pos, 1))
			return NULL;
		nots++;
		p->pos += 4;
		took(p, open);
		child = parse_group(p, open);
	} else {
		child = parse_check(p);
	}
	p->depth -= nots;
	if (!child || nots % 2 == 0)
		return child;
	n = new_node(p, VG_AST_NOT, start);
	if (!n)
		return NULL;
	n->children = alloc(p, sizeof(*n->children));
	if (!n->children)
		return NULL;
	n->children[0] = child;
	n->n_children = 1;
	return n;
}

/*
 * AndExpr ::= NotExpr ('and' (blank NotExpr | '(' Expr ')'))*, and the same for OrExpr
 * over AndExpr: one n-ary node per run of the same keyword.
 */
static struct vg_ast_node *parse_binary(struct parser *p, bool is_or)
{
	const char *kw = is_or ? "or" : "and";
	size_t kwlen = is_or ? 2 : 3, cap = 0, start;
	struct vg_ast_node *child, *n = NULL;
	struct vg_ast_node **kids = NULL;
	unsigned nk = 0;

	skip_blank(p);
	start = p->pos;
	child = is_or ? parse_binary(p, false) : parse_not(p);
	if (!child)
		return NULL;
	skip_blank(p);
	while (starts_with(p, p->pos, kw, kwlen)) {
		size_t kpos = p->pos;

		if (nk == 0) {
			kids = grow(p, NULL, 0, &cap, sizeof(*kids));
			if (!kids)
				return NULL;
			kids[nk++] = child;
		}
		p->pos += kwlen;
		took(p, kpos);
		if (skip_blank(p)) {
			child = is_or ? parse_binary(p, false) : parse_not(p);
		} else if (cur(p) == '(' && !at_end(p)) {
			size_t open = p->pos++;

			child = parse_group(p, open);
		} else {
			char what[64];

			if (at_end(p)) {
				fail(p, p->pos, -EBADMSG, "unexpected end of condition after '%s'",
				     kw);
				return NULL;
			}
			describe_at(p, kpos, what, sizeof(what));
			fail(p, p->pos, -EBADMSG, "expected a blank or '(' after '%s' in %s", kw,
			     what);
			return NULL;
		}
		if (!child)
			return NULL;
		if (nk == cap) {
			kids = grow(p, kids, nk, &cap, sizeof(*kids));
			if (!kids)
				return NULL;
		}
		kids[nk++] = child;
		skip_blank(p);
	}
	if (nk == 0)
		return child;
	n = new_node(p, is_or ? VG_AST_OR : VG_AST_AND, start);
	if (!n)
		return NULL;
	n->children = kids;
	n->n_children = nk;
	return n;
}

static struct vg_ast_node *parse_or(struct parser *p)
{
	return parse_binary(p, true);
}

int vg_cond_parse(const char *text, size_t len, struct vg_arena *a, struct vg_ast_node **ret,
		  struct vg_parse_error *err)
{
	struct parser p = {.s = text, .len = len, .a = a, .err = err};
	struct vg_ast_node *n;
	const char *nul;

	if (err)
		*err = (struct vg_parse_error){0};
	if ((!text && len) || !a || !ret)
		return -EINVAL;
	if (len > VG_COND_LEN_MAX) {
		fail(&p, 0, -E2BIG, "condition longer than %u bytes", VG_COND_LEN_MAX);
		return p.r;
	}
	nul = len ? memchr(text, '\0', len) : NULL;
	if (nul) {
		fail(&p, (size_t)(nul - text), -EBADMSG, "NUL byte in condition");
		return p.r;
	}
	skip_blank(&p);
	if (at_end(&p)) {
		fail(&p, p.pos, -EBADMSG, "empty condition");
		return p.r;
	}
	n = parse_or(&p);
	if (!n)
		return p.r ? p.r : -EBADMSG;
	skip_blank(&p);
	if (!at_end(&p)) {
		char what[64], last[48];

		describe_last(&p, last, sizeof(last));
		if (cur(&p) == ')')
			fail(&p, p.pos, -EBADMSG, "unbalanced parenthesis: unexpected ')'");
		else {
			describe_at(&p, p.pos, what, sizeof(what));
			fail(&p, p.pos, -EBADMSG,
			     "unexpected %s after '%s', expected 'and', 'or' or the end of the "
			     "condition",
			     what, last);
		}
		return p.r;
	}
	*ret = n;
	return 0;
}

/*
 * %field in an output: [transformer(...)]FieldName['[' arg ']'][')'...]. Name and argument
 * are copied to argbuf as "name\0arg\0"; ret->name and ret->arg point there.
 */
size_t vg_output_field_scan(const char *text, size_t len, struct vg_ast_field *ret, char *argbuf,
			    size_t argsize)
{
	enum vg_transformer tr[VG_AST_TRANSFORMERS_MAX];
	size_t i = 0, name_start, name_len, arg_start = 0, arg_len = 0, need;
	unsigned n_tr = 0;

	if (!ret)
		return 0;
	*ret = (struct vg_ast_field){0};
	if (!text)
		return 0;
	for (;;) {
		bool found = false;

		for (size_t k = 0; k < VG_ARRAY_SIZE(transformers); k++) {
			const struct op_def *t = &transformers[k];

			if (len - i > t->len && memcmp(text + i, t->text, t->len) == 0) {
				if (n_tr == VG_AST_TRANSFORMERS_MAX)
					return 0;
				tr[n_tr++] = t->op;
				i += t->len;
				found = true;
				break;
			}
		}
		if (!found)
			break;
	}
	name_start = i;
	name_len = field_name_len(text, len, i);
	if (!name_len)
		return 0;
	i += name_len;
	if (i < len && text[i] == '[') {
		size_t j = i + 1;

		if (j < len && (text[j] == '"' || text[j] == '\'')) {
			/* quoted argument: kept as written between the quotes, no escapes */
			char q = text[j];

			arg_start = j + 1;
			j++;
			while (j < len && text[j] != q && text[j] != '\0')
				j++;
			if (j >= len || text[j] != q)
				return 0;
			arg_len = j - arg_start;
			j++;
		} else {
			arg_start = j;
			while (j < len && is_arg_bare_char(text[j]))
				j++;
			arg_len = j - arg_start;
			if (!arg_len)
				return 0;
		}
		if (j >= len || text[j] != ']')
			return 0;
		i = j + 1;
	}
	for (unsigned k = 0; k < n_tr; k++) {
		if (i >= len || text[i] != ')')
			return 0;
		i++;
		ret->tr[k] = tr[n_tr - 1 - k];
	}
	ret->n_tr = n_tr;
	ret->pos = (uint32_t)name_start;
	if (!argbuf)
		return i;
	need = name_len + 1 + (arg_start ? arg_len + 1 : 0);
	if (need > argsize) {
		*ret = (struct vg_ast_field){0};
		return 0;
	}
	memcpy(argbuf, text + name_start, name_len);
	argbuf[name_len] = '\0';
	ret->name = argbuf;
	if (arg_start) {
		memcpy(argbuf + name_len + 1, text + arg_start, arg_len);
		argbuf[name_len + 1 + arg_len] = '\0';
		ret->arg = argbuf + name_len + 1;
	}
	return i;
}
