/* SPDX-License-Identifier: Apache-2.0 */
/* The condition parser: precedence, operators, lists, transformers, errors, limits, and
 * every condition of the upstream Falco rule files. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/arena.h"
#include "rules/parse.h"
#include "shared/yaml.h"
#include "tap.h"

/* ---- an S-expression rendering of the tree, to compare with expectations ---- */

struct out {
	char buf[8192];
	size_t n;
};

static void VG_PRINTF(2, 3) outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->n >= sizeof(o->buf))
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->buf + o->n, sizeof(o->buf) - o->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k;
}

static void dump_item(struct out *o, const struct vg_ast_item *it)
{
	if (it->quoted)
		outf(o, "\"%s\"", it->text);
	else
		outf(o, "%s", it->text);
}

static void dump_field(struct out *o, const struct vg_ast_field *f)
{
	for (unsigned i = f->n_tr; i > 0; i--)
		outf(o, "%s(", vg_transformer_name(f->tr[i - 1]));
	outf(o, "%s", f->name);
	if (f->arg)
		outf(o, "[%s]", f->arg);
	for (unsigned i = 0; i < f->n_tr; i++)
		outf(o, ")");
}

static void dump(struct out *o, const struct vg_ast_node *n)
{
	switch (n->kind) {
	case VG_AST_AND:
	case VG_AST_OR:
	case VG_AST_NOT:
		outf(o, "(%s", n->kind == VG_AST_AND ? "and" : n->kind == VG_AST_OR ? "or" : "not");
		for (unsigned i = 0; i < n->n_children; i++) {
			outf(o, " ");
			dump(o, n->children[i]);
		}
		outf(o, ")");
		break;
	case VG_AST_IDENT:
		outf(o, "%s", n->ident);
		break;
	case VG_AST_CHECK:
		outf(o, "{");
		dump_field(o, &n->field);
		outf(o, " %s", vg_cmp_op_name(n->op));
		if (n->mod)
			outf(o, " %s", vg_op_modifier_name(n->mod));
		switch (n->rhs_kind) {
		case VG_RHS_NONE:
			break;
		case VG_RHS_VALUE:
			outf(o, " ");
			dump_item(o, &n->value);
			break;
		case VG_RHS_LISTNAME:
			outf(o, " @%s", n->value.text);
			break;
		case VG_RHS_LIST:
			outf(o, " (");
			for (unsigned i = 0; i < n->n_items; i++) {
				if (i)
					outf(o, ", ");
				dump_item(o, &n->items[i]);
			}
			outf(o, ")");
			break;
		case VG_RHS_FIELD:
			outf(o, " ");
			dump_field(o, &n->rhs_field);
			break;
		}
		outf(o, "}");
		break;
	}
}

static int parse_dump(const char *cond, struct out *o, struct vg_parse_error *err)
{
	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	int r;

	vg_arena_init(&a, 0);
	o->n = 0;
	o->buf[0] = '\0';
	r = vg_cond_parse(cond, strlen(cond), &a, &n, err);
	if (r == 0)
		dump(o, n);
	vg_arena_done(&a);
	return r;
}

static void expect_tree(const char *cond, const char *want)
{
	struct vg_parse_error err;
	struct out o;
	int r;

	r = parse_dump(cond, &o, &err);
	if (r < 0)
		tap_diag("'%s': %s at %u\n", cond, err.msg, err.pos);
	ASSERT_OK(r);
	if (strcmp(o.buf, want) != 0)
		tap_diag("'%s'\n#   got  %s\n#   want %s\n", cond, o.buf, want);
	ASSERT_STREQ(o.buf, want);
}

#define T(cond, want) expect_tree(cond, want)

TEST(precedence)
{
	T("a", "a");
	T("a and b", "(and a b)");
	T("a or b", "(or a b)");
	T("a and b and c", "(and a b c)");
	T("a or b or c", "(or a b c)");
	T("a or b and c", "(or a (and b c))");
	T("a and b or c", "(or (and a b) c)");
	T("a and b or c and d", "(or (and a b) (and c d))");
	T("not a", "(not a)");
	T("not a and b", "(and (not a) b)");
	T("not a or b", "(or (not a) b)");
	T("a and not b or c", "(or (and a (not b)) c)");
	T("not (a or b)", "(not (or a b))");
	T("not(a or b) and c", "(and (not (or a b)) c)");
	T("not not a", "a");
	T("not not not a", "(not a)");
	T("not not(a)", "a");
	T("(a or b) and c", "(and (or a b) c)");
	T("a and (b or c)", "(and a (or b c))");
	T("((a))", "a");
	T("(a) and(b) or(c)", "(or (and a b) c)");
	T("a and\tb\nor\r\nc", "(or (and a b) c)");
	T("  a  ", "a");
	/* identifiers that start like keywords */
	T("notable and order_x", "(and notable order_x)");
	T("not_a or android", "(or not_a android)");
	T("nothing", "nothing");
	T("not", "not");
}

TEST(every_operator)
{
	static const struct {
		const char *cond;
		enum vg_cmp_op op;
		const char *name;
	} ops[] = {
		{"proc.name = x", VG_OP_EQ, "="},
		{"proc.name == x", VG_OP_EQ, "="},
		{"proc.name=x", VG_OP_EQ, "="},
		{"proc.name==x", VG_OP_EQ, "="},
		{"proc.name != x", VG_OP_NE, "!="},
		{"proc.name!=x", VG_OP_NE, "!="},
		{"fd.num < 3", VG_OP_LT, "<"},
		{"fd.num<3", VG_OP_LT, "<"},
		{"fd.num <= 3", VG_OP_LE, "<="},
		{"fd.num > 3", VG_OP_GT, ">"},
		{"fd.num >= 3", VG_OP_GE, ">="},
		{"fd.num>=3", VG_OP_GE, ">="},
		{"proc.name contains x", VG_OP_CONTAINS, "contains"},
		{"proc.name icontains x", VG_OP_ICONTAINS, "icontains"},
		{"evt.buffer bcontains 43484f", VG_OP_BCONTAINS, "bcontains"},
		{"proc.name startswith x", VG_OP_STARTSWITH, "startswith"},
		{"evt.buffer bstartswith 7f454c46", VG_OP_BSTARTSWITH, "bstartswith"},
		{"proc.name endswith x", VG_OP_ENDSWITH, "endswith"},
		{"fd.name glob /etc/*", VG_OP_GLOB, "glob"},
		{"fd.name iglob /ETC/*", VG_OP_IGLOB, "iglob"},
		{"proc.cmdline regex ^a.*b$", VG_OP_REGEX, "regex"},
		{"proc.name in (x)", VG_OP_IN, "in"},
		{"proc.name in(x)", VG_OP_IN, "in"},
		{"proc.aname intersects (x)", VG_OP_INTERSECTS, "intersects"},
		{"fd.name pmatch (/etc)", VG_OP_PMATCH, "pmatch"},
		{"proc.name exists", VG_OP_EXISTS, "exists"},
	};
	struct vg_parse_error err;
	struct vg_arena a;

	vg_arena_init(&a, 0);
	for (size_t i = 0; i < VG_ARRAY_SIZE(ops); i++) {
		struct vg_ast_node *n = NULL;

		if (vg_cond_parse(ops[i].cond, strlen(ops[i].cond), &a, &n, &err) < 0)
			tap_diag("'%s': %s at %u\n", ops[i].cond, err.msg, err.pos);
		ASSERT_NOT_NULL(n);
		ASSERT_EQ(n->kind, VG_AST_CHECK);
		ASSERT_EQ(n->op, ops[i].op);
		ASSERT_STREQ(vg_cmp_op_name(n->op), ops[i].name);
		ASSERT_EQ(n->mod, VG_MOD_NONE);
		ASSERT_EQ(n->rhs_kind, n->op == VG_OP_EXISTS ? VG_RHS_NONE
				       : n->op >= VG_OP_IN   ? VG_RHS_LIST
							     : VG_RHS_VALUE);
	}
	for (int op = VG_OP_EQ; op < VG_OP__MAX; op++)
		ASSERT_TRUE(strcmp(vg_cmp_op_name(op), "unknown") != 0);
	ASSERT_STREQ(vg_cmp_op_name(0), "unknown");
	ASSERT_STREQ(vg_cmp_op_name(VG_OP__MAX), "unknown");
	vg_arena_done(&a);
}

TEST(values)
{
	T("proc.name = bash", "{proc.name = bash}");
	T("proc.name = 'ba sh'", "{proc.name = \"ba sh\"}");
	T("proc.name = \"ba sh\"", "{proc.name = \"ba sh\"}");
	T("proc.name = ''", "{proc.name = \"\"}");
	T("user.loginuid = -1", "{user.loginuid = -1}");
	T("evt.dir = <", "{evt.dir = <}");
	T("evt.dir=>", "{evt.dir = >}");
	T("fd.name = /a/b[0]{x}", "{fd.name = /a/b[0]{x}}");
	T("fd.num >= 0x1F", "{fd.num >= 0x1F}");
	T("fd.num < -3", "{fd.num < -3}");
	T("fd.num < +3.5e+10", "{fd.num < +3.5e+10}");
	T("fd.num < 3.", "{fd.num < 3.}");
	T("proc.args endswith \\", "{proc.args endswith \\}");
	T("(proc.args endswith \\)", "{proc.args endswith \\}");
	T("proc.name=a and proc.name!=b", "(and {proc.name = a} {proc.name != b})");
	/* operators need a blank only after words */
	T("proc.name contains\tx", "{proc.name contains x}");
	T("proc.name contains\n\"x\"", "{proc.name contains \"x\"}");
	T("proc.name exists and a", "(and {proc.name exists} a)");
}

TEST(escapes)
{
	T("proc.name = \"a\\\"b\"", "{proc.name = \"a\"b\"}");
	T("proc.name = 'a\\'b'", "{proc.name = \"a'b\"}");
	T("proc.name = 'a\"b'", "{proc.name = \"a\"b\"}");
	T("proc.name = \"a'b\"", "{proc.name = \"a'b\"}");
	T("proc.name = \"a\\\\b\"", "{proc.name = \"a\\b\"}");
	T("proc.name = \"a\\/b\"", "{proc.name = \"a/b\"}");
	T("proc.name = \"\\x41\\x7e\"", "{proc.name = \"A~\"}");
	/* libsinsp reads "\ " as a backslash (falco-sandbox_rules.yaml relies on it) */
	T("proc.args contains \"\\ \"", "{proc.args contains \"\\\"}");

	struct vg_parse_error err;
	struct out o;

	ASSERT_OK(parse_dump("proc.name = \"\\t\\n\\r\\b\\f\"", &o, &err));
	ASSERT_STREQ(o.buf, "{proc.name = \"\t\n\r\b\f\"}");
}

TEST(modifiers)
{
	T("fd.name startswith oneof (/a, /b)", "{fd.name startswith oneof (/a, /b)}");
	T("fd.name contains anyof (a)", "{fd.name contains anyof (a)}");
	T("fd.name endswith allof\t(a, b)", "{fd.name endswith allof (a, b)}");
	T("fd.name = oneof (a)", "{fd.name = oneof (a)}");
	T("fd.name == oneof (a)", "{fd.name = oneof (a)}");
	T("fd.name != anyof (a)", "{fd.name != anyof (a)}");
	T("fd.name glob oneof (/a/*)", "{fd.name glob oneof (/a/*)}");
	T("fd.name regex oneof (x)", "{fd.name regex oneof (x)}");
	T("fd.name startswith oneof my_list", "{fd.name startswith oneof @my_list}");
	T("fd.name startswith oneof ()", "{fd.name startswith oneof ()}");
	/* not a modifier: value named like one */
	T("fd.name = oneof", "{fd.name = oneof}");
	T("fd.name contains oneof and a", "(and {fd.name contains oneof} a)");
	T("fd.name contains anyof or a", "(or {fd.name contains anyof} a)");
	T("fd.name =oneof", "{fd.name = oneof}");
	T("fd.name contains oneofx", "{fd.name contains oneofx}");
}

TEST(lists)
{
	T("proc.name in (a, b, c)", "{proc.name in (a, b, c)}");
	T("proc.name in (a,b,c)", "{proc.name in (a, b, c)}");
	T("proc.name in ( a , b )", "{proc.name in (a, b)}");
	T("proc.name in ()", "{proc.name in ()}");
	T("proc.name in ( )", "{proc.name in ()}");
	T("proc.name in (\"a b\", 'c, d', \"(x)\", e)",
	  "{proc.name in (\"a b\", \"c, d\", \"(x)\", e)}");
	T("proc.name in (shell_binaries, bash)", "{proc.name in (shell_binaries, bash)}");
	T("proc.name in shell_binaries", "{proc.name in @shell_binaries}");
	T("proc.name inshell_binaries", "{proc.name in @shell_binaries}");
	T("proc.name in (\n  a,\n  b\n)", "{proc.name in (a, b)}");
	T("proc.name in (1, -2, 0x3, /usr/bin/x, C:\\x)",
	  "{proc.name in (1, -2, 0x3, /usr/bin/x, C:\\x)}");
	T("fd.name pmatch (/etc, /usr/bin)", "{fd.name pmatch (/etc, /usr/bin)}");
	T("proc.aname intersects my_names", "{proc.aname intersects @my_names}");

	/* quoted items are never list names */
	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	struct vg_parse_error err;
	const char *c = "proc.name in (x, 'y')";

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_cond_parse(c, strlen(c), &a, &n, &err));
	ASSERT_EQ(n->rhs_kind, VG_RHS_LIST);
	ASSERT_EQ(n->n_items, 2u);
	ASSERT_FALSE(n->items[0].quoted);
	ASSERT_TRUE(n->items[1].quoted);
	ASSERT_EQ(n->items[0].pos, 14u);
	ASSERT_EQ(n->items[1].pos, 17u);
	vg_arena_done(&a);
}

TEST(transformers)
{
	T("tolower(proc.name) = bash", "{tolower(proc.name) = bash}");
	T("toupper(proc.name) = BASH", "{toupper(proc.name) = BASH}");
	T("b64(proc.name) = 'YmFzaA=='", "{b64(proc.name) = \"YmFzaA==\"}");
	T("basename(proc.exepath) = bash", "{basename(proc.exepath) = bash}");
	T("len(proc.args) > 100", "{len(proc.args) > 100}");
	T("tolower(basename(proc.exepath)) = bash", "{tolower(basename(proc.exepath)) = bash}");
	T("tolower( basename( proc.exepath ) ) in (a)", "{tolower(basename(proc.exepath)) in (a)}");
	T("tolower(proc.aname[2]) = x", "{tolower(proc.aname[2]) = x}");
	T("len(proc.args) exists", "{len(proc.args) exists}");

	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	struct vg_parse_error err;
	const char *c = "toupper(b64(tolower(proc.name))) = X";

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_cond_parse(c, strlen(c), &a, &n, &err));
	ASSERT_EQ(n->field.n_tr, 3u);
	ASSERT_EQ(n->field.tr[0], VG_TR_TOLOWER); /* innermost first */
	ASSERT_EQ(n->field.tr[1], VG_TR_B64);
	ASSERT_EQ(n->field.tr[2], VG_TR_TOUPPER);
	ASSERT_STREQ(n->field.name, "proc.name");
	ASSERT_EQ(n->field.pos, 20u); /* the field name */
	ASSERT_EQ(n->pos, 0u); /* the check */
	vg_arena_done(&a);
}

TEST(rhs_fields)
{
	T("fd.name = val(proc.exepath)", "{fd.name = val(proc.exepath)}");
	T("fd.name=val( proc.exepath )", "{fd.name = val(proc.exepath)}");
	T("proc.pid != val(proc.ppid)", "{proc.pid != val(proc.ppid)}");
	T("proc.pid > val(proc.ppid)", "{proc.pid > val(proc.ppid)}");
	T("fd.name startswith val(proc.cwd)", "{fd.name startswith val(proc.cwd)}");
	T("proc.name in val(proc.pname)", "{proc.name in val(proc.pname)}");
	T("proc.name = tolower(proc.pname)", "{proc.name = tolower(proc.pname)}");
	T("proc.name = tolower(basename(proc.aexe[1]))",
	  "{proc.name = tolower(basename(proc.aexe[1]))}");
	T("len(proc.name) < len(proc.pname)", "{len(proc.name) < len(proc.pname)}");
	T("proc.name = val(proc.aname[1])", "{proc.name = val(proc.aname[1])}");
	T("proc.name = val", "{proc.name = val}");

	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	struct vg_parse_error err;
	const char *c = "fd.name = val(proc.exepath)";

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_cond_parse(c, strlen(c), &a, &n, &err));
	ASSERT_EQ(n->rhs_kind, VG_RHS_FIELD);
	ASSERT_EQ(n->rhs_field.n_tr, 1u);
	ASSERT_EQ(n->rhs_field.tr[0], VG_TR_VAL);
	ASSERT_STREQ(n->rhs_field.name, "proc.exepath");
	ASSERT_EQ(n->rhs_field.pos, 14u);
	vg_arena_done(&a);
}

TEST(field_args)
{
	T("proc.aname[2] = x", "{proc.aname[2] = x}");
	T("evt.arg[0] = x", "{evt.arg[0] = x}");
	T("evt.arg.flags contains O_TRUNC", "{evt.arg.flags contains O_TRUNC}");
	T("container.mount.dest[/var/run/docker.sock] exists",
	  "{container.mount.dest[/var/run/docker.sock] exists}");
	T("proc.env[HOME] = /root", "{proc.env[HOME] = /root}");
	T("proc.env['MY VAR'] = x", "{proc.env[MY VAR] = x}");
	T("proc.env[\"a]b\"] = x", "{proc.env[a]b] = x}");
	T("k8s.pod.label[app.kubernetes.io/name]=x", "{k8s.pod.label[app.kubernetes.io/name] = x}");
	T("evt.arg.a_1.b2 = x", "{evt.arg.a_1.b2 = x}");
	T("fd.name=x and proc.aname[3] in (a)", "(and {fd.name = x} {proc.aname[3] in (a)})");
}

TEST(positions)
{
	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	struct vg_parse_error err;
	const char *c = "  a and\n not proc.name = 'x' or (m)";
	/*               0123456 7 8901234567890123456789012345 */

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_cond_parse(c, strlen(c), &a, &n, &err));
	ASSERT_EQ(n->kind, VG_AST_OR);
	ASSERT_EQ(n->pos, 2u);
	ASSERT_EQ(n->children[0]->kind, VG_AST_AND);
	ASSERT_EQ(n->children[0]->pos, 2u);
	ASSERT_EQ(n->children[0]->children[0]->pos, 2u);
	ASSERT_EQ(n->children[0]->children[1]->kind, VG_AST_NOT);
	ASSERT_EQ(n->children[0]->children[1]->pos, 9u);
	ASSERT_EQ(n->children[0]->children[1]->children[0]->pos, 13u);
	ASSERT_EQ(n->children[0]->children[1]->children[0]->field.pos, 13u);
	ASSERT_EQ(n->children[0]->children[1]->children[0]->value.pos, 25u);
	ASSERT_TRUE(n->children[0]->children[1]->children[0]->value.quoted);
	ASSERT_EQ(n->children[1]->kind, VG_AST_IDENT);
	ASSERT_EQ(n->children[1]->pos, 33u);
	vg_arena_done(&a);
}

struct error_case {
	const char *cond;
	int r;
	unsigned pos;
	const char *msg; /* substring of the message */
};

static const struct error_case errors[] = {
	{"", -EBADMSG, 0, "empty condition"},
	{"   \n\t", -EBADMSG, 5, "empty condition"},
	{"proc.name startswith", -EBADMSG, 20, "expected a value after 'startswith'"},
	{"proc.name startswith ", -EBADMSG, 21, "expected a value after 'startswith'"},
	{"proc.name contain x", -EBADMSG, 10, "unknown operator 'contain'"},
	{"proc.name", -EBADMSG, 9, "expected an operator after 'proc.name'"},
	{"proc.name ~= x", -EBADMSG, 10, "unknown operator '~='"},
	{"(a and b", -EBADMSG, 0, "unbalanced parenthesis"},
	{"a and b)", -EBADMSG, 7, "unbalanced parenthesis"},
	{"((a)", -EBADMSG, 0, "unbalanced parenthesis"},
	{"a and (b or c", -EBADMSG, 6, "'(' is not closed"},
	{"proc.name in (a, b", -EBADMSG, 13, "unbalanced parenthesis"},
	{"proc.name in (a, (b))", -EBADMSG, 17, "nested parentheses are not allowed in a list"},
	{"proc.name in (a (b))", -EBADMSG, 16, "nested parentheses"},
	{"proc.name in (a,)", -EBADMSG, 16, "expected a list item, got ')'"},
	{"proc.name in (,a)", -EBADMSG, 14, "expected a list item"},
	{"proc.name in (a b)", -EBADMSG, 16, "expected ',' or ')' after a list item, got 'b'"},
	{"proc.name in", -EBADMSG, 12, "expected a list or a list name after 'in'"},
	{"proc.name in 'a'", -EBADMSG, 13, "expected a list or a list name after 'in'"},
	{"proc.name = 'abc", -EBADMSG, 12, "unterminated quoted string"},
	{"proc.name = \"a\\qb\"", -EBADMSG, 14, "unsupported escape sequence \\q"},
	{"proc.name = \"a\\'b\"", -EBADMSG, 14, "invalid escape \\' in a \"-quoted string"},
	{"proc.name = 'a\\\"b'", -EBADMSG, 14, "invalid escape \\\" in a '-quoted string"},
	{"proc.name = \"\\x4\"", -EBADMSG, 13, "\\x needs two hexadecimal digits"},
	{"proc.name = \"\\x00\"", -EBADMSG, 13, "\\x00 is not allowed"},
	{"fd.num > abc", -EBADMSG, 9, "expected a number after '>', got 'abc'"},
	{"fd.num >", -EBADMSG, 8, "expected a number after '>'"},
	{"a and", -EBADMSG, 5, "unexpected end of condition after 'and'"},
	{"a and ", -EBADMSG, 6, "unexpected end of condition after 'and'"},
	{"a or", -EBADMSG, 4, "unexpected end of condition after 'or'"},
	{"a orx", -EBADMSG, 4, "expected a blank or '(' after 'or' in 'orx'"},
	{"a andb", -EBADMSG, 5, "expected a blank or '(' after 'and'"},
	{"a b", -EBADMSG, 2, "unexpected 'b' after 'a', expected 'and', 'or'"},
	{"(a b)", -EBADMSG, 3, "unexpected 'b' after 'a', expected 'and', 'or' or ')'"},
	{"()", -EBADMSG, 1, "unexpected ')'"},
	{"and a", -EBADMSG, 4, "unexpected 'a' after 'and'"},
	{"1 = 1", -EBADMSG, 0, "unexpected '1', expected a field check"},
	{"proc.name contains(x)", -EBADMSG, 18, "expected a blank after 'contains'"},
	{"proc.aname [2] = x", -EBADMSG, 11, "no blank allowed between a field and its '['"},
	{"proc.aname[2 = x", -EBADMSG, 12, "expected ']' after the argument of 'proc.aname'"},
	{"proc.aname[] = x", -EBADMSG, 11, "expected an argument inside '[' ']'"},
	{"tolower(proc.name = x", -EBADMSG, 18, "expected ')' closing 'tolower('"},
	{"tolower(proc.name", -EBADMSG, 0, "expected ')' closing 'tolower('"},
	{"tolower(x) = x", -EBADMSG, 8, "expected a field inside 'tolower(', got 'x'"},
	{"tolower(proc.name, proc.pname) = x", -EBADMSG, 17, "takes a single argument"},
	{"join(proc.name) = x", -EBADMSG, 0, "transformer 'join' is not supported"},
	{"proc.name = concat(proc.name)", -EBADMSG, 12, "transformer 'concat' is not supported"},
	{"val(proc.name) = x", -EBADMSG, 0, "val() can only be used on the right"},
	{"proc.name = val(x)", -EBADMSG, 16, "expected a field inside 'val('"},
	{"proc.name = val(proc.name", -EBADMSG, 12, "expected ')' closing 'val('"},
	{"proc.name = tolower(val(proc.name))", -EBADMSG, 20, "val() cannot be used inside"},
	{"proc.name = tolower(proc.name)[1]", -EBADMSG, 30, "argument after a transformer"},
	{"fd.name startswith oneof (a", -EBADMSG, 25, "unbalanced parenthesis"},
	{"fd.name startswith oneof (a, (b))", -EBADMSG, 29, "nested parentheses"},
	{"fd.name contains oneof /x", -EBADMSG, 23, "unexpected '/' after 'oneof'"},
	{"fd.name contains allof not", -EBADMSG, 23, "unexpected 'not' after 'allof'"},
	{"fd.name endswith allof(a, b)", -EBADMSG, 22, "unexpected '(' after 'allof'"},
	{"b64(proc.name) = YmFzaA==", -EBADMSG, 23, "unexpected '==' after 'YmFzaA'"},
	{"a\0b", -EBADMSG, 1, "NUL byte"},
};

TEST(error_messages)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(errors); i++) {
		const struct error_case *e = &errors[i];
		struct vg_parse_error err;
		struct vg_arena a;
		struct vg_ast_node *n = NULL;
		size_t len = strlen(e->cond);
		int r;

		if (strcmp(e->cond, "a") == 0)
			len = 3; /* the NUL case */
		vg_arena_init(&a, 0);
		r = vg_cond_parse(e->cond, len, &a, &n, &err);
		if (r != e->r || err.pos != e->pos || !strstr(err.msg, e->msg))
			tap_diag("'%s': got %d at %u: %s; want %d at %u: ...%s...\n", e->cond, r,
				 err.pos, err.msg, e->r, e->pos, e->msg);
		ASSERT_EQ(r, e->r);
		ASSERT_EQ(err.pos, e->pos);
		ASSERT_NOT_NULL(strstr(err.msg, e->msg));
		vg_arena_done(&a);
	}
	tap_diag("%zu malformed conditions\n", VG_ARRAY_SIZE(errors));
}

static char *nested(unsigned depth, const char *open, const char *inner, const char *close)
{
	size_t lo = strlen(open), li = strlen(inner), lc = strlen(close);
	char *s = malloc(depth * (lo + lc) + li + 1), *p = s;

	for (unsigned i = 0; i < depth; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, inner, li);
	p += li;
	for (unsigned i = 0; i < depth; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

static int parse_str(const char *s, struct vg_parse_error *err)
{
	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	int r;

	vg_arena_init(&a, 0);
	r = vg_cond_parse(s, strlen(s), &a, &n, err);
	vg_arena_done(&a);
	return r;
}

TEST(depth_limit)
{
	struct vg_parse_error err;
	char *s;

	s = nested(VG_COND_DEPTH_MAX, "(", "a", ")");
	ASSERT_OK(parse_str(s, &err));
	free(s);
	s = nested(VG_COND_DEPTH_MAX + 1, "(", "a", ")");
	ASSERT_ERR(parse_str(s, &err), -E2BIG);
	ASSERT_NOT_NULL(strstr(err.msg, "nesting deeper than 100 levels"));
	ASSERT_EQ(err.pos, (unsigned)VG_COND_DEPTH_MAX);
	free(s);
	s = nested(VG_COND_DEPTH_MAX, "not ", "a", "");
	ASSERT_OK(parse_str(s, &err));
	free(s);
	s = nested(VG_COND_DEPTH_MAX + 1, "not ", "a", "");
	ASSERT_ERR(parse_str(s, &err), -E2BIG);
	ASSERT_NOT_NULL(strstr(err.msg, "nesting deeper"));
	free(s);
	/* not( counts as a 'not' and a parenthesis */
	s = nested(VG_COND_DEPTH_MAX / 2, "not(", "a", ")");
	ASSERT_OK(parse_str(s, &err));
	free(s);
	s = nested(VG_COND_DEPTH_MAX / 2 + 1, "not(", "a", ")");
	ASSERT_ERR(parse_str(s, &err), -E2BIG);
	free(s);
	s = nested(VG_COND_DEPTH_MAX / 2, "not (", "a", ")");
	ASSERT_OK(parse_str(s, &err));
	free(s);
	/* deep but well within the limit through 'and' */
	s = nested(VG_COND_DEPTH_MAX, "a and (", "b", ")");
	ASSERT_OK(parse_str(s, &err));
	free(s);
	/* very deep input fails fast without exhausting the stack */
	s = nested(200000, "(", "a", ")");
	ASSERT_ERR(parse_str(s, &err), -E2BIG);
	free(s);
	/* transformers */
	ASSERT_OK(parse_str("len(len(len(len(len(len(len(len(proc.name)))))))) = 1", &err));
	ASSERT_ERR(parse_str("len(len(len(len(len(len(len(len(len(proc.name))))))))) = 1", &err),
		   -E2BIG);
	ASSERT_NOT_NULL(strstr(err.msg, "nested transformers"));
}

TEST(size_limits)
{
	struct vg_parse_error err;
	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	size_t len = VG_COND_LEN_MAX + 1;
	char *s = malloc(len);

	memset(s, 'a', len);
	vg_arena_init(&a, 0);
	ASSERT_ERR(vg_cond_parse(s, len, &a, &n, &err), -E2BIG);
	ASSERT_NOT_NULL(strstr(err.msg, "condition longer than"));
	/* a single identifier of the maximum length is fine */
	ASSERT_OK(vg_cond_parse(s, len - 1, &a, &n, &err));
	ASSERT_EQ(strlen(n->ident), len - 1);
	vg_arena_done(&a);
	free(s);

	/* list items */
	for (unsigned extra = 0; extra < 2; extra++) {
		unsigned items = VG_LIST_ITEMS_MAX + extra;
		char *p;

		s = malloc(16 + (size_t)items * 2 + 1);
		p = s + sprintf(s, "proc.name in (");
		for (unsigned i = 0; i < items; i++) {
			*p++ = 'x';
			*p++ = i + 1 < items ? ',' : ')';
		}
		*p = '\0';
		vg_arena_init(&a, 0);
		if (extra) {
			ASSERT_ERR(vg_cond_parse(s, strlen(s), &a, &n, &err), -E2BIG);
			ASSERT_NOT_NULL(strstr(err.msg, "more than 100000 items"));
		} else {
			ASSERT_OK(vg_cond_parse(s, strlen(s), &a, &n, &err));
			ASSERT_EQ(n->n_items, (unsigned)VG_LIST_ITEMS_MAX);
			ASSERT_STREQ(n->items[VG_LIST_ITEMS_MAX - 1].text, "x");
		}
		vg_arena_done(&a);
		free(s);
	}
}

TEST(arena_cap)
{
	struct vg_parse_error err;
	struct vg_arena a;
	struct vg_ast_node *n = NULL;
	const char *c = "proc.name in (a, b, c) and fd.name startswith /etc";

	vg_arena_init(&a, 64);
	ASSERT_ERR(vg_cond_parse(c, strlen(c), &a, &n, &err), -E2BIG);
	ASSERT_NULL(n);
	vg_arena_done(&a);
}

TEST(not_nul_terminated)
{
	/* only len bytes are read */
	const char c[] = "proc.name = bash and garbage(";
	struct vg_parse_error err;
	struct vg_arena a;
	struct vg_ast_node *n = NULL;

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_cond_parse(c, 16, &a, &n, &err));
	ASSERT_STREQ(n->value.text, "bash");
	ASSERT_OK(vg_cond_parse("proc.name in (a)x", 16, &a, &n, &err));
	ASSERT_ERR(vg_cond_parse("proc.name = 'ab'", 15, &a, &n, &err), -EBADMSG);
	ASSERT_ERR(vg_cond_parse(NULL, 0, &a, &n, &err), -EBADMSG);
	ASSERT_ERR(vg_cond_parse(NULL, 1, &a, &n, &err), -EINVAL);
	ASSERT_OK(vg_cond_parse("a", 1, &a, &n, NULL));
	ASSERT_ERR(vg_cond_parse("a b", 3, &a, &n, NULL), -EBADMSG);
	vg_arena_done(&a);
}

TEST(output_fields)
{
	static const struct {
		const char *text;
		size_t consumed;
		const char *name;
		const char *arg;
		unsigned n_tr;
	} cases[] = {
		{"proc.name", 9, "proc.name", NULL, 0},
		{"proc.name)", 9, "proc.name", NULL, 0},
		{"proc.name and more", 9, "proc.name", NULL, 0},
		{"evt.time", 8, "evt.time", NULL, 0},
		{"evt.time.iso8601 x", 16, "evt.time.iso8601", NULL, 0},
		{"proc.aname[2] x", 13, "proc.aname", "2", 0},
		{"evt.arg.flags,", 13, "evt.arg.flags", NULL, 0},
		{"fd.name.", 7, "fd.name", NULL, 0},
		{"container.mount.dest[/var/run/docker.sock]", 42, "container.mount.dest",
		 "/var/run/docker.sock", 0},
		{"proc.env['A B']", 15, "proc.env", "A B", 0},
		{"proc.aname[2", 0, NULL, NULL, 0},
		{"proc.aname[]", 0, NULL, NULL, 0},
		{"tolower(proc.name) x", 18, "proc.name", NULL, 1},
		{"tolower(proc.name", 0, NULL, NULL, 0},
		{"proc", 0, NULL, NULL, 0},
		{"12proc.name", 0, NULL, NULL, 0},
		{" proc.name", 0, NULL, NULL, 0},
		{"", 0, NULL, NULL, 0},
	};

	for (size_t i = 0; i < VG_ARRAY_SIZE(cases); i++) {
		struct vg_ast_field f;
		char buf[128];
		size_t n;

		n = vg_output_field_scan(cases[i].text, strlen(cases[i].text), &f, buf,
					 sizeof(buf));
		if (n != cases[i].consumed)
			tap_diag("'%s': consumed %zu\n", cases[i].text, n);
		ASSERT_EQ(n, cases[i].consumed);
		if (!n)
			continue;
		ASSERT_STREQ(f.name, cases[i].name);
		if (cases[i].arg)
			ASSERT_STREQ(f.arg, cases[i].arg);
		else
			ASSERT_NULL(f.arg);
		ASSERT_EQ(f.n_tr, cases[i].n_tr);
	}

	/* too small a buffer: not a field rather than a truncated one */
	struct vg_ast_field f;
	char small[8];

	ASSERT_EQ(vg_output_field_scan("proc.name", 9, &f, small, sizeof(small)), 0u);
	ASSERT_EQ(vg_output_field_scan("proc.aname[2]", 13, &f, NULL, 0), 13u);
	ASSERT_NULL(f.name);
}

TEST(names)
{
	ASSERT_STREQ(vg_transformer_name(VG_TR_TOLOWER), "tolower");
	ASSERT_STREQ(vg_transformer_name(VG_TR_TOUPPER), "toupper");
	ASSERT_STREQ(vg_transformer_name(VG_TR_B64), "b64");
	ASSERT_STREQ(vg_transformer_name(VG_TR_BASENAME), "basename");
	ASSERT_STREQ(vg_transformer_name(VG_TR_LEN), "len");
	ASSERT_STREQ(vg_transformer_name(VG_TR_VAL), "val");
	ASSERT_STREQ(vg_transformer_name(VG_TR_NONE), "unknown");
	ASSERT_STREQ(vg_op_modifier_name(VG_MOD_NONE), "");
	ASSERT_STREQ(vg_op_modifier_name(VG_MOD_ONEOF), "oneof");
	ASSERT_STREQ(vg_op_modifier_name(VG_MOD_ANYOF), "anyof");
	ASSERT_STREQ(vg_op_modifier_name(VG_MOD_ALLOF), "allof");
}

/* ---- the upstream Falco rule files ---- */

struct corpus_stats {
	unsigned macros, rules, outputs, output_fields;
	double seconds;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void parse_file(const char *path, struct corpus_stats *st)
{
	cleanup_yaml_stream struct vg_yaml_stream *y = NULL;
	struct vg_arena a;
	char yerr[256];
	double t0;

	if (vg_yaml_parse_file(path, &y, yerr, sizeof(yerr)) < 0)
		tap_diag("%s\n", yerr);
	ASSERT_NOT_NULL(y);
	ASSERT_EQ(y->n_docs, 1u);
	ASSERT_EQ(y->docs[0]->kind, VG_YAML_SEQ);
	vg_arena_init(&a, 0);
	for (size_t i = 0; i < y->docs[0]->n; i++) {
		const struct vg_yaml_node *item = y->docs[0]->items[i];
		const struct vg_yaml_node *cond = vg_yaml_map_get(item, "condition");
		const struct vg_yaml_node *out = vg_yaml_map_get(item, "output");
		struct vg_parse_error err;
		struct vg_ast_node *n = NULL;
		int r;

		if (cond && cond->kind == VG_YAML_SCALAR) {
			t0 = now();
			r = vg_cond_parse(cond->text, cond->len, &a, &n, &err);
			st->seconds += now() - t0;
			if (r < 0)
				tap_diag("%s:%u: %s at offset %u in: %s\n", path, cond->line,
					 err.msg, err.pos, cond->text);
			ASSERT_OK(r);
			if (vg_yaml_map_get(item, "macro"))
				st->macros++;
			else if (vg_yaml_map_get(item, "rule"))
				st->rules++;
		}
		/* every %field of an output scans as a field */
		if (out && out->kind == VG_YAML_SCALAR) {
			const char *s = out->text;

			st->outputs++;
			for (size_t k = 0; k < out->len; k++) {
				struct vg_ast_field f;
				char buf[256];
				size_t used;

				if (s[k] != '%')
					continue;
				used = vg_output_field_scan(s + k + 1, out->len - k - 1, &f, buf,
							    sizeof(buf));
				if (!used)
					tap_diag("%s:%u: no field after '%%' in: %s\n", path,
						 out->line, s + k);
				ASSERT_GT(used, 0u);
				st->output_fields++;
				k += used;
			}
		}
	}
	vg_arena_done(&a);
}

TEST(falco_rule_files)
{
	static const char *const files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
					    "falco-sandbox_rules.yaml"};
	const char *dir = getenv("VG_FALCO_RULES_DIR");
	struct corpus_stats total = {0};

	if (!dir)
		TEST_SKIP("VG_FALCO_RULES_DIR is not set");
	for (size_t i = 0; i < VG_ARRAY_SIZE(files); i++) {
		struct corpus_stats st = {0};
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "re");
		if (!f)
			TEST_SKIP("Falco rule files not found (VG_FALCO_RULES_DIR)");
		fclose(f);
		parse_file(path, &st);
		tap_diag("%s: %u macro and %u rule conditions, %u outputs with %u fields\n",
			 files[i], st.macros, st.rules, st.outputs, st.output_fields);
		ASSERT_GT(st.macros + st.rules, 100u);
		total.macros += st.macros;
		total.rules += st.rules;
		total.output_fields += st.output_fields;
		total.seconds += st.seconds;
	}
	tap_diag("all files: %u conditions parsed in %.3f ms\n", total.macros + total.rules,
		 total.seconds * 1e3);
}
