/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/strbuf.h"
#include "shared/yaml.h"
#include "tap.h"

static int parse(const char *s, struct vg_yaml_stream **ret, char *err, size_t errsize)
{
	return vg_yaml_parse(s, strlen(s), "rules.yaml", ret, err, errsize);
}

static const char *rules = "- rule: Shell in container\n" /* line 1 */
			   "  desc: a shell was spawned\n" /* line 2 */
			   "  condition: >\n" /* line 3 */
			   "    spawned_process and\n" /* line 4 */
			   "    container\n" /* line 5 */
			   "  output: 'Shell (user=%user.name)'\n" /* line 6 */
			   "  priority: WARNING\n" /* line 7 */
			   "  tags: [container, shell]\n" /* line 8 */
			   "  enabled: true\n" /* line 9 */
			   "- macro: container\n" /* line 10 */
			   "  condition: \"container.id != host\"\n"; /* line 11 */

TEST(tree_and_marks)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct vg_yaml_node *root, *r0, *cond, *tags, *out, *m1;
	char err[256];

	ASSERT_OK(parse(rules, &s, err, sizeof(err)));
	ASSERT_EQ(s->n_docs, 1u);
	root = s->docs[0];
	ASSERT_EQ(root->kind, VG_YAML_SEQ);
	ASSERT_EQ(root->style, VG_YAML_BLOCK);
	ASSERT_EQ(root->n, 2u);
	ASSERT_EQ(root->line, 1u);
	ASSERT_EQ(root->column, 1u);
	r0 = root->items[0];
	ASSERT_EQ(r0->kind, VG_YAML_MAP);
	ASSERT_EQ(r0->n, 7u);
	ASSERT_EQ(r0->line, 1u);
	ASSERT_EQ(r0->column, 3u);
	ASSERT_STREQ(vg_yaml_map_get(r0, "rule")->text, "Shell in container");
	ASSERT_EQ(r0->pairs[0].key->line, 1u);
	ASSERT_EQ(r0->pairs[0].key->column, 3u);
	ASSERT_EQ(r0->pairs[0].value->column, 9u);
	cond = vg_yaml_map_get(r0, "condition");
	ASSERT_EQ(cond->style, VG_YAML_FOLDED);
	ASSERT_STREQ(cond->text, "spawned_process and container\n");
	ASSERT_EQ(cond->line, 3u);
	ASSERT_EQ(cond->column, 14u);
	out = vg_yaml_map_get(r0, "output");
	ASSERT_EQ(out->style, VG_YAML_SINGLE_QUOTED);
	ASSERT_STREQ(out->text, "Shell (user=%user.name)");
	ASSERT_EQ(out->line, 6u);
	ASSERT_EQ(out->column, 11u);
	tags = vg_yaml_map_get(r0, "tags");
	ASSERT_EQ(tags->kind, VG_YAML_SEQ);
	ASSERT_EQ(tags->style, VG_YAML_FLOW);
	ASSERT_EQ(tags->n, 2u);
	ASSERT_TRUE(vg_yaml_scalar_is(tags->items[1], "shell"));
	ASSERT_EQ(tags->items[1]->line, 8u);
	ASSERT_EQ(tags->items[1]->column, 21u);
	ASSERT_TRUE(vg_yaml_scalar_is(vg_yaml_map_get(r0, "enabled"), "true"));
	ASSERT_NULL(vg_yaml_map_get(r0, "missing"));
	ASSERT_NULL(vg_yaml_map_get(root, "rule")); /* not a map */
	ASSERT_NULL(vg_yaml_map_get(NULL, "rule"));
	m1 = root->items[1];
	ASSERT_EQ(m1->line, 10u);
	ASSERT_EQ(vg_yaml_map_get(m1, "condition")->style, VG_YAML_DOUBLE_QUOTED);
	ASSERT_EQ(vg_yaml_map_get(m1, "condition")->line, 11u);
	ASSERT_STREQ(vg_yaml_kind_name(m1->kind), "mapping");
}

TEST(multi_document)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;

	ASSERT_OK(parse("a: 1\n---\n- x\n---\n...\n--- plain\n", &s, NULL, 0));
	ASSERT_EQ(s->n_docs, 4u);
	ASSERT_EQ(s->docs[0]->kind, VG_YAML_MAP);
	ASSERT_EQ(s->docs[1]->kind, VG_YAML_SEQ);
	ASSERT_EQ(s->docs[1]->line, 3u);
	ASSERT_TRUE(vg_yaml_is_null(s->docs[2]));
	ASSERT_TRUE(vg_yaml_scalar_is(s->docs[3], "plain"));
	ASSERT_STREQ(s->filename, "rules.yaml");
}

TEST(empty_stream)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct vg_yaml_stream *t = NULL;

	ASSERT_OK(parse("", &s, NULL, 0));
	ASSERT_EQ(s->n_docs, 0u);
	ASSERT_OK(vg_yaml_parse(NULL, 0, NULL, &t, NULL, 0));
	ASSERT_EQ(t->n_docs, 0u);
	ASSERT_STREQ(t->filename, "<input>");
	t = vg_yaml_stream_free(t);
	ASSERT_NULL(t);
	ASSERT_OK(parse("# only a comment\n", &t, NULL, 0));
	ASSERT_EQ(t->n_docs, 0u);
	vg_yaml_stream_free(t);
}

TEST(scalars_styles_tags_nul)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct vg_yaml_node *m;

	ASSERT_OK(parse("a: !!str 12\nb: \"x\\0y\"\nc: |\n  l1\n  l2\nd: ~\ne: ''\nf: null\n"
			"g: !custom v\n",
			&s, NULL, 0));
	m = s->docs[0];
	ASSERT_STREQ(vg_yaml_map_get(m, "a")->tag, "tag:yaml.org,2002:str");
	ASSERT_NULL(vg_yaml_map_get(m, "b")->tag);
	ASSERT_EQ(vg_yaml_map_get(m, "b")->len, 3u);
	ASSERT_EQ(memcmp(vg_yaml_map_get(m, "b")->text, "x\0y", 4), 0);
	ASSERT_FALSE(vg_yaml_scalar_is(vg_yaml_map_get(m, "b"), "x"));
	ASSERT_EQ(vg_yaml_map_get(m, "c")->style, VG_YAML_LITERAL);
	ASSERT_STREQ(vg_yaml_map_get(m, "c")->text, "l1\nl2\n");
	ASSERT_TRUE(vg_yaml_is_null(vg_yaml_map_get(m, "d")));
	ASSERT_FALSE(vg_yaml_is_null(vg_yaml_map_get(m, "e"))); /* quoted empty string */
	ASSERT_TRUE(vg_yaml_is_null(vg_yaml_map_get(m, "f")));
	ASSERT_TRUE(vg_yaml_is_null(vg_yaml_map_get(m, "zz")));
	ASSERT_STREQ(vg_yaml_map_get(m, "g")->tag, "!custom");
}

TEST(duplicate_keys_kept)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct vg_yaml_node *m;

	ASSERT_OK(parse("k: 1\nj: 2\nk: 3\n", &s, NULL, 0));
	m = s->docs[0];
	ASSERT_EQ(m->n, 3u);
	ASSERT_TRUE(vg_yaml_scalar_is(m->pairs[0].key, "k"));
	ASSERT_TRUE(vg_yaml_scalar_is(m->pairs[2].key, "k"));
	ASSERT_TRUE(vg_yaml_scalar_is(m->pairs[2].value, "3"));
	ASSERT_EQ(m->pairs[2].key->line, 3u);
	ASSERT_TRUE(vg_yaml_scalar_is(vg_yaml_map_get(m, "k"), "1")); /* first wins */
}

TEST(anchors_by_reference)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct vg_yaml_node *m, *base, *x, *y;

	ASSERT_OK(parse("base: &b {p: 1, q: [a, b]}\nx: *b\ny: *b\ns: &sc hello\nt: *sc\n"
			"base2: &b other\nz: *b\n",
			&s, NULL, 0));
	m = s->docs[0];
	base = vg_yaml_map_get(m, "base");
	x = vg_yaml_map_get(m, "x");
	y = vg_yaml_map_get(m, "y");
	ASSERT_TRUE(base == x);
	ASSERT_TRUE(x == y);
	ASSERT_STREQ(base->anchor, "b");
	ASSERT_EQ(base->weight, 7u); /* map, p, 1, q, seq, a, b */
	ASSERT_TRUE(vg_yaml_map_get(m, "t") == vg_yaml_map_get(m, "s"));
	/* an anchor can be redefined; later aliases see the new node */
	ASSERT_TRUE(vg_yaml_scalar_is(vg_yaml_map_get(m, "z"), "other"));
	/* root + 7 keys + base, x, y (7 each) + s, t, base2, z (1 each), aliases expanded */
	ASSERT_EQ(s->n_nodes, 1u + 7 + 3 * 7 + 4);
}

TEST(alias_errors)
{
	struct vg_yaml_stream *s = NULL;
	char err[256];

	ASSERT_ERR(parse("a: *nope\n", &s, err, sizeof(err)), -EBADMSG);
	ASSERT_STREQ(err, "rules.yaml:1:4: unknown alias '*nope'");
	/* an alias to an enclosing node would be a cycle: the anchor is not yet defined */
	ASSERT_ERR(parse("&a [1, *a]\n", &s, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "unknown alias"));
	ASSERT_ERR(parse("a: &m {b: *m}\n", &s, err, sizeof(err)), -EBADMSG);
	ASSERT_NULL(s);
}

TEST(billion_laughs)
{
	struct vg_yaml_stream *s = NULL;
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	char err[256];

	ASSERT_OK(vg_strbuf_puts(
		&sb,
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"));
	for (char c = 'b'; c <= 'j'; c++)
		ASSERT_OK(vg_strbuf_printf(&sb, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
					   c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1,
					   c - 1, c - 1));
	ASSERT_ERR(vg_yaml_parse(sb.buf, sb.len, "lol.yaml", &s, err, sizeof(err)), -E2BIG);
	ASSERT_NOT_NULL(strstr(err, "nodes with aliases expanded"));
	ASSERT_TRUE(strncmp(err, "lol.yaml:", 9) == 0);
	ASSERT_NULL(s);
	vg_strbuf_done(&sb);
}

TEST(many_aliases_within_limit)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct vg_strbuf sb = VG_STRBUF_INIT(0);

	/* 10000 references to a 3-node list: 30000 expanded nodes, fine */
	ASSERT_OK(vg_strbuf_puts(&sb, "base: &x [1, 2]\nuse: ["));
	for (int i = 0; i < 10000; i++)
		ASSERT_OK(vg_strbuf_puts(&sb, i ? ", *x" : "*x"));
	ASSERT_OK(vg_strbuf_puts(&sb, "]\n"));
	ASSERT_OK(vg_yaml_parse(sb.buf, sb.len, NULL, &s, NULL, 0));
	ASSERT_EQ(vg_yaml_map_get(s->docs[0], "use")->n, 10000u);
	ASSERT_EQ(s->n_nodes, 1u + 1 + 3 + 1 + 1 + 30000);
	vg_strbuf_done(&sb);
}

TEST(depth_limit)
{
	struct vg_yaml_stream *s = NULL;
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	char err[256];

	for (int i = 0; i < VG_YAML_DEPTH_MAX; i++)
		ASSERT_OK(vg_strbuf_putc(&sb, '['));
	for (int i = 0; i < VG_YAML_DEPTH_MAX; i++)
		ASSERT_OK(vg_strbuf_putc(&sb, ']'));
	ASSERT_OK(vg_yaml_parse(sb.buf, sb.len, NULL, &s, err, sizeof(err)));
	s = vg_yaml_stream_free(s);
	vg_strbuf_reset(&sb);
	for (int i = 0; i < 100000; i++)
		ASSERT_OK(vg_strbuf_putc(&sb, '['));
	ASSERT_ERR(vg_yaml_parse(sb.buf, sb.len, NULL, &s, err, sizeof(err)), -E2BIG);
	ASSERT_STREQ(err, "<input>:1:257: nesting deeper than 256 levels");
	/* block style nesting */
	vg_strbuf_reset(&sb);
	for (int i = 0; i <= VG_YAML_DEPTH_MAX; i++)
		ASSERT_OK(vg_strbuf_printf(&sb, "%*sk:\n", i, ""));
	ASSERT_ERR(vg_yaml_parse(sb.buf, sb.len, NULL, &s, err, sizeof(err)), -E2BIG);
	ASSERT_NULL(s);
	vg_strbuf_done(&sb);
}

TEST(size_limit)
{
	struct vg_yaml_stream *s = NULL;
	char err[256];

	ASSERT_ERR(
		vg_yaml_parse("a", (size_t)VG_YAML_DOC_MAX + 1, "big.yaml", &s, err, sizeof(err)),
		-E2BIG);
	ASSERT_STREQ(err, "big.yaml:1:1: document larger than 16777216 bytes");
}

TEST(syntax_errors)
{
	struct vg_yaml_stream *s = NULL;
	char err[256];

	ASSERT_ERR(parse("a: 1\nb: [1, 2\n", &s, err, sizeof(err)), -EBADMSG);
	tap_diag("%s\n", err);
	ASSERT_TRUE(strncmp(err, "rules.yaml:3:1: ", 16) == 0);
	ASSERT_ERR(parse("a: 1\n  b: 2\n", &s, err, sizeof(err)), -EBADMSG);
	tap_diag("%s\n", err);
	ASSERT_TRUE(strncmp(err, "rules.yaml:2:4: ", 16) == 0);
	ASSERT_ERR(parse("- a\nb: c\n", &s, err, sizeof(err)), -EBADMSG);
	ASSERT_TRUE(strncmp(err, "rules.yaml:2:1: ", 16) == 0);
	ASSERT_ERR(vg_yaml_parse("a: 1\nb: \xff\xfe\n", 11, "bad.yaml", &s, err, sizeof(err)),
		   -EBADMSG);
	ASSERT_STREQ(err, "bad.yaml:2:4: invalid leading UTF-8 octet");
	ASSERT_ERR(vg_yaml_parse("a: b\0c", 6, "nul.yaml", &s, err, sizeof(err)), -EBADMSG);
	ASSERT_STREQ(err, "nul.yaml:1:5: control characters are not allowed");
	ASSERT_ERR(parse("a: \"unterminated\n", &s, err, sizeof(err)), -EBADMSG);
	tap_diag("%s\n", err);
	ASSERT_NULL(s);
}

TEST(parse_file)
{
	struct vg_yaml_stream *s = NULL;
	char err[256];

	ASSERT_ERR(vg_yaml_parse_file("/nonexistent.yaml", &s, err, sizeof(err)), -ENOENT);
	ASSERT_STREQ(err, "/nonexistent.yaml: No such file or directory");
}

TEST(falco_rules_file)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	const char *path = "/work/shared/data/falco-rules/falco_rules.yaml";
	size_t n_rules = 0;
	char err[256];

	if (access(path, R_OK) < 0)
		TEST_SKIP("falco rules fixture not available");
	ASSERT_OK(vg_yaml_parse_file(path, &s, err, sizeof(err)));
	ASSERT_EQ(s->n_docs, 1u);
	ASSERT_EQ(s->docs[0]->kind, VG_YAML_SEQ);
	for (size_t i = 0; i < s->docs[0]->n; i++)
		n_rules += vg_yaml_map_get(s->docs[0]->items[i], "rule") != NULL;
	tap_diag("%zu items, %zu rules, %llu nodes\n", s->docs[0]->n, n_rules,
		 (unsigned long long)s->n_nodes);
	ASSERT_GT(n_rules, 10u);
}
