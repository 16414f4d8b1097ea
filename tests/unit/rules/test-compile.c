/* SPDX-License-Identifier: Apache-2.0 */
/* The rules compiler over a toy source: expansion, errors with positions, event types, limits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/strbuf.h"
#include "rules-helper.h"
#include "rules/ruleset.h"
#include "tap.h"
#include "toy-source.h"

__attribute__((constructor)) static void setup(void)
{
	toy_register();
}

/* A rule's event types, observed through vg_ruleset_syscalls() on a one-rule set. */
static bool has_type(const struct tc *t, unsigned type)
{
	uint64_t bits[4];

	vg_ruleset_syscalls(t->rs, &toy_source, bits, 4);
	return bits[(100 + type) / 64] & (1ULL << ((100 + type) % 64));
}

/* Event types (as a bit mask over TOY_*) of a one-rule condition. */
static unsigned types_of(const char *cond, bool *ret_all, const char *extra)
{
	char yaml[4096];
	struct tc t;
	unsigned mask = 0;

	snprintf(yaml, sizeof(yaml),
		 "%s- rule: r\n  desc: d\n  condition: %s\n  output: o\n"
		 "  priority: WARNING\n  source: toy\n",
		 extra ? extra : "", cond);
	if (tc_compile(&t, yaml, NULL) < 0) {
		vg_diags_print(&t.d, stderr);
		tc_done(&t);
		return ~0u;
	}
	for (unsigned i = 1; i < TOY__N; i++)
		if (has_type(&t, i))
			mask |= 1u << i;
	if (ret_all)
		*ret_all = vg_ruleset_rule(t.rs, 0)->all_evttypes;
	tc_done(&t);
	return mask;
}

#define B(x)  (1u << (x))
#define ALL_T (((1u << TOY__N) - 1) & ~1u)

TEST(evttypes)
{
	bool all;

	ASSERT_EQ(types_of("evt.type = open", &all, NULL), B(TOY_OPEN));
	ASSERT_FALSE(all);
	ASSERT_EQ(types_of("evt.type in (open, openat, openat2) and proc.name = cat", NULL, NULL),
		  B(TOY_OPEN) | B(TOY_OPENAT) | B(TOY_OPENAT2));
	ASSERT_EQ(types_of("evt.type != open", &all, NULL), ALL_T & ~B(TOY_OPEN));
	ASSERT_FALSE(all);
	ASSERT_EQ(types_of("not evt.type = open", NULL, NULL), ALL_T & ~B(TOY_OPEN));
	ASSERT_EQ(types_of("not evt.type != open", NULL, NULL), B(TOY_OPEN));
	ASSERT_EQ(types_of("evt.type in (open, execve) and not evt.type = execve", NULL, NULL),
		  B(TOY_OPEN));
	ASSERT_EQ(types_of("(evt.type = open or evt.type = dup) and proc.name = x", NULL, NULL),
		  B(TOY_OPEN) | B(TOY_DUP));
	ASSERT_EQ(types_of("evt.type = open or proc.name = x", &all, NULL), ALL_T);
	ASSERT_TRUE(all);
	/* De Morgan: not (A and B) = not A or not B -> all */
	ASSERT_EQ(types_of("not (evt.type = open and proc.name = x)", &all, NULL), ALL_T);
	/* not (A or B) = not A and not B */
	ASSERT_EQ(types_of("not (evt.type = open or evt.type = dup)", NULL, NULL),
		  ALL_T & ~B(TOY_OPEN) & ~B(TOY_DUP));
	ASSERT_EQ(types_of("not not evt.type = ptrace", NULL, NULL), B(TOY_PTRACE));
	/* through macros */
	ASSERT_EQ(types_of("spawned and proc.name = sh", NULL,
			   "- macro: spawned\n  condition: evt.type in (execve, execveat)\n"),
		  B(TOY_EXECVE) | B(TOY_EXECVEAT));
	/* other operators on evt.type cannot restrict */
	ASSERT_EQ(types_of("evt.type startswith open", NULL, NULL), ALL_T);
	ASSERT_EQ(types_of("evt.type = nosuchevent", NULL, NULL), 0u);
}

TEST(no_evttype_warning)
{
	struct tc t;

	ASSERT_OK(tc_compile(&t, TOY_RULE("r", "proc.name = x"), NULL));
	ASSERT_EQ(tc_count(&t, "NO_EVTTYPE"), 1u);
	ASSERT_TRUE(vg_ruleset_rule(t.rs, 0)->all_evttypes);
	tc_done(&t);
	ASSERT_OK(tc_compile(&t,
			     "- rule: r\n  desc: d\n  condition: proc.name = x\n  output: o\n"
			     "  priority: WARNING\n  source: toy\n  warn_evttypes: false\n",
			     NULL));
	ASSERT_EQ(tc_count(&t, "NO_EVTTYPE"), 0u);
	tc_done(&t);
	/* single-type sources never warn */
	ASSERT_OK(tc_compile(&t,
			     "- rule: r\n  desc: d\n  condition: proc.name = x\n  output: o\n"
			     "  priority: WARNING\n  source: toycfg\n",
			     NULL));
	ASSERT_EQ(tc_count(&t, "NO_EVTTYPE"), 0u);
	tc_done(&t);
}

TEST(macros_lists_nested)
{
	struct tc t;
	const char *y = "- list: a\n  items: [x, y]\n"
			"- list: b\n  items: [a, z, \"a\"]\n"
			"- list: unused_l\n  items: [q]\n"
			"- macro: m1\n  condition: proc.name in (b)\n"
			"- macro: m2\n  condition: m1 and evt.type = open\n"
			"- macro: unused_m\n  condition: proc.name = q\n" TOY_RULE(
				"r", "m2 or (m1 and evt.type = dup)");

	ASSERT_OK(tc_compile(&t, y, NULL));
	ASSERT_EQ(vg_ruleset_count(t.rs), 1u);
	ASSERT_EQ(tc_count(&t, "LOAD_UNUSED_MACRO"), 1u);
	ASSERT_EQ(tc_count(&t, "LOAD_UNUSED_LIST"), 1u);
	ASSERT_TRUE(strstr(tc_diag(&t, "LOAD_UNUSED_MACRO")->msg, "unused_m") != NULL);
	ASSERT_TRUE(strstr(tc_diag(&t, "LOAD_UNUSED_LIST")->msg, "unused_l") != NULL);
	tc_done(&t);
}

/* Compiles and expects an error with code at line:col (0: any). */
static void expect_error(const char *yaml, const char *code, unsigned line, unsigned col,
			 const char *msg_part)
{
	struct tc t;
	const struct vg_diag *g;

	if (tc_compile(&t, yaml, NULL) != -EBADMSG) {
		vg_diags_print(&t.d, stderr);
		tap_diag("compile of <<%s>> did not fail with -EBADMSG (%d)\n", yaml, t.r);
		tc_done(&t);
		tap_fail();
	}
	g = tc_diag(&t, code);
	if (!g || g->level != VG_DIAG_ERROR || (line && g->pos.line != line) ||
	    (col && g->pos.col != col) || (msg_part && !strstr(g->msg, msg_part)) || !g->pos.file ||
	    strcmp(g->pos.file, "test.yaml") != 0) {
		vg_diags_print(&t.d, stderr);
		tap_diag("expected %s at %u:%u containing '%s'\n", code, line, col,
			 msg_part ? msg_part : "");
		tc_done(&t);
		tap_fail();
	}
	ASSERT_NULL(t.rs);
	tc_done(&t);
}

TEST(error_positions)
{
	/* condition scalar starts at line 3, column 14 */
	expect_error(TOY_RULE("r", "proc.nmae = x"), "UNKNOWN_FIELD", 3, 14,
		     "unknown field 'proc.nmae'");
	expect_error(TOY_RULE("r", "evt.type = open and proc.pid = abc"), "BAD_LITERAL", 3, 45,
		     "'abc' is not a valid uint64 for proc.pid");
	expect_error(TOY_RULE("r", "evt.type = open and fd.name pmatch /etc"), "PARSE_ERROR", 3, 49,
		     "expected a list");
	expect_error(TOY_RULE("r", "evt.type = open and foo"), "UNKNOWN_MACRO", 3, 34,
		     "unknown macro or list 'foo'");
	expect_error(
		TOY_RULE("r", "evt.type = open and proc.name in (a, b) and proc.name in nolist"),
		"UNKNOWN_MACRO", 3, 0, "unknown macro or list 'nolist'");
	expect_error(
		"- macro: a\n  condition: b\n- macro: b\n  condition: evt.type=open and a\n" TOY_RULE(
			"r", "a"),
		"MACRO_CYCLE", 0, 0, "macro cycle: a -> b -> a");
	expect_error("- list: l1\n  items: [x, l2]\n- list: l2\n  items: [l1]\n" TOY_RULE(
			     "r", "proc.name in (l1)"),
		     "LIST_CYCLE", 0, 0, "refers to itself");
	expect_error(TOY_RULE("r", "evt.type = open and proc.name regex 'a(b'"), "BAD_REGEX", 3, 50,
		     "invalid regex");
	expect_error(TOY_RULE("r", "evt.type = open and proc.name < 3"), "BAD_OPERATOR", 3, 0,
		     "operator '<' cannot be used on string field 'proc.name'");
	expect_error(TOY_RULE("r", "evt.type = open and proc.pid contains 3"), "BAD_OPERATOR", 3, 0,
		     "contains");
	expect_error(TOY_RULE("r", "evt.type = open and tolower(proc.pid) = 3"), "BAD_OPERATOR", 3,
		     0, "transformer 'tolower' needs a string field");
	expect_error(TOY_RULE("r", "evt.type = open and proc.name[2] = x"), "BAD_FIELD_ARG", 3, 34,
		     "takes no argument");
	expect_error(TOY_RULE("r", "evt.type = open and proc.env = x"), "BAD_FIELD_ARG", 3, 34,
		     "needs an argument");
	expect_error(TOY_RULE("r", "evt.type = open and proc.aname[x] = y"), "BAD_FIELD_ARG", 3, 34,
		     "numeric argument");
	expect_error(TOY_RULE("r", "evt.type = open and proc.name = val(proc.pid)"), "BAD_OPERATOR",
		     3, 0, "is string but 'proc.pid' is uint64");
	expect_error(TOY_RULE("r", "evt.type = open and fd.num = 1.5"), "BAD_LITERAL", 3, 0,
		     "not a valid int64");
	expect_error(TOY_RULE("r", "evt.type = open and fd.ip = 10.0.0.300"), "BAD_LITERAL", 3, 0,
		     NULL);
	expect_error(TOY_RULE("r", "evt.type = open and proc.name = (a, b)"), "PARSE_ERROR", 3, 46,
		     "expected a value");
	expect_error(TOY_RULE("r", "evt.type = open and proc.name intersects oneof (a, b)"),
		     "PARSE_ERROR", 3, 0, NULL);
	expect_error(TOY_RULE("r", "evt.type = open and (proc.name = x"), "PARSE_ERROR", 3, 0,
		     NULL);
	expect_error(TOY_RULE("r", "evt.type = open and evt.buffer bcontains xyz"), "BAD_LITERAL",
		     3, 0, "hex");
	/* output fields are checked too */
	expect_error(
		"- rule: r\n  desc: d\n  condition: evt.type = open\n  output: a %proc.nope b\n"
		"  priority: WARNING\n  source: toy\n",
		"UNKNOWN_FIELD", 4, 13, "unknown field 'proc.nope'");
	/* errors inside a macro point into the macro */
	expect_error("- macro: m\n  condition: proc.name = x and proc.bad = 1\n" TOY_RULE(
			     "r", "evt.type = open and m"),
		     "UNKNOWN_FIELD", 2, 32, "proc.bad");
	/* exceptions */
	expect_error(
		TOY_RULE(
			"r",
			"evt.type = open") "  exceptions:\n  - name: e\n    fields: [proc.nope]\n    values: [[a]]\n",
		"UNKNOWN_FIELD", 0, 0, "proc.nope");
}

TEST(broken_macro_reported_once)
{
	struct tc t;

	ASSERT_ERR(tc_compile(&t,
			      "- macro: m\n  condition: proc.bad = 1\n" TOY_RULE(
				      "r1", "evt.type=open and m")
				      TOY_RULE("r2", "evt.type=dup and m"),
			      NULL),
		   -EBADMSG);
	ASSERT_EQ(tc_count(&t, "UNKNOWN_FIELD"), 1u);
	tc_done(&t);
}

TEST(skip_if_unknown_filter_and_source)
{
	struct tc t;

	ASSERT_OK(tc_compile(
		&t,
		"- rule: r\n  desc: d\n  condition: evt.type=open and proc.nope = 1\n"
		"  output: o\n  priority: WARNING\n  source: toy\n"
		"  skip-if-unknown-filter: true\n"
		"- rule: other\n  desc: d\n  condition: proc.name = x\n  output: o\n"
		"  priority: WARNING\n  source: k8s_audit\n" TOY_RULE("ok", "evt.type = open"),
		NULL));
	ASSERT_EQ(vg_ruleset_count(t.rs), 1u);
	ASSERT_STREQ(vg_ruleset_rule(t.rs, 0)->name, "ok");
	ASSERT_EQ(tc_count(&t, "SKIP_UNKNOWN_FILTER"), 1u);
	ASSERT_EQ(tc_count(&t, "UNKNOWN_SOURCE"), 1u);
	ASSERT_EQ(t.d.errors, 0u);
	tc_done(&t);
}

TEST(priority_and_source_filters)
{
	struct tc t;
	struct vg_compile_options o = {.min_priority = VG_PRIO_WARNING};
	const char *y =
		"- rule: a\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: ERROR\n  source: toy\n"
		"- rule: b\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: NOTICE\n  source: toy\n"
		"- rule: c\n  desc: d\n  condition: proc.name=x\n  output: o\n  priority: DEBUG\n  source: toycfg\n"
		"- rule: d\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: WARNING\n  source: toy\n  enabled: false\n";

	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_EQ(vg_ruleset_count(t.rs), 1u);
	ASSERT_STREQ(vg_ruleset_rule(t.rs, 0)->name, "a");
	tc_done(&t);
	o = (struct vg_compile_options){.min_priority = VG_PRIO_DEBUG, .only_source = "toycfg"};
	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_EQ(vg_ruleset_count(t.rs), 1u);
	ASSERT_STREQ(vg_ruleset_rule(t.rs, 0)->name, "c");
	ASSERT_STREQ(vg_ruleset_rule(t.rs, 0)->source, "toycfg");
	tc_done(&t);
	o = (struct vg_compile_options){.min_priority = VG_PRIO_DEBUG};
	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_EQ(vg_ruleset_count(t.rs), 3u);
	ASSERT_EQ(vg_ruleset_rule(t.rs, 2)->index, 2u);
	tc_done(&t);
}

TEST(syscalls)
{
	struct tc t;
	uint64_t bits[4];

	ASSERT_OK(tc_compile(
		&t, TOY_RULE("a", "evt.type in (open, dup)") TOY_RULE("b", "evt.type = ptrace"),
		NULL));
	vg_ruleset_syscalls(t.rs, &toy_source, bits, 4);
	for (unsigned i = 1; i < TOY__N; i++)
		ASSERT_EQ(!!(bits[(100 + i) / 64] & (1ULL << ((100 + i) % 64))),
			  i == TOY_OPEN || i == TOY_DUP || i == TOY_PTRACE);
	vg_ruleset_syscalls(t.rs, &toy_cfg_source, bits, 4);
	ASSERT_EQ(bits[1], 0u);
	tc_done(&t);
}

/* m0 = x; m(k+1) = mk or mk: 2^k nodes once expanded. */
TEST(hostile_exponential_macros)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct tc t;
	char *y;

	ASSERT_OK(vg_strbuf_puts(&sb, "- macro: m0\n  condition: proc.name = x\n"));
	for (int k = 1; k <= 40; k++)
		ASSERT_OK(vg_strbuf_printf(
			&sb, "- macro: m%d\n  condition: m%d or (m%d and evt.type = open)\n", k,
			k - 1, k - 1));
	ASSERT_OK(vg_strbuf_puts(&sb, TOY_RULE("r", "evt.type = open and m40")));
	ASSERT_OK(vg_strbuf_steal(&sb, &y));
	ASSERT_ERR(tc_compile(&t, y, NULL), -EBADMSG);
	ASSERT_NOT_NULL(tc_diag(&t, "TOO_COMPLEX"));
	ASSERT_TRUE(strstr(tc_diag(&t, "TOO_COMPLEX")->msg, "too large") != NULL);
	tc_done(&t);
	free(y);
}

TEST(hostile_deep_macros)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct tc t;
	char *y;

	ASSERT_OK(vg_strbuf_puts(&sb, "- macro: m0\n  condition: proc.name = x\n"));
	for (int k = 1; k <= 100; k++)
		ASSERT_OK(vg_strbuf_printf(&sb, "- macro: m%d\n  condition: m%d\n", k, k - 1));
	ASSERT_OK(vg_strbuf_puts(&sb, TOY_RULE("r", "evt.type = open and m100")));
	ASSERT_OK(vg_strbuf_steal(&sb, &y));
	ASSERT_ERR(tc_compile(&t, y, NULL), -EBADMSG);
	ASSERT_TRUE(strstr(tc_diag(&t, "TOO_COMPLEX")->msg, "nested deeper") != NULL);
	tc_done(&t);
	free(y);
}

TEST(hostile_exponential_lists)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct tc t;
	char *y;

	ASSERT_OK(vg_strbuf_puts(&sb, "- list: l0\n  items: [a, b]\n"));
	for (int k = 1; k <= 30; k++)
		ASSERT_OK(vg_strbuf_printf(&sb, "- list: l%d\n  items: [l%d, l%d]\n", k, k - 1,
					   k - 1));
	ASSERT_OK(vg_strbuf_puts(&sb, TOY_RULE("r", "evt.type = open and proc.name in (l30)")));
	ASSERT_OK(vg_strbuf_steal(&sb, &y));
	ASSERT_ERR(tc_compile(&t, y, NULL), -EBADMSG);
	ASSERT_TRUE(strstr(tc_diag(&t, "TOO_COMPLEX")->msg, "items") != NULL);
	tc_done(&t);
	free(y);
}

TEST(big_list)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct tc t;
	char *y;

	ASSERT_OK(vg_strbuf_puts(&sb, "- list: big\n  items: ["));
	for (int k = 0; k < 99990; k++)
		ASSERT_OK(vg_strbuf_printf(&sb, "%sp%d", k ? ", " : "", k));
	ASSERT_OK(
		vg_strbuf_puts(&sb, "]\n" TOY_RULE("r", "evt.type = open and proc.name in (big)")));
	ASSERT_OK(vg_strbuf_steal(&sb, &y));
	ASSERT_OK(tc_compile(&t, y, NULL));
	ASSERT_EQ(vg_ruleset_count(t.rs), 1u);
	tc_done(&t);
	free(y);
}

TEST(api_misuse)
{
	struct vg_ruleset *rs = NULL;
	struct vg_diags d;

	vg_diags_init(&d);
	ASSERT_ERR(vg_rules_compile(NULL, NULL, &rs, &d), -EINVAL);
	ASSERT_EQ(vg_ruleset_count(NULL), 0u);
	ASSERT_NULL(vg_ruleset_rule(NULL, 0));
	ASSERT_NULL(vg_ruleset_free(NULL));
	vg_diags_done(&d);
}
