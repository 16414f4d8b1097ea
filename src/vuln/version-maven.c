/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Maven versions: org.apache.maven.artifact.versioning.ComparableVersion as in Maven 3.9.
 *
 * Parsing (case-insensitive): '.' and '-' separate items, and so does every switch between
 * digits and letters. A '-', and a digit<->letter switch, open a nested list that holds
 * the rest of the version, so "1.0-alpha-1" is [1, 0, [alpha, [1]]]. An empty item is 0.
 * "a1", "b1", "m1" mean alpha-1, beta-1, milestone-1; "cr" is rc; "ga", "final" and
 * "release" are the empty (release) qualifier. Each list then drops its trailing "null"
 * items (0, release qualifier, empty list), innermost list first.
 *
 * Order: numbers numerically; qualifiers alpha < beta < milestone < rc < snapshot <
 * (release) < sp < any other word (those alphabetically); a number > a list > a
 * qualifier; past the end of a list, items compare against "null" (0 or the release
 * qualifier). Only ASCII is lowercased and only ASCII digits are digits.
 *
 * The lists form a chain (a nested list is always the last item of its parent), so they
 * are kept flat: items in order, a LIST item marking where the nested list starts, and
 * compared with one loop instead of recursion. Every string is accepted. Maven's order is
 * not transitive on some odd strings (1 < 1-sp < 1.0.alpha.1 < 1); this module keeps
 * Maven's answers rather than inventing a different order.
 */
#include <string.h>

#include "basic/limits.h"
#include "vuln/version-internal.h"

enum item_type { ITEM_INT, ITEM_STRING, ITEM_LIST };

/* qualifier ranks; an unknown word ranks after all of them, then by its text */
enum qualifier { Q_ALPHA, Q_BETA, Q_MILESTONE, Q_RC, Q_SNAPSHOT, Q_RELEASE, Q_SP, Q_OTHER };

struct item {
	unsigned char type;
	unsigned char qual;
	bool dead; /* removed by normalisation */
	unsigned short off, len;
};

/* Worst case: every byte an item plus a list marker, plus the root. */
#define MAVEN_ITEMS_MAX (2 * VG_VERSION_LEN_MAX + 2)

struct maven {
	char text[VG_VERSION_LEN_MAX + 1]; /* lowercased input */
	struct item items[MAVEN_ITEMS_MAX];
	size_t n;
	size_t cur_count; /* items in the innermost list so far */
};

static void add(struct maven *v, enum item_type type, size_t off, size_t len, enum qualifier q)
{
	/* at most 2 items per input byte (a '-' adds an item and a list), so this never hits */
	if (v->n == MAVEN_ITEMS_MAX)
		return;
	v->items[v->n++] = (struct item){.type = type, .qual = q, .off = off, .len = len};
	v->cur_count++;
}

static void add_list(struct maven *v)
{
	add(v, ITEM_LIST, 0, 0, Q_OTHER);
	v->cur_count = 0;
}

static enum qualifier qualifier(const char *s, size_t len, bool followed_by_digit)
{
	static const struct {
		const char *word;
		enum qualifier q;
	} words[] = {
		{"alpha", Q_ALPHA}, {"beta", Q_BETA},	  {"milestone", Q_MILESTONE},
		{"rc", Q_RC},	    {"cr", Q_RC},	  {"snapshot", Q_SNAPSHOT},
		{"ga", Q_RELEASE},  {"final", Q_RELEASE}, {"release", Q_RELEASE},
		{"sp", Q_SP},
	};

	if (followed_by_digit && len == 1) {
		if (s[0] == 'a')
			return Q_ALPHA;
		if (s[0] == 'b')
			return Q_BETA;
		if (s[0] == 'm')
			return Q_MILESTONE;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == len && memcmp(words[i].word, s, len) == 0)
			return words[i].q;
	return Q_OTHER;
}

/* parseItem(isDigit, buf) */
static void add_item(struct maven *v, bool digit, size_t off, size_t len)
{
	if (digit)
		add(v, ITEM_INT, off, len, Q_OTHER);
	else
		add(v, ITEM_STRING, off, len, qualifier(v->text + off, len, false));
}

static bool is_null(const struct maven *v, const struct item *it)
{
	if (it->type == ITEM_INT)
		return vg_version_numcmp(v->text + it->off, it->len, "0", 1) == 0;
	if (it->type == ITEM_STRING)
		return it->qual == Q_RELEASE;
	return false; /* lists: decided by the caller from their content */
}

static void parse(const char *s, struct maven *v)
{
	size_t len = strlen(s), start = 0;
	bool digit = false;
	size_t live = 0;
	bool removing = true;

	v->n = 0;
	v->cur_count = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		v->text[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	v->text[len] = 0;

	for (size_t i = 0; i < len; i++) {
		char c = v->text[i];

		if (c == '.') {
			if (i == start)
				add(v, ITEM_INT, 0, 0, Q_OTHER); /* empty: 0 */
			else
				add_item(v, digit, start, i - start);
			start = i + 1;
		} else if (c == '-') {
			if (i == start)
				add(v, ITEM_INT, 0, 0, Q_OTHER);
			else
				add_item(v, digit, start, i - start);
			start = i + 1;
			add_list(v);
		} else if (vg_version_isdigit(c)) {
			if (!digit && i > start) {
				/* "1.0.0.x1" as "1.0.0-x-1": the qualifier opens its own list */
				if (v->cur_count > 0)
					add_list(v);
				add(v, ITEM_STRING, start, i - start,
				    qualifier(v->text + start, i - start, true));
				start = i;
				add_list(v);
			}
			digit = true;
		} else {
			if (digit && i > start) {
				add_item(v, true, start, i - start);
				start = i;
				add_list(v);
			}
			digit = false;
		}
	}
	if (len > start) {
		if (!digit && v->cur_count > 0)
			add_list(v);
		add_item(v, digit, start, len - start);
	}

	/*
	 * normalize(), innermost list first: walking backwards, each list drops null items
	 * from its end, stepping over non-empty nested lists, up to its first other item.
	 */
	for (size_t i = v->n; i-- > 0;) {
		struct item *it = &v->items[i];

		if (it->type == ITEM_LIST) {
			/* the nested list after this marker is complete: the marker is the last
			 * item of its parent, which starts being normalised here */
			bool empty = live == 0;

			removing = true;
			live = 0;
			if (empty)
				it->dead = true;
			else
				live++;
			continue;
		}
		if (removing && is_null(v, it)) {
			it->dead = true;
			continue;
		}
		removing = false;
		live++;
	}
}

/* Next live item of the current list, or NULL at its end (= end of the flat array). */
static const struct item *next(const struct maven *v, size_t *i)
{
	while (*i < v->n && v->items[*i].dead)
		(*i)++;
	return *i < v->n ? &v->items[(*i)++] : NULL;
}

static int string_cmp(const struct maven *va, const struct item *a, const struct maven *vb,
		      const struct item *b)
{
	if (a->qual != b->qual)
		return a->qual < b->qual ? -1 : 1;
	if (a->qual != Q_OTHER)
		return 0;
	return vg_version_bytecmp(va->text + a->off, a->len, vb->text + b->off, b->len);
}

/* item.compareTo(null) for a scalar */
static int scalar_vs_null(const struct maven *v, const struct item *it)
{
	if (it->type == ITEM_INT)
		return is_null(v, it) ? 0 : 1;
	return it->qual == Q_RELEASE ? 0 : (it->qual < Q_RELEASE ? -1 : 1);
}

/* A list (its items from index i on, nested ones included) against null. */
static int rest_vs_null(const struct maven *v, size_t i)
{
	const struct item *it;

	while ((it = next(v, &i)))
		if (it->type != ITEM_LIST) {
			int r = scalar_vs_null(v, it);

			if (r != 0)
				return r;
		}
	return 0;
}

static int type_rank(const struct item *it)
{
	/* when the kinds differ: number > list > qualifier */
	return it->type == ITEM_INT ? 2 : (it->type == ITEM_LIST ? 1 : 0);
}

static int compare(const struct maven *va, const struct maven *vb)
{
	size_t i = 0, j = 0;

	for (;;) {
		const struct item *a = next(va, &i), *b = next(vb, &j);
		int r;

		if (!a && !b)
			return 0;
		/* past the end of one list: the other's items against null, lists to the end */
		if (!a || !b) {
			if (!a)
				r = b->type == ITEM_LIST ? -rest_vs_null(vb, j)
							 : -scalar_vs_null(vb, b);
			else
				r = a->type == ITEM_LIST ? rest_vs_null(va, i)
							 : scalar_vs_null(va, a);
			if (r != 0 || (a ? a : b)->type == ITEM_LIST)
				return r;
			continue;
		}
		if (a->type != b->type)
			return type_rank(a) < type_rank(b) ? -1 : 1;
		if (a->type == ITEM_LIST)
			continue; /* both descend into their nested lists */
		r = a->type == ITEM_INT ? vg_version_numcmp(va->text + a->off, a->len,
							    vb->text + b->off, b->len)
					: string_cmp(va, a, vb, b);
		if (r != 0)
			return r;
	}
}

int vg_version_maven_cmp(const char *a, const char *b, int *ret)
{
	struct maven va, vb; /* 2 x ~9 KiB */

	parse(a, &va);
	parse(b, &vb);
	*ret = compare(&va, &vb);
	return 0;
}

bool vg_version_maven_valid(const char *v)
{
	/* ComparableVersion accepts any string, except the empty one (no version at all) */
	return v[0] != 0;
}
