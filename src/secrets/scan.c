/* SPDX-License-Identifier: Apache-2.0 */
/* Scanning one buffer: keyword pass, per-rule regions, regexes, filters (see scan.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "secrets/ac.h"
#include "secrets/scan.h"

struct region {
	size_t start, end;
};

struct rule_state {
	struct vg_vec regions; /* struct region, sorted, disjoint */
	size_t line_end; /* end of the line of the last hit (0: unknown or capped) */
	uint8_t active; /* this buffer: 0 not decided yet, 1 scan, 2 path-filtered out */
};

struct vg_secret_scanner {
	const struct vg_secret_ruleset *rs;
	size_t n_rules;
	struct rule_state *st;
	/* the rule set's keyword -> rules map, flat: rules of keyword k are kw_rule[kw_off[k],
	 * kw_off[k + 1]), with their context (read for every keyword hit) */
	uint32_t *kw_off;
	uint32_t *kw_rule;
	uint32_t *rule_context;
	struct vg_vec touched; /* unsigned: rules with state this buffer */
	struct vg_vec found; /* struct vg_secret_match */
	struct vg_vec kept; /* struct vg_secret_match */
	char *tmp; /* NUL-terminated copy of a secret for the allowlist lookup */
	bool binaries;
	struct vg_secret_stats stats;
	/* the buffer being scanned */
	const char *buf;
	size_t len;
	const char *path;
};

int vg_secret_scanner_new(const struct vg_secret_ruleset *rs, struct vg_secret_scanner **ret)
{
	struct vg_secret_scanner *s;

	if (!rs->compiled)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->rs = rs;
	s->n_rules = rs->rules.len;
	s->st = calloc(s->n_rules ? s->n_rules : 1, sizeof(*s->st));
	s->tmp = malloc(VG_SECRET_MATCH_MAX + 1);
	s->kw_off = calloc(rs->kw_rules.len + 1, sizeof(*s->kw_off));
	s->rule_context = calloc(s->n_rules ? s->n_rules : 1, sizeof(*s->rule_context));
	if (!s->st || !s->tmp || !s->kw_off || !s->rule_context) {
		vg_secret_scanner_free(s);
		return -ENOMEM;
	}
	for (size_t k = 0; k < rs->kw_rules.len; k++) {
		const struct vg_vec *rules = vg_vec_at(&rs->kw_rules, k);

		s->kw_off[k + 1] = s->kw_off[k] + (uint32_t)rules->len;
	}
	s->kw_rule = malloc((s->kw_off[rs->kw_rules.len] ? s->kw_off[rs->kw_rules.len] : 1) *
			    sizeof(*s->kw_rule));
	if (!s->kw_rule) {
		vg_secret_scanner_free(s);
		return -ENOMEM;
	}
	for (size_t k = 0; k < rs->kw_rules.len; k++) {
		const struct vg_vec *rules = vg_vec_at(&rs->kw_rules, k);

		for (size_t j = 0; j < rules->len; j++)
			s->kw_rule[s->kw_off[k] + j] = *(const unsigned *)vg_vec_at(rules, j);
	}
	for (size_t i = 0; i < s->n_rules; i++)
		s->rule_context[i] = (*(struct vg_secret_rule **)vg_vec_at(&rs->rules, i))->context;
	for (size_t i = 0; i < s->n_rules; i++)
		vg_vec_init(&s->st[i].regions, sizeof(struct region), 0);
	vg_vec_init(&s->touched, sizeof(unsigned), 0);
	vg_vec_init(&s->found, sizeof(struct vg_secret_match), VG_SECRET_FILE_FINDINGS_MAX * 4);
	vg_vec_init(&s->kept, sizeof(struct vg_secret_match), VG_SECRET_FILE_FINDINGS_MAX);
	*ret = s;
	return 0;
}

struct vg_secret_scanner *vg_secret_scanner_free(struct vg_secret_scanner *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; s->st && i < s->n_rules; i++)
		vg_vec_done(&s->st[i].regions);
	free(s->st);
	free(s->tmp);
	free(s->kw_off);
	free(s->kw_rule);
	free(s->rule_context);
	vg_vec_done(&s->touched);
	vg_vec_done(&s->found);
	vg_vec_done(&s->kept);
	free(s);
	vg_secret_pattern_thread_done();
	return NULL;
}

void vg_secret_scanner_set_binaries(struct vg_secret_scanner *s, bool scan_binaries)
{
	s->binaries = scan_binaries;
}

const struct vg_secret_stats *vg_secret_scanner_stats(const struct vg_secret_scanner *s)
{
	return &s->stats;
}

bool vg_secret_is_binary(const char *buf, size_t len)
{
	return memchr(buf, '\0', VG_MIN(len, (size_t)VG_SECRET_SNIFF_BYTES)) != NULL;
}

bool vg_secret_path_allowed(const struct vg_secret_scanner *s, const char *path)
{
	return path && vg_secret_patterns_test(&s->rs->allow_paths, path, strlen(path));
}

double vg_secret_entropy(const char *str, size_t len)
{
	unsigned counts[256] = {0};
	double h = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		counts[(uint8_t)str[i]]++;
	for (unsigned i = 0; i < 256; i++)
		if (counts[i]) {
			double p = (double)counts[i] / (double)len;

			h -= p * log2(p);
		}
	return h;
}

char *vg_secret_mask(const char *secret, size_t len, char *buf, size_t size)
{
	size_t show = len >= 16 ? 4 : len / 4;
	char prefix[5];

	for (size_t i = 0; i < show; i++) {
		unsigned char c = (unsigned char)secret[i];

		prefix[i] = c >= 0x21 && c < 0x7f ? (char)c : '?';
	}
	prefix[show] = '\0';
	snprintf(buf, size, "%s**** (%zu chars)", prefix, len);
	return buf;
}

/* Decides (once per buffer) whether rule @idx applies to the buffer's path. */
static bool rule_active(struct vg_secret_scanner *s, unsigned idx)
{
	struct rule_state *st = &s->st[idx];
	const struct vg_secret_rule *rule;

	if (st->active)
		return st->active == 1;
	rule = *(struct vg_secret_rule **)vg_vec_at(&s->rs->rules, idx);
	st->active = 1;
	if (s->path) {
		size_t n = strlen(s->path);

		if (rule->paths.n && !vg_secret_patterns_test(&rule->paths, s->path, n))
			st->active = 2;
		else if (vg_secret_patterns_test(&rule->exclude_paths, s->path, n))
			st->active = 2;
	} else if (rule->paths.n) {
		st->active = 2; /* a path-restricted rule never applies to text without a path */
	}
	st->line_end = 0;
	if (vg_vec_push(&s->touched, &idx) < 0)
		return false; /* -ENOMEM: the rule is skipped for this buffer */
	return st->active == 1;
}

/*
 * A keyword hit ending at @end: for each rule of the keyword, its region grows by the hit's line
 * (searched at most VG_SECRET_LINE_WINDOW bytes either side, and back no further than the
 * rule's last region) plus the rule's context. The line is found once for all the rules: a
 * rule's line start is the line start found over the whole window, or its last region's end
 * if that is later (the search bounded by the region would stop there).
 */
static int on_hit(struct vg_secret_scanner *s, unsigned kw, size_t end)
{
	const char *buf = s->buf;
	bool line_known = false;
	size_t line_start = 0, line_end = 0, known_end = 0;

	for (uint32_t j = s->kw_off[kw]; j < s->kw_off[kw + 1]; j++) {
		unsigned idx = s->kw_rule[j];
		struct rule_state *st = &s->st[idx];
		struct region w, *last;

		if (!rule_active(s, idx))
			continue;
		if (end <= st->line_end)
			continue; /* same line as the previous hit: already covered */
		if (!line_known) {
			size_t lo = end - 1 > VG_SECRET_LINE_WINDOW
					    ? end - 1 - VG_SECRET_LINE_WINDOW
					    : 0;
			size_t hi = VG_MIN(s->len, end + VG_SECRET_LINE_WINDOW);
			const char *nl =
				end - 1 > lo ? memrchr(buf + lo, '\n', end - 1 - lo) : NULL;

			line_start = nl ? (size_t)(nl - buf) + 1 : lo;
			nl = memchr(buf + end, '\n', hi - end);
			if (nl) {
				line_end = (size_t)(nl - buf);
				known_end = line_end;
			} else {
				line_end = hi;
				known_end = hi == s->len ? hi : 0;
			}
			line_known = true;
		}
		last = st->regions.len ? vg_vec_at(&st->regions, st->regions.len - 1) : NULL;
		w.start = last && last->end > line_start ? last->end : line_start;
		w.end = VG_MIN(s->len, line_end + s->rule_context[idx]);
		st->line_end = known_end;
		if (last && w.start <= last->end) {
			if (w.end > last->end)
				last->end = w.end;
		} else {
			int r = vg_vec_push(&st->regions, &w);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* A batch of keyword hits, in buffer order. */
static int on_hits(void *userdata, const struct vg_ac_hit *hits, size_t n)
{
	struct vg_secret_scanner *s = userdata;

	s->stats.keyword_hits += n;
	for (size_t i = 0; i < n; i++) {
		int r = on_hit(s, hits[i].kw, hits[i].end);

		if (r < 0)
			return r;
	}
	return 0;
}

static bool overlaps(const struct vg_secret_match *a, const struct vg_secret_match *b)
{
	return a->offset < b->offset + b->length && b->offset < a->offset + a->length;
}

static int cmp_rule_then_offset(const void *x, const void *y)
{
	const struct vg_secret_match *a = x, *b = y;

	if (a->rule->index != b->rule->index)
		return a->rule->index < b->rule->index ? -1 : 1;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static int cmp_offset(const void *x, const void *y)
{
	const struct vg_secret_match *a = x, *b = y;

	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return a->rule->index < b->rule->index ? -1 : a->rule->index > b->rule->index;
}

static int cmp_unsigned(const void *x, const void *y)
{
	unsigned a = *(const unsigned *)x, b = *(const unsigned *)y;

	return a < b ? -1 : a > b;
}

/* Entropy, the rule's allow patterns, the global regexes and exact secrets. */
static bool allowed(struct vg_secret_scanner *s, const struct vg_secret_rule *rule, const char *sec,
		    size_t n)
{
	const struct vg_secret_ruleset *rs = s->rs;

	if (rule->entropy > 0 && vg_secret_entropy(sec, n) < rule->entropy)
		return true;
	if (vg_secret_patterns_test(&rule->allow, sec, n))
		return true;
	if (vg_secret_patterns_test(&rs->allow_regexes, sec, n))
		return true;
	if (vg_hashmap_size(&rs->allow_secrets) && n <= VG_SECRET_MATCH_MAX) {
		memcpy(s->tmp, sec, n);
		s->tmp[n] = '\0';
		if (vg_hashmap_get_str(&rs->allow_secrets, s->tmp))
			return true;
	}
	return false;
}

static int run_rule(struct vg_secret_scanner *s, unsigned idx)
{
	const struct vg_secret_rule *rule =
		*(struct vg_secret_rule **)vg_vec_at(&s->rs->rules, idx);
	struct rule_state *st = &s->st[idx];

	vg_vec_for_each(struct region, rg, &st->regions) {
		size_t pos = rg->start;

		s->stats.regex_bytes += rg->end - rg->start;
		while (pos <= rg->end) {
			size_t so, eo, gso, geo;
			struct vg_secret_match m;
			int r;

			r = vg_secret_pattern_find(rule->re, s->buf, rg->end, pos,
						   rule->secret_group, &so, &eo, &gso, &geo);
			if (r < 0)
				return r;
			if (r == 0)
				break;
			pos = eo > pos ? eo : pos + 1;
			if (gso == (size_t)-1) /* the secret group did not take part */
				continue;
			if (geo <= gso || geo - gso > VG_SECRET_MATCH_MAX)
				continue;
			if (allowed(s, rule, s->buf + gso, geo - gso)) {
				s->stats.allowed++;
				continue;
			}
			m = (struct vg_secret_match){
				.rule = rule,
				.offset = gso,
				.length = geo - gso,
				.secret = s->buf + gso,
				.match_offset = so,
				.match_length = eo - so,
			};
			r = vg_vec_push(&s->found, &m);
			if (r == -E2BIG)
				return 0; /* enough for one buffer: counted as truncated */
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int vg_secret_scan_buffer(struct vg_secret_scanner *s, const char *path, const char *buf,
			  size_t len, vg_secret_match_fn *fn, void *userdata)
{
	size_t line_pos = 0;
	unsigned line = 1;
	int r, n = 0;

	if (!s->binaries && vg_secret_is_binary(buf, len)) {
		s->stats.skipped_binary++;
		return 0;
	}
	if (vg_secret_path_allowed(s, path)) {
		s->stats.skipped_path++;
		return 0;
	}
	s->stats.buffers++;
	s->stats.bytes += len;
	s->buf = buf;
	s->len = len;
	s->path = path;
	vg_vec_clear(&s->touched);
	vg_vec_clear(&s->found);
	vg_vec_clear(&s->kept);

	r = vg_ac_scan_hits(s->rs->ac, VG_AC_IMPL_AUTO, buf, len, on_hits, s);
	if (r == 0) {
		vg_vec_sort(&s->touched, cmp_unsigned);
		vg_vec_for_each(unsigned, idx, &s->touched) {
			if (s->st[*idx].active != 1)
				continue;
			r = run_rule(s, *idx);
			if (r < 0)
				break;
		}
	}
	/* reset the per-rule state for the next buffer */
	vg_vec_for_each(unsigned, idx, &s->touched) {
		s->st[*idx].active = 0;
		s->st[*idx].line_end = 0;
		vg_vec_clear(&s->st[*idx].regions);
	}
	if (r < 0)
		return r;
	if (s->found.len == s->found.max_len)
		s->stats.truncated++;

	/* overlapping findings: the earlier rule wins */
	vg_vec_sort(&s->found, cmp_rule_then_offset);
	vg_vec_for_each(struct vg_secret_match, m, &s->found) {
		bool dup = false;

		vg_vec_for_each(struct vg_secret_match, k, &s->kept)
			if (overlaps(m, k)) {
				dup = true;
				break;
			}
		if (dup)
			continue;
		r = vg_vec_push(&s->kept, m);
		if (r == -E2BIG) {
			s->stats.truncated++;
			break;
		}
		if (r < 0)
			return r;
	}
	vg_vec_sort(&s->kept, cmp_offset);
	vg_vec_for_each(struct vg_secret_match, m, &s->kept) {
		const char *p = buf + line_pos, *e = buf + m->offset, *nl;
		size_t col_start;

		while ((nl = memchr(p, '\n', (size_t)(e - p)))) {
			line++;
			p = nl + 1;
		}
		line_pos = (size_t)(p - buf);
		col_start = line_pos;
		m->line = line;
		m->column = (unsigned)VG_MIN(m->offset - col_start + 1, (size_t)UINT32_MAX);
		s->stats.findings++;
		r = fn(userdata, m);
		if (r < 0)
			return r;
		n++;
	}
	return n;
}
