/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Source maps for conditions and outputs: which file:line:col each byte of a YAML scalar's
 * text came from, through folding (> and plain multi-line scalars), literal blocks (|),
 * quotes, escapes and override/append concatenation. Also priorities.
 *
 * The map is built by walking the scalar's text and its raw source side by side: a text byte
 * equal to the next source byte is a copy; otherwise the source bytes YAML drops (line
 * breaks, indentation, quotes, backslashes) are skipped until it matches. Where the source
 * jumps, a new segment starts. Columns count characters, as libyaml's marks do.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basic/vec.h"
#include "rules/load-internal.h"
#include "rules/load.h"

static const char *const prio_names[VG_PRIO__MAX] = {
	[VG_PRIO_EMERGENCY] = "Emergency",
	[VG_PRIO_ALERT] = "Alert",
	[VG_PRIO_CRITICAL] = "Critical",
	[VG_PRIO_ERROR] = "Error",
	[VG_PRIO_WARNING] = "Warning",
	[VG_PRIO_NOTICE] = "Notice",
	[VG_PRIO_INFORMATIONAL] = "Informational",
	[VG_PRIO_DEBUG] = "Debug",
};

const char *vg_priority_name(enum vg_priority p)
{
	if ((unsigned)p >= VG_PRIO__MAX)
		return NULL;
	return prio_names[p];
}

int vg_priority_parse(const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < VG_PRIO__MAX; i++)
		if (strcasecmp(s, prio_names[i]) == 0)
			return i;
	/* Falco accepts "info" for Informational (legacy) */
	if (strcasecmp(s, "info") == 0)
		return VG_PRIO_INFORMATIONAL;
	return -EINVAL;
}

/*
 * True when buf[i] ends a line break as libyaml counts them: LF, CR, CR LF (counted at the
 * CR), and the UTF-8 encoded NEL, LS and PS.
 */
static bool ends_break(const char *buf, size_t len, size_t i)
{
	const unsigned char *b = (const unsigned char *)buf;

	switch (b[i]) {
	case '\n':
		return !(i > 0 && b[i - 1] == '\r');
	case '\r':
		return true;
	case 0x85:
		return i >= 1 && b[i - 1] == 0xc2;
	case 0xa8:
	case 0xa9:
		return i >= 2 && b[i - 1] == 0x80 && b[i - 2] == 0xe2;
	default:
		return false;
	}
}

int vg_src_map_init(struct vg_src_map *m, const char *file, const char *buf, size_t len)
{
	size_t n = 1, k = 0;

	*m = (struct vg_src_map){.file = file, .buf = buf, .len = len};
	for (size_t i = 0; i < len; i++)
		if (ends_break(buf, len, i))
			n++;
	m->line_off = reallocarray(NULL, n, sizeof(size_t));
	if (!m->line_off)
		return -ENOMEM;
	/* libyaml drops a UTF-8 byte order mark without counting it in columns */
	m->line_off[k++] = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (size_t i = 0; i < len; i++)
		if (ends_break(buf, len, i))
			/* CR LF: the line starts after the LF */
			m->line_off[k++] =
				buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n' ? i + 2 : i + 1;
	m->n_lines = k;
	return 0;
}

void vg_src_map_done(struct vg_src_map *m)
{
	free(m->line_off);
	m->line_off = NULL;
}

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Byte offset of (line, col), 1-based, col in characters; false when out of range. */
static bool mark_offset(const struct vg_src_map *m, unsigned line, unsigned col, size_t *ret)
{
	size_t o;

	if (line == 0 || line > m->n_lines || col == 0)
		return false;
	o = m->line_off[line - 1];
	for (unsigned c = 1; c < col; c++) {
		if (o >= m->len || m->buf[o] == '\n')
			return false;
		o++;
		while (o < m->len && is_cont((unsigned char)m->buf[o]))
			o++;
	}
	*ret = o;
	return true;
}

static bool skippable(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\'' || c == '"' ||
	       c == '\\';
}

/* A source byte giving text byte c: itself, or a CR that YAML turned into a LF. */
static bool same(char src, char c)
{
	return src == c || (c == '\n' && src == '\r');
}

struct walker {
	const struct vg_src_map *m;
	size_t sp; /* next source byte */
	unsigned line, col;
};

static void advance(struct walker *w)
{
	size_t i = w->sp++;

	if (ends_break(w->m->buf, w->m->len, i)) {
		w->line++;
		w->col = 1;
	} else if (w->m->buf[i] == '\n') {
		/* the LF of CR LF: counted at the CR */
	} else if (!is_cont((unsigned char)w->m->buf[i])) {
		w->col++;
	}
}

int vg_cond_src_build(struct vg_arena *a, const struct vg_src_map *m, const struct vg_yaml_node *n,
		      size_t skip, size_t len, struct vg_cond_src *ret)
{
	struct vg_vec segs = VG_VEC_INIT(struct vg_cond_seg, 0);
	struct walker w = {.m = m, .line = n->line, .col = n->column};
	const char *t = n->text;
	size_t start, expect = (size_t)-1;
	char *text;
	int r = 0;

	*ret = (struct vg_cond_src){.pos = {.file = m->file, .line = n->line, .col = n->column}};
	text = vg_arena_memdup(a, t + skip, len + 1);
	if (!text)
		return vg_arena_error(a);
	text[len] = '\0';
	ret->text = text;
	ret->len = len;

	if (!mark_offset(m, n->line, n->column, &start))
		return 0; /* no map: everything at the scalar's mark */
	w.sp = start;
	switch (n->style) {
	case VG_YAML_SINGLE_QUOTED:
	case VG_YAML_DOUBLE_QUOTED:
		if (w.sp < m->len && (m->buf[w.sp] == '\'' || m->buf[w.sp] == '"'))
			advance(&w);
		break;
	case VG_YAML_LITERAL:
	case VG_YAML_FOLDED:
		/* to the start of the next line (after LF, CR LF, CR, NEL, LS or PS) */
		while (w.sp < m->len && w.line == n->line)
			advance(&w);
		if (w.sp < m->len && m->buf[w.sp] == '\n' && w.sp > 0 && m->buf[w.sp - 1] == '\r')
			advance(&w);
		/* the indentation of the first content line */
		for (size_t i = w.sp; i < m->len && m->buf[i] == ' '; i++)
			ret->block_indent = (unsigned)(i - w.sp) + 2;
		break;
	default:
		break;
	}

	for (size_t i = 0; i < skip + len; i++) {
		char c = t[i];
		bool copied = false;

		while (w.sp < m->len && !same(m->buf[w.sp], c) && skippable(m->buf[w.sp]))
			advance(&w);
		copied = w.sp < m->len && same(m->buf[w.sp], c);
		if (i >= skip && (i == skip || w.sp != expect || !copied)) {
			struct vg_cond_seg s = {
				.off = i - skip,
				.pos = {.file = m->file, .line = w.line, .col = w.col}};

			r = vg_vec_push(&segs, &s);
			if (r < 0)
				goto out;
		}
		if (w.sp < m->len) {
			/* a byte YAML made up (an escape): consume the escape's letter */
			advance(&w);
			expect = copied ? w.sp : (size_t)-1;
		}
	}
	if (segs.len > 0) {
		struct vg_cond_seg *out = vg_arena_memdup(a, segs.data, segs.len * sizeof(*out));

		if (!out) {
			r = vg_arena_error(a);
			goto out;
		}
		ret->segs = out;
		ret->n_segs = (unsigned)segs.len;
		ret->pos = out[0].pos;
	}
out:
	vg_vec_done(&segs);
	return r;
}

int vg_cond_src_concat(struct vg_arena *a, const struct vg_cond_src *x, char sep,
		       const struct vg_cond_src *y, struct vg_cond_src *ret)
{
	size_t k = sep ? 1 : 0, len = x->len + k + y->len;
	size_t nx = x->n_segs ? x->n_segs : 1, ny = y->n_segs ? y->n_segs : 1;
	struct vg_cond_seg *segs;
	char *text;

	text = vg_arena_alloc(a, len + 1);
	segs = vg_arena_calloc(a, nx + ny, sizeof(*segs));
	if (!text || !segs)
		return vg_arena_error(a) ?: -ENOMEM;
	memcpy(text, x->text, x->len);
	if (sep)
		text[x->len] = sep;
	memcpy(text + x->len + k, y->text, y->len);
	text[len] = '\0';
	if (x->n_segs)
		memcpy(segs, x->segs, nx * sizeof(*segs));
	else
		segs[0] = (struct vg_cond_seg){.off = 0, .pos = x->pos};
	for (size_t i = 0; i < ny; i++) {
		segs[nx + i] = y->n_segs ? y->segs[i] : (struct vg_cond_seg){.pos = y->pos};
		segs[nx + i].off += x->len + k;
	}
	*ret = (struct vg_cond_src){.text = text,
				    .len = len,
				    .pos = x->pos,
				    .block_indent = x->block_indent,
				    .segs = segs,
				    .n_segs = (unsigned)(nx + ny)};
	return 0;
}

void vg_cond_src_pos(const struct vg_cond_src *c, size_t offset, struct vg_srcpos *ret)
{
	size_t lo = 0, hi, from = 0;

	*ret = c->pos;
	if (!c->text)
		return;
	if (offset > c->len)
		offset = c->len;
	if (c->n_segs) {
		/* the last segment starting at or before offset */
		hi = c->n_segs;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (c->segs[mid].off <= offset)
				lo = mid;
			else
				hi = mid;
		}
		*ret = c->segs[lo].pos;
		from = c->segs[lo].off;
		if (from > offset)
			from = offset;
	}
	for (size_t i = from; i < offset; i++) {
		unsigned char ch = (unsigned char)c->text[i];

		if (ch == '\n') {
			ret->line++;
			ret->col = 1;
		} else if (!is_cont(ch)) {
			ret->col++;
		}
	}
}
