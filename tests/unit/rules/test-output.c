/* SPDX-License-Identifier: Apache-2.0 */
/* Rule outputs: %field substitution, <NA>, several values, JSON output fields. */
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

static struct toy obj(void)
{
	struct toy t = {
		.type = TOY_OPEN,
		.name = "cat",
		.fdname = "/etc/shadow",
		.pid = 42,
		.has_pid = true,
		.fdnum = -1,
		.has_fdnum = true,
		.anc = {"bash", "sshd"},
		.n_anc = 2,
		.ipfam = 4,
		.ip = {10, 0, 0, 1},
		.is_read = -1,
		.user = "root",
	};
	return t;
}

#define OUT_RULE(out)                                                             \
	"- rule: r\n  desc: d\n  condition: evt.type = open\n  output: " out "\n" \
	"  priority: WARNING\n  source: toy\n"

static void check_output(const char *out_yaml, const struct toy *o, const char *want)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct vg_evaluator *ev;
	struct tc t;

	ASSERT_OK(tc_compile(&t, out_yaml, NULL));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	ASSERT_OK(vg_rule_output(ev, vg_ruleset_rule(t.rs, 0), o, &sb));
	ASSERT_STREQ(vg_strbuf_str(&sb), want);
	vg_strbuf_done(&sb);
	vg_evaluator_free(ev);
	tc_done(&t);
}

TEST(substitution)
{
	struct toy o = obj();

	check_output(
		OUT_RULE(
			"\"File opened | file=%fd.name proc=%proc.name pid=%proc.pid fd=%fd.num\""),
		&o, "File opened | file=/etc/shadow proc=cat pid=42 fd=-1");
	check_output(
		OUT_RULE(
			"\"gp=%proc.aname[2] p=%proc.aname[1] x=%proc.aname[5] e=%proc.env[HOME]\""),
		&o, "gp=sshd p=bash x=<NA> e=<NA>");
	check_output(OUT_RULE("\"all=%proc.aname ip=%fd.ip %evt.is_open_read\""), &o,
		     "all=(bash,sshd) ip=10.0.0.1 <NA>");
	check_output(OUT_RULE("\"100% sure %% %proc.name%proc.pid% end %\""), &o,
		     "100% sure %% cat42% end %");
	check_output(OUT_RULE("\"%toupper(proc.name) %len(fd.name) %evt.arg.flags\""), &o,
		     "CAT 11 <NA>");
}

struct fields {
	char buf[1024];
};

static void on_field(void *ud, const char *name, const char *value, bool numeric)
{
	struct fields *f = ud;
	size_t n = strlen(f->buf);

	snprintf(f->buf + n, sizeof(f->buf) - n, "%s=%s%s;", name, value ? value : "null",
		 numeric ? "#" : "");
}

TEST(output_fields)
{
	struct vg_evaluator *ev;
	struct fields f = {""};
	struct toy o = obj();
	struct tc t;

	ASSERT_OK(tc_compile(
		&t, OUT_RULE("\"%fd.name %proc.pid %fd.name %proc.aname[1] %container.id\""),
		NULL));
	ASSERT_OK(vg_evaluator_new(t.rs, &ev));
	vg_rule_output_fields(ev, vg_ruleset_rule(t.rs, 0), &o, on_field, &f);
	/* the rule's fields in order (once each), then the always-present ones the source has */
	ASSERT_STREQ(f.buf, "fd.name=/etc/shadow;proc.pid=42#;proc.aname[1]=bash;container.id=null;"
			    "proc.name=cat;proc.exepath=null;user.name=root;evt.type=open;");
	vg_evaluator_free(ev);
	tc_done(&t);
}

static struct vg_evaluator *cb_ev;
static char cb_out[256];

static void on_match(void *ud, const struct vg_rule *r)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);

	if (vg_rule_output(cb_ev, r, ud, &sb) >= 0)
		snprintf(cb_out, sizeof(cb_out), "%s", vg_strbuf_str(&sb));
	vg_strbuf_done(&sb);
}

TEST(output_from_callback_uses_cache)
{
	struct toy o = obj();
	struct tc t;

	ASSERT_OK(tc_compile(
		&t,
		"- rule: r\n  desc: d\n  condition: evt.type = open and proc.name = cat\n"
		"  output: n=%proc.name f=%fd.name\n  priority: WARNING\n  source: toy\n",
		NULL));
	ASSERT_OK(vg_evaluator_new(t.rs, &cb_ev));
	toy_extract_calls = 0;
	ASSERT_EQ(vg_eval(cb_ev, &toy_source, &o, on_match, &o), 1);
	ASSERT_STREQ(cb_out, "n=cat f=/etc/shadow");
	/* proc.name, fd.name (evt.type is decided when the bucket is compiled) */
	ASSERT_EQ(toy_extract_calls, 2u);
	/* outside the callback: a fresh extraction */
	o.name = "dog";
	{
		struct vg_strbuf sb = VG_STRBUF_INIT(0);

		ASSERT_OK(vg_rule_output(cb_ev, vg_ruleset_rule(t.rs, 0), &o, &sb));
		ASSERT_STREQ(vg_strbuf_str(&sb), "n=dog f=/etc/shadow");
		vg_strbuf_done(&sb);
	}
	cb_ev = vg_evaluator_free(cb_ev);
	tc_done(&t);
}
