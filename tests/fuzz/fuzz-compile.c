/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the rules compiler and evaluator: the input is the condition of one rule of the toy
 * source (tests/unit/rules/toy-source.h), compiled next to a fixed set of lists and macros
 * (nested, one cyclic pair, one exponential chain), then evaluated against a few objects and
 * its output formatted. Checks: compile either succeeds or reports an error; evaluation
 * returns 0 or 1, is deterministic, and the optimised rule set (per-event-type programs,
 * src/rules/optimize.c) decides every object exactly as the trees as written. The fuzzed rule
 * sits between fixed rules that share its macros (the programs carry what one rule learnt
 * about a macro into the next), and with every rule matching the sequence of matches must be
 * the same too.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "basic/strbuf.h"
#include "rules/load.h"
#include "rules/ruleset.h"
#include "../unit/rules/toy-source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prelude[] =
	"- list: shells\n  items: [sh, bash, '\"quoted\"']\n"
	"- list: more\n  items: [shells, zsh, a1, a2, a3, a4, a5, a6, a7, a8, a9]\n"
	"- list: nums\n  items: [1, 2, 3, 42, -1, 0x10, 5, 6, 7, 8, 9]\n"
	"- list: dirs\n  items: [/etc, /usr/bin/, '/*/sh*', /]\n"
	"- list: nets\n  items: [10.0.0.0/8, \"::1\", 192.168.1.1]\n"
	"- list: cyc1\n  items: [cyc2]\n- list: cyc2\n  items: [cyc1]\n"
	"- macro: spawned\n  condition: evt.type in (execve, execveat)\n"
	"- macro: opened\n  condition: evt.type in (open, openat) and fd.num >= 0\n"
	"- macro: shell\n  condition: proc.name in (more)\n"
	"- macro: both\n  condition: spawned or (opened and shell)\n"
	"- macro: loop1\n  condition: loop2\n- macro: loop2\n  condition: loop1\n"
	"- macro: e0\n  condition: proc.name = x\n"
	"- macro: e1\n  condition: e0 or e0\n- macro: e2\n  condition: e1 or e1\n"
	"- macro: e3\n  condition: e2 or e2\n- macro: e4\n  condition: e3 or e3\n"
	"- rule: pre1\n  desc: d\n  condition: opened and shell and fd.num > 7\n  output: o\n"
	"  priority: WARNING\n  source: toy\n"
	"- rule: pre2\n  desc: d\n  condition: (both or not opened) and proc.name = nosuch\n"
	"  output: o\n  priority: WARNING\n  source: toy\n";

/* After the fuzzed rule. */
static const char postlude[] =
	"- rule: post\n  desc: d\n  condition: shell and not spawned or opened and e2\n"
	"  output: o\n  priority: WARNING\n  source: toy\n";

#define N_RULES 4 /* pre1, pre2, fuzz, post */

static struct toy objs[5];

static void init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	toy_register();
	objs[0] = (struct toy){.type = TOY_OPEN,
			       .name = "bash",
			       .fdname = "/etc/shadow",
			       .pid = 42,
			       .has_pid = true,
			       .fdnum = 3,
			       .has_fdnum = true,
			       .anc = {"sshd", "systemd"},
			       .n_anc = 2,
			       .ipfam = 4,
			       .ip = {10, 1, 2, 3},
			       .buf = "ab\x01",
			       .buflen = 3,
			       .mounts = {"/proc"},
			       .n_mounts = 1,
			       .is_read = 1,
			       .flags = "O_RDONLY",
			       .exepath = "/bin/bash",
			       .env_k = {"HOME"},
			       .env_v = {"/root"},
			       .n_env = 1};
	objs[1] = (struct toy){.type = TOY_EXECVE, .is_read = -1};
	objs[2] = objs[0];
	objs[2].type = 77;
	objs[2].name = "Y2F0";
	objs[3] = objs[0];
	objs[3].type = TOY_OPENAT;
	objs[4] = objs[0];
	objs[4].type = TOY_CONNECT;
	objs[4].fdnum = -1;
}

/* The rules that matched, in order: one digit (index + 1) each. */
static void on_match(void *userdata, const struct vg_rule *r)
{
	uint64_t *seq = userdata;

	*seq = *seq * 8 + r->index + 1;
}

/* The sequence of matches of a rule set compiled with o for each object; false on failure. */
static bool sequences(const struct vg_rules_collection *c, const struct vg_compile_options *o,
		      uint64_t seq[])
{
	struct vg_ruleset *rs = NULL;
	struct vg_evaluator *ev = NULL;
	struct vg_diags d;
	bool ok = false;

	vg_diags_init(&d);
	if (vg_rules_compile(c, o, &rs, &d) < 0 || vg_evaluator_new(rs, &ev) < 0)
		goto out;
	for (size_t i = 0; i < VG_ARRAY_SIZE(objs); i++) {
		int m;

		seq[i] = 0;
		m = vg_eval(ev, &toy_source, &objs[i], on_match, &seq[i]);
		if (m < 0 || m > (o->matching == VG_MATCH_FIRST ? 1 : N_RULES))
			goto out;
	}
	ok = true;
out:
	vg_evaluator_free(ev);
	vg_ruleset_free(rs);
	vg_diags_done(&d);
	return ok;
}

/* Optimised and as written decide every object the same in both matching modes. */
static void differential(const struct vg_rules_collection *c)
{
	for (int mode = VG_MATCH_FIRST; mode <= VG_MATCH_ALL; mode++) {
		struct vg_compile_options o = {.matching = (enum vg_rule_matching)mode,
					       .min_priority = VG_PRIO_DEBUG};
		struct vg_compile_options w = o;
		uint64_t a[VG_ARRAY_SIZE(objs)], b[VG_ARRAY_SIZE(objs)];

		w.no_optimize = true;
		if (!sequences(c, &o, a) || !sequences(c, &w, b))
			abort(); /* compiled once, must compile again */
		if (memcmp(a, b, sizeof(a)) != 0)
			abort();
	}
}

/* Whether the unoptimised rule set matches each object (bit i), or -1. */
static int reference(const struct vg_rules_collection *c)
{
	struct vg_compile_options o = {
		.matching = VG_MATCH_FIRST, .min_priority = VG_PRIO_DEBUG, .no_optimize = true};
	struct vg_ruleset *rs = NULL;
	struct vg_evaluator *ev = NULL;
	struct vg_diags d;
	int bits = -1;

	vg_diags_init(&d);
	if (vg_rules_compile(c, &o, &rs, &d) < 0 || vg_evaluator_new(rs, &ev) < 0)
		goto out;
	bits = 0;
	for (size_t i = 0; i < VG_ARRAY_SIZE(objs); i++)
		if (vg_eval(ev, &toy_source, &objs[i], NULL, NULL) == 1)
			bits |= 1 << i;
out:
	vg_evaluator_free(ev);
	vg_ruleset_free(rs);
	vg_diags_done(&d);
	return bits;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_rules_collection c;
	struct vg_diags d;
	struct vg_ruleset *rs = NULL;
	struct vg_rule_def *r;
	struct vg_evaluator *ev;
	char *text;
	int ref;

	if (size > 4096)
		return 0;
	init();
	vg_rules_collection_init(&c);
	vg_diags_init(&d);
	if (vg_rules_load_buffer(&c, "prelude.yaml", prelude, sizeof(prelude) - 1, &d) < 0)
		abort();
	r = vg_arena_calloc(&c.arena, 1, sizeof(*r));
	text = vg_arena_strndup(&c.arena, (const char *)data, size);
	if (!r || !text)
		abort();
	r->name = "fuzz";
	r->desc = "d";
	r->cond.text = text;
	r->cond.len = size;
	r->cond.pos = (struct vg_srcpos){.file = "fuzz", .line = 1, .col = 1};
	r->output = "out %proc.name %fd.name %proc.aname[1] %fd.ip";
	r->priority = VG_PRIO_WARNING;
	r->source = "toy";
	r->enabled = true;
	r->warn_evttypes = true;
	if (vg_vec_push(&c.rules, &r) < 0)
		abort();
	if (vg_rules_load_buffer(&c, "postlude.yaml", postlude, sizeof(postlude) - 1, &d) < 0)
		abort();
	if (vg_rules_compile(&c, NULL, &rs, &d) < 0) {
		if (!d.errors)
			abort(); /* a failed compile says why */
		goto out;
	}
	if (vg_ruleset_count(rs) != N_RULES || vg_evaluator_new(rs, &ev) < 0)
		abort();
	differential(&c);
	ref = reference(&c);
	if (ref < 0)
		abort(); /* compiled once, must compile again */
	for (size_t i = 0; i < VG_ARRAY_SIZE(objs); i++) {
		struct vg_strbuf sb = VG_STRBUF_INIT(0);
		int m1 = vg_eval(ev, &toy_source, &objs[i], NULL, NULL);
		int m2 = vg_eval(ev, &toy_source, &objs[i], NULL, NULL);

		if (m1 < 0 || m1 > 1 || m1 != m2 || m1 != ((ref >> i) & 1))
			abort();
		if (vg_rule_output(ev, vg_ruleset_rule(rs, 2), &objs[i], &sb) < 0)
			abort();
		vg_strbuf_done(&sb);
	}
	vg_evaluator_free(ev);
out:
	vg_ruleset_free(rs);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
	return 0;
}
