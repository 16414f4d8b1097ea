/* SPDX-License-Identifier: Apache-2.0 */
/* The evaluator over a toy source: every operator, modifiers, transformers, val(), exceptions,
 * multi-valued and missing fields, matching modes, the field cache, hostile regexes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules-helper.h"
#include "rules/ruleset.h"
#include "shared/regex.h"
#include "tap.h"
#include "toy-source.h"

__attribute__((constructor)) static void setup(void)
{
	toy_register();
}

static struct toy base(void)
{
	struct toy t = {
		.type = TOY_OPEN,
		.name = "cat",
		.fdname = "/etc/shadow",
		.exepath = "/usr/bin/cat",
		.user = "root",
		.cid = "host",
		.flags = "O_RDONLY|O_CLOEXEC",
		.pid = 42,
		.has_pid = true,
		.fdnum = 3,
		.has_fdnum = true,
		.anc = {"bash", "sshd", "systemd"},
		.n_anc = 3,
		.env_k = {"HOME"},
		.env_v = {"/root"},
		.n_env = 1,
		.ip = {10, 1, 2, 3},
		.ipfam = 4,
		.buf = "\x01\x02"
		       "CHO\xff",
		.buflen = 6,
		.mounts = {"/proc", "/sys"},
		.n_mounts = 2,
		.is_read = 1,
	};
	return t;
}

/* -1: compile error; else whether the one rule matched. */
static int eval_cond(const char *cond, const struct toy *obj, const char *extra)
{
	char *yaml;
	struct tc t;
	struct vg_evaluator *ev;
	int m;

	if (asprintf(&yaml,
		     "%s- rule: r\n  desc: d\n  condition: |-\n    %s\n  output: o\n"
		     "  priority: WARNING\n  source: toy\n",
		     extra ? extra : "", cond) < 0)
		return -1;
	if (tc_compile(&t, yaml, NULL) < 0) {
		vg_diags_print(&t.d, stderr);
		free(yaml);
		tc_done(&t);
		return -1;
	}
	free(yaml);
	if (vg_evaluator_new(t.rs, &ev) < 0) {
		tc_done(&t);
		return -1;
	}
	m = vg_eval(ev, &toy_source, obj, NULL, NULL);
	vg_evaluator_free(ev);
	tc_done(&t);
	return m;
}

#define YES(cond)                                                         \
	do {                                                              \
		struct toy o_ = base();                                   \
		int m_ = eval_cond(cond, &o_, NULL);                      \
		if (m_ != 1)                                              \
			TAP_FAIL_AT("expected match: %s (%d)", cond, m_); \
	} while (0)
#define NO(cond)                                                             \
	do {                                                                 \
		struct toy o_ = base();                                      \
		int m_ = eval_cond(cond, &o_, NULL);                         \
		if (m_ != 0)                                                 \
			TAP_FAIL_AT("expected no match: %s (%d)", cond, m_); \
	} while (0)

TEST(equality_and_order)
{
	YES("proc.name = cat");
	YES("proc.name == cat");
	NO("proc.name = ca");
	YES("proc.name != dog");
	NO("proc.name != cat");
	YES("proc.pid = 42 and proc.pid >= 42 and proc.pid <= 42 and proc.pid > 41 and proc.pid < 43");
	NO("proc.pid > 42");
	YES("proc.pid = 0x2a");
	YES("fd.num = 3 and fd.num > -1 and fd.num >= -5");
	NO("fd.num < 0");
	YES("evt.is_open_read = true");
	NO("evt.is_open_read = false");
	YES("evt.is_open_read != false");
}

TEST(string_ops)
{
	YES("fd.name contains shad");
	YES("fd.name contains ''");
	NO("fd.name contains SHAD");
	YES("fd.name icontains SHAD");
	YES("fd.name startswith /etc/");
	NO("fd.name startswith /etc/shadowx");
	YES("fd.name endswith dow");
	NO("fd.name endswith /etc");
	YES("fd.name glob '/etc/*'");
	YES("fd.name glob '*shad?w'");
	YES("fd.name glob '/*/sh[a-c]dow'");
	NO("fd.name glob '/*/sh[!a]dow'");
	NO("fd.name glob '/ETC/*'");
	YES("fd.name iglob '/ETC/*'");
	YES("proc.exepath glob '/usr/*'"); /* '*' crosses '/': no FNM_PATHNAME, as Falco */
	YES("fd.name regex '/etc/s.*'");
	NO("fd.name regex 'etc'"); /* regex must match the whole value, as Falco (RE2 full match) */
	YES("fd.name regex '.*etc.*'");
	YES("evt.buffer bcontains 43484f");
	YES("evt.buffer bstartswith 0102");
	NO("evt.buffer bstartswith 02");
	YES("evt.buffer contains CHO");
}

TEST(lists)
{
	YES("proc.name in (ls, cat, dog)");
	NO("proc.name in (ls, dog)");
	YES("proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, cat)"); /* hash set */
	NO("proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, ca)");
	YES("proc.pid in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42)"); /* sorted numbers */
	NO("proc.pid in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 43)");
	YES("fd.num in (-1, 3)");
	YES("proc.name intersects (cat)");
	YES("proc.aname in (sshd)"); /* multi-valued: any value */
	YES("proc.aname intersects (x, systemd)");
	NO("proc.aname in (x, y)");
	YES("container.mounts in (/proc, /sys, /dev)"); /* list-valued: subset */
	NO("container.mounts in (/proc, /dev)");
	YES("container.mounts intersects (/proc, /dev)");
	{
		struct toy o = base();

		ASSERT_EQ(eval_cond("proc.name in (shells)", &o,
				    "- list: shells\n  items: [sh, cat]\n"),
			  1);
		ASSERT_EQ(eval_cond("proc.name in shells", &o,
				    "- list: shells\n  items: [sh, bash]\n"),
			  0);
		ASSERT_EQ(
			eval_cond("proc.name in (sh, inner)", &o,
				  "- list: deep\n  items: [cat]\n- list: inner\n  items: [deep]\n"),
			1);
		/* a quoted item is never a list name */
		ASSERT_EQ(eval_cond("proc.name in ('l')", &o, "- list: l\n  items: [cat]\n"), 0);
	}
}

TEST(pmatch)
{
	YES("fd.name pmatch (/etc)");
	YES("fd.name pmatch (/etc/)");
	YES("fd.name pmatch (/usr, /etc/shadow)");
	YES("fd.name pmatch (/)");
	NO("fd.name pmatch (/et)");
	NO("fd.name pmatch (/etc/shadow/x)");
	NO("fd.name pmatch (/usr, /var)");
	YES("fd.name pmatch (/e*)"); /* glob components */
	YES("fd.name pmatch (/*/sha*)");
	NO("fd.name pmatch (/*/x*)");
	{
		struct toy o = base();

		o.fdname = "//etc///shadow/";
		ASSERT_EQ(eval_cond("fd.name pmatch (/etc/shadow)", &o, NULL), 1);
		o.fdname = "/etcx/a";
		ASSERT_EQ(eval_cond("fd.name pmatch (/a, /b, /c, /d, /e, /f, /g, /h, /i, /etc)", &o,
				    NULL),
			  0);
		o.fdname = "/etc/a";
		ASSERT_EQ(eval_cond("fd.name pmatch (/a, /b, /c, /d, /e, /f, /g, /h, /i, /etc)", &o,
				    NULL),
			  1);
	}
}

TEST(ip)
{
	YES("fd.ip = 10.1.2.3");
	NO("fd.ip = 10.1.2.4");
	YES("fd.ip = 10.0.0.0/8"); /* CIDR containment */
	NO("fd.ip = 192.168.0.0/16");
	YES("fd.ip != 192.168.0.0/16");
	YES("fd.ip in (192.168.0.0/16, 10.1.2.0/24)");
	NO("fd.ip in (192.168.0.0/16, 10.1.3.0/24, ::1)");
	{
		struct toy o = base();

		o.ipfam = 6;
		memset(o.ip, 0, 16);
		o.ip[15] = 1;
		ASSERT_EQ(eval_cond("fd.ip = ::1", &o, NULL), 1);
		ASSERT_EQ(eval_cond("fd.ip = 10.0.0.0/8", &o, NULL), 0);
		ASSERT_EQ(eval_cond("fd.ip = ::/64", &o, NULL), 1);
	}
}

TEST(modifiers)
{
	YES("fd.name startswith oneof (/usr, /etc)");
	YES("fd.name startswith anyof (/usr, /etc)");
	NO("fd.name startswith anyof (/usr, /var)");
	YES("fd.name contains allof (etc, shadow)");
	NO("fd.name contains allof (etc, passwd)");
	YES("fd.name = anyof (/x, /etc/shadow)");
	{
		struct toy o = base();

		ASSERT_EQ(eval_cond("fd.name startswith anyof (dirs)", &o,
				    "- list: dirs\n  items: [/usr, /etc]\n"),
			  1);
	}
}

TEST(transformers)
{
	YES("toupper(proc.name) = CAT");
	YES("tolower(toupper(proc.name)) = cat");
	YES("basename(proc.exepath) = cat");
	YES("len(proc.name) = 3");
	NO("len(proc.name) > 3");
	YES("len(container.mounts) = 2"); /* list: number of values */
	YES("tolower(fd.name) icontains SHADOW");
	{
		struct toy o = base();

		o.name = "Y2F0"; /* "cat" */
		ASSERT_EQ(eval_cond("b64(proc.name) = cat", &o, NULL), 1);
		o.name = "!!";
		ASSERT_EQ(eval_cond("b64(proc.name) exists", &o, NULL), 0);
	}
}

TEST(val_field)
{
	struct toy o = base();

	YES("proc.name = val(proc.aname[0])");
	NO("proc.name = val(proc.aname[1])");
	YES("proc.aname[1] = val(proc.aname[1])");
	YES("basename(proc.exepath) = val(proc.name)");
	YES("proc.name in val(proc.aname[0])");
	o.fdname = "/usr/bin/cat";
	ASSERT_EQ(eval_cond("fd.name = val(proc.exepath)", &o, NULL), 1);
	o.exepath = NULL;
	ASSERT_EQ(eval_cond("fd.name = val(proc.exepath)", &o, NULL), 0);
	ASSERT_EQ(eval_cond("fd.name != val(proc.exepath)", &o, NULL), 0);
}

TEST(args)
{
	YES("proc.env[HOME] = /root");
	NO("proc.env[PATH] exists");
	YES("evt.arg.flags contains O_RDONLY");
	YES("evt.arg[flags] contains O_CLOEXEC");
	YES("proc.aname[2] = sshd");
	YES("proc.aname[3] = systemd");
	NO("proc.aname[4] exists");
}

TEST(missing_and_multi)
{
	struct toy o = base();

	/* <NA>: every comparison is false, != included; `exists` is false */
	o.name = NULL;
	ASSERT_EQ(eval_cond("proc.name != x", &o, NULL), 0);
	ASSERT_EQ(eval_cond("proc.name = x", &o, NULL), 0);
	ASSERT_EQ(eval_cond("proc.name exists", &o, NULL), 0);
	ASSERT_EQ(eval_cond("not proc.name exists", &o, NULL), 1);
	ASSERT_EQ(eval_cond("not proc.name in (x)", &o, NULL), 1);
	o = base();
	YES("proc.aname exists");
	/* multi-valued: any value; for != that is "some value differs" (Falco's proc.aname) */
	YES("proc.aname = sshd");
	YES("proc.aname != sshd");
	NO("not proc.aname = sshd");
	YES("proc.aname startswith sys");
	o.n_anc = 0;
	ASSERT_EQ(eval_cond("proc.aname exists", &o, NULL), 0);
	ASSERT_EQ(eval_cond("proc.aname != sshd", &o, NULL), 0);
}

TEST(logic)
{
	YES("proc.name = cat and (fd.name = x or fd.num = 3)");
	NO("proc.name = cat and not (fd.name = x or fd.num = 3)");
	YES("not proc.name = dog");
	YES("not not proc.name = cat");
	YES("proc.name = x or proc.name = y or proc.name = cat");
}

static const char *exc_rule(const char *exc)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf),
		 "- list: known\n  items: [cat, ls]\n"
		 "- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n"
		 "  priority: WARNING\n  source: toy\n  exceptions:\n%s",
		 exc);
	return buf;
}

static int eval_yaml(const char *yaml, const struct toy *o, int *ret_rules)
{
	struct tc t;
	struct vg_evaluator *ev;
	int m;

	if (tc_compile(&t, yaml, NULL) < 0) {
		vg_diags_print(&t.d, stderr);
		tc_done(&t);
		return -1;
	}
	if (ret_rules)
		*ret_rules = (int)vg_ruleset_count(t.rs);
	if (vg_evaluator_new(t.rs, &ev) < 0)
		return -1;
	m = vg_eval(ev, &toy_source, o, NULL, NULL);
	vg_evaluator_free(ev);
	tc_done(&t);
	return m;
}

TEST(exceptions)
{
	struct toy o = base();

	/* single field, default comp `in`, all values as one list */
	ASSERT_EQ(
		eval_yaml(exc_rule("  - name: e\n    fields: proc.name\n    values: [dog, cat]\n"),
			  &o, NULL),
		0);
	ASSERT_EQ(eval_yaml(exc_rule("  - name: e\n    fields: proc.name\n    values: [dog]\n"), &o,
			    NULL),
		  1);
	/* a value naming a list is expanded */
	ASSERT_EQ(eval_yaml(exc_rule("  - name: e\n    fields: proc.name\n    values: [known]\n"),
			    &o, NULL),
		  0);
	/* single field, string comp: one check per value */
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: fd.name\n    comps: pmatch\n    values: [/usr, /etc]\n"),
			&o, NULL),
		0);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: fd.name\n    comps: pmatch\n    values: [/usr, /et]\n"),
			&o, NULL),
		1);
	/* tuples: default `=` per field; rows are or'ed, fields and'ed */
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.name, fd.name]\n    values:\n      - [cat, /etc/passwd]\n      - [dog, /etc/shadow]\n"),
			&o, NULL),
		1);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.name, fd.name]\n    values:\n      - [cat, /etc/passwd]\n      - [cat, /etc/shadow]\n"),
			&o, NULL),
		0);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.name, fd.name]\n    comps: [in, startswith]\n    values:\n      - [known, /etc]\n"),
			&o, NULL),
		0);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.name, fd.name]\n    comps: [in, endswith]\n    values:\n      - [[dog, cat], shadow]\n"),
			&o, NULL),
		0);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.pid, fd.name]\n    comps: [\">=\", contains]\n    values:\n      - [40, shad]\n"),
			&o, NULL),
		0);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.pid, fd.name]\n    comps: [\"<\", contains]\n    values:\n      - [40, shad]\n"),
			&o, NULL),
		1);
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: e\n    fields: [proc.name, proc.aname]\n    comps: [\"!=\", intersects]\n    values:\n      - [dog, [sshd]]\n"),
			&o, NULL),
		0);
	/* two exceptions: each is `and not (...)` */
	ASSERT_EQ(
		eval_yaml(
			exc_rule(
				"  - name: a\n    fields: proc.name\n    values: [dog]\n  - name: b\n    fields: fd.num\n    values: [3]\n"),
			&o, NULL),
		0);
	/* no values: nothing excepted */
	ASSERT_EQ(eval_yaml(exc_rule("  - name: e\n    fields: proc.name\n"), &o, NULL), 1);
}

static int n_calls;

static void on_match(void *ud, const struct vg_rule *r)
{
	char *log = ud;

	strcat(log, r->name);
	strcat(log, ",");
	n_calls++;
}

TEST(matching_first_all)
{
	const char *y =
		TOY_RULE("a", "evt.type = dup") TOY_RULE("b", "evt.type = open and proc.name = cat")
			TOY_RULE("c", "evt.type in (open, dup)") TOY_RULE("d", "proc.name = cat");
	struct vg_compile_options o = {.matching = VG_MATCH_FIRST, .min_priority = VG_PRIO_DEBUG};
	struct toy obj = base();
	struct vg_evaluator *ev;
	char log[256] = "";
	struct tc t;

	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	ASSERT_EQ(vg_eval(ev, &toy_source, &obj, on_match, log), 1);
	ASSERT_STREQ(log, "b,");
	obj.type = TOY_DUP;
	log[0] = 0;
	ASSERT_EQ(vg_eval(ev, &toy_source, &obj, on_match, log), 1);
	ASSERT_STREQ(log, "a,");
	/* a source without rules, an unknown event type */
	ASSERT_EQ(vg_eval(ev, &toy_cfg_source, &obj, on_match, log), 0);
	obj.type = 999;
	log[0] = 0;
	ASSERT_EQ(vg_eval(ev, &toy_source, &obj, on_match, log), 1);
	ASSERT_STREQ(log, "d,");
	vg_evaluator_free(ev);
	tc_done(&t);

	o.matching = VG_MATCH_ALL;
	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	obj.type = TOY_OPEN;
	log[0] = 0;
	ASSERT_EQ(vg_eval(ev, &toy_source, &obj, on_match, log), 3);
	ASSERT_STREQ(log, "b,c,d,");
	vg_evaluator_free(ev);
	tc_done(&t);
}

TEST(field_cache)
{
	const char *y = TOY_RULE("a", "evt.type = open and proc.name = x and fd.name = y")
		TOY_RULE("b", "evt.type = open and proc.name = y") TOY_RULE(
			"c", "evt.type = open and proc.name in (z, cat) and fd.name = /etc/shadow");
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct toy obj = base();
	struct vg_evaluator *ev;
	struct tc t;

	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	toy_extract_calls = 0;
	ASSERT_EQ(vg_eval(ev, &toy_source, &obj, NULL, NULL), 1);
	/* proc.name, fd.name: once each; evt.type is decided for the bucket at compile time */
	ASSERT_EQ(toy_extract_calls, 2u);
	toy_extract_calls = 0;
	obj.name = "x";
	ASSERT_EQ(vg_eval(ev, &toy_source, &obj, NULL, NULL), 0);
	ASSERT_EQ(toy_extract_calls, 2u);
	vg_evaluator_free(ev);
	tc_done(&t);
}

TEST(redos_bounded)
{
	struct toy o = base();
	char *big = malloc(100001);
	struct timespec a, b;

	ASSERT_NOT_NULL(big);
	memset(big, 'a', 100000);
	big[99999] = 'b';
	big[100000] = 0;
	o.name = big;
	clock_gettime(CLOCK_MONOTONIC, &a);
	ASSERT_EQ(eval_cond("proc.name regex '(a+)+$'", &o, NULL), 0);
	ASSERT_EQ(eval_cond("proc.name regex '(a|aa)+c'", &o, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ASSERT_LT((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000, 2000);
	free(big);
}

TEST(throughput)
{
	/* Not a benchmark: a sanity floor so a pathological slowdown fails loudly. */
	const char *y = "- list: shells\n  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n" TOY_RULE(
		"a", "evt.type = open and proc.name in (shells) and fd.name startswith /etc")
		TOY_RULE(
			"b",
			"evt.type in (open, openat) and fd.name pmatch (/etc, /usr/bin) and not proc.aname in (sshd)")
			TOY_RULE(
				"c",
				"evt.type = open and proc.name = cat and fd.num >= 0 and fd.name = /etc/passwd");
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct toy obj = base();
	struct vg_evaluator *ev;
	struct timespec a, b;
	struct tc t;
	long ms;

	ASSERT_OK(tc_compile(&t, y, &o));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 1000000; i++)
		(void)vg_eval(ev, &toy_source, &obj, NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	tap_diag("1M events x 3 rules: %ld ms\n", ms);
	ASSERT_LT(ms, 20000);
	vg_evaluator_free(ev);
	tc_done(&t);
}
