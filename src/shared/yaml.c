/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libyaml event stream -> node tree. One frame per open collection collects children in a
 * vector; on the end event they are copied into the arena. Collections are registered as
 * anchors only once complete, so an alias cannot refer to an enclosing node (no cycles).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/hashmap.h"
#include "basic/limits.h"
#include "basic/vec.h"
#include "shared/yaml.h"

struct frame {
	struct vg_yaml_node *node;
	struct vg_vec children; /* struct vg_yaml_node * */
};

struct builder {
	struct vg_yaml_stream *s;
	struct vg_hashmap anchors; /* name (arena string) -> node */
	struct vg_vec docs; /* struct vg_yaml_node * */
	struct frame stack[VG_YAML_DEPTH_MAX];
	size_t depth;
	const char *input;
	size_t input_len;
	char *err;
	size_t errsize;
};

static int fail(struct builder *b, int r, unsigned line, unsigned col, const char *fmt, ...)
	VG_PRINTF(5, 6);

static int fail(struct builder *b, int r, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!b->err || b->errsize == 0)
		return r;
	k = snprintf(b->err, b->errsize, "%s:%u:%u: ", b->s->filename, line, col);
	if (k < 0 || (size_t)k >= b->errsize)
		return r;
	va_start(ap, fmt);
	(void)vsnprintf(b->err + k, b->errsize - (size_t)k, fmt, ap);
	va_end(ap);
	return r;
}

static int arena_fail(struct builder *b, const yaml_mark_t *m)
{
	int r = vg_arena_error(&b->s->arena) ?: -ENOMEM;

	return fail(b, r, (unsigned)m->line + 1, (unsigned)m->column + 1, "%s",
		    r == -E2BIG ? "document too large (memory cap)" : "out of memory");
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int count_nodes(struct builder *b, uint64_t n, const yaml_mark_t *m)
{
	b->s->n_nodes = sat_add(b->s->n_nodes, n);
	if (b->s->n_nodes > VG_YAML_NODES_MAX)
		return fail(b, -E2BIG, (unsigned)m->line + 1, (unsigned)m->column + 1,
			    "more than %d nodes with aliases expanded", VG_YAML_NODES_MAX);
	return 0;
}

static struct vg_yaml_node *new_node(struct builder *b, enum vg_yaml_kind kind,
				     const yaml_event_t *ev, const yaml_char_t *tag,
				     const yaml_char_t *anchor)
{
	struct vg_yaml_node *n = vg_arena_alloc(&b->s->arena, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->column = (unsigned)ev->start_mark.column + 1;
	n->weight = 1;
	if (tag) {
		n->tag = vg_arena_strdup(&b->s->arena, (const char *)tag);
		if (!n->tag)
			return NULL;
	}
	if (anchor) {
		n->anchor = vg_arena_strdup(&b->s->arena, (const char *)anchor);
		if (!n->anchor)
			return NULL;
	}
	return n;
}

static int register_anchor(struct builder *b, struct vg_yaml_node *n, const yaml_mark_t *m)
{
	int r;

	if (!n->anchor)
		return 0;
	r = vg_hashmap_put_str(&b->anchors, n->anchor, n);
	if (r < 0)
		return fail(b, r, (unsigned)m->line + 1, (unsigned)m->column + 1,
			    "cannot register anchor: %s", strerror(-r));
	return 0;
}

/* Attaches a finished node (or an alias target) to the open collection or as a doc root. */
static int attach(struct builder *b, struct vg_yaml_node *n, const yaml_mark_t *m)
{
	struct vg_vec *v = b->depth ? &b->stack[b->depth - 1].children : &b->docs;
	int r = vg_vec_push(v, &n);

	if (r < 0)
		return fail(b, r, (unsigned)m->line + 1, (unsigned)m->column + 1,
			    "cannot add node: %s", strerror(-r));
	if (b->depth) {
		struct vg_yaml_node *parent = b->stack[b->depth - 1].node;

		parent->weight = sat_add(parent->weight, n->weight);
	}
	return 0;
}

static enum vg_yaml_style scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		return VG_YAML_SINGLE_QUOTED;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return VG_YAML_DOUBLE_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE:
		return VG_YAML_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE:
		return VG_YAML_FOLDED;
	default:
		return VG_YAML_PLAIN;
	}
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct vg_yaml_node *n;
	int r;

	r = count_nodes(b, 1, &ev->start_mark);
	if (r < 0)
		return r;
	n = new_node(b, VG_YAML_SCALAR, ev, ev->data.scalar.tag, ev->data.scalar.anchor);
	if (!n)
		return arena_fail(b, &ev->start_mark);
	n->style = scalar_style(ev->data.scalar.style);
	n->len = ev->data.scalar.length;
	n->text = vg_arena_alloc(&b->s->arena, n->len + 1);
	if (!n->text)
		return arena_fail(b, &ev->start_mark);
	memcpy((char *)n->text, ev->data.scalar.value, n->len);
	r = register_anchor(b, n, &ev->start_mark);
	if (r < 0)
		return r;
	return attach(b, n, &ev->start_mark);
}

static int on_start(struct builder *b, const yaml_event_t *ev, enum vg_yaml_kind kind)
{
	const yaml_char_t *tag, *anchor;
	struct vg_yaml_node *n;
	bool flow;
	int r;

	if (b->depth >= VG_YAML_DEPTH_MAX)
		return fail(b, -E2BIG, (unsigned)ev->start_mark.line + 1,
			    (unsigned)ev->start_mark.column + 1, "nesting deeper than %d levels",
			    VG_YAML_DEPTH_MAX);
	r = count_nodes(b, 1, &ev->start_mark);
	if (r < 0)
		return r;
	if (kind == VG_YAML_SEQ) {
		tag = ev->data.sequence_start.tag;
		anchor = ev->data.sequence_start.anchor;
		flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	} else {
		tag = ev->data.mapping_start.tag;
		anchor = ev->data.mapping_start.anchor;
		flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	}
	n = new_node(b, kind, ev, tag, anchor);
	if (!n)
		return arena_fail(b, &ev->start_mark);
	n->style = flow ? VG_YAML_FLOW : VG_YAML_BLOCK;
	b->stack[b->depth].node = n;
	vg_vec_init(&b->stack[b->depth].children, sizeof(struct vg_yaml_node *), 0);
	b->depth++;
	return 0;
}

static int on_end(struct builder *b, const yaml_event_t *ev)
{
	struct frame *f;
	struct vg_yaml_node *n, **kids;
	size_t len;
	int r;

	if (b->depth == 0) /* libyaml never does this */
		return fail(b, -EBADMSG, (unsigned)ev->start_mark.line + 1,
			    (unsigned)ev->start_mark.column + 1, "unbalanced end of collection");
	f = &b->stack[b->depth - 1];
	n = f->node;
	kids = f->children.data;
	len = f->children.len;
	if (n->kind == VG_YAML_SEQ) {
		n->n = len;
		if (len) {
			n->items = vg_arena_memdup(&b->s->arena, kids, len * sizeof(*kids));
			if (!n->items)
				return arena_fail(b, &ev->start_mark);
		}
	} else {
		n->n = len / 2;
		if (n->n) {
			n->pairs = vg_arena_calloc(&b->s->arena, n->n, sizeof(*n->pairs));
			if (!n->pairs)
				return arena_fail(b, &ev->start_mark);
			for (size_t i = 0; i < n->n; i++) {
				n->pairs[i].key = kids[2 * i];
				n->pairs[i].value = kids[2 * i + 1];
			}
		}
	}
	vg_vec_done(&f->children);
	b->depth--;
	r = register_anchor(b, n, &ev->start_mark);
	if (r < 0)
		return r;
	return attach(b, n, &ev->start_mark);
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct vg_yaml_node *target = name ? vg_hashmap_get_str(&b->anchors, name) : NULL;
	int r;

	if (!target)
		return fail(b, -EBADMSG, (unsigned)ev->start_mark.line + 1,
			    (unsigned)ev->start_mark.column + 1, "unknown alias '*%s'",
			    name ? name : "");
	r = count_nodes(b, target->weight, &ev->start_mark);
	if (r < 0)
		return r;
	return attach(b, target, &ev->start_mark);
}

static int parse_error(struct builder *b, const yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark;

	if (p->error == YAML_MEMORY_ERROR)
		return fail(b, -ENOMEM, 1, 1, "out of memory");
	if (p->error == YAML_READER_ERROR) {
		/* The reader reports a byte offset only: turn it into a line and column. */
		m = (yaml_mark_t){0};
		for (size_t i = 0; i < p->problem_offset && i < b->input_len; i++) {
			if (b->input[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)b->input[i] & 0xc0) != 0x80) {
				m.column++;
			}
		}
	}
	if (p->context)
		return fail(b, -EBADMSG, (unsigned)m.line + 1, (unsigned)m.column + 1,
			    "%s (%s at line %zu column %zu)",
			    p->problem ? p->problem : "syntax error", p->context,
			    p->context_mark.line + 1, p->context_mark.column + 1);
	return fail(b, -EBADMSG, (unsigned)m.line + 1, (unsigned)m.column + 1, "%s",
		    p->problem ? p->problem : "syntax error");
}

static int build(struct builder *b, yaml_parser_t *p)
{
	for (;;) {
		yaml_event_t ev;
		bool done = false;
		int r = 0;

		if (!yaml_parser_parse(p, &ev))
			return parse_error(b, p);
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			r = on_scalar(b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			r = on_start(b, &ev, VG_YAML_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			r = on_start(b, &ev, VG_YAML_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			r = on_end(b, &ev);
			break;
		case YAML_ALIAS_EVENT:
			r = on_alias(b, &ev);
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (r < 0)
			return r;
		if (done)
			return 0;
	}
}

int vg_yaml_parse(const char *buf, size_t len, const char *filename, struct vg_yaml_stream **ret,
		  char *err, size_t errsize)
{
	struct vg_yaml_stream *s;
	struct builder *b;
	yaml_parser_t parser;
	int r;

	if (err && errsize)
		err[0] = '\0';
	if (!ret || (!buf && len))
		return -EINVAL;
	if (!filename)
		filename = "<input>";
	if (len > VG_YAML_DOC_MAX) {
		if (err && errsize)
			(void)snprintf(err, errsize, "%s:1:1: document larger than %d bytes",
				       filename, VG_YAML_DOC_MAX);
		return -E2BIG;
	}
	s = calloc(1, sizeof(*s));
	b = calloc(1, sizeof(*b));
	if (!s || !b) {
		free(s);
		free(b);
		return -ENOMEM;
	}
	/* Nodes, strings and pointer arrays: generous, but bounded by the input size. */
	vg_arena_init(&s->arena, (size_t)len * 128 + (1u << 20));
	s->filename = vg_arena_strdup(&s->arena, filename);
	b->s = s;
	b->err = err;
	b->errsize = errsize;
	b->input = buf;
	b->input_len = len;
	vg_hashmap_init(&b->anchors, VG_HASHMAP_STRING, VG_YAML_NODES_MAX, NULL);
	vg_vec_init(&b->docs, sizeof(struct vg_yaml_node *), 0);

	if (!s->filename || !yaml_parser_initialize(&parser)) {
		r = -ENOMEM;
	} else {
		yaml_parser_set_input_string(&parser, (const unsigned char *)(buf ? buf : ""), len);
		r = build(b, &parser);
		yaml_parser_delete(&parser);
	}
	if (r >= 0 && b->docs.len) {
		s->docs = vg_arena_memdup(&s->arena, b->docs.data,
					  b->docs.len * sizeof(struct vg_yaml_node *));
		if (!s->docs)
			r = vg_arena_error(&s->arena) ?: -ENOMEM;
		else
			s->n_docs = b->docs.len;
	}
	while (b->depth > 0)
		vg_vec_done(&b->stack[--b->depth].children);
	vg_vec_done(&b->docs);
	vg_hashmap_done(&b->anchors);
	free(b);
	if (r < 0) {
		vg_yaml_stream_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

int vg_yaml_parse_file(const char *path, struct vg_yaml_stream **ret, char *err, size_t errsize)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	int r;

	r = vg_read_file(path, VG_YAML_DOC_MAX, &buf, &len);
	if (r < 0) {
		if (err && errsize)
			(void)snprintf(err, errsize, "%s: %s", path, strerror(-r));
		return r;
	}
	return vg_yaml_parse(buf, len, path, ret, err, errsize);
}

struct vg_yaml_stream *vg_yaml_stream_free(struct vg_yaml_stream *s)
{
	if (!s)
		return NULL;
	vg_arena_done(&s->arena);
	free(s);
	return NULL;
}

bool vg_yaml_scalar_is(const struct vg_yaml_node *node, const char *s)
{
	size_t n = strlen(s);

	return node && node->kind == VG_YAML_SCALAR && node->len == n &&
	       memcmp(node->text, s, n) == 0;
}

struct vg_yaml_node *vg_yaml_map_get(const struct vg_yaml_node *map, const char *key)
{
	if (!map || map->kind != VG_YAML_MAP || !key)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (vg_yaml_scalar_is(map->pairs[i].key, key))
			return map->pairs[i].value;
	return NULL;
}

bool vg_yaml_is_null(const struct vg_yaml_node *node)
{
	if (!node)
		return true;
	if (node->kind != VG_YAML_SCALAR || node->style != VG_YAML_PLAIN || node->tag)
		return false;
	return vg_yaml_scalar_is(node, "") || vg_yaml_scalar_is(node, "~") ||
	       vg_yaml_scalar_is(node, "null") || vg_yaml_scalar_is(node, "Null") ||
	       vg_yaml_scalar_is(node, "NULL");
}

const char *vg_yaml_kind_name(enum vg_yaml_kind kind)
{
	switch (kind) {
	case VG_YAML_SCALAR:
		return "scalar";
	case VG_YAML_SEQ:
		return "sequence";
	case VG_YAML_MAP:
		return "mapping";
	}
	return "unknown";
}
