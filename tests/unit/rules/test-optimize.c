/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The optimised rule set (src/rules/optimize.c: conditions specialised per event type and laid
 * out as programs) against the trees as written (no_optimize): the same rules match the same
 * objects for every event type, with evt.type under and/or/not, in macros, negated, with
 * unknown names, in exceptions and with both matching modes; evt.type is no longer extracted;
 * a bucket too large for a program falls back to the trees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/time-util.h"
#include "rules-helper.h"
#include "rules/ruleset.h"
#include "tap.h"
#include "toy-source.h"

__attribute__((constructor)) static void setup(void)
{
	toy_register();
}

static struct toy object(unsigned type, const char *name, int fdnum)
{
	struct toy t = {
		.type = type,
		.name = name,
		.fdname = "/etc/shadow",
		.exepath = "/usr/bin/cat",
		.user = "root",
		.cid = "host",
		.flags = "O_RDONLY",
		.pid = 42,
		.has_pid = true,
		.fdnum = fdnum,
		.has_fdnum = true,
		.anc = {"bash", "sshd"},
		.n_anc = 2,
		.ipfam = 4,
		.ip = {10, 1, 2, 3},
		.is_read = 1,
	};
	return t;
}

/* Every rule's name that matched, in order, separated by spaces. */
struct matched {
	char buf[1024];
};

static void on_match(void *userdata, const struct vg_rule *r)
{
	struct matched *m = userdata;
	size_t n = strlen(m->buf);

	snprintf(m->buf + n, sizeof(m->buf) - n, "%s%s", n ? " " : "", r->name);
}

static unsigned matches_seen; /* objects that matched, over all comparisons */

/* Compiles yaml twice (optimised and not) and compares the matches on every toy event type
 * for a few process names and fd numbers. Returns the number of objects compared, -1 when
 * compiling failed, -2 on the first difference (printed). */
static int differential(const char *yaml, enum vg_rule_matching mode)
{
	static const char *const names[] = {
		"cat", "bash", "dog", "a-very-long-process-name",
		/* 100 and 300 bytes: the searches for longer values */
		"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO"
		"O_TRUNC|long-procO",
		"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO"
		"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO"
		"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO"
		"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO_TRUNC|long-procO",
	};
	static const int fds[] = {3, -1};
	struct vg_compile_options oo = {.matching = mode, .min_priority = VG_PRIO_DEBUG};
	struct vg_compile_options ro = {
		.matching = mode, .min_priority = VG_PRIO_DEBUG, .no_optimize = true};
	struct tc opt, ref;
	struct vg_evaluator *eo = NULL, *er = NULL;
	int n = 0;

	if (tc_compile(&opt, yaml, &oo) < 0 || tc_compile(&ref, yaml, &ro) < 0 ||
	    vg_evaluator_new(opt.rs, &eo) < 0 || vg_evaluator_new(ref.rs, &er) < 0) {
		vg_diags_print(&opt.d, stderr);
		n = -1;
		goto out;
	}
	for (unsigned type = 1; type <= TOY__N; type++) /* TOY__N: a type the source lacks */
		for (size_t i = 0; i < VG_ARRAY_SIZE(names); i++)
			for (size_t k = 0; k < VG_ARRAY_SIZE(fds); k++) {
				struct toy o = object(type, names[i], fds[k]);
				struct matched mo = {{0}}, mr = {{0}};
				int a = vg_eval(eo, &toy_source, &o, on_match, &mo);
				int b = vg_eval(er, &toy_source, &o, on_match, &mr);

				if (a != b || strcmp(mo.buf, mr.buf) != 0) {
					fprintf(stderr,
						"# type %u name %s fd %d: optimised [%s] (%d), "
						"written [%s] (%d)\n",
						type, names[i], fds[k], mo.buf, a, mr.buf, b);
					n = -2;
					goto out;
				}
				matches_seen += a > 0;
				n++;
			}
out:
	vg_evaluator_free(eo);
	vg_evaluator_free(er);
	tc_done(&opt);
	tc_done(&ref);
	return n;
}

static const char prelude[] =
	"- list: shells\n  items: [sh, bash, zsh]\n"
	"- list: opens\n  items: [open, openat, openat2]\n"
	"- macro: open_any\n  condition: evt.type in (opens) and fd.num >= 0\n"
	"- macro: spawned\n  condition: evt.type in (execve, execveat)\n"
	"- macro: shell\n  condition: proc.name in (shells)\n"
	"- macro: either\n  condition: (open_any and shell) or (spawned and not shell)\n"
	"- macro: not_open\n  condition: not evt.type = open\n"
	"- macro: never\n  condition: evt.type = open and evt.type = connect\n";

TEST(same_matches_as_written)
{
	static const char *const conds[] = {
		"evt.type = open and proc.name = cat",
		"evt.type != open and proc.name = cat",
		"not evt.type = open and fd.num < 0",
		"(evt.type = open and proc.name = cat) or (evt.type = connect and proc.name = dog)",
		"evt.type in (open, connect) and not (evt.type = connect and fd.num >= 0)",
		"open_any and not shell",
		"either",
		"(either or evt.type = dup) and proc.name != dog",
		"not_open and (spawned or evt.type intersects (dup, dup2))",
		"never or (evt.type = ptrace and proc.name = bash)",
		"evt.type = open or evt.type = nosuchtype or proc.name = dog",
		"evt.type in (nosuchtype) or (evt.type != nosuchtype and proc.name = bash)",
		"not (evt.type in (opens) or evt.type in (execve)) and proc.name = cat",
		"(evt.type = open or fd.num = 3) and (evt.type = openat or proc.name = cat)",
		"evt.type startswith open and proc.name = cat",
		"evt.type = open and (fd.num >= 0 or not (evt.type = open and proc.name = x))",
	};
	int total = 0;

	for (enum vg_rule_matching mode = VG_MATCH_FIRST; mode <= VG_MATCH_ALL; mode++)
		for (size_t i = 0; i < VG_ARRAY_SIZE(conds); i++) {
			char yaml[8192];
			int n;

			/* the condition alone, then every condition as one rule set */
			snprintf(yaml, sizeof(yaml),
				 "%s- rule: r\n  desc: d\n  condition: %s\n  output: o\n"
				 "  priority: WARNING\n  source: toy\n",
				 prelude, conds[i]);
			n = differential(yaml, mode);
			if (n < 0)
				TAP_FAIL_AT("condition '%s' (%s): %s", conds[i],
					    mode == VG_MATCH_ALL ? "all" : "first",
					    n == -1 ? "does not compile" : "differs");
			total += n > 0 ? n : 0;
		}
	{
		char yaml[16384];
		size_t len = snprintf(yaml, sizeof(yaml), "%s", prelude);

		for (size_t i = 0; i < VG_ARRAY_SIZE(conds); i++)
			len += snprintf(yaml + len, sizeof(yaml) - len,
					"- rule: r%zu\n  desc: d\n  condition: %s\n  output: o\n"
					"  priority: WARNING\n  source: toy\n",
					i, conds[i]);
		ASSERT_LT(len, sizeof(yaml));
		ASSERT_GT(differential(yaml, VG_MATCH_ALL), 0);
		ASSERT_GT(differential(yaml, VG_MATCH_FIRST), 0);
	}
	ASSERT_GT(total, 0);
	/* not vacuous: a good share of the objects matched */
	ASSERT_GT(matches_seen, (unsigned)total / 8);
	tap_diag("%d comparisons, %u matches\n", total, matches_seen);
}

TEST(exceptions_with_evttype)
{
	const char *yaml =
		"- rule: r\n  desc: d\n  condition: evt.type in (open, connect, execve)\n"
		"  output: o\n  priority: WARNING\n  source: toy\n"
		"  exceptions:\n"
		"    - name: by_type\n      fields: [evt.type, proc.name]\n"
		"      values: [[connect, dog], [open, cat]]\n";

	ASSERT_GT(differential(yaml, VG_MATCH_ALL), 0);
}

TEST(evttype_not_extracted)
{
	struct tc t;
	struct vg_evaluator *ev;
	struct toy o = object(1, "cat", 3);

	ASSERT_OK(tc_compile(&t, TOY_RULE("r", "evt.type in (open, openat) and proc.name = cat"),
			     NULL));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	toy_extract_calls = 0;
	ASSERT_EQ(vg_eval(ev, &toy_source, &o, NULL, NULL), 1);
	ASSERT_EQ(toy_extract_calls, 1u); /* proc.name only */
	vg_evaluator_free(ev);
	tc_done(&t);
}

/* Rules whose programs would pass VG_PROG_INSNS_MAX (memoised macros are laid out at every
 * use): the bucket keeps its trees and decides the same. */
TEST(too_large_for_a_program)
{
	static char yaml[65536];
	size_t len = snprintf(yaml, sizeof(yaml),
			      "- macro: e0\n  condition: proc.name = x or fd.num = 7\n");

	for (int i = 1; i <= 13; i++)
		len += snprintf(yaml + len, sizeof(yaml) - len,
				"- macro: e%d\n  condition: (e%d or proc.name = y%d) and (e%d or "
				"fd.num = %d)\n",
				i, i - 1, i, i - 1, i);
	for (int r = 0; r < 24; r++)
		len += snprintf(yaml + len, sizeof(yaml) - len,
				"- rule: r%d\n  desc: d\n  condition: evt.type = open and (e13 or "
				"proc.name = cat%d)\n  output: o\n  priority: WARNING\n  source: toy\n",
				r, r % 3);
	ASSERT_LT(len, sizeof(yaml));
	ASSERT_GT(differential(yaml, VG_MATCH_ALL), 0);
}

/* Rules that share macros in every position (first, later, negated, under `or`, nested in
 * another macro): the programs carry what an earlier rule learnt about a macro into the
 * later ones (optimize.c's memo flow), which must decide exactly as the trees. */
TEST(macros_known_across_rules)
{
	static const char *const conds[] = {
		"open_any and proc.name = cat",
		"open_any and fd.num > 5",
		"not open_any and shell",
		"(shell or open_any) and proc.name != dog",
		"either and not open_any",
		"open_any or either",
		"shell and (open_any or spawned)",
		"not shell and not open_any",
		"(fd.num = 3 and shell) or (open_any and not shell)",
		"either",
		"open_any and shell and fd.num = 3",
		"shell",
	};
	int total = 0;

	/* each order: the rules as listed, and every rotation, so each macro is learnt first
	 * by a different rule */
	for (size_t rot = 0; rot < VG_ARRAY_SIZE(conds); rot++) {
		char yaml[16384];
		size_t len = snprintf(yaml, sizeof(yaml), "%s", prelude);

		for (size_t i = 0; i < VG_ARRAY_SIZE(conds); i++)
			len += snprintf(yaml + len, sizeof(yaml) - len,
					"- rule: r%zu\n  desc: d\n  condition: %s\n  output: o\n"
					"  priority: WARNING\n  source: toy\n",
					i, conds[(i + rot) % VG_ARRAY_SIZE(conds)]);
		ASSERT_LT(len, sizeof(yaml));
		for (enum vg_rule_matching mode = VG_MATCH_FIRST; mode <= VG_MATCH_ALL; mode++) {
			int n = differential(yaml, mode);

			if (n < 0)
				TAP_FAIL_AT("rotation %zu (%s): %s", rot,
					    mode == VG_MATCH_ALL ? "all" : "first",
					    n == -1 ? "does not compile" : "differs");
			total += n > 0 ? n : 0;
		}
	}
	ASSERT_GT(total, 0);
}

/* The direct comparisons a program's checks use for one value (optimize.c's check_fast) decide
 * as the general path: every kind, with values that match, that do not, that are shorter or
 * longer than the literal, <NA>, and multi-valued fields (which take the general path). */
TEST(direct_comparisons)
{
	static const char *const conds[] = {
		"proc.name = cat",
		"proc.name != cat",
		"proc.name startswith ca",
		"proc.name startswith ''",
		"proc.name startswith catalogue",
		"proc.name endswith at",
		"fd.name endswith shadow",
		"fd.name endswith /etc/shadowx",
		"proc.name contains a",
		"proc.name contains ''",
		"fd.name contains etc/sh",
		"fd.name contains /etc/shadow/",
		"proc.name in (cat, dog)",
		"proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, bash)",
		"proc.name startswith oneof (ca, do)",
		"proc.name = anyof (bash, x)",
		"tolower(proc.name) = cat",
		"proc.aname = sshd",
		"proc.aname != sshd",
		"proc.aname[1] startswith ba",
		"fd.num = 3",
		"fd.num != 3",
		"fd.num < 0",
		"fd.num <= -1",
		"fd.num > 2",
		"fd.num >= 3",
		"fd.num in (3, 4)",
		"proc.pid < 43",
		"proc.pid > 41",
		"proc.pid = 42",
		"proc.pid != 42",
		"proc.pid >= 42 and proc.pid <= 42",
		"evt.is_open_read = true",
		"evt.is_open_read != true",
		"fd.name exists",
		"proc.env[HOME] exists",
		"proc.env[HOME] = /root",
		"evt.buffer bcontains 6162",
		"evt.buffer bstartswith 61",
		"container.mounts in (/proc)",
		"fd.ip = 10.1.2.3",
		"fd.ip = 10.0.0.0/8",
		"len(proc.name) = 3",
		"proc.name = a-very-long-process-name",
		"proc.name = a-very-long-process-namX",
		"proc.name = b-very-long-process-name",
		"proc.name = a-very-loXg-process-name",
		"proc.name startswith a-very-long-process",
		"proc.name startswith a-very-long-pXocess",
		"proc.name endswith long-process-name",
		"proc.name endswith lXng-process-name",
		"proc.name contains long-process",
		"proc.name contains long-prXcess",
		"proc.name in (x, a-very-long-process-name)",
		"proc.name contains O_TRUNC",
		"proc.name contains O_TRUNX",
		"proc.name contains procO",
		"proc.name contains OOOOOOOOOOOOOOOOOOOOP",
		"proc.name contains OOOOOOOOOOOOOOOOOOOO_TRUNC",
		"proc.name contains O",
		"proc.name contains oO",
	};
	int total = 0;

	for (size_t i = 0; i < VG_ARRAY_SIZE(conds); i++) {
		char yaml[8192];
		int n;

		snprintf(yaml, sizeof(yaml),
			 "%s- rule: r\n  desc: d\n  condition: %s\n  output: o\n"
			 "  priority: WARNING\n  source: toy\n"
			 "- rule: s\n  desc: d\n  condition: open_any and not (%s)\n  output: o\n"
			 "  priority: WARNING\n  source: toy\n",
			 prelude, conds[i], conds[i]);
		n = differential(yaml, VG_MATCH_ALL);
		if (n < 0)
			TAP_FAIL_AT("condition '%s': %s", conds[i],
				    n == -1 ? "does not compile" : "differs");
		total += n > 0 ? n : 0;
	}
	ASSERT_GT(total, 0);
}

/* Twelve macros, each read by a rule, then read again by a second round of rules: the paths
 * into the second round know 2^12 combinations of results, more than optimize.c copies an
 * instruction for, so copies are merged (and merged again into the nearest state); the
 * result must still decide exactly as the trees. */
TEST(paths_past_the_copy_limit)
{
	static const char *const names[] = {"cat", "dog", "bash"};
	static char yaml[32768];
	size_t len = snprintf(yaml, sizeof(yaml), "%s", prelude);
	int total = 0;

	for (int i = 0; i < 12; i++)
		len += snprintf(yaml + len, sizeof(yaml) - len,
				"- macro: m%d\n  condition: proc.name = %s or fd.num = %d\n", i,
				names[i % 3], i % 4 - 1);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 12; i++) {
			char cond[64];

			if (round == 0)
				snprintf(cond, sizeof(cond),
					 i % 2 ? "m%d and fd.num < 0" : "not m%d", i);
			else
				snprintf(cond, sizeof(cond), "(m%d or shell) and open_any", i);
			len += snprintf(yaml + len, sizeof(yaml) - len,
					"- rule: r%d_%d\n  desc: d\n  condition: %s\n  output: o\n"
					"  priority: WARNING\n  source: toy\n",
					round, i, cond);
		}
	ASSERT_LT(len, sizeof(yaml));
	for (enum vg_rule_matching mode = VG_MATCH_FIRST; mode <= VG_MATCH_ALL; mode++) {
		int n = differential(yaml, mode);

		ASSERT_GT(n, 0);
		total += n;
	}
	ASSERT_GT(total, 0);
}

/* Hundreds of macros read by rules in random combinations: the flow pass runs out of its
 * budget of compared states (FLOW_WORK_MAX) and lays out the rest of the program with one
 * copy per instruction; compiling stays quick and the result still decides as the trees. */
TEST(flow_out_of_budget)
{
	static const char *const names[] = {"cat", "dog", "bash"};
	enum { MACROS = 320 };
	char *yaml = malloc(1 << 20);
	size_t len = 0;
	uint32_t seed = 1;
	uint64_t t0;

	ASSERT_NOT_NULL(yaml);
	len += snprintf(yaml + len, (1 << 20) - len, "%s", prelude);
	for (int i = 0; i < MACROS; i++)
		len += snprintf(yaml + len, (1 << 20) - len,
				"- macro: m%d\n  condition: proc.name = %s%d or fd.num = %d\n", i,
				names[i % 3], i / 3, i % 7 - 1);
	for (int i = 0; i < 3 * MACROS; i++) {
		int j, k;

		seed = seed * 1103515245u + 12345u;
		j = (int)(seed >> 8) % MACROS;
		seed = seed * 1103515245u + 12345u;
		k = (int)(seed >> 8) % MACROS;
		len += snprintf(yaml + len, (1 << 20) - len,
				"- rule: r%d\n  desc: d\n  condition: evt.type = open and (m%d or m%d) "
				"and not m%d\n  output: o\n  priority: WARNING\n  source: toy\n",
				i, i % MACROS, j, k);
	}
	ASSERT_LT(len, (size_t)(1 << 20));
	t0 = vg_now_ns(CLOCK_MONOTONIC);
	ASSERT_GT(differential(yaml, VG_MATCH_ALL), 0);
	tap_diag("compiled twice and compared in %.2f s\n",
		 (double)(vg_now_ns(CLOCK_MONOTONIC) - t0) / 1e9);
	free(yaml);
}
