/* SPDX-License-Identifier: Apache-2.0 */
/* Rule files loader: items, define/append/override semantics, diagnostics, real Falco files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rules/diag.h"
#include "rules/load.h"
#include "tap.h"

struct ctx {
	struct vg_rules_collection c;
	struct vg_diags d;
};

static void ctx_init(struct ctx *x)
{
	vg_rules_collection_init(&x->c);
	vg_diags_init(&x->d);
}

static void ctx_done(struct ctx *x)
{
	vg_diags_done(&x->d);
	vg_rules_collection_done(&x->c);
}

static int load(struct ctx *x, const char *s)
{
	return vg_rules_load_buffer(&x->c, "t.yaml", s, strlen(s), &x->d);
}

static const struct vg_diag *diag_at(const struct ctx *x, size_t i)
{
	return i < x->d.v.len ? vg_vec_at(&x->d.v, i) : NULL;
}

/* First diagnostic of a level whose message contains s. */
static const struct vg_diag *find_diag(const struct ctx *x, enum vg_diag_level l, const char *s)
{
	for (size_t i = 0; i < x->d.v.len; i++) {
		const struct vg_diag *g = diag_at(x, i);

		if (g->level == l && g->msg && strstr(g->msg, s))
			return g;
	}
	return NULL;
}

static void dump(const struct ctx *x)
{
	for (size_t i = 0; i < x->d.v.len; i++) {
		const struct vg_diag *g = diag_at(x, i);

		tap_diag("# %u:%u %s %s: %s\n", g->pos.line, g->pos.col, g->code,
			 g->level == VG_DIAG_ERROR ? "error" : "warning", g->msg);
	}
}

static struct vg_rule_def *rule(const struct ctx *x, const char *n)
{
	return vg_hashmap_get_str(&x->c.rule_by_name, n);
}

static struct vg_rule_macro *macro(const struct ctx *x, const char *n)
{
	return vg_hashmap_get_str(&x->c.macro_by_name, n);
}

static struct vg_rule_list *list(const struct ctx *x, const char *n)
{
	return vg_hashmap_get_str(&x->c.list_by_name, n);
}

/* Loads s, which must not add errors (earlier ones in the same context stay counted). */
#define LOAD_OK(x, s)                              \
	do {                                       \
		size_t e_ = (x)->d.errors;         \
		int r_ = load(x, s);               \
		if (r_ < 0 || (x)->d.errors != e_) \
			dump(x);                   \
		ASSERT_OK(r_);                     \
		ASSERT_EQ((x)->d.errors, e_);      \
	} while (0)

#define LOAD_ERR(x, s, text)                                        \
	do {                                                        \
		ASSERT_ERR(load(x, s), -EBADMSG);                   \
		if (!find_diag(x, VG_DIAG_ERROR, text))             \
			dump(x);                                    \
		ASSERT_NOT_NULL(find_diag(x, VG_DIAG_ERROR, text)); \
	} while (0)

#define R1                               \
	"- rule: r1\n"                   \
	"  desc: first\n"                \
	"  condition: evt.type = open\n" \
	"  output: opened %fd.name\n"    \
	"  priority: WARNING\n"          \
	"  tags: [a, b]\n"

/* ---- item kinds ---- */

TEST(list_basic)
{
	struct ctx x;
	struct vg_rule_list *l;

	ctx_init(&x);
	LOAD_OK(&x, "- list: shells\n  items: [bash, \"zsh\", 'sh', 22]\n"
		    "- list: empty\n  items: []\n");
	l = list(&x, "shells");
	ASSERT_NOT_NULL(l);
	ASSERT_EQ(l->n_items, 4u);
	ASSERT_STREQ(l->items[0].text, "bash");
	ASSERT_FALSE(l->items[0].quoted);
	ASSERT_TRUE(l->items[1].quoted);
	ASSERT_TRUE(l->items[2].quoted);
	ASSERT_STREQ(l->items[3].text, "22");
	ASSERT_FALSE(l->items[3].quoted);
	ASSERT_EQ(l->items[1].pos.line, 2u);
	ASSERT_EQ(l->items[1].pos.col, 17u);
	ASSERT_EQ(l->pos.line, 1u);
	ASSERT_EQ(list(&x, "empty")->n_items, 0u);
	ASSERT_EQ(x.c.lists.len, 2u);
	ctx_done(&x);
}

TEST(macro_basic)
{
	struct ctx x;
	struct vg_rule_macro *m;

	ctx_init(&x);
	LOAD_OK(&x, "- macro: spawned\n  condition: evt.type = execve and evt.dir = <\n");
	m = macro(&x, "spawned");
	ASSERT_NOT_NULL(m);
	ASSERT_STREQ(m->cond.text, "evt.type = execve and evt.dir = <");
	ASSERT_EQ(m->cond.len, strlen(m->cond.text));
	ASSERT_EQ(m->cond.pos.line, 2u);
	ASSERT_EQ(m->cond.pos.col, 14u);
	ctx_done(&x);
}

TEST(rule_basic_and_defaults)
{
	struct ctx x;
	struct vg_rule_def *r;

	ctx_init(&x);
	LOAD_OK(&x, R1 "- rule: r2\n  desc: d\n  condition: c\n  output: \"  o  \"\n"
		       "  priority: info\n  source: k8s_audit\n  enabled: false\n"
		       "  warn_evttypes: False\n  skip-if-unknown-filter: yes\n  capture: true\n"
		       "  capture_duration: 5000\n");
	r = rule(&x, "r1");
	ASSERT_NOT_NULL(r);
	ASSERT_STREQ(r->desc, "first");
	ASSERT_STREQ(r->output, "opened %fd.name");
	ASSERT_EQ(r->priority, VG_PRIO_WARNING);
	ASSERT_STREQ(r->source, "syscall");
	ASSERT_TRUE(r->enabled);
	ASSERT_TRUE(r->warn_evttypes);
	ASSERT_FALSE(r->skip_if_unknown_filter);
	ASSERT_FALSE(r->capture);
	ASSERT_EQ(r->n_tags, 2u);
	ASSERT_STREQ(r->tags[1], "b");
	ASSERT_EQ(r->index, 0u);
	ASSERT_EQ(r->pos.line, 1u);
	ASSERT_EQ(r->output_pos.line, 4u);
	ASSERT_EQ(r->output_pos.col, 11u);
	r = rule(&x, "r2");
	ASSERT_STREQ(r->output, "o");
	ASSERT_EQ(r->output_pos.col, 14u); /* after the quote and the trimmed spaces */
	ASSERT_EQ(r->priority, VG_PRIO_INFORMATIONAL);
	ASSERT_STREQ(r->source, "k8s_audit");
	ASSERT_FALSE(r->enabled);
	ASSERT_FALSE(r->warn_evttypes);
	ASSERT_TRUE(r->skip_if_unknown_filter);
	ASSERT_TRUE(r->capture);
	ASSERT_EQ(r->capture_duration_ms, 5000u);
	ASSERT_EQ(r->index, 1u);
	ctx_done(&x);
}

TEST(priorities)
{
	ASSERT_EQ(vg_priority_parse("EMERGENCY"), VG_PRIO_EMERGENCY);
	ASSERT_EQ(vg_priority_parse("Informational"), VG_PRIO_INFORMATIONAL);
	ASSERT_EQ(vg_priority_parse("INFO"), VG_PRIO_INFORMATIONAL);
	ASSERT_EQ(vg_priority_parse("debug"), VG_PRIO_DEBUG);
	ASSERT_EQ(vg_priority_parse("critical"), VG_PRIO_CRITICAL);
	ASSERT_EQ(vg_priority_parse("warn"), -EINVAL);
	ASSERT_EQ(vg_priority_parse(""), -EINVAL);
	ASSERT_STREQ(vg_priority_name(VG_PRIO_INFORMATIONAL), "Informational");
	ASSERT_STREQ(vg_priority_name(VG_PRIO_EMERGENCY), "Emergency");
	ASSERT_NULL(vg_priority_name(VG_PRIO__MAX));
}

TEST(engine_version)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "- required_engine_version: 0.26.1\n- required_engine_version: 10\n"
		    "- required_engine_version: '0.57.0'\n- required_engine_version: 0.9.0\n");
	ASSERT_STREQ(x.c.required_engine_version, "0.57.0");
	LOAD_OK(&x, "- required_engine_version: 0.63.0\n");
	ASSERT_STREQ(x.c.required_engine_version, "0.63.0");
	LOAD_ERR(&x, "- required_engine_version: 0.100.0\n",
		 "Rules require engine version 0.100.0");
	LOAD_ERR(&x, "- required_engine_version: 1.0.0\n", "but engine version is 0.63.0");
	LOAD_ERR(&x, "- required_engine_version: 64\n", "0.64.0");
	LOAD_ERR(&x, "- required_engine_version: abc\n", "Unable to parse engine version");
	LOAD_ERR(&x, "- required_engine_version: [1]\n", "not a scalar");
	ASSERT_STREQ(x.c.required_engine_version, "0.63.0");
	ctx_done(&x);
}

TEST(plugin_versions)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "- required_plugin_versions:\n  - name: container\n    version: 0.4.0\n");
	ASSERT_EQ(x.d.warnings, 0u);
	LOAD_OK(&x, "- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n"
		    "    alternatives:\n      - name: k8saudit-eks\n        version: 0.4.0\n");
	ASSERT_EQ(x.d.warnings, 1u);
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "'k8saudit'"));
	LOAD_OK(&x, "- required_plugin_versions:\n  - name: json\n    version: 0.1.0\n"
		    "    alternatives: [{name: container, version: 0.7.2}]\n");
	ASSERT_EQ(x.d.warnings, 1u);
	LOAD_OK(&x, "- required_plugin_versions:\n  - name: container\n    version: 0.8.0\n");
	ASSERT_EQ(x.d.warnings, 2u);
	LOAD_ERR(&x, "- required_plugin_versions:\n  - name: container\n    version: x\n",
		 "Invalid required version 'x' for plugin 'container'");
	LOAD_ERR(&x, "- required_plugin_versions:\n  - version: 1.0.0\n",
		 "Item has no mapping for key 'name'");
	LOAD_ERR(&x, "- required_plugin_versions: container\n", "must be a sequence");
	LOAD_ERR(&x,
		 "- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n"
		 "    alternatives: [{name: a, version: 1.0.0}]\n",
		 "multiple alternative");
	ctx_done(&x);
}

/* ---- override / append semantics ---- */

TEST(list_redefine_replaces_in_place)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "- list: a\n  items: [x, y]\n- list: b\n  items: [z]\n"
		    "- list: a\n  items: [w]\n");
	ASSERT_EQ(x.c.lists.len, 2u);
	ASSERT_EQ(*(struct vg_rule_list **)vg_vec_at(&x.c.lists, 0), list(&x, "a"));
	ASSERT_EQ(list(&x, "a")->n_items, 1u);
	ASSERT_STREQ(list(&x, "a")->items[0].text, "w");
	ASSERT_EQ(x.d.warnings, 0u);
	ctx_done(&x);
}

TEST(list_append_flag_deprecated)
{
	struct ctx x;
	const struct vg_diag *g;

	ctx_init(&x);
	LOAD_OK(&x, "- list: a\n  items: [x]\n- list: a\n  append: true\n  items: [y, z]\n");
	ASSERT_EQ(list(&x, "a")->n_items, 3u);
	ASSERT_STREQ(list(&x, "a")->items[2].text, "z");
	g = find_diag(&x, VG_DIAG_WARNING, "'append' key is deprecated");
	ASSERT_NOT_NULL(g);
	ASSERT_STREQ(g->code, "LOAD_DEPRECATED_ITEM");
	ASSERT_STREQ(g->item, "list 'a'");
	ASSERT_EQ(g->pos.line, 4u);
	ctx_done(&x);
}

TEST(list_override_append_and_replace)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "- list: a\n  items: [x]\n"
		    "- list: a\n  items: [y]\n  override:\n    items: append\n");
	ASSERT_EQ(list(&x, "a")->n_items, 2u);
	LOAD_OK(&x, "- list: a\n  items: [q]\n  override:\n    items: replace\n");
	ASSERT_EQ(list(&x, "a")->n_items, 1u);
	ASSERT_STREQ(list(&x, "a")->items[0].text, "q");
	ASSERT_EQ(x.d.warnings, 0u);
	ctx_done(&x);
}

TEST(list_append_missing)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_ERR(&x, "- list: nope\n  items: [y]\n  append: true\n", "no list by that name");
	LOAD_ERR(&x, "- list: nope\n  items: [y]\n  override: {items: append}\n",
		 "no list by that name");
	LOAD_ERR(&x, "- list: nope\n  items: [y]\n  override: {items: replace}\n",
		 "no list by that name");
	LOAD_ERR(&x, "- list: a\n  items: [y]\n  append: true\n  override: {items: append}\n",
		 "cannot be used together");
	LOAD_ERR(&x, "- list: a\n  items: [y]\n  override: {condition: append}\n",
		 "Key 'condition' cannot be appended to");
	ASSERT_EQ(x.c.lists.len, 0u);
	ctx_done(&x);
}

TEST(macro_redefine_append_override)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "- macro: m\n  condition: a\n- macro: n\n  condition: z\n"
		    "- macro: m\n  condition: b\n");
	ASSERT_STREQ(macro(&x, "m")->cond.text, "b");
	ASSERT_EQ(*(struct vg_rule_macro **)vg_vec_at(&x.c.macros, 0), macro(&x, "m"));
	LOAD_OK(&x, "- macro: m\n  condition: or c\n  append: true\n");
	ASSERT_STREQ(macro(&x, "m")->cond.text, "b or c");
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "deprecated"));
	LOAD_OK(&x, "- macro: m\n  condition: or d\n  override:\n    condition: append\n");
	ASSERT_STREQ(macro(&x, "m")->cond.text, "b or c or d");
	LOAD_OK(&x, "- macro: m\n  condition: e\n  override:\n    condition: replace\n");
	ASSERT_STREQ(macro(&x, "m")->cond.text, "e");
	LOAD_ERR(&x, "- macro: q\n  condition: x\n  append: true\n", "no macro by that name");
	LOAD_ERR(&x, "- macro: q\n  condition: x\n  override: {condition: append}\n",
		 "no macro by that name");
	ASSERT_EQ(x.c.macros.len, 2u);
	ctx_done(&x);
}

TEST(rule_redefine_replaces_keeps_index)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, R1 "- rule: r2\n  desc: d\n  condition: c\n  output: o\n  priority: debug\n"
		       "- rule: r1\n  desc: again\n  condition: evt.type = close\n  output: o2\n"
		       "  priority: error\n");
	ASSERT_EQ(x.c.rules.len, 2u);
	ASSERT_EQ(rule(&x, "r1")->index, 0u);
	ASSERT_EQ(*(struct vg_rule_def **)vg_vec_at(&x.c.rules, 0), rule(&x, "r1"));
	ASSERT_STREQ(rule(&x, "r1")->cond.text, "evt.type = close");
	ASSERT_STREQ(rule(&x, "r1")->desc, "again");
	ASSERT_EQ(rule(&x, "r1")->n_tags, 0u); /* replaced, not merged */
	ASSERT_EQ(rule(&x, "r1")->priority, VG_PRIO_ERROR);
	ASSERT_EQ(rule(&x, "r1")->pos.line, 12u);
	ctx_done(&x);
}

TEST(rule_append_flag)
{
	struct ctx x;
	struct vg_srcpos p;

	ctx_init(&x);
	LOAD_OK(&x, R1 "- rule: r1\n  append: true\n  condition: and proc.name = cat\n"
		       "  output: more\n");
	ASSERT_STREQ(rule(&x, "r1")->cond.text, "evt.type = open and proc.name = cat");
	ASSERT_STREQ(rule(&x, "r1")->output, "opened %fd.name more");
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "'append' key is deprecated"));
	/* offsets in the appended part map to the appending item */
	vg_cond_src_pos(&rule(&x, "r1")->cond, strlen("evt.type = open and proc"), &p);
	ASSERT_EQ(p.line, 9u);
	ASSERT_EQ(p.col, 22u);
	vg_cond_src_pos(&rule(&x, "r1")->cond, 4, &p);
	ASSERT_EQ(p.line, 3u);
	ASSERT_EQ(p.col, 18u);
	LOAD_ERR(&x, "- rule: r1\n  append: true\n", "must have exceptions, condition or output");
	LOAD_ERR(&x, "- rule: nope\n  append: true\n  condition: x\n", "no rule by that name");
	ctx_done(&x);
}

TEST(rule_override_append_and_replace)
{
	struct ctx x;
	struct vg_rule_def *r;

	ctx_init(&x);
	LOAD_OK(&x, R1 "- rule: r1\n  condition: and fd.num > 0\n  output: (x)\n  desc: more\n"
		       "  tags: [b, c]\n  priority: critical\n  enabled: false\n"
		       "  override:\n    condition: append\n    output: replace\n    desc: append\n"
		       "    tags: append\n    priority: replace\n    enabled: replace\n");
	r = rule(&x, "r1");
	ASSERT_STREQ(r->cond.text, "evt.type = open and fd.num > 0");
	ASSERT_STREQ(r->output, "(x)");
	ASSERT_STREQ(r->desc, "first more");
	ASSERT_EQ(r->n_tags, 3u);
	ASSERT_STREQ(r->tags[2], "c");
	ASSERT_EQ(r->priority, VG_PRIO_CRITICAL);
	ASSERT_FALSE(r->enabled);
	ASSERT_EQ(x.d.warnings, 0u);
	LOAD_OK(&x, "- rule: r1\n  tags: [z]\n  warn_evttypes: false\n  capture: true\n"
		    "  capture_duration: 7\n  skip-if-unknown-filter: true\n"
		    "  override: {tags: replace, warn_evttypes: replace, capture: replace,"
		    " capture_duration: replace, skip-if-unknown-filter: replace}\n");
	ASSERT_EQ(r->n_tags, 1u);
	ASSERT_FALSE(r->warn_evttypes);
	ASSERT_TRUE(r->capture);
	ASSERT_EQ(r->capture_duration_ms, 7u);
	ASSERT_TRUE(r->skip_if_unknown_filter);
	ASSERT_STREQ(r->cond.text, "evt.type = open and fd.num > 0");
	ctx_done(&x);
}

TEST(rule_override_errors)
{
	struct ctx x;
	const struct vg_diag *g;

	ctx_init(&x);
	LOAD_OK(&x, R1);
	LOAD_ERR(&x,
		 "- rule: r1\n  condition: x\n  output: y\n  override:\n    condition: append\n",
		 "Unexpected key 'output'");
	g = find_diag(&x, VG_DIAG_ERROR, "Unexpected key 'output'");
	ASSERT_EQ(g->pos.line, 3u);
	ASSERT_EQ(g->pos.col, 11u);
	LOAD_ERR(&x, "- rule: r1\n  override:\n    condition: append\n",
		 "An append override for 'condition' was specified but 'condition' is not defined");
	LOAD_ERR(&x, "- rule: r1\n  priority: debug\n  override:\n    priority: append\n",
		 "Key 'priority' cannot be appended to, use 'replace' instead");
	LOAD_ERR(&x, "- rule: r1\n  condition: a\n  override:\n    condition: merge\n",
		 "Invalid override operation for key 'condition': 'merge'");
	LOAD_ERR(&x, "- rule: r1\n  source: k8s_audit\n  override:\n    source: replace\n",
		 "Key 'source' cannot be replaced");
	LOAD_ERR(&x, "- rule: nope\n  condition: a\n  override:\n    condition: replace\n",
		 "no rule by that name already exists");
	LOAD_ERR(&x,
		 "- rule: r1\n  condition: a\n  append: true\n  override:\n"
		 "    condition: append\n",
		 "cannot be used together");
	LOAD_ERR(&x, "- rule: r1\n  condition: a\n  override: append\n", "must be a mapping");
	/* nothing above changed the rule */
	ASSERT_STREQ(rule(&x, "r1")->cond.text, "evt.type = open");
	ctx_done(&x);
}

TEST(rule_enabled_only_form)
{
	struct ctx x;
	const struct vg_diag *g;

	ctx_init(&x);
	LOAD_OK(&x, R1 "- rule: r1\n  enabled: false\n");
	ASSERT_FALSE(rule(&x, "r1")->enabled);
	g = find_diag(&x, VG_DIAG_WARNING, "standalone 'enabled'");
	ASSERT_NOT_NULL(g);
	ASSERT_STREQ(g->code, "LOAD_DEPRECATED_ITEM");
	LOAD_OK(&x, "- rule: r1\n  enabled: true\n  override: {enabled: replace}\n");
	ASSERT_TRUE(rule(&x, "r1")->enabled);
	LOAD_ERR(&x, "- rule: nope\n  enabled: false\n", "no rule by that name already exists");
	LOAD_ERR(&x, "- rule: r1\n  tags: [x]\n", "no mapping for key 'enabled'");
	ctx_done(&x);
}

TEST(rule_missing_and_wrong_keys)
{
	struct ctx x;
	const struct vg_diag *g;

	ctx_init(&x);
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  condition: c\n  priority: info\n",
		 "Item has no mapping for key 'output'");
	g = find_diag(&x, VG_DIAG_ERROR, "'output'");
	ASSERT_EQ(g->pos.line, 1u);
	ASSERT_EQ(g->pos.col, 3u);
	ASSERT_STREQ(g->item, "rule 'r'");
	LOAD_ERR(&x, "- rule: r\n  condition: c\n  output: o\n  priority: info\n",
		 "no mapping for key 'desc'");
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  output: o\n  priority: info\n",
		 "no mapping for key 'condition'");
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  condition: c\n  output: o\n",
		 "no mapping for key 'priority'");
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: loud\n",
		 "Invalid priority 'loud'");
	g = find_diag(&x, VG_DIAG_ERROR, "Invalid priority");
	ASSERT_EQ(g->pos.line, 5u);
	ASSERT_EQ(g->pos.col, 13u);
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  condition: [a]\n  output: o\n  priority: info\n",
		 "Value for key 'condition' is not a scalar value");
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  condition:\n  output: o\n  priority: info\n",
		 "Mapping for key 'condition' is empty");
	LOAD_ERR(&x, "- rule: r\n  desc: d\n  condition: \"\"\n  output: o\n  priority: info\n",
		 "must be non-empty");
	LOAD_ERR(&x,
		 "- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: info\n"
		 "  enabled: maybe\n",
		 "'enabled' is not a boolean");
	LOAD_ERR(&x,
		 "- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: info\n"
		 "  tags: x\n",
		 "'tags' is not a sequence");
	LOAD_ERR(&x,
		 "- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: info\n"
		 "  capture_duration: -1\n",
		 "not a number");
	ASSERT_EQ(x.c.rules.len, 0u);
	ctx_done(&x);
}

TEST(rule_other_source_redefinition)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, R1);
	LOAD_ERR(&x,
		 "- rule: r1\n  desc: d\n  condition: c\n  output: o\n  priority: info\n"
		 "  source: k8s_audit\n",
		 "different source");
	LOAD_ERR(&x, "- rule: r1\n  condition: c\n  source: aws\n  append: true\n",
		 "different source");
	ctx_done(&x);
}

TEST(unknown_keys_and_items)
{
	struct ctx x;
	const struct vg_diag *g;

	ctx_init(&x);
	LOAD_OK(&x, R1 "  colour: red\n- thing: x\n- macro: m\n  condition: c\n  condition: d\n");
	g = find_diag(&x, VG_DIAG_WARNING, "Unknown key 'colour'");
	ASSERT_NOT_NULL(g);
	ASSERT_STREQ(g->code, "LOAD_UNKNOWN_KEY");
	ASSERT_EQ(g->pos.line, 7u);
	ASSERT_EQ(g->pos.col, 3u);
	g = find_diag(&x, VG_DIAG_WARNING, "Unknown top level item");
	ASSERT_NOT_NULL(g);
	ASSERT_EQ(g->pos.line, 8u);
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "more than once"));
	ASSERT_STREQ(macro(&x, "m")->cond.text, "c");
	ctx_done(&x);
}

TEST(names)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "- macro: 1bad\n  condition: x\n- list: \"a b\"\n  items: []\n");
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "Macro has an invalid name"));
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "List has an invalid name"));
	ctx_done(&x);
}

/* ---- exceptions ---- */

TEST(exceptions_define)
{
	struct ctx x;
	struct vg_rule_def *r;

	ctx_init(&x);
	LOAD_OK(&x,
		R1 "  exceptions:\n"
		   "    - name: known_cat\n      fields: proc.name\n      values: [cat, \"echo\"]\n"
		   "    - name: pf\n      fields: [proc.name, fd.name]\n"
		   "      comps: [=, startswith]\n      values:\n        - [nginx, /etc/nginx]\n"
		   "        - [a, [/x, /y]]\n"
		   "    - name: tup\n      fields: [proc.name, fd.directory]\n");
	r = rule(&x, "r1");
	ASSERT_EQ(r->n_exceptions, 3u);
	ASSERT_TRUE(r->exceptions[0].single_field);
	ASSERT_STREQ(r->exceptions[0].comps[0], "in");
	ASSERT_EQ(r->exceptions[0].n_values, 2u);
	ASSERT_STREQ(r->exceptions[0].values[1][0].text, "echo");
	ASSERT_TRUE(r->exceptions[0].values[1][0].quoted);
	ASSERT_FALSE(r->exceptions[1].single_field);
	ASSERT_EQ(r->exceptions[1].n_fields, 2u);
	ASSERT_STREQ(r->exceptions[1].comps[1], "startswith");
	ASSERT_STREQ(r->exceptions[1].values[0][1].text, "/etc/nginx");
	ASSERT_EQ(r->exceptions[1].values[1][1].n_sub, 2u);
	ASSERT_STREQ(r->exceptions[1].values[1][1].sub[1].text, "/y");
	ASSERT_STREQ(r->exceptions[2].comps[0], "=");
	ASSERT_STREQ(r->exceptions[2].comps[1], "=");
	ASSERT_EQ(r->exceptions[2].n_values, 0u);
	ctx_done(&x);
}

#define EXR(body) R1 "  exceptions:\n    - name: e\n" body

TEST(exceptions_errors)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_ERR(&x, EXR("      values: [a]\n"), "must have fields property");
	LOAD_ERR(&x, EXR("      fields: [a, b]\n      comps: [=]\n"), "equal length");
	LOAD_ERR(&x, EXR("      fields: [a]\n      comps: [like]\n"), "'like' is not a supported");
	LOAD_ERR(&x, EXR("      fields: a\n      comps: =\n"), "must be one of (in, pmatch");
	LOAD_ERR(&x, EXR("      fields: a\n      comps: [in]\n"), "must both be strings");
	LOAD_ERR(&x, EXR("      fields: [a, b]\n      values: [[x]]\n"),
		 "fields and values lists must have equal length");
	LOAD_ERR(&x, EXR("      fields: [a, b]\n      values: [x]\n"), "to be lists");
	LOAD_ERR(&x, EXR("      fields: a\n      values: [[x]]\n"), "must be strings");
	LOAD_ERR(&x, EXR("      fields: a\n      values: x\n"), "values must be a sequence");
	LOAD_ERR(&x, EXR("      fields: a\n    - name: e\n      fields: b\n"), "must be unique");
	LOAD_ERR(&x, R1 "  exceptions: {a: b}\n", "must be a sequence");
	ASSERT_EQ(x.c.rules.len, 0u);
	ctx_done(&x);
}

TEST(exceptions_override_append_replace)
{
	struct ctx x;
	struct vg_rule_def *r;

	ctx_init(&x);
	LOAD_OK(&x, EXR("      fields: [proc.name, fd.name]\n      values: [[a, b]]\n"));
	LOAD_OK(&x, "- rule: r1\n  exceptions:\n    - name: e\n      values: [[c, d]]\n"
		    "    - name: f\n      fields: proc.pname\n      values: [sshd]\n"
		    "  override:\n    exceptions: append\n");
	r = rule(&x, "r1");
	ASSERT_EQ(r->n_exceptions, 2u);
	ASSERT_EQ(r->exceptions[0].n_values, 2u);
	ASSERT_STREQ(r->exceptions[0].values[1][0].text, "c");
	ASSERT_STREQ(r->exceptions[1].comps[0], "in");
	/* old append: true appends exceptions too */
	LOAD_OK(&x,
		"- rule: r1\n  append: true\n  exceptions:\n    - name: f\n      values: [x]\n");
	ASSERT_EQ(r->exceptions[1].n_values, 2u);
	LOAD_ERR(&x,
		 "- rule: r1\n  exceptions:\n    - name: e\n      fields: [x, y]\n"
		 "      values: [[c, d]]\n  override: {exceptions: append}\n",
		 "Can not append exception fields");
	LOAD_ERR(&x,
		 "- rule: r1\n  exceptions:\n    - name: e\n      values: [[c]]\n"
		 "  override: {exceptions: append}\n",
		 "equal length");
	LOAD_ERR(&x,
		 "- rule: r1\n  exceptions:\n    - name: g\n      fields: x\n"
		 "  override: {exceptions: append}\n",
		 "must have values property");
	ASSERT_EQ(r->exceptions[0].n_values, 2u); /* failed items changed nothing */
	LOAD_OK(&x, "- rule: r1\n  exceptions:\n    - name: h\n      fields: [fd.name]\n"
		    "      comps: [pmatch]\n      values: [[/etc]]\n"
		    "  override: {exceptions: replace}\n");
	ASSERT_EQ(r->n_exceptions, 1u);
	ASSERT_STREQ(r->exceptions[0].name, "h");
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_WARNING, "with no values"));
	ctx_done(&x);
}

/* ---- positions ---- */

/* Line and column of the first occurrence of needle in a rule's condition. */
static void cond_pos(const struct vg_cond_src *c, const char *needle, struct vg_srcpos *ret)
{
	const char *p = strstr(c->text, needle);

	ASSERT_NOT_NULL(p);
	vg_cond_src_pos(c, (size_t)(p - c->text), ret);
}

TEST(positions_in_block_scalars)
{
	struct ctx x;
	struct vg_srcpos p;
	const struct vg_cond_src *c;

	ctx_init(&x);
	LOAD_OK(&x, "- macro: folded\n" /* 1 */
		    "  condition: >\n" /* 2 */
		    "    evt.type = open\n" /* 3 */
		    "      and fd.name = x\n" /* 4 */
		    "\n" /* 5 */
		    "    and   proc.name in (a, b)\n" /* 6 */
		    "- macro: literal\n" /* 7 */
		    "  condition: |-\n" /* 8 */
		    "    a or\n" /* 9 */
		    "      b\n" /* 10 */
		    "- macro: plain\n" /* 11 */
		    "  condition: one and\n" /* 12 */
		    "     two   and\n" /* 13 */
		    "   three\n" /* 14 */
		    "- macro: dq\n" /* 15 */
		    "  condition: \"x = 'a\\tb' and\n" /* 16 */
		    "    y = \\\"z\\\"\"\n" /* 17 */
		    "- macro: sq\n" /* 18 */
		    "  condition: 'it''s and\n" /* 19 */
		    "    more'\n" /* 20 */
		    "- macro: utf\n" /* 21 */
		    "  condition: é and zz\n"); /* 22 */
	c = &macro(&x, "folded")->cond;
	ASSERT_STREQ(c->text, "evt.type = open\n  and fd.name = x\n\nand   proc.name in (a, b)\n");
	ASSERT_EQ(c->pos.line, 3u);
	ASSERT_EQ(c->pos.col, 5u);
	cond_pos(c, "fd.name", &p);
	ASSERT_EQ(p.line, 4u);
	ASSERT_EQ(p.col, 11u);
	cond_pos(c, "proc.name", &p);
	ASSERT_EQ(p.line, 6u);
	ASSERT_EQ(p.col, 11u);
	ASSERT_STREQ(p.file, "t.yaml");
	cond_pos(c, "b)", &p);
	ASSERT_EQ(p.line, 6u);
	ASSERT_EQ(p.col, 28u);

	c = &macro(&x, "literal")->cond;
	ASSERT_STREQ(c->text, "a or\n  b");
	cond_pos(c, "b", &p);
	ASSERT_EQ(p.line, 10u);
	ASSERT_EQ(p.col, 7u);
	vg_cond_src_pos(c, c->len, &p); /* the end */
	ASSERT_EQ(p.line, 10u);
	ASSERT_EQ(p.col, 8u);

	c = &macro(&x, "plain")->cond;
	ASSERT_STREQ(c->text, "one and two   and three");
	cond_pos(c, "two", &p);
	ASSERT_EQ(p.line, 13u);
	ASSERT_EQ(p.col, 6u);
	cond_pos(c, "three", &p);
	ASSERT_EQ(p.line, 14u);
	ASSERT_EQ(p.col, 4u);
	cond_pos(c, "one", &p);
	ASSERT_EQ(p.line, 12u);
	ASSERT_EQ(p.col, 14u);

	c = &macro(&x, "dq")->cond;
	ASSERT_STREQ(c->text, "x = 'a\tb' and y = \"z\"");
	cond_pos(c, "and", &p);
	ASSERT_EQ(p.line, 16u);
	ASSERT_EQ(p.col, 26u);
	cond_pos(c, "y", &p);
	ASSERT_EQ(p.line, 17u);
	ASSERT_EQ(p.col, 5u);
	cond_pos(c, "z", &p);
	ASSERT_EQ(p.line, 17u);
	ASSERT_EQ(p.col, 11u);

	c = &macro(&x, "sq")->cond;
	ASSERT_STREQ(c->text, "it's and more");
	cond_pos(c, "and", &p);
	ASSERT_EQ(p.line, 19u);
	ASSERT_EQ(p.col, 21u);
	cond_pos(c, "more", &p);
	ASSERT_EQ(p.line, 20u);
	ASSERT_EQ(p.col, 5u);

	c = &macro(&x, "utf")->cond;
	cond_pos(c, "zz", &p);
	ASSERT_EQ(p.line, 22u);
	ASSERT_EQ(p.col, 20u); /* columns count characters, as libyaml's marks */
	ctx_done(&x);
}

TEST(positions_of_errors)
{
	struct ctx x;
	const struct vg_diag *g;

	ctx_init(&x);
	/* a YAML syntax error inside a folded block scalar's item */
	ASSERT_ERR(load(&x, "- rule: r\n  condition: >\n    a and\n  b: [x\n"), -EBADMSG);
	g = diag_at(&x, 0);
	ASSERT_STREQ(g->code, "LOAD_ERR_YAML_PARSE");
	ASSERT_STREQ(g->pos.file, "t.yaml");
	ASSERT_GT(g->pos.line, 3u);
	ASSERT_GT(g->pos.col, 0u);
	vg_diags_done(&x.d);
	vg_diags_init(&x.d);
	/* a wrong type inside a folded block's neighbour key */
	LOAD_ERR(&x,
		 "- macro: m\n  condition: >\n    a and\n    b\n  override:\n    condition: 3\n",
		 "Invalid override operation");
	g = find_diag(&x, VG_DIAG_ERROR, "Invalid override operation");
	ASSERT_EQ(g->pos.line, 6u);
	ASSERT_EQ(g->pos.col, 16u);
	LOAD_ERR(&x, "- list: a\n  items: [b, [c]]\n", "List items must be strings");
	g = find_diag(&x, VG_DIAG_ERROR, "List items");
	ASSERT_EQ(g->pos.line, 2u);
	ASSERT_EQ(g->pos.col, 14u);
	ctx_done(&x);
}

TEST(file_structure)
{
	struct ctx x;

	ctx_init(&x);
	LOAD_OK(&x, "");
	LOAD_OK(&x, "# only a comment\n");
	LOAD_OK(&x, "---\n- list: a\n  items: [x]\n---\n- list: b\n  items: [y]\n---\n");
	ASSERT_EQ(x.c.lists.len, 2u);
	LOAD_OK(&x, "- \n- list: c\n  items: []\n");
	LOAD_ERR(&x, "rule: x\n", "not yaml array of objects");
	LOAD_ERR(&x, "hello\n", "Rules content is not yaml");
	LOAD_ERR(&x, "- [a]\n", "Each element should be a yaml associative array");
	/* a file stops at its first error; what came before stays */
	LOAD_ERR(&x, "- list: d\n  items: [x]\n- list: e\n  items: 3\n- list: f\n  items: [x]\n",
		 "not a sequence");
	ASSERT_NOT_NULL(list(&x, "d"));
	ASSERT_NULL(list(&x, "e"));
	ASSERT_NULL(list(&x, "f"));
	ASSERT_EQ(x.c.files.len, 8u);
	ctx_done(&x);
}

TEST(hostile_inputs)
{
	struct ctx x;
	char *s;
	size_t n = 0, cap = 4 << 20;
	struct timespec a, b;

	ctx_init(&x);
	clock_gettime(CLOCK_MONOTONIC, &a);
	/* alias bomb */
	ASSERT_ERR(load(&x, "- list: a\n  items: &a [x, x, x, x, x, x, x, x, x, x]\n"
			    "- list: b\n  items: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			    "- list: c\n  items: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			    "- list: d\n  items: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			    "- list: e\n  items: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			    "- list: f\n  items: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			    "- list: g\n  items: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"),
		   -E2BIG);
	ASSERT_EQ(x.d.errors, 1u);
	/* deep nesting */
	s = malloc(cap);
	ASSERT_NOT_NULL(s);
	n += (size_t)sprintf(s, "- list: a\n  items: ");
	for (int i = 0; i < 10000; i++)
		s[n++] = '[';
	s[n] = '\0';
	ASSERT_LT(load(&x, s), 0);
	ASSERT_EQ(x.d.errors, 2u);
	/* repeated appends are bounded by the condition length limit... */
	n = (size_t)sprintf(s, "- macro: m\n  condition: x\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)sprintf(s + n, "- macro: m\n  condition: %060000d\n  append: true\n",
				     0);
	s[n] = '\0';
	ASSERT_ERR(load(&x, s), -EBADMSG);
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_ERROR, "longer than"));
	/* ...and by the collection's memory cap (each append copies the text) */
	n = (size_t)sprintf(s, "- macro: m2\n  condition: x\n");
	while (n + 300 < cap)
		n += (size_t)sprintf(s + n, "- macro: m2\n  condition: %0200d\n  append: true\n",
				     0);
	s[n] = '\0';
	ASSERT_ERR(load(&x, s), -E2BIG);
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_ERROR, "rules take more than"));
	/* many keys in one item, many exceptions in one rule: linear work */
	ctx_done(&x);
	ctx_init(&x);
	n = (size_t)sprintf(s, "- list: k\n  items: []\n");
	for (int i = 0; i < 100000; i++)
		n += (size_t)sprintf(s + n, "  k%d: 1\n", i);
	s[n] = '\0';
	ASSERT_OK(load(&x, s));
	ASSERT_GE(x.d.warnings, 100000u);
	n = (size_t)sprintf(s, "- rule: many\n  desc: d\n  condition: c\n  output: o\n"
			       "  priority: info\n  exceptions:\n");
	for (int i = 0; i < 50000; i++)
		n += (size_t)sprintf(s + n, "  - {name: e%d, fields: f, values: [v]}\n", i);
	s[n] = '\0';
	ASSERT_OK(load(&x, s));
	ASSERT_EQ(rule(&x, "many")->n_exceptions, 50000u);
	n = (size_t)sprintf(s, "- rule: many\n  override: {exceptions: append}\n  exceptions:\n");
	for (int i = 0; i < 50000; i++)
		n += (size_t)sprintf(s + n, "  - {name: e%d, values: [w]}\n", i);
	s[n] = '\0';
	ASSERT_OK(load(&x, s));
	ASSERT_EQ(rule(&x, "many")->n_exceptions, 50000u);
	ASSERT_EQ(rule(&x, "many")->exceptions[49999].n_values, 2u);
	free(s);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ASSERT_LT(b.tv_sec - a.tv_sec, 20);
	ctx_done(&x);
}

/* ---- files and directories ---- */

static void write_file(const char *dir, const char *name, const char *s)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "we");
	ASSERT_NOT_NULL(f);
	fputs(s, f);
	fclose(f);
}

TEST(directory_order_and_files)
{
	struct ctx x;
	char dir[] = "/tmp/vg-test-load-XXXXXX";
	char p[600];
	const struct vg_diag *g;

	ASSERT_NOT_NULL(mkdtemp(dir));
	write_file(dir, "20-b.yml", "- list: l\n  items: [b]\n  override: {items: append}\n");
	write_file(dir, "10-a.yaml", "- list: l\n  items: [a]\n");
	write_file(dir, "30-c.yaml", "- list: l\n  items: [c]\n  append: true\n");
	write_file(dir, "notes.txt", "not: rules\n");
	write_file(dir, ".hidden.yaml", "[broken\n");
	snprintf(p, sizeof(p), "%s/sub.yaml", dir);
	ASSERT_EQ(mkdir(p, 0700), 0);

	ctx_init(&x);
	ASSERT_OK(vg_rules_load_path(&x.c, dir, &x.d));
	ASSERT_EQ(x.d.errors, 0u);
	ASSERT_EQ(list(&x, "l")->n_items, 3u);
	ASSERT_STREQ(list(&x, "l")->items[0].text, "a");
	ASSERT_STREQ(list(&x, "l")->items[1].text, "b");
	ASSERT_STREQ(list(&x, "l")->items[2].text, "c");
	ASSERT_EQ(x.c.files.len, 3u);
	g = find_diag(&x, VG_DIAG_WARNING, "deprecated");
	ASSERT_NOT_NULL(g);
	ASSERT_NOT_NULL(strstr(g->pos.file, "30-c.yaml"));

	/* a second path accumulates (several -r flags); a single file works too */
	write_file(dir, "extra.yml", "- list: l\n  items: [d]\n  override: {items: append}\n");
	snprintf(p, sizeof(p), "%s/extra.yml", dir);
	ASSERT_OK(vg_rules_load_path(&x.c, p, &x.d));
	ASSERT_EQ(list(&x, "l")->n_items, 4u);

	/* a broken file in a directory: errors reported, the other files still load */
	write_file(dir, "15-bad.yaml", "- list: m\n  items: 3\n");
	vg_rules_collection_done(&x.c);
	vg_rules_collection_init(&x.c);
	ASSERT_ERR(vg_rules_load_path(&x.c, dir, &x.d), -EBADMSG);
	ASSERT_EQ(list(&x, "l")->n_items, 4u);

	snprintf(p, sizeof(p), "%s/missing.yaml", dir);
	ASSERT_ERR(vg_rules_load_path(&x.c, p, &x.d), -ENOENT);
	ASSERT_NOT_NULL(find_diag(&x, VG_DIAG_ERROR, "cannot read"));
	ctx_done(&x);

	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	ASSERT_EQ(system(p), 0);
}

/* ---- the upstream Falco rule files ---- */

static const char *falco_dir(void)
{
	const char *d = getenv("VG_FALCO_RULES_DIR");
	char p[1024];

	if (!d || !*d)
		TEST_SKIP("VG_FALCO_RULES_DIR not set");
	snprintf(p, sizeof(p), "%s/falco_rules.yaml", d);
	if (access(p, R_OK) < 0)
		TEST_SKIP("Falco rule files not found");
	return d;
}

static void counts(const struct ctx *x, size_t *rules, size_t *disabled, size_t *macros,
		   size_t *lists)
{
	*rules = x->c.rules.len;
	*macros = x->c.macros.len;
	*lists = x->c.lists.len;
	*disabled = 0;
	for (size_t i = 0; i < x->c.rules.len; i++) {
		const struct vg_rule_def *r = *(struct vg_rule_def **)vg_vec_at(&x->c.rules, i);

		if (!r->enabled)
			(*disabled)++;
		ASSERT_EQ(r->index, i);
		ASSERT_GT(r->cond.len, 0u);
		ASSERT_GT(r->cond.pos.line, 0u);
	}
}

static void load_falco(struct ctx *x, const char *dir, const char *name)
{
	char p[1024];
	int r;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	r = vg_rules_load_path(&x->c, p, &x->d);
	if (r < 0 || x->d.errors)
		dump(x);
	ASSERT_OK(r);
	ASSERT_EQ(x->d.errors, 0u);
}

TEST(falco_files)
{
	static const struct {
		const char *name;
		size_t rules, disabled, macros, lists;
	} files[] = {
		{"falco_rules.yaml", 25, 0, 87, 49},
		{"falco-incubating_rules.yaml", 31, 0, 82, 54},
		/* 182 items start with "- macro:", one more is written "- condition: ...
		 * macro: recon_binaries_procs" (and used by a rule) */
		{"falco-sandbox_rules.yaml", 37, 12, 183, 60},
	};
	const char *dir = falco_dir();
	size_t nr, nd, nm, nl;
	struct ctx all;

	for (size_t i = 0; i < VG_ARRAY_SIZE(files); i++) {
		struct ctx x;

		ctx_init(&x);
		load_falco(&x, dir, files[i].name);
		ASSERT_EQ(x.d.warnings, 0u);
		counts(&x, &nr, &nd, &nm, &nl);
		tap_diag("# %s: %zu rules (%zu disabled), %zu macros, %zu lists\n", files[i].name,
			 nr, nd, nm, nl);
		ASSERT_EQ(nr, files[i].rules);
		ASSERT_EQ(nm, files[i].macros);
		ASSERT_EQ(nl, files[i].lists);
		if (i == 2)
			ASSERT_EQ(nd, files[i].disabled);
		ASSERT_STREQ(x.c.required_engine_version, "0.57.0");
		ctx_done(&x);
	}

	ctx_init(&all);
	for (size_t i = 0; i < VG_ARRAY_SIZE(files); i++)
		load_falco(&all, dir, files[i].name);
	counts(&all, &nr, &nd, &nm, &nl);
	tap_diag("# all three: %zu rules (%zu disabled), %zu macros, %zu lists\n", nr, nd, nm, nl);
	/* rule names are distinct across the files; macros and lists are shared (a later
	 * definition replaces an earlier one in place) */
	ASSERT_EQ(nr, 93u);
	ASSERT_EQ(nd, 12u);
	ASSERT_EQ(nm, 315u);
	ASSERT_EQ(nl, 118u);
	ASSERT_EQ(all.d.warnings, 0u);
	{
		/* spot checks on the stable file */
		const struct vg_rule_def *r = rule(&all, "Terminal shell in container");
		struct vg_srcpos p;

		ASSERT_NOT_NULL(r);
		ASSERT_EQ(r->priority, VG_PRIO_NOTICE);
		ASSERT_STREQ(r->tags[0], "maturity_stable");
		ASSERT_NOT_NULL(strstr(r->cond.text, "spawned_process"));
		vg_cond_src_pos(&r->cond, 0, &p);
		ASSERT_NOT_NULL(strstr(p.file, "falco_rules.yaml"));
	}
	ctx_done(&all);

	/* the directory: the same three files, in name order */
	ctx_init(&all);
	ASSERT_OK(vg_rules_load_path(&all.c, dir, &all.d));
	ASSERT_EQ(all.d.errors, 0u);
	counts(&all, &nr, &nd, &nm, &nl);
	ASSERT_EQ(nr, 93u);
	ASSERT_EQ(nm, 315u);
	ASSERT_EQ(nl, 118u);
	ASSERT_EQ(all.c.files.len, 3u);
	ASSERT_STREQ(*(const char **)vg_vec_at(&all.c.files, 0) + strlen(dir),
		     "/falco-incubating_rules.yaml");
	ctx_done(&all);
}

TEST(positions_with_crlf_and_cr)
{
	struct ctx x;
	struct vg_srcpos p;
	const struct vg_cond_src *c;

	ctx_init(&x);
	/* libyaml counts CR LF as one line break and a lone CR as one too */
	LOAD_OK(&x, "- macro: a\r\n  condition: |\r\n    one\r\n    two\r\n"
		    "- macro: b\r  condition: >\r    x\r    yy\r");
	c = &macro(&x, "a")->cond;
	ASSERT_STREQ(c->text, "one\ntwo\n");
	cond_pos(c, "two", &p);
	ASSERT_EQ(p.line, 4u);
	ASSERT_EQ(p.col, 5u);
	c = &macro(&x, "b")->cond;
	ASSERT_STREQ(c->text, "x yy\n");
	cond_pos(c, "yy", &p);
	ASSERT_EQ(p.line, 8u);
	ASSERT_EQ(p.col, 5u);
	ctx_done(&x);
}
